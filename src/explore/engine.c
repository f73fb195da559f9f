/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The engine as an explore model: the factors are levers (scenario paths
 * with a range or options) and uncertain numbers (set to their own
 * distribution's quantile at the design coordinate); the outputs are
 * per-run outcomes addressed by name. Each thread loads its own copy of
 * the scenario (the file, its overrides and seed), fixes every uncertain
 * number, and then sets the design's values in place before each run, so
 * a run draws only the model's chance (keyed by the scenario seed and the
 * run index). The outcome names come from one table (outcome_table),
 * the single place to switch to the ensemble's table of per-run outcomes
 * once it exists. docs/explore.md s2.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../scenario/pin.h"
#include "explore_int.h"

#define U_CLAMP 0.005        /* design coordinates 0 and 1 -> these quantiles */
#define MONTH_DAYS 30.436875 /* as the bargaining module counts months */

/* ------------------------------------------------------- Outcomes */

/* What one run leaves behind, for the outcome table to read. */
typedef struct {
  truce_side_outcome side[2];
  truce_backer_outcome backer[TRUCE_BACKERS_MAX];
  double bx[TRUCE_BX_COUNT];
  int horizon;
} run_result;

typedef double (*outcome_fn)(const run_result* r, size_t who);

/* A day, with "never" counted as the day after the horizon (censored). */
static double censored(const run_result* r, double day) {
  return day < 0 ? r->horizon + 1 : day;
}
static double o_front(const run_result* r, size_t i) {
  return r->side[i].front_end;
}
static double o_casualties(const run_result* r, size_t i) {
  return r->side[i].casualties_total;
}
static double o_exhaustion(const run_result* r, size_t i) {
  return censored(r, r->side[i].exhaustion_day);
}
static double o_territory(const run_result* r, size_t i) {
  return r->side[i].territory_end;
}
static double o_committed(const run_result* r, size_t b) {
  return r->backer[b].committed_total;
}
static double o_delivered(const run_result* r, size_t b) {
  return r->backer[b].delivered_total;
}
static double o_open_day(const run_result* r, size_t u) {
  return censored(r, r->bx[TRUCE_BX_OPEN_DAY]);
}
static double o_ripe_day(const run_result* r, size_t u) {
  return censored(r, r->bx[TRUCE_BX_RIPE_DAY]);
}
/* 1 when a day (negative: never) falls by the end of month `months`. */
static double by_month(double day, size_t months) {
  return day >= 0 && day <= (double)months * MONTH_DAYS ? 1 : 0;
}
static double o_open_by(const run_result* r, size_t months) {
  return by_month(r->bx[TRUCE_BX_OPEN_DAY], months);
}
static double o_agree_day(const run_result* r, size_t u) {
  return censored(r, r->bx[TRUCE_BX_AGREE_DAY]);
}
static double o_agree_by(const run_result* r, size_t months) {
  return by_month(r->bx[TRUCE_BX_AGREE_DAY], months);
}
static double o_gap_last(const run_result* r, size_t u) {
  return r->bx[TRUCE_BX_GAP_LAST];
}

/* The per-run outcomes: group 0 per side ("ua.x"), 1 per backer
 * ("us.x"), 2 bargaining ("bargaining.x", with a negotiation section);
 * arg is passed to fn (a month count) when the entry is not per side or
 * backer. */
static const struct {
  int group;
  const char* name;
  outcome_fn fn;
  size_t arg;
} outcome_table[] = {
    {0, "exhaustion_day", o_exhaustion, 0},
    {0, "casualties", o_casualties, 0},
    {0, "front_end", o_front, 0},
    {0, "territory_end", o_territory, 0},
    {1, "committed", o_committed, 0},
    {1, "delivered", o_delivered, 0},
    {2, "open_day", o_open_day, 0},
    {2, "ripe_day", o_ripe_day, 0},
    {2, "open_by_month_3", o_open_by, 3},
    {2, "open_by_month_6", o_open_by, 6},
    {2, "open_by_month_12", o_open_by, 12},
    {2, "gap_last", o_gap_last, 0},
    {2, "agree_day", o_agree_day, 0},
    {2, "agree_by_month_12", o_agree_by, 12},
    {2, "agree_by_month_24", o_agree_by, 24},
};
#define N_OUTCOMES (sizeof outcome_table / sizeof outcome_table[0])

