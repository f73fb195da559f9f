/* SPDX-License-Identifier: GPL-3.0-or-later
 * truce hindcast SCENARIO --observed FILE...: run the scenario's ensemble
 * and score it against the observed series month by month (coverage of
 * the 50% and 90% bands, PIT histogram, CRPS; losses against gains along
 * the median path). Tables in Markdown, or --json. docs/validation.md s5. */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static void help(FILE* f) {
  fprintf(f,
          "usage: truce hindcast SCENARIO --observed FILE.csv... [--runs N]\n"
          "                      [--overlay RECORD.yaml]... [--threads T]\n"
          "                      [--set PATH=VALUE]... [--points] [--json]\n"
          "\n"
          "Run SCENARIO's ensemble and score it against what was observed\n"
          "after its start. Each FILE.csv holds cumulative levels as\n"
          "date,series,id,value,low,high,unit,source,claimant rows (series:\n"
          "casualties, area_km2, aid_committed, aid_delivered; see\n"
          "docs/validation.md s5); rows of one series, id and source form a\n"
          "group, whose level at the start is interpolated from its rows\n"
          "around it, so that observed changes since the start are compared\n"
          "with each run's. Per group: observations inside the 50%% and 90%%\n"
          "bands, the PIT histogram (10 bins) with its shape, the mean CRPS;\n"
          "per side with casualties and area: the correlation of monthly\n"
          "losses and gains (observed, and along the median path) and the\n"
          "casualties per km2 gained in each calendar year.\n"
          "\n"
          "  --observed FILE   an observed-series CSV (repeat for more)\n"
          "  --runs N          ensemble runs (default 1000)\n"
          "  --threads T       OpenMP threads (default: all; results do not "
          "depend on it)\n"
          "  --overlay RECORD.yaml\n"
          "                    add the recorded past (known-outcome events):\n"
          "                    a conditional hindcast (docs/scenario.md)\n"
          "  --set PATH=VALUE  override a scenario number (repeatable)\n"
          "  --points          also print every scored observation\n"
          "  --json            machine-readable output\n"
          "  -h, --help        show this help\n");
}

static void num(double v) {
  if (isfinite(v))
    printf("%.10g", v);
  else
    printf("null");
}

static void json(const truce_scenario* sc, const truce_hindcast* h) {
  printf("{\"scenario\": ");
  cli_json_str(truce_scenario_file(sc));
  printf(
      ", \"start\": \"%s\", \"horizon_days\": %d, \"runs\": %llu, "
      "\"line_break\": {",
      truce_scenario_start(sc), truce_scenario_horizon_days(sc),
      (unsigned long long)truce_hindcast_runs(h));
  for (size_t s = 0; s < 2; s++) {
    printf("%s", s ? ", " : "");
    cli_json_str(truce_scenario_side_id(sc, s));
    printf(": ");
    num(truce_hindcast_line_break(h, s));
  }
  printf("}, \"groups\": [");
  for (size_t g = 0; g < truce_hindcast_groups(h); g++) {
    const truce_hindcast_group* G = truce_hindcast_group_get(h, g);
    printf("%s{\"series\": \"%s\", \"id\": ", g ? ", " : "", G->series);
    cli_json_str(G->id);
    printf(", \"source\": ");
    cli_json_str(G->source);
    printf(", \"unit\": ");
    cli_json_str(G->unit);
    printf(", \"file\": ");
    cli_json_str(G->file);
    printf(", \"scored\": %s, \"origin_level\": ",
           G->no_origin ? "false" : "true");
    num(G->origin_level);
    printf(
        ", \"points\": %zu, \"in50\": %zu, \"in90\": %zu, "
        "\"after_horizon\": %zu, \"crps_mean\": ",
        G->n_points, G->in50, G->in90, G->after_horizon);
    num(G->crps_mean);
    printf(", \"pit_hist\": [");
    for (int k = 0; k < 10; k++) printf("%s%u", k ? ", " : "", G->pit_hist[k]);
    printf("], \"pit_shape\": \"%s\", \"observations\": [",
           truce_hindcast_pit_shape_name(G->pit_shape));
    for (size_t i = 0; i < G->n_points; i++) {
      const truce_hindcast_point* P = &G->points[i];
      printf("%s{\"date\": \"%s\", \"day\": %d, \"claimant\": ", i ? ", " : "",
             P->date, P->day);
      cli_json_str(P->claimant);
      const double v[] = {P->observed, P->low, P->high, P->mean, P->p05, P->p25,
                          P->p50,      P->p75, P->p95,  P->pit,  P->crps};
      static const char* const k[] = {"observed", "low", "high", "mean",
                                      "p05",      "p25", "p50",  "p75",
                                      "p95",      "pit", "crps"};
      for (size_t j = 0; j < sizeof v / sizeof v[0]; j++) {
        printf(", \"%s\": ", k[j]);
        num(v[j]);
      }
      printf(", \"in50\": %s, \"in90\": %s}", P->in50 ? "true" : "false",
             P->in90 ? "true" : "false");
    }
    printf("]}");
  }
  printf("], \"pairs\": [");
  for (size_t i = 0; i < truce_hindcast_pairs(h); i++) {
    const truce_hindcast_pair* p = truce_hindcast_pair_get(h, i);
    printf("%s{\"id\": ", i ? ", " : "");
    cli_json_str(p->id);
    printf(", \"casualty_source\": ");
    cli_json_str(p->casualty_source);
    printf(", \"area_source\": ");
    cli_json_str(p->area_source);
    printf(", \"months\": %zu, \"corr_observed\": ", p->months);
    num(p->corr_observed);
    printf(", \"corr_median\": ");
    num(p->corr_median);
    printf(", \"years\": [");
    for (size_t y = 0; y < p->n_years; y++) {
      const truce_hindcast_year* Y = &p->year[y];
      printf("%s{\"year\": %d, \"from\": \"%s\", \"to\": \"%s\"", y ? ", " : "",
             Y->year, Y->from, Y->to);
      const double v[] = {Y->observed,     Y->median,     Y->cas_observed,
                          Y->km2_observed, Y->cas_median, Y->km2_median};
      static const char* const k[] = {"per_km2_observed",    "per_km2_median",
                                      "casualties_observed", "km2_observed",
                                      "casualties_median",   "km2_median"};
      for (size_t j = 0; j < sizeof v / sizeof v[0]; j++) {
        printf(", \"%s\": ", k[j]);
        num(v[j]);
      }
      printf("}");
    }
    printf("]}");
  }
  printf("]}\n");
}

