/* SPDX-License-Identifier: GPL-3.0-or-later
 * Writing a scenario back with some values replaced (e.g. fitted
 * coefficients with their provenance), validated before it is written.
 * The new values are spliced into the original text, so comments, order
 * and layout elsewhere are kept byte for byte; a key the scenario does not
 * set yet is inserted at the top of the mapping that should hold it. */
#include <libfyaml.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/yaml.h"
#include "scenario_int.h"
#include "truce_int.h"

/* The byte span [*b, *e) of a node's text: a scalar's token; a mapping
 * from its first key (or its '{') to its last value (or its '}'). */
static int span(const char* text, size_t len, struct fy_node* n, size_t* b,
                size_t* e) {
  struct fy_token* t0 = NULL;
  struct fy_token* t1 = NULL;
  if (fy_node_is_scalar(n)) {
    t0 = t1 = fy_node_get_scalar_token(n);
  } else if (fy_node_is_mapping(n) && fy_node_mapping_item_count(n) > 0) {
    struct fy_node* k = fy_node_pair_key(fy_node_mapping_get_by_index(n, 0));
    struct fy_node* v = fy_node_pair_value(
        fy_node_mapping_get_by_index(n, fy_node_mapping_item_count(n) - 1));
    if (k && v && fy_node_is_scalar(k) && fy_node_is_scalar(v)) {
      t0 = fy_node_get_scalar_token(k);
      t1 = fy_node_get_scalar_token(v);
    }
  }
  const struct fy_mark* m0 = t0 ? fy_token_start_mark(t0) : NULL;
  const struct fy_mark* m1 = t1 ? fy_token_end_mark(t1) : NULL;
  if (!m0 || !m1 || m0->input_pos > m1->input_pos || m1->input_pos > len)
    return -1;
  *b = m0->input_pos;
  *e = m1->input_pos;
  if (t0 != t1) { /* a flow mapping's braces belong to the span */
    size_t i = *b;
    while (i > 0 && strchr(" \t\r\n", text[i - 1])) i--;
    if (i > 0 && text[i - 1] == '{') {
      size_t j = *e;
      while (j < len && strchr(" \t\r\n,", text[j])) j++;
      if (j >= len || text[j] != '}') return -1;
      *b = i - 1;
      *e = j + 1;
    }
  }
  return 0;
}

typedef struct {
  size_t b, e;
  const char* value;
  char key[160], after[208]; /* around value when inserting a new key */
} edit;

static int by_pos(const void* a, const void* b) {
  const edit *x = a, *y = b;
  return x->b < y->b ? -1 : x->b > y->b;
}

/* The node at the first `upto` characters of a dotted path, or NULL. A
 * sequence of records (sides, backers) is entered by a record's id:
 * "backers.us.budget_scale" is the `budget_scale` of the backer whose id
 * is us. */
static struct fy_node* at_path(struct fy_document* doc, const char* path,
                               size_t upto) {
  struct fy_node* n = fy_document_root(doc);
  size_t at = 0;
  if (upto == 0) return NULL;
  while (n && at < upto) {
    size_t e = at;
    while (e < upto && path[e] != '.') e++;
    char key[200];
    if (e - at >= sizeof key) return NULL;
    memcpy(key, path + at, e - at);
    key[e - at] = '\0';
    if (fy_node_is_mapping(n)) {
      n = fy_node_mapping_lookup_by_string(n, key, FY_NT);
    } else if (fy_node_is_sequence(n)) {
      struct fy_node* hit = NULL;
      void* it = NULL;
      for (struct fy_node* item;
           !hit && (item = fy_node_sequence_iterate(n, &it));) {
        struct fy_node* id =
            fy_node_is_mapping(item)
                ? fy_node_mapping_lookup_by_string(item, "id", FY_NT)
                : NULL;
        const char* t;
        size_t tl;
        if (id && fy_node_is_scalar(id) && (t = fy_node_get_scalar(id, &tl)) &&
            tl == strlen(key) && !memcmp(t, key, tl))
          hit = item;
      }
      n = hit;
    } else {
      return NULL;
    }
    at = e + 1;
  }
  return n;
}

/* Find where one dotted path's value is written in the text. A path the
 * scenario does not set, in a mapping it does, is inserted before that
 * mapping's first key ("KEY: VALUE" and a new line at its indentation in
 * a block mapping, "KEY: VALUE, " in a flow one); *ins then holds the text
 * to insert before the value and *ins_after after it. */
