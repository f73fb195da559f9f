/* SPDX-License-Identifier: GPL-3.0-or-later
 * truce check FILE: validate a scenario and print a short summary. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static void help(FILE* f) {
  fprintf(
      f,
      "usage: truce check FILE [--overlay RECORD.yaml]... "
      "[--set PATH=VALUE]...\n"
      "\n"
      "Validate a scenario file and print a short summary. Errors are\n"
      "printed as FILE:LINE:COL: error: ... and the exit status is 1.\n"
      "Limits (docs/scenario.md): at most 1 MiB, lines of at most 64 KiB,\n"
      "'[' and '{' nested at most 64 deep, UTF-8 without control\n"
      "characters, no directives ('%%' lines), ids of at most 31 letters,\n"
      "digits, '_' or '-'.\n"
      "\n"
      "  --overlay RECORD.yaml\n"
      "                    add an overlay's known-outcome events (the\n"
      "                    recorded past, for a conditional hindcast)\n"
      "  --set PATH=VALUE  override a number, e.g.\n"
      "                    --set sides.ua.personnel.recruits_per_month=30000\n"
      "  -h, --help        show this help\n");
}

int cmd_check(truce_ctx* ctx, int argc, char** argv) {
  static const struct option opts[] = {
      {"set", required_argument, NULL, 's'},
      {"overlay", required_argument, NULL, 'O'},
      {"help", no_argument, NULL, 'h'},
      {NULL, 0, NULL, 0}};
  char** sets = calloc((size_t)argc, sizeof *sets);
  const char** ovl = calloc((size_t)argc, sizeof *ovl);
  if (!sets || !ovl) {
    free(sets);
    free(ovl);
    return CLI_FAIL;
  }
  int nsets = 0, novl = 0, c;
  optind = 1;
  while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
    if (c == 's') {
      sets[nsets++] = optarg;
    } else if (c == 'O') {
      ovl[novl++] = optarg;
    } else {
      help(c == 'h' ? stdout : stderr);
      free(sets);
      free(ovl);
      return c == 'h' ? CLI_OK : CLI_USAGE;
    }
  }
  truce_scenario* sc;
  int rc = cli_load_file_overlaid(ctx, argc, argv, help, ovl, novl, sets, nsets,
                                  &sc);
  free(ovl);
  if (rc) return rc;
  printf("%s: ok\n", truce_scenario_file(sc));
  printf("  name:      %s\n", truce_scenario_name(sc));
  printf("  start:     %s\n",
         truce_scenario_start(sc) ? truce_scenario_start(sc) : "(day 0)");
  if (truce_scenario_as_of(sc))
    printf("  as of:     %s (nothing dated after it)\n",
           truce_scenario_as_of(sc));
  printf("  horizon:   %d days, time step %g day\n",
         truce_scenario_horizon_days(sc), truce_scenario_time_step(sc));
  printf("  law:       %s\n", truce_scenario_law_name(sc));
  for (size_t i = 0; i < 2; i++) {
    const char* id = truce_scenario_side_id(sc, i);
    char path[128];
    double front = 0, pool = 0, rec = 0;
    snprintf(path, sizeof path, "sides.%s.personnel.front", id);
    truce_scenario_get(ctx, sc, path, &front);
    snprintf(path, sizeof path, "sides.%s.personnel.pool", id);
    truce_scenario_get(ctx, sc, path, &pool);
    snprintf(path, sizeof path, "sides.%s.personnel.recruits_per_month", id);
    truce_scenario_get(ctx, sc, path, &rec);
    printf("  side %-4s  front %.0f, pool %.0f, recruits %.0f/month\n", id,
           front, pool, rec);
  }
  size_t np = truce_scenario_provenance_count(sc), sourced = 0;
  for (size_t i = 0; i < np; i++)
    if (truce_scenario_provenance(sc, i)->source) sourced++;
  printf("  events:    %zu\n", truce_scenario_event_count(sc));
  printf("  numbers:   %zu (%zu with a source)\n", np, sourced);
  printf("  sha256:    %s\n", truce_scenario_sha256(sc));
  truce_scenario_free(sc);
  return CLI_OK;
}
