/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The scenario schema: every numeric field, its type, range, default and
 * place in truce__model, and the resolver that maps a dotted path to it.
 * The loader, --set overrides and `set` events all go through this table,
 * so a field is declared exactly once.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../sim/laws.h"
#include "scenario_int.h"
#include "schema.h"

#define INF HUGE_VAL
#define PAR(m) (offsetof(truce__model, params) + offsetof(truce__params, m))
#define SID(m) offsetof(truce__side, m)
#define EQ(m) offsetof(truce__equip, m)

/* Postures, in the order of TRUCE_POSTURE_*. */
static const char* posture_names(size_t i) {
  static const char* const n[] = {"defend", "attack"};
  return i < 2 ? n[i] : NULL;
}

const truce__field truce__top_fields[] = {
    {"horizon_days", TRUCE_FK_NUM, offsetof(truce__model, horizon_days), 1,
     100000, TRUCE_F_INT, 365, NULL, "a whole number of days from 1 to 100000"},
    {"time_step", TRUCE_FK_NUM, offsetof(truce__model, time_step), 0.001, 1, 0,
     1, NULL, "a step in days from 0.001 to 1 that divides one day"},
};
const size_t truce__n_top_fields =
    sizeof truce__top_fields / sizeof truce__top_fields[0];

const truce__field truce__combat_fields[] = {
    {"law", TRUCE_FK_ENUM, PAR(law), 0, 0, TRUCE_F_REQ, 0, truce__law_enum,
     NULL},
    {"W", TRUCE_FK_NUM, PAR(W), 0, 1, 0, 0.5, NULL,
     "Helmbold's W, a number from 0 to 1"},
    {"p", TRUCE_FK_NUM, PAR(p), 0, 4, 0, 1, NULL,
     "the firer exponent p, a number from 0 to 4"},
    {"q", TRUCE_FK_NUM, PAR(q), 0, 4, 0, 0, NULL,
     "the target exponent q, a number from 0 to 4"},
    {"defender_advantage", TRUCE_FK_NUM, PAR(defender_advantage), 0, 100,
     TRUCE_F_LO_OPEN, 1, NULL, "a multiplier > 0 on the defender's fire"},
    {"intensity", TRUCE_FK_NUM, PAR(intensity), 0, 1000, 0, 1, NULL,
     "a multiplier >= 0 on both sides' fire"},
    {"ces.alpha", TRUCE_FK_NUM, PAR(ces_alpha), 0, 1, 0, 0.5, NULL,
     "the personnel weight of the CES, a number from 0 to 1"},
    {"ces.rho", TRUCE_FK_NUM, PAR(ces_rho), -50, 1, 0, -2, NULL,
     "the CES exponent, a number from -50 to 1 (< 0: complements)"},
    {"density_hazard", TRUCE_FK_NUM, PAR(density_hazard), 0, 1, 0, 0, NULL,
     "hazard on assaulters per defender soldier per km, from 0 to 1"},
    {"ces.scale", TRUCE_FK_NUM, PAR(ces_scale), 0, 1000, TRUCE_F_LO_OPEN, 1,
     NULL, "the CES scale A, a number > 0"},
};
const size_t truce__n_combat_fields =
    sizeof truce__combat_fields / sizeof truce__combat_fields[0];

const truce__field truce__front_fields[] = {
    {"length_km", TRUCE_FK_NUM, PAR(length_km), 0, 1e5, TRUCE_F_LO_OPEN, 1000,
     NULL, "a length in km > 0"},
    {"area_km2", TRUCE_FK_NUM, PAR(area_km2), 0, 1e8, TRUCE_F_LO_OPEN, 1e5,
     NULL, "an area in km2 > 0"},
    {"advance_km_per_day", TRUCE_FK_NUM, PAR(advance_km_per_day), 0, 1000, 0, 0,
     NULL, "a rate in km/day >= 0"},
    {"advance_exponent", TRUCE_FK_NUM, PAR(advance_exponent), 0, 10,
     TRUCE_F_LO_OPEN, 1, NULL, "an exponent > 0"},
    {"breakthrough_km_per_day", TRUCE_FK_NUM, PAR(breakthrough_km_per_day), 0,
     1000, 0, 0, NULL, "a rate in km/day >= 0"},
    {"grind_km_per_day", TRUCE_FK_NUM, PAR(grind_km_per_day), 0, 100, 0, 0,
     NULL, "the grind's top speed in km/day >= 0 (0: off)"},
    {"fortification", TRUCE_FK_NUM, PAR(fortification), 0, 1000,
     TRUCE_F_LO_OPEN, 1, NULL,
     "a multiplier > 0 on the defender's density (fortification, terrain)"},
    {"breakthrough_density", TRUCE_FK_NUM, PAR(breakthrough_density), 0, 1e6, 0,
     0, NULL,
     "defender soldiers per km below which the line breaks, >= 0 (0: the "
     "line breaks when the defender is exhausted)"},
    {"exploitation_depth_km", TRUCE_FK_NUM, PAR(exploitation_depth_km), 0, 1e4,
     0, 0, NULL, "the depth of one breakthrough in km >= 0 (0: no limit)"},
    {"stalemate_window_days", TRUCE_FK_NUM, PAR(stalemate_window_days), 1, 3650,
     TRUCE_F_INT, 30, NULL, "a whole number of days from 1 to 3650"},
    {"stalemate_km2", TRUCE_FK_NUM, PAR(stalemate_km2), 0, 1e8, 0, 100, NULL,
     "an area in km2 >= 0"},
};
const size_t truce__n_front_fields =
    sizeof truce__front_fields / sizeof truce__front_fields[0];

