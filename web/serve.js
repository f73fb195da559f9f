// SPDX-License-Identifier: GPL-3.0-or-later
// truce serve's page: sliders for the scenario's levers and uncertain
// numbers (GET api/scenario); each change posts the changed numbers as
// "PATH=VALUE" lines to api/run, first for a quick pass, then for all the
// runs, and redraws the report's summary and charts with web/report.js's
// builders (window.truceReport.model and .render; the page says
// data-page="serve", so report.js does not draw itself). A
// newer change aborts the older request (and the server cancels its
// ensemble). The URL's query holds the settings (a permalink); "save as
// scenario" downloads the YAML the server splices (api/save). Text from
// the scenario reaches the page only through textContent.
// window.__serve = {redraws, last: {runs, ms, compute_ms, at}, log: [every
// redraw]} is for the browser test and the benchmark (bench/serve).
(function () {
  'use strict';
  const $ = (id) => document.getElementById(id);
  const fmt = (v) => (Math.abs(v) >= 1e4 || Number.isInteger(v))
    ? Number(v).toLocaleString('en-GB', { maximumFractionDigits: 0 })
    : Number(v).toLocaleString('en-GB', { maximumSignificantDigits: 4 });
  const sliders = new Map(); // path -> {def, input, box, val, moved}
  let S = null, seq = 0, ctrl = null, timer = null;
  window.__serve = { redraws: 0, last: null, errors: 0, log: [] };

  const status = (text, cls) => { const e = $('status'); e.textContent = text; e.className = cls || ''; };

  function addSlider(def, fromUrl) {
    if (!def || sliders.has(def.path)) return;
    const box = document.createElement('div');
    box.className = 'slider';
    const label = document.createElement('label');
    const name = document.createElement('span');
    name.textContent = def.path + (def.unit ? ` (${def.unit})` : '') + ': ';
    const val = document.createElement('span');
    val.className = 'val';
    label.append(name, val);
    const input = document.createElement('input');
    input.type = 'range';
    input.min = def.lo;
    input.max = def.hi;
    input.step = def.integer ? Math.max(1, Math.round((def.hi - def.lo) / 200)) : (def.hi - def.lo) / 200 || 'any';
    input.value = def.value;
    input.setAttribute('aria-label', def.path);
    input.dataset.path = def.path;
    const base = document.createElement('div');
    base.className = 'base';
    base.textContent = `scenario: ${fmt(def.value)}` + (def.distribution ? `, ${def.distribution}` : '') +
      (def.claimant ? `; ${def.claimant}` : '') + (def.date ? `, ${def.date}` : '');
    if (def.source) base.title = def.source;
    const reset = document.createElement('button');
    reset.type = 'button';
    reset.textContent = 'reset';
    base.appendChild(reset);
    box.append(label, input, base);
    $('sliders').appendChild(box);
    const s = { def, input, box, val, moved: false };
    sliders.set(def.path, s);
    const show = () => { val.textContent = fmt(Number(input.value)); box.classList.toggle('moved', s.moved); };
    s.show = show;
    input.addEventListener('input', () => { s.moved = true; show(); schedule(); });
    reset.addEventListener('click', () => { input.value = def.value; s.moved = false; show(); schedule(); });
    if (fromUrl !== undefined && fromUrl !== null && fromUrl !== '' && Number.isFinite(Number(fromUrl))) {
      input.value = fromUrl;
      s.moved = true;
    }
    show();
    const opt = [...$('add').options].find((o) => o.value === def.path);
    if (opt) opt.remove();
  }

  // The changed numbers, one "PATH=VALUE" a line (what api/run reads).
  const overrides = () => [...sliders.values()].filter((s) => s.moved)
    .map((s) => `${s.def.path}=${s.input.value}`);

  function permalink() {
    const q = new URLSearchParams();
    for (const s of sliders.values()) if (s.moved) q.set(s.def.path, s.input.value);
    const url = location.pathname + (q.toString() ? '?' + q.toString() : '');
    $('permalink').href = url;
    history.replaceState(null, '', url);
  }

  function schedule() { clearTimeout(timer); timer = setTimeout(recompute, 120); }

  async function post(runs, body, signal) {
    const r = await fetch(`api/run?runs=${runs}`, { method: 'POST', body, signal, headers: { 'Content-Type': 'text/plain' } });
    if (r.status === 409) return null; // superseded by a newer change
    const j = await r.json();
    if (!r.ok) throw new Error(j.error || `HTTP ${r.status}`);
    return j;
  }

  // The report's model of the response, rendered into this page's report
  // elements; resolves when every chart has rendered.
  function draw(res) {
    for (const id of ['charts', 'talks', 'exploration', 'warnings']) $(id).textContent = '';
    const R = window.truceReport;
    const D = R.model({ summary: res.summary, daily: res.daily, hist: null, units: null,
      hindcast: null, explore: null });
    return R.render(D, document);
  }

  async function recompute() {
    const my = ++seq;
    if (ctrl) ctrl.abort();
    ctrl = new AbortController();
    permalink();
    const body = overrides().join('\n') + '\n';
    const t0 = performance.now();
    const passes = S.first_runs < S.runs ? [S.first_runs, S.runs] : [S.runs];
    for (const n of passes) {
      status(`computing ${fmt(n)} runs ...`, 'busy');
      let res;
      try {
        res = await post(n, body, ctrl.signal);
      } catch (e) {
        if (e.name === 'AbortError') return;
        if (my === seq) { window.__serve.errors++; status(e.message, 'error'); }
        return;
      }
      if (!res || my !== seq) return;
      await draw(res);
      if (my !== seq) return;
      const ms = performance.now() - t0;
      window.__serve.redraws++;
      window.__serve.last = { runs: n, ms, compute_ms: res.compute_ms, seq: my, at: performance.now() };
      window.__serve.log.push(window.__serve.last);
      status(`${fmt(n)} of ${fmt(S.runs)} runs` + (n < S.runs ? ' (first pass; refining)' : '') +
        `: computed in ${fmt(res.compute_ms / 1000)} s, drawn ${fmt(ms / 1000)} s after the change`,
        n < S.runs ? 'busy' : '');
    }
  }

  async function save() {
    const who = $('claimant').value.trim() || 'truce serve user';
    const r = await fetch(`api/save?claimant=${encodeURIComponent(who)}`,
      { method: 'POST', body: overrides().join('\n') + '\n', headers: { 'Content-Type': 'text/plain' } });
    if (!r.ok) { status((await r.json()).error, 'error'); return; }
    const cd = r.headers.get('Content-Disposition') || '';
    const m = /filename="([^"]+)"/.exec(cd);
    const a = document.createElement('a');
    a.href = URL.createObjectURL(await r.blob());
    a.download = m ? m[1] : 'what-if.yaml';
    document.body.appendChild(a);
    a.click();
    a.remove();
  }

  async function init() {
    const [sc, src] = await Promise.all([fetch('api/scenario').then((r) => r.json()),
      fetch('report.js').then((r) => r.text())]);
    S = sc;
    new Function(src)(); // eslint-disable-line no-new-func -- defines window.truceReport
    const byPath = new Map(S.sliders.map((s) => [s.path, s]));
    const add = $('add');
    for (const s of [...S.sliders].sort((a, b) => (a.kind === b.kind ? b.width - a.width : a.kind === 'lever' ? -1 : 1))) {
      const o = document.createElement('option');
      o.value = s.path;
      o.textContent = s.path + (s.distribution ? ` ~ ${s.distribution}` : '');
      add.appendChild(o);
    }
    add.addEventListener('change', () => { addSlider(byPath.get(add.value)); add.value = ''; });
    const q = new URLSearchParams(location.search);
    for (const p of S.default) addSlider(byPath.get(p), q.get(p));
    for (const [k, v] of q) addSlider(byPath.get(k), v);
    $('save').addEventListener('click', save);
    $('reset').addEventListener('click', () => {
      for (const s of sliders.values()) { s.input.value = s.def.value; s.moved = false; s.show(); }
      schedule();
    });
    recompute();
  }
  init().catch((e) => { window.__serve.errors++; status(String(e), 'error'); });
})();
