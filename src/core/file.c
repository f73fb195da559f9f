/* SPDX-License-Identifier: GPL-3.0-or-later
 * Reading a whole input file; writing an output file whole or not at all. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "truce_int.h"

int truce__read_file(truce_ctx* ctx, const char* path, const char* what,
                     char** out, size_t* len_out) {
  *out = NULL;
  *len_out = 0;
  FILE* f = fopen(path, "rb");
  if (!f)
    return TRUCE_FAIL_AT(ctx, TRUCE_EIO, path, 1, 1,
                         "cannot read the file (%s); expected %s",
                         strerror(errno), what);
  size_t cap = 1 << 16, len = 0;
  char* buf = truce__malloc(ctx, cap + 1);
  int rc = buf ? 0 : TRUCE_ENOMEM;
  while (!rc) {
    if (len == cap) {
      char* nb = truce__realloc(ctx, buf, cap + 1, 2 * cap + 1);
      if (!nb) {
        rc = TRUCE_ENOMEM;
        break;
      }
      buf = nb;
      cap *= 2;
    }
    size_t n = fread(buf + len, 1, cap - len, f);
    len += n;
    if (n == 0) {
      if (ferror(f))
        rc = TRUCE_FAIL_AT(ctx, TRUCE_EIO, path, 1, 1,
                           "cannot read the file (%s); expected "
                           "%s",
                           strerror(errno), what);
      break;
    }
  }
  fclose(f);
  if (rc) {
    truce__free(ctx, buf, cap + 1);
    return rc;
  }
  if (len < cap) { /* to its true size, which the caller frees */
    char* nb = truce__realloc(ctx, buf, cap + 1, len + 1);
    if (!nb) {
      truce__free(ctx, buf, cap + 1);
      return TRUCE_ENOMEM;
    }
    buf = nb;
  }
  buf[len] = '\0';
  *out = buf;
  *len_out = len;
  return 0;
}

FILE* truce__tmp_open(truce_ctx* ctx, const char* out, char* tmp, size_t cap) {
  snprintf(tmp, cap, "%s.%ld.tmp", out, (long)getpid());
  errno = 0;
  FILE* f = fopen(tmp, "wb");
  if (!f)
    TRUCE_FAIL_AT(ctx, TRUCE_EIO, out, 1, 1, "cannot write (%s)",
                  strerror(errno));
  return f;
}

int truce__tmp_commit(truce_ctx* ctx, FILE* f, const char* tmp, const char* out,
                      bool ok) {
  int rc = 0, why = ok ? 0 : errno; /* a failed write's reason, if any */
  if (ferror(f)) ok = false;
  errno = 0;
  if (fclose(f) != 0 || !ok) {
    why = errno ? errno : why;
    rc = TRUCE_FAIL_AT(ctx, TRUCE_EIO, out, 1, 1, "cannot write (%s)",
                       why ? strerror(why) : "write failed");
  } else if (rename(tmp, out) != 0)
    rc = TRUCE_FAIL_AT(ctx, TRUCE_EIO, out, 1, 1,
                       "cannot write (rename "
                       "from %s: %s)",
                       tmp, strerror(errno));
  if (rc) remove(tmp);
  return rc;
}

void truce__tmp_abandon(FILE* f, const char* tmp) {
  if (f) fclose(f);
  remove(tmp);
}

char* truce__next_line(char** at, int* line) {
  char* s = *at;
  if (s && *line == 0 && !strncmp(s, TRUCE__BOM, 3)) s += 3; /* spreadsheets */
  if (!s || !*s) return NULL;
  char* nl = strchr(s, '\n');
  if (nl) {
    *nl = '\0';
    *at = nl + 1;
  } else {
    *at = s + strlen(s);
  }
  size_t l = strlen(s);
  if (l && s[l - 1] == '\r') s[l - 1] = '\0';
  ++*line;
  return s;
}

int truce__parse_number(const char* s, double* out) {
  if (!*s) return -1;
  char* end;
  errno = 0;
  double v = strtod(s, &end);
  if (end == s || *end != '\0') return -1;
  if (!isfinite(v) && errno != ERANGE) return -1; /* nan, inf */
  *out = v;
  return errno == ERANGE && fabs(v) > 1 ? 1 : 0; /* too large: +-inf */
}

int truce__mkdir_p(truce_ctx* ctx, const char* dir) {
  if (strlen(dir) > 1000)
    return TRUCE_FAIL(ctx, TRUCE_EINVAL, "output directory name too long");
  char part[1024];
  snprintf(part, sizeof part, "%s", dir);
  for (char* s = part + 1;; s++) {
    bool end = *s == '\0';
    if (*s != '/' && !end) continue;
    *s = '\0';
    if (mkdir(part, 0777) != 0 && errno != EEXIST)
      return TRUCE_FAIL(ctx, TRUCE_EIO, "cannot create directory '%s': %s",
                        part, strerror(errno));
    if (end) break;
    *s = '/';
  }
  struct stat st;
  if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
    return TRUCE_FAIL(ctx, TRUCE_EIO, "'%s' is not a directory", dir);
  return 0;
}
