/* SPDX-License-Identifier: GPL-3.0-or-later
 * Scenario loading: the format, defaults, provenance, --set overrides, and
 * every class of bad input with its FILE:LINE:COL. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario/params.h"
#include "scenario/scenario_int.h"
#include "support.h"
#include "truce_int.h"

#define SIDES                      \
  "sides:\n"                       \
  "  - id: a\n"                    \
  "    personnel: {front: 1000}\n" \
  "  - id: b\n"                    \
  "    personnel: {front: 800}\n"
#define COMBAT      \
  "combat:\n"       \
  "  law: square\n" \
  "  coefficients: {a: 0.01, b: 0.02}\n"

/* The load must fail with a message starting with `where` (FILE:LINE:COL:
 * error:) and containing `what`. */
static void expect_error(const char* yaml, const char* where,
                         const char* what) {
  ts_expect_error(ctx, yaml, where, what);
}

static void test_minimal_scenario_and_defaults(void** state) {
  (void)state;
  truce_scenario* sc = ts_load(ctx, "truce: 1\n" SIDES COMBAT);
  assert_string_equal(truce_scenario_side_id(sc, 0), "a");
  assert_string_equal(truce_scenario_side_id(sc, 1), "b");
  assert_int_equal(truce_scenario_horizon_days(sc), 365);
  assert_true(truce_scenario_time_step(sc) == 1.0);
  assert_true(truce_scenario_seed(sc) == 1);
  assert_string_equal(truce_scenario_law_name(sc), "square");
  assert_null(truce_scenario_start(sc));
  double v;
  assert_int_equal(truce_scenario_get(ctx, sc, "sides.b.personnel.front", &v),
                   0);
  assert_true(v == 800);
  assert_int_equal(
      truce_scenario_get(ctx, sc, "sides.a.personnel.killed_share", &v), 0);
  assert_true(v == 1.0);
  assert_int_equal(truce_scenario_get(ctx, sc, "combat.coefficients.b", &v), 0);
  assert_true(v == 0.02);
  assert_int_equal(truce_scenario_get(ctx, sc, "front.territory.a", &v), 0);
  assert_true(v == 0.5);
  /* The hash is of the bytes: a comment changes it. */
  truce_scenario* sc2 = ts_load(ctx, "# x\ntruce: 1\n" SIDES COMBAT);
  assert_string_not_equal(truce_scenario_sha256(sc),
                          truce_scenario_sha256(sc2));
  truce_scenario_free(sc2);
  truce_scenario_free(sc);
}

static void test_full_scenario_and_provenance(void** state) {
  (void)state;
  const char* y =
      "truce: 1\n"
      "name: full\n"
      "start: 2023-11-01\n"
      "horizon_days: 30\n"
      "time_step: 0.5\n"
      "seed: 18446744073709551615\n"
      "sides:\n"
      "  - id: ua\n"
      "    posture: attack\n"
      "    quality: 1.2\n"
      "    exhaustion_threshold: 100\n"
      "    personnel:\n"
      "      front: {value: 1000, unit: men, source: S1, claimant: C1, "
      "date: 2023-11-01, low: 900, high: 1200}\n"
      "      pool: 5000\n"
      "      recruits_per_month: 300\n"
      "      training_days: 30\n"
      "      killed_share: 0.3\n"
      "      wounded_share: 0.6\n"
      "      missing_share: 0.1\n"
      "      wounded_return_share: 0.5\n"
      "      wounded_return_days: 20\n"
      "      arrivals: [{from_day: 0, to_day: 2, men: 100}]\n"
      "    equipment:\n"
      "      tanks: {stock: 50, soldiers_per_item: 20, loss_per_casualty: "
      "0.01}\n"
      "      guns: {stock: 30, soldiers_per_item: 30, weight: 2}\n"
      "    ammunition: {stock: 1e5, production_per_month: 3e4, "
      "demand_per_day: 1000}\n"
      "  - id: ru\n"
      "    personnel: {front: 2000}\n"
      "combat:\n"
      "  law: helmbold\n"
      "  W: 0.7\n"
      "  defender_advantage: 1.5\n"
      "  ces: {alpha: 0.6, rho: -3}\n"
      "  coefficients: {ua: 0.01, ru: 0.005}\n"
      "front:\n"
      "  length_km: 1000\n"
      "  territory: {ua: 0.82, ru: 0.18}\n"
      "events:\n"
      "  - {day: 3, set: {sides.ua.personnel.recruits_per_month: 500}}\n"
      "  - {date: 2023-11-05, offensive: {side: ua, intensity: 1.5, "
      "duration_days: 10}}\n"
      "  - {day: 1, mobilisation: {side: ru, pool: 1000}, source: decree}\n";
  truce_scenario* sc = ts_load(ctx, y);
  assert_string_equal(truce_scenario_name(sc), "full");
  assert_string_equal(truce_scenario_start(sc), "2023-11-01");
  assert_true(truce_scenario_seed(sc) == 18446744073709551615ULL);
  assert_true(truce_scenario_time_step(sc) == 0.5);
  assert_int_equal(truce_scenario_event_count(sc), 3);
  double v;
  assert_int_equal(
      truce_scenario_get(ctx, sc, "sides.ua.equipment.guns.weight", &v), 0);
  assert_true(v == 2);
  assert_int_equal(truce_scenario_get(ctx, sc, "sides.ua.posture", &v), 0);
  assert_true(v == 1); /* attack */
  /* Provenance of the front strength travels with it. */
  const truce_provenance* p = NULL;
  for (size_t i = 0; i < truce_scenario_provenance_count(sc); i++)
    if (!strcmp(truce_scenario_provenance(sc, i)->path,
                "sides.ua.personnel.front"))
      p = truce_scenario_provenance(sc, i);
  assert_non_null(p);
  assert_true(p->value == 1000);
  assert_string_equal(p->unit, "men");
  assert_string_equal(p->source, "S1");
  assert_string_equal(p->claimant, "C1");
  assert_string_equal(p->date, "2023-11-01");
  assert_int_equal(p->line, 13);
  truce_scenario_free(sc);
}

