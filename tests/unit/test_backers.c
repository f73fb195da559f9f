/* SPDX-License-Identifier: GPL-3.0-or-later
 * Backers: value conserved from commitment to delivery, delivery lags
 * exact, capacity limits bind, a crisis stops approvals only while it
 * lasts, budget_scale moves the recipient in the expected direction;
 * a package by event and aid in transit at the start are committed and
 * delivered exactly; a side whose capable strength falls below its
 * capable_threshold is exhausted that day. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "support.h"

#define MAXD 800
typedef struct {
  int n;
  truce_day d[MAXD + 1];
} path;

static int rec(void* u, const truce_day* d) {
  path* p = u;
  if (d->day <= MAXD) p->d[d->day] = *d;
  p->n = d->day + 1;
  return 0;
}

static void run(truce_scenario* sc, uint64_t r, unsigned flags, path* p) {
  truce_sim* sim;
  assert_int_equal(truce_sim_new(ctx, sc, &sim), 0);
  if (truce_sim_run(sim, r, flags, rec, p))
    fail_msg("%s", truce_ctx_message(ctx));
  truce_sim_free(sim);
}

static truce_scenario* make_with(const char* ammo, const char* b_front,
                                 const char* backer, const char* extra);
static truce_scenario* make(const char* backer, const char* extra) {
  return make_with("{stock: 1000, demand_per_day: 500}", "1000", backer, extra);
}

static truce_scenario* make_with(const char* ammo, const char* b_front,
                                 const char* backer, const char* extra) {
  char y[4096];
  snprintf(y, sizeof y,
           "truce: 1\nhorizon_days: 360\nseed: 4\n"
           "sides:\n"
           "  - id: a\n    exhaustion_threshold: 800\n"
           "    personnel: {front: 1000, pool: 1e5, recruits_per_month: 100}\n"
           "    equipment: {kit: {stock: 20, soldiers_per_item: 50}}\n"
           "    ammunition: %s\n"
           "  - id: b\n    personnel: {front: %s}\n"
           "combat: {law: square, coefficients: {a: 0.01, b: 0.01}}\n"
           "backers:\n%s%s",
           ammo, b_front, backer, extra);
  return ts_load(ctx, y);
}

static void test_conservation(void** s) {
  (void)s;
  truce_scenario* sc = make(
      "  - id: x\n    supports: a\n    budget_per_month: 1e6\n"
      "    will: {initial: 0.7, volatility_per_year: 0.5}\n"
      "    approval: {threshold: 0.3, probability_per_month: 0.8}\n"
      "    delivery_days: 20\n    recruits_per_million: 50\n"
      "    buys:\n"
      "      ammunition: {share: 0.4, unit_cost: 10, capacity_per_month: "
      "20000}\n"
      "      kit: {share: 0.3, unit_cost: 1e4, capacity_per_month: 5}\n"
      "      recruitment: {share: 0.1}\n",
      "");
  static path p;
  for (uint64_t r = 0; r < 30; r++) {
    run(sc, r, 0, &p);
    for (int d = 0; d < p.n; d++) {
      const truce_backer_state* b = &p.d[d].backer[0];
      assert_true(fabs(b->committed - b->delivered - b->pending) <=
                  1e-9 * fmax(1, b->committed));
      assert_true(b->pending >= -1e-6 && b->delivered <= b->committed + 1e-6);
      if (d) assert_true(b->delivered >= p.d[d - 1].backer[0].delivered);
    }
    assert_true(p.d[360].backer[0].packages > 0);
  }
  truce_scenario_free(sc);
}

/* Deterministic: with unlimited capacity, value delivered on day t is
 * exactly the value committed on day t - lag; without a lag, on the day
 * it is committed. */
static void test_lag_exact(void** s) {
  (void)s;
  const int lags[] = {37, 0};
  for (size_t l = 0; l < sizeof lags / sizeof *lags; l++) {
    int lag = lags[l];
    char b[512];
    snprintf(b, sizeof b,
             "  - id: x\n    supports: a\n    budget_per_month: 3e6\n"
             "    will: {initial: 0.8, mean: 0.8}\n"
             "    approval: {threshold: 0.5, probability_per_month: 0.7}\n"
             "    delivery_days: %d\n"
             "    buys: {ammunition: {share: 1, unit_cost: 100}}\n",
             lag);
    truce_scenario* sc = make(b, "");
    static path p;
    run(sc, 0, TRUCE_SIM_DETERMINISTIC, &p);
    assert_true(p.d[360].backer[0].committed > 0);
    for (int t = 0; t <= 360; t++) {
      const truce_backer_state* x = &p.d[t].backer[0];
      double due = t >= lag ? p.d[t - lag].backer[0].committed : 0;
      assert_true(fabs(x->delivered - due) <= 1e-9 * fmax(1, due));
      /* quantities follow the value at the unit cost */
      assert_true(fabs(x->ammunition_committed * 100 - x->committed) <=
                  1e-9 * fmax(1, x->committed));
      assert_true(fabs(x->ammunition_delivered * 100 - x->delivered) <=
                  1e-9 * fmax(1, x->delivered));
      assert_true(x->equipment_committed == 0);
    }
    truce_scenario_free(sc);
  }
}

