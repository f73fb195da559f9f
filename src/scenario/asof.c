/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * No hindsight (docs/scenario.md, "No hindsight"): a scenario that
 * declares `as_of: DATE` may use only what was published by then. After
 * the loader has read a file, every number whose provenance date is
 * surely after as_of (its earliest day: YYYY-01-01 for a year, YYYY-MM-01
 * for a month) is refused, and so is every event that happens after it,
 * unless it is a forecast (it has a probability or branches, whose
 * numbers are dated as any) or a known-outcome event (`known_outcome: true`),
 * the recorded past that only an overlay for a conditional hindcast may carry
 * (truce_scenario_overlay, read here too). A known-outcome event in a
 * scenario file is an error whether or not it declares as_of; an
 * overlay's numbers are the record and are not checked.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "load.h"

int truce__load_as_of(truce__loader* L, struct fy_node* v, mark km) {
  char t[32] = "";
  mark vm = truce__yaml_mark(v, km);
  if (!truce__yaml_text(v, t, sizeof t) || !truce__date_valid(t))
    return truce__load_error(L, TRUCE_EINVAL, vm,
                             "bad date '%s' for "
                             "'as_of'; expected YYYY-MM-DD",
                             t);
  memcpy(L->sc->as_of, t, 11);
  return 0;
}

/* The earliest day (days since 1970, negative before) a provenance date
 * can mean: YYYY, YYYY-MM or YYYY-MM-DD; false when it is none of these. */
static bool earliest_day(const char* s, long* day) {
  char buf[16];
  size_t n = strlen(s);
  if (n == 4 || n == 7) {
    snprintf(buf, sizeof buf, "%s%s", s, n == 4 ? "-01-01" : "-01");
    s = buf;
  } else if (n != 10) {
    return false;
  }
  if (!truce__date_valid(s)) return false;
  *day = truce__date_to_days(s);
  return true;
}

/* Event i's `known_outcome` (false when absent); -1 after an error. */
static int known_outcome(truce__loader* L, struct fy_node* item, mark im,
                         size_t i) {
  mark km = im;
  struct fy_node* v = truce__yaml_lookup(item, "known_outcome", &km);
  if (!v) return 0;
  char t[16] = "";
  truce__yaml_text(v, t, sizeof t);
  if (strcmp(t, "true") && strcmp(t, "false")) {
    truce__load_error(L, TRUCE_EINVAL, truce__yaml_mark(v, km),
                      "bad value "
                      "'%s' for 'events[%zu].known_outcome'; expected true "
                      "or false",
                      t, i);
    return -1;
  }
  return !strcmp(t, "true");
}

/* Events: a known outcome only in an overlay, and in an overlay only
 * known outcomes; outside one, nothing after as_of. */
static int check_events(truce__loader* L, struct fy_node* root, bool overlay,
                        long asof) {
  truce_scenario* sc = L->sc;
  mark em = {1, 1};
  struct fy_node* ev = truce__yaml_lookup(root, "events", &em);
  void* it = NULL;
  struct fy_node* item;
  for (size_t i = 0; ev && (item = fy_node_sequence_iterate(ev, &it)); i++) {
    mark im = truce__yaml_mark(item, em);
    int k = known_outcome(L, item, im, i);
    if (k < 0) return TRUCE_EINVAL;
    char name[200] = "", label[240] = "";
    mark nm = im, dm = im;
    struct fy_node* nv = truce__yaml_lookup(item, "name", &nm);
    if (nv) truce__yaml_text(nv, name, sizeof name);
    snprintf(label, sizeof label, "events[%zu]%s%s%s", i, name[0] ? " ('" : "",
             name, name[0] ? "')" : "");
    if (k && !overlay) {
      mark km = im;
      truce__yaml_lookup(item, "known_outcome", &km);
      return truce__load_error(L, TRUCE_EINVAL, km,
                               "%s is a known-outcome "
                               "event; expected it only in an overlay for a "
                               "conditional hindcast (truce run BASE "
                               "--overlay RECORD.yaml; docs/scenario.md)",
                               label);
    }
    if (overlay && !k)
      return truce__load_error(L, TRUCE_EINVAL, im,
                               "%s in an overlay is not "
                               "marked 'known_outcome: true'; expected the "
                               "overlay to hold only the recorded past",
                               label);
    if (asof < 0 || k) continue;
    /* a forecast of an event: a probability, or branches with theirs,
     * whose numbers are dated like any (the loop over numbers below) */
    mark um = im;
    if (truce__yaml_lookup(item, "probability", &um) ||
        truce__yaml_lookup(item, "branches", &um))
      continue;
    /* its date, or its day number, or its window's first one */
    struct fy_node* dv = truce__yaml_lookup(item, "date", &dm);
    if (!dv) dv = truce__yaml_lookup(item, "day", &dm);
    if (!dv) {
      struct fy_node* w = truce__yaml_lookup(item, "between", &dm);
      if (w && fy_node_is_sequence(w)) dv = fy_node_sequence_get_by_index(w, 0);
    }
    char ds[32] = "";
    if (!dv || !truce__yaml_text(dv, ds, sizeof ds)) continue;
    long when;
    if (strchr(ds, '-')) {
      when = truce__date_to_days(ds);
    } else {
      if (!sc->start[0]) continue; /* a day number with no calendar */
      when = truce__date_to_days(sc->start) + atol(ds);
      truce__date_from_days(when, ds);
    }
    if (when > asof)
      return truce__load_error(L, TRUCE_EINVAL, truce__yaml_mark(dv, dm),
                               "%s happens on %s, after as_of %s; expected "
                               "only events known by then, or a forecast of "
                               "it (a probability or branches, "
                               "docs/scenario.md); a conditional hindcast "
                               "adds the record with --overlay",
                               label, ds, sc->as_of);
  }
  return 0;
}

