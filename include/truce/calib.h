/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * truce/calib.h: estimating attrition coefficients from observed series
 * (first pieces of calibration; docs/validation.md).
 */
#ifndef TRUCE_CALIB_H
#define TRUCE_CALIB_H

#include "truce/core.h"
#include "truce/scenario.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Engel's (1954) square-law estimators over a period of n days: with the
 * two sides' strengths x[0..n], y[0..n] at day boundaries and their total
 * casualties cx, cy over the period,
 *   a = cx / integral of y dt,   b = cy / integral of x dt
 * (a: y's effect on x; trapezoid integrals). */
TRUCE_API int truce_engel(truce_ctx* ctx, const double* x, const double* y,
                          size_t n, double cx, double cy, double* a,
                          double* b);

/* The laws a one-coefficient-per-side fit can take. */
typedef enum {
  TRUCE_FIT_SQUARE,      /* casualties of x per day = a * y     */
  TRUCE_FIT_LINEAR,      /*                           a * x * y */
  TRUCE_FIT_LOGARITHMIC, /*                           a * x     */
  TRUCE_FIT_COUNT
} truce_fit_law;

TRUCE_API const char* truce_fit_law_name(int law);

/* Least squares through the origin (GSL's gsl_fit_mul), one coefficient
 * per side, of daily casualties cx[i], cy[i] on the law's driver of the
 * daily strengths x[i], y[i] (i < n). coef[0] is y's effect on x, coef[1]
 * x's on y; ssr is the sum of both sides' squared residuals; se[] the
 * coefficients' standard errors (may be NULL). */
TRUCE_API int truce_fit(truce_ctx* ctx, int law, const double* x,
                        const double* cx, const double* y, const double* cy,
                        size_t n, double coef[2], double se[2], double* ssr);

/* Observed series: a CSV of day,side,variable,value,source rows
 * (variables: front, casualties per day) for the scenario's sides. */
typedef struct truce_observed truce_observed;
TRUCE_API int truce_observed_load(truce_ctx* ctx, const char* path,
                                  const truce_scenario* sc,
                                  truce_observed** out);
/* Days on which both sides report both variables. */
TRUCE_API size_t truce_observed_days(const truce_observed* o);
/* Column k (0 side-0 front, 1 side-0 casualties, 2 side-1 front, 3 side-1
 * casualties) into out[0..days). */
TRUCE_API void truce_observed_column(const truce_observed* o, int k,
                                     double* out);
TRUCE_API void truce_observed_free(truce_observed* o);

#ifdef __cplusplus
}
#endif
#endif
