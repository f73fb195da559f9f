/* SPDX-License-Identifier: GPL-3.0-or-later
 * Explore: designs (LHS strata, GSL's Sobol points, Morris grids),
 * known answers of the indices (Ishigami, Sobol's G-function, a linear
 * function for Morris), bootstrap interval coverage, the seed's share on
 * a model of known intrinsic variance, PRIM on a planted box, results
 * independent of the thread count, and the error paths. */
#include <gsl/gsl_qrng.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"

static const double PI = 3.14159265358979323846;

/* ------------------------------------------------------------ Models */

/* Ishigami: f = sin x1 + a sin^2 x2 + b x3^4 sin x1, x ~ U(-pi, pi)^3. */
static int ishigami(void* st, uint64_t run, const double* u, double* x,
                    double* y) {
  (void)st, (void)run;
  for (int i = 0; i < 3; i++) x[i] = -PI + 2 * PI * u[i];
  y[0] = sin(x[0]) + 7 * sin(x[1]) * sin(x[1]) + 0.1 * pow(x[2], 4) * sin(x[0]);
  return 0;
}
static const double ISHI_S1[3] = {0.3139, 0.4424, 0};
static const double ISHI_ST[3] = {0.5576, 0.4424, 0.2437};

/* Sobol's G-function over 8 inputs with the usual a_i. */
static const double G_A[8] = {0, 1, 4.5, 9, 99, 99, 99, 99};
static int gfun(void* st, uint64_t run, const double* u, double* x, double* y) {
  (void)st, (void)run;
  double p = 1;
  for (int i = 0; i < 8; i++) {
    x[i] = u[i];
    p *= (fabs(4 * u[i] - 2) + G_A[i]) / (1 + G_A[i]);
  }
  y[0] = p;
  return 0;
}
static void g_truth(double* s1, double* st) {
  double v[8], prod = 1;
  for (int i = 0; i < 8; i++) {
    v[i] = 1 / (3 * (1 + G_A[i]) * (1 + G_A[i]));
    prod *= 1 + v[i];
  }
  for (int i = 0; i < 8; i++) {
    s1[i] = v[i] / (prod - 1);
    st[i] = v[i] * prod / (1 + v[i]) / (prod - 1);
  }
}

/* Linear: f = sum c_i x_i, so every elementary effect of x_i is c_i. */
static const double LIN_C[5] = {5.25, 3.5, 1.75, 0.5, 0.125};
static int linear(void* st, uint64_t run, const double* u, double* x,
                  double* y) {
  (void)st, (void)run;
  y[0] = 0;
  for (int i = 0; i < 5; i++) {
    x[i] = u[i];
    y[0] += LIN_C[i] * u[i];
  }
  return 0;
}

/* Known chance: y = sqrt(12) (u0 - 1/2) + N(0, 1) from (seed 41, run):
 * the inputs explain variance 1, the seed adds 1 (share 1/2). */
static int noisy(void* st, uint64_t run, const double* u, double* x,
                 double* y) {
  truce_rng* g = st;
  truce_rng_reset(g, 41, run, 0);
  double u1 = truce_rng_uniform(g), u2 = truce_rng_uniform(g);
  double z = sqrt(-2 * log(u1)) * cos(2 * PI * u2);
  x[0] = u[0];
  x[1] = u[1];
  y[0] = sqrt(12) * (u[0] - 0.5) + z;
  y[1] = u[1] < 0.3 ? 1 : 0; /* a second output, no chance */
  return 0;
}
static int noisy_new(void* user, truce_ctx* tctx, void** st) {
  (void)user;
  return truce_rng_new(tctx, 41, 0, 0, (truce_rng**)st);
}
static void noisy_free(void* st) { truce_rng_free(st); }

static truce_explore* evaluate(const truce_design* d,
                               const truce_explore_model* m, int threads) {
  truce_explore_opts o = {threads, 0, NULL, NULL, NULL, NULL};
  truce_explore* e = NULL;
  int rc = truce_explore_run(ctx, d, m, &o, &e);
  if (rc) fprintf(stderr, "%s\n", truce_ctx_message(ctx));
  assert_int_equal(rc, 0);
  return e;
}

