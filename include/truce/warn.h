/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * truce/warn.h: sanity diagnostics. Results that are computed correctly
 * but suggest the inputs are not what the user meant (a side exhausted
 * on its first day, a side without combat power for months, a fit whose
 * coefficients the data do not identify). Each is declared once, in the
 * table below (code, threshold, what it means); the checks live with the
 * data they read (the ensemble's, calibration's), the terminal prints
 * them and summary.json lists them (docs/outputs.md, "Warnings").
 */
#ifndef TRUCE_WARN_H
#define TRUCE_WARN_H

#include <stddef.h>

#include "truce/core.h"

#ifdef __cplusplus
extern "C" {
#endif

/* X(ENUM, code, threshold, meaning) */
#define TRUCE_WARNING_MAP(X)                                                \
  X(EXHAUSTED_AT_START, "exhausted_at_start", 1,                            \
    "exhausted on day 0 or 1 (threshold: the day): its starting front or "  \
    "combat power is below exhaustion_threshold or capable_threshold")      \
  X(ZERO_POWER, "zero_power", 90,                                           \
    "combat power below one effective soldier for at least this many days " \
    "in a row: check its equipment, ammunition and weapons inputs")         \
  X(WEAK_POWER, "weak_power", 90,                                           \
    "combat power below a tenth of the soldiers at the front for at least " \
    "this many days in a row: its weapons equip few of them (where fires "  \
    "and assaults replace the attrition law, power does not weaken them)")  \
  X(UNIDENTIFIED_FIT, "unidentified_fit", 6,                                \
    "a fitted coefficient's 90% interval, or the fitted coefficients "      \
    "together, span at least this many orders of magnitude: the "           \
    "observations do not identify them")

/* The share of the front's soldiers below which combat power is weak (the
 * weak_power_days outcome and warning). */
#define TRUCE_WEAK_POWER_SHARE 0.1

typedef enum {
#define TRUCE_WARN_ENUM(e, code, threshold, meaning) TRUCE_WARN_##e,
  TRUCE_WARNING_MAP(TRUCE_WARN_ENUM)
#undef TRUCE_WARN_ENUM
      TRUCE_WARN_KINDS
} truce_warn_kind;

/* All fields public, read-only (the table above). */
typedef struct {
  const char* code;
  double threshold;
  const char* meaning;
} truce_warning_info;

/* Kind k's entry; NULL when k >= TRUCE_WARN_KINDS. */
TRUCE_API const truce_warning_info* truce_warning_info_of(int k);

/* One warning raised. All fields public, read-only; truce_ensemble_warnings
 * and truce_calib_warnings fill the caller's array. */
typedef struct {
  int kind;          /* truce_warn_kind */
  char code[32];     /* the table's code */
  char message[320]; /* for a reader */
  double share;      /* of the runs it concerns; NAN when not about runs */
} truce_warning;

#ifdef __cplusplus
}
#endif
#endif
