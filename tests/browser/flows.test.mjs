// Proves the jobs the issue names, end to end in a real browser against one real server: a
// vendor on a phone records a purchase of 15.5 千克, sees the recall banner, records the
// disposal from it and sees the recall marked done, and the regulator sees the disposal on the
// recall's progress page; a consumer who types only the EAN-13 sees the recalled lot named
// first; a regulator issuing a recall confirms it after seeing its lots and holders.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { launch, openPage, screenshot, signIn } from './lib/browser.mjs';
import { addDays, milk, recallMilk, seed } from './lib/seed.mjs';
import { cli, startServer } from './lib/server.mjs';

let browser;
let server;
let data;
const phone = { width: 390, height: 844 };
const rice = { gtin: '6901234567939', gtin14: '06901234567939', lot: 'M2612', name: '散装大米' };

before(async () => {
  browser = await launch();
  server = await startServer();
  data = await seed(server);
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

describe('vendor on a phone', () => {
  test('records 15.5 千克, sees the recall banner, disposes of it from the banner and sees the recall done', async () => {
    const page = await openPage(browser, { viewport: phone });
    await page.goto(`${server.http}/entry.html`);
    await signIn(page, data.vendorToken);
    await page.locator('#gtin').fill(rice.gtin);
    await page.locator('#lot').fill(rice.lot);
    await page.locator('#name').fill(rice.name);
    await page.locator('#spec').fill('散装');
    await page.locator('#produced_on').fill(addDays(data.today, -3));
    await page.locator('#expires_on').fill(addDays(data.today, 170));
    await page.locator('#quantity').fill('15.5');
    await page.locator('#unit').selectOption('KGM');
    await page.locator('#counterparty').fill('S1');
    await page.locator('#entry-form button[type=submit]').click();
    await page.locator('#entry-result .notice.ok').waitFor();
    // Stored exactly, in grams.
    const stock = await (await fetch(`${server.http}/api/v1/vendor/stock`, { headers: { Authorization: `Bearer ${data.vendorToken}` } })).json();
    const held = stock.holdings.find((x) => x.lot === rice.lot);
    assert.equal(held.quantity, '15500');
    assert.equal(held.unit, 'GRM');

    await cli(['recall', 'issue', '--key', data.regulatorKey, '--server', server.ingest, '--gtin', rice.gtin,
      '--lot', rice.lot, '--level', 'II', '--reason', '黄曲霉毒素超标']);
    await page.goto(`${server.http}/stock.html`);
    const banner = page.locator('.banner-recall');
    await banner.waitFor();
    assert.match(await banner.innerText(), /散装大米[\s\S]*M2612[\s\S]*15\.5 千克/);
    assert.ok((await banner.boundingBox()).y < 200, 'the banner is at the top of the page');
    await screenshot(page, 'flow-vendor-banner-phone');
    await banner.locator(`a[data-action=dispose][data-lot="${rice.lot}"]`).click();
    await page.waitForURL(/entry\.html/);
    assert.equal(await page.locator('input[name=kind][value=DISPOSE]').isChecked(), true);
    assert.equal(await page.locator('#lot').inputValue(), rice.lot);
    await page.locator('#dispose_method').selectOption('销毁');
    await screenshot(page, 'flow-vendor-dispose-phone');
    await page.locator('#entry-form button[type=submit]').click();
    await page.locator('#entry-result .notice.ok').waitFor();

    await page.goto(`${server.http}/stock.html`);
    const done = page.locator('#recalls li[data-done=true]', { hasText: rice.name });
    await done.waitFor();
    assert.equal(await page.locator('.banner-recall').count(), 0, 'no banner once it is done');
    assert.match(await done.innerText(), /已完成/);
    await screenshot(page, 'flow-vendor-done-phone');
    assert.deepEqual(page.problems, []);
    await page.context().close();

    // The regulator sees the disposal on the recall's progress page.
    const recalls = (await (await fetch(`${server.http}/api/v1/recalls?gtin=${rice.gtin}`)).json()).recalls;
    const reg = await openPage(browser);
    await reg.goto(`${server.http}/recall-progress.html?id=${encodeURIComponent(recalls[0].recall_id)}`);
    await signIn(reg, data.regulatorToken);
    const row = reg.locator('#progress tr[data-party-id=V1]');
    await row.waitFor();
    assert.match(await row.innerText(), /15\.5 千克[\s\S]*完成/);
    assert.match(await row.locator('td[data-col="progress.disposed"]').innerText(), /15\.5 千克/);
    assert.deepEqual(reg.problems, []);
    await reg.context().close();
  });
});

describe('consumer', () => {
  test('typing only the EAN-13 of a product with a recalled lot names the recalled lot first', async () => {
    // A second, good lot of the milk, so "first" means something.
    const key = path.join(server.dataDir, 'S1.key');
    await cli(['record', 'receive', '--key', key, '--server', server.ingest, '--gtin', milk.gtin, '--lot', 'L2699',
      '--name', milk.name, '--spec', '250ml×24', '--unit', 'H87', '--produced-on', addDays(data.today, -1),
      '--expires-on', addDays(data.today, 300), '--quantity', '5', '--counterparty-name', '某乳业有限公司',
      '--counterparty-address', '内蒙古呼和浩特市', '--counterparty-contact', '0471-1234567']);
    await recallMilk(server, data.regulatorKey);
    const page = await openPage(browser, { viewport: phone });
    await page.goto(`${server.http}/`);
    // Phone first: the camera is the first control, typing second.
    const camera = page.locator('#photo');
    assert.equal(await camera.getAttribute('capture'), 'environment');
    assert.equal(await camera.getAttribute('accept'), 'image/*');
    const [cameraBox, codeBox] = [await page.locator('label.camera-first').boundingBox(), await page.locator('#code').boundingBox()];
    assert.ok(cameraBox.y < codeBox.y, 'the camera comes before the code field');
    await page.locator('#code').fill(milk.gtin);
    await page.locator('#lookup-form button[type=submit]').click();
    const lots = page.locator('[data-testid=lots] li');
    await lots.first().waitFor();
    assert.equal(await lots.first().getAttribute('data-lot'), milk.lot);
    assert.equal(await lots.first().getAttribute('data-verdict'), 'recalled');
    assert.equal(await lots.nth(1).getAttribute('data-lot'), 'L2699');
    assert.match(await page.locator('[data-testid=verdict]').innerText(), new RegExp(milk.lot));
    await page.locator('#lot-input').fill('L2699');
    await screenshot(page, 'flow-consumer-gtin-only-phone');
    await page.locator('#lot-form button[type=submit]').click();
    await page.locator('[data-testid=verdict][data-verdict=ok]').waitFor();
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });
});

describe('regulator', () => {
  test('issuing a recall asks for a level and confirms the lots and the holders it will alert', async () => {
    const page = await openPage(browser);
    await page.goto(`${server.http}/recall-issue.html`);
    await signIn(page, data.regulatorToken);
    assert.equal(await page.locator('input[name=level]:checked').count(), 0, 'no level is preselected');
    await page.locator('#gtin').fill(milk.gtin14);
    await page.locator('#lots').fill('L2699');
    await page.locator('#reason').fill('标签标注不符合规定');
    await page.locator('#recall-form button[type=submit]').click();
    await page.locator('#form-status .notice.error[data-code=RECALL_LEVEL_MISSING]').waitFor();
    assert.equal(await page.locator('#confirm').evaluate((d) => d.open), false);
    await page.locator('input[name=level][value=III]').check();
    await page.locator('#recall-form button[type=submit]').click();
    const summary = page.locator('#confirm [data-testid=confirm-summary]');
    await summary.waitFor();
    assert.match(await summary.innerText(), /三级召回，涉及 1 个批次，将通知 1 个持有者/);
    await screenshot(page, 'flow-recall-confirm');
    assert.equal((await (await fetch(`${server.http}/api/v1/recalls?gtin=${milk.gtin}`)).json()).recalls
      .some((r) => (r.lots || []).includes('L2699')), false, 'nothing is issued before the confirmation');
    await page.locator('#confirm-yes').click();
    await page.locator('#result .notice.ok[data-recall-id]').waitFor();
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });
});

describe('trace graph on a phone', () => {
  test('the graph fits the phone, starts readable at its origin, and zooms and pans', async () => {
    const page = await openPage(browser, { viewport: phone });
    await page.goto(`${server.http}/trace.html?gtin=${milk.gtin14}&lot=${milk.lot}`);
    await signIn(page, data.regulatorToken);
    const svg = page.locator('svg[data-testid=trace-graph]');
    await svg.waitFor();
    const box = await svg.boundingBox();
    assert.ok(box.x >= 0 && box.x + box.width <= phone.width, 'the picture is inside the screen');
    const viewBox = async () => (await svg.getAttribute('viewBox')).split(' ').map(Number);
    const [x0, , w0] = await viewBox();
    await screenshot(page, 'flow-trace-phone');
    await page.locator('button[data-zoom=in]').click();
    const [, , w1] = await viewBox();
    assert.ok(w1 < w0, `zoomed in: ${w1} < ${w0}`);
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2 - 120, box.y + box.height / 2, { steps: 4 });
    await page.mouse.up();
    const [x2] = await viewBox();
    assert.ok(x2 > x0, `panned right: ${x2} > ${x0}`);
    await page.locator('button[data-zoom=reset]').click();
    assert.ok((await viewBox())[2] >= w0);
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });
});

describe('signing in without pasting', () => {
  // `foodtrace token create --pairing`: line 1 the code, line 2 the link its QR code holds.
  const pairing = async (party) => (await cli(['token', 'create', '--data', server.dataDir, '--role', 'vendor',
    '--party', party, '--pairing', '--portal', server.http])).split('\n');

  test('a vendor opens the QR link once and stays signed in on that phone until the code is revoked', async () => {
    const [code, link] = await pairing('V1');
    assert.match(code, /^[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}$/);
    const page = await openPage(browser, { viewport: phone });
    await page.goto(link);
    await page.waitForURL(/stock\.html/);
    await page.locator('#stock tr[data-lot], #stock .empty').first().waitFor();
    const cookies = await page.context().cookies();
    const session = cookies.find((c) => c.name === 'ft_session');
    assert.ok(session, 'a session cookie is set');
    assert.equal(session.httpOnly, true);
    assert.equal(session.sameSite, 'Strict');
    assert.ok(session.expires * 1000 > Date.now() + 20 * 86400000, 'it lasts weeks, not a tab');
    assert.equal(await page.evaluate(() => document.cookie.includes('ft_session')), false, 'no script can read it');
    // A new tab of the same phone is still signed in.
    const again = await page.context().newPage();
    await again.goto(`${server.http}/entry.html`);
    await again.locator('#entry-form #quantity').waitFor();
    assert.equal(await again.locator('#signin').count(), 0);
    await again.close();
    // The same code a second time, a mistyped one and a revoked one: each says why, in Chinese.
    const other = await openPage(browser, { viewport: phone });
    for (const [typed, expected] of [[code, 'PAIRING_CODE_USED'], ['ZZZZ-ZZZZ', 'PAIRING_CODE_UNKNOWN']]) {
      await other.goto(`${server.http}/signin.html?code=${encodeURIComponent(typed)}`);
      const banner = other.locator(`#signin-status .notice.error[data-code=${expected}]`);
      await banner.waitFor();
      assert.match(await banner.innerText(), /[\u4e00-\u9fff]/);
    }
    const tokens = async () => (await cli(['token', 'list', '--json', '--data', server.dataDir])).split('\n').map((l) => JSON.parse(l));
    const [, revokedLink] = await pairing('V1');
    const after = await tokens();
    const openCode = after.find((t) => t.kind === 'pairing' && t.state === 'open');
    assert.ok(openCode, 'the new code is listed as open');
    await cli(['token', 'revoke', '--data', server.dataDir, openCode.token_id]);
    await other.goto(revokedLink);
    await other.locator('#signin-status .notice.error[data-code=PAIRING_CODE_REVOKED]').waitFor();
    await other.context().close();
    // Revoking the code the phone signed in with ends that phone's session.
    const used = after.find((t) => t.kind === 'pairing' && t.state === 'used');
    await cli(['token', 'revoke', '--data', server.dataDir, used.token_id]);
    await page.goto(`${server.http}/stock.html`);
    await page.locator('#signin #pairing-code').waitFor();
    assert.deepEqual(page.problems.filter((p) => !/status of 401/.test(p)), []);
    await page.context().close();
  });
});
