/* SPDX-License-Identifier: GPL-3.0-or-later
 * MPI plumbing of the ensemble (mpi.c; stubs without MPI). */
#ifndef TRUCE_ENSEMBLE_INT_H
#define TRUCE_ENSEMBLE_INT_H
#include "summary.h"

/* This process's rank and the rank count (0 and 1 without MPI or when MPI
 * is not initialised). */
int truce__mpi_rank_size(truce_ctx* ctx, int* rank, int* size);
/* Collective: local_rc if non-zero, else TRUCE_EMPI if any rank failed. */
int truce__mpi_any_error(truce_ctx* ctx, int local_rc);
/* Combine every rank's partial results on rank 0: summaries merged,
 * stalemate counts summed, per-run rows (rank k owns runs
 * [runs k/size, runs (k+1)/size)) gathered. */
int truce__mpi_gather(truce_ctx* ctx, truce__summary* sum, uint64_t* stale,
                      size_t days, double* outcomes, size_t ocols,
                      double* params, size_t pcols, double* extras,
                      size_t xcols, double* bout, size_t bcols, uint64_t runs,
                      int rank, int size);
#endif
