#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""NumPy reference of truce's daily model (docs/model.md), vectorised
across runs: every state variable is an array over runs and each day is a
handful of array operations, with no Python loop over runs.

It reads a scenario YAML (point values; the benchmark uses `ranges: fixed`)
and simulates R stochastic runs with time_step 1 and the square,
linear, logarithmic or power law. Supported: personnel flows, equipment,
ammunition, CES combat power, posture and defender advantage, the front,
and set / offensive / mobilisation events. Not supported (not needed by the
benchmark scenario): sub-daily steps, scheduled arrivals, distributions.

usage: model.py SCENARIO RUNS [SEED]  -> JSON with timings and outcomes
"""
import datetime
import json
import sys
import time

import numpy as np
import yaml

DPM = 30.436875  # days per month


def val(x):
    return x["value"] if isinstance(x, dict) else x


def side_params(s, coeff, terr):
    p = s.get("personnel", {})
    a = s.get("ammunition", {})
    eq = s.get("equipment", {})
    return {
        "front": val(p["front"]), "pool": val(p.get("pool", 0)),
        "rec": val(p.get("recruits_per_month", 0)),
        "train": int(val(p.get("training_days", 0))),
        "ks": val(p.get("killed_share", 1)), "ws": val(p.get("wounded_share", 0)),
        "ms": val(p.get("missing_share", 0)),
        "ret": val(p.get("wounded_return_share", 0)),
        "retd": int(val(p.get("wounded_return_days", 60))),
        "nc": val(p.get("noncombat_loss_per_month", 0)),
        "q": val(s.get("quality", 1)),
        "thr": val(s.get("exhaustion_threshold", 0)),
        "cthr": val(s.get("capable_threshold", 0)),
        "attack": s.get("posture", "defend") == "attack",
        "k": coeff, "terr": terr,
        "ammo": val(a.get("stock", 0)), "aprod": val(a.get("production_per_month", 0)),
        "dem": val(a.get("demand_per_day", 0)),
        "el": val(a.get("shortfall_elasticity", 1)),
        "eq": [{"stock": val(e["stock"]), "spi": val(e["soldiers_per_item"]),
                "w": val(e.get("weight", 1)),
                "lpc": val(e.get("loss_per_casualty", 0)),
                "lpd": val(e.get("loss_per_day", 0)),
                "prod": val(e.get("production_per_month", 0))}
               for e in eq.values()],
    }


def main():
    sc = yaml.safe_load(open(sys.argv[1]))
    R = int(sys.argv[2])
    seed = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    rng = np.random.default_rng(seed)
    H = int(sc.get("horizon_days", 365))
    comb = sc["combat"]
    law = comb["law"]
    pe, qe = {"square": (1, 0), "linear": (1, 1), "logarithmic": (0, 1),
              "power": (val(comb.get("p", 1)), val(comb.get("q", 0)))}[law]
    adv = val(comb.get("defender_advantage", 1))
    inten0 = val(comb.get("intensity", 1))
    ces = comb.get("ces", {})
    alpha, rho, A = val(ces.get("alpha", 0.5)), val(ces.get("rho", -2)), val(ces.get("scale", 1))
    fr = sc.get("front", {})
    length, area = val(fr.get("length_km", 1000)), val(fr.get("area_km2", 1e5))
    v0, gam = val(fr.get("advance_km_per_day", 0)), val(fr.get("advance_exponent", 1))
    brk = val(fr.get("breakthrough_km_per_day", 0))
    ids = [s["id"] for s in sc["sides"]]
    terr = fr.get("territory", {})
    P = [side_params(s, val(comb["coefficients"][s["id"]]), val(terr.get(s["id"], 0.5)))
         for s in sc["sides"]]
    start = sc.get("start")
    start = datetime.date.fromisoformat(str(start)) if start else None
    events = {}
    for e in sc.get("events", []):
        d = e.get("day")
        if d is None:
            d = (datetime.date.fromisoformat(str(e["date"])) - start).days
        events.setdefault(int(d), []).append(e)

    def power(p, s, F):
        """Combat power (docs/model.md s4) with the last ammunition factor."""
        qf = p["q"] * F
        if p["eq"]:
            E = sum(e["w"] * st * e["spi"] for e, st in zip(p["eq"], s["eq"])) / sum(e["w"] for e in p["eq"])
            with np.errstate(divide="ignore", invalid="ignore"):
                c = A * qf * (alpha + (1 - alpha) * (E / qf) ** rho) ** (1 / rho)
            c = np.where((E > 0) & (qf > 0), c, 0.0)
        else:
            c = qf
        return c * s["m"]

    def exhausted(p, s):
        """Front below its threshold or capable strength below its own."""
        out = s["front"] < p["thr"]
        if p["cthr"] > 0:
            out |= power(p, s, s["front"]) < p["cthr"]
        return out

    t0 = time.perf_counter()
    ring = 3651
    S = []
    for p in P:
        S.append({
            "front": np.full(R, float(round(p["front"]))),
            "pool": np.full(R, float(round(p["pool"]))),
            "trq": np.zeros((ring, R)), "retq": np.zeros((ring, R)),
            "disq": np.zeros((ring, R)),
            "cas": np.zeros(R), "eq": [np.full(R, float(e["stock"])) for e in p["eq"]],
            "ammo": np.full(R, float(p["ammo"])), "terr": np.full(R, p["terr"]),
            "mult": 1.0, "until": -1, "before": p["attack"], "m": np.ones(R),
            "exh": np.full(R, -1),
        })
    for day in range(H):
        slot = day % ring
        for i, s in enumerate(S):
            s["front"] += s["trq"][slot] + s["retq"][slot]
            s["trq"][slot] = 0
            s["retq"][slot] = 0
            s["disq"][slot] = 0
            if s["until"] >= 0 and day >= s["until"]:
                P[i]["attack"] = s["before"]
                s["mult"], s["until"] = 1.0, -1
        for e in events.get(day, []):
            if "set" in e:
                for path, v in e["set"].items():
                    parts = path.split(".")
                    i = ids.index(parts[1])
                    key = {"personnel.recruits_per_month": "rec",
                           "ammunition.production_per_month": "aprod"}[".".join(parts[2:])]
                    P[i][key] = val(v)
            if "offensive" in e:
                o = e["offensive"]
                i = ids.index(o["side"])
                if S[i]["until"] < 0:
                    S[i]["before"] = P[i]["attack"]
                P[i]["attack"] = True
                S[i]["mult"] = val(o.get("intensity", 1))
                S[i]["until"] = day + int(val(o["duration_days"]))
            if "mobilisation" in e:
                m = e["mobilisation"]
                i = ids.index(m["side"])
                S[i]["pool"] += round(val(m.get("pool", 0)))
                if "recruits_per_month" in m:
                    P[i]["rec"] = val(m["recruits_per_month"])
        # recruitment
        for p, s in zip(P, S):
            r = np.minimum(rng.poisson(p["rec"] / DPM, R).astype(float), s["pool"])
            s["pool"] -= r
            if p["train"] > 0:
                s["trq"][(day + p["train"]) % ring] += r
            else:
                s["front"] += r
        # ammunition factor and power per soldier
        phi, need = [], []
        for p, s in zip(P, S):
            nd = p["dem"] * s["mult"]
            need.append(nd)
            if nd > 0:
                s["m"] = np.minimum(1.0, s["ammo"] / nd) ** p["el"]
            else:
                s["m"] = np.ones(R)
            F = np.where(s["front"] > 0, s["front"], 1.0)
            phi.append(power(p, s, F) / F)
        P0 = [phi[i] * S[i]["front"] for i in range(2)]
        inten = inten0 * S[0]["mult"] * S[1]["mult"]
        k = []
        for y in range(2):
            x = 1 - y
            a = adv if (not P[y]["attack"] and P[x]["attack"]) else 1.0
            k.append(P[y]["k"] * inten * a)

        def deriv(F):
            Pw = [phi[i] * np.maximum(F[i], 0) for i in range(2)]
            return [-(k[1 - x] * Pw[1 - x] ** pe * np.maximum(F[x], 0) ** qe) for x in range(2)]

        F0 = [S[0]["front"], S[1]["front"]]
        k1 = deriv(F0)
        k2 = deriv([F0[i] + 0.5 * k1[i] for i in range(2)])
        k3 = deriv([F0[i] + 0.5 * k2[i] for i in range(2)])
        k4 = deriv([F0[i] + k3[i] for i in range(2)])
        for i, (p, s) in enumerate(zip(P, S)):
            F1 = F0[i] + (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]) / 6
            lam = np.clip(F0[i] - F1, 0, F0[i])
            c = np.minimum(rng.poisson(lam).astype(float), F0[i])
            s["front"] = F0[i] - c
            kk = rng.binomial(c.astype(np.int64), p["ks"] / (p["ks"] + p["ws"] + p["ms"]))
            rest = 1 - p["ks"] / (p["ks"] + p["ws"] + p["ms"])
            w = rng.binomial((c - kk).astype(np.int64),
                             min(1.0, p["ws"] / (p["ks"] + p["ws"] + p["ms"]) / rest)) if rest > 0 else 0 * c
            s["cas"] += c
            back = rng.binomial(w.astype(np.int64), p["ret"]).astype(float)
            if p["retd"] > 0:
                s["retq"][(day + p["retd"]) % ring] += back
            else:
                s["front"] += back
            h = 1 - np.exp(-p["nc"] / DPM)
            s["front"] -= rng.binomial(s["front"].astype(np.int64), h)
            for e, st in zip(p["eq"], s["eq"]):
                loss = rng.poisson(e["lpc"] * c + e["lpd"] * inten)
                st[:] = np.maximum(st - loss, 0) + e["prod"] / DPM
            use = np.minimum(need[i], s["ammo"])
            s["ammo"] += p["aprod"] / DPM - use
        moved = []
        for x in range(2):
            y = 1 - x
            if not P[x]["attack"]:
                moved.append(np.zeros(R))
                continue
            ratio = np.where(P0[y] > 0, P0[x] / np.where(P0[y] > 0, P0[y], 1), np.inf)
            v = v0 * np.maximum(ratio ** gam - 1, 0)
            if brk > 0:
                v = np.minimum(v, brk)
                v = np.where(exhausted(P[y], S[y]), brk, v)
            moved.append(v * length / area)
        for x in range(2):
            y = 1 - x
            gain = np.minimum(np.maximum(moved[x] - moved[y], 0), S[y]["terr"])
            S[x]["terr"] += gain
            S[y]["terr"] -= gain
        for i, (p, s) in enumerate(zip(P, S)):
            newly = (s["exh"] < 0) & exhausted(p, s)
            s["exh"][newly] = day + 1
    secs = time.perf_counter() - t0
    out = {"runs": R, "days": H, "seconds": secs,
           "ns_per_run_day": secs * 1e9 / (R * H), "sides": {}}
    for i, s in enumerate(S):
        out["sides"][ids[i]] = {
            "front_end_mean": float(s["front"].mean()),
            "front_end_sd": float(s["front"].std(ddof=1)),
            "casualties_mean": float(s["cas"].mean()),
            "casualties_sd": float(s["cas"].std(ddof=1)),
        }
    json.dump(out, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
