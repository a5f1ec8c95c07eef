// Proves every error a page can show is worded in the page's language: each error path of the
// consumer, vendor and regulator pages is walked in 中文 against one real server, and the test
// fails if an error banner holds a sentence in Latin letters only (the error code itself, in
// its <code> element, is allowed beside the Chinese sentence).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { launch, openPage, signIn } from './lib/browser.mjs';
import { latinSentences } from './lib/checks.mjs';
import { addDays, milk, seed } from './lib/seed.mjs';
import { startServer } from './lib/server.mjs';

let browser;
let server;
let data;
before(async () => {
  browser = await launch();
  server = await startServer();
  data = await seed(server);
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

// The banner with `code` is shown, worded in Chinese, with no Latin-only sentence.
async function assertChinese(page, code, where = '') {
  const banner = page.locator(`${where} .notice.error[data-code="${code}"], ${where} [role=alert][data-code="${code}"]`).first();
  await banner.waitFor();
  const text = await banner.innerText();
  assert.match(text, /[\u4e00-\u9fff]/, `${code}: ${text}`);
  assert.deepEqual(await latinSentences(page), [], `${code}: Latin-only sentences in an error banner`);
  return text;
}

describe('consumer errors in 中文', () => {
  test('a mistyped, an unreadable and a non-product code, and photos that cannot be read', async () => {
    const page = await openPage(browser);
    for (const [code, expected] of [['6901234567891', 'GTIN_CHECK_DIGIT'], ['hello world', null],
      ['(00)106141412345678908', null]]) {
      const response = page.waitForResponse((r) => r.url().includes('/api/v1/lookup?'));
      await page.goto(`${server.http}/lot.html?code=${encodeURIComponent(code)}`);
      const body = await (await response).json();
      const got = expected || body.error.code;
      assert.ok(got, `the lookup of ${code} is an error`);
      const text = await assertChinese(page, got);
      if (got === 'GTIN_CHECK_DIGIT') assert.match(text, /应为 2，输入的是 1/);
    }
    await page.goto(`${server.http}/`);
    await page.locator('#photo').setInputFiles({ name: 'note.png', mimeType: 'image/png', buffer: Buffer.from('not a picture') });
    const photoError = page.locator('#photo-status .notice.error');
    await photoError.waitFor();
    assert.match(await photoError.innerText(), /[\u4e00-\u9fff]/);
    assert.deepEqual(await latinSentences(page), []);
    // The empty form says so in Chinese.
    await page.locator('#lookup-form button[type=submit]').click();
    await page.locator('#lookup-status [role=alert]').waitFor();
    assert.deepEqual(await latinSentences(page), []);
    await page.context().close();
  });
});

describe('vendor errors in 中文', () => {
  test('every rejection of the entry form is worded in Chinese and points at its field', async () => {
    const page = await openPage(browser);
    await page.goto(`${server.http}/entry.html`);
    await signIn(page, data.vendorToken);
    const fillEntry = async (over = {}) => {
      const v = { kind: 'RECEIVE', gtin: '6901234567915', lot: 'B0901', name: '酸奶', spec: '200g', produced_on: data.today,
        expires_on: addDays(data.today, 20), quantity: '12', unit: 'H87', counterparty: 'S1', date: data.today, ...over };
      await page.locator(`input[name=kind][value=${v.kind}]`).check();
      for (const id of ['gtin', 'lot', 'name', 'spec', 'produced_on', 'expires_on', 'quantity', 'date']) await page.locator(`#${id}`).fill(v[id]);
      await page.locator('#unit').selectOption(v.unit);
      if (await page.locator('#counterparty').isVisible()) await page.locator('#counterparty').fill(v.counterparty);
      await page.locator('#entry-form button[type=submit]').click();
    };
    const cases = [
      [{ gtin: '6901234567916' }, 'GTIN_CHECK_DIGIT', 'gtin'],
      [{ name: '' }, 'FIELD_MISSING', 'name'],
      [{ quantity: '2.5' }, 'QUANTITY_DECIMALS', 'quantity'],
      [{ quantity: '0' }, 'QUANTITY_INVALID', 'quantity'],
      [{ counterparty: 'NOBODY' }, 'UNKNOWN_PARTY', 'counterparty'],
      [{ date: addDays(data.today, 30) }, 'DATE_IN_FUTURE', 'date'],
      [{ expires_on: addDays(data.today, -5) }, 'EXPIRY_BEFORE_PRODUCTION', 'expires_on'],
      [{ kind: 'SHIP', gtin: milk.gtin, lot: milk.lot, quantity: '1.5', unit: 'KGM' }, 'UNIT_MISMATCH', 'unit'],
    ];
    for (const [over, code, input] of cases) {
      await fillEntry(over);
      await assertChinese(page, code, '#entry-result');
      assert.equal(await page.locator(`#${input}`).getAttribute('aria-invalid'), 'true', `${code} points at #${input}`);
    }
    // A disposal without a lot the vendor can name.
    await fillEntry({ kind: 'DISPOSE', lot: '', produced_on: '' });
    await assertChinese(page, 'LOT_MISSING', '#entry-result');
    // Signing in with a wrong token.
    const fresh = await openPage(browser);
    await fresh.goto(`${server.http}/stock.html`);
    await fresh.locator('#token').fill('ft_00000000_nope');
    await fresh.locator('#signin button[type=submit]').click();
    await fresh.locator('#signin [role=alert]').waitFor();
    assert.match(await fresh.locator('#signin [role=alert]').innerText(), /[\u4e00-\u9fff]/);
    assert.deepEqual(await latinSentences(fresh), []);
    await fresh.context().close();
    assert.deepEqual(page.problems.filter((p) => !/status of 4\d\d/.test(p)), []);
    await page.context().close();
  });
});

describe('regulator errors in 中文', () => {
  test('recall form, trace and progress errors are worded in Chinese', async () => {
    const page = await openPage(browser);
    await page.goto(`${server.http}/recall-issue.html`);
    await signIn(page, data.regulatorToken);
    await page.locator('#gtin').fill(milk.gtin14);
    await page.locator('#reason').fill('测试');
    await page.locator('#recall-form button[type=submit]').click();
    await assertChinese(page, 'RECALL_LEVEL_MISSING');
    await page.locator('input[name=level][value=I]').check();
    await page.locator('#gtin').fill('06901234567891');
    await page.locator('#lots').fill(milk.lot);
    await page.locator('#recall-form button[type=submit]').click();
    await assertChinese(page, 'GTIN_CHECK_DIGIT');
    await page.locator('#gtin').fill(milk.gtin14);
    await page.locator('#lots').fill('');
    await page.locator('#recall-form button[type=submit]').click();
    await assertChinese(page, 'RECALL_SCOPE_MISSING');

    await page.goto(`${server.http}/trace.html?gtin=${milk.gtin14}&lot=NO-SUCH-LOT`);
    await assertChinese(page, 'NOT_FOUND');
    await page.goto(`${server.http}/recall-progress.html?id=NO-SUCH-RECALL`);
    await assertChinese(page, 'NOT_FOUND');
    assert.deepEqual(page.problems.filter((p) => !/status of 4\d\d/.test(p)), []);
    await page.context().close();
  });
});
