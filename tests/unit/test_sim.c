/* SPDX-License-Identifier: GPL-3.0-or-later
 * The engine: closed-form solutions of the Lanchester laws, Engel's Iwo
 * Jima, conservation of persons, pipelines and delays, complementarity,
 * ammunition, events, stochastic means and reproducibility; fires and
 * assaults: conservation of rounds, losses rising with the effort, a
 * bounded and continuous front, bounded breakthroughs, vanishing terms. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "support.h"

/* A recorder: the whole path of one run. */
#define MAXDAYS 800
typedef struct {
  int n;
  truce_day d[MAXDAYS + 1];
} path;

static int rec_day(void* user, const truce_day* d) {
  path* p = user;
  if (d->day <= MAXDAYS) p->d[d->day] = *d;
  p->n = d->day + 1;
  return 0;
}

static void run_path(truce_scenario* sc, uint64_t run, unsigned flags,
                     path* p) {
  truce_sim* sim;
  assert_int_equal(truce_sim_new(ctx, sc, &sim), 0);
  int rc = truce_sim_run(sim, run, flags, rec_day, p);
  if (rc) fail_msg("run failed: %s", truce_ctx_message(ctx));
  truce_sim_free(sim);
}

/* A two-side duel under `law` with extra YAML for combat. */
static truce_scenario* duel(const char* law, const char* extra, double x0,
                            double y0, double cx, double cy, int days,
                            double dt) {
  char y[2048];
  snprintf(y, sizeof y,
           "truce: 1\nhorizon_days: %d\ntime_step: %g\n"
           "sides:\n  - id: x\n    personnel: {front: %.17g}\n"
           "  - id: y\n    personnel: {front: %.17g}\n"
           "combat:\n  law: %s\n%s  coefficients: {x: %.17g, y: %.17g}\n",
           days, dt, x0, y0, law, extra, cx, cy);
  return ts_load(ctx, y);
}

static double rel(double a, double b) {
  return fabs(a - b) / fmax(fabs(b), 1e-300);
}

/* Square law: x(t) = x0 cosh(sqrt(ab) t) - sqrt(a/b) y0 sinh(sqrt(ab) t)
 * and b (x0^2 - x^2) = a (y0^2 - y^2), where a is y's coefficient (its
 * effect on x) and b is x's. */
static void test_square_law_closed_form(void** s) {
  (void)s;
  double x0 = 1000, y0 = 900, a = 0.012, b = 0.015;
  truce_scenario* sc = duel("square", "", x0, y0, b, a, 40, 0.01);
  static path p;
  run_path(sc, 0, TRUCE_SIM_DETERMINISTIC, &p);
  assert_int_equal(p.n, 41);
  double w = sqrt(a * b);
  for (int d = 0; d <= 40; d++) {
    double t = d, x = p.d[d].side[0].front, y = p.d[d].side[1].front;
    double xe = x0 * cosh(w * t) - sqrt(a / b) * y0 * sinh(w * t);
    double ye = y0 * cosh(w * t) - sqrt(b / a) * x0 * sinh(w * t);
    assert_true(rel(x, xe) < 1e-6);
    assert_true(rel(y, ye) < 1e-6);
    double inv = b * (x0 * x0 - x * x), inv2 = a * (y0 * y0 - y * y);
    if (d > 0) assert_true(rel(inv, inv2) < 1e-6);
  }
  truce_scenario_free(sc);
}

/* Linear law: dx = -a x y, dy = -b x y; b (x0 - x) = a (y0 - y). */
static void test_linear_law_invariant(void** s) {
  (void)s;
  double x0 = 1000, y0 = 700, a = 2.4e-5, b = 3.1e-5;
  truce_scenario* sc = duel("linear", "", x0, y0, b, a, 60, 0.01);
  static path p;
  run_path(sc, 0, TRUCE_SIM_DETERMINISTIC, &p);
  for (int d = 1; d <= 60; d++) {
    double x = p.d[d].side[0].front, y = p.d[d].side[1].front;
    assert_true(rel(b * (x0 - x), a * (y0 - y)) < 1e-6);
  }
  /* and something happened */
  assert_true(p.d[60].side[0].front < 0.9 * x0);
  truce_scenario_free(sc);
}

/* Logarithmic law: dx = -a x, dy = -b y; x = x0 e^(-a t), and
 * b ln(x0/x) = a ln(y0/y). */
static void test_log_law_closed_form(void** s) {
  (void)s;
  double x0 = 1000, y0 = 700, a = 0.021, b = 0.013;
  truce_scenario* sc = duel("logarithmic", "", x0, y0, b, a, 50, 0.01);
  static path p;
  run_path(sc, 0, TRUCE_SIM_DETERMINISTIC, &p);
  for (int d = 1; d <= 50; d++) {
    double x = p.d[d].side[0].front, y = p.d[d].side[1].front;
    assert_true(rel(x, x0 * exp(-a * d)) < 1e-6);
    assert_true(rel(b * log(x0 / x), a * log(y0 / y)) < 1e-6);
  }
  truce_scenario_free(sc);
}

/* Helmbold: b (x0^2W - x^2W) = a (y0^2W - y^2W). */
static void test_helmbold_invariant(void** s) {
  (void)s;
  double x0 = 1000, y0 = 800, a = 0.011, b = 0.009, W = 0.7;
  truce_scenario* sc = duel("helmbold", "  W: 0.7\n", x0, y0, b, a, 30, 0.01);
  static path p;
  run_path(sc, 0, TRUCE_SIM_DETERMINISTIC, &p);
  for (int d = 1; d <= 30; d++) {
    double x = p.d[d].side[0].front, y = p.d[d].side[1].front;
    assert_true(rel(b * (pow(x0, 2 * W) - pow(x, 2 * W)),
                    a * (pow(y0, 2 * W) - pow(y, 2 * W))) < 1e-6);
  }
  truce_scenario_free(sc);
}

/* Deitchman's guerrilla law, the first side the guerrilla: dx = -a x y,
 * dy = -b x; so b (x0 - x) = a (y0^2 - y^2) / 2. */
static void test_deitchman_invariant(void** s) {
  (void)s;
  double x0 = 1000, y0 = 800, a = 2.1e-5, b = 0.0185;
  truce_scenario* sc = duel("deitchman", "", x0, y0, b, a, 40, 0.01);
  assert_string_equal(truce_scenario_law_name(sc), "deitchman");
  static path p;
  run_path(sc, 0, TRUCE_SIM_DETERMINISTIC, &p);
  for (int d = 1; d <= 40; d++) {
    double x = p.d[d].side[0].front, y = p.d[d].side[1].front;
    assert_true(rel(b * (x0 - x), a * (y0 * y0 - y * y) / 2) < 1e-6);
  }
  /* day 1: the guerrilla loses a x y, its enemy b x (to first order) */
  assert_true(rel(x0 - p.d[1].side[0].front, a * x0 * y0) < 0.02);
  assert_true(rel(y0 - p.d[1].side[1].front, b * x0) < 0.02);
  assert_true(p.d[40].side[1].front < 0.6 * y0);
  truce_scenario_free(sc);
}

