/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * From a range to an agreement (docs/bargaining.md, "From a range to an
 * agreement"). An open bargaining range says only that some deal beats
 * fighting for both; talks still have to find it. Agreement comes at a
 * hazard while a range is open (higher when the war is ripe: Zartman
 * 1989, 2000), with the terms of alternating offers (Rubinstein 1982;
 * with outside options binding at the range's ends: Binmore, Shaked &
 * Sutton 1989), and the settlement lasts as its durability says (Powell
 * 2006; commit.c). Every draw is one uniform from the run's own keyed
 * stream, so agreements do not depend on threads or ranks.
 */
#include <math.h>

#include "bargain_int.h"
#include "truce_int.h"

double truce__agree_probability(double h, double days) {
  if (!(h > 0) || !(days > 0)) return 0;
  return -expm1(-h * days);
}

bool truce__agree_draw(truce_rng* rng, double h, double days) {
  double u = truce_rng_uniform(rng);
  return u < truce__agree_probability(h, days);
}

double truce__agree_terms(double lo, double hi, double d0, double d1,
                          bool zero_first) {
  if (zero_first) return lo + truce_rubinstein_share(d0, d1) * (hi - lo);
  return hi - truce_rubinstein_share(d1, d0) * (hi - lo);
}

/* exp(-lambda span) = p_hold; the break time -ln(U)/lambda. */
int truce__agree_break_day(truce_rng* rng, double p_hold, double span,
                           int horizon) {
  double u = truce_rng_uniform(rng);
  if (p_hold >= 1 || !(span > 0)) return -1;
  if (p_hold <= 0) return 0;
  double lambda = -log(p_hold) / span;
  double t = -log(u) / lambda;
  return t > horizon ? -1 : (int)floor(t);
}
