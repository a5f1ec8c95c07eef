// Recall issuing (regulator): nothing is preselected; "review" asks the server what the recall
// would cover (POST /api/v1/recalls/preview: the lots, lots made from them, and every holder)
// and shows it in a confirmation dialog; only "issue" posts the Recall. The answer names the
// recall and the holders alerted, and links to its progress page.
import { endpoints, field, listOf, post } from '../api.js';
import { t } from '../i18n.js';
import { errorNotice, fill, formatQuantity, h, table } from '../format.js';
import { requireSession, startShell } from '../shell.js';

const $ = (id) => document.getElementById(id);
let last = null;  // the last answer, redrawn on a language switch
let preview = null;  // {body, answer} shown in the dialog

function drawLevels() {
  const current = document.querySelector('input[name="level"]:checked')?.value || '';
  fill($('levels'), ['I', 'II', 'III'].map((l) => h('label', {},
    h('input', { type: 'radio', name: 'level', value: l, checked: l === current, required: true }),
    t(`issue.level.${l}`))));
}

function drawResult() {
  if (!last) return;
  if (last.error) return fill($('result'), errorNotice(last.error));
  const ans = last.answer;
  const id = field(ans, 'recall_id');
  const holders = listOf(field(ans, 'holders'));
  fill($('result'), h('div', { class: 'notice ok', role: 'status', 'data-recall-id': id },
    h('strong', {}, t('issue.done', { id })), ' ',
    t('issue.holders', { n: field(ans, 'holders_alerted') ?? holders.length }), ' ',
    h('a', { href: `/recall-progress.html?id=${encodeURIComponent(id)}` }, t('issue.view_progress'))),
  holders.length ? table([
    { key: 'progress.holder', primary: true, cell: (r) => field(r, 'party_id') },
    { key: 'lot.lot', cell: (r) => field(r, 'lot') },
    { key: 'progress.on_hand', num: true, cell: (r) => formatQuantity(field(r, 'on_hand'), field(r, 'unit')) },
  ], holders) : null);
}

function body() {
  const lots = $('lots').value.split(/[\n,，、]/).map((s) => s.trim()).filter(Boolean);
  const b = { level: document.querySelector('input[name="level"]:checked')?.value || '', gtin: $('gtin').value.trim(), reason: $('reason').value.trim() };
  if (lots.length) b.lots = lots;
  if ($('produced_from').value) b.produced_from = $('produced_from').value;
  if ($('produced_to').value) b.produced_to = $('produced_to').value;
  return b;
}

// What the form lacks before anything is asked of the server: the level and the reason.
function missing(b) {
  if (!b.level) return { code: 'RECALL_LEVEL_MISSING', field: 'level', target: 'levels' };
  if (!b.gtin) return { code: 'FIELD_MISSING', field: 'gtin', target: 'gtin' };
  if (!b.reason) return { code: 'FIELD_MISSING', field: 'reason', target: 'reason' };
  return null;
}

function drawPreview() {
  if (!preview) return;
  const a = preview.answer;
  const lots = listOf(field(a, 'lots'));
  const unknown = listOf(field(a, 'unknown_lots'));
  const holders = listOf(field(a, 'holders'));
  fill($('confirm-body'),
    h('p', { 'data-testid': 'confirm-summary' }, t('issue.confirm_summary', { level: t(`recall.level.${preview.body.level}`),
      lots: lots.length, holders: field(a, 'holders_to_alert') || 0 })),
    lots.length ? h('ul', { class: 'lots', 'data-testid': 'confirm-lots' }, lots.map((l) => h('li', { 'data-lot': field(l, 'lot') },
      h('strong', {}, `${t('lot.lot')} ${field(l, 'lot')}`), h('span', {}, field(l, 'product_name') || field(l, 'gtin') || '',
        field(l, 'made_from_recalled') ? ` · ${t('issue.made_from')}` : '')))) : null,
    unknown.length ? h('div', { class: 'notice info' }, t('issue.unknown_lots', { lots: unknown.join('、') })) : null,
    holders.length ? table([
      { key: 'progress.holder', primary: true, cell: (r) => [field(r, 'name') || field(r, 'party_id'), h('div', { class: 'hint' },
        [field(r, 'party_id'), field(r, 'market_id'), field(r, 'stall')].filter(Boolean).join(' · '))] },
      { key: 'lot.lot', cell: (r) => field(r, 'lot') },
      { key: 'progress.on_hand', num: true, cell: (r) => formatQuantity(Number(field(r, 'on_hand') || 0) + Number(field(r, 'unconfirmed') || 0), field(r, 'unit')) },
    ], holders) : h('p', { class: 'empty' }, t('issue.no_holders')));
}

async function review(ev) {
  ev.preventDefault();
  for (const el of document.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
  const b = body();
  const lack = missing(b);
  if (lack) {
    $(lack.target).setAttribute('aria-invalid', 'true');
    return fill($('form-status'), errorNotice(lack));
  }
  fill($('form-status'));
  const button = $('recall-form').querySelector('button[type="submit"]');
  button.disabled = true;
  try {
    preview = { body: b, answer: await post(endpoints.recallPreview, b, { auth: true }) };
    drawPreview();
    $('confirm').showModal();
  } catch (e) {
    fill($('form-status'), errorNotice(e));
  }
  button.disabled = false;
}

async function issue() {
  $('confirm-yes').disabled = true;
  try {
    last = { answer: await post(endpoints.recalls, preview.body, { auth: true }) };
  } catch (e) {
    last = { error: e };
  }
  $('confirm-yes').disabled = false;
  $('confirm').close();
  drawResult();
}

startShell();
requireSession('regulator').then(() => {
  drawLevels();
  $('recall-form').addEventListener('submit', review);
  $('confirm-yes').addEventListener('click', issue);
  $('confirm-no').addEventListener('click', () => $('confirm').close());
  window.addEventListener('foodtrace:lang', () => { drawLevels(); drawResult(); drawPreview(); });
});