/* The power law with (p, q) = (1, 0) is the square law. */
static void test_power_law_generalises(void** s) {
  (void)s;
  truce_scenario* sq = duel("square", "", 1000, 900, 0.015, 0.012, 20, 0.1);
  truce_scenario* pw =
      duel("power", "  p: 1\n  q: 0\n", 1000, 900, 0.015, 0.012, 20, 0.1);
  static path a, b;
  run_path(sq, 0, TRUCE_SIM_DETERMINISTIC, &a);
  run_path(pw, 0, TRUCE_SIM_DETERMINISTIC, &b);
  assert_true(a.d[20].side[0].front == b.d[20].side[0].front);
  truce_scenario_free(sq);
  truce_scenario_free(pw);
}

/* Engel's Iwo Jima: day 36, US 51,985 (0.1%) and Japan 217 (2 men). */
static void test_iwo_jima(void** s) {
  (void)s;
  truce_scenario* sc;
  int rc = truce_scenario_load(
      ctx, ts_source_path("scenarios/historical/iwo-jima-1945.yaml"), &sc);
  if (rc) fail_msg("%s", truce_ctx_message(ctx));
  truce_sim* sim;
  assert_int_equal(truce_sim_new(ctx, sc, &sim), 0);
  assert_int_equal(truce_sim_run(sim, 0, TRUCE_SIM_DETERMINISTIC, NULL, NULL),
                   0);
  truce_side_outcome us, jp;
  truce_sim_outcome(sim, 0, &us);
  truce_sim_outcome(sim, 1, &jp);
  assert_true(fabs(us.front_end - 51985) <= 0.001 * 51985);
  assert_true(fabs(jp.front_end - 217) <= 2);
  /* every US soldier landed is accounted for: 73,000 = front + losses */
  assert_true(fabs(us.front_end + us.casualties_total - 73000) < 1e-6);
  truce_sim_free(sim);
  truce_scenario_free(sc);
}

/* A scenario exercising every personnel flow. */
static const char* flows =
    "truce: 1\nhorizon_days: 120\nstart: 2023-11-01\n"
    "sides:\n"
    "  - id: ua\n"
    "    exhaustion_threshold: 900\n"
    "    personnel: {front: 1000, pool: 20000, recruits_per_month: 600,\n"
    "                training_days: 21, killed_share: 0.25,\n"
    "                wounded_share: 0.65, missing_share: 0.1,\n"
    "                wounded_return_share: 0.6, wounded_return_days: 30,\n"
    "                arrivals: [{from_day: 10, to_day: 15, men: 250}]}\n"
    "    equipment: {guns: {stock: 40, soldiers_per_item: 25, "
    "loss_per_casualty: 0.02, production_per_month: 3}}\n"
    "    ammunition: {stock: 20000, production_per_month: 15000, "
    "demand_per_day: 800}\n"
    "  - id: ru\n"
    "    posture: attack\n"
    "    personnel: {front: 1500, pool: 50000, recruits_per_month: 900,\n"
    "                training_days: 14, killed_share: 0.3,\n"
    "                wounded_share: 0.7, wounded_return_share: 0.5,\n"
    "                wounded_return_days: 25}\n"
    "combat:\n  law: square\n  defender_advantage: 1.5\n"
    "  coefficients: {ua: 0.02, ru: 0.012}\n"
    "front: {advance_km_per_day: 0.5, length_km: 1000, area_km2: 100000,\n"
    "        territory: {ua: 0.8, ru: 0.2}}\n"
    "events:\n"
    "  - {day: 40, mobilisation: {side: ua, pool: 5000, "
    "recruits_per_month: 1200}}\n"
    "  - {day: 60, offensive: {side: ua, intensity: 1.4, duration_days: 20}}\n"
    "  - {day: 90, set: {combat.intensity: 0.5}}\n";

typedef struct {
  int days;
  double initial[2];
  int violations;
} cons_check;

static int check_cons(void* user, const truce_day* d) {
  cons_check* c = user;
  for (int i = 0; i < 2; i++) {
    const truce_side_state* s = &d->side[i];
    double total = s->pool + s->training + s->front + s->wounded + s->killed +
                   s->missing + s->discharged;
    if (d->day == 0) c->initial[i] = total;
    if (fabs(total - (c->initial[i] + s->inflow)) > 1e-6 * total ||
        s->pool < 0 || s->training < 0 || s->front < 0 || s->wounded < 0 ||
        s->casualties < s->killed + s->missing)
      c->violations++;
    if (d->day > 0 &&
        (s->front != floor(s->front) || s->training != floor(s->training)))
      c->violations++;
  }
  c->days++;
  return 0;
}

/* Stochastic mode: conservation on every day of 100 runs (the engine also
 * checks every sub-step and would fail the run), counts stay integers. */
static void test_conservation_stochastic(void** s) {
  (void)s;
  truce_scenario* sc = ts_load(ctx, flows);
  truce_sim* sim;
  assert_int_equal(truce_sim_new(ctx, sc, &sim), 0);
  for (uint64_t r = 0; r < 100; r++) {
    cons_check c = {0, {0, 0}, 0};
    int rc = truce_sim_run(sim, r, TRUCE_SIM_STOCHASTIC, check_cons, &c);
    if (rc) fail_msg("%s", truce_ctx_message(ctx));
    assert_int_equal(c.days, 121);
    assert_int_equal(c.violations, 0);
  }
  truce_sim_free(sim);
  truce_scenario_free(sc);
}

static void test_conservation_deterministic(void** s) {
  (void)s;
  truce_scenario* sc = ts_load(ctx, flows);
  static path p;
  run_path(sc, 0, TRUCE_SIM_DETERMINISTIC, &p);
  const truce_side_state* u = &p.d[120].side[0];
  double total = u->pool + u->training + u->front + u->wounded + u->killed +
                 u->missing + u->discharged;
  assert_true(fabs(total - (21000 + 250 + 5000)) < 1e-6);
  assert_true(fabs(u->inflow - 5250) < 1e-9);
  /* casualties were split 25/65/10; the returning wounded went back */
  assert_true(rel(u->killed, 0.25 * u->casualties) < 1e-9);
  assert_true(rel(u->missing, 0.10 * u->casualties) < 1e-9);
  truce_scenario_free(sc);
}

/* Recruits reach the front exactly training_days after enlisting; the
 * wounded return exactly wounded_return_days later. No combat. */
