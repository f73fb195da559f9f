// SPDX-License-Identifier: GPL-3.0-or-later
// truce report: the page of one run, drawn in the browser from what
// `truce report` inlined into <script type="application/json"> elements:
// #truce-summary (summary.json), #truce-daily (daily.csv thinned to at
// most 150 days, as a JSON string), #truce-hist (runs.csv's day-valued
// outcomes as histograms, computed in C), #truce-units (the daily series'
// units) and, when present, #truce-explore (explore.json) and
// #truce-hindcast (`truce hindcast --json`: observed series). No per-run
// rows reach the page, so its size does not grow with the run count.
//
// The builders are plain functions on window.truceReport (see
// /work/wt/NOTICE.md and docs/outputs.md), reused by `truce serve`:
//   const D = truceReport.model({summary, daily, hist, units, hindcast, explore});
//   truceReport.summaryHtml(D)  -> HTML of the plain-sentence summary
//   truceReport.charts(D)       -> [{id, group, title, subtitle, method, spec}]
//   truceReport.render(D, root) -> Promise (fills the page's elements)
// Sets window.__truceReady = true when every chart has rendered (the
// browser test waits for it). Text from the data reaches the page only as
// text: textContent, Vega's text marks, or esc() inside HTML we build.
(function () {
  'use strict';
  const R = {};
  const esc = R.esc = (s) => (s === null || s === undefined) ? '' : String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '\'': '&#39;' }[c]));
  const isNum = (v) => typeof v === 'number' && Number.isFinite(v);

  // ---- numbers for people: three significant figures, thousands
  // separators, k/m/bn words only in the charts' axes.
  const sig = R.sig = (v, n = 3) => {
    if (!isNum(v)) return 'n/a';
    if (v === 0) return '0';
    const d = Math.max(0, n - 1 - Math.floor(Math.log10(Math.abs(v))));
    const r = Number(v.toPrecision(n));
    return r.toLocaleString('en-GB', { maximumFractionDigits: Math.min(d, 6) });
  };
  // A share as a percentage: one decimal below 10%, whole above; "<0.1%"
  // for a small nonzero share (browser test: tests/browser/report_test.mjs).
  const pct = R.pct = (v) => {
    if (!isNum(v)) return 'n/a';
    const p = 100 * v;
    if (p > 0 && p < 0.05) return '<0.1%';
    if (p < 100 && p > 99.95) return '>99.9%';
    return (p < 10 ? p.toFixed(1).replace(/\.0$/, '') : p.toFixed(0)) + '%';
  };
  const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const addDays = (iso, d) => { const t = new Date(iso + 'T00:00:00Z'); t.setUTCDate(t.getUTCDate() + Math.round(d)); return t; };
  const addMonths = (iso, m) => { const t = new Date(iso + 'T00:00:00Z'); t.setUTCMonth(t.getUTCMonth() + m); return t; };
  const monthYear = (t) => `${MONTHS[t.getUTCMonth()]} ${t.getUTCFullYear()}`;
  const dayMonthYear = (t) => `${t.getUTCDate()} ${monthYear(t)}`;
  const isoDate = (t) => t.toISOString().slice(0, 10);

  // ---- glossary and method notes (linked from the summary and every chart)
  R.glossary = [
    ['front', 'Front strength', 'Soldiers deployed in the combat zone, after losses, training pipelines, recoveries and rotations.'],
    ['capable', 'Capable strength', 'Combat power: the soldiers in the zone weighted by the equipment and ammunition they can use (a CES aggregate, docs/model.md). A side short of guns or shells is less capable than its head count.'],
    ['exhausted', 'Exhausted', 'A side is exhausted on the first day its line breaks: its soldiers per km of front fall below front.breakthrough_density (a grinding front breaks by density), or, in scenarios that set them, its front strength or capable strength falls below sides.ID.exhaustion_threshold or capable_threshold (docs/model.md, sections 6 and 9).'],
    ['run', 'Run, side-run', 'One simulated future with its own random draws of every uncertain number and event. A side-run is one side in one run: 1,000 runs of two sides are 2,000 side-runs.'],
    ['band', 'Median and bands', 'Across runs on each day: the median (half the runs above, half below), the 50% band (the middle half of runs) and the 90% band (all but the top and bottom 5%). A band is where the runs go, not a confidence interval of the model.'],
    ['mcse', 'Monte Carlo error', 'The standard error that comes from running finitely many runs: for a share p of n runs, sqrt(p(1 - p)/n). More runs shrink it; it says nothing about whether the scenario\'s numbers are right.'],
    ['deterministic', 'Deterministic run', 'One run with expected values instead of random draws (RK4 integration): no bands, no probabilities.'],
    ['range', 'Bargaining range', 'A set of settlement terms that both sides, by their own beliefs about the war\'s course, prefer to fighting on (Fearon 1995). A range can open and close again as beliefs and fortunes move.'],
    ['ripe', 'Ripe', 'A mutually hurting stalemate (Zartman 1989): both sides expect no decisive gain and feel the war\'s costs. Ripeness makes talks succeed more often; it does not by itself make a range.'],
    ['package', 'Package', 'One combination of options on the negotiated issues (for example neutrality with sanctions eased) together with a territorial line.'],
    ['nash', 'Nash bargaining solution', 'Among the packages both prefer to war, the one that maximises the product of the two sides\' gains over fighting on, weighted by their bargaining power (Nash 1950).'],
    ['agreement', 'Agreement', 'A settlement signed in a run: while a range is open, talks succeed with a monthly probability (higher when the war is ripe); the agreed package is the Nash solution of that moment.'],
    ['observed', 'Observed series', 'What was published after the scenario\'s start (for example UK MoD casualty estimates, ISW-based area): drawn as changes since the start over the model\'s bands (truce hindcast, docs/validation.md).'],
  ];
  R.methods = [
    ['fan', 'Bands over time', 'Each day, the runs\' values are sorted and the 5th, 25th, 50th, 75th and 95th percentiles drawn (daily.csv; the page shows every few days, the file has every day). A single run is drawn as one line.'],
    ['observed', 'Observed series', 'Observed points are changes since the scenario\'s start (the source\'s level at the start interpolated between its rows), added to the model\'s starting median, so that sources with other baselines can be compared (truce hindcast, docs/validation.md s5). Whiskers: the source\'s own range where it gives one.'],
    ['exhaustion', 'Exhaustion timing', 'Share of runs in which each side is first exhausted in each period (runs.csv\'s exhaustion_day, binned in C when the report was written); runs where a side is never exhausted are counted in the text, not the bars.'],
    ['aid', 'Aid', 'Money committed in approved packages and delivered after the delivery lag, cumulative from the start, per backer (daily.csv\'s committed and delivered series, in the scenario\'s currency, in billions).'],
    ['window', 'Talks over time', 'For each month, the share of runs in which a bargaining range has opened at least once by the month\'s end, in which the war has been ripe, and in which an agreement has been signed; shaded: +-2 Monte Carlo standard errors (docs/bargaining.md).'],
    ['packages', 'Acceptable packages', 'At the first opening of a range in each run, which packages lie inside it (acceptable to both); the share is over runs with an opening.'],
    ['terms', 'Agreed terms', 'In the runs that reach an agreement, the share signed on each package, with the median territorial line (the share of the contested area the first side keeps).'],
  ];

  // ---- the model of the page: everything the charts and sentences need
  R.model = function (inp) {
    const S = inp.summary;
    const names = S.names || {};
    const sideIds = Object.keys(S.sides);
    const backerIds = S.backers ? Object.keys(S.backers) : [];
    const SIDE_COLOURS = ['#2563a8', '#b8372b'];
    const BACKER_COLOURS = [['#3b82c4', '#2f9e6d', '#7a5cc2', '#0f766e', '#5b8def', '#64748b'],
      ['#d9653b', '#c2417a', '#a16207', '#e11d48', '#9a3412', '#78716c']];
    const sideName = (id) => (names.sides && names.sides[id]) || id;
    const sides = sideIds.map((id, i) => ({ id, name: sideName(id), colour: SIDE_COLOURS[i % 2] }));
    const used = [0, 0];
    const backers = backerIds.map((id) => {
      const si = Math.max(0, sideIds.indexOf(S.backers[id].supports));
      return { id, name: (names.backers && names.backers[id]) || id, supports: S.backers[id].supports, side: si,
        colour: BACKER_COLOURS[si][used[si]++ % 6] };
    });
    const assumption = (p) => (S.assumptions || []).find((a) => a.path === p);
    // the money unit: the first word of a backer budget's unit ("EUR per month")
    let currency = 'money';
    for (const b of backerIds) {
      const a = assumption(`backers.${b}.budget_per_month`);
      if (a && a.unit) { currency = String(a.unit).split(/[\s-]/)[0]; break; }
    }
    const area = assumption('front.area_km2');
    const runs = S.runs || 1;
    const det = S.mode === 'deterministic';
    const multi = runs > 1 && !det;
    const rows = inp.daily && inp.daily.trim() ? vega.read(inp.daily, { type: 'csv', parse: 'auto' }) : [];
    // one run: daily.csv is wide (a column per series): make degenerate bands
    let bands = rows;
    if (rows.length && !('series' in rows[0])) {
      bands = [];
      const series = Object.keys(rows[0]).filter((k) => !['run', 'day', 'date', 'side'].includes(k));
      for (const r of rows) for (const s of series)
        bands.push({ day: r.day, date: r.date, side: r.side, series: s, n: 1, mean: r[s],
          p05: r[s], p25: r[s], p50: r[s], p75: r[s], p95: r[s] });
    }
    for (const b of bands) if (b.date instanceof Date) b.date = isoDate(b.date);
    return { S, sides, backers, currency, runs, det, multi, bands, start: S.start || null, days: S.days,
      area: area && isNum(area.value) ? area.value : null, hist: inp.hist || {}, units: inp.units || {},
      hindcast: inp.hindcast || null, explore: inp.explore || null,
      names, sideName, optionName: (issue, opt) => (names.options && names.options[issue] && names.options[issue][opt]) || opt };
  };

  // "alliance=neutrality, sanctions=eased" -> "neutrality; sanctions eased"
  // with the scenario's option names (an issue's names:), else
  // "alliance: neutrality; sanctions: eased"
  R.packageLabel = (D, p) => String(p).split(/,\s*/).map((kv) => {
    const [k, v] = kv.split('=');
    if (v === undefined) return kv;
    const o = D.names.options && D.names.options[k];
    const named = o && Object.keys(o).some((id) => o[id] !== id);
    return named ? D.optionName(k, v) : `${k}: ${v}`;
  }).join('; ');

  const dayDate = (D, d) => D.start ? addDays(D.start, d) : null;
  const whenDay = (D, d) => D.start ? `${monthYear(dayDate(D, d))} (day ${Math.round(d)})` : `day ${Math.round(d)}`;
  const num = (path, text) => `<b class="num" data-path="${esc(path)}">${esc(text)}</b>`;
  const term = (id, text) => `<a class="term" href="#g-${id}">${esc(text)}</a>`;
  // a Monte Carlo standard error in percentage points
  const pp = (v) => `${(100 * v).toFixed(100 * v < 1 ? 2 : 1)} pp`;
  const mcse = (p, n) => Math.sqrt(Math.max(p * (1 - p), 0) / n);
  const at = (pairs, m) => { const x = (pairs || []).find((e) => e[0] === m); return x ? x[1] : null; };
  const lastPair = (pairs) => (pairs && pairs.length) ? pairs[pairs.length - 1] : null;

  // ---- the summary in sentences, each number tagged with its place in
  // summary.json (data-path) so the browser test can check it
  R.summaryHtml = function (D) {
    const S = D.S, p = [];
    const span = D.start ? `from ${dayMonthYear(new Date(D.start + 'T00:00:00Z'))} to ${dayMonthYear(dayDate(D, D.days))}` : `of ${D.days} days`;
    p.push(D.det ? `One ${term('deterministic', 'deterministic run')} ${span} (${D.days} days): expected values, no uncertainty.`
      : D.multi ? `${num('runs', D.runs.toLocaleString('en-GB'))} ${term('run', 'runs')} ${span} (${D.days} days), each drawing every uncertain number of the scenario afresh. Shares below are of runs, with their ${term('mcse', 'Monte Carlo error')} (&plusmn; one standard error, in percentage points).`
        : `One stochastic ${term('run', 'run')} ${span} (${D.days} days): a single draw, not a forecast distribution.`);
    const ex = [];
    D.sides.forEach((s) => {
      const o = S.sides[s.id], e = o.exhaustion_day;
      const P = `sides.${s.id}.exhaustion_day`;
      if (e !== null && typeof e === 'object') {
        const share = 1 - e.never_fraction;
        if (share <= 0) { ex.push(`${esc(s.name)} is ${term('exhausted', 'exhausted')} in ${num(P + '.never_fraction:1-', pct(share))} of runs`); return; }
        ex.push(`${esc(s.name)} is ${term('exhausted', 'exhausted')} in ${num(P + '.never_fraction:1-', pct(share))} of runs (&plusmn;${esc(pp(mcse(share, D.runs)))}), ` +
          `at a median of ${num(P + '.p50:day', whenDay(D, e.p50))}` + (D.runs * share >= 20 ? `, 90% of those between ${esc(whenDay(D, e.p05))} and ${esc(whenDay(D, e.p95))}` : ''));
      } else if (isNum(e)) ex.push(`${esc(s.name)} is ${term('exhausted', 'exhausted')} on ${num(P + ':day', whenDay(D, e))}`);
      else ex.push(`${esc(s.name)} is not ${term('exhausted', 'exhausted')} within the ${D.days} days`);
    });
    if (ex.length) p.push(ex.join('; ') + '.');
    const fr = D.sides.map((s) => {
      const f = S.sides[s.id].front_end, P = `sides.${s.id}.front_end`;
      return typeof f === 'object' && D.multi
        ? `${esc(s.name)} ${num(P + '.p50', sig(f.p50))} (90% of runs ${esc(sig(f.p05))} to ${esc(sig(f.p95))})`
        : `${esc(s.name)} ${num(P + (typeof f === 'object' ? '.p50' : ''), sig(typeof f === 'object' ? f.p50 : f))}`;
    });
    p.push(`${term('front', 'Front strength')} at the end, in soldiers: ${fr.join(', ')}.`);
    const B = S.bargaining;
    if (B) {
      const months = (B.p_open_by_month || []).map((x) => x[0]);
      const marks = [3, 12, months[months.length - 1]].filter((m, i, a) => months.includes(m) && a.indexOf(m) === i);
      const openIdx = (m) => (B.p_open_by_month || []).findIndex((x) => x[0] === m);
      if (D.multi && marks.length) {
        const parts = marks.map((m) => `${num(`bargaining.p_open_by_month.${openIdx(m)}.1`, pct(at(B.p_open_by_month, m)))} by month ${m}`);
        p.push(`A ${term('range', 'bargaining range')} has opened in ${parts.join(', ')} of runs (&plusmn;${esc(pp(mcse(at(B.p_open_by_month, marks[marks.length - 1]), D.runs)))} at month ${marks[marks.length - 1]})` +
          (B.window_open_day && isNum(B.window_open_day.p50) ? `; when it opens, at a median of ${num('bargaining.window_open_day.p50:day', whenDay(D, B.window_open_day.p50))}.` : '.'));
      }
      const ag = B.p_agree_by_month, last = lastPair(ag);
      if (last && D.multi) {
        const i12 = (ag || []).findIndex((x) => x[0] === 12);
        p.push(`An ${term('agreement', 'agreement')} is signed in ${num(`bargaining.p_agree_by_month.${ag.length - 1}.1`, pct(last[1]))} of runs by month ${last[0]} (&plusmn;${esc(pp(mcse(last[1], D.runs)))})` +
          (i12 >= 0 && last[0] !== 12 ? `, ${num(`bargaining.p_agree_by_month.${i12}.1`, pct(ag[i12][1]))} by month 12.` : '.'));
      }
      const top = (B.top_packages || [])[0];
      if (top) {
        let t = `When a range opens, the ${term('package', 'package')} most often acceptable to both is <q>${esc(R.packageLabel(D, top.package))}</q> (${num('bargaining.top_packages.0.share_acceptable_to_both', pct(top.share_acceptable_to_both))} of openings)`;
        const N = B.nash_package;
        if (N && N.package) t += `; the ${term('nash', 'Nash bargaining solution')} is most often <q>${esc(R.packageLabel(D, N.package))}</q> (${num('bargaining.nash_package.share', pct(N.share))})`;
        p.push(t + '.');
      }
      const terms = B.agreement && B.agreement.terms;
      if (terms && terms.length)
        p.push(`Agreements signed are most often on <q>${esc(R.packageLabel(D, terms[0].package))}</q> (${num('bargaining.agreement.terms.0.share', pct(terms[0].share))} of agreements).`);
    }
    const X = D.explore;
    if (X && X.outcomes) {
      const drv = [];
      for (const o of X.outcomes.filter((x) => x.constant === null && x.inputs && x.inputs.length).slice(0, 2)) {
        const key = o.method === 'sobol' ? 'st' : o.method === 'morris' ? 'mu_star' : 'prcc';
        const top = o.inputs.slice(0, 3).map((r) => `${esc(r.input)}${r.lever ? ' (a lever)' : ''}`).join(', ');
        if (top) drv.push(`for ${esc(o.outcome)}, ${top} (${esc(o.method)}${isNum(o.inputs[0][key]) ? ' ' + esc(sig(o.inputs[0][key], 2)) : ''} for the first)`);
      }
      if (drv.length) p.push(`What drives it (the exploration beside this run): ${drv.join('; ')}.`);
    }
    if (D.hindcast) p.push(`Observed series (${esc(D.hindcast.groups.map((g) => g.source).filter((v, i, a) => a.indexOf(v) === i).join('; '))}) are drawn over the charts as ${term('observed', 'changes since the start')}.`);
    return p.map((x) => `<p>${x}</p>`).join('');
  };

  // ---- charts
  // series, title, what the unit means (null: the unit from the C tables), glossary entry
  const FANS = [
    ['front', 'Front strength', 'soldiers in the combat zone', 'front'],
    ['power', 'Capable strength: combat power', 'effective soldiers (soldiers weighted by their equipment and ammunition)', 'capable'],
    ['casualties', 'Casualties since the start, cumulative', 'killed, wounded and missing', null],
    ['territory', 'Area held', 'km2', null],
    ['equipment', 'Heavy equipment in stock', 'items (tanks, IFVs, guns)', null],
    ['ammunition', 'Artillery ammunition in stock', null, null],
    ['rounds_fired', 'Artillery rounds fired per day', 'rounds a day', null],
    ['drones_fired', 'Drones used per day', 'drones a day', null],
  ];
  const xAxis = (D) => {
    if (!D.start) return { field: 'day', type: 'quantitative', title: 'day', axis: { labelFlush: true } };
    const months = D.days / 30.44;
    if (months < 4) // weeks, each label with its year
      return { field: 'date', type: 'temporal', title: null,
        axis: { format: '%-d %b %Y', labelOverlap: 'greedy', labelFlush: true, labelPadding: 4, tickCount: { interval: 'week', step: Math.max(1, Math.ceil(D.days / 7 / 5)) } } };
    const step = [1, 2, 3, 6, 12, 24, 60].find((s) => months / s <= 6) || 120;
    return { field: 'date', type: 'temporal', title: null,
      axis: { format: step >= 12 ? '%Y' : '%b %Y', labelOverlap: 'greedy', labelFlush: true, labelPadding: 4,
        tickCount: step >= 12 ? { interval: 'year', step: step / 12 } : { interval: 'month', step } } };
  };
  // a legend below the chart, in as many columns as fit a 400 px chart
  const legend = (labels) => {
    const w = Math.max(...labels.map((l) => String(l).length)) * 6.4 + 30;
    return { orient: 'bottom', direction: 'horizontal', title: null, labelLimit: 0, symbolType: 'stroke', symbolStrokeWidth: 3, symbolOpacity: 1,
      columns: Math.max(1, Math.min(labels.length, Math.floor(400 / w))) };
  };
  const withDate = (D, r) => D.start && !r.date ? Object.assign({ date: isoDate(dayDate(D, r.day)) }, r) : r;

  R.charts = function (D) {
    const S = D.S, out = [];
    const sideDomain = D.sides.map((s) => s.name), sideRange = D.sides.map((s) => s.colour);
    const byId = Object.fromEntries(D.sides.map((s) => [s.id, s]));
    const bandNote = D.multi ? 'line: median of runs; bands: 50% and 90% of runs' : D.det ? 'one deterministic run' : 'one run';
    // observed series (hindcast.json): points and the sources' ranges,
    // one shape per source, named in the subtitle (legends would clip)
    const SHAPES = [['circle', '\u25cf'], ['square', '\u25a0'], ['diamond', '\u25c6'], ['triangle-up', '\u25b2'], ['cross', '\u271a']];
    const observed = (series, mapId, toY) => {
      if (!D.hindcast) return [];
      const pts = [];
      for (const g of D.hindcast.groups.filter((x) => x.series === series && mapId(x.id) && x.scored !== false))
        for (const o of g.observations || [])
          if (isNum(o.observed)) pts.push({ date: o.date, day: o.day, who: mapId(g.id), source: g.source,
            y: toY(o.observed, g.id), lo: isNum(o.low) ? toY(o.low, g.id) : null, hi: isNum(o.high) ? toY(o.high, g.id) : null });
      return pts;
    };
    const sources = (pts) => pts.map((p) => p.source).filter((v, i, a) => a.indexOf(v) === i);
    const obsNote = (pts) => pts.length ? '; observed: ' + sources(pts).map((src, i) => `${SHAPES[i % 5][1]} ${src}`).join(', ') : '';
    const obsLayers = (pts, x, colourEnc) => {
      if (!pts.length) return [];
      const src = sources(pts);
      const shape = { field: 'source', type: 'nominal', legend: null, scale: { domain: src, range: src.map((_, i) => SHAPES[i % 5][0]) } };
      return [
        { data: { values: pts.filter((p) => p.lo !== null) }, mark: { type: 'rule', strokeWidth: 1 }, encoding: { x, y: { field: 'lo', type: 'quantitative' }, y2: { field: 'hi' }, color: colourEnc } },
        { data: { values: pts }, mark: { type: 'point', filled: true, size: 30, stroke: '#111', strokeWidth: 0.6, opacity: 1 },
          encoding: { x, y: { field: 'y', type: 'quantitative' }, color: colourEnc, shape,
            tooltip: [{ field: 'source' }, { field: 'date' }, { field: 'y', format: ',.4~r', title: 'level' }] } },
      ];
    };
    // zero as "0", not "0k"
    const yAxis = (fmt) => ({ format: fmt, labelExpr: `datum.value === 0 ? '0' : format(datum.value, '${fmt}')` });
    const fan = (values, x, colour, yFmt, yScale, pts) => ({
      height: 230, data: { values }, encoding: { x, color: colour },
      layer: [
        ...(D.multi ? [
          { mark: { type: 'area', opacity: 0.16 }, encoding: { y: { field: 'p05', type: 'quantitative', title: null, axis: yAxis(yFmt), scale: yScale }, y2: { field: 'p95' } } },
          { mark: { type: 'area', opacity: 0.32 }, encoding: { y: { field: 'p25', type: 'quantitative' }, y2: { field: 'p75' } } }] : []),
        { mark: { type: 'line', strokeWidth: 2 }, encoding: { y: { field: 'p50', type: 'quantitative', title: null, axis: yAxis(yFmt), scale: yScale } } },
        ...obsLayers(pts || [], x, colour),
      ],
    });
    const x = xAxis(D);
    const sideColour = { field: 'who', type: 'nominal', title: null, scale: { domain: sideDomain, range: sideRange }, legend: legend(sideDomain) };
    for (const [series, title0, unit0, g] of FANS) {
      let title = title0, unit = unit0 || D.units[series] || '', fmt = '~s', pts = [];
      let values = D.bands.filter((r) => r.series === series && byId[r.side]).map((r) => withDate(D, Object.assign({ who: byId[r.side].name }, r)));
      // charts only when they carry data: some side's value is nonzero
      if (!values.some((r) => r.p95 || r.p05 || r.p50)) continue;
      if (series === 'casualties') pts = observed('casualties', (id) => byId[id] && byId[id].name, (v) => v);
      if (series === 'territory') {
        // the area the side with the smaller share at the start holds (the
        // other's is its complement), in km2 when the scenario gives the area
        const first = Object.fromEntries(D.sides.map((s) => [s.id, (values.find((r) => r.side === s.id && r.day === 0) || {}).p50]));
        const start = (id) => first[id];
        const occ = D.sides.reduce((m, s) => (start(s.id) <= start(m.id) ? s : m), D.sides[0]);
        const k = D.area || 1;
        values = values.filter((r) => r.side === occ.id).map((r) => Object.assign({}, r, { p05: r.p05 * k, p25: r.p25 * k, p50: r.p50 * k, p75: r.p75 * k, p95: r.p95 * k }));
        title = `Area held by ${occ.name}`;
        unit = D.area ? 'km2' : 'share of the area';
        fmt = D.area ? ',.3~s' : '.1%';
        if (D.area) pts = observed('area_km2', (id) => id === occ.id && occ.name, (v) => start(occ.id) * k + v);
      }
      out.push({ id: 'fan-' + series, group: 'war', title, glossary: g,
        subtitle: `${unit}; ${bandNote}${obsNote(pts)}`, method: pts.length ? ['fan', 'observed'] : ['fan'],
        spec: fan(values, x, sideColour, fmt, { zero: series !== 'territory' }, pts) });
    }
    // exhaustion: histograms computed in C (#truce-hist)
    const H = D.hist.exhaustion_day;
    if (D.multi && H && H.by) {
      const values = [];
      let any = 0;
      for (const s of D.sides) {
        const h = H.by[s.id];
        if (!h) continue;
        h.counts.forEach((c, i) => { any += c; values.push(withDate(D, { who: s.name, day: i * H.width, day2: (i + 1) * H.width, share: c / H.runs })); });
      }
      for (const v of values) if (D.start) v.date2 = isoDate(dayDate(D, v.day2));
      if (any) out.push({ id: 'exhaustion', group: 'war', title: 'When a side is exhausted', glossary: 'exhausted',
        subtitle: `share of runs first exhausted in each ${H.width}-day period; ` + D.sides.map((s) => `${s.name}: ${pct(1 - S.sides[s.id].exhaustion_day.never_fraction)} of runs in all`).join(', '),
        method: ['exhaustion'],
        spec: { height: 200, data: { values: values.filter((v) => v.share > 0) },
          mark: { type: 'bar', opacity: 0.75, binSpacing: 0 },
          encoding: { x: Object.assign({}, x, D.start ? { field: 'date' } : { field: 'day' }), x2: { field: D.start ? 'date2' : 'day2' },
            y: { field: 'share', type: 'quantitative', stack: null, title: null, axis: { format: '.1~%' } }, y2: { datum: 0 },
            color: Object.assign({}, sideColour, { legend: Object.assign(legend(sideDomain), { symbolType: 'square' }) }), tooltip: [{ field: 'who', title: 'side' }, { field: 'day', title: 'from day' }, { field: 'share', format: '.1%' }] } } });
    }
    // aid, per supported side, in the scenario's currency (billions)
    for (const s of D.sides) {
      const bk = D.backers.filter((b) => b.supports === s.id);
      if (!bk.length) continue;
      const bn = Object.fromEntries(bk.map((b) => [b.id, b]));
      const values = D.bands.filter((r) => bn[r.side] && (r.series === 'committed' || r.series === 'delivered'))
        .map((r) => withDate(D, { day: r.day, date: r.date, who: bn[r.side].name, what: r.series, p05: r.p05 / 1e9, p25: r.p25 / 1e9, p50: r.p50 / 1e9, p75: r.p75 / 1e9, p95: r.p95 / 1e9 }));
      if (!values.some((r) => r.p95 > 0)) continue;
      const col = { field: 'who', type: 'nominal', title: null, scale: { domain: bk.map((b) => b.name), range: bk.map((b) => b.colour) }, legend: legend(bk.map((b) => b.name)) };
      const pts = [];
      for (const k of ['aid_committed', 'aid_delivered'])
        pts.push(...observed(k, (id) => bn[id] && bn[id].name, (v) => v / 1e9).map((p) => Object.assign(p, { source: `${p.source} (${k.slice(4)})` })));
      out.push({ id: 'aid-' + s.id, group: 'war', title: `Aid to ${s.name}: committed and delivered, cumulative`,
        subtitle: `${D.currency} bn; solid: delivered, dashed: committed; ${D.multi ? 'line: median; band: 90% of runs' : bandNote}` + obsNote(pts),
        method: pts.length ? ['aid', 'observed'] : ['aid'],
        spec: { height: 230, data: { values }, encoding: { x, color: col },
          layer: [
            ...(D.multi ? [{ mark: { type: 'area', opacity: 0.12 }, transform: [{ filter: 'datum.what === "delivered"' }], encoding: { y: { field: 'p05', type: 'quantitative', title: null, axis: { format: ',.3~r' } }, y2: { field: 'p95' } } }] : []),
            { mark: { type: 'line', strokeWidth: 2 }, encoding: { y: { field: 'p50', type: 'quantitative', title: null, axis: { format: ',.3~r' } }, detail: { field: 'what' },
              strokeDash: { field: 'what', type: 'nominal', scale: { domain: ['delivered', 'committed'], range: [[1, 0], [5, 3]] }, legend: null } } },
            ...obsLayers(pts, x, col),
          ] } });
    }
    // talks: windows, ripeness, agreement by month; packages; terms
    const B = S.bargaining;
    if (B && D.multi) {
      const values = [];
      const put = (pairs, what) => { for (const [m, p] of pairs || []) if (isNum(p)) {
        const se = 2 * mcse(p, D.runs);
        values.push({ month: m, date: D.start ? isoDate(addMonths(D.start, m)) : null, p, lo: Math.max(0, p - se), hi: Math.min(1, p + se), what });
      } };
      put(B.p_open_by_month, 'a bargaining range has opened');
      put(B.p_ripe_by_month, 'the war has been ripe');
      put(B.p_agree_by_month, 'an agreement has been signed');
      const whats = ['a bargaining range has opened', 'the war has been ripe', 'an agreement has been signed'];
      const mx = D.start ? x : { field: 'month', type: 'quantitative', title: 'month' };
      const col = { field: 'what', type: 'nominal', title: null, scale: { domain: whats, range: ['#2563a8', '#a16207', '#15803d'] }, legend: legend(whats) };
      if (values.length) out.push({ id: 'window', group: 'talks', title: 'Talks: by the end of each month, the share of runs in which ...', glossary: 'range',
        subtitle: 'shaded: +-2 Monte Carlo standard errors', method: ['window'],
        spec: { height: 230, data: { values }, encoding: { x: mx, color: col },
          layer: [
            { mark: { type: 'area', opacity: 0.15 }, encoding: { y: { field: 'lo', type: 'quantitative', scale: { domain: [0, 1] }, axis: { format: '.0%' }, title: null }, y2: { field: 'hi' } } },
            { mark: { type: 'line', point: { size: 14 } }, encoding: { y: { field: 'p', type: 'quantitative' }, tooltip: [{ field: 'what' }, { field: 'month' }, { field: 'p', format: '.1%' }] } },
          ] } });
      // bars with their labels above them (long labels never squeeze the
      // bars); a label is an array of lines (Vega draws one per entry)
      const labelled = (rows, colour) => {
        const lines = Math.max(...rows.map((r) => r.text.length));
        const row = 20 + 15 * lines;
        return {
          height: row * rows.length, data: { values: rows.slice().sort((a, b) => b.share - a.share) },
          encoding: { y: { field: 'label', type: 'nominal', sort: null, title: null, axis: null } },
          layer: [
            { mark: { type: 'bar', color: colour, height: 12, yOffset: row / 2 - 8 },
              encoding: { x: { field: 'share', type: 'quantitative', axis: { format: '.0%' }, title: null, scale: { domain: [0, 1] } },
                tooltip: [{ field: 'label', title: 'package' }, { field: 'share', format: '.1%' }] } },
            { mark: { type: 'text', align: 'left', baseline: 'bottom', yOffset: row / 2 - 15 - 15 * (lines - 1), fontSize: 12, lineHeight: 15 },
              encoding: { x: { datum: 0 }, text: { field: 'text' } } },
          ],
        };
      };
      const label = (p) => R.packageLabel(D, p);
      if ((B.top_packages || []).length) out.push({ id: 'packages', group: 'talks', title: 'Packages most often acceptable to both when a range opens', glossary: 'package',
        subtitle: 'share of runs with an opening in which the package lies inside the range', method: ['packages'],
        spec: labelled(B.top_packages.map((t) => ({ label: t.package, text: [`${label(t.package)}: ${pct(t.share_acceptable_to_both)}`], share: t.share_acceptable_to_both })), '#2563a8') });
      const T = B.agreement && B.agreement.terms;
      if (T && T.length) out.push({ id: 'terms', group: 'talks', title: 'Terms of the agreements signed', glossary: 'agreement',
        subtitle: `${pct(B.agreement.fraction)} of runs reach an agreement; bars: the share of those on each package, with the median share of the contested area ${D.sides[0].name} keeps`, method: ['terms'],
        spec: labelled(T.map((t) => ({ label: t.package, share: t.share,
          text: [label(t.package), `${pct(t.share)} of agreements` + (isNum(t.territory_median) ? `; ${D.sides[0].name} keeps ${pct(t.territory_median)} of the area` : '')] })), '#15803d') });
    }
    return out;
  };

  // ---- drawing
  const EMBED = { renderer: 'svg', actions: { export: true, source: false, compiled: false, editor: false } };
  R.embed = function (el, spec) {
    spec = Object.assign({ $schema: 'https://vega.github.io/schema/vega-lite/v6.json', width: 'container',
      autosize: { type: 'fit-x', contains: 'padding' }, config: { font: 'system-ui, sans-serif', axis: { labelFontSize: 11, labelSeparation: 4 }, legend: { labelFontSize: 11 } } }, spec);
    return vegaEmbed(el, spec, EMBED);
  };
  // A chart's box: the title and subtitle as HTML (they wrap, never clip),
  // links to the glossary and the method notes, and the Vega view.
  R.chartBox = function (c) {
    const d = document.createElement('figure');
    d.className = 'chart';
    d.id = c.id;
    const links = (c.method || []).map((m, i) => `<a href="#m-${esc(m)}">${i ? esc((R.methods.find((x) => x[0] === m) || [m, m])[1].toLowerCase()) : 'method'}</a>`);
    if (c.glossary) links.push(`<a href="#g-${esc(c.glossary)}">glossary</a>`);
    d.innerHTML = `<figcaption><h3>${esc(c.title)}</h3><p class="sub">${esc(c.subtitle || '')}${links.length ? ' &middot; ' + links.join(' &middot; ') : ''}</p></figcaption><div class="view"></div>`;
    return d;
  };

  R.render = function (D, doc) {
    doc = doc || document;
    const $ = (id) => doc.getElementById(id);
    const S = D.S, views = [];
    // warnings from the run's sanity checks (summary.json "warnings")
    const W = S.warnings || [];
    if (W.length && $('warnings'))
      $('warnings').innerHTML = `<section class="warnings" role="alert"><h2>Warnings (${W.length})</h2><ul>` +
        W.map((w) => `<li>${esc(typeof w === 'string' ? w : (w.message || w.text || JSON.stringify(w)))}${w && w.code ? ` <span class="code">[${esc(w.code)}]</span>` : ''}</li>`).join('') + '</ul></section>';
    $('summary').innerHTML = R.summaryHtml(D);
    // headline cards
    const card = (k, v, s) => `<div class="card"><div class="k">${esc(k)}</div><div class="v">${esc(v)}</div><div class="s">${esc(s)}</div></div>`;
    let h = '';
    for (const s of D.sides) {
      const o = S.sides[s.id], f = o.front_end, ex = o.exhaustion_day;
      h += card(`${s.name}: front strength at the end`, sig(typeof f === 'object' ? f.p50 : f),
        D.multi && typeof f === 'object' ? `soldiers; 90% of runs ${sig(f.p05)} to ${sig(f.p95)}` : 'soldiers');
      h += card(`${s.name}: exhausted within ${S.days} days`,
        (ex !== null && typeof ex === 'object') ? pct(1 - ex.never_fraction) + ' of runs' : (isNum(ex) ? whenDay(D, ex) : 'no'),
        (ex !== null && typeof ex === 'object' && isNum(ex.p50)) ? `median ${whenDay(D, ex.p50)}` : '');
    }
    const B = S.bargaining;
    if (B && D.multi) {
      const l = lastPair(B.p_open_by_month), a = lastPair(B.p_agree_by_month);
      if (l) h += card(`bargaining range by month ${l[0]}`, pct(l[1]) + ' of runs', `by month 12: ${pct(at(B.p_open_by_month, 12))}`);
      if (a) h += card(`agreement by month ${a[0]}`, pct(a[1]) + ' of runs', `by month 12: ${pct(at(B.p_agree_by_month, 12))}`);
    }
    $('headline').innerHTML = h;
    $('bands-note').textContent = D.multi ? 'Lines: median of runs; bands: the middle 50% and 90% of runs. Each chart\'s menu exports SVG and PNG.'
      : D.det ? 'One deterministic run: expected values, no bands.' : 'One run: a single draw, no bands.';
    const used = new Set();
    for (const c of R.charts(D)) {
      (c.method || []).forEach((m) => used.add(m));
      const parent = $(c.group === 'talks' ? 'talks' : 'charts');
      if (c.group === 'talks') $('talks-section').hidden = false;
      const box = R.chartBox(c);
      parent.appendChild(box);
      views.push(R.embed(box.querySelector('.view'), c.spec));
    }
    // glossary and method notes
    $('glossary').innerHTML = R.glossary.map(([id, t, d]) => `<dt id="g-${id}">${esc(t)}</dt><dd>${esc(d)}</dd>`).join('');
    // method notes of the charts drawn (a note for a chart this run has
    // not, e.g. exhaustion timing when no side is exhausted, is left out)
    $('methods').innerHTML = '<h3>Method notes</h3><dl>' + R.methods.filter(([k]) => used.has(k)).map(([k, t, v]) => `<dt id="m-${k}">${esc(t)}</dt><dd>${esc(v)}</dd>`).join('') + '</dl>';
    // assumptions register and metadata
    let t = '<table><thead><tr><th>number</th><th>value</th><th>range / distribution</th><th>unit</th><th>source</th><th>claimant</th><th>date</th></tr></thead><tbody>';
    for (const a of S.assumptions || [])
      t += `<tr><td>${esc(a.path)}</td><td>${esc(a.label ?? a.value)}</td><td>${esc(a.distribution)}</td><td>${esc(a.unit)}</td><td>${esc(a.source)}</td><td>${esc(a.claimant)}</td><td>${esc(a.date)}</td></tr>`;
    $('assumptions').innerHTML = t + '</tbody></table>';
    const meta = [['scenario', S.scenario], ['file', S.scenario_file], ['scenario SHA-256', S.scenario_sha256],
      ['seed', S.seed], ['runs', S.runs], ['days', S.days], ['mode', S.mode], ['start', S.start],
      ['truce version', S.truce_version], ['command line', S.command_line], ['overrides (--set, --overlay, stakeholder links: see the assumptions register)', (S.overrides || []).join('; ')],
      ['threads / MPI ranks', S.execution ? `${S.execution.threads} / ${S.execution.ranks}` : '']];
    $('meta').innerHTML = '<table>' + meta.map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(v)}</td></tr>`).join('') + '</table>';
    $('title').textContent = S.scenario;
    $('subtitle').textContent = (D.det ? 'one deterministic run' : `${S.runs.toLocaleString('en-GB')} ${S.mode} run${S.runs === 1 ? '' : 's'}`) +
      ` of ${S.days} days` + (S.start ? ` from ${dayMonthYear(new Date(S.start + 'T00:00:00Z'))}` : '') + `; seed ${S.seed}; truce ${S.truce_version}`;
    const nav = [['summary-section', 'Summary'], ['war-section', 'The war'], ['talks-section', 'Talks'], ['exploration', 'Exploration'],
      ['glossary-section', 'Glossary'], ['assumptions-section', 'Assumptions'], ['meta-section', 'This run']];
    if ($('nav')) $('nav').innerHTML = nav.filter(([id]) => $(id) && !$(id).hidden && (id !== 'exploration' || D.explore))
      .map(([id, t]) => `<a href="#${id}">${esc(t)}</a>`).join('');
    if (D.explore && window.truceExplore) views.push(...window.truceExplore(D.explore, $('exploration')));
    return Promise.all(views);
  };

  window.truceReport = R;
  const el = (id) => document.getElementById(id);
  if (!el('truce-summary') || document.body.dataset.page === 'serve') return;
  const json = (id) => el(id) ? JSON.parse(el(id).textContent) : null;
  let D;
  try {
    D = R.model({ summary: json('truce-summary'), daily: json('truce-daily'), hist: json('truce-hist'),
      units: json('truce-units'), hindcast: json('truce-hindcast'), explore: json('truce-explore') });
  } catch (e) { window.__truceError = String(e); window.__truceReady = true; throw e; }
  R.render(D).then(() => { window.__truceReady = true; })
    .catch((e) => { window.__truceError = String(e); window.__truceReady = true; console.error(e); });
})();
