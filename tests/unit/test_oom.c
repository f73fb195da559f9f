/* SPDX-License-Identifier: GPL-3.0-or-later
 * The out-of-memory sweep over each module's public entry points (after
 * SQLite's malloc tests and Lua's memerr.lua): for k = 1, 2, ... the test
 * allocator fails allocation k, and the call must return TRUCE_ENOMEM
 * with that code in the context, free every block it made (passing each
 * block's true size) and leave no temporary file, until the first k past
 * its last allocation, where it succeeds. Each case is small, so the
 * sweep stays quick under ASan. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "support.h"

/* Two sides, uncertain numbers, a front: small but through every phase
 * of a day. */
static const char* const WAR =
    "truce: 1\nname: oom\nhorizon_days: 12\nseed: 5\nstart: "
    "2024-02-27\n" TS_TWO_SIDES;

/* The same war with a negotiation of two issues. */
static const char* const NEGO =
    "negotiation:\n"
    "  issues:\n"
    "    x: {options: [x0, x1, x2], status_quo: x0}\n"
    "  sides:\n"
    "    a: {weights: {territory: 0.6, x: 0.4}, bargaining_power: 0.6,\n"
    "        values: {x: {x0: 0.1, x1: 0.8, x2: 0.5}}}\n"
    "    b: {weights: {territory: 0.5, x: 0.5}, bargaining_power: 0.4,\n"
    "        values: {x: {x0: 0.9, x1: 0.3, x2: 0.6}}}\n";

static char work[200]; /* this program's scratch directory */

/* ------------------------------------------------------------ Helpers */

/* Files in dir whose names end in ".tmp" (a write left half-done). */
static int tmp_files(const char* dir) {
  DIR* d = opendir(dir);
  if (!d) return 0;
  int n = 0;
  for (struct dirent* e; (e = readdir(d));) {
    size_t l = strlen(e->d_name);
    n += l > 4 && !strcmp(e->d_name + l - 4, ".tmp");
  }
  closedir(d);
  return n;
}

/* Remove every file of dir (not subdirectories: there are none). */
static void clear_dir(const char* dir) {
  DIR* d = opendir(dir);
  if (!d) return;
  char p[1000];
  for (struct dirent* e; (e = readdir(d));) {
    if (e->d_name[0] == '.') continue;
    snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
    remove(p);
  }
  closedir(d);
}

/* work/name (static buffer: copy it before the next call). */
static const char* work_path(const char* name) {
  static char p[600];
  snprintf(p, sizeof p, "%s/%s", work, name);
  return p;
}

static int load(truce_ctx* c, const char* text, truce_scenario** sc) {
  return truce_scenario_load_string(c, "oom.yaml", text, strlen(text), sc);
}

/* The war with the negotiation appended (static buffer). */
static const char* war_with_nego(void) {
  static char buf[4096];
  snprintf(buf, sizeof buf, "%s%s", WAR, NEGO);
  return buf;
}

/* A sweep step may stop early; every step frees what it made, so these
 * helpers keep the steps short. */
#define TRY(x)                 \
  do {                         \
    if ((rc = (x))) goto done; \
  } while (0)

/* ----------------------------------------------------- Scenario layer */

/* A file (read whole, then parsed) rewritten with one value, and text
 * with a negotiation, then overrides: a fixed number, an uncertain one
 * (which stops being uncertain), the seed. */
static int step_scenario(truce_ctx* c, void* u) {
  (void)u;
  truce_scenario* sc = NULL;
  int rc;
  TRY(truce_scenario_load(
      c, ts_source_path("scenarios/historical/iwo-jima-1945.yaml"), &sc));
  char out[600];
  snprintf(out, sizeof out, "%s", work_path("w.yaml"));
  const char* paths[] = {"combat.coefficients.us"};
  const char* values[] = {"{value: 0.011, source: a test}"};
  rc = truce_scenario_write_with(c, sc, out, 1, paths, values);
  if (tmp_files(work)) {
    fprintf(stderr, "a temporary file was left in %s\n", work);
    rc = TRUCE_EINTERNAL; /* fails the sweep */
  }
  if (rc) goto done;
  truce_scenario_free(sc);
  sc = NULL;
  TRY(load(c, war_with_nego(), &sc));
  TRY(truce_scenario_set(c, sc, "sides.a.personnel.recruits_per_month=300"));
  TRY(truce_scenario_set_from(c, sc, "combat.coefficients.b=0.008", "a test"));
  TRY(truce_scenario_set(c, sc, "seed=11"));
  double v[8];
  TRY(truce_scenario_sample(c, sc, 3, v));
done:
  truce_scenario_free(sc);
  return rc;
}

static void test_scenario_load_and_set(void** s) {
  (void)s;
  long n = ts_oom_sweep(step_scenario, NULL, 5000);
  print_message("scenario load and --set: %ld allocations\n", n);
}

/* ------------------------------------------------------------ One run */

