/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Scenario objects: reading the file, the public accessors, overrides
 * (--set PATH=VALUE) validated exactly like the file, and freeing.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../sim/laws.h"
#include "scenario_int.h"

static int finish_load(truce_ctx* ctx, const char* name, const char* text,
                       size_t len, truce_scenario** out) {
  *out = NULL;
  truce_scenario* sc = truce__calloc(ctx, 1, sizeof *sc);
  if (!sc) return TRUCE_ENOMEM;
  sc->ctx = ctx;
  truce_sha256_hex(text, len, sc->sha256);
  int rc = (sc->file = truce__strdup(ctx, name)) ? 0 : TRUCE_ENOMEM;
  if (!rc) rc = truce__scenario_parse(ctx, sc, name, text, len);
  if (!rc && !sc->name) {
    const char* base = strrchr(name, '/');
    sc->name = truce__strdup(ctx, base ? base + 1 : name);
    if (!sc->name) rc = TRUCE_ENOMEM;
  }
  if (rc) {
    truce_scenario_free(sc);
    return rc;
  }
  *out = sc;
  return 0;
}

int truce__scenario_overlay_parse(truce_ctx* ctx, truce_scenario* sc,
                                  const char* name, const char* text,
                                  size_t len);

/* Record a string among the overrides (summary.json lists them). */
static int add_override(truce_ctx* ctx, truce_scenario* sc, const char* s) {
  char** no =
      truce__realloc(ctx, sc->overrides, sc->cap_overrides * sizeof(char*),
                     (sc->n_overrides + 1) * sizeof(char*));
  if (!no) return TRUCE_ENOMEM;
  sc->overrides = no;
  sc->cap_overrides = sc->n_overrides + 1; /* a failed strdup keeps it */
  if (!(no[sc->n_overrides] = truce__strdup(ctx, s))) return TRUCE_ENOMEM;
  sc->n_overrides++;
  return 0;
}

int truce_scenario_overlay(truce_ctx* ctx, truce_scenario* sc,
                           const char* path) {
  TRUCE_CHECK_ARGS(ctx, sc && path);
  char* buf;
  size_t len;
  int rc = truce__read_file(ctx, path, "a readable overlay file", &buf, &len);
  if (rc) return rc;
  rc = truce__scenario_overlay_parse(ctx, sc, path, buf, len);
  char rec[600], hex[65];
  truce_sha256_hex(buf, len, hex);
  truce__free(ctx, buf, len + 1);
  snprintf(rec, sizeof rec, "--overlay %s (sha256 %s)", path, hex);
  return rc ? rc : add_override(ctx, sc, rec);
}

int truce_scenario_load_string(truce_ctx* ctx, const char* name,
                               const char* text, size_t len,
                               truce_scenario** out) {
  TRUCE_CHECK_ARGS(ctx, name && text && out);
  return finish_load(ctx, name, text, len, out);
}

int truce_scenario_load(truce_ctx* ctx, const char* path,
                        truce_scenario** out) {
  TRUCE_CHECK_ARGS(ctx, path && out);
  *out = NULL;
  char* buf;
  size_t len;
  int rc = truce__read_file(ctx, path, "a readable scenario file", &buf, &len);
  if (rc) return rc;
  rc = finish_load(ctx, path, buf, len, out);
  truce__free(ctx, buf, len + 1);
  return rc;
}

