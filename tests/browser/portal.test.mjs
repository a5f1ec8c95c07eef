// Proves the portal's web pages work in a real browser against a real `foodtrace serve`: a
// consumer sees a recalled lot's red banner in Chinese and English, a regulator sees an alert
// arrive live when a recall is issued from the CLI, and the trace graph draws every party.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { launch, openPage, screenshot, signIn } from './lib/browser.mjs';
import { addDays, milk, parties, recallMilk, seed } from './lib/seed.mjs';
import { startServer } from './lib/server.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

// Runs `body(server, data)` against a fresh server with the seeded data, then stops it.
async function withServer(body, options) {
  const server = await startServer(options);
  try {
    await body(server, await seed(server));
  } catch (e) {
    e.message += `\n--- foodtrace serve stderr (tail) ---\n${server.stderr().slice(-3000)}`;
    throw e;
  } finally {
    await server.stop();
  }
}

const noProblems = (page) => assert.deepEqual(page.problems, [], 'the page logged errors');
// The value of an input once the page's script has filled it (it asks the server for the clock
// and the session first).
async function filledValue(page, selector) {
  await page.waitForFunction((sel) => document.querySelector(sel)?.value, selector);
  return page.locator(selector).inputValue();
}
const background = (locator) => locator.evaluate((el) => getComputedStyle(el).backgroundColor);
const kRed = 'rgb(179, 38, 30)';

describe('consumer', () => {
  test('a consumer looks up a recalled lot and sees the red banner, in Chinese and then in English', async () => {
    await withServer(async (server, data) => {
      await recallMilk(server, data.regulatorKey);
      const page = await openPage(browser);
      await page.goto(`${server.http}/`);
      await page.locator('#code').fill(`(01)${milk.gtin14}(10)${milk.lot}`);
      await page.locator('#lookup-form button[type=submit]').click();
      const banner = page.locator('[data-testid=verdict]');
      await banner.waitFor();
      assert.equal(await banner.getAttribute('data-verdict'), 'recalled');
      assert.equal(await background(banner), kRed);
      assert.match(await banner.innerText(), /召回/);
      assert.equal(await page.locator('html').getAttribute('lang'), 'zh-CN');
      // Origin chain: the wholesaler with its licence.
      await page.locator('[data-testid=chain] li[data-party-id=S1]').waitFor();
      assert.match(await page.locator('[data-testid=chain]').innerText(), /JY13301020012345/);
      assert.match(await page.locator('dl.facts').first().innerText(), /生产日期[\s\S]*保质期至/);
      await screenshot(page, 'lot-recalled-zh');

      await page.locator('button[data-lang=en]').click();
      await page.locator('[data-testid=verdict]', { hasText: 'Recalled' }).waitFor();
      assert.equal(await background(page.locator('[data-testid=verdict]')), kRed);
      assert.doesNotMatch(await page.locator('main').innerText(), /召回|生产日期/);
      assert.equal(await page.locator('html').getAttribute('lang'), 'en');
      await screenshot(page, 'lot-recalled-en');

      // The choice is remembered, and the Digital Link route serves the same page.
      await page.goto(`${server.http}/01/${milk.gtin14}/10/${milk.lot}`);
      await page.locator('[data-testid=verdict][data-verdict=recalled]', { hasText: 'Recalled' }).waitFor();
      noProblems(page);
      await page.context().close();
    });
  });

  test('the lookup page fits a phone: no horizontal scroll at 390×844', async () => {
    await withServer(async (server) => {
      const page = await openPage(browser, { viewport: { width: 390, height: 844 } });
      await page.goto(`${server.http}/index.html`);
      await page.locator('#code').waitFor();
      const width = () => page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(await width() <= 390, `lookup page is ${await width()} px wide`);
      const box = await page.locator('#lookup-form button[type=submit]').boundingBox();
      assert.ok(box.height >= 44, 'the lookup button is a large tap target');
      await screenshot(page, 'phone-lookup');
      await page.locator('#code').fill(`(01)${milk.gtin14}(10)${milk.lot}`);
      await page.locator('#lookup-form button[type=submit]').click();
      await page.locator('[data-testid=verdict][data-verdict=ok]').waitFor();
      await page.locator('[data-testid=chain] li').first().waitFor();
      assert.ok(await width() <= 390, `lot page is ${await width()} px wide`);
      await screenshot(page, 'phone-lot');
      noProblems(page);
      await page.context().close();
    });
  });

  test('the recalls and published test results pages list what the server has', async () => {
    await withServer(async (server, data) => {
      await recallMilk(server, data.regulatorKey);
      const page = await openPage(browser);
      await page.goto(`${server.http}/recalls.html`);
      await page.locator('li[data-recall-id]', { hasText: '菌落总数超标' }).waitFor();
      await screenshot(page, 'recalls');
      await page.goto(`${server.http}/test-results.html`);
      await page.locator('#list table, #list .empty').first().waitFor();
      await screenshot(page, 'test-results');
      noProblems(page);
      await page.context().close();
    });
  });
});

