/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The exploration's tidy table: one row per design point and replicate
 * (point, replicate, run, the inputs, the outcomes), streamed as the
 * rows come to explore.csv and to the explore_runs table of explore.db,
 * both under temporary names until the exploration is committed, so a
 * failed or interrupted exploration leaves nothing behind. Later tables
 * (indices, PRIM) go into the same database before the commit. The page
 * (page.c) inlines explore.json and web/explore.js. docs/explore.md s5.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "explore_int.h"

struct truce_explore_table {
  truce_ctx* ctx;
  char dir[1024];
  char csv[1100], csv_tmp[1200], db[1100], db_tmp[1200];
  FILE* f;
  sqlite3* sq;
  sqlite3_stmt* ins;
  sqlite3_stmt* idx;
  size_t k, m;
  bool committed;
};

static int db_fail(truce_explore_table* t, const char* what) {
  return TRUCE_FAIL(t->ctx, TRUCE_EDB, "%s: %s: %s", t->db, what,
                    t->sq ? sqlite3_errmsg(t->sq) : "cannot open");
}

/* A CSV field: quoted when it holds a comma, quote or newline. */
static void csv_field(FILE* f, const char* s) {
  if (!strpbrk(s, ",\"\n\r")) {
    fputs(s, f);
    return;
  }
  fputc('"', f);
  for (; *s; s++) {
    if (*s == '"') fputc('"', f);
    fputc(*s, f);
  }
  fputc('"', f);
}

/* An SQL identifier, double-quoted (quotes doubled). */
static void sql_ident(char* buf, size_t n, size_t* len, const char* s) {
  if (*len < n) *len += (size_t)snprintf(buf + *len, n - *len, "\"");
  for (; *s && *len + 3 < n; s++) {
    if (*s == '"') buf[(*len)++] = '"';
    buf[(*len)++] = *s;
  }
  if (*len < n) *len += (size_t)snprintf(buf + *len, n - *len, "\"");
}

