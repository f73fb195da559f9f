#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Honest numbers (docs/outputs.md: "Quantiles", "Rounding", "Warnings",
"truce compare"), tried from the command line:

- one quantile rule: the median front at the horizon is the same number
  in the terminal (to 3 significant figures), summary.json, daily.csv,
  results.db and truce compare; no band outside its series' range, a
  constant series exact;
- Monte Carlo standard errors beside the headline shares;
- compare: the same scenario with two seeds flags about 5% of the
  outcomes (95% intervals) over several seed pairs; halving US aid with
  the same seed is flagged (paired); Iwo Jima against Ukraine warns;
- the sanity warnings fire on a minimal scenario and not on the shipped
  ones; calibration's unidentified fit fires on the Ardennes' power law
  and not on its square law.

usage: test_numbers.py TRUCE SRC_DIR"""
import csv, json, math, os, re, sqlite3, subprocess, sys, tempfile

TRUCE, SRC = sys.argv[1], sys.argv[2]
WORK = tempfile.mkdtemp()
UA = os.path.join(SRC, "scenarios/ukraine-2023-11.yaml")
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what)


def run(scenario, out, *args):
    p = subprocess.run([TRUCE, "run", scenario, "--out", out, "--no-report",
                        "--threads", "2"] + list(args),
                       capture_output=True, text=True, check=True)
    return p.stdout


def compare(a, b):
    p = subprocess.run([TRUCE, "compare", a, b, "--json"],
                       capture_output=True, text=True, check=True)
    return json.loads(p.stdout)


def sig3(v):
    """truce_format_sig(v, 3) for |v| >= 100."""
    return "{:,.0f}".format(float("%.3g" % v))


def shift(cmp, what):
    rows = [o for o in cmp["outcomes"] if o["what"] == what]
    check(len(rows) == 1, "compare has one row '%s'" % what)
    return rows[0] if rows else {}


# ---- one quantile rule -------------------------------------------------
a = os.path.join(WORK, "a")
text = run(UA, a, "--runs", "100", "--seed", "7")
summary = json.load(open(os.path.join(a, "summary.json")))
H = summary["days"]
med = summary["sides"]["ua"]["front_end"]["p50"]
rows = list(csv.DictReader(open(os.path.join(a, "daily.csv"))))
last = [r for r in rows if r["day"] == str(H) and r["side"] == "ua"
        and r["series"] == "front"][0]
check(float(last["p50"]) == med and float(last["p05"]) ==
      summary["sides"]["ua"]["front_end"]["p05"],
      "daily.csv's horizon front %s = summary.json's %s" % (last["p50"], med))
db = sqlite3.connect(os.path.join(a, "results.db"))
(dbmed,) = db.execute("select p50 from daily where day = ? and side = 'ua' "
                      "and series = 'front'", (H,)).fetchone()
check(abs(dbmed - med) <= 1e-9 * med, "results.db's median front %r" % dbmed)
line = [l for l in text.splitlines() if l.strip().startswith("ua ")][0]
check(("front %s [" % sig3(med)) in line,
      "terminal '%s' shows the median %s" % (line, sig3(med)))
cmp = compare(a, a)
row = shift(cmp, "ua: median front_end")
check(abs(row.get("a", 0) - med) <= 1e-9 * med,
      "compare's median front %r = %r" % (row.get("a"), med))
check(cmp["flagged"] == 0 and cmp["paired"], "a run against itself")
bad = [r for r in rows if not (float(r["p05"]) <= float(r["p25"]) <=
                               float(r["p50"]) <= float(r["p75"]) <=
                               float(r["p95"]))]
check(not bad, "%d bands out of order" % len(bad))
terr = [r for r in rows if r["series"] == "territory" and
        not (0 <= float(r["p05"]) and float(r["p95"]) <= 1)]
check(not terr, "territory bands outside [0, 1]: %s" % terr[:1])
ard = os.path.join(WORK, "ard")
run(os.path.join(SRC, "scenarios/historical/ardennes-1944.yaml"), ard,
    "--runs", "200", "-q")
d0 = [r for r in csv.DictReader(open(os.path.join(ard, "daily.csv")))
      if r["day"] == "0" and r["side"] == "allies" and r["series"] == "front"]
check(d0 and d0[0]["p05"] == d0[0]["p95"] == d0[0]["mean"],
      "a constant day-0 front is exact: %s" % d0)

# ---- standard errors ---------------------------------------------------
ex = summary["sides"]["ua"]["exhaustion_day"]
p, n = 1 - ex["never_fraction"], summary["runs"]
check(abs(ex["never_fraction_se"] - math.sqrt(p * (1 - p) / n)) < 1e-9,
      "never_fraction_se %r" % ex.get("never_fraction_se"))
for sd in ("ua", "ru"):  # a share of 0 or 1 has no spread to show
    q = 1 - summary["sides"][sd]["exhaustion_day"]["never_fraction"]
    ln = [l for l in text.splitlines() if l.strip().startswith(sd + " ")][0]
    want = ("\u00b1 %.2g of runs" % (100 * math.sqrt(q * (1 - q) / n))
            if 0 < q < 1 else "%.0f%% of runs" % (100 * q))
    check(want in ln, "terminal '%s' shows '%s'" % (ln, want))
bp = summary["bargaining"]["p_open_by_month"][2][1]
bse = summary["bargaining"]["p_open_by_month_se"][2][1]
check(abs(bse - math.sqrt(bp * (1 - bp) / n)) < 1e-9, "p_open_by_month_se")
want = "months: %s%% \u00b1 %.2g /" % ("%.3g" % (100 * bp), 100 * bse)
check(want in text, "terminal shows '%s'" % want)

# ---- compare: noise and a real change ----------------------------------
flagged = total = 0
dirs = {}
for s in range(1, 11):
    dirs[s] = os.path.join(WORK, "s%d" % s)
    run(UA, dirs[s], "--runs", "200", "--seed", str(s), "-q")
for s in range(1, 11, 2):
    c = compare(dirs[s], dirs[s + 1])
    check(not c["paired"] and any(w["code"] == "seed" for w in c["warnings"]),
          "two seeds: unpaired, with a warning")
    for o in c["outcomes"]:
        if o["se"]:
            total += 1
            flagged += o["beyond_noise"]
rate = flagged / total
print("two seeds: %d of %d differences beyond noise (%.1f%%)" %
      (flagged, total, 100 * rate))
check(0.01 <= rate <= 0.10, "two seeds flag %.1f%%, expected about 5%%" %
      (100 * rate))
half = os.path.join(WORK, "half")
run(UA, half, "--runs", "200", "--seed", "1", "-q",
    "--set", "backers.us.budget_scale=0.5")
c = compare(dirs[1], half)
check(c["paired"] and not c["warnings"], "same seed: paired, no warning")
check(any(d["path"] == "backers.us.budget_scale" for d in c["assumptions"]),
      "the halved aid is listed")
for what, sign in (("us: mean delivered_total", -1),
                   ("ru: mean casualties_total", -1)):
    o = shift(c, what)
    check(o.get("beyond_noise") and o["diff"] * sign > 0 and o["paired"],
          "halving US aid: %s beyond noise (%s)" % (what, o))
print("halved US aid: %d of %d beyond noise" % (c["flagged"],
                                                len(c["outcomes"])))
iwo = os.path.join(WORK, "iwo")
run(os.path.join(SRC, "scenarios/historical/iwo-jima-1945.yaml"), iwo,
    "--runs", "50", "-q")
c = compare(iwo, dirs[1])
codes = {w["code"] for w in c["warnings"]}
check({"scenario", "horizon", "sides"} <= codes,
      "Iwo Jima against Ukraine warns: %s" % codes)
h = min(c["days"])
check(not [o for o in c["outcomes"] if re.search(r"by day (\d+)", o["what"])
           and int(re.search(r"by day (\d+)", o["what"]).group(1)) > h],
      "no share is given by a day past the shorter horizon %d" % h)

# ---- sanity warnings ---------------------------------------------------
bad_yaml = os.path.join(WORK, "bad.yaml")
with open(bad_yaml, "w") as f:
    f.write("""truce: 1
