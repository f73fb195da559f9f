/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * truce/ensemble.h: many runs of a scenario, over threads (OpenMP) and
 * ranks (MPI, when built with it), summarised as they stream.
 *
 * Results are bit-identical whatever the thread and rank counts: every
 * run's random numbers depend only on (seed, run), and the summaries are
 * exact under merging (integer counts, fixed-point sums, histogram bins).
 */
#ifndef TRUCE_ENSEMBLE_H
#define TRUCE_ENSEMBLE_H

#include "truce/core.h"
#include "truce/scenario.h"
#include "truce/sim.h"
#include "truce/warn.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The daily series summarised per side (docs/outputs.md), one table:
 * name (daily.csv's and results.db's series), unit, and its value in a
 * day's state. Addressed by index or by name, never by a fixed number.
 * All fields public, read-only (a static table). */
typedef struct {
  const char* name;
  const char* unit;
  size_t offset; /* of its double in truce_side_state */
} truce_series_info;

TRUCE_API size_t truce_series_count(void);
/* Series k; NULL when k >= truce_series_count(). */
TRUCE_API const truce_series_info* truce_series(size_t k);
/* The index of the series called `name`, or -1. */
TRUCE_API int truce_series_index(const char* name);
/* Name of series k as used in the outputs ("front", ...); "?" if none. */
TRUCE_API const char* truce_series_name(int series);

/* The daily series summarised per backer (cumulative), likewise. All
 * fields public, read-only (a static table). */
typedef struct {
  const char* name;
  const char* unit;
  size_t offset; /* of its double in truce_backer_state */
} truce_backer_series_info;

TRUCE_API size_t truce_backer_series_count(void);
TRUCE_API const truce_backer_series_info* truce_backer_series(size_t k);
TRUCE_API const char* truce_backer_series_name(int k);

/* A per-run observer that a later layer (e.g. bargaining) plugs into the
 * ensemble: each thread gets its own state; `run_begin` gets run r's
 * sampled uncertain parameters (truce_scenario_uncertain_count values in
 * the order of truce_scenario_uncertain_path, point values in
 * deterministic mode) before its first day; after run r, `run_end` writes
 * `extras` numbers into out[0..extras), which the ensemble keeps by run
 * (and gathers across MPI ranks). All fields public; set by the caller
 * (or by truce_bargain_hook); user borrowed while the ensemble runs. */
typedef struct {
  size_t extras;
  void* user;
  int (*thread_new)(void* user, truce_ctx* tctx, void** state);
  int (*run_begin)(void* state, uint64_t run, unsigned flags,
                   const double* params);
  int (*day)(void* state, const truce_day* d);
  int (*run_end)(void* state, uint64_t run, double* out);
  void (*thread_free)(void* state);
} truce_ensemble_hook;

/* All fields public; set by the caller (runs >= 1; a zero or NULL field
 * is the default its comment gives). */
typedef struct {
  uint64_t runs;
  int threads;    /* 0: OpenMP's default */
  unsigned flags; /* TRUCE_SIM_DETERMINISTIC or 0 */
  int use_mpi;    /* split runs over MPI_COMM_WORLD (MPI builds) */
  /* Called from one thread now and then with runs done so far (this
   * rank); may be NULL. */
  void (*progress)(void* user, uint64_t done, uint64_t total);
  void* progress_user;
  const truce_ensemble_hook* hook; /* may be NULL */
  /* Cancellation (may be NULL): every thread calls cancel(cancel_user)
   * before each run; once it returns nonzero the threads stop at their
   * next run and truce_ensemble_run fails with TRUCE_ECANCELED, keeping
   * nothing. It must be cheap and thread-safe (e.g. read an atomic flag
   * another thread sets). Runs already begun finish first, so a cancel
   * takes effect within one run's time. Under MPI each rank polls its own;
   * the ranks then fail together. */
  int (*cancel)(void* user);
  void* cancel_user;
} truce_ensemble_opts;

/* Mean and quantiles of one series on one day across runs. All fields
 * public, read-only; truce_ensemble_band (and _backer_band) fill the
 * caller's struct. */
