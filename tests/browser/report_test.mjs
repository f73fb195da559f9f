// SPDX-License-Identifier: GPL-3.0-or-later
// Opens a truce report in headless Chromium (Debian's, driven by
// playwright-core): every chart must render with marks, the headline must
// equal summary.json, and there must be no console or page errors. Saves a
// screenshot. usage: node report_test.mjs REPORT.html SCREENSHOT.png
import { openPage, counter, chartMarks } from './common.mjs';

const [report, shot, web] = process.argv.slice(2);
const c = counter(), check = c.check;
const { browser, page, errors } = await openPage(report, web);
check(!(await page.evaluate(() => window.__truceError)), 'a chart failed: ' + await page.evaluate(() => window.__truceError));
const charts = await chartMarks(page);
check(charts.length >= 6, `only ${charts.length} charts`);
for (const c of charts) check(c.marks > 0, `chart ${c.id} has no marks`);
// an exploration beside the run: its charts are in the report
if (await page.$('#truce-explore')) {
  const n = await page.$$eval('#exploration .chart', (e) => e.length);
  check(n > 0, 'the exploration beside the run has no charts in the report');
}
const s = await page.evaluate(() => JSON.parse(document.getElementById('truce-summary').textContent));
const head = await page.$eval('#headline', (e) => e.textContent);
for (const side of Object.keys(s.sides)) {
  const v = typeof s.sides[side].front_end === 'object' ? s.sides[side].front_end.p50 : s.sides[side].front_end;
  const shown = Number(v).toLocaleString('en-GB', { maximumFractionDigits: 0 });
  check(head.includes(shown), `headline lacks ${side}'s front ${shown}`);
}
const rows = await page.$$eval('#assumptions tr', (r) => r.length);
check(rows === s.assumptions.length + 1, `assumptions register has ${rows - 1} rows, summary ${s.assumptions.length}`);
check(errors.length === 0, 'console errors: ' + errors.join(' | '));
await page.screenshot({ path: shot, fullPage: true });
await browser.close();
console.log(`browser: ${c.pass} passed, ${c.fail} failed`);
process.exit(c.fail ? 1 : 0);
