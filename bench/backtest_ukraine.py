#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Back-test on Ukraine (docs/validation.md s4), driven by bench/backtest_ukraine.

  prepare OUT          observed.csv and calib.yaml from data up to 2023-10-31,
                       and posture.yaml: the article scenario in the
                       calibration period's posture
  scenario OUT         the article scenario with the calibrated coefficient
  evaluate OUT         coverage of the forecast bands, Nov 2023 - Oct 2024

Calibration: Russian casualties per day, May-Oct 2023, as monthly means
from two sources: the UK MoD's monthly estimates (taken as the reference,
factor 1) and Ukraine's MoD daily claims (a bias factor with a vague
lognormal prior, median 1, sdlog 1, estimated jointly). The fronts are a
unit driver, so the fitted coefficient is the daily rate itself.

Transfer: the engine's coefficient is scaled so that, in the calibration
period's posture (Ukraine on the offensive, Russia defending: Ukraine's
fire without the defender's advantage), its first 30 days give the fitted
rate; the forecast then runs in the forecast period's own posture (Russia
on the offensive from October 2023).
"""
import csv
import datetime as dt
import json
import re
import sys

D = dt.date
START = D(2023, 11, 4)  # the article scenario's start
CAL = [(2023, m) for m in range(5, 11)]
FC = [(2023, 11), (2023, 12)] + [(2024, m) for m in range(1, 11)]
AREA_KM2 = 603500.0


def iso(s):
    return D.fromisoformat(s[:10])


def month_end(y, m):
    return (D(y + (m == 12), m % 12 + 1, 1) - dt.timedelta(days=1))


def mod_claims():
    """Ukraine MoD cumulative claimed Russian personnel losses by date."""
    with open("data/ukraine/mod_russia_personnel.json") as f:
        return {iso(r["date"]): float(r["personnel"]) for r in json.load(f)}


def uk_mod():
    """UK MoD average daily Russian casualties by (year, month)."""
    names = ["january", "february", "march", "april", "may", "june", "july",
             "august", "september", "october", "november", "december"]
    out = {}
    with open("data/ukraine/uk_mod_russia_monthly.csv") as f:
        for r in csv.DictReader(f):
            out[(int(r["year"]), names.index(r["month"]) + 1)] = float(
                r["casualties (average daily losses)"])
    return out


def area():
    with open("data/ukraine/area_controlled_by_russia.csv") as f:
        return {iso(r["date"]): float(r["area_assessed_as_russia_controlled"]) / 1e6
                for r in csv.DictReader(f)}


def prepare(out):
    claims, uk = mod_claims(), uk_mod()
    t0 = D(2023, 5, 1)
    with open(f"{out}/observed.csv", "w") as f:
        f.write("day,side,variable,value,source\n")
        for y, m in CAL:
            first, last = D(y, m, 1), month_end(y, m)
            day = (D(y, m, 15) - t0).days
            for side in ("ua", "ru"):
                f.write(f"{day},{side},front,1,unit driver\n")
            f.write(f"{day},ru,casualties,{uk[(y, m)]},UK MoD\n")
            before = claims[first - dt.timedelta(days=1)]
            rate = (claims[last] - before) / ((last - first).days + 1)
            f.write(f"{day},ru,casualties,{rate:.2f},Ukraine MoD\n")
    with open(f"{out}/calib.yaml", "w") as f:
        f.write("""# Back-test calibration (bench/backtest_ukraine): fronts are a unit
# driver, so ua's square-law coefficient is Russia's casualty rate per day.
truce: 1
name: Ukraine back-test calibration, May-Oct 2023
horizon_days: 1
sides:
  - {id: ua, personnel: {front: 1}}
  - {id: ru, personnel: {front: 1}}
combat:
  law: square
  coefficients: {ua: 700, ru: 1}
