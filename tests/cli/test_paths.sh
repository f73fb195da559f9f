#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# truce paths FILE: every path it lists is accepted by --set (with its own
# value), the JSON agrees with the text, provenance and distributions are
# the file's, an override shows as the command line's, --help and errors.
# usage: test_paths.sh TRUCE_BINARY SOURCE_DIR
set -u
. "$2/tests/cli/lib.sh"
S="$SRC/scenarios/ukraine-2023-11.yaml"

if "$TRUCE" paths --help >"$T/help" && grep -q "^usage: truce paths FILE" "$T/help"; then ok; else bad "--help"; fi
"$TRUCE" paths >/dev/null 2>&1
[ $? -eq 2 ] && ok || bad "no FILE: expected exit status 2"
"$TRUCE" paths "$T/none.yaml" >/dev/null 2>"$T/err"
[ $? -eq 1 ] && grep -q "error" "$T/err" && ok || bad "missing file: expected exit 1 and an error"

"$TRUCE" paths "$S" >"$T/text" || bad "paths exit status"
"$TRUCE" paths "$S" --json >"$T/json" || bad "paths --json exit status"
"$TRUCE" paths "$S" --json --uncertain >"$T/unc" || bad "paths --json --uncertain"

# Every listed path, set to its own value (an enum by its name), is
# accepted: the list names only settable paths, each spelt as --set wants.
python3 - "$T/json" >"$T/sets" <<'PY'
import json, sys
for p in json.load(open(sys.argv[1])):
    v = p.get("label", repr(p["value"]) if not float(p["value"]).is_integer() else "%d" % p["value"])
    print("--set=%s=%s" % (p["path"], v))
PY
mapfile -t SETS <"$T/sets"
if [ ${#SETS[@]} -gt 200 ] && "$TRUCE" check "$S" "${SETS[@]}" >/dev/null 2>"$T/err"; then ok
else bad "check with every listed path set to its value (${#SETS[@]} paths): $(head -3 "$T/err")"; fi

# The JSON and the text list the same paths in the same order; --uncertain
# keeps those with a distribution, as many as runs.csv has parameter
# columns (runs.csv in file order, paths in the schema's).
python3 - "$T/json" "$T/text" "$T/unc" <<'PY' && ok || bad "json/text/uncertain agreement"
import json, sys
j = json.load(open(sys.argv[1]))
text = [l.split(" = ")[0] for l in open(sys.argv[2])]
assert [p["path"] for p in j] == text, "text and JSON differ"
unc = json.load(open(sys.argv[3]))
assert [p["path"] for p in unc] == [p["path"] for p in j if p["distribution"]]
assert len(unc) > 100
assert len(set(text)) == len(text), "a path listed twice"
PY
"$TRUCE" run "$S" --runs 1 --quiet --out "$T/o" >/dev/null 2>&1
python3 - "$T/unc" "$T/o/runs.csv" <<'PY' && ok || bad "--uncertain differs from runs.csv's parameter columns"
import json, sys
unc = [p["path"] for p in json.load(open(sys.argv[1]))]
head = open(sys.argv[2]).readline().strip().split(",")[1:]
assert sorted(head[:len(unc)]) == sorted(unc) and len(head) > len(unc), (unc[:3], head[:3])
PY

# Provenance and distribution of a known number, as the file gives them.
python3 - "$T/json" <<'PY' && ok || bad "provenance of sides.ua.personnel.front"
import json, sys
p = {x["path"]: x for x in json.load(open(sys.argv[1]))}
f = p["sides.ua.personnel.front"]
assert f["value"] == 400000 and f["distribution"] == "pert(300000, 400000, 500000)", f
assert f["claimant"] == "truce modelling assumption" and f["date"] == "2023-11-04", f
assert f["p005"] == 300000 and f["p995"] == 500000 and f["unit"] == "soldiers in the zone", f
assert p["combat.law"]["label"] == "square"
assert p["time_step"]["source"] is None       # left at its default
assert p["backers.us.budget_scale"]["max"] == 100
PY

# An override replaces the value and the provenance, and is no longer uncertain.
"$TRUCE" paths "$S" --set sides.ru.quality=0.9 >"$T/set" || bad "paths --set"
if grep -q '^sides.ru.quality = 0.9  .* -- command line (--set); -; -' "$T/set" &&
   ! grep '^sides.ru.quality' "$T/set" | grep -q '~'; then ok
else bad "override: $(grep '^sides.ru.quality' "$T/set")"; fi

echo "paths: $pass passed, $fail failed"
[ $fail -eq 0 ]
