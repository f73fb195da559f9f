/* SPDX-License-Identifier: GPL-3.0-or-later
 * Uncertain events (docs/model.md s8c): probability 0 and 1 give never
 * and always; the frequency over many runs matches p within a binomial
 * bound; drawn days stay inside their window and cover it; drawn sizes
 * stay in their range; keyed streams (adding or moving an unrelated event
 * leaves another's draws bit-identical); branch frequencies, one branch
 * at a time; deterministic mode's likeliest outcome; thread-count
 * invariance; packages in EUR and blocks of uncertain length; errors;
 * forecasts after as_of; a known outcome replacing a forecast's event. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "support.h"

/* Two sides that do not fight, nobody recruited: a side's pool changes
 * only when an event adds to it. */
static truce_scenario* quiet(const char* events) {
  char y[4096];
  snprintf(y, sizeof y,
           "truce: 1\nhorizon_days: 60\nseed: 7\n"
           "sides:\n  - id: ua\n    personnel: {front: 1000}\n"
           "  - id: ru\n    personnel: {front: 1000}\n"
           "combat:\n  law: square\n  coefficients: {ua: 0, ru: 0}\n"
           "events:\n%s",
           events);
  return ts_load(ctx, y);
}

/* What one run did to a side's pool: the first day it grew (-1: never),
 * by how much that day, and the whole path. */
typedef struct {
  int side;
  double prev;
  int day;
  double jump, total;
  double path[61];
} watch;

static int on_day(void* user, const truce_day* d) {
  watch* w = user;
  double pool = d->side[w->side].pool;
  if (d->day <= 60) w->path[d->day] = pool;
  if (d->day > 0 && pool > w->prev && w->day < 0) {
    w->day = d->day - 1; /* the event of day k shows at the end of day k */
    w->jump = pool - w->prev;
  }
  w->total = pool;
  w->prev = pool;
  return 0;
}

static watch run_watch(truce_sim* sim, uint64_t run, int side, unsigned flags) {
  watch w;
  memset(&w, 0, sizeof w);
  w.side = side;
  w.day = -1;
  int rc = truce_sim_run(sim, run, flags, on_day, &w);
  if (rc) fail_msg("run failed: %s", truce_ctx_message(ctx));
  return w;
}

/* How many of n runs see side 0's pool grow. */
static int occurrences(truce_scenario* sc, int n) {
  truce_sim* sim;
  assert_int_equal(truce_sim_new(ctx, sc, &sim), 0);
  int k = 0;
  for (int r = 0; r < n; r++) k += run_watch(sim, (uint64_t)r, 0, 0).day >= 0;
  truce_sim_free(sim);
  return k;
}

static void test_probability_zero_and_one(void** s) {
  (void)s;
  truce_scenario* never = quiet(
      "  - {id: x, day: 10, probability: 0, mobilisation: {side: ua, pool: "
      "100}}\n");
  truce_scenario* always = quiet(
      "  - {id: x, day: 10, probability: 1, mobilisation: {side: ua, pool: "
      "100}}\n");
  assert_int_equal(occurrences(never, 500), 0);
  assert_int_equal(occurrences(always, 500), 500);
  truce_scenario_free(never);
  truce_scenario_free(always);
}

/* k of n Bernoulli(p) within 4 standard deviations of n p (a false alarm
 * about once in 16,000 seeds; the seed is fixed, so never in practice). */
static void assert_binomial(int k, int n, double p) {
  double sd = sqrt(n * p * (1 - p));
  if (fabs(k - n * p) > 4 * sd)
    fail_msg("%d of %d, expected %g +- %g", k, n, n * p, 4 * sd);
}

static void test_probability_frequency(void** s) {
  (void)s;
  const double ps[] = {0.05, 0.3, 0.5, 0.9};
  for (size_t i = 0; i < 4; i++) {
    char ev[256];
    snprintf(ev, sizeof ev,
             "  - {id: law, day: 10, probability: %g, mobilisation: {side: "
             "ua, pool: 100}}\n",
             ps[i]);
    truce_scenario* sc = quiet(ev);
    assert_binomial(occurrences(sc, 4000), 4000, ps[i]);
    truce_scenario_free(sc);
  }
}

/* between: [10, 20]: every drawn day inside, each of the 11 days drawn
 * about n / 11 times; delay_days as a range: inside date + [low, high]. */
