/* SPDX-License-Identifier: GPL-3.0-or-later
 * Bargaining: closed forms (Fearon, Nash, Rubinstein, Slantchev), the
 * engine's ranges and solutions against them and against brute force,
 * the minimal guarantee, and beliefs that learn. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_integration.h>

#include "bargain/bargain_int.h"
#include "support.h"

#define WAR                                   \
  "sides:\n"                                  \
  "  - id: a\n    personnel: {front: 1000}\n" \
  "  - id: b\n    personnel: {front: 1000}\n" \
  "combat: {law: square, coefficients: {a: 0.01, b: 0.01}}\n"

/* The tracker as a truce_day_fn. */
static int track_day(void* t, const truce_day* d) {
  return truce_bargain_tracker_day(t, d);
}

static void test_closed_forms(void** s) {
  (void)s;
  double lo, hi;
  truce_fearon_range(0.6, 0.05, 0.1, &lo, &hi);
  assert_true(fabs(lo - 0.55) < 1e-15 && fabs(hi - 0.7) < 1e-15);
  assert_true(truce_fearon_open(0.7, 0.6, 0.05, 0.05));   /* gap 0.1 */
  assert_false(truce_fearon_open(0.75, 0.6, 0.05, 0.05)); /* gap 0.15 */
  assert_true(fabs(truce_nash_split(0.6, 0.05, 0.1, 0.3) - 0.595) < 1e-15);
  assert_true(fabs(truce_rubinstein_share(0.9, 0.9) - 1 / 1.9) < 1e-15);
  assert_true(fabs(truce_rubinstein_share(0.95, 0.8) - 0.2 / 0.24) < 1e-12);
  assert_true(fabs(truce_slantchev(0.5, 3, 10) - 0.3) < 1e-15);
  double r = 0.4 / 0.6;
  assert_true(fabs(truce_slantchev(0.6, 3, 10) -
                   (1 - pow(r, 3)) / (1 - pow(r, 10))) < 1e-15);
  assert_true(truce_slantchev(0.6, 0, 10) == 0 &&
              truce_slantchev(0.6, 10, 10) == 1);
}

/* Territory only, weights 1: the engine's range is Fearon's
 * [p - cA, p + cB] and its Nash point p - cA + alpha (cA + cB). */
static void test_fearon_and_nash_through_engine(void** s) {
  (void)s;
  truce_scenario* sc =
      ts_load(ctx, "truce: 1\n" WAR
                   "negotiation:\n  sides:\n"
                   "    a: {weights: {territory: 1}, bargaining_power: 0.3}\n"
                   "    b: {weights: {territory: 1}, bargaining_power: 0.7}\n");
  double p = 0.6, cA = 0.05, cB = 0.1;
  truce_war_values w;
  memset(&w, 0, sizeof w);
  w.threshold[0] = w.W[0] = p - cA;
  w.threshold[1] = w.W[1] = 1 - p - cB;
  truce_bargain_day* d;
  assert_int_equal(truce_bargain_solve(ctx, sc, &w, 0, &d), 0);
  assert_int_equal(d->n_packages, 1);
  assert_true(d->open);
  assert_true(fabs(d->packages[0].both_lo - (p - cA)) < 1e-12);
  assert_true(fabs(d->packages[0].both_hi - (p + cB)) < 1e-12);
  assert_true(fabs(d->nash_x - truce_nash_split(p, cA, cB, 0.3)) < 1e-12);
  /* KS with linear utilities on a segment: equal shares of the surplus */
  assert_true(fabs(d->ks_x - (p - cA + 0.5 * (cA + cB))) < 1e-12);
  /* Rubinstein: A's proposer share of the range */
  double dd = pow(0.95, 7 / 365.0);
  assert_true(
      fabs(d->rub_x - (p - cA + truce_rubinstein_share(dd, dd) * (cA + cB))) <
      1e-12);
  truce_bargain_day_free(ctx, d);
  /* divergent beliefs: open iff pA - pB <= cA + cB */
  for (double gap = 0.05; gap < 0.3; gap += 0.05) {
    double pA = 0.6 + gap / 2, pB = 0.6 - gap / 2;
    w.threshold[0] = pA - cA;
    w.threshold[1] = 1 - pB - cB;
    assert_int_equal(truce_bargain_solve(ctx, sc, &w, 0, &d), 0);
    assert_int_equal(d->open, truce_fearon_open(pA, pB, cA, cB));
    truce_bargain_day_free(ctx, d);
  }
  truce_scenario_free(sc);
}

/* Discrete issues only: Nash and KS equal brute-force enumeration. */
static void test_discrete_brute_force(void** s) {
  (void)s;
  const char* y = "truce: 1\n" WAR
                  "negotiation:\n"
                  "  issues:\n"
                  "    x: {options: [x0, x1, x2], status_quo: x0}\n"
                  "    z: {options: [z0, z1], status_quo: z0}\n"
                  "  sides:\n"
                  "    a: {weights: {x: 0.7, z: 0.3}, bargaining_power: 0.6,\n"
                  "        values: {x: {x0: 0.1, x1: 0.8, x2: 0.5}, z: {z0: "
                  "0.2, z1: 0.9}}}\n"
                  "    b: {weights: {x: 0.4, z: 0.6}, bargaining_power: 0.4,\n"
                  "        values: {x: {x0: 0.9, x1: 0.3, x2: 0.6}, z: {z0: "
                  "0.7, z1: 0.1}}}\n";
  truce_scenario* sc = ts_load(ctx, y);
  const double va[2][3] = {{0.1, 0.8, 0.5}, {0.2, 0.9, 0}};
  const double vb[2][3] = {{0.9, 0.3, 0.6}, {0.7, 0.1, 0}};
  for (double t0 = 0.1; t0 < 0.6; t0 += 0.11)
    for (double t1 = 0.1; t1 < 0.6; t1 += 0.13) {
      truce_war_values w;
      memset(&w, 0, sizeof w);
      w.threshold[0] = w.W[0] = t0;
      w.threshold[1] = w.W[1] = t1;
      truce_bargain_day* d;
      assert_int_equal(truce_bargain_solve(ctx, sc, &w, 0, &d), 0);
      /* brute force: package c = x + 3 z */
      int nash = -1, ks = -1;
      double bn = -HUGE_VAL, U0 = -HUGE_VAL, U1 = -HUGE_VAL;
      double u[6][2];
      for (int c = 0; c < 6; c++) {
        int xi = c % 3, zi = c / 3;
        u[c][0] = 0.7 * va[0][xi] + 0.3 * va[1][zi];
        u[c][1] = 0.4 * vb[0][xi] + 0.6 * vb[1][zi];
        if (u[c][0] < t0 || u[c][1] < t1) continue;
        U0 = fmax(U0, u[c][0]);
        U1 = fmax(U1, u[c][1]);
        double v = 0.6 * log(fmax(u[c][0] - t0, 1e-300)) +
                   0.4 * log(fmax(u[c][1] - t1, 1e-300));
        if (v > bn + 1e-12) {
          bn = v;
          nash = c;
        }
      }
      double bk = -HUGE_VAL;
      for (int c = 0; c < 6; c++) {
        if (u[c][0] < t0 || u[c][1] < t1) continue;
        double r0 = (u[c][0] - t0) / fmax(U0 - t0, 1e-15);
        double r1 = (u[c][1] - t1) / fmax(U1 - t1, 1e-15);
        double m = fmin(r0, r1);
        if (m > bk + 1e-12) {
          bk = m;
          ks = c;
        }
      }
      assert_int_equal(d->open, nash >= 0);
      assert_int_equal(d->nash_combo, nash);
      assert_int_equal(d->ks_combo, ks);
      truce_bargain_day_free(ctx, d);
    }
  truce_scenario_free(sc);
}

/* The range is empty without a guarantee, open at the computed minimal
 * credibility, empty just below it. */
static void test_minimal_guarantee(void** s) {
  (void)s;
  truce_scenario* sc = ts_load(
      ctx,
      "truce: 1\n" WAR
      "negotiation:\n"
      "  issues:\n"
      "    alliance: {options: [membership, guarantees, neutrality], "
      "status_quo: neutrality}\n"
      "  guarantee: {issue: alliance, option: guarantees, credibility: 0,\n"
      "              full_value: {a: 1.0, b: 0.4}}\n"
      "  sides:\n"
      "    a: {weights: {territory: 0.5, alliance: 0.5},\n"
      "        values: {alliance: {membership: 1, guarantees: 0, "
      "neutrality: 0}}}\n"
      "    b: {weights: {territory: 0.5, alliance: 0.5},\n"
      "        values: {alliance: {membership: 0, guarantees: 0, "
      "neutrality: 1}}}\n");
  truce_war_values w;
  memset(&w, 0, sizeof w);
  w.threshold[0] = 0.6; /* a needs 0.6: territory alone gives at most 0.5 */
  w.threshold[1] = 0.45;
  truce_bargain_day* d;
  assert_int_equal(truce_bargain_solve(ctx, sc, &w, 0, &d), 0);
  assert_false(d->open);
  double q = d->min_guarantee;
  truce_bargain_day_free(ctx, d);
  /* a: 0.5 x + 0.5 q >= 0.6; b: 0.5 (1 - x) + 0.5 * 0.4 q >= 0.45 */

  /* x >= 1.2 - q and x <= 0.1 + 0.4 q  =>  q >= 1.1 / 1.4 */
  assert_true(fabs(q - 1.1 / 1.4) < 1e-6);
  assert_int_equal(truce_bargain_solve(ctx, sc, &w, q, &d), 0);
  assert_true(d->open);
  truce_bargain_day_free(ctx, d);
  assert_int_equal(truce_bargain_solve(ctx, sc, &w, q - 1e-6, &d), 0);
  assert_false(d->open);
  truce_bargain_day_free(ctx, d);
  /* never: a needs more than any guarantee gives */
  w.threshold[0] = 1.2;
  assert_int_equal(truce_bargain_solve(ctx, sc, &w, 0, &d), 0);
  assert_true(d->min_guarantee == -1);
  truce_bargain_day_free(ctx, d);
  truce_scenario_free(sc);
}

