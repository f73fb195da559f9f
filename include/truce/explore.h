/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * truce/explore.h: experiment designs, sensitivity indices and scenario
 * discovery over any model given as a callback (docs/explore.md).
 *
 * A design places points in the unit cube [0, 1]^k, one coordinate per
 * factor; the model maps a point to its own inputs (a quantile of an
 * uncertain number, a lever's value, one of its options) and returns m
 * outputs. Each point is evaluated R times (replicates) with distinct run
 * indices, so a stochastic model's chance is measured beside the
 * inputs' effect. Evaluation runs over OpenMP threads (and MPI ranks when
 * asked) and its results are bit-identical whatever their counts: a
 * point's run index depends only on (point, replicate).
 *
 * The engine adapter at the end of this header makes a truce scenario
 * such a model (its uncertain numbers and levers are the factors, its
 * per-run outcomes the outputs); `truce explore` uses it.
 */
#ifndef TRUCE_EXPLORE_H
#define TRUCE_EXPLORE_H

#include <stdbool.h>

#include "truce/core.h"
#include "truce/scenario.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------- Designs */

/* X(name, value): the design kinds. */
#define TRUCE_DESIGN_MAP(X) \
  X(factorial, 0)           \
  X(lhs, 1)                 \
  X(sobol, 2)               \
  X(morris, 3)
typedef enum {
#define TRUCE_X_(name, value) TRUCE_DESIGN_##name = value,
  TRUCE_DESIGN_MAP(TRUCE_X_)
#undef TRUCE_X_
      TRUCE_DESIGN_COUNT
} truce_design_kind;

/* "sobol", ...; NULL for an unknown kind. */
TRUCE_API const char* truce_design_name(int kind);
/* The kind named `name`, or -1. */
TRUCE_API int truce_design_lookup(const char* name);

/* All fields public; set by the caller. */
typedef struct {
  int kind; /* TRUCE_DESIGN_* */
  /* factorial: levels of each continuous factor (>= 2; a factor with
   * options has one level per option); lhs: points; sobol: base points
   * N (N (k + 2) points); morris: trajectories r (r (k + 1) points). */
  size_t n;
  size_t replicates; /* R >= 1 evaluations per point */
  int levels;        /* morris: grid levels p (even, >= 2; default 4) */
  size_t candidates; /* morris: candidate trajectories M >= r from which r
                        are chosen for spread (Campolongo et al. 2007);
                        0: no selection */
  uint64_t seed;     /* lhs, morris, sobol's shift, bootstrap */
  bool shift;        /* sobol: add a random shift (mod 1) to every point
                        (Cranley-Patterson); false: GSL's points as is */
} truce_design_opts;

typedef struct truce_design truce_design;

/* A design over k factors; options[i] > 0 gives factor i that many
 * options (0: continuous). Fails with TRUCE_EINVAL (message naming the
 * problem) on a bad size or a design of more than 10^8 points. */
TRUCE_API int truce_design_new(truce_ctx* ctx, const truce_design_opts* o,
                               size_t k, const size_t* options,
                               truce_design** out);
TRUCE_API void truce_design_free(truce_design* d);
TRUCE_API size_t truce_design_points(const truce_design* d);
TRUCE_API size_t truce_design_factors(const truce_design* d);
TRUCE_API size_t truce_design_replicates(const truce_design* d);
TRUCE_API int truce_design_kind_of(const truce_design* d);
/* Point p's k coordinates in [0, 1] (owned by the design). */
TRUCE_API const double* truce_design_point(const truce_design* d, size_t p);
/* Whether the sobol design's base points are GSL's Sobol sequence (2k <=
 * 40, GSL's limit) or pseudo-random (Monte Carlo) for larger k. */
TRUCE_API bool truce_design_is_quasi(const truce_design* d);
/* Option index for coordinate u of a factor with n options. */
TRUCE_API size_t truce_design_option(double u, size_t n);

/* ---------------------------------------------------------- Evaluation */

/* A model: per thread a state (made by thread_new; without it, eval gets
 * user itself, shared by the threads); eval fills x[0..k) with the point's
 * inputs in the model's own units (for tables and charts; it may copy
 * u) and y[0..outputs) with the outputs of run `run`. All fields public;
 * set by the caller (or by truce_explore_engine_model); user borrowed. */
