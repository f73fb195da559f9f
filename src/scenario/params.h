/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The scenario's numeric parameters as the engine reads them. Every number
 * a scenario file, an override (--set) or an event can change lives in
 * truce__params, addressed by byte offset, so one path resolver serves the
 * loader, --set and dated `set` events alike.
 */
#ifndef TRUCE_PARAMS_H
#define TRUCE_PARAMS_H

#include <stddef.h>

#include "nego.h"
#include "truce/rng.h"
#include "truce/scenario.h"

#define TRUCE_MAX_EQUIP 8
#define TRUCE_MAX_ARRIVALS 16
#define TRUCE_ID_MAX 32
#define TRUCE_DISPLAY_MAX 64 /* a display name's bytes, with its NUL */
#define TRUCE_MAX_DELAY_DAYS 3650

enum { TRUCE_POSTURE_DEFEND, TRUCE_POSTURE_ATTACK };

typedef struct {
  double from, to, men; /* men arrive at a constant rate over [from, to) */
} truce__arrival;

typedef struct {
  double stock, production_per_month, loss_per_casualty, loss_per_day;
  double soldiers_per_item, weight;
} truce__equip;

/* A fires channel (docs/model.md s5): 0 artillery (`ammunition`), 1 drones
 * and other precision fires (`drones`). Every effect defaults to 0. */
enum { TRUCE_FIRE_ARTILLERY, TRUCE_FIRE_DRONES, TRUCE_N_FIRES };
typedef struct {
  double stock, production_per_month, demand_per_day, elasticity;
  double cover_days;     /* fire the stock down over this many days; 0: all */
  double kill_per_round; /* casualties per round on the enemy's positions */
  double assault_hazard; /* hazard on enemy assaulters per round/day/km */
} truce__fires;

typedef struct {
  double front, pool, recruits_per_month, training_days;
  double training; /* in training at the start, graduating evenly, s3 */
  double killed_share, wounded_share, missing_share;
  double wounded_return_share, wounded_return_days;
  double noncombat_loss_per_month; /* fraction of the front per month */
  double front_max; /* most soldiers at the front (0: no limit), s3 */
  double reserve_commit_per_month; /* the rear reserve's rate of forming
                                      new units at the front (0: off), s3 */
  double quality, exhaustion_threshold, posture;
  double capable_threshold; /* combat power below which it is exhausted */
  double coefficient;       /* combat.coefficients.<id> */
  double territory;         /* front.territory.<id> */
  truce__fires fire[TRUCE_N_FIRES];
  /* The assault (docs/model.md s2b): the share of the front in assaults
   * per day when attacking, its cap, the soldiers per km that hold the
   * line and are not available, the casualty rate (share of the front per
   * day) at which the effort halves (0: no easing) and its memory. */
  double effort, effort_max, hold_per_km, loss_limit, loss_memory_days;
  double objective; /* territory share at which it stops assaulting (0: none) */
  truce__equip equip[TRUCE_MAX_EQUIP];
} truce__side;

#define TRUCE_MAX_BACKERS 8
/* What a backer's money buys: item 0 is ammunition, 1.. the recipient's
 * equipment classes (in its order), the last one recruitment. */
#define TRUCE_BACKER_ITEMS (TRUCE_MAX_EQUIP + 2)
#define TRUCE_ITEM_AMMO 0
#define TRUCE_ITEM_RECRUIT (TRUCE_BACKER_ITEMS - 1)

typedef struct {
  double share, unit_cost, capacity_per_month;
  double releasable_stock; /* units deliverable beyond capacity, once */
  double in_transit;       /* units committed before the start, pending */
} truce__buy;

typedef struct {
  double budget_per_month, budget_scale;
  double will_initial, will_mean, will_reversion, will_volatility;
  double attention, approval_threshold, approval_per_month;
  double package_months, delivery_days, recruits_per_million;
  double active; /* 1 while the backer takes part */
  truce__buy buy[TRUCE_BACKER_ITEMS];
} truce__backer;

