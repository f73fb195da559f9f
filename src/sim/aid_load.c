/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The backers section of a scenario and the backers' events (crisis,
 * block, package, enter, exit), read beside the aid model that uses them
 * (aid.c; docs/model.md, "Backers") with the scenario loader's helpers.
 * The backers' numbers are declared in the schema (truce__backer_fields,
 * truce__buy_fields).
 */
#include <stdio.h>
#include <string.h>

#include "../scenario/load.h"
#include "events.h"

static int backer_index(truce__loader* L, const char* id) {
  for (size_t b = 0; b < L->sc->model.n_backers; b++)
    if (!strcmp(L->sc->backer_id[b], id)) return (int)b;
  return -1;
}

static int backer_ref(truce__loader* L, struct fy_node* v, mark km,
                      const char* path, int* out) {
  char id[64];
  int rc = truce__load_string(L, v, km, path, id, sizeof id);
  if (rc) return rc;
  *out = backer_index(L, id);
  if (*out < 0) {
    const char* ids[TRUCE_MAX_BACKERS];
    for (size_t b = 0; b < L->sc->model.n_backers; b++)
      ids[b] = L->sc->backer_id[b];
    const char* sg = truce__suggest(id, ids, L->sc->model.n_backers);
    return truce__load_error(
        L, TRUCE_EINVAL, truce__yaml_mark(v, km),
        "reference to an unknown backer '%s' in '%s'%s%s%s; expected "
        "an id listed under backers",
        id, path, sg ? " (did you mean '" : "", sg ? sg : "", sg ? "'?)" : "");
  }
  return 0;
}

/* crisis {duration_days, attention: {backer: share}}: for its duration
 * each listed backer's attention shrinks by its share. */
int truce__load_crisis(truce__loader* L, struct fy_node* a, mark am,
                       const char* path, const truce__event_type* type, int day,
                       truce__event_buf* out) {
  static const char* const ck[] = {"name", "duration_days", "attention",
                                   "note"};
  truce__event* e = NULL;
  char full[256], sub[300];
  snprintf(full, sizeof full, "%s.%s", path, type->key);
  int rc = truce__load_event_slot(L, out, am, day, type, &e);
  if (rc || (rc = truce__load_keys(L, a, am, full, ck, 4))) return rc;
  mark m = am;
  struct fy_node* d = truce__yaml_lookup(a, "duration_days", &m);
  snprintf(sub, sizeof sub, "%s.duration_days", full);
  if (!d)
    return truce__load_error(L, TRUCE_EINVAL, am, "'%s' needs duration_days",
                             full);
  if ((rc = truce__load_event_number(L, d, m, sub, 1, 100000, true, e,
                                     &e->duration_days)))
    return rc;
  m = am;
  struct fy_node* at = truce__yaml_lookup(a, "attention", &m);
  if (!at || !fy_node_is_mapping(at))
    return truce__load_error(L, TRUCE_EINVAL, am,
                             "'%s' needs attention: {backer: share of "
                             "attention taken}",
                             full);
  void* it = NULL;
  struct fy_node_pair* pr;
  while ((pr = fy_node_mapping_iterate(at, &it))) {
    int b;
    mark bm = truce__yaml_mark(fy_node_pair_key(pr), m);
    snprintf(sub, sizeof sub, "%s.attention", full);
    if ((rc = backer_ref(L, fy_node_pair_key(pr), bm, sub, &b))) return rc;
    char v[300];
    snprintf(v, sizeof v, "%s.attention.%s", full, L->sc->backer_id[b]);
    if ((rc = truce__load_event_number(L, fy_node_pair_value(pr), bm, v, 0, 1,
                                       false, e, &e->taken[b])))
      return rc;
  }
  return 0;
}

/* block: the day packages are blocked until (until_day or a date), or
 * for how long (duration_days, which may be uncertain). */
