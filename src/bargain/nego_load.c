/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The negotiation section of a scenario (docs/bargaining.md): the
 * discrete issues and their options, each side's weights, values, costs,
 * beliefs and decrees, and a third-party guarantee, into truce__nego
 * (src/scenario/nego.h). Read here, beside the bargaining model that uses
 * it, with the scenario loader's helpers; the numbers that may be
 * uncertain are declared in the schema (truce__nego_fields).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../scenario/load.h"

/* An issue or option name: a scalar that is an id (truce__load_valid_id)
 * of at most TRUCE_NAME_MAX - 1 bytes, copied into dst[TRUCE_NAME_MAX]
 * (cut there for the message when too long). These names reach the
 * report's headline and the terminal, so they keep to the ids' alphabet. */
static bool nego_name(struct fy_node* k, char* dst) {
  size_t len = 0;
  dst[0] = '\0';
  if (!truce__yaml_text(k, dst, TRUCE_NAME_MAX)) return false;
  fy_node_get_scalar(k, &len);
  return len < TRUCE_NAME_MAX && truce__load_valid_id(dst);
}

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

typedef struct {
  const truce__issue* is;
  int k; /* the issue's index */
  const char* path;
} names_user;

static int option_name(truce__loader* L, const char* opt, mark om,
                       struct fy_node* val, const char* p, void* user) {
  const names_user* u = user;
  int o = option_index(u->is, opt);
  if (o < 0)
    return truce__load_error(L, TRUCE_EINVAL, om,
                             "unknown option '%s' in '%s.names'; expected "
                             "one of '%s.options'",
                             opt, u->path, u->path);
  return truce__load_name_field(L, val, om, p, L->sc->option_name[u->k][o]);
}

/* An issue's `names: {OPTION: display name}` (optional). */
static int option_names(truce__loader* L, const truce__issue* is,
                        struct fy_node* iv, mark m, const char* path, int k) {
  mark nm = m;
  struct fy_node* names = truce__yaml_lookup(iv, "names", &nm);
  if (!names) return 0;
  char p[160];
  snprintf(p, sizeof p, "%s.names", path);
  names_user u = {is, k, path};
  return truce__load_entries(
      L, names, nm, p, "a mapping of option to display name", option_name, &u);
}

static int nego_issues(truce__loader* L, truce__nego* n, struct fy_node* v,
                       mark km) {
  static const char* const ik[] = {"options", "status_quo", "note", "names"};
  if (!fy_node_is_mapping(v))
    return truce__load_error(
        L, TRUCE_EINVAL, truce__yaml_mark(v, km),
        "wrong type for "
        "'negotiation.issues'; expected a mapping of issue names");
  void* it = NULL;
  struct fy_node_pair* pr;
  while ((pr = fy_node_mapping_iterate(v, &it))) {
    mark m = truce__yaml_mark(fy_node_pair_key(pr), km);
    if (n->n_issues == TRUCE_MAX_ISSUES)
      return truce__load_error(L, TRUCE_EINVAL, m,
                               "too many issues; expected at most %d "
                               "besides territory",
                               TRUCE_MAX_ISSUES);
    truce__issue* is = &n->issue[n->n_issues];
    char path[96];
    if (!nego_name(fy_node_pair_key(pr), is->name))
      return truce__load_error(L, TRUCE_EINVAL, m,
                               "bad issue name '%s'; "
                               "expected letters, digits, '_' or '-' (at "
                               "most %d)",
                               is->name, TRUCE_NAME_MAX - 1);
    if (!strcmp(is->name, "territory"))
      return truce__load_error(
          L, TRUCE_EINVAL, m,
          "'territory' is the continuous issue "
          "and needs no entry; expected the discrete issues only");
    snprintf(path, sizeof path, "negotiation.issues.%s", is->name);
    struct fy_node* iv = fy_node_pair_value(pr);
    int rc = truce__load_keys(L, iv, m, path, ik, 4);
    if (rc) return rc;
    mark om = m, sm = m;
    struct fy_node* opts = truce__yaml_lookup(iv, "options", &om);
    if (!opts || !fy_node_is_sequence(opts) ||
        fy_node_sequence_item_count(opts) < 2 ||
        fy_node_sequence_item_count(opts) > TRUCE_MAX_OPTIONS)
      return truce__load_error(L, TRUCE_EINVAL,
                               opts ? truce__yaml_mark(opts, om) : m,
                               "'%s.options' must list 2 to %d option names",
                               path, TRUCE_MAX_OPTIONS);
    void* i2 = NULL;
    struct fy_node* on;
    while ((on = fy_node_sequence_iterate(opts, &i2))) {
      char* dst = is->option[is->n_options];
      if (!nego_name(on, dst))
        return truce__load_error(L, TRUCE_EINVAL, truce__yaml_mark(on, om),
                                 "bad option name '%s' in '%s'; expected "
                                 "letters, digits, '_' or '-' (at most %d)",
                                 dst, path, TRUCE_NAME_MAX - 1);
      if (option_index(is, dst) >= 0)
        return truce__load_error(L, TRUCE_EINVAL, truce__yaml_mark(on, om),
                                 "duplicate "
                                 "option '%s' in '%s'",
                                 dst, path);
      is->n_options++;
    }
    struct fy_node* sq = truce__yaml_lookup(iv, "status_quo", &sm);
    char t[TRUCE_NAME_MAX] = "";
    if (!sq || !truce__yaml_text(sq, t, sizeof t) ||
        (is->status_quo = option_index(is, t)) < 0)
      return truce__load_error(
          L, TRUCE_EINVAL, sq ? truce__yaml_mark(sq, sm) : m,
          "'%s.status_quo' must name one of its options (what holds "
          "while the war goes on)",
          path);
    if ((rc = option_names(L, is, iv, m, path, n->n_issues))) return rc;
    n->n_issues++;
  }
  return 0;
}

