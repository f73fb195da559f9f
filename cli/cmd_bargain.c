/* SPDX-License-Identifier: GPL-3.0-or-later
 * truce bargain FILE: the negotiation on one day of the war. */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"

static void help(FILE* f) {
  fprintf(f,
          "usage: truce bargain FILE [--day D] [--terms CSV] [--set "
          "PATH=VALUE]...\n"
          "                    [--json]\n"
          "\n"
          "Simulate the scenario deterministically (point values) to day D\n"
          "(default: the first decision day) and analyse the negotiation:\n"
          "each side's value of fighting on under its beliefs, the packages\n"
          "each accepts (territory intervals per discrete package), the\n"
          "Pareto frontier, the Nash, Kalai-Smorodinsky and Rubinstein\n"
          "solutions and the minimal guarantee. See docs/bargaining.md.\n"
          "\n"
          "  --day D           day of the war (default: first decision)\n"
          "  --terms CSV       each side's stated terms (date, side, issue,\n"
          "                    value, unit, claimant, source; default: the\n"
          "                    scenario's negotiation.stated_terms): whether\n"
          "                    the latest by the day lie inside each side's\n"
          "                    acceptable set\n"
          "  --set PATH=VALUE  override a number (as for run)\n"
          "  --json            machine-readable output\n"
          "  -h, --help        show this help\n");
}

static void jnum(double v) {
  if (isfinite(v))
    printf("%.6g", v);
  else
    printf("null");
}

/* A solution: its package and territory, or null (combo -1). */
static void jsolution(const truce_bargain_day* d, int combo, double x) {
  if (combo >= 0) {
    printf("{\"package\": ");
    cli_json_str(d->packages[combo].name);
    printf(", \"territory\": %.6g}", x);
  } else
    printf("null");
}

/* The day's analysis as JSON; st[] when terms. */
static void print_json(const truce_scenario* sc, const truce_bargain_day* d,
                       const char* terms, const truce_stated_terms st[2]) {
  const char* id[2] = {truce_scenario_side_id(sc, 0),
                       truce_scenario_side_id(sc, 1)};
  const truce_war_values* w = &d->war;
  printf("{\"day\": %d, \"open\": %s, \"sides\": {", d->day,
         d->open ? "true" : "false");
  for (int i = 0; i < 2; i++) {
    printf("%s\"%s\": {\"war_value\": ", i ? ", " : "", id[i]);
    jnum(w->W[i]);
    printf(", \"threshold\": ");
    jnum(w->threshold[i]);
    printf(", \"p_win\": ");
    jnum(w->p_win[i]);
    printf(", \"p_lose\": ");
    jnum(w->p_lose[i]);
    printf(", \"cost\": ");
    jnum(w->cost[i]);
    printf(", \"belief_mean\": ");
    jnum(w->belief_mean[i]);
    printf(", \"belief_sd\": ");
    jnum(w->belief_sd[i]);
    printf("}");
  }
  printf("}, \"ripe\": %s, \"packages\": [", w->ripe ? "true" : "false");
  for (size_t k = 0; k < d->n_packages; k++) {
    const truce_package_range* p = &d->packages[k];
    printf("%s{\"package\": ", k ? ", " : "");
    cli_json_str(p->name);
    printf(", \"%s\": [", id[0]);
    jnum(p->lo[0]);
    printf(", ");
    jnum(p->hi[0]);
    printf("], \"%s\": [", id[1]);
    jnum(p->lo[1]);
    printf(", ");
    jnum(p->hi[1]);
    printf("], \"both\": ");
    if (p->both_lo <= p->both_hi) {
      printf("[");
      jnum(p->both_lo);
      printf(", ");
      jnum(p->both_hi);
      printf("]");
    } else {
      printf("null");
    }
    printf("}");
  }
  printf("], \"frontier\": [");
  for (size_t k = 0; k < d->n_frontier; k++) {
    const double* f = d->frontier + 4 * k;
    printf("%s{\"u\": [%.6g, %.6g], \"package\": ", k ? ", " : "", f[0], f[1]);
    cli_json_str(d->packages[(int)f[2]].name);
    printf(", \"territory\": %.6g}", f[3]);
  }
  printf("], \"nash\": ");
  jsolution(d, d->nash_combo, d->nash_x);
  printf(", \"kalai_smorodinsky\": ");
  jsolution(d, d->ks_combo, d->ks_x);
  printf(", \"rubinstein\": ");
  jsolution(d, d->rub_combo, d->rub_x);
  printf(", \"min_guarantee\": ");
  jnum(d->min_guarantee);
  printf(", \"ceasefire\": {\"shift\": ");
  jnum(d->shift);
  printf(", \"p_hold\": ");
  jnum(d->p_hold[0]);
  printf(", \"p_hold_guaranteed\": ");
  jnum(d->p_hold[1]);
  printf("}");
  if (terms) {
    printf(", \"stated_terms\": {");
    for (int i = 0; i < 2; i++) {
      printf("%s\"%s\": ", i ? ", " : "", id[i]);
      if (!st[i].stated) {
        printf("null");
        continue;
      }
      printf("{\"since\": \"%s\", \"package\": ", st[i].since);
      cli_json_str(d->packages[st[i].combo].name);
      printf(", \"territory\": ");
      jnum(st[i].x);
      printf(
          ", \"inside_own\": %s, \"inside_other\": %s, "
          "\"claimants\": ",
          st[i].inside[i] ? "true" : "false",
          st[i].inside[1 - i] ? "true" : "false");
      cli_json_str(st[i].claimants);
      printf("}");
    }
    printf("}");
  }
  printf("}\n");
}

