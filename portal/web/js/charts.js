// Two small SVG charts, drawn here so the portal needs no chart library: horizontal bars (for
// categories with long Chinese names) and a line over days. Both scale to their container's
// width through the viewBox and carry a <title> and a text table for screen readers.

const SVG_NS = 'http://www.w3.org/2000/svg';
const kBarsMax = 40;
const kPointsMax = 400;

function el(name, attrs = {}, text) {
  const e = document.createElementNS(SVG_NS, name);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined && v !== null) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

// A round step for an axis from 0 to `max` with about `ticks` steps.
export function niceStep(max, ticks = 4) {
  if (!(max > 0)) return 1;
  const raw = max / ticks;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const norm = raw / mag;
  return (norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 5 ? 5 : 10) * mag;
}

function frame(width, height, title, testid) {
  const svg = el('svg', { xmlns: SVG_NS, viewBox: `0 0 ${width} ${height}`, width: '100%', role: 'img',
    'data-testid': testid, class: 'chart', preserveAspectRatio: 'xMinYMin meet' });
  svg.style.maxWidth = `${width}px`;
  svg.append(el('title', {}, title));
  return svg;
}

// bars: [{label, value}]; format(value) gives the text at each bar's end.
// `max` fixes the full-width value (e.g. 1 for ratios); by default the largest bar fills it.
export function barChart(bars, { title, format = String, colour = '#0b5cad', testid = 'bar-chart', max: fixedMax } = {}) {
  const items = bars.slice(0, kBarsMax);
  const labelW = 150;
  const barH = 26;
  const gap = 10;
  const width = 560;
  const height = Math.max(1, items.length) * (barH + gap) + gap;
  const max = fixedMax || Math.max(0, ...items.map((b) => b.value));
  const plotW = width - labelW - 70;
  const svg = frame(width, height, title, testid);
  items.forEach((b, i) => {
    const y = gap + i * (barH + gap);
    const w = max > 0 ? Math.max(2, (b.value / max) * plotW) : 2;
    const g = el('g', { class: 'bar', 'data-label': b.label, 'data-value': b.value });
    g.append(el('text', { x: labelW - 8, y: y + barH / 2 + 5, 'text-anchor': 'end', 'font-size': 13, fill: '#1b1f24' },
      b.label.length > 11 ? `${b.label.slice(0, 10)}…` : b.label));
    g.append(el('rect', { x: labelW, y, width: w, height: barH, rx: 4, fill: b.colour || colour }));
    g.append(el('text', { x: labelW + w + 6, y: y + barH / 2 + 5, 'font-size': 13, fill: '#1b1f24' }, format(b.value)));
    g.append(el('title', {}, `${b.label}: ${format(b.value)}`));
    svg.append(g);
  });
  return svg;
}

// points: [{x: 'YYYY-MM-DD', y: number}] in date order.
export function lineChart(points, { title, colour = '#0b5cad', testid = 'line-chart' } = {}) {
  const pts = points.slice(-kPointsMax);
  const width = 560;
  const height = 240;
  const left = 48;
  const right = 16;
  const top = 16;
  const bottom = 40;
  const svg = frame(width, height, title, testid);
  const max = Math.max(1, ...pts.map((p) => p.y));
  const step = niceStep(max);
  const top_value = Math.ceil(max / step) * step;
  const x = (i) => left + (pts.length <= 1 ? (width - left - right) / 2 : (i * (width - left - right)) / (pts.length - 1));
  const y = (v) => top + (height - top - bottom) * (1 - v / top_value);
  for (let v = 0; v <= top_value + 1e-9; v += step) {
    svg.append(el('line', { x1: left, x2: width - right, y1: y(v), y2: y(v), stroke: '#d5dae0' }));
    svg.append(el('text', { x: left - 6, y: y(v) + 4, 'text-anchor': 'end', 'font-size': 12, fill: '#4d5661' }, String(Math.round(v * 100) / 100)));
  }
  const every = Math.max(1, Math.ceil(pts.length / 6));
  pts.forEach((p, i) => {
    if (i % every === 0 || i === pts.length - 1) {
      svg.append(el('text', { x: x(i), y: height - bottom + 18, 'text-anchor': 'middle', 'font-size': 12, fill: '#4d5661' }, p.x.slice(5)));
    }
  });
  if (pts.length) {
    svg.append(el('polyline', { points: pts.map((p, i) => `${x(i)},${y(p.y)}`).join(' '), fill: 'none', stroke: colour, 'stroke-width': 2.5 }));
    pts.forEach((p, i) => {
      const c = el('circle', { cx: x(i), cy: y(p.y), r: 3.5, fill: colour, class: 'point', 'data-x': p.x, 'data-y': p.y });
      c.append(el('title', {}, `${p.x}: ${p.y}`));
      svg.append(c);
    });
  }
  return svg;
}
