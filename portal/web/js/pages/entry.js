// Record a purchase or sale (vendor): posts one LedgerEntry to /api/v1/entries and shows the
// server's answer for it — accepted with its sequence, a duplicate, or rejected with the code
// and the message that says what to fix (the field it names is highlighted).
import { endpoints, field, listOf, post } from '../api.js';
import { t } from '../i18n.js';
import { errorNotice, fill, h, today } from '../format.js';
import { requireSession, startShell } from '../shell.js';

const $ = (id) => document.getElementById(id);
const units = ['H87', 'KGM', 'GRM', 'LTR', 'MLT'];
let last = null;

function drawUnits() {
  const v = $('unit').value || 'H87';
  fill($('unit'), units.map((u) => h('option', { value: u, selected: u === v }, `${t(`unit.${u}`)} (${u})`)));
}

function entryFromForm() {
  const v = (id) => $(id).value.trim();
  const lot = { gtin: v('gtin'), lot: v('lot'), product_name: v('name'), specification: v('spec'),
    produced_on: v('produced_on'), expires_on: v('expires_on') };
  const counterparty = { party_id: v('counterparty'), name: v('counterparty_name'), address: v('counterparty_address'),
    contact: v('counterparty_contact'), licence: v('counterparty_licence') };
  const clean = (o) => Object.fromEntries(Object.entries(o).filter(([, x]) => x));
  const entry = {
    event_id: `web-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`,
    kind: document.querySelector('input[name="kind"]:checked').value,
    lot: clean(lot), counterparty: clean(counterparty),
    quantity: v('quantity'), unit: $('unit').value, occurred_on: v('date'),
  };
  const docs = $('documents').value.split('\n').map((s) => s.trim()).filter(Boolean);
  if (docs.length) entry.documents = docs;
  return entry;
}

function drawResult() {
  for (const el of document.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
  if (!last) return;
  if (last.error && !last.results) return fill($('entry-result'), errorNotice(last.error));
  const r = last.results[0] || {};
  const status = field(r, 'status');
  if (status === 'ACCEPTED') return fill($('entry-result'), h('div', { class: 'notice ok', role: 'status' }, t('entry.accepted', { seq: field(r, 'sequence') })));
  if (status === 'DUPLICATE') return fill($('entry-result'), h('div', { class: 'notice info', role: 'status' }, t('entry.duplicate', { seq: field(r, 'sequence') })));
  // Rejected: point at the field the code is about, where one is obvious.
  const code = field(r, 'code') || '';
  const target = /GTIN/.test(code) ? 'gtin' : /LOT_CODE|LOT_MISSING/.test(code) ? 'lot' : /EXPIR/.test(code) ? 'expires_on'
    : /PRODUC/.test(code) ? 'produced_on' : /QUANTITY/.test(code) ? 'quantity' : /UNIT/.test(code) ? 'unit'
      : /COUNTERPARTY|SUPPLIER|LICENCE/.test(code) ? 'counterparty' : null;
  if (target) $(target).setAttribute('aria-invalid', 'true');
  fill($('entry-result'), h('div', { class: 'notice error', role: 'alert', 'data-code': code },
    h('strong', {}, `${t('entry.rejected')}: `), field(r, 'message') || code, ' ', h('code', {}, code)));
}

async function submit(ev) {
  ev.preventDefault();
  const button = $('entry-form').querySelector('button[type="submit"]');
  button.disabled = true;
  try {
    last = { results: listOf(await post(endpoints.entries, entryFromForm(), { auth: true }), 'results') };
  } catch (e) {
    // 422: every entry rejected; the body still carries the per-item results.
    const results = e.body && typeof e.body === 'object' ? listOf(e.body, 'results') : [];
    last = results.length ? { results } : { error: e };
  }
  button.disabled = false;
  drawResult();
}

startShell();
requireSession('vendor').then(() => {
  drawUnits();
  $('date').value = today();
  $('entry-form').addEventListener('submit', submit);
  window.addEventListener('foodtrace:lang', () => { drawUnits(); drawResult(); });
});
