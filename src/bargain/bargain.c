/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Bargaining in the shadow of the war (docs/bargaining.md). On each
 * decision day every side values fighting on under its own beliefs about
 * the exchange ratio (enemy casualties per own casualty), which it updates
 * by Bayes' rule (normal-normal, conjugate) from what it observes; a
 * package is acceptable to a side when its utility is at least that value
 * (plus the audience cost of a decree in force). Territory, the
 * continuous issue, enters utilities linearly, so for each discrete
 * package the acceptable settlements are an interval found in closed form:
 * the continuous issue is never enumerated.
 */
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_roots.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../scenario/params.h"
#include "../sim/events.h"
#include "../sim/sim_int.h"
#include "bargain_int.h"
#include "truce_int.h"

#define MAX_COMBOS 256

/* ------------------------------------------------------ Closed forms */

void truce_fearon_range(double p, double cA, double cB, double* lo,
                        double* hi) {
  *lo = p - cA;
  *hi = p + cB;
}

bool truce_fearon_open(double pA, double pB, double cA, double cB) {
  return pA - pB <= cA + cB;
}

double truce_nash_split(double p, double cA, double cB, double alpha) {
  return p - cA + alpha * (cA + cB);
}

double truce_rubinstein_share(double dA, double dB) {
  return (1 - dB) / (1 - dA * dB);
}

double truce_slantchev(double q, int k, int N) {
  if (k <= 0) return 0;
  if (k >= N) return 1;
  if (fabs(q - 0.5) < 1e-12) return (double)k / N;
  double r = (1 - q) / q;
  return (1 - pow(r, k)) / (1 - pow(r, N));
}

/* ------------------------------------------------------- Packages */

bool truce_scenario_has_negotiation(const truce_scenario* sc) {
  return truce__scenario_model(sc)->params.nego.present;
}

int truce_bargain_package_count(const truce_scenario* sc) {
  const truce__nego* n = &truce__scenario_model(sc)->params.nego;
  int c = 1;
  for (int k = 0; k < n->n_issues; k++) c *= n->issue[k].n_options;
  return c;
}

static int option_of(const truce__nego* n, int combo, int k) {
  for (int q = 0; q < k; q++) combo /= n->issue[q].n_options;
  return combo % n->issue[k].n_options;
}

void truce_bargain_package_name(const truce_scenario* sc, int combo, char* buf,
                                size_t len) {
  const truce__nego* n = &truce__scenario_model(sc)->params.nego;
  buf[0] = '\0';
  if (n->n_issues == 0) {
    snprintf(buf, len, "territory only");
    return;
  }
  for (int k = 0; k < n->n_issues; k++) {
    size_t l = strlen(buf);
    snprintf(buf + l, len - l, "%s%s=%s", k ? ", " : "", n->issue[k].name,
             n->issue[k].option[option_of(n, combo, k)]);
  }
}

/* Utility side i draws from the discrete part of package `combo`, with
 * the guarantee (if any) at credibility q. */
static double discrete_utility(const truce__nego* n, int i, int combo,
                               double q) {
  const truce__nego_side* s = &n->side[i];
  double u = 0;
  for (int k = 0; k < n->n_issues; k++) {
    int o = option_of(n, combo, k);
    double v = s->value[k][o];
    if (n->has_guarantee && k == n->g_issue && o == n->g_option)
      v = q * n->g_full[i];
    u += s->w[k] * v;
  }
  return u;
}

static int status_quo_combo(const truce__nego* n) {
  int c = 0, mul = 1;
  for (int k = 0; k < n->n_issues; k++) {
    c += n->issue[k].status_quo * mul;
    mul *= n->issue[k].n_options;
  }
  return c;
}

/* --------------------------------------------------------- Solving */

typedef struct {
  const truce_scenario* sc;
  const truce__nego* n;
  const truce_war_values* war;
  int day;                     /* for the claims in force */
  const truce__claims* claims; /* territorial thresholds as shares */
  const truce__ceasefire* cf;  /* NULL: settlements are permanent */
  double thr[MAX_COMBOS][2];   /* per package: what each side needs (set by
                                  ranges) */
  gsl_root_fsolver* root;      /* Brent's, for min_guarantee: set when the
                                  negotiation has a guarantee */
} problem;

/* Brent's solver for min_guarantee, allocated once by whoever solves
 * (NULL without a guarantee: none is needed). */
static int root_new(truce_ctx* ctx, const truce__nego* n,
                    gsl_root_fsolver** out) {
  *out =
      n->has_guarantee ? gsl_root_fsolver_alloc(gsl_root_fsolver_brent) : NULL;
  return n->has_guarantee && !*out
             ? TRUCE_FAIL(ctx, TRUCE_ENOMEM,
                          "no memory for the guarantee's root solver")
             : 0;
}

/* Whether package `combo` includes the guaranteed option. */
static bool guaranteed(const truce__nego* n, int combo) {
  return n->has_guarantee && option_of(n, combo, n->g_issue) == n->g_option;
}

/* What side i needs from package c (docs/bargaining.md, "Commitment" and
 * "Claims and hand-ties"): its threshold W (plus a decree's cost), valued
 * with the settlement's durability, plus the audience costs of the
 * discrete claims the package concedes. du[g]: the durability without
 * (0) and with (1) the guarantee. */
static double needs(const problem* P, const truce__durability* du, int i,
                    int c) {
  const truce__nego* n = P->n;
  double T = P->war->threshold[i];
  if (P->cf) {
    const truce__durability* d = &du[guaranteed(n, c)];
    T = truce__durable_threshold(T, d->p_hold, d->resume[i]);
  }
  if (P->claims && P->claims->n) {
    double v[TRUCE_MAX_ISSUES];
    for (int k = 0; k < n->n_issues; k++)
      v[k] = n->side[i].value[k][option_of(n, c, k)];
    T += truce__claims_discrete_cost(P->claims, i, P->day, v, n->n_issues);
  }
  return T;
}

/* The durability of a settlement without and with the guarantee at
 * credibility q. */
static void durabilities(const problem* P, double q, truce__durability du[2]) {
  if (!P->cf) return;
  truce__ceasefire c = *P->cf;
  c.g_credibility = q;
  for (int g = 0; g < 2; g++)
    truce__ceasefire_durability(&c, P->war->W, g == 1, &du[g]);
}

/* The acceptable intervals of every package at credibility q. */
static void ranges(problem* P, double q, truce_package_range* pk, int ncombo) {
  const truce__nego* n = P->n;
  truce__durability du[2];
  durabilities(P, q, du);
  for (int c = 0; c < ncombo; c++) {
    truce_package_range* r = &pk[c];
    r->combo = c;
    for (int i = 0; i < 2; i++) {
      double wt = n->side[i].w_territory, a = discrete_utility(n, i, c, q);
      P->thr[c][i] = needs(P, du, i, c);
      double need = P->thr[c][i] - a; /* from territory */
      /* side 0 gets x, side 1 gets 1 - x; territory may not compensate */
      truce__claims_territory(P->claims, i, P->day, need, wt, &r->lo[i],
                              &r->hi[i]);
    }
    r->both_lo = r->lo[0] > r->lo[1] ? r->lo[0] : r->lo[1];
    r->both_hi = r->hi[0] < r->hi[1] ? r->hi[0] : r->hi[1];
  }
}

