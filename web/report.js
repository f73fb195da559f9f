// SPDX-License-Identifier: GPL-3.0-or-later
// truce report: builds the charts of a self-contained report from the
// run's own files, inlined by `truce report` into <script> elements:
// #truce-summary (summary.json), #truce-daily (daily.csv), #truce-runs
// (runs.csv), the CSVs as JSON strings. Sets window.__truceReady = true
// when every chart has rendered (the browser test waits for it). Text from
// the data reaches the page only as text: textContent, or esc() inside
// the tables and cards built as HTML.
(function () {
  'use strict';
  const text = (id) => { const e = document.getElementById(id); return e ? e.textContent : ''; };
  const esc = (s) => (s === null || s === undefined) ? '' : String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '\'': '&#39;' }[c]));
  const S = JSON.parse(text('truce-summary'));
  const daily = vega.read(JSON.parse(text('truce-daily')), { type: 'csv', parse: 'auto' });
  const runsCsv = JSON.parse(text('truce-runs'));
  const runs = runsCsv.trim() ? vega.read(runsCsv, { type: 'csv', parse: 'auto' }) : [];
  const sides = Object.keys(S.sides);
  const backers = S.backers ? Object.keys(S.backers) : [];
  const multi = S.runs > 1;
  const fmt = (v, d = 0) => (v === null || v === undefined || Number.isNaN(v)) ? 'n/a'
    : Number(v).toLocaleString('en-GB', { maximumFractionDigits: d, minimumFractionDigits: d });
  const pct = (v) => (v === null || v === undefined) ? 'n/a' : fmt(100 * v, 0) + '%';
  const q = (o, k) => (o !== null && typeof o === 'object') ? o[k] : o;

  // One run: daily.csv holds states; turn them into degenerate bands.
  let bands = daily;
  if (!multi) {
    bands = [];
    const series = Object.keys(daily[0] || {}).filter((k) => !['run', 'day', 'date', 'side'].includes(k));
    for (const r of daily) for (const s of series)
      bands.push({ day: r.day, date: r.date, side: r.side, series: s, n: 1, mean: r[s],
        p05: r[s], p25: r[s], p50: r[s], p75: r[s], p95: r[s] });
  }
  const hasDate = bands.length && bands[0].date;
  const xField = hasDate ? { field: 'date', type: 'temporal', title: null }
    : { field: 'day', type: 'quantitative', title: 'day' };

  // ---- headline figures (straight from summary.json)
  const head = document.getElementById('headline');
  const card = (k, v, s) => `<div class="card"><div class="k">${esc(k)}</div><div class="v">${esc(v)}</div><div class="s">${esc(s)}</div></div>`;
  let h = '';
  for (const s of sides) {
    const o = S.sides[s];
    h += card(`${s}: front strength at day ${S.days}`, fmt(q(o.front_end, 'p50')),
      multi ? `90% range ${fmt(o.front_end.p05)} - ${fmt(o.front_end.p95)}` : '');
    const ex = o.exhaustion_day;
    h += card(`${s}: exhausted within ${S.days} days`,
      multi ? pct(1 - ex.never_fraction) : (ex === null ? 'no' : `day ${ex}`),
      multi && ex.p50 !== null ? `median day ${fmt(ex.p50)}` : '');
  }
  if (S.bargaining) {
    const m = S.bargaining.p_open_by_month;
    const at = (k) => (m.find((x) => x[0] === k) || [k, null])[1];
    h += card('bargaining range by 3 / 6 / 12 months', `${pct(at(3))} / ${pct(at(6))} / ${pct(at(12))}`,
      `median opening day ${fmt(S.bargaining.window_open_day.p50)}`);
    if (S.bargaining.top_packages.length)
      h += card('most often acceptable to both', S.bargaining.top_packages[0].package,
        `${pct(S.bargaining.top_packages[0].share_acceptable_to_both)} of openings`);
  }
  head.innerHTML = h;

  // ---- charts
  const views = [];
  const embed = (id, spec) => {
    spec.$schema = 'https://vega.github.io/schema/vega-lite/v6.json';
    spec.width = spec.width || 'container';
    views.push(vegaEmbed('#' + id, spec, { renderer: 'svg', actions: { export: true, source: false, compiled: false, editor: false } }));
  };
  const charts = document.getElementById('charts');
  const box = (id, title) => { const d = document.createElement('div'); d.className = 'chart'; d.id = id; d.dataset.title = title; charts.appendChild(d); return id; };
  const titles = { front: 'Front strength (soldiers)', power: 'Capable strength: combat power (effective soldiers)',
    casualties: 'Casualties, cumulative', equipment: 'Heavy equipment in stock (items)',
    ammunition: 'Ammunition in stock (rounds)', territory: 'Share of the contested area held' };
  for (const s of Object.keys(titles)) {
    const values = bands.filter((r) => r.series === s && sides.includes(r.side));
    embed(box('fan-' + s, titles[s]), {
      title: titles[s] + (multi ? ': median, 50% and 90% bands' : ''),
      height: 220, data: { values },
      encoding: { x: xField, color: { field: 'side', type: 'nominal', title: 'side' } },
      layer: [
        { mark: { type: 'area', opacity: 0.18 }, encoding: { y: { field: 'p05', type: 'quantitative', title: null }, y2: { field: 'p95' } } },
        { mark: { type: 'area', opacity: 0.35 }, encoding: { y: { field: 'p25', type: 'quantitative' }, y2: { field: 'p75' } } },
        { mark: { type: 'line', strokeWidth: 2 }, encoding: { y: { field: 'p50', type: 'quantitative' } } },
      ],
    });
  }
  if (runs.length) {
    const ex = [];
    for (const r of runs) for (const s of sides) {
      const d = r[s + '.exhaustion_day'];
      ex.push({ side: s, day: (d === null || d === '' || d === undefined) ? null : d });
    }
    const hit = ex.filter((e) => e.day !== null);
    embed(box('exhaustion', 'Exhaustion day'), {
      title: { text: 'Exhaustion day: front or capable strength too low to hold',
        subtitle: `runs that reach it: ${fmt(hit.length)} of ${fmt(ex.length)} side-runs` },
      height: 200, data: { values: hit.length ? hit : [{ side: sides[0], day: 0, none: true }] },
      mark: hit.length ? 'bar' : { type: 'text', text: 'no run reached exhaustion' },
      encoding: hit.length ? { x: { field: 'day', bin: { maxbins: 40 }, type: 'quantitative', title: 'day' },
        y: { aggregate: 'count', type: 'quantitative', title: 'runs' }, color: { field: 'side', type: 'nominal' } } : {},
    });
  }
  if (backers.length) {
    const values = bands.filter((r) => backers.includes(r.side) && (r.series === 'committed' || r.series === 'delivered'))
      .map((r) => Object.assign({}, r, { p05: r.p05 / 1e9, p50: r.p50 / 1e9, p95: r.p95 / 1e9 }));
    embed(box('aid', 'Aid committed and delivered'), {
      title: 'Aid committed and delivered, cumulative (billions; median and 90% band)',
      height: 220, data: { values },
      encoding: { x: xField, color: { field: 'side', type: 'nominal', title: 'backer' } },
      layer: [
        { mark: { type: 'area', opacity: 0.12 }, encoding: { y: { field: 'p05', type: 'quantitative', title: null }, y2: { field: 'p95' }, detail: { field: 'series' } } },
        { mark: { type: 'line' }, encoding: { y: { field: 'p50', type: 'quantitative' }, strokeDash: { field: 'series', type: 'nominal', title: null } } },
      ],
    });
  }
  if (S.bargaining) {
    const values = [];
    for (const [m, p] of S.bargaining.p_open_by_month) values.push({ month: m, probability: p, what: 'a bargaining range has opened' });
    for (const [m, p] of S.bargaining.p_ripe_by_month) values.push({ month: m, probability: p, what: 'ripe (mutually hurting stalemate)' });
    for (const [m, p] of S.bargaining.p_open_at_month || []) if (p !== null) values.push({ month: m, probability: p, what: 'a range is open at the month\'s end (now)' });
    embed(box('window', 'Bargaining window'), {
      title: 'Probability, by the end of each month, that ...', height: 220, data: { values },
      mark: { type: 'line', point: true },
      encoding: { x: { field: 'month', type: 'quantitative', title: 'month' },
        y: { field: 'probability', type: 'quantitative', scale: { domain: [0, 1] }, title: null },
        color: { field: 'what', type: 'nominal', title: null, legend: { orient: 'bottom' } } },
    });
    if (S.bargaining.top_packages.length)
      embed(box('packages', 'Acceptable packages'), {
        title: 'Packages most often acceptable to both at opening', height: 160,
        data: { values: S.bargaining.top_packages },
        mark: 'bar',
        encoding: { y: { field: 'package', type: 'nominal', sort: '-x', title: null },
          x: { field: 'share_acceptable_to_both', type: 'quantitative', axis: { format: '%' }, title: 'share of openings' } },
      });
  }

  // ---- assumptions register and metadata
  let t = '<table><tr><th>number</th><th>value</th><th>range / distribution</th><th>unit</th><th>source</th><th>claimant</th><th>date</th></tr>';
  for (const a of S.assumptions)
    t += `<tr><td>${esc(a.path)}</td><td>${esc(a.label ?? a.value)}</td><td>${esc(a.distribution)}</td><td>${esc(a.unit)}</td><td>${esc(a.source)}</td><td>${esc(a.claimant)}</td><td>${esc(a.date)}</td></tr>`;
  document.getElementById('assumptions').innerHTML = t + '</table>';
  const meta = [['scenario', S.scenario], ['file', S.scenario_file], ['scenario SHA-256', S.scenario_sha256],
    ['seed', S.seed], ['runs', S.runs], ['days', S.days], ['mode', S.mode], ['start', S.start],
    ['truce version', S.truce_version], ['command line', S.command_line], ['overrides', (S.overrides || []).join('; ')],
    ['threads / MPI ranks', S.execution ? `${S.execution.threads} / ${S.execution.ranks}` : '']];
  document.getElementById('meta').innerHTML = '<table>' + meta.map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(v)}</td></tr>`).join('') + '</table>';
  document.getElementById('title').textContent = S.scenario;
  document.getElementById('subtitle').textContent =
    `${S.runs} ${S.mode} run${S.runs === 1 ? '' : 's'} of ${S.days} days from ${S.start || 'day 0'}; seed ${S.seed}; truce ${S.truce_version}`;
  // an exploration written into the same directory (truce explore)
  const xe = document.getElementById('truce-explore');
  if (xe && window.truceExplore)
    views.push(...window.truceExplore(JSON.parse(xe.textContent), document.getElementById('exploration')));
  Promise.all(views).then(() => { window.__truceReady = true; })
    .catch((e) => { window.__truceError = String(e); window.__truceReady = true; console.error(e); });
})();