/* The fields of one fires channel (docs/model.md s5), under `key`. */
#define FI(c, m) \
  (SID(fire) + (c) * sizeof(truce__fires) + offsetof(truce__fires, m))
#define FIRE_FIELDS(key, c, el)                                               \
  {key ".stock",                                                              \
   TRUCE_FK_NUM,                                                              \
   FI(c, stock),                                                              \
   0,                                                                         \
   1e12,                                                                      \
   TRUCE_F_INIT,                                                              \
   0,                                                                         \
   NULL,                                                                      \
   "a number of rounds >= 0"},                                                \
      {key ".production_per_month",                                           \
       TRUCE_FK_NUM,                                                          \
       FI(c, production_per_month),                                           \
       0,                                                                     \
       1e12,                                                                  \
       0,                                                                     \
       0,                                                                     \
       NULL,                                                                  \
       "a number of rounds per month >= 0"},                                  \
      {key ".demand_per_day",                                                 \
       TRUCE_FK_NUM,                                                          \
       FI(c, demand_per_day),                                                 \
       0,                                                                     \
       1e10,                                                                  \
       0,                                                                     \
       0,                                                                     \
       NULL,                                                                  \
       "a number of rounds per day >= 0 (0: fire unlimited)"},                \
      {key ".shortfall_elasticity",                                           \
       TRUCE_FK_NUM,                                                          \
       FI(c, elasticity),                                                     \
       0,                                                                     \
       10,                                                                    \
       0,                                                                     \
       el,                                                                    \
       NULL,                                                                  \
       "an exponent from 0 to 10"},                                           \
      {key ".cover_days",                                                     \
       TRUCE_FK_NUM,                                                          \
       FI(c, cover_days),                                                     \
       0,                                                                     \
       3650,                                                                  \
       0,                                                                     \
       0,                                                                     \
       NULL,                                                                  \
       "days over which a short side fires its stock down, >= 0 (0: "         \
       "fire all it has)"},                                                   \
      {key ".casualties_per_round",                                           \
       TRUCE_FK_NUM,                                                          \
       FI(c, kill_per_round),                                                 \
       0,                                                                     \
       1e3,                                                                   \
       0,                                                                     \
       0,                                                                     \
       NULL,                                                                  \
       "enemy casualties per round fired, >= 0"},                             \
  {                                                                           \
    key ".assault_hazard", TRUCE_FK_NUM, FI(c, assault_hazard), 0, 1e3, 0, 0, \
        NULL, "hazard on enemy assaulters per round per day per km, >= 0"     \
  }

const truce__field truce__side_fields[] = {
    {"personnel.front", TRUCE_FK_NUM, SID(front), 0, 1e9,
     TRUCE_F_REQ | TRUCE_F_INIT, 0, NULL, "a number of soldiers >= 0"},
    {"personnel.pool", TRUCE_FK_NUM, SID(pool), 0, 1e9, TRUCE_F_INIT, 0, NULL,
     "a number of people >= 0"},
    {"personnel.training", TRUCE_FK_NUM, SID(training), 0, 1e9, TRUCE_F_INIT, 0,
     NULL, "a number of soldiers in training at the start >= 0"},
    {"personnel.recruits_per_month", TRUCE_FK_NUM, SID(recruits_per_month), 0,
     1e8, 0, 0, NULL, "a number of recruits per month >= 0"},
    {"personnel.training_days", TRUCE_FK_NUM, SID(training_days), 0,
     TRUCE_MAX_DELAY_DAYS, TRUCE_F_INT, 0, NULL,
     "a whole number of days from 0 to 3650"},
    {"personnel.killed_share", TRUCE_FK_NUM, SID(killed_share), 0, 1, 0, 1,
     NULL, "a fraction from 0 to 1"},
    {"personnel.wounded_share", TRUCE_FK_NUM, SID(wounded_share), 0, 1, 0, 0,
     NULL, "a fraction from 0 to 1"},
    {"personnel.missing_share", TRUCE_FK_NUM, SID(missing_share), 0, 1, 0, 0,
     NULL, "a fraction from 0 to 1"},
    {"personnel.wounded_return_share", TRUCE_FK_NUM, SID(wounded_return_share),
     0, 1, 0, 0, NULL, "a fraction from 0 to 1"},
    {"personnel.wounded_return_days", TRUCE_FK_NUM, SID(wounded_return_days), 0,
     TRUCE_MAX_DELAY_DAYS, TRUCE_F_INT, 60, NULL,
     "a whole number of days from 0 to 3650"},
    {"personnel.noncombat_loss_per_month", TRUCE_FK_NUM,
     SID(noncombat_loss_per_month), 0, 1, 0, 0, NULL,
     "a fraction of the front per month from 0 to 1"},
    {"personnel.front_max", TRUCE_FK_NUM, SID(front_max), 0, 1e9, 0, 0, NULL,
     "the most soldiers at the front, >= 0 (0: no limit)"},
    {"personnel.reserve_commit_per_month", TRUCE_FK_NUM,
     SID(reserve_commit_per_month), 0, 1000, 0, 0, NULL,
     "a rate per month >= 0 at which the rear reserve forms new units at the "
     "front (0: off)"},
    {"quality", TRUCE_FK_NUM, SID(quality), 0, 100, TRUCE_F_LO_OPEN, 1, NULL,
     "a competence multiplier > 0 (1 = reference)"},
    {"exhaustion_threshold", TRUCE_FK_NUM, SID(exhaustion_threshold), 0, 1e9, 0,
     0, NULL, "a number of soldiers >= 0"},
    {"capable_threshold", TRUCE_FK_NUM, SID(capable_threshold), 0, 1e9, 0, 0,
     NULL, "a combat power in effective soldiers >= 0 (0: off)"},
    {"posture", TRUCE_FK_ENUM, SID(posture), 0, 1, 0, TRUCE_POSTURE_DEFEND,
     posture_names, "attack or defend"},
    FIRE_FIELDS("ammunition", TRUCE_FIRE_ARTILLERY, 1),
    FIRE_FIELDS("drones", TRUCE_FIRE_DRONES, 0),
    {"assault.effort", TRUCE_FK_NUM, SID(effort), 0, 1, 0, 0, NULL,
     "a share of the front in assaults per day, from 0 to 1"},
    {"assault.effort_max", TRUCE_FK_NUM, SID(effort_max), 0, 1, 0, 1, NULL,
     "the most of the front in assaults per day, from 0 to 1"},
    {"assault.hold_per_km", TRUCE_FK_NUM, SID(hold_per_km), 0, 1e6, 0, 0, NULL,
     "soldiers per km of front that hold the line, >= 0"},
    {"assault.loss_limit", TRUCE_FK_NUM, SID(loss_limit), 0, 1, 0, 0, NULL,
     "casualties per day as a share of the front at which the effort halves, "
     "from 0 to 1 (0: no easing)"},
    {"assault.objective", TRUCE_FK_NUM, SID(objective), 0, 1, 0, 0, NULL,
     "the territory share at which the side stops assaulting, from 0 to 1 "
     "(0: no objective)"},
    {"assault.loss_memory_days", TRUCE_FK_NUM, SID(loss_memory_days), 1, 3650,
     0, 30, NULL, "days over which recent losses are averaged, 1 to 3650"},
};
const size_t truce__n_side_fields =
    sizeof truce__side_fields / sizeof truce__side_fields[0];

