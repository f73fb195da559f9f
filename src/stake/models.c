/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The collective-decision models (docs/stake.md has the equations and the
 * interpretive choices):
 *   compromise  sum c s x / sum c s per dimension;
 *   median      the capability x salience weighted median;
 *   challenge   Bueno de Mesquita's expected-utility model as reconstructed
 *               by Scholz, Calbert & Smith (2011), per dimension;
 *   pce         a spatial model with probabilistic Condorcet elections in
 *               the spirit of KTAB's SMP (multi-dimensional).
 * Positions are rescaled to [0, 1] and saliences to [0, 1] internally.
 * Memory is linear in actors; the pce round is O(n^3 d).
 */
#include <math.h>
#include <string.h>

#include "stake_int.h"

const char* truce_stake_model_name(int m) {
  static const char* const names[] = {"compromise", "median", "challenge",
                                      "pce"};
  return m >= 0 && m < TRUCE_STAKE_MODEL_COUNT ? names[m] : "?";
}

int truce_stake_model_parse(const char* name) {
  for (int m = 0; m < TRUCE_STAKE_MODEL_COUNT; m++)
    if (!strcmp(name, truce_stake_model_name(m))) return m;
  return -1;
}

truce_stake_opts truce_stake_opts_default(void) {
  truce_stake_opts o = {2.0, 1.0, TRUCE_STAKE_AGG_MEAN, 100, 0.02};
  return o;
}

/* ------------------------------------------------ Static aggregators */

/* Weighted mean of x[i*stride] with weights w[i]; plain mean if all 0. */
static double wmean(const double* x, size_t stride, const double* w, size_t n) {
  double sw = 0, sx = 0, plain = 0;
  for (size_t i = 0; i < n; i++) {
    sw += w[i];
    sx += w[i] * x[i * stride];
    plain += x[i * stride];
  }
  return sw > 0 ? sx / sw : plain / (double)n;
}

/* Weighted median: the smallest x whose cumulative weight (in sorted
 * order) reaches half the total; plain median when all weights are 0.
 * idx is scratch of n entries. */
static double wmedian(const double* x, size_t stride, const double* w, size_t n,
                      size_t* idx) {
  for (size_t i = 0; i < n; i++) idx[i] = i;
  for (size_t i = 1; i < n; i++) { /* insertion sort by x (n is small) */
    size_t v = idx[i], j = i;
    while (j > 0 && x[idx[j - 1] * stride] > x[v * stride]) {
      idx[j] = idx[j - 1];
      j--;
    }
    idx[j] = v;
  }
  double tot = 0;
  for (size_t i = 0; i < n; i++) tot += w[i];
  if (!(tot > 0)) {
    return n % 2 ? x[idx[n / 2] * stride]
                 : 0.5 * (x[idx[n / 2 - 1] * stride] + x[idx[n / 2] * stride]);
  }
  double acc = 0;
  for (size_t i = 0; i < n; i++) {
    acc += w[idx[i]];
    if (acc >= tot / 2) return x[idx[i] * stride];
  }
  return x[idx[n - 1] * stride];
}

/* Outcome on dimension k of positions p (n x d, 0..1) with c x s weights. */
static double aggregate(const truce_stake* st, const double* p, size_t k,
                        int median, double* w, size_t* idx) {
  for (size_t i = 0; i < st->n; i++) w[i] = st->cap[i] * st->sal[i * st->d + k];
  return median ? wmedian(p + k, st->d, w, st->n, idx)
                : wmean(p + k, st->d, w, st->n);
}

/* --------------------------------------------------- Challenge (BDM) */

/* One round of the expected-utility model on one dimension, after Scholz,
 * Calbert & Smith (2011): every ordered pair computes its expected utility
 * of challenging; credible offers are classified as conflict, compromise
 * or capitulation; each actor takes the offer that moves it least. */
