/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The scenario loader: libfyaml parses the file, then a schema-driven walk
 * fills truce__model, records the provenance of every number and reports
 * the first problem at its place (file, line, column) as "what is wrong;
 * what was expected". Unknown keys get a "did you mean" from the schema.
 *
 * This file keeps the generic parts: the value records (numbers with
 * provenance, distributions and ranges) and the walk over a field table.
 * document.c reads a whole document through its table of top-level
 * sections, each parsed by the module that owns its concept (load.h
 * lists them): sections.c (name, start, seed, ranges, sides, combat,
 * front), src/sim/events.c (events), src/sim/aid_load.c (backers),
 * src/bargain/nego_load.c (negotiation), src/stake/link_load.c
 * (stakeholders).
 */
#include <ctype.h>
#include <libfyaml.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "load.h"

/* ------------------------------------------------------ Value records */

#if defined(__GNUC__)
__attribute__((format(printf, 4, 5)))
#endif
int truce__load_error(truce__loader* L, int code, mark m, const char* fmt,
                      ...) {
  char msg[TRUCE_MSG_MAX - 128];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  return TRUCE_FAIL_AT(L->ctx, code, L->file, m.line, m.col, "%s", msg);
}

int truce__load_string(truce__loader* L, struct fy_node* n, mark km,
                       const char* path, char* buf, size_t cap) {
  if (truce__yaml_is_null(n))
    return truce__load_error(L, TRUCE_EINVAL, truce__yaml_mark(n, km),
                             "missing value for '%s'; expected a string", path);
  if (!truce__yaml_text(n, buf, cap))
    return truce__load_error(L, TRUCE_EINVAL, truce__yaml_mark(n, km),
                             "wrong type for '%s': found %s; expected a string",
                             path, truce__yaml_kind(n));
  return 0;
}

static int add_prov(truce__loader* L, const char* path, double v, mark m,
                    const char* unit, const char* source, const char* claimant,
                    const char* date) {
  truce_scenario* sc = L->sc;
  if (sc->n_prov == sc->cap_prov) {
    size_t nc = sc->cap_prov ? 2 * sc->cap_prov : 64;
    truce__prov* np = truce__realloc(
        L->ctx, sc->prov, sc->cap_prov * sizeof *np, nc * sizeof *np);
    if (!np) return TRUCE_ENOMEM;
    sc->prov = np;
    sc->cap_prov = nc;
  }
  truce__prov* e = &sc->prov[sc->n_prov];
  memset(e, 0, sizeof *e);
  e->value = v;
  e->line = m.line;
  e->column = m.col;
  sc->n_prov++; /* counted first so truce_scenario_free releases partials */
  if (!(e->path = truce__strdup(L->ctx, path))) return TRUCE_ENOMEM;
  if (unit && !(e->unit = truce__strdup(L->ctx, unit))) return TRUCE_ENOMEM;
  if (source && !(e->source = truce__strdup(L->ctx, source)))
    return TRUCE_ENOMEM;
  if (claimant && !(e->claimant = truce__strdup(L->ctx, claimant)))
    return TRUCE_ENOMEM;
  if (date && !(e->date = truce__strdup(L->ctx, date))) return TRUCE_ENOMEM;
  return 0;
}

/* A number as written: a plain value, or a record with provenance and
 * possibly a distribution (or a low/high range). */
typedef struct {
  bool has_value, is_dist;
  double value;
  int dist;
  double p[TRUCE_DP_COUNT]; /* named parameters (truce__dist_keys) */
  bool has[TRUCE_DP_COUNT];
  double* values; /* discrete */
  double* weights;
  size_t n_values, n_weights;
  double low, high;
  mark vm, dm;
  char text[4][512]; /* unit, source, claimant, date as written */
  bool has_text[4];
} numspec;

/* The provenance strings of a record, in numspec.text's order. */
static const char* const prov_keys[4] = {"unit", "source", "claimant", "date"};
static const size_t prov_cap[4] = {128, 512, 256, 64};

/* Every key a record may hold, for suggestions. */
static const char* const record_keys[] = {
    "value", "unit", "source", "claimant", "date",   "low",    "high", "note",
    "dist",  "mean", "sd",     "mu",       "sigma",  "min",    "mode", "max",
    "alpha", "beta", "shape",  "scale",    "values", "weights"};

