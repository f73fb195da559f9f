/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Scenario discovery: the Patient Rule Induction Method (Friedman &
 * Fisher 1999) as Bryant & Lempert (2010) use it. Peeling removes, at
 * each step, the share alpha of the box's points at one end of one input
 * that leaves the highest density of rows meeting the condition, down to
 * a minimum mass; the trajectory of (coverage, density) is the trade-off
 * curve; the chosen box is the densest with at least the required
 * coverage, then pasted (widened by small steps while its density does
 * not fall). Each limit's significance is the one-sided hypergeometric
 * probability of the box's hits if that limit were dropped. Inputs are
 * pre-sorted once, so a step costs O(n k). Also the Kolmogorov-Smirnov
 * feature ranking of regional sensitivity analysis (Spear & Hornberger
 * 1980). docs/explore.md s4.
 */
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sort.h>
#include <math.h>
#include <string.h>

#include "explore_int.h"

struct truce_prim {
  truce_ctx* ctx;
  size_t n, k, steps, cap, chosen;
  double* traj;    /* cap rows of coverage, density, mass, lo[k], hi[k] */
  double *lo, *hi; /* the pasted box */
  double coverage, density;
  double* pvalue;
};

typedef struct {
  size_t n, k;
  const double* x;
  const bool* hit;
  size_t* order; /* k x n: rows by input j ascending */
  bool* in;
  double *lo, *hi;
  size_t nb, hb; /* rows and hits in the box */
} state;

static bool inside_but(const state* s, size_t row, size_t skip) {
  const double* r = s->x + row * s->k;
  for (size_t j = 0; j < s->k; j++)
    if (j != skip && (r[j] < s->lo[j] || r[j] > s->hi[j])) return false;
  return true;
}

static void recount(state* s) {
  s->nb = s->hb = 0;
  for (size_t i = 0; i < s->n; i++) {
    s->in[i] = inside_but(s, i, s->k);
    s->nb += s->in[i];
    s->hb += s->in[i] && s->hit[i];
  }
}

/* The best peel of input j at one end (dir +1: the low end): removes the
 * first m in-box rows in that direction and every row tied with the
 * last; *limit is the new limit. False when nothing can be removed. */
static bool peel_one(const state* s, size_t j, int dir, size_t m, double* limit,
                     size_t* removed, size_t* hits) {
  const size_t* ord = s->order + j * s->n;
  size_t taken = 0, h = 0;
  double last = 0;
  for (size_t t = 0; t < s->n; t++) {
    size_t row = ord[dir > 0 ? t : s->n - 1 - t];
    if (!s->in[row]) continue;
    double v = s->x[row * s->k + j];
    if (taken >= m && v != last) {
      *limit = v;
      *removed = taken;
      *hits = h;
      return taken < s->nb;
    }
    taken++;
    h += s->hit[row];
    last = v;
  }
  return false;
}

/* Widen input j's limit at one end by the m nearest rows outside it that
 * lie within every other limit (and their ties): the new limit and the
 * rows and hits added. */
static bool paste_one(const state* s, size_t j, int dir, size_t m,
                      double* limit, size_t* added, size_t* hits) {
  const size_t* ord = s->order + j * s->n;
  double edge = dir > 0 ? s->lo[j] : s->hi[j];
  size_t taken = 0, h = 0;
  double last = edge;
  for (size_t t = 0; t < s->n; t++) { /* outward from the edge */
    size_t row = ord[dir > 0 ? s->n - 1 - t : t];
    double v = s->x[row * s->k + j];
    if (dir > 0 ? v >= edge : v <= edge) continue;
    if (!inside_but(s, row, j)) continue;
    if (taken >= m && v != last) break;
    taken++;
    h += s->hit[row];
    last = v;
  }
  *limit = last;
  *added = taken;
  *hits = h;
  return taken > 0;
}

/* Append the current box to the trajectory: a row of 3 + 2k numbers
 * (coverage, density, mass, lo[k], hi[k]), growing it by half. */
