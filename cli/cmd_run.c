/* SPDX-License-Identifier: GPL-3.0-or-later
 * truce run FILE: simulate a scenario and write daily.csv and summary.json.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "outset.h"

/* Default caps on an ensemble's estimated memory and output set
 * (truce_ensemble_estimate); --max-memory and --max-output raise them. */
#define RUN_MAX_MEMORY (8.0 * (1u << 30))
#define RUN_MAX_OUTPUT (4.0 * (1u << 30))

static void help(FILE* f) {
  fprintf(
      f,
      "usage: truce run FILE [--runs N] [--threads T] [--seed S]\n"
      "                 [--overlay RECORD.yaml]... [--set PATH=VALUE]...\n"
      "                 [--out DIR] [--deterministic]\n"
      "                 [--max-memory SIZE] [--max-output SIZE]\n"
      "\n"
      "Simulate the scenario and write into DIR: daily.csv (one run: the\n"
      "state per day and side; several: mean and quantile bands per day,\n"
      "side and series), runs.csv (one row per run: sampled parameters\n"
      "and outcomes), results.db (the same as SQLite tables) and\n"
      "summary.json (outcomes, metadata, and the assumptions with their\n"
      "provenance), and report.html. See docs/outputs.md. Under mpirun the\n"
      "runs are split over the ranks; results do not depend on threads or\n"
      "ranks.\n"
      "\n"
      "The set is written beside DIR and swapped into place whole: a\n"
      "failed or interrupted run leaves DIR as it was. A second run into\n"
      "the same DIR is refused while one is running (lock DIR/../.NAME.lock).\n"
      "Before running, memory and output size are estimated and refused\n"
      "above the caps (exit 1, the estimate named).\n"
      "\n"
      "  --runs N          number of runs (default 1)\n"
      "  --threads T       OpenMP threads (default: all cores)\n"
      "  --seed S          override the scenario's seed\n"
      "  --overlay RECORD.yaml\n"
      "                    add an overlay's known-outcome events (the\n"
      "                    recorded past, for a conditional hindcast;\n"
      "                    docs/scenario.md, \"No hindsight\")\n"
      "  --set PATH=VALUE  override a number, e.g.\n"
      "                    --set sides.ua.personnel.recruits_per_month=30000\n"
      "  --out DIR         output directory (default out/<scenario file>)\n"
      "  --deterministic   expected values (RK4), no random draws\n"
      "  --no-report       do not write DIR/report.html\n"
      "  --score CSV       score P(agreement by month) against the record\n"
      "                    and beside published forecasts in CSV (e.g.\n"
      "                    data/bargaining/ceasefire_forecasts.csv; see\n"
      "                    docs/bargaining.md, \"Scores\"), or against a\n"
      "                    record of agreement and its terms (e.g.\n"
      "                    data/historical/korea/record.csv)\n"
      "  --max-memory SIZE refuse a run estimated to need more memory\n"
      "                    (default 8G; SIZE in bytes or with K, M, G, T)\n"
      "  --max-output SIZE refuse an output set estimated to be larger\n"
      "                    (default 4G)\n"
      "  --json            print summary.json to standard output (and\n"
      "                    nothing else: implies --quiet)\n"
      "  -q, --quiet       print nothing on success\n"
      "  -h, --help        show this help\n");
}

typedef struct {
  truce_output* out;
  uint64_t run;
} day_user;

static int on_day(void* user, const truce_day* d) {
  day_user* u = user;
  return truce_output_day(u->out, u->run, d);
}

typedef struct {
  int last_pct;
  int started;
} progress;

/* A progress bar on stderr (only when it is a terminal). */
static void show_progress(void* user, uint64_t done, uint64_t total) {
  progress* p = user;
  int pct = total ? (int)(100 * done / total) : 100;
  if (p->started && pct == p->last_pct) return;
  p->started = 1;
  p->last_pct = pct;
  char bar[41];
  int fill = pct * 40 / 100;
  for (int i = 0; i < 40; i++) bar[i] = i < fill ? '#' : '.';
  bar[40] = '\0';
  fprintf(stderr, "\r[%s] %3d%% %llu/%llu runs", bar, pct,
          (unsigned long long)done, (unsigned long long)total);
  fflush(stderr);
}

