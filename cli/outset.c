/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * truce run's output set, all or nothing: the outputs are written into a
 * staging directory beside --out (".NAME.stage.PID") and swapped into
 * place by one rename (Linux's renameat2 RENAME_EXCHANGE when --out
 * exists), so a reader sees the old set or the new one, never a mix. An
 * advisory lock (".NAME.lock", fcntl) refuses a second run into the same
 * --out; SIGINT, SIGTERM and SIGHUP remove the staging directory; staging
 * directories and temporary files left by killed runs are removed, and
 * reported, by the next run. Files in --out that truce run does not write
 * are kept. docs/outputs.md describes it.
 */
#define _GNU_SOURCE /* renameat2, syscall */
#include "outset.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

/* What truce run writes into --out; other files there are kept. */
static const char* const owned[] = {"daily.csv", "runs.csv", "results.db",
                                    "summary.json", "report.html"};

static bool is_owned(const char* name) {
  for (size_t i = 0; i < sizeof owned / sizeof owned[0]; i++)
    if (!strcmp(name, owned[i])) return true;
  return false;
}

/* A temporary file of a writer (".daily.csv.PID.tmp", "report.html.PID.tmp").
 */
static bool is_temp(const char* name) {
  size_t n = strlen(name);
  if (n < 6 || strcmp(name + n - 4, ".tmp")) return false;
  size_t i = n - 4;
  while (i > 0 && name[i - 1] >= '0' && name[i - 1] <= '9') i--;
  return i < n - 4 && i > 0 && name[i - 1] == '.';
}

/* Remove a flat directory and what is in it, from anywhere including a
 * signal handler: open, getdents64, unlinkat and rmdir are system calls
 * (no allocation, no stdio). */
static void remove_flat(const char* dir) {
  int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  char buf[4096];
  for (;;) {
    long n = syscall(SYS_getdents64, fd, buf, sizeof buf);
    if (n <= 0) break;
    for (long at = 0; at < n;) {
      struct {
        unsigned long long ino;
        long long off;
        unsigned short reclen;
        unsigned char type;
        char name[];
      }* d = (void*)(buf + at);
      if (strcmp(d->name, ".") && strcmp(d->name, ".."))
        unlinkat(fd, d->name, 0);
      at += d->reclen;
    }
  }
  close(fd);
  rmdir(dir);
}

/* ------------------------------------------------------------ signals */

static volatile sig_atomic_t staging_live;
static char staging_path[CLI_OUTSET_LONG];

static void on_signal(int sig) {
  if (staging_live) remove_flat(staging_path);
  signal(sig, SIG_DFL);
  raise(sig);
}

static void catch_signals(bool on) {
  static const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on ? on_signal : SIG_DFL;
  sigemptyset(&sa.sa_mask);
  for (size_t i = 0; i < 3; i++) sigaddset(&sa.sa_mask, sigs[i]);
  for (size_t i = 0; i < 3; i++) sigaction(sigs[i], &sa, NULL);
}

/* ---------------------------------------------------------- helpers */

static int fail(const char* path, const char* what, int err) {
  fprintf(stderr, "truce: error: %s: %s (%s)\n", path, what, strerror(err));
  return -1;
}

/* mkdir -p */
static int make_dirs(const char* dir) {
  char part[CLI_OUTSET_PATH];
  snprintf(part, sizeof part, "%s", dir);
  for (char* s = part + 1;; s++) {
    bool end = *s == '\0';
    if (*s != '/' && !end) continue;
    *s = '\0';
    if (mkdir(part, 0777) != 0 && errno != EEXIST)
      return fail(part, "cannot create the directory", errno);
    if (end) break;
    *s = '/';
  }
  return 0;
}

/* Remove what killed runs left (only the lock holder gets here, so
 * nothing else is writing them): staging and old directories beside
 * --out, writers' temporary files inside it. Each is reported. */