/* Learning: both sides start optimistic by `gap`/2 each. The gap between
 * their beliefs shrinks, and the range opens later as the gap grows. */
static void run_gap(double gap, int runs, double* mean_open, double* se,
                    double* gap_first, double* gap_last) {
  char y[2048];
  snprintf(y, sizeof y,
           "truce: 1\nhorizon_days: 730\nseed: 3\n"
           "sides:\n"
           "  - id: a\n    personnel: {front: 100000, pool: 1e6, "
           "recruits_per_month: 30000, training_days: 10}\n"
           "  - id: b\n    personnel: {front: 100000, pool: 1e6, "
           "recruits_per_month: 30000, training_days: 10}\n"
           "combat: {law: square, coefficients: {a: 0.01, b: 0.01}}\n"
           "negotiation:\n"
           "  observation_noise: 0.6\n  territory_per_log_ratio: 1.0\n"
           "  sides:\n"
           "    a: {weights: {territory: 1}, cost_per_year: 0.05, "
           "optimism: %g, prior_sd: 0.3}\n"
           "    b: {weights: {territory: 1}, cost_per_year: 0.05, "
           "optimism: %g, prior_sd: 0.3}\n",
           gap / 2, gap / 2);
  truce_scenario* sc = ts_load(ctx, y);
  truce_sim* sim;
  truce_bargain_tracker* t;
  assert_int_equal(truce_sim_new(ctx, sc, &sim), 0);
  assert_int_equal(truce_bargain_tracker_new(ctx, sc, &t), 0);
  double s = 0, s2 = 0, g0 = 0, g1 = 0;
  for (int r = 0; r < runs; r++) {
    truce_bargain_tracker_begin(t, (uint64_t)r, TRUCE_SIM_STOCHASTIC, NULL);
    assert_int_equal(truce_sim_run(sim, (uint64_t)r, 0, track_day, t), 0);
    double out[TRUCE_BX_COUNT];
    truce_bargain_tracker_result(t, out, NULL);
    double od = out[TRUCE_BX_OPEN_DAY] < 0 ? 731 : out[TRUCE_BX_OPEN_DAY];
    s += od;
    s2 += od * od;
    g0 += fabs(out[TRUCE_BX_GAP_FIRST]);
    g1 += fabs(out[TRUCE_BX_GAP_LAST]);
  }
  *mean_open = s / runs;
  *se = sqrt((s2 / runs - *mean_open * *mean_open) / (runs - 1));
  *gap_first = g0 / runs;
  *gap_last = g1 / runs;
  truce_bargain_tracker_free(t);
  truce_sim_free(sim);
  truce_scenario_free(sc);
}

static void test_learning(void** s) {
  (void)s;
  const double gaps[] = {0.1, 0.4, 0.8};
  double m[3], se[3];
  for (int k = 0; k < 3; k++) {
    double g0, g1;
    run_gap(gaps[k], 200, &m[k], &se[k], &g0, &g1);
    /* the gap between beliefs shrinks */
    if (!(g1 < 0.5 * g0)) fail_msg("gap %g: first %g last %g", gaps[k], g0, g1);
  }
  print_message("opening day by gap: %.1f (%.2f) %.1f (%.2f) %.1f (%.2f)\n",
                m[0], gaps[0], m[1], gaps[1], m[2], gaps[2]);
  /* the window opens later as the initial gap grows, beyond 3 SE */
  for (int k = 1; k < 3; k++)
    if (!(m[k] - m[k - 1] > 3 * sqrt(se[k] * se[k] + se[k - 1] * se[k - 1])))
      fail_msg("opening days %g (gap %g) vs %g (gap %g)", m[k - 1], gaps[k - 1],
               m[k], gaps[k]);
}

/* Negotiation errors come with positions. */
static void test_errors(void** s) {
  (void)s;
  assert_int_equal(ts_expect_error(ctx,
                                   "truce: 1\n" WAR "negotiation:\n  sides:\n"
                                   "    a: {weights: {territory: 0.9}}\n"
                                   "    b: {weights: {territory: 1}}\n",
                                   "bad.yaml:10:9: error: ", "the weights in"),
                   TRUCE_EINVAL);
  assert_int_equal(
      ts_expect_error(ctx,
                      "truce: 1\n" WAR "negotiation:\n  sides:\n"
                      "    a: {weights: {territory: 1}, optimsm: 1}\n"
                      "    b: {weights: {territory: 1}}\n",
                      "bad.yaml:", "did you mean 'optimism'"),
      TRUCE_EINVAL);
  assert_int_equal(ts_expect_error(ctx,
                                   "truce: 1\n" WAR "negotiation:\n  sides:\n"
                                   "    a: {weights: {territory: 1}}\n"
                                   "    c: {weights: {territory: 1}}\n",
                                   "bad.yaml:11:5: error: ",
                                   "reference to an unknown side 'c'"),
                   TRUCE_EINVAL);
  /* a guarantee's full_value: missing, not a mapping, an unknown side */
  static const char* const G[][3] = {
      {"", "bad.yaml:10:3: error: ", "needs full_value: {side: value"},
      {", full_value: 0.5", "bad.yaml:10:73: error: ",
       "wrong type for 'negotiation.guarantee.full_value': found a plain "
       "scalar; expected {side: value of a fully credible guarantee}"},
      {", full_value: {a: 1, z: 0}", "bad.yaml:10:80: error: ",
       "unknown side 'z' in 'negotiation.guarantee.full_value'"}};
  for (size_t k = 0; k < 3; k++) {
    char y[1024];
    snprintf(y, sizeof y,
             "truce: 1\n" WAR
             "negotiation:\n"
             "  issues: {alliance: {options: [x, y], status_quo: x}}\n"
             "  guarantee: {issue: alliance, option: y, credibility: 0.5%s}\n"
             "  sides:\n"
             "    a: {weights: {territory: 0.5, alliance: 0.5},\n"
             "        values: {alliance: {x: 0, y: 1}}}\n"
             "    b: {weights: {territory: 0.5, alliance: 0.5},\n"
             "        values: {alliance: {x: 1, y: 0}}}\n",
             G[k][0]);
    assert_int_equal(ts_expect_error(ctx, y, G[k][1], G[k][2]), TRUCE_EINVAL);
  }
}

/* Negotiation numbers are parameters like any: a range is drawn per run
 * (as the simulation of that run draws it) and changes the run's window;
 * --set changes them; an event cannot. */
