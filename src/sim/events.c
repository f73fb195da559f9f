/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Dated events (docs/scenario.md, "Events"; docs/model.md, "Events"): the
 * events section of a scenario, the table of event types (key, parser,
 * effect on a run) and the parsers of the war's own events (set,
 * offensive, mobilisation; the backers' events are read in aid_load.c).
 * An event is a day (or a date after the start) and exactly one action,
 * or branches of exclusive outcomes; an uncertain event (docs/model.md
 * s8c) may not happen, may fall in a window of days and may hold
 * uncertain numbers, all drawn per run (truce__events_draw) on streams
 * keyed by the event's id.
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
  (*e)->probability = 1;
  (*e)->branch_hi = 1;
  (*e)->modal = true;
  (*e)->delay_unc = -1;
  (*e)->recruits_factor = 1;
  return 0;
}

/* ------------------------------------------------- Uncertain numbers */

/* An event number's stream: the event's id, then its path in the event. */
static uint64_t number_stream(const char* key, const char* rel) {
  uint64_t h = truce__fnv1a(TRUCE_FNV_BASIS, key);
  return TRUCE_STREAM_EVENT(truce__fnv1a(truce__fnv1a(h, "/"), rel));
}

/* Append d (owned from now on) to the scenario's event numbers at offset
 * off of an event, its stream keyed by the event's id and the number's
 * path after "events[i]."; its index into *idx. */
static int unc_add(truce__loader* L, truce__dist* d, const char* path,
                   size_t off, mark m, size_t* idx) {
  truce_scenario* sc = L->sc;
  if (!L->ev_key || !L->ev_key[0]) {
    truce__dist_free(L->ctx, d);
    return truce__load_error(L, TRUCE_EINVAL, m,
                             "'%s' is uncertain but its event has no id or "
                             "name; expected an id (or a name) that keys "
                             "the event's draws",
                             path);
  }
  const char* rel = strstr(path, "].");
  rel = rel ? rel + 2 : path;
  if (!(d->path = truce__strdup(L->ctx, rel))) {
    truce__dist_free(L->ctx, d);
    return TRUCE_ENOMEM;
  }
  if (sc->n_ev_unc == sc->cap_ev_unc) {
    size_t nc = sc->cap_ev_unc ? 2 * sc->cap_ev_unc : 16;
    truce__dist* nu = truce__realloc(
        L->ctx, sc->ev_unc, sc->cap_ev_unc * sizeof *nu, nc * sizeof *nu);
    if (!nu) {
      truce__dist_free(L->ctx, d);
      return TRUCE_ENOMEM;
    }
    sc->ev_unc = nu;
    sc->cap_ev_unc = nc;
  }
  d->off = off;
  d->stream = number_stream(L->ev_key, rel);
  *idx = sc->n_ev_unc;
  sc->ev_unc[sc->n_ev_unc++] = *d;
  return 0;
}

int truce__load_event_field(truce__loader* L, struct fy_node* n, mark km,
                            const char* path, const truce__field* f,
                            truce__event* e, double* slot) {
  truce__dist d;
  bool unc;
  int rc = truce__load_dist(L, n, km, path, f, &d, &unc, slot);
  if (rc || !unc) return rc;
  size_t idx;
  rc = unc_add(L, &d, path, (size_t)((char*)slot - (char*)e),
               truce__yaml_mark(n, km), &idx);
  if (rc) return rc;
  if (!e->n_unc) e->unc0 = (unsigned)idx;
  e->n_unc++;
  e->uncertain = true;
  return 0;
}

int truce__load_event_number(truce__loader* L, struct fy_node* n, mark km,
                             const char* path, double lo, double hi,
                             bool integer, truce__event* e, double* slot) {
  char expect[96];
  snprintf(expect, sizeof expect, "a %s in [%g, %g]",
           integer ? "whole number" : "number", lo, hi);
  truce__field f = {path, TRUCE_FK_NUM, 0,
                    lo,   hi,           integer ? TRUCE_F_INT : 0u,
                    0,    NULL,         expect};
  return truce__load_event_field(L, n, km, path, &f, e, slot);
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
    rc = truce__load_event_field(L, fy_node_pair_value(pr), km, full, f, e,
                                 &e->value);
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
    {"recruits_factor", TRUCE_FK_NUM, offsetof(truce__event, recruits_factor),
     0, 100, 0, 1, NULL, "a multiplier on the recruitment rate, 0 to 100"},
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
 * recruits_per_month, recruits_factor}: a side and the nt numbers of
 * field table t. */
