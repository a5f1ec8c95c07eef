// What every page must satisfy in the browser tests, as functions a test calls on a loaded
// page: the document never scrolls sideways, the key cells of each table row are on screen, no
// request failed, axe-core finds no serious or critical violation, and an error banner on a
// 中文 page holds no Latin-only sentence.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const axePath = require.resolve('axe-core/axe.min.js');

// Throws unless the document is at most as wide as the viewport.
export async function assertNoOverflow(page, what) {
  const { scroll, width } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth, width: window.innerWidth,
  }));
  assert.ok(scroll <= width, `${what}: the document is ${scroll} px wide in a ${width} px viewport`);
}

// Every cell of the first rows of each table lies inside the viewport horizontally and is not
// collapsed: on a phone the rows are cards, so quantity, expiry and status must be visible.
export async function assertCellsVisible(page, what) {
  const off = await page.evaluate(() => {
    const bad = [];
    for (const table of document.querySelectorAll('main table')) {
      for (const tr of [...table.querySelectorAll('tbody tr')].slice(0, 3)) {
        for (const td of tr.querySelectorAll('td')) {
          const r = td.getBoundingClientRect();
          if (r.width < 1 || r.height < 1 || r.left < -1 || r.right > window.innerWidth + 1) {
            bad.push(`${td.dataset.col || td.cellIndex}: ${Math.round(r.left)}–${Math.round(r.right)}`);
          }
        }
      }
    }
    return bad;
  });
  assert.deepEqual(off, [], `${what}: table cells off screen or hidden`);
}

// Runs axe-core in the page; returns the serious and critical violations as readable lines.
export async function axeViolations(page) {
  await page.addScriptTag({ path: axePath });
  const result = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
  });
  return result;
}

// The text of every error banner on the page without the error code elements, split into
// sentences; returns those that contain Latin letters and no Chinese character.
export async function latinSentences(page) {
  return page.evaluate(() => {
    const out = [];
    for (const el of document.querySelectorAll('.notice.error, [role=alert]')) {
      const copy = el.cloneNode(true);
      for (const code of copy.querySelectorAll('code')) code.remove();
      for (const s of copy.textContent.split(/[。！？!?\n]|\.\s/)) {
        if (/[A-Za-z]{2,}/.test(s) && !/[\u4e00-\u9fff]/.test(s)) out.push(s.trim());
      }
    }
    return out;
  });
}

// Collects failed requests: network errors and HTTP ≥ 400. A request the browser cancelled
// because the page was left (net::ERR_ABORTED, e.g. the alert stream) did not fail.
export function watchRequests(page) {
  const failed = [];
  page.on('requestfailed', (r) => {
    if (r.failure()?.errorText !== 'net::ERR_ABORTED') failed.push(`${r.method()} ${r.url()}: ${r.failure()?.errorText}`);
  });
  page.on('response', (r) => {
    if (r.status() >= 400) failed.push(`${r.request().method()} ${r.url()}: HTTP ${r.status()}`);
  });
  return failed;
}
