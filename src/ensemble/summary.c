/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Mergeable streaming summaries (see summary.h). The histogram maps v > 0
 * to index e*128 + j where v = m 2^e, m in [0.5, 1), j = floor((m - 0.5)
 * 256): bins are at most 1/128 wide relative to their lower edge, and a
 * bin's midpoint is within 1/256 (relative) of every value in it.
 */
#include <float.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "summary.h"

#define K TRUCE_EXACT_RUNS
#define SUB TRUCE_SKETCH_SUB

/* Bytes per count, and count k, of a cell's histogram. */
static size_t esz(const truce__cell* c) { return c->wide ? 4 : 2; }

static uint32_t bin_get(const truce__cell* c, uint32_t k) {
  return c->wide ? ((const uint32_t*)c->bins)[k]
                 : ((const uint16_t*)c->bins)[k];
}

int truce__summary_new(truce_ctx* ctx, size_t ncells, truce__summary** out) {
  *out = NULL;
  truce__summary* s = truce__calloc(ctx, 1, sizeof *s);
  if (!s) return TRUCE_ENOMEM;
  s->ctx = ctx;
  s->ncells = ncells;
  s->cells = truce__calloc(ctx, ncells ? ncells : 1, sizeof *s->cells);
  s->exact = truce__calloc(ctx, (ncells ? ncells : 1) * K, sizeof(double));
  if (!s->cells || !s->exact) {
    truce__summary_free(s);
    return TRUCE_ENOMEM;
  }
  *out = s;
  return 0;
}

void truce__summary_free(truce__summary* s) {
  if (!s) return;
  if (s->cells)
    for (size_t i = 0; i < s->ncells; i++) {
      truce__free(s->ctx, s->cells[i].bins,
                  s->cells[i].cap * esz(&s->cells[i]));
      truce__free(s->ctx, s->cells[i].all,
                  s->cells[i].cap_all * sizeof(double));
    }
  truce__free(s->ctx, s->cells, s->ncells * sizeof *s->cells);
  truce__free(s->ctx, s->exact, s->ncells * K * sizeof(double));
  truce__free(s->ctx, s, sizeof *s);
}

void truce__summary_keep(truce__summary* s, size_t first, size_t n) {
  for (size_t i = first; i < first + n && i < s->ncells; i++)
    s->cells[i].keep = true;
}

/* e*128 + j with v = m 2^e, m in [0.5, 1), j = floor((m - 0.5) 256):
 * read off the IEEE-754 bits (exponent, top 7 fraction bits); v must be
 * a positive normal number. Same as frexp, without the call. */
static int32_t bin_index(double v) {
  uint64_t b;
  memcpy(&b, &v, sizeof b);
  int32_t e = (int32_t)((b >> 52) & 0x7ff) - 1022;
  return e * SUB + (int32_t)((b >> 45) & (SUB - 1));
}

static double bin_mid(int32_t idx) {
  int32_t e = idx >= 0 ? idx / SUB : -((-idx + SUB - 1) / SUB);
  int32_t j = idx - e * SUB;
  double lo = ldexp(0.5 + (double)j / (2 * SUB), e);
  double hi = ldexp(0.5 + (double)(j + 1) / (2 * SUB), e);
  return 0.5 * (lo + hi);
}

