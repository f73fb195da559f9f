/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A design file: the exploration's specification in YAML, so that an
 * analyst's levers, outcomes and condition live beside the scenario and
 * errors point into the file (FILE:LINE:COL). The keys are those of the
 * command's options (docs/explore.md s7); paths and names are checked
 * against the scenario later, with the positions kept here.
 */
#include <string.h>

#include "../core/yaml.h"
#include "explore_int.h"

/* Storage behind the public view: every string and array is owned. */
typedef struct {
  truce_explore_spec view;
  truce_ctx* ctx;
  char* file;
  truce_lever* levers;
  char** strings; /* every string made here, to free */
  size_t n_strings, cap_strings;
  const char** unc;
  const char** outs;
  int* out_pos; /* line, column per outcome */
  int* unc_pos;
  const char*** options;
  size_t* opt_cap; /* each options array's allocated length */
  size_t n_lever_cap, unc_cap, out_cap;
} spec;

static char* keep(spec* s, const char* text) {
  if (s->n_strings == s->cap_strings) {
    size_t nc = s->cap_strings * 2 + 16;
    char** n = truce__realloc(s->ctx, s->strings, s->cap_strings * sizeof *n,
                              nc * sizeof *n);
    if (!n) return NULL;
    s->strings = n;
    s->cap_strings = nc;
  }
  char* c = truce__strdup(s->ctx, text);
  if (c) s->strings[s->n_strings++] = c;
  return c;
}

/* Raise a + b + fmt at m in the file (a and b may be NULL). */
static int fail_at(spec* s, mark m, const char* fmt, const char* a,
                   const char* b) {
  return TRUCE_FAIL_AT(s->ctx, TRUCE_EPARSE, s->file, m.line, m.col, "%s%s%s",
                       a ? a : "", b ? b : "", fmt);
}

/* A scalar's text into buf, or an error naming what was expected. */
static int scalar(spec* s, struct fy_node* n, mark at, const char* key,
                  char* buf, size_t cap) {
  if (!n || !truce__yaml_text(n, buf, cap) || !*buf) {
    char what[200];
    snprintf(what, sizeof what, "'%s' is %s; expected ", key,
             n ? truce__yaml_kind(n) : "empty");
    return fail_at(s, truce__yaml_mark(n, at), "a value", what, NULL);
  }
  return 0;
}

static int number(spec* s, struct fy_node* n, mark at, const char* key,
                  double* v) {
  char buf[64];
  int rc = scalar(s, n, at, key, buf, sizeof buf);
  if (!rc && truce__parse_number(buf, v) != 0) {
    char what[200];
    snprintf(what, sizeof what, "'%s' for '%s' is not a number; expected ", buf,
             key);
    rc = fail_at(s, truce__yaml_mark(n, at), "a number", what, NULL);
  }
  return rc;
}

static int whole(spec* s, struct fy_node* n, mark at, const char* key,
                 double lo, double hi, size_t* v) {
  double x;
  int rc = number(s, n, at, key, &x);
  if (!rc && !(x >= lo && x <= hi && x == (double)(uint64_t)x)) {
    char what[200];
    snprintf(what, sizeof what,
             "'%s' must be a whole number from %.0f to "
             "%.0f",
             key, lo, hi);
    rc = fail_at(s, truce__yaml_mark(n, at), "", what, NULL);
  }
  if (!rc) *v = (size_t)x;
  return rc;
}