typedef struct {
  size_t entry, who;
} outcome_ref;

/* Enumerate outcome i of sc as (table entry, side/backer) and its name. */
static bool outcome_at(const truce_scenario* sc, size_t i, outcome_ref* ref,
                       char* buf, size_t n) {
  size_t nb = truce_scenario_backer_count(sc);
  bool nego = truce_scenario_has_negotiation(sc);
  for (size_t t = 0; t < N_OUTCOMES; t++) {
    int g = outcome_table[t].group;
    size_t count = g == 0 ? 2 : g == 1 ? nb : nego ? 1 : 0;
    if (i >= count) {
      i -= count;
      continue;
    }
    const char* owner = g == 0   ? truce_scenario_side_id(sc, i)
                        : g == 1 ? truce_scenario_backer_id(sc, i)
                                 : "bargaining";
    snprintf(buf, n, "%s.%s", owner, outcome_table[t].name);
    ref->entry = t;
    ref->who = g == 2 ? outcome_table[t].arg : i;
    return true;
  }
  return false;
}

const char* truce_explore_outcome_name(const truce_scenario* sc, size_t i,
                                       char* buf, size_t n) {
  outcome_ref ref;
  return sc && buf && outcome_at(sc, i, &ref, buf, n) ? buf : NULL;
}

/* Read one run's outcomes (sim and tracker) into y. */
static void read_outcomes(const outcome_ref* refs, size_t n,
                          const run_result* r, double* y) {
  for (size_t j = 0; j < n; j++)
    y[j] = outcome_table[refs[j].entry].fn(r, refs[j].who);
}

/* --------------------------------------------------------- Engine */

typedef struct {
  char* path;
  truce__pin pin;
  bool lever;
  size_t unc;    /* uncertain: index in the reference scenario */
  double lo, hi; /* lever range */
  size_t n_options;
  double* values; /* the options' values */
  char** labels;  /* and as written */
} factor;

struct truce_explore_engine {
  truce_ctx* ctx;
  const truce_scenario* sc;
  unsigned flags;
  size_t k, m;
  factor* f;        /* k factors, room for f_cap */
  outcome_ref* out; /* m outcomes, room for out_cap */
  size_t f_cap, out_cap;
  bool nego;
};

typedef struct {
  const truce_explore_engine* g;
  truce_ctx* ctx;
  truce_scenario* sc;
  truce_sim* sim;
  truce_bargain_tracker* tracker;
} worker;

static void factor_free(truce_ctx* ctx, factor* f) {
  truce__strfree(ctx, f->path);
  for (size_t o = 0; o < f->n_options && f->labels; o++)
    truce__strfree(ctx, f->labels[o]);
  truce__free(ctx, f->labels, f->n_options * sizeof *f->labels);
  truce__free(ctx, f->values, f->n_options * sizeof *f->values);
}

void truce_explore_engine_free(truce_explore_engine* g) {
  if (!g) return;
  for (size_t i = 0; i < g->k; i++) factor_free(g->ctx, &g->f[i]);
  truce__free(g->ctx, g->f, g->f_cap * sizeof *g->f);
  truce__free(g->ctx, g->out, g->out_cap * sizeof *g->out);
  truce__free(g->ctx, g, sizeof *g);
}

/* A lever's errors have no prefix: lever_fail records their place. */
static void lever_where(const truce_lever* l, char* buf, size_t n) {
  (void)l, (void)n;
  buf[0] = '\0';
}

/* The error just recorded, at the lever's place: its line in a file, or
 * the command-line option "--lever PATH" (line 0). */
static int lever_fail(truce_ctx* ctx, const truce_lever* l, int code) {
  if (l->file) return truce__error_place(ctx, l->file, l->line, l->column);
  char opt[300];
  snprintf(opt, sizeof opt, "--lever %s", l->path ? l->path : "");
  (void)code;
  return truce__error_place(ctx, opt, 0, 0);
}

