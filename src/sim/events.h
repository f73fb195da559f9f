/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The event types of a scenario's dated events (docs/scenario.md,
 * "Events"; docs/model.md, "Events"): one table, owned by events.c, gives
 * each type's key in the file, its parser and what it does to a run.
 * Adding a type is one entry here and its two functions.
 */
#ifndef TRUCE_EVENTS_H
#define TRUCE_EVENTS_H

#include "../scenario/load.h"
#include "sim_int.h"

struct truce__event_type {
  const char* key;             /* the action's key in an event */
  truce__event_parse_fn parse; /* reads the action into events */
  /* What the event does to a run, at the start of its day. */
  void (*apply)(truce_sim* sim, const truce__event* e);
  /* How the sides read it about side 0's backers' future aid when the
   * event's backer supports side 0 (docs/bargaining.md, "Resolve and
   * backers"). */
  enum {
    TRUCE_AID_SIGNAL_NONE,
    TRUCE_AID_SIGNAL_LOSS, /* as that backer's aid gone */
    TRUCE_AID_SIGNAL_GAIN, /* as that backer's aid added */
    TRUCE_AID_SIGNAL_DOUBT /* as more doubt about it (an election) */
  } aid_signal;
};

extern const truce__event_type truce__event_types[];
extern const size_t truce__n_event_types;

/* Run `run`'s events into sim->ev (docs/model.md s8c): each uncertain
 * event happens or not, as one of its branches or none, on its drawn day
 * with its drawn numbers, every draw from a stream keyed by the event's
 * id; deterministic mode takes each event's likeliest outcome and point
 * values. Sorted by day, file order kept within a day; 0 or ENOMEM. */
int truce__events_draw(truce_sim* sim, uint64_t run);

/* The backers' events (aid.c; docs/model.md s8b). */
void truce__aid_crisis(truce_sim* sim, const truce__event* e);
void truce__aid_block(truce_sim* sim, const truce__event* e);
void truce__aid_unblock(truce_sim* sim, const truce__event* e);
void truce__aid_package(truce_sim* sim, const truce__event* e);
void truce__aid_enter(truce_sim* sim, const truce__event* e);
void truce__aid_exit(truce_sim* sim, const truce__event* e);

#endif
