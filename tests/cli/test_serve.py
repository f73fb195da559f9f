#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""truce serve over HTTP: only its own pages (404 for any other path), an
oversized body 413, a flood of computations 429 while it keeps serving, a
bad what-if 400, a foreign Host 403, a newer change cancelling the running
one (409), "save as scenario" a valid YAML with the provenance and nothing
written; it reads no file after start (its scenario and web assets are
deleted once it listens); it refuses a non-loopback address without
--allow-remote.
usage: test_serve.py TRUCE_BINARY SOURCE_DIR WEB_DIR"""
import concurrent.futures
import http.client
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

TRUCE, SRC, WEB = (os.path.abspath(a) for a in sys.argv[1:4])
passed = failed = 0


def check(ok, what):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print("FAIL: " + what)


def start(tmp, scenario, *args, env=None):
    out = open(os.path.join(tmp, "out-%d" % len(os.listdir(tmp))), "w+")
    p = subprocess.Popen([TRUCE, "serve", scenario, "--port", "0", *args],
                         stdout=out, stderr=subprocess.STDOUT, cwd=tmp, env=env)
    for _ in range(600):
        out.seek(0)
        text = out.read()
        if "http://" in text:
            port = int(text.split("http://127.0.0.1:")[1].split("/")[0])
            return p, port, text
        if p.poll() is not None:
            break
        time.sleep(0.1)
    p.kill()
    out.seek(0)
    raise SystemExit("truce serve did not start: " + out.read())


def request(port, method, path, body=None, headers=None, timeout=120):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    c.request(method, path, body=body, headers=headers or {})
    r = c.getresponse()
    data = r.read()
    c.close()
    return r.status, dict(r.getheaders()), data


tmp = tempfile.mkdtemp()
procs = []
try:
    # a private copy of the scenario (and the stakeholder file it links)
    # and of the web assets, both deleted once the server listens
    sc_dir = os.path.join(tmp, "sc")
    os.makedirs(os.path.join(sc_dir, "stakeholders"))
    shutil.copy(os.path.join(SRC, "scenarios/ukraine-2023-11.yaml"), sc_dir)
    shutil.copy(os.path.join(SRC, "scenarios/stakeholders/contact-group.yaml"),
                os.path.join(sc_dir, "stakeholders"))
    web = os.path.join(tmp, "web")
    for rel in ["serve.html", "serve.js", "report.js", "report.css",
                "node_modules/vega/build/vega.min.js",
                "node_modules/vega-lite/build/vega-lite.min.js",
                "node_modules/vega-embed/build/vega-embed.min.js"]:
        os.makedirs(os.path.dirname(os.path.join(web, rel)), exist_ok=True)
        shutil.copy(os.path.join(WEB, rel), os.path.join(web, rel))
    work = os.path.join(tmp, "cwd")
    os.makedirs(work)
    env = dict(os.environ, TRUCE_WEB_DIR=web)
    p, port, banner = start(work, os.path.join(sc_dir, "ukraine-2023-11.yaml"),
                            "--runs", "20", "--first-runs", "5", "--rate", "2",
                            env=env)
    procs.append(p)
    check("127.0.0.1 only" in banner, "the banner says it listens on loopback: " + banner)
    shutil.rmtree(sc_dir)
    shutil.rmtree(web)

    st, h, body = request(port, "GET", "/")
    check(st == 200 and b"serve.js" in body and
          "default-src 'self'" in h.get("Content-Security-Policy", ""),
          "GET / serves the page with a CSP: %d" % st)
    st, _, body = request(port, "GET", "/api/scenario")
    sc = json.loads(body)
    check(st == 200 and "backers.us.budget_scale" in sc["default"] and
          any(s["kind"] == "uncertain" for s in sc["sliders"]),
          "api/scenario lists levers and uncertain numbers")
    for path in ["/etc/passwd", "/../scenarios/ukraine-2023-11.yaml",
                 "/ukraine-2023-11.yaml", "/serve.js/..", "/api/nothing",
                 "/node_modules/vega/build/vega.min.js", "/report.html",
                 "/%2e%2e/%2e%2e/etc/passwd", "/index.html"]:
        st, _, _ = request(port, "GET", path)
        check(st == 404, "GET %s: %d, expected 404" % (path, st))
    st, _, _ = request(port, "GET", "/api/run")
    check(st == 405, "GET /api/run: %d, expected 405" % st)
    st, _, _ = request(port, "DELETE", "/")
    check(st == 405, "DELETE /: %d, expected 405" % st)
    st, _, _ = request(port, "GET", "/", headers={"Host": "evil.example:80"})
    check(st == 403, "a foreign Host: %d, expected 403" % st)

    big = b"sides.ru.quality=0.9\n" * 2000  # 42 kB
    st, _, _ = request(port, "POST", "/api/run", body=big)
    check(st == 413, "an oversized body: %d, expected 413" % st)

    def chunked():
        for _ in range(50):
            yield b"x" * 1000
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    c.request("POST", "/api/run", body=chunked(), encode_chunked=True)
    st = c.getresponse().status
    c.close()
    check(st == 413, "an oversized chunked body: %d, expected 413" % st)

    st, _, body = request(port, "POST", "/api/run",
                          body=b"sides.ru.qualty=0.9\n")
    check(st == 400 and b"sides.ru.quality" in body,
          "a misspelt path: %d %s" % (st, body[:200]))
    st, _, body = request(port, "POST", "/api/run?runs=21", body=b"")
    check(st == 400, "runs above --runs: %d" % st)

    st, _, body = request(port, "POST", "/api/run?runs=20",
                          body=b"backers.us.budget_scale=0\n")
    r = json.loads(body)
    check(st == 200 and r["runs"] == 20 and r["summary"]["runs"] == 20 and
          "backers.us.budget_scale=0" in r["summary"]["overrides"] and
          r["daily"].startswith("day,date,side,series") and
          "runs_csv" not in r,
          "a what-if: %d" % st)

    # a flood: many computations at once get 429 (--rate 2: bursts of 4,
    # so even a slow build floods it), the server keeps serving
    def one(_):
        return request(port, "POST", "/api/run?runs=1", body=b"")[0]
    with concurrent.futures.ThreadPoolExecutor(24) as ex:
        codes = list(ex.map(one, range(120)))
    check(429 in codes, "a flood of 120 computations: no 429 (%s)" % sorted(set(codes)))
    check(set(codes) <= {200, 409, 429, 503},
          "flood statuses: %s" % sorted(set(codes)))
    time.sleep(2.5)
    st, _, _ = request(port, "GET", "/")
    st2, _, _ = request(port, "POST", "/api/run?runs=5", body=b"")
    check(st == 200 and st2 == 200 and p.poll() is None,
          "serving after the flood: %d %d" % (st, st2))

    # save as scenario: the YAML with the what-ifs' provenance
    st, h, body = request(port, "POST", "/api/save?claimant=Jane%20%3Cb%3E",
                          body=b"sides.ru.quality=0.9\nbackers.us.budget_scale=0.5\n")
    saved = os.path.join(tmp, "saved.yaml")
    open(saved, "wb").write(body)
    today = time.strftime("%Y-%m-%d", time.gmtime())
    check(st == 200 and "attachment" in h.get("Content-Disposition", ""),
          "save: %d %s" % (st, body[:200]))
    # it loads where the scenario lives (its stakeholder link is relative)
    shutil.copy(saved, os.path.join(SRC, "scenarios", ".serve-test-%d.yaml" % os.getpid()))
    tmp_sc = os.path.join(SRC, "scenarios", ".serve-test-%d.yaml" % os.getpid())
    try:
        pj = subprocess.run([TRUCE, "paths", tmp_sc, "--json"], capture_output=True)
    finally:
        os.remove(tmp_sc)
    check(pj.returncode == 0, "the saved scenario loads: " + pj.stderr.decode())
    if pj.returncode == 0:
        ps = {x["path"]: x for x in json.loads(pj.stdout)}
        q, b = ps["sides.ru.quality"], ps["backers.us.budget_scale"]
        # dated at the scenario's as_of (no date after it), saved today
        check(q["value"] == 0.9 and q["source"] == "truce serve what-if (saved %s)" % today and
              q["claimant"] == "Jane <b>" and q["date"] == "2023-11-04" and
              q["distribution"] is None and q["unit"] == "relative competence",
              "saved provenance: %s" % q)
        check(b["value"] == 0.5 and b["source"].startswith("truce serve what-if"),
              "saved default-valued lever: %s" % b)
    check(os.listdir(work) == [n for n in os.listdir(work) if n.startswith("out-")],
          "the server wrote into its directory: %s" % os.listdir(work))
    p.terminate()
    p.wait(timeout=30)
    check(p.returncode == 0, "stops cleanly on SIGTERM: %s" % p.returncode)

    # a newer change cancels the running one
    p, port, _ = start(work, os.path.join(SRC, "scenarios/ukraine-2023-11.yaml"),
                       "--runs", "5000", "--first-runs", "5")
    procs.append(p)
    with concurrent.futures.ThreadPoolExecutor(2) as ex:
        slow = ex.submit(request, port, "POST", "/api/run?runs=5000", b"")
        time.sleep(1.0)
        t0 = time.time()
        fast = ex.submit(request, port, "POST", "/api/run?runs=5", b"")
        st_fast = fast.result()[0]
        st_slow = slow.result()[0]
        dt = time.time() - t0
    check(st_slow == 409 and st_fast == 200,
          "a newer change cancels the running one: %d then %d" % (st_slow, st_fast))
    check(dt < 30, "the cancelled ensemble stopped early (%.1f s)" % dt)
    p.terminate()
    p.wait(timeout=30)

    # a non-loopback address needs --allow-remote
    try:
        r = subprocess.run([TRUCE, "serve", os.path.join(SRC, "scenarios/ukraine-2023-11.yaml"),
                            "--bind", "0.0.0.0", "--port", "0"], capture_output=True,
                           timeout=30)
        check(r.returncode == 1 and b"not a loopback address" in r.stderr and
              b"--allow-remote" in r.stderr, "--bind 0.0.0.0 refused: %s" % r.stderr)
    except subprocess.TimeoutExpired:
        check(False, "--bind 0.0.0.0 without --allow-remote: it listened")
    r = subprocess.run([TRUCE, "serve", os.path.join(SRC, "scenarios/ukraine-2023-11.yaml"),
                        "--bind", "192.0.2.1", "--allow-remote", "--port", "0"],
                       capture_output=True, timeout=60)
    check(r.returncode == 1 and b"cannot listen on 192.0.2.1" in r.stderr,
          "--allow-remote lets it try (192.0.2.1 is not ours): %s" % r.stderr)
    r = subprocess.run([TRUCE, "serve", "--help"], capture_output=True)
    check(r.returncode == 0 and r.stdout.startswith(b"usage: truce serve FILE"), "--help")
finally:
    for p in procs:
        if p.poll() is None:
            p.kill()
            p.wait()
    shutil.rmtree(tmp, ignore_errors=True)
print("serve: %d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
