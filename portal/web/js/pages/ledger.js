// A party's ledger for a period (regulator): every purchase, sale, transformation, disposal
// and stocktake with its counterparty, quantity and documents. Deep link /ledger.html?party=…
import { endpoints, field, get, listOf, withQuery } from '../api.js';
import { t, tOr } from '../i18n.js';
import { daysAgo, errorNotice, fill, formatDate, formatQuantity, h, loading, table, today } from '../format.js';
import { requireSession, startShell } from '../shell.js';

const $ = (id) => document.getElementById(id);
let state = null;
const partyNames = new Map();  // party id -> registered name, from the registry

function counterparty(e, line) {
  const c = field(e, 'counterparty') || {};
  const id = field(c, 'party_id') || field(line, 'counterparty_id');
  const name = field(line, 'counterparty_name') || field(c, 'name') || partyNames.get(id) || id;
  if (field(e, 'to_consumers')) return t('ledger.consumers');
  const sub = [id !== name ? id : '', field(c, 'licence')].filter(Boolean).join(' · ');
  return name ? [name, sub ? h('div', { class: 'hint' }, sub) : null] : '—';
}

function product(e) {
  const kind = field(e, 'kind');
  if (kind === 'TRANSFORM') {
    const line = (l) => {
      const lot = field(l, 'lot') || {};
      return `${field(lot, 'product_name') || field(lot, 'gtin') || ''} ${field(lot, 'lot') || ''} ${formatQuantity(field(l, 'quantity'), field(l, 'unit'))}`;
    };
    return [(field(e, 'inputs') || []).map(line).join('、'), ' → ', (field(e, 'outputs') || []).map(line).join('、')];
  }
  const lot = field(e, 'lot') || {};
  return [field(lot, 'product_name') || field(lot, 'gtin') || field(lot, 'product_code') || '—',
    h('div', { class: 'hint' }, [field(lot, 'gtin'), field(lot, 'lot') && `${t('lot.lot')} ${field(lot, 'lot')}`,
      field(lot, 'expires_on') && `${t('lot.expires_on')} ${field(lot, 'expires_on')}`].filter(Boolean).join(' · '))];
}

function draw() {
  if (!state) return;
  if (state.error) return fill($('ledger'), errorNotice(state.error));
  const lines = listOf(field(state.answer, 'lines'));
  if (!lines.length) return fill($('ledger'), h('p', { class: 'empty' }, t('ledger.empty')));
  fill($('ledger'),
    field(state.answer, 'truncated') ? h('div', { class: 'notice info' }, t('trace.truncated')) : null,
    table([
      { key: 'ledger.seq', num: true, cell: (l) => String(field(l, 'sequence') || '') },
      { key: 'ledger.date', cell: (l) => formatDate(field(field(l, 'entry') || {}, 'occurred_on') || field(l, 'recorded_at_ms')) },
      { key: 'ledger.kind', cell: (l) => tOr(`entrykind.${field(field(l, 'entry') || {}, 'kind')}`, field(field(l, 'entry') || {}, 'kind') || '') },
      { key: 'ledger.product', primary: true, cell: (l) => product(field(l, 'entry') || {}) },
      { key: 'ledger.counterparty', cell: (l) => counterparty(field(l, 'entry') || {}, l) },
      { key: 'ledger.quantity', num: true, cell: (l) => (field(field(l, 'entry') || {}, 'kind') === 'TRANSFORM' ? '—'
        : formatQuantity(field(field(l, 'entry') || {}, 'quantity'), field(field(l, 'entry') || {}, 'unit'))) },
      { key: 'ledger.documents', cell: (l) => (field(field(l, 'entry') || {}, 'documents') || []).join('、') || '—' },
    ], lines, { rowAttrs: (l) => ({ 'data-kind': field(field(l, 'entry') || {}, 'kind') }) }));
}

async function load() {
  const party = $('party').value.trim();
  if (!party) return;
  history.replaceState(null, '', withQuery(location.pathname, { party, from: $('from').value, to: $('to').value }));
  fill($('ledger'), loading());
  try {
    state = { answer: await get(withQuery(endpoints.partyLedger(party), { from: $('from').value, to: $('to').value, limit: 500 }), { auth: true }) };
  } catch (e) {
    state = { error: e };
  }
  draw();
}

async function fillParties() {
  try {
    const ans = await get(withQuery(endpoints.parties, { limit: 500 }), { auth: true });
    const list = listOf(ans, 'parties');
    for (const p of list) partyNames.set(field(p, 'party_id'), field(p, 'name'));
    fill($('party-list'), list.map((p) => h('option', { value: field(p, 'party_id') }, field(p, 'name'))));
    draw();
  } catch {
    // The list is only a convenience; the id can still be typed.
  }
}

startShell();
requireSession('regulator').then(() => {
  const params = new URLSearchParams(location.search);
  $('party').value = params.get('party') || '';
  $('from').value = params.get('from') || daysAgo(29);
  $('to').value = params.get('to') || today();
  $('ledger-form').addEventListener('submit', (ev) => { ev.preventDefault(); load(); });
  window.addEventListener('foodtrace:lang', draw);
  fillParties();
  load();
});
