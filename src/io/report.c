/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The HTML report: one self-contained file (no network needed) holding the
 * run's own outputs, pre-aggregated so that the page does not grow with
 * the run count (summary.json as it is, daily.csv thinned to at most
 * REPORT_POINTS days, runs.csv's day-valued outcomes as histograms; and
 * explore.json, hindcast.json when they are beside the run) and the Vega,
 * Vega-Lite and Vega-Embed libraries (npm), with web/report.js drawing the
 * charts in the browser. Numbers are copied, never reformatted, so the
 * report shows exactly what the outputs say. Written to a temporary file
 * and renamed.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "../core/yaml.h"
#include "truce/ensemble.h"
#include "truce_config.h"
#include "truce_int.h"

/* Where the web assets are: $TRUCE_WEB_DIR when set; else the installed
 * ones, found from the running executable (its directory, then
 * TRUCE_WEB_FROM_BIN, e.g. "../share/truce/web"), when report.js is
 * there; else the build tree's web/. Into buf[cap]. */
static const char* web_dir(char* buf, size_t cap) {
  const char* e = getenv("TRUCE_WEB_DIR");
  if (e && *e) return e;
  ssize_t n = readlink("/proc/self/exe", buf, cap - 1);
  if (n > 0) {
    buf[n] = '\0';
    char* slash = strrchr(buf, '/');
    size_t at = slash ? (size_t)(slash - buf) : 0;
    int w = snprintf(buf + at, cap - at, "/%s/report.js", TRUCE_WEB_FROM_BIN);
    if (slash && w > 0 && (size_t)w < cap - at && access(buf, R_OK) == 0) {
      buf[strlen(buf) - strlen("/report.js")] = '\0';
      return buf;
    }
  }
  return TRUCE_WEB_DIR;
}

int truce__web_asset(truce_ctx* ctx, const char* rel, char** text,
                     size_t* len) {
  char dir[1024], path[1200];
  snprintf(path, sizeof path, "%s/%s", web_dir(dir, sizeof dir), rel);
  return truce__read_file(ctx, path,
                          "the report's web assets (run scripts/install-deps, "
                          "or set TRUCE_WEB_DIR)",
                          text, len);
}

/* Write code (the web assets: Vega, report.js, explore.js, the style
 * sheet) into an inline <script> or <style>: only "</script" or "</style"
 * (any case) could end the element early, so those become "<\/" ("<\/"
 * means the same in JS strings, regular expressions and CSS). The code is
 * ours; data never goes this way (truce__web_json). */
static int put_code(FILE* f, const char* s, size_t n) {
  for (size_t i = 0; i < n; i++) {
    if (s[i] == '<' && i + 1 < n && s[i + 1] == '/' &&
        (!strncasecmp(s + i + 2, "script", n - i - 2 < 6 ? n - i - 2 : 6) ||
         !strncasecmp(s + i + 2, "style", n - i - 2 < 5 ? n - i - 2 : 5))) {
      if (fputs("<\\/", f) == EOF) return -1;
      i++;
      continue;
    }
    if (fputc(s[i], f) == EOF) return -1;
  }
  return 0;
}

int truce__web_inline(FILE* f, const char* s, size_t n) {
  return put_code(f, s, n);
}

/* The bytes of s[n] for JSON (as_string: inside a string, without the
 * quotes); '<', '>' and '&' always as \u escapes. */
static int json_body(FILE* f, const char* s, size_t n, bool as_string) {
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    int r;
    if (c == '<' || c == '>' || c == '&' ||
        (as_string && (c < 0x20 || c == '"' || c == '\\')))
      r = fprintf(f, "\\u%04x", c);
    else
      r = fputc(c, f) == EOF ? -1 : 0;
    if (r < 0) return -1;
  }
  return 0;
}

int truce__web_json(FILE* f, const char* s, size_t n, bool as_string) {
  if (as_string && fputc('"', f) == EOF) return -1;
  if (json_body(f, s, n, as_string)) return -1;
  return as_string && fputc('"', f) == EOF ? -1 : 0;
}

