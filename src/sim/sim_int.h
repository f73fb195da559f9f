/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The engine's internal state, shared by the files of src/sim/ only: one
 * file per part of docs/model.md (laws.c s2, personnel.c s3, combat.c s2
 * and s4, logistics.c s5, front.c s6 and s9, events.c s7 and s8, aid.c
 * s8b), with sim.c holding the workspace, the run and the day step.
 */
#ifndef TRUCE_SIM_INT_H
#define TRUCE_SIM_INT_H

#include "../scenario/params.h"
#include "truce/sim.h"
#include "truce_int.h"

#define DAYS_PER_MONTH 30.436875 /* 365.2425 / 12 */
#define RING (TRUCE_MAX_DELAY_DAYS + 1)

/* The processes of a side, each with its own random stream
 * (TRUCE_STREAM_SIDE in truce_int.h; docs/model.md s10). */
enum {
  TRUCE_ST_RECRUIT,   /* recruitment, s3 */
  TRUCE_ST_CASUALTY,  /* casualty counts, s2 */
  TRUCE_ST_SPLIT,     /* killed / wounded / missing, s3 */
  TRUCE_ST_RETURN,    /* wounded returning, s3 */
  TRUCE_ST_EQUIP,     /* equipment losses, s5 */
  TRUCE_ST_NONCOMBAT, /* non-combat losses, s3 */
  TRUCE_ST_COUNT
};
/* Casualties by channel (docs/model.md s2b): the attrition law of s2,
 * each fires channel of s5 (on positions and on assaulters), and the
 * defender's infantry against assaulters. */
enum {
  TRUCE_CAS_LAW,
  TRUCE_CAS_FIRES, /* TRUCE_N_FIRES channels from here */
  TRUCE_CAS_ASSAULT = TRUCE_CAS_FIRES + TRUCE_N_FIRES,
  TRUCE_N_CAS
};
/* A backer's two streams (TRUCE_STREAM_BACKER). */
enum { TRUCE_ST_WILL, TRUCE_ST_APPROVAL };

typedef struct {
  double pool, training, front, wounded, killed, missing, discharged;
  double inflow, casualties, initial;
  double equip[TRUCE_MAX_EQUIP];
  double stock[TRUCE_N_FIRES];     /* rounds on hand, by fires channel (s5) */
  double rounds_in[TRUCE_N_FIRES]; /* initial + produced + delivered */
  double rounds_fired[TRUCE_N_FIRES]; /* cumulative */
  double fired_day[TRUCE_N_FIRES];    /* fired during the current day */
  double ammo_mult; /* product over channels of (share met)^elasticity */
  double cas_ch[TRUCE_N_CAS]; /* cumulative casualties by channel, s2b */
  double loss_rate; /* casualties per day, averaged over loss_memory_days */
  double effort;    /* assault effort of the last step, s2b */
  double expl_km;   /* depth of the current breakthrough, s6 */
  double held;      /* the rear reserve waiting for room at the front (in
                       training), s3 */
  double formed;    /* soldiers committed from the reserve as new units:
                       the front's capacity above front_max, s3 */
  double power;     /* combat power at the end of the last step */
  double territory;
  double off_mult;       /* intensity of an active offensive, else 1 */
  int off_until;         /* day the offensive ends, -1 if none */
  double posture_before; /* posture to restore when it ends */
  double* train_q;       /* graduates due, by day % RING */
  double* ret_q;         /* wounded returning to the front, by day */
  double* disc_q;        /* wounded discharged, by day */
  int exhaustion_day;
} side_state;

#define MAX_CRISES 16
#define TRUCE_MAX_OUTCOMES 32 /* capacity for the outcome table */
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

/* What one sub-step carries from phase to phase (sim.c's step). */
typedef struct {
  double in[2]; /* scheduled arrivals per day over the step, s3 */
  double F0[2]; /* front strengths at the step's start */
  double P0[2]; /* combat power at the step's start, s4 */
  double fire[2][TRUCE_N_FIRES]; /* rounds fired over the step, s5 */
  double lam[2];                 /* expected casualties, s2 */
  double lam_ch[2][TRUCE_N_CAS]; /* of which by channel, s2b */
  double effort[2]; /* share of the front in assaults per day, s2b */
  double cas[2];    /* casualties drawn, s2 */
  double inten;     /* combat intensity I, s2 */
} step_state;

