/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Helpers over libfyaml for the loaders: parsing with the first
 * diagnostic captured (position and message), node positions for error
 * messages, and scalar access.
 */
#include "yaml.h"

#include <stdint.h>
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

/* The length of the UTF-8 sequence at s[0..n) (1 to 4), or 0 if it is
 * not well formed (overlong forms, surrogates and code points above
 * U+10FFFF included, as RFC 3629 section 4 defines them). */
static size_t utf8_len(const unsigned char* s, size_t n) {
  unsigned c = s[0];
  if (c < 0x80) return 1;
  size_t k = c >= 0xC2 && c <= 0xDF   ? 2
             : c >= 0xE0 && c <= 0xEF ? 3
             : c >= 0xF0 && c <= 0xF4 ? 4
                                      : 0;
  if (!k || k > n) return 0;
  for (size_t i = 1; i < k; i++)
    if ((s[i] & 0xC0) != 0x80) return 0;
  if (c == 0xE0 && s[1] < 0xA0) return 0; /* overlong */
  if (c == 0xED && s[1] > 0x9F) return 0; /* surrogate */
  if (c == 0xF0 && s[1] < 0x90) return 0; /* overlong */
  if (c == 0xF4 && s[1] > 0x8F) return 0; /* above U+10FFFF */
  return k;
}

/* Reject, before libfyaml sees them, the inputs it mishandles or that
 * cost more than they are worth (docs/scenario.md, "Limits"): more than
 * TRUCE_YAML_MAX_BYTES, bytes that are not UTF-8, control characters,
 * directives ('%' at the start of a line: libfyaml 0.7.12's directive
 * scanner loops forever on "%\x9b"), lines longer than
 * TRUCE_YAML_MAX_LINE and flow collections ('[', '{') nested deeper than
 * TRUCE_YAML_MAX_DEPTH. The bracket count skips quoted strings and
 * comments; it can only overcount, never miss a real level. Returns false
 * with a position and message. */
static bool prescan(const char* text, size_t len, bool json, mark* where,
                    char* msg, size_t n) {
  const unsigned char* s = (const unsigned char*)text;
  size_t max = json ? TRUCE_JSON_MAX_BYTES : TRUCE_YAML_MAX_BYTES;
  *where = (mark){1, 1};
  if (len > max) {
    snprintf(msg, n, "the input is %zu bytes, more than the limit of %zu", len,
             max);
    return false;
  }
  int line = 1, depth = 0;
  size_t bol = 0, col = 1;
  char quote = 0;
  bool comment = false;
  for (size_t i = 0; i < len; col++) {
    unsigned c = s[i];
    *where = (mark){line, col > INT32_MAX ? INT32_MAX : (int)col};
    if (c == '\n') {
      line++;
      bol = ++i;
      col = 0;
      comment = false;
      continue;
    }
    if (!json && i - bol >= TRUCE_YAML_MAX_LINE) {
      snprintf(msg, n, "a line longer than %d bytes", TRUCE_YAML_MAX_LINE);
      return false;
    }
    if ((c < 0x20 && c != '\t' && c != '\r') || c == 0x7F) {
      snprintf(msg, n, "control character 0x%02X", c);
      return false;
    }
    size_t k = utf8_len(s + i, len - i);
    if (!k) {
      snprintf(msg, n, "byte 0x%02X is not UTF-8", c);
      return false;
    }
    if (!json && i == bol && c == '%') {
      snprintf(msg, n,
               "directives ('%%' at the start of a line) are not "
               "supported");
      return false;
    }
    if (comment) {
    } else if (quote) {
      if (c == '\\' && quote == '"') {
        col++; /* the escaped character is skipped too */
        i++;
      } else if ((unsigned char)quote == c) {
        quote = 0;
      }
    } else if (c == '"' || c == '\'') {
      quote = (char)c;
    } else if (c == '#' && !json) {
      comment = true;
    } else if (c == '[' || c == '{') {
      if (++depth > TRUCE_YAML_MAX_DEPTH) {
        snprintf(msg, n, "'%c' nested more than %d deep", c,
                 TRUCE_YAML_MAX_DEPTH);
        return false;
      }
    } else if ((c == ']' || c == '}') && depth > 0) {
      depth--;
    }
    i += k;
  }
  return true;
}

static struct fy_document* parse(const char* text, size_t len, unsigned flags,
                                 mark* where, char* msg, size_t n) {
  if (!prescan(text, len, flags & FYPCF_JSON_FORCE, where, msg, n)) return NULL;
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

struct fy_document* truce__yaml_parse(const char* text, size_t len, mark* where,
                                      char* msg, size_t n) {
  return parse(text, len, 0, where, msg, n);
}

struct fy_document* truce__json_parse(const char* text, size_t len, mark* where,
                                      char* msg, size_t n) {
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
