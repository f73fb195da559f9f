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
  if (b.never_fraction < 1)
    printf(" (median opening: day %.0f)\n", b.open_q[2]);
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

int cmd_run(truce_ctx* ctx, int argc, char** argv) {
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
  char* cmdline = join_args(argc, argv); /* before getopt permutes argv */
  char** sets = calloc((size_t)argc, sizeof *sets);
  const char** ovl = calloc((size_t)argc, sizeof *ovl);
  if (!sets || !ovl || !cmdline) {
    free(sets);
    free(ovl);
    free(cmdline);
    return CLI_FAIL;
  }
  int nsets = 0, novl = 0, c, det = 0, quiet = 0, have_seed = 0, report = 1,
      json = 0;
  uint64_t runs = 1, seed = 0, threads = 0;
  const char* outdir = NULL;
  const char* score = NULL;
  double max_mem = RUN_MAX_MEMORY, max_out = RUN_MAX_OUTPUT;
  optind = 1;
  while ((c = getopt_long(argc, argv, "hqo:", opts, NULL)) != -1) {
    switch (c) {
      case 'n':
        if (parse_u64(optarg, &runs) || runs == 0 || runs > 100000000) {
          fprintf(stderr,
                  "truce: error: --runs %s: expected a whole number from 1 "
                  "to 100000000\n",
                  optarg);
          free(sets);
          free(ovl);
          free(cmdline);
          return CLI_USAGE;
        }
        break;
      case 't':
        if (parse_u64(optarg, &threads) || threads == 0 || threads > 1024) {
          fprintf(stderr,
                  "truce: error: --threads %s: expected a whole number from "
                  "1 to 1024\n",
                  optarg);
          free(sets);
          free(ovl);
          free(cmdline);
          return CLI_USAGE;
        }
        break;
      case 'S':
        if (parse_u64(optarg, &seed)) {
          fprintf(stderr,
                  "truce: error: --seed %s: expected a whole number >= 0\n",
                  optarg);
          free(sets);
          free(ovl);
          free(cmdline);
          return CLI_USAGE;
        }
        have_seed = 1;
        break;
      case 's': sets[nsets++] = optarg; break;
      case 'O': ovl[novl++] = optarg; break;
      case 'o': outdir = optarg; break;
      case 'd': det = 1; break;
      case 'q': quiet = 1; break;
      case 'R': report = 0; break;
      case 'J': json = quiet = 1; break;
      case 'C': score = optarg; break;
      case 'M':
      case 'X':
        if (parse_size(optarg, c == 'M' ? &max_mem : &max_out)) {
          fprintf(stderr,
                  "truce: error: --%s %s: expected a size in bytes, "
                  "optionally with K, M, G or T\n",
                  c == 'M' ? "max-memory" : "max-output", optarg);
          free(sets);
          free(ovl);
          free(cmdline);
          return CLI_USAGE;
        }
        break;
      case 'h':
        help(stdout);
        free(sets);
        free(ovl);
        free(cmdline);
        return CLI_OK;
      default:
        help(stderr);
        free(sets);
        free(ovl);
        free(cmdline);
        return CLI_USAGE;
    }
  }
  if (optind != argc - 1) {
    help(stderr);
    free(sets);
    free(ovl);
    free(cmdline);
    return CLI_USAGE;
  }
  const char* file = argv[optind];
  char seedset[64];
  if (have_seed) {
    snprintf(seedset, sizeof seedset, "seed=%llu", (unsigned long long)seed);
  }
  truce_scenario* sc;
  int rc = cli_load_overlaid(ctx, file, ovl, novl, sets, nsets, &sc);
  free(sets);
  free(ovl);
  if (rc) {
    free(cmdline);
    return rc;
  }
  if (have_seed && truce_scenario_set(ctx, sc, seedset)) {
    cli_report(ctx);
    truce_scenario_free(sc);
    free(cmdline);
    return CLI_FAIL;
  }
  char defdir[512];
  if (!outdir) {
    default_out(file, defdir, sizeof defdir);
    outdir = defdir;
  }
  truce_sim* sim = NULL;
  truce_output* out = NULL;
  truce_ensemble* ens = NULL;
  int root = truce_parallel_rank() == 0;
  progress pb = {0, 0};
  truce_ensemble_hook hook;
  cli_outset os;
  memset(&os, 0, sizeof os);
  os.lock_fd = -1;
  bool nego = truce_scenario_has_negotiation(sc);
  if (nego && truce_bargain_hook(ctx, sc, &hook)) goto fail;
  if (score) { /* a bad score file fails before anything is written */
    truce_bargain_summary none;
    memset(&none, 0, sizeof none);
    none.talks = true;
    truce_bargain_scores sc0;
    if (!nego) {
      fprintf(stderr,
              "truce: error: --score: %s has no negotiation "
              "section; see docs/bargaining.md\n",
              argv[optind]);
      free(cmdline);
      truce_scenario_free(sc);
      return CLI_FAIL;
    }
    if (truce_bargain_score(ctx, sc, &none, score, &sc0)) goto fail;
  }
  truce_ensemble_opts eo = {
      .runs = runs,
      .threads = (int)threads,
      .flags = det ? TRUCE_SIM_DETERMINISTIC : 0u,
      .use_mpi = 1,
      .progress = root && !quiet && isatty(2) ? show_progress : NULL,
      .progress_user = &pb,
      .hook = nego ? &hook : NULL};
  if (check_caps(sc, &eo, max_mem, max_out) ||
      (root && cli_outset_begin(&os, outdir)))
    goto quiet_fail;
  if (truce_ensemble_run(ctx, sc, &eo, &ens)) goto fail;
  if (eo.progress) fputs("\r\033[K", stderr);
  if (!truce_ensemble_is_root(ens)) { /* rank 0 writes everything */
    truce_ensemble_free(ens);
    free(cmdline);
    truce_scenario_free(sc);
    return CLI_OK;
  }
  if (truce_output_open_as(ctx, os.stage, os.out, sc, &out)) goto fail;
  if (runs == 1) { /* one run: its full state, day by day */
    day_user u = {out, 0};
    if (truce_sim_new(ctx, sc, &sim) ||
        truce_sim_run(sim, 0, eo.flags, on_day, &u))
      goto fail;
  }
  if (truce_output_ensemble(out, ens)) goto fail;
  truce_run_meta meta = {
      truce_scenario_seed(sc),  runs, det, cmdline, truce_ensemble_threads(ens),
      truce_ensemble_ranks(ens)};
  if (truce_output_commit(out, &meta)) goto fail;
  char html[CLI_OUTSET_LONG + 16];
  snprintf(html, sizeof html, "%s/report.html", os.stage);
  if (report && truce_report_write(ctx, os.stage, html)) {
    report_error(ctx, html, &os);
    goto quiet_fail;
  }
  if (cli_outset_commit(&os)) goto quiet_fail;
  cli_outset_end(&os);
  if (!quiet) print_summary(sc, ens, runs, det, os.out);
  if (!quiet && nego) print_bargaining(ctx, sc, ens);
  if (score && !json && print_scores(ctx, sc, ens, score)) goto fail;
  if (report && !quiet) printf("  report: %s/report.html\n", os.out);
  if (json) { /* the outputs are complete: a failure here keeps them */
    char js[CLI_OUTSET_LONG + 16];
    snprintf(js, sizeof js, "%s/summary.json", os.out);
    rc = cli_print_file(js) ? CLI_FAIL : CLI_OK;
  }
  free(cmdline);
  truce_ensemble_free(ens);
  truce_output_free(out);
  truce_sim_free(sim);
  truce_scenario_free(sc);
  return rc;
fail:
  cli_report(ctx);
quiet_fail:
  cli_outset_end(&os);
  free(cmdline);
  truce_ensemble_free(ens);
  truce_output_free(out);
  truce_sim_free(sim);
  truce_scenario_free(sc);
  return CLI_FAIL;
}