static void test_set_overrides(void** state) {
  (void)state;
  truce_scenario* sc = ts_load(ctx, "truce: 1\n" SIDES COMBAT);
  double v;
  assert_int_equal(
      truce_scenario_set(ctx, sc, "sides.a.personnel.recruits_per_month=3e4"),
      0);
  truce_scenario_get(ctx, sc, "sides.a.personnel.recruits_per_month", &v);
  assert_true(v == 30000);
  assert_int_equal(truce_scenario_set(ctx, sc, "combat.law=linear"), 0);
  assert_string_equal(truce_scenario_law_name(sc), "linear");
  assert_int_equal(truce_scenario_set(ctx, sc, "seed=99"), 0);
  assert_true(truce_scenario_seed(sc) == 99);
  assert_int_equal(truce_scenario_override_count(sc), 2);
  /* A bad path names the path and suggests the nearest field. */
  assert_int_equal(
      truce_scenario_set(ctx, sc, "sides.a.personnel.recruits_per_mnth=1"),
      TRUCE_EINVAL);
  assert_non_null(strstr(truce_ctx_message(ctx), "recruits_per_mnth"));
  assert_non_null(strstr(truce_ctx_message(ctx),
                         "did you mean "
                         "'sides.a.personnel."
                         "recruits_per_month'?"));
  assert_int_equal(truce_scenario_set(ctx, sc, "sides.zz.quality=1"),
                   TRUCE_EINVAL);
  assert_non_null(strstr(truce_ctx_message(ctx), "unknown side 'zz'"));
  /* Bad values: not a number, out of range, an inconsistent sum (and the
   * scenario is left unchanged). */
  assert_int_equal(truce_scenario_set(ctx, sc, "sides.a.quality=abc"),
                   TRUCE_EINVAL);
  assert_non_null(strstr(truce_ctx_message(ctx), "not a number"));
  assert_int_equal(truce_scenario_set(ctx, sc, "sides.a.personnel.front=-1"),
                   TRUCE_EINVAL);
  assert_non_null(strstr(truce_ctx_message(ctx), "out of range"));
  assert_int_equal(truce_scenario_set(ctx, sc, "sides.a.personnel.front=1e400"),
                   TRUCE_EINVAL);
  assert_non_null(strstr(truce_ctx_message(ctx),
                         "value 1e400 for 'sides.a.personnel.front' is out "
                         "of range; expected a number of soldiers >= 0, at "
                         "most 1e+09"));
  assert_int_equal(truce_scenario_set(ctx, sc, "sides.a.quality=nan"),
                   TRUCE_EINVAL);
  assert_non_null(strstr(truce_ctx_message(ctx), "'nan' is not a number"));
  assert_int_equal(
      truce_scenario_set(ctx, sc, "sides.a.personnel.killed_share=0.5"),
      TRUCE_EINVAL);
  assert_non_null(strstr(truce_ctx_message(ctx), "sum to 1"));
  truce_scenario_get(ctx, sc, "sides.a.personnel.killed_share", &v);
  assert_true(v == 1.0);
  assert_int_equal(truce_scenario_set(ctx, sc, "nonsense"), TRUCE_EINVAL);
  assert_int_equal(truce_scenario_override_count(sc), 2);
  truce_scenario_free(sc);
}

/* ------------------------------------------------ Each bad-input class */