static int block_until(truce__loader* L, struct fy_node* a, mark am,
                       const char* full, truce__event* e) {
  char sub[300];
  int rc;
  mark um = am;
  struct fy_node* u = truce__yaml_lookup(a, "duration_days", &um);
  int given = !!u + !!truce__yaml_lookup(a, "until_day", &um) +
              !!truce__yaml_lookup(a, "until", &um);
  if (given > 1)
    return truce__load_error(L, TRUCE_EINVAL, am,
                             "'%s' has more than one of until, until_day and "
                             "duration_days; expected one",
                             full);
  um = am;
  if ((u = truce__yaml_lookup(a, "duration_days", &um))) {
    snprintf(sub, sizeof sub, "%s.duration_days", full);
    return truce__load_event_number(L, u, um, sub, 1, 100000, true, e,
                                    &e->duration_days);
  }
  u = truce__yaml_lookup(a, "until_day", &um);
  if (u) {
    double d;
    snprintf(sub, sizeof sub, "%s.until_day", full);
    if ((rc = truce__load_in_range(L, u, um, sub, 0, 100000, true, &d)))
      return rc;
    e->until_day = (int)d;
  } else if ((u = truce__yaml_lookup(a, "until", &um))) {
    char ds[32];
    snprintf(sub, sizeof sub, "%s.until", full);
    if ((rc = truce__load_string(L, u, um, sub, ds, sizeof ds))) return rc;
    if (!truce__date_valid(ds) || !L->sc->start[0])
      return truce__load_error(L, TRUCE_EINVAL, truce__yaml_mark(u, um),
                               "bad date '%s' in '%s'; expected YYYY-MM-DD "
                               "and a scenario start",
                               ds, sub);
    e->until_day =
        (int)(truce__date_to_days(ds) - truce__date_to_days(L->sc->start));
  } else {
    return truce__load_error(L, TRUCE_EINVAL, am,
                             "'%s' needs until (a date), until_day or "
                             "duration_days",
                             full);
  }
  if (e->until_day <= e->day)
    return truce__load_error(L, TRUCE_EINVAL, am, "'%s' ends before it starts",
                             full);
  return 0;
}

/* block {backer, until_day | until | duration_days}, unblock {backer},
 * package {backer, months | eur}, enter {backer}, exit {backer}. */
int truce__load_backer_event(truce__loader* L, struct fy_node* a, mark am,
                             const char* path, const truce__event_type* type,
                             int day, truce__event_buf* out) {
  static const char* const bk[] = {"backer", "until_day", "until",
                                   "duration_days", "note"};
  static const char* const pk[] = {"backer", "months", "eur", "note"};
  static const char* const ok[] = {"backer", "note"};
  bool pkg = !strcmp(type->key, "package"), block = !strcmp(type->key, "block");
  truce__event* e = NULL;
  char full[256], sub[300];
  snprintf(full, sizeof full, "%s.%s", path, type->key);
  int rc = truce__load_event_slot(L, out, am, day, type, &e);
  if (!rc)
    rc = pkg     ? truce__load_keys(L, a, am, full, pk, 4)
         : block ? truce__load_keys(L, a, am, full, bk, 5)
                 : truce__load_keys(L, a, am, full, ok, 2);
  if (rc) return rc;
  mark m = am;
  struct fy_node* b = truce__yaml_lookup(a, "backer", &m);
  snprintf(sub, sizeof sub, "%s.backer", full);
  if (!b)
    return truce__load_error(L, TRUCE_EINVAL, am, "'%s' needs backer", full);
  if ((rc = backer_ref(L, b, m, sub, &e->backer))) return rc;
  if (block) return block_until(L, a, am, full, e);
  if (!pkg) return 0;
  mark mm = am, em = am;
  struct fy_node* mo = truce__yaml_lookup(a, "months", &mm);
  struct fy_node* eu = truce__yaml_lookup(a, "eur", &em);
  if (mo && eu)
    return truce__load_error(L, TRUCE_EINVAL, am,
                             "'%s' has both months and eur; expected one",
                             full);
  if (!mo && !eu)
    return truce__load_error(L, TRUCE_EINVAL, am,
                             "'%s' needs months (of the backer's budget the "
                             "package is worth) or eur (its value)",
                             full);
  snprintf(sub, sizeof sub, "%s.%s", full, mo ? "months" : "eur");
  return mo ? truce__load_event_number(L, mo, mm, sub, 0, 1200, false, e,
                                       &e->months)
            : truce__load_event_number(L, eu, em, sub, 0, 1e13, false, e,
                                       &e->eur);
}

typedef struct {
  size_t b;
  char path[96];
  double total; /* the shares of the backer's buys so far */
} backer_user;

/* One of a backer's buys, item: {share, unit_cost, capacity_per_month}. */
static int backer_buy(truce__loader* L, const char* name, mark im,
                      struct fy_node* v, const char* ipath, void* user) {
  backer_user* u = user;
  truce_scenario* sc = L->sc;
  int item = truce__buy_item(sc, u->b, name, strlen(name));
  if (item < 0)
    return truce__load_error(
        L, TRUCE_EINVAL, im,
        "unknown item '%s' in '%s.buys'; expected "
        "ammunition, recruitment or an equipment class of '%s'",
        name, u->path, sc->side_id[sc->model.backer_side[u->b]]);
  size_t base = truce__buy_base(u->b, (size_t)item);
  /* one entry per field: every field of truce__buy is a double */
  unsigned char seen[sizeof(truce__buy) / sizeof(double)] = {0};
  int rc = truce__load_walk(L, v, im, truce__buy_fields, truce__n_buy_fields,
                            base, NULL, ipath, seen, NULL, 0, NULL, NULL);
  if (rc) return rc;
  const truce__buy* bu = &sc->model.params.backer[u->b].buy[item];
  if (item == TRUCE_ITEM_RECRUIT &&
      (bu->in_transit > 0 || bu->releasable_stock > 0))
    return truce__load_error(
        L, TRUCE_EINVAL, im,
        "'%s' is money, not units; expected "
        "only share (in_transit and releasable_stock are for "
        "ammunition and equipment)",
        ipath);
  sc->model.backer_buys[u->b][item] = true;
  u->total += bu->share;
  return 0;
}

