/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Beliefs beyond the exchange ratio (Filson & Werner 2002; Slantchev
 * 2003; Smith & Stam 2004; docs/bargaining.md, "Resolve and backers").
 * Each side learns not only how well it fights but how long the enemy can
 * keep fighting: the enemy's net inflow (its recruitment and, for the
 * side the backers support, their future aid) is uncertain, so a war each
 * side believes it can outlast has a probability of being won or lost
 * that is not zero by construction. Beliefs about the backers' future aid
 * are normal on a log ratio and learn from deliveries and events, read
 * through a persistent bias.
 */
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_integration.h>
#include <math.h>

#include "bargain_int.h"
#include "truce_int.h"

/* Conjugate normal update with an observation of sd `noise`; an election
 * adds uncertainty without a signal (the belief's variance grows by
 * spread^2). The bias enters every signal the side reads, so it does not
 * wash out: the belief converges to the truth plus the bias. */
void truce__aid_update(truce__aid_belief* b, int kind, double y,
                       double spread) {
  if (kind == TRUCE_AID_ELECTION) {
    b->sd = hypot(b->sd, spread);
    return;
  }
  double p0 = 1 / (b->sd * b->sd), p1 = 1 / (b->noise * b->noise);
  b->mu = (b->mu * p0 + (y + b->bias) * p1) / (p0 + p1);
  b->sd = sqrt(1 / (p0 + p1));
}

int truce__quad_init(truce__quad* q) {
  gsl_integration_fixed_workspace* w = gsl_integration_fixed_alloc(
      gsl_integration_fixed_hermite, TRUCE_QUAD_N, 0, 1, 0, 0);
  if (!w) return TRUCE_ENOMEM;
  const double* x = gsl_integration_fixed_nodes(w);
  const double* wt = gsl_integration_fixed_weights(w);
  double total = 0; /* sqrt(pi): the weights become those of E[f(Z)],
                       Z standard normal, at the nodes sqrt(2) x */
  for (int k = 0; k < TRUCE_QUAD_N; k++) total += wt[k];
  for (int k = 0; k < TRUCE_QUAD_N; k++) {
    q->x[k] = sqrt(2.0) * x[k];
    q->w[k] = wt[k] / total;
  }
  gsl_integration_fixed_free(w);
  return 0;
}

/* P(rho > (inflow + (F - theta)/m) / k_own) for one inflow. */
static double outlast_given(double mu, double sd, double k_own, double F,
                            double theta, double m, double inflow) {
  double rs = (inflow + (F - theta) / m) / k_own;
  return rs <= 0 ? 1 : gsl_cdf_ugaussian_Q((log(rs) - mu) / sd);
}

/* The drain k rho - inflow must exceed D = (F - theta)/m. Conditional
 * on one of the two variables the other gives a closed form; the outer
 * expectation is over the one that makes the integrand smoother (the
 * quadrature's error grows with the steepness of what it integrates):
 * over rho when the inflow's sd exceeds the spread k e^mu sd that rho
 * gives the drain, over the inflow otherwise. */
double truce__p_outlast(const truce__quad* q, double mu, double sd,
                        double k_own, double F, double theta, double m,
                        double inflow_mean, double inflow_sd) {
  if (!(k_own > 0)) return 0;
  if (!(inflow_sd > 0))
    return outlast_given(mu, sd, k_own, F, theta, m, inflow_mean);
  double e = 0;
  if (inflow_sd >= k_own * exp(mu) * sd) {
    double D = (F - theta) / m;
    for (int k = 0; k < TRUCE_QUAD_N; k++) {
      double drain = k_own * exp(mu + sd * q->x[k]);
      e += q->w[k] * gsl_cdf_ugaussian_P((drain - D - inflow_mean) / inflow_sd);
    }
  } else {
    for (int k = 0; k < TRUCE_QUAD_N; k++)
      e += q->w[k] * outlast_given(mu, sd, k_own, F, theta, m,
                                   inflow_mean + inflow_sd * q->x[k]);
  }
  return e;
}

/* Exhausted within m iff (k - inflow) m > F - theta, i.e. inflow <
 * k - (F - theta)/m: a normal probability. */
double truce__p_exhausted(double k, double F, double theta, double m,
                          double inflow_mean, double inflow_sd) {
  double edge = k - (F - theta) / m;
  if (!(inflow_sd > 0)) return inflow_mean < edge ? 1 : 0;
  return gsl_cdf_ugaussian_P((edge - inflow_mean) / inflow_sd);
}
