// Proves every page of the portal finishes loading on a phone (390×844) and a desk (1280×800),
// in 中文 and in English, against one real seeded `foodtrace serve` with a recall issued: the
// document never scrolls sideways, every cell of the first table rows is on screen, nothing is
// logged as an error, no request fails, axe-core finds no serious or critical violation, and
// each page's modules are all preloaded (no script waterfall). Saves a screenshot of each and
// reports each page's time to content (measured, not asserted).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { launch, openPage, screenshot, screenshotDir } from './lib/browser.mjs';
import { assertCellsVisible, assertNoOverflow, axeViolations, watchRequests } from './lib/checks.mjs';
import { milk, recallMilk, seed } from './lib/seed.mjs';
import { startServer, webDir } from './lib/server.mjs';

let browser;
let server;
let data;
let recallId;
const timings = [];
const sessions = {};  // audience → the ft_session cookie value a sign-in set

before(async () => {
  browser = await launch();
  server = await startServer();
  data = await seed(server);
  await recallMilk(server, data.regulatorKey);
  recallId = (await (await fetch(`${server.http}/api/v1/recalls`)).json()).recalls[0].recall_id;
  // Signed in once per audience, as the sign-in form does (POST /api/v1/session); each page is
  // then opened in a fresh browser context holding that cookie, so no visit leaves idle
  // connections or a live alert stream behind for the next one.
  for (const [audience, token] of [['regulator', data.regulatorToken], ['vendor', data.vendorToken]]) {
    const res = await fetch(`${server.http}/api/v1/session`, { method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ token }) });
    assert.equal(res.status, 201);
    sessions[audience] = /ft_session=([^;]+)/.exec(res.headers.get('set-cookie'))[1];
  }
});
after(async () => {
  await browser?.close();
  await server?.stop();
  if (timings.length) {
    fs.writeFileSync(path.join(screenshotDir, 'time-to-content.json'), `${JSON.stringify(timings, null, 1)}\n`);
    const rows = timings.map((r) => `${r.page.padEnd(28)} ${`${r.width}`.padStart(5)} ${r.lang}  ${`${r.ms}`.padStart(5)} ms`);
    console.log(`time to content (loopback, seeded demo data):\n${rows.join('\n')}`);
  }
});

// [name, audience, path, selector that shows the page's content is there]
const pages = () => [
  ['lookup', 'public', '/index.html', '#code'],
  ['lot', 'public', `/lot.html?code=${encodeURIComponent(`(01)${milk.gtin14}(10)${milk.lot}`)}`, '[data-testid=chain] .node'],
  ['lot-gtin-only', 'public', `/lot.html?code=${milk.gtin}`, '[data-testid=lots] li'],
  ['recalls', 'public', '/recalls.html', '#list li[data-recall-id]'],
  ['test-results', 'public', '/test-results.html', '#list table, #list .empty'],
  ['alerts', 'regulator', '/alerts.html', '#overview [data-testid=by-recall] li'],
  ['recall-issue', 'regulator', '/recall-issue.html', '#levels input'],
  ['recall-progress', 'regulator', `/recall-progress.html?id=${encodeURIComponent(recallId)}`, '#progress tr[data-party-id]'],
  ['recall-progress-list', 'regulator', '/recall-progress.html', '#progress li a'],
  ['trace', 'regulator', `/trace.html?gtin=${milk.gtin14}&lot=${milk.lot}`, 'svg[data-testid=trace-graph]'],
  ['ledger', 'regulator', '/ledger.html?party=V1', '#ledger tr[data-kind]'],
  ['inspections', 'regulator', '/inspections.html', '#plan tr[data-party-id]'],
  ['statistics', 'regulator', '/statistics.html', '#stats svg[data-testid=chart-alerts-per-day]'],
  ['stock', 'vendor', '/stock.html', '#stock tr[data-lot]'],
  ['entry', 'vendor', '/entry.html', '#entry-form #quantity'],
];

for (const viewport of [{ width: 1280, height: 800 }, { width: 390, height: 844 }]) {
  for (const lang of ['zh', 'en']) {
    describe(`every page at ${viewport.width}×${viewport.height} in ${lang}`, () => {
      // A fresh context per page, in the language and (for regulator and vendor pages) with
      // the audience's session cookie.
      async function tab(audience, selector) {
        const page = await openPage(browser, { viewport, locale: lang === 'zh' ? 'zh-CN' : 'en-GB' });
        await page.context().addInitScript((l) => localStorage.setItem('foodtrace.lang', l), lang);
        // Time to content, measured in the page: the first moment the content selector matches,
        // from the start of the navigation (performance.now()).
        await page.context().addInitScript((sel) => {
          const seen = () => { if (window.__ttcMs === undefined && document.querySelector(sel)) window.__ttcMs = performance.now(); };
          new MutationObserver(seen).observe(document, { childList: true, subtree: true, attributes: true });
        }, selector);
        if (sessions[audience]) {
          await page.context().addCookies([{ name: 'ft_session', value: sessions[audience], url: server.http,
            httpOnly: true, sameSite: 'Strict' }]);
        }
        page.failed = watchRequests(page);
        return page;
      }

      for (const [name, audience, , selector] of pages()) {
        test(`${name} fits, shows its content, and has no serious accessibility violation`, async () => {
          const [, , url] = pages().find(([n]) => n === name);
          const page = await tab(audience, selector);
          await page.goto(`${server.http}${url}`);
          await page.locator(selector).first().waitFor();
          timings.push({ page: name, width: viewport.width, lang, ms: Math.round(await page.evaluate(() => window.__ttcMs ?? performance.now())) });
          assert.equal(await page.locator('html').getAttribute('lang'), lang === 'zh' ? 'zh-CN' : 'en');
          await assertNoOverflow(page, name);
          await assertCellsVisible(page, name);
          await screenshot(page, `page-${name}-${viewport.width}-${lang}`);
          assert.deepEqual(await axeViolations(page), [], `${name}: axe-core`);
          assert.deepEqual(page.problems, [], `${name}: console errors`);
          assert.deepEqual(page.failed, [], `${name}: failed requests`);
          await page.context().close();
        });
      }
    });
  }
}

describe('scripts', () => {
  // The module graph of each page, from the sources: every module a page imports (directly or
  // not) is named by a <link rel=modulepreload> in its HTML, so the browser asks for all of them
  // at once instead of discovering them import by import.
  const importsOf = (file, seen = new Set()) => {
    if (seen.has(file)) return seen;
    seen.add(file);
    const src = fs.readFileSync(path.join(webDir, file), 'utf8');
    for (const m of src.matchAll(/^import\s[^;]*?from\s+'([^']+)'/gm)) {
      importsOf(path.posix.normalize(path.posix.join(path.posix.dirname(file), m[1])), seen);
    }
    return seen;
  };
  for (const html of fs.readdirSync(webDir).filter((f) => f.endsWith('.html'))) {
    test(`${html} preloads its whole module graph`, () => {
      const text = fs.readFileSync(path.join(webDir, html), 'utf8');
      const entry = /<script type="module" src="\/([^"]+)"/.exec(text);
      assert.ok(entry, `${html} has a module script`);
      const preloaded = new Set([...text.matchAll(/<link rel="modulepreload" href="\/([^"]+)"/g)].map((m) => m[1]));
      const graph = [...importsOf(entry[1])].filter((f) => f !== entry[1]);
      assert.deepEqual(graph.filter((f) => !preloaded.has(f)), [], `${html}: modules not preloaded`);
    });
  }
});
