/* SPDX-License-Identifier: GPL-3.0-or-later
 * Fuzz target: the DEU III reader of the stakeholder back-test
 * (truce__deu_read: what truce_stake_backtest reads, without the model
 * fits, which take seconds an input under ASan). */
#include "fuzz.h"
#include "stake/stake_int.h"

int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  truce_ctx* ctx = fuzz_ctx();
  size_t n = 0;
  truce__deu_read(ctx, fuzz_file(0, "deu.tsv", data, size), &n);
  truce_ctx_free(ctx);
  return 0;
}
