#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# truce as a hostile user meets it (issue 15): inputs that used to hang or
# read uninitialised memory, text that used to reach HTML as markup, stores
# that compare used to confuse, and output sets that used to be left
# half-written (killed runs, concurrent runs, full disks, failed reports).
# Each check names the finding it guards.
# usage: test_hostile.sh TRUCE_BINARY SOURCE_DIR
set -u
. "$2/tests/cli/lib.sh"
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$T"' EXIT
. "$SRC/tests/cli/valgrind.sh"
IWO=$SRC/scenarios/historical/iwo-jima-1945.yaml
UA=$SRC/scenarios/ukraine-2023-11.yaml
# the data blocks of a page: no '<' may appear in them (python3, stdlib)
no_markup_in_data() {
  python3 - "$1" <<'PY'
import re, sys
page = open(sys.argv[1], encoding="utf-8").read()
blocks = re.findall(r'<script type="application/json" id="([^"]+)">(.*?)</script>', page, re.S)
bad = [i for i, b in blocks if "<" in b]
sys.exit(1 if not blocks or bad or "<!--" in page else 0)
PY
}

# ---- 4. a 2-byte file hung truce check (libfyaml's directive scanner)
printf '%%\x9b' >"$T/h.yaml"
timeout 20 "$TRUCE" check "$T/h.yaml" 2>"$T/stderr"
rc=$?
[ $rc -eq 1 ] && grep -q "^$T/h.yaml:1:1: error: .*directives" "$T/stderr" \
  && ok || bad "4: directive + non-ASCII byte: exit $rc, $(cat "$T/stderr")"
printf 'truce_stake: 1\n%%\x9b\n' >"$T/h-stake.yaml"
timeout 20 "$TRUCE" stake "$T/h-stake.yaml" 2>"$T/stderr" >/dev/null
rc=$?
[ $rc -eq 1 ] && grep -q "h-stake.yaml:2:1: error: .*directives" "$T/stderr" \
  && ok || bad "4: stakeholder YAML with a directive: exit $rc, $(cat "$T/stderr")"

# ---- 5. truce: [1] printed a version from an unset buffer
printf 'truce: [1]\n' >"$T/v.yaml"
"$TRUCE" check "$T/v.yaml" 2>"$T/stderr"
[ $? -eq 1 ] && grep -qx "$T/v.yaml:1:9: error: unsupported format version a list; expected 'truce: 1'" "$T/stderr" \
  && ok || bad "5: version [1]: $(cat "$T/stderr")"

# ---- 6. a KTAB CSV with a repeated header row leaked (seen under
# make sanitize and make valgrind, which fail the run on a leak)
printf 'X, X issue, 2, 1,\nActor, Desc, Power, P, S\nActor, Desc, Power, Q, S\nA, a, 10, 40, 50\nB, b, 5, 60, 50\n' >"$T/rep.csv"
"$TRUCE" stake "$T/rep.csv" >/dev/null 2>"$T/stderr" && ok \
  || bad "6: repeated KTAB header: $(cat "$T/stderr")"

# ---- 10. control characters in names reach the terminal only as \xNN
printf 'X, X issue, 2, 1,\nActor, Desc, Power, P, S\nA\033]0;owned\007, a, ten, 40, 50\nB, b, 5, 60, 50\n' >"$T/esc.csv"
"$TRUCE" stake "$T/esc.csv" >/dev/null 2>"$T/stderr"
rc=$?
[ $rc -eq 1 ] && grep -q 'A\\x1B\]0;owned\\x07' "$T/stderr" && ! grep -q $'\033' "$T/stderr" \
  && ok || bad "10: escape sequence in a name: exit $rc, $(od -c "$T/stderr" | head -5)"
# a full standard output is an error, not exit 0
if [ -w /dev/full ]; then
  "$TRUCE" check "$IWO" >/dev/full 2>"$T/stderr"
  rc=$?
  [ $rc -eq 1 ] && grep -q "standard output.*No space left" "$T/stderr" \
    && ok || bad "10: stdout on /dev/full: exit $rc, $(cat "$T/stderr")"
fi

# ---- 1. issue and option names are ids: no markup reaches the headline
sed -n '1,/^combat:/p' "$IWO" >"$T/nego.yaml"
cat >>"$T/nego.yaml" <<'Y'
  law: square
  coefficients: {us: 0.0106, japan: 0.0544}
negotiation:
  issues:
    "<img src=y onerror=alert(6)>": {options: [p, q], status_quo: p}
  sides:
    us: {weights: {territory: 0.5, "<img src=y onerror=alert(6)>": 0.5}, bargaining_power: 0.5,
         values: {"<img src=y onerror=alert(6)>": {p: 0.2, q: 0.9}}}
    japan: {weights: {territory: 0.5, "<img src=y onerror=alert(6)>": 0.5}, bargaining_power: 0.5,
            values: {"<img src=y onerror=alert(6)>": {p: 0.9, q: 0.2}}}
