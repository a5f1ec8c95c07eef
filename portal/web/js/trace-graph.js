// The trace graph as a picture: parties are boxes laid out in columns by depth (origin on the
// left), flows are arrows labelled with quantities. Flows of a transformed lot (a lot made from
// the traced one) are dashed purple; flows only one side has recorded are dotted grey; outside
// suppliers (ids "ext:…") have a dashed box. A party that made a new lot by TRANSFORM (an
// edge "xf:P" → P) gets a purple box naming the lot it made; "consumers" is one box.
//
// buildGraph() turns a trace answer (docs/api.md, Trace) into {nodes, edges}; layout() gives
// each node a column and row; renderGraph() draws the SVG. Limits: kNodesMax boxes.
import { field, listOf } from './api.js';

const kNodesMax = 400;
const kNameCharsMax = 12;
const NODE_W = 170;
const NODE_H = 70;
const COL_GAP = 100;
const ROW_GAP = 26;
const PAD = 16;
const ARC_H = 56;
const SVG_NS = 'http://www.w3.org/2000/svg';

// Nodes and edges from a trace-down answer ({edges, holders, parties, lot}) or a trace-up
// answer ({chain, parties}).
export function buildGraph(answer) {
  const parties = field(answer, 'parties') || {};
  const rootLot = field(field(field(answer, 'lot') || {}, 'ref') || {}, 'lot') || field(answer, 'lot');
  const nodes = new Map();
  const node = (id) => {
    if (!id) return null;
    if (!nodes.has(id)) {
      const p = parties[id] || {};
      const external = id.startsWith('ext:');
      nodes.set(id, {
        id, external, consumers: id === 'consumers', kind: field(p, 'kind') || (external ? 'EXTERNAL' : ''),
        name: field(p, 'name') || (external ? id.slice(4) : id),
        holdings: new Map(), holder: false, lotsIn: new Set(), lotsOut: new Set(), made: [],
      });
    }
    return nodes.get(id);
  };
  const edges = [];
  const made = [];  // [party, lot, quantity, unit] of each TRANSFORM output
  const chain = listOf(field(answer, 'chain'));
  for (const e of listOf(field(answer, 'edges'))) {
    const from = field(e, 'from') || '';
    if (from.startsWith('xf:')) {
      made.push([from.slice(3), field(e, 'lot') || '', Number(field(e, 'quantity') || 0), field(e, 'unit') || '']);
      if (from.slice(3) === field(e, 'to')) continue;
    }
    const shipped = Number(field(e, 'shipped') || 0);
    const received = Number(field(e, 'received') || 0);
    edges.push({
      from: from.startsWith('xf:') ? from.slice(3) : from, to: field(e, 'to'), lot: field(e, 'lot') || '',
      quantity: Number(field(e, 'quantity') ?? Math.max(shipped, received)), unit: field(e, 'unit') || '',
      oneSided: received === 0 && shipped > 0, date: field(e, 'first_on') || '',
    });
  }
  for (const s of chain) {
    const source = field(s, 'received_from') || '';
    if (!source) continue;
    if (source.startsWith('xf:')) {
      made.push([source.slice(3), field(s, 'lot') || '', null, '']);
      continue;
    }
    edges.push({ from: source, to: field(s, 'party_id'), lot: field(s, 'lot') || '', quantity: null, unit: '',
      oneSided: false, date: field(s, 'received_on') || '' });
  }
  const traced = rootLot || (chain[0] && field(chain[0], 'lot')) || (edges[0] && edges[0].lot) || '';
  for (const e of edges) {
    e.transformed = Boolean(traced && e.lot && e.lot !== traced);
    node(e.from).lotsOut.add(e.lot);
    node(e.to).lotsIn.add(e.lot);
  }
  for (const s of chain) node(field(s, 'party_id'));
  for (const [party, lot, quantity, unit] of made) node(party).made.push({ lot, quantity, unit });
  for (const hd of listOf(field(answer, 'holders'))) {
    const n = node(field(hd, 'party_id'));
    n.holder = true;
    const lot = field(hd, 'lot') || '';
    const had = n.holdings.get(lot) || { quantity: 0, unit: field(hd, 'unit') || '' };
    had.quantity += Number(field(hd, 'on_hand') || 0) + Number(field(hd, 'unconfirmed') || 0);
    n.holdings.set(lot, had);
  }
  for (const n of nodes.values()) {
    // What the box says it holds: the traced lot, else the first lot made from it.
    const lot = n.holdings.has(traced) ? traced : [...n.holdings.keys()][0];
    n.onHand = lot !== undefined ? { lot, ...n.holdings.get(lot), other: lot !== traced } : null;
    n.transformer = n.made.length > 0 || ([...n.lotsOut].some((l) => l && !n.lotsIn.has(l)) && n.lotsIn.size > 0);
  }
  return { nodes: [...nodes.values()].slice(0, kNodesMax), edges, tracedLot: traced, truncated: nodes.size > kNodesMax };
}

