/* SPDX-License-Identifier: GPL-3.0-or-later
 * Unit tests of the hindcast (src/calib/hindcast.c): the CRPS against its
 * closed form and the integral of the squared distance between the
 * ensemble's step function and the observation's; the PIT of a calibrated
 * synthetic ensemble is uniform and that of an overconfident one U-shaped;
 * band coverage counts, the origin level and the losses-against-gains
 * figures on a small scenario; errors in observed files. */
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sort.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "support.h"

/* |a - b| <= tol in double precision (cmocka's float check is too coarse) */
#define assert_near(a, b, tol) near_((a), (b), (tol), __LINE__)
static void near_(double a, double b, double tol, int line) {
  if (!(fabs(a - b) <= tol))
    fail_msg("line %d: %.17g != %.17g (tolerance %g)", line, a, b, tol);
}

/* The CRPS as the integral of (F(z) - 1{z >= y})^2 over z, F the
 * ensemble's step function: exact, piece by piece between the sorted
 * members and y. */
static double crps_integral(const double* x, size_t n, double y) {
  double pts[64];
  size_t m = 0;
  for (size_t i = 0; i < n; i++) pts[m++] = x[i];
  pts[m++] = y;
  gsl_sort(pts, 1, m);
  double s = 0;
  for (size_t k = 0; k + 1 < m; k++) {
    double mid = 0.5 * (pts[k] + pts[k + 1]), f = 0;
    for (size_t i = 0; i < n; i++) f += x[i] <= mid;
    f /= (double)n;
    double d = f - (mid >= y);
    s += d * d * (pts[k + 1] - pts[k]);
  }
  return s;
}

static void test_crps_closed_form(void** state) {
  (void)state;
  /* {1, 2, 4} against 3: (2 + 1 + 1)/3 - 12/(2 x 9) = 2/3 */
  const double a[] = {1, 2, 4};
  assert_near(truce_hindcast_crps(a, 3, 3), 2.0 / 3.0, 1e-15);
  assert_near(crps_integral(a, 3, 3), 2.0 / 3.0, 1e-15);
  /* one member: the absolute error */
  const double b[] = {2.385};
  assert_near(truce_hindcast_crps(b, 1, -1.25), 3.635, 1e-15);
  /* an irregular ensemble, ties included, y inside and outside it */
  const double c[] = {-0.7, 2.385, 3.3, 3.3, 11.2, 17.05};
  const double ys[] = {-4.1, 0.0, 3.3, 9.87, 40.5};
  for (size_t k = 0; k < sizeof ys / sizeof ys[0]; k++)
    assert_near(truce_hindcast_crps(c, 6, ys[k]), crps_integral(c, 6, ys[k]),
                1e-12);
}

static void test_pit_ties(void** state) {
  (void)state;
  const double x[] = {1, 2, 2, 2, 5};
  assert_near(truce_hindcast_pit(x, 5, 0.5), 0.0, 0);
  assert_near(truce_hindcast_pit(x, 5, 2), (1 + 1.5) / 5.0, 1e-15);
  assert_near(truce_hindcast_pit(x, 5, 3.7), 0.8, 1e-15);
  assert_near(truce_hindcast_pit(x, 5, 9), 1.0, 0);
  /* a run equal to y but for rounding ties with it (a known-outcome record
   * summed in double against the series it was read from); a real miss
   * of 1 in 1e6 does not */
  const double y = 0.1 + 0.2, e[] = {0.3, 0.3, 0.3}, b = 1.0e9;
  assert_near(truce_hindcast_pit(e, 3, y), 0.5, 0);
  const double big[] = {b, b, b};
  assert_near(truce_hindcast_pit(big, 3, b + 0.5), 0.5, 0);
  assert_near(truce_hindcast_pit(big, 3, b * (1 + 1e-6)), 1.0, 0);
  assert_near(truce_hindcast_pit(big, 3, b * (1 - 1e-6)), 0.0, 0);
}

/* n points, each an ensemble of m N(0, sd) draws and an N(0, 1)
 * observation: the PIT histogram, and how many fell in the 90% band. */
static int pit_synthetic(double sd, unsigned hist[10], size_t* in90) {
  gsl_rng* r = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(r, 2385);
  enum { N = 2000, M = 199 };
  double x[M];
  memset(hist, 0, 10 * sizeof *hist);
  *in90 = 0;
  for (int p = 0; p < N; p++) {
    for (int i = 0; i < M; i++) x[i] = gsl_ran_gaussian(r, sd);
    double y = gsl_ran_gaussian(r, 1.0);
    gsl_sort(x, 1, M);
    double u = truce_hindcast_pit(x, M, y);
    int b = (int)(u * 10);
    hist[b > 9 ? 9 : b]++;
    *in90 += x[9] <= y && y <= x[189];
  }
  gsl_rng_free(r);
  return N;
}

