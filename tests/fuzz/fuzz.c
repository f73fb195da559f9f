/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Helpers of the fuzz targets: a scratch directory under $TMPDIR (the
 * readers take paths, so each input is written to a file there) removed
 * at exit, and a context per input.
 */
#include "fuzz.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char dir[512];

static void cleanup(void) {
  DIR* d = opendir(dir);
  for (struct dirent* e; d && (e = readdir(d));) {
    if (e->d_name[0] == '.') continue;
    char p[1024];
    snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
    remove(p);
  }
  if (d) closedir(d);
  rmdir(dir);
}

const char* fuzz_dir(void) {
  if (!dir[0]) {
    const char* t = getenv("TMPDIR");
    snprintf(dir, sizeof dir, "%s/truce-fuzz.XXXXXX", t && *t ? t : "/tmp");
    if (!mkdtemp(dir)) abort();
    atexit(cleanup);
  }
  return dir;
}

truce_ctx* fuzz_ctx(void) {
  truce_ctx* ctx = NULL;
  if (truce_ctx_new(&ctx, NULL, NULL)) abort();
  return ctx;
}

const char* fuzz_file(int slot, const char* name, const void* data,
                      size_t size) {
  static char paths[4][1024];
  snprintf(paths[slot], sizeof paths[slot], "%s/%s", fuzz_dir(), name);
  FILE* f = fopen(paths[slot], "wb");
  if (!f || fwrite(data, 1, size, f) != size || fclose(f)) abort();
  return paths[slot];
}
