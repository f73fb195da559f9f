/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The ensemble runner: runs [r0, r1) of this rank over OpenMP threads,
 * each thread with its own context, engine workspace and partial summary;
 * partials are merged (exactly) at the end, then across MPI ranks. Every
 * run's results land at its own index, so nothing depends on which thread
 * or rank ran it.
 */
#include <math.h>
#include <string.h>
#ifdef _OPENMP
#include <omp.h>
#endif

#include "../scenario/params.h"
#include "ensemble_int.h"
#include "summary.h"

struct truce_ensemble {
  truce_ctx* ctx;
  const truce_scenario* sc;
  uint64_t runs;
  int days, threads, ranks, rank;
  size_t n_params;
  size_t ns, nbs; /* series per side and per backer (their tables) */
  size_t nout;    /* outcomes per side (the engine's table) */
  truce__summary* sum;
  uint64_t* stale;  /* runs in stalemate, per day */
  double* outcomes; /* runs x 2 x nout */
  double* params;   /* runs x n_params */
  size_t n_extras;
  double* extras; /* runs x n_extras (the hook's) */
  size_t nb;      /* backers */
  size_t stride;  /* cells per day: 2 sides x ns + nbs per backer */
  double* bout;   /* runs x nb x BOUTV */
};

#define BOUTV 4 /* committed, delivered, longest gap, packages */

static size_t cell_of(const truce_ensemble* e, int day, size_t side,
                      size_t series) {
  return (size_t)day * e->stride + side * e->ns + series;
}

static size_t backer_cell(const truce_ensemble* e, int day, size_t b,
                          size_t k) {
  return (size_t)day * e->stride + 2 * e->ns + e->nbs * b + k;
}

/* The horizon's cells keep every value: its bands are exact, the same
 * numbers as the per-run outcomes' quantiles (docs/outputs.md,
 * "Quantiles"). */
static void keep_horizon(const truce_ensemble* e, truce__summary* s) {
  truce__summary_keep(s, (size_t)(e->days - 1) * e->stride, e->stride);
}

/* Runs buffered per thread before their values enter the summaries:
 * inserting cell by cell keeps each histogram in cache while it takes the
 * batch's values. A run writes its row of the buffer in order. */
#define BATCH 64

/* Per-thread observer of a run's days. */
typedef struct {
  const truce_ensemble_hook* hook;
  void* hstate;
  const truce_ensemble* e;
  const truce_sim* sim; /* the run's sampled parameters for run_begin */
  uint64_t run;
  unsigned flags;
  truce__summary* sum;
  double* buf; /* [BATCH][cell] values of the buffered runs */
  int nbuf;    /* runs buffered */
  size_t ncells, stride;
  uint64_t* stale;
  double* terr; /* ring of side 0's territory, window + 1 days */
  int window;
  double km2, area;
  int err;
} observer;

static int on_day(void* user, const truce_day* d) {
  observer* o = user;
  if (d->day == 0 && o->hook && o->hook->run_begin) {
    int rc = o->hook->run_begin(o->hstate, o->run, o->flags,
                                truce_sim_param_values(o->sim));
    if (rc) return rc;
  }
  if (o->hook && o->hook->day) {
    int rc = o->hook->day(o->hstate, d);
    if (rc) return rc;
  }
  double* row = o->buf + (size_t)o->nbuf * o->ncells;
  const truce_ensemble* e = o->e;
  const truce_series_info* ser = truce_series(0);
  const truce_backer_series_info* bser = truce_backer_series(0);
  for (size_t i = 0; i < 2; i++) {
    double* c = row + cell_of(e, d->day, i, 0);
    const char* s = (const char*)&d->side[i];
    for (size_t k = 0; k < e->ns; k++)
      c[k] = *(const double*)(s + ser[k].offset);
  }
  for (int bk = 0; bk < d->n_backers; bk++) {
    double* c = row + backer_cell(e, d->day, (size_t)bk, 0);
    const char* b = (const char*)&d->backer[bk];
    for (size_t k = 0; k < e->nbs; k++)
      c[k] = *(const double*)(b + bser[k].offset);
  }
  /* Stalemate: the front moved less than km2 over the window and neither
   * side is exhausted. */
  int w = o->window;
  o->terr[d->day % (w + 1)] = d->side[0].territory;
  if (d->day >= w) {
    double moved =
        fabs(d->side[0].territory - o->terr[(d->day - w) % (w + 1)]) * o->area;
    if (moved < o->km2 && !d->side[0].exhausted && !d->side[1].exhausted)
      o->stale[d->day]++;
  }
  return 0;
}