static int number_list(truce__loader* L, struct fy_node* v, mark km,
                       const char* path, double** out, size_t* n) {
  if (!fy_node_is_sequence(v))
    return truce__load_error(
        L, TRUCE_EINVAL, truce__yaml_mark(v, km),
        "wrong type for '%s': found %s; expected a list of numbers", path,
        truce__yaml_kind(v));
  size_t cnt = (size_t)fy_node_sequence_item_count(v);
  if (cnt == 0)
    return truce__load_error(L, TRUCE_EINVAL, truce__yaml_mark(v, km),
                             "'%s' is empty; expected a list of numbers", path);
  double* a = truce__calloc(L->ctx, cnt, sizeof *a);
  if (!a) return TRUCE_ENOMEM;
  *out = a;
  *n = cnt;
  void* it = NULL;
  struct fy_node* item;
  size_t i = 0;
  while ((item = fy_node_sequence_iterate(v, &it))) {
    char t[64];
    if (!truce__yaml_text(item, t, sizeof t) || truce__parse_number(t, &a[i]))
      return truce__load_error(L, TRUCE_EINVAL, truce__yaml_mark(item, km),
                               "wrong type for '%s[%zu]'; expected a number",
                               path, i);
    i++;
  }
  return 0;
}

/* A record's dist: key: the name of a distribution. */
static int record_dist(truce__loader* L, struct fy_node* v, const char* path,
                       const char* sub, numspec* ns) {
  char t[64];
  if (!truce__yaml_text(v, t, sizeof t))
    return truce__load_error(L, TRUCE_EINVAL, ns->dm,
                             "wrong type for '%s'; expected a distribution "
                             "name",
                             sub);
  int d = -1, cnt = 0;
  for (; truce__dist_names[cnt]; cnt++)
    if (!strcmp(truce__dist_names[cnt], t)) d = cnt;
  if (d < 0) {
    const char* sg = truce__suggest(t, truce__dist_names, (size_t)cnt);
    return truce__load_error(
        L, TRUCE_EINVAL, ns->dm,
        "unknown distribution '%s' for '%s'%s%s%s; expected one of normal, "
        "lognormal, uniform, triangular, pert, beta, gamma, discrete",
        t, path, sg ? " (did you mean '" : "", sg ? sg : "", sg ? "'?)" : "");
  }
  ns->is_dist = true;
  ns->dist = d;
  return 0;
}

/* One key of a provenance/distribution record (not value:). */
static int record_key(truce__loader* L, const char* key, struct fy_node* v,
                      mark kmk, const char* path, numspec* ns) {
  char sub[256];
  snprintf(sub, sizeof sub, "%s.%s", path, key);
  int slot = -1;
  for (int i = 0; i < TRUCE_DP_COUNT; i++)
    if (!strcmp(key, truce__dist_keys[i])) slot = i;
  if (slot >= 0 || !strcmp(key, "low") || !strcmp(key, "high")) {
    char t[64];
    double x;
    if (!truce__yaml_text(v, t, sizeof t) || truce__parse_number(t, &x))
      return truce__load_error(L, TRUCE_EINVAL, truce__yaml_mark(v, kmk),
                               "wrong type for '%s'; expected a number", sub);
    if (slot < 0) {
      *(key[0] == 'l' ? &ns->low : &ns->high) = x;
      return 0;
    }
    if (ns->has[slot])
      return truce__load_error(L, TRUCE_EINVAL, kmk,
                               "'%s' repeats a distribution parameter; "
                               "expected each once",
                               sub);
    ns->p[slot] = x;
    ns->has[slot] = true;
    return 0;
  }
  if (!strcmp(key, "dist")) {
    ns->dm = truce__yaml_mark(v, kmk);
    return record_dist(L, v, path, sub, ns);
  }
  if (!strcmp(key, "values"))
    return number_list(L, v, kmk, sub, &ns->values, &ns->n_values);
  if (!strcmp(key, "weights"))
    return number_list(L, v, kmk, sub, &ns->weights, &ns->n_weights);
  if (!strcmp(key, "note")) return 0;
  for (int i = 0; i < 4; i++)
    if (!strcmp(key, prov_keys[i])) {
      ns->has_text[i] = true;
      return truce__load_string(L, v, kmk, sub, ns->text[i], prov_cap[i]);
    }
  const char* s = truce__suggest(key, record_keys,
                                 sizeof record_keys / sizeof record_keys[0]);
  return truce__load_error(
      L, TRUCE_EINVAL, kmk,
      "unknown key '%s' in the record for '%s'%s%s%s; expected value, unit, "
      "source, claimant, date, low, high, note, or a distribution (dist: and "
      "its parameters)",
      key, path, s ? " (did you mean '" : "", s ? s : "", s ? "'?)" : "");
}

