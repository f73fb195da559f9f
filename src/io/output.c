/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A run's outputs: DIR/daily.csv (one row per run, day and side) and
 * DIR/summary.json (metadata, outcomes, and the scenario's assumptions
 * with their provenance). Both are written to temporary names inside DIR
 * and renamed into place by truce_output_commit, so a failed run leaves no
 * half-written file behind. Columns are documented in docs/outputs.md.
 */
#include <errno.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store.h"
#include "truce_int.h"

struct truce_output {
  truce_ctx* ctx;
  const truce_scenario* sc;
  const truce_ensemble* ens;
  char dir[1024];
  char shown[1024]; /* the directory errors name (truce_output_open_as) */
  char daily_tmp[1100], daily[1100], summary_tmp[1100], summary[1100];
  char runs_tmp[1100], runs[1100], db_tmp[1100], db[1100];
  FILE* daily_f;
  bool daily_done, runs_done;
  long start_days;
  bool has_start;
  double* outcomes;  /* per run and side: the outcome table's values */
  truce_band* bands; /* daily.csv's bands, in its order, for results.db */
  size_t n_bands;
  size_t n_runs, cap_runs;
  char* json;
  size_t json_len, json_cap;
  bool committed;
};

#define OUT_VALS (2 * truce_outcome_count()) /* per run, both sides */

int truce_output_open(truce_ctx* ctx, const char* dir, const truce_scenario* sc,
                      truce_output** out) {
  return truce_output_open_as(ctx, dir, dir, sc, out);
}

int truce_output_open_as(truce_ctx* ctx, const char* dir, const char* shown,
                         const truce_scenario* sc, truce_output** out) {
  if (!ctx || !dir || !shown || !sc || !out) return TRUCE_EINVAL;
  *out = NULL;
  int rc = truce__mkdir_p(ctx, dir);
  if (rc) return rc;
  truce_output* o = truce__calloc(ctx, 1, sizeof *o);
  if (!o) return TRUCE_ENOMEM;
  o->ctx = ctx;
  o->sc = sc;
  snprintf(o->dir, sizeof o->dir, "%s", dir);
  snprintf(o->shown, sizeof o->shown, "%s", shown);
  long pid = (long)getpid();
  snprintf(o->daily, sizeof o->daily, "%s/daily.csv", dir);
  snprintf(o->daily_tmp, sizeof o->daily_tmp, "%s/.daily.csv.%ld.tmp", dir,
           pid);
  snprintf(o->summary, sizeof o->summary, "%s/summary.json", dir);
  snprintf(o->summary_tmp, sizeof o->summary_tmp, "%s/.summary.json.%ld.tmp",
           dir, pid);
  snprintf(o->runs, sizeof o->runs, "%s/runs.csv", dir);
  snprintf(o->runs_tmp, sizeof o->runs_tmp, "%s/.runs.csv.%ld.tmp", dir, pid);
  snprintf(o->db, sizeof o->db, "%s/results.db", dir);
  snprintf(o->db_tmp, sizeof o->db_tmp, "%s/.results.db.%ld.tmp", dir, pid);
  const char* start = truce_scenario_start(sc);
  o->has_start = start != NULL;
  o->start_days = start ? truce__date_to_days(start) : 0;
  *out = o;
  return 0;
}

static void date_of(const truce_output* o, int day, char date[11]) {
  date[0] = '\0';
  if (o->has_start) truce__date_from_days(o->start_days + day, date);
}

/* An error (code, "cannot write (why)") whose place is output `file` in
 * the shown directory, not its temporary file. */
static int file_error(truce_output* o, int code, const char* file,
                      const char* why) {
  char path[1100];
  snprintf(path, sizeof path, "%s/%s", o->shown, file);
  return TRUCE_FAIL_AT(o->ctx, code, path, 1, 1, "cannot write (%s)", why);
}

/* A failed write of output `file`, with the OS's reason when there is
 * one. */
static int write_error(truce_output* o, const char* file) {
  return file_error(o, TRUCE_EIO, file,
                    errno ? strerror(errno) : "write error");
}

static int open_daily(truce_output* o, const char* header) {
  o->daily_f = fopen(o->daily_tmp, "w");
  if (!o->daily_f) return write_error(o, "daily.csv");
  fputs(header, o->daily_f);
  return 0;
}

