/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Combat (docs/model.md s2 and s4): combat power from men, equipment and
 * ammunition (a CES of effective soldiers and equipped soldiers, times
 * the ammunition factor), and the expected casualties of a step from the
 * attrition law of laws.c, integrated with classical RK4 over the step
 * with power per soldier held at its value at the step's start; and
 * (s2b) the losses of fires and assaults: each side's assault effort from
 * its posture, tempo, reserve and recent losses; the attacker's losses
 * from its own effort against the defender's fires and density, and each
 * side's losses from the other's fires, by channel.
 */
#include <math.h>

#include "laws.h"
#include "sim_int.h"

double truce__equipped(const truce_sim* sim, int i) {
  const truce__side* sp = &sim->p.side[i];
  double num = 0, w = 0;
  for (size_t k = 0; k < sim->m->n_equip[i]; k++) {
    num += sp->equip[k].weight * sim->s[i].equip[k] *
           sp->equip[k].soldiers_per_item;
    w += sp->equip[k].weight;
  }
  return w > 0 ? num / w : 0;
}

/* s4: C = A [alpha (Q F)^rho + (1 - alpha) E^rho]^(1/rho) with equipment,
 * C = Q F without; times the ammunition factor. */
double truce__power(const truce_sim* sim, int i, double F, double E) {
  const truce__params* p = &sim->p;
  double qf = p->side[i].quality * (F > 0 ? F : 0);
  double c;
  if (sim->m->n_equip[i] == 0) {
    c = qf;
  } else {
    double a = p->ces_alpha, rho = p->ces_rho;
    if (qf <= 0 || E <= 0) {
      c = (rho > 0)
              ? p->ces_scale * pow((qf > 0 ? a * pow(qf, rho) : 0) +
                                       (E > 0 ? (1 - a) * pow(E, rho) : 0),
                                   1 / rho)
              : 0;
    } else if (fabs(rho) < 1e-12) {
      c = p->ces_scale * qf * pow(E / qf, 1 - a);
    } else {
      /* A [a (QF)^rho + (1-a) E^rho]^(1/rho) =
       * A QF [a + (1-a) (E/QF)^rho]^(1/rho), with the inner power by
       * multiplication for whole rho. */
      double x = E / qf, xr;
      if (rho == floor(rho) && fabs(rho) <= 8) {
        xr = 1;
        for (int k = 0; k < (int)fabs(rho); k++) xr *= x;
        if (rho < 0) xr = 1 / xr;
      } else {
        xr = pow(x, rho);
      }
      c = p->ces_scale * qf * pow(a + (1 - a) * xr, 1 / rho);
    }
  }
  return c * sim->s[i].ammo_mult;
}

/* What the law needs over one step. */
typedef struct {
  const truce__law* law;
  truce__law_exp e;
  double k[2];   /* coefficient of the firer times posture and intensity */
  double phi[2]; /* combat power per soldier, held over the step */
} rates;

/* dF/dt = arrivals - losses (s2), for both sides. */
static void derivs(const rates* r, double t, const double F[2],
                   const double in[2], double d[2]) {
  double P[2] = {r->phi[0] * (F[0] > 0 ? F[0] : 0),
                 r->phi[1] * (F[1] > 0 ? F[1] : 0)};
  double tf = truce__law_time_factor(r->law, t);
  for (int x = 0; x < 2; x++) {
    int y = 1 - x;
    double Fx = F[x] > 0 ? F[x] : 0;
    d[x] = in[x] - truce__law_loss(&r->e, x, r->k[y], tf, P[y], Fx);
  }
}

/* Expected casualties of each side over [t, t+dt), with arrivals at rate
 * in[] over the step, by classical RK4 on the front strengths. */
static void expected_losses(const rates* r, double t, double dt,
                            const double F0[2], const double in[2],
                            double cas[2]) {
  double k1[2], k2[2], k3[2], k4[2], F[2];
  derivs(r, t, F0, in, k1);
  for (int i = 0; i < 2; i++) F[i] = F0[i] + 0.5 * dt * k1[i];
  derivs(r, t + 0.5 * dt, F, in, k2);
  for (int i = 0; i < 2; i++) F[i] = F0[i] + 0.5 * dt * k2[i];
  derivs(r, t + 0.5 * dt, F, in, k3);
  for (int i = 0; i < 2; i++) F[i] = F0[i] + dt * k3[i];
  derivs(r, t + dt, F, in, k4);
  for (int i = 0; i < 2; i++) {
    double F1 = F0[i] + dt / 6 * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]);
    double avail = F0[i] + in[i] * dt;
    double c = avail - F1;
    cas[i] = c < 0 ? 0 : (c > avail ? avail : c);
  }
}

