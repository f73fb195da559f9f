/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The scenario loader's interface for section parsers. load.c keeps the
 * generic walk over a field table and the value records (numbers with
 * provenance, distributions); each section of the file (negotiation,
 * stakeholders, backers, events, ...) is parsed by the module that owns
 * its concept, with these helpers, and listed in document.c's section table.
 * Every helper reports the first problem in the context, as its place
 * (file, line, column) and "what is wrong; expected what", and returns
 * its code.
 */
#ifndef TRUCE_LOAD_H
#define TRUCE_LOAD_H

#include <libfyaml.h>

#include "../core/yaml.h"
#include "scenario_int.h"
#include "schema.h"

/* A load in progress. */
typedef struct {
  truce_ctx* ctx;
  truce_scenario* sc;
  const char* file;
  mark share_mark[2], terr_mark, step_mark; /* for truce__model_check */
  bool coef_seen[2], terr_seen[2];          /* per-side maps seen */
  const char* ev_prefix; /* NULL, or "overlay." for an overlay's events */
  const char* ev_key;    /* the id of the event being read (events.c) */
} truce__loader;

/* A section parser: the value `v` of top-level key at `km`. */
typedef int (*truce__section_fn)(truce__loader* L, struct fy_node* v, mark km);

/* A key of a walked mapping that is not a plain field (`rel` is its dotted
 * path relative to the mapping). */
typedef int (*truce__special_fn)(truce__loader* L, const char* rel,
                                 struct fy_node* val, mark km, void* user);

/* ------------------------------------------------------------ Values */

#if defined(__GNUC__)
__attribute__((format(printf, 4, 5)))
#endif
int truce__load_error(truce__loader* L, int code, mark m, const char* fmt,
                      ...);
/* A display name (`name:`) of 1 to TRUCE_DISPLAY_MAX - 1 bytes into out. */
int truce__load_name_field(truce__loader* L, struct fy_node* v, mark km,
                           const char* path, char* out);
/* A string value (truncated to cap). */
int truce__load_string(truce__loader* L, struct fy_node* n, mark km,
                       const char* path, char* buf, size_t cap);
/* A plain number for field f (no distribution allowed), provenance kept. */
int truce__load_number(truce__loader* L, struct fy_node* n, mark km,
                       const char* path, const truce__field* f, double* out);
/* A number for field f at offset `off` of truce__model that may be
 * uncertain (a dist: record or a low/high range registers a distribution);
 * its point value goes to *out. */
int truce__load_uncertain(truce__loader* L, struct fy_node* n, mark km,
                          const char* path, const truce__field* f, size_t off,
                          double* out);
/* A number for field f that may be uncertain, not registered anywhere:
 * when it is (a dist: record or a low/high range), *uncertain is set and
 * d filled (bound to f's range, point value set; the caller owns it and
 * frees it with truce__dist_free). *out gets the point value. */
int truce__load_dist(truce__loader* L, struct fy_node* n, mark km,
                     const char* path, const truce__field* f, truce__dist* d,
                     bool* uncertain, double* out);
/* A number in [lo, hi] (plain or with provenance) at `path`. */
int truce__load_in_range(truce__loader* L, struct fy_node* v, mark km,
                         const char* path, double lo, double hi, bool integer,
                         double* out);

/* ------------------------------------------------------------ Walking */

/* Walk a mapping against a field table: leaves are stored at base + off
 * of truce__model and marked in seen[]; keys listed in `specials` go to
 * fn; dotted table keys are nested maps; anything else is an unknown key
 * (with a suggestion). */
/* The most fields a table passed to truce__load_walk may have: the size
 * of every caller's `seen` array (the walk refuses a larger table). */
#define TRUCE_MAX_FIELDS 64

int truce__load_walk(truce__loader* L, struct fy_node* map, mark m,
                     const truce__field* t, size_t n, size_t base,
                     const char* rel_prefix, const char* path_prefix,
                     unsigned char* seen, const char* const* specials,
                     size_t ns, truce__special_fn fn, void* user);
/* After a walk: the required fields of t must have been seen. */
int truce__load_required(truce__loader* L, mark m, const truce__field* t,
                         size_t n, const unsigned char* seen,
                         const char* path_prefix);
/* Store the defaults of t at base. */
void truce__load_defaults(truce__loader* L, const truce__field* t, size_t n,
                          size_t base);
