// Vendor stock: open recall notices first, as red banners that say which lot, how much is
// held, the deadline and what to do, with a button that opens the entry form pre-filled to
// record the disposal or return; then the holdings (zero lines behind a toggle, expired lines
// with the action they need), goods near expiry, and every recall that ever alerted this
// vendor, open and done (GET /api/v1/vendor/recalls).
import { endpoints, field, get, listOf, withQuery } from '../api.js';
import { t } from '../i18n.js';
import { errorNotice, fill, formatDate, formatDateTime, formatQuantity, h, loading, pill, table } from '../format.js';
import { requireSession, startShell } from '../shell.js';

const $ = (id) => document.getElementById(id);
const state = {};
let showZero = false;
const statusColour = { recalled: 'red', expired: 'red', test_failed: 'red', near_expiry: 'amber', ok: 'green' };

// The entry form, pre-filled to dispose of (or return) `quantity` of a lot.
function disposeLink(r, { recall, method } = {}) {
  return withQuery('/entry.html', { kind: 'DISPOSE', gtin: field(r, 'gtin') || field(r, 'product_code'), lot: field(r, 'lot'),
    quantity: Number(field(r, 'quantity') ?? field(r, 'on_hand') ?? 0) || undefined, unit: field(r, 'unit'),
    name: field(r, 'product_name'), method, recall });
}

function flags(r) {
  const status = field(r, 'status') || (field(r, 'stopped') ? 'recalled' : 'ok');
  return [pill(statusColour[status] || 'grey', t(`verdict.${status}`)),
    field(r, 'unconfirmed') ? [' ', pill('grey', t('stock.unconfirmed'))] : null,
    status === 'expired' ? h('div', { class: 'todo', 'data-todo': 'expired' }, t('stock.expired_todo'), ' ',
      h('a', { class: 'button small secondary', href: disposeLink(r, { method: '销毁' }) }, t('stock.record_disposal'))) : null,
    status === 'test_failed' ? h('div', { class: 'todo' }, t('stock.test_failed_todo')) : null];
}

function holdingsTable(rows, emptyKey, { zeroToggle = false } = {}) {
  const zero = zeroToggle ? rows.filter((r) => Number(field(r, 'quantity') || 0) <= 0) : [];
  const shown = zeroToggle && !showZero ? rows.filter((r) => Number(field(r, 'quantity') || 0) > 0) : rows;
  const toggle = zero.length ? h('p', {}, h('button', { type: 'button', class: 'small secondary', 'data-testid': 'zero-toggle',
    'aria-pressed': String(showZero), onclick: () => { showZero = !showZero; draw(); } },
  t(showZero ? 'stock.zero_hide' : 'stock.zero_show', { n: zero.length }))) : null;
  if (!shown.length) return [h('p', { class: 'empty' }, t(emptyKey)), toggle];
  return [table([
    { key: 'stock.product', primary: true, cell: (r) => [field(r, 'product_name') || field(r, 'gtin') || field(r, 'product_code'),
      h('div', { class: 'hint' }, field(r, 'gtin') || field(r, 'product_code') || '')] },
    { key: 'stock.lot', cell: (r) => field(r, 'lot') || '—' },
    { key: 'stock.quantity', num: true, cell: (r) => formatQuantity(field(r, 'quantity'), field(r, 'unit')) },
    { key: 'stock.expires_on', cell: (r) => formatDate(field(r, 'expires_on')) },
    { key: 'stock.flags', cell: flags },
  ], shown, { rowAttrs: (r) => ({ 'data-lot': field(r, 'lot'), 'data-status': field(r, 'status') || '' }) }), toggle];
}

const recallOf = (n) => field(n, 'recall') || {};
const productOfNotice = (n) => field(recallOf(n), 'product_name') || (listOf(field(n, 'holdings'))[0] && field(listOf(field(n, 'holdings'))[0], 'product_name'))
  || field(recallOf(n), 'gtin') || field(recallOf(n), 'product_code') || '';
const deadlineOf = (n) => (field(n, 'deadline_ms') ? formatDateTime(field(n, 'deadline_ms'))
  : field(n, 'complete_by') ? formatDate(field(n, 'complete_by')) : '');

