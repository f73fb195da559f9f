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

extern const truce__field truce__nego_fields[];
extern const size_t truce__n_nego_fields;
extern const truce__field truce__guarantee_credibility_field;
extern const truce__field truce__guarantee_strength_field;
extern const truce__field truce__nego_side_fields[];
extern const size_t truce__n_nego_side_fields;
size_t truce__nego_side_base(size_t side);
bool truce__is_nego_offset(size_t off);

extern const truce__field truce__backer_fields[];
extern const size_t truce__n_backer_fields;
extern const truce__field truce__buy_fields[];
extern const size_t truce__n_buy_fields;
size_t truce__backer_base(size_t b);
size_t truce__buy_base(size_t b, size_t item);
int truce__buy_item(const truce_scenario* sc, size_t b, const char* name,
                    size_t len);
size_t truce__side_base(size_t side);
size_t truce__equip_base(size_t side, size_t k);
const truce__field* truce__field_find(const truce__field* t, size_t n,
                                      const char* key);
const char* truce__suggest(const char* word, const char* const* cands,
                           size_t n);
#endif
