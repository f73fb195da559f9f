/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Sensitivity indices of an evaluated design: Sobol first-order
 * (Saltelli et al. 2010, Table 2 (b)) and total (Jansen 1999) indices
 * with percentile bootstrap intervals (Archer, Saltelli & Sobol 1997);
 * Morris (1991) elementary effects with Campolongo et al.'s (2007) mu*;
 * partial rank correlation coefficients (Saltelli & Marivoet 1990); and
 * the seed's share of the variance from replicates, by the one-way
 * random-effects ANOVA (Searle, Casella & McCulloch 1992, s3.5), as
 * Marrel et al. (2012) and Hart, Alexanderian & Gremaud (2017) separate
 * a stochastic simulator's intrinsic variance. docs/explore.md s3.
 */
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <string.h>

#include "explore_int.h"

/* Replicate means and within-point sample variances (0 when R = 1). */
static int point_stats(truce_ctx* ctx, const truce_explore* e, size_t j,
                       double** mean, double** var) {
  size_t P = e->points, R = e->reps;
  *mean = truce__calloc(ctx, P, sizeof **mean);
  *var = truce__calloc(ctx, P, sizeof **var);
  if (!*mean || !*var) {
    truce__free(ctx, *mean, P * sizeof **mean);
    truce__free(ctx, *var, P * sizeof **var);
    return TRUCE_ENOMEM;
  }
  for (size_t p = 0; p < P; p++) {
    const double* y = e->y + p * R * e->m + j;
    (*mean)[p] = gsl_stats_mean(y, e->m, R);
    (*var)[p] = R > 1 ? gsl_stats_variance_m(y, e->m, R, (*mean)[p]) : 0;
  }
  return 0;
}

static void free_stats(truce_ctx* ctx, size_t P, double* mean, double* var) {
  truce__free(ctx, mean, P * sizeof *mean);
  truce__free(ctx, var, P * sizeof *var);
}

/* The percentile interval of v[0..n) at level conf (v is sorted). */
static void interval(double* v, size_t n, double conf, double* lo, double* hi) {
  gsl_sort(v, 1, n);
  *lo = gsl_stats_quantile_from_sorted_data(v, 1, n, (1 - conf) / 2);
  *hi = gsl_stats_quantile_from_sorted_data(v, 1, n, (1 + conf) / 2);
}

static int check_output(truce_ctx* ctx, const truce_explore* e,
                        const truce_design* d, size_t j, int kind,
                        const char* what) {
  if (!e->root)
    return TRUCE_FAIL(ctx, TRUCE_EINVAL, "results live on MPI rank 0");
  if (j >= e->m)
    return TRUCE_FAIL(ctx, TRUCE_EINVAL, "output %zu of %zu", j, e->m);
  if (d->points != e->points || d->k != e->k)
    return TRUCE_FAIL(ctx, TRUCE_EINVAL, "the results are not the design's");
  if (kind >= 0 && d->o.kind != kind)
    return TRUCE_FAIL(ctx, TRUCE_EINVAL,
                      "%s needs a %s design; this one is "
                      "%s",
                      what, truce_design_name(kind),
                      truce_design_name(d->o.kind));
  return 0;
}

/* ----------------------------------------------------------- Sobol */

/* First-order and total indices of every factor from the base rows
 * rows[0..N) of the cross design (rows may repeat: a bootstrap sample).
 * Shares of one run's variance: Var(mean) - w/R + w, with w the mean
 * within-point variance; the Jansen total loses the w/R the replicate
 * means' noise adds to it. */