/* v to 3 significant figures (docs/outputs.md, "Rounding"). */
static const char* sig3(double v, char buf[64]) {
  truce_format_sig(v, 3, buf, 64);
  return buf;
}

static void print_summary(const truce_scenario* sc, const truce_ensemble* e,
                          uint64_t runs, int det, const char* outdir) {
  int H = truce_scenario_horizon_days(sc);
  printf("%s: %llu %s run%s of %d days (seed %llu)\n", truce_scenario_name(sc),
         (unsigned long long)runs, det ? "deterministic" : "stochastic",
         runs == 1 ? "" : "s", H, (unsigned long long)truce_scenario_seed(sc));
  size_t xk = (size_t)truce_outcome_index("exhaustion_day");
  for (size_t i = 0; i < 2; i++) {
    truce_band f, c;
    truce_ensemble_band(e, H, i, truce_series_index("front"), &f);
    truce_ensemble_band(e, H, i, truce_series_index("casualties"), &c);
    uint64_t exhausted = 0;
    double first_day = (double)NAN;
    for (uint64_t r = 0; r < runs; r++) {
      double x = truce_ensemble_outcome_value(e, r, i, xk);
      if (isnan(x)) continue;
      exhausted++;
      if (!(x >= first_day)) first_day = x;
    }
    char b0[64], b1[64], b2[64], b3[64];
    if (runs == 1)
      printf("  %-6s front %s at day %d, casualties %s, ",
             truce_scenario_side_id(sc, i), sig3(f.mean, b0), H,
             sig3(c.mean, b1));
    else
      printf("  %-6s front %s [%s-%s] at day %d, casualties %s, ",
             truce_scenario_side_id(sc, i), sig3(f.p50, b0), sig3(f.p05, b1),
             sig3(f.p95, b2), H, sig3(c.p50, b3));
    if (exhausted == 0 && runs == 1) {
      printf("not exhausted\n");
    } else if (runs == 1) {
      printf("exhausted on day %.0f\n", first_day);
    } else {
      char p[96];
      truce_share_format((double)exhausted / (double)runs, runs, p, sizeof p);
      printf("exhausted by day %d in %s of runs\n", H, p);
    }
  }
  truce_warning w[2 * TRUCE_WARN_KINDS];
  size_t nw = truce_ensemble_warnings(sc, e, w, sizeof w / sizeof *w);
  for (size_t k = 0; k < nw && k < sizeof w / sizeof *w; k++)
    printf("  warning: %s [%s]\n", w[k].message, w[k].code);
  printf("  wrote %s/{daily.csv,runs.csv,results.db,summary.json}\n", outdir);
}

/* The probability that a bargaining range exists within 3, 6 and 12
 * months, and the packages most often acceptable to both. */