#define SIDE_EVENT_MAX 4
static int parse_side_event(truce__loader* L, struct fy_node* action, mark am,
                            const char* path, const truce__event_type* type,
                            int day, truce__event_buf* out,
                            const truce__field* t, size_t nt) {
  truce__event* e = NULL;
  int rc = truce__load_event_slot(L, out, am, day, type, &e);
  if (rc) return rc;
  e->backer = 0;
  for (size_t i = 0; i < nt; i++) *(double*)((char*)e + t[i].off) = t[i].dflt;
  bool seen[SIDE_EVENT_MAX] = {false};
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
    const truce__field* f = truce__field_find(t, nt, key);
    if (!f) {
      char keys[160] = "side";
      for (size_t i = 0; i < nt; i++) {
        size_t l = strlen(keys);
        snprintf(keys + l, sizeof keys - l, ", %s", t[i].key);
      }
      return truce__load_error(L, TRUCE_EINVAL, km,
                               "unknown key '%s' in '%s.%s'; expected %s", key,
                               path, type->key, keys);
    }
    if ((rc = truce__load_event_field(L, v, km, full, f, e,
                                      (double*)((char*)e + f->off))))
      return rc;
    seen[f - t] = true;
  }
  if (e->side < 0)
    return truce__load_error(L, TRUCE_EINVAL, am,
                             "missing required field '%s.%s.side'; expected "
                             "a side id",
                             path, type->key);
  for (size_t i = 0; i < nt; i++)
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
  return parse_side_event(L, action, am, path, type, day, out, offensive_fields,
                          2);
}

