/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Spreading an ensemble over MPI ranks. Each rank runs a contiguous block
 * of runs; rank 0 gathers the per-run rows into place and merges the
 * packed summaries (exact, so the result matches a single process bit for
 * bit). Without MPI these are stubs for one process.
 */
#include <stdlib.h>
#include <string.h>

#include "ensemble_int.h"

#ifdef TRUCE_WITH_MPI
#include <mpi.h>

static int mpi_fail(truce_ctx* ctx, int err, const char* what) {
  char msg[MPI_MAX_ERROR_STRING];
  int len = 0;
  MPI_Error_string(err, msg, &len);
  return TRUCE_FAIL(ctx, TRUCE_EMPI, "%s: %.*s", what, len, msg);
}

int truce__mpi_rank_size(truce_ctx* ctx, int* rank, int* size) {
  int init = 0;
  *rank = 0;
  *size = 1;
  MPI_Initialized(&init);
  if (!init) return 0;
  int e = MPI_Comm_rank(MPI_COMM_WORLD, rank);
  if (e == MPI_SUCCESS) e = MPI_Comm_size(MPI_COMM_WORLD, size);
  return e == MPI_SUCCESS ? 0 : mpi_fail(ctx, e, "MPI_Comm_rank");
}

/* Start MPI only under a launcher (mpirun, srun, hydra): a plain command
 * stays a single process and does not pay for MPI's start-up. */
int truce_parallel_init(int* argc, char*** argv) {
  static const char* const vars[] = {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE",
                                     "PMIX_RANK", "MPI_LOCALNRANKS"};
  bool launched = false;
  for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++)
    if (getenv(vars[i])) launched = true;
  int init = 0;
  MPI_Initialized(&init);
  if (init || !launched) return 0;
  return MPI_Init(argc, argv) == MPI_SUCCESS ? 0 : TRUCE_EMPI;
}

void truce_parallel_finalize(void) {
  int init = 0, fin = 0;
  MPI_Initialized(&init);
  MPI_Finalized(&fin);
  if (init && !fin) MPI_Finalize();
}

int truce_parallel_rank(void) {
  int init = 0, rank = 0;
  MPI_Initialized(&init);
  if (init) MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  return rank;
}