""")


def posture(out):
    """The article scenario with the sides' postures swapped and its
    offensive given to Ukraine: the counteroffensive of June-October 2023."""
    text = open("scenarios/ukraine-2023-11.yaml").read()
    text = text.replace("    posture: defend", "    posture: @ATTACK@", 1)
    text = text.replace("    posture: attack", "    posture: defend", 1)
    text = text.replace("    posture: @ATTACK@", "    posture: attack", 1)
    text, n = re.subn(r"offensive: \{side: ru,", "offensive: {side: ua,", text)
    assert n == 1 and text.count("posture: attack") == 1
    open(f"{out}/posture.yaml", "w").write(text)


def scenario(out):
    cal = json.load(open(f"{out}/calibrate.json"))
    rate = cal["parameters"]["combat.coefficients.ua"]
    det = {}
    with open(f"{out}/det/daily.csv") as f:
        for r in csv.DictReader(f):
            if r["side"] == "ru" and r["day"] == "30":
                det = r
    rate0 = float(det["casualties"]) / 30  # first 30 days, calibration posture
    text = open("scenarios/ukraine-2023-11.yaml").read()
    pat = re.compile(r"^(    ua: )\{value: ([0-9.e-]+), low: ([0-9.e-]+), "
                     r"high: ([0-9.e-]+),[^\n]*$", re.M)
    m = pat.search(text)
    k, lo, hi = (float(m.group(i)) for i in (2, 3, 4))
    s = rate["estimate"] / rate0
    rec = (f"{{value: {k * s:.6g}, low: {lo * s:.6g}, high: {hi * s:.6g}, "
           f"unit: casualties per effective soldier per day, source: \"scaled "
           f"so the engine's first 30 days in the calibration period's posture "
           f"(Ukraine attacking) give {rate['estimate']:.0f} Russian "
           f"casualties/day (90% {rate['low']:.0f}-{rate['high']:.0f}), fitted "
           f"to UK MoD and Ukraine MoD figures May-Oct 2023 "
           f"(bench/backtest_ukraine); range: the scenario's relative spread\", "
           f"claimant: truce calibration, date: 2023-10-31}}")
    text = text[:m.start()] + m.group(1) + rec + text[m.end():]
    open(f"{out}/backtest.yaml", "w").write(text)
    print(f"calibrated Russian casualties/day {rate['estimate']:.0f} "
          f"[{rate['low']:.0f}, {rate['high']:.0f}]; Ukraine MoD factor "
          f"{cal['parameters']['bias.Ukraine MoD.ru']['estimate']:.3f}; engine "
          f"{rate0:.0f}/day in the calibration posture before, coefficient ua {k:.6g} -> {k * s:.6g}")


def evaluate(out):
    claims, uk, ar = mod_claims(), uk_mod(), area()
    cal = json.load(open(f"{out}/calibrate.json"))
    beta = cal["parameters"]["bias.Ukraine MoD.ru"]["estimate"]
    band = {}
    with open(f"{out}/run/daily.csv") as f:
        for r in csv.DictReader(f):
            if r["side"] == "ru" and r["series"] in ("casualties", "territory"):
                band[(int(r["day"]), r["series"])] = [
                    float(r[q]) for q in ("p05", "p25", "p50", "p75", "p95")]
    rows, hits = [], {}
    a0 = ar[START]
    t0 = band[(0, "territory")][2]
    for y, m in FC:
        end = month_end(y, m)
        d = (end - START).days + 1  # state at the start of the next day
        cas = band[(d, "casualties")]
        ter = [(v - t0) * AREA_KM2 for v in band[(d, "territory")]]
        uk_obs = sum(uk[(yy, mm)] * ((month_end(yy, mm) - max(D(yy, mm, 1), START)).days + 1)
                     for yy, mm in FC[:FC.index((y, m)) + 1])
        obs = {
            "Russian casualties, UK MoD": (uk_obs, cas),
            "Russian casualties, Ukraine MoD claims": (
                claims[end] - claims[START - dt.timedelta(days=1)],
                [beta * v for v in cas]),
            "territory gained by Russia (km2, ISW-based)": (ar[end] - a0, ter),
        }
        for name, (o, b) in obs.items():
            in50 = b[1] <= o <= b[3]
            in90 = b[0] <= o <= b[4]
            h = hits.setdefault(name, [0, 0])
            h[0] += in50
            h[1] += in90
            rows.append((f"{y}-{m:02d}", name, o, b, in50, in90))
    print("| month end | series | observed since 2023-11-04 | forecast median "
          "| 50% band | 90% band | in 50% | in 90% |")
    print("|---|---|---|---|---|---|---|---|")
    for mon, name, o, b, i50, i90 in rows:
        print(f"| {mon} | {name} | {o:,.0f} | {b[2]:,.0f} | {b[1]:,.0f} - "
              f"{b[3]:,.0f} | {b[0]:,.0f} - {b[4]:,.0f} | "
              f"{'yes' if i50 else 'no'} | {'yes' if i90 else 'no'} |")
    print()
    print("| series | months in 50% band | months in 90% band |")
    print("|---|---|---|")
    for name, (h50, h90) in hits.items():
        print(f"| {name} | {h50} of {len(FC)} | {h90} of {len(FC)} |")


if __name__ == "__main__":
    {"prepare": prepare, "posture": posture, "scenario": scenario,
     "evaluate": evaluate}[
        sys.argv[1]](sys.argv[2])
