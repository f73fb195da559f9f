/* SPDX-License-Identifier: GPL-3.0-or-later
 * Unit tests of the no-hindsight check (src/scenario/asof.c) and of
 * overlays (truce_scenario_overlay): a number or an event dated after
 * as_of is an error at its FILE:LINE:COL naming the field and the date; a
 * known-outcome event is refused outside an overlay and allowed in one,
 * where every event must be one; the overlay's events reach the engine. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "support.h"

#define HEAD                                         \
  "truce: 1\nas_of: 2023-11-04\nstart: 2023-11-04\n" \
  "horizon_days: 40\n"
#define REST                                                          \
  "sides:\n"                                                          \
  "  - id: a\n"                                                       \
  "    personnel: {front: 1000, pool: 5000, recruits_per_month: 0}\n" \
  "  - id: b\n"                                                       \
  "    personnel: {front: 800}\n"                                     \
  "combat: {law: square, coefficients: {a: 0.001, b: 0.002}}\n"

static void test_number_after_as_of(void** state) {
  (void)state;
  ts_expect_error(ctx,
                  HEAD
                  "sides:\n  - id: a\n"
                  "    personnel: {front: {value: 1000, source: s, "
                  "date: 2023-12-14}}\n"
                  "  - id: b\n    personnel: {front: 800}\n"
                  "combat: {law: square, coefficients: {a: 1, b: 1}}\n",
                  "bad.yaml:7:32: error:",
                  "'sides.a.personnel.front' is dated 2023-12-14, after "
                  "as_of 2023-11-04");
  /* a month counts from its first day, a year from 1 January */
  ts_expect_error(
      ctx, HEAD REST "front: {length_km: {value: 900, date: 2024}}\n",
      "bad.yaml:11:28: error:", "'front.length_km' is dated 2024, after as_of");
  ts_expect_error(ctx,
                  HEAD REST
                  "front: {length_km: {value: 900, date: "
                  "'Dec 2023'}}\n",
                  "bad.yaml:11:28: error:",
                  "bad date 'Dec 2023' for 'front.length_km'; expected "
                  "YYYY, YYYY-MM or YYYY-MM-DD");
  ts_expect_error(ctx, "truce: 1\nas_of: 2023-11-31\n" REST,
                  "bad.yaml:2:8: error:",
                  "bad date '2023-11-31' for "
                  "'as_of'; expected YYYY-MM-DD");
}

static void test_event_after_as_of(void** state) {
  (void)state;
  ts_expect_error(ctx,
                  HEAD REST
                  "events:\n"
                  "  - {name: law, date: 2024-05-18, mobilisation: "
                  "{side: a, pool: 100}}\n",
                  "bad.yaml:12:23: error:",
                  "events[0] ('law') happens on 2024-05-18, after as_of "
                  "2023-11-04");
  ts_expect_error(
      ctx,
      HEAD REST
      "events:\n"
      "  - {day: 3, mobilisation: {side: a, pool: 100}}\n",
      "bad.yaml:12:11: error:", "events[0] happens on 2023-11-07, after as_of");
  /* a number inside an event is checked too */
  ts_expect_error(ctx,
                  HEAD REST
                  "events:\n"
                  "  - {day: 0, offensive: {side: b, duration_days: "
                  "{value: 105, date: 2024-02-17}}}\n",
                  "bad.yaml:12:58: error:",
                  "'events[0].offensive.duration_days' is dated "
                  "2024-02-17, after as_of 2023-11-04");
  /* a known outcome belongs in an overlay, with or without as_of */
  ts_expect_error(ctx,
                  "truce: 1\nstart: 2023-11-04\n" REST
                  "events:\n"
                  "  - {name: law, date: 2024-05-18, known_outcome: true, "
                  "mobilisation: {side: a, pool: 100}}\n",
                  "bad.yaml:10:35: error:",
                  "events[0] ('law') is a known-outcome event; expected it "
                  "only in an overlay");
  ts_expect_error(ctx,
                  HEAD REST
                  "events:\n"
                  "  - {day: 0, known_outcome: maybe, mobilisation: "
                  "{side: a, pool: 100}}\n",
                  "bad.yaml:12:29: error:",
                  "bad value 'maybe' for 'events[0].known_outcome'");
}

/* What is dated on or before as_of loads, and as_of is reported. */
static void test_allowed(void** state) {
  (void)state;
  truce_scenario* sc =
      ts_load(ctx, HEAD REST
              "front: {length_km: {value: 900, date: 2023-11}}\n"
              "events:\n"
              "  - {day: 0, known_outcome: false, offensive: {side: "
              "b, duration_days: {value: 30, date: 2023-11-04}}}\n");
  assert_string_equal(truce_scenario_as_of(sc), "2023-11-04");
  assert_int_equal(truce_scenario_event_count(sc), 1);
  truce_scenario_free(sc);
  /* without as_of nothing is checked */
  sc = ts_load(ctx, "truce: 1\nstart: 2023-11-04\nhorizon_days: 40\n" REST
                    "front: {length_km: {value: 900, date: 2030}}\n");
  assert_null(truce_scenario_as_of(sc));
  truce_scenario_free(sc);
}

