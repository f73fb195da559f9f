/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * truce/compare.h: two runs compared from their results stores, and the
 * numbers as a reader sees them (significant figures, units).
 *
 * A comparison lists the assumptions that differ and, for every outcome
 * the outcome, series and backer tables and the bargaining store define,
 * the statistic in A and in B, their difference B - A with a confidence
 * interval, and whether the difference is beyond the runs' noise. Runs
 * that share a seed are paired run by run (the same random numbers), which
 * narrows the intervals; otherwise the intervals are unpaired.
 * docs/outputs.md, "truce compare", states every statistic and interval.
 */
#ifndef TRUCE_COMPARE_H
#define TRUCE_COMPARE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "truce/core.h"

#ifdef __cplusplus
extern "C" {
#endif

/* What a number measures, for formatting (truce_outcome_format). */
typedef enum {
  TRUCE_UNIT_COUNT, /* soldiers, casualties, combat power */
  TRUCE_UNIT_SHARE, /* a share of runs or of the area, 0-1 */
  TRUCE_UNIT_DAY,   /* a day number */
  TRUCE_UNIT_MONEY  /* the scenario's currency */
} truce_unit;

/* v rounded to `sig` significant figures (1-15) with a comma every three
 * digits, no exponent and no trailing zeros after the point: 759892.5 ->
 * "760,000", 0.012345 -> "0.0123", 6.001 -> "6"; "-" for NaN. */
TRUCE_API void truce_format_sig(double v, int sig, char* buf, size_t n);
/* v (of unit u, or a change of one when `change`) as text, to 3
 * significant figures: counts and days with thousands separators, shares
 * in % (changes in percentage points, "pp"), money in billions ("bn");
 * a change has its sign; `absent` when v is NaN. */
TRUCE_API void truce_outcome_format(truce_unit u, double v, int change,
                                    const char* absent, char* buf, size_t n);

/* The Monte Carlo standard error of a share p of n runs,
 * sqrt(p (1 - p) / n) (NAN when n is 0): the "± 1.3" of "23% ± 1.3". */
TRUCE_API double truce_share_se(double p, uint64_t n);
/* "23.4% ± 1.3" (the share to 3 significant figures, its standard error
 * in percentage points to 2); just "23.4%" for a single run or a share
 * of 0 or 1 (no spread to report). */
TRUCE_API void truce_share_format(double p, uint64_t n, char* buf, size_t cap);

/* An assumption that differs. All fields public, read-only. */
typedef struct {
  char path[128];
  double a, b; /* NAN where absent */
  char dist_a[96], dist_b[96];
  char source_b[256];
  int in_a, in_b;
} truce_assumption_diff;

/* How one outcome moved. All fields public, read-only. */
typedef struct {
  char what[128];    /* e.g. "ua: mean casualties_total" */
  truce_unit unit;   /* of a, b and diff */
  double a, b;       /* the statistic in A and B; NAN where absent */
  double diff;       /* b - a */
  double se;         /* its standard error; NAN when none can be given */
  double lo, hi;     /* the confidence interval of diff (level) */
  bool paired;       /* from run-by-run differences (same seed) */
  bool beyond_noise; /* the interval excludes 0 */
} truce_outcome_shift;

/* Something that makes the comparison less than like for like. All fields
 * public, read-only. */
typedef struct {
  char code[24]; /* "seed", "runs", "horizon", "scenario", ... */
  char message[320];
} truce_compare_warning;

/* Fields public, read-only, except cap_* (private); arrays owned by the
 * comparison, freed with truce_comparison_free(ctx, c). */
typedef struct {
  double level; /* of the intervals (0.95) */
  bool paired;  /* same seed and run count: paired by run */
  uint64_t seed[2], runs[2];
  int days[2];    /* horizons */
  int horizon;    /* the days compared: the smaller horizon */
  size_t flagged; /* shifts beyond noise */
  size_t n_diff;
  truce_assumption_diff* diff;
  size_t n_shift;
  truce_outcome_shift* shift;
  size_t n_warn;
  truce_compare_warning* warn;
  size_t cap_diff, cap_shift, cap_warn; /* private */
} truce_comparison;

/* Compare the runs in dir_a and dir_b (output directories of truce run).
 * *out is freed with truce_comparison_free. */
TRUCE_API int truce_compare(truce_ctx* ctx, const char* dir_a,
                            const char* dir_b, truce_comparison** out);
/* NULL accepted. ctx: the one passed to truce_compare. */
TRUCE_API void truce_comparison_free(truce_ctx* ctx, truce_comparison* c);
/* The comparison as a self-contained HTML page with charts. */
TRUCE_API int truce_compare_write_html(truce_ctx* ctx,
                                       const truce_comparison* c,
                                       const char* dir_a, const char* dir_b,
                                       const char* out);

#ifdef __cplusplus
}
#endif
#endif
