/* SPDX-License-Identifier: GPL-3.0-or-later
 * The table of sanity diagnostics (truce/warn.h). */
#include "truce/warn.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>

#include "truce_int.h"

static const truce_warning_info table[] = {
#define TRUCE_WARN_ROW(e, code, threshold, meaning) {code, threshold, meaning},
    TRUCE_WARNING_MAP(TRUCE_WARN_ROW)
#undef TRUCE_WARN_ROW
};

const truce_warning_info* truce_warning_info_of(int k) {
  return k >= 0 && k < TRUCE_WARN_KINDS ? &table[k] : NULL;
}

void truce__warning_set(truce_warning* w, int kind, double share,
                        const char* fmt, ...) {
  w->kind = kind;
  snprintf(w->code, sizeof w->code, "%s", table[kind].code);
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(w->message, sizeof w->message, fmt, ap);
  va_end(ap);
  w->share = share;
}
