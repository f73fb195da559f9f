// SPDX-License-Identifier: GPL-3.0-or-later
// Opens an exploration's page in headless Chromium: every chart (a
// tornado per varying outcome, the response curves, PRIM's trade-off,
// box and feature ranking) must render with marks, the tornado's top
// input must be explore.json's, and there must be no console or page
// errors. usage: node explore_test.mjs EXPLORE.html SCREENSHOT.png WEB_DIR
import { openPage, counter, chartMarks } from './common.mjs';

const [file, shot, web] = process.argv.slice(2);
const c = counter(), check = c.check;
const { browser, page, errors } = await openPage(file, web);
check(!(await page.evaluate(() => window.__truceError)), 'a chart failed: ' + await page.evaluate(() => window.__truceError));
const X = await page.evaluate(() => JSON.parse(document.getElementById('truce-explore').textContent));
const varying = X.outcomes.filter((o) => o.constant === null);
const want = varying.length + X.curves.length + (X.prim ? 2 + (X.prim.box.length ? 1 : 0) : 0);
const charts = await chartMarks(page);
check(X.curves.length > 0, 'no response curves (is there a lever?)');
check(X.prim !== null, 'no PRIM section (is there a condition?)');
check(charts.length === want, `${charts.length} charts, expected ${want}`);
for (const ch of charts) check(ch.marks > 0, `chart ${ch.id} has no marks`);
const svg0 = await page.$eval('.chart svg', (e) => e.textContent);
check(svg0.includes(varying[0].inputs[0].input), `the first tornado lacks ${varying[0].inputs[0].input}`);
if (varying[0].seed && varying[0].method === 'sobol') check(svg0.includes('seed (chance)'), 'the first tornado lacks the seed\'s bar');
check(errors.length === 0, 'console errors: ' + errors.join(' | '));
await page.screenshot({ path: shot, fullPage: true });
await browser.close();
console.log(`browser (explore): ${c.pass} passed, ${c.fail} failed`);
process.exit(c.fail ? 1 : 0);
