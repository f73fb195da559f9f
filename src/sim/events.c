/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Dated events (docs/scenario.md, "Events"; docs/model.md, "Events"): the
 * events section of a scenario, the table of event types (key, parser,
 * effect on a run) and the parsers of the war's own events (set,
 * offensive, mobilisation; the backers' events are read in aid_load.c).
 * An event is a day (or a date after the start) and exactly one action.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "events.h"

/* ------------------------------------------------------------ Parsers */

int truce__load_event_slot(truce__loader* L, truce__event_buf* out, mark m,
                           int day, const truce__event_type* type,
                           truce__event** e) {
  if (out->n == out->cap)
    return truce__load_error(L, TRUCE_EINVAL, m, "too many events");
  *e = &out->ev[out->n++];
  memset(*e, 0, sizeof **e);
  (*e)->day = day;
  (*e)->type = type;
  (*e)->side = -1;
  (*e)->backer = -1;
  return 0;
}

/* set {path: value, ...}: one event per path, a rate or coefficient of
 * the war (not an initial condition, not a negotiation number). */
static int parse_set(truce__loader* L, struct fy_node* action, mark am,
                     const char* path, const truce__event_type* type, int day,
                     truce__event_buf* out) {
  void* it = NULL;
  struct fy_node_pair* pr;
  while ((pr = fy_node_mapping_iterate(action, &it))) {
    char key[200];
    mark km = truce__yaml_mark(fy_node_pair_key(pr), am);
    truce__yaml_text(fy_node_pair_key(pr), key, sizeof key);
    const truce__field* f;
    size_t off;
    if (truce__scenario_resolve(L->ctx, L->sc, key, &f, &off))
      return truce__load_error(L, TRUCE_EINVAL, km, "in '%s.set': %s", path,
                               truce_ctx_message(L->ctx));
    if (truce__is_nego_offset(off))
      return truce__load_error(L, TRUCE_EINVAL, km,
                               "'%s' is a negotiation number, fixed for a "
                               "run; expected a rate or coefficient of the "
                               "war (set it with --set or give it a range to "
                               "vary it between runs)",
                               key);
    if (f->flags & TRUCE_F_INIT)
      return truce__load_error(L, TRUCE_EINVAL, km,
                               "'%s' is an initial condition and cannot "
                               "change during a run; expected a rate or "
                               "coefficient (add people with a mobilisation "
                               "event)",
                               key);
    size_t lo = offsetof(truce__model, params);
    if (off < lo || off >= lo + sizeof(truce__params))
      return truce__load_error(L, TRUCE_EINVAL, km,
                               "'%s' cannot change during a run; expected a "
                               "parameter under sides, combat or front",
                               key);
    truce__event* e = NULL;
    int rc = truce__load_event_slot(L, out, km, day, type, &e);
    if (rc) return rc;
    e->side = 0;
    e->backer = 0;
    e->off = off - lo;
    char full[320];
    snprintf(full, sizeof full, "%s.set.%s", path, key);
    rc = truce__load_number(L, fy_node_pair_value(pr), km, full, f, &e->value);
    if (rc) return rc;
  }
  return 0;
}

static const truce__field offensive_fields[] = {
    {"intensity", TRUCE_FK_NUM, offsetof(truce__event, intensity), 0, 1000, 0,
     1, NULL, "a multiplier on fire >= 0"},
    {"duration_days", TRUCE_FK_NUM, offsetof(truce__event, duration_days), 1,
     100000, TRUCE_F_INT | TRUCE_F_REQ, 0, NULL, "a whole number of days >= 1"},
};

static const truce__field mobilisation_fields[] = {
    {"pool", TRUCE_FK_NUM, offsetof(truce__event, pool_add), 0, 1e9, 0, 0, NULL,
     "people added to the mobilisable pool, >= 0"},
    {"recruits_per_month", TRUCE_FK_NUM,
     offsetof(truce__event, recruits_per_month), 0, 1e8, 0, -1, NULL,
     "a number of recruits per month >= 0"},
};

/* The side an offensive or mobilisation names. */
static int event_side(truce__loader* L, struct fy_node* v, mark km,
                      const char* full, truce__event* e) {
  char id[64];
  int rc = truce__load_string(L, v, km, full, id, sizeof id);
  if (rc) return rc;
  e->side = truce__load_side(L, id);
  if (e->side >= 0) return 0;
  const char* ids[2] = {L->sc->side_id[0], L->sc->side_id[1]};
  const char* sg = truce__suggest(id, ids, 2);
  return truce__load_error(L, TRUCE_EINVAL, truce__yaml_mark(v, km),
                           "reference to an unknown side '%s' in '%s'%s%s%s; "
                           "expected '%s' or '%s'",
                           id, full, sg ? " (did you mean '" : "", sg ? sg : "",
                           sg ? "'?)" : "", ids[0], ids[1]);
}