/* The value itself: an enum name or a number within f's range and the
 * record's low/high. */
static int read_value(truce__loader* L, struct fy_node* vn, const char* path,
                      const truce__field* f, numspec* ns) {
  char eb[256];
  const char* expect = truce__field_expect(f, eb, sizeof eb);
  if (truce__yaml_is_null(vn))
    return truce__load_error(L, TRUCE_EINVAL, ns->vm,
                             "missing value for '%s'; expected %s", path,
                             expect);
  if (!fy_node_is_scalar(vn))
    return truce__load_error(L, TRUCE_EINVAL, ns->vm,
                             "wrong type for '%s': found %s; expected %s", path,
                             truce__yaml_kind(vn), expect);
  char text[128];
  truce__yaml_text(vn, text, sizeof text);
  double v;
  if (f->kind == TRUCE_FK_ENUM) {
    int idx = truce__field_enum_index(f, text);
    if (idx < 0) {
      const char* names[32];
      size_t cnt = truce__field_enum_names(f, names, 32);
      const char* s = truce__suggest(text, names, cnt);
      return truce__load_error(L, TRUCE_EINVAL, ns->vm,
                               "unknown value '%s' for '%s'%s%s%s; expected %s",
                               text, path, s ? " (did you mean '" : "",
                               s ? s : "", s ? "'?)" : "", expect);
    }
    v = idx;
  } else {
    int big = fy_node_get_style(vn) == FYNS_PLAIN
                  ? truce__parse_number(text, &v)
                  : -1;
    if (big < 0)
      return truce__load_error(
          L, TRUCE_EINVAL, ns->vm,
          "wrong type for '%s': '%s' is not a number; expected %s", path, text,
          expect);
    char why[160];
    if (!truce__field_check(f, v, why, sizeof why))
      return truce__load_error(L, TRUCE_EINVAL, ns->vm,
                               "value %s for '%s' is out of range; expected %s",
                               text, path, why);
    if ((!isnan(ns->low) && ns->low > v) ||
        (!isnan(ns->high) && ns->high < v) ||
        (!isnan(ns->low) && !isnan(ns->high) && ns->low > ns->high))
      return truce__load_error(L, TRUCE_EINVAL, ns->vm,
                               "the range of '%s' does not contain its value "
                               "%s; expected low <= value <= high",
                               path, text);
  }
  ns->value = v;
  ns->has_value = true;
  return 0;
}

/* Read a number or a provenance/distribution record into `ns` and record
 * the provenance. */