const truce__field truce__equip_fields[] = {
    {"stock", TRUCE_FK_NUM, EQ(stock), 0, 1e9, TRUCE_F_REQ | TRUCE_F_INIT, 0,
     NULL, "a number of items >= 0"},
    {"production_per_month", TRUCE_FK_NUM, EQ(production_per_month), 0, 1e9, 0,
     0, NULL, "a number of items per month >= 0"},
    {"loss_per_casualty", TRUCE_FK_NUM, EQ(loss_per_casualty), 0, 1e3, 0, 0,
     NULL, "items lost per own casualty, >= 0"},
    {"loss_per_day", TRUCE_FK_NUM, EQ(loss_per_day), 0, 1e9, 0, 0, NULL,
     "items lost per day of combat at intensity 1, >= 0"},
    {"soldiers_per_item", TRUCE_FK_NUM, EQ(soldiers_per_item), 0, 1e6,
     TRUCE_F_LO_OPEN | TRUCE_F_REQ, 1, NULL, "soldiers one item equips, > 0"},
    {"weight", TRUCE_FK_NUM, EQ(weight), 0, 1e6, 0, 1, NULL,
     "the class's weight in the equipment aggregate, >= 0"},
};
const size_t truce__n_equip_fields =
    sizeof truce__equip_fields / sizeof truce__equip_fields[0];

#define BK(m) offsetof(truce__backer, m)
#define BU(m) offsetof(truce__buy, m)
const truce__field truce__backer_fields[] = {
    {"budget_per_month", TRUCE_FK_NUM, BK(budget_per_month), 0, 1e13,
     TRUCE_F_REQ, 0, NULL, "money per month when approved, >= 0"},
    {"budget_scale", TRUCE_FK_NUM, BK(budget_scale), 0, 100, 0, 1, NULL,
     "a multiplier on the budget >= 0 (1 = as given)"},
    {"will.initial", TRUCE_FK_NUM, BK(will_initial), 0, 1, 0, 0.7, NULL,
     "political will from 0 to 1"},
    {"will.mean", TRUCE_FK_NUM, BK(will_mean), 0, 1, 0, 0.7, NULL,
     "the level will reverts to, from 0 to 1"},
    {"will.reversion_per_year", TRUCE_FK_NUM, BK(will_reversion), 0, 100, 0, 1,
     NULL, "a mean-reversion rate per year >= 0"},
    {"will.volatility_per_year", TRUCE_FK_NUM, BK(will_volatility), 0, 10, 0,
     0.2, NULL, "a volatility per sqrt(year) >= 0"},
    {"attention", TRUCE_FK_NUM, BK(attention), 0, 1, 0, 1, NULL,
     "the share of attention on this war, from 0 to 1"},
    {"approval.threshold", TRUCE_FK_NUM, BK(approval_threshold), 0, 1, 0, 0.5,
     NULL, "the will x attention needed to approve, from 0 to 1"},
    {"approval.probability_per_month", TRUCE_FK_NUM, BK(approval_per_month), 0,
     1, 0, 0.5, NULL, "a probability per month from 0 to 1"},
    {"package_months", TRUCE_FK_NUM, BK(package_months), 0.1, 120, 0, 3, NULL,
     "months of budget in one package, from 0.1 to 120"},
    {"delivery_days", TRUCE_FK_NUM, BK(delivery_days), 0, TRUCE_MAX_DELAY_DAYS,
     TRUCE_F_INT, 60, NULL, "a whole number of days from 0 to 3650"},
    {"recruits_per_million", TRUCE_FK_NUM, BK(recruits_per_million), 0, 1e6, 0,
     0, NULL, "recruits per month per million of financial aid per month"},
};
const size_t truce__n_backer_fields =
    sizeof truce__backer_fields / sizeof truce__backer_fields[0];

