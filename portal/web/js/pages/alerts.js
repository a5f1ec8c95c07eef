// Live alerts (regulator): an overview first (open alerts by severity, kind, market and recall,
// with each recall's progress; a tile filters the list), then the alerts, named by party,
// stall and market, optionally grouped by recall, market or severity; every alert created or
// changed while the page is open arrives by Server-Sent Events without a reload. Each alert
// can be acknowledged or resolved here.
import { endpoints, field, get, listOf, post, withQuery } from '../api.js';
import { getLang, t, tOr } from '../i18n.js';
import { errorNotice, fill, formatDateTime, formatQuantity, h, pill } from '../format.js';
import { requireSession, startShell } from '../shell.js';

const kinds = ['NEAR_EXPIRY', 'EXPIRED_IN_STOCK', 'EXPIRED_SOLD', 'RECALLED_IN_STOCK', 'RECALLED_SOLD',
  'RECALLED_SCANNED', 'RECALL_OVERDUE', 'NEGATIVE_STOCK', 'UNCONFIRMED_RECEIPT', 'UNVERIFIED_SUPPLIER',
  'LICENCE_EXPIRED', 'TEST_FAILED'];
const states = ['OPEN', 'ACKNOWLEDGED', 'RESOLVED'];
const severityColour = { CRITICAL: 'red', WARNING: 'amber', INFO: 'grey' };
const stateColour = { OPEN: 'red', ACKNOWLEDGED: 'amber', RESOLVED: 'green' };

// Every alert seen, by id, as last received. The list and the stream merge here, so an alert
// raised between subscribing and listing is neither lost nor shown twice.
const byId = new Map();
let cursor = null;
let source = null;
let liveState = 'connecting';

const $ = (id) => document.getElementById(id);
// An alert's place in publication order, and when its state last changed (ISO instants).
const sequence = (a) => Number(field(a, 'sequence') || 0);
const changedAt = (a) => Date.parse(field(a, 'state_changed_at') || field(a, 'created_at') || '') || 0;
const filters = () => ({ state: $('state').value, kind: $('kind').value, market: $('market').value });
const matches = (a) => (!filters().state || field(a, 'state') === filters().state)
  && (!filters().kind || field(a, 'kind') === filters().kind)
  && (!filters().market || field(a, 'market_id') === filters().market);
let summary = null;  // GET /api/v1/alerts/summary, or {error}
const groups = ['', 'recall', 'market', 'severity'];

function quantity(a) {
  const facts = field(a, 'facts') || {};
  const q = facts.quantity || facts.on_hand;
  return q ? `${t('alerts.quantity')} ${formatQuantity(q, facts.unit)}` : '';
}

function item(a, fresh = false) {
  const id = field(a, 'alert_id');
  const state = field(a, 'state') || 'OPEN';
  const severity = field(a, 'severity') || 'INFO';
  const kind = field(a, 'kind') || '';
  const who = field(a, 'party_name') ? `${field(a, 'party_name')} (${field(a, 'party_id')})` : field(a, 'party_id');
  const where = [field(a, 'market_name') || field(a, 'market_id'), field(a, 'stall') && `${t('lot.stall')} ${field(a, 'stall')}`]
    .filter(Boolean).join(' ');
  const subject = [who && `${t('alerts.party')} ${who}`, where,
    field(a, 'gtin') || field(a, 'product_code'), field(a, 'lot') && `${t('lot.lot')} ${field(a, 'lot')}`]
    .filter(Boolean).join(' · ');
  const act = (path) => async (ev) => {
    ev.target.disabled = true;
    try {
      upsert(await post(path, {}, { auth: true }), false);
    } catch (e) {
      fill($('status'), errorNotice(e));
      ev.target.disabled = false;
    }
  };
  return h('li', { class: `sev-${severity}${fresh ? ' fresh' : ''}`, 'data-alert-id': id, 'data-kind': kind, 'data-state': state,
    'data-party-id': field(a, 'party_id') || '', 'data-recall-id': field(a, 'recall_id') || null },
    h('div', { class: 'title' }, tOr(`kind.${kind}`, kind), ' ',
      pill(severityColour[severity] || 'grey', tOr(`severity.${severity}`, severity)), ' ',
      pill(stateColour[state] || 'grey', tOr(`state.${state}`, state))),
    // The server's sentence is English; in Chinese the facts above and below say the same.
    field(a, 'message') && getLang() === 'en' ? h('div', { lang: 'en' }, field(a, 'message')) : null,
    h('div', { class: 'meta' }, [subject, quantity(a), formatDateTime(field(a, 'created_at')),
      field(a, 'deadline') && `${t('alerts.deadline')} ${formatDateTime(field(a, 'deadline'))}`].filter(Boolean).join(' · ')),
    state !== 'RESOLVED' ? h('div', { class: 'actions' },
      state === 'OPEN' ? h('button', { type: 'button', class: 'small secondary', 'data-action': 'ack', onclick: act(endpoints.alertAck(id)) }, t('alerts.ack')) : null,
      h('button', { type: 'button', class: 'small', 'data-action': 'resolve', onclick: act(endpoints.alertResolve(id)) }, t('alerts.resolve'))) : null);
}