static int read_number(truce__loader* L, struct fy_node* n, mark km,
                       const char* path, const truce__field* f, numspec* ns) {
  struct fy_node* vn = n;
  memset(ns, 0, sizeof *ns);
  ns->low = ns->high = (double)NAN;
  ns->vm = truce__yaml_mark(n, km);
  ns->dm = ns->vm;
  if (n && fy_node_is_mapping(n)) {
    vn = NULL;
    void* it = NULL;
    struct fy_node_pair* pr;
    while ((pr = fy_node_mapping_iterate(n, &it))) {
      struct fy_node* k = fy_node_pair_key(pr);
      struct fy_node* v = fy_node_pair_value(pr);
      char key[64];
      mark kmk = truce__yaml_mark(k, ns->vm);
      if (!truce__yaml_text(k, key, sizeof key))
        return truce__load_error(L, TRUCE_EINVAL, kmk,
                                 "a key in the record for '%s' is not a scalar",
                                 path);
      if (!strcmp(key, "value")) {
        vn = v;
        ns->vm = truce__yaml_mark(v, kmk);
        continue;
      }
      int rc = record_key(L, key, v, kmk, path, ns);
      if (rc) return rc;
    }
    if (!vn && !ns->is_dist)
      return truce__load_error(
          L, TRUCE_EINVAL, truce__yaml_mark(n, km),
          "the record for '%s' has no 'value'; expected value: (or "
          "dist:) with optional unit:, source:, claimant:, date:",
          path);
  }
  if (vn) {
    int rc = read_value(L, vn, path, f, ns);
    if (rc) return rc;
  }
  const char* t[4];
  for (int i = 0; i < 4; i++) t[i] = ns->has_text[i] ? ns->text[i] : NULL;
  return add_prov(L, path, ns->has_value ? ns->value : (double)NAN, ns->vm,
                  t[0], t[1], t[2], t[3]);
}

static void numspec_free(truce__loader* L, numspec* ns) {
  truce__free(L->ctx, ns->values, ns->n_values * sizeof(double));
  truce__free(L->ctx, ns->weights, ns->n_weights * sizeof(double));
  ns->values = ns->weights = NULL;
}

/* A plain number for field f (no distribution allowed here). */
int truce__load_number(truce__loader* L, struct fy_node* n, mark km,
                       const char* path, const truce__field* f, double* out) {
  numspec ns;
  int rc = read_number(L, n, km, path, f, &ns);
  if (!rc && ns.is_dist)
    rc = truce__load_error(
        L, TRUCE_EINVAL, ns.dm,
        "'%s' cannot be uncertain; expected a number or a provenance "
        "record without dist:",
        path);
  if (!rc) *out = ns.value;
  numspec_free(L, &ns);
  return rc;
}

/* A number for field f that may be uncertain: a dist: record or a
 * low/high range (docs/scenario.md, "Uncertain numbers") fills d (bound to
 * f's range, its point value set; the caller owns d's arrays) and sets
 * *uncertain; when `allowed` is false a range is documentation only and a
 * dist: record an error. *out gets the point value; the provenance entry
 * shows the distribution. */
static int read_dist(truce__loader* L, struct fy_node* n, mark km,
                     const char* path, const truce__field* f, bool allowed,
                     truce__dist* d, bool* uncertain, double* out) {
  numspec ns;
  *uncertain = false;
  int rc = read_number(L, n, km, path, f, &ns);
  if (rc) {
    numspec_free(L, &ns);
    return rc;
  }
  bool range = !ns.is_dist && ns.has_value && !isnan(ns.low) &&
               !isnan(ns.high) && ns.low < ns.high &&
               L->sc->ranges != TRUCE_RANGES_FIXED;
  if ((!ns.is_dist && !range) || (range && !allowed)) {
    *out = ns.value; /* a range on a field that cannot vary documents it */
    numspec_free(L, &ns);
    return 0;
  }
  if (!allowed) {
    numspec_free(L, &ns);
    return truce__load_error(L, TRUCE_EINVAL, ns.dm,
                             "'%s' cannot be uncertain; expected a number",
                             path);
  }
  memset(d, 0, sizeof *d);
  char why[300];
  if (range) {
    static const int kind[] = {TRUCE_DIST_PERT, TRUCE_DIST_UNIFORM,
                               TRUCE_DIST_TRIANGULAR};
    d->kind = kind[L->sc->ranges];
    d->a = ns.low;
    d->b = ns.value;
    d->c = ns.high;
    d->lo = ns.low;
    d->hi = ns.high;
  } else {
    d->kind = ns.dist;
    if (truce__dist_from_params(d, ns.p, ns.has, ns.values, ns.n_values,
                                ns.weights, ns.n_weights, why, sizeof why)) {
      numspec_free(L, &ns);
      return truce__load_error(L, TRUCE_EINVAL, ns.dm,
                               "bad distribution for '%s': %s", path, why);
    }
  }
  ns.values = ns.weights = NULL; /* owned by d now */
  if (truce__dist_bind(d, f, why, sizeof why)) {
    truce__dist_free(L->ctx, d);
    return truce__load_error(L, TRUCE_EINVAL, ns.dm,
                             "bad distribution for '%s': %s", path, why);
  }
  d->point = ns.has_value ? ns.value : truce__dist_median(d);
  /* The provenance entry read_number just added shows the distribution. */
  truce__prov* pv = &L->sc->prov[L->sc->n_prov - 1];
  pv->value = d->point;
  char desc[160];
  truce__dist_describe(d, desc, sizeof desc);
  if (!(pv->dist = truce__strdup(L->ctx, desc))) {
    truce__dist_free(L->ctx, d);
    return TRUCE_ENOMEM;
  }
  *uncertain = true;
  *out = d->point;
  return 0;
}

