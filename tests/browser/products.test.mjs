// Proves the regulator's product registry page in a real browser against a real server: a
// product with its pack and piece content is registered and listed, a bad GTIN gets the
// server's reason on the page, and the page works in Chinese and English at 1280×800 and on a
// 390×844 phone without horizontal scrolling.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { launch, openPage, screenshot, signIn } from './lib/browser.mjs';
import { seed } from './lib/seed.mjs';
import { startServer } from './lib/server.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const kGtin = '06901234567915';  // GS1 check digit 5

async function withServer(body) {
  const server = await startServer();
  try {
    await body(server, await seed(server));
  } catch (e) {
    e.message += `\n--- foodtrace serve stderr (tail) ---\n${server.stderr().slice(-3000)}`;
    throw e;
  } finally {
    await server.stop();
  }
}

async function register(page, { gtin, name, packs = '', piece = '' }) {
  await page.locator('#gtin').fill(gtin);
  await page.locator('#name').fill(name);
  await page.locator('#specification').fill('250ml');
  await page.locator('#shelf_life_days').fill('180');
  await page.locator('#packs').fill(packs);
  await page.locator('#piece').fill(piece);
  await page.locator('#product-form button[type=submit]').click();
}

test('a regulator registers a product with its pack and sees it listed, in Chinese then English', async () => {
  await withServer(async (server, data) => {
    const page = await openPage(browser, { viewport: { width: 1280, height: 800 } });
    await page.goto(`${server.http}/products.html`);
    await signIn(page, data.regulatorToken);
    await page.locator('#list .empty, #list table').first().waitFor();
    await register(page, { gtin: kGtin, name: '酸奶', packs: '箱=24 H87', piece: '0.25 LTR' });
    await page.locator('#result .notice.ok').waitFor();
    assert.match(await page.locator('#result').innerText(), /已登记/);
    const row = page.locator(`#list tr[data-product="${kGtin}"]`);
    await row.waitFor();
    assert.match(await row.innerText(), /酸奶[\s\S]*箱 = 24 件[\s\S]*250 毫升/);
    assert.equal(await page.locator('nav a[aria-current=page]').innerText(), '商品档案');
    await screenshot(page, 'products-zh');

    // The server's reason for a bad GTIN, shown on the page.
    await register(page, { gtin: '06901234567916', name: '错误条码' });
    await page.locator('#result .notice.error').waitFor();
    assert.equal(await page.locator('#result .notice.error').getAttribute('data-code'), 'GTIN_CHECK_DIGIT');
    assert.match(await page.locator('#result').innerText(), /校验位/);

    await page.locator('button[data-lang=en]').click();
    await page.locator('h1', { hasText: 'Product registry' }).waitFor();
    assert.match(await row.innerText(), /箱 = 24 pieces[\s\S]*250 ml/);
    assert.doesNotMatch(await page.locator('form').innerText(), /[\u4e00-\u9fff]{2}/, 'form labels in English');
    await screenshot(page, 'products-en');
    // The browser logs the refused registration's 422 itself; nothing else may be logged.
    assert.deepEqual(page.problems.filter((p) => !/status of 422/.test(p)), []);
    await page.context().close();
  });
});

test('the product registry fits a phone: no horizontal scroll at 390×844', async () => {
  await withServer(async (server, data) => {
    const page = await openPage(browser, { viewport: { width: 390, height: 844 } });
    await page.goto(`${server.http}/products.html`);
    await signIn(page, data.regulatorToken);
    await register(page, { gtin: kGtin, name: '酸奶', packs: '箱=24 H87' });
    await page.locator(`#list tr[data-product="${kGtin}"]`).waitFor();
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 390, `products page is ${width} px wide`);
    const box = await page.locator('#product-form button[type=submit]').boundingBox();
    assert.ok(box.height >= 44, 'the save button is a large tap target');
    await screenshot(page, 'phone-products');
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });
});
