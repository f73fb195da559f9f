/* SPDX-License-Identifier: GPL-3.0-or-later
 * truce explore FILE: an experiment design over the scenario's uncertain
 * numbers and levers, its runs as one tidy table, sensitivity indices,
 * the seed's share and scenario discovery (docs/explore.md).
 */
#include <errno.h>
#include <getopt.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

#define MAX_OUT 32
#define TOP 5
#define CURVE_BINS 10

static void help(FILE* f) {
  fprintf(
      f,
      "usage: truce explore FILE [--design-file F] [--design KIND] [--n N]\n"
      "                     [--replicates R]\n"
      "                     [--lever PATH=LOW:HIGH | PATH=A,B,..]...\n"
      "                     [--uncertain all|none|PATH,..] "
      "[--outcome NAME]...\n"
      "                     [--condition 'NAME OP NUMBER'] [--out DIR]\n"
      "\n"
      "Run an experiment design over the scenario's uncertain numbers\n"
      "(each set to a quantile of its own distribution) and levers\n"
      "(paths with a range or options), R runs with distinct seeds per\n"
      "point, and write into DIR: explore.csv and explore.db (one row\n"
      "per design point and replicate: inputs and outcomes; and the\n"
      "indices), explore.json and explore.html (tornado chart, the\n"
      "seed's share, response curves, PRIM's trade-off and box). Prints\n"
      "the top drivers of each outcome with intervals. Results do not\n"
      "depend on threads or MPI ranks. See docs/explore.md.\n"
      "\n"
      "  --design-file F   read the design from F (YAML: design, n,\n"
      "                    replicates, levers, uncertain, outcomes,\n"
      "                    condition; docs/explore.md); options given\n"
      "                    here win, levers add up\n"
      "  --design KIND     sobol (Saltelli cross design, default), morris,\n"
      "                    lhs (Latin hypercube) or factorial\n"
      "  --n N             sobol: base points (N (k+2) points; default\n"
      "                    64); morris: trajectories (default 10); lhs:\n"
      "                    points (default 100); factorial: levels per\n"
      "                    continuous factor (default 3)\n"
      "  --replicates R    runs per point (default 2; 2 or more to\n"
      "                    measure the seed's share)\n"
      "  --levels P        morris grid levels (even; default 4)\n"
      "  --lever SPEC      a lever: PATH=LOW:HIGH or PATH=A,B,.. e.g.\n"
      "                    --lever backers.us.budget_scale=0:1.5\n"
      "  --uncertain LIST  uncertain numbers in the design: all (default),\n"
      "                    none, or paths separated by commas; the others\n"
      "                    keep their file value\n"
      "  --outcome NAME    an outcome (repeatable; default: each side's\n"
      "                    exhaustion_day and bargaining.open_day), e.g.\n"
      "                    ua.casualties, us.delivered,\n"
      "                    bargaining.open_by_month_6 (0 or 1)\n"
      "  --condition EXPR  scenario discovery (PRIM) for runs where\n"
      "                    EXPR holds, e.g. 'ua.exhaustion_day < 365'\n"
      "  --bootstrap B     bootstrap resamples for intervals (default 500)\n"
      "  --seed S          the design's seed (default: the scenario's)\n"
      "  --set PATH=VALUE  override a number before exploring\n"
      "  --threads T       OpenMP threads (default: all cores)\n"
      "  --deterministic   expected values, no chance (R is then 1)\n"
      "  --out DIR         output directory (default out/<file>-explore)\n"
      "  --no-report       do not write DIR/explore.html\n"
      "  -q, --quiet       print nothing on success\n"
      "  -h, --help        show this help\n");
}

/* ------------------------------------------------------- Arguments */

static int parse_size(const char* opt, const char* s, size_t lo, size_t hi,
                      size_t* v) {
  char* end;
  errno = 0;
  unsigned long long x = *s && *s != '-' ? strtoull(s, &end, 10) : 0;
  if (!*s || *s == '-' || *end || errno || x < lo || x > hi) {
    fprintf(stderr,
            "truce: error: %s %s: expected a whole number from %zu "
            "to %zu\n",
            opt, s, lo, hi);
    return -1;
  }
  *v = (size_t)x;
  return 0;
}

/* "PATH=LOW:HIGH" or "PATH=A,B,.."; text is modified (kept by the lever). */
static int parse_lever(char* text, const char* arg, truce_lever* l) {
  char* eq = strchr(text, '=');
  memset(l, 0, sizeof *l);
  if (!eq || eq == text || !eq[1]) {
    fprintf(stderr,
            "--lever %s: error: expected PATH=LOW:HIGH or "
            "PATH=A,B,.., e.g. backers.us.budget_scale=0:1.5\n",
            arg);
    return -1;
  }
  *eq = '\0';
  l->path = text;
  char* v = eq + 1;
  char* colon = strchr(v, ':');
  if (colon && !strchr(v, ',')) {
    *colon = '\0';
    char *e1, *e2;
    l->lo = strtod(v, &e1);
    l->hi = strtod(colon + 1, &e2);
    if (!*v || *e1 || !colon[1] || *e2 || l->lo != l->lo || l->hi != l->hi) {
      fprintf(stderr,
              "--lever %s: error: the range is not two numbers; "
              "expected PATH=LOW:HIGH, e.g. backers.us.budget_scale=0:1.5\n",
              arg);
      return -1;
    }
    return 0;
  }
  size_t n = 1;
  for (char* c = v; *c; c++) n += *c == ',';
  const char** opts = calloc(n, sizeof *opts);
  if (!opts) return -1;
  n = 0;
  for (char* tok = strtok(v, ","); tok; tok = strtok(NULL, ","))
    opts[n++] = tok;
  if (n < 2) {
    fprintf(stderr,
            "--lever %s: error: %zu option%s; expected at least 2 "
            "(PATH=A,B,..) or a range PATH=LOW:HIGH\n",
            arg, n, n == 1 ? "" : "s");
    free(opts);
    return -1;
  }
  l->options = opts;
  l->n_options = n;
  return 0;
}

