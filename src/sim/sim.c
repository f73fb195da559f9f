/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The attrition engine: one run of a two-sided war, day by day, with
 * sub-steps when time_step < 1. Each step moves people between the states
 * pool -> training -> front -> {wounded -> front | discharged, killed,
 * missing}, consumes and produces equipment and ammunition, and moves the
 * front. Combat losses come from a Lanchester-family law integrated with
 * RK4 over the step (deterministic mode uses the expected values; the
 * stochastic mode draws Poisson counts with those expected values, i.e.
 * tau-leaping). Conservation of persons is checked on every step. The
 * equations, with citations, are in docs/model.md.
 */
#include <gsl/gsl_cdf.h>
#include <math.h>
#include <string.h>

#include "../scenario/params.h"
#include "truce_int.h"

#define DAYS_PER_MONTH 30.436875 /* 365.2425 / 12 */
#define RING (TRUCE_MAX_DELAY_DAYS + 1)

enum { ST_RECRUIT, ST_CASUALTY, ST_SPLIT, ST_RETURN, ST_EQUIP, ST_NONCOMBAT,
       ST_COUNT };

typedef struct {
  double pool, training, front, wounded, killed, missing, discharged;
  double inflow, casualties, initial;
  double equip[TRUCE_MAX_EQUIP];
  double ammo, ammo_mult; /* ammo_mult: share of demand met, ^elasticity */
  double power;           /* combat power at the end of the last step */
  double territory;
  double off_mult;        /* intensity of an active offensive, else 1 */
  int off_until;          /* day the offensive ends, -1 if none */
  double posture_before;  /* posture to restore when it ends */
  double* train_q;        /* graduates due, by day % RING */
  double* ret_q;          /* wounded returning to the front, by day */
  double* disc_q;         /* wounded discharged, by day */
  int exhaustion_day;
} side_state;

#define MAX_CRISES 16
#define NB TRUCE_MAX_BACKERS
#define NI TRUCE_BACKER_ITEMS

typedef struct {
  double will, committed, delivered, pending, boost;
  double units_committed[2], units_delivered[2]; /* ammunition, equipment */
  double p_month, p_day; /* approval probability per month and its daily */
  int blocked_until, last_package, longest_gap, packages;
  double backlog[NI];
  double stock[NI];  /* releasable stocks left */
  double* queue;     /* RING x NI: quantities due by day */
  double* boost_end; /* RING: recruit-rate boosts ending by day */
} backer_state;

typedef struct {
  int until;
  double taken[NB];
} crisis;

struct truce_sim {
  truce_ctx* ctx;
  backer_state b[NB];
  crisis crises[MAX_CRISES];
  int n_crises;
  truce_rng* brng[NB][2]; /* will, approval */
  double* bqueues;
  const truce_scenario* sc;
  const truce__model* m;
  truce_rng* prng;  /* scratch stream for parameter draws */
  double* values;   /* this run's uncertain parameters */
  size_t n_values;
  truce__params p; /* this run's parameters (events change them) */
  side_state s[2];
  truce_rng* rng[2][ST_COUNT];
  double* queues;
  bool stochastic;
  int day;
  int due_from, due_to; /* days whose ring slots may hold entries */
};

/* ------------------------------------------------------------ Helpers */

/* Soldiers the side's equipment can equip: the weighted mean over classes
 * of stock * soldiers_per_item (weights normalised to 1). */
static double equipped(const truce_sim* sim, int i) {
  const truce__side* sp = &sim->p.side[i];
  double num = 0, w = 0;
  for (size_t k = 0; k < sim->m->n_equip[i]; k++) {
    num += sp->equip[k].weight * sim->s[i].equip[k] *
           sp->equip[k].soldiers_per_item;
    w += sp->equip[k].weight;
  }
  return w > 0 ? num / w : 0;
}

/* Combat power in effective soldiers (docs/model.md, "Combat power"):
 * C = A [alpha (Q F)^rho + (1 - alpha) E^rho]^(1/rho) with equipment,
 * C = Q F without; times the ammunition factor. */