static double widest(problem* P, double q, truce_package_range* pk,
                     int ncombo) {
  ranges(P, q, pk, ncombo);
  double best = -HUGE_VAL;
  for (int c = 0; c < ncombo; c++) {
    double w = pk[c].both_hi - pk[c].both_lo;
    if (w > best) best = w;
  }
  return best;
}

static double utility(const problem* P, int i, int combo, double x, double q) {
  const truce__nego_side* s = &P->n->side[i];
  return s->w_territory * (i == 0 ? x : 1 - x) +
         discrete_utility(P->n, i, combo, q);
}

typedef struct {
  problem* P;
  truce_package_range* pk;
  int ncombo;
} gfun;

static double g_of_q(double q, void* user) {
  gfun* g = user;
  return widest(g->P, q, g->pk, g->ncombo);
}

/* Smallest credibility in [0, 1] at which some package is acceptable to
 * both (to 1e-9), or -1 if none: a scan, then GSL's Brent solver (P's:
 * whoever solves a negotiation with a guarantee allocates one, root_new)
 * on the bracketing cell; NaN without a solver. */
static double min_guarantee(problem* P, truce_package_range* pk, int ncombo) {
  gfun g = {P, pk, ncombo};
  double prev = 0;
  if (!P->root) return (double)NAN;
  if (g_of_q(0, &g) >= 0) return 0;
  for (int k = 1; k <= 100; k++) {
    double q = k / 100.0;
    if (g_of_q(q, &g) >= 0) {
      gsl_function F = {g_of_q, &g};
      gsl_root_fsolver* s = P->root;
      double root = q;
      if (gsl_root_fsolver_set(s, &F, prev, q) == GSL_SUCCESS) {
        for (int it = 0; it < 100; it++) {
          gsl_root_fsolver_iterate(s);
          double lo = gsl_root_fsolver_x_lower(s);
          double hi = gsl_root_fsolver_x_upper(s);
          root = hi;
          if (gsl_root_test_interval(lo, hi, 1e-12, 0) == GSL_SUCCESS) break;
        }
      }
      /* the upper end of the bracket, nudged so the range is non-empty */
      while (g_of_q(root, &g) < 0 && root < q) root += 1e-10;
      return root;
    }
    prev = q;
  }
  return -1;
}

/* A day as allocated: the public struct and the number of packages nc
 * its arrays have room for (2 nc ranges, 2 nc frontier rows of 4
 * doubles), so that it is freed with the sizes it was allocated with. */
typedef struct {
  truce_bargain_day pub;
  size_t nc;
} day_block;

void truce_bargain_day_free(truce_ctx* ctx, truce_bargain_day* d) {
  if (!d) return;
  size_t nc = ((day_block*)d)->nc;
  truce__free(ctx, d->packages, 2 * nc * sizeof *d->packages);
  truce__free(ctx, d->frontier, 8 * nc * sizeof(double));
  truce__free(ctx, d, sizeof(day_block));
}

/* Fill d (arrays allocated by the caller with room for every package and
 * 2 frontier points per package). `full` adds the frontier, the KS point,
 * Rubinstein and the minimal guarantee. */
/* The Pareto vertices among the acceptable segments' end points, into
 * d->frontier. */
static void pareto(const problem* P, double q, truce_bargain_day* d, int nc) {
  for (int c = 0; c < nc; c++) {
    truce_package_range* rr = &d->packages[c];
    if (rr->both_lo > rr->both_hi) continue;
    double xs[2] = {rr->both_lo, rr->both_hi};
    for (int e = 0; e < 2; e++) {
      double u0 = utility(P, 0, c, xs[e], q), u1 = utility(P, 1, c, xs[e], q);
      bool dominated = false;
      for (int c2 = 0; c2 < nc && !dominated; c2++) {
        truce_package_range* r2 = &d->packages[c2];
        if (r2->both_lo > r2->both_hi) continue;
        double ys[2] = {r2->both_lo, r2->both_hi};
        for (int e2 = 0; e2 < 2; e2++) {
          double v0 = utility(P, 0, c2, ys[e2], q),
                 v1 = utility(P, 1, c2, ys[e2], q);
          if (v0 >= u0 - 1e-12 && v1 >= u1 - 1e-12 &&
              (v0 > u0 + 1e-12 || v1 > u1 + 1e-12))
            dominated = true;
        }
      }
      if (!dominated) {
        double* f = d->frontier + 4 * d->n_frontier++;
        f[0] = u0;
        f[1] = u1;
        f[2] = c;
        f[3] = xs[e];
      }
    }
  }
}