static int push_step(truce_prim* p, const state* s, size_t hits_all) {
  size_t w = 3 + 2 * s->k;
  if (p->steps == p->cap) {
    size_t nc = p->cap + p->cap / 2 + 8;
    double* t = truce__realloc(p->ctx, p->traj, w * p->cap * sizeof *t,
                               w * nc * sizeof *t);
    if (!t) return TRUCE_ENOMEM;
    p->traj = t;
    p->cap = nc;
  }
  double* t = p->traj + w * p->steps;
  t[0] = hits_all ? (double)s->hb / (double)hits_all : (double)NAN;
  t[1] = s->nb ? (double)s->hb / (double)s->nb : (double)NAN;
  t[2] = (double)s->nb / (double)s->n;
  memcpy(t + 3, s->lo, s->k * sizeof *s->lo);
  memcpy(t + 3 + s->k, s->hi, s->k * sizeof *s->hi);
  p->steps++;
  return 0;
}

/* Peeling: while the box holds misses, remove the alpha share of its
 * rows at the one end of one input that leaves the highest density
 * (fewest removed among equals), down to mass_min; each box is a step
 * of the trajectory. */
static int peel(truce_prim* p, state* s, const truce_prim_opts* o,
                size_t hits_all) {
  int rc = 0;
  while (!rc && s->hb < s->nb) {
    size_t m = (size_t)floor(o->alpha * (double)s->nb);
    if (m < 1) m = 1;
    double best = -1, best_lim = 0;
    size_t best_j = 0, best_rm = 0;
    int best_dir = 0;
    for (size_t j = 0; j < s->k; j++)
      for (int dir = 1; dir >= -1; dir -= 2) {
        double lim;
        size_t rm, h;
        if (!peel_one(s, j, dir, m, &lim, &rm, &h)) continue;
        double dens = (double)(s->hb - h) / (double)(s->nb - rm);
        if (dens > best || (dens == best && rm < best_rm)) {
          best = dens;
          best_j = j;
          best_dir = dir;
          best_lim = lim;
          best_rm = rm;
        }
      }
    if (best_dir == 0) break;
    if ((double)(s->nb - best_rm) < o->mass_min * (double)s->n) break;
    if (best_dir > 0)
      s->lo[best_j] = best_lim;
    else
      s->hi[best_j] = best_lim;
    recount(s);
    rc = push_step(p, s, hits_all);
  }
  return rc;
}

/* The densest box of the trajectory with enough coverage (the earliest
 * among equals) becomes the current box. */
static void choose(truce_prim* p, state* s, const truce_prim_opts* o) {
  size_t c = 0;
  size_t w = 3 + 2 * s->k;
  for (size_t t = 0; t < p->steps; t++) {
    const double* tr = p->traj + w * t;
    if (!(tr[0] >= o->coverage_min)) continue;
    if (tr[1] > p->traj[w * c + 1] || !(p->traj[w * c] >= o->coverage_min))
      c = t;
  }
  p->chosen = c;
  memcpy(p->lo, p->traj + (3 + 2 * s->k) * c + 3, s->k * sizeof *p->lo);
  memcpy(p->hi, p->traj + (3 + 2 * s->k) * c + 3 + s->k, s->k * sizeof *p->hi);
  recount(s);
}

/* Pasting: the widening that keeps the highest density, while the
 * density does not fall and hits are added. */
static void paste(state* s, const truce_prim_opts* o) {
  while (s->nb < s->n) {
    size_t m = (size_t)floor(o->paste * (double)s->nb);
    if (m < 1) m = 1;
    double dens0 = (double)s->hb / (double)s->nb, best = -1, best_lim = 0;
    size_t best_j = 0;
    int best_dir = 0;
    for (size_t j = 0; j < s->k; j++)
      for (int dir = 1; dir >= -1; dir -= 2) {
        double lim;
        size_t add, h;
        if ((dir > 0 ? s->lo[j] : s->hi[j]) ==
            (dir > 0 ? -(double)INFINITY : (double)INFINITY))
          continue;
        if (!paste_one(s, j, dir, m, &lim, &add, &h) || h == 0) continue;
        double dens = (double)(s->hb + h) / (double)(s->nb + add);
        if (dens >= dens0 && dens > best) {
          best = dens;
          best_j = j;
          best_dir = dir;
          best_lim = lim;
        }
      }
    if (best_dir == 0) break;
    if (best_dir > 0)
      s->lo[best_j] = best_lim;
    else
      s->hi[best_j] = best_lim;
    recount(s);
  }
}