static void fmt(char* b, size_t n, double v) {
  if (isfinite(v))
    snprintf(b, n, "%.0f", v);
  else
    snprintf(b, n, "-");
}

static void text(const truce_scenario* sc, const truce_hindcast* h,
                 int points) {
  printf("hindcast of %s from %s over %d days, %llu runs\n\n",
         truce_scenario_file(sc), truce_scenario_start(sc),
         truce_scenario_horizon_days(sc),
         (unsigned long long)truce_hindcast_runs(h));
  printf(
      "| series | id | source | scored | in 50%% band | in 90%% band | "
      "mean CRPS | PIT histogram (10 bins) | PIT shape |\n");
  printf("|---|---|---|---|---|---|---|---|---|\n");
  for (size_t g = 0; g < truce_hindcast_groups(h); g++) {
    const truce_hindcast_group* G = truce_hindcast_group_get(h, g);
    if (G->no_origin || !G->n_points) {
      printf("| %s | %s | %s | 0 | - | - | - | - | %s |\n", G->series, G->id,
             G->source,
             G->no_origin ? "not scored: no row on or before the "
                            "start"
                          : "not scored: no row after the start within the "
                            "horizon");
      continue;
    }
    char c[32];
    fmt(c, sizeof c, G->crps_mean);
    printf("| %s | %s | %s | %zu | %zu of %zu | %zu of %zu | %s | ", G->series,
           G->id, G->source, G->n_points, G->in50, G->n_points, G->in90,
           G->n_points, c);
    for (int k = 0; k < 10; k++) printf("%s%u", k ? " " : "", G->pit_hist[k]);
    printf(" | %s |\n", truce_hindcast_pit_shape_name(G->pit_shape));
  }
  printf("\nline breaks by the horizon: ");
  for (size_t s = 0; s < 2; s++)
    printf("%s%s %.1f%% of runs", s ? ", " : "", truce_scenario_side_id(sc, s),
           100 * truce_hindcast_line_break(h, s));
  printf("\n");
  for (size_t i = 0; i < truce_hindcast_pairs(h); i++) {
    const truce_hindcast_pair* p = truce_hindcast_pair_get(h, i);
    printf(
        "\n%s: monthly casualties (%s) against monthly area gained (%s), "
        "%zu months: correlation observed %+.2f, median path %+.2f\n\n",
        p->id, p->casualty_source, p->area_source, p->months, p->corr_observed,
        p->corr_median);
    printf(
        "| year | from | to | observed casualties | observed km2 | "
        "observed per km2 | median casualties | median km2 | median per "
        "km2 |\n|---|---|---|---|---|---|---|---|---|\n");
    for (size_t y = 0; y < p->n_years; y++) {
      const truce_hindcast_year* Y = &p->year[y];
      char a[32], b[32];
      fmt(a, sizeof a, Y->observed);
      fmt(b, sizeof b, Y->median);
      printf("| %d | %s | %s | %.0f | %.0f | %s | %.0f | %.0f | %s |\n",
             Y->year, Y->from, Y->to, Y->cas_observed, Y->km2_observed, a,
             Y->cas_median, Y->km2_median, b);
    }
  }
  if (!points) return;
  printf(
      "\n| date | series | id | source | claimant | observed since start "
      "| median | 50%% band | 90%% band | PIT | CRPS |\n"
      "|---|---|---|---|---|---|---|---|---|---|---|\n");
  for (size_t g = 0; g < truce_hindcast_groups(h); g++) {
    const truce_hindcast_group* G = truce_hindcast_group_get(h, g);
    for (size_t i = 0; i < G->n_points; i++) {
      const truce_hindcast_point* P = &G->points[i];
      printf(
          "| %s | %s | %s | %s | %s | %.0f | %.0f | %.0f - %.0f%s | "
          "%.0f - %.0f%s | %.2f | %.0f |\n",
          P->date, G->series, G->id, G->source, P->claimant, P->observed,
          P->p50, P->p25, P->p75, P->in50 ? " (in)" : "", P->p05, P->p95,
          P->in90 ? " (in)" : "", P->pit, P->crps);
    }
  }
}

