/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * truce/bargain.h: the value of fighting on, beliefs that learn from the
 * battlefield, the bargaining range and when it opens, settlement
 * packages, solutions and the minimal guarantee (docs/bargaining.md).
 */
#ifndef TRUCE_BARGAIN_H
#define TRUCE_BARGAIN_H

#include <stdbool.h>

#include "truce/core.h"
#include "truce/ensemble.h"
#include "truce/scenario.h"
#include "truce/sim.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------ Closed forms */

/* Fearon (1995): with win probability p for A and costs cA, cB, every
 * split x in [p - cA, p + cB] beats war for both. */
TRUCE_API void truce_fearon_range(double p, double cA, double cB, double* lo,
                                  double* hi);
/* With divergent beliefs pA (A's) and pB (B's about A winning): open iff
 * pA - pB <= cA + cB. */
TRUCE_API bool truce_fearon_open(double pA, double pB, double cA, double cB);
/* Asymmetric Nash split of a divisible stake: p - cA + alpha (cA + cB). */
TRUCE_API double truce_nash_split(double p, double cA, double cB, double alpha);
/* Rubinstein (1982): first proposer's share (1 - dB) / (1 - dA dB). */
TRUCE_API double truce_rubinstein_share(double dA, double dB);
/* Slantchev (2003): probability of reaching N before 0 from k when the
 * front moves +1 with probability q: (1 - r^k) / (1 - r^N), r = (1-q)/q
 * (k/N when q = 1/2). */
TRUCE_API double truce_slantchev(double q, int k, int N);
/* Powell (2006), two periods with a shifting balance: A wins with
 * probability p1 now and p2 next period (when the split is p2 - cA +
 * alpha2 (cA + cB)); costs cA, cB; discount delta. [*lo, *hi] is the
 * range of A's share now that beats war for both, clipped to [0, 1];
 * returns whether it is non-empty. */
TRUCE_API bool truce_powell_range(double p1, double p2, double cA, double cB,
                                  double delta, double alpha2, double* lo,
                                  double* hi);
/* The largest rise p2 - p1 of A (alpha2 = 1) that leaves the range open:
 * (p1 + (1 - delta) cB) / delta. */
TRUCE_API double truce_powell_shift_max(double p1, double cB, double delta);

/* ------------------------------------------- A negotiation day */

/* Each side's value of fighting on, as it believes it. All fields public:
 * read-only where truce fills it (truce_bargain_day.war,
 * truce_bargain_tracker_result), set by the caller for
 * truce_bargain_solve. */
typedef struct {
  double W[2];      /* expected utility of fighting on */
  double p_win[2];  /* the enemy exhausted first, within the horizon */
  double p_lose[2]; /* own side exhausted first */
  double cost[2];   /* projected costs in utility */
  double belief_mean[2], belief_sd[2]; /* log exchange ratio beliefs */
  double threshold[2]; /* W plus any audience cost of a decree */
  double aid_belief[2], aid_belief_sd[2]; /* each side's belief about side
                           0's backers' future aid: log of delivered over
                           budgeted (0: as budgeted) */
  bool ripe; /* a mutually hurting stalemate (Zartman) */
} truce_war_values;

/* One discrete package (an option per discrete issue) and the interval of
 * territory (side 0's share) each side accepts with it. All fields public,
 * read-only (truce_bargain_day.packages). */
typedef struct {
  int combo;               /* index over the discrete combinations */
  char name[160];          /* "alliance=guarantees, sanctions=kept" */
  double lo[2], hi[2];     /* acceptable territory for side 0 and side 1 */
  double both_lo, both_hi; /* the intersection (empty if lo > hi) */
} truce_package_range;

/* The negotiation on one day. All fields public, read-only; packages and
 * frontier owned by the day, freed with truce_bargain_day_free(ctx, d). */