int truce__web_head(truce_ctx* ctx, FILE* f, const char* title,
                    const char* out) {
  static const char* const lib[] = {
      "report.css", "node_modules/vega/build/vega.min.js",
      "node_modules/vega-lite/build/vega-lite.min.js",
      "node_modules/vega-embed/build/vega-embed.min.js"};
  if (fprintf(f,
              "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
              "<meta charset=\"utf-8\">\n<meta name=\"generator\" "
              "content=\"truce " TRUCE_VERSION "\">\n<title>%s</title>\n",
              title) < 0)
    return TRUCE_FAIL_AT(ctx, TRUCE_EIO, out, 1, 1, "cannot write (%s)",
                         strerror(errno));
  int rc = 0;
  for (int i = 0; i < 4 && !rc; i++) {
    char* text;
    size_t len;
    if ((rc = truce__web_asset(ctx, lib[i], &text, &len))) break;
    const char* tag = i ? "script" : "style";
    if (fprintf(f, "<%s>\n", tag) < 0 || put_code(f, text, len) ||
        fprintf(f, "\n</%s>\n", tag) < 0)
      rc = TRUCE_FAIL_AT(ctx, TRUCE_EIO, out, 1, 1, "cannot write (%s)",
                         strerror(errno));
    truce__free(ctx, text, len + 1);
  }
  return rc;
}

/* The outputs must be what truce run wrote: summary.json valid JSON with
 * a "sides" mapping (and explore.json, hindcast.json valid JSON), and the
 * CSVs with every row as wide as the header (the page's script would
 * otherwise fail in the reader's browser). */
static int check_json(truce_ctx* ctx, const char* path, const char* text,
                      size_t len, const char* what, bool summary) {
  mark at;
  char msg[256];
  struct fy_document* doc = truce__json_parse(text, len, &at, msg, sizeof msg);
  if (!doc)
    return TRUCE_FAIL_AT(ctx, TRUCE_EPARSE, path, at.line > 0 ? at.line : 1,
                         at.col > 0 ? at.col : 1,
                         "malformed JSON: %s; expected the %s", msg, what);
  struct fy_node* root = fy_document_root(doc);
  mark km = {1, 1};
  struct fy_node* sides = root && fy_node_is_mapping(root)
                              ? truce__yaml_lookup(root, "sides", &km)
                              : NULL;
  int rc = 0;
  if (summary && (!sides || !fy_node_is_mapping(sides)))
    rc = TRUCE_FAIL_AT(ctx, TRUCE_EPARSE, path, 1, 1,
                       "no 'sides' object; expected the %s", what);
  fy_document_destroy(doc);
  return rc;
}

static int check_csv(truce_ctx* ctx, const char* path, char* text) {
  char* at = text;
  int line = 0;
  size_t want = 0;
  for (char* l; (l = truce__next_line(&at, &line));) {
    if (!*l) continue;
    size_t n = 1;
    for (const char* c = l; *c; c++) n += *c == ',';
    if (line == 1)
      want = n;
    else if (n != want)
      return TRUCE_FAIL_AT(ctx, TRUCE_EPARSE, path, line, 1,
                           "a row of %zu "
                           "fields; expected %zu like the header (the file "
                           "written by truce run)",
                           n, want);
  }
  return 0;
}

/* ==== Pre-aggregation ====================================================
 * The page holds no per-run rows: daily.csv (whose size does not depend
 * on the run count) thinned to at most REPORT_POINTS days, and runs.csv
 * reduced in C to histograms of its day-valued outcomes. The page's size
 * therefore does not grow with the number of runs. */
enum { REPORT_POINTS = 120, REPORT_BINS = 40, REPORT_HCOLS = 32 };

/* Per-run outcomes the page draws as histograms: runs.csv's "ID.NAME"
 * columns (one per side), days from 0 to the horizon (empty: never). */
static const char* const HIST[] = {"exhaustion_day"};
#define NHIST (sizeof HIST / sizeof HIST[0])

/* The line at *at of s[n] (without its newline or CR) into l[*ln];
 * moves *at past it. false at the end. */
static bool line_at(const char* s, size_t n, size_t* at, const char** l,
                    size_t* ln) {
  if (*at >= n) return false;
  const char* b = s + *at;
  const char* nl = memchr(b, '\n', n - *at);
  size_t len = nl ? (size_t)(nl - b) : n - *at;
  *at += len + (nl != NULL);
  *l = b;
  *ln = len && b[len - 1] == '\r' ? len - 1 : len;
  return true;
}

