/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Logistics (docs/model.md s4 and s5): the ammunition a step needs and
 * the share of it met, which limits fire (the ammunition factor of combat
 * power); equipment lost with casualties and with combat, and produced;
 * ammunition fired and produced. Deliveries from backers arrive in aid.c.
 */
#include <math.h>

#include "sim_int.h"

void truce__ammo_factor(truce_sim* sim, double dt, step_state* st) {
  for (int i = 0; i < 2; i++) {
    side_state* s = &sim->s[i];
    const truce__side* sp = &sim->p.side[i];
    st->need[i] = sp->ammo_demand_per_day * dt * s->off_mult;
    if (st->need[i] > 0) {
      double share = s->ammo >= st->need[i] ? 1 : s->ammo / st->need[i];
      double el = sp->ammo_elasticity;
      s->ammo_mult = share == 1 || el == 0 ? 1
                     : el == 1             ? share
                     : el == 0.5           ? sqrt(share)
                                           : pow(share, el);
    } else {
      s->ammo_mult = 1;
    }
  }
}

void truce__logistics(truce_sim* sim, double dt, const step_state* st) {
  for (int i = 0; i < 2; i++) {
    side_state* s = &sim->s[i];
    const truce__side* sp = &sim->p.side[i];
    /* Equipment: losses with casualties and with combat, then production. */
    for (size_t e = 0; e < sim->m->n_equip[i]; e++) {
      const truce__equip* eq = &sp->equip[e];
      double loss = truce__draw_poisson(sim, i, TRUCE_ST_EQUIP,
                                        eq->loss_per_casualty * st->cas[i] +
                                            eq->loss_per_day * dt * st->inten);
      double left = s->equip[e] - loss;
      s->equip[e] = (left > 0 ? left : 0) +
                    eq->production_per_month / DAYS_PER_MONTH * dt;
    }
    /* Ammunition: use what the step needs (or what is left); produce. */
    double use = st->need[i] < s->ammo ? st->need[i] : s->ammo;
    s->ammo += sp->ammo_production_per_month / DAYS_PER_MONTH * dt - use;
  }
}
