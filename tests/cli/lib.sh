# SPDX-License-Identifier: GPL-3.0-or-later
# Sourced by the CLI tests (after `set -u`) with their own arguments: TRUCE
# (the binary, $1) and SRC (the source tree, $2), a private temporary
# directory T removed at exit (a test that starts servers or jobs sets its
# own EXIT trap after this), and the ok/bad counters pass and fail.
TRUCE=$1
SRC=$2
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
