/* SPDX-License-Identifier: GPL-3.0-or-later
 * Stakeholder models: hand-computed cases, invariances, convergence on
 * KTAB's examples, input errors with positions, and DEU III numbers. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../../src/stake/stake_int.h"
#include "support.h"

static double solve1(truce_stake* st, int model, size_t k) {
  truce_stake_result* r;
  if (truce_stake_solve(ctx, st, model, NULL, &r))
    fail_msg("%s", truce_ctx_message(ctx));
  double v = r->outcome[k];
  truce_stake_result_free(ctx, r);
  return v;
}

/* compromise = sum c s x / sum c s; weighted median by c s */
static void test_hand_computed(void** s) {
  (void)s;
  double cap[] = {2, 1, 1}, pos[] = {10, 50, 90}, sal[] = {50, 100, 50};
  truce_stake* st;
  assert_int_equal(
      truce_stake_from_arrays(ctx, 3, 1, cap, pos, sal, 0, 100, &st), 0);
  /* (2*50*10 + 1*100*50 + 1*50*90) / (100 + 100 + 50) = 10500 / 250 */
  assert_true(fabs(solve1(st, TRUCE_STAKE_COMPROMISE, 0) - 42) < 1e-12);
  /* weights 100, 100, 50: half of 250 is reached at x = 50 */
  assert_true(solve1(st, TRUCE_STAKE_MEDIAN, 0) == 50);
  truce_stake_free(st);
  /* zero salience everywhere: plain mean and median */
  double z[] = {0, 0, 0, 0};
  double p4[] = {10, 20, 60, 90}, c4[] = {1, 1, 1, 1};
  truce_stake_from_arrays(ctx, 4, 1, c4, p4, z, 0, 100, &st);
  assert_true(fabs(solve1(st, TRUCE_STAKE_COMPROMISE, 0) - 45) < 1e-12);
  assert_true(solve1(st, TRUCE_STAKE_MEDIAN, 0) == 40);
  truce_stake_free(st);
  /* unanimity: every model returns the common position */
  double p2[] = {37, 37, 37};
  truce_stake_from_arrays(ctx, 3, 1, cap, p2, sal, 0, 100, &st);
  for (int m = 0; m < TRUCE_STAKE_MODEL_COUNT; m++)
    assert_true(fabs(solve1(st, m, 0) - 37) < 1e-9);
  truce_stake_free(st);
}

static truce_stake* load(const char* rel) {
  truce_stake* st;
  if (truce_stake_load(ctx, ts_source_path(rel), &st))
    fail_msg("%s", truce_ctx_message(ctx));
  return st;
}

/* Permuting actors changes nothing; scaling capabilities changes nothing
 * in the compromise (nor in the others). */
static void test_invariances(void** s) {
  (void)s;
  truce_stake* st = load("data/bargaining/ktab_dummyData_3Dim.csv");
  size_t n = st->n, d = st->d;
  double cap[64], pos[64 * 3], sal[64 * 3], cap2[64];
  for (size_t i = 0; i < n; i++) { /* reverse order */
    size_t j = n - 1 - i;
    cap[i] = st->cap[j];
    cap2[i] = 2.385 * st->cap[j];
    memcpy(pos + i * d, st->pos + j * d, d * sizeof(double));
    memcpy(sal + i * d, st->sal + j * d, d * sizeof(double));
  }
  truce_stake *perm, *scaled;
  truce_stake_from_arrays(ctx, n, d, cap, pos, sal, 0, 100, &perm);
  truce_stake_from_arrays(ctx, n, d, cap2, pos, sal, 0, 100, &scaled);
  for (int m = 0; m < TRUCE_STAKE_MODEL_COUNT; m++)
    for (size_t k = 0; k < d; k++) {
      double a = solve1(st, m, k), b = solve1(perm, m, k),
             c = solve1(scaled, m, k);
      if (fabs(a - b) > 1e-9 || fabs(a - c) > 1e-9)
        fail_msg("%s dim %zu: %.12g vs permuted %.12g vs scaled %.12g",
                 truce_stake_model_name(m), k, a, b, c);
    }
  truce_stake_free(st);
  truce_stake_free(perm);
  truce_stake_free(scaled);
}