horizon_days: 120
seed: 3
sides:
  - id: a
    personnel: {front: {value: 1000, low: 900, high: 1100}, pool: 5000}
    equipment:
      tanks: {stock: 0, soldiers_per_item: 10}
  - id: b
    exhaustion_threshold: 2000
    personnel: {front: 1200}
combat:
  law: square
  coefficients: {a: 0.001, b: 0.001}
""")
out = os.path.join(WORK, "bad")
text = run(bad_yaml, out, "--runs", "20")
w = json.load(open(os.path.join(out, "summary.json")))["warnings"]
got = sorted((x["code"], x["share"]) for x in w)
check(got == [("exhausted_at_start", 1), ("weak_power", 1), ("zero_power", 1)],
      "the minimal scenario's warnings: %s" % got)
check("[zero_power]" in text and "[exhausted_at_start]" in text and
      "[weak_power]" in text,
      "the terminal shows the warnings")
# the shipped scenarios raise none, but one known finding: in the article
# scenario Russia's heavy equipment runs out in about a quarter of runs
# (losses 0.02 items per casualty outrun production), while its fire and
# assaults go on (docs/validation.md s5)
for name, want in (("ukraine-2023-11", [("weak_power", "ru")]),
                   ("ukraine-2024-11", []), ("historical/iwo-jima-1945", []),
                   ("historical/ardennes-1944", [])):
    out = os.path.join(WORK, "ship-" + name.replace("/", "-"))
    run(os.path.join(SRC, "scenarios", name + ".yaml"), out, "--runs", "100",
        "-q")
    w = json.load(open(os.path.join(out, "summary.json")))["warnings"]
    got = [(x["code"], x["message"].split()[0]) for x in w]
    check(got == want and all(0.1 < x["share"] < 0.5 for x in w),
          "%s raises the warnings %s: %s" % (name, want, w))
cal = [TRUCE, "calibrate",
       os.path.join(SRC, "scenarios/historical/ardennes-1944.yaml"),
       "--observed",
       os.path.join(SRC, "data/historical/ardennes/ardennes-observed.csv"),
       "--json"]
j = json.loads(subprocess.run(cal, capture_output=True, text=True,
                              check=True).stdout)
check([x["code"] for x in j["warnings"]] == ["unidentified_fit"],
      "the Ardennes' best-by-AIC %s fit is unidentified: %s" %
      (j["law"], j["warnings"]))
j = json.loads(subprocess.run(cal + ["--law", "square"], capture_output=True,
                              text=True, check=True).stdout)
check(j["warnings"] == [], "the square fit is identified: %s" % j["warnings"])

subprocess.run(["rm", "-rf", WORK])
print("numbers: %d failed" % len(failures))
sys.exit(1 if failures else 0)
