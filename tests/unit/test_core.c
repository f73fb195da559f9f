/* SPDX-License-Identifier: GPL-3.0-or-later
 * Core: error table, context, SHA-256, Philox streams, samplers, dates. */
#include <Random123/philox.h>
#include <math.h>
#include <string.h>

#include "../../src/truce_int.h"
#include "support.h"

/* First two draws of stream (seed 42, run 7, id 1), recorded once. */
#define TS_KAT_42_7_1_0 0x5cdff129fcc84704ULL
#define TS_KAT_42_7_1_1 0x23a0220f2f8dfc7eULL

static void test_error_table(void** state) {
  (void)state;
  assert_string_equal(truce_err_name(TRUCE_EINVAL), "TRUCE_EINVAL");
  assert_string_equal(truce_err_name(TRUCE_EINTERNAL), "TRUCE_EINTERNAL");
  assert_string_equal(truce_strerror(TRUCE_ENOMEM), "out of memory");
  assert_string_equal(truce_strerror(0), "success");
  assert_string_equal(truce_err_name(12345), "TRUCE_UNKNOWN");
}

static void test_ctx_records_errors(void** state) {
  (void)state;
  truce_ctx* lctx;
  assert_int_equal(truce_ctx_new(&lctx, NULL, NULL), 0);
  assert_int_equal(truce_ctx_code(lctx), 0);
  assert_int_equal(TRUCE_FAIL(lctx, TRUCE_EDOM, "x = %d", 7), TRUCE_EDOM);
  assert_int_equal(truce_ctx_code(lctx), TRUCE_EDOM);
  assert_string_equal(truce_ctx_message(lctx), "x = 7");
  assert_non_null(strstr(truce_ctx_origin(lctx), "test_core.c"));
  assert_null(truce_ctx_file(lctx)); /* not about a place in an input */
  assert_int_equal(truce_ctx_line(lctx), 0);
  /* an error at a place keeps it beside the message, until the next */
  assert_int_equal(
      TRUCE_FAIL_AT(lctx, TRUCE_EPARSE, "in.csv", 4, 17, "bad value '%s'", "x"),
      TRUCE_EPARSE);
  assert_string_equal(truce_ctx_message(lctx), "bad value 'x'");
  assert_string_equal(truce_ctx_file(lctx), "in.csv");
  assert_int_equal(truce_ctx_line(lctx), 4);
  assert_int_equal(truce_ctx_column(lctx), 17);
  TRUCE_FAIL(lctx, TRUCE_EDOM, "y");
  assert_null(truce_ctx_file(lctx));
  TRUCE_FAIL_AT(lctx, TRUCE_EPARSE, "in.csv", 4, 17, "z");
  truce_ctx_clear(lctx);
  assert_null(truce_ctx_file(lctx));
  assert_string_equal(truce_ctx_message(lctx), "");
  truce_ctx_free(lctx);
  truce_ctx_free(NULL);
}

/* A public function given a NULL argument records why, naming itself; a
 * bad index records what was expected. */
static void test_errors_have_messages(void** state) {
  (void)state;
  truce_ctx* lctx;
  assert_int_equal(truce_ctx_new(&lctx, NULL, NULL), 0);
  truce_scenario* sc = (truce_scenario*)0x1;
  assert_int_equal(truce_scenario_load(lctx, NULL, &sc), TRUCE_EINVAL);
  assert_string_equal(truce_ctx_message(lctx),
                      "truce_scenario_load: a required argument is NULL");
  assert_int_equal(truce_scenario_load(NULL, "x.yaml", &sc), TRUCE_EINVAL);
  const char* y =
      "truce: 1\nsides:\n  - {id: a, personnel: {front: 10}}\n"
      "  - {id: b, personnel: {front: 9}}\n"
      "combat: {law: square, coefficients: {a: 0.1, b: 0.1}}\n";
  assert_int_equal(
      truce_scenario_load_string(lctx, "t.yaml", y, strlen(y), &sc), 0);
  truce_sim* sim;
  assert_int_equal(truce_sim_new(lctx, sc, &sim), 0);
  truce_ctx_clear(lctx);
  truce_side_outcome o;
  assert_int_equal(truce_sim_outcome(sim, 2, &o), TRUCE_EINVAL);
  assert_string_equal(truce_ctx_message(lctx), "side 2; expected 0 or 1");
  truce_backer_outcome bo;
  assert_int_equal(truce_sim_backer_outcome(sim, 0, &bo), TRUCE_EINVAL);
  assert_non_null(strstr(truce_ctx_message(lctx), "backer 0; expected"));
  truce_sim_free(sim);
  truce_scenario_free(sc);
  truce_ctx_free(lctx);
}

