/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Streaming summaries that merge exactly: per cell (day x side x series) a
 * fixed-point sum for the mean, the values themselves while there are at
 * most TRUCE_EXACT_RUNS, and beyond that a log-linear histogram (128 bins
 * per octave, 16-bit counts widened to 32 bits per cell when needed). Counts
 * and fixed-point sums are integers, so merging partial summaries in any order
 * gives bit-identical results.
 */
#ifndef TRUCE_SUMMARY_H
#define TRUCE_SUMMARY_H

#include "truce_int.h"

__extension__ typedef __int128 truce__i128;

#define TRUCE_SKETCH_SUB 128 /* bins per octave: relative error <= 1/256 */

typedef struct {
  truce__i128 sum; /* sum of round-toward-zero(value * 2^32) */
  uint64_t n;      /* values added */
  uint64_t nzero;  /* values <= 0 (sketched cells) */
  uint32_t ne;     /* values held exactly (while not sketched) */
  int32_t off;     /* histogram index of bins[0] */
  uint32_t nb, cap;
  void* bins; /* NULL until sketched; uint16_t counts, uint32_t once
                 one would pass 65,535 (wide) */
  bool wide;
} truce__cell;

typedef struct {
  truce_ctx* ctx;
  size_t ncells;
  truce__cell* cells;
  double* exact; /* ncells x TRUCE_EXACT_RUNS */
} truce__summary;

int truce__summary_new(truce_ctx* ctx, size_t ncells, truce__summary** out);
void truce__summary_free(truce__summary* s);
int truce__summary_add(truce__summary* s, size_t cell, double v);
/* Add v[0], v[stride], ..., v[(n - 1) stride] to a cell. */
int truce__summary_add_many(truce__summary* s, size_t cell, const double* v,
                            size_t stride, size_t n);
/* dst += src (same ncells, same allocator). A cell empty in dst takes
 * src's without a copy, which leaves that cell of src empty. */
int truce__summary_merge(truce__summary* dst, truce__summary* src);
/* Mean and quantiles 5/25/50/75/95 of a cell. */
void truce__summary_band(const truce__summary* s, size_t cell, truce_band* out);
/* Quantile q in [0, 1] of a cell (GSL's definition when exact). */
double truce__summary_quantile(const truce__summary* s, size_t cell, double q);
/* Serialise to / merge from a byte buffer (for MPI). The packed buffer
 * is allocated through the summary's context with exactly *len bytes
 * (free it with truce__free(ctx, buf, len)). */
int truce__summary_pack(const truce__summary* s, unsigned char** buf,
                        size_t* len);
int truce__summary_merge_packed(truce__summary* dst, const unsigned char* buf,
                                size_t len);
#endif