/* PCE: P(a beats b) + P(b beats a) = 1, and the unanimous favourite wins
 * for sure; the dynamics converge on every KTAB example. */
static void test_pce(void** s) {
  (void)s;
  truce_stake* st = load("data/bargaining/ktab_SOE-Policy.csv");
  truce_stake_opts o = truce_stake_opts_default();
  double x[64];
  for (size_t i = 0; i < st->n; i++) x[i] = st->pos[i] / 100;
  for (double a = 0.05; a < 1; a += 0.1)
    for (double b = 0.0; b < 1; b += 0.13) {
      double p = truce__stake_pce_beats(st, &o, x, &a, &b);
      double q = truce__stake_pce_beats(st, &o, x, &b, &a);
      assert_true(p >= 0 && p <= 1 && fabs(p + q - 1) < 1e-12);
    }
  truce_stake_free(st);
  double cap[] = {1, 2}, pos[] = {20, 20}, sal[] = {50, 80};
  truce_stake_from_arrays(ctx, 2, 1, cap, pos, sal, 0, 100, &st);
  double xx[] = {0.2, 0.2}, a = 0.2, b = 0.7;
  assert_true(truce__stake_pce_beats(st, &o, xx, &a, &b) == 1);
  truce_stake_free(st);
  static const char* const files[] = {
      "data/bargaining/ktab_SOE-Policy.csv",
      "data/bargaining/ktab_SOE-Competitive.csv",
      "data/bargaining/ktab_SOE-Pol-Comp.csv",
      "data/bargaining/ktab_dummyData_3Dim.csv",
      "data/bargaining/ktab_dummyData_6Dim.csv",
      "data/bargaining/ktab_dummyData-a040.csv",
      "data/bargaining/ktab_dummyData-a080.csv"};
  for (size_t f = 0; f < sizeof files / sizeof files[0]; f++) {
    st = load(files[f]);
    for (int m = TRUCE_STAKE_CHALLENGE; m <= TRUCE_STAKE_PCE; m++) {
      truce_stake_result* r;
      assert_int_equal(truce_stake_solve(ctx, st, m, NULL, &r), 0);
      if (!r->converged || r->rounds >= 100)
        fail_msg("%s did not converge on %s", truce_stake_model_name(m),
                 files[f]);
      /* outcomes stay within the actors' range of positions */
      for (size_t k = 0; k < st->d; k++) {
        double lo = 100, hi = 0;
        for (size_t i = 0; i < st->n; i++) {
          lo = fmin(lo, st->pos[i * st->d + k]);
          hi = fmax(hi, st->pos[i * st->d + k]);
        }
        assert_true(r->outcome[k] >= lo - 1e-9 && r->outcome[k] <= hi + 1e-9);
        /* the trajectory ends at the outcome */
        assert_true(fabs(r->trajectory[(size_t)r->rounds * st->d + k] -
                         r->outcome[k]) < 1e-9);
      }
      truce_stake_result_free(ctx, r);
    }
    truce_stake_free(st);
  }
}

static void expect_load_error(const char* name, const char* text,
                              const char* where, const char* what) {
  char path[256];
  snprintf(path, sizeof path, "stake-test-%s", name);
  FILE* f = fopen(path, "w");
  fputs(text, f);
  fclose(f);
  truce_stake* st = (truce_stake*)0x1;
  int rc = truce_stake_load(ctx, path, &st);
  remove(path);
  assert_true(rc != 0);
  assert_null(st);
  char full[300];
  snprintf(full, sizeof full, "%s:%s", path, where);
  const char* m = ts_error_text(ctx);
  if (strncmp(m, full, strlen(full)) || !strstr(m, what))
    fail_msg("expected '%s...%s', got '%s'", full, what, m);
}