/* Move the buffered runs' values into the summaries, cell by cell. */
static int flush(observer* o) {
  for (size_t c = 0; c < o->ncells; c++) {
    int rc = truce__summary_add_many(o->sum, c, o->buf + c, o->ncells,
                                     (size_t)o->nbuf);
    if (rc) return rc;
  }
  o->nbuf = 0;
  return 0;
}

void truce_ensemble_free(truce_ensemble* e) {
  if (!e) return;
  truce_ctx* ctx = e->ctx;
  truce__summary_free(e->sum);
  truce__free(ctx, e->stale, (size_t)e->days * sizeof(uint64_t));
  truce__free(ctx, e->outcomes, e->runs * 2 * e->nout * sizeof(double));
  truce__free(ctx, e->params, (e->runs * e->n_params + 1) * sizeof(double));
  truce__free(ctx, e->extras, (e->runs * e->n_extras + 1) * sizeof(double));
  truce__free(ctx, e->bout, (e->runs * e->nb * BOUTV + 1) * sizeof(double));
  truce__free(ctx, e, sizeof *e);
}

/* One thread's share of the runs. Returns 0 or an error code, with the
 * message copied into `ctx` under a lock by the caller. */
typedef struct {
  truce_ensemble* e;
  const truce_ensemble_opts* opts;
  uint64_t r0, r1;
  volatile uint64_t done;
} job;

static int thread_work(job* jb, truce_ctx* tctx, int tid, int nthreads,
                       truce__summary** out_sum, uint64_t* stale) {
  truce_ensemble* e = jb->e;
  const truce__model* m = truce__scenario_model(e->sc);
  truce_sim* sim = NULL;
  truce__summary* sum = NULL;
  observer ob;
  memset(&ob, 0, sizeof ob);
  ob.window = (int)m->params.stalemate_window_days;
  ob.km2 = m->params.stalemate_km2;
  ob.area = m->params.area_km2;
  ob.stale = stale;
  ob.terr = truce__calloc(tctx, (size_t)ob.window + 1, sizeof(double));
  int rc = ob.terr ? 0 : TRUCE_ENOMEM;
  if (!rc) rc = truce_sim_new(tctx, e->sc, &sim);
  ob.hook = jb->opts->hook;
  if (!rc && ob.hook && ob.hook->thread_new)
    rc = ob.hook->thread_new(ob.hook->user, tctx, &ob.hstate);
  ob.e = e;
  ob.stride = e->stride;
  ob.ncells = (size_t)e->days * e->stride;
  if (!rc) rc = truce__summary_new(tctx, ob.ncells, &sum);
  if (!rc) keep_horizon(e, sum);
  ob.sum = sum;
  if (!rc) {
    ob.buf = truce__calloc(tctx, ob.ncells * BATCH, sizeof(double));
    if (!ob.buf) rc = TRUCE_ENOMEM;
  }
  /* Runs are dealt in chunks of 8 round-robin: a run's results go to its
   * own slot, so the deal does not affect them. */
  const uint64_t chunk = 8;
  for (uint64_t base = jb->r0 + (uint64_t)tid * chunk; !rc && base < jb->r1;
       base += (uint64_t)nthreads * chunk) {
    for (uint64_t r = base; r < base + chunk && r < jb->r1 && !rc; r++) {
      if (jb->opts->cancel && jb->opts->cancel(jb->opts->cancel_user)) {
        rc = TRUCE_FAIL(
            tctx, TRUCE_ECANCELED, "cancelled before run %llu of %llu",
            (unsigned long long)r, (unsigned long long)(jb->r1 - jb->r0));
        break;
      }
      ob.sim = sim;
      ob.run = r;
      ob.flags = jb->opts->flags;
      rc = truce_sim_run(sim, r, jb->opts->flags, on_day, &ob);
      if (rc) break;
      if (ob.hook && ob.hook->run_end &&
          (rc = ob.hook->run_end(ob.hstate, r, e->extras + r * e->n_extras)))
        break;
      if (++ob.nbuf == BATCH && (rc = flush(&ob))) break;
      double* oc = e->outcomes + r * 2 * e->nout;
      for (size_t i = 0; i < 2; i++)
        for (size_t k = 0; k < e->nout; k++)
          oc[i * e->nout + k] = truce_sim_outcome_value(sim, i, k);
      if (e->n_params)
        memcpy(e->params + r * e->n_params, truce_sim_param_values(sim),
               e->n_params * sizeof(double));
      for (size_t b = 0; b < e->nb; b++) {
        truce_backer_outcome bo;
        truce_sim_backer_outcome(sim, b, &bo);
        double* x = e->bout + (r * e->nb + b) * BOUTV;
        x[0] = bo.committed_total;
        x[1] = bo.delivered_total;
        x[2] = bo.longest_gap_days;
        x[3] = bo.packages;
      }
#ifdef _OPENMP
#pragma omp atomic
#endif
      jb->done++;
      if (tid == 0 && jb->opts->progress)
        jb->opts->progress(jb->opts->progress_user, jb->done, jb->r1 - jb->r0);
    }
  }
  if (!rc && ob.nbuf) rc = flush(&ob);
  truce_sim_free(sim);
  if (ob.hook && ob.hook->thread_free && ob.hstate)
    ob.hook->thread_free(ob.hstate);
  truce__free(tctx, ob.buf, ob.ncells * BATCH * sizeof(double));
  truce__free(tctx, ob.terr, ((size_t)ob.window + 1) * sizeof(double));
  if (rc) {
    truce__summary_free(sum);
    sum = NULL;
  }
  *out_sum = sum;
  return rc;
}

