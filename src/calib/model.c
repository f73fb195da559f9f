/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Fitting an attrition law to partisan, noisy observations
 * (docs/validation.md s2). The model for a casualty figure reported by
 * source k for side s on day d is
 *   value = beta_{k,s} x k_e x D_s(d) + e,   e ~ N(0, sigma_k^2)
 * with k_e the enemy's coefficient, D_s the law's driver of the day's
 * observed fronts and beta a source's bias factor (1 unless given a
 * prior). Parameters are fitted by GSL's gsl_multifit_nlinear (trust
 * region, finite-difference Jacobian) on residuals standardised by the
 * sources' sds, which are re-estimated from the residuals until they
 * settle (feasible weighted least squares; at convergence the Gaussian
 * maximum likelihood). Bias priors enter as pseudo-residuals
 * (ln beta - ln median) / sdlog, so the fit is then a posterior mode.
 */
#include <gsl/gsl_errno.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_multifit_nlinear.h>
#include <gsl/gsl_vector.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../sim/laws.h"
#include "truce_int.h"

#define Z90 1.6448536269514722 /* the normal's 95th percentile */

typedef struct {
  int day, side, src, bias; /* bias: index into the factors, -1 none */
  double value, x, y;       /* x: own front, y: enemy's */
} cas_obs;

typedef struct {
  const truce__law* law;
  size_t n, n_prior; /* observations; prior pseudo-residuals */
  const cas_obs* obs;
  const double* sigma;   /* per source */
  const double* fixed;   /* per bias entry: ln median when fixed */
  const int* bias_par;   /* per bias entry: its parameter index, or -1 */
  const double* prior_m; /* per bias entry */
  const double* prior_s;
  size_t n_entries;
  double* full;          /* all parameters, fitted or held */
  const size_t* free_ix; /* the fitted ones' indices into full */
  size_t n_free;
} model;

static double logistic(double t) { return 1 / (1 + exp(-t)); }

/* The law's parameters from th[2..]: a share is fitted on the logit
 * scale. */
static void law_params(const truce__law* l, const double* th, double* par) {
  for (size_t k = 0; k < l->n_params; k++)
    par[k] = l->params[k].share ? logistic(th[2 + k]) : th[2 + k];
}

/* The expected casualty figure of one observation: the law's loss
 * (src/sim/laws.h) with the coefficient times the source's bias. */
static double predict(const model* m, const double* th, const cas_obs* o) {
  double lnk = th[o->side ? 1 : 0]; /* side 0 is hit by side 1's coef */
  double par[TRUCE_LAW_MAXPAR];
  truce__law_exp e;
  law_params(m->law, th, par);
  m->law->exponents(par, &e);
  double lnb = 0;
  if (o->bias >= 0)
    lnb = m->bias_par[o->bias] >= 0 ? th[m->bias_par[o->bias]]
                                    : m->fixed[o->bias];
  return truce__law_loss(&e, o->side, exp(lnk + lnb),
                         truce__law_time_factor(m->law, o->day), o->y, o->x);
}

static int residuals(const gsl_vector* x, void* user, gsl_vector* f) {
  const model* m = user;
  for (size_t j = 0; j < m->n_free; j++)
    m->full[m->free_ix[j]] = gsl_vector_get(x, j);
  const double* th = m->full;
  for (size_t i = 0; i < m->n; i++) {
    const cas_obs* o = &m->obs[i];
    gsl_vector_set(f, i, (o->value - predict(m, th, o)) / m->sigma[o->src]);
  }
  size_t r = m->n;
  for (size_t e = 0; e < m->n_entries; e++)
    if (m->bias_par[e] >= 0)
      gsl_vector_set(f, r++,
                     (th[m->bias_par[e]] - m->prior_m[e]) / m->prior_s[e]);
  return GSL_SUCCESS;
}

static void set_par(truce_calib_param* p, const char* name, double est,
                    double se, double lo, double hi) {
  snprintf(p->name, sizeof p->name, "%s", name);
  p->estimate = est;
  p->se = se;
  p->low = lo;
  p->high = hi;
}

/* One least-squares solve of the free parameters from m->full (updated in
 * place); their covariance in the standardised problem into cov. */