static int locate(truce_ctx* ctx, const truce_scenario* sc,
                  struct fy_document* doc, const char* text, size_t len,
                  const char* path, edit* ed) {
  size_t pl = strlen(path);
  if (pl == 0 || pl >= 500)
    return TRUCE_FAIL(ctx, TRUCE_EINVAL, "bad path '%s'", path);
  struct fy_node* n = at_path(doc, path, pl);
  if (!n) {
    const char* dot = strrchr(path, '.');
    struct fy_node* parent =
        dot ? at_path(doc, path, (size_t)(dot - path)) : fy_document_root(doc);
    struct fy_node* first =
        parent && fy_node_is_mapping(parent) &&
                fy_node_mapping_item_count(parent) > 0
            ? fy_node_pair_key(fy_node_mapping_get_by_index(parent, 0))
            : NULL;
    struct fy_token* t = first && fy_node_is_scalar(first)
                             ? fy_node_get_scalar_token(first)
                             : NULL;
    const struct fy_mark* m = t ? fy_token_start_mark(t) : NULL;
    if (!m || m->input_pos > len)
      return TRUCE_FAIL(ctx, TRUCE_EINVAL,
                        "%s: cannot write '%s': the scenario sets neither it "
                        "nor the mapping that holds it",
                        sc->file, path);
    ed->b = ed->e = m->input_pos;
    snprintf(ed->key, sizeof ed->key, "%s: ", dot ? dot + 1 : path);
    if (fy_node_get_style(parent) == FYNS_FLOW) {
      snprintf(ed->after, sizeof ed->after, ", ");
    } else {
      int col = m->column < 200 ? m->column : 200;
      snprintf(ed->after, sizeof ed->after, "\n%*s", col, "");
    }
    return 0;
  }
  if (span(text, len, n, &ed->b, &ed->e))
    return TRUCE_FAIL(ctx, TRUCE_EINVAL,
                      "%s: cannot write '%s': expected a number, a word or a "
                      "mapping of them there",
                      sc->file, path);
  return 0;
}

int truce__scenario_splice(truce_ctx* ctx, const truce_scenario* sc,
                           const char* text, size_t len, const char* name,
                           size_t n, const char* const* paths,
                           const char* const* values, char** out,
                           size_t* out_len, size_t* out_cap) {
  *out = NULL;
  char ymsg[300];
  mark ym;
  int rc = 0;
  struct fy_document* doc =
      truce__yaml_parse(text, len, &ym, ymsg, sizeof ymsg);
  if (!doc)
    rc = TRUCE_FAIL(ctx, TRUCE_EPARSE, "%s: cannot read the scenario again",
                    sc->file);
  edit* eds = rc ? NULL : truce__calloc(ctx, n ? n : 1, sizeof *eds);
  if (!rc && !eds) rc = TRUCE_ENOMEM;
  for (size_t i = 0; !rc && i < n; i++) {
    rc = locate(ctx, sc, doc, text, len, paths[i], &eds[i]);
    eds[i].value = values[i];
  }
  size_t cap = len + 1; /* the new text's length is at most this */
  if (!rc) {
    qsort(eds, n, sizeof *eds, by_pos);
    for (size_t i = 0; i < n; i++) {
      if (i && eds[i].b < eds[i - 1].e)
        rc = TRUCE_FAIL(ctx, TRUCE_EINVAL, "overlapping values to write");
      cap += strlen(eds[i].key) + strlen(eds[i].value) + strlen(eds[i].after);
    }
  }
  char* res = rc ? NULL : truce__malloc(ctx, cap);
  if (!rc && !res) rc = TRUCE_ENOMEM;
  size_t w = 0; /* the new text: the old with each edit's span replaced */
  if (!rc) {
    size_t at = 0;
    for (size_t i = 0; i < n; i++) {
      memcpy(res + w, text + at, eds[i].b - at);
      w += eds[i].b - at;
      const char* part[3] = {eds[i].key, eds[i].value, eds[i].after};
      for (int k = 0; k < 3; k++) {
        size_t vl = strlen(part[k]);
        memcpy(res + w, part[k], vl);
        w += vl;
      }
      at = eds[i].e;
    }
    memcpy(res + w, text + at, len - at);
    w += len - at;
    res[w] = '\0';
  }
  if (!rc) { /* what we give must load */
    truce_scenario* check;
    rc = truce_scenario_load_string(ctx, name, res, w, &check);
    truce_scenario_free(check);
  }
  truce__free(ctx, eds, (n ? n : 1) * sizeof *eds);
  if (doc) fy_document_destroy(doc);
  if (rc) {
    truce__free(ctx, res, cap);
    return rc;
  }
  *out = res;
  *out_len = w;
  *out_cap = cap;
  return 0;
}

int truce_scenario_write_with(truce_ctx* ctx, const truce_scenario* sc,
                              const char* out, size_t n,
                              const char* const* paths,
                              const char* const* values) {
  if (!sc || !out || (n && (!paths || !values)))
    return TRUCE_FAIL(ctx, TRUCE_EINVAL, "truce_scenario_write_with: NULL");
  char* text;
  size_t len;
  int rc = truce__read_file(ctx, sc->file, "a scenario file", &text, &len);
  if (rc) return rc;
  char* res;
  size_t w, cap;
  rc = truce__scenario_splice(ctx, sc, text, len, out, n, paths, values, &res,
                              &w, &cap);
  truce__free(ctx, text, len + 1);
  if (rc) return rc;
  char tmp[4200];
  FILE* f = truce__tmp_open(ctx, out, tmp, sizeof tmp);
  rc = f ? truce__tmp_commit(ctx, f, tmp, out, fwrite(res, 1, w, f) == w)
         : TRUCE_EIO;
  truce__free(ctx, res, cap);
  return rc;
}
