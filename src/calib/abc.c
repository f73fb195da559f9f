/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Model selection among attrition laws on battle outcomes by rejection
 * approximate Bayesian computation, after Rubio-Campillo (2016), "Model
 * selection in historical research using Approximate Bayesian
 * Computation", PLoS ONE 11(1): e0146491 (docs/validation.md s3). Each
 * battle is fought in whole-soldier steps until one side is down to its
 * historical survivors; a run's distance is the relative error of both
 * sides' simulated casualties summed over all battles.
 */
#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>

#include "calib_int.h"
#include "truce_int.h"

#define LOG_TABLE 65536

const char* truce_battle_law_name(int law) {
  static const char* const n[] = {"linear", "square", "logarithmic", "fatigue"};
  return law >= 0 && law < TRUCE_BATTLE_LAWS ? n[law] : "?";
}

void truce_battles_free(truce_ctx* ctx, truce_battle* b, size_t n) {
  truce__free(ctx, b, n * sizeof *b);
}

int truce_battles_load(truce_ctx* ctx, const char* path, truce_battle** out,
                       size_t* n) {
  *out = NULL;
  *n = 0;
  char* text;
  size_t len;
  int rc = truce__read_file(ctx, path, "a battles file (year;R0;Rc;B0;Bc)",
                            &text, &len);
  if (rc) return rc;
  size_t cap = 1;
  for (size_t i = 0; i < len; i++) cap += text[i] == '\n';
  truce_battle* b = truce__calloc(ctx, cap, sizeof *b);
  if (!b) {
    truce__free(ctx, text, len + 1);
    return TRUCE_ENOMEM;
  }
  static const char* const col[] = {"year", "R0", "Rc", "B0", "Bc"};
  int line = 0;
  char* at = text;
  for (char* ln; !rc && (ln = truce__next_line(&at, &line));) {
    size_t l = strlen(ln);
    if (line == 1) {
      if (strcmp(ln, "year;R0;Rc;B0;Bc") != 0)
        rc = TRUCE_FAIL_AT(ctx, TRUCE_EPARSE, path, 1, 1,
                           "bad header; "
                           "expected year;R0;Rc;B0;Bc");
      continue;
    }
    if (!l) continue;
    double v[5];
    char* p = ln;
    for (int k = 0; k < 5 && !rc; k++) {
      int c = (int)(p - ln) + 1;
      char* end;
      v[k] = strtod(p, &end);
      char want = k < 4 ? ';' : '\0';
      if (end == p || *end != want || !(v[k] >= 0) || v[k] > 1e9 ||
          v[k] != floor(v[k]))
        rc = TRUCE_FAIL_AT(ctx, TRUCE_EPARSE, path, line, c,
                           "bad %s '%.*s'; "
                           "expected a whole number from 0 followed by %s",
                           col[k], (int)strcspn(p, ";"), p,
                           k < 4 ? "';'" : "the end of the line");
      p = end + (k < 4);
    }
    if (rc) break;
    for (int s = 0; s < 2 && !rc; s++) {
      double s0 = v[1 + 2 * s], sc = v[2 + 2 * s];
      if (!(sc > 0 && sc <= s0))
        rc = TRUCE_FAIL_AT(
            ctx, TRUCE_EPARSE, path, line, 1,
            "side %c's "
            "casualties %.0f out of range; expected from 1 to its "
            "initial strength %.0f",
            s ? 'B' : 'R', sc, s0);
    }
    if (rc) break;
    b[*n] = (truce_battle){(int)v[0], v[1], v[2], v[3], v[4]};
    (*n)++;
  }
  truce__free(ctx, text, len + 1);
  if (!rc && *n == 0)
    rc = TRUCE_FAIL_AT(ctx, TRUCE_EPARSE, path, 2, 1,
                       "no battles; expected "
                       "rows of year;R0;Rc;B0;Bc");
  truce_battle* nb = NULL;
  if (!rc && *n < cap) { /* to the size truce_battles_free passes */
    nb = truce__realloc(ctx, b, cap * sizeof *b, *n * sizeof *b);
    if (!nb)
      rc = TRUCE_ENOMEM;
    else
      b = nb;
  }
  if (rc) {
    truce__free(ctx, b, cap * sizeof *b);
    *n = 0;
    return rc;
  }
  *out = b;
  return 0;
}

/* Truncation toward zero of a double to a whole number, as the source's
 * int(); bounded so the conversion is always defined. */
