// SPDX-License-Identifier: GPL-3.0-or-later
// Opens a truce report in headless Chromium (Debian's, driven by
// playwright-core) at 1,000 and 1,400 px wide: every chart must render
// with marks; no chart title, axis title, axis label or legend label may
// be clipped or cut with an ellipsis (from the rendered SVG's text
// extents against the SVG's and the chart box's bounds, and the HTML
// titles' against their boxes), nor axis labels overlap; every number of the plain-sentence
// summary must equal summary.json's at the place it names; the headline
// must equal summary.json; the print layout must render (a PDF, no chart
// wider than the page); no console or page errors. Saves screenshots
// SHOT-1000.png, SHOT-1400.png and the PDF as SHOT.pdf.
// usage: node report_test.mjs REPORT.html SHOT WEB_DIR [--expect-observed]
import fs from 'node:fs';
import { openPage, counter, chartMarks } from './common.mjs';

const [report, shot, web, ...flags] = process.argv.slice(2);
const c = counter(), check = c.check;
const { browser, page, errors } = await openPage(report, web);
check(!(await page.evaluate(() => window.__truceError)), 'a chart failed: ' + await page.evaluate(() => window.__truceError));
const s = await page.evaluate(() => JSON.parse(document.getElementById('truce-summary').textContent));

// ---- the summary's numbers against summary.json (independent formatting)
const pct = (v) => {
  const p = 100 * v;
  if (p > 0 && p < 0.05) return '<0.1%';
  if (p < 100 && p > 99.95) return '>99.9%';
  return (p < 10 ? p.toFixed(1).replace(/\.0$/, '') : p.toFixed(0)) + '%';
};
const resolve = (o, path) => path.split('.').reduce((x, k) => (x === null || x === undefined) ? undefined : x[k], o);
const nums = await page.$$eval('#summary .num', (e) => e.map((x) => ({ path: x.dataset.path, text: x.textContent })));
check(nums.length >= Object.keys(s.sides).length, `the summary has only ${nums.length} numbers`);
for (const n of nums) {
  const [path, kind] = n.path.split(':');
  let v = resolve(s, path);
  check(typeof v === 'number', `summary number at ${path} is not in summary.json`);
  if (typeof v !== 'number') continue;
  let want;
  if (kind === '1-') want = pct(1 - v);
  else if (kind === 'day') want = `day ${Math.round(v)}`;
  else if (path === 'runs') want = v.toLocaleString('en-GB');
  else if (/share|p_open|p_agree|fraction|_by_month/.test(path)) want = pct(v);
  else want = Number(v.toPrecision(3)).toLocaleString('en-GB');
  check(n.text.includes(want), `summary shows '${n.text}' for ${n.path}; summary.json gives ${v} ('${want}')`);
}
// the sentences name every side's exhaustion (with its share when runs > 1)
const sum = await page.$eval('#summary', (e) => e.textContent);
const names = (s.names && s.names.sides) || {};
const multi = s.runs > 1 && s.mode !== 'deterministic';
for (const side of Object.keys(s.sides)) {
  const nm = names[side] || side;
  check(sum.includes(nm), `the summary does not name ${nm}`);
  const ex = s.sides[side].exhaustion_day;
  if (multi) check(nums.some((n) => n.path === `sides.${side}.exhaustion_day.never_fraction:1-`), `the summary lacks ${nm}'s exhaustion share`);
  else check(sum.includes(ex === null ? 'not exhausted' : `day ${ex}`), `the summary lacks ${nm}'s exhaustion day`);
}
if (s.bargaining && multi) {
  const last = s.bargaining.p_open_by_month.length - 1;
  check(nums.some((n) => n.path === `bargaining.p_open_by_month.${last}.1`), 'the summary lacks P(bargaining range) by the horizon');
  if (s.bargaining.p_agree_by_month) check(nums.some((n) => n.path.startsWith('bargaining.p_agree_by_month.')), 'the summary lacks P(agreement)');
}
check(!/Bands: 5-95%/.test(await page.textContent('body')) || multi, 'a run without bands says "Bands: 5-95%"');
if (!multi) check(!(await page.$('#fan-front svg g.mark-area.role-mark')), 'bands drawn for a run without bands');
// the headline: each side's median front as summary.json gives it (3 significant figures)
const head = await page.$eval('#headline', (e) => e.textContent);
for (const side of Object.keys(s.sides)) {
  const v = typeof s.sides[side].front_end === 'object' ? s.sides[side].front_end.p50 : s.sides[side].front_end;
  const shown = Number(v.toPrecision(3)).toLocaleString('en-GB');
  check(head.includes(shown), `headline lacks ${side}'s front ${shown}`);
}
// sanity warnings are shown when summary.json has them
if ((s.warnings || []).length) {
  const w = await page.$$eval('#warnings li', (e) => e.length);
  check(w === s.warnings.length, `${s.warnings.length} warnings in summary.json, ${w} on the page`);
}
// empty series get no chart (Iwo Jima's equipment)
const charts0 = await chartMarks(page);
for (const ch of charts0) check(ch.marks > 0, `chart ${ch.id} has no marks`);
check(charts0.length >= (multi ? 5 : 3), `only ${charts0.length} charts`);
const equip = await page.evaluate(() => {
  const rows = vega.read(JSON.parse(document.getElementById('truce-daily').textContent), { type: 'csv', parse: 'auto' });
  return rows.some((r) => 'series' in r ? r.series === 'equipment' && (r.p05 || r.p50 || r.p95) : r.equipment);
});
if (!equip) check(!charts0.some((x) => x.id === 'fan-equipment'), 'an equipment chart for a run without equipment');
// an exploration beside the run: its charts are in the report
if (await page.$('#truce-explore')) {
  const n = await page.$$eval('#exploration .chart', (e) => e.length);
  check(n > 0, 'the exploration beside the run has no charts in the report');
}
if (flags.includes('--expect-observed')) {
  const pts = await page.$$eval('#fan-casualties svg g.mark-symbol.role-mark path', (e) => e.length);
  check(pts > 0, 'observed series not drawn over the casualty chart');
}
const rows = await page.$$eval('#assumptions tbody tr', (r) => r.length);
check(rows === s.assumptions.length, `assumptions register has ${rows} rows, summary ${s.assumptions.length}`);

