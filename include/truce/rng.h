/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * truce/rng.h: counter-based random streams.
 *
 * A stream is identified by (seed, run, stream id). Draw k of a stream is
 * a pure function of those and k (Random123 Philox4x64-10, key = (seed,
 * stream id), counter = (run, k/4, 0, 0)), so results do not depend on how
 * runs are spread over threads or MPI ranks.
 */
#ifndef TRUCE_RNG_H
#define TRUCE_RNG_H

#include "truce/core.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct truce_rng truce_rng;

/* Create a stream positioned at draw 0 of (seed, run, stream). */
TRUCE_API int truce_rng_new(truce_ctx* ctx, uint64_t seed, uint64_t run,
                            uint64_t stream, truce_rng** out);
/* Reposition an existing stream at draw 0 of (seed, run, stream). */
TRUCE_API void truce_rng_reset(truce_rng* rng, uint64_t seed, uint64_t run,
                               uint64_t stream);
/* The next raw 64-bit output. */
TRUCE_API uint64_t truce_rng_u64(truce_rng* rng);
/* The next uniform double in (0, 1). */
TRUCE_API double truce_rng_uniform(truce_rng* rng);
/* Poisson and binomial counts (GSL's samplers over this stream). */
TRUCE_API double truce_rng_poisson(truce_rng* rng, double mean);
TRUCE_API double truce_rng_binomial(truce_rng* rng, double p, double n);
/* Free; NULL is accepted. */
TRUCE_API void truce_rng_free(truce_rng* rng);

#ifdef __cplusplus
}
#endif
#endif
