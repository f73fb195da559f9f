/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The sections of a scenario owned by the scenario module itself: its
 * name, start date, seed and how ranges become distributions, and the
 * sections that define the two belligerents and their fight: sides
 * (personnel, arrivals, equipment), combat (the law and its coefficients)
 * and front. Every other section refers to the sides by id. Read with the
 * loader's generic walk over the schema's field tables (schema.c).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "load.h"

/* ------------------------------------------------------------ Scenario */

int truce__load_name(truce__loader* L, struct fy_node* v, mark km) {
  truce_scenario* sc = L->sc;
  char buf[256];
  int rc = truce__load_string(L, v, km, "name", buf, sizeof buf);
  if (rc) return rc;
  truce__strfree(L->ctx, sc->name);
  sc->name = truce__strdup(L->ctx, buf);
  return sc->name ? 0 : TRUCE_ENOMEM;
}

int truce__load_name_field(truce__loader* L, struct fy_node* v, mark km,
                           const char* path, char* out) {
  char buf[256];
  int rc = truce__load_string(L, v, km, path, buf, sizeof buf);
  if (rc) return rc;
  if (!*buf || strlen(buf) >= TRUCE_DISPLAY_MAX)
    return truce__load_error(L, TRUCE_EINVAL, truce__yaml_mark(v, km),
                             "bad display name for '%s'; expected a text of "
                             "1 to %d bytes",
                             path, TRUCE_DISPLAY_MAX - 1);
  memcpy(out, buf, strlen(buf) + 1);
  return 0;
}

int truce__load_start(truce__loader* L, struct fy_node* v, mark km) {
  char buf[32];
  int rc = truce__load_string(L, v, km, "start", buf, sizeof buf);
  if (rc) return rc;
  if (!truce__date_valid(buf))
    return truce__load_error(L, TRUCE_EINVAL, truce__yaml_mark(v, km),
                             "bad date '%s' for 'start'; expected YYYY-MM-DD",
                             buf);
  memcpy(L->sc->start, buf, 11);
  return 0;
}

int truce__load_seed(truce__loader* L, struct fy_node* v, mark km) {
  char buf[64];
  mark vm = truce__yaml_mark(v, km);
  if (!truce__yaml_text(v, buf, sizeof buf) || !*buf ||
      strspn(buf, "0123456789") != strlen(buf) || strlen(buf) > 20)
    return truce__load_error(L, TRUCE_EINVAL, vm,
                             "bad seed '%s'; expected a whole number from 0 "
                             "to 18446744073709551615",
                             buf);
  errno = 0;
  unsigned long long s = strtoull(buf, NULL, 10);
  if (errno == ERANGE)
    return truce__load_error(L, TRUCE_EINVAL, vm,
                             "seed %s is too large; expected at most "
                             "18446744073709551615",
                             buf);
  L->sc->model.seed = s;
  return 0;
}

/* How provenance ranges become distributions (TRUCE_RANGES_*). */
int truce__load_ranges(truce__loader* L, struct fy_node* v, mark km) {
  static const char* const rn[] = {"pert", "uniform", "triangular", "fixed",
                                   NULL};
  char t[32] = "";
  int idx = -1;
  truce__yaml_text(v, t, sizeof t);
  for (int ri = 0; rn[ri]; ri++)
    if (!strcmp(rn[ri], t)) idx = ri;
  if (idx < 0) {
    const char* sg = truce__suggest(t, rn, 4);
    return truce__load_error(L, TRUCE_EINVAL, truce__yaml_mark(v, km),
                             "unknown value '%s' for 'ranges'%s%s%s; expected "
                             "pert, uniform, triangular or fixed",
                             t, sg ? " (did you mean '" : "", sg ? sg : "",
                             sg ? "'?)" : "");
  }
  L->sc->ranges = idx;
  return 0;
}

/* ------------------------------------------------------------ Sides */

/* Per-side maps keyed by side id (combat.coefficients, front.territory):
 * one entry of the walk (truce__load_entries). */