/* Make room for index idx in the cell's dense bin range. */
static int bins_reserve(truce__summary* s, truce__cell* c, int32_t idx) {
  size_t z = esz(c);
  unsigned char* bins = c->bins;
  if (c->nb == 0) {
    if (c->cap < 16) {
      bins = truce__realloc(s->ctx, c->bins, c->cap * z, 16 * z);
      if (!bins) return TRUCE_ENOMEM;
      c->bins = bins;
      c->cap = 16;
    }
    memset(bins, 0, c->cap * z);
    c->off = idx;
    c->nb = 1;
    return 0;
  }
  /* Grow with slack (half the range) on the side that needs it, so that a
   * range creeping one bin at a time costs O(1) amortised. */
  int32_t slack = (int32_t)(c->nb / 2) + 4;
  int32_t lo = idx < c->off ? idx - slack : c->off;
  int32_t hi = idx >= c->off + (int32_t)c->nb ? idx + 1 + slack
                                              : c->off + (int32_t)c->nb;
  uint32_t need = (uint32_t)(hi - lo);
  if (need > c->cap) {
    uint32_t nc = c->cap * 2 > need ? c->cap * 2 : need + 16;
    bins = truce__realloc(s->ctx, c->bins, c->cap * z, nc * z);
    if (!bins) return TRUCE_ENOMEM;
    c->bins = bins;
    c->cap = nc;
  }
  uint32_t used = c->nb; /* bins in use, from the new bottom */
  if (lo < c->off) {     /* shift up to make room below */
    uint32_t sh = (uint32_t)(c->off - lo);
    memmove(bins + sh * z, bins, c->nb * z);
    memset(bins, 0, sh * z);
    c->off = lo;
    used += sh;
  }
  if (need > used) memset(bins + used * z, 0, (need - used) * z);
  c->nb = need;
  return 0;
}

/* Switch a cell's counts to 32 bits. */
static int widen(truce__summary* s, truce__cell* c) {
  uint32_t* w = truce__malloc(s->ctx, (c->cap ? c->cap : 1) * sizeof *w);
  if (!w) return TRUCE_ENOMEM;
  for (uint32_t k = 0; k < c->cap; k++) w[k] = ((const uint16_t*)c->bins)[k];
  truce__free(s->ctx, c->bins, c->cap * sizeof(uint16_t));
  c->bins = w;
  c->wide = true;
  return 0;
}

static int bin_add(truce__summary* s, truce__cell* c, double v,
                   uint64_t count) {
  if (!(v >= DBL_MIN)) { /* zero, subnormal, negative */
    c->nzero += count;
    return 0;
  }
  int32_t idx = bin_index(v);
  if (idx < c->off || idx >= c->off + (int32_t)c->nb || c->nb == 0) {
    int rc = bins_reserve(s, c, idx);
    if (rc) return rc;
  }
  uint32_t k = (uint32_t)(idx - c->off);
  if (!c->wide) {
    uint16_t* b = c->bins;
    if (b[k] + count <= UINT16_MAX) {
      b[k] = (uint16_t)(b[k] + count);
      return 0;
    }
    int rc = widen(s, c);
    if (rc) return rc;
  }
  ((uint32_t*)c->bins)[k] += (uint32_t)count;
  return 0;
}

/* Switch a cell from exact values to the histogram. */
static int sketch(truce__summary* s, size_t i) {
  truce__cell* c = &s->cells[i];
  if (c->bins) return 0;
  int rc = bins_reserve(s, c, 0);
  if (rc) return rc;
  c->nb = 0; /* reserve() allocated; the first add sets the range */
  const double* ex = s->exact + i * K;
  for (uint32_t k = 0; k < c->ne; k++)
    if ((rc = bin_add(s, c, ex[k], 1))) return rc;
  c->ne = 0;
  return 0;
}

static truce__i128 fixed(double v) {
  double x = v * 4294967296.0;
  /* one instruction through int64 when it fits (the same truncation);
   * the library's 128-bit conversion otherwise */
  if (x > -9.2e18 && x < 9.2e18) return (truce__i128)(int64_t)x;
  return (truce__i128)x;
}

/* Append v to a kept cell's values. */
static int keep_add(truce__summary* s, truce__cell* c, double v) {
  if (c->n == c->cap_all) {
    uint64_t nc = c->cap_all ? 2 * c->cap_all : 64;
    double* a = truce__realloc(s->ctx, c->all, c->cap_all * sizeof(double),
                               nc * sizeof(double));
    if (!a) return TRUCE_ENOMEM;
    c->all = a;
    c->cap_all = nc;
  }
  c->all[c->n] = v;
  c->sorted = false;
  return 0;
}

