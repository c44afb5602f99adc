#!/usr/bin/env node
// Opens a leakhound HTML report in Debian's chromium (headless, through playwright-core, every request other than
// the file itself aborted), exercises it like a person would, and prints what it saw as one JSON object on stdout.
// The GoogleTest side (src/leakhound/report/html_browser_test.cc) compares that with the JSON report.
//
//   node tests/browser/check_report.js REPORT.html '{"shots": DIR, "name": "analyze", "filter": "...", ...}'
//
// Options (all optional): shots (directory for screenshots), name (their prefix), filter (typed into the table
// filter), uncheck (a verdict whose checkbox is cleared), zoom (exact function name of a frame to click), search
// (typed into the frame search), expandAll (open every row before reading the page text), literals (strings whose
// presence in the page text is reported).
// Exit status: 0 when the page loaded and every step ran (findings are in the JSON), 2 on a usage error or crash.
'use strict';

const path = require('path');
const { chromium } = require('playwright-core');

async function main() {
  const [report, optsText] = process.argv.slice(2);
  if (!report) {
    process.stderr.write('usage: check_report.js REPORT.html [OPTIONS_JSON]\n');
    process.exit(2);
  }
  const opts = optsText ? JSON.parse(optsText) : {};
  const url = 'file://' + path.resolve(report);
  const out = { consoleErrors: [], consoleMessages: [], pageErrors: [], dialogs: [], requests: [], blocked: [] };

  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
           '--disable-component-update', '--disable-sync'],
  });
  try {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, colorScheme: 'light' });
    const page = await context.newPage();
    await page.route('**/*', (route) => {
      const u = route.request().url();
      if (u === url) return route.continue();
      out.blocked.push(u);
      return route.abort();
    });
    page.on('request', (r) => out.requests.push(r.url()));
    page.on('console', (m) => {
      out.consoleMessages.push(m.type() + ': ' + m.text());
      if (m.type() === 'error' || m.type() === 'warning') out.consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => out.pageErrors.push(String(e)));
    page.on('dialog', async (d) => { out.dialogs.push(d.type() + ': ' + d.message()); await d.dismiss(); });

    const t0 = Date.now();
    await page.goto(url, { waitUntil: 'load' });
    await page.waitForFunction(() => window.leakhoundReport !== undefined, null, { timeout: 30000 });
    out.loadWallMs = Date.now() - t0;
    Object.assign(out, await page.evaluate(() => {
      const r = window.leakhoundReport;
      const mark = performance.getEntriesByName('leakhound-rendered')[0];
      const nav = performance.getEntriesByType('navigation')[0];
      return { kind: r.kind, renderMs: r.renderMs, renderedAtMs: mark ? mark.startTime : null,
               domContentLoadedMs: nav ? nav.domContentLoadedEventEnd : null, flameStats: r.flame ? r.flame() : null,
               title: document.title };
    }));

    const rows = () => page.$$eval('#buckets tr.bucket', (trs) => trs.map((tr) => Number(tr.dataset.count)));
    const status = () => page.$eval('#status', (e) => e.textContent).catch(() => null);
    out.cards = await page.$$eval('.card', (cs) => Object.fromEntries(cs.map((c) => [c.dataset.card, c.querySelector('.value').textContent])));
    out.rowCounts = await rows();
    out.rows = out.rowCounts.length;
    out.status = await status();
    out.firstRowCells = await page.$$eval('#buckets tr.bucket:first-child td', (tds) => tds.map((td) => td.textContent));
    if (opts.shots) await page.screenshot({ path: path.join(opts.shots, (opts.name || 'report') + '-light.png'), fullPage: true });

    // Sorting: the count header toggles between descending and ascending.
    if (out.rows > 0) {
      await page.click('#buckets th[data-key="count"]');
      const first = await rows();
      await page.click('#buckets th[data-key="count"]');
      const second = await rows();
      out.sortedByCount = [first, second];
      out.sortAttr = await page.$eval('#buckets th[data-key="count"]', (th) => th.getAttribute('aria-sort'));
    }
    if (opts.filter !== undefined) {
      await page.fill('#filter', opts.filter);
      await page.waitForTimeout(150);  // the filter applies on the next animation frame
      out.filter = { text: opts.filter, rowCounts: await rows(), status: await status() };
      await page.fill('#filter', '');
      await page.waitForTimeout(150);
      out.filter.rowsAfterClear = (await rows()).length;
    }
    if (opts.uncheck) {
      await page.uncheck('#v-' + opts.uncheck);
      out.uncheck = { verdict: opts.uncheck, rowCounts: await rows(),
                      verdictsLeft: await page.$$eval('#buckets tr.bucket td[data-col="verdict"]', (tds) => tds.map((t) => t.textContent)) };
      await page.check('#v-' + opts.uncheck);
    }
    if (out.rows > 0) {
      await page.click('#buckets tr.bucket >> nth=0');
      out.expanded = await page.$eval('#buckets tr.detail', (tr) => ({ text: tr.textContent, frames: tr.querySelectorAll('.stack li').length }));
    }
    if (opts.expandAll) {
      const n = await page.$$eval('#buckets tr.bucket', (trs) => trs.length);
      for (let i = 0; i < n; i++) {
        const expandedAlready = await page.$eval(`#buckets tr.bucket >> nth=${i}`, (tr) => tr.getAttribute('aria-expanded') === 'true').catch(() => true);
        if (!expandedAlready) await page.click(`#buckets tr.bucket >> nth=${i}`);
      }
    }

    // Icicle graph: hover shows a tooltip, a click zooms the frame to the full width, search highlights.
    if (opts.zoom) {
      const frame = await page.$$eval('#flame g.frame', (gs, name) => {
        const g = gs.find((x) => x.getAttribute('data-name') === name);
        return g ? { id: g.dataset.id, width: Number(g.querySelector('rect').getAttribute('width')) } : null;
      }, opts.zoom);
      out.zoom = { name: opts.zoom, found: !!frame };
      if (frame) {
        const sel = `#flame g.frame[data-id="${frame.id}"]`;
        await page.hover(sel);
        out.tooltip = await page.$eval('#tooltip', (t) => (t.hidden ? null : t.textContent));
        await page.click(sel);
        out.zoom.widthBefore = frame.width;
        out.zoom.widthAfter = await page.$eval(sel + ' rect', (r) => Number(r.getAttribute('width')));
        out.zoom.svgWidth = await page.$eval('#flame', (s) => Number(s.getAttribute('width')));
        out.zoom.crumbs = await page.$eval('#flame-crumbs', (c) => c.textContent);
        if (opts.shots) await page.screenshot({ path: path.join(opts.shots, (opts.name || 'report') + '-zoomed.png'), fullPage: true });
        await page.click('#flame-reset');
        out.zoom.widthAfterReset = await page.$eval(sel + ' rect', (r) => Number(r.getAttribute('width')));
        // The same with the keyboard only: Tab until the frame has focus, Enter zooms, Escape zooms back out.
        out.zoom.keyboard = { reached: false };
        await page.focus('#flame-search');
        for (let i = 0; i < 400 && !out.zoom.keyboard.reached; i++) {
          await page.keyboard.press('Tab');
          out.zoom.keyboard.reached = await page.evaluate((id) => document.activeElement && document.activeElement.getAttribute('data-id') === id, frame.id);
        }
        if (out.zoom.keyboard.reached) {
          await page.keyboard.press('Enter');
          out.zoom.keyboard.widthAfterEnter = await page.$eval(sel + ' rect', (r) => Number(r.getAttribute('width')));
          out.zoom.keyboard.focusKept = await page.evaluate((id) => document.activeElement.getAttribute('data-id') === id, frame.id);
          const current = () => page.$eval('#flame-crumbs .crumb.current', (c) => c.textContent);
          out.zoom.keyboard.crumbAfterEnter = await current();
          await page.keyboard.press('Escape');
          out.zoom.keyboard.crumbAfterEscape = await current();
          await page.$eval('#flame-reset', (b) => { if (!b.disabled) b.click(); });  // disabled when back at the top
        }
      }
    }
    if (opts.search) {
      await page.fill('#flame-search', opts.search);
      await page.waitForFunction(() => document.getElementById('flame-match').textContent !== '');
      out.search = { text: opts.search, info: await page.$eval('#flame-match', (e) => e.textContent),
                     highlighted: await page.$$eval('#flame g.frame.match', (gs) => gs.map((g) => g.getAttribute('data-name'))) };
    }

    // Themes: the system preference, then the toggle.
    const bg = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    out.theme = { light: await bg() };
    await page.emulateMedia({ colorScheme: 'dark' });
    out.theme.dark = await bg();
    if (opts.shots) await page.screenshot({ path: path.join(opts.shots, (opts.name || 'report') + '-dark.png'), fullPage: true });
    await page.click('#theme');
    out.theme.toggledFromDark = await bg();
    await page.emulateMedia({ colorScheme: 'light' });

    out.charts = await page.$$eval('svg.chart', (s) => s.length);
    // Axis labels of every chart that overlap another label of the same chart (their text, pairwise).
    out.overlappingLabels = await page.$$eval('svg.chart', (charts) => {
      const found = [];
      for (const c of charts) {
        const boxes = [...c.querySelectorAll('text')].map((t) => [t.textContent, t.getBoundingClientRect()]);
        for (let i = 0; i < boxes.length; i++) {
          for (let j = i + 1; j < boxes.length; j++) {
            const [a, ra] = boxes[i], [b, rb] = boxes[j];
            if (ra.left < rb.right && rb.left < ra.right && ra.top < rb.bottom && rb.top < ra.bottom) found.push(c.id + ': ' + a + ' / ' + b);
          }
        }
      }
      return found;
    });
    out.watchTargets = await page.$$eval('section.watch-target', (s) => s.length);
    out.targetRows = await page.$$eval('#target-table tbody tr', (trs) => trs.map((tr) => tr.dataset.target));
    out.alertMarkers = await page.$$eval('svg.chart g.alert-marker', (g) => g.length);
    out.alertRows = await page.$$eval('table.alert-list tbody tr', (trs) => trs.map((tr) => ({
      cells: [...tr.querySelectorAll('td')].map((td) => td.textContent),
      link: tr.querySelector('a') ? tr.querySelector('a').getAttribute('href') : null,
    })));
    out.legends = await page.$$eval('.legend > span', (s) => s.map((x) => x.textContent));
    out.alertBanner = await page.$$eval('#alert', (s) => (s.length ? s[0].textContent : null));
    out.scripts = await page.$$eval('script', (s) => s.length);
    out.injected = await page.$$eval('img, iframe, object, embed, frame, link:not([rel="icon"]), body style, body script:not([id="data"]):not(:last-of-type)', (es) => es.map((e) => e.outerHTML.slice(0, 200)));
    out.onAttributes = await page.evaluate(() => {
      const found = [];
      for (const e of document.querySelectorAll('*')) for (const a of e.attributes) if (a.name.startsWith('on')) found.push(e.tagName + ' ' + a.name);
      return found;
    });
    const text = await page.evaluate(() => document.body.innerText);
    out.literals = Object.fromEntries((opts.literals || []).map((l) => [l, text.includes(l)]));
    out.xssFlag = await page.evaluate(() => window.__xss === true);
  } finally {
    await browser.close();
  }
  process.stdout.write(JSON.stringify(out) + '\n');
}

main().catch((e) => {
  process.stderr.write(String(e && e.stack || e) + '\n');
  process.exit(2);
});
