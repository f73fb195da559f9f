/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Stakeholder problems: construction and the two input formats. KTAB's
 * CSV is read unchanged (row 1: name, description, actor count, dimension
 * count; row 2: headers; then per actor: name, description, power, and a
 * position and salience per dimension), so KTAB's users can bring their
 * files. The YAML form adds provenance to any number. Errors carry
 * FILE:LINE:COL.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../core/yaml.h"
#include "stake_int.h"

int truce__stake_alloc(truce_ctx* ctx, size_t n, size_t d, truce_stake** out) {
  *out = NULL;
  truce_stake* st = truce__calloc(ctx, 1, sizeof *st);
  if (!st) return TRUCE_ENOMEM;
  st->ctx = ctx;
  st->n = n;
  st->d = d;
  st->lo = 0;
  st->hi = 100;
  st->actor = truce__calloc(ctx, n ? n : 1, sizeof(char*));
  st->dim = truce__calloc(ctx, d ? d : 1, sizeof(char*));
  st->cap = truce__calloc(ctx, n ? n : 1, sizeof(double));
  st->pos = truce__calloc(ctx, (n * d) > 0 ? n * d : 1, sizeof(double));
  st->sal = truce__calloc(ctx, (n * d) > 0 ? n * d : 1, sizeof(double));
  if (!st->actor || !st->dim || !st->cap || !st->pos || !st->sal) {
    truce_stake_free(st);
    return TRUCE_ENOMEM;
  }
  *out = st;
  return 0;
}

void truce_stake_free(truce_stake* st) {
  if (!st) return;
  truce_ctx* ctx = st->ctx;
  if (st->actor)
    for (size_t i = 0; i < st->n; i++) truce__strfree(ctx, st->actor[i]);
  if (st->dim)
    for (size_t k = 0; k < st->d; k++) truce__strfree(ctx, st->dim[k]);
  size_t n = st->n ? st->n : 1, d = st->d ? st->d : 1;
  size_t nd = st->n * st->d > 0 ? st->n * st->d : 1;
  truce__free(ctx, st->actor, n * sizeof(char*));
  truce__free(ctx, st->dim, d * sizeof(char*));
  truce__free(ctx, st->cap, n * sizeof(double));
  truce__free(ctx, st->pos, nd * sizeof(double));
  truce__free(ctx, st->sal, nd * sizeof(double));
  truce__strfree(ctx, st->name);
  truce__free(ctx, st, sizeof *st);
}

int truce_stake_from_arrays(truce_ctx* ctx, size_t n, size_t d,
                            const double* cap, const double* pos,
                            const double* sal, double lo, double hi,
                            truce_stake** out) {
  if (!ctx || !cap || !pos || !sal || !out || n == 0 || d == 0 || !(lo < hi))
    return TRUCE_FAIL(ctx, TRUCE_EINVAL,
                      "a stakeholder problem needs actors, dimensions and "
                      "a scale lo < hi");
  int rc = truce__stake_alloc(ctx, n, d, out);
  if (rc) return rc;
  truce_stake* st = *out;
  st->lo = lo;
  st->hi = hi;
  memcpy(st->cap, cap, n * sizeof *cap);
  memcpy(st->pos, pos, n * d * sizeof *pos);
  memcpy(st->sal, sal, n * d * sizeof *sal);
  return 0;
}

const char* truce_stake_name(const truce_stake* st) {
  return st->name ? st->name : "";
}
size_t truce_stake_actor_count(const truce_stake* st) { return st->n; }
size_t truce_stake_dim_count(const truce_stake* st) { return st->d; }
const char* truce_stake_actor_name(const truce_stake* st, size_t i) {
  return i < st->n && st->actor[i] ? st->actor[i] : "";
}
const char* truce_stake_dim_name(const truce_stake* st, size_t k) {
  return k < st->d && st->dim[k] ? st->dim[k] : "";
}

/* ------------------------------------------------------------ KTAB CSV */