int truce_ensemble_run(truce_ctx* ctx, const truce_scenario* sc,
                       const truce_ensemble_opts* opts, truce_ensemble** out) {
  if (!ctx || !sc || !opts || !out) return TRUCE_EINVAL;
  *out = NULL;
  if (opts->runs == 0)
    return TRUCE_FAIL(ctx, TRUCE_EINVAL, "an ensemble needs at least 1 run");
  truce_ensemble* e = truce__calloc(ctx, 1, sizeof *e);
  if (!e) return TRUCE_ENOMEM;
  e->ctx = ctx;
  e->sc = sc;
  e->runs = opts->runs;
  e->days = truce_scenario_horizon_days(sc) + 1;
  e->n_params = truce_scenario_uncertain_count(sc);
  e->rank = 0;
  e->ranks = 1;
  int rc = 0;
  if (opts->use_mpi) rc = truce__mpi_rank_size(ctx, &e->rank, &e->ranks);
  e->nb = truce_scenario_backer_count(sc);
  e->ns = truce_series_count();
  e->nbs = truce_backer_series_count();
  e->nout = truce_outcome_count();
  e->stride = 2 * e->ns + e->nbs * e->nb;
  if (!rc) rc = truce__summary_new(ctx, (size_t)e->days * e->stride, &e->sum);
  if (!rc) keep_horizon(e, e->sum);
  if (!rc) {
    e->stale = truce__calloc(ctx, (size_t)e->days, sizeof(uint64_t));
    e->outcomes = truce__calloc(ctx, e->runs * 2 * e->nout, sizeof(double));
    e->params = truce__calloc(ctx, e->runs * e->n_params + 1, sizeof(double));
    e->n_extras = opts->hook ? opts->hook->extras : 0;
    e->extras = truce__calloc(ctx, e->runs * e->n_extras + 1, sizeof(double));
    e->bout = truce__calloc(ctx, e->runs * e->nb * BOUTV + 1, sizeof(double));
    if (!e->stale || !e->outcomes || !e->params || !e->extras || !e->bout)
      rc = TRUCE_ENOMEM;
  }
  if (rc) {
    truce_ensemble_free(e);
    return rc;
  }
  job jb = {e, opts, e->runs * (uint64_t)e->rank / (uint64_t)e->ranks,
            e->runs * (uint64_t)(e->rank + 1) / (uint64_t)e->ranks, 0};
  int nthreads = 1;
#ifdef _OPENMP
  nthreads = opts->threads > 0 ? opts->threads : omp_get_max_threads();
#endif
  e->threads = nthreads;
  int first_err = 0;
#ifdef _OPENMP
#pragma omp parallel num_threads(nthreads)
#endif
  {
    int tid = 0, nt = 1;
#ifdef _OPENMP
    tid = omp_get_thread_num();
    nt = omp_get_num_threads();
#endif
    truce_ctx* tctx = NULL;
    truce__summary* part = NULL;
    uint64_t* stale = NULL;
    int trc = truce_ctx_new(&tctx, ctx->alloc, ctx->alloc_user);
    if (!trc) {
      stale = truce__calloc(tctx, (size_t)e->days, sizeof(uint64_t));
      trc =
          stale ? thread_work(&jb, tctx, tid, nt, &part, stale) : TRUCE_ENOMEM;
    }
#ifdef _OPENMP
#pragma omp critical(truce_ensemble_merge)
#endif
    {
      if (!trc && !first_err) {
        trc = truce__summary_merge(e->sum, part);
        for (int d = 0; d < e->days; d++) e->stale[d] += stale[d];
      }
      if (trc && !first_err) {
        first_err = trc;
        if (tctx && tctx->code)
          TRUCE_FAIL(ctx, tctx->code, "%s", tctx->message);
        else
          TRUCE_FAIL(ctx, trc, "%s", truce_strerror(trc));
      }
    }
    truce__summary_free(part);
    if (tctx) truce__free(tctx, stale, (size_t)e->days * sizeof(uint64_t));
    truce_ctx_free(tctx);
  }
  rc = first_err;
  if (e->ranks > 1) rc = truce__mpi_any_error(ctx, rc);
  if (!rc && e->ranks > 1)
    rc = truce__mpi_gather(ctx, e->sum, e->stale, (size_t)e->days, e->outcomes,
                           2 * e->nout, e->params, e->n_params, e->extras,
                           e->n_extras, e->bout, e->nb * BOUTV, e->runs,
                           e->rank, e->ranks);
  if (rc) {
    truce_ensemble_free(e);
    return rc;
  }
  *out = e;
  return 0;
}

