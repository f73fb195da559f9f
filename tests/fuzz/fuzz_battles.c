/* SPDX-License-Identifier: GPL-3.0-or-later
 * Fuzz target: a battles file, year;R0;Rc;B0;Bc (truce_battles_load). */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  truce_ctx* ctx = fuzz_ctx();
  truce_battle* b = NULL;
  size_t n = 0;
  if (!truce_battles_load(ctx, fuzz_file(0, "battles.csv", data, size), &b, &n))
    truce_battles_free(ctx, b, n);
  truce_ctx_free(ctx);
  return 0;
}
