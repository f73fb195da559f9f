/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A stable sort in O(n log n): bottom-up merge sort through one scratch
 * buffer from the context's allocator. The C library's qsort and GSL's
 * gsl_sort are not stable, and the scenario's events must keep file order
 * within a day (docs/scenario.md, "events").
 */
#include <string.h>

#include "truce_int.h"

int truce__sort_stable(truce_ctx* ctx, void* base, size_t n, size_t size,
                       int (*cmp)(const void*, const void*)) {
  if (n < 2) return 0;
  char* tmp = truce__malloc(ctx, n * size);
  if (!tmp) return TRUCE_ENOMEM;
  char *src = base, *dst = tmp;
  for (size_t w = 1; w < n; w *= 2) {
    for (size_t lo = 0; lo < n; lo += 2 * w) {
      size_t mid = lo + w < n ? lo + w : n,
             hi = lo + 2 * w < n ? lo + 2 * w : n;
      size_t i = lo, j = mid, k = lo;
      while (i < mid && j < hi) /* <= 0 takes the left on ties: stable */
        if (cmp(src + j * size, src + i * size) < 0)
          memcpy(dst + k++ * size, src + j++ * size, size);
        else
          memcpy(dst + k++ * size, src + i++ * size, size);
      memcpy(dst + k * size, src + i * size, (mid - i) * size);
      k += mid - i;
      memcpy(dst + k * size, src + j * size, (hi - j) * size);
    }
    char* t = src;
    src = dst;
    dst = t;
  }
  if (src != base) memcpy(base, src, n * size);
  truce__free(ctx, tmp, n * size);
  return 0;
}