/* The final box: limits at or beyond the data's range dropped, its
 * coverage and density, and each restricted input's p-value (the
 * hypergeometric chance of as many hits in the box among the rows within
 * the other limits). */
static void finish(truce_prim* p, state* s, size_t hits_all) {
  for (size_t j = 0; j < s->k; j++) {
    const size_t* ord = s->order + j * s->n;
    if (p->lo[j] <= s->x[ord[0] * s->k + j]) p->lo[j] = -(double)INFINITY;
    if (p->hi[j] >= s->x[ord[s->n - 1] * s->k + j]) p->hi[j] = (double)INFINITY;
  }
  recount(s);
  p->coverage = hits_all ? (double)s->hb / (double)hits_all : (double)NAN;
  p->density = s->nb ? (double)s->hb / (double)s->nb : (double)NAN;
  for (size_t j = 0; j < s->k; j++) {
    p->pvalue[j] = (double)NAN;
    if (p->lo[j] == -(double)INFINITY && p->hi[j] == (double)INFINITY) continue;
    size_t N1 = 0, K1 = 0;
    for (size_t i = 0; i < s->n; i++)
      if (inside_but(s, i, j)) {
        N1++;
        K1 += s->hit[i];
      }
    p->pvalue[j] = s->hb == 0 ? 1
                              : gsl_cdf_hypergeometric_Q(
                                    (unsigned)(s->hb - 1), (unsigned)K1,
                                    (unsigned)(N1 - K1), (unsigned)s->nb);
  }
}

int truce_prim_run(truce_ctx* ctx, size_t n, size_t k, const double* x,
                   const bool* hit, const truce_prim_opts* opts,
                   truce_prim** out) {
  if (!ctx || !x || !hit || !out || !n || !k) return TRUCE_EINVAL;
  *out = NULL;
  truce_prim_opts o = {0.05, 0.01, 0.05, 0.5};
  if (opts) o = *opts;
  if (!(o.alpha > 0 && o.alpha < 0.5) || !(o.paste > 0 && o.paste < 0.5) ||
      !(o.mass_min > 0 && o.mass_min < 1) ||
      !(o.coverage_min >= 0 && o.coverage_min <= 1))
    return TRUCE_FAIL(ctx, TRUCE_EINVAL,
                      "PRIM options alpha %g, paste %g, "
                      "mass_min %g, coverage_min %g; expected fractions in "
                      "(0, 0.5), (0, 0.5), (0, 1) and [0, 1]",
                      o.alpha, o.paste, o.mass_min, o.coverage_min);
  truce_prim* p = truce__calloc(ctx, 1, sizeof *p);
  state s = {n, k, x, hit, NULL, NULL, NULL, NULL, 0, 0};
  int rc = p ? 0 : TRUCE_ENOMEM;
  if (!rc) {
    p->ctx = ctx;
    p->n = n;
    p->k = k;
    p->lo = truce__calloc(ctx, k, sizeof *p->lo);
    p->hi = truce__calloc(ctx, k, sizeof *p->hi);
    p->pvalue = truce__calloc(ctx, k, sizeof *p->pvalue);
    s.order = truce__calloc(ctx, k * n, sizeof *s.order);
    s.in = truce__calloc(ctx, n, sizeof *s.in);
    s.lo = p->lo;
    s.hi = p->hi;
    if (!p->lo || !p->hi || !p->pvalue || !s.order || !s.in) rc = TRUCE_ENOMEM;
  }
  size_t hits_all = 0;
  if (!rc) {
    for (size_t i = 0; i < n; i++) hits_all += hit[i];
    for (size_t j = 0; j < k; j++) {
      gsl_sort_index(s.order + j * n, x + j, k, n);
      p->lo[j] = -(double)INFINITY;
      p->hi[j] = (double)INFINITY;
    }
    recount(&s);
    rc = push_step(p, &s, hits_all);
  }
  if (!rc) rc = peel(p, &s, &o, hits_all);
  if (!rc) choose(p, &s, &o);
  if (!rc) paste(&s, &o);
  if (!rc) finish(p, &s, hits_all);
  truce__free(ctx, s.order, k * n * sizeof *s.order);
  truce__free(ctx, s.in, n * sizeof *s.in);
  if (rc) {
    truce_prim_free(p);
    return rc;
  }
  *out = p;
  return 0;
}