const truce__field truce__buy_fields[] = {
    {"share", TRUCE_FK_NUM, BU(share), 0, 1, 0, 0, NULL,
     "a share of the budget from 0 to 1"},
    {"unit_cost", TRUCE_FK_NUM, BU(unit_cost), 0, 1e12, TRUCE_F_LO_OPEN, 1,
     NULL, "money per unit > 0"},
    {"capacity_per_month", TRUCE_FK_NUM, BU(capacity_per_month), 0, 1e12, 0,
     1e12, NULL, "units the backer can deliver per month >= 0"},
    {"releasable_stock", TRUCE_FK_NUM, BU(releasable_stock), 0, 1e12,
     TRUCE_F_INIT, 0, NULL,
     "units it can release from stocks beyond its capacity, >= 0"},
    {"in_transit", TRUCE_FK_NUM, BU(in_transit), 0, 1e12, TRUCE_F_INIT, 0, NULL,
     "units committed before the start and not yet delivered, >= 0"},
};
const size_t truce__n_buy_fields =
    sizeof truce__buy_fields / sizeof truce__buy_fields[0];

size_t truce__backer_base(size_t b) {
  return PAR(backer) + b * sizeof(truce__backer);
}

size_t truce__buy_base(size_t b, size_t item) {
  return truce__backer_base(b) + BK(buy) + item * sizeof(truce__buy);
}

/* Item index of `name` for backer b: ammunition, recruitment, or one of
 * the supported side's equipment classes; -1 if none. */
int truce__buy_item(const truce_scenario* sc, size_t b, const char* name,
                    size_t len) {
  if (len == 10 && !strncmp(name, "ammunition", len)) return TRUCE_ITEM_AMMO;
  if (len == 11 && !strncmp(name, "recruitment", len))
    return TRUCE_ITEM_RECRUIT;
  int s = sc->model.backer_side[b];
  for (size_t k = 0; k < sc->model.n_equip[s]; k++)
    if (strlen(sc->equip_name[s][k]) == len &&
        !strncmp(sc->equip_name[s][k], name, len))
      return 1 + (int)k;
  return -1;
}

const truce__field truce__coefficient_field = {
    "coefficients",
    TRUCE_FK_NUM,
    SID(coefficient),
    0,
    1e6,
    TRUCE_F_REQ,
    0,
    NULL,
    "an attrition coefficient >= 0 (per day)"};
const truce__field truce__territory_field = {
    "territory",
    TRUCE_FK_NUM,
    SID(territory),
    0,
    1,
    TRUCE_F_INIT,
    0.5,
    NULL,
    "a share of the contested area from 0 to 1"};

/* The negotiation's numbers (docs/bargaining.md): fixed for a run (drawn
 * per run when uncertain; events cannot change them). */
#define NEG(m) (PAR(nego) + offsetof(truce__nego, m))
#define NSD(m) offsetof(truce__nego_side, m)
const truce__field truce__nego_fields[] = {
    {"observation_noise", TRUCE_FK_NUM, NEG(noise), 1e-6, 10, 0, 0.5, NULL,
     "an sd of the observed log exchange ratio from 1e-6 to 10"},
    {"territory_per_log_ratio", TRUCE_FK_NUM, NEG(sensitivity), 0, 10, 0, 0.1,
     NULL, "a share of the contested area per year from 0 to 10"},
    {"contested_share", TRUCE_FK_NUM, NEG(contested), 0, 1, TRUCE_F_LO_OPEN, 1,
     NULL, "a share of front.area_km2 in dispute, > 0 and <= 1"},
    {"ceasefire_days", TRUCE_FK_NUM, NEG(ceasefire_days), 0, 3650, 0, 0, NULL,
     "a number of days from 0 (no commitment problem) to 3650"},
    {"reconstitution_sd", TRUCE_FK_NUM, NEG(reconstitution_sd), 0, 10, 0, 0,
     NULL, "a relative sd of the reconstitution rate from 0 to 10"},
    {"endurance_sd", TRUCE_FK_NUM, NEG(endurance_sd), 0, 10, 0, 0, NULL,
     "a relative sd of the believed enemy inflow from 0 to 10"},
    {"aid_share_of_inflow", TRUCE_FK_NUM, NEG(aid_share), 0, 1, 0, 0, NULL,
     "a share of side 0's inflow from 0 to 1"},
    {"aid_observation_noise", TRUCE_FK_NUM, NEG(aid_noise), 1e-6, 10, 0, 0.4,
     NULL, "an sd of a log aid ratio from 1e-6 to 10"},
    {"election_spread", TRUCE_FK_NUM, NEG(election_spread), 0, 10, 0, 0, NULL,
     "an sd of a log aid ratio from 0 to 10"},
    {"agreement_per_month_open", TRUCE_FK_NUM, NEG(talks_open), 0, 1, 0, 0,
     NULL, "a probability from 0 to 1"},
    {"agreement_per_month_ripe", TRUCE_FK_NUM, NEG(talks_ripe), 0, 1, 0, 0,
     NULL, "a probability from 0 to 1"},
};
const size_t truce__n_nego_fields =
    sizeof truce__nego_fields / sizeof truce__nego_fields[0];