static void solve_into(problem* P, double q, truce_bargain_day* d, bool full) {
  const truce__nego* n = P->n;
  int nc = truce_bargain_package_count(P->sc);
  d->war = *P->war;
  d->n_packages = (size_t)nc;
  ranges(P, q, d->packages, nc);
  d->open = false;
  double alpha = n->side[0].power + n->side[1].power > 0
                     ? n->side[0].power / (n->side[0].power + n->side[1].power)
                     : 0.5;
  double best = -HUGE_VAL;
  d->nash_combo = d->ks_combo = d->rub_combo = -1;
  d->nash_x = d->ks_x = d->rub_x = (double)NAN;
  for (int c = 0; c < nc; c++) {
    truce_package_range* r = &d->packages[c];
    if (r->both_lo > r->both_hi) continue;
    d->open = true;
    const double* T = P->thr[c];
    double w0 = n->side[0].w_territory, w1 = n->side[1].w_territory;
    double gA = discrete_utility(n, 0, c, q) - T[0];
    double gB = discrete_utility(n, 1, c, q) + w1 - T[1];
    double x;
    if (w0 > 0 && w1 > 0)
      x = (alpha * w0 * gB - (1 - alpha) * w1 * gA) / (w0 * w1);
    else if (w0 > 0)
      x = r->both_hi;
    else if (w1 > 0)
      x = r->both_lo;
    else
      x = 0.5 * (r->both_lo + r->both_hi);
    if (x < r->both_lo) x = r->both_lo;
    if (x > r->both_hi) x = r->both_hi;
    double u0 = utility(P, 0, c, x, q) - T[0],
           u1 = utility(P, 1, c, x, q) - T[1];
    double v = alpha * log(u0 > 0 ? u0 : 1e-300) +
               (1 - alpha) * log(u1 > 0 ? u1 : 1e-300);
    if (v > best + 1e-12) {
      best = v;
      d->nash_combo = c;
      d->nash_x = x;
    }
  }
  if (d->nash_combo >= 0) {
    d->nash_u[0] = utility(P, 0, d->nash_combo, d->nash_x, q);
    d->nash_u[1] = utility(P, 1, d->nash_combo, d->nash_x, q);
  }
  if (!full) return;
  d->n_frontier = 0;
  if (d->open) {
    /* Kalai-Smorodinsky: equal shares of each side's best acceptable gain */
    /* (the disagreement point: what each side needs, per package) */
    double G0 = -HUGE_VAL, G1 = -HUGE_VAL;
    for (int c = 0; c < nc; c++) {
      truce_package_range* r = &d->packages[c];
      if (r->both_lo > r->both_hi) continue;
      double a = utility(P, 0, c, r->both_hi, q) - P->thr[c][0];
      double b = utility(P, 1, c, r->both_lo, q) - P->thr[c][1];
      if (a > G0) G0 = a;
      if (b > G1) G1 = b;
    }
    double D0 = G0 > 1e-15 ? G0 : 1e-15;
    double D1 = G1 > 1e-15 ? G1 : 1e-15;
    double bestr = -HUGE_VAL;
    for (int c = 0; c < nc; c++) {
      truce_package_range* r = &d->packages[c];
      if (r->both_lo > r->both_hi) continue;
      const double* T = P->thr[c];
      double w0 = n->side[0].w_territory, w1 = n->side[1].w_territory;
      double gA = discrete_utility(n, 0, c, q) - T[0];
      double gB = discrete_utility(n, 1, c, q) + w1 - T[1];
      double x = w0 / D0 + w1 / D1 > 0
                     ? (gB / D1 - gA / D0) / (w0 / D0 + w1 / D1)
                     : 0.5 * (r->both_lo + r->both_hi);
      if (x < r->both_lo) x = r->both_lo;
      if (x > r->both_hi) x = r->both_hi;
      double r0 = (utility(P, 0, c, x, q) - T[0]) / D0;
      double r1 = (utility(P, 1, c, x, q) - T[1]) / D1;
      double m = r0 < r1 ? r0 : r1;
      if (m > bestr + 1e-12) {
        bestr = m;
        d->ks_combo = c;
        d->ks_x = x;
      }
    }
    d->ks_u[0] = utility(P, 0, d->ks_combo, d->ks_x, q);
    d->ks_u[1] = utility(P, 1, d->ks_combo, d->ks_x, q);
    /* Rubinstein on the status-quo package, side 0 proposing first */
    int sq = status_quo_combo(n);
    truce_package_range* r = &d->packages[sq];
    if (r->both_lo <= r->both_hi) {
      double per = n->every / 365.0;
      double dA = pow(1 - n->side[0].discount_per_year, per);
      double dB = pow(1 - n->side[1].discount_per_year, per);
      d->rub_combo = sq;
      d->rub_x = r->both_lo +
                 truce_rubinstein_share(dA, dB) * (r->both_hi - r->both_lo);
    }
    pareto(P, q, d, nc);
  }
  for (int c = 0; c < nc; c++)
    truce_bargain_package_name(P->sc, c, d->packages[c].name,
                               sizeof d->packages[c].name);
  d->shift = d->p_hold[0] = d->p_hold[1] = (double)NAN;
  if (P->cf) {
    truce__durability du[2];
    durabilities(P, q, du);
    d->shift = du[0].shift_mean;
    d->p_hold[0] = du[0].p_hold;
    d->p_hold[1] = du[1].p_hold;
  }
  if (n->has_guarantee) {
    truce_package_range* tmp = d->packages + nc; /* scratch half */
    d->min_guarantee = min_guarantee(P, tmp, nc);
  } else {
    d->min_guarantee = (double)NAN;
  }
}

static int day_alloc(truce_ctx* ctx, int nc, truce_bargain_day** out) {
  day_block* b = truce__calloc(ctx, 1, sizeof *b);
  if (!b) return TRUCE_ENOMEM;
  b->nc = (size_t)nc;
  truce_bargain_day* d = &b->pub;
  d->packages = truce__calloc(ctx, 2 * (size_t)nc, sizeof *d->packages);
  d->frontier = truce__calloc(ctx, 8 * (size_t)nc, sizeof(double));
  if (!d->packages || !d->frontier) {
    truce_bargain_day_free(ctx, d);
    return TRUCE_ENOMEM;
  }
  *out = d;
  return 0;
}

static double contested_line(const truce__nego* n, double t);

/* The full analysis of one problem into a new day ((double)NAN line),
 * with P's root solver or, without one, its own. */
static int solve_full(truce_ctx* ctx, problem* P, double credibility,
                      truce_bargain_day** out) {
  bool own = !P->root; /* the caller's solver, or one for this analysis */
  int rc = own ? root_new(ctx, P->n, &P->root) : 0;
  if (!rc) rc = day_alloc(ctx, truce_bargain_package_count(P->sc), out);
  if (!rc) {
    solve_into(P, credibility, *out, true);
    (*out)->line = (double)NAN;
  }
  if (own) {
    gsl_root_fsolver_free(P->root);
    P->root = NULL;
  }
  return rc;
}

/* A run's claims: territorial thresholds (km2 of front.area_km2 the side
 * must hold) as the share of the contested area it must hold. */
static void run_claims(const truce__params* p, truce__claims* out) {
  const truce__nego* n = &p->nego;
  *out = n->claims;
  for (int k = 0; k < out->n; k++) {
    truce__claim* c = &out->claim[k];
    if (c->issue != -1) continue;
    double T = c->threshold / p->area_km2; /* of the whole area */
    c->threshold =
        c->side == 0 ? contested_line(n, T) : 1 - contested_line(n, 1 - T);
  }
}

int truce_bargain_solve(truce_ctx* ctx, const truce_scenario* sc,
                        const truce_war_values* war, double credibility,
                        truce_bargain_day** out) {
  TRUCE_CHECK_ARGS(ctx, sc && war && out);
  *out = NULL;
  const truce__nego* n = &truce__scenario_model(sc)->params.nego;
  if (!n->present)
    return TRUCE_FAIL(ctx, TRUCE_EINVAL, "%s has no negotiation section",
                      truce_scenario_file(sc));
  int nc = truce_bargain_package_count(sc);
  if (nc > MAX_COMBOS)
    return TRUCE_FAIL(ctx, TRUCE_EINVAL,
                      "%d packages; expected at most %d "
                      "combinations of discrete options",
                      nc, MAX_COMBOS);
  truce__claims cl;
  run_claims(&truce__scenario_model(sc)->params, &cl);
  problem P = {sc, n, war, 0, &cl, NULL, {{0}}, NULL};
  return solve_full(ctx, &P, credibility, out);
}

/* ---------------------------------------------------------- Beliefs */

