/* SPDX-License-Identifier: GPL-3.0-or-later
 * Outputs: files appear only on commit, carry the metadata, and summarise
 * several runs with quantiles. */
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../src/truce_int.h"
#include "support.h"

static char dir[256];

static int setup(void** s) {
  snprintf(dir, sizeof dir, "io-test-%ld", (long)getpid());
  return ts_ctx_setup(s);
}
/* Per test: remove the output directory. */
static int rm_dir(void** s) {
  (void)s;
  char cmd[300];
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  return system(cmd) == 0 ? 0 : -1;
}

static bool exists(const char* name) {
  char p[512];
  snprintf(p, sizeof p, "%s/%s", dir, name);
  struct stat st;
  return stat(p, &st) == 0;
}

static size_t entries(void) {
  char cmd[300];
  snprintf(cmd, sizeof cmd, "ls -A %s | wc -l", dir);
  FILE* f = popen(cmd, "r");
  size_t n = 0;
  if (fscanf(f, "%zu", &n) != 1) n = 999;
  pclose(f);
  return n;
}

static int on_day(void* u, const truce_day* d) {
  return truce_output_day(u, 0, d);
}

static const char* yaml =
    "truce: 1\nname: io\nhorizon_days: 5\nstart: 2024-02-27\n"
    "sides:\n"
    "  - id: a\n    personnel: {front: {value: 1000, source: \"q\\\"s\"}}\n"
    "  - id: b\n    exhaustion_threshold: 990\n    personnel: {front: 1000}\n"
    "combat:\n  law: logarithmic\n  coefficients: {a: 0.01, b: 0.001}\n";

static void test_nothing_until_commit(void** s) {
  (void)s;
  truce_scenario* sc = ts_load(ctx, yaml);
  truce_output* o;
  assert_int_equal(truce_output_open(ctx, dir, sc, &o), 0);
  truce_sim* sim;
  truce_sim_new(ctx, sc, &sim);
  assert_int_equal(truce_sim_run(sim, 0, TRUCE_SIM_DETERMINISTIC, on_day, o),
                   0);
  assert_false(exists("daily.csv"));
  assert_false(exists("summary.json"));
  truce_output_free(o); /* abandoned: temporaries removed */
  assert_int_equal(entries(), 0);
  truce_sim_free(sim);
  truce_scenario_free(sc);
}

/* The last run's outcomes, side-major, as truce_output_run_end takes them. */
static const double* outcomes(const truce_sim* sim) {
  static double v[2 * 64];
  size_t n = truce_outcome_count();
  assert_true(n <= 64);
  for (size_t i = 0; i < 2; i++)
    for (size_t k = 0; k < n; k++)
      v[i * n + k] = truce_sim_outcome_value(sim, i, k);
  return v;
}

static void test_commit_writes_summary(void** s) {
  (void)s;
  truce_scenario* sc = ts_load(ctx, yaml);
  truce_output* o;
  assert_int_equal(truce_output_open(ctx, dir, sc, &o), 0);
  truce_sim* sim;
  truce_sim_new(ctx, sc, &sim);
  for (uint64_t r = 0; r < 3; r++) {
    assert_int_equal(truce_sim_run(sim, r, TRUCE_SIM_DETERMINISTIC, NULL, NULL),
                     0);
    assert_int_equal(truce_output_run_end(o, r, outcomes(sim)), 0);
  }
  truce_run_meta m = {7, 3, 1, "truce run x", 1, 1};
  assert_int_equal(truce_output_commit(o, &m), 0);
  const char* j = truce_output_summary_json(o);
  assert_non_null(j);
  assert_non_null(strstr(j, "\"scenario_sha256\": \""));
  assert_non_null(strstr(j, truce_scenario_sha256(sc)));
  assert_non_null(strstr(j, "\"seed\": 7"));
  assert_non_null(strstr(j, "\"runs\": 3"));
  assert_non_null(strstr(j, "\"days\": 5"));
  assert_non_null(strstr(j, "\"command_line\": \"truce run x\""));
  /* identical runs: every quantile is the value itself */
  assert_non_null(strstr(j, "\"exhaustion_day\": {\"mean\": 2, \"p05\": 2"));
  assert_non_null(
      strstr(j, "\"never_fraction\": 0, \"never_fraction_se\": 0}"));
  /* a quote in a source is escaped */
  assert_non_null(strstr(j, "\"source\": \"q\\\"s\""));
  /* no day was recorded, so only the summary */
  assert_true(exists("summary.json") && !exists("daily.csv"));
  assert_int_equal(entries(), 1);
  truce_output_free(o);
  truce_sim_free(sim);
  truce_scenario_free(sc);
}

/* ---- a disk that fills while SQLite writes: a VFS over the default
 * one whose writes fail with SQLITE_FULL. results.db is small and the
 * journal off, so its pages reach the file at COMMIT: the COMMIT fails
 * (a store that ignored it would say 0 and leave a truncated file). */