/* ---------------------------------------------------------- Progress */

typedef struct {
  struct timespec t0;
  int last;
} progress;

static double seconds_since(const struct timespec* t0) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)(t.tv_sec - t0->tv_sec) +
         1e-9 * (double)(t.tv_nsec - t0->tv_nsec);
}

/* A bar with the runs done and the time left, on a terminal only. */
static void show_progress(void* user, uint64_t done, uint64_t total) {
  progress* p = user;
  int pct = total ? (int)(100 * done / total) : 100;
  if (pct == p->last) return;
  p->last = pct;
  double el = seconds_since(&p->t0);
  double eta = done ? el * (double)(total - done) / (double)done : 0;
  char bar[31];
  for (int i = 0; i < 30; i++) bar[i] = i < pct * 30 / 100 ? '#' : '.';
  bar[30] = '\0';
  fprintf(stderr, "\r[%s] %3d%% %llu/%llu runs, ETA %d:%02d", bar, pct,
          (unsigned long long)done, (unsigned long long)total, (int)(eta / 60),
          (int)fmod(eta, 60));
  fflush(stderr);
}

static int on_row(void* user, size_t p, size_t r, uint64_t run, const double* x,
                  const double* y) {
  return truce_explore_table_row(user, p, r, run, x, y);
}

/* ----------------------------------------------------------- JSON */

static void json_str(FILE* f, const char* s) {
  fputc('"', f);
  for (; *s; s++) {
    unsigned char c = (unsigned char)*s;
    if (c == '"' || c == '\\')
      fprintf(f, "\\%c", c);
    else if (c < 0x20)
      fprintf(f, "\\u%04x", c);
    else
      fputc(c, f);
  }
  fputc('"', f);
}

static void json_num(FILE* f, double v) {
  if (isfinite(v))
    fprintf(f, "%.6g", v);
  else
    fputs("null", f);
}

/* ---------------------------------------------------------- Analysis */

typedef struct {
  truce_sobol_index* sobol; /* k, or NULL */
  truce_morris_index* morris;
  double* prcc;
  bool have_prcc;
  truce_seed_share seed;
  bool have_seed;
  bool constant; /* the outcome is the same in every run */
  double constant_value;
  size_t* order; /* factors by importance */
} result;

/* The importance used to rank factors: total index, mu*, |PRCC|. */
static double importance(const result* r, size_t i) {
  if (r->sobol) return r->sobol[i].st;
  if (r->morris) return r->morris[i].mu_star;
  return r->have_prcc ? fabs(r->prcc[i]) : 0;
}

static const result* sort_res;
static int by_importance(const void* a, const void* b) {
  double x = importance(sort_res, *(const size_t*)a);
  double y = importance(sort_res, *(const size_t*)b);
  if (x != x) x = -1;
  if (y != y) y = -1;
  return x < y ? 1 : x > y ? -1 : 0;
}

static int analyse(truce_ctx* ctx, const truce_explore* ex,
                   const truce_design* d, size_t j, size_t boot, result* r) {
  size_t k = truce_design_factors(d);
  int kind = truce_design_kind_of(d);
  memset(r, 0, sizeof *r);
  r->prcc = calloc(k, sizeof *r->prcc);
  r->order = calloc(k, sizeof *r->order);
  if (!r->prcc || !r->order) return TRUCE_ENOMEM;
  size_t P = truce_design_points(d), R = truce_design_replicates(d);
  r->constant = true;
  r->constant_value = truce_explore_value(ex, 0, 0, j);
  for (size_t p = 0; p < P && r->constant; p++)
    for (size_t q = 0; q < R; q++)
      if (truce_explore_value(ex, p, q, j) != r->constant_value)
        r->constant = false;
  for (size_t i = 0; i < k; i++) r->order[i] = i;
  if (r->constant) return 0;
  if (kind == TRUCE_DESIGN_sobol) {
    if (!(r->sobol = calloc(k, sizeof *r->sobol))) return TRUCE_ENOMEM;
    int rc = truce_explore_sobol(ctx, ex, d, j, boot, 0.95, r->sobol);
    if (rc) return rc;
  } else if (kind == TRUCE_DESIGN_morris) {
    if (!(r->morris = calloc(k, sizeof *r->morris))) return TRUCE_ENOMEM;
    int rc = truce_explore_morris(ctx, ex, d, j, boot, 0.95, r->morris);
    if (rc) return rc;
  }
  r->have_prcc = truce_explore_prcc(ctx, ex, d, j, r->prcc) == 0;
  r->have_seed = truce_design_replicates(d) > 1 &&
                 truce_explore_seed_share(ctx, ex, d, j, 0.95, &r->seed) == 0;
  truce_ctx_clear(ctx);
  sort_res = r;
  qsort(r->order, k, sizeof *r->order, by_importance);
  return 0;
}

static void result_free(result* r) {
  free(r->sobol);
  free(r->morris);
  free(r->prcc);
  free(r->order);
}

static void print_result(const char* name, const result* r,
                         const truce_explore_engine* g, size_t k) {
  printf("  %s", name);
  if (r->constant) {
    printf(": %.6g in every run (nothing to attribute)\n", r->constant_value);
    return;
  }
  if (r->have_seed)
    printf(": the seed's share of the variance %.2f [%.2f, %.2f]",
           r->seed.share, r->seed.lo, r->seed.hi);
  printf("\n    top drivers (%s):\n",
         r->sobol    ? "Sobol total index, 95% interval; first order"
         : r->morris ? "Morris mu* on each input's unit scale, 95% interval"
                     : "partial rank correlation");
  for (size_t t = 0; t < k; t++) { /* the top ones, then every lever */
    size_t i = r->order[t];
    bool lever;
    const char* path = truce_explore_engine_factor(g, i, NULL, &lever);
    if (t >= TOP && !lever) continue;
    if (t >= TOP) printf("    lever, rank %zu of %zu:\n", t + 1, k);
    if (r->sobol)
      printf("      ST %6.3f [%6.3f, %6.3f]  S1 %6.3f  %s%s\n", r->sobol[i].st,
             r->sobol[i].st_lo, r->sobol[i].st_hi, r->sobol[i].s1, path,
             lever ? " (lever)" : "");
    else if (r->morris)
      printf("      mu* %8.4g [%8.4g, %8.4g]  sigma %8.4g  %s%s\n",
             r->morris[i].mu_star, r->morris[i].mu_star_lo,
             r->morris[i].mu_star_hi, r->morris[i].sigma, path,
             lever ? " (lever)" : "");
    else
      printf("      PRCC %6.3f  %s%s\n", r->prcc[i], path,
             lever ? " (lever)" : "");
  }
}

