/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The backers' model (docs/model.md s8b): each backer's will (an
 * Ornstein-Uhlenbeck process), attention (reduced by crises), approval of
 * packages, and the deliveries they buy (ammunition, equipment,
 * recruitment money), limited by production capacity and releasable
 * stocks. The backers section of a scenario is read in aid_load.c.
 */
#include <gsl/gsl_cdf.h>
#include <math.h>
#include <string.h>

#include "events.h"
#include "sim_int.h"

double truce__aid_attention(const truce_sim* sim, size_t b) {
  double a = sim->p.backer[b].attention;
  for (int c = 0; c < sim->n_crises; c++)
    if (sim->day < sim->crises[c].until) a *= 1 - sim->crises[c].taken[b];
  return a;
}

double truce__aid_recruit_boost(const truce_sim* sim, int side) {
  double boost = 0;
  for (size_t b = 0; b < sim->m->n_backers; b++)
    if (sim->m->backer_side[b] == side) boost += sim->b[b].boost;
  return boost;
}

/* Commit a package worth V, spread over `months` of budget (recruitment
 * money raises recruitment for that long); `whole` counts it as a package
 * (deterministic mode commits fractions of one every day). */
void truce__aid_commit(truce_sim* sim, size_t b, double V, double months,
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
      double rate =
          months > 0 ? money / months / 1e6 * bp->recruits_per_million : 0;
      int end = (int)(months * DAYS_PER_MONTH + 0.5);
      if (end < 1) end = 1;
      if (end > TRUCE_MAX_DELAY_DAYS) end = TRUCE_MAX_DELAY_DAYS;
      bs->boost += rate;
      bs->boost_end[truce__due(sim, day + end)] += rate;
      continue;
    }
    bs->pending += money;
    bs->queue[truce__due(sim, day + lag) * NI + (size_t)it] +=
        money / u->unit_cost;
    bs->units_committed[it == TRUCE_ITEM_AMMO ? 0 : 1] += money / u->unit_cost;
  }
}

/* Will and a possible new package of backer b. */
static void decide(truce_sim* sim, size_t b) {
  const truce__backer* bp = &sim->p.backer[b];
  backer_state* bs = &sim->b[b];
  int day = sim->day;
  if (!(bp->active > 0.5)) return;
  /* will: an Ornstein-Uhlenbeck process, clamped to [0, 1] */
  double z = sim->stochastic && bp->will_volatility > 0
                 ? gsl_cdf_ugaussian_Pinv(
                       truce_rng_uniform(sim->brng[b][TRUCE_ST_WILL]))
                 : 0;
  bs->will += bp->will_reversion * (bp->will_mean - bs->will) / 365.0 +
              bp->will_volatility * sqrt(1 / 365.0) * z;
  bs->will = bs->will < 0 ? 0 : (bs->will > 1 ? 1 : bs->will);
  if (day < bs->blocked_until) return;
  if (bs->will * truce__aid_attention(sim, b) < bp->approval_threshold) return;
  if (bp->approval_per_month != bs->p_month) { /* cached: pow is slow */
    bs->p_month = bp->approval_per_month;
    bs->p_day = 1 - pow(1 - bp->approval_per_month, 1 / DAYS_PER_MONTH);
  }
  double p = bs->p_day;
  double frac; /* expected package in deterministic mode */
  if (sim->stochastic) {
    if (truce_rng_uniform(sim->brng[b][TRUCE_ST_APPROVAL]) >= p) return;
    frac = 1;
  } else {
    frac = p;
  }
  truce__aid_commit(
      sim, b,
      bp->budget_per_month * bp->budget_scale * bp->package_months * frac,
      bp->package_months, frac == 1);
}

/* One day of backer b: expiring recruitment boosts, will and a possible
 * package, then the deliveries due (capacity-limited): a package without a
 * delivery lag starts to arrive on the day it is committed. */
void truce__aid_day(truce_sim* sim, size_t b) {
  const truce__model* m = sim->m;
  const truce__backer* bp = &sim->p.backer[b];
  backer_state* bs = &sim->b[b];
  int slot = sim->day % RING;
  side_state* rec = &sim->s[m->backer_side[b]];
  bs->boost -= bs->boost_end[slot];
  bs->boost_end[slot] = 0;
  if (bs->boost < 1e-9) bs->boost = bs->boost < 0 ? 0 : bs->boost;
  decide(sim, b);
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
    if (it == TRUCE_ITEM_AMMO) {
      rec->stock[TRUCE_FIRE_ARTILLERY] += d;
      rec->rounds_in[TRUCE_FIRE_ARTILLERY] += d;
    } else
      rec->equip[it - 1] += d;
    bs->delivered += d * u->unit_cost;
    bs->pending -= d * u->unit_cost;
    bs->units_delivered[it == TRUCE_ITEM_AMMO ? 0 : 1] += d;
  }
}

