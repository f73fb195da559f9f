/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The scenario loader: libfyaml parses the file, then a schema-driven walk
 * fills truce__model, records the provenance of every number and reports
 * the first problem as "FILE:LINE:COL: error: what is wrong; what was
 * expected". Unknown keys get a "did you mean" from the schema.
 */
#include <ctype.h>
#include <errno.h>
#include <libfyaml.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/yaml.h"
#include "scenario_int.h"
#include "schema.h"

typedef struct {
  truce_ctx* ctx;
  truce_scenario* sc;
  const char* file;
  mark share_mark[2], terr_mark, step_mark;
} loader;

typedef int (*special_fn)(loader* L, const char* rel, struct fy_node* val,
                          mark km, void* user);

/* ---------------------------------------------------------------- Helpers */

#if defined(__GNUC__)
__attribute__((format(printf, 4, 5)))
#endif
static int perr(loader* L, int code, mark m, const char* fmt, ...) {
  char msg[TRUCE_MSG_MAX - 128];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  return TRUCE_FAIL(L->ctx, code, "%s:%d:%d: error: %s", L->file, m.line,
                    m.col, msg);
}

static int get_string(loader* L, struct fy_node* n, mark km,
                      const char* path, char* buf, size_t cap) {
  if (truce__yaml_is_null(n))
    return perr(L, TRUCE_EINVAL, truce__yaml_mark(n, km),
                "missing value for '%s'; expected a string", path);
  if (!truce__yaml_text(n, buf, cap))
    return perr(L, TRUCE_EINVAL, truce__yaml_mark(n, km),
                "wrong type for '%s': found %s; expected a string", path,
                truce__yaml_kind(n));
  return 0;
}

