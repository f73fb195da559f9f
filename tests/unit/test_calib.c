/* SPDX-License-Identifier: GPL-3.0-or-later
 * Calibration: Engel's estimators recover Iwo Jima's coefficients from the
 * simulated path; the Ardennes rates and law ranking match the published
 * figures; least squares recovers exact coefficients. */
#include <math.h>
#include <stdio.h>
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

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_engel_iwo_jima),
      cmocka_unit_test(test_ardennes),
      cmocka_unit_test(test_exact_recovery),
  };
  return cmocka_run_group_tests(tests, ts_ctx_setup, ts_ctx_teardown);
}