int truce_output_day(truce_output* o, uint64_t run, const truce_day* d) {
  if (!o->daily_f) {
    int rc = open_daily(o,
                        "run,day,date,side,front,pool,training,wounded,"
                        "killed,missing,discharged,inflow,casualties,"
                        "power,equipment,ammunition,territory,"
                        "rounds_fired,drones_fired,casualties_artillery,"
                        "casualties_drones,casualties_assault\n");
    if (rc) return rc;
  }
  o->daily_done = true;
  char date[11];
  date_of(o, d->day, date);
  for (int i = 0; i < 2; i++) {
    const truce_side_state* s = &d->side[i];
    const double v[] = {s->front,
                        s->pool,
                        s->training,
                        s->wounded,
                        s->killed,
                        s->missing,
                        s->discharged,
                        s->inflow,
                        s->casualties,
                        s->power,
                        s->equipment,
                        s->ammunition,
                        s->territory,
                        s->rounds_fired,
                        s->drones_fired,
                        s->casualties_artillery,
                        s->casualties_drones,
                        s->casualties_assault};
    truce__row row;
    truce__row_start(&row, o->daily_f);
    truce__row_num(&row, (double)run);
    truce__row_num(&row, d->day);
    truce__row_str(&row, date);
    truce__row_str(&row, truce_scenario_side_id(o->sc, (size_t)i));
    for (size_t k = 0; k < sizeof v / sizeof v[0]; k++)
      truce__row_num(&row, v[k]);
    if (truce__row_end(&row)) return write_error(o, "daily.csv");
  }
  return 0;
}

int truce_output_run_end(truce_output* o, uint64_t run, const double* values) {
  (void)run;
  if (o->n_runs == o->cap_runs) {
    size_t nc = o->cap_runs ? 2 * o->cap_runs : 64;
    double* n = truce__realloc(o->ctx, o->outcomes,
                               o->cap_runs * OUT_VALS * sizeof(double),
                               nc * OUT_VALS * sizeof(double));
    if (!n) return TRUCE_ENOMEM;
    o->outcomes = n;
    o->cap_runs = nc;
  }
  memcpy(o->outcomes + o->n_runs * OUT_VALS, values, OUT_VALS * sizeof(double));
  o->n_runs++;
  return 0;
}

size_t truce__bands_count(const truce_scenario* sc, const truce_ensemble* e) {
  return (size_t)truce_ensemble_days(e) *
         (2 * truce_series_count() +
          truce_scenario_backer_count(sc) * truce_backer_series_count());
}

int truce__bands_csv(FILE* f, const truce_scenario* sc, const truce_ensemble* e,
                     int step, truce_band* keep) {
  if (fputs("day,date,side,series,n,mean,p05,p25,p50,p75,p95\n", f) == EOF)
    return -1;
  int days = truce_ensemble_days(e);
  const char* start = truce_scenario_start(sc);
  long s0 = start ? truce__date_to_days(start) : 0;
  size_t nb = truce_scenario_backer_count(sc);
  if (step < 1) step = 1;
  truce__row row;
  for (int d = 0; d < days;
       d = d + step < days || d == days - 1 ? d + step : days - 1) {
    char date[11] = "";
    if (start) truce__date_from_days(s0 + d, date);
    for (size_t who = 0; who < 2 + nb; who++) {
      bool side = who < 2;
      size_t nk = side ? truce_series_count() : truce_backer_series_count();
      for (size_t k = 0; k < nk; k++) {
        truce_band b;
        if (side)
          truce_ensemble_band(e, d, who, (int)k, &b);
        else
          truce_ensemble_backer_band(e, d, who - 2, (int)k, &b);
        truce__row_start(&row, f);
        truce__row_num(&row, d);
        truce__row_str(&row, date);
        truce__row_str(&row, side ? truce_scenario_side_id(sc, who)
                                  : truce_scenario_backer_id(sc, who - 2));
        truce__row_str(&row, side ? truce_series_name((int)k)
                                  : truce_backer_series_name((int)k));
        truce__row_num(&row, (double)b.n);
        if (keep) *keep++ = b;
        const double v[6] = {b.mean, b.p05, b.p25, b.p50, b.p75, b.p95};
        for (int j = 0; j < 6; j++) truce__row_num(&row, v[j]);
        if (truce__row_end(&row)) return -1;
      }
    }
  }
  return 0;
}

/* daily.csv's bands, kept for results.db (computed once: ~1% of a run). */
static int write_bands(truce_output* o, const truce_ensemble* e) {
  int rc = open_daily(o, "");
  if (rc) return rc;
  truce__free(o->ctx, o->bands, o->n_bands * sizeof *o->bands); /* a retry */
  o->n_bands = truce__bands_count(o->sc, e);
  o->bands = truce__calloc(o->ctx, o->n_bands, sizeof *o->bands);
  if (!o->bands) {
    o->n_bands = 0;
    return TRUCE_ENOMEM;
  }
  if (truce__bands_csv(o->daily_f, o->sc, e, 1, o->bands))
    return write_error(o, "daily.csv");
  o->daily_done = true;
  return 0;
}