static double power(const truce_sim* sim, int i, double F, double E) {
  const truce__params* p = &sim->p;
  double qf = p->side[i].quality * (F > 0 ? F : 0);
  double c;
  if (sim->m->n_equip[i] == 0) {
    c = qf;
  } else {
    double a = p->ces_alpha, rho = p->ces_rho;
    if (qf <= 0 || E <= 0) {
      c = (rho > 0) ? p->ces_scale * pow((qf > 0 ? a * pow(qf, rho) : 0) +
                                             (E > 0 ? (1 - a) * pow(E, rho) : 0),
                                         1 / rho)
                    : 0;
    } else if (fabs(rho) < 1e-12) {
      c = p->ces_scale * qf * pow(E / qf, 1 - a);
    } else {
      /* A [a (QF)^rho + (1-a) E^rho]^(1/rho) = A QF [a + (1-a) (E/QF)^rho]^(1/rho),
       * with the inner power by multiplication for whole rho. */
      double x = E / qf, xr;
      if (rho == floor(rho) && fabs(rho) <= 8) {
        xr = 1;
        for (int k = 0; k < (int)fabs(rho); k++) xr *= x;
        if (rho < 0) xr = 1 / xr;
      } else {
        xr = pow(x, rho);
      }
      c = p->ces_scale * qf * pow(a + (1 - a) * xr, 1 / rho);
    }
  }
  return c * sim->s[i].ammo_mult;
}

/* Exhausted (docs/model.md, "Outcomes"): the front below the headcount
 * threshold, or capable strength (combat power at the end of the last
 * step) below the capability threshold when one is set. */
static bool exhausted(const truce_sim* sim, int i) {
  const truce__side* sp = &sim->p.side[i];
  return sim->s[i].front < sp->exhaustion_threshold ||
         (sp->capable_threshold > 0 && sim->s[i].power < sp->capable_threshold);
}

static void law_exponents(const truce__params* p, double* pe, double* qe) {
  switch ((int)p->law) {
    case TRUCE_LAW_SQUARE: *pe = 1; *qe = 0; break;
    case TRUCE_LAW_LINEAR: *pe = 1; *qe = 1; break;
    case TRUCE_LAW_LOG:
    case TRUCE_LAW_FATIGUE: *pe = 0; *qe = 1; break;
    case TRUCE_LAW_HELMBOLD: *pe = p->W; *qe = 1 - p->W; break;
    default: *pe = p->p; *qe = p->q; break;
  }
}

/* Loss rate (casualties per day) inflicted on side x by side y. */
typedef struct {
  double k[2];   /* coefficient of the firer times posture and intensity */
  double pe, qe; /* exponents on firer power and target strength */
  double phi[2]; /* combat power per soldier, held over the step */
  bool fatigue;
} rates;

static void derivs(const rates* r, double t, const double F[2],
                   const double in[2], double d[2]) {
  double P[2] = {r->phi[0] * (F[0] > 0 ? F[0] : 0),
                 r->phi[1] * (F[1] > 0 ? F[1] : 0)};
  double fat = r->fatigue ? 1.0 / log(TRUCE__E + t) : 1.0;
  for (int x = 0; x < 2; x++) {
    int y = 1 - x;
    double Fx = F[x] > 0 ? F[x] : 0;
    double loss = r->k[y] * fat * (r->pe == 1 ? P[y] : pow(P[y], r->pe)) *
                  (r->qe == 0 ? 1 : pow(Fx, r->qe));
    d[x] = in[x] - loss;
  }
}

/* Expected casualties of each side over [t, t+dt), with arrivals at rate
 * in[] over the step, by classical RK4 on the front strengths. */
static void expected_losses(const rates* r, double t, double dt,
                            const double F0[2], const double in[2],
                            double cas[2]) {
  double k1[2], k2[2], k3[2], k4[2], F[2];
  derivs(r, t, F0, in, k1);
  for (int i = 0; i < 2; i++) F[i] = F0[i] + 0.5 * dt * k1[i];
  derivs(r, t + 0.5 * dt, F, in, k2);
  for (int i = 0; i < 2; i++) F[i] = F0[i] + 0.5 * dt * k2[i];
  derivs(r, t + 0.5 * dt, F, in, k3);
  for (int i = 0; i < 2; i++) F[i] = F0[i] + dt * k3[i];
  derivs(r, t + dt, F, in, k4);
  for (int i = 0; i < 2; i++) {
    double F1 = F0[i] + dt / 6 * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]);
    double avail = F0[i] + in[i] * dt;
    double c = avail - F1;
    cas[i] = c < 0 ? 0 : (c > avail ? avail : c);
  }
}

/* The ring slot of day `when`, noting that it holds an entry. */
static size_t due(truce_sim* sim, int when) {
  if (when > sim->due_to) sim->due_to = when;
  return (size_t)(when % RING);
}

/* Men scheduled to arrive over [0, t): sum of the arrival intervals'
 * overlap with [0, t) times their rates. */
static double arrivals_until(const truce__model* m, int i, double t) {
  double sum = 0;
  for (size_t k = 0; k < m->n_arrivals[i]; k++) {
    const truce__arrival* a = &m->arrivals[i][k];
    double hi = t < a->to ? t : a->to;
    if (hi > a->from) sum += a->men * (hi - a->from) / (a->to - a->from);
  }
  return sum;
}

