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

/* An allocator that fails allocation number `fail_at` (1-based; 0 never)
 * and counts live blocks, so tests can check for leaks. */
typedef struct {
  long fail_at;
  long count;
  long live;
} ts_alloc;
void* ts_alloc_fn(void* user, void* ptr, size_t osize, size_t nsize);

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
/* Path of a file in the source tree (TRUCE_SOURCE_DIR). Static buffer. */
const char* ts_source_path(const char* rel);
/* A context shared by a test program's cases: pass these as the group's
 * setup and teardown. */
extern truce_ctx* ctx;
int ts_ctx_setup(void** state);
int ts_ctx_teardown(void** state);
#endif