/* A bargaining run column's field of row (as in results.db's
 * bargaining_runs: empty for never, none or NaN). A package's name is
 * written with ';' for ',', '\'' for '"' and blanks for control bytes, so
 * that every row splits on its commas alone (docs/outputs.md). */
static void csv_bargain(truce__row* row, const truce_scenario* sc,
                        const truce_bargain_column* bc, const double* x) {
  double v = x[bc->extra];
  if (bc->kind == TRUCE_BCOL_NUMBER && !isnan(v)) {
    truce__row_num(row, v);
  } else if (bc->kind == TRUCE_BCOL_DAY && v >= 0) {
    truce__row_num(row, (int)v);
  } else if (bc->kind != TRUCE_BCOL_NUMBER && v >= 0) { /* a package */
    char name[200];
    truce_bargain_package_name(sc, (int)v, name, sizeof name);
    for (char* c = name; *c; c++)
      *c = *c == ','                  ? ';'
           : *c == '"'                ? '\''
           : (unsigned char)*c < 0x20 ? ' '
                                      : *c;
    truce__row_str(row, name);
  } else {
    truce__row_str(row, "");
  }
}

static int write_runs(truce_output* o, const truce_ensemble* e) {
  FILE* f = fopen(o->runs_tmp, "w");
  if (!f) return write_error(o, "runs.csv");
  size_t np = truce_scenario_uncertain_count(o->sc);
  fputs("run", f);
  for (size_t j = 0; j < np; j++)
    fprintf(f, ",%s", truce_scenario_uncertain_path(o->sc, j));
  const size_t nout = truce_outcome_count();
  for (size_t i = 0; i < 2; i++)
    for (size_t c = 0; c < nout; c++)
      fprintf(f, ",%s.%s", truce_scenario_side_id(o->sc, i),
              truce_outcome(c)->name);
  size_t nb = truce_scenario_backer_count(o->sc);
  for (size_t b = 0; b < nb; b++)
    fprintf(f, ",%s.committed_total,%s.delivered_total,%s.longest_gap_days",
            truce_scenario_backer_id(o->sc, b),
            truce_scenario_backer_id(o->sc, b),
            truce_scenario_backer_id(o->sc, b));
  const size_t nbc =
      truce_scenario_has_negotiation(o->sc) && truce_ensemble_extras(e, 0)
          ? truce_bargain_column_count()
          : 0;
  for (size_t k = 0; k < nbc; k++)
    fprintf(f, ",bargaining.%s", truce_bargain_column_at(k)->name);
  fputc('\n', f);
  int rc = 0;
  double* oc = truce__calloc(o->ctx, 2 * nout + 1, sizeof(double));
  if (!oc) rc = TRUCE_ENOMEM;
  truce__row row;
  int why = 0; /* errno of a failed row */
  for (uint64_t r = 0; r < truce_ensemble_runs(e) && !rc; r++) {
    const double* pv = truce_ensemble_params(e, r);
    truce__row_start(&row, f);
    truce__row_num(&row, (double)r);
    for (size_t j = 0; j < np; j++) truce__row_num(&row, pv[j]);
    for (size_t i = 0; i < 2; i++)
      for (size_t c = 0; c < nout; c++) {
        double x = truce_ensemble_outcome_value(e, r, i, c);
        oc[i * nout + c] = x;
        if (!truce_outcome(c)->is_day)
          truce__row_num(&row, x);
        else if (isnan(x))
          truce__row_str(&row, "");
        else
          truce__row_num(&row, (int)x);
      }
    for (size_t b = 0; b < nb; b++) {
      truce_backer_outcome bo;
      truce_ensemble_backer_outcome(e, r, b, &bo);
      truce__row_num(&row, bo.committed_total);
      truce__row_num(&row, bo.delivered_total);
      truce__row_num(&row, bo.longest_gap_days);
    }
    for (size_t k = 0; k < nbc; k++)
      csv_bargain(&row, o->sc, truce_bargain_column_at(k),
                  truce_ensemble_extras(e, r));
    if (truce__row_end(&row)) {
      rc = TRUCE_EIO;
      why = errno;
    }
    if (!rc) rc = truce_output_run_end(o, r, oc);
  }
  truce__free(o->ctx, oc, (2 * nout + 1) * sizeof(double));
  errno = 0;
  if (ferror(f) && !rc) rc = TRUCE_EIO;
  if (fclose(f) != 0 && !rc) rc = TRUCE_EIO;
  if (why) errno = why; /* the row's failure, not fclose's */
  if (rc == TRUCE_EIO) return write_error(o, "runs.csv");
  o->runs_done = true;
  return rc;
}