int truce__asof_check(truce__loader* L, struct fy_node* root, bool overlay) {
  truce_scenario* sc = L->sc;
  const long asof = sc->as_of[0] ? truce__date_to_days(sc->as_of) : -1;
  int rc = check_events(L, root, overlay, asof);
  for (size_t p = 0; !rc && asof >= 0 && !overlay && p < sc->n_prov; p++) {
    const truce__prov* r = &sc->prov[p];
    if (!r->date || !r->line) continue;
    mark m = {r->line, r->column};
    long d = 0;
    if (!earliest_day(r->date, &d))
      rc = truce__load_error(L, TRUCE_EINVAL, m,
                             "bad date '%s' for '%s'; "
                             "expected YYYY, YYYY-MM or YYYY-MM-DD (as_of "
                             "compares every dated number)",
                             r->date, r->path);
    else if (d > asof)
      rc = truce__load_error(L, TRUCE_EINVAL, m,
                             "'%s' is dated %s, after "
                             "as_of %s; expected only numbers published by "
                             "then (no hindsight in a forecast)",
                             r->path, r->date, sc->as_of);
  }
  return rc;
}

/* ---------------------------------------------------------------- Overlay
 * `truce: 1`, `overlay:` (what record it is) and `events:`, every one a
 * known-outcome event, added to sc's. Its numbers' paths start with
 * "overlay.". */
int truce__scenario_overlay_parse(truce_ctx* ctx, truce_scenario* sc,
                                  const char* name, const char* text,
                                  size_t len);

int truce__scenario_overlay_parse(truce_ctx* ctx, truce_scenario* sc,
                                  const char* name, const char* text,
                                  size_t len) {
  truce__loader L;
  memset(&L, 0, sizeof L);
  L.ctx = ctx;
  L.sc = sc;
  L.file = name;
  L.ev_prefix = "overlay.";
  mark top = {1, 1};
  L.share_mark[0] = L.share_mark[1] = L.terr_mark = L.step_mark = top;
  struct fy_document* doc;
  struct fy_node* root;
  int rc = truce__load_document(&L, text, len, top,
                                "a mapping with truce: 1, overlay and events",
                                &doc, &root);
  if (rc) return rc;
  static const char* const keys[] = {"truce", "overlay", "events"};
  struct fy_node* v[3] = {NULL, NULL, NULL};
  mark km[3] = {top, top, top};
  void* it = NULL;
  struct fy_node_pair* pr;
  while (!rc && (pr = fy_node_mapping_iterate(root, &it))) {
    char key[64] = "";
    mark m = truce__yaml_mark(fy_node_pair_key(pr), top);
    truce__yaml_text(fy_node_pair_key(pr), key, sizeof key);
    size_t k = 0;
    while (k < 3 && strcmp(key, keys[k])) k++;
    if (k == 3)
      rc = truce__load_error(&L, TRUCE_EINVAL, m,
                             "unknown key '%s' in an "
                             "overlay; expected truce, overlay and events "
                             "(the rest of the scenario comes from the base "
                             "file)",
                             key);
    else {
      v[k] = fy_node_pair_value(pr);
      km[k] = m;
    }
  }
  char t[32] = "";
  for (size_t k = 0; k < 3 && !rc; k++)
    if (!v[k])
      rc = truce__load_error(&L, TRUCE_EINVAL, top,
                             "missing required field "
                             "'%s' in an overlay; expected truce: 1, "
                             "overlay: WHAT RECORD and events",
                             keys[k]);
  if (!rc && (!truce__yaml_text(v[0], t, sizeof t) || strcmp(t, "1")))
    rc = truce__load_error(&L, TRUCE_EINVAL, truce__yaml_mark(v[0], km[0]),
                           "unsupported format version '%s'; expected "
                           "'truce: 1'",
                           t);
  if (!rc && !fy_node_is_scalar(v[1]))
    rc = truce__load_error(&L, TRUCE_EINVAL, truce__yaml_mark(v[1], km[1]),
                           "wrong type for 'overlay': found %s; expected a "
                           "string saying what record it is",
                           truce__yaml_kind(v[1]));
  if (!rc) rc = truce__load_events(&L, v[2], km[2]);
  if (!rc) rc = truce__asof_check(&L, root, true);
  fy_document_destroy(doc);
  return rc;
}