static void test_negotiation_parameters(void** s) {
  (void)s;
  const char* y =
      "truce: 1\nhorizon_days: 200\nseed: 5\n"
      "sides:\n"
      "  - id: a\n    personnel: {front: 100000}\n"
      "  - id: b\n    personnel: {front: 100000}\n"
      "combat: {law: square, coefficients: {a: 0.01, b: 0.01}}\n"
      "negotiation:\n"
      "  observation_noise: {value: 0.5, low: 0.2, high: 0.8}\n"
      "  sides:\n"
      "    a: {weights: {territory: 1}, cost_per_year: 0.02, "
      "optimism: {value: 0.5, low: 0, high: 3}, prior_sd: 0.3}\n"
      "    b: {weights: {territory: 1}, cost_per_year: 0.02, optimism: 0.5, "
      "prior_sd: 0.3}\n";
  truce_scenario* sc = ts_load(ctx, y);
  size_t nu = truce_scenario_uncertain_count(sc);
  int found = 0;
  for (size_t i = 0; i < nu; i++) {
    const char* p = truce_scenario_uncertain_path(sc, i);
    found += !strcmp(p, "negotiation.sides.a.optimism") ||
             !strcmp(p, "negotiation.observation_noise");
  }
  assert_int_equal(found, 2);
  /* runs draw different optimism; the opening day follows it */
  truce_sim* sim;
  truce_bargain_tracker* t;
  assert_int_equal(truce_sim_new(ctx, sc, &sim), 0);
  assert_int_equal(truce_bargain_tracker_new(ctx, sc, &t), 0);
  double open_lo = 0, open_hi = 0;
  int n_lo = 0, n_hi = 0;
  double* v = calloc(nu, sizeof(double));
  for (uint64_t r = 0; r < 200; r++) {
    truce_bargain_tracker_begin(t, r, TRUCE_SIM_STOCHASTIC, NULL);
    assert_int_equal(truce_sim_run(sim, r, TRUCE_SIM_STOCHASTIC, track_day, t),
                     0);
    assert_int_equal(truce_scenario_sample(ctx, sc, r, v), 0);
    double opt = 0;
    for (size_t i = 0; i < nu; i++)
      if (!strcmp(truce_scenario_uncertain_path(sc, i),
                  "negotiation.sides.a.optimism"))
        opt = v[i];
    assert_true(opt >= 0 && opt <= 3);
    double out[TRUCE_BX_COUNT];
    truce_bargain_tracker_result(t, out, NULL);
    double od = out[TRUCE_BX_OPEN_DAY] < 0 ? 201 : out[TRUCE_BX_OPEN_DAY];
    /* a month with a range at its end comes after the first opening */
    uint64_t bits = (uint64_t)out[TRUCE_BX_OPEN_MONTHS];
    for (int m = 0; m < 7; m++)
      if (bits >> m & 1) assert_true(od <= (m + 1) * 30.436875);
    assert_true(bits < (1u << 7)); /* 200 days: 7 months */
    if (opt < 0.5) open_lo += od, n_lo++;
    if (opt > 1.5) open_hi += od, n_hi++;
  }
  free(v);
  assert_true(n_lo > 10 && n_hi > 10);
  print_message("opening day: optimism < 0.5 %.1f (%d runs), > 1.5 %.1f (%d)\n",
                open_lo / n_lo, n_lo, open_hi / n_hi, n_hi);
  /* a more optimistic side keeps the range closed longer */
  assert_true(open_hi / n_hi > open_lo / n_lo + 10);
  truce_bargain_tracker_free(t);
  truce_sim_free(sim);
  /* --set: a number, no longer uncertain */
  assert_int_equal(
      truce_scenario_set(ctx, sc, "negotiation.sides.a.optimism=2"), 0);
  double x;
  assert_int_equal(
      truce_scenario_get(ctx, sc, "negotiation.sides.a.optimism", &x), 0);
  assert_true(x == 2);
  assert_int_equal(truce_scenario_uncertain_count(sc), nu - 1);
  assert_int_not_equal(
      truce_scenario_set(ctx, sc, "negotiation.sides.a.optimsm=2"), 0);
  assert_non_null(strstr(truce_ctx_message(ctx),
                         "did you mean 'negotiation.sides.a.optimism'?"));
  truce_scenario_free(sc);
  /* an event cannot change a negotiation number */
  const char* ev =
      "truce: 1\nhorizon_days: 200\n"
      "sides:\n"
      "  - id: a\n    personnel: {front: 100000}\n"
      "  - id: b\n    personnel: {front: 100000}\n"
      "combat: {law: square, coefficients: {a: 0.01, b: 0.01}}\n"
      "negotiation:\n  sides:\n"
      "    a: {weights: {territory: 1}}\n    b: {weights: {territory: 1}}\n"
      "events:\n  - day: 10\n    set: {negotiation.sides.a.optimism: 1}\n";
  sc = NULL;
  assert_int_equal(
      truce_scenario_load_string(ctx, "e.yaml", ev, strlen(ev), &sc),
      TRUCE_EINVAL);
  assert_non_null(strstr(truce_ctx_message(ctx),
                         "is a negotiation number, "
                         "fixed for a run"));
}

/* contested_share c: a side holding share T of the whole area holds
 * (T - (1 - c)) / c of the contested part. A static front, no costs, no
 * discounting and no chance of exhaustion: each side's value of fighting
 * on is its share of the contested area, so side 0 accepts exactly the
 * lines at or above it. */
static void test_contested_share(void** s) {
  (void)s;
  const char* y =
      "truce: 1\nhorizon_days: 30\n"
      "sides:\n"
      "  - id: a\n    personnel: {front: 100000}\n"
      "  - id: b\n    personnel: {front: 100000}\n"
      "combat: {law: square, coefficients: {a: 0.0001, b: 0.0001}}\n"
      "front: {territory: {a: 0.8, b: 0.2}}\n"
      "negotiation:\n"
      "  territory_per_log_ratio: 0\n"
      "  sides:\n"
      "    a: {weights: {territory: 1}, cost_per_year: 0, "
      "cost_per_100k_casualties: 0, discount_per_year: 0, optimism: 0}\n"
      "    b: {weights: {territory: 1}, cost_per_year: 0, "
      "cost_per_100k_casualties: 0, discount_per_year: 0, optimism: 0}\n";
  truce_scenario* sc = ts_load(ctx, y);
  static const double c[] = {1, 0.4, 0.25};
  for (int k = 0; k < 3; k++) {
    char set[64];
    snprintf(set, sizeof set, "negotiation.contested_share=%g", c[k]);
    assert_int_equal(truce_scenario_set(ctx, sc, set), 0);
    truce_bargain_day* d;
    assert_int_equal(truce_bargain_analyse(ctx, sc, 14, &d), 0);
    double x = (0.8 - (1 - c[k])) / c[k];
    assert_true(d->war.p_win[0] < 1e-9 && d->war.p_lose[0] < 1e-9);
    assert_true(fabs(d->war.W[0] - x) < 1e-9);
    assert_true(fabs(d->war.W[1] - (1 - x)) < 1e-9);
    assert_true(fabs(d->packages[0].lo[0] - x) < 1e-9);
    truce_bargain_day_free(ctx, d);
  }
  assert_int_equal(truce_scenario_set(ctx, sc, "negotiation.contested_share=0"),
                   TRUCE_EINVAL);
  truce_scenario_free(sc);
}

/* ------------------------------------- Why wars go on (issue 17) */

/* Powell (2006) in two periods: with A rising and proposing next period,
 * the range is empty iff delta (p2 - p1) > p1 + (1 - delta) cB, checked
 * on both sides of the boundary; with B rising and proposing, the mirror
 * image (B's share 1 - p1, A's cost); and the range's ends in between. */
static void test_powell_two_period(void** s) {
  (void)s;
  double p1 = 0.2385, cA = 0.041, cB = 0.053, d = 0.913, lo, hi;
  double smax = truce_powell_shift_max(p1, cB, d);
  assert_true(fabs(smax - (p1 + (1 - d) * cB) / d) < 1e-15);
  assert_true(
      truce_powell_range(p1, p1 + smax * (1 - 1e-9), cA, cB, d, 1, &lo, &hi));
  assert_false(
      truce_powell_range(p1, p1 + smax * (1 + 1e-9), cA, cB, d, 1, &lo, &hi));
  assert_true(truce_powell_range(p1, p1 + 0.5 * smax, cA, cB, d, 1, &lo, &hi));
  assert_false(truce_powell_range(p1, p1 + 1.5 * smax, cA, cB, d, 1, &lo, &hi));
  /* interior: the two constraints, width cA + cB */
  double p2 = 0.31;
  assert_true(truce_powell_range(p1, p2, cA, cB, d, 1, &lo, &hi));
  double x2 = p2 + cB;
  assert_true(fabs(lo - (p1 * (1 + d) - cA - d * x2)) < 1e-15);
  assert_true(fabs(hi - (p1 * (1 + d) + cB - d * x2)) < 1e-15);
  assert_true(fabs(hi - lo - (cA + cB)) < 1e-12);
  /* no shift: the range contains Fearon's [p - cA, p + cB] scaled */
  assert_true(truce_powell_range(p1, p1, cA, cB, d, 0.5, &lo, &hi));
  /* B rising and proposing: empty iff delta (p1 - p2) > 1 - p1 + (1 -
   * delta) cA */
  double p1b = 0.7615, bmax = truce_powell_shift_max(1 - p1b, cA, d);
  assert_true(
      truce_powell_range(p1b, p1b - bmax * (1 - 1e-9), cA, cB, d, 0, &lo, &hi));
  assert_false(
      truce_powell_range(p1b, p1b - bmax * (1 + 1e-9), cA, cB, d, 0, &lo, &hi));
}

/* The engine's version: complete information (both know p), territory
 * only. Side 1 reconstitutes during a ceasefire; with a small expected
 * shift the durable range is open, with a large one it is empty, and a
 * guarantee with enough credibility and strength reopens it. */
static void test_commitment_closes_range(void** s) {
  (void)s;
  double p = 0.55, c0 = 0.06, c1 = 0.07;
  double war[2] = {p - c0, 1 - p - c1};
  truce__ceasefire c = {{100000, 100000}, {0, 0}, {0, 0}, 365, {c0, c1},
                        {1, 1},           {1, 1}, 0.7,    0.2};
  double prev_hold = 2;
  bool was_open = true;
  int flips = 0;
  for (double inflow = 0; inflow <= 800; inflow += 20) {
    c.inflow[1] = inflow;
    c.inflow_sd[1] = 0.25 * inflow;
    truce__durability du;
    truce__ceasefire_durability(&c, war, false, &du);
    assert_true(du.shift_mean <= 0 && du.p_hold <= prev_hold + 1e-15);
    prev_hold = du.p_hold;
    double t0 = truce__durable_threshold(war[0], du.p_hold, du.resume[0]);
    double t1 = truce__durable_threshold(war[1], du.p_hold, du.resume[1]);
    bool open = t0 <= 1 - t1 && t0 <= 1 && t1 <= 1;
    if (open != was_open) flips++;
    was_open = open;
    if (inflow == 0) assert_true(open && du.p_hold == 1);
    /* the guarantee deters the rising side: more durable */
    truce__durability dg;
    truce__ceasefire_durability(&c, war, true, &dg);
    assert_true(dg.p_hold >= du.p_hold);
    if (du.p_hold > 1e-9 && du.p_hold < 1 - 1e-9)
      assert_true(dg.p_hold > du.p_hold);
  }
  assert_false(was_open);     /* closed with the largest shift */
  assert_int_equal(flips, 1); /* and once closed, closed */
  /* without uncertainty: holds iff the rise is at most (c1 + qS)/stake */
  c.inflow_sd[1] = 0;
  double b1 = c1; /* no guarantee */
  /* shift = 0.5 - F0/(F0 + F1 + v D): solve for the boundary inflow */
  double v = (100000 / (0.5 - b1) - 200000) / 365;
  truce__durability du;
  c.inflow[1] = v * (1 - 1e-9);
  truce__ceasefire_durability(&c, war, false, &du);
  assert_true(du.p_hold == 1);
  c.inflow[1] = v * (1 + 1e-9);
  truce__ceasefire_durability(&c, war, false, &du);
  assert_true(du.p_hold == 0);
  assert_true(truce__durable_threshold(0.3, 0, 0.2) == HUGE_VAL);
  assert_true(truce__durable_threshold(0.3, 0, 0.4) == -HUGE_VAL);
}

