/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The one CSV line splitter of the library's readers (the stakeholder
 * tables, the stated terms of a negotiation): commas, optional double
 * quotes around a field, surrounding blanks trimmed, each field's 1-based
 * column kept for FILE:LINE:COL messages. Lines come from the library's
 * one line walker, truce__next_line (file.c: a byte-order mark before the
 * first line, as spreadsheets save, is skipped); blank ones are skipped.
 */
#include <string.h>

#include "truce_int.h"

void truce__csv_split(char* line, truce__csv_fields* fs) {
  fs->n = 0;
  char* p = line;
  while (fs->n < TRUCE_CSV_MAX_FIELDS) {
    while (*p == ' ' || *p == '\t') p++;
    int col = (int)(p - line) + 1;
    char* start = p;
    char* end;
    if (*p == '"') {
      start = ++p;
      while (*p && *p != '"') p++;
      end = p;
      if (*p == '"') p++;
      while (*p && *p != ',') p++;
    } else {
      while (*p && *p != ',' && *p != '\r' && *p != '\n') p++;
      end = p;
      while (end > start && (end[-1] == ' ' || end[-1] == '\t')) end--;
    }
    char c = *p;
    *end = '\0';
    fs->f[fs->n] = start;
    fs->col[fs->n] = col;
    fs->n++;
    if (c != ',') break;
    p++;
  }
  /* a trailing comma leaves an empty last field: drop it */
  while (fs->n > 0 && fs->f[fs->n - 1][0] == '\0') fs->n--;
}

bool truce__csv_blank(const char* line) { return !line[strspn(line, " \r")]; }

int truce__csv_fail(truce_ctx* ctx, const char* path, int line, int col,
                    const char* fmt, ...) {
  char m[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(m, sizeof m, fmt, ap);
  va_end(ap);
  return TRUCE_FAIL_AT(ctx, TRUCE_EPARSE, path, line, col, "%s", m);
}

/* The first non-empty line is the header, which must be `columns`
 * exactly. */
int truce__csv_each(truce_ctx* ctx, const char* path, const char* what,
                    const char* const* columns, int ncol, truce__csv_row_fn fn,
                    void* user) {
  char* buf;
  size_t len;
  int rc = truce__read_file(ctx, path, what, &buf, &len);
  if (rc) return rc;
  int line = 0;
  bool header = false;
  char* pos = buf;
  char* cur;
  while (!rc && (cur = truce__next_line(&pos, &line))) {
    if (truce__csv_blank(cur)) continue;
    truce__csv_fields fs;
    truce__csv_split(cur, &fs);
    if (!header) {
      bool ok = fs.n == ncol;
      for (int c = 0; ok && c < ncol; c++) ok = !strcmp(fs.f[c], columns[c]);
      if (!ok) {
        char want[512] = "";
        for (int c = 0; c < ncol; c++) {
          size_t w = strlen(want);
          snprintf(want + w, sizeof want - w, "%s%s", c ? "," : "", columns[c]);
        }
        rc = truce__csv_fail(ctx, path, line, 1, "the header; expected '%s'",
                             want);
      }
      header = true;
      continue;
    }
    if (fs.n != ncol)
      rc = truce__csv_fail(ctx, path, line, fs.n ? fs.col[fs.n - 1] : 1,
                           "%d fields; expected %d", fs.n, ncol);
    else
      rc = fn(user, &fs, line);
  }
  if (!rc && !header)
    rc = truce__csv_fail(ctx, path, 1, 1,
                         "the file is empty; expected a "
                         "header and rows");
  truce__free(ctx, buf, len + 1);
  return rc;
}
