/* SPDX-License-Identifier: GPL-3.0-or-later
 * truce calibrate SCENARIO --observed FILE: an attrition law fitted to
 * observed (partisan, noisy) daily series, one law or all of them ranked
 * by AIC; truce calibrate --battles FILE: ABC model selection on battle
 * outcomes. */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"

#define MAXBIAS 32

/* The law table's names: "square, linear, ..., fatigue". */
static void laws(FILE* f) {
  for (size_t l = 0; l < truce_law_count(); l++)
    fprintf(f, "%s%s", l ? ", " : "", truce_law_name(l));
}

static void help(FILE* f) {
  fprintf(
      f,
      "usage: truce calibrate SCENARIO --observed FILE.csv [--law LAW|auto]\n"
      "                       [--bias SOURCE[:SIDE]=MEDIAN[,SDLOG]]... "
      "[--pooled-noise]\n"
      "                       [--json] [--write-scenario OUT.yaml]\n"
      "       truce calibrate SCENARIO --observed FILE.csv --abc [--runs N]\n"
      "                       [--tolerance T] [--seed S] [--threads T] "
      "[--json]\n"
      "       truce calibrate --battles FILE.csv [--runs N] "
      "[--tolerance T]\n"
      "                       [--seed S] [--threads T] [--json]\n"
      "\n"
      "Fit an attrition law to observed casualties per day, driven by the\n"
      "observed front strengths: both sides' coefficients (and the law's\n"
      "exponents: helmbold W, power p and q) by maximum likelihood with a\n"
      "residual sd per source, with standard errors and 90%% intervals, the\n"
      "sum of squared residuals, log-likelihood and AIC; --law auto ranks\n"
      "all laws by AIC. FILE.csv: day,side,variable,value,source (or a\n"
      "date header and YYYY-MM-DD dates) with variables front, casualties\n"
      "(per day) and cumulative (running totals). See docs/validation.md.\n"
      "\n"
      "  --observed FILE   the observed series (required)\n"
      "  --law L           ");
  laws(f);
  fprintf(
      f,
      ",\n"
      "                    or auto (default)\n"
      "  --bias SOURCE[:SIDE]=MEDIAN[,SDLOG]\n"
      "                    SOURCE's casualty figures (for SIDE only, if\n"
      "                    given) are the truth times a factor with a\n"
      "                    lognormal prior (MEDIAN, SDLOG), estimated "
      "jointly;\n"
      "                    without SDLOG the factor is fixed at MEDIAN\n"
      "  --pooled-noise    one residual sd for all sources (default: one "
      "each)\n"
      "  --json            machine-readable output\n"
      "  --write-scenario OUT.yaml\n"
      "                    write SCENARIO with the best law and its fitted\n"
      "                    parameters, each with its provenance and 90%%\n"
      "                    interval as its range\n"
      "\n"
      "With --abc, calibrate every number the scenario gives as a range or\n"
      "a distribution (the priors) through the whole stochastic engine, by\n"
      "rejection ABC: the runs whose simulated fronts and daily casualties\n"
      "come closest to the observed ones are the posterior sample (prior\n"
      "and posterior mean, sd and 90%% interval per number).\n"
      "\n"
      "With --battles, select among the linear, square, logarithmic and\n"
      "fatigue laws on battle outcomes (year;R0;Rc;B0;Bc rows) by rejection\n"
      "ABC after Rubio-Campillo (2016): the share of each law among the\n"
      "accepted runs estimates its posterior probability.\n"
      "  --battles FILE    the battles (e.g. data/historical/rubio_campillo/"
      "03.csv)\n"
      "  --runs N          ABC runs (default 10000)\n"
      "  --tolerance T     share of runs accepted (default 0.01)\n"
      "  --seed S          random seed (default 1)\n"
      "  --threads T       OpenMP threads (default: all; results do not "
      "depend on it)\n"
      "  -h, --help        show this help\n");
}

