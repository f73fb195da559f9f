# SPDX-License-Identifier: GPL-3.0-or-later
# Sourced by the browser tests (run.sh, serve.sh): browser_require NAME WEB
# fails the test NAME loudly (exit 1) when node, Chromium or WEB's
# playwright-core is missing, instead of skipping it.
browser_require() {
  local name=$1 web=$2 missing=""
  command -v node >/dev/null 2>&1 || missing="$missing node"
  [ -x /usr/bin/chromium ] || missing="$missing chromium"
  [ -d "$web/node_modules/playwright-core" ] || missing="$missing $web/node_modules/playwright-core"
  if [ -n "$missing" ]; then
    echo "$name: FAIL: missing:$missing (run scripts/install-deps)" >&2
    exit 1
  fi
}