/* Territory the side accepts by brute force on a fine grid. */
static void grid_interval(const truce__claims* cl, int i, int day, double need,
                          double w, double* lo, double* hi) {
  *lo = 2;
  *hi = -1;
  for (int g = 0; g <= 100000; g++) {
    double x = g / 100000.0, own = i == 0 ? x : 1 - x, u = w * own;
    for (int k = 0; k < cl->n; k++) {
      const truce__claim* c = &cl->claim[k];
      if (c->side == i && c->issue == -1 && truce__claim_in_force(c, day) &&
          own < c->threshold)
        u -= c->cost;
    }
    if (u >= need) {
      if (x < *lo) *lo = x;
      if (x > *hi) *hi = x;
    }
  }
}

/* A threshold blocks every package below it: a hard territorial claim
 * caps the other side's share whatever the side would need, a discrete
 * option valued below a hard threshold is never acceptable; soft claims
 * (audience costs) give the interval brute force finds; claims lapse on
 * their day and without claims the closed form is the old one. */
static void test_claims(void** s) {
  (void)s;
  truce__claims cl = {0};
  cl.claim[cl.n++] = (truce__claim){1, -1, 0.225, HUGE_VAL, 0, 400};
  cl.claim[cl.n++] = (truce__claim){0, -1, 1.0, 0.21, 0, 1 << 30};
  cl.claim[cl.n++] = (truce__claim){0, -1, 0.6, 0.13, 0, 1 << 30};
  cl.claim[cl.n++] = (truce__claim){1, 0, 0.5, HUGE_VAL, 0, 1 << 30};
  for (double need = -0.3; need <= 1.2; need += 0.0173) {
    for (int i = 0; i < 2; i++) {
      double lo, hi, glo, ghi, w = i ? 0.45 : 0.6;
      truce__claims_territory(&cl, i, 100, need, w, &lo, &hi);
      if (i == 1) assert_true(lo > hi || hi <= 1 - 0.225 + 1e-15);
      grid_interval(&cl, i, 100, need, w, &glo, &ghi);
      if (glo > ghi) {
        assert_true(lo > hi);
      } else {
        assert_true(lo <= hi);
        assert_true(fabs(lo - glo) <= 2e-5 && fabs(hi - ghi) <= 2e-5);
      }
      /* no claims: the closed form of ranges() */
      double e = need / w, l0, h0;
      truce__claims_territory(NULL, i, 100, need, w, &l0, &h0);
      if (i == 0)
        assert_true(l0 == (e > 0 ? e : 0) && h0 == 1);
      else
        assert_true(l0 == 0 && h0 == (1 - e < 1 ? 1 - e : 1));
    }
    /* day 400: side 1's claim has lapsed */
    double lo, hi;
    truce__claims_territory(&cl, 1, 400, need, 0.45, &lo, &hi);
    double e = need / 0.45;
    assert_true(hi == (1 - e < 1 ? 1 - e : 1));
  }
  double values[2][1] = {{0.49}, {0.5}};
  assert_true(truce__claims_discrete_cost(&cl, 1, 5, values[0], 1) == HUGE_VAL);
  assert_true(truce__claims_discrete_cost(&cl, 1, 5, values[1], 1) == 0);
  assert_true(truce__claims_discrete_cost(&cl, 0, 5, values[0], 1) == 0);
  cl.claim[3].cost = 0.07;
  cl.claim[cl.n++] = (truce__claim){1, 0, 0.8, 0.05, 10, 20};
  assert_true(fabs(truce__claims_discrete_cost(&cl, 1, 5, values[1], 1) -
                   0.05 * 0 - 0) < 1e-15);
  assert_true(fabs(truce__claims_discrete_cost(&cl, 1, 15, values[1], 1) -
                   0.05) < 1e-15);
  assert_true(fabs(truce__claims_discrete_cost(&cl, 1, 15, values[0], 1) -
                   0.12) < 1e-15);
  assert_true(truce__claim_in_force(&cl.claim[4], 19) &&
              !truce__claim_in_force(&cl.claim[4], 20) &&
              !truce__claim_in_force(&cl.claim[4], 9));
}

/* Beliefs about the backers: a blocked vote moves the belief down, a
 * delivery above the expected pace up, an election widens it; a
 * persistent bias survives any number of signals. */
static void test_aid_beliefs(void** s) {
  (void)s;
  truce__aid_belief b = {0.05, 0.3, 0, 0.4};
  truce__aid_belief before = b;
  truce__aid_update(&b, TRUCE_AID_VOTE, log(0.2), 0);
  assert_true(b.mu < before.mu && b.sd < before.sd);
  double after_block = b.mu;
  truce__aid_update(&b, TRUCE_AID_DELIVERY, 0.3, 0);
  assert_true(b.mu > after_block);
  double sd = b.sd, mu = b.mu;
  truce__aid_update(&b, TRUCE_AID_ELECTION, 0, 0.25);
  assert_true(b.mu == mu && fabs(b.sd - hypot(sd, 0.25)) < 1e-15);
  truce__aid_belief r = {0, 0.3, -0.35, 0.4}, u = {0, 0.3, 0, 0.4};
  for (int k = 0; k < 2000; k++) {
    truce__aid_update(&r, TRUCE_AID_DELIVERY, 0.1, 0);
    truce__aid_update(&u, TRUCE_AID_DELIVERY, 0.1, 0);
  }
  assert_true(fabs(u.mu - 0.1) < 1e-3 && fabs(r.mu - (0.1 - 0.35)) < 1e-3);
}

typedef struct {
  double mu, sd, k, F, th, m, im, is;
} outlast_args;

static double outlast_integrand(double z, void* p) {
  const outlast_args* a = p;
  double inflow = a->im + a->is * z;
  double rs = (inflow + (a->F - a->th) / a->m) / a->k;
  double pr = rs <= 0 ? 1 : 0.5 * erfc(((log(rs) - a->mu) / a->sd) / sqrt(2));
  return pr * exp(-0.5 * z * z) / sqrt(2 * 3.14159265358979323846);
}

/* P(outlast) with an uncertain enemy inflow: the closed form when the
 * inflow is known; with an enemy whose expected inflow exceeds its
 * losses the closed form gives ~0 but the uncertainty does not; the
 * Gauss-Hermite expectation matches GSL's adaptive integration. */
static void test_outlast(void** s) {
  (void)s;
  truce__quad q;
  assert_int_equal(truce__quad_init(&q), 0);
  double mu = 0.0, sd = 0.1, k = 900, F = 350000, th = 100000, m = 365;
  double known = truce__p_outlast(&q, mu, sd, k, F, th, m, 1100, 0);
  double rs = (1100 + (F - th) / m) / k;
  assert_true(fabs(known - 0.5 * erfc(((log(rs) - mu) / sd) / sqrt(2))) <
              1e-12);
  assert_true(known < 1e-6);
  double unsure = truce__p_outlast(&q, mu, sd, k, F, th, m, 1100, 700);
  assert_true(unsure > 0.05);
  /* both orders of integration against adaptive quadrature: an uncertain
   * inflow (outer over rho) and a nearly known one (outer over inflow) */
  static const double cases[][3] = {
      {0.0, 0.1, 700}, {0.2, 0.5, 60}, {-0.3, 0.35, 250}};
  gsl_integration_workspace* w = gsl_integration_workspace_alloc(1000);
  for (int c = 0; c < 3; c++) {
    outlast_args a = {cases[c][0], cases[c][1], k, F, th, m, 1100, cases[c][2]};
    gsl_function f = {outlast_integrand, &a};
    double ref, err;
    gsl_integration_qagi(&f, 1e-12, 1e-10, 1000, w, &ref, &err);
    double got = truce__p_outlast(&q, a.mu, a.sd, k, F, th, m, 1100, a.is);
    assert_true(fabs(got - ref) < 1e-3);
    assert_true(got > 1e-3);
  }
  gsl_integration_workspace_free(w);
  /* own exhaustion: a normal probability, 1/2 at the edge */
  double edge = k - (F - th) / m;
  assert_true(fabs(truce__p_exhausted(k, F, th, m, edge, 100) - 0.5) < 1e-15);
  assert_true(truce__p_exhausted(k, F, th, m, edge + 1, 0) == 0);
  assert_true(truce__p_exhausted(k, F, th, m, edge - 1, 0) == 1);
}