/* truce calibrate --battles FILE: ABC model selection on battle outcomes. */
static int battles_abc(truce_ctx* ctx, const char* path,
                       const truce_abc_opts* o, int json) {
  truce_battle* b;
  size_t n;
  if (truce_battles_load(ctx, path, &b, &n)) {
    cli_report(ctx);
    return CLI_FAIL;
  }
  truce_abc_result r;
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  int rc = truce_abc_select(ctx, b, n, o, &r);
  clock_gettime(CLOCK_MONOTONIC, &t1);
  truce_battles_free(ctx, b, n);
  if (rc) {
    cli_report(ctx);
    return CLI_FAIL;
  }
  double secs = (double)(t1.tv_sec - t0.tv_sec) +
                1e-9 * (double)(t1.tv_nsec - t0.tv_nsec);
  if (json) {
    printf(
        "{\"battles\": %zu, \"runs\": %zu, \"accepted\": %zu, "
        "\"seed\": %llu, \"threshold\": %.8g, \"laws\": [",
        n, r.runs, r.accepted, (unsigned long long)o->seed, r.threshold);
    for (int l = 0; l < TRUCE_BATTLE_LAWS; l++)
      printf(
          "%s{\"law\": \"%s\", \"accepted\": %zu, \"share\": %.6g, "
          "\"mu_mean\": %.6g, \"sd_mean\": %.6g, \"best_distance\": %.8g}",
          l ? ", " : "", truce_battle_law_name(l), r.count[l],
          (double)r.count[l] / (double)r.accepted, r.mu_mean[l], r.sd_mean[l],
          r.best[l]);
    printf("]}\n");
  } else {
    printf("%s: %zu battles, %zu ABC runs, %zu accepted (distance <= %.2f)\n",
           path, n, r.runs, r.accepted, r.threshold);
    printf("  %-12s %8s %7s %14s %10s\n", "law", "accepted", "share",
           "ratio mu (sd)", "best dist");
    for (int l = 0; l < TRUCE_BATTLE_LAWS; l++) {
      if (r.count[l])
        printf("  %-12s %8zu %6.1f%% %7.2f (%4.2f) %10.2f\n",
               truce_battle_law_name(l), r.count[l],
               100.0 * (double)r.count[l] / (double)r.accepted, r.mu_mean[l],
               r.sd_mean[l], r.best[l]);
      else
        printf("  %-12s %8zu %6.1f%% %14s %10.2f\n", truce_battle_law_name(l),
               (size_t)0, 0.0, "-", r.best[l]);
    }
  }
  fflush(stdout);
  fprintf(stderr, "%.0f battle simulations in %.2f s (%.3g per second)\n",
          r.battles, secs, secs > 0 ? r.battles / secs : 0.0);
  return CLI_OK;
}

/* The scenario with the fitted law and its parameters (those that are
 * scenario fields), each a provenance record with its 90% interval. */
static int write_scenario(truce_ctx* ctx, const truce_scenario* sc,
                          const char* out, const char* obs,
                          const truce_calib_result* r) {
  char today[11], law_v[32], pv[TRUCE_CALIB_MAXPAR][1400];
  const char* paths[TRUCE_CALIB_MAXPAR + 1];
  const char* values[TRUCE_CALIB_MAXPAR + 1];
  time_t now = time(NULL);
  struct tm tm;
  gmtime_r(&now, &tm);
  strftime(today, sizeof today, "%Y-%m-%d", &tm);
  snprintf(law_v, sizeof law_v, "%s", truce_law_name((size_t)r->law));
  size_t n = 0;
  paths[n] = "combat.law";
  values[n++] = law_v;
  for (size_t j = 0; j < r->n_par; j++) {
    const truce_calib_param* p = &r->par[j];
    if (strncmp(p->name, "combat.", 7) || p->held) continue; /* bias */
    int coef = !strncmp(p->name, "combat.coefficients.", 20);
    double lo = p->low, hi = p->high;
    if (!coef) { /* exponents: the engine's range is [0, 4] */
      lo = lo < 0 ? 0 : lo;
      hi = hi > 4 ? 4 : hi;
    }
    snprintf(pv[j], sizeof pv[j],
             "{value: %.8g, low: %.8g, high: %.8g, unit: %s, source: "
             "\"truce calibrate, %s law, maximum likelihood on %s (SE %.3g; "
             "90%% interval)\", claimant: truce calibration, date: %s}",
             p->estimate, lo, hi, coef ? "per day" : "exponent", law_v, obs,
             p->se, today);
    paths[n] = p->name;
    values[n++] = pv[j];
  }
  if (truce_scenario_write_with(ctx, sc, out, n, paths, values)) {
    cli_report(ctx);
    return CLI_FAIL;
  }
  fprintf(stderr, "wrote %s\n", out);
  return CLI_OK;
}