int truce_explore_table_open(truce_ctx* ctx, const char* dir, size_t k,
                             const char* const* inputs, size_t m,
                             const char* const* outputs,
                             truce_explore_table** out) {
  if (!ctx || !dir || !out || (k && !inputs) || (m && !outputs))
    return TRUCE_EINVAL;
  *out = NULL;
  int rc = truce__mkdir_p(ctx, dir);
  if (rc) return rc;
  truce_explore_table* t = truce__calloc(ctx, 1, sizeof *t);
  if (!t) return TRUCE_ENOMEM;
  t->ctx = ctx;
  t->k = k;
  t->m = m;
  snprintf(t->dir, sizeof t->dir, "%s", dir);
  snprintf(t->csv, sizeof t->csv, "%s/explore.csv", dir);
  snprintf(t->db, sizeof t->db, "%s/explore.db", dir);
  snprintf(t->db_tmp, sizeof t->db_tmp, "%s.%ld.tmp", t->db, (long)getpid());
  if (!(t->f = truce__tmp_open(ctx, t->csv, t->csv_tmp, sizeof t->csv_tmp)))
    rc = TRUCE_EIO;
  if (!rc) {
    fputs("point,replicate,run", t->f);
    for (size_t i = 0; i < k; i++) {
      fputc(',', t->f);
      csv_field(t->f, inputs[i]);
    }
    for (size_t j = 0; j < m; j++) {
      fputc(',', t->f);
      csv_field(t->f, outputs[j]);
    }
    fputc('\n', t->f);
    remove(t->db_tmp);
    if (sqlite3_open(t->db_tmp, &t->sq) != SQLITE_OK)
      rc = db_fail(t, "cannot create the database");
  }
  size_t cap = 64 * (k + m + 8) + 512, len = 0, ilen = 0;
  char* sql = rc ? NULL : truce__malloc(ctx, cap);
  char* ins = rc ? NULL : truce__malloc(ctx, cap);
  if (!rc && (!sql || !ins)) rc = TRUCE_ENOMEM;
  if (!rc) {
    len = (size_t)snprintf(sql, cap,
                           "PRAGMA journal_mode=OFF;"
                           "PRAGMA synchronous=OFF;"
                           "CREATE TABLE explore_runs(point INTEGER NOT NULL,"
                           " replicate INTEGER NOT NULL, run INTEGER NOT "
                           "NULL");
    ilen = (size_t)snprintf(ins, cap, "INSERT INTO explore_runs VALUES(?,?,?");
    for (size_t i = 0; i < k + m; i++) {
      if (len < cap) len += (size_t)snprintf(sql + len, cap - len, ", ");
      sql_ident(sql, cap, &len, i < k ? inputs[i] : outputs[i - k]);
      if (len < cap) len += (size_t)snprintf(sql + len, cap - len, " REAL");
      if (ilen < cap) ilen += (size_t)snprintf(ins + ilen, cap - ilen, ",?");
    }
    if (len < cap)
      len += (size_t)snprintf(sql + len, cap - len,
                              ", PRIMARY KEY(point, replicate));"
                              "CREATE TABLE explore_indices(outcome TEXT,"
                              " input TEXT, method TEXT, value REAL,"
                              " lo REAL, hi REAL);"
                              "BEGIN;");
    if (ilen < cap) ilen += (size_t)snprintf(ins + ilen, cap - ilen, ")");
    if (len >= cap || ilen >= cap) rc = TRUCE_EINTERNAL;
  }
  if (!rc && sqlite3_exec(t->sq, sql, NULL, NULL, NULL) != SQLITE_OK)
    rc = db_fail(t, "cannot create the tables");
  if (!rc && sqlite3_prepare_v2(t->sq, ins, -1, &t->ins, NULL) != SQLITE_OK)
    rc = db_fail(t, "cannot prepare the insert");
  if (!rc && sqlite3_prepare_v2(t->sq,
                                "INSERT INTO explore_indices "
                                "VALUES(?,?,?,?,?,?)",
                                -1, &t->idx, NULL) != SQLITE_OK)
    rc = db_fail(t, "cannot prepare the insert");
  truce__free(ctx, sql, cap);
  truce__free(ctx, ins, cap);
  if (rc) {
    truce_explore_table_free(t);
    return rc;
  }
  *out = t;
  return 0;
}

static void bind_num(sqlite3_stmt* st, int i, double v) {
  if (v == v)
    sqlite3_bind_double(st, i, v);
  else
    sqlite3_bind_null(st, i);
}

int truce_explore_table_row(truce_explore_table* t, size_t point,
                            size_t replicate, uint64_t run, const double* x,
                            const double* y) {
  if (!t || t->committed) return TRUCE_EINVAL;
  int e = fprintf(t->f, "%zu,%zu,%llu", point, replicate,
                  (unsigned long long)run) < 0;
  for (size_t i = 0; i < t->k + t->m; i++) {
    double v = i < t->k ? x[i] : y[i - t->k];
    e |= (v == v ? fprintf(t->f, ",%.17g", v) : fprintf(t->f, ",")) < 0;
  }
  e |= fputc('\n', t->f) == EOF;
  if (e) return TRUCE_FAIL_AT(t->ctx, TRUCE_EIO, t->csv, 1, 1, "cannot write");
  sqlite3_bind_int64(t->ins, 1, (sqlite3_int64)point);
  sqlite3_bind_int64(t->ins, 2, (sqlite3_int64)replicate);
  sqlite3_bind_int64(t->ins, 3, (sqlite3_int64)run);
  for (size_t i = 0; i < t->k + t->m; i++)
    bind_num(t->ins, (int)i + 4, i < t->k ? x[i] : y[i - t->k]);
  int s = sqlite3_step(t->ins);
  sqlite3_reset(t->ins);
  return s == SQLITE_DONE ? 0 : db_fail(t, "cannot insert a row");
}