int cmd_hindcast(truce_ctx* ctx, int argc, char** argv) {
  static const struct option opts[] = {
      {"observed", required_argument, NULL, 'O'},
      {"overlay", required_argument, NULL, 'V'},
      {"runs", required_argument, NULL, 'n'},
      {"threads", required_argument, NULL, 't'},
      {"set", required_argument, NULL, 's'},
      {"points", no_argument, NULL, 'p'},
      {"json", no_argument, NULL, 'j'},
      {"help", no_argument, NULL, 'h'},
      {NULL, 0, NULL, 0}};
  char** sets = calloc((size_t)argc, sizeof *sets);
  const char** files = calloc((size_t)argc, sizeof *files);
  const char** ovl = calloc((size_t)argc, sizeof *ovl);
  if (!sets || !files || !ovl) {
    free(sets);
    free(files);
    free(ovl);
    return CLI_FAIL;
  }
  int nsets = 0, nfiles = 0, novl = 0, c, as_json = 0, points = 0;
  truce_hindcast_opts ho = {1000, 0, 1};
  optind = 1;
  while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
    char* end;
    errno = 0;
    if (c == 'O')
      files[nfiles++] = optarg;
    else if (c == 'V')
      ovl[novl++] = optarg;
    else if (c == 's')
      sets[nsets++] = optarg;
    else if (c == 'p')
      points = 1;
    else if (c == 'j')
      as_json = 1;
    else if (c == 'n' || c == 't') {
      unsigned long long v = strtoull(optarg, &end, 10);
      if (*end || !*optarg || *optarg == '-' || errno ||
          (c == 'n' ? v == 0 || v > 100000000 : v > 1024)) {
        fprintf(stderr, "truce hindcast: bad %s '%s'; expected %s\n",
                c == 'n' ? "--runs" : "--threads", optarg,
                c == 'n' ? "a whole number from 1 to 100000000"
                         : "a whole number from 0 to 1024");
        free(sets);
        free(files);
        free(ovl);
        return CLI_USAGE;
      }
      if (c == 'n')
        ho.runs = v;
      else
        ho.threads = (int)v;
    } else {
      help(c == 'h' ? stdout : stderr);
      free(sets);
      free(files);
      free(ovl);
      return c == 'h' ? CLI_OK : CLI_USAGE;
    }
  }
  if (!nfiles && optind < argc) {
    fprintf(stderr,
            "truce hindcast: no --observed FILE; expected at least "
            "one observed-series CSV\n");
    free(sets);
    free(files);
    free(ovl);
    return CLI_USAGE;
  }
  truce_scenario* sc = NULL;
  int rc = cli_load_file_overlaid(ctx, argc, argv, help, ovl, novl, sets, nsets,
                                  &sc);
  free(ovl);
  if (rc) {
    free(files);
    return rc;
  }
  truce_hindcast_obs* ob = NULL;
  truce_hindcast* h = NULL;
  rc = truce_hindcast_obs_new(ctx, &ob);
  for (int i = 0; i < nfiles && !rc; i++)
    rc = truce_hindcast_obs_load(ob, files[i]);
  if (!rc) rc = truce_hindcast_run(ctx, sc, ob, &ho, &h);
  if (rc) {
    cli_report(ctx);
  } else if (truce_hindcast_is_root(h)) {
    if (as_json)
      json(sc, h);
    else
      text(sc, h, points);
  }
  truce_hindcast_free(h);
  truce_hindcast_obs_free(ob);
  truce_scenario_free(sc);
  free(files);
  return rc ? CLI_FAIL : CLI_OK;
}