/* truce calibrate SCENARIO --observed FILE --abc */
static int engine_abc(truce_ctx* ctx, const truce_scenario* sc,
                      const truce_observed* o, const char* obs,
                      const truce_abc_opts* ao, int json) {
  truce_engine_abc_opts opt = {ao->runs, ao->tolerance, ao->threads};
  static truce_engine_abc_result r;
  if (truce_calibrate_abc(ctx, o, sc, &opt, &r)) {
    cli_report(ctx);
    return CLI_FAIL;
  }
  if (json) {
    printf(
        "{\"method\": \"abc\", \"runs\": %llu, \"accepted\": %zu, "
        "\"observations\": %zu, \"seed\": %llu, \"best_distance\": %.8g, "
        "\"threshold\": %.8g, \"parameters\": {",
        (unsigned long long)r.runs, r.accepted, r.n_obs,
        (unsigned long long)truce_scenario_seed(sc), r.best, r.threshold);
    for (size_t j = 0; j < r.n_param; j++) {
      const truce_engine_abc_param* p = &r.param[j];
      printf(
          "%s\"%s\": {\"prior_mean\": %.8g, \"prior_sd\": %.8g, "
          "\"mean\": %.8g, \"sd\": %.8g, \"p05\": %.8g, \"p50\": %.8g, "
          "\"p95\": %.8g}",
          j ? ", " : "", p->path, p->prior_mean, p->prior_sd, p->mean, p->sd,
          p->p05, p->p50, p->p95);
    }
    printf("}}\n");
    return CLI_OK;
  }
  printf(
      "%s: ABC over %zu uncertain numbers, %llu runs, %zu accepted "
      "(distance <= %.4g; best %.4g) against %zu observed figures (%s)\n",
      truce_scenario_name(sc), r.n_param, (unsigned long long)r.runs,
      r.accepted, r.threshold, r.best, r.n_obs, obs);
  printf("  %-44s %22s %22s %26s\n", "number", "prior mean (sd)",
         "posterior mean (sd)", "posterior 90% interval");
  for (size_t j = 0; j < r.n_param; j++) {
    const truce_engine_abc_param* p = &r.param[j];
    printf("  %-44s %11.5g (%8.3g) %11.5g (%8.3g)   [%10.5g, %10.5g]\n",
           p->path, p->prior_mean, p->prior_sd, p->mean, p->sd, p->p05, p->p95);
  }
  return CLI_OK;
}

/* --bias SOURCE[:SIDE]=MEDIAN[,SDLOG] */
static int parse_bias(const char* arg, const truce_scenario* sc,
                      truce_source_bias* b, char* name, size_t cap) {
  const char* eq = strchr(arg, '=');
  if (!eq || eq == arg || (size_t)(eq - arg) >= cap) return -1;
  memcpy(name, arg, (size_t)(eq - arg));
  name[eq - arg] = '\0';
  b->side = -1;
  char* colon = strchr(name, ':');
  if (colon) {
    *colon = '\0';
    for (size_t s = 0; s < 2; s++)
      if (!strcmp(colon + 1, truce_scenario_side_id(sc, s))) b->side = (int)s;
    if (b->side < 0) return -1;
  }
  b->source = name;
  char* end;
  b->median = strtod(eq + 1, &end);
  b->sdlog = 0;
  if (*end == ',') b->sdlog = strtod(end + 1, &end);
  return (*end || !(b->median > 0) || !(b->sdlog >= 0)) ? -1 : 0;
}