static int solve(const model* m, gsl_matrix* cov, int* converged) {
  size_t np = m->n_free;
  double th[TRUCE_CALIB_MAXPAR];
  for (size_t j = 0; j < np; j++) th[j] = m->full[m->free_ix[j]];
  size_t nr = m->n + m->n_prior;
  gsl_multifit_nlinear_parameters fp =
      gsl_multifit_nlinear_default_parameters();
  gsl_multifit_nlinear_workspace* w =
      gsl_multifit_nlinear_alloc(gsl_multifit_nlinear_trust, &fp, nr, np);
  if (!w) return TRUCE_ENOMEM; /* the caller records it */
  gsl_multifit_nlinear_fdf fdf = {0};
  fdf.f = residuals;
  fdf.n = nr;
  fdf.p = np;
  fdf.params = (void*)m;
  gsl_vector_view x0 = gsl_vector_view_array(th, np);
  int info = 0, st = gsl_multifit_nlinear_init(&x0.vector, &fdf, w);
  if (st == GSL_SUCCESS)
    st = gsl_multifit_nlinear_driver(500, 1e-10, 1e-10, 1e-12, NULL, NULL,
                                     &info, w);
  *converged = st == GSL_SUCCESS;
  const gsl_vector* x = gsl_multifit_nlinear_position(w);
  for (size_t j = 0; j < np; j++) m->full[m->free_ix[j]] = gsl_vector_get(x, j);
  int cst = gsl_multifit_nlinear_covar(gsl_multifit_nlinear_jac(w), 0.0, cov);
  gsl_multifit_nlinear_free(w);
  return cst == GSL_SUCCESS ? 0 : TRUCE_EDOM;
}

/* A fit in progress: the inputs, the bias entries, the observations
 * and the parameters. */
typedef struct {
  truce_ctx* ctx;
  const truce_observed* ob;
  const truce_scenario* sc;
  const truce_calib_spec* spec;
  const truce__law* law;
  size_t nsrc, nd, nrows, ne, nbp, nfull, n, np;
  int nlp, maxday;
  /* bias entries: (source index, side) -> parameter */
  int esrc[TRUCE_CALIB_MAXPAR], bpar[TRUCE_CALIB_MAXPAR];
  double fixed[TRUCE_CALIB_MAXPAR], pm[TRUCE_CALIB_MAXPAR],
      ps[TRUCE_CALIB_MAXPAR];
  int* col; /* per day: its column of the observed fronts, or -1 */
  cas_obs* obs;
  double *sigma, *fr;
  size_t free_ix[TRUCE_CALIB_MAXPAR];
  int held[2];
  double th[TRUCE_CALIB_MAXPAR];
  double ssr_k[TRUCE_CALIB_MAXPAR];
  size_t n_k[TRUCE_CALIB_MAXPAR];
} fit;

/* The spec's bias entries: each source's index, its prior, and its
 * parameter when fitted (sdlog > 0). */
static int bias_entries(fit* F) {
  const truce_calib_spec* spec = F->spec;
  for (size_t e = 0; e < F->ne; e++) {
    const truce_source_bias* b = &spec->bias[e];
    F->esrc[e] = -1;
    for (size_t k = 0; k < F->nsrc; k++)
      if (b->source && !strcmp(b->source, truce_observed_source(F->ob, k)))
        F->esrc[e] = (int)k;
    if (F->esrc[e] < 0)
      return TRUCE_FAIL(F->ctx, TRUCE_EINVAL,
                        "bias for source '%s': the "
                        "observed file has no such source",
                        b->source);
    if (!(b->median > 0) || !(b->sdlog >= 0) || b->side < -1 || b->side > 1)
      return TRUCE_FAIL(F->ctx, TRUCE_EINVAL,
                        "bias for source '%s': expected a "
                        "median > 0, an sdlog >= 0 and side -1, 0 or 1",
                        b->source);
    F->pm[e] = log(b->median);
    F->ps[e] = b->sdlog;
    F->fixed[e] = b->sdlog > 0 ? 0.0 : F->pm[e]; /* unused when fitted */
    F->bpar[e] = b->sdlog > 0 ? F->nlp + (int)F->nbp++ : -1;
  }
  F->nfull = (size_t)F->nlp + F->nbp;
  return 0;
}

