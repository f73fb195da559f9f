/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Stated terms (docs/bargaining.md, "Stated terms"): each side's publicly
 * stated settlement terms at dated points (a CSV with one claim per row:
 * date, side, issue, value, unit, claimant, source), set against the
 * acceptable sets the model gives each side on a day. A side's terms on a
 * day are its latest statement on each issue dated up to that day; an
 * issue it has not spoken to keeps the status quo, and a line it has not
 * stated is the line of contact. The check asks whether a side's own
 * terms lie inside its modelled acceptable set (they should, if the model
 * reads the side right) and whether the other side's do (they should
 * not, while no deal is struck).
 */
#include <limits.h>
#include <math.h>
#include <string.h>

#include "../scenario/params.h"
#include "truce_int.h"

#define NEVER LONG_MIN /* no statement yet */

static const char* const columns[] = {"date", "side",     "issue", "value",
                                      "unit", "claimant", "source"};
#define NCOL (sizeof columns / sizeof columns[0])

typedef struct {
  truce_ctx* ctx;
  const char* path;
  int line;
} where;

#define fail(w, col, ...) \
  truce__csv_fail((w)->ctx, (w)->path, (w)->line, (col), __VA_ARGS__)

static int side_index(const truce_scenario* sc, const char* id) {
  for (size_t i = 0; i < 2; i++)
    if (!strcmp(truce_scenario_side_id(sc, i), id)) return (int)i;
  return -1;
}

/* One row applied to the terms of its side (rows come in file order; a
 * later date overrides an earlier one, an earlier date is ignored). */
typedef struct {
  long date[2][TRUCE_MAX_ISSUES + 1]; /* last statement per issue; slot 0:
                                         territory */
  int option[2][TRUCE_MAX_ISSUES];
  double
      line[2]; /* side 0's share of the contested area; (double)NAN: contact */
  long latest[2];
  char claimants[2][256];
} terms;

static void add_claimant(char* buf, size_t cap, const char* who) {
  if (strstr(buf, who)) return;
  size_t l = strlen(buf);
  snprintf(buf + l, cap - l, "%s%s", l ? "; " : "", who);
}

typedef struct {
  where w;
  const truce_scenario* sc;
  const truce__params* p;
  long upto;
  terms* t;
} reader;

static int row(void* user, truce__csv_fields* fs, int line) {
  reader* R = user;
  R->w.line = line;
  const where* w = &R->w;
  const truce_scenario* sc = R->sc;
  const truce__params* p = R->p;
  long upto = R->upto;
  terms* t = R->t;
  const truce__nego* n = &p->nego;
  if (!truce__date_valid(fs->f[0]))
    return fail(w, fs->col[0], "date '%s'; expected YYYY-MM-DD", fs->f[0]);
  int i = side_index(sc, fs->f[1]);
  if (i < 0)
    return fail(w, fs->col[1], "side '%s'; expected '%s' or '%s'", fs->f[1],
                truce_scenario_side_id(sc, 0), truce_scenario_side_id(sc, 1));
  int k = -1;
  if (strcmp(fs->f[2], "territory")) {
    for (int q = 0; q < n->n_issues; q++)
      if (!strcmp(n->issue[q].name, fs->f[2])) k = q;
    if (k < 0)
      return fail(w, fs->col[2],
                  "issue '%s'; expected 'territory' or an "
                  "issue of the scenario's negotiation section",
                  fs->f[2]);
  }
  for (int c = 5; c < 7; c++)
    if (!fs->f[c][0])
      return fail(w, fs->col[c],
                  "an empty %s; expected who made the claim "
                  "and where it was published",
                  columns[c]);
  double x = (double)NAN;
  int o = -1;
  if (k < 0 && strcmp(fs->f[3], "contact")) {
    double km2;
    if (truce__parse_number(fs->f[3], &km2) || !(km2 >= 0) || km2 > p->area_km2)
      return fail(w, fs->col[3],
                  "territory '%s'; expected the km2 left to "
                  "side '%s' (0 to front.area_km2 = %g) or 'contact'",
                  fs->f[3], truce_scenario_side_id(sc, 0), p->area_km2);
    x = (km2 / p->area_km2 - (1 - n->contested)) / n->contested;
    x = x < 0 ? 0 : (x > 1 ? 1 : x);
  } else if (k >= 0) {
    for (int q = 0; q < n->issue[k].n_options; q++)
      if (!strcmp(n->issue[k].option[q], fs->f[3])) o = q;
    if (o < 0)
      return fail(w, fs->col[3],
                  "option '%s'; expected an option of issue "
                  "'%s'",
                  fs->f[3], n->issue[k].name);
  }
  long day = truce__date_to_days(fs->f[0]);
  if (day > upto || day < t->date[i][k + 1]) return 0;
  t->date[i][k + 1] = day;
  if (k < 0)
    t->line[i] = x;
  else
    t->option[i][k] = o;
  if (day > t->latest[i]) t->latest[i] = day;
  add_claimant(t->claimants[i], sizeof t->claimants[i], fs->f[5]);
  return 0;
}

static int read_terms(truce_ctx* ctx, const truce_scenario* sc,
                      const char* path, long upto, terms* t) {
  reader R = {{ctx, path, 0}, sc, &truce__scenario_model(sc)->params, upto, t};
  return truce__csv_each(ctx, path,
                         "a CSV of stated terms (date, side, "
                         "issue, value, unit, claimant, source)",
                         columns, (int)NCOL, row, &R);
}

int truce_bargain_stated(truce_ctx* ctx, const truce_scenario* sc,
                         const truce_bargain_day* d, const char* path,
                         truce_stated_terms out[2]) {
  if (!ctx || !sc || !d || !path || !out) return TRUCE_EINVAL;
  const truce__nego* n = &truce__scenario_model(sc)->params.nego;
  const char* start = truce_scenario_start(sc);
  if (!start)
    return TRUCE_FAIL(ctx, TRUCE_EINVAL,
                      "%s has no start date; expected one "
                      "to date the day's stated terms",
                      truce_scenario_file(sc));
  long upto = truce__date_to_days(start) + d->day;
  terms t;
  memset(&t, 0, sizeof t);
  for (int i = 0; i < 2; i++) {
    t.line[i] = (double)NAN;
    t.latest[i] = NEVER;
    for (int k = 0; k <= TRUCE_MAX_ISSUES; k++) t.date[i][k] = NEVER;
    for (int k = 0; k < n->n_issues; k++)
      t.option[i][k] = n->issue[k].status_quo;
  }
  int rc = read_terms(ctx, sc, path, upto, &t);
  if (rc) return rc;
  for (int i = 0; i < 2; i++) {
    truce_stated_terms* s = &out[i];
    memset(s, 0, sizeof *s);
    s->stated = t.latest[i] > NEVER;
    s->combo = 0;
    for (int k = n->n_issues - 1; k >= 0; k--)
      s->combo = s->combo * n->issue[k].n_options + t.option[i][k];
    s->x = isnan(t.line[i]) ? d->line : t.line[i];
    if (s->stated) truce__date_from_days(t.latest[i], s->since);
    snprintf(s->claimants, sizeof s->claimants, "%s", t.claimants[i]);
    const truce_package_range* r = &d->packages[s->combo];
    for (int j = 0; j < 2; j++)
      s->inside[j] = s->stated && r->lo[j] <= s->x && s->x <= r->hi[j];
  }
  return 0;
}

const char* truce_bargain_stated_file(const truce_scenario* sc) {
  const truce__nego* n = &truce__scenario_model(sc)->params.nego;
  return n->present && n->stated_terms[0] ? n->stated_terms : NULL;
}
