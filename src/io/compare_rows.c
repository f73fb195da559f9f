/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The outcome rows of truce compare, each with a confidence interval of
 * B - A (docs/outputs.md, "truce compare"), from the tables that declare
 * them: the per-run outcomes (truce_outcome), the daily series
 * (truce_series), the backers' per-run totals and the bargaining store's
 * per-run columns (the tables below).
 *
 * - a mean or a share of runs: the normal interval of the mean
 *   difference; paired (run r of A against run r of B, the same random
 *   numbers) when the runs share seed and count, else Welch's standard
 *   error sqrt(s_A^2/n_A + s_B^2/n_B);
 * - a median of per-run values: each median's distribution-free interval
 *   (order statistics n/2 -+ z sqrt(n)/2) read as a standard error, the
 *   two combined unpaired (conservative for paired runs);
 * - a median of a daily band (no per-run values in the store): the
 *   normal-theory standard error 1.2533 sigma / sqrt(n), sigma the
 *   interquartile range / 1.349;
 * - a share with no per-run values (a range open at a month): binomial.
 */
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "compare_int.h"

#define Z95 1.959963984540054
#define MONTH_DAYS 30.436875 /* docs/bargaining.md's month */

typedef enum { ST_MEAN, ST_SHARE_BY, ST_NEVER, ST_MEDIAN } stat_kind;

static truce_unit unit_of(const char* u) {
  return !strcmp(u, "share")   ? TRUCE_UNIT_SHARE
         : !strcmp(u, "day")   ? TRUCE_UNIT_DAY
         : !strcmp(u, "money") ? TRUCE_UNIT_MONEY
                               : TRUCE_UNIT_COUNT;
}

/* Store i's per-run values of `sql` (rows: run, value; NULL is NAN), by
 * run; NULL when out of memory (k->rc set). */
static double* per_run(truce__cmp* k, int i, const char* sql, const char* arg) {
  uint64_t n = k->s[i].runs;
  double* v = truce__malloc(k->ctx, (n ? n : 1) * sizeof *v);
  if (!v) {
    k->rc = TRUCE_ENOMEM;
    return NULL;
  }
  for (uint64_t r = 0; r < n; r++) v[r] = (double)NAN;
  sqlite3_stmt* st;
  if (sqlite3_prepare_v2(k->s[i].db, sql, -1, &st, NULL) != SQLITE_OK) return v;
  if (arg) sqlite3_bind_text(st, 1, arg, -1, SQLITE_TRANSIENT);
  while (sqlite3_step(st) == SQLITE_ROW) {
    sqlite3_int64 r = sqlite3_column_int64(st, 0);
    if (r >= 0 && (uint64_t)r < n && sqlite3_column_type(st, 1) != SQLITE_NULL)
      v[r] = sqlite3_column_double(st, 1);
  }
  sqlite3_finalize(st);
  return v;
}

/* A run's value under the statistic: itself, or 0/1 for a share. */
static double term(stat_kind s, double x, double v) {
  switch (s) {
    case ST_SHARE_BY: return !isnan(v) && v <= x;
    case ST_NEVER: return isnan(v);
    default: return v;
  }
}

/* Mean and variance of the statistic's terms (NAN terms left out). */
static void moments(stat_kind s, double x, const double* v, uint64_t n,
                    double* mean, double* var, double* cnt) {
  double sum = 0, sq = 0, m = 0;
  for (uint64_t r = 0; r < n; r++) {
    double t = term(s, x, v[r]);
    if (isnan(t)) continue;
    sum += t;
    m++;
  }
  *mean = m > 0 ? sum / m : (double)NAN;
  for (uint64_t r = 0; r < n; r++) {
    double t = term(s, x, v[r]);
    if (!isnan(t)) sq += (t - *mean) * (t - *mean);
  }
  *var = m > 1 ? sq / (m - 1) : (double)NAN;
  *cnt = m;
}