// Columns by longest path from the sources (bounded, so a cycle cannot loop), rows ordered by
// the mean row of each node's predecessors to keep arrows short.
export function layout(graph) {
  const ids = new Set(graph.nodes.map((n) => n.id));
  const edges = graph.edges.filter((e) => ids.has(e.from) && ids.has(e.to) && e.from !== e.to);
  const col = new Map(graph.nodes.map((n) => [n.id, 0]));
  for (let pass = 0; pass < graph.nodes.length; pass++) {
    let changed = false;
    for (const e of edges) {
      if (col.get(e.to) < col.get(e.from) + 1 && col.get(e.from) + 1 < graph.nodes.length) {
        col.set(e.to, col.get(e.from) + 1);
        changed = true;
      }
    }
    if (!changed) break;
  }
  const columns = [];
  for (const n of graph.nodes) (columns[col.get(n.id)] ||= []).push(n);
  const row = new Map();
  columns.forEach((nodes, c) => {
    const weight = (n) => {
      const preds = edges.filter((e) => e.to === n.id && col.get(e.from) < c).map((e) => row.get(e.from));
      return preds.length ? preds.reduce((a, b) => a + b, 0) / preds.length : 0;
    };
    nodes.sort((a, b) => weight(a) - weight(b) || a.id.localeCompare(b.id));
    nodes.forEach((n, r) => row.set(n.id, r));
  });
  const rowsMax = Math.max(1, ...columns.map((c) => (c ? c.length : 0)));
  // Flows that skip a column arc above the boxes, so room is kept on top for them.
  const top = PAD + (edges.some((e) => col.get(e.to) - col.get(e.from) > 1) ? ARC_H : 0);
  const height = top + PAD + rowsMax * NODE_H + (rowsMax - 1) * ROW_GAP + 24;
  const pos = new Map();
  columns.forEach((nodes, c) => {
    const offset = ((rowsMax - nodes.length) * (NODE_H + ROW_GAP)) / 2;
    nodes.forEach((n, r) => pos.set(n.id, { x: PAD + c * (NODE_W + COL_GAP), y: top + offset + r * (NODE_H + ROW_GAP), col: c }));
  });
  const width = PAD * 2 + columns.length * NODE_W + Math.max(0, columns.length - 1) * COL_GAP;
  return { pos, edges, width, height };
}

function el(name, attrs = {}, text) {
  const e = document.createElementNS(SVG_NS, name);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined && v !== null) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

const shorten = (s) => (s.length > kNameCharsMax ? `${s.slice(0, kNameCharsMax - 1)}…` : s);
const styles = {
  flow: { stroke: '#0b5cad', dash: null },
  transformed: { stroke: '#7b3fa0', dash: '8 5' },
  oneSided: { stroke: '#6b7580', dash: '2 4' },
};