/* offensive {side, intensity, duration_days}, mobilisation {side, pool,
 * recruits_per_month}: a side and the two numbers of field table t. */
static int parse_side_event(truce__loader* L, struct fy_node* action, mark am,
                            const char* path, const truce__event_type* type,
                            int day, truce__event_buf* out,
                            const truce__field* t) {
  truce__event* e = NULL;
  int rc = truce__load_event_slot(L, out, am, day, type, &e);
  if (rc) return rc;
  e->backer = 0;
  for (int i = 0; i < 2; i++) *(double*)((char*)e + t[i].off) = t[i].dflt;
  bool seen[2] = {false, false};
  void* it = NULL;
  struct fy_node_pair* pr;
  while ((pr = fy_node_mapping_iterate(action, &it))) {
    char key[64], full[256];
    mark km = truce__yaml_mark(fy_node_pair_key(pr), am);
    struct fy_node* v = fy_node_pair_value(pr);
    truce__yaml_text(fy_node_pair_key(pr), key, sizeof key);
    snprintf(full, sizeof full, "%s.%s.%s", path, type->key, key);
    if (!strcmp(key, "side")) {
      if ((rc = event_side(L, v, km, full, e))) return rc;
      continue;
    }
    const truce__field* f = truce__field_find(t, 2, key);
    if (!f)
      return truce__load_error(L, TRUCE_EINVAL, km,
                               "unknown key '%s' in '%s.%s'; expected side, "
                               "%s or %s",
                               key, path, type->key, t[0].key, t[1].key);
    double val;
    if ((rc = truce__load_number(L, v, km, full, f, &val))) return rc;
    *(double*)((char*)e + f->off) = val;
    seen[f - t] = true;
  }
  if (e->side < 0)
    return truce__load_error(L, TRUCE_EINVAL, am,
                             "missing required field '%s.%s.side'; expected "
                             "a side id",
                             path, type->key);
  for (int i = 0; i < 2; i++)
    if ((t[i].flags & TRUCE_F_REQ) && !seen[i])
      return truce__load_error(L, TRUCE_EINVAL, am,
                               "missing required field '%s.%s.%s'; expected "
                               "%s",
                               path, type->key, t[i].key, t[i].expect);
  return 0;
}

static int parse_offensive(truce__loader* L, struct fy_node* action, mark am,
                           const char* path, const truce__event_type* type,
                           int day, truce__event_buf* out) {
  return parse_side_event(L, action, am, path, type, day, out,
                          offensive_fields);
}

static int parse_mobilisation(truce__loader* L, struct fy_node* action, mark am,
                              const char* path, const truce__event_type* type,
                              int day, truce__event_buf* out) {
  return parse_side_event(L, action, am, path, type, day, out,
                          mobilisation_fields);
}

/* ------------------------------------------------------------ Effects */

/* s8: a rate or coefficient changes. */
static void apply_nothing(truce_sim* sim, const truce__event* e) {
  (void)sim;
  (void)e;
}

static void apply_set(truce_sim* sim, const truce__event* e) {
  *(double*)((char*)&sim->p + e->off) = e->value;
}

/* s7: the side attacks, with its intensity, until the offensive ends. */
static void apply_offensive(truce_sim* sim, const truce__event* e) {
  side_state* s = &sim->s[e->side];
  if (s->off_until < 0) s->posture_before = sim->p.side[e->side].posture;
  sim->p.side[e->side].posture = TRUCE_POSTURE_ATTACK;
  s->off_mult = e->intensity;
  s->off_until = e->day + (int)e->duration_days;
}

/* s3: people join the pool; maybe a new recruitment rate. */
static void apply_mobilisation(truce_sim* sim, const truce__event* e) {
  side_state* s = &sim->s[e->side];
  double add = sim->stochastic ? floor(e->pool_add + 0.5) : e->pool_add;
  s->pool += add;
  s->inflow += add;
  if (e->recruits_per_month >= 0)
    sim->p.side[e->side].recruits_per_month = e->recruits_per_month;
}

/* ------------------------------------------------------------ The table */