/* Agreement draws: the probability of agreeing is 1 - exp(-h t) and
 * rises with time; the break day has P(break within span) = 1 - p_hold
 * (within 4 standard errors over 20,000 draws); alternating offers give
 * the proposer its Rubinstein share. */
static void test_agreement_draws(void** s) {
  (void)s;
  double prev = 0;
  for (int d = 7; d <= 728; d += 7) {
    double p = truce__agree_probability(0.0021, d);
    assert_true(p > prev && p < 1);
    prev = p;
  }
  assert_true(fabs(truce__agree_probability(0.0021, 365) -
                   (1 - exp(-0.0021 * 365))) < 1e-15);
  truce_rng* r;
  assert_int_equal(truce_rng_new(ctx, 7, 3, 0x5000000000000000ULL, &r), 0);
  int n = 20000, broke = 0, agreed = 0;
  for (int k = 0; k < n; k++) {
    int b = truce__agree_break_day(r, 0.63, 180, 100000);
    if (b >= 0 && b < 180) broke++;
    agreed += truce__agree_draw(r, 0.01, 30);
  }
  double se = sqrt(0.37 * 0.63 / n);
  assert_true(fabs(broke / (double)n - 0.37) < 4 * se);
  double pa = 1 - exp(-0.3);
  assert_true(fabs(agreed / (double)n - pa) < 4 * sqrt(pa * (1 - pa) / n));
  truce_rng_free(r);
  double lo = 0.2, hi = 0.5, d0 = 0.97, d1 = 0.95;
  double a0 = truce__agree_terms(lo, hi, d0, d1, true);
  double a1 = truce__agree_terms(lo, hi, d0, d1, false);
  assert_true(fabs(a0 - (lo + truce_rubinstein_share(d0, d1) * 0.3)) < 1e-15);
  assert_true(fabs(hi - a1 - truce_rubinstein_share(d1, d0) * 0.3) < 1e-15);
  assert_true(a1 < a0); /* the first mover's advantage */
}

static const char* write_tmp(const char* name, const char* text) {
  static char path[256];
  snprintf(path, sizeof path, "%s", name);
  FILE* f = fopen(path, "w");
  assert_non_null(f);
  fputs(text, f);
  fclose(f);
  return path;
}

/* Stated terms: each side's latest statement by the day against the
 * acceptable sets (side a accepts [0.8, 1], b [0, 0.8] on a territory-only
 * war where a holds 80%); later and superseded rows are ignored, issues
 * not spoken to keep the status quo; bad rows get FILE:LINE:COL. */
static void test_stated_terms(void** s) {
  (void)s;
  const char* y =
      "truce: 1\nhorizon_days: 60\nstart: 2023-01-01\n"
      "sides:\n"
      "  - id: a\n    personnel: {front: 100000}\n"
      "  - id: b\n    personnel: {front: 100000}\n"
      "combat: {law: square, coefficients: {a: 0.0001, b: 0.0001}}\n"
      "front: {area_km2: 1000, territory: {a: 0.8, b: 0.2}}\n"
      "negotiation:\n"
      "  territory_per_log_ratio: 0\n"
      "  issues: {sanctions: {options: [kept, eased], status_quo: kept}}\n"
      "  sides:\n"
      "    a: {weights: {territory: 1, sanctions: 0}, values: {sanctions: "
      "{kept: 1, eased: 0}}, cost_per_year: 0, cost_per_100k_casualties: 0, "
      "discount_per_year: 0, optimism: 0}\n"
      "    b: {weights: {territory: 1, sanctions: 0}, values: {sanctions: "
      "{kept: 0, eased: 1}}, cost_per_year: 0, cost_per_100k_casualties: 0, "
      "discount_per_year: 0, optimism: 0}\n";
  truce_scenario* sc = ts_load(ctx, y);
  truce_bargain_day* d;
  assert_int_equal(truce_bargain_analyse(ctx, sc, 14, &d), 0);
  assert_true(fabs(d->line - 0.8) < 1e-9);
  const char* csv =
      "date,side,issue,value,unit,claimant,source\n"
      "2022-10-01,a,territory,1000,km2,A's head,\"speech, 1 Oct\"\n"
      "2023-01-10,b,territory,500,km2,B's head,decree\n"
      "2022-12-01,b,territory,900,km2,B's head,older (superseded)\n"
      "2023-01-10,b,sanctions,eased,option,B's minister,note\n"
      "2023-02-01,a,territory,500,km2,A's head,after the day\n";
  const char* path = write_tmp("stated_ok.csv", csv);
  truce_stated_terms st[2];
  assert_int_equal(truce_bargain_stated(ctx, sc, d, path, st), 0);
  assert_true(st[0].stated && st[1].stated);
  assert_true(st[0].x == 1 && st[0].combo == 0);
  assert_string_equal(st[0].since, "2022-10-01");
  assert_true(st[0].inside[0] && !st[0].inside[1]);
  assert_true(fabs(st[1].x - 0.5) < 1e-15 && st[1].combo == 1);
  assert_string_equal(st[1].since, "2023-01-10");
  assert_true(st[1].inside[1] && !st[1].inside[0]);
  assert_non_null(strstr(st[1].claimants, "B's minister"));
  /* at day 40 (2023-02-10) a's later statement counts: inside b's set */
  truce_bargain_day* d2;
  assert_int_equal(truce_bargain_analyse(ctx, sc, 40, &d2), 0);
  assert_int_equal(truce_bargain_stated(ctx, sc, d2, path, st), 0);
  assert_true(fabs(st[0].x - 0.5) < 1e-15 && !st[0].inside[0] &&
              st[0].inside[1]);
  truce_bargain_day_free(ctx, d2);
  static const struct {
    const char* text;
    const char* where;
    const char* what;
  } bad[] = {
      {"date,side,issue,value\n", "stated_bad.csv:1:1:", "the header"},
      {"date,side,issue,value,unit,claimant,source\n"
       "2023-13-01,a,territory,10,km2,x,y\n",
       "stated_bad.csv:2:1:", "date"},
      {"date,side,issue,value,unit,claimant,source\n"
       "2023-01-01,c,territory,10,km2,x,y\n",
       "stated_bad.csv:2:12:", "side 'c'"},
      {"date,side,issue,value,unit,claimant,source\n"
       "2023-01-01,a,oil,10,km2,x,y\n",
       "stated_bad.csv:2:14:", "issue 'oil'"},
      {"date,side,issue,value,unit,claimant,source\n"
       "2023-01-01,a,sanctions,lifted,option,x,y\n",
       "stated_bad.csv:2:24:", "option 'lifted'"},
      {"date,side,issue,value,unit,claimant,source\n"
       "2023-01-01,a,territory,2000,km2,x,y\n",
       "stated_bad.csv:2:24:", "territory '2000'"},
      {"date,side,issue,value,unit,claimant,source\n"
       "2023-01-01,a,territory,10,km2,,y\n",
       "stated_bad.csv:2:", "claimant"},
      {"date,side,issue,value,unit,claimant,source\n"
       "2023-01-01,a,territory,10\n",
       "stated_bad.csv:2:", "4 fields"},
      {"", "stated_bad.csv:1:1:", "empty"},
  };
  for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
    path = write_tmp("stated_bad.csv", bad[k].text);
    assert_int_equal(truce_bargain_stated(ctx, sc, d, path, st), TRUCE_EPARSE);
    const char* m = ts_error_text(ctx);
    if (strncmp(m, bad[k].where, strlen(bad[k].where)) ||
        !strstr(m, bad[k].what))
      fail_msg("case %zu: %s", k, m);
  }
  assert_int_equal(truce_bargain_stated(ctx, sc, d, "no/such.csv", st),
                   TRUCE_EIO);
  truce_bargain_day_free(ctx, d);
  truce_scenario_free(sc);
}

#define TERR_WAR                                                  \
  "truce: 1\nhorizon_days: 120\nstart: 2023-01-01\n"              \
  "sides:\n"                                                      \
  "  - id: a\n    personnel: {front: 100000}\n"                   \
  "  - id: b\n    personnel: {front: 100000}\n"                   \
  "combat: {law: square, coefficients: {a: 0.0001, b: 0.0001}}\n" \
  "front: {area_km2: 1000, territory: {a: 0.8, b: 0.2}}\n"

#define ZERO_COSTS                                        \
  "cost_per_year: 0\n      cost_per_100k_casualties: 0\n" \
  "      discount_per_year: 0\n      optimism: 0"

/* A hand-tie lifts on its event and another comes into force on it:
 * b's constitutional claim to 300 km2 caps a's share at 0.7 until the
 * event "treaty" (day 20), after which a's soft claim to 900 km2 (cost
 * 0.05) moves its lower edge from 0.8 to 0.85; a discrete claim blocks
 * every package whose option b values below its threshold. */