/* Field k of a line of truce's own CSV (no quoting) into f[*fn]. */
static bool csv_field(const char* l, size_t n, size_t k, const char** f,
                      size_t* fn) {
  size_t i = 0;
  for (; k && i < n; i++)
    if (l[i] == ',') k--;
  if (k) return false;
  const char* c = memchr(l + i, ',', n - i);
  *f = l + i;
  *fn = c ? (size_t)(c - (l + i)) : n - i;
  return true;
}

static bool field_num(const char* f, size_t fn, double* v) {
  char buf[64];
  if (!fn || fn >= sizeof buf) return false;
  memcpy(buf, f, fn);
  buf[fn] = '\0';
  return truce__parse_number(buf, v) == 0;
}

/* The index of the header's column `name`, or -1. */
static int csv_col(const char* l, size_t n, const char* name) {
  const char* f;
  size_t fn;
  for (size_t k = 0; csv_field(l, n, k, &f, &fn); k++)
    if (fn == strlen(name) && !memcmp(f, name, fn)) return (int)k;
  return -1;
}

/* daily.csv as one JSON string: the header and the rows of every step-th
 * day and of the last, step the smallest that keeps REPORT_POINTS days or
 * fewer. Rows are copied as written. */
static int put_daily(FILE* f, const char* s, size_t n) {
  size_t at = 0, ln;
  const char *l, *fv;
  size_t fn;
  if (!line_at(s, n, &at, &l, &ln)) return fputs("\"\"", f) == EOF ? -1 : 0;
  int dc = csv_col(l, ln, "day");
  double last = 0, d;
  for (size_t a = at; dc >= 0 && line_at(s, n, &a, &l, &ln);)
    if (csv_field(l, ln, (size_t)dc, &fv, &fn) && field_num(fv, fn, &d) &&
        d > last)
      last = d;
  double step = floor(last / REPORT_POINTS) + 1; /* doubles: any day value */
  if (fputc('"', f) == EOF || json_body(f, s, at, true)) return -1;
  for (size_t a = at, b = at; line_at(s, n, &a, &l, &ln); b = a) {
    bool keep = dc < 0 || !csv_field(l, ln, (size_t)dc, &fv, &fn) ||
                !field_num(fv, fn, &d) || d == last || fmod(d, step) == 0;
    if (keep && json_body(f, s + b, a - b, true)) return -1;
  }
  return fputc('"', f) == EOF ? -1 : 0;
}

typedef struct {
  int col;
  const char* id; /* the column's "ID." prefix */
  size_t id_len;
  unsigned long counts[REPORT_BINS], never;
} hist_col;

/* runs.csv's HIST outcomes as {NAME: {"width": W, "runs": N, "by": {ID:
 * {"counts": [...], "never": K}}}}: bin i holds the runs with a value in
 * [i W, (i + 1) W), W the smallest whole number of days that puts the
 * largest value in the last bin or before. */