const truce__event_type truce__event_types[] = {
    {"set", parse_set, apply_set, TRUCE_AID_SIGNAL_NONE},
    {"offensive", parse_offensive, apply_offensive, TRUCE_AID_SIGNAL_NONE},
    {"mobilisation", parse_mobilisation, apply_mobilisation,
     TRUCE_AID_SIGNAL_NONE},
    {"crisis", truce__load_crisis, truce__aid_crisis, TRUCE_AID_SIGNAL_NONE},
    {"block", truce__load_backer_event, truce__aid_block,
     TRUCE_AID_SIGNAL_LOSS},
    {"package", truce__load_backer_event, truce__aid_package,
     TRUCE_AID_SIGNAL_GAIN},
    {"enter", truce__load_backer_event, truce__aid_enter,
     TRUCE_AID_SIGNAL_GAIN},
    {"exit", truce__load_backer_event, truce__aid_exit, TRUCE_AID_SIGNAL_LOSS},
    /* a backer's election changes nothing in the war; the sides read it */
    {"election", truce__load_backer_event, apply_nothing,
     TRUCE_AID_SIGNAL_DOUBT},
};
const size_t truce__n_event_types =
    sizeof truce__event_types / sizeof truce__event_types[0];

/* ------------------------------------------------------------ The section */

/* "set, offensive, ..., enter, exit" from the table. */
static void type_list(char* buf, size_t n) {
  buf[0] = 0;
  for (size_t i = 0; i < truce__n_event_types; i++) {
    size_t l = strlen(buf);
    snprintf(buf + l, n - l, "%s%s", i ? ", " : "", truce__event_types[i].key);
  }
}

static const truce__event_type* find_type(const char* key) {
  for (size_t i = 0; i < truce__n_event_types; i++)
    if (!strcmp(truce__event_types[i].key, key)) return &truce__event_types[i];
  return NULL;
}

/* An event's day: a whole day number, or a date on or after the start. */
static int event_day(truce__loader* L, struct fy_node* v, mark km,
                     const char* key, const char* path, const char* kpath,
                     int* day) {
  if (!strcmp(key, "day")) {
    static const truce__field df = {
        "day", TRUCE_FK_NUM, 0,
        0,     100000,       TRUCE_F_INT,
        0,     NULL,         "a whole day number >= 0"};
    double d;
    int rc = truce__load_number(L, v, km, kpath, &df, &d);
    if (!rc) *day = (int)d;
    return rc;
  }
  char ds[32];
  int rc = truce__load_string(L, v, km, kpath, ds, sizeof ds);
  if (rc) return rc;
  if (!truce__date_valid(ds))
    return truce__load_error(L, TRUCE_EINVAL, truce__yaml_mark(v, km),
                             "bad date '%s' in '%s'; expected YYYY-MM-DD", ds,
                             path);
  if (!L->sc->start[0])
    return truce__load_error(L, TRUCE_EINVAL, truce__yaml_mark(v, km),
                             "'%s' gives a date but the scenario has no "
                             "'start'; expected a start date or a day number",
                             path);
  long d = truce__date_to_days(ds) - truce__date_to_days(L->sc->start);
  if (d < 0)
    return truce__load_error(L, TRUCE_EINVAL, truce__yaml_mark(v, km),
                             "date %s in '%s' is before the start %s; "
                             "expected a date on or after the start",
                             ds, path, L->sc->start);
  *day = (int)d;
  return 0;
}

/* One event: when (day or date), then exactly one action of the table. */
static int by_day(const void* a, const void* b) {
  const truce__event *x = a, *y = b;
  return (x->day > y->day) - (x->day < y->day);
}

