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
  assert_int_equal(
      truce_engel(ctx, p.x, p.y, (size_t)p.n, p.cx[p.n], p.cy[p.n], &a, &b), 0);
  assert_true(fabs(a - 0.0544) < 0.01 * 0.0544);
  assert_true(fabs(b - 0.0106) < 0.01 * 0.0106);
  assert_int_equal(truce_engel(ctx, p.x, p.y, 0, 1, 1, &a, &b), TRUCE_EINVAL);
  truce_sim_free(sim);
  truce_scenario_free(sc);
}

/* The Ardennes (Wiper, Pettit & Young 2000): 32 days of forces and
 * casualties. */
static int ardennes(double* A, double* CA, double* G, double* CG) {
  FILE* f = fopen(ts_source_path("data/historical/ardennes/Ardennes.csv"), "r");
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
  static const char* const laws[] = {"square", "linear", "logarithmic"};
  double ssr[3], coef[2], se[2];
  for (int k = 0; k < 3; k++) {
    int law = truce_law_index(laws[k]);
    assert_true(law >= 0);
    assert_int_equal(
        truce_fit(ctx, law, A, CA, G, CG, (size_t)n, coef, se, &ssr[k]), 0);
    assert_true(coef[0] > 0 && coef[1] > 0 && se[0] > 0);
  }
  assert_true(ssr[1] < ssr[2]); /* linear < logarithmic < square */
  assert_true(ssr[2] < ssr[0]);
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
  assert_int_equal(truce_fit(ctx, truce_law_index("linear"), x, cx, y, cy, 20,
                             coef, NULL, &ssr),
                   0);
  assert_true(fabs(coef[0] - 2.385e-5) < 1e-15 &&
              fabs(coef[1] - 1.7e-5) < 1e-15);
  assert_true(ssr < 1e-12);
  /* Deitchman's law (side 0 the guerrilla): cx = a x y, cy = b x */
  int dl = truce_law_index("deitchman");
  assert_true(dl >= 0);
  for (int i = 0; i < 20; i++) {
    cx[i] = 2.385e-5 * x[i] * y[i];
    cy[i] = 0.0173 * x[i];
  }
  assert_int_equal(truce_fit(ctx, dl, x, cx, y, cy, 20, coef, NULL, &ssr), 0);
  assert_true(fabs(coef[0] / 2.385e-5 - 1) < 1e-12 &&
              fabs(coef[1] / 0.0173 - 1) < 1e-12);
  assert_true(ssr < 1e-12);
  assert_int_equal(truce_fit(ctx, (int)truce_law_count(), x, cx, y, cy, 20,
                             coef, NULL, &ssr),
                   TRUCE_EINVAL);
}

/* Synthetic data made by truce's stochastic engine (square law, Poisson
 * losses) with known coefficients: one observation per side and day, the
 * day's losses against the mid-day fronts. */
#define SYN_DAYS 30
typedef struct {
  double front[2][SYN_DAYS + 1], cas[2][SYN_DAYS + 1];
} syn_path;

static int syn_rec(void* u, const truce_day* d) {
  syn_path* p = u;
  if (d->day <= SYN_DAYS)
    for (int s = 0; s < 2; s++) {
      p->front[s][d->day] = d->side[s].front;
      p->cas[s][d->day] = d->side[s].casualties;
    }
  return 0;
}

/* rows: fronts and losses of days 0..SYN_DAYS-1; source 0 reports both
 * sides' losses, source 1 (when factor > 0) side 1's times factor. */
static size_t syn_rows(const syn_path* p, truce_obs* rows, double factor) {
  size_t n = 0;
  for (int d = 0; d < SYN_DAYS; d++)
    for (int s = 0; s < 2; s++) {
      double mid = 0.5 * (p->front[s][d] + p->front[s][d + 1]);
      double loss = p->cas[s][d + 1] - p->cas[s][d];
      rows[n++] = (truce_obs){d, s, TRUCE_OBS_FRONT, mid, 0};
      rows[n++] = (truce_obs){d, s, TRUCE_OBS_CASUALTIES, loss, 0};
      if (factor > 0 && s == 1)
        rows[n++] = (truce_obs){d, s, TRUCE_OBS_CASUALTIES,
                                floor(loss * factor + 0.5), 1};
    }
  return n;
}

