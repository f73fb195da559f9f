/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Personnel pipelines (docs/model.md s3): pool -> training -> front ->
 * {wounded -> front | discharged, killed, missing}, scheduled arrivals,
 * non-combat losses, and the conservation of persons and of rounds
 * checked on every step. Delayed moves (graduates, returning and
 * discharged wounded) wait in ring buffers indexed by day.
 */
#include <math.h>

#include "sim_int.h"

/* s3: n soldiers reach the front, up to its room under front_max (0: no
 * limit); the rest wait in the rear as its reserve (counted in training)
 * and replace losses as room opens (rotation). Whole counts when
 * stochastic. */
static void to_front(truce_sim* sim, int i, double n) {
  side_state* s = &sim->s[i];
  double cap = sim->p.side[i].front_max, go = n;
  if (cap > 0) {
    double room = cap + s->formed - s->front;
    if (sim->stochastic) room = floor(room);
    if (room < 0) room = 0;
    if (go > room) go = room;
  }
  s->front += go;
  s->held += n - go;
  s->training += n - go;
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

void truce__personnel_inflow(truce_sim* sim, double t, double dt,
                             step_state* st) {
  const truce__model* m = sim->m;
  for (int i = 0; i < 2; i++) {
    side_state* s = &sim->s[i];
    const truce__side* sp = &sim->p.side[i];
    double boost = truce__aid_recruit_boost(sim, i); /* s8b */
    double r = truce__draw_poisson(
        sim, i, TRUCE_ST_RECRUIT,
        (sp->recruits_per_month + boost) / DAYS_PER_MONTH * dt);
    if (r > s->pool) r = s->pool;
    s->pool -= r;
    int td = (int)sp->training_days;
    if (td <= 0) {
      to_front(sim, i, r);
    } else {
      s->training += r;
      s->train_q[truce__due(sim, sim->day + td)] += r;
    }
    double arr = 0;
    if (m->n_arrivals[i]) {
      double a0 = arrivals_until(m, i, t), a1 = arrivals_until(m, i, t + dt);
      arr = sim->stochastic ? floor(a1 + 1e-9) - floor(a0 + 1e-9) : a1 - a0;
    }
    st->in[i] = arr / dt;
    st->F0[i] = s->front;
    s->inflow += arr;
  }
}

void truce__personnel_losses(truce_sim* sim, double dt, step_state* st) {
  for (int i = 0; i < 2; i++) {
    side_state* s = &sim->s[i];
    const truce__side* sp = &sim->p.side[i];
    double avail = st->F0[i] + st->in[i] * dt;
    double c = truce__draw_poisson(sim, i, TRUCE_ST_CASUALTY, st->lam[i]);
    if (c > avail) c = avail;
    s->front = avail - c;
    st->cas[i] = c;
    /* s2b: casualties by channel in proportion to their expectations, and
     * the recent loss rate the assault effort eases with. */
    if (st->lam[i] > 0)
      for (int k = 0; k < TRUCE_N_CAS; k++)
        s->cas_ch[k] += c * (st->lam_ch[i][k] / st->lam[i]);
    if (sp->loss_limit > 0)
      s->loss_rate += (c / dt - s->loss_rate) * (dt / sp->loss_memory_days);
    /* Split casualties: killed, wounded, missing (a multinomial draw). */
    double k =
        truce__draw_binomial(sim, i, TRUCE_ST_SPLIT, sp->killed_share, c);
    double rest = 1 - sp->killed_share;
    double w = rest > 0 ? truce__draw_binomial(sim, i, TRUCE_ST_SPLIT,
                                               sp->wounded_share / rest, c - k)
                        : 0;
    if (w > c - k) w = c - k;
    double mi = c - k - w;
    if (mi < 0) mi = 0; /* rounding in deterministic mode */
    s->killed += k;
    s->missing += mi;
    s->casualties += c;
    double back = truce__draw_binomial(sim, i, TRUCE_ST_RETURN,
                                       sp->wounded_return_share, w);
    int rd = (int)sp->wounded_return_days;
    if (rd <= 0) {
      to_front(sim, i, back);
      s->discharged += w - back;
    } else {
      s->wounded += w;
      size_t slot = truce__due(sim, sim->day + rd);
      s->ret_q[slot] += back;
      s->disc_q[slot] += w - back;
    }
    /* Non-combat losses (illness, desertion, end of service) leave the
     * front alive: a constant hazard per month. */
    double h = 1 - exp(-sp->noncombat_loss_per_month / DAYS_PER_MONTH * dt);
    double gone = truce__draw_binomial(sim, i, TRUCE_ST_NONCOMBAT, h, s->front);
    s->front -= gone;
    s->discharged += gone;
  }
}

/* s3: the rear reserve R forms new units at the rate kappa a month: each
 * day R (1 - e^(-kappa / 30.436875)) go to the front, no more than its
 * equipment can equip (E / Q - F, s4, for a side with equipment), whole
 * persons when stochastic, and raise its capacity by as many, so the new
 * units keep their strength as the old ones do. */
static void commit_reserve(truce_sim* sim, int i) {
  side_state* s = &sim->s[i];
  const truce__side* sp = &sim->p.side[i];
  double k = sp->reserve_commit_per_month;
  if (!(k > 0) || !(s->held > 0)) return;
  double c = s->held * -expm1(-k / DAYS_PER_MONTH);
  if (sim->m->n_equip[i]) {
    double room = truce__equipped(sim, i) / sp->quality - s->front;
    c = room > 0 ? fmin(c, room) : 0;
  }
  if (sim->stochastic) c = floor(c);
  s->held -= c;
  s->training -= c;
  s->front += c;
  s->formed += c;
}

void truce__personnel_due(truce_sim* sim) {
  int slot = sim->day % RING;
  for (int i = 0; i < 2; i++) {
    side_state* s = &sim->s[i];
    double g = s->train_q[slot], b = s->ret_q[slot], d = s->disc_q[slot];
    double h = s->held;
    s->training -= g + h;
    s->held = 0;
    to_front(sim, i, g + b + h);
    commit_reserve(sim, i);
    s->wounded -= b + d;
    s->discharged += d;
    s->train_q[slot] = s->ret_q[slot] = s->disc_q[slot] = 0;
    if (s->training < 0 && s->training > -1e-6) s->training = 0;
    if (s->wounded < 0 && s->wounded > -1e-6) s->wounded = 0;
  }
}

static double total_persons(const side_state* s) {
  return s->pool + s->training + s->front + s->wounded + s->killed +
         s->missing + s->discharged;
}

/* s5: every channel's stock is what came in less what was fired. */
static int check_rounds(truce_sim* sim, int i, double t) {
  const side_state* s = &sim->s[i];
  for (int c = 0; c < TRUCE_N_FIRES; c++) {
    double expect = s->rounds_in[c] - s->rounds_fired[c];
    double tol = 1e-9 * (s->rounds_in[c] > 1 ? s->rounds_in[c] : 1);
    if (!(fabs(s->stock[c] - expect) <= tol) || s->stock[c] < -tol)
      return TRUCE_FAIL(sim->ctx, TRUCE_EINTERNAL,
                        "rounds not conserved for side %d, channel %d at "
                        "t=%.6f: %.17g on hand, %.17g expected",
                        i, c, t, s->stock[c], expect);
  }
  return 0;
}

int truce__check_conservation(truce_sim* sim, double t) {
  for (int i = 0; i < 2; i++) {
    const side_state* s = &sim->s[i];
    int rc = check_rounds(sim, i, t);
    if (rc) return rc;
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
