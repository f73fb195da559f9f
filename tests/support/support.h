/* SPDX-License-Identifier: GPL-3.0-or-later
 * Test helpers: scenario builders and a fault-injecting allocator. */
#ifndef TRUCE_TEST_SUPPORT_H
#define TRUCE_TEST_SUPPORT_H
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
/* cmocka.h needs the above first */
#include <cmocka.h>
#include <truce/truce.h>

/* The test allocator, a truce_alloc_fn that keeps the allocator contract
 * of truce/core.h honest (after Lua's ltests.c debug_realloc): each block
 * carries a header with its size, and every free or realloc must pass
 * that size as osize, or the call counts as a mismatch (and aborts at
 * once when TS_ALLOC_TRAP is set, for a stack trace). It fails allocation
 * number `fail_at` (1-based; 0: never) and counts live blocks and bytes,
 * so tests can check for leaks. Thread-safe (the ensemble's threads share
 * their parent context's allocator). Initialise as {k} or {0}. */
typedef struct {
  long fail_at;
  long count;      /* allocations (and growing reallocs) attempted */
  long live;       /* blocks allocated and not yet freed */
  long bytes;      /* their total size */
  long mismatches; /* frees/reallocs that passed a wrong osize */
  char first[160]; /* the first mismatch, described */
} ts_alloc;
void* ts_alloc_fn(void* user, void* ptr, size_t osize, size_t nsize);
/* Fail the test if a has a size mismatch or a live block. */
#define ts_alloc_check(a) ts_alloc_check_at((a), __FILE__, __LINE__)
void ts_alloc_check_at(const ts_alloc* a, const char* file, int line);

/* The out-of-memory sweep: for k = 1, 2, ... make a context whose
 * allocator fails allocation k, call step(c, user) and check that it
 * returned TRUCE_ENOMEM (with that code in the context), freed every
 * block it made and passed every block's true size; stop at the first k
 * at which step succeeds (nothing failed), which must come before
 * max_k. step must free everything it made on every path. Returns the
 * number of allocations of the successful call. */
typedef int (*ts_oom_step)(truce_ctx* c, void* user);
#define ts_oom_sweep(step, user, max_k) \
  ts_oom_sweep_at((step), (user), (max_k), __FILE__, __LINE__)
long ts_oom_sweep_at(ts_oom_step step, void* user, long max_k, const char* file,
                     int line);

/* Two sides (a defends, b attacks) with uncertain numbers (a range, a
 * normal, a uniform coefficient), the square law and a front: a small war
 * through every phase of a day. The sections after the header, for
 * "truce: 1\nhorizon_days: N\n..." TS_TWO_SIDES. */
#define TS_TWO_SIDES                                                        \
  "sides:\n"                                                                \
  "  - id: a\n    exhaustion_threshold: 900\n"                              \
  "    personnel: {front: {value: 1000, low: 900, high: 1100}, pool: 5000," \
  " recruits_per_month: 200}\n"                                             \
  "  - id: b\n    posture: attack\n"                                        \
  "    personnel: {front: {dist: normal, mean: 1200, sd: 50}}\n"            \
  "combat:\n  law: square\n  coefficients: {a: 0.01, b: {dist: uniform, "   \
  "min: 0.006, max: 0.01}}\n"                                               \
  "front: {advance_km_per_day: 0.5, length_km: 100, area_km2: 10000,\n"     \
  "        stalemate_window_days: 10, stalemate_km2: 5}\n"

/* Load a scenario from text; fails the test with the error if it does not
 * load. */
truce_scenario* ts_load(truce_ctx* ctx, const char* yaml);
/* Load text expected to fail; returns the error code (message in ctx). */
int ts_load_fail(truce_ctx* ctx, const char* yaml);
/* Load text (as bad.yaml) expected to fail with a message starting with
 * `where` (FILE:LINE:COL: error:) and containing `what`; returns the
 * error code. */
int ts_expect_error(truce_ctx* ctx, const char* yaml, const char* where,
                    const char* what);
/* The context's last error as the CLI shows it: "FILE:LINE:COL: error:
 * MESSAGE" when it has a place in an input, else MESSAGE. Static buffer. */
const char* ts_error_text(const truce_ctx* c);
/* Path of a file in the source tree (TRUCE_SOURCE_DIR). Static buffer. */
const char* ts_source_path(const char* rel);
/* A context shared by a test program's cases, on the test allocator:
 * pass these as the group's setup and teardown. The teardown fails the
 * group (print_error, -1) when any free or realloc passed a wrong size or
 * a block was left allocated. */
extern truce_ctx* ctx;
int ts_ctx_setup(void** state);
int ts_ctx_teardown(void** state);
/* Whether a ts_ctx_teardown failed (cmocka 1.1 reports a failed group
 * teardown but still exits 0). */
int ts_ctx_failed(void);
/* Run a group of tests: its exit status fails on a failed test and on a
 * failed ts_ctx_teardown. */
#define ts_run_group(tests, setup, teardown) \
  (cmocka_run_group_tests(tests, setup, teardown) || ts_ctx_failed())
#endif