void truce_prim_free(truce_prim* p) {
  if (!p) return;
  truce__free(p->ctx, p->traj, (3 + 2 * p->k) * p->cap * sizeof *p->traj);
  truce__free(p->ctx, p->lo, p->k * sizeof *p->lo);
  truce__free(p->ctx, p->hi, p->k * sizeof *p->hi);
  truce__free(p->ctx, p->pvalue, p->k * sizeof *p->pvalue);
  truce__free(p->ctx, p, sizeof *p);
}

size_t truce_prim_steps(const truce_prim* p) { return p ? p->steps : 0; }
size_t truce_prim_chosen(const truce_prim* p) { return p ? p->chosen : 0; }

void truce_prim_step(const truce_prim* p, size_t s, double* coverage,
                     double* density, double* mass) {
  const double* t = p && s < p->steps ? p->traj + (3 + 2 * p->k) * s : NULL;
  if (coverage) *coverage = t ? t[0] : (double)NAN;
  if (density) *density = t ? t[1] : (double)NAN;
  if (mass) *mass = t ? t[2] : (double)NAN;
}

void truce_prim_box(const truce_prim* p, double* lo, double* hi,
                    double* coverage, double* density, double* pvalue) {
  if (!p) return;
  if (lo) memcpy(lo, p->lo, p->k * sizeof *lo);
  if (hi) memcpy(hi, p->hi, p->k * sizeof *hi);
  if (pvalue) memcpy(pvalue, p->pvalue, p->k * sizeof *pvalue);
  if (coverage) *coverage = p->coverage;
  if (density) *density = p->density;
}

/* ------------------------------------------------- Feature ranking */

int truce_explore_ks(truce_ctx* ctx, size_t n, size_t k, const double* x,
                     const bool* hit, double* out) {
  if (!ctx || !x || !hit || !out) return TRUCE_EINVAL;
  size_t n1 = 0;
  for (size_t i = 0; i < n; i++) n1 += hit[i];
  size_t n0 = n - n1;
  double* a = truce__calloc(ctx, n1 + 1, sizeof *a);
  double* b = truce__calloc(ctx, n0 + 1, sizeof *b);
  int rc = a && b ? 0 : TRUCE_ENOMEM;
  for (size_t j = 0; j < k && !rc; j++) {
    out[j] = (double)NAN;
    if (!n1 || !n0) continue;
    size_t ia = 0, ib = 0;
    for (size_t i = 0; i < n; i++)
      if (hit[i])
        a[ia++] = x[i * k + j];
      else
        b[ib++] = x[i * k + j];
    gsl_sort(a, 1, n1);
    gsl_sort(b, 1, n0);
    double dmax = 0;
    size_t s = 0, t = 0;
    while (s < n1 && t < n0) { /* step both CDFs past the next value */
      double v = a[s] < b[t] ? a[s] : b[t];
      while (s < n1 && a[s] == v) s++;
      while (t < n0 && b[t] == v) t++;
      double dd = fabs((double)s / (double)n1 - (double)t / (double)n0);
      if (dd > dmax) dmax = dd;
    }
    out[j] = dmax;
  }
  truce__free(ctx, a, (n1 + 1) * sizeof *a);
  truce__free(ctx, b, (n0 + 1) * sizeof *b);
  return rc;
}