struct truce_bargain_tracker {
  truce_ctx* ctx;
  const truce_scenario* sc;
  const truce__model* m;
  truce__params* p; /* this run's parameters, as the simulation draws them */
  truce_rng* rng;
  truce_bargain_day* day;
  /* snapshots at past decisions (ring), for rates over >= WINDOW days */
  struct {
    double t, cas[2], force[2], terr, aid; /* aid: delivered to side 0 */
  } snap[64];
  int n_snap;
  bool have_belief;
  double mu[2], sd[2];
  truce_war_values last;
  double out[TRUCE_BX_COUNT];
  uint64_t open_bits;   /* months with a range at their last decision */
  int month_done;       /* months before this one are final */
  bool open_now;        /* the range at the latest decision */
  double line;          /* side 0's contested share at the latest decision */
  truce__claims claims; /* this run's, thresholds as shares */
  truce__ceasefire cf;  /* the ceasefire seen from the latest decision */
  truce__aid_belief aid[2]; /* each side's about side 0's backers' aid */
  truce__quad quad;
  gsl_root_fsolver* root; /* min_guarantee's (NULL without a guarantee) */
  truce_rng* talks;       /* the agreement stream */
  truce_sim* evs;         /* draws each run's events as its simulation does */
  int last_decision;      /* of the aid signals */
  int last_day;           /* the latest decision with beliefs */
  bool agreed;
};

#define MONTH_DAYS 30.436875
#define OPEN_MONTHS 52

/* Months up to `upto` (exclusive) take the range's state at the latest
 * decision before their end. */
static void close_months(truce_bargain_tracker* t, int upto) {
  if (upto > OPEN_MONTHS) upto = OPEN_MONTHS;
  for (; t->month_done < upto; t->month_done++)
    if (t->open_now) t->open_bits |= 1ULL << t->month_done;
  t->out[TRUCE_BX_OPEN_MONTHS] = (double)t->open_bits;
}

int truce_bargain_tracker_new(truce_ctx* ctx, const truce_scenario* sc,
                              truce_bargain_tracker** out) {
  *out = NULL;
  const truce__model* m = truce__scenario_model(sc);
  if (!m->params.nego.present)
    return TRUCE_FAIL(ctx, TRUCE_EINVAL, "%s has no negotiation section",
                      truce_scenario_file(sc));
  int nc = truce_bargain_package_count(sc);
  if (nc > MAX_COMBOS)
    return TRUCE_FAIL(ctx, TRUCE_EINVAL, "%d packages; expected at most %d", nc,
                      MAX_COMBOS);
  truce_bargain_tracker* t = truce__calloc(ctx, 1, sizeof *t);
  if (!t) return TRUCE_ENOMEM;
  t->ctx = ctx;
  t->sc = sc;
  t->m = m;
  t->p = truce__malloc(ctx, sizeof *t->p);
  int rc = t->p ? truce_rng_new(ctx, m->seed, 0, 0, &t->rng) : TRUCE_ENOMEM;
  if (!rc) rc = truce_rng_new(ctx, m->seed, 0, TRUCE_STREAM_TALKS, &t->talks);
  if (!rc) rc = truce__quad_init(&t->quad);
  if (!rc) rc = day_alloc(ctx, nc, &t->day);
  if (!rc) rc = root_new(ctx, &m->params.nego, &t->root);
  if (!rc && m->n_events) rc = truce_sim_new(ctx, sc, &t->evs);
  if (rc) {
    truce_bargain_tracker_free(t);
    return rc;
  }
  *out = t;
  return 0;
}

void truce_bargain_tracker_free(truce_bargain_tracker* t) {
  if (!t) return;
  truce_rng_free(t->rng);
  truce_rng_free(t->talks);
  truce_sim_free(t->evs);
  truce_bargain_day_free(t->ctx, t->day);
  gsl_root_fsolver_free(t->root);
  truce__free(t->ctx, t->p, sizeof *t->p);
  truce__free(t->ctx, t, sizeof *t);
}

int truce_bargain_tracker_begin(truce_bargain_tracker* t, uint64_t run,
                                unsigned flags, const double* params) {
  /* the run's draw of every uncertain number (the negotiation's too), as
   * the simulation of that run made it (or makes it); then the belief
   * stream */
  *t->p = t->m->params;
  if (params)
    truce__scenario_put(t->sc, params, t->p);
  else if (flags & TRUCE_SIM_DETERMINISTIC)
    truce__scenario_points(t->sc, t->p, NULL);
  else
    truce__scenario_sample(t->sc, t->rng, run, t->p, NULL);
  truce_rng_reset(t->rng, t->m->seed, run, TRUCE_STREAM_BELIEF);
  truce_rng_reset(t->talks, t->m->seed, run, TRUCE_STREAM_TALKS);
  run_claims(t->p, &t->claims);
  /* the run's events as its simulation draws them (keyed streams): an
   * uncertain event that does not happen in this run sends no signal */
  if (t->evs) {
    t->evs->stochastic = !(flags & TRUCE_SIM_DETERMINISTIC);
    int rc = truce__events_draw(t->evs, run);
    if (rc) return rc;
  }
  for (int i = 0; i < 2; i++) {
    const truce__nego* n = &t->p->nego;
    truce__aid_belief b = {0, n->aid_noise, n->side[i].aid_bias, n->aid_noise};
    t->aid[i] = b;
  }
  t->last_decision = 0;
  t->agreed = false;
  t->n_snap = 0;
  t->have_belief = false;
  for (int k = 0; k < TRUCE_BX_COUNT; k++) t->out[k] = -1;
  t->out[TRUCE_BX_NASH_X] = (double)NAN;
  t->out[TRUCE_BX_BOTH_MASK] = 0;
  t->out[TRUCE_BX_GAP_FIRST] = t->out[TRUCE_BX_GAP_LAST] = (double)NAN;
  t->out[TRUCE_BX_OPEN_MONTHS] = 0;
  t->out[TRUCE_BX_AGREE_X] = t->out[TRUCE_BX_AGREE_HOLD] = (double)NAN;
  t->open_bits = 0;
  t->month_done = 0;
  t->open_now = false;
  memset(&t->last, 0, sizeof t->last);
  return 0;
}

static double normal_sf(double z) { return gsl_cdf_ugaussian_Q(z); }

/* Side 0's share of the contested area when it holds share t of the
 * whole area: the contested part lies at side 1's end. */
static double contested_line(const truce__nego* n, double t) {
  return (t - (1 - n->contested)) / n->contested;
}

/* Side i's value of fighting on (docs/bargaining.md, "The value of
 * fighting on"). Per side (indexed 0, 1): k casualties per day and io net
 * inflow to the front per day over the last period; F fronts now. */
