/* SPDX-License-Identifier: GPL-3.0-or-later
 * Small helpers over libfyaml shared by the YAML loaders (yaml.c). */
#ifndef TRUCE_YAML_H
#define TRUCE_YAML_H
#include <libfyaml.h>

#include "truce_int.h"

typedef struct {
  int line, col; /* 1-based */
} mark;

/* Input limits of every YAML and JSON reader (docs/scenario.md, "Limits"),
 * checked before libfyaml sees the text. */
#define TRUCE_YAML_MAX_BYTES (1u << 20)  /* a scenario or stakeholder file */
#define TRUCE_JSON_MAX_BYTES (16u << 20) /* summary.json for the report */
#define TRUCE_YAML_MAX_LINE 65536        /* bytes in one line */
#define TRUCE_YAML_MAX_DEPTH 64          /* nested '[' and '{' */

/* Parse a document; NULL on a syntax error or on input beyond the limits, with
 * its position and message (libfyaml's) in *where and msg. Free with
 * fy_document_destroy. */
struct fy_document* truce__yaml_parse(const char* text, size_t len, mark* where,
                                      char* msg, size_t n);
/* The same for JSON (libfyaml's JSON mode: no YAML-only syntax). */
struct fy_document* truce__json_parse(const char* text, size_t len, mark* where,
                                      char* msg, size_t n);
/* Where a node starts: a scalar's own position, a collection's first
 * key or item, else `fallback`. */
mark truce__yaml_mark(struct fy_node* n, mark fallback);
/* NULL, empty, "~" or "null" (plain). */
bool truce__yaml_is_null(struct fy_node* n);
/* "a mapping", "a list", "a quoted string" or "a plain scalar". */
const char* truce__yaml_kind(struct fy_node* n);
/* The value under `key` in mapping `map` (NULL if absent); *km becomes
 * the key's position. */
struct fy_node* truce__yaml_lookup(struct fy_node* map, const char* key,
                                   mark* km);
/* Copy a scalar's text (truncating); false if not a scalar. */
bool truce__yaml_text(struct fy_node* n, char* buf, size_t cap);
#endif