/* s2b: the share of side i's front in assaults per day: its tempo (times
 * an active offensive's intensity) up to its cap, times the share of the
 * front not needed to hold the line, eased by its recent losses. Zero for
 * a side that defends or holds its objective. */
static double assault_effort(const truce_sim* sim, int i, double F) {
  const truce__side* sp = &sim->p.side[i];
  if (sp->posture != TRUCE_POSTURE_ATTACK || sp->effort <= 0 || F <= 0 ||
      truce__at_objective(sim, i))
    return 0;
  const side_state* s = &sim->s[i];
  double e = sp->effort * s->off_mult;
  if (e > sp->effort_max) e = sp->effort_max;
  double reserve = 1 - sp->hold_per_km * sim->p.length_km / F;
  e *= reserve > 0 ? reserve : 0;
  if (sp->loss_limit > 0) e /= 1 + s->loss_rate / (F * sp->loss_limit);
  return e;
}

/* s2b: expected losses of fires and assaults over the step, by channel,
 * added to the law's (which stay in channel TRUCE_CAS_LAW). Side x loses
 * to side y's fires on its positions, k_c R_yc, and, with A_x = e_x F_x
 * soldiers in assaults, A_x (1 - exp(-H)) with the hazard
 * H = sum_c h_c R_yc / L + nu F_y / L, split by the share of each term. */
static void assault_losses(truce_sim* sim, double dt, step_state* st) {
  const truce__params* p = &sim->p;
  double L = p->length_km;
  for (int x = 0; x < 2; x++) {
    st->effort[x] = assault_effort(sim, x, st->F0[x]);
    sim->s[x].effort = st->effort[x];
  }
  for (int x = 0; x < 2; x++) {
    int y = 1 - x;
    const truce__side* sy = &p->side[y];
    double* ch = st->lam_ch[x];
    for (int k = 0; k < TRUCE_N_CAS; k++) ch[k] = 0;
    ch[TRUCE_CAS_LAW] = st->lam[x];
    double h[TRUCE_N_CAS] = {0}, H = 0;
    for (int c = 0; c < TRUCE_N_FIRES; c++) {
      const truce__fires* f = &sy->fire[c];
      ch[TRUCE_CAS_FIRES + c] = f->kill_per_round * st->fire[y][c];
      h[TRUCE_CAS_FIRES + c] = f->assault_hazard * st->fire[y][c] / dt / L;
    }
    h[TRUCE_CAS_ASSAULT] =
        p->density_hazard * (st->F0[y] > 0 ? st->F0[y] : 0) / L;
    for (int k = 0; k < TRUCE_N_CAS; k++) H += h[k];
    double A = st->effort[x] * st->F0[x] * dt;
    if (A > 0 && H > 0) {
      double lost = A * -expm1(-H);
      for (int k = 0; k < TRUCE_N_CAS; k++) ch[k] += lost * h[k] / H;
    }
    for (int k = TRUCE_CAS_FIRES; k < TRUCE_N_CAS; k++) st->lam[x] += ch[k];
  }
}

void truce__combat_losses(truce_sim* sim, double t, double dt, step_state* st) {
  const truce__params* p = &sim->p;
  rates r;
  r.law = truce__law_of(p->law);
  truce__law_exponents(r.law, p, &r.e);
  st->inten = p->intensity * sim->s[0].off_mult * sim->s[1].off_mult;
  for (int y = 0; y < 2; y++) { /* s2: a_j, the defender's advantage */
    int x = 1 - y;
    bool adv = p->side[y].posture == TRUCE_POSTURE_DEFEND &&
               p->side[x].posture == TRUCE_POSTURE_ATTACK;
    r.k[y] =
        p->side[y].coefficient * st->inten * (adv ? p->defender_advantage : 1);
  }
  /* Power per soldier at the step's start (Q x the CES and ammunition
   * factors), held over the step: exact for the pure Lanchester laws. */
  for (int i = 0; i < 2; i++) {
    double Fp = st->F0[i] > 0 ? st->F0[i] : 1;
    double Pp = truce__power(sim, i, Fp, truce__equipped(sim, i));
    r.phi[i] = Pp / Fp;
    st->P0[i] = st->F0[i] > 0 ? Pp : 0;
  }
  expected_losses(&r, t, dt, st->F0, st->in, st->lam);
  assault_losses(sim, dt, st);
}

void truce__combat_power_end(truce_sim* sim) {
  for (int i = 0; i < 2; i++)
    sim->s[i].power =
        truce__power(sim, i, sim->s[i].front, truce__equipped(sim, i));
}