static void test_input_errors(void** s) {
  (void)s;
  const char* head = "X, X issue, 2, 1,\nActor, Desc, Power, Pos, Sal\n";
  char buf[512];
  snprintf(buf, sizeof buf, "%sA, a, 10, 50, 50\nB, b, ten, 50, 50\n", head);
  expect_load_error("power.csv", buf, "4:7: error: ", "power 'ten' of 'B'");
  snprintf(buf, sizeof buf, "%sA, a, 10, 50, 50\nB, b, 1, 150, 50\n", head);
  expect_load_error("pos.csv", buf, "4:10: error: ", "position '150'");
  snprintf(buf, sizeof buf, "%sA, a, 10, 50\n", head);
  expect_load_error("fields.csv", buf, "3:", "actor row has 4 fields");
  snprintf(buf, sizeof buf, "%sA, a, 10, 50, 50\n", head);
  expect_load_error("rows.csv", buf, "4:1: error: ", "1 actor rows");
  expect_load_error("hdr.csv", "X, Y, many, 1\n", "1:", "bad KTAB header");
  expect_load_error("empty.csv", "", "1:1: error: ", "empty");
  const char* y =
      "truce_stake: 1\ndimensions: [aid]\nactors:\n"
      "  - {name: a, capability: 5, position: [50], salience: [40]}\n"
      "  - {name: b, capability: 5, position: [150], salience: [40]}\n";
  expect_load_error("pos.yaml", y, "5:41: error: ", "out of range");
  y = "truce_stake: 1\ndimensions: [aid]\nactors:\n"
      "  - {name: a, capability: 5, position: [50], salience: [40]}\n"
      "  - {name: b, capabilty: 5, position: [50], salience: [40]}\n";
  expect_load_error("key.yaml", y, "5:15: error: ", "unknown key 'capabilty'");
  y = "truce_stake: 1\ndimensions: [aid, sanctions]\nactors:\n"
      "  - {name: a, capability: 5, position: [50, 2], salience: [40, 1]}\n"
      "  - {name: b, capability: 5, position: [50], salience: [40, 1]}\n";
  expect_load_error("dims.yaml", y, "5:41: error: ", "must list 2 numbers");
  expect_load_error("bad.yaml", "truce_stake: 1\nactors: [\n",
                    "3:1: error: ", "malformed YAML");
  truce_stake* st;
  assert_int_equal(truce_stake_load(ctx, "/nonexistent.csv", &st), TRUCE_EIO);
}

static void test_yaml_with_provenance(void** s) {
  (void)s;
  const char* y =
      "truce_stake: 1\nname: coalition\nscale: [0, 10]\n"
      "dimensions: [aid]\nactors:\n"
      "  - {name: a, capability: {value: 3, source: x, claimant: y}, "
      "position: [2], salience: [100]}\n"
      "  - {name: b, capability: 1, position: [{value: 10, source: z}], "
      "salience: [100]}\n";
  FILE* f = fopen("stake-ok.yaml", "w");
  fputs(y, f);
  fclose(f);
  truce_stake* st;
  int rc = truce_stake_load(ctx, "stake-ok.yaml", &st);
  remove("stake-ok.yaml");
  if (rc) fail_msg("%s", truce_ctx_message(ctx));
  assert_string_equal(truce_stake_name(st), "coalition");
  assert_string_equal(truce_stake_dim_name(st, 0), "aid");
  assert_true(fabs(solve1(st, TRUCE_STAKE_COMPROMISE, 0) - 4) < 1e-12);
  truce_stake_free(st);
}

/* A link whose mapped value the number does not take: the error is the
 * scenario's, at the link's place, naming the link and the assignment. */