static truce_design* design(int kind, size_t n, size_t k, size_t R,
                            uint64_t seed, bool shift) {
  truce_design_opts o = {kind, n, R, 4, 0, seed, shift};
  size_t opts[64] = {0}; /* k <= 64 */
  truce_design* d = NULL;
  int rc = truce_design_new(ctx, &o, k, opts, &d);
  if (rc) fprintf(stderr, "%s\n", truce_ctx_message(ctx));
  assert_int_equal(rc, 0);
  return d;
}

/* ------------------------------------------------------------ Designs */

/* Each of the n strata of each dimension holds exactly one point. */
static void test_lhs_strata(void** s) {
  (void)s;
  enum { N = 97, K = 5 };
  truce_design* d = design(TRUCE_DESIGN_lhs, N, K, 1, 2385, false);
  assert_int_equal(truce_design_points(d), N);
  for (size_t j = 0; j < K; j++) {
    int seen[N] = {0};
    for (size_t p = 0; p < N; p++) {
      double u = truce_design_point(d, p)[j];
      assert_true(u >= 0 && u < 1);
      seen[(size_t)(u * N)]++;
    }
    for (int t = 0; t < N; t++) assert_int_equal(seen[t], 1);
  }
  truce_design_free(d);
}

/* The cross design's A and B are GSL's 2k-dimensional Sobol points, and
 * AB^i is A with column i from B. */
static void test_sobol_is_gsl(void** s) {
  (void)s;
  enum { N = 64, K = 3 };
  truce_design* d = design(TRUCE_DESIGN_sobol, N, K, 1, 0, false);
  assert_true(truce_design_is_quasi(d));
  assert_int_equal(truce_design_points(d), N * (K + 2));
  gsl_qrng* q = gsl_qrng_alloc(gsl_qrng_sobol, 2 * K);
  double v[2 * K];
  for (size_t j = 0; j < N; j++) {
    gsl_qrng_get(q, v);
    const double* A = truce_design_point(d, j * (K + 2));
    const double* B = truce_design_point(d, j * (K + 2) + 1);
    for (int i = 0; i < K; i++) {
      assert_true(A[i] == v[i]);
      assert_true(B[i] == v[K + i]);
    }
    for (int i = 0; i < K; i++) {
      const double* AB = truce_design_point(d, j * (K + 2) + 2 + (size_t)i);
      for (int c = 0; c < K; c++) assert_true(AB[c] == (c == i ? B[c] : A[c]));
    }
  }
  gsl_qrng_free(q);
  truce_design_free(d);
  /* beyond GSL's 40 dimensions: pseudo-random base points */
  d = design(TRUCE_DESIGN_sobol, 8, 21, 1, 3, false);
  assert_false(truce_design_is_quasi(d));
  truce_design_free(d);
}

/* Morris points lie on the p-level grid and consecutive points of a
 * trajectory differ in one coordinate by Delta = p / (2 (p - 1)). */
static void test_morris_grid(void** s) {
  (void)s;
  enum { R = 10, K = 4 };
  truce_design_opts o = {TRUCE_DESIGN_morris, R, 1, 6, 40, 7, false};
  size_t opts[K] = {0};
  truce_design* d;
  assert_int_equal(truce_design_new(ctx, &o, K, opts, &d), 0);
  assert_int_equal(truce_design_points(d), R * (K + 1));
  double delta = 6.0 / 10;
  for (size_t t = 0; t < R; t++) {
    int moved[K] = {0};
    for (size_t st = 0; st < K; st++) {
      const double* a = truce_design_point(d, t * (K + 1) + st);
      const double* b = a + K;
      int diff = 0;
      for (int i = 0; i < K; i++) {
        double lv = a[i] * 5;
        assert_true(fabs(lv - floor(lv + 0.5)) < 1e-9 && a[i] >= 0 &&
                    a[i] <= 1 + 1e-12);
        if (a[i] != b[i]) {
          diff++;
          moved[i]++;
          assert_true(fabs(fabs(b[i] - a[i]) - delta) < 1e-12);
        }
      }
      assert_int_equal(diff, 1);
    }
    for (int i = 0; i < K; i++) assert_int_equal(moved[i], 1);
  }
  truce_design_free(d);
}

/* A factorial grid holds every combination once; options take strata
 * centres. */