static void test_claims_through_engine(void** s) {
  (void)s;
  const char* y = TERR_WAR
      "events:\n"
      "  - {name: treaty, day: 20, offensive: {side: a, intensity: 1, "
      "duration_days: 1}}\n"
      "negotiation:\n"
      "  territory_per_log_ratio: 0\n"
      "  issues: {sanctions: {options: [kept, eased], status_quo: kept}}\n"
      "  sides:\n"
      "    a:\n"
      "      weights: {territory: 1, sanctions: 0}\n"
      "      values: {sanctions: {kept: 1, eased: 0}}\n"
      "      " ZERO_COSTS
      "\n"
      "      claims:\n"
      "        - {issue: territory, threshold: 900, audience_cost: 0.05, "
      "from: {event: treaty}}\n"
      "    b:\n"
      "      weights: {territory: 1, sanctions: 0}\n"
      "      values: {sanctions: {kept: 0.2, eased: 1}}\n"
      "      " ZERO_COSTS
      "\n"
      "      claims:\n"
      "        - {issue: territory, threshold: 300, audience_cost: never, "
      "from: 2022-10-04, until: {event: treaty}}\n"
      "        - {issue: sanctions, threshold: 0.5, audience_cost: never}\n";
  truce_scenario* sc = ts_load(ctx, y);
  truce_bargain_day* d;
  assert_int_equal(truce_bargain_analyse(ctx, sc, 14, &d), 0);
  /* package 0: sanctions kept (b values it 0.2 < 0.5): never */
  assert_true(d->packages[0].lo[1] > d->packages[0].hi[1]);
  assert_true(fabs(d->packages[1].lo[0] - 0.8) < 1e-9);
  assert_true(fabs(d->packages[1].hi[1] - 0.7) < 1e-12);
  assert_false(d->open);
  assert_true(isnan(d->p_hold[0]) && isnan(d->shift)); /* no ceasefire */
  truce_bargain_day_free(ctx, d);
  assert_int_equal(truce_bargain_analyse(ctx, sc, 28, &d), 0);
  assert_true(d->packages[0].lo[1] > d->packages[0].hi[1]);
  assert_true(fabs(d->packages[1].hi[1] - 0.8) < 1e-9);
  assert_true(fabs(d->packages[1].lo[0] - 0.85) < 1e-9);
  truce_bargain_day_free(ctx, d);
  /* inside the runs: without a's claim, the range ([0.8, 0.8] on eased
   * sanctions) opens at the first decision after the treaty */
  truce_scenario_free(sc);
  const char* cut = strstr(y,
                           "      claims:\n        - {issue: territory, "
                           "threshold: 900");
  const char* rest = strstr(y, "    b:\n");
  char y2[2048];
  snprintf(y2, sizeof y2, "%.*s%s", (int)(cut - y), y, rest);
  sc = ts_load(ctx, y2);
  truce_bargain_tracker* t;
  assert_int_equal(truce_bargain_tracker_new(ctx, sc, &t), 0);
  truce_sim* sim;
  assert_int_equal(truce_sim_new(ctx, sc, &sim), 0);
  assert_int_equal(
      truce_bargain_tracker_begin(t, 0, TRUCE_SIM_DETERMINISTIC, NULL), 0);
  assert_int_equal(truce_sim_run(sim, 0, TRUCE_SIM_DETERMINISTIC, track_day, t),
                   0);
  double out[TRUCE_BX_COUNT];
  truce_bargain_tracker_result(t, out, NULL);
  assert_true(out[TRUCE_BX_OPEN_DAY] == 21);
  truce_sim_free(sim);
  truce_bargain_tracker_free(t);
  truce_scenario_free(sc);
  /* errors: an unknown event, a claim that lapses before it starts */
  ts_expect_error(ctx,
                  TERR_WAR
                  "negotiation:\n  sides:\n"
                  "    a: {weights: {territory: 1}, claims: [{issue: "
                  "territory, threshold: 1, audience_cost: 1, until: "
                  "{event: peace}}]}\n"
                  "    b: {weights: {territory: 1}}\n",
                  "bad.yaml:", "no event named 'peace'");
  ts_expect_error(ctx,
                  TERR_WAR
                  "negotiation:\n  sides:\n"
                  "    a: {weights: {territory: 1}, claims: [{issue: "
                  "territory, threshold: 1, audience_cost: 1, from: 30, "
                  "until: 10}]}\n"
                  "    b: {weights: {territory: 1}}\n",
                  "bad.yaml:", "lapses before it comes into force");
  ts_expect_error(ctx,
                  TERR_WAR
                  "negotiation:\n  sides:\n"
                  "    a: {weights: {territory: 1}, claims: [{issue: "
                  "oil, threshold: 1, audience_cost: 1}]}\n"
                  "    b: {weights: {territory: 1}}\n",
                  "bad.yaml:", "unknown issue 'oil'");
}

#define BACKED_WAR(EVENTS)                                           \
  "truce: 1\nhorizon_days: 120\nstart: 2023-01-01\n"                 \
  "sides:\n"                                                         \
  "  - id: a\n    personnel: {front: 100000, pool: 1e6, "            \
  "recruits_per_month: 12000, training_days: 10}\n"                  \
  "  - id: b\n    personnel: {front: 100000, pool: 1e6, "            \
  "recruits_per_month: 12000, training_days: 10}\n"                  \
  "combat: {law: square, coefficients: {a: 0.004, b: 0.004}}\n"      \
  "front: {area_km2: 1000, territory: {a: 0.8, b: 0.2}}\n"           \
  "backers:\n"                                                       \
  "  - {id: us, supports: a, budget_per_month: 1000e6, "             \
  "recruits_per_million: 5, will: {initial: 0.9, mean: 0.9}, "       \
  "approval: {threshold: 0.1, probability_per_month: 0.5}}\n"        \
  "  - {id: eu, supports: a, budget_per_month: 500e6, "              \
  "recruits_per_million: 5, will: {initial: 0.9, mean: 0.9}, "       \
  "approval: {threshold: 0.1, probability_per_month: 0.5}}\n" EVENTS \
  "negotiation:\n"                                                   \
  "  endurance_sd: 0.3\n  aid_share_of_inflow: 0.4\n"                \
  "  election_spread: 0.5\n"                                         \
  "  sides:\n"                                                       \
  "    a: {weights: {territory: 1}, aid_bias: 0.1}\n"                \
  "    b: {weights: {territory: 1}, aid_bias: -0.3}\n"

/* Beliefs about the backers through the engine: identical until a
 * blocked vote, lower for both sides after it than without it; the
 * biases keep a side's belief apart from the other's; with beliefs about
 * endurance P(win) is no longer zero in a war both can sustain. */
static void test_backer_beliefs_through_engine(void** s) {
  (void)s;
  truce_scenario* with =
      ts_load(ctx, BACKED_WAR("events:\n  - {day: 40, block: {backer: us, "
                              "until_day: 100}}\n"));
  truce_scenario* without = ts_load(ctx, BACKED_WAR(""));
  static const int days[] = {35, 42, 56};
  for (int k = 0; k < 3; k++) {
    truce_bargain_day *a, *b;
    assert_int_equal(truce_bargain_analyse(ctx, with, days[k], &a), 0);
    assert_int_equal(truce_bargain_analyse(ctx, without, days[k], &b), 0);
    for (int i = 0; i < 2; i++) {
      if (days[k] < 40)
        assert_true(a->war.aid_belief[i] == b->war.aid_belief[i]);
      else
        assert_true(a->war.aid_belief[i] < b->war.aid_belief[i] - 0.05);
      assert_true(b->war.p_win[i] > 1e-4 && b->war.p_win[i] < 1);
    }
    assert_true(a->war.aid_belief[1] < a->war.aid_belief[0]); /* bias */
    truce_bargain_day_free(ctx, a);
    truce_bargain_day_free(ctx, b);
  }
  /* an uncertain block is read only in a run where it happens: the
   * deterministic run takes a likely one (0.9) and leaves out an unlikely
   * one (0.2), which then sends no signal; over an ensemble the share of
   * runs whose beliefs moved follows the draw */
  static const char* const maybe[] = {
      BACKED_WAR("events:\n  - {id: b, day: 40, probability: 0.2, block: "
                 "{backer: us, until_day: 100}}\n"),
      BACKED_WAR("events:\n  - {id: b, day: 40, probability: 0.9, block: "
                 "{backer: us, until_day: 100}}\n")};
  for (int q = 0; q < 2; q++) {
    truce_scenario* u = ts_load(ctx, maybe[q]);
    truce_bargain_day *a, *b, *c;
    assert_int_equal(truce_bargain_analyse(ctx, u, 56, &a), 0);
    assert_int_equal(truce_bargain_analyse(ctx, without, 56, &b), 0);
    assert_int_equal(truce_bargain_analyse(ctx, with, 56, &c), 0);
    for (int i = 0; i < 2; i++)
      assert_true(a->war.aid_belief[i] ==
                  (q ? c->war.aid_belief[i] : b->war.aid_belief[i]));
    truce_bargain_day_free(ctx, a);
    truce_bargain_day_free(ctx, b);
    truce_bargain_day_free(ctx, c);
    truce_scenario_free(u);
  }
  /* a backer's election widens both sides' beliefs (from its day on) */
  truce_scenario* vote = ts_load(
      ctx, BACKED_WAR("events:\n  - {day: 40, election: {backer: us}}\n"));
  for (int k = 0; k < 3; k++) {
    truce_bargain_day *a, *b;
    assert_int_equal(truce_bargain_analyse(ctx, vote, days[k], &a), 0);
    assert_int_equal(truce_bargain_analyse(ctx, without, days[k], &b), 0);
    for (int i = 0; i < 2; i++) {
      if (days[k] < 40)
        assert_true(a->war.aid_belief_sd[i] == b->war.aid_belief_sd[i]);
      else
        assert_true(a->war.aid_belief_sd[i] > 1.2 * b->war.aid_belief_sd[i]);
    }
    truce_bargain_day_free(ctx, a);
    truce_bargain_day_free(ctx, b);
  }
  truce_scenario_free(vote);
  /* without the uncertainty P(win) is (almost) the closed form's zero */
  truce_bargain_day *u, *c;
  assert_int_equal(truce_bargain_analyse(ctx, without, 56, &u), 0);
  assert_int_equal(
      truce_scenario_set(ctx, without, "negotiation.endurance_sd=0"), 0);
  assert_int_equal(
      truce_scenario_set(ctx, without, "negotiation.aid_share_of_inflow=0"), 0);
  assert_int_equal(truce_bargain_analyse(ctx, without, 56, &c), 0);
  for (int i = 0; i < 2; i++) {
    assert_true(u->war.p_win[i] > 5 * c->war.p_win[i]);
  }
  truce_bargain_day_free(ctx, u);
  truce_bargain_day_free(ctx, c);
  truce_scenario_free(with);
  truce_scenario_free(without);
}