static double bdm_round(const truce_stake* st, size_t k, const double* x,
                        double* nx) {
  size_t n = st->n, d = st->d;
  double moved = 0;
  for (size_t j = 0; j < n; j++) nx[j] = x[j];
  for (size_t j = 0; j < n; j++) {
    double best = -1, best_pos = x[j];
    for (size_t i = 0; i < n; i++) {
      if (i == j) continue;
      double dist = fabs(x[i] - x[j]);
      if (dist < 1e-12) continue;
      /* P_i: share of salience-weighted capability preferring x_i */
      double pro = 0, all = 0;
      for (size_t m = 0; m < n; m++) {
        double v = st->cap[m] * st->sal[m * d + k] / 100 *
                   (fabs(x[m] - x[j]) - fabs(x[m] - x[i]));
        if (v > 0) pro += v;
        all += fabs(v);
      }
      double P = all > 0 ? pro / all : 0.5;
      /* utilities (risk neutral, r = 1): success, failure, status quo */
      double Us = 2 - 4 * (0.5 - 0.5 * dist), Uf = 2 - 4 * (0.5 + 0.5 * dist);
      double Usq = 0;
      double sj = st->sal[j * d + k] / 100, si = st->sal[i * d + k] / 100;
      double EUi = sj * (P * Us + (1 - P) * Uf) + (1 - sj) * Us - Usq;
      double EUj = si * ((1 - P) * Us + P * Uf) + (1 - si) * Us - Usq;
      if (!(EUi > 0) || EUi <= EUj) continue; /* no credible offer */
      double target;
      if (EUj > 0) /* conflict: j ends at x_i with probability P */
        target = x[j] + P * (x[i] - x[j]);
      else if (-EUj < EUi) /* capitulation */
        target = x[i];
      else /* compromise, in proportion to i's gain against j's loss */
        target = x[j] + EUi / (EUi - EUj) * (x[i] - x[j]);
      double cost = fabs(target - x[j]);
      if (best < 0 || cost < best) {
        best = cost;
        best_pos = target;
      }
    }
    nx[j] = best_pos;
    moved += fabs(best_pos - x[j]);
  }
  return moved;
}

/* ----------------------------------------------- PCE spatial model */

typedef struct {
  const truce_stake* st;
  const truce_stake_opts* o;
  double* w; /* n x d saliences on 0..1 */
} pce;

/* Utility of actor m for point y (d): minus its salience-weighted
 * distance, to the power `risk`. */
static double util(const pce* P, size_t m, const double* xm, const double* y) {
  size_t d = P->st->d;
  double dist = 0;
  for (size_t k = 0; k < d; k++) dist += P->w[m * d + k] * fabs(y[k] - xm[k]);
  double r = P->o->risk;
  return r == 1     ? -dist
         : r == 2   ? -dist * dist
         : r == 0.5 ? -sqrt(dist)
                    : -pow(dist, r);
}

/* Probability that option a beats option b in a probabilistic Condorcet
 * election of all actors (positions x): coalition strengths are sums of
 * capability-weighted utility differences; a contest success function
 * with exponent gamma turns them into a probability. */
static double beats(const pce* P, const double* x, const double* a,
                    const double* b) {
  const truce_stake* st = P->st;
  double sa = 0, sb = 0;
  for (size_t m = 0; m < st->n; m++) {
    const double* xm = x + m * st->d;
    double v = st->cap[m] * (util(P, m, xm, a) - util(P, m, xm, b));
    if (v > 0)
      sa += v;
    else
      sb -= v;
  }
  if (sa + sb <= 0) return 0.5;
  /* sa^g / (sa^g + sb^g) = 1 / (1 + (sb/sa)^g) */
  if (sa <= 0) return 0;
  double g = P->o->gamma, q = sb / sa, qg;
  if (g == 1)
    qg = q;
  else if (g == 2)
    qg = q * q;
  else if (g == 4)
    qg = (q * q) * (q * q);
  else if (g == 0.5)
    qg = sqrt(q);
  else
    qg = pow(q, g);
  return 1 / (1 + qg);
}

/* One pce round. Returns the total movement. nx: new positions. prop
 * (n x d) and has_prop (n): scratch for each target's best proposal. */
