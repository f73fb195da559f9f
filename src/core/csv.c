/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The one CSV line splitter of the library's readers (the stakeholder
 * tables, the stated terms of a negotiation): commas, optional double
 * quotes around a field, surrounding blanks trimmed, each field's 1-based
 * column kept for FILE:LINE:COL messages.
 */
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