static void print_bargaining(truce_ctx* ctx, const truce_scenario* sc,
                             const truce_ensemble* e) {
  truce_bargain_summary b;
  if (truce_bargain_summarise(ctx, sc, e, &b)) return;
  static const int at3[] = {3, 6, 12};
  char p[3][96];
  for (int k = 0; k < 3; k++)
    truce_share_format(b.p_open_by_month[at3[k] - 1], b.runs, p[k], 96);
  printf("  bargaining range exists within 3 / 6 / 12 months: %s / %s / %s",
         p[0], p[1], p[2]);
  if (b.never_fraction < 1) /* the spread, not only the median: the
                              opening day is often bimodal */
    printf(
        "\n    opening day, in the %.0f runs with a range: median %.0f, "
        "middle half %.0f-%.0f\n",
        (double)b.runs * (1 - b.never_fraction), b.open_q[2], b.open_q[1],
        b.open_q[3]);
  else
    printf(" (never within %d days)\n", truce_scenario_horizon_days(sc));
  int H = truce_scenario_horizon_days(sc);
  if (H >= 365) {
    for (int k = 0; k < 3; k++)
      truce_share_format(b.p_open_at_month[at3[k] - 1], b.runs, p[k], 96);
    printf(
        "  a range is open at months 3 / 6 / 12 (point in time): %s / %s / "
        "%s\n",
        p[0], p[1], p[2]);
  }
  for (int k = 0; k < b.n_top; k++) {
    char name[200];
    truce_bargain_package_name(sc, b.top_combo[k], name, sizeof name);
    printf("    acceptable to both in %3.0f%% of openings: %s\n",
           100 * b.top_share[k], name);
  }
  if (b.nash_combo >= 0) {
    char name[200];
    truce_bargain_package_name(sc, b.nash_combo, name, sizeof name);
    printf(
        "    Nash settlement (most often): %s, %s keeps %.1f%% of the "
        "contested area (median)\n",
        name, truce_scenario_side_id(sc, 0), 100 * b.nash_x_median);
  }
  if (!b.talks) return;
  printf("  agreement within 6 / 12 / 24 months:");
  static const int at[] = {6, 12, 24};
  for (int k = 0; k < 3; k++) {
    if (at[k] <= b.months) {
      truce_share_format(b.p_agree_by_month[at[k] - 1], b.runs, p[0], 96);
      printf("%s %s", k ? " /" : "", p[0]);
    } else {
      printf("%s -", k ? " /" : "");
    }
  }
  if (b.agree_fraction > 0)
    printf(" (holds 30 / 180 days: %.0f%% / %.0f%%)\n", 100 * b.p_hold_30,
           100 * b.p_hold_180);
  else
    printf("\n");
  for (int k = 0; k < b.n_terms && k < 3; k++) {
    char name[200];
    truce_bargain_package_name(sc, b.terms_combo[k], name, sizeof name);
    printf(
        "    terms agreed in %3.0f%% of agreements: %s, %s keeps %.1f%% "
        "(median)\n",
        100 * b.terms_share[k], name, truce_scenario_side_id(sc, 0),
        100 * b.terms_x_median[k]);
  }
}

/* One end of the agreement month's 50% interval (0: past the horizon). */
static void print_month(int m, int months) {
  if (m)
    printf("%d", m);
  else
    printf("> %d", months);
}

/* The scores against a record of agreement (docs/bargaining.md, "Two
 * wars with a known end"). */
static void print_agreement_scores(const truce_scenario* sc,
                                   const truce_bargain_scores* s) {
  printf(
      "  scores of P(agreement by month) against the record (agreement "
      "on day %ld, month %d), months 1-%d:\n",
      s->agree_day, s->agree_month, s->months);
  printf(
      "    P(agreement by month %d) %.3f, within month %d %.3f; Brier "
      "%.6f; log score of agreement by month %d %.4f (50/50: %.3f), of "
      "the month %.4f\n",
      s->agree_month, s->p_by_agree_month, s->agree_month, s->p_in_agree_month,
      s->brier, s->agree_month, s->log_agree_by, s->log_even,
      s->log_agree_month);
  printf("    50%% interval of the agreement month: ");
  print_month(s->interval_lo, s->months);
  printf(" to ");
  print_month(s->interval_hi, s->months);
  printf(": month %d %s\n", s->agree_month,
         s->in_interval ? "inside" : "outside");
  if (s->has_line)
    printf(
        "    line: %s kept %.1f%% of the contested area; the model's "
        "(median, the terms most often agreed) %.1f%%: %s 10%%\n",
        truce_scenario_side_id(sc, 0), 100 * s->line_record,
        100 * s->line_model, s->line_within ? "within" : "not within");
  for (int k = 0; k < s->n_terms; k++)
    printf(
        "    %s: %s the terms most often agreed; in %.0f%% of the "
        "agreements (at least)\n",
        s->term[k].term, s->term[k].top_match ? "in" : "not in",
        100 * s->term[k].share);
}

