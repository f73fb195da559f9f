/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Parameters set in place: the explore module's design points change a
 * scenario's numbers run after run, which truce_scenario_set (validated,
 * recorded as an override) is not made for. The paths are checked once
 * here; afterwards a point is a few stores into the parameter block. The
 * values are the uncertain numbers' own quantiles or a lever's range
 * checked against the field, so they are valid the way a run's sampled
 * draws are.
 */
#include <string.h>

#include "pin.h"
#include "scenario_int.h"

int truce__pin_lookup(truce_ctx* ctx, const truce_scenario* sc,
                      const char* path, truce__pin* out) {
  const truce__field* f;
  size_t off;
  int rc = truce__scenario_resolve(ctx, sc, path, &f, &off);
  if (rc) return rc;
  size_t base = offsetof(truce__model, params);
  if (off < base || off + sizeof(double) > base + sizeof(truce__params))
    return TRUCE_FAIL(ctx, TRUCE_EINVAL,
                      "'%s' is not a number a run reads "
                      "at its start (the horizon, time step and seed are "
                      "not); expected a parameter such as "
                      "backers.us.budget_scale",
                      path);
  out->off = off - base;
  out->lo = f->lo;
  out->hi = f->hi;
  out->integer = (f->flags & TRUCE_F_INT) != 0;
  out->is_enum = f->kind == TRUCE_FK_ENUM;
  char buf[sizeof out->expect];
  snprintf(out->expect, sizeof out->expect, "%s",
           truce__field_expect(f, buf, sizeof buf));
  return 0;
}

int truce__pin_enum_index(const truce_scenario* sc, const char* path,
                          const char* text) {
  const truce__field* f;
  size_t off;
  if (truce__scenario_resolve(sc->ctx, sc, path, &f, &off)) return -1;
  return f->kind == TRUCE_FK_ENUM ? truce__field_enum_index(f, text) : -1;
}

bool truce__pin_check(const truce_scenario* sc, const char* path, double v,
                      char* why, size_t n) {
  const truce__field* f;
  size_t off;
  truce_ctx* ctx = sc->ctx;
  if (truce__scenario_resolve(ctx, sc, path, &f, &off)) {
    snprintf(why, n, "%s", truce_ctx_message(ctx));
    return false;
  }
  return truce__field_check(f, v, why, n);
}

size_t truce__pin_uncertain_offset(const truce_scenario* sc, size_t i) {
  return sc->unc[i].off;
}

double truce__pin_uncertain_quantile(const truce_scenario* sc, size_t i,
                                     double u) {
  return truce__dist_quantile(&sc->unc[i], u);
}

void truce__pin_fix_all(truce_ctx* ctx, truce_scenario* sc) {
  for (size_t i = 0; i < sc->n_unc; i++) {
    truce__pin_set(sc, sc->unc[i].off, sc->unc[i].point);
    truce__dist_free(ctx, &sc->unc[i]);
  }
  truce__free(ctx, sc->unc, sc->n_unc * sizeof *sc->unc);
  sc->unc = NULL;
  sc->n_unc = 0;
}

void truce__pin_set(truce_scenario* sc, size_t off, double v) {
  *(double*)((char*)&sc->model.params + off) = v;
}
