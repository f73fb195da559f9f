/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The attrition laws (docs/model.md s2), declared once in laws.c's table
 * and used alike by the engine (combat.c), the scenario schema (the names
 * of combat.law) and the calibration (src/calib/). Losses of side x per
 * day inflicted by side y:
 *   L_x = k_y · P_y^pe(x) · F_x^qe(x) / f(t)
 * with the exponents pe, qe on the firer's power and the target's strength
 * given by the law (and, for some laws, its parameters under combat:) and
 * f(t) = ln(e + t) for the fatigue law, else 1. Adding a law is one entry
 * in the table.
 */
#ifndef TRUCE_LAWS_H
#define TRUCE_LAWS_H

#include <math.h>
#include <stdbool.h>
#include <stddef.h>

#define TRUCE_LAW_MAXPAR 2

/* A parameter of a law's exponents: combat.<key>, at offset `off` of
 * truce__params. `share`: a number in (0, 1), fitted on the logit scale;
 * `start`: where the calibration starts. */
typedef struct {
  const char* key;
  size_t off;
  bool share;
  double start;
} truce__law_param;

/* The exponents of a law, by target side x: losses of x scale as the
 * firer's power to pe[x] and x's own strength to qe[x]. */
typedef struct {
  double pe[2], qe[2];
} truce__law_exp;

typedef struct {
  const char* name; /* the value of combat.law */
  size_t n_params;
  truce__law_param params[TRUCE_LAW_MAXPAR];
  /* The exponents given the parameters' values par[0..n_params). */
  void (*exponents)(const double* par, truce__law_exp* e);
  /* 1 / f(t), the factor on losses at time t in days; NULL: 1. */
  double (*time_factor)(double t);
} truce__law;

extern const truce__law truce__laws[];
extern const size_t truce__n_laws;

/* The law of combat.law's value (an index into the table). */
const truce__law* truce__law_of(double law);

/* The i-th law's name, NULL past the end (the schema's enum of names). */
const char* truce__law_enum(size_t i);

/* The exponents of law l for the parameter values in truce__params p. */
void truce__law_exponents(const truce__law* l, const void* p,
                          truce__law_exp* e);

/* The law's time factor 1 / f(t). */
static inline double truce__law_time_factor(const truce__law* l, double t) {
  return l->time_factor ? l->time_factor(t) : 1.0;
}

/* The one loss equation (docs/model.md s2): casualties per day of target
 * side x, with firer coefficient k (times any posture and intensity
 * factors), the law's time factor `tf`, firer power P and target strength
 * F (both >= 0). */
static inline double truce__law_loss(const truce__law_exp* e, int x, double k,
                                     double tf, double P, double F) {
  double pe = e->pe[x], qe = e->qe[x];
  return k * tf * (pe == 1 ? P : pow(P, pe)) * (qe == 0 ? 1 : pow(F, qe));
}

#endif
