#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The truce command line as a user meets it: exit statuses, FILE:LINE:COL
# errors with nothing written, --help, --set, byte-identical reruns.
# usage: test_cli.sh TRUCE_BINARY SOURCE_DIR
set -u
. "$2/tests/cli/lib.sh"
. "$SRC/tests/cli/valgrind.sh"

cat >"$T/good.yaml" <<'Y'
truce: 1
horizon_days: 30
sides:
  - id: a
    personnel: {front: 1000, pool: 5000, recruits_per_month: 300, training_days: 10}
  - id: b
    personnel: {front: 900}
combat:
  law: square
  coefficients: {a: 0.01, b: 0.012}
Y

# expect_bad NAME EXPECTED_PREFIX  (stdin: the scenario)
expect_bad() {
  local name=$1 prefix=$2 f="$T/$1.yaml" out="$T/out-$1"
  cat >"$f"
  "$TRUCE" run "$f" --out "$out" >"$T/stdout" 2>"$T/stderr"
  local rc=$?
  if [ $rc -ne 1 ]; then bad "$name: exit status $rc, expected 1"; return; fi
  if ! grep -q "^$f:$prefix" "$T/stderr"; then
    bad "$name: stderr '$(cat "$T/stderr")' lacks '$f:$prefix'"; return
  fi
  if [ -e "$out" ]; then bad "$name: output written to $out"; return; fi
  ok
}

expect_bad unknown_key "2:1: error: unknown key 'horizon_dayz'; did you mean 'horizon_days'" <<'Y'
truce: 1
horizon_dayz: 30
Y
expect_bad wrong_type "2:15: error: wrong type for 'horizon_days'" <<'Y'
truce: 1
horizon_days: thirty
sides:
  - {id: a, personnel: {front: 1}}
  - {id: b, personnel: {front: 1}}
combat: {law: square, coefficients: {a: 1, b: 1}}
Y
expect_bad negative "4:32: error: value -1 for 'sides.a.personnel.front' is out of range" <<'Y'
truce: 1
horizon_days: 30
sides:
  - {id: a, personnel: {front: -1}}
  - {id: b, personnel: {front: 1}}
combat: {law: square, coefficients: {a: 1, b: 1}}
Y
expect_bad fraction "4:49: error: value 1.5 for 'sides.a.personnel.killed_share' is out of range" <<'Y'
truce: 1
horizon_days: 30
sides:
  - {id: a, personnel: {front: 5, killed_share: 1.5}}
  - {id: b, personnel: {front: 1}}
combat: {law: square, coefficients: {a: 1, b: 1}}
Y
expect_bad horizon "2:15: error: value 0 for 'horizon_days' is out of range" <<'Y'
truce: 1
horizon_days: 0
sides:
  - {id: a, personnel: {front: 1}}
  - {id: b, personnel: {front: 1}}
combat: {law: square, coefficients: {a: 1, b: 1}}
Y
expect_bad shares "4:5: error: side 'a': killed_share + wounded_share + missing_share = 0.9" <<'Y'
truce: 1
sides:
  - id: a
    personnel: {front: 5, killed_share: 0.3, wounded_share: 0.6}
  - {id: b, personnel: {front: 1}}
combat: {law: square, coefficients: {a: 1, b: 1}}
Y
expect_bad missing "6:1: error: missing required field 'combat.law'" <<'Y'
truce: 1
sides:
  - {id: a, personnel: {front: 1}}
  - {id: b, personnel: {front: 1}}
# no law below
combat: {coefficients: {a: 1, b: 1}}
Y
expect_bad duplicate_side "4:10: error: duplicate side id 'a'" <<'Y'
truce: 1
sides:
  - {id: a, personnel: {front: 1}}
  - {id: a, personnel: {front: 1}}
combat: {law: square, coefficients: {a: 1, b: 1}}
Y
expect_bad unknown_side "5:44: error: reference to an unknown side 'c'" <<'Y'
truce: 1
sides:
  - {id: a, personnel: {front: 1}}
  - {id: b, personnel: {front: 1}}
