/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Experiment designs in the unit cube: full factorial grids, Latin
 * hypercubes (McKay, Beckman & Conover 1979), Saltelli's (2010) cross
 * design on GSL's Sobol sequence, and Morris (1991) trajectories chosen
 * for spread as Campolongo, Cariboni & Saltelli (2007) propose, with the
 * greedy elimination of Ruano et al. (2012). Every random choice comes
 * from a Philox stream keyed by (design seed, 0, stream id), so a design
 * is a pure function of its options. docs/explore.md s1.
 */
#include <gsl/gsl_qrng.h>
#include <math.h>
#include <string.h>

#include "explore_int.h"

#define MAX_POINTS 100000000u
#define SOBOL_MAX_DIM 40 /* GSL's gsl_qrng_sobol */

static const char* const design_names[] = {
#define TRUCE_X_(name, value) #name,
    TRUCE_DESIGN_MAP(TRUCE_X_)
#undef TRUCE_X_
};

const char* truce_design_name(int kind) {
  return kind >= 0 && kind < TRUCE_DESIGN_COUNT ? design_names[kind] : NULL;
}

int truce_design_lookup(const char* name) {
  for (int i = 0; name && i < TRUCE_DESIGN_COUNT; i++)
    if (!strcmp(design_names[i], name)) return i;
  return -1;
}

size_t truce_design_option(double u, size_t n) {
  if (n == 0) return 0;
  double f = floor(u * (double)n);
  if (!(f >= 0)) return 0;
  return f >= (double)n ? n - 1 : (size_t)f;
}

/* ----------------------------------------------------------- Builders */

/* Grid of every combination, the last factor fastest: a continuous
 * factor takes n levels l / (n - 1), one with c options the centres
 * (l + 1/2) / c of its c strata. */
static void fill_factorial(truce_design* d) {
  size_t k = d->k;
  for (size_t p = 0; p < d->points; p++) {
    size_t rest = p;
    for (size_t j = k; j-- > 0;) {
      size_t L = d->options[j] ? d->options[j] : d->o.n;
      size_t l = rest % L;
      rest /= L;
      d->u[p * k + j] = d->options[j] ? ((double)l + 0.5) / (double)L
                                      : (double)l / (double)(L - 1);
    }
  }
}

/* A random permutation of 0..n-1 (Fisher-Yates) into perm. */
static void shuffle(truce_rng* r, size_t* perm, size_t n) {
  for (size_t i = 0; i < n; i++) perm[i] = i;
  for (size_t i = n; i > 1; i--) {
    size_t j = (size_t)(truce_rng_u64(r) % i);
    size_t t = perm[i - 1];
    perm[i - 1] = perm[j];
    perm[j] = t;
  }
}

/* n points; in each dimension, each of the n strata [s/n, (s+1)/n) holds
 * exactly one point, at a uniform position within it. */
static int fill_lhs(truce_design* d) {
  size_t n = d->points, k = d->k;
  size_t* perm = truce__calloc(d->ctx, n, sizeof *perm);
  truce_rng* r = NULL;
  int rc = perm ? truce_rng_new(d->ctx, d->o.seed, 0, TRUCE_XS_LHS, &r)
                : TRUCE_ENOMEM;
  for (size_t j = 0; j < k && !rc; j++) {
    shuffle(r, perm, n);
    for (size_t p = 0; p < n; p++)
      d->u[p * k + j] = ((double)perm[p] + truce_rng_uniform(r)) / (double)n;
  }
  truce_rng_free(r);
  truce__free(d->ctx, perm, n * sizeof *perm);
  return rc;
}

/* Saltelli's cross design: base matrices A and B (the first and last k
 * coordinates of N points of a 2k-dimensional sequence), then for each
 * base row j the points A_j, B_j, AB^1_j .. AB^k_j, where AB^i is A with
 * column i taken from B. */