static const char* const SYN_YAML =
    "truce: 1\n"
    "horizon_days: 30\n"
    "sides:\n"
    "  - {id: a, personnel: {front: 20000}}\n"
    "  - {id: b, personnel: {front: 16000}}\n"
    "combat: {law: square, coefficients: {a: 0.004, b: 0.005}}\n";

/* Run `run` of the synthetic scenario as observations: rows as syn_rows
 * makes them (sources "oryx" and, when factor > 0, "mod"), without side
 * a's losses when drop_a. */
static truce_observed* syn_observed(truce_sim* sim, uint64_t run, double factor,
                                    int drop_a) {
  static syn_path p;
  static truce_obs rows[4 * SYN_DAYS * 3];
  assert_int_equal(truce_sim_run(sim, run, TRUCE_SIM_STOCHASTIC, syn_rec, &p),
                   0);
  size_t n = syn_rows(&p, rows, factor), k = 0;
  for (size_t i = 0; i < n; i++)
    if (!(drop_a && rows[i].side == 0 && rows[i].var == TRUCE_OBS_CASUALTIES))
      rows[k++] = rows[i];
  const char* src[] = {"oryx", "mod"};
  truce_observed* o;
  assert_int_equal(
      truce_observed_new(ctx, rows, k, src, factor > 0 ? 2 : 1, &o), 0);
  return o;
}

/* The reported 90% intervals cover the true coefficients in at least 85
 * of 100 seeded trials (issue 7). */
static void test_calibration_coverage(void** s) {
  (void)s;
  truce_scenario* sc = ts_load(ctx, SYN_YAML);
  truce_sim* sim;
  assert_int_equal(truce_sim_new(ctx, sc, &sim), 0);
  int cover[2] = {0, 0};
  for (uint64_t trial = 0; trial < 100; trial++) {
    truce_observed* o = syn_observed(sim, trial, 0, 0);
    truce_calib_spec spec = {truce_law_index("square"), NULL, 0, 0};
    truce_calib_result r;
    assert_int_equal(truce_calibrate(ctx, o, sc, &spec, &r), 0);
    assert_int_equal(r.n_obs, 2 * SYN_DAYS);
    /* par[0]: b's coefficient (it hits a), par[1]: a's */
    assert_string_equal(r.par[0].name, "combat.coefficients.b");
    cover[1] += r.par[0].low <= 0.005 && 0.005 <= r.par[0].high;
    cover[0] += r.par[1].low <= 0.004 && 0.004 <= r.par[1].high;
    truce_observed_free(o);
  }
  print_message("90%% intervals covered a's coefficient %d/100, b's %d/100\n",
                cover[0], cover[1]);
  assert_true(cover[0] >= 85 && cover[1] >= 85);
  assert_true(cover[0] <= 98 && cover[1] <= 98); /* not absurdly wide */
  truce_sim_free(sim);
  truce_scenario_free(sc);
}

/* A partisan source reporting 2.7x side b's true losses (as Ukraine's MoD
 * tank claims ran about 2.7x Oryx's count) beside an unbiased one: its
 * factor is estimated jointly, from a vague prior (median 2, sdlog 1). */