static int put_hist(FILE* f, const char* s, size_t n) {
  int e = fputc('{', f) == EOF;
  size_t at = 0, ln;
  const char *l, *hl = NULL, *fv;
  size_t fn, hn = 0;
  if (s && line_at(s, n, &at, &hl, &hn)) {
    for (size_t h = 0; h < NHIST; h++) {
      hist_col c[REPORT_HCOLS];
      size_t nc = 0, sl = strlen(HIST[h]);
      for (size_t k = 0; nc < REPORT_HCOLS && csv_field(hl, hn, k, &fv, &fn);
           k++)
        if (fn > sl + 1 && fv[fn - sl - 1] == '.' &&
            !memcmp(fv + fn - sl, HIST[h], sl))
          c[nc++] = (hist_col){(int)k, fv, fn - sl - 1, {0}, 0};
      double hi = 0, v;
      unsigned long runs = 0;
      for (size_t a = at; line_at(s, n, &a, &l, &ln);)
        for (size_t j = 0; j < nc && ln; j++)
          if (csv_field(l, ln, (size_t)c[j].col, &fv, &fn) &&
              field_num(fv, fn, &v) && v > hi)
            hi = v;
      double width = ceil((hi + 1) / REPORT_BINS);
      for (size_t a = at; line_at(s, n, &a, &l, &ln);) {
        runs += ln > 0;
        for (size_t j = 0; j < nc && ln; j++) {
          if (!csv_field(l, ln, (size_t)c[j].col, &fv, &fn) ||
              !field_num(fv, fn, &v) || v < 0) {
            c[j].never++;
            continue;
          }
          size_t b = (size_t)(v / width);
          c[j].counts[b < REPORT_BINS ? b : REPORT_BINS - 1]++;
        }
      }
      e |= fprintf(f, "%s\"%s\": {\"width\": %.0f, \"runs\": %lu, \"by\": {",
                   h ? ", " : "", HIST[h], width, runs) < 0;
      for (size_t j = 0; j < nc; j++) {
        e |= (j && fputs(", ", f) == EOF) ||
             truce__web_json(f, c[j].id, c[j].id_len, true) ||
             fputs(": {\"counts\": [", f) == EOF;
        for (size_t b = 0; b < REPORT_BINS; b++)
          e |= fprintf(f, "%s%lu", b ? ", " : "", c[j].counts[b]) < 0;
        e |= fprintf(f, "], \"never\": %lu}", c[j].never) < 0;
      }
      e |= fputs("}}", f) == EOF;
    }
  }
  return e || fputc('}', f) == EOF ? -1 : 0;
}

/* The units of the daily series, from the ensemble's tables. */
static int put_units(FILE* f) {
  int e = fputc('{', f) == EOF;
  size_t n = truce_series_count(), nb = truce_backer_series_count();
  for (size_t k = 0; k < n + nb; k++) {
    const char* name =
        k < n ? truce_series(k)->name : truce_backer_series(k - n)->name;
    const char* unit =
        k < n ? truce_series(k)->unit : truce_backer_series(k - n)->unit;
    e |= fprintf(f, "%s\"%s\": \"%s\"", k ? ", " : "", name, unit) < 0;
  }
  return e || fputc('}', f) == EOF ? -1 : 0;
}

/* The files truce report reads from DIR, and the page element each
 * becomes (summary.json is required; the others optional). */
enum { F_SUMMARY, F_DAILY, F_RUNS, F_EXPLORE, F_HINDCAST, NFILES };
static const struct {
  const char* file;
  const char* what;
} FILES[NFILES] = {
    {"summary.json", "summary.json written by truce run"},
    {"daily.csv", "daily.csv written by truce run"},
    {"runs.csv", "runs.csv written by truce run"},
    {"explore.json", "explore.json written by truce explore"},
    {"hindcast.json", "hindcast.json written by truce hindcast --json"},
};

static int read_outputs(truce_ctx* ctx, const char* dir, char** data,
                        size_t* dlen) {
  char path[1200];
  int rc = 0;
  for (int i = 0; i < NFILES && !rc; i++) {
    snprintf(path, sizeof path, "%s/%s", dir, FILES[i].file);
    if (i >= F_RUNS && access(path, R_OK) != 0) continue; /* optional */
    rc = truce__read_file(ctx, path, "the outputs of truce run", &data[i],
                          &dlen[i]);
    if (!rc && (i == F_SUMMARY || i >= F_EXPLORE))
      rc = check_json(ctx, path, data[i], dlen[i], FILES[i].what,
                      i == F_SUMMARY);
    if (!rc && (i == F_DAILY || i == F_RUNS)) { /* on a copy: next_line cuts */
      char* copy = truce__strndup(ctx, data[i], dlen[i]);
      rc = copy ? check_csv(ctx, path, copy) : TRUCE_ENOMEM;
      truce__free(ctx, copy, dlen[i] + 1);
    }
  }
  return rc;
}