typedef struct {
  int day;
  truce_war_values war;
  size_t n_packages;
  truce_package_range* packages; /* owned */
  bool open;                     /* some package acceptable to both */
  /* solutions (combo -1 when the range is empty) */
  int nash_combo;
  double nash_x;
  double nash_u[2];
  int ks_combo;
  double ks_x;
  double ks_u[2];
  int rub_combo;
  double rub_x; /* Rubinstein on the status-quo package */
  size_t n_frontier;
  double* frontier;     /* n_frontier x 4: u0, u1, combo, x (Pareto vertices) */
  double min_guarantee; /* smallest credibility opening the range; -1 none;
                           NAN without a guarantee */
  double line;          /* side 0's share of the contested area on the day
                           (NAN from truce_bargain_solve) */
  /* commitment (NAN without negotiation.ceasefire_days): the expected
   * change of side 0's share of the usable force over a ceasefire, and
   * P(a settlement holds through it) without and with the guarantee */
  double shift, p_hold[2];
} truce_bargain_day;

/* Simulate the scenario deterministically (point values) to `day` (0:
 * the first decision day) and analyse the negotiation there. */
TRUCE_API int truce_bargain_analyse(truce_ctx* ctx, const truce_scenario* sc,
                                    int day, truce_bargain_day** out);
/* NULL accepted. ctx: the one the day was made with. */
TRUCE_API void truce_bargain_day_free(truce_ctx* ctx, truce_bargain_day* d);

/* Analyse given war values directly (the closed-form layer; used by
 * tests): W[] thresholds per side, the credibility of the guarantee. */
TRUCE_API int truce_bargain_solve(truce_ctx* ctx, const truce_scenario* sc,
                                  const truce_war_values* war,
                                  double credibility, truce_bargain_day** out);

/* Each side's publicly stated terms on a day, read from a CSV of dated
 * claims (date, side, issue, value, unit, claimant, source; e.g.
 * data/bargaining/stated_terms.csv): its latest statement on each issue
 * dated up to the day (the status quo on issues it has not spoken to, the
 * line of contact if it has stated no line), and whether that package
 * lies inside each side's acceptable set on the day. All fields public,
 * read-only; truce_bargain_stated fills the caller's array. */
typedef struct {
  bool stated;         /* the side has stated something by the day */
  int combo;           /* the discrete package stated */
  double x;            /* the line: side 0's share of the contested area */
  char since[11];      /* date of its latest statement used */
  bool inside[2];      /* inside side 0's, side 1's acceptable set */
  char claimants[256]; /* claimants of the statements used */
} truce_stated_terms;

/* out[i]: side i's stated terms on d's day (d from truce_bargain_analyse).
 * Errors: FILE:LINE:COL for a bad CSV (TRUCE_EPARSE); TRUCE_EINVAL if the
 * scenario has no start date. */
TRUCE_API int truce_bargain_stated(truce_ctx* ctx, const truce_scenario* sc,
                                   const truce_bargain_day* d, const char* path,
                                   truce_stated_terms out[2]);
/* The scenario's negotiation.stated_terms file (resolved against the
 * scenario's directory), or NULL. */
TRUCE_API const char* truce_bargain_stated_file(const truce_scenario* sc);

/* --------------------------------------- Over runs of the war */

/* Numbers kept per run (ensemble extras): */
enum {
  TRUCE_BX_OPEN_DAY,   /* first decision day with a range; -1 never */
  TRUCE_BX_RIPE_DAY,   /* first ripe decision day; -1 never */
  TRUCE_BX_NASH_COMBO, /* Nash package on the opening day; -1 */
  TRUCE_BX_NASH_X,
  TRUCE_BX_BOTH_MASK,   /* packages acceptable to both on the opening day */
  TRUCE_BX_GAP_FIRST,   /* belief gap at the first decision (log ratio) */
  TRUCE_BX_GAP_LAST,    /* and at the last */
  TRUCE_BX_OPEN_MONTHS, /* bit m-1 set: a range exists at the last decision
                           by the end of month m (the first 52 months) */
  TRUCE_BX_AGREE_DAY,   /* the day talks agree; -1 never */
  TRUCE_BX_AGREE_COMBO, /* the package agreed; -1 */
  TRUCE_BX_AGREE_X,     /* the line agreed (side 0's contested share) */
  TRUCE_BX_AGREE_HOLD,  /* its P(holds through the ceasefire span) */
  TRUCE_BX_AGREE_BREAK, /* days after agreement it breaks; -1 it holds */
  TRUCE_BX_COUNT
};

