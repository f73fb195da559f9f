/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * truce/core.h: the context object, error codes and version.
 *
 * Every fallible truce function returns 0 or a negative TRUCE_E* code and
 * records a human-readable reason in the truce_ctx it was given (only a
 * call given no context at all, or none to record in, returns a bare
 * code). An error about a place in an input (a scenario, a data file, an
 * output read back) also records that place: file, line and column. The
 * library never prints and never exits; the caller decides how to show
 * the message (the truce CLI prints "FILE:LINE:COL: error: MESSAGE", or
 * "truce: error: MESSAGE" without a place). One context per thread.
 */
#ifndef TRUCE_CORE_H
#define TRUCE_CORE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(_WIN32)
#define TRUCE_API __declspec(dllexport)
#elif defined(__GNUC__)
#define TRUCE_API __attribute__((visibility("default")))
#else
#define TRUCE_API
#endif

/* The one error table: X(name, value, description). */
#define TRUCE_ERRNO_MAP(X)                            \
  X(EINVAL, -1, "invalid argument")                   \
  X(ENOMEM, -2, "out of memory")                      \
  X(EIO, -3, "input/output error")                    \
  X(EPARSE, -4, "parse error")                        \
  X(EDOM, -5, "value outside the domain")             \
  X(ENOCONV, -6, "did not converge")                  \
  X(EDB, -7, "results store error")                   \
  X(EMPI, -8, "MPI error")                            \
  X(EINTERNAL, -9, "internal error (a bug in truce)") \
  X(ECANCELED, -10, "cancelled by the caller")

typedef enum {
  TRUCE_OK = 0,
#define TRUCE_X_(name, value, desc) TRUCE_##name = value,
  TRUCE_ERRNO_MAP(TRUCE_X_)
#undef TRUCE_X_
} truce_errno;

/* Allocator: like Lua's lua_Alloc. nsize == 0 frees ptr and returns NULL;
 * otherwise (re)allocates ptr from osize to nsize bytes. */
typedef void* (*truce_alloc_fn)(void* user, void* ptr, size_t osize,
                                size_t nsize);

typedef struct truce_ctx truce_ctx;

/* Create a context. alloc may be NULL for the C library's allocator. */
TRUCE_API int truce_ctx_new(truce_ctx** out, truce_alloc_fn alloc,
                            void* alloc_user);
/* Free a context; NULL is accepted. */
TRUCE_API void truce_ctx_free(truce_ctx* ctx);
/* The last error's code (0 if none). */
TRUCE_API int truce_ctx_code(const truce_ctx* ctx);
/* The last error's message, "" if none: what is wrong and what was
 * expected ("'x' is not a number; expected a number >= 0"), without the
 * place. Valid until the next failing call. */
TRUCE_API const char* truce_ctx_message(const truce_ctx* ctx);
/* Where in an input the last error is: the input's name (a path, or the
 * name given to truce_scenario_load_string), 1-based line and column; an
 * input given on a command line (e.g. "--lever PATH") has line 0; NULL
 * and 0 when the error is not about a place in an input. */
TRUCE_API const char* truce_ctx_file(const truce_ctx* ctx);
TRUCE_API int truce_ctx_line(const truce_ctx* ctx);
TRUCE_API int truce_ctx_column(const truce_ctx* ctx);
/* Where in the library the last error was raised: "func (file:line)". */
TRUCE_API const char* truce_ctx_origin(const truce_ctx* ctx);
/* Forget the last error. */
TRUCE_API void truce_ctx_clear(truce_ctx* ctx);

/* Description and symbolic name ("TRUCE_EINVAL") of an error code. */
TRUCE_API const char* truce_strerror(int code);
TRUCE_API const char* truce_err_name(int code);

/* The library version, e.g. "0.1.0". */
TRUCE_API const char* truce_version(void);
/* Optional features built in, space-separated: "openmp", "mpi". */
TRUCE_API const char* truce_features(void);

/* SHA-256 of a byte buffer as 64 lowercase hex digits plus NUL. */
TRUCE_API void truce_sha256_hex(const void* data, size_t len, char out[65]);

#ifdef __cplusplus
}
#endif
#endif
