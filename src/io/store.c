/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * results.db: an ensemble's results as SQLite tables (schema in
 * docs/outputs.md), written in one transaction through prepared
 * statements. The database is built under a temporary name and renamed by
 * the caller, so readers never see a partial store.
 */
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "store.h"

/* The schema: the tables before runs, runs (its columns from the outcome
 * table, truce/sim.h), the tables up to bargaining_runs, bargaining_runs
 * (its columns from the bargaining run columns, truce/bargain.h), then
 * the rest. */
static const char* const schema_head =
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT);"
    "CREATE TABLE params(idx INTEGER PRIMARY KEY, path TEXT NOT NULL);";
static const char* const schema =
    "CREATE TABLE run_params(run INTEGER NOT NULL, idx INTEGER NOT NULL,"
    " value REAL, PRIMARY KEY(run, idx));"
    "CREATE TABLE daily(day INTEGER NOT NULL, date TEXT, side TEXT NOT NULL,"
    " series TEXT NOT NULL, n INTEGER, mean REAL, p05 REAL, p25 REAL,"
    " p50 REAL, p75 REAL, p95 REAL, PRIMARY KEY(day, side, series));"
    "CREATE TABLE stalemate(day INTEGER PRIMARY KEY, share REAL);"
    "CREATE TABLE assumptions(path TEXT, value REAL, unit TEXT, source TEXT,"
    " claimant TEXT, date TEXT, distribution TEXT, line INTEGER);"
    "CREATE TABLE backer_runs(run INTEGER NOT NULL, backer TEXT NOT NULL,"
    " committed_total REAL, delivered_total REAL, longest_gap_days INTEGER,"
    " packages INTEGER, PRIMARY KEY(run, backer));";
static const char* const schema_tail =
    "CREATE TABLE bargaining_months(month INTEGER PRIMARY KEY,"
    " p_open REAL, p_ripe REAL, p_open_now REAL, p_agree REAL);"
    "CREATE TABLE bargaining_terms(rank INTEGER PRIMARY KEY, package TEXT,"
    " share REAL, territory_median REAL);"
    "CREATE TABLE bargaining_agreement(fraction REAL, p_holds_30_days REAL,"
    " p_holds_180_days REAL, territory_p05 REAL, territory_p25 REAL,"
    " territory_p50 REAL, territory_p75 REAL, territory_p95 REAL);";

/* What marks a truce store (PRAGMA application_id: "truc") and its
 * layout's version; bump the version when the schema changes (2: runs
 * gained largest_weekly_move_day, bargaining_runs the agreement's columns,
 * bargaining_months p_agree; bargaining_terms and bargaining_agreement
 * are new; 3: runs gained weak_power_days). */
#define STORE_APP_ID 0x74727563
#define STORE_VERSION 3
#define STORE_STR(x) #x
#define STORE_XSTR(x) STORE_STR(x)
#define STORE_STAMP                    \
  "PRAGMA application_id=" STORE_XSTR( \
      STORE_APP_ID) "; PRAGMA user_version=" STORE_XSTR(STORE_VERSION) ";"

typedef struct {
  truce_ctx* ctx;
  sqlite3* db;
  int rc;
  const truce_band* bands; /* the daily table's bands, or NULL: computed */
} store;

static int fail(store* s, const char* what) {
  if (!s->rc) {
    int ec = s->db ? sqlite3_errcode(s->db) : SQLITE_CANTOPEN;
    s->rc = TRUCE_FAIL(s->ctx, ec == SQLITE_NOMEM ? TRUCE_ENOMEM : TRUCE_EDB,
                       "results store: %s: %s", what,
                       s->db ? sqlite3_errmsg(s->db) : "cannot open");
  }
  return s->rc;
}

