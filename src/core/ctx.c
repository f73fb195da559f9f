/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The context: allocator, last error and where it was raised. All errors in
 * libtruce pass through truce__error, so one breakpoint catches them all.
 * Reporting an error never allocates, so out-of-memory is reported safely.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "truce_config.h"
#include "truce_int.h"

static void* default_alloc(void* user, void* ptr, size_t osize, size_t nsize) {
  (void)user;
  (void)osize;
  if (nsize == 0) {
    free(ptr);
    return NULL;
  }
  return realloc(ptr, nsize);
}

/* ---------------------------------------------------------------- Public API
 */

int truce_ctx_new(truce_ctx** out, truce_alloc_fn alloc, void* alloc_user) {
  if (!out) return TRUCE_EINVAL;
  *out = NULL;
  if (!alloc) alloc = default_alloc;
  truce_ctx* ctx = alloc(alloc_user, NULL, 0, sizeof *ctx);
  if (!ctx) return TRUCE_ENOMEM;
  memset(ctx, 0, sizeof *ctx);
  ctx->alloc = alloc;
  ctx->alloc_user = alloc_user;
  *out = ctx;
  return 0;
}

void truce_ctx_free(truce_ctx* ctx) {
  if (!ctx) return;
  ctx->alloc(ctx->alloc_user, ctx, sizeof *ctx, 0);
}

int truce_ctx_code(const truce_ctx* ctx) { return ctx ? ctx->code : 0; }

const char* truce_ctx_message(const truce_ctx* ctx) {
  return ctx ? ctx->message : "";
}

const char* truce_ctx_origin(const truce_ctx* ctx) {
  return ctx ? ctx->origin : "";
}

const char* truce_ctx_file(const truce_ctx* ctx) {
  return ctx && ctx->file[0] ? ctx->file : NULL;
}

int truce_ctx_line(const truce_ctx* ctx) {
  return ctx && ctx->file[0] ? ctx->line : 0;
}

int truce_ctx_column(const truce_ctx* ctx) {
  return ctx && ctx->file[0] ? ctx->col : 0;
}

void truce_ctx_clear(truce_ctx* ctx) {
  if (!ctx) return;
  ctx->code = 0;
  ctx->message[0] = '\0';
  ctx->origin[0] = '\0';
  ctx->file[0] = '\0';
  ctx->line = ctx->col = 0;
}

const char* truce_strerror(int code) {
  switch (code) {
    case 0: return "success";
#define TRUCE_X_(name, value, desc) \
  case TRUCE_##name: return desc;
      TRUCE_ERRNO_MAP(TRUCE_X_)
#undef TRUCE_X_
    default: return "unknown error";
  }
}

const char* truce_err_name(int code) {
  switch (code) {
    case 0: return "TRUCE_OK";
#define TRUCE_X_(name, value, desc) \
  case TRUCE_##name: return "TRUCE_" #name;
      TRUCE_ERRNO_MAP(TRUCE_X_)
#undef TRUCE_X_
    default: return "TRUCE_UNKNOWN";
  }
}

const char* truce_version(void) { return TRUCE_VERSION; }

const char* truce_features(void) {
#if defined(_OPENMP) && defined(TRUCE_WITH_MPI)
  return "openmp mpi";
#elif defined(_OPENMP)
  return "openmp";
#elif defined(TRUCE_WITH_MPI)
  return "mpi";
#else
  return "";
#endif
}

/* ------------------------------------------------------------------ Internal
 */

static int record(truce_ctx* ctx, int code, const char* func, const char* file,
                  int line, const char* path, int in_line, int in_col,
                  const char* fmt, va_list ap) {
  if (!ctx) return code;
  ctx->code = code;
  vsnprintf(ctx->message, sizeof ctx->message, fmt, ap);
  const char* base = strrchr(file, '/');
  snprintf(ctx->origin, sizeof ctx->origin, "%s (%s:%d)", func,
           base ? base + 1 : file, line);
  snprintf(ctx->file, sizeof ctx->file, "%s", path ? path : "");
  ctx->line = path ? in_line : 0;
  ctx->col = path ? in_col : 0;
  return code;
}