/* The day's analysis as text; st[] when terms. */
static void print_text(const truce_scenario* sc, const truce_bargain_day* d,
                       const char* terms, const truce_stated_terms st[2]) {
  const char* id[2] = {truce_scenario_side_id(sc, 0),
                       truce_scenario_side_id(sc, 1)};
  const truce_war_values* w = &d->war;
  printf("%s, day %d: bargaining range %s%s\n", truce_scenario_name(sc), d->day,
         d->open ? "OPEN" : "closed",
         w->ripe ? " (ripe: mutually hurting stalemate)" : "");
  for (int i = 0; i < 2; i++)
    printf(
        "  %-4s value of fighting on %.3f (needs %.3f): wins %.0f%%, "
        "loses %.0f%%, costs %.3f; believes log exchange ratio "
        "%.2f +- %.2f\n",
        id[i], w->W[i], w->threshold[i], 100 * w->p_win[i], 100 * w->p_lose[i],
        w->cost[i], w->belief_mean[i], w->belief_sd[i]);
  if (w->aid_belief[0] != 0 || w->aid_belief[1] != 0)
    printf(
        "  beliefs about %s's backers: they deliver %.0f%% (%s), %.0f%% "
        "(%s) of their budget\n",
        id[0], 100 * exp(w->aid_belief[0]), id[0], 100 * exp(w->aid_belief[1]),
        id[1]);
  if (isfinite(d->p_hold[0]))
    printf(
        "  a ceasefire shifts %s's share of the usable force by %+.3f: a "
        "settlement holds with P %.2f (%.2f with the guarantee)\n",
        id[0], d->shift, d->p_hold[0], d->p_hold[1]);
  printf("  packages (territory = %s's share of the contested area):\n", id[0]);
  for (size_t k = 0; k < d->n_packages; k++) {
    const truce_package_range* p = &d->packages[k];
    printf("    %-40s", p->name);
    for (int i = 0; i < 2; i++) { /* lo > hi: no territory will do */
      printf("%s%s%s", i ? ", " : " ", id[i], i ? "" : " accepts");
      if (p->lo[i] <= p->hi[i])
        printf(" [%.2f, %.2f]", p->lo[i], p->hi[i]);
      else
        printf(" none");
    }
    if (p->both_lo <= p->both_hi)
      printf(" -> both [%.2f, %.2f]\n", p->both_lo, p->both_hi);
    else
      printf(" -> none\n");
  }
  if (d->nash_combo >= 0)
    printf("  Nash: %s, territory %.3f\n", d->packages[d->nash_combo].name,
           d->nash_x);
  if (d->ks_combo >= 0)
    printf("  Kalai-Smorodinsky: %s, territory %.3f\n",
           d->packages[d->ks_combo].name, d->ks_x);
  if (d->rub_combo >= 0)
    printf(
        "  Rubinstein (status-quo package, %s proposes): territory "
        "%.3f\n",
        id[0], d->rub_x);
  if (isnan(d->min_guarantee))
    printf("  (no guarantee in the scenario)\n");
  else if (d->min_guarantee < 0)
    printf("  no guarantee credibility in [0, 1] opens the range\n");
  else
    printf("  minimal guarantee credibility that opens the range: %.3f\n",
           d->min_guarantee);
  if (terms) {
    printf("  stated terms (the latest by the day, %s):\n", terms);
    for (int i = 0; i < 2; i++) {
      if (!st[i].stated) {
        printf("    %-4s none stated by the day\n", id[i]);
        continue;
      }
      printf(
          "    %-4s %s, territory %.3f (since %s; %s)\n"
          "         inside its own acceptable set: %s; inside %s's: "
          "%s\n",
          id[i], d->packages[st[i].combo].name, st[i].x, st[i].since,
          st[i].claimants, st[i].inside[i] ? "yes" : "no", id[1 - i],
          st[i].inside[1 - i] ? "yes" : "no");
    }
  }
}