static int load_csv(truce_ctx* ctx, const char* path, const char* text,
                    truce_stake** out) {
  size_t len = strlen(text);
  char* buf = truce__strndup(ctx, text, len);
  if (!buf) return TRUCE_ENOMEM;
  int rc = 0, line = 0;
  size_t n = 0, d = 0, row = 0;
  truce_stake* st = NULL;
  char* name = NULL;
  char* save = buf;
  truce__csv_fields fs;
#define CSV_FAIL(col, ...)                                              \
  do {                                                                  \
    char m_[512];                                                       \
    snprintf(m_, sizeof m_, __VA_ARGS__);                               \
    rc = TRUCE_FAIL_AT(ctx, TRUCE_EPARSE, path, line, (col), "%s", m_); \
    goto done;                                                          \
  } while (0)
  char* cur;
  while ((cur = truce__next_line(&save, &line))) {
    if (truce__csv_blank(cur)) continue;
    truce__csv_split(cur, &fs);
    if (line == 1) {
      double a, b;
      if (fs.n < 4 || truce__parse_number(fs.f[2], &a) ||
          truce__parse_number(fs.f[3], &b))
        CSV_FAIL(fs.n > 2 ? fs.col[2] : 1,
                 "bad KTAB header; expected 'name, description, number of "
                 "actors, number of dimensions'");
      if (!(a >= 1 && a == floor(a) && a <= 100000))
        CSV_FAIL(fs.col[2], "actor count '%s'; expected a whole number >= 1",
                 fs.f[2]);
      if (!(b >= 1 && b == floor(b) && b <= 100))
        CSV_FAIL(fs.col[3],
                 "dimension count '%s'; expected a whole number "
                 "from 1 to 100",
                 fs.f[3]);
      n = (size_t)a;
      d = (size_t)b;
      name = truce__strdup(ctx, fs.f[0]);
      if (!name || (rc = truce__stake_alloc(ctx, n, d, &st))) {
        rc = rc ? rc : TRUCE_ENOMEM;
        goto done;
      }
      st->name = name;
      name = NULL;
      continue;
    }
    if (line == 2 || (row == 0 && !strcasecmp(fs.f[0], "actor"))) {
      if ((size_t)fs.n < 3 + 2 * d)
        CSV_FAIL(1,
                 "the header has %d columns; expected %zu (actor, "
                 "description, power, then position and salience for each "
                 "of %zu dimensions)",
                 fs.n, 3 + 2 * d, d);
      for (size_t k = 0; k < d; k++) {
        char* h = fs.f[3 + 2 * k];
        size_t hl = strlen(h);
        if (hl > 9 && !strcasecmp(h + hl - 9, " position")) h[hl - 9] = '\0';
        truce__strfree(ctx, st->dim[k]); /* a repeated header row */
        if (!(st->dim[k] = truce__strdup(ctx, h))) {
          rc = TRUCE_ENOMEM;
          goto done;
        }
      }
      continue;
    }
    if (row >= n)
      CSV_FAIL(1, "more actor rows than the %zu declared in line 1", n);
    if ((size_t)fs.n < 3 + 2 * d)
      CSV_FAIL(fs.n ? fs.col[fs.n - 1] : 1,
               "actor row has %d fields; expected %zu", fs.n, 3 + 2 * d);
    if (!(st->actor[row] = truce__strdup(ctx, fs.f[0]))) {
      rc = TRUCE_ENOMEM;
      goto done;
    }
    double v;
    if (truce__parse_number(fs.f[2], &v) || v < 0)
      CSV_FAIL(fs.col[2], "power '%s' of '%s'; expected a number >= 0", fs.f[2],
               fs.f[0]);
    st->cap[row] = v;
    for (size_t k = 0; k < d; k++) {
      int pi = 3 + 2 * (int)k, si = pi + 1;
      if (truce__parse_number(fs.f[pi], &v) || v < 0 || v > 100)
        CSV_FAIL(fs.col[pi],
                 "position '%s' of '%s'; expected a number "
                 "from 0 to 100",
                 fs.f[pi], fs.f[0]);
      st->pos[row * d + k] = v;
      if (truce__parse_number(fs.f[si], &v) || v < 0 || v > 100)
        CSV_FAIL(fs.col[si],
                 "salience '%s' of '%s'; expected a number "
                 "from 0 to 100",
                 fs.f[si], fs.f[0]);
      st->sal[row * d + k] = v;
    }
    row++;
  }
  if (!st) {
    line = 1;
    CSV_FAIL(1, "the file is empty; expected KTAB's CSV format");
  }
  if (row != n) {
    line++;
    CSV_FAIL(1, "%zu actor rows; expected the %zu declared in line 1", row, n);
  }
#undef CSV_FAIL
done:
  truce__strfree(ctx, name);
  truce__free(ctx, buf, len + 1);
  if (rc) {
    truce_stake_free(st);
    return rc;
  }
  *out = st;
  return 0;
}

