/* SPDX-License-Identifier: GPL-3.0-or-later
 * Ensembles: summaries within their documented bound, exact merging,
 * results independent of the thread count, stalemate shares. */
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/ensemble/summary.h"
#include "support.h"

/* 10^5 samples spanning six orders of magnitude (and some zeros): every
 * quantile of the sketch lies within 1/256 (relative) of the exact one. */
static void test_sketch_bound(void** s) {
  (void)s;
  enum { N = 100000 };
  static double x[N];
  truce_rng* g;
  truce_rng_new(ctx, 3, 0, 0, &g);
  truce__summary* sum;
  assert_int_equal(truce__summary_new(ctx, 1, &sum), 0);
  for (int i = 0; i < N; i++) {
    double u = truce_rng_uniform(g);
    x[i] = u < 0.02 ? 0 : exp(14 * truce_rng_uniform(g) - 2);
    assert_int_equal(truce__summary_add(sum, 0, x[i]), 0);
  }
  gsl_sort(x, 1, N);
  for (double q = 0; q <= 1.0; q += 0.01) {
    double exact = gsl_stats_quantile_from_sorted_data(x, 1, N, q);
    double est = truce__summary_quantile(sum, 0, q);
    assert_true(fabs(est - exact) <= exact / 256.0 + 1e-300);
  }
  truce_band b;
  truce__summary_band(sum, 0, &b);
  assert_true(b.n == N);
  assert_true(fabs(b.mean - gsl_stats_mean(x, 1, N)) <
              1e-9 * gsl_stats_mean(x, 1, N));
  truce__summary_free(sum);
  truce_rng_free(g);
}

/* At most TRUCE_EXACT_RUNS values: exact quantiles (GSL's definition). */
static void test_exact_when_few(void** s) {
  (void)s;
  double x[TRUCE_EXACT_RUNS];
  truce__summary* sum;
  truce__summary_new(ctx, 1, &sum);
  for (int i = 0; i < TRUCE_EXACT_RUNS; i++) {
    x[i] = 1000.0 + 7.3 * ((i * 37) % TRUCE_EXACT_RUNS);
    truce__summary_add(sum, 0, x[i]);
  }
  gsl_sort(x, 1, TRUCE_EXACT_RUNS);
  for (double q = 0; q <= 1.0; q += 0.05)
    assert_true(truce__summary_quantile(sum, 0, q) ==
                gsl_stats_quantile_from_sorted_data(x, 1, TRUCE_EXACT_RUNS, q));
  truce__summary_free(sum);
}

/* Merging partial summaries in any split and order gives the same bits
 * as one summary of everything; so does a pack/unpack round trip. */
