/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * truce/scenario.h: load, validate and override scenario files.
 *
 * A scenario is read from YAML (format `truce: 1`, see docs/scenario.md),
 * checked against the schema, and kept as an immutable parameter set plus
 * the provenance of every number. An error records its place in the file
 * (truce_ctx_file/line/column) and "what is wrong; what was expected" as
 * the context's message.
 */
#ifndef TRUCE_SCENARIO_H
#define TRUCE_SCENARIO_H

#include <stdbool.h>

#include "truce/core.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct truce_scenario truce_scenario;

/* Provenance of one number of the scenario. All fields public, read-only;
 * owned by the scenario, like its strings (absent ones are NULL). */
typedef struct {
  const char* path; /* e.g. "sides.ua.personnel.front" */
  double value;
  const char* unit;
  const char* source;
  const char* claimant;
  const char* date;
  const char* distribution; /* e.g. "pert(410000, 617000, 617000)"; NULL
                               when the number is fixed */
  int line, column;         /* where the number was written (1-based) */
  const char* label;        /* an enum's name for value ("square", "defend");
                               NULL for a number */
} truce_provenance;

/* Load and validate a scenario file. On failure *out is NULL. */
TRUCE_API int truce_scenario_load(truce_ctx* ctx, const char* path,
                                  truce_scenario** out);
/* The same from memory; name is used in error messages. */
TRUCE_API int truce_scenario_load_string(truce_ctx* ctx, const char* name,
                                         const char* text, size_t len,
                                         truce_scenario** out);
/* Apply "PATH=VALUE" (e.g. "sides.ua.personnel.recruits_per_month=30000"),
 * validated like the file. The scenario is unchanged on failure. */
TRUCE_API int truce_scenario_set(truce_ctx* ctx, truce_scenario* sc,
                                 const char* assignment);
/* The same, recording `source` as the number's provenance (e.g. "a
 * stakeholder model") instead of "command line (--set)". */
TRUCE_API int truce_scenario_set_from(truce_ctx* ctx, truce_scenario* sc,
                                      const char* assignment,
                                      const char* source);
/* Add an overlay's known-outcome events (the recorded past, for a
 * conditional hindcast; docs/scenario.md, "No hindsight") to sc, and
 * record "--overlay PATH (sha256 HEX)" among the overrides. On failure
 * (FILE:LINE:COL errors) sc may hold part of the overlay: free it. */
TRUCE_API int truce_scenario_overlay(truce_ctx* ctx, truce_scenario* sc,
                                     const char* path);
/* Read a number by path (enums read as their index). */
TRUCE_API int truce_scenario_get(truce_ctx* ctx, const truce_scenario* sc,
                                 const char* path, double* out);
TRUCE_API void truce_scenario_free(truce_scenario* sc);
/* Write sc's file to `out` with n values replaced: paths[i] is a dotted
 * path ("combat.coefficients.allies", "combat.law") whose parent mapping
 * exists; values[i] is YAML text (a scalar or a flow mapping such as a
 * provenance record); a path set in the file must be a scalar or a
 * mapping of scalars; one it does not set is inserted at the top of its
 * parent mapping, which must be set. The new text is spliced into the file's
 * own, so everything else (comments, layout) is kept byte for byte. The
 * result is loaded and validated before it is written (to a temporary
 * file, then renamed); on failure nothing is written. */
TRUCE_API int truce_scenario_write_with(truce_ctx* ctx,
                                        const truce_scenario* sc,
                                        const char* out, size_t n,
                                        const char* const* paths,
                                        const char* const* values);

TRUCE_API const char* truce_scenario_name(const truce_scenario* sc);
TRUCE_API const char* truce_scenario_file(const truce_scenario* sc);
/* Start date "YYYY-MM-DD", or NULL when the scenario has none. */
TRUCE_API const char* truce_scenario_start(const truce_scenario* sc);
/* The date the scenario's knowledge stops ("YYYY-MM-DD", its `as_of`),
 * or NULL when it declares none (docs/scenario.md, "No hindsight"). */
TRUCE_API const char* truce_scenario_as_of(const truce_scenario* sc);
/* SHA-256 (hex) of the scenario file's bytes. */
TRUCE_API const char* truce_scenario_sha256(const truce_scenario* sc);
TRUCE_API int truce_scenario_horizon_days(const truce_scenario* sc);
TRUCE_API double truce_scenario_time_step(const truce_scenario* sc);
TRUCE_API uint64_t truce_scenario_seed(const truce_scenario* sc);
TRUCE_API size_t truce_scenario_side_count(const truce_scenario* sc);
TRUCE_API const char* truce_scenario_side_id(const truce_scenario* sc,
                                             size_t i);