int truce_explore_table_index(truce_explore_table* t, const char* outcome,
                              const char* input, const char* method,
                              double value, double lo, double hi) {
  if (!t || t->committed) return TRUCE_EINVAL;
  sqlite3_bind_text(t->idx, 1, outcome, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(t->idx, 2, input, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(t->idx, 3, method, -1, SQLITE_TRANSIENT);
  bind_num(t->idx, 4, value);
  bind_num(t->idx, 5, lo);
  bind_num(t->idx, 6, hi);
  int s = sqlite3_step(t->idx);
  sqlite3_reset(t->idx);
  return s == SQLITE_DONE ? 0 : db_fail(t, "cannot insert an index");
}

int truce_explore_table_commit(truce_explore_table* t) {
  if (!t || t->committed) return TRUCE_EINVAL;
  sqlite3_finalize(t->ins);
  sqlite3_finalize(t->idx);
  t->ins = t->idx = NULL;
  int rc = 0;
  if (sqlite3_exec(t->sq, "COMMIT;", NULL, NULL, NULL) != SQLITE_OK)
    rc = db_fail(t, "cannot commit");
  if (sqlite3_close(t->sq) != SQLITE_OK && !rc) rc = db_fail(t, "cannot close");
  t->sq = NULL;
  FILE* f = t->f;
  t->f = NULL;
  if (rc) {
    truce__tmp_abandon(f, t->csv_tmp);
    remove(t->db_tmp);
    return rc;
  }
  if ((rc = truce__tmp_commit(t->ctx, f, t->csv_tmp, t->csv, true))) {
    remove(t->db_tmp);
    return rc;
  }
  if (rename(t->db_tmp, t->db) != 0) {
    remove(t->db_tmp);
    return TRUCE_FAIL_AT(t->ctx, TRUCE_EIO, t->db, 1, 1,
                         "cannot write "
                         "(rename from %s)",
                         t->db_tmp);
  }
  t->committed = true;
  return 0;
}

void truce_explore_table_free(truce_explore_table* t) {
  if (!t) return;
  if (t->ins) sqlite3_finalize(t->ins);
  if (t->idx) sqlite3_finalize(t->idx);
  if (t->sq) sqlite3_close(t->sq);
  if (!t->committed) {
    if (t->f) truce__tmp_abandon(t->f, t->csv_tmp);
    remove(t->db_tmp);
  }
  truce__free(t->ctx, t, sizeof *t);
}

/* ------------------------------------------------------------ Page */

int truce_explore_page_write(truce_ctx* ctx, const char* json,
                             const char* out) {
  if (!ctx || !json || !out) return TRUCE_EINVAL;
  char *js = NULL, *data = NULL;
  size_t js_len = 0, dlen = 0;
  int rc = truce__read_file(ctx, json,
                            "the explore.json written by truce "
                            "explore",
                            &data, &dlen);
  if (!rc) rc = truce__web_asset(ctx, "explore.js", &js, &js_len);
  char tmp[1300];
  FILE* f = NULL;
  if (!rc && !(f = truce__tmp_open(ctx, out, tmp, sizeof tmp))) rc = TRUCE_EIO;
  if (!rc && !(rc = truce__web_head(ctx, f, "truce explore", out))) {
    int e = fputs(
                "</head>\n<body data-page=\"explore\">\n<header><h1 "
                "id=\"title\"></h1>"
                "<p id=\"subtitle\"></p></header>\n<main id=\"main\">"
                "</main>\n<script type=\"application/json\" "
                "id=\"truce-explore\">",
                f) == EOF;
    e |= truce__web_json(f, data, dlen, false); /* '<' as \u003c */
    e |= fputs("</script>\n<script>\n", f) == EOF;
    e |= truce__web_inline(f, js, js_len);
    e |= fputs("\n</script>\n</body>\n</html>\n", f) == EOF;
    rc = truce__tmp_commit(ctx, f, tmp, out, !e);
  } else if (f) {
    truce__tmp_abandon(f, tmp);
  }
  truce__free(ctx, js, js_len + 1);
  truce__free(ctx, data, dlen + 1);
  return rc;
}
