/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The front and exhaustion (docs/model.md s6, s7 and s9): an attacker
 * advances with its force ratio; an exhausted defender's line breaks;
 * offensives end; a side is exhausted when its front or its capable
 * strength falls below its threshold.
 */
#include <math.h>

#include "sim_int.h"

bool truce__exhausted(const truce_sim* sim, int i) {
  const truce__side* sp = &sim->p.side[i];
  return sim->s[i].front < sp->exhaustion_threshold ||
         (sp->capable_threshold > 0 && sim->s[i].power < sp->capable_threshold);
}

void truce__check_exhaustion(truce_sim* sim, int day) {
  for (int i = 0; i < 2; i++)
    if (sim->s[i].exhaustion_day < 0 && truce__exhausted(sim, i))
      sim->s[i].exhaustion_day = day;
}

/* s6: the attacker x's speed in km/day against defender y. */
static double advance(const truce_sim* sim, int x, const step_state* st) {
  const truce__params* p = &sim->p;
  int y = 1 - x;
  double v = 0;
  bool broken = truce__exhausted(sim, y);
  if (broken && p->breakthrough_km_per_day > 0) {
    v = p->breakthrough_km_per_day;
  } else if (st->P0[y] > 0) {
    double ratio = st->P0[x] / st->P0[y];
    double g =
        (p->advance_exponent == 1 ? ratio : pow(ratio, p->advance_exponent)) -
        1;
    v = g > 0 ? p->advance_km_per_day * g : 0;
    if (p->breakthrough_km_per_day > 0 && v > p->breakthrough_km_per_day)
      v = p->breakthrough_km_per_day;
  } else if (st->P0[x] > 0) {
    v = p->breakthrough_km_per_day;
  }
  return v;
}

void truce__front_move(truce_sim* sim, double dt, const step_state* st) {
  const truce__params* p = &sim->p;
  double moved[2] = {0, 0};
  for (int x = 0; x < 2; x++)
    if (p->side[x].posture == TRUCE_POSTURE_ATTACK)
      moved[x] = advance(sim, x, st) * dt * p->length_km / p->area_km2;
  for (int x = 0; x < 2; x++) {
    int y = 1 - x;
    double gain = moved[x] - moved[y];
    if (gain > 0) {
      if (gain > sim->s[y].territory) gain = sim->s[y].territory;
      sim->s[x].territory += gain;
      sim->s[y].territory -= gain;
    }
  }
}

void truce__offensives_end(truce_sim* sim) {
  for (int i = 0; i < 2; i++) {
    side_state* s = &sim->s[i];
    if (s->off_until >= 0 && sim->day >= s->off_until) {
      sim->p.side[i].posture = s->posture_before;
      s->off_mult = 1;
      s->off_until = -1;
    }
  }
}
