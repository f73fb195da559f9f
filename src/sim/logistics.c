/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Logistics (docs/model.md s4 and s5): the rounds each fires channel
 * (artillery, drones and other precision fires) fires over a step, from
 * what the step demands and what is on hand, rationed when short; the
 * share of demand met, which limits fire (the ammunition factor of combat
 * power); equipment lost with casualties and with combat, and produced;
 * rounds fired and produced. Deliveries from backers arrive in aid.c.
 */
#include <math.h>

#include "sim_int.h"

/* (share of demand met)^elasticity, with the common exponents exact. */
static double shortfall_factor(double share, double el) {
  return share == 1 || el == 0 ? 1
         : el == 1             ? share
         : el == 0.5           ? sqrt(share)
                               : pow(share, el);
}

/* s5: a channel fires what the step demands, or what it has. A side that
 * rations (cover_days T > 0) fires at most S dt / T of a stock S, so a
 * short side fires its stock down over T days and then what arrives:
 * less, not nothing. */
void truce__fires_plan(truce_sim* sim, double dt, step_state* st) {
  for (int i = 0; i < 2; i++) {
    side_state* s = &sim->s[i];
    const truce__side* sp = &sim->p.side[i];
    s->ammo_mult = 1;
    for (int c = 0; c < TRUCE_N_FIRES; c++) {
      const truce__fires* f = &sp->fire[c];
      double need = f->demand_per_day * dt * s->off_mult;
      double have = s->stock[c];
      if (f->cover_days > 0 && have * dt / f->cover_days < have)
        have = have * dt / f->cover_days;
      st->fire[i][c] = need < have ? need : have;
      if (need > 0)
        s->ammo_mult *=
            shortfall_factor(have >= need ? 1 : have / need, f->elasticity);
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
    /* Rounds: fire what was planned; produce. */
    for (int c = 0; c < TRUCE_N_FIRES; c++) {
      double made = sp->fire[c].production_per_month / DAYS_PER_MONTH * dt;
      double use = st->fire[i][c];
      s->stock[c] += made - use;
      s->rounds_in[c] += made;
      s->rounds_fired[c] += use;
      s->fired_day[c] += use;
    }
  }
}
