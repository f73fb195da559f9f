#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Golden regression: the shipped scenarios at fixed seeds, against the
outputs stored in tests/regress/expected/.

  regress.py TRUCE SRC_DIR WORK_DIR            compare (the test)
  regress.py TRUCE SRC_DIR WORK_DIR --update   rewrite expected/

Each case runs `truce run` and keeps daily.csv, runs.csv, summary.json
(without the fields that name the command line, the threads or the ranks)
and a dump of results.db (`sqlite3 .dump`, the same fields removed from
the meta table). The comparison is token by token: a token that is a
number in both files may differ by a relative RTOL (env
TRUCE_REGRESS_RTOL, default 1e-9, so the same numbers printed by another
compiler or libm still pass); any other token must be equal. With
TRUCE_REGRESS_RTOL=0 the files must be equal byte for byte. A change that
moves numbers on purpose rewrites expected/ with --update and says so in
its commit message.

Only the Python standard library and the sqlite3 shell are used."""
import gzip, json, os, re, subprocess, sys, tempfile

# (name, scenario, extra arguments)
CASES = [
    ("ukraine-2023-11", "scenarios/ukraine-2023-11.yaml", ["--runs", "64"]),
    ("ukraine-2023-11-det", "scenarios/ukraine-2023-11.yaml",
     ["--deterministic"]),
    ("ukraine-2024-11", "scenarios/ukraine-2024-11.yaml", ["--runs", "64"]),
    ("ukraine-2024-11-det", "scenarios/ukraine-2024-11.yaml",
     ["--deterministic"]),
    ("iwo-jima-1945", "scenarios/historical/iwo-jima-1945.yaml",
     ["--runs", "200"]),
    ("iwo-jima-1945-det", "scenarios/historical/iwo-jima-1945.yaml",
     ["--deterministic"]),
    ("ardennes-1944", "scenarios/historical/ardennes-1944.yaml",
     ["--runs", "200"]),
    ("ardennes-1944-det", "scenarios/historical/ardennes-1944.yaml",
     ["--deterministic"]),
    ("korea-1951", "scenarios/historical/korea-1951.yaml", ["--runs", "64"]),
    ("winter-war-1939", "scenarios/historical/winter-war-1939.yaml",
     ["--runs", "64"]),
]
FILES = ["daily.csv", "runs.csv", "summary.json", "results.sql"]
DROP_META = ("command_line", "threads", "ranks")
NUM = re.compile(r"-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$")
TOKEN = re.compile(r"[-+0-9.eE]+|[^-+0-9.eE]+")


def normalise_summary(text):
    json.loads(text)  # must parse
    return "".join(l for l in text.splitlines(True)
                   if not l.startswith('  "command_line": '))


def dump_db(path):
    out = subprocess.run(["sqlite3", path, ".dump"], check=True,
                         capture_output=True, text=True).stdout
    keep = []
    for line in out.splitlines():
        if line.startswith("INSERT INTO meta") and any(
                "'%s'" % k in line for k in DROP_META):
            continue
        keep.append(line)
    return "\n".join(keep) + "\n"


def produce(truce, src, work, name, scenario, extra):
    out = os.path.join(work, name)
    cmd = [truce, "run", scenario, "--seed", "7",
           "--threads", "2", "--out", out, "-q", "--no-report"] + extra
    subprocess.run(cmd, check=True, cwd=src)
    files = {}
    for f in ("daily.csv", "runs.csv"):
        with open(os.path.join(out, f)) as fh:
            files[f] = fh.read()
    with open(os.path.join(out, "summary.json")) as fh:
        files["summary.json"] = normalise_summary(fh.read())
    files["results.sql"] = dump_db(os.path.join(out, "results.db"))
    return files


def close(a, b, rtol):
    if a == b:
        return True
    if rtol == 0 or not (NUM.match(a) and NUM.match(b)):
        return False
    x, y = float(a), float(b)
    return abs(x - y) <= rtol * max(abs(x), abs(y), 1e-300)


def compare(got, want, rtol):
    """First difference as (line number, got line, expected line), or None."""
    if got == want:
        return None
    gl, wl = got.splitlines(), want.splitlines()
    for i in range(max(len(gl), len(wl))):
        g = gl[i] if i < len(gl) else "<end of file>"
        w = wl[i] if i < len(wl) else "<end of file>"
        if g == w:
            continue
        gt, wt = TOKEN.findall(g), TOKEN.findall(w)
        if rtol > 0 and len(gt) == len(wt) and all(
                close(p, q, rtol) for p, q in zip(gt, wt)):
            continue
        return (i + 1, g, w)
    return None


def main(argv):
    if len(argv) < 4 or argv[1] in ("-h", "--help"):
        print(__doc__)
        return 0 if len(argv) > 1 and argv[1] in ("-h", "--help") else 2
    truce, src, work = (os.path.abspath(a) for a in argv[1:4])
    update = "--update" in argv[4:]
    rtol = float(os.environ.get("TRUCE_REGRESS_RTOL", "1e-9"))
    expected = os.path.join(src, "tests", "regress", "expected")
    os.makedirs(work, exist_ok=True)
    work = tempfile.mkdtemp(prefix="regress.", dir=work)
    failed = 0
    for name, scenario, extra in CASES:
        files = produce(truce, src, work, name, scenario, extra)
        for f in FILES:
            path = os.path.join(expected, name, f + ".gz")
            if update:
                os.makedirs(os.path.dirname(path), exist_ok=True)
                # mtime 0: the same outputs give the same bytes, so an
                # update rewrites only the files whose content moved
                with open(path, "wb") as raw, gzip.GzipFile(
                        fileobj=raw, mode="wb", compresslevel=9,
                        mtime=0) as fh:
                    fh.write(files[f].encode())
                continue
            with gzip.open(path, "rt") as fh:
                want = fh.read()
            diff = compare(files[f], want, rtol)
            if diff:
                failed += 1
                print("FAIL %s/%s line %d\n  got:      %.300s\n  expected: %.300s"
                      % (name, f, diff[0], diff[1], diff[2]))
            else:
                print("ok   %s/%s" % (name, f))
    if update:
        print("expected outputs rewritten in %s" % expected)
        return 0
    n = len(CASES) * len(FILES)
    print("%d passed, %d failed" % (n - failed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