static void test_merge_is_exact(void** s) {
  (void)s;
  enum { N = 5000, C = 3 };
  truce_rng* g;
  truce_rng_new(ctx, 9, 0, 0, &g);
  static double v[N];
  for (int i = 0; i < N; i++) v[i] = 1e6 * truce_rng_uniform(g);
  truce__summary *all, *a, *b, *c, *m1, *m2;
  truce__summary_new(ctx, C, &all);
  truce__summary_new(ctx, C, &a);
  truce__summary_new(ctx, C, &b);
  truce__summary_new(ctx, C, &c);
  truce__summary_new(ctx, C, &m1);
  truce__summary_new(ctx, C, &m2);
  for (int i = 0; i < N; i++)
    for (size_t k = 0; k < C; k++) {
      double x = v[i] * (double)(k + 1);
      truce__summary_add(all, k, x);
      /* cell 0: a gets few (stays exact), cell 1-2: uneven splits */
      truce__summary* dst = (k == 0 ? i < 40 : i % 7 == 0) ? a
                            : i % 3 == 0                   ? b
                                                           : c;
      truce__summary_add(dst, k, x);
    }
  /* m2: c, b, a through pack/unpack, packed before m1 takes them (a merge
   * may move cells out of its source) */
  unsigned char* buf[3];
  size_t len[3];
  truce__summary* parts[3] = {c, b, a};
  for (int k = 0; k < 3; k++)
    assert_int_equal(truce__summary_pack(parts[k], &buf[k], &len[k]), 0);
  for (int k = 0; k < 3; k++) {
    assert_int_equal(truce__summary_merge_packed(m2, buf[k], len[k]), 0);
    truce__free(ctx, buf[k], len[k]);
  }
  assert_int_equal(truce__summary_merge(m1, a), 0);
  assert_int_equal(truce__summary_merge(m1, b), 0);
  assert_int_equal(truce__summary_merge(m1, c), 0);
  /* what a merge moved out is gone from its source */
  assert_int_equal(truce__summary_merge(m1, a), 0);
  for (size_t k = 0; k < C; k++) {
    truce_band x, y, z;
    truce__summary_band(all, k, &x);
    truce__summary_band(m1, k, &y);
    truce__summary_band(m2, k, &z);
    assert_memory_equal(&x, &y, sizeof x);
    assert_memory_equal(&x, &z, sizeof x);
  }
  assert_int_equal(truce__summary_merge_packed(m2, (unsigned char*)"x", 1),
                   TRUCE_EMPI);
  truce__summary_free(all);
  truce__summary_free(a);
  truce__summary_free(b);
  truce__summary_free(c);
  truce__summary_free(m1);
  truce__summary_free(m2);
  truce_rng_free(g);
}

/* Histogram counts are 16-bit until one would pass 65,535: a bin that
 * takes 70,000 equal values (directly, by merging two summaries and
 * through pack/unpack) counts them all. */
static void test_counts_past_16_bits(void** s) {
  (void)s;
  truce__summary *one, *a, *b, *m;
  truce__summary_new(ctx, 1, &one);
  truce__summary_new(ctx, 1, &a);
  truce__summary_new(ctx, 1, &b);
  truce__summary_new(ctx, 1, &m);
  for (int i = 0; i < 100000; i++) {
    double x = i < 70000 ? 5.0 : 7.0;
    truce__summary_add(one, 0, x);
    truce__summary_add(i % 2 ? a : b, 0, x); /* 35,000 fives each */
  }
  unsigned char* buf;
  size_t len;
  assert_int_equal(truce__summary_merge(m, a), 0); /* moved */
  assert_int_equal(truce__summary_pack(b, &buf, &len), 0);
  assert_int_equal(truce__summary_merge_packed(m, buf, len), 0); /* added */
  truce__free(ctx, buf, len);
  /* and a wide cell survives pack/unpack into an empty summary */
  truce__summary* w;
  truce__summary_new(ctx, 1, &w);
  assert_int_equal(truce__summary_pack(one, &buf, &len), 0);
  assert_int_equal(truce__summary_merge_packed(w, buf, len), 0);
  truce__free(ctx, buf, len);
  truce__summary* all[3] = {one, m, w};
  for (int k = 0; k < 3; k++) {
    truce_band x;
    truce__summary_band(all[k], 0, &x);
    assert_true(x.n == 100000);
    assert_true(fabs(x.mean - 5.6) < 1e-9);
    assert_true(fabs(x.p50 - 5.0) <= 5.0 / 256); /* 70% are fives */
    assert_true(fabs(x.p05 - 5.0) <= 5.0 / 256);
    assert_true(fabs(x.p75 - 7.0) <= 7.0 / 256); /* the rest sevens */
    assert_true(fabs(x.p95 - 7.0) <= 7.0 / 256);
    assert_true(fabs(truce__summary_quantile(all[k], 0, 0.69) - 5.0) <=
                5.0 / 256);
  }
  truce__summary_free(one);
  truce__summary_free(a);
  truce__summary_free(b);
  truce__summary_free(m);
  truce__summary_free(w);
}

/* The flush's batched insertion (truce__summary_add_many, values strided
 * as in the per-thread buffer) leaves every cell as one-by-one insertion
 * does, to the bit: a plain cell whose range grows both ways (zeros,
 * negatives and subnormals among the values), one whose bin passes
 * 65,535 counts (widened mid-batch), and a kept cell. */