/* ---------------------------------------------------------------- YAML */

typedef struct {
  truce_ctx* ctx;
  const char* file;
} yl;

#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static int
yerr(yl* Y, mark m, const char* fmt, ...) {
  char msg[700];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  return TRUCE_FAIL_AT(Y->ctx, TRUCE_EINVAL, Y->file, m.line, m.col, "%s", msg);
}

/* A number, plain or {value:, unit:, source:, claimant:, date:, note:}. */
static int ynum(yl* Y, struct fy_node* n, mark km, const char* what, double lo,
                double hi, double* out) {
  mark m = truce__yaml_mark(n, km);
  struct fy_node* v = n;
  if (n && fy_node_is_mapping(n)) {
    v = NULL;
    void* it = NULL;
    struct fy_node_pair* p;
    while ((p = fy_node_mapping_iterate(n, &it))) {
      char k[32];
      truce__yaml_text(fy_node_pair_key(p), k, sizeof k);
      if (!strcmp(k, "value"))
        v = fy_node_pair_value(p);
      else if (strcmp(k, "unit") && strcmp(k, "source") &&
               strcmp(k, "claimant") && strcmp(k, "date") && strcmp(k, "note"))
        return yerr(Y, truce__yaml_mark(fy_node_pair_key(p), m),
                    "unknown key '%s' in the record for %s; expected value, "
                    "unit, source, claimant, date or note",
                    k, what);
    }
    if (!v) return yerr(Y, m, "the record for %s has no value", what);
    m = truce__yaml_mark(v, m);
  }
  char t[64];
  if (!v || !truce__yaml_text(v, t, sizeof t) ||
      fy_node_get_style(v) != FYNS_PLAIN || truce__parse_number(t, out))
    return yerr(Y, m, "wrong type for %s; expected a number from %g to %g",
                what, lo, hi);
  if (*out < lo || *out > hi)
    return yerr(Y, m,
                "value %s for %s is out of range; expected a number "
                "from %g to %g",
                t, what, lo, hi);
  return 0;
}

/* The top level: only the known keys, truce_stake: 1, and the lists of
 * dimensions (at least one) and actors (at least two). */
static int yaml_top(yl* Y, struct fy_node* root, struct fy_node** dims,
                    mark* dm, struct fy_node** acts, mark* am) {
  mark top = {1, 1};
  if (!root || !fy_node_is_mapping(root))
    return yerr(Y, top,
                "expected a mapping with truce_stake: 1, dimensions "
                "and actors");
  static const char* const keys[] = {"truce_stake", "name", "scale",
                                     "dimensions", "actors"};
  void* it = NULL;
  struct fy_node_pair* p;
  while ((p = fy_node_mapping_iterate(root, &it))) {
    char k[64];
    truce__yaml_text(fy_node_pair_key(p), k, sizeof k);
    bool ok = false;
    for (int i = 0; i < 5; i++) ok |= !strcmp(k, keys[i]);
    if (!ok)
      return yerr(Y, truce__yaml_mark(fy_node_pair_key(p), top),
                  "unknown key '%s'; expected truce_stake, name, scale, "
                  "dimensions or actors",
                  k);
  }
  mark vm = top;
  struct fy_node* ver = truce__yaml_lookup(root, "truce_stake", &vm);
  char t[256];
  if (!ver || !truce__yaml_text(ver, t, sizeof t) || strcmp(t, "1"))
    return yerr(Y, ver ? truce__yaml_mark(ver, vm) : top,
                "missing or unsupported 'truce_stake'; expected "
                "'truce_stake: 1'");
  *dm = *am = top;
  *dims = truce__yaml_lookup(root, "dimensions", dm);
  *acts = truce__yaml_lookup(root, "actors", am);
  if (!*dims || !fy_node_is_sequence(*dims) ||
      fy_node_sequence_item_count(*dims) < 1)
    return yerr(Y, *dims ? truce__yaml_mark(*dims, *dm) : top,
                "missing or empty 'dimensions'; expected a list of names");
  if (!*acts || !fy_node_is_sequence(*acts) ||
      fy_node_sequence_item_count(*acts) < 2)
    return yerr(Y, *acts ? truce__yaml_mark(*acts, *am) : top,
                "'actors' must list at least two actors");
  return 0;
}

