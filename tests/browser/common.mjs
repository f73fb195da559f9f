// SPDX-License-Identifier: GPL-3.0-or-later
// Shared by the browser tests: Debian's Chromium driven by playwright-core
// (from web/node_modules), a page that may not use the network, console
// and page errors collected, and pass/fail counting.
import { createRequire } from 'node:module';
import path from 'node:path';

export async function openPage(file, webDir) {
  const require = createRequire(path.resolve(webDir || '.', 'package.json'));
  const { chromium } = require('playwright-core');
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  // A truce page must not need the network.
  await page.route('**/*', (r) => r.request().url().startsWith('file:') ? r.continue() : r.abort());
  await page.goto('file://' + path.resolve(file));
  await page.waitForFunction(() => window.__truceReady === true, null, { timeout: 60000 });
  return { browser, page, errors };
}

export function counter() {
  const c = { pass: 0, fail: 0 };
  c.check = (ok, what) => { if (ok) c.pass++; else { c.fail++; console.log('FAIL: ' + what); } };
  return c;
}

// Every .chart element with its number of drawn marks.
export async function chartMarks(page) {
  return page.$$eval('.chart', (els) => els.map((e) => ({
    id: e.id, marks: e.querySelectorAll('svg .role-mark path, svg .role-mark rect, svg .role-mark text').length })));
}