/* A number for field f at offset `off` of truce__model that may be
 * uncertain: a dist: record or a low/high range registers a distribution
 * (docs/scenario.md, "Uncertain numbers"); its point value is stored. */
int truce__load_uncertain(truce__loader* L, struct fy_node* n, mark km,
                          const char* path, const truce__field* f, size_t off,
                          double* out) {
  size_t lo = offsetof(truce__model, params);
  bool allowed =
      f->kind != TRUCE_FK_ENUM && off >= lo && off < lo + sizeof(truce__params);
  truce__dist d;
  bool unc;
  int rc = read_dist(L, n, km, path, f, allowed, &d, &unc, out);
  if (rc || !unc) return rc;
  d.off = off - lo;
  rc = truce__scenario_add_uncertain(L->ctx, L->sc, path, &d);
  if (rc) truce__dist_free(L->ctx, &d);
  return rc;
}

int truce__load_dist(truce__loader* L, struct fy_node* n, mark km,
                     const char* path, const truce__field* f, truce__dist* d,
                     bool* uncertain, double* out) {
  return read_dist(L, n, km, path, f, f->kind != TRUCE_FK_ENUM, d, uncertain,
                   out);
}

/* ------------------------------------------------------------ Walking */

/* The candidate keys at one level of a table, for suggestions. */
static size_t level_keys(const truce__field* t, size_t n, const char* prefix,
                         const char* const* specials, size_t ns, char out[][48],
                         size_t cap) {
  size_t m = 0, pl = prefix ? strlen(prefix) : 0;
  for (size_t i = 0; i < n + ns && m < cap; i++) {
    const char* k = i < n ? t[i].key : specials[i - n];
    if (pl && (strncmp(k, prefix, pl) != 0 || k[pl] != '.')) continue;
    const char* c = pl ? k + pl + 1 : k;
    if (!pl && strchr(k, '.') && i >= n) continue;
    size_t cl = strcspn(c, ".");
    if (cl >= 48) cl = 47;
    bool dup = false;
    for (size_t j = 0; j < m; j++)
      if (strlen(out[j]) == cl && strncmp(out[j], c, cl) == 0) dup = true;
    if (dup) continue;
    memcpy(out[m], c, cl);
    out[m][cl] = '\0';
    m++;
  }
  return m;
}

/* Walk a mapping against a field table. Leaves are stored at base+off;
 * keys listed in `specials` go to fn; dotted table keys are nested maps. */
