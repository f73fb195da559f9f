/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Counter-based random streams: Random123's Philox4x64-10 behind a GSL
 * generator type, so GSL's samplers (gsl_ran_poisson, gsl_ran_binomial, ...)
 * draw from it. Stream (seed, run, id) uses key = (seed, id) and counter =
 * (run, block, 0, 0): draw k of a stream depends on nothing else, which is
 * what makes ensembles independent of thread and rank count.
 */
#include <Random123/philox.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <string.h>

#include "truce_int.h"

typedef struct {
  philox4x64_key_t key;
  philox4x64_ctr_t ctr; /* ctr.v[1] is the next block to generate */
  philox4x64_ctr_t out;
  unsigned idx;         /* next word of out to use; 4 = empty */
} philox_state;

static uint64_t next_u64(philox_state* s) {
  if (s->idx >= 4) {
    s->out = philox4x64(s->ctr, s->key);
    s->ctr.v[1]++;
    s->idx = 0;
  }
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
    "truce-philox4x64-10", 0xffffffffUL, 0, sizeof(philox_state),
    gsl_set, gsl_get, gsl_get_double};

struct truce_rng {
  gsl_rng g; /* g.state points at st */
  philox_state st;
  truce_ctx* ctx;
};

int truce_rng_new(truce_ctx* ctx, uint64_t seed, uint64_t run,
                  uint64_t stream, truce_rng** out) {
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

double truce_rng_poisson(truce_rng* r, double mean) {
  if (!(mean > 0)) return 0;
  /* GSL's Poisson takes the mean as a double and returns an unsigned int;
   * beyond ~4e9 it would overflow, and far before that the normal
   * approximation is exact to well under one count in relative terms. */
  if (mean > 1e9) {
    double v = mean + gsl_ran_gaussian_ziggurat(&r->g, 1.0) * sqrt(mean);
    return v < 0 ? 0 : floor(v + 0.5);
  }
  return (double)gsl_ran_poisson(&r->g, mean);
}

double truce_rng_binomial(truce_rng* r, double p, double n) {
  if (!(n > 0) || !(p > 0)) return 0;
  if (p >= 1) return n;
  if (n > 4e9) {
    double m = n * p, sd = sqrt(n * p * (1 - p));
    double v = floor(m + gsl_ran_gaussian_ziggurat(&r->g, 1.0) * sd + 0.5);
    return v < 0 ? 0 : (v > n ? n : v);
  }
  return (double)gsl_ran_binomial(&r->g, p, (unsigned int)n);
}

void truce_rng_free(truce_rng* r) {
  if (r) truce__free(r->ctx, r, sizeof *r);
}