static int parse_mobilisation(truce__loader* L, struct fy_node* action, mark am,
                              const char* path, const truce__event_type* type,
                              int day, truce__event_buf* out) {
  return parse_side_event(L, action, am, path, type, day, out,
                          mobilisation_fields, 3);
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

/* s3: people join the pool; maybe a new recruitment rate, then the rate
 * times a factor. */
static void apply_mobilisation(truce_sim* sim, const truce__event* e) {
  side_state* s = &sim->s[e->side];
  double add = sim->stochastic ? floor(e->pool_add + 0.5) : e->pool_add;
  s->pool += add;
  s->inflow += add;
  if (e->recruits_per_month >= 0)
    sim->p.side[e->side].recruits_per_month = e->recruits_per_month;
  sim->p.side[e->side].recruits_per_month *= e->recruits_factor;
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
    {"unblock", truce__load_backer_event, truce__aid_unblock,
     TRUCE_AID_SIGNAL_NONE},
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

static int by_day(const void* a, const void* b) {
  const truce__event *x = a, *y = b;
  return (x->day > y->day) - (x->day < y->day);
}

/* The keys an event may hold besides its actions. */
static const char* const event_keys[] = {
    "day", "date", "between", "delay_days", "probability", "branches",
    "id",  "name", "note",    "source",     "claimant",    "known_outcome"};
#define N_EVENT_KEYS (sizeof event_keys / sizeof event_keys[0])
/* Keys of a branch besides its action. */
static const char* const branch_keys[] = {"probability", "name", "note",
                                          "source", "claimant"};
#define N_BRANCH_KEYS (sizeof branch_keys / sizeof branch_keys[0])
#define MAX_BRANCHES 16

static bool in_list(const char* const* keys, size_t n, const char* key) {
  for (size_t i = 0; i < n; i++)
    if (!strcmp(keys[i], key)) return true;
  return false;
}

static int unknown_key(truce__loader* L, mark km, const char* key,
                       const char* path, const char* const* own, size_t nown,
                       const char* expected) {
  const char* keys[48];
  size_t nk = 0;
  for (size_t i = 0; i < nown && nk < 48; i++) keys[nk++] = own[i];
  for (size_t i = 0; i < truce__n_event_types && nk < 48; i++)
    keys[nk++] = truce__event_types[i].key;
  const char* sg = truce__suggest(key, keys, nk);
  return truce__load_error(L, TRUCE_EINVAL, km,
                           "unknown key '%s' in '%s'%s%s%s; expected %s", key,
                           path, sg ? " (did you mean '" : "", sg ? sg : "",
                           sg ? "'?)" : "", expected);
}

/* A probability in [0, 1], with provenance. */
static int probability(truce__loader* L, struct fy_node* v, mark km,
                       const char* path, double* p) {
  char full[192];
  snprintf(full, sizeof full, "%s.probability", path);
  return truce__load_in_range(L, v, km, full, 0, 1, false, p);
}

/* Parse `action` (a mapping) of type `type` into out, at `path`. */
static int action_parse(truce__loader* L, struct fy_node* action, mark am,
                        const char* path, const truce__event_type* type,
                        int day, truce__event_buf* out) {
  if (!fy_node_is_mapping(action))
    return truce__load_error(L, TRUCE_EINVAL, truce__yaml_mark(action, am),
                             "wrong type for '%s.%s': found %s; expected a "
                             "mapping",
                             path, type->key, truce__yaml_kind(action));
  return type->parse(L, action, am, path, type, day, out);
}

/* branches: [{probability, name, <at most one action>}, ...]: exclusive
 * outcomes of one event; branch k happens when the event's branch draw
 * falls in [P_k, P_k + p_k) (P_k the sum of the earlier ones), nothing
 * when it falls past their sum. */
static int parse_branches(truce__loader* L, struct fy_node* v, mark km,
                          const char* path, int day, truce__event_buf* out) {
  char types[160];
  type_list(types, sizeof types);
  if (!fy_node_is_sequence(v) || !fy_node_sequence_item_count(v))
    return truce__load_error(L, TRUCE_EINVAL, truce__yaml_mark(v, km),
                             "wrong type for '%s.branches': found %s; "
                             "expected a list of {probability, name, and at "
                             "most one of %s}",
                             path, truce__yaml_kind(v), types);
  size_t first[MAX_BRANCHES + 1], k = 0, best = 0;
  double cum = 0, pbest = -1;
  first[0] = out->n;
  void* it = NULL;
  struct fy_node* item;
  while ((item = fy_node_sequence_iterate(v, &it))) {
    char bpath[128];
    mark im = truce__yaml_mark(item, km);
    snprintf(bpath, sizeof bpath, "%s.branches[%zu]", path, k);
    if (k == MAX_BRANCHES)
      return truce__load_error(L, TRUCE_EINVAL, im,
                               "too many branches in '%s'; expected at most "
                               "%d",
                               path, MAX_BRANCHES);
    if (!fy_node_is_mapping(item))
      return truce__load_error(L, TRUCE_EINVAL, im,
                               "wrong type for '%s': found %s; expected a "
                               "mapping with probability",
                               bpath, truce__yaml_kind(item));
    struct fy_node *pn = NULL, *action = NULL;
    const truce__event_type* type = NULL;
    mark pm = im, am = im;
    void* it2 = NULL;
    struct fy_node_pair* pr;
    while ((pr = fy_node_mapping_iterate(item, &it2))) {
      char key[64];
      mark m = truce__yaml_mark(fy_node_pair_key(pr), im);
      truce__yaml_text(fy_node_pair_key(pr), key, sizeof key);
      const truce__event_type* kt = find_type(key);
      if (!strcmp(key, "probability")) {
        pn = fy_node_pair_value(pr);
        pm = m;
      } else if (kt) {
        if (action)
          return truce__load_error(L, TRUCE_EINVAL, m,
                                   "'%s' has both '%s' and '%s'; expected at "
                                   "most one action per branch",
                                   bpath, type->key, key);
        action = fy_node_pair_value(pr);
        am = m;
        type = kt;
      } else if (!in_list(branch_keys, N_BRANCH_KEYS, key)) {
        char exp[256];
        snprintf(exp, sizeof exp,
                 "probability, at most one of %s, and optional name, note, "
                 "source, claimant",
                 types);
        return unknown_key(L, m, key, bpath, branch_keys, N_BRANCH_KEYS, exp);
      }
    }
    if (!pn)
      return truce__load_error(L, TRUCE_EINVAL, im,
                               "missing required field '%s.probability'; "
                               "expected the chance of this outcome, 0 to 1",
                               bpath);
    double p;
    int rc = probability(L, pn, pm, bpath, &p);
    if (!rc && action) rc = action_parse(L, action, am, bpath, type, day, out);
    if (rc) return rc;
    for (size_t j = first[k]; j < out->n; j++) {
      out->ev[j].branch_lo = cum;
      out->ev[j].branch_hi = cum + p;
      out->ev[j].uncertain = true;
    }
    if (p > pbest) {
      pbest = p;
      best = k;
    }
    cum += p;
    first[++k] = out->n;
  }
  if (cum > 1 + 1e-9)
    return truce__load_error(L, TRUCE_EINVAL, km,
                             "the branch probabilities of '%s' sum to %.12g; "
                             "expected at most 1 (the rest: none happens)",
                             path, cum);
  if (cum > 1 - 1e-9) /* the last branch ends at 1, whatever the rounding */
    for (size_t j = first[k - 1]; j < out->n; j++) out->ev[j].branch_hi = 1;
  /* deterministic mode takes the likeliest outcome (none, if that is it) */
  bool none = 1 - cum > pbest;
  for (size_t j = first[0]; j < out->n; j++)
    out->ev[j].modal = !none && j >= first[best] && j < first[best + 1];
  return 0;
}

/* between: [D1, D2]: the day is drawn uniformly among the whole days from
 * D1 to D2, as D1 plus floor of a uniform delay on [0, D2 - D1 + 1). */
static int parse_between(truce__loader* L, struct fy_node* v, mark km,
                         const char* path, int* day, truce__dist* d) {
  char kpath[160];
  snprintf(kpath, sizeof kpath, "%s.between", path);
  if (!fy_node_is_sequence(v) || fy_node_sequence_item_count(v) != 2)
    return truce__load_error(L, TRUCE_EINVAL, truce__yaml_mark(v, km),
                             "wrong type for '%s': found %s; expected [D1, "
                             "D2], two dates (or day numbers), D1 <= D2",
                             kpath, truce__yaml_kind(v));
  int dd[2];
  for (int i = 0; i < 2; i++) {
    struct fy_node* n = fy_node_sequence_get_by_index(v, i);
    char t[32] = "";
    truce__yaml_text(n, t, sizeof t);
    bool is_date = strchr(t, '-') != NULL;
    int rc = event_day(L, n, truce__yaml_mark(n, km), is_date ? "date" : "day",
                       path, kpath, &dd[i]);
    if (rc) return rc;
  }
  if (dd[1] < dd[0])
    return truce__load_error(L, TRUCE_EINVAL, truce__yaml_mark(v, km),
                             "'%s' ends before it starts; expected D1 <= D2",
                             kpath);
  *day = dd[0];
  memset(d, 0, sizeof *d);
  d->kind = TRUCE_DIST_UNIFORM;
  d->a = d->lo = 0;
  d->b = d->hi = dd[1] - dd[0] + 1;
  d->plo = 0;
  d->phi = 1;
  d->point = d->b / 2;
  return 0;
}

/* What one event item holds besides its action (event()). */
typedef struct {
  int day;
  struct fy_node *action, *branches, *prob, *between, *delay;
  const truce__event_type* type;
  mark am, bm, pm, wm, dm;
  bool known;
  char key[200]; /* its id, else its name */
} item_keys;

/* The keys of an event item: when, what, and its id. */
static int read_item(truce__loader* L, struct fy_node* item, mark im,
                     const char* path, item_keys* k) {
  char types[160];
  type_list(types, sizeof types);
  memset(k, 0, sizeof *k);
  k->day = -1;
  mark nm = im;
  struct fy_node* idn = truce__yaml_lookup(item, "id", &nm);
  if (!idn) idn = truce__yaml_lookup(item, "name", &nm);
  if (idn) truce__yaml_text(idn, k->key, sizeof k->key);
  void* it = NULL;
  struct fy_node_pair* pr;
  while ((pr = fy_node_mapping_iterate(item, &it))) {
    char key[64], kpath[128];
    struct fy_node* v = fy_node_pair_value(pr);
    mark km = truce__yaml_mark(fy_node_pair_key(pr), im);
    truce__yaml_text(fy_node_pair_key(pr), key, sizeof key);
    snprintf(kpath, sizeof kpath, "%s.%s", path, key);
    const truce__event_type* kt = find_type(key);
    if (!strcmp(key, "day") || !strcmp(key, "date") ||
        !strcmp(key, "between")) {
      if (k->day >= 0 || k->between)
        return truce__load_error(L, TRUCE_EINVAL, km,
                                 "'%s' has more than one of day, date and "
                                 "between; expected exactly one",
                                 path);
      if (!strcmp(key, "between")) {
        k->between = v;
        k->wm = km;
        continue;
      }
      int rc = event_day(L, v, km, key, path, kpath, &k->day);
      if (rc) return rc;
    } else if (kt || !strcmp(key, "branches")) {
      if (k->action || k->branches)
        return truce__load_error(L, TRUCE_EINVAL, km,
                                 "'%s' has both '%s' and '%s'; expected "
                                 "exactly one action (or branches) per "
                                 "event",
                                 path, k->type ? k->type->key : "branches",
                                 key);
      if (kt) {
        k->action = v;
        k->am = km;
        k->type = kt;
      } else {
        k->branches = v;
        k->bm = km;
      }
    } else if (!strcmp(key, "probability")) {
      k->prob = v;
      k->pm = km;
    } else if (!strcmp(key, "delay_days")) {
      k->delay = v;
      k->dm = km;
    } else if (in_list(event_keys, N_EVENT_KEYS, key)) {
      /* id, name, note, source, claimant, known_outcome (asof.c reads it) */
      if (!fy_node_is_scalar(v))
        return truce__load_error(L, TRUCE_EINVAL, truce__yaml_mark(v, km),
                                 "wrong type for '%s': found %s; expected a "
                                 "string",
                                 kpath, truce__yaml_kind(v));
      char t[16] = "";
      truce__yaml_text(v, t, sizeof t);
      if (!strcmp(key, "known_outcome") && !strcmp(t, "true")) k->known = true;
    } else {
      char exp[320];
      snprintf(exp, sizeof exp,
               "day, date or between, one of %s (or branches), and optional "
               "probability, delay_days, id, name, note, source, claimant, "
               "known_outcome",
               types);
      return unknown_key(L, km, key, path, event_keys, N_EVENT_KEYS, exp);
    }
  }
  if (k->day < 0 && !k->between)
    return truce__load_error(L, TRUCE_EINVAL, im,
                             "'%s' has no day or date; expected one of them "
                             "(or between: [D1, D2])",
                             path);
  if (!k->action && !k->branches)
    return truce__load_error(L, TRUCE_EINVAL, im,
                             "'%s' has no action; expected one of %s (or "
                             "branches)",
                             path, types);
  if (k->known && (k->prob || k->between || k->delay || k->branches))
    return truce__load_error(L, TRUCE_EINVAL, im,
                             "'%s' is a known-outcome event (a fact) but has "
                             "%s; expected a fixed day and one action",
                             path,
                             k->prob      ? "a probability"
                             : k->between ? "a window (between)"
                             : k->delay   ? "a delay"
                                          : "branches");
  if (k->between && k->delay)
    return truce__load_error(L, TRUCE_EINVAL, k->dm,
                             "'%s' has both between and delay_days; expected "
                             "at most one way to spread its day",
                             path);
  return 0;
}

/* One event: when (day, date or a window), then exactly one action of the
 * table or branches of them, maybe with a probability and a delay. */
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
  item_keys k;
  int rc = read_item(L, item, im, path, &k);
  if (rc) return rc;
  L->ev_key = k.key;
  /* the delay (a window or delay_days) first: the day it adds to */
  truce__dist d;
  bool delayed = false;
  double delay = 0;
  if (k.between) {
    if ((rc = parse_between(L, k.between, k.wm, path, &k.day, &d))) return rc;
    delayed = d.b > 1;
    delay = d.point;
  } else if (k.delay) {
    char dpath[128];
    snprintf(dpath, sizeof dpath, "%s.delay_days", path);
    static const truce__field df = {
        "delay_days", TRUCE_FK_NUM,           0, 0, 100000, 0, 0,
        NULL,         "a number of days >= 0"};
    if ((rc = truce__load_dist(L, k.delay, k.dm, dpath, &df, &d, &delayed,
                               &delay)))
      return rc;
    if (!delayed) k.day += (int)floor(delay); /* a fixed delay: a later day */
  }
  size_t di = 0;
  if (delayed && (rc = unc_add(L, &d, k.between ? "between" : "delay_days",
                               offsetof(truce__event, delay_days),
                               k.between ? k.wm : k.dm, &di)))
    return rc;
  double p = 1;
  if (k.prob && (rc = probability(L, k.prob, k.pm, path, &p))) return rc;
  const size_t n0 = out->n;
  rc = k.branches ? parse_branches(L, k.branches, k.bm, path, k.day, out)
                  : action_parse(L, k.action, k.am, path, k.type, k.day, out);
  L->ev_key = NULL;
  if (rc) return rc;
  bool uncertain = k.prob || delayed;
  for (size_t j = n0; j < out->n; j++) uncertain |= out->ev[j].uncertain;
  if (uncertain && !k.key[0])
    return truce__load_error(L, TRUCE_EINVAL, im,
                             "'%s' is uncertain but has no id or name; "
                             "expected an id (or a name) that keys its "
                             "draws",
                             path);
  uint64_t key = TRUCE_STREAM_EVENT(truce__fnv1a(TRUCE_FNV_BASIS, k.key));
  for (size_t j = n0; j < out->n; j++) {
    truce__event* e = &out->ev[j];
    e->key = key;
    e->known = k.known;
    if (!uncertain) continue;
    e->uncertain = true;
    e->probability = p;
    if (delayed) {
      e->delay_unc = (int)di;
      e->delay_days = delay;
    }
  }
  if (!k.key[0]) return 0;
  /* A known outcome with the id of an uncertain event of the base is its
   * outcome: the forecast's event gives way to the record. */
  size_t w = 0, replaced = 0;
  for (size_t j = 0; j < n0; j++) {
    const truce__event* e = &out->ev[j];
    if (e->key == key && e->uncertain && !e->known) {
      if (k.known) {
        replaced++;
        continue;
      }
      if (uncertain)
        return truce__load_error(L, TRUCE_EINVAL, im,
                                 "'%s' has the id '%s' of an earlier "
                                 "uncertain event; expected ids unique among "
                                 "uncertain events (each keys its own draws)",
                                 path, k.key);
    }
    out->ev[w++] = out->ev[j];
  }
  if (replaced) {
    memmove(out->ev + w, out->ev + n0, (out->n - n0) * sizeof *out->ev);
    out->n -= replaced;
  }
  return 0;
}

/* An upper bound on the events an item gives: one per action, a set one
 * per key, and the same for each branch. */
static size_t item_bound(struct fy_node* item) {
  if (!fy_node_is_mapping(item)) return 1;
  size_t cap = 1 + (size_t)fy_node_mapping_item_count(item);
  mark dm = {1, 1};
  struct fy_node* s = truce__yaml_lookup(item, "set", &dm);
  if (s && fy_node_is_mapping(s)) cap += (size_t)fy_node_mapping_item_count(s);
  struct fy_node* br = truce__yaml_lookup(item, "branches", &dm);
  if (br && fy_node_is_sequence(br)) {
    void* it = NULL;
    struct fy_node* b;
    while ((b = fy_node_sequence_iterate(br, &it))) cap += item_bound(b);
  }
  return cap;
}

int truce__load_events(truce__loader* L, struct fy_node* v, mark km) {
  if (!fy_node_is_sequence(v))
    return truce__load_error(L, TRUCE_EINVAL, truce__yaml_mark(v, km),
                             "wrong type for 'events': found %s; expected a "
                             "list of events",
                             truce__yaml_kind(v));
  size_t cap = 0;
  void* it = NULL;
  struct fy_node* item;
  while ((item = fy_node_sequence_iterate(v, &it))) cap += item_bound(item);
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

/* ------------------------------------------------------------ A run */

/* x drawn from d on its own stream (its point in deterministic mode). */
static double draw(truce_sim* sim, const truce__dist* d, uint64_t run) {
  if (!sim->stochastic) return d->point;
  truce_rng_reset(sim->prng, sim->m->seed, run, d->stream);
  return truce__dist_quantile(d, truce_rng_uniform(sim->prng));
}

int truce__events_draw(truce_sim* sim, uint64_t run) {
  const truce__model* m = sim->m;
  const truce__dist* unc = sim->sc->ev_unc;
  bool moved = false;
  sim->n_ev = 0;
  for (size_t i = 0; i < m->n_events; i++) {
    const truce__event* src = &m->events[i];
    truce__event* e = &sim->ev[sim->n_ev];
    *e = *src;
    if (src->uncertain) {
      bool happens;
      if (sim->stochastic) { /* two draws: occurrence, then branch */
        truce_rng_reset(sim->prng, m->seed, run, src->key);
        double u = truce_rng_uniform(sim->prng);
        double w = truce_rng_uniform(sim->prng);
        happens =
            u < src->probability && w >= src->branch_lo && w < src->branch_hi;
      } else {
        happens = src->probability >= 0.5 && src->modal;
      }
      if (!happens) continue;
      for (unsigned k = 0; k < src->n_unc; k++) {
        const truce__dist* d = &unc[src->unc0 + k];
        *(double*)((char*)e + d->off) = draw(sim, d, run);
      }
      if (src->delay_unc >= 0) {
        double x = draw(sim, &unc[src->delay_unc], run);
        e->day = src->day + (int)floor(x);
        moved |= e->day != src->day;
      }
    }
    sim->n_ev++;
  }
  return moved ? truce__sort_stable(sim->ctx, sim->ev, sim->n_ev,
                                    sizeof *sim->ev, by_day)
               : 0;
}
