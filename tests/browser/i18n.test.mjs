// Proves every string the pages show exists in both Chinese and English: each table entry has
// both, and every key named in portal/web (t('…'), data-i18n*, table columns) is in the table.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { entries, t } from '../../portal/web/js/i18n.js';
import { webDir } from './lib/server.mjs';

function files(dir) {
  return fs.readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : [path.join(dir, e.name)]))
    .filter((f) => /\.(html|js)$/.test(f));
}

test('every string has a Chinese and an English text', () => {
  for (const [key, texts] of Object.entries(entries())) {
    assert.equal(texts.length, 2, key);
    assert.ok(texts[0] && texts[1], `${key} is empty in one language`);
    assert.ok(/[\u4e00-\u9fff]|^[\w\s:.·,，、()（）/%{}-]*$/.test(texts[0]), `${key}: Chinese text expected`);
  }
});

test('every key the pages use is in the table', () => {
  const known = new Set(Object.keys(entries()));
  const used = new Map();
  for (const f of files(webDir)) {
    const src = fs.readFileSync(f, 'utf8');
    const patterns = [/\bt\('([A-Za-z0-9_.]+)'/g, /data-i18n(?:-[a-z-]+)?="([^"]+)"/g, /(?:emptyKey|key): '([A-Za-z0-9_.]+)'/g];
    for (const re of patterns) for (const m of src.matchAll(re)) used.set(m[1], path.relative(webDir, f));
  }
  const missing = [...used].filter(([k]) => !known.has(k)).map(([k, f]) => `${k} (${f})`);
  assert.deepEqual(missing, []);
  assert.ok(used.size > 100, 'the scan found the keys');
});

test('placeholders are filled in both languages', () => {
  assert.equal(t('issue.done', { id: 'R-1' }, 'zh'), '召回已发布：R-1');
  assert.equal(t('issue.done', { id: 'R-1' }, 'en'), 'Recall issued: R-1');
  assert.equal(t('verdict.recalled', {}, 'zh'), '召回');
  assert.equal(t('verdict.recalled', {}, 'en'), 'Recalled');
});

// Every error code the API and the importer document (docs/api.md, docs/import.md) has a
// sentence in both languages, so no page falls back to the server's English.
test('every documented error code is worded in both languages', async () => {
  const docs = path.resolve(webDir, '../../docs');
  const codes = new Set();
  const importDoc = fs.readFileSync(path.join(docs, 'import.md'), 'utf8');
  const errorPart = importDoc.slice(importDoc.indexOf('## Error codes'), importDoc.indexOf('## Example'));
  for (const m of errorPart.matchAll(/`([A-Z][A-Z0-9_]{3,})`/g)) codes.add(m[1]);
  const apiDoc = fs.readFileSync(path.join(docs, 'api.md'), 'utf8');
  for (const line of apiDoc.split('\n').filter((l) => /[Ee]rror|→ `?[45]\d\d|`[45]\d\d /.test(l))) {
    for (const m of line.matchAll(/`(?:[45]\d\d )?([A-Z][A-Z0-9_]{3,})`/g)) codes.add(m[1]);
  }
  const notErrors = new Set(['ACCEPTED', 'DUPLICATE', 'REJECTED', 'OPEN', 'ACKNOWLEDGED', 'RESOLVED', 'RECEIVE',
    'RECALLED_IN_STOCK', 'LEDGER', 'STOCK', 'CLOCK']);
  const known = new Set(Object.keys(entries()));
  const missing = [...codes].filter((c) => !notErrors.has(c) && !known.has(`err.${c}`));
  assert.deepEqual(missing, []);
  assert.ok(codes.size > 80, `the scan found the codes (${codes.size})`);
});

test('an error is worded from its code and details, and an unknown code still reads in the page language', async () => {
  const { errorText } = await import('../../portal/web/js/errors.js');
  // Node has no localStorage: the language is the default, zh.
  assert.equal(errorText({ code: 'GTIN_CHECK_DIGIT', field: 'lot.gtin', details: { expected: '2', got: '1' } }),
    '商品条码最后一位（校验位）应为 2，输入的是 1。请照包装重新输入条码。');
  assert.equal(errorText({ code: 'UNIT_MISMATCH', details: { expected: 'H87', got: 'KGM' } }), '这个批次以 件 计量，不能用 千克。请改用 件。');
  assert.equal(errorText({ code: 'FIELD_MISSING', field: 'lot.product_name' }), '请填写商品名称。');
  assert.match(errorText({ code: 'SOMETHING_NEW', status: 400, message: 'English only' }), /^服务器拒绝了这个请求/);
  assert.equal(errorText({ code: 'NETWORK' }), t('err.NETWORK', {}, 'zh'));
});

test('a decimal quantity is recorded exactly in the base unit; pieces stay whole', async () => {
  const { toLedgerQuantity } = await import('../../portal/web/js/quantity.js');
  assert.deepEqual(toLedgerQuantity('15.5', 'KGM'), { quantity: '15500', unit: 'GRM' });
  assert.deepEqual(toLedgerQuantity('0.75', 'LTR'), { quantity: '750', unit: 'MLT' });
  assert.deepEqual(toLedgerQuantity('0.1', 'KGM'), { quantity: '100', unit: 'GRM' });
  assert.deepEqual(toLedgerQuantity('12', 'H87'), { quantity: '12', unit: 'H87' });
  assert.equal(toLedgerQuantity('2.5', 'H87').error.code, 'QUANTITY_DECIMALS');
  assert.equal(toLedgerQuantity('1.2345', 'KGM').error.code, 'QUANTITY_DECIMALS');
  assert.equal(toLedgerQuantity('0', 'KGM').error.code, 'QUANTITY_INVALID');
  assert.equal(toLedgerQuantity('', 'KGM').error.code, 'FIELD_MISSING');
});

test('the public origin is drawn as a graph: two wholesalers of one producer are siblings', async () => {
  const { originLevels } = await import('../../portal/web/js/origin.js');
  const chain = [
    { party_id: 'p01', sources: ['某农场'] },
    { party_id: 'w01', sources: ['p01'] },
    { party_id: 'w02', sources: ['p01'] },
    { party_id: 'v1', sources: ['w01', 'w02'] },
  ];
  assert.deepEqual(originLevels(chain).map((l) => l.map((n) => n.party.party_id)), [['p01'], ['w01', 'w02'], ['v1']]);
  // A vendor's chain (no sources) stays one line.
  assert.deepEqual(originLevels([{ party_id: 'a' }, { party_id: 'b', received_from: 'a' }]).map((l) => l.length), [1, 1]);
});
