#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# truce serve on the article scenario (a free loopback port, 200 runs a
# change, a first pass of 50), driven by headless Chromium
# (serve_test.mjs); the server is stopped on exit.
# usage: serve.sh TRUCE SOURCE_DIR WEB_DIR
set -euo pipefail
TRUCE=$1 SRC=$2 WEB=$3
. "$(dirname "$0")/lib.sh"
browser_require browser_serve "$WEB"
T=$(mktemp -d)
pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$T"' EXIT
"$TRUCE" serve "$SRC/scenarios/ukraine-2023-11.yaml" --port 0 --runs 200 \
  --first-runs 50 >"$T/out" 2>"$T/err" &
pid=$!
for _ in $(seq 300); do grep -q 'http://' "$T/out" && break; sleep 0.1; done
url=$(grep -o 'http://[0-9.]*:[0-9]*/' "$T/out") ||
  { echo "browser_serve: the server did not start: $(cat "$T/err")" >&2; exit 1; }
node "$SRC/tests/browser/serve_test.mjs" "$url" 200 "$WEB"
