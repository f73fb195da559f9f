/* SPDX-License-Identifier: GPL-3.0-or-later
 * Internal layout of a stakeholder problem (src/stake/ only). */
#ifndef TRUCE_STAKE_INT_H
#define TRUCE_STAKE_INT_H
#include "truce_int.h"

struct truce_stake {
  truce_ctx* ctx;
  char* name;
  size_t n, d;
  char** actor;  /* n names */
  char** dim;    /* d names */
  double* cap;   /* n */
  double* pos;   /* n x d, input scale */
  double* sal;   /* n x d, 0..100 */
  double lo, hi; /* position scale */
};

/* Allocate an empty problem of n actors and d dimensions. */
int truce__stake_alloc(truce_ctx* ctx, size_t n, size_t d, truce_stake** out);
/* For tests: the probability that option a beats option b (points in
 * [0, 1]^d) in the pce model's Condorcet election with positions x01. */
double truce__stake_pce_beats(const truce_stake* st, const truce_stake_opts* o,
                              const double* x01, const double* a,
                              const double* b);
/* Read a DEU III table as truce_stake_backtest does and count its
 * scorable issues (the reader alone, for the fuzz target). */
int truce__deu_read(truce_ctx* ctx, const char* path, size_t* n_issues);
#endif
