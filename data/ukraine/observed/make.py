#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Derive the monthly observed series for `truce hindcast` from the raw
files in data/ukraine/ (data/SOURCES.md gives their origin and licence).

  python3 data/ukraine/observed/make.py      (rewrites data/ukraine/observed/*.csv)

Every output is in the hindcast's observed format (docs/validation.md s5):
comment lines starting with '#', then the header
  date,series,id,value,low,high,unit,source,claimant
one row per month end: the cumulative level at the end of that date
(low/high: the source's range, empty when it gives none).
"""
import csv
import datetime as dt
import os

D = dt.date
HERE = os.path.dirname(os.path.abspath(__file__))
RAW = os.path.dirname(HERE)
HEADER = "date,series,id,value,low,high,unit,source,claimant"
MONTHS = ["january", "february", "march", "april", "may", "june", "july",
          "august", "september", "october", "november", "december"]


def month_end(y, m):
    return D(y + (m == 12), m % 12 + 1, 1) - dt.timedelta(days=1)


def q(s):
    return '"' + s.replace('"', "'") + '"' if ("," in s or '"' in s) else s


def write(name, comments, rows):
    with open(os.path.join(HERE, name), "w") as f:
        for c in comments:
            f.write(f"# {c}\n")
        f.write(HEADER + "\n")
        for r in rows:
            f.write(",".join(q(str(x)) for x in r) + "\n")


def fmt(v):
    return "" if v is None else f"{v:.0f}"


def uk_mod():
    rows = []
    with open(os.path.join(RAW, "uk_mod_russia_monthly.csv")) as f:
        for r in csv.DictReader(f):
            y, m = int(r["year"]), MONTHS.index(r["month"]) + 1
            rows.append((month_end(y, m).isoformat(), "casualties", "ru",
                         r["cumulative casualties"], "", "", "persons",
                         "UK MoD month-by-month estimates", "UK MoD"))
    write("ru_casualties_uk_mod.csv", [
        "Russian casualties (killed, wounded, missing), cumulative from 2022-03-01:",
        "the UK Ministry of Defence's month-by-month estimates of average daily",
        "losses times the days of each month, as compiled by The Economist",
        "(data/ukraine/uk_mod_russia_monthly.csv; TheEconomist/the-economist-",
        "ukraine-war-dead-and-wounded-estimates @ 978a24b4). Licence: MIT",
        "(repository); UK MoD figures as published on x.com/DefenceHQ."], rows)


def economist():
    by = {}
    with open(os.path.join(RAW, "economist_meta_estimate_casualties.csv")) as f:
        for r in csv.DictReader(f):
            if r["country"] != "russia" or r["estimate"] == "NA":
                continue
            d = D.fromisoformat(r["date"])
            by[d] = r
    rows = []
    for d in sorted(by):
        if d == month_end(d.year, d.month):
            r = by[d]
            rows.append((d.isoformat(), "casualties", "ru",
                         fmt(float(r["estimate"])), fmt(float(r["ci_lower"])),
                         fmt(float(r["ci_upper"])), "persons",
                         "The Economist meta-estimate", "The Economist"))
    write("ru_casualties_economist.csv", [
        "Russian casualties (killed and wounded), cumulative from 2022-02-24: The",
        "Economist's meta-estimate (a GAM over published and leaked estimates,",
        "war fires and area changes); low/high its 95% confidence interval.",
        "Month ends of data/ukraine/economist_meta_estimate_casualties.csv",
        "(TheEconomist/the-economist-ukraine-war-dead-and-wounded-estimates @",
        "978a24b4, output-data/tracker/meta-estimate-casualties.csv). Licence:",
        "data CC-BY-4.0, code MIT. A retrospective estimate: it is fitted to",
        "sources published after each month it covers."], rows)


def area(path, col, scale, name, source, claimant, comments, first=None):
    by = {}
    with open(os.path.join(RAW, path)) as f:
        for r in csv.DictReader(f):
            by[D.fromisoformat(r["date"][:10])] = float(r[col]) * scale
    rows = []
    for d in sorted(by):
        if d == month_end(d.year, d.month) and (first is None or d >= first):
            rows.append((d.isoformat(), "area_km2", "ru", f"{by[d]:.1f}", "", "",
                         "km2", source, claimant))
    write(name, comments, rows)


def kiel():
    europe = {
        "Austria", "Belgium", "Bulgaria", "Croatia", "Cyprus", "Czechia",
        "Denmark", "Estonia", "Finland", "France", "Germany", "Greece",
        "Hungary", "Iceland", "Ireland", "Italy", "Latvia", "Lithuania",
        "Luxembourg", "Malta", "Netherlands", "Norway", "Poland", "Portugal",
        "Romania", "Slovakia", "Slovenia", "Spain", "Sweden", "Switzerland",
        "United Kingdom"}
    month = {}
    with open(os.path.join(RAW, "kiel_panel_clean.csv")) as f:
        for r in csv.DictReader(f):
            if r["aid_type_general"] != "Military":
                continue
            g = ("us" if r["donor"] == "United States"
                 else "europe" if r["donor"] in europe else None)
            if g:
                k = (g, r["year_month"])
                month[k] = month.get(k, 0.0) + float(r["aid_eur_m"])
    rows = []
    for g in ("us", "europe"):
        cum = 0.0
        for (gg, ym) in sorted(k for k in month if k[0] == g):
            cum += month[(gg, ym)]
            y, m = int(ym[:4]), int(ym[5:])
            rows.append((month_end(y, m).isoformat(), "aid_committed", g,
                         f"{cum * 1e6:.0f}", "", "", "EUR",
                         "Kiel Ukraine Support Tracker r27 (military allocations)",
                         "Kiel Institute"))
    write("aid_kiel.csv", [
        "Military aid allocated to Ukraine, cumulative from 2022-02-01, EUR: the",
        "Kiel Institute's Ukraine Support Tracker (release 27) as the donor x",
        "month panel data/ukraine/kiel_panel_clean.csv (benita1024/Conflict-",
        "Escalation-and-Donor-Response-in-Ukraine @ 922e0364; MIT, cite the",
        "Kiel Institute). us: the United States; europe: the 31 European",
        "countries of bench/validate_aid.c (EU institutions are not in the",
        "panel). The panel ends in January 2025."], rows)


def ukraine_anchors():
    """Published estimates of Ukrainian casualties (killed and wounded) by
    parties other than the belligerents, from The Economist's compilation."""
    keep = {"Pentagon leak", "US officials (via NYT)", "CSIS",
            "Dutch Military Intelligence and Security Service (MIVD)"}
    rows = []
    with open(os.path.join(RAW, "economist_published_estimates.csv")) as f:
        for r in csv.DictReader(f):
            if r["country"] != "ukraine" or r["type"] != "casualties":
                continue
            if r["source"] not in keep:
                continue
            d, m, y = (int(x) for x in r["date"].split("/"))
            lo = float(r["estimate_low"]) if r["estimate_low"] else None
            hi = float(r["estimate_high"]) if r["estimate_high"] else None
            v = (float(r["estimate"]) if r["estimate"]
                 else (lo + hi) / 2 if lo and hi else lo)
            rows.append((D(y, m, d).isoformat(), "casualties", "ua", fmt(v),
                         fmt(lo), fmt(hi), "persons",
                         "published estimates (The Economist's compilation): "
                         + r["source_url"].split(" ")[0], r["source"]))
    rows.sort()
    for i, r in enumerate(rows):  # one group: the source is the compilation
        rows[i] = r[:7] + ("published estimates compiled by The Economist",
                           r[8])
    write("ua_casualties_anchors.csv", [
        "Ukrainian casualties (killed and wounded), cumulative from 2022-02-24:",
        "published estimates by parties other than the belligerents, with their",
        "claimants, from data/ukraine/economist_published_estimates.csv",
        "(TheEconomist/the-economist-ukraine-war-dead-and-wounded-estimates @",
        "978a24b4, source-data/deaths-and-casualties-data/Soldier deaths_",
        "casualties in Ukraine - estimates.csv; data CC-BY-4.0). value: the",
        "estimate, or the midpoint of its range. Left out: the Russian MoD's",
        "383,000 (2023-12-19; a belligerent's claim) and the Ukrainian estimate",
        "leaked to the WSJ (480,000 on 2024-09-17; 56% above US officials' figure",
        "three weeks later). Sources per row: Pentagon leak (NYT 2023-04-08);",
        "US officials (NYT 2023-08-18, 2024-10-10); CSIS (Russia's grinding war",
        "in Ukraine; Russian blood and treasure); MIVD annual report 2025."],
        rows)


if __name__ == "__main__":
    uk_mod()
    economist()
    area("area_controlled_by_russia.csv", "area_assessed_as_russia_controlled",
         1e-6, "ru_area_isw.csv", "ISW assessments (The Economist's series)",
         "ISW", [
             "Area of Ukraine assessed as controlled by Russia, km2, at month",
             "ends: data/ukraine/area_controlled_by_russia.csv (ISW assessments as",
             "compiled by TheEconomist/the-economist-ukraine-war-dead-and-",
             "wounded-estimates @ 978a24b4; MIT (repository); ISW assessments)."])
    area("deepstate_occupied_area_km2.csv", "occupied_area_km2", 1.0,
         "ru_area_deepstate.csv", "DeepState map (geodesic area)", "DeepState",
         [
             "Area of Ukraine occupied by Russia, km2, at month ends, from",
             "2024-07: the geodesic area of DeepState's daily polygons",
             "(data/ukraine/deepstate_occupied_area_km2.csv, derived from",
             "cyterat/deepstate-map-data @ e904719a; GPL-3.0 (repository licence))."])
    kiel()
    ukraine_anchors()