/* The per-run bargaining columns of runs.csv (prefixed "bargaining.")
 * and of results.db's bargaining_runs (docs/outputs.md): one table that
 * both iterate. `extra` indexes the run's extras (TRUCE_BX_*); a day
 * column is empty / NULL when negative (never), a package column names
 * the package (empty / NULL when -1), a number is empty / NULL when NaN. */
enum { TRUCE_BCOL_NUMBER, TRUCE_BCOL_DAY, TRUCE_BCOL_PACKAGE };
/* All fields public, read-only (a static table). */
typedef struct {
  const char* name; /* "agree_day" */
  int extra;        /* TRUCE_BX_* */
  int kind;         /* TRUCE_BCOL_* */
} truce_bargain_column;
TRUCE_API size_t truce_bargain_column_count(void);
TRUCE_API const truce_bargain_column* truce_bargain_column_at(size_t k);

/* A hook that tracks beliefs and the range inside every run. The
 * scenario must outlive the hook. */
TRUCE_API int truce_bargain_hook(truce_ctx* ctx, const truce_scenario* sc,
                                 truce_ensemble_hook* out);

/* Per-run tracking without an ensemble (for tests and one-off runs): feed
 * the days of a run; read the results after. */
typedef struct truce_bargain_tracker truce_bargain_tracker;
TRUCE_API int truce_bargain_tracker_new(truce_ctx* ctx,
                                        const truce_scenario* sc,
                                        truce_bargain_tracker** out);
/* flags as for truce_sim_run. params: the run's uncertain numbers (the
 * negotiation's included) as the simulation drew them
 * (truce_sim_param_values, or the hook's run_begin); NULL: the tracker
 * draws them itself as the simulation does, or takes their point values
 * with TRUCE_SIM_DETERMINISTIC. */
TRUCE_API int truce_bargain_tracker_begin(truce_bargain_tracker* t,
                                          uint64_t run, unsigned flags,
                                          const double* params);
/* Feed day d of the run (a truce_day_fn needs a one-line adaptor). */
TRUCE_API int truce_bargain_tracker_day(truce_bargain_tracker* t,
                                        const truce_day* d);
/* out[TRUCE_BX_COUNT]; also the last decision's war values. */
/* (The months after the run's last day are closed first.) */
TRUCE_API void truce_bargain_tracker_result(truce_bargain_tracker* t,
                                            double* out,
                                            truce_war_values* last);
TRUCE_API void truce_bargain_tracker_free(truce_bargain_tracker* t);

/* Across the runs of an ensemble run with truce_bargain_hook. */
#define TRUCE_BARGAIN_MAX_MONTHS 400
/* All fields public, read-only; truce_bargain_summarise fills the caller's
 * struct. */
typedef struct {
  uint64_t runs;
  double never_fraction;       /* no range within the horizon */
  double open_mean, open_q[5]; /* opening day over runs that opened:
                                  mean, 5/25/50/75/95% */
  int months;                  /* entries in the arrays below */
  double p_open_by_month[TRUCE_BARGAIN_MAX_MONTHS]; /* cumulative */
  /* point in time: a range exists at the month's last decision (NAN after
   * month 52) */
  double p_open_at_month[TRUCE_BARGAIN_MAX_MONTHS];
  double p_ripe_by_month[TRUCE_BARGAIN_MAX_MONTHS];
  int n_top;           /* packages most often acceptable to both */
  int top_combo[5];    /* on the opening day */
  double top_share[5]; /* share of runs with an open range */
  int nash_combo;      /* most frequent Nash package at opening */
  double nash_share, nash_x_median;
  double gap_first, gap_last; /* mean belief gaps (log ratio) */
  /* talks (docs/bargaining.md, "From a range to an agreement"); all 0
   * when the scenario has no agreement hazards (talks false) */
  bool talks;
  double p_agree_by_month[TRUCE_BARGAIN_MAX_MONTHS]; /* cumulative */
  double agree_fraction; /* runs that agree within the horizon */
  int n_terms;           /* the packages most often agreed */
  int terms_combo[5];
  double terms_share[5];        /* share of the runs that agree */
  double terms_x_median[5];     /* median line agreed with each */
  double p_hold_30, p_hold_180; /* P(the ceasefire holds 30, 180 days | an
                                   agreement); NAN without agreements */
  double agree_x_q[5]; /* the line agreed over all agreements: 5/25/50/75/95%
                          (NAN without agreements) */
} truce_bargain_summary;

