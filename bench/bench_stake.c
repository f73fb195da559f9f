/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Times one stakeholder model on one input (repeated until at least 0.2 s
 * have passed) and prints a JSON line: actors, dimensions, seconds per
 * solve, rounds, peak memory. Run one file per process so that peak
 * memory is the input's own. Public API only.
 *
 * usage: bench_stake FILE [MODEL]
 */
#include <stdio.h>
#include <sys/resource.h>
#include <time.h>
#include <truce/truce.h>

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

int main(int argc, char** argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: bench_stake FILE [MODEL]\n");
    return 2;
  }
  int model = argc > 2 ? truce_stake_model_parse(argv[2]) : TRUCE_STAKE_PCE;
  truce_ctx* ctx;
  truce_stake* st;
  if (truce_ctx_new(&ctx, NULL, NULL) || truce_stake_load(ctx, argv[1], &st)) {
    fprintf(stderr, "%s\n", ctx ? truce_ctx_message(ctx) : "no memory");
    return 1;
  }
  int reps = 0, rounds = 0;
  double t0 = now(), t;
  do {
    truce_stake_result* r;
    if (truce_stake_solve(ctx, st, model, NULL, &r)) {
      fprintf(stderr, "%s\n", truce_ctx_message(ctx));
      return 1;
    }
    rounds = r->rounds;
    truce_stake_result_free(ctx, r);
    reps++;
    t = now() - t0;
  } while (t < 0.2);
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  printf(
      "{\"file\": \"%s\", \"model\": \"%s\", \"actors\": %zu, \"dims\": "
      "%zu, \"seconds\": %.6f, \"rounds\": %d, \"maxrss_mb\": %.1f}\n",
      argv[1], truce_stake_model_name(model), truce_stake_actor_count(st),
      truce_stake_dim_count(st), t / reps, rounds, (double)ru.ru_maxrss / 1024);
  truce_stake_free(st);
  truce_ctx_free(ctx);
  return 0;
}
