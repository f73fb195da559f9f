#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Reference timing for truce's battle-outcome ABC (src/calib/abc.c).

An independent plain-Python implementation of the algorithm described by
Rubio-Campillo (2016, PLoS ONE 11(1): e0146491) and published with it:
per run, draw a law uniformly, mu ~ U(0, 5), sd ~ U(0, 5) and per battle a
power ratio ~ Gamma(mean mu, sd sd) (NumPy); fight each battle in
whole-soldier steps until a side is down to its historical survivors; the
distance sums |simulated - historical| / historical casualties. Written as
the published code is (a Python loop per step), which is what a user of it
runs. Prints JSON: battle simulations per second on one core and the share
of each law among the best runs.

usage: rubio_abc.py BATTLES.csv RUNS [SEED]
"""
import json
import math
import sys
import time

import numpy as np


def load(path):
    with open(path) as f:
        next(f)
        return [tuple(int(v) for v in ln.strip().split(";"))
                for ln in f if ln.strip()]


def fight(law, ratio, r0, rc, b0, bc):
    r, b = r0, b0
    rrem, brem = r0 - rc, b0 - bc
    kb = 100 / (b0 * r0) if law == 0 else 100 / max(b0, r0)
    kr = kb * ratio
    i = 0
    while r > rrem and b > brem:
        if law == 0:
            r, b = int(r - kb * b * r), int(b - kr * r * b)
        elif law == 1:
            r, b = int(r - kb * b), int(b - kr * r)
        elif law == 2:
            r, b = int(r - kb * r), int(b - kr * b)
        else:
            lg = math.log(math.e + i)
            r, b = int(r - kb * r / lg), int(b - kr * b / lg)
        i += 1
    return r0 - r, b0 - b


def main():
    path, runs = sys.argv[1], int(sys.argv[2])
    rng = np.random.default_rng(int(sys.argv[3]) if len(sys.argv) > 3 else 1)
    battles = load(path)
    out = []
    t0 = time.perf_counter()
    for _ in range(runs):
        law = int(rng.integers(0, 4))
        mu, sd = rng.uniform(0, 5), rng.uniform(0, 5)
        ratios = rng.gamma((mu / sd) ** 2, sd * sd / mu, len(battles))
        d = 0.0
        for (_, r0, rc, b0, bc), q in zip(battles, ratios):
            cr, cb = fight(law, q, r0, rc, b0, bc)
            d += abs(cr - rc) / rc + abs(cb - bc) / bc
        out.append((d, law))
    secs = time.perf_counter() - t0
    out.sort()
    best = out[: max(1, runs // 100)]
    share = [sum(1 for _, l in best if l == k) / len(best) for k in range(4)]
    print(json.dumps({"battles": len(battles), "runs": runs,
                      "seconds": secs,
                      "per_second": runs * len(battles) / secs,
                      "share_best_1pct": share}))


if __name__ == "__main__":
    main()
