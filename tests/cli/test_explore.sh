#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# truce explore as a user meets it: bad design specifications give an
# argument or FILE:LINE:COL error, exit 1 and write nothing; the tidy
# table has a row per point and replicate in CSV and SQLite; threads and
# MPI ranks do not change a byte of it.
# usage: test_explore.sh TRUCE_BINARY SOURCE_DIR
set -u
. "$2/tests/cli/lib.sh"

cp "$SRC/tests/cli/ens.yaml" "$T/ens.yaml"

# expect_bad NAME STDERR_PREFIX ARGS...: exit 1, the message, no output
expect_bad() {
  local name=$1 prefix=$2 out="$T/out-$1"
  shift 2
  "$TRUCE" explore "$T/ens.yaml" --out "$out" -q "$@" >"$T/stdout" 2>"$T/stderr"
  local rc=$?
  if [ $rc -ne 1 ]; then bad "$name: exit status $rc, expected 1"; return; fi
  if ! grep -qF -- "$prefix" "$T/stderr"; then
    bad "$name: stderr '$(cat "$T/stderr")' lacks '$prefix'"; return
  fi
  if [ -e "$out" ]; then bad "$name: output written to $out"; return; fi
  ok
}
expect_bad unknown-path "--lever combat.coefficients.c: error:" \
  --lever combat.coefficients.c=0:1
expect_bad empty-range "--lever combat.coefficients.a: error: the range [0.02, 0.02] is empty" \
  --lever combat.coefficients.a=0.02:0.02
expect_bad reversed-range "is empty; expected LOW < HIGH" \
  --lever combat.coefficients.a=0.03:0.01
expect_bad not-a-parameter "'horizon_days' is not a number a run reads" \
  --lever horizon_days=10:20
expect_bad out-of-range "out of range for 'combat.coefficients.a'" \
  --lever combat.coefficients.a=-1:1
expect_bad no-range "--lever combat.coefficients.a: error: expected PATH=LOW:HIGH" \
  --lever combat.coefficients.a
expect_bad bad-numbers "the range is not two numbers" \
  --lever combat.coefficients.a=x:1
expect_bad bad-option "unknown option 'cubic' for 'combat.law'" \
  --lever combat.law=square,cubic
expect_bad names-not-range "'combat.law' takes names, not a range" \
  --lever combat.law=0:1
expect_bad twice "is already a lever" \
  --lever combat.coefficients.a=0.01:0.02 --lever combat.coefficients.a=0.01:0.03
expect_bad bad-condition "--condition 'a.exhaustion_day ~ 30': error: column 18" \
  --condition 'a.exhaustion_day ~ 30'
expect_bad condition-outcome "--condition 'a.exhausted < 3': error: column 1" \
  --condition 'a.exhausted < 3'
expect_bad condition-number "is not a number; expected OUTCOME OP NUMBER" \
  --condition 'a.exhaustion_day < soon'
expect_bad unknown-outcome "--outcome a.exhausted: error: no such outcome; expected one of a.exhaustion_day" \
  --outcome a.exhausted
expect_bad unknown-uncertain "--uncertain combat.law: error: not an uncertain number" \
  --uncertain combat.law
expect_bad unknown-design "--design halton: unknown design" --design halton
expect_bad morris-levels "Morris levels 3; expected an even number" \
  --design morris --levels 3
expect_bad no-factors "over no factors" --uncertain none
expect_bad bad-set "--set combat.coefficients.z=1: error:" \
  --set combat.coefficients.z=1
# the same mistakes in a design file point into it (FILE:LINE:COL)
expect_bad_file() {
  local name=$1 prefix=$2 f="$T/$1.design.yaml"
  cat >"$f"
  expect_bad "file-$name" "$f:$prefix" --design-file "$f"
}
expect_bad_file unknown-path "4:12: error:" <<'D'
design: lhs
n: 10
levers:
  - {path: combat.coefficients.c, range: [0, 1]}
D
expect_bad_file empty-range "3:12: error: the range [0.02, 0.02] is empty" <<'D'
design: lhs
levers:
  - {path: combat.coefficients.a, range: [0.02, 0.02]}