const truce__field truce__guarantee_credibility_field = {
    "guarantee.credibility",
    TRUCE_FK_NUM,
    NEG(g_credibility),
    0,
    1,
    0,
    0,
    NULL,
    "a probability from 0 to 1"};
const truce__field truce__guarantee_strength_field = {
    "guarantee.strength",    TRUCE_FK_NUM, NEG(g_strength), 0, 10, 0, 0, NULL,
    "a utility from 0 to 10"};

const truce__field truce__nego_side_fields[] = {
    {"cost_per_year", TRUCE_FK_NUM, NSD(cost_per_year), 0, 10, 0, 0, NULL,
     "a utility per year of war from 0 to 10"},
    {"cost_per_100k_casualties", TRUCE_FK_NUM, NSD(cost_per_100k), 0, 10, 0, 0,
     NULL, "a utility per 100k own casualties from 0 to 10"},
    {"discount_per_year", TRUCE_FK_NUM, NSD(discount_per_year), 0, 0.99, 0,
     0.05, NULL, "a discount rate per year from 0 to 0.99"},
    {"optimism", TRUCE_FK_NUM, NSD(optimism), -5, 5, 0, 0, NULL,
     "a log exchange ratio from -5 to 5"},
    {"prior_sd", TRUCE_FK_NUM, NSD(prior_sd), 1e-6, 10, 0, 0.5, NULL,
     "an sd from 1e-6 to 10"},
    {"bargaining_power", TRUCE_FK_NUM, NSD(power), 0, 1, 0, 0.5, NULL,
     "a bargaining power from 0 to 1"},
    {"aid_bias", TRUCE_FK_NUM, NSD(aid_bias), -5, 5, 0, 0, NULL,
     "a log aid ratio from -5 to 5"},
};
const size_t truce__n_nego_side_fields =
    sizeof truce__nego_side_fields / sizeof truce__nego_side_fields[0];

size_t truce__nego_side_base(size_t i) {
  return NEG(side) + i * sizeof(truce__nego_side);
}

bool truce__is_nego_offset(size_t off) {
  return off >= PAR(nego) && off < PAR(nego) + sizeof(truce__nego);
}

size_t truce__side_base(size_t i) {
  return PAR(side) + i * sizeof(truce__side);
}

size_t truce__equip_base(size_t side, size_t k) {
  return truce__side_base(side) + SID(equip) + k * sizeof(truce__equip);
}

bool truce__field_check(const truce__field* f, double v, char* buf, size_t n) {
  bool ok = isfinite(v) && v <= f->hi &&
            ((f->flags & TRUCE_F_LO_OPEN) ? v > f->lo : v >= f->lo);
  if (ok && (f->flags & TRUCE_F_INT) && v != floor(v)) ok = false;
  /* name the upper bound when the value broke it and the text does not */
  if (!ok && v > f->hi && !strstr(f->expect, " to "))
    snprintf(buf, n, "%s, at most %g", f->expect, f->hi);
  else if (!ok)
    snprintf(buf, n, "%s", f->expect);
  return ok;
}

int truce__field_enum_index(const truce__field* f, const char* text) {
  const char* n;
  for (size_t i = 0; (n = f->names(i)); i++)
    if (!strcmp(n, text)) return (int)i;
  return -1;
}

size_t truce__field_enum_names(const truce__field* f, const char** out,
                               size_t cap) {
  size_t i = 0;
  for (; i < cap && (out[i] = f->names(i)); i++) continue;
  return i;
}

const char* truce__field_expect(const truce__field* f, char* buf, size_t n) {
  if (f->expect || f->kind != TRUCE_FK_ENUM) return f->expect;
  const char* names[32];
  size_t k = truce__field_enum_names(f, names, 32);
  snprintf(buf, n, "one of ");
  for (size_t i = 0; i < k; i++) {
    size_t l = strlen(buf);
    snprintf(buf + l, n - l, "%s%s", i ? ", " : "", names[i]);
  }
  return buf;
}

const truce__field* truce__field_find(const truce__field* t, size_t n,
                                      const char* key) {
  for (size_t i = 0; i < n; i++)
    if (strcmp(t[i].key, key) == 0) return &t[i];
  return NULL;
}

/* The nearest of `cands` to `word` within a small edit distance. */
const char* truce__suggest(const char* word, const char* const* cands,
                           size_t n) {
  const char* best = NULL;
  int bd = 3;
  size_t wl = strlen(word);
  if (wl < 3) return NULL; /* one-letter typos of short ids are noise */
  for (size_t i = 0; i < n; i++) {
    int d = truce__edit_distance(word, cands[i]);
    int lim = wl <= 4 ? 1 : (wl <= 8 ? 2 : 3);
    if (d <= lim && d < bd) {
      bd = d;
      best = cands[i];
    }
  }
  return best;
}