static int step_run(truce_ctx* c, void* u) {
  (void)u;
  truce_scenario* sc = NULL;
  truce_sim* sim = NULL;
  int rc;
  TRY(load(c, WAR, &sc));
  TRY(truce_sim_new(c, sc, &sim));
  TRY(truce_sim_run(sim, 2, TRUCE_SIM_STOCHASTIC, NULL, NULL));
  truce_side_outcome o;
  TRY(truce_sim_outcome(sim, 0, &o));
done:
  truce_sim_free(sim);
  truce_scenario_free(sc);
  return rc;
}

static void test_one_run(void** s) {
  (void)s;
  long n = ts_oom_sweep(step_run, NULL, 5000);
  print_message("one run: %ld allocations\n", n);
}

/* ------------------------------- An ensemble, its outputs and report */

typedef struct {
  const char* dir;
  int threads;
  bool nego;
} ens_case;

/* An ensemble (with the bargaining hook when nego), written as truce run
 * writes it: outputs, then the report. */
static int step_ensemble(truce_ctx* c, void* u) {
  const ens_case* ec = u;
  truce_scenario* sc = NULL;
  truce_ensemble* e = NULL;
  truce_output* out = NULL;
  truce_ensemble_hook hook;
  truce_bargain_summary bs;
  int rc;
  clear_dir(ec->dir);
  TRY(load(c, ec->nego ? war_with_nego() : WAR, &sc));
  if (ec->nego) TRY(truce_bargain_hook(c, sc, &hook));
  truce_ensemble_opts eo = {0};
  eo.runs = 3;
  eo.threads = ec->threads;
  eo.hook = ec->nego ? &hook : NULL;
  TRY(truce_ensemble_run(c, sc, &eo, &e));
  if (ec->nego) TRY(truce_bargain_summarise(c, sc, e, &bs));
  TRY(truce_output_open(c, ec->dir, sc, &out));
  TRY(truce_output_ensemble(out, e));
  truce_run_meta meta = {truce_scenario_seed(sc),   3, 0, "truce run oom",
                         truce_ensemble_threads(e), 1};
  TRY(truce_output_commit(out, &meta));
  char html[600];
  snprintf(html, sizeof html, "%s/report.html", ec->dir);
  TRY(truce_report_write(c, ec->dir, html));
done:
  truce_output_free(out);
  truce_ensemble_free(e);
  truce_scenario_free(sc);
  if (tmp_files(ec->dir)) {
    fprintf(stderr, "a temporary file was left in %s\n", ec->dir);
    return TRUCE_EINTERNAL; /* fails the sweep */
  }
  return rc;
}

static void test_ensemble_outputs_report(void** s) {
  (void)s;
  char dir[600];
  snprintf(dir, sizeof dir, "%s", work_path("ens"));
  ens_case ec = {dir, 1, false};
  mkdir(dir, 0777);
  long n = ts_oom_sweep(step_ensemble, &ec, 20000);
  print_message("ensemble, outputs and report: %ld allocations\n", n);
}

/* Two threads: a thread's own context may fail to be made too. The order
 * of the threads' allocations varies, so only the outcome is checked. */
static void test_ensemble_two_threads(void** s) {
  (void)s;
  char dir[600];
  snprintf(dir, sizeof dir, "%s", work_path("ens2"));
  ens_case ec = {dir, 2, false};
  mkdir(dir, 0777);
  ts_oom_sweep(step_ensemble, &ec, 20000);
}

/* ------------------------------------------------------------ Bargain */

static int step_bargain(truce_ctx* c, void* u) {
  (void)u;
  truce_scenario* sc = NULL;
  truce_bargain_day* d = NULL;
  int rc;
  TRY(load(c, war_with_nego(), &sc));
  TRY(truce_bargain_analyse(c, sc, 7, &d));
done:
  truce_bargain_day_free(c, d);
  truce_scenario_free(sc);
  return rc;
}

static void test_bargain_analysis(void** s) {
  (void)s;
  long n = ts_oom_sweep(step_bargain, NULL, 5000);
  print_message("bargain analysis: %ld allocations\n", n);
  char dir[600];
  snprintf(dir, sizeof dir, "%s", work_path("nego"));
  ens_case ec = {dir, 1, true};
  mkdir(dir, 0777);
  n = ts_oom_sweep(step_ensemble, &ec, 20000);
  print_message("ensemble with bargaining: %ld allocations\n", n);
}

/* -------------------------------------------------------- Stakeholders */

static int step_stake(truce_ctx* c, void* u) {
  (void)u;
  truce_stake* st = NULL;
  truce_stake_result* r = NULL;
  int rc;
  TRY(truce_stake_load(c,
                       ts_source_path("scenarios/stakeholders/"
                                      "contact-group.yaml"),
                       &st));
  for (int m = 0; m < TRUCE_STAKE_MODEL_COUNT; m++) {
    TRY(truce_stake_solve(c, st, m, NULL, &r));
    truce_stake_result_free(c, r);
    r = NULL;
  }
done:
  truce_stake_result_free(c, r);
  truce_stake_free(st);
  return rc;
}

static void test_stakeholder_models(void** s) {
  (void)s;
  long n = ts_oom_sweep(step_stake, NULL, 5000);
  print_message("stakeholder models: %ld allocations\n", n);
}

