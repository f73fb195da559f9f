/* SPDX-License-Identifier: GPL-3.0-or-later
 * truce report DIR: the self-contained HTML report of a run's outputs. */
#include <getopt.h>
#include <stdio.h>

#include "cli.h"

static void help(FILE* f) {
  fprintf(f,
          "usage: truce report DIR [-o FILE]\n"
          "\n"
          "Write one self-contained HTML file (no network needed) with the\n"
          "charts of the outputs in DIR (written by truce run): fan charts\n"
          "of each side's strength, casualties, equipment, ammunition and\n"
          "territory, exhaustion days, aid, the bargaining window and\n"
          "packages, the assumptions register and the run's metadata; and\n"
          "when truce explore wrote into DIR too, the exploration's charts.\n"
          "\n"
          "  -o FILE     output file (default DIR/report.html)\n"
          "  -h, --help  show this help\n");
}

int cmd_report(truce_ctx* ctx, int argc, char** argv) {
  const char* out;
  int st = cli_output_args(argc, argv, 1, help, &out);
  if (st >= 0) return st;
  char def[1100];
  if (!out) {
    snprintf(def, sizeof def, "%s/report.html", argv[optind]);
    out = def;
  }
  if (truce_report_write(ctx, argv[optind], out)) {
    cli_report(ctx);
    return CLI_FAIL;
  }
  printf("wrote %s\n", out);
  return CLI_OK;
}
