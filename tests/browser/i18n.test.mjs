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