D
expect_bad_file not-a-parameter "2:12: error: 'horizon_days' is not a number a run reads" <<'D'
levers:
  - {path: horizon_days, range: [10, 20]}
D
expect_bad_file no-range "2:6: error: a lever with neither a range nor options" <<'D'
levers:
  - {path: combat.coefficients.a}
D
expect_bad_file condition "3:32: error: condition 'a.exhaustion_day <= soon': 'soon' is not a number" <<'D'
design: lhs
n: 10
condition: a.exhaustion_day <= soon
D
expect_bad_file outcome "2:26: error: no outcome 'a.exhausted'" <<'D'
n: 10
outcomes: [a.casualties, a.exhausted]
D
expect_bad_file uncertain "1:13: error: 'combat.law' is not an uncertain number" <<'D'
uncertain: [combat.law]
D
expect_bad_file unknown-key "2:1: error: unknown key 'replicate'" <<'D'
design: lhs
replicate: 2
D
expect_bad_file design "1:9: error: unknown design 'latin'" <<'D'
design: latin
D
expect_bad_file size "1:4: error: 'n' must be a whole number from 1" <<'D'
n: 2.5
D
expect_bad_file syntax "3:1: error: missing comma" <<'D'
design: lhs
levers: [ {path: a
D
"$TRUCE" explore --help | grep -q "usage: truce explore FILE" && ok || bad "--help"
"$TRUCE" explore >/dev/null 2>&1; [ $? -eq 2 ] && ok || bad "no FILE: not a usage error"

# a design file gives the same exploration as the options
cat >"$T/d.yaml" <<'D'
design: lhs
n: 30
replicates: 2
levers:
  - {path: combat.coefficients.a, range: [0.005, 0.02]}
  - {path: combat.law, options: [square, linear]}
outcomes: [a.exhaustion_day, a.casualties]
condition: a.exhaustion_day < 91
D
"$TRUCE" explore "$T/ens.yaml" --design-file "$T/d.yaml" --out "$T/f1" -q || bad "design file"
"$TRUCE" explore "$T/ens.yaml" --design lhs --n 30 --replicates 2 \
  --lever combat.coefficients.a=0.005:0.02 --lever combat.law=square,linear \
  --outcome a.exhaustion_day --outcome a.casualties \
  --condition 'a.exhaustion_day < 91' --out "$T/f2" -q || bad "the same by options"
cmp -s "$T/f1/explore.csv" "$T/f2/explore.csv" && ok || bad "design file and options differ"

# the tidy table: 12 * (4 + 2) points x 3 replicates, CSV = SQLite
args=(--design sobol --n 12 --replicates 3 --lever combat.coefficients.a=0.005:0.02
      --condition 'a.exhaustion_day < 91' --bootstrap 50 -q)
"$TRUCE" explore "$T/ens.yaml" "${args[@]}" --threads 1 --out "$T/t1" || bad "explore t1"
"$TRUCE" explore "$T/ens.yaml" "${args[@]}" --threads 2 --out "$T/t2" || bad "explore t2"
for f in explore.csv explore.json; do
  [ -s "$T/t1/$f" ] && ok || bad "t1/$f missing"
done
rows=$(($(wc -l <"$T/t1/explore.csv") - 1))
[ "$rows" = $((12 * 6 * 3)) ] && ok || bad "explore.csv has $rows rows, expected 216"
head -1 "$T/t1/explore.csv" | grep -q '^point,replicate,run,combat.coefficients.a,sides.a.personnel.front,sides.b.personnel.front,combat.coefficients.b,a.exhaustion_day,b.exhaustion_day$' \
  && ok || bad "explore.csv header: $(head -1 "$T/t1/explore.csv")"
# the lever spans its range: inputs of point 0 and 1 (A and B rows)
awk -F, 'NR > 1 && ($4 < 0.005 || $4 > 0.02) {exit 1}' "$T/t1/explore.csv" && ok || bad "lever outside its range"
cmp -s "$T/t1/explore.csv" "$T/t2/explore.csv" && ok || bad "threads 1 vs 2: explore.csv differs"
sed 's/"seconds":[0-9.]*//' "$T/t2/explore.json" >"$T/j2"
sed 's/"seconds":[0-9.]*//' "$T/t1/explore.json" >"$T/j1"
cmp -s "$T/j1" "$T/j2" && ok || bad "threads 1 vs 2: explore.json differs"
if command -v sqlite3 >/dev/null 2>&1; then
  n=$(sqlite3 "$T/t1/explore.db" "select count(*) from explore_runs")
  [ "$n" = 216 ] && ok || bad "explore.db has $n rows"
  s=$(sqlite3 "$T/t1/explore.db" "select printf('%.10g', sum(\"a.exhaustion_day\")) from explore_runs")
  c=$(awk -F, 'NR > 1 {s += $8} END {printf "%.10g", s}' "$T/t1/explore.csv")
  [ "$s" = "$c" ] && ok || bad "explore.db sum $s, explore.csv $c"
  ni=$(sqlite3 "$T/t1/explore.db" "select count(*) from explore_indices where method = 'sobol_st'")
  # b is never exhausted (day 91 in every run): no indices for it
  [ "$ni" = 4 ] && ok || bad "explore.db: $ni total indices, expected 4 inputs x 1 outcome"
else
  bad "sqlite3 shell not installed"
fi
if command -v mpirun >/dev/null 2>&1 && "$TRUCE" --version | grep -q mpi; then
  export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
  for np in 1 2; do
    mpirun -np $np --oversubscribe "$TRUCE" explore "$T/ens.yaml" "${args[@]}" \
      --threads 1 --out "$T/mpi$np" >"$T/mpi.log" 2>&1 || bad "mpirun -np $np: $(tail -3 "$T/mpi.log")"
  done
  cmp -s "$T/mpi1/explore.csv" "$T/mpi2/explore.csv" && ok || bad "mpirun -np 1 vs 2: explore.csv differs"
  cmp -s "$T/t1/explore.csv" "$T/mpi2/explore.csv" && ok || bad "threads vs mpirun -np 2: explore.csv differs"
else
  echo "note: mpirun not found or truce built without MPI; MPI checks skipped"
fi
# the agreement outcomes: each run's agree_by_month_12 and _24 are 1
# exactly when its agree_day (censored at the horizon + 1) falls by the
# end of that month; some runs agree, some do not
cat >"$T/talks.yaml" <<'Y'
truce: 1
horizon_days: 800
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
  agreement_per_month_open: {value: 0.02, low: 0.002, high: 0.05}
  agreement_per_month_ripe: 0.03
  sides:
    a: {weights: {territory: 1}, cost_per_year: 0.1, optimism: {value: 1, low: 0, high: 4}}
    b: {weights: {territory: 1}, cost_per_year: 0.1, optimism: {value: 1, low: 0, high: 4}}
Y
"$TRUCE" explore "$T/talks.yaml" --design lhs --n 40 --replicates 2 --bootstrap 20 \
  --outcome bargaining.agree_day --outcome bargaining.agree_by_month_12 \
  --outcome bargaining.agree_by_month_24 --out "$T/ag" -q --no-report || bad "explore talks"
/usr/bin/python3 -c '
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
assert len(rows) == 80
n = 0
for r in rows:
    d = float(r["bargaining.agree_day"])
    n += d <= 800
    for m in (12, 24):
        assert float(r["bargaining.agree_by_month_%d" % m]) == (1.0 if d <= m * 30.436875 else 0.0), (r, m)
assert 0 < n < 80, n' "$T/ag/explore.csv" && ok || bad "explore: agreement outcomes"
# truce report refuses a damaged explore.json beside a run
"$TRUCE" run "$T/ens.yaml" --runs 20 --out "$T/rr" -q --no-report || bad "run rr"
printf '{"title": "x", ' >"$T/rr/explore.json"
"$TRUCE" report "$T/rr" >"$T/stdout" 2>"$T/stderr"
[ $? -eq 1 ] && grep -q "^$T/rr/explore.json:[0-9]*:[0-9]*: error: malformed JSON" "$T/stderr" \
  && [ ! -e "$T/rr/report.html" ] && ok || bad "report with a damaged explore.json: $(cat "$T/stderr")"
echo "cli explore: $pass passed, $fail failed"
[ $fail -eq 0 ]