static void print_param(const truce_calib_param* p, int json, int last) {
  if (json)
    printf(
        "\"%s\": {\"estimate\": %.8g, \"se\": %.8g, \"low\": %.8g, "
        "\"high\": %.8g%s}%s",
        p->name, p->estimate, p->se, p->low, p->high,
        p->held ? ", \"held\": true" : "", last ? "" : ", ");
  else if (p->held)
    printf("    %-36s %12.6g (held: no casualty figures for that side)\n",
           p->name, p->estimate);
  else
    printf("    %-36s %12.6g +- %-10.3g [%.6g, %.6g]\n", p->name, p->estimate,
           p->se, p->low, p->high);
}

/* The command line of a calibration. */
typedef struct {
  const char *obs_path, *law_name, *write_path, *battles;
  const char* bias_arg[MAXBIAS]; /* --bias, nbias of them */
  truce_abc_opts ao;             /* --battles and --abc */
  int json, nbias, pooled, abc, have_seed;
} calib_args;

/* The options into *a (optind then at SCENARIO): -1 to go on, else the
 * exit status. */
static int parse_args(int argc, char** argv, calib_args* a) {
  static const struct option opts[] = {
      {"observed", required_argument, NULL, 'O'},
      {"law", required_argument, NULL, 'l'},
      {"bias", required_argument, NULL, 'b'},
      {"pooled-noise", no_argument, NULL, 'P'},
      {"json", no_argument, NULL, 'j'},
      {"write-scenario", required_argument, NULL, 'w'},
      {"battles", required_argument, NULL, 'B'},
      {"runs", required_argument, NULL, 'r'},
      {"tolerance", required_argument, NULL, 't'},
      {"seed", required_argument, NULL, 's'},
      {"threads", required_argument, NULL, 'T'},
      {"abc", no_argument, NULL, 'A'},
      {"help", no_argument, NULL, 'h'},
      {NULL, 0, NULL, 0}};
  memset(a, 0, sizeof *a);
  a->law_name = "auto";
  a->ao = (truce_abc_opts){1, 10000, 0.01, 5, 5, 0};
  truce_abc_opts* ao = &a->ao;
  int c, bad = 0;
  optind = 1;
  while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
    char* end = NULL;
    if (c == 'B')
      a->battles = optarg;
    else if (c == 'r') {
      ao->runs = (size_t)strtoull(optarg, &end, 10);
      bad |= *end || ao->runs < 1 || optarg[0] == '-';
    } else if (c == 't') {
      ao->tolerance = strtod(optarg, &end);
      bad |= *end || !(ao->tolerance > 0 && ao->tolerance <= 1);
    } else if (c == 's') {
      ao->seed = strtoull(optarg, &end, 10);
      bad |= *end || optarg[0] == '-';
      a->have_seed = 1;
    } else if (c == 'T') {
      ao->threads = (int)strtol(optarg, &end, 10);
      bad |= *end || ao->threads < 1;
    } else if (c == 'b') {
      if (a->nbias == MAXBIAS)
        bad = 1;
      else
        a->bias_arg[a->nbias++] = optarg;
    } else if (c == 'P')
      a->pooled = 1;
    else if (c == 'A')
      a->abc = 1;
    else if (c == 'O')
      a->obs_path = optarg;
    else if (c == 'l')
      a->law_name = optarg;
    else if (c == 'j')
      a->json = 1;
    else if (c == 'w')
      a->write_path = optarg;
    else if (c == 'h') {
      help(stdout);
      return CLI_OK;
    } else {
      help(stderr);
      return CLI_USAGE;
    }
  }
  if (bad) {
    fprintf(stderr,
            "truce: error: bad option value; expected --runs N >= 1, "
            "--tolerance in (0, 1], --seed S >= 0, --threads T >= 1, at most "
            "%d --bias\n",
            MAXBIAS);
    return CLI_USAGE;
  }
  return -1;
}

/* Fit each law (or only `only`) into res[law], the fitted ones' indices
 * into order[*m] ranked by AIC; a law the data cannot fit (TRUCE_EDOM)
 * is left out with a note unless asked for alone. The exit status. */