combat: {law: square, coefficients: {a: 1, c: 1}}
Y
expect_bad malformed "4:1: error: malformed YAML" <<'Y'
truce: 1
sides: [
  {id: a
Y
printf '' | expect_bad empty "1:1: error: the file is empty"

# unreadable: a missing file and a directory
"$TRUCE" run "$T/nope.yaml" --out "$T/out-nope" 2>"$T/stderr"
rc=$?
if [ $rc -eq 1 ] && grep -q "^$T/nope.yaml:1:1: error: cannot read" "$T/stderr" \
   && [ ! -e "$T/out-nope" ]; then ok; else bad "unreadable: rc $rc $(cat "$T/stderr")"; fi
"$TRUCE" check "$T" 2>"$T/stderr"
rc=$?
if [ $rc -eq 1 ] && grep -q "error: cannot read" "$T/stderr"; then ok; else bad "directory: rc $rc $(cat "$T/stderr")"; fi

# --set: a bad path or value is an error naming it; nothing written
"$TRUCE" run "$T/good.yaml" --set sides.a.personnel.recruits_per_mnth=5 --out "$T/o-set" 2>"$T/stderr"
rc=$?
if [ $rc -eq 1 ] && grep -q "sides.a.personnel.recruits_per_mnth" "$T/stderr" && grep -q "did you mean" "$T/stderr" \
   && [ ! -e "$T/o-set" ]; then ok; else bad "--set bad path: rc $rc $(cat "$T/stderr")"; fi
# every suggestion is the whole corrected path, ready to paste back
for p in "sides.a.personel.recruits_per_month sides.a.personnel.recruits_per_month" \
         "side.a.quality sides.a.quality"\
         "combat.lawz combat.law"; do
  set -- $p
  "$TRUCE" check "$T/good.yaml" --set "$1=1" 2>"$T/stderr" >/dev/null
  [ $? -eq 1 ] && grep -q "did you mean '$2'?" "$T/stderr" && ok || bad "--set $1 suggests $2: $(cat "$T/stderr")"
done
"$TRUCE" check "$SRC/scenarios/ukraine-2023-11.yaml" --set sides.uaa.quality=1 2>"$T/stderr" >/dev/null
[ $? -eq 1 ] && grep -q "unknown side 'uaa' in 'sides.uaa.quality'; did you mean 'sides.ua.quality'?" "$T/stderr" && ok || bad "--set side typo: $(cat "$T/stderr")"
# --set PATH VALUE (a space for '='): the mistake and its fix, exit 2
for cmd in run check bargain hindcast explore; do
  "$TRUCE" $cmd "$T/good.yaml" --set sides.a.quality 0.9 >"$T/stdout" 2>"$T/stderr"
  [ $? -eq 2 ] && [ "$(cat "$T/stderr")" = "truce: error: --set takes PATH=VALUE; did you mean --set sides.a.quality=0.9?" ] \
    && ok || bad "$cmd --set PATH VALUE: $(cat "$T/stderr")"
done
"$TRUCE" run "$T/good.yaml" --set sides.a.quality=-2 --out "$T/o-set" 2>"$T/stderr"
rc=$?
if [ $rc -eq 1 ] && grep -q "out of range" "$T/stderr"; then ok; else bad "--set bad value: rc $rc"; fi
# the library gives the reason; the CLI alone names the --set it came from
grep -q "^--set sides.a.quality=-2: error: value -2 for 'sides.a.quality' is out of range; expected" "$T/stderr" \
  && [ "$(wc -l <"$T/stderr")" -eq 1 ] && ok || bad "--set error line: $(cat "$T/stderr")"

# usage errors exit 2; --help exits 0 for every command
"$TRUCE" >/dev/null 2>&1; [ $? -eq 2 ] && ok || bad "no command should exit 2"
"$TRUCE" frobnicate >/dev/null 2>&1; [ $? -eq 2 ] && ok || bad "unknown command should exit 2"
"$TRUCE" run --runs 0 "$T/good.yaml" >/dev/null 2>&1; [ $? -eq 2 ] && ok || bad "--runs 0 should exit 2"
for c in "" run check; do
  "$TRUCE" $c --help | grep -q "usage: truce" && ok || bad "truce $c --help"
done
"$TRUCE" --version | grep -q "^truce [0-9]" && ok || bad "--version"

# check prints a summary
"$TRUCE" check "$T/good.yaml" | grep -q "ok" && ok || bad "check good"

# same seed: byte-identical outputs; another seed: different values
"$TRUCE" run "$T/good.yaml" --runs 3 --seed 5 --out "$T/r1" -q || bad "run r1"
"$TRUCE" run "$T/good.yaml" --runs 3 --seed 5 --out "$T/r2" -q || bad "run r2"
"$TRUCE" run "$T/good.yaml" --runs 3 --seed 6 --out "$T/r3" -q || bad "run r3"
cmp -s "$T/r1/daily.csv" "$T/r2/daily.csv" && ok || bad "same seed, different daily.csv"
cmp -s "$T/r1/daily.csv" "$T/r3/daily.csv" && bad "different seeds, same daily.csv" || ok
grep -q '"seed": 5' "$T/r1/summary.json" && ok || bad "seed not recorded"
grep -q '"runs": 3' "$T/r1/summary.json" && ok || bad "runs not recorded"
grep -q '"never_fraction"' "$T/r1/summary.json" && ok || bad "quantile summary missing"
# --set overrides apply and are recorded
"$TRUCE" run "$T/good.yaml" --deterministic --set combat.coefficients.b=0 --out "$T/r4" -q || bad "run r4"
grep -q '"overrides": \["combat.coefficients.b=0"\]' "$T/r4/summary.json" && ok || bad "override not recorded"
awk -F, '$1==0 && $2==30 && $4=="a" {exit !($13==0)}' "$T/r4/daily.csv" && ok || bad "override not applied"

# ensembles: threads and MPI ranks do not change a single byte of results
cp "$SRC/tests/cli/ens.yaml" "$T/ens.yaml"
strip() { grep -v -e '"command_line"' -e '"execution"' "$1"; }
"$TRUCE" run "$T/ens.yaml" --runs 300 --threads 1 --out "$T/t1" -q || bad "ensemble t1"
"$TRUCE" run "$T/ens.yaml" --runs 300 --threads 2 --out "$T/t2" -q || bad "ensemble t2"
for f in runs.csv daily.csv; do
  cmp -s "$T/t1/$f" "$T/t2/$f" && ok || bad "threads 1 vs 2: $f differs"
done
diff <(strip "$T/t1/summary.json") <(strip "$T/t2/summary.json") >/dev/null && ok || bad "threads 1 vs 2: summary.json differs"
grep -q '"threads": 2' "$T/t2/summary.json" && ok || bad "execution not recorded"
# (not under valgrind: Open MPI's own start-up is what memcheck reports)
if [ -z "${TRUCE_VALGRIND:-}" ] && command -v mpirun >/dev/null 2>&1 &&
   "$TRUCE" --version | grep -q mpi; then
  export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
  for np in 1 2; do
    mpirun -np $np --oversubscribe "$TRUCE" run "$T/ens.yaml" --runs 300 --threads 1 \
      --out "$T/mpi$np" -q >"$T/mpi.log" 2>&1 || bad "mpirun -np $np: $(tail -3 "$T/mpi.log")"
  done
  for f in runs.csv daily.csv; do
    cmp -s "$T/mpi1/$f" "$T/mpi2/$f" && ok || bad "mpirun -np 1 vs 2: $f differs"
    cmp -s "$T/t1/$f" "$T/mpi2/$f" && ok || bad "threads vs mpirun -np 2: $f differs"
  done
  diff <(strip "$T/mpi1/summary.json") <(strip "$T/mpi2/summary.json") >/dev/null && ok || bad "mpirun: summary.json differs"
  grep -q '"ranks": 2' "$T/mpi2/summary.json" && ok || bad "ranks not recorded"
else
  echo "note: mpirun not found, truce built without MPI or under valgrind; MPI checks skipped"
fi
# talks: agreement days, terms and durability are the same on 1 and 2
# threads and on 1 and 2 MPI ranks (summary.json's bargaining section)
cat >"$T/talks.yaml" <<'Y'
truce: 1
horizon_days: 400
sides:
  - id: a
    personnel: {front: 100000, pool: 1000000, recruits_per_month: 2000, training_days: 10}
  - id: b
    personnel: {front: 100000, pool: 1000000, recruits_per_month: 2000, training_days: 10}
combat: {law: square, coefficients: {a: 0.0002, b: 0.0002}}
negotiation:
  observation_noise: 0.3
  territory_per_log_ratio: 0.5
  ceasefire_days: 365
  reconstitution_sd: 0.8
  agreement_per_month_open: {value: 0.1, low: 0.02, high: 0.3}
  agreement_per_month_ripe: 0.3
  sides:
    a: {weights: {territory: 1}, cost_per_year: 0.1, optimism: {value: 1, low: 0, high: 4}}
    b: {weights: {territory: 1}, cost_per_year: 0.1, optimism: {value: 1, low: 0, high: 4}}
Y
bsec() { python3 -c 'import json,sys; print(json.dumps(json.load(open(sys.argv[1]))["bargaining"], sort_keys=True))' "$1"; }
"$TRUCE" run "$T/talks.yaml" --runs 200 --threads 1 --out "$T/k1" -q --no-report || bad "talks run"
"$TRUCE" run "$T/talks.yaml" --runs 200 --threads 2 --out "$T/k2" -q --no-report || bad "talks run"
k1=$(bsec "$T/k1/summary.json")
case "$k1" in *'"p_holds_180_days"'*) ok ;; *) bad "talks: no agreement in summary.json" ;; esac
[ "$k1" = "$(bsec "$T/k2/summary.json")" ] && ok || bad "talks: threads 1 vs 2 differ"
cmp -s "$T/k1/runs.csv" "$T/k2/runs.csv" && ok || bad "talks: runs.csv threads 1 vs 2 differ"
# the agreement round-trips: results.db's bargaining_months.p_agree,
# bargaining_terms and bargaining_agreement equal summary.json's, and
# runs.csv's bargaining columns equal bargaining_runs row by row; the
# share agreeing by each month recounted from either per-run table
/usr/bin/python3 -c '
import csv, json, sqlite3, sys
d = sys.argv[1]
b = json.load(open(d + "/summary.json"))["bargaining"]
db = sqlite3.connect(d + "/results.db")
pa = dict(b["p_agree_by_month"])
dbm = dict(db.execute("select month, p_agree from bargaining_months"))
assert dbm.keys() == pa.keys() and all(abs(dbm[m] - pa[m]) < 1e-12 for m in pa), (dbm, pa)
a = b["agreement"]
terms = [(t["package"], t["share"], t["territory_median"]) for t in a["terms"]]
dbt = list(db.execute("select package, share, territory_median from bargaining_terms order by rank"))
assert len(terms) == len(dbt) >= 1 and all(x[0] == y[0] and abs(x[1] - y[1]) < 1e-12 and abs(x[2] - y[2]) < 1e-12 for x, y in zip(terms, dbt)), (terms, dbt)
row = db.execute("select fraction, p_holds_30_days, p_holds_180_days, territory_p50 from bargaining_agreement").fetchall()
want = (a["fraction"], a["p_holds_30_days"], a["p_holds_180_days"], a["territory"]["p50"])
assert len(row) == 1 and all(abs(x - y) < 1e-12 for x, y in zip(row[0], want)), (row, want)
cols = [c[1] for c in db.execute("pragma table_info(bargaining_runs)")][1:]
runs = list(csv.DictReader(open(d + "/runs.csv")))
dbr = db.execute("select * from bargaining_runs order by run").fetchall()
assert len(runs) == len(dbr) == 200
for r, x in zip(runs, dbr):
    for c, v in zip(cols, x[1:]):
        s = r["bargaining." + c]
        assert (s == "") == (v is None), (c, s, v)
        assert v is None or (s == v.replace(",", ";") if isinstance(v, str) else abs(float(s) - v) <= 1e-11 * max(1, abs(v))), (c, s, v)
