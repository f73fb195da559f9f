/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Observed series for calibration (docs/validation.md): a CSV of
 * `day,side,variable,value,source` rows (variables: front, casualties per
 * day), checked against a scenario's sides, with FILE:LINE:COL errors.
 * Every row is kept with its source; the days on which both sides'
 * fronts are reported form the columns (the mean over sources where
 * several report the same value).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "truce_int.h"

#define MAXDAYS 100000

#define MAXSOURCES 64
/* A row of running totals, differenced into casualties per day. */
enum { OBS_CUMULATIVE = TRUCE_OBS_VARS };

struct truce_observed {
  truce_ctx* ctx;
  size_t n;
  double* v; /* n x 4: front0, cas0, front1, cas1 */
  int* day;  /* n: the day of each column entry */
  truce_obs* rows;
  size_t rows_cap; /* rows' room (its allocated count) */
  size_t n_days;   /* v and day have room for n_days + 1 columns */
  size_t n_rows, n_src;
  char* src[MAXSOURCES];
};

void truce_observed_free(truce_observed* o) {
  if (!o) return;
  truce__free(o->ctx, o->v, (o->n_days * 4 + 1) * sizeof(double));
  truce__free(o->ctx, o->day, (o->n_days + 1) * sizeof(int));
  truce__free(o->ctx, o->rows, o->rows_cap * sizeof *o->rows);
  for (size_t k = 0; k < o->n_src; k++) truce__strfree(o->ctx, o->src[k]);
  truce__free(o->ctx, o, sizeof *o);
}

/* The index of a source name, added if new; -1 when there are too many. */
static int source_index(truce_observed* o, const char* name) {
  for (size_t k = 0; k < o->n_src; k++)
    if (!strcmp(o->src[k], name)) return (int)k;
  if (o->n_src == MAXSOURCES) return -1;
  o->src[o->n_src] = truce__strdup(o->ctx, name);
  return o->src[o->n_src] ? (int)o->n_src++ : -2;
}

/* The columns: the days on which both sides' fronts are reported, each
 * value the mean over the sources that report it (a casualty column is
 * NaN on a day no source reports it). */
static int columns(truce_observed* o, const char* what) {
  int maxday = -1;
  for (size_t r = 0; r < o->n_rows; r++)
    if (o->rows[r].day > maxday) maxday = o->rows[r].day;
  size_t nd = (size_t)(maxday + 1);
  o->n_days = nd;
  double* by = truce__calloc(o->ctx, nd * 8 + 1, sizeof(double));
  o->v = truce__calloc(o->ctx, nd * 4 + 1, sizeof(double));
  o->day = truce__calloc(o->ctx, nd + 1, sizeof(int));
  if (!by || !o->v || !o->day) {
    truce__free(o->ctx, by, (nd * 8 + 1) * sizeof(double));
    return TRUCE_ENOMEM;
  }
  for (size_t r = 0; r < o->n_rows; r++) {
    const truce_obs* w = &o->rows[r];
    by[(size_t)w->day * 8 + (size_t)(2 * w->side + w->var)] += w->value;
    by[(size_t)w->day * 8 + 4 + (size_t)(2 * w->side + w->var)] += 1;
  }
  for (size_t d = 0; d < nd; d++) {
    const double* r = by + d * 8;
    if (r[4] == 0 || r[6] == 0) continue;
    for (int k = 0; k < 4; k++)
      o->v[o->n * 4 + (size_t)k] =
          r[4 + k] != 0 ? r[k] / r[4 + k] : (double)NAN;
    o->day[o->n++] = (int)d;
  }
  truce__free(o->ctx, by, (nd * 8 + 1) * sizeof(double));
  if (o->n < 2)
    return TRUCE_FAIL(o->ctx, TRUCE_EINVAL,
                      "%s: fewer than 2 days with "
                      "both sides' fronts",
                      what);
  return 0;
}

int truce_observed_new(truce_ctx* ctx, const truce_obs* rows, size_t n,
                       const char* const* sources, size_t n_sources,
                       truce_observed** out) {
  *out = NULL;
  if (!rows || (n_sources && !sources) || n_sources > MAXSOURCES)
    return TRUCE_FAIL(ctx, TRUCE_EINVAL,
                      "observations need rows and at most "
                      "%d sources",
                      MAXSOURCES);
  for (size_t r = 0; r < n; r++)
    if (rows[r].day < 0 || rows[r].day >= MAXDAYS || rows[r].side < 0 ||
        rows[r].side > 1 || rows[r].var < 0 || rows[r].var >= TRUCE_OBS_VARS ||
        !(rows[r].value >= 0) || !isfinite(rows[r].value) ||
        rows[r].source < 0 || (size_t)rows[r].source >= n_sources)
      return TRUCE_FAIL(ctx, TRUCE_EINVAL,
                        "observation %zu: expected a day "
                        "from 0, side 0 or 1, variable 0 or 1, a value >= 0 "
                        "and a known source",
                        r);
  truce_observed* o = truce__calloc(ctx, 1, sizeof *o);
  if (!o) return TRUCE_ENOMEM;
  o->ctx = ctx;
  o->rows_cap = n ? n : 1;
  o->rows = truce__calloc(ctx, o->rows_cap, sizeof *o->rows);
  int rc = o->rows ? 0 : TRUCE_ENOMEM;
  if (!rc) {
    memcpy(o->rows, rows, n * sizeof *rows);
    o->n_rows = n;
  }
  for (size_t k = 0; k < n_sources && !rc; k++)
    rc = source_index(o, sources[k]) == -2 ? TRUCE_ENOMEM : 0;
  if (!rc && o->n_src != n_sources)
    rc = TRUCE_FAIL(ctx, TRUCE_EINVAL,
                    "observations: a source name appears "
                    "twice; expected distinct names");
  if (!rc) rc = columns(o, "observations");
  if (rc) {
    truce_observed_free(o);
    return rc;
  }
  *out = o;
  return 0;
}