static void test_pit_uniform(void** state) {
  (void)state;
  unsigned h[10];
  size_t in90;
  int n = pit_synthetic(1.0, h, &in90);
  double chi2 = 0, e = n / 10.0;
  for (int k = 0; k < 10; k++) chi2 += (h[k] - e) * (h[k] - e) / e;
  assert_true(chi2 < 27.88); /* chi-square, 9 df, p = 0.001 */
  assert_int_equal(truce_hindcast_pit_shape(h), TRUCE_PIT_FLAT);
  assert_true(fabs((double)in90 / n - 0.9) < 0.03);
  /* an overconfident ensemble (sd 0.4 against 1): U-shaped, bands missed */
  n = pit_synthetic(0.4, h, &in90);
  assert_int_equal(truce_hindcast_pit_shape(h), TRUCE_PIT_U);
  assert_true((double)in90 / n < 0.6);
  /* a flat histogram of 5 points has no shape read */
  const unsigned few[10] = {1, 0, 1, 0, 1, 0, 1, 0, 1, 0};
  assert_int_equal(truce_hindcast_pit_shape(few), TRUCE_PIT_FEW);
  const unsigned high[10] = {0, 1, 1, 1, 1, 1, 1, 1, 2, 11};
  assert_int_equal(truce_hindcast_pit_shape(high), TRUCE_PIT_HIGH);
}

static const char* const SCEN =
    "truce: 1\nname: hindcast test\nhorizon_days: 60\nstart: 2023-11-04\n"
    "seed: 2385\n"
    "sides:\n"
    "  - id: ua\n"
    "    personnel: {front: 40000, pool: 200000, recruits_per_month: 900}\n"
    "  - id: ru\n"
    "    posture: attack\n"
    "    personnel: {front: 60000, pool: 500000, recruits_per_month: 1500}\n"
    "combat:\n  law: square\n"
    "  coefficients: {ua: {value: 0.004, low: 0.002, high: 0.006}, "
    "ru: 0.002}\n"
    "front: {advance_km_per_day: 0.5, length_km: 1000, area_km2: 100000,\n"
    "        territory: {ua: 0.8, ru: 0.2}}\n";

static char path[64];

static void write_file(const char* text) {
  snprintf(path, sizeof path, "hindcast_obs_%ld.csv", (long)getpid());
  FILE* f = fopen(path, "w");
  assert_non_null(f);
  fputs(text, f);
  fclose(f);
}

static const char* const HEAD =
    "# a comment\ndate,series,id,value,low,high,unit,source,claimant\n";

/* Run a hindcast of SCEN against `rows` (after the header). */
static truce_hindcast* run(truce_scenario* sc, const char* rows,
                           truce_hindcast_obs** ob) {
  char text[4096];
  snprintf(text, sizeof text, "%s%s", HEAD, rows);
  write_file(text);
  assert_int_equal(truce_hindcast_obs_new(ctx, ob), 0);
  int rc = truce_hindcast_obs_load(*ob, path);
  if (rc) fail_msg("%s", truce_ctx_message(ctx));
  truce_hindcast_opts o = {200, 2, 0};
  truce_hindcast* h = NULL;
  rc = truce_hindcast_run(ctx, sc, *ob, &o, &h);
  if (rc) fail_msg("%s", truce_ctx_message(ctx));
  remove(path);
  return h;
}

/* Coverage counts: observations placed at the median, between the 75th
 * and 95th percentiles and above the 95th are inside 2, 1 and 0 bands. */