static void war_value(const truce_bargain_tracker* t, int i, const double k[2],
                      const double io[2], const double F[2], const int ex[2],
                      double terr, double drift, double truth, int day,
                      truce_war_values* w) {
  const truce__nego* n = &t->p->nego;
  const truce__nego_side* s = &n->side[i];
  int j = 1 - i;
  double H = n->projection;
  double th_i = t->p->side[i].exhaustion_threshold;
  double th_j = t->p->side[j].exhaustion_threshold;
  double mu = t->mu[i], sd = t->sd[i];
  /* a side already exhausted (headcount or capable strength) is out */
  bool out_i = F[i] <= th_i || ex[i], out_j = F[j] <= th_j || ex[j];
  double to; /* own exhaustion time */
  if (out_i)
    to = 0;
  else if (k[i] > io[i])
    to = (F[i] - th_i) / (k[i] - io[i]);
  else
    to = HUGE_VAL;
  double m = to < H ? to : H;
  /* What side i believes of the inflows (docs/bargaining.md, "Resolve
   * and backers"): side 0's scaled by its belief about side 0's backers'
   * future aid (the aid share of the inflow times e^mu), uncertain by
   * the belief's sd; the enemy's by endurance_sd besides. */
  double aid_f = 1, aid_sd = 0;
  if (n->aid_share > 0) {
    double e = exp(t->aid[i].mu);
    aid_f = 1 - n->aid_share + n->aid_share * e;
    aid_sd = fabs(io[0]) * n->aid_share * e * t->aid[i].sd;
  }
  double in_j = j == 0 ? io[j] * aid_f : io[j];
  double sd_j = hypot(n->endurance_sd * fabs(io[j]), j == 0 ? aid_sd : 0);
  double in_i = i == 0 ? io[i] * aid_f : io[i];
  double sd_i = i == 0 ? aid_sd : 0;
  double pw = 0, pl = 0;
  if (out_i) {
    pl = 1;
  } else if (out_j) {
    pw = 1;
  } else if (k[i] > 0 && (sd_j > 0 || sd_i > 0 || aid_f != 1)) {
    to = k[i] > in_i ? (F[i] - th_i) / (k[i] - in_i) : HUGE_VAL;
    m = to < H ? to : H;
    pw = truce__p_outlast(&t->quad, mu, sd, k[i], F[j], th_j, m, in_j, sd_j);
    pl = truce__p_exhausted(k[i], F[i], th_i, H, in_i, sd_i) * (1 - pw);
  } else if (k[i] > 0) {
    double rs = (io[j] + (F[j] - th_j) / m) / k[i];
    pw = rs <= 0 ? 1 : normal_sf((log(rs) - mu) / sd);
    if (to < H) {
      double rss = (io[j] + (F[j] - th_j) / to) / k[i];
      pl = rss <= 0 ? 0 : 1 - normal_sf((log(rss) - mu) / sd);
    }
  }
  /* the front drifts as observed, plus the side's believed advantage over
   * what it observed, in its favour */
  double edge = n->sensitivity * (mu - truth) * H / 365.0;
  double tH = contested_line(n, terr + drift * H) + (i == 0 ? edge : -edge);
  tH = tH < 0 ? 0 : (tH > 1 ? 1 : tH);
  int sq = status_quo_combo(n);
  double usq = s->w_territory * (i == 0 ? tH : 1 - tH) +
               discrete_utility(n, i, sq, n->g_credibility);
  double disc = pow(1 - s->discount_per_year, H / 365.0);
  double cost = s->cost_per_year * H / 365 + s->cost_per_100k * k[i] * H / 1e5;
  w->p_win[i] = pw;
  w->p_lose[i] = pl;
  w->cost[i] = cost;
  w->W[i] = disc * (pw + (1 - pw - pl) * usq) - cost;
  bool decree = s->has_decree && day < s->decree_lifted_day;
  w->threshold[i] = w->W[i] + (decree ? s->audience_cost : 0);
  w->belief_mean[i] = mu;
  w->belief_sd[i] = sd;
  w->aid_belief[i] = t->aid[i].mu;
  w->aid_belief_sd[i] = t->aid[i].sd;
}

#define WINDOW 28 /* days over which rates are observed (at least) */

/* What the sides learn of side 0's backers between two decisions
 * (docs/bargaining.md, "Resolve and backers"): the rate delivered over
 * the window against the budgeted rate, and the events of the period as
 * their type reads (truce__event_type.aid_signal): a blocked vote or a
 * backer's exit as the aid expected without that backer, a package voted
 * or a backer entering as the aid with its share added, a backer's
 * election as doubt (the belief widens by election_spread times the
 * backer's share of the budget). */
static void aid_signals(truce_bargain_tracker* t, int day, double rate) {
  const truce__params* p = t->p;
  double budget[TRUCE_MAX_BACKERS] = {0}, total = 0;
  for (size_t b = 0; b < t->m->n_backers; b++) {
    if (t->m->backer_side[b] != 0) continue;
    budget[b] = p->backer[b].budget_per_month * p->backer[b].budget_scale *
                p->backer[b].active / MONTH_DAYS;
    total += budget[b];
  }
  if (!(total > 0)) return;
  for (size_t e = 0; t->evs && e < t->evs->n_ev; e++) {
    const truce__event* ev = &t->evs->ev[e];
    if (ev->day <= t->last_decision || ev->day > day) continue;
    int sig = (int)ev->type->aid_signal;
    if (sig == TRUCE_AID_SIGNAL_NONE || t->m->backer_side[ev->backer] != 0)
      continue;
    double share = budget[ev->backer] / total;
    double y = sig == TRUCE_AID_SIGNAL_GAIN ? log1p(share)
                                            : log(fmax(1 - share, 0.05));
    for (int i = 0; i < 2; i++) {
      if (sig == TRUCE_AID_SIGNAL_DOUBT)
        truce__aid_update(&t->aid[i], TRUCE_AID_ELECTION, 0,
                          p->nego.election_spread * share);
      else
        truce__aid_update(&t->aid[i], TRUCE_AID_VOTE, y, 0);
    }
  }
  t->last_decision = day;
  double y = log(fmax(rate / total, 0.05));
  for (int i = 0; i < 2; i++)
    truce__aid_update(&t->aid[i], TRUCE_AID_DELIVERY, y, 0);
}

/* The ceasefire as seen from this decision (docs/bargaining.md,
 * "Commitment"): each side's force grows at its observed gross inflow
 * (recruits, returns and aid-funded recruits, without losses). */
static void ceasefire(truce_bargain_tracker* t, const double force[2],
                      const double io[2], const truce_war_values* w) {
  const truce__nego* n = &t->p->nego;
  truce__ceasefire* c = &t->cf;
  for (int i = 0; i < 2; i++) {
    c->force[i] = force[i];
    c->inflow[i] = io[i];
    c->inflow_sd[i] = n->reconstitution_sd * fabs(io[i]);
    c->cost[i] = w->cost[i];
    c->stake[i] = n->side[i].w_territory;
    c->discount[i] =
        pow(1 - n->side[i].discount_per_year, n->ceasefire_days / 365.0);
  }
  c->days = n->ceasefire_days;
  c->g_credibility = n->g_credibility;
  c->g_strength = n->g_strength;
}

/* Talks on an open decision day (docs/bargaining.md, "From a range to an
 * agreement"): agreement within the period at the month's probability
 * (ripe or not), the Nash package with the alternating-offers line, the
 * first proposer drawn, then the day the settlement breaks. */