/* The scores of P(agreement by month) (docs/bargaining.md, "Scores"). */
static int print_scores(truce_ctx* ctx, const truce_scenario* sc,
                        const truce_ensemble* e, const char* path) {
  truce_bargain_summary b;
  truce_bargain_scores s;
  if (truce_bargain_summarise(ctx, sc, e, &b) ||
      truce_bargain_score(ctx, sc, &b, path, &s))
    return -1;
  if (s.agreed)
    print_agreement_scores(sc, &s);
  else {
    printf(
        "  scores of P(agreement by month) against the record (no "
        "agreement for %ld days), months 1-%d:\n",
        s.record_days, s.months);
    printf(
        "    Brier %.6f; log score of no agreement by month %d: %.4f "
        "(50/50: %.3f)\n",
        s.brier, s.months, s.log_no_agreement, s.log_even);
  }
  if (s.n_forecasts)
    printf(
        "    beside published forecasts of a ceasefire by a date "
        "(Brier against the outcome):\n");
  for (int k = 0; k < s.n_forecasts; k++) {
    const truce_forecast_score* q = &s.forecast[k];
    printf(
        "      %-27s %s, by %s: %3.0f%% (Brier %.3f); model %s%.1f%% "
        "(%.4f)\n",
        q->platform, q->forecast_date, q->resolves_by, 100 * q->p_platform,
        q->brier_platform, q->model_lower_bound ? ">=" : "", 100 * q->p_model,
        q->brier_model);
  }
  return 0;
}

static int parse_u64(const char* s, uint64_t* v) {
  char* end;
  errno = 0;
  if (!*s || *s == '-') return -1;
  unsigned long long x = strtoull(s, &end, 10);
  if (*end || errno) return -1;
  *v = x;
  return 0;
}

/* A size: a whole number with an optional K, M, G or T (powers of 1024). */
static int parse_size(const char* s, double* v) {
  uint64_t x;
  char num[32];
  size_t n = strspn(s, "0123456789");
  if (n == 0 || n >= sizeof num) return -1;
  memcpy(num, s, n);
  num[n] = '\0';
  if (parse_u64(num, &x)) return -1;
  static const char units[] = "KMGT";
  double m = 1;
  if (s[n]) {
    const char* u = strchr(units, s[n]);
    if (!u || s[n + 1]) return -1;
    for (const char* k = units; k <= u; k++) m *= 1024;
  }
  *v = (double)x * m;
  return 0;
}

/* n bytes for a message: "12.4 GiB" */
static void bytes_text(double n, char* buf, size_t cap) {
  static const char* const u[] = {"bytes", "KiB", "MiB", "GiB", "TiB", "PiB"};
  int k = 0;
  while (n >= 1024 && k < 5) {
    n /= 1024;
    k++;
  }
  snprintf(buf, cap, k ? "%.1f %s" : "%.0f %s", n, u[k]);
}

/* Refuse an ensemble estimated above the caps, naming the estimate. */
static int check_caps(const truce_scenario* sc, const truce_ensemble_opts* eo,
                      double max_mem, double max_out) {
  truce_estimate est;
  truce_ensemble_estimate(sc, eo, &est);
  const struct {
    double need, cap;
    const char *verb, *what, *flag;
  } caps[] = {{est.memory_bytes, max_mem, "need", "memory", "--max-memory"},
              {est.output_bytes, max_out, "write", "outputs", "--max-output"}};
  for (size_t i = 0; i < 2; i++) {
    if (caps[i].need <= caps[i].cap) continue;
    char a[32], b[32];
    bytes_text(caps[i].need, a, sizeof a);
    bytes_text(caps[i].cap, b, sizeof b);
    fprintf(stderr,
            "truce: error: %llu runs of %d days %s about %s of %s, "
            "more than the cap of %s; expected fewer runs or days, or a "
            "higher %s\n",
            (unsigned long long)eo->runs, truce_scenario_horizon_days(sc),
            caps[i].verb, a, caps[i].what, b, caps[i].flag);
    return -1;
  }
  return 0;
}

/* Print an error of truce_report_write, which wrote the staged report
 * `html`: when that file is the error's place, name --out's instead. */
