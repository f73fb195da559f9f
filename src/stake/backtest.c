/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Back-test on DEU III (Arregui & Perarnaud 2021; 353 scorable EU
 * legislative issues, positions on 0-100): every model's mean absolute
 * error against the actual outcome, with a seeded bootstrap 95% interval,
 * and a held-out check of the pce model (parameters fitted on a random
 * half, scored on the other). The scoring rules are those stated in
 * RESEARCH.md s4 and docs/stake.md.
 */
#include <errno.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stake_int.h"

#define MAXA 64

typedef struct {
  size_t n; /* actors with a position */
  double pos[MAXA], sal[MAXA], gdp[MAXA];
  int com;   /* index of the Commission among them, -1 if none */
  double rp; /* reference point, (double)NAN if none */
  double out;
} issue;

/* Split a tab-separated line in place, removing surrounding quotes. */
static int tsv(char* line, char** f, int max) {
  int n = 0;
  char* p = line;
  while (n < max) {
    char* tab = strchr(p, '\t');
    if (tab) *tab = '\0';
    size_t l = strlen(p);
    while (l && (p[l - 1] == '\r' || p[l - 1] == '\n')) p[--l] = '\0';
    if (l >= 2 && p[0] == '"' && p[l - 1] == '"') {
      p[l - 1] = '\0';
      p++;
    }
    f[n++] = p;
    if (!tab) break;
    p = tab + 1;
  }
  return n;
}

/* Read the DEU III table at path into *out (n_out issues in an array of
 * *cap_out, freed by the caller with that size). */
static int read_deu(truce_ctx* ctx, const char* path, issue** out,
                    size_t* n_out, size_t* cap_out) {
  FILE* f = fopen(path, "r");
  if (!f)
    return TRUCE_FAIL_AT(ctx, TRUCE_EIO, path, 1, 1,
                         "cannot read the file "
                         "(%s)",
                         strerror(errno));
  static char line[1 << 16];
  char* h[256];
  char hdr[1 << 16];
  int nh = 0, rc = 0, ln = 0;
  int pcol[MAXA], scol[MAXA], na = 0, outc = -1, rpc = -1, comi = -1;
  double gdp[MAXA];
  size_t cap = 512, n = 0;
  issue* is = truce__calloc(ctx, cap, sizeof *is);
  if (!is) {
    fclose(f);
    return TRUCE_ENOMEM;
  }
  while (fgets(line, sizeof line, f)) {
    ln++;
    char* fl[256];
    if (ln == 1) {
      size_t bom = strncmp(line, TRUCE__BOM, 3) ? 0 : 3;
      memcpy(hdr, line + bom, sizeof hdr - bom);
      nh = tsv(hdr, h, 256);
      for (int c = 0; c < nh; c++) {
        if (!strcmp(h[c], "out")) outc = c;
        if (!strcmp(h[c], "rp")) rpc = c;
      }
      for (int c = 0; c < nh && na < MAXA; c++) {
        if (h[c][0] != 'p' || !h[c][1]) continue;
        for (int c2 = 0; c2 < nh; c2++)
          if (h[c2][0] == 's' && !strcmp(h[c2] + 1, h[c] + 1)) {
            if (!strcmp(h[c] + 1, "com")) comi = na;
            pcol[na] = c;
            scol[na++] = c2;
            break; /* the first s<actor>: a repeated one overran pcol */
          }
      }
      if (outc < 0 || na < 2) {
        rc =
            TRUCE_FAIL_AT(ctx, TRUCE_EPARSE, path, 1, 1,
                          "not a DEU III "
                          "table; expected p<actor>, s<actor> and out columns");
        break;
      }
      continue;
    }
    int nf = tsv(line, fl, 256);
    if (ln == 2) { /* capabilities (GDP) under the position columns */
      for (int a = 0; a < na; a++)
        if (pcol[a] >= nf || truce__parse_number(fl[pcol[a]], &gdp[a])) {
          rc = TRUCE_FAIL_AT(ctx, TRUCE_EPARSE, path, 2, 1,
                             "no capability "
                             "for actor '%s'; expected the GDP row",
                             h[pcol[a]] + 1);
          break;
        }
      if (rc) break;
      continue;
    }
    double o;
    if (outc >= nf || truce__parse_number(fl[outc], &o) || o == 999) continue;
    issue I;
    memset(&I, 0, sizeof I);
    I.com = -1;
    I.out = o;
    I.rp = (double)NAN;
    double rp;
    if (rpc >= 0 && rpc < nf && !truce__parse_number(fl[rpc], &rp)) I.rp = rp;
    for (int a = 0; a < na; a++) {
      double x, s;
      if (pcol[a] >= nf || truce__parse_number(fl[pcol[a]], &x)) continue;
      if (scol[a] >= nf || truce__parse_number(fl[scol[a]], &s)) s = 50;
      if (a == comi) I.com = (int)I.n;
      I.pos[I.n] = x;
      I.sal[I.n] = s;
      I.gdp[I.n] = gdp[a];
      I.n++;
    }
    if (I.n < 2) continue;
    if (n == cap) {
      issue* ni =
          truce__realloc(ctx, is, cap * sizeof *is, 2 * cap * sizeof *is);
      if (!ni) {
        rc = TRUCE_ENOMEM;
        break;
      }
      is = ni;
      cap *= 2;
    }
    is[n++] = I;
  }
  fclose(f);
  if (rc) {
    truce__free(ctx, is, cap * sizeof *is);
    return rc;
  }
  *out = is;
  *n_out = n;
  *cap_out = cap;
  return 0;
}