int truce_output_ensemble(truce_output* o, const truce_ensemble* e) {
  if (!o || !e) return TRUCE_EINVAL;
  o->ens = e;
  int rc = o->daily_done ? 0 : write_bands(o, e);
  return rc ? rc : write_runs(o, e);
}

/* --------------------------------------------------------- JSON writer */

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static int
jprintf(truce_output* o, const char* fmt, ...) {
  for (;;) {
    va_list ap;
    va_start(ap, fmt);
    size_t room = o->json_cap - o->json_len;
    int n = vsnprintf(o->json ? o->json + o->json_len : NULL, room, fmt, ap);
    va_end(ap);
    if (n < 0) return TRUCE_FAIL(o->ctx, TRUCE_EINTERNAL, "format error");
    if ((size_t)n < room) {
      o->json_len += (size_t)n;
      return 0;
    }
    size_t nc = (o->json_cap ? o->json_cap * 2 : 4096) + (size_t)n;
    char* nj = truce__realloc(o->ctx, o->json, o->json_cap, nc);
    if (!nj) return TRUCE_ENOMEM;
    o->json = nj;
    o->json_cap = nc;
  }
}

static int jstr(truce_output* o, const char* s) {
  if (!s) return jprintf(o, "null");
  int rc = jprintf(o, "\"");
  for (; *s && !rc; s++) {
    unsigned char c = (unsigned char)*s;
    if (c == '"' || c == '\\')
      rc = jprintf(o, "\\%c", c);
    else if (c < 0x20)
      rc = jprintf(o, "\\u%04x", c);
    else
      rc = jprintf(o, "%c", c);
  }
  return rc ? rc : jprintf(o, "\"");
}

static int jnum(truce_output* o, double v) {
  if (!isfinite(v)) return jprintf(o, "null");
  return jprintf(o, "%.12g", v);
}

/* ,\n    "name": [[1, v1], [2, v2], ...] (months from 1), then
 * "name_se": the same with each share's Monte Carlo standard error over
 * `runs` runs (truce_share_se). */
static int month_series(truce_output* o, const char* name, const double* v,
                        int months, uint64_t runs) {
  int rc = 0;
  for (int se = 0; se < 2 && !rc; se++) {
    rc = jprintf(o, ",\n    \"%s%s\": [", name, se ? "_se" : "");
    for (int m = 0; m < months && !rc; m++) {
      rc = jprintf(o, "%s[%d, ", m ? ", " : "", m + 1);
      if (!rc) rc = jnum(o, se ? truce_share_se(v[m], runs) : v[m]);
      if (!rc) rc = jprintf(o, "]");
    }
    if (!rc) rc = jprintf(o, "]");
  }
  return rc;
}

/* , "name": p, "name_se": its standard error over n runs */
static int jshare(truce_output* o, const char* name, double p, uint64_t n) {
  int rc = jprintf(o, ", \"%s\": ", name);
  if (!rc) rc = jnum(o, p);
  if (!rc) rc = jprintf(o, ", \"%s_se\": ", name);
  return rc ? rc : jnum(o, truce_share_se(p, n));
}

/* {mean, p05, p25, p50, p75, p95} of x[0..n) (sorted in place). */
static int jquant(truce_output* o, double* x, size_t n) {
  if (n == 0)
    return jprintf(o,
                   "{\"mean\": null, \"p05\": null, \"p25\": null, "
                   "\"p50\": null, \"p75\": null, \"p95\": null}");
  gsl_sort(x, 1, n);
  int rc = jprintf(o, "{\"mean\": ");
  if (!rc) rc = jnum(o, gsl_stats_mean(x, 1, n));
  static const double qs[] = {0.05, 0.25, 0.5, 0.75, 0.95};
  static const char* const qn[] = {"p05", "p25", "p50", "p75", "p95"};
  for (int i = 0; i < 5 && !rc; i++) {
    rc = jprintf(o, ", \"%s\": ", qn[i]);
    if (!rc) rc = jnum(o, gsl_stats_quantile_from_sorted_data(x, 1, n, qs[i]));
  }
  return rc ? rc : jprintf(o, "}");
}