static int add_lever(truce_ctx* ctx, const truce_scenario* sc,
                     const truce_lever* l, factor* f) {
  char at[600], why[300];
  lever_where(l, at, sizeof at);
  if (!l->path || !*l->path)
    return lever_fail(
        ctx, l,
        TRUCE_FAIL(ctx, TRUCE_EINVAL,
                   "%sa lever without a path; expected "
                   "a scenario path such as backers.us.budget_scale",
                   at));
  if (truce__pin_lookup(ctx, sc, l->path, &f->pin)) {
    snprintf(why, sizeof why, "%s", truce_ctx_message(ctx));
    return lever_fail(ctx, l, TRUCE_FAIL(ctx, TRUCE_EINVAL, "%s%s", at, why));
  }
  f->lever = true;
  f->lo = l->lo;
  f->hi = l->hi;
  if (!(f->path = truce__strdup(ctx, l->path))) return TRUCE_ENOMEM;
  if (l->n_options == 0) {
    if (f->pin.is_enum)
      return lever_fail(ctx, l,
                        TRUCE_FAIL(ctx, TRUCE_EINVAL,
                                   "%s'%s' takes names, not a range; "
                                   "expected options such as %s",
                                   at, l->path, f->pin.expect));
    if (!(l->lo < l->hi))
      return lever_fail(ctx, l,
                        TRUCE_FAIL(ctx, TRUCE_EINVAL,
                                   "%sthe range [%g, %g] is empty; "
                                   "expected LOW < HIGH",
                                   at, l->lo, l->hi));
    for (int e = 0; e < 2; e++)
      if (!truce__pin_check(sc, l->path, e ? l->hi : l->lo, why, sizeof why))
        return lever_fail(ctx, l,
                          TRUCE_FAIL(ctx, TRUCE_EINVAL,
                                     "%s%g is out of range for '%s'; "
                                     "expected %s",
                                     at, e ? l->hi : l->lo, l->path, why));
    return 0;
  }
  f->n_options = l->n_options;
  f->values = truce__calloc(ctx, l->n_options, sizeof *f->values);
  f->labels = truce__calloc(ctx, l->n_options, sizeof *f->labels);
  if (!f->values || !f->labels) return TRUCE_ENOMEM;
  for (size_t o = 0; o < l->n_options; o++) {
    const char* txt = l->options[o];
    if (!(f->labels[o] = truce__strdup(ctx, txt))) return TRUCE_ENOMEM;
    double v = -1;
    if (f->pin.is_enum) {
      v = truce__pin_enum_index(sc, l->path, txt);
      if (v < 0)
        return lever_fail(ctx, l,
                          TRUCE_FAIL(ctx, TRUCE_EINVAL,
                                     "%sunknown option '%s' for '%s'; "
                                     "expected %s",
                                     at, txt, l->path, f->pin.expect));
    } else if (truce__parse_number(txt, &v) != 0) {
      return lever_fail(ctx, l,
                        TRUCE_FAIL(ctx, TRUCE_EINVAL,
                                   "%soption '%s' is not a number; "
                                   "expected %s",
                                   at, txt, f->pin.expect));
    } else if (!truce__pin_check(sc, l->path, v, why, sizeof why)) {
      return lever_fail(ctx, l,
                        TRUCE_FAIL(ctx, TRUCE_EINVAL,
                                   "%soption %s is out of range for "
                                   "'%s'; expected %s",
                                   at, txt, l->path, why));
    }
    f->values[o] = v;
  }
  return 0;
}