typedef struct {
  size_t outputs;
  void* user;
  int (*thread_new)(void* user, truce_ctx* tctx, void** state); /* or NULL */
  int (*eval)(void* state, uint64_t run, const double* u, double* x, double* y);
  void (*thread_free)(void* state); /* or NULL */
} truce_explore_model;

/* Called on the root, in order of (point, replicate), as results come in
 * (a non-zero return stops the evaluation and is returned). */
typedef int (*truce_explore_row_fn)(void* user, size_t point, size_t replicate,
                                    uint64_t run, const double* x,
                                    const double* y);

/* All fields public; set by the caller (NULL options: all zero). */
typedef struct {
  int threads;              /* 0: OpenMP's default */
  int use_mpi;              /* split points over MPI_COMM_WORLD (MPI builds) */
  truce_explore_row_fn row; /* may be NULL */
  void* row_user;
  void (*progress)(void* user, uint64_t done, uint64_t total); /* or NULL */
  void* progress_user;
} truce_explore_opts;

typedef struct truce_explore truce_explore;

/* Evaluate every point and replicate. Run index of (p, r) is p R + r.
 * With MPI every rank calls this; results are complete on rank 0. */
TRUCE_API int truce_explore_run(truce_ctx* ctx, const truce_design* d,
                                const truce_explore_model* m,
                                const truce_explore_opts* o,
                                truce_explore** out);
TRUCE_API void truce_explore_free(truce_explore* e);
TRUCE_API bool truce_explore_is_root(const truce_explore* e);
TRUCE_API size_t truce_explore_outputs(const truce_explore* e);
/* Output j of (point, replicate), and the point's inputs x. */
TRUCE_API double truce_explore_value(const truce_explore* e, size_t point,
                                     size_t rep, size_t j);
TRUCE_API const double* truce_explore_inputs(const truce_explore* e,
                                             size_t point);

/* --------------------------------------------------------- Sensitivity */

/* All fields public, read-only; truce_explore_sobol fills the caller's
 * array. */
typedef struct {
  double s1, s1_lo, s1_hi; /* first order, bootstrap interval */
  double st, st_lo, st_hi; /* total */
} truce_sobol_index;

/* Sobol indices of output j for every factor (out[k]) from a sobol
 * design: first order by Saltelli et al. (2010), total by Jansen (1999),
 * on replicate means, as shares of one run's variance (the seed's part
 * removed from the totals when R >= 2; docs/explore.md), with percentile
 * intervals from `boot` bootstrap resamples of the base rows at level
 * `conf` (e.g. 0.95). */
TRUCE_API int truce_explore_sobol(truce_ctx* ctx, const truce_explore* e,
                                  const truce_design* d, size_t j, size_t boot,
                                  double conf, truce_sobol_index* out);

/* All fields public, read-only; truce_explore_morris fills the caller's
 * array. */
typedef struct {
  double mu, mu_star, sigma;     /* mean, mean |EE|, sd of elementary effects
                                    (unit-cube scale) */
  double mu_star_lo, mu_star_hi; /* bootstrap interval over trajectories */
} truce_morris_index;

/* Morris (1991) elementary effects of output j from a morris design, with
 * Campolongo et al.'s (2007) mu*, on replicate means. */
TRUCE_API int truce_explore_morris(truce_ctx* ctx, const truce_explore* e,
                                   const truce_design* d, size_t j, size_t boot,
                                   double conf, truce_morris_index* out);

/* Partial rank correlation of output j (replicate means) with each
 * factor over any design (Saltelli & Marivoet 1990); NaN for a factor
 * that does not vary. */
TRUCE_API int truce_explore_prcc(truce_ctx* ctx, const truce_explore* e,
                                 const truce_design* d, size_t j, double* out);

/* All fields public, read-only; truce_explore_seed_share fills the
 * caller's struct. */
typedef struct {
  double share, lo, hi;   /* seed's share of one run's variance, interval */
  double within, between; /* variance components */
} truce_seed_share;

/* The seed's share of output j's variance: one-way random-effects
 * ANOVA over design points with R >= 2 replicates, interval from the F
 * distribution (Searle, Casella & McCulloch 1992, s3.5). */
TRUCE_API int truce_explore_seed_share(truce_ctx* ctx, const truce_explore* e,
                                       const truce_design* d, size_t j,
                                       double conf, truce_seed_share* out);

/* ------------------------------------------------- Scenario discovery */