/* A list node's items into out (strings kept), or an error. */
static int string_list(spec* s, struct fy_node* n, mark at, const char* key,
                       const char*** out, size_t* count, int** pos,
                       size_t* cap) {
  if (!fy_node_is_sequence(n)) {
    char what[200];
    snprintf(what, sizeof what, "'%s' is %s; expected ", key,
             truce__yaml_kind(n));
    return fail_at(s, truce__yaml_mark(n, at), "a list", what, NULL);
  }
  size_t len = (size_t)fy_node_sequence_item_count(n);
  *out = truce__calloc(s->ctx, len + 1, sizeof **out);
  if (*out) *cap = len + 1; /* which sizes *pos too: made only after *out */
  if (pos && *out) *pos = truce__calloc(s->ctx, 2 * len + 2, sizeof **pos);
  if (!*out || (pos && !*pos)) return TRUCE_ENOMEM;
  void* it = NULL;
  struct fy_node* item;
  *count = 0;
  while ((item = fy_node_sequence_iterate(n, &it))) {
    char buf[256];
    mark m = truce__yaml_mark(item, at);
    int rc = scalar(s, item, m, key, buf, sizeof buf);
    if (rc) return rc;
    if (!((*out)[*count] = keep(s, buf))) return TRUCE_ENOMEM;
    if (pos) {
      (*pos)[2 * *count] = m.line;
      (*pos)[2 * *count + 1] = m.col;
    }
    (*count)++;
  }
  return 0;
}

/* One lever: {path: P, range: [LOW, HIGH]} or {path: P, options: [..]}. */
static int lever(spec* s, struct fy_node* n, mark at, truce_lever* l,
                 const char*** opts, size_t* cap) {
  mark m = truce__yaml_mark(n, at);
  if (!fy_node_is_mapping(n))
    return fail_at(s, m,
                   "a mapping {path: P, range: [LOW, HIGH]} or "
                   "{path: P, options: [A, B, ..]}",
                   "a lever is ", NULL);
  memset(l, 0, sizeof *l);
  l->file = s->file;
  void* it = NULL;
  struct fy_node_pair* pr;
  while ((pr = fy_node_mapping_iterate(n, &it))) {
    char key[64];
    mark km = truce__yaml_mark(fy_node_pair_key(pr), m);
    truce__yaml_text(fy_node_pair_key(pr), key, sizeof key);
    if (strcmp(key, "path") && strcmp(key, "range") && strcmp(key, "options"))
      return fail_at(s, km, "'; expected path, range or options",
                     "unknown key '", key);
  }
  mark pm = m;
  struct fy_node* p = truce__yaml_lookup(n, "path", &pm);
  char buf[256];
  if (!p)
    return fail_at(s, m,
                   "a lever without 'path'; expected a "
                   "scenario path such as backers.us.budget_scale",
                   NULL, NULL);
  int rc = scalar(s, p, pm, "path", buf, sizeof buf);
  if (rc) return rc;
  if (!(l->path = keep(s, buf))) return TRUCE_ENOMEM;
  mark lm = truce__yaml_mark(p, pm);
  l->line = lm.line;
  l->column = lm.col;
  mark rm = m, om = m;
  struct fy_node* r = truce__yaml_lookup(n, "range", &rm);
  struct fy_node* o = truce__yaml_lookup(n, "options", &om);
  if (!r == !o)
    return fail_at(s, m,
                   "; expected exactly one of range: [LOW, HIGH] and "
                   "options: [A, B, ..]",
                   r ? "a lever with both a range "
                       "and options"
                     : "a lever with neither a range nor "
                       "options",
                   NULL);
  if (r) {
    if (!fy_node_is_sequence(r) || fy_node_sequence_item_count(r) != 2)
      return fail_at(s, truce__yaml_mark(r, rm), "a list [LOW, HIGH]",
                     "'range' is not two numbers; expected ", NULL);
    if ((rc = number(s, fy_node_sequence_get_by_index(r, 0), rm, "range",
                     &l->lo)) ||
        (rc = number(s, fy_node_sequence_get_by_index(r, 1), rm, "range",
                     &l->hi)))
      return rc;
    return 0;
  }
  size_t count;
  if ((rc = string_list(s, o, om, "options", opts, &count, NULL, cap)))
    return rc;
  if (count < 2)
    return fail_at(s, truce__yaml_mark(o, om), "at least 2 options",
                   "a lever needs ", NULL);
  l->options = *opts;
  l->n_options = count;
  return 0;
}

