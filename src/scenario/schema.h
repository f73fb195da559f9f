/* SPDX-License-Identifier: GPL-3.0-or-later
 * The field tables of the scenario schema (schema.c). */
#ifndef TRUCE_SCHEMA_H
#define TRUCE_SCHEMA_H
#include "scenario_int.h"

extern const truce__field truce__top_fields[];
extern const size_t truce__n_top_fields;
extern const truce__field truce__combat_fields[];
extern const size_t truce__n_combat_fields;
extern const truce__field truce__front_fields[];
extern const size_t truce__n_front_fields;
extern const truce__field truce__side_fields[];
extern const size_t truce__n_side_fields;
extern const truce__field truce__equip_fields[];
extern const size_t truce__n_equip_fields;
extern const truce__field truce__coefficient_field;
extern const truce__field truce__territory_field;

size_t truce__side_base(size_t side);
size_t truce__equip_base(size_t side, size_t k);
const truce__field* truce__field_find(const truce__field* t, size_t n,
                                      const char* key);
const char* truce__suggest(const char* word, const char* const* cands,
                           size_t n);
#endif