// One red banner per recall the vendor still has to act on.
function banners(notices) {
  return notices.filter((n) => !field(n, 'done')).map((n) => {
    const r = recallOf(n);
    const held = listOf(field(n, 'holdings')).filter((x) => Number(field(x, 'quantity') || 0) > 0);
    return h('section', { class: 'banner-recall', role: 'alert', 'data-recall-id': field(r, 'recall_id') },
      h('h2', {}, t('stock.banner_title', { product: productOfNotice(n) }), ' · ', t(`recall.level.${field(r, 'level') || 'I'}`)),
      h('dl', { class: 'facts' },
        h('dt', {}, t('recall.reason')), h('dd', {}, field(r, 'reason') || '—'),
        h('dt', {}, t('stock.you_hold')), h('dd', {}, held.length ? held.map((x) =>
          `${t('lot.lot')} ${field(x, 'lot')}: ${formatQuantity(field(x, 'quantity'), field(x, 'unit'))}`).join('；') : t('stock.held_unconfirmed')),
        deadlineOf(n) ? [h('dt', {}, t('alerts.deadline')), h('dd', {}, deadlineOf(n))] : null),
      h('p', {}, t('stock.banner_todo')),
      h('div', { class: 'actions' }, held.map((x) => h('a', { class: 'button', href: disposeLink(x, { recall: field(r, 'recall_id') }),
        'data-action': 'dispose', 'data-lot': field(x, 'lot') }, t('stock.record_disposal_lot', { lot: field(x, 'lot') })))));
  });
}

// Every recall that concerned this vendor, open and done, with its own numbers.
function recallHistory(notices) {
  if (!notices.length) return h('p', { class: 'empty' }, t('stock.recalls_empty'));
  return h('ul', { class: 'cards' }, notices.map((n) => {
    const r = recallOf(n);
    const done = field(n, 'done');
    const lines = listOf(field(n, 'progress'));
    return h('li', { class: 'card', 'data-recall-id': field(r, 'recall_id'), 'data-done': String(Boolean(done)) },
      h('strong', {}, pill(done ? 'green' : 'red', t(done ? 'stock.recall_done' : 'stock.recall_open')), ' ',
        t(`recall.level.${field(r, 'level') || 'I'}`), ' · ', productOfNotice(n)),
      h('dl', { class: 'facts' },
        h('dt', {}, t('recall.id')), h('dd', {}, field(r, 'recall_id') || '—'),
        h('dt', {}, t('recall.lots')), h('dd', {}, (field(r, 'lots') || []).join('、') || '—'),
        h('dt', {}, t('recall.reason')), h('dd', {}, field(r, 'reason') || '—'),
        lines.map((line) => [
          lines.length > 1 ? [h('dt', {}, t('lot.lot')), h('dd', {}, field(line, 'lot'))] : null,
          h('dt', {}, t('progress.received')), h('dd', {}, formatQuantity(field(line, 'received'), field(line, 'unit'))),
          h('dt', {}, t('progress.disposed')), h('dd', {}, formatQuantity(field(line, 'disposed'), field(line, 'unit'))),
          h('dt', {}, t('progress.on_hand')), h('dd', {}, formatQuantity(Number(field(line, 'on_hand') || 0) + Number(field(line, 'unconfirmed') || 0), field(line, 'unit')))]),
        deadlineOf(n) ? [h('dt', {}, t('alerts.deadline')), h('dd', {}, deadlineOf(n))] : null));
  }));
}

function draw() {
  const part = (id, key, render) => {
    const s = state[key];
    if (!s) return fill($(id), loading());
    return fill($(id), s.error ? errorNotice(s.error) : render(s.answer));
  };
  part('stock', 'stock', (a) => holdingsTable(listOf(a, 'holdings'), 'stock.empty', { zeroToggle: true }));
  part('expiring', 'expiring', (a) => holdingsTable(listOf(a, 'holdings'), 'stock.near_expiry_empty'));
  part('recalls', 'recalls', (a) => recallHistory(listOf(a, 'recalls')));
  fill($('banners'), state.recalls && state.recalls.answer ? banners(listOf(state.recalls.answer, 'recalls')) : null);
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
  load('recalls', endpoints.vendorRecalls);
  load('stock', endpoints.vendorStock);
  load('expiring', endpoints.vendorExpiring);
});