static void report_error(const truce_ctx* ctx, const char* html,
                         const cli_outset* os) {
  const char* file = truce_ctx_file(ctx);
  if (!file || strcmp(file, html)) {
    cli_report(ctx);
    return;
  }
  char text[4096];
  snprintf(text, sizeof text, "%s/report.html:%d:%d: error: %s", os->out,
           truce_ctx_line(ctx), truce_ctx_column(ctx), truce_ctx_message(ctx));
  cli_put_text(stderr, text);
  fputc('\n', stderr);
}

static char* join_args(int argc, char** argv) {
  size_t n = 16;
  for (int i = 0; i < argc; i++) n += strlen(argv[i]) + 1;
  char* s = malloc(n);
  if (!s) return NULL;
  strcpy(s, "truce");
  for (int i = 0; i < argc; i++) {
    strcat(s, " ");
    strcat(s, argv[i]);
  }
  return s;
}

static void default_out(const char* file, char* buf, size_t n) {
  const char* base = strrchr(file, '/');
  base = base ? base + 1 : file;
  size_t len = strcspn(base, ".");
  snprintf(buf, n, "out/%.*s", (int)len, base);
}

/* The command line of a run. */
typedef struct {
  char* cmdline;    /* the command as typed (summary.json), malloc'd */
  char** sets;      /* --set PATH=VALUE, nsets of them (calloc'd) */
  const char** ovl; /* --overlay RECORD.yaml, novl of them (calloc'd) */
  int nsets, novl, det, quiet, have_seed, report, json;
  uint64_t runs, seed, threads;
  const char* outdir; /* NULL: out/<scenario file> */
  const char* score;  /* --score CSV or NULL */
  double max_mem, max_out;
} run_args;

static void run_args_free(run_args* a) {
  free(a->sets);
  free(a->ovl);
  free(a->cmdline);
}

/* "truce: error: --FLAG VALUE: expected ..." and the usage status. */
static int bad_value(const char* flag, const char* value,
                     const char* expected) {
  fprintf(stderr, "truce: error: --%s %s: expected %s\n", flag, value,
          expected);
  return CLI_USAGE;
}

/* One option (getopt's c, its optarg): -1 to go on, else the exit
 * status. */
static int parse_opt(int c, run_args* a) {
  switch (c) {
    case 'n':
      if (parse_u64(optarg, &a->runs) || a->runs == 0 || a->runs > 100000000)
        return bad_value("runs", optarg, "a whole number from 1 to 100000000");
      return -1;
    case 't':
      if (parse_u64(optarg, &a->threads) || a->threads == 0 ||
          a->threads > 1024)
        return bad_value("threads", optarg, "a whole number from 1 to 1024");
      return -1;
    case 'S':
      if (parse_u64(optarg, &a->seed))
        return bad_value("seed", optarg, "a whole number >= 0");
      a->have_seed = 1;
      return -1;
    case 's': a->sets[a->nsets++] = optarg; return -1;
    case 'O': a->ovl[a->novl++] = optarg; return -1;
    case 'o': a->outdir = optarg; return -1;
    case 'd': a->det = 1; return -1;
    case 'q': a->quiet = 1; return -1;
    case 'R': a->report = 0; return -1;
    case 'J': a->json = a->quiet = 1; return -1;
    case 'C': a->score = optarg; return -1;
    case 'M':
    case 'X':
      if (parse_size(optarg, c == 'M' ? &a->max_mem : &a->max_out))
        return bad_value(c == 'M' ? "max-memory" : "max-output", optarg,
                         "a size in bytes, optionally with K, M, G or T");
      return -1;
    case 'h': help(stdout); return CLI_OK;
    default: help(stderr); return CLI_USAGE;
  }
}

/* The options into *a (optind then at FILE): -1 to go on, else the exit
 * status. *a is freed with run_args_free either way. */
