/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Commitment problems (Fearon 1995; Powell 2006; docs/bargaining.md,
 * "Commitment"). A settlement is only worth what it is expected to be
 * worth while it lasts: a ceasefire lets each side reconstitute at its
 * own pace, so the balance shifts, and the side the shift favours breaks
 * the deal once its gain from fighting again exceeds its cost of fighting
 * again (plus the expected sanction of a guarantor, Walter 1997, 2002).
 * Here are Powell's two-period closed form and the durability the
 * bargaining layer folds into each side's acceptance threshold.
 */
#include <gsl/gsl_cdf.h>
#include <math.h>

#include "bargain_int.h"
#include "truce_int.h"

/* Powell (2006) in two periods, stake 1 a period, discount delta on the
 * second. War is absorbing (the winner takes both periods) and costs cA,
 * cB once. A's win probability is p1 now and p2 next period, when the
 * split is x2 = p2 - cA + alpha2 (cA + cB) (clamped to [0, 1]): alpha2 is
 * A's bargaining power then. Peace now at x1 needs
 *   x1 + delta x2             >= p1 (1 + delta) - cA   (A)
 *   (1 - x1) + delta (1 - x2) >= (1 - p1) (1 + delta) - cB   (B)
 * so x1 in [p1 (1 + delta) - cA - delta x2, p1 (1 + delta) + cB - delta
 * x2], intersected with [0, 1]. With A rising and alpha2 = 1 the range is
 * empty iff delta (p2 - p1) > p1 + (1 - delta) cB: B cannot be paid now
 * for what it will lose. */
bool truce_powell_range(double p1, double p2, double cA, double cB,
                        double delta, double alpha2, double* lo, double* hi) {
  double x2 = p2 - cA + alpha2 * (cA + cB);
  x2 = x2 < 0 ? 0 : (x2 > 1 ? 1 : x2);
  double l = p1 * (1 + delta) - cA - delta * x2;
  double u = p1 * (1 + delta) + cB - delta * x2;
  *lo = l < 0 ? 0 : l;
  *hi = u > 1 ? 1 : u;
  return *lo <= *hi;
}

double truce_powell_shift_max(double p1, double cB, double delta) {
  return (p1 + (1 - delta) * cB) / delta;
}

/* The balance is side 0's share of the combined usable force (a
 * modelling assumption: the engine's attrition laws make it the
 * quantity the war's course follows). After `days` of ceasefire each side
 * has added inflow * days; the shift's sd follows by the delta method.
 * Side 0 breaks the settlement when stake_0 * shift exceeds its cost of
 * resuming plus the expected sanction q S (the guarantor acts with
 * probability q); side 1 when -stake_1 * shift does. With a normal shift,
 *   p_hold = Phi((b0 - m)/s) - Phi((-b1 - m)/s),
 * b_i = (c_i + q S)/stake_i. If the war resumes side i expects its
 * present value of fighting on moved by the expected shift in its favour,
 * discounted over the ceasefire. */
void truce__ceasefire_durability(const truce__ceasefire* c, const double war[2],
                                 bool guaranteed, truce__durability* out) {
  double F0 = c->force[0], F1 = c->force[1];
  double S = F0 + F1;
  out->p_now = S > 0 ? F0 / S : 0.5;
  double G0 = F0 + c->inflow[0] * c->days, G1 = F1 + c->inflow[1] * c->days;
  G0 = G0 > 0 ? G0 : 0;
  G1 = G1 > 0 ? G1 : 0;
  double S2 = G0 + G1;
  double p2 = S2 > 0 ? G0 / S2 : out->p_now;
  out->shift_mean = p2 - out->p_now;
  out->shift_sd =
      S2 > 0 ? c->days * hypot(G1 * c->inflow_sd[0], G0 * c->inflow_sd[1]) /
                   (S2 * S2)
             : 0;
  double sanction = guaranteed ? c->g_credibility * c->g_strength : 0;
  double b[2];
  for (int i = 0; i < 2; i++)
    b[i] = c->stake[i] > 0 ? (c->cost[i] + sanction) / c->stake[i] : HUGE_VAL;
  double m = out->shift_mean, s = out->shift_sd;
  if (s > 0) {
    double up = isinf(b[0]) ? 1 : gsl_cdf_ugaussian_P((b[0] - m) / s);
    double dn = isinf(b[1]) ? 0 : gsl_cdf_ugaussian_P((-b[1] - m) / s);
    out->p_hold = up - dn;
  } else {
    out->p_hold = (m <= b[0] && -m <= b[1]) ? 1 : 0;
  }
  if (out->p_hold < 0) out->p_hold = 0;
  for (int i = 0; i < 2; i++) {
    double gain = c->stake[i] * (i == 0 ? m : -m);
    out->resume[i] = c->discount[i] * (war[i] + gain);
  }
}

/* h u + (1 - h) r >= t  <=>  u >= (t - (1 - h) r) / h. A settlement sure
 * to fail is worth the resumed war whatever its terms: any package or
 * none. */
double truce__durable_threshold(double threshold, double p_hold,
                                double resume) {
  if (p_hold >= 1) return threshold;
  if (p_hold <= 0) return resume >= threshold ? -HUGE_VAL : HUGE_VAL;
  return (threshold - (1 - p_hold) * resume) / p_hold;
}