/* The casualty observations on days with both fronts observed. */
static void gather(fit* F) {
  size_t nd = F->nd;
  const truce_obs* rows = truce_observed_rows(F->ob, &F->nrows);
  for (size_t s = 0; s < 2; s++) /* fr: side 0's front, casualties, side 1's */
    for (int v = 0; v < TRUCE_OBS_VARS; v++)
      truce_observed_column(F->ob, s, v, F->fr + (2 * s + (size_t)v) * nd);
  for (int d = 0; d <= F->maxday; d++) F->col[d] = -1;
  for (size_t i = 0; i < nd; i++)
    if (F->fr[i] > 0 && F->fr[2 * nd + i] > 0)
      F->col[truce_observed_day(F->ob, i)] = (int)i;
  for (size_t r = 0; r < F->nrows; r++) {
    const truce_obs* w = &rows[r];
    if (w->var != TRUCE_OBS_CASUALTIES || w->day > F->maxday ||
        F->col[w->day] < 0)
      continue;
    size_t i = (size_t)F->col[w->day];
    cas_obs* o = &F->obs[F->n++];
    o->day = w->day;
    o->side = w->side;
    o->src = w->source;
    o->value = w->value;
    o->x = F->fr[(size_t)(2 * w->side) * nd + i];
    o->y = F->fr[(size_t)(2 * (1 - w->side)) * nd + i];
    o->bias = -1;
    for (size_t e = 0; e < F->ne; e++)
      if (F->esrc[e] == w->source &&
          (F->spec->bias[e].side < 0 || F->spec->bias[e].side == w->side))
        o->bias = (int)e;
  }
}

/* A side without casualty figures keeps the scenario's coefficient
 * (held); the others and the law's parameters are fitted. */
static int hold(fit* F) {
  for (size_t i = 0; i < F->n; i++) F->held[F->obs[i].side ? 1 : 0] = 0;
  for (int j = 0; j < 2; j++) {
    char path[160];
    snprintf(path, sizeof path, "combat.coefficients.%s",
             truce_scenario_side_id(F->sc, (size_t)(1 - j)));
    double v = 0;
    if (F->held[j] && (truce_scenario_get(F->ctx, F->sc, path, &v) || !(v > 0)))
      return TRUCE_FAIL(F->ctx, TRUCE_EINVAL,
                        "no casualty figures for side '%s' "
                        "and no positive %s in the scenario to hold",
                        truce_scenario_side_id(F->sc, (size_t)j), path);
    F->th[j] = F->held[j] ? log(v) : 0;
  }
  for (size_t j = 0; j < F->nfull; j++)
    if (j >= 2 || !F->held[j]) F->free_ix[F->np++] = j;
  if (F->n < F->np + 1)
    return TRUCE_FAIL(F->ctx, TRUCE_EINVAL,
                      "%zu casualty observations on days "
                      "with both fronts observed; the %s law needs more "
                      "than %zu",
                      F->n, F->law->name, F->np);
  return 0;
}

/* The start: the law's parameters at their starts, then each side's
 * ratio estimator for the law's driver; unit sds. */
static void start(fit* F) {
  const truce__law* law = F->law;
  double* th = F->th;
  for (size_t k = 0; k < law->n_params; k++) {
    double s0 = law->params[k].start;
    th[2 + k] = law->params[k].share ? log(s0 / (1 - s0)) : s0;
  }
  double par[TRUCE_LAW_MAXPAR];
  truce__law_exp e0;
  law_params(law, th, par);
  law->exponents(par, &e0);
  double sc0 = 0, sd0 = 0, sc1 = 0, sd1 = 0;
  for (size_t i = 0; i < F->n; i++) {
    const cas_obs* o = &F->obs[i];
    double drv = truce__law_loss(
        &e0, o->side, 1, truce__law_time_factor(law, o->day), o->y, o->x);
    double bf = o->bias >= 0 ? F->spec->bias[o->bias].median : 1;
    if (o->side)
      sc1 += o->value / bf, sd1 += drv;
    else
      sc0 += o->value / bf, sd0 += drv;
  }
  if (!F->held[0]) th[0] = log(sd0 > 0 && sc0 > 0 ? sc0 / sd0 : 1e-6);
  if (!F->held[1]) th[1] = log(sd1 > 0 && sc1 > 0 ? sc1 / sd1 : 1e-6);
  for (size_t e = 0; e < F->ne; e++)
    if (F->bpar[e] >= 0) th[F->bpar[e]] = F->pm[e];
  for (size_t k = 0; k < F->nsrc; k++) F->sigma[k] = 1;
}

/* Feasible weighted least squares: solve, re-estimate the sources' sds
 * (ML, with degrees of freedom shared out by observations), until they
 * settle. */
