/* SPDX-License-Identifier: GPL-3.0-or-later
 * truce run's output set: staged beside --out, locked, swapped into place
 * whole (outset.c). */
#ifndef TRUCE_CLI_OUTSET_H
#define TRUCE_CLI_OUTSET_H

#define CLI_OUTSET_PATH 1024                       /* --out */
#define CLI_OUTSET_LONG (2 * CLI_OUTSET_PATH + 64) /* beside it */

typedef struct {
  char out[CLI_OUTSET_PATH]; /* --out, without trailing '/' */
  char parent[CLI_OUTSET_PATH], base[CLI_OUTSET_PATH];
  char
      stage[CLI_OUTSET_LONG]; /* where the run writes: PARENT/.BASE.stage.PID */
  char old[CLI_OUTSET_LONG];  /* the previous set while it is removed */
  char lock[CLI_OUTSET_LONG]; /* PARENT/.BASE.lock */
  int lock_fd;
} cli_outset;

/* Create --out's parent, take the lock (refusing a concurrent run with a
 * message), remove what interrupted runs left, create the staging
 * directory and remove it on SIGINT, SIGTERM or SIGHUP. 0, or -1 after
 * printing why. */
int cli_outset_begin(cli_outset* s, const char* out);
/* Swap the staging directory into place as --out (keeping files of --out
 * that truce run does not write). 0, or -1 after printing why. */
int cli_outset_commit(cli_outset* s);
/* Remove the staging directory if not committed, restore the signals,
 * release the lock. */
void cli_outset_end(cli_outset* s);
#endif