/* A mean or share: the two values and the standard error of B - A. */
static void mean_row(truce__cmp* k, stat_kind s, double x, const double* a,
                     const double* b, double out[3]) {
  double va, vb, na, nb;
  moments(s, x, a, k->s[0].runs, &out[0], &va, &na);
  moments(s, x, b, k->s[1].runs, &out[1], &vb, &nb);
  out[2] = sqrt(va / na + vb / nb);
  if (!k->c->paired) return;
  /* paired: the mean and variance of the run-by-run differences */
  double sum = 0, sq = 0, m = 0;
  for (int pass = 0; pass < 2; pass++)
    for (uint64_t r = 0; r < k->s[0].runs; r++) {
      double d = term(s, x, b[r]) - term(s, x, a[r]);
      if (isnan(d)) continue;
      if (pass == 0) {
        sum += d;
        m++;
      } else {
        sq += (d - sum / m) * (d - sum / m);
      }
    }
  out[2] = m > 1 ? sqrt(sq / (m - 1) / m) : (double)NAN;
}

/* Median of v's finite values and its standard error; scratch: n. */
static void median_se(const double* v, uint64_t n, double* scratch, double* med,
                      double* se) {
  size_t m = 0;
  for (uint64_t r = 0; r < n; r++)
    if (isfinite(v[r])) scratch[m++] = v[r];
  *med = *se = (double)NAN;
  if (!m) return;
  gsl_sort(scratch, 1, m);
  *med = gsl_stats_median_from_sorted_data(scratch, 1, m);
  if (m < 2) return;
  double h = Z95 * sqrt((double)m) / 2;
  double lo = floor((double)m / 2 - h), hi = ceil((double)m / 2 + h);
  size_t l = lo < 0 ? 0 : (size_t)lo;
  size_t u = hi > (double)(m - 1) ? m - 1 : (size_t)hi;
  *se = (scratch[u] - scratch[l]) / (2 * Z95);
}

/* One row of per-run values: `sql` (run, value) in both stores. */
static void row(truce__cmp* k, const char* what, truce_unit u, stat_kind s,
                double x, const char* sql, const char* arg) {
  double* a = per_run(k, 0, sql, arg);
  double* b = per_run(k, 1, sql, arg);
  uint64_t n = k->s[0].runs > k->s[1].runs ? k->s[0].runs : k->s[1].runs;
  double* w = a && b ? truce__malloc(k->ctx, (n ? n : 1) * sizeof *w) : NULL;
  if (!w && !k->rc) k->rc = TRUCE_ENOMEM;
  if (!k->rc && s == ST_MEDIAN) {
    double ma, mb, sa, sb;
    median_se(a, k->s[0].runs, w, &ma, &sa);
    median_se(b, k->s[1].runs, w, &mb, &sb);
    truce__cmp_shift(k, what, u, ma, mb, sqrt(sa * sa + sb * sb), false);
  } else if (!k->rc) {
    double v[3];
    mean_row(k, s, x, a, b, v);
    truce__cmp_shift(k, what, u, v[0], v[1], v[2], k->c->paired);
  }
  truce__free(k->ctx, a, (k->s[0].runs ? k->s[0].runs : 1) * sizeof *a);
  truce__free(k->ctx, b, (k->s[1].runs ? k->s[1].runs : 1) * sizeof *b);
  truce__free(k->ctx, w, (n ? n : 1) * sizeof *w);
}

/* The days a share "by day" is given for: 182, 365 and the horizon. */
static int checkpoints(int horizon, int out[3]) {
  int n = 0;
  static const int at[] = {182, 365};
  for (int i = 0; i < 2; i++)
    if (at[i] < horizon) out[n++] = at[i];
  out[n++] = horizon;
  return n;
}

/* Per side in both runs: every outcome of the outcome table, and the
 * median of every series of the series table at the horizon. */
