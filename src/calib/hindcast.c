/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The hindcast (docs/validation.md s5): a scenario's ensemble scored
 * against what was observed after its start. Observed levels become
 * changes since the origin (the level at the origin interpolated between
 * the group's rows around it), so a scenario's starting level and a
 * source's need not agree; each run's change on each scored day is kept
 * through an ensemble hook, and the scores come from those exact values:
 * coverage of the 50% and 90% bands, the PIT and its histogram, and the
 * CRPS of the empirical ensemble (Gneiting & Raftery 2007). Losses
 * against gains are read along the median path (per-day medians).
 */
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "truce/ensemble.h"
#include "truce/hindcast.h"
#include "truce_int.h"

/* ==== The observed series kinds ======================================
 * One table: the name in the files, whether the id is a side or a
 * backer, and how a day's state gives the level. */
enum { ON_SIDE, ON_BACKER };

typedef double (*level_fn)(const truce_day* d, size_t i, double area_km2);

static double lv_casualties(const truce_day* d, size_t i, double a) {
  (void)a;
  return d->side[i].casualties;
}
static double lv_area(const truce_day* d, size_t i, double a) {
  return d->side[i].territory * a;
}
static double lv_committed(const truce_day* d, size_t i, double a) {
  (void)a;
  return d->backer[i].committed;
}
static double lv_delivered(const truce_day* d, size_t i, double a) {
  (void)a;
  return d->backer[i].delivered;
}

static const struct {
  const char* name;
  int on;
  level_fn level;
} SERIES[] = {
    {"casualties", ON_SIDE, lv_casualties},
    {"area_km2", ON_SIDE, lv_area},
    {"aid_committed", ON_BACKER, lv_committed},
    {"aid_delivered", ON_BACKER, lv_delivered},
};
#define NSERIES (sizeof SERIES / sizeof SERIES[0])

const char* truce_hindcast_series_name(int k) {
  return k >= 0 && (size_t)k < NSERIES ? SERIES[k].name : NULL;
}

/* ==== Observed rows =================================================== */
typedef struct {
  long date; /* days since 1970-01-01 */
  int kind, file, line, id_col;
  double value, low, high; /* low/high NaN when not given */
  char *id, *unit, *source, *claimant;
} obs_row;

struct truce_hindcast_obs {
  truce_ctx* ctx;
  obs_row* rows;
  size_t n, cap;
  char** files; /* the files' names, in the order they were loaded */
  size_t n_files, files_cap;
};

int truce_hindcast_obs_new(truce_ctx* ctx, truce_hindcast_obs** out) {
  if (!ctx || !out) return TRUCE_FAIL(ctx, TRUCE_EINVAL, "no context");
  *out = truce__calloc(ctx, 1, sizeof **out);
  if (!*out) return TRUCE_ENOMEM;
  (*out)->ctx = ctx;
  return 0;
}

static void row_free(truce_ctx* ctx, obs_row* r) {
  truce__strfree(ctx, r->id);
  truce__strfree(ctx, r->unit);
  truce__strfree(ctx, r->source);
  truce__strfree(ctx, r->claimant);
}

void truce_hindcast_obs_free(truce_hindcast_obs* o) {
  if (!o) return;
  for (size_t i = 0; i < o->n; i++) row_free(o->ctx, &o->rows[i]);
  truce__free(o->ctx, o->rows, o->cap * sizeof *o->rows);
  for (size_t i = 0; i < o->n_files; i++) truce__strfree(o->ctx, o->files[i]);
  truce__free(o->ctx, o->files, o->files_cap * sizeof *o->files);
  truce__free(o->ctx, o, sizeof *o);
}

size_t truce_hindcast_obs_rows(const truce_hindcast_obs* o) {
  return o ? o->n : 0;
}

#define NFIELDS 9
static const char HEADER[] =
    "date,series,id,value,low,high,unit,source,claimant";

/* Split a CSV line in place into NFIELDS fields (double quotes around a
 * field, "" inside one); cols[] the 1-based column of each. Returns the
 * number of fields, or -1 for an unterminated quote. */
static int split(char* s, char** f, int* cols) {
  int n = 0;
  char* base = s;
  while (n < NFIELDS + 1) {
    cols[n < NFIELDS ? n : NFIELDS - 1] = (int)(s - base) + 1;
    char* w = s;
    if (n < NFIELDS) f[n] = s;
    if (*s == '"') {
      char* r = s + 1;
      if (n < NFIELDS) f[n] = w;
      for (;;) {
        if (!*r) return -1;
        if (*r == '"' && r[1] == '"') {
          *w++ = '"';
          r += 2;
        } else if (*r == '"') {
          r++;
          break;
        } else {
          *w++ = *r++;
        }
      }
      s = r;
      if (*s && *s != ',') return -1;
    } else {
      while (*s && *s != ',') s++;
      w = s;
    }
    n++;
    char c = *s;
    *w = '\0';
    if (c != ',') break;
    s++;
  }
  return n;
}

/* Parse one data line of file number r->file into r (whose strings are
 * then its own); line is its number in path. */
static int parse_row(truce_ctx* ctx, const char* path, int line, char* ln,
                     obs_row* r) {
  char* f[NFIELDS];
  int col[NFIELDS];
  int nf = split(ln, f, col);
  if (nf != NFIELDS)
    return TRUCE_FAIL_AT(ctx, TRUCE_EPARSE, path, line,
                         nf < 0 ? 1 : col[nf - 1],
                         "%s; expected %d "
                         "fields (%s)",
                         nf < 0         ? "unterminated quote"
                         : nf < NFIELDS ? "too few fields"
                                        : "too many fields",
                         NFIELDS, HEADER);
  r->line = line;
  r->id_col = col[2];
  if (!truce__date_valid(f[0]))
    return TRUCE_FAIL_AT(ctx, TRUCE_EPARSE, path, line, col[0],
                         "bad date '%s'; "
                         "expected YYYY-MM-DD",
                         f[0]);
  r->date = truce__date_to_days(f[0]);
  r->kind = -1;
  for (size_t k = 0; k < NSERIES; k++)
    if (!strcmp(f[1], SERIES[k].name)) r->kind = (int)k;
  if (r->kind < 0)
    return TRUCE_FAIL_AT(
        ctx, TRUCE_EPARSE, path, line, col[1],
        "unknown series "
        "'%s'; expected casualties, area_km2, aid_committed or "
        "aid_delivered",
        f[1]);
  if (!f[2][0])
    return TRUCE_FAIL_AT(ctx, TRUCE_EPARSE, path, line, col[2],
                         "empty id; "
                         "expected a side or backer id");
  double* num[3] = {&r->value, &r->low, &r->high};
  static const char* const num_name[3] = {"value", "low", "high"};
  for (int k = 0; k < 3; k++) {
    const char* s = f[3 + k];
    if (k && !s[0]) {
      *num[k] = (double)NAN;
      continue;
    }
    if (truce__parse_number(s, num[k]) || !(*num[k] >= 0))
      return TRUCE_FAIL_AT(ctx, TRUCE_EPARSE, path, line, col[3 + k],
                           "bad %s '%s'; "
                           "expected a number >= 0%s",
                           num_name[k], s, k ? " or nothing" : "");
  }
  if (!isnan(r->low) && !isnan(r->high) && r->low > r->high)
    return TRUCE_FAIL_AT(ctx, TRUCE_EPARSE, path, line, col[4],
                         "low %g above high "
                         "%g; expected low <= high",
                         r->low, r->high);
  if (!f[7][0])
    return TRUCE_FAIL_AT(ctx, TRUCE_EPARSE, path, line, col[7],
                         "empty source; "
                         "expected who published the figure");
  r->id = truce__strdup(ctx, f[2]);
  r->unit = truce__strdup(ctx, f[6]);
  r->source = truce__strdup(ctx, f[7]);
  r->claimant = truce__strdup(ctx, f[8][0] ? f[8] : f[7]);
  if (!r->id || !r->unit || !r->source || !r->claimant) {
    row_free(ctx, r);
    return TRUCE_ENOMEM;
  }
  return 0;
}

/* Room in o for `lines` more rows and one more file name. */
static int obs_reserve(truce_ctx* ctx, truce_hindcast_obs* o, size_t lines) {
  size_t cap = o->n + lines;
  obs_row* rows =
      truce__realloc(ctx, o->rows, o->cap * sizeof *rows, cap * sizeof *rows);
  if (!rows) return TRUCE_ENOMEM;
  o->rows = rows;
  o->cap = cap;
  if (o->n_files < o->files_cap) return 0;
  char** files = truce__realloc(ctx, o->files, o->files_cap * sizeof *files,
                                (o->files_cap + 1) * sizeof *files);
  if (!files) return TRUCE_ENOMEM;
  o->files = files;
  o->files_cap++;
  return 0;
}

int truce_hindcast_obs_load(truce_hindcast_obs* o, const char* path) {
  if (!o) return TRUCE_EINVAL; /* no context to record in */
  TRUCE_CHECK_ARGS(o->ctx, path);
  truce_ctx* ctx = o->ctx;
  char* text;
  size_t len;
  int rc = truce__read_file(ctx, path, "an observed-series CSV", &text, &len);
  if (rc) return rc;
  size_t lines = 1;
  for (size_t i = 0; i < len; i++) lines += text[i] == '\n';
  size_t n0 = o->n;
  rc = obs_reserve(ctx, o, lines);
  char* fname = rc ? NULL : truce__strdup(ctx, path);
  if (!fname) {
    truce__free(ctx, text, len + 1);
    return TRUCE_ENOMEM;
  }
  int file = (int)o->n_files, line = 0, header = 0;
  char* at = text;
  for (char* ln; !rc && (ln = truce__next_line(&at, &line));) {
    if (!ln[0] || ln[0] == '#') continue;
    if (!header) {
      header = 1;
      if (strcmp(ln, HEADER))
        rc = TRUCE_FAIL_AT(ctx, TRUCE_EPARSE, path, line, 1,
                           "bad header; "
                           "expected %s",
                           HEADER);
      continue;
    }
    obs_row r = {.file = file};
    rc = parse_row(ctx, path, line, ln, &r);
    if (!rc) o->rows[o->n++] = r;
  }
  truce__free(ctx, text, len + 1);
  if (!rc && !header)
    rc = TRUCE_FAIL_AT(ctx, TRUCE_EPARSE, path, 1, 1,
                       "no header; expected "
                       "%s",
                       HEADER);
  if (rc) { /* o unchanged: drop this file's rows */
    while (o->n > n0) row_free(ctx, &o->rows[--o->n]);
    truce__strfree(ctx, fname);
    return rc;
  }
  o->files[o->n_files++] = fname;
  return 0;
}

/* ==== Scores ========================================================== */

/* With x sorted, sum_i sum_j |x_i - x_j| = 2 sum_i (2i - n - 1) x_i
 * (i from 1), so the CRPS takes one pass. */
double truce_hindcast_crps(const double* x, size_t n, double y) {
  if (!x || n == 0) return (double)NAN;
  double a = 0, b = 0, dn = (double)n;
  for (size_t i = 0; i < n; i++) {
    a += fabs(x[i] - y);
    b += (2.0 * (double)(i + 1) - dn - 1.0) * x[i];
  }
  return a / dn - b / (dn * dn);
}

/* Half-width of a tie: a run's value and the observed that differ by less
 * than this (relative) are equal up to rounding, e.g. a known-outcome
 * record summed in double against the observed series it was read from. */
static double tie_width(double y) { return 1e-9 * fmax(fabs(y), 1.0); }

double truce_hindcast_pit(const double* x, size_t n, double y) {
  if (!x || n == 0) return (double)NAN;
  const double w = tie_width(y);
  size_t lo = 0, hi = n; /* first index with x >= y - w */
  while (lo < hi) {
    size_t m = lo + (hi - lo) / 2;
    if (x[m] < y - w)
      lo = m + 1;
    else
      hi = m;
  }
  size_t eq = lo;
  while (eq < n && x[eq] <= y + w) eq++;
  return ((double)lo + 0.5 * (double)(eq - lo)) / (double)n;
}

int truce_hindcast_pit_shape(const unsigned hist[10]) {
  double n = 0;
  for (int k = 0; k < 10; k++) n += hist[k];
  if (n < 10) return TRUCE_PIT_FEW;
  double lo = hist[0] / n, hi = hist[9] / n;
  double mid = (hist[3] + hist[4] + hist[5] + hist[6]) / n, mean = 0;
  for (int k = 0; k < 10; k++) mean += (k + 0.5) / 10 * hist[k] / n;
  if (hi > 0.3 && hist[9] > 3.0 * hist[0]) return TRUCE_PIT_HIGH;
  if (lo > 0.3 && hist[0] > 3.0 * hist[9]) return TRUCE_PIT_LOW;
  if (lo + hi > 0.4) return TRUCE_PIT_U;
  if (mean > 0.7) return TRUCE_PIT_ABOVE;
  if (mean < 0.3) return TRUCE_PIT_BELOW;
  if (mid > 0.6) return TRUCE_PIT_HUMP;
  return TRUCE_PIT_FLAT;
}

const char* truce_hindcast_pit_shape_name(int shape) {
  static const char* const names[] = {
#define TRUCE_PIT_TEXT(name, text) text,
      TRUCE_PIT_SHAPE_MAP(TRUCE_PIT_TEXT)
#undef TRUCE_PIT_TEXT
  };
  const int n = (int)(sizeof names / sizeof *names);
  return shape >= 0 && shape < n ? names[shape] : "?";
}

/* ==== The hindcast ==================================================== */

/* A quantity the runs report: a series kind for one side or backer. */
typedef struct {
  int kind;
  size_t index;
} quantity;

/* A cell: a quantity on a day; each run keeps its change there. */
typedef struct {
  int q, day;
} cell;

typedef struct {
  const quantity* qs;
  size_t nq;
  const cell* cells; /* sorted by day */
  size_t nc;
  double area_km2;
} plan;

typedef struct {
  const plan* p;
  truce_ctx* ctx;
  double* base; /* nq: day 0 levels */
  double* val;  /* nc */
  size_t next;
} hook_state;

static int hk_new(void* user, truce_ctx* tctx, void** state) {
  const plan* p = user;
  hook_state* s = truce__calloc(tctx, 1, sizeof *s);
  if (!s) return TRUCE_ENOMEM;
  s->p = p;
  s->ctx = tctx;
  s->base = truce__calloc(tctx, p->nq + 1, sizeof(double));
  s->val = truce__calloc(tctx, p->nc + 1, sizeof(double));
  if (!s->base || !s->val) {
    truce__free(tctx, s->base, (p->nq + 1) * sizeof(double));
    truce__free(tctx, s->val, (p->nc + 1) * sizeof(double));
    truce__free(tctx, s, sizeof *s);
    return TRUCE_ENOMEM;
  }
  *state = s;
  return 0;
}

static int hk_begin(void* state, uint64_t run, unsigned flags,
                    const double* params) {
  (void)run;
  (void)flags;
  (void)params;
  hook_state* s = state;
  s->next = 0;
  for (size_t c = 0; c < s->p->nc; c++) s->val[c] = (double)NAN;
  return 0;
}

static double level(const plan* p, int q, const truce_day* d) {
  const quantity* k = &p->qs[q];
  return SERIES[k->kind].level(d, k->index, p->area_km2);
}

static int hk_day(void* state, const truce_day* d) {
  hook_state* s = state;
  const plan* p = s->p;
  if (d->day == 0)
    for (size_t q = 0; q < p->nq; q++) s->base[q] = level(p, (int)q, d);
  while (s->next < p->nc && p->cells[s->next].day == d->day) {
    int q = p->cells[s->next].q;
    s->val[s->next++] = level(p, q, d) - s->base[q];
  }
  return 0;
}

static int hk_end(void* state, uint64_t run, double* out) {
  (void)run;
  hook_state* s = state;
  memcpy(out, s->val, s->p->nc * sizeof(double));
  return 0;
}

static void hk_free(void* state) {
  hook_state* s = state;
  truce__free(s->ctx, s->base, (s->p->nq + 1) * sizeof(double));
  truce__free(s->ctx, s->val, (s->p->nc + 1) * sizeof(double));
  truce__free(s->ctx, s, sizeof *s);
}

struct truce_hindcast {
  truce_ctx* ctx;
  bool root;
  uint64_t runs;
  size_t n_groups, n_points, n_pairs;
  size_t cap_groups, cap_points; /* the arrays' allocated counts */
  truce_hindcast_group* groups;
  truce_hindcast_point* points;
  truce_hindcast_pair pairs[2];
  double line_break[2];
};

void truce_hindcast_free(truce_hindcast* h) {
  if (!h) return;
  truce__free(h->ctx, h->groups, h->cap_groups * sizeof *h->groups);
  truce__free(h->ctx, h->points, h->cap_points * sizeof *h->points);
  truce__free(h->ctx, h, sizeof *h);
}

bool truce_hindcast_is_root(const truce_hindcast* h) { return h && h->root; }
uint64_t truce_hindcast_runs(const truce_hindcast* h) { return h->runs; }
size_t truce_hindcast_groups(const truce_hindcast* h) { return h->n_groups; }
const truce_hindcast_group* truce_hindcast_group_get(const truce_hindcast* h,
                                                     size_t i) {
  return i < h->n_groups ? &h->groups[i] : NULL;
}
size_t truce_hindcast_pairs(const truce_hindcast* h) { return h->n_pairs; }
const truce_hindcast_pair* truce_hindcast_pair_get(const truce_hindcast* h,
                                                   size_t i) {
  return i < h->n_pairs ? &h->pairs[i] : NULL;
}
double truce_hindcast_line_break(const truce_hindcast* h, size_t i) {
  return i < 2 ? h->line_break[i] : (double)NAN;
}

static int cmp_cell(const void* a, const void* b) {
  const cell *x = a, *y = b;
  if (x->day != y->day) return x->day < y->day ? -1 : 1;
  return (x->q > y->q) - (x->q < y->q);
}

/* Rows in group order: by group (first appearance), then date. */
typedef struct {
  const obs_row* r;
  size_t group, order;
} ranked;

static int cmp_ranked(const void* a, const void* b) {
  const ranked *x = a, *y = b;
  if (x->group != y->group) return x->group < y->group ? -1 : 1;
  if (x->r->date != y->r->date) return x->r->date < y->r->date ? -1 : 1;
  return (x->order > y->order) - (x->order < y->order);
}

static bool same_group(const obs_row* a, const obs_row* b) {
  return a->kind == b->kind && !strcmp(a->id, b->id) &&
         !strcmp(a->source, b->source);
}

/* The index of an id among the scenario's sides or backers, or -1. */
static long find_id(const truce_scenario* sc, int on, const char* id) {
  size_t n = on == ON_SIDE ? truce_scenario_side_count(sc)
                           : truce_scenario_backer_count(sc);
  for (size_t i = 0; i < n; i++)
    if (!strcmp(id, on == ON_SIDE ? truce_scenario_side_id(sc, i)
                                  : truce_scenario_backer_id(sc, i)))
      return (long)i;
  return -1;
}

/* Pearson correlation of n pairs; NaN when either varies not at all. */
static double corr(const double* a, const double* b, size_t n) {
  if (n < 3) return (double)NAN;
  double sa = gsl_stats_sd(a, 1, n), sb = gsl_stats_sd(b, 1, n);
  if (!(sa > 0) || !(sb > 0)) return (double)NAN;
  return gsl_stats_correlation(a, 1, b, 1, n);
}

/* Losses against gains for one side: its first casualty group cg and
 * first area group ag, on the days both score; buf holds 4 x
 * cg->n_points doubles and dates cg->n_points pointers. */
static void pair_stats(truce_hindcast_pair* pr, const truce_hindcast_group* cg,
                       const truce_hindcast_group* ag, double* buf,
                       const truce_hindcast_point** dates) {
  size_t k = 0;
  double *oc = buf, *oa = buf + cg->n_points, *mc = oa + cg->n_points,
         *ma = mc + cg->n_points;
  for (size_t i = 0, j = 0; i < cg->n_points && j < ag->n_points;) {
    const truce_hindcast_point *c = &cg->points[i], *a = &ag->points[j];
    if (c->day < a->day)
      i++;
    else if (a->day < c->day)
      j++;
    else {
      oc[k] = c->observed;
      oa[k] = a->observed;
      mc[k] = c->p50;
      ma[k] = a->p50;
      dates[k++] = c;
      i++;
      j++;
    }
  }
  pr->id = cg->id;
  pr->casualty_source = cg->source;
  pr->area_source = ag->source;
  pr->months = k;
  /* per calendar year, from the last date before it (or the origin) */
  int y0 = 0;
  for (size_t i = 0; i < k && pr->n_years < TRUCE_HINDCAST_YEARS; i++) {
    int y = atoi(dates[i]->date);
    if (y == y0) continue;
    y0 = y;
    size_t last = i;
    while (last + 1 < k && atoi(dates[last + 1]->date) == y) last++;
    double c0 = i ? oc[i - 1] : 0, a0 = i ? oa[i - 1] : 0;
    double m0 = i ? mc[i - 1] : 0, n0 = i ? ma[i - 1] : 0;
    truce_hindcast_year* yr = &pr->year[pr->n_years++];
    yr->year = y;
    if (i)
      snprintf(yr->from, sizeof yr->from, "%s", dates[i - 1]->date);
    else
      snprintf(yr->from, sizeof yr->from, "origin");
    snprintf(yr->to, sizeof yr->to, "%s", dates[last]->date);
    yr->cas_observed = oc[last] - c0;
    yr->km2_observed = oa[last] - a0;
    yr->cas_median = mc[last] - m0;
    yr->km2_median = ma[last] - n0;
    yr->observed = yr->km2_observed > 0 ? yr->cas_observed / yr->km2_observed
                                        : (double)NAN;
    yr->median =
        yr->km2_median > 0 ? yr->cas_median / yr->km2_median : (double)NAN;
  }
  /* monthly increments from the origin */
  for (size_t i = k; i-- > 0;) {
    if (i) {
      oc[i] -= oc[i - 1];
      oa[i] -= oa[i - 1];
      mc[i] -= mc[i - 1];
      ma[i] -= ma[i - 1];
    }
  }
  pr->corr_observed = corr(oc, oa, k);
  pr->corr_median = corr(mc, ma, k);
}

/* The groups, their origin levels and points, checked against sc. */
static int build_groups(truce_hindcast* h, const truce_scenario* sc,
                        const truce_hindcast_obs* o, ranked* rk) {
  truce_ctx* ctx = h->ctx;
  size_t ng = 0;
  for (size_t i = 0; i < o->n; i++) {
    size_t g = ng;
    for (size_t j = 0; j < i && g == ng; j++)
      if (same_group(&o->rows[i], &o->rows[j])) g = rk[j].group;
    rk[i] = (ranked){&o->rows[i], g, i};
    if (g == ng) {
      const obs_row* r = &o->rows[i];
      if (find_id(sc, SERIES[r->kind].on, r->id) < 0)
        return TRUCE_FAIL_AT(
            ctx, TRUCE_EINVAL, o->files[r->file], r->line, r->id_col,
            "unknown %s "
            "'%s' for %s; expected one of %s's %s",
            SERIES[r->kind].on == ON_SIDE ? "side" : "backer", r->id,
            SERIES[r->kind].name, truce_scenario_file(sc),
            SERIES[r->kind].on == ON_SIDE ? "sides" : "backers");
      ng++;
    }
  }
  qsort(rk, o->n, sizeof *rk, cmp_ranked);
  h->groups = truce__calloc(ctx, ng + 1, sizeof *h->groups);
  h->cap_groups = h->groups ? ng + 1 : 0;
  h->points = truce__calloc(ctx, o->n + 1, sizeof *h->points);
  h->cap_points = h->points ? o->n + 1 : 0;
  if (!h->groups || !h->points) return TRUCE_ENOMEM;
  h->n_groups = ng;
  const long origin = truce__date_to_days(truce_scenario_start(sc)) - 1;
  const int horizon = truce_scenario_horizon_days(sc);
  for (size_t i = 0, g = 0; i < o->n; g++) {
    size_t end = i;
    while (end < o->n && rk[end].group == rk[i].group) end++;
    const obs_row* r = rk[i].r;
    truce_hindcast_group* G = &h->groups[g];
    G->series = SERIES[r->kind].name;
    G->id = r->id;
    G->source = r->source;
    G->unit = r->unit;
    G->file = o->files[r->file];
    G->points = &h->points[h->n_points];
    size_t before = i; /* first row after the origin */
    while (before < end && rk[before].r->date <= origin) before++;
    G->no_origin = before == i;
    if (!G->no_origin && before < end) {
      const obs_row *a = rk[before - 1].r, *b = rk[before].r;
      G->origin_level = a->value + (b->value - a->value) *
                                       (double)(origin - a->date) /
                                       (double)(b->date - a->date);
    } else if (!G->no_origin) {
      G->origin_level = rk[before - 1].r->value;
    }
    for (size_t k = before; k < end && !G->no_origin; k++) {
      const obs_row* p = rk[k].r;
      long day = p->date - origin;
      if (day > horizon) {
        G->after_horizon++;
        continue;
      }
      truce_hindcast_point* P = &h->points[h->n_points++];
      truce__date_from_days(p->date, P->date);
      P->day = (int)day;
      P->observed = p->value - G->origin_level;
      P->low = p->low - G->origin_level;
      P->high = p->high - G->origin_level;
      P->claimant = p->claimant;
      G->n_points++;
    }
    i = end;
  }
  return 0;
}

/* Quantities and cells of the points, into a plan; cell_of[p] is point
 * p's cell. */
static int build_plan(truce_hindcast* h, const truce_scenario* sc, quantity* qs,
                      cell* cells, size_t* cell_of, plan* pl) {
  size_t nq = 0, nc = 0, p = 0;
  int* qof = truce__calloc(h->ctx, h->n_groups + 1, sizeof(int));
  if (!qof) return TRUCE_ENOMEM;
  for (size_t g = 0; g < h->n_groups; g++) {
    const truce_hindcast_group* G = &h->groups[g];
    int kind = 0;
    while (strcmp(SERIES[kind].name, G->series)) kind++;
    quantity q = {kind, (size_t)find_id(sc, SERIES[kind].on, G->id)};
    size_t k = 0;
    while (k < nq && (qs[k].kind != q.kind || qs[k].index != q.index)) k++;
    if (k == nq) qs[nq++] = q;
    qof[g] = (int)k;
    for (size_t i = 0; i < G->n_points; i++)
      cells[nc++] = (cell){(int)k, G->points[i].day};
  }
  qsort(cells, nc, sizeof *cells, cmp_cell);
  size_t u = 0;
  for (size_t i = 0; i < nc; i++)
    if (!u || cmp_cell(&cells[u - 1], &cells[i])) cells[u++] = cells[i];
  for (size_t g = 0; g < h->n_groups; g++)
    for (size_t i = 0; i < h->groups[g].n_points; i++, p++) {
      cell c = {qof[g], h->groups[g].points[i].day};
      const cell* f = bsearch(&c, cells, u, sizeof *cells, cmp_cell);
      cell_of[p] = (size_t)(f - cells);
    }
  truce__free(h->ctx, qof, (h->n_groups + 1) * sizeof(int));
  double area = 0;
  truce_ctx* ctx = h->ctx;
  if (truce_scenario_get(ctx, sc, "front.area_km2", &area)) {
    truce_ctx_clear(ctx);
    area = 0;
  }
  *pl = (plan){qs, nq, cells, u, area};
  return 0;
}

/* The scores of every point from the runs' values. */
static int score(truce_hindcast* h, const truce_ensemble* e,
                 const size_t* cell_of, size_t nc) {
  const uint64_t runs = h->runs;
  double* sorted = truce__calloc(h->ctx, (size_t)runs * nc + 1, sizeof(double));
  if (!sorted) return TRUCE_ENOMEM;
  for (size_t c = 0; c < nc; c++) {
    double* s = sorted + c * runs;
    for (uint64_t r = 0; r < runs; r++) s[r] = truce_ensemble_extras(e, r)[c];
    gsl_sort(s, 1, (size_t)runs);
  }
  size_t p = 0;
  for (size_t g = 0; g < h->n_groups; g++) {
    truce_hindcast_group* G = &h->groups[g];
    double crps = 0;
    bool fixed = G->n_points > 0;
    for (size_t i = 0; i < G->n_points; i++, p++) {
      truce_hindcast_point* P = &h->points[p];
      const double* s = sorted + cell_of[p] * runs;
      const size_t n = (size_t)runs;
      P->mean = gsl_stats_mean(s, 1, n);
      P->p05 = gsl_stats_quantile_from_sorted_data(s, 1, n, 0.05);
      P->p25 = gsl_stats_quantile_from_sorted_data(s, 1, n, 0.25);
      P->p50 = gsl_stats_quantile_from_sorted_data(s, 1, n, 0.50);
      P->p75 = gsl_stats_quantile_from_sorted_data(s, 1, n, 0.75);
      P->p95 = gsl_stats_quantile_from_sorted_data(s, 1, n, 0.95);
      const double y = P->observed, w = tie_width(y);
      P->in50 = P->p25 - w <= y && y <= P->p75 + w;
      P->in90 = P->p05 - w <= y && y <= P->p95 + w;
      fixed = fixed && P->p95 - P->p05 <= tie_width(P->p05);
      P->pit = truce_hindcast_pit(s, n, P->observed);
      P->crps = truce_hindcast_crps(s, n, P->observed);
      G->in50 += P->in50;
      G->in90 += P->in90;
      int bin = (int)(P->pit * 10);
      G->pit_hist[bin > 9 ? 9 : bin]++;
      crps += P->crps;
    }
    G->crps_mean = G->n_points ? crps / (double)G->n_points : (double)NAN;
    G->pit_shape =
        fixed ? TRUCE_PIT_FIXED : truce_hindcast_pit_shape(G->pit_hist);
  }
  truce__free(h->ctx, sorted, ((size_t)runs * nc + 1) * sizeof(double));
  return 0;
}

/* Losses against gains for each side with both kinds of group. */
static int pairs(truce_hindcast* h) {
  for (size_t side_g = 0; side_g < h->n_groups && h->n_pairs < 2; side_g++) {
    const truce_hindcast_group* cg = &h->groups[side_g];
    if (strcmp(cg->series, "casualties") || !cg->n_points) continue;
    bool seen = false;
    for (size_t k = 0; k < h->n_pairs; k++)
      seen |= !strcmp(h->pairs[k].id, cg->id);
    if (seen) continue;
    const truce_hindcast_group* ag = NULL;
    for (size_t g = 0; g < h->n_groups && !ag; g++)
      if (!strcmp(h->groups[g].series, "area_km2") &&
          !strcmp(h->groups[g].id, cg->id) && h->groups[g].n_points)
        ag = &h->groups[g];
    if (!ag) continue;
    double* buf = truce__calloc(h->ctx, 4 * cg->n_points, sizeof(double));
    const truce_hindcast_point** dates =
        truce__calloc(h->ctx, cg->n_points, sizeof *dates);
    if (!buf || !dates) {
      truce__free(h->ctx, buf, 4 * cg->n_points * sizeof(double));
      truce__free(h->ctx, dates, cg->n_points * sizeof *dates);
      return TRUCE_ENOMEM;
    }
    pair_stats(&h->pairs[h->n_pairs++], cg, ag, buf, dates);
    truce__free(h->ctx, buf, 4 * cg->n_points * sizeof(double));
    truce__free(h->ctx, dates, cg->n_points * sizeof *dates);
  }
  return 0;
}

int truce_hindcast_run(truce_ctx* ctx, const truce_scenario* sc,
                       const truce_hindcast_obs* o,
                       const truce_hindcast_opts* opts, truce_hindcast** out) {
  if (!ctx || !sc || !o || !out)
    return TRUCE_FAIL(ctx, TRUCE_EINVAL,
                      "a hindcast needs a scenario and "
                      "observed series");
  *out = NULL;
  const char* start = truce_scenario_start(sc);
  if (!start || !start[0])
    return TRUCE_FAIL(ctx, TRUCE_EINVAL,
                      "%s: no start date; expected "
                      "'start: YYYY-MM-DD' to date the observations against",
                      truce_scenario_file(sc));
  if (!o->n)
    return TRUCE_FAIL(ctx, TRUCE_EINVAL,
                      "no observed rows; expected at "
                      "least one observed-series file with rows");
  truce_hindcast* h = truce__calloc(ctx, 1, sizeof *h);
  ranked* rk = truce__calloc(ctx, o->n, sizeof *rk);
  quantity* qs = truce__calloc(ctx, o->n, sizeof *qs);
  cell* cells = truce__calloc(ctx, o->n, sizeof *cells);
  size_t* cell_of = truce__calloc(ctx, o->n, sizeof *cell_of);
  int rc = h && rk && qs && cells && cell_of ? 0 : TRUCE_ENOMEM;
  if (h) {
    h->ctx = ctx;
    h->runs = opts && opts->runs ? opts->runs : 1000;
  }
  if (!rc) rc = build_groups(h, sc, o, rk);
  plan pl;
  if (!rc) rc = build_plan(h, sc, qs, cells, cell_of, &pl);
  if (!rc && !pl.nc)
    rc = TRUCE_FAIL(ctx, TRUCE_EINVAL,
                    "no observation falls after %s's "
                    "start (%s) and within its horizon (%d days); expected "
                    "rows dated in between",
                    truce_scenario_file(sc), start,
                    truce_scenario_horizon_days(sc));
  truce_ensemble* e = NULL;
  if (!rc) {
    truce_ensemble_hook hook = {pl.nc,  &pl,    hk_new, hk_begin,
                                hk_day, hk_end, hk_free};
    truce_ensemble_opts eo = {0};
    eo.runs = h->runs;
    eo.threads = opts ? opts->threads : 0;
    eo.use_mpi = opts ? opts->use_mpi : 0;
    eo.hook = &hook;
    rc = truce_ensemble_run(ctx, sc, &eo, &e);
  }
  if (!rc && (h->root = truce_ensemble_is_root(e))) {
    rc = score(h, e, cell_of, pl.nc);
    for (uint64_t r = 0; r < h->runs && !rc; r++) {
      truce_side_outcome so[2];
      rc = truce_ensemble_outcome(e, r, so);
      for (int s = 0; s < 2 && !rc; s++)
        h->line_break[s] += so[s].exhaustion_day >= 0;
    }
    for (int s = 0; s < 2; s++) h->line_break[s] /= (double)h->runs;
    if (!rc) rc = pairs(h);
  }
  truce_ensemble_free(e);
  truce__free(ctx, rk, o->n * sizeof *rk);
  truce__free(ctx, qs, o->n * sizeof *qs);
  truce__free(ctx, cells, o->n * sizeof *cells);
  truce__free(ctx, cell_of, o->n * sizeof *cell_of);
  if (rc) {
    truce_hindcast_free(h);
    return rc;
  }
  *out = h;
  return 0;
}