static void test_factorial(void** s) {
  (void)s;
  truce_design_opts o = {TRUCE_DESIGN_factorial, 3, 2, 4, 0, 0, false};
  size_t opts[2] = {0, 2};
  truce_design* d;
  assert_int_equal(truce_design_new(ctx, &o, 2, opts, &d), 0);
  assert_int_equal(truce_design_points(d), 6);
  const double want[6][2] = {{0, 0.25},   {0, 0.75}, {0.5, 0.25},
                             {0.5, 0.75}, {1, 0.25}, {1, 0.75}};
  for (size_t p = 0; p < 6; p++)
    for (int i = 0; i < 2; i++)
      assert_true(truce_design_point(d, p)[i] == want[p][i]);
  assert_int_equal(truce_design_option(0.75, 2), 1);
  assert_int_equal(truce_design_option(1.0, 2), 1);
  truce_design_free(d);
}

/* ------------------------------------------------------ Known answers */

static void check_sobol(truce_explore_model* m, size_t k, const double* s1,
                        const double* st, double tol) {
  truce_design* d = design(TRUCE_DESIGN_sobol, 1u << 14, k, 1, 0, false);
  truce_explore* e = evaluate(d, m, 2);
  truce_sobol_index idx[8];
  assert_int_equal(truce_explore_sobol(ctx, e, d, 0, 100, 0.95, idx), 0);
  for (size_t i = 0; i < k; i++) {
    if (fabs(idx[i].s1 - s1[i]) > tol || fabs(idx[i].st - st[i]) > tol)
      fprintf(stderr, "factor %zu: S1 %.4f (%.4f) ST %.4f (%.4f)\n", i,
              idx[i].s1, s1[i], idx[i].st, st[i]);
    assert_true(fabs(idx[i].s1 - s1[i]) <= tol);
    assert_true(fabs(idx[i].st - st[i]) <= tol);
    assert_true(idx[i].s1_lo <= idx[i].s1 + 1e-12 &&
                idx[i].s1 <= idx[i].s1_hi + 1e-12);
  }
  truce_explore_free(e);
  truce_design_free(d);
}

static void test_ishigami(void** s) {
  (void)s;
  truce_explore_model m = {1, NULL, NULL, ishigami, NULL};
  check_sobol(&m, 3, ISHI_S1, ISHI_ST, 0.01);
}

static void test_gfunction(void** s) {
  (void)s;
  double s1[8], st[8];
  g_truth(s1, st);
  truce_explore_model m = {1, NULL, NULL, gfun, NULL};
  check_sobol(&m, 8, s1, st, 0.01);
}

/* Over 100 randomly shifted designs of N = 2^10, each 95% bootstrap
 * interval covers the true index at least 90 times. */
static void check_coverage(truce_explore_model* m, size_t k, const double* s1,
                           const double* st) {
  int cover1[8] = {0}, covert[8] = {0};
  for (uint64_t rep = 0; rep < 100; rep++) {
    truce_design* d =
        design(TRUCE_DESIGN_sobol, 1u << 10, k, 1, 1000 + rep, true);
    truce_explore* e = evaluate(d, m, 2);
    truce_sobol_index idx[8];
    assert_int_equal(truce_explore_sobol(ctx, e, d, 0, 300, 0.95, idx), 0);
    for (size_t i = 0; i < k; i++) {
      cover1[i] += idx[i].s1_lo <= s1[i] && s1[i] <= idx[i].s1_hi;
      covert[i] += idx[i].st_lo <= st[i] && st[i] <= idx[i].st_hi;
    }
    truce_explore_free(e);
    truce_design_free(d);
  }
  for (size_t i = 0; i < k; i++) {
    if (cover1[i] < 90 || covert[i] < 90)
      fprintf(stderr, "factor %zu: S1 covered %d, ST %d of 100\n", i, cover1[i],
              covert[i]);
    assert_true(cover1[i] >= 90);
    assert_true(covert[i] >= 90);
  }
}

static void test_ishigami_coverage(void** s) {
  (void)s;
  truce_explore_model m = {1, NULL, NULL, ishigami, NULL};
  check_coverage(&m, 3, ISHI_S1, ISHI_ST);
}

