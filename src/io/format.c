/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Numbers for a reader (truce/compare.h): rounded to significant figures,
 * with thousands separators and units. Machine outputs (CSV, JSON,
 * SQLite) keep full precision and never come through here.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "truce_int.h"

void truce_format_sig(double v, int sig, char* buf, size_t n) {
  if (!n) return;
  if (!isfinite(v)) {
    snprintf(buf, n, "%s", isnan(v) ? "-" : v > 0 ? "inf" : "-inf");
    return;
  }
  if (sig < 1) sig = 1;
  if (sig > 15) sig = 15;
  /* the digits after the point that `sig` figures leave (none for a
   * number of `sig` digits or more, whose last places are zeroed) */
  double m = fabs(v);
  int mag = m > 0 ? (int)floor(log10(m)) : 0;
  int dec = sig - 1 - mag;
  char d[64];
  if (dec >= 0) {
    snprintf(d, sizeof d, "%.*f", dec > 15 ? 15 : dec, m);
  } else {
    double unit = pow(10, -dec);
    snprintf(d, sizeof d, "%.0f", round(m / unit) * unit);
  }
  /* no trailing zeros after the point (nor a bare point) */
  if (strchr(d, '.')) {
    size_t e = strlen(d);
    while (e > 0 && d[e - 1] == '0') d[--e] = '\0';
    if (e > 0 && d[e - 1] == '.') d[--e] = '\0';
  }
  /* a comma every three digits of the whole part */
  size_t whole = strcspn(d, "."), o = 0;
  char t[96];
  bool zero = !strpbrk(d, "123456789");
  if (v < 0 && !zero) t[o++] = '-';
  for (size_t i = 0; d[i] && o + 2 < sizeof t; i++) {
    if (i > 0 && i < whole && (whole - i) % 3 == 0) t[o++] = ',';
    t[o++] = d[i];
  }
  t[o] = '\0';
  snprintf(buf, n, "%s", t);
}

void truce_outcome_format(truce_unit u, double v, int change,
                          const char* absent, char* buf, size_t n) {
  if (isnan(v)) {
    snprintf(buf, n, "%s", absent);
    return;
  }
  char t[64];
  const char* suffix = "";
  switch (u) {
    case TRUCE_UNIT_SHARE:
      truce_format_sig(100 * fabs(v), 3, t, sizeof t);
      suffix = change ? " pp" : "%";
      break;
    case TRUCE_UNIT_MONEY:
      truce_format_sig(fabs(v) / 1e9, 3, t, sizeof t);
      suffix = " bn";
      break;
    case TRUCE_UNIT_DAY:
    case TRUCE_UNIT_COUNT:
    default: truce_format_sig(fabs(v), 3, t, sizeof t); break;
  }
  /* a number that shows as zero has no sign; a change always has one */
  const char* sign = !strpbrk(t, "123456789") ? ""
                     : v < 0                  ? "-"
                     : change                 ? "+"
                                              : "";
  snprintf(buf, n, "%s%s%s", sign, t, suffix);
}

double truce_share_se(double p, uint64_t n) {
  return n ? sqrt(p * (1 - p) / (double)n) : (double)NAN;
}

void truce_share_format(double p, uint64_t n, char* buf, size_t cap) {
  char v[64], e[64];
  truce_outcome_format(TRUCE_UNIT_SHARE, p, 0, "-", v, sizeof v);
  double se = truce_share_se(p, n);
  if (n < 2 || !(se > 0)) {
    snprintf(buf, cap, "%s", v);
    return;
  }
  truce_format_sig(100 * se, 2, e, sizeof e);
  snprintf(buf, cap, "%s \u00b1 %s", v, e);
}
