/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * truce/io.h: writing a run's outputs.
 *
 * An output set is written into temporary files inside DIR and renamed into
 * place only by truce_output_commit, so a failed or interrupted run leaves
 * no half-written daily.csv or summary.json behind.
 */
#ifndef TRUCE_IO_H
#define TRUCE_IO_H

#include "truce/compare.h"
#include "truce/core.h"
#include "truce/ensemble.h"
#include "truce/scenario.h"
#include "truce/sim.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct truce_output truce_output;

/* What the run was (recorded in summary.json). All fields public; set by
 * the caller (strings borrowed for the call). */
typedef struct {
  uint64_t seed;
  uint64_t runs;
  int deterministic;
  const char* command_line;
  int threads, ranks; /* how it ran (recorded; results do not depend on it) */
} truce_run_meta;

/* Create DIR if needed and open temporary outputs in it. */
TRUCE_API int truce_output_open(truce_ctx* ctx, const char* dir,
                                const truce_scenario* sc, truce_output** out);
/* The same, for outputs that the caller moves to SHOWN after the commit
 * (truce run stages them): errors name the files as SHOWN/daily.csv, ...
 * (the place, truce_ctx_file), never DIR's. */
TRUCE_API int truce_output_open_as(truce_ctx* ctx, const char* dir,
                                   const char* shown, const truce_scenario* sc,
                                   truce_output** out);
/* Append one day of one run to daily.csv. */
TRUCE_API int truce_output_day(truce_output* o, uint64_t run,
                               const truce_day* day);
/* Write an ensemble's results: daily.csv as quantile bands (unless days
 * were written with truce_output_day), runs.csv, the outcomes for
 * summary.json, and the tables of results.db (at commit). e must outlive
 * the commit. */
TRUCE_API int truce_output_ensemble(truce_output* o, const truce_ensemble* e);
/* Record the outcomes of one run: values[i * truce_outcome_count() + k]
 * is outcome k (truce/sim.h) of side i, as truce_sim_outcome_value and
 * truce_ensemble_outcome_value give it. */
TRUCE_API int truce_output_run_end(truce_output* o, uint64_t run,
                                   const double* values);
/* Write summary.json and rename every file into place. */
TRUCE_API int truce_output_commit(truce_output* o, const truce_run_meta* m);
/* Free; removes the temporary files unless committed. NULL accepted. */
TRUCE_API void truce_output_free(truce_output* o);

/* Write the self-contained HTML report of the outputs in `dir` to
 * `out` (docs/outputs.md). Needs the web assets: $TRUCE_WEB_DIR when
 * set, else the installed ones (DATADIR/truce/web, found from the running
 * executable as ../share/truce/web), else the build tree's web/. */
TRUCE_API int truce_report_write(truce_ctx* ctx, const char* dir,
                                 const char* out);

/* The summary of the committed outputs as a JSON text owned by o. */
TRUCE_API const char* truce_output_summary_json(const truce_output* o);

#ifdef __cplusplus
}
#endif
#endif
