/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Fuzz target: the report's inputs. The input is summary.json, daily.csv
 * and runs.csv separated by lines "--8<--" (the newline before it ends
 * the file before); truce_report_write reads them
 * and writes report.html, with stand-in web assets (the C side only
 * inlines them). Oracle: a page that was written has exactly the
 * <script> elements truce writes and no "<!--", whatever the data held,
 * else the target aborts (an escaping bug).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

static void put(const char* dir, const char* rel, const char* text) {
  char p[1200];
  snprintf(p, sizeof p, "%s/%s", dir, rel);
  for (char* s = p + strlen(dir) + 1; (s = strchr(s, '/')); s++) {
    *s = '\0';
    mkdir(p, 0777);
    *s = '/';
  }
  FILE* f = fopen(p, "w");
  if (!f || fputs(text, f) == EOF || fclose(f)) abort();
}

static size_t count(const char* s, size_t n, const char* what) {
  size_t k = 0, w = strlen(what);
  for (size_t i = 0; i + w <= n; i++) k += !memcmp(s + i, what, w);
  return k;
}

int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static char web[1100], out[1100];
  if (!web[0]) {
    snprintf(web, sizeof web, "%s/web", fuzz_dir());
    mkdir(web, 0777);
    put(web, "report.css", "body{}");
    put(web, "report.js", "window.__truceReady=true;");
    put(web, "node_modules/vega/build/vega.min.js", "var vega;");
    put(web, "node_modules/vega-lite/build/vega-lite.min.js", "var vl;");
    put(web, "node_modules/vega-embed/build/vega-embed.min.js", "var ve;");
    setenv("TRUCE_WEB_DIR", web, 1);
    snprintf(out, sizeof out, "%s/report.html", fuzz_dir());
  }
  static const char* const names[] = {"summary.json", "daily.csv", "runs.csv"};
  const char* s = (const char*)data;
  size_t at = 0;
  for (int i = 0; i < 3; i++) {
    const void* cut = NULL;
    for (size_t j = at; i < 2 && j + 8 <= size; j++)
      if (!memcmp(s + j, "\n--8<--\n", 8)) {
        cut = s + j;
        break;
      }
    size_t end = cut ? (size_t)((const char*)cut - s) : size;
    fuzz_file(i, names[i], s + at, end - at);
    at = cut ? end + 8 : size;
  }
  remove(out);
  truce_ctx* ctx = fuzz_ctx();
  if (!truce_report_write(ctx, fuzz_dir(), out)) {
    FILE* f = fopen(out, "rb");
    if (!f) abort();
    static char page[1 << 22];
    size_t n = fread(page, 1, sizeof page, f);
    fclose(f);
    if (n == sizeof page) n = 0; /* too long to check here (not fuzzed) */
    /* css in <style>, 3 libraries, 4 data blocks (summary, daily,
     * histograms, units), report.js */
    if (n && (count(page, n, "<script") != 8 ||
              count(page, n, "</script") != 8 || count(page, n, "<!--"))) {
      fprintf(stderr, "fuzz_report: data escaped its <script> element\n");
      abort();
    }
  }
  truce_ctx_free(ctx);
  return 0;
}