static int fwls(fit* F, const model* m, gsl_matrix* cov,
                truce_calib_result* out) {
  const truce__law* law = F->law;
  double* th = F->th;
  size_t n = F->n;
  int rc = 0;
  for (int it = 0; !rc && it < 8; it++) {
    double before[TRUCE_CALIB_MAXPAR];
    memcpy(before, th, sizeof before);
    int was = out->converged;
    rc = solve(m, cov, &out->converged);
    if (rc == TRUCE_ENOMEM)
      rc = TRUCE_FAIL(F->ctx, rc,
                      "out of memory (GSL's least-squares "
                      "workspace)");
    else if (rc)
      rc = TRUCE_FAIL(F->ctx, rc,
                      "the %s law's covariance cannot be "
                      "estimated (a singular Jacobian); expected "
                      "observations that vary",
                      law->name);
    /* a re-solve that starts at the optimum (the sds changed uniformly)
     * may stop without a step: still converged */
    int moved = 0;
    for (size_t j = 0; j < F->nfull; j++)
      moved |= fabs(th[j] - before[j]) > 1e-9 * (1 + fabs(before[j]));
    if (it > 0 && was && !moved) out->converged = 1;
    if (rc)
      return TRUCE_FAIL(F->ctx, TRUCE_EDOM,
                        "the %s fit is degenerate (its "
                        "parameters are not identified by these data)",
                        law->name);
    memset(F->ssr_k, 0, sizeof F->ssr_k);
    memset(F->n_k, 0, sizeof F->n_k);
    for (size_t i = 0; i < n; i++) {
      double r = F->obs[i].value - predict(m, th, &F->obs[i]);
      F->ssr_k[F->obs[i].src] += r * r;
      F->n_k[F->obs[i].src]++;
    }
    double dof = 1 - (double)F->np / (double)n, change = 0, pooled = 0;
    for (size_t k = 0; k < F->nsrc; k++) pooled += F->ssr_k[k];
    for (size_t k = 0; k < F->nsrc; k++) {
      if (!F->n_k[k]) continue;
      double v = F->spec->pooled_noise
                     ? pooled / ((double)n * dof)
                     : F->ssr_k[k] / ((double)F->n_k[k] * dof);
      double s = sqrt(v > 0 ? v : 1e-300);
      change = fmax(change, fabs(s - F->sigma[k]) / s);
      F->sigma[k] = s;
    }
    if (change < 1e-9) break;
  }
  return rc;
}

/* The fitted parameters with their standard errors and 90% intervals
 * (on the scale each is fitted on), the sources' sds, the likelihood and
 * the AIC. */
static void report(const fit* F, const gsl_matrix* cov,
                   truce_calib_result* out) {
  const truce__law* law = F->law;
  const truce_calib_spec* spec = F->spec;
  out->law = spec->law;
  out->n_obs = F->n;
  out->n_par = F->nfull;
  const char* id0 = truce_scenario_side_id(F->sc, 0);
  const char* id1 = truce_scenario_side_id(F->sc, 1);
  char nm[128];
  size_t fj = 0; /* j's row in cov when fitted */
  for (size_t j = 0; j < F->nfull; j++) {
    int fitted = fj < F->np && F->free_ix[fj] == j;
    double t = F->th[j], s = fitted ? sqrt(gsl_matrix_get(cov, fj, fj)) : 0;
    fj += (size_t)fitted;
    truce_calib_param* p = &out->par[j];
    p->held = !fitted;
    if (j < 2) { /* th[0]: side 1's coefficient (it hits side 0) */
      snprintf(nm, sizeof nm, "combat.coefficients.%s", j ? id0 : id1);
      set_par(p, nm, exp(t), exp(t) * s, exp(t - Z90 * s), exp(t + Z90 * s));
    } else if (j < (size_t)F->nlp) { /* a parameter of the law */
      const truce__law_param* lp = &law->params[j - 2];
      snprintf(nm, sizeof nm, "combat.%s", lp->key);
      if (lp->share) {
        double W = logistic(t);
        set_par(p, nm, W, W * (1 - W) * s, logistic(t - Z90 * s),
                logistic(t + Z90 * s));
      } else {
        set_par(p, nm, t, s, t - Z90 * s, t + Z90 * s);
      }
    } else {
      size_t e = 0;
      while (F->bpar[e] != (int)j) e++;
      const truce_source_bias* b = &spec->bias[e];
      if (b->side < 0)
        snprintf(nm, sizeof nm, "bias.%s", b->source);
      else
        snprintf(nm, sizeof nm, "bias.%s.%s", b->source, b->side ? id1 : id0);
      set_par(p, nm, exp(t), exp(t) * s, exp(t - Z90 * s), exp(t + Z90 * s));
    }
  }
  double ll = 0, ssr = 0;
  for (size_t k = 0; k < F->nsrc; k++) {
    if (!F->n_k[k]) continue;
    ssr += F->ssr_k[k];
    double v = F->sigma[k] * F->sigma[k];
    ll += -0.5 * (double)F->n_k[k] * log(2 * 3.141592653589793 * v) -
          F->ssr_k[k] / (2 * v);
    if (!spec->pooled_noise || out->n_noise == 0) {
      snprintf(nm, sizeof nm, "noise.%s",
               spec->pooled_noise ? "pooled" : truce_observed_source(F->ob, k));
      truce_calib_param* p = &out->noise[out->n_noise++];
      set_par(p, nm, F->sigma[k], (double)NAN, (double)NAN, (double)NAN);
    }
  }
  out->ssr = ssr;
  out->loglik = ll;
  out->n_free = F->np;
  out->aic = 2.0 * (double)(F->np + out->n_noise) - 2 * ll;
}

