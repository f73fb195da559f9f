/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * truce serve: a what-if server on libmicrohttpd (docs/serve.md). It
 * serves one page (web/serve.html and serve.js, which redraws the
 * report's charts with web/report.js) and three calls:
 *   GET  /api/scenario         the sliders: levers and uncertain numbers
 *   POST /api/run?runs=N       body "PATH=VALUE" lines: the ensemble's
 *                              summary.json, daily bands and exhaustion days
 *   POST /api/save?claimant=X  the scenario's YAML with those values
 *                              spliced in, their provenance "truce serve
 *                              what-if", X and today (a download)
 * Everything it serves is read at start (the scenario's text and the web
 * assets); afterwards it opens no file. Bounds: a request body of at most
 * max_body bytes (413), max_connections connections (503), a token bucket of
 * computations (429 with Retry-After), one computation at a time; a newer
 * change cancels the running or waiting one (which gets 409). With a
 * loopback address a request must name a loopback Host (against DNS
 * rebinding: 403).
 */
#include <arpa/inet.h>
#include <math.h>
#include <microhttpd.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "truce_int.h"

/* The page's files, read at start; url "/" is serve.html. */
static const struct {
  const char* url;
  const char* rel;
  const char* type;
} asset_table[] = {
    {"/", "serve.html", "text/html; charset=utf-8"},
    {"/serve.js", "serve.js", "text/javascript; charset=utf-8"},
    {"/report.js", "report.js", "text/javascript; charset=utf-8"},
    {"/report.css", "report.css", "text/css; charset=utf-8"},
    {"/vega.min.js", "node_modules/vega/build/vega.min.js",
     "text/javascript; charset=utf-8"},
    {"/vega-lite.min.js", "node_modules/vega-lite/build/vega-lite.min.js",
     "text/javascript; charset=utf-8"},
    {"/vega-embed.min.js", "node_modules/vega-embed/build/vega-embed.min.js",
     "text/javascript; charset=utf-8"},
};
#define N_ASSETS (sizeof asset_table / sizeof asset_table[0])

typedef struct {
  double tokens, rate, burst;
  double last; /* seconds, monotonic */
} bucket;

struct truce_server {
  truce_ctx* ctx;
  const truce_scenario* sc;
  truce_serve_opts o;
  char addr[64];
  int port;
  char* text; /* the scenario file's bytes */
  size_t text_len;
  char* asset[N_ASSETS];
  size_t asset_len[N_ASSETS];
  char* scenario_json; /* GET /api/scenario, built at start (malloc) */
  size_t scenario_json_len;
  struct MHD_Daemon* d;
  pthread_mutex_t mu;
  pthread_cond_t cv;
  bool busy;               /* a computation holds the slot */
  _Atomic uint64_t latest; /* the newest computation's number */
  _Atomic int stopping;    /* cancels everything */
  _Atomic unsigned open;   /* connections now open */
  bucket compute, any;     /* under mu */
};

/* ------------------------------------------------------------ helpers */

static double now_s(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static bool take_token(truce_server* s, bucket* b) {
  pthread_mutex_lock(&s->mu);
  double t = now_s();
  b->tokens = fmin(b->burst, b->tokens + (t - b->last) * b->rate);
  b->last = t;
  bool ok = b->tokens >= 1;
  if (ok) b->tokens -= 1;
  pthread_mutex_unlock(&s->mu);
  return ok;
}

int truce_serve_is_loopback(const char* a) {
  unsigned char buf[16];
  if (inet_pton(AF_INET, a, buf) == 1) return buf[0] == 127;
  if (inet_pton(AF_INET6, a, buf) == 1) {
    static const unsigned char one[16] = {[15] = 1};
    return memcmp(buf, one, 16) == 0;
  }
  return 0;
}

/* A growing text (malloc'd: libmicrohttpd frees it with free()). */
typedef struct {
  FILE* f;
  char* buf;
  size_t len;
} mem;

static int mem_open(mem* m) {
  m->buf = NULL;
  m->len = 0;
  m->f = open_memstream(&m->buf, &m->len);
  return m->f ? 0 : TRUCE_ENOMEM;
}

static int mem_close(mem* m, bool ok) {
  int e = ferror(m->f) | fclose(m->f);
  if (e || !ok) {
    free(m->buf);
    m->buf = NULL;
    return TRUCE_ENOMEM;
  }
  return 0;
}

/* s (scenario or user text) as a JSON string: truce__web_json escapes
 * quotes, controls and '<', '>', '&', so it stays text in any page. */
static void jstr(FILE* f, const char* s) {
  if (!s)
    fputs("null", f);
  else
    truce__web_json(f, s, strlen(s), true);
}

static void jnum(FILE* f, double v) {
  if (isfinite(v))
    fprintf(f, "%.12g", v);
  else
    fputs("null", f);
}

static enum MHD_Result reply(struct MHD_Connection* c, unsigned status,
                             const char* type, char* body, size_t len,
                             bool owned) {
  struct MHD_Response* r = MHD_create_response_from_buffer(
      len, body, owned ? MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_PERSISTENT);
  if (!r) {
    if (owned) free(body);
    return MHD_NO;
  }
  MHD_add_response_header(r, "Content-Type", type);
  MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
  MHD_add_response_header(r, "Cache-Control", "no-store");
  MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
  if (!strncmp(type, "text/html", 9))
    MHD_add_response_header(
        r, "Content-Security-Policy",
        "default-src 'self'; script-src 'self' 'unsafe-eval'; style-src "
        "'self' 'unsafe-inline'; img-src 'self' data: blob:; "
        "frame-ancestors 'none'");
  if (status == MHD_HTTP_TOO_MANY_REQUESTS)
    MHD_add_response_header(r, "Retry-After", "1");
  enum MHD_Result ret = MHD_queue_response(c, status, r);
  MHD_destroy_response(r);
  return ret;
}

/* {"error": MESSAGE} with an HTTP status. */
static enum MHD_Result fail(struct MHD_Connection* c, unsigned status,
                            const char* msg) {
  mem m;
  if (mem_open(&m)) return MHD_NO;
  fputs("{\"error\": ", m.f);
  jstr(m.f, msg);
  fputs("}\n", m.f);
  if (mem_close(&m, true)) return MHD_NO;
  return reply(c, status, "application/json", m.buf, m.len, true);
}

/* ------------------------------------------------ the scenario's sliders */

/* One slider: a lever (a backer's budget or will) or an uncertain number,
 * with the range the page offers. */
static void slider_json(FILE* f, const truce_param* p, const char* kind,
                        double lo, double hi) {
  const truce_provenance* pv = p->provenance;
  fputs("{\"path\": ", f);
  jstr(f, p->path);
  fprintf(f, ", \"kind\": \"%s\", \"value\": ", kind);
  jnum(f, p->value);
  fputs(", \"lo\": ", f);
  jnum(f, lo);
  fputs(", \"hi\": ", f);
  jnum(f, hi);
  fprintf(f, ", \"integer\": %s, \"width\": ", p->integer ? "true" : "false");
  jnum(f, p->dist_width);
  fputs(", \"distribution\": ", f);
  jstr(f, p->distribution);
  fputs(", \"unit\": ", f);
  jstr(f, pv ? pv->unit : NULL);
  fputs(", \"source\": ", f);
  jstr(f, pv ? pv->source : NULL);
  fputs(", \"claimant\": ", f);
  jstr(f, pv ? pv->claimant : NULL);
  fputs(", \"date\": ", f);
  jstr(f, pv ? pv->date : NULL);
  fputs("}", f);
}

/* A lever: a backer's budget_scale, will.initial or will.mean. */
static bool is_lever(const char* path) {
  if (strncmp(path, "backers.", 8)) return false;
  const char* d = strchr(path + 8, '.');
  return d && (!strcmp(d, ".budget_scale") || !strcmp(d, ".will.initial") ||
               !strcmp(d, ".will.mean"));
}

static int by_width(const void* a, const void* b) {
  const truce_param *x = *(const truce_param*const*)a,
                    *y = *(const truce_param*const*)b;
  return x->dist_width < y->dist_width   ? 1
         : x->dist_width > y->dist_width ? -1
                                         : 0;
}

/* The default sliders: every lever, then the six uncertain numbers with
 * the widest ranges relative to their median. */
#define N_DEFAULT_UNCERTAIN 6

static int build_scenario_json(truce_server* s) {
  truce_param* p;
  size_t n;
  int rc = truce_scenario_params(s->ctx, s->sc, &p, &n);
  if (rc) return rc;
  const truce_param** unc = calloc(n ? n : 1, sizeof *unc);
  mem m;
  if (!unc || mem_open(&m)) {
    free(unc);
    truce_scenario_params_free(s->ctx, p, n);
    return TRUCE_ENOMEM;
  }
  FILE* f = m.f;
  const truce_scenario* sc = s->sc;
  fputs("{\"name\": ", f);
  jstr(f, truce_scenario_name(sc));
  fputs(", \"start\": ", f);
  jstr(f, truce_scenario_start(sc));
  fprintf(f, ", \"days\": %d, \"runs\": %llu, \"first_runs\": %llu",
          truce_scenario_horizon_days(sc), (unsigned long long)s->o.runs,
          (unsigned long long)s->o.first_runs);
  fputs(", \"sides\": [", f);
  for (size_t i = 0; i < 2; i++) {
    fputs(i ? ", " : "", f);
    jstr(f, truce_scenario_side_id(sc, i));
  }
  fputs("], \"sliders\": [", f);
  size_t k = 0, nu = 0;
  for (size_t i = 0; i < n; i++) {
    const truce_param* q = &p[i];
    if (q->label) continue; /* enums are no sliders */
    if (is_lever(q->path)) {
      double hi = q->distribution ? q->dist_hi : q->value;
      if (!strcmp(strrchr(q->path, '.'), ".budget_scale"))
        hi = fmax(2, 2 * q->value);
      else
        hi = fmin(q->hi, fmax(hi, 1));
      fputs(k++ ? ",\n" : "\n", f);
      slider_json(f, q, "lever", q->lo, hi);
    } else if (q->distribution) {
      unc[nu++] = q;
    }
  }
  for (size_t i = 0; i < nu; i++) {
    fputs(k++ ? ",\n" : "\n", f);
    slider_json(f, unc[i], "uncertain", unc[i]->dist_lo, unc[i]->dist_hi);
  }
  qsort(unc, nu, sizeof *unc, by_width);
  fputs("],\n\"default\": [", f);
  k = 0;
  for (size_t i = 0; i < n; i++)
    if (!p[i].label && is_lever(p[i].path) &&
        !strstr(p[i].path, ".will.initial")) {
      fputs(k++ ? ", " : "", f);
      jstr(f, p[i].path);
    }
  for (size_t i = 0; i < nu && i < N_DEFAULT_UNCERTAIN; i++) {
    if (is_lever(unc[i]->path)) continue;
    fputs(k++ ? ", " : "", f);
    jstr(f, unc[i]->path);
  }
  fputs("]}\n", f);
  free(unc);
  truce_scenario_params_free(s->ctx, p, n);
  rc = mem_close(&m, true);
  s->scenario_json = m.buf;
  s->scenario_json_len = m.len;
  return rc;
}

/* ------------------------------------------------------------ what-ifs */

/* A fresh copy of the served scenario (its text, its overrides from the
 * command line and stakeholder links) with the body's "PATH=VALUE" lines
 * applied; 400's message in ctx on a bad line. */
static int what_if(truce_server* s, truce_ctx* ctx, char* body,
                   truce_scenario** out) {
  truce_scenario* sc;
  int rc = truce_scenario_load_string(ctx, truce_scenario_file(s->sc), s->text,
                                      s->text_len, &sc);
  if (rc) return rc;
  for (size_t i = 0; i < truce_scenario_override_count(s->sc) && !rc; i++) {
    const char* a = truce_scenario_override(s->sc, i);
    if (strncmp(a, "--", 2)) rc = truce_scenario_set(ctx, sc, a);
  }
  char* at = body;
  int line = 0;
  for (char* l; !rc && (l = truce__next_line(&at, &line));) {
    if (!*l) continue;
    rc = truce_scenario_set_from(ctx, sc, l, "truce serve what-if");
    if (rc) {
      char msg[600];
      snprintf(msg, sizeof msg, "%s", truce_ctx_message(ctx));
      TRUCE_FAIL(ctx, rc, "line %d: %s", line, msg);
    }
  }
  if (rc) {
    truce_scenario_free(sc);
    return rc;
  }
  *out = sc;
  return 0;
}

typedef struct {
  truce_server* s;
  uint64_t gen;
} ticket;

static int superseded(void* user) {
  const ticket* t = user;
  return atomic_load(&t->s->latest) != t->gen || atomic_load(&t->s->stopping);
}

/* Wait for the computation slot; false when a newer change came first. */
static bool acquire(truce_server* s, const ticket* t) {
  pthread_mutex_lock(&s->mu);
  while (s->busy && !superseded((void*)t)) pthread_cond_wait(&s->cv, &s->mu);
  bool ok = !superseded((void*)t);
  if (ok) s->busy = true;
  pthread_mutex_unlock(&s->mu);
  return ok;
}

static void release(truce_server* s) {
  pthread_mutex_lock(&s->mu);
  s->busy = false;
  pthread_cond_broadcast(&s->cv);
  pthread_mutex_unlock(&s->mu);
}

/* daily.csv's bands (truce run's layout) on at most ~120 days: what
 * report.js draws (the page reads no per-run data). */
static void write_daily(FILE* f, const truce_scenario* sc,
                        const truce_ensemble* e) {
  mem d;
  if (mem_open(&d)) return;
  int days = truce_ensemble_days(e);
  truce__bands_csv(d.f, sc, e, days > 120 ? (days + 119) / 120 : 1, NULL);
  bool ok = !mem_close(&d, true);
  fputs(", \"daily\": ", f);
  if (ok) truce__web_json(f, d.buf, d.len, true);
  free(d.buf);
  if (!ok) fputs("\"\"", f);
}

static enum MHD_Result api_run(truce_server* s, struct MHD_Connection* c,
                               char* body) {
  const char* rs =
      MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "runs");
  uint64_t runs = s->o.runs;
  if (rs) {
    char* end;
    unsigned long long v = strtoull(rs, &end, 10);
    if (*end || v < 1 || v > s->o.runs) {
      char msg[160];
      snprintf(msg, sizeof msg, "runs must be a whole number from 1 to %llu",
               (unsigned long long)s->o.runs);
      return fail(c, MHD_HTTP_BAD_REQUEST, msg);
    }
    runs = v;
  }
  ticket t = {s, atomic_fetch_add(&s->latest, 1) + 1};
  pthread_mutex_lock(&s->mu); /* wake the waiting one: it is superseded */
  pthread_cond_broadcast(&s->cv);
  pthread_mutex_unlock(&s->mu);
  truce_ctx* ctx;
  if (truce_ctx_new(&ctx, NULL, NULL)) return MHD_NO;
  truce_scenario* sc = NULL;
  if (what_if(s, ctx, body, &sc)) {
    enum MHD_Result r = fail(c, MHD_HTTP_BAD_REQUEST, truce_ctx_message(ctx));
    truce_ctx_free(ctx);
    return r;
  }
  if (!acquire(s, &t)) {
    truce_scenario_free(sc);
    truce_ctx_free(ctx);
    return fail(c, MHD_HTTP_CONFLICT, "superseded by a newer change");
  }
  double t0 = now_s();
  truce_ensemble_hook hook;
  bool nego = truce_scenario_has_negotiation(sc);
  int rc = nego ? truce_bargain_hook(ctx, sc, &hook) : 0;
  truce_ensemble_opts eo = {.runs = runs,
                            .threads = s->o.threads,
                            .hook = nego ? &hook : NULL,
                            .cancel = superseded,
                            .cancel_user = &t};
  truce_ensemble* e = NULL;
  if (!rc) rc = truce_ensemble_run(ctx, sc, &eo, &e);
  double t1 = now_s();
  char* sum = NULL;
  size_t sum_len = 0, sum_cap = 0;
  truce_run_meta meta = {
      truce_scenario_seed(sc),           runs, 0, "truce serve",
      e ? truce_ensemble_threads(e) : 0, 1};
  if (!rc)
    rc = truce__output_summary(ctx, sc, e, &meta, &sum, &sum_len, &sum_cap);
  mem m;
  if (!rc && mem_open(&m)) rc = TRUCE_ENOMEM;
  if (!rc) {
    fprintf(m.f, "{\"runs\": %llu, \"compute_ms\": %.1f, \"summary\": ",
            (unsigned long long)runs, 1e3 * (t1 - t0));
    truce__web_json(m.f, sum, sum_len, false);
    write_daily(m.f, sc, e);
    fputs("}\n", m.f);
    rc = mem_close(&m, true);
  }
  release(s);
  truce__free(ctx, sum, sum_cap);
  truce_ensemble_free(e);
  truce_scenario_free(sc);
  enum MHD_Result r;
  if (!rc)
    r = reply(c, MHD_HTTP_OK, "application/json", m.buf, m.len, true);
  else if (rc == TRUCE_ECANCELED)
    r = fail(c, MHD_HTTP_CONFLICT, "superseded by a newer change");
  else
    r = fail(c, MHD_HTTP_INTERNAL_SERVER_ERROR, truce_ctx_message(ctx));
  truce_ctx_free(ctx);
  return r;
}

/* A YAML double-quoted string of s: quotes, backslashes and controls
 * escaped, at most 200 bytes of s. */
static void yaml_quoted(FILE* f, const char* s) {
  fputc('"', f);
  for (size_t i = 0; s && s[i] && i < 200; i++) {
    unsigned char ch = (unsigned char)s[i];
    if (ch == '"' || ch == '\\')
      fprintf(f, "\\%c", ch);
    else if (ch < 0x20 || ch == 0x7f)
      fprintf(f, "\\x%02x", ch);
    else
      fputc(ch, f);
  }
  fputc('"', f);
}

/* The what-if scenario body_out (len bytes, malloc'd: the response frees
 * it) as a download named after the scenario's file, in safe characters. */
static enum MHD_Result send_yaml(truce_server* s, struct MHD_Connection* c,
                                 char* body_out, size_t len) {
  enum MHD_Result r = MHD_NO;
  struct MHD_Response* resp =
      MHD_create_response_from_buffer(len, body_out, MHD_RESPMEM_MUST_FREE);
  if (resp) {
    char disp[160], base[96];
    const char* file = truce_scenario_file(s->sc);
    const char* b = strrchr(file, '/');
    b = b ? b + 1 : file;
    size_t k = 0; /* a file name of safe characters only */
    for (; *b && *b != '.' && k < sizeof base - 1; b++)
      base[k++] = (strchr("-_", *b) || (*b >= 'a' && *b <= 'z') ||
                   (*b >= 'A' && *b <= 'Z') || (*b >= '0' && *b <= '9'))
                      ? *b
                      : '_';
    base[k] = '\0';
    snprintf(disp, sizeof disp, "attachment; filename=\"%s-what-if.yaml\"",
             base);
    MHD_add_response_header(resp, "Content-Type", "application/yaml");
    MHD_add_response_header(resp, "Content-Disposition", disp);
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "Cache-Control", "no-store");
    r = MHD_queue_response(c, MHD_HTTP_OK, resp);
    MHD_destroy_response(resp);
  }
  return r;
}