ad = [float(r["bargaining.agree_day"]) for r in runs if r["bargaining.agree_day"]]
for m, p in pa.items():
    assert abs(sum(t <= m * 30.436875 for t in ad) / 200 - p) < 1e-12, (m, p)
assert abs(len(ad) / 200 - a["fraction"]) < 1e-12' "$T/k1" && ok || bad "talks: the agreement does not round-trip through results.db and runs.csv"
if [ -z "${TRUCE_VALGRIND:-}" ] && command -v mpirun >/dev/null 2>&1 && "$TRUCE" --version | grep -q mpi; then
  mpirun -np 2 --oversubscribe "$TRUCE" run "$T/talks.yaml" --runs 200 --threads 1 \
    --out "$T/km2" -q --no-report >"$T/mpi.log" 2>&1 || bad "talks: mpirun $(tail -3 "$T/mpi.log")"
  [ "$k1" = "$(bsec "$T/km2/summary.json")" ] && ok || bad "talks: threads vs mpirun -np 2 differ"
  cmp -s "$T/k1/runs.csv" "$T/km2/runs.csv" && ok || bad "talks: runs.csv (agreement day, terms, break day) threads vs mpirun -np 2 differ"
fi
# results.db opens in the sqlite3 shell and agrees with summary.json
if command -v sqlite3 >/dev/null 2>&1; then
  n=$(sqlite3 "$T/t1/results.db" "select count(*) from runs")
  [ "$n" = 600 ] && ok || bad "results.db runs: $n rows"
  sha=$(sqlite3 "$T/t1/results.db" "select value from meta where key='scenario_sha256'")
  grep -q "\"scenario_sha256\": \"$sha\"" "$T/t1/summary.json" && ok || bad "results.db sha differs"
  mean=$(sqlite3 "$T/t1/results.db" "select printf('%.6f', avg(front_end)) from runs where side='a'")
  smean=$(grep -A1 '"a": {' "$T/t1/summary.json" | grep -o '"mean": [0-9.e+-]*' | head -1 | cut -d' ' -f2)
  awk -v a="$mean" -v b="$smean" 'BEGIN{exit !((a-b)^2 < (1e-6*b)^2)}' && ok || bad "results.db mean $mean vs summary $smean"
  nd=$(sqlite3 "$T/t1/results.db" "select count(*) from daily")
  ns=$(sqlite3 "$T/t1/results.db" "select count(distinct series) from daily")
  [ "$ns" -ge 13 ] && [ "$nd" = $((91 * 2 * ns)) ] && ok || bad "results.db daily: $nd rows, $ns series"
  p=$(sqlite3 "$T/t1/results.db" "select count(*) from params")
  [ "$p" = 3 ] && ok || bad "results.db params: $p"
else
  bad "sqlite3 shell not installed"
fi
# daily.csv bands are ordered p05 <= p25 <= p50 <= p75 <= p95
awk -F, 'NR>1 && !($7<=$8 && $8<=$9 && $9<=$10 && $10<=$11) {bad=1} END {exit bad}' "$T/t1/daily.csv" && ok || bad "bands out of order"

# truce stake: KTAB files load unchanged; JSON has model, outcome, rounds
for f in "$SRC"/data/bargaining/ktab_*.csv; do
  case "$f" in *a160*) continue ;; esac
  "$TRUCE" stake "$f" --model pce --json >"$T/stake.json" 2>"$T/stderr" || { bad "stake $f: $(cat "$T/stderr")"; continue; }
  grep -q '"model": "pce"' "$T/stake.json" && grep -q '"outcome": \[' "$T/stake.json" \
    && grep -q '"rounds": ' "$T/stake.json" && grep -q '"trajectory": ' "$T/stake.json" && ok || bad "stake json $f"
done
"$TRUCE" stake "$SRC/data/bargaining/ktab_SOE-Policy.csv" --json | grep -q '"outcome": \[35.0' && ok || bad "stake compromise SOE-Policy"
printf 'X, Y, 2, 1\nActor, D, P, Pos, Sal\nA, a, 1, 50, 50\nB, b, 1, 500, 50\n' >"$T/bad.csv"
"$TRUCE" stake "$T/bad.csv" 2>"$T/stderr"
[ $? -eq 1 ] && grep -q "^$T/bad.csv:4:10: error: position '500'" "$T/stderr" && ok || bad "stake bad csv: $(cat "$T/stderr")"
"$TRUCE" stake --model nope "$T/bad.csv" 2>/dev/null; [ $? -eq 2 ] && ok || bad "stake bad model should exit 2"
"$TRUCE" stake --help | grep -q "usage: truce stake" && ok || bad "stake --help"

# a stakeholder link sets a scenario number, recorded with its provenance
mkdir -p "$T/lk"
cp "$SRC/scenarios/stakeholders/contact-group.yaml" "$T/lk/group.yaml"
cat >"$T/lk/war.yaml" <<'Y'
truce: 1
horizon_days: 10
sides:
  - id: a
    personnel: {front: 1000}
  - id: b
    personnel: {front: 1000}
combat: {law: square, coefficients: {a: 0.01, b: 0.01}}
stakeholders:
  - {name: aid, file: group.yaml, dimension: aid, sets: combat.coefficients.a, from: [0, 100], to: [0, 0.02]}
