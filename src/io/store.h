/* SPDX-License-Identifier: GPL-3.0-or-later
 * The SQLite results store (store.c). */
#ifndef TRUCE_STORE_H
#define TRUCE_STORE_H
#include "truce_int.h"

/* Write a complete results database to `path` (replaced if present) in one
 * transaction; on failure nothing is left at `path`. */
int truce__store_write(truce_ctx* ctx, const char* path,
                       const truce_scenario* sc, const truce_ensemble* e,
                       const truce_run_meta* m);
#endif