int truce_explore_engine_new(truce_ctx* ctx, const truce_scenario* sc,
                             size_t n_levers, const truce_lever* levers,
                             size_t n_unc, const char* const* unc, size_t n_out,
                             const char* const* outcomes, unsigned flags,
                             truce_explore_engine** out) {
  if (!ctx || !sc || !out || (n_levers && !levers) || (n_out && !outcomes))
    return TRUCE_EINVAL;
  *out = NULL;
  size_t nu_all = truce_scenario_uncertain_count(sc);
  size_t nu = unc ? n_unc : nu_all;
  truce_explore_engine* g = truce__calloc(ctx, 1, sizeof *g);
  if (!g) return TRUCE_ENOMEM;
  g->ctx = ctx;
  g->sc = sc;
  g->flags = flags;
  g->nego = truce_scenario_has_negotiation(sc);
  g->f = truce__calloc(ctx, n_levers + nu + 1, sizeof *g->f);
  g->out = truce__calloc(ctx, n_out + 1, sizeof *g->out);
  g->f_cap = g->f ? n_levers + nu + 1 : 0;
  g->out_cap = g->out ? n_out + 1 : 0;
  int rc = g->f && g->out ? 0 : TRUCE_ENOMEM;
  for (size_t i = 0; i < n_levers && !rc; i++) {
    g->k++;
    rc = add_lever(ctx, sc, &levers[i], &g->f[i]);
    for (size_t j = 0; j < i && !rc; j++)
      if (!strcmp(g->f[j].path, g->f[i].path)) {
        char at[600];
        lever_where(&levers[i], at, sizeof at);
        rc = lever_fail(ctx, &levers[i],
                        TRUCE_FAIL(ctx, TRUCE_EINVAL,
                                   "%s'%s' is already a "
                                   "lever; expected each path once",
                                   at, levers[i].path));
      }
  }
  for (size_t i = 0; i < nu && !rc; i++) {
    size_t idx = i;
    if (unc) {
      idx = nu_all;
      for (size_t t = 0; t < nu_all; t++)
        if (!strcmp(truce_scenario_uncertain_path(sc, t), unc[i])) idx = t;
      if (idx == nu_all) {
        char opt[300];
        snprintf(opt, sizeof opt, "--uncertain %s", unc[i]);
        TRUCE_FAIL(ctx, TRUCE_EINVAL,
                   "not an "
                   "uncertain number of %s; expected a path with a "
                   "range or a dist: record (truce check lists them)",
                   truce_scenario_file(sc));
        rc = truce__error_place(ctx, opt, 0, 0);
        break;
      }
    }
    const char* path = truce_scenario_uncertain_path(sc, idx);
    for (size_t j = 0; j < n_levers && !rc; j++)
      if (!strcmp(g->f[j].path, path)) {
        char opt[300];
        snprintf(opt, sizeof opt, "--uncertain %s", path);
        TRUCE_FAIL(ctx, TRUCE_EINVAL,
                   "it is a lever already; expected a "
                   "number in one role");
        rc = truce__error_place(ctx, opt, 0, 0);
      }
    if (rc) break;
    factor* f = &g->f[g->k++];
    f->unc = idx;
    f->pin.off = truce__pin_uncertain_offset(sc, idx);
    if (!(f->path = truce__strdup(ctx, path))) rc = TRUCE_ENOMEM;
  }
  for (size_t j = 0; j < n_out && !rc; j++) {
    char name[200];
    outcome_ref ref;
    bool found = false;
    for (size_t i = 0; outcome_at(sc, i, &ref, name, sizeof name); i++)
      if (!strcmp(name, outcomes[j])) {
        g->out[j] = ref;
        found = true;
        break;
      }
    if (!found) {
      char list[600] = "";
      for (size_t i = 0; outcome_at(sc, i, &ref, name, sizeof name); i++) {
        size_t len = strlen(list);
        if (len + strlen(name) + 3 >= sizeof list) break;
        snprintf(list + len, sizeof list - len, "%s%s", i ? ", " : "", name);
      }
      char opt[300];
      snprintf(opt, sizeof opt, "--outcome %s", outcomes[j]);
      TRUCE_FAIL(ctx, TRUCE_EINVAL, "no such outcome; expected one of %s",
                 list);
      rc = truce__error_place(ctx, opt, 0, 0);
    }
    g->m++;
  }
  if (rc) {
    truce_explore_engine_free(g);
    return rc;
  }
  *out = g;
  return 0;
}

size_t truce_explore_engine_factors(const truce_explore_engine* g) {
  return g ? g->k : 0;
}

const char* truce_explore_engine_factor(const truce_explore_engine* g, size_t i,
                                        size_t* options, bool* lever) {
  if (!g || i >= g->k) return NULL;
  if (options) *options = g->f[i].n_options;
  if (lever) *lever = g->f[i].lever;
  return g->f[i].path;
}