static int write_backers(truce_output* o) {
  size_t nb = truce_scenario_backer_count(o->sc);
  uint64_t R = truce_ensemble_runs(o->ens);
  double* tmp = truce__calloc(o->ctx, R, sizeof(double));
  if (!tmp) return TRUCE_ENOMEM;
  int rc = jprintf(o, "  \"backers\": {\n");
  static const char* const names[] = {"committed_total", "delivered_total",
                                      "longest_gap_days", "packages"};
  for (size_t b = 0; b < nb && !rc; b++) {
    rc = jprintf(o, "    ");
    if (!rc) rc = jstr(o, truce_scenario_backer_id(o->sc, b));
    if (!rc) rc = jprintf(o, ": {\"supports\": ");
    if (!rc)
      rc = jstr(o, truce_scenario_side_id(
                       o->sc, truce_scenario_backer_side(o->sc, b)));
    for (int k = 0; k < 4 && !rc; k++) {
      for (uint64_t r = 0; r < R; r++) {
        truce_backer_outcome bo;
        truce_ensemble_backer_outcome(o->ens, r, b, &bo);
        tmp[r] = k == 0   ? bo.committed_total
                 : k == 1 ? bo.delivered_total
                 : k == 2 ? bo.longest_gap_days
                          : bo.packages;
      }
      rc = jprintf(o, ",\n      \"%s\": ", names[k]);
      if (!rc) rc = jquant(o, tmp, R);
    }
    if (!rc) rc = jprintf(o, "}%s\n", b + 1 < nb ? "," : "");
  }
  truce__free(o->ctx, tmp, R * sizeof(double));
  return rc ? rc : jprintf(o, "  },\n");
}

/* Talks: P(agreement by month), the agreed terms, the ceasefire's
 * durability (docs/bargaining.md, "From a range to an agreement"). */
static int write_agreement(truce_output* o, const truce_bargain_summary* b) {
  int rc = month_series(o, "p_agree_by_month", b->p_agree_by_month, b->months,
                        b->runs);
  uint64_t agreed = (uint64_t)llround(b->agree_fraction * (double)b->runs);
  if (!rc) rc = jprintf(o, ",\n    \"agreement\": {\"fraction\": ");
  if (!rc) rc = jnum(o, b->agree_fraction);
  if (!rc) rc = jprintf(o, ", \"fraction_se\": ");
  if (!rc) rc = jnum(o, truce_share_se(b->agree_fraction, b->runs));
  if (!rc) rc = jshare(o, "p_holds_30_days", b->p_hold_30, agreed);
  if (!rc) rc = jshare(o, "p_holds_180_days", b->p_hold_180, agreed);
  if (!rc) rc = jprintf(o, ", \"terms\": [");
  for (int k = 0; k < b->n_terms && !rc; k++) {
    char name[200];
    truce_bargain_package_name(o->sc, b->terms_combo[k], name, sizeof name);
    rc = jprintf(o, "%s{\"package\": ", k ? ", " : "");
    if (!rc) rc = jstr(o, name);
    if (!rc) rc = jprintf(o, ", \"share\": ");
    if (!rc) rc = jnum(o, b->terms_share[k]);
    if (!rc) rc = jprintf(o, ", \"territory_median\": ");
    if (!rc) rc = jnum(o, b->terms_x_median[k]);
    if (!rc) rc = jprintf(o, "}");
  }
  if (!rc) rc = jprintf(o, "], \"territory\": {");
  static const char* const qn[] = {"p05", "p25", "p50", "p75", "p95"};
  for (int q = 0; q < 5 && !rc; q++) {
    rc = jprintf(o, "%s\"%s\": ", q ? ", " : "", qn[q]);
    if (!rc) rc = jnum(o, b->agree_x_q[q]);
  }
  return rc ? rc : jprintf(o, "}}");
}

static int write_bargaining(truce_output* o) {
  truce_bargain_summary b;
  int rc = truce_bargain_summarise(o->ctx, o->sc, o->ens, &b);
  if (rc) return rc;
  rc = jprintf(o, "  \"bargaining\": {\n    \"window_open_day\": {\"mean\": ");
  if (!rc) rc = jnum(o, b.open_mean);
  static const char* const qn[] = {"p05", "p25", "p50", "p75", "p95"};
  for (int q = 0; q < 5 && !rc; q++) {
    rc = jprintf(o, ", \"%s\": ", qn[q]);
    if (!rc) rc = jnum(o, b.open_q[q]);
  }
  if (!rc) rc = jshare(o, "never_fraction", b.never_fraction, b.runs);
  if (!rc) rc = jprintf(o, "}");
  if (!rc)
    rc =
        month_series(o, "p_open_by_month", b.p_open_by_month, b.months, b.runs);
  if (!rc)
    rc =
        month_series(o, "p_open_at_month", b.p_open_at_month, b.months, b.runs);
  if (!rc)
    rc =
        month_series(o, "p_ripe_by_month", b.p_ripe_by_month, b.months, b.runs);
  if (!rc) rc = jprintf(o, ",\n    \"top_packages\": [");
  for (int k = 0; k < b.n_top && !rc; k++) {
    char name[200];
    truce_bargain_package_name(o->sc, b.top_combo[k], name, sizeof name);
    rc = jprintf(o, "%s{\"package\": ", k ? ", " : "");
    if (!rc) rc = jstr(o, name);
    if (!rc) rc = jprintf(o, ", \"share_acceptable_to_both\": ");
    if (!rc) rc = jnum(o, b.top_share[k]);
    if (!rc) rc = jprintf(o, "}");
  }
  if (!rc) rc = jprintf(o, "],\n    \"nash_package\": ");
  if (!rc && b.nash_combo >= 0) {
    char name[200];
    truce_bargain_package_name(o->sc, b.nash_combo, name, sizeof name);
    rc = jprintf(o, "{\"package\": ");
    if (!rc) rc = jstr(o, name);
    if (!rc) rc = jprintf(o, ", \"share\": ");
    if (!rc) rc = jnum(o, b.nash_share);
    if (!rc) rc = jprintf(o, ", \"territory_median\": ");
    if (!rc) rc = jnum(o, b.nash_x_median);
    if (!rc) rc = jprintf(o, "}");
  } else if (!rc) {
    rc = jprintf(o, "null");
  }
  if (!rc) rc = jprintf(o, ",\n    \"belief_gap\": {\"first\": ");
  if (!rc) rc = jnum(o, b.gap_first);
  if (!rc) rc = jprintf(o, ", \"last\": ");
  if (!rc) rc = jnum(o, b.gap_last);
  if (!rc) rc = jprintf(o, "}");
  if (!rc && b.talks) rc = write_agreement(o, &b);
  return rc ? rc : jprintf(o, "\n  },\n");
}