/* The day of the event named `name` in the file's events section (its
 * day, or its date from the start), for claims that lapse or come into
 * force on an event. */
static int event_day(truce__loader* L, struct fy_node* at, mark m,
                     const char* path, const char* name, int* day) {
  struct fy_node* root = fy_document_root(fy_node_document(at));
  mark em = m;
  struct fy_node* evs = root ? truce__yaml_lookup(root, "events", &em) : NULL;
  void* it = NULL;
  struct fy_node* item;
  while (evs && fy_node_is_sequence(evs) &&
         (item = fy_node_sequence_iterate(evs, &it))) {
    char t[256] = "", ds[32] = "";
    mark im = em;
    struct fy_node* nm =
        fy_node_is_mapping(item) ? truce__yaml_lookup(item, "name", &im) : NULL;
    if (!nm || !truce__yaml_text(nm, t, sizeof t) || strcmp(t, name)) continue;
    struct fy_node* dv = truce__yaml_lookup(item, "day", &im);
    if (dv) {
      double d;
      int rc = truce__load_in_range(L, dv, im, path, 0, 100000, true, &d);
      if (!rc) *day = (int)d;
      return rc;
    }
    dv = truce__yaml_lookup(item, "date", &im);
    if (dv && truce__yaml_text(dv, ds, sizeof ds) && truce__date_valid(ds) &&
        L->sc->start[0]) {
      *day = (int)(truce__date_to_days(ds) - truce__date_to_days(L->sc->start));
      return 0;
    }
  }
  return truce__load_error(L, TRUCE_EINVAL, m,
                           "no event named '%s' for "
                           "'%s'; expected the name of an event in the "
                           "events section (with a day or a date)",
                           name, path);
}

/* When a claim comes into force or lapses: a day number, a date, or
 * {event: NAME}. */
static int claim_day(truce__loader* L, struct fy_node* v, mark m,
                     const char* path, int* day) {
  if (fy_node_is_mapping(v)) {
    static const char* const ek[] = {"event"};
    int rc = truce__load_keys(L, v, m, path, ek, 1);
    if (rc) return rc;
    mark em = m;
    struct fy_node* e = truce__yaml_lookup(v, "event", &em);
    char name[256];
    if (!e || !truce__yaml_text(e, name, sizeof name))
      return truce__load_error(L, TRUCE_EINVAL, m, "'%s' needs event: NAME",
                               path);
    return event_day(L, v, em, path, name, day);
  }
  char t[32] = "";
  truce__yaml_text(v, t, sizeof t);
  if (truce__date_valid(t)) {
    if (!L->sc->start[0])
      return truce__load_error(L, TRUCE_EINVAL, truce__yaml_mark(v, m),
                               "'%s' gives a date but the scenario has no "
                               "'start'; expected a day number",
                               path);
    *day = (int)(truce__date_to_days(t) - truce__date_to_days(L->sc->start));
    return 0;
  }
  double d;
  int rc = truce__load_in_range(L, v, m, path, -100000, 100000, true, &d);
  if (!rc) *day = (int)d;
  return rc;
}