const char* truce_explore_engine_option(const truce_explore_engine* g, size_t i,
                                        size_t o) {
  if (!g || i >= g->k || o >= g->f[i].n_options) return "";
  return g->f[i].labels[o];
}

/* ----------------------------------------------------- Per thread */

static void worker_free(void* state) {
  worker* w = state;
  if (!w) return;
  truce_bargain_tracker_free(w->tracker);
  truce_sim_free(w->sim);
  truce_scenario_free(w->sc);
  truce__free(w->ctx, w, sizeof *w);
}

/* This thread's scenario: the same file, overrides and seed as g->sc,
 * every uncertain number fixed. */
static int worker_new(void* user, truce_ctx* tctx, void** state) {
  const truce_explore_engine* g = user;
  worker* w = truce__calloc(tctx, 1, sizeof *w);
  if (!w) return TRUCE_ENOMEM;
  w->g = g;
  w->ctx = tctx;
  int rc = truce_scenario_load(tctx, truce_scenario_file(g->sc), &w->sc);
  for (size_t i = 0; !rc && i < truce_scenario_override_count(g->sc); i++)
    rc = truce_scenario_set(tctx, w->sc, truce_scenario_override(g->sc, i));
  char seed[40];
  snprintf(seed, sizeof seed, "seed=%llu",
           (unsigned long long)truce_scenario_seed(g->sc));
  if (!rc) rc = truce_scenario_set(tctx, w->sc, seed);
  if (!rc) {
    truce__pin_fix_all(tctx, w->sc);
    rc = truce_sim_new(tctx, w->sc, &w->sim);
  }
  if (!rc && g->nego) rc = truce_bargain_tracker_new(tctx, w->sc, &w->tracker);
  if (rc) {
    worker_free(w);
    return rc;
  }
  *state = w;
  return 0;
}

static int on_day(void* user, const truce_day* d) {
  return truce_bargain_tracker_day(user, d);
}

static int worker_eval(void* state, uint64_t run, const double* u, double* x,
                       double* y) {
  worker* w = state;
  const truce_explore_engine* g = w->g;
  for (size_t i = 0; i < g->k; i++) {
    const factor* f = &g->f[i];
    double v;
    if (f->n_options) {
      v = f->values[truce_design_option(u[i], f->n_options)];
    } else if (f->lever) {
      v = f->lo + u[i] * (f->hi - f->lo);
      if (f->pin.integer) v = floor(v + 0.5);
    } else {
      double c = u[i] < U_CLAMP       ? U_CLAMP
                 : u[i] > 1 - U_CLAMP ? 1 - U_CLAMP
                                      : u[i];
      v = truce__pin_uncertain_quantile(g->sc, f->unc, c);
    }
    truce__pin_set(w->sc, f->pin.off, v);
    x[i] = v;
  }
  int rc = 0;
  if (w->tracker)
    rc = truce_bargain_tracker_begin(w->tracker, run, g->flags, NULL);
  if (!rc)
    rc = truce_sim_run(w->sim, run, g->flags, w->tracker ? on_day : NULL,
                       w->tracker);
  if (rc) return rc;
  run_result r;
  memset(&r, 0, sizeof r);
  r.horizon = truce_scenario_horizon_days(w->sc);
  for (size_t i = 0; i < 2; i++) truce_sim_outcome(w->sim, i, &r.side[i]);
  for (size_t b = 0; b < truce_scenario_backer_count(w->sc); b++)
    truce_sim_backer_outcome(w->sim, b, &r.backer[b]);
  if (w->tracker) truce_bargain_tracker_result(w->tracker, r.bx, NULL);
  read_outcomes(g->out, g->m, &r, y);
  return 0;
}

void truce_explore_engine_model(truce_explore_engine* g,
                                truce_explore_model* out) {
  truce_explore_model m = {g->m, g, worker_new, worker_eval, worker_free};
  *out = m;
}

/* ------------------------------------------------------ Conditions */

static const char* const cond_ops[] = {
#define TRUCE_CMP_TEXT(name, text) text,
    TRUCE_CMP_MAP(TRUCE_CMP_TEXT)
#undef TRUCE_CMP_TEXT
};

/* The prefix of a condition's error: "condition 'TEXT': " in a file,
 * "column C: " on the command line (cond_fail records the place). */