static sqlite3_vfs full_vfs;
static sqlite3_io_methods full_io;
static const sqlite3_io_methods* real_io;
static int (*real_open)(sqlite3_vfs*, sqlite3_filename, sqlite3_file*, int,
                        int*);
static int writes_failed;

static int full_write(sqlite3_file* f, const void* b, int n, sqlite3_int64 o) {
  (void)f, (void)b, (void)n, (void)o;
  writes_failed++;
  return SQLITE_FULL;
}

static int full_open(sqlite3_vfs* v, sqlite3_filename name, sqlite3_file* f,
                     int flags, int* out) {
  int rc = real_open(sqlite3_vfs_find("unix"), name, f, flags, out);
  if (rc == SQLITE_OK && f->pMethods) {
    real_io = f->pMethods;
    full_io = *real_io;
    full_io.xWrite = full_write;
    f->pMethods = &full_io;
  }
  (void)v;
  return rc;
}

static void test_failed_commit(void** s) {
  (void)s;
  sqlite3_vfs* unix_vfs = sqlite3_vfs_find("unix");
  full_vfs = *unix_vfs;
  full_vfs.zName = "truce-test-full";
  real_open = unix_vfs->xOpen;
  full_vfs.xOpen = full_open;
  truce_scenario* sc = ts_load(ctx, yaml);
  truce_ensemble_opts eo = {
      .runs = 3, .threads = 1, .flags = TRUCE_SIM_DETERMINISTIC};
  truce_ensemble* e;
  assert_int_equal(truce_ensemble_run(ctx, sc, &eo, &e), 0);
  truce_output* o;
  assert_int_equal(truce_output_open(ctx, dir, sc, &o), 0);
  assert_int_equal(truce_output_ensemble(o, e), 0);
  assert_int_equal(sqlite3_vfs_register(&full_vfs, 1), SQLITE_OK);
  writes_failed = 0;
  truce_run_meta m = {7, 3, 1, "truce run x", 1, 1};
  int rc = truce_output_commit(o, &m);
  sqlite3_vfs_unregister(&full_vfs);
  assert_true(writes_failed > 0);
  assert_int_equal(rc, TRUCE_EDB);
  const char* msg = ts_error_text(ctx);
  char want[300];
  snprintf(want, sizeof want, "%s/results.db:1:1: error: cannot write", dir);
  if (!strstr(msg, want) || !strstr(msg, "full"))
    fail_msg("expected '%s ... full', got '%s'", want, msg);
  truce_output_free(o);
  assert_int_equal(entries(), 0); /* nothing renamed, no temporary left */
  truce_ensemble_free(e);
  truce_scenario_free(sc);
}

static void test_daily_dates(void** s) {
  (void)s;
  truce_scenario* sc = ts_load(ctx, yaml);
  truce_output* o;
  assert_int_equal(truce_output_open(ctx, dir, sc, &o), 0);
  truce_sim* sim;
  truce_sim_new(ctx, sc, &sim);
  truce_sim_run(sim, 0, TRUCE_SIM_DETERMINISTIC, on_day, o);
  truce_output_run_end(o, 0, outcomes(sim));
  truce_run_meta m = {1, 1, 1, "x", 1, 1};
  assert_int_equal(truce_output_commit(o, &m), 0);
  char p[512], line[512];
  snprintf(p, sizeof p, "%s/daily.csv", dir);
  FILE* f = fopen(p, "r");
  int rows = 0;
  bool leap = false;
  while (fgets(line, sizeof line, f)) {
    rows++;
    if (strstr(line, ",2024-02-29,")) leap = true;
  }
  fclose(f);
  assert_int_equal(rows, 1 + 6 * 2);
  assert_true(leap);
  truce_output_free(o);
  truce_sim_free(sim);
  truce_scenario_free(sc);
}

static void test_bad_directory(void** s) {
  (void)s;
  truce_scenario* sc = ts_load(ctx, yaml);
  truce_output* o = (truce_output*)0x1;
  assert_int_equal(truce_output_open(ctx, "/proc/forbidden/x", sc, &o),
                   TRUCE_EIO);
  truce_scenario_free(sc);
}

/* Numbers as a reader sees them: 3 significant figures, separators,
 * units, a sign on a change (include/truce/compare.h). */