int truce__error(truce_ctx* ctx, int code, const char* func, const char* file,
                 int line, const char* fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  record(ctx, code, func, file, line, NULL, 0, 0, fmt, ap);
  va_end(ap);
  return code;
}

int truce__error_at(truce_ctx* ctx, int code, const char* func,
                    const char* file, int line, const char* path, int in_line,
                    int in_col, const char* fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  record(ctx, code, func, file, line, path, in_line, in_col, fmt, ap);
  va_end(ap);
  return code;
}

int truce__error_place(truce_ctx* ctx, const char* path, int line, int col) {
  if (!ctx) return TRUCE_EINTERNAL;
  snprintf(ctx->file, sizeof ctx->file, "%s", path ? path : "");
  ctx->line = path ? line : 0;
  ctx->col = path ? col : 0;
  return ctx->code;
}

int truce__error_copy(truce_ctx* dst, const truce_ctx* src) {
  if (dst && src && dst != src) {
    dst->code = src->code;
    memcpy(dst->message, src->message, sizeof dst->message);
    memcpy(dst->origin, src->origin, sizeof dst->origin);
    memcpy(dst->file, src->file, sizeof dst->file);
    dst->line = src->line;
    dst->col = src->col;
  }
  return src ? src->code : TRUCE_EINTERNAL;
}

void* truce__malloc(truce_ctx* ctx, size_t n) {
  void* p = ctx->alloc(ctx->alloc_user, NULL, 0, n ? n : 1);
  if (!p) TRUCE_FAIL(ctx, TRUCE_ENOMEM, "out of memory (%zu bytes)", n);
  return p;
}

void* truce__calloc(truce_ctx* ctx, size_t count, size_t size) {
  if (size && count > (size_t)-1 / size) {
    TRUCE_FAIL(ctx, TRUCE_ENOMEM, "allocation size overflows");
    return NULL;
  }
  void* p = truce__malloc(ctx, count * size);
  if (p) memset(p, 0, (count * size) > 0 ? count * size : 1);
  return p;
}

/* A request for 0 bytes allocates 1 (so the pointer is unique and not
 * NULL); freeing or growing such a block may pass 0 or 1 as its size. */
void* truce__realloc(truce_ctx* ctx, void* p, size_t osize, size_t nsize) {
  void* q = ctx->alloc(ctx->alloc_user, p, p && !osize ? 1 : osize,
                       nsize ? nsize : 1);
  if (!q) TRUCE_FAIL(ctx, TRUCE_ENOMEM, "out of memory (%zu bytes)", nsize);
  return q;
}

void truce__free(truce_ctx* ctx, void* p, size_t size) {
  if (p) ctx->alloc(ctx->alloc_user, p, size ? size : 1, 0);
}

char* truce__strndup(truce_ctx* ctx, const char* s, size_t n) {
  char* d = truce__malloc(ctx, n + 1);
  if (!d) return NULL;
  memcpy(d, s, n);
  d[n] = '\0';
  return d;
}

char* truce__strdup(truce_ctx* ctx, const char* s) {
  return truce__strndup(ctx, s, strlen(s));
}

void truce__strfree(truce_ctx* ctx, char* s) {
  if (s) truce__free(ctx, s, strlen(s) + 1);
}

/* Optimal string alignment distance (Levenshtein plus adjacent
 * transpositions, so "pret" is one edit from "pert"). */
int truce__edit_distance(const char* a, const char* b) {
  size_t la = strlen(a), lb = strlen(b);
  if (la > 63 || lb > 63) return 255;
  int d[64][64];
  for (size_t i = 0; i <= la; i++) d[i][0] = (int)i;
  for (size_t j = 0; j <= lb; j++) d[0][j] = (int)j;
  for (size_t i = 1; i <= la; i++)
    for (size_t j = 1; j <= lb; j++) {
      int cost = a[i - 1] == b[j - 1] ? 0 : 1;
      int best = d[i - 1][j - 1] + cost;
      if (d[i - 1][j] + 1 < best) best = d[i - 1][j] + 1;
      if (d[i][j - 1] + 1 < best) best = d[i][j - 1] + 1;
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
          d[i - 2][j - 2] + 1 < best)
        best = d[i - 2][j - 2] + 1;
      d[i][j] = best;
    }
  return d[la][lb];
}