static void test_gfunction_coverage(void** s) {
  (void)s;
  double s1[8], st[8];
  g_truth(s1, st);
  truce_explore_model m = {1, NULL, NULL, gfun, NULL};
  check_coverage(&m, 8, s1, st);
}

/* Morris: mu* of a linear function is its coefficient (sigma 0), so the
 * ranking is the coefficients' order; PRCC on an LHS agrees. */
static void test_morris_linear(void** s) {
  (void)s;
  truce_design_opts o = {TRUCE_DESIGN_morris, 20, 1, 4, 60, 11, false};
  size_t opts[5] = {0};
  truce_design* d;
  assert_int_equal(truce_design_new(ctx, &o, 5, opts, &d), 0);
  truce_explore_model m = {1, NULL, NULL, linear, NULL};
  truce_explore* e = evaluate(d, &m, 1);
  truce_morris_index mi[5];
  assert_int_equal(truce_explore_morris(ctx, e, d, 0, 100, 0.95, mi), 0);
  for (int i = 0; i < 5; i++) {
    assert_true(fabs(mi[i].mu_star - LIN_C[i]) < 1e-9);
    assert_true(fabs(mi[i].mu - LIN_C[i]) < 1e-9);
    assert_true(mi[i].sigma < 1e-9);
    if (i) assert_true(mi[i].mu_star < mi[i - 1].mu_star);
  }
  truce_explore_free(e);
  truce_design_free(d);
  d = design(TRUCE_DESIGN_lhs, 400, 5, 1, 5, false);
  e = evaluate(d, &m, 1);
  double pr[5];
  assert_int_equal(truce_explore_prcc(ctx, e, d, 0, pr), 0);
  for (int i = 1; i < 5; i++) assert_true(pr[i] < pr[i - 1] && pr[i] > 0);
  /* a Sobol design is not a Morris design */
  assert_int_equal(truce_explore_morris(ctx, e, d, 0, 0, 0.95, mi),
                   TRUCE_EINVAL);
  truce_explore_free(e);
  truce_design_free(d);
}

/* The seed's share of y = sqrt(12)(u0 - 1/2) + N(0, 1) is 1/2: within
 * three standard errors at 2000 points x 4 replicates, and inside its
 * interval; an output without chance has share 0. */
static void test_seed_share(void** s) {
  (void)s;
  truce_design* d = design(TRUCE_DESIGN_lhs, 2000, 2, 4, 9, false);
  truce_explore_model m = {2, NULL, noisy_new, noisy, noisy_free};
  truce_explore* e = evaluate(d, &m, 2);
  truce_seed_share sh;
  assert_int_equal(truce_explore_seed_share(ctx, e, d, 0, 0.95, &sh), 0);
  /* se of the share ~ sqrt(2/(P(R-1))) * share(1-share) * ... < 0.015 */
  assert_true(fabs(sh.share - 0.5) < 0.045);
  assert_true(sh.lo < 0.5 && 0.5 < sh.hi);
  assert_true(sh.hi - sh.lo < 0.1);
  assert_true(fabs(sh.within - 1) < 0.06);
  assert_int_equal(truce_explore_seed_share(ctx, e, d, 1, 0.95, &sh), 0);
  assert_true(sh.share == 0);
  truce_explore_free(e);
  truce_design_free(d);
  /* one replicate cannot tell chance apart */
  d = design(TRUCE_DESIGN_lhs, 10, 2, 1, 9, false);
  e = evaluate(d, &m, 1);
  assert_int_equal(truce_explore_seed_share(ctx, e, d, 0, 0.95, &sh),
                   TRUCE_EINVAL);
  truce_explore_free(e);
  truce_design_free(d);
}

/* Sobol indices of a stochastic model as shares of one run's variance:
 * S1(u0) = 1/2 (the rest is the seed's) with R = 4. */
static void test_sobol_with_seed(void** s) {
  (void)s;
  truce_design* d = design(TRUCE_DESIGN_sobol, 1u << 11, 2, 4, 0, false);
  truce_explore_model m = {2, NULL, noisy_new, noisy, noisy_free};
  truce_explore* e = evaluate(d, &m, 2);
  truce_sobol_index idx[2];
  assert_int_equal(truce_explore_sobol(ctx, e, d, 0, 0, 0.95, idx), 0);
  assert_true(fabs(idx[0].s1 - 0.5) < 0.04);
  assert_true(fabs(idx[0].st - 0.5) < 0.04);
  assert_true(fabs(idx[1].st) < 0.03);
  truce_explore_free(e);
  truce_design_free(d);
}