static void talks(truce_bargain_tracker* t, problem* P, int day, bool ripe) {
  const truce__nego* n = P->n;
  double pm = ripe ? n->talks_ripe : n->talks_open;
  double h = pm < 1 ? -log1p(-pm) / MONTH_DAYS : HUGE_VAL;
  if (!truce__agree_draw(t->talks, h, n->every)) return;
  int c = t->day->nash_combo;
  const truce_package_range* r = &t->day->packages[c];
  double per = n->every / 365.0;
  double d0 = pow(1 - n->side[0].discount_per_year, per);
  double d1 = pow(1 - n->side[1].discount_per_year, per);
  bool zero_first = truce_rng_uniform(t->talks) < 0.5;
  double hold = 1;
  if (P->cf) {
    truce__durability du[2];
    durabilities(P, n->g_credibility, du);
    hold = du[guaranteed(n, c)].p_hold;
  }
  t->agreed = true;
  t->out[TRUCE_BX_AGREE_DAY] = day;
  t->out[TRUCE_BX_AGREE_COMBO] = c;
  t->out[TRUCE_BX_AGREE_X] =
      truce__agree_terms(r->both_lo, r->both_hi, d0, d1, zero_first);
  t->out[TRUCE_BX_AGREE_HOLD] = hold;
  t->out[TRUCE_BX_AGREE_BREAK] = truce__agree_break_day(
      t->talks, hold, n->ceasefire_days, (int)t->m->horizon_days * 10);
}

int truce_bargain_tracker_day(truce_bargain_tracker* t, const truce_day* d) {
  const truce__nego* n = &t->p->nego;
  /* a day past a month's end closes that month */
  close_months(t, (int)ceil(d->day / MONTH_DAYS) - 1);
  if (t->n_snap > 0 && d->day % n->every != 0) return 0;
  /* The force a side can count on: the front, recruits in training, and
   * the wounded expected back. */
  double cas[2], force[2], front[2] = {d->side[0].front, d->side[1].front};
  for (int i = 0; i < 2; i++) {
    cas[i] = d->side[i].casualties;
    force[i] = d->side[i].front + d->side[i].training +
               t->p->side[i].wounded_return_share * d->side[i].wounded;
  }
  int slot = t->n_snap % 64;
  double aid = 0;
  for (int b = 0; b < d->n_backers; b++)
    if (t->m->backer_side[b] == 0) aid += d->backer[b].delivered;
  if (t->n_snap == 0) {
    t->snap[0].t = d->day;
    memcpy(t->snap[0].cas, cas, sizeof cas);
    memcpy(t->snap[0].force, force, sizeof force);
    t->snap[0].terr = d->side[0].territory;
    t->snap[0].aid = aid;
    t->n_snap = 1;
    return 0;
  }
  /* the oldest snapshot within the window, else the latest before it */
  int back = t->n_snap - 1, use = back;
  for (int q = back; q >= 0 && q > t->n_snap - 64; q--) {
    use = q;
    if (d->day - t->snap[q % 64].t >= WINDOW) break;
  }
  const double* cas0 = t->snap[use % 64].cas;
  const double* force0 = t->snap[use % 64].force;
  double dt = d->day - t->snap[use % 64].t;
  double k[2], io[2];
  for (int i = 0; i < 2; i++) {
    k[i] = (cas[i] - cas0[i]) / dt;
    io[i] = (force[i] - force0[i]) / dt + k[i];
  }
  double drift = (d->side[0].territory - t->snap[use % 64].terr) / dt;
  if (n->aid_share > 0)
    aid_signals(t, d->day, (aid - t->snap[use % 64].aid) / dt);
  t->snap[slot].aid = aid;
  t->snap[slot].t = d->day;
  memcpy(t->snap[slot].cas, cas, sizeof cas);
  memcpy(t->snap[slot].force, force, sizeof force);
  t->snap[slot].terr = d->side[0].territory;
  t->n_snap++;
  /* Beliefs about the own exchange ratio (enemy per own casualty):
   * normal prior on its log, anchored at the first observation plus the
   * side's optimism; each period a noisy observation updates it. */
  double truth[2] = {0, 0};
  for (int i = 0; i < 2; i++) {
    int j = 1 - i;
    if (!(k[i] > 0 && k[j] > 0)) continue;
    truth[i] = log(k[j] / k[i]);
    double y =
        truth[i] + n->noise * gsl_cdf_ugaussian_Pinv(truce_rng_uniform(t->rng));
    if (!t->have_belief) {
      t->mu[i] = truth[i] + n->side[i].optimism;
      t->sd[i] = n->side[i].prior_sd;
    }
    double p0 = 1 / (t->sd[i] * t->sd[i]), p1 = 1 / (n->noise * n->noise);
    t->mu[i] = (t->mu[i] * p0 + y * p1) / (p0 + p1);
    t->sd[i] = sqrt(1 / (p0 + p1));
  }
  if (k[0] > 0 && k[1] > 0) t->have_belief = true;
  if (t->have_belief) {
    truce_war_values w;
    memset(&w, 0, sizeof w);
    int ex[2] = {d->side[0].exhausted, d->side[1].exhausted};
    for (int i = 0; i < 2; i++)
      war_value(t, i, k, io, front, ex, d->side[0].territory, drift, truth[i],
                d->day, &w);
    w.ripe = true;
    for (int i = 0; i < 2; i++) {
      const truce__nego_side* s = &n->side[i];
      double annual = s->cost_per_year + s->cost_per_100k * k[i] * 365 / 1e5;
      if (!(w.p_win[i] < n->ripe_p && annual > n->ripe_cost)) w.ripe = false;
    }
    /* gap between beliefs about side 0's ratio: mu0 vs -mu1 */
    double gap = t->mu[0] + t->mu[1];
    if (isnan(t->out[TRUCE_BX_GAP_FIRST])) t->out[TRUCE_BX_GAP_FIRST] = gap;
    t->out[TRUCE_BX_GAP_LAST] = gap;
    if (w.ripe && t->out[TRUCE_BX_RIPE_DAY] < 0)
      t->out[TRUCE_BX_RIPE_DAY] = d->day;
    t->last = w;
    t->last_day = d->day;
    t->line = contested_line(n, d->side[0].territory);
    if (n->ceasefire_days > 0) ceasefire(t, force, io, &w);
    /* every decision: is a range open now? */
    problem P = {t->sc,  n,          &w,
                 d->day, &t->claims, n->ceasefire_days > 0 ? &t->cf : NULL,
                 {{0}},  t->root};
    solve_into(&P, n->g_credibility, t->day, false);
    t->open_now = t->day->open;
    if (!t->agreed && t->day->open && (n->talks_open > 0 || n->talks_ripe > 0))
      talks(t, &P, d->day, w.ripe);
    if (t->out[TRUCE_BX_OPEN_DAY] < 0) {
      if (t->day->open) {
        t->out[TRUCE_BX_OPEN_DAY] = d->day;
        t->out[TRUCE_BX_NASH_COMBO] = t->day->nash_combo;
        t->out[TRUCE_BX_NASH_X] = t->day->nash_x;
        double mask = 0;
        for (size_t c = 0; c < t->day->n_packages && c < 52; c++)
          if (t->day->packages[c].both_lo <= t->day->packages[c].both_hi)
            mask += ldexp(1, (int)c);
        t->out[TRUCE_BX_BOTH_MASK] = mask;
      }
    }
  }
  return 0;
}