// Draws the graph; `text` supplies the translated words {label, external, consumers,
// onHand(q), made(lot, q), quantity(q, unit)}.
export function renderGraph(graph, text) {
  const { pos, edges, width, height } = layout(graph);
  const svg = el('svg', { xmlns: SVG_NS, width, height, viewBox: `0 0 ${width} ${height}`, role: 'img',
    'aria-labelledby': 'trace-graph-title', 'data-testid': 'trace-graph', class: 'trace-graph' });
  svg.append(el('title', { id: 'trace-graph-title' }, text.label));
  const defs = el('defs');
  for (const [name, s] of Object.entries(styles)) {
    const m = el('marker', { id: `arrow-${name}`, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 8, markerHeight: 8, orient: 'auto-start-reverse' });
    m.append(el('path', { d: 'M0,0 L10,5 L0,10 z', fill: s.stroke }));
    defs.append(m);
  }
  svg.append(defs);
  const pairCount = new Map();
  const edgeLayer = el('g', { class: 'edges' });
  for (const e of edges) {
    const a = pos.get(e.from);
    const b = pos.get(e.to);
    const key = `${e.from}>${e.to}`;
    const k = pairCount.get(key) || 0;
    pairCount.set(key, k + 1);
    const style = e.transformed ? 'transformed' : e.oneSided ? 'oneSided' : 'flow';
    const x1 = a.x + NODE_W;
    const y1 = a.y + NODE_H / 2 + k * 8;
    const x2 = b.x - 2;
    const y2 = b.y + NODE_H / 2 + k * 8;
    const back = x2 <= x1;
    const long = !back && b.col - a.col > 1;
    const arcY = Math.min(a.y, b.y) - ARC_H + 12 - k * 10;
    const d = long
      ? `M${a.x + NODE_W / 2},${a.y} C${a.x + NODE_W / 2},${arcY} ${b.x + NODE_W / 2},${arcY} ${b.x + NODE_W / 2},${b.y - 2}`
      : back
      ? `M${a.x + NODE_W / 2},${a.y + NODE_H} C${a.x + NODE_W / 2},${a.y + NODE_H + 60} ${b.x + NODE_W / 2},${b.y + NODE_H + 60} ${b.x + NODE_W / 2},${b.y + NODE_H + 2}`
      : `M${x1},${y1} C${(x1 + x2) / 2},${y1} ${(x1 + x2) / 2},${y2} ${x2},${y2}`;
    const g = el('g', { class: `edge ${style}`, 'data-from': e.from, 'data-to': e.to, 'data-lot': e.lot });
    g.append(el('path', { d, fill: 'none', stroke: styles[style].stroke, 'stroke-width': 2.2,
      'stroke-dasharray': styles[style].dash, 'marker-end': `url(#arrow-${style})` }));
    const label = [e.quantity !== null ? text.quantity(e.quantity, e.unit) : '', e.transformed ? e.lot : ''].filter(Boolean).join(' · ');
    if (label) {
      const lx = back || long ? (a.x + b.x + NODE_W) / 2 : (x1 + x2) / 2;
      const ly = long ? arcY + 14 : back ? Math.max(a.y, b.y) + NODE_H + 50 : (y1 + y2) / 2 - 6 - k * 12;
      g.append(el('text', { x: lx, y: ly, 'text-anchor': 'middle', class: 'edge-label', 'font-size': 12,
        fill: styles[style].stroke, stroke: '#fff', 'stroke-width': 4, 'paint-order': 'stroke' }, label));
    }
    g.append(el('title', {}, `${e.from} → ${e.to} ${e.lot} ${label}`));
    edgeLayer.append(g);
  }
  const nodeLayer = el('g', { class: 'nodes' });
  for (const n of graph.nodes) {
    const p = pos.get(n.id);
    const g = el('g', { class: `node${n.external ? ' external' : ''}${n.transformer ? ' transformer' : ''}`,
      'data-party-id': n.id, transform: `translate(${p.x},${p.y})` });
    const name = n.consumers ? text.consumers : n.name;
    g.append(el('title', {}, `${name} (${n.external ? text.external : n.id})`));
    g.append(el('rect', { width: NODE_W, height: NODE_H, rx: 8, fill: n.holder ? '#eef5fc' : '#ffffff',
      stroke: n.transformer ? '#7b3fa0' : n.external ? '#6b7580' : '#0b5cad', 'stroke-width': n.transformer ? 3 : 2,
      'stroke-dasharray': n.external ? '6 4' : null }));
    g.append(el('text', { x: 10, y: 22, 'font-size': 14, 'font-weight': 700, fill: '#1b1f24' }, shorten(name)));
    const held = n.onHand && n.onHand.quantity
      ? text.onHand(`${n.onHand.other ? `${n.onHand.lot} ` : ''}${text.quantity(n.onHand.quantity, n.onHand.unit)}`) : '';
    const sub = n.external ? text.external : n.consumers ? '' : held ? `${n.id} · ${held}` : n.id;
    g.append(el('text', { x: 10, y: 42, 'font-size': 12, fill: '#4d5661' }, sub.length > 26 ? `${sub.slice(0, 25)}…` : sub));
    if (n.made.length) {
      const m = n.made[0];
      const line = text.made(m.lot, m.quantity !== null ? text.quantity(m.quantity, m.unit) : '') + (n.made.length > 1 ? ` +${n.made.length - 1}` : '');
      g.append(el('text', { x: 10, y: 60, 'font-size': 12, fill: '#7b3fa0', class: 'made' }, line.length > 26 ? `${line.slice(0, 25)}…` : line));
    }
    nodeLayer.append(g);
  }
  svg.append(edgeLayer, nodeLayer);
  return svg;
}