/* A mapping of named entries (class: {...}, issue: weight, ...): v must
 * be a mapping, else "wrong type for 'path': found KIND; expected
 * EXPECT"; fn sees each entry's key, the key's place, its value and its
 * path ("path.key"), in file order; the first nonzero return stops. */
typedef int (*truce__entry_fn)(truce__loader* L, const char* key, mark km,
                               struct fy_node* val, const char* path,
                               void* user);
int truce__load_entries(truce__loader* L, struct fy_node* v, mark m,
                        const char* path, const char* expect,
                        truce__entry_fn fn, void* user);
/* Parse text (len bytes) as YAML whose root must be a mapping: *doc (free
 * with fy_document_destroy) and *root, or an error at the place of the
 * fault (top without one): malformed YAML, or a root that is not a mapping,
 * "the document is KIND; expected EXPECT". */
int truce__load_document(truce__loader* L, const char* text, size_t len,
                         mark top, const char* expect, struct fy_document** doc,
                         struct fy_node** root);
/* The keys of mapping m must be among `keys` (suggesting the nearest). */
int truce__load_keys(truce__loader* L, struct fy_node* m, mark km,
                     const char* path, const char* const* keys, size_t nk);
/* Letters, digits, '_' or '-', shorter than TRUCE_ID_MAX. */
bool truce__load_valid_id(const char* s);
/* The index of side `id`, or -1. */
int truce__load_side(const truce__loader* L, const char* id);
/* ------------------------------------------------------------ Sections
 * Each owned by its module (document.c lists them in its section table). */

int truce__load_name(truce__loader* L, struct fy_node* v, mark km);
int truce__load_start(truce__loader* L, struct fy_node* v, mark km);
int truce__load_seed(truce__loader* L, struct fy_node* v, mark km);
int truce__load_ranges(truce__loader* L, struct fy_node* v, mark km);
int truce__load_sides(truce__loader* L, struct fy_node* v, mark km);
int truce__load_combat(truce__loader* L, struct fy_node* v, mark km);
int truce__load_front(truce__loader* L, struct fy_node* v, mark km);
int truce__load_events(truce__loader* L, struct fy_node* v, mark km);
int truce__load_backers(truce__loader* L, struct fy_node* v, mark km);
int truce__load_negotiation(truce__loader* L, struct fy_node* v, mark km);
int truce__load_stakeholders(truce__loader* L, struct fy_node* v, mark km);
/* as_of (asof.c). */
int truce__load_as_of(truce__loader* L, struct fy_node* v, mark km);

/* The no-hindsight check (asof.c), after a file is read: refuses dated
 * numbers and events after sc's as_of, and known-outcome events outside
 * an overlay (every event of an overlay must be one). */
int truce__asof_check(truce__loader* L, struct fy_node* root, bool overlay);

/* ------------------------------------------------------------ Events */

/* The events read so far (capacity from an upper bound). */
typedef struct {
  truce__event* ev;
  size_t n, cap;
} truce__event_buf;

/* An event action's parser: `action` is the value of type->key in event
 * `path`, dated `day`. It appends one or more events to out. */
typedef int (*truce__event_parse_fn)(truce__loader* L, struct fy_node* action,
                                     mark am, const char* path,
                                     const truce__event_type* type, int day,
                                     truce__event_buf* out);

/* The next event slot, zeroed, with day, type, side -1 and backer -1; a
 * message when the buffer is full. */
int truce__load_event_slot(truce__loader* L, truce__event_buf* out, mark m,
                           int day, const truce__event_type* type,
                           truce__event** e);

/* A number inside event e, stored at slot (a double field of *e): plain,
 * or uncertain (a dist: record or a low/high range), then drawn per run
 * on a stream keyed by the event's id and the number's path
 * (docs/model.md s8c). A field of [lo, hi] (integer: whole numbers). */
int truce__load_event_number(truce__loader* L, struct fy_node* n, mark km,
                             const char* path, double lo, double hi,
                             bool integer, truce__event* e, double* slot);
/* The same for a number of field f (its range, enum names and flags). */
int truce__load_event_field(truce__loader* L, struct fy_node* n, mark km,
                            const char* path, const truce__field* f,
                            truce__event* e, double* slot);

/* Parsers of the backers' events (aid_load.c). */
int truce__load_crisis(truce__loader* L, struct fy_node* a, mark am,
                       const char* path, const truce__event_type* type, int day,
                       truce__event_buf* out);
int truce__load_backer_event(truce__loader* L, struct fy_node* a, mark am,
                             const char* path, const truce__event_type* type,
                             int day, truce__event_buf* out);

#endif
