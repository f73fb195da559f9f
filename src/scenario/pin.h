/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Setting a loaded scenario's parameters in place, for the explore
 * module's design points (pin.c). Offsets are into the model's
 * parameter block (what a run copies at its start).
 */
#ifndef TRUCE_SCENARIO_PIN_H
#define TRUCE_SCENARIO_PIN_H

#include <stdbool.h>

#include "truce_int.h"

typedef struct {
  size_t off;    /* in the parameter block */
  double lo, hi; /* the field's range */
  bool integer;
  bool is_enum;     /* takes names (truce__pin_enum_index) */
  char expect[240]; /* what a valid value looks like */
} truce__pin;

/* Resolve `path` to a parameter that a run reads at its start; errors
 * (message in ctx, TRUCE_EINVAL) for an unknown path, with a suggestion,
 * or one that is not such a parameter (the horizon, the seed, ...). */
int truce__pin_lookup(truce_ctx* ctx, const truce_scenario* sc,
                      const char* path, truce__pin* out);
/* The index of name `text` for the enum field at `path`, or -1. */
int truce__pin_enum_index(const truce_scenario* sc, const char* path,
                          const char* text);
/* Whether v is a valid value of the pinned field (why: what is). */
bool truce__pin_check(const truce_scenario* sc, const char* path, double v,
                      char* why, size_t n);
/* Uncertain number i's offset and its quantile at u in (0, 1). */
size_t truce__pin_uncertain_offset(const truce_scenario* sc, size_t i);
double truce__pin_uncertain_quantile(const truce_scenario* sc, size_t i,
                                     double u);
/* Make every uncertain number fixed at its point value (what `truce run
 * --deterministic` uses), so runs draw only the model's chance. */
void truce__pin_fix_all(truce_ctx* ctx, truce_scenario* sc);
/* Write v at offset off of sc's parameter block. */
void truce__pin_set(truce_scenario* sc, size_t off, double v);

#endif