/* All fields public; set by the caller (NULL options: the defaults
 * given). */
typedef struct {
  double alpha;        /* peeling fraction (default 0.05) */
  double paste;        /* pasting fraction (default 0.01) */
  double mass_min;     /* stop peeling below this share of points (0.05) */
  double coverage_min; /* the chosen box: densest with coverage >= (0.5) */
} truce_prim_opts;

typedef struct truce_prim truce_prim;

/* PRIM (Friedman & Fisher 1999; Bryant & Lempert 2010) over n rows of k
 * inputs x[i k + j] and whether each row meets the condition. opts may be
 * NULL for the defaults. */
TRUCE_API int truce_prim_run(truce_ctx* ctx, size_t n, size_t k,
                             const double* x, const bool* hit,
                             const truce_prim_opts* opts, truce_prim** out);
TRUCE_API void truce_prim_free(truce_prim* p);
/* Boxes along the peeling trajectory (0: the whole space). */
TRUCE_API size_t truce_prim_steps(const truce_prim* p);
TRUCE_API void truce_prim_step(const truce_prim* p, size_t s, double* coverage,
                               double* density, double* mass);
/* The chosen box after pasting: limits lo[k], hi[k] (+-inf where
 * unrestricted), its coverage and density, and for each restricted
 * limit the p-value of removing it (one-sided hypergeometric; NaN for
 * an unrestricted input). */
TRUCE_API void truce_prim_box(const truce_prim* p, double* lo, double* hi,
                              double* coverage, double* density,
                              double* pvalue);
/* Index of the trajectory step chosen (before pasting). */
TRUCE_API size_t truce_prim_chosen(const truce_prim* p);

/* Feature ranking for a condition: the two-sample Kolmogorov-Smirnov
 * distance between each input's distribution where the condition holds
 * and where it does not (regional sensitivity, Spear & Hornberger 1980);
 * out[k], NaN when either set is empty. */
TRUCE_API int truce_explore_ks(truce_ctx* ctx, size_t n, size_t k,
                               const double* x, const bool* hit, double* out);

/* -------------------------------------------------------------- Outputs */

typedef struct truce_explore_table truce_explore_table;

/* Start DIR/explore.csv and DIR/explore.db (table explore_runs: point,
 * replicate, run, then a REAL column per input and output, named as
 * given; table explore_indices: outcome, input, method, value, lo, hi),
 * under temporary names until the commit. Creates DIR. */
TRUCE_API int truce_explore_table_open(truce_ctx* ctx, const char* dir,
                                       size_t k, const char* const* inputs,
                                       size_t m, const char* const* outputs,
                                       truce_explore_table** out);
/* One row (fits truce_explore_row_fn through a one-line wrapper). */
TRUCE_API int truce_explore_table_row(truce_explore_table* t, size_t point,
                                      size_t replicate, uint64_t run,
                                      const double* x, const double* y);
/* One index row (method e.g. "sobol_s1", "morris_mu_star", "prcc"). */
TRUCE_API int truce_explore_table_index(truce_explore_table* t,
                                        const char* outcome, const char* input,
                                        const char* method, double value,
                                        double lo, double hi);
/* Give both files their names; after a failure neither exists. */
TRUCE_API int truce_explore_table_commit(truce_explore_table* t);
/* Free; an uncommitted table's temporary files are removed. */
TRUCE_API void truce_explore_table_free(truce_explore_table* t);

/* The self-contained HTML page (Vega-Lite, web/explore.js) of an
 * explore.json written by truce explore (docs/explore.md s5). */
TRUCE_API int truce_explore_page_write(truce_ctx* ctx, const char* json,
                                       const char* out);

/* ------------------------------------------------------- Engine adapter */

/* A lever: a scenario path with a range [lo, hi] or options (numbers or
 * enum names). file/line/column locate it for error messages (file NULL:
 * the command line). All fields public: set by the caller (read, and
 * copied, by truce_explore_engine_new), read-only in a
 * truce_explore_spec. */
typedef struct {
  const char* path;
  double lo, hi;
  size_t n_options;
  const char* const* options;
  const char* file;
  int line, column;
} truce_lever;

typedef struct truce_explore_engine truce_explore_engine;