static void test_unknown_key_suggests(void** state) {
  (void)state;
  expect_error("truce: 1\nhorizon_dayz: 10\n" SIDES COMBAT, "bad.yaml:2:1: ",
               "unknown key 'horizon_dayz'; did you mean 'horizon_days'?");
  expect_error(
      "truce: 1\n"
      "sides:\n"
      "  - id: a\n"
      "    personnel: {front: 1000, recruits_per_mnth: 5}\n"
      "  - id: b\n"
      "    personnel: {front: 800}\n" COMBAT,
      "bad.yaml:4:30: ", "did you mean 'recruits_per_month'?");
  expect_error("truce: 1\n" SIDES COMBAT "  intensty: 2\n",
               "bad.yaml:10:3: ", "did you mean 'intensity'?");
  expect_error("truce: 1\n" SIDES
               "combat:\n  law: square\n  coefficients: {a: {value: 0.01, "
               "sorce: x}, b: 0.02}\n",
               "bad.yaml:9:35: ", "did you mean 'source'?");
}

static void test_wrong_type(void** state) {
  (void)state;
  expect_error("truce: 1\nhorizon_days: ten\n" SIDES COMBAT, "bad.yaml:2:15: ",
               "wrong type for 'horizon_days': 'ten' is not a number");
  expect_error("truce: 1\nhorizon_days: \"10\"\n" SIDES COMBAT,
               "bad.yaml:2:16: ", "is not a number");
  expect_error("truce: 1\nhorizon_days: [10]\n" SIDES COMBAT,
               "bad.yaml:2:", "found a list");
  expect_error("truce: 1\nsides: {a: 1}\n" COMBAT,
               "bad.yaml:2:", "expected a list");
  expect_error("truce: 1\n" SIDES
               "combat:\n  law: sqare\n  coefficients: {a: "
               "0.01, b: 0.02}\n",
               "bad.yaml:8:8: ", "did you mean 'square'");
}

static void test_out_of_range(void** state) {
  (void)state;
  expect_error(
      "truce: 1\n"
      "sides:\n"
      "  - id: a\n"
      "    personnel: {front: -5}\n"
      "  - id: b\n"
      "    personnel: {front: 800}\n" COMBAT,
      "bad.yaml:4:24: ",
      "value -5 for 'sides.a.personnel.front' is "
      "out of range; expected");
  expect_error(
      "truce: 1\n"
      "sides:\n"
      "  - id: a\n"
      "    personnel: {front: 5, wounded_return_share: 1.2}\n"
      "  - id: b\n"
      "    personnel: {front: 800}\n" COMBAT,
      "bad.yaml:4:49: ", "a fraction from 0 to 1");
  expect_error("truce: 1\nhorizon_days: 0\n" SIDES COMBAT,
               "bad.yaml:2:15: ", "out of range");
  expect_error("truce: 1\nhorizon_days: 2.5\n" SIDES COMBAT,
               "bad.yaml:2:15: ", "whole number");
  expect_error("truce: 1\ntime_step: 0.3\n" SIDES COMBAT,
               "bad.yaml:2:1: ", "does not divide one day");
  expect_error(
      "truce: 1\n"
      "sides:\n"
      "  - id: a\n"
      "    personnel: {front: 5, killed_share: 0.3, wounded_share: "
      "0.6}\n"
      "  - id: b\n"
      "    personnel: {front: 800}\n" COMBAT,
      "bad.yaml:4:5: ", "sum to 1");
  expect_error("truce: 1\n" SIDES COMBAT
               "front:\n  territory: {a: 0.7, b: 0.5}\n",
               "bad.yaml:11:3: ", "at most 1");
  expect_error("truce: 1\n" SIDES COMBAT "combat2: 1\n",
               "bad.yaml:10:1: ", "did you mean 'combat'");
  /* too large for a double, or above a bound the expectation does not
   * name: the bound is named */
  expect_error("truce: 1\nhorizon_days: 1e400\n" SIDES COMBAT,
               "bad.yaml:2:15: ",
               "value 1e400 for 'horizon_days' is out of range; expected a "
               "whole number of days from 1 to 100000");
  expect_error(
      "truce: 1\n"
      "sides:\n"
      "  - id: a\n"
      "    personnel: {front: 2e9}\n"
      "  - id: b\n"
      "    personnel: {front: 800}\n" COMBAT,
      "bad.yaml:4:24: ",
      "value 2e9 for 'sides.a.personnel.front' is out of range; "
      "expected a number of soldiers >= 0, at most 1e+09");
  /* nan and inf are not numbers; an underflow is a tiny one */
  expect_error("truce: 1\nhorizon_days: nan\n" SIDES COMBAT,
               "bad.yaml:2:15: ", "'nan' is not a number");
  expect_error(
      "truce: 1\n"
      "sides:\n"
      "  - id: a\n"
      "    personnel: {front: inf}\n"
      "  - id: b\n"
      "    personnel: {front: 800}\n" COMBAT,
      "bad.yaml:4:24: ", "'inf' is not a number");
  truce_scenario* sc = ts_load(ctx,
                               "truce: 1\n"
                               "sides:\n"
                               "  - id: a\n"
                               "    personnel: {front: 5, "
                               "wounded_return_share: 1e-320}\n"
                               "  - id: b\n"
                               "    personnel: {front: 800}\n" COMBAT);
  truce_scenario_free(sc);
}

