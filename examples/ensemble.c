/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A program using the installed libtruce: it loads a small scenario from
 * memory, runs an ensemble of 200 runs on two threads, and prints each
 * side's front strength at the horizon (median and 90% band) and the
 * share of runs in which it was exhausted. Built only with
 *   cc ensemble.c $(pkg-config --cflags --libs truce)
 * Every run's random numbers depend only on (seed, run), so the output is
 * the same on every machine and thread count: ensemble.out is the
 * expected output (tests/install/run.sh compares them). */
#include <stdio.h>
#include <string.h>

#include <truce/truce.h>

static const char scenario[] =
    "truce: 1\nname: example\nhorizon_days: 90\nseed: 11\n"
    "sides:\n"
    "  - id: a\n    exhaustion_threshold: 900\n"
    "    personnel: {front: {value: 1000, low: 900, high: 1100}, pool: 5000,"
    " recruits_per_month: 200}\n"
    "  - id: b\n    posture: attack\n"
    "    personnel: {front: {dist: normal, mean: 1200, sd: 50}}\n"
    "combat:\n  law: square\n  coefficients: {a: 0.01, b: {dist: uniform, "
    "min: 0.006, max: 0.01}}\n";

/* Print the error recorded in ctx and return 1 (the exit status). */
static int fail(truce_ctx* ctx, const char* what) {
  fprintf(stderr, "ensemble: %s: %s (%s)\n", what, truce_ctx_message(ctx),
          truce_err_name(truce_ctx_code(ctx)));
  return 1;
}

int main(void) {
  truce_ctx* ctx;
  if (truce_ctx_new(&ctx, NULL, NULL)) return 1;
  truce_scenario* sc = NULL;
  truce_ensemble* e = NULL;
  int status = 0;
  if (truce_scenario_load_string(ctx, "example.yaml", scenario,
                                 strlen(scenario), &sc)) {
    status = fail(ctx, "scenario");
    goto done;
  }
  truce_ensemble_opts opts = {0};
  opts.runs = 200;
  opts.threads = 2;
  if (truce_ensemble_run(ctx, sc, &opts, &e)) {
    status = fail(ctx, "ensemble");
    goto done;
  }
  int last = truce_ensemble_days(e) - 1;
  printf("%llu runs of %s, day %d\n",
         (unsigned long long)truce_ensemble_runs(e), truce_scenario_name(sc),
         last);
  for (size_t s = 0; s < truce_scenario_side_count(sc); s++) {
    truce_band b;
    if (truce_ensemble_band(e, last, s, truce_series_index("front"), &b)) {
      status = fail(ctx, "band");
      goto done;
    }
    uint64_t exhausted = 0;
    for (uint64_t r = 0; r < truce_ensemble_runs(e); r++) {
      truce_side_outcome o[2];
      if (truce_ensemble_outcome(e, r, o) == 0 && o[s].exhaustion_day >= 0)
        exhausted++;
    }
    printf(
        "%s: front %.0f (90%% band %.0f-%.0f), exhausted in %llu of "
        "%llu runs\n",
        truce_scenario_side_id(sc, s), b.p50, b.p05, b.p95,
        (unsigned long long)exhausted,
        (unsigned long long)truce_ensemble_runs(e));
  }
done:
  truce_ensemble_free(e);
  truce_scenario_free(sc);
  truce_ctx_free(ctx);
  return status;
}
