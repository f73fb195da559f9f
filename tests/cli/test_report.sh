#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# truce report's page as data (the browser test draws it): its size does
# not grow with the run count and stays under 2 MB; no per-run rows are
# embedded, runs.csv's outcomes arrive as histograms that add up to the
# runs.csv they came from; display names reach summary.json (and bad ones
# are FILE:LINE:COL errors); an observed series (hindcast.json) beside
# the run is embedded, a malformed one refused.
# usage: test_report.sh TRUCE_BINARY SOURCE_DIR
set -u
. "$2/tests/cli/lib.sh"
UA=$SRC/scenarios/ukraine-2023-11.yaml

# ---- the page's size against the run count: at 20 and 400 runs it holds
# the same number of rows and histogram bins (only the digits of the
# numbers change: fewer runs give more interpolated decimals), both under
# 2,000,000 bytes; so 10,000 runs are too (measured: docs/outputs.md)
"$TRUCE" run "$UA" --runs 20 --out "$T/r20" -q || bad "run 20"
"$TRUCE" run "$UA" --runs 400 --out "$T/r400" -q || bad "run 400"
a=$(stat -c %s "$T/r20/report.html") b=$(stat -c %s "$T/r400/report.html")
r=$(stat -c %s "$T/r400/runs.csv")
[ "$a" -lt 2000000 ] && [ "$b" -lt 2000000 ] && ok || bad "report sizes $a and $b bytes (limit 2,000,000)"
[ $(( (b > a ? b - a : a - b) * 10 )) -lt "$a" ] && ok || bad "report size moves with runs: $a bytes at 20 runs, $b at 400"
python3 - "$T/r400" "$T/r20" <<'PY' && ok || bad "report data: see above"
import csv, json, re, sys
d = sys.argv[1]
page = open(d + "/report.html", encoding="utf-8").read()
def block(i, page=page):
    m = re.search(r'<script type="application/json" id="%s">(.*?)</script>' % i, page, re.S)
    return json.loads(m.group(1)) if m else None
ok = True
def fail(msg):
    global ok
    ok = False
    print("FAIL: " + msg)
if block("truce-runs") is not None or "sides.ua.personnel.front," in page:
    fail("per-run rows (runs.csv) embedded in the page")
daily = block("truce-daily").splitlines()
hdr = daily[0].split(",")
full = open(d + "/daily.csv").read().splitlines()
dc = hdr.index("day")
days = sorted({int(l.split(",")[dc]) for l in daily[1:]})
alldays = sorted({int(l.split(",")[dc]) for l in full[1:]})
if len(days) > 121 or days[0] != 0 or days[-1] != alldays[-1]:
    fail("daily thinned to %d days (%s..%s); expected <= 121 from 0 to %d" % (len(days), days[0], days[-1], alldays[-1]))
keep = set(days)
rows = [l for l in full[1:] if int(l.split(",")[dc]) in keep]
if rows != daily[1:]:
    fail("the thinned daily rows differ from daily.csv's rows of those days")
H = block("truce-hist")["exhaustion_day"]
runs = list(csv.DictReader(open(d + "/runs.csv")))
if H["runs"] != len(runs):
    fail("histogram of %d runs, runs.csv has %d" % (H["runs"], len(runs)))