static void test_calibration_source_bias(void** s) {
  (void)s;
  truce_scenario* sc = ts_load(ctx, SYN_YAML);
  truce_sim* sim;
  assert_int_equal(truce_sim_new(ctx, sc, &sim), 0);
  truce_observed* o = syn_observed(sim, 3, 2.7, 0);
  truce_source_bias bias = {"mod", 1, 2.0, 1.0};
  truce_calib_spec spec = {truce_law_index("square"), &bias, 1, 0};
  truce_calib_result r;
  assert_int_equal(truce_calibrate(ctx, o, sc, &spec, &r), 0);
  assert_int_equal(r.n_par, 3);
  assert_string_equal(r.par[2].name, "bias.mod.b");
  assert_true(r.par[2].low <= 2.7 && 2.7 <= r.par[2].high);
  assert_true(fabs(r.par[2].estimate - 2.7) < 0.05);
  assert_true(r.par[1].low <= 0.004 && 0.004 <= r.par[1].high);
  assert_int_equal(r.n_noise, 2); /* one residual sd per source */
  /* taking both sources at face value with one noise sd inflates a's
   * coefficient well beyond the truth; a noise sd per source mostly
   * discounts the partisan one (its misfit shows as noise) */
  truce_calib_spec naive = {truce_law_index("square"), NULL, 0, 1};
  truce_calib_result rn;
  assert_int_equal(truce_calibrate(ctx, o, sc, &naive, &rn), 0);
  assert_true(rn.par[1].low > 0.0045);
  assert_int_equal(rn.n_noise, 1);
  naive.pooled_noise = 0;
  assert_int_equal(truce_calibrate(ctx, o, sc, &naive, &rn), 0);
  assert_true(rn.par[1].estimate < 0.0043);
  /* a bias for a source the data do not have */
  truce_source_bias nobody = {"isw", -1, 1.0, 0.5};
  spec.bias = &nobody;
  assert_int_equal(truce_calibrate(ctx, o, sc, &spec, &r), TRUCE_EINVAL);
  assert_non_null(strstr(truce_ctx_message(ctx), "no such source"));
  truce_observed_free(o);
  truce_sim_free(sim);
  truce_scenario_free(sc);
}

/* A side without casualty figures keeps the scenario's coefficient; the
 * other is still fitted. */
static void test_calibration_held(void** s) {
  (void)s;
  truce_scenario* sc = ts_load(ctx, SYN_YAML);
  truce_sim* sim;
  assert_int_equal(truce_sim_new(ctx, sc, &sim), 0);
  truce_observed* o = syn_observed(sim, 5, 0, 1); /* no losses of a */
  truce_calib_spec spec = {truce_law_index("square"), NULL, 0, 0};
  truce_calib_result r;
  assert_int_equal(truce_calibrate(ctx, o, sc, &spec, &r), 0);
  assert_int_equal(r.n_free, 1);
  assert_true(r.par[0].held && r.par[0].se == 0);
  assert_true(fabs(r.par[0].estimate - 0.005) < 1e-15);
  assert_false(r.par[1].held);
  assert_true(r.par[1].low <= 0.004 && 0.004 <= r.par[1].high);
  truce_observed_free(o);
  truce_sim_free(sim);
  truce_scenario_free(sc);
}

/* ABC through the whole stochastic engine: with the coefficients given as
 * ranges (the priors), the posterior from one synthetic run made with
 * known coefficients covers them and is much narrower than the prior; the
 * result does not depend on the thread count. */
static void test_calibration_engine_abc(void** s) {
  (void)s;
  truce_scenario* truth = ts_load(ctx, SYN_YAML);
  truce_sim* sim;
  assert_int_equal(truce_sim_new(ctx, truth, &sim), 0);
  truce_observed* o = syn_observed(sim, 11, 0, 0);
  truce_sim_free(sim);
  truce_scenario* sc = ts_load(
      ctx,
      "truce: 1\n"
      "horizon_days: 30\n"
      "sides:\n"
      "  - {id: a, personnel: {front: 20000}}\n"
      "  - {id: b, personnel: {front: 16000}}\n"
      "combat: {law: square, coefficients: {a: {value: 0.005, low: 0.002, "
      "high: 0.008}, b: {value: 0.005, low: 0.002, high: 0.008}}}\n");
  truce_engine_abc_opts opt = {3000, 0.02, 1};
  static truce_engine_abc_result r1, r2;
  assert_int_equal(truce_calibrate_abc(ctx, o, sc, &opt, &r1), 0);
  opt.threads = 2;
  assert_int_equal(truce_calibrate_abc(ctx, o, sc, &opt, &r2), 0);
  assert_memory_equal(&r1, &r2, sizeof r1);
  assert_int_equal(r1.n_param, 2);
  assert_int_equal(r1.accepted, 60);
  assert_int_equal(r1.n_obs, 4 * SYN_DAYS);
  const double want[2] = {0.004, 0.005};
  for (int j = 0; j < 2; j++) {
    const truce_engine_abc_param* p = &r1.param[j];
    print_message("%s: prior %g (%g), posterior %g (%g) [%g, %g]\n", p->path,
                  p->prior_mean, p->prior_sd, p->mean, p->sd, p->p05, p->p95);
    assert_true(p->p05 <= want[j] && want[j] <= p->p95);
    assert_true(p->sd < p->prior_sd / 3);
  }
  /* the truth's own scenario has nothing uncertain to calibrate */
  assert_int_equal(truce_calibrate_abc(ctx, o, truth, &opt, &r1), TRUCE_EINVAL);
  assert_non_null(strstr(truce_ctx_message(ctx), "no uncertain numbers"));
  truce_observed_free(o);
  truce_scenario_free(sc);
  truce_scenario_free(truth);
}