static double draw_poisson(truce_sim* sim, int i, int st, double mean) {
  return sim->stochastic ? truce_rng_poisson(sim->rng[i][st], mean) : mean;
}

static double draw_binomial(truce_sim* sim, int i, int st, double p,
                            double n) {
  return sim->stochastic ? truce_rng_binomial(sim->rng[i][st], p, n) : p * n;
}

static double total_persons(const side_state* s) {
  return s->pool + s->training + s->front + s->wounded + s->killed +
         s->missing + s->discharged;
}

static int check_conservation(truce_sim* sim, double t) {
  for (int i = 0; i < 2; i++) {
    const side_state* s = &sim->s[i];
    double expect = s->initial + s->inflow, have = total_persons(s);
    double tol = 1e-9 * (expect > 1 ? expect : 1);
    if (!(fabs(have - expect) <= tol) || s->pool < 0 || s->training < -tol ||
        s->front < -tol || s->wounded < -tol)
      return TRUCE_FAIL(sim->ctx, TRUCE_EINTERNAL,
                        "conservation violated for side %d at t=%.6f: %.17g "
                        "persons accounted for, %.17g expected",
                        i, t, have, expect);
  }
  return 0;
}

/* ------------------------------------------------------------ The step */

static void commit_package(truce_sim* sim, size_t b, double V, double months,
                           bool whole);

static void apply_event(truce_sim* sim, const truce__event* e) {
  side_state* s = e->side >= 0 ? &sim->s[e->side] : NULL;
  switch (e->kind) {
    case TRUCE_EV_SET:
      *(double*)((char*)&sim->p + e->off) = e->value;
      break;
    case TRUCE_EV_OFFENSIVE:
      if (s->off_until < 0) s->posture_before = sim->p.side[e->side].posture;
      sim->p.side[e->side].posture = TRUCE_POSTURE_ATTACK;
      s->off_mult = e->intensity;
      s->off_until = e->day + (int)e->duration_days;
      break;
    case TRUCE_EV_MOBILISATION: {
      double add = sim->stochastic ? floor(e->pool_add + 0.5) : e->pool_add;
      s->pool += add;
      s->inflow += add;
      if (e->recruits_per_month >= 0)
        sim->p.side[e->side].recruits_per_month = e->recruits_per_month;
      break;
    }
    case TRUCE_EV_CRISIS:
      if (sim->n_crises < MAX_CRISES) {
        crisis* c = &sim->crises[sim->n_crises++];
        c->until = e->day + (int)e->duration_days;
        memcpy(c->taken, e->taken, sizeof c->taken);
      }
      break;
    case TRUCE_EV_BLOCK:
      sim->b[e->backer].blocked_until = e->until_day;
      break;
    case TRUCE_EV_PACKAGE: { /* an appropriation: no will or vote needed */
      const truce__backer* bp = &sim->p.backer[e->backer];
      if (bp->active > 0.5)
        commit_package(sim, (size_t)e->backer,
                       bp->budget_per_month * bp->budget_scale * e->months,
                       e->months, true);
      break;
    }
    case TRUCE_EV_ENTER:
      sim->p.backer[e->backer].active = 1;
      break;
    case TRUCE_EV_EXIT:
      sim->p.backer[e->backer].active = 0;
      break;
    default: break;
  }
}

