/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * truce compare's page: the warnings, the assumptions that differ, the
 * outcome rows with their intervals (beyond noise marked), and two charts
 * (the share of runs exhausted by each day, the bargaining window by
 * month), A solid and B dashed. Text from a store reaches the page only
 * escaped.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "compare_int.h"

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
  int horizon = (int)truce__cmp_one(db, "select max(day) from daily", NULL);
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
    fputs("</p></header><main>", f);
    for (size_t i = 0; i < c->n_warn; i++) {
      fputs("<p class=\"warning\">warning: ", f);
      html_text(f, c->warn[i].message);
      fputs("</p>", f);
    }
    fputs(
        "<section><h2>Assumptions that differ</h2>"
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
    fprintf(f,
            "</table></section><section><h2>How the outcomes moved</h2>"
            "<p>Change B &minus; A with its %.0f%% interval (%s); "
            "<strong>beyond noise</strong> when the interval excludes 0: "
            "%zu of %zu (about %.0f%% are flagged by chance alone).</p>"
            "<table><tr><th>outcome</th><th>A</th><th>B</th><th>change</th>"
            "<th>interval</th><th></th></tr>",
            100 * c->level,
            c->paired ? "paired by run: same seed and runs" : "unpaired",
            c->flagged, c->n_shift, 100 * (1 - c->level));
    for (size_t i = 0; i < c->n_shift; i++) {
      const truce_outcome_shift* s = &c->shift[i];
      char va[64], vb[64], vd[64], lo[64], hi[64];
      truce_outcome_format(s->unit, s->a, 0, "&ndash;", va, sizeof va);
      truce_outcome_format(s->unit, s->b, 0, "&ndash;", vb, sizeof vb);
      truce_outcome_format(s->unit, s->diff, 1, "&ndash;", vd, sizeof vd);
      truce_outcome_format(s->unit, s->lo, 1, "&ndash;", lo, sizeof lo);
      truce_outcome_format(s->unit, s->hi, 1, "&ndash;", hi, sizeof hi);
      fputs("<tr><td>", f);
      html_text(f, s->what);
      fprintf(f,
              "</td><td>%s</td><td>%s</td><td>%s</td><td>%s &hellip; %s"
              "</td><td>%s</td></tr>",
              va, vb, vd, lo, hi,
              s->beyond_noise ? "beyond noise" : "within noise");
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
