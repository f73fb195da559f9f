/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The daily series the ensemble summarises (docs/outputs.md): one table
 * per kind, each entry a name (daily.csv's and results.db's series), a
 * unit and where to read it in a recorded day's state (an offset). The
 * ensemble's packing, daily.csv and results.db iterate these tables.
 */
#include <stddef.h>
#include <string.h>

#include "truce_int.h"

#define SIDE(f) offsetof(truce_side_state, f)

static const truce_series_info series[] = {
    {"front", "soldiers", SIDE(front)},
    {"power", "effective soldiers", SIDE(power)},
    {"training", "soldiers", SIDE(training)},
    {"pool", "persons", SIDE(pool)},
    {"casualties", "persons", SIDE(casualties)},
    {"equipment", "items", SIDE(equipment)},
    {"ammunition", "rounds", SIDE(ammunition)},
    {"territory", "share", SIDE(territory)},
    {"rounds_fired", "rounds", SIDE(rounds_fired)},
    {"drones_fired", "drones", SIDE(drones_fired)},
    {"casualties_artillery", "persons", SIDE(casualties_artillery)},
    {"casualties_drones", "persons", SIDE(casualties_drones)},
    {"casualties_assault", "persons", SIDE(casualties_assault)},
};

#define BACKER(f) offsetof(truce_backer_state, f)

static const truce_backer_series_info backer_series[] = {
    {"committed", "money", BACKER(committed)},
    {"delivered", "money", BACKER(delivered)},
    {"ammunition_committed", "rounds", BACKER(ammunition_committed)},
    {"ammunition_delivered", "rounds", BACKER(ammunition_delivered)},
    {"equipment_committed", "items", BACKER(equipment_committed)},
    {"equipment_delivered", "items", BACKER(equipment_delivered)},
};

#define COUNT(a) (sizeof a / sizeof a[0])

size_t truce_series_count(void) { return COUNT(series); }

const truce_series_info* truce_series(size_t k) {
  return k < COUNT(series) ? &series[k] : NULL;
}

int truce_series_index(const char* name) {
  for (size_t k = 0; name && k < COUNT(series); k++)
    if (!strcmp(series[k].name, name)) return (int)k;
  return -1;
}

const char* truce_series_name(int k) {
  return k >= 0 && (size_t)k < COUNT(series) ? series[k].name : "?";
}

size_t truce_backer_series_count(void) { return COUNT(backer_series); }

const truce_backer_series_info* truce_backer_series(size_t k) {
  return k < COUNT(backer_series) ? &backer_series[k] : NULL;
}

const char* truce_backer_series_name(int k) {
  return k >= 0 && (size_t)k < COUNT(backer_series) ? backer_series[k].name
                                                    : "?";
}
