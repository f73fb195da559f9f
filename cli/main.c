/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * truce: the command-line front end. main() creates the context, hands the
 * arguments to one command and turns its result into an exit status.
 */
#include <errno.h>
#include <getopt.h>
#include <gsl/gsl_errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static void usage(FILE* f) {
  fprintf(f,
          "usage: truce <command> [options]\n"
          "\n"
          "Simulate wars of attrition and forecast negotiated settlements.\n"
          "\n"
          "commands:\n"
          "  check FILE        validate a scenario and summarise it\n"
          "  paths FILE        every settable number with its provenance\n"
          "  run FILE          simulate a scenario and write its outputs\n"
          "  bargain FILE      the negotiation on one day of the war\n"
          "  report DIR        the HTML report of a run's outputs\n"
          "  compare A B       what changed between two runs\n"
          "  calibrate FILE    fit attrition coefficients to observed data\n"
          "  hindcast FILE     score an ensemble against observed series\n"
          "  stake FILE        where a group of many actors lands\n"
          "  explore FILE      designs, sensitivity and scenario discovery\n"
          "  serve FILE        a live what-if page (http://127.0.0.1:8642/)\n"
          "\n"
          "options:\n"
          "  -h, --help        show this help\n"
          "  --version         print the version\n"
          "\n"
          "Run 'truce <command> --help' for a command's options. Exit status:\n"
          "0 success, 1 bad input or a failed run (FILE:LINE:COL: error:\n"
          "...), 2 a bad command line.\n");
}

int cli_output_args(int argc, char** argv, int npos, void (*help)(FILE*),
                    const char** out) {
  static const struct option opts[] = {{"output", required_argument, NULL, 'o'},
                                       {"help", no_argument, NULL, 'h'},
                                       {NULL, 0, NULL, 0}};
  int c;
  *out = NULL;
  optind = 1;
  while ((c = getopt_long(argc, argv, "ho:", opts, NULL)) != -1) {
    if (c == 'o')
      *out = optarg;
    else if (c == 'h') {
      help(stdout);
      return CLI_OK;
    } else {
      help(stderr);
      return CLI_USAGE;
    }
  }
  if (optind != argc - npos) {
    help(stderr);
    return CLI_USAGE;
  }
  return -1;
}

void cli_json_str(const char* s) {
  putchar('"');
  for (; *s; s++) {
    if (*s == '"' || *s == '\\')
      printf("\\%c", *s);
    else if ((unsigned char)*s < 0x20)
      printf("\\u%04x", *s);
    else
      putchar(*s);
  }
  putchar('"');
}

int cli_print_file(const char* path) {
  FILE* f = fopen(path, "rb");
  if (!f) {
    fprintf(stderr, "truce: error: cannot read '%s'\n", path);
    return -1;
  }
  char buf[1 << 14];
  size_t n;
  int rc = 0;
  while ((n = fread(buf, 1, sizeof buf, f)) > 0)
    if (fwrite(buf, 1, n, stdout) != n) rc = -1;
  if (ferror(f) || fflush(stdout)) rc = -1;
  fclose(f);
  if (rc) fprintf(stderr, "truce: error: cannot copy '%s'\n", path);
  return rc;
}

void cli_put_text(FILE* f, const char* s) {
  for (; *s; s++) {
    unsigned char c = (unsigned char)*s;
    if ((c < 0x20 && c != '\t') || c == 0x7F)
      fprintf(f, "\\x%02X", c);
    else
      fputc(c, f);
  }
}

void cli_error_text(const truce_ctx* ctx, char* buf, size_t n) {
  const char* msg = truce_ctx_message(ctx);
  if (!*msg) msg = truce_strerror(truce_ctx_code(ctx));
  const char* file = truce_ctx_file(ctx);
  if (file && truce_ctx_line(ctx) > 0)
    snprintf(buf, n, "%s:%d:%d: error: %s", file, truce_ctx_line(ctx),
             truce_ctx_column(ctx), msg);
  else if (file) /* a command-line option, e.g. "--lever PATH" */
    snprintf(buf, n, "%s: error: %s", file, msg);
  else
    snprintf(buf, n, "%s", msg);
}

/* The message may quote input (a name from a CSV, a path): its control
 * characters are shown as \xNN, never sent to the terminal. */
void cli_report(const truce_ctx* ctx) {
  char text[2048];
  cli_error_text(ctx, text, sizeof text);
  /* an error at a place in an input already names it */
  if (!truce_ctx_file(ctx)) fputs("truce: error: ", stderr);
  cli_put_text(stderr, text);
  fputc('\n', stderr);
}

void cli_report_set(const truce_ctx* ctx, const char* assignment) {
  if (truce_ctx_file(ctx)) {
    cli_report(ctx);
    return;
  }
  const char* msg = truce_ctx_message(ctx);
  fputs("--set ", stderr);
  cli_put_text(stderr, assignment);
  fputs(": error: ", stderr);
  cli_put_text(stderr, *msg ? msg : truce_strerror(truce_ctx_code(ctx)));
  fputc('\n', stderr);
}

int cli_load(truce_ctx* ctx, const char* path, char** sets, int nsets,
             truce_scenario** out) {
  return cli_load_overlaid(ctx, path, NULL, 0, sets, nsets, out);
}

