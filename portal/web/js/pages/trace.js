// Trace graph (regulator): a lot traced down (who received it, who holds it now) or up (where
// it came from), drawn as a picture of parties and flows, with the holders in a table below.
// Deep link: /trace.html?gtin=…&lot=…[&direction=up&party=…].
import { apiErrorOf, endpoints, field, get, listOf, withQuery } from '../api.js';
import { t } from '../i18n.js';
import { errorNotice, fill, formatQuantity, h, loading, table } from '../format.js';
import { buildGraph, panZoom, renderGraph } from '../trace-graph.js';
import { requireSession, startShell } from '../shell.js';

const $ = (id) => document.getElementById(id);
let state = null;  // {answer, query} or {error}

function holdersTable(answer) {
  const parties = field(answer, 'parties') || {};
  const holders = listOf(field(answer, 'holders'));
  if (!holders.length) return null;
  return [h('h2', {}, t('trace.holders')), table([
    { key: 'progress.holder', primary: true, cell: (r) => [field(parties[field(r, 'party_id')] || {}, 'name') || field(r, 'party_id'),
      h('div', { class: 'hint' }, field(r, 'party_id'))] },
    { key: 'lot.lot', cell: (r) => field(r, 'lot') },
    { key: 'progress.received', num: true, cell: (r) => formatQuantity(field(r, 'received'), field(r, 'unit')) },
    { key: 'progress.on_hand', num: true, cell: (r) => formatQuantity(field(r, 'on_hand'), field(r, 'unit')) },
    { key: 'stock.unconfirmed', num: true, cell: (r) => formatQuantity(field(r, 'unconfirmed'), field(r, 'unit')) },
  ], holders, { rowAttrs: (r) => ({ 'data-party-id': field(r, 'party_id') }) })];
}

// The lot's records for others' systems: the FSMA 204 spreadsheet and GS1 EPCIS 2.0 JSON,
// fetched with the session cookie and handed to the browser as a file to save.
function exports(query) {
  const download = (path, name) => async (ev) => {
    ev.target.disabled = true;
    try {
      const res = await fetch(withQuery(path, { gtin: query.gtin, lot: query.lot }), { credentials: 'same-origin' });
      if (!res.ok) {
        const body = await res.json().catch(() => null);
        throw apiErrorOf(res.status, body && body.error);
      }
      const url = URL.createObjectURL(await res.blob());
      const a = h('a', { href: url, download: name });
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10000);
      fill($('export-status'));
    } catch (e) {
      fill($('export-status'), errorNotice(e));
    }
    ev.target.disabled = false;
  };
  const base = `${query.gtin}-${query.lot}`.replace(/[^\w.-]+/g, '_');
  return h('div', { class: 'card', 'data-testid': 'exports' },
    h('h2', {}, t('trace.exports')),
    h('div', { class: 'actions' },
      h('button', { type: 'button', class: 'secondary', 'data-export': 'fsma', onclick: download(endpoints.exportFsma, `fsma204-${base}.csv`) }, t('trace.export_fsma')),
      h('button', { type: 'button', class: 'secondary', 'data-export': 'epcis', onclick: download(endpoints.exportEpcis, `epcis-${base}.jsonld`) }, t('trace.export_epcis'))),
    h('div', { id: 'export-status', 'aria-live': 'polite' }));
}

function draw() {
  if (!state) return;
  if (state.error) return fill($('graph'), errorNotice(state.error));
  const graph = buildGraph(state.answer);
  if (!graph.nodes.length) return fill($('graph'), h('p', { class: 'empty' }, t('trace.empty')));
  const svg = renderGraph(graph, {
    label: t('trace.graph_label', { lot: state.query.lot }),
    external: t('trace.external'),
    consumers: t('trace.consumers'),
    made: (lot, q) => t('trace.made', { lot, q }).trim(),
    onHand: (q) => t('trace.on_hand', { q }),
    quantity: formatQuantity,
  });
  const zoom = panZoom(svg, { zoomIn: t('trace.zoom_in'), zoomOut: t('trace.zoom_out'), reset: t('trace.zoom_reset') });
  fill($('graph'),
    field(state.answer, 'truncated') || graph.truncated ? h('div', { class: 'notice info' }, t('trace.truncated')) : null,
    h('div', { class: 'legend', 'aria-hidden': 'true' },
      h('span', { class: 'flow' }, t('trace.legend.flow')),
      h('span', { class: 'transformed' }, t('trace.legend.transformed')),
      h('span', { class: 'unconfirmed' }, t('trace.legend.unconfirmed'))),
    zoom,
    h('figure', { class: 'picture zoomable' }, svg,
      h('figcaption', {}, t('trace.caption', { n: graph.nodes.length, m: graph.edges.length }))),
    exports(state.query),
    holdersTable(state.answer));
  zoom.start();
}

async function load(query) {
  fill($('graph'), loading());
  const up = query.direction === 'up';
  const path = up ? withQuery(endpoints.traceUp, { party: query.party, gtin: query.gtin, lot: query.lot })
    : withQuery(endpoints.traceDown, { gtin: query.gtin, lot: query.lot });
  try {
    state = { answer: await get(path, { auth: true }), query };
  } catch (e) {
    state = { error: e };
  }
  draw();
}

function readForm() {
  return { gtin: $('gtin').value.trim(), lot: $('lot').value.trim(), direction: $('direction').value, party: $('party').value.trim() };
}

startShell();
requireSession('regulator').then(() => {
  const params = new URLSearchParams(location.search);
  $('gtin').value = params.get('gtin') || '';
  $('lot').value = params.get('lot') || '';
  $('direction').value = params.get('direction') === 'up' ? 'up' : 'down';
  $('party').value = params.get('party') || '';
  const syncParty = () => { $('party-row').hidden = $('direction').value !== 'up'; };
  syncParty();
  $('direction').addEventListener('change', syncParty);
  $('trace-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const q = readForm();
    history.replaceState(null, '', withQuery(location.pathname, q.direction === 'up' ? q : { gtin: q.gtin, lot: q.lot }));
    load(q);
  });
  window.addEventListener('foodtrace:lang', draw);
  if ($('gtin').value && $('lot').value) load(readForm());
});