static void test_link_error_at_link(void** s) {
  (void)s;
  FILE* f = fopen("stake-link.yaml", "w");
  fputs(
      "truce_stake: 1\nname: g\nscale: [0, 10]\ndimensions: [aid]\n"
      "actors:\n  - {name: a, capability: 1, position: [4], "
      "salience: [100]}\n  - {name: b, capability: 1, position: [6], "
      "salience: [100]}\n",
      f);
  fclose(f);
  const char* y =
      "truce: 1\n"
      "sides:\n"
      "  - {id: a, personnel: {front: 1000}}\n"
      "  - {id: b, personnel: {front: 900}}\n"
      "combat: {law: square, coefficients: {a: 0.01, b: 0.01}}\n"
      "stakeholders:\n"
      "  - name: g quality\n"
      "    file: stake-link.yaml\n"
      "    model: compromise\n"
      "    dimension: aid\n"
      "    sets: sides.a.quality\n"
      "    from: [0, 10]\n"
      "    to: [-5, -1]\n"
      "    source: a test\n";
  truce_scenario* sc = ts_load(ctx, y);
  int rc = truce_stake_apply(ctx, sc);
  remove("stake-link.yaml");
  if (rc != TRUCE_EINVAL || !truce_ctx_file(ctx) ||
      strcmp(truce_ctx_file(ctx), "test.yaml"))
    fail_msg("rc %d: %s", rc, ts_error_text(ctx));
  assert_int_equal(truce_ctx_line(ctx), 7);
  const char* m = truce_ctx_message(ctx);
  if (!strstr(m, "the stakeholder link 'g quality' sets sides.a.quality=") ||
      !strstr(m, "out of range"))
    fail_msg("got '%s'", m);
  truce_scenario_free(sc);
}

/* DEU III: the compromise model with GDP capability scores 23.09. */
/* A KTAB file whose header row comes twice: loads (the second header
 * wins), and nothing leaks (a counting allocator; on 2f391e1 the first
 * row's dimension names leaked). A '%' directive followed by a non-ASCII
 * byte is refused at once (libfyaml 0.7.12 looped forever on it). */
static void test_hostile_files(void** s) {
  (void)s;
  ts_alloc a = {0};
  truce_ctx* c;
  assert_int_equal(truce_ctx_new(&c, ts_alloc_fn, &a), 0);
  const char* path = "stake-test-repeated.csv";
  FILE* f = fopen(path, "w");
  fputs(
      "X, X issue, 2, 1,\nActor, Desc, Power, first Position, Sal\n"
      "Actor, Desc, Power, second Position, Sal\nA, a, 10, 40, 50\n"
      "B, b, 5, 60, 50\n",
      f);
  fclose(f);
  truce_stake* st = NULL;
  int rc = truce_stake_load(c, path, &st);
  remove(path);
  if (rc) fail_msg("%s", truce_ctx_message(c));
  truce_stake_free(st);
  truce_ctx_free(c);
  ts_alloc_check(&a);
  expect_load_error("directive.yaml", "%\x9b", "1:1: error: ", "directives");
  expect_load_error("utf8.yaml", "truce_stake: 1\nname: \xff\n",
                    "2:7: error: ", "not UTF-8");
}

static void test_deu3(void** s) {
  (void)s;
  truce_backtest bt;
  int rc = truce_stake_backtest(
      ctx, ts_source_path("data/bargaining/deu3_blksv_predictioneers_game.csv"),
      1, 50, &bt);
  if (rc) fail_msg("%s", truce_ctx_message(ctx));
  assert_true(bt.rows[0].n == 353);
  assert_true(fabs(bt.rows[0].mae - 23.09) < 0.1);
  assert_true(bt.rows[0].lo < bt.rows[0].mae && bt.rows[0].mae < bt.rows[0].hi);
  assert_true(fabs(bt.rows[3].mae - 27.32) < 0.01); /* weighted median */
  assert_true(fabs(bt.rows[4].mae - 28.59) < 0.01); /* median */
  assert_true(bt.rows[5].n == 348 && fabs(bt.rows[5].mae - 37.70) < 0.01);
  assert_true(bt.rows[6].n == 253 && fabs(bt.rows[6].mae - 51.11) < 0.01);
  assert_true(bt.n_test == 177);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_hand_computed),
      cmocka_unit_test(test_invariances),
      cmocka_unit_test(test_pce),
      cmocka_unit_test(test_input_errors),
      cmocka_unit_test(test_yaml_with_provenance),
      cmocka_unit_test(test_link_error_at_link),
      cmocka_unit_test(test_deu3),
      cmocka_unit_test(test_hostile_files),
  };
  return ts_run_group(tests, ts_ctx_setup, ts_ctx_teardown);
}
