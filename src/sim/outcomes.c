/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The per-run outcomes of each side (docs/model.md s9, docs/outputs.md):
 * one table, read by the engine on every recorded day and iterated by
 * everything downstream (the ensemble's packing, runs.csv, results.db,
 * summary.json). Each outcome folds the side's recorded days into a small
 * accumulator; a day outcome is NaN when it never happens. Adding an
 * outcome is one entry here and its functions.
 */
#include <math.h>
#include <string.h>

#include "sim_int.h"
#include "truce/warn.h"

/* Outcomes that are the last recorded day's value. */
static void last_begin(double* st) { st[0] = (double)NAN; }
static double first_value(const double* st) { return st[0]; }
static void front_day(double* st, const truce_side_state* s, int day) {
  (void)day;
  st[0] = s->front;
}
static void casualties_day(double* st, const truce_side_state* s, int day) {
  (void)day;
  st[0] = s->casualties;
}
static void territory_day(double* st, const truce_side_state* s, int day) {
  (void)day;
  st[0] = s->territory;
}

/* s9: the first recorded day on which the side is exhausted. */
static void exhaustion_day(double* st, const truce_side_state* s, int day) {
  if (isnan(st[0]) && s->exhausted) st[0] = day;
}

/* s6: the day ending the 7 days in which the front moved most (the
 * largest |territory(d) - territory(d - 7)|, the first such day); never
 * if the front never moved. st: territory of the last 8 days by day % 8,
 * the largest move so far, its day. */
#define WEEK 7
static void week_begin(double* st) {
  st[WEEK + 1] = 0;
  st[WEEK + 2] = (double)NAN;
}
static void week_day(double* st, const truce_side_state* s, int day) {
  st[day % (WEEK + 1)] = s->territory;
  if (day < WEEK) return;
  double move = fabs(s->territory - st[(day - WEEK) % (WEEK + 1)]);
  if (move > st[WEEK + 1]) {
    st[WEEK + 1] = move;
    st[WEEK + 2] = day;
  }
}
static double week_value(const double* st) { return st[WEEK + 2]; }

/* s4: the longest span of consecutive recorded days on which the side's
 * combat power is below one effective soldier (a sanity diagnostic,
 * docs/outputs.md "Warnings"). st: the current span, the longest. */
static void zero_begin(double* st) { st[0] = st[1] = 0; }
static void span_day(double* st, bool in_span) {
  st[0] = in_span ? st[0] + 1 : 0;
  if (st[0] > st[1]) st[1] = st[0];
}
static void zero_day(double* st, const truce_side_state* s, int day) {
  (void)day;
  span_day(st, s->power < 1);
}
static double zero_value(const double* st) { return st[1]; }

/* s4: the same span for combat power below a tenth of the soldiers at the
 * front (TRUCE_WEAK_POWER_SHARE): a side whose weapons equip few of them
 * (a sanity diagnostic; where fires and assaults replace the attrition
 * law, power does not feed back into them, docs/model.md s6). */
static void weak_day(double* st, const truce_side_state* s, int day) {
  (void)day;
  span_day(st, s->front > 0 && s->power < TRUCE_WEAK_POWER_SHARE * s->front);
}

const truce_outcome_info truce__outcomes[] = {
    {"front_end", "soldiers", 0, last_begin, front_day, first_value},
    {"casualties_total", "persons", 0, last_begin, casualties_day, first_value},
    {"exhaustion_day", "day", 1, last_begin, exhaustion_day, first_value},
    {"territory_end", "share", 0, last_begin, territory_day, first_value},
    {"largest_weekly_move_day", "day", 1, week_begin, week_day, week_value},
    {"zero_power_days", "days", 0, zero_begin, zero_day, zero_value},
    {"weak_power_days", "days", 0, zero_begin, weak_day, zero_value},
};
const size_t truce__n_outcomes =
    sizeof truce__outcomes / sizeof truce__outcomes[0];

void truce__outcomes_day(truce_sim* sim, const truce_day* d) {
  for (int i = 0; i < 2; i++)
    for (size_t k = 0; k < truce__n_outcomes; k++) {
      double* st = sim->outcome[i][k];
      if (d->day == 0) truce__outcomes[k].begin(st);
      truce__outcomes[k].day(st, &d->side[i], d->day);
    }
}

/* ---------------------------------------------------------- Public API */

size_t truce_outcome_count(void) { return truce__n_outcomes; }

const truce_outcome_info* truce_outcome(size_t k) {
  return k < truce__n_outcomes ? &truce__outcomes[k] : NULL;
}

int truce_outcome_index(const char* name) {
  for (size_t k = 0; name && k < truce__n_outcomes; k++)
    if (!strcmp(truce__outcomes[k].name, name)) return (int)k;
  return -1;
}

double truce_sim_outcome_value(const truce_sim* sim, size_t side, size_t k) {
  if (!sim || side > 1 || k >= truce__n_outcomes) return (double)NAN;
  return truce__outcomes[k].value(sim->outcome[side][k]);
}
