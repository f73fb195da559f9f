/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Streaming summaries that merge exactly: per cell (day x side x series) a
 * fixed-point sum for the mean, the exact minimum and maximum, the values
 * themselves while there are at most TRUCE_EXACT_RUNS, and beyond that a
 * log-linear histogram (128 bins per octave, 16-bit counts widened to 32
 * bits per cell when needed). Cells marked with truce__summary_keep keep
 * every value (the horizon's, so that its bands are exact). Counts,
 * fixed-point sums, minima and maxima merge exactly and kept values are
 * sorted before use, so merging partial summaries in any order gives
 * bit-identical results.
 *
 * Quantiles follow one rule (docs/outputs.md, "Quantiles"): Hyndman and
 * Fan's type 7 (GSL's gsl_stats_quantile_from_sorted_data) on the values;
 * on a sketched cell the same rule on the bins' midpoints, with the
 * smallest and largest order statistics the exact minimum and maximum and
 * every quantile clamped to [minimum, maximum]: exact for a constant cell.
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
  bool keep;       /* every value kept in `all` (never sketched) */
  bool sorted;     /* `all` is sorted */
  double min, max; /* of the values added (when n > 0) */
  double* all;     /* keep: the n values, room for cap_all */
  uint64_t cap_all;
} truce__cell;

typedef struct {
  truce_ctx* ctx;
  size_t ncells;
  truce__cell* cells;
  double* exact; /* ncells x TRUCE_EXACT_RUNS */
} truce__summary;

int truce__summary_new(truce_ctx* ctx, size_t ncells, truce__summary** out);
void truce__summary_free(truce__summary* s);
/* Keep every value of cells [first, first + n) (call before adding). */
void truce__summary_keep(truce__summary* s, size_t first, size_t n);
int truce__summary_add(truce__summary* s, size_t cell, double v);
/* Add v[0], v[stride], ..., v[(n - 1) stride] to a cell. */
int truce__summary_add_many(truce__summary* s, size_t cell, const double* v,
                            size_t stride, size_t n);
/* dst += src (same ncells, same allocator). A cell empty in dst takes
 * src's without a copy, which leaves that cell of src empty. */
int truce__summary_merge(truce__summary* dst, truce__summary* src);
/* Mean and quantiles 5/25/50/75/95 of a cell. */
void truce__summary_band(const truce__summary* s, size_t cell, truce_band* out);
/* Quantile q in [0, 1] of a cell (the rule above). */
double truce__summary_quantile(const truce__summary* s, size_t cell, double q);
/* Serialise to / merge from a byte buffer (for MPI). The packed buffer
 * is allocated through the summary's context with exactly *len bytes
 * (free it with truce__free(ctx, buf, len)). */
int truce__summary_pack(const truce__summary* s, unsigned char** buf,
                        size_t* len);
int truce__summary_merge_packed(truce__summary* dst, const unsigned char* buf,
                                size_t len);
#endif