int truce_ensemble_is_root(const truce_ensemble* e) { return e->rank == 0; }
int truce_ensemble_ranks(const truce_ensemble* e) { return e->ranks; }
int truce_ensemble_threads(const truce_ensemble* e) { return e->threads; }
uint64_t truce_ensemble_runs(const truce_ensemble* e) { return e->runs; }
int truce_ensemble_days(const truce_ensemble* e) { return e->days; }

int truce_ensemble_band(const truce_ensemble* e, int day, size_t side,
                        int series, truce_band* out) {
  if (day < 0 || day >= e->days || side > 1 || series < 0 ||
      (size_t)series >= e->ns)
    return TRUCE_FAIL(e->ctx, TRUCE_EINVAL,
                      "no band for day %d side %zu "
                      "series %d",
                      day, side, series);
  truce__summary_band(e->sum, cell_of(e, day, side, (size_t)series), out);
  return 0;
}

int truce_ensemble_backer_band(const truce_ensemble* e, int day, size_t b,
                               int k, truce_band* out) {
  if (day < 0 || day >= e->days || b >= e->nb || k < 0 || (size_t)k >= e->nbs)
    return TRUCE_FAIL(e->ctx, TRUCE_EINVAL,
                      "no backer band for day %d "
                      "backer %zu",
                      day, b);
  truce__summary_band(e->sum, backer_cell(e, day, b, (size_t)k), out);
  return 0;
}

int truce_ensemble_backer_outcome(const truce_ensemble* e, uint64_t r, size_t b,
                                  truce_backer_outcome* out) {
  if (r >= e->runs || b >= e->nb)
    return TRUCE_FAIL(e->ctx, TRUCE_EINVAL, "no backer outcome");
  const double* x = e->bout + (r * e->nb + b) * BOUTV;
  out->committed_total = x[0];
  out->delivered_total = x[1];
  out->longest_gap_days = (int)x[2];
  out->packages = (int)x[3];
  return 0;
}