int cli_load_overlaid(truce_ctx* ctx, const char* path,
                      const char* const* overlays, int noverlays, char** sets,
                      int nsets, truce_scenario** out) {
  if (truce_scenario_load(ctx, path, out)) {
    cli_report(ctx);
    return CLI_FAIL;
  }
  for (int i = 0; i < noverlays; i++) {
    if (truce_scenario_overlay(ctx, *out, overlays[i])) {
      cli_report(ctx);
      truce_scenario_free(*out);
      *out = NULL;
      return CLI_FAIL;
    }
  }
  if (truce_stake_apply(ctx, *out)) { /* stakeholder links, before --set */
    cli_report(ctx);
    truce_scenario_free(*out);
    *out = NULL;
    return CLI_FAIL;
  }
  for (int i = 0; i < nsets; i++) {
    if (truce_scenario_set(ctx, *out, sets[i])) {
      cli_report_set(ctx, sets[i]);
      truce_scenario_free(*out);
      *out = NULL;
      return CLI_FAIL;
    }
  }
  return CLI_OK;
}

int cli_load_file(truce_ctx* ctx, int argc, char** argv, void (*help)(FILE*),
                  char** sets, int nsets, truce_scenario** out) {
  return cli_load_file_overlaid(ctx, argc, argv, help, NULL, 0, sets, nsets,
                                out);
}

int cli_load_file_overlaid(truce_ctx* ctx, int argc, char** argv,
                           void (*help)(FILE*), const char* const* overlays,
                           int noverlays, char** sets, int nsets,
                           truce_scenario** out) {
  *out = NULL;
  if (optind != argc - 1) {
    help(stderr);
    free(sets);
    return CLI_USAGE;
  }
  int rc = cli_load_overlaid(ctx, argv[optind], overlays, noverlays, sets,
                             nsets, out);
  free(sets);
  return rc;
}

/* "--set PATH VALUE" (a space for '=') would otherwise end in a bare
 * usage dump, the value taken for a second file. Every command's --set
 * takes PATH=VALUE, so one check before dispatch names the mistake and the
 * fix. Returns true (having printed the message) when argv has one. */
static bool set_without_value(int argc, char** argv) {
  for (int i = 2; i < argc; i++) {
    if (!strcmp(argv[i], "--")) break;
    const char* a = NULL;
    bool joined = !strncmp(argv[i], "--set=", 6);
    if (joined)
      a = argv[i] + 6;
    else if (!strcmp(argv[i], "--set") && i + 1 < argc)
      a = argv[i + 1];
    if (!a || strchr(a, '=')) continue;
    const char* v = !joined && i + 2 < argc ? argv[i + 2] : NULL;
    if (v && v[0] == '-' && !(v[1] >= '0' && v[1] <= '9') && v[1] != '.')
      v = NULL; /* the next option, not a (negative) value */
    fprintf(stderr,
            "truce: error: --set takes PATH=VALUE; did you mean "
            "--set %s=%s?\n",
            *a ? a : "PATH", v ? v : "VALUE");
    return true;
  }
  return false;
}

int main(int argc, char** argv) {
  if (argc < 2) {
    usage(stderr);
    return CLI_USAGE;
  }
  const char* cmd = argv[1];
  if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
    usage(stdout);
    return CLI_OK;
  }
  if (!strcmp(cmd, "--version")) {
    printf("truce %s (%s)\n", truce_version(), truce_features());
    return CLI_OK;
  }
  if (set_without_value(argc, argv)) return CLI_USAGE;
  gsl_set_error_handler_off();
  if (truce_parallel_init(&argc, &argv)) {
    fprintf(stderr, "truce: error: cannot start MPI\n");
    return CLI_FAIL;
  }
  truce_ctx* ctx;
  if (truce_ctx_new(&ctx, NULL, NULL)) {
    fprintf(stderr, "truce: out of memory\n");
    truce_parallel_finalize();
    return CLI_FAIL;
  }
  cmd = argv[1];
  int rc;
  if (!strcmp(cmd, "run")) {
    rc = cmd_run(ctx, argc - 1, argv + 1);
  } else if (!strcmp(cmd, "check")) {
    rc = cmd_check(ctx, argc - 1, argv + 1);
  } else if (!strcmp(cmd, "calibrate")) {
    rc = cmd_calibrate(ctx, argc - 1, argv + 1);
  } else if (!strcmp(cmd, "compare")) {
    rc = cmd_compare(ctx, argc - 1, argv + 1);
  } else if (!strcmp(cmd, "report")) {
    rc = cmd_report(ctx, argc - 1, argv + 1);
  } else if (!strcmp(cmd, "bargain")) {
    rc = cmd_bargain(ctx, argc - 1, argv + 1);
  } else if (!strcmp(cmd, "stake")) {
    rc = cmd_stake(ctx, argc - 1, argv + 1);
  } else if (!strcmp(cmd, "hindcast")) {
    rc = cmd_hindcast(ctx, argc - 1, argv + 1);
  } else if (!strcmp(cmd, "explore")) {
    rc = cmd_explore(ctx, argc - 1, argv + 1);
  } else if (!strcmp(cmd, "serve")) {
    rc = cmd_serve(ctx, argc - 1, argv + 1);
  } else if (!strcmp(cmd, "paths")) {
    rc = cmd_paths(ctx, argc - 1, argv + 1);
  } else {
    fprintf(stderr, "truce: unknown command '%s'\n", cmd);
    usage(stderr);
    rc = CLI_USAGE;
  }
  truce_ctx_free(ctx);
  truce_parallel_finalize();
  /* what was printed must have arrived (a full disk, a closed pipe) */
  errno = 0;
  if ((fflush(stdout) != 0 || ferror(stdout)) && rc == CLI_OK) {
    fprintf(stderr, "truce: error: cannot write to standard output (%s)\n",
            errno ? strerror(errno) : "write error");
    rc = CLI_FAIL;
  }
  return rc;
}