Y
"$TRUCE" run "$T/nego.yaml" --out "$T/nego" -q 2>"$T/stderr"
rc=$?
[ $rc -eq 1 ] && grep -q "nego.yaml:.*error: bad issue name '<img" "$T/stderr" && [ ! -e "$T/nego" ] \
  && ok || bad "1: hostile issue name: exit $rc, $(cat "$T/stderr")"

# ---- 3 (and 11). text with </script, <!-- and <script in every free text
# field: the report's data blocks hold no '<' at all
sed -e 's|^name: .*|name: "x <!--<script> y </script><script>window.__pwned=1</script>"|' \
    -e 's|source: "Engel 1954 via Braun sec. 4.5"|source: "</script><img src=y onerror=\\"window.__pwned=2\\">"|' \
    -e 's|claimant: Engel,|claimant: "<!--<script>",|' \
    -e 's|unit: men,|unit: "<svg onload=window.__pwned=3>",|' "$IWO" >"$T/hostile.yaml"
"$TRUCE" run "$T/hostile.yaml" --runs 3 --out "$T/hostile" -q 2>"$T/stderr" \
  && no_markup_in_data "$T/hostile/report.html" \
  && ok || bad "3: hostile text in the report's data: $(cat "$T/stderr")"
grep -q '<script>window.__pwned\|<img src=y onerror\|<svg onload' "$T/hostile/report.html" \
  && bad "3: hostile markup reached the report raw" || ok

# ---- 2 (and 11). compare.html from a crafted results.db: side names,
# paths and sources become text
"$TRUCE" run "$IWO" --runs 3 --out "$T/ca" -q --no-report
"$TRUCE" run "$IWO" --runs 3 --out "$T/cb" -q --no-report --set seed=8
sqlite3 "$T/cb/results.db" "update runs set side = '</script><img src=x onerror=alert(1)>' where side = 'us';
  update assumptions set source = '<b>bold</b><!--' where rowid = 1;"
"$TRUCE" compare "$T/ca" "$T/cb" >/dev/null 2>"$T/stderr" \
  && no_markup_in_data "$T/cb/compare.html" \
  && ! grep -q '<img src=x onerror\|<b>bold' "$T/cb/compare.html" \
  && grep -q '&lt;b&gt;bold&lt;/b&gt;' "$T/cb/compare.html" \
  && ok || bad "2: crafted store in compare.html: $(cat "$T/stderr")"

# ---- 7. compare refuses an empty or foreign store, or one lacking a table
mkdir -p "$T/empty" "$T/foreign" "$T/lacking"
: >"$T/empty/results.db"
sqlite3 "$T/foreign/results.db" "create table runs(x);"
cp "$T/ca/results.db" "$T/lacking/results.db"
sqlite3 "$T/lacking/results.db" "drop table assumptions;"
for d in empty foreign lacking; do
  "$TRUCE" compare "$T/$d" "$T/cb" -o "$T/$d.html" >"$T/stdout" 2>"$T/stderr"
  rc=$?
  [ $rc -eq 1 ] && grep -q "$d/results.db:1:1: error: " "$T/stderr" && [ ! -e "$T/$d.html" ] \
    && ok || bad "7: compare with a $d store A: exit $rc, $(cat "$T/stderr") $(head -3 "$T/stdout")"
done

# ---- 9. resource limits, refused before anything is allocated (the
# timeouts stop a truce that accepts them, as 2f391e1 did, early)
timeout 10 "$TRUCE" run "$IWO" --runs 100000000 --threads 1 --out "$T/big" 2>"$T/stderr"
rc=$?
[ $rc -eq 1 ] && grep -q "need about .* of memory, more than the cap of 8.0 GiB.*--max-memory" "$T/stderr" \
  && [ ! -e "$T/big" ] && ok || bad "9: --runs 100000000: exit $rc, $(cat "$T/stderr")"
timeout 10 "$TRUCE" run "$UA" --runs 2 --threads 1 --set horizon_days=100000 --out "$T/long" 2>"$T/stderr"
rc=$?
[ $rc -eq 1 ] && grep -q "runs of 100000 days need about" "$T/stderr" \
  && ok || bad "9: horizon_days 100000: exit $rc, $(cat "$T/stderr")"
"$TRUCE" run "$IWO" --runs 3 --max-output 1K --out "$T/outcap" 2>"$T/stderr"
rc=$?
[ $rc -eq 1 ] && grep -q "write about .* of outputs, more than the cap of 1.0 KiB" "$T/stderr" \
  && ok || bad "9: --max-output 1K: exit $rc, $(cat "$T/stderr")"
