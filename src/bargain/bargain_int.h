/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Internal interface of the bargaining layer's mechanisms beyond the
 * range itself (docs/bargaining.md, "Why wars go on"): the durability of
 * a settlement under a shifting balance (commit.c), indivisible and
 * constitutional stakes and hand-ties (terms.c), beliefs about the other
 * side's endurance and its backers' future aid (resolve.c), and the
 * negotiation process that turns an open range into an agreement or none
 * (agree.c). Each takes plain numbers and returns plain numbers, so it is
 * tested on its own and bargain.c composes them.
 */
#ifndef TRUCE_BARGAIN_INT_H
#define TRUCE_BARGAIN_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "../scenario/nego.h"
#include "truce/rng.h"

/* ------------------------------------------------------ commit.c */

/* A ceasefire seen from a decision day: what each side (0, 1) brings back
 * into its usable force per day while the guns are silent (recruitment,
 * production, the aid its backers deliver) and how uncertain that is. */
typedef struct {
  double force[2];     /* usable force now */
  double inflow[2];    /* reconstitution per day during the ceasefire */
  double inflow_sd[2]; /* its standard deviation (per day) */
  double days;         /* the ceasefire's span over which the shift builds */
  double cost[2];      /* each side's cost of resuming the war (utility) */
  double stake[2];     /* utility of the whole contested area to side i */
  double discount[2];  /* side i's discount factor over `days` */
  double g_credibility, g_strength; /* a guarantee: P(it acts), sanction */
} truce__ceasefire;

typedef struct {
  double p_now;      /* side 0's share of the combined usable force */
  double shift_mean; /* expected change of that share by the end */
  double shift_sd;
  double p_hold;    /* P(neither side gains enough to break it) */
  double resume[2]; /* value side i expects if the war resumes */
} truce__durability;

/* The shift a ceasefire is expected to bring and the probability that the
 * settlement holds through it (docs/bargaining.md, "Commitment"); with
 * `guaranteed` the guarantee's expected sanction deters the side that
 * would break it. `war` holds each side's value of fighting on now. */
void truce__ceasefire_durability(const truce__ceasefire* c, const double war[2],
                                 bool guaranteed, truce__durability* out);

/* The utility side i must get from a package for the package, valued
 * with its durability (h u + (1 - h) resume), to reach `threshold`. */
double truce__durable_threshold(double threshold, double p_hold, double resume);

/* ------------------------------------------------------- terms.c */

/* truce__claim, truce__claims: see src/scenario/nego.h. */

/* Whether claim k is in force on `day`. */
bool truce__claim_in_force(const truce__claim* c, int day);

/* The cost side i pays on `day` for the discrete part of a package whose
 * option values to i are value[k] (n issues); HUGE_VAL if a claim forbids
 * it. */
double truce__claims_discrete_cost(const truce__claims* cl, int i, int day,
                                   const double* value, int n);

/* The interval of side 0's territorial share x that side i accepts when
 * it needs `need` in utility from territory (weight w on its own share),
 * given its territorial claims on `day`: [*lo, *hi] (empty when lo > hi).
 * Without claims this is x >= need / w for side 0, 1 - x >= need / w for
 * side 1. A soft claim (finite cost) keeps the set an interval: below the
 * threshold the side needs the cost more. */
void truce__claims_territory(const truce__claims* cl, int i, int day,
                             double need, double w, double* lo, double* hi);

/* ------------------------------------------------------ resolve.c */

/* A side's belief about the future aid of side 0's backers, as the log of
 * the ratio of future deliveries to the pace they were budgeted at:
 * normal N(mu, sd^2), updated by Bayes' rule from observed deliveries and
 * from events (a blocked vote, an election), each observation read with a
 * persistent bias (a side that expects the West to tire reads every
 * signal lower). */
typedef struct {
  double mu, sd;
  double bias;  /* added to every signal this side reads */
  double noise; /* sd of one month's observed delivery ratio (log) */
} truce__aid_belief;

enum { TRUCE_AID_DELIVERY, TRUCE_AID_VOTE, TRUCE_AID_ELECTION };

/* Update with a signal of kind `kind`: for a delivery, y is the observed
 * log ratio of what arrived to what was budgeted over the period; for a
 * vote (a package blocked or passed, a backer leaving), the log ratio of
 * the aid expected after it; an election widens the belief by `spread`
 * (in quadrature) without moving it. */
void truce__aid_update(truce__aid_belief* b, int kind, double y, double spread);

/* Gauss-Hermite nodes and weights for expectations over a normal
 * (GSL's gsl_integration_fixed_hermite, weight exp(-x^2)), filled once. */
#define TRUCE_QUAD_N 16
typedef struct {
  double x[TRUCE_QUAD_N], w[TRUCE_QUAD_N];
} truce__quad;
int truce__quad_init(truce__quad* q);

/* The probability that side i outlasts the enemy within m days: the
 * enemy's drain k_own rho - inflow exceeds (F - theta) / m, where side i
 * believes its exchange ratio rho (enemy casualties per own) lognormal
 * (mu, sd^2) and the enemy's net inflow per day normal (inflow_mean,
 * inflow_sd^2): what it believes of the enemy's endurance and of the
 * enemy's backers. k_own: own casualties per day; F, theta: the enemy's
 * force and exhaustion threshold. With inflow_sd 0 this is the closed
 * form of docs/bargaining.md, "The value of fighting on". */
double truce__p_outlast(const truce__quad* q, double mu, double sd,
                        double k_own, double F, double theta, double m,
                        double inflow_mean, double inflow_sd);

/* The probability that a side's own net drain (casualties k per day less
 * an inflow normal(inflow_mean, inflow_sd^2)) exhausts its margin F -
 * theta within m days. */
double truce__p_exhausted(double k, double F, double theta, double m,
                          double inflow_mean, double inflow_sd);

/* -------------------------------------------------------- agree.c */

/* Talks in one run (docs/bargaining.md, "From a range to an
 * agreement"): while a range is open, agreement comes at a constant
 * hazard per day, `hazard_ripe` on ripe days and `hazard_open` on the
 * others; its terms are the alternating-offers (Rubinstein) split of the
 * chosen package's range, the first proposer drawn at random; the
 * settlement then breaks at the daily hazard its durability implies. */
typedef struct {
  double hazard_open, hazard_ripe; /* per day */
} truce__talks;

/* P(agreement within `days`) at a constant hazard h per day. */
double truce__agree_probability(double h, double days);

/* Whether talks agree within a period of `days` at hazard h: one uniform
 * from the run's stream, drawn whatever the answer. */
bool truce__agree_draw(truce_rng* rng, double h, double days);

/* The line agreed in [lo, hi] by alternating offers with per-period
 * discount factors d0, d1, side 0 proposing first when `zero_first`:
 * the proposer keeps its Rubinstein share of the range. */
double truce__agree_terms(double lo, double hi, double d0, double d1,
                          bool zero_first);

/* Days after the agreement when it breaks, with P(it holds `span` days)
 * = p_hold read as a constant daily hazard; -1 if it holds beyond
 * `horizon` days. One uniform from the run's stream. */
int truce__agree_break_day(truce_rng* rng, double p_hold, double span,
                           int horizon);

#endif