static void step(truce_sim* sim, double t, double dt) {
  truce__params* p = &sim->p;
  const truce__model* m = sim->m;
  int day = sim->day;
  double in[2], F0[2];
  /* Recruitment into the training pipeline; scheduled arrivals. */
  for (int i = 0; i < 2; i++) {
    side_state* s = &sim->s[i];
    truce__side* sp = &p->side[i];
    double boost = 0;
    for (size_t b = 0; b < m->n_backers; b++)
      if (m->backer_side[b] == i) boost += sim->b[b].boost;
    double r = draw_poisson(sim, i, ST_RECRUIT,
                            (sp->recruits_per_month + boost) / DAYS_PER_MONTH *
                                dt);
    if (r > s->pool) r = s->pool;
    s->pool -= r;
    int td = (int)sp->training_days;
    if (td <= 0) {
      s->front += r;
    } else {
      s->training += r;
      s->train_q[due(sim, day + td)] += r;
    }
    double arr = 0;
    if (m->n_arrivals[i]) {
      double a0 = arrivals_until(m, i, t), a1 = arrivals_until(m, i, t + dt);
      arr = sim->stochastic ? floor(a1 + 1e-9) - floor(a0 + 1e-9) : a1 - a0;
    }
    in[i] = arr / dt;
    F0[i] = s->front;
    s->inflow += arr;
  }
  /* Ammunition available this step limits fire. */
  double need[2];
  for (int i = 0; i < 2; i++) {
    side_state* s = &sim->s[i];
    truce__side* sp = &p->side[i];
    need[i] = sp->ammo_demand_per_day * dt * s->off_mult;
    if (need[i] > 0) {
      double share = s->ammo >= need[i] ? 1 : s->ammo / need[i];
      double el = sp->ammo_elasticity;
      s->ammo_mult = share == 1 || el == 0 ? 1
                     : el == 1           ? share
                     : el == 0.5         ? sqrt(share)
                                         : pow(share, el);
    } else {
      s->ammo_mult = 1;
    }
  }
  /* Combat. */
  rates r;
  law_exponents(p, &r.pe, &r.qe);
  r.fatigue = (int)p->law == TRUCE_LAW_FATIGUE;
  double inten = p->intensity * sim->s[0].off_mult * sim->s[1].off_mult;
  for (int y = 0; y < 2; y++) {
    int x = 1 - y;
    bool adv = p->side[y].posture == TRUCE_POSTURE_DEFEND &&
               p->side[x].posture == TRUCE_POSTURE_ATTACK;
    r.k[y] = p->side[y].coefficient * inten * (adv ? p->defender_advantage : 1);
  }
  /* Power per soldier at the step's start (Q x the CES and ammunition
   * factors), held over the step: exact for the pure Lanchester laws. */
  double P0[2];
  for (int i = 0; i < 2; i++) {
    double Fp = F0[i] > 0 ? F0[i] : 1;
    double Pp = power(sim, i, Fp, equipped(sim, i));
    r.phi[i] = Pp / Fp;
    P0[i] = F0[i] > 0 ? Pp : 0;
  }
  double lam[2];
  expected_losses(&r, t, dt, F0, in, lam);
  for (int i = 0; i < 2; i++) {
    side_state* s = &sim->s[i];
    truce__side* sp = &p->side[i];
    double avail = F0[i] + in[i] * dt;
    double c = draw_poisson(sim, i, ST_CASUALTY, lam[i]);
    if (c > avail) c = avail;
    s->front = avail - c;
    /* Split casualties: killed, wounded, missing (a multinomial draw). */
    double k = draw_binomial(sim, i, ST_SPLIT, sp->killed_share, c);
    double rest = 1 - sp->killed_share;
    double w = rest > 0 ? draw_binomial(sim, i, ST_SPLIT,
                                        sp->wounded_share / rest, c - k)
                        : 0;
    if (w > c - k) w = c - k;
    double mi = c - k - w;
    if (mi < 0) mi = 0; /* rounding in deterministic mode */
    s->killed += k;
    s->missing += mi;
    s->casualties += c;
    double back = draw_binomial(sim, i, ST_RETURN, sp->wounded_return_share, w);
    int rd = (int)sp->wounded_return_days;
    if (rd <= 0) {
      s->front += back;
      s->discharged += w - back;
    } else {
      s->wounded += w;
      size_t slot = due(sim, day + rd);
      s->ret_q[slot] += back;
      s->disc_q[slot] += w - back;
    }
    /* Non-combat losses (illness, desertion, end of service) leave the
     * front alive: a constant hazard per month. */
    double h = 1 - exp(-sp->noncombat_loss_per_month / DAYS_PER_MONTH * dt);
    double gone = draw_binomial(sim, i, ST_NONCOMBAT, h, s->front);
    s->front -= gone;
    s->discharged += gone;
    /* Equipment: losses with casualties and with combat, then production. */
    for (size_t e = 0; e < m->n_equip[i]; e++) {
      const truce__equip* eq = &sp->equip[e];
      double loss = draw_poisson(sim, i, ST_EQUIP,
                                 eq->loss_per_casualty * c +
                                     eq->loss_per_day * dt * inten);
      double st = s->equip[e] - loss;
      s->equip[e] = (st > 0 ? st : 0) +
                    eq->production_per_month / DAYS_PER_MONTH * dt;
    }
    /* Ammunition: use what the step needs (or what is left); produce. */
    double use = need[i] < s->ammo ? need[i] : s->ammo;
    s->ammo += sp->ammo_production_per_month / DAYS_PER_MONTH * dt - use;
  }
  for (int i = 0; i < 2; i++)
    sim->s[i].power = power(sim, i, sim->s[i].front, equipped(sim, i));
  /* The front: an attacker advances with its force ratio; an exhausted
   * defender's line breaks. */
  double moved[2] = {0, 0};
  for (int x = 0; x < 2; x++) {
    int y = 1 - x;
    if (p->side[x].posture != TRUCE_POSTURE_ATTACK) continue;
    double v = 0;
    bool broken = exhausted(sim, y);
    if (broken && p->breakthrough_km_per_day > 0) {
      v = p->breakthrough_km_per_day;
    } else if (P0[y] > 0) {
      double ratio = P0[x] / P0[y];
      double g = (p->advance_exponent == 1 ? ratio
                                           : pow(ratio, p->advance_exponent)) -
                 1;
      v = g > 0 ? p->advance_km_per_day * g : 0;
      if (p->breakthrough_km_per_day > 0 && v > p->breakthrough_km_per_day)
        v = p->breakthrough_km_per_day;
    } else if (P0[x] > 0) {
      v = p->breakthrough_km_per_day;
    }
    moved[x] = v * dt * p->length_km / p->area_km2;
  }
  for (int x = 0; x < 2; x++) {
    int y = 1 - x;
    double gain = moved[x] - moved[y];
    if (gain > 0) {
      if (gain > sim->s[y].territory) gain = sim->s[y].territory;
      sim->s[x].territory += gain;
      sim->s[y].territory -= gain;
    }
  }
}