static int store_result(truce_explore_table* t, const char* name,
                        const result* r, const truce_explore_engine* g,
                        size_t k) {
  int rc = 0;
  for (size_t i = 0; i < k && !rc; i++) {
    const char* in = truce_explore_engine_factor(g, i, NULL, NULL);
    if (r->sobol) {
      const truce_sobol_index* s = &r->sobol[i];
      rc = truce_explore_table_index(t, name, in, "sobol_s1", s->s1, s->s1_lo,
                                     s->s1_hi);
      if (!rc)
        rc = truce_explore_table_index(t, name, in, "sobol_st", s->st, s->st_lo,
                                       s->st_hi);
    }
    if (r->morris && !rc) {
      const truce_morris_index* m = &r->morris[i];
      rc = truce_explore_table_index(t, name, in, "morris_mu_star", m->mu_star,
                                     m->mu_star_lo, m->mu_star_hi);
      if (!rc)
        rc = truce_explore_table_index(t, name, in, "morris_sigma", m->sigma,
                                       (double)NAN, (double)NAN);
    }
    if (r->have_prcc && !rc)
      rc = truce_explore_table_index(t, name, in, "prcc", r->prcc[i],
                                     (double)NAN, (double)NAN);
  }
  if (r->have_seed && !rc)
    rc = truce_explore_table_index(t, name, "seed", "seed_share", r->seed.share,
                                   r->seed.lo, r->seed.hi);
  return rc;
}

/* One outcome's indices as a JSON object. */
static void json_result(FILE* f, const char* name, const result* r,
                        const truce_explore_engine* g, size_t k) {
  fputs("{\"outcome\":", f);
  json_str(f, name);
  fputs(",\"method\":", f);
  json_str(f, r->sobol ? "sobol" : r->morris ? "morris" : "prcc");
  fputs(",\"constant\":", f);
  if (r->constant)
    json_num(f, r->constant_value);
  else
    fputs("null", f);
  fputs(",\"seed\":", f);
  if (r->have_seed) {
    fputs("{\"share\":", f);
    json_num(f, r->seed.share);
    fputs(",\"lo\":", f);
    json_num(f, r->seed.lo);
    fputs(",\"hi\":", f);
    json_num(f, r->seed.hi);
    fputs("}", f);
  } else {
    fputs("null", f);
  }
  fputs(",\"inputs\":[", f);
  for (size_t t = 0; t < k; t++) {
    size_t i = r->order[t];
    bool lever;
    fputs(t ? ",{\"input\":" : "{\"input\":", f);
    json_str(f, truce_explore_engine_factor(g, i, NULL, &lever));
    fprintf(f, ",\"lever\":%s,\"rank\":%zu", lever ? "true" : "false", t + 1);
    const char* keys[6] = {"s1", "s1_lo", "s1_hi", "st", "st_lo", "st_hi"};
    if (r->sobol) {
      const truce_sobol_index* s = &r->sobol[i];
      double v[6] = {s->s1, s->s1_lo, s->s1_hi, s->st, s->st_lo, s->st_hi};
      for (int q = 0; q < 6; q++) {
        fprintf(f, ",\"%s\":", keys[q]);
        json_num(f, v[q]);
      }
    }
    if (r->morris) {
      const truce_morris_index* m = &r->morris[i];
      double v[4] = {m->mu_star, m->mu_star_lo, m->mu_star_hi, m->sigma};
      const char* mk[4] = {"mu_star", "mu_star_lo", "mu_star_hi", "sigma"};
      for (int q = 0; q < 4; q++) {
        fprintf(f, ",\"%s\":", mk[q]);
        json_num(f, v[q]);
      }
    }
    fputs(",\"prcc\":", f);
    json_num(f, r->have_prcc ? r->prcc[i] : (double)NAN);
    fputs("}", f);
  }
  fputs("]}", f);
}

/* Response curves: each lever against each outcome, the runs binned by
 * the lever's value (continuous: CURVE_BINS equal bins of its range;
 * options: one bin each), with the mean and the 5-95% band of the runs. */
static void json_curves(FILE* f, const truce_explore* ex, const truce_design* d,
                        const truce_explore_engine* g, size_t m,
                        char names[][200], double* scratch) {
  size_t k = truce_design_factors(d), P = truce_design_points(d);
  size_t R = truce_design_replicates(d);
  bool first = true;
  fputs("[", f);
  for (size_t i = 0; i < k; i++) {
    size_t nopt;
    bool lever;
    const char* path = truce_explore_engine_factor(g, i, &nopt, &lever);
    if (!lever) continue;
    size_t bins = nopt ? nopt : CURVE_BINS;
    for (size_t j = 0; j < m; j++) {
      fputs(first ? "{\"lever\":" : ",{\"lever\":", f);
      first = false;
      json_str(f, path);
      fputs(",\"outcome\":", f);
      json_str(f, names[j]);
      fputs(",\"points\":[", f);
      bool fb = true;
      for (size_t b = 0; b < bins; b++) {
        size_t n = 0;
        double xs = 0;
        for (size_t p = 0; p < P; p++) {
          double u = truce_design_point(d, p)[i];
          size_t bin = truce_design_option(u, bins);
          if (bin != b) continue;
          xs += truce_explore_inputs(ex, p)[i];
          for (size_t r = 0; r < R; r++)
            scratch[n++] = truce_explore_value(ex, p, r, j);
        }
        if (!n) continue;
        gsl_sort(scratch, 1, n);
        fputs(fb ? "{\"x\":" : ",{\"x\":", f);
        fb = false;
        if (nopt)
          json_str(f, truce_explore_engine_option(g, i, b));
        else
          json_num(f, xs / (double)(n / R));
        fputs(",\"mean\":", f);
        json_num(f, gsl_stats_mean(scratch, 1, n));
        fputs(",\"p05\":", f);
        json_num(f, gsl_stats_quantile_from_sorted_data(scratch, 1, n, 0.05));
        fputs(",\"p50\":", f);
        json_num(f, gsl_stats_quantile_from_sorted_data(scratch, 1, n, 0.5));
        fputs(",\"p95\":", f);
        json_num(f, gsl_stats_quantile_from_sorted_data(scratch, 1, n, 0.95));
        fprintf(f, ",\"n\":%zu}", n);
      }
      fputs("]}", f);
    }
  }
  fputs("]", f);
}