/* A side's claims (docs/bargaining.md, "Claims and hand-ties"): a list of
 * {issue, threshold, audience_cost (a number or 'never'), from, until}
 * with provenance. For territory the threshold is the km2 of
 * front.area_km2 the side must hold; for a discrete issue the side's value
 * of the option it must get at least. */
static int nego_claims(truce__loader* L, truce__nego* n, int s,
                       struct fy_node* v, mark km, const char* path) {
  static const char* const ck[] = {"issue",  "threshold", "audience_cost",
                                   "from",   "until",     "note",
                                   "source", "claimant",  "date"};
  if (!fy_node_is_sequence(v))
    return truce__load_error(L, TRUCE_EINVAL, truce__yaml_mark(v, km),
                             "wrong type for '%s': found %s; expected a "
                             "list of claims",
                             path, truce__yaml_kind(v));
  void* it = NULL;
  struct fy_node* item;
  int idx = 0, rc;
  while ((item = fy_node_sequence_iterate(v, &it))) {
    char sub[176], full[224], t[64] = "";
    mark m = truce__yaml_mark(item, km);
    snprintf(sub, sizeof sub, "%s[%d]", path, idx++);
    if ((rc = truce__load_keys(L, item, m, sub, ck, sizeof ck / sizeof ck[0])))
      return rc;
    if (n->claims.n == TRUCE_MAX_CLAIMS)
      return truce__load_error(L, TRUCE_EINVAL, m,
                               "too many claims; "
                               "expected at most %d for both sides",
                               TRUCE_MAX_CLAIMS);
    truce__claim* c = &n->claims.claim[n->claims.n];
    c->side = s;
    c->from_day = -100000;
    c->until_day = 1 << 30;
    mark im = m;
    struct fy_node* x = truce__yaml_lookup(item, "issue", &im);
    if (!x || !truce__yaml_text(x, t, sizeof t))
      return truce__load_error(L, TRUCE_EINVAL, m,
                               "'%s' needs issue "
                               "(territory or an issue listed under "
                               "negotiation.issues)",
                               sub);
    c->issue = strcmp(t, "territory") ? issue_index(n, t) : -1;
    if (c->issue < 0 && strcmp(t, "territory"))
      return truce__load_error(L, TRUCE_EINVAL, truce__yaml_mark(x, im),
                               "unknown issue '%s' in '%s'; expected "
                               "territory or an issue listed under "
                               "negotiation.issues",
                               t, sub);
    im = m;
    x = truce__yaml_lookup(item, "threshold", &im);
    snprintf(full, sizeof full, "%s.threshold", sub);
    if (!x)
      return truce__load_error(L, TRUCE_EINVAL, m,
                               "'%s' needs threshold "
                               "(km2 the side must hold, or the value of the "
                               "option it must get)",
                               sub);
    if ((rc = truce__load_in_range(L, x, im, full, 0, c->issue < 0 ? 1e8 : 1,
                                   false, &c->threshold)))
      return rc;
    im = m;
    x = truce__yaml_lookup(item, "audience_cost", &im);
    snprintf(full, sizeof full, "%s.audience_cost", sub);
    t[0] = '\0';
    if (!x)
      return truce__load_error(L, TRUCE_EINVAL, m,
                               "'%s' needs audience_cost "
                               "(a utility, or never)",
                               sub);
    if (fy_node_is_scalar(x) && truce__yaml_text(x, t, sizeof t) &&
        !strcmp(t, "never"))
      c->cost = HUGE_VAL;
    else if ((rc =
                  truce__load_in_range(L, x, im, full, 0, 10, false, &c->cost)))
      return rc;
    static const char* const when[] = {"from", "until"};
    for (int w = 0; w < 2; w++) {
      im = m;
      x = truce__yaml_lookup(item, when[w], &im);
      snprintf(full, sizeof full, "%s.%s", sub, when[w]);
      if (x &&
          (rc = claim_day(L, x, im, full, w ? &c->until_day : &c->from_day)))
        return rc;
    }
    if (c->until_day <= c->from_day)
      return truce__load_error(L, TRUCE_EINVAL, m,
                               "'%s' lapses before it "
                               "comes into force; expected until after from",
                               sub);
    n->claims.n++;
  }
  return 0;
}