static void test_missing_required(void** state) {
  (void)state;
  expect_error("truce: 1\n" SIDES
               "combat:\n  coefficients: {a: 0.01, b: 0.02}\n",
               "bad.yaml:7:1: ", "missing required field 'combat.law'");
  expect_error("truce: 1\n" COMBAT,
               "bad.yaml:1:1: ", "missing required field 'sides'");
  expect_error("truce: 1\n" SIDES,
               "bad.yaml:1:1: ", "missing required field 'combat'");
  expect_error(
      "truce: 1\n" SIDES
      "combat:\n  law: square\n  coefficients: "
      "{a: 0.01}\n",
      "bad.yaml:7:1: ", "missing required field 'combat.coefficients.b'");
  expect_error(
      "truce: 1\n"
      "sides:\n"
      "  - id: a\n"
      "    personnel: {pool: 5}\n"
      "  - id: b\n"
      "    personnel: {front: 800}\n" COMBAT,
      "bad.yaml:3:5: ",
      "missing required field "
      "'sides.a.personnel.front'");
  expect_error(SIDES COMBAT,
               "bad.yaml:1:1: ", "missing required field 'truce'");
  expect_error("truce: 2\n" SIDES COMBAT,
               "bad.yaml:1:8: ", "unsupported format version '2'");
  expect_error(
      "truce: 1\n"
      "sides:\n"
      "  - personnel: {front: 1}\n"
      "  - id: b\n"
      "    personnel: {front: 800}\n" COMBAT,
      "bad.yaml:3:5: ", "missing required field 'sides[0].id'");
  expect_error("truce: 1\n" SIDES COMBAT
               "events:\n  - {set: {combat.intensity: 2}}\n",
               "bad.yaml:11:6: ", "no day or date");
}

static void test_duplicate_and_unknown_side(void** state) {
  (void)state;
  expect_error(
      "truce: 1\n"
      "sides:\n"
      "  - id: a\n"
      "    personnel: {front: 1000}\n"
      "  - id: a\n"
      "    personnel: {front: 800}\n" COMBAT,
      "bad.yaml:5:9: ", "duplicate side id 'a'");
  expect_error("truce: 1\n" SIDES
               "combat:\n  law: square\n  coefficients: "
               "{a: 0.01, c: 0.02}\n",
               "bad.yaml:9:27: ", "unknown side 'c'");
  expect_error(
      "truce: 1\n" SIDES COMBAT
      "events:\n  - {day: 2, offensive: {side: x, duration_days: 3}}\n",
      "bad.yaml:11:32: ", "unknown side 'x'");
  expect_error("truce: 1\n" SIDES COMBAT
               "events:\n  - {day: 2, set: {sides.x.quality: 2}}\n",
               "bad.yaml:11:20: ", "unknown side 'x'");
  expect_error(
      "truce: 1\nsides:\n  - id: a\n    personnel: {front: 1}\n" COMBAT,
      "bad.yaml:2:1: ", "expected exactly two belligerents");
}

static void test_malformed_empty_unreadable(void** state) {
  (void)state;
  expect_error("truce: 1\nsides: [\n", "bad.yaml:3:1: ", "malformed YAML");
  expect_error("truce: 1\nname: a\nname: b\n" SIDES COMBAT,
               "bad.yaml:3:1: ", "duplicate key");
  expect_error("", "bad.yaml:1:1: ", "the file is empty");
  expect_error("  \n\n", "bad.yaml:1:1: ", "the file is empty");
  expect_error("- 1\n- 2\n", "bad.yaml:1:", "expected a mapping");
  truce_scenario* sc = (truce_scenario*)0x1;
  assert_int_equal(truce_scenario_load(ctx, "/nonexistent/x.yaml", &sc),
                   TRUCE_EIO);
  assert_null(sc);
  assert_non_null(strstr(ts_error_text(ctx),
                         "/nonexistent/x.yaml:1:1: error: cannot read"));
  assert_string_equal(truce_ctx_file(ctx), "/nonexistent/x.yaml");
  assert_int_equal(truce_ctx_line(ctx), 1);
  assert_int_equal(truce_ctx_column(ctx), 1);
}

#define SIDE_A(front)             \
  "truce: 1\n"                    \
  "sides:\n"                      \
  "  - id: a\n"                   \
  "    personnel: {front: " front \
  "}\n"                           \
  "  - id: b\n"                   \
  "    personnel: {front: 800}\n" COMBAT