typedef struct {
  double law; /* an index into the law table (src/sim/laws.h) */
  double W, p, q, defender_advantage, intensity;
  double ces_alpha, ces_rho, ces_scale;
  double length_km, area_km2, advance_km_per_day, advance_exponent;
  double breakthrough_km_per_day;
  double density_hazard; /* s2b: hazard per defender soldier per km */
  /* s6: the grind and the density breakthrough (0: off) */
  double grind_km_per_day, fortification, breakthrough_density;
  double exploitation_depth_km;
  double stalemate_window_days, stalemate_km2;
  truce__side side[2];
  truce__backer backer[TRUCE_MAX_BACKERS];
  truce__nego nego; /* its numbers may be uncertain and --set like any */
} truce__params;

/* What kind of event (the table of src/sim/events.h). */
typedef struct truce__event_type truce__event_type;

/* An event of the file (src/sim/events.c): one action on a day. An
 * uncertain event (docs/model.md s8c) happens with `probability`, on `day`
 * plus a drawn delay, and as one branch of its item when the item has
 * branches; its uncertain numbers are the scenario's ev_unc entries
 * [unc0, unc0 + n_unc) (and delay_unc), each drawn per run on a stream
 * keyed by the event's id, so that no other event moves its draws. */
typedef struct {
  int day;
  const truce__event_type* type;
  uint64_t key;         /* stream of the occurrence and branch draws */
  double probability;   /* chance the event happens in a run (1: always) */
  double branch_lo;     /* a branch: happens when the branch draw falls */
  double branch_hi;     /* in [branch_lo, branch_hi) (0, 1: no branches) */
  bool modal;           /* its item's likeliest branch (deterministic mode) */
  bool uncertain;       /* any of the above or an uncertain number */
  bool known;           /* a known outcome (an overlay's record) */
  double delay_days;    /* the day is day + floor(delay_days) */
  int delay_unc;        /* ev_unc entry of the delay, -1 if fixed */
  unsigned unc0, n_unc; /* its uncertain numbers in ev_unc */
  int side;
  size_t off;                          /* set: offset into truce__params */
  double value;                        /* set: new value */
  double intensity, duration_days;     /* offensive */
  double pool_add, recruits_per_month; /* mobilisation; recruits < 0: keep */
  int backer;                          /* block / enter / exit / package */
  int until_day;                   /* block: packages blocked until this day */
  double taken[TRUCE_MAX_BACKERS]; /* crisis: attention share taken */
  double months;                   /* package: months of budget */
  double eur;                      /* package: money, EUR (months: 0) */
  double recruits_factor;          /* mobilisation: recruitment x this */
} truce__event;

/* The parts of a scenario the engine needs (scenario.c owns the rest). */
typedef struct {
  truce__params params;
  size_t n_equip[2];
  size_t n_arrivals[2];
  truce__arrival arrivals[2][TRUCE_MAX_ARRIVALS];
  size_t n_backers;
  int backer_side[TRUCE_MAX_BACKERS]; /* the side each supports */
  bool backer_buys[TRUCE_MAX_BACKERS][TRUCE_BACKER_ITEMS];
  truce__event* events; /* sorted by day, stable */
  size_t n_events;
  size_t cap_events;   /* room in events (its allocated count) */
  double horizon_days; /* whole days, stored as double like every field */
  double time_step;
  unsigned long long seed;
} truce__model;

const truce__model* truce__scenario_model(const truce_scenario* sc);

/* Draw run `run`'s value of every uncertain parameter into p (inversion of
 * one uniform from stream (seed, run, hash of the path)); values[] gets
 * them in order when not NULL. rng is scratch. */
void truce__scenario_sample(const truce_scenario* sc, truce_rng* rng,
                            uint64_t run, truce__params* p, double* values);
/* Put the uncertain parameters' values[] (as sample or points gave them)
 * into p. */
void truce__scenario_put(const truce_scenario* sc, const double* values,
                         truce__params* p);
/* Put every uncertain parameter's point value into p. */
void truce__scenario_points(const truce_scenario* sc, truce__params* p,
                            double* values);

#endif
