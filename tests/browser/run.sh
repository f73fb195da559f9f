#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs the article scenario (and an exploration and a hindcast beside it),
# writes its report and opens it in headless Chromium (report_test.mjs; and
# a deterministic Iwo Jima); then the comparison page with US aid halved
# (compare_test.mjs), after checking that the outcomes moved.
# usage: run.sh TRUCE SOURCE_DIR WEB_DIR OUT_DIR
set -euo pipefail
TRUCE=$1 SRC=$2 WEB=$3 OUT=$4
. "$(dirname "$0")/lib.sh"
browser_require browser "$WEB"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
"$TRUCE" run "$SRC/scenarios/ukraine-2023-11.yaml" --runs 200 --out "$T/a" -q
"$TRUCE" run "$SRC/scenarios/ukraine-2023-11.yaml" --runs 200 --out "$T/b" -q \
  --set backers.us.budget_scale=0.5 --no-report
"$TRUCE" compare "$T/a" "$T/b" >"$T/compare.txt"
grep -q "backers.us.budget_scale" "$T/compare.txt"
# less US aid: less Ukrainian capable strength at the horizon (fewer
# weapons and shells; its line, which breaks by density, need not), and
# fewer Russian casualties (fewer Ukrainian shells fired; the same seeds)
"$TRUCE" compare "$T/a" "$T/b" --json >"$T/compare.json"
python3 - "$T/compare.json" <<'P' ||
import json, sys
o = {x["what"]: x for x in json.load(open(sys.argv[1]))["outcomes"]}
sys.exit(not (o["ua: median power on day 730"]["diff"] < 0
              and o["ru: mean casualties_total"]["diff"] < 0))
P
  { echo "compare: outcomes did not shift with US aid halved" >&2
    cat "$T/compare.txt" >&2; exit 1; }
# an exploration beside the run: the report holds its charts too
"$TRUCE" explore "$SRC/scenarios/ukraine-2023-11.yaml" --design morris --n 2 \
  --replicates 2 --lever backers.us.budget_scale=0:1.5 --bootstrap 20 \
  --out "$T/a" -q --no-report
# and the observed series (truce hindcast --json beside the run), drawn
# over the fan charts
"$TRUCE" hindcast "$SRC/scenarios/ukraine-2023-11.yaml" --runs 200 --json \
  --observed "$SRC/data/ukraine/observed/ru_casualties_uk_mod.csv" \
  --observed "$SRC/data/ukraine/observed/ru_area_isw.csv" \
  --observed "$SRC/data/ukraine/observed/aid_kiel.csv" >"$T/a/hindcast.json"
"$TRUCE" report "$T/a"
node "$SRC/tests/browser/report_test.mjs" "$T/a/report.html" \
  "$OUT/report-screenshot" "$WEB" --expect-observed
# a deterministic run of a scenario without equipment or ammunition: no
# bands, no empty charts
"$TRUCE" run "$SRC/scenarios/historical/iwo-jima-1945.yaml" --deterministic \
  --out "$T/iwo" -q
node "$SRC/tests/browser/report_test.mjs" "$T/iwo/report.html" \
  "$OUT/report-iwo-screenshot" "$WEB"
node "$SRC/tests/browser/compare_test.mjs" "$T/b/compare.html" \
  backers.us.budget_scale "$WEB"
# An exploration with a lever and a condition: its page's charts render.
"$TRUCE" explore "$SRC/scenarios/ukraine-2023-11.yaml" --design morris --n 4 \
  --replicates 2 --lever backers.us.budget_scale=0:1.5 \
  --condition 'bargaining.open_day < 731' --bootstrap 50 --out "$T/x" -q
node "$SRC/tests/browser/explore_test.mjs" "$T/x/explore.html" \
  "$OUT/explore-screenshot.png" "$WEB"
# Hostile text in every free text field of a scenario and of a store: the
# pages render, no script runs, no element is injected.
H1='x <!--<script> y </script><script>window.__pwned=1</script>'
H2='</script><img src=y onerror="window.__pwned=2">'
sed -e "s|^name: .*|name: '$H1'|" \
    -e "s|source: \"Engel 1954 via Braun sec. 4.5\"|source: '$H2'|" \
    -e "s|claimant: Engel,|claimant: '<!--<script>',|" \
    -e "s|unit: men,|unit: '<svg onload=window.__pwned=3>',|" \
    "$SRC/scenarios/historical/iwo-jima-1945.yaml" >"$T/hostile.yaml"
"$TRUCE" run "$T/hostile.yaml" --runs 5 --out "$T/h" -q
"$TRUCE" run "$T/hostile.yaml" --runs 5 --out "$T/h2" -q --no-report --set seed=8
sqlite3 "$T/h2/results.db" "update runs set side = '$H2' where side = 'us';
  update assumptions set source = '<b id=injected>x</b>' where rowid = 1;"
"$TRUCE" compare "$T/h" "$T/h2" >/dev/null
node "$SRC/tests/browser/hostile_test.mjs" "$T/h/report.html" "$T/h2/compare.html" \
  "$H1" "$WEB"