/* A capacity below what the money buys binds: deliveries never exceed it
 * and the rest waits. */
static void test_capacity_binds(void** s) {
  (void)s;
  truce_scenario* sc = make(
      "  - id: x\n    supports: a\n    budget_per_month: 3e6\n"
      "    will: {initial: 0.8, mean: 0.8}\n"
      "    approval: {threshold: 0.5, probability_per_month: 0.9}\n"
      "    delivery_days: 10\n"
      "    buys: {ammunition: {share: 1, unit_cost: 100, capacity_per_month: "
      "3000}}\n",
      "");
  static path p;
  run(sc, 1, 0, &p);
  double cap_value = 3000 / 30.436875 * 100;
  for (int t = 1; t <= 360; t++)
    assert_true(p.d[t].backer[0].delivered - p.d[t - 1].backer[0].delivered <=
                cap_value * (1 + 1e-12));
  assert_true(p.d[360].backer[0].pending > 0.5 * p.d[360].backer[0].committed);
  truce_scenario_free(sc);
}

/* Releasable stocks deliver beyond capacity until they run out. */
static void test_releasable_stock(void** s) {
  (void)s;
  truce_scenario* sc = make(
      "  - id: x\n    supports: a\n    budget_per_month: 3e6\n"
      "    will: {initial: 0.8, mean: 0.8}\n"
      "    approval: {threshold: 0.5, probability_per_month: 0.9}\n"
      "    delivery_days: 10\n"
      "    buys: {ammunition: {share: 1, unit_cost: 100, capacity_per_month: "
      "3000, releasable_stock: 20000}}\n",
      "");
  static path p, q;
  run(sc, 1, 0, &p);
  assert_int_equal(truce_scenario_set(ctx, sc,
                                      "backers.x.buys.ammunition."
                                      "releasable_stock=0"),
                   0);
  run(sc, 1, 0, &q);
  /* same approvals (same streams); 20,000 more units delivered */
  assert_true(
      fabs(p.d[360].backer[0].committed - q.d[360].backer[0].committed) < 1e-6);
  assert_true(fabs(p.d[360].backer[0].delivered - q.d[360].backer[0].delivered -
                   20000 * 100) < 1e-3);
  truce_scenario_free(sc);
}

/* A crisis that pulls attention below the threshold stops approvals for
 * its duration; before and after, packages come at the same rate. */
static void test_crisis(void** s) {
  (void)s;
  truce_scenario* sc = make(
      "  - id: x\n    supports: a\n    budget_per_month: 1e6\n"
      "    will: {initial: 0.6, mean: 0.6, volatility_per_year: 0}\n"
      "    approval: {threshold: 0.5, probability_per_month: 0.6}\n"
      "    buys: {ammunition: {share: 1, unit_cost: 100}}\n",
      "events:\n"
      "  - {day: 120, crisis: {duration_days: 120, attention: {x: 0.5}}}\n");
  static path p;
  double before = 0, after = 0;
  for (uint64_t r = 0; r < 200; r++) {
    run(sc, r, 0, &p);
    int k0 = p.d[120].backer[0].packages, k1 = p.d[240].backer[0].packages;
    assert_int_equal(k1, k0); /* none during the crisis */
    before += k0;
    after += p.d[360].backer[0].packages - k1;
  }
  /* 0.6 per month for 4 months: 2.4 packages expected in each period */
  assert_true(before > 0 && after > 0);
  assert_true(fabs(before - after) < 4 * sqrt(before + after));
  assert_true(fabs(before / 200 - 120 * (1 - pow(0.4, 1 / 30.436875))) < 0.3);
  truce_scenario_free(sc);
}

/* Halving the budget lowers the recipient's ammunition and brings its
 * exhaustion earlier (the recipient's fire is ammunition-limited). */