static sqlite3_stmt* prep(store* s, const char* sql) {
  sqlite3_stmt* st = NULL;
  if (!s->rc && sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
    fail(s, sql);
  return st;
}

static void step(store* s, sqlite3_stmt* st) {
  if (s->rc) return;
  if (sqlite3_step(st) != SQLITE_DONE) fail(s, sqlite3_sql(st));
  sqlite3_reset(st);
  sqlite3_clear_bindings(st);
}

static void bind_text(sqlite3_stmt* st, int i, const char* v) {
  if (v)
    sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null(st, i);
}

static void bind_num(sqlite3_stmt* st, int i, double v) {
  if (v == v)
    sqlite3_bind_double(st, i, v);
  else
    sqlite3_bind_null(st, i);
}

/* One row of the daily table. */
static void band_row(store* s, sqlite3_stmt* st, int day, const char* date,
                     const char* who, const char* series, const truce_band* b) {
  sqlite3_bind_int(st, 1, day);
  bind_text(st, 2, date);
  bind_text(st, 3, who);
  bind_text(st, 4, series);
  sqlite3_bind_int64(st, 5, (sqlite3_int64)b->n);
  bind_num(st, 6, b->mean);
  bind_num(st, 7, b->p05);
  bind_num(st, 8, b->p25);
  bind_num(st, 9, b->p50);
  bind_num(st, 10, b->p75);
  bind_num(st, 11, b->p95);
  step(s, st);
}

static void meta_kv(store* s, sqlite3_stmt* st, const char* k, const char* v) {
  bind_text(st, 1, k);
  bind_text(st, 2, v);
  step(s, st);
}

/* meta and params: the run and the uncertain numbers' paths. */
static void write_meta(store* s, const truce_scenario* sc,
                       const truce_ensemble* e, const truce_run_meta* m) {
  char buf[64];
  sqlite3_stmt* st = prep(s, "INSERT INTO meta VALUES(?,?)");
  meta_kv(s, st, "truce_version", truce_version());
  meta_kv(s, st, "scenario", truce_scenario_name(sc));
  meta_kv(s, st, "scenario_file", truce_scenario_file(sc));
  meta_kv(s, st, "scenario_sha256", truce_scenario_sha256(sc));
  snprintf(buf, sizeof buf, "%llu", (unsigned long long)m->seed);
  meta_kv(s, st, "seed", buf);
  snprintf(buf, sizeof buf, "%llu", (unsigned long long)m->runs);
  meta_kv(s, st, "runs", buf);
  snprintf(buf, sizeof buf, "%d", truce_scenario_horizon_days(sc));
  meta_kv(s, st, "days", buf);
  meta_kv(s, st, "mode", m->deterministic ? "deterministic" : "stochastic");
  meta_kv(s, st, "start", truce_scenario_start(sc));
  meta_kv(s, st, "command_line", m->command_line);
  snprintf(buf, sizeof buf, "%d", m->threads);
  meta_kv(s, st, "threads", buf);
  snprintf(buf, sizeof buf, "%d", m->ranks);
  meta_kv(s, st, "ranks", buf);
  sqlite3_finalize(st);

  size_t np = truce_scenario_uncertain_count(sc);
  st = prep(s, "INSERT INTO params VALUES(?,?)");
  for (size_t j = 0; j < np && !s->rc; j++) {
    sqlite3_bind_int64(st, 1, (sqlite3_int64)j);
    bind_text(st, 2, truce_scenario_uncertain_path(sc, j));
    step(s, st);
  }
  sqlite3_finalize(st);
}

/* runs and run_params: each run's outcomes (the outcome table) and draws. */
static void write_runs(store* s, const truce_scenario* sc,
                       const truce_ensemble* e, const truce_run_meta* m) {
  size_t np = truce_scenario_uncertain_count(sc);
  const size_t nout = truce_outcome_count();
  char sql[1024] = "INSERT INTO runs VALUES(?,?";
  for (size_t k = 0; k < nout; k++) strcat(sql, ",?");
  strcat(sql, ")");
  sqlite3_stmt* sr = prep(s, sql);
  sqlite3_stmt* sp = prep(s, "INSERT INTO run_params VALUES(?,?,?)");
  for (uint64_t r = 0; r < truce_ensemble_runs(e) && !s->rc; r++) {
    for (size_t i = 0; i < 2; i++) {
      sqlite3_bind_int64(sr, 1, (sqlite3_int64)r);
      bind_text(sr, 2, truce_scenario_side_id(sc, i));
      for (size_t k = 0; k < nout; k++) {
        double x = truce_ensemble_outcome_value(e, r, i, k);
        int col = 3 + (int)k;
        if (!truce_outcome(k)->is_day)
          bind_num(sr, col, x);
        else if (isnan(x))
          sqlite3_bind_null(sr, col);
        else
          sqlite3_bind_int(sr, col, (int)x);
      }
      step(s, sr);
    }
    const double* pv = truce_ensemble_params(e, r);
    for (size_t j = 0; j < np; j++) {
      sqlite3_bind_int64(sp, 1, (sqlite3_int64)r);
      sqlite3_bind_int64(sp, 2, (sqlite3_int64)j);
      bind_num(sp, 3, pv[j]);
      step(s, sp);
    }
  }
  sqlite3_finalize(sr);
  sqlite3_finalize(sp);
}

/* daily and stalemate: the bands of every series (the series tables). */
static void write_daily(store* s, const truce_scenario* sc,
                        const truce_ensemble* e, const truce_run_meta* m) {
  const truce_band* kept = s->bands;
  const char* start = truce_scenario_start(sc);
  long start_days = start ? truce__date_to_days(start) : 0;
  sqlite3_stmt* st = prep(s, "INSERT INTO daily VALUES(?,?,?,?,?,?,?,?,?,?,?)");
  sqlite3_stmt* ss = prep(s, "INSERT INTO stalemate VALUES(?,?)");
  for (int d = 0; d < truce_ensemble_days(e) && !s->rc; d++) {
    char date[11] = "";
    if (start) truce__date_from_days(start_days + d, date);
    for (size_t i = 0; i < 2; i++)
      for (int k = 0; k < (int)truce_series_count(); k++) {
        truce_band b;
        if (kept)
          b = *kept++;
        else
          truce_ensemble_band(e, d, i, k, &b);
        band_row(s, st, d, start ? date : NULL, truce_scenario_side_id(sc, i),
                 truce_series_name(k), &b);
      }
    for (size_t b = 0; b < truce_scenario_backer_count(sc); b++)
      for (int k = 0; k < (int)truce_backer_series_count(); k++) {
        truce_band bd;
        if (kept)
          bd = *kept++;
        else
          truce_ensemble_backer_band(e, d, b, k, &bd);
        band_row(s, st, d, start ? date : NULL, truce_scenario_backer_id(sc, b),
                 truce_backer_series_name(k), &bd);
      }
    sqlite3_bind_int(ss, 1, d);
    bind_num(ss, 2, truce_ensemble_stalemate(e, d));
    step(s, ss);
  }
  sqlite3_finalize(st);
  sqlite3_finalize(ss);
}

/* backer_runs: each run's totals per backer. */
static void write_backers(store* s, const truce_scenario* sc,
                          const truce_ensemble* e, const truce_run_meta* m) {
  if (truce_scenario_backer_count(sc)) {
    sqlite3_stmt* st = prep(s, "INSERT INTO backer_runs VALUES(?,?,?,?,?,?)");
    for (uint64_t r = 0; r < truce_ensemble_runs(e) && !s->rc; r++)
      for (size_t b = 0; b < truce_scenario_backer_count(sc); b++) {
        truce_backer_outcome bo;
        truce_ensemble_backer_outcome(e, r, b, &bo);
        sqlite3_bind_int64(st, 1, (sqlite3_int64)r);
        bind_text(st, 2, truce_scenario_backer_id(sc, b));
        bind_num(st, 3, bo.committed_total);
        bind_num(st, 4, bo.delivered_total);
        sqlite3_bind_int(st, 5, bo.longest_gap_days);
        sqlite3_bind_int(st, 6, bo.packages);
        step(s, st);
      }
    sqlite3_finalize(st);
  }
}

/* One bargaining column of run r's extras x (truce_bargain_column_at). */
static void bind_bargain(sqlite3_stmt* st, int col, const truce_scenario* sc,
                         const truce_bargain_column* bc, const double* x) {
  double v = x[bc->extra];
  if (bc->kind == TRUCE_BCOL_NUMBER) {
    bind_num(st, col, v);
  } else if (!(v >= 0)) {
    sqlite3_bind_null(st, col);
  } else if (bc->kind == TRUCE_BCOL_DAY) {
    sqlite3_bind_int(st, col, (int)v);
  } else {
    char name[200];
    truce_bargain_package_name(sc, (int)v, name, sizeof name);
    bind_text(st, col, name);
  }
}

/* bargaining_months, bargaining_terms and bargaining_agreement from the
 * summary over runs (the last two with talks only). */
static void write_bargain_summary(store* s, const truce_scenario* sc,
                                  const truce_bargain_summary* b) {
  sqlite3_stmt* st = prep(s, "INSERT INTO bargaining_months VALUES(?,?,?,?,?)");
  for (int mo = 0; !s->rc && mo < b->months; mo++) {
    sqlite3_bind_int(st, 1, mo + 1);
    bind_num(st, 2, b->p_open_by_month[mo]);
    bind_num(st, 3, b->p_ripe_by_month[mo]);
    bind_num(st, 4, b->p_open_at_month[mo]);
    bind_num(st, 5, b->talks ? b->p_agree_by_month[mo] : (double)NAN);
    step(s, st);
  }
  sqlite3_finalize(st);
  if (!b->talks) return;
  st = prep(s, "INSERT INTO bargaining_terms VALUES(?,?,?,?)");
  for (int k = 0; !s->rc && k < b->n_terms; k++) {
    char name[200];
    truce_bargain_package_name(sc, b->terms_combo[k], name, sizeof name);
    sqlite3_bind_int(st, 1, k + 1);
    bind_text(st, 2, name);
    bind_num(st, 3, b->terms_share[k]);
    bind_num(st, 4, b->terms_x_median[k]);
    step(s, st);
  }
  sqlite3_finalize(st);
  st = prep(s, "INSERT INTO bargaining_agreement VALUES(?,?,?,?,?,?,?,?)");
  bind_num(st, 1, b->agree_fraction);
  bind_num(st, 2, b->p_hold_30);
  bind_num(st, 3, b->p_hold_180);
  for (int q = 0; q < 5; q++) bind_num(st, 4 + q, b->agree_x_q[q]);
  step(s, st);
  sqlite3_finalize(st);
}

/* bargaining_runs (the bargaining run columns) and the summary tables. */
static void write_bargaining(store* s, const truce_scenario* sc,
                             const truce_ensemble* e, const truce_run_meta* m) {
  if (!truce_scenario_has_negotiation(sc) || !truce_ensemble_extras(e, 0))
    return;
  const size_t nc = truce_bargain_column_count();
  char sql[512] = "INSERT INTO bargaining_runs VALUES(?";
  for (size_t k = 0; k < nc; k++) strcat(sql, ",?");
  strcat(sql, ")");
  sqlite3_stmt* st = prep(s, sql);
  for (uint64_t r = 0; r < truce_ensemble_runs(e) && !s->rc; r++) {
    const double* x = truce_ensemble_extras(e, r);
    sqlite3_bind_int64(st, 1, (sqlite3_int64)r);
    for (size_t k = 0; k < nc; k++)
      bind_bargain(st, 2 + (int)k, sc, truce_bargain_column_at(k), x);
    step(s, st);
  }
  sqlite3_finalize(st);
  truce_bargain_summary b;
  if (!s->rc) s->rc = truce_bargain_summarise(s->ctx, sc, e, &b);
  if (!s->rc) write_bargain_summary(s, sc, &b); /* b is unset on failure */
}

/* assumptions: every number of the scenario with its provenance. */
static void write_assumptions(store* s, const truce_scenario* sc,
                              const truce_ensemble* e,
                              const truce_run_meta* m) {
  sqlite3_stmt* st = prep(s, "INSERT INTO assumptions VALUES(?,?,?,?,?,?,?,?)");
  for (size_t i = 0; i < truce_scenario_provenance_count(sc) && !s->rc; i++) {
    const truce_provenance* p = truce_scenario_provenance(sc, i);
    bind_text(st, 1, p->path);
    bind_num(st, 2, p->value);
    bind_text(st, 3, p->unit);
    bind_text(st, 4, p->source);
    bind_text(st, 5, p->claimant);
    bind_text(st, 6, p->date);
    bind_text(st, 7, p->distribution);
    sqlite3_bind_int(st, 8, p->line);
    step(s, st);
  }
  sqlite3_finalize(st);
}

/* Every table, in the schema's order. */
static void write_all(store* s, const truce_scenario* sc,
                      const truce_ensemble* e, const truce_run_meta* m) {
  void (*const writers[])(store*, const truce_scenario*, const truce_ensemble*,
                          const truce_run_meta*) = {
      write_meta,    write_runs,       write_daily,
      write_backers, write_bargaining, write_assumptions};
  for (size_t k = 0; k < sizeof writers / sizeof writers[0] && !s->rc; k++)
    writers[k](s, sc, e, m);
}

/* CREATE TABLE runs: run, side and one column per outcome. */
static int create_runs(sqlite3* db) {
  char sql[2048] =
      "CREATE TABLE runs(run INTEGER NOT NULL, side TEXT NOT "
      "NULL,";
  for (size_t k = 0; k < truce_outcome_count(); k++) {
    const truce_outcome_info* oi = truce_outcome(k);
    size_t l = strlen(sql);
    snprintf(sql + l, sizeof sql - l, " %s %s,", oi->name,
             oi->is_day ? "INTEGER" : "REAL");
  }
  size_t l = strlen(sql);
  snprintf(sql + l, sizeof sql - l, " PRIMARY KEY(run, side));");
  return sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK;
}

/* CREATE TABLE bargaining_runs: run and one column per bargaining run
 * column. */
static int create_bargaining_runs(sqlite3* db) {
  static const char* const type[] = {"REAL", "INTEGER", "TEXT"};
  char sql[1024] = "CREATE TABLE bargaining_runs(run INTEGER PRIMARY KEY";
  for (size_t k = 0; k < truce_bargain_column_count(); k++) {
    const truce_bargain_column* bc = truce_bargain_column_at(k);
    size_t l = strlen(sql);
    snprintf(sql + l, sizeof sql - l, ", %s %s", bc->name, type[bc->kind]);
  }
  strcat(sql, ");");
  return sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK;
}

/* Every table of the schema in db: the one declaration that the writer
 * and the check of a store read. Nonzero on failure. */
static int create_schema(sqlite3* db) {
  return sqlite3_exec(db, schema_head, NULL, NULL, NULL) != SQLITE_OK ||
         create_runs(db) ||
         sqlite3_exec(db, schema, NULL, NULL, NULL) != SQLITE_OK ||
         create_bargaining_runs(db) ||
         sqlite3_exec(db, schema_tail, NULL, NULL, NULL) != SQLITE_OK;
}

int truce__store_write(truce_ctx* ctx, const char* path,
                       const truce_scenario* sc, const truce_ensemble* e,
                       const truce_run_meta* m, const truce_band* bands,
                       size_t n_bands) {
  if (bands && n_bands != truce__bands_count(sc, e))
    return TRUCE_FAIL(ctx, TRUCE_EINTERNAL,
                      "results store: %zu bands kept, %zu expected", n_bands,
                      truce__bands_count(sc, e));
  store s = {ctx, NULL, 0, bands};
  remove(path);
  /* one thread writes the store: no locking on each call (~1% of a run) */
  if (sqlite3_open_v2(
          path, &s.db,
          SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
          NULL) != SQLITE_OK) {
    fail(&s, "open");
  } else {
    if (sqlite3_exec(s.db, "PRAGMA journal_mode=OFF; BEGIN; " STORE_STAMP, NULL,
                     NULL, NULL) != SQLITE_OK ||
        create_schema(s.db))
      fail(&s, "schema");
    write_all(&s, sc, e, m);
    if (!s.rc && sqlite3_exec(s.db, "COMMIT;", NULL, NULL, NULL) != SQLITE_OK)
      fail(&s, "commit");
  }
  sqlite3_close(s.db);
  if (s.rc) remove(path);
  return s.rc;
}

/* One integer from a pragma or query on db (-1 when there is none). */
static long long int_of(sqlite3* db, const char* sql) {
  sqlite3_stmt* st;
  long long v = -1;
  if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) return -1;
  if (sqlite3_step(st) == SQLITE_ROW) v = sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  return v;
}