/* name, scale: [low, high] and the dimensions' names. */
static int yaml_head(yl* Y, struct fy_node* root, struct fy_node* dims, mark dm,
                     truce_stake* st) {
  mark top = {1, 1}, sm = top, nm = top;
  char t[256];
  struct fy_node* nmn = truce__yaml_lookup(root, "name", &nm);
  if (nmn && truce__yaml_text(nmn, t, sizeof t) &&
      !(st->name = truce__strdup(Y->ctx, t)))
    return TRUCE_ENOMEM;
  struct fy_node* sc = truce__yaml_lookup(root, "scale", &sm);
  if (sc) {
    if (!fy_node_is_sequence(sc) || fy_node_sequence_item_count(sc) != 2)
      return yerr(Y, truce__yaml_mark(sc, sm),
                  "wrong type for 'scale'; "
                  "expected [low, high]");
    void* i2 = NULL;
    struct fy_node* a = fy_node_sequence_iterate(sc, &i2);
    struct fy_node* b = fy_node_sequence_iterate(sc, &i2);
    int rc;
    if ((rc = ynum(Y, a, sm, "'scale[0]'", -1e12, 1e12, &st->lo)) ||
        (rc = ynum(Y, b, sm, "'scale[1]'", -1e12, 1e12, &st->hi)))
      return rc;
    if (!(st->lo < st->hi))
      return yerr(Y, truce__yaml_mark(sc, sm),
                  "'scale' low %g is not below "
                  "high %g",
                  st->lo, st->hi);
  }
  void* it = NULL;
  struct fy_node* dn;
  for (size_t k = 0; (dn = fy_node_sequence_iterate(dims, &it)); k++) {
    if (!truce__yaml_text(dn, t, sizeof t))
      return yerr(Y, truce__yaml_mark(dn, dm),
                  "a dimension name is not a "
                  "string");
    if (!(st->dim[k] = truce__strdup(Y->ctx, t))) return TRUCE_ENOMEM;
  }
  return 0;
}

/* Actor i (an, at im): name, capability, and a position and salience per
 * dimension. */