describe('regulator', () => {
  test('a regulator page shows an alert appear live when a recall is issued from the CLI', async () => {
    await withServer(async (server, data) => {
      const page = await openPage(browser);
      await page.goto(`${server.http}/alerts.html`);
      await signIn(page, data.regulatorToken);
      await page.locator('#live[data-state=open]').waitFor();
      assert.equal(await page.locator('#alerts li[data-kind=RECALLED_IN_STOCK]').count(), 0);
      await page.evaluate(() => { window.notReloaded = true; });

      await recallMilk(server, data.regulatorKey);
      const v1 = page.locator('#alerts li[data-kind=RECALLED_IN_STOCK][data-party-id=V1]', { hasText: milk.gtin14 });
      await v1.waitFor();
      assert.equal(await page.evaluate(() => window.notReloaded), true, 'the alert came without a reload');
      assert.equal(await page.locator('#alerts li').first().getAttribute('data-kind'), 'RECALLED_IN_STOCK',
        'the new alert is at the top');
      assert.match(await page.locator('[data-testid=who]').innerText(), /监管人员/);
      await screenshot(page, 'alerts-live');

      // Acknowledge it from the page.
      await v1.locator('button[data-action=ack]').click();
      // Acknowledged alerts leave the list of open ones.
      await v1.waitFor({ state: 'detached' });
      await page.locator('#state').selectOption('ACKNOWLEDGED');
      await page.locator('#alerts li[data-state=ACKNOWLEDGED][data-party-id=V1]', { hasText: milk.gtin14 }).waitFor();
      // Cards name the party, its stall and its market, not only their ids.
      assert.match(await page.locator('#alerts li[data-party-id=V1]').first().innerText(), /张记副食[\s\S]*东门农贸市场[\s\S]*A-12/);
      noProblems(page);
      await page.context().close();
    });
  });

  test('the trace graph renders a node for every recorded party and marks the transformed lot', async () => {
    await withServer(async (server, data) => {
      const page = await openPage(browser);
      await page.goto(`${server.http}/trace.html?gtin=${milk.gtin14}&lot=${milk.lot}`);
      await signIn(page, data.regulatorToken);
      const graph = page.locator('svg[data-testid=trace-graph]');
      await graph.waitFor();
      for (const id of parties) {
        assert.equal(await graph.locator(`g.node[data-party-id="${id}"]`).count(), 1, `a node for ${id}`);
      }
      assert.ok(await graph.locator('g.edge.transformed').count() >= 1, 'the pudding flow is drawn as a transformed lot');
      assert.ok(await graph.locator('g.node.transformer[data-party-id=V1]').count() === 1, 'V1 is marked as transforming');
      assert.match(await graph.innerHTML(), /24/);
      await screenshot(page, 'trace-graph');
      noProblems(page);
      await page.context().close();
    });
  });

  test('recall issuing, progress, ledger, inspection list and statistics pages render', async () => {
    await withServer(async (server, data) => {
      const page = await openPage(browser);
      await page.goto(`${server.http}/recall-issue.html`);
      await signIn(page, data.regulatorToken);
      await page.locator('#gtin').fill(milk.gtin14);
      await page.locator('#lots').fill(milk.lot);
      await page.locator('#reason').fill('标签标注不符合规定');
      await page.locator('input[name=level][value=II]').check();
      await screenshot(page, 'recall-issue');
      await page.locator('#recall-form button[type=submit]').click();
      await page.locator('#confirm-yes').click();
      const done = page.locator('#result .notice.ok[data-recall-id]');
      await done.waitFor();
      const recallId = await done.getAttribute('data-recall-id');
      await done.locator('a').click();
      await page.locator(`#progress section[data-recall-id="${recallId}"]`).waitFor();
      await page.locator('#progress tr[data-party-id=V1]').first().waitFor();
      await screenshot(page, 'recall-progress');

      await page.goto(`${server.http}/ledger.html?party=V1`);
      await page.locator('#ledger tr[data-kind=RECEIVE]').waitFor();
      await screenshot(page, 'ledger');
      await page.goto(`${server.http}/inspections.html`);
      await page.locator('#plan tr[data-party-id], #plan .empty').first().waitFor();
      await screenshot(page, 'inspections');
      await page.goto(`${server.http}/statistics.html`);
      await page.locator('#stats svg[data-testid=chart-alerts-per-day]').waitFor();
      await screenshot(page, 'statistics');
      noProblems(page);
      await page.context().close();
    });
  });
});

