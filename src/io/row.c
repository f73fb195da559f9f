/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The CSV writers' rows (daily.csv, runs.csv): fields appended to a buffer
 * and written with one call, numbers exactly as printf's "%.12g" writes
 * them. Most numbers in daily.csv are whole (band quantiles are histogram
 * midpoints, many series count people), and for those glibc's "%.12g"
 * spends ~1,900 instructions a number on exact bignum conversion: a whole
 * number below 1e12 is written here by integer division instead (for it,
 * "%.12g" is the integer's digits: no exponent below 12 digits, no point,
 * no trailing zeros). Everything else goes to snprintf. tests/unit/
 * test_io.c checks the bytes against snprintf's.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "truce_int.h"

size_t truce__g12(double v, char* out) {
  if (fabs(v) < 1e12 && v == (double)(long long)v) {
    char t[16];
    size_t k = 0, n = 0;
    unsigned long long u = (unsigned long long)(long long)fabs(v);
    do {
      t[k++] = (char)('0' + u % 10);
      u /= 10;
    } while (u);
    if (signbit(v)) out[n++] = '-'; /* "-0" for minus zero, as printf */
    while (k) out[n++] = t[--k];
    out[n] = '\0';
    return n;
  }
  int n = snprintf(out, TRUCE_G12_MAX, "%.12g", v);
  return n > 0 ? (size_t)n : 0;
}

/* n bytes to the file; a failure is kept with its errno (the first). */
static void out(truce__row* r, const char* s, size_t n) {
  errno = 0;
  if (fwrite(s, 1, n, r->f) != n && !r->err) {
    r->err = true;
    r->errnum = errno;
  }
}

static void put(truce__row* r, const char* s, size_t n) {
  if (r->n + n + 1 > sizeof r->buf) { /* a long row: write what is held */
    out(r, r->buf, r->n);
    r->n = 0;
    if (n + 1 > sizeof r->buf) {
      out(r, s, n);
      return;
    }
  }
  memcpy(r->buf + r->n, s, n);
  r->n += n;
}

static void sep(truce__row* r) {
  if (r->fields++) put(r, ",", 1);
}

void truce__row_start(truce__row* r, FILE* f) {
  r->f = f;
  r->n = 0;
  r->fields = 0;
  r->err = false;
  r->errnum = 0;
}

void truce__row_str(truce__row* r, const char* s) {
  sep(r);
  put(r, s, strlen(s));
}

void truce__row_num(truce__row* r, double v) {
  char t[TRUCE_G12_MAX];
  sep(r);
  put(r, t, truce__g12(v, t));
}

int truce__row_end(truce__row* r) {
  put(r, "\n", 1);
  out(r, r->buf, r->n);
  r->n = 0;
  r->fields = 0;
  if (r->err) errno = r->errnum; /* for the caller's message */
  return r->err ? -1 : 0;
}
