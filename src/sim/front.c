/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The front and exhaustion (docs/model.md s6, s7 and s9): an attacker
 * advances with its force ratio and grinds forward with its assaults
 * against the defender's density (force to space); the defender's line
 * breaks when it is exhausted or, where a breakthrough density is given,
 * when its soldiers per km fall below it, for a bounded depth;
 * offensives end; a side is exhausted when its front or its capable
 * strength falls below its threshold or its line breaks by density.
 */
#include <math.h>

#include "sim_int.h"

/* s9: the front below its threshold, the capable strength below its
 * (when given) or, where a breakthrough density is given (s6), the line
 * broken: its soldiers per km below that density. */
bool truce__exhausted(const truce_sim* sim, int i) {
  const truce__params* p = &sim->p;
  const truce__side* sp = &p->side[i];
  double F = sim->s[i].front;
  return F < sp->exhaustion_threshold ||
         (sp->capable_threshold > 0 &&
          sim->s[i].power < sp->capable_threshold) ||
         (p->breakthrough_density > 0 &&
          F < p->breakthrough_density * p->length_km);
}

void truce__check_exhaustion(truce_sim* sim, int day) {
  for (int i = 0; i < 2; i++)
    if (sim->s[i].exhaustion_day < 0 && truce__exhausted(sim, i))
      sim->s[i].exhaustion_day = day;
}

/* s6: the grind, v_g g / (1 + g) with g = (e_x F_x / L) / (phi F_y / L):
 * assaulters per km per day against the defender's soldiers per km times
 * the fortification and terrain factor phi. Continuous and increasing in
 * the effort, bounded by v_g. */
static double grind(const truce_sim* sim, int x, const step_state* st) {
  const truce__params* p = &sim->p;
  int y = 1 - x;
  double a = st->effort[x] * st->F0[x];
  if (p->grind_km_per_day <= 0 || a <= 0) return 0;
  double d = p->fortification * (st->F0[y] > 0 ? st->F0[y] : 0);
  return d > 0 ? p->grind_km_per_day * a / (a + d) : p->grind_km_per_day;
}

/* s6: exploitation once the defender's density rho falls below rho_c:
 * v_b (1 - rho / rho_c), for at most exploitation_depth_km into its rear
 * while the density stays below (the depth resets when it recovers). */
static double exploit(truce_sim* sim, int x, double dt, const step_state* st) {
  const truce__params* p = &sim->p;
  side_state* s = &sim->s[x];
  double rho = (st->F0[1 - x] > 0 ? st->F0[1 - x] : 0) / p->length_km;
  if (rho >= p->breakthrough_density) {
    s->expl_km = 0;
    return 0;
  }
  double v = p->breakthrough_km_per_day * (1 - rho / p->breakthrough_density);
  double left = p->exploitation_depth_km - s->expl_km;
  if (p->exploitation_depth_km > 0 && v * dt > left)
    v = left > 0 ? left / dt : 0;
  s->expl_km += v * dt;
  return v;
}

/* s6: the attacker x's speed in km/day against defender y. */
static double advance(truce_sim* sim, int x, double dt, const step_state* st) {
  const truce__params* p = &sim->p;
  int y = 1 - x;
  double v = 0;
  bool density = p->breakthrough_density > 0;
  bool broken = !density && truce__exhausted(sim, y);
  if (broken && p->breakthrough_km_per_day > 0) {
    v = p->breakthrough_km_per_day;
  } else if (st->P0[y] > 0) {
    if (p->advance_km_per_day > 0) {
      double ratio = st->P0[x] / st->P0[y];
      double g =
          (p->advance_exponent == 1 ? ratio : pow(ratio, p->advance_exponent)) -
          1;
      v = g > 0 ? p->advance_km_per_day * g : 0;
      if (p->breakthrough_km_per_day > 0 && v > p->breakthrough_km_per_day)
        v = p->breakthrough_km_per_day;
    }
  } else if (st->P0[x] > 0) {
    v = p->breakthrough_km_per_day;
  }
  v += grind(sim, x, st);
  if (density) v += exploit(sim, x, dt, st);
  return v;
}

void truce__front_move(truce_sim* sim, double dt, const step_state* st) {
  const truce__params* p = &sim->p;
  double moved[2] = {0, 0};
  for (int x = 0; x < 2; x++)
    if (p->side[x].posture == TRUCE_POSTURE_ATTACK &&
        !truce__at_objective(sim, x))
      moved[x] = advance(sim, x, dt, st) * dt * p->length_km / p->area_km2;
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