struct truce_sim {
  truce_ctx* ctx;
  backer_state b[NB];
  crisis crises[MAX_CRISES];
  int n_crises;
  truce_rng* brng[NB][2]; /* will, approval */
  double* bqueues;
  const truce_scenario* sc;
  const truce__model* m;
  truce_rng* prng; /* scratch stream for parameter draws */
  double* values;  /* this run's uncertain parameters */
  size_t n_values;
  truce__params p;  /* this run's parameters (events change them) */
  truce__event* ev; /* this run's events, drawn and sorted by day (s8c) */
  size_t n_ev;
  side_state s[2];
  truce_rng* rng[2][TRUCE_ST_COUNT];
  double* queues;
  bool stochastic;
  int day;
  int due_from, due_to; /* days whose ring slots may hold entries */
  /* per side and outcome (outcomes.c): the accumulators */
  double outcome[2][TRUCE_MAX_OUTCOMES][TRUCE_OUTCOME_STATE];
};

/* ------------------------------------------------------------ Helpers */

/* The ring slot of day `when`, noting that it holds an entry. */
static inline size_t truce__due(truce_sim* sim, int when) {
  if (when > sim->due_to) sim->due_to = when;
  return (size_t)(when % RING);
}

/* A Poisson count of mean `mean` from side i's stream st (the mean itself
 * in deterministic mode). */
static inline double truce__draw_poisson(truce_sim* sim, int i, int st,
                                         double mean) {
  return sim->stochastic ? truce_rng_poisson(sim->rng[i][st], mean) : mean;
}

/* A binomial count of n trials with probability p (n p deterministic). */
static inline double truce__draw_binomial(truce_sim* sim, int i, int st,
                                          double p, double n) {
  return sim->stochastic ? truce_rng_binomial(sim->rng[i][st], p, n) : p * n;
}

/* s2b, s6: side i holds its offensive objective (a territory share). */
static inline bool truce__at_objective(const truce_sim* sim, int i) {
  double o = sim->p.side[i].objective;
  return o > 0 && sim->s[i].territory >= o;
}

/* ------------------------------------------------------------ Phases
 * In the order of the day step (sim.c), each citing docs/model.md. */

/* s3: recruitment into training and scheduled arrivals. */
void truce__personnel_inflow(truce_sim* sim, double t, double dt,
                             step_state* st);
/* s5: rounds each channel fires over the step; s4: the ammunition factor. */
void truce__fires_plan(truce_sim* sim, double dt, step_state* st);
/* s2, s4: combat power at the step's start and expected casualties. */
void truce__combat_losses(truce_sim* sim, double t, double dt, step_state* st);
/* s3: casualties drawn and split; wounded returning; non-combat losses. */
void truce__personnel_losses(truce_sim* sim, double dt, step_state* st);
/* s5: equipment losses and production, rounds fired and produced. */
void truce__logistics(truce_sim* sim, double dt, const step_state* st);
/* s4: combat power at the step's end. */
void truce__combat_power_end(truce_sim* sim);
/* s6: the front moves. */
void truce__front_move(truce_sim* sim, double dt, const step_state* st);
/* s3: graduates and returning or discharged wounded due today. */
void truce__personnel_due(truce_sim* sim);
/* s7: an offensive that ends today ends. */
void truce__offensives_end(truce_sim* sim);
/* s3, s5: persons and rounds conserved on every step. */
int truce__check_conservation(truce_sim* sim, double t);

/* s4: combat power of side i with F soldiers and E equipped soldiers. */
double truce__power(const truce_sim* sim, int i, double F, double E);
/* s4: soldiers side i's equipment can equip. */
double truce__equipped(const truce_sim* sim, int i);
/* s9: exhausted (front or capable strength below its threshold). */
bool truce__exhausted(const truce_sim* sim, int i);
/* s9: record the first day each side is exhausted. */
void truce__check_exhaustion(truce_sim* sim, int day);

/* The outcome table (outcomes.c), fed each recorded day. */
extern const truce_outcome_info truce__outcomes[];
extern const size_t truce__n_outcomes;
void truce__outcomes_day(truce_sim* sim, const truce_day* d);

/* s8b: the backers (aid.c). */
void truce__aid_day(truce_sim* sim, size_t b);
void truce__aid_reset(truce_sim* sim, size_t b, uint64_t run);
double truce__aid_attention(const truce_sim* sim, size_t b);
double truce__aid_recruit_boost(const truce_sim* sim, int side);
void truce__aid_commit(truce_sim* sim, size_t b, double V, double months,
                       bool whole);
void truce__aid_record(const truce_sim* sim, truce_day* out);

#endif