for side, h in H["by"].items():
    v = [r[side + ".exhaustion_day"] for r in runs]
    never = sum(1 for x in v if x == "")
    hit = [float(x) for x in v if x != ""]
    want = [0] * len(h["counts"])
    for x in hit:
        want[min(int(x // H["width"]), len(want) - 1)] += 1
    if h["never"] != never or h["counts"] != want:
        fail("%s: histogram %s never %d; runs.csv gives %s never %d" % (side, h["counts"], h["never"], want, never))
    if hit and max(hit) >= H["width"] * len(want):
        fail("%s: bins of %g days end before day %g" % (side, H["width"], max(hit)))
s = block("truce-summary")
if s["names"]["sides"] != {"ua": "Ukraine", "ru": "Russia"} or s["names"]["backers"]["us"] != "United States" \
        or s["names"]["options"]["sanctions"] != {"kept": "sanctions kept", "eased": "sanctions eased"}:
    fail("names in summary.json: %s" % s["names"])
page20 = open(sys.argv[2] + "/report.html", encoding="utf-8").read()
if len(block("truce-daily", page20).splitlines()) != len(daily) or \
        json.dumps(block("truce-hist", page20)).count(",") != json.dumps(block("truce-hist")).count(","):
    fail("the embedded rows or bins change with the run count")
u = block("truce-units")
if u.get("committed") != "money" or u.get("front") != "soldiers":
    fail("units: %s" % u)
sys.exit(0 if ok else 1)
PY

# ---- display names: ids where none is given; bad names are errors
cat >"$T/n.yaml" <<'Y'
truce: 1
horizon_days: 30
sides:
  - id: a
    name: "Side <A> & co"
    personnel: {front: 1000}
  - id: b
    personnel: {front: 900}
combat:
  law: square
  coefficients: {a: 0.01, b: 0.012}
Y
"$TRUCE" run "$T/n.yaml" --out "$T/n" -q 2>"$T/stderr" && ok || bad "named side: $(cat "$T/stderr")"
python3 -c "import json,sys; n=json.load(open('$T/n/summary.json'))['names']; sys.exit(n['sides'] != {'a': 'Side <A> & co', 'b': 'b'})" \
  && ok || bad "names: $(grep names "$T/n/summary.json")"
grep -q 'Side <A>' "$T/n/report.html" && bad "a display name reached the page unescaped" || ok
sed 's/name: "Side <A> & co"/name: ""/' "$T/n.yaml" >"$T/n2.yaml"
"$TRUCE" check "$T/n2.yaml" 2>"$T/stderr"; rc=$?
[ $rc -eq 1 ] && grep -q "^$T/n2.yaml:5:[0-9]*: error: bad display name for 'sides.a.name'" "$T/stderr" \
  && ok || bad "empty side name: exit $rc, $(cat "$T/stderr")"
sed 's/names: {kept: sanctions kept/names: {kep: sanctions kept/' "$UA" >"$T/n3.yaml"
"$TRUCE" check "$T/n3.yaml" 2>"$T/stderr"; rc=$?
line=$(grep -n "names: {kep:" "$T/n3.yaml" | cut -d: -f1)
[ $rc -eq 1 ] && grep -q "^$T/n3.yaml:$line:[0-9]*: error: unknown option 'kep' in 'negotiation.issues.sanctions.names'" "$T/stderr" \
  && ok || bad "unknown option name: exit $rc, $(cat "$T/stderr")"

# ---- observed series beside the run (truce hindcast --json > DIR/hindcast.json)
"$TRUCE" hindcast "$UA" --observed "$SRC/data/ukraine/observed/ru_casualties_uk_mod.csv" \
  --runs 20 --json >"$T/r20/hindcast.json" 2>"$T/stderr" || bad "hindcast: $(cat "$T/stderr")"
"$TRUCE" report "$T/r20" >/dev/null 2>"$T/stderr" && grep -q 'id="truce-hindcast">{' "$T/r20/report.html" \
  && ok || bad "hindcast.json not embedded: $(cat "$T/stderr")"
printf '{"groups": [' >"$T/r20/hindcast.json"
"$TRUCE" report "$T/r20" -o "$T/bad.html" 2>"$T/stderr"; rc=$?
[ $rc -eq 1 ] && grep -q "^$T/r20/hindcast.json:[0-9]*:[0-9]*: error: malformed JSON: .*expected the hindcast.json written by truce hindcast --json" "$T/stderr" \
  && [ ! -e "$T/bad.html" ] && ok || bad "malformed hindcast.json: exit $rc, $(cat "$T/stderr")"

echo "report: $pass passed, $fail failed"
[ $fail -eq 0 ]