static void clean_stale(const cli_outset* s) {
  char pre[CLI_OUTSET_PATH + 8];
  snprintf(pre, sizeof pre, ".%s.", s->base);
  size_t np = strlen(pre);
  DIR* d = opendir(s->parent);
  for (struct dirent* e; d && (e = readdir(d));) {
    if (strncmp(e->d_name, pre, np) || (strncmp(e->d_name + np, "stage.", 6) &&
                                        strncmp(e->d_name + np, "old.", 4)))
      continue;
    char p[CLI_OUTSET_LONG];
    snprintf(p, sizeof p, "%s/%s", s->parent, e->d_name);
    remove_flat(p);
    fprintf(stderr, "truce: removed %s, left by an interrupted run\n", p);
  }
  if (d) closedir(d);
  d = opendir(s->out);
  for (struct dirent* e; d && (e = readdir(d));) {
    if (!is_temp(e->d_name)) continue;
    char p[CLI_OUTSET_LONG];
    snprintf(p, sizeof p, "%s/%s", s->out, e->d_name);
    if (unlink(p) == 0)
      fprintf(stderr, "truce: removed %s, left by an interrupted run\n", p);
  }
  if (d) closedir(d);
}

/* Link the regular files of --out that truce run does not write (say an
 * explore.json, which the report draws) into the staging directory, so
 * that the new set sees them too; a link shares the file, nothing is
 * copied. What cannot be linked is moved over at the commit. */
static void carry(const cli_outset* s) {
  DIR* d = opendir(s->out);
  for (struct dirent* e; d && (e = readdir(d));) {
    if (e->d_name[0] == '.' && (!e->d_name[1] || !strcmp(e->d_name, "..")))
      continue;
    if (is_owned(e->d_name) || is_temp(e->d_name)) continue;
    char from[CLI_OUTSET_LONG + 256], to[CLI_OUTSET_LONG + 256];
    snprintf(from, sizeof from, "%s/%s", s->out, e->d_name);
    snprintf(to, sizeof to, "%s/%s", s->stage, e->d_name);
    struct stat st;
    if (lstat(from, &st) == 0 && S_ISREG(st.st_mode)) link(from, to);
  }
  if (d) closedir(d);
}

/* ------------------------------------------------------------- API */

int cli_outset_begin(cli_outset* s, const char* out) {
  memset(s, 0, sizeof *s);
  s->lock_fd = -1;
  size_t n = strlen(out);
  while (n > 1 && out[n - 1] == '/') n--;
  if (n == 0 || n >= CLI_OUTSET_PATH - 64) {
    fprintf(stderr,
            "truce: error: --out '%s': expected a directory name of "
            "1 to %d bytes\n",
            out, CLI_OUTSET_PATH - 65);
    return -1;
  }
  snprintf(s->out, sizeof s->out, "%.*s", (int)n, out);
  const char* slash = strrchr(s->out, '/');
  if (slash) {
    snprintf(s->parent, sizeof s->parent, "%.*s",
             slash == s->out ? 1 : (int)(slash - s->out), s->out);
    snprintf(s->base, sizeof s->base, "%s", slash + 1);
  } else {
    snprintf(s->parent, sizeof s->parent, ".");
    snprintf(s->base, sizeof s->base, "%s", s->out);
  }
  if (!strcmp(s->base, ".") || !strcmp(s->base, "..")) {
    fprintf(stderr,
            "truce: error: --out '%s': expected a directory name, "
            "not '.' or '..'\n",
            out);
    return -1;
  }
  if (make_dirs(s->parent)) return -1;
  struct stat st;
  if (stat(s->out, &st) == 0 && !S_ISDIR(st.st_mode)) {
    fprintf(stderr, "truce: error: --out '%s' is not a directory\n", s->out);
    return -1;
  }
  long pid = (long)getpid();
  snprintf(s->lock, sizeof s->lock, "%s/.%s.lock", s->parent, s->base);
  snprintf(s->stage, sizeof s->stage, "%s/.%s.stage.%ld", s->parent, s->base,
           pid);
  snprintf(s->old, sizeof s->old, "%s/.%s.old.%ld", s->parent, s->base, pid);
  s->lock_fd = open(s->lock, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
  if (s->lock_fd < 0) return fail(s->lock, "cannot open the lock", errno);
  struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET};
  if (fcntl(s->lock_fd, F_SETLK, &fl) != 0) {
    int e = errno;
    close(s->lock_fd);
    s->lock_fd = -1;
    if (e == EACCES || e == EAGAIN) {
      fprintf(stderr,
              "truce: error: --out '%s' is in use by another truce "
              "run (lock %s); wait for it or choose another --out\n",
              s->out, s->lock);
      return -1;
    }
    return fail(s->lock, "cannot lock", e);
  }
  clean_stale(s);
  snprintf(staging_path, sizeof staging_path, "%s", s->stage);
  catch_signals(true);
  if (mkdir(s->stage, 0777) != 0) {
    int e = errno;
    cli_outset_end(s);
    return fail(s->stage, "cannot create the staging directory", e);
  }
  staging_live = 1;
  carry(s);
  return 0;
}

