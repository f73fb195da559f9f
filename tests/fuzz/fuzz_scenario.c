/* SPDX-License-Identifier: GPL-3.0-or-later
 * Fuzz target: a scenario file (truce_scenario_load_string) and, when it
 * loads and spans at most 800 days, one stochastic and one deterministic
 * run of it. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  truce_ctx* ctx = fuzz_ctx();
  truce_scenario* sc = NULL;
  if (!truce_scenario_load_string(ctx, "fuzz.yaml", (const char*)data, size,
                                  &sc) &&
      truce_scenario_horizon_days(sc) <= 800) {
    truce_sim* sim = NULL;
    if (!truce_sim_new(ctx, sc, &sim)) {
      truce_sim_run(sim, 0, TRUCE_SIM_STOCHASTIC, NULL, NULL);
      truce_sim_run(sim, 1, TRUCE_SIM_DETERMINISTIC, NULL, NULL);
    }
    truce_sim_free(sim);
  }
  truce_scenario_free(sc);
  truce_ctx_free(ctx);
  return 0;
}