static enum MHD_Result api_save(truce_server* s, struct MHD_Connection* c,
                                char* body) {
  const char* who =
      MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "claimant");
  if (!who || !*who) who = "truce serve user";
  truce_ctx* ctx;
  if (truce_ctx_new(&ctx, NULL, NULL)) return MHD_NO;
  char* copy = strdup(body);
  truce_scenario* sc = NULL;
  enum MHD_Result r = MHD_NO;
  if (!copy) goto done;
  if (what_if(s, ctx, copy, &sc)) {
    r = fail(c, MHD_HTTP_BAD_REQUEST, truce_ctx_message(ctx));
    goto done;
  }
  char date[11];
  time_t tt = time(NULL);
  struct tm tm;
  gmtime_r(&tt, &tm);
  strftime(date, sizeof date, "%Y-%m-%d", &tm);
  /* each distinct path once (the last value wins), as a provenance record */
  size_t cap = 0;
  for (const char* q = body; *q; q++) cap += *q == '\n';
  cap++;
  char** paths = calloc(cap, sizeof *paths);
  char** vals = calloc(cap, sizeof *vals);
  size_t n = 0;
  int rc = paths && vals ? 0 : TRUCE_ENOMEM;
  char* at = body;
  int line = 0;
  for (char* l; !rc && (l = truce__next_line(&at, &line));) {
    char* eq = strchr(l, '=');
    if (!eq) continue;
    *eq = '\0';
    double v;
    if (!strcmp(l, "seed") || truce_scenario_get(ctx, sc, l, &v)) continue;
    size_t k = 0;
    while (k < n && strcmp(paths[k], l)) k++;
    const truce_provenance* pv = NULL;
    for (size_t i = 0; i < truce_scenario_provenance_count(s->sc); i++)
      if (!strcmp(truce_scenario_provenance(s->sc, i)->path, l))
        pv = truce_scenario_provenance(s->sc, i);
    mem m;
    if (mem_open(&m)) {
      rc = TRUCE_ENOMEM;
      break;
    }
    bool word = eq[1] && !(eq[1] >= '0' && eq[1] <= '9') && eq[1] != '-' &&
                eq[1] != '.'; /* an enum's name */
    if (word) {
      fputs(eq + 1, m.f);
    } else {
      fprintf(m.f, "{value: %.12g", v);
      if (pv && pv->unit) {
        fputs(", unit: ", m.f);
        yaml_quoted(m.f, pv->unit);
      }
      /* a forecast scenario takes no date after its as_of: the what-if
       * is dated then, the day it was saved kept in its source */
      const char* asof = truce_scenario_as_of(s->sc);
      fprintf(m.f,
              ", source: \"truce serve what-if (saved %s)\", claimant: ", date);
      yaml_quoted(m.f, who);
      fprintf(m.f, ", date: %s}", asof && strcmp(asof, date) < 0 ? asof : date);
    }
    if (mem_close(&m, true)) {
      rc = TRUCE_ENOMEM;
      break;
    }
    if (k == n) {
      paths[n] = l;
      vals[n++] = m.buf;
    } else {
      free(vals[k]);
      vals[k] = m.buf;
    }
  }
  char* out = NULL;
  size_t len = 0, ocap = 0;
  if (!rc)
    rc = truce__scenario_splice(
        ctx, s->sc, s->text, s->text_len, truce_scenario_file(s->sc), n,
        (const char* const*)paths, (const char* const*)vals, &out, &len, &ocap);
  for (size_t i = 0; i < n; i++) free(vals[i]);
  free(paths);
  free(vals);
  if (rc) {
    r = fail(c, MHD_HTTP_BAD_REQUEST, truce_ctx_message(ctx));
    goto done;
  }
  char* body_out = malloc(len ? len : 1);
  if (!body_out) {
    truce__free(ctx, out, ocap);
    goto done;
  }
  memcpy(body_out, out, len);
  truce__free(ctx, out, ocap);
  r = send_yaml(s, c, body_out, len);
