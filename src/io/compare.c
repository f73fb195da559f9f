/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Comparing two runs from their results stores: the assumptions that
 * differ (values, distributions, sources) and how the headline outcomes
 * moved (strength, exhaustion, the bargaining window, aid), for the
 * terminal and as a self-contained HTML page with charts.
 */
#include <errno.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store.h"
#include "truce_int.h"

static int open_db(truce_ctx* ctx, const char* dir, sqlite3** db) {
  char path[1200];
  snprintf(path, sizeof path, "%s/results.db", dir);
  *db = NULL;
  if (access(path, R_OK) != 0)
    return TRUCE_FAIL(ctx, TRUCE_EIO,
                      "%s: no results.db (%s); expected the "
                      "output directory of truce run",
                      dir, strerror(errno));
  int rc = 0;
  if (sqlite3_open_v2(path, db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
    rc = TRUCE_FAIL(ctx, TRUCE_EDB, "%s: %s", path, sqlite3_errmsg(*db));
  else
    rc = truce__store_check(ctx, *db, "main", path);
  if (rc) {
    sqlite3_close(*db);
    *db = NULL;
  }
  return rc;
}

/* A text column, "" for NULL. */
static const char* col_text(sqlite3_stmt* st, int i) {
  const unsigned char* t = sqlite3_column_text(st, i);
  return t ? (const char*)t : "";
}

/* One number from a query ((double)NAN when there is none). */
static double one(sqlite3* db, const char* sql, const char* arg) {
  sqlite3_stmt* st;
  double v = (double)NAN;
  if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
    return (double)NAN;
  if (arg) sqlite3_bind_text(st, 1, arg, -1, SQLITE_TRANSIENT);
  if (sqlite3_step(st) == SQLITE_ROW &&
      sqlite3_column_type(st, 0) != SQLITE_NULL)
    v = sqlite3_column_double(st, 0);
  sqlite3_finalize(st);
  return v;
}

/* The median of a query's values (in ascending order, NULLs left out) by
 * the one quantile rule (docs/outputs.md, "Quantiles"); NAN when none. */
static double median_of(sqlite3* db, const char* sql, const char* arg) {
  sqlite3_stmt* st;
  double* v = NULL;
  size_t n = 0, cap = 0;
  double m = (double)NAN;
  if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
    return (double)NAN;
  if (arg) sqlite3_bind_text(st, 1, arg, -1, SQLITE_TRANSIENT);
  while (sqlite3_step(st) == SQLITE_ROW) {
    if (sqlite3_column_type(st, 0) == SQLITE_NULL) continue;
    if (n == cap) {
      double* nv = realloc(v, (cap = cap ? 2 * cap : 256) * sizeof *v);
      if (!nv) break;
      v = nv;
    }
    v[n++] = sqlite3_column_double(st, 0);
  }
  sqlite3_finalize(st);
  if (n) m = gsl_stats_median_from_sorted_data(v, 1, n);
  free(v);
  return m;
}

static void add_shift(truce_comparison* c, const char* what, truce_unit u,
                      double a, double b) {
  if (c->n_shift >= sizeof c->shift / sizeof c->shift[0]) return;
  truce_outcome_shift* s = &c->shift[c->n_shift++];
  snprintf(s->what, sizeof s->what, "%s", what);
  s->a = a;
  s->b = b;
  s->unit = u;
}

/* |v| rounded, with a comma every three digits (cut at 39 characters) */
static void thousands(double v, char* buf, size_t n) {
  char d[30];
  snprintf(d, sizeof d, "%.0f", fabs(v));
  size_t len = strlen(d), o = 0;
  for (size_t i = 0; i < len && o + 2 < n; i++) {
    if (i > 0 && (len - i) % 3 == 0) buf[o++] = ',';
    buf[o++] = d[i];
  }
  buf[o] = 0;
}

void truce_outcome_format(truce_unit u, double v, int change,
                          const char* absent, char* buf, size_t n) {
  if (isnan(v)) {
    snprintf(buf, n, "%s", absent);
    return;
  }
  double m = fabs(v);
  char t[40];
  switch (u) {
    case TRUCE_UNIT_SHARE:
      snprintf(t, sizeof t, "%.1f%s", 100 * m, change ? " pp" : "%");
      break;
    case TRUCE_UNIT_MONEY: snprintf(t, sizeof t, "%.2f bn", m / 1e9); break;
    case TRUCE_UNIT_DAY:
    case TRUCE_UNIT_COUNT:
    default: thousands(m, t, sizeof t); break;
  }
  /* a number that shows as zero has no sign; a change always has one */
  const char* sign = !strpbrk(t, "123456789") ? ""
                     : v < 0                  ? "-"
                     : change                 ? "+"
                                              : "";
  snprintf(buf, n, "%s%s", sign, t);
}

static const char* const med_front =
    "select front_end from runs where side = ?1 order by front_end";
static const char* const med_open =
    "select open_day from bargaining_runs where open_day is not null order "
    "by open_day";

int truce_compare(truce_ctx* ctx, const char* dir_a, const char* dir_b,
                  truce_comparison* c) {
  memset(c, 0, sizeof *c);
  sqlite3 *a = NULL, *b = NULL;
  int rc = open_db(ctx, dir_a, &a);
  if (!rc) rc = open_db(ctx, dir_b, &b);
  if (rc) {
    sqlite3_close(a);
    return rc;
  }
  /* assumptions: every path in either run whose value, distribution or
   * source differs */
  sqlite3_exec(a, "", NULL, NULL, NULL);
  char attach[1300];
  char* q = sqlite3_mprintf("attach database '%q/results.db' as b", dir_b);
  snprintf(attach, sizeof attach, "%s", q ? q : "");
  sqlite3_free(q);
  if (sqlite3_exec(a, attach, NULL, NULL, NULL) != SQLITE_OK) {
    rc = TRUCE_FAIL(ctx, TRUCE_EDB, "cannot read both stores: %s",
                    sqlite3_errmsg(a));
    goto done;
  }

  static const char* const diff_sql =
      "select coalesce(x.path, y.path), x.value, y.value, x.distribution, "
      "y.distribution, y.source, x.path is not null, y.path is not null "
      "from main.assumptions x full outer join b.assumptions y on x.path = "
      "y.path "
      "where x.path is null or y.path is null or x.value is not y.value or "
      "x.distribution is not y.distribution or x.source is not y.source "
      "order by 1";
  sqlite3_stmt* st;
  if (sqlite3_prepare_v2(a, diff_sql, -1, &st, NULL) != SQLITE_OK) {
    /* full outer join needs SQLite 3.39; fall back to a union of joins */
    static const char* const diff_sql2 =
        "select x.path, x.value, y.value, x.distribution, y.distribution, "
        "y.source, 1, y.path is not null from main.assumptions x left join "
        "b.assumptions y on x.path = y.path where y.path is null or x.value "
        "is not y.value or x.distribution is not y.distribution or x.source "
        "is not y.source union all select y.path, null, y.value, null, "
        "y.distribution, y.source, 0, 1 from b.assumptions y where y.path "
        "not in (select path from main.assumptions) order by 1";
    if (sqlite3_prepare_v2(a, diff_sql2, -1, &st, NULL) != SQLITE_OK) {
      rc = TRUCE_FAIL(ctx, TRUCE_EDB, "cannot compare: %s", sqlite3_errmsg(a));
      goto done;
    }
  }
  while (sqlite3_step(st) == SQLITE_ROW &&
         c->n_diff < sizeof c->diff / sizeof c->diff[0]) {
    truce_assumption_diff* d = &c->diff[c->n_diff++];
    const unsigned char* t;
    snprintf(d->path, sizeof d->path, "%s", col_text(st, 0));
    d->a = sqlite3_column_type(st, 1) == SQLITE_NULL
               ? (double)NAN
               : sqlite3_column_double(st, 1);
    d->b = sqlite3_column_type(st, 2) == SQLITE_NULL
               ? (double)NAN
               : sqlite3_column_double(st, 2);
    t = sqlite3_column_text(st, 3);
    snprintf(d->dist_a, sizeof d->dist_a, "%s", t ? (const char*)t : "");
    t = sqlite3_column_text(st, 4);
    snprintf(d->dist_b, sizeof d->dist_b, "%s", t ? (const char*)t : "");
    t = sqlite3_column_text(st, 5);
    snprintf(d->source_b, sizeof d->source_b, "%s", t ? (const char*)t : "");
    d->in_a = sqlite3_column_int(st, 6);
    d->in_b = sqlite3_column_int(st, 7);
  }
  sqlite3_finalize(st);
  /* headline outcomes: per side, capable strength (combat power, the
   * daily median and 90% band), the exhaustion-day distribution, then
   * the bargaining window by month */
  int horizon = (int)one(a, "select max(day) from daily", NULL);
  sqlite3_stmt* sides;
  if (sqlite3_prepare_v2(a, "select distinct side from runs order by rowid", -1,
                         &sides, NULL) == SQLITE_OK) {
    while (sqlite3_step(sides) == SQLITE_ROW) {
      char side[32], what[96], sql[200];
      snprintf(side, sizeof side, "%s", col_text(sides, 0));
      static const int at[] = {182, 365, -1};
      for (int k = 0; k < 3; k++) {
        int d = at[k] < 0 || at[k] > horizon ? horizon : at[k];
        if (k < 2 && at[k] > horizon) continue;
        static const char* const pct[] = {"p05", "p50", "p95"};
        for (int j = 0; j < 3; j++) {
          if (k < 2 && j != 1) continue; /* the band at the horizon only */
          snprintf(sql, sizeof sql,
                   "select %s from daily where side = ?1 "
                   "and series = 'power' and day = %d",
                   pct[j], d);
          snprintf(what, sizeof what, "%s: capable strength day %d, %s", side,
                   d, pct[j]);
          add_shift(c, what, TRUCE_UNIT_COUNT, one(a, sql, side),
                    one(b, sql, side));
        }
      }
      snprintf(what, sizeof what, "%s: median front at the horizon", side);
      add_shift(c, what, TRUCE_UNIT_COUNT, median_of(a, med_front, side),
                median_of(b, med_front, side));
      static const char* const terr =
          "select avg(territory_end) from runs where side = ?1";
      snprintf(what, sizeof what, "%s: mean territory share at the horizon",
               side);
      add_shift(c, what, TRUCE_UNIT_SHARE, one(a, terr, side),
                one(b, terr, side));
      static const int by[] = {182, 365, 730};
      for (int k = 0; k < 3; k++) {
        if (by[k] > horizon + 1) continue;
        snprintf(sql, sizeof sql,
                 "select avg(exhaustion_day is not null and "
                 "exhaustion_day <= %d) from runs where side = ?1",
                 by[k]);
        snprintf(what, sizeof what, "%s: share exhausted by day %d", side,
                 by[k]);
        add_shift(c, what, TRUCE_UNIT_SHARE, one(a, sql, side),
                  one(b, sql, side));
      }
      static const char* const exd =
          "select exhaustion_day from runs where side = ?1 and exhaustion_day "
          "is not null order by exhaustion_day";
      snprintf(what, sizeof what, "%s: median exhaustion day (if exhausted)",
               side);
      add_shift(c, what, TRUCE_UNIT_DAY, median_of(a, exd, side),
                median_of(b, exd, side));
      static const char* const cas =
          "select avg(casualties_total) from runs where side = ?1";
      snprintf(what, sizeof what, "%s: mean casualties", side);
      add_shift(c, what, TRUCE_UNIT_COUNT, one(a, cas, side),
                one(b, cas, side));
    }
    sqlite3_finalize(sides);
  }
  static const int months[] = {1, 3, 6, 12, 24};
  for (int k = 0; k < 5; k++) {
    char sql[128], what[96];
    snprintf(sql, sizeof sql,
             "select p_open from bargaining_months where month = %d",
             months[k]);
    snprintf(what, sizeof what, "bargaining range open by month %d", months[k]);
    double x = one(a, sql, NULL), y = one(b, sql, NULL);
    if (!isnan(x) || !isnan(y)) add_shift(c, what, TRUCE_UNIT_SHARE, x, y);
  }
  static const int now_months[] = {6, 12, 24};
  for (int k = 0; k < 3; k++) {
    char sql[128], what[96];
    snprintf(sql, sizeof sql,
             "select p_open_now from bargaining_months "
             "where month = %d",
             now_months[k]);
    snprintf(what, sizeof what, "bargaining range open at month %d (now)",
             now_months[k]);
    double x = one(a, sql, NULL), y = one(b, sql, NULL);
    if (!isnan(x) || !isnan(y)) add_shift(c, what, TRUCE_UNIT_SHARE, x, y);
  }
  double oa = median_of(a, med_open, NULL), ob = median_of(b, med_open, NULL);
  if (!isnan(oa) || !isnan(ob))
    add_shift(c, "median day the range opens", TRUCE_UNIT_DAY, oa, ob);
  static const char* const med_line =
      "select nash_territory from bargaining_runs where nash_territory is not "
      "null order by nash_territory";
  oa = median_of(a, med_line, NULL);
  ob = median_of(b, med_line, NULL);
  if (!isnan(oa) || !isnan(ob))
    add_shift(c, "median Nash line (side 0's share) at opening",
              TRUCE_UNIT_SHARE, oa, ob);
  static const char* const never_open =
      "select avg(open_day is null) from bargaining_runs";
  oa = one(a, never_open, NULL);
  ob = one(b, never_open, NULL);
  if (!isnan(oa) || !isnan(ob))
    add_shift(c, "share of runs where it never opens", TRUCE_UNIT_SHARE, oa,
              ob);
  sqlite3_stmt* bk;
  if (sqlite3_prepare_v2(a, "select distinct backer from backer_runs", -1, &bk,
                         NULL) == SQLITE_OK) {
    while (sqlite3_step(bk) == SQLITE_ROW) {
      char id[32], what[96];
      snprintf(id, sizeof id, "%s", col_text(bk, 0));
      static const char* const del =
          "select avg(delivered_total) from backer_runs where backer = ?1";
      snprintf(what, sizeof what, "%s: mean aid delivered", id);
      add_shift(c, what, TRUCE_UNIT_MONEY, one(a, del, id), one(b, del, id));
    }
    sqlite3_finalize(bk);
  }
done:
  sqlite3_close(a);
  sqlite3_close(b);
  return rc;
}

/* ------------------------------------------------------------- HTML */

/* Text from a store or the command line into HTML element content. */
static void html_text(FILE* f, const char* s) {
  for (; *s; s++) {
    if (*s == '<')
      fputs("&lt;", f);
    else if (*s == '>')
      fputs("&gt;", f);
    else if (*s == '&')
      fputs("&amp;", f);
    else if (*s == '"')
      fputs("&quot;", f);
    else
      fputc(*s, f);
  }
}

static void html_num(FILE* f, double v) {
  if (isnan(v))
    fputs("&ndash;", f);
  else
    fprintf(f, "%.6g", v);
}

/* One point of the exhaustion curve as a JSON object; the side name comes
 * from the store, so it goes through truce__web_json like all data. */
static void exhaustion_point(FILE* f, const char* label, const char* side,
                             int day, double share) {
  fprintf(f, "{\"run\":\"%s\",\"kind\":\"exhaustion\",\"side\":", label);
  truce__web_json(f, side, strlen(side), true);
  fprintf(f, ",\"day\":%d,\"share\":%.6g},", day, share);
}

/* Per-run exhaustion days and the monthly window of one store, as JSON. */
static void series_json(FILE* f, const char* dir, const char* label) {
  sqlite3* db;
  char path[1200];
  snprintf(path, sizeof path, "%s/results.db", dir);
  if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
    sqlite3_close(db);
    return;
  }
  sqlite3_stmt* st;
  /* the share of runs exhausted by each day, per side: a step from 0 on
   * day 0 to the final share on the horizon */
  int horizon = (int)one(db, "select max(day) from daily", NULL);
  if (sqlite3_prepare_v2(db,
                         "select side, exhaustion_day, count(*) over "
                         "(partition by side order by exhaustion_day) * 1.0 /"
                         " (select count(*) from runs r where r.side = "
                         "runs.side) from runs where exhaustion_day is not "
                         "null union all select distinct side, 0, 0 from runs"
                         " order by 1, 2, 3",
                         -1, &st, NULL) == SQLITE_OK) {
    char side[32] = "";
    double last = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
      const char* sd = (const char*)sqlite3_column_text(st, 0);
      if (!sd) continue;
      if (side[0] && strcmp(side, sd))
        exhaustion_point(f, label, side, horizon, last);
      snprintf(side, sizeof side, "%s", sd);
      last = sqlite3_column_double(st, 2);
      exhaustion_point(f, label, side, sqlite3_column_int(st, 1), last);
    }
    if (side[0]) exhaustion_point(f, label, side, horizon, last);
    sqlite3_finalize(st);
  }
  if (sqlite3_prepare_v2(db,
                         "select month, p_open, p_open_now from "
                         "bargaining_months",
                         -1, &st, NULL) == SQLITE_OK) {
    while (sqlite3_step(st) == SQLITE_ROW) {
      fprintf(f,
              "{\"run\":\"%s\",\"what\":\"opened by\",\"kind\":"
              "\"window\",\"month\":%d,\"p\":%.6g},",
              label, sqlite3_column_int(st, 0), sqlite3_column_double(st, 1));
      if (sqlite3_column_type(st, 2) != SQLITE_NULL)
        fprintf(f,
                "{\"run\":\"%s\",\"what\":\"open now\",\"kind\":"
                "\"window\",\"month\":%d,\"p\":%.6g},",
                label, sqlite3_column_int(st, 0), sqlite3_column_double(st, 2));
    }
    sqlite3_finalize(st);
  }
  sqlite3_close(db);
}

