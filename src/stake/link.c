/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Stakeholder links: a scenario may let a group's predicted position set
 * one of its numbers (e.g. the contact group's aid level sets Ukraine's
 * shell supply). Each link loads the group's file, solves the chosen
 * model and maps the outcome on one dimension linearly onto the number,
 * recording the group as the number's provenance.
 */
#include <stdio.h>
#include <string.h>

#include "stake_int.h"

int truce_stake_apply(truce_ctx* ctx, truce_scenario* sc) {
  TRUCE_CHECK_ARGS(ctx, sc);
  for (size_t i = 0; i < truce_scenario_link_count(sc); i++) {
    const truce_stake_link* l = truce_scenario_link(sc, i);
    truce_stake* st;
    int rc = truce_stake_load(ctx, l->file, &st);
    if (rc == TRUCE_ENOMEM) return rc;
    if (rc) { /* name the scenario's line too: the user may not know it */
      char inner[TRUCE_MSG_MAX + 300];
      const char* f = truce_ctx_file(ctx);
      if (f)
        snprintf(inner, sizeof inner, "%s:%d:%d: %s", f, truce_ctx_line(ctx),
                 truce_ctx_column(ctx), truce_ctx_message(ctx));
      else
        snprintf(inner, sizeof inner, "%s", truce_ctx_message(ctx));
      return TRUCE_FAIL_AT(ctx, rc, truce_scenario_file(sc), l->line, l->column,
                           "stakeholders[%zu] ('%s') names the file '%s', "
                           "which does not load (%s); expected a KTAB CSV "
                           "or truce YAML file, relative to the scenario's "
                           "directory",
                           i, l->name, l->file, inner);
    }
    size_t k = 0;
    while (k < st->d && strcmp(truce_stake_dim_name(st, k), l->dimension)) k++;
    if (k == st->d) {
      rc = TRUCE_FAIL_AT(ctx, TRUCE_EINVAL, truce_scenario_file(sc), l->line,
                         l->column,
                         "stakeholder file '%s' has no "
                         "dimension '%s'; expected one of its dimensions",
                         l->file, l->dimension);
      truce_stake_free(st);
      return rc;
    }
    truce_stake_result* r;
    rc =
        truce_stake_solve(ctx, st, truce_stake_model_parse(l->model), NULL, &r);
    if (rc) {
      truce_stake_free(st);
      return rc;
    }
    double p = r->outcome[k];
    double v = l->to[0] + (p - l->from[0]) / (l->from[1] - l->from[0]) *
                              (l->to[1] - l->to[0]);
    char assign[512], source[512];
    snprintf(assign, sizeof assign, "%s=%.17g", l->path, v);
    snprintf(source, sizeof source,
             "stakeholders: %s (%s model of %s: position %.2f on '%s')",
             l->name, l->model, l->file, p, l->dimension);
    truce_stake_result_free(ctx, r);
    truce_stake_free(st);
    rc = truce_scenario_set_from(ctx, sc, assign, source);
    if (rc && rc != TRUCE_ENOMEM) { /* say which link set the number */
      char why[TRUCE_MSG_MAX - 256];
      snprintf(why, sizeof why, "%s", truce_ctx_message(ctx));
      return TRUCE_FAIL_AT(ctx, rc, truce_scenario_file(sc), l->line, l->column,
                           "the stakeholder link '%s' sets %s: %s", l->name,
                           assign, why);
    }
    if (rc) return rc;
  }
  return 0;
}