/* ------------------------------------------------------------ Backers */

static double backer_attention(const truce_sim* sim, size_t b) {
  double a = sim->p.backer[b].attention;
  for (int c = 0; c < sim->n_crises; c++)
    if (sim->day < sim->crises[c].until) a *= 1 - sim->crises[c].taken[b];
  return a;
}

/* Commit a package worth V, spread over `months` of budget (recruitment
 * money raises recruitment for that long); `whole` counts it as a package
 * (deterministic mode commits fractions of one every day). */
static void commit_package(truce_sim* sim, size_t b, double V, double months,
                           bool whole) {
  const truce__model* m = sim->m;
  const truce__backer* bp = &sim->p.backer[b];
  backer_state* bs = &sim->b[b];
  int day = sim->day;
  if (V <= 0) return;
  bs->committed += V;
  if (whole) {
    int gap = day - bs->last_package;
    if (gap > bs->longest_gap) bs->longest_gap = gap;
    bs->last_package = day;
    bs->packages++;
  }
  int lag = (int)bp->delivery_days;
  /* the remainder buys what the model does not track: delivered at once */
  double other = 1;
  for (int it = 0; it < NI; it++)
    if (m->backer_buys[b][it]) other -= bp->buy[it].share;
  if (other > 0) bs->delivered += V * other;
  for (int it = 0; it < NI; it++) {
    if (!m->backer_buys[b][it]) continue;
    const truce__buy* u = &bp->buy[it];
    double money = V * u->share;
    if (it == TRUCE_ITEM_RECRUIT) { /* money at once; recruits for months */
      bs->delivered += money;
      double rate = months > 0 ? money / months / 1e6 * bp->recruits_per_million
                               : 0;
      int end = (int)(months * DAYS_PER_MONTH + 0.5);
      if (end < 1) end = 1;
      if (end > TRUCE_MAX_DELAY_DAYS) end = TRUCE_MAX_DELAY_DAYS;
      bs->boost += rate;
      bs->boost_end[due(sim, day + end)] += rate;
      continue;
    }
    bs->pending += money;
    bs->queue[due(sim, day + lag) * NI + (size_t)it] +=
        money / u->unit_cost;
    bs->units_committed[it == TRUCE_ITEM_AMMO ? 0 : 1] += money / u->unit_cost;
  }
}

/* Will and a possible new package of backer b (docs/model.md, "Backers"). */
static void backer_decide(truce_sim* sim, size_t b) {
  const truce__backer* bp = &sim->p.backer[b];
  backer_state* bs = &sim->b[b];
  int day = sim->day;
  if (!(bp->active > 0.5)) return;
  /* will: an Ornstein-Uhlenbeck process, clamped to [0, 1] */
  double z = sim->stochastic && bp->will_volatility > 0
                 ? gsl_cdf_ugaussian_Pinv(truce_rng_uniform(sim->brng[b][0]))
                 : 0;
  bs->will += bp->will_reversion * (bp->will_mean - bs->will) / 365.0 +
              bp->will_volatility * sqrt(1 / 365.0) * z;
  bs->will = bs->will < 0 ? 0 : (bs->will > 1 ? 1 : bs->will);
  if (day < bs->blocked_until) return;
  if (bs->will * backer_attention(sim, b) < bp->approval_threshold) return;
  if (bp->approval_per_month != bs->p_month) { /* cached: pow is slow */
    bs->p_month = bp->approval_per_month;
    bs->p_day = 1 - pow(1 - bp->approval_per_month, 1 / DAYS_PER_MONTH);
  }
  double p = bs->p_day;
  double frac; /* expected package in deterministic mode */
  if (sim->stochastic) {
    if (truce_rng_uniform(sim->brng[b][1]) >= p) return;
    frac = 1;
  } else {
    frac = p;
  }
  commit_package(sim, b,
                 bp->budget_per_month * bp->budget_scale * bp->package_months *
                     frac,
                 bp->package_months, frac == 1);
}