/* PRIM finds a planted box [0.2, 0.6] x [0.3, 0.8] (inputs 0 and 2 of
 * 5) to within 0.05 of each bound, leaves the other inputs free, and
 * gives its limits tiny p-values; KS ranks the two planted inputs
 * first. */
static void test_prim_planted(void** s) {
  (void)s;
  enum { N = 6000, K = 5 };
  static double x[N * K];
  static bool hit[N];
  truce_rng* g;
  truce_rng_new(ctx, 17, 0, 0, &g);
  for (size_t i = 0; i < N; i++) {
    for (size_t j = 0; j < K; j++) x[i * K + j] = truce_rng_uniform(g);
    const double* r = x + i * K;
    hit[i] = r[0] >= 0.2 && r[0] <= 0.6 && r[2] >= 0.3 && r[2] <= 0.8;
  }
  truce_rng_free(g);
  truce_prim* p;
  assert_int_equal(truce_prim_run(ctx, N, K, x, hit, NULL, &p), 0);
  double lo[K], hi[K], pv[K], cov, dens;
  truce_prim_box(p, lo, hi, &cov, &dens, pv);
  assert_true(fabs(lo[0] - 0.2) < 0.05 && fabs(hi[0] - 0.6) < 0.05);
  assert_true(fabs(lo[2] - 0.3) < 0.05 && fabs(hi[2] - 0.8) < 0.05);
  for (int j = 1; j < K; j += j == 1 ? 2 : 1)
    assert_true(lo[j] == -(double)INFINITY && hi[j] == (double)INFINITY &&
                isnan(pv[j]));
  assert_true(pv[0] < 1e-6 && pv[2] < 1e-6);
  assert_true(cov > 0.95 && dens > 0.95);
  /* the trade-off: coverage falls and density rises along the peel */
  size_t n = truce_prim_steps(p);
  assert_true(n > 5);
  double c0, d0, m0, c1, d1, m1;
  truce_prim_step(p, 0, &c0, &d0, &m0);
  truce_prim_step(p, n - 1, &c1, &d1, &m1);
  assert_true(c0 == 1 && m0 == 1 && fabs(d0 - 0.2) < 0.03);
  assert_true(d1 > d0 && c1 <= c0 && m1 < m0);
  truce_prim_free(p);
  double ks[K];
  assert_int_equal(truce_explore_ks(ctx, N, K, x, hit, ks), 0);
  for (int j = 0; j < K; j++)
    if (j != 0 && j != 2) assert_true(ks[j] < ks[0] && ks[j] < ks[2]);
}

/* --------------------------------------------------- Reproducibility */

static void test_threads_identical(void** s) {
  (void)s;
  truce_design* d = design(TRUCE_DESIGN_lhs, 700, 2, 3, 4, false);
  truce_explore_model m = {2, NULL, noisy_new, noisy, noisy_free};
  truce_explore* a = evaluate(d, &m, 1);
  truce_explore* b = evaluate(d, &m, 2);
  for (size_t p = 0; p < 700; p++)
    for (size_t r = 0; r < 3; r++)
      for (size_t j = 0; j < 2; j++) {
        double va = truce_explore_value(a, p, r, j);
        double vb = truce_explore_value(b, p, r, j);
        assert_memory_equal(&va, &vb, sizeof va);
      }
  truce_explore_free(a);
  truce_explore_free(b);
  truce_design_free(d);
}

/* The engine on the article scenario: 1 and 2 threads agree to the bit;
 * outcomes are named; a lever's value reaches the inputs. */
