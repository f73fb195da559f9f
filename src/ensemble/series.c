/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The daily series the ensemble summarises (docs/outputs.md): one table
 * per kind, each entry a name (daily.csv's and results.db's series), a
 * unit and how to read it from a recorded day's state. The ensemble's
 * packing, daily.csv, results.db and the report iterate these tables.
 */
#include <string.h>

#include "truce_int.h"

#define SIDE(f) \
  static double side_##f(const truce_side_state* s) { return s->f; }
SIDE(front)
SIDE(power)
SIDE(training)
SIDE(pool)
SIDE(casualties)
SIDE(equipment)
SIDE(ammunition)
SIDE(territory)
SIDE(rounds_fired)
SIDE(drones_fired)
SIDE(casualties_artillery)
SIDE(casualties_drones)
SIDE(casualties_assault)

static const truce_series_info series[] = {
    {"front", "soldiers", side_front},
    {"power", "effective soldiers", side_power},
    {"training", "soldiers", side_training},
    {"pool", "persons", side_pool},
    {"casualties", "persons", side_casualties},
    {"equipment", "items", side_equipment},
    {"ammunition", "rounds", side_ammunition},
    {"territory", "share", side_territory},
    {"rounds_fired", "rounds", side_rounds_fired},
    {"drones_fired", "drones", side_drones_fired},
    {"casualties_artillery", "persons", side_casualties_artillery},
    {"casualties_drones", "persons", side_casualties_drones},
    {"casualties_assault", "persons", side_casualties_assault},
};

#define BACKER(f) \
  static double backer_##f(const truce_backer_state* b) { return b->f; }
BACKER(committed)
BACKER(delivered)
BACKER(ammunition_committed)
BACKER(ammunition_delivered)
BACKER(equipment_committed)
BACKER(equipment_delivered)

static const truce_backer_series_info backer_series[] = {
    {"committed", "money", backer_committed},
    {"delivered", "money", backer_delivered},
    {"ammunition_committed", "rounds", backer_ammunition_committed},
    {"ammunition_delivered", "rounds", backer_ammunition_delivered},
    {"equipment_committed", "items", backer_equipment_committed},
    {"equipment_delivered", "items", backer_equipment_delivered},
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