static double pce_round(const pce* P, const double* x, double* nx, double* prop,
                        int* proposer, double* bar) {
  const truce_stake* st = P->st;
  size_t n = st->n, d = st->d;
  /* 1. each actor i proposes to the target j where its expected gain
   *    P(bargain beats x_j) (u_i(bargain) - u_i(x_j)) is largest. */
  for (size_t j = 0; j < n; j++) proposer[j] = -1;
  double* best_gain = nx; /* reuse as scratch: nx[j*d] until step 2 */
  for (size_t j = 0; j < n; j++) best_gain[j * d] = 0;
  for (size_t i = 0; i < n; i++) {
    double gi = 0;
    long ti = -1;
    const double* xi = x + i * d;
    for (size_t j = 0; j < n; j++) {
      if (j == i) continue;
      const double* xj = x + j * d;
      for (size_t k = 0; k < d; k++) { /* bargain: power-weighted split */
        double wi = st->cap[i] * P->w[i * d + k];
        double wj = st->cap[j] * P->w[j * d + k];
        double lam = wi + wj > 0 ? wi / (wi + wj) : 0.5;
        bar[k] = xj[k] + lam * (xi[k] - xj[k]);
      }
      double du = util(P, i, xi, bar) - util(P, i, xi, xj);
      if (du <= 0) continue;
      double g = beats(P, x, bar, xj) * du;
      if (g > gi) {
        gi = g;
        ti = (long)j;
      }
    }
    /* keep, per target, the proposal with the largest gain */
    if (ti >= 0 && gi > best_gain[(size_t)ti * d]) {
      size_t j = (size_t)ti;
      best_gain[j * d] = gi;
      proposer[j] = (int)i;
      const double* xj = x + j * d;
      for (size_t k = 0; k < d; k++) {
        double wi = st->cap[i] * P->w[i * d + k];
        double wj = st->cap[j] * P->w[j * d + k];
        double lam = wi + wj > 0 ? wi / (wi + wj) : 0.5;
        prop[j * d + k] = xj[k] + lam * (xi[k] - xj[k]);
      }
    }
  }
  /* 2. each target's new position: the expected outcome of a Condorcet
   *    election between its position and the proposal it received. */
  double moved = 0;
  for (size_t j = 0; j < n; j++) {
    const double* xj = x + j * d;
    if (proposer[j] < 0) {
      memcpy(nx + j * d, xj, d * sizeof *xj);
      continue;
    }
    double pb = beats(P, x, prop + j * d, xj);
    for (size_t k = 0; k < d; k++) {
      double v = xj[k] + pb * (prop[j * d + k] - xj[k]);
      moved += fabs(v - xj[k]);
      nx[j * d + k] = v;
    }
  }
  return moved;
}

double truce__stake_pce_beats(const truce_stake* st, const truce_stake_opts* o,
                              const double* x01, const double* a,
                              const double* b) {
  double* w = truce__calloc(st->ctx, st->n * st->d, sizeof(double));
  if (!w) return (double)NAN;
  for (size_t i = 0; i < st->n * st->d; i++) w[i] = st->sal[i] / 100;
  pce P = {st, o, w};
  double p = beats(&P, x01, a, b);
  truce__free(st->ctx, w, st->n * st->d * sizeof(double));
  return p;
}

/* ---------------------------------------------------------- Solve */

/* A result as allocated: the public struct and the rounds its trajectory
 * has room for (the options' max_rounds; rounds run may be fewer), so
 * that it is freed with the sizes it was allocated with. */
typedef struct {
  truce_stake_result pub;
  size_t max_rounds;
} result_block;

void truce_stake_result_free(truce_ctx* ctx, truce_stake_result* r) {
  if (!r) return;
  size_t d = r->dims, R = ((result_block*)r)->max_rounds;
  truce__free(ctx, r->outcome, d * sizeof(double));
  truce__free(ctx, r->trajectory, (R + 1) * d * sizeof(double));
  truce__free(ctx, r->positions, r->actors * d * sizeof(double));
  truce__free(ctx, r, sizeof(result_block));
}