static void test_pipeline_delays(void** s) {
  (void)s;
  truce_scenario* sc = ts_load(
      ctx,
      "truce: 1\nhorizon_days: 40\n"
      "sides:\n"
      "  - id: a\n"
      "    personnel: {front: 1000, pool: 1e6, recruits_per_month: "
      "30436.875, training_days: 10}\n"
      "  - id: b\n"
      "    personnel: {front: 1000, killed_share: 0, wounded_share: 1,\n"
      "                wounded_return_share: 1, wounded_return_days: 7}\n"
      "combat:\n  law: logarithmic\n  coefficients: {a: 0.01, b: 0}\n"
      "events:\n  - {day: 1, set: {combat.coefficients.a: 0}}\n");
  static path p;
  run_path(sc, 0, TRUCE_SIM_DETERMINISTIC, &p);
  /* 1000 recruits a day (30436.875/month) */
  for (int d = 1; d <= 10; d++) {
    assert_true(fabs(p.d[d].side[0].front - 1000) < 1e-9);
    assert_true(fabs(p.d[d].side[0].training - 1000.0 * d) < 1e-6);
  }
  /* recruits of day 0 arrive at the start of day 10, visible at end of
   * day 10 (record 11) */
  assert_true(fabs(p.d[11].side[0].front - 2000) < 1e-6);
  assert_true(fabs(p.d[20].side[0].front - 11000) < 1e-6);
  /* b lost 1000(1 - e^-0.01) on day 0, all wounded, all back on day 7 */
  double lost = 1000 * (1 - exp(-0.01));
  assert_true(fabs(p.d[1].side[1].wounded - lost) < 1e-6);
  assert_true(fabs(p.d[7].side[1].front - (1000 - lost)) < 1e-6);
  assert_true(fabs(p.d[8].side[1].front - 1000) < 1e-6);
  assert_true(fabs(p.d[8].side[1].wounded) < 1e-9);
  truce_scenario_free(sc);
}

/* Complementarity: equipment without soldiers (or soldiers without
 * equipment) gives no combat power when rho < 0; balanced inputs give
 * quality x strength. */
static void test_complementarity(void** s) {
  (void)s;
  const char* fmt =
      "truce: 1\nhorizon_days: 1\n"
      "sides:\n"
      "  - id: a\n"
      "    quality: 1.5\n"
      "    personnel: {front: %g}\n"
      "    equipment: {kit: {stock: %g, soldiers_per_item: 10}}\n"
      "  - id: b\n"
      "    personnel: {front: 1000}\n"
      "combat:\n  law: square\n  ces: {alpha: 0.5, rho: -4}\n"
      "  coefficients: {a: 0.01, b: 0.01}\n";
  char y[1024];
  static path p;
  /* balanced: 1000 soldiers of quality 1.5 = 1500 effective; 150 kits
   * equip 1500 */
  snprintf(y, sizeof y, fmt, 1000.0, 150.0);
  truce_scenario* sc = ts_load(ctx, y);
  run_path(sc, 0, TRUCE_SIM_DETERMINISTIC, &p);
  assert_true(rel(p.d[0].side[0].power, 1500) < 1e-12);
  truce_scenario_free(sc);
  /* plenty of weapons, no soldiers: nothing */
  snprintf(y, sizeof y, fmt, 0.0, 1e6);
  sc = ts_load(ctx, y);
  run_path(sc, 0, TRUCE_SIM_DETERMINISTIC, &p);
  assert_true(p.d[0].side[0].power == 0);
  assert_true(p.d[1].side[1].casualties == 0);
  truce_scenario_free(sc);
  /* ten times the weapons add little: power bounded by 2^(1/4) x 1500 */
  snprintf(y, sizeof y, fmt, 1000.0, 1500.0);
  sc = ts_load(ctx, y);
  run_path(sc, 0, TRUCE_SIM_DETERMINISTIC, &p);
  assert_true(p.d[0].side[0].power > 1500);
  assert_true(p.d[0].side[0].power < pow(2, 0.25) * 1500);
  truce_scenario_free(sc);
}

/* Ammunition shortage limits fire: with a tenth of the shells it needs, a
 * side inflicts a tenth of the losses (elasticity 1). */
static void test_ammunition_limits_fire(void** s) {
  (void)s;
  const char* fmt =
      "truce: 1\nhorizon_days: 1\n"
      "sides:\n"
      "  - id: a\n"
      "    personnel: {front: 1000}\n"
      "    ammunition: {stock: %g, demand_per_day: 1000}\n"
      "  - id: b\n"
      "    personnel: {front: 1000}\n"
      "combat:\n  law: square\n"
      "  coefficients: {a: 0.01, b: 0}\n";
  char y[1024];
  static path p1, p2;
  snprintf(y, sizeof y, fmt, 1e6);
  truce_scenario* sc = ts_load(ctx, y);
  run_path(sc, 0, TRUCE_SIM_DETERMINISTIC, &p1);
  truce_scenario_free(sc);
  snprintf(y, sizeof y, fmt, 100.0);
  sc = ts_load(ctx, y);
  run_path(sc, 0, TRUCE_SIM_DETERMINISTIC, &p2);
  truce_scenario_free(sc);
  assert_true(
      rel(p2.d[1].side[1].casualties, 0.1 * p1.d[1].side[1].casualties) < 1e-9);
  assert_true(p2.d[1].side[0].ammunition == 0);
  assert_true(rel(p1.d[1].side[0].ammunition, 1e6 - 1000) < 1e-12);
}

/* Events: an offensive makes the attacker pay the defender advantage and
 * moves the front; a `set` changes a rate from its day on. */
static void test_events_and_front(void** s) {
  (void)s;
  truce_scenario* sc = ts_load(
      ctx,
      "truce: 1\nhorizon_days: 30\n"
      "sides:\n"
      "  - id: a\n    personnel: {front: 3000}\n"
      "  - id: b\n    personnel: {front: 1000}\n"
      "combat:\n  law: logarithmic\n  defender_advantage: 2\n"
      "  coefficients: {a: 0.01, b: 0.01}\n"
      "front: {advance_km_per_day: 1, length_km: 100, area_km2: 10000,\n"
      "        territory: {a: 0.5, b: 0.5}}\n"
      "events:\n"
      "  - {day: 10, offensive: {side: a, intensity: 1, duration_days: 5}}\n"
      "  - {day: 20, set: {combat.coefficients.b: 0}}\n");
  static path p;
  run_path(sc, 0, TRUCE_SIM_DETERMINISTIC, &p);
  double la = p.d[10].side[0].front;
  /* days 10-14: a attacks, b's fire doubled: a loses 2% a day */
  assert_true(rel(p.d[15].side[0].front, la * exp(-0.1)) < 1e-9);
  /* territory moved only during the offensive */
  assert_true(p.d[10].side[0].territory == 0.5);
  assert_true(p.d[15].side[0].territory > 0.5);
  assert_true(p.d[19].side[0].territory == p.d[15].side[0].territory);
  assert_true(rel(p.d[15].side[0].territory + p.d[15].side[1].territory, 1) <
              1e-12);
  /* from day 20, b inflicts nothing */
  assert_true(p.d[25].side[0].front == p.d[20].side[0].front);
  truce_scenario_free(sc);
}