double truce_ensemble_stalemate(const truce_ensemble* e, int day) {
  if (day < 0 || day >= e->days) return (double)NAN;
  return (double)e->stale[day] / (double)e->runs;
}

int truce_ensemble_outcome(const truce_ensemble* e, uint64_t r,
                           truce_side_outcome out[2]) {
  if (r >= e->runs)
    return TRUCE_FAIL(e->ctx, TRUCE_EINVAL, "no run %llu",
                      (unsigned long long)r);
  for (size_t i = 0; i < 2; i++) {
    double x = truce_ensemble_outcome_value(
        e, r, i, (size_t)truce_outcome_index("exhaustion_day"));
    out[i].front_end = truce_ensemble_outcome_value(
        e, r, i, (size_t)truce_outcome_index("front_end"));
    out[i].casualties_total = truce_ensemble_outcome_value(
        e, r, i, (size_t)truce_outcome_index("casualties_total"));
    out[i].exhaustion_day = isnan(x) ? -1 : (int)x;
    out[i].territory_end = truce_ensemble_outcome_value(
        e, r, i, (size_t)truce_outcome_index("territory_end"));
  }
  return 0;
}

double truce_ensemble_outcome_value(const truce_ensemble* e, uint64_t r,
                                    size_t side, size_t k) {
  if (!e || r >= e->runs || side > 1 || k >= e->nout) return (double)NAN;
  return e->outcomes[(r * 2 + side) * e->nout + k];
}

const double* truce_ensemble_params(const truce_ensemble* e, uint64_t r) {
  return r < e->runs ? e->params + r * e->n_params : NULL;
}

const double* truce_ensemble_extras(const truce_ensemble* e, uint64_t r) {
  return r < e->runs && e->n_extras ? e->extras + r * e->n_extras : NULL;
}

/* ------------------------------------------------------ Estimates */

void truce_ensemble_estimate(const truce_scenario* sc,
                             const truce_ensemble_opts* opts,
                             truce_estimate* est) {
  memset(est, 0, sizeof *est);
  if (!sc || !opts) return;
  double days = (double)truce_scenario_horizon_days(sc) + 1;
  double nb = (double)truce_scenario_backer_count(sc);
  double cells = days * (2.0 * (double)truce_series_count() +
                         (double)truce_backer_series_count() * nb);
  double runs = (double)opts->runs;
  double threads = opts->threads > 0 ? opts->threads : 1;
#ifdef _OPENMP
  if (opts->threads <= 0) threads = omp_get_max_threads();
#endif
  if (threads > runs) threads = runs;
  /* a summary (the total and one per thread): cells with their exact
   * values, and past TRUCE_EXACT_RUNS runs a histogram of up to ~512
   * 2-byte counts; each thread's batch buffer; per run, the outcomes,
   * sampled parameters, extras and backer outcomes */
  double cell = (double)sizeof(truce__cell) + TRUCE_EXACT_RUNS * 8.0 +
                (runs > TRUCE_EXACT_RUNS ? 1024.0 : 0.0);
  double per_run =
      8.0 * (2.0 * (double)truce_outcome_count() +
             (double)truce_scenario_uncertain_count(sc) +
             (opts->hook ? (double)opts->hook->extras : 0) + nb * BOUTV + 8);
  /* plus a quarter for what is not counted (the allocator's overhead,
   * the simulator's workspace, the output writer's copies): 20,000 runs
   * of the shipped scenario on 2 threads peaked at 277 MiB resident,
   * estimated 264 MiB */
  /* and the horizon's kept values, twice (the threads' and the merged) */
  double kept = 2.0 * 8.0 * runs * cells / days;
  est->memory_bytes =
      1.25 * ((1 + threads) * cells * cell + threads * cells * BATCH * 8.0 +
              runs * per_run + kept);
  /* the output set: rows of daily.csv and the daily table (~100 bytes a
   * band row, ~250 a state row for one run), runs.csv and the runs
   * tables (~20 bytes a value), each twice (CSV and SQLite) */
  double daily = opts->runs == 1 ? days * 2 * 250.0 : cells * 100.0;
  est->output_bytes = 2 * (daily + runs * per_run / 8.0 * 20.0);
}
