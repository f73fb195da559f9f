/* SPDX-License-Identifier: GPL-3.0-or-later
 * truce compare DIR_A DIR_B: what changed between two runs. */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"

static void help(FILE* f) {
  fprintf(f,
          "usage: truce compare DIR_A DIR_B [-o FILE]\n"
          "\n"
          "Compare two runs (output directories of truce run): the\n"
          "assumptions that differ (values, distributions, sources) and how\n"
          "the headline outcomes moved, in the terminal and as an HTML page\n"
          "(default DIR_B/compare.html).\n"
          "\n"
          "  -o FILE     the HTML page\n"
          "  -h, --help  show this help\n");
}

/* absent: an assumption the run does not set, or an outcome no run has */
static void num(double v, const char* absent) {
  if (isnan(v))
    printf("%14s", absent);
  else
    printf("%14.6g", v);
}

int cmd_compare(truce_ctx* ctx, int argc, char** argv) {
  const char* out;
  int st = cli_output_args(argc, argv, 2, help, &out);
  if (st >= 0) return st;
  const char *a = argv[optind], *b = argv[optind + 1];
  truce_comparison* cmp = malloc(sizeof *cmp);
  if (!cmp) return CLI_FAIL;
  if (truce_compare(ctx, a, b, cmp)) {
    cli_report(ctx);
    free(cmp);
    return CLI_FAIL;
  }
  printf("A: %s\nB: %s\n\nassumptions that differ (%zu):\n", a, b, cmp->n_diff);
  for (size_t i = 0; i < cmp->n_diff; i++) {
    const truce_assumption_diff* d = &cmp->diff[i];
    printf("  %-52s", d->path);
    num(d->a, "(not set)");
    printf(" ->");
    num(d->b, "(not set)");
    if (d->source_b[0]) printf("   (B: %s)", d->source_b);
    printf("\n");
  }
  printf("\nhow the outcomes moved:\n  %-44s %14s %14s %14s\n", "", "A", "B",
         "change");
  for (size_t i = 0; i < cmp->n_shift; i++) {
    const truce_outcome_shift* s = &cmp->shift[i];
    char va[64], vb[64], vd[64];
    truce_outcome_format(s->unit, s->a, 0, "-", va, sizeof va);
    truce_outcome_format(s->unit, s->b, 0, "-", vb, sizeof vb);
    truce_outcome_format(s->unit, s->b - s->a, 1, "-", vd, sizeof vd);
    printf("  %-44s %14s %14s %14s\n", s->what, va, vb, vd);
  }
  char def[1100];
  if (!out) {
    snprintf(def, sizeof def, "%s/compare.html", b);
    out = def;
  }
  int rc = CLI_OK;
  if (truce_compare_write_html(ctx, cmp, a, b, out)) {
    cli_report(ctx);
    rc = CLI_FAIL;
  } else {
    printf("\nwrote %s\n", out);
  }
  free(cmp);
  return rc;
}
