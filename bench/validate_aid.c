/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Validation of the backers against the Kiel panel (docs/validation.md):
 * runs the scenario, takes each run's monthly committed value per backer
 * (calendar months), and prints, beside the observed monthly military
 * allocations of the matching donors in the Kiel Ukraine Support Tracker
 * panel, the simulated median and 90% band and whether the observation
 * falls inside. Public API only.
 *
 * usage: validate_aid SCENARIO KIEL_CSV [RUNS]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <truce/truce.h>

#define MONTHS 15 /* 2023-11 .. 2025-01 */
#define MAXR 5000

static long days_from_civil(int y, int m, int d) {
  y -= m <= 2;
  long era = (y >= 0 ? y : y - 399) / 400;
  long yoe = y - era * 400;
  long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  return era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;
}

static const char* const europe[] = {
    "Austria",        "Belgium",  "Bulgaria",  "Croatia",    "Cyprus",
    "Czechia",        "Denmark",  "Estonia",   "Finland",    "France",
    "Germany",        "Greece",   "Hungary",   "Iceland",    "Ireland",
    "Italy",          "Latvia",   "Lithuania", "Luxembourg", "Malta",
    "Netherlands",    "Norway",   "Poland",    "Portugal",   "Romania",
    "Slovakia",       "Slovenia", "Spain",     "Sweden",     "Switzerland",
    "United Kingdom", NULL};

typedef struct {
  int month_end[MONTHS]; /* record day at the end of each month */
  double* cum;           /* per run: MONTHS x backers cumulative committed */
  double* cum0;          /* per run: backers, committed at day 0 (aid in
                            transit, committed before the start) */
  size_t nb;
  uint64_t run;
} cap;

static int on_day(void* u, const truce_day* d) {
  cap* c = u;
  if (d->day == 0)
    for (size_t b = 0; b < c->nb; b++)
      c->cum0[c->run * c->nb + b] = d->backer[b].committed;
  for (int m = 0; m < MONTHS; m++)
    if (d->day == c->month_end[m])
      for (size_t b = 0; b < c->nb; b++)
        c->cum[(c->run * MONTHS + (size_t)m) * c->nb + b] =
            d->backer[b].committed;
  return 0;
}

static int cmp(const void* a, const void* b) {
  double x = *(const double*)a, y = *(const double*)b;
  return x < y ? -1 : x > y;
}

int main(int argc, char** argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: validate_aid SCENARIO KIEL_CSV [RUNS]\n");
    return 2;
  }
  int runs = argc > 3 ? atoi(argv[3]) : 1000;
  if (runs < 1 || runs > MAXR) runs = 1000;
  truce_ctx* ctx;
  truce_scenario* sc;
  if (truce_ctx_new(&ctx, NULL, NULL) ||
      truce_scenario_load(ctx, argv[1], &sc) || truce_stake_apply(ctx, sc)) {
    fprintf(stderr, "%s\n", truce_ctx_message(ctx));
    return 1;
  }
  const char* start = truce_scenario_start(sc);
  int sy, sm, sd;
  if (!start || sscanf(start, "%d-%d-%d", &sy, &sm, &sd) != 3) return 1;
  long s0 = days_from_civil(sy, sm, sd);
  cap c = {{0}, NULL, NULL, truce_scenario_backer_count(sc), 0};
  for (int m = 0; m < MONTHS; m++) {
    int y = 2023 + (10 + m + 1) / 12, mo = (10 + m + 1) % 12 + 1;
    /* the first day of the next month, as a record day */
    c.month_end[m] = (int)(days_from_civil(y, mo, 1) - s0);
  }
  c.cum = calloc((size_t)runs * MONTHS * (c.nb ? c.nb : 1), sizeof(double));
  c.cum0 = calloc((size_t)runs * (c.nb ? c.nb : 1), sizeof(double));
  truce_sim* sim;
  truce_sim_new(ctx, sc, &sim);
  for (c.run = 0; c.run < (uint64_t)runs; c.run++)
    truce_sim_run(sim, c.run, 0, on_day, &c);
  /* observed: Kiel military allocations, EUR m, by donor group */
  double obs[2][MONTHS] = {{0}};
  FILE* f = fopen(argv[2], "r");
  if (!f) {
    perror(argv[2]);
    return 1;
  }
  char line[1024];
  while (fgets(line, sizeof line, f)) {
    char* fl[16];
    int n = 0;
    for (char* p = strtok(line, ",\n"); p && n < 16; p = strtok(NULL, ",\n"))
      fl[n++] = p;
    if (n < 4 || strcmp(fl[2], "Military")) continue;
    int y, mo;
    if (sscanf(fl[1], "%d-%d", &y, &mo) != 2) continue;
    int m = (y - 2023) * 12 + mo - 11;
    if (m < 0 || m >= MONTHS) continue;
    int g = -1;
    if (!strcmp(fl[0], "United States")) g = 0;
    for (int k = 0; europe[k]; k++)
      if (!strcmp(fl[0], europe[k])) g = 1;
    if (g >= 0) obs[g][m] += atof(fl[3]);
  }
  fclose(f);
  static const char* const ids[2] = {"us", "europe"};
  printf(
      "| month | donor | observed (EUR m) | simulated median | simulated "
      "90%% band | inside |\n|---|---|---|---|---|---|\n");
  int inside = 0, total = 0;
  double* v = calloc((size_t)runs, sizeof(double));
  for (int g = 0; g < 2; g++) {
    size_t b = 0;
    while (b < c.nb && strcmp(truce_scenario_backer_id(sc, b), ids[g])) b++;
    if (b == c.nb) continue;
    for (int m = 0; m < MONTHS; m++) {
      for (int r = 0; r < runs; r++) {
        double hi = c.cum[((size_t)r * MONTHS + (size_t)m) * c.nb + b];
        double lo = m ? c.cum[((size_t)r * MONTHS + (size_t)m - 1) * c.nb + b]
                      : c.cum0[(size_t)r * c.nb + b];
        v[r] = (hi - lo) / 1e6;
      }
      qsort(v, (size_t)runs, sizeof *v, cmp);
      double p05 = v[(int)(0.05 * (runs - 1))], p50 = v[(runs - 1) / 2],
             p95 = v[(int)(0.95 * (runs - 1))];
      int in = obs[g][m] >= p05 && obs[g][m] <= p95;
      inside += in;
      total++;
      printf("| %d-%02d | %s | %.0f | %.0f | %.0f - %.0f | %s |\n",
             2023 + (10 + m) / 12, (10 + m) % 12 + 1, ids[g], obs[g][m], p50,
             p05, p95, in ? "yes" : "no");
    }
  }
  printf(
      "\n%d of %d donor-months (%.0f%%) inside the simulated 90%% band "
      "(%d runs).\n",
      inside, total, 100.0 * inside / (total ? total : 1), runs);
  free(v);
  free(c.cum);
  free(c.cum0);
  truce_sim_free(sim);
  truce_scenario_free(sc);
  truce_ctx_free(ctx);
  return 0;
}
