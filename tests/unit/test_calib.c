/* SPDX-License-Identifier: GPL-3.0-or-later
 * Calibration: Engel's estimators recover Iwo Jima's coefficients from the
 * simulated path; the Ardennes rates and law ranking match the published
 * figures; least squares recovers exact coefficients. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"

typedef struct {
  int n;
  double x[64], y[64], cx[64], cy[64];
} series;

static int rec(void* u, const truce_day* d) {
  series* s = u;
  if (d->day < 64) {
    s->x[d->day] = d->side[0].front;
    s->y[d->day] = d->side[1].front;
    s->cx[d->day] = d->side[0].casualties;
    s->cy[d->day] = d->side[1].casualties;
    s->n = d->day;
  }
  return 0;
}

/* Engel's estimators on the simulated Iwo Jima path: a = 0.0544 and
 * b = 0.0106 within 1%. */
static void test_engel_iwo_jima(void** s) {
  (void)s;
  truce_scenario* sc;
  if (truce_scenario_load(
          ctx, ts_source_path("scenarios/historical/iwo-jima-1945.yaml"), &sc))
    fail_msg("%s", truce_ctx_message(ctx));
  truce_sim* sim;
  static series p;
  assert_int_equal(truce_sim_new(ctx, sc, &sim), 0);
  assert_int_equal(truce_sim_run(sim, 0, TRUCE_SIM_DETERMINISTIC, rec, &p), 0);
  double a, b;
  assert_int_equal(truce_engel(ctx, p.x, p.y, (size_t)p.n, p.cx[p.n],
                               p.cy[p.n], &a, &b),
                   0);
  assert_true(fabs(a - 0.0544) < 0.01 * 0.0544);
  assert_true(fabs(b - 0.0106) < 0.01 * 0.0106);
  assert_int_equal(truce_engel(ctx, p.x, p.y, 0, 1, 1, &a, &b), TRUCE_EINVAL);
  truce_sim_free(sim);
  truce_scenario_free(sc);
}

/* The Ardennes (Wiper, Pettit & Young 2000): 32 days of forces and
 * casualties. */
static int ardennes(double* A, double* CA, double* G, double* CG) {
  FILE* f =
      fopen(ts_source_path("data/historical/ardennes/Ardennes.csv"), "r");
  if (!f) return -1;
  char line[256];
  int n = 0;
  if (!fgets(line, sizeof line, f)) n = -1;
  while (n >= 0 && n < 64 && fgets(line, sizeof line, f)) {
    double day;
    if (sscanf(line, "%lf %lf %lf %lf %lf", &day, &A[n], &CA[n], &G[n],
               &CG[n]) == 5)
      n++;
  }
  fclose(f);
  return n;
}

static void test_ardennes(void** s) {
  (void)s;
  double A[64], CA[64], G[64], CG[64];
  int n = ardennes(A, CA, G, CG);
  assert_int_equal(n, 32);
  /* Engel-style rates at the data's daily resolution */
  double sa = 0, sg = 0, cal = 0, cge = 0;
  for (int i = 0; i < n; i++) {
    sa += A[i];
    sg += G[i];
    cal += CA[i];
    cge += CG[i];
  }
  double a = cal / sg, b = cge / sa;
  assert_true(fabs(a - 0.00386) < 0.01 * 0.00386);
  assert_true(fabs(b - 0.00406) < 0.01 * 0.00406);
  /* least squares, one coefficient per side: linear < log < square */
  double ssr[TRUCE_FIT_COUNT], coef[2], se[2];
  for (int law = 0; law < TRUCE_FIT_COUNT; law++) {
    assert_int_equal(
        truce_fit(ctx, law, A, CA, G, CG, (size_t)n, coef, se, &ssr[law]), 0);
    assert_true(coef[0] > 0 && coef[1] > 0 && se[0] > 0);
  }
  assert_true(ssr[TRUCE_FIT_LINEAR] < ssr[TRUCE_FIT_LOGARITHMIC]);
  assert_true(ssr[TRUCE_FIT_LOGARITHMIC] < ssr[TRUCE_FIT_SQUARE]);
}

