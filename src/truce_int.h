/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * truce_int.h: declarations shared across libtruce's modules (truce__
 * prefix). Never installed; cli/ and bench/ must not include it.
 */
#ifndef TRUCE_INT_H
#define TRUCE_INT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "truce/truce.h"

#define TRUCE_MSG_MAX 1024

/* e = exp(1) (correctly rounded), for the fatigue law's ln(e + t);
 * <math.h>'s M_E needs _XOPEN_SOURCE. */
#define TRUCE__E 2.718281828459045

/* Random stream ids (docs/model.md s10): a stream is keyed by (seed,
 * stream id) with the run as counter, so a draw depends only on (seed,
 * run, stream, draw number). Each process of each side (the engine's
 * TRUCE_ST_* in src/sim/sim_int.h), each backer's will and approval, the
 * bargaining tracker's beliefs, the battle-outcome ABC, and every uncertain
 * parameter (the FNV-1a hash of its path with the top bit set) has its own. */
#define TRUCE_STREAM_SIDE_STRIDE 16 /* side i's process k: 16 i + k */
#define TRUCE_STREAM_BACKER_BASE               \
  64 /* backer b's will/approval: 64 + 2 b + k \
      */
#define TRUCE_STREAM_SIDE(i, k) \
  (TRUCE_STREAM_SIDE_STRIDE * (uint64_t)(i) + (uint64_t)(k))
#define TRUCE_STREAM_BACKER(b, k) \
  (TRUCE_STREAM_BACKER_BASE + 2 * (uint64_t)(b) + (uint64_t)(k))
#define TRUCE_STREAM_BELIEF (1ULL << 62) /* bargaining beliefs */
#define TRUCE_STREAM_TALKS (TRUCE_STREAM_BELIEF | 1ULL << 56) /* and talks */
#define TRUCE_STREAM_BATTLES 0xABC0ULL  /* battle-outcome ABC (calib) */
#define TRUCE_STREAM_PARAM (1ULL << 63) /* OR-ed into a path's hash */
/* An uncertain event's draws (src/sim/events.c): the hash of its id (and
 * of a number's path in it) in the low 61 bits, with bit 61 set and bits
 * 62-63 clear, so it meets none of the streams above. */
#define TRUCE_STREAM_EVENT(h) \
  (((uint64_t)(h) & ((1ULL << 61) - 1)) | (1ULL << 61))

/* FNV-1a, 64 bits: hash s onto h (start from TRUCE_FNV_BASIS). */
#define TRUCE_FNV_BASIS 0xcbf29ce484222325ULL
uint64_t truce__fnv1a(uint64_t h, const char* s);

struct truce_ctx {
  truce_alloc_fn alloc;
  void* alloc_user;
  int code;
  char message[TRUCE_MSG_MAX];
  char origin[256];
  char file[512]; /* the input the error is about; "" for none */
  int line, col;
};

/* Record an error in ctx and return code. The single breakpoint for all
 * errors raised by the library. */
int truce__error(truce_ctx* ctx, int code, const char* func, const char* file,
                 int line, const char* fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 6, 7)))
#endif
    ;

#define TRUCE_FAIL(ctx, code, ...) \
  truce__error((ctx), (code), __func__, __FILE__, __LINE__, __VA_ARGS__)

/* The same for an error at a place in an input: path (its name), line
 * and column (1-based), kept beside the message (truce_ctx_file). */
int truce__error_at(truce_ctx* ctx, int code, const char* func,
                    const char* file, int line, const char* path, int in_line,
                    int in_col, const char* fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 9, 10)))
#endif
    ;
#define TRUCE_FAIL_AT(ctx, code, path, line, col, ...)                         \
  truce__error_at((ctx), (code), __func__, __FILE__, __LINE__, (path), (line), \
                  (col), __VA_ARGS__)

/* Give the error just recorded in ctx a place in an input (for messages
 * built before the place is known); returns its code. */
int truce__error_place(truce_ctx* ctx, const char* path, int line, int col);

/* Copy src's error (code, message, origin and place) into dst; returns
 * the code. For a thread's context reporting to its parent's. */
int truce__error_copy(truce_ctx* dst, const truce_ctx* src);

/* Check a public function's arguments: without a context there is
 * nowhere to record a message, so only the code is returned. */
#define TRUCE_CHECK_ARGS(ctx, ok)                                     \
  do {                                                                \
    if (!(ctx)) return TRUCE_EINVAL;                                  \
    if (!(ok))                                                        \
      return TRUCE_FAIL((ctx), TRUCE_EINVAL,                          \
                        "%s: a required argument is NULL", __func__); \
  } while (0)

