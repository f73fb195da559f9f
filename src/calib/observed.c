/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Observed series for calibration (docs/validation.md): a CSV of
 * `day,side,variable,value,source` rows (variables: front, casualties per
 * day), checked against a scenario's sides, with FILE:LINE:COL errors.
 * The days on which both sides report both variables form the series.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "truce_int.h"

#define MAXDAYS 100000

struct truce_observed {
  truce_ctx* ctx;
  size_t n;
  double* v; /* n x 4: front0, cas0, front1, cas1 */
};

void truce_observed_free(truce_observed* o) {
  if (!o) return;
  truce__free(o->ctx, o->v, 0);
  truce__free(o->ctx, o, sizeof *o);
}

int truce_observed_load(truce_ctx* ctx, const char* path,
                        const truce_scenario* sc, truce_observed** out) {
  *out = NULL;
  char* text;
  size_t len;
  int rc = truce__read_file(ctx, path, "an observed-data CSV", &text, &len);
  if (rc) return rc;
  /* by day: 4 values, NAN when absent */
  double* by = truce__malloc(ctx, (size_t)MAXDAYS * 4 * sizeof(double));
  truce_observed* o = truce__calloc(ctx, 1, sizeof *o);
  if (!by || !o) {
    truce__free(ctx, text, len + 1);
    truce__free(ctx, by, 0);
    truce__free(ctx, o, 0);
    return TRUCE_ENOMEM;
  }
  o->ctx = ctx;
  for (size_t i = 0; i < (size_t)MAXDAYS * 4; i++) by[i] = NAN;
  int line = 0, maxday = -1;
  char* save = NULL;
  for (char* ln = strtok_r(text, "\n", &save); ln && !rc;
       ln = strtok_r(NULL, "\n", &save)) {
    line++;
    size_t l = strlen(ln);
    if (l && ln[l - 1] == '\r') ln[--l] = '\0';
    if (line == 1) {
      if (strncmp(ln, "day,side,variable,value", 23) != 0)
        rc = TRUCE_FAIL(ctx, TRUCE_EPARSE, "%s:1:1: error: bad header; "
                        "expected day,side,variable,value,source", path);
      continue;
    }
    if (!l) continue;
    char* f[4];
    int cols[4];
    char* p = ln;
    for (int k = 0; k < 4; k++) {
      cols[k] = (int)(p - ln) + 1;
      f[k] = p;
      char* c = strchr(p, ',');
      if (!c && k < 3) {
        rc = TRUCE_FAIL(ctx, TRUCE_EPARSE, "%s:%d:%d: error: missing fields; "
                        "expected day,side,variable,value,source", path,
                        line, cols[k]);
        break;
      }
      if (c) {
        *c = '\0';
        p = c + 1;
      }
    }
    if (rc) break;
    char* end;
    long day = strtol(f[0], &end, 10);
    if (*end || day < 0 || day >= MAXDAYS) {
      rc = TRUCE_FAIL(ctx, TRUCE_EPARSE, "%s:%d:%d: error: bad day '%s'; "
                      "expected a whole number from 0", path, line, cols[0],
                      f[0]);
      break;
    }
    int side = -1;
    for (size_t s = 0; s < 2; s++)
      if (!strcmp(f[1], truce_scenario_side_id(sc, s))) side = (int)s;
    if (side < 0) {
      rc = TRUCE_FAIL(ctx, TRUCE_EPARSE, "%s:%d:%d: error: unknown side '%s'; "
                      "expected '%s' or '%s'", path, line, cols[1], f[1],
                      truce_scenario_side_id(sc, 0),
                      truce_scenario_side_id(sc, 1));
      break;
    }
    int var = !strcmp(f[2], "front") ? 0 : !strcmp(f[2], "casualties") ? 1 : -1;
    if (var < 0) {
      rc = TRUCE_FAIL(ctx, TRUCE_EPARSE, "%s:%d:%d: error: unknown variable "
                      "'%s'; expected front or casualties", path, line,
                      cols[2], f[2]);
      break;
    }
    double v = strtod(f[3], &end);
    if (end == f[3] || (*end && *end != ',') || !(v >= 0) || !isfinite(v)) {
      rc = TRUCE_FAIL(ctx, TRUCE_EPARSE, "%s:%d:%d: error: bad value '%s'; "
                      "expected a number >= 0", path, line, cols[3], f[3]);
      break;
    }
    by[(size_t)day * 4 + (size_t)(2 * side + var)] = v;
    if (day > maxday) maxday = (int)day;
  }
  truce__free(ctx, text, len + 1);
  if (!rc) {
    o->v = truce__calloc(ctx, (size_t)(maxday + 1) * 4 + 1, sizeof(double));
    if (!o->v) rc = TRUCE_ENOMEM;
    for (int d = 0; d <= maxday && !rc; d++) {
      const double* r = by + (size_t)d * 4;
      if (isnan(r[0]) || isnan(r[1]) || isnan(r[2]) || isnan(r[3])) continue;
      memcpy(o->v + o->n * 4, r, 4 * sizeof(double));
      o->n++;
    }
    if (!rc && o->n < 2)
      rc = TRUCE_FAIL(ctx, TRUCE_EINVAL, "%s: fewer than 2 days with both "
                      "sides' front and casualties", path);
  }
  truce__free(ctx, by, 0);
  if (rc) {
    truce_observed_free(o);
    return rc;
  }
  *out = o;
  return 0;
}

size_t truce_observed_days(const truce_observed* o) { return o->n; }

void truce_observed_column(const truce_observed* o, int k, double* out) {
  for (size_t i = 0; i < o->n; i++) out[i] = o->v[i * 4 + (size_t)k];
}