static void spec_release(spec* s) {
  truce_ctx* ctx = s->ctx;
  for (size_t i = 0; i < s->n_strings; i++) truce__strfree(ctx, s->strings[i]);
  truce__free(ctx, s->strings, s->cap_strings * sizeof *s->strings);
  for (size_t i = 0; s->options && i < s->n_lever_cap; i++)
    truce__free(ctx, (void*)s->options[i], s->opt_cap[i] * sizeof(char*));
  truce__free(ctx, s->options, s->n_lever_cap * sizeof *s->options);
  truce__free(ctx, s->opt_cap, s->n_lever_cap * sizeof *s->opt_cap);
  truce__free(ctx, s->levers, s->n_lever_cap * sizeof *s->levers);
  truce__free(ctx, s->unc, s->unc_cap * sizeof *s->unc);
  truce__free(ctx, s->outs, s->out_cap * sizeof *s->outs);
  truce__free(ctx, s->out_pos, (2 * s->out_cap) * sizeof *s->out_pos);
  truce__free(ctx, s->unc_pos, (2 * s->unc_cap) * sizeof *s->unc_pos);
  truce__strfree(ctx, s->file);
  truce__free(ctx, s, sizeof *s);
}

void truce_explore_spec_free(truce_explore_spec* v) {
  if (v) spec_release((spec*)v);
}

static const char* const spec_keys[] = {
    "design", "n",         "replicates", "levels",    "seed", "bootstrap",
    "levers", "uncertain", "outcomes",   "condition", NULL};

static int parse_spec(spec* s, struct fy_node* root) {
  mark top = {1, 1};
  truce_explore_spec* v = &s->view;
  if (!root || !fy_node_is_mapping(root))
    return fail_at(s, truce__yaml_mark(root, top),
                   "a mapping of design, "
                   "n, replicates, levers, uncertain, outcomes, condition",
                   "a design file must be ", NULL);
  void* it = NULL;
  struct fy_node_pair* pr;
  while ((pr = fy_node_mapping_iterate(root, &it))) {
    char key[64] = "";
    mark km = truce__yaml_mark(fy_node_pair_key(pr), top);
    truce__yaml_text(fy_node_pair_key(pr), key, sizeof key);
    bool known = false;
    for (int i = 0; spec_keys[i]; i++) known |= !strcmp(spec_keys[i], key);
    if (!known)
      return fail_at(s, km,
                     "'; expected design, n, replicates, levels, "
                     "seed, bootstrap, levers, uncertain, outcomes or "
                     "condition",
                     "unknown key '", key);
  }
  int rc = 0;
  mark km = top;
  struct fy_node* n;
  char buf[256];
  if ((n = truce__yaml_lookup(root, "design", &km))) {
    if ((rc = scalar(s, n, km, "design", buf, sizeof buf))) return rc;
    if ((v->kind = truce_design_lookup(buf)) < 0)
      return fail_at(s, truce__yaml_mark(n, km),
                     "'; expected sobol, morris, "
                     "lhs or factorial",
                     "unknown design '", buf);
    v->has_kind = true;
  }
  struct {
    const char* key;
    double lo, hi;
    size_t* out;
    bool* has;
  } sizes[] = {
      {"n", 1, 1e8, &v->n, &v->has_n},
      {"replicates", 1, 1e4, &v->replicates, &v->has_replicates},
      {"levels", 2, 1000, &v->levels, &v->has_levels},
      {"bootstrap", 0, 1e5, &v->bootstrap, &v->has_bootstrap},
  };
  for (size_t i = 0; i < sizeof sizes / sizeof sizes[0] && !rc; i++)
    if ((n = truce__yaml_lookup(root, sizes[i].key, &km))) {
      rc =
          whole(s, n, km, sizes[i].key, sizes[i].lo, sizes[i].hi, sizes[i].out);
      *sizes[i].has = true;
    }
  if (!rc && (n = truce__yaml_lookup(root, "seed", &km))) {
    size_t seed;
    rc = whole(s, n, km, "seed", 0, 9007199254740992.0, &seed);
    v->seed = seed;
    v->has_seed = true;
  }
  if (!rc && (n = truce__yaml_lookup(root, "levers", &km))) {
    if (!fy_node_is_sequence(n))
      return fail_at(s, truce__yaml_mark(n, km), "a list of levers",
                     "'levers' is not a list; expected ", NULL);
    size_t nl = (size_t)fy_node_sequence_item_count(n) + 1;
    s->levers = truce__calloc(s->ctx, nl, sizeof *s->levers);
    s->options = truce__calloc(s->ctx, nl, sizeof *s->options);
    s->opt_cap = truce__calloc(s->ctx, nl, sizeof *s->opt_cap);
    if (!s->levers || !s->options || !s->opt_cap) {
      truce__free(s->ctx, s->levers, nl * sizeof *s->levers);
      truce__free(s->ctx, s->options, nl * sizeof *s->options);
      truce__free(s->ctx, s->opt_cap, nl * sizeof *s->opt_cap);
      s->levers = NULL;
      s->options = NULL;
      s->opt_cap = NULL;
      return TRUCE_ENOMEM;
    }
    s->n_lever_cap = nl;
    void* li = NULL;
    struct fy_node* item;
    while (!rc && (item = fy_node_sequence_iterate(n, &li))) {
      rc = lever(s, item, km, &s->levers[v->n_levers], &s->options[v->n_levers],
                 &s->opt_cap[v->n_levers]);
      v->n_levers++;
    }
    v->levers = s->levers;
  }
  if (!rc && (n = truce__yaml_lookup(root, "uncertain", &km))) {
    v->has_uncertain = true;
    if (fy_node_is_scalar(n)) {
      if ((rc = scalar(s, n, km, "uncertain", buf, sizeof buf))) return rc;
      if (strcmp(buf, "all") && strcmp(buf, "none"))
        return fail_at(s, truce__yaml_mark(n, km),
                       "'; expected all, none "
                       "or a list of paths",
                       "'uncertain' is '", buf);
      v->uncertain_all = !strcmp(buf, "all");
    } else {
      rc = string_list(s, n, km, "uncertain", &s->unc, &v->n_uncertain,
                       &s->unc_pos, &s->unc_cap);
      v->uncertain = s->unc;
      v->uncertain_pos = s->unc_pos;
    }
  }
  if (!rc && (n = truce__yaml_lookup(root, "outcomes", &km))) {
    rc = string_list(s, n, km, "outcomes", &s->outs, &v->n_outcomes,
                     &s->out_pos, &s->out_cap);
    v->outcomes = s->outs;
    v->outcome_pos = s->out_pos;
  }
  if (!rc && (n = truce__yaml_lookup(root, "condition", &km))) {
    if ((rc = scalar(s, n, km, "condition", buf, sizeof buf))) return rc;
    if (!(v->condition = keep(s, buf))) return TRUCE_ENOMEM;
    mark cm = truce__yaml_mark(n, km);
    v->condition_line = cm.line;
    v->condition_column = cm.col;
  }
  return rc;
}