static void sobol_estimate(const double* f, const double* v, size_t k, size_t R,
                           const size_t* rows, size_t N, double* s1,
                           double* st) {
  size_t K = k + 2;
  double sum = 0, sum2 = 0, w = 0;
  for (size_t t = 0; t < N; t++) {
    const double* r = f + rows[t] * K;
    sum += r[0] + r[1];
    for (size_t c = 0; c < K; c++) w += v[rows[t] * K + c];
  }
  double mean = sum / (double)(2 * N);
  for (size_t t = 0; t < N; t++) {
    const double* r = f + rows[t] * K;
    sum2 += (r[0] - mean) * (r[0] - mean) + (r[1] - mean) * (r[1] - mean);
  }
  w /= (double)(N * K);
  double var = sum2 / (double)(2 * N - 1);
  double noise = R > 1 ? w / (double)R : 0;
  double total = var - noise + (R > 1 ? w : 0);
  for (size_t i = 0; i < k; i++) {
    double vi = 0, vti = 0;
    for (size_t t = 0; t < N; t++) {
      const double* r = f + rows[t] * K;
      vi += r[1] * (r[2 + i] - r[0]);
      vti += (r[0] - r[2 + i]) * (r[0] - r[2 + i]);
    }
    vi /= (double)N;
    vti = vti / (double)(2 * N) - noise;
    s1[i] = total > 0 ? vi / total : (double)NAN;
    st[i] = total > 0 ? vti / total : (double)NAN;
  }
}

int truce_explore_sobol(truce_ctx* ctx, const truce_explore* e,
                        const truce_design* d, size_t j, size_t boot,
                        double conf, truce_sobol_index* out) {
  if (!ctx || !e || !d || !out) return TRUCE_EINVAL;
  int rc = check_output(ctx, e, d, j, TRUCE_DESIGN_sobol, "Sobol indices");
  if (rc) return rc;
  if (!(conf > 0 && conf < 1))
    return TRUCE_FAIL(ctx, TRUCE_EINVAL,
                      "confidence %g; expected a level "
                      "between 0 and 1",
                      conf);
  size_t k = d->k, N = d->o.n, B = boot;
  double *f, *v;
  if ((rc = point_stats(ctx, e, j, &f, &v))) return rc;
  size_t* rows = truce__calloc(ctx, N, sizeof *rows);
  double* s1 = truce__calloc(ctx, k * (B + 1), sizeof *s1);
  double* st = truce__calloc(ctx, k * (B + 1), sizeof *st);
  double* col = truce__calloc(ctx, B + 1, sizeof *col);
  truce_rng* rng = NULL;
  rc = rows && s1 && st && col ? 0 : TRUCE_ENOMEM;
  if (!rc) rc = truce_rng_new(ctx, d->o.seed, j, TRUCE_XS_BOOT, &rng);
  if (!rc) {
    for (size_t t = 0; t < N; t++) rows[t] = t;
    sobol_estimate(f, v, k, d->o.replicates, rows, N, s1, st);
    for (size_t b = 1; b <= B; b++) {
      for (size_t t = 0; t < N; t++) rows[t] = truce_rng_u64(rng) % N;
      sobol_estimate(f, v, k, d->o.replicates, rows, N, s1 + b * k, st + b * k);
    }
    for (size_t i = 0; i < k; i++) {
      truce_sobol_index* x = &out[i];
      x->s1 = s1[i];
      x->st = st[i];
      x->s1_lo = x->s1_hi = x->st_lo = x->st_hi = (double)NAN;
      if (B < 2) continue;
      for (size_t b = 0; b < B; b++) col[b] = s1[(b + 1) * k + i];
      interval(col, B, conf, &x->s1_lo, &x->s1_hi);
      for (size_t b = 0; b < B; b++) col[b] = st[(b + 1) * k + i];
      interval(col, B, conf, &x->st_lo, &x->st_hi);
    }
  }
  truce_rng_free(rng);
  truce__free(ctx, rows, N * sizeof *rows);
  truce__free(ctx, s1, k * (B + 1) * sizeof *s1);
  truce__free(ctx, st, k * (B + 1) * sizeof *st);
  truce__free(ctx, col, (B + 1) * sizeof *col);
  free_stats(ctx, e->points, f, v);
  return rc;
}

/* ---------------------------------------------------------- Morris */

