/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * truce/hindcast.h: an ensemble scored against what was observed after its
 * start, month by month (docs/validation.md s5): coverage of the 50% and
 * 90% bands, the probability integral transform (PIT) and the continuous
 * ranked probability score (CRPS), and how losses and gains move together
 * along the median path.
 */
#ifndef TRUCE_HINDCAST_H
#define TRUCE_HINDCAST_H

#include <stdbool.h>

#include "truce/core.h"
#include "truce/scenario.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Observed series -------------------------------------------------
 * CSV files of `date,series,id,value,low,high,unit,source,claimant` rows
 * (lines starting with '#' are comments; fields may be double-quoted):
 * the cumulative level of `series` for `id` at the end of `date`
 * (YYYY-MM-DD), as `source` published it, claimed by `claimant`; low and
 * high the source's range (may be empty). Series (truce_hindcast_series_name):
 * casualties (a side's killed, wounded and missing), area_km2 (the area a
 * side holds), aid_committed and aid_delivered (a backer's, in the
 * scenario's money unit). Rows of one (series, id, source) form a group. */
typedef struct truce_hindcast_obs truce_hindcast_obs;

TRUCE_API int truce_hindcast_obs_new(truce_ctx* ctx, truce_hindcast_obs** out);
/* Append the rows of one file (FILE:LINE:COL errors; o unchanged on
 * failure). */
TRUCE_API int truce_hindcast_obs_load(truce_hindcast_obs* o, const char* path);
TRUCE_API size_t truce_hindcast_obs_rows(const truce_hindcast_obs* o);
TRUCE_API void truce_hindcast_obs_free(truce_hindcast_obs* o);

/* The observed series kinds, in table order; NULL past the last. */
TRUCE_API const char* truce_hindcast_series_name(int k);

/* ---- Scores of one ensemble against one observation -------------------
 * x: the ensemble's values sorted ascending, n >= 1; y: the observation. */

/* CRPS of the ensemble's empirical distribution (Gneiting & Raftery 2007):
 * (1/n) sum |x_i - y| - (1/(2 n^2)) sum_i sum_j |x_i - x_j|. */
TRUCE_API double truce_hindcast_crps(const double* x, size_t n, double y);
/* PIT: the share of runs below y, ties counted half: (#{x < y} +
 * #{x == y} / 2) / n, where a run within a relative 1e-9 of y (rounding;
 * max(|y|, 1) x 1e-9) ties with it. The bands' coverage uses the same
 * tie. x sorted ascending. */
TRUCE_API double truce_hindcast_pit(const double* x, size_t n, double y);

/* The shape of a 10-bin PIT histogram, for a note beside it: the first
 * rule that holds, in this order (the mean PIT read from bin centres).
 * X(NAME, text): TRUCE_PIT_NAME and its note (truce_hindcast_pit_shape_name).
 */
#define TRUCE_PIT_SHAPE_MAP(X)                                            \
  /* none of the patterns below */                                        \
  X(FLAT, "no U, skew or hump")                                           \
  /* last bin > 30% and > 3x the first */                                 \
  X(HIGH, "observed above the runs")                                      \
  /* first bin > 30% and > 3x the last */                                 \
  X(LOW, "observed below the runs")                                       \
  /* outer bins > 40% (twice uniform) */                                  \
  X(U, "U-shaped: bands too narrow")                                      \
  /* mean PIT > 0.7 */                                                    \
  X(ABOVE, "observed above the median mostly")                            \
  /* mean PIT < 0.3 */                                                    \
  X(BELOW, "observed below the median mostly")                            \
  /* bins 4-7 > 60% (uniform 40%) */                                      \
  X(HUMP, "humped: bands too wide")                                       \
  /* fewer than 10 points */                                              \
  X(FEW, "too few points to read")                                        \
  /* every point's 90% band has no width (within the PIT's tie): the runs \
   * do not vary, e.g. a series the record gives as a known outcome */    \
  X(FIXED, "the runs do not vary: no shape read")
typedef enum {
#define TRUCE_PIT_ENUM(name, text) TRUCE_PIT_##name,
  TRUCE_PIT_SHAPE_MAP(TRUCE_PIT_ENUM)
#undef TRUCE_PIT_ENUM
} truce_pit_shape;
TRUCE_API int truce_hindcast_pit_shape(const unsigned hist[10]);
TRUCE_API const char* truce_hindcast_pit_shape_name(int shape);

/* ---- The hindcast ----------------------------------------------------- */
/* All fields public; set by the caller (NULL options: all zero). */
typedef struct {
  uint64_t runs; /* default 1000 when 0 */
  int threads;   /* 0: OpenMP's default */
  int use_mpi;
} truce_hindcast_opts;

/* One scored observation: a month end (or an anchor's date) after the
 * origin, within the horizon. Changes are since the origin (day 0); the
 * band is over the runs' changes, quantiles interpolated (GSL). All fields
 * public, read-only; owned by the truce_hindcast (claimant borrowed from
 * the observations). */
typedef struct {
  char date[11];
  int day;          /* model day: date - start + 1 */
  double observed;  /* observed level minus the level at the origin */
  double low, high; /* the source's range, as changes (NaN: none) */
  double mean, p05, p25, p50, p75, p95;
  double pit, crps;
  bool in50, in90;
  const char* claimant;
} truce_hindcast_point;

/* One (series, id, source) group's scores. All fields public, read-only;
 * owned by the truce_hindcast (strings borrowed from the observations). */
typedef struct {
  const char* series; /* truce_hindcast_series_name */
  const char* id;     /* side or backer */
  const char* source;
  const char* unit;
  const char* file;
  double origin_level; /* the observed level at the origin (interpolated) */
  size_t n_points, in50, in90, after_horizon;
  bool no_origin; /* no row on or before the origin: not scored */
  unsigned pit_hist[10];
  int pit_shape;
  double crps_mean;
  const truce_hindcast_point* points;
} truce_hindcast_group;

/* Losses against gains for one side, on the dates both its first
 * casualty group and its first area group are scored. */
#define TRUCE_HINDCAST_YEARS 8
/* All fields public, read-only (truce_hindcast_pair.year). */
typedef struct {
  int year;
  char from[11], to[11];   /* the year's slice ("origin" or a date) */
  double observed, median; /* casualties per km2 gained; NaN: no gain */
  double cas_observed, km2_observed, cas_median, km2_median;
} truce_hindcast_year;

/* All fields public, read-only; owned by the truce_hindcast (strings
 * borrowed from the observations). */
typedef struct {
  const char* id;
  const char* casualty_source;
  const char* area_source;
  size_t months;                     /* common dates (monthly increments) */
  double corr_observed, corr_median; /* Pearson; NaN when undefined */
  size_t n_years;
  truce_hindcast_year year[TRUCE_HINDCAST_YEARS];
} truce_hindcast_pair;

typedef struct truce_hindcast truce_hindcast;

/* Run the scenario's ensemble and score it against o. Every row's id must
 * name a side (casualties, area_km2) or a backer (aid_*) of sc, and sc
 * must have a start date. The result's strings are borrowed from o, which
 * must outlive it. */
TRUCE_API int truce_hindcast_run(truce_ctx* ctx, const truce_scenario* sc,
                                 const truce_hindcast_obs* o,
                                 const truce_hindcast_opts* opts,
                                 truce_hindcast** out);
TRUCE_API void truce_hindcast_free(truce_hindcast* h);
/* With MPI the results are on rank 0 only. */
TRUCE_API bool truce_hindcast_is_root(const truce_hindcast* h);
TRUCE_API uint64_t truce_hindcast_runs(const truce_hindcast* h);
TRUCE_API size_t truce_hindcast_groups(const truce_hindcast* h);
TRUCE_API const truce_hindcast_group* truce_hindcast_group_get(
    const truce_hindcast* h, size_t i);
TRUCE_API size_t truce_hindcast_pairs(const truce_hindcast* h);
TRUCE_API const truce_hindcast_pair* truce_hindcast_pair_get(
    const truce_hindcast* h, size_t i);
/* Share of runs in which side i's line breaks (it is exhausted,
 * docs/model.md s9) by the horizon. */
TRUCE_API double truce_hindcast_line_break(const truce_hindcast* h, size_t i);

#ifdef __cplusplus
}
#endif
#endif