int truce__deu_read(truce_ctx* ctx, const char* path, size_t* n_issues) {
  issue* is;
  size_t cap;
  int rc = read_deu(ctx, path, &is, n_issues, &cap);
  if (!rc) truce__free(ctx, is, cap * sizeof *is);
  return rc;
}

/* Prediction of one issue by a model variant. */
enum {
  V_COMP_GDP,
  V_COMP_EQ,
  V_MEAN,
  V_WMED,
  V_MED,
  V_COM,
  V_RP,
  V_CHALLENGE,
  V_PCE,
  V_COUNT
};
static const char* const vnames[] = {"compromise (GDP capability)",
                                     "compromise (equal capability)",
                                     "mean of positions",
                                     "weighted median (GDP x salience)",
                                     "median position",
                                     "Commission's position",
                                     "reference point",
                                     "challenge (GDP capability)",
                                     "pce (GDP capability)"};

static int predict(truce_ctx* ctx, const issue* I, int v,
                   const truce_stake_opts* o, double* y) {
  if (v == V_COM) {
    if (I->com < 0) return 1;
    *y = I->pos[I->com];
    return 0;
  }
  if (v == V_RP) {
    if (isnan(I->rp)) return 1;
    *y = I->rp;
    return 0;
  }
  double cap[MAXA], sal[MAXA];
  for (size_t a = 0; a < I->n; a++) {
    cap[a] = v == V_COMP_EQ ? 1 : (v == V_MEAN || v == V_MED ? 0 : I->gdp[a]);
    sal[a] = v == V_MEAN ? 50 : I->sal[a];
    if (v == V_MEAN) cap[a] = 1;
  }
  int model = v == V_WMED || v == V_MED ? TRUCE_STAKE_MEDIAN
              : v == V_CHALLENGE        ? TRUCE_STAKE_CHALLENGE
              : v == V_PCE              ? TRUCE_STAKE_PCE
                                        : TRUCE_STAKE_COMPROMISE;
  truce_stake* st;
  int rc = truce_stake_from_arrays(ctx, I->n, 1, cap, I->pos, sal, 0, 100, &st);
  if (rc) return rc;
  truce_stake_result* r;
  rc = truce_stake_solve(ctx, st, model, o, &r);
  truce_stake_free(st);
  if (rc) return rc;
  *y = r->outcome[0];
  truce_stake_result_free(ctx, r);
  return 0;
}