/* Run sc deterministically; v[i]: side i's outcome k. */
static void det_outcomes(const truce_scenario* sc, int k, double v[2]) {
  truce_sim* sim;
  assert_int_equal(truce_sim_new(ctx, sc, &sim), 0);
  assert_int_equal(truce_sim_run(sim, 0, TRUCE_SIM_DETERMINISTIC, NULL, NULL),
                   0);
  for (size_t i = 0; i < 2; i++)
    v[i] = truce_sim_outcome_value(sim, i, (size_t)k);
  truce_sim_free(sim);
}

/* The outcome "largest_weekly_move_day": the front moves only in the
 * offensive of days 10-14 (recorded days 11-15), so every 7-day window
 * ending on days 15-17 holds the whole move and the first, 15, is the
 * outcome, for both sides; a duel without a front never moves. */
static void test_largest_weekly_move(void** s) {
  (void)s;
  int k = truce_outcome_index("largest_weekly_move_day");
  assert_true(k >= 0);
  assert_int_equal(truce_outcome((size_t)k)->is_day, 1);
  truce_scenario* sc = ts_load(
      ctx,
      "truce: 1\nhorizon_days: 40\n"
      "sides:\n"
      "  - id: a\n    personnel: {front: 3000}\n"
      "  - id: b\n    personnel: {front: 1000}\n"
      "combat:\n  law: logarithmic\n  coefficients: {a: 0.01, b: 0.01}\n"
      "front: {advance_km_per_day: 1, length_km: 100, area_km2: 10000,\n"
      "        territory: {a: 0.5, b: 0.5}}\n"
      "events:\n"
      "  - {day: 10, offensive: {side: a, intensity: 1, duration_days: 5}}\n");
  double v[2];
  det_outcomes(sc, k, v);
  assert_true(v[0] == 15 && v[1] == 15);
  truce_scenario_free(sc);
  sc = duel("square", "", 1000, 900, 0.015, 0.012, 20, 1);
  det_outcomes(sc, k, v);
  assert_true(isnan(v[0]));
  truce_scenario_free(sc);
}

/* The outcome "weak_power_days": a side whose 5 tanks equip 50 of its
 * 1,000 soldiers has combat power under a tenth of its front on every
 * recorded day (days 0-30); one without weapons inputs never does. */
static void test_weak_power(void** s) {
  (void)s;
  int k = truce_outcome_index("weak_power_days");
  assert_true(k >= 0);
  assert_int_equal(truce_outcome((size_t)k)->is_day, 0);
  truce_scenario* sc =
      ts_load(ctx,
              "truce: 1\nhorizon_days: 30\n"
              "sides:\n"
              "  - id: a\n    personnel: {front: 1000}\n"
              "    equipment: {tanks: {stock: 5, soldiers_per_item: 10}}\n"
              "  - id: b\n    personnel: {front: 1000}\n"
              "combat:\n  law: square\n  coefficients: {a: 0.001, b: 0.001}\n");
  double v[2];
  det_outcomes(sc, k, v);
  assert_true(v[0] == 31 && v[1] == 0);
  truce_scenario_free(sc);
}

/* The mean of 2,000 stochastic runs of a square-law duel lies within 3
 * standard errors of the deterministic solution on day 10. */
static void test_stochastic_mean(void** s) {
  (void)s;
  truce_scenario* sc = duel("square", "", 5000, 4000, 0.012, 0.01, 10, 1);
  static path det, p;
  run_path(sc, 0, TRUCE_SIM_DETERMINISTIC, &det);
  truce_sim* sim;
  assert_int_equal(truce_sim_new(ctx, sc, &sim), 0);
  int n = 2000;
  double sx = 0, sx2 = 0, sy = 0, sy2 = 0;
  for (int r = 0; r < n; r++) {
    assert_int_equal(truce_sim_run(sim, (uint64_t)r, 0, rec_day, &p), 0);
    double x = p.d[10].side[0].front, y = p.d[10].side[1].front;
    sx += x;
    sx2 += x * x;
    sy += y;
    sy2 += y * y;
  }
  double mx = sx / n, my = sy / n;
  double sex = sqrt((sx2 / n - mx * mx) / (n - 1));
  double sey = sqrt((sy2 / n - my * my) / (n - 1));
  assert_true(sex > 0 && sey > 0);
  assert_true(fabs(mx - det.d[10].side[0].front) < 3 * sex);
  assert_true(fabs(my - det.d[10].side[1].front) < 3 * sey);
  truce_sim_free(sim);
  truce_scenario_free(sc);
}

/* Two paths are identical, field by field (structs have padding). */
static bool same_path(const path* a, const path* b, int days) {
  for (int d = 0; d < days; d++)
    for (int i = 0; i < 2; i++) {
      const truce_side_state *x = &a->d[d].side[i], *y = &b->d[d].side[i];
      const double xs[] = {
          x->pool,      x->training,   x->front,    x->wounded,    x->killed,
          x->missing,   x->discharged, x->inflow,   x->casualties, x->power,
          x->equipment, x->ammunition, x->territory};
      const double ys[] = {
          y->pool,      y->training,   y->front,    y->wounded,    y->killed,
          y->missing,   y->discharged, y->inflow,   y->casualties, y->power,
          y->equipment, y->ammunition, y->territory};
      if (memcmp(xs, ys, sizeof xs) != 0 || x->exhausted != y->exhausted)
        return false;
    }
  return true;
}

static int stop_day_50(void* user, const truce_day* d) {
  (void)user;
  return d->day == 50 ? 99 : 0;
}

/* Same (seed, run): identical paths; another run or seed: different. */
static void test_reproducible(void** s) {
  (void)s;
  truce_scenario* sc = ts_load(ctx, flows);
  static path a, b;
  run_path(sc, 3, 0, &a);
  run_path(sc, 3, 0, &b);
  assert_true(same_path(&a, &b, 121));
  run_path(sc, 4, 0, &b);
  assert_false(same_path(&a, &b, 121));
  /* a workspace that ran others first, one stopped half-way with men
   * still in its pipelines, gives the same path as a fresh one */
  truce_sim* sim;
  assert_int_equal(truce_sim_new(ctx, sc, &sim), 0);
  assert_int_equal(truce_sim_run(sim, 5, 0, stop_day_50, NULL), 99);
  assert_int_equal(truce_sim_run(sim, 4, 0, rec_day, &b), 0);
  assert_int_equal(truce_sim_run(sim, 3, 0, rec_day, &b), 0);
  assert_true(same_path(&a, &b, 121));
  truce_sim_free(sim);
  assert_int_equal(truce_scenario_set(ctx, sc, "seed=2"), 0);
  run_path(sc, 3, 0, &b);
  assert_false(same_path(&a, &b, 121));
  truce_scenario_free(sc);
}

