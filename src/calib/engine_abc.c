/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Rejection ABC on the stochastic engine (docs/validation.md s2): the
 * scenario's uncertain numbers are the priors; run i draws them and
 * simulates (exactly the ensemble's run i, streams keyed by seed and run),
 * and the runs whose simulated fronts and daily casualties come closest to
 * the observed ones form the posterior sample. Any scenario number given
 * as a range or distribution can be calibrated this way, through the
 * whole engine (pipelines, equipment, ammunition, events), not only the
 * attrition coefficients.
 */
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>

#include "calib_int.h"
#include "truce_int.h"

#define STOP 1 /* the day callback's "enough days" */

typedef struct {
  int last;         /* record days 0..last */
  double* front[2]; /* [day] */
  double* cum[2];   /* cumulative casualties at the start of day */
} path;

static int rec(void* u, const truce_day* d) {
  path* p = u;
  if (d->day > p->last) return STOP;
  for (int s = 0; s < 2; s++) {
    p->front[s][d->day] = d->side[s].front;
    p->cum[s][d->day] = d->side[s].casualties;
  }
  return d->day == p->last ? STOP : 0;
}

/* One thread's share of the runs: distances and drawn values. Every
 * thread reaches the worksharing loop, even after a failure (tctx NULL:
 * its context could not be made), so none waits for another forever. */
static int work(truce_ctx* tctx, const truce_scenario* sc, const truce_obs* ob,
                size_t nob, const double scale[2][2], int last, uint64_t runs,
                size_t np, truce__scored* sco, double* vals) {
  truce_sim* sim = NULL;
  path p = {last, {NULL, NULL}, {NULL, NULL}};
  int rc = tctx ? truce_sim_new(tctx, sc, &sim) : TRUCE_ENOMEM;
  for (int s = 0; s < 2 && !rc; s++) {
    p.front[s] = truce__calloc(tctx, (size_t)last + 1, sizeof(double));
    p.cum[s] = truce__calloc(tctx, (size_t)last + 1, sizeof(double));
    if (!p.front[s] || !p.cum[s]) rc = TRUCE_ENOMEM;
  }
  {
#pragma omp for schedule(dynamic, 8)
    for (uint64_t i = 0; i < runs; i++) {
      if (rc) continue;
      int r = truce_sim_run(sim, i, TRUCE_SIM_STOCHASTIC, rec, &p);
      if (r != 0 && r != STOP) {
        rc = r;
        continue;
      }
      double d = 0;
      for (size_t k = 0; k < nob; k++) {
        const truce_obs* o = &ob[k];
        double sim_v = o->var == TRUCE_OBS_FRONT ? p.front[o->side][o->day]
                                                 : p.cum[o->side][o->day + 1] -
                                                       p.cum[o->side][o->day];
        double z = (sim_v - o->value) / scale[o->side][o->var];
        d += z * z;
      }
      sco[i] = (truce__scored){d, i};
      memcpy(vals + i * np, truce_sim_param_values(sim), np * sizeof(double));
    }
  }
  for (int s = 0; s < 2 && tctx; s++) {
    truce__free(tctx, p.front[s], ((size_t)last + 1) * sizeof(double));
    truce__free(tctx, p.cum[s], ((size_t)last + 1) * sizeof(double));
  }
  truce_sim_free(sim);
  return rc;
}

int truce_calibrate_abc(truce_ctx* ctx, const truce_observed* o,
                        const truce_scenario* sc,
                        const truce_engine_abc_opts* opt,
                        truce_engine_abc_result* out) {
  if (!ctx || !o || !sc || !opt || !out || opt->runs < 1 ||
      !(opt->tolerance > 0 && opt->tolerance <= 1))
    return TRUCE_FAIL(ctx, TRUCE_EINVAL,
                      "ABC needs observations, a "
                      "scenario, at least one run and a tolerance in (0, 1]");
  memset(out, 0, sizeof *out);
  const size_t np = truce_scenario_uncertain_count(sc);
  if (np == 0)
    return TRUCE_FAIL(ctx, TRUCE_EINVAL,
                      "%s: no uncertain numbers to "
                      "calibrate; expected the numbers to fit given as ranges "
                      "{value, low, high} or distributions",
                      truce_scenario_file(sc));
  if (np > TRUCE_ABC_MAXPAR)
    return TRUCE_FAIL(ctx, TRUCE_EINVAL,
                      "%zu uncertain numbers; ABC takes "
                      "at most %d",
                      np, TRUCE_ABC_MAXPAR);
  size_t nob;
  const truce_obs* ob = truce_observed_rows(o, &nob);
  int last = 0;
  double ss[2][2] = {{0, 0}, {0, 0}}, cnt[2][2] = {{0, 0}, {0, 0}};
  for (size_t k = 0; k < nob; k++) {
    int d = ob[k].day + (ob[k].var == TRUCE_OBS_CASUALTIES);
    if (d > last) last = d;
    ss[ob[k].side][ob[k].var] += ob[k].value * ob[k].value;
    cnt[ob[k].side][ob[k].var] += 1;
  }
  int horizon = truce_scenario_horizon_days(sc);
  if (last > horizon)
    return TRUCE_FAIL(ctx, TRUCE_EINVAL,
                      "the observations run to day %d "
                      "but %s's horizon is %d days; expected a horizon that "
                      "covers them",
                      last, truce_scenario_file(sc), horizon);
  double scale[2][2];
  for (int s = 0; s < 2; s++)
    for (int v = 0; v < 2; v++) {
      double rms = cnt[s][v] > 0 ? sqrt(ss[s][v] / cnt[s][v]) : 0;
      scale[s][v] = rms > 0 ? rms : 1;
    }
  truce__scored* sco = truce__calloc(ctx, opt->runs, sizeof *sco);
  double* vals = truce__calloc(ctx, opt->runs * np, sizeof(double));
  double* tmp = truce__calloc(ctx, opt->runs, sizeof(double));
  int rc = (!sco || !vals || !tmp) ? TRUCE_ENOMEM : 0;
  int nthreads = opt->threads > 0 ? opt->threads : omp_get_max_threads();
  if (!rc) {
#pragma omp parallel num_threads(nthreads)
    {
      truce_ctx* tctx = NULL;
      if (truce_ctx_new(&tctx, ctx->alloc, ctx->alloc_user)) tctx = NULL;
      int trc = work(tctx, sc, ob, nob, (const double(*)[2])scale, last,
                     opt->runs, np, sco, vals);
#pragma omp critical(truce_abc_error)
      if (trc && !rc) {
        rc = trc;
        if (!tctx)
          TRUCE_FAIL(ctx, TRUCE_ENOMEM, "out of memory (a thread's context)");
        else if (tctx->code)
          truce__error_copy(ctx, tctx);
      }
      truce_ctx_free(tctx);
    }
  }
  if (!rc) {
    out->runs = opt->runs;
    out->n_obs = nob;
    out->n_param = np;
    for (size_t j = 0; j < np; j++) { /* the prior, from every run's draw */
      double m = gsl_stats_mean(vals + j, np, opt->runs);
      out->param[j].prior_mean = m;
      out->param[j].prior_sd =
          opt->runs > 1 ? gsl_stats_sd_m(vals + j, np, opt->runs, m) : 0;
      snprintf(out->param[j].path, sizeof out->param[j].path, "%s",
               truce_scenario_uncertain_path(sc, j));
    }
    size_t k = truce__abc_reject(sco, opt->runs, sizeof *sco, opt->tolerance);
    out->accepted = k;
    out->best = sco[0].dist;
    out->threshold = sco[k - 1].dist;
    for (size_t j = 0; j < np; j++) {
      truce_engine_abc_param* p = &out->param[j];
      for (size_t a = 0; a < k; a++) tmp[a] = vals[sco[a].run * np + j];
      p->mean = gsl_stats_mean(tmp, 1, k);
      p->sd = k > 1 ? gsl_stats_sd_m(tmp, 1, k, p->mean) : 0;
      gsl_sort(tmp, 1, k);
      p->p05 = gsl_stats_quantile_from_sorted_data(tmp, 1, k, 0.05);
      p->p50 = gsl_stats_quantile_from_sorted_data(tmp, 1, k, 0.5);
      p->p95 = gsl_stats_quantile_from_sorted_data(tmp, 1, k, 0.95);
    }
  }
  truce__free(ctx, tmp, opt->runs * sizeof(double));
  truce__free(ctx, vals, opt->runs * np * sizeof(double));
  truce__free(ctx, sco, opt->runs * sizeof *sco);
  return rc;
}
