// Vendor stock: the vendor's holdings with recall / expiry flags, goods near expiry, and recall
// notices for lots it holds or held.
import { endpoints, field, get, listOf } from '../api.js';
import { t } from '../i18n.js';
import { errorNotice, fill, formatDate, formatDateTime, formatQuantity, h, loading, pill, table } from '../format.js';
import { requireSession, startShell } from '../shell.js';

const $ = (id) => document.getElementById(id);
const state = {};
const statusColour = { recalled: 'red', expired: 'red', test_failed: 'red', near_expiry: 'amber', ok: 'green' };

function flags(r) {
  const status = field(r, 'status') || (field(r, 'stopped') ? 'recalled' : 'ok');
  return [pill(statusColour[status] || 'grey', t(`verdict.${status}`)),
    field(r, 'unconfirmed') ? [' ', pill('grey', t('stock.unconfirmed'))] : null];
}

function holdingsTable(rows, emptyKey) {
  if (!rows.length) return h('p', { class: 'empty' }, t(emptyKey));
  return table([
    { key: 'stock.product', cell: (r) => [field(r, 'product_name') || field(r, 'gtin') || field(r, 'product_code'),
      h('div', { class: 'hint' }, field(r, 'gtin') || field(r, 'product_code') || '')] },
    { key: 'stock.lot', cell: (r) => field(r, 'lot') || '—' },
    { key: 'stock.quantity', num: true, cell: (r) => formatQuantity(field(r, 'quantity'), field(r, 'unit')) },
    { key: 'stock.expires_on', cell: (r) => formatDate(field(r, 'expires_on')) },
    { key: 'stock.flags', cell: flags },
  ], rows, { rowAttrs: (r) => ({ 'data-lot': field(r, 'lot'), 'data-status': field(r, 'status') || '' }) });
}

function recallNotices(rows) {
  if (!rows.length) return h('p', { class: 'empty' }, t('stock.recalls_empty'));
  return h('ul', { class: 'cards' }, rows.map((n) => {
    const r = field(n, 'recall') || n;
    const held = listOf(field(n, 'holdings'));
    const deadline = field(n, 'deadline_ms') ? formatDateTime(field(n, 'deadline_ms'))
      : field(r, 'complete_by') ? formatDate(field(r, 'complete_by')) : '';
    const product = field(r, 'product_name') || (held[0] && field(held[0], 'product_name')) || field(r, 'gtin') || '';
    return h('li', { class: 'card', 'data-recall-id': field(r, 'recall_id') },
      h('strong', {}, pill('red', t(`recall.level.${field(r, 'level') || 'I'}`)), ' ', product),
      h('dl', { class: 'facts' },
        h('dt', {}, t('recall.lots')), h('dd', {}, (field(r, 'lots') || []).join('、') || '—'),
        h('dt', {}, t('recall.reason')), h('dd', {}, field(r, 'reason') || '—'),
        held.length ? [h('dt', {}, t('stock.you_hold')), h('dd', {}, held.map((x) =>
          `${field(x, 'product_name') || field(x, 'gtin')} ${field(x, 'lot')} ${formatQuantity(field(x, 'quantity'), field(x, 'unit'))}`).join('、'))] : null,
        deadline ? [h('dt', {}, t('alerts.deadline')), h('dd', {}, deadline)] : null));
  }));
}

function draw() {
  const part = (id, key, render) => {
    const s = state[key];
    if (!s) return fill($(id), loading());
    return fill($(id), s.error ? errorNotice(s.error) : render(s.answer));
  };
  part('stock', 'stock', (a) => holdingsTable(listOf(a, 'holdings'), 'stock.empty'));
  part('expiring', 'expiring', (a) => holdingsTable(listOf(a, 'holdings'), 'stock.near_expiry_empty'));
  part('recalls', 'recalls', (a) => recallNotices(listOf(a, 'recalls')));
}

async function load(key, path) {
  try {
    state[key] = { answer: await get(path, { auth: true }) };
  } catch (e) {
    state[key] = { error: e };
  }
  draw();
}

startShell();
requireSession('vendor').then(() => {
  draw();
  window.addEventListener('foodtrace:lang', draw);
  load('stock', endpoints.vendorStock);
  load('expiring', endpoints.vendorExpiring);
  load('recalls', endpoints.vendorRecalls);
});