static inline double whole(double v) {
  if (v > 1e15) return 1e15;
  if (v < -1e15) return -1e15;
  return (double)(long long)v;
}

/* Battles fought LANES at a time: each lane steps its own battle and
 * takes the next one when it ends, so the lanes' independent dependency
 * chains overlap in the processor (one battle alone is latency-bound).
 * inv[i] = 1 / ln(e + i) for i < ninv (else computed): the fatigue step
 * multiplies by it (the source divides; the two differ in the last bit at
 * most, which moves a truncated count only at an exact integer boundary).
 * Items are battles of one or more runs: item `at` (< m) is battle at % n
 * with power ratio ratio[at]; cas[2 at], cas[2 at + 1] its casualties.
 * Returns the total steps. */
#define LANES 4
#define BLOCK 16 /* runs fought together */

static inline __attribute__((always_inline)) long fight_lanes(
    const int law, const double* ratio, const truce_battle* bt, size_t n,
    size_t m, const size_t* order, const double* inv, long ninv, double* cas) {
  double r[LANES], b[LANES], rrem[LANES], brem[LANES], kb[LANES], kr[LANES];
  long st[LANES];
  size_t which[LANES], next = 0;
  long steps = 0;
  int live = 0;
  for (int j = 0; j < LANES; j++) { /* idle lanes step zeros, unread */
    r[j] = b[j] = rrem[j] = brem[j] = kb[j] = kr[j] = 0;
    st[j] = 0;
    which[j] = m;
  }
#define LOAD(j)                                          \
  do {                                                   \
    size_t at = order ? order[next] : next;              \
    const truce_battle* t = &bt[at % n];                 \
    which[j] = at;                                       \
    r[j] = t->r0;                                        \
    b[j] = t->b0;                                        \
    rrem[j] = t->r0 - t->rc;                             \
    brem[j] = t->b0 - t->bc;                             \
    kb[j] = law == TRUCE_BATTLE_LINEAR                   \
                ? 100 / (t->b0 * t->r0)                  \
                : 100 / (t->b0 > t->r0 ? t->b0 : t->r0); \
    kr[j] = kb[j] * ratio[at];                           \
    st[j] = 0;                                           \
    next++;                                              \
  } while (0)
  for (int j = 0; j < LANES && next < m; j++, live++) LOAD(j);
  while (live) {
    for (int j = 0; j < LANES; j++) {
      double nr, nb;
      if (law == TRUCE_BATTLE_LINEAR) {
        nr = whole(r[j] - kb[j] * b[j] * r[j]);
        nb = whole(b[j] - kr[j] * r[j] * b[j]);
      } else if (law == TRUCE_BATTLE_SQUARE) {
        nr = whole(r[j] - kb[j] * b[j]);
        nb = whole(b[j] - kr[j] * r[j]);
      } else if (law == TRUCE_BATTLE_LOGARITHMIC) {
        nr = whole(r[j] - kb[j] * r[j]);
        nb = whole(b[j] - kr[j] * b[j]);
      } else {
        double f =
            st[j] < ninv ? inv[st[j]] : 1 / log(TRUCE__E + (double)st[j]);
        nr = whole(r[j] - kb[j] * f * r[j]);
        nb = whole(b[j] - kr[j] * f * b[j]);
      }
      r[j] = nr;
      b[j] = nb;
      st[j]++;
    }
    for (int j = 0; j < LANES; j++) {
      if (which[j] == m || (r[j] > rrem[j] && b[j] > brem[j])) continue;
      const truce_battle* done = &bt[which[j] % n];
      cas[2 * which[j]] = done->r0 - r[j];
      cas[2 * which[j] + 1] = done->b0 - b[j];
      steps += st[j];
      if (next < m) {
        LOAD(j);
      } else {
        which[j] = m;
        live--;
      }
    }
  }
#undef LOAD
  return steps;
}

/* order (NULL: as given) is the order in which items enter the lanes;
 * the longest first keeps the lanes busy to the end. */
static long fight(int law, const double* ratio, const truce_battle* bt,
                  size_t n, size_t m, const size_t* order, const double* inv,
                  long ninv, double* cas) {
  switch (law) {
    case TRUCE_BATTLE_LINEAR:
      return fight_lanes(TRUCE_BATTLE_LINEAR, ratio, bt, n, m, order, inv, ninv,
                         cas);
    case TRUCE_BATTLE_SQUARE:
      return fight_lanes(TRUCE_BATTLE_SQUARE, ratio, bt, n, m, order, inv, ninv,
                         cas);
    case TRUCE_BATTLE_LOGARITHMIC:
      return fight_lanes(TRUCE_BATTLE_LOGARITHMIC, ratio, bt, n, m, order, inv,
                         ninv, cas);
    default:
      return fight_lanes(TRUCE_BATTLE_FATIGUE, ratio, bt, n, m, order, inv,
                         ninv, cas);
  }
}

