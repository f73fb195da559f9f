/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Helpers over libfyaml for the loaders: parsing with the first
 * diagnostic captured (position and message), node positions for error
 * messages, and scalar access.
 */
#include "yaml.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
  int line, col;
  char msg[256];
  bool got;
} yaml_diag;

/* libfyaml formats its diagnostics as "NAME:LINE:COL: error: MSG" (NAME
 * may contain colons); keep the first. Collecting them instead with
 * fy_diag_set_collect_errors leaks in libfyaml 0.7.12. */
static void capture_diag(struct fy_diag* diag, void* user, const char* buf,
                         size_t len) {
  (void)diag;
  yaml_diag* c = user;
  if (c->got) return;
  char tmp[512];
  snprintf(tmp, sizeof tmp, "%.*s", (int)(len < 511 ? len : 511), buf);
  char* e = strstr(tmp, ": error: ");
  if (!e) return;
  c->got = true;
  snprintf(c->msg, sizeof c->msg, "%s", e + 9);
  c->msg[strcspn(c->msg, "\n")] = '\0';
  *e = '\0';
  char* colon = strrchr(tmp, ':');
  if (!colon) return;
  c->col = atoi(colon + 1);
  *colon = '\0';
  colon = strrchr(tmp, ':');
  if (colon) c->line = atoi(colon + 1);
}

static struct fy_document* parse(const char* text, size_t len,
                                 unsigned flags, mark* where, char* msg,
                                 size_t n) {
  yaml_diag cap;
  memset(&cap, 0, sizeof cap);
  *where = (mark){0, 0};
  snprintf(msg, n, "cannot parse");
  struct fy_diag_cfg dc;
  fy_diag_cfg_default(&dc);
  dc.fp = NULL;
  dc.output_fn = capture_diag;
  dc.user = &cap;
  dc.colorize = false;
  dc.show_source = false;
  dc.show_position = true;
  dc.show_type = false;
  dc.show_module = false;
  struct fy_diag* diag = fy_diag_create(&dc);
  if (!diag) {
    snprintf(msg, n, "out of memory");
    return NULL;
  }
  struct fy_parse_cfg pc;
  memset(&pc, 0, sizeof pc);
  pc.flags = FYPCF_QUIET | flags;
  pc.diag = diag;
  struct fy_document* doc = fy_document_build_from_string(&pc, text, len);
  if (!doc && cap.got) {
    *where = (mark){cap.line, cap.col > 0 ? cap.col : 1};
    snprintf(msg, n, "%s", cap.msg);
  }
  fy_diag_unref(diag);
  return doc;
}

struct fy_document* truce__yaml_parse(const char* text, size_t len,
                                      mark* where, char* msg, size_t n) {
  return parse(text, len, 0, where, msg, n);
}

struct fy_document* truce__json_parse(const char* text, size_t len,
                                      mark* where, char* msg, size_t n) {
  return parse(text, len, FYPCF_JSON_FORCE, where, msg, n);
}

mark truce__yaml_mark(struct fy_node* n, mark fallback) {
  if (n && fy_node_is_scalar(n)) {
    struct fy_token* t = fy_node_get_scalar_token(n);
    const struct fy_mark* fm = t ? fy_token_start_mark(t) : NULL;
    if (fm) return (mark){fm->line + 1, fm->column + 1};
  }
  if (n && fy_node_is_mapping(n)) {
    void* it = NULL;
    struct fy_node_pair* p = fy_node_mapping_iterate(n, &it);
    if (p) return truce__yaml_mark(fy_node_pair_key(p), fallback);
  }
  if (n && fy_node_is_sequence(n)) {
    void* it = NULL;
    struct fy_node* c = fy_node_sequence_iterate(n, &it);
    if (c) return truce__yaml_mark(c, fallback);
  }
  return fallback;
}

bool truce__yaml_is_null(struct fy_node* n) {
  if (!n) return true;
  if (!fy_node_is_scalar(n)) return false;
  if (fy_node_get_style(n) != FYNS_PLAIN) return false;
  size_t len;
  const char* s = fy_node_get_scalar(n, &len);
  return len == 0 || (len == 1 && s[0] == '~') ||
         (len == 4 && strncmp(s, "null", 4) == 0);
}

const char* truce__yaml_kind(struct fy_node* n) {
  if (fy_node_is_mapping(n)) return "a mapping";
  if (fy_node_is_sequence(n)) return "a list";
  if (fy_node_get_style(n) != FYNS_PLAIN) return "a quoted string";
  return "a plain scalar";
}

bool truce__yaml_text(struct fy_node* n, char* buf, size_t cap) {
  if (!n || !fy_node_is_scalar(n)) return false;
  size_t len;
  const char* s = fy_node_get_scalar(n, &len);
  if (!s) s = "";
  if (len >= cap) len = cap - 1;
  memcpy(buf, s, len);
  buf[len] = '\0';
  return true;
}

struct fy_node* truce__yaml_lookup(struct fy_node* map, const char* key,
                                   mark* km) {
  void* it = NULL;
  struct fy_node_pair* pr;
  while ((pr = fy_node_mapping_iterate(map, &it))) {
    char k[64];
    if (truce__yaml_text(fy_node_pair_key(pr), k, sizeof k) &&
        !strcmp(k, key)) {
      *km = truce__yaml_mark(fy_node_pair_key(pr), *km);
      return fy_node_pair_value(pr);
    }
  }
  return NULL;
}
