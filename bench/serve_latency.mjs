// SPDX-License-Identifier: GPL-3.0-or-later
// bench/serve's browser half: COUNT changes of the US budget slider (its
// minimum, then its maximum, ...) on a truce serve page, each timed from
// the key press to the first pass and to the full ensemble drawn
// (window.__serve.log's `at`, the page's clock). Prints every change and
// the medians.
// usage: node serve_latency.mjs URL RUNS FIRST COUNT WEB_DIR
import { createRequire } from 'node:module';
import path from 'node:path';

const [url, runs, first, count, webDir] = process.argv.slice(2);
const require = createRequire(path.resolve(webDir, 'package.json'));
const { chromium } = require('playwright-core');
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu'] });
const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
const full = Number(runs), quick = Number(first);
await page.goto(url);
await page.waitForFunction((n) => window.__serve && window.__serve.last && window.__serve.last.runs === n,
  full, { timeout: 300000 });
const sel = 'input[data-path="backers.us.budget_scale"]';
const firsts = [], fulls = [], computeFirst = [], computeFull = [];
for (let i = 0; i < Number(count); i++) {
  const n0 = await page.evaluate(() => window.__serve.log.length);
  await page.focus(sel);
  const t = await page.evaluate(() => performance.now());
  await page.keyboard.press(i % 2 ? 'End' : 'Home');
  await page.waitForFunction(([k, n]) => window.__serve.log.length > k &&
    window.__serve.log[window.__serve.log.length - 1].runs === n, [n0, full], { timeout: 300000 });
  const log = await page.evaluate((k) => window.__serve.log.slice(k), n0);
  const q = log.find((e) => e.runs === quick && quick < full);
  const f = log[log.length - 1];
  if (q) { firsts.push(q.at - t); computeFirst.push(q.compute_ms); }
  fulls.push(f.at - t);
  computeFull.push(f.compute_ms);
  console.log(`change ${i + 1}: first pass (${quick}) ${q ? (q.at - t).toFixed(0) : '-'} ms` +
    ` (compute ${q ? q.compute_ms.toFixed(0) : '-'}), all ${full} ${(f.at - t).toFixed(0)} ms (compute ${f.compute_ms.toFixed(0)})`);
}
const med = (a) => { const s = [...a].sort((x, y) => x - y); return s.length ? (s[(s.length - 1) >> 1] + s[s.length >> 1]) / 2 : NaN; };
console.log(`median of ${count}: first pass of ${quick} runs drawn ${med(firsts).toFixed(0)} ms after the change ` +
  `(its compute ${med(computeFirst).toFixed(0)} ms); all ${full} runs drawn ${med(fulls).toFixed(0)} ms ` +
  `(compute ${med(computeFull).toFixed(0)} ms)`);
await browser.close();
