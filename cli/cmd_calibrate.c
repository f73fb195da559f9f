/* SPDX-License-Identifier: GPL-3.0-or-later
 * truce calibrate SCENARIO --observed FILE: attrition coefficients from
 * observed daily series, one law or all of them ranked by AIC. */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"

static void help(FILE* f) {
  fprintf(f,
          "usage: truce calibrate SCENARIO --observed FILE.csv\n"
          "                       [--law square|linear|logarithmic|auto] "
          "[--json]\n"
          "                       [--write-scenario OUT.yaml]\n"
          "       truce calibrate --battles FILE.csv [--runs N] "
          "[--tolerance T]\n"
          "                       [--seed S] [--threads T] [--json]\n"
          "\n"
          "Fit each side's attrition coefficient to observed daily front\n"
          "strengths and casualties (least squares through the origin, one\n"
          "coefficient per side): estimates with standard errors, the sum of\n"
          "squared residuals and AIC; --law auto ranks the laws by AIC.\n"
          "FILE.csv: day,side,variable,value,source with variables front and\n"
          "casualties (per day). See docs/validation.md.\n"
          "\n"
          "  --observed FILE   the observed series (required)\n"
          "  --law L           square, linear, logarithmic or auto (default)\n"
          "  --json            machine-readable output\n"
          "  --write-scenario OUT.yaml\n"
          "                    write SCENARIO with the best law and its fitted\n"
          "                    coefficients, each with its provenance and a 90%%\n"
          "                    range (estimate +- 1.645 SE, floored at 0)\n"
          "\n"
          "With --battles, select among the linear, square, logarithmic and\n"
          "fatigue laws on battle outcomes (year;R0;Rc;B0;Bc rows) by rejection\n"
          "ABC after Rubio-Campillo (2016): the share of each law among the\n"
          "accepted runs estimates its posterior probability.\n"
          "  --battles FILE    the battles (e.g. data/historical/rubio_campillo/"
          "03.csv)\n"
          "  --runs N          ABC runs (default 10000)\n"
          "  --tolerance T     share of runs accepted (default 0.01)\n"
          "  --seed S          random seed (default 1)\n"
          "  --threads T       OpenMP threads (default: all; results do not "
          "depend on it)\n"
          "  -h, --help        show this help\n");
}

/* truce calibrate --battles FILE: ABC model selection on battle outcomes. */
static int battles_abc(truce_ctx* ctx, const char* path,
                       const truce_abc_opts* o, int json) {
  truce_battle* b;
  size_t n;
  if (truce_battles_load(ctx, path, &b, &n)) {
    cli_report(ctx);
    return CLI_FAIL;
  }
  truce_abc_result r;
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  int rc = truce_abc_select(ctx, b, n, o, &r);
  clock_gettime(CLOCK_MONOTONIC, &t1);
  truce_battles_free(ctx, b, n);
  if (rc) {
    cli_report(ctx);
    return CLI_FAIL;
  }
  double secs = (double)(t1.tv_sec - t0.tv_sec) +
                1e-9 * (double)(t1.tv_nsec - t0.tv_nsec);
  if (json) {
    printf("{\"battles\": %zu, \"runs\": %zu, \"accepted\": %zu, "
           "\"seed\": %llu, \"threshold\": %.8g, \"laws\": [",
           n, r.runs, r.accepted, (unsigned long long)o->seed, r.threshold);
    for (int l = 0; l < TRUCE_BATTLE_LAWS; l++)
      printf("%s{\"law\": \"%s\", \"accepted\": %zu, \"share\": %.6g, "
             "\"mu_mean\": %.6g, \"sd_mean\": %.6g, \"best_distance\": %.8g}",
             l ? ", " : "", truce_battle_law_name(l), r.count[l],
             (double)r.count[l] / (double)r.accepted, r.mu_mean[l],
             r.sd_mean[l], r.best[l]);
    printf("]}\n");
  } else {
    printf("%s: %zu battles, %zu ABC runs, %zu accepted (distance <= %.2f)\n",
           path, n, r.runs, r.accepted, r.threshold);
    printf("  %-12s %8s %7s %14s %10s\n", "law", "accepted", "share",
           "ratio mu (sd)", "best dist");
    for (int l = 0; l < TRUCE_BATTLE_LAWS; l++) {
      if (r.count[l])
        printf("  %-12s %8zu %6.1f%% %7.2f (%4.2f) %10.2f\n",
               truce_battle_law_name(l), r.count[l],
               100.0 * (double)r.count[l] / (double)r.accepted, r.mu_mean[l],
               r.sd_mean[l], r.best[l]);
      else
        printf("  %-12s %8zu %6.1f%% %14s %10.2f\n", truce_battle_law_name(l),
               (size_t)0, 0.0, "-", r.best[l]);
    }
  }
  fflush(stdout);
  fprintf(stderr, "%.0f battle simulations in %.2f s (%.3g per second)\n",
          r.battles, secs, secs > 0 ? r.battles / secs : 0.0);
  return CLI_OK;
}

