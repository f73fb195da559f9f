/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A fit's sanity diagnostics (truce/warn.h): a fitted coefficient whose
 * 90% interval spans many orders of magnitude, or fitted coefficients
 * that do together, mean the observations do not pin them down (one goes
 * to zero or infinity as another compensates), however good the fit's
 * AIC. The Ardennes' power law, best by AIC, has 2.9e-26 with the
 * interval [1.9e-35, 4.3e-17]: 18 orders of magnitude.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "truce_int.h"

size_t truce_calib_warnings(const truce_calib_result* r, truce_warning* out,
                            size_t cap) {
  double lo = (double)INFINITY, hi = 0, span = 0;
  const truce_calib_param* widest = NULL;
  for (size_t j = 0; j < r->n_par; j++) {
    const truce_calib_param* p = &r->par[j];
    if (p->held || !strstr(p->name, "coefficients") || !(p->estimate > 0))
      continue;
    if (p->estimate < lo) lo = p->estimate;
    if (p->estimate > hi) hi = p->estimate;
    double s = p->low > 0 && p->high > 0 ? log10(p->high / p->low) : 0;
    if (s > span) {
      span = s;
      widest = p;
    }
  }
  const truce_warning_info* w =
      truce_warning_info_of(TRUCE_WARN_UNIDENTIFIED_FIT);
  double apart = hi > 0 ? log10(hi / lo) : 0;
  if (!(span >= w->threshold) && !(apart >= w->threshold)) return 0;
  if (cap && span >= apart)
    truce__warning_set(out, TRUCE_WARN_UNIDENTIFIED_FIT, (double)NAN,
                       "the %s fit's %s has a 90%% interval spanning %.0f "
                       "orders of magnitude (%.3g to %.3g): the observations "
                       "do not identify it, however good the fit's AIC",
                       truce_law_name((size_t)r->law), widest->name, span,
                       widest->low, widest->high);
  else if (cap)
    truce__warning_set(out, TRUCE_WARN_UNIDENTIFIED_FIT, (double)NAN,
                       "the %s fit's coefficients span %.0f orders of "
                       "magnitude (%.3g to %.3g): the observations do not "
                       "identify them, however good the fit's AIC",
                       truce_law_name((size_t)r->law), apart, lo, hi);
  return 1;
}
