/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Times an ensemble (engine + streaming summaries, no file output) and
 * prints one JSON line: seconds, ns per simulated run-day, peak memory,
 * and the mean and SD of each side's final front strength and casualties
 * (to compare with the NumPy reference). Public API only.
 *
 * usage: bench_ensemble SCENARIO RUNS THREADS   (under mpirun: per rank)
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>
#include <truce/truce.h>

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

int main(int argc, char** argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: bench_ensemble SCENARIO RUNS THREADS\n");
    return 2;
  }
  truce_parallel_init(&argc, &argv);
  truce_ctx* ctx;
  truce_scenario* sc;
  if (truce_ctx_new(&ctx, NULL, NULL) ||
      truce_scenario_load(ctx, argv[1], &sc)) {
    fprintf(stderr, "%s\n", ctx ? truce_ctx_message(ctx) : "no memory");
    return 1;
  }
  truce_ensemble_opts o = {.runs = strtoull(argv[2], NULL, 10),
                           .threads = atoi(argv[3]),
                           .use_mpi = 1};
  truce_ensemble* e;
  double t0 = now();
  if (truce_ensemble_run(ctx, sc, &o, &e)) {
    fprintf(stderr, "%s\n", truce_ctx_message(ctx));
    return 1;
  }
  double secs = now() - t0;
  if (truce_ensemble_is_root(e)) {
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    int days = truce_scenario_horizon_days(sc);
    printf(
        "{\"runs\": %llu, \"days\": %d, \"threads\": %d, \"ranks\": %d, "
        "\"seconds\": %.4f, \"ns_per_run_day\": %.2f, \"maxrss_mb\": %.1f",
        (unsigned long long)o.runs, days, truce_ensemble_threads(e),
        truce_ensemble_ranks(e), secs, secs * 1e9 / ((double)o.runs * days),
        (double)ru.ru_maxrss / 1024);
    printf(", \"sides\": {");
    for (size_t i = 0; i < 2; i++) {
      double s[2] = {0, 0}, s2[2] = {0, 0};
      for (uint64_t r = 0; r < o.runs; r++) {
        truce_side_outcome oc[2];
        truce_ensemble_outcome(e, r, oc);
        double v[2] = {oc[i].front_end, oc[i].casualties_total};
        for (int k = 0; k < 2; k++) {
          s[k] += v[k];
          s2[k] += v[k] * v[k];
        }
      }
      double n = (double)o.runs;
      printf(
          "%s\"%s\": {\"front_end_mean\": %.3f, \"front_end_sd\": %.3f, "
          "\"casualties_mean\": %.3f, \"casualties_sd\": %.3f}",
          i ? ", " : "", truce_scenario_side_id(sc, i), s[0] / n,
          sqrt(fmax(0, (s2[0] - s[0] * s[0] / n) / (n - 1))), s[1] / n,
          sqrt(fmax(0, (s2[1] - s[1] * s[1] / n) / (n - 1))));
    }
    printf("}}\n");
  }
  truce_ensemble_free(e);
  truce_scenario_free(sc);
  truce_ctx_free(ctx);
  truce_parallel_finalize();
  return 0;
}
