/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * truce/calib.h: estimating attrition coefficients from observed series
 * (first pieces of calibration; docs/validation.md).
 */
#ifndef TRUCE_CALIB_H
#define TRUCE_CALIB_H

#include "truce/core.h"
#include "truce/scenario.h"
#include "truce/sim.h"
#include "truce/warn.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Engel's (1954) square-law estimators over a period of n days: with the
 * two sides' strengths x[0..n], y[0..n] at day boundaries and their total
 * casualties cx, cy over the period,
 *   a = cx / integral of y dt,   b = cy / integral of x dt
 * (a: y's effect on x; trapezoid integrals). */
TRUCE_API int truce_engel(truce_ctx* ctx, const double* x, const double* y,
                          size_t n, double cx, double cy, double* a, double* b);

/* A law without exponent parameters (truce_law_index: square, linear,
 * logarithmic, ...; truce/sim.h): least squares through the origin (GSL's
 * gsl_fit_mul), one coefficient per side, of daily casualties cx[i], cy[i]
 * on the law's driver of the daily strengths x[i], y[i] on day i (i < n),
 * the loss of docs/model.md s2 with a unit coefficient. coef[0] is y's
 * effect on x, coef[1] x's on y; ssr is the sum of both sides' squared
 * residuals; se[] the coefficients' standard errors (may be NULL). */
TRUCE_API int truce_fit(truce_ctx* ctx, int law, const double* x,
                        const double* cx, const double* y, const double* cy,
                        size_t n, double coef[2], double se[2], double* ssr);

/* Observed series: a CSV of day,side,variable,value,source rows (or
 * date,...: dates from the scenario's start) with variables front,
 * casualties per day and cumulative (running totals, differenced into
 * casualties per day), for the scenario's sides. */
typedef struct truce_observed truce_observed;
TRUCE_API int truce_observed_load(truce_ctx* ctx, const char* path,
                                  const truce_scenario* sc,
                                  truce_observed** out);
/* Observations from memory (rows as truce_observed_rows gives them;
 * sources[k] names source index k). */
typedef struct truce_obs truce_obs;
TRUCE_API int truce_observed_new(truce_ctx* ctx, const truce_obs* rows,
                                 size_t n, const char* const* sources,
                                 size_t n_sources, truce_observed** out);
/* Days on which both sides' fronts are reported. */
TRUCE_API size_t truce_observed_days(const truce_observed* o);
/* The day of column entry i (i < truce_observed_days). */
TRUCE_API int truce_observed_day(const truce_observed* o, size_t i);
/* The observed variables: a side's front strength, its casualties per
 * day. */
typedef enum {
  TRUCE_OBS_FRONT,
  TRUCE_OBS_CASUALTIES,
  TRUCE_OBS_VARS
} truce_obs_var;
/* Every row as read: day, side (0/1), variable (truce_obs_var), value and
 * source (an index for truce_observed_source). All fields public: set by
 * the caller for truce_observed_new, read-only from truce_observed_rows. */
struct truce_obs {
  int day, side, var;
  double value;
  int source;
};
TRUCE_API const truce_obs* truce_observed_rows(const truce_observed* o,
                                               size_t* n);
TRUCE_API size_t truce_observed_sources(const truce_observed* o);
TRUCE_API const char* truce_observed_source(const truce_observed* o, size_t k);
/* Side `side`'s column of variable `var` (truce_obs_var) into
 * out[0..days): the mean over the sources reporting it each day; NaN where
 * no source reports a casualty figure that day (and everywhere for a side
 * or variable out of range). */
TRUCE_API void truce_observed_column(const truce_observed* o, size_t side,
                                     int var, double* out);
TRUCE_API void truce_observed_free(truce_observed* o);

/* ---- Fitting a law to partisan, noisy observations ------------------
 * A source's bias: its casualty figures for `side` (-1: both sides) are
 * the truth times an unknown factor with a lognormal prior (median,
 * sdlog); sdlog 0 fixes the factor at the median (e.g. 1 for a source
 * taken as unbiased). Sources without an entry have factor 1. All fields
 * public; set by the caller (source borrowed for the call). */
typedef struct {
  const char* source;
  int side;
  double median, sdlog;
} truce_source_bias;

/* What truce_calibrate fits. All fields public; set by the caller (bias
 * borrowed for the call). */
typedef struct {
  int law;                       /* truce_law_index (truce/sim.h) */
  const truce_source_bias* bias; /* n_bias entries */
  size_t n_bias;
  int pooled_noise; /* 1: one residual sd for all sources; 0: one each */
} truce_calib_spec;

#define TRUCE_CALIB_MAXPAR 40

/* All fields public, read-only (truce_calib_result.par, .noise). */
typedef struct {
  char name[128];      /* e.g. combat.coefficients.germans, bias.mod.b */
  double estimate, se; /* se by the delta method */
  double low, high;    /* 90% interval (log scale for positive ones) */
  int held;            /* not fitted: the scenario's value (se 0) */
} truce_calib_param;

/* All fields public, read-only; truce_calibrate fills the caller's
 * struct. */
typedef struct {
  int law;       /* truce_law_index */
  size_t n_obs;  /* casualty observations used */
  size_t n_par;  /* parameters reported (noise sds excluded) */
  size_t n_free; /* of which fitted */
  truce_calib_param par[TRUCE_CALIB_MAXPAR];
  size_t n_noise; /* one residual sd per source (or one pooled) */
  truce_calib_param noise[TRUCE_CALIB_MAXPAR];
  double ssr;    /* unweighted sum of squared residuals */
  double loglik; /* Gaussian, at the ML residual sds */
  double aic;    /* 2 (n_free + n_noise) - 2 loglik */
  int converged;
} truce_calib_result;

/* Maximum likelihood (a posteriori, with bias priors) fit of a law to the
 * observed casualties per day, on the days both sides' fronts are
 * observed, with GSL's gsl_multifit_nlinear (trust region) and feasible
 * weighted least squares for the sources' residual sds
 * (docs/validation.md s2). Parameters: both sides' coefficients, the
 * parameters of the law's exponents (helmbold W; power p, q), one log
 * factor per biased source. A side without casualty figures keeps the
 * scenario's coefficient (reported as held). */
TRUCE_API int truce_calibrate(truce_ctx* ctx, const truce_observed* o,
                              const truce_scenario* sc,
                              const truce_calib_spec* spec,
                              truce_calib_result* out);

/* A fit's sanity diagnostics (truce/warn.h): the unidentified fit, when
 * its fitted positive coefficients span the table's orders of
 * magnitude. Writes up to cap into out, returns how many there are. */
TRUCE_API size_t truce_calib_warnings(const truce_calib_result* r,
                                      truce_warning* out, size_t cap);

/* ---- ABC on the stochastic engine ------------------------------------
 * Rejection ABC over a scenario's uncertain numbers (its ranges and
 * distributions are the priors): run i draws them and simulates
 * stochastically (the ensemble's run i); its distance to the observations
 * is the sum over observed figures of ((simulated - observed) / scale)^2,
 * with scale the root mean square of the observed figures of that side
 * and variable (casualties per day are compared with the simulated day's
 * casualties). The runs of smallest distance (ties by run number) are the
 * posterior sample; results do not depend on the thread count.
 * All fields public; set by the caller. */
typedef struct {
  uint64_t runs;
  double tolerance; /* accepted = floor(runs x tolerance), at least 1 */
  int threads;      /* 0: OpenMP's default */
} truce_engine_abc_opts;

/* All fields public, read-only (truce_engine_abc_result.param). */
typedef struct {
  char path[128];
  double prior_mean, prior_sd;
  double mean, sd, p05, p50, p95; /* over the accepted runs */
} truce_engine_abc_param;

#define TRUCE_ABC_MAXPAR 128

/* All fields public, read-only; truce_calibrate_abc fills the caller's
 * struct. */
typedef struct {
  uint64_t runs;
  size_t accepted;
  double threshold, best; /* largest accepted and smallest distance */
  size_t n_obs;           /* observed figures compared */
  size_t n_param;
  truce_engine_abc_param param[TRUCE_ABC_MAXPAR];
} truce_engine_abc_result;

TRUCE_API int truce_calibrate_abc(truce_ctx* ctx, const truce_observed* o,
                                  const truce_scenario* sc,
                                  const truce_engine_abc_opts* opts,
                                  truce_engine_abc_result* out);

/* ---- Battle-outcome model selection (Rubio-Campillo 2016) ----------
 * A battle: year, each side's initial strength and casualties (sides R
 * and B in the source's order). All fields public: set by the caller, or
 * read by truce_battles_load (freed with truce_battles_free). */
typedef struct {
  int year;
  double r0, rc, b0, bc;
} truce_battle;

/* Battles from a `year;R0;Rc;B0;Bc` file (Rubio-Campillo's format), with
 * FILE:LINE:COL errors. Free with truce_battles_free. */
TRUCE_API int truce_battles_load(truce_ctx* ctx, const char* path,
                                 truce_battle** out, size_t* n);
TRUCE_API void truce_battles_free(truce_ctx* ctx, truce_battle* b, size_t n);

/* The four laws compared, in the source's order. */
typedef enum {
  TRUCE_BATTLE_LINEAR,
  TRUCE_BATTLE_SQUARE,
  TRUCE_BATTLE_LOGARITHMIC,
  TRUCE_BATTLE_FATIGUE,
  TRUCE_BATTLE_LAWS
} truce_battle_law;
TRUCE_API const char* truce_battle_law_name(int law);

/* One battle fought in whole-soldier steps until a side is down to its
 * historical survivors (docs/validation.md s3): with the step factor
 * k = 100 / max(R0, B0) (linear: 100 / (R0 B0)) for R and k x ratio for B,
 *   linear  R' = R - k B R         square  R' = R - k B
 *   log     R' = R - k R           fatigue R' = R - k R / ln(e + step)
 * each truncated toward zero. cas[0], cas[1]: R's and B's simulated
 * casualties. Returns the number of steps. */
TRUCE_API long truce_battle_simulate(int law, double ratio,
                                     const truce_battle* b, double cas[2]);
/* n battles with ratios ratio[k], several at a time (the same results as
 * one by one); cas[2k], cas[2k + 1]: battle k's. Returns the total steps. */
TRUCE_API long truce_battles_simulate(int law, const double* ratio,
                                      const truce_battle* b, size_t n,
                                      double* cas);

/* Rejection ABC over the laws: each run draws a law uniformly, mu ~
 * U(0, mu_max) and sd ~ U(0, sd_max), then per battle a power ratio ~
 * Gamma(mean mu, sd sd); its distance is the sum over battles and sides of
 * |simulated - historical| / historical casualties. The `accepted` runs
 * of smallest distance (ties by run number) form the posterior. Run i
 * draws from stream (seed, i), so the result does not depend on threads.
 * All fields public; set by the caller. */
typedef struct {
  uint64_t seed;
  size_t runs;
  double tolerance;      /* accepted = floor(runs x tolerance), at least 1 */
  double mu_max, sd_max; /* 5 and 5 in the source */
  int threads;           /* 0: OpenMP's default */
} truce_abc_opts;

/* All fields public, read-only; truce_abc_select fills the caller's
 * struct. */
typedef struct {
  size_t runs, accepted;
  double threshold;                /* largest accepted distance */
  size_t count[TRUCE_BATTLE_LAWS]; /* accepted runs per law */
  double mu_mean[TRUCE_BATTLE_LAWS], sd_mean[TRUCE_BATTLE_LAWS];
  double best[TRUCE_BATTLE_LAWS]; /* each law's smallest distance */
  double battles;                 /* battle simulations performed */
} truce_abc_result;

TRUCE_API int truce_abc_select(truce_ctx* ctx, const truce_battle* b, size_t n,
                               const truce_abc_opts* opts,
                               truce_abc_result* out);

#ifdef __cplusplus
}
#endif
#endif