void truce_scenario_free(truce_scenario* sc) {
  if (!sc) return;
  truce_ctx* ctx = sc->ctx;
  for (size_t i = 0; i < sc->n_prov; i++) {
    truce__prov* p = &sc->prov[i];
    truce__strfree(ctx, p->path);
    truce__strfree(ctx, p->unit);
    truce__strfree(ctx, p->source);
    truce__strfree(ctx, p->claimant);
    truce__strfree(ctx, p->date);
    truce__strfree(ctx, p->dist);
  }
  truce__free(ctx, sc->prov, sc->cap_prov * sizeof *sc->prov);
  for (size_t i = 0; i < sc->n_overrides; i++)
    truce__strfree(ctx, sc->overrides[i]);
  truce__free(ctx, sc->overrides, sc->cap_overrides * sizeof(char*));
  truce__free(ctx, sc->model.events,
              sc->model.cap_events * sizeof *sc->model.events);
  for (size_t i = 0; i < sc->n_links; i++) {
    truce_stake_link* l = &sc->links[i];
    truce__strfree(ctx, (char*)l->name);
    truce__strfree(ctx, (char*)l->file);
    truce__strfree(ctx, (char*)l->model);
    truce__strfree(ctx, (char*)l->dimension);
    truce__strfree(ctx, (char*)l->path);
  }
  truce__free(ctx, sc->links, sc->n_links * sizeof *sc->links);
  for (size_t i = 0; i < sc->n_unc; i++) truce__dist_free(ctx, &sc->unc[i]);
  truce__free(ctx, sc->unc, sc->cap_unc * sizeof *sc->unc);
  for (size_t i = 0; i < sc->n_ev_unc; i++)
    truce__dist_free(ctx, &sc->ev_unc[i]);
  truce__free(ctx, sc->ev_unc, sc->cap_ev_unc * sizeof *sc->ev_unc);
  truce__strfree(ctx, sc->file);
  truce__strfree(ctx, sc->name);
  truce__free(ctx, sc, sizeof *sc);
}

int truce_scenario_get(truce_ctx* ctx, const truce_scenario* sc,
                       const char* path, double* out) {
  const truce__field* f;
  size_t off;
  int rc = truce__scenario_resolve(ctx, sc, path, &f, &off);
  if (rc) return rc;
  *out = *(const double*)((const char*)&sc->model + off);
  return 0;
}

int truce_scenario_set(truce_ctx* ctx, truce_scenario* sc,
                       const char* assignment) {
  return truce_scenario_set_from(ctx, sc, assignment, "command line (--set)");
}