/* A side's weights or values in the negotiation n, at path. */
typedef struct {
  const truce__nego* n;
  truce__nego_side* ns;
  const char* path;
  int issue;  /* side_values: the issue whose options are read */
  double sum; /* side_weights: the weights so far */
  bool* seen; /* side_values: the issue's options seen */
} nego_user;

/* issue: weight (or territory: weight). */
static int side_weight(truce__loader* L, const char* is, mark im,
                       struct fy_node* v, const char* full, void* user) {
  nego_user* u = user;
  int k = issue_index(u->n, is);
  double* dst = !strcmp(is, "territory") ? &u->ns->w_territory
                : k >= 0                 ? &u->ns->w[k]
                                         : NULL;
  if (!dst)
    return truce__load_error(L, TRUCE_EINVAL, im,
                             "unknown issue '%s' in '%s'; "
                             "expected territory or an issue listed under "
                             "negotiation.issues",
                             is, u->path);
  int rc = truce__load_in_range(L, v, im, full, 0, 1, false, dst);
  u->sum += *dst;
  return rc;
}

/* weights: {territory | issue: weight}, summing to 1. */
static int side_weights(truce__loader* L, truce__nego* n, truce__nego_side* ns,
                        struct fy_node* val, mark m, const char* sub) {
  nego_user u = {n, ns, sub, -1, 0, NULL};
  int rc =
      truce__load_entries(L, val, m, sub, "issue: weight", side_weight, &u);
  if (rc) return rc;
  if (fabs(u.sum - 1) > 1e-9)
    return truce__load_error(L, TRUCE_EINVAL, m,
                             "the weights in '%s' sum to %g; "
                             "expected them to sum to 1",
                             sub, u.sum);
  return 0;
}

/* option: value, of issue u->issue. */
static int option_value(truce__loader* L, const char* on, mark om,
                        struct fy_node* v, const char* full, void* user) {
  nego_user* u = user;
  const truce__issue* is = &u->n->issue[u->issue];
  int o = option_index(is, on);
  if (o < 0)
    return truce__load_error(L, TRUCE_EINVAL, om,
                             "unknown option '%s' of issue "
                             "'%s'",
                             on, is->name);
  u->seen[o] = true;
  return truce__load_in_range(L, v, om, full, 0, 1, false,
                              &u->ns->value[u->issue][o]);
}

/* issue: {option: value}, one per option. */
static int issue_values(truce__loader* L, const char* is, mark im,
                        struct fy_node* v, const char* full, void* user) {
  nego_user* u = user;
  int k = issue_index(u->n, is);
  if (k < 0)
    return truce__load_error(
        L, TRUCE_EINVAL, im,
        "unknown issue '%s' in '%s'; "
        "expected an issue listed under negotiation.issues",
        is, u->path);
  bool seen[TRUCE_MAX_OPTIONS] = {false};
  nego_user o = {u->n, u->ns, full, k, 0, seen};
  int rc =
      truce__load_entries(L, v, im, full, "option: value", option_value, &o);
  if (rc) return rc;
  for (int j = 0; j < u->n->issue[k].n_options; j++)
    if (!seen[j])
      return truce__load_error(L, TRUCE_EINVAL, im,
                               "'%s' has no value for "
                               "option '%s'; expected one per option",
                               full, u->n->issue[k].option[j]);
  return 0;
}

/* values: {issue: {option: value}}, one per option. */
static int side_values(truce__loader* L, truce__nego* n, truce__nego_side* ns,
                       struct fy_node* val, mark m, const char* sub) {
  nego_user u = {n, ns, sub, -1, 0, NULL};
  return truce__load_entries(L, val, m, sub, "issue: {option: value}",
                             issue_values, &u);
}

/* decree: {audience_cost, lifted_day}: talks cost an audience cost until
 * lifted. */