int truce__mpi_any_error(truce_ctx* ctx, int local_rc) {
  int mine = local_rc != 0, any = 0;
  int e = MPI_Allreduce(&mine, &any, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
  if (e != MPI_SUCCESS) return mpi_fail(ctx, e, "MPI_Allreduce");
  if (local_rc) return local_rc;
  return any ? TRUCE_FAIL(ctx, TRUCE_EMPI, "another MPI rank failed") : 0;
}

/* Gather rows [runs k/size, runs (k+1)/size) of a runs x cols matrix. */
static int gather_rows(truce_ctx* ctx, double* m, size_t cols, uint64_t runs,
                       int rank, int size) {
  if (cols == 0) return 0;
  int* counts = truce__calloc(ctx, (size_t)size, sizeof(int));
  int* displs = truce__calloc(ctx, (size_t)size, sizeof(int));
  if (!counts || !displs) {
    truce__free(ctx, counts, (size_t)size * sizeof(int));
    truce__free(ctx, displs, (size_t)size * sizeof(int));
    return TRUCE_ENOMEM;
  }
  for (int k = 0; k < size; k++) {
    uint64_t a = runs * (uint64_t)k / (uint64_t)size;
    uint64_t b = runs * (uint64_t)(k + 1) / (uint64_t)size;
    counts[k] = (int)((b - a) * cols);
    displs[k] = (int)(a * cols);
  }
  double* mine = m + displs[rank];
  int e = rank == 0 ? MPI_Gatherv(MPI_IN_PLACE, 0, MPI_DOUBLE, m, counts,
                                  displs, MPI_DOUBLE, 0, MPI_COMM_WORLD)
                    : MPI_Gatherv(mine, counts[rank], MPI_DOUBLE, NULL, NULL,
                                  NULL, MPI_DOUBLE, 0, MPI_COMM_WORLD);
  truce__free(ctx, counts, (size_t)size * sizeof(int));
  truce__free(ctx, displs, (size_t)size * sizeof(int));
  return e == MPI_SUCCESS ? 0 : mpi_fail(ctx, e, "MPI_Gatherv");
}

int truce__mpi_gather(truce_ctx* ctx, truce__summary* sum, uint64_t* stale,
                      size_t days, double* outcomes, size_t ocols,
                      double* params, size_t pcols, double* extras,
                      size_t xcols, double* bout, size_t bcols, uint64_t runs,
                      int rank, int size) {
  if (runs * (ocols > pcols ? ocols : pcols) > 2147483647u)
    return TRUCE_FAIL(ctx, TRUCE_EMPI, "too many runs for one MPI gather");
  int rc = gather_rows(ctx, outcomes, ocols, runs, rank, size);
  if (!rc) rc = gather_rows(ctx, params, pcols, runs, rank, size);
  if (!rc) rc = gather_rows(ctx, extras, xcols, runs, rank, size);
  if (!rc) rc = gather_rows(ctx, bout, bcols, runs, rank, size);
  if (rc) return rc;
  int e = MPI_Reduce(rank == 0 ? MPI_IN_PLACE : stale, stale, (int)days,
                     MPI_UINT64_T, MPI_SUM, 0, MPI_COMM_WORLD);
  if (e != MPI_SUCCESS) return mpi_fail(ctx, e, "MPI_Reduce");
  /* Summaries: every rank sends its packed partial to rank 0. */
  unsigned char* buf = NULL;
  size_t len = 0;
  rc = truce__summary_pack(sum, &buf, &len);
  long long mylen = rc ? -1 : (long long)len;
  long long* lens =
      rank == 0 ? truce__calloc(ctx, (size_t)size, sizeof(long long)) : NULL;
  if (rank == 0 && !lens) mylen = -1;
  e = MPI_Gather(&mylen, 1, MPI_LONG_LONG, lens, 1, MPI_LONG_LONG, 0,
                 MPI_COMM_WORLD);
  if (e != MPI_SUCCESS) rc = mpi_fail(ctx, e, "MPI_Gather");
  if (rank != 0) {
    if (!rc && mylen >= 0)
      e = MPI_Send(buf, (int)len, MPI_BYTE, 0, 7, MPI_COMM_WORLD);
    truce__free(ctx, buf, len);
    return rc ? rc : (e == MPI_SUCCESS ? 0 : mpi_fail(ctx, e, "MPI_Send"));
  }
  truce__free(ctx, buf, len);
  for (int k = 1; k < size && !rc; k++) {
    if (lens[k] < 0 || lens[k] > 2147483647LL) {
      rc = TRUCE_FAIL(ctx, TRUCE_EMPI, "rank %d could not pack its summary", k);
      break;
    }
    unsigned char* in = truce__malloc(ctx, (size_t)lens[k]);
    if (!in) {
      rc = TRUCE_ENOMEM;
      break;
    }
    e = MPI_Recv(in, (int)lens[k], MPI_BYTE, k, 7, MPI_COMM_WORLD,
                 MPI_STATUS_IGNORE);
    rc = e == MPI_SUCCESS
             ? truce__summary_merge_packed(sum, in, (size_t)lens[k])
             : mpi_fail(ctx, e, "MPI_Recv");
    truce__free(ctx, in, (size_t)lens[k]);
  }
  truce__free(ctx, lens, (size_t)size * sizeof(long long));
  return rc;
}

#else

int truce_parallel_init(int* argc, char*** argv) {
  (void)argc;
  (void)argv;
  return 0;
}

void truce_parallel_finalize(void) {}

int truce_parallel_rank(void) { return 0; }

int truce__mpi_any_error(truce_ctx* ctx, int local_rc) {
  (void)ctx;
  return local_rc;
}

int truce__mpi_rank_size(truce_ctx* ctx, int* rank, int* size) {
  (void)ctx;
  *rank = 0;
  *size = 1;
  return 0;
}

int truce__mpi_gather(truce_ctx* ctx, truce__summary* sum, uint64_t* stale,
                      size_t days, double* outcomes, size_t ocols,
                      double* params, size_t pcols, double* extras,
                      size_t xcols, double* bout, size_t bcols, uint64_t runs,
                      int rank, int size) {
  (void)sum;
  (void)stale;
  (void)days;
  (void)outcomes;
  (void)ocols;
  (void)params;
  (void)pcols;
  (void)runs;
  (void)rank;
  (void)size;
  (void)extras;
  (void)xcols;
  (void)bout;
  (void)bcols;
  return TRUCE_FAIL(ctx, TRUCE_EMPI, "truce was built without MPI");
}
#endif