// ---- nothing clipped at 1,000 and 1,400 px
async function clipped() {
  return page.evaluate(() => {
    const bad = [];
    const visible = (r) => r.width > 0 && r.height > 0;
    for (const ch of document.querySelectorAll('.chart')) {
      const box = ch.getBoundingClientRect();
      for (const h of ch.querySelectorAll('h3, .sub'))
        if (h.scrollWidth > h.clientWidth + 1) bad.push(`${ch.id}: HTML title overflows: ${h.textContent}`);
      for (const svg of ch.querySelectorAll('svg')) {
        const b = svg.getBoundingClientRect();
        if (b.left < box.left - 1 || b.right > box.right + 1) bad.push(`${ch.id}: SVG ${Math.round(b.width)} px wide in a ${Math.round(box.width)} px box`);
        for (const t of svg.querySelectorAll('.role-title text, .role-axis-title text, .role-axis-label text, .role-legend-label text, .role-legend-title text, .role-title-text text, .role-title-subtitle text, .role-mark text')) {
          const r = t.getBoundingClientRect();
          if (!visible(r)) continue;
          const txt = t.textContent;
          if (r.left < b.left - 1 || r.right > b.right + 1 || r.top < b.top - 1 || r.bottom > b.bottom + 1)
            bad.push(`${ch.id}: '${txt}' outside its SVG (${Math.round(r.left - b.left)}..${Math.round(r.right - b.left)} of ${Math.round(b.width)} px)`);
          if (r.left < box.left - 1 || r.right > box.right + 1) bad.push(`${ch.id}: '${txt}' outside its chart box`);
          if (/\u2026$/.test(txt)) bad.push(`${ch.id}: '${txt}' cut with an ellipsis`);
        }
        // labels of one axis must not overlap or touch (3 px apart at least)
        for (const ax of svg.querySelectorAll('.role-axis')) {
          const r = [...ax.querySelectorAll('.role-axis-label text')].filter((t) => t.textContent && getComputedStyle(t).opacity !== '0' && t.getAttribute('opacity') !== '0')
            .map((t) => ({ t: t.textContent, b: t.getBoundingClientRect() })).filter((x) => visible(x.b));
          for (let i = 0; i < r.length; i++) for (let j = i + 1; j < r.length; j++) {
            const a = r[i].b, c = r[j].b;
            if (a.left < c.right + 3 && c.left < a.right + 3 && a.top < c.bottom - 1 && c.top < a.bottom - 1) // closer than 3 px
              bad.push(`${ch.id}: axis labels '${r[i].t}' and '${r[j].t}' overlap or touch`);
          }
        }
      }
    }
    return bad;
  });
}
const settle = () => page.waitForTimeout(600);
for (const w of [1000, 1400]) {
  await page.setViewportSize({ width: w, height: 900 });
  await settle();
  const bad = await clipped();
  check(bad.length === 0, `at ${w} px: ${bad.length} clipped texts: ${bad.slice(0, 8).join(' | ')}`);
  // years readable on the time axes: a label with a four-digit year on each dated chart
  if (s.start) {
    const yrs = await page.$$eval('#charts .chart', (els) => els.map((e) => ({ id: e.id,
      ok: [...e.querySelectorAll('svg .role-axis-label text')].some((t) => /\b(1[89]|20)\d\d\b/.test(t.textContent)) })));
    for (const y of yrs) check(y.ok, `at ${w} px: ${y.id}'s time axis shows no year`);
  }
  await page.screenshot({ path: `${shot}-${w}.png`, fullPage: true });
}

// ---- the print layout: charts within the page, nav hidden, a PDF
await page.emulateMedia({ media: 'print' });
await page.setViewportSize({ width: 794, height: 1123 }); // A4 at 96 dpi
await settle();
const pr = await page.evaluate(() => {
  const nav = document.getElementById('nav');
  const wide = [...document.querySelectorAll('.chart svg')].filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1).length;
  return { navShown: nav && getComputedStyle(nav).display !== 'none', wide };
});
check(!pr.navShown, 'print: the navigation is printed');
check(pr.wide === 0, `print: ${pr.wide} charts wider than the page`);
const pdf = await page.pdf({ format: 'A4', printBackground: true });
fs.writeFileSync(`${shot}.pdf`, pdf);
const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) || []).length;
check(pdf.subarray(0, 5).toString() === '%PDF-' && pages >= 2, `print: a PDF of ${pages} pages, ${pdf.length} bytes`);
check(errors.length === 0, 'console errors: ' + errors.join(' | '));
await browser.close();
console.log(`browser: ${c.pass} passed, ${c.fail} failed`);
process.exit(c.fail ? 1 : 0);