static void test_distribution_errors(void** state) {
  (void)state;
  /* column 25 is the '{' of the record, 31 the value of dist: */
  expect_error(SIDE_A("{dist: normal}"),
               "bad.yaml:4:31: ", "normal needs mean, sd");
  expect_error(SIDE_A("{dist: normal, mean: 5, sd: 0}"),
               "bad.yaml:4:31: ", "sd must be > 0");
  expect_error(SIDE_A("{dist: normal, mean: 5, sd: 1, mode: 3}"),
               "bad.yaml:4:31: ", "normal does not take mode");
  expect_error(SIDE_A("{dist: normel, mean: 5, sd: 1}"), "bad.yaml:4:31: ",
               "unknown distribution 'normel' for 'sides.a.personnel.front' "
               "(did you mean 'normal'?)");
  expect_error(SIDE_A("{dist: triangular, min: 5, mode: 9, max: 8}"),
               "bad.yaml:4:31: ", "mode 9 is outside [min 5, max 8]");
  expect_error(SIDE_A("{dist: uniform, min: 5, max: 5}"),
               "bad.yaml:4:31: ", "min 5 is not below max 5");
  expect_error(SIDE_A("{dist: discrete, values: [1, 2], weights: [0.5, 0.6]}"),
               "bad.yaml:4:31: ", "weights sum to 1.1");
  expect_error(SIDE_A("{dist: discrete, values: [1, 2, 3], weights: [0.5, "
                      "0.5]}"),
               "bad.yaml:4:31: ", "3 values but 2 weights");
  expect_error(SIDE_A("{dist: discrete, values: [-1, 2], weights: [0.5, "
                      "0.5]}"),
               "bad.yaml:4:31: ", "value -1 is out of range");
  expect_error(SIDE_A("{dist: normal, mean: -500, sd: 1}"),
               "bad.yaml:4:31: ", "no probability inside");
  expect_error(SIDE_A("{dist: beta, alpha: 0, beta: 1}"),
               "bad.yaml:4:31: ", "alpha and beta must be > 0");
  expect_error(SIDE_A("{dist: gamma, shape: 2}"),
               "bad.yaml:4:31: ", "gamma needs scale");
  expect_error(SIDE_A("{dist: pert, min: 1, mode: 2, max: 3, sd: 2}"),
               "bad.yaml:4:31: ", "pert does not take sd");
  expect_error(SIDE_A("{dist: normal, mean: 5, sd: 1, sd: 2}"),
               "bad.yaml:4:", "duplicate key");
  expect_error(SIDE_A("{value: 5, low: 6}"),
               "bad.yaml:4:32: ", "low <= value <= high");
  /* not every number may be uncertain */
  expect_error(
      "truce: 1\nhorizon_days: {dist: uniform, min: 1, max: 9}\n" SIDES COMBAT,
      "bad.yaml:2:22: ", "'horizon_days' cannot be uncertain");
  expect_error("truce: 1\nranges: pret\n" SIDES COMBAT,
               "bad.yaml:2:9: ", "did you mean 'pert'");
}

/* Sample mean and variance of each distribution over 20,000 runs, within
 * 5 standard errors (mean) and 10% (variance). */
static void check_dist(const char* spec, double mean, double var) {
  char y[1024];
  snprintf(y, sizeof y,
           "truce: 1\nseed: 99\nsides:\n  - id: a\n    quality: %s\n"
           "    personnel: {front: 1}\n  - id: b\n    personnel: {front: "
           "1}\n" COMBAT,
           spec);
  truce_scenario* sc = ts_load(ctx, y);
  assert_int_equal(truce_scenario_uncertain_count(sc), 1);
  assert_string_equal(truce_scenario_uncertain_path(sc, 0), "sides.a.quality");
  int n = 20000;
  double s = 0, s2 = 0;
  for (int r = 0; r < n; r++) {
    double v;
    assert_int_equal(truce_scenario_sample(ctx, sc, (uint64_t)r, &v), 0);
    assert_true(v > 0); /* quality > 0: truncated to the field's range */
    s += v;
    s2 += v * v;
  }
  double m = s / n, vv = s2 / n - m * m;
  if (fabs(m - mean) > 5 * sqrt(var / n) || fabs(vv - var) > 0.1 * var)
    fail_msg("%s: mean %g (expected %g), var %g (expected %g)", spec, m, mean,
             vv, var);
  truce_scenario_free(sc);
}

