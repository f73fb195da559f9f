/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Indivisible and constitutional stakes (Toft 2003; Fearon 1995; Goddard
 * 2006; Goemans 2000; docs/bargaining.md, "Claims and hand-ties"). A claim
 * is a threshold on an issue below which a side pays an audience cost to
 * concede, or cannot concede at all (a lexicographic preference: no amount
 * of anything else compensates). Claims come into force and lapse on
 * days, so events (an annexation written into a constitution, a decree
 * lifted, an election) add or lift them for either side. Territorial
 * claims keep each side's acceptable set an interval of the settlement
 * line, so the range stays a closed form.
 */
#include <math.h>

#include "bargain_int.h"

bool truce__claim_in_force(const truce__claim* c, int day) {
  return day >= c->from_day && day < c->until_day;
}

double truce__claims_discrete_cost(const truce__claims* cl, int i, int day,
                                   const double* value, int n) {
  double cost = 0;
  for (int k = 0; cl && k < cl->n; k++) {
    const truce__claim* c = &cl->claim[k];
    if (c->side != i || c->issue < 0 || c->issue >= n ||
        !truce__claim_in_force(c, day))
      continue;
    if (value[c->issue] < c->threshold) {
      if (isinf(c->cost)) return HUGE_VAL;
      cost += c->cost;
    }
  }
  return cost;
}

/* Side i's utility from its own share s is w s less the cost of every
 * claim whose threshold s falls short of: a step function rising in s,
 * so the acceptable shares are [s*, 1]. Between consecutive thresholds
 * the cost is constant; s* is the first segment's smallest share that
 * pays for it. Without claims in force this is the closed form of
 * docs/bargaining.md, "The bargaining range", to the bit. */
void truce__claims_territory(const truce__claims* cl, int i, int day,
                             double need, double w, double* lo, double* hi) {
  double t[TRUCE_MAX_CLAIMS], c[TRUCE_MAX_CLAIMS];
  int n = 0;
  for (int k = 0; cl && k < cl->n; k++) {
    const truce__claim* q = &cl->claim[k];
    if (q->side != i || q->issue != -1 || !truce__claim_in_force(q, day))
      continue;
    double th = q->threshold < 0 ? 0 : (q->threshold > 1 ? 1 : q->threshold);
    int j = n++;
    for (; j > 0 && t[j - 1] > th; j--) { /* insertion sort by threshold */
      t[j] = t[j - 1];
      c[j] = c[j - 1];
    }
    t[j] = th;
    c[j] = q->cost;
  }
  double s = HUGE_VAL; /* the smallest acceptable own share */
  for (int j = 0; j <= n; j++) {
    double start = j ? t[j - 1] : 0, paid = 0;
    for (int k = j; k < n; k++) paid += c[k];
    if (isinf(paid)) continue;
    double cand;
    if (w > 0) {
      double edge = (need + paid) / w;
      cand = edge > start ? edge : start;
    } else {
      cand = need + paid > 0 ? HUGE_VAL : start;
    }
    if (j == n || cand < t[j]) {
      s = cand;
      break;
    }
  }
  if (isinf(s)) {
    *lo = 1; /* nothing pays for it */
    *hi = 0;
  } else if (i == 0) {
    *lo = s;
    *hi = 1;
  } else {
    *lo = 0;
    *hi = 1 - s;
  }
}