int truce__summary_add(truce__summary* s, size_t i, double v) {
  truce__cell* c = &s->cells[i];
  if (c->keep) {
    int rc = keep_add(s, c, v);
    if (rc) return rc;
  }
  if (c->n == 0 || v < c->min) c->min = v;
  if (c->n == 0 || v > c->max) c->max = v;
  c->sum += fixed(v);
  c->n++;
  if (c->keep) return 0;
  if (!c->bins) {
    if (c->ne < K) {
      s->exact[i * K + c->ne++] = v;
      return 0;
    }
    int rc = sketch(s, i);
    if (rc) return rc;
  }
  return bin_add(s, c, v, 1);
}

#define CHUNK 64 /* values whose bin indices are computed ahead */
#define NOBIN INT32_MIN

/* Add n <= CHUNK values to a sketched cell: the same updates as
 * truce__summary_add, in the same order, with the cell's fields held in
 * locals. A sketched cell's bins are mostly out of cache: the lines of
 * the values in range are asked for before they are counted, so that the
 * misses overlap. A value outside the bins' range (or a count past
 * 65,535) goes through bin_add, which grows (or widens) them. */
static int add_sketched(truce__summary* s, truce__cell* c, const double* v,
                        size_t stride, size_t n) {
  int32_t ix[CHUNK];
  int32_t off = c->off;
  uint32_t nb = c->nb;
  for (size_t j = 0; j < n; j++) {
    double x = v[j * stride];
    ix[j] = x >= DBL_MIN ? bin_index(x) : NOBIN;
#if defined(__GNUC__)
    uint32_t k = (uint32_t)ix[j] - (uint32_t)off; /* wraps below off */
    if (ix[j] != NOBIN && k < nb)
      __builtin_prefetch((const char*)c->bins + (size_t)k * esz(c), 1);
#endif
  }
  double mn = c->min, mx = c->max;
  truce__i128 sum = c->sum;
  uint64_t nzero = c->nzero;
  void* bins = c->bins;
  bool wide = c->wide;
  int rc = 0;
  size_t j = 0;
  for (; j < n; j++) {
    double x = v[j * stride];
    if (x < mn) mn = x;
    if (x > mx) mx = x;
    sum += fixed(x);
    if (ix[j] == NOBIN) {
      nzero++;
      continue;
    }
    uint32_t k = (uint32_t)ix[j] - (uint32_t)off;
    if (k < nb) {
      if (wide) {
        ((uint32_t*)bins)[k]++;
        continue;
      }
      uint16_t* b = bins;
      if (b[k] < UINT16_MAX) {
        b[k]++;
        continue;
      }
    }
    if ((rc = bin_add(s, c, x, 1))) break;
    off = c->off;
    nb = c->nb;
    bins = c->bins;
    wide = c->wide;
  }
  c->min = mn;
  c->max = mx;
  c->sum = sum;
  c->n += j;
  c->nzero = nzero;
  return rc;
}

int truce__summary_add_many(truce__summary* s, size_t i, const double* v,
                            size_t stride, size_t n) {
  truce__cell* c = &s->cells[i];
  size_t j = 0;
  /* values kept or held exactly, one at a time, until the cell sketches */
  for (; j < n && (c->keep || !c->bins || c->n == 0); j++) {
    int rc = truce__summary_add(s, i, v[j * stride]);
    if (rc) return rc;
  }
  for (; j < n; j += CHUNK) {
    size_t m = n - j < CHUNK ? n - j : CHUNK;
    int rc = add_sketched(s, c, v + j * stride, stride, m);
    if (rc) return rc;
  }
  return 0;
}

