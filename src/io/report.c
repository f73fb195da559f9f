/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The HTML report: one self-contained file (no network needed) holding the
 * run's own outputs (summary.json, daily.csv, runs.csv) and the Vega,
 * Vega-Lite and Vega-Embed libraries (npm), with web/report.js drawing the
 * charts in the browser. The C side only inlines files, so the report
 * shows exactly what the outputs say. Written to a temporary file and
 * renamed.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "../core/yaml.h"
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

int truce__web_json(FILE* f, const char* s, size_t n, bool as_string) {
  if (as_string && fputc('"', f) == EOF) return -1;
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
 * a "sides" mapping, and the CSVs with every row as wide as the header
 * (the page's script would otherwise fail in the reader's browser). */
static int check_json(truce_ctx* ctx, const char* path, const char* text,
                      size_t len) {
  mark at;
  char msg[256];
  struct fy_document* doc = truce__json_parse(text, len, &at, msg, sizeof msg);
  if (!doc)
    return TRUCE_FAIL_AT(ctx, TRUCE_EPARSE, path, at.line > 0 ? at.line : 1,
                         at.col > 0 ? at.col : 1,
                         "malformed JSON: "
                         "%s; expected the summary.json written by truce run",
                         msg);
  struct fy_node* root = fy_document_root(doc);
  mark km = {1, 1};
  struct fy_node* sides = root && fy_node_is_mapping(root)
                              ? truce__yaml_lookup(root, "sides", &km)
                              : NULL;
  int rc = 0;
  if (!sides || !fy_node_is_mapping(sides))
    rc = TRUCE_FAIL_AT(ctx, TRUCE_EPARSE, path, 1, 1,
                       "no 'sides' object; "
                       "expected the summary.json written by truce run");
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

int truce_report_write(truce_ctx* ctx, const char* dir, const char* out) {
  TRUCE_CHECK_ARGS(ctx, dir && out);
  char path[1200];
  char* js = NULL;
  size_t js_len = 0;
  /* explore.json (truce explore into the same DIR) is optional: with it
   * the page also holds the exploration's charts (web/explore.js). */
  static const char* const data_files[] = {"summary.json", "daily.csv",
                                           "runs.csv", "explore.json"};
  char* data[4] = {NULL, NULL, NULL, NULL};
  size_t dlen[4] = {0, 0, 0, 0};
  char* xjs = NULL;
  size_t xjs_len = 0;
  int rc = truce__web_asset(ctx, "report.js", &js, &js_len);
  for (int i = 0; i < 4 && !rc; i++) {
    snprintf(path, sizeof path, "%s/%s", dir, data_files[i]);
    if (i >= 2 && access(path, R_OK) != 0) continue; /* optional */
    rc = truce__read_file(ctx, path, "the outputs of truce run", &data[i],
                          &dlen[i]);
    if (!rc && i == 0) rc = check_json(ctx, path, data[i], dlen[i]);
    if (!rc && i == 3) {
      mark at;
      char msg[256];
      struct fy_document* doc =
          truce__json_parse(data[i], dlen[i], &at, msg, sizeof msg);
      if (!doc)
        rc = TRUCE_FAIL_AT(ctx, TRUCE_EPARSE, path, at.line > 0 ? at.line : 1,
                           at.col > 0 ? at.col : 1,
                           "malformed "
                           "JSON: %s; expected the explore.json written by "
                           "truce explore",
                           msg);
      if (doc) fy_document_destroy(doc);
      if (!rc) rc = truce__web_asset(ctx, "explore.js", &xjs, &xjs_len);
    }
    if (!rc && (i == 1 || i == 2)) { /* checked on a copy: next_line cuts */
      char* copy = truce__strndup(ctx, data[i], dlen[i]);
      rc = copy ? check_csv(ctx, path, copy) : TRUCE_ENOMEM;
      truce__free(ctx, copy, dlen[i] + 1);
    }
  }
  char tmp[1300];
  FILE* f = NULL;
  if (!rc && !(f = truce__tmp_open(ctx, out, tmp, sizeof tmp))) rc = TRUCE_EIO;
  if (!rc && !(rc = truce__web_head(ctx, f, "truce report", out))) {
    int e = 0;
    e |=
        fputs(
            "</head>\n<body>\n<header><h1 id=\"title\"></h1><p id=\"subtitle\">"
            "</p></header>\n<main>\n"
            "<section><h2>Headline</h2><div class=\"headline\" "
            "id=\"headline\"></div></section>\n"
            "<section><h2>The war, run by run</h2><p class=\"note\">Bands: "
            "5-95% and 25-75% of runs; line: median. Each chart's menu "
            "exports SVG and PNG.</p><div class=\"charts\" id=\"charts\">"
            "</div></section>\n"
            "<section><h2>Assumptions register</h2><p class=\"note\">Every "
            "number of the scenario with its value or range, unit, source, "
            "claimant and date.</p><div class=\"scroll\" "
            "id=\"assumptions\"></div></section>\n"
            "<div id=\"exploration\"></div>\n"
            "<section><h2>This run</h2><div id=\"meta\"></div></section>\n"
            "</main>\n",
            f) == EOF;
    static const char* const ids[] = {"truce-summary", "truce-daily",
                                      "truce-runs", "truce-explore"};
    /* the JSON files as they are, the CSVs as JSON strings: either way
     * no '<' reaches the page, so no "</script", "<!--" or "<script" */
    for (int i = 0; i < 4; i++) {
      if (i == 3 && !data[i]) continue;
      bool csv = i == 1 || i == 2;
      e |= fprintf(f, "<script type=\"application/json\" id=\"%s\">", ids[i]) <
           0;
      if (data[i])
        e |= truce__web_json(f, data[i], dlen[i], csv);
      else
        e |= fputs("\"\"", f) == EOF;
      e |= fputs("</script>\n", f) == EOF;
    }
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
  for (int i = 0; i < 4; i++) truce__free(ctx, data[i], dlen[i] + 1);
  return rc;
}
