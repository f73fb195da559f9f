/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The table of attrition laws (docs/model.md s2; laws.h gives the loss
 * equation they share). Each entry: the name used by combat.law and
 * `truce calibrate --law`, the parameters of its exponents and the
 * exponents themselves. The engine, the schema and the calibration all
 * iterate this table.
 */
#include "laws.h"

#include <string.h>

#include "../scenario/params.h"
#include "truce/sim.h"
#include "truce_int.h"

#define PAR(m) offsetof(truce__params, m)

static void both(truce__law_exp* e, double pe, double qe) {
  e->pe[0] = e->pe[1] = pe;
  e->qe[0] = e->qe[1] = qe;
}

/* Lanchester (1916), aimed fire: dx/dt = -a y. */
static void square(const double* par, truce__law_exp* e) {
  (void)par;
  both(e, 1, 0);
}

/* Lanchester (1916), area fire: dx/dt = -a x y. */
static void linear(const double* par, truce__law_exp* e) {
  (void)par;
  both(e, 1, 1);
}

/* Peterson (1953): dx/dt = -a x (also the fatigue law's exponents). */
static void logarithmic(const double* par, truce__law_exp* e) {
  (void)par;
  both(e, 0, 1);
}

/* Helmbold (1965): dx/dt = -a y^W x^(1-W). */
static void helmbold(const double* par, truce__law_exp* e) {
  both(e, par[0], 1 - par[0]);
}

/* The general power law (Bracken 1995): dx/dt = -a y^p x^q. */
static void power_law(const double* par, truce__law_exp* e) {
  both(e, par[0], par[1]);
}

/* Deitchman (1962), guerrilla warfare: the first side is the guerrilla,
 * hit by area fire (dx/dt = -a x y); its aimed fire hits the second
 * (dy/dt = -b x). */
static void deitchman(const double* par, truce__law_exp* e) {
  (void)par;
  e->pe[0] = 1, e->qe[0] = 1;
  e->pe[1] = 1, e->qe[1] = 0;
}

/* Rubio-Campillo (2016): the logarithmic law over ln(e + t). */
static double fatigue_factor(double t) { return 1.0 / log(TRUCE__E + t); }

const truce__law truce__laws[] = {
    {"square", 0, {{0}}, square, NULL},
    {"linear", 0, {{0}}, linear, NULL},
    {"logarithmic", 0, {{0}}, logarithmic, NULL},
    {"helmbold", 1, {{"W", PAR(W), true, 0.5}}, helmbold, NULL},
    {"power",
     2,
     {{"p", PAR(p), false, 1}, {"q", PAR(q), false, 0}},
     power_law,
     NULL},
    {"fatigue", 0, {{0}}, logarithmic, fatigue_factor},
    {"deitchman", 0, {{0}}, deitchman, NULL},
};
const size_t truce__n_laws = sizeof truce__laws / sizeof truce__laws[0];

const truce__law* truce__law_of(double law) {
  size_t i = law >= 0 && law < (double)truce__n_laws ? (size_t)law : 0;
  return &truce__laws[i];
}

const char* truce__law_enum(size_t i) {
  return i < truce__n_laws ? truce__laws[i].name : NULL;
}

void truce__law_exponents(const truce__law* l, const void* p,
                          truce__law_exp* e) {
  double par[TRUCE_LAW_MAXPAR] = {0};
  for (size_t k = 0; k < l->n_params; k++)
    par[k] = *(const double*)((const char*)p + l->params[k].off);
  l->exponents(par, e);
}

/* ---------------------------------------------------------- Public API */

size_t truce_law_count(void) { return truce__n_laws; }

const char* truce_law_name(size_t law) { return truce__law_enum(law); }

int truce_law_index(const char* name) {
  for (size_t i = 0; name && i < truce__n_laws; i++)
    if (!strcmp(truce__laws[i].name, name)) return (int)i;
  return -1;
}