int truce_explore_morris(truce_ctx* ctx, const truce_explore* e,
                         const truce_design* d, size_t j, size_t boot,
                         double conf, truce_morris_index* out) {
  if (!ctx || !e || !d || !out) return TRUCE_EINVAL;
  int rc = check_output(ctx, e, d, j, TRUCE_DESIGN_morris, "Morris effects");
  if (rc) return rc;
  size_t k = d->k, r = d->o.n, B = boot;
  double *f, *v;
  if ((rc = point_stats(ctx, e, j, &f, &v))) return rc;
  double* ee = truce__calloc(ctx, r * k, sizeof *ee); /* ee[t k + i] */
  double* col = truce__calloc(ctx, (B > r ? B : r) + 1, sizeof *col);
  truce_rng* rng = NULL;
  rc = ee && col ? 0 : TRUCE_ENOMEM;
  if (!rc) rc = truce_rng_new(ctx, d->o.seed, j, TRUCE_XS_BOOT, &rng);
  for (size_t t = 0; t < r && !rc; t++)
    for (size_t s = 0; s < k; s++) {
      size_t p = t * (k + 1) + s;
      const double* a = d->u + p * k;
      const double* b = a + k;
      size_t i = 0;
      while (i < k && a[i] == b[i]) i++;
      TRUCE_ASSERT(ctx, i < k);
      ee[t * k + i] = (f[p + 1] - f[p]) / (b[i] - a[i]);
    }
  for (size_t i = 0; i < k && !rc; i++) {
    truce_morris_index* x = &out[i];
    for (size_t t = 0; t < r; t++) col[t] = ee[t * k + i];
    x->mu = gsl_stats_mean(col, 1, r);
    x->sigma = r > 1 ? gsl_stats_sd_m(col, 1, r, x->mu) : 0;
    double s = 0;
    for (size_t t = 0; t < r; t++) s += fabs(col[t]);
    x->mu_star = s / (double)r;
    x->mu_star_lo = x->mu_star_hi = (double)NAN;
    if (B < 2) continue;
    for (size_t b = 0; b < B; b++) {
      double a = 0;
      for (size_t t = 0; t < r; t++)
        a += fabs(ee[(truce_rng_u64(rng) % r) * k + i]);
      col[b] = a / (double)r;
    }
    interval(col, B, conf, &x->mu_star_lo, &x->mu_star_hi);
  }
  truce_rng_free(rng);
  truce__free(ctx, ee, r * k * sizeof *ee);
  truce__free(ctx, col, ((B > r ? B : r) + 1) * sizeof *col);
  free_stats(ctx, e->points, f, v);
  return rc;
}

/* ------------------------------------------------------------ PRCC */

/* Ranks 1..n of v[0..n) (stride s) into out, ties given their mean. */
static void ranks(const double* v, size_t s, size_t n, size_t* idx,
                  double* out) {
  gsl_sort_index(idx, v, s, n);
  for (size_t a = 0; a < n;) {
    size_t b = a;
    while (b + 1 < n && v[idx[b + 1] * s] == v[idx[a] * s]) b++;
    double rk = 0.5 * (double)(a + b) + 1;
    for (size_t c = a; c <= b; c++) out[idx[c]] = rk;
    a = b + 1;
  }
}

