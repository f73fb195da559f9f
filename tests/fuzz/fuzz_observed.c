/* SPDX-License-Identifier: GPL-3.0-or-later
 * Fuzz target: an observed-series CSV (truce_observed_load) against the
 * shipped Ardennes scenario (sides, a start date: day and date rows). */
#include <stdlib.h>

#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static truce_scenario* sc;
  static truce_ctx* sctx;
  if (!sc) {
    sctx = fuzz_ctx();
    if (truce_scenario_load(sctx,
                            TRUCE_FUZZ_SOURCE_DIR
                            "/scenarios/historical/ardennes-1944.yaml",
                            &sc))
      abort(); /* the fixture must load */
  }
  truce_ctx* ctx = fuzz_ctx();
  truce_observed* o = NULL;
  if (!truce_observed_load(ctx, fuzz_file(0, "observed.csv", data, size), sc,
                           &o))
    truce_observed_free(o);
  truce_ctx_free(ctx);
  return 0;
}
