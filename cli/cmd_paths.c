/* SPDX-License-Identifier: GPL-3.0-or-later
 * truce paths FILE: every settable path of a scenario (what --set
 * PATH=VALUE accepts) with its value, valid range, distribution and
 * provenance, as text or JSON. */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static void help(FILE* f) {
  fprintf(f,
          "usage: truce paths FILE [--json] [--uncertain] [--set "
          "PATH=VALUE]...\n"
          "\n"
          "List every number of the scenario that --set PATH=VALUE accepts,\n"
          "one a line: the path, its value, the range it must lie in, its\n"
          "distribution when the scenario is uncertain about it, and its\n"
          "provenance (source; claimant; date), or \"default\" when the file\n"
          "leaves it at the schema's default. (--set also takes seed=N.)\n"
          "\n"
          "  --json            one JSON object a path, in an array\n"
          "  --uncertain       only the uncertain numbers (ranges and dist:)\n"
          "  --set PATH=VALUE  override a number first (as truce run does)\n"
          "  -h, --help        show this help\n");
}

static void put_num(double v) {
  if (isfinite(v))
    printf("%.12g", v);
  else
    printf("null");
}

static void put_str_or_null(const char* s) {
  if (s)
    cli_json_str(s);
  else
    printf("null");
}

static void print_json(const truce_param* p, size_t n) {
  printf("[");
  for (size_t i = 0; i < n; i++) {
    const truce_param* q = &p[i];
    const truce_provenance* pv = q->provenance;
    printf("%s\n  {\"path\": ", i ? "," : "");
    cli_json_str(q->path);
    printf(", \"value\": ");
    put_num(q->value);
    if (q->label) {
      printf(", \"label\": ");
      cli_json_str(q->label);
    }
    printf(", \"min\": ");
    put_num(q->lo);
    printf(", \"max\": ");
    put_num(q->hi);
    printf(", \"min_excluded\": %s, \"integer\": %s, \"initial\": %s",
           q->lo_open ? "true" : "false", q->integer ? "true" : "false",
           q->initial ? "true" : "false");
    printf(", \"expect\": ");
    cli_json_str(q->expect);
    printf(", \"distribution\": ");
    put_str_or_null(q->distribution);
    if (q->distribution) {
      printf(", \"p005\": ");
      put_num(q->dist_lo);
      printf(", \"p995\": ");
      put_num(q->dist_hi);
    }
    printf(", \"unit\": ");
    put_str_or_null(pv ? pv->unit : NULL);
    printf(", \"source\": ");
    put_str_or_null(pv ? pv->source : NULL);
    printf(", \"claimant\": ");
    put_str_or_null(pv ? pv->claimant : NULL);
    printf(", \"date\": ");
    put_str_or_null(pv ? pv->date : NULL);
    printf(", \"line\": %d}", pv ? pv->line : 0);
  }
  printf("\n]\n");
}

static void print_text(const truce_param* p, size_t n) {
  for (size_t i = 0; i < n; i++) {
    const truce_param* q = &p[i];
    const truce_provenance* pv = q->provenance;
    cli_put_text(stdout, q->path);
    if (q->label) {
      printf(" = ");
      cli_put_text(stdout, q->label);
    } else {
      printf(" = %.12g", q->value);
    }
    if (q->label) {
      printf("  (");
      cli_put_text(stdout, q->expect);
      printf(")");
    } else {
      printf("  %s%.6g, %.6g]", q->lo_open ? "(" : "[", q->lo, q->hi);
    }
    if (q->distribution) {
      printf("  ~ ");
      cli_put_text(stdout, q->distribution);
    }
    if (!pv) {
      printf("  (default)\n");
      continue;
    }
    const char* parts[3] = {pv->source, pv->claimant, pv->date};
    printf("  --");
    for (int k = 0; k < 3; k++) {
      printf("%s", k ? "; " : " ");
      cli_put_text(stdout, parts[k] ? parts[k] : "-");
    }
    if (pv->unit) {
      printf(" (");
      cli_put_text(stdout, pv->unit);
      printf(")");
    }
    putchar('\n');
  }
}

int cmd_paths(truce_ctx* ctx, int argc, char** argv) {
  static const struct option opts[] = {{"set", required_argument, NULL, 's'},
                                       {"json", no_argument, NULL, 'j'},
                                       {"uncertain", no_argument, NULL, 'u'},
                                       {"help", no_argument, NULL, 'h'},
                                       {NULL, 0, NULL, 0}};
  char** sets = calloc((size_t)argc, sizeof *sets);
  if (!sets) return CLI_FAIL;
  int nsets = 0, c;
  int json = 0, uncertain = 0;
  optind = 1;
  while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
    if (c == 's') {
      sets[nsets++] = optarg;
    } else if (c == 'j') {
      json = 1;
    } else if (c == 'u') {
      uncertain = 1;
    } else {
      help(c == 'h' ? stdout : stderr);
      free(sets);
      return c == 'h' ? CLI_OK : CLI_USAGE;
    }
  }
  truce_scenario* sc;
  int rc = cli_load_file(ctx, argc, argv, help, sets, nsets, &sc);
  if (rc) return rc;
  truce_param* p;
  size_t n;
  if (truce_scenario_params(ctx, sc, &p, &n)) {
    cli_report(ctx);
    truce_scenario_free(sc);
    return CLI_FAIL;
  }
  size_t m = 0; /* keep the uncertain ones only, in place */
  for (size_t i = 0; i < n; i++)
    if (!uncertain || p[i].distribution) p[m++] = p[i];
  if (json)
    print_json(p, m);
  else
    print_text(p, m);
  truce_scenario_params_free(ctx, p, n);
  truce_scenario_free(sc);
  return CLI_OK;
}