typedef struct {
  uint64_t n;
  double mean, p05, p25, p50, p75, p95;
} truce_band;

typedef struct truce_ensemble truce_ensemble;

/* Run the ensemble. With MPI, every rank calls this; the results are
 * complete on rank 0 only (truce_ensemble_is_root). */
TRUCE_API int truce_ensemble_run(truce_ctx* ctx, const truce_scenario* sc,
                                 const truce_ensemble_opts* opts,
                                 truce_ensemble** out);
TRUCE_API void truce_ensemble_free(truce_ensemble* e);

/* What an ensemble will cost, estimated before running it: the memory
 * truce_ensemble_run allocates (per MPI rank; docs/outputs.md, "Limits")
 * and the size of the output set truce run writes, in bytes. All fields
 * public, read-only; truce_ensemble_estimate fills the caller's struct. */
typedef struct {
  double memory_bytes, output_bytes;
} truce_estimate;
TRUCE_API void truce_ensemble_estimate(const truce_scenario* sc,
                                       const truce_ensemble_opts* opts,
                                       truce_estimate* est);
TRUCE_API int truce_ensemble_is_root(const truce_ensemble* e);
TRUCE_API int truce_ensemble_ranks(const truce_ensemble* e);
TRUCE_API int truce_ensemble_threads(const truce_ensemble* e);
TRUCE_API uint64_t truce_ensemble_runs(const truce_ensemble* e);
/* Days recorded: horizon + 1 (day 0 is the initial state). */
TRUCE_API int truce_ensemble_days(const truce_ensemble* e);
/* The band of `series` for `side` on `day`. Quantiles are exact while the
 * runs are at most TRUCE_EXACT_RUNS, else within a relative error of
 * 1/256 of the exact (interpolated) quantile (docs/model.md s11). */
TRUCE_API int truce_ensemble_band(const truce_ensemble* e, int day, size_t side,
                                  int series, truce_band* out);
/* Share of runs in stalemate on `day` (docs/model.md s11). */
TRUCE_API double truce_ensemble_stalemate(const truce_ensemble* e, int day);
/* Outcome k (truce_outcome, truce/sim.h) of run r for `side`; NaN when
 * out of range or, for a day outcome, when it never happened. */
TRUCE_API double truce_ensemble_outcome_value(const truce_ensemble* e,
                                              uint64_t r, size_t side,
                                              size_t k);
/* Outcomes of run r (both sides) as the classic record, and its sampled
 * uncertain parameters (truce_scenario_uncertain_count values). */
TRUCE_API int truce_ensemble_outcome(const truce_ensemble* e, uint64_t r,
                                     truce_side_outcome out[2]);
TRUCE_API const double* truce_ensemble_params(const truce_ensemble* e,
                                              uint64_t r);
/* Backer b's series k (truce_backer_series) on `day` across runs; and
 * run r's totals. */
TRUCE_API int truce_ensemble_backer_band(const truce_ensemble* e, int day,
                                         size_t b, int k, truce_band* out);
TRUCE_API int truce_ensemble_backer_outcome(const truce_ensemble* e, uint64_t r,
                                            size_t b,
                                            truce_backer_outcome* out);
/* The hook's numbers for run r (NULL without a hook). */
TRUCE_API const double* truce_ensemble_extras(const truce_ensemble* e,
                                              uint64_t r);

/* The sanity diagnostics of an ensemble (truce/warn.h): per side, the
 * share of runs exhausted by day 1 and of runs with a long span without
 * combat power, when not 0. Writes up to cap into out and returns how
 * many there are. */
TRUCE_API size_t truce_ensemble_warnings(const truce_scenario* sc,
                                         const truce_ensemble* e,
                                         truce_warning* out, size_t cap);

#define TRUCE_EXACT_RUNS 64

/* Start and stop MPI when truce is built with it (no-ops otherwise). Call
 * once from main before and after everything else. */
TRUCE_API int truce_parallel_init(int* argc, char*** argv);
TRUCE_API void truce_parallel_finalize(void);
/* This process's MPI rank (0 without MPI). */
TRUCE_API int truce_parallel_rank(void);

#ifdef __cplusplus
}
#endif
#endif
