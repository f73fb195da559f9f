// SPDX-License-Identifier: GPL-3.0-or-later
// truce serve in headless Chromium: the page draws the report's charts
// from the server's ensemble; moving a slider (the keyboard, as a user
// would) reruns it and changes the headline and the charts; the URL
// becomes a permalink that restores the setting; nothing but the server
// is fetched; no console errors.
// usage: node serve_test.mjs URL FULL_RUNS WEB_DIR
import { createRequire } from 'node:module';
import path from 'node:path';
import { counter } from './common.mjs';

const [url, fullRuns, webDir] = process.argv.slice(2);
const require = createRequire(path.resolve(webDir, 'package.json'));
const { chromium } = require('playwright-core');
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const c = counter();
const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
const errors = [];
const foreign = [];
page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
page.on('pageerror', (e) => errors.push(String(e)));
const origin = new URL(url).origin;
await page.route('**/*', (r) => {
  if (r.request().url().startsWith(origin)) return r.continue();
  foreign.push(r.request().url());
  return r.abort();
});

const full = Number(fullRuns);
// the page's state once it has drawn all the runs of its newest change
const settled = (after) => page.waitForFunction(([n, a]) => {
  const s = window.__serve;
  return s && s.last && s.last.runs === n && s.redraws > a;
}, [full, after], { timeout: 120000 });
const snapshot = () => page.evaluate(() => ({
  headline: document.getElementById('headline').textContent,
  charts: [...document.querySelectorAll('.chart svg')].map((s) => s.innerHTML),
  redraws: window.__serve.redraws,
}));

await page.goto(url);
await settled(0);
const before = await snapshot();
c.check(before.headline.includes('exhausted'), `headline drawn: '${before.headline.slice(0, 80)}'`);
c.check(before.charts.length >= 6, `charts drawn: ${before.charts.length}`);
const marks = await page.$$eval('.chart', (els) => els.filter((e) =>
  e.querySelectorAll('svg .role-mark path, svg .role-mark rect').length > 0).length);
c.check(marks >= 6, `charts with marks: ${marks}`);

// US aid to zero: the slider's minimum, by the keyboard
const sel = 'input[data-path="backers.us.budget_scale"]';
c.check(await page.$(sel) !== null, 'a slider for backers.us.budget_scale');
await page.focus(sel);
await page.keyboard.press('Home');
await settled(before.redraws);
const after = await snapshot();
c.check(after.headline !== before.headline,
  `headline changed: '${before.headline.slice(0, 120)}' -> '${after.headline.slice(0, 120)}'`);
const changed = after.charts.filter((h, i) => h !== before.charts[i]).length;
c.check(changed >= 3, `charts redrawn with new data: ${changed} of ${after.charts.length}`);
const here = new URL(page.url());
c.check(here.searchParams.get('backers.us.budget_scale') === '0', `permalink: ${page.url()}`);
c.check((await page.$eval('#status', (e) => e.textContent)).includes(`${full.toLocaleString('en-GB')} of`),
  'status names the runs drawn');

// the permalink restores the setting and its results
const p2 = await browser.newPage();
p2.on('pageerror', (e) => errors.push(String(e)));
await p2.route('**/*', (r) => (r.request().url().startsWith(origin) ? r.continue() : r.abort()));
await p2.goto(page.url());
await p2.waitForFunction((n) => window.__serve && window.__serve.last && window.__serve.last.runs === n,
  full, { timeout: 120000 });
c.check(await p2.$eval(sel, (e) => e.value) === '0', 'permalink restores the slider');
c.check(await p2.$eval('#headline', (e) => e.textContent) === after.headline,
  'permalink gives the same headline (same seed, same runs)');

c.check(errors.length === 0, `console errors: ${errors.join(' | ')}`);
c.check(foreign.length === 0, `fetched outside the server: ${foreign.join(', ')}`);
await browser.close();
console.log(`serve browser: ${c.pass} passed, ${c.fail} failed`);
process.exit(c.fail ? 1 : 0);