void truce_bargain_tracker_result(truce_bargain_tracker* t, double* out,
                                  truce_war_values* last) {
  close_months(t, (int)ceil(t->m->horizon_days / MONTH_DAYS));
  if (out) memcpy(out, t->out, sizeof t->out);
  if (last) *last = t->last;
}

/* ------------------------------------------------------------ Hook */

static int hook_new(void* user, truce_ctx* tctx, void** state) {
  return truce_bargain_tracker_new(tctx, user, (truce_bargain_tracker**)state);
}
static int hook_begin(void* st, uint64_t run, unsigned flags,
                      const double* params) {
  return truce_bargain_tracker_begin(st, run, flags, params);
}
static int hook_end(void* st, uint64_t run, double* out) {
  (void)run;
  truce_bargain_tracker_result(st, out, NULL);
  return 0;
}
static int hook_day(void* st, const truce_day* d) {
  return truce_bargain_tracker_day(st, d);
}
static void hook_free(void* st) { truce_bargain_tracker_free(st); }

int truce_bargain_hook(truce_ctx* ctx, const truce_scenario* sc,
                       truce_ensemble_hook* out) {
  if (!truce_scenario_has_negotiation(sc))
    return TRUCE_FAIL(ctx, TRUCE_EINVAL, "%s has no negotiation section",
                      truce_scenario_file(sc));
  truce_ensemble_hook h = {TRUCE_BX_COUNT, (void*)sc, hook_new, hook_begin,
                           hook_day,       hook_end,  hook_free};
  *out = h;
  return 0;
}

/* ----------------------------------------------------------- Analyse */

typedef struct {
  truce_bargain_tracker* t;
  int until;
} upto;

static int analyse_day(void* u, const truce_day* d) {
  upto* x = u;
  if (d->day > x->until) return 1; /* stop the run */
  return truce_bargain_tracker_day(x->t, d);
}

int truce_bargain_analyse(truce_ctx* ctx, const truce_scenario* sc, int day,
                          truce_bargain_day** out) {
  TRUCE_CHECK_ARGS(ctx, sc && out);
  *out = NULL;
  const truce__model* m = truce__scenario_model(sc);
  if (day == 0) day = m->params.nego.every; /* the first decision day */
  if (day < 1 || day > (int)m->horizon_days)
    return TRUCE_FAIL(ctx, TRUCE_EINVAL,
                      "day %d is outside the scenario "
                      "(1 to %d)",
                      day, (int)m->horizon_days);
  truce_bargain_tracker* t;
  int rc = truce_bargain_tracker_new(ctx, sc, &t);
  if (rc) return rc;
  truce_sim* sim = NULL;
  rc = truce_sim_new(ctx, sc, &sim);
  if (!rc) {
    rc = truce_bargain_tracker_begin(t, 0, TRUCE_SIM_DETERMINISTIC, NULL);
    upto u = {t, day};
    if (!rc)
      rc = truce_sim_run(sim, 0, TRUCE_SIM_DETERMINISTIC, analyse_day, &u);
    if (rc == 1) rc = 0;
  }
  if (!rc && !t->have_belief)
    rc = TRUCE_FAIL(ctx, TRUCE_EINVAL,
                    "no decision before day %d (the first "
                    "comes after %d days of fighting)",
                    day, m->params.nego.every);
  if (!rc) {
    truce_war_values w = t->last;
    const truce__nego* n = &t->p->nego;
    problem P = {sc,          n,          &w,
                 t->last_day, &t->claims, n->ceasefire_days > 0 ? &t->cf : NULL,
                 {{0}},       t->root};
    rc = solve_full(ctx, &P, n->g_credibility, out);
    if (!rc) {
      (*out)->day = day;
      (*out)->line = t->line;
    }
  }
  truce_sim_free(sim);
  truce_bargain_tracker_free(t);
  return rc;
}

/* ---------------------------------------------------- Run columns */

static const truce_bargain_column columns[] = {
    {"open_day", TRUCE_BX_OPEN_DAY, TRUCE_BCOL_DAY},
    {"ripe_day", TRUCE_BX_RIPE_DAY, TRUCE_BCOL_DAY},
    {"nash_package", TRUCE_BX_NASH_COMBO, TRUCE_BCOL_PACKAGE},
    {"nash_territory", TRUCE_BX_NASH_X, TRUCE_BCOL_NUMBER},
    {"belief_gap_first", TRUCE_BX_GAP_FIRST, TRUCE_BCOL_NUMBER},
    {"belief_gap_last", TRUCE_BX_GAP_LAST, TRUCE_BCOL_NUMBER},
    {"agree_day", TRUCE_BX_AGREE_DAY, TRUCE_BCOL_DAY},
    {"agree_package", TRUCE_BX_AGREE_COMBO, TRUCE_BCOL_PACKAGE},
    {"agree_territory", TRUCE_BX_AGREE_X, TRUCE_BCOL_NUMBER},
    {"agree_p_hold", TRUCE_BX_AGREE_HOLD, TRUCE_BCOL_NUMBER},
    {"agree_break_day", TRUCE_BX_AGREE_BREAK, TRUCE_BCOL_DAY},
};

size_t truce_bargain_column_count(void) {
  return sizeof columns / sizeof columns[0];
}

const truce_bargain_column* truce_bargain_column_at(size_t k) {
  return k < truce_bargain_column_count() ? &columns[k] : NULL;
}

/* ------------------------------------------------------- Summaries */

/* Agreements over runs: P(agreement by the end of each month), the
 * packages most often agreed with their median lines, and P(the
 * ceasefire holds 30 and 180 days) among the runs that agree. count[] and
 * xs[] are scratch (nc and R entries). */
static void agreements(const truce_ensemble* e, uint64_t R, int months, int nc,
                       double* count, double* xs, truce_bargain_summary* out) {
  size_t agreed = 0, held30 = 0, held180 = 0;
  memset(count, 0, (size_t)nc * sizeof *count);
  for (uint64_t r = 0; r < R; r++) {
    const double* x = truce_ensemble_extras(e, r);
    double ad = x[TRUCE_BX_AGREE_DAY];
    if (ad < 0) continue;
    agreed++;
    for (int m = 0; m < months; m++)
      if (ad <= (m + 1) * MONTH_DAYS) out->p_agree_by_month[m] += 1;
    int c = (int)x[TRUCE_BX_AGREE_COMBO];
    if (c >= 0 && c < nc) count[c] += 1;
    double br = x[TRUCE_BX_AGREE_BREAK];
    held30 += br < 0 || br >= 30;
    held180 += br < 0 || br >= 180;
  }
  for (int m = 0; m < months; m++) out->p_agree_by_month[m] /= (double)R;
  out->agree_fraction = (double)agreed / (double)R;
  out->p_hold_30 = agreed ? (double)held30 / (double)agreed : (double)NAN;
  out->p_hold_180 = agreed ? (double)held180 / (double)agreed : (double)NAN;
  size_t nx = 0;
  for (uint64_t r = 0; r < R; r++) {
    const double* x = truce_ensemble_extras(e, r);
    if (x[TRUCE_BX_AGREE_DAY] >= 0) xs[nx++] = x[TRUCE_BX_AGREE_X];
  }
  gsl_sort(xs, 1, nx);
  static const double qs[] = {0.05, 0.25, 0.5, 0.75, 0.95};
  for (int q = 0; q < 5; q++)
    out->agree_x_q[q] =
        nx ? gsl_stats_quantile_from_sorted_data(xs, 1, nx, qs[q])
           : (double)NAN;
  out->n_terms = 0;
  for (int k = 0; k < 5; k++) {
    int best = -1;
    for (int c = 0; c < nc; c++)
      if (count[c] > 0 && (best < 0 || count[c] > count[best])) best = c;
    if (best < 0) break;
    nx = 0;
    for (uint64_t r = 0; r < R; r++) {
      const double* x = truce_ensemble_extras(e, r);
      if (x[TRUCE_BX_AGREE_DAY] >= 0 && (int)x[TRUCE_BX_AGREE_COMBO] == best)
        xs[nx++] = x[TRUCE_BX_AGREE_X];
    }
    gsl_sort(xs, 1, nx);
    out->terms_combo[k] = best;
    out->terms_share[k] = count[best] / (double)agreed;
    out->terms_x_median[k] = gsl_stats_median_from_sorted_data(xs, 1, nx);
    out->n_terms++;
    count[best] = 0;
  }
}