/* "warnings": the sanity diagnostics (truce/warn.h), [] when none. */
static int write_warnings(truce_output* o) {
  truce_warning w[2 * TRUCE_WARN_KINDS];
  size_t n = truce_ensemble_warnings(o->sc, o->ens, w, sizeof w / sizeof *w);
  if (n > sizeof w / sizeof *w) n = sizeof w / sizeof *w;
  int rc = jprintf(o, "  \"warnings\": [");
  for (size_t i = 0; i < n && !rc; i++) {
    rc = jprintf(o, "%s\n    {\"code\": ", i ? "," : "");
    if (!rc) rc = jstr(o, w[i].code);
    if (!rc) rc = jprintf(o, ", \"message\": ");
    if (!rc) rc = jstr(o, w[i].message);
    if (!rc) rc = jprintf(o, ", \"share\": ");
    if (!rc) rc = jnum(o, w[i].share);
    if (!rc) rc = jprintf(o, "}");
  }
  return rc ? rc : jprintf(o, "%s],\n", n ? "\n  " : "");
}

static int write_side(truce_output* o, int i, double* tmp) {
  size_t n = o->n_runs, nout = truce_outcome_count();
  const double* v = o->outcomes + (size_t)i * nout;
  int rc = jprintf(o, "    ");
  if (!rc) rc = jstr(o, truce_scenario_side_id(o->sc, (size_t)i));
  if (!rc) rc = jprintf(o, ": {\n      ");
  for (size_t k = 0; k < nout && !rc; k++) {
    const truce_outcome_info* oi = truce_outcome(k);
    if (k > 0) rc = jprintf(o, ",\n      ");
    if (!rc) rc = jprintf(o, "\"%s\": ", oi->name);
    if (rc) break;
    if (n == 1) { /* the value itself; null for a day that never came */
      rc = isnan(v[k]) ? jprintf(o, "null") : jnum(o, v[k]);
      continue;
    }
    size_t m = 0, never = 0;
    for (size_t r = 0; r < n; r++) {
      double x = v[r * OUT_VALS + k];
      if (isnan(x))
        never++;
      else
        tmp[m++] = x;
    }
    rc = jquant(o, tmp, m);
    if (!rc && oi->is_day) {
      o->json_len--; /* reopen the object to add never_fraction */
      rc = jshare(o, "never_fraction", (double)never / (double)n, n);
      if (!rc) rc = jprintf(o, "}");
    }
  }
  return rc ? rc : jprintf(o, "\n    }");
}

/* [", "]"KEY": "VALUE" */
static int jpair(truce_output* o, bool first, const char* k, const char* v) {
  int rc = jprintf(o, first ? "" : ", ");
  if (!rc) rc = jstr(o, k);
  if (!rc) rc = jprintf(o, ": ");
  return rc ? rc : jstr(o, v);
}

/* "names": the display names of sides, backers and options (the ids when
 * the scenario gives none), for the report. */