int truce__store_check(truce_ctx* ctx, sqlite3* db, const char* schema_name,
                       const char* path) {
  char sql[200];
  snprintf(sql, sizeof sql, "PRAGMA \"%s\".application_id", schema_name);
  long long app = int_of(db, sql);
  snprintf(sql, sizeof sql, "PRAGMA \"%s\".user_version", schema_name);
  long long ver = int_of(db, sql);
  if (app != STORE_APP_ID)
    return TRUCE_FAIL_AT(ctx, TRUCE_EDB, path, 1, 1,
                         "not a truce results "
                         "store (%s); expected the results.db written by truce "
                         "run",
                         app < 0 ? "unreadable" : "foreign or empty");
  if (ver != STORE_VERSION)
    return TRUCE_FAIL_AT(ctx, TRUCE_EDB, path, 1, 1,
                         "results store layout "
                         "%lld; expected %d (run the scenario again with this "
                         "truce)",
                         ver, STORE_VERSION);
  /* every table and column of the schema, which is the one declaration:
   * built in memory and compared with the store's */
  sqlite3* ref = NULL;
  int rc = 0;
  if (sqlite3_open(":memory:", &ref) != SQLITE_OK || create_schema(ref)) {
    rc = TRUCE_FAIL(ctx, TRUCE_ENOMEM,
                    "results store: cannot build the "
                    "reference schema");
    goto done;
  }
  sqlite3_stmt* tabs = NULL;
  if (sqlite3_prepare_v2(ref,
                         "SELECT t.name, c.name FROM sqlite_master t, "
                         "pragma_table_info(t.name) c WHERE t.type = 'table'",
                         -1, &tabs, NULL) != SQLITE_OK) {
    rc = TRUCE_FAIL(ctx, TRUCE_EDB, "results store: %s", sqlite3_errmsg(ref));
    goto done;
  }
  snprintf(sql, sizeof sql,
           "SELECT count(*) FROM \"%s\".sqlite_master t, "
           "pragma_table_info(t.name, ?3) c WHERE t.type = 'table' AND "
           "t.name = ?1 AND c.name = ?2",
           schema_name);
  sqlite3_stmt* has = NULL;
  if (sqlite3_prepare_v2(db, sql, -1, &has, NULL) != SQLITE_OK)
    rc = TRUCE_FAIL_AT(ctx, TRUCE_EDB, path, 1, 1,
                       "cannot read the store: "
                       "%s",
                       sqlite3_errmsg(db));
  while (!rc && sqlite3_step(tabs) == SQLITE_ROW) {
    const char* t = (const char*)sqlite3_column_text(tabs, 0);
    const char* c = (const char*)sqlite3_column_text(tabs, 1);
    sqlite3_bind_text(has, 1, t, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(has, 2, c, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(has, 3, schema_name, -1, SQLITE_TRANSIENT);
    if (sqlite3_step(has) != SQLITE_ROW || sqlite3_column_int(has, 0) != 1)
      rc = TRUCE_FAIL_AT(ctx, TRUCE_EDB, path, 1, 1,
                         "no column %s.%s; "
                         "expected the results.db written by truce run",
                         t, c);
    sqlite3_reset(has);
  }
  sqlite3_finalize(has);
  sqlite3_finalize(tabs);
done:
  sqlite3_close(ref);
  return rc;
}