int cli_outset_commit(cli_outset* s) {
  /* no signal between the swap and the move of kept files: the handler
   * would remove the old set with them */
  sigset_t block, was;
  sigemptyset(&block);
  sigaddset(&block, SIGINT);
  sigaddset(&block, SIGTERM);
  sigaddset(&block, SIGHUP);
  sigprocmask(SIG_BLOCK, &block, &was);
  struct stat st;
  bool exists = stat(s->out, &st) == 0;
  int rc = 0;
  if (!exists) {
    if (rename(s->stage, s->out) != 0)
      rc = fail(s->out, "cannot move the outputs into place", errno);
  } else if (renameat2(AT_FDCWD, s->stage, AT_FDCWD, s->out, RENAME_EXCHANGE) ==
             0) {
    snprintf(s->old, sizeof s->old, "%s", s->stage); /* the old set */
  } else if (rename(s->out, s->old) != 0) {
    rc = fail(s->out, "cannot move the outputs into place", errno);
  } else if (rename(s->stage, s->out) != 0) {
    /* no atomic exchange on this file system: two renames, --out briefly
     * absent but never mixed; put the old set back on failure */
    rc = fail(s->out, "cannot move the outputs into place", errno);
    rename(s->old, s->out);
  }
  if (!rc) staging_live = 0;
  /* keep what truce does not own and carry() could not link: move it
   * from the old set to the new (a linked file is there already: rename
   * between two links of one file does nothing) */
  bool kept_all = true;
  DIR* d = !rc && exists ? opendir(s->old) : NULL;
  for (struct dirent* e; d && (e = readdir(d));) {
    if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..") ||
        is_owned(e->d_name) || is_temp(e->d_name))
      continue;
    char from[CLI_OUTSET_LONG + 256], to[CLI_OUTSET_LONG + 256];
    snprintf(from, sizeof from, "%s/%s", s->old, e->d_name);
    snprintf(to, sizeof to, "%s/%s", s->out, e->d_name);
    if (rename(from, to) != 0) {
      fprintf(stderr,
              "truce: warning: %s: cannot move it back into %s (%s);"
              " it stays in %s\n",
              e->d_name, s->out, strerror(errno), s->old);
      kept_all = false;
    }
  }
  if (d) closedir(d);
  if (!rc && exists && kept_all) remove_flat(s->old);
  sigprocmask(SIG_SETMASK, &was, NULL);
  return rc;
}

void cli_outset_end(cli_outset* s) {
  if (staging_live) remove_flat(s->stage);
  staging_live = 0;
  catch_signals(false);
  if (s->lock_fd >= 0) close(s->lock_fd);
  s->lock_fd = -1;
}
