/* SPDX-License-Identifier: GPL-3.0-or-later
 * The SQLite results store (store.c). */
#ifndef TRUCE_STORE_H
#define TRUCE_STORE_H
#include "truce_int.h"

/* Write a complete results database to `path` (replaced if present) in one
 * transaction; on failure nothing is left at `path`. `bands` (or NULL)
 * holds e's n_bands bands as truce__bands_csv keeps them, so that they
 * are not computed again (TRUCE_EINTERNAL if n_bands is not
 * truce__bands_count's). */
int truce__store_write(truce_ctx* ctx, const char* path,
                       const truce_scenario* sc, const truce_ensemble* e,
                       const truce_run_meta* m, const truce_band* bands,
                       size_t n_bands);
/* Refuse a database that is not a results store of this layout: its
 * application id and version (PRAGMAs) and every table and column of the
 * schema, in the attached schema `schema_name` ("main" for a connection's
 * own file) of db. `path` names it in the error. 0 or TRUCE_EDB. */
typedef struct sqlite3 sqlite3;
int truce__store_check(truce_ctx* ctx, sqlite3* db, const char* schema_name,
                       const char* path);
#endif