python3 -c "import sys; sys.stdout.write('truce: 1\nsides: [\n' + '  {a: 1, b: [1, 2]},\n' * 60000)" >"$T/unclosed.yaml"
timeout 60 "$TRUCE" check "$T/unclosed.yaml" 2>"$T/stderr"
rc=$?
[ $rc -eq 1 ] && grep -q "unclosed.yaml:1:1: error: .*more than the limit of 1048576" "$T/stderr" \
  && ok || bad "9: 1.2 MB unclosed '[': exit $rc, $(cat "$T/stderr")"

# ---- 8. output sets: all or nothing
"$TRUCE" run "$IWO" --runs 3 --out "$T/set" -q
sum_set() { (cd "$1" && sha256sum daily.csv runs.csv results.db summary.json report.html 2>/dev/null); }
sum_set "$T/set" >"$T/set.sum"
# a failed report fails the run and leaves the old set whole
TRUCE_WEB_DIR=$T/noweb "$TRUCE" run "$IWO" --runs 5 --out "$T/set" -q 2>"$T/stderr"
rc=$?
[ $rc -eq 1 ] && grep -q "noweb/report.js:1:1: error: cannot read" "$T/stderr" \
  && sum_set "$T/set" | cmp -s - "$T/set.sum" && [ -z "$(ls -A "$T" | grep '\.set\.stage')" ] \
  && ok || bad "8: failed report: exit $rc, $(cat "$T/stderr")"
# SIGTERM mid-run: no staging directory left, the old set whole
"$TRUCE" run "$UA" --runs 100000 --threads 1 --out "$T/set" -q 2>/dev/null &
pid=$!
for _ in $(seq 100); do ls -d "$T"/.set.stage.* >/dev/null 2>&1 && break; sleep 0.1; done
ls -d "$T"/.set.stage.* >/dev/null 2>&1 || bad "8: no staging directory seen"
# a second run into the same --out while the first runs: refused
"$TRUCE" run "$IWO" --out "$T/set" -q 2>"$T/stderr"
rc=$?
[ $rc -eq 1 ] && grep -q "is in use by another truce run" "$T/stderr" \
  && ok || bad "8: concurrent run: exit $rc, $(cat "$T/stderr")"
kill -TERM $pid
wait $pid
rc=$?
[ $rc -eq 143 ] && ! ls -d "$T"/.set.stage.* >/dev/null 2>&1 \
  && sum_set "$T/set" | cmp -s - "$T/set.sum" \
  && ok || bad "8: SIGTERM: exit $rc, left $(ls -A "$T" | tr '\n' ' ')"
# SIGKILL leaves a staging directory: the next run removes and reports it,
# with old-style temporary files inside --out
"$TRUCE" run "$UA" --runs 100000 --threads 1 --out "$T/set" -q 2>/dev/null &
pid=$!
for _ in $(seq 100); do ls -d "$T"/.set.stage.* >/dev/null 2>&1 && break; sleep 0.1; done
kill -KILL $pid
wait $pid 2>/dev/null
: >"$T/set/.daily.csv.12345.tmp"
: >"$T/set/report.html.12345.tmp"
touch "$T/set/notes.txt" # not truce's: kept
"$TRUCE" run "$IWO" --runs 2 --out "$T/set" -q 2>"$T/stderr"
rc=$?
[ $rc -eq 0 ] && [ "$(grep -c 'left by an interrupted run' "$T/stderr")" -eq 3 ] \
  && ! ls -d "$T"/.set.stage.* >/dev/null 2>&1 && [ ! -e "$T/set/.daily.csv.12345.tmp" ] \
  && [ -e "$T/set/notes.txt" ] \
  && ok || bad "8: stale leftovers: exit $rc, $(cat "$T/stderr"), left $(ls -A "$T" "$T/set" | tr '\n' ' ')"
# --no-report over a set with a report: the old report goes (no mix)
"$TRUCE" run "$IWO" --runs 2 --out "$T/set" -q --no-report
[ ! -e "$T/set/report.html" ] && [ -e "$T/set/summary.json" ] \
  && ok || bad "8: --no-report kept an older report.html"
# concurrent runs, 6 pairs: each pair leaves one whole set (the report's
# summary is the summary.json beside it), the other is refused
mixed=0
for i in 1 2 3 4 5 6; do
  "$TRUCE" run "$IWO" --runs 3 --seed 1 --out "$T/race" -q 2>/dev/null &
  "$TRUCE" run "$IWO" --runs 3 --seed 2 --out "$T/race" -q 2>/dev/null
  wait
  python3 - "$T/race" <<'PY' || mixed=$((mixed + 1))
import json, re, sys
d = sys.argv[1]
page = open(d + "/report.html", encoding="utf-8").read()
s = re.search(r'id="truce-summary">(.*?)</script>', page, re.S).group(1)
sys.exit(json.loads(s)["seed"] != json.load(open(d + "/summary.json"))["seed"])
PY
done
[ $mixed -eq 0 ] && ok || bad "8: $mixed of 6 concurrent pairs left a mixed set"

