// Inspection list (regulator): vendors ranked by risk for patrol planning (REGULATION rules
// 25–27), with links to each vendor's ledger; and a form to record an inspection back.
import { endpoints, field, get, listOf, post, withQuery } from '../api.js';
import { t, tOr } from '../i18n.js';
import { errorNotice, fill, formatDate, h, loading, pill, table, today } from '../format.js';
import { requireSession, startShell } from '../shell.js';

const $ = (id) => document.getElementById(id);
let plan = null;
let recorded = null;

// The plan's reasons in the page's language, from their codes (the English `reasons` are for
// API readers); a code this page does not know yet shows as the generic "other reason".
function reasons(v) {
  const codes = listOf(field(v, 'reason_codes'));
  if (!codes.length) return '—';
  return codes.map((c) => t(tOr(`plan_reason.${field(c, 'code')}`, null) !== null ? `plan_reason.${field(c, 'code')}` : 'plan_reason.OTHER',
    { n: field(c, 'count') ?? '', class: field(c, 'class') ?? '' })).join(t('common.list_sep'));
}

function draw() {
  if (!plan) return;
  if (plan.error) return fill($('plan'), errorNotice(plan.error));
  const vendors = listOf(field(plan.answer, 'vendors'));
  if (!vendors.length) return fill($('plan'), h('p', { class: 'empty' }, t('insp.empty')));
  const credit = { A: 'green', B: 'grey', C: 'amber', D: 'red' };
  fill($('plan'), table([
    { key: 'insp.rank', num: true, cell: (_, i) => String(i + 1) },
    { key: 'insp.party', primary: true, cell: (v) => [h('a', { href: `/ledger.html?party=${encodeURIComponent(field(v, 'party_id'))}` }, field(v, 'name') || field(v, 'party_id')),
      h('div', { class: 'hint' }, [field(v, 'party_id'), field(v, 'market_id')].filter(Boolean).join(' · '))] },
    { key: 'insp.score', num: true, cell: (v) => h('strong', {}, Number(field(v, 'score') || 0).toFixed(1)) },
    { key: 'insp.open_alerts', num: true, cell: (v) => String(field(v, 'open_alerts') || 0) },
    { key: 'insp.past_alerts', num: true, cell: (v) => String(field(v, 'alerts_90d') || 0) },
    { key: 'insp.failed_tests', num: true, cell: (v) => String(field(v, 'failed_tests') || 0) },
    { key: 'insp.credit', cell: (v) => (field(v, 'credit_class') ? pill(credit[field(v, 'credit_class')] || 'grey', field(v, 'credit_class')) : '—') },
    { key: 'insp.last', cell: (v) => (field(v, 'last_inspected_on') ? formatDate(field(v, 'last_inspected_on')) : t('insp.never')) },
    { key: 'insp.reasons', cell: reasons },
    { key: 'insp.record', cell: (v) => h('button', { type: 'button', class: 'small secondary', onclick: () => pick(field(v, 'party_id')) }, t('insp.record')) },
  ], vendors, { rowAttrs: (v) => ({ 'data-party-id': field(v, 'party_id'), class: field(v, 'inspection_overdue') ? 'overdue' : null }) }));
}

function pick(partyId) {
  $('i-party').value = partyId;
  $('inspection-form').scrollIntoView({ behavior: 'smooth' });
  $('i-inspectors').focus();
}

function drawRecorded() {
  if (!recorded) return;
  fill($('inspection-result'), recorded.error ? errorNotice(recorded.error)
    : h('div', { class: 'notice ok', role: 'status' }, `${t('insp.recorded')}: ${field(recorded.answer, 'inspection_id')}`));
}

async function submit(ev) {
  ev.preventDefault();
  const result = $('i-result').value;
  const body = {
    party_id: $('i-party').value.trim(),
    inspected_on: $('i-date').value,
    inspector_ids: $('i-inspectors').value.split(/[,，、\s]+/).filter(Boolean),
    full_scope: true,
    checklist: [{ item: $('i-item').value.trim(), passed: $('i-item-passed').value === 'true', note: $('i-note').value.trim() }],
    result,
  };
  if ($('i-rectify').value) body.rectify_by = $('i-rectify').value;
  if ($('i-note').value.trim()) body.note = $('i-note').value.trim();
  try {
    recorded = { answer: await post(endpoints.inspections, body, { auth: true }) };
    load();
  } catch (e) {
    recorded = { error: e };
  }
  drawRecorded();
}

async function load() {
  if (!plan) fill($('plan'), loading());
  try {
    plan = { answer: await get(withQuery(endpoints.inspectionPlan, { limit: 50 }), { auth: true }) };
  } catch (e) {
    plan = { error: e };
  }
  draw();
}

startShell();
requireSession('regulator').then(() => {
  $('i-date').value = today();
  $('inspection-form').addEventListener('submit', submit);
  window.addEventListener('foodtrace:lang', () => { draw(); drawRecorded(); });
  load();
});