static void test_add_many_is_add(void** s) {
  (void)s;
  enum { N = 100000, C = 3, B = 64 };
  static double v[N * C];
  truce_rng* g;
  truce_rng_new(ctx, 11, 0, 0, &g);
  for (int i = 0; i < N; i++) {
    double u = truce_rng_uniform(g), w = truce_rng_uniform(g);
    double grow = 1 + 1e3 * i / N; /* the range creeps up and down */
    v[i * C] = u < 0.01   ? 0
               : u < 0.02 ? -w
               : u < 0.03 ? 1e-310
                          : (u < 0.5 ? grow : 1 / grow) * (1 + w);
    v[i * C + 1] = u < 0.7 ? 5.0 : 7.0 + w;
    v[i * C + 2] = 1e9 * w;
  }
  truce__summary *one, *many;
  assert_int_equal(truce__summary_new(ctx, C, &one), 0);
  assert_int_equal(truce__summary_new(ctx, C, &many), 0);
  truce__summary_keep(one, 2, 1);
  truce__summary_keep(many, 2, 1);
  for (size_t i = 0; i < N; i++)
    for (size_t k = 0; k < C; k++)
      assert_int_equal(truce__summary_add(one, k, v[i * C + k]), 0);
  for (size_t i = 0; i < N; i += B)
    for (size_t k = 0; k < C; k++)
      assert_int_equal(truce__summary_add_many(many, k, v + i * C + k, C,
                                               N - i < B ? N - i : B),
                       0);
  assert_true(one->cells[1].wide && many->cells[1].wide);
  for (size_t k = 0; k < C; k++) {
    truce_band x, y;
    truce__summary_band(one, k, &x);
    truce__summary_band(many, k, &y);
    assert_memory_equal(&x, &y, sizeof x);
    for (double q = 0; q <= 1.0; q += 0.01)
      assert_true(truce__summary_quantile(one, k, q) ==
                  truce__summary_quantile(many, k, q));
  }
  truce__summary_free(one);
  truce__summary_free(many);
  truce_rng_free(g);
}

/* Values at their bins' midpoints are what the histogram reports, so a
 * sketched cell's quantiles are the type-7 quantiles of the values
 * themselves: each order statistic is found in its own bin, through
 * 16-bit counts and through a bin widened past 65,535 (cell 1). */
static void test_sketch_quantiles_at_midpoints(void** s) {
  (void)s;
  enum { N = 90000 };
  static double x[2][N];
  truce_rng* g;
  truce_rng_new(ctx, 12, 0, 0, &g);
  truce__summary* sum;
  assert_int_equal(truce__summary_new(ctx, 2, &sum), 0);
  for (int i = 0; i < N; i++) {
    double u = truce_rng_uniform(g);
    int j = (int)(TRUCE_SKETCH_SUB * truce_rng_uniform(g));
    int e = (int)(12 * truce_rng_uniform(g)) - 3;
    double mid = ldexp(0.5 + (j + 0.5) / (2 * TRUCE_SKETCH_SUB), e);
    x[0][i] = u < 0.05 ? 0 : mid;
    x[1][i] = u < 0.8 ? 40.375 : mid; /* 40.375: its bin's midpoint */
    for (size_t k = 0; k < 2; k++)
      assert_int_equal(truce__summary_add(sum, k, x[k][i]), 0);
  }
  assert_true(sum->cells[1].wide && !sum->cells[0].wide);
  for (size_t k = 0; k < 2; k++) {
    gsl_sort(x[k], 1, N);
    for (double q = 0; q <= 1.0; q += 0.005) {
      double exact = gsl_stats_quantile_from_sorted_data(x[k], 1, N, q);
      double est = truce__summary_quantile(sum, k, q);
      assert_true(fabs(est - exact) <= 1e-12 * exact);
    }
  }
  truce__summary_free(sum);
  truce_rng_free(g);
}