Y
"$TRUCE" run "$T/lk/war.yaml" --deterministic --out "$T/lko" -q || bad "link run"
grep -q '"source": "stakeholders: aid (compromise model of' "$T/lko/summary.json" && ok || bad "link provenance"
grep -q '"overrides": \["combat.coefficients.a=0.0118' "$T/lko/summary.json" && ok || bad "link value: $(grep overrides "$T/lko/summary.json")"
sed -i 's/dimension: aid/dimension: aide/' "$T/lk/war.yaml"
"$TRUCE" check "$T/lk/war.yaml" 2>"$T/stderr" >/dev/null
[ $? -eq 1 ] && grep -q "war.yaml:10:6: error: stakeholder file '.*group.yaml' has no dimension 'aide'" "$T/stderr" && ok || bad "link bad dimension: $(cat "$T/stderr")"
# a missing stakeholder file: the error names the scenario's line first
sed -i 's/dimension: aide/dimension: aid/; s/file: group.yaml/file: nogroup.yaml/' "$T/lk/war.yaml"
"$TRUCE" check "$T/lk/war.yaml" 2>"$T/stderr" >/dev/null
[ $? -eq 1 ] && grep -q "^$T/lk/war.yaml:10:6: error: stakeholders\[0\] ('aid') names the file '.*nogroup.yaml', which does not load (.*nogroup.yaml:1:1: cannot read the file" "$T/stderr" \
  && ok || bad "link missing file: $(cat "$T/stderr")"

# truce bargain: the negotiation on one day; run prints the range odds
"$TRUCE" bargain "$SRC/scenarios/ukraine-2023-11.yaml" --day 28 --json >"$T/b.json" 2>"$T/stderr" || bad "bargain: $(cat "$T/stderr")"
for k in '"open": ' '"war_value": ' '"packages": ' '"frontier": ' '"nash": ' '"kalai_smorodinsky": ' '"min_guarantee": '; do
  grep -q "$k" "$T/b.json" && ok || bad "bargain json lacks $k"
done
"$TRUCE" bargain "$T/good.yaml" 2>"$T/stderr"; [ $? -eq 1 ] && grep -q "no negotiation section" "$T/stderr" && ok || bad "bargain without negotiation"
"$TRUCE" bargain --help | grep -q "usage: truce bargain" && ok || bad "bargain --help"
# an empty acceptable set reads "none", never an inverted interval
"$TRUCE" bargain "$SRC/scenarios/ukraine-2023-11.yaml" --day 90 >"$T/b90.txt" 2>&1 \
  && grep -q "accepts none\|, ru none" "$T/b90.txt" \
  && ! awk '{while (match($0, /\[[0-9.]+, [0-9.]+\]/)) {s = substr($0, RSTART + 1, RLENGTH - 2); split(s, a, ", "); if (a[1] + 0 > a[2] + 0) bad = 1; $0 = substr($0, RSTART + RLENGTH)}} END {exit !bad}' "$T/b90.txt" \
  && ok || bad "bargain's empty sets: $(grep accepts "$T/b90.txt" | head -3)"
# the stated-terms check on the shipped data (and its JSON)
(cd "$T" && "$TRUCE" bargain "$SRC/scenarios/ukraine-2023-11.yaml" --day 300) \
  | grep -q "ru   alliance=neutrality, sanctions=eased, territory 0.775 (since 2024-06-14" && ok || bad "bargain: the scenario's stated terms"
"$TRUCE" bargain "$SRC/scenarios/ukraine-2023-11.yaml" --day 300 --terms "$SRC/data/bargaining/stated_terms.csv" --json \
  | python3 -c 'import json,sys; t=json.load(sys.stdin)["stated_terms"]; sys.exit(0 if t["ua"]["since"] == "2022-11-15" and "inside_own" in t["ru"] else 1)' \
  && ok || bad "bargain --terms --json"
printf 'date,side\n' >"$T/terms.csv"
"$TRUCE" bargain "$SRC/scenarios/ukraine-2023-11.yaml" --day 7 --terms "$T/terms.csv" >"$T/out" 2>"$T/stderr"; [ $? -eq 1 ] \
  && grep -q "terms.csv:1:1: error: the header" "$T/stderr" && [ ! -s "$T/out" ] && ok || bad "bargain --terms with a bad file"
# negotiation numbers take --set: a more optimistic Russia closes day 7
# --set reaches the negotiation: optimism raises Russia's value of fighting
# on; a more credible guarantee lets Ukraine accept less land with it
bj() { "$TRUCE" bargain "$SRC/scenarios/ukraine-2023-11.yaml" --day 7 --json "$@"; }
bj >"$T/b0.json" && bj --set negotiation.sides.ru.optimism=1.5 >"$T/b1.json" \
  && python3 -c 'import json,sys; a,b=(json.load(open(f))["sides"]["ru"]["war_value"] for f in sys.argv[1:]); sys.exit(0 if b > a + 0.05 else 1)' "$T/b0.json" "$T/b1.json" \
  && ok || bad "bargain --set negotiation.sides.ru.optimism"
bj --set negotiation.guarantee.credibility=1 >"$T/g1.json" && bj --set negotiation.guarantee.credibility=0 >"$T/g0.json" \
  && python3 -c 'import json,sys; lo=[[p["ua"][0] for p in json.load(open(f))["packages"] if p["package"].startswith("alliance=guarantees")][0] for f in sys.argv[1:]]; sys.exit(0 if lo[0] < lo[1] - 0.1 else 1)' "$T/g1.json" "$T/g0.json" \
  && ok || bad "bargain --set negotiation.guarantee.credibility"
"$TRUCE" run "$SRC/scenarios/ukraine-2023-11.yaml" --set negotiation.sides.ru.optimsm=1 --out "$T/nego" 2>"$T/stderr"
[ $? -eq 1 ] && grep -q "did you mean 'negotiation.sides.ru.optimism'?" "$T/stderr" && [ ! -e "$T/nego" ] && ok || bad "run --set with a misspelt negotiation path: $(cat "$T/stderr")"
"$TRUCE" run "$SRC/scenarios/ukraine-2023-11.yaml" --runs 100 --out "$T/art" \
  --score "$SRC/data/bargaining/ceasefire_forecasts.csv" >"$T/art.txt" || bad "article run"
grep -q "log score of no agreement by month 24: " "$T/art.txt" && grep -q "Good Judgment Open .* by 2025-09-29:  54% (Brier 0.292)" "$T/art.txt" \
  && ok || bad "run --score does not print the scores"
printf 'kind,platform\n' >"$T/fc.csv"
"$TRUCE" run "$SRC/scenarios/ukraine-2023-11.yaml" --runs 2 --out "$T/noscore" --score "$T/fc.csv" 2>"$T/stderr"; [ $? -eq 1 ] \
  && grep -q "fc.csv:1:1: error: the header" "$T/stderr" && [ ! -e "$T/noscore" ] && ok || bad "run --score with a bad file"
grep -q "bargaining range exists within 3 / 6 / 12 months" "$T/art.txt" && ok || bad "run does not print the range odds"
# the opening day's median and middle half are summary.json's, over the
# runs that open
python3 - "$T/art.txt" "$T/art/summary.json" <<'PY' && ok || bad "run's opening day line: $(grep 'opening day' "$T/art.txt")"
import json, re, sys
m = re.search(r"opening day, in the (\d+) runs with a range: median (\d+), "
              r"middle half (\d+)-(\d+)", open(sys.argv[1]).read())