static void test_engine(void** s) {
  (void)s;
  truce_scenario* sc;
  assert_int_equal(
      truce_scenario_load(ctx, ts_source_path("scenarios/ukraine-2023-11.yaml"),
                          &sc),
      0);
  truce_lever lv = {"backers.us.budget_scale", 0, 1.5, 0, NULL, NULL, 0, 0};
  const char* unc[] = {"sides.ua.personnel.front"};
  const char* outs[] = {"ua.exhaustion_day", "bargaining.open_by_month_6"};
  truce_explore_engine* g;
  int rc = truce_explore_engine_new(ctx, sc, 1, &lv, 1, unc, 2, outs, 0, &g);
  if (rc) fprintf(stderr, "%s\n", truce_ctx_message(ctx));
  assert_int_equal(rc, 0);
  assert_int_equal(truce_explore_engine_factors(g), 2);
  truce_explore_model m;
  truce_explore_engine_model(g, &m);
  truce_design* d = design(TRUCE_DESIGN_lhs, 4, 2, 2, 8, false);
  truce_explore* a = evaluate(d, &m, 1);
  truce_explore* b = evaluate(d, &m, 2);
  for (size_t p = 0; p < 4; p++) {
    const double* x = truce_explore_inputs(a, p);
    assert_true(fabs(x[0] - 1.5 * truce_design_point(d, p)[0]) < 1e-12);
    assert_true(x[1] > 0);
    for (size_t r = 0; r < 2; r++)
      for (size_t j = 0; j < 2; j++) {
        double va = truce_explore_value(a, p, r, j);
        double vb = truce_explore_value(b, p, r, j);
        assert_memory_equal(&va, &vb, sizeof va);
        if (j == 0) assert_true(va >= 0 && va <= 731);
      }
  }
  truce_explore_free(a);
  truce_explore_free(b);
  truce_design_free(d);
  truce_explore_engine_free(g);
  char name[100];
  assert_string_equal(truce_explore_outcome_name(sc, 0, name, sizeof name),
                      "ua.exhaustion_day");
  truce_scenario_free(sc);
}

/* -------------------------------------------------------- Bad input */

static void expect_engine_error(truce_scenario* sc, truce_lever* lv,
                                const char* out, const char* what) {
  truce_explore_engine* g = (void*)1;
  const char* outs[] = {out};
  assert_int_equal(truce_explore_engine_new(ctx, sc, lv ? 1 : 0, lv, 0, NULL, 1,
                                            outs, 0, &g),
                   TRUCE_EINVAL);
  assert_null(g);
  if (!strstr(ts_error_text(ctx), what))
    fprintf(stderr, "got: %s\n", ts_error_text(ctx));
  assert_non_null(strstr(ts_error_text(ctx), what));
}