typedef struct {
  const char* path;
  const truce__field* f;
  bool* seen2;
} side_map_user;

static int side_entry(truce__loader* L, const char* id, mark im,
                      struct fy_node* v, const char* full, void* user) {
  const side_map_user* u = user;
  int s = truce__load_side(L, id);
  if (s < 0) {
    const char* ids[2] = {L->sc->side_id[0], L->sc->side_id[1]};
    const char* sg = truce__suggest(id, ids, 2);
    return truce__load_error(
        L, TRUCE_EINVAL, im,
        "reference to an unknown side '%s' in '%s'%s%s%s; expected "
        "'%s' or '%s'",
        id, u->path, sg ? " (did you mean '" : "", sg ? sg : "",
        sg ? "'?)" : "", ids[0], ids[1]);
  }
  double val;
  size_t off = truce__side_base((size_t)s) + u->f->off;
  int rc = u->f->flags & TRUCE_F_INIT
               ? truce__load_number(L, v, im, full, u->f, &val)
               : truce__load_uncertain(L, v, im, full, u->f, off, &val);
  if (rc) return rc;
  *(double*)((char*)&L->sc->model + off) = val;
  u->seen2[s] = true;
  return 0;
}

static int side_map(truce__loader* L, struct fy_node* v, mark km,
                    const char* path, const truce__field* f, bool* seen2) {
  side_map_user u = {path, f, seen2};
  return truce__load_entries(
      L, v, km, path, "a mapping from side id to a number", side_entry, &u);
}

typedef struct {
  size_t side;
  char path[64];
} side_user;

static int arrivals(truce__loader* L, struct fy_node* v, mark km, size_t s,
                    const char* path) {
  static const truce__field af[] = {
      {"from_day", TRUCE_FK_NUM, offsetof(truce__arrival, from), 0, 1e5,
       TRUCE_F_REQ, 0, NULL, "a day >= 0"},
      {"to_day", TRUCE_FK_NUM, offsetof(truce__arrival, to), 0, 1e5,
       TRUCE_F_REQ, 0, NULL, "a day >= 0, after from_day"},
      {"men", TRUCE_FK_NUM, offsetof(truce__arrival, men), 0, 1e9, TRUCE_F_REQ,
       0, NULL, "a number of soldiers >= 0"},
  };
  if (!fy_node_is_sequence(v))
    return truce__load_error(
        L, TRUCE_EINVAL, truce__yaml_mark(v, km),
        "wrong type for '%s': found %s; expected a list of "
        "{from_day, to_day, men}",
        path, truce__yaml_kind(v));
  void* it = NULL;
  struct fy_node* item;
  size_t k = 0;
  while ((item = fy_node_sequence_iterate(v, &it))) {
    mark im = truce__yaml_mark(item, km);
    if (k == TRUCE_MAX_ARRIVALS)
      return truce__load_error(L, TRUCE_EINVAL, im,
                               "too many arrivals in '%s'; expected "
                               "at most %d",
                               path, TRUCE_MAX_ARRIVALS);
    if (!fy_node_is_mapping(item))
      return truce__load_error(
          L, TRUCE_EINVAL, im,
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
        return truce__load_error(
            L, TRUCE_EINVAL, kmk,
            "unknown key '%s' in '%s'%s%s%s; expected from_day, "
            "to_day or men",
            key, ipath, sg ? " (did you mean '" : "", sg ? sg : "",
            sg ? "'?)" : "");
      }
      snprintf(full, sizeof full, "%s.%s", ipath, key);
      double val;
      int rc =
          truce__load_number(L, fy_node_pair_value(pr), kmk, full, f, &val);
      if (rc) return rc;
      *(double*)((char*)a + f->off) = val;
      seen[f - af] = 1;
    }
    for (int i = 0; i < 3; i++)
      if (!seen[i])
        return truce__load_error(L, TRUCE_EINVAL, im,
                                 "missing required field '%s.%s'; expected %s",
                                 ipath, af[i].key, af[i].expect);
    if (!(a->to > a->from))
      return truce__load_error(
          L, TRUCE_EINVAL, im,
          "'%s' ends (to_day %g) before it starts (from_day %g); "
          "expected to_day > from_day",
          ipath, a->to, a->from);
    k++;
  }
  L->sc->model.n_arrivals[s] = k;
  return 0;
}