static int fit_laws(truce_ctx* ctx, const truce_observed* o,
                    const truce_scenario* sc, const calib_args* a, int only,
                    const truce_source_bias* bias, truce_calib_result* res,
                    int* order, int* m) {
  const int nl = (int)truce_law_count();
  *m = 0;
  for (int l = 0; l < nl; l++) {
    if (only >= 0 && l != only) continue;
    truce_calib_spec spec = {l, bias, (size_t)a->nbias, a->pooled};
    if (truce_calibrate(ctx, o, sc, &spec, &res[l])) {
      if (only >= 0 || truce_ctx_code(ctx) != TRUCE_EDOM) {
        cli_report(ctx);
        return CLI_FAIL;
      }
      char why[2048];
      cli_error_text(ctx, why, sizeof why);
      fprintf(stderr, "truce: note: %s law left out: %s\n",
              truce_law_name((size_t)l), why);
      continue;
    }
    order[(*m)++] = l;
  }
  if (*m == 0) {
    fprintf(stderr, "truce: error: no law could be fitted\n");
    return CLI_FAIL;
  }
  for (int i = 1; i < *m; i++) /* rank by AIC */
    for (int j = i; j > 0 && res[order[j]].aic < res[order[j - 1]].aic; j--) {
      int t = order[j];
      order[j] = order[j - 1];
      order[j - 1] = t;
    }
  return CLI_OK;
}

/* The best fit and the ranking (m laws in order) as JSON. */
static void print_fit_json(const truce_observed* o,
                           const truce_calib_result* res, const int* order,
                           int m) {
  const truce_calib_result* best = &res[order[0]];
  printf(
      "{\"law\": \"%s\", \"days\": %zu, \"observations\": %zu, "
      "\"parameters\": {",
      truce_law_name((size_t)best->law), truce_observed_days(o), best->n_obs);
  for (size_t j = 0; j < best->n_par; j++)
    print_param(&best->par[j], 1, j + 1 == best->n_par);
  printf("}, \"noise_sd\": {");
  for (size_t j = 0; j < best->n_noise; j++)
    printf("%s\"%s\": %.8g", j ? ", " : "", best->noise[j].name,
           best->noise[j].estimate);
  printf(
      "}, \"ssr\": %.8g, \"loglik\": %.8g, \"aic\": %.8g, "
      "\"converged\": %s, \"ranking\": [",
      best->ssr, best->loglik, best->aic, best->converged ? "true" : "false");
  for (int i = 0; i < m; i++) {
    const truce_calib_result* r = &res[order[i]];
    printf(
        "%s{\"law\": \"%s\", \"parameters\": %zu, \"ssr\": %.8g, "
        "\"loglik\": %.8g, \"aic\": %.8g}",
        i ? ", " : "", truce_law_name((size_t)r->law), r->n_free + r->n_noise,
        r->ssr, r->loglik, r->aic);
  }
  printf("], \"warnings\": [");
  truce_warning w[1];
  size_t nw = truce_calib_warnings(best, w, 1);
  for (size_t k = 0; k < nw && k < 1; k++) {
    printf("{\"code\": ");
    cli_json_str(w[k].code);
    printf(", \"message\": ");
    cli_json_str(w[k].message);
    printf("}");
  }
  printf("]}\n");
}

/* The ranking (m laws in order) and the best fit as text. */
static void print_fit_text(const truce_scenario* sc, const truce_observed* o,
                           const char* obs_path, const truce_calib_result* res,
                           const int* order, int m) {
  const truce_calib_result* best = &res[order[0]];
  printf(
      "%s: %zu days observed, %zu casualty figures from %zu source(s) "
      "(%s)\n",
      truce_scenario_name(sc), truce_observed_days(o), best->n_obs,
      truce_observed_sources(o), obs_path);
  printf("  %-12s %5s %14s %14s %12s\n", "law", "k", "SSR", "log-lik", "AIC");
  for (int i = 0; i < m; i++) {
    const truce_calib_result* r = &res[order[i]];
    printf("  %-12s %5zu %14.6g %14.2f %12.2f%s\n",
           truce_law_name((size_t)r->law), r->n_free + r->n_noise, r->ssr,
           r->loglik, r->aic, r->converged ? "" : "  (not converged)");
  }
  printf("  %s law (%s): estimate +- SE [90%% interval]\n",
         truce_law_name((size_t)best->law), m > 1 ? "best by AIC" : "as asked");
  for (size_t j = 0; j < best->n_par; j++) print_param(&best->par[j], 0, 0);
  for (size_t j = 0; j < best->n_noise; j++)
    printf("    %-36s %12.6g (residual sd)\n", best->noise[j].name,
           best->noise[j].estimate);
  truce_warning w[1];
  if (truce_calib_warnings(best, w, 1))
    printf("  warning: %s [%s]\n", w[0].message, w[0].code);
}

