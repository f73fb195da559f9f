#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs every libFuzzer target of targets.txt for SECONDS each (ASan +
# UBSan, leak detection, -timeout=10 per input): a crash, leak, hang or
# UB report fails it, and the input is copied into tests/fuzz/regress/NAME/
# for `make test` to replay. Prints the executions per target.
# usage: run.sh BUILD_DIR SOURCE_DIR SECONDS [NAME...]
set -uo pipefail
B=$1 SRC=$2 SECS=$3
shift 3
cd "$SRC"
status=0
while read -r name globs; do
  case $name in ''|'#'*) continue ;; esac
  if [ $# -gt 0 ] && ! printf '%s\n' "$@" | grep -qx "$name"; then continue; fi
  bin=$B/tests/fuzz/fuzz_$name
  work=$B/fuzz-corpus/$name art=$B/fuzz-artifacts/$name
  mkdir -p "$work" "$art"
  # shellcheck disable=SC2086
  for f in $globs; do cp -f "$f" "$work/" 2>/dev/null; done
  log=$B/fuzz-$name.log
  TMPDIR=$B "$bin" "$work" "tests/fuzz/regress/$name" \
    -max_total_time="$SECS" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
    -print_final_stats=1 -artifact_prefix="$art/" >"$log" 2>&1
  rc=$?
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  echo "fuzz: $name: ${execs:-?} executions in ${SECS} s, exit $rc"
  if [ $rc -ne 0 ]; then
    status=1
    tail -40 "$log"
    for a in "$art"/*; do
      [ -f "$a" ] && cp "$a" "tests/fuzz/regress/$name/" &&
        echo "fuzz: $name: finding saved as tests/fuzz/regress/$name/$(basename "$a")"
    done
  fi
done < tests/fuzz/targets.txt
exit $status
