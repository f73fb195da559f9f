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
 *
 * A record of agreement (a historical war: kind `record`, outcome 1, the
 * agreement on resolves_by) is scored over the horizon's months, outcome
 * 1 from the agreement's month on, with the month's log score and its
 * place in the model's central 50% interval; rows of kind `terms` give
 * what was agreed (the line as side 0's share of the contested area, or
 * ISSUE=OPTION), set beside the package most often agreed.
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
  const truce_scenario* sc;
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

#define BAD(k_, ...) \
  return truce__csv_fail(S->ctx, S->path, line, fs->col[k_], __VA_ARGS__)

/* Whether package `combo`'s name has `term` (ISSUE=OPTION) among its
 * ", "-separated parts. */
static bool package_has(const truce_scenario* sc, int combo, const char* term) {
  char name[512];
  truce_bargain_package_name(sc, combo, name, sizeof name);
  size_t n = strlen(term);
  for (const char* p = name; p; p = strstr(p, ", ")) {
    if (*p == ',') p += 2;
    if (!strncmp(p, term, n) && (p[n] == ',' || p[n] == '\0')) return true;
  }
  return false;
}

/* A row of kind `terms`: what was agreed, at the record's agreement. */
static int term_row(scorer* S, truce__csv_fields* fs, int line, double outcome,
                    long until) {
  truce_bargain_scores* o = S->out;
  const char* q = fs->f[2];
  if (outcome != 1)
    BAD(6, "outcome '%s' for terms; expected 1 (what was agreed)", fs->f[6]);
  if (!o->agreed || until != o->agree_day)
    BAD(5,
        "terms on %s; expected them after a record of agreement (kind "
        "record, outcome 1) on the same date",
        fs->f[5]);
  if (!strcmp(q, "territory")) {
    double x;
    if (truce__parse_number(fs->f[4], &x) || !(x >= 0 && x <= 1))
      BAD(4,
          "line '%s'; expected side 0's share of the contested area agreed, "
          "from 0 to 1",
          fs->f[4]);
    o->has_line = true;
    o->line_record = x;
    return 0;
  }
  int nc = truce_bargain_package_count(S->sc);
  bool known = false;
  for (int c = 0; c < nc && !known; c++) known = package_has(S->sc, c, q);
  if (!known || !strchr(q, '='))
    BAD(2,
        "term '%s'; expected territory or ISSUE=OPTION of the scenario's "
        "negotiation",
        q);
  if (o->n_terms == (int)(sizeof o->term / sizeof o->term[0])) return 0;
  truce_term_score* t = &o->term[o->n_terms++];
  snprintf(t->term, sizeof t->term, "%s", q);
  const truce_bargain_summary* b = S->b;
  for (int k = 0; k < b->n_terms; k++)
    if (package_has(S->sc, b->terms_combo[k], q)) {
      t->share += b->terms_share[k];
      if (k == 0) t->top_match = true;
    }
  return 0;
}

static int row(void* user, truce__csv_fields* fs, int line) {
  scorer* S = user;
  const char* kind = fs->f[0];
  bool rec = !strcmp(kind, "record"), terms = !strcmp(kind, "terms");
  if (!rec && !terms && strcmp(kind, "forecast"))
    BAD(0, "kind '%s'; expected record, terms or forecast", kind);
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
  if (terms) return term_row(S, fs, line, outcome, until);
  if (rec && outcome == 1) {
    if (o->agreed)
      BAD(6, "a second record of agreement; expected one (the first: day %ld)",
          o->agree_day);
    if (until < 0)
      BAD(5, "an agreement on %s, before the start; expected a later date",
          fs->f[5]);
    o->agreed = true;
    o->agree_day = until;
  }
  if (rec) {
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
}

#undef BAD

/* The first month (1-based) by whose end P(agreement) reaches tau; 0 if
 * none within the summary's months. */
static int quantile_month(const truce_bargain_summary* b, double tau) {
  for (int m = 0; m < b->months; m++)
    if (b->p_agree_by_month[m] >= tau) return m + 1;
  return 0;
}

/* Scores against a record of agreement on day out->agree_day. */
static void score_agreement(const truce_bargain_summary* b,
                            truce_bargain_scores* o) {
  int ma = (int)ceil((double)o->agree_day / MONTH_DAYS);
  if (ma < 1) ma = 1;
  o->agree_month = ma;
  o->agree_in_horizon = ma <= b->months;
  o->months = b->months;
  double s = 0;
  for (int k = 0; k < b->months; k++) {
    double e = b->p_agree_by_month[k] - (k + 1 >= ma ? 1 : 0);
    s += e * e;
  }
  o->brier = b->months > 0 ? s / b->months : (double)NAN;
  bool lower;
  o->p_by_agree_month = model_by(b, o->agree_day, &lower);
  int prev = ma - 1 < b->months ? ma - 1 : b->months; /* months before */
  double before = prev >= 1 ? b->p_agree_by_month[prev - 1] : 0;
  o->p_in_agree_month =
      o->agree_in_horizon ? o->p_by_agree_month - before : (double)NAN;
  o->log_agree_by = log(o->p_by_agree_month);
  o->log_agree_month = log(o->p_in_agree_month);
  o->interval_lo = quantile_month(b, 0.25);
  o->interval_hi = quantile_month(b, 0.75);
  /* inside [q25, q75] iff P(by ma) >= 0.25 and P(by ma - 1) < 0.75 */
  o->in_interval =
      o->agree_in_horizon && o->p_by_agree_month >= 0.25 && before < 0.75;
  o->line_model = o->line_error = (double)NAN;
  if (o->has_line && b->n_terms > 0) {
    o->line_model = b->terms_x_median[0];
    o->line_error = o->line_model - o->line_record;
  }
  o->line_within = fabs(o->line_error) <= 0.1; /* false for NAN */
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
  scorer S = {ctx, sc, path, truce__date_to_days(start), b, out};
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
  if (out->agreed) {
    score_agreement(b, out);
    return 0;
  }
  if (m > 0) {
    double s = 0;
    for (int k = 0; k < m; k++)
      s += b->p_agree_by_month[k] * b->p_agree_by_month[k];
    out->brier = s / m;
    out->log_no_agreement = log1p(-b->p_agree_by_month[m - 1]);
  }
  return 0;
}