static int add_prov(loader* L, const char* path, double v, mark m,
                    const char* unit, const char* source,
                    const char* claimant, const char* date) {
  truce_scenario* sc = L->sc;
  if (sc->n_prov == sc->cap_prov) {
    size_t nc = sc->cap_prov ? 2 * sc->cap_prov : 64;
    truce__prov* np = truce__realloc(L->ctx, sc->prov,
                                     sc->cap_prov * sizeof *np,
                                     nc * sizeof *np);
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
} numspec;

static int number_list(loader* L, struct fy_node* v, mark km, const char* path,
                       double** out, size_t* n) {
  if (!fy_node_is_sequence(v))
    return perr(L, TRUCE_EINVAL, truce__yaml_mark(v, km),
                "wrong type for '%s': found %s; expected a list of numbers",
                path, truce__yaml_kind(v));
  size_t cnt = (size_t)fy_node_sequence_item_count(v);
  if (cnt == 0)
    return perr(L, TRUCE_EINVAL, truce__yaml_mark(v, km),
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
      return perr(L, TRUCE_EINVAL, truce__yaml_mark(item, km),
                  "wrong type for '%s[%zu]'; expected a number", path, i);
    i++;
  }
  return 0;
}

/* Read a number or a provenance/distribution record into `ns` and record
 * the provenance. */
static int read_number(loader* L, struct fy_node* n, mark km, const char* path,
                       const truce__field* f, numspec* ns) {
  char unit[128] = "", source[512] = "", claimant[256] = "", date[64] = "";
  bool has_unit = false, has_source = false, has_claimant = false,
       has_date = false;
  struct fy_node* vn = n;
  memset(ns, 0, sizeof *ns);
  ns->low = ns->high = NAN;
  ns->vm = truce__yaml_mark(n, km);
  ns->dm = ns->vm;
  if (n && fy_node_is_mapping(n)) {
    static const char* const keys[] = {
        "value", "unit", "source", "claimant", "date",  "low",   "high",
        "note",  "dist", "mean",   "sd",       "mu",    "sigma", "min",
        "mode",  "max",  "alpha",  "beta",     "shape", "scale", "values",
        "weights"};
    vn = NULL;
    void* it = NULL;
    struct fy_node_pair* pr;
    while ((pr = fy_node_mapping_iterate(n, &it))) {
      struct fy_node* k = fy_node_pair_key(pr);
      struct fy_node* v = fy_node_pair_value(pr);
      char key[64], sub[256];
      mark kmk = truce__yaml_mark(k, ns->vm);
      if (!truce__yaml_text(k, key, sizeof key))
        return perr(L, TRUCE_EINVAL, kmk,
                    "a key in the record for '%s' is not a scalar", path);
      snprintf(sub, sizeof sub, "%s.%s", path, key);
      int slot = -1;
      for (int i = 0; i < TRUCE_DP_COUNT; i++)
        if (!strcmp(key, truce__dist_keys[i])) slot = i;
      if (!strcmp(key, "value")) {
        vn = v;
        ns->vm = truce__yaml_mark(v, kmk);
      } else if (slot >= 0 || !strcmp(key, "low") || !strcmp(key, "high")) {
        char t[64];
        double x;
        if (!truce__yaml_text(v, t, sizeof t) || truce__parse_number(t, &x))
          return perr(L, TRUCE_EINVAL, truce__yaml_mark(v, kmk),
                      "wrong type for '%s'; expected a number", sub);
        if (!strcmp(key, "low")) ns->low = x;
        else if (!strcmp(key, "high")) ns->high = x;
        else {
          int s = slot;
          if (ns->has[s])
            return perr(L, TRUCE_EINVAL, kmk,
                        "'%s' repeats a distribution parameter; expected "
                        "each once",
                        sub);
          ns->p[s] = x;
          ns->has[s] = true;
        }
      } else if (!strcmp(key, "dist")) {
        char t[64];
        ns->dm = truce__yaml_mark(v, kmk);
        if (!truce__yaml_text(v, t, sizeof t))
          return perr(L, TRUCE_EINVAL, ns->dm,
                      "wrong type for '%s'; expected a distribution name",
                      sub);
        int d = -1, cnt = 0;
        for (; truce__dist_names[cnt]; cnt++)
          if (!strcmp(truce__dist_names[cnt], t)) d = cnt;
        if (d < 0) {
          const char* sg = truce__suggest(t, truce__dist_names, (size_t)cnt);
          return perr(L, TRUCE_EINVAL, ns->dm,
                      "unknown distribution '%s' for '%s'%s%s%s; expected one "
                      "of normal, lognormal, uniform, triangular, pert, beta, "
                      "gamma, discrete",
                      t, path, sg ? " (did you mean '" : "", sg ? sg : "",
                      sg ? "'?)" : "");
        }
        ns->is_dist = true;
        ns->dist = d;
      } else if (!strcmp(key, "values")) {
        int rc = number_list(L, v, kmk, sub, &ns->values, &ns->n_values);
        if (rc) return rc;
      } else if (!strcmp(key, "weights")) {
        int rc = number_list(L, v, kmk, sub, &ns->weights, &ns->n_weights);
        if (rc) return rc;
      } else {
        char* dst = NULL;
        size_t cap = 0;
        bool* flag = NULL;
        if (!strcmp(key, "unit")) {
          dst = unit; cap = sizeof unit; flag = &has_unit;
        } else if (!strcmp(key, "source")) {
          dst = source; cap = sizeof source; flag = &has_source;
        } else if (!strcmp(key, "claimant")) {
          dst = claimant; cap = sizeof claimant; flag = &has_claimant;
        } else if (!strcmp(key, "date")) {
          dst = date; cap = sizeof date; flag = &has_date;
        } else if (!strcmp(key, "note")) {
          continue;
        } else {
          const char* s = truce__suggest(key, keys, 22);
          return perr(L, TRUCE_EINVAL, kmk,
                      "unknown key '%s' in the record for '%s'%s%s%s; "
                      "expected value, unit, source, claimant, date, low, "
                      "high, note, or a distribution (dist: and its "
                      "parameters)",
                      key, path, s ? " (did you mean '" : "", s ? s : "",
                      s ? "'?)" : "");
        }
        int rc = get_string(L, v, kmk, sub, dst, cap);
        if (rc) return rc;
        *flag = true;
      }
    }
    if (!vn && !ns->is_dist)
      return perr(L, TRUCE_EINVAL, truce__yaml_mark(n, km),
                  "the record for '%s' has no 'value'; expected value: (or "
                  "dist:) with optional unit:, source:, claimant:, date:",
                  path);
  }
  if (vn) {
    if (truce__yaml_is_null(vn))
      return perr(L, TRUCE_EINVAL, ns->vm,
                  "missing value for '%s'; expected %s", path, f->expect);
    if (!fy_node_is_scalar(vn))
      return perr(L, TRUCE_EINVAL, ns->vm,
                  "wrong type for '%s': found %s; expected %s", path,
                  truce__yaml_kind(vn), f->expect);
    char text[128];
    truce__yaml_text(vn, text, sizeof text);
    double v;
    if (f->kind == TRUCE_FK_ENUM) {
      int idx = -1, cnt = 0;
      for (; f->names[cnt]; cnt++)
        if (strcmp(f->names[cnt], text) == 0) idx = cnt;
      if (idx < 0) {
        const char* s = truce__suggest(text, f->names, (size_t)cnt);
        return perr(L, TRUCE_EINVAL, ns->vm,
                    "unknown value '%s' for '%s'%s%s%s; expected %s", text,
                    path, s ? " (did you mean '" : "", s ? s : "",
                    s ? "'?)" : "", f->expect);
      }
      v = idx;
    } else {
      int big = fy_node_get_style(vn) == FYNS_PLAIN
                    ? truce__parse_number(text, &v)
                    : -1;
      if (big < 0)
        return perr(L, TRUCE_EINVAL, ns->vm,
                    "wrong type for '%s': '%s' is not a number; expected %s",
                    path, text, f->expect);
      char why[160];
      if (!truce__field_check(f, v, why, sizeof why))
        return perr(L, TRUCE_EINVAL, ns->vm,
                    "value %s for '%s' is out of range; expected %s", text,
                    path, why);
      if ((!isnan(ns->low) && ns->low > v) ||
          (!isnan(ns->high) && ns->high < v) ||
          (!isnan(ns->low) && !isnan(ns->high) && ns->low > ns->high))
        return perr(L, TRUCE_EINVAL, ns->vm,
                    "the range of '%s' does not contain its value %s; "
                    "expected low <= value <= high",
                    path, text);
    }
    ns->value = v;
    ns->has_value = true;
  }
  return add_prov(L, path, ns->has_value ? ns->value : (double)NAN, ns->vm,
                  has_unit ? unit : NULL, has_source ? source : NULL,
                  has_claimant ? claimant : NULL, has_date ? date : NULL);
}

static void numspec_free(loader* L, numspec* ns) {
  truce__free(L->ctx, ns->values, ns->n_values * sizeof(double));
  truce__free(L->ctx, ns->weights, ns->n_weights * sizeof(double));
  ns->values = ns->weights = NULL;
}

/* A plain number for field f (no distribution allowed here). */
static int get_number(loader* L, struct fy_node* n, mark km, const char* path,
                      const truce__field* f, double* out) {
  numspec ns;
  int rc = read_number(L, n, km, path, f, &ns);
  if (!rc && ns.is_dist)
    rc = perr(L, TRUCE_EINVAL, ns.dm,
              "'%s' cannot be uncertain; expected a number or a provenance "
              "record without dist:",
              path);
  if (!rc) *out = ns.value;
  numspec_free(L, &ns);
  return rc;
}

/* A number for field f at offset `off` of truce__model that may be
 * uncertain: a dist: record or a low/high range registers a distribution
 * (docs/scenario.md, "Uncertain numbers"); its point value is stored. */
static int get_uncertain(loader* L, struct fy_node* n, mark km,
                         const char* path, const truce__field* f, size_t off,
                         double* out) {
  numspec ns;
  int rc = read_number(L, n, km, path, f, &ns);
  if (rc) {
    numspec_free(L, &ns);
    return rc;
  }
  bool range = !ns.is_dist && ns.has_value && !isnan(ns.low) &&
               !isnan(ns.high) && ns.low < ns.high &&
               L->sc->ranges != TRUCE_RANGES_FIXED;
  if (!ns.is_dist && !range) {
    *out = ns.value;
    numspec_free(L, &ns);
    return 0;
  }
  size_t lo = offsetof(truce__model, params);
  if (f->kind == TRUCE_FK_ENUM || off < lo ||
      off >= lo + sizeof(truce__params)) {
    numspec_free(L, &ns);
    if (range) { /* a range on such a field is documentation only */
      *out = ns.value;
      return 0;
    }
    return perr(L, TRUCE_EINVAL, ns.dm,
                "'%s' cannot be uncertain; expected a number", path);
  }
  truce__dist d;
  memset(&d, 0, sizeof d);
  if (range) {
    static const int kind[] = {TRUCE_DIST_PERT, TRUCE_DIST_UNIFORM,
                               TRUCE_DIST_TRIANGULAR};
    d.kind = kind[L->sc->ranges];
    d.a = ns.low;
    d.b = ns.value;
    d.c = ns.high;
    d.lo = ns.low;
    d.hi = ns.high;
  } else {
    d.kind = ns.dist;
    char why[300];
    if (truce__dist_from_params(&d, ns.p, ns.has, ns.values, ns.n_values,
                                ns.weights, ns.n_weights, why, sizeof why)) {
      numspec_free(L, &ns);
      return perr(L, TRUCE_EINVAL, ns.dm, "bad distribution for '%s': %s",
                  path, why);
    }
  }
  ns.values = ns.weights = NULL; /* owned by d now */
  char why[300];
  rc = truce__dist_bind(&d, f, why, sizeof why);
  if (rc) {
    truce__dist_free(L->ctx, &d);
    return perr(L, TRUCE_EINVAL, ns.dm, "bad distribution for '%s': %s", path,
                why);
  }
  d.point = ns.has_value ? ns.value : truce__dist_median(&d);
  d.off = off - lo;
  /* The provenance entry read_number just added shows the distribution. */
  truce__prov* pv = &L->sc->prov[L->sc->n_prov - 1];
  pv->value = d.point;
  char desc[160];
  truce__dist_describe(&d, desc, sizeof desc);
  if (!(pv->dist = truce__strdup(L->ctx, desc))) {
    truce__dist_free(L->ctx, &d);
    return TRUCE_ENOMEM;
  }
  rc = truce__scenario_add_uncertain(L->ctx, L->sc, path, &d);
  if (rc) {
    truce__dist_free(L->ctx, &d);
    return rc;
  }
  *out = d.point;
  return 0;
}

/* The candidate keys at one level of a table, for suggestions. */
static size_t level_keys(const truce__field* t, size_t n, const char* prefix,
                         const char* const* specials, size_t ns,
                         char out[][48], size_t cap) {
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
static int walk(loader* L, struct fy_node* map, mark m, const truce__field* t,
                size_t n, size_t base, const char* rel_prefix,
                const char* path_prefix, unsigned char* seen,
                const char* const* specials, size_t ns, special_fn fn,
                void* user) {
  if (!fy_node_is_mapping(map))
    return perr(L, TRUCE_EINVAL, truce__yaml_mark(map, m),
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
      return perr(L, TRUCE_EINVAL, km, "a key is not a scalar; expected a name");
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
      int rc = get_uncertain(L, v, km, path, f, base + f->off, &val);
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
      if (strncmp(t[i].key, rel, rl) == 0 && t[i].key[rl] == '.')
        branch = true;
    for (size_t i = 0; i < ns; i++)
      if (strncmp(specials[i], rel, rl) == 0 && specials[i][rl] == '.')
        branch = true;
    if (branch) {
      int rc = walk(L, v, km, t, n, base, rel, path_prefix, seen, specials,
                    ns, fn, user);
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
      return perr(L, TRUCE_EINVAL, km,
                  "unknown key '%s'%s; did you mean '%s'? (expected one of: %s)",
                  key, where, s, list);
    return perr(L, TRUCE_EINVAL, km, "unknown key '%s'%s; expected one of: %s",
                key, where, list);
  }
  return 0;
}

/* After a walk: defaults for unseen optional fields were preset; required
 * ones must have been seen. */
static int check_required(loader* L, mark m, const truce__field* t, size_t n,
                          const unsigned char* seen, const char* path_prefix) {
  for (size_t i = 0; i < n; i++)
    if ((t[i].flags & TRUCE_F_REQ) && !seen[i])
      return perr(L, TRUCE_EINVAL, m,
                  "missing required field '%s%s%s'; expected %s",
                  path_prefix && *path_prefix ? path_prefix : "",
                  path_prefix && *path_prefix ? "." : "", t[i].key,
                  t[i].expect);
  return 0;
}

static void set_defaults(loader* L, const truce__field* t, size_t n,
                         size_t base) {
  for (size_t i = 0; i < n; i++)
    *(double*)((char*)&L->sc->model + base + t[i].off) = t[i].dflt;
}

static bool valid_id(const char* s) {
  if (!*s || strlen(s) >= TRUCE_ID_MAX) return false;
  for (; *s; s++)
    if (!isalnum((unsigned char)*s) && *s != '_' && *s != '-') return false;
  return true;
}

/* Per-side maps keyed by side id (combat.coefficients, front.territory). */
static int side_map(loader* L, struct fy_node* v, mark km, const char* path,
                    const truce__field* f, bool* seen2) {
  if (!fy_node_is_mapping(v))
    return perr(L, TRUCE_EINVAL, truce__yaml_mark(v, km),
                "wrong type for '%s': found %s; expected a mapping from side "
                "id to a number",
                path, truce__yaml_kind(v));
  void* it = NULL;
  struct fy_node_pair* pr;
  while ((pr = fy_node_mapping_iterate(v, &it))) {
    char id[64], full[160];
    mark im = truce__yaml_mark(fy_node_pair_key(pr), km);
    truce__yaml_text(fy_node_pair_key(pr), id, sizeof id);
    int s = -1;
    for (int i = 0; i < 2; i++)
      if (!strcmp(L->sc->side_id[i], id)) s = i;
    if (s < 0) {
      const char* ids[2] = {L->sc->side_id[0], L->sc->side_id[1]};
      const char* sg = truce__suggest(id, ids, 2);
      return perr(L, TRUCE_EINVAL, im,
                  "reference to an unknown side '%s' in '%s'%s%s%s; expected "
                  "'%s' or '%s'",
                  id, path, sg ? " (did you mean '" : "", sg ? sg : "",
                  sg ? "'?)" : "", ids[0], ids[1]);
    }
    snprintf(full, sizeof full, "%s.%s", path, id);
    double val;
    size_t off = truce__side_base((size_t)s) + f->off;
    int rc = f->flags & TRUCE_F_INIT
                 ? get_number(L, fy_node_pair_value(pr), im, full, f, &val)
                 : get_uncertain(L, fy_node_pair_value(pr), im, full, f, off,
                                 &val);
    if (rc) return rc;
    *(double*)((char*)&L->sc->model + off) = val;
    seen2[s] = true;
  }
  return 0;
}

/* ------------------------------------------------------------ Sections */

typedef struct {
  size_t side;
  char path[64];
} side_user;

static int arrivals(loader* L, struct fy_node* v, mark km, size_t s,
                    const char* path) {
  static const truce__field af[] = {
      {"from_day", TRUCE_FK_NUM, offsetof(truce__arrival, from), 0, 1e5,
       TRUCE_F_REQ, 0, NULL, "a day >= 0"},
      {"to_day", TRUCE_FK_NUM, offsetof(truce__arrival, to), 0, 1e5,
       TRUCE_F_REQ, 0, NULL, "a day >= 0, after from_day"},
      {"men", TRUCE_FK_NUM, offsetof(truce__arrival, men), 0, 1e9,
       TRUCE_F_REQ, 0, NULL, "a number of soldiers >= 0"},
  };
  if (!fy_node_is_sequence(v))
    return perr(L, TRUCE_EINVAL, truce__yaml_mark(v, km),
                "wrong type for '%s': found %s; expected a list of "
                "{from_day, to_day, men}",
                path, truce__yaml_kind(v));
  void* it = NULL;
  struct fy_node* item;
  size_t k = 0;
  while ((item = fy_node_sequence_iterate(v, &it))) {
    mark im = truce__yaml_mark(item, km);
    if (k == TRUCE_MAX_ARRIVALS)
      return perr(L, TRUCE_EINVAL, im, "too many arrivals in '%s'; expected "
                  "at most %d", path, TRUCE_MAX_ARRIVALS);
    if (!fy_node_is_mapping(item))
      return perr(L, TRUCE_EINVAL, im,
                  "wrong type for '%s[%zu]': found %s; expected a mapping "
                  "{from_day, to_day, men}",
                  path, k, truce__yaml_kind(item));
    truce__arrival* a = &L->sc->model.arrivals[s][k];
    unsigned char seen[3] = {0};
    char ipath[200];
    snprintf(ipath, sizeof ipath, "%s[%zu]", path, k);
    void* it2 = NULL;
    struct fy_node_pair* pr;
    while ((pr = fy_node_mapping_iterate(item, &it2))) {
      char key[64], full[300];
      mark kmk = truce__yaml_mark(fy_node_pair_key(pr), im);
      truce__yaml_text(fy_node_pair_key(pr), key, sizeof key);
      const truce__field* f = truce__field_find(af, 3, key);
      if (!f) {
        static const char* const names[] = {"from_day", "to_day", "men"};
        const char* sg = truce__suggest(key, names, 3);
        return perr(L, TRUCE_EINVAL, kmk,
                    "unknown key '%s' in '%s'%s%s%s; expected from_day, "
                    "to_day or men",
                    key, ipath, sg ? " (did you mean '" : "", sg ? sg : "",
                    sg ? "'?)" : "");
      }
      snprintf(full, sizeof full, "%s.%s", ipath, key);
      double val;
      int rc = get_number(L, fy_node_pair_value(pr), kmk, full, f, &val);
      if (rc) return rc;
      *(double*)((char*)a + f->off) = val;
      seen[f - af] = 1;
    }
    for (int i = 0; i < 3; i++)
      if (!seen[i])
        return perr(L, TRUCE_EINVAL, im,
                    "missing required field '%s.%s'; expected %s", ipath,
                    af[i].key, af[i].expect);
    if (!(a->to > a->from))
      return perr(L, TRUCE_EINVAL, im,
                  "'%s' ends (to_day %g) before it starts (from_day %g); "
                  "expected to_day > from_day",
                  ipath, a->to, a->from);
    k++;
  }
  L->sc->model.n_arrivals[s] = k;
  return 0;
}

static int equipment(loader* L, struct fy_node* v, mark km, size_t s,
                     const char* path) {
  if (!fy_node_is_mapping(v))
    return perr(L, TRUCE_EINVAL, truce__yaml_mark(v, km),
                "wrong type for '%s': found %s; expected a mapping from class "
                "name to {stock, soldiers_per_item, ...}",
                path, truce__yaml_kind(v));
  void* it = NULL;
  struct fy_node_pair* pr;
  size_t k = 0;
  while ((pr = fy_node_mapping_iterate(v, &it))) {
    char name[64], cpath[256];
    mark cm = truce__yaml_mark(fy_node_pair_key(pr), km);
    truce__yaml_text(fy_node_pair_key(pr), name, sizeof name);
    if (!valid_id(name))
      return perr(L, TRUCE_EINVAL, cm,
                  "bad equipment class name '%s'; expected letters, digits, "
                  "'_' or '-' (at most %d)",
                  name, TRUCE_ID_MAX - 1);
    if (k == TRUCE_MAX_EQUIP)
      return perr(L, TRUCE_EINVAL, cm,
                  "too many equipment classes in '%s'; expected at most %d",
                  path, TRUCE_MAX_EQUIP);
    memcpy(L->sc->equip_name[s][k], name, strlen(name) + 1);
    snprintf(cpath, sizeof cpath, "%s.%s", path, name);
    size_t base = truce__equip_base(s, k);
    unsigned char seen[16] = {0};
    set_defaults(L, truce__equip_fields, truce__n_equip_fields, base);
    int rc = walk(L, fy_node_pair_value(pr), cm, truce__equip_fields,
                  truce__n_equip_fields, base, NULL, cpath, seen, NULL, 0,
                  NULL, NULL);
    if (rc) return rc;
    rc = check_required(L, cm, truce__equip_fields, truce__n_equip_fields,
                        seen, cpath);
    if (rc) return rc;
    k++;
    L->sc->model.n_equip[s] = k;
  }
  return 0;
}

static int side_special(loader* L, const char* rel, struct fy_node* v,
                        mark km, void* user) {
  side_user* u = user;
  char path[160];
  snprintf(path, sizeof path, "%s.%s", u->path, rel);
  if (!strcmp(rel, "id")) return 0; /* read before the walk */
  if (!strcmp(rel, "equipment")) return equipment(L, v, km, u->side, path);
  if (!strcmp(rel, "personnel.arrivals"))
    return arrivals(L, v, km, u->side, path);
  return TRUCE_FAIL(L->ctx, TRUCE_EINTERNAL, "unhandled key %s", rel);
}

static int sides(loader* L, struct fy_node* v, mark km) {
  if (!fy_node_is_sequence(v))
    return perr(L, TRUCE_EINVAL, truce__yaml_mark(v, km),
                "wrong type for 'sides': found %s; expected a list of two "
                "sides, each with an id",
                truce__yaml_kind(v));
  int count = fy_node_sequence_item_count(v);
  if (count != 2)
    return perr(L, TRUCE_EINVAL, km,
                "'sides' has %d entr%s; expected exactly two belligerents",
                count, count == 1 ? "y" : "ies");
  struct fy_node* items[2];
  mark marks[2];
  void* it = NULL;
  for (int i = 0; i < 2; i++) {
    items[i] = fy_node_sequence_iterate(v, &it);
    marks[i] = truce__yaml_mark(items[i], km);
    if (!fy_node_is_mapping(items[i]))
      return perr(L, TRUCE_EINVAL, marks[i],
                  "wrong type for 'sides[%d]': found %s; expected a mapping "
                  "with an id",
                  i, truce__yaml_kind(items[i]));
    mark im = marks[i];
    struct fy_node* idn = truce__yaml_lookup(items[i], "id", &im);
    if (!idn)
      return perr(L, TRUCE_EINVAL, marks[i],
                  "missing required field 'sides[%d].id'; expected a short "
                  "name such as 'ua'",
                  i);
    char id[64];
    char p[32];
    snprintf(p, sizeof p, "sides[%d].id", i);
    int rc = get_string(L, idn, im, p, id, sizeof id);
    if (rc) return rc;
    if (!valid_id(id))
      return perr(L, TRUCE_EINVAL, truce__yaml_mark(idn, im),
                  "bad side id '%s'; expected letters, digits, '_' or '-' "
                  "(at most %d)",
                  id, TRUCE_ID_MAX - 1);
    if (i == 1 && !strcmp(id, L->sc->side_id[0]))
      return perr(L, TRUCE_EINVAL, truce__yaml_mark(idn, im),
                  "duplicate side id '%s'; expected two different ids", id);
    memcpy(L->sc->side_id[i], id, strlen(id) + 1);
  }
  static const char* const specials[] = {"id", "equipment",
                                         "personnel.arrivals"};
  for (size_t i = 0; i < 2; i++) {
    side_user u = {i, ""};
    snprintf(u.path, sizeof u.path, "sides.%s", L->sc->side_id[i]);
    size_t base = truce__side_base(i);
    set_defaults(L, truce__side_fields, truce__n_side_fields, base);
    unsigned char seen[32] = {0};
    int rc = walk(L, items[i], marks[i], truce__side_fields,
                  truce__n_side_fields, base, NULL, u.path, seen, specials, 3,
                  side_special, &u);
    if (rc) return rc;
    rc = check_required(L, marks[i], truce__side_fields, truce__n_side_fields,
                        seen, u.path);
    if (rc) return rc;
    mark pm = marks[i];
    if (truce__yaml_lookup(items[i], "personnel", &pm)) L->share_mark[i] = pm;
    else L->share_mark[i] = marks[i];
  }
  return 0;
}

static int combat_special(loader* L, const char* rel, struct fy_node* v,
                          mark km, void* user) {
  (void)rel;
  return side_map(L, v, km, "combat.coefficients", &truce__coefficient_field,
                  user);
}

static int front_special(loader* L, const char* rel, struct fy_node* v,
                         mark km, void* user) {
  (void)rel;
  L->terr_mark = km;
  return side_map(L, v, km, "front.territory", &truce__territory_field, user);
}

/* A number in [lo, hi] (plain or with provenance) at `path`. */
static int nnum(loader* L, struct fy_node* v, mark km, const char* path,
                double lo, double hi, bool integer, double* out) {
  char expect[96];
  snprintf(expect, sizeof expect, "a %snumber from %g to %g",
           integer ? "whole " : "", lo, hi);
  truce__field f = {path, TRUCE_FK_NUM, 0, lo, hi, integer ? TRUCE_F_INT : 0u,
                    0, NULL, expect};
  return get_number(L, v, km, path, &f, out);
}

/* Check the keys of mapping m against `keys` (suggesting the nearest). */
static int nkeys(loader* L, struct fy_node* m, mark km, const char* path,
                 const char* const* keys, size_t nk) {
  if (!fy_node_is_mapping(m))
    return perr(L, TRUCE_EINVAL, truce__yaml_mark(m, km),
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
    return perr(L, TRUCE_EINVAL, truce__yaml_mark(fy_node_pair_key(pr), km),
                "unknown key '%s' in '%s'%s%s%s; expected one of: %s", key,
                path, sg ? " (did you mean '" : "", sg ? sg : "",
                sg ? "'?)" : "", list);
  }
  return 0;
}

static int side_index(loader* L, const char* id) {
  for (int i = 0; i < 2; i++)
    if (!strcmp(L->sc->side_id[i], id)) return i;
  return -1;
}

/* ----------------------------------------------------------- Backers */

static int backer_index(loader* L, const char* id) {
  for (size_t b = 0; b < L->sc->model.n_backers; b++)
    if (!strcmp(L->sc->backer_id[b], id)) return (int)b;
  return -1;
}

static int backer_ref(loader* L, struct fy_node* v, mark km, const char* path,
                      int* out) {
  char id[64];
  int rc = get_string(L, v, km, path, id, sizeof id);
  if (rc) return rc;
  *out = backer_index(L, id);
  if (*out < 0) {
    const char* ids[TRUCE_MAX_BACKERS];
    for (size_t b = 0; b < L->sc->model.n_backers; b++)
      ids[b] = L->sc->backer_id[b];
    const char* sg = truce__suggest(id, ids, L->sc->model.n_backers);
    return perr(L, TRUCE_EINVAL, truce__yaml_mark(v, km),
                "reference to an unknown backer '%s' in '%s'%s%s%s; expected "
                "an id listed under backers",
                id, path, sg ? " (did you mean '" : "", sg ? sg : "",
                sg ? "'?)" : "");
  }
  return 0;
}

/* crisis {duration_days, attention: {backer: share}}, block {backer,
 * until_day | until}, package {backer, months}, enter {backer}, exit
 * {backer}. */
static int backer_event(loader* L, struct fy_node* a, mark am,
                        const char* path, const char* kind, int day,
                        truce__event* out, size_t* nout, size_t cap) {
  if (*nout == cap) return perr(L, TRUCE_EINVAL, am, "too many events");
  truce__event* e = &out[(*nout)++];
  memset(e, 0, sizeof *e);
  e->day = day;
  e->side = -1;
  e->backer = -1;
  char full[256];
  snprintf(full, sizeof full, "%s.%s", path, kind);
  int rc;
  if (!strcmp(kind, "crisis")) {
    static const char* const ck[] = {"name", "duration_days", "attention",
                                     "note"};
    if ((rc = nkeys(L, a, am, full, ck, 4))) return rc;
    e->kind = TRUCE_EV_CRISIS;
    mark m = am;
    struct fy_node* d = truce__yaml_lookup(a, "duration_days", &m);
    char sub[300];
    snprintf(sub, sizeof sub, "%s.duration_days", full);
    if (!d) return perr(L, TRUCE_EINVAL, am, "'%s' needs duration_days", full);
    if ((rc = nnum(L, d, m, sub, 1, 100000, true, &e->duration_days)))
      return rc;
    m = am;
    struct fy_node* at = truce__yaml_lookup(a, "attention", &m);
    if (!at || !fy_node_is_mapping(at))
      return perr(L, TRUCE_EINVAL, am, "'%s' needs attention: {backer: share "
                  "of attention taken}", full);
    void* it = NULL;
    struct fy_node_pair* pr;
    while ((pr = fy_node_mapping_iterate(at, &it))) {
      int b;
      mark bm = truce__yaml_mark(fy_node_pair_key(pr), m);
      snprintf(sub, sizeof sub, "%s.attention", full);
      if ((rc = backer_ref(L, fy_node_pair_key(pr), bm, sub, &b))) return rc;
      char v[300];
      snprintf(v, sizeof v, "%s.attention.%s", full, L->sc->backer_id[b]);
      if ((rc = nnum(L, fy_node_pair_value(pr), bm, v, 0, 1, false,
                     &e->taken[b])))
        return rc;
    }
    return 0;
  }
  static const char* const bk[] = {"backer", "until_day", "until", "note"};
  static const char* const pk[] = {"backer", "months", "note"};
  bool pkg = !strcmp(kind, "package");
  if ((rc = pkg ? nkeys(L, a, am, full, pk, 3) : nkeys(L, a, am, full, bk, 4)))
    return rc;
  mark m = am;
  struct fy_node* b = truce__yaml_lookup(a, "backer", &m);
  char sub[300];
  snprintf(sub, sizeof sub, "%s.backer", full);
  if (!b) return perr(L, TRUCE_EINVAL, am, "'%s' needs backer", full);
  if ((rc = backer_ref(L, b, m, sub, &e->backer))) return rc;
  if (pkg) {
    e->kind = TRUCE_EV_PACKAGE;
    mark mm = am;
    struct fy_node* mo = truce__yaml_lookup(a, "months", &mm);
    snprintf(sub, sizeof sub, "%s.months", full);
    if (!mo)
      return perr(L, TRUCE_EINVAL, am, "'%s' needs months (of the backer's "
                  "budget the package is worth)", full);
    if ((rc = nnum(L, mo, mm, sub, 0, 1200, false, &e->months))) return rc;
  } else if (!strcmp(kind, "block")) {
    e->kind = TRUCE_EV_BLOCK;
    mark um = am;
    struct fy_node* u = truce__yaml_lookup(a, "until_day", &um);
    if (u) {
      double d;
      snprintf(sub, sizeof sub, "%s.until_day", full);
      if ((rc = nnum(L, u, um, sub, 0, 100000, true, &d))) return rc;
      e->until_day = (int)d;
    } else if ((u = truce__yaml_lookup(a, "until", &um))) {
      char ds[32];
      snprintf(sub, sizeof sub, "%s.until", full);
      if ((rc = get_string(L, u, um, sub, ds, sizeof ds))) return rc;
      if (!truce__date_valid(ds) || !L->sc->start[0])
        return perr(L, TRUCE_EINVAL, truce__yaml_mark(u, um), "bad date '%s' "
                    "in '%s'; expected YYYY-MM-DD and a scenario start", ds,
                    sub);
      e->until_day = (int)(truce__date_to_days(ds) -
                           truce__date_to_days(L->sc->start));
    } else {
      return perr(L, TRUCE_EINVAL, am, "'%s' needs until (a date) or "
                  "until_day", full);
    }
    if (e->until_day <= day)
      return perr(L, TRUCE_EINVAL, am, "'%s' ends before it starts", full);
  } else {
    e->kind = !strcmp(kind, "enter") ? TRUCE_EV_ENTER : TRUCE_EV_EXIT;
  }
  return 0;
}

typedef struct {
  size_t b;
  char path[96];
} backer_user;

static int backer_special(loader* L, const char* rel, struct fy_node* v,
                          mark km, void* user) {
  backer_user* u = user;
  truce_scenario* sc = L->sc;
  char path[160];
  snprintf(path, sizeof path, "%s.%s", u->path, rel);
  if (!strcmp(rel, "id") || !strcmp(rel, "supports")) return 0; /* first */
  if (!strcmp(rel, "note") || !strcmp(rel, "name")) return 0;
  /* buys: item -> {share, unit_cost, capacity_per_month} */
  if (!fy_node_is_mapping(v))
    return perr(L, TRUCE_EINVAL, truce__yaml_mark(v, km), "wrong type for "
                "'%s'; expected item: {share, unit_cost, capacity_per_month}",
                path);
  void* it = NULL;
  struct fy_node_pair* pr;
  double total = 0;
  while ((pr = fy_node_mapping_iterate(v, &it))) {
    char name[64], ipath[256];
    mark im = truce__yaml_mark(fy_node_pair_key(pr), km);
    truce__yaml_text(fy_node_pair_key(pr), name, sizeof name);
    int item = truce__buy_item(sc, u->b, name, strlen(name));
    if (item < 0)
      return perr(L, TRUCE_EINVAL, im, "unknown item '%s' in '%s'; expected "
                  "ammunition, recruitment or an equipment class of '%s'",
                  name, path, sc->side_id[sc->model.backer_side[u->b]]);
    snprintf(ipath, sizeof ipath, "%s.%s", path, name);
    size_t base = truce__buy_base(u->b, (size_t)item);
    /* one entry per field: every field of truce__buy is a double */
    unsigned char seen[sizeof(truce__buy) / sizeof(double)] = {0};
    int rc = walk(L, fy_node_pair_value(pr), im, truce__buy_fields,
                  truce__n_buy_fields, base, NULL, ipath, seen, NULL, 0, NULL,
                  NULL);
    if (rc) return rc;
    const truce__buy* bu = &sc->model.params.backer[u->b].buy[item];
    if (item == TRUCE_ITEM_RECRUIT &&
        (bu->in_transit > 0 || bu->releasable_stock > 0))
      return perr(L, TRUCE_EINVAL, im, "'%s' is money, not units; expected "
                  "only share (in_transit and releasable_stock are for "
                  "ammunition and equipment)", ipath);
    sc->model.backer_buys[u->b][item] = true;
    total += sc->model.params.backer[u->b].buy[item].share;
  }
  if (total > 1 + 1e-9)
    return perr(L, TRUCE_EINVAL, km, "the shares in '%s' sum to %g; expected "
                "at most 1", path, total);
  return 0;
}

static int backers(loader* L, struct fy_node* v, mark km) {
  truce_scenario* sc = L->sc;
  if (!fy_node_is_sequence(v))
    return perr(L, TRUCE_EINVAL, truce__yaml_mark(v, km), "wrong type for "
                "'backers': found %s; expected a list of backers",
                truce__yaml_kind(v));
  void* it = NULL;
  struct fy_node* item;
  static const char* const specials[] = {"id", "supports", "buys", "note",
                                         "name"};
  while ((item = fy_node_sequence_iterate(v, &it))) {
    mark im = truce__yaml_mark(item, km);
    size_t b = sc->model.n_backers;
    if (b == TRUCE_MAX_BACKERS)
      return perr(L, TRUCE_EINVAL, im, "too many backers; expected at most %d",
                  TRUCE_MAX_BACKERS);
    if (!fy_node_is_mapping(item))
      return perr(L, TRUCE_EINVAL, im, "wrong type for 'backers[%zu]'; "
                  "expected a mapping with id and supports", b);
    char id[64], p[128];
    mark m = im;
    struct fy_node* idn = truce__yaml_lookup(item, "id", &m);
    snprintf(p, sizeof p, "backers[%zu].id", b);
    if (!idn) return perr(L, TRUCE_EINVAL, im, "missing required field '%s'", p);
    int rc = get_string(L, idn, m, p, id, sizeof id);
    if (rc) return rc;
    if (!valid_id(id) || backer_index(L, id) >= 0)
      return perr(L, TRUCE_EINVAL, truce__yaml_mark(idn, m), "bad or "
                  "duplicate backer id '%s'; expected a new short name", id);
    memcpy(sc->backer_id[b], id, strlen(id) + 1);
    m = im;
    struct fy_node* sp = truce__yaml_lookup(item, "supports", &m);
    char side[64];
    snprintf(p, sizeof p, "backers.%s.supports", id);
    if (!sp) return perr(L, TRUCE_EINVAL, im, "missing required field '%s'", p);
    if ((rc = get_string(L, sp, m, p, side, sizeof side))) return rc;
    int s = side_index(L, side);
    if (s < 0)
      return perr(L, TRUCE_EINVAL, truce__yaml_mark(sp, m), "reference to an "
                  "unknown side '%s' in '%s'; expected '%s' or '%s'", side, p,
                  sc->side_id[0], sc->side_id[1]);
    sc->model.backer_side[b] = s;
    sc->model.n_backers++;
    backer_user u = {b, ""};
    snprintf(u.path, sizeof u.path, "backers.%s", id);
    size_t base = truce__backer_base(b);
    set_defaults(L, truce__backer_fields, truce__n_backer_fields, base);
    for (size_t k = 0; k < TRUCE_BACKER_ITEMS; k++)
      set_defaults(L, truce__buy_fields, truce__n_buy_fields,
                   truce__buy_base(b, k));
    sc->model.params.backer[b].active = 1;
    unsigned char seen[32] = {0};
    if ((rc = walk(L, item, im, truce__backer_fields, truce__n_backer_fields,
                   base, NULL, u.path, seen, specials, 5, backer_special, &u)))
      return rc;
    if ((rc = check_required(L, im, truce__backer_fields,
                             truce__n_backer_fields, seen, u.path)))
      return rc;
  }
  return 0;
}

/* One event: when (day or date), then exactly one action. */
static int event(loader* L, struct fy_node* item, mark im, size_t idx,
                 truce__event* out, size_t* nout, size_t cap) {
  char path[64];
  snprintf(path, sizeof path, "events[%zu]", idx);
  if (!fy_node_is_mapping(item))
    return perr(L, TRUCE_EINVAL, im,
                "wrong type for '%s': found %s; expected a mapping with day "
                "or date and one of set, offensive, mobilisation, crisis, "
                "block, package, enter, exit",
                path, truce__yaml_kind(item));
  static const char* const keys[] = {
      "day",  "date",   "set",  "offensive", "mobilisation", "crisis",
      "block", "enter", "exit", "package",   "name",         "note",
      "source", "claimant"};
  int day = -1;
  struct fy_node *action = NULL;
  char action_key[64] = "";
  mark am = im;
  void* it = NULL;
  struct fy_node_pair* pr;
  while ((pr = fy_node_mapping_iterate(item, &it))) {
    char key[64];
    struct fy_node* v = fy_node_pair_value(pr);
    mark km = truce__yaml_mark(fy_node_pair_key(pr), im);
    truce__yaml_text(fy_node_pair_key(pr), key, sizeof key);
    char kpath[128];
    snprintf(kpath, sizeof kpath, "%s.%s", path, key);
    if (!strcmp(key, "day") || !strcmp(key, "date")) {
      if (day >= 0)
        return perr(L, TRUCE_EINVAL, km,
                    "'%s' has both day and date; expected exactly one", path);
      if (!strcmp(key, "day")) {
        static const truce__field df = {"day", TRUCE_FK_NUM, 0, 0, 100000,
                                        TRUCE_F_INT, 0, NULL,
                                        "a whole day number >= 0"};
        double d;
        int rc = get_number(L, v, km, kpath, &df, &d);
        if (rc) return rc;
        day = (int)d;
      } else {
        char ds[32];
        int rc = get_string(L, v, km, kpath, ds, sizeof ds);
        if (rc) return rc;
        if (!truce__date_valid(ds))
          return perr(L, TRUCE_EINVAL, truce__yaml_mark(v, km),
                      "bad date '%s' in '%s'; expected YYYY-MM-DD", ds, path);
        if (!L->sc->start[0])
          return perr(L, TRUCE_EINVAL, truce__yaml_mark(v, km),
                      "'%s' gives a date but the scenario has no 'start'; "
                      "expected a start date or a day number",
                      path);
        long d = truce__date_to_days(ds) - truce__date_to_days(L->sc->start);
        if (d < 0)
          return perr(L, TRUCE_EINVAL, truce__yaml_mark(v, km),
                      "date %s in '%s' is before the start %s; expected a "
                      "date on or after the start",
                      ds, path, L->sc->start);
        day = (int)d;
      }
    } else if (!strcmp(key, "set") || !strcmp(key, "offensive") ||
               !strcmp(key, "mobilisation") || !strcmp(key, "crisis") ||
               !strcmp(key, "block") || !strcmp(key, "enter") ||
               !strcmp(key, "exit") || !strcmp(key, "package")) {
      if (action)
        return perr(L, TRUCE_EINVAL, km,
                    "'%s' has both '%s' and '%s'; expected exactly one action "
                    "per event",
                    path, action_key, key);
      action = v;
      am = km;
      snprintf(action_key, sizeof action_key, "%s", key);
    } else if (!strcmp(key, "name") || !strcmp(key, "note") ||
               !strcmp(key, "source") || !strcmp(key, "claimant")) {
      if (!fy_node_is_scalar(v))
        return perr(L, TRUCE_EINVAL, truce__yaml_mark(v, km),
                    "wrong type for '%s': found %s; expected a string", kpath,
                    truce__yaml_kind(v));
    } else {
      const char* sg = truce__suggest(key, keys, 14);
      return perr(L, TRUCE_EINVAL, km,
                  "unknown key '%s' in '%s'%s%s%s; expected day or date, one "
                  "of set, offensive, mobilisation, crisis, block, package, "
                  "enter, exit, and optional name, note, source, claimant",
                  key, path, sg ? " (did you mean '" : "", sg ? sg : "",
                  sg ? "'?)" : "");
    }
  }
  if (day < 0)
    return perr(L, TRUCE_EINVAL, im,
                "'%s' has no day or date; expected one of them", path);
  if (!action)
    return perr(L, TRUCE_EINVAL, im,
                "'%s' has no action; expected one of set, offensive, "
                "mobilisation, crisis, block, package, enter, exit",
                path);
  if (!fy_node_is_mapping(action))
    return perr(L, TRUCE_EINVAL, truce__yaml_mark(action, am),
                "wrong type for '%s.%s': found %s; expected a mapping", path,
                action_key, truce__yaml_kind(action));
  if (!strcmp(action_key, "set")) {
    it = NULL;
    while ((pr = fy_node_mapping_iterate(action, &it))) {
      char key[200];
      mark km = truce__yaml_mark(fy_node_pair_key(pr), am);
      truce__yaml_text(fy_node_pair_key(pr), key, sizeof key);
      const truce__field* f;
      size_t off;
      if (truce__scenario_resolve(L->ctx, L->sc, key, &f, &off))
        return perr(L, TRUCE_EINVAL, km, "in '%s.set': %s", path,
                    truce_ctx_message(L->ctx));
      if (truce__is_nego_offset(off))
        return perr(L, TRUCE_EINVAL, km,
                    "'%s' is a negotiation number, fixed for a run; expected "
                    "a rate or coefficient of the war (set it with --set or "
                    "give it a range to vary it between runs)",
                    key);
      if (f->flags & TRUCE_F_INIT)
        return perr(L, TRUCE_EINVAL, km,
                    "'%s' is an initial condition and cannot change during a "
                    "run; expected a rate or coefficient (add people with a "
                    "mobilisation event)",
                    key);
      size_t lo = offsetof(truce__model, params);
      if (off < lo || off >= lo + sizeof(truce__params))
        return perr(L, TRUCE_EINVAL, km,
                    "'%s' cannot change during a run; expected a parameter "
                    "under sides, combat or front",
                    key);
      if (*nout == cap)
        return perr(L, TRUCE_EINVAL, km, "too many event actions");
      truce__event* e = &out[(*nout)++];
      memset(e, 0, sizeof *e);
      e->day = day;
      e->kind = TRUCE_EV_SET;
      e->off = off - lo;
      char full[320];
      snprintf(full, sizeof full, "%s.set.%s", path, key);
      int rc = get_number(L, fy_node_pair_value(pr), km, full, f, &e->value);
      if (rc) return rc;
    }
    return 0;
  }
  if (!strcmp(action_key, "crisis") || !strcmp(action_key, "block") ||
      !strcmp(action_key, "enter") || !strcmp(action_key, "exit") ||
      !strcmp(action_key, "package"))
    return backer_event(L, action, am, path, action_key, day, out, nout, cap);
  /* offensive / mobilisation: a side and a few numbers. */
  bool off_ = !strcmp(action_key, "offensive");
  static const truce__field of[] = {
      {"intensity", TRUCE_FK_NUM, offsetof(truce__event, intensity), 0, 1000,
       0, 1, NULL, "a multiplier on fire >= 0"},
      {"duration_days", TRUCE_FK_NUM, offsetof(truce__event, duration_days), 1,
       100000, TRUCE_F_INT | TRUCE_F_REQ, 0, NULL,
       "a whole number of days >= 1"},
  };
  static const truce__field mf[] = {
      {"pool", TRUCE_FK_NUM, offsetof(truce__event, pool_add), 0, 1e9, 0, 0,
       NULL, "people added to the mobilisable pool, >= 0"},
      {"recruits_per_month", TRUCE_FK_NUM,
       offsetof(truce__event, recruits_per_month), 0, 1e8, 0, -1, NULL,
       "a number of recruits per month >= 0"},
  };
  const truce__field* t = off_ ? of : mf;
  if (*nout == cap) return perr(L, TRUCE_EINVAL, am, "too many events");
  truce__event* e = &out[(*nout)++];
  memset(e, 0, sizeof *e);
  e->day = day;
  e->kind = off_ ? TRUCE_EV_OFFENSIVE : TRUCE_EV_MOBILISATION;
  e->side = -1;
  for (int i = 0; i < 2; i++) *(double*)((char*)e + t[i].off) = t[i].dflt;
  bool seen[2] = {false, false};
  it = NULL;
  while ((pr = fy_node_mapping_iterate(action, &it))) {
    char key[64], full[256];
    mark km = truce__yaml_mark(fy_node_pair_key(pr), am);
    struct fy_node* v = fy_node_pair_value(pr);
    truce__yaml_text(fy_node_pair_key(pr), key, sizeof key);
    snprintf(full, sizeof full, "%s.%s.%s", path, action_key, key);
    if (!strcmp(key, "side")) {
      char id[64];
      int rc = get_string(L, v, km, full, id, sizeof id);
      if (rc) return rc;
      for (int i = 0; i < 2; i++)
        if (!strcmp(id, L->sc->side_id[i])) e->side = i;
      if (e->side < 0) {
        const char* ids[2] = {L->sc->side_id[0], L->sc->side_id[1]};
        const char* sg = truce__suggest(id, ids, 2);
        return perr(L, TRUCE_EINVAL, truce__yaml_mark(v, km),
                    "reference to an unknown side '%s' in '%s'%s%s%s; "
                    "expected '%s' or '%s'",
                    id, full, sg ? " (did you mean '" : "", sg ? sg : "",
                    sg ? "'?)" : "", ids[0], ids[1]);
      }
      continue;
    }
    const truce__field* f = truce__field_find(t, 2, key);
    if (!f)
      return perr(L, TRUCE_EINVAL, km,
                  "unknown key '%s' in '%s.%s'; expected side, %s or %s", key,
                  path, action_key, t[0].key, t[1].key);
    double val;
    int rc = get_number(L, v, km, full, f, &val);
    if (rc) return rc;
    *(double*)((char*)e + f->off) = val;
    seen[f - t] = true;
  }
  if (e->side < 0)
    return perr(L, TRUCE_EINVAL, am,
                "missing required field '%s.%s.side'; expected a side id",
                path, action_key);
  for (int i = 0; i < 2; i++)
    if ((t[i].flags & TRUCE_F_REQ) && !seen[i])
      return perr(L, TRUCE_EINVAL, am,
                  "missing required field '%s.%s.%s'; expected %s", path,
                  action_key, t[i].key, t[i].expect);
  return 0;
}

static int cmp_event(const void* a, const void* b) {
  const truce__event *x = a, *y = b;
  if (x->day != y->day) return x->day < y->day ? -1 : 1;
  return 0;
}

static int events(loader* L, struct fy_node* v, mark km) {
  if (!fy_node_is_sequence(v))
    return perr(L, TRUCE_EINVAL, truce__yaml_mark(v, km),
                "wrong type for 'events': found %s; expected a list of events",
                truce__yaml_kind(v));
  /* Upper bound on actions: each event gives one, a set gives one per key. */
  size_t cap = 0;
  void* it = NULL;
  struct fy_node* item;
  while ((item = fy_node_sequence_iterate(v, &it))) {
    cap++;
    if (fy_node_is_mapping(item)) cap += (size_t)fy_node_mapping_item_count(item);
    mark dm = km;
    struct fy_node* s = fy_node_is_mapping(item) ? truce__yaml_lookup(item, "set", &dm) : NULL;
    if (s && fy_node_is_mapping(s)) cap += (size_t)fy_node_mapping_item_count(s);
  }
  truce__event* ev = truce__calloc(L->ctx, cap ? cap : 1, sizeof *ev);
  if (!ev) return TRUCE_ENOMEM;
  L->sc->model.events = ev;
  size_t n = 0, idx = 0;
  it = NULL;
  while ((item = fy_node_sequence_iterate(v, &it))) {
    int rc = event(L, item, truce__yaml_mark(item, km), idx++, ev, &n, cap);
    L->sc->model.n_events = n;
    if (rc) return rc;
  }
  /* Stable sort by day: insertion sort keeps file order within a day. */
  for (size_t i = 1; i < n; i++) {
    truce__event x = ev[i];
    size_t j = i;
    while (j > 0 && cmp_event(&ev[j - 1], &x) > 0) {
      ev[j] = ev[j - 1];
      j--;
    }
    ev[j] = x;
  }
  return 0;
}

/* ------------------------------------------------------- Negotiation */

static int issue_index(const truce__nego* n, const char* name) {
  for (int k = 0; k < n->n_issues; k++)
    if (!strcmp(n->issue[k].name, name)) return k;
  return -1;
}

static int option_index(const truce__issue* is, const char* name) {
  for (int o = 0; o < is->n_options; o++)
    if (!strcmp(is->option[o], name)) return o;
  return -1;
}

static int nego_issues(loader* L, truce__nego* n, struct fy_node* v,
                       mark km) {
  static const char* const ik[] = {"options", "status_quo", "note"};
  if (!fy_node_is_mapping(v))
    return perr(L, TRUCE_EINVAL, truce__yaml_mark(v, km), "wrong type for "
                "'negotiation.issues'; expected a mapping of issue names");
  void* it = NULL;
  struct fy_node_pair* pr;
  while ((pr = fy_node_mapping_iterate(v, &it))) {
    mark m = truce__yaml_mark(fy_node_pair_key(pr), km);
    if (n->n_issues == TRUCE_MAX_ISSUES)
      return perr(L, TRUCE_EINVAL, m, "too many issues; expected at most %d "
                  "besides territory", TRUCE_MAX_ISSUES);
    truce__issue* is = &n->issue[n->n_issues];
    char path[96];
    truce__yaml_text(fy_node_pair_key(pr), is->name, sizeof is->name);
    if (!strcmp(is->name, "territory"))
      return perr(L, TRUCE_EINVAL, m, "'territory' is the continuous issue "
                  "and needs no entry; expected the discrete issues only");
    snprintf(path, sizeof path, "negotiation.issues.%s", is->name);
    struct fy_node* iv = fy_node_pair_value(pr);
    int rc = nkeys(L, iv, m, path, ik, 3);
    if (rc) return rc;
    mark om = m, sm = m;
    struct fy_node* opts = truce__yaml_lookup(iv, "options", &om);
    if (!opts || !fy_node_is_sequence(opts) ||
        fy_node_sequence_item_count(opts) < 2 ||
        fy_node_sequence_item_count(opts) > TRUCE_MAX_OPTIONS)
      return perr(L, TRUCE_EINVAL, opts ? truce__yaml_mark(opts, om) : m,
                  "'%s.options' must list 2 to %d option names", path,
                  TRUCE_MAX_OPTIONS);
    void* i2 = NULL;
    struct fy_node* on;
    while ((on = fy_node_sequence_iterate(opts, &i2))) {
      char* dst = is->option[is->n_options];
      if (!truce__yaml_text(on, dst, TRUCE_NAME_MAX) || !dst[0])
        return perr(L, TRUCE_EINVAL, truce__yaml_mark(on, om), "an option of "
                    "'%s' is not a name", path);
      if (option_index(is, dst) >= 0)
        return perr(L, TRUCE_EINVAL, truce__yaml_mark(on, om), "duplicate "
                    "option '%s' in '%s'", dst, path);
      is->n_options++;
    }
    struct fy_node* sq = truce__yaml_lookup(iv, "status_quo", &sm);
    char t[TRUCE_NAME_MAX] = "";
    if (!sq || !truce__yaml_text(sq, t, sizeof t) ||
        (is->status_quo = option_index(is, t)) < 0)
      return perr(L, TRUCE_EINVAL, sq ? truce__yaml_mark(sq, sm) : m,
                  "'%s.status_quo' must name one of its options (what holds "
                  "while the war goes on)", path);
    n->n_issues++;
  }
  return 0;
}

static int nego_side(loader* L, truce__nego* n, int s, struct fy_node* v,
                     mark km) {
  static const char* const sk[] = {
      "weights",   "values",   "cost_per_year",  "cost_per_100k_casualties",
      "discount_per_year", "optimism", "prior_sd", "bargaining_power",
      "decree",    "note"};
  char path[96];
  snprintf(path, sizeof path, "negotiation.sides.%s", L->sc->side_id[s]);
  int rc = nkeys(L, v, km, path, sk, 10);
  if (rc) return rc;
  truce__nego_side* ns = &n->side[s];
  ns->discount_per_year = 0.05;
  ns->prior_sd = 0.5;
  ns->power = 0.5;
  void* it = NULL;
  struct fy_node_pair* pr;
  bool has_w = false, has_v = false;
  while ((pr = fy_node_mapping_iterate(v, &it))) {
    char key[64], sub[160];
    struct fy_node* val = fy_node_pair_value(pr);
    mark m = truce__yaml_mark(fy_node_pair_key(pr), km);
    truce__yaml_text(fy_node_pair_key(pr), key, sizeof key);
    snprintf(sub, sizeof sub, "%s.%s", path, key);
    if (!strcmp(key, "weights")) {
      has_w = true;
      if (!fy_node_is_mapping(val))
        return perr(L, TRUCE_EINVAL, truce__yaml_mark(val, m), "wrong type "
                    "for '%s'; expected issue: weight", sub);
      void* i2 = NULL;
      struct fy_node_pair* p2;
      double sum = 0;
      while ((p2 = fy_node_mapping_iterate(val, &i2))) {
        char is[64], full[256];
        mark im = truce__yaml_mark(fy_node_pair_key(p2), m);
        truce__yaml_text(fy_node_pair_key(p2), is, sizeof is);
        snprintf(full, sizeof full, "%s.%s", sub, is);
        int k = issue_index(n, is);
        double* dst = !strcmp(is, "territory") ? &ns->w_territory
                      : k >= 0                 ? &ns->w[k]
                                               : NULL;
        if (!dst)
          return perr(L, TRUCE_EINVAL, im, "unknown issue '%s' in '%s'; "
                      "expected territory or an issue listed under "
                      "negotiation.issues", is, sub);
        if ((rc = nnum(L, fy_node_pair_value(p2), im, full, 0, 1, false,
                       dst)))
          return rc;
        sum += *dst;
      }
      if (fabs(sum - 1) > 1e-9)
        return perr(L, TRUCE_EINVAL, m, "the weights in '%s' sum to %g; "
                    "expected them to sum to 1", sub, sum);
    } else if (!strcmp(key, "values")) {
      has_v = true;
      if (!fy_node_is_mapping(val))
        return perr(L, TRUCE_EINVAL, truce__yaml_mark(val, m), "wrong type "
                    "for '%s'; expected issue: {option: value}", sub);
      void* i2 = NULL;
      struct fy_node_pair* p2;
      while ((p2 = fy_node_mapping_iterate(val, &i2))) {
        char is[64];
        mark im = truce__yaml_mark(fy_node_pair_key(p2), m);
        truce__yaml_text(fy_node_pair_key(p2), is, sizeof is);
        int k = issue_index(n, is);
        if (k < 0)
          return perr(L, TRUCE_EINVAL, im, "unknown issue '%s' in '%s'; "
                      "expected an issue listed under negotiation.issues",
                      is, sub);
        struct fy_node* ov = fy_node_pair_value(p2);
        if (!fy_node_is_mapping(ov))
          return perr(L, TRUCE_EINVAL, im, "wrong type for '%s.%s'; "
                      "expected option: value", sub, is);
        bool seen[TRUCE_MAX_OPTIONS] = {false};
        void* i3 = NULL;
        struct fy_node_pair* p3;
        while ((p3 = fy_node_mapping_iterate(ov, &i3))) {
          char on[64], full[300];
          mark om = truce__yaml_mark(fy_node_pair_key(p3), im);
          truce__yaml_text(fy_node_pair_key(p3), on, sizeof on);
          int o = option_index(&n->issue[k], on);
          if (o < 0)
            return perr(L, TRUCE_EINVAL, om, "unknown option '%s' of issue "
                        "'%s'", on, is);
          snprintf(full, sizeof full, "%s.%s.%s", sub, is, on);
          if ((rc = nnum(L, fy_node_pair_value(p3), om, full, 0, 1, false,
                         &ns->value[k][o])))
            return rc;
          seen[o] = true;
        }
        for (int o = 0; o < n->issue[k].n_options; o++)
          if (!seen[o])
            return perr(L, TRUCE_EINVAL, im, "'%s.%s' has no value for "
                        "option '%s'; expected one per option", sub, is,
                        n->issue[k].option[o]);
      }
    } else if (!strcmp(key, "decree")) {
      static const char* const dk[] = {"audience_cost", "lifted_day", "note",
                                       "source", "claimant", "date"};
      if ((rc = nkeys(L, val, m, sub, dk, 6))) return rc;
      ns->has_decree = true;
      ns->decree_lifted_day = 1 << 30;
      mark am = m, lm = m;
      struct fy_node* a = truce__yaml_lookup(val, "audience_cost", &am);
      struct fy_node* l = truce__yaml_lookup(val, "lifted_day", &lm);
      char full[200];
      snprintf(full, sizeof full, "%s.audience_cost", sub);
      if (!a)
        return perr(L, TRUCE_EINVAL, m, "'%s' needs audience_cost", sub);
      if ((rc = nnum(L, a, am, full, 0, 10, false, &ns->audience_cost)))
        return rc;
      if (l) {
        double d;
        snprintf(full, sizeof full, "%s.lifted_day", sub);
        if ((rc = nnum(L, l, lm, full, 0, 100000, true, &d))) return rc;
        ns->decree_lifted_day = (int)d;
      }
    } else if (!strcmp(key, "note")) {
      continue;
    } else { /* a number that may be uncertain (drawn per run) */
      const truce__field* f = truce__field_find(
          truce__nego_side_fields, truce__n_nego_side_fields, key);
      size_t off = truce__nego_side_base((size_t)s) + f->off;
      if ((rc = get_uncertain(L, val, m, sub, f, off,
                              (double*)((char*)&L->sc->model + off))))
        return rc;
    }
  }
  if (!has_w)
    return perr(L, TRUCE_EINVAL, km, "'%s' needs weights (territory and each "
                "issue, summing to 1)", path);
  if (!has_v && n->n_issues > 0)
    return perr(L, TRUCE_EINVAL, km, "'%s' needs values for each issue's "
                "options", path);
  return 0;
}

static int negotiation(loader* L, struct fy_node* v, mark km) {
  static const char* const nk[] = {
      "decision_every_days", "projection_days", "observation_noise",
      "territory_per_log_ratio", "contested_share", "ripeness", "issues",
      "sides", "guarantee", "note"};
  truce__nego* n = &L->sc->model.params.nego;
  int rc = nkeys(L, v, km, "negotiation", nk, 10);
  if (rc) return rc;
  n->present = true;
  n->every = 7;
  n->projection = 365;
  n->noise = 0.5;
  n->sensitivity = 0.1;
  n->ripe_p = 0.2;
  n->ripe_cost = 0.05;
  n->contested = 1;
  mark m;
  double d;
#define NUM_OPT(key, lo, hi, integer, dst)                                  \
  m = km;                                                                   \
  if (truce__yaml_lookup(v, key, &m)) {                                                 \
    if ((rc = nnum(L, truce__yaml_lookup(v, key, &m), m, "negotiation." key, lo, hi,   \
                   integer, &d)))                                           \
      return rc;                                                            \
    dst = d;                                                                \
  }
  NUM_OPT("decision_every_days", 1, 365, true, n->every);
  NUM_OPT("projection_days", 1, 36500, true, n->projection);
  for (size_t k = 0; k < truce__n_nego_fields; k++) { /* may be uncertain */
    const truce__field* f = &truce__nego_fields[k];
    char full[96];
    snprintf(full, sizeof full, "negotiation.%s", f->key);
    m = km;
    struct fy_node* x = truce__yaml_lookup(v, f->key, &m);
    if (x && (rc = get_uncertain(L, x, m, full, f, f->off,
                                 (double*)((char*)&L->sc->model + f->off))))
      return rc;
  }
#undef NUM_OPT
  m = km;
  struct fy_node* rp = truce__yaml_lookup(v, "ripeness", &m);
  if (rp) {
    static const char* const rk[] = {"decisive_probability", "cost_per_year"};
    if ((rc = nkeys(L, rp, m, "negotiation.ripeness", rk, 2))) return rc;
    mark m2 = m;
    struct fy_node* x = truce__yaml_lookup(rp, "decisive_probability", &m2);
    if (x && (rc = nnum(L, x, m2, "negotiation.ripeness.decisive_probability",
                        0, 1, false, &n->ripe_p)))
      return rc;
    m2 = m;
    x = truce__yaml_lookup(rp, "cost_per_year", &m2);
    if (x && (rc = nnum(L, x, m2, "negotiation.ripeness.cost_per_year", 0, 10,
                        false, &n->ripe_cost)))
      return rc;
  }
  m = km;
  struct fy_node* is = truce__yaml_lookup(v, "issues", &m);
  if (is && (rc = nego_issues(L, n, is, m))) return rc;
  m = km;
  struct fy_node* sd = truce__yaml_lookup(v, "sides", &m);
  if (!sd || !fy_node_is_mapping(sd))
    return perr(L, TRUCE_EINVAL, sd ? truce__yaml_mark(sd, m) : km,
                "'negotiation.sides' must give each side's weights, values "
                "and costs");
  bool seen[2] = {false, false};
  void* it = NULL;
  struct fy_node_pair* pr;
  while ((pr = fy_node_mapping_iterate(sd, &it))) {
    char id[64];
    mark im = truce__yaml_mark(fy_node_pair_key(pr), m);
    truce__yaml_text(fy_node_pair_key(pr), id, sizeof id);
    int s = side_index(L, id);
    if (s < 0)
      return perr(L, TRUCE_EINVAL, im, "reference to an unknown side '%s' in "
                  "'negotiation.sides'; expected '%s' or '%s'", id,
                  L->sc->side_id[0], L->sc->side_id[1]);
    if ((rc = nego_side(L, n, s, fy_node_pair_value(pr), im))) return rc;
    seen[s] = true;
  }
  for (int s = 0; s < 2; s++)
    if (!seen[s])
      return perr(L, TRUCE_EINVAL, m, "missing required field "
                  "'negotiation.sides.%s'", L->sc->side_id[s]);
  m = km;
  struct fy_node* g = truce__yaml_lookup(v, "guarantee", &m);
  if (g) {
    static const char* const gk[] = {"issue",  "option", "credibility",
                                      "full_value", "note", "source",
                                      "claimant"};
    if ((rc = nkeys(L, g, m, "negotiation.guarantee", gk, 7))) return rc;
    char t[64] = "";
    mark m2 = m;
    struct fy_node* x = truce__yaml_lookup(g, "issue", &m2);
    if (!x || !truce__yaml_text(x, t, sizeof t) ||
        (n->g_issue = issue_index(n, t)) < 0)
      return perr(L, TRUCE_EINVAL, x ? truce__yaml_mark(x, m2) : m,
                  "'negotiation.guarantee.issue' must name a discrete issue");
    m2 = m;
    x = truce__yaml_lookup(g, "option", &m2);
    if (!x || !truce__yaml_text(x, t, sizeof t) ||
        (n->g_option = option_index(&n->issue[n->g_issue], t)) < 0)
      return perr(L, TRUCE_EINVAL, x ? truce__yaml_mark(x, m2) : m,
                  "'negotiation.guarantee.option' must name an option of "
                  "'%s'", n->issue[n->g_issue].name);
    m2 = m;
    x = truce__yaml_lookup(g, "credibility", &m2);
    const truce__field* cf = &truce__guarantee_credibility_field;
    if (!x || (rc = get_uncertain(L, x, m2, "negotiation.guarantee.credibility",
                                  cf, cf->off, &n->g_credibility)))
      return rc ? rc : perr(L, TRUCE_EINVAL, m, "'negotiation.guarantee' "
                            "needs credibility (0 to 1)");
    m2 = m;
    x = truce__yaml_lookup(g, "full_value", &m2);
    if (!x || !fy_node_is_mapping(x))
      return perr(L, TRUCE_EINVAL, m, "'negotiation.guarantee' needs "
                  "full_value: {side: value of a fully credible guarantee}");
    void* i2 = NULL;
    while ((pr = fy_node_mapping_iterate(x, &i2))) {
      char id[64], full[160];
      mark im = truce__yaml_mark(fy_node_pair_key(pr), m2);
      truce__yaml_text(fy_node_pair_key(pr), id, sizeof id);
      int s = side_index(L, id);
      if (s < 0)
        return perr(L, TRUCE_EINVAL, im, "reference to an unknown side '%s' "
                    "in 'negotiation.guarantee.full_value'", id);
      snprintf(full, sizeof full, "negotiation.guarantee.full_value.%s", id);
      if ((rc = nnum(L, fy_node_pair_value(pr), im, full, -1, 1, false,
                     &n->g_full[s])))
        return rc;
    }
    n->has_guarantee = true;
  }
  return 0;
}

/* The stakeholders section: links from a group's predicted position to a
 * number of the scenario (applied by truce_stake_apply). */
static int stakeholders(loader* L, struct fy_node* v, mark km) {
  if (!fy_node_is_sequence(v))
    return perr(L, TRUCE_EINVAL, truce__yaml_mark(v, km),
                "wrong type for 'stakeholders': found %s; expected a list",
                truce__yaml_kind(v));
  truce_scenario* sc = L->sc;
  size_t n = (size_t)fy_node_sequence_item_count(v);
  sc->links = truce__calloc(L->ctx, n ? n : 1, sizeof *sc->links);
  if (!sc->links) return TRUCE_ENOMEM;
  void* it = NULL;
  struct fy_node* item;
  static const char* const keys[] = {"name", "file", "model", "dimension",
                                     "sets", "from", "to", "note", "source"};
  while ((item = fy_node_sequence_iterate(v, &it))) {
    size_t idx = sc->n_links;
    mark im = truce__yaml_mark(item, km);
    truce_stake_link* l = &sc->links[sc->n_links++];
    l->line = im.line;
    l->column = im.col;
    l->from[0] = 0;
    l->from[1] = 100;
    char path[64];
    snprintf(path, sizeof path, "stakeholders[%zu]", idx);
    if (!fy_node_is_mapping(item))
      return perr(L, TRUCE_EINVAL, im, "wrong type for '%s': found %s; "
                  "expected a mapping with file, dimension, sets and to",
                  path, truce__yaml_kind(item));
    bool has_to = false;
    void* i2 = NULL;
    struct fy_node_pair* pr;
    while ((pr = fy_node_mapping_iterate(item, &i2))) {
      char key[64], text[512];
      struct fy_node* val = fy_node_pair_value(pr);
      mark kmk = truce__yaml_mark(fy_node_pair_key(pr), im);
      truce__yaml_text(fy_node_pair_key(pr), key, sizeof key);
      const char** dst = NULL;
      if (!strcmp(key, "name")) dst = &l->name;
      else if (!strcmp(key, "file")) dst = &l->file;
      else if (!strcmp(key, "model")) dst = &l->model;
      else if (!strcmp(key, "dimension")) dst = &l->dimension;
      else if (!strcmp(key, "sets")) dst = &l->path;
      else if (!strcmp(key, "from") || !strcmp(key, "to")) {
        double* two = key[0] == 'f' ? l->from : l->to;
        if (!fy_node_is_sequence(val) || fy_node_sequence_item_count(val) != 2)
          return perr(L, TRUCE_EINVAL, truce__yaml_mark(val, kmk),
                      "wrong type for '%s.%s'; expected [low, high]", path,
                      key);
        void* i3 = NULL;
        for (int q = 0; q < 2; q++) {
          struct fy_node* x = fy_node_sequence_iterate(val, &i3);
          char t[64];
          if (!truce__yaml_text(x, t, sizeof t) ||
              truce__parse_number(t, &two[q]))
            return perr(L, TRUCE_EINVAL, truce__yaml_mark(x, kmk),
                        "wrong type for '%s.%s[%d]'; expected a number",
                        path, key, q);
        }
        if (key[0] == 't') has_to = true;
        continue;
      } else if (!strcmp(key, "note") || !strcmp(key, "source")) {
        continue;
      } else {
        const char* sg = truce__suggest(key, keys, 9);
        return perr(L, TRUCE_EINVAL, kmk,
                    "unknown key '%s' in '%s'%s%s%s; expected name, file, "
                    "model, dimension, sets, from, to, note or source",
                    key, path, sg ? " (did you mean '" : "", sg ? sg : "",
                    sg ? "'?)" : "");
      }
      if (!truce__yaml_text(val, text, sizeof text) || !text[0])
        return perr(L, TRUCE_EINVAL, truce__yaml_mark(val, kmk),
                    "wrong type for '%s.%s'; expected a string", path, key);
      char full[1200];
      if (dst == &l->file && text[0] != '/') { /* relative to the file */
        const char* slash = strrchr(L->file, '/');
        snprintf(full, sizeof full, "%.*s%s",
                 slash ? (int)(slash - L->file + 1) : 0, L->file, text);
      } else {
        snprintf(full, sizeof full, "%s", text);
      }
      if (dst == &l->model && strcmp(text, "compromise") &&
          strcmp(text, "median") && strcmp(text, "challenge") &&
          strcmp(text, "pce"))
        return perr(L, TRUCE_EINVAL, truce__yaml_mark(val, kmk),
                    "unknown model '%s'; expected compromise, median, "
                    "challenge or pce", text);
      if (dst == &l->path) {
        const truce__field* f;
        size_t off;
        if (truce__scenario_resolve(L->ctx, sc, text, &f, &off))
          return perr(L, TRUCE_EINVAL, truce__yaml_mark(val, kmk), "in "
                      "'%s.sets': %s", path, truce_ctx_message(L->ctx));
      }
      truce__strfree(L->ctx, (char*)*dst);
      if (!(*dst = truce__strdup(L->ctx, full))) return TRUCE_ENOMEM;
    }
    if (!l->file || !l->path || !l->dimension || !has_to)
      return perr(L, TRUCE_EINVAL, im, "'%s' needs file, dimension, sets "
                  "and to", path);
    if (!(l->from[0] != l->from[1]))
      return perr(L, TRUCE_EINVAL, im, "'%s.from' is empty; expected "
                  "[low, high] with low != high", path);
    if (!l->model && !(l->model = truce__strdup(L->ctx, "compromise")))
      return TRUCE_ENOMEM;
    if (!l->name && !(l->name = truce__strdup(L->ctx, l->path)))
      return TRUCE_ENOMEM;
  }
  return 0;
}

typedef struct {
  bool coef_seen[2], terr_seen[2];
} top_user;

static int top_special(loader* L, const char* rel, struct fy_node* v, mark km,
                       void* user) {
  top_user* u = user;
  truce_scenario* sc = L->sc;
  if (!strcmp(rel, "sides") || !strcmp(rel, "truce") ||
      !strcmp(rel, "ranges") || !strcmp(rel, "backers"))
    return 0; /* read first */
  if (!strcmp(rel, "name")) {
    char buf[256];
    int rc = get_string(L, v, km, "name", buf, sizeof buf);
    if (rc) return rc;
    truce__strfree(L->ctx, sc->name);
    sc->name = truce__strdup(L->ctx, buf);
    return sc->name ? 0 : TRUCE_ENOMEM;
  }
  if (!strcmp(rel, "start")) {
    char buf[32];
    int rc = get_string(L, v, km, "start", buf, sizeof buf);
    if (rc) return rc;
    if (!truce__date_valid(buf))
      return perr(L, TRUCE_EINVAL, truce__yaml_mark(v, km),
                  "bad date '%s' for 'start'; expected YYYY-MM-DD", buf);
    memcpy(sc->start, buf, 11);
    return 0;
  }
  if (!strcmp(rel, "seed")) {
    char buf[64];
    mark vm = truce__yaml_mark(v, km);
    if (!truce__yaml_text(v, buf, sizeof buf) || !*buf ||
        strspn(buf, "0123456789") != strlen(buf) || strlen(buf) > 20)
      return perr(L, TRUCE_EINVAL, vm,
                  "bad seed '%s'; expected a whole number from 0 to "
                  "18446744073709551615",
                  buf);
    errno = 0;
    unsigned long long s = strtoull(buf, NULL, 10);
    if (errno == ERANGE)
      return perr(L, TRUCE_EINVAL, vm,
                  "seed %s is too large; expected at most "
                  "18446744073709551615",
                  buf);
    sc->model.seed = s;
    return 0;
  }
  if (!strcmp(rel, "combat")) {
    unsigned char seen[16] = {0};
    static const char* const sp[] = {"coefficients"};
    int rc = walk(L, v, km, truce__combat_fields, truce__n_combat_fields, 0,
                  NULL, "combat", seen, sp, 1, combat_special, u->coef_seen);
    if (rc) return rc;
    rc = check_required(L, km, truce__combat_fields, truce__n_combat_fields,
                        seen, "combat");
    if (rc) return rc;
    for (int i = 0; i < 2; i++)
      if (!u->coef_seen[i])
        return perr(L, TRUCE_EINVAL, km,
                    "missing required field 'combat.coefficients.%s'; "
                    "expected %s",
                    sc->side_id[i], truce__coefficient_field.expect);
    return 0;
  }
  if (!strcmp(rel, "front")) {
    unsigned char seen[16] = {0};
    static const char* const sp[] = {"territory"};
    return walk(L, v, km, truce__front_fields, truce__n_front_fields, 0, NULL,
                "front", seen, sp, 1, front_special, u->terr_seen);
  }
  if (!strcmp(rel, "events")) return events(L, v, km);
  if (!strcmp(rel, "stakeholders")) return stakeholders(L, v, km);
  if (!strcmp(rel, "negotiation")) return negotiation(L, v, km);
  return TRUCE_FAIL(L->ctx, TRUCE_EINTERNAL, "unhandled key %s", rel);
}

/* Report the first unknown top-level key (in file order). */
static int check_keys(loader* L, struct fy_node* root, mark top,
                      const char* const* specials, size_t ns) {
  void* it = NULL;
  struct fy_node_pair* pr;
  while ((pr = fy_node_mapping_iterate(root, &it))) {
    char key[64];
    mark km = truce__yaml_mark(fy_node_pair_key(pr), top);
    if (!truce__yaml_text(fy_node_pair_key(pr), key, sizeof key)) continue;
    bool known =
        truce__field_find(truce__top_fields, truce__n_top_fields, key) != NULL;
    for (size_t i = 0; i < ns; i++)
      if (!strcmp(specials[i], key)) known = true;
    if (known) continue;
    const char* names[32];
    const size_t cap = sizeof names / sizeof *names;
    char list[256] = "";
    size_t n = 0;
    for (size_t i = 0; i < truce__n_top_fields && n < cap; i++)
      names[n++] = truce__top_fields[i].key;
    for (size_t i = 0; i < ns && n < cap; i++) names[n++] = specials[i];
    for (size_t i = 0; i < n; i++) {
      size_t ll = strlen(list);
      snprintf(list + ll, sizeof list - ll, "%s%s", i ? ", " : "", names[i]);
    }
    const char* sg = truce__suggest(key, names, n);
    if (sg)
      return perr(L, TRUCE_EINVAL, km,
                  "unknown key '%s'; did you mean '%s'? (expected one of: %s)",
                  key, sg, list);
    return perr(L, TRUCE_EINVAL, km, "unknown key '%s'; expected one of: %s",
                key, list);
  }
  return 0;
}

/* ----------------------------------------------------------------- Entry */

int truce__scenario_parse(truce_ctx* ctx, truce_scenario* sc, const char* name,
                          const char* text, size_t len);

int truce__scenario_parse(truce_ctx* ctx, truce_scenario* sc, const char* name,
                          const char* text, size_t len) {
  loader L = {ctx, sc, name, {{1, 1}, {1, 1}}, {1, 1}, {1, 1}};
  mark top = {1, 1};
  size_t i = 0;
  while (i < len && isspace((unsigned char)text[i])) i++;
  if (i == len)
    return perr(&L, TRUCE_EPARSE, top,
                "the file is empty; expected a YAML mapping starting with "
                "'truce: 1'");
  char ymsg[256];
  mark ym;
  struct fy_document* doc = truce__yaml_parse(text, len, &ym, ymsg,
                                              sizeof ymsg);
  int rc = 0;
  if (!doc)
    return perr(&L, TRUCE_EPARSE, ym.line > 0 ? ym : top,
                "malformed YAML: %s; expected valid YAML", ymsg);
  struct fy_node* root = fy_document_root(doc);
  if (!root || !fy_node_is_mapping(root)) {
    rc = perr(&L, TRUCE_EINVAL, truce__yaml_mark(root, top),
              "the document is %s; expected a mapping starting with "
              "'truce: 1'",
              root ? truce__yaml_kind(root) : "empty");
    goto done;
  }
  mark vm = top;
  struct fy_node* ver = truce__yaml_lookup(root, "truce", &vm);
  char vbuf[32];
  if (!ver) {
    rc = perr(&L, TRUCE_EINVAL, top,
              "missing required field 'truce' (the format version); expected "
              "'truce: 1' at the top");
    goto done;
  }
  if (!truce__yaml_text(ver, vbuf, sizeof vbuf) || strcmp(vbuf, "1") != 0) {
    rc = perr(&L, TRUCE_EINVAL, truce__yaml_mark(ver, vm),
              "unsupported format version '%s'; expected 'truce: 1'", vbuf);
    goto done;
  }
  static const char* const specials[] = {
      "truce",  "name",   "start",  "seed",         "sides",
      "combat", "front",  "events", "ranges", "stakeholders", "negotiation",
      "backers"};
  /* Unknown top-level keys first, in file order, before anything else is
   * reported missing. */
  rc = check_keys(&L, root, top, specials, sizeof specials / sizeof *specials);
  if (rc) goto done;
  mark rm = top;
  struct fy_node* rv = truce__yaml_lookup(root, "ranges", &rm);
  if (rv) {
    static const char* const rn[] = {"pert", "uniform", "triangular", "fixed",
                                     NULL};
    char t[32] = "";
    int idx = -1;
    truce__yaml_text(rv, t, sizeof t);
    for (int ri = 0; rn[ri]; ri++)
      if (!strcmp(rn[ri], t)) idx = ri;
    if (idx < 0) {
      const char* sg = truce__suggest(t, rn, 4);
      rc = perr(&L, TRUCE_EINVAL, truce__yaml_mark(rv, rm),
                "unknown value '%s' for 'ranges'%s%s%s; expected pert, "
                "uniform, triangular or fixed",
                t, sg ? " (did you mean '" : "", sg ? sg : "",
                sg ? "'?)" : "");
      goto done;
    }
    sc->ranges = idx;
  }
  mark sm = top;
  struct fy_node* sv = truce__yaml_lookup(root, "sides", &sm);
  if (!sv) {
    rc = perr(&L, TRUCE_EINVAL, top,
              "missing required field 'sides'; expected a list of two sides");
    goto done;
  }
  if ((rc = sides(&L, sv, sm))) goto done;
  mark cm = top;
  if (!truce__yaml_lookup(root, "combat", &cm)) {
    rc = perr(&L, TRUCE_EINVAL, top,
              "missing required field 'combat'; expected a mapping with at "
              "least 'law' and 'coefficients'");
    goto done;
  }
  set_defaults(&L, truce__top_fields, truce__n_top_fields, 0);
  set_defaults(&L, truce__combat_fields, truce__n_combat_fields, 0);
  set_defaults(&L, truce__front_fields, truce__n_front_fields, 0);
  sc->model.params.side[0].territory = truce__territory_field.dflt;
  sc->model.params.side[1].territory = truce__territory_field.dflt;
  sc->model.seed = 1;
  /* The start date first: events may be dated relative to it. */
  mark stm = top;
  struct fy_node* st = truce__yaml_lookup(root, "start", &stm);
  top_user u;
  memset(&u, 0, sizeof u);
  if (st && (rc = top_special(&L, "start", st, stm, &u))) goto done;
  mark bkm = top;
  struct fy_node* bk = truce__yaml_lookup(root, "backers", &bkm);
  if (bk && (rc = backers(&L, bk, bkm))) goto done;
  unsigned char seen[8] = {0};
  rc = walk(&L, root, top, truce__top_fields, truce__n_top_fields, 0, NULL,
            "", seen, specials, 12, top_special, &u);
  if (rc) goto done;
  mark tsm = top;
  if (truce__yaml_lookup(root, "time_step", &tsm)) L.step_mark = tsm;
  char why[300];
  int which = truce__model_check(sc, why, sizeof why);
  if (which) {
    mark m = which <= 2 ? L.share_mark[which - 1]
                        : (which == 3 ? L.terr_mark : L.step_mark);
    rc = perr(&L, TRUCE_EINVAL, m, "%s", why);
  }
done:
  fy_document_destroy(doc);
  return rc;
}
