// SPDX-License-Identifier: GPL-3.0-or-later
// Opens a truce comparison page in headless Chromium: both charts render
// with marks, the window chart has A's and B's "opened by" and "open now"
// lines, the assumption that changed is listed, and there are no console
// or page errors. usage: node compare_test.mjs COMPARE.html PATH WEB_DIR
import { createRequire } from 'node:module';
import path from 'node:path';
const require = createRequire(path.resolve(process.argv[4] || '.', 'package.json'));
const { chromium } = require('playwright-core');

const [page_file, changed] = process.argv.slice(2);
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
await page.route('**/*', (r) => r.request().url().startsWith('file:') ? r.continue() : r.abort());
await page.goto('file://' + path.resolve(page_file));
await page.waitForFunction(() => window.__truceReady === true, null, { timeout: 60000 });
const charts = await page.$$eval('.chart', (els) => els.map((e) => ({
  id: e.id, marks: e.querySelectorAll('svg .role-mark path, svg .role-mark rect, svg .role-mark text').length })));
check(charts.length === 2, `${charts.length} charts, expected 2`);
for (const c of charts) check(c.marks > 0, `chart ${c.id} has no marks`);
const runs = await page.evaluate(() => [...new Set(JSON.parse(document.getElementById('d').textContent)
  .filter((d) => d.kind === 'window').map((d) => d.run))].sort());
check(JSON.stringify(runs) === JSON.stringify(['A: open now', 'A: opened by', 'B: open now', 'B: opened by']),
  'window lines: ' + runs.join(', '));
check((await page.content()).includes(changed), `the page does not list ${changed}`);
check(errors.length === 0, 'console errors: ' + errors.join(' | '));
await browser.close();
console.log(`browser (compare): ${pass} passed, ${fail} failed`);
process.exit(fail ? 1 : 0);