static void test_ctx_oom(void** state) {
  (void)state;
  ts_alloc a = {.fail_at = 1};
  truce_ctx* lctx = (truce_ctx*)0x1;
  assert_int_equal(truce_ctx_new(&lctx, ts_alloc_fn, &a), TRUCE_ENOMEM);
  assert_null(lctx);
  assert_int_equal(a.live, 0);
}

/* The test allocator holds the library to the allocator contract
 * (truce/core.h): a free or realloc passing anything but the block's true
 * size is counted and described, and the right size is not. */
static void test_allocator_checks_sizes(void** state) {
  (void)state;
  ts_alloc a = {0};
  truce_ctx* lctx;
  assert_int_equal(truce_ctx_new(&lctx, ts_alloc_fn, &a), 0);
  char* p = truce__malloc(lctx, 37);
  assert_non_null(p);
  p = truce__realloc(lctx, p, 37, 91);
  assert_non_null(p);
  assert_int_equal(a.live, 2); /* the context and p */
  assert_int_equal(a.bytes, (long)(91 + sizeof(struct truce_ctx)));
  assert_int_equal(a.mismatches, 0);
  truce__free(lctx, p, 37); /* its old size: wrong */
  assert_int_equal(a.mismatches, 1);
  assert_non_null(strstr(a.first, "passed size 37; its size is 91"));
  char* q = truce__malloc(lctx, 12);
  q = truce__realloc(lctx, q, 0, 24); /* a realloc passing 0: wrong */
  assert_int_equal(a.mismatches, 2);
  truce__free(lctx, q, 24);
  assert_int_equal(a.mismatches, 2);
  truce_ctx_free(lctx);
  assert_int_equal(a.live, 0);
  assert_int_equal(a.bytes, 0);
}