/* Data made exactly by a law give back its coefficients and zero SSR. */
static void test_exact_recovery(void** s) {
  (void)s;
  double x[20], y[20], cx[20], cy[20];
  for (int i = 0; i < 20; i++) {
    x[i] = 1000 - 13.7 * i;
    y[i] = 800 - 9.1 * i + 0.3 * i * i;
    cx[i] = 2.385e-5 * x[i] * y[i];
    cy[i] = 1.7e-5 * x[i] * y[i];
  }
  double coef[2], ssr;
  assert_int_equal(
      truce_fit(ctx, TRUCE_FIT_LINEAR, x, cx, y, cy, 20, coef, NULL, &ssr), 0);
  assert_true(fabs(coef[0] - 2.385e-5) < 1e-15 &&
              fabs(coef[1] - 1.7e-5) < 1e-15);
  assert_true(ssr < 1e-12);
  assert_int_equal(truce_fit(ctx, 7, x, cx, y, cy, 20, coef, NULL, &ssr),
                   TRUCE_EINVAL);
}

/* Battle steps computed by hand (and by bench/reference/rubio_abc.py):
 * square, R 1000/100, B 500/200, ratio 1: k = 0.1; R 950, 910, 879 and
 * B 400, 305, 214, so casualties 121 and 286 after 3 steps; fatigue, R
 * 1000/300, B 1000/100, ratio 0.5: 900/950, 831/913 (ln(e+1) = 1.3133),
 * 777/883 (ln(e+2) = 1.5514). */
static void test_battle_known_answers(void** s) {
  (void)s;
  struct {
    int law;
    double ratio;
    truce_battle b;
    double cr, cb;
    long steps;
  } k[] = {
      {TRUCE_BATTLE_SQUARE, 1.0, {0, 1000, 100, 500, 200}, 121, 286, 3},
      {TRUCE_BATTLE_FATIGUE, 0.5, {0, 1000, 300, 1000, 100}, 223, 117, 3},
      {TRUCE_BATTLE_LINEAR, 1.5, {0, 2000, 500, 1500, 400}, 325, 487, -1},
      {TRUCE_BATTLE_LOGARITHMIC, 0.8, {0, 3000, 700, 2500, 900}, 716, 490,
       -1},
  };
  for (size_t i = 0; i < sizeof k / sizeof k[0]; i++) {
    double cas[2];
    long st = truce_battle_simulate(k[i].law, k[i].ratio, &k[i].b, cas);
    assert_true(cas[0] == k[i].cr && cas[1] == k[i].cb);
    if (k[i].steps > 0) assert_int_equal(st, k[i].steps);
    /* a battle ends when a side is down to its historical survivors */
    assert_true(cas[0] >= k[i].b.rc || cas[1] >= k[i].b.bc);
  }
}

/* The lanes (several battles at once) give each battle the result it has
 * alone, and ABC's result does not depend on the thread count. */
static void test_abc_lanes_and_threads(void** s) {
  (void)s;
  truce_battle* b;
  size_t n;
  if (truce_battles_load(
          ctx, ts_source_path("data/historical/rubio_campillo/01.csv"), &b,
          &n))
    fail_msg("%s", truce_ctx_message(ctx));
  assert_int_equal(n, 112);
  truce_abc_opts o = {7, 400, 0.05, 5, 5, 1};
  truce_abc_result r1, r2;
  assert_int_equal(truce_abc_select(ctx, b, n, &o, &r1), 0);
  o.threads = 2;
  assert_int_equal(truce_abc_select(ctx, b, n, &o, &r2), 0);
  assert_memory_equal(&r1, &r2, sizeof r1);
  /* all battles at once (in lanes) = each battle alone */
  double ratio[112], cas[224], one[2];
  for (size_t i = 0; i < n; i++) ratio[i] = 0.25 + (double)(i % 13) * 0.3;
  for (int l = 0; l < TRUCE_BATTLE_LAWS; l++) {
    truce_battles_simulate(l, ratio, b, n, cas);
    for (size_t i = 0; i < n; i++) {
      truce_battle_simulate(l, ratio[i], &b[i], one);
      assert_true(one[0] == cas[2 * i] && one[1] == cas[2 * i + 1]);
    }
  }
  assert_int_equal(r1.accepted, 20);
  size_t total = 0;
  for (int l = 0; l < TRUCE_BATTLE_LAWS; l++) {
    total += r1.count[l];
    assert_true(r1.best[l] <= r1.threshold || r1.count[l] == 0);
  }
  assert_int_equal(total, r1.accepted);
  assert_true(r1.battles == 400.0 * 112);
  truce_battles_free(ctx, b, n);
}

