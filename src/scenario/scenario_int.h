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
  int line, column;
  truce_provenance view;
} truce__prov;

struct truce_scenario {
  truce_ctx* ctx;
  truce__model model;
  char* file;
  char* name;
  char start[11]; /* "" when absent */
  char sha256[65];
  char side_id[2][TRUCE_ID_MAX];
  char equip_name[2][TRUCE_MAX_EQUIP][TRUCE_ID_MAX];
  truce__prov* prov;
  size_t n_prov, cap_prov;
  char** overrides;
  size_t n_overrides;
};

/* What a dotted path names. */
typedef enum { TRUCE_FK_NUM, TRUCE_FK_ENUM } truce__fkind;

/* TRUCE_F_INIT: an initial condition, which an event cannot `set`. */
enum { TRUCE_F_REQ = 1u, TRUCE_F_LO_OPEN = 2u, TRUCE_F_INT = 4u,
       TRUCE_F_INIT = 8u };

typedef struct {
  const char* key;   /* dotted, relative to its container */
  truce__fkind kind;
  size_t off;        /* relative to its container */
  double lo, hi;
  unsigned flags;
  double dflt;
  const char* const* names; /* enum names, NULL-terminated */
  const char* expect;       /* what a valid value looks like */
} truce__field;

/* Resolve a full dotted path ("sides.ua.personnel.front") to the field and
 * its offset in truce__model. On failure records a message naming the path
 * (with a suggestion) in ctx and returns TRUCE_EINVAL. */
int truce__scenario_resolve(truce_ctx* ctx, const truce_scenario* sc,
                            const char* path, const truce__field** f,
                            size_t* off);
/* Check a value against a field's type and range; on failure writes what
 * was expected into buf and returns false. */
bool truce__field_check(const truce__field* f, double v, char* buf,
                        size_t n);
/* Cross-field checks (shares sum to 1, territory sums, ...). Writes a
 * message into buf and returns false when the model is inconsistent. */
/* Returns 0 when consistent, else which check failed: 1 + side index for
 * casualty shares, 3 for territory, 4 for time_step (message in buf). */
int truce__model_check(const truce_scenario* sc, char* buf, size_t n);

#endif
