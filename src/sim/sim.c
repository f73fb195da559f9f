/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The attrition engine: one run of a two-sided war, day by day, with
 * sub-steps when time_step < 1 (docs/model.md s1). This file holds the
 * workspace, the run loop and the day step, which calls one phase per
 * section of docs/model.md, each in the file of its concept: laws.c and
 * combat.c (s2, s4), personnel.c (s3), logistics.c (s5), front.c (s6, s7,
 * s9), events.c (s8), aid.c (s8b). Deterministic mode uses expected
 * values; stochastic mode draws Poisson and binomial counts with those
 * expected values (tau-leaping). Conservation of persons is checked on
 * every step.
 */
#include <math.h>
#include <string.h>

#include "events.h"
#include "sim_int.h"

/* ------------------------------------------------------------ The step */

/* One sub-step [t, t + dt) (s1): each phase reads what the previous ones
 * left in `st`. */
static void step(truce_sim* sim, double t, double dt) {
  step_state st;
  truce__personnel_inflow(sim, t, dt, &st); /* s3: recruits, arrivals */
  truce__fires_plan(sim, dt, &st);          /* s5, s4: rounds fired */
  truce__combat_losses(sim, t, dt, &st);    /* s2, s4: expected losses */
  truce__personnel_losses(sim, dt, &st);    /* s3: casualties and wounded */
  truce__logistics(sim, dt, &st);           /* s5: equipment, ammunition */
  truce__combat_power_end(sim);             /* s4: power at the step's end */
  truce__front_move(sim, dt, &st);          /* s6: the front */
}

/* One day (s1): what is due, the day's events, the backers, the steps. */
static int day_step(truce_sim* sim, int day, int steps, size_t* ev) {
  const truce__model* m = sim->m;
  double dt = 1.0 / steps;
  sim->day = day;
  truce__personnel_due(sim);  /* s3: graduates and wounded due today */
  truce__offensives_end(sim); /* s7 */
  while (*ev < sim->n_ev && sim->ev[*ev].day == day) { /* s8 */
    const truce__event* e = &sim->ev[(*ev)++];
    e->type->apply(sim, e);
  }
  for (size_t b = 0; b < m->n_backers; b++) truce__aid_day(sim, b); /* s8b */
  sim->due_from = day + 1; /* today's slots are empty now */
  for (int i = 0; i < 2; i++)
    for (int c = 0; c < TRUCE_N_FIRES; c++) sim->s[i].fired_day[c] = 0;
  for (int k = 0; k < steps; k++) {
    double t = day + (double)k / steps;
    step(sim, t, dt);
    int rc = truce__check_conservation(sim, t + dt); /* s3 */
    if (rc) return rc;
  }
  truce__check_exhaustion(sim, day + 1); /* s9 */
  return 0;
}

static void record(truce_sim* sim, int day, truce_day* out) {
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
    o->ammunition = s->stock[TRUCE_FIRE_ARTILLERY];
    o->drones = s->stock[TRUCE_FIRE_DRONES];
    o->rounds_fired = s->fired_day[TRUCE_FIRE_ARTILLERY];
    o->drones_fired = s->fired_day[TRUCE_FIRE_DRONES];
    o->casualties_artillery = s->cas_ch[TRUCE_CAS_FIRES + TRUCE_FIRE_ARTILLERY];
    o->casualties_drones = s->cas_ch[TRUCE_CAS_FIRES + TRUCE_FIRE_DRONES];
    o->casualties_assault = s->cas_ch[TRUCE_CAS_ASSAULT];
    o->effort = s->effort;
    o->territory = s->territory;
    o->power = s->power;
    o->exhausted = truce__exhausted(sim, i);
  }
  truce__aid_record(sim, out);
  truce__outcomes_day(sim, out);
}

/* ------------------------------------------------------------ A run */

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

/* s3: the soldiers in training at the start graduate evenly over the
 * first training_days days (whole persons in stochastic mode), as if
 * recruited at a constant rate before the start; without training days
 * they start at the front. */
static void start_training(truce_sim* sim, int i) {
  side_state* s = &sim->s[i];
  const truce__side* sp = &sim->p.side[i];
  double w = sim->stochastic ? floor(sp->training + 0.5) : sp->training;
  int td = (int)sp->training_days;
  s->initial += w;
  if (td <= 0) {
    s->front += w;
    return;
  }
  s->training = w;
  for (int d = 0; d < td; d++)
    s->train_q[truce__due(sim, d)] +=
        sim->stochastic ? floor(w * (d + 1) / td) - floor(w * d / td) : w / td;
}

/* Side i at the start of a run (s3: whole persons in stochastic mode). */
static void reset_side(truce_sim* sim, int i, uint64_t run) {
  const truce__model* m = sim->m;
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
  start_training(sim, i);
  for (size_t k = 0; k < m->n_equip[i]; k++) s->equip[k] = sp->equip[k].stock;
  for (int c = 0; c < TRUCE_N_FIRES; c++)
    s->stock[c] = s->rounds_in[c] = sp->fire[c].stock;
  s->ammo_mult = 1;
  s->territory = sp->territory;
  s->off_mult = 1;
  s->off_until = -1;
  s->exhaustion_day = -1;
  s->power = truce__power(sim, i, s->front, truce__equipped(sim, i));
  for (int st = 0; st < TRUCE_ST_COUNT; st++)
    truce_rng_reset(sim->rng[i][st], m->seed, run, TRUCE_STREAM_SIDE(i, st));
}