static void test_timing_window(void** s) {
  (void)s;
  truce_scenario* sc = quiet(
      "  - {id: law, between: [10, 20], mobilisation: {side: ua, pool: "
      "100}}\n"
      "  - {id: age, day: 5, delay_days: {value: 10, low: 3, high: 30},\n"
      "     mobilisation: {side: ru, pool: 100}}\n");
  truce_sim* sim;
  assert_int_equal(truce_sim_new(ctx, sc, &sim), 0);
  int hits[11] = {0}, n = 3300;
  int dmin = 1000, dmax = -1;
  for (int r = 0; r < n; r++) {
    watch w = run_watch(sim, (uint64_t)r, 0, 0);
    assert_true(w.day >= 10 && w.day <= 20);
    hits[w.day - 10]++;
    watch v = run_watch(sim, (uint64_t)r, 1, 0);
    assert_true(v.day >= 5 + 3 && v.day <= 5 + 30);
    dmin = v.day < dmin ? v.day : dmin;
    dmax = v.day > dmax ? v.day : dmax;
  }
  for (int d = 0; d < 11; d++) assert_binomial(hits[d], n, 1.0 / 11);
  assert_true(dmin <= 9 && dmax >= 25); /* the delay does vary */
  /* deterministic mode: the window's middle, the delay's value */
  assert_int_equal(run_watch(sim, 0, 0, TRUCE_SIM_DETERMINISTIC).day, 15);
  assert_int_equal(run_watch(sim, 0, 1, TRUCE_SIM_DETERMINISTIC).day, 15);
  truce_sim_free(sim);
  truce_scenario_free(sc);
}

/* An uncertain size: inside its range, varying, its value when
 * deterministic. */
static void test_uncertain_size(void** s) {
  (void)s;
  truce_scenario* sc = quiet(
      "  - {id: law, day: 10, mobilisation: {side: ua, pool: {value: 1000, "
      "low: 500, high: 2000}}}\n");
  truce_sim* sim;
  assert_int_equal(truce_sim_new(ctx, sc, &sim), 0);
  double lo = 1e9, hi = 0, sum = 0;
  for (int r = 0; r < 1000; r++) {
    watch w = run_watch(sim, (uint64_t)r, 0, 0);
    assert_true(w.jump >= 500 && w.jump <= 2000);
    lo = fmin(lo, w.jump);
    hi = fmax(hi, w.jump);
    sum += w.jump;
  }
  assert_true(lo < 700 && hi > 1600);
  /* PERT(500, 1000, 2000) has mean (500 + 4000 + 2000) / 6 = 1083.3 */
  assert_true(fabs(sum / 1000 - 1083.3) < 25);
  assert_true(run_watch(sim, 0, 0, TRUCE_SIM_DETERMINISTIC).jump == 1000);
  truce_sim_free(sim);
  truce_scenario_free(sc);
}

/* Side 0's whole pool path in each of n runs of sc. */
static void paths(truce_scenario* sc, int n, double (*out)[61]) {
  truce_sim* sim;
  assert_int_equal(truce_sim_new(ctx, sc, &sim), 0);
  for (int r = 0; r < n; r++) {
    watch w = run_watch(sim, (uint64_t)r, 0, 0);
    memcpy(out[r], w.path, sizeof w.path);
  }
  truce_sim_free(sim);
}

/* Adding an unrelated uncertain event before or after another, or
 * changing the other's own numbers, leaves its draws bit-identical. */
static void test_keyed_streams(void** s) {
  (void)s;
  const char* x =
      "  - {id: law, between: [5, 40], probability: 0.6,\n"
      "     mobilisation: {side: ua, pool: {value: 1000, low: 500, high: "
      "2000}}}\n";
  const char* y =
      "  - {id: other, between: [1, 50], probability: 0.5,\n"
      "     mobilisation: {side: ru, pool: {value: 10, low: 1, high: 99}}}\n"
      "  - {id: vote, day: 3, branches: [{probability: 0.5, mobilisation: "
      "{side: ru, pool: 5}}]}\n";
  char before[1024], after[1024];
  snprintf(before, sizeof before, "%s%s", y, x);
  snprintf(after, sizeof after, "%s%s", x, y);
  truce_scenario* a = quiet(x);
  truce_scenario* b = quiet(before);
  truce_scenario* c = quiet(after);
  static double pa[300][61], pb[300][61], pc[300][61];
  paths(a, 300, pa);
  paths(b, 300, pb);
  paths(c, 300, pc);
  assert_memory_equal(pa, pb, sizeof pa);
  assert_memory_equal(pa, pc, sizeof pa);
  /* and the paths do differ between runs */
  int differ = 0;
  for (int r = 1; r < 300; r++) differ += memcmp(pa[0], pa[r], sizeof pa[0]);
  assert_true(differ != 0);
  truce_scenario_free(a);
  truce_scenario_free(b);
  truce_scenario_free(c);
}