/* The PRIM box's limits on the k inputs (an unlimited input left out). */
static void print_box(const truce_explore_engine* g, size_t k, const double* lo,
                      const double* hi, const double* pv) {
  for (size_t i = 0; i < k; i++) {
    if (isinf(lo[i]) && isinf(hi[i])) continue;
    const char* in = truce_explore_engine_factor(g, i, NULL, NULL);
    if (isinf(hi[i]))
      printf("      %s >= %.6g (p = %.2g)\n", in, lo[i], pv[i]);
    else if (isinf(lo[i]))
      printf("      %s <= %.6g (p = %.2g)\n", in, hi[i], pv[i]);
    else
      printf("      %.6g <= %s <= %.6g (p = %.2g)\n", lo[i], in, hi[i], pv[i]);
  }
}

/* The box's limited inputs as JSON objects, each with the range of the
 * P points' values (to draw the limits against; an open end is drawn at
 * it). */
static void json_box(FILE* f, const truce_explore* ex,
                     const truce_explore_engine* g, size_t P, size_t k,
                     const double* lo, const double* hi, const double* pv) {
  bool fb = true;
  for (size_t i = 0; i < k; i++) {
    if (isinf(lo[i]) && isinf(hi[i])) continue;
    double mn = (double)INFINITY, mx = -(double)INFINITY;
    for (size_t p = 0; p < P; p++) {
      double v = truce_explore_inputs(ex, p)[i];
      mn = v < mn ? v : mn;
      mx = v > mx ? v : mx;
    }
    fputs(fb ? "{\"input\":" : ",{\"input\":", f);
    fb = false;
    json_str(f, truce_explore_engine_factor(g, i, NULL, NULL));
    fputs(",\"lo\":", f);
    json_num(f, isinf(lo[i]) ? mn : lo[i]);
    fputs(",\"hi\":", f);
    json_num(f, isinf(hi[i]) ? mx : hi[i]);
    fputs(",\"min\":", f);
    json_num(f, mn);
    fputs(",\"max\":", f);
    json_num(f, mx);
    fputs(",\"p\":", f);
    json_num(f, pv[i]);
    fputs("}", f);
  }
}

/* ord[k]: the inputs by KS distance, descending (a stable insertion
 * sort). */
static void rank_by_ks(size_t k, const double* ks, size_t* ord) {
  for (size_t i = 0; i < k; i++) ord[i] = i;
  for (size_t a = 1; a < k; a++)
    for (size_t b = a; b > 0 && !(ks[ord[b]] <= ks[ord[b - 1]]); b--) {
      size_t t = ord[b];
      ord[b] = ord[b - 1];
      ord[b - 1] = t;
    }
}

/* PRIM over every run (inputs of its point) for the condition; prints
 * the box and writes its JSON object. */
static int discover(truce_ctx* ctx, FILE* f, const truce_explore* ex,
                    const truce_design* d, const truce_explore_engine* g,
                    const truce_condition* cond, const char* text, size_t m,
                    bool quiet) {
  size_t k = truce_design_factors(d), P = truce_design_points(d);
  size_t R = truce_design_replicates(d), n = P * R;
  double* x = malloc(n * k * sizeof *x);
  bool* hit = malloc(n * sizeof *hit);
  double* y = malloc((m ? m : 1) * sizeof *y);
  double *lo = calloc(k, sizeof *lo), *hi = calloc(k, sizeof *hi);
  double *pv = calloc(k, sizeof *pv), *ks = calloc(k, sizeof *ks);
  size_t* ord = calloc(k, sizeof *ord);
  truce_prim* pr = NULL;
  int rc = x && hit && y && lo && hi && pv && ks && ord ? 0 : TRUCE_ENOMEM;
  size_t hits = 0;
  for (size_t p = 0; p < P && !rc; p++)
    for (size_t r = 0; r < R; r++) {
      size_t row = p * R + r;
      memcpy(x + row * k, truce_explore_inputs(ex, p), k * sizeof *x);
      for (size_t j = 0; j < m; j++) y[j] = truce_explore_value(ex, p, r, j);
      hit[row] = truce_condition_holds(cond, y);
      hits += hit[row];
    }
  if (!rc) rc = truce_prim_run(ctx, n, k, x, hit, NULL, &pr);
  if (!rc) rc = truce_explore_ks(ctx, n, k, x, hit, ks);
  if (!rc) {
    double cov, dens;
    truce_prim_box(pr, lo, hi, &cov, &dens, pv);
    if (!quiet) {
      printf("  scenario discovery for '%s': %zu of %zu runs (%.1f%%)\n", text,
             hits, n, 100.0 * (double)hits / (double)n);
      printf("    PRIM box: coverage %.2f, density %.2f\n", cov, dens);
      print_box(g, k, lo, hi, pv);
    }
    fputs("{\"condition\":", f);
    json_str(f, text);
    fprintf(f, ",\"hits\":%zu,\"runs\":%zu,\"coverage\":", hits, n);
    json_num(f, cov);
    fputs(",\"density\":", f);
    json_num(f, dens);
    fprintf(f, ",\"chosen\":%zu,\"steps\":[", truce_prim_chosen(pr));
    for (size_t s = 0; s < truce_prim_steps(pr); s++) {
      double c, de, ma;
      truce_prim_step(pr, s, &c, &de, &ma);
      fprintf(f, "%s{\"step\":%zu,\"coverage\":", s ? "," : "", s);
      json_num(f, c);
      fputs(",\"density\":", f);
      json_num(f, de);
      fputs(",\"mass\":", f);
      json_num(f, ma);
      fputs("}", f);
    }
    fputs("],\"box\":[", f);
    json_box(f, ex, g, P, k, lo, hi, pv);
    fputs("],\"ks\":[", f);
    rank_by_ks(k, ks, ord);
    for (size_t t = 0; t < k; t++) {
      fputs(t ? ",{\"input\":" : "{\"input\":", f);
      json_str(f, truce_explore_engine_factor(g, ord[t], NULL, NULL));
      fputs(",\"ks\":", f);
      json_num(f, ks[ord[t]]);
      fputs("}", f);
    }
    fputs("]}", f);
    if (!quiet) {
      printf("    features (Kolmogorov-Smirnov distance):");
      for (size_t t = 0; t < TOP && t < k; t++)
        printf("%s %s %.2f", t ? "," : "",
               truce_explore_engine_factor(g, ord[t], NULL, NULL), ks[ord[t]]);
      printf("\n");
    }
  }
  truce_prim_free(pr);
  free(x);
  free(hit);
  free(y);
  free(lo);
  free(hi);
  free(pv);
  free(ks);
  free(ord);
  return rc;
}