// The key and heading of an alert's group.
function groupOf(a) {
  const by = $('group').value;
  if (by === 'recall') return field(a, 'recall_id') ? [field(a, 'recall_id'), `${t('recall.id')} ${field(a, 'recall_id')}`] : ['', t('alerts.no_recall')];
  if (by === 'market') return [field(a, 'market_id') || '', field(a, 'market_name') || field(a, 'market_id') || t('stats.no_market')];
  const s = field(a, 'severity') || 'INFO';
  return [String(3 - ['INFO', 'WARNING', 'CRITICAL'].indexOf(s)), tOr(`severity.${s}`, s)];
}

function drawList() {
  const shown = [...byId.values()].filter(matches).sort((x, y) => sequence(y) - sequence(x));
  $('count').textContent = t('alerts.count', { n: shown.length });
  if ($('group').value && shown.length) {
    const byGroup = new Map();
    for (const a of shown) {
      const [key, title] = groupOf(a);
      if (!byGroup.has(key)) byGroup.set(key, { title, items: [] });
      byGroup.get(key).items.push(a);
    }
    const keys = [...byGroup.keys()].sort((x, y) => (x === '') - (y === '') || x.localeCompare(y));
    fill($('alerts'), keys.map((k) => h('li', { class: 'group', 'data-group': k },
      h('div', { class: 'group-head' }, h('h3', {}, byGroup.get(k).title), h('span', { class: 'hint' }, t('alerts.count', { n: byGroup.get(k).items.length }))),
      h('ul', { class: 'alerts' }, byGroup.get(k).items.map((a) => item(a))))));
  } else {
    fill($('alerts'), shown.length ? shown.map((a) => item(a)) : h('li', { class: 'empty' }, t('alerts.empty')));
  }
  fill($('more'), cursor ? h('button', { type: 'button', class: 'secondary', onclick: () => loadPage(cursor) }, t('alerts.more')) : null);
}

// Adds or replaces one alert; a new one goes on top, a changed one stays in its place.
function upsert(a, fromStream) {
  const id = field(a, 'alert_id');
  if (!id) return;
  const known = byId.has(id);
  byId.set(id, a);
  const list = $('alerts');
  const old = list.querySelector(`li[data-alert-id="${CSS.escape(id)}"]`);
  if (!matches(a)) {
    if (old) old.remove();
    return;
  }
  if ($('group').value) return drawList();
  const el = item(a, fromStream && !known);
  if (old) old.replaceWith(el);
  else {
    list.querySelector('li.empty')?.remove();
    list.prepend(el);
  }
  $('count').textContent = t('alerts.count', { n: [...byId.values()].filter(matches).length });
  if (fromStream && !known) loadSummary();
}

// The overview: tiles by severity, kind and market (each filters the list) and the recalls
// with open alerts, each with its progress and a link to its page.
function drawOverview() {
  if (!summary) return;
  if (summary.error) return fill($('overview'), errorNotice(summary.error));
  const s = summary.answer;
  const tile = (label, n, { colour, onclick, pressed, testid }) => h('button', { type: 'button', class: `tile ${colour || ''}`,
    'aria-pressed': pressed === undefined ? null : String(pressed), onclick, 'data-testid': testid }, h('strong', {}, String(n)), label);
  const sev = field(s, 'by_severity') || {};
  const kinds = Object.entries(field(s, 'by_kind') || {}).sort((a, b) => b[1] - a[1]);
  const markets = listOf(field(s, 'by_market'));
  const recalls = listOf(field(s, 'by_recall'));
  const setFilter = (id, v) => () => { $(id).value = $(id).value === v ? '' : v; onFilter(); };
  fill($('overview'),
    h('h2', { id: 'overview-h' }, t('alerts.overview', { n: field(s, 'open') || 0 })),
    h('div', { class: 'tiles', 'data-testid': 'by-severity' }, ['CRITICAL', 'WARNING', 'INFO'].map((k) => tile(tOr(`severity.${k}`, k), sev[k] || 0,
      { colour: severityColour[k], testid: `severity-${k}` }))),
    kinds.length ? h('div', { class: 'tiles', 'data-testid': 'by-kind' }, kinds.map(([k, n]) => tile(tOr(`kind.${k}`, k), n,
      { onclick: setFilter('kind', k), pressed: $('kind').value === k, testid: `kind-${k}` }))) : null,
    markets.length ? h('div', { class: 'tiles', 'data-testid': 'by-market' }, markets.map((m) => (field(m, 'market_id')
      ? tile(field(m, 'name') || field(m, 'market_id'), field(m, 'count'), { onclick: setFilter('market', field(m, 'market_id')),
        pressed: $('market').value === field(m, 'market_id'), testid: `market-${field(m, 'market_id')}` })
      : h('div', { class: 'tile', 'data-testid': 'market-none' }, h('strong', {}, String(field(m, 'count'))), t('stats.no_market'))))) : null,
    recalls.length ? h('ul', { class: 'cards', 'data-testid': 'by-recall' }, recalls.map((r) => {
      const rec = field(r, 'recall') || {};
      const totals = field(r, 'totals') || {};
      const completion = Number(field(r, 'completion') || 0);
      return h('li', { class: 'card', 'data-recall-id': field(r, 'recall_id') },
        h('strong', {}, t(`recall.level.${field(rec, 'level') || 'I'}`), ' · ', field(rec, 'product_name') || field(rec, 'gtin') || '', ' · ',
          h('a', { href: `/recall-progress.html?id=${encodeURIComponent(field(r, 'recall_id'))}` }, field(r, 'recall_id'))),
        h('div', { class: 'meta' }, t('alerts.recall_line', { n: field(r, 'count'), done: field(totals, 'holders_done') || 0, holders: field(totals, 'holders') || 0 }), ' ',
          h('progress', { max: '1', value: String(completion), 'aria-label': t('progress.completion') }), ` ${Math.round(completion * 100)}%`,
          field(r, 'overdue') ? [' ', pill('red', t('progress.overdue'))] : null));
    })) : null);
}

