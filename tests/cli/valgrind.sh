# SPDX-License-Identifier: GPL-3.0-or-later
# Sourced by the CLI tests: with TRUCE_VALGRIND set (make valgrind), every
# truce they start runs under valgrind memcheck, whose errors (invalid
# reads and writes, uninitialised values, definite leaks) exit 99, which
# fails the check that expected 0, 1 or 2. Needs $TRUCE and $T.
if [ -n "${TRUCE_VALGRIND:-}" ]; then
  printf '#!/bin/sh\nexec valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite --show-possibly-lost=no "%s" "$@"\n' \
    "$TRUCE" >"$T/valgrind-truce"
  chmod +x "$T/valgrind-truce"
  TRUCE=$T/valgrind-truce
fi
