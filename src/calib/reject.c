/* SPDX-License-Identifier: GPL-3.0-or-later
 * The rejection step shared by the calibration's ABCs (calib_int.h). */
#include <math.h>
#include <stdlib.h>

#include "calib_int.h"

static int by_score(const void* pa, const void* pb) {
  const truce__scored *a = pa, *b = pb;
  if (a->dist != b->dist) return a->dist < b->dist ? -1 : 1;
  return a->run < b->run ? -1 : a->run > b->run;
}

size_t truce__abc_reject(void* records, size_t n, size_t size,
                         double tolerance) {
  qsort(records, n, size, by_score);
  size_t k = (size_t)floor((double)n * tolerance);
  return k < 1 ? 1 : k;
}