long truce_battle_simulate(int law, double ratio, const truce_battle* b,
                           double cas[2]) {
  return fight(law, &ratio, b, 1, 1, NULL, NULL, 0, cas);
}

long truce_battles_simulate(int law, const double* ratio, const truce_battle* b,
                            size_t n, double* cas) {
  return fight(law, ratio, b, n, n, NULL, NULL, 0, cas);
}

typedef struct {
  truce__scored s; /* first: what the rejection step sorts by */
  double mu, sd;
  int law;
} abc_run;

typedef struct {
  long steps;
  size_t k;
} battle_len;

static int longest_first(const void* pa, const void* pb) {
  const battle_len *a = pa, *b = pb;
  if (a->steps != b->steps) return a->steps > b->steps ? -1 : 1;
  return a->k < b->k ? -1 : a->k > b->k;
}

/* The rejection step and the posterior per law: accepted runs, their
 * prior draws' means, each law's smallest distance. */
static void tally(abc_run* rs, const truce_abc_opts* o, truce_abc_result* out) {
  size_t k = truce__abc_reject(rs, o->runs, sizeof *rs, o->tolerance);
  out->runs = o->runs;
  out->accepted = k;
  out->threshold = rs[k - 1].s.dist;
  for (int l = 0; l < TRUCE_BATTLE_LAWS; l++) out->best[l] = (double)INFINITY;
  for (size_t i = 0; i < o->runs; i++)
    if (rs[i].s.dist < out->best[rs[i].law])
      out->best[rs[i].law] = rs[i].s.dist;
  for (size_t i = 0; i < k; i++) {
    out->count[rs[i].law]++;
    out->mu_mean[rs[i].law] += rs[i].mu;
    out->sd_mean[rs[i].law] += rs[i].sd;
  }
  for (int l = 0; l < TRUCE_BATTLE_LAWS; l++)
    if (out->count[l]) {
      out->mu_mean[l] /= (double)out->count[l];
      out->sd_mean[l] /= (double)out->count[l];
    }
}