static const char* const compare_js =
    "const D=JSON.parse(document.getElementById('d').textContent);\n"
    "const opt={renderer:'svg',actions:{export:true,source:false,"
    "compiled:false,editor:false}};const V=[];\n"
    "const ex=D.filter(d=>d.kind==='exhaustion');\n"
    "V.push(vegaEmbed('#c1',{width:'container',height:220,title:"
    "'Share of runs exhausted by each day (A solid, B dashed)',data:{values:"
    "ex},mark:{type:'line',interpolate:'step-after'},encoding:{x:{field:"
    "'day',type:'quantitative',scale:{nice:false}},y:{field:'share',type:'"
    "quantitative',"
    "axis:{format:'%'},title:null},color:{field:'side',type:'nominal'},"
    "strokeDash:{field:'run',type:'nominal'},detail:{field:'run'}}},opt));\n"
    "const w=D.filter(d=>d.kind==='window');\n"
    "if(w.length)V.push(vegaEmbed('#c2',{width:'container',height:220,title:"
    "'A bargaining range has opened / is open, by month (A solid, B dashed)',"
    "data:{values:w},mark:{type:'line',point:true},encoding:{x:{field:"
    "'month',type:'quantitative'},y:{field:'p',type:'quantitative',scale:"
    "{domain:[0,1]},axis:{format:'%'},title:null},color:{field:'what',type:"
    "'nominal',title:null},strokeDash:{field:'run',type:'nominal'},detail:"
    "{field:'run'}}},opt));\n"
    "Promise.all(V).then(()=>{window.__truceReady=true;});\n";