/* The quantile rule (docs/outputs.md, "Quantiles") on a sketched cell:
 * a constant cell gives its value for every quantile and the mean (the
 * midpoint of 2,000,000's bin is 2,002,944), and no quantile lies
 * outside the observed minimum and maximum (a share whose top tenth is
 * exactly 1 gave p95 = 1.0039, the midpoint of 1's bin). */
static void test_sketch_constant_and_bounds(void** s) {
  (void)s;
  truce__summary* sum;
  assert_int_equal(truce__summary_new(ctx, 2, &sum), 0);
  for (int i = 0; i < 1000; i++) {
    truce__summary_add(sum, 0, 2e6);
    truce__summary_add(sum, 1, i % 10 == 0 ? 1.0 : 0.9 + 0.0001 * (i % 997));
  }
  truce_band b;
  truce__summary_band(sum, 0, &b);
  assert_true(b.mean == 2e6 && b.p05 == 2e6 && b.p50 == 2e6 && b.p95 == 2e6);
  for (double q = 0; q <= 1.0; q += 0.01) {
    double v = truce__summary_quantile(sum, 1, q);
    assert_true(v >= 0.9 && v <= 1.0);
  }
  assert_true(truce__summary_quantile(sum, 1, 1.0) == 1.0);
  assert_true(truce__summary_quantile(sum, 1, 0.0) == 0.9);
  truce__summary_free(sum);
}

/* A kept cell (the horizon's) gives GSL's type-7 quantiles of all its
 * values, to the bit, after merging in any order and packing. */
static void test_kept_cell_exact(void** s) {
  (void)s;
  enum { N = 3000 };
  static double x[N];
  truce__summary *one, *a, *b, *m, *p;
  truce__summary* all[3];
  truce__summary_new(ctx, 1, &one);
  truce__summary_new(ctx, 1, &a);
  truce__summary_new(ctx, 1, &b);
  truce__summary_new(ctx, 1, &m);
  truce__summary_new(ctx, 1, &p);
  truce__summary* each[] = {one, a, b, m, p};
  for (int k = 0; k < 5; k++) truce__summary_keep(each[k], 0, 1);
  for (int i = 0; i < N; i++) {
    x[i] = 1e5 + 37.0 * ((i * 7919) % N) + 0.25;
    truce__summary_add(one, 0, x[i]);
    truce__summary_add(i % 3 ? a : b, 0, x[i]);
  }
  unsigned char* buf;
  size_t len;
  assert_int_equal(truce__summary_pack(b, &buf, &len), 0);
  assert_int_equal(truce__summary_merge_packed(p, buf, len), 0);
  truce__free(ctx, buf, len);
  assert_int_equal(truce__summary_merge(m, b), 0); /* moved whole */
  assert_int_equal(truce__summary_merge(m, a), 0); /* appended */
  assert_int_equal(truce__summary_merge(p, a), 0); /* unpacked + a */
  gsl_sort(x, 1, N);
  all[0] = one;
  all[1] = m;
  all[2] = p;
  for (int k = 0; k < 3; k++)
    for (double q = 0; q <= 1.0; q += 0.05)
      assert_true(truce__summary_quantile(all[k], 0, q) ==
                  gsl_stats_quantile_from_sorted_data(x, 1, N, q));
  for (int k = 0; k < 5; k++) truce__summary_free(each[k]);
}

static const char* yaml = "truce: 1\nhorizon_days: 60\nseed: 5\n" TS_TWO_SIDES;