/* A side's equipment, at path. */
typedef struct {
  size_t side;
  const char* path;
} equip_user;

/* One equipment class `name: {stock, soldiers_per_item, ...}`. */
static int equip_class(truce__loader* L, const char* name, mark cm,
                       struct fy_node* v, const char* cpath, void* user) {
  const equip_user* u = user;
  size_t s = u->side, k = L->sc->model.n_equip[s];
  if (!truce__load_valid_id(name))
    return truce__load_error(
        L, TRUCE_EINVAL, cm,
        "bad equipment class name '%s'; expected letters, digits, "
        "'_' or '-' (at most %d)",
        name, TRUCE_ID_MAX - 1);
  if (k == TRUCE_MAX_EQUIP)
    return truce__load_error(
        L, TRUCE_EINVAL, cm,
        "too many equipment classes in '%s'; expected at most %d", u->path,
        TRUCE_MAX_EQUIP);
  memcpy(L->sc->equip_name[s][k], name, strlen(name) + 1);
  size_t base = truce__equip_base(s, k);
  unsigned char seen[TRUCE_MAX_FIELDS] = {0};
  truce__load_defaults(L, truce__equip_fields, truce__n_equip_fields, base);
  int rc =
      truce__load_walk(L, v, cm, truce__equip_fields, truce__n_equip_fields,
                       base, NULL, cpath, seen, NULL, 0, NULL, NULL);
  if (rc) return rc;
  rc = truce__load_required(L, cm, truce__equip_fields, truce__n_equip_fields,
                            seen, cpath);
  if (rc) return rc;
  L->sc->model.n_equip[s] = k + 1;
  return 0;
}

static int equipment(truce__loader* L, struct fy_node* v, mark km, size_t s,
                     const char* path) {
  equip_user u = {s, path};
  return truce__load_entries(L, v, km, path,
                             "a mapping from class name to {stock, "
                             "soldiers_per_item, ...}",
                             equip_class, &u);
}

static int side_special(truce__loader* L, const char* rel, struct fy_node* v,
                        mark km, void* user) {
  side_user* u = user;
  char path[160];
  snprintf(path, sizeof path, "%s.%s", u->path, rel);
  if (!strcmp(rel, "id")) return 0; /* read before the walk */
  if (!strcmp(rel, "name"))
    return truce__load_name_field(L, v, km, path, L->sc->side_name[u->side]);
  if (!strcmp(rel, "equipment")) return equipment(L, v, km, u->side, path);
  if (!strcmp(rel, "personnel.arrivals"))
    return arrivals(L, v, km, u->side, path);
  return TRUCE_FAIL(L->ctx, TRUCE_EINTERNAL, "unhandled key %s", rel);
}