/* ------------------------------------------------------------- Main */

typedef struct {
  int kind;
  size_t n, reps, levels, boot, threads;
  bool have_n, have_seed, have_kind, have_reps, have_levels, have_boot;
  bool det, quiet, report;
  const char* spec_path;
  uint64_t seed;
  const char* unc;
  const char* cond;
  const char* outdir;
  char** sets;
  int nsets;
  truce_lever* levers;
  const truce_lever** file_levers; /* a lever from the design file */
  char** lever_text;
  size_t nlevers;
  const char* outs[MAX_OUT];
  size_t nouts;
} args;

static void args_free(args* a) {
  for (size_t i = 0; i < a->nlevers; i++) {
    if (a->file_levers && a->file_levers[i]) continue;
    free((void*)a->levers[i].options);
    free(a->lever_text[i]);
  }
  free(a->levers);
  free(a->lever_text);
  free(a->file_levers);
  free(a->sets);
}

enum { ARGS_HELP = -1 }; /* --help printed: exit 0 */

/* 0 to go on, ARGS_HELP, else the exit status. */
static int parse_args(int argc, char** argv, args* a) {
  static const struct option opts[] = {
      {"design", required_argument, NULL, 'D'},
      {"design-file", required_argument, NULL, 'F'},
      {"n", required_argument, NULL, 'n'},
      {"replicates", required_argument, NULL, 'r'},
      {"levels", required_argument, NULL, 'L'},
      {"lever", required_argument, NULL, 'l'},
      {"uncertain", required_argument, NULL, 'u'},
      {"outcome", required_argument, NULL, 'O'},
      {"condition", required_argument, NULL, 'c'},
      {"bootstrap", required_argument, NULL, 'B'},
      {"seed", required_argument, NULL, 'S'},
      {"set", required_argument, NULL, 's'},
      {"threads", required_argument, NULL, 't'},
      {"deterministic", no_argument, NULL, 'd'},
      {"out", required_argument, NULL, 'o'},
      {"no-report", no_argument, NULL, 'R'},
      {"quiet", no_argument, NULL, 'q'},
      {"help", no_argument, NULL, 'h'},
      {NULL, 0, NULL, 0}};
  memset(a, 0, sizeof *a);
  a->kind = TRUCE_DESIGN_sobol;
  a->reps = 2;
  a->levels = 4;
  a->boot = 500;
  a->report = true;
  a->sets = calloc((size_t)argc, sizeof *a->sets);
  a->levers = calloc((size_t)argc, sizeof *a->levers);
  a->lever_text = calloc((size_t)argc, sizeof *a->lever_text);
  a->file_levers = calloc((size_t)argc, sizeof *a->file_levers);
  if (!a->sets || !a->levers || !a->lever_text || !a->file_levers)
    return CLI_FAIL;
  int c;
  size_t v;
  optind = 1;
  while ((c = getopt_long(argc, argv, "hqo:", opts, NULL)) != -1) {
    switch (c) {
      case 'D':
        if ((a->kind = truce_design_lookup(optarg)) < 0) {
          fprintf(stderr,
                  "truce: error: --design %s: unknown design; "
                  "expected sobol, morris, lhs or factorial\n",
                  optarg);
          return CLI_FAIL;
        }
        a->have_kind = true;
        break;
      case 'F': a->spec_path = optarg; break;
      case 'n':
        if (parse_size("--n", optarg, 1, 100000000, &a->n)) return CLI_FAIL;
        a->have_n = true;
        break;
      case 'r':
        if (parse_size("--replicates", optarg, 1, 10000, &a->reps))
          return CLI_FAIL;
        a->have_reps = true;
        break;
      case 'L':
        if (parse_size("--levels", optarg, 2, 1000, &a->levels))
          return CLI_FAIL;
        a->have_levels = true;
        break;
      case 'B':
        if (parse_size("--bootstrap", optarg, 0, 100000, &a->boot))
          return CLI_FAIL;
        a->have_boot = true;
        break;
      case 't':
        if (parse_size("--threads", optarg, 1, 1024, &a->threads))
          return CLI_FAIL;
        break;
      case 'S':
        if (parse_size("--seed", optarg, 0, SIZE_MAX, &v)) return CLI_FAIL;
        a->seed = v;
        a->have_seed = true;
        break;
      case 'l': {
        char* text = strdup(optarg);
        if (!text) return CLI_FAIL;
        a->lever_text[a->nlevers] = text;
        if (parse_lever(text, optarg, &a->levers[a->nlevers++]))
          return CLI_FAIL;
        break;
      }
      case 'u': a->unc = optarg; break;
      case 'O':
        if (a->nouts == MAX_OUT) {
          fprintf(stderr, "truce: error: more than %d outcomes\n", MAX_OUT);
          return CLI_FAIL;
        }
        a->outs[a->nouts++] = optarg;
        break;
      case 'c': a->cond = optarg; break;
      case 's': a->sets[a->nsets++] = optarg; break;
      case 'd': a->det = true; break;
      case 'o': a->outdir = optarg; break;
      case 'R': a->report = false; break;
      case 'q': a->quiet = true; break;
      case 'h': help(stdout); return ARGS_HELP;
      default: help(stderr); return CLI_USAGE;
    }
  }
  if (optind != argc - 1) {
    help(stderr);
    return CLI_USAGE;
  }
  return 0;
}