int truce_explore_prcc(truce_ctx* ctx, const truce_explore* e,
                       const truce_design* d, size_t j, double* out) {
  if (!ctx || !e || !d || !out) return TRUCE_EINVAL;
  int rc = check_output(ctx, e, d, j, -1, "");
  if (rc) return rc;
  size_t P = e->points, k = e->k;
  double *f, *v;
  if ((rc = point_stats(ctx, e, j, &f, &v))) return rc;
  size_t* use = truce__calloc(ctx, k + 1, sizeof *use);
  size_t* idx = truce__calloc(ctx, P, sizeof *idx);
  double* rk = truce__calloc(ctx, P * (k + 1), sizeof *rk);
  gsl_matrix* c = NULL;
  rc = use && idx && rk ? 0 : TRUCE_ENOMEM;
  size_t q = 0; /* factors that vary */
  for (size_t i = 0; i < k && !rc; i++) {
    out[i] = (double)NAN;
    const double* x = e->x + i;
    bool varies = false;
    for (size_t p = 1; p < P && !varies; p++) varies = x[p * k] != x[0];
    if (varies) use[q++] = i;
  }
  if (!rc && P <= q + 2)
    rc = TRUCE_FAIL(ctx, TRUCE_EDOM,
                    "partial rank correlations of %zu "
                    "inputs need more than %zu points; the design has %zu",
                    q, q + 2, P);
  if (!rc && q && !(c = gsl_matrix_alloc(q + 1, q + 1))) rc = TRUCE_ENOMEM;
  if (!rc && q) {
    for (size_t a = 0; a < q; a++) ranks(e->x + use[a], k, P, idx, rk + a * P);
    ranks(f, 1, P, idx, rk + q * P);
    for (size_t a = 0; a <= q; a++)
      for (size_t b = a; b <= q; b++) {
        double r = gsl_stats_correlation(rk + a * P, 1, rk + b * P, 1, P);
        gsl_matrix_set(c, a, b, r);
        gsl_matrix_set(c, b, a, r);
      }
    gsl_error_handler_t* old = gsl_set_error_handler_off();
    int g = gsl_linalg_cholesky_decomp1(c);
    if (!g) g = gsl_linalg_cholesky_invert(c);
    gsl_set_error_handler(old);
    if (g) {
      rc = TRUCE_FAIL(ctx, TRUCE_EDOM,
                      "partial rank correlations: the "
                      "inputs' ranks are collinear (or the output is "
                      "constant); expected a design that varies them apart");
    } else {
      double cyy = gsl_matrix_get(c, q, q);
      for (size_t a = 0; a < q; a++)
        out[use[a]] =
            -gsl_matrix_get(c, a, q) / sqrt(gsl_matrix_get(c, a, a) * cyy);
    }
  }
  if (c) gsl_matrix_free(c);
  truce__free(ctx, use, (k + 1) * sizeof *use);
  truce__free(ctx, idx, P * sizeof *idx);
  truce__free(ctx, rk, P * (k + 1) * sizeof *rk);
  free_stats(ctx, P, f, v);
  return rc;
}

/* ------------------------------------------------------- Seed share */

int truce_explore_seed_share(truce_ctx* ctx, const truce_explore* e,
                             const truce_design* d, size_t j, double conf,
                             truce_seed_share* out) {
  if (!ctx || !e || !d || !out) return TRUCE_EINVAL;
  int rc = check_output(ctx, e, d, j, -1, "");
  if (rc) return rc;
  size_t P = e->points, R = e->reps;
  if (R < 2 || P < 2)
    return TRUCE_FAIL(ctx, TRUCE_EINVAL,
                      "the seed's share needs at least 2 "
                      "replicates of at least 2 points; this design has %zu "
                      "of %zu",
                      R, P);
  if (!(conf > 0 && conf < 1))
    return TRUCE_FAIL(ctx, TRUCE_EINVAL,
                      "confidence %g; expected a level "
                      "between 0 and 1",
                      conf);
  double *f, *v;
  if ((rc = point_stats(ctx, e, j, &f, &v))) return rc;
  double msw = gsl_stats_mean(v, 1, P);
  double msb = (double)R * gsl_stats_variance(f, 1, P);
  double sb = (msb - msw) / (double)R;
  if (sb < 0) sb = 0;
  out->within = msw;
  out->between = sb;
  if (msw <= 0) { /* no chance at all */
    out->share = out->lo = out->hi = msb > 0 ? 0 : (double)NAN;
  } else {
    out->share = msw / (msw + sb);
    double F = msb / msw, df1 = (double)(P - 1), df2 = (double)(P * (R - 1));
    double fu = gsl_cdf_fdist_Pinv((1 + conf) / 2, df1, df2);
    double fl = gsl_cdf_fdist_Pinv((1 - conf) / 2, df1, df2);
    double Rd = (double)R;
    double rho_lo = (F / fu - 1) / (F / fu + Rd - 1);
    double rho_hi = (F / fl - 1) / (F / fl + Rd - 1);
    rho_lo = rho_lo < 0 ? 0 : rho_lo > 1 ? 1 : rho_lo;
    rho_hi = rho_hi < 0 ? 0 : rho_hi > 1 ? 1 : rho_hi;
    out->lo = 1 - rho_hi;
    out->hi = 1 - rho_lo;
  }
  free_stats(ctx, P, f, v);
  return 0;
}
