#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs the article scenario (and an exploration beside it), writes its
# report and opens it in headless Chromium (report_test.mjs); then the comparison page with US aid halved
# (compare_test.mjs), after checking that the exhaustion shares moved.
# usage: run.sh TRUCE SOURCE_DIR WEB_DIR OUT_DIR
set -euo pipefail
TRUCE=$1 SRC=$2 WEB=$3 OUT=$4
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
"$TRUCE" run "$SRC/scenarios/ukraine-2023-11.yaml" --runs 200 --out "$T/a" -q
"$TRUCE" run "$SRC/scenarios/ukraine-2023-11.yaml" --runs 200 --out "$T/b" -q \
  --set backers.us.budget_scale=0.5 --no-report
"$TRUCE" compare "$T/a" "$T/b" >"$T/compare.txt"
grep -q "backers.us.budget_scale" "$T/compare.txt"
# less US aid: more of Ukraine's runs exhausted (capable strength), and
# fewer Russian casualties (fewer Ukrainian shells fired; the same seeds)
awk '{ v = ($NF == "pp" ? $(NF - 1) : $NF) + 0 }
     /ua: share exhausted by day 730/ { ua = (v > 0) }
     /ru: mean casualties/ { ru = (v < 0) }
     END { exit !(ua && ru) }' "$T/compare.txt" ||
  { echo "compare: outcomes did not shift with US aid halved" >&2
    cat "$T/compare.txt" >&2; exit 1; }
# an exploration beside the run: the report holds its charts too
"$TRUCE" explore "$SRC/scenarios/ukraine-2023-11.yaml" --design morris --n 2 \
  --replicates 2 --lever backers.us.budget_scale=0:1.5 --bootstrap 20 \
  --out "$T/a" -q --no-report
"$TRUCE" report "$T/a"
node "$SRC/tests/browser/report_test.mjs" "$T/a/report.html" \
  "$OUT/report-screenshot.png" "$WEB"
node "$SRC/tests/browser/compare_test.mjs" "$T/b/compare.html" \
  backers.us.budget_scale "$WEB"
# An exploration with a lever and a condition: its page's charts render.
"$TRUCE" explore "$SRC/scenarios/ukraine-2023-11.yaml" --design morris --n 4 \
  --replicates 2 --lever backers.us.budget_scale=0:1.5 \
  --condition 'ua.exhaustion_day < 731' --bootstrap 50 --out "$T/x" -q
node "$SRC/tests/browser/explore_test.mjs" "$T/x/explore.html" \
  "$OUT/explore-screenshot.png" "$WEB"
