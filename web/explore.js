// SPDX-License-Identifier: GPL-3.0-or-later
// truce explore: builds the charts of an exploration from explore.json,
// inlined into #truce-explore by `truce explore` (its own page, body
// data-page="explore") or by `truce report` (a section of the run's
// report, drawn by report.js through window.truceExplore): per
// outcome a tornado chart of the indices with their intervals and the
// seed's share; response curves of each outcome against each lever with
// 5-95% bands; PRIM's coverage-density trade-off with the chosen box, and
// the box's limits against each input's range. Sets
// window.__truceReady = true when every chart has rendered (the browser
// test waits for it). Every text from the file reaches the page through
// Vega's text marks or esc().
(function () {
  'use strict';
  const esc = (s) => (s === null || s === undefined) ? '' : String(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c]));
  const fmt = (v, d = 2) => (v === null || v === undefined) ? 'n/a' : Number(v).toFixed(d);

  // Draw exploration X into element main; returns the charts' promises.
  window.truceExplore = function (X, main) {
    const views = [];
    const TOP = 15;
    const section = (title, note) => {
      const s = document.createElement('section');
      s.innerHTML = `<h2>${esc(title)}</h2>` + (note ? `<p class="note">${esc(note)}</p>` : '');
      const c = document.createElement('div');
      c.className = 'charts';
      s.appendChild(c);
      main.appendChild(s);
      return c;
    };
    let nchart = 0;
    // the title and subtitle as HTML above the view: they wrap, never clip
    const embed = (parent, spec) => {
      const d = document.createElement('figure');
      d.className = 'chart';
      d.id = 'explore-chart-' + (nchart++);
      const t = typeof spec.title === 'object' ? spec.title : { text: spec.title };
      delete spec.title;
      const h = document.createElement('h3');
      h.textContent = t.text || '';
      const sub = document.createElement('p');
      sub.className = 'sub';
      sub.textContent = t.subtitle || '';
      const cap = document.createElement('figcaption');
      cap.append(h, sub);
      const view = document.createElement('div');
      view.className = 'view';
      d.append(cap, view);
      parent.appendChild(d);
      spec.$schema = 'https://vega.github.io/schema/vega-lite/v6.json';
      spec.width = spec.width || 'container';
      spec.autosize = { type: 'fit-x', contains: 'padding' };
      spec.config = { axis: { labelSeparation: 4 } }; // labels never touch
      views.push(vegaEmbed(view, spec, { renderer: 'svg', actions: { export: true, source: false, compiled: false, editor: false } }));
    };

    // ---- sensitivity: a tornado chart per outcome
    const D = X.design;
    const methodNote = {
      sobol: 'Bars: Sobol total index (Jansen 1999), ticks: first-order index (Saltelli et al. 2010); whiskers: 95% bootstrap intervals of the total index. Shares of one run\'s variance.',
      morris: 'Bars: Morris mu* (mean absolute elementary effect, Campolongo et al. 2007, on the unit scale of each input); whiskers: 95% bootstrap interval over trajectories.',
      prcc: 'Bars: partial rank correlation coefficient (Saltelli & Marivoet 1990).',
    };
    const sens = section('What drives each outcome',
      `${D.kind} design: ${D.points} points x ${D.replicates} replicates = ${D.runs} runs over ${D.factors} inputs. ` +
      (X.outcomes.length ? methodNote[X.outcomes[0].method] : '') +
      ' The seed\'s share (a bar beside Sobol indices, the subtitle otherwise) is the part of the variance that chance (the run\'s random draws) adds at fixed inputs (one-way ANOVA over replicates, interval from the F distribution).');
    const constant = X.outcomes.filter((o) => o.constant !== null);
    if (constant.length) {
      const p = document.createElement('p');
      p.className = 'note';
      p.textContent = 'The same in every run (nothing to attribute): ' + constant.map((o) => `${o.outcome} = ${o.constant}`).join(', ');
      sens.parentNode.appendChild(p);
    }
    for (const o of X.outcomes.filter((x) => x.constant === null)) {
      const rows = o.inputs.slice(0, TOP).map((r) => {
        const v = o.method === 'sobol' ? { value: r.st, lo: r.st_lo, hi: r.st_hi, first: r.s1 }
          : o.method === 'morris' ? { value: r.mu_star, lo: r.mu_star_lo, hi: r.mu_star_hi, first: null }
            : { value: r.prcc, lo: null, hi: null, first: null };
        return Object.assign({ input: r.input + (r.lever ? ' (lever)' : ''), kind: r.lever ? 'lever' : 'uncertain number' }, v);
      });
      if (o.seed && o.method === 'sobol') rows.push({ input: 'seed (chance)', kind: 'seed', value: o.seed.share, lo: o.seed.lo, hi: o.seed.hi, first: null });
      const order = rows.map((r) => r.input);
      const title = o.method === 'sobol' ? 'Sobol indices' : o.method === 'morris' ? 'Morris mu*' : 'PRCC';
      embed(sens, {
        title: { text: `${o.outcome}: ${title}`, subtitle: o.seed ? `seed's share ${fmt(o.seed.share)} [${fmt(o.seed.lo)}, ${fmt(o.seed.hi)}]` : 'one replicate: no seed share' },
        height: 18 * rows.length + 20, data: { values: rows },
        encoding: { y: { field: 'input', type: 'nominal', sort: order, title: null, axis: { labelLimit: 320 } } },
        layer: [
          { mark: 'bar', encoding: { x: { field: 'value', type: 'quantitative', title: title }, color: { field: 'kind', type: 'nominal', title: null, legend: { orient: 'bottom' } } } },
          { mark: { type: 'rule', color: '#1d2733' }, transform: [{ filter: 'datum.lo !== null && isFinite(datum.lo)' }], encoding: { x: { field: 'lo', type: 'quantitative' }, x2: { field: 'hi' } } },
          { mark: { type: 'tick', color: '#d62728', thickness: 2 }, transform: [{ filter: 'datum.first !== null' }], encoding: { x: { field: 'first', type: 'quantitative' } } },
        ],
      });
    }

    // ---- response curves against the levers
    if (X.curves.length) {
      const rc = section('Outcomes against each lever', 'Runs grouped by the lever\'s value: line the mean, band 5-95% of the runs, points the median.');
      for (const c of X.curves) {
        const nominal = c.points.length && typeof c.points[0].x === 'string';
        const xenc = { field: 'x', type: nominal ? 'ordinal' : 'quantitative', title: c.lever, sort: null };
        embed(rc, {
          title: `${c.outcome} against ${c.lever}`, height: 220, data: { values: c.points },
          encoding: { x: xenc },
          layer: [
            { mark: { type: nominal ? 'rule' : 'area', opacity: nominal ? 1 : 0.2, strokeWidth: 6 }, encoding: { y: { field: 'p05', type: 'quantitative', title: c.outcome }, y2: { field: 'p95' } } },
            { mark: { type: 'line', point: false }, encoding: { y: { field: 'mean', type: 'quantitative' } } },
            { mark: { type: 'point', filled: true }, encoding: { y: { field: 'p50', type: 'quantitative' } } },
          ],
        });
      }
    }

    // ---- scenario discovery
    const P = X.prim;
    if (P) {
      const ps = section(`Where '${P.condition}' holds: PRIM`,
        `${P.hits} of ${P.runs} runs meet the condition. Peeling trades coverage (share of those runs inside the box) for density (share of the box's runs that meet it); the ringed step is the chosen box (coverage ${fmt(P.coverage)}, density ${fmt(P.density)} after pasting).`);
      const steps = P.steps.map((s) => Object.assign({ chosen: s.step === P.chosen }, s));
      embed(ps, {
        title: 'Coverage against density along the peeling trajectory', height: 240, data: { values: steps },
        layer: [
          { mark: { type: 'line', point: true }, encoding: { x: { field: 'coverage', type: 'quantitative', scale: { domain: [0, 1] } }, y: { field: 'density', type: 'quantitative', scale: { domain: [0, 1] } }, order: { field: 'step' }, tooltip: [{ field: 'step' }, { field: 'mass' }] } },
          { mark: { type: 'point', size: 220, strokeWidth: 3, color: '#d62728' }, transform: [{ filter: 'datum.chosen' }], encoding: { x: { field: 'coverage', type: 'quantitative' }, y: { field: 'density', type: 'quantitative' } } },
        ],
      });
      if (P.box.length) {
        const vals = P.box.map((b) => {
          const span = (b.max - b.min) || 1;
          return { input: b.input, lo: (b.lo - b.min) / span, hi: (b.hi - b.min) / span, text: `${fmt(b.lo, 4)} .. ${fmt(b.hi, 4)} (p ${Number(b.p).toExponential(1)})` };
        });
        embed(ps, {
          title: { text: 'The chosen box: each restricted input\'s limits', subtitle: 'on the input\'s range in the design (0 = its lowest value, 1 = its highest)' },
          height: 26 * vals.length + 20, data: { values: vals },
          encoding: { y: { field: 'input', type: 'nominal', title: null, axis: { labelLimit: 320 } } },
          layer: [
            { mark: { type: 'bar', opacity: 0.15 }, encoding: { x: { datum: 0, type: 'quantitative', scale: { domain: [0, 1] }, title: 'share of the range' }, x2: { datum: 1 } } },
            { mark: { type: 'bar', color: '#2ca02c' }, encoding: { x: { field: 'lo', type: 'quantitative' }, x2: { field: 'hi' } } },
            { mark: { type: 'text', align: 'left', dx: 4, fontSize: 10 }, encoding: { x: { field: 'hi', type: 'quantitative' }, text: { field: 'text' } } },
          ],
        });
      }
      const ks = P.ks.slice(0, TOP);
      embed(ps, {
        title: { text: 'Feature ranking', subtitle: 'Kolmogorov-Smirnov distance: runs that meet the condition against the rest' },
        height: 18 * ks.length + 20, data: { values: ks },
        mark: 'bar', encoding: { y: { field: 'input', type: 'nominal', sort: '-x', title: null, axis: { labelLimit: 320 } }, x: { field: 'ks', type: 'quantitative', title: 'KS distance', scale: { domain: [0, 1] } } },
      });
    }

    return views;
  };

  if (document.body.dataset.page !== 'explore') return; // report.js draws it
  const X = JSON.parse(document.getElementById('truce-explore').textContent);
  const D = X.design;
  const views = window.truceExplore(X, document.getElementById('main'));
  document.getElementById('title').textContent = X.title;
  document.getElementById('subtitle').textContent =
    `${X.scenario}: ${D.kind} design (${D.quasi ? 'quasi-random' : 'pseudo-random'}), ${D.runs} runs, seed ${D.seed}, ${fmt(D.seconds, 1)} s`;
  Promise.all(views).then(() => { window.__truceReady = true; })
    .catch((e) => { window.__truceError = String(e); window.__truceReady = true; console.error(e); });
})();
