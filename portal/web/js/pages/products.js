// The product registry (regulator): registers GTINs and bulk produce codes with their name,
// specification, category, shelf life, producer, packs (箱 = 24 pieces) and the content of one
// piece, and lists what is registered. Quantities may be typed with decimals ("2.5 KGM"): the
// server converts them exactly (common/quantity.h) or says why not.
import { endpoints, field, get, listOf, post } from '../api.js';
import { t } from '../i18n.js';
import { empty, errorNotice, fill, formatQuantity, h, loading, table } from '../format.js';
import { requireSession, startShell } from '../shell.js';

const $ = (id) => document.getElementById(id);
let last = null;      // the last registration answer, redrawn on a language switch
let products = null;  // the registered products, or an error

// "箱=24 H87" (one per line) → [{name, quantity, unit}]; a line that does not read is an error.
function parsePacks(text) {
  const packs = [];
  for (const line of text.split(/\n/).map((s) => s.trim()).filter(Boolean)) {
    const m = /^(.+?)\s*[=＝]\s*([0-9]+(?:\.[0-9]+)?)\s*([A-Za-z0-9]{2,3})$/.exec(line);
    if (!m) throw Object.assign(new Error(t('products.pack_bad', { line })), { code: 'PACK_FORMAT' });
    packs.push({ name: m[1], quantity: m[2], unit: m[3].toUpperCase() });
  }
  return packs;
}

function parsePiece(text) {
  const s = text.trim();
  if (!s) return {};
  const m = /^([0-9]+(?:\.[0-9]+)?)\s*([A-Za-z]{3})$/.exec(s);
  if (!m) throw Object.assign(new Error(t('products.piece_bad', { text: s })), { code: 'QUANTITY_FORMAT' });
  return { piece_quantity: m[1], piece_unit: m[2].toUpperCase() };
}

function packsText(p) {
  return listOf(field(p, 'packs')).map((k) => `${field(k, 'name')} = ${formatQuantity(field(k, 'quantity'), field(k, 'unit'))}`).join('，');
}

function drawList() {
  if (!products) return fill($('list'), loading());
  if (products.error) return fill($('list'), errorNotice(products.error));
  if (!products.rows.length) return fill($('list'), empty('products.none'));
  fill($('list'), table([
    { key: 'products.gtin_or_code', cell: (p) => field(p, 'gtin') || field(p, 'product_code') },
    { key: 'products.name', cell: (p) => field(p, 'name') },
    { key: 'products.spec', cell: (p) => field(p, 'specification') || '' },
    { key: 'products.category', cell: (p) => field(p, 'category') || '' },
    { key: 'products.shelf_life', num: true, cell: (p) => (field(p, 'no_shelf_life') ? t('products.none_stated') : field(p, 'shelf_life_days') ?? '') },
    { key: 'products.packs', cell: packsText },
    { key: 'products.piece', cell: (p) => (field(p, 'piece_quantity') ? formatQuantity(field(p, 'piece_quantity'), field(p, 'piece_unit')) : '') },
  ], products.rows, { rowAttrs: (p) => ({ 'data-product': field(p, 'gtin') || `C:${field(p, 'product_code')}` }) }));
}

async function loadList() {
  try {
    products = { rows: listOf(await get(`${endpoints.products}?limit=500`, { auth: true }), 'products') };
  } catch (e) {
    products = { error: e };
  }
  drawList();
}

function drawResult() {
  if (!last) return fill($('result'));
  if (last.error) return fill($('result'), errorNotice(last.error));
  const r = listOf(field(last.answer, 'results'))[0] || {};
  if (field(r, 'status') === 'REJECTED') {
    const err = field(r, 'error') || { code: field(r, 'code'), message: field(r, 'message'), field: field(r, 'field') };
    return fill($('result'), errorNotice(err));
  }
  fill($('result'), h('div', { class: 'notice ok', role: 'status' },
    t(field(r, 'status') === 'DUPLICATE' ? 'products.unchanged' : 'products.saved', { id: last.id })));
}

async function submit(ev) {
  ev.preventDefault();
  const button = ev.submitter || $('product-form').querySelector('button');
  try {
    const body = {
      name: $('name').value.trim(),
      specification: $('specification').value.trim(),
      category: $('category').value.trim(),
      producer: $('producer').value.trim(),
      bulk: $('bulk').checked,
      farm_produce: $('farm_produce').checked,
      no_shelf_life: $('no_shelf_life').checked,
      packs: parsePacks($('packs').value),
      ...parsePiece($('piece').value),
    };
    const gtin = $('gtin').value.trim();
    const code = $('product_code').value.trim();
    if (gtin) body.gtin = gtin;
    if (code) body.product_code = code;
    if ($('shelf_life_days').value) body.shelf_life_days = Number($('shelf_life_days').value);
    button.disabled = true;
    last = { id: gtin || code };
    last.answer = await post(endpoints.products, body, { auth: true });
  } catch (e) {
    // 422: the ledger refused the product; its per-item reason is in the answer.
    last = e.body && Array.isArray(e.body.results) ? { ...last, answer: e.body } : { error: e };
  }
  button.disabled = false;
  drawResult();
  loadList();
}

startShell();
requireSession('regulator').then(() => {
  $('product-form').addEventListener('submit', submit);
  window.addEventListener('foodtrace:lang', () => { drawResult(); drawList(); });
  loadList();
});