int truce_explore_spec_load(truce_ctx* ctx, const char* path,
                            truce_explore_spec** out) {
  if (!ctx || !path || !out) return TRUCE_EINVAL;
  *out = NULL;
  spec* s = truce__calloc(ctx, 1, sizeof *s);
  if (!s) return TRUCE_ENOMEM;
  s->ctx = ctx;
  if (!(s->file = truce__strdup(ctx, path))) {
    truce__free(ctx, s, sizeof *s);
    return TRUCE_ENOMEM;
  }
  s->view.file = s->file;
  char* text = NULL;
  size_t len = 0;
  int rc = truce__read_file(ctx, path, "a design file (docs/explore.md)", &text,
                            &len);
  struct fy_document* doc = NULL;
  if (!rc) {
    mark at;
    char msg[256];
    if (!(doc = truce__yaml_parse(text, len, &at, msg, sizeof msg)))
      rc = TRUCE_FAIL_AT(ctx, TRUCE_EPARSE, path, at.line > 0 ? at.line : 1,
                         at.col > 0 ? at.col : 1,
                         "%s; expected a "
                         "YAML design file",
                         msg);
  }
  if (!rc) rc = parse_spec(s, fy_document_root(doc));
  if (doc) fy_document_destroy(doc);
  truce__free(ctx, text, len + 1);
  if (rc) {
    spec_release(s);
    return rc;
  }
  *out = &s->view;
  return 0;
}
