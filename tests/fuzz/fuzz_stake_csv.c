/* SPDX-License-Identifier: GPL-3.0-or-later
 * Fuzz target: a stakeholder file in KTAB's CSV format (truce_stake_load). */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  truce_ctx* ctx = fuzz_ctx();
  truce_stake* st = NULL;
  truce_stake_load(ctx, fuzz_file(0, "stake.csv", data, size), &st);
  truce_stake_free(st);
  truce_ctx_free(ctx);
  return 0;
}