static int fill_sobol(truce_design* d) {
  size_t k = d->k, N = d->o.n, dim = 2 * k;
  double* base = truce__calloc(d->ctx, dim, sizeof *base);
  double* shift = truce__calloc(d->ctx, dim, sizeof *shift);
  if (!base || !shift) {
    truce__free(d->ctx, base, dim * sizeof *base);
    truce__free(d->ctx, shift, dim * sizeof *shift);
    return TRUCE_ENOMEM;
  }
  gsl_qrng* q = NULL;
  truce_rng *mc = NULL, *sh = NULL;
  int rc = 0;
  d->quasi = dim <= SOBOL_MAX_DIM;
  if (d->quasi) {
    if (!(q = gsl_qrng_alloc(gsl_qrng_sobol, (unsigned)dim))) rc = TRUCE_ENOMEM;
  } else {
    rc = truce_rng_new(d->ctx, d->o.seed, 0, TRUCE_XS_MC, &mc);
  }
  if (!rc && d->o.shift) {
    rc = truce_rng_new(d->ctx, d->o.seed, 0, TRUCE_XS_SHIFT, &sh);
    for (size_t i = 0; i < dim && !rc; i++) shift[i] = truce_rng_uniform(sh);
  }
  for (size_t row = 0; row < N && !rc; row++) {
    if (q) {
      if (gsl_qrng_get(q, base))
        rc = TRUCE_FAIL(d->ctx, TRUCE_EINTERNAL, "gsl_qrng_get failed");
    } else {
      for (size_t i = 0; i < dim; i++) base[i] = truce_rng_uniform(mc);
    }
    for (size_t i = 0; i < dim; i++) {
      double v = base[i] + shift[i];
      base[i] = v >= 1 ? v - 1 : v;
    }
    double* blk = d->u + row * (k + 2) * k;
    memcpy(blk, base, k * sizeof *base);         /* A_j */
    memcpy(blk + k, base + k, k * sizeof *base); /* B_j */
    for (size_t i = 0; i < k; i++) {             /* AB^i_j */
      double* pt = blk + (2 + i) * k;
      memcpy(pt, base, k * sizeof *base);
      pt[i] = base[k + i];
    }
  }
  if (q) gsl_qrng_free(q);
  truce_rng_free(mc);
  truce_rng_free(sh);
  truce__free(d->ctx, base, dim * sizeof *base);
  truce__free(d->ctx, shift, dim * sizeof *shift);
  return rc;
}

/* One Morris trajectory of k + 1 points on the p-level grid {0, 1/(p-1),
 * .., 1}: a random base point whose every coordinate can move by Delta =
 * p / (2 (p - 1)) within [0, 1], then one factor at a time, in random
 * order, moves by +-Delta (Morris 1991, s3). */
static void morris_one(truce_rng* r, size_t k, int p, size_t* perm,
                       double* out) {
  double delta = p / (2.0 * (p - 1));
  int lower = p / 2; /* base levels 0 .. p/2 - 1 keep x + Delta <= 1 */
  for (size_t j = 0; j < k; j++) {
    double x = (double)(truce_rng_u64(r) % (uint64_t)lower) / (p - 1);
    if (truce_rng_u64(r) & 1) x += delta; /* start high, move down */
    out[j] = x;
  }
  shuffle(r, perm, k);
  for (size_t s = 0; s < k; s++) {
    double* prev = out + s * k;
    double* next = prev + k;
    memcpy(next, prev, k * sizeof *next);
    size_t j = perm[s];
    next[j] = prev[j] + delta <= 1 + 1e-12 && prev[j] < delta - 1e-12
                  ? prev[j] + delta
                  : prev[j] - delta;
  }
}

/* Sum of the Euclidean distances between every point of trajectory a and
 * every point of trajectory b (Campolongo et al. 2007, eq. 4). */
static double traj_distance(const double* a, const double* b, size_t k) {
  double s = 0;
  for (size_t p = 0; p <= k; p++)
    for (size_t q = 0; q <= k; q++) {
      double d2 = 0;
      for (size_t j = 0; j < k; j++) {
        double t = a[p * k + j] - b[q * k + j];
        d2 += t * t;
      }
      s += sqrt(d2);
    }
  return s;
}

/* r trajectories: M >= r candidates, then drop the one whose removal
 * keeps the largest sum of squared distances until r remain. */
static int fill_morris(truce_design* d) {
  size_t k = d->k, r = d->o.n, M = d->o.candidates > r ? d->o.candidates : r;
  size_t tsz = (k + 1) * k;
  double* cand = truce__calloc(d->ctx, M * tsz, sizeof *cand);
  size_t* perm = truce__calloc(d->ctx, k, sizeof *perm);
  double* d2 = M > r ? truce__calloc(d->ctx, M * M, sizeof *d2) : NULL;
  double* contrib = M > r ? truce__calloc(d->ctx, M, sizeof *contrib) : NULL;
  bool* gone = M > r ? truce__calloc(d->ctx, M, sizeof *gone) : NULL;
  truce_rng* rng = NULL;
  int rc =
      cand && perm && (M == r || (d2 && contrib && gone)) ? 0 : TRUCE_ENOMEM;
  if (!rc) rc = truce_rng_new(d->ctx, d->o.seed, 0, TRUCE_XS_MORRIS, &rng);
  for (size_t t = 0; t < M && !rc; t++)
    morris_one(rng, k, d->o.levels, perm, cand + t * tsz);
  if (!rc && M > r) {
    for (size_t a = 0; a < M; a++)
      for (size_t b = a + 1; b < M; b++) {
        double v = traj_distance(cand + a * tsz, cand + b * tsz, k);
        d2[a * M + b] = d2[b * M + a] = v * v;
        contrib[a] += v * v;
        contrib[b] += v * v;
      }
    for (size_t left = M; left > r; left--) {
      size_t worst = M;
      for (size_t a = 0; a < M; a++)
        if (!gone[a] && (worst == M || contrib[a] < contrib[worst])) worst = a;
      gone[worst] = true;
      for (size_t a = 0; a < M; a++) contrib[a] -= d2[a * M + worst];
    }
  }
  for (size_t t = 0, o = 0; t < M && !rc; t++)
    if (!gone || !gone[t])
      memcpy(d->u + (o++) * tsz, cand + t * tsz, tsz * sizeof *cand);
  truce_rng_free(rng);
  truce__free(d->ctx, cand, M * tsz * sizeof *cand);
  truce__free(d->ctx, perm, k * sizeof *perm);
  truce__free(d->ctx, d2, M * M * sizeof *d2);
  truce__free(d->ctx, contrib, M * sizeof *contrib);
  truce__free(d->ctx, gone, M * sizeof *gone);
  return rc;
}

