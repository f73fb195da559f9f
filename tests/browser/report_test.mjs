// SPDX-License-Identifier: GPL-3.0-or-later
// Opens a truce report in headless Chromium (Debian's, driven by
// playwright-core): every chart must render with marks, the headline must
// equal summary.json, and there must be no console or page errors. Saves a
// screenshot. usage: node report_test.mjs REPORT.html SCREENSHOT.png
import { createRequire } from 'node:module';
import path from 'node:path';
const require = createRequire(path.resolve(process.argv[4] || '.', 'package.json'));
const { chromium } = require('playwright-core');

const [report, shot] = process.argv.slice(2);
let pass = 0, fail = 0;
const check = (ok, what) => { if (ok) pass++; else { fail++; console.log('FAIL: ' + what); } };

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
const errors = [];
page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
page.on('pageerror', (e) => errors.push(String(e)));
// The report must not need the network.
await page.route('**/*', (r) => r.request().url().startsWith('file:') ? r.continue() : r.abort());
await page.goto('file://' + path.resolve(report));
await page.waitForFunction(() => window.__truceReady === true, null, { timeout: 60000 });
check(!(await page.evaluate(() => window.__truceError)), 'a chart failed: ' + await page.evaluate(() => window.__truceError));
const charts = await page.$$eval('.chart', (els) => els.map((e) => ({
  id: e.id, marks: e.querySelectorAll('svg .role-mark path, svg .role-mark rect, svg .role-mark text').length })));
check(charts.length >= 6, `only ${charts.length} charts`);
for (const c of charts) check(c.marks > 0, `chart ${c.id} has no marks`);
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
console.log(`browser: ${pass} passed, ${fail} failed`);
process.exit(fail ? 1 : 0);