int truce__load_walk(truce__loader* L, struct fy_node* map, mark m,
                     const truce__field* t, size_t n, size_t base,
                     const char* rel_prefix, const char* path_prefix,
                     unsigned char* seen, const char* const* specials,
                     size_t ns, truce__special_fn fn, void* user) {
  if (n > TRUCE_MAX_FIELDS)
    return TRUCE_FAIL(L->ctx, TRUCE_EINTERNAL,
                      "a field table of %zu entries exceeds TRUCE_MAX_FIELDS",
                      n);
  if (!fy_node_is_mapping(map))
    return truce__load_error(
        L, TRUCE_EINVAL, truce__yaml_mark(map, m),
        "wrong type for '%s': found %s; expected a mapping",
        path_prefix && *path_prefix ? path_prefix : "(document)",
        truce__yaml_kind(map));
  void* it = NULL;
  struct fy_node_pair* pr;
  while ((pr = fy_node_mapping_iterate(map, &it))) {
    struct fy_node* k = fy_node_pair_key(pr);
    struct fy_node* v = fy_node_pair_value(pr);
    mark km = truce__yaml_mark(k, m);
    char key[64], rel[160], path[320];
    if (!truce__yaml_text(k, key, sizeof key))
      return truce__load_error(L, TRUCE_EINVAL, km,
                               "a key is not a scalar; expected a name");
    if (rel_prefix)
      snprintf(rel, sizeof rel, "%s.%s", rel_prefix, key);
    else
      snprintf(rel, sizeof rel, "%s", key);
    if (path_prefix && *path_prefix)
      snprintf(path, sizeof path, "%s.%s", path_prefix, rel);
    else
      snprintf(path, sizeof path, "%s", rel);
    const truce__field* f = truce__field_find(t, n, rel);
    if (f) {
      double val;
      int rc = truce__load_uncertain(L, v, km, path, f, base + f->off, &val);
      if (rc) return rc;
      *(double*)((char*)&L->sc->model + base + f->off) = val;
      seen[f - t] = 1;
      continue;
    }
    bool special = false;
    for (size_t i = 0; i < ns; i++)
      if (strcmp(specials[i], rel) == 0) special = true;
    if (special) {
      int rc = fn(L, rel, v, km, user);
      if (rc) return rc;
      continue;
    }
    bool branch = false;
    size_t rl = strlen(rel);
    for (size_t i = 0; i < n; i++)
      if (strncmp(t[i].key, rel, rl) == 0 && t[i].key[rl] == '.') branch = true;
    for (size_t i = 0; i < ns; i++)
      if (strncmp(specials[i], rel, rl) == 0 && specials[i][rl] == '.')
        branch = true;
    if (branch) {
      int rc = truce__load_walk(L, v, km, t, n, base, rel, path_prefix, seen,
                                specials, ns, fn, user);
      if (rc) return rc;
      continue;
    }
    char cands[48][48];
    size_t nc = level_keys(t, n, rel_prefix, specials, ns, cands, 48);
    const char* cp[48];
    char list[512] = "";
    for (size_t i = 0; i < nc; i++) {
      cp[i] = cands[i];
      size_t ll = strlen(list);
      snprintf(list + ll, sizeof list - ll, "%s%s", i ? ", " : "", cands[i]);
    }
    const char* s = truce__suggest(key, cp, nc);
    char where[340] = "";
    if (path_prefix && *path_prefix)
      snprintf(where, sizeof where, " in '%s%s%s'", path_prefix,
               rel_prefix ? "." : "", rel_prefix ? rel_prefix : "");
    else if (rel_prefix)
      snprintf(where, sizeof where, " in '%s'", rel_prefix);
    if (s)
      return truce__load_error(
          L, TRUCE_EINVAL, km,
          "unknown key '%s'%s; did you mean '%s'? (expected one of: %s)", key,
          where, s, list);
    return truce__load_error(L, TRUCE_EINVAL, km,
                             "unknown key '%s'%s; expected one of: %s", key,
                             where, list);
  }
  return 0;
}

/* After a walk: defaults for unseen optional fields were preset; required
 * ones must have been seen. */
int truce__load_required(truce__loader* L, mark m, const truce__field* t,
                         size_t n, const unsigned char* seen,
                         const char* path_prefix) {
  char eb[256];
  for (size_t i = 0; i < n; i++)
    if ((t[i].flags & TRUCE_F_REQ) && !seen[i])
      return truce__load_error(L, TRUCE_EINVAL, m,
                               "missing required field '%s%s%s'; expected %s",
                               path_prefix && *path_prefix ? path_prefix : "",
                               path_prefix && *path_prefix ? "." : "", t[i].key,
                               truce__field_expect(&t[i], eb, sizeof eb));
  return 0;
}

void truce__load_defaults(truce__loader* L, const truce__field* t, size_t n,
                          size_t base) {
  for (size_t i = 0; i < n; i++)
    *(double*)((char*)&L->sc->model + base + t[i].off) = t[i].dflt;
}

bool truce__load_valid_id(const char* s) {
  if (!*s || strlen(s) >= TRUCE_ID_MAX) return false;
  for (; *s; s++)
    if (!isalnum((unsigned char)*s) && *s != '_' && *s != '-') return false;
  return true;
}