/* A cumulative figure as read. */
typedef struct {
  int day, side, src, line;
  double value;
} cum_row;

static int by_series(const void* pa, const void* pb) {
  const cum_row *a = pa, *b = pb;
  if (a->src != b->src) return a->src < b->src ? -1 : 1;
  if (a->side != b->side) return a->side < b->side ? -1 : 1;
  return a->day < b->day ? -1 : a->day > b->day;
}

/* Cumulative casualty figures become casualties per day: between two
 * consecutive reports of a source for a side, the increase over the days
 * between, attributed to the first day (daily reports give each day's
 * losses exactly). */
static int difference(truce_observed* o, cum_row* c, size_t n,
                      const char* path) {
  qsort(c, n, sizeof *c, by_series);
  for (size_t i = 1; i < n; i++) {
    const cum_row *a = &c[i - 1], *b = &c[i];
    if (a->src != b->src || a->side != b->side) continue;
    if (b->day == a->day || b->value < a->value)
      return TRUCE_FAIL_AT(o->ctx, TRUCE_EPARSE, path, b->line, 1,
                           "cumulative "
                           "figure %g on day %d %s line %d's %g; expected one "
                           "figure a day, never decreasing",
                           b->value, b->day,
                           b->day == a->day ? "repeats" : "falls below",
                           a->line, a->value);
    o->rows[o->n_rows++] = (truce_obs){
        a->day, a->side, 1, (b->value - a->value) / (b->day - a->day), a->src};
  }
  return 0;
}

/* One data line (number `line` of path) of an observed-data CSV: a
 * figure into o's rows, or a cumulative one into cum[*ncum]; start is the
 * scenario's start when the file is dated, else NULL. */
static int read_row(truce_observed* o, const truce_scenario* sc,
                    const char* path, int line, char* ln, const char* start,
                    cum_row* cum, size_t* ncum) {
  truce_ctx* ctx = o->ctx;
  char* f[4] = {NULL, NULL, NULL, NULL};
  int cols[4] = {0, 0, 0, 0};
  char* p = ln;
  for (int k = 0; k < 4; k++) {
    cols[k] = (int)(p - ln) + 1;
    f[k] = p;
    char* c = strchr(p, ',');
    if (!c && k < 3) {
      return TRUCE_FAIL_AT(ctx, TRUCE_EPARSE, path, line, cols[k],
                           "missing fields; "
                           "expected day,side,variable,value,source");
    }
    if (c) {
      *c = '\0';
      p = c + 1;
    }
  }
  char* end;
  long day;
  if (start) {
    day = truce__date_valid(f[0])
              ? truce__date_to_days(f[0]) - truce__date_to_days(start)
              : -1;
    if (!truce__date_valid(f[0]) || day < 0 || day >= MAXDAYS) {
      return TRUCE_FAIL_AT(ctx, TRUCE_EPARSE, path, line, cols[0],
                           "bad date '%s'; "
                           "expected YYYY-MM-DD from the scenario's start %s",
                           f[0], start);
    }
  } else {
    day = strtol(f[0], &end, 10);
    if (*end || day < 0 || day >= MAXDAYS) {
      return TRUCE_FAIL_AT(ctx, TRUCE_EPARSE, path, line, cols[0],
                           "bad day '%s'; "
                           "expected a whole number from 0",
                           f[0]);
    }
  }
  int side = -1;
  for (size_t s = 0; s < 2; s++)
    if (!strcmp(f[1], truce_scenario_side_id(sc, s))) side = (int)s;
  if (side < 0) {
    return TRUCE_FAIL_AT(ctx, TRUCE_EPARSE, path, line, cols[1],
                         "unknown side '%s'; "
                         "expected '%s' or '%s'",
                         f[1], truce_scenario_side_id(sc, 0),
                         truce_scenario_side_id(sc, 1));
  }
  int var = !strcmp(f[2], "front")        ? TRUCE_OBS_FRONT
            : !strcmp(f[2], "casualties") ? TRUCE_OBS_CASUALTIES
            : !strcmp(f[2], "cumulative") ? OBS_CUMULATIVE
                                          : -1;
  if (var < 0) {
    return TRUCE_FAIL_AT(ctx, TRUCE_EPARSE, path, line, cols[2],
                         "unknown variable "
                         "'%s'; expected front, casualties or cumulative",
                         f[2]);
  }
  double v = strtod(f[3], &end);
  if (end == f[3] || (*end && *end != ',') || !(v >= 0) || !isfinite(v)) {
    return TRUCE_FAIL_AT(ctx, TRUCE_EPARSE, path, line, cols[3],
                         "bad value '%s'; "
                         "expected a number >= 0",
                         f[3]);
  }
  char* sname = (p != f[3] && *p) ? p : (char*)"unknown";
  size_t sl = strlen(sname);
  if (sl >= 2 && sname[0] == '"' && sname[sl - 1] == '"') {
    sname[sl - 1] = '\0'; /* a quoted source: its text */
    sname++;
  }
  int src = source_index(o, sname);
  if (src < 0) {
    return src == -2 ? TRUCE_ENOMEM
                     : TRUCE_FAIL_AT(ctx, TRUCE_EPARSE, path, line,
                                     (int)(end - ln) + 2,
                                     "more "
                                     "than %d sources; expected at most %d",
                                     MAXSOURCES, MAXSOURCES);
  }
  if (var == OBS_CUMULATIVE)
    cum[(*ncum)++] = (cum_row){(int)day, side, src, line, v};
  else
    o->rows[o->n_rows++] = (truce_obs){(int)day, side, var, v, src};
  return 0;
}