# ---- 10 and 11. full disks and read-only directories: exit 1, the output
# and the OS's reason named, nothing left behind (a private tmpfs of a
# chosen size; needs mount rights, as in CI)
if unshare -m true 2>/dev/null; then
  "$TRUCE" run "$UA" --runs 20 --out "$T/sizes" -q
  sz() { stat -c %s "$T/sizes/$1"; }
  d=$(sz daily.csv) r=$(sz runs.csv) j=$(sz summary.json) b=$(sz results.db) h=$(sz report.html)
  # tmpfs sizes that run out in daily.csv, in runs.csv, in results.db
  # (its COMMIT or before) and in report.html
  for case in "daily.csv $((d / 2))" "runs.csv $((d + r / 2))" \
              "results.db $((d + r + j + b / 2))" \
              "report.html $((d + r + j + b + h / 2))"; do
    set -- $case
    what=$1 size=$2
    unshare -m sh -c "mount -t tmpfs -o size=$size tmpfs '$T/sizes' && \
      '$TRUCE' run '$UA' --runs 20 --out '$T/sizes/o' -q 2>'$T/stderr'; \
      echo \$? >'$T/rc'; ls -A '$T/sizes' >'$T/left'"
    rc=$(cat "$T/rc")
    [ "$rc" -eq 1 ] && grep -q "$T/sizes/o/$what.*No space left on device\|$T/sizes/o/$what.*full" "$T/stderr" \
      && ! grep -q "stage\|\.tmp" "$T/stderr" && [ "$(cat "$T/left")" = ".o.lock" ] \
      && ok || bad "10: full disk in $what: exit $rc, $(cat "$T/stderr"), left $(cat "$T/left")"
  done
  # two pages: daily.csv and runs.csv fit, summary.json (3.5 KB, one
  # buffered fwrite) fails only at its fclose
  unshare -m sh -c "mount -t tmpfs -o size=8k tmpfs '$T/sizes' && \
    '$TRUCE' run '$IWO' --out '$T/sizes/o' -q --no-report 2>'$T/stderr'; echo \$? >'$T/rc'"
  [ "$(cat "$T/rc")" -eq 1 ] && grep -q "sizes/o/summary.json:1:1: error: cannot write (No space left on device)" "$T/stderr" \
    && ok || bad "10/11: summary.json failing at fclose: $(cat "$T/stderr")"
  # a full disk under a small file (calibrate --write-scenario, 1 KB):
  # the write fails at fclose; the temporary file is removed
  ARD=$SRC/scenarios/historical/ardennes-1944.yaml
  unshare -m sh -c "mount -t tmpfs -o size=4k tmpfs '$T/sizes' && head -c 4096 /dev/zero >'$T/sizes/filler'; \
    '$TRUCE' calibrate '$ARD' --observed '$SRC/data/historical/ardennes/ardennes-observed.csv' \
      --write-scenario '$T/sizes/fit.yaml' >/dev/null 2>'$T/stderr'; echo \$? >'$T/rc'; ls -A '$T/sizes' >'$T/left'"
  [ "$(cat "$T/rc")" -eq 1 ] && grep -q "sizes/fit.yaml:1:1: error: cannot write (No space left on device)" "$T/stderr" \
    && [ "$(cat "$T/left")" = filler ] \
    && ok || bad "10/11: small file on a full disk: $(cat "$T/stderr"), left $(cat "$T/left")"
  unshare -m sh -c "mount -t tmpfs -o ro tmpfs '$T/sizes' && \
    '$TRUCE' run '$IWO' --out '$T/sizes/o' -q 2>'$T/stderr'; echo \$? >'$T/rc'"
  [ "$(cat "$T/rc")" -eq 1 ] && grep -q "Read-only file system" "$T/stderr" \
    && ok || bad "10: read-only directory: $(cat "$T/stderr")"
  unshare -m sh -c "mount -t tmpfs -o size=64k tmpfs '$T/sizes' && mkdir '$T/sizes/o' && \
    '$TRUCE' report '$T/ca' -o '$T/sizes/o/r.html' 2>'$T/stderr'; echo \$? >'$T/rc'; ls -A '$T/sizes/o' >'$T/left'"
  [ "$(cat "$T/rc")" -eq 1 ] && grep -q "sizes/o/r.html:1:1: error: cannot write (No space left on device)" "$T/stderr" \
    && [ ! -s "$T/left" ] && ok || bad "10: truce report on a full disk: $(cat "$T/stderr"), left $(cat "$T/left")"
else
  echo "test_hostile: no mount namespace here: the full-disk checks did not run"
fi

echo "hostile: $pass passed, $fail failed"
[ $fail -eq 0 ]