int truce_bargain_summarise(truce_ctx* ctx, const truce_scenario* sc,
                            const truce_ensemble* e,
                            truce_bargain_summary* out) {
  memset(out, 0, sizeof *out);
  uint64_t R = truce_ensemble_runs(e);
  if (!truce_ensemble_extras(e, 0))
    return TRUCE_FAIL(ctx, TRUCE_EINVAL,
                      "the ensemble ran without the "
                      "bargaining hook");
  int H = truce_scenario_horizon_days(sc);
  int months = (int)ceil(H / MONTH_DAYS);
  if (months < 12) months = 12;
  if (months > TRUCE_BARGAIN_MAX_MONTHS) months = TRUCE_BARGAIN_MAX_MONTHS;
  out->runs = R;
  out->months = months;
  int nc = truce_bargain_package_count(sc);
  double* days = truce__calloc(ctx, R, sizeof(double));
  double* xs = truce__calloc(ctx, R, sizeof(double));
  double* both = truce__calloc(ctx, (size_t)nc, sizeof(double));
  double* nash = truce__calloc(ctx, (size_t)nc, sizeof(double));
  if (!days || !xs || !both || !nash) {
    truce__free(ctx, days, R * sizeof(double));
    truce__free(ctx, xs, R * sizeof(double));
    truce__free(ctx, both, (size_t)nc * sizeof(double));
    truce__free(ctx, nash, (size_t)nc * sizeof(double));
    return TRUCE_ENOMEM;
  }
  size_t opened = 0, nx = 0;
  double g0 = 0, g1 = 0;
  size_t ng = 0;
  for (uint64_t r = 0; r < R; r++) {
    const double* x = truce_ensemble_extras(e, r);
    double od = x[TRUCE_BX_OPEN_DAY], rd = x[TRUCE_BX_RIPE_DAY];
    uint64_t bits = (uint64_t)x[TRUCE_BX_OPEN_MONTHS];
    for (int m = 0; m < months; m++) {
      double end = (m + 1) * MONTH_DAYS;
      if (od >= 0 && od <= end) out->p_open_by_month[m] += 1;
      if (rd >= 0 && rd <= end) out->p_ripe_by_month[m] += 1;
      if (m < OPEN_MONTHS && (bits >> m & 1)) out->p_open_at_month[m] += 1;
    }
    if (!isnan(x[TRUCE_BX_GAP_FIRST])) {
      g0 += x[TRUCE_BX_GAP_FIRST];
      g1 += x[TRUCE_BX_GAP_LAST];
      ng++;
    }
    if (od < 0) continue;
    days[opened++] = od;
    double mask = x[TRUCE_BX_BOTH_MASK];
    for (int c = nc < 52 ? nc - 1 : 51; c >= 0; c--) {
      double bit = ldexp(1, c);
      if (mask >= bit) {
        both[c] += 1;
        mask -= bit;
      }
    }
    int nc0 = (int)x[TRUCE_BX_NASH_COMBO];
    if (nc0 >= 0 && nc0 < nc) nash[nc0] += 1;
    if (!isnan(x[TRUCE_BX_NASH_X])) xs[nx++] = x[TRUCE_BX_NASH_X];
  }
  for (int m = 0; m < months; m++) {
    out->p_open_by_month[m] /= (double)R;
    out->p_ripe_by_month[m] /= (double)R;
    out->p_open_at_month[m] =
        m < OPEN_MONTHS ? out->p_open_at_month[m] / (double)R : (double)NAN;
  }
  out->never_fraction = 1 - (double)opened / (double)R;
  out->open_mean = (double)NAN;
  for (int q = 0; q < 5; q++) out->open_q[q] = (double)NAN;
  if (opened) {
    gsl_sort(days, 1, opened);
    out->open_mean = gsl_stats_mean(days, 1, opened);
    static const double qs[] = {0.05, 0.25, 0.5, 0.75, 0.95};
    for (int q = 0; q < 5; q++)
      out->open_q[q] =
          gsl_stats_quantile_from_sorted_data(days, 1, opened, qs[q]);
  }
  /* the five packages most often acceptable to both at opening */
  for (int k = 0; k < 5; k++) {
    int best = -1;
    for (int c = 0; c < nc; c++) {
      bool used = false;
      for (int q = 0; q < out->n_top; q++) used |= out->top_combo[q] == c;
      if (!used && both[c] > 0 && (best < 0 || both[c] > both[best])) best = c;
    }
    if (best < 0) break;
    out->top_combo[out->n_top] = best;
    out->top_share[out->n_top++] = both[best] / (double)(opened ? opened : 1);
  }
  out->nash_combo = -1;
  for (int c = 0; c < nc; c++)
    if (nash[c] > 0 && (out->nash_combo < 0 || nash[c] > nash[out->nash_combo]))
      out->nash_combo = c;
  out->nash_share =
      out->nash_combo >= 0 ? nash[out->nash_combo] / (double)opened : 0;
  out->nash_x_median = (double)NAN;
  if (nx) {
    gsl_sort(xs, 1, nx);
    out->nash_x_median = gsl_stats_median_from_sorted_data(xs, 1, nx);
  }
  out->gap_first = ng ? g0 / (double)ng : (double)NAN;
  out->gap_last = ng ? g1 / (double)ng : (double)NAN;
  const truce__nego* n = &truce__scenario_model(sc)->params.nego;
  out->talks = n->talks_open > 0 || n->talks_ripe > 0;
  agreements(e, R, months, nc, both, xs, out);
  truce__free(ctx, days, R * sizeof(double));
  truce__free(ctx, xs, R * sizeof(double));
  truce__free(ctx, both, (size_t)nc * sizeof(double));
  truce__free(ctx, nash, (size_t)nc * sizeof(double));
  return 0;
}
