// Recall issuing (regulator): the form posts a Recall; the answer names the recall, the
// holders alerted, and links to its progress page.
import { endpoints, field, listOf, post } from '../api.js';
import { t } from '../i18n.js';
import { errorNotice, fill, formatQuantity, h, table } from '../format.js';
import { requireSession, startShell } from '../shell.js';

const $ = (id) => document.getElementById(id);
let last = null;  // the last answer, redrawn on a language switch

function drawLevels() {
  const current = document.querySelector('input[name="level"]:checked')?.value || 'I';
  fill($('levels'), ['I', 'II', 'III'].map((l) => h('label', {},
    h('input', { type: 'radio', name: 'level', value: l, checked: l === current }),
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
    { key: 'progress.holder', cell: (r) => field(r, 'party_id') },
    { key: 'lot.lot', cell: (r) => field(r, 'lot') },
    { key: 'progress.on_hand', num: true, cell: (r) => formatQuantity(field(r, 'on_hand'), field(r, 'unit')) },
  ], holders) : null);
}

async function submit(ev) {
  ev.preventDefault();
  const lots = $('lots').value.split(/[\n,，、]/).map((s) => s.trim()).filter(Boolean);
  const body = {
    level: document.querySelector('input[name="level"]:checked')?.value || 'I',
    gtin: $('gtin').value.trim(),
    reason: $('reason').value.trim(),
  };
  if (lots.length) body.lots = lots;
  if ($('produced_from').value) body.produced_from = $('produced_from').value;
  if ($('produced_to').value) body.produced_to = $('produced_to').value;
  const button = ev.submitter || $('recall-form').querySelector('button');
  button.disabled = true;
  try {
    last = { answer: await post(endpoints.recalls, body, { auth: true }) };
  } catch (e) {
    last = { error: e };
  }
  button.disabled = false;
  drawResult();
}

startShell();
requireSession('regulator').then(() => {
  drawLevels();
  $('recall-form').addEventListener('submit', submit);
  window.addEventListener('foodtrace:lang', () => { drawLevels(); drawResult(); });
});
