/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Internal structure of a loaded scenario, shared by the files of
 * src/scenario/ only.
 */
#ifndef TRUCE_SCENARIO_INT_H
#define TRUCE_SCENARIO_INT_H

#include "params.h"
#include "truce_int.h"

typedef struct {
  char* path;
  double value;
  char *unit, *source, *claimant, *date;
  char* dist; /* e.g. "pert(410000, 617000, 617000)"; NULL if fixed */
  int line, column;
  truce_provenance view;
} truce__prov;

/* What a dotted path names. */
typedef enum { TRUCE_FK_NUM, TRUCE_FK_ENUM } truce__fkind;

/* TRUCE_F_INIT: an initial condition, which an event cannot `set`. */
enum {
  TRUCE_F_REQ = 1u,
  TRUCE_F_LO_OPEN = 2u,
  TRUCE_F_INT = 4u,
  TRUCE_F_INIT = 8u
};

typedef struct {
  const char* key; /* dotted, relative to its container */
  truce__fkind kind;
  size_t off; /* relative to its container */
  double lo, hi;
  unsigned flags;
  double dflt;
  /* An enum's i-th name, NULL past the last (the table of its module). */
  const char* (*names)(size_t i);
  const char* expect; /* what a valid value looks like; NULL for an enum:
                         "one of" its names (truce__field_expect) */
} truce__field;

/* Uncertain numbers (docs/scenario.md): distribution kinds, in the order
 * of truce__dist_names, and the named parameters of a dist: record. */
enum {
  TRUCE_DIST_NORMAL,
  TRUCE_DIST_LOGNORMAL,
  TRUCE_DIST_UNIFORM,
  TRUCE_DIST_TRIANGULAR,
  TRUCE_DIST_PERT,
  TRUCE_DIST_BETA,
  TRUCE_DIST_GAMMA,
  TRUCE_DIST_DISCRETE
};
enum {
  TRUCE_DP_MEAN,
  TRUCE_DP_SD,
  TRUCE_DP_MU,
  TRUCE_DP_SIGMA,
  TRUCE_DP_MIN,
  TRUCE_DP_MODE,
  TRUCE_DP_MAX,
  TRUCE_DP_ALPHA,
  TRUCE_DP_BETA,
  TRUCE_DP_SHAPE,
  TRUCE_DP_SCALE,
  TRUCE_DP_COUNT
};
/* How a provenance range {low, value, high} becomes a distribution. */
enum {
  TRUCE_RANGES_PERT,
  TRUCE_RANGES_UNIFORM,
  TRUCE_RANGES_TRIANGULAR,
  TRUCE_RANGES_FIXED
};
extern const char* const truce__dist_names[];
extern const char* const truce__dist_keys[TRUCE_DP_COUNT];

typedef struct {
  int kind;
  double a, b, c, d; /* kind-specific parameters (dist.c) */
  double lo, hi;     /* support after truncation to the field's range */
  double plo, phi;   /* CDF at lo and hi */
  double* values;    /* discrete: values and cumulative weights */
  double* cum;
  size_t n;
  double point; /* value used in deterministic mode */
  size_t off;   /* offset in truce__params */
  bool integer;
  uint64_t stream;
  char* path;
} truce__dist;

/* Build d->kind's parameters from a dist: record; 0 or -1 with why. */
int truce__dist_from_params(truce__dist* d, const double* p, const bool* has,
                            double* values, size_t nv, double* weights,
                            size_t nw, char* why, size_t n);
/* Truncate to field f's range and precompute the CDF bounds. */
int truce__dist_bind(truce__dist* d, const truce__field* f, char* why,
                     size_t n);
