// Lot page: the verdict as a coloured banner with one plain word, the product and its dates,
// the origin chain as a timeline, recalls and published test results. Reached as
// /lot.html?code=… or through the GS1 Digital Link route /01/{gtin}[/10/{lot}][?17=YYMMDD].
import { endpoints, field, get, listOf } from '../api.js';
import { t } from '../i18n.js';
import { errorNotice, fill, formatDate, formatDateTime, h, loading, pill, table } from '../format.js';
import { originLevels } from '../origin.js';
import { startShell } from '../shell.js';

const shellReady = startShell();

const verdicts = {
  recalled: ['red', '✕'], expired: ['red', '✕'], test_failed: ['red', '✕'],
  near_expiry: ['amber', '!'], ok: ['green', '✓'], unknown: ['grey', '?'],
};

// The code to look up: ?code=, else an element string built from the Digital Link path.
export function codeFromLocation(loc) {
  const params = new URLSearchParams(loc.search);
  if (params.get('code')) return params.get('code');
  const m = loc.pathname.match(/\/01\/(\d{8,14})(?:\/10\/([^/?#]+))?/);
  if (!m) return '';
  let code = `(01)${m[1]}`;
  if (m[2]) code += `(10)${decodeURIComponent(m[2])}`;
  if (params.get('17')) code += `(17)${params.get('17')}`;
  return code;
}

// Product and lot fields, wherever the answer keeps them.
function info(ans) {
  const product = typeof ans.product === 'object' && ans.product ? ans.product : {};
  const lot = typeof ans.lot === 'object' && ans.lot ? ans.lot : {};
  const ref = field(lot, 'ref') || {};
  const pick = (...names) => {
    for (const src of [ans, lot, ref, product]) {
      for (const n of names) {
        const v = field(src, n);
        if (v !== undefined && v !== '' && typeof v !== 'object') return v;
      }
    }
    return '';
  };
  return {
    name: pick('product_name', 'name'),
    gtin: pick('gtin'),
    lot: typeof ans.lot === 'string' ? ans.lot : pick('lot'),
    spec: pick('specification', 'spec'),
    producer: pick('producer'),
    produced: pick('produced_on'),
    expires: pick('expires_on'),
  };
}

function banner(verdict, hasLot, lots = []) {
  const v = verdicts[verdict] ? verdict : 'unknown';
  const recalled = lots.filter((l) => field(l, 'verdict') === 'recalled').map((l) => field(l, 'lot'));
  if (!hasLot && recalled.length) {
    return h('section', { class: 'verdict red', 'data-testid': 'verdict', 'data-verdict': 'product_recalled', role: 'status' },
      h('span', { class: 'icon', 'aria-hidden': 'true' }, '!'),
      h('span', {}, h('strong', { class: 'word' }, t('verdict.check_lot')),
        h('span', { class: 'advice' }, t('advice.recalled_lots', { lots: recalled.join('、') }))));
  }
  const advice = v === 'unknown' && !hasLot ? 'advice.no_lot' : `advice.${v}`;
  const [colour, icon] = verdicts[v];
  return h('section', { class: `verdict ${colour}`, 'data-testid': 'verdict', 'data-verdict': v, role: 'status' },
    h('span', { class: 'icon', 'aria-hidden': 'true' }, icon),
    h('span', {}, h('strong', { class: 'word' }, t(`verdict.${v}`)), h('span', { class: 'advice' }, t(advice))));
}

function facts(i) {
  const rows = [['lot.product', i.name], ['lot.gtin', i.gtin], ['lot.lot', i.lot], ['lot.spec', i.spec],
    ['lot.producer', i.producer], ['lot.produced_on', i.produced && formatDate(i.produced)],
    ['lot.expires_on', i.expires && formatDate(i.expires)]];
  return h('section', { class: 'card' },
    h('dl', { class: 'facts' }, rows.filter(([, v]) => v)
      .map(([k, v]) => [h('dt', {}, t(k)), h('dd', { 'data-field': k.slice(4) }, v || '—')])));
}

function chain(ans) {
  const parties = listOf(field(ans, 'chain'));
  const nameOf = (id) => field(parties.find((q) => field(q, 'party_id') === id) || {}, 'name') || String(id).replace(/^ext:/, '');
  const node = ({ party: p, sources }) => {
    const licence = field(p, 'licence');
    const market = field(p, 'market_name') || field(p, 'market') || field(p, 'market_id');
    const date = field(p, 'received_on') || field(p, 'date') || field(p, 'first_on') || field(p, 'on');
    const from = sources.map((s) => (s === 'transform' ? t('lot.made_here') : nameOf(s))).join('、');
    return h('li', { class: 'node', 'data-party-id': field(p, 'party_id') || '', 'data-sources': sources.join('|') },
      h('span', { class: 'party-name' }, field(p, 'name') || field(p, 'party_id') || '—'),
      licence ? h('span', { class: 'meta' }, `${t('lot.licence')}: ${licence}`) : null,
      market ? h('span', { class: 'meta' }, `${t('lot.market')}: ${market}${field(p, 'stall') ? ` · ${t('lot.stall')} ${field(p, 'stall')}` : ''}`) : null,
      date ? h('span', { class: 'meta' }, `${t('lot.received_on')}: ${formatDate(date)}`) : null,
      from ? h('span', { class: 'meta' }, `${t('lot.received_from')}: ${from}`) : null);
  };
  const levels = originLevels(parties);
  return h('section', { class: 'card', 'aria-labelledby': 'origin-h' },
    h('h2', { id: 'origin-h' }, t('lot.origin')),
    levels.length ? h('ol', { class: 'origin', 'data-testid': 'chain' }, levels.map((nodes, i) => h('li', { 'data-level': String(i) },
      i > 0 ? h('div', { class: 'arrow', 'aria-hidden': 'true' }, '↓') : null,
      h('ul', { class: 'level plain-list' }, nodes.map(node)))))
      : h('p', { class: 'empty' }, t('lot.origin_empty')));
}

function recalls(ans) {
  const list = listOf(field(ans, 'recalls'));
  if (!list.length) return null;
  return h('section', { class: 'card', 'aria-labelledby': 'recalls-h' },
    h('h2', { id: 'recalls-h' }, t('lot.recalls')),
    list.map((r) => h('dl', { class: 'facts', 'data-recall-id': field(r, 'recall_id') },
      h('dt', {}, t('recall.level')), h('dd', {}, t(`recall.level.${field(r, 'level') || 'I'}`)),
      h('dt', {}, t('recall.lots')), h('dd', { 'data-field': 'recall-lots' }, (field(r, 'lots') || []).join('、')
        || (field(r, 'produced_from') ? `${t('recall.produced_range')} ${formatDate(field(r, 'produced_from'))} – ${formatDate(field(r, 'produced_to'))}` : '—')),
      h('dt', {}, t('recall.reason')), h('dd', {}, field(r, 'reason') || '—'),
      h('dt', {}, t('recall.issued')), h('dd', {}, formatDateTime(field(r, 'issued_at_ms'))))));
}

function tests(ans) {
  const list = listOf(field(ans, 'test_results'));
  if (!list.length) return null;
  return h('section', { class: 'card', 'aria-labelledby': 'tests-h' },
    h('h2', { id: 'tests-h' }, t('lot.tests')),
    table([
      { key: 'tests.item', cell: (r) => field(r, 'item') },
      { key: 'tests.value', cell: (r) => field(r, 'value') },
      { key: 'tests.limit', cell: (r) => field(r, 'limit') },
      { key: 'tests.result', cell: (r) => (field(r, 'passed') ? pill('green', t('tests.passed')) : pill('red', t('tests.failed'))) },
      { key: 'tests.date', cell: (r) => formatDate(field(r, 'tested_on')) },
    ], list));
}

// A code without a lot (the EAN-13 under the bars): the product's known lots, recalled ones
// first and named, each a link to its own page; and a field for the lot printed on the pack.
function lotPicker(ans, i) {
  if (i.lot) return null;
  const lots = listOf(field(ans, 'lots'));
  const gtin = field(ans, 'gtin');
  const lotUrl = (lot) => `/lot.html?code=${encodeURIComponent(`(01)${gtin}(10)${lot}`)}`;
  const input = h('input', { id: 'lot-input', name: 'lot', autocomplete: 'off', autocapitalize: 'characters', spellcheck: 'false', maxlength: '64', required: true });
  const form = h('form', { class: 'card', id: 'lot-form', novalidate: true, onsubmit: (ev) => {
    ev.preventDefault();
    if (input.value.trim()) location.assign(lotUrl(input.value.trim()));
    else input.setAttribute('aria-invalid', 'true');
  } },
  h('label', { for: 'lot-input' }, t('lot.enter_lot')),
  h('div', { class: 'row' }, input, h('button', { type: 'submit', class: 'shrink' }, t('lookup.submit'))),
  h('p', { class: 'hint' }, t('lot.enter_lot_hint')));
  return [form, lots.length ? h('section', { class: 'card', 'aria-labelledby': 'lots-h' },
    h('h2', { id: 'lots-h' }, t('lot.known_lots', { n: lots.length })),
    h('ul', { class: 'lots', 'data-testid': 'lots' }, lots.map((l) => {
      const v = verdicts[field(l, 'verdict')] ? field(l, 'verdict') : 'unknown';
      return h('li', { 'data-lot': field(l, 'lot'), 'data-verdict': v },
        h('a', { href: lotUrl(field(l, 'lot')) }, h('strong', {}, `${t('lot.lot')} ${field(l, 'lot')}`)),
        h('span', {}, pill(verdicts[v][0], t(`verdict.${v}`)), ' ',
          field(l, 'expires_on') ? `${t('lot.expires_on')} ${formatDate(field(l, 'expires_on'))}` : ''));
    })),
    field(ans, 'lots_truncated') ? h('p', { class: 'hint' }, t('lot.lots_truncated')) : null) : null];
}

function render(content, ans) {
  const i = info(ans);
  fill(content,
    banner(field(ans, 'verdict'), Boolean(i.lot), listOf(field(ans, 'lots'))),
    h('h1', {}, i.name || t('lot.title')),
    lotPicker(ans, i),
    facts(i), i.lot ? chain(ans) : null, recalls(ans), tests(ans),
    h('p', {}, h('a', { class: 'button secondary', href: '/index.html' }, t('lot.again'))));
}

// The lookup is asked for at once, beside the market clock (no waterfall): the page needs both
// before it shows anything.
const pendingCode = codeFromLocation(location);
const pendingAnswer = pendingCode ? get(endpoints.lookup(pendingCode)).then((a) => ({ a }), (e) => ({ e })) : null;

async function main() {
  const content = document.getElementById('content');
  const code = pendingCode;
  if (!code) {
    fill(content, h('div', { class: 'notice error', role: 'alert' }, t('lot.no_code')));
    return;
  }
  fill(content, loading());
  const got = await pendingAnswer;
  const answer = got.a || null;
  const error = got.e || null;
  const show = () => (answer ? render(content, answer) : fill(content, errorNotice(error),
    h('p', {}, h('a', { class: 'button secondary', href: '/index.html' }, t('lot.again')))));
  show();
  window.addEventListener('foodtrace:lang', show);
}

shellReady.then(main);