static int parse_args(int argc, char** argv, run_args* a) {
  static const struct option opts[] = {
      {"runs", required_argument, NULL, 'n'},
      {"threads", required_argument, NULL, 't'},
      {"seed", required_argument, NULL, 'S'},
      {"set", required_argument, NULL, 's'},
      {"overlay", required_argument, NULL, 'O'},
      {"out", required_argument, NULL, 'o'},
      {"deterministic", no_argument, NULL, 'd'},
      {"quiet", no_argument, NULL, 'q'},
      {"no-report", no_argument, NULL, 'R'},
      {"json", no_argument, NULL, 'J'},
      {"score", required_argument, NULL, 'C'},
      {"max-memory", required_argument, NULL, 'M'},
      {"max-output", required_argument, NULL, 'X'},
      {"help", no_argument, NULL, 'h'},
      {NULL, 0, NULL, 0}};
  memset(a, 0, sizeof *a);
  a->report = 1;
  a->runs = 1;
  a->max_mem = RUN_MAX_MEMORY;
  a->max_out = RUN_MAX_OUTPUT;
  a->cmdline = join_args(argc, argv); /* before getopt permutes argv */
  a->sets = calloc((size_t)argc, sizeof *a->sets);
  a->ovl = calloc((size_t)argc, sizeof *a->ovl);
  if (!a->sets || !a->ovl || !a->cmdline) return CLI_FAIL;
  int c, rc = -1;
  optind = 1;
  while (rc < 0 && (c = getopt_long(argc, argv, "hqo:", opts, NULL)) != -1)
    rc = parse_opt(c, a);
  return rc;
}

/* What a run holds until it ends (freed by run_end). */
typedef struct {
  truce_scenario* sc;
  truce_ensemble* ens;
  truce_output* out;
  truce_sim* sim;
  cli_outset os;
  bool nego;
  truce_ensemble_hook hook; /* when nego */
} run_state;

static void run_end(run_state* s) {
  cli_outset_end(&s->os);
  truce_ensemble_free(s->ens);
  truce_output_free(s->out);
  truce_sim_free(s->sim);
  truce_scenario_free(s->sc);
}

/* The scenario with its overlays, --set and --seed, and the bargaining
 * hook: -1 to go on, else the exit status (reported). */
static int load(truce_ctx* ctx, int argc, char** argv, run_args* a,
                run_state* s) {
  int rc = cli_load_file_overlaid(ctx, argc, argv, help, a->ovl, a->novl,
                                  a->sets, a->nsets, &s->sc);
  a->sets = NULL; /* freed there */
  if (rc) return rc;
  char seedset[64];
  snprintf(seedset, sizeof seedset, "seed=%llu", (unsigned long long)a->seed);
  if (a->have_seed && truce_scenario_set(ctx, s->sc, seedset)) {
    cli_report(ctx);
    return CLI_FAIL;
  }
  s->nego = truce_scenario_has_negotiation(s->sc);
  if (s->nego && truce_bargain_hook(ctx, s->sc, &s->hook)) {
    cli_report(ctx);
    return CLI_FAIL;
  }
  return -1;
}

/* --score's file, checked before anything is written; 0 or CLI_FAIL
 * (reported). */
static int check_score(truce_ctx* ctx, const run_state* s, const char* file,
                       const char* score) {
  truce_bargain_summary none;
  memset(&none, 0, sizeof none);
  none.talks = true;
  truce_bargain_scores sc0;
  if (!s->nego) {
    fprintf(stderr,
            "truce: error: --score: %s has no negotiation "
            "section; see docs/bargaining.md\n",
            file);
    return CLI_FAIL;
  }
  if (truce_bargain_score(ctx, s->sc, &none, score, &sc0)) {
    cli_report(ctx);
    return CLI_FAIL;
  }
  return 0;
}

/* The ensemble, after the caps and with the output set into outdir begun
 * (on rank 0); 0 or CLI_FAIL (reported). */
static int run_ensemble(truce_ctx* ctx, const run_args* a, const char* outdir,
                        run_state* s) {
  progress pb = {0, 0};
  int root = truce_parallel_rank() == 0;
  truce_ensemble_opts eo = {
      .runs = a->runs,
      .threads = (int)a->threads,
      .flags = a->det ? TRUCE_SIM_DETERMINISTIC : 0u,
      .use_mpi = 1,
      .progress = root && !a->quiet && isatty(2) ? show_progress : NULL,
      .progress_user = &pb,
      .hook = s->nego ? &s->hook : NULL};
  if (check_caps(s->sc, &eo, a->max_mem, a->max_out) ||
      (root && cli_outset_begin(&s->os, outdir)))
    return CLI_FAIL;
  if (truce_ensemble_run(ctx, s->sc, &eo, &s->ens)) {
    cli_report(ctx);
    return CLI_FAIL;
  }
  if (eo.progress) fputs("\r\033[K", stderr);
  return 0;
}