int truce__summary_merge(truce__summary* dst, truce__summary* src) {
  for (size_t i = 0; i < dst->ncells; i++) {
    truce__cell* d = &dst->cells[i];
    truce__cell* c = &src->cells[i];
    if (c->n == 0) continue;
    if (d->n == 0 && !d->bins && !d->all && d->keep == c->keep) {
      /* take the cell whole: no copy */
      *d = *c;
      memcpy(dst->exact + i * K, src->exact + i * K, c->ne * sizeof(double));
      memset(c, 0, sizeof *c);
      continue;
    }
    if (d->keep || c->keep) { /* every value, one by one */
      if (c->bins)
        return TRUCE_FAIL(dst->ctx, TRUCE_EINTERNAL,
                          "a kept cell merged with a sketched one");
      const double* v = c->keep ? c->all : src->exact + i * K;
      uint64_t n = c->keep ? c->n : c->ne;
      for (uint64_t k = 0; k < n; k++) {
        int rc = truce__summary_add(dst, i, v[k]);
        if (rc) return rc;
      }
      continue;
    }
    if (c->min < d->min) d->min = c->min;
    if (c->max > d->max) d->max = c->max;
    d->sum += c->sum;
    d->n += c->n;
    if (!d->bins && !c->bins && d->ne + c->ne <= K) {
      memcpy(dst->exact + i * K + d->ne, src->exact + i * K,
             c->ne * sizeof(double));
      d->ne += c->ne;
      continue;
    }
    int rc = sketch(dst, i);
    if (rc) return rc;
    if (!c->bins) {
      for (uint32_t k = 0; k < c->ne; k++)
        if ((rc = bin_add(dst, d, src->exact[i * K + k], 1))) return rc;
    } else {
      d->nzero += c->nzero;
      for (uint32_t b = 0; b < c->nb; b++)
        if (bin_get(c, b) &&
            (rc = bin_add(dst, d, bin_mid(c->off + (int32_t)b), bin_get(c, b))))
          return rc;
    }
  }
  return 0;
}

#define NQ_MAX 8

/* Quantiles q[0..nq) of cell i by GSL's definition (interpolating between
 * the order statistics floor and ceil of q (n - 1)): one sort of the exact
 * values, or one pass over the histogram for all of them. */
static void quantiles(const truce__summary* s, size_t i, const double* q,
                      int nq, double* out) {
  truce__cell* c = &s->cells[i]; /* a kept cell sorts its values once */
  if (c->n == 0 || c->min == c->max) {
    for (int j = 0; j < nq; j++) out[j] = c->n ? c->min : (double)NAN;
    return;
  }
  if (c->keep) {
    if (!c->sorted) gsl_sort(c->all, 1, c->n);
    c->sorted = true;
    for (int j = 0; j < nq; j++)
      out[j] = gsl_stats_quantile_from_sorted_data(c->all, 1, c->n, q[j]);
    return;
  }
  if (!c->bins) {
    double tmp[K];
    memcpy(tmp, s->exact + i * K, c->ne * sizeof(double));
    gsl_sort(tmp, 1, c->ne);
    for (int j = 0; j < nq; j++)
      out[j] = gsl_stats_quantile_from_sorted_data(tmp, 1, c->ne, q[j]);
    return;
  }
  /* the order statistics wanted, visited in increasing order */
  double r[NQ_MAX], v[2 * NQ_MAX];
  uint64_t rk[2 * NQ_MAX];
  int ord[2 * NQ_MAX], nr = 2 * nq;
  for (int j = 0; j < nq; j++) {
    r[j] = q[j] * (double)(c->n - 1);
    rk[2 * j] = (uint64_t)floor(r[j]);
    rk[2 * j + 1] = (uint64_t)ceil(r[j]);
  }
  for (int m = 0; m < nr; m++) { /* insertion sort of the indices */
    int k = m;
    for (; k > 0 && rk[ord[k - 1]] > rk[m]; k--) ord[k] = ord[k - 1];
    ord[k] = m;
  }
  int m = 0;
  while (m < nr && rk[ord[m]] < c->nzero) v[ord[m++]] = 0;
  /* each wanted order statistic lies in the first bin whose cumulative
   * count passes it: skip to that bin, then take every one it holds */
  uint64_t seen = c->nzero;
  uint32_t b = 0;
  while (m < nr && b < c->nb) {
    uint64_t want = rk[ord[m]];
    if (c->wide)
      for (const uint32_t* w = c->bins; b < c->nb && seen <= want; b++)
        seen += w[b];
    else
      for (const uint16_t* w = c->bins; b < c->nb && seen <= want; b++)
        seen += w[b];
    if (seen <= want) break;
    double mid = bin_mid(c->off + (int32_t)b - 1);
    while (m < nr && rk[ord[m]] < seen) v[ord[m++]] = mid;
  }
  while (m < nr) v[ord[m++]] = c->nb ? bin_mid(c->off + (int32_t)c->nb - 1) : 0;
  /* the extreme order statistics are known exactly; nothing lies outside */
  for (int k = 0; k < nr; k++) {
    if (rk[k] == 0) v[k] = c->min;
    if (rk[k] == c->n - 1) v[k] = c->max;
    v[k] = v[k] < c->min ? c->min : v[k] > c->max ? c->max : v[k];
  }
  for (int j = 0; j < nq; j++)
    out[j] = v[2 * j] + (r[j] - (double)rk[2 * j]) * (v[2 * j + 1] - v[2 * j]);
}