static int event(truce__loader* L, struct fy_node* item, mark im, size_t idx,
                 truce__event_buf* out) {
  char path[64], types[160];
  snprintf(path, sizeof path, "%sevents[%zu]", L->ev_prefix ? L->ev_prefix : "",
           idx);
  type_list(types, sizeof types);
  if (!fy_node_is_mapping(item))
    return truce__load_error(L, TRUCE_EINVAL, im,
                             "wrong type for '%s': found %s; expected a "
                             "mapping with day or date and one of %s",
                             path, truce__yaml_kind(item), types);
  int day = -1;
  struct fy_node* action = NULL;
  const truce__event_type* type = NULL;
  mark am = im;
  void* it = NULL;
  struct fy_node_pair* pr;
  while ((pr = fy_node_mapping_iterate(item, &it))) {
    char key[64], kpath[128];
    struct fy_node* v = fy_node_pair_value(pr);
    mark km = truce__yaml_mark(fy_node_pair_key(pr), im);
    truce__yaml_text(fy_node_pair_key(pr), key, sizeof key);
    snprintf(kpath, sizeof kpath, "%s.%s", path, key);
    const truce__event_type* kt = find_type(key);
    if (!strcmp(key, "day") || !strcmp(key, "date")) {
      if (day >= 0)
        return truce__load_error(L, TRUCE_EINVAL, km,
                                 "'%s' has both day and date; expected "
                                 "exactly one",
                                 path);
      int rc = event_day(L, v, km, key, path, kpath, &day);
      if (rc) return rc;
    } else if (kt) {
      if (action)
        return truce__load_error(L, TRUCE_EINVAL, km,
                                 "'%s' has both '%s' and '%s'; expected "
                                 "exactly one action per event",
                                 path, type->key, key);
      action = v;
      am = km;
      type = kt;
    } else if (!strcmp(key, "name") || !strcmp(key, "note") ||
               !strcmp(key, "source") || !strcmp(key, "claimant") ||
               !strcmp(key, "known_outcome")) { /* asof.c reads it */
      if (!fy_node_is_scalar(v))
        return truce__load_error(L, TRUCE_EINVAL, truce__yaml_mark(v, km),
                                 "wrong type for '%s': found %s; expected a "
                                 "string",
                                 kpath, truce__yaml_kind(v));
    } else {
      const char* keys[32] = {"day",    "date",     "name",         "note",
                              "source", "claimant", "known_outcome"};
      size_t nk = 7;
      for (size_t i = 0; i < truce__n_event_types && nk < 32; i++)
        keys[nk++] = truce__event_types[i].key;
      const char* sg = truce__suggest(key, keys, nk);
      return truce__load_error(L, TRUCE_EINVAL, km,
                               "unknown key '%s' in '%s'%s%s%s; expected day "
                               "or date, one of %s, and optional name, note, "
                               "source, claimant, known_outcome",
                               key, path, sg ? " (did you mean '" : "",
                               sg ? sg : "", sg ? "'?)" : "", types);
    }
  }
  if (day < 0)
    return truce__load_error(L, TRUCE_EINVAL, im,
                             "'%s' has no day or date; expected one of them",
                             path);
  if (!action)
    return truce__load_error(L, TRUCE_EINVAL, im,
                             "'%s' has no action; expected one of %s", path,
                             types);
  if (!fy_node_is_mapping(action))
    return truce__load_error(L, TRUCE_EINVAL, truce__yaml_mark(action, am),
                             "wrong type for '%s.%s': found %s; expected a "
                             "mapping",
                             path, type->key, truce__yaml_kind(action));
  return type->parse(L, action, am, path, type, day, out);
}

int truce__load_events(truce__loader* L, struct fy_node* v, mark km) {
  if (!fy_node_is_sequence(v))
    return truce__load_error(L, TRUCE_EINVAL, truce__yaml_mark(v, km),
                             "wrong type for 'events': found %s; expected a "
                             "list of events",
                             truce__yaml_kind(v));
  /* Upper bound on actions: each event gives one, a set gives one per key. */
  size_t cap = 0;
  void* it = NULL;
  struct fy_node* item;
  while ((item = fy_node_sequence_iterate(v, &it))) {
    cap++;
    if (!fy_node_is_mapping(item)) continue;
    cap += (size_t)fy_node_mapping_item_count(item);
    mark dm = km;
    struct fy_node* s = truce__yaml_lookup(item, "set", &dm);
    if (s && fy_node_is_mapping(s))
      cap += (size_t)fy_node_mapping_item_count(s);
  }
  /* An overlay's events join those already read. */
  const size_t n0 = L->sc->model.n_events;
  truce__event_buf out = {NULL, n0, n0 + (cap ? cap : 1)};
  out.ev = truce__calloc(L->ctx, out.cap, sizeof *out.ev);
  if (!out.ev) return TRUCE_ENOMEM;
  if (n0) memcpy(out.ev, L->sc->model.events, n0 * sizeof *out.ev);
  truce__free(L->ctx, L->sc->model.events,
              L->sc->model.cap_events * sizeof *out.ev);
  L->sc->model.events = out.ev;
  L->sc->model.cap_events = out.cap;
  size_t idx = 0;
  it = NULL;
  while ((item = fy_node_sequence_iterate(v, &it))) {
    int rc = event(L, item, truce__yaml_mark(item, km), idx++, &out);
    L->sc->model.n_events = out.n;
    if (rc) return rc;
  }
  /* by day, file order kept within a day, in O(n log n) */
  return truce__sort_stable(L->ctx, out.ev, out.n, sizeof *out.ev, by_day);
}