done:
  free(copy);
  truce_scenario_free(sc);
  truce_ctx_free(ctx);
  return r;
}

/* ------------------------------------------------------------ routing */

typedef struct {
  char* body;
  size_t len, cap;
  bool too_big;
} request;

static bool loopback_host(const char* host) {
  if (!host) return true; /* HTTP/1.0 */
  static const char* const ok[] = {"127.0.0.1", "localhost", "[::1]"};
  for (size_t i = 0; i < 3; i++) {
    size_t l = strlen(ok[i]);
    if (!strncasecmp(host, ok[i], l) && (host[l] == '\0' || host[l] == ':'))
      return true;
  }
  return false;
}

static enum MHD_Result on_request(void* cls, struct MHD_Connection* c,
                                  const char* url, const char* method,
                                  const char* version, const char* upload,
                                  size_t* upload_size, void** con_cls) {
  (void)version;
  truce_server* s = cls;
  bool post = !strcmp(method, "POST");
  bool api = !strcmp(url, "/api/run") || !strcmp(url, "/api/save");
  request* rq = *con_cls;
  if (!rq) { /* the headers: answer now unless a body is to come */
    if (atomic_load(&s->open) > s->o.max_connections)
      return fail(c, MHD_HTTP_SERVICE_UNAVAILABLE, "too many connections");
    if (!take_token(s, &s->any))
      return fail(c, MHD_HTTP_TOO_MANY_REQUESTS, "too many requests");
    if (truce_serve_is_loopback(s->addr) &&
        !loopback_host(MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Host")))
      return fail(c, MHD_HTTP_FORBIDDEN, "Host is not a loopback name");
    if (!api) {
      if (strcmp(method, "GET") && strcmp(method, "HEAD"))
        return fail(c, MHD_HTTP_METHOD_NOT_ALLOWED, "only GET here");
      if (!strcmp(url, "/api/scenario"))
        return reply(c, MHD_HTTP_OK, "application/json", s->scenario_json,
                     s->scenario_json_len, false);
      for (size_t i = 0; i < N_ASSETS; i++)
        if (!strcmp(url, asset_table[i].url))
          return reply(c, MHD_HTTP_OK, asset_table[i].type, s->asset[i],
                       s->asset_len[i], false);
      return fail(c, MHD_HTTP_NOT_FOUND, "no such page");
    }
    if (!post) return fail(c, MHD_HTTP_METHOD_NOT_ALLOWED, "only POST here");
    const char* cl =
        MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
    if (cl && strtoull(cl, NULL, 10) > s->o.max_body)
      return fail(c, MHD_HTTP_CONTENT_TOO_LARGE, "request body too large");
    rq = calloc(1, sizeof *rq);
    if (!rq) return MHD_NO;
    *con_cls = rq;
    return MHD_YES;
  }
  if (*upload_size) { /* a piece of the body */
    if (rq->len + *upload_size > s->o.max_body) {
      rq->too_big = true; /* read on, keep nothing, answer at the end */
    } else if (!rq->too_big) {
      if (rq->len + *upload_size + 1 > rq->cap) {
        size_t nc = rq->len + *upload_size + 1;
        char* nb = realloc(rq->body, nc);
        if (!nb) return MHD_NO;
        rq->body = nb;
        rq->cap = nc;
      }
      memcpy(rq->body + rq->len, upload, *upload_size);
      rq->len += *upload_size;
    }
    *upload_size = 0;
    return MHD_YES;
  }
  if (rq->too_big)
    return fail(c, MHD_HTTP_CONTENT_TOO_LARGE, "request body too large");
  if (!take_token(s, &s->compute))
    return fail(c, MHD_HTTP_TOO_MANY_REQUESTS,
                "too many computations; try again in a second");
  char empty = '\0';
  char* body = rq->body ? rq->body : &empty;
  body[rq->len] = '\0';
  if (memchr(body, '\0', rq->len))
    return fail(c, MHD_HTTP_BAD_REQUEST, "a NUL byte in the body");
  return !strcmp(url, "/api/run") ? api_run(s, c, body) : api_save(s, c, body);
}

static void on_completed(void* cls, struct MHD_Connection* c, void** con_cls,
                         enum MHD_RequestTerminationCode toe) {
  (void)cls;
  (void)c;
  (void)toe;
  request* rq = *con_cls;
  if (!rq) return;
  free(rq->body);
  free(rq);
  *con_cls = NULL;
}

/* Connections are counted so that those past max_connections get a 503
 * (libmicrohttpd's own limit, twice as high, would reset them). */
static void on_connection(void* cls, struct MHD_Connection* c,
                          void** socket_ctx,
                          enum MHD_ConnectionNotificationCode toe) {
  (void)c;
  (void)socket_ctx;
  truce_server* s = cls;
  if (toe == MHD_CONNECTION_NOTIFY_STARTED)
    atomic_fetch_add(&s->open, 1);
  else
    atomic_fetch_sub(&s->open, 1);
}

/* ------------------------------------------------------ start and stop */

int truce_serve_start(truce_ctx* ctx, const truce_scenario* sc,
                      const truce_serve_opts* opts, truce_server** out) {
  TRUCE_CHECK_ARGS(ctx, sc && opts && out);
  *out = NULL;
  truce_serve_opts o = *opts;
  if (!o.bind) o.bind = "127.0.0.1";
  if (!o.runs) o.runs = 1000;
  if (!o.first_runs) o.first_runs = o.runs < 100 ? o.runs : 100;
  if (o.first_runs > o.runs) o.first_runs = o.runs;
  if (!o.max_body) o.max_body = 16384;
  if (!(o.rate > 0)) o.rate = 10;
  if (!o.max_connections) o.max_connections = 32;
  if (o.port < 0 || o.port > 65535)
    return TRUCE_FAIL(ctx, TRUCE_EINVAL,
                      "port %d; expected 0 (any free port) to 65535", o.port);
  struct sockaddr_storage sa;
  memset(&sa, 0, sizeof sa);
  struct sockaddr_in* v4 = (struct sockaddr_in*)&sa;
  struct sockaddr_in6* v6 = (struct sockaddr_in6*)&sa;
  bool six = false;
  if (inet_pton(AF_INET, o.bind, &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons((uint16_t)o.port);
  } else if (inet_pton(AF_INET6, o.bind, &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons((uint16_t)o.port);
    six = true;
  } else {
    return TRUCE_FAIL(ctx, TRUCE_EINVAL,
                      "'%s' is not an IP address; expected e.g. 127.0.0.1",
                      o.bind);
  }
  if (!truce_serve_is_loopback(o.bind) && !o.allow_remote)
    return TRUCE_FAIL(ctx, TRUCE_EINVAL,
                      "'%s' is not a loopback address: anyone who reaches it "
                      "could run computations; expected 127.0.0.1, or add "
                      "--allow-remote to listen there",
                      o.bind);
  truce_server* s = truce__calloc(ctx, 1, sizeof *s);
  if (!s) return TRUCE_ENOMEM;
  s->ctx = ctx;
  s->sc = sc;
  s->o = o;
  snprintf(s->addr, sizeof s->addr, "%s", o.bind);
  s->o.bind = s->addr;
  pthread_mutex_init(&s->mu, NULL);
  pthread_cond_init(&s->cv, NULL);
  double t = now_s();
  s->compute = (bucket){2 * o.rate, o.rate, 2 * o.rate, t};
  s->any = (bucket){4000, 2000, 4000, t};
  int rc = truce__read_file(ctx, truce_scenario_file(sc), "the scenario file",
                            &s->text, &s->text_len);
  char hex[65];
  if (!rc) {
    truce_sha256_hex(s->text, s->text_len, hex);
    if (strcmp(hex, truce_scenario_sha256(sc)))
      rc = TRUCE_FAIL(ctx, TRUCE_EIO,
                      "%s changed since it was loaded; expected the same "
                      "bytes (sha256 %s)",
                      truce_scenario_file(sc), truce_scenario_sha256(sc));
  }
  for (size_t i = 0; i < N_ASSETS && !rc; i++)
    rc = truce__web_asset(ctx, asset_table[i].rel, &s->asset[i],
                          &s->asset_len[i]);
  if (!rc) rc = build_scenario_json(s);
  if (!rc) {
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD |
                     MHD_USE_THREAD_PER_CONNECTION | MHD_USE_POLL;
    if (six) flags |= MHD_USE_IPv6;
    s->d = MHD_start_daemon(
        flags, 0, NULL, NULL, on_request, s, MHD_OPTION_SOCK_ADDR, &sa,
        MHD_OPTION_CONNECTION_LIMIT, 2 * o.max_connections + 16,
        MHD_OPTION_NOTIFY_CONNECTION, on_connection, s,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)10,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(64 * 1024),
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, s, MHD_OPTION_END);
    if (!s->d)
      rc = TRUCE_FAIL(ctx, TRUCE_EIO,
                      "cannot listen on %s port %d (in use, or not this "
                      "machine's address)",
                      o.bind, o.port);
  }
  if (!rc) {
    const union MHD_DaemonInfo* di =
        MHD_get_daemon_info(s->d, MHD_DAEMON_INFO_BIND_PORT);
    s->port = di ? di->port : o.port;
  }
  if (rc) {
    truce_serve_stop(s);
    return rc;
  }
  *out = s;
  return 0;
}

int truce_serve_port(const truce_server* s) { return s->port; }
const char* truce_serve_address(const truce_server* s) { return s->addr; }

void truce_serve_stop(truce_server* s) {
  if (!s) return;
  atomic_store(&s->stopping, 1);
  pthread_mutex_lock(&s->mu);
  pthread_cond_broadcast(&s->cv);
  pthread_mutex_unlock(&s->mu);
  if (s->d) MHD_stop_daemon(s->d);
  truce_ctx* ctx = s->ctx;
  for (size_t i = 0; i < N_ASSETS; i++)
    truce__free(ctx, s->asset[i], s->asset_len[i] + 1);
  truce__free(ctx, s->text, s->text_len + 1);
  free(s->scenario_json);
  pthread_cond_destroy(&s->cv);
  pthread_mutex_destroy(&s->mu);
  truce__free(ctx, s, sizeof *s);
}