/* The output set (daily.csv, runs.csv, results.db, summary.json, the
 * report), staged and swapped into place; 0 or CLI_FAIL (reported). */
static int write_outputs(truce_ctx* ctx, const run_args* a, run_state* s) {
  if (truce_output_open_as(ctx, s->os.stage, s->os.out, s->sc, &s->out))
    goto fail;
  if (a->runs == 1) { /* one run: its full state, day by day */
    day_user u = {s->out, 0};
    if (truce_sim_new(ctx, s->sc, &s->sim) ||
        truce_sim_run(s->sim, 0, a->det ? TRUCE_SIM_DETERMINISTIC : 0u, on_day,
                      &u))
      goto fail;
  }
  if (truce_output_ensemble(s->out, s->ens)) goto fail;
  truce_run_meta meta = {truce_scenario_seed(s->sc),
                         a->runs,
                         a->det,
                         a->cmdline,
                         truce_ensemble_threads(s->ens),
                         truce_ensemble_ranks(s->ens)};
  if (truce_output_commit(s->out, &meta)) goto fail;
  char html[CLI_OUTSET_LONG + 16];
  snprintf(html, sizeof html, "%s/report.html", s->os.stage);
  if (a->report && truce_report_write(ctx, s->os.stage, html)) {
    report_error(ctx, html, &s->os);
    return CLI_FAIL;
  }
  if (cli_outset_commit(&s->os)) return CLI_FAIL;
  cli_outset_end(&s->os);
  return 0;
fail:
  cli_report(ctx);
  return CLI_FAIL;
}

/* What a run prints once its outputs are in place: the summary, the
 * bargaining, the scores, or summary.json alone (--json); the exit
 * status. */
static int print_results(truce_ctx* ctx, const run_args* a,
                         const run_state* s) {
  const char* dir = s->os.out;
  if (!a->quiet) print_summary(s->sc, s->ens, a->runs, a->det, dir);
  if (!a->quiet && s->nego) print_bargaining(ctx, s->sc, s->ens);
  if (a->score && !a->json && print_scores(ctx, s->sc, s->ens, a->score)) {
    cli_report(ctx);
    return CLI_FAIL;
  }
  if (a->report && !a->quiet) printf("  report: %s/report.html\n", dir);
  if (!a->json) return CLI_OK;
  /* the outputs are complete: a failure here keeps them */
  char js[CLI_OUTSET_LONG + 16];
  snprintf(js, sizeof js, "%s/summary.json", dir);
  return cli_print_file(js) ? CLI_FAIL : CLI_OK;
}

/* The run of the loaded scenario from FILE: the ensemble, then (on rank
 * 0) its outputs and what it prints; the exit status. */
static int run(truce_ctx* ctx, const char* file, const run_args* a,
               run_state* s) {
  char defdir[512];
  if (!a->outdir) default_out(file, defdir, sizeof defdir);
  if ((a->score && check_score(ctx, s, file, a->score)) ||
      run_ensemble(ctx, a, a->outdir ? a->outdir : defdir, s))
    return CLI_FAIL;
  if (!truce_ensemble_is_root(s->ens)) return CLI_OK; /* rank 0 writes */
  if (write_outputs(ctx, a, s)) return CLI_FAIL;
  return print_results(ctx, a, s);
}

int cmd_run(truce_ctx* ctx, int argc, char** argv) {
  run_args a;
  run_state s;
  memset(&s, 0, sizeof s);
  s.os.lock_fd = -1;
  int rc = parse_args(argc, argv, &a);
  if (rc < 0) rc = load(ctx, argc, argv, &a, &s);
  if (rc < 0) rc = run(ctx, argv[optind], &a, &s);
  run_args_free(&a);
  run_end(&s);
  return rc;
}