#ifndef NDEBUG
#define TRUCE_ASSERT(ctx, cond)                                         \
  do {                                                                  \
    if (!(cond))                                                        \
      return TRUCE_FAIL((ctx), TRUCE_EINTERNAL, "assertion failed: %s", \
                        #cond);                                         \
  } while (0)
#else
#define TRUCE_ASSERT(ctx, cond) ((void)0)
#endif

/* Allocation through the context's allocator; each records TRUCE_ENOMEM
 * in ctx (without allocating) when it returns NULL. The allocator
 * contract (truce/core.h): truce__free and truce__realloc pass the block's
 * true size, the n (or count * size) it was allocated with; a block of 0
 * bytes is allocated as 1 and may be freed with 0 or 1. */
void* truce__malloc(truce_ctx* ctx, size_t n);
void* truce__calloc(truce_ctx* ctx, size_t count, size_t size);
void* truce__realloc(truce_ctx* ctx, void* p, size_t osize, size_t nsize);
void truce__free(truce_ctx* ctx, void* p, size_t size);
char* truce__strdup(truce_ctx* ctx, const char* s);
char* truce__strndup(truce_ctx* ctx, const char* s, size_t n);
/* Free a string made by truce__strdup/strndup; NULL accepted. */
void truce__strfree(truce_ctx* ctx, char* s);
/* Sorts n elements of size bytes stably (equal elements keep their order)
 * in O(n log n) time with n * size bytes of scratch; 0 or TRUCE_ENOMEM. */
int truce__sort_stable(truce_ctx* ctx, void* base, size_t n, size_t size,
                       int (*cmp)(const void*, const void*));

/* Edit distance with transpositions, capped at 255; for "did you mean". */
int truce__edit_distance(const char* a, const char* b);

/* Dates "YYYY-MM-DD" (proleptic Gregorian) and days since 1970-01-01. */
bool truce__date_valid(const char* s);
long truce__date_to_days(const char* s);
void truce__date_from_days(long days, char out[11]);

/* A gamma variate (GSL's gsl_ran_gamma, Marsaglia-Tsang) from a stream;
 * it takes a variable number of the stream's draws. */
double truce__rng_gamma(truce_rng* r, double shape, double scale);

/* Split a CSV line in place (src/core/csv.c): commas, optional double
 * quotes, blanks trimmed; a trailing empty field is dropped; fields past
 * the first TRUCE_CSV_MAX_FIELDS are not returned. */
#define TRUCE_CSV_MAX_FIELDS 512
typedef struct {
  char* f[TRUCE_CSV_MAX_FIELDS];
  int col[TRUCE_CSV_MAX_FIELDS]; /* 1-based column of each field */
  int n;
} truce__csv_fields;
void truce__csv_split(char* line, truce__csv_fields* fs);
/* Read a CSV file with a header of exactly `columns` (FILE:1:1 error
 * otherwise) and call fn on each non-empty row of exactly ncol fields
 * (FILE:LINE:COL error otherwise) with its 1-based line; a non-zero
 * return stops the walk and is returned. `what` names the file in a
 * read error. */
/* Whether a line (of truce__next_line) holds only blanks and CRs: the
 * CSV readers skip it. */
bool truce__csv_blank(const char* line);
/* Record "PATH:LINE:COL: error: ..." (TRUCE_EPARSE) and return it. */
int truce__csv_fail(truce_ctx* ctx, const char* path, int line, int col,
                    const char* fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;
typedef int (*truce__csv_row_fn)(void* user, truce__csv_fields* fs, int line);
int truce__csv_each(truce_ctx* ctx, const char* path, const char* what,
                    const char* const* columns, int ncol, truce__csv_row_fn fn,
                    void* user);

/* Read a whole file into a NUL-terminated buffer (free with truce__free,
 * size len + 1). Errors, at PATH:1:1: "cannot read the file (...);
 * expected WHAT". */
int truce__read_file(truce_ctx* ctx, const char* path, const char* what,
                     char** out, size_t* len);

/* The next line of a NUL-terminated text read with truce__read_file
 * (changed in place: the newline and a trailing CR become NUL), or NULL
 * at its end; *at is the position (start it at the text), *line counts
 * lines from 1. Empty lines are returned too, so line numbers are true.
 * A byte-order mark before the first line is skipped. */
char* truce__next_line(char** at, int* line);
/* The UTF-8 byte-order mark some programs (spreadsheets) put at the start
 * of a text file; truce__next_line skips it before the first line. */
#define TRUCE__BOM "\xEF\xBB\xBF"

/* A whole text as a number (strtod's syntax): 0 with *out set; -1 when it
 * is not a number (empty, trailing text, nan, inf; *out untouched); 1 when
 * it is a number too large for a double (*out = +-inf). An underflow is a
 * (tiny) number. */
int truce__parse_number(const char* s, double* out);

/* Read a file of the report's web assets (web/ or TRUCE_WEB_DIR). */
int truce__web_asset(truce_ctx* ctx, const char* rel, char** text, size_t* len);
/* Write an HTML page's opening up to its <head>'s end (exclusive): the
 * title, web/report.css and the Vega, Vega-Lite and Vega-Embed builds,
 * inlined. */
int truce__web_head(truce_ctx* ctx, FILE* f, const char* title,
                    const char* out);
/* Write code (a web asset) inside an inline <script> element (a closing
 * tag in it cannot end the element early); -1 on a write error. Data goes
 * through truce__web_json. */
int truce__web_inline(FILE* f, const char* s, size_t n);
/* Write data for an inline <script type="application/json">: JSON text
 * as it is, or (as_string) any text as one JSON string; either way '<',
 * '>' and '&' become \u003c, \u003e, \u0026, so nothing in the data can
 * close the element or open a comment or script in it. -1 on a write
 * error. The only way data enters a truce page's scripts. */
int truce__web_json(FILE* f, const char* s, size_t n, bool as_string);

/* Write a file whole or not at all: truce__tmp_open opens "OUT.PID.tmp"
 * (its name into tmp[cap]); truce__tmp_commit closes it and, when ok and
 * the close succeeds, renames it to out, else removes it; errors, at
 * OUT:1:1: "cannot write (...)". truce__tmp_abandon closes and
 * removes it after a failure already recorded in the context. */
FILE* truce__tmp_open(truce_ctx* ctx, const char* out, char* tmp, size_t cap);
int truce__tmp_commit(truce_ctx* ctx, FILE* f, const char* tmp, const char* out,
                      bool ok);
void truce__tmp_abandon(FILE* f, const char* tmp);
/* Create directory dir and its missing parents (mkdir -p); an existing
 * directory is fine. Errors name the part that could not be made. */
int truce__mkdir_p(truce_ctx* ctx, const char* dir);

/* Fill a warning of `kind` (truce/warn.h's table) with a message. */
#if defined(__GNUC__)
__attribute__((format(printf, 4, 5)))
#endif
void truce__warning_set(truce_warning* w, int kind, double share,
                        const char* fmt, ...);
/* sc's file text (text[0..len)) with n values replaced, as
 * truce_scenario_write_with writes it, into a new buffer *out of *out_len
 * bytes (allocated *out_cap: free with that), checked to load (as `name`);
 * nothing is read or written (scenario/write.c). */
int truce__scenario_splice(truce_ctx* ctx, const truce_scenario* sc,
                           const char* text, size_t len, const char* name,
                           size_t n, const char* const* paths,
                           const char* const* values, char** out,
                           size_t* out_len, size_t* out_cap);
/* v as printf's "%.12g" writes it, into out (TRUCE_G12_MAX bytes), with
 * its length; whole numbers below 1e12 without printf (io/row.c). */
#define TRUCE_G12_MAX 32
size_t truce__g12(double v, char* out);
/* A CSV row (io/row.c): start it on a file, append fields (a comma before
 * each but the first; numbers as "%.12g"), end it with a newline; its
 * bytes reach the file in one write (or a few, for a row longer than the
 * buffer). truce__row_end returns -1 if any write of the row failed,
 * with errno that failure's. */
typedef struct {
  char buf[4096];
  size_t n, fields;
  FILE* f;
  bool err;
  int errnum; /* errno of the first failed write */
} truce__row;
void truce__row_start(truce__row* r, FILE* f);
void truce__row_str(truce__row* r, const char* s);
void truce__row_num(truce__row* r, double v);
int truce__row_end(truce__row* r);
/* daily.csv's band rows (header included) of ensemble e on day 0, every
 * step-th day and the last, into f (io/output.c; truce run writes step
 * 1); -1 on a write error. With `keep`, each row's band is also stored
 * there, in the rows' order (room for truce__bands_count of them at step
 * 1): every day, both sides' series (truce_series), then each
 * backer's (truce_backer_series). */
int truce__bands_csv(FILE* f, const truce_scenario* sc, const truce_ensemble* e,
                     int step, truce_band* keep);
size_t truce__bands_count(const truce_scenario* sc, const truce_ensemble* e);
/* The summary.json that truce_output_commit would write for ensemble e,
 * into a new buffer *json of *len bytes (allocated *cap), writing no file
 * (io/output.c). */
int truce__output_summary(truce_ctx* ctx, const truce_scenario* sc,
                          const truce_ensemble* e, const truce_run_meta* m,
                          char** json, size_t* len, size_t* cap);

#endif
