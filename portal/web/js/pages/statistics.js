// Statistics (regulator): alerts per day, by kind and by market; parties by kind; recall
// completion — drawn as SVG charts by charts.js.
import { endpoints, field, get, listOf, withQuery } from '../api.js';
import { t, tOr } from '../i18n.js';
import { daysAgo, errorNotice, fill, h, loading, today } from '../format.js';
import { barChart, lineChart } from '../charts.js';
import { requireSession, startShell } from '../shell.js';

const $ = (id) => document.getElementById(id);
let state = null;

// Every date from `from` to `to` inclusive, so days without alerts show as zero.
function daysBetween(from, to) {
  const out = [];
  const end = new Date(`${to}T00:00:00Z`);
  for (let d = new Date(`${from}T00:00:00Z`); d <= end && out.length < 400; d.setUTCDate(d.getUTCDate() + 1)) {
    out.push(d.toISOString().slice(0, 10));
  }
  return out;
}

function sumBy(rows, key) {
  const m = new Map();
  for (const r of rows) m.set(field(r, key) || '—', (m.get(field(r, key) || '—') || 0) + Number(field(r, 'count') || 0));
  return m;
}

const sortedBars = (entries, label) => [...entries].filter(([, v]) => v > 0).sort((a, b) => b[1] - a[1])
  .map(([k, v]) => ({ label: label(k), value: v }));

function recallLabel(r) {
  const id = String(field(r, 'recall_id') || '');
  // At most 11 characters (charts.js cuts longer labels): a short product name and the id's end.
  const tail = id.length > 6 ? `…${id.slice(-5)}` : id;
  const name = field(r, 'product_name') || '';
  return name ? `${name.slice(0, 4)} ${tail}` : tail;
}

function chartCard(titleKey, svg, empty) {
  return h('section', { class: 'card', 'data-chart': titleKey },
    h('h2', {}, t(titleKey)), empty ? h('p', { class: 'empty' }, t('stats.no_data')) : h('figure', { class: 'chart-figure' }, svg));
}

function draw() {
  if (!state) return;
  if (state.error) return fill($('stats'), errorNotice(state.error));
  const ans = state.answer;
  const byDay = listOf(field(ans, 'alerts_by_day'));
  const perDay = sumBy(byDay, 'date');
  const days = daysBetween(state.from, state.to).map((d) => ({ x: d, y: perDay.get(d) || 0 }));
  const entriesByDay = listOf(field(ans, 'entries_by_day'));
  const kindsMap = field(ans, 'alerts_by_kind') || Object.fromEntries(sumBy(byDay, 'kind'));
  const markets = sumBy(byDay, 'market_id');
  const partiesByKind = field(field(ans, 'ledger') || {}, 'parties_by_kind') || {};
  const recalls = listOf(field(ans, 'recalls'));
  const pct = (v) => `${Math.round(v * 100)}%`;
  const kindBars = sortedBars(Object.entries(kindsMap).map(([k, v]) => [k, Number(v)]), (k) => tOr(`kind.${k}`, k));
  const marketBars = sortedBars(markets, (k) => (k === '—' ? t('stats.no_market') : k));
  const partyBars = sortedBars(Object.entries(partiesByKind).map(([k, v]) => [k, Number(v)]), (k) => tOr(`partykind.${k}`, k));
  // Recall ids share a long date prefix ("RC-2026112…"): label each bar by product and the id's
  // distinguishing tail.
  const recallBars = recalls.map((r) => ({ label: recallLabel(r), value: Number(field(r, 'completion') || 0),
    colour: field(r, 'overdue') ? '#b3261e' : '#1e6b34' }));
  fill($('stats'), h('div', { class: 'charts' },
    entriesByDay.length ? chartCard('stats.entries_per_day', lineChart(entriesByDay.map((r) => ({ x: field(r, 'date'), y: Number(field(r, 'count') || 0) })),
      { title: t('stats.entries_per_day'), testid: 'chart-entries' })) : null,
    chartCard('stats.alerts_per_day', lineChart(days, { title: t('stats.alerts_per_day'), colour: '#b3261e', testid: 'chart-alerts-per-day' })),
    chartCard('stats.alerts_by_kind', barChart(kindBars, { title: t('stats.alerts_by_kind'), testid: 'chart-alerts-by-kind' }), !kindBars.length),
    chartCard('stats.alerts_by_market', barChart(marketBars, { title: t('stats.alerts_by_market'), testid: 'chart-alerts-by-market' }), !marketBars.length),
    chartCard('stats.parties', barChart(partyBars, { title: t('stats.parties'), colour: '#1e6b34', testid: 'chart-parties' }), !partyBars.length),
    chartCard('stats.recall_completion', barChart(recallBars, { title: t('stats.recall_completion'), format: pct, max: 1, testid: 'chart-recalls' }), !recallBars.length)));
}

async function load(from, to) {
  fill($('stats'), loading());
  try {
    state = { answer: await get(withQuery(endpoints.statistics, { from, to }), { auth: true }), from, to };
  } catch (e) {
    state = { error: e };
  }
  draw();
}

startShell();
requireSession('regulator').then(() => {
  const params = new URLSearchParams(location.search);
  $('from').value = params.get('from') || daysAgo(29);
  $('to').value = params.get('to') || today();
  $('period').addEventListener('submit', (ev) => {
    ev.preventDefault();
    load($('from').value, $('to').value);
  });
  window.addEventListener('foodtrace:lang', draw);
  load($('from').value, $('to').value);
});