static int run_talks(const truce_scenario* sc, int threads,
                     truce_ensemble** e) {
  truce_ensemble_hook h;
  assert_int_equal(truce_bargain_hook(ctx, sc, &h), 0);
  truce_ensemble_opts o = {.runs = 200, .threads = threads, .hook = &h};
  return truce_ensemble_run(ctx, sc, &o, e);
}

/* Talks over an ensemble: P(agreement by month) is a monotone series of
 * probabilities equal to the share of runs agreeing by each month's end;
 * agreements happen only on days a range is open (never before it
 * opens); agreement days, terms and break days are bit-identical on 1 and
 * 2 threads. */
static void test_agreement_through_ensemble(void** s) {
  (void)s;
  const char* y =
      "truce: 1\nhorizon_days: 400\n"
      "sides:\n"
      "  - id: a\n    personnel: {front: 100000, pool: 1e6, "
      "recruits_per_month: 2000, training_days: 10}\n"
      "  - id: b\n    personnel: {front: 100000, pool: 1e6, "
      "recruits_per_month: 2000, training_days: 10}\n"
      "combat: {law: square, coefficients: {a: 0.0002, b: 0.0002}}\n"
      "negotiation:\n"
      "  observation_noise: 0.3\n  territory_per_log_ratio: 0.5\n"
      "  ceasefire_days: 365\n  reconstitution_sd: 0.8\n"
      "  agreement_per_month_open: {value: 0.1, low: 0.02, high: 0.3}\n"
      "  agreement_per_month_ripe: 0.3\n"
      "  sides:\n"
      "    a: {weights: {territory: 1}, cost_per_year: 0.1, optimism: "
      "{value: 1, low: 0, high: 4}}\n"
      "    b: {weights: {territory: 1}, cost_per_year: 0.1, optimism: "
      "{value: 1, low: 0, high: 4}}\n";
  truce_scenario* sc = ts_load(ctx, y);
  truce_ensemble *e1, *e2;
  assert_int_equal(run_talks(sc, 1, &e1), 0);
  assert_int_equal(run_talks(sc, 2, &e2), 0);
  truce_bargain_summary b;
  assert_int_equal(truce_bargain_summarise(ctx, sc, e1, &b), 0);
  assert_true(b.talks && b.agree_fraction > 0.2 && b.agree_fraction < 1);
  double prev = 0;
  for (int m = 0; m < b.months; m++) {
    double p = b.p_agree_by_month[m];
    assert_true(p >= prev && p <= 1);
    size_t by = 0;
    for (uint64_t r = 0; r < 200; r++) {
      const double* x = truce_ensemble_extras(e1, r);
      by += x[TRUCE_BX_AGREE_DAY] >= 0 &&
            x[TRUCE_BX_AGREE_DAY] <= (m + 1) * 30.436875;
    }
    assert_true(fabs(p - (double)by / 200) < 1e-15);
    prev = p;
  }
  assert_true(fabs(prev - b.agree_fraction) < 1e-15);
  assert_true(b.p_hold_30 >= b.p_hold_180 && b.p_hold_180 >= 0);
  int broke = 0, late = 0;
  for (uint64_t r = 0; r < 200; r++) {
    const double* x = truce_ensemble_extras(e1, r);
    const double* z = truce_ensemble_extras(e2, r);
    assert_memory_equal(x, z, TRUCE_BX_COUNT * sizeof(double));
    late += x[TRUCE_BX_OPEN_DAY] != 7; /* later or never */
    if (x[TRUCE_BX_AGREE_DAY] >= 0) {
      assert_true(x[TRUCE_BX_AGREE_COMBO] == 0);
      assert_true(x[TRUCE_BX_OPEN_DAY] >= 0 &&
                  x[TRUCE_BX_AGREE_DAY] >= x[TRUCE_BX_OPEN_DAY]);
      assert_true(x[TRUCE_BX_AGREE_X] >= 0 && x[TRUCE_BX_AGREE_X] <= 1);
      assert_true(x[TRUCE_BX_AGREE_HOLD] >= 0 && x[TRUCE_BX_AGREE_HOLD] <= 1);
      broke += x[TRUCE_BX_AGREE_BREAK] >= 0;
    }
  }
  assert_true(broke > 0); /* some settlements fail under the shift */
  assert_true(late > 20); /* and many ranges open late */
  truce_ensemble_free(e1);
  truce_ensemble_free(e2);
  /* the day's durability: both sides reconstitute alike, so no shift is
   * expected and a settlement holds unless the noise breaks it */
  truce_bargain_day* d;
  assert_int_equal(truce_bargain_analyse(ctx, sc, 14, &d), 0);
  assert_true(fabs(d->shift) < 1e-9);
  assert_true(d->p_hold[0] > 0.5 && d->p_hold[0] < 1 &&
              d->p_hold[1] == d->p_hold[0]); /* no guarantee */
  truce_bargain_day_free(ctx, d);
  truce_scenario_free(sc);
}

/* Scores: known answers on a made-up series (Brier = mean of p_m^2 over
 * the months the record covers, log score ln(1 - p_m) at the last), a
 * platform's Brier (p - outcome)^2 beside the model's probability at the
 * same date, a date past the horizon flagged; bad rows FILE:LINE:COL. */
static void test_scores(void** s) {
  (void)s;
  truce_scenario* sc =
      ts_load(ctx, "truce: 1\nhorizon_days: 300\nstart: 2023-01-01\n" WAR
                   "negotiation:\n  agreement_per_month_open: 0.1\n  sides:\n"
                   "    a: {weights: {territory: 1}}\n"
                   "    b: {weights: {territory: 1}}\n");
  truce_bargain_summary b;
  memset(&b, 0, sizeof b);
  b.talks = true;
  b.months = 10;
  for (int m = 0; m < 10; m++) b.p_agree_by_month[m] = 0.0123 * (m + 1);
  const char* path = write_tmp(
      "scores_ok.csv",
      "kind,platform,question,forecast_date,probability,resolves_by,outcome,"
      "source,claimant\n"
      "record,,none,2023-01-01,,2023-07-15,0,news,press\n"
      "forecast,P1,q,2023-02-01,0.385,2023-06-01,0,page,P1\n"
      "forecast,P2,q,2023-02-01,0.6,2024-06-01,1,page,P2\n");
  truce_bargain_scores r;
  assert_int_equal(truce_bargain_score(ctx, sc, &b, path, &r), 0);
  assert_int_equal(r.record_days, 195);
  assert_int_equal(r.months, 6); /* 195 days: 6 whole months */
  double br = 0;
  for (int m = 0; m < 6; m++) br += pow(0.0123 * (m + 1), 2) / 6;
  assert_true(fabs(r.brier - br) < 1e-15);
  assert_true(fabs(r.log_no_agreement - log(1 - 0.0123 * 6)) < 1e-15);
  assert_true(fabs(r.log_even - log(0.5)) < 1e-15);
  assert_int_equal(r.n_forecasts, 2);
  /* 2023-06-01 is day 151: month 5 */
  assert_true(r.forecast[0].p_model == b.p_agree_by_month[4]);
  assert_false(r.forecast[0].model_lower_bound);
  assert_true(fabs(r.forecast[0].brier_platform - 0.385 * 0.385) < 1e-15);
  assert_true(r.forecast[1].model_lower_bound &&
              r.forecast[1].p_model == b.p_agree_by_month[9]);
  assert_true(fabs(r.forecast[1].brier_model -
                   pow(1 - b.p_agree_by_month[9], 2)) < 1e-15);
  static const struct {
    const char* row;
    const char* where;
    const char* what;
  } bad[] = {
      {"guess,P,q,2023-02-01,0.5,2023-06-01,0,s,c\n",
       "scores_bad.csv:2:1:", "kind 'guess'"},
      {"forecast,P,q,2023-02-01,1.5,2023-06-01,0,s,c\n",
       "scores_bad.csv:2:25:", "probability '1.5'"},
      {"forecast,P,q,2023-02-01,0.5,2023-06-01,2,s,c\n",
       "scores_bad.csv:2:40:", "outcome '2'"},
      {"forecast,P,q,2023-02-31,0.5,2023-06-01,0,s,c\n",
       "scores_bad.csv:2:14:", "forecast_date"},
      {"record,,q,2022-02-01,,2022-06-01,1,s,c\n",
       "scores_bad.csv:2:", "an agreement on 2022-06-01, before the start"},
      {"forecast,P,q,2023-02-01,0.5,2023-06-01,0,,c\n",
       "scores_bad.csv:2:", "an empty source"},
  };
  for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
    char text[512];
    snprintf(text, sizeof text,
             "kind,platform,question,forecast_date,"
             "probability,resolves_by,outcome,source,claimant\n%s",
             bad[k].row);
    path = write_tmp("scores_bad.csv", text);
    assert_int_equal(truce_bargain_score(ctx, sc, &b, path, &r), TRUCE_EPARSE);
    const char* m = ts_error_text(ctx);
    if (strncmp(m, bad[k].where, strlen(bad[k].where)) ||
        !strstr(m, bad[k].what))
      fail_msg("case %zu: %s", k, m);
  }
  b.talks = false;
  assert_int_equal(truce_bargain_score(ctx, sc, &b, path, &r), TRUCE_EINVAL);
  truce_scenario_free(sc);
}

