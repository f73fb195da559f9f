/* SPDX-License-Identifier: GPL-3.0-or-later
 * truce stake FILE: where a group of actors lands; --backtest on DEU III. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static void help(FILE* f) {
  fprintf(f,
          "usage: truce stake FILE [--model compromise|median|challenge|pce]"
          " [--json]\n"
          "       truce stake --backtest DEU3_FILE [--seed S] [--boot B]\n"
          "\n"
          "Predict where a group of actors lands on each dimension. FILE is\n"
          "KTAB's CSV format (.csv) or truce's YAML form (.yaml); see\n"
          "docs/stake.md. --backtest scores every model on DEU III (353 EU\n"
          "negotiations): mean absolute error with a bootstrap 95%% interval,\n"
          "and the pce model fitted on a random half and scored on the other.\n"
          "\n"
          "  --model M     compromise (default), median, challenge or pce\n"
          "  --json        machine-readable output\n"
          "  --gamma G     pce: contest exponent (default 2)\n"
          "  --rounds R    dynamic models: at most R rounds (default 100)\n"
          "  --seed S      back-test: seed of the bootstrap and the split\n"
          "  --boot B      back-test: bootstrap resamples (default 2000)\n"
          "  -h, --help    show this help\n");
}

static int backtest(truce_ctx* ctx, const char* path, uint64_t seed, int boot,
                    int json) {
  truce_backtest bt;
  if (truce_stake_backtest(ctx, path, seed, boot, &bt)) {
    cli_report(ctx);
    return CLI_FAIL;
  }
  if (json) {
    printf("{\"backtest\": ");
    cli_json_str(path);
    printf(", \"models\": [");
    for (size_t i = 0; i < bt.n_rows; i++) {
      printf("%s{\"model\": ", i ? ", " : "");
      cli_json_str(bt.rows[i].name);
      printf(", \"issues\": %zu, \"mae\": %.4f, \"ci95\": [%.4f, %.4f]}",
             bt.rows[i].n, bt.rows[i].mae, bt.rows[i].lo, bt.rows[i].hi);
    }
    printf("], \"heldout\": {\"fitted\": ");
    cli_json_str(bt.fitted);
    printf(", \"issues\": %zu, \"pce_mae\": %.4f, \"compromise_mae\": %.4f}}\n",
           bt.n_test, bt.pce_test_mae, bt.compromise_test_mae);
    return CLI_OK;
  }
  printf("DEU III back-test (%s)\n", path);
  printf("%-36s %6s %7s  %s\n", "model", "issues", "MAE", "95% bootstrap");
  for (size_t i = 0; i < bt.n_rows; i++)
    printf("%-36s %6zu %7.2f  [%.2f, %.2f]\n", bt.rows[i].name, bt.rows[i].n,
           bt.rows[i].mae, bt.rows[i].lo, bt.rows[i].hi);
  printf("\nheld out: pce fitted on a random half: %s\n", bt.fitted);
  printf("  on the other %zu issues: pce MAE %.2f, compromise MAE %.2f (%s)\n",
         bt.n_test, bt.pce_test_mae, bt.compromise_test_mae,
         bt.pce_test_mae < bt.compromise_test_mae ? "pce better"
                                                  : "compromise better");
  return CLI_OK;
}

int cmd_stake(truce_ctx* ctx, int argc, char** argv) {
  static const struct option opts[] = {
      {"model", required_argument, NULL, 'm'},
      {"json", no_argument, NULL, 'j'},
      {"backtest", required_argument, NULL, 'b'},
      {"seed", required_argument, NULL, 's'},
      {"boot", required_argument, NULL, 'B'},
      {"gamma", required_argument, NULL, 'g'},
      {"rounds", required_argument, NULL, 'r'},
      {"help", no_argument, NULL, 'h'},
      {NULL, 0, NULL, 0}};
  int model = TRUCE_STAKE_COMPROMISE, json = 0, c, boot = 2000;
  uint64_t seed = 1;
  const char* bt = NULL;
  truce_stake_opts o = truce_stake_opts_default();
  optind = 1;
  while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
    char* end = NULL;
    switch (c) {
      case 'm':
        model = truce_stake_model_parse(optarg);
        if (model < 0) {
          fprintf(stderr,
                  "truce: error: --model %s: expected compromise, "
                  "median, challenge or pce\n",
                  optarg);
          return CLI_USAGE;
        }
        break;
      case 'j': json = 1; break;
      case 'b': bt = optarg; break;
      case 's': seed = strtoull(optarg, &end, 10); break;
      case 'B': boot = (int)strtol(optarg, &end, 10); break;
      case 'g': o.gamma = strtod(optarg, &end); break;
      case 'r': o.max_rounds = (int)strtol(optarg, &end, 10); break;
      case 'h': help(stdout); return CLI_OK;
      default: help(stderr); return CLI_USAGE;
    }
    if (end && *end) {
      fprintf(stderr, "truce: error: '%s' is not a number\n", optarg);
      return CLI_USAGE;
    }
  }
  if (bt) {
    if (optind != argc || boot < 0 || boot > 1000000) {
      help(stderr);
      return CLI_USAGE;
    }
    return backtest(ctx, bt, seed, boot, json);
  }
  if (optind != argc - 1) {
    help(stderr);
    return CLI_USAGE;
  }
  truce_stake* st;
  if (truce_stake_load(ctx, argv[optind], &st)) {
    cli_report(ctx);
    return CLI_FAIL;
  }
  truce_stake_result* r;
  if (truce_stake_solve(ctx, st, model, &o, &r)) {
    cli_report(ctx);
    truce_stake_free(st);
    return CLI_FAIL;
  }
  size_t d = truce_stake_dim_count(st);
  int dynamic = model >= TRUCE_STAKE_CHALLENGE;
  if (json) {
    printf("{\"model\": \"%s\", \"scenario\": ", truce_stake_model_name(model));
    cli_json_str(truce_stake_name(st));
    printf(", \"actors\": %zu, \"dimensions\": [", truce_stake_actor_count(st));
    for (size_t k = 0; k < d; k++) {
      printf("%s", k ? ", " : "");
      cli_json_str(truce_stake_dim_name(st, k));
    }
    printf("], \"outcome\": [");
    for (size_t k = 0; k < d; k++)
      printf("%s%.6g", k ? ", " : "", r->outcome[k]);
    printf("]");
    if (dynamic) {
      printf(", \"rounds\": %d, \"converged\": %s, \"trajectory\": [",
             r->rounds, r->converged ? "true" : "false");
      for (int q = 0; q <= r->rounds; q++) {
        printf("%s[", q ? ", " : "");
        for (size_t k = 0; k < d; k++)
          printf("%s%.6g", k ? ", " : "", r->trajectory[(size_t)q * d + k]);
        printf("]");
      }
      printf("]");
    }
    printf("}\n");
  } else {
    printf("%s: %s model, %zu actors\n", truce_stake_name(st),
           truce_stake_model_name(model), truce_stake_actor_count(st));
    for (size_t k = 0; k < d; k++)
      printf("  %-30s %.2f\n", truce_stake_dim_name(st, k), r->outcome[k]);
    if (dynamic)
      printf("  %s after %d round%s\n",
             r->converged ? "converged" : "not converged", r->rounds,
             r->rounds == 1 ? "" : "s");
  }
  truce_stake_result_free(ctx, r);
  truce_stake_free(st);
  return CLI_OK;
}