static void test_distribution_moments(void** state) {
  (void)state;
  check_dist("{dist: normal, mean: 2.385, sd: 0.3}", 2.385, 0.09);
  check_dist("{dist: lognormal, mu: 0.1, sigma: 0.25}",
             exp(0.1 + 0.25 * 0.25 / 2), (exp(0.0625) - 1) * exp(0.2 + 0.0625));
  check_dist("{dist: uniform, min: 1, max: 4}", 2.5, 0.75);
  /* triangular(a, c, b): mean (a+b+c)/3, var (a2+b2+c2-ab-ac-bc)/18 */
  check_dist("{dist: triangular, min: 1, mode: 2, max: 4}", 7.0 / 3,
             (1 + 4 + 16 - 2 - 4 - 8) / 18.0);
  /* PERT(a, m, b): mean (a+4m+b)/6; var from the beta(α, β) shape */
  double al = 1 + 4 * (2 - 1) / 3.0, be = 1 + 4 * (4 - 2) / 3.0;
  check_dist("{dist: pert, min: 1, mode: 2, max: 4}", (1 + 8 + 4) / 6.0,
             9 * al * be / ((al + be) * (al + be) * (al + be + 1)));
  check_dist("{dist: beta, alpha: 2, beta: 5, min: 1, max: 3}", 1 + 2 * 2.0 / 7,
             4 * 10.0 / (49 * 8));
  check_dist("{dist: gamma, shape: 4, scale: 0.5}", 2, 1);
  check_dist("{dist: discrete, values: [1, 2, 5], weights: [0.2, 0.5, 0.3]}",
             0.2 + 1 + 1.5, 0.2 + 2 + 7.5 - 2.7 * 2.7);
  /* a range becomes PERT(low, value, high) */
  check_dist("{value: 2, low: 1, high: 4}", (1 + 8 + 4) / 6.0,
             9 * al * be / ((al + be) * (al + be) * (al + be + 1)));
  /* truncation: normal(1, 1) in [0.5, 1.5] is symmetric about 1 */
  check_dist("{dist: normal, mean: 1, sd: 1, min: 0.5, max: 1.5}", 1,
             1 - 2 * 0.5 * exp(-0.125) / sqrt(2 * 3.14159265358979323846) /
                     (erf(0.5 / sqrt(2))));
}

/* Draws depend on (seed, run, path) only; ranges: fixed and --set fix. */
static void test_uncertain_streams(void** state) {
  (void)state;
  const char* y =
      "truce: 1\n"
      "sides:\n"
      "  - id: a\n"
      "    quality: {value: 1, low: 0.5, high: 2}\n"
      "    personnel: {front: {dist: uniform, min: 100, max: 200}}\n"
      "  - id: b\n"
      "    personnel: {front: 800, recruits_per_month: {dist: gamma, shape: "
      "2, scale: 3}}\n" COMBAT;
  truce_scenario* sc = ts_load(ctx, y);
  assert_int_equal(truce_scenario_uncertain_count(sc), 3);
  double v1[3], v2[3];
  truce_scenario_sample(ctx, sc, 5, v1);
  truce_scenario_sample(ctx, sc, 5, v2);
  assert_memory_equal(v1, v2, sizeof v1);
  truce_scenario_sample(ctx, sc, 6, v2);
  assert_true(v1[0] != v2[0] && v1[1] != v2[1]);
  /* the point value of a dist without value: is its median */
  double v;
  truce_scenario_get(ctx, sc, "sides.a.personnel.front", &v);
  assert_true(fabs(v - 150) < 1e-9);
  /* removing an uncertain parameter does not change the others' draws */
  assert_int_equal(truce_scenario_set(ctx, sc, "sides.a.quality=1.5"), 0);
  assert_int_equal(truce_scenario_uncertain_count(sc), 2);
  truce_scenario_sample(ctx, sc, 5, v2);
  assert_true(v2[0] == v1[1] && v2[1] == v1[2]);
  truce_scenario_free(sc);
  /* ranges: fixed keeps ranges as documentation only */
  char y2[1024];
  snprintf(y2, sizeof y2, "ranges: fixed\n%s", y);
  sc = ts_load(ctx, y2);
  assert_int_equal(truce_scenario_uncertain_count(sc), 2);
  truce_scenario_free(sc);
}

static void test_events_validated(void** state) {
  (void)state;
  expect_error("truce: 1\n" SIDES COMBAT
               "events:\n  - {day: 2, set: {sides.a.personnel.front: 5}}\n",
               "bad.yaml:11:20: ", "initial condition");
  expect_error("truce: 1\n" SIDES COMBAT
               "events:\n  - {date: 2023-01-01, set: {combat.intensity: 2}}\n",
               "bad.yaml:11:", "no 'start'");
  expect_error("truce: 1\nstart: 2023-11-01\n" SIDES COMBAT
               "events:\n  - {date: 2023-10-01, set: {combat.intensity: 2}}\n",
               "bad.yaml:12:", "before the start");
  expect_error("truce: 1\n" SIDES COMBAT
               "events:\n  - {day: 2, set: {combat.intensity: -2}}\n",
               "bad.yaml:11:38: ", "out of range");
  expect_error("truce: 1\n" SIDES COMBAT
               "events:\n  - {day: 2, offensive: {side: a}}\n",
               "bad.yaml:11:", "duration_days");
}

/* Events come out sorted by day and, within a day, in file order (the
 * merge sort is stable), however they are listed. */
static void test_events_sorted_stably(void** state) {
  (void)state;
  char y[8192] = "truce: 1\nhorizon_days: 60\n" SIDES COMBAT "events:\n";
  static const int days[] = {9, 3, 9, 1, 3, 9, 0, 1, 3, 2};
  for (int i = 0; i < 10; i++) {
    char line[96];
    snprintf(line, sizeof line,
             "  - {day: %d, set: {combat.intensity: %.3f}}\n", days[i],
             1.0 + 0.125 * i);
    strcat(y, line);
  }
  truce_scenario* sc = ts_load(ctx, y);
  const truce__model* m = truce__scenario_model(sc);
  assert_int_equal(m->n_events, 10);
  for (size_t k = 1; k < m->n_events; k++) {
    const truce__event *a = &m->events[k - 1], *b = &m->events[k];
    assert_true(a->day <= b->day);
    if (a->day == b->day) assert_true(a->value < b->value); /* file order */
  }
  truce_scenario_free(sc);
}