int truce_compare_write_html(truce_ctx* ctx, const truce_comparison* c,
                             const char* dir_a, const char* dir_b,
                             const char* out) {
  char tmp[1300];
  FILE* f = truce__tmp_open(ctx, out, tmp, sizeof tmp);
  if (!f) return TRUCE_EIO;
  int rc = truce__web_head(ctx, f, "truce compare", out);
  if (!rc) {
    fputs("</head><body><header><h1>truce compare</h1><p>A: ", f);
    html_text(f, dir_a);
    fputs(" &nbsp; B: ", f);
    html_text(f, dir_b);
    fputs(
        "</p></header><main><section><h2>Assumptions that differ</h2>"
        "<table><tr><th>number</th><th>A</th><th>B</th><th>B's source"
        "</th></tr>",
        f);
    for (size_t i = 0; i < c->n_diff; i++) {
      const truce_assumption_diff* d = &c->diff[i];
      fputs("<tr><td>", f);
      html_text(f, d->path);
      fputs("</td><td>", f);
      html_num(f, d->a);
      fputs(" ", f);
      html_text(f, d->dist_a);
      fputs("</td><td>", f);
      html_num(f, d->b);
      fputs(" ", f);
      html_text(f, d->dist_b);
      fputs("</td><td>", f);
      html_text(f, d->source_b);
      fputs("</td></tr>", f);
    }
    fputs(
        "</table></section><section><h2>How the outcomes moved</h2><table>"
        "<tr><th>outcome</th><th>A</th><th>B</th><th>change</th></tr>",
        f);
    for (size_t i = 0; i < c->n_shift; i++) {
      const truce_outcome_shift* s = &c->shift[i];
      char va[64], vb[64], vd[64];
      truce_outcome_format(s->unit, s->a, 0, "&ndash;", va, sizeof va);
      truce_outcome_format(s->unit, s->b, 0, "&ndash;", vb, sizeof vb);
      truce_outcome_format(s->unit, s->b - s->a, 1, "&ndash;", vd, sizeof vd);
      fputs("<tr><td>", f);
      html_text(f, s->what);
      fprintf(f, "</td><td>%s</td><td>%s</td><td>%s</td></tr>", va, vb, vd);
    }
    fputs(
        "</table></section><section><h2>Distributions</h2><div "
        "class=\"charts\"><div class=\"chart\" id=\"c1\"></div><div "
        "class=\"chart\" id=\"c2\"></div></div></section></main>"
        "<script type=\"application/json\" id=\"d\">[",
        f);
    series_json(f, dir_a, "A");
    series_json(f, dir_b, "B");
    fputs("{\"kind\":\"end\"}]</script><script>\n", f);
    fputs(compare_js, f);
    fputs("</script></body></html>\n", f);
    rc = truce__tmp_commit(ctx, f, tmp, out, !ferror(f));
  } else {
    truce__tmp_abandon(f, tmp);
  }
  return rc;
}