static void test_budget_scale_direction(void** s) {
  (void)s;
  truce_scenario* sc = make_with(
      "{stock: 0, demand_per_day: 2000}", "1000",
      "  - id: us\n    supports: a\n    budget_per_month: 4e6\n"
      "    will: {initial: 0.8, mean: 0.8, volatility_per_year: 0.1}\n"
      "    approval: {threshold: 0.3, probability_per_month: 0.8}\n"
      "    delivery_days: 1\n"
      "    buys: {ammunition: {share: 1, unit_cost: 200}}\n",
      "");
  truce_sim* sim;
  double ammo[2] = {0, 0}, exh[2] = {0, 0};
  for (int k = 0; k < 2; k++) {
    if (k == 1)
      assert_int_equal(
          truce_scenario_set(ctx, sc, "backers.us.budget_scale=0.5"), 0);
    assert_int_equal(truce_sim_new(ctx, sc, &sim), 0);
    static path p;
    for (uint64_t r = 0; r < 100; r++) {
      assert_int_equal(truce_sim_run(sim, r, 0, rec, &p), 0);
      truce_side_outcome o;
      truce_sim_outcome(sim, 0, &o);
      ammo[k] += p.d[360].side[0].ammunition;
      exh[k] += o.exhaustion_day < 0 ? 361 : o.exhaustion_day;
    }
    truce_sim_free(sim);
  }
  assert_true(ammo[1] < ammo[0]);
  assert_true(exh[1] < exh[0]);
  truce_scenario_free(sc);
}

/* A package by event (an appropriation) needs neither will nor a vote:
 * it is worth budget x budget_scale x months, the untracked share is
 * delivered at once, the rest after the lag. */
static void test_package_event(void** s) {
  (void)s;
  truce_scenario* sc = make(
      "  - id: x\n    supports: a\n    budget_per_month: 1e6\n"
      "    will: {initial: 0, mean: 0, volatility_per_year: 0}\n"
      "    approval: {threshold: 0.5, probability_per_month: 1}\n"
      "    delivery_days: 10\n"
      "    buys: {ammunition: {share: 0.5, unit_cost: 100}}\n",
      "events:\n"
      "  - {day: 20, block: {backer: x, until_day: 100}}\n"
      "  - {day: 50, package: {backer: x, months: 2.5}}\n");
  assert_int_equal(truce_scenario_set(ctx, sc, "backers.x.budget_scale=0.4"),
                   0);
  static path p;
  for (unsigned f = 0; f < 2; f++) {
    run(sc, 3, f ? TRUCE_SIM_DETERMINISTIC : 0, &p);
    const truce_backer_state* b50 = &p.d[50].backer[0];
    const truce_backer_state* b51 = &p.d[51].backer[0];
    assert_true(b50->committed == 0 && b50->packages == 0);
    assert_int_equal(b51->packages, 1);
    assert_true(fabs(b51->committed - 1e6) < 1e-6); /* 1e6 x 0.4 x 2.5 */
    assert_true(fabs(b51->delivered - 5e5) < 1e-6);
    assert_true(fabs(b51->ammunition_committed - 5000) < 1e-9);
    assert_true(p.d[60].backer[0].ammunition_delivered == 0);
    assert_true(fabs(p.d[61].backer[0].ammunition_delivered - 5000) < 1e-9);
    for (int d = 0; d <= 360; d++) {
      const truce_backer_state* b = &p.d[d].backer[0];
      assert_true(fabs(b->committed - b->delivered - b->pending) < 1e-3);
    }
    assert_true(fabs(p.d[360].backer[0].committed - 1e6) < 1e-6);
  }
  truce_scenario_free(sc);
}

/* Aid in transit at the start is committed at day 0 and delivered at
 * capacity from the first day. */
static void test_in_transit(void** s) {
  (void)s;
  truce_scenario* sc = make(
      "  - id: x\n    supports: a\n    budget_per_month: 1e6\n"
      "    will: {initial: 0, mean: 0, volatility_per_year: 0}\n"
      "    approval: {threshold: 0.5}\n"
      "    buys: {ammunition: {share: 1, unit_cost: 10, capacity_per_month: "
      "3043.6875, in_transit: 9000}}\n",
      "");
  static path p;
  run(sc, 1, 0, &p);
  assert_true(fabs(p.d[0].backer[0].committed - 90000) < 1e-9);
  assert_true(fabs(p.d[0].backer[0].pending - 90000) < 1e-9);
  assert_true(fabs(p.d[30].backer[0].ammunition_delivered - 3000) < 1e-6);
  assert_true(fabs(p.d[200].backer[0].ammunition_delivered - 9000) < 1e-6);
  assert_true(fabs(p.d[200].backer[0].pending) < 1e-6);
  assert_int_equal(p.d[360].backer[0].packages, 0);
  truce_scenario_free(sc);
}

/* Capable strength: a side whose shells run out (elasticity 1) has no
 * combat power from the next day; with a capable_threshold it is
 * exhausted that day although its headcount holds. */