/* Scores against a record of agreement (a war with a known end): the
 * Brier score over the horizon's months with outcome 1 from the
 * agreement's month on, the month's probability and log score, the 50%
 * interval (first months with P >= 0.25, >= 0.75), the line against the
 * median line of the package most often agreed (within 0.1 of the
 * contested area) and a discrete term against the packages agreed; bad
 * rows FILE:LINE:COL. */
static void test_scores_of_agreement(void** s) {
  (void)s;
  truce_scenario* sc = ts_load(
      ctx, "truce: 1\nhorizon_days: 300\nstart: 2023-01-01\n" WAR
           "negotiation:\n  agreement_per_month_open: 0.1\n"
           "  issues: {sanctions: {options: [kept, eased], status_quo: kept}}\n"
           "  sides:\n"
           "    a: {weights: {territory: 0.5, sanctions: 0.5},"
           " values: {sanctions: {kept: 1, eased: 0}}}\n"
           "    b: {weights: {territory: 0.5, sanctions: 0.5},"
           " values: {sanctions: {kept: 0, eased: 1}}}\n");
  truce_bargain_summary b;
  memset(&b, 0, sizeof b);
  b.talks = true;
  b.months = 10;
  for (int m = 0; m < 10; m++) b.p_agree_by_month[m] = 0.1 * (m + 1);
  b.n_terms = 2;
  b.terms_combo[0] = 1; /* sanctions=eased */
  b.terms_share[0] = 0.7;
  b.terms_x_median[0] = 0.62;
  b.terms_combo[1] = 0;
  b.terms_share[1] = 0.3;
  b.terms_x_median[1] = 0.4;
  static const char head[] =
      "kind,platform,question,forecast_date,probability,resolves_by,outcome,"
      "source,claimant\n";
  char text[1024];
  /* 2023-04-15 is day 104: month 4 */
  snprintf(text, sizeof text,
           "%srecord,,armistice,2023-01-01,,2023-04-15,1,treaty,historian\n"
           "terms,,territory,2023-01-01,0.55,2023-04-15,1,treaty,historian\n"
           "terms,,sanctions=eased,2023-01-01,,2023-04-15,1,treaty,h\n"
           "terms,,sanctions=kept,2023-01-01,,2023-04-15,1,treaty,h\n",
           head);
  const char* path = write_tmp("agreed_ok.csv", text);
  truce_bargain_scores r;
  assert_int_equal(truce_bargain_score(ctx, sc, &b, path, &r), 0);
  assert_true(r.agreed);
  assert_int_equal(r.agree_day, 104);
  assert_int_equal(r.agree_month, 4);
  assert_int_equal(r.months, 10);
  /* months 1-3: 0.1^2 + 0.2^2 + 0.3^2; months 4-10: (p - 1)^2 */
  double br =
      (0.01 + 0.04 + 0.09 + 0.36 + 0.25 + 0.16 + 0.09 + 0.04 + 0.01 + 0) / 10;
  assert_true(fabs(r.brier - br) < 1e-12);
  assert_true(fabs(r.p_by_agree_month - 0.4) < 1e-15);
  assert_true(fabs(r.p_in_agree_month - 0.1) < 1e-12);
  assert_true(fabs(r.log_agree_by - log(0.4)) < 1e-12);
  assert_true(fabs(r.log_agree_month - log(0.1)) < 1e-9);
  assert_int_equal(r.interval_lo, 3); /* P = 0.3 */
  assert_int_equal(r.interval_hi, 8); /* P = 0.8 */
  assert_true(r.in_interval);
  assert_true(r.has_line && r.line_record == 0.55);
  assert_true(r.line_model == 0.62 && fabs(r.line_error - 0.07) < 1e-12);
  assert_true(r.line_within);
  assert_int_equal(r.n_terms, 2);
  assert_string_equal(r.term[0].term, "sanctions=eased");
  assert_true(r.term[0].top_match && r.term[0].share == 0.7);
  assert_false(r.term[1].top_match);
  assert_true(r.term[1].share == 0.3);
  /* a line 0.12 away; an agreement in month 9, after P reached 0.75 */
  b.terms_x_median[0] = 0.675;
  snprintf(text, sizeof text,
           "%srecord,,armistice,2023-01-01,,2023-09-20,1,treaty,historian\n"
           "terms,,territory,2023-01-01,0.55,2023-09-20,1,treaty,historian\n",
           head);
  path = write_tmp("agreed_ok.csv", text);
  assert_int_equal(truce_bargain_score(ctx, sc, &b, path, &r), 0);
  assert_int_equal(r.agree_month, 9); /* day 262 */
  assert_false(r.in_interval);        /* P(by month 8) = 0.8 >= 0.75 */
  assert_false(r.line_within);
  /* the quantiles' ends are inclusive: P = 0.25 exactly in month 2 */
  for (int m = 0; m < 10; m++) b.p_agree_by_month[m] = fmin(1, 0.25 * m);
  assert_int_equal(truce_bargain_score(ctx, sc, &b, path, &r), 0);
  assert_true(r.interval_lo == 2 && r.interval_hi == 4);
  /* no agreement reached by the model: outside, log score -inf */
  for (int m = 0; m < 10; m++) b.p_agree_by_month[m] = 0;
  b.n_terms = 0;
  assert_int_equal(truce_bargain_score(ctx, sc, &b, path, &r), 0);
  assert_true(r.interval_lo == 0 && r.interval_hi == 0 && !r.in_interval);
  assert_true(isinf(r.log_agree_by) && r.log_agree_by < 0);
  assert_true(isnan(r.line_model) && !r.line_within);
  static const struct {
    const char* rows;
    const char* where;
    const char* what;
  } bad[] = {
      {"terms,,territory,2023-01-01,0.5,2023-04-15,1,s,c\n",
       "agreed_bad.csv:2:", "expected them after a record of agreement"},
      {"record,,a,2023-01-01,,2023-04-15,1,s,c\n"
       "terms,,territory,2023-01-01,1.5,2023-04-15,1,s,c\n",
       "agreed_bad.csv:3:", "line '1.5'"},
      {"record,,a,2023-01-01,,2023-04-15,1,s,c\n"
       "terms,,sanctions=lifted,2023-01-01,,2023-04-15,1,s,c\n",
       "agreed_bad.csv:3:", "term 'sanctions=lifted'"},
      {"record,,a,2023-01-01,,2023-04-15,1,s,c\n"
       "terms,,sanctions=eased,2023-01-01,,2023-04-15,0,s,c\n",
       "agreed_bad.csv:3:", "outcome '0' for terms"},
      {"record,,a,2023-01-01,,2023-04-15,1,s,c\n"
       "record,,b,2023-01-01,,2023-05-15,1,s,c\n",
       "agreed_bad.csv:3:", "a second record of agreement"},
      {"record,,a,2023-01-01,,2022-12-15,1,s,c\n",
       "agreed_bad.csv:2:", "before the start"},
  };
  for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
    snprintf(text, sizeof text, "%s%s", head, bad[k].rows);
    path = write_tmp("agreed_bad.csv", text);
    assert_int_equal(truce_bargain_score(ctx, sc, &b, path, &r), TRUCE_EPARSE);
    const char* m = ts_error_text(ctx);
    if (strncmp(m, bad[k].where, strlen(bad[k].where)) ||
        !strstr(m, bad[k].what))
      fail_msg("case %zu: %s", k, m);
  }
  truce_scenario_free(sc);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_closed_forms),
      cmocka_unit_test(test_fearon_and_nash_through_engine),
      cmocka_unit_test(test_discrete_brute_force),
      cmocka_unit_test(test_minimal_guarantee),
      cmocka_unit_test(test_learning),
      cmocka_unit_test(test_errors),
      cmocka_unit_test(test_negotiation_parameters),
      cmocka_unit_test(test_contested_share),
      cmocka_unit_test(test_powell_two_period),
      cmocka_unit_test(test_commitment_closes_range),
      cmocka_unit_test(test_claims),
      cmocka_unit_test(test_aid_beliefs),
      cmocka_unit_test(test_outlast),
      cmocka_unit_test(test_agreement_draws),
      cmocka_unit_test(test_stated_terms),
      cmocka_unit_test(test_claims_through_engine),
      cmocka_unit_test(test_backer_beliefs_through_engine),
      cmocka_unit_test(test_agreement_through_ensemble),
      cmocka_unit_test(test_scores),
      cmocka_unit_test(test_scores_of_agreement),
  };
  return ts_run_group(tests, ts_ctx_setup, ts_ctx_teardown);
}
