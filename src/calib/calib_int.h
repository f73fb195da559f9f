/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * calib_int.h: what the calibration's two rejection ABCs (battle outcomes,
 * abc.c; the whole engine, engine_abc.c) share. Never installed.
 */
#ifndef TRUCE_CALIB_INT_H
#define TRUCE_CALIB_INT_H

#include <stddef.h>
#include <stdint.h>

/* A run's distance; the first member of each ABC's per-run record. */
typedef struct {
  double dist;
  uint64_t run;
} truce__scored;

/* The rejection step: sort n records of `size` bytes, each starting with
 * a truce__scored, by distance (ties by run number, so the order does not
 * depend on threads) and return how many are accepted: floor(n x
 * tolerance), at least 1. */
size_t truce__abc_reject(void* records, size_t n, size_t size,
                         double tolerance);

#endif