int truce__load_sides(truce__loader* L, struct fy_node* v, mark km) {
  if (!fy_node_is_sequence(v))
    return truce__load_error(
        L, TRUCE_EINVAL, truce__yaml_mark(v, km),
        "wrong type for 'sides': found %s; expected a list of two "
        "sides, each with an id",
        truce__yaml_kind(v));
  int count = fy_node_sequence_item_count(v);
  if (count != 2)
    return truce__load_error(
        L, TRUCE_EINVAL, km,
        "'sides' has %d entr%s; expected exactly two belligerents", count,
        count == 1 ? "y" : "ies");
  struct fy_node* items[2];
  mark marks[2];
  void* it = NULL;
  for (int i = 0; i < 2; i++) {
    items[i] = fy_node_sequence_iterate(v, &it);
    marks[i] = truce__yaml_mark(items[i], km);
    if (!fy_node_is_mapping(items[i]))
      return truce__load_error(
          L, TRUCE_EINVAL, marks[i],
          "wrong type for 'sides[%d]': found %s; expected a mapping "
          "with an id",
          i, truce__yaml_kind(items[i]));
    mark im = marks[i];
    struct fy_node* idn = truce__yaml_lookup(items[i], "id", &im);
    if (!idn)
      return truce__load_error(
          L, TRUCE_EINVAL, marks[i],
          "missing required field 'sides[%d].id'; expected a short "
          "name such as 'ua'",
          i);
    char id[64];
    char p[32];
    snprintf(p, sizeof p, "sides[%d].id", i);
    int rc = truce__load_string(L, idn, im, p, id, sizeof id);
    if (rc) return rc;
    if (!truce__load_valid_id(id))
      return truce__load_error(
          L, TRUCE_EINVAL, truce__yaml_mark(idn, im),
          "bad side id '%s'; expected letters, digits, '_' or '-' "
          "(at most %d)",
          id, TRUCE_ID_MAX - 1);
    if (i == 1 && !strcmp(id, L->sc->side_id[0]))
      return truce__load_error(
          L, TRUCE_EINVAL, truce__yaml_mark(idn, im),
          "duplicate side id '%s'; expected two different ids", id);
    memcpy(L->sc->side_id[i], id, strlen(id) + 1);
  }
  static const char* const specials[] = {"id", "name", "equipment",
                                         "personnel.arrivals"};
  for (size_t i = 0; i < 2; i++) {
    side_user u = {i, ""};
    snprintf(u.path, sizeof u.path, "sides.%s", L->sc->side_id[i]);
    size_t base = truce__side_base(i);
    truce__load_defaults(L, truce__side_fields, truce__n_side_fields, base);
    unsigned char seen[TRUCE_MAX_FIELDS] = {0};
    int rc = truce__load_walk(L, items[i], marks[i], truce__side_fields,
                              truce__n_side_fields, base, NULL, u.path, seen,
                              specials, 4, side_special, &u);
    if (rc) return rc;
    rc = truce__load_required(L, marks[i], truce__side_fields,
                              truce__n_side_fields, seen, u.path);
    if (rc) return rc;
    mark pm = marks[i];
    if (truce__yaml_lookup(items[i], "personnel", &pm))
      L->share_mark[i] = pm;
    else
      L->share_mark[i] = marks[i];
  }
  return 0;
}

static int combat_special(truce__loader* L, const char* rel, struct fy_node* v,
                          mark km, void* user) {
  (void)rel;
  return side_map(L, v, km, "combat.coefficients", &truce__coefficient_field,
                  user);
}

static int front_special(truce__loader* L, const char* rel, struct fy_node* v,
                         mark km, void* user) {
  (void)rel;
  L->terr_mark = km;
  return side_map(L, v, km, "front.territory", &truce__territory_field, user);
}

int truce__load_combat(truce__loader* L, struct fy_node* v, mark km) {
  unsigned char seen[TRUCE_MAX_FIELDS] = {0};
  static const char* const sp[] = {"coefficients"};
  int rc = truce__load_walk(L, v, km, truce__combat_fields,
                            truce__n_combat_fields, 0, NULL, "combat", seen, sp,
                            1, combat_special, L->coef_seen);
  if (rc) return rc;
  rc = truce__load_required(L, km, truce__combat_fields, truce__n_combat_fields,
                            seen, "combat");
  if (rc) return rc;
  for (int i = 0; i < 2; i++)
    if (!L->coef_seen[i])
      return truce__load_error(L, TRUCE_EINVAL, km,
                               "missing required field "
                               "'combat.coefficients.%s'; expected %s",
                               L->sc->side_id[i],
                               truce__coefficient_field.expect);
  return 0;
}

int truce__load_front(truce__loader* L, struct fy_node* v, mark km) {
  unsigned char seen[TRUCE_MAX_FIELDS] = {0};
  static const char* const sp[] = {"territory"};
  return truce__load_walk(L, v, km, truce__front_fields, truce__n_front_fields,
                          0, NULL, "front", seen, sp, 1, front_special,
                          L->terr_seen);
}
