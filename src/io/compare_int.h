/* SPDX-License-Identifier: GPL-3.0-or-later
 * Inside truce compare: the two stores (compare.c), the outcome rows
 * with their intervals (compare_rows.c) and the page (compare_html.c). */
#ifndef TRUCE_COMPARE_INT_H
#define TRUCE_COMPARE_INT_H
#include <sqlite3.h>

#include "truce_int.h"

/* One store as compare reads it. */
typedef struct {
  sqlite3* db;
  uint64_t runs, seed;
  int days;
  char scenario[256], mode[32];
} truce__cmp_store;

typedef struct {
  truce_ctx* ctx;
  truce__cmp_store s[2]; /* A and B */
  truce_comparison* c;
  int rc;
} truce__cmp;

/* Append a row: the statistic in A and B and the standard error of B - A
 * (NAN: none); fills the interval and the flag. */
void truce__cmp_shift(truce__cmp* k, const char* what, truce_unit u, double a,
                      double b, double se, bool paired);
/* Append a warning (printf-style message). */
#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
void truce__cmp_warn(truce__cmp* k, const char* code, const char* fmt, ...);
/* Every outcome row, from the tables (compare_rows.c). */
void truce__cmp_rows(truce__cmp* k);
/* One number from a query on db (NAN when there is none). */
double truce__cmp_one(sqlite3* db, const char* sql, const char* arg);
#endif