int truce_scenario_set_from(truce_ctx* ctx, truce_scenario* sc,
                            const char* assignment, const char* source) {
  TRUCE_CHECK_ARGS(ctx, sc && assignment && source);
  const char* eq = strchr(assignment, '=');
  if (!eq || eq == assignment || !eq[1])
    return TRUCE_FAIL(ctx, TRUCE_EINVAL,
                      "expected PATH=VALUE, e.g. "
                      "sides.ua.personnel.recruits_per_month=30000");
  char path[256];
  snprintf(path, sizeof path, "%.*s", (int)(eq - assignment), assignment);
  const char* text = eq + 1;
  if (!strcmp(path, "seed")) {
    char* end;
    errno = 0;
    unsigned long long seed = strtoull(text, &end, 10);
    if (*end || errno || *text == '-' || !*text)
      return TRUCE_FAIL(ctx, TRUCE_EINVAL,
                        "'%s' is not a seed; expected a "
                        "whole number from 0 to 18446744073709551615",
                        text);
    sc->model.seed = seed;
    return 0;
  }
  const truce__field* f;
  size_t off;
  int rc = truce__scenario_resolve(ctx, sc, path, &f, &off);
  if (rc) return rc; /* its message says what is wrong */
  double v;
  if (f->kind == TRUCE_FK_ENUM) {
    int idx = truce__field_enum_index(f, text);
    char eb[256];
    if (idx < 0)
      return TRUCE_FAIL(ctx, TRUCE_EINVAL,
                        "unknown value '%s' for '%s'; "
                        "expected %s",
                        text, path, truce__field_expect(f, eb, sizeof eb));
    v = idx;
  } else {
    int big = truce__parse_number(text, &v);
    if (big < 0)
      return TRUCE_FAIL(ctx, TRUCE_EINVAL, "'%s' is not a number; expected %s",
                        text, f->expect);
    char why[160];
    if (!truce__field_check(f, v, why, sizeof why))
      return TRUCE_FAIL(ctx, TRUCE_EINVAL,
                        "value %s for '%s' is out of range; "
                        "expected %s",
                        text, path, why);
  }
  double* slot = (double*)((char*)&sc->model + off);
  double old = *slot;
  *slot = v;
  char why[300];
  if (truce__model_check(sc, why, sizeof why)) {
    *slot = old;
    return TRUCE_FAIL(ctx, TRUCE_EINVAL, "%s", why);
  }
  /* Record the override (and its provenance: the command line). */
  if (add_override(ctx, sc, assignment)) {
    *slot = old;
    return TRUCE_ENOMEM;
  }
  /* A number set on the command line is no longer uncertain. */
  for (size_t i = 0; i < sc->n_unc; i++) {
    if (sc->unc[i].off + offsetof(truce__model, params) == off) {
      truce__dist_free(ctx, &sc->unc[i]);
      memmove(&sc->unc[i], &sc->unc[i + 1],
              (sc->n_unc - i - 1) * sizeof *sc->unc);
      sc->n_unc--;
      break;
    }
  }
  bool listed = false;
  for (size_t i = 0; i < sc->n_prov; i++)
    if (!strcmp(sc->prov[i].path, path)) listed = true;
  if (!listed) { /* a number the file left at its default: register it */
    truce__prov* np = truce__realloc(ctx, sc->prov, sc->cap_prov * sizeof *np,
                                     (sc->n_prov + 1) * sizeof *np);
    if (!np) return TRUCE_ENOMEM;
    sc->prov = np;
    sc->cap_prov = sc->n_prov + 1;
    truce__prov* e = &sc->prov[sc->n_prov];
    memset(e, 0, sizeof *e);
    sc->n_prov++;
    if (!(e->path = truce__strdup(ctx, path))) return TRUCE_ENOMEM;
  }
  for (size_t i = 0; i < sc->n_prov; i++) {
    truce__prov* p = &sc->prov[i];
    if (!strcmp(p->path, path)) {
      p->value = v;
      truce__strfree(ctx, p->source);
      p->source = truce__strdup(ctx, source);
      truce__strfree(ctx, p->dist);
      truce__strfree(ctx, p->claimant); /* no longer the claimant's number */
      truce__strfree(ctx, p->date);
      p->dist = p->claimant = p->date = NULL;
      if (!p->source) return TRUCE_ENOMEM;
    }
  }
  return 0;
}

