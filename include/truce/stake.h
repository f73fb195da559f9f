/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * truce/stake.h: where a group of many actors lands.
 *
 * Actors have a capability and, per dimension (issue), a position and a
 * salience. Four models predict the outcome: the compromise model
 * (capability x salience weighted mean), the weighted median, Bueno de
 * Mesquita's expected-utility challenge model (as reconstructed by Scholz,
 * Calbert & Smith 2011) and a spatial model with probabilistic Condorcet
 * elections in the spirit of KTAB's SMP. See docs/stake.md.
 */
#ifndef TRUCE_STAKE_H
#define TRUCE_STAKE_H

#include "truce/core.h"
#include "truce/scenario.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct truce_stake truce_stake;

typedef enum {
  TRUCE_STAKE_COMPROMISE,
  TRUCE_STAKE_MEDIAN,
  TRUCE_STAKE_CHALLENGE,
  TRUCE_STAKE_PCE,
  TRUCE_STAKE_MODEL_COUNT
} truce_stake_model;

/* "compromise", "median", "challenge", "pce"; and back (-1 if unknown). */
TRUCE_API const char* truce_stake_model_name(int model);
TRUCE_API int truce_stake_model_parse(const char* name);

/* Load KTAB's CSV format (.csv) or truce's YAML form (.yaml, .yml).
 * Errors record their place in the file (truce_ctx_file/line/column). */
TRUCE_API int truce_stake_load(truce_ctx* ctx, const char* path,
                               truce_stake** out);
/* Build from arrays: cap[n], pos[n*d] and sal[n*d] (row per actor);
 * positions on [lo, hi], saliences on [0, 100]. Copies the data. */
TRUCE_API int truce_stake_from_arrays(truce_ctx* ctx, size_t n, size_t d,
                                      const double* cap, const double* pos,
                                      const double* sal, double lo, double hi,
                                      truce_stake** out);
TRUCE_API void truce_stake_free(truce_stake* st);
TRUCE_API const char* truce_stake_name(const truce_stake* st);
TRUCE_API size_t truce_stake_actor_count(const truce_stake* st);
TRUCE_API size_t truce_stake_dim_count(const truce_stake* st);
TRUCE_API const char* truce_stake_actor_name(const truce_stake* st, size_t i);
TRUCE_API const char* truce_stake_dim_name(const truce_stake* st, size_t k);

/* How pce and challenge sum the actors' positions into the group's. */
typedef enum {
  TRUCE_STAKE_AGG_MEAN,  /* the weighted mean */
  TRUCE_STAKE_AGG_MEDIAN /* the weighted median */
} truce_stake_aggregate;

/* All fields public; set by the caller (start from
 * truce_stake_opts_default()). */
typedef struct {
  double gamma; /* pce: contest exponent of the Condorcet elections */
  double risk;  /* pce: exponent on distance (1 neutral, >1 averse) */
  truce_stake_aggregate aggregate; /* pce/challenge: the group's position */
  int max_rounds;                  /* dynamic models (default 100) */
  double stop_share; /* pce: stop when movement < this x the first round's */
} truce_stake_opts;

TRUCE_API truce_stake_opts truce_stake_opts_default(void);

/* A prediction. All fields public, read-only; arrays owned by the result,
 * freed with truce_stake_result_free(ctx, r). */
typedef struct {
  int model;
  size_t dims;
  double* outcome;    /* one number per dimension, on the input's scale */
  int rounds;         /* dynamic models: rounds run (0 for static) */
  int converged;      /* dynamic models: stopped by the convergence rule */
  double* trajectory; /* (rounds + 1) x dims: the outcome after each round */
  size_t actors;
  double* positions; /* actors x dims at the end (input scale) */
} truce_stake_result;

TRUCE_API int truce_stake_solve(truce_ctx* ctx, const truce_stake* st,
                                int model, const truce_stake_opts* opts,
                                truce_stake_result** out);
/* NULL accepted. ctx: the one passed to truce_stake_solve. */
TRUCE_API void truce_stake_result_free(truce_ctx* ctx, truce_stake_result* r);

/* Apply a scenario's stakeholder links: solve each group and set the
 * linked number (provenance: the group, model and file). Errors in a
 * group's file carry its FILE:LINE:COL. */
TRUCE_API int truce_stake_apply(truce_ctx* ctx, truce_scenario* sc);

/* Back-test on a DEU III file (tab-separated, as distributed by
 * blksv/predictioneers_game): one row per model (and variants), with the
 * mean absolute error over the scorable issues and a bootstrap 95%
 * interval (`boot` resamples, seeded). All fields public, read-only
 * (truce_backtest.rows). */
typedef struct {
  char name[48];
  size_t n; /* issues scored */
  double mae, lo, hi;
} truce_backtest_row;

/* All fields public, read-only; truce_stake_backtest fills the caller's
 * struct. */
typedef struct {
  truce_backtest_row rows[16];
  size_t n_rows;
  /* Held-out check of the pce model: parameters fitted on a seeded random
   * half of the issues, scored with the compromise model on the other. */
  char fitted[160];
  size_t n_test;
  double pce_test_mae, compromise_test_mae;
} truce_backtest;

TRUCE_API int truce_stake_backtest(truce_ctx* ctx, const char* path,
                                   uint64_t seed, int boot,
                                   truce_backtest* out);

#ifdef __cplusplus
}
#endif
#endif