static int backer_special(truce__loader* L, const char* rel, struct fy_node* v,
                          mark km, void* user) {
  backer_user* u = user;
  char path[160];
  snprintf(path, sizeof path, "%s.%s", u->path, rel);
  if (!strcmp(rel, "id") || !strcmp(rel, "supports")) return 0; /* first */
  if (!strcmp(rel, "note")) return 0;
  if (!strcmp(rel, "name"))
    return truce__load_name_field(L, v, km, path, L->sc->backer_name[u->b]);
  /* buys: item -> {share, unit_cost, capacity_per_month} */
  u->total = 0;
  int rc = truce__load_entries(L, v, km, path,
                               "item: {share, unit_cost, capacity_per_month}",
                               backer_buy, u);
  if (rc) return rc;
  if (u->total > 1 + 1e-9)
    return truce__load_error(L, TRUCE_EINVAL, km,
                             "the shares in '%s' sum to %g; expected "
                             "at most 1",
                             path, u->total);
  return 0;
}

int truce__load_backers(truce__loader* L, struct fy_node* v, mark km) {
  truce_scenario* sc = L->sc;
  if (!fy_node_is_sequence(v))
    return truce__load_error(L, TRUCE_EINVAL, truce__yaml_mark(v, km),
                             "wrong type for "
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
      return truce__load_error(L, TRUCE_EINVAL, im,
                               "too many backers; expected at most %d",
                               TRUCE_MAX_BACKERS);
    if (!fy_node_is_mapping(item))
      return truce__load_error(L, TRUCE_EINVAL, im,
                               "wrong type for 'backers[%zu]'; "
                               "expected a mapping with id and supports",
                               b);
    char id[64], p[128];
    mark m = im;
    struct fy_node* idn = truce__yaml_lookup(item, "id", &m);
    snprintf(p, sizeof p, "backers[%zu].id", b);
    if (!idn)
      return truce__load_error(L, TRUCE_EINVAL, im,
                               "missing required field '%s'", p);
    int rc = truce__load_string(L, idn, m, p, id, sizeof id);
    if (rc) return rc;
    if (!truce__load_valid_id(id) || backer_index(L, id) >= 0)
      return truce__load_error(
          L, TRUCE_EINVAL, truce__yaml_mark(idn, m),
          "bad or "
          "duplicate backer id '%s'; expected a new short name",
          id);
    memcpy(sc->backer_id[b], id, strlen(id) + 1);
    m = im;
    struct fy_node* sp = truce__yaml_lookup(item, "supports", &m);
    char side[64];
    snprintf(p, sizeof p, "backers.%s.supports", id);
    if (!sp)
      return truce__load_error(L, TRUCE_EINVAL, im,
                               "missing required field '%s'", p);
    if ((rc = truce__load_string(L, sp, m, p, side, sizeof side))) return rc;
    int s = truce__load_side(L, side);
    if (s < 0)
      return truce__load_error(
          L, TRUCE_EINVAL, truce__yaml_mark(sp, m),
          "reference to an "
          "unknown side '%s' in '%s'; expected '%s' or '%s'",
          side, p, sc->side_id[0], sc->side_id[1]);
    sc->model.backer_side[b] = s;
    sc->model.n_backers++;
    backer_user u = {b, "", 0};
    snprintf(u.path, sizeof u.path, "backers.%s", id);
    size_t base = truce__backer_base(b);
    truce__load_defaults(L, truce__backer_fields, truce__n_backer_fields, base);
    for (size_t k = 0; k < TRUCE_BACKER_ITEMS; k++)
      truce__load_defaults(L, truce__buy_fields, truce__n_buy_fields,
                           truce__buy_base(b, k));
    sc->model.params.backer[b].active = 1;
    unsigned char seen[TRUCE_MAX_FIELDS] = {0};
    if ((rc = truce__load_walk(L, item, im, truce__backer_fields,
                               truce__n_backer_fields, base, NULL, u.path, seen,
                               specials, 5, backer_special, &u)))
      return rc;
    if ((rc = truce__load_required(L, im, truce__backer_fields,
                                   truce__n_backer_fields, seen, u.path)))
      return rc;
  }
  return 0;
}