static int reset(truce_sim* sim, uint64_t run) {
  const truce__model* m = sim->m;
  sim->p = m->params;
  if (sim->stochastic)
    truce__scenario_sample(sim->sc, sim->prng, run, &sim->p, sim->values);
  else
    truce__scenario_points(sim->sc, &sim->p, sim->values);
  /* Drawn casualty shares are renormalised to sum to 1 (s10). */
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
  for (size_t b = 0; b < m->n_backers; b++) truce__aid_reset(sim, b, run);
  for (int i = 0; i < 2; i++) reset_side(sim, i, run);
  return truce__events_draw(sim, run); /* s8c */
}

/* ---------------------------------------------------------- Public API */

int truce_sim_new(truce_ctx* ctx, const truce_scenario* sc, truce_sim** out) {
  TRUCE_CHECK_ARGS(ctx, sc && out);
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
  sim->ev = truce__calloc(ctx, sim->m->n_events + 1, sizeof *sim->ev);
  int rc = sim->queues && sim->values && sim->ev ? 0 : TRUCE_ENOMEM;
  if (!rc) rc = truce_rng_new(ctx, 0, 0, 0, &sim->prng);
  size_t nb = sim->m->n_backers;
  if (!rc && nb) {
    sim->bqueues =
        truce__calloc(ctx, nb * (size_t)RING * (NI + 1), sizeof(double));
    if (!sim->bqueues) rc = TRUCE_ENOMEM;
  }
  for (size_t b = 0; b < nb && !rc; b++) {
    sim->b[b].queue = sim->bqueues + b * (size_t)RING * (NI + 1);
    sim->b[b].boost_end = sim->b[b].queue + (size_t)RING * NI;
    for (int k = 0; k < 2 && !rc; k++)
      rc = truce_rng_new(ctx, sim->m->seed, 0, TRUCE_STREAM_BACKER(b, k),
                         &sim->brng[b][k]);
  }
  for (int i = 0; i < 2 && !rc; i++) {
    sim->s[i].train_q = sim->queues + (size_t)(3 * i) * RING;
    sim->s[i].ret_q = sim->queues + (size_t)(3 * i + 1) * RING;
    sim->s[i].disc_q = sim->queues + (size_t)(3 * i + 2) * RING;
    for (int st = 0; st < TRUCE_ST_COUNT && !rc; st++)
      rc = truce_rng_new(ctx, sim->m->seed, 0, TRUCE_STREAM_SIDE(i, st),
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
    for (int st = 0; st < TRUCE_ST_COUNT; st++) truce_rng_free(sim->rng[i][st]);
  truce_rng_free(sim->prng);
  for (size_t b = 0; b < NB; b++)
    for (int k = 0; k < 2; k++) truce_rng_free(sim->brng[b][k]);
  truce__free(sim->ctx, sim->bqueues,
              sim->m->n_backers * (size_t)RING * (NI + 1) * sizeof(double));
  truce__free(sim->ctx, sim->values, (sim->n_values + 1) * sizeof(double));
  truce__free(sim->ctx, sim->ev, (sim->m->n_events + 1) * sizeof *sim->ev);
  truce__free(sim->ctx, sim->queues, 6 * (size_t)RING * sizeof(double));
  truce__free(sim->ctx, sim, sizeof *sim);
}

int truce_sim_run(truce_sim* sim, uint64_t run, unsigned flags, truce_day_fn fn,
                  void* user) {
  if (!sim) return TRUCE_EINVAL;
  const truce__model* m = sim->m;
  sim->stochastic = !(flags & TRUCE_SIM_DETERMINISTIC);
  int rc = reset(sim, run);
  if (rc) return rc;
  int steps = (int)floor(1.0 / m->time_step + 0.5);
  size_t ev = 0;
  truce_day rec;
  truce__check_exhaustion(sim, 0);
  record(sim, 0, &rec);
  if (fn && (rc = fn(user, &rec))) return rc;
  int horizon = (int)m->horizon_days;
  for (int day = 0; day < horizon; day++) {
    if ((rc = day_step(sim, day, steps, &ev))) return rc;
    record(sim, day + 1, &rec);
    if (fn && (rc = fn(user, &rec))) return rc;
  }
  return 0;
}

const double* truce_sim_param_values(const truce_sim* sim) {
  return sim ? sim->values : NULL;
}

int truce_sim_outcome(const truce_sim* sim, size_t i, truce_side_outcome* out) {
  if (!sim) return TRUCE_EINVAL; /* no context to record in */
  TRUCE_CHECK_ARGS(sim->ctx, out);
  if (i > 1)
    return TRUCE_FAIL(sim->ctx, TRUCE_EINVAL, "side %zu; expected 0 or 1", i);
  const side_state* s = &sim->s[i];
  out->front_end = s->front;
  out->casualties_total = s->casualties;
  out->exhaustion_day = s->exhaustion_day;
  out->territory_end = s->territory;
  return 0;
}
