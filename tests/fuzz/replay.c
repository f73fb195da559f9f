/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Replays fuzz inputs without libFuzzer (so gcc builds and `make test`
 * run them): every file named on the command line, or in a directory
 * named there (not recursive), goes once through the target's
 * LLVMFuzzerTestOneInput. A crash, an ASan report or a hang (ctest's
 * timeout) fails the test; the exit status is 0 otherwise.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

static int one(const char* path) {
  FILE* f = fopen(path, "rb");
  if (!f) {
    fprintf(stderr, "replay: cannot read %s\n", path);
    return 1;
  }
  size_t cap = 4096, n = 0;
  unsigned char* buf = malloc(cap);
  for (size_t r; buf && (r = fread(buf + n, 1, cap - n, f)) > 0;) {
    n += r;
    if (n == cap) buf = realloc(buf, cap *= 2);
  }
  fclose(f);
  if (!buf) return 1;
  LLVMFuzzerTestOneInput(buf, n);
  free(buf);
  return 0;
}

int main(int argc, char** argv) {
  int bad = 0, count = 0;
  for (int i = 1; i < argc; i++) {
    struct stat st;
    if (stat(argv[i], &st) != 0) {
      fprintf(stderr, "replay: no %s\n", argv[i]);
      bad = 1;
      continue;
    }
    if (!S_ISDIR(st.st_mode)) {
      bad |= one(argv[i]);
      count++;
      continue;
    }
    DIR* d = opendir(argv[i]);
    for (struct dirent* e; d && (e = readdir(d));) {
      if (e->d_name[0] == '.') continue;
      char p[2048];
      snprintf(p, sizeof p, "%s/%s", argv[i], e->d_name);
      if (stat(p, &st) == 0 && S_ISREG(st.st_mode)) {
        bad |= one(p);
        count++;
      }
    }
    if (d) closedir(d);
  }
  printf("replay: %d inputs\n", count);
  return bad;
}