static void side_rows(truce__cmp* k, const char* side) {
  char what[128], sql[256];
  int at[3], nat = checkpoints(k->c->horizon, at);
  for (size_t o = 0; o < truce_outcome_count() && !k->rc; o++) {
    const truce_outcome_info* oi = truce_outcome(o);
    snprintf(sql, sizeof sql, "select run, %s from runs where side = ?1",
             oi->name);
    if (!oi->is_day) {
      snprintf(what, sizeof what, "%s: mean %s", side, oi->name);
      row(k, what, unit_of(oi->unit), ST_MEAN, 0, sql, side);
      snprintf(what, sizeof what, "%s: median %s", side, oi->name);
      row(k, what, unit_of(oi->unit), ST_MEDIAN, 0, sql, side);
      continue;
    }
    for (int j = 0; j < nat; j++) {
      snprintf(what, sizeof what, "%s: %s by day %d (share of runs)", side,
               oi->name, at[j]);
      row(k, what, TRUCE_UNIT_SHARE, ST_SHARE_BY, at[j], sql, side);
    }
    snprintf(what, sizeof what, "%s: median %s (runs where it came)", side,
             oi->name);
    row(k, what, TRUCE_UNIT_DAY, ST_MEDIAN, 0, sql, side);
  }
  for (size_t s = 0; s < truce_series_count() && !k->rc; s++) {
    const truce_series_info* si = truce_series(s);
    snprintf(sql, sizeof sql,
             "select p50, p25, p75, n from daily where side = ?1 and series = "
             "'%s' and day = %d",
             si->name, k->c->horizon);
    double v[2], se2 = 0;
    for (int i = 0; i < 2; i++) {
      sqlite3_stmt* st;
      v[i] = (double)NAN;
      if (sqlite3_prepare_v2(k->s[i].db, sql, -1, &st, NULL) != SQLITE_OK)
        continue;
      sqlite3_bind_text(st, 1, side, -1, SQLITE_TRANSIENT);
      if (sqlite3_step(st) == SQLITE_ROW &&
          sqlite3_column_type(st, 0) != SQLITE_NULL) {
        v[i] = sqlite3_column_double(st, 0);
        double iqr =
            sqlite3_column_double(st, 2) - sqlite3_column_double(st, 1);
        double n = sqlite3_column_double(st, 3);
        double se = n > 1 ? 1.2533 * iqr / 1.349 / sqrt(n) : (double)NAN;
        se2 += se * se;
      }
      sqlite3_finalize(st);
    }
    if (!(v[0] != 0 || v[1] != 0)) continue; /* both zero or absent */
    snprintf(what, sizeof what, "%s: median %s on day %d", side, si->name,
             k->c->horizon);
    truce__cmp_shift(k, what, unit_of(si->unit), v[0], v[1], sqrt(se2), false);
  }
}

/* The backers' per-run totals compared (their means). */
static const struct {
  const char* col;
  truce_unit unit;
} backer_cols[] = {{"committed_total", TRUCE_UNIT_MONEY},
                   {"delivered_total", TRUCE_UNIT_MONEY}};

/* The bargaining store's per-run columns compared; a column absent from
 * either store is left out. %d in `what`: the month. */
static const struct {
  const char* col;
  stat_kind kind;
  truce_unit unit;
  const char* what;
} bargain_cols[] = {
    {"open_day", ST_SHARE_BY, TRUCE_UNIT_SHARE,
     "a bargaining range has opened by month %d"},
    {"open_day", ST_NEVER, TRUCE_UNIT_SHARE,
     "share of runs where it never opens"},
    {"open_day", ST_MEDIAN, TRUCE_UNIT_DAY,
     "median day the range opens (runs where it does)"},
    {"nash_territory", ST_MEDIAN, TRUCE_UNIT_SHARE,
     "median Nash line (side 0's share) at opening"},
    {"agree_day", ST_SHARE_BY, TRUCE_UNIT_SHARE, "agreement by month %d"},
    {"agree_day", ST_NEVER, TRUCE_UNIT_SHARE,
     "share of runs with no agreement"},
    {"agree_territory", ST_MEDIAN, TRUCE_UNIT_SHARE,
     "median agreed line (side 0's share)"},
};

static bool has_column(sqlite3* db, const char* table, const char* col) {
  char sql[200];
  snprintf(sql, sizeof sql,
           "select count(*) from pragma_table_info('%s') where name = '%s'",
           table, col);
  return truce__cmp_one(db, sql, NULL) > 0;
}