/* Suggest the table key nearest to `key` (full dotted key). */
static const char* suggest_field(const char* key, const truce__field* t,
                                 size_t n) {
  const char* names[64];
  size_t m = 0;
  for (size_t i = 0; i < n && m < 64; i++) names[m++] = t[i].key;
  return truce__suggest(key, names, m);
}

/* An "unknown WHAT 'path'" error. When sugg is not NULL it replaces the
 * path's characters [at, at + len) and the whole corrected path is
 * suggested, so that it can be pasted back as it is. */
static int unknown_at(truce_ctx* ctx, const char* path, const char* what,
                      size_t at, size_t len, const char* sugg) {
  if (sugg)
    return TRUCE_FAIL(ctx, TRUCE_EINVAL,
                      "unknown %s '%s'; did you mean '%.*s%s%s'?", what, path,
                      (int)at, path, sugg, path + at + len);
  return TRUCE_FAIL(ctx, TRUCE_EINVAL, "unknown %s '%s'", what, path);
}

static int unknown(truce_ctx* ctx, const char* path, const char* what,
                   const char* sugg) {
  return unknown_at(ctx, path, what, 0, strlen(path), sugg);
}

/* key's field in table t (n entries), found at base + its offset; else an
 * "unknown WHAT" error suggesting the path with the nearest key (key is
 * the tail of path). */
static int in_table(truce_ctx* ctx, const char* path, const char* key,
                    const truce__field* t, size_t n, size_t base,
                    const char* what, const truce__field** f, size_t* off) {
  *f = truce__field_find(t, n, key);
  size_t kl = strlen(key);
  if (!*f)
    return unknown_at(ctx, path, what, strlen(path) - kl, kl,
                      suggest_field(key, t, n));
  *off = base + (*f)->off;
  return 0;
}

static int find_side(const truce_scenario* sc, const char* id, size_t len) {
  for (int i = 0; i < 2; i++)
    if (strlen(sc->side_id[i]) == len && strncmp(sc->side_id[i], id, len) == 0)
      return i;
  return -1;
}

/* combat.<field>, combat.coefficients.<side>, front.<field> and
 * front.territory.<side>. */
static int resolve_combat_front(truce_ctx* ctx, const truce_scenario* sc,
                                const char* path, const char* rest,
                                const truce__field** f, size_t* off) {
  const char* sugg;
  bool combat = !strncmp(path, "combat.", 7);
  const char* mapkey = combat ? "coefficients." : "territory.";
  if (strncmp(rest, mapkey, strlen(mapkey)) == 0) {
    const char* id = rest + strlen(mapkey);
    int s = find_side(sc, id, strlen(id));
    if (s < 0) {
      const char* ids[2] = {sc->side_id[0], sc->side_id[1]};
      sugg = truce__suggest(id, ids, 2);
      return TRUCE_FAIL(ctx, TRUCE_EINVAL,
                        "unknown side '%s' in '%s'; expected %s%s%s or %s", id,
                        path, sugg ? "(did you mean '" : "", sugg ? sugg : "",
                        sugg ? "') " : "", "a side id");
    }
    *f = combat ? &truce__coefficient_field : &truce__territory_field;
    *off = truce__side_base((size_t)s) + (*f)->off;
    return 0;
  }
  const truce__field* t = combat ? truce__combat_fields : truce__front_fields;
  size_t n = combat ? truce__n_combat_fields : truce__n_front_fields;
  return in_table(ctx, path, rest, t, n, 0, "parameter", f, off);
}

/* sides.<side>.<field>, sides.<side>.equipment.<class>.<field>. */
static int resolve_sides(truce_ctx* ctx, const truce_scenario* sc,
                         const char* path, const char* rest,
                         const truce__field** f, size_t* off) {
  const char* d2 = strchr(rest, '.');
  if (!d2) return unknown(ctx, path, "parameter", NULL);
  int s = find_side(sc, rest, (size_t)(d2 - rest));
  if (s < 0) {
    char id[64];
    const char* ids[2] = {sc->side_id[0], sc->side_id[1]};
    snprintf(id, sizeof id, "%.*s", (int)(d2 - rest), rest);
    const char* sugg = truce__suggest(id, ids, 2);
    if (sugg)
      return TRUCE_FAIL(ctx, TRUCE_EINVAL,
                        "unknown side '%s' in '%s'; did you mean "
                        "'sides.%s%s'?",
                        id, path, sugg, d2);
    return TRUCE_FAIL(ctx, TRUCE_EINVAL,
                      "unknown side '%s' in '%s'; expected '%s' or '%s'", id,
                      path, sc->side_id[0], sc->side_id[1]);
  }
  const char* sub = d2 + 1;
  if (strncmp(sub, "equipment.", 10) == 0) {
    const char* name = sub + 10;
    const char* d3 = strchr(name, '.');
    if (!d3) return unknown(ctx, path, "parameter", NULL);
    for (size_t k = 0; k < sc->model.n_equip[s]; k++) {
      const char* en = sc->equip_name[s][k];
      if (strlen(en) == (size_t)(d3 - name) &&
          strncmp(en, name, (size_t)(d3 - name)) == 0) {
        return in_table(ctx, path, d3 + 1, truce__equip_fields,
                        truce__n_equip_fields, truce__equip_base((size_t)s, k),
                        "parameter", f, off);
      }
    }
    return TRUCE_FAIL(ctx, TRUCE_EINVAL,
                      "unknown equipment class '%.*s' in '%s'",
                      (int)(d3 - name), name, path);
  }
  return in_table(ctx, path, sub, truce__side_fields, truce__n_side_fields,
                  truce__side_base((size_t)s), "parameter", f, off);
}