/* One day of backer b: expiring recruitment boosts, will and a possible
 * package, then the deliveries due (capacity-limited): a package without a
 * delivery lag starts to arrive on the day it is committed. */
static void backer_day(truce_sim* sim, size_t b) {
  const truce__model* m = sim->m;
  const truce__backer* bp = &sim->p.backer[b];
  backer_state* bs = &sim->b[b];
  int slot = sim->day % RING;
  side_state* rec = &sim->s[m->backer_side[b]];
  bs->boost -= bs->boost_end[slot];
  bs->boost_end[slot] = 0;
  if (bs->boost < 1e-9) bs->boost = bs->boost < 0 ? 0 : bs->boost;
  backer_decide(sim, b);
  for (int it = 0; it < NI - 1; it++) {
    if (!m->backer_buys[b][it]) continue;
    const truce__buy* u = &bp->buy[it];
    bs->backlog[it] += bs->queue[(size_t)slot * NI + (size_t)it];
    bs->queue[(size_t)slot * NI + (size_t)it] = 0;
    /* new production first, then releasable stocks */
    double cap = u->capacity_per_month / DAYS_PER_MONTH;
    double d = bs->backlog[it] < cap ? bs->backlog[it] : cap;
    double from_stock = bs->backlog[it] - d;
    if (from_stock > bs->stock[it]) from_stock = bs->stock[it];
    if (from_stock > 0) {
      bs->stock[it] -= from_stock;
      d += from_stock;
    }
    if (d <= 0) continue;
    bs->backlog[it] -= d;
    if (it == TRUCE_ITEM_AMMO) rec->ammo += d;
    else rec->equip[it - 1] += d;
    bs->delivered += d * u->unit_cost;
    bs->pending -= d * u->unit_cost;
    bs->units_delivered[it == TRUCE_ITEM_AMMO ? 0 : 1] += d;
  }
}

/* Graduates, returning and discharged wounded due today. */
static void start_of_day(truce_sim* sim) {
  int slot = sim->day % RING;
  for (int i = 0; i < 2; i++) {
    side_state* s = &sim->s[i];
    double g = s->train_q[slot], b = s->ret_q[slot], d = s->disc_q[slot];
    s->training -= g;
    s->front += g + b;
    s->wounded -= b + d;
    s->discharged += d;
    s->train_q[slot] = s->ret_q[slot] = s->disc_q[slot] = 0;
    if (s->training < 0 && s->training > -1e-6) s->training = 0;
    if (s->wounded < 0 && s->wounded > -1e-6) s->wounded = 0;
    if (s->off_until >= 0 && sim->day >= s->off_until) {
      sim->p.side[i].posture = s->posture_before;
      s->off_mult = 1;
      s->off_until = -1;
    }
  }
}

static void record(const truce_sim* sim, int day, truce_day* out) {
  out->day = day;
  out->t = day;
  for (int i = 0; i < 2; i++) {
    const side_state* s = &sim->s[i];
    truce_side_state* o = &out->side[i];
    o->pool = s->pool;
    o->training = s->training;
    o->front = s->front;
    o->wounded = s->wounded;
    o->killed = s->killed;
    o->missing = s->missing;
    o->discharged = s->discharged;
    o->inflow = s->inflow;
    o->casualties = s->casualties;
    o->equipment = 0;
    for (size_t k = 0; k < sim->m->n_equip[i]; k++) o->equipment += s->equip[k];
    o->ammunition = s->ammo;
    o->territory = s->territory;
    o->power = s->power;
    o->exhausted = exhausted(sim, i);
  }
  out->n_backers = (int)sim->m->n_backers;
  for (size_t b = 0; b < sim->m->n_backers; b++) {
    const backer_state* bs = &sim->b[b];
    truce_backer_state* o = &out->backer[b];
    o->committed = bs->committed;
    o->delivered = bs->delivered;
    o->pending = bs->pending;
    o->will = bs->will;
    o->attention = backer_attention(sim, b);
    o->packages = bs->packages;
    o->ammunition_committed = bs->units_committed[0];
    o->ammunition_delivered = bs->units_delivered[0];
    o->equipment_committed = bs->units_committed[1];
    o->equipment_delivered = bs->units_delivered[1];
  }
}

static void check_exhaustion(truce_sim* sim, int day) {
  for (int i = 0; i < 2; i++)
    if (sim->s[i].exhaustion_day < 0 && exhausted(sim, i))
      sim->s[i].exhaustion_day = day;
}

/* ---------------------------------------------------------- Public API */