TRUCE_API int truce_bargain_summarise(truce_ctx* ctx, const truce_scenario* sc,
                                      const truce_ensemble* e,
                                      truce_bargain_summary* out);

/* Scores of P(agreement by month) against the record and beside
 * published forecasts (docs/bargaining.md, "Scores"), from a CSV of kind,
 * platform, question, forecast_date, probability, resolves_by, outcome,
 * source, claimant (e.g. data/bargaining/ceasefire_forecasts.csv). */
#define TRUCE_SCORE_MAX 32
/* All fields public, read-only (truce_bargain_scores.forecast). */
typedef struct {
  char platform[64], question[160], forecast_date[11], resolves_by[11];
  double p_platform, p_model; /* P(a ceasefire by resolves_by) */
  bool model_lower_bound;     /* resolves_by past the horizon */
  double brier_platform, brier_model;
} truce_forecast_score;

/* A settled term of a record of agreement (a row of kind `terms`:
 * ISSUE=OPTION) against the model's agreements. All fields public,
 * read-only (truce_bargain_scores.term). */
typedef struct {
  char term[96];
  bool top_match; /* the package most often agreed has it */
  double share;   /* share of the agreements whose package has it (of the
                     summary's most frequent packages: a lower bound) */
} truce_term_score;

/* All fields public, read-only; truce_bargain_score fills the caller's
 * struct. */
typedef struct {
  long record_days;        /* the record of no agreement covers these days */
  int months;              /* months scored (inside record and horizon) */
  double brier;            /* mean over them of (P(agreement by month) -
                              outcome)^2 */
  double log_no_agreement; /* ln P(no agreement by the last of them); NAN
                              with a record of agreement */
  double log_even;         /* a 50/50 forecast's: ln 0.5 */
  int n_forecasts;
  truce_forecast_score forecast[TRUCE_SCORE_MAX];
  /* A record of agreement (kind `record`, outcome 1, on resolves_by):
   * the Brier score runs over every month of the horizon, outcome 1 from
   * the agreement's month on (`months` is then the horizon's). */
  bool agreed;
  long agree_day;               /* days after the start */
  int agree_month;              /* its month, 1-based: day <= month * 30.44 */
  bool agree_in_horizon;        /* agree_month <= the summary's months */
  double p_by_agree_month;      /* P(agreement by the end of that month) */
  double p_in_agree_month;      /* P(agreement within that month) */
  double log_agree_by;          /* ln p_by_agree_month (beside log_even) */
  double log_agree_month;       /* ln p_in_agree_month: the month's log score */
  int interval_lo, interval_hi; /* the agreement month's central 50%
                                   interval (first months with P >= 0.25,
                                   >= 0.75); 0: beyond the horizon */
  bool in_interval;             /* agree_month inside it */
  /* the line (kind `terms`, question `territory`, probability: side 0's
   * share of the contested area agreed) against the median line of the
   * package most often agreed */
  bool has_line;
  double line_record, line_model, line_error; /* model - record; NAN
                                                 without agreements */
  bool line_within; /* |line_error| <= 0.1 of the contested area */
  int n_terms;
  truce_term_score term[8];
} truce_bargain_scores;

/* Score b (of an ensemble of sc with talks) with the CSV at path.
 * Errors: FILE:LINE:COL for a bad row (TRUCE_EPARSE); TRUCE_EINVAL
 * without a start date or without talks. */
TRUCE_API int truce_bargain_score(truce_ctx* ctx, const truce_scenario* sc,
                                  const truce_bargain_summary* b,
                                  const char* path, truce_bargain_scores* out);

/* Names of discrete package `combo` ("alliance=guarantees, ..."). */
TRUCE_API void truce_bargain_package_name(const truce_scenario* sc, int combo,
                                          char* buf, size_t n);
TRUCE_API int truce_bargain_package_count(const truce_scenario* sc);
TRUCE_API bool truce_scenario_has_negotiation(const truce_scenario* sc);

#ifdef __cplusplus
}
#endif
#endif