static void test_sha256_fips_vectors(void** state) {
  (void)state;
  char h[65];
  truce_sha256_hex("", 0, h);
  assert_string_equal(
      h, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  truce_sha256_hex("abc", 3, h);
  assert_string_equal(
      h, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  const char* m = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
  truce_sha256_hex(m, strlen(m), h);
  assert_string_equal(
      h, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  static char million[1000000];
  memset(million, 'a', sizeof million);
  truce_sha256_hex(million, sizeof million, h);
  assert_string_equal(
      h, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

/* Random123's own known-answer vectors (kat_vectors) for Philox4x64-10. */
static void test_philox_kat(void** state) {
  (void)state;
  philox4x64_ctr_t c = {{0, 0, 0, 0}};
  philox4x64_key_t k = {{0, 0}};
  philox4x64_ctr_t r = philox4x64_R(10, c, k);
  assert_true(r.v[0] == 0x16554d9eca36314cULL);
  assert_true(r.v[1] == 0xdb20fe9d672d0fdcULL);
  assert_true(r.v[2] == 0xd7e772cee186176bULL);
  assert_true(r.v[3] == 0x7e68b68aec7ba23bULL);
  philox4x64_ctr_t c2 = {{0x243f6a8885a308d3ULL, 0x13198a2e03707344ULL,
                          0xa4093822299f31d0ULL, 0x082efa98ec4e6c89ULL}};
  philox4x64_key_t k2 = {{0x452821e638d01377ULL, 0xbe5466cf34e90c6cULL}};
  r = philox4x64_R(10, c2, k2);
  assert_true(r.v[0] == 0xa528f45403e61d95ULL);
  assert_true(r.v[1] == 0x38c72dbd566e9788ULL);
  assert_true(r.v[2] == 0xa5a1610e72fd18b5ULL);
  assert_true(r.v[3] == 0x57bd43b5e52b7fe6ULL);
}

/* Our stream mapping: draw k of stream (seed, run, id) is word k%4 of
 * Philox4x64-10 at counter (run, k/4, 0, 0) and key (seed, id). */
static void test_stream_mapping(void** state) {
  (void)state;
  truce_ctx* lctx;
  truce_ctx_new(&lctx, NULL, NULL);
  truce_rng* g;
  assert_int_equal(truce_rng_new(lctx, 0, 0, 0, &g), 0);
  assert_true(truce_rng_u64(g) == 0x16554d9eca36314cULL);
  assert_true(truce_rng_u64(g) == 0xdb20fe9d672d0fdcULL);
  uint64_t seed = 20231104, run = 17, id = 3;
  truce_rng_reset(g, seed, run, id);
  for (uint64_t kdraw = 0; kdraw < 40; kdraw++) {
    philox4x64_ctr_t c = {{run, kdraw / 4, 0, 0}};
    philox4x64_key_t k = {{seed, id}};
    philox4x64_ctr_t r = philox4x64_R(10, c, k);
    assert_true(truce_rng_u64(g) == r.v[kdraw % 4]);
  }
  /* Known answers of the mapping itself, recorded once: they change only
   * if the mapping changes, which would break every stored result. */
  truce_rng_reset(g, 42, 7, 1);
  assert_true(truce_rng_u64(g) == TS_KAT_42_7_1_0);
  assert_true(truce_rng_u64(g) == TS_KAT_42_7_1_1);
  /* Streams differ by run and by id. */
  truce_rng_reset(g, 42, 8, 1);
  uint64_t a = truce_rng_u64(g);
  truce_rng_reset(g, 42, 7, 2);
  uint64_t b = truce_rng_u64(g);
  assert_true(a != TS_KAT_42_7_1_0 && b != TS_KAT_42_7_1_0 && a != b);
  truce_rng_free(g);
  truce_ctx_free(lctx);
}

static void test_uniform_open_interval(void** state) {
  (void)state;
  truce_ctx* lctx;
  truce_ctx_new(&lctx, NULL, NULL);
  truce_rng* g;
  truce_rng_new(lctx, 5, 0, 0, &g);
  double sum = 0;
  int n = 200000;
  for (int i = 0; i < n; i++) {
    double u = truce_rng_uniform(g);
    assert_true(u > 0 && u < 1);
    sum += u;
  }
  /* mean 1/2, sd of the mean sqrt(1/12/n) = 6.5e-4: 5 sd */
  assert_true(fabs(sum / n - 0.5) < 5 * sqrt(1.0 / 12 / n));
  truce_rng_free(g);
  truce_ctx_free(lctx);
}

static void check_moments(truce_rng* g,
                          double (*draw)(truce_rng*, double, double), double a,
                          double b, double mean, double var) {
  int n = 100000;
  double s = 0, s2 = 0;
  for (int i = 0; i < n; i++) {
    double x = draw(g, a, b);
    assert_true(x >= 0 && x == floor(x));
    s += x;
    s2 += x * x;
  }
  double m = s / n, v = s2 / n - m * m;
  /* mean within 5 standard errors; variance within 5% */
  assert_true(fabs(m - mean) < 5 * sqrt(var / n));
  assert_true(fabs(v - var) < 0.05 * var);
}

static double poisson2(truce_rng* g, double mean, double unused) {
  (void)unused;
  return truce_rng_poisson(g, mean);
}
static double binom2(truce_rng* g, double p, double n) {
  return truce_rng_binomial(g, p, n);
}

static void test_samplers(void** state) {
  (void)state;
  truce_ctx* lctx;
  truce_ctx_new(&lctx, NULL, NULL);
  truce_rng* g;
  truce_rng_new(lctx, 11, 3, 2, &g);
  check_moments(g, poisson2, 2.385, 0, 2.385, 2.385);
  check_moments(g, poisson2, 1234.5, 0, 1234.5, 1234.5);
  check_moments(g, binom2, 0.3, 1000, 300, 210);
  check_moments(g, binom2, 0.05, 17, 0.85, 17 * 0.05 * 0.95);
  assert_true(truce_rng_poisson(g, 0) == 0);
  assert_true(truce_rng_binomial(g, 1, 42) == 42);
  assert_true(truce_rng_binomial(g, 0.5, 0) == 0);
  truce_rng_free(g);
  truce_ctx_free(lctx);
}

static void test_dates_and_distance(void** state) {
  (void)state;
  assert_true(truce__date_valid("2023-11-04"));
  assert_true(truce__date_valid("2024-02-29"));
  assert_false(truce__date_valid("2023-02-29"));
  assert_false(truce__date_valid("2023-13-01"));
  assert_false(truce__date_valid("2023-1-01"));
  assert_int_equal(truce__date_to_days("1970-01-01"), 0);
  assert_int_equal(truce__date_to_days("2023-11-04"), 19665);
  assert_int_equal(truce__date_to_days("1945-02-19"), -9082);
  char d[11];
  truce__date_from_days(19665 + 366, d);
  assert_string_equal(d, "2024-11-04");
  truce__date_from_days(-9082 + 36, d);
  assert_string_equal(d, "1945-03-27");
  assert_int_equal(truce__edit_distance("sides", "sizes"), 1);
  assert_int_equal(truce__edit_distance("front", "front"), 0);
  assert_int_equal(truce__edit_distance("", "abc"), 3);
  assert_int_equal(truce__edit_distance("pret", "pert"), 1);
  assert_int_equal(truce__edit_distance("ca", "abc"), 3);
}

/* Numbers in scenario files, --set and the stakeholder CSVs. */
static void test_parse_number(void** state) {
  (void)state;
  double v = -7;
  assert_int_equal(truce__parse_number("2.5e3", &v), 0);
  assert_true(v == 2500);
  assert_int_equal(truce__parse_number("-0", &v), 0);
  assert_true(v == 0);
  assert_int_equal(truce__parse_number("1e-320", &v), 0); /* underflow */
  assert_true(v > 0 && v < 1e-300);
  const char* not_numbers[] = {"",    "x",   "1x",  "1,5",
                               "nan", "NaN", "inf", "-infinity"};
  for (size_t i = 0; i < sizeof not_numbers / sizeof *not_numbers; i++) {
    v = 7;
    assert_int_equal(truce__parse_number(not_numbers[i], &v), -1);
    assert_true(v == 7); /* untouched */
  }
  assert_int_equal(truce__parse_number("1e400", &v), 1);
  assert_true(isinf(v) && v > 0);
  assert_int_equal(truce__parse_number("-1e400", &v), 1);
  assert_true(isinf(v) && v < 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_error_table),
      cmocka_unit_test(test_ctx_records_errors),
      cmocka_unit_test(test_ctx_oom),
      cmocka_unit_test(test_errors_have_messages),
      cmocka_unit_test(test_allocator_checks_sizes),
      cmocka_unit_test(test_sha256_fips_vectors),
      cmocka_unit_test(test_philox_kat),
      cmocka_unit_test(test_stream_mapping),
      cmocka_unit_test(test_uniform_open_interval),
      cmocka_unit_test(test_samplers),
      cmocka_unit_test(test_dates_and_distance),
      cmocka_unit_test(test_parse_number),
  };
  return ts_run_group(tests, NULL, NULL);
}
