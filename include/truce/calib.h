/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * truce/calib.h: estimating attrition coefficients from observed series
 * (first pieces of calibration; docs/validation.md).
 */
#ifndef TRUCE_CALIB_H
#define TRUCE_CALIB_H

#include "truce/core.h"

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

#ifdef __cplusplus
}
#endif
#endif