/* The fit of the loaded scenario to the observed series o: every law
 * (or the one asked for) ranked, printed, and --write-scenario. */
static int calibrate(truce_ctx* ctx, const truce_scenario* sc,
                     const truce_observed* o, const calib_args* a, int only,
                     const truce_source_bias* bias) {
  const int nl = (int)truce_law_count();
  truce_calib_result* res = calloc((size_t)nl, sizeof *res);
  int* order = calloc((size_t)nl, sizeof *order);
  int m = 0, rc = res && order ? CLI_OK : CLI_FAIL;
  if (rc) fprintf(stderr, "truce: error: out of memory\n");
  if (!rc) rc = fit_laws(ctx, o, sc, a, only, bias, res, order, &m);
  if (!rc && a->json)
    print_fit_json(o, res, order, m);
  else if (!rc)
    print_fit_text(sc, o, a->obs_path, res, order, m);
  if (!rc && a->write_path)
    rc = write_scenario(ctx, sc, a->write_path, a->obs_path, &res[order[0]]);
  free(order);
  free(res);
  return rc;
}

int cmd_calibrate(truce_ctx* ctx, int argc, char** argv) {
  calib_args a;
  int rc = parse_args(argc, argv, &a);
  if (rc >= 0) return rc;
  if (a.battles) {
    if (optind != argc) {
      help(stderr);
      return CLI_USAGE;
    }
    return battles_abc(ctx, a.battles, &a.ao, a.json);
  }
  int only = truce_law_index(a.law_name);
  if ((only < 0 && strcmp(a.law_name, "auto")) || !a.obs_path ||
      optind != argc - 1) {
    if (only < 0 && strcmp(a.law_name, "auto")) {
      fprintf(stderr, "truce: error: --law %s: expected ", a.law_name);
      laws(stderr);
      fprintf(stderr, " or auto\n");
    }
    help(stderr);
    return CLI_USAGE;
  }
  char seedset[64];
  char* sets[1] = {seedset};
  snprintf(seedset, sizeof seedset, "seed=%llu", (unsigned long long)a.ao.seed);
  truce_scenario* sc;
  if (cli_load(ctx, argv[optind], sets, a.have_seed, &sc)) return CLI_FAIL;
  truce_source_bias bias[MAXBIAS];
  char bname[MAXBIAS][128];
  for (int i = 0; i < a.nbias; i++)
    if (parse_bias(a.bias_arg[i], sc, &bias[i], bname[i], sizeof bname[i])) {
      fprintf(stderr,
              "truce: error: --bias %s: expected SOURCE[:SIDE]="
              "MEDIAN[,SDLOG] with SIDE '%s' or '%s', MEDIAN > 0, SDLOG >= 0\n",
              a.bias_arg[i], truce_scenario_side_id(sc, 0),
              truce_scenario_side_id(sc, 1));
      truce_scenario_free(sc);
      return CLI_USAGE;
    }
  truce_observed* o;
  if (truce_observed_load(ctx, a.obs_path, sc, &o)) {
    cli_report(ctx);
    truce_scenario_free(sc);
    return CLI_FAIL;
  }
  rc = a.abc ? engine_abc(ctx, sc, o, a.obs_path, &a.ao, a.json)
             : calibrate(ctx, sc, o, &a, only, bias);
  truce_observed_free(o);
  truce_scenario_free(sc);
  return rc;
}
