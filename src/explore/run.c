/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Evaluating a design: every (point, replicate) is one call of the
 * model's eval with run index point * R + replicate, spread over OpenMP
 * threads and, when asked, MPI ranks. Work goes in blocks of runs; each
 * rank takes a contiguous share of a block, threads take its runs one by
 * one, and rank 0 gathers the block and hands its rows to the row
 * callback in order, so tables stream as the runs finish and every
 * result sits where its index says: nothing depends on thread or rank
 * counts. docs/explore.md s2.
 */
#include <math.h>
#include <omp.h>
#include <string.h>

#include "../ensemble/ensemble_int.h"
#include "explore_int.h"

#ifdef TRUCE_WITH_MPI
#include <mpi.h>
#endif

#define BLOCK_RUNS 256

/* Gather every rank's share of a block (rows of w doubles, runs [lo, hi)
 * split as share() says) into buf on rank 0. */
static int gather_block(truce_ctx* ctx, double* buf, size_t lo, size_t hi,
                        size_t w, int rank, int size) {
#ifdef TRUCE_WITH_MPI
  if (size == 1) return 0;
  int counts[64], displs[64];
  if (size > 64) return TRUCE_FAIL(ctx, TRUCE_EMPI, "more than 64 ranks");
  size_t n = hi - lo;
  for (int r = 0; r < size; r++) {
    size_t a = n * (size_t)r / (size_t)size,
           b = n * (size_t)(r + 1) / (size_t)size;
    counts[r] = (int)((b - a) * w);
    displs[r] = (int)(a * w);
  }
  int e;
  if (rank == 0)
    e = MPI_Gatherv(MPI_IN_PLACE, 0, MPI_DOUBLE, buf, counts, displs,
                    MPI_DOUBLE, 0, MPI_COMM_WORLD);
  else
    e = MPI_Gatherv(buf + displs[rank], counts[rank], MPI_DOUBLE, NULL, NULL,
                    NULL, MPI_DOUBLE, 0, MPI_COMM_WORLD);
  return e == MPI_SUCCESS ? 0 : TRUCE_FAIL(ctx, TRUCE_EMPI, "MPI_Gatherv");
#else
  (void)ctx, (void)buf, (void)lo, (void)hi, (void)w, (void)rank, (void)size;
  return 0;
#endif
}

static int any_error(truce_ctx* ctx, int rc, int size) {
  return size > 1 ? truce__mpi_any_error(ctx, rc) : rc;
}