/* Exponents are recovered from data made exactly by the law. */
static void test_calibration_exponents(void** s) {
  (void)s;
  truce_scenario* sc = ts_load(ctx, SYN_YAML);
  static truce_obs rows[4 * 40];
  const char* src[] = {"exact"};
  const double W = 0.3, P = 0.7, Q = 0.4;
  static const char* const laws[] = {"helmbold", "power", "fatigue",
                                     "deitchman"};
  const int HELMBOLD = truce_law_index("helmbold");
  const int POWER = truce_law_index("power");
  const int DEITCHMAN = truce_law_index("deitchman");
  for (int k = 0; k < 4; k++) {
    int law = truce_law_index(laws[k]);
    size_t n = 0;
    for (int d = 0; d < 40; d++) {
      double x = 20000 - 150.0 * d, y = 16000 - 90.0 * d + 2.0 * d * d;
      double cx, cy;
      if (law == HELMBOLD) {
        cx = 0.004 * pow(y, W) * pow(x, 1 - W);
        cy = 0.005 * pow(x, W) * pow(y, 1 - W);
      } else if (law == POWER) {
        cx = 2e-3 * pow(y, P) * pow(x, Q);
        cy = 3e-3 * pow(x, P) * pow(y, Q);
      } else if (law == DEITCHMAN) { /* side 0 the guerrilla */
        cx = 2.5e-7 * x * y;
        cy = 0.005 * x;
      } else {
        cx = 0.004 * x / log(2.718281828459045 + d);
        cy = 0.005 * y / log(2.718281828459045 + d);
      }
      rows[n++] = (truce_obs){d, 0, TRUCE_OBS_FRONT, x, 0};
      rows[n++] = (truce_obs){d, 1, TRUCE_OBS_FRONT, y, 0};
      rows[n++] = (truce_obs){d, 0, TRUCE_OBS_CASUALTIES, cx, 0};
      rows[n++] = (truce_obs){d, 1, TRUCE_OBS_CASUALTIES, cy, 0};
    }
    truce_observed* o;
    assert_int_equal(truce_observed_new(ctx, rows, n, src, 1, &o), 0);
    truce_calib_spec spec = {law, NULL, 0, 0};
    truce_calib_result r;
    assert_int_equal(truce_calibrate(ctx, o, sc, &spec, &r), 0);
    if (law == HELMBOLD) {
      assert_string_equal(r.par[2].name, "combat.W");
      assert_true(fabs(r.par[2].estimate - W) < 1e-6);
      assert_true(fabs(r.par[0].estimate / 0.004 - 1) < 1e-6);
    } else if (law == POWER) {
      assert_true(fabs(r.par[2].estimate - P) < 1e-6);
      assert_true(fabs(r.par[3].estimate - Q) < 1e-6);
      assert_true(fabs(r.par[1].estimate / 3e-3 - 1) < 1e-5);
    } else {
      double a0 = law == DEITCHMAN ? 2.5e-7 : 0.004;
      assert_int_equal(r.n_par, 2);
      assert_true(fabs(r.par[0].estimate / a0 - 1) < 1e-9);
      assert_true(fabs(r.par[1].estimate / 0.005 - 1) < 1e-9);
    }
    assert_true(r.ssr < 1e-12);
    truce_observed_free(o);
  }
  truce_scenario_free(sc);
}

