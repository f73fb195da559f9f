/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Internal structure of designs and evaluations, shared by the files of
 * src/explore/ only.
 */
#ifndef TRUCE_EXPLORE_INT_H
#define TRUCE_EXPLORE_INT_H

#include "truce/explore.h"
#include "truce/rng.h"
#include "truce_int.h"

/* Random stream ids of the design module (seed = the design's seed). */
enum {
  TRUCE_XS_LHS = 1,
  TRUCE_XS_MORRIS = 2,
  TRUCE_XS_SHIFT = 3,
  TRUCE_XS_MC = 4,
  TRUCE_XS_BOOT = 5
};

struct truce_design {
  truce_ctx* ctx;
  truce_design_opts o;
  size_t k, points;
  size_t* options; /* k */
  double* u;       /* points x k */
  bool quasi;      /* sobol: GSL's sequence (else Monte Carlo) */
};

struct truce_explore {
  truce_ctx* ctx;
  size_t points, reps, k, m;
  double* x; /* points x k: the model's inputs */
  double* y; /* (points x reps) x m */
  bool root;
};

#endif