static void test_coverage_counts(void** state) {
  (void)state;
  truce_scenario* sc = ts_load(ctx, SCEN);
  truce_hindcast_obs* ob;
  /* origin 2023-11-03: between 1,000 on 10-24 and 3,000 on 11-13 */
  truce_hindcast* h = run(sc,
                          "2023-10-24,casualties,ru,1000,,,persons,A,a\n"
                          "2023-11-13,casualties,ru,3000,,,persons,A,a\n"
                          "2023-11-30,casualties,ru,5000,,,persons,A,b\n"
                          "2023-12-31,casualties,ru,9000,,,persons,A,c\n",
                          &ob);
  const truce_hindcast_group* G = truce_hindcast_group_get(h, 0);
  assert_int_equal(truce_hindcast_groups(h), 1);
  assert_near(G->origin_level, 2000, 1e-9);
  assert_int_equal(G->n_points, 3);
  assert_near(G->points[0].observed, 1000, 1e-9);
  assert_int_equal(G->points[0].day, 10);
  assert_string_equal(G->points[1].claimant, "b");
  double p50[3], p85[3], p99[3];
  for (int i = 0; i < 3; i++) {
    const truce_hindcast_point* P = &G->points[i];
    p50[i] = P->p50 + 2000;
    p85[i] = 0.5 * (P->p75 + P->p95) + 2000;
    p99[i] = P->p95 + 0.5 * (P->p95 - P->p05) + 2000;
    assert_true(P->p05 < P->p25 && P->p75 < P->p95);
  }
  truce_hindcast_free(h);
  truce_hindcast_obs_free(ob);
  char rows[1024];
  snprintf(rows, sizeof rows,
           "2023-10-24,casualties,ru,1000,,,persons,A,a\n"
           "2023-11-13,casualties,ru,%.17g,,,persons,A,a\n"
           "2023-11-30,casualties,ru,%.17g,,,persons,A,a\n"
           "2023-12-31,casualties,ru,%.17g,,,persons,A,a\n",
           p50[0], p85[1], p99[2]);
  /* the origin moves with the day-10 row; keep it at 2,000 with a row on
   * the origin itself */
  char rows2[1200];
  snprintf(rows2, sizeof rows2,
           "2023-11-03,casualties,ru,2000,,,persons,A,"
           "a\n%s",
           rows);
  h = run(sc, rows2, &ob);
  G = truce_hindcast_group_get(h, 0);
  assert_near(G->origin_level, 2000, 1e-9);
  assert_int_equal(G->n_points, 3);
  assert_int_equal(G->in50, 1);
  assert_int_equal(G->in90, 2);
  assert_true(G->points[0].in50 && G->points[0].in90);
  assert_true(!G->points[1].in50 && G->points[1].in90);
  assert_true(!G->points[2].in50 && !G->points[2].in90);
  assert_true(G->points[2].pit == 1.0);
  unsigned total = 0;
  for (int k = 0; k < 10; k++) total += G->pit_hist[k];
  assert_int_equal(total, 3);
  assert_int_equal(G->pit_hist[9], 1);
  truce_hindcast_free(h);
  truce_hindcast_obs_free(ob);
  truce_scenario_free(sc);
}

/* A series the runs do not vary (all numbers fixed: a record's known
 * outcome) is inside its zero-width bands when the observed equals it up
 * to rounding, outside when it misses by 1 in 1e6, and its shape says the
 * runs do not vary instead of reading a hump from the ties. */
static void test_fixed_series(void** state) {
  (void)state;
  char fixed[2048];
  snprintf(fixed, sizeof fixed,
           "%sbackers:\n  - {id: us, supports: ua, budget_per_month: 1e6}\n"
           "events:\n  - {day: 0, block: {backer: us, until_day: 61}}\n"
           "  - {day: 5, package: {backer: us, eur: 1e9}}\n",
           SCEN);
  truce_scenario* sc = ts_load(ctx, fixed);
  for (int miss = 0; miss < 2; miss++) {
    char rows[256];
    snprintf(rows, sizeof rows,
             "2023-11-03,aid_committed,us,0,,,EUR,A,a\n"
             "2023-11-30,aid_committed,us,%.17g,,,EUR,A,a\n",
             miss ? 1e9 * (1 + 1e-6) : 1e9 * (1 + 1e-12));
    truce_hindcast_obs* ob;
    truce_hindcast* h = run(sc, rows, &ob);
    const truce_hindcast_group* G = truce_hindcast_group_get(h, 0);
    assert_near(G->points[0].p05, 1e9, 1e-3);
    assert_near(G->points[0].p95, 1e9, 1e-3);
    assert_int_equal(G->in50, !miss);
    assert_int_equal(G->in90, !miss);
    assert_int_equal(G->pit_shape, TRUCE_PIT_FIXED);
    assert_near(G->points[0].pit, miss ? 1.0 : 0.5, 0);
    truce_hindcast_free(h);
    truce_hindcast_obs_free(ob);
  }
  assert_string_equal(truce_hindcast_pit_shape_name(TRUCE_PIT_FIXED),
                      "the runs do not vary: no shape read");
  assert_string_equal(truce_hindcast_pit_shape_name(TRUCE_PIT_FIXED + 1), "?");
  truce_scenario_free(sc);
}