const char* truce_scenario_name(const truce_scenario* sc) { return sc->name; }
const char* truce_scenario_file(const truce_scenario* sc) { return sc->file; }
const char* truce_scenario_start(const truce_scenario* sc) {
  return sc->start[0] ? sc->start : NULL;
}
const char* truce_scenario_as_of(const truce_scenario* sc) {
  return sc->as_of[0] ? sc->as_of : NULL;
}
const char* truce_scenario_sha256(const truce_scenario* sc) {
  return sc->sha256;
}
int truce_scenario_horizon_days(const truce_scenario* sc) {
  return (int)sc->model.horizon_days;
}
double truce_scenario_time_step(const truce_scenario* sc) {
  return sc->model.time_step;
}
uint64_t truce_scenario_seed(const truce_scenario* sc) {
  return sc->model.seed;
}
size_t truce_scenario_side_count(const truce_scenario* sc) {
  (void)sc;
  return 2;
}
const char* truce_scenario_side_id(const truce_scenario* sc, size_t i) {
  return i < 2 ? sc->side_id[i] : NULL;
}
const char* truce_scenario_law_name(const truce_scenario* sc) {
  return truce__law_of(sc->model.params.law)->name;
}
size_t truce_scenario_backer_count(const truce_scenario* sc) {
  return sc->model.n_backers;
}
const char* truce_scenario_backer_id(const truce_scenario* sc, size_t b) {
  return b < sc->model.n_backers ? sc->backer_id[b] : NULL;
}
const char* truce_scenario_side_name(const truce_scenario* sc, size_t i) {
  return i < 2 ? (*sc->side_name[i] ? sc->side_name[i] : sc->side_id[i]) : NULL;
}
const char* truce_scenario_backer_name(const truce_scenario* sc, size_t b) {
  if (b >= sc->model.n_backers) return NULL;
  return *sc->backer_name[b] ? sc->backer_name[b] : sc->backer_id[b];
}
size_t truce_scenario_issue_count(const truce_scenario* sc) {
  const truce__nego* n = &sc->model.params.nego;
  return n->present ? (size_t)n->n_issues : 0;
}
const char* truce_scenario_issue_id(const truce_scenario* sc, size_t k) {
  return k < truce_scenario_issue_count(sc)
             ? sc->model.params.nego.issue[k].name
             : NULL;
}
size_t truce_scenario_option_count(const truce_scenario* sc, size_t k) {
  return k < truce_scenario_issue_count(sc)
             ? (size_t)sc->model.params.nego.issue[k].n_options
             : 0;
}
const char* truce_scenario_option_id(const truce_scenario* sc, size_t k,
                                     size_t o) {
  return o < truce_scenario_option_count(sc, k)
             ? sc->model.params.nego.issue[k].option[o]
             : NULL;
}
const char* truce_scenario_option_name(const truce_scenario* sc, size_t k,
                                       size_t o) {
  const char* id = truce_scenario_option_id(sc, k, o);
  return id && *sc->option_name[k][o] ? sc->option_name[k][o] : id;
}
size_t truce_scenario_backer_side(const truce_scenario* sc, size_t b) {
  return b < sc->model.n_backers ? (size_t)sc->model.backer_side[b] : 0;
}
size_t truce_scenario_event_count(const truce_scenario* sc) {
  return sc->model.n_events;
}
size_t truce_scenario_override_count(const truce_scenario* sc) {
  return sc->n_overrides;
}
const char* truce_scenario_override(const truce_scenario* sc, size_t i) {
  return i < sc->n_overrides ? sc->overrides[i] : NULL;
}
size_t truce_scenario_provenance_count(const truce_scenario* sc) {
  return sc->n_prov;
}
const truce_provenance* truce_scenario_provenance(const truce_scenario* sc,
                                                  size_t i) {
  if (i >= sc->n_prov) return NULL;
  truce__prov* p = &((truce_scenario*)sc)->prov[i];
  const truce__field* f;
  size_t off;
  const char* label = NULL; /* paths outside the model (events) have none */
  if (!truce__scenario_resolve(NULL, sc, p->path, &f, &off) &&
      f->kind == TRUCE_FK_ENUM && p->value >= 0)
    label = f->names((size_t)p->value);
  p->view =
      (truce_provenance){p->path, p->value, p->unit, p->source, p->claimant,
                         p->date, p->dist,  p->line, p->column, label};
  return &p->view;
}

size_t truce_scenario_link_count(const truce_scenario* sc) {
  return sc->n_links;
}

const truce_stake_link* truce_scenario_link(const truce_scenario* sc,
                                            size_t i) {
  return i < sc->n_links ? &sc->links[i] : NULL;
}

size_t truce_scenario_uncertain_count(const truce_scenario* sc) {
  return sc->n_unc;
}

const char* truce_scenario_uncertain_path(const truce_scenario* sc, size_t i) {
  return i < sc->n_unc ? sc->unc[i].path : NULL;
}

int truce_scenario_sample(truce_ctx* ctx, const truce_scenario* sc,
                          uint64_t run, double* values) {
  TRUCE_CHECK_ARGS(ctx, sc && values);
  truce_rng* rng;
  int rc = truce_rng_new(ctx, 0, 0, 0, &rng);
  if (rc) return rc;
  truce__params p = sc->model.params;
  truce__scenario_sample(sc, rng, run, &p, values);
  truce_rng_free(rng);
  return 0;
}