/* ---------------------------------------------------------- Public API */

int truce_design_new(truce_ctx* ctx, const truce_design_opts* o, size_t k,
                     const size_t* options, truce_design** out) {
  if (!ctx || !o || !out || (k && !options)) return TRUCE_EINVAL;
  *out = NULL;
  const char* name = truce_design_name(o->kind);
  if (!name)
    return TRUCE_FAIL(ctx, TRUCE_EINVAL,
                      "unknown design kind %d; expected "
                      "factorial, lhs, sobol or morris",
                      o->kind);
  if (k == 0)
    return TRUCE_FAIL(ctx, TRUCE_EINVAL,
                      "a %s design over no factors; "
                      "expected at least one uncertain number or lever",
                      name);
  if (o->replicates < 1)
    return TRUCE_FAIL(ctx, TRUCE_EINVAL, "0 replicates; expected at least 1");
  double pts = 0;
  switch (o->kind) {
    case TRUCE_DESIGN_factorial:
      pts = 1;
      for (size_t j = 0; j < k; j++)
        pts *= options[j] ? (double)options[j] : (double)o->n;
      if (o->n < 2)
        return TRUCE_FAIL(ctx, TRUCE_EINVAL,
                          "a factorial design with %zu "
                          "levels; expected at least 2",
                          o->n);
      break;
    case TRUCE_DESIGN_lhs: pts = (double)o->n; break;
    case TRUCE_DESIGN_sobol: pts = (double)o->n * (double)(k + 2); break;
    case TRUCE_DESIGN_morris:
      pts = (double)o->n * (double)(k + 1);
      if (o->levels < 2 || o->levels % 2)
        return TRUCE_FAIL(ctx, TRUCE_EINVAL,
                          "Morris levels %d; expected an "
                          "even number of at least 2",
                          o->levels);
      break;
  }
  if (o->n < 1 || pts < 1)
    return TRUCE_FAIL(ctx, TRUCE_EINVAL,
                      "a %s design of size 0; expected "
                      "at least 1",
                      name);
  if (pts * (double)o->replicates > MAX_POINTS)
    return TRUCE_FAIL(ctx, TRUCE_EINVAL,
                      "a %s design of %.3g runs; expected "
                      "at most %u",
                      name, pts * (double)o->replicates, MAX_POINTS);
  truce_design* d = truce__calloc(ctx, 1, sizeof *d);
  if (!d) return TRUCE_ENOMEM;
  d->ctx = ctx;
  d->o = *o;
  d->k = k;
  d->points = (size_t)pts;
  d->options = truce__calloc(ctx, k, sizeof *d->options);
  d->u = truce__calloc(ctx, d->points * k, sizeof *d->u);
  int rc = d->options && d->u ? 0 : TRUCE_ENOMEM;
  if (!rc) memcpy(d->options, options, k * sizeof *options);
  if (!rc) switch (o->kind) {
      case TRUCE_DESIGN_factorial: fill_factorial(d); break;
      case TRUCE_DESIGN_lhs: rc = fill_lhs(d); break;
      case TRUCE_DESIGN_sobol: rc = fill_sobol(d); break;
      case TRUCE_DESIGN_morris: rc = fill_morris(d); break;
    }
  if (rc) {
    truce_design_free(d);
    return rc;
  }
  *out = d;
  return 0;
}

void truce_design_free(truce_design* d) {
  if (!d) return;
  truce__free(d->ctx, d->u, d->points * d->k * sizeof *d->u);
  truce__free(d->ctx, d->options, d->k * sizeof *d->options);
  truce__free(d->ctx, d, sizeof *d);
}

size_t truce_design_points(const truce_design* d) { return d ? d->points : 0; }
size_t truce_design_factors(const truce_design* d) { return d ? d->k : 0; }
size_t truce_design_replicates(const truce_design* d) {
  return d ? d->o.replicates : 0;
}
int truce_design_kind_of(const truce_design* d) { return d ? d->o.kind : -1; }
bool truce_design_is_quasi(const truce_design* d) { return d && d->quasi; }
const double* truce_design_point(const truce_design* d, size_t p) {
  return d && p < d->points ? d->u + p * d->k : NULL;
}