/* Groups without a level at the origin are not scored; rows after the
 * horizon are counted, not scored; losses against gains per year. */
static void test_groups_and_pairs(void** state) {
  (void)state;
  truce_scenario* sc = ts_load(ctx, SCEN);
  assert_int_equal(truce_scenario_set(ctx, sc, "horizon_days=120"), 0);
  truce_hindcast_obs* ob;
  truce_hindcast* h = run(sc,
                          "2023-10-31,casualties,ru,100,,,persons,A,a\n"
                          "2023-11-30,casualties,ru,3100,,,persons,A,a\n"
                          "2023-12-31,casualties,ru,9100,,,persons,A,a\n"
                          "2024-01-31,casualties,ru,10100,,,persons,A,a\n"
                          "2024-06-30,casualties,ru,10100,,,persons,A,a\n"
                          "2023-10-31,area_km2,ru,20000,,,km2,B,b\n"
                          "2023-11-30,area_km2,ru,20030,,,km2,B,b\n"
                          "2023-12-31,area_km2,ru,20080,,,km2,B,b\n"
                          "2024-01-31,area_km2,ru,20100,,,km2,B,b\n"
                          "2023-12-31,area_km2,ru,21000,,,km2,C,c\n",
                          &ob);
  assert_int_equal(truce_hindcast_groups(h), 3);
  const truce_hindcast_group* A = truce_hindcast_group_get(h, 0);
  const truce_hindcast_group* C = truce_hindcast_group_get(h, 2);
  assert_string_equal(A->source, "A");
  assert_int_equal(A->n_points, 3); /* 2024-06-30 is day 240 > 120 */
  assert_int_equal(A->after_horizon, 1);
  /* origin level: 100 + 3,000 x 3/30 */
  assert_near(A->origin_level, 400, 1e-9);
  assert_true(C->no_origin);
  assert_int_equal(C->n_points, 0);
  assert_int_equal(truce_hindcast_pairs(h), 1);
  const truce_hindcast_pair* p = truce_hindcast_pair_get(h, 0);
  assert_int_equal(p->months, 3);
  assert_int_equal(p->n_years, 2);
  assert_int_equal(p->year[0].year, 2023);
  /* from the origin (400 and 20,003 interpolated) to 2023-12-31: 8,700
   * casualties over 77 km2 */
  assert_near(p->year[0].cas_observed, 8700, 1e-9);
  assert_near(p->year[0].km2_observed, 77, 1e-9);
  assert_near(p->year[0].observed, 8700.0 / 77, 1e-9);
  /* 2024: from the last date of 2023 */
  assert_string_equal(p->year[1].from, "2023-12-31");
  assert_string_equal(p->year[1].to, "2024-01-31");
  assert_near(p->year[1].observed, 1000.0 / 20, 1e-9);
  /* monthly increments (2,700, 27), (6,000, 50), (1,000, 20) */
  assert_near(p->corr_observed, 0.9932778043199847, 1e-12);
  double b = truce_hindcast_line_break(h, 0);
  assert_true(b >= 0 && b <= 1);
  truce_hindcast_free(h);
  truce_hindcast_obs_free(ob);
  truce_scenario_free(sc);
}

static void expect_load_error(const char* text, const char* where,
                              const char* what) {
  write_file(text);
  truce_hindcast_obs* ob;
  assert_int_equal(truce_hindcast_obs_new(ctx, &ob), 0);
  int rc = truce_hindcast_obs_load(ob, path);
  remove(path);
  assert_int_equal(rc, TRUCE_EPARSE);
  assert_int_equal(truce_hindcast_obs_rows(ob), 0);
  const char* m = ts_error_text(ctx);
  char full[128];
  snprintf(full, sizeof full, "%s%s", path, where);
  if (strncmp(m, full, strlen(full)) || !strstr(m, what))
    fail_msg("got '%s'; expected '%s...%s'", m, full, what);
  truce_hindcast_obs_free(ob);
}