static void test_errors(void** s) {
  (void)s;
  truce_scenario* sc;
  assert_int_equal(
      truce_scenario_load(ctx, ts_source_path("scenarios/ukraine-2023-11.yaml"),
                          &sc),
      0);
  truce_lever lv = {"backers.us.budget_scalee", 0, 1.5, 0, NULL, NULL, 0, 0};
  expect_engine_error(sc, &lv, "ua.exhaustion_day", "budget_scale");
  lv.path = "backers.us.budget_scale";
  lv.lo = lv.hi = 1;
  expect_engine_error(sc, &lv, "ua.exhaustion_day", "is empty");
  lv.hi = 500;
  expect_engine_error(sc, &lv, "ua.exhaustion_day", "out of range");
  lv.path = "horizon_days";
  lv.hi = 1000;
  expect_engine_error(sc, &lv, "ua.exhaustion_day", "not a number a run");
  lv.file = "d.yaml";
  lv.line = 3;
  lv.column = 9;
  expect_engine_error(sc, &lv, "ua.exhaustion_day", "d.yaml:3:9: error:");
  expect_engine_error(sc, NULL, "ua.exhausted", "no such outcome");
  const char* names[] = {"ua.exhaustion_day", "x"};
  truce_condition c;
  assert_int_equal(truce_condition_parse(ctx, "ua.exhaustion_day < 365", NULL,
                                         0, 0, 2, names, &c),
                   0);
  double y[2] = {364, 0};
  assert_true(truce_condition_holds(&c, y));
  y[0] = 365;
  assert_false(truce_condition_holds(&c, y));
  /* every comparison of the table, the longest operator matched ("<="
   * is not "<" before "= 4"), at 3, 4 and 5 */
  static const struct {
    const char* text;
    truce_cmp op;
    bool at[3];
  } ops[] = {
      {"x < 4", TRUCE_CMP_LT, {1, 0, 0}},  {"x <= 4", TRUCE_CMP_LE, {1, 1, 0}},
      {"x > 4", TRUCE_CMP_GT, {0, 0, 1}},  {"x >= 4", TRUCE_CMP_GE, {0, 1, 1}},
      {"x == 4", TRUCE_CMP_EQ, {0, 1, 0}}, {"x != 4", TRUCE_CMP_NE, {1, 0, 1}},
      {"x", TRUCE_CMP_NONZERO, {1, 1, 1}}};
  for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
    assert_int_equal(
        truce_condition_parse(ctx, ops[i].text, NULL, 0, 0, 2, names, &c), 0);
    assert_int_equal(c.op, ops[i].op);
    for (int k = 0; k < 3; k++) {
      y[1] = 3 + k;
      assert_int_equal(truce_condition_holds(&c, y), ops[i].at[k]);
    }
  }
  assert_int_equal(
      truce_condition_parse(ctx, "ua.exhaust < 3", NULL, 0, 0, 2, names, &c),
      TRUCE_EINVAL);
  assert_int_equal(
      truce_condition_parse(ctx, "x ~ 3", NULL, 0, 0, 2, names, &c),
      TRUCE_EINVAL);
  assert_non_null(strstr(ts_error_text(ctx), "column 3"));
  assert_int_equal(
      truce_condition_parse(ctx, "x < 3y", "d.yaml", 4, 12, 2, names, &c),
      TRUCE_EINVAL);
  assert_non_null(strstr(ts_error_text(ctx), "d.yaml:4:16: error:"));
  truce_design_opts o = {TRUCE_DESIGN_morris, 5, 1, 3, 0, 0, false};
  size_t opts[2] = {0};
  truce_design* d;
  assert_int_equal(truce_design_new(ctx, &o, 2, opts, &d), TRUCE_EINVAL);
  o.kind = TRUCE_DESIGN_lhs;
  o.n = 0;
  assert_int_equal(truce_design_new(ctx, &o, 2, opts, &d), TRUCE_EINVAL);
  o.kind = TRUCE_DESIGN_factorial;
  o.n = 10;
  assert_int_equal(truce_design_new(ctx, &o, 0, opts, &d), TRUCE_EINVAL);
  truce_scenario_free(sc);
}

/* A design file: its values and levers with their positions; errors
 * point into it; out of memory anywhere is reported without a leak. */
static void test_spec(void** s) {
  (void)s;
  const char* path = "test_explore_spec.yaml";
  FILE* f = fopen(path, "w");
  assert_non_null(f);
  fputs(
      "design: morris\nn: 7\nlevers:\n"
      "  - {path: backers.us.budget_scale, range: [0, 1.5]}\n"
      "  - path: combat.law\n    options: [square, linear]\n"
      "uncertain: none\noutcomes: [ua.casualties]\n"
      "condition: ua.casualties > 1e5\n",
      f);
  fclose(f);
  truce_explore_spec* sp;
  assert_int_equal(truce_explore_spec_load(ctx, path, &sp), 0);
  assert_true(sp->has_kind && sp->kind == TRUCE_DESIGN_morris);
  assert_true(sp->has_n && sp->n == 7 && !sp->has_replicates);
  assert_int_equal(sp->n_levers, 2);
  assert_string_equal(sp->levers[0].path, "backers.us.budget_scale");
  assert_true(sp->levers[0].hi == 1.5 && sp->levers[0].line == 4 &&
              sp->levers[0].column == 12);
  assert_int_equal(sp->levers[1].n_options, 2);
  assert_string_equal(sp->levers[1].options[1], "linear");
  assert_true(sp->has_uncertain && !sp->uncertain_all && sp->n_uncertain == 0);
  assert_string_equal(sp->outcomes[0], "ua.casualties");
  assert_true(sp->outcome_pos[0] == 8 && sp->outcome_pos[1] == 12);
  assert_string_equal(sp->condition, "ua.casualties > 1e5");
  truce_explore_spec_free(sp);
  for (long k = 1; k < 60; k++) {
    ts_alloc a = {.fail_at = k};
    truce_ctx* c;
    if (truce_ctx_new(&c, ts_alloc_fn, &a)) continue;
    int rc = truce_explore_spec_load(c, path, &sp);
    assert_true(rc == 0 || rc == TRUCE_ENOMEM);
    truce_explore_spec_free(rc ? NULL : sp);
    truce_ctx_free(c);
    ts_alloc_check(&a); /* no leak, every size true */
  }
  f = fopen(path, "w");
  fputs("levers:\n  - {path: x, range: [1]}\n", f);
  fclose(f);
  assert_int_equal(truce_explore_spec_load(ctx, path, &sp), TRUCE_EPARSE);
  assert_null(sp);
  assert_non_null(strstr(ts_error_text(ctx),
                         "test_explore_spec.yaml:2:23: error: 'range' is "
                         "not two numbers"));
  remove(path);
}