static int side_decree(truce__loader* L, truce__nego* n, truce__nego_side* ns,
                       struct fy_node* val, mark m, const char* sub) {
  int rc = 0;
  (void)n;
  static const char* const dk[] = {"audience_cost", "lifted_day", "note",
                                   "source",        "claimant",   "date"};
  if ((rc = truce__load_keys(L, val, m, sub, dk, 6))) return rc;
  ns->has_decree = true;
  ns->decree_lifted_day = 1 << 30;
  mark am = m, lm = m;
  struct fy_node* a = truce__yaml_lookup(val, "audience_cost", &am);
  struct fy_node* l = truce__yaml_lookup(val, "lifted_day", &lm);
  char full[200];
  snprintf(full, sizeof full, "%s.audience_cost", sub);
  if (!a)
    return truce__load_error(L, TRUCE_EINVAL, m, "'%s' needs audience_cost",
                             sub);
  if ((rc = truce__load_in_range(L, a, am, full, 0, 10, false,
                                 &ns->audience_cost)))
    return rc;
  if (l) {
    double d;
    snprintf(full, sizeof full, "%s.lifted_day", sub);
    if ((rc = truce__load_in_range(L, l, lm, full, 0, 100000, true, &d)))
      return rc;
    ns->decree_lifted_day = (int)d;
  }
  return rc;
}

static int nego_side(truce__loader* L, truce__nego* n, int s, struct fy_node* v,
                     mark km) {
  static const char* const sk[] = {"weights",
                                   "values",
                                   "cost_per_year",
                                   "cost_per_100k_casualties",
                                   "discount_per_year",
                                   "optimism",
                                   "prior_sd",
                                   "bargaining_power",
                                   "decree",
                                   "note",
                                   "aid_bias",
                                   "claims"};
  char path[96];
  snprintf(path, sizeof path, "negotiation.sides.%s", L->sc->side_id[s]);
  int rc = truce__load_keys(L, v, km, path, sk, sizeof sk / sizeof sk[0]);
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
      rc = side_weights(L, n, ns, val, m, sub);
    } else if (!strcmp(key, "values")) {
      has_v = true;
      rc = side_values(L, n, ns, val, m, sub);
    } else if (!strcmp(key, "decree")) {
      rc = side_decree(L, n, ns, val, m, sub);
    } else if (!strcmp(key, "claims")) {
      rc = nego_claims(L, n, s, val, m, sub);
    } else if (!strcmp(key, "note")) {
      continue;
    } else { /* a number that may be uncertain (drawn per run) */
      const truce__field* f = truce__field_find(truce__nego_side_fields,
                                                truce__n_nego_side_fields, key);
      size_t off = truce__nego_side_base((size_t)s) + f->off;
      rc = truce__load_uncertain(L, val, m, sub, f, off,
                                 (double*)((char*)&L->sc->model + off));
    }
    if (rc) return rc;
  }
  if (!has_w)
    return truce__load_error(L, TRUCE_EINVAL, km,
                             "'%s' needs weights (territory and each "
                             "issue, summing to 1)",
                             path);
  if (!has_v && n->n_issues > 0)
    return truce__load_error(L, TRUCE_EINVAL, km,
                             "'%s' needs values for each issue's "
                             "options",
                             path);
  return 0;
}

/* full_value: {side: value}, each in [-1, 1]. */
static int full_value(truce__loader* L, const char* id, mark im,
                      struct fy_node* v, const char* full, void* user) {
  truce__nego* n = user;
  int s = truce__load_side(L, id);
  if (s < 0)
    return truce__load_error(L, TRUCE_EINVAL, im,
                             "reference to an unknown side '%s' "
                             "in 'negotiation.guarantee.full_value'",
                             id);
  return truce__load_in_range(L, v, im, full, -1, 1, false, &n->g_full[s]);
}

/* guarantee: {issue, option, credibility, full_value: {side: value}}, a
 * third party's guarantee of one option (docs/bargaining.md). */