static int write_names(truce_output* o) {
  const truce_scenario* sc = o->sc;
  int rc = jprintf(o, "  \"names\": {\"sides\": {");
  for (size_t i = 0; i < 2 && !rc; i++)
    rc = jpair(o, !i, truce_scenario_side_id(sc, i),
               truce_scenario_side_name(sc, i));
  if (!rc) rc = jprintf(o, "}, \"backers\": {");
  for (size_t b = 0; b < truce_scenario_backer_count(sc) && !rc; b++)
    rc = jpair(o, !b, truce_scenario_backer_id(sc, b),
               truce_scenario_backer_name(sc, b));
  if (!rc) rc = jprintf(o, "}, \"options\": {");
  for (size_t k = 0; k < truce_scenario_issue_count(sc) && !rc; k++) {
    rc = jprintf(o, k ? ", " : "");
    if (!rc) rc = jstr(o, truce_scenario_issue_id(sc, k));
    if (!rc) rc = jprintf(o, ": {");
    for (size_t i = 0; i < truce_scenario_option_count(sc, k) && !rc; i++)
      rc = jpair(o, !i, truce_scenario_option_id(sc, k, i),
                 truce_scenario_option_name(sc, k, i));
    if (!rc) rc = jprintf(o, "}");
  }
  return rc ? rc : jprintf(o, "}},\n");
}

static int build_summary(truce_output* o, const truce_run_meta* m) {
  const truce_scenario* sc = o->sc;
  int rc = jprintf(o, "{\n  \"truce_version\": ");
  if (!rc) rc = jstr(o, truce_version());
  if (!rc) rc = jprintf(o, ",\n  \"scenario\": ");
  if (!rc) rc = jstr(o, truce_scenario_name(sc));
  if (!rc) rc = jprintf(o, ",\n  \"scenario_file\": ");
  if (!rc) rc = jstr(o, truce_scenario_file(sc));
  if (!rc) rc = jprintf(o, ",\n  \"scenario_sha256\": ");
  if (!rc) rc = jstr(o, truce_scenario_sha256(sc));
  if (!rc)
    rc = jprintf(o,
                 ",\n  \"seed\": %llu,\n  \"runs\": %llu,\n  \"days\": %d,"
                 "\n  \"time_step\": %.12g,\n  \"mode\": \"%s\","
                 "\n  \"law\": \"%s\",\n  \"start\": ",
                 (unsigned long long)m->seed, (unsigned long long)m->runs,
                 truce_scenario_horizon_days(sc), truce_scenario_time_step(sc),
                 m->deterministic ? "deterministic" : "stochastic",
                 truce_scenario_law_name(sc));
  if (!rc) rc = jstr(o, truce_scenario_start(sc));
  if (!rc) rc = jprintf(o, ",\n  \"command_line\": ");
  if (!rc) rc = jstr(o, m->command_line);
  if (!rc) rc = jprintf(o, ",\n  \"overrides\": [");
  for (size_t i = 0; i < truce_scenario_override_count(sc) && !rc; i++) {
    if (i) rc = jprintf(o, ", ");
    if (!rc) rc = jstr(o, truce_scenario_override(sc, i));
  }
  if (!rc) rc = jprintf(o, "],\n");
  if (!rc) rc = write_names(o);
  if (!rc) rc = jprintf(o, "  \"sides\": {\n");
  double* tmp =
      truce__calloc(o->ctx, o->n_runs ? o->n_runs : 1, sizeof(double));
  if (!tmp) return TRUCE_ENOMEM;
  for (int i = 0; i < 2 && !rc; i++) {
    rc = write_side(o, i, tmp);
    if (!rc) rc = jprintf(o, i == 0 ? ",\n" : "\n");
  }
  truce__free(o->ctx, tmp, (o->n_runs ? o->n_runs : 1) * sizeof(double));
  if (!rc) rc = jprintf(o, "  },\n");
  if (!rc && o->ens) {
    rc = jprintf(o, "  \"stalemate_share\": [");
    for (int d = 0; d < truce_ensemble_days(o->ens) && !rc; d++) {
      rc = jprintf(o, d ? ", " : "");
      if (!rc) rc = jnum(o, truce_ensemble_stalemate(o->ens, d));
    }
    if (!rc) rc = jprintf(o, "],\n");
  }
  if (!rc && o->ens && truce_scenario_backer_count(o->sc))
    rc = write_backers(o);
  if (!rc && o->ens && truce_scenario_has_negotiation(o->sc) &&
      truce_ensemble_extras(o->ens, 0))
    rc = write_bargaining(o);
  if (!rc && o->ens) rc = write_warnings(o);
  if (!rc)
    rc = jprintf(o, "  \"execution\": {\"threads\": %d, \"ranks\": %d},\n",
                 m->threads, m->ranks);
  if (!rc) rc = jprintf(o, "  \"assumptions\": [");
  size_t np = truce_scenario_provenance_count(sc);
  for (size_t i = 0; i < np && !rc; i++) {
    const truce_provenance* p = truce_scenario_provenance(sc, i);
    rc = jprintf(o, "%s\n    {\"path\": ", i ? "," : "");
    if (!rc) rc = jstr(o, p->path);
    if (!rc) rc = jprintf(o, ", \"value\": ");
    if (!rc) rc = jnum(o, p->value);
    if (!rc && p->label) rc = jprintf(o, ", \"label\": ");
    if (!rc && p->label) rc = jstr(o, p->label);
    if (!rc) rc = jprintf(o, ", \"unit\": ");
    if (!rc) rc = jstr(o, p->unit);
    if (!rc) rc = jprintf(o, ", \"source\": ");
    if (!rc) rc = jstr(o, p->source);
    if (!rc) rc = jprintf(o, ", \"claimant\": ");
    if (!rc) rc = jstr(o, p->claimant);
    if (!rc) rc = jprintf(o, ", \"date\": ");
    if (!rc) rc = jstr(o, p->date);
    if (!rc) rc = jprintf(o, ", \"distribution\": ");
    if (!rc) rc = jstr(o, p->distribution);
    if (!rc) rc = jprintf(o, ", \"line\": %d}", p->line);
  }
  return rc ? rc : jprintf(o, "\n  ]\n}\n");
}