async function loadSummary() {
  try {
    summary = { answer: await get(endpoints.alertSummary, { auth: true }) };
  } catch (e) {
    summary = { error: e };
  }
  drawOverview();
  drawMarkets();
}

function onFilter() {
  loadPage(null);
  drawOverview();
}

// Keeps the newer of two copies of an alert (the stream may have delivered it already).
function merge(answer) {
  for (const a of listOf(answer, 'alerts')) {
    const id = field(a, 'alert_id');
    if (!byId.has(id) || changedAt(a) >= changedAt(byId.get(id))) byId.set(id, a);
  }
}

// The list comes oldest first; read pages up to kListPagesMax and show them newest first. Beyond
// that bound "load more" reads further pages.
const kListPagesMax = 4;

async function loadPage(from) {
  try {
    let ans = await get(withQuery(endpoints.alerts, { ...filters(), limit: 500, cursor: from || undefined }), { auth: true });
    for (let page = 1; page < kListPagesMax && field(ans, 'next_cursor'); page++) {
      merge(ans);
      ans = await get(withQuery(endpoints.alerts, { ...filters(), limit: 500, cursor: field(ans, 'next_cursor') }), { auth: true });
    }
    merge(ans);
    cursor = field(ans, 'next_cursor') || null;
    fill($('status'));
  } catch (e) {
    fill($('status'), errorNotice(e));
  }
  drawList();
}

function drawLive() {
  $('live').dataset.state = liveState;
  $('live-text').textContent = t(`alerts.live.${liveState}`);
}

function connect() {
  if (source) source.close();
  // Every kind: the page filters what it shows, so a filter change needs no new stream.
  const url = endpoints.alertStream;  // the session cookie signs the stream in
  source = new EventSource(url);
  liveState = 'connecting';
  drawLive();
  const onAlert = (ev) => {
    try {
      upsert(JSON.parse(ev.data), true);
    } catch {
      // A malformed event is skipped; the next list load shows the alert anyway.
    }
  };
  source.addEventListener('alert', onAlert);
  source.onmessage = onAlert;
  source.onopen = () => { liveState = 'open'; drawLive(); };
  source.onerror = () => { liveState = 'error'; drawLive(); };
}

function drawMarkets() {
  const current = $('market').value;
  const markets = summary && summary.answer ? listOf(field(summary.answer, 'by_market')).filter((m) => field(m, 'market_id')) : [];
  if (current && !markets.some((m) => field(m, 'market_id') === current)) markets.push({ market_id: current });
  fill($('market'), h('option', { value: '' }, t('alerts.all')),
    markets.map((m) => h('option', { value: field(m, 'market_id'), selected: field(m, 'market_id') === current }, field(m, 'name') || field(m, 'market_id'))));
}

function drawFilters() {
  const group = $('group').value;
  fill($('group'), groups.map((g) => h('option', { value: g, selected: g === group }, t(`alerts.group.${g || 'none'}`))));
  const { state, kind } = filters();
  fill($('state'), h('option', { value: '' }, t('alerts.all')),
    states.map((s) => h('option', { value: s, selected: s === state }, t(`state.${s}`))));
  fill($('kind'), h('option', { value: '' }, t('alerts.all')),
    kinds.map((k) => h('option', { value: k, selected: k === kind }, t(`kind.${k}`))));
}

startShell();
requireSession('regulator').then(() => {
  drawFilters();
  drawMarkets();
  $('state').value = 'OPEN';
  drawLive();
  $('state').addEventListener('change', () => loadPage(null));
  $('kind').addEventListener('change', onFilter);
  $('market').addEventListener('change', onFilter);
  $('group').addEventListener('change', drawList);
  window.addEventListener('foodtrace:lang', () => { drawFilters(); drawMarkets(); drawLive(); drawList(); drawOverview(); });
  loadSummary();
  // Subscribe first, then list: an alert raised in between arrives by the stream and the
  // list merges with it by id, so nothing falls in the gap.
  connect();
  loadPage(null);
});
