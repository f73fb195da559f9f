// SPDX-License-Identifier: GPL-3.0-or-later
// Opens a truce comparison page in headless Chromium (common.mjs): both charts render
// with marks, the exhaustion chart has a curve per run and side, the
// window chart has A's and B's "opened by" and "open now" lines, the assumption that changed is listed, and there are no console
// or page errors. usage: node compare_test.mjs COMPARE.html PATH WEB_DIR
import { openPage, counter, chartMarks } from './common.mjs';

const [file, changed, web] = process.argv.slice(2);
const c = counter(), check = c.check;
const { browser, page, errors } = await openPage(file, web);
const charts = await chartMarks(page);
const sides = await page.evaluate(() => [...new Set(JSON.parse(document.getElementById('d').textContent)
  .filter((d) => d.kind === 'exhaustion').map((d) => `${d.run} ${d.side}`))].sort());
check(sides.length === 4, 'exhaustion curves: ' + sides.join(', '));
check(charts.length === 2, `${charts.length} charts, expected 2`);
for (const c of charts) check(c.marks > 0, `chart ${c.id} has no marks`);
const runs = await page.evaluate(() => [...new Set(JSON.parse(document.getElementById('d').textContent)
  .filter((d) => d.kind === 'window').map((d) => `${d.run}: ${d.what}`))].sort());
check(JSON.stringify(runs) === JSON.stringify(['A: open now', 'A: opened by', 'B: open now', 'B: opened by']),
  'window lines: ' + runs.join(', '));
check((await page.content()).includes(changed), `the page does not list ${changed}`);
check(errors.length === 0, 'console errors: ' + errors.join(' | '));
await browser.close();
console.log(`browser (compare): ${c.pass} passed, ${c.fail} failed`);
process.exit(c.fail ? 1 : 0);