/* Sizes the command line left unset take their defaults. */
static void finish_args(args* a) {
  if (!a->have_n) {
    static const size_t dflt[TRUCE_DESIGN_COUNT] = {3, 100, 64, 10};
    a->n = dflt[a->kind];
  }
  if (a->det) a->reps = 1;
}

/* What the design file gives and the command line does not: the design
 * and its sizes, levers (added after the command line's), uncertain
 * numbers, outcomes and the condition. Paths and names are checked here
 * against the scenario so that errors point into the file. */
static int apply_spec(const truce_explore_spec* f, const truce_scenario* sc,
                      args* a, const char*** ulist, size_t* nu,
                      bool* unc_given) {
  if (f->has_kind && !a->have_kind) a->kind = f->kind;
  if (f->has_n && !a->have_n) {
    a->n = f->n;
    a->have_n = true;
  }
  if (f->has_replicates && !a->have_reps) a->reps = f->replicates;
  if (f->has_levels && !a->have_levels) a->levels = f->levels;
  if (f->has_bootstrap && !a->have_boot) a->boot = f->bootstrap;
  if (f->has_seed && !a->have_seed) {
    a->seed = f->seed;
    a->have_seed = true;
  }
  size_t total = a->nlevers + f->n_levers + 1;
  truce_lever* nl = realloc(a->levers, total * sizeof *nl);
  if (nl) a->levers = nl;
  const truce_lever** fl =
      nl ? realloc(a->file_levers, total * sizeof *fl) : NULL;
  if (!fl) return CLI_FAIL;
  a->file_levers = fl;
  for (size_t i = 0; i < f->n_levers; i++) { /* borrowed from the file */
    a->file_levers[a->nlevers] = &f->levers[i];
    a->levers[a->nlevers++] = f->levers[i];
  }
  if (f->has_uncertain && !a->unc) {
    *unc_given = true;
    free(*ulist);
    *ulist = NULL;
    *nu = 0;
    if (!f->uncertain_all) {
      *ulist = calloc(f->n_uncertain + 1, sizeof **ulist);
      if (!*ulist) return CLI_FAIL;
      for (size_t i = 0; i < f->n_uncertain; i++) {
        bool found = false;
        for (size_t t = 0; t < truce_scenario_uncertain_count(sc); t++)
          found |=
              !strcmp(truce_scenario_uncertain_path(sc, t), f->uncertain[i]);
        if (!found) {
          fprintf(stderr,
                  "%s:%d:%d: error: '%s' is not an uncertain number "
                  "of %s; expected a path with a range or a dist: record "
                  "(truce check lists them)\n",
                  f->file, f->uncertain_pos[2 * i], f->uncertain_pos[2 * i + 1],
                  f->uncertain[i], truce_scenario_file(sc));
          return CLI_FAIL;
        }
        (*ulist)[(*nu)++] = f->uncertain[i];
      }
    }
  }
  if (a->nouts == 0)
    for (size_t j = 0; j < f->n_outcomes && j < MAX_OUT; j++) {
      char name[200];
      bool found = false;
      for (size_t i = 0; truce_explore_outcome_name(sc, i, name, sizeof name);
           i++)
        found |= !strcmp(name, f->outcomes[j]);
      if (!found) {
        fprintf(stderr,
                "%s:%d:%d: error: no outcome '%s'; expected one of "
                "the names truce explore --help describes (e.g. "
                "%s.exhaustion_day)\n",
                f->file, f->outcome_pos[2 * j], f->outcome_pos[2 * j + 1],
                f->outcomes[j], truce_scenario_side_id(sc, 0));
        return CLI_FAIL;
      }
      a->outs[a->nouts++] = f->outcomes[j];
    }
  return 0;
}

/* --uncertain all|none|P1,P2: the list (NULL: all) and its length. */
static int uncertain_list(const char* spec, char** buf, const char*** list,
                          size_t* n) {
  *buf = NULL;
  *list = NULL;
  *n = 0;
  if (!spec || !strcmp(spec, "all")) return 0;
  size_t cap = 1;
  for (const char* c = spec; *c; c++) cap += *c == ',';
  *list = calloc(cap, sizeof **list);
  if (!*list) return -1;
  if (!strcmp(spec, "none")) return 0;
  if (!(*buf = strdup(spec))) return -1;
  for (char* t = strtok(*buf, ","); t; t = strtok(NULL, ","))
    (*list)[(*n)++] = t;
  return 0;
}