/* 1, 2 and 3 threads: the same bands, outcomes and parameters. */
static void test_threads_do_not_matter(void** s) {
  (void)s;
  truce_scenario* sc = ts_load(ctx, yaml);
  truce_ensemble* e[3];
  for (int t = 0; t < 3; t++) {
    truce_ensemble_opts o = {.runs = 150, .threads = t + 1};
    assert_int_equal(truce_ensemble_run(ctx, sc, &o, &e[t]), 0);
    assert_int_equal(truce_ensemble_threads(e[t]), t + 1);
  }
  for (int t = 1; t < 3; t++) {
    for (int d = 0; d < 61; d++)
      for (size_t i = 0; i < 2; i++)
        for (int k = 0; k < (int)truce_series_count(); k++) {
          truce_band x, y;
          truce_ensemble_band(e[0], d, i, k, &x);
          truce_ensemble_band(e[t], d, i, k, &y);
          assert_memory_equal(&x, &y, sizeof x);
        }
    for (uint64_t r = 0; r < 150; r++) {
      assert_memory_equal(truce_ensemble_params(e[0], r),
                          truce_ensemble_params(e[t], r), 3 * sizeof(double));
      truce_side_outcome x[2], y[2];
      truce_ensemble_outcome(e[0], r, x);
      truce_ensemble_outcome(e[t], r, y);
      assert_true(x[0].front_end == y[0].front_end &&
                  x[1].casualties_total == y[1].casualties_total &&
                  x[0].exhaustion_day == y[0].exhaustion_day);
    }
    for (int d = 0; d < 61; d++)
      assert_true(truce_ensemble_stalemate(e[0], d) ==
                  truce_ensemble_stalemate(e[t], d));
  }
  /* run r of the ensemble is run r of the engine */
  truce_sim* sim;
  truce_sim_new(ctx, sc, &sim);
  truce_sim_run(sim, 77, 0, NULL, NULL);
  truce_side_outcome o;
  truce_sim_outcome(sim, 1, &o);
  truce_side_outcome x[2];
  truce_ensemble_outcome(e[0], 77, x);
  assert_true(o.front_end == x[1].front_end);
  truce_sim_free(sim);
  for (int t = 0; t < 3; t++) truce_ensemble_free(e[t]);
  truce_scenario_free(sc);
}

/* Stalemate: zero before the window has elapsed; with no attacker the
 * front never moves, so every run is in stalemate until a side is
 * exhausted; the band of day 0 is the initial state. */
static void test_stalemate_and_bands(void** s) {
  (void)s;
  truce_scenario* sc = ts_load(ctx, yaml);
  truce_ensemble_opts o = {.runs = 100, .threads = 2};
  truce_ensemble* e;
  assert_int_equal(truce_ensemble_run(ctx, sc, &o, &e), 0);
  for (int d = 0; d < 10; d++) assert_true(truce_ensemble_stalemate(e, d) == 0);
  truce_ensemble_free(e);
  assert_int_equal(truce_scenario_set(ctx, sc, "sides.b.posture=defend"), 0);
  assert_int_equal(truce_ensemble_run(ctx, sc, &o, &e), 0);
  uint64_t exhausted_by_20 = 0;
  for (uint64_t r = 0; r < 100; r++) {
    truce_side_outcome oc[2];
    truce_ensemble_outcome(e, r, oc);
    if (oc[0].exhaustion_day >= 0 && oc[0].exhaustion_day <= 20)
      exhausted_by_20++;
  }
  assert_true(fabs(truce_ensemble_stalemate(e, 20) -
                   (1 - (double)exhausted_by_20 / 100)) < 1e-12);
  truce_band b;
  truce_ensemble_band(e, 0, 0, truce_series_index("front"), &b);
  assert_true(b.n == 100 && b.p05 >= 900 && b.p95 <= 1100);
  assert_true(b.p05 < b.p50 && b.p50 < b.p95);
  truce_ensemble_band(e, 0, 0, truce_series_index("territory"), &b);
  assert_true(b.mean == 0.5);
  assert_int_equal(truce_ensemble_band(e, 61, 0, 0, &b), TRUCE_EINVAL);
  truce_ensemble_free(e);
  truce_scenario_free(sc);
}

/* One number in every output: the horizon's band of a series that is
 * also a per-run outcome (front, casualties, territory) is the type-7
 * quantile of that outcome over the runs, to the bit (150 runs: the
 * other days are sketched). */