int truce_observed_load(truce_ctx* ctx, const char* path,
                        const truce_scenario* sc, truce_observed** out) {
  *out = NULL;
  char* text;
  size_t len;
  int rc = truce__read_file(ctx, path, "an observed-data CSV", &text, &len);
  if (rc) return rc;
  truce_observed* o = truce__calloc(ctx, 1, sizeof *o);
  size_t cap = 1, ncum = 0;
  for (size_t i = 0; i < len; i++) cap += text[i] == '\n';
  truce_obs* rows = o ? truce__calloc(ctx, cap, sizeof *rows) : NULL;
  cum_row* cum = rows ? truce__calloc(ctx, cap, sizeof *cum) : NULL;
  const char* start = truce_scenario_start(sc);
  int by_date = 0;
  if (!o || !rows || !cum) {
    truce__free(ctx, cum, cap * sizeof *cum);
    truce__free(ctx, rows, cap * sizeof *rows);
    truce__free(ctx, text, len + 1);
    truce__free(ctx, o, sizeof *o);
    return TRUCE_ENOMEM;
  }
  o->ctx = ctx;
  o->rows = rows;
  o->rows_cap = cap;
  int line = 0;
  char* at = text;
  for (char* ln; !rc && (ln = truce__next_line(&at, &line));) {
    size_t l = strlen(ln);
    if (line == 1) {
      by_date = !strncmp(ln, "date,side,variable,value", 24);
      if (!by_date && strncmp(ln, "day,side,variable,value", 23) != 0)
        rc = TRUCE_FAIL_AT(ctx, TRUCE_EPARSE, path, 1, 1,
                           "bad header; "
                           "expected day,side,variable,value,source or "
                           "date,side,variable,value,source");
      else if (by_date && !start[0])
        rc = TRUCE_FAIL_AT(ctx, TRUCE_EPARSE, path, 1, 1,
                           "dates need the "
                           "scenario's start date, which %s does not set; "
                           "expected day numbers (a day header)",
                           truce_scenario_name(sc));
      continue;
    }
    if (!l) continue;
    rc = read_row(o, sc, path, line, ln, by_date ? start : NULL, cum, &ncum);
  }
  truce__free(ctx, text, len + 1);
  if (!rc) rc = difference(o, cum, ncum, path);
  truce__free(ctx, cum, cap * sizeof *cum);
  if (!rc) rc = columns(o, path);
  if (rc) {
    truce_observed_free(o);
    return rc;
  }
  *out = o;
  return 0;
}

size_t truce_observed_days(const truce_observed* o) { return o->n; }

int truce_observed_day(const truce_observed* o, size_t i) { return o->day[i]; }

const truce_obs* truce_observed_rows(const truce_observed* o, size_t* n) {
  *n = o->n_rows;
  return o->rows;
}

size_t truce_observed_sources(const truce_observed* o) { return o->n_src; }

const char* truce_observed_source(const truce_observed* o, size_t k) {
  return k < o->n_src ? o->src[k] : NULL;
}

void truce_observed_column(const truce_observed* o, size_t side, int var,
                           double* out) {
  bool ok = side < 2 && var >= 0 && var < TRUCE_OBS_VARS;
  size_t k = 2 * side + (size_t)var;
  for (size_t i = 0; i < o->n; i++) out[i] = ok ? o->v[i * 4 + k] : (double)NAN;
}