int cmd_bargain(truce_ctx* ctx, int argc, char** argv) {
  static const struct option opts[] = {{"day", required_argument, NULL, 'd'},
                                       {"set", required_argument, NULL, 's'},
                                       {"terms", required_argument, NULL, 't'},
                                       {"json", no_argument, NULL, 'j'},
                                       {"help", no_argument, NULL, 'h'},
                                       {NULL, 0, NULL, 0}};
  char** sets = calloc((size_t)argc, sizeof *sets);
  if (!sets) return CLI_FAIL;
  int nsets = 0, c, json = 0, day = 0;
  const char* terms = NULL;
  optind = 1;
  while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
    char* end;
    switch (c) {
      case 'd':
        day = (int)strtol(optarg, &end, 10);
        if (*end || day < 1) {
          fprintf(stderr, "truce: error: --day %s: expected a day >= 1\n",
                  optarg);
          free(sets);
          return CLI_USAGE;
        }
        break;
      case 's': sets[nsets++] = optarg; break;
      case 't': terms = optarg; break;
      case 'j': json = 1; break;
      case 'h':
        help(stdout);
        free(sets);
        return CLI_OK;
      default:
        help(stderr);
        free(sets);
        return CLI_USAGE;
    }
  }
  truce_scenario* sc;
  int rc = cli_load_file(ctx, argc, argv, help, sets, nsets, &sc);
  if (rc) return rc;
  if (!truce_scenario_has_negotiation(sc)) {
    fprintf(stderr,
            "truce: error: %s has no negotiation section; see "
            "docs/bargaining.md\n",
            argv[optind]);
    truce_scenario_free(sc);
    return CLI_FAIL;
  }
  truce_bargain_day* d;
  if (truce_bargain_analyse(ctx, sc, day, &d)) { /* day 0: first decision */
    cli_report(ctx);
    truce_scenario_free(sc);
    return CLI_FAIL;
  }
  truce_stated_terms st[2];
  if (!terms) terms = truce_bargain_stated_file(sc);
  if (terms && truce_bargain_stated(ctx, sc, d, terms, st)) {
    cli_report(ctx);
    truce_bargain_day_free(ctx, d);
    truce_scenario_free(sc);
    return CLI_FAIL;
  }
  if (json)
    print_json(sc, d, terms, st);
  else
    print_text(sc, d, terms, st);
  truce_bargain_day_free(ctx, d);
  truce_scenario_free(sc);
  return CLI_OK;
}