/* Input a hostile user would write: each is refused with its position,
 * quickly and without reading uninitialised memory. */
static void test_hostile_input(void** state) {
  (void)state;
  /* on 2f391e1 this printed a garbage version from an unset buffer */
  expect_error("truce: [1]\n", "bad.yaml:1:9: ",
               "unsupported format version a list; expected 'truce: 1'");
  expect_error("truce: 2\n",
               "bad.yaml:1:8: ", "unsupported format version '2'");
  /* libfyaml 0.7.12 loops forever on a directive then a non-ASCII byte */
  expect_error("%\x9b", "bad.yaml:1:1: ", "directives");
  expect_error("%YAML 1.2\n---\ntruce: 1\n", "bad.yaml:1:1: ", "directives");
  expect_error("truce: 1\nname: \xc3\x28\n", "bad.yaml:2:7: ", "not UTF-8");
  expect_error("truce: 1\nname: \xed\xa0\x80\n",
               "bad.yaml:2:7: ", "not UTF-8"); /* a surrogate */
  expect_error("truce: 1\nname: a\x1b[31m\n",
               "bad.yaml:2:8: ", "control character 0x1B");
  char deep[256] = "truce: 1\nx: ";
  for (int i = 0; i < 70; i++) strcat(deep, "[");
  expect_error(deep, "bad.yaml:2:68: ", "nested more than 64 deep");
  size_t big = (1u << 20) + 1;
  char* text = malloc(big + 1);
  memset(text, '#', big);
  text[big] = '\0';
  for (size_t i = 100; i < big; i += 100) text[i] = '\n';
  expect_error(text, "bad.yaml:1:1: ", "more than the limit of 1048576");
  free(text);
  /* issue and option names reach the report and the terminal */
  const char* nego =
      "truce: 1\n" SIDES COMBAT
      "negotiation:\n"
      "  issues:\n"
      "    \"<img src=y onerror=alert(6)>\": {options: [p, q], status_quo: p}\n"
      "  sides:\n"
      "    a: {weights: {territory: 1}, bargaining_power: 0.5}\n"
      "    b: {weights: {territory: 1}, bargaining_power: 0.5}\n";
  expect_error(nego, "bad.yaml:12:6: ", "bad issue name '<img src=y");
  nego = "truce: 1\n" SIDES COMBAT
         "negotiation:\n"
         "  issues:\n"
         "    x: {options: [p, \"x <!--<script> y\"], status_quo: p}\n"
         "  sides:\n"
         "    a: {weights: {territory: 1}, bargaining_power: 0.5}\n"
         "    b: {weights: {territory: 1}, bargaining_power: 0.5}\n";
  expect_error(nego, "bad.yaml:12:23: ", "bad option name 'x <!--<script> y'");
}

static void test_stakeholder_links(void** state) {
  (void)state;
  truce_scenario* sc =
      ts_load(ctx, "truce: 1\n" SIDES COMBAT
                   "stakeholders:\n"
                   "  - {file: g.yaml, dimension: aid, sets: sides.a.quality, "
                   "to: [0.5, 1.5]}\n");
  assert_int_equal(truce_scenario_link_count(sc), 1);
  const truce_stake_link* l = truce_scenario_link(sc, 0);
  assert_string_equal(l->file, "g.yaml");
  assert_string_equal(l->model, "compromise");
  assert_string_equal(l->path, "sides.a.quality");
  assert_true(l->from[0] == 0 && l->from[1] == 100 && l->to[1] == 1.5);
  truce_scenario_free(sc);
  expect_error("truce: 1\n" SIDES COMBAT
               "stakeholders:\n"
               "  - {file: g.yaml, dimension: aid, sets: sides.a.qualty, "
               "to: [0, 1]}\n",
               "bad.yaml:11:42: ", "did you mean 'sides.a.quality'?");
  expect_error("truce: 1\n" SIDES COMBAT
               "stakeholders:\n"
               "  - {file: g.yaml, dimension: aid, sets: sides.a.quality, "
               "to: [0, 1], modle: pce}\n",
               "bad.yaml:11:", "did you mean 'model'");
  expect_error("truce: 1\n" SIDES COMBAT
               "stakeholders:\n"
               "  - {file: g.yaml, sets: sides.a.quality, to: [0, 1]}\n",
               "bad.yaml:11:6: ", "needs file, dimension, sets and to");
}

/* Every allocation of a load may fail: the result is TRUCE_ENOMEM (or a
 * clean success past the last allocation), never a leak or a crash. */