d = json.load(open(sys.argv[2]))
w = d["bargaining"]["window_open_day"]
want = (round(d["runs"] * (1 - w["never_fraction"])), w["p50"], w["p25"], w["p75"])
sys.exit(0 if m and all(abs(int(g) - v) <= 0.5 for g, v in zip(m.groups(), want)) else 1)
PY
# the two wars with a known end (docs/bargaining.md): they load under their
# as_of, every number has a provenance, and --score reads their records of
# agreement and terms
for w in "korea-1951 korea 748 25 unc 45.4" "winter-war-1939 winter-war 104 4 fin 89.0"; do
  set -- $w
  "$TRUCE" check "$SRC/scenarios/historical/$1.yaml" >"$T/$1.check" && grep -q "as of: " "$T/$1.check" \
    && ok || bad "check $1"
  "$TRUCE" run "$SRC/scenarios/historical/$1.yaml" --runs 20 --out "$T/$1" \
    --score "$SRC/data/historical/$2/record.csv" >"$T/$1.txt" || bad "run $1"
  grep -q "against the record (agreement on day $3, month $4), months 1-" "$T/$1.txt" \
    && grep -q "50% interval of the agreement month: .*: month $4 \(inside\|outside\)" "$T/$1.txt" \
    && grep -q "line: $5 kept $6% of the contested area" "$T/$1.txt" \
    && ok || bad "run $1 --score does not print the scores of agreement: $(cat "$T/$1.txt")"
  unsourced=$(grep '"source": null, "claimant": null' "$T/$1/summary.json" | grep -o '"path": "[^"]*"' \
    | grep -v -e '\.posture"' -e '"combat.law"' -e '"horizon_days"' || true)
  [ -z "$unsourced" ] && ok || bad "$1: numbers without provenance: $unsourced"
done
grep -q "agreement within 6 / 12 / 24 months: " "$T/art.txt" && ok || bad "run does not print the agreement odds"
python3 -c 'import json,sys; b=json.load(open(sys.argv[1]))["bargaining"]; p=[v for m,v in b["p_agree_by_month"]]; sys.exit(0 if len(p) >= 24 and p == sorted(p) and "p_holds_180_days" in b["agreement"] else 1)' "$T/art/summary.json" \
  && ok || bad "summary lacks the agreement odds"
grep -q '"p_open_by_month": \[\[1, ' "$T/art/summary.json" && grep -q '"window_open_day": {"mean": ' "$T/art/summary.json" && ok || bad "summary lacks bargaining"
# every number of the article scenario carries its provenance (a source or
# a claimant), except settings: postures, the law, the horizon, event days
unsourced=$(grep '"source": null, "claimant": null' "$T/art/summary.json" | grep -o '"path": "[^"]*"' \
  | grep -v -e '\.posture"' -e '"combat.law"' -e '"horizon_days"' -e '\.day"' || true)
[ -z "$unsourced" ] && ok || bad "numbers without provenance: $unsourced"
# the range open now never exceeds the range opened by then; both stores agree
/usr/bin/python3 -c '
import json, sqlite3, sys
b = json.load(open(sys.argv[1] + "/summary.json"))["bargaining"]
by, at = dict(b["p_open_by_month"]), dict(b["p_open_at_month"])
assert len(at) == len(by) >= 24 and all(at[m] <= by[m] + 1e-12 for m in at), (by, at)
db = dict(sqlite3.connect(sys.argv[1] + "/results.db").execute("select month, p_open_now from bargaining_months"))
assert all(abs(db[m] - at[m]) < 1e-12 for m in at), (db, at)' "$T/art" \
  && grep -q "a range is open at months 3 / 6 / 12 (point in time)" "$T/art.txt" \
  && ok || bad "p_open_at_month"
n=$(sqlite3 "$T/art/results.db" "select count(*) from bargaining_runs" 2>/dev/null)
[ "$n" = 100 ] && ok || bad "results.db bargaining_runs: $n"

# report and compare: help, errors
for c in report compare; do "$TRUCE" $c --help | grep -q "usage: truce $c" && ok || bad "$c --help"; done
"$TRUCE" report "$T/nowhere" 2>"$T/stderr"; [ $? -eq 1 ] && grep -q "summary.json" "$T/stderr" && ok || bad "report of a missing dir: $(cat "$T/stderr")"
# damaged outputs: a truncated summary.json, one without sides, a short
# CSV row; nothing written
cp -r "$T/t1" "$T/dmg"
head -c 300 "$T/t1/summary.json" >"$T/dmg/summary.json"
"$TRUCE" report "$T/dmg" -o "$T/dmg.html" 2>"$T/stderr"; [ $? -eq 1 ] && grep -q "^$T/dmg/summary.json:[0-9]*:[0-9]*: error: malformed JSON" "$T/stderr" && [ ! -e "$T/dmg.html" ] && ok || bad "report of a truncated summary.json: $(cat "$T/stderr")"
echo '{"truce_version": "x"}' >"$T/dmg/summary.json"
"$TRUCE" report "$T/dmg" -o "$T/dmg.html" 2>"$T/stderr"; [ $? -eq 1 ] && grep -q "^$T/dmg/summary.json:1:1: error: no 'sides' object" "$T/stderr" && ok || bad "report without sides: $(cat "$T/stderr")"
cp "$T/t1/summary.json" "$T/dmg/summary.json"
sed -i '3s/,[^,]*$//' "$T/dmg/daily.csv"
"$TRUCE" report "$T/dmg" -o "$T/dmg.html" 2>"$T/stderr"; [ $? -eq 1 ] && grep -q "^$T/dmg/daily.csv:3:1: error: a row of [0-9]* fields; expected [0-9]* like the header" "$T/stderr" && [ ! -e "$T/dmg.html" ] && ok || bad "report of a short daily.csv row: $(cat "$T/stderr")"
"$TRUCE" compare "$T/nowhere" "$T/t1" 2>"$T/stderr"; [ $? -eq 1 ] && grep -q "no results.db" "$T/stderr" && ok || bad "compare of a missing dir: $(cat "$T/stderr")"
# a store of an older layout is refused by name, not read half-way
mkdir -p "$T/old" && cp "$T/t1/results.db" "$T/old/" && sqlite3 "$T/old/results.db" "PRAGMA user_version=2"
"$TRUCE" compare "$T/old" "$T/t1" 2>"$T/stderr"; [ $? -eq 1 ] && grep -q "^$T/old/results.db:1:1: error: results store layout 2; expected 3 (run the scenario again" "$T/stderr" && ok || bad "compare of an older store: $(cat "$T/stderr")"
"$TRUCE" compare "$T/t1" "$T/t2" -o "$T/cmp.html" >"$T/cmp.txt" && grep -q "assumptions that differ (0)" "$T/cmp.txt" && [ -s "$T/cmp.html" ] && ok || bad "compare of identical runs"

# calibrate: the Ardennes ranks linear < logarithmic < square (by AIC too)
"$TRUCE" calibrate "$SRC/scenarios/historical/ardennes-1944.yaml" \
  --observed "$SRC/data/historical/ardennes/ardennes-observed.csv" --json >"$T/cal.json" 2>"$T/stderr" || bad "calibrate: $(cat "$T/stderr")"
/usr/bin/python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
rank = [x["law"] for x in r["ranking"]]
assert rank.index("linear") < rank.index("logarithmic") < rank.index("square"), rank
assert len(set(rank)) == len(rank) and set(rank) >= {"fatigue", "helmbold", "linear", "logarithmic", "power", "square"}, rank
aic = [x["aic"] for x in r["ranking"]]
assert aic == sorted(aic) and r["law"] == rank[0], r' "$T/cal.json" \
  && ok || bad "calibrate ranking: $(cat "$T/cal.json")"