/* Exhaustion: the first day front strength is below the threshold. */
static void test_exhaustion_day(void** s) {
  (void)s;
  truce_scenario* sc = ts_load(
      ctx,
      "truce: 1\nhorizon_days: 100\n"
      "sides:\n"
      "  - id: a\n    exhaustion_threshold: 500\n    personnel: {front: 1000}\n"
      "  - id: b\n    personnel: {front: 1000}\n"
      "combat:\n  law: logarithmic\n  coefficients: {a: 0, b: 0.01}\n");
  truce_sim* sim;
  assert_int_equal(truce_sim_new(ctx, sc, &sim), 0);
  assert_int_equal(truce_sim_run(sim, 0, TRUCE_SIM_DETERMINISTIC, NULL, NULL),
                   0);
  truce_side_outcome o;
  truce_sim_outcome(sim, 0, &o);
  /* 1000 e^(-0.01 d) < 500  <=>  d > 69.3 */
  assert_int_equal(o.exhaustion_day, 70);
  truce_sim_outcome(sim, 1, &o);
  assert_int_equal(o.exhaustion_day, -1);
  assert_int_equal(truce_sim_outcome(sim, 2, &o), TRUCE_EINVAL);
  truce_sim_free(sim);
  truce_scenario_free(sc);
}

/* s9: with a breakthrough density (s6) the line breaks, and the side is
 * exhausted, on the first day its soldiers per km fall below it: 1000
 * e^(-0.01 d) < 50 per km x 10 km on day 70, as for a headcount. */
static void test_exhaustion_by_density(void** s) {
  (void)s;
  truce_scenario* sc =
      ts_load(ctx,
              "truce: 1\nhorizon_days: 100\n"
              "sides:\n"
              "  - id: a\n    personnel: {front: 1000}\n"
              "  - id: b\n    personnel: {front: 1000}\n"
              "combat:\n  law: logarithmic\n  coefficients: {a: 0, b: 0.01}\n"
              "front: {length_km: 10, breakthrough_density: 50}\n");
  truce_sim* sim;
  assert_int_equal(truce_sim_new(ctx, sc, &sim), 0);
  assert_int_equal(truce_sim_run(sim, 0, TRUCE_SIM_DETERMINISTIC, NULL, NULL),
                   0);
  truce_side_outcome o;
  truce_sim_outcome(sim, 0, &o);
  assert_int_equal(o.exhaustion_day, 70);
  truce_sim_outcome(sim, 1, &o);
  assert_int_equal(o.exhaustion_day, -1);
  truce_sim_free(sim);
  truce_scenario_free(sc);
}

/* s3: soldiers in training at the start graduate evenly over the first
 * training_days (300 over 10 days: 30 a day, visible from record 1);
 * stochastic counts are whole and add up to the 301 given; with no
 * training days they start at the front. */
static void test_training_at_start(void** s) {
  (void)s;
  const char* fmt =
      "truce: 1\nhorizon_days: 20\n"
      "sides:\n"
      "  - id: a\n    personnel: {front: 1000, training: %g, "
      "training_days: %d}\n"
      "  - id: b\n    personnel: {front: 1000}\n"
      "combat:\n  law: square\n  coefficients: {a: 0, b: 0}\n";
  char y[512];
  static path p;
  snprintf(y, sizeof y, fmt, 300.0, 10);
  truce_scenario* sc = ts_load(ctx, y);
  run_path(sc, 0, TRUCE_SIM_DETERMINISTIC, &p);
  for (int k = 0; k <= 20; k++) {
    double g = 30.0 * (k < 10 ? k : 10);
    assert_true(fabs(p.d[k].side[0].front - (1000 + g)) < 1e-9);
    assert_true(fabs(p.d[k].side[0].training - (300 - g)) < 1e-9);
  }
  truce_scenario_free(sc);
  snprintf(y, sizeof y, fmt, 301.0, 10);
  sc = ts_load(ctx, y);
  for (uint64_t r = 0; r < 5; r++) {
    run_path(sc, r, TRUCE_SIM_STOCHASTIC, &p);
    for (int k = 1; k <= 20; k++) {
      double f = p.d[k].side[0].front, step = f - p.d[k - 1].side[0].front;
      assert_true(f == floor(f) && (k > 10 ? step == 0 : step >= 30));
    }
    assert_true(p.d[20].side[0].front == 1301);
    assert_true(p.d[20].side[0].training == 0);
  }
  truce_scenario_free(sc);
  snprintf(y, sizeof y, fmt, 300.0, 0);
  sc = ts_load(ctx, y);
  run_path(sc, 0, TRUCE_SIM_DETERMINISTIC, &p);
  assert_true(p.d[0].side[0].front == 1300 && p.d[0].side[0].training == 0);
  truce_scenario_free(sc);
}

/* s3: a front held at front_max. a loses 1 - f of its front a day (the
 * logarithmic law, f the RK4 factor of e^(-0.01)) and recruits 1000 a day
 * straight to the front: each day the rear refills the front to 1000
 * before the day's losses, so every record shows 1000 f at the front and
 * the rest, 1000 k - (k - 1) 1000 (1 - f), waiting in training; without
 * front_max the recruits join the front. */
static void test_front_max_rotation(void** s) {
  (void)s;
  const char* fmt =
      "truce: 1\nhorizon_days: 30\n"
      "sides:\n"
      "  - id: a\n    personnel: {front: 1000, pool: 1e6, front_max: %g,\n"
      "                recruits_per_month: 30436.875, training_days: 0}\n"
      "  - id: b\n    personnel: {front: 1000}\n"
      "combat:\n  law: logarithmic\n  coefficients: {a: 0, b: 0.01}\n";
  char y[512];
  static path p;
  double h = 0.01, f = 1 - h + h * h / 2 - h * h * h / 6 + h * h * h * h / 24;
  double lost = 1000 * (1 - f);
  snprintf(y, sizeof y, fmt, 1000.0);
  truce_scenario* sc = ts_load(ctx, y);
  run_path(sc, 0, TRUCE_SIM_DETERMINISTIC, &p);
  for (int k = 1; k <= 30; k++) {
    assert_true(rel(p.d[k].side[0].front, 1000 * f) < 1e-9);
    assert_true(rel(p.d[k].side[0].training, 1000.0 * k - (k - 1) * lost) <
                1e-9);
  }
  truce_scenario_free(sc);
  snprintf(y, sizeof y, fmt, 0.0);
  sc = ts_load(ctx, y);
  run_path(sc, 0, TRUCE_SIM_DETERMINISTIC, &p);
  assert_true(p.d[30].side[0].front > 20000);
  assert_true(p.d[30].side[0].training == 0);
  truce_scenario_free(sc);
}

/* s3: the rear reserve forms new units. a's 3,000 recruits in training
 * graduate on day 0 into a front already at its front_max of 1,000, so
 * they wait in the rear; at kappa a month a share q = 1 - e^(-kappa /
 * 30.436875) of what waits joins the front each day: without losses the
 * record k has 1000 + 3000 (1 - e^(-kappa k / 30.436875)) at the front,
 * stochastic runs the whole-number recursion R <- R - floor(q R); kappa 0
 * (the default) keeps them all waiting. With a's front losing 1 - f a day
 * (the logarithmic law, f the RK4 factor of e^(-0.01)), each day the rear
 * first refills the capacity front_max plus the units formed so far, then
 * forms new units from what is left. With 50 heavy items of 50 soldiers
 * each, no more than 2,500 are equipped: the front stops there. */