int truce_calibrate(truce_ctx* ctx, const truce_observed* ob,
                    const truce_scenario* sc, const truce_calib_spec* spec,
                    truce_calib_result* out) {
  if (!ctx || !ob || !sc || !spec || !out || spec->law < 0 ||
      (size_t)spec->law >= truce__n_laws || (spec->n_bias && !spec->bias))
    return TRUCE_FAIL(ctx, TRUCE_EINVAL, "truce_calibrate: bad arguments");
  memset(out, 0, sizeof *out);
  fit F = {.ctx = ctx,
           .ob = ob,
           .sc = sc,
           .spec = spec,
           .law = &truce__laws[spec->law],
           .held = {1, 1}};
  F.nsrc = truce_observed_sources(ob);
  F.nd = truce_observed_days(ob);
  truce_observed_rows(ob, &F.nrows);
  F.ne = spec->n_bias;
  if (2 + 2 + F.ne > TRUCE_CALIB_MAXPAR || F.nsrc > TRUCE_CALIB_MAXPAR)
    return TRUCE_FAIL(ctx, TRUCE_EINVAL,
                      "too many sources or bias factors; "
                      "expected at most %d in all",
                      TRUCE_CALIB_MAXPAR - 4);
  F.nlp = 2 + (int)F.law->n_params;
  int rc = bias_entries(&F);
  if (rc) return rc;
  size_t nd = F.nd, nrows = F.nrows, nsrc = F.nsrc;
  F.maxday = nd ? truce_observed_day(ob, nd - 1) : 0;
  F.col = truce__malloc(ctx, ((size_t)F.maxday + 1) * sizeof(int));
  F.obs = truce__calloc(ctx, nrows ? nrows : 1, sizeof *F.obs);
  F.sigma = truce__calloc(ctx, nsrc ? nsrc : 1, sizeof(double));
  F.fr = truce__malloc(ctx, (nd ? nd : 1) * 4 * sizeof(double));
  gsl_matrix* cov = NULL;
  rc = (!F.col || !F.obs || !F.sigma || !F.fr) ? TRUCE_ENOMEM : 0;
  if (!rc) gather(&F);
  if (!rc) rc = hold(&F);
  if (!rc && !(cov = gsl_matrix_alloc(F.np, F.np)))
    rc = TRUCE_FAIL(ctx, TRUCE_ENOMEM,
                    "out of memory (GSL's covariance matrix, %zu x %zu)", F.np,
                    F.np);
  model m = {F.law, F.n,  F.nbp, F.obs, F.sigma,   F.fixed, F.bpar,
             F.pm,  F.ps, F.ne,  F.th,  F.free_ix, F.np};
  if (!rc) start(&F);
  gsl_error_handler_t* old = gsl_set_error_handler_off();
  if (!rc) rc = fwls(&F, &m, cov, out);
  gsl_set_error_handler(old);
  if (!rc) report(&F, cov, out);
  if (cov) gsl_matrix_free(cov);
  truce__free(ctx, F.fr, (nd ? nd : 1) * 4 * sizeof(double));
  truce__free(ctx, F.sigma, (nsrc ? nsrc : 1) * sizeof(double));
  truce__free(ctx, F.obs, (nrows ? nrows : 1) * sizeof *F.obs);
  truce__free(ctx, F.col, ((size_t)F.maxday + 1) * sizeof(int));
  return rc;
}