TRUCE_API const char* truce_scenario_law_name(const truce_scenario* sc);
/* Backers (donors) and the side each supports. */
TRUCE_API size_t truce_scenario_backer_count(const truce_scenario* sc);
TRUCE_API const char* truce_scenario_backer_id(const truce_scenario* sc,
                                               size_t b);
TRUCE_API size_t truce_scenario_backer_side(const truce_scenario* sc, size_t b);
/* Display names: a side's or a backer's `name:`, the id when the file
 * gives none (NULL past the last). */
TRUCE_API const char* truce_scenario_side_name(const truce_scenario* sc,
                                               size_t i);
TRUCE_API const char* truce_scenario_backer_name(const truce_scenario* sc,
                                                 size_t b);
/* The negotiation's discrete issues (0 without one), their options and the
 * options' display names (an issue's `names:`; the option's id when none). */
TRUCE_API size_t truce_scenario_issue_count(const truce_scenario* sc);
TRUCE_API const char* truce_scenario_issue_id(const truce_scenario* sc,
                                              size_t k);
TRUCE_API size_t truce_scenario_option_count(const truce_scenario* sc,
                                             size_t k);
TRUCE_API const char* truce_scenario_option_id(const truce_scenario* sc,
                                               size_t k, size_t o);
TRUCE_API const char* truce_scenario_option_name(const truce_scenario* sc,
                                                 size_t k, size_t o);
TRUCE_API size_t truce_scenario_event_count(const truce_scenario* sc);
/* Overrides applied with truce_scenario_set, in order ("PATH=VALUE"). */
TRUCE_API size_t truce_scenario_override_count(const truce_scenario* sc);
TRUCE_API const char* truce_scenario_override(const truce_scenario* sc,
                                              size_t i);
/* Every number given in the file (and each override), in file order. */
TRUCE_API size_t truce_scenario_provenance_count(const truce_scenario* sc);
TRUCE_API const truce_provenance* truce_scenario_provenance(
    const truce_scenario* sc, size_t i);
/* A settable number: a path that `--set PATH=VALUE` (truce_scenario_set)
 * accepts, with its current value, the values it may take and, when the
 * scenario is uncertain about it, its distribution. Strings are owned by
 * the scenario (valid until it is changed or freed). All fields public,
 * read-only; the array is freed with truce_scenario_params_free. */
typedef struct {
  char path[160];    /* "backers.us.budget_scale" */
  double value;      /* an enum's index */
  const char* label; /* an enum's name for value; NULL for a number */
  double lo, hi;     /* the valid range (lo excluded when lo_open) */
  int lo_open, integer;
  int initial;      /* an initial condition, which an event cannot set */
  char expect[200]; /* what a valid value looks like */
  const char* distribution; /* "pert(1, 2, 3)" when uncertain, else NULL */
  /* When uncertain, the range it is drawn from: a bounded distribution's
   * support (pert, triangular, uniform, beta, discrete), else its 0.5% and
   * 99.5% quantiles; the value itself when fixed. */
  double dist_lo, dist_hi;
  double dist_width; /* (dist_hi - dist_lo) / |median|; 0 if fixed */
  const truce_provenance* provenance; /* NULL: left at its default */
} truce_param;
/* Every settable number of sc into a new array *out of *n entries, in the
 * order of the file's sections (free with truce_scenario_params_free). */
TRUCE_API int truce_scenario_params(truce_ctx* ctx, const truce_scenario* sc,
                                    truce_param** out, size_t* n);
TRUCE_API void truce_scenario_params_free(truce_ctx* ctx, truce_param* p,
                                          size_t n);
/* Links from a stakeholder group to a number (the `stakeholders:`
 * section): the group's predicted position on `dimension`, mapped
 * linearly from [from0, from1] to [to0, to1], sets `path`. Applied by
 * truce_stake_apply (truce/stake.h). All fields public, read-only; owned by
 * the scenario. */
typedef struct {
  const char* name;
  const char* file;  /* resolved against the scenario's directory */
  const char* model; /* compromise, median, challenge or pce */
  const char* dimension;
  const char* path;
  double from[2], to[2];
  int line, column;
} truce_stake_link;
TRUCE_API size_t truce_scenario_link_count(const truce_scenario* sc);
TRUCE_API const truce_stake_link* truce_scenario_link(const truce_scenario* sc,
                                                      size_t i);
/* Uncertain numbers (a dist: record or a low/high range), in file order. */
TRUCE_API size_t truce_scenario_uncertain_count(const truce_scenario* sc);
TRUCE_API const char* truce_scenario_uncertain_path(const truce_scenario* sc,
                                                    size_t i);
/* Run `run`'s draw of every uncertain number, into values[0..count). The
 * same (seed, run) always gives the same values. */
TRUCE_API int truce_scenario_sample(truce_ctx* ctx, const truce_scenario* sc,
                                    uint64_t run, double* values);

#ifdef __cplusplus
}
#endif
#endif