static void test_reserve_commit(void** s) {
  (void)s;
  const char* fmt =
      "truce: 1\nhorizon_days: 60\n"
      "sides:\n"
      "  - id: a\n    personnel: {front: 1000, front_max: 1000, training: "
      "3000,\n                training_days: 1, reserve_commit_per_month: "
      "%g}\n%s"
      "  - id: b\n    personnel: {front: 1000}\n"
      "combat:\n  law: logarithmic\n  coefficients: {a: 0, b: %g}\n";
  const char* equip =
      "    equipment: {heavy: {stock: 50, soldiers_per_item: 50}}\n";
  char y[768];
  static path p;
  double kappa = 0.5, q = 1 - exp(-kappa / 30.436875);
  snprintf(y, sizeof y, fmt, kappa, "", 0.0);
  truce_scenario* sc = ts_load(ctx, y);
  run_path(sc, 0, TRUCE_SIM_DETERMINISTIC, &p);
  for (int k = 1; k <= 60; k++) {
    double left = 3000 * exp(-kappa * k / 30.436875);
    assert_true(rel(p.d[k].side[0].front, 4000 - left) < 1e-9);
    assert_true(rel(p.d[k].side[0].training, left) < 1e-9);
  }
  for (uint64_t r = 0; r < 10; r++) {
    run_path(sc, r, TRUCE_SIM_STOCHASTIC, &p);
    double left = 3000;
    for (int k = 1; k <= 60; k++) {
      left -= floor(q * left);
      assert_true(p.d[k].side[0].training == left);
      assert_true(p.d[k].side[0].front == 4000 - left);
    }
  }
  truce_scenario_free(sc);
  snprintf(y, sizeof y, fmt, 0.0, "", 0.0);
  sc = ts_load(ctx, y);
  run_path(sc, 0, TRUCE_SIM_DETERMINISTIC, &p);
  assert_true(p.d[60].side[0].front == 1000);
  assert_true(p.d[60].side[0].training == 3000);
  truce_scenario_free(sc);
  snprintf(y, sizeof y, fmt, kappa, equip, 0.0);
  sc = ts_load(ctx, y);
  run_path(sc, 0, TRUCE_SIM_DETERMINISTIC, &p);
  for (int k = 1; k <= 60; k++) {
    double F = fmin(4000 - 3000 * exp(-kappa * k / 30.436875), 2500);
    assert_true(rel(p.d[k].side[0].front, F) < 1e-9);
    assert_true(rel(p.d[k].side[0].training, 4000 - F) < 1e-9);
  }
  assert_true(p.d[60].side[0].front == 2500); /* reached on record 43 */
  truce_scenario_free(sc);
  double h = 0.01, f = 1 - h + h * h / 2 - h * h * h / 6 + h * h * h * h / 24;
  snprintf(y, sizeof y, fmt, kappa, "", h);
  sc = ts_load(ctx, y);
  run_path(sc, 0, TRUCE_SIM_DETERMINISTIC, &p);
  double F = 1000, R = 3000, cap = 1000;
  for (int k = 1; k <= 60; k++) {
    double go = fmin(cap - F, R), c;
    F += go;
    R -= go;
    c = q * R;
    R -= c;
    cap += c;
    F = (F + c) * f;
    assert_true(rel(p.d[k].side[0].front, F) < 1e-9);
    assert_true(rel(p.d[k].side[0].training, R) < 1e-9);
  }
  truce_scenario_free(sc);
}

/* ------------------------------------------------ Fires and assaults */

/* A war of fires and assaults (docs/model.md s2b, s5, s6): both sides
 * fire artillery and drones, b rations a short stock, a attacks with an
 * effort eased by its losses against b's fires and density; the front
 * grinds and breaks below a density; both start with soldiers in
 * training and b holds at most 12,100 at the front (s3). %g: a's
 * assault tempo. */
static const char* war_fmt =
    "truce: 1\nhorizon_days: 120\n"
    "sides:\n"
    "  - id: a\n    posture: attack\n"
    "    personnel: {front: 20000, pool: 100000, recruits_per_month: 3000,\n"
    "                training_days: 10, training: 1001, killed_share: 0.3,\n"
    "                wounded_share: 0.6, missing_share: 0.1,\n"
    "                wounded_return_share: 0.5, wounded_return_days: 20}\n"
    "    assault: {effort: %.17g, effort_max: 0.2, hold_per_km: 50,\n"
    "              loss_limit: 0.004, loss_memory_days: 15}\n"
    "    ammunition: {stock: 30000, demand_per_day: 1500,\n"
    "                 production_per_month: 40000, casualties_per_round: "
    "0.01,\n                 assault_hazard: 0}\n"
    "    drones: {stock: 500, demand_per_day: 60, production_per_month: "
    "1500,\n             casualties_per_round: 0.2}\n"
    "  - id: b\n"
    "    personnel: {front: 12000, pool: 60000, recruits_per_month: 1500,\n"
    "                training_days: 10, training: 500, front_max: 12100,\n"
    "                killed_share: 0.3,\n"
    "                wounded_share: 0.7, wounded_return_share: 0.5,\n"
    "                wounded_return_days: 20}\n"
    "    ammunition: {stock: 2000, demand_per_day: 900, cover_days: 20,\n"
    "                 production_per_month: 9000, casualties_per_round: "
    "0.01,\n                 assault_hazard: 0.03}\n"
    "    drones: {stock: 300, demand_per_day: 80, production_per_month: "
    "2000,\n             casualties_per_round: 0.15, assault_hazard: 0.05}\n"
    "combat:\n  law: square\n  density_hazard: 0.002\n"
    "  coefficients: {a: 0.0005, b: 0.0005}\n"
    "front: {length_km: 100, area_km2: 50000, grind_km_per_day: 0.5,\n"
    "        fortification: 0.02, breakthrough_density: 60,\n"
    "        breakthrough_km_per_day: 3, exploitation_depth_km: 10,\n"
    "        territory: {a: 0.2, b: 0.8}}\n";

static truce_scenario* war(double effort) {
  char y[4096];
  snprintf(y, sizeof y, war_fmt, effort);
  return ts_load(ctx, y);
}

/* Rounds: each day's stock is the last day's plus production less what
 * was fired (no backers); the short side, rationing, keeps firing and
 * keeps a stock. */
typedef struct {
  cons_check persons;
  double prev[2][2];
  double made[2][2]; /* production per day */
  int violations, silent_days, over_cap;
} rounds_check;