int truce_sim_new(truce_ctx* ctx, const truce_scenario* sc, truce_sim** out) {
  if (!ctx || !sc || !out) return TRUCE_EINVAL;
  *out = NULL;
  truce_sim* sim = truce__calloc(ctx, 1, sizeof *sim);
  if (!sim) return TRUCE_ENOMEM;
  sim->ctx = ctx;
  sim->sc = sc;
  sim->due_to = -1;
  sim->m = truce__scenario_model(sc);
  sim->n_values = truce_scenario_uncertain_count(sc);
  sim->queues = truce__calloc(ctx, 6 * (size_t)RING, sizeof(double));
  sim->values = truce__calloc(ctx, sim->n_values + 1, sizeof(double));
  int rc = sim->queues && sim->values ? 0 : TRUCE_ENOMEM;
  if (!rc) rc = truce_rng_new(ctx, 0, 0, 0, &sim->prng);
  size_t nb = sim->m->n_backers;
  if (!rc && nb) {
    sim->bqueues = truce__calloc(ctx, nb * (size_t)RING * (NI + 1),
                                 sizeof(double));
    if (!sim->bqueues) rc = TRUCE_ENOMEM;
  }
  for (size_t b = 0; b < nb && !rc; b++) {
    sim->b[b].queue = sim->bqueues + b * (size_t)RING * (NI + 1);
    sim->b[b].boost_end = sim->b[b].queue + (size_t)RING * NI;
    for (int k = 0; k < 2 && !rc; k++)
      rc = truce_rng_new(ctx, sim->m->seed, 0, 64 + 2 * b + (size_t)k,
                         &sim->brng[b][k]);
  }
  for (int i = 0; i < 2 && !rc; i++) {
    sim->s[i].train_q = sim->queues + (size_t)(3 * i) * RING;
    sim->s[i].ret_q = sim->queues + (size_t)(3 * i + 1) * RING;
    sim->s[i].disc_q = sim->queues + (size_t)(3 * i + 2) * RING;
    for (int st = 0; st < ST_COUNT && !rc; st++)
      rc = truce_rng_new(ctx, sim->m->seed, 0, (uint64_t)(16 * i + st),
                         &sim->rng[i][st]);
  }
  if (rc) {
    truce_sim_free(sim);
    return rc;
  }
  *out = sim;
  return 0;
}

void truce_sim_free(truce_sim* sim) {
  if (!sim) return;
  for (int i = 0; i < 2; i++)
    for (int st = 0; st < ST_COUNT; st++) truce_rng_free(sim->rng[i][st]);
  truce_rng_free(sim->prng);
  for (size_t b = 0; b < NB; b++)
    for (int k = 0; k < 2; k++) truce_rng_free(sim->brng[b][k]);
  truce__free(sim->ctx, sim->bqueues, 0);
  truce__free(sim->ctx, sim->values, (sim->n_values + 1) * sizeof(double));
  truce__free(sim->ctx, sim->queues, 6 * (size_t)RING * sizeof(double));
  truce__free(sim->ctx, sim, sizeof *sim);
}

/* Empty the ring slots the last run left: those of days it had not
 * reached (the slots of days it reached were emptied as they came). */
static void clear_rings(truce_sim* sim) {
  size_t nb = sim->m->n_backers;
  if (sim->due_to - sim->due_from + 1 >= RING) {
    memset(sim->queues, 0, 6 * (size_t)RING * sizeof(double));
    if (nb)
      memset(sim->bqueues, 0, nb * (size_t)RING * (NI + 1) * sizeof(double));
  } else {
    for (int d = sim->due_from; d <= sim->due_to; d++) {
      size_t slot = (size_t)(d % RING);
      for (int q = 0; q < 6; q++) sim->queues[(size_t)q * RING + slot] = 0;
      for (size_t b = 0; b < nb; b++) {
        memset(sim->b[b].queue + slot * NI, 0, NI * sizeof(double));
        sim->b[b].boost_end[slot] = 0;
      }
    }
  }
  sim->due_from = 0;
  sim->due_to = -1;
}

