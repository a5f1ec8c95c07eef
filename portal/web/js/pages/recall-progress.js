// A recall's progress (regulator): every holder with what it received, still holds and has
// disposed of or returned; completion and whether the recall is overdue. Refreshes itself.
import { endpoints, field, get, listOf } from '../api.js';
import { t } from '../i18n.js';
import { errorNotice, fill, formatDate, formatDateTime, formatQuantity, h, loading, pill, table } from '../format.js';
import { requireSession, startShell } from '../shell.js';

const REFRESH_MS = 10000;
const $ = (id) => document.getElementById(id);
let state = null;  // {answer} or {error}
let timer = null;

function drawRecallList(recalls) {
  fill($('progress'), h('p', { class: 'hint' }, t('progress.pick')),
    h('ul', { class: 'cards' }, recalls.map((r) => h('li', { class: 'card' },
      h('a', { href: `?id=${encodeURIComponent(field(r, 'recall_id'))}` }, field(r, 'recall_id')), ' · ',
      t(`recall.level.${field(r, 'level') || 'I'}`), ' · ', field(r, 'product_name') || field(r, 'gtin') || '', ' · ',
      field(r, 'reason') || ''))));
}

function draw() {
  if (!state) return;
  if (state.error) return fill($('progress'), errorNotice(state.error));
  if (state.recalls) return drawRecallList(state.recalls);
  const ans = state.answer;
  const recall = field(ans, 'recall') || {};
  const completion = Number(field(ans, 'completion') || 0);
  const overdue = field(ans, 'overdue');
  const holders = listOf(field(ans, 'holders'));
  fill($('progress'),
    h('section', { class: 'card', 'data-recall-id': field(recall, 'recall_id') },
      h('h2', {}, field(recall, 'recall_id'), ' ', pill(overdue ? 'red' : completion >= 1 ? 'green' : 'amber',
        overdue ? t('progress.overdue') : completion >= 1 ? t('progress.done') : t('progress.pending'))),
      h('dl', { class: 'facts' },
        h('dt', {}, t('recall.level')), h('dd', {}, t(`recall.level.${field(recall, 'level') || 'I'}`)),
        h('dt', {}, t('lot.gtin')), h('dd', {}, field(recall, 'gtin') || field(recall, 'product_code') || '—'),
        h('dt', {}, t('recall.lots')), h('dd', {}, (field(recall, 'lots') || []).join('、') || '—'),
        h('dt', {}, t('recall.reason')), h('dd', {}, field(recall, 'reason') || '—'),
        h('dt', {}, t('recall.issued')), h('dd', {}, formatDateTime(field(recall, 'issued_at_ms'))),
        h('dt', {}, t('recall.complete_by')), h('dd', {}, formatDate(field(ans, 'complete_by') || field(recall, 'complete_by'))),
        h('dt', {}, t('progress.completion')), h('dd', {},
          h('progress', { max: '1', value: String(completion), 'aria-label': t('progress.completion') }), ' ',
          `${Math.round(completion * 100)}%`))),
    holders.length ? table([
      { key: 'progress.holder', primary: true, cell: (r) => [field(r, 'name') || field(r, 'party_id'), h('div', { class: 'hint' }, field(r, 'party_id'))] },
      { key: 'lot.lot', cell: (r) => field(r, 'lot') },
      { key: 'progress.received', num: true, cell: (r) => formatQuantity(field(r, 'received'), field(r, 'unit')) },
      { key: 'progress.on_hand', num: true, cell: (r) => formatQuantity(Number(field(r, 'on_hand') || 0) + Number(field(r, 'unconfirmed') || 0), field(r, 'unit')) },
      { key: 'progress.disposed', num: true, cell: (r) => formatQuantity(field(r, 'disposed'), field(r, 'unit')) },
      { key: 'progress.status', cell: (r) => (field(r, 'done') ? pill('green', t('progress.done'))
        : overdue ? pill('red', t('progress.overdue')) : pill('amber', t('progress.outstanding'))) },
    ], holders, { rowAttrs: (r) => ({ 'data-party-id': field(r, 'party_id') }) }) : h('p', { class: 'empty' }, t('progress.empty')));
}

async function load(id) {
  try {
    state = id ? { answer: await get(endpoints.recallProgress(id), { auth: true }) }
      : { recalls: listOf(await get(endpoints.recalls), 'recalls') };
  } catch (e) {
    state = { error: e };
  }
  draw();
}

startShell();
requireSession('regulator').then(() => {
  const id = new URLSearchParams(location.search).get('id') || '';
  $('recall-id').value = id;
  $('pick').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const v = $('recall-id').value.trim();
    if (v) location.search = `?id=${encodeURIComponent(v)}`;
  });
  window.addEventListener('foodtrace:lang', draw);
  fill($('progress'), loading());
  load(id);
  if (id) timer = setInterval(() => load(id), REFRESH_MS);
  window.addEventListener('pagehide', () => clearInterval(timer));
});
