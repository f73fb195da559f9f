/* SPDX-License-Identifier: GPL-3.0-or-later
 * truce run FILE: simulate a scenario and write daily.csv and summary.json.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static void help(FILE* f) {
  fprintf(f,
          "usage: truce run FILE [--runs N] [--seed S] [--set PATH=VALUE]...\n"
          "                 [--out DIR] [--deterministic]\n"
          "\n"
          "Simulate the scenario and write DIR/daily.csv (one row per run,\n"
          "day and side) and DIR/summary.json (outcomes, metadata and the\n"
          "assumptions with their provenance). See docs/outputs.md.\n"
          "\n"
          "  --runs N          number of independent runs (default 1)\n"
          "  --seed S          override the scenario's seed\n"
          "  --set PATH=VALUE  override a number, e.g.\n"
          "                    --set sides.ua.personnel.recruits_per_month=30000\n"
          "  --out DIR         output directory (default out/<scenario file>)\n"
          "  --deterministic   expected values (RK4), no random draws\n"
          "  -q, --quiet       print nothing on success\n"
          "  -h, --help        show this help\n");
}

typedef struct {
  truce_output* out;
  uint64_t run;
} day_user;

static int on_day(void* user, const truce_day* d) {
  day_user* u = user;
  return truce_output_day(u->out, u->run, d);
}

static int parse_u64(const char* s, uint64_t* v) {
  char* end;
  errno = 0;
  if (!*s || *s == '-') return -1;
  unsigned long long x = strtoull(s, &end, 10);
  if (*end || errno) return -1;
  *v = x;
  return 0;
}

static char* join_args(int argc, char** argv) {
  size_t n = 16;
  for (int i = 0; i < argc; i++) n += strlen(argv[i]) + 1;
  char* s = malloc(n);
  if (!s) return NULL;
  strcpy(s, "truce");
  for (int i = 0; i < argc; i++) {
    strcat(s, " ");
    strcat(s, argv[i]);
  }
  return s;
}

static void default_out(const char* file, char* buf, size_t n) {
  const char* base = strrchr(file, '/');
  base = base ? base + 1 : file;
  size_t len = strcspn(base, ".");
  snprintf(buf, n, "out/%.*s", (int)len, base);
}

int cmd_run(truce_ctx* ctx, int argc, char** argv) {
  static const struct option opts[] = {
      {"runs", required_argument, NULL, 'n'},
      {"seed", required_argument, NULL, 'S'},
      {"set", required_argument, NULL, 's'},
      {"out", required_argument, NULL, 'o'},
      {"deterministic", no_argument, NULL, 'd'},
      {"quiet", no_argument, NULL, 'q'},
      {"help", no_argument, NULL, 'h'},
      {NULL, 0, NULL, 0}};
  char* cmdline = join_args(argc, argv); /* before getopt permutes argv */
  char** sets = calloc((size_t)argc, sizeof *sets);
  if (!sets || !cmdline) {
    free(sets);
    free(cmdline);
    return CLI_FAIL;
  }
  int nsets = 0, c, det = 0, quiet = 0, have_seed = 0;
  uint64_t runs = 1, seed = 0;
  const char* outdir = NULL;
  optind = 1;
  while ((c = getopt_long(argc, argv, "hqo:", opts, NULL)) != -1) {
    switch (c) {
      case 'n':
        if (parse_u64(optarg, &runs) || runs == 0 || runs > 100000000) {
          fprintf(stderr,
                  "truce: error: --runs %s: expected a whole number from 1 "
                  "to 100000000\n",
                  optarg);
          free(sets);
          free(cmdline);
          return CLI_USAGE;
        }
        break;
      case 'S':
        if (parse_u64(optarg, &seed)) {
          fprintf(stderr,
                  "truce: error: --seed %s: expected a whole number >= 0\n",
                  optarg);
          free(sets);
          free(cmdline);
          return CLI_USAGE;
        }
        have_seed = 1;
        break;
      case 's': sets[nsets++] = optarg; break;
      case 'o': outdir = optarg; break;
      case 'd': det = 1; break;
      case 'q': quiet = 1; break;
      case 'h':
        help(stdout);
        free(sets);
        free(cmdline);
        return CLI_OK;
      default:
        help(stderr);
        free(sets);
        free(cmdline);
        return CLI_USAGE;
    }
  }
  if (optind != argc - 1) {
    help(stderr);
    free(sets);
    free(cmdline);
    return CLI_USAGE;
  }
  const char* file = argv[optind];
  char seedset[64];
  if (have_seed) {
    snprintf(seedset, sizeof seedset, "seed=%llu", (unsigned long long)seed);
  }
  truce_scenario* sc;
  int rc = cli_load(ctx, file, sets, nsets, &sc);
  free(sets);
  if (rc) {
    free(cmdline);
    return rc;
  }
  if (have_seed && truce_scenario_set(ctx, sc, seedset)) {
    cli_report(ctx);
    truce_scenario_free(sc);
    free(cmdline);
    return CLI_FAIL;
  }
  char defdir[512];
  if (!outdir) {
    default_out(file, defdir, sizeof defdir);
    outdir = defdir;
  }
  truce_sim* sim = NULL;
  truce_output* out = NULL;
  if (truce_sim_new(ctx, sc, &sim) || truce_output_open(ctx, outdir, sc, &out))
    goto fail;
  day_user u = {out, 0};
  for (uint64_t r = 0; r < runs; r++) {
    u.run = r;
    truce_side_outcome oc[2];
    if (truce_sim_run(sim, r, det ? TRUCE_SIM_DETERMINISTIC : 0, on_day, &u) ||
        truce_sim_outcome(sim, 0, &oc[0]) || truce_sim_outcome(sim, 1, &oc[1]) ||
        truce_output_run_end(out, r, oc))
      goto fail;
  }
  truce_run_meta meta = {truce_scenario_seed(sc), runs, det, cmdline};
  if (truce_output_commit(out, &meta)) goto fail;
  if (!quiet) {
    printf("%s: %llu %s run%s of %d days (seed %llu)\n",
           truce_scenario_name(sc), (unsigned long long)runs,
           det ? "deterministic" : "stochastic", runs == 1 ? "" : "s",
           truce_scenario_horizon_days(sc),
           (unsigned long long)truce_scenario_seed(sc));
    if (runs == 1) {
      for (size_t i = 0; i < 2; i++) {
        truce_side_outcome oc;
        truce_sim_outcome(sim, i, &oc);
        printf("  %-6s front %.0f at day %d, casualties %.0f, ",
               truce_scenario_side_id(sc, i), oc.front_end,
               truce_scenario_horizon_days(sc), oc.casualties_total);
        if (oc.exhaustion_day >= 0)
          printf("exhausted on day %d\n", oc.exhaustion_day);
        else
          printf("not exhausted\n");
      }
    }
    printf("  wrote %s/daily.csv and %s/summary.json\n", outdir, outdir);
  }
  free(cmdline);
  truce_output_free(out);
  truce_sim_free(sim);
  truce_scenario_free(sc);
  return CLI_OK;
fail:
  cli_report(ctx);
  free(cmdline);
  truce_output_free(out);
  truce_sim_free(sim);
  truce_scenario_free(sc);
  return CLI_FAIL;
}