static void bargaining_rows(truce__cmp* k) {
  static const char* const any = "select count(*) from bargaining_runs";
  if (!(truce__cmp_one(k->s[0].db, any, NULL) > 0) ||
      !(truce__cmp_one(k->s[1].db, any, NULL) > 0))
    return;
  static const int months[] = {1, 3, 6, 12, 24};
  char what[128], sql[200];
  for (size_t j = 0; j < sizeof bargain_cols / sizeof *bargain_cols; j++) {
    if (!has_column(k->s[0].db, "bargaining_runs", bargain_cols[j].col) ||
        !has_column(k->s[1].db, "bargaining_runs", bargain_cols[j].col))
      continue;
    snprintf(sql, sizeof sql, "select run, %s from bargaining_runs",
             bargain_cols[j].col);
    for (size_t m = 0; m < 5 && !k->rc; m++) {
      double by = months[m] * MONTH_DAYS;
      if (bargain_cols[j].kind == ST_SHARE_BY && by > k->c->horizon + 1) break;
      snprintf(what, sizeof what, bargain_cols[j].what, months[m]);
      row(k, what, bargain_cols[j].unit, bargain_cols[j].kind, by, sql, NULL);
      if (bargain_cols[j].kind != ST_SHARE_BY) break;
    }
  }
  /* open at a month (point in time): only the shares are stored */
  for (int m = 6; m <= 24 && !k->rc; m *= 2) {
    snprintf(sql, sizeof sql,
             "select p_open_now from bargaining_months where month = %d", m);
    double p[2], se2 = 0;
    for (int i = 0; i < 2; i++) {
      p[i] = truce__cmp_one(k->s[i].db, sql, NULL);
      se2 += p[i] * (1 - p[i]) / (double)k->s[i].runs;
    }
    if (isnan(p[0]) && isnan(p[1])) continue;
    snprintf(what, sizeof what, "a range is open at month %d (point in time)",
             m);
    truce__cmp_shift(k, what, TRUCE_UNIT_SHARE, p[0], p[1], sqrt(se2), false);
  }
}

/* A query on A's connection (B attached as "b"). */
static sqlite3_stmt* common(truce__cmp* k, const char* sql) {
  sqlite3_stmt* st = NULL;
  if (sqlite3_prepare_v2(k->s[0].db, sql, -1, &st, NULL) != SQLITE_OK) {
    k->rc = TRUCE_FAIL(k->ctx, TRUCE_EDB, "cannot compare: %s",
                       sqlite3_errmsg(k->s[0].db));
    return NULL;
  }
  return st;
}

void truce__cmp_rows(truce__cmp* k) {
  char name[64], what[128], sql[200];
  sqlite3_stmt* st = common(
      k,
      "select side from main.runs where run = 0 and side in (select side "
      "from b.runs) order by rowid");
  while (st && !k->rc && sqlite3_step(st) == SQLITE_ROW) {
    const unsigned char* t = sqlite3_column_text(st, 0);
    snprintf(name, sizeof name, "%s", t ? (const char*)t : "");
    side_rows(k, name);
  }
  sqlite3_finalize(st);
  if (!k->rc) bargaining_rows(k);
  st = k->rc ? NULL
             : common(k,
                      "select distinct backer from main.backer_runs where "
                      "backer in (select backer from b.backer_runs)");
  while (st && !k->rc && sqlite3_step(st) == SQLITE_ROW) {
    const unsigned char* t = sqlite3_column_text(st, 0);
    snprintf(name, sizeof name, "%s", t ? (const char*)t : "");
    for (size_t j = 0; j < sizeof backer_cols / sizeof *backer_cols; j++) {
      snprintf(sql, sizeof sql,
               "select run, %s from backer_runs where backer = ?1",
               backer_cols[j].col);
      snprintf(what, sizeof what, "%s: mean %s", name, backer_cols[j].col);
      row(k, what, backer_cols[j].unit, ST_MEAN, 0, sql, name);
    }
  }
  sqlite3_finalize(st);
}