static int guarantee(truce__loader* L, truce__nego* n, struct fy_node* g,
                     mark m) {
  int rc;
  static const char* const gk[] = {"issue",      "option",  "credibility",
                                   "full_value", "note",    "source",
                                   "claimant",   "strength"};
  if ((rc = truce__load_keys(L, g, m, "negotiation.guarantee", gk, 8)))
    return rc;
  char t[64] = "";
  mark m2 = m;
  struct fy_node* x = truce__yaml_lookup(g, "issue", &m2);
  if (!x || !truce__yaml_text(x, t, sizeof t) ||
      (n->g_issue = issue_index(n, t)) < 0)
    return truce__load_error(
        L, TRUCE_EINVAL, x ? truce__yaml_mark(x, m2) : m,
        "'negotiation.guarantee.issue' must name a discrete issue");
  m2 = m;
  x = truce__yaml_lookup(g, "option", &m2);
  if (!x || !truce__yaml_text(x, t, sizeof t) ||
      (n->g_option = option_index(&n->issue[n->g_issue], t)) < 0)
    return truce__load_error(
        L, TRUCE_EINVAL, x ? truce__yaml_mark(x, m2) : m,
        "'negotiation.guarantee.option' must name an option of "
        "'%s'",
        n->issue[n->g_issue].name);
  m2 = m;
  x = truce__yaml_lookup(g, "credibility", &m2);
  const truce__field* cf = &truce__guarantee_credibility_field;
  if (!x ||
      (rc = truce__load_uncertain(L, x, m2, "negotiation.guarantee.credibility",
                                  cf, cf->off, &n->g_credibility)))
    return rc ? rc
              : truce__load_error(L, TRUCE_EINVAL, m,
                                  "'negotiation.guarantee' "
                                  "needs credibility (0 to 1)");
  m2 = m;
  x = truce__yaml_lookup(g, "strength", &m2);
  const truce__field* sf = &truce__guarantee_strength_field;
  if (x &&
      (rc = truce__load_uncertain(L, x, m2, "negotiation.guarantee.strength",
                                  sf, sf->off, &n->g_strength)))
    return rc;
  m2 = m;
  x = truce__yaml_lookup(g, "full_value", &m2);
  if (!x)
    return truce__load_error(
        L, TRUCE_EINVAL, m,
        "'negotiation.guarantee' needs "
        "full_value: {side: value of a fully credible guarantee}");
  if ((rc = truce__load_entries(L, x, m2, "negotiation.guarantee.full_value",
                                "{side: value of a fully credible guarantee}",
                                full_value, n)))
    return rc;
  n->has_guarantee = true;
  return 0;
}

/* The negotiation's settings: the stated terms' file, the decision
 * rhythm and horizon, the (possibly uncertain) numbers of its field table
 * and the ripeness. */
static int nego_settings(truce__loader* L, truce__nego* n, struct fy_node* v,
                         mark km) {
  int rc;
  mark m;
  double d;
  m = km;
  struct fy_node* stf = truce__yaml_lookup(v, "stated_terms", &m);
  if (stf) { /* a path relative to the scenario file */
    char text[400];
    if ((rc = truce__load_string(L, stf, m, "negotiation.stated_terms", text,
                                 sizeof text)))
      return rc;
    const char* slash = text[0] == '/' ? NULL : strrchr(L->file, '/');
    snprintf(n->stated_terms, sizeof n->stated_terms, "%.*s%s",
             slash ? (int)(slash - L->file + 1) : 0, L->file, text);
  }
#define NUM_OPT(key, lo, hi, integer, dst)                                    \
  m = km;                                                                     \
  if (truce__yaml_lookup(v, key, &m)) {                                       \
    if ((rc = truce__load_in_range(L, truce__yaml_lookup(v, key, &m), m,      \
                                   "negotiation." key, lo, hi, integer, &d))) \
      return rc;                                                              \
    dst = (int)d;                                                             \
  }
  NUM_OPT("decision_every_days", 1, 365, true, n->every);
  NUM_OPT("projection_days", 1, 36500, true, n->projection);
  for (size_t k = 0; k < truce__n_nego_fields; k++) { /* may be uncertain */
    const truce__field* f = &truce__nego_fields[k];
    char full[96];
    snprintf(full, sizeof full, "negotiation.%s", f->key);
    m = km;
    struct fy_node* x = truce__yaml_lookup(v, f->key, &m);
    if (x &&
        (rc = truce__load_uncertain(L, x, m, full, f, f->off,
                                    (double*)((char*)&L->sc->model + f->off))))
      return rc;
  }
#undef NUM_OPT
  m = km;
  struct fy_node* rp = truce__yaml_lookup(v, "ripeness", &m);
  if (rp) {
    static const char* const rk[] = {"decisive_probability", "cost_per_year"};
    if ((rc = truce__load_keys(L, rp, m, "negotiation.ripeness", rk, 2)))
      return rc;
    mark m2 = m;
    struct fy_node* x = truce__yaml_lookup(rp, "decisive_probability", &m2);
    if (x && (rc = truce__load_in_range(
                  L, x, m2, "negotiation.ripeness.decisive_probability", 0, 1,
                  false, &n->ripe_p)))
      return rc;
    m2 = m;
    x = truce__yaml_lookup(rp, "cost_per_year", &m2);
    if (x && (rc = truce__load_in_range(L, x, m2,
                                        "negotiation.ripeness.cost_per_year", 0,
                                        10, false, &n->ripe_cost)))
      return rc;
  }
  return 0;
}