/* A number in [lo, hi] (plain or with provenance) at `path`. */
int truce__load_in_range(truce__loader* L, struct fy_node* v, mark km,
                         const char* path, double lo, double hi, bool integer,
                         double* out) {
  char expect[96];
  snprintf(expect, sizeof expect, "a %snumber from %g to %g",
           integer ? "whole " : "", lo, hi);
  truce__field f = {path, TRUCE_FK_NUM, 0,
                    lo,   hi,           integer ? TRUCE_F_INT : 0u,
                    0,    NULL,         expect};
  return truce__load_number(L, v, km, path, &f, out);
}

int truce__load_document(truce__loader* L, const char* text, size_t len,
                         mark top, const char* expect, struct fy_document** doc,
                         struct fy_node** root) {
  char ymsg[256];
  mark ym;
  *doc = truce__yaml_parse(text, len, &ym, ymsg, sizeof ymsg);
  if (!*doc)
    return truce__load_error(L, TRUCE_EPARSE, ym.line > 0 ? ym : top,
                             "malformed YAML: %s; expected valid YAML", ymsg);
  *root = fy_document_root(*doc);
  if (*root && fy_node_is_mapping(*root)) return 0;
  int rc = truce__load_error(L, TRUCE_EINVAL, truce__yaml_mark(*root, top),
                             "the document is %s; expected %s",
                             *root ? truce__yaml_kind(*root) : "empty", expect);
  fy_document_destroy(*doc);
  *doc = NULL;
  return rc;
}

int truce__load_entries(truce__loader* L, struct fy_node* v, mark m,
                        const char* path, const char* expect,
                        truce__entry_fn fn, void* user) {
  if (!fy_node_is_mapping(v))
    return truce__load_error(L, TRUCE_EINVAL, truce__yaml_mark(v, m),
                             "wrong type for '%s': found %s; expected %s", path,
                             truce__yaml_kind(v), expect);
  void* it = NULL;
  struct fy_node_pair* pr;
  while ((pr = fy_node_mapping_iterate(v, &it))) {
    char key[64], sub[320];
    mark km = truce__yaml_mark(fy_node_pair_key(pr), m);
    truce__yaml_text(fy_node_pair_key(pr), key, sizeof key);
    snprintf(sub, sizeof sub, "%s.%s", path, key);
    int rc = fn(L, key, km, fy_node_pair_value(pr), sub, user);
    if (rc) return rc;
  }
  return 0;
}

/* Check the keys of mapping m against `keys` (suggesting the nearest). */
int truce__load_keys(truce__loader* L, struct fy_node* m, mark km,
                     const char* path, const char* const* keys, size_t nk) {
  if (!fy_node_is_mapping(m))
    return truce__load_error(
        L, TRUCE_EINVAL, truce__yaml_mark(m, km),
        "wrong type for '%s': found %s; expected a mapping", path,
        truce__yaml_kind(m));
  void* it = NULL;
  struct fy_node_pair* pr;
  while ((pr = fy_node_mapping_iterate(m, &it))) {
    char key[64];
    truce__yaml_text(fy_node_pair_key(pr), key, sizeof key);
    bool ok = false;
    for (size_t i = 0; i < nk; i++) ok |= !strcmp(keys[i], key);
    if (ok) continue;
    char list[400] = "";
    for (size_t i = 0; i < nk; i++) {
      size_t l = strlen(list);
      snprintf(list + l, sizeof list - l, "%s%s", i ? ", " : "", keys[i]);
    }
    const char* sg = truce__suggest(key, keys, nk);
    return truce__load_error(
        L, TRUCE_EINVAL, truce__yaml_mark(fy_node_pair_key(pr), km),
        "unknown key '%s' in '%s'%s%s%s; expected one of: %s", key, path,
        sg ? " (did you mean '" : "", sg ? sg : "", sg ? "'?)" : "", list);
  }
  return 0;
}

int truce__load_side(const truce__loader* L, const char* id) {
  for (int i = 0; i < 2; i++)
    if (!strcmp(L->sc->side_id[i], id)) return i;
  return -1;
}
