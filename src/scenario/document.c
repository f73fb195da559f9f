/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A scenario document: its top-level sections, declared once in a table
 * (key, parser owned by the concept's module, reading order, what a
 * missing required section reports), read in that order after the format
 * version and the unknown keys are checked, then the model's cross-field
 * checks and the no-hindsight check. The value records and the walk over
 * a field table are load.c's.
 */
#include <ctype.h>
#include <libfyaml.h>
#include <stdio.h>
#include <string.h>

#include "load.h"
#include "scenario_int.h"

/* The format version, checked before anything else. */
static int section_truce(truce__loader* L, struct fy_node* v, mark km) {
  (void)L, (void)v, (void)km;
  return 0;
}

/* The top-level sections of a scenario file: key, parser (owned by the
 * module of the concept), whether it is read before the others (`first`:
 * in this order, because later sections refer to what it defines) and,
 * for a required section, what its absence reports. The others are read
 * in file order. */
typedef struct {
  const char* key;
  truce__section_fn parse;
  int first; /* 0: in file order; k > 0: k-th before the others */
  const char* missing;
} section;

static const section sections[] = {
    {"truce", section_truce, 0, NULL},
    {"name", truce__load_name, 0, NULL},
    {"start", truce__load_start, 3, NULL},
    {"seed", truce__load_seed, 0, NULL},
    {"sides", truce__load_sides, 2,
     "missing required field 'sides'; expected a list of two sides"},
    {"combat", truce__load_combat, 0,
     "missing required field 'combat'; expected a mapping with at least "
     "'law' and 'coefficients'"},
    {"front", truce__load_front, 0, NULL},
    {"events", truce__load_events, 0, NULL},
    {"ranges", truce__load_ranges, 1, NULL},
    {"stakeholders", truce__load_stakeholders, 0, NULL},
    {"negotiation", truce__load_negotiation, 0, NULL},
    {"backers", truce__load_backers, 4, NULL},
    {"as_of", truce__load_as_of, 0, NULL},
};
#define N_SECTIONS (sizeof sections / sizeof sections[0])

static int top_special(truce__loader* L, const char* rel, struct fy_node* v,
                       mark km, void* user) {
  (void)user;
  for (size_t i = 0; i < N_SECTIONS; i++)
    if (!strcmp(sections[i].key, rel))
      return sections[i].first ? 0 : sections[i].parse(L, v, km);
  return TRUCE_FAIL(L->ctx, TRUCE_EINTERNAL, "unhandled key %s", rel);
}

/* Report the first unknown top-level key (in file order). */
static int check_keys(truce__loader* L, struct fy_node* root, mark top) {
  void* it = NULL;
  struct fy_node_pair* pr;
  while ((pr = fy_node_mapping_iterate(root, &it))) {
    char key[64];
    mark km = truce__yaml_mark(fy_node_pair_key(pr), top);
    if (!truce__yaml_text(fy_node_pair_key(pr), key, sizeof key)) continue;
    bool known =
        truce__field_find(truce__top_fields, truce__n_top_fields, key) != NULL;
    for (size_t i = 0; i < N_SECTIONS; i++)
      if (!strcmp(sections[i].key, key)) known = true;
    if (known) continue;
    const char* names[32];
    const size_t cap = sizeof names / sizeof *names;
    char list[256] = "";
    size_t n = 0;
    for (size_t i = 0; i < truce__n_top_fields && n < cap; i++)
      names[n++] = truce__top_fields[i].key;
    for (size_t i = 0; i < N_SECTIONS && n < cap; i++)
      names[n++] = sections[i].key;
    for (size_t i = 0; i < n; i++) {
      size_t ll = strlen(list);
      snprintf(list + ll, sizeof list - ll, "%s%s", i ? ", " : "", names[i]);
    }
    const char* sg = truce__suggest(key, names, n);
    if (sg)
      return truce__load_error(L, TRUCE_EINVAL, km,
                               "unknown key '%s'; did you mean '%s'? "
                               "(expected one of: %s)",
                               key, sg, list);
    return truce__load_error(L, TRUCE_EINVAL, km,
                             "unknown key '%s'; expected one of: %s", key,
                             list);
  }
  return 0;
}