static char path[64];

static void write_overlay(const char* text) {
  snprintf(path, sizeof path, "overlay_%ld.yaml", (long)getpid());
  FILE* f = fopen(path, "w");
  assert_non_null(f);
  fputs(text, f);
  fclose(f);
}

/* Side a's pool at the horizon, deterministic. */
static int pool_at_end(void* user, const truce_day* d) {
  *(double*)user = d->side[0].pool;
  return 0;
}

static double run_pool(truce_scenario* sc) {
  truce_sim* sim;
  double pool = -1;
  assert_int_equal(truce_sim_new(ctx, sc, &sim), 0);
  assert_int_equal(
      truce_sim_run(sim, 0, TRUCE_SIM_DETERMINISTIC, pool_at_end, &pool), 0);
  truce_sim_free(sim);
  return pool;
}

static void test_overlay(void** state) {
  (void)state;
  /* the base's own event stays: its pool and the overlay's add up */
  truce_scenario* sc = ts_load(ctx, HEAD REST
                               "events:\n"
                               "  - {day: 0, mobilisation: {side: a, "
                               "pool: 1000}}\n");
  double before = run_pool(sc);
  write_overlay(
      "truce: 1\noverlay: the record\nevents:\n"
      "  - name: law\n    date: 2023-11-20\n"
      "    known_outcome: true\n"
      "    mobilisation: {side: a, pool: {value: 2385, source: "
      "law, claimant: parliament, date: 2023-11-20}}\n");
  int rc = truce_scenario_overlay(ctx, sc, path);
  if (rc) fail_msg("%s", truce_ctx_message(ctx));
  assert_int_equal(truce_scenario_event_count(sc), 2);
  double added = run_pool(sc) - before;
  assert_true(added > 2385 - 1e-6 && added < 2385 + 1e-6);
  size_t n = truce_scenario_override_count(sc);
  assert_true(n == 1 && strstr(truce_scenario_override(sc, 0), "--overlay "));
  truce_scenario_free(sc);
  /* every event of an overlay is a known outcome */
  sc = ts_load(ctx, HEAD REST);
  write_overlay(
      "truce: 1\noverlay: the record\nevents:\n"
      "  - {name: law, date: 2023-11-20, mobilisation: "
      "{side: a, pool: 100}}\n");
  assert_int_equal(truce_scenario_overlay(ctx, sc, path), TRUCE_EINVAL);
  char where[256];
  snprintf(where, sizeof where,
           "%s:4:6: error: events[0] ('law') in an "
           "overlay is not marked 'known_outcome: true'",
           path);
  assert_non_null(strstr(ts_error_text(ctx), where));
  truce_scenario_free(sc);
  /* an overlay holds only events */
  sc = ts_load(ctx, HEAD REST);
  write_overlay("truce: 1\noverlay: x\nevents: []\nas_of: 2025-01-01\n");
  assert_int_equal(truce_scenario_overlay(ctx, sc, path), TRUCE_EINVAL);
  snprintf(where, sizeof where,
           "%s:4:1: error: unknown key 'as_of' in an "
           "overlay",
           path);
  assert_non_null(strstr(ts_error_text(ctx), where));
  truce_scenario_free(sc);
  remove(path);
}

/* Every allocation of loading a scenario with as_of and adding an
 * overlay may fail: TRUCE_ENOMEM, nothing leaked. */
static int oom_step(truce_ctx* c, void* user) {
  (void)user;
  const char* y = HEAD REST
      "events:\n  - {day: 0, mobilisation: {side: a, "
      "pool: 1000}}\n";
  truce_scenario* sc = NULL;
  int rc = truce_scenario_load_string(c, "oom.yaml", y, strlen(y), &sc);
  if (!rc) rc = truce_scenario_overlay(c, sc, path);
  if (!rc) assert_int_equal(truce_scenario_event_count(sc), 2);
  truce_scenario_free(sc);
  return rc;
}

static void test_oom_sweep(void** state) {
  (void)state;
  write_overlay(
      "truce: 1\noverlay: the record\nevents:\n"
      "  - {name: law, date: 2023-11-20, known_outcome: true, "
      "mobilisation: {side: a, pool: {value: 5, date: 2024-01}}}\n");
  ts_oom_sweep(oom_step, NULL, 2000);
  remove(path);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_number_after_as_of),
      cmocka_unit_test(test_event_after_as_of),
      cmocka_unit_test(test_allowed),
      cmocka_unit_test(test_overlay),
      cmocka_unit_test(test_oom_sweep),
  };
  return ts_run_group(tests, ts_ctx_setup, ts_ctx_teardown);
}