int truce__output_summary(truce_ctx* ctx, const truce_scenario* sc,
                          const truce_ensemble* e, const truce_run_meta* m,
                          char** json, size_t* len, size_t* cap) {
  truce_output o = {.ctx = ctx, .sc = sc, .ens = e};
  const size_t nout = truce_outcome_count();
  double* oc = truce__calloc(ctx, OUT_VALS, sizeof(double));
  int rc = oc ? 0 : TRUCE_ENOMEM;
  for (uint64_t r = 0; r < truce_ensemble_runs(e) && !rc; r++) {
    for (size_t i = 0; i < 2; i++)
      for (size_t c = 0; c < nout; c++)
        oc[i * nout + c] = truce_ensemble_outcome_value(e, r, i, c);
    rc = truce_output_run_end(&o, r, oc);
  }
  truce__free(ctx, oc, OUT_VALS * sizeof(double));
  if (!rc) rc = build_summary(&o, m);
  truce__free(ctx, o.outcomes, o.cap_runs * OUT_VALS * sizeof(double));
  if (rc) {
    truce__free(ctx, o.json, o.json_cap);
    return rc;
  }
  *json = o.json;
  *len = o.json_len;
  *cap = o.json_cap;
  return 0;
}

int truce_output_commit(truce_output* o, const truce_run_meta* m) {
  if (!o || !m) return TRUCE_EINVAL;
  if (o->n_runs == 0)
    return TRUCE_FAIL(o->ctx, TRUCE_EINVAL, "no run was recorded");
  int rc = build_summary(o, m);
  if (rc) return rc;
  FILE* f = fopen(o->summary_tmp, "w");
  if (!f) return write_error(o, "summary.json");
  errno = 0;
  size_t w = fwrite(o->json, 1, o->json_len, f);
  if (fclose(f) != 0 || w != o->json_len) return write_error(o, "summary.json");
  if (o->daily_f) {
    errno = 0;
    int e = ferror(o->daily_f) | fclose(o->daily_f);
    o->daily_f = NULL;
    if (e != 0) return write_error(o, "daily.csv");
  }
  if (o->ens && (rc = truce__store_write(o->ctx, o->db_tmp, o->sc, o->ens, m,
                                         o->bands, o->n_bands))) {
    char why[512]; /* name results.db, not its temporary file */
    snprintf(why, sizeof why, "%s", truce_ctx_message(o->ctx));
    return file_error(o, rc, "results.db", why);
  }
  if ((o->daily_done && rename(o->daily_tmp, o->daily) != 0) ||
      (o->runs_done && rename(o->runs_tmp, o->runs) != 0) ||
      (o->ens && rename(o->db_tmp, o->db) != 0) ||
      rename(o->summary_tmp, o->summary) != 0)
    return TRUCE_FAIL(o->ctx, TRUCE_EIO, "cannot rename outputs into '%s': %s",
                      o->shown, strerror(errno));
  o->committed = true;
  return 0;
}

const char* truce_output_summary_json(const truce_output* o) {
  return o && o->committed ? o->json : NULL;
}

void truce_output_free(truce_output* o) {
  if (!o) return;
  if (o->daily_f) fclose(o->daily_f);
  if (!o->committed) {
    remove(o->daily_tmp);
    remove(o->summary_tmp);
    remove(o->runs_tmp);
    remove(o->db_tmp);
  }
  truce__free(o->ctx, o->outcomes, o->cap_runs * OUT_VALS * sizeof(double));
  truce__free(o->ctx, o->json, o->json_cap);
  truce__free(o->ctx, o->bands, o->n_bands * sizeof *o->bands);
  truce__free(o->ctx, o, sizeof *o);
}
