/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * truce/sim.h: one run of the attrition engine.
 *
 * A truce_sim is a workspace bound to one scenario: allocate it once, then
 * run as many replications as needed; nothing is allocated inside a run.
 * Deterministic mode integrates expected values (RK4 for the attrition
 * laws); stochastic mode draws Poisson and binomial counts per step from
 * streams keyed by (seed, run, stream id). See docs/model.md.
 */
#ifndef TRUCE_SIM_H
#define TRUCE_SIM_H

#include "truce/core.h"
#include "truce/scenario.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct truce_sim truce_sim;

enum { TRUCE_SIM_STOCHASTIC = 0u, TRUCE_SIM_DETERMINISTIC = 1u };

/* State of one side at the end of a day. All fields public, read-only
 * (truce_day.side). Persons are in exactly one of pool, training, front,
 * wounded, killed, missing, discharged; `inflow` counts those who entered
 * from outside the model (scheduled arrivals), so pool+training+front+
 * wounded+killed+missing+discharged == initial + inflow on every step. */
typedef struct {
  double pool, training, front, wounded, killed, missing, discharged;
  double inflow;     /* cumulative arrivals from outside */
  double casualties; /* cumulative killed + wounded + missing */
  double power;      /* combat power, effective soldiers */
  double equipment;  /* items of all classes */
  double ammunition; /* artillery rounds in stock */
  double drones;     /* drones and other precision munitions in stock */
  double rounds_fired, drones_fired; /* fired during the day */
  /* Cumulative casualties by channel (docs/model.md s2b): from the
   * enemy's artillery, its drones, its infantry against own assaults; the
   * rest of `casualties` is the attrition law's. */
  double casualties_artillery, casualties_drones, casualties_assault;
  double effort;    /* share of the front in assaults per day */
  double territory; /* share of the contested area held */
  int exhausted;    /* front or capable strength below its threshold */
} truce_side_state;

#define TRUCE_BACKERS_MAX 8

/* A backer at the end of a day. All fields public, read-only
 * (truce_day.backer). Values are in the scenario's money unit; committed =
 * delivered + pending at all times. */
typedef struct {
  double committed; /* cumulative value of approved packages */
  double delivered; /* cumulative value delivered (money: at once) */
  double pending;   /* approved, not yet delivered */
  double will, attention;
  int packages; /* packages approved so far */
  double ammunition_committed, ammunition_delivered; /* rounds */
  double equipment_committed, equipment_delivered;   /* items, all classes */
} truce_backer_state;

/* One day of a run. All fields public, read-only; valid during the
 * callback it is passed to (truce_day_fn, a hook's day). */
typedef struct {
  int day;  /* 0 = initial state; d = after d days */
  double t; /* time in days */
  truce_side_state side[2];
  int n_backers;
  truce_backer_state backer[TRUCE_BACKERS_MAX];
} truce_day;

/* A backer's totals over a run. All fields public, read-only;
 * truce_sim_backer_outcome (and truce_ensemble_backer_outcome) fill the
 * caller's struct. */
typedef struct {
  double committed_total, delivered_total;
  int longest_gap_days; /* longest stretch without a new package */
  int packages;
} truce_backer_outcome;

/* Called after day 0 and each day; a non-zero return stops the run and is
 * returned by truce_sim_run. */
typedef int (*truce_day_fn)(void* user, const truce_day* day);

/* A side's outcome of a run. All fields public, read-only;
 * truce_sim_outcome (and truce_ensemble_outcome) fill the caller's struct. */
typedef struct {
  double front_end;        /* front strength at the horizon */
  double casualties_total; /* killed + wounded + missing at the horizon */
  int exhaustion_day;   /* first day exhausted (docs/model.md s9); -1: never */
  double territory_end; /* share of the contested area at the horizon */
} truce_side_outcome;

/* The attrition laws (docs/model.md s2), in the engine's table order: the
 * values of combat.law and of truce_calib_spec.law. */
TRUCE_API size_t truce_law_count(void);
/* Law i's name; NULL when i >= truce_law_count(). */
TRUCE_API const char* truce_law_name(size_t law);
/* The index of the law called `name`, or -1. */
TRUCE_API int truce_law_index(const char* name);

/* A per-run outcome of each side (docs/outputs.md), from the engine's
 * table: the column of runs.csv and results.db and the key of
 * summary.json, its unit, and how it is read from the run's recorded days
 * (a small accumulator). A day outcome is NaN when it never happens. */
#define TRUCE_OUTCOME_STATE 16
typedef struct {
  const char* name; /* public, read-only */
  const char* unit; /* public, read-only */
  int is_day;       /* public, read-only: a day number (NaN: never) */
  /* the accumulator, over TRUCE_OUTCOME_STATE doubles: */
  void (*begin)(double* st);                                   /* private */
  void (*day)(double* st, const truce_side_state* s, int day); /* private */
  double (*value)(const double* st);                           /* private */
} truce_outcome_info;

TRUCE_API size_t truce_outcome_count(void);
/* Outcome k; NULL when k >= truce_outcome_count(). */
TRUCE_API const truce_outcome_info* truce_outcome(size_t k);
/* The index of the outcome called `name`, or -1. */
TRUCE_API int truce_outcome_index(const char* name);

TRUCE_API int truce_sim_new(truce_ctx* ctx, const truce_scenario* sc,
                            truce_sim** out);
/* Run replication `run` (its streams are keyed by the scenario seed and
 * run). flags: TRUCE_SIM_DETERMINISTIC or TRUCE_SIM_STOCHASTIC. fn may be
 * NULL. Fails with TRUCE_EINTERNAL if conservation is ever violated. */
TRUCE_API int truce_sim_run(truce_sim* sim, uint64_t run, unsigned flags,
                            truce_day_fn fn, void* user);
/* Outcome k (truce_outcome) of the last run for side i; NaN when out of
 * range or, for a day outcome, when it never happened. */
TRUCE_API double truce_sim_outcome_value(const truce_sim* sim, size_t side,
                                         size_t k);
/* Outcome of the last run for side i (0 or 1). */
TRUCE_API int truce_sim_outcome(const truce_sim* sim, size_t i,
                                truce_side_outcome* out);
/* Outcome of the last run for backer b. */
TRUCE_API int truce_sim_backer_outcome(const truce_sim* sim, size_t b,
                                       truce_backer_outcome* out);
/* The uncertain parameters' values in the last run (in the order of
 * truce_scenario_uncertain_path); point values in deterministic mode. */
TRUCE_API const double* truce_sim_param_values(const truce_sim* sim);
TRUCE_API void truce_sim_free(truce_sim* sim);

#ifdef __cplusplus
}
#endif
#endif