// Pan and zoom for a drawn graph: it fits its container's width (on a phone the whole graph
// shows at once), the buttons zoom in, out and back, and dragging (mouse or one finger) pans
// by moving the SVG's viewBox; the wheel zooms around the pointer. `labels` are the buttons'
// translated names {zoomIn, zoomOut, reset}. Returns the controls to put above the picture.
export function panZoom(svg, labels) {
  const [x0, y0, w0, h0] = svg.getAttribute('viewBox').split(' ').map(Number);
  let view = { x: x0, y: y0, w: w0, h: h0 };
  const apply = () => svg.setAttribute('viewBox', `${view.x} ${view.y} ${view.w} ${view.h}`);
  const zoom = (factor, cx = view.x + view.w / 2, cy = view.y + view.h / 2) => {
    const w = Math.min(w0 * 4, Math.max(w0 / 8, view.w * factor));
    const k = w / view.w;
    view = { x: cx - (cx - view.x) * k, y: cy - (cy - view.y) * k, w, h: view.h * k };
    apply();
  };
  svg.removeAttribute('width');
  svg.removeAttribute('height');
  let drag = null;
  svg.addEventListener('pointerdown', (e) => {
    drag = { x: e.clientX, y: e.clientY, view: { ...view } };
    svg.setPointerCapture(e.pointerId);
  });
  svg.addEventListener('pointermove', (e) => {
    if (!drag) return;
    const scale = view.w / (svg.clientWidth || view.w);
    view = { ...drag.view, x: drag.view.x - (e.clientX - drag.x) * scale, y: drag.view.y - (e.clientY - drag.y) * scale };
    apply();
  });
  const end = () => { drag = null; };
  svg.addEventListener('pointerup', end);
  svg.addEventListener('pointercancel', end);
  svg.addEventListener('wheel', (e) => {
    e.preventDefault();
    const r = svg.getBoundingClientRect();
    const cx = view.x + ((e.clientX - r.left) / (r.width || 1)) * view.w;
    const cy = view.y + ((e.clientY - r.top) / (r.height || 1)) * view.h;
    zoom(e.deltaY > 0 ? 1.2 : 1 / 1.2, cx, cy);
  }, { passive: false });
  const button = (text, action, name) => {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'small secondary';
    b.dataset.zoom = name;
    b.textContent = text;
    b.addEventListener('click', action);
    return b;
  };
  const controls = document.createElement('div');
  controls.className = 'zoom-controls';
  // Once on screen: a graph that would be drawn below 3/4 of its size (a phone) starts at that
  // scale, at its origin (left), to be panned; a small one shows whole.
  controls.start = () => {
    const cw = svg.clientWidth;
    const ch = svg.clientHeight;
    if (!cw || !ch || cw >= w0 * 0.75) return;
    const w = cw / 0.75;
    const hh = w * (ch / cw);
    view = { x: x0, y: y0 + (h0 - hh) / 2, w, h: hh };
    apply();
  };
  controls.append(button(labels.zoomIn, () => zoom(1 / 1.5), 'in'), button(labels.zoomOut, () => zoom(1.5), 'out'),
    button(labels.reset, () => { view = { x: x0, y: y0, w: w0, h: h0 }; apply(); }, 'reset'));
  return controls;
}