static int write_json(const char* path, const char* tmp, truce_ctx* ctx,
                      const truce_scenario* sc, const args* a,
                      const truce_design* d, const truce_explore* ex,
                      const truce_explore_engine* g, char names[][200],
                      const result* res, const truce_condition* cond,
                      double secs) {
  FILE* f = fopen(tmp, "w");
  if (!f) {
    fprintf(stderr, "%s:1:1: error: cannot write (%s)\n", path,
            strerror(errno));
    return CLI_FAIL;
  }
  size_t k = truce_design_factors(d), P = truce_design_points(d);
  size_t R = truce_design_replicates(d), m = truce_explore_outputs(ex);
  fputs("{\"title\":", f);
  json_str(f, truce_scenario_name(sc));
  fputs(",\"scenario\":", f);
  json_str(f, truce_scenario_file(sc));
  fputs(",\"design\":{\"kind\":", f);
  json_str(f, truce_design_name(a->kind));
  fprintf(
      f,
      ",\"n\":%zu,\"replicates\":%zu,\"points\":%zu,\"runs\":%zu,"
      "\"factors\":%zu,\"seed\":%llu,\"quasi\":%s,\"deterministic\":%s,"
      "\"seconds\":%.1f}",
      a->n, R, P, P * R, k,
      (unsigned long long)(a->have_seed ? a->seed : truce_scenario_seed(sc)),
      truce_design_is_quasi(d) ? "true" : "false", a->det ? "true" : "false",
      secs);
  fputs(",\"factors\":[", f);
  for (size_t i = 0; i < k; i++) {
    size_t nopt;
    bool lever;
    const char* p = truce_explore_engine_factor(g, i, &nopt, &lever);
    fputs(i ? ",{\"name\":" : "{\"name\":", f);
    json_str(f, p);
    fprintf(f, ",\"lever\":%s,\"options\":%zu}", lever ? "true" : "false",
            nopt);
  }
  fputs("],\"outcomes\":[", f);
  for (size_t j = 0; j < m; j++) {
    if (j) fputc(',', f);
    json_result(f, names[j], &res[j], g, k);
  }
  fputs("],\"curves\":", f);
  double* scratch = malloc(P * R * sizeof *scratch);
  int rc = scratch ? 0 : TRUCE_ENOMEM;
  if (!rc) json_curves(f, ex, d, g, m, names, scratch);
  free(scratch);
  fputs(",\"prim\":", f);
  if (!rc && cond)
    rc = discover(ctx, f, ex, d, g, cond, a->cond, m, a->quiet);
  else
    fputs("null", f);
  fputs("}\n", f);
  if (fclose(f) != 0 && !rc) rc = TRUCE_EIO;
  if (rc) {
    remove(tmp);
    return rc;
  }
  if (rename(tmp, path) != 0) {
    remove(tmp);
    fprintf(stderr, "%s:1:1: error: cannot write (%s)\n", path,
            strerror(errno));
    return CLI_FAIL;
  }
  return 0;
}

/* What an exploration holds until it ends (freed by explore_end). */
typedef struct {
  truce_scenario* sc;
  truce_explore_spec* spec; /* --design-file or NULL */
  truce_explore_engine* g;
  truce_design* d;
  truce_explore* ex;
  truce_explore_table* tb;  /* rank 0 */
  result res[MAX_OUT];      /* per outcome */
  char names[MAX_OUT][200]; /* the outcomes' names */
  char* ubuf;               /* --uncertain's list, split in place */
  const char** ulist;       /* the uncertain numbers explored (NULL: all) */
  size_t nu;
  const char** in_names; /* the design's factors */
  truce_condition cond;  /* when cond_ok */
  bool cond_ok;
  char outbuf[600]; /* the default output directory */
} explore_state;

static void explore_end(explore_state* s) {
  for (size_t j = 0; j < MAX_OUT; j++) result_free(&s->res[j]);
  truce_explore_table_free(s->tb);
  truce_explore_free(s->ex);
  truce_design_free(s->d);
  truce_explore_engine_free(s->g);
  truce_scenario_free(s->sc);
  truce_explore_spec_free(s->spec);
  free(s->in_names);
  free(s->ulist);
  free(s->ubuf);
}

/* Without outcomes asked for: each side's exhaustion day and the opening
 * day; then the outcomes' names into s->names, a->outs pointing there. */
static void name_outcomes(explore_state* s, args* a) {
  if (a->nouts == 0) {
    for (size_t i = 0; i < truce_scenario_side_count(s->sc) && i < 2; i++) {
      snprintf(s->names[a->nouts], sizeof s->names[0], "%s.exhaustion_day",
               truce_scenario_side_id(s->sc, i));
      a->outs[a->nouts] = s->names[a->nouts];
      a->nouts++;
    }
    if (truce_scenario_has_negotiation(s->sc))
      a->outs[a->nouts++] = "bargaining.open_day";
  }
  for (size_t j = 0; j < a->nouts; j++)
    if (a->outs[j] != s->names[j])
      snprintf(s->names[j], sizeof s->names[0], "%s", a->outs[j]);
  for (size_t j = 0; j < a->nouts; j++) a->outs[j] = s->names[j];
}

/* The scenario, the design file's settings, the outcomes and the
 * uncertain numbers: 0 or the exit status (reported). */
static int prepare(truce_ctx* ctx, const char* file, args* a,
                   explore_state* s) {
  int rc = cli_load(ctx, file, a->sets, a->nsets, &s->sc);
  if (rc) return rc;
  bool unc_given = false;
  if (a->spec_path) {
    if (truce_explore_spec_load(ctx, a->spec_path, &s->spec)) {
      cli_report(ctx);
      return CLI_FAIL;
    }
    rc = apply_spec(s->spec, s->sc, a, &s->ulist, &s->nu, &unc_given);
    if (rc) return rc;
  }
  finish_args(a);
  name_outcomes(s, a);
  if (!unc_given && uncertain_list(a->unc, &s->ubuf, &s->ulist, &s->nu))
    return CLI_FAIL;
  return 0;
}

/* The condition of --condition or of the design file, if any. */
static int parse_condition(truce_ctx* ctx, args* a, explore_state* s) {
  const truce_explore_spec* f = s->spec;
  int rc = 0;
  if (a->cond)
    rc = truce_condition_parse(ctx, a->cond, NULL, 0, 0, a->nouts, a->outs,
                               &s->cond);
  else if (f && f->condition)
    rc =
        truce_condition_parse(ctx, f->condition, f->file, f->condition_line,
                              f->condition_column, a->nouts, a->outs, &s->cond);
  else
    return 0;
  if (!rc && !a->cond) a->cond = f->condition;
  s->cond_ok = !rc;
  return rc;
}