int truce_explore_run(truce_ctx* ctx, const truce_design* d,
                      const truce_explore_model* m, const truce_explore_opts* o,
                      truce_explore** out) {
  if (!ctx || !d || !m || !m->eval || !out) return TRUCE_EINVAL;
  *out = NULL;
  truce_explore_opts none = {0};
  if (!o) o = &none;
  int rank = 0, size = 1;
  if (o->use_mpi) {
    int rc = truce__mpi_rank_size(ctx, &rank, &size);
    if (rc) return rc;
  }
  size_t P = d->points, R = d->o.replicates, k = d->k, M = m->outputs;
  size_t runs = P * R, w = k + M;
  truce_explore* e = truce__calloc(ctx, 1, sizeof *e);
  if (!e) return TRUCE_ENOMEM;
  e->ctx = ctx;
  e->points = P;
  e->reps = R;
  e->k = k;
  e->m = M;
  e->root = rank == 0;
  e->x = truce__calloc(ctx, P * k, sizeof *e->x);
  e->y = truce__calloc(ctx, runs * (M ? M : 1), sizeof *e->y);
  double* buf = truce__calloc(ctx, BLOCK_RUNS * w, sizeof *buf);
  int rc = e->x && e->y && buf ? 0 : TRUCE_ENOMEM;
  volatile int failed = rc;
#pragma omp parallel num_threads(o->threads > 0 ? o->threads \
                                                : omp_get_max_threads())
  {
    truce_ctx* tctx = NULL;
    void* state = m->thread_new ? NULL : m->user;
    int trc = truce_ctx_new(&tctx, ctx->alloc, ctx->alloc_user);
    if (!trc && m->thread_new) trc = m->thread_new(m->user, tctx, &state);
#pragma omp critical(truce_explore_err)
    {
      if (trc && !rc) {
        rc = tctx && tctx->code
                 ? TRUCE_FAIL(ctx, tctx->code, "%s", tctx->message)
                 : trc;
        failed = 1;
      }
    }
#pragma omp single
    { /* every rank stops if a thread of any rank could not start */
      int src = any_error(ctx, rc, size);
      if (src) {
        rc = rc ? rc : src;
        failed = 1;
      }
    }
    /* the implicit barrier of `single`: every thread's state exists */
    for (size_t lo = 0; lo < runs && !failed; lo += BLOCK_RUNS) {
      size_t hi = lo + BLOCK_RUNS < runs ? lo + BLOCK_RUNS : runs, n = hi - lo;
      size_t a = lo + n * (size_t)rank / (size_t)size;
      size_t b = lo + n * (size_t)(rank + 1) / (size_t)size;
#pragma omp for schedule(dynamic, 1)
      for (size_t r = a; r < b; r++) {
        if (failed) continue;
        double* row = buf + (r - lo) * w;
        size_t p = r / R;
        int erc = m->eval(state, (uint64_t)r, d->u + p * k, row, row + k);
        if (erc) {
#pragma omp critical(truce_explore_err)
          {
            if (!rc)
              rc = tctx->code ? TRUCE_FAIL(ctx, tctx->code, "%s", tctx->message)
                              : TRUCE_FAIL(ctx, erc,
                                           "the model failed at "
                                           "point %zu, replicate %zu",
                                           p, r % R);
            failed = 1;
          }
        }
      }
      /* the implicit barrier of `for`: the block is done on this rank */
#pragma omp single
      {
        int brc = any_error(ctx, rc, size);
        if (!brc) brc = gather_block(ctx, buf, lo, hi, w, rank, size);
        for (size_t r = lo; r < hi && !brc && rank == 0; r++) {
          const double* row = buf + (r - lo) * w;
          size_t p = r / R;
          if (r % R == 0) memcpy(e->x + p * k, row, k * sizeof *row);
          memcpy(e->y + r * M, row + k, M * sizeof *row);
          if (o->row &&
              (brc = o->row(o->row_user, p, r % R, (uint64_t)r, row, row + k)))
            brc = ctx->code ? ctx->code : brc;
        }
        if (brc) {
          rc = rc ? rc : brc;
          failed = 1;
        }
        if (o->progress && rank == 0) o->progress(o->progress_user, hi, runs);
      }
    }
    if (m->thread_new && m->thread_free && state) m->thread_free(state);
    truce_ctx_free(tctx);
  }
  truce__free(ctx, buf, BLOCK_RUNS * w * sizeof *buf);
  if (rc) {
    truce_explore_free(e);
    return rc;
  }
  *out = e;
  return 0;
}

void truce_explore_free(truce_explore* e) {
  if (!e) return;
  truce__free(e->ctx, e->x, e->points * e->k * sizeof *e->x);
  truce__free(e->ctx, e->y,
              e->points * e->reps * (e->m ? e->m : 1) * sizeof *e->y);
  truce__free(e->ctx, e, sizeof *e);
}

bool truce_explore_is_root(const truce_explore* e) { return e && e->root; }
size_t truce_explore_outputs(const truce_explore* e) { return e ? e->m : 0; }

double truce_explore_value(const truce_explore* e, size_t point, size_t rep,
                           size_t j) {
  if (!e || point >= e->points || rep >= e->reps || j >= e->m)
    return (double)NAN;
  return e->y[(point * e->reps + rep) * e->m + j];
}

const double* truce_explore_inputs(const truce_explore* e, size_t point) {
  return e && point < e->points ? e->x + point * e->k : NULL;
}