/* MAE with a bootstrap 95% interval over the issues in `sel`. */
static int score(truce_ctx* ctx, const issue* is, const size_t* sel, size_t m,
                 int v, const truce_stake_opts* o, truce_rng* g, int boot,
                 truce_backtest_row* row, double* err) {
  size_t k = 0;
  for (size_t q = 0; q < m; q++) {
    double y;
    int rc = predict(ctx, &is[sel[q]], v, o, &y);
    if (rc < 0) return rc;
    if (rc == 0) err[k++] = fabs(y - is[sel[q]].out);
  }
  row->n = k;
  row->mae = k ? gsl_stats_mean(err, 1, k) : (double)NAN;
  row->lo = row->hi = (double)NAN;
  if (boot > 0 && k > 0) {
    double* bs = truce__calloc(ctx, (size_t)boot, sizeof(double));
    if (!bs) return TRUCE_ENOMEM;
    for (int b = 0; b < boot; b++) {
      double s = 0;
      for (size_t q = 0; q < k; q++)
        s += err[(size_t)(truce_rng_uniform(g) * (double)k)];
      bs[b] = s / (double)k;
    }
    gsl_sort(bs, 1, (size_t)boot);
    row->lo = gsl_stats_quantile_from_sorted_data(bs, 1, (size_t)boot, 0.025);
    row->hi = gsl_stats_quantile_from_sorted_data(bs, 1, (size_t)boot, 0.975);
    truce__free(ctx, bs, (size_t)boot * sizeof(double));
  }
  return 0;
}

int truce_stake_backtest(truce_ctx* ctx, const char* path, uint64_t seed,
                         int boot, truce_backtest* out) {
  TRUCE_CHECK_ARGS(ctx, path && out);
  memset(out, 0, sizeof *out);
  issue* is;
  size_t n, cap;
  int rc = read_deu(ctx, path, &is, &n, &cap);
  if (rc) return rc;
  size_t* sel = truce__calloc(ctx, n, sizeof *sel);
  double* err = truce__calloc(ctx, n, sizeof *err);
  truce_rng* g = NULL;
  if (!sel || !err) rc = TRUCE_ENOMEM;
  if (!rc) rc = truce_rng_new(ctx, seed, 0, 1, &g);
  truce_stake_opts o = truce_stake_opts_default();
  for (size_t q = 0; q < n && !rc; q++) sel[q] = q;
  for (int v = 0; v < V_COUNT && !rc; v++) {
    truce_backtest_row* row = &out->rows[out->n_rows++];
    snprintf(row->name, sizeof row->name, "%s", vnames[v]);
    rc = score(ctx, is, sel, n, v, &o, g, boot, row, err);
  }
  /* Held-out: a seeded random half fits the pce's options. */
  if (!rc) {
    truce_rng_reset(g, seed, 1, 2);
    for (size_t q = n; q > 1; q--) { /* Fisher-Yates */
      size_t j = (size_t)(truce_rng_uniform(g) * (double)q);
      size_t t = sel[q - 1];
      sel[q - 1] = sel[j];
      sel[j] = t;
    }
    size_t half = n / 2;
    static const double gammas[] = {0.5, 1, 2, 4, 8};
    static const double risks[] = {0.5, 1, 2};
    double best = HUGE_VAL;
    truce_stake_opts bo = o;
    for (int a = TRUCE_STAKE_AGG_MEAN; a <= TRUCE_STAKE_AGG_MEDIAN && !rc; a++)
      for (int gi = 0; gi < 5 && !rc; gi++)
        for (int ri = 0; ri < 3 && !rc; ri++) {
          truce_stake_opts t = o;
          t.aggregate = (truce_stake_aggregate)a;
          t.gamma = gammas[gi];
          t.risk = risks[ri];
          truce_backtest_row tr;
          rc = score(ctx, is, sel, half, V_PCE, &t, g, 0, &tr, err);
          if (!rc && tr.mae < best) {
            best = tr.mae;
            bo = t;
          }
        }
    truce_backtest_row te, tc;
    if (!rc)
      rc = score(ctx, is, sel + half, n - half, V_PCE, &bo, g, 0, &te, err);
    if (!rc)
      rc = score(ctx, is, sel + half, n - half, V_COMP_GDP, &o, g, 0, &tc, err);
    if (!rc) {
      snprintf(out->fitted, sizeof out->fitted,
               "gamma %g, risk %g, outcome %s (train MAE %.2f on %zu)",
               bo.gamma, bo.risk,
               bo.aggregate == TRUCE_STAKE_AGG_MEDIAN ? "weighted median"
                                                      : "weighted mean",
               best, half);
      out->n_test = te.n;
      out->pce_test_mae = te.mae;
      out->compromise_test_mae = tc.mae;
    }
  }
  truce_rng_free(g);
  truce__free(ctx, sel, n * sizeof *sel);
  truce__free(ctx, err, n * sizeof *err);
  truce__free(ctx, is, cap * sizeof *is);
  return rc;
}