/* Backer b at the start of run `run`: its will, releasable stocks and aid
 * in transit (committed before the start, delivered at capacity from day
 * 0), and its streams. */
void truce__aid_reset(truce_sim* sim, size_t b, uint64_t run) {
  const truce__model* m = sim->m;
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
    if (!m->backer_buys[b][it] || it == TRUCE_ITEM_RECRUIT) continue;
    bs->backlog[it] = u->in_transit;
    bs->committed += u->in_transit * u->unit_cost;
    bs->pending += u->in_transit * u->unit_cost;
    bs->units_committed[it == TRUCE_ITEM_AMMO ? 0 : 1] += u->in_transit;
  }
  for (int k = 0; k < 2; k++)
    truce_rng_reset(sim->brng[b][k], m->seed, run, TRUCE_STREAM_BACKER(b, k));
}

/* ------------------------------------------------------------ Events */

/* A crisis takes a share of listed backers' attention for its duration. */
void truce__aid_crisis(truce_sim* sim, const truce__event* e) {
  if (sim->n_crises < MAX_CRISES) {
    crisis* c = &sim->crises[sim->n_crises++];
    c->until = e->day + (int)e->duration_days;
    memcpy(c->taken, e->taken, sizeof c->taken);
  }
}

/* A vote blocks new packages until a day, or for a number of days from
 * the day the block falls on (which may be drawn, s8c). */
void truce__aid_block(truce_sim* sim, const truce__event* e) {
  sim->b[e->backer].blocked_until =
      e->duration_days > 0 ? e->day + (int)e->duration_days : e->until_day;
}

/* Approvals resume. */
void truce__aid_unblock(truce_sim* sim, const truce__event* e) {
  sim->b[e->backer].blocked_until = e->day;
}

/* An appropriation: no will or vote needed. Sized in months of budget or
 * in EUR (then worth eur / budget months, for recruitment money). */
void truce__aid_package(truce_sim* sim, const truce__event* e) {
  const truce__backer* bp = &sim->p.backer[e->backer];
  double budget = bp->budget_per_month * bp->budget_scale;
  if (!(bp->active > 0.5)) return;
  if (e->eur > 0)
    truce__aid_commit(sim, (size_t)e->backer, e->eur,
                      budget > 0 ? e->eur / budget : bp->package_months, true);
  else
    truce__aid_commit(sim, (size_t)e->backer, budget * e->months, e->months,
                      true);
}

void truce__aid_enter(truce_sim* sim, const truce__event* e) {
  sim->p.backer[e->backer].active = 1;
}

void truce__aid_exit(truce_sim* sim, const truce__event* e) {
  sim->p.backer[e->backer].active = 0;
}

/* ------------------------------------------------------------ Records */

void truce__aid_record(const truce_sim* sim, truce_day* out) {
  out->n_backers = (int)sim->m->n_backers;
  for (size_t b = 0; b < sim->m->n_backers; b++) {
    const backer_state* bs = &sim->b[b];
    truce_backer_state* o = &out->backer[b];
    o->committed = bs->committed;
    o->delivered = bs->delivered;
    o->pending = bs->pending;
    o->will = bs->will;
    o->attention = truce__aid_attention(sim, b);
    o->packages = bs->packages;
    o->ammunition_committed = bs->units_committed[0];
    o->ammunition_delivered = bs->units_delivered[0];
    o->equipment_committed = bs->units_committed[1];
    o->equipment_delivered = bs->units_delivered[1];
  }
}

int truce_sim_backer_outcome(const truce_sim* sim, size_t b,
                             truce_backer_outcome* out) {
  if (!sim) return TRUCE_EINVAL; /* no context to record in */
  TRUCE_CHECK_ARGS(sim->ctx, out);
  if (b >= sim->m->n_backers)
    return TRUCE_FAIL(sim->ctx, TRUCE_EINVAL,
                      "backer %zu; expected one of the scenario's %zu", b,
                      sim->m->n_backers);
  const backer_state* bs = &sim->b[b];
  out->committed_total = bs->committed;
  out->delivered_total = bs->delivered;
  int tail = (int)sim->m->horizon_days - bs->last_package;
  out->longest_gap_days = tail > bs->longest_gap ? tail : bs->longest_gap;
  out->packages = bs->packages;
  return 0;
}
