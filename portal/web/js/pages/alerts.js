// Live alerts (regulator): the newest alerts, then every alert created or changed while the
// page is open, pushed by Server-Sent Events and put at the top without a reload. Each alert
// can be acknowledged or resolved here.
import { endpoints, field, get, getSession, listOf, post, withQuery } from '../api.js';
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
const filters = () => ({ state: $('state').value, kind: $('kind').value });
const matches = (a) => (!filters().state || field(a, 'state') === filters().state)
  && (!filters().kind || field(a, 'kind') === filters().kind);

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
  const subject = [field(a, 'party_id') && `${t('alerts.party')} ${field(a, 'party_id')}`,
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
  return h('li', { class: `sev-${severity}${fresh ? ' fresh' : ''}`, 'data-alert-id': id, 'data-kind': kind, 'data-state': state },
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

function drawList() {
  const shown = [...byId.values()].filter(matches).sort((x, y) => sequence(y) - sequence(x));
  fill($('alerts'), shown.length ? shown.map((a) => item(a)) : h('li', { class: 'empty' }, t('alerts.empty')));
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
  const el = item(a, fromStream && !known);
  if (old) old.replaceWith(el);
  else {
    list.querySelector('li.empty')?.remove();
    list.prepend(el);
  }
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
  const url = withQuery(endpoints.alertStream, { access_token: getSession().token, kind: filters().kind });
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

function drawFilters() {
  const { state, kind } = filters();
  fill($('state'), h('option', { value: '' }, t('alerts.all')),
    states.map((s) => h('option', { value: s, selected: s === state }, t(`state.${s}`))));
  fill($('kind'), h('option', { value: '' }, t('alerts.all')),
    kinds.map((k) => h('option', { value: k, selected: k === kind }, t(`kind.${k}`))));
}

startShell();
requireSession('regulator').then(() => {
  drawFilters();
  $('state').value = 'OPEN';
  drawLive();
  $('state').addEventListener('change', () => loadPage(null));
  $('kind').addEventListener('change', () => { loadPage(null); connect(); });
  window.addEventListener('foodtrace:lang', () => { drawFilters(); drawLive(); drawList(); });
  // Subscribe first, then list: an alert raised in between arrives by the stream and the
  // list merges with it by id, so nothing falls in the gap.
  connect();
  loadPage(null);
});
