/* SPDX-License-Identifier: GPL-3.0-or-later
 * Shared declarations of the truce command-line tool (public API only). */
#ifndef TRUCE_CLI_H
#define TRUCE_CLI_H
#include <stdio.h>
#include <truce/truce.h>

/* Exit statuses: 0 success, 1 failure (bad input included), 2 usage. */
enum { CLI_OK = 0, CLI_FAIL = 1, CLI_USAGE = 2 };

/* Copy the file at path to standard output; 0, or -1 having printed
 * "truce: error: ..." (the CLI's own reading, not the library's). */
int cli_print_file(const char* path);

int cmd_run(truce_ctx* ctx, int argc, char** argv);
int cmd_check(truce_ctx* ctx, int argc, char** argv);
int cmd_stake(truce_ctx* ctx, int argc, char** argv);
int cmd_bargain(truce_ctx* ctx, int argc, char** argv);
int cmd_report(truce_ctx* ctx, int argc, char** argv);
int cmd_compare(truce_ctx* ctx, int argc, char** argv);
int cmd_calibrate(truce_ctx* ctx, int argc, char** argv);
int cmd_hindcast(truce_ctx* ctx, int argc, char** argv);
int cmd_explore(truce_ctx* ctx, int argc, char** argv);
int cmd_paths(truce_ctx* ctx, int argc, char** argv);
int cmd_serve(truce_ctx* ctx, int argc, char** argv);

/* Print s to stdout as a JSON string (quoted and escaped). */
void cli_json_str(const char* s);
/* Write text that may come from input to f, control characters (escape
 * sequences included) shown as \xNN. */
void cli_put_text(FILE* f, const char* s);
/* The context's last error as one line: "FILE:LINE:COL: error: MESSAGE"
 * when it is at a place in an input, else the message alone. */
void cli_error_text(const truce_ctx* ctx, char* buf, size_t n);
/* Print the context's last error to stderr (through cli_put_text): the
 * line above, prefixed "truce: error: " when it has no place. */
void cli_report(const truce_ctx* ctx);
/* The same for a failed --set ASSIGNMENT: "--set ASSIGNMENT: error: ...". */
void cli_report_set(const truce_ctx* ctx, const char* assignment);
/* Load a scenario and apply --set overrides; reports errors itself. */
int cli_load(truce_ctx* ctx, const char* path, char** sets, int nsets,
             truce_scenario** out);
/* The same with overlays (truce_scenario_overlay) applied in order after
 * the file and before the stakeholder links and --set. */
int cli_load_overlaid(truce_ctx* ctx, const char* path,
                      const char* const* overlays, int noverlays, char** sets,
                      int nsets, truce_scenario** out);
/* After the options: exactly one positional FILE, loaded with the --set
 * overrides `sets` (freed here either way). 0 with *out set, else the
 * exit status (usage after printing help, or a load failure). */
int cli_load_file(truce_ctx* ctx, int argc, char** argv, void (*help)(FILE*),
                  char** sets, int nsets, truce_scenario** out);
int cli_load_file_overlaid(truce_ctx* ctx, int argc, char** argv,
                           void (*help)(FILE*), const char* const* overlays,
                           int noverlays, char** sets, int nsets,
                           truce_scenario** out);
/* Parse the options of a command taking exactly npos positional
 * arguments and an optional -o FILE: returns -1 to go on (with *out set,
 * or left NULL, and optind at the first positional argument), else the
 * exit status (after printing help). */
int cli_output_args(int argc, char** argv, int npos, void (*help)(FILE*),
                    const char** out);
#endif