/* The quantile at u in (0, 1) of the truncated distribution. */
double truce__dist_quantile(const truce__dist* d, double u);
double truce__dist_median(const truce__dist* d);
/* "pert(1, 2, 3)", "normal(5, 1) in [0, inf]", ... */
void truce__dist_describe(const truce__dist* d, char* buf, size_t n);
void truce__dist_free(truce_ctx* ctx, truce__dist* d);
/* Append an uncertain parameter (takes ownership of d's arrays). */
int truce__scenario_add_uncertain(truce_ctx* ctx, truce_scenario* sc,
                                  const char* path, truce__dist* d);

struct truce_scenario {
  truce_ctx* ctx;
  truce__model model;
  char* file;
  char* name;
  char start[11]; /* "" when absent */
  char as_of[11]; /* "" when absent (asof.c) */
  char sha256[65];
  char side_id[2][TRUCE_ID_MAX];
  char equip_name[2][TRUCE_MAX_EQUIP][TRUCE_ID_MAX];
  char backer_id[TRUCE_MAX_BACKERS][TRUCE_ID_MAX];
  /* display names (`name:` of a side or backer, an issue's `names:`);
   * "" when the file gives none (the accessors then return the id) */
  char side_name[2][TRUCE_DISPLAY_MAX];
  char backer_name[TRUCE_MAX_BACKERS][TRUCE_DISPLAY_MAX];
  char option_name[TRUCE_MAX_ISSUES][TRUCE_MAX_OPTIONS][TRUCE_DISPLAY_MAX];
  truce__prov* prov;
  size_t n_prov, cap_prov;
  char** overrides;
  size_t n_overrides;
  size_t cap_overrides;    /* room in overrides */
  truce_stake_link* links; /* strings owned here */
  size_t n_links;
  truce__dist* ev_unc; /* uncertain numbers of events (src/sim/events.c):
                          off is into truce__event, path relative to it */
  size_t n_ev_unc, cap_ev_unc;
  truce__dist* unc; /* uncertain parameters, in file order */
  size_t n_unc;
  size_t cap_unc; /* room in unc (an override removes entries) */
  int ranges;     /* TRUCE_RANGES_* */
};

/* Resolve a full dotted path ("sides.ua.personnel.front") to the field and
 * its offset in truce__model. On failure records a message naming the path
 * (with a suggestion) in ctx and returns TRUCE_EINVAL. */
int truce__scenario_resolve(truce_ctx* ctx, const truce_scenario* sc,
                            const char* path, const truce__field** f,
                            size_t* off);
/* The longest settable path (truce_param.path). */
#define TRUCE__PATH_MAX 160
/* Call fn(user, path, field, offset in truce__model) for every path the
 * resolver accepts, in the order of the file's sections; stops at fn's
 * first nonzero return and returns it. */
typedef int (*truce__path_fn)(void* user, const char* path,
                              const truce__field* f, size_t off);
int truce__scenario_each_path(const truce_scenario* sc, truce__path_fn fn,
                              void* user);
/* Check a value against a field's type and range; on failure writes what
 * was expected into buf and returns false. */
bool truce__field_check(const truce__field* f, double v, char* buf, size_t n);
/* The index of `text` among enum field f's names, or -1. */
int truce__field_enum_index(const truce__field* f, const char* text);
/* Enum field f's names into out[0..cap); returns how many. */
size_t truce__field_enum_names(const truce__field* f, const char** out,
                               size_t cap);
/* What a valid value of f looks like: f->expect, or for an enum without
 * one "one of a, b, c" from its names (written into buf). */
const char* truce__field_expect(const truce__field* f, char* buf, size_t n);
/* Cross-field checks (shares sum to 1, territory sums, ...). Writes a
 * message into buf and returns false when the model is inconsistent. */
/* Returns 0 when consistent, else which check failed: 1 + side index for
 * casualty shares, 3 for territory, 4 for time_step (message in buf). */
int truce__model_check(const truce_scenario* sc, char* buf, size_t n);

/* Parse scenario text (named `name` in errors) into sc (document.c). */
int truce__scenario_parse(truce_ctx* ctx, truce_scenario* sc, const char* name,
                          const char* text, size_t len);
#endif
