/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The negotiation section of a scenario as the bargaining layer reads it
 * (docs/bargaining.md). Territory is always the continuous issue: the
 * settlement line as side 0's share of the contested area. Other issues
 * are discrete, each with named options and the option that holds while
 * the war goes on (status_quo).
 */
#ifndef TRUCE_NEGO_H
#define TRUCE_NEGO_H

#include <stdbool.h>

#define TRUCE_MAX_ISSUES 6
#define TRUCE_MAX_OPTIONS 6
#define TRUCE_NAME_MAX 32

#define TRUCE_MAX_CLAIMS 8

/* A claim side `side` has made on an issue: a threshold below which it
 * pays `cost` in utility to concede (HUGE_VAL: it cannot concede at all,
 * a lexicographic preference). For territory (issue -1) the threshold is
 * the side's own share of the contested area; for a discrete issue, the
 * side's value of the option. In force on days [from_day, until_day). */
typedef struct {
  int side;
  int issue; /* -1: territory; else the discrete issue's index */
  double threshold;
  double cost; /* audience cost of conceding; HUGE_VAL: never */
  int from_day, until_day;
} truce__claim;

typedef struct {
  int n;
  truce__claim claim[TRUCE_MAX_CLAIMS];
} truce__claims;

typedef struct {
  char name[TRUCE_NAME_MAX];
  int n_options;
  char option[TRUCE_MAX_OPTIONS][TRUCE_NAME_MAX];
  int status_quo;
} truce__issue;

typedef struct {
  double w_territory;
  double w[TRUCE_MAX_ISSUES];                        /* weight per issue */
  double value[TRUCE_MAX_ISSUES][TRUCE_MAX_OPTIONS]; /* 0..1 per option */
  double cost_per_year, cost_per_100k, discount_per_year;
  double optimism, prior_sd, power;
  bool has_decree;
  double audience_cost;
  int decree_lifted_day; /* talks allowed (without the cost) from this day */
  double aid_bias;       /* bias of its reading of side 0's backers' aid */
} truce__nego_side;

typedef struct {
  bool present;
  int every;          /* decision every N days */
  int projection;     /* days projected for the value of fighting on */
  double noise;       /* sd of an observed log exchange ratio */
  double sensitivity; /* territory share per year per unit of believed
                         log-ratio advantage over the observed one */
  double contested;   /* share of front.area_km2 in dispute, at side 1's
                         end (1: all of it) */
  double ripe_p, ripe_cost;
  int n_issues;
  truce__issue issue[TRUCE_MAX_ISSUES];
  truce__nego_side side[2];
  bool has_guarantee;
  int g_issue, g_option;
  double g_credibility, g_full[2];
  double g_strength; /* the guarantor's sanction on the side that breaks
                        a guaranteed settlement (utility) */
  /* commitment (docs/bargaining.md, "Commitment"): 0 days: none */
  double ceasefire_days, reconstitution_sd;
  /* beliefs about endurance and backers ("Resolve and backers") */
  double endurance_sd, aid_share, aid_noise, election_spread;
  /* talks ("From a range to an agreement"): P(agreement within a month) */
  double talks_open, talks_ripe;
  /* claims (thresholds, constitutional stakes, hand-ties): territorial
   * thresholds in km2 of front.area_km2 the side must hold, turned into
   * shares of the contested area per run */
  truce__claims claims;
  /* a CSV of each side's stated terms (docs/bargaining.md, "Stated
   * terms"), resolved against the scenario's directory; "" if none */
  char stated_terms[512];
} truce__nego;

#endif
