/* SPDX-License-Identifier: GPL-3.0-or-later
 * truce serve FILE: a live what-if page for a scenario (docs/serve.md),
 * until interrupted (Ctrl-C, SIGTERM). */
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static void help(FILE* f) {
  fprintf(f,
          "usage: truce serve FILE [--port P] [--runs N] [--bind ADDR "
          "[--allow-remote]]\n"
          "                   [--threads T] [--rate R] [--set PATH=VALUE]...\n"
          "\n"
          "Serve a what-if page for a scenario: sliders for its levers\n"
          "(backers' budgets and will) and its uncertain numbers; each change\n"
          "reruns the ensemble (a quick first pass, then all N runs) and the\n"
          "page redraws the report's charts. A permalink holds the settings;\n"
          "\"save as scenario\" downloads the YAML with the changed numbers\n"
          "recorded as provenance. The server reads the scenario and its web\n"
          "assets once, at start, and no file after. Stop it with Ctrl-C.\n"
          "\n"
          "  --port P          TCP port (default 8642; 0: any free port)\n"
          "  --runs N          runs per change (default 1000)\n"
          "  --first-runs N    runs of the quick first pass (default 100)\n"
          "  --bind ADDR       address to listen on (default 127.0.0.1,\n"
          "                    this machine only)\n"
          "  --allow-remote    needed to bind a non-loopback ADDR: anyone who\n"
          "                    reaches it can run computations\n"
          "  --threads T       threads per ensemble (default: all)\n"
          "  --rate R          computations a second, in bursts of 2R; more\n"
          "                    get 429 (default 10)\n"
          "  --set PATH=VALUE  override a number first (as truce run does)\n"
          "  -h, --help        show this help\n");
}

static int parse_count(const char* s, unsigned long long lo,
                       unsigned long long hi, const char* what,
                       unsigned long long* out) {
  char* end;
  unsigned long long v = strtoull(s, &end, 10);
  if (!*s || *end || *s == '-' || v < lo || v > hi) {
    fprintf(stderr,
            "truce: error: --%s '%s'; expected a whole number from %llu"
            " to %llu\n",
            what, s, lo, hi);
    return -1;
  }
  *out = v;
  return 0;
}

int cmd_serve(truce_ctx* ctx, int argc, char** argv) {
  static const struct option opts[] = {
      {"port", required_argument, NULL, 'p'},
      {"runs", required_argument, NULL, 'r'},
      {"first-runs", required_argument, NULL, 'F'},
      {"bind", required_argument, NULL, 'b'},
      {"allow-remote", no_argument, NULL, 'R'},
      {"threads", required_argument, NULL, 't'},
      {"rate", required_argument, NULL, 'a'},
      {"set", required_argument, NULL, 's'},
      {"help", no_argument, NULL, 'h'},
      {NULL, 0, NULL, 0}};
  char** sets = calloc((size_t)argc, sizeof *sets);
  if (!sets) return CLI_FAIL;
  truce_serve_opts so;
  memset(&so, 0, sizeof so);
  so.port = 8642;
  int nsets = 0, c;
  unsigned long long v;
  optind = 1;
  while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
    int bad = 0;
    if (c == 's') {
      sets[nsets++] = optarg;
    } else if (c == 'p') {
      bad = parse_count(optarg, 0, 65535, "port", &v);
      so.port = (int)v;
    } else if (c == 'r') {
      bad = parse_count(optarg, 1, 1000000, "runs", &v);
      so.runs = v;
    } else if (c == 'F') {
      bad = parse_count(optarg, 1, 1000000, "first-runs", &v);
      so.first_runs = v;
    } else if (c == 't') {
      bad = parse_count(optarg, 1, 1024, "threads", &v);
      so.threads = (int)v;
    } else if (c == 'a') {
      bad = parse_count(optarg, 1, 1000, "rate", &v);
      so.rate = (double)v;
    } else if (c == 'b') {
      so.bind = optarg;
    } else if (c == 'R') {
      so.allow_remote = 1;
    } else {
      help(c == 'h' ? stdout : stderr);
      free(sets);
      return c == 'h' ? CLI_OK : CLI_USAGE;
    }
    if (bad) {
      free(sets);
      return CLI_USAGE;
    }
  }
  truce_scenario* sc;
  int rc = cli_load_file(ctx, argc, argv, help, sets, nsets, &sc);
  if (rc) return rc;
  /* the server's threads inherit this mask: the signals come to sigwait */
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGINT);
  sigaddset(&stop, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop, NULL);
  truce_server* srv;
  if (truce_serve_start(ctx, sc, &so, &srv)) {
    cli_report(ctx);
    truce_scenario_free(sc);
    return CLI_FAIL;
  }
  const char* addr = truce_serve_address(srv);
  int six = strchr(addr, ':') != NULL;
  printf("truce serve: %s on http://%s%s%s:%d/\n", truce_scenario_name(sc),
         six ? "[" : "", addr, six ? "]" : "", truce_serve_port(srv));
  if (truce_serve_is_loopback(addr))
    printf(
        "  listening on %s only (this machine); --bind ADDR "
        "--allow-remote to listen elsewhere\n",
        addr);
  else
    printf("  listening on %s: reachable from other machines\n", addr);
  printf("  %llu runs a change; Ctrl-C stops\n",
         (unsigned long long)(so.runs ? so.runs : 1000));
  fflush(stdout);
  int sig = 0;
  sigwait(&stop, &sig);
  truce_serve_stop(srv);
  truce_scenario_free(sc);
  printf("truce serve: stopped\n");
  return CLI_OK;
}