"$TRUCE" calibrate "$SRC/scenarios/historical/ardennes-1944.yaml" --law square \
  --observed "$SRC/data/historical/ardennes/ardennes-observed.csv" --json | grep -q '"combat.coefficients.germans": {"estimate": 0.00389' \
  && ok || bad "calibrate square coefficient"
printf 'day,side,variable,value,source\n1,allies,front,5,x\n1,soviets,front,5,x\n' >"$T/obs.csv"
"$TRUCE" calibrate "$SRC/scenarios/historical/ardennes-1944.yaml" --observed "$T/obs.csv" 2>"$T/stderr"
[ $? -eq 1 ] && grep -q "obs.csv:3:3: error: unknown side 'soviets'" "$T/stderr" && ok || bad "calibrate bad side: $(cat "$T/stderr")"
"$TRUCE" calibrate --help | grep -q "usage: truce calibrate" && ok || bad "calibrate --help"
# cumulative figures: the Ardennes series (dated) as running totals fits
# to the same coefficients as the daily figures
/usr/bin/python3 - "$SRC/data/historical/ardennes/ardennes-observed.csv" >"$T/dated.csv" <<'PY'
import csv, datetime as dt, sys
rows = list(csv.reader(open(sys.argv[1])))[1:]
print("date,side,variable,value,source")
total = {}
for d, side, var, v, src in rows:
    if var == "front":
        print(f"{d},{side},front,{v},acsdb")
        continue
    if side not in total:
        total[side] = 0
        print(f"{d},{side},cumulative,0,acsdb")
    total[side] += float(v)
    nxt = dt.date.fromisoformat(d) + dt.timedelta(days=1)
    print(f"{nxt},{side},cumulative,{total[side]},acsdb")
PY
"$TRUCE" calibrate "$SRC/scenarios/historical/ardennes-1944.yaml" --law square --observed "$T/dated.csv" --json 2>"$T/stderr" \
  | grep -q '"combat.coefficients.germans": {"estimate": 0.00389' && ok || bad "calibrate dated cumulative: $(cat "$T/stderr")"
printf 'date,side,variable,value,source\n1944-12-20,allies,cumulative,500,x\n1944-12-21,allies,cumulative,400,x\n' >"$T/dec.csv"
"$TRUCE" calibrate "$SRC/scenarios/historical/ardennes-1944.yaml" --observed "$T/dec.csv" 2>"$T/stderr"
[ $? -eq 1 ] && grep -q "dec.csv:3:1: error: cumulative figure 400 on day 4 falls below line 2's 500" "$T/stderr" \
  && ok || bad "calibrate falling cumulative: $(cat "$T/stderr")"
printf 'date,side,variable,value,source\n1944-12-01,allies,front,5,x\n' >"$T/early.csv"
"$TRUCE" calibrate "$SRC/scenarios/historical/ardennes-1944.yaml" --observed "$T/early.csv" 2>"$T/stderr"
[ $? -eq 1 ] && grep -q "early.csv:2:1: error: bad date '1944-12-01'; expected YYYY-MM-DD from the scenario's start 1944-12-17" "$T/stderr" \
  && ok || bad "calibrate date before the start: $(cat "$T/stderr")"
# --bias: a malformed spec is a usage error; an unknown source fails
"$TRUCE" calibrate "$SRC/scenarios/historical/ardennes-1944.yaml" --observed "$SRC/data/historical/ardennes/ardennes-observed.csv" \
  --bias "acsdb:soviets=2,1" >/dev/null 2>"$T/stderr"
[ $? -eq 2 ] && grep -q "expected SOURCE\[:SIDE\]=MEDIAN\[,SDLOG\] with SIDE 'allies' or 'germans'" "$T/stderr" \
  && ok || bad "calibrate --bias bad side: $(cat "$T/stderr")"
"$TRUCE" calibrate "$SRC/scenarios/historical/ardennes-1944.yaml" --observed "$SRC/data/historical/ardennes/ardennes-observed.csv" \
  --law square --bias "oryx=2,1" >/dev/null 2>"$T/stderr"
[ $? -eq 1 ] && grep -q "bias for source 'oryx': the observed file has no such source" "$T/stderr" \
  && ok || bad "calibrate --bias unknown source: $(cat "$T/stderr")"
# calibrate --abc: ABC through the engine over the scenario's ranges
sed -e 's/allies: {value: 0.00406,/allies: {value: 0.005, low: 0.002, high: 0.008,/' \
    -e 's/germans: {value: 0.00386,/germans: {value: 0.005, low: 0.002, high: 0.008,/' \
    "$SRC/scenarios/historical/ardennes-1944.yaml" >"$T/ard-ranges.yaml"
"$TRUCE" calibrate "$T/ard-ranges.yaml" --observed "$SRC/data/historical/ardennes/ardennes-observed.csv" \
  --abc --runs 2000 --tolerance 0.02 --json >"$T/eabc.json" 2>"$T/stderr" \
  && /usr/bin/python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
g = r["parameters"]["combat.coefficients.germans"]
assert r["accepted"] == 40 and r["observations"] == 128, r
assert g["p05"] < 0.0039 < g["p95"] and g["sd"] < g["prior_sd"] / 3, g' "$T/eabc.json" \
  && ok || bad "calibrate --abc: $(cat "$T/stderr") $(cat "$T/eabc.json")"
"$TRUCE" calibrate "$SRC/scenarios/historical/ardennes-1944.yaml" --abc \
  --observed "$SRC/data/historical/ardennes/ardennes-observed.csv" >/dev/null 2>"$T/stderr"
[ $? -eq 1 ] && grep -q "no uncertain numbers to calibrate" "$T/stderr" && ok || bad "calibrate --abc without ranges: $(cat "$T/stderr")"
# calibrate --battles: ABC model selection (Rubio-Campillo 2016); the same
# result with 1 and 2 threads; bad rows get FILE:LINE:COL and status 1
RC="$SRC/data/historical/rubio_campillo/02.csv"
"$TRUCE" calibrate --battles "$RC" --runs 600 --tolerance 0.05 --threads 1 --json >"$T/abc1.json" 2>/dev/null \
  && "$TRUCE" calibrate --battles "$RC" --runs 600 --tolerance 0.05 --threads 2 --json >"$T/abc2.json" 2>/dev/null \
  && cmp -s "$T/abc1.json" "$T/abc2.json" \
  && /usr/bin/python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
share = {l["law"]: l["share"] for l in r["laws"]}
assert r["accepted"] == 30 and r["battles"] == 251, r
assert abs(sum(share.values()) - 1) < 1e-9, share
assert max(share, key=share.get) == "fatigue" and share["square"] == 0, share' "$T/abc1.json" \
  && ok || bad "calibrate --battles: $(cat "$T/abc1.json")"
printf 'year;R0;Rc;B0;Bc\r\n1800;100;10;50;5\r\n\r\n1801;100;-3;50;5\r\n' >"$T/battles.csv"  # CRLF, a blank line
"$TRUCE" calibrate --battles "$T/battles.csv" >"$T/stdout" 2>"$T/stderr"
[ $? -eq 1 ] && grep -q "battles.csv:4:10: error: bad Rc '-3'" "$T/stderr" && [ ! -s "$T/stdout" ] \
  && ok || bad "calibrate --battles bad row: $(cat "$T/stderr")"