/* Branches 0.2 and 0.5, the rest (0.3) none: one branch per run at most,
 * each at its frequency; deterministic mode takes the likeliest. */
static void test_branches(void** s) {
  (void)s;
  truce_scenario* sc = quiet(
      "  - id: election\n    day: 10\n    branches:\n"
      "      - {probability: 0.2, name: a, mobilisation: {side: ua, pool: "
      "100}}\n"
      "      - {probability: 0.5, name: b, mobilisation: {side: ua, pool: "
      "200}}\n"
      "      - {probability: 0.3, name: none}\n");
  truce_sim* sim;
  assert_int_equal(truce_sim_new(ctx, sc, &sim), 0);
  int n = 4000, k[3] = {0};
  for (int r = 0; r < n; r++) {
    watch w = run_watch(sim, (uint64_t)r, 0, 0);
    assert_true(w.total == 0 || w.total == 100 || w.total == 200);
    k[w.total == 100 ? 0 : w.total == 200 ? 1 : 2]++;
  }
  assert_binomial(k[0], n, 0.2);
  assert_binomial(k[1], n, 0.5);
  assert_binomial(k[2], n, 0.3);
  assert_true(run_watch(sim, 0, 0, TRUCE_SIM_DETERMINISTIC).total == 200);
  truce_sim_free(sim);
  truce_scenario_free(sc);
}

/* The same ensemble with 1 and 2 threads, run by run; each run is the
 * engine's run of that number. */
static void test_threads(void** s) {
  (void)s;
  truce_scenario* sc = ts_load(
      ctx,
      "truce: 1\nhorizon_days: 60\nseed: 11\n"
      "sides:\n  - id: ua\n    personnel: {front: 1000}\n"
      "  - id: ru\n    personnel: {front: 1000}\n"
      "combat:\n  law: square\n  coefficients: {ua: 0.001, ru: 0.001}\n"
      "events:\n"
      "  - {id: surge, between: [5, 40], probability: 0.5,\n"
      "     set: {combat.coefficients.ru: {value: 0.003, low: 0.002, high: "
      "0.006}}}\n"
      "  - {id: vote, day: 20, branches: [{probability: 0.4, mobilisation: "
      "{side: ua, pool: 50}}, {probability: 0.6, set: "
      "{combat.coefficients.ua: 0.002}}]}\n");
  truce_ensemble* e[2];
  for (int t = 0; t < 2; t++) {
    truce_ensemble_opts o = {.runs = 200, .threads = t + 1};
    assert_int_equal(truce_ensemble_run(ctx, sc, &o, &e[t]), 0);
  }
  truce_sim* sim;
  assert_int_equal(truce_sim_new(ctx, sc, &sim), 0);
  double first = -1;
  int differ = 0;
  for (uint64_t r = 0; r < 200; r++) {
    truce_side_outcome x[2], y[2], z;
    truce_ensemble_outcome(e[0], r, x);
    truce_ensemble_outcome(e[1], r, y);
    assert_true(x[0].casualties_total == y[0].casualties_total &&
                x[1].casualties_total == y[1].casualties_total);
    assert_int_equal(truce_sim_run(sim, r, 0, NULL, NULL), 0);
    assert_int_equal(truce_sim_outcome(sim, 0, &z), 0);
    assert_true(z.casualties_total == x[0].casualties_total);
    if (first < 0) first = x[0].casualties_total;
    differ += x[0].casualties_total != first;
  }
  assert_true(differ > 0);
  truce_sim_free(sim);
  truce_ensemble_free(e[0]);
  truce_ensemble_free(e[1]);
  truce_scenario_free(sc);
}

/* A package in EUR commits that much; a block of drawn length stops the
 * backer's own approvals for that long, an unblock ends one early. */
