/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Attrition coefficients from observed series: Engel's (1954) square-law
 * estimators, and one-coefficient-per-side least-squares fits of daily
 * casualties on each law's driver (the loss of the law table with a unit
 * coefficient, src/sim/laws.h: square, the enemy's strength; linear, the
 * product of both; logarithmic, one's own), with GSL's gsl_fit_mul. The
 * fits' sums of squared residuals rank the laws (docs/validation.md).
 */
#include <gsl/gsl_fit.h>
#include <math.h>

#include "../sim/laws.h"
#include "truce_int.h"

int truce_engel(truce_ctx* ctx, const double* x, const double* y, size_t n,
                double cx, double cy, double* a, double* b) {
  if (!ctx || !x || !y || !a || !b || n < 1)
    return TRUCE_FAIL(ctx, TRUCE_EINVAL,
                      "Engel's estimators need at least "
                      "one day of both series");
  double ix = 0, iy = 0;
  for (size_t i = 0; i < n; i++) {
    ix += 0.5 * (x[i] + x[i + 1]);
    iy += 0.5 * (y[i] + y[i + 1]);
  }
  if (!(ix > 0 && iy > 0))
    return TRUCE_FAIL(ctx, TRUCE_EDOM,
                      "a side has no strength over the "
                      "period; the rates are undefined");
  *a = cx / iy;
  *b = cy / ix;
  return 0;
}

int truce_fit(truce_ctx* ctx, int law, const double* x, const double* cx,
              const double* y, const double* cy, size_t n, double coef[2],
              double se[2], double* ssr) {
  if (!ctx || !x || !cx || !y || !cy || !coef || !ssr || n < 2 || law < 0 ||
      (size_t)law >= truce__n_laws || truce__laws[law].n_params)
    return TRUCE_FAIL(ctx, TRUCE_EINVAL,
                      "a closed-form fit needs a law "
                      "without exponent parameters and at least two days of "
                      "both series");
  const truce__law* l = &truce__laws[law];
  const double none[TRUCE_LAW_MAXPAR] = {0};
  truce__law_exp e;
  l->exponents(none, &e);
  double* d = truce__calloc(ctx, n, sizeof(double));
  if (!d) return TRUCE_ENOMEM;
  *ssr = 0;
  int rc = 0;
  for (int side = 0; side < 2 && !rc; side++) {
    const double* own = side ? y : x;
    const double* enemy = side ? x : y;
    const double* cas = side ? cy : cx;
    for (size_t i = 0; i < n; i++)
      d[i] = truce__law_loss(&e, side, 1, truce__law_time_factor(l, (double)i),
                             enemy[i], own[i]);
    double c, cov, s;
    if (gsl_fit_mul(d, 1, cas, 1, n, &c, &cov, &s) != 0 || !isfinite(c)) {
      rc = TRUCE_FAIL(ctx, TRUCE_EDOM,
                      "the %s fit is degenerate (no "
                      "variation in its driver)",
                      l->name);
      break;
    }
    coef[side] = c;
    if (se) se[side] = sqrt(cov);
    *ssr += s;
  }
  truce__free(ctx, d, n * sizeof(double));
  return rc;
}
