/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Uncertain numbers: the distributions a scenario may give instead of a
 * number, truncated to the field's valid range and sampled by inversion of
 * one uniform (GSL's CDFs and quantile functions), so each parameter of
 * each run costs exactly one draw from its own stream, and adding a
 * parameter never reshuffles the others.
 */
#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "scenario_int.h"

const char* const truce__dist_names[] = {"normal",     "lognormal", "uniform",
                                         "triangular", "pert",      "beta",
                                         "gamma",      "discrete",  NULL};
const char* const truce__dist_keys[TRUCE_DP_COUNT] = {
    "mean", "sd",    "mu",   "sigma", "min",  "mode",
    "max",  "alpha", "beta", "shape", "scale"};

/* Required and allowed parameters per kind, as bit masks of TRUCE_DP_*. */
#define B(x) (1u << TRUCE_DP_##x)
static const unsigned required[] = {
    B(MEAN) | B(SD),           B(MU) | B(SIGMA),
    B(MIN) | B(MAX),           B(MIN) | B(MODE) | B(MAX),
    B(MIN) | B(MODE) | B(MAX), B(ALPHA) | B(BETA),
    B(SHAPE) | B(SCALE),       0};
static const unsigned allowed[] = {B(MEAN) | B(SD) | B(MIN) | B(MAX),
                                   B(MU) | B(SIGMA) | B(MIN) | B(MAX),
                                   B(MIN) | B(MAX),
                                   B(MIN) | B(MODE) | B(MAX),
                                   B(MIN) | B(MODE) | B(MAX),
                                   B(ALPHA) | B(BETA) | B(MIN) | B(MAX),
                                   B(SHAPE) | B(SCALE) | B(MIN) | B(MAX),
                                   0};
#undef B

static void list_keys(unsigned mask, char* buf, size_t n) {
  buf[0] = '\0';
  for (int i = 0; i < TRUCE_DP_COUNT; i++)
    if (mask & (1u << i)) {
      size_t l = strlen(buf);
      snprintf(buf + l, n - l, "%s%s", l ? ", " : "", truce__dist_keys[i]);
    }
}

/* A discrete distribution: as many values as weights, the weights >= 0
 * and summing to 1 (made cumulative in place). */
static int discrete(truce__dist* d, double* values, size_t nv, double* weights,
                    size_t nw, char* why, size_t n) {
  if (!values || !weights) {
    snprintf(why, n, "discrete needs values and weights (lists)");
    return -1;
  }
  if (nv != nw) {
    snprintf(why, n,
             "%zu values but %zu weights; expected as many of "
             "each",
             nv, nw);
    return -1;
  }
  double sum = 0;
  for (size_t i = 0; i < nw; i++) {
    if (!(weights[i] >= 0)) {
      snprintf(why, n, "weight %g is negative; expected weights >= 0",
               weights[i]);
      return -1;
    }
    sum += weights[i];
    weights[i] = sum; /* cumulative, in place */
  }
  if (fabs(sum - 1) > 1e-9) {
    snprintf(why, n, "weights sum to %.12g; expected them to sum to 1", sum);
    return -1;
  }
  weights[nw - 1] = 1;
  d->values = values;
  d->cum = weights;
  d->n = nv;
  return 0;
}

int truce__dist_from_params(truce__dist* d, const double* p, const bool* has,
                            double* values, size_t nv, double* weights,
                            size_t nw, char* why, size_t n) {
  unsigned given = 0;
  for (int i = 0; i < TRUCE_DP_COUNT; i++)
    if (has[i]) given |= 1u << i;
  int k = d->kind;
  const char* name = truce__dist_names[k];
  char keys[128];
  if (given & ~allowed[k]) {
    list_keys(given & ~allowed[k], keys, sizeof keys);
    char ok[128];
    list_keys(allowed[k], ok, sizeof ok);
    snprintf(why, n, "%s does not take %s; expected %s%s", name, keys,
             k == TRUCE_DIST_DISCRETE ? "values and weights" : ok,
             k == TRUCE_DIST_DISCRETE ? "" : "");
    return -1;
  }
  if ((given & required[k]) != required[k]) {
    list_keys(required[k] & ~given, keys, sizeof keys);
    snprintf(why, n, "%s needs %s", name, keys);
    return -1;
  }
  double lo = has[TRUCE_DP_MIN] ? p[TRUCE_DP_MIN] : -HUGE_VAL;
  double hi = has[TRUCE_DP_MAX] ? p[TRUCE_DP_MAX] : HUGE_VAL;
  if (has[TRUCE_DP_MIN] && has[TRUCE_DP_MAX] && !(lo < hi)) {
    snprintf(why, n, "min %g is not below max %g; expected min < max", lo, hi);
    return -1;
  }
  d->lo = lo;
  d->hi = hi;
  switch (k) {
    case TRUCE_DIST_NORMAL:
      d->a = p[TRUCE_DP_MEAN];
      d->b = p[TRUCE_DP_SD];
      if (!(d->b > 0)) goto positive_sd;
      break;
    case TRUCE_DIST_LOGNORMAL:
      d->a = p[TRUCE_DP_MU];
      d->b = p[TRUCE_DP_SIGMA];
      if (!(d->b > 0)) goto positive_sd;
      if (d->lo < 0) d->lo = 0;
      break;
    case TRUCE_DIST_UNIFORM:
      d->a = lo;
      d->b = hi;
      break;
    case TRUCE_DIST_TRIANGULAR:
    case TRUCE_DIST_PERT:
      d->a = lo;
      d->b = p[TRUCE_DP_MODE];
      d->c = hi;
      if (!(d->a <= d->b && d->b <= d->c)) {
        snprintf(why, n,
                 "mode %g is outside [min %g, max %g]; expected "
                 "min <= mode <= max",
                 d->b, d->a, d->c);
        return -1;
      }
      break;
    case TRUCE_DIST_BETA:
      d->a = p[TRUCE_DP_ALPHA];
      d->b = p[TRUCE_DP_BETA];
      d->c = has[TRUCE_DP_MIN] ? lo : 0;
      d->d = has[TRUCE_DP_MAX] ? hi : 1;
      d->lo = d->c;
      d->hi = d->d;
      if (!(d->a > 0 && d->b > 0)) {
        snprintf(why, n, "alpha and beta must be > 0");
        return -1;
      }
      break;
    case TRUCE_DIST_GAMMA:
      d->a = p[TRUCE_DP_SHAPE];
      d->b = p[TRUCE_DP_SCALE];
      if (!(d->a > 0 && d->b > 0)) {
        snprintf(why, n, "shape and scale must be > 0");
        return -1;
      }
      if (d->lo < 0) d->lo = 0;
      break;
    case TRUCE_DIST_DISCRETE:
      return discrete(d, values, nv, weights, nw, why, n);
    default: break;
  }
  return 0;
positive_sd:
  snprintf(why, n, "%s must be > 0",
           d->kind == TRUCE_DIST_NORMAL ? "sd" : "sigma");
  return -1;
}

/* Untruncated CDF. */
static double cdf(const truce__dist* d, double x) {
  switch (d->kind) {
    case TRUCE_DIST_NORMAL: return gsl_cdf_gaussian_P(x - d->a, d->b);
    case TRUCE_DIST_LOGNORMAL:
      return x <= 0 ? 0 : gsl_cdf_lognormal_P(x, d->a, d->b);
    case TRUCE_DIST_UNIFORM:
      return x <= d->a ? 0 : (x >= d->b ? 1 : (x - d->a) / (d->b - d->a));
    case TRUCE_DIST_TRIANGULAR: {
      double a = d->a, m = d->b, c = d->c;
      if (x <= a) return 0;
      if (x >= c) return 1;
      if (x <= m) return (x - a) * (x - a) / ((c - a) * (m - a));
      return 1 - (c - x) * (c - x) / ((c - a) * (c - m));
    }
    case TRUCE_DIST_PERT: {
      double r = d->c - d->a;
      double al = 1 + 4 * (d->b - d->a) / r, be = 1 + 4 * (d->c - d->b) / r;
      double z = (x - d->a) / r;
      return z <= 0 ? 0 : (z >= 1 ? 1 : gsl_cdf_beta_P(z, al, be));
    }
    case TRUCE_DIST_BETA: {
      double z = (x - d->c) / (d->d - d->c);
      return z <= 0 ? 0 : (z >= 1 ? 1 : gsl_cdf_beta_P(z, d->a, d->b));
    }
    case TRUCE_DIST_GAMMA: return x <= 0 ? 0 : gsl_cdf_gamma_P(x, d->a, d->b);
    default: return 0;
  }
}

/* Untruncated quantile at p in [0, 1]. */
static double quantile(const truce__dist* d, double p) {
  switch (d->kind) {
    case TRUCE_DIST_NORMAL: return d->a + gsl_cdf_gaussian_Pinv(p, d->b);
    case TRUCE_DIST_LOGNORMAL: return gsl_cdf_lognormal_Pinv(p, d->a, d->b);
    case TRUCE_DIST_UNIFORM: return d->a + p * (d->b - d->a);
    case TRUCE_DIST_TRIANGULAR: {
      double a = d->a, m = d->b, c = d->c, f = (m - a) / (c - a);
      return p < f ? a + sqrt(p * (c - a) * (m - a))
                   : c - sqrt((1 - p) * (c - a) * (c - m));
    }
    case TRUCE_DIST_PERT: {
      double r = d->c - d->a;
      if (!(r > 0)) return d->a;
      double al = 1 + 4 * (d->b - d->a) / r, be = 1 + 4 * (d->c - d->b) / r;
      return d->a + r * gsl_cdf_beta_Pinv(p, al, be);
    }
    case TRUCE_DIST_BETA:
      return d->c + (d->d - d->c) * gsl_cdf_beta_Pinv(p, d->a, d->b);
    case TRUCE_DIST_GAMMA: return gsl_cdf_gamma_Pinv(p, d->a, d->b);
    default: return 0;
  }
}

int truce__dist_bind(truce__dist* d, const truce__field* f, char* why,
                     size_t n) {
  d->integer = (f->flags & TRUCE_F_INT) != 0;
  if (d->kind == TRUCE_DIST_DISCRETE) {
    for (size_t i = 0; i < d->n; i++) {
      char e[160];
      if (!truce__field_check(f, d->values[i], e, sizeof e)) {
        snprintf(why, n, "value %g is out of range; expected %s", d->values[i],
                 e);
        return -1;
      }
    }
    return 0;
  }
  double flo = f->lo, fhi = f->hi;
  if (f->flags & TRUCE_F_LO_OPEN) flo = nextafter(flo, HUGE_VAL);
  if (d->lo < flo) d->lo = flo;
  if (d->hi > fhi) d->hi = fhi;
  if (!(d->lo < d->hi)) {
    snprintf(why, n,
             "its support [%g, %g] lies outside the field's range; "
             "expected %s",
             d->lo, d->hi, f->expect);
    return -1;
  }
  d->plo = cdf(d, d->lo);
  d->phi = cdf(d, d->hi);
  if (!(d->phi - d->plo > 1e-12)) {
    snprintf(why, n, "it puts no probability inside [%g, %g]; expected %s",
             d->lo, d->hi, f->expect);
    return -1;
  }
  return 0;
}

double truce__dist_quantile(const truce__dist* d, double u) {
  double x;
  if (d->kind == TRUCE_DIST_DISCRETE) {
    size_t i = 0;
    while (i + 1 < d->n && d->cum[i] <= u) i++;
    return d->values[i];
  }
  x = quantile(d, d->plo + u * (d->phi - d->plo));
  if (!(x >= d->lo)) x = d->lo; /* also catches NaN */
  if (x > d->hi) x = d->hi;
  if (d->integer) {
    x = floor(x + 0.5);
    if (x < d->lo) x = ceil(d->lo);
    if (x > d->hi) x = floor(d->hi);
  }
  return x;
}

double truce__dist_median(const truce__dist* d) {
  return truce__dist_quantile(d, 0.5);
}

void truce__dist_free(truce_ctx* ctx, truce__dist* d) {
  truce__free(ctx, d->values, d->n * sizeof(double));
  truce__free(ctx, d->cum, d->n * sizeof(double));
  truce__strfree(ctx, d->path);
  d->values = d->cum = NULL;
  d->path = NULL;
}

uint64_t truce__fnv1a(uint64_t h, const char* s) {
  for (; *s; s++) {
    h ^= (unsigned char)*s;
    h *= 0x100000001b3ULL;
  }
  return h;
}

int truce__scenario_add_uncertain(truce_ctx* ctx, truce_scenario* sc,
                                  const char* path, truce__dist* d) {
  /* the path first, so that the array's size is always its count */
  char* p = truce__strdup(ctx, path);
  if (!p) return TRUCE_ENOMEM;
  if (sc->n_unc == sc->cap_unc) {
    truce__dist* nu = truce__realloc(ctx, sc->unc, sc->cap_unc * sizeof *nu,
                                     (sc->cap_unc + 1) * sizeof *nu);
    if (!nu) {
      truce__strfree(ctx, p);
      return TRUCE_ENOMEM;
    }
    sc->unc = nu;
    sc->cap_unc++;
  }
  d->path = p;
  /* Parameter streams have the top bit set; process streams do not. */
  d->stream = truce__fnv1a(TRUCE_FNV_BASIS, path) | TRUCE_STREAM_PARAM;
  sc->unc[sc->n_unc++] = *d;
  return 0;
}

void truce__scenario_sample(const truce_scenario* sc, truce_rng* rng,
                            uint64_t run, truce__params* p, double* values) {
  for (size_t i = 0; i < sc->n_unc; i++) {
    const truce__dist* d = &sc->unc[i];
    truce_rng_reset(rng, sc->model.seed, run, d->stream);
    double x = truce__dist_quantile(d, truce_rng_uniform(rng));
    *(double*)((char*)p + d->off) = x;
    if (values) values[i] = x;
  }
}

void truce__scenario_put(const truce_scenario* sc, const double* values,
                         truce__params* p) {
  for (size_t i = 0; i < sc->n_unc; i++)
    *(double*)((char*)p + sc->unc[i].off) = values[i];
}

void truce__scenario_points(const truce_scenario* sc, truce__params* p,
                            double* values) {
  for (size_t i = 0; i < sc->n_unc; i++) {
    *(double*)((char*)p + sc->unc[i].off) = sc->unc[i].point;
    if (values) values[i] = sc->unc[i].point;
  }
}

void truce__dist_describe(const truce__dist* d, char* buf, size_t n) {
  const char* name = truce__dist_names[d->kind];
  switch (d->kind) {
    case TRUCE_DIST_TRIANGULAR:
    case TRUCE_DIST_PERT:
      snprintf(buf, n, "%s(%.6g, %.6g, %.6g)", name, d->a, d->b, d->c);
      return;
    case TRUCE_DIST_UNIFORM:
      snprintf(buf, n, "uniform(%.6g, %.6g)", d->a, d->b);
      return;
    case TRUCE_DIST_BETA:
      snprintf(buf, n, "beta(%.6g, %.6g) on [%.6g, %.6g]", d->a, d->b, d->c,
               d->d);
      return;
    case TRUCE_DIST_DISCRETE: {
      size_t l = (size_t)snprintf(buf, n, "discrete(");
      for (size_t i = 0; i < d->n && l < n; i++)
        l +=
            (size_t)snprintf(buf + l, n - l, "%s%.6g: %.4g", i ? ", " : "",
                             d->values[i], d->cum[i] - (i ? d->cum[i - 1] : 0));
      if (l < n) snprintf(buf + l, n - l, ")");
      return;
    }
    default:
      snprintf(buf, n, "%s(%.6g, %.6g) in [%.6g, %.6g]", name, d->a, d->b,
               d->lo, d->hi);
  }
}