static void cond_where(char* buf, size_t n, const char* text, const char* file,
                       int line, int column, int at) {
  (void)line, (void)column;
  if (file)
    snprintf(buf, n, "condition '%s': ", text);
  else
    snprintf(buf, n, "column %d: ", at);
}

/* The error just recorded, at column `at` of the condition in its file,
 * or at the command-line option "--condition 'TEXT'" (line 0). */
static int cond_fail(truce_ctx* ctx, const char* text, const char* file,
                     int line, int column, int at, int code) {
  if (file) return truce__error_place(ctx, file, line, column + at - 1);
  char opt[600];
  snprintf(opt, sizeof opt, "--condition '%s'", text);
  (void)code;
  return truce__error_place(ctx, opt, 0, 0);
}

int truce_condition_parse(truce_ctx* ctx, const char* text, const char* file,
                          int line, int column, size_t n,
                          const char* const* names, truce_condition* out) {
  if (!ctx || !text || !out) return TRUCE_EINVAL;
  char w[700];
  const char* s = text;
  while (*s == ' ') s++;
  const char* a = s;
  while (*s && *s != ' ' && !strchr("<>=!", *s)) s++;
  size_t len = (size_t)(s - a);
  size_t j = n;
  for (size_t i = 0; i < n; i++)
    if (strlen(names[i]) == len && !strncmp(names[i], a, len)) j = i;
  if (j == n) {
    cond_where(w, sizeof w, text, file, line, column, (int)(a - text) + 1);
    return cond_fail(
        ctx, text, file, line, column, (int)(a - text) + 1,
        TRUCE_FAIL(ctx, TRUCE_EINVAL,
                   "%s'%.*s' is not an outcome of "
                   "this exploration; expected OUTCOME OP NUMBER, e.g. "
                   "'ua.exhaustion_day < 365', with the outcome among "
                   "the outcomes explored",
                   w, (int)len, a));
  }
  out->output = j;
  while (*s == ' ') s++;
  if (!*s) {
    out->op = TRUCE_CMP_NONZERO;
    out->value = 0;
    return 0;
  }
  int op = -1; /* the longest operator that s starts with */
  for (int i = 0; i < TRUCE_CMP_NONZERO; i++)
    if (!strncmp(s, cond_ops[i], strlen(cond_ops[i])) &&
        (op < 0 || strlen(cond_ops[i]) > strlen(cond_ops[op])))
      op = i;
  if (op >= 0) s += strlen(cond_ops[op]);
  if (op < 0) {
    cond_where(w, sizeof w, text, file, line, column, (int)(s - text) + 1);
    return cond_fail(ctx, text, file, line, column, (int)(s - text) + 1,
                     TRUCE_FAIL(ctx, TRUCE_EINVAL,
                                "%sexpected an operator (< <= > "
                                ">= == !=)",
                                w));
  }
  while (*s == ' ') s++;
  const char* num = s;
  char buf[64];
  size_t nl = strlen(num);
  while (nl && num[nl - 1] == ' ') nl--;
  snprintf(buf, sizeof buf, "%.*s", (int)nl, num);
  if (nl >= sizeof buf || truce__parse_number(buf, &out->value) != 0) {
    cond_where(w, sizeof w, text, file, line, column, (int)(num - text) + 1);
    return cond_fail(ctx, text, file, line, column, (int)(num - text) + 1,
                     TRUCE_FAIL(ctx, TRUCE_EINVAL,
                                "%s'%s' is not a number; expected "
                                "OUTCOME OP NUMBER",
                                w, buf));
  }
  out->op = (truce_cmp)op;
  return 0;
}

bool truce_condition_holds(const truce_condition* c, const double* y) {
  double v = y[c->output];
  switch (c->op) {
    case TRUCE_CMP_LT: return v < c->value;
    case TRUCE_CMP_LE: return v <= c->value;
    case TRUCE_CMP_GT: return v > c->value;
    case TRUCE_CMP_GE: return v >= c->value;
    case TRUCE_CMP_EQ: return v == c->value;
    case TRUCE_CMP_NE: return v != c->value;
    case TRUCE_CMP_NONZERO:
    default: return v != 0;
  }
}