"$TRUCE" calibrate --battles "$RC" --tolerance 2 >/dev/null 2>"$T/stderr"
[ $? -eq 2 ] && grep -q "tolerance in (0, 1]" "$T/stderr" && ok || bad "calibrate --tolerance 2: $(cat "$T/stderr")"
# --write-scenario: fitted values spliced in with provenance, the rest kept
# byte for byte; the written scenario loads and fits to the same values
ARD="$SRC/scenarios/historical/ardennes-1944.yaml"
ARDOBS="$SRC/data/historical/ardennes/ardennes-observed.csv"
"$TRUCE" calibrate "$ARD" --observed "$ARDOBS" --law square --write-scenario "$T/fit.yaml" >/dev/null 2>"$T/stderr" \
  && [ "$(head -18 "$ARD")" = "$(head -18 "$T/fit.yaml")" ] && grep -q '^  law: square$' "$T/fit.yaml" \
  && grep -q 'germans: {value: 0.003893.*low: .*high: .*source: "truce calibrate, square law' "$T/fit.yaml" \
  && "$TRUCE" check "$T/fit.yaml" >/dev/null \
  && "$TRUCE" calibrate "$T/fit.yaml" --law square --observed "$ARDOBS" --json | grep -q '"combat.coefficients.germans": {"estimate": 0.00389' \
  && ok || bad "calibrate --write-scenario: $(cat "$T/stderr")"
sed 's/^    allies: {.*}$/    allies:\n      value: 0.004\n      unit: per day/' "$ARD" >"$T/block.yaml"
"$TRUCE" calibrate "$T/block.yaml" --observed "$ARDOBS" --law linear --write-scenario "$T/fit2.yaml" >/dev/null 2>"$T/stderr" \
  && grep -q '^  law: linear$' "$T/fit2.yaml" && "$TRUCE" check "$T/fit2.yaml" | grep -q "law:       linear" \
  && [ "$(grep -c 'truce calibrate, linear law' "$T/fit2.yaml")" = 2 ] \
  && ok || bad "calibrate --write-scenario over a block mapping: $(cat "$T/stderr")"
# a law with exponents the scenario does not set: p and q are inserted at
# the top of the combat mapping
"$TRUCE" calibrate "$ARD" --observed "$ARDOBS" --law power --write-scenario "$T/fit3.yaml" >/dev/null 2>"$T/stderr" \
  && grep -A2 '^combat:$' "$T/fit3.yaml" | grep -q '^  p: {value: 3.47' \
  && grep -A2 '^combat:$' "$T/fit3.yaml" | grep -q '^  q: {value: 1.50.*low: 0,' \
  && [ "$(grep -c 'truce calibrate, power law' "$T/fit3.yaml")" = 4 ] \
  && "$TRUCE" check "$T/fit3.yaml" >/dev/null \
  && "$TRUCE" calibrate "$T/fit3.yaml" --law power --observed "$ARDOBS" --json | grep -q '"combat.p": {"estimate": 3.47' \
  && ok || bad "calibrate --write-scenario inserting p and q: $(cat "$T/stderr") $(grep -A3 '^combat:' "$T/fit3.yaml")"
"$TRUCE" calibrate "$ARD" --observed "$ARDOBS" --write-scenario "$T/nodir/x.yaml" >/dev/null 2>"$T/stderr"
[ $? -eq 1 ] && grep -q "nodir/x.yaml:1:1: error: cannot write" "$T/stderr" && [ ! -e "$T/nodir" ] \
  && ok || bad "calibrate --write-scenario to a missing dir: $(cat "$T/stderr")"

# hindcast: the shipped Ukraine scenario against the shipped observed
# series; the observed figures are known answers of the data (UK MoD and
# ISW: monthly losses and gains correlate at +0.65; 115 casualties per km2
# gained in 2024), the scores do not depend on the thread count
UA="$SRC/scenarios/ukraine-2023-11.yaml"
OBS="$SRC/data/ukraine/observed"
"$TRUCE" hindcast "$UA" --observed "$OBS/ru_casualties_uk_mod.csv" --observed "$OBS/ru_area_isw.csv" \
  --observed "$OBS/ru_area_deepstate.csv" --runs 40 --threads 1 --json >"$T/hc1.json" 2>"$T/stderr" || bad "hindcast: $(cat "$T/stderr")"
"$TRUCE" hindcast "$UA" --observed "$OBS/ru_casualties_uk_mod.csv" --observed "$OBS/ru_area_isw.csv" \
  --observed "$OBS/ru_area_deepstate.csv" --runs 40 --threads 2 --json >"$T/hc2.json" 2>&1
cmp -s "$T/hc1.json" "$T/hc2.json" && ok || bad "hindcast differs between 1 and 2 threads"
/usr/bin/python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
g = r["groups"]
assert [x["source"][:6] for x in g] == ["UK MoD", "ISW as", "DeepSt"], g
assert g[0]["points"] == 24 and g[1]["points"] == 24, g
assert not g[2]["scored"] and g[2]["points"] == 0, g[2]
for x in g[:2]:
    assert sum(x["pit_hist"]) == x["points"] and x["in50"] <= x["in90"] <= x["points"], x
    assert x["in90"] == sum(o["in90"] for o in x["observations"]), x
nov = g[0]["observations"][0]
assert nov["date"] == "2023-11-30" and nov["day"] == 27 and abs(nov["observed"] - 25704) < 1, nov
p = r["pairs"][0]
assert p["id"] == "ru" and p["months"] == 24, p
assert abs(p["corr_observed"] - 0.65) < 0.01, p["corr_observed"]
y24 = [y for y in p["years"] if y["year"] == 2024][0]
assert abs(y24["per_km2_observed"] - 115) < 1, y24' "$T/hc1.json" && ok || bad "hindcast figures: $(head -c 600 "$T/hc1.json")"
"$TRUCE" hindcast "$UA" --observed "$OBS/ru_area_isw.csv" --runs 20 >"$T/hc.txt" 2>"$T/stderr" \
  && grep -q "^| area_km2 | ru | ISW assessments (The Economist's series) | 24 | " "$T/hc.txt" && ok || bad "hindcast table: $(cat "$T/hc.txt" "$T/stderr")"
printf 'date,series,id,value,low,high,unit,source,claimant\n2023-11-30,casualties,rus,5,,,p,S,c\n' >"$T/hbad.csv"
"$TRUCE" hindcast "$UA" --observed "$T/hbad.csv" --runs 5 >"$T/stdout" 2>"$T/stderr"
[ $? -eq 1 ] && grep -q "^$T/hbad.csv:2:23: error: unknown side 'rus' for casualties" "$T/stderr" && [ ! -s "$T/stdout" ] \
  && ok || bad "hindcast unknown side: $(cat "$T/stderr")"
"$TRUCE" hindcast "$UA" >/dev/null 2>"$T/stderr"; [ $? -eq 2 ] && grep -q "no --observed" "$T/stderr" && ok || bad "hindcast without --observed"
"$TRUCE" hindcast --help | grep -q "usage: truce hindcast" && ok || bad "hindcast --help"

# as_of: a number dated after it is refused by check and run, nothing
# written; an overlay's known-outcome events are allowed and recorded
cat >"$T/asof.yaml" <<'Y'
truce: 1
as_of: 2023-11-04
start: 2023-11-04
horizon_days: 30
sides:
  - id: a
    personnel: {front: 1000, pool: 5000, recruits_per_month: {value: 300, claimant: x, date: 2023-12}}
  - id: b
    personnel: {front: 900}
