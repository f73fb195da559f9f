#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Every ```yaml block in docs/*.md must load with `truce check`.

usage: doc_yaml.py TRUCE SOURCE_DIR

A block preceded (on the line before its fence, blank lines allowed) by
`<!-- fragment: REASON -->` is a piece of a scenario on purpose (a single
record, one section) and is skipped, by its file and line, in the report.
A block with a top-level `overlay:` key is an overlay: it is
checked with `truce check BASE --overlay BLOCK`, BASE being the shipped
scenario of the same `as_of` (scenarios/ukraine-2023-11.yaml); one whose
first key is `truce_stake:` is a stakeholder file, run with `truce stake`.

Every other block is written to a private directory beside links to the
entries of scenarios/ (so `file: stakeholders/...` resolves as it does for
a scenario saved in scenarios/) and must pass `truce check` with exit
status 0. Any failure prints the block's docs file and line and truce's
message, and the test exits 1.
"""
import os
import re
import subprocess
import sys
import tempfile

FENCE = re.compile(r"^```yaml\s*$")
FRAGMENT = re.compile(r"^<!--\s*fragment\b.*-->\s*$")


def blocks(path):
    """(line of the fence, text, is_fragment) for each ```yaml block."""
    lines = open(path, encoding="utf-8").read().split("\n")
    out, i = [], 0
    while i < len(lines):
        if FENCE.match(lines[i]):
            j = i - 1
            while j >= 0 and not lines[j].strip():
                j -= 1
            frag = j >= 0 and bool(FRAGMENT.match(lines[j]))
            k = i + 1
            while k < len(lines) and not lines[k].startswith("```"):
                k += 1
            if k == len(lines):
                sys.exit(f"{path}:{i + 1}: unterminated ```yaml block")
            out.append((i + 1, "\n".join(lines[i + 1:k]) + "\n", frag))
            i = k
        i += 1
    return out


def first_key(text):
    for ln in text.split("\n"):
        s = ln.split("#", 1)[0].rstrip()
        if s and not s.startswith(" "):
            return s.split(":", 1)[0]
    return ""


def main():
    truce, src = sys.argv[1], os.path.abspath(sys.argv[2])
    docs = os.path.join(src, "docs")
    scen = os.path.join(src, "scenarios")
    base = os.path.join(scen, "ukraine-2023-11.yaml")
    checked = skipped = failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        for e in os.listdir(scen):
            os.symlink(os.path.join(scen, e), os.path.join(tmp, e))
        for md in sorted(os.listdir(docs)):
            if not md.endswith(".md"):
                continue
            for line, text, frag in blocks(os.path.join(docs, md)):
                where = f"docs/{md}:{line}"
                if frag:
                    print(f"skip {where} (marked fragment)")
                    skipped += 1
                    continue
                f = os.path.join(tmp, f"{md[:-3]}-{line}.yaml")
                with open(f, "w", encoding="utf-8") as h:
                    h.write(text)
                key = first_key(text)
                if key == "truce_stake":
                    cmd = [truce, "stake", f]
                elif re.search(r"^overlay:", text, re.M):
                    cmd = [truce, "check", base, "--overlay", f]
                else:
                    cmd = [truce, "check", f]
                r = subprocess.run(cmd, capture_output=True, text=True)
                checked += 1
                if r.returncode != 0:
                    failed += 1
                    print(f"FAIL {where}: truce check exited "
                          f"{r.returncode}:\n{r.stderr.strip()}")
                else:
                    print(f"ok   {where}")
    print(f"{checked} blocks checked, {skipped} fragments skipped, "
          f"{failed} failed")
    if checked == 0:
        sys.exit("no ```yaml block found in docs/: the extractor is broken")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