static void reset(truce_sim* sim, uint64_t run) {
  const truce__model* m = sim->m;
  sim->p = m->params;
  if (sim->stochastic)
    truce__scenario_sample(sim->sc, sim->prng, run, &sim->p, sim->values);
  else
    truce__scenario_points(sim->sc, &sim->p, sim->values);
  /* Drawn casualty shares are renormalised to sum to 1. */
  for (int i = 0; i < 2; i++) {
    truce__side* sp = &sim->p.side[i];
    double sum = sp->killed_share + sp->wounded_share + sp->missing_share;
    if (sum > 0 && sum != 1) {
      sp->killed_share /= sum;
      sp->wounded_share /= sum;
      sp->missing_share /= sum;
    }
  }
  clear_rings(sim);
  sim->day = 0;
  sim->n_crises = 0;
  for (size_t b = 0; b < m->n_backers; b++) {
    backer_state* bs = &sim->b[b];
    double* q = bs->queue;
    double* be = bs->boost_end;
    memset(bs, 0, sizeof *bs);
    bs->queue = q;
    bs->boost_end = be;
    bs->will = sim->p.backer[b].will_initial;
    bs->p_month = -1;
    for (int it = 0; it < NI; it++) {
      const truce__buy* u = &sim->p.backer[b].buy[it];
      bs->stock[it] = u->releasable_stock;
      /* aid committed before the start waits in the backlog: delivered
       * at capacity from day 0 */
      if (!m->backer_buys[b][it] || it == TRUCE_ITEM_RECRUIT) continue;
      bs->backlog[it] = u->in_transit;
      bs->committed += u->in_transit * u->unit_cost;
      bs->pending += u->in_transit * u->unit_cost;
      bs->units_committed[it == TRUCE_ITEM_AMMO ? 0 : 1] += u->in_transit;
    }
    for (int k = 0; k < 2; k++)
      truce_rng_reset(sim->brng[b][k], m->seed, run, 64 + 2 * b + (size_t)k);
  }
  for (int i = 0; i < 2; i++) {
    side_state* s = &sim->s[i];
    const truce__side* sp = &sim->p.side[i];
    double* q[3] = {s->train_q, s->ret_q, s->disc_q};
    memset(s, 0, sizeof *s);
    s->train_q = q[0];
    s->ret_q = q[1];
    s->disc_q = q[2];
    s->front = sim->stochastic ? floor(sp->front + 0.5) : sp->front;
    s->pool = sim->stochastic ? floor(sp->pool + 0.5) : sp->pool;
    s->initial = s->front + s->pool;
    for (size_t k = 0; k < m->n_equip[i]; k++) s->equip[k] = sp->equip[k].stock;
    s->ammo = sp->ammo_stock;
    s->ammo_mult = 1;
    s->territory = sp->territory;
    s->off_mult = 1;
    s->off_until = -1;
    s->exhaustion_day = -1;
    s->power = power(sim, i, s->front, equipped(sim, i));
    for (int st = 0; st < ST_COUNT; st++)
      truce_rng_reset(sim->rng[i][st], m->seed, run, (uint64_t)(16 * i + st));
  }
}

int truce_sim_run(truce_sim* sim, uint64_t run, unsigned flags,
                  truce_day_fn fn, void* user) {
  if (!sim) return TRUCE_EINVAL;
  const truce__model* m = sim->m;
  sim->stochastic = !(flags & TRUCE_SIM_DETERMINISTIC);
  reset(sim, run);
  int steps = (int)floor(1.0 / m->time_step + 0.5);
  double dt = 1.0 / steps;
  size_t ev = 0;
  truce_day rec;
  check_exhaustion(sim, 0);
  int rc = 0;
  if (fn) {
    record(sim, 0, &rec);
    if ((rc = fn(user, &rec))) return rc;
  }
  int horizon = (int)m->horizon_days;
  for (int day = 0; day < horizon; day++) {
    sim->day = day;
    start_of_day(sim);
    while (ev < m->n_events && m->events[ev].day == day)
      apply_event(sim, &m->events[ev++]);
    for (size_t b = 0; b < m->n_backers; b++) backer_day(sim, b);
    sim->due_from = day + 1; /* today's slots are empty now */
    for (int k = 0; k < steps; k++) {
      double t = day + (double)k / steps;
      step(sim, t, dt);
      if ((rc = check_conservation(sim, t + dt))) return rc;
    }
    check_exhaustion(sim, day + 1);
    if (fn) {
      record(sim, day + 1, &rec);
      if ((rc = fn(user, &rec))) return rc;
    }
  }
  return 0;
}

int truce_sim_backer_outcome(const truce_sim* sim, size_t b,
                             truce_backer_outcome* out) {
  if (!sim || b >= sim->m->n_backers || !out) return TRUCE_EINVAL;
  const backer_state* bs = &sim->b[b];
  out->committed_total = bs->committed;
  out->delivered_total = bs->delivered;
  int tail = (int)sim->m->horizon_days - bs->last_package;
  out->longest_gap_days = tail > bs->longest_gap ? tail : bs->longest_gap;
  out->packages = bs->packages;
  return 0;
}

const double* truce_sim_param_values(const truce_sim* sim) {
  return sim ? sim->values : NULL;
}

int truce_sim_outcome(const truce_sim* sim, size_t i, truce_side_outcome* out) {
  if (!sim || i > 1 || !out) return TRUCE_EINVAL;
  const side_state* s = &sim->s[i];
  out->front_end = s->front;
  out->casualties_total = s->casualties;
  out->exhaustion_day = s->exhaustion_day;
  out->territory_end = s->territory;
  return 0;
}