combat: {law: square, coefficients: {a: 0.01, b: 0.012}}
Y
for cmd in check run; do
  "$TRUCE" $cmd "$T/asof.yaml" $([ $cmd = run ] && echo --out "$T/asof-out") >/dev/null 2>"$T/stderr"
  [ $? -eq 1 ] && grep -q "^$T/asof.yaml:7:70: error: 'sides.a.personnel.recruits_per_month' is dated 2023-12, after as_of 2023-11-04" "$T/stderr" \
    && [ ! -e "$T/asof-out" ] && ok || bad "$cmd of a number after as_of: $(cat "$T/stderr")"
done
sed -i 's/date: 2023-12}/date: 2023-11}/' "$T/asof.yaml"
cat >"$T/record.yaml" <<'Y'
truce: 1
overlay: the record
events:
  - {name: law, date: 2023-11-20, known_outcome: true, mobilisation: {side: a, pool: 1000}}
Y
"$TRUCE" run "$T/asof.yaml" --overlay "$T/record.yaml" --out "$T/asof-ok" -q --no-report 2>"$T/stderr" \
  && grep -q '"overrides": \["--overlay .*record.yaml (sha256 [0-9a-f]*)"\]' "$T/asof-ok/summary.json" \
  && ok || bad "run with an overlay: $(cat "$T/stderr")"
sed -n '1,10p' "$T/asof.yaml" >"$T/known.yaml"
echo 'events:' >>"$T/known.yaml"
tail -1 "$T/record.yaml" >>"$T/known.yaml"
"$TRUCE" check "$T/known.yaml" >/dev/null 2>"$T/stderr"
[ $? -eq 1 ] && grep -q "^$T/known.yaml:12:35: error: events\[0\] ('law') is a known-outcome event; expected it only in an overlay" "$T/stderr" \
  && ok || bad "known-outcome event outside an overlay: $(cat "$T/stderr")"

# the shipped scenarios check, and the shipped record overlays with them
"$TRUCE" check "$SRC/scenarios/ukraine-2023-11.yaml" --overlay "$SRC/scenarios/records/ukraine-2023-11-record.yaml" >"$T/stdout" 2>"$T/stderr" \
  && grep -q "events:    35" "$T/stdout" && ok || bad "check with the 2023 record: $(cat "$T/stderr")"
# (the 2023 record's 33 events, 4 of which replace 5 uncertain ones of the
# base by id, and the base's 7: the 2024 record's 9, 1 replacing 2, and 4)
"$TRUCE" check "$SRC/scenarios/ukraine-2024-11.yaml" --overlay "$SRC/scenarios/records/ukraine-2024-11-record.yaml" >"$T/stdout" 2>"$T/stderr" \
  && grep -q "events:    11" "$T/stdout" && ok || bad "check with the 2024 record: $(cat "$T/stderr")"
for f in "$SRC"/scenarios/*.yaml "$SRC"/scenarios/historical/*.yaml; do
  [ -e "$f" ] || continue
  "$TRUCE" check "$f" >/dev/null 2>"$T/stderr" && ok || bad "check $f: $(cat "$T/stderr")"
done

# run --json: summary.json on standard output, and nothing else
"$TRUCE" run "$T/good.yaml" --runs 3 --threads 1 --out "$T/js" --json >"$T/js.out" 2>"$T/stderr"
[ $? -eq 0 ] && cmp -s "$T/js.out" "$T/js/summary.json" && /usr/bin/python3 -c 'import json, sys; assert json.load(open(sys.argv[1]))["runs"] == 3' "$T/js.out" \
  && ok || bad "run --json: $(head -c 300 "$T/js.out") $(cat "$T/stderr")"
"$TRUCE" run --help | grep -q -- "--json" && ok || bad "run --help lacks --json"

# the assumptions register names an enum's value (and keeps its index)
"$TRUCE" run "$T/good.yaml" --deterministic --set combat.law=linear --out "$T/enum" -q 2>"$T/stderr" || bad "enum run: $(cat "$T/stderr")"
/usr/bin/python3 -c '
import json, sys
a = {x["path"]: x for x in json.load(open(sys.argv[1]))["assumptions"]}
assert a["combat.law"]["label"] == "linear" and a["combat.law"]["value"] == 1, a["combat.law"]
assert "label" not in a["sides.a.personnel.front"], a["sides.a.personnel.front"]' "$T/enum/summary.json" \
  && ok || bad "assumptions register labels: $(grep -E 'law|posture' "$T/enum/summary.json")"

# a CSV saved with a UTF-8 byte-order mark (as spreadsheets do) reads the
# same as without it (standard output, its file name aside), in every CSV
# reader
same() { # NAME FILE COMMAND... (FILE's place in COMMAND written as @)
  local name=$1 f=$2 g="$T/bom-$(basename "$2")"; shift 2
  printf '\357\273\277' >"$g"; cat "$f" >>"$g"
  local a=() b=() x
  for x in "$@"; do a+=("${x//@/$f}"); b+=("${x//@/$g}"); done
  "${a[@]}" >"$T/plain.out" 2>"$T/stderr" || { bad "$name (no BOM): $(cat "$T/stderr")"; return; }
  "${b[@]}" 2>"$T/stderr" | sed "s|$g|$f|g" >"$T/bom.out"
  [ "${PIPESTATUS[0]}" -eq 0 ] || { bad "$name with a BOM: $(cat "$T/stderr")"; return; }
  cmp -s "$T/plain.out" "$T/bom.out" && ok || bad "$name: a BOM changes the output"
}
same "observed CSV" "$SRC/data/historical/ardennes/ardennes-observed.csv" \
  "$TRUCE" calibrate "$SRC/scenarios/historical/ardennes-1944.yaml" --law square --observed @ --json
same "KTAB CSV" "$SRC/data/bargaining/ktab_SOE-Policy.csv" "$TRUCE" stake @ --json
same "battles CSV" "$SRC/data/historical/rubio_campillo/03.csv" \
  "$TRUCE" calibrate --battles @ --runs 200 --threads 1 --json
same "hindcast series CSV" "$SRC/data/ukraine/observed/ru_area_isw.csv" \
  "$TRUCE" hindcast "$SRC/scenarios/ukraine-2023-11.yaml" --observed @ --runs 4 --threads 1 --json
same "stated-terms CSV" "$SRC/data/bargaining/stated_terms.csv" \
  "$TRUCE" bargain "$SRC/scenarios/ukraine-2023-11.yaml" --day 300 --terms @ --json
same "forecasts CSV" "$SRC/data/bargaining/ceasefire_forecasts.csv" \
  "$TRUCE" run "$SRC/scenarios/ukraine-2023-11.yaml" --runs 4 --threads 1 --out "$T/bomscore" --no-report --score @
# (not under valgrind: its bootstrap takes most of make valgrind's 19 min;
# make test and make sanitize (ASan) still run it)
if [ -z "${TRUCE_VALGRIND:-}" ]; then
  same "DEU III back-test" "$SRC/data/bargaining/deu3_blksv_predictioneers_game.csv" \
    "$TRUCE" stake --backtest @ --boot 20
fi

echo "cli: $pass passed, $fail failed"
[ $fail -eq 0 ]