static void test_outcome_format(void** st) {
  (void)st;
  static const struct {
    truce_unit u;
    double v;
    int change;
    const char* want;
  } cases[] = {
      {TRUCE_UNIT_COUNT, 1234567.4, 0, "1,230,000"},
      {TRUCE_UNIT_COUNT, 759892.5, 0, "760,000"},
      {TRUCE_UNIT_COUNT, 999.5, 0, "1,000"},
      {TRUCE_UNIT_COUNT, -5, 0, "-5"},
      {TRUCE_UNIT_COUNT, -6144, 1, "-6,140"},
      {TRUCE_UNIT_COUNT, 0.2, 1, "+0.2"},
      {TRUCE_UNIT_COUNT, 0, 1, "0"},
      {TRUCE_UNIT_DAY, 6, 1, "+6"},
      {TRUCE_UNIT_DAY, 160.6, 0, "161"},
      {TRUCE_UNIT_SHARE, 0.226, 0, "22.6%"},
      {TRUCE_UNIT_SHARE, 0.00123456, 0, "0.123%"},
      {TRUCE_UNIT_SHARE, 0.022, 1, "+2.2 pp"},
      {TRUCE_UNIT_SHARE, -0.0004, 1, "-0.04 pp"},
      {TRUCE_UNIT_MONEY, 2.55897e10, 0, "25.6 bn"},
      {TRUCE_UNIT_MONEY, -9.12554e9, 1, "-9.13 bn"},
      {TRUCE_UNIT_SHARE, (double)NAN, 0, "-"},
  };
  char buf[64];
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    truce_outcome_format(cases[i].u, cases[i].v, cases[i].change, "-", buf,
                         sizeof buf);
    assert_string_equal(buf, cases[i].want);
  }
}

/* The CSV writers' numbers are the bytes of printf's "%.12g" (io/row.c
 * writes whole numbers below 1e12 without printf): around the fast
 * path's edges (1e12 needs an exponent, minus zero keeps its sign, 2^53
 * and beyond are not < 1e12) and over random numbers of every size. */
static void test_g12_is_printf(void** st) {
  (void)st;
  const double edge[] = {0.0,
                         -0.0,
                         1,
                         -1,
                         9,
                         10,
                         999999999999.0,
                         -999999999999.0,
                         1e12,
                         -1e12,
                         1e12 + 1,
                         999999999999.5,
                         123456789012.0,
                         9007199254740992.0,
                         4294967296.0,
                         0.5,
                         -0.5,
                         1e-300,
                         5e-324,
                         1.7976931348623157e308,
                         (double)NAN,
                         (double)INFINITY,
                         -(double)INFINITY,
                         336896,
                         2908979.2};
  char got[TRUCE_G12_MAX], want[64];
  for (size_t i = 0; i < sizeof edge / sizeof edge[0]; i++) {
    size_t n = truce__g12(edge[i], got);
    snprintf(want, sizeof want, "%.12g", edge[i]);
    assert_string_equal(got, want);
    assert_int_equal(n, strlen(want));
  }
  uint64_t x = 88172645463325252ull; /* xorshift64 */
  for (int i = 0; i < 200000; i++) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    double v;
    if (i % 2) { /* a whole number of 1 to 13 digits, either sign */
      double scale = pow(10, (double)(x % 13 + 1));
      v = floor((double)(x >> 11) / 9007199254740992.0 * scale);
      if (x & 1) v = -v;
    } else { /* any bit pattern */
      memcpy(&v, &x, sizeof v);
    }
    truce__g12(v, got);
    snprintf(want, sizeof want, "%.12g", v);
    assert_string_equal(got, want);
  }
}

/* A row longer than the row buffer, and a field longer than it, reach
 * the file whole, commas between the fields. */
static void test_long_row(void** st) {
  (void)st;
  FILE* f = tmpfile();
  assert_non_null(f);
  truce__row row;
  truce__row_start(&row, f);
  static char want[60000], got[60000];
  char t[64];
  for (int k = 0; k < 2000; k++) {
    double v = k % 3 ? k * 1.25 : k * 1e9;
    truce__row_num(&row, v);
    snprintf(t, sizeof t, "%s%.12g", k ? "," : "", v);
    strcat(want, t);
  }
  static char big[10001]; /* one field longer than the buffer */
  memset(big, 'x', sizeof big - 1);
  truce__row_str(&row, big);
  strcat(want, ",");
  strcat(want, big);
  truce__row_str(&row, "end");
  strcat(want, ",end\n");
  assert_int_equal(truce__row_end(&row), 0);
  rewind(f);
  size_t n = fread(got, 1, sizeof got - 1, f);
  got[n] = '\0';
  assert_true(strlen(want) > sizeof row.buf);
  assert_string_equal(got, want);
  fclose(f);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_teardown(test_nothing_until_commit, rm_dir),
      cmocka_unit_test_teardown(test_commit_writes_summary, rm_dir),
      cmocka_unit_test_teardown(test_daily_dates, rm_dir),
      cmocka_unit_test_teardown(test_failed_commit, rm_dir),
      cmocka_unit_test(test_bad_directory),
      cmocka_unit_test(test_outcome_format),
      cmocka_unit_test(test_g12_is_printf),
      cmocka_unit_test(test_long_row),
  };
  return ts_run_group(tests, setup, ts_ctx_teardown);
}