static int yaml_actor(yl* Y, struct fy_node* an, mark im, size_t i,
                      truce_stake* st) {
  size_t d = st->d;
  if (!fy_node_is_mapping(an))
    return yerr(Y, im,
                "actor %zu is %s; expected a mapping with name, "
                "capability, position and salience",
                i + 1, truce__yaml_kind(an));
  void* i3 = NULL;
  struct fy_node_pair* p;
  while ((p = fy_node_mapping_iterate(an, &i3))) {
    char k[64];
    truce__yaml_text(fy_node_pair_key(p), k, sizeof k);
    if (strcmp(k, "name") && strcmp(k, "capability") && strcmp(k, "position") &&
        strcmp(k, "salience") && strcmp(k, "description"))
      return yerr(Y, truce__yaml_mark(fy_node_pair_key(p), im),
                  "unknown key '%s' for actor %zu; expected name, "
                  "description, capability, position, salience",
                  k, i + 1);
  }
  char t[256];
  mark km = im;
  struct fy_node* nn = truce__yaml_lookup(an, "name", &km);
  if (!nn || !truce__yaml_text(nn, t, sizeof t))
    return yerr(Y, im, "actor %zu has no name", i + 1);
  if (!(st->actor[i] = truce__strdup(Y->ctx, t))) return TRUCE_ENOMEM;
  char what[128];
  km = im;
  struct fy_node* cn = truce__yaml_lookup(an, "capability", &km);
  snprintf(what, sizeof what, "the capability of '%s'", st->actor[i]);
  if (!cn) return yerr(Y, im, "actor '%s' has no capability", st->actor[i]);
  int rc = ynum(Y, cn, km, what, 0, 1e15, &st->cap[i]);
  if (rc) return rc;
  static const char* const vecs[] = {"position", "salience"};
  for (int v = 0; v < 2; v++) {
    km = im;
    struct fy_node* vn = truce__yaml_lookup(an, vecs[v], &km);
    if (!vn || !fy_node_is_sequence(vn) ||
        (size_t)fy_node_sequence_item_count(vn) != d)
      return yerr(Y, vn ? truce__yaml_mark(vn, km) : im,
                  "the %s of '%s' must list %zu number%s (one per "
                  "dimension)",
                  vecs[v], st->actor[i], d, d == 1 ? "" : "s");
    void* i4 = NULL;
    struct fy_node* x;
    for (size_t k = 0; (x = fy_node_sequence_iterate(vn, &i4)); k++) {
      snprintf(what, sizeof what, "the %s of '%s' on '%s'", vecs[v],
               st->actor[i], st->dim[k]);
      double* dst = v == 0 ? &st->pos[i * d + k] : &st->sal[i * d + k];
      if ((rc = ynum(Y, x, km, what, v == 0 ? st->lo : 0, v == 0 ? st->hi : 100,
                     dst)))
        return rc;
    }
  }
  return 0;
}

static int load_yaml(truce_ctx* ctx, const char* path, const char* text,
                     truce_stake** out) {
  yl Y = {ctx, path};
  mark ym, dm, am;
  char msg[256];
  struct fy_document* doc =
      truce__yaml_parse(text, strlen(text), &ym, msg, sizeof msg);
  if (!doc)
    return TRUCE_FAIL_AT(ctx, TRUCE_EPARSE, path, ym.line ? ym.line : 1,
                         ym.col ? ym.col : 1, "malformed YAML: %s", msg);
  truce_stake* st = NULL;
  struct fy_node *dims = NULL, *acts = NULL;
  int rc = yaml_top(&Y, fy_document_root(doc), &dims, &dm, &acts, &am);
  if (!rc)
    rc = truce__stake_alloc(ctx, (size_t)fy_node_sequence_item_count(acts),
                            (size_t)fy_node_sequence_item_count(dims), &st);
  if (!rc) rc = yaml_head(&Y, fy_document_root(doc), dims, dm, st);
  void* it = NULL;
  struct fy_node* an;
  for (size_t i = 0; !rc && (an = fy_node_sequence_iterate(acts, &it)); i++)
    rc = yaml_actor(&Y, an, truce__yaml_mark(an, am), i, st);
  fy_document_destroy(doc);
  if (rc) {
    truce_stake_free(st);
    return rc;
  }
  *out = st;
  return 0;
}

int truce_stake_load(truce_ctx* ctx, const char* path, truce_stake** out) {
  TRUCE_CHECK_ARGS(ctx, path && out);
  *out = NULL;
  char* buf;
  size_t len;
  int rc =
      truce__read_file(ctx, path, "a KTAB CSV or truce YAML file", &buf, &len);
  if (rc) return rc;
  size_t pl = strlen(path);
  bool csv = pl > 4 && !strcasecmp(path + pl - 4, ".csv");
  rc = csv ? load_csv(ctx, path, buf, out) : load_yaml(ctx, path, buf, out);
  truce__free(ctx, buf, len + 1);
  return rc;
}
