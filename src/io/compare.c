/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Comparing two runs from their results stores (truce/compare.h): the
 * stores and what makes them less than like for like (seeds, run counts,
 * horizons, scenarios, sides), the assumptions that differ, and the
 * comparison's arrays. The outcome rows are in compare_rows.c, the page
 * in compare_html.c.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compare_int.h"
#include "store.h"

static int open_db(truce_ctx* ctx, const char* dir, sqlite3** db) {
  char path[1200];
  snprintf(path, sizeof path, "%s/results.db", dir);
  *db = NULL;
  if (access(path, R_OK) != 0)
    return TRUCE_FAIL(ctx, TRUCE_EIO,
                      "%s: no results.db (%s); expected the "
                      "output directory of truce run",
                      dir, strerror(errno));
  int rc = 0;
  if (sqlite3_open_v2(path, db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
    rc = TRUCE_FAIL(ctx, TRUCE_EDB, "%s: %s", path, sqlite3_errmsg(*db));
  else
    rc = truce__store_check(ctx, *db, "main", path);
  if (rc) {
    sqlite3_close(*db);
    *db = NULL;
  }
  return rc;
}

double truce__cmp_one(sqlite3* db, const char* sql, const char* arg) {
  sqlite3_stmt* st;
  double v = (double)NAN;
  if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
    return (double)NAN;
  if (arg) sqlite3_bind_text(st, 1, arg, -1, SQLITE_TRANSIENT);
  if (sqlite3_step(st) == SQLITE_ROW &&
      sqlite3_column_type(st, 0) != SQLITE_NULL)
    v = sqlite3_column_double(st, 0);
  sqlite3_finalize(st);
  return v;
}

/* A meta value as text ("" when absent). */
static void meta_text(sqlite3* db, const char* key, char* buf, size_t n) {
  sqlite3_stmt* st;
  buf[0] = '\0';
  if (sqlite3_prepare_v2(db, "select value from meta where key = ?1", -1, &st,
                         NULL) != SQLITE_OK)
    return;
  sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
  if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
    snprintf(buf, n, "%s", (const char*)sqlite3_column_text(st, 0));
  sqlite3_finalize(st);
}

static void read_meta(truce__cmp_store* s) {
  char v[64];
  meta_text(s->db, "seed", v, sizeof v);
  s->seed = strtoull(v, NULL, 10);
  s->runs = (uint64_t)truce__cmp_one(
      s->db, "select count(distinct run) from runs", NULL);
  s->days = (int)truce__cmp_one(s->db, "select max(day) from daily", NULL);
  meta_text(s->db, "scenario", s->scenario, sizeof s->scenario);
  meta_text(s->db, "mode", s->mode, sizeof s->mode);
}

/* Grow *p (cap elements of size z) to hold one more; 0 or ENOMEM. */
static int grow(truce__cmp* k, void** p, size_t* cap, size_t n, size_t z) {
  if (n < *cap) return 0;
  size_t nc = *cap ? 2 * *cap : 16;
  void* q = truce__realloc(k->ctx, *p, *cap * z, nc * z);
  if (!q) return k->rc = TRUCE_ENOMEM;
  *p = q;
  *cap = nc;
  return 0;
}

void truce__cmp_warn(truce__cmp* k, const char* code, const char* fmt, ...) {
  truce_comparison* c = k->c;
  if (k->rc ||
      grow(k, (void**)&c->warn, &c->cap_warn, c->n_warn, sizeof *c->warn))
    return;
  truce_compare_warning* w = &c->warn[c->n_warn++];
  snprintf(w->code, sizeof w->code, "%s", code);
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(w->message, sizeof w->message, fmt, ap);
  va_end(ap);
}

void truce__cmp_shift(truce__cmp* k, const char* what, truce_unit u, double a,
                      double b, double se, bool paired) {
  truce_comparison* c = k->c;
  if (k->rc ||
      grow(k, (void**)&c->shift, &c->cap_shift, c->n_shift, sizeof *c->shift))
    return;
  truce_outcome_shift* s = &c->shift[c->n_shift++];
  memset(s, 0, sizeof *s);
  snprintf(s->what, sizeof s->what, "%s", what);
  s->unit = u;
  s->a = a;
  s->b = b;
  s->diff = b - a;
  s->se = se;
  s->paired = paired && isfinite(se);
  /* the normal interval at c->level (z = 1.96 for 95%) */
  double z = 1.959963984540054, h = z * se;
  s->lo = isfinite(se) ? s->diff - h : (double)NAN;
  s->hi = isfinite(se) ? s->diff + h : (double)NAN;
  s->beyond_noise = isfinite(se) && isfinite(s->diff) && fabs(s->diff) > h;
  c->flagged += s->beyond_noise;
}

/* What makes the comparison less than like for like. */
static void like_for_like(truce__cmp* k) {
  const truce__cmp_store *a = &k->s[0], *b = &k->s[1];
  truce_comparison* c = k->c;
  if (strcmp(a->scenario, b->scenario))
    truce__cmp_warn(k, "scenario",
                    "different scenarios (A: %s; B: %s): the outcomes are "
                    "not like for like",
                    a->scenario, b->scenario);
  if (a->days != b->days)
    truce__cmp_warn(k, "horizon",
                    "different horizons (A %d days, B %d): outcomes at the "
                    "horizon are on different days; shares by a day use days "
                    "up to %d",
                    a->days, b->days, c->horizon);
  if (a->seed != b->seed)
    truce__cmp_warn(k, "seed",
                    "different seeds (A %llu, B %llu): the runs cannot be "
                    "paired, so the intervals are unpaired (wider)",
                    (unsigned long long)a->seed, (unsigned long long)b->seed);
  if (a->runs != b->runs)
    truce__cmp_warn(k, "runs",
                    "different run counts (A %llu, B %llu): unpaired "
                    "intervals",
                    (unsigned long long)a->runs, (unsigned long long)b->runs);
  if (strcmp(a->mode, b->mode))
    truce__cmp_warn(k, "mode", "A is %s, B is %s", a->mode, b->mode);
  if (a->runs < 2 || b->runs < 2)
    truce__cmp_warn(k, "noise",
                    "a single run has no spread: no interval, and no "
                    "difference can be told from noise");
  double only = truce__cmp_one(
      a->db,
      "select (select count(*) from (select distinct side from main.runs "
      "except select distinct side from b.runs)) + (select count(*) from "
      "(select distinct side from b.runs except select distinct side from "
      "main.runs))",
      NULL);
  if (only > 0)
    truce__cmp_warn(k, "sides",
                    "the sides differ: only those in both are compared");
}

/* Every path in either run whose value, distribution or source differs. */
static void assumption_diffs(truce__cmp* k) {
  static const char* const sql =
      "select x.path, x.value, y.value, x.distribution, y.distribution, "
      "y.source, 1, y.path is not null from main.assumptions x left join "
      "b.assumptions y on x.path = y.path where y.path is null or x.value "
      "is not y.value or x.distribution is not y.distribution or x.source "
      "is not y.source union all select y.path, null, y.value, null, "
      "y.distribution, y.source, 0, 1 from b.assumptions y where y.path "
      "not in (select path from main.assumptions) order by 1";
  sqlite3_stmt* st;
  truce_comparison* c = k->c;
  if (sqlite3_prepare_v2(k->s[0].db, sql, -1, &st, NULL) != SQLITE_OK) {
    k->rc = TRUCE_FAIL(k->ctx, TRUCE_EDB, "cannot compare: %s",
                       sqlite3_errmsg(k->s[0].db));
    return;
  }
  while (!k->rc && sqlite3_step(st) == SQLITE_ROW &&
         !grow(k, (void**)&c->diff, &c->cap_diff, c->n_diff, sizeof *c->diff)) {
    truce_assumption_diff* d = &c->diff[c->n_diff++];
    char* text[] = {d->path, NULL, NULL, d->dist_a, d->dist_b, d->source_b};
    size_t cap[] = {sizeof d->path,    0, 0, sizeof d->dist_a, sizeof d->dist_b,
                    sizeof d->source_b};
    for (int i = 0; i < 6; i++)
      if (text[i]) {
        const unsigned char* t = sqlite3_column_text(st, i);
        snprintf(text[i], cap[i], "%s", t ? (const char*)t : "");
      }
    for (int i = 1; i <= 2; i++)
      (i == 1 ? &d->a : &d->b)[0] = sqlite3_column_type(st, i) == SQLITE_NULL
                                        ? (double)NAN
                                        : sqlite3_column_double(st, i);
    d->in_a = sqlite3_column_int(st, 6);
    d->in_b = sqlite3_column_int(st, 7);
  }
  sqlite3_finalize(st);
}

int truce_compare(truce_ctx* ctx, const char* dir_a, const char* dir_b,
                  truce_comparison** out) {
  if (!ctx || !dir_a || !dir_b || !out) return TRUCE_EINVAL;
  *out = NULL;
  truce__cmp k;
  memset(&k, 0, sizeof k);
  k.ctx = ctx;
  int rc = open_db(ctx, dir_a, &k.s[0].db);
  if (!rc) rc = open_db(ctx, dir_b, &k.s[1].db);
  /* B attached to A's connection, for the joins */
  char* q = sqlite3_mprintf("attach database '%q/results.db' as b", dir_b);
  if (!rc && (!q || sqlite3_exec(k.s[0].db, q, NULL, NULL, NULL) != SQLITE_OK))
    rc = !q ? TRUCE_ENOMEM
            : TRUCE_FAIL(ctx, TRUCE_EDB, "cannot read both stores: %s",
                         sqlite3_errmsg(k.s[0].db));
  sqlite3_free(q);
  if (!rc && !(k.c = truce__calloc(ctx, 1, sizeof *k.c))) rc = TRUCE_ENOMEM;
  if (!rc) {
    truce_comparison* c = k.c;
    for (int i = 0; i < 2; i++) {
      read_meta(&k.s[i]);
      c->seed[i] = k.s[i].seed;
      c->runs[i] = k.s[i].runs;
      c->days[i] = k.s[i].days;
    }
    c->level = 0.95;
    c->horizon = c->days[0] < c->days[1] ? c->days[0] : c->days[1];
    c->paired =
        c->seed[0] == c->seed[1] && c->runs[0] == c->runs[1] && c->runs[0] > 1;
    like_for_like(&k);
    assumption_diffs(&k);
    if (!k.rc) truce__cmp_rows(&k);
    rc = k.rc;
  }
  sqlite3_close(k.s[0].db);
  sqlite3_close(k.s[1].db);
  if (rc) {
    truce_comparison_free(ctx, k.c);
    return rc;
  }
  *out = k.c;
  return 0;
}

void truce_comparison_free(truce_ctx* ctx, truce_comparison* c) {
  if (!c) return;
  truce__free(ctx, c->diff, c->cap_diff * sizeof *c->diff);
  truce__free(ctx, c->shift, c->cap_shift * sizeof *c->shift);
  truce__free(ctx, c->warn, c->cap_warn * sizeof *c->warn);
  truce__free(ctx, c, sizeof *c);
}