int truce_abc_select(truce_ctx* ctx, const truce_battle* bt, size_t n,
                     const truce_abc_opts* o, truce_abc_result* out) {
  if (!ctx || !bt || !n || !o || !out || o->runs < 1 ||
      !(o->tolerance > 0 && o->tolerance <= 1) || !(o->mu_max > 0) ||
      !(o->sd_max > 0))
    return TRUCE_FAIL(ctx, TRUCE_EINVAL,
                      "ABC needs battles, at least one "
                      "run, a tolerance in (0, 1] and positive prior bounds");
  memset(out, 0, sizeof *out);
  int threads = o->threads > 0 ? o->threads : omp_get_max_threads();
  abc_run* rs = truce__calloc(ctx, o->runs, sizeof *rs);
  truce_rng** rng = truce__calloc(ctx, (size_t)threads, sizeof *rng);
  double* lg = truce__malloc(ctx, LOG_TABLE * sizeof(double));
  double* work =
      truce__malloc(ctx, (size_t)threads * 3 * BLOCK * n * sizeof(double));
  size_t* ords =
      truce__malloc(ctx, (size_t)threads * BLOCK * n * sizeof(size_t));
  size_t* order = truce__malloc(ctx, TRUCE_BATTLE_LAWS * n * sizeof(size_t));
  battle_len* len = truce__malloc(ctx, n * sizeof *len);
  int rc = (!rs || !rng || !lg || !work || !ords || !order || !len)
               ? TRUCE_ENOMEM
               : 0;
  for (int t = 0; t < threads && !rc; t++)
    rc = truce_rng_new(ctx, o->seed, 0, TRUCE_STREAM_BATTLES, &rng[t]);
  if (!rc) {
    for (long i = 0; i < LOG_TABLE; i++) lg[i] = 1 / log(TRUCE__E + (double)i);
    for (int l = 0; l < TRUCE_BATTLE_LAWS; l++) { /* lengths at ratio 1 */
      for (size_t k = 0; k < n; k++) {
        double cas[2];
        len[k] = (battle_len){truce_battle_simulate(l, 1.0, &bt[k], cas), k};
      }
      qsort(len, n, sizeof *len, longest_first);
      for (size_t k = 0; k < n; k++) order[(size_t)l * n + k] = len[k].k;
    }
    /* each run's law and prior draws (the first three of its stream) */
#pragma omp parallel for num_threads(threads) schedule(static)
    for (long long i = 0; i < (long long)o->runs; i++) {
      truce_rng* r = rng[omp_get_thread_num()];
      truce_rng_reset(r, o->seed, (uint64_t)i, TRUCE_STREAM_BATTLES);
      abc_run* x = &rs[i];
      x->s.run = (uint64_t)i;
      x->law = (int)(truce_rng_uniform(r) * TRUCE_BATTLE_LAWS);
      x->mu = truce_rng_uniform(r) * o->mu_max;
      x->sd = truce_rng_uniform(r) * o->sd_max;
    }
    /* runs of one law are fought BLOCK at a time, their battles together
     * in the lanes (longest first across the block), so one run's long
     * battles overlap another's; each run's draws and sums are its own */
    size_t nblk = 0;
    size_t* byl = truce__malloc(ctx, o->runs * sizeof(size_t));
    size_t* blk = truce__malloc(ctx, (o->runs + 1) * sizeof(size_t));
    if (!byl || !blk) rc = TRUCE_ENOMEM;
    size_t at = 0;
    for (int l = 0; !rc && l < TRUCE_BATTLE_LAWS; l++)
      for (size_t i = 0; i < o->runs; i++)
        if (rs[i].law == l) {
          if (!nblk || rs[byl[at - 1]].law != l || at - blk[nblk - 1] == BLOCK)
            blk[nblk++] = at;
          byl[at++] = i;
        }
    if (!rc) blk[nblk] = o->runs;
#pragma omp parallel for num_threads(threads) schedule(dynamic, 1)
    for (long long q = 0; q < (long long)nblk; q++) {
      int t = omp_get_thread_num();
      truce_rng* r = rng[t];
      double* ratio = work + (size_t)t * 3 * BLOCK * n;
      double* cas = ratio + BLOCK * n;
      size_t* ord = ords + (size_t)t * BLOCK * n;
      size_t b0 = blk[q], nb = blk[q + 1] - b0;
      int law = rs[byl[b0]].law;
      for (size_t b = 0; b < nb; b++) {
        abc_run* x = &rs[byl[b0 + b]];
        truce_rng_reset(r, o->seed, x->s.run, TRUCE_STREAM_BATTLES);
        for (int u = 0; u < 3; u++) (void)truce_rng_uniform(r);
        double shape = (x->mu / x->sd) * (x->mu / x->sd);
        double scale = x->sd * x->sd / x->mu;
        for (size_t k = 0; k < n; k++)
          ratio[b * n + k] = truce__rng_gamma(r, shape, scale);
      }
      for (size_t k = 0, w = 0; k < n; k++)
        for (size_t b = 0; b < nb; b++)
          ord[w++] = b * n + order[(size_t)law * n + k];
      fight(law, ratio, bt, n, nb * n, ord, lg, LOG_TABLE, cas);
      for (size_t b = 0; b < nb; b++) {
        double d = 0;
        const double* c = cas + 2 * b * n;
        for (size_t k = 0; k < n; k++)
          d += fabs(c[2 * k] - bt[k].rc) / bt[k].rc +
               fabs(c[2 * k + 1] - bt[k].bc) / bt[k].bc;
        rs[byl[b0 + b]].s.dist = d;
      }
    }
    truce__free(ctx, byl, o->runs * sizeof(size_t));
    truce__free(ctx, blk, (o->runs + 1) * sizeof(size_t));
    long long sims = rc ? 0 : (long long)(o->runs * n);
    out->battles = (double)sims;
    tally(rs, o, out);
  }
  for (int t = 0; rng && t < threads; t++) truce_rng_free(rng[t]);
  truce__free(ctx, rng, (size_t)threads * sizeof *rng);
  truce__free(ctx, lg, LOG_TABLE * sizeof(double));
  truce__free(ctx, work, (size_t)threads * 3 * BLOCK * n * sizeof(double));
  truce__free(ctx, ords, (size_t)threads * BLOCK * n * sizeof(size_t));
  truce__free(ctx, order, TRUCE_BATTLE_LAWS * n * sizeof(size_t));
  truce__free(ctx, len, n * sizeof *len);
  truce__free(ctx, rs, o->runs * sizeof *rs);
  return rc;
}