static void test_aid_events(void** s) {
  (void)s;
  const char* base =
      "truce: 1\nhorizon_days: 200\nseed: 3\n"
      "sides:\n  - id: ua\n    personnel: {front: 1000}\n"
      "  - id: ru\n    personnel: {front: 1000}\n"
      "combat:\n  law: square\n  coefficients: {ua: 0, ru: 0}\n"
      "backers:\n  - id: us\n    supports: ua\n    budget_per_month: 1e9\n"
      "    will: {initial: 1, mean: 1}\n"
      "    approval: {threshold: 0, probability_per_month: 1}\n"
      "    package_months: 1\n"
      "events:\n%s";
  char y[2048];
  snprintf(y, sizeof y, base,
           "  - {day: 0, block: {backer: us, until_day: 1000}}\n"
           "  - {day: 10, package: {backer: us, eur: 123e6}}\n");
  truce_scenario* sc = ts_load(ctx, y);
  truce_sim* sim;
  assert_int_equal(truce_sim_new(ctx, sc, &sim), 0);
  assert_int_equal(truce_sim_run(sim, 0, 0, NULL, NULL), 0);
  truce_backer_outcome bo;
  assert_int_equal(truce_sim_backer_outcome(sim, 0, &bo), 0);
  assert_true(bo.committed_total == 123e6 && bo.packages == 1);
  truce_sim_free(sim);
  truce_scenario_free(sc);
  /* blocked from day 0 for 30-90 days, then a package every day */
  snprintf(y, sizeof y, base,
           "  - {id: stall, day: 0, block: {backer: us, duration_days: "
           "{value: 60, low: 30, high: 90}}}\n"
           "  - {day: 150, block: {backer: us, until_day: 1000}}\n"
           "  - {day: 170, unblock: {backer: us}}\n");
  sc = ts_load(ctx, y);
  assert_int_equal(truce_sim_new(ctx, sc, &sim), 0);
  for (uint64_t r = 0; r < 50; r++) {
    assert_int_equal(truce_sim_run(sim, r, 0, NULL, NULL), 0);
    assert_int_equal(truce_sim_backer_outcome(sim, 0, &bo), 0);
    /* days [d, 150) and [170, 200) approve: d in [30, 90] */
    assert_true(bo.packages >= 150 - 90 + 30 && bo.packages <= 150 - 30 + 30);
  }
  truce_sim_free(sim);
  truce_scenario_free(sc);
}

/* Bad uncertain events: clear errors at their place. */
static void test_errors(void** s) {
  (void)s;
  const char* head =
      "truce: 1\nhorizon_days: 60\n"
      "sides:\n  - id: ua\n    personnel: {front: 1000}\n"
      "  - id: ru\n    personnel: {front: 1000}\n"
      "combat:\n  law: square\n  coefficients: {ua: 0, ru: 0}\n"
      "events:\n";
  struct {
    const char* ev;
    const char* where;
    const char* what;
  } cases[] = {
      {"  - {day: 1, probability: 0.5, mobilisation: {side: ua, pool: 1}}\n",
       "bad.yaml:12:6:", "is uncertain but has no id or name"},
      {"  - {id: a, day: 1, probability: 1.5, mobilisation: {side: ua, pool: "
       "1}}\n",
       "bad.yaml:12:", "probability"},
      {"  - {id: a, day: 1, probability: 0.5, mobilisation: {side: ua, pool: "
       "1}}\n  - {id: a, day: 2, probability: 0.5, mobilisation: {side: ua, "
       "pool: 1}}\n",
       "bad.yaml:13:6:", "has the id 'a' of an earlier uncertain event"},
      {"  - {id: a, day: 1, branches: [{probability: 0.7}, {probability: "
       "0.6}]}\n",
       "bad.yaml:12:", "sum to 1.3"},
      {"  - {id: a, between: [9, 3], mobilisation: {side: ua, pool: 1}}\n",
       "bad.yaml:12:", "ends before it starts"},
      {"  - {id: a, day: 1, between: [1, 3], mobilisation: {side: ua, pool: "
       "1}}\n",
       "bad.yaml:12:", "more than one of day, date and between"},
      {"  - {id: a, day: 1, branches: [{probability: 0.5, offensive: {side: "
       "ua, duration_days: 3}, mobilisation: {side: ua}}]}\n",
       "bad.yaml:12:", "at most one action per branch"},
      {"  - {id: a, day: 1, known_outcome: true, probability: 0.5, "
       "mobilisation: {side: ua, pool: 1}}\n",
       "bad.yaml:12:6:",
       "is a known-outcome event (a fact) but has a "
       "probability"},
      {"  - {id: a, day: 1, mobilisation: {side: ua, pool: 1}, branches: "
       "[{probability: 1}]}\n",
       "bad.yaml:12:", "has both 'mobilisation' and 'branches'"},
  };
  char y[2048];
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    snprintf(y, sizeof y, "%s%s", head, cases[i].ev);
    ts_expect_error(ctx, y, cases[i].where, cases[i].what);
  }
}