/* Rubio-Campillo (2016): on period 03 (556 battles, 1793-1815) rejection
 * ABC gives the fatigue law the largest share and the square law almost
 * none. 4,000 runs, the best 1% accepted, seed 1. */
static void test_abc_rubio_campillo_period_03(void** s) {
  (void)s;
  truce_battle* b;
  size_t n;
  if (truce_battles_load(
          ctx, ts_source_path("data/historical/rubio_campillo/03.csv"), &b,
          &n))
    fail_msg("%s", truce_ctx_message(ctx));
  assert_int_equal(n, 556);
  truce_abc_opts o = {1, 4000, 0.01, 5, 5, 0};
  truce_abc_result r;
  assert_int_equal(truce_abc_select(ctx, b, n, &o, &r), 0);
  for (int l = 0; l < TRUCE_BATTLE_LAWS; l++)
    if (l != TRUCE_BATTLE_FATIGUE)
      assert_true(r.count[TRUCE_BATTLE_FATIGUE] > r.count[l]);
  assert_true(r.count[TRUCE_BATTLE_SQUARE] <= r.accepted / 40); /* <= 2.5% */
  assert_true(r.count[TRUCE_BATTLE_FATIGUE] * 2 > r.accepted);
  truce_battles_free(ctx, b, n);
}

static void battles_fail(const char* text, const char* want) {
  char path[] = "/tmp/truce-battles-XXXXXX";
  int fd = mkstemp(path);
  assert_true(fd >= 0);
  FILE* f = fdopen(fd, "w");
  fputs(text, f);
  fclose(f);
  truce_battle* b = (truce_battle*)1;
  size_t n = 9;
  assert_int_not_equal(truce_battles_load(ctx, path, &b, &n), 0);
  assert_null(b);
  assert_int_equal(n, 0);
  const char* m = truce_ctx_message(ctx);
  if (!strstr(m, want)) fail_msg("'%s' lacks '%s'", m, want);
  if (!strstr(m, path)) fail_msg("'%s' lacks the path", m);
  remove(path);
}

static void test_battles_errors(void** s) {
  (void)s;
  battles_fail("year,R0,Rc,B0,Bc\n", ":1:1: error: bad header");
  battles_fail("year;R0;Rc;B0;Bc\n1800;100;x;50;5\n", ":2:10: error: bad Rc");
  battles_fail("year;R0;Rc;B0;Bc\n1800;100;10;50\n", ":2:13: error: bad B0");
  battles_fail("year;R0;Rc;B0;Bc\n1800;100;200;50;5\n",
               ":2:1: error: side R's casualties 200 out of range");
  battles_fail("year;R0;Rc;B0;Bc\n1800;100;20;50;0\n",
               "side B's casualties 0 out of range");
  battles_fail("year;R0;Rc;B0;Bc\n", ":2:1: error: no battles");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_engel_iwo_jima),
      cmocka_unit_test(test_ardennes),
      cmocka_unit_test(test_exact_recovery),
      cmocka_unit_test(test_battle_known_answers),
      cmocka_unit_test(test_abc_lanes_and_threads),
      cmocka_unit_test(test_abc_rubio_campillo_period_03),
      cmocka_unit_test(test_battles_errors),
  };
  return cmocka_run_group_tests(tests, ts_ctx_setup, ts_ctx_teardown);
}