static void test_oom_sweep(void** state) {
  (void)state;
  const char* y =
      "truce: 1\n"
      "sides:\n"
      "  - id: a\n"
      "    personnel: {front: {value: 1, source: s}}\n"
      "    equipment: {t: {stock: 5, soldiers_per_item: 2}}\n"
      "  - id: b\n"
      "    personnel: {front: 800}\n" COMBAT
      "events:\n  - {day: 2, set: {combat.intensity: 2}}\n";
  int successes = 0;
  for (long k = 1; k < 200; k++) {
    ts_alloc a = {.fail_at = k};
    truce_ctx* c;
    if (truce_ctx_new(&c, ts_alloc_fn, &a)) {
      assert_int_equal(a.live, 0);
      continue;
    }
    truce_scenario* sc = NULL;
    int rc = truce_scenario_load_string(c, "oom.yaml", y, strlen(y), &sc);
    if (rc) {
      assert_int_equal(rc, TRUCE_ENOMEM);
      assert_null(sc);
    } else {
      successes++;
      assert_int_equal(truce_scenario_set(c, sc, "combat.intensity=2") == 0 ||
                           truce_ctx_code(c) == TRUCE_ENOMEM,
                       1);
    }
    truce_scenario_free(sc);
    truce_ctx_free(c);
    ts_alloc_check(&a);
  }
  assert_true(successes > 0);
}

/* truce_scenario_params lists exactly the paths the resolver accepts:
 * each resolves, to its own slot, with the value truce_scenario_get reads;
 * every number of the file that resolves is listed; the uncertain ones
 * are those truce_scenario_uncertain_path names. */
static void test_params_list_every_settable_path(void** state) {
  (void)state;
  char path[1024];
  snprintf(path, sizeof path, "%s/scenarios/ukraine-2023-11.yaml",
           getenv("TRUCE_SOURCE_DIR") ? getenv("TRUCE_SOURCE_DIR") : ".");
  truce_scenario* sc;
  assert_int_equal(truce_scenario_load(ctx, path, &sc), 0);
  truce_param* p;
  size_t n;
  assert_int_equal(truce_scenario_params(ctx, sc, &p, &n), 0);
  assert_true(n > 200);
  size_t* offs = calloc(n, sizeof *offs);
  assert_non_null(offs);
  size_t n_unc = 0;
  for (size_t i = 0; i < n; i++) {
    const truce__field* f;
    double v;
    assert_int_equal(truce__scenario_resolve(ctx, sc, p[i].path, &f, &offs[i]),
                     0);
    assert_int_equal(truce_scenario_get(ctx, sc, p[i].path, &v), 0);
    assert_true(v == p[i].value);
    for (size_t j = 0; j < i; j++) assert_true(offs[j] != offs[i]);
    if (p[i].distribution) {
      n_unc++;
      assert_true(p[i].dist_lo <= p[i].value && p[i].value <= p[i].dist_hi);
    }
  }
  assert_int_equal(n_unc, truce_scenario_uncertain_count(sc));
  for (size_t k = 0; k < truce_scenario_uncertain_count(sc); k++) {
    const char* up = truce_scenario_uncertain_path(sc, k);
    size_t i = 0;
    while (i < n && strcmp(p[i].path, up)) i++;
    assert_true(i < n && p[i].distribution);
  }
  for (size_t k = 0; k < truce_scenario_provenance_count(sc); k++) {
    const truce_provenance* pv = truce_scenario_provenance(sc, k);
    const truce__field* f;
    size_t off;
    if (truce__scenario_resolve(NULL, sc, pv->path, &f, &off)) continue;
    size_t i = 0;
    while (i < n && strcmp(p[i].path, pv->path)) i++;
    assert_true(i < n);
    assert_ptr_equal(p[i].provenance, pv);
  }
  free(offs);
  truce_scenario_params_free(ctx, p, n);
  truce_scenario_free(sc);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_minimal_scenario_and_defaults),
      cmocka_unit_test(test_full_scenario_and_provenance),
      cmocka_unit_test(test_set_overrides),
      cmocka_unit_test(test_unknown_key_suggests),
      cmocka_unit_test(test_wrong_type),
      cmocka_unit_test(test_out_of_range),
      cmocka_unit_test(test_missing_required),
      cmocka_unit_test(test_duplicate_and_unknown_side),
      cmocka_unit_test(test_malformed_empty_unreadable),
      cmocka_unit_test(test_distribution_errors),
      cmocka_unit_test(test_distribution_moments),
      cmocka_unit_test(test_uncertain_streams),
      cmocka_unit_test(test_events_validated),
      cmocka_unit_test(test_events_sorted_stably),
      cmocka_unit_test(test_hostile_input),
      cmocka_unit_test(test_stakeholder_links),
      cmocka_unit_test(test_params_list_every_settable_path),
      cmocka_unit_test(test_oom_sweep),
  };
  return ts_run_group(tests, ts_ctx_setup, ts_ctx_teardown);
}
