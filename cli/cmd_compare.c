/* SPDX-License-Identifier: GPL-3.0-or-later
 * truce compare DIR_A DIR_B: what changed between two runs, and whether
 * it is more than the runs' noise. */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"

static void help(FILE* f) {
  fprintf(f,
          "usage: truce compare DIR_A DIR_B [-o FILE] [--json]\n"
          "\n"
          "Compare two runs (output directories of truce run): the\n"
          "assumptions that differ (values, distributions, sources) and how\n"
          "every outcome moved, B - A with its 95%% interval: paired run by\n"
          "run when the runs share seed and run count, unpaired otherwise;\n"
          "a change whose interval excludes 0 is marked beyond noise (*).\n"
          "Warns when seeds, run counts, horizons, modes, sides or scenarios\n"
          "differ. Writes an HTML page (default DIR_B/compare.html).\n"
          "See docs/outputs.md, \"truce compare\".\n"
          "\n"
          "  -o FILE     the HTML page\n"
          "  --json      print the comparison as JSON (full precision) and\n"
          "              write no page\n"
          "  -h, --help  show this help\n");
}

/* absent: an assumption the run does not set */
static void num(double v, const char* absent) {
  char t[64];
  truce_format_sig(v, 3, t, sizeof t);
  printf("%14s", isnan(v) ? absent : t);
}

static void jnum(double v) {
  if (isfinite(v))
    printf("%.17g", v);
  else
    printf("null");
}

static void print_json(const truce_comparison* c, const char* a,
                       const char* b) {
  printf("{\"a\": ");
  cli_json_str(a);
  printf(", \"b\": ");
  cli_json_str(b);
  printf(
      ", \"level\": %g, \"paired\": %s, \"seeds\": [%llu, %llu], \"runs\": "
      "[%llu, %llu], \"days\": [%d, %d], \"flagged\": %zu,\n \"warnings\": [",
      c->level, c->paired ? "true" : "false", (unsigned long long)c->seed[0],
      (unsigned long long)c->seed[1], (unsigned long long)c->runs[0],
      (unsigned long long)c->runs[1], c->days[0], c->days[1], c->flagged);
  for (size_t i = 0; i < c->n_warn; i++) {
    printf("%s{\"code\": ", i ? ", " : "");
    cli_json_str(c->warn[i].code);
    printf(", \"message\": ");
    cli_json_str(c->warn[i].message);
    printf("}");
  }
  printf("],\n \"assumptions\": [");
  for (size_t i = 0; i < c->n_diff; i++) {
    printf("%s\n  {\"path\": ", i ? "," : "");
    cli_json_str(c->diff[i].path);
    printf(", \"a\": ");
    jnum(c->diff[i].a);
    printf(", \"b\": ");
    jnum(c->diff[i].b);
    printf("}");
  }
  static const char* const units[] = {"count", "share", "day", "money"};
  printf("],\n \"outcomes\": [");
  for (size_t i = 0; i < c->n_shift; i++) {
    const truce_outcome_shift* s = &c->shift[i];
    printf("%s\n  {\"what\": ", i ? "," : "");
    cli_json_str(s->what);
    printf(", \"unit\": \"%s\"", units[s->unit]);
    const double v[] = {s->a, s->b, s->diff, s->se, s->lo, s->hi};
    static const char* const k[] = {"a", "b", "diff", "se", "lo", "hi"};
    for (int j = 0; j < 6; j++) {
      printf(", \"%s\": ", k[j]);
      jnum(v[j]);
    }
    printf(", \"paired\": %s, \"beyond_noise\": %s}",
           s->paired ? "true" : "false", s->beyond_noise ? "true" : "false");
  }
  printf("]}\n");
}

static void print_text(const truce_comparison* c, const char* a,
                       const char* b) {
  printf("A: %s\nB: %s\n", a, b);
  for (size_t i = 0; i < c->n_warn; i++)
    printf("warning: %s\n", c->warn[i].message);
  printf("\nassumptions that differ (%zu):\n", c->n_diff);
  for (size_t i = 0; i < c->n_diff; i++) {
    const truce_assumption_diff* d = &c->diff[i];
    printf("  %-52s", d->path);
    num(d->a, "(not set)");
    printf(" ->");
    num(d->b, "(not set)");
    if (d->source_b[0]) printf("   (B: %s)", d->source_b);
    printf("\n");
  }
  printf(
      "\nhow the outcomes moved (B - A with its %.0f%% interval, %s):\n"
      "  %-52s %10s %10s %10s  %s\n",
      100 * c->level,
      c->paired ? "paired by run: same seed and runs" : "unpaired", "", "A",
      "B", "change", "interval");
  for (size_t i = 0; i < c->n_shift; i++) {
    const truce_outcome_shift* s = &c->shift[i];
    char va[64], vb[64], vd[64], lo[64], hi[64], iv[140] = "";
    truce_outcome_format(s->unit, s->a, 0, "-", va, sizeof va);
    truce_outcome_format(s->unit, s->b, 0, "-", vb, sizeof vb);
    truce_outcome_format(s->unit, s->diff, 1, "-", vd, sizeof vd);
    truce_outcome_format(s->unit, s->lo, 1, "-", lo, sizeof lo);
    truce_outcome_format(s->unit, s->hi, 1, "-", hi, sizeof hi);
    if (!isnan(s->lo)) snprintf(iv, sizeof iv, "[%s, %s]", lo, hi);
    printf("  %-52s %10s %10s %10s  %s%s\n", s->what, va, vb, vd, iv,
           s->beyond_noise ? " *" : "");
  }
  printf(
      "* beyond noise (the interval excludes 0): %zu of %zu; by chance "
      "alone about %.0f%% would be\n",
      c->flagged, c->n_shift, 100 * (1 - c->level));
}

int cmd_compare(truce_ctx* ctx, int argc, char** argv) {
  static const struct option opts[] = {{"output", required_argument, NULL, 'o'},
                                       {"json", no_argument, NULL, 'J'},
                                       {"help", no_argument, NULL, 'h'},
                                       {NULL, 0, NULL, 0}};
  const char* out = NULL;
  int c, json = 0;
  optind = 1;
  while ((c = getopt_long(argc, argv, "ho:", opts, NULL)) != -1) {
    if (c == 'o') {
      out = optarg;
    } else if (c == 'J') {
      json = 1;
    } else {
      help(c == 'h' ? stdout : stderr);
      return c == 'h' ? CLI_OK : CLI_USAGE;
    }
  }
  if (optind != argc - 2) {
    help(stderr);
    return CLI_USAGE;
  }
  const char *a = argv[optind], *b = argv[optind + 1];
  truce_comparison* cmp;
  if (truce_compare(ctx, a, b, &cmp)) {
    cli_report(ctx);
    return CLI_FAIL;
  }
  int rc = CLI_OK;
  if (json) {
    print_json(cmp, a, b);
    truce_comparison_free(ctx, cmp);
    return rc;
  }
  print_text(cmp, a, b);
  char def[1100];
  if (!out) {
    snprintf(def, sizeof def, "%s/compare.html", b);
    out = def;
  }
  if (truce_compare_write_html(ctx, cmp, a, b, out)) {
    cli_report(ctx);
    rc = CLI_FAIL;
  } else {
    printf("\nwrote %s\n", out);
  }
  truce_comparison_free(ctx, cmp);
  return rc;
}
