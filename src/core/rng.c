/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Counter-based random streams: Random123's Philox4x64-10 behind a GSL
 * generator type, so GSL's samplers (gsl_ran_poisson, gsl_ran_binomial, ...)
 * draw from it. Stream (seed, run, id) uses key = (seed, id) and counter =
 * (run, block, 0, 0): draw k of a stream depends on nothing else, which is
 * what makes ensembles independent of thread and rank count.
 */
#include <Random123/philox.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdbool.h>
#include <string.h>

#include "truce_int.h"

typedef struct {
  philox4x64_key_t key;
  philox4x64_ctr_t ctr; /* ctr.v[1] is the next block to generate */
  philox4x64_ctr_t out;
  unsigned idx; /* next word of out to use; 4 = empty */
} philox_state;

/* One Philox block. `flatten` inlines Random123's mulhilo64 into the
 * rounds; without it GCC calls it 20 times per block. */
#if defined(__GNUC__)
__attribute__((flatten))
#endif
static void
refill(philox_state* s) {
  s->out = philox4x64(s->ctr, s->key);
  s->ctr.v[1]++;
  s->idx = 0;
}

static inline uint64_t next_u64(philox_state* s) {
  if (s->idx >= 4) refill(s);
  return s->out.v[s->idx++];
}

static void gsl_set(void* vs, unsigned long seed) {
  philox_state* s = vs;
  memset(s, 0, sizeof *s);
  s->key.v[0] = seed;
  s->idx = 4;
}

static unsigned long gsl_get(void* vs) {
  return (unsigned long)(next_u64(vs) >> 32);
}

/* Uniform on (0,1): 53 random bits, offset by half an ulp so 0 and 1 are
 * never returned. */
static double to_open01(uint64_t u) {
  return ((double)(u >> 11) + 0.5) * (1.0 / 9007199254740992.0);
}

static double gsl_get_double(void* vs) { return to_open01(next_u64(vs)); }

static const gsl_rng_type philox_type = {
    "truce-philox4x64-10", 0xffffffffUL, 0,
    sizeof(philox_state),  gsl_set,      gsl_get,
    gsl_get_double};

struct truce_rng {
  gsl_rng g; /* g.state points at st */
  philox_state st;
  truce_ctx* ctx;
};

int truce_rng_new(truce_ctx* ctx, uint64_t seed, uint64_t run, uint64_t stream,
                  truce_rng** out) {
  *out = NULL;
  truce_rng* r = truce__calloc(ctx, 1, sizeof *r);
  if (!r) return TRUCE_ENOMEM;
  r->ctx = ctx;
  r->g.type = &philox_type;
  r->g.state = &r->st;
  truce_rng_reset(r, seed, run, stream);
  *out = r;
  return 0;
}

void truce_rng_reset(truce_rng* r, uint64_t seed, uint64_t run,
                     uint64_t stream) {
  memset(&r->st, 0, sizeof r->st);
  r->st.key.v[0] = seed;
  r->st.key.v[1] = stream;
  r->st.ctr.v[0] = run;
  r->st.idx = 4;
}

uint64_t truce_rng_u64(truce_rng* r) { return next_u64(&r->st); }

double truce_rng_uniform(truce_rng* r) { return to_open01(next_u64(&r->st)); }

/* Counts for the engine's hot loop: exact inversion (one uniform) while the
 * mean is small, else a normal approximation with a Cornish-Fisher
 * skewness correction, x = m + s z + g (z^2 - 1) / 6 with g the third
 * cumulant over the variance, rounded and clamped (docs/model.md s10).
 * z is GSL's inverse normal CDF of one uniform, so every count costs one
 * draw from the stream. */
#define SMALL_MEAN 12.0

static double normal_count(truce_rng* r, double m, double sd, double g) {
  double z = gsl_cdf_ugaussian_Pinv(to_open01(next_u64(&r->st)));
  double x = floor(m + sd * z + g * (z * z - 1) / 6 + 0.5);
  return x < 0 ? 0 : x;
}

double truce_rng_poisson(truce_rng* r, double mean) {
  if (!(mean > 0)) return 0;
  if (mean >= SMALL_MEAN) return normal_count(r, mean, sqrt(mean), 1);
  double u = to_open01(next_u64(&r->st));
  double pk = exp(-mean), cdf = pk, k = 0;
  while (u > cdf && k < 1000) {
    k += 1;
    pk *= mean / k;
    cdf += pk;
  }
  return k;
}

double truce_rng_binomial(truce_rng* r, double p, double n) {
  if (!(n > 0) || !(p > 0)) return 0;
  if (p >= 1) return n;
  bool flip = p > 0.5;
  double q = flip ? 1 - p : p; /* draw the rarer outcome */
  double k;
  if (n * q >= SMALL_MEAN) {
    double v = n * q * (1 - q);
    k = normal_count(r, n * q, sqrt(v), 1 - 2 * q);
    if (k > n) k = n;
  } else {
    double u = to_open01(next_u64(&r->st));
    double pk = pow(1 - q, n), cdf = pk, ratio = q / (1 - q);
    k = 0;
    while (u > cdf && k < n) {
      pk *= (n - k) / (k + 1) * ratio;
      k += 1;
      cdf += pk;
    }
  }
  return flip ? n - k : k;
}

double truce__rng_gamma(truce_rng* r, double shape, double scale) {
  return gsl_ran_gamma(&r->g, shape, scale);
}

void truce_rng_free(truce_rng* r) {
  if (r) truce__free(r->ctx, r, sizeof *r);
}
