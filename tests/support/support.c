/* SPDX-License-Identifier: GPL-3.0-or-later
 * Test helpers: scenario builders and a fault-injecting allocator. */
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void* ts_alloc_fn(void* user, void* ptr, size_t osize, size_t nsize) {
  ts_alloc* a = user;
  (void)osize;
  if (nsize == 0) {
    if (ptr) a->live--;
    free(ptr);
    return NULL;
  }
  a->count++;
  if (a->fail_at > 0 && a->count == a->fail_at) return NULL;
  void* p = realloc(ptr, nsize);
  if (p && !ptr) a->live++;
  return p;
}

truce_scenario* ts_load(truce_ctx* ctx, const char* yaml) {
  truce_scenario* sc = NULL;
  int rc = truce_scenario_load_string(ctx, "test.yaml", yaml, strlen(yaml),
                                      &sc);
  if (rc) fail_msg("scenario did not load: %s", truce_ctx_message(ctx));
  return sc;
}

int ts_load_fail(truce_ctx* ctx, const char* yaml) {
  truce_scenario* sc = NULL;
  int rc = truce_scenario_load_string(ctx, "bad.yaml", yaml, strlen(yaml),
                                      &sc);
  if (rc == 0) {
    truce_scenario_free(sc);
    fail_msg("scenario loaded but should not have:\n%s", yaml);
  }
  assert_null(sc);
  return rc;
}

int ts_expect_error(truce_ctx* ctx, const char* yaml, const char* where,
                    const char* what) {
  int rc = ts_load_fail(ctx, yaml);
  const char* msg = truce_ctx_message(ctx);
  if (strncmp(msg, where, strlen(where)) != 0 || !strstr(msg, what))
    fail_msg("expected '%s...%s', got '%s'", where, what, msg);
  return rc;
}

const char* ts_source_path(const char* rel) {
  static char buf[4096];
  const char* root = getenv("TRUCE_SOURCE_DIR");
  snprintf(buf, sizeof buf, "%s/%s", root ? root : "..", rel);
  return buf;
}

truce_ctx* ctx;

int ts_ctx_setup(void** state) {
  (void)state;
  return truce_ctx_new(&ctx, NULL, NULL);
}

int ts_ctx_teardown(void** state) {
  (void)state;
  truce_ctx_free(ctx);
  ctx = NULL;
  return 0;
}
