/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The stakeholders section of a scenario: links from a stakeholder
 * group's predicted position (a model over a positions file, stake.c) to
 * a number of the scenario, applied by truce_stake_apply (link.c). Read
 * here, beside the links' use, with the scenario loader's helpers.
 */
#include <stdio.h>
#include <string.h>

#include "../scenario/load.h"

/* The stakeholders section: links from a group's predicted position to a
 * number of the scenario (applied by truce_stake_apply). */
/* One link: the group's file, model and dimension, the scenario number it
 * sets, and the mapping from the dimension's [from] to the number's [to]. */
static int link_item(truce__loader* L, struct fy_node* item, mark im,
                     size_t idx, truce_stake_link* l) {
  truce_scenario* sc = L->sc;
  static const char* const keys[] = {"name",      "file", "model",
                                     "dimension", "sets", "from",
                                     "to",        "note", "source"};
  char path[64];
  snprintf(path, sizeof path, "stakeholders[%zu]", idx);
  if (!fy_node_is_mapping(item))
    return truce__load_error(
        L, TRUCE_EINVAL, im,
        "wrong type for '%s': found %s; "
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
    if (!strcmp(key, "name"))
      dst = &l->name;
    else if (!strcmp(key, "file"))
      dst = &l->file;
    else if (!strcmp(key, "model"))
      dst = &l->model;
    else if (!strcmp(key, "dimension"))
      dst = &l->dimension;
    else if (!strcmp(key, "sets"))
      dst = &l->path;
    else if (!strcmp(key, "from") || !strcmp(key, "to")) {
      double* two = key[0] == 'f' ? l->from : l->to;
      if (!fy_node_is_sequence(val) || fy_node_sequence_item_count(val) != 2)
        return truce__load_error(L, TRUCE_EINVAL, truce__yaml_mark(val, kmk),
                                 "wrong type for '%s.%s'; expected [low, high]",
                                 path, key);
      void* i3 = NULL;
      for (int q = 0; q < 2; q++) {
        struct fy_node* x = fy_node_sequence_iterate(val, &i3);
        char t[64];
        if (!truce__yaml_text(x, t, sizeof t) ||
            truce__parse_number(t, &two[q]))
          return truce__load_error(
              L, TRUCE_EINVAL, truce__yaml_mark(x, kmk),
              "wrong type for '%s.%s[%d]'; expected a number", path, key, q);
      }
      if (key[0] == 't') has_to = true;
      continue;
    } else if (!strcmp(key, "note") || !strcmp(key, "source")) {
      continue;
    } else {
      const char* sg = truce__suggest(key, keys, 9);
      return truce__load_error(
          L, TRUCE_EINVAL, kmk,
          "unknown key '%s' in '%s'%s%s%s; expected name, file, "
          "model, dimension, sets, from, to, note or source",
          key, path, sg ? " (did you mean '" : "", sg ? sg : "",
          sg ? "'?)" : "");
    }
    if (!truce__yaml_text(val, text, sizeof text) || !text[0])
      return truce__load_error(L, TRUCE_EINVAL, truce__yaml_mark(val, kmk),
                               "wrong type for '%s.%s'; expected a string",
                               path, key);
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
      return truce__load_error(
          L, TRUCE_EINVAL, truce__yaml_mark(val, kmk),
          "unknown model '%s'; expected compromise, median, "
          "challenge or pce",
          text);
    if (dst == &l->path) {
      const truce__field* f;
      size_t off;
      if (truce__scenario_resolve(L->ctx, sc, text, &f, &off))
        return truce__load_error(L, TRUCE_EINVAL, truce__yaml_mark(val, kmk),
                                 "in "
                                 "'%s.sets': %s",
                                 path, truce_ctx_message(L->ctx));
    }
    truce__strfree(L->ctx, (char*)*dst);
    if (!(*dst = truce__strdup(L->ctx, full))) return TRUCE_ENOMEM;
  }
  if (!l->file || !l->path || !l->dimension || !has_to)
    return truce__load_error(L, TRUCE_EINVAL, im,
                             "'%s' needs file, dimension, sets "
                             "and to",
                             path);
  if (!(l->from[0] != l->from[1]))
    return truce__load_error(L, TRUCE_EINVAL, im,
                             "'%s.from' is empty; expected "
                             "[low, high] with low != high",
                             path);
  if (!l->model && !(l->model = truce__strdup(L->ctx, "compromise")))
    return TRUCE_ENOMEM;
  if (!l->name && !(l->name = truce__strdup(L->ctx, l->path)))
    return TRUCE_ENOMEM;
  return 0;
}

int truce__load_stakeholders(truce__loader* L, struct fy_node* v, mark km) {
  if (!fy_node_is_sequence(v))
    return truce__load_error(
        L, TRUCE_EINVAL, truce__yaml_mark(v, km),
        "wrong type for 'stakeholders': found %s; expected a list",
        truce__yaml_kind(v));
  truce_scenario* sc = L->sc;
  size_t n = (size_t)fy_node_sequence_item_count(v);
  sc->links = truce__calloc(L->ctx, n ? n : 1, sizeof *sc->links);
  if (!sc->links) return TRUCE_ENOMEM;
  void* it = NULL;
  struct fy_node* item;
  while ((item = fy_node_sequence_iterate(v, &it))) {
    size_t idx = sc->n_links;
    mark im = truce__yaml_mark(item, km);
    truce_stake_link* l = &sc->links[sc->n_links++];
    l->line = im.line;
    l->column = im.col;
    l->from[0] = 0;
    l->from[1] = 100;
    int rc = link_item(L, item, im, idx, l);
    if (rc) return rc;
  }
  return 0;
}