/* Out of memory anywhere in a design, an evaluation or the indices is
 * reported, with nothing leaked. */
static void test_oom(void** s) {
  (void)s;
  for (long k = 1; k < 400; k++) {
    ts_alloc a = {.fail_at = k};
    truce_ctx* c;
    if (truce_ctx_new(&c, ts_alloc_fn, &a)) continue;
    truce_design_opts o = {TRUCE_DESIGN_sobol, 32, 1, 4, 0, 1, true};
    size_t opts[3] = {0};
    truce_design* d = NULL;
    truce_explore* e = NULL;
    truce_explore_model m = {1, NULL, NULL, ishigami, NULL};
    truce_explore_opts eo = {1, 0, NULL, NULL, NULL, NULL};
    truce_sobol_index idx[3];
    int rc = truce_design_new(c, &o, 3, opts, &d);
    if (!rc) rc = truce_explore_run(c, d, &m, &eo, &e);
    if (!rc) rc = truce_explore_sobol(c, e, d, 0, 20, 0.9, idx);
    double pr[3];
    if (!rc) rc = truce_explore_prcc(c, e, d, 0, pr);
    assert_true(rc == 0 || rc == TRUCE_ENOMEM);
    truce_explore_free(e);
    truce_design_free(d);
    /* Morris with candidate selection, and PRIM on its rows */
    truce_design_opts om = {TRUCE_DESIGN_morris, 4, 1, 4, 8, 1, false};
    d = NULL;
    e = NULL;
    truce_morris_index mi[3];
    truce_prim* p = NULL;
    rc = truce_design_new(c, &om, 3, opts, &d);
    if (!rc) rc = truce_explore_run(c, d, &m, &eo, &e);
    if (!rc) rc = truce_explore_morris(c, e, d, 0, 10, 0.9, mi);
    if (!rc) {
      double x[16 * 3];
      bool hit[16];
      for (size_t i = 0; i < 16; i++) {
        memcpy(x + 3 * i, truce_design_point(d, i), 3 * sizeof *x);
        hit[i] = truce_explore_value(e, i, 0, 0) > 3;
      }
      rc = truce_prim_run(c, 16, 3, x, hit, NULL, &p);
      double ks[3];
      if (!rc) rc = truce_explore_ks(c, 16, 3, x, hit, ks);
    }
    assert_true(rc == 0 || rc == TRUCE_ENOMEM);
    truce_prim_free(p);
    truce_explore_free(e);
    truce_design_free(d);
    truce_ctx_free(c);
    ts_alloc_check(&a);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_lhs_strata),
      cmocka_unit_test(test_sobol_is_gsl),
      cmocka_unit_test(test_morris_grid),
      cmocka_unit_test(test_factorial),
      cmocka_unit_test(test_ishigami),
      cmocka_unit_test(test_gfunction),
      cmocka_unit_test(test_ishigami_coverage),
      cmocka_unit_test(test_gfunction_coverage),
      cmocka_unit_test(test_morris_linear),
      cmocka_unit_test(test_seed_share),
      cmocka_unit_test(test_sobol_with_seed),
      cmocka_unit_test(test_prim_planted),
      cmocka_unit_test(test_threads_identical),
      cmocka_unit_test(test_engine),
      cmocka_unit_test(test_errors),
      cmocka_unit_test(test_spec),
      cmocka_unit_test(test_oom),
  };
  return ts_run_group(tests, ts_ctx_setup, ts_ctx_teardown);
}