/* The engine over the levers, uncertain numbers and outcomes, the
 * condition and the design: 0 or a library error (not reported). */
static int build(truce_ctx* ctx, args* a, explore_state* s) {
  int rc = truce_explore_engine_new(
      ctx, s->sc, a->nlevers, a->levers, s->nu, s->ulist, a->nouts, a->outs,
      a->det ? TRUCE_SIM_DETERMINISTIC : 0u, &s->g);
  if (rc || (rc = parse_condition(ctx, a, s))) return rc;
  size_t k = truce_explore_engine_factors(s->g);
  size_t* options = calloc(k + 1, sizeof *options);
  s->in_names = calloc(k + 1, sizeof *s->in_names);
  if (!options || !s->in_names) {
    free(options);
    return TRUCE_ENOMEM;
  }
  for (size_t i = 0; i < k; i++)
    s->in_names[i] = truce_explore_engine_factor(s->g, i, &options[i], NULL);
  truce_design_opts o = {
      a->kind,  a->n,
      a->reps,  (int)a->levels,
      4 * a->n, a->have_seed ? a->seed : truce_scenario_seed(s->sc),
      false};
  rc = truce_design_new(ctx, &o, k, options, &s->d);
  free(options);
  return rc;
}

/* The runs of the design, their rows into the table on rank 0; *secs
 * their time. 0 or a library error (not reported). */
static int run_design(truce_ctx* ctx, const args* a, explore_state* s,
                      double* secs) {
  int root = truce_parallel_rank() == 0;
  truce_explore_model model;
  truce_explore_engine_model(s->g, &model);
  progress pb = {{0, 0}, -1};
  clock_gettime(CLOCK_MONOTONIC, &pb.t0);
  truce_explore_opts eo = {
      (int)a->threads,
      1,
      root ? on_row : NULL,
      s->tb,
      root && !a->quiet && isatty(2) ? show_progress : NULL,
      &pb};
  size_t P = truce_design_points(s->d);
  if (root && !a->quiet)
    printf(
        "%s: %s design, %zu points x %zu replicates = %zu runs over %zu "
        "inputs (%zu lever%s)\n",
        truce_scenario_name(s->sc), truce_design_name(a->kind), P, a->reps,
        P * a->reps, truce_explore_engine_factors(s->g), a->nlevers,
        a->nlevers == 1 ? "" : "s");
  fflush(stdout);
  int rc = truce_explore_run(ctx, s->d, &model, &eo, &s->ex);
  if (eo.progress) fputs("\r\033[K", stderr);
  *secs = seconds_since(&pb.t0);
  return rc;
}

/* On rank 0 after the runs: each outcome's analysis printed and stored,
 * the table committed, explore.json and the page. The exit status
 * (reported). */
static int write_results(truce_ctx* ctx, const args* a, explore_state* s,
                         double secs) {
  size_t k = truce_explore_engine_factors(s->g);
  for (size_t j = 0; j < a->nouts; j++) {
    if (analyse(ctx, s->ex, s->d, j, a->boot, &s->res[j])) goto fail;
    if (!a->quiet) print_result(s->names[j], &s->res[j], s->g, k);
    if (store_result(s->tb, s->names[j], &s->res[j], s->g, k)) goto fail;
  }
  if (truce_explore_table_commit(s->tb)) goto fail;
  char path[1200], tmp[1300];
  snprintf(path, sizeof path, "%s/explore.json", a->outdir);
  snprintf(tmp, sizeof tmp, "%s.%ld.tmp", path, (long)getpid());
  int rc = write_json(path, tmp, ctx, s->sc, a, s->d, s->ex, s->g, s->names,
                      s->res, s->cond_ok ? &s->cond : NULL, secs);
  if (rc) { /* write_json prints its own errors */
    if (rc < 0) cli_report(ctx);
    return CLI_FAIL;
  }
  if (!a->quiet)
    printf("  wrote %s/{explore.csv,explore.db,explore.json} in %.1f s\n",
           a->outdir, secs);
  if (a->report) {
    snprintf(path, sizeof path, "%s/explore.html", a->outdir);
    snprintf(tmp, sizeof tmp, "%s/explore.json", a->outdir);
    if (truce_explore_page_write(ctx, tmp, path))
      fprintf(stderr, "truce: warning: page not written: %s\n",
              truce_ctx_message(ctx));
    else if (!a->quiet)
      printf("  report: %s\n", path);
  }
  return CLI_OK;
fail:
  cli_report(ctx);
  return CLI_FAIL;
}

/* The exploration of FILE once the options are parsed: the exit
 * status. */
static int explore(truce_ctx* ctx, const char* file, args* a,
                   explore_state* s) {
  int rc = prepare(ctx, file, a, s);
  if (rc) return rc;
  if (build(ctx, a, s)) goto fail;
  if (!a->outdir) {
    const char* base = strrchr(file, '/');
    base = base ? base + 1 : file;
    snprintf(s->outbuf, sizeof s->outbuf, "out/%.*s-explore",
             (int)strcspn(base, "."), base);
    a->outdir = s->outbuf;
  }
  /* everything checked: from here on, outputs */
  int root = truce_parallel_rank() == 0;
  if (root && truce_explore_table_open(ctx, a->outdir,
                                       truce_explore_engine_factors(s->g),
                                       s->in_names, a->nouts, a->outs, &s->tb))
    goto fail;
  double secs;
  if (run_design(ctx, a, s, &secs)) goto fail;
  return root ? write_results(ctx, a, s, secs) : CLI_OK;
fail:
  cli_report(ctx);
  return CLI_FAIL;
}

int cmd_explore(truce_ctx* ctx, int argc, char** argv) {
  args a;
  int rc = parse_args(argc, argv, &a);
  if (rc) {
    args_free(&a);
    return rc == ARGS_HELP ? CLI_OK : rc;
  }
  explore_state s;
  memset(&s, 0, sizeof s);
  rc = explore(ctx, argv[optind], &a, &s);
  explore_end(&s);
  args_free(&a);
  return rc;
}