static void test_load_errors(void** state) {
  (void)state;
  expect_load_error("day,side,variable,value,source\n",
                    ":1:1: error:", "bad header");
  expect_load_error("# only a comment\n", ":1:1: error:", "no header");
  char t[512];
  snprintf(t, sizeof t, "%s2023-13-01,casualties,ru,1,,,p,S,c\n", HEAD);
  expect_load_error(t, ":3:1: error:", "bad date '2023-13-01'");
  snprintf(t, sizeof t, "%s2023-11-01,deaths,ru,1,,,p,S,c\n", HEAD);
  expect_load_error(t, ":3:12: error:", "unknown series 'deaths'");
  snprintf(t, sizeof t, "%s2023-11-01,casualties,ru,-5,,,p,S,c\n", HEAD);
  expect_load_error(t, ":3:26: error:", "bad value '-5'");
  snprintf(t, sizeof t, "%s2023-11-01,casualties,ru,5,9,3,p,S,c\n", HEAD);
  expect_load_error(t, ":3:28: error:", "low 9 above high 3");
  snprintf(t, sizeof t, "%s2023-11-01,casualties,ru,5,,,p,S\n", HEAD);
  expect_load_error(t, ":3:", "too few fields");
  snprintf(t, sizeof t, "%s2023-11-01,casualties,ru,5,,,p,\"S,c\n", HEAD);
  expect_load_error(t, ":3:", "unterminated quote");
  snprintf(t, sizeof t, "%s2023-11-01,casualties,ru,5,,,p,,c\n", HEAD);
  expect_load_error(t, ":3:32: error:", "empty source");
}

/* An id that is no side of the scenario is reported where it is written;
 * a quoted field keeps its comma. */
static void test_unknown_id(void** state) {
  (void)state;
  truce_scenario* sc = ts_load(ctx, SCEN);
  char t[512];
  snprintf(t, sizeof t,
           "%s2023-11-30,casualties,ru,5,,,p,\"S, quoted\",c\n"
           "2023-11-30,aid_committed,us,5,,,EUR,K,k\n",
           HEAD);
  write_file(t);
  truce_hindcast_obs* ob;
  assert_int_equal(truce_hindcast_obs_new(ctx, &ob), 0);
  assert_int_equal(truce_hindcast_obs_load(ob, path), 0);
  assert_int_equal(truce_hindcast_obs_rows(ob), 2);
  truce_hindcast* h = NULL;
  truce_hindcast_opts o = {10, 1, 0};
  assert_int_equal(truce_hindcast_run(ctx, sc, ob, &o, &h), TRUCE_EINVAL);
  assert_null(h);
  char full[128];
  snprintf(full, sizeof full, "%s:4:26: error: unknown backer 'us'", path);
  assert_non_null(strstr(ts_error_text(ctx), full));
  remove(path);
  truce_hindcast_obs_free(ob);
  truce_scenario_free(sc);
}

/* Every allocation of loading observations and running a hindcast may
 * fail: the call reports TRUCE_ENOMEM and nothing leaks. */
static int oom_step(truce_ctx* c, void* obs_path) {
  truce_scenario* sc = NULL;
  truce_hindcast_obs* ob = NULL;
  truce_hindcast* h = NULL;
  int rc = truce_scenario_load_string(c, "oom.yaml", SCEN, strlen(SCEN), &sc);
  if (!rc) rc = truce_hindcast_obs_new(c, &ob);
  if (!rc) rc = truce_hindcast_obs_load(ob, obs_path);
  truce_hindcast_opts o = {8, 1, 0};
  if (!rc) rc = truce_hindcast_run(c, sc, ob, &o, &h);
  if (!rc) assert_int_equal(truce_hindcast_group_get(h, 0)->n_points, 2);
  truce_hindcast_free(h);
  truce_hindcast_obs_free(ob);
  truce_scenario_free(sc);
  return rc;
}

static void test_oom_sweep(void** state) {
  (void)state;
  char text[512];
  snprintf(text, sizeof text,
           "%s"
           "2023-10-31,casualties,ru,100,,,persons,A,a\n"
           "2023-11-30,casualties,ru,3100,,,persons,A,a\n"
           "2023-12-31,casualties,ru,9100,,,persons,A,a\n"
           "2023-10-31,area_km2,ru,20000,,,km2,B,b\n"
           "2023-11-30,area_km2,ru,20030,,,km2,B,b\n"
           "2023-12-31,area_km2,ru,20080,,,km2,B,b\n",
           HEAD);
  write_file(text);
  ts_oom_sweep(oom_step, path, 5000);
  remove(path);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_crps_closed_form),
      cmocka_unit_test(test_pit_ties),
      cmocka_unit_test(test_pit_uniform),
      cmocka_unit_test(test_coverage_counts),
      cmocka_unit_test(test_fixed_series),
      cmocka_unit_test(test_groups_and_pairs),
      cmocka_unit_test(test_load_errors),
      cmocka_unit_test(test_unknown_id),
      cmocka_unit_test(test_oom_sweep),
  };
  return ts_run_group(tests, ts_ctx_setup, ts_ctx_teardown);
}