/* After as_of an event may be given only as a forecast (a probability or
 * branches), and its numbers' dates are checked as any. */
static void test_forecast_after_as_of(void** s) {
  (void)s;
  const char* head =
      "truce: 1\nstart: 2023-11-04\nas_of: 2023-11-04\nhorizon_days: 60\n"
      "sides:\n  - id: ua\n    personnel: {front: 1000}\n"
      "  - id: ru\n    personnel: {front: 1000}\n"
      "combat:\n  law: square\n  coefficients: {ua: 0, ru: 0}\n"
      "events:\n";
  char y[2048];
  snprintf(y, sizeof y, "%s%s", head,
           "  - {id: law, date: 2023-12-01, probability: {value: 0.4, "
           "claimant: x, date: 2023-10}, mobilisation: {side: ua, pool: 9}}\n"
           "  - {id: vote, between: [2023-12-01, 2023-12-20], branches: "
           "[{probability: {value: 0.5, claimant: law, date: 1948}, "
           "mobilisation: {side: ru, pool: 1}}]}\n"); /* before 1970 too */
  truce_scenario_free(ts_load(ctx, y));
  snprintf(y, sizeof y, "%s%s", head,
           "  - {id: law, between: [2023-12-01, 2023-12-09], mobilisation: "
           "{side: ua, pool: 9}}\n");
  ts_expect_error(ctx, y, "bad.yaml:14:", "happens on 2023-12-01, after as_of");
  snprintf(y, sizeof y, "%s%s", head,
           "  - {id: law, date: 2023-12-01, probability: {value: 0.4, "
           "claimant: x, date: 2023-12}, mobilisation: {side: ua, pool: 9}}\n");
  ts_expect_error(ctx, y, "bad.yaml:14:", "is dated 2023-12, after as_of");
}

/* A known outcome in an overlay with the id of a forecast's uncertain
 * event replaces it: the record's law, not the forecast's, applies. */
static void test_known_outcome_replaces(void** s) {
  (void)s;
  truce_scenario* sc = quiet(
      "  - {id: law, between: [5, 40], probability: 0.5, mobilisation: "
      "{side: ua, pool: {value: 1000, low: 500, high: 2000}}}\n"
      "  - {id: other, day: 3, probability: 0.5, mobilisation: {side: ru, "
      "pool: 7}}\n");
  char path[64];
  snprintf(path, sizeof path, "record_%ld.yaml", (long)getpid());
  FILE* f = fopen(path, "w");
  assert_non_null(f);
  fputs(
      "truce: 1\noverlay: the record\nevents:\n"
      "  - {id: law, day: 12, known_outcome: true, mobilisation: {side: ua, "
      "pool: 333}}\n",
      f);
  fclose(f);
  int rc = truce_scenario_overlay(ctx, sc, path);
  remove(path);
  if (rc) fail_msg("%s", truce_ctx_message(ctx));
  assert_int_equal(truce_scenario_event_count(sc), 2);
  truce_sim* sim;
  assert_int_equal(truce_sim_new(ctx, sc, &sim), 0);
  int other = 0;
  for (uint64_t r = 0; r < 200; r++) {
    watch w = run_watch(sim, r, 0, 0);
    assert_true(w.day == 12 && w.total == 333);
    other += run_watch(sim, r, 1, 0).day == 3;
  }
  assert_true(other > 50 && other < 150); /* the other one stays uncertain */
  truce_sim_free(sim);
  truce_scenario_free(sc);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_probability_zero_and_one),
      cmocka_unit_test(test_probability_frequency),
      cmocka_unit_test(test_timing_window),
      cmocka_unit_test(test_uncertain_size),
      cmocka_unit_test(test_keyed_streams),
      cmocka_unit_test(test_branches),
      cmocka_unit_test(test_threads),
      cmocka_unit_test(test_aid_events),
      cmocka_unit_test(test_errors),
      cmocka_unit_test(test_forecast_after_as_of),
      cmocka_unit_test(test_known_outcome_replaces),
  };
  return cmocka_run_group_tests(tests, ts_ctx_setup, ts_ctx_teardown);
}