/* negotiation.<field>, negotiation.sides.<side>.<field> and
 * negotiation.guarantee.credibility. */
static int resolve_negotiation(truce_ctx* ctx, const truce_scenario* sc,
                               const char* path, const char* rest,
                               const truce__field** f, size_t* off) {
  if (!sc->model.params.nego.present)
    return TRUCE_FAIL(ctx, TRUCE_EINVAL,
                      "'%s': the scenario has no "
                      "negotiation section",
                      path);
  if (!strncmp(rest, "sides.", 6)) {
    const char* id = rest + 6;
    const char* d2 = strchr(id, '.');
    int s = d2 ? find_side(sc, id, (size_t)(d2 - id)) : -1;
    if (s < 0)
      return TRUCE_FAIL(ctx, TRUCE_EINVAL,
                        "unknown side in '%s'; expected '%s' or '%s'", path,
                        sc->side_id[0], sc->side_id[1]);
    return in_table(ctx, path, d2 + 1, truce__nego_side_fields,
                    truce__n_nego_side_fields, truce__nego_side_base((size_t)s),
                    "negotiation parameter", f, off);
  }
  if (!strcmp(rest, "guarantee.credibility") ||
      !strcmp(rest, "guarantee.strength")) {
    if (!sc->model.params.nego.has_guarantee)
      return TRUCE_FAIL(ctx, TRUCE_EINVAL,
                        "'%s': the scenario's "
                        "negotiation has no guarantee",
                        path);
    *f = rest[10] == 'c' ? &truce__guarantee_credibility_field
                         : &truce__guarantee_strength_field;
    *off = (*f)->off;
    return 0;
  }
  return in_table(ctx, path, rest, truce__nego_fields, truce__n_nego_fields, 0,
                  "negotiation parameter", f, off);
}

/* backers.<backer>.<field>, backers.<backer>.buys.<item>.<field>. */
static int resolve_backers(truce_ctx* ctx, const truce_scenario* sc,
                           const char* path, const char* rest,
                           const truce__field** f, size_t* off) {
  const char* d2 = strchr(rest, '.');
  size_t b = 0;
  while (b < sc->model.n_backers &&
         !(d2 && strlen(sc->backer_id[b]) == (size_t)(d2 - rest) &&
           !strncmp(sc->backer_id[b], rest, (size_t)(d2 - rest))))
    b++;
  if (!d2 || b == sc->model.n_backers)
    return TRUCE_FAIL(ctx, TRUCE_EINVAL, "unknown backer in '%s'", path);
  const char* sub = d2 + 1;
  if (!strncmp(sub, "buys.", 5)) {
    const char* item = sub + 5;
    const char* d3 = strchr(item, '.');
    int it = d3 ? truce__buy_item(sc, b, item, (size_t)(d3 - item)) : -1;
    if (it < 0)
      return TRUCE_FAIL(ctx, TRUCE_EINVAL,
                        "unknown item in '%s'; expected "
                        "ammunition, recruitment or an equipment class",
                        path);
    return in_table(ctx, path, d3 + 1, truce__buy_fields, truce__n_buy_fields,
                    truce__buy_base(b, (size_t)it), "parameter", f, off);
  }
  return in_table(ctx, path, sub, truce__backer_fields, truce__n_backer_fields,
                  truce__backer_base(b), "parameter", f, off);
}

int truce__scenario_resolve(truce_ctx* ctx, const truce_scenario* sc,
                            const char* path, const truce__field** f,
                            size_t* off) {
  static const struct {
    const char* head;
    int (*fn)(truce_ctx*, const truce_scenario*, const char*, const char*,
              const truce__field**, size_t*);
  } heads[] = {{"combat", resolve_combat_front},
               {"front", resolve_combat_front},
               {"sides", resolve_sides},
               {"backers", resolve_backers},
               {"negotiation", resolve_negotiation}};
  const size_t nh = sizeof heads / sizeof heads[0];
  const char* dot = strchr(path, '.');
  size_t hl = dot ? (size_t)(dot - path) : strlen(path);
  if (!dot) {
    *f = truce__field_find(truce__top_fields, truce__n_top_fields, path);
    if (*f) {
      *off = (*f)->off;
      return 0;
    }
  } else {
    for (size_t k = 0; k < nh; k++)
      if (hl == strlen(heads[k].head) && !strncmp(path, heads[k].head, hl))
        return heads[k].fn(ctx, sc, path, dot + 1, f, off);
  }
  const char* names[16];
  size_t n = 0;
  for (size_t i = 0; i < truce__n_top_fields && n < 16; i++)
    names[n++] = truce__top_fields[i].key;
  for (size_t k = 0; k < nh && n < 16; k++) names[n++] = heads[k].head;
  char head[64];
  snprintf(head, sizeof head, "%.*s", (int)(hl < 63 ? hl : 63), path);
  return unknown_at(ctx, path, "parameter", 0, hl,
                    truce__suggest(head, names, n));
}

