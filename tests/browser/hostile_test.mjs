// SPDX-License-Identifier: GPL-3.0-or-later
// Opens a report whose scenario carries hostile text in its name, sources
// and claimants, and a comparison page built from a store with hostile
// side names and sources (run.sh makes them): both must render, run no
// injected script (window.__pwned stays unset), gain no element from the
// data (no <img>, no #injected), and show the hostile name as text.
// usage: node hostile_test.mjs REPORT.html COMPARE.html NAME WEB_DIR
import { openPage, counter, chartMarks } from './common.mjs';

const [report, compare, name, web] = process.argv.slice(2);
const c = counter(), check = c.check;
for (const [file, what] of [[report, 'report'], [compare, 'compare']]) {
  const { browser, page, errors } = await openPage(file, web);
  check(await page.evaluate(() => window.__pwned === undefined), `${what}: injected script ran`);
  check(await page.evaluate(() => document.querySelectorAll('main img, header img, #injected, #assumptions svg, #meta svg, #headline svg').length === 0),
    `${what}: an element was injected`);
  const charts = await chartMarks(page);
  // the comparison's window chart is empty without a negotiation
  check(charts.length >= 2 && charts.filter((x) => x.marks > 0).length >= (what === 'report' ? charts.length : 1),
    `${what}: charts did not render: ` + JSON.stringify(charts));
  if (what === 'report') {
    check(await page.$eval('#title', (e) => e.textContent) === name, 'report: the title is not the name as text');
    const cells = await page.$$eval('#assumptions td', (t) => t.map((x) => x.textContent));
    check(cells.some((x) => x.includes('onerror=')), 'report: the hostile source is not shown as text');
  } else {
    check((await page.$$eval('td', (t) => t.map((x) => x.textContent))).some((x) => x.includes('<b id=injected>')),
      'compare: the hostile source is not shown as text');
  }
  check(errors.length === 0, `${what}: console errors: ` + errors.join(' | '));
  await browser.close();
}
console.log(`browser (hostile): ${c.pass} passed, ${c.fail} failed`);
process.exit(c.fail ? 1 : 0);