static const char BODY[] =
    "</head>\n<body>\n<header><h1 id=\"title\"></h1><p id=\"subtitle\">"
    "</p><nav id=\"nav\"></nav></header>\n<main id=\"main\">\n"
    "<div id=\"warnings\"></div>\n"
    "<section id=\"summary-section\"><h2>Summary</h2><div id=\"summary\">"
    "</div><div class=\"headline\" id=\"headline\"></div></section>\n"
    "<section id=\"war-section\"><h2>The war over time</h2><p "
    "class=\"note\" id=\"bands-note\"></p><div class=\"charts\" "
    "id=\"charts\"></div></section>\n"
    "<section id=\"talks-section\" hidden><h2>Talks and agreement</h2>"
    "<div class=\"charts\" id=\"talks\"></div></section>\n"
    "<div id=\"exploration\"></div>\n"
    "<section id=\"glossary-section\"><h2>Glossary and method notes</h2>"
    "<dl id=\"glossary\"></dl><div id=\"methods\"></div></section>\n"
    "<section id=\"assumptions-section\"><h2>Assumptions register</h2><p "
    "class=\"note\">Every number of the scenario with its value or range, "
    "unit, source, claimant and date.</p><div class=\"scroll\" "
    "id=\"assumptions\"></div></section>\n"
    "<section id=\"meta-section\"><h2>This run</h2><div id=\"meta\"></div>"
    "</section>\n</main>\n";

int truce_report_write(truce_ctx* ctx, const char* dir, const char* out) {
  TRUCE_CHECK_ARGS(ctx, dir && out);
  char* js = NULL;
  size_t js_len = 0;
  char* data[NFILES] = {NULL};
  size_t dlen[NFILES] = {0};
  char* xjs = NULL; /* web/explore.js, with an explore.json beside */
  size_t xjs_len = 0;
  int rc = truce__web_asset(ctx, "report.js", &js, &js_len);
  if (!rc) rc = read_outputs(ctx, dir, data, dlen);
  if (!rc && data[F_EXPLORE])
    rc = truce__web_asset(ctx, "explore.js", &xjs, &xjs_len);
  char tmp[1300];
  FILE* f = NULL;
  if (!rc && !(f = truce__tmp_open(ctx, out, tmp, sizeof tmp))) rc = TRUCE_EIO;
  if (!rc && !(rc = truce__web_head(ctx, f, "truce report", out))) {
    int e = fputs(BODY, f) == EOF;
    /* JSON as it is, CSV as a JSON string, the rest built here: either
     * way no '<' reaches the page, so no "</script", "<!--" or "<script" */
    static const char* const open = "<script type=\"application/json\" id=";
    e |= fprintf(f, "%s\"truce-summary\">", open) < 0 ||
         truce__web_json(f, data[F_SUMMARY], dlen[F_SUMMARY], false);
    e |= fprintf(f, "</script>\n%s\"truce-daily\">", open) < 0 ||
         put_daily(f, data[F_DAILY] ? data[F_DAILY] : "", dlen[F_DAILY]);
    e |= fprintf(f, "</script>\n%s\"truce-hist\">", open) < 0 ||
         put_hist(f, data[F_RUNS], dlen[F_RUNS]);
    e |= fprintf(f, "</script>\n%s\"truce-units\">", open) < 0 || put_units(f);
    e |= fputs("</script>\n", f) == EOF;
    static const char* const opt[] = {
        [F_EXPLORE] = "truce-explore", [F_HINDCAST] = "truce-hindcast"};
    for (int i = F_EXPLORE; i < NFILES; i++)
      if (data[i])
        e |= fprintf(f, "%s\"%s\">", open, opt[i]) < 0 ||
             truce__web_json(f, data[i], dlen[i], false) ||
             fputs("</script>\n", f) == EOF;
    if (xjs) { /* defines window.truceExplore, used by report.js */
      e |= fputs("<script>\n", f) == EOF;
      e |= put_code(f, xjs, xjs_len);
      e |= fputs("\n</script>\n", f) == EOF;
    }
    e |= fputs("<script>\n", f) == EOF;
    e |= put_code(f, js, js_len);
    e |= fputs("\n</script>\n</body>\n</html>\n", f) == EOF;
    rc = truce__tmp_commit(ctx, f, tmp, out, !e);
  } else if (f) {
    truce__tmp_abandon(f, tmp);
  }
  truce__free(ctx, js, js_len + 1);
  truce__free(ctx, xjs, xjs_len + 1);
  for (int i = 0; i < NFILES; i++) truce__free(ctx, data[i], dlen[i] + 1);
  return rc;
}