/* ---------------------------------------------------------- Calibration */

static int step_calib(truce_ctx* c, void* u) {
  (void)u;
  truce_scenario* sc = NULL;
  truce_observed* o = NULL;
  truce_battle* b = NULL;
  size_t nb = 0;
  int rc;
  TRY(load(c, WAR, &sc));
  truce_obs rows[24];
  size_t n = 0;
  for (int d = 0; d < 6; d++)
    for (int side = 0; side < 2; side++) {
      rows[n++] = (truce_obs){d, side, TRUCE_OBS_FRONT,
                              1000.0 - 11.3 * d - 60 * side, 0};
      rows[n++] = (truce_obs){d, side, TRUCE_OBS_CASUALTIES,
                              9.1 + 1.7 * d + 3 * side, 0};
    }
  const char* src[] = {"oryx"};
  TRY(truce_observed_new(c, rows, n, src, 1, &o));
  truce_calib_spec spec = {truce_law_index("square"), NULL, 0, 0};
  truce_calib_result cr;
  TRY(truce_calibrate(c, o, sc, &spec, &cr));
  truce_engine_abc_opts eo = {0};
  eo.runs = 4;
  eo.tolerance = 0.5;
  eo.threads = 1;
  truce_engine_abc_result er;
  TRY(truce_calibrate_abc(c, o, sc, &eo, &er));
  TRY(truce_battles_load(
      c, ts_source_path("data/historical/rubio_campillo/01.csv"), &b, &nb));
  truce_abc_opts ao = {7, 8, 0.25, 5, 5, 1};
  truce_abc_result ar;
  TRY(truce_abc_select(c, b, nb, &ao, &ar));
done:
  truce_battles_free(c, b, nb);
  truce_observed_free(o);
  truce_scenario_free(sc);
  return rc;
}

static void test_calibration(void** s) {
  (void)s;
  long n = ts_oom_sweep(step_calib, NULL, 5000);
  print_message("calibration: %ld allocations\n", n);
}

/* ------------------------------------------------------------- Compare */

static int step_compare(truce_ctx* c, void* u) {
  (void)u;
  truce_comparison* cmp = NULL;
  char a[600], b[600], out[600], html[700];
  snprintf(a, sizeof a, "%s", work_path("a"));
  snprintf(b, sizeof b, "%s", work_path("b"));
  snprintf(out, sizeof out, "%s", work_path("cmp"));
  snprintf(html, sizeof html, "%s/compare.html", out);
  clear_dir(out);
  int rc = truce_compare(c, a, b, &cmp);
  if (!rc) rc = truce_compare_write_html(c, cmp, a, b, html);
  truce_comparison_free(c, cmp);
  if (tmp_files(out)) {
    fprintf(stderr, "a temporary file was left in %s\n", out);
    return TRUCE_EINTERNAL;
  }
  return rc;
}

/* Write an ensemble's outputs into work/NAME with the given --set. */
static void outputs(const char* name, const char* set) {
  truce_scenario* sc = ts_load(ctx, WAR);
  if (set) assert_int_equal(truce_scenario_set(ctx, sc, set), 0);
  truce_ensemble* e;
  truce_ensemble_opts eo = {0};
  eo.runs = 3;
  assert_int_equal(truce_ensemble_run(ctx, sc, &eo, &e), 0);
  truce_output* out;
  char dir[600];
  snprintf(dir, sizeof dir, "%s", work_path(name));
  assert_int_equal(truce_output_open(ctx, dir, sc, &out), 0);
  assert_int_equal(truce_output_ensemble(out, e), 0);
  truce_run_meta meta = {5, 3, 0, "truce run", 1, 1};
  assert_int_equal(truce_output_commit(out, &meta), 0);
  truce_output_free(out);
  truce_ensemble_free(e);
  truce_scenario_free(sc);
}

static void test_compare(void** s) {
  (void)s;
  outputs("a", NULL);
  outputs("b", "combat.coefficients.a=0.012");
  mkdir(work_path("cmp"), 0777);
  long n = ts_oom_sweep(step_compare, NULL, 5000);
  print_message("compare: %ld allocations\n", n);
}

/* ---------------------------------------------------------------- main */

static int setup(void** s) {
  snprintf(work, sizeof work, "oom-test-%ld", (long)getpid());
  if (mkdir(work, 0777)) return -1;
  return ts_ctx_setup(s);
}

static int teardown(void** s) {
  char cmd[300];
  snprintf(cmd, sizeof cmd, "rm -rf %s", work);
  int rc = system(cmd);
  return ts_ctx_teardown(s) || rc;
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_scenario_load_and_set),
      cmocka_unit_test(test_one_run),
      cmocka_unit_test(test_ensemble_outputs_report),
      cmocka_unit_test(test_ensemble_two_threads),
      cmocka_unit_test(test_bargain_analysis),
      cmocka_unit_test(test_stakeholder_models),
      cmocka_unit_test(test_calibration),
      cmocka_unit_test(test_compare),
  };
  return ts_run_group(tests, setup, teardown);
}