static int check_rounds_day(void* user, const truce_day* d) {
  rounds_check* c = user;
  check_cons(&c->persons, d);
  for (int i = 0; i < 2; i++) {
    const truce_side_state* s = &d->side[i];
    double have[2] = {s->ammunition, s->drones};
    double fired[2] = {s->rounds_fired, s->drones_fired};
    for (int k = 0; k < 2; k++) {
      if (d->day > 0) {
        double expect = c->prev[i][k] + c->made[i][k] - fired[k];
        if (fabs(have[k] - expect) > 1e-7 * fmax(1, expect) || have[k] < 0 ||
            fired[k] < 0)
          c->violations++;
      }
      c->prev[i][k] = have[k];
    }
    /* b rations over 20 days: it fires every day and, when short of its
     * demand of 900, keeps at least 19 days of that fire in stock */
    if (d->day > 0 && i == 1 &&
        (!(s->rounds_fired > 0) || (s->rounds_fired < 900 - 1e-9 &&
                                    s->ammunition < 19 * s->rounds_fired)))
      c->silent_days++;
    if (i == 1 && s->front > 12100) c->over_cap++; /* b's front_max */
    double ch =
        s->casualties_artillery + s->casualties_drones + s->casualties_assault;
    if (ch > s->casualties * (1 + 1e-12) + 1e-9) c->violations++;
  }
  return 0;
}

/* Conservation of persons and of rounds on every day of 100 stochastic
 * runs with every new mechanism on (the engine checks both on every
 * sub-step and would fail the run); the short side never falls silent;
 * b's front never exceeds its front_max. */
static void test_fires_conservation(void** s) {
  (void)s;
  truce_scenario* sc = war(0.03);
  truce_sim* sim;
  assert_int_equal(truce_sim_new(ctx, sc, &sim), 0);
  double dm = 365.2425 / 12;
  for (uint64_t r = 0; r < 100; r++) {
    rounds_check c = {{0, {0, 0}, 0},
                      {{0}},
                      {{40000 / dm, 1500 / dm}, {9000 / dm, 2000 / dm}},
                      0,
                      0,
                      0};
    int rc = truce_sim_run(sim, r, TRUCE_SIM_STOCHASTIC, check_rounds_day, &c);
    if (rc) fail_msg("%s", truce_ctx_message(ctx));
    assert_int_equal(c.persons.days, 121);
    assert_int_equal(c.persons.violations, 0);
    assert_int_equal(c.violations, 0);
    assert_int_equal(c.silent_days, 0);
    assert_int_equal(c.over_cap, 0);
  }
  truce_sim_free(sim);
  truce_scenario_free(sc);
}

/* One deterministic day of war(effort): the day-1 record. */
static void war_day(double effort, truce_day* out) {
  truce_scenario* sc = war(effort);
  static path p;
  run_path(sc, 0, TRUCE_SIM_DETERMINISTIC, &p);
  *out = p.d[1];
  truce_scenario_free(sc);
}

/* s2b: the attacker's losses rise strictly with its own effort at a fixed
 * defender, while the defender's losses (from the attacker's fires and
 * the law) do not depend on it; with no effort only fires and the law
 * remain. */
static void test_attacker_losses_rise_with_effort(void** s) {
  (void)s;
  truce_day d0, d1;
  war_day(0, &d0);
  assert_true(d0.side[0].casualties_assault == 0);
  assert_true(d0.side[0].casualties_artillery > 0); /* b's fire on positions */
  for (int k = 1; k <= 40; k++) {
    war_day(0.005 * k, &d1);
    assert_true(d1.side[0].casualties > d0.side[0].casualties);
    assert_true(d1.side[0].casualties_assault > d0.side[0].casualties_assault);
    assert_true(rel(d1.side[1].casualties, d0.side[1].casualties) < 1e-12);
    d0 = d1;
  }
}

/* s2b: at a fixed effort the attacker's losses rise strictly with the
 * defender's fires (rounds and drones a day) and with its density
 * (soldiers per km); the attacker's fires on the defender do not move. */
static void test_attacker_losses_rise_with_defence(void** s) {
  (void)s;
  const char* fmt =
      "truce: 1\nhorizon_days: 1\n"
      "sides:\n  - id: a\n    posture: attack\n"
      "    personnel: {front: 20000}\n    assault: {effort: 0.02}\n"
      "    ammunition: {stock: 1e6, demand_per_day: 1000, "
      "casualties_per_round: 0.01}\n"
      "  - id: b\n    personnel: {front: %.17g}\n"
      "    ammunition: {stock: 1e6, demand_per_day: %.17g, "
      "assault_hazard: 0.02}\n"
      "    drones: {stock: 1e5, demand_per_day: %.17g, "
      "assault_hazard: 0.1}\n"
      "combat:\n  law: square\n  density_hazard: 0.001\n"
      "  coefficients: {a: 0, b: 0}\n"
      "front: {length_km: 100, area_km2: 10000, territory: {a: 0.5, b: 0.5}}\n";
  char y[2048];
  static path p;
  double prev = -1, prev_b = -1;
  for (int k = 0; k < 3 * 12; k++) {
    int axis = k / 12, j = k % 12;
    double front = axis == 2 ? 1000 + 800.0 * j : 5000;
    double art = axis == 0 ? 150.0 * j : 600;
    double dr = axis == 1 ? 20.0 * j : 50;
    snprintf(y, sizeof y, fmt, front, art, dr);
    truce_scenario* sc = ts_load(ctx, y);
    run_path(sc, 0, TRUCE_SIM_DETERMINISTIC, &p);
    truce_scenario_free(sc);
    double la = p.d[1].side[0].casualties, lb = p.d[1].side[1].casualties;
    if (j > 0) assert_true(la > prev);
    if (k > 0) assert_true(rel(lb, prev_b) < 1e-12); /* 1000 x 0.01 */
    prev = la;
    prev_b = lb;
  }
}

/* s6: the day's advance is bounded by the grind's and the exploitation's
 * top speeds and continuous (Lipschitz, with the bound of the grind's
 * slope v_g F_a / (phi F_b)) and non-decreasing in the effort. */
static void test_front_bounded_continuous(void** s) {
  (void)s;
  const double km_per_share = 50000.0 / 100; /* area / length */
  double v_g = 0.5, v_b = 3, slope = v_g * 20000 / (0.02 * 12000);
  truce_day d;
  double prev = 0, de = 0.0025;
  for (int k = 0; k <= 80; k++) {
    war_day(de * k, &d);
    double km = (d.side[0].territory - 0.2) * km_per_share;
    assert_true(km >= 0 && km <= v_g + v_b);
    if (k > 0) {
      assert_true(km >= prev - 1e-12);
      assert_true(km - prev <= slope * de * (1 + 1e-9));
    }
    prev = km;
  }
  assert_true(prev > 0);
}

/* s6: below the breakthrough density the line breaks for at most
 * exploitation_depth_km; above it the front only grinds. */
