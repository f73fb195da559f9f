/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An ensemble's sanity diagnostics (truce/warn.h, docs/outputs.md
 * "Warnings"), from the per-run outcomes: a side exhausted on day 0 or 1,
 * a side whose combat power stays below one effective soldier for a long
 * span (the zero_power_days outcome), or below a tenth of its front
 * (weak_power_days).
 */
#include <math.h>

#include "truce_int.h"

/* The share of runs whose outcome `name` of `side` passes `at`. */
static double share(const truce_ensemble* e, size_t side, const char* name,
                    bool at_most, double at) {
  int k = truce_outcome_index(name);
  uint64_t n = truce_ensemble_runs(e), hit = 0;
  if (k < 0 || !n) return 0;
  for (uint64_t r = 0; r < n; r++) {
    double v = truce_ensemble_outcome_value(e, r, side, (size_t)k);
    hit += at_most ? v <= at : v >= at; /* NaN (never) passes neither */
  }
  return (double)hit / (double)n;
}

size_t truce_ensemble_warnings(const truce_scenario* sc,
                               const truce_ensemble* e, truce_warning* out,
                               size_t cap) {
  size_t n = 0;
  const truce_warning_info* start =
      truce_warning_info_of(TRUCE_WARN_EXHAUSTED_AT_START);
  const truce_warning_info* zero = truce_warning_info_of(TRUCE_WARN_ZERO_POWER);
  const truce_warning_info* weak = truce_warning_info_of(TRUCE_WARN_WEAK_POWER);
  for (size_t i = 0; i < 2; i++) {
    const char* id = truce_scenario_side_id(sc, i);
    double p = share(e, i, "exhaustion_day", true, start->threshold);
    if (p > 0 && n < cap)
      truce__warning_set(&out[n], TRUCE_WARN_EXHAUSTED_AT_START, p,
                         "%s is exhausted on day 0 or 1 in %.3g%% of runs: "
                         "its starting front or combat power is below "
                         "exhaustion_threshold or capable_threshold",
                         id, 100 * p);
    n += p > 0;
    p = share(e, i, "zero_power_days", false, zero->threshold);
    if (p > 0 && n < cap)
      truce__warning_set(&out[n], TRUCE_WARN_ZERO_POWER, p,
                         "%s has combat power below one effective soldier for "
                         "%.0f days or more in a row in %.3g%% of runs: check "
                         "its equipment, ammunition and weapons inputs",
                         id, zero->threshold, 100 * p);
    n += p > 0;
    p = share(e, i, "weak_power_days", false, weak->threshold);
    if (p > 0 && n < cap)
      truce__warning_set(&out[n], TRUCE_WARN_WEAK_POWER, p,
                         "%s has combat power below %.0f%% of its front's "
                         "soldiers for %.0f days or more in a row in %.3g%% of "
                         "runs: its weapons equip few of them (where fires and "
                         "assaults replace the attrition law, power does not "
                         "weaken them)",
                         id, 100 * TRUCE_WEAK_POWER_SHARE, weak->threshold,
                         100 * p);
    n += p > 0;
  }
  return n;
}
