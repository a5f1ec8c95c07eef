// Record a purchase, sale, disposal or stocktake (vendor): posts one LedgerEntry to
// /api/v1/entries and shows the server's answer — accepted with its sequence, a duplicate, or
// rejected with a sentence in the page's language and the field it names highlighted.
// Quantities are typed as on the scale (15.5 千克) and recorded exactly in the base unit
// (quantity.js). Deep link from a recall or expiry notice: /entry.html?kind=DISPOSE&gtin=…&
// lot=…&quantity=…&unit=…&method=…&recall=… pre-fills the form.
import { apiErrorOf, endpoints, field, listOf, post } from '../api.js';
import { t } from '../i18n.js';
import { errorNotice, fill, h, today } from '../format.js';
import { errorText } from '../errors.js';
import { toLedgerQuantity } from '../quantity.js';
import { requireSession, startShell } from '../shell.js';

const $ = (id) => document.getElementById(id);
const units = ['H87', 'KGM', 'GRM', 'LTR', 'MLT'];
// The form's input for each field path the server may name (errors.js words the message).
const inputOf = {
  'lot.gtin': 'gtin', 'lot.product_code': 'gtin', 'lot.lot': 'lot', 'lot.product_name': 'name',
  'lot.specification': 'spec', 'lot.produced_on': 'produced_on', 'lot.expires_on': 'expires_on',
  'lot.shelf_life_days': 'expires_on', quantity: 'quantity', unit: 'unit', occurred_on: 'date',
  counterparty: 'counterparty', 'counterparty.party_id': 'counterparty', 'counterparty.name': 'counterparty_name',
  'counterparty.address': 'counterparty_address', 'counterparty.contact': 'counterparty_contact',
  'counterparty.licence': 'counterparty_licence', dispose_method: 'dispose_method', documents: 'documents',
};
const params = new URLSearchParams(location.search);
let last = null;

const kind = () => document.querySelector('input[name="kind"]:checked').value;

function drawUnits() {
  const v = $('unit').value || params.get('unit') || 'H87';
  fill($('unit'), units.map((u) => h('option', { value: u, selected: u === v }, `${t(`unit.${u}`)} (${u})`)));
}

// Disposal shows its method; disposal and stocktake name no counterparty (a return may).
function drawKind() {
  const k = kind();
  $('dispose-row').hidden = k !== 'DISPOSE';
  $('counterparty-part').hidden = k === 'STOCKTAKE' || (k === 'DISPOSE' && $('dispose_method').value !== '退货');
  const recall = params.get('recall');
  fill($('recall-context'), recall && k === 'DISPOSE'
    ? h('div', { class: 'notice info', 'data-recall-id': recall }, t('entry.for_recall', { id: recall })) : null);
}

// The entry, or {error} when the quantity cannot be recorded as typed.
function entryFromForm() {
  const v = (id) => $(id).value.trim();
  const k = kind();
  const q = toLedgerQuantity(v('quantity'), $('unit').value, { zeroAllowed: k === 'STOCKTAKE' });
  if (q.error) return { error: q.error };
  const lot = { gtin: v('gtin'), lot: v('lot'), product_name: v('name'), specification: v('spec'),
    produced_on: v('produced_on'), expires_on: v('expires_on') };
  const counterparty = $('counterparty-part').hidden ? {} : { party_id: v('counterparty'), name: v('counterparty_name'),
    address: v('counterparty_address'), contact: v('counterparty_contact'), licence: v('counterparty_licence') };
  const clean = (o) => Object.fromEntries(Object.entries(o).filter(([, x]) => x));
  const entry = {
    event_id: `web-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`,
    kind: k, lot: clean(lot), counterparty: clean(counterparty),
    quantity: q.quantity, unit: q.unit, occurred_on: v('date'),
  };
  if (k === 'DISPOSE') entry.dispose_method = $('dispose_method').value;
  if (params.get('recall') && k === 'DISPOSE') entry.note = `recall ${params.get('recall')}`;
  const docs = $('documents').value.split('\n').map((s) => s.trim()).filter(Boolean);
  if (docs.length) entry.documents = docs;
  return { entry };
}

function rejected(error) {
  const target = inputOf[error.field];
  if (target) $(target).setAttribute('aria-invalid', 'true');
  return h('div', { class: 'notice error', role: 'alert', 'data-code': error.code || '', 'data-field': error.field || '' },
    h('strong', {}, t('entry.rejected_prefix')), errorText(error), ' ', h('code', { class: 'error-code' }, error.code || ''));
}

function drawResult() {
  for (const el of document.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
  if (!last) return fill($('entry-result'));
  if (last.local) return fill($('entry-result'), rejected(last.local));
  if (last.error && !last.results) return fill($('entry-result'), errorNotice(last.error));
  const r = last.results[0] || {};
  const status = field(r, 'status');
  if (status === 'ACCEPTED') {
    return fill($('entry-result'), h('div', { class: 'notice ok', role: 'status' }, t('entry.accepted', { seq: field(r, 'sequence') }),
      params.get('recall') && kind() === 'DISPOSE' ? [' ', h('a', { href: '/stock.html' }, t('entry.back_to_stock'))] : null));
  }
  if (status === 'DUPLICATE') return fill($('entry-result'), h('div', { class: 'notice info', role: 'status' }, t('entry.duplicate', { seq: field(r, 'sequence') })));
  fill($('entry-result'), rejected(field(r, 'error') || { code: field(r, 'code'), field: field(r, 'field'), details: field(r, 'details') }));
}

async function submit(ev) {
  ev.preventDefault();
  const built = entryFromForm();
  if (built.error) {
    last = { local: built.error };
    return drawResult();
  }
  const button = $('entry-form').querySelector('button[type="submit"]');
  button.disabled = true;
  try {
    last = { results: listOf(await post(endpoints.entries, built.entry, { auth: true }), 'results') };
  } catch (e) {
    // 422: every entry rejected; the body still carries the per-item results.
    const results = e.body && typeof e.body === 'object' ? listOf(e.body, 'results') : [];
    last = results.length ? { results } : { error: e.body && e.body.error ? apiErrorOf(e.status, e.body.error) : e };
  }
  button.disabled = false;
  drawResult();
}

function prefill() {
  const k = params.get('kind');
  const radio = k && document.querySelector(`input[name="kind"][value="${CSS.escape(k)}"]`);
  if (radio) radio.checked = true;
  for (const [param, id] of [['gtin', 'gtin'], ['lot', 'lot'], ['name', 'name'], ['quantity', 'quantity'], ['expires_on', 'expires_on']]) {
    if (params.get(param)) $(id).value = params.get(param);
  }
  if (params.get('method')) $('dispose_method').value = params.get('method');
}

startShell();
requireSession('vendor').then(() => {
  drawUnits();
  $('date').value = today();
  prefill();
  drawKind();
  for (const r of document.querySelectorAll('input[name="kind"]')) r.addEventListener('change', drawKind);
  $('dispose_method').addEventListener('change', drawKind);
  $('entry-form').addEventListener('submit', submit);
  window.addEventListener('foodtrace:lang', () => { drawUnits(); drawKind(); drawResult(); });
});