double truce__summary_quantile(const truce__summary* s, size_t i, double q) {
  double v;
  quantiles(s, i, &q, 1, &v);
  return v;
}

void truce__summary_band(const truce__summary* s, size_t i, truce_band* out) {
  static const double q[5] = {0.05, 0.25, 0.50, 0.75, 0.95};
  double v[5];
  const truce__cell* c = &s->cells[i];
  out->n = c->n;
  out->mean = c->n ? (double)c->sum / 4294967296.0 / (double)c->n : (double)NAN;
  if (c->n && !(out->mean >= c->min)) out->mean = c->min; /* fixed point */
  if (c->n && !(out->mean <= c->max)) out->mean = c->max;
  quantiles(s, i, q, 5, v);
  out->p05 = v[0];
  out->p25 = v[1];
  out->p50 = v[2];
  out->p75 = v[3];
  out->p95 = v[4];
}

/* ------------------------------------------------------ Serialisation */

typedef struct {
  unsigned char* p;
  size_t len, cap;
  truce_ctx* ctx;
} wbuf;

static int put(wbuf* w, const void* v, size_t n) {
  if (w->len + n > w->cap) {
    size_t nc = (w->cap ? w->cap * 2 : 1 << 16) + n;
    unsigned char* np = truce__realloc(w->ctx, w->p, w->cap, nc);
    if (!np) return TRUCE_ENOMEM;
    w->p = np;
    w->cap = nc;
  }
  memcpy(w->p + w->len, v, n);
  w->len += n;
  return 0;
}