/* The scenario with law `law` and the fitted coefficients (coef[0] is
 * side 1's, coef[1] side 0's), each a provenance record. */
static int write_scenario(truce_ctx* ctx, const truce_scenario* sc,
                          const char* out, const char* obs, int law,
                          const double coef[2], const double se[2]) {
  char today[11], law_v[64], pv[2][1400], path[2][160];
  time_t now = time(NULL);
  struct tm tm;
  gmtime_r(&now, &tm);
  strftime(today, sizeof today, "%Y-%m-%d", &tm);
  snprintf(law_v, sizeof law_v, "%s", truce_fit_law_name(law));
  for (int s = 0; s < 2; s++) {
    double est = coef[1 - s], sd = se[1 - s];
    double lo = est - 1.645 * sd, hi = est + 1.645 * sd;
    snprintf(path[s], sizeof path[s], "combat.coefficients.%s",
             truce_scenario_side_id(sc, (size_t)s));
    snprintf(pv[s], sizeof pv[s],
             "{value: %.8g, low: %.8g, high: %.8g, unit: per day, source: "
             "\"truce calibrate, %s law, least squares on %s (SE %.3g; range "
             "+-1.645 SE)\", claimant: truce calibration, date: %s}",
             est, lo > 0 ? lo : 0.0, hi, law_v, obs, sd, today);
  }
  const char* paths[3] = {"combat.law", path[0], path[1]};
  const char* values[3] = {law_v, pv[0], pv[1]};
  if (truce_scenario_write_with(ctx, sc, out, 3, paths, values)) {
    cli_report(ctx);
    return CLI_FAIL;
  }
  fprintf(stderr, "wrote %s\n", out);
  return CLI_OK;
}