/* truce_observed_column by side and variable: the days with both fronts
 * (day 3 has one), each value the mean over the sources (side 0's
 * casualties: 10 + d and 12 + d, so 11 + d; none on day 1 for side 1:
 * NaN), NaN throughout for a side or a variable out of range. */
static void test_observed_columns(void** s) {
  (void)s;
  truce_obs rows[16];
  size_t n = 0;
  for (int d = 0; d < 3; d++) {
    rows[n++] = (truce_obs){d, 0, TRUCE_OBS_FRONT, 100.0 + d, 0};
    rows[n++] = (truce_obs){d, 1, TRUCE_OBS_FRONT, 200.0 + d, 0};
    rows[n++] = (truce_obs){d, 0, TRUCE_OBS_CASUALTIES, 10.0 + d, 0};
    rows[n++] = (truce_obs){d, 0, TRUCE_OBS_CASUALTIES, 12.0 + d, 1};
    if (d != 1)
      rows[n++] = (truce_obs){d, 1, TRUCE_OBS_CASUALTIES, 20.0 + d, 1};
  }
  rows[n++] = (truce_obs){3, 0, TRUCE_OBS_FRONT, 103, 0};
  const char* src[2] = {"a", "b"};
  truce_observed* o;
  assert_int_equal(truce_observed_new(ctx, rows, n, src, 2, &o), 0);
  assert_int_equal(truce_observed_days(o), 3);
  double c[3];
  static const double want[2][2][3] = {
      {{100, 101, 102}, {11, 12, 13}},
      {{200, 201, 202}, {20, (double)NAN, 22}}};
  for (size_t side = 0; side < 2; side++)
    for (int v = 0; v < TRUCE_OBS_VARS; v++) {
      truce_observed_column(o, side, v, c);
      for (size_t i = 0; i < 3; i++) {
        double w = want[side][v][i];
        if (isnan(w))
          assert_true(isnan(c[i]));
        else
          assert_true(fabs(c[i] - w) < 1e-12);
      }
    }
  truce_observed_column(o, 2, TRUCE_OBS_FRONT, c);
  for (size_t i = 0; i < 3; i++) assert_true(isnan(c[i]));
  truce_observed_column(o, 0, TRUCE_OBS_VARS, c);
  for (size_t i = 0; i < 3; i++) assert_true(isnan(c[i]));
  truce_observed_column(o, 0, -1, c);
  for (size_t i = 0; i < 3; i++) assert_true(isnan(c[i]));
  truce_observed_free(o);
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
      {TRUCE_BATTLE_LOGARITHMIC, 0.8, {0, 3000, 700, 2500, 900}, 716, 490, -1},
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
          ctx, ts_source_path("data/historical/rubio_campillo/01.csv"), &b, &n))
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
          ctx, ts_source_path("data/historical/rubio_campillo/03.csv"), &b, &n))
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
  const char* m = ts_error_text(ctx);
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
      cmocka_unit_test(test_calibration_coverage),
      cmocka_unit_test(test_calibration_source_bias),
      cmocka_unit_test(test_calibration_exponents),
      cmocka_unit_test(test_observed_columns),
      cmocka_unit_test(test_calibration_held),
      cmocka_unit_test(test_calibration_engine_abc),
      cmocka_unit_test(test_battle_known_answers),
      cmocka_unit_test(test_abc_lanes_and_threads),
      cmocka_unit_test(test_abc_rubio_campillo_period_03),
      cmocka_unit_test(test_battles_errors),
  };
  return ts_run_group(tests, ts_ctx_setup, ts_ctx_teardown);
}