int truce__summary_pack(const truce__summary* s, unsigned char** buf,
                        size_t* len) {
  wbuf w = {NULL, 0, 0, s->ctx};
  int rc = put(&w, &s->ncells, sizeof s->ncells);
  for (size_t i = 0; i < s->ncells && !rc; i++) {
    const truce__cell* c = &s->cells[i];
    uint32_t sk = c->keep ? 3 : c->bins == NULL ? 0 : c->wide ? 2 : 1;
    rc = put(&w, &c->sum, sizeof c->sum);
    if (!rc) rc = put(&w, &c->n, sizeof c->n);
    if (!rc) rc = put(&w, &c->min, sizeof c->min);
    if (!rc) rc = put(&w, &c->max, sizeof c->max);
    if (!rc) rc = put(&w, &sk, sizeof sk);
    if (rc) break;
    if (sk == 3) {
      rc = put(&w, c->all, c->n * sizeof(double));
    } else if (!sk) {
      rc = put(&w, &c->ne, sizeof c->ne);
      if (!rc) rc = put(&w, s->exact + i * K, c->ne * sizeof(double));
    } else {
      rc = put(&w, &c->nzero, sizeof c->nzero);
      if (!rc) rc = put(&w, &c->off, sizeof c->off);
      if (!rc) rc = put(&w, &c->nb, sizeof c->nb);
      if (!rc) rc = put(&w, c->bins, c->nb * esz(c));
    }
  }
  if (!rc && w.len < w.cap) { /* to its length, which the caller frees */
    unsigned char* np = truce__realloc(s->ctx, w.p, w.cap, w.len);
    if (np) {
      w.p = np;
      w.cap = w.len;
    } else {
      rc = TRUCE_ENOMEM;
    }
  }
  if (rc) {
    truce__free(s->ctx, w.p, w.cap);
    return rc;
  }
  *buf = w.p;
  *len = w.len;
  return 0;
}

int truce__summary_merge_packed(truce__summary* dst, const unsigned char* buf,
                                size_t len) {
  truce__summary* src;
  int rc = truce__summary_new(dst->ctx, dst->ncells, &src);
  if (rc) return rc;
  size_t pos = 0;
#define GET(dstp, n)                                                      \
  do {                                                                    \
    if (pos + (n) > len) {                                                \
      rc = TRUCE_FAIL(dst->ctx, TRUCE_EMPI, "truncated summary message"); \
      goto done;                                                          \
    }                                                                     \
    memcpy((dstp), buf + pos, (n));                                       \
    pos += (n);                                                           \
  } while (0)
  size_t nc;
  GET(&nc, sizeof nc);
  if (nc != dst->ncells) {
    rc = TRUCE_FAIL(dst->ctx, TRUCE_EMPI, "summary shape mismatch");
    goto done;
  }
  for (size_t i = 0; i < nc; i++) {
    truce__cell* c = &src->cells[i];
    uint32_t sk;
    GET(&c->sum, sizeof c->sum);
    GET(&c->n, sizeof c->n);
    GET(&c->min, sizeof c->min);
    GET(&c->max, sizeof c->max);
    GET(&sk, sizeof sk);
    if (sk == 3) {
      if (c->n > (len - pos) / sizeof(double)) {
        rc = TRUCE_FAIL(dst->ctx, TRUCE_EMPI, "truncated summary message");
        goto done;
      }
      c->keep = true;
      c->all = truce__malloc(dst->ctx, (c->n ? c->n : 1) * sizeof(double));
      if (!c->all) {
        rc = TRUCE_ENOMEM;
        goto done;
      }
      c->cap_all = c->n ? c->n : 1;
      GET(c->all, c->n * sizeof(double));
    } else if (!sk) {
      GET(&c->ne, sizeof c->ne);
      if (c->ne > K) {
        rc = TRUCE_FAIL(dst->ctx, TRUCE_EMPI, "corrupt summary message");
        goto done;
      }
      GET(src->exact + i * K, c->ne * sizeof(double));
    } else {
      uint32_t nb;
      int32_t off;
      uint64_t nzero;
      GET(&nzero, sizeof nzero);
      GET(&off, sizeof off);
      GET(&nb, sizeof nb);
      if (sk > 2) {
        rc = TRUCE_FAIL(dst->ctx, TRUCE_EMPI, "corrupt summary message");
        goto done;
      }
      c->wide = sk == 2;
      if ((rc = bins_reserve(src, c, off))) goto done;
      if (nb && (rc = bins_reserve(src, c, off + (int32_t)nb - 1))) goto done;
      c->nzero = nzero;
      GET(c->bins, nb * esz(c));
      c->nb = nb;
    }
  }
#undef GET
  rc = truce__summary_merge(dst, src);
done:
  truce__summary_free(src);
  return rc;
}
