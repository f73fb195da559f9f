/* SPDX-License-Identifier: GPL-3.0-or-later
 * Test helpers: scenario builders and a fault-injecting allocator. */
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Fail the running test at file:line with a message (cmocka's fail_msg,
 * at the caller's place). */
static void fail_at(const char* file, int line, const char* fmt, ...)
    __attribute__((format(printf, 3, 4), noreturn));
static void fail_at(const char* file, int line, const char* fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vprint_error(fmt, ap);
  va_end(ap);
  print_error("\n");
  _fail(file, line);
  abort(); /* _fail does not return */
}

/* Each block is preceded by a header holding its size; the magic number
 * catches pointers the allocator did not make. 16 bytes keep the block
 * aligned for any type. */
typedef struct {
  size_t size;
  size_t magic;
} ts_header;
#define TS_MAGIC ((size_t)0x7275636574727563u)
_Static_assert(sizeof(ts_header) % 16 == 0, "keeps blocks aligned");

static void mismatch(ts_alloc* a, const void* ptr, size_t osize, size_t size,
                     const char* what) {
  if (__atomic_fetch_add(&a->mismatches, 1, __ATOMIC_SEQ_CST) == 0)
    snprintf(a->first, sizeof a->first,
             "%s of the block %p passed size %zu; its size is %zu", what, ptr,
             osize, size);
  if (getenv("TS_ALLOC_TRAP")) abort();
}

void* ts_alloc_fn(void* user, void* ptr, size_t osize, size_t nsize) {
  ts_alloc* a = user;
  ts_header* h = ptr ? (ts_header*)ptr - 1 : NULL;
  if (h && h->magic != TS_MAGIC) {
    mismatch(a, ptr, osize, 0, "a free or realloc (not our block)");
    return NULL;
  }
  if (h && h->size != osize)
    mismatch(a, ptr, osize, h->size, nsize ? "a realloc" : "a free");
  if (nsize == 0) {
    if (h) {
      __atomic_fetch_sub(&a->live, 1, __ATOMIC_SEQ_CST);
      __atomic_fetch_sub(&a->bytes, (long)h->size, __ATOMIC_SEQ_CST);
      h->magic = 0;
      free(h);
    }
    return NULL;
  }
  long n = __atomic_add_fetch(&a->count, 1, __ATOMIC_SEQ_CST);
  if (a->fail_at > 0 && n == a->fail_at) return NULL;
  size_t old = h ? h->size : 0;
  ts_header* q = realloc(h, sizeof *q + nsize);
  if (!q) return NULL;
  if (!h) __atomic_fetch_add(&a->live, 1, __ATOMIC_SEQ_CST);
  __atomic_fetch_add(&a->bytes, (long)nsize - (long)old, __ATOMIC_SEQ_CST);
  q->size = nsize;
  q->magic = TS_MAGIC;
  return q + 1;
}

void ts_alloc_check_at(const ts_alloc* a, const char* file, int line) {
  if (a->mismatches)
    fail_at(file, line, "%ld allocator size mismatch(es); first: %s",
            a->mismatches, a->first);
  if (a->live)
    fail_at(file, line, "%ld block(s) (%ld bytes) not freed", a->live,
            a->bytes);
}

long ts_oom_sweep_at(ts_oom_step step, void* user, long max_k, const char* file,
                     int line) {
  for (long k = 1; k <= max_k; k++) {
    ts_alloc a = {.fail_at = k};
    truce_ctx* c;
    if (truce_ctx_new(&c, ts_alloc_fn, &a)) {
      ts_alloc_check_at(&a, file, line);
      continue;
    }
    int rc = step(c, user);
    int code = truce_ctx_code(c);
    char msg[256];
    snprintf(msg, sizeof msg, "%s", truce_ctx_message(c));
    truce_ctx_free(c);
    if (rc != 0 && rc != TRUCE_ENOMEM)
      fail_at(file, line,
              "allocation %ld failed: returned %s, not "
              "TRUCE_ENOMEM (%s)",
              k, truce_err_name(rc), msg);
    if (rc == TRUCE_ENOMEM && code != TRUCE_ENOMEM)
      fail_at(file, line,
              "allocation %ld failed: TRUCE_ENOMEM returned "
              "but the context holds %s (%s)",
              k, truce_err_name(code), msg);
    if (a.mismatches || a.live) {
      char where[512];
      snprintf(where, sizeof where, "%s (allocation %ld failed)", file, k);
      ts_alloc_check_at(&a, where, line);
    }
    if (rc == 0) {
      if (a.count >= k) /* allocation k did fail, yet the call succeeded */
        fail_at(file, line,
                "allocation %ld failed but the call "
                "returned 0",
                k);
      return a.count;
    }
  }
  fail_at(file, line, "the call still fails after %ld allocations", max_k);
  return -1;
}

truce_scenario* ts_load(truce_ctx* ctx, const char* yaml) {
  truce_scenario* sc = NULL;
  int rc =
      truce_scenario_load_string(ctx, "test.yaml", yaml, strlen(yaml), &sc);
  if (rc) fail_msg("scenario did not load: %s", truce_ctx_message(ctx));
  return sc;
}

int ts_load_fail(truce_ctx* ctx, const char* yaml) {
  truce_scenario* sc = NULL;
  int rc = truce_scenario_load_string(ctx, "bad.yaml", yaml, strlen(yaml), &sc);
  if (rc == 0) {
    truce_scenario_free(sc);
    fail_msg("scenario loaded but should not have:\n%s", yaml);
  }
  assert_null(sc);
  return rc;
}

const char* ts_error_text(const truce_ctx* c) {
  static char buf[2048];
  if (truce_ctx_file(c) && truce_ctx_line(c) > 0)
    snprintf(buf, sizeof buf, "%s:%d:%d: error: %s", truce_ctx_file(c),
             truce_ctx_line(c), truce_ctx_column(c), truce_ctx_message(c));
  else if (truce_ctx_file(c))
    snprintf(buf, sizeof buf, "%s: error: %s", truce_ctx_file(c),
             truce_ctx_message(c));
  else
    snprintf(buf, sizeof buf, "%s", truce_ctx_message(c));
  return buf;
}

int ts_expect_error(truce_ctx* ctx, const char* yaml, const char* where,
                    const char* what) {
  int rc = ts_load_fail(ctx, yaml);
  const char* msg = ts_error_text(ctx);
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
static ts_alloc ctx_alloc; /* the shared context's, checked at teardown */
static int ctx_failed;     /* a teardown found a mismatch or a leak */

int ts_ctx_failed(void) { return ctx_failed; }

int ts_ctx_setup(void** state) {
  (void)state;
  ctx_alloc = (ts_alloc){0};
  return truce_ctx_new(&ctx, ts_alloc_fn, &ctx_alloc);
}

int ts_ctx_teardown(void** state) {
  (void)state;
  truce_ctx_free(ctx);
  ctx = NULL;
  /* a wrong size passed by any free or realloc of the group's tests, or a
   * block never freed, fails the group */
  if (ctx_alloc.mismatches) {
    print_error(
        "%ld allocator size mismatch(es) in the shared context; "
        "first: %s (TS_ALLOC_TRAP=1 aborts there)\n",
        ctx_alloc.mismatches, ctx_alloc.first);
    return ctx_failed = -1;
  }
  if (ctx_alloc.live) {
    print_error("%ld block(s) (%ld bytes) of the shared context not freed\n",
                ctx_alloc.live, ctx_alloc.bytes);
    return ctx_failed = -1;
  }
  return 0;
}