static void test_breakthrough_depth(void** s) {
  (void)s;
  const char* fmt =
      "truce: 1\nhorizon_days: 30\n"
      "sides:\n  - id: a\n    posture: attack\n"
      "    personnel: {front: 10000}\n    assault: {effort: 0.01}\n"
      "  - id: b\n    personnel: {front: %g}\n"
      "combat:\n  law: square\n  coefficients: {a: 0, b: 0}\n"
      "front: {length_km: 100, area_km2: 10000, grind_km_per_day: 0.2,\n"
      "        fortification: 0.5, breakthrough_density: 40,\n"
      "        breakthrough_km_per_day: 2, exploitation_depth_km: 7,\n"
      "        territory: {a: 0.5, b: 0.5}}\n";
  char y[1024];
  static path p;
  double km[2];
  for (int k = 0; k < 2; k++) {
    snprintf(y, sizeof y, fmt, k ? 2000.0 : 5000.0); /* 50 or 20 per km */
    truce_scenario* sc = ts_load(ctx, y);
    run_path(sc, 0, TRUCE_SIM_DETERMINISTIC, &p);
    km[k] = (p.d[30].side[0].territory - 0.5) * 100;
    truce_scenario_free(sc);
  }
  double g0 = 0.2 * 100 / (100 + 0.5 * 5000), g1 = 0.2 * 100 / (100 + 1000.0);
  assert_true(rel(km[0], 30 * g0) < 1e-9);     /* no breakthrough */
  assert_true(rel(km[1], 30 * g1 + 7) < 1e-9); /* depth 7 km, then grind */
}

/* s2b, s6: an offensive with an objective stops on the day it holds it:
 * a grinds forward (0.2 km/day at most) and advances with its power ratio
 * of 2 (0.01 km/day) until its territory share reaches 0.5 + 0.0004; from
 * then on it neither gains ground nor loses assaulters; without the
 * objective it keeps gaining. */
static void test_objective_stops_offensive(void** s) {
  (void)s;
  const char* fmt =
      "truce: 1\nhorizon_days: 30\n"
      "sides:\n  - id: a\n    posture: attack\n"
      "    personnel: {front: 10000}\n"
      "    assault: {effort: 0.01, objective: %.17g}\n"
      "  - id: b\n    personnel: {front: 5000}\n"
      "combat:\n  law: square\n  density_hazard: 0.001\n"
      "  coefficients: {a: 0, b: 0}\n"
      "front: {length_km: 100, area_km2: 10000, grind_km_per_day: 0.2,\n"
      "        fortification: 0.5, advance_km_per_day: 0.01,\n"
      "        territory: {a: 0.5, b: 0.5}}\n";
  double obj = 0.5004;
  char y[1024];
  static path p;
  for (int k = 0; k < 2; k++) {
    snprintf(y, sizeof y, fmt, k ? 0.0 : obj);
    truce_scenario* sc = ts_load(ctx, y);
    run_path(sc, 0, TRUCE_SIM_DETERMINISTIC, &p);
    truce_scenario_free(sc);
    int reached = -1;
    for (int d = 1; d <= 30; d++) {
      const truce_side_state *a = &p.d[d].side[0], *a0 = &p.d[d - 1].side[0];
      bool held = k == 0 && reached >= 0; /* since an earlier day */
      if (reached < 0 && a->territory >= obj) reached = d;
      if (held) {
        assert_true(a->territory == a0->territory);
        assert_true(a->casualties_assault == a0->casualties_assault);
      } else {
        assert_true(a->territory > a0->territory);
        assert_true(a->casualties_assault > a0->casualties_assault);
      }
    }
    assert_true(reached > 1 && reached < 25);
  }
}

/* Every new term vanishes by default: a square-law duel with drone and
 * assault sections whose effects are zero follows the bare duel's path
 * bit for bit. */
static void test_new_terms_vanish(void** s) {
  (void)s;
  const char* base =
      "truce: 1\nhorizon_days: 40\ntime_step: 0.1\n"
      "sides:\n  - id: x\n    posture: attack\n    personnel: {front: 1000}\n"
      "%s  - id: y\n    personnel: {front: 900}\n%s"
      "combat:\n  law: square\n  defender_advantage: 1.3\n"
      "  coefficients: {x: 0.015, y: 0.012}\n"
      "front: {advance_km_per_day: 0.1, length_km: 100, area_km2: 10000,\n"
      "        territory: {x: 0.5, y: 0.5}}\n";
  const char* xs =
      "    assault: {effort: 0, effort_max: 0.5}\n"
      "    drones: {stock: 100, demand_per_day: 5}\n";
  const char* ys = "    ammunition: {cover_days: 0, casualties_per_round: 0}\n";
  char y1[2048], y2[2048];
  snprintf(y1, sizeof y1, base, "", "");
  snprintf(y2, sizeof y2, base, xs, ys);
  static path p1, p2;
  truce_scenario* sc = ts_load(ctx, y1);
  run_path(sc, 0, TRUCE_SIM_DETERMINISTIC, &p1);
  truce_scenario_free(sc);
  sc = ts_load(ctx, y2);
  run_path(sc, 0, TRUCE_SIM_DETERMINISTIC, &p2);
  truce_scenario_free(sc);
  for (int d = 0; d <= 40; d++)
    for (int i = 0; i < 2; i++) {
      assert_true(p1.d[d].side[i].front == p2.d[d].side[i].front);
      assert_true(p1.d[d].side[i].territory == p2.d[d].side[i].territory);
    }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_square_law_closed_form),
      cmocka_unit_test(test_linear_law_invariant),
      cmocka_unit_test(test_log_law_closed_form),
      cmocka_unit_test(test_helmbold_invariant),
      cmocka_unit_test(test_deitchman_invariant),
      cmocka_unit_test(test_power_law_generalises),
      cmocka_unit_test(test_iwo_jima),
      cmocka_unit_test(test_conservation_stochastic),
      cmocka_unit_test(test_conservation_deterministic),
      cmocka_unit_test(test_pipeline_delays),
      cmocka_unit_test(test_complementarity),
      cmocka_unit_test(test_ammunition_limits_fire),
      cmocka_unit_test(test_events_and_front),
      cmocka_unit_test(test_largest_weekly_move),
      cmocka_unit_test(test_weak_power),
      cmocka_unit_test(test_stochastic_mean),
      cmocka_unit_test(test_reproducible),
      cmocka_unit_test(test_exhaustion_day),
      cmocka_unit_test(test_exhaustion_by_density),
      cmocka_unit_test(test_training_at_start),
      cmocka_unit_test(test_front_max_rotation),
      cmocka_unit_test(test_reserve_commit),
      cmocka_unit_test(test_fires_conservation),
      cmocka_unit_test(test_attacker_losses_rise_with_effort),
      cmocka_unit_test(test_attacker_losses_rise_with_defence),
      cmocka_unit_test(test_front_bounded_continuous),
      cmocka_unit_test(test_breakthrough_depth),
      cmocka_unit_test(test_objective_stops_offensive),
      cmocka_unit_test(test_new_terms_vanish),
  };
  return ts_run_group(tests, ts_ctx_setup, ts_ctx_teardown);
}