/* Every path truce__scenario_resolve accepts, in the order of its heads
 * and tables: fn(user, path, field, offset) for each; stops at the first
 * nonzero return and returns it. The walk mirrors the resolver above
 * (tests/unit/test_scenario.c resolves every path it gives). */

static int each_in(const truce__field* t, size_t n, const char* prefix,
                   size_t base, truce__path_fn fn, void* user) {
  char path[TRUCE__PATH_MAX];
  int rc = 0;
  for (size_t i = 0; i < n && !rc; i++) {
    snprintf(path, sizeof path, "%s%s", prefix, t[i].key);
    rc = fn(user, path, &t[i], base + t[i].off);
  }
  return rc;
}

int truce__scenario_each_path(const truce_scenario* sc, truce__path_fn fn,
                              void* user) {
  char pre[TRUCE__PATH_MAX];
  int rc = each_in(truce__top_fields, truce__n_top_fields, "", 0, fn, user);
  if (!rc)
    rc = each_in(truce__combat_fields, truce__n_combat_fields, "combat.", 0, fn,
                 user);
  for (size_t s = 0; s < 2 && !rc; s++) {
    snprintf(pre, sizeof pre, "combat.coefficients.%s", sc->side_id[s]);
    rc = fn(user, pre, &truce__coefficient_field,
            truce__side_base(s) + truce__coefficient_field.off);
  }
  if (!rc)
    rc = each_in(truce__front_fields, truce__n_front_fields, "front.", 0, fn,
                 user);
  for (size_t s = 0; s < 2 && !rc; s++) {
    snprintf(pre, sizeof pre, "front.territory.%s", sc->side_id[s]);
    rc = fn(user, pre, &truce__territory_field,
            truce__side_base(s) + truce__territory_field.off);
  }
  for (size_t s = 0; s < 2 && !rc; s++) {
    snprintf(pre, sizeof pre, "sides.%s.", sc->side_id[s]);
    rc = each_in(truce__side_fields, truce__n_side_fields, pre,
                 truce__side_base(s), fn, user);
    for (size_t k = 0; k < sc->model.n_equip[s] && !rc; k++) {
      snprintf(pre, sizeof pre, "sides.%s.equipment.%s.", sc->side_id[s],
               sc->equip_name[s][k]);
      rc = each_in(truce__equip_fields, truce__n_equip_fields, pre,
                   truce__equip_base(s, k), fn, user);
    }
  }
  for (size_t b = 0; b < sc->model.n_backers && !rc; b++) {
    snprintf(pre, sizeof pre, "backers.%s.", sc->backer_id[b]);
    rc = each_in(truce__backer_fields, truce__n_backer_fields, pre,
                 truce__backer_base(b), fn, user);
    size_t s = (size_t)sc->model.backer_side[b];
    for (size_t it = 0; it < TRUCE_BACKER_ITEMS && !rc; it++) {
      const char* item = it == TRUCE_ITEM_AMMO      ? "ammunition"
                         : it == TRUCE_ITEM_RECRUIT ? "recruitment"
                         : it - 1 < sc->model.n_equip[s]
                             ? sc->equip_name[s][it - 1]
                             : NULL;
      if (!item) continue;
      snprintf(pre, sizeof pre, "backers.%s.buys.%s.", sc->backer_id[b], item);
      rc = each_in(truce__buy_fields, truce__n_buy_fields, pre,
                   truce__buy_base(b, it), fn, user);
    }
  }
  const truce__nego* ng = &sc->model.params.nego;
  if (!rc && ng->present)
    rc = each_in(truce__nego_fields, truce__n_nego_fields, "negotiation.", 0,
                 fn, user);
  if (!rc && ng->present && ng->has_guarantee)
    rc = each_in(&truce__guarantee_credibility_field, 1, "negotiation.", 0, fn,
                 user);
  if (!rc && ng->present && ng->has_guarantee)
    rc = each_in(&truce__guarantee_strength_field, 1, "negotiation.", 0, fn,
                 user);
  for (size_t s = 0; s < 2 && !rc && ng->present; s++) {
    snprintf(pre, sizeof pre, "negotiation.sides.%s.", sc->side_id[s]);
    rc = each_in(truce__nego_side_fields, truce__n_nego_side_fields, pre,
                 truce__nego_side_base(s), fn, user);
  }
  return rc;
}

int truce__model_check(const truce_scenario* sc, char* buf, size_t n) {
  const truce__params* p = &sc->model.params;
  for (int i = 0; i < 2; i++) {
    const truce__side* s = &p->side[i];
    double sum = s->killed_share + s->wounded_share + s->missing_share;
    if (fabs(sum - 1.0) > 1e-9) {
      snprintf(buf, n,
               "side '%s': killed_share + wounded_share + missing_share = %g; "
               "expected them to sum to 1",
               sc->side_id[i], sum);
      return 1 + i;
    }
  }
  double terr = p->side[0].territory + p->side[1].territory;
  if (terr > 1.0 + 1e-9) {
    snprintf(buf, n,
             "front.territory shares sum to %g; expected a sum of at most 1",
             terr);
    return 3;
  }
  double steps = 1.0 / sc->model.time_step;
  if (fabs(steps - floor(steps + 0.5)) > 1e-6) {
    snprintf(buf, n,
             "time_step %g does not divide one day; expected 1/k for a whole "
             "number k (e.g. 1, 0.5, 0.1, 0.01, 0.001)",
             sc->model.time_step);
    return 4;
  }
  return 0;
}