int cmd_calibrate(truce_ctx* ctx, int argc, char** argv) {
  static const struct option opts[] = {
      {"observed", required_argument, NULL, 'O'},
      {"law", required_argument, NULL, 'l'},
      {"json", no_argument, NULL, 'j'},
      {"write-scenario", required_argument, NULL, 'w'},
      {"battles", required_argument, NULL, 'B'},
      {"runs", required_argument, NULL, 'r'},
      {"tolerance", required_argument, NULL, 't'},
      {"seed", required_argument, NULL, 's'},
      {"threads", required_argument, NULL, 'T'},
      {"help", no_argument, NULL, 'h'},
      {NULL, 0, NULL, 0}};
  const char *obs_path = NULL, *law_name = "auto", *write_path = NULL,
             *battles = NULL;
  truce_abc_opts ao = {1, 10000, 0.01, 5, 5, 0};
  int json = 0, c, bad = 0;
  optind = 1;
  while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
    char* end = NULL;
    if (c == 'B') battles = optarg;
    else if (c == 'r') {
      ao.runs = (size_t)strtoull(optarg, &end, 10);
      bad |= *end || ao.runs < 1 || optarg[0] == '-';
    } else if (c == 't') {
      ao.tolerance = strtod(optarg, &end);
      bad |= *end || !(ao.tolerance > 0 && ao.tolerance <= 1);
    } else if (c == 's') {
      ao.seed = strtoull(optarg, &end, 10);
      bad |= *end || optarg[0] == '-';
    } else if (c == 'T') {
      ao.threads = (int)strtol(optarg, &end, 10);
      bad |= *end || ao.threads < 1;
    } else if (c == 'O') obs_path = optarg;
    else if (c == 'l') law_name = optarg;
    else if (c == 'j') json = 1;
    else if (c == 'w') write_path = optarg;
    else if (c == 'h') {
      help(stdout);
      return CLI_OK;
    } else {
      help(stderr);
      return CLI_USAGE;
    }
  }
  if (bad) {
    fprintf(stderr, "truce: error: bad option value; expected --runs N >= 1, "
            "--tolerance in (0, 1], --seed S >= 0, --threads T >= 1\n");
    return CLI_USAGE;
  }
  if (battles) {
    if (optind != argc) {
      help(stderr);
      return CLI_USAGE;
    }
    return battles_abc(ctx, battles, &ao, json);
  }
  int only = -1;
  for (int l = 0; l < TRUCE_FIT_COUNT; l++)
    if (!strcmp(law_name, truce_fit_law_name(l))) only = l;
  if ((only < 0 && strcmp(law_name, "auto")) || !obs_path ||
      optind != argc - 1) {
    if (only < 0 && strcmp(law_name, "auto"))
      fprintf(stderr, "truce: error: --law %s: expected square, linear, "
              "logarithmic or auto\n", law_name);
    help(stderr);
    return CLI_USAGE;
  }
  truce_scenario* sc;
  if (cli_load(ctx, argv[optind], NULL, 0, &sc)) return CLI_FAIL;
  truce_observed* o;
  if (truce_observed_load(ctx, obs_path, sc, &o)) {
    cli_report(ctx);
    truce_scenario_free(sc);
    return CLI_FAIL;
  }
  size_t n = truce_observed_days(o);
  double* col = malloc(4 * n * sizeof(double));
  if (!col) return CLI_FAIL;
  for (int k = 0; k < 4; k++) truce_observed_column(o, k, col + (size_t)k * n);
  double coef[TRUCE_FIT_COUNT][2], se[TRUCE_FIT_COUNT][2], ssr[TRUCE_FIT_COUNT],
      aic[TRUCE_FIT_COUNT];
  int order[TRUCE_FIT_COUNT], m = 0, rc = CLI_OK;
  for (int l = 0; l < TRUCE_FIT_COUNT; l++) {
    if (only >= 0 && l != only) continue;
    if (truce_fit(ctx, l, col, col + n, col + 2 * n, col + 3 * n, n, coef[l],
                  se[l], &ssr[l])) {
      cli_report(ctx);
      rc = CLI_FAIL;
      break;
    }
    double nobs = 2.0 * (double)n;
    aic[l] = nobs * log(ssr[l] / nobs) + 2 * 2;
    order[m++] = l;
  }
  for (int i = 1; i < m; i++) /* rank by AIC */
    for (int j = i; j > 0 && aic[order[j]] < aic[order[j - 1]]; j--) {
      int t = order[j];
      order[j] = order[j - 1];
      order[j - 1] = t;
    }
  const char* id[2] = {truce_scenario_side_id(sc, 0),
                       truce_scenario_side_id(sc, 1)};
  if (!rc && json) {
    int b = order[0];
    printf("{\"law\": \"%s\", \"days\": %zu, \"parameters\": {", 
           truce_fit_law_name(b), n);
    /* coef[0]: side 1's effect on side 0 = side 1's coefficient */
    printf("\"combat.coefficients.%s\": {\"estimate\": %.8g, \"se\": %.8g}, ",
           id[1], coef[b][0], se[b][0]);
    printf("\"combat.coefficients.%s\": {\"estimate\": %.8g, \"se\": %.8g}}",
           id[0], coef[b][1], se[b][1]);
    printf(", \"ssr\": %.8g, \"aic\": %.8g, \"ranking\": [", ssr[b], aic[b]);
    for (int i = 0; i < m; i++)
      printf("%s{\"law\": \"%s\", \"ssr\": %.8g, \"aic\": %.8g}", i ? ", " : "",
             truce_fit_law_name(order[i]), ssr[order[i]], aic[order[i]]);
    printf("]}\n");
  } else if (!rc) {
    printf("%s: %zu days observed (%s)\n", truce_scenario_name(sc), n,
           obs_path);
    printf("  %-12s %-28s %-28s %12s %10s\n", "law",
           "coefficient of the first", "coefficient of the second", "SSR",
           "AIC");
    for (int i = 0; i < m; i++) {
      int l = order[i];
      printf("  %-12s %-4s %.4g +- %.2g %*s %-4s %.4g +- %.2g %*s %12.5g "
             "%10.2f\n",
             truce_fit_law_name(l), id[0], coef[l][1], se[l][1], 6, "", id[1],
             coef[l][0], se[l][0], 6, "", ssr[l], aic[l]);
    }
    if (m > 1) printf("  best by AIC: %s\n", truce_fit_law_name(order[0]));
  }
  if (!rc && write_path) rc = write_scenario(ctx, sc, write_path, obs_path,
                                             order[0], coef[order[0]],
                                             se[order[0]]);
  free(col);
  truce_observed_free(o);
  truce_scenario_free(sc);
  return rc;
}