/* 'truce: 1' at the top. */
static int check_version(truce__loader* L, struct fy_node* root, mark top) {
  mark vm = top;
  struct fy_node* ver = truce__yaml_lookup(root, "truce", &vm);
  char vbuf[32] = "";
  if (!ver)
    return truce__load_error(L, TRUCE_EINVAL, top,
                             "missing required field 'truce' (the format "
                             "version); expected 'truce: 1' at the top");
  bool scalar = fy_node_is_scalar(ver); /* a list or mapping has no text */
  if (!truce__yaml_text(ver, vbuf, sizeof vbuf) || strcmp(vbuf, "1") != 0)
    return truce__load_error(L, TRUCE_EINVAL, truce__yaml_mark(ver, vm),
                             "unsupported format version %s%s%s; expected "
                             "'truce: 1'",
                             scalar ? "'" : "",
                             scalar ? vbuf : truce__yaml_kind(ver),
                             scalar ? "'" : "");
  return 0;
}

/* Every section of a well-formed document, then the cross-field checks. */
static int read_document(truce__loader* L, struct fy_node* root, mark top) {
  truce_scenario* sc = L->sc;
  int rc = check_version(L, root, top);
  /* Unknown top-level keys first, in file order, before anything else is
   * reported missing. */
  if (!rc) rc = check_keys(L, root, top);
  for (size_t i = 0; i < N_SECTIONS && !rc; i++) {
    mark m = top;
    if (sections[i].missing && !truce__yaml_lookup(root, sections[i].key, &m))
      rc = truce__load_error(L, TRUCE_EINVAL, top, "%s", sections[i].missing);
  }
  if (rc) return rc;
  truce__load_defaults(L, truce__top_fields, truce__n_top_fields, 0);
  truce__load_defaults(L, truce__combat_fields, truce__n_combat_fields, 0);
  truce__load_defaults(L, truce__front_fields, truce__n_front_fields, 0);
  sc->model.params.side[0].territory = truce__territory_field.dflt;
  sc->model.params.side[1].territory = truce__territory_field.dflt;
  sc->model.seed = 1;
  for (int k = 1; k <= (int)N_SECTIONS && !rc; k++)
    for (size_t i = 0; i < N_SECTIONS && !rc; i++) {
      mark m = top;
      struct fy_node* v;
      if (sections[i].first == k &&
          (v = truce__yaml_lookup(root, sections[i].key, &m)))
        rc = sections[i].parse(L, v, m);
    }
  if (rc) return rc;
  const char* keys[N_SECTIONS];
  for (size_t i = 0; i < N_SECTIONS; i++) keys[i] = sections[i].key;
  unsigned char seen[TRUCE_MAX_FIELDS] = {0};
  rc = truce__load_walk(L, root, top, truce__top_fields, truce__n_top_fields, 0,
                        NULL, "", seen, keys, N_SECTIONS, top_special, NULL);
  if (rc) return rc;
  mark tsm = top;
  if (truce__yaml_lookup(root, "time_step", &tsm)) L->step_mark = tsm;
  char why[300];
  int which = truce__model_check(sc, why, sizeof why);
  if (which) {
    mark m = which <= 2 ? L->share_mark[which - 1]
                        : (which == 3 ? L->terr_mark : L->step_mark);
    rc = truce__load_error(L, TRUCE_EINVAL, m, "%s", why);
  }
  if (!rc) rc = truce__asof_check(L, root, false);
  return rc;
}

/* ----------------------------------------------------------------- Entry */

int truce__scenario_parse(truce_ctx* ctx, truce_scenario* sc, const char* name,
                          const char* text, size_t len) {
  truce__loader L;
  memset(&L, 0, sizeof L);
  L.ctx = ctx;
  L.sc = sc;
  L.file = name;
  mark top = {1, 1};
  L.share_mark[0] = L.share_mark[1] = L.terr_mark = L.step_mark = top;
  size_t i = 0;
  while (i < len && isspace((unsigned char)text[i])) i++;
  if (i == len)
    return truce__load_error(&L, TRUCE_EPARSE, top,
                             "the file is empty; expected a YAML mapping "
                             "starting with 'truce: 1'");
  struct fy_document* doc;
  struct fy_node* root;
  int rc = truce__load_document(
      &L, text, len, top, "a mapping starting with 'truce: 1'", &doc, &root);
  if (rc) return rc;
  rc = read_document(&L, root, top);
  fy_document_destroy(doc);
  return rc;
}