const truce__model* truce__scenario_model(const truce_scenario* sc) {
  return &sc->model;
}

/* ------------------------------------------------ settable numbers */

typedef struct {
  const truce_scenario* sc;
  truce_ctx* ctx;
  truce_param* p;
  size_t n, cap;
} params_acc;

static int add_param(void* user, const char* path, const truce__field* f,
                     size_t off) {
  params_acc* a = user;
  const truce_scenario* sc = a->sc;
  if (a->n == a->cap) {
    size_t nc = a->cap ? 2 * a->cap : 128;
    truce_param* np =
        truce__realloc(a->ctx, a->p, a->cap * sizeof *np, nc * sizeof *np);
    if (!np) return TRUCE_ENOMEM;
    a->p = np;
    a->cap = nc;
  }
  truce_param* q = &a->p[a->n++];
  memset(q, 0, sizeof *q);
  snprintf(q->path, sizeof q->path, "%s", path);
  q->value = *(const double*)((const char*)&sc->model + off);
  q->lo = f->lo;
  q->hi = f->hi;
  q->lo_open = (f->flags & TRUCE_F_LO_OPEN) != 0;
  q->integer = (f->flags & TRUCE_F_INT) != 0;
  q->initial = (f->flags & TRUCE_F_INIT) != 0;
  char eb[200];
  snprintf(q->expect, sizeof q->expect, "%s",
           truce__field_expect(f, eb, sizeof eb));
  if (f->kind == TRUCE_FK_ENUM && q->value >= 0)
    q->label = f->names((size_t)q->value);
  q->dist_lo = q->dist_hi = q->value;
  for (size_t i = 0; i < sc->n_unc; i++) {
    const truce__dist* d = &sc->unc[i];
    if (d->off + offsetof(truce__model, params) != off) continue;
    for (size_t k = 0; k < sc->n_prov; k++)
      if (!strcmp(sc->prov[k].path, d->path))
        q->distribution = sc->prov[k].dist;
    bool bounded = d->kind != TRUCE_DIST_NORMAL &&
                   d->kind != TRUCE_DIST_LOGNORMAL &&
                   d->kind != TRUCE_DIST_GAMMA;
    q->dist_lo = bounded ? d->lo : truce__dist_quantile(d, 0.005);
    q->dist_hi = bounded ? d->hi : truce__dist_quantile(d, 0.995);
    double mid = fabs(truce__dist_median(d));
    q->dist_width = (q->dist_hi - q->dist_lo) / (mid > 0 ? mid : 1);
  }
  for (size_t k = 0; k < sc->n_prov; k++)
    if (!strcmp(sc->prov[k].path, path))
      q->provenance = truce_scenario_provenance(sc, k);
  return 0;
}

int truce_scenario_params(truce_ctx* ctx, const truce_scenario* sc,
                          truce_param** out, size_t* n) {
  TRUCE_CHECK_ARGS(ctx, sc && out && n);
  params_acc a = {sc, ctx, NULL, 0, 0};
  int rc = truce__scenario_each_path(sc, add_param, &a);
  if (rc) {
    truce__free(ctx, a.p, a.cap * sizeof *a.p);
    return rc;
  }
  /* shrink to n entries: the caller frees with n */
  truce_param* p = a.p;
  if (a.n < a.cap && a.n > 0) {
    p = truce__realloc(ctx, a.p, a.cap * sizeof *a.p, a.n * sizeof *a.p);
    if (!p) {
      truce__free(ctx, a.p, a.cap * sizeof *a.p);
      return TRUCE_ENOMEM;
    }
  }
  *out = p;
  *n = a.n;
  return 0;
}

void truce_scenario_params_free(truce_ctx* ctx, truce_param* p, size_t n) {
  if (p) truce__free(ctx, p, n * sizeof *p);
}
