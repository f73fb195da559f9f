/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Scoring the forecast of agreement against the record and beside
 * published forecasts (docs/bargaining.md, "Scores"). The model's
 * P(agreement by the end of month m) from the scenario's start is scored
 * against a record of no agreement (a row of kind `record`: outcome 0 up
 * to its date) by the Brier score over the months the record and the
 * horizon cover, and the log score of "no agreement by the last of them"
 * beside a 50/50 forecast's ln 0.5. Each published forecast (kind
 * `forecast`: a platform's probability of a ceasefire by a date, with its
 * outcome) is set beside the model's probability for the same date, and
 * both get their Brier score. A date past the horizon gets the model's
 * probability at the horizon, a lower bound (flagged).
 */
#include <math.h>
#include <string.h>

#include "truce_int.h"

#define MONTH_DAYS 30.436875

static const char* const columns[] = {
    "kind",        "platform", "question", "forecast_date", "probability",
    "resolves_by", "outcome",  "source",   "claimant"};
#define NCOL ((int)(sizeof columns / sizeof columns[0]))

typedef struct {
  truce_ctx* ctx;
  const char* path;
  long start;
  const truce_bargain_summary* b;
  truce_bargain_scores* out;
} scorer;

/* The model's P(agreement by `day` days after the start). */
static double model_by(const truce_bargain_summary* b, long day, bool* lower) {
  int m = (int)ceil((double)day / MONTH_DAYS);
  *lower = m > b->months;
  if (m > b->months) m = b->months;
  return m >= 1 ? b->p_agree_by_month[m - 1] : 0;
}

static int row(void* user, truce__csv_fields* fs, int line) {
  scorer* S = user;
  const char* kind = fs->f[0];
#define BAD(k_, ...) \
  return truce__csv_fail(S->ctx, S->path, line, fs->col[k_], __VA_ARGS__)
  bool rec = !strcmp(kind, "record");
  if (!rec && strcmp(kind, "forecast"))
    BAD(0, "kind '%s'; expected record or forecast", kind);
  for (int c = 3; c <= 5; c += 2)
    if (!truce__date_valid(fs->f[c]))
      BAD(c, "%s '%s'; expected YYYY-MM-DD", columns[c], fs->f[c]);
  double outcome;
  if (truce__parse_number(fs->f[6], &outcome) || (outcome != 0 && outcome != 1))
    BAD(6, "outcome '%s'; expected 0 or 1", fs->f[6]);
  if (!fs->f[7][0] || !fs->f[8][0])
    BAD(fs->f[7][0] ? 8 : 7,
        "an empty %s; expected where the row comes "
        "from and who claims it",
        fs->f[7][0] ? "claimant" : "source");
  long until = truce__date_to_days(fs->f[5]) - S->start;
  truce_bargain_scores* o = S->out;
  if (rec) {
    if (outcome != 0)
      BAD(6,
          "a record of agreement; expected outcome 0 (no agreement up "
          "to the date)");
    if (until > o->record_days) o->record_days = until;
    return 0;
  }
  double p;
  if (truce__parse_number(fs->f[4], &p) || !(p >= 0 && p <= 1))
    BAD(4, "probability '%s'; expected a number from 0 to 1", fs->f[4]);
  if (!fs->f[1][0]) BAD(1, "an empty platform; expected who forecast");
  if (o->n_forecasts == TRUCE_SCORE_MAX) return 0;
  truce_forecast_score* q = &o->forecast[o->n_forecasts++];
  snprintf(q->platform, sizeof q->platform, "%s", fs->f[1]);
  snprintf(q->question, sizeof q->question, "%s", fs->f[2]);
  snprintf(q->forecast_date, sizeof q->forecast_date, "%s", fs->f[3]);
  snprintf(q->resolves_by, sizeof q->resolves_by, "%s", fs->f[5]);
  q->p_platform = p;
  q->p_model = model_by(S->b, until, &q->model_lower_bound);
  q->brier_platform = (p - outcome) * (p - outcome);
  q->brier_model = (q->p_model - outcome) * (q->p_model - outcome);
  return 0;
#undef BAD
}

int truce_bargain_score(truce_ctx* ctx, const truce_scenario* sc,
                        const truce_bargain_summary* b, const char* path,
                        truce_bargain_scores* out) {
  if (!ctx || !sc || !b || !path || !out) return TRUCE_EINVAL;
  memset(out, 0, sizeof *out);
  const char* start = truce_scenario_start(sc);
  if (!start)
    return TRUCE_FAIL(ctx, TRUCE_EINVAL,
                      "%s has no start date; expected one "
                      "to date the forecast",
                      truce_scenario_file(sc));
  if (!b->talks)
    return TRUCE_FAIL(ctx, TRUCE_EINVAL,
                      "%s has no talks (negotiation."
                      "agreement_per_month_open or _ripe); expected them to "
                      "score P(agreement)",
                      truce_scenario_file(sc));
  scorer S = {ctx, path, truce__date_to_days(start), b, out};
  int rc = truce__csv_each(ctx, path,
                           "a CSV of the record and published "
                           "forecasts",
                           columns, NCOL, row, &S);
  if (rc) return rc;
  /* months wholly inside both the record and the horizon */
  int m = (int)floor((double)out->record_days / MONTH_DAYS);
  if (m > b->months) m = b->months;
  out->months = m;
  out->brier = (double)NAN;
  out->log_no_agreement = (double)NAN;
  out->log_even = log(0.5);
  if (m > 0) {
    double s = 0;
    for (int k = 0; k < m; k++)
      s += b->p_agree_by_month[k] * b->p_agree_by_month[k];
    out->brier = s / m;
    out->log_no_agreement = log1p(-b->p_agree_by_month[m - 1]);
  }
  return 0;
}