describe('vendor', () => {
  test('a vendor sees stock with recall flags and records a purchase; a bad GTIN shows the server\'s reason', async () => {
    await withServer(async (server, data) => {
      await recallMilk(server, data.regulatorKey);
      const page = await openPage(browser);
      await page.goto(`${server.http}/stock.html`);
      await signIn(page, data.vendorToken);
      await page.locator(`#stock tr[data-lot="${milk.lot}"][data-status=recalled]`).waitFor();
      await page.locator('#recalls li[data-recall-id]').waitFor();
      await screenshot(page, 'vendor-stock');

      await page.goto(`${server.http}/entry.html`);
      const fillEntry = async (gtin) => {
        await page.locator('#gtin').fill(gtin);
        await page.locator('#lot').fill('B0901');
        await page.locator('#name').fill('酸奶');
        await page.locator('#spec').fill('200g');
        await page.locator('#produced_on').fill(data.today);
        await page.locator('#expires_on').fill(addDays(data.today, 20));
        await page.locator('#quantity').fill('12');
        await page.locator('#counterparty').fill('S1');
        await page.locator('#entry-form button[type=submit]').click();
      };
      await fillEntry('6901234567915');
      await page.locator('#entry-result .notice.ok').waitFor();
      await fillEntry('6901234567916');
      const rejected = page.locator('#entry-result .notice.error');
      await rejected.waitFor();
      assert.match(await rejected.innerText(), /GTIN/);
      await screenshot(page, 'vendor-entry-rejected');
      // The rejected POST is logged by the browser as a failed resource (422); nothing else.
      assert.deepEqual(page.problems.filter((p) => !/status of 422/.test(p)), []);
      await page.context().close();
    });
  });
});

describe('market clock', () => {
  // The server's clock is set to each side of the market's midnight; the browser runs in UTC,
  // which is still on the previous day at 00:30 Shanghai time. Pages and CLI must agree.
  for (const [instant, marketDay] of [['2026-12-04T23:30:00+08:00', '2026-12-04'], ['2026-12-05T00:30:00+08:00', '2026-12-05']]) {
    test(`at ${instant.slice(11, 16)} market time the pages and the CLI agree that today is ${marketDay}`, async () => {
      await withServer(async (server, data) => {
        assert.equal(data.today, marketDay, 'the server\'s clock is the test clock');
        const page = await openPage(browser, { timezoneId: 'UTC' });
        await page.goto(`${server.http}/ledger.html?party=V1`);
        await signIn(page, data.regulatorToken);
        // The CLI recorded without --date: its entries carry the server's today, and the page's
        // default period (the last 30 market days) shows them.
        const row = page.locator('#ledger tr[data-kind=RECEIVE]');
        await row.waitFor();
        assert.match(await row.innerText(), new RegExp(marketDay));
        assert.equal(await page.locator('#to').inputValue(), marketDay);
        assert.equal(await page.locator('#from').inputValue(), addDays(marketDay, -29));
        await page.goto(`${server.http}/statistics.html`);
        assert.equal(await filledValue(page, '#to'), marketDay);
        await page.goto(`${server.http}/inspections.html`);
        assert.equal(await filledValue(page, '#i-date'), marketDay);
        noProblems(page);
        await page.context().close();

        const vendor = await openPage(browser, { timezoneId: 'UTC' });
        await vendor.goto(`${server.http}/entry.html`);
        await signIn(vendor, data.vendorToken);
        assert.equal(await filledValue(vendor, '#date'), marketDay, 'the entry form pre-fills the market\'s today');
        noProblems(vendor);
        await vendor.context().close();
      }, { args: ['--test-clock', instant] });
    });
  }
});