int truce_stake_solve(truce_ctx* ctx, const truce_stake* st, int model,
                      const truce_stake_opts* opts, truce_stake_result** out) {
  TRUCE_CHECK_ARGS(ctx, st && out);
  *out = NULL;
  if (model < 0 || model >= TRUCE_STAKE_MODEL_COUNT)
    return TRUCE_FAIL(ctx, TRUCE_EINVAL, "unknown model %d", model);
  truce_stake_opts o = opts ? *opts : truce_stake_opts_default();
  if (!(o.gamma > 0) || !(o.risk > 0) || o.max_rounds < 1 ||
      !(o.stop_share >= 0))
    return TRUCE_FAIL(ctx, TRUCE_EINVAL, "bad model options");
  size_t n = st->n, d = st->d;
  int R = model >= TRUCE_STAKE_CHALLENGE ? o.max_rounds : 0;
  result_block* rb = truce__calloc(ctx, 1, sizeof *rb);
  if (!rb) return TRUCE_ENOMEM;
  rb->max_rounds = (size_t)R;
  truce_stake_result* r = &rb->pub;
  r->model = model;
  r->dims = d;
  r->actors = n;
  r->outcome = truce__calloc(ctx, d, sizeof(double));
  r->trajectory = truce__calloc(ctx, ((size_t)R + 1) * d, sizeof(double));
  r->positions = truce__calloc(ctx, n * d, sizeof(double));
  double* x = truce__calloc(ctx, n * d, sizeof(double));
  double* nx = truce__calloc(ctx, n * d, sizeof(double));
  double* prop = truce__calloc(ctx, n * d, sizeof(double));
  double* wts = truce__calloc(ctx, n * d + n, sizeof(double));
  double* bar = truce__calloc(ctx, d, sizeof(double));
  int* proposer = truce__calloc(ctx, n, sizeof(int));
  size_t* idx = truce__calloc(ctx, n, sizeof(size_t));
  int rc = 0;
  if (!r->outcome || !r->trajectory || !r->positions || !x || !nx || !prop ||
      !wts || !bar || !proposer || !idx) {
    rc = TRUCE_ENOMEM;
    goto done;
  }
  double span = st->hi - st->lo;
  for (size_t i = 0; i < n * d; i++) x[i] = (st->pos[i] - st->lo) / span;
  double* w = wts + n * d; /* aggregation weights, n */
  int median =
      model == TRUCE_STAKE_MEDIAN ||
      (model >= TRUCE_STAKE_CHALLENGE && o.aggregate == TRUCE_STAKE_AGG_MEDIAN);
  for (size_t k = 0; k < d; k++)
    r->trajectory[k] = aggregate(st, x, k, median, w, idx);
  int rounds = 0, converged = 0;
  if (model == TRUCE_STAKE_CHALLENGE) {
    /* per dimension, independently */
    double* col = prop;
    double* ncol = nx;
    int maxr = 0;
    for (size_t k = 0; k < d; k++) {
      for (size_t i = 0; i < n; i++) col[i] = x[i * d + k];
      int rk = 0, conv = 0;
      double first = -1;
      for (rk = 1; rk <= R; rk++) {
        double mv = bdm_round(st, k, col, ncol);
        memcpy(col, ncol, n * sizeof *col);
        for (size_t i = 0; i < n; i++) x[i * d + k] = col[i];
        r->trajectory[(size_t)rk * d + k] = aggregate(st, x, k, median, w, idx);
        if (first < 0) first = mv;
        if (mv <= o.stop_share * first || mv < 1e-9) {
          conv = 1;
          break;
        }
      }
      if (rk > R) rk = R;
      if (rk > maxr) maxr = rk;
      converged = k == 0 ? conv : converged && conv;
      /* carry the final value forward for dimensions that stopped early */
      for (int q = rk + 1; q <= R; q++)
        r->trajectory[(size_t)q * d + k] = r->trajectory[(size_t)rk * d + k];
    }
    rounds = maxr;
  } else if (model == TRUCE_STAKE_PCE) {
    pce P = {st, &o, wts};
    for (size_t i = 0; i < n * d; i++) wts[i] = st->sal[i] / 100;
    double first = -1;
    for (rounds = 1; rounds <= R; rounds++) {
      double mv = pce_round(&P, x, nx, prop, proposer, bar);
      memcpy(x, nx, n * d * sizeof *x);
      for (size_t k = 0; k < d; k++)
        r->trajectory[(size_t)rounds * d + k] =
            aggregate(st, x, k, median, w, idx);
      if (first < 0) first = mv;
      if (mv <= o.stop_share * first || mv < 1e-12) {
        converged = 1;
        break;
      }
    }
    if (rounds > R) rounds = R;
  }
  r->rounds = rounds;
  r->converged = converged;
  for (size_t k = 0; k < d; k++)
    r->outcome[k] = st->lo + span * r->trajectory[(size_t)rounds * d + k];
  for (size_t q = 0; q <= (size_t)rounds * d + d - 1; q++)
    r->trajectory[q] = st->lo + span * r->trajectory[q];
  for (size_t i = 0; i < n * d; i++) r->positions[i] = st->lo + span * x[i];
done:
  truce__free(ctx, x, n * d * sizeof(double));
  truce__free(ctx, nx, n * d * sizeof(double));
  truce__free(ctx, prop, n * d * sizeof(double));
  truce__free(ctx, wts, (n * d + n) * sizeof(double));
  truce__free(ctx, bar, d * sizeof(double));
  truce__free(ctx, proposer, n * sizeof(int));
  truce__free(ctx, idx, n * sizeof(size_t));
  if (rc) {
    truce_stake_result_free(ctx, r);
    return rc;
  }
  *out = r;
  return 0;
}