static void test_capable_exhaustion(void** s) {
  (void)s;
  truce_scenario* sc =
      make_with("{stock: 500, demand_per_day: 100, shortfall_elasticity: 1}",
                "1000", "  - {id: x, supports: a, budget_per_month: 0}\n", "");
  truce_sim* sim;
  truce_side_outcome o;
  static path p;
  int days[2];
  for (int k = 0; k < 2; k++) {
    if (k == 1)
      assert_int_equal(
          truce_scenario_set(ctx, sc, "sides.a.capable_threshold=1"), 0);
    assert_int_equal(truce_sim_new(ctx, sc, &sim), 0);
    assert_int_equal(truce_sim_run(sim, 0, TRUCE_SIM_DETERMINISTIC, rec, &p),
                     0);
    truce_sim_outcome(sim, 0, &o);
    days[k] = o.exhaustion_day;
    truce_sim_free(sim);
  }
  /* 500 shells at 100 a day: the day-5 step fires none; recorded day 6 */
  assert_int_equal(days[1], 6);
  assert_true(p.d[5].side[0].power > 1 && !p.d[5].side[0].exhausted);
  assert_true(p.d[6].side[0].power == 0 && p.d[6].side[0].exhausted);
  assert_true(p.d[6].side[0].front > 800); /* the headcount still holds */
  assert_true(days[0] > 6 || days[0] < 0);
  truce_scenario_free(sc);
}

static void test_backer_errors(void** s) {
  (void)s;
  const char* head =
      "truce: 1\nsides:\n  - id: a\n    personnel: {front: 1}\n"
      "  - id: b\n    personnel: {front: 1}\n"
      "combat: {law: square, coefficients: {a: 1, b: 1}}\n";
  static const struct {
    const char *yaml, *where, *what;
  } bad[] = {
      {"backers:\n  - {id: x, supports: c, budget_per_month: 1}\n",
       "bad.yaml:", "unknown side 'c'"},
      {"backers:\n  - {id: x, supports: a, budget_per_month: 1, buys: "
       "{ammunition: {share: 0.7}, recruitment: {share: 0.5}}}\n",
       "bad.yaml:", "sum to 1.2"},
      {"backers:\n  - {id: x, supports: a, budget_per_month: 1, buys: "
       "{tanks: {share: 0.7}}}\n",
       "bad.yaml:", "unknown item 'tanks'"},
      {"backers:\n  - {id: x, supports: a, budget_per_month: 1, buys: "
       "{recruitment: {share: 0.5, in_transit: 9}}}\n",
       "bad.yaml:", "is money, not units"},
      {"backers:\n  - {id: us, supports: a, budget_per_month: 1}\n"
       "events:\n  - {day: 3, block: {backer: su, until_day: 9}}\n",
       "bad.yaml:11:30: error: ", "reference to an unknown backer 'su'"},
      {"backers:\n  - {id: us, supports: a, budget_per_month: 1}\n"
       "events:\n  - {day: 3, package: {backer: us, month: 2}}\n",
       "bad.yaml:", "did you mean 'months'"},
      {"backers:\n  - {id: us, supports: a, budget_per_month: 1}\n"
       "events:\n  - {day: 3, package: {backer: us}}\n",
       "bad.yaml:11:14: error: ", "'events[0].package' needs months"},
  };
  char y[1024];
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    snprintf(y, sizeof y, "%s%s", head, bad[i].yaml);
    assert_int_equal(ts_expect_error(ctx, y, bad[i].where, bad[i].what),
                     TRUCE_EINVAL);
  }
  truce_scenario* sc;
  snprintf(y, sizeof y,
           "%sbackers:\n  - {id: us, supports: a, "
           "budget_per_month: 1}\n",
           head);
  sc = ts_load(ctx, y);
  assert_int_equal(truce_scenario_set(ctx, sc, "backers.us.budget_scal=2"),
                   TRUCE_EINVAL);
  assert_non_null(strstr(truce_ctx_message(ctx),
                         "did you mean 'backers.us.budget_scale'?"));
  truce_scenario_free(sc);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_conservation),
      cmocka_unit_test(test_lag_exact),
      cmocka_unit_test(test_capacity_binds),
      cmocka_unit_test(test_releasable_stock),
      cmocka_unit_test(test_crisis),
      cmocka_unit_test(test_budget_scale_direction),
      cmocka_unit_test(test_package_event),
      cmocka_unit_test(test_in_transit),
      cmocka_unit_test(test_capable_exhaustion),
      cmocka_unit_test(test_backer_errors),
  };
  return ts_run_group(tests, ts_ctx_setup, ts_ctx_teardown);
}