/* Make the scenario a model: the factors are the levers, then the
 * uncertain numbers named in unc[0..n_unc) (unc NULL: all of them), each
 * mapped through its own distribution's quantile (u clamped to [0.005,
 * 0.995]); uncertain numbers left out keep their file value. The
 * outputs are the per-run outcomes named in outcomes[0..n_out)
 * (truce_explore_outcome_name lists them). sc must outlive the engine;
 * each thread loads its own copy of sc's file and overrides. */
TRUCE_API int truce_explore_engine_new(truce_ctx* ctx, const truce_scenario* sc,
                                       size_t n_levers,
                                       const truce_lever* levers, size_t n_unc,
                                       const char* const* unc, size_t n_out,
                                       const char* const* outcomes,
                                       unsigned flags,
                                       truce_explore_engine** out);
TRUCE_API void truce_explore_engine_free(truce_explore_engine* g);
TRUCE_API size_t truce_explore_engine_factors(const truce_explore_engine* g);
/* Factor i's path, options (0: continuous) and whether it is a lever. */
TRUCE_API const char* truce_explore_engine_factor(const truce_explore_engine* g,
                                                  size_t i, size_t* options,
                                                  bool* lever);
/* Option o of factor i as text ("" unless it has options). */
TRUCE_API const char* truce_explore_engine_option(const truce_explore_engine* g,
                                                  size_t i, size_t o);
TRUCE_API void truce_explore_engine_model(truce_explore_engine* g,
                                          truce_explore_model* out);

/* The per-run outcomes the engine can report, by index (NULL past the
 * end): "ua.exhaustion_day", "bargaining.open_day", ... for sc. */
TRUCE_API const char* truce_explore_outcome_name(const truce_scenario* sc,
                                                 size_t i, char* buf, size_t n);

/* A condition's comparisons, each with the operator that writes it; the
 * last, a bare NAME, has none. */
#define TRUCE_CMP_MAP(X) \
  X(LT, "<")             \
  X(LE, "<=")            \
  X(GT, ">")             \
  X(GE, ">=")            \
  X(EQ, "==")            \
  X(NE, "!=")            \
  X(NONZERO, "")
typedef enum {
#define TRUCE_CMP_ENUM(name, text) TRUCE_CMP_##name,
  TRUCE_CMP_MAP(TRUCE_CMP_ENUM)
#undef TRUCE_CMP_ENUM
} truce_cmp;

/* A condition on outcomes: "NAME OP NUMBER" (OP one of < <= > >= == !=)
 * or a bare NAME (true when non-zero). All fields public, read-only;
 * truce_condition_parse fills the caller's struct. */
typedef struct {
  size_t output; /* index among the names given */
  truce_cmp op;
  double value;
} truce_condition;
/* Parse `text` against names[0..n); errors read "--condition 'TEXT':
 * error: column C: ..." or, with file non-NULL (the text written at
 * line, column of file), "FILE:LINE:COL: error: ...". */
TRUCE_API int truce_condition_parse(truce_ctx* ctx, const char* text,
                                    const char* file, int line, int column,
                                    size_t n, const char* const* names,
                                    truce_condition* out);
TRUCE_API bool truce_condition_holds(const truce_condition* c, const double* y);

/* ---------------------------------------------------------- Design file */

/* A design file (YAML, docs/explore.md s7), read-only view: a has_ flag
 * says whether the file gave the value. Positions are 1-based. All fields
 * public, read-only; owned by the spec (truce_explore_spec_free). */
typedef struct {
  const char* file;
  int kind;
  bool has_kind;
  size_t n, replicates, levels, bootstrap;
  bool has_n, has_replicates, has_levels, has_bootstrap;
  uint64_t seed;
  bool has_seed;
  size_t n_levers;
  const truce_lever* levers;         /* with file, line and column */
  bool has_uncertain, uncertain_all; /* no list: all or none */
  size_t n_uncertain;
  const char* const* uncertain;
  const int* uncertain_pos; /* line, column of each path */
  size_t n_outcomes;
  const char* const* outcomes;
  const int* outcome_pos; /* line, column of each outcome */
  const char* condition;  /* or NULL */
  int condition_line, condition_column;
} truce_explore_spec;

/* Read a design file; errors read "FILE:LINE:COL: error: ...". */
TRUCE_API int truce_explore_spec_load(truce_ctx* ctx, const char* path,
                                      truce_explore_spec** out);
TRUCE_API void truce_explore_spec_free(truce_explore_spec* s);

#ifdef __cplusplus
}
#endif
#endif