static void test_horizon_band_is_outcome_quantile(void** s) {
  (void)s;
  truce_scenario* sc = ts_load(ctx, yaml);
  truce_ensemble* e;
  truce_ensemble_opts o = {.runs = 150, .threads = 2};
  assert_int_equal(truce_ensemble_run(ctx, sc, &o, &e), 0);
  static const char* const pairs[][2] = {{"front", "front_end"},
                                         {"casualties", "casualties_total"},
                                         {"territory", "territory_end"}};
  double v[150];
  for (size_t i = 0; i < 2; i++)
    for (size_t k = 0; k < 3; k++) {
      int oc = truce_outcome_index(pairs[k][1]);
      for (uint64_t r = 0; r < 150; r++)
        v[r] = truce_ensemble_outcome_value(e, r, i, (size_t)oc);
      gsl_sort(v, 1, 150);
      truce_band b;
      truce_ensemble_band(e, 60, i, truce_series_index(pairs[k][0]), &b);
      assert_true(b.p05 == gsl_stats_quantile_from_sorted_data(v, 1, 150, .05));
      assert_true(b.p50 == gsl_stats_quantile_from_sorted_data(v, 1, 150, .5));
      assert_true(b.p95 == gsl_stats_quantile_from_sorted_data(v, 1, 150, .95));
    }
  truce_ensemble_free(e);
  truce_scenario_free(sc);
}

/* Cancellation: a cancel callback that says "stop" after a few polls
 * ends the ensemble with TRUCE_ECANCELED, before the runs are done and
 * with nothing kept; one that never says it changes nothing. */
typedef struct {
  int after;
  int polls; /* guarded by the atomic below */
} cancel_state;

static int cancel_after(void* user) {
  cancel_state* c = user;
  int n;
#ifdef _OPENMP
#pragma omp atomic capture
#endif
  n = ++c->polls;
  return c->after >= 0 && n > c->after;
}

static void test_cancel_between_runs(void** s) {
  (void)s;
  truce_scenario* sc = ts_load(ctx, yaml);
  truce_ensemble *e = NULL, *ref;
  truce_ensemble_opts o = {.runs = 200, .threads = 2};
  assert_int_equal(truce_ensemble_run(ctx, sc, &o, &ref), 0);
  cancel_state c = {10, 0};
  o.cancel = cancel_after;
  o.cancel_user = &c;
  assert_int_equal(truce_ensemble_run(ctx, sc, &o, &e), TRUCE_ECANCELED);
  assert_null(e);
  assert_non_null(strstr(truce_ctx_message(ctx), "cancelled"));
  assert_true(c.polls < 200); /* stopped early, not after every run */
  cancel_state never = {-1, 0};
  o.cancel_user = &never;
  assert_int_equal(truce_ensemble_run(ctx, sc, &o, &e), 0);
  assert_int_equal(never.polls, 200); /* polled once before each run */
  for (int d = 0; d < 61; d++) {
    truce_band x, y;
    truce_ensemble_band(ref, d, 0, 0, &x);
    truce_ensemble_band(e, d, 0, 0, &y);
    assert_memory_equal(&x, &y, sizeof x);
  }
  truce_ensemble_free(e);
  truce_ensemble_free(ref);
  truce_scenario_free(sc);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_sketch_bound),
      cmocka_unit_test(test_exact_when_few),
      cmocka_unit_test(test_merge_is_exact),
      cmocka_unit_test(test_counts_past_16_bits),
      cmocka_unit_test(test_add_many_is_add),
      cmocka_unit_test(test_sketch_quantiles_at_midpoints),
      cmocka_unit_test(test_sketch_constant_and_bounds),
      cmocka_unit_test(test_kept_cell_exact),
      cmocka_unit_test(test_horizon_band_is_outcome_quantile),
      cmocka_unit_test(test_threads_do_not_matter),
      cmocka_unit_test(test_stalemate_and_bands),
      cmocka_unit_test(test_cancel_between_runs),
  };
  return ts_run_group(tests, ts_ctx_setup, ts_ctx_teardown);
}