/* negotiation.sides: each side's weights, values and costs, both
 * sides given. */
static int nego_sides(truce__loader* L, truce__nego* n, struct fy_node* v,
                      mark km) {
  int rc;
  mark m = km;
  struct fy_node* sd = truce__yaml_lookup(v, "sides", &m);
  if (!sd || !fy_node_is_mapping(sd))
    return truce__load_error(
        L, TRUCE_EINVAL, sd ? truce__yaml_mark(sd, m) : km,
        "'negotiation.sides' must give each side's weights, values "
        "and costs");
  bool seen[2] = {false, false};
  void* it = NULL;
  struct fy_node_pair* pr;
  while ((pr = fy_node_mapping_iterate(sd, &it))) {
    char id[64];
    mark im = truce__yaml_mark(fy_node_pair_key(pr), m);
    truce__yaml_text(fy_node_pair_key(pr), id, sizeof id);
    int s = truce__load_side(L, id);
    if (s < 0)
      return truce__load_error(L, TRUCE_EINVAL, im,
                               "reference to an unknown side '%s' in "
                               "'negotiation.sides'; expected '%s' or '%s'",
                               id, L->sc->side_id[0], L->sc->side_id[1]);
    if ((rc = nego_side(L, n, s, fy_node_pair_value(pr), im))) return rc;
    seen[s] = true;
  }
  for (int s = 0; s < 2; s++)
    if (!seen[s])
      return truce__load_error(L, TRUCE_EINVAL, m,
                               "missing required field "
                               "'negotiation.sides.%s'",
                               L->sc->side_id[s]);
  return 0;
}

int truce__load_negotiation(truce__loader* L, struct fy_node* v, mark km) {
  static const char* const nk[] = {"decision_every_days",
                                   "projection_days",
                                   "observation_noise",
                                   "territory_per_log_ratio",
                                   "contested_share",
                                   "ripeness",
                                   "issues",
                                   "sides",
                                   "guarantee",
                                   "note",
                                   "ceasefire_days",
                                   "reconstitution_sd",
                                   "endurance_sd",
                                   "aid_share_of_inflow",
                                   "aid_observation_noise",
                                   "election_spread",
                                   "agreement_per_month_open",
                                   "agreement_per_month_ripe",
                                   "stated_terms"};
  truce__nego* n = &L->sc->model.params.nego;
  int rc =
      truce__load_keys(L, v, km, "negotiation", nk, sizeof nk / sizeof nk[0]);
  if (rc) return rc;
  n->present = true;
  n->every = 7;
  n->projection = 365;
  n->noise = 0.5;
  n->sensitivity = 0.1;
  n->ripe_p = 0.2;
  n->ripe_cost = 0.05;
  n->contested = 1;
  n->aid_noise = 0.4;
  if ((rc = nego_settings(L, n, v, km))) return rc;
  mark m = km;
  struct fy_node* is = truce__yaml_lookup(v, "issues", &m);
  if (is && (rc = nego_issues(L, n, is, m))) return rc;
  if ((rc = nego_sides(L, n, v, km))) return rc;
  m = km;
  struct fy_node* g = truce__yaml_lookup(v, "guarantee", &m);
  if (g && (rc = guarantee(L, n, g, m))) return rc;
  return 0;
}
