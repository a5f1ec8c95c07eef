// Small helpers shared by the pages: safe element building, dates, quantities, error notices.
import { getLang, t, tOr } from './i18n.js';
import { field } from './api.js';
import { marketDaysAgo, marketTimeZone, marketToday } from './clock.js';
import { errorText } from './errors.js';

// h('div', {class: 'x', onclick: fn}, child, 'text', [children]) — children are nodes or
// strings (always inserted as text, never as HTML).
export function h(tag, attrs = {}, ...children) {
  const el = tag.startsWith('svg:')
    ? document.createElementNS('http://www.w3.org/2000/svg', tag.slice(4))
    : document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === undefined || c === null || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

// Replaces the children of `el`.
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

const locale = () => (getLang() === 'zh' ? 'zh-CN' : 'en-GB');

// An instant's parts in the market's zone (the server's, from clock.js).
function marketParts(ms) {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: marketTimeZone(), year: 'numeric', month: '2-digit', day: '2-digit',
    hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
  }).formatToParts(new Date(ms));
  const p = Object.fromEntries(parts.map((x) => [x.type, x.value]));
  return { date: `${p.year}-${p.month}-${p.day}`, time: `${p.hour}:${p.minute}` };
}

function instantOf(v) {
  if (v === undefined || v === null || v === '' || v === 0 || v === '0') return null;
  const ms = /^\d+$/.test(String(v)) ? Number(v) : Date.parse(v);
  return Number.isFinite(ms) ? ms : NaN;
}

// One date format everywhere: YYYY-MM-DD. A date string stays as it is (it is what the package
// prints); an instant (milliseconds or ISO text) becomes its market date.
export function formatDate(v) {
  if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v)) return v;
  const ms = instantOf(v);
  if (ms === null) return '—';
  return Number.isNaN(ms) ? String(v) : marketParts(ms).date;
}

// An instant as "YYYY-MM-DD HH:mm" in the market's time zone.
export function formatDateTime(v) {
  const ms = instantOf(v);
  if (ms === null) return '—';
  if (Number.isNaN(ms)) return String(v);
  const { date, time } = marketParts(ms);
  return `${date} ${time}`;
}

// A quantity in its unit's word; whole kilograms and litres and more are shown in the larger
// unit (15500 g → 15.5 千克), as the vendor typed them; the ledger keeps the exact grams.
export function formatQuantity(q, unit) {
  let n = Number(q ?? 0);
  let shown = unit;
  const larger = { GRM: 'KGM', MLT: 'LTR' }[unit];
  if (larger && Math.abs(n) >= 1000 && Number.isInteger(n)) {
    n /= 1000;  // exact for whole grams: at most three decimals
    shown = larger;
  }
  const u = shown ? tOr(`unit.${shown}`, shown) : '';
  return `${n.toLocaleString(locale(), { maximumFractionDigits: 3 })}${u ? ` ${u}` : ''}`;
}

// Today's market date and one `n` days before it (the server's clock and zone).
export const today = marketToday;
export const daysAgo = marketDaysAgo;

// An error notice for an ApiError (or any Error): the sentence for its code in the page's
// language (errors.js), with the code beside it for support; never the server's English.
export function errorNotice(err) {
  const code = err && err.code;
  return h('div', { class: 'notice error', role: 'alert', 'data-code': code || null, 'data-field': (err && err.field) || null },
    h('strong', {}, t('err.prefix')), errorText(err),
    code && code !== 'NETWORK' ? [' ', h('code', { class: 'error-code' }, code)] : null);
}

export const loading = () => h('p', { class: 'loading', role: 'status' }, t('common.loading'));
export const empty = (key) => h('p', { class: 'empty' }, t(key));

// "GTIN / lot" of a record, whichever names it has.
export function productOf(rec) {
  return field(rec, 'product_name') || field(rec, 'name') || field(rec, 'gtin') || field(rec, 'product_code') || '';
}

// Table helper: columns [{key: i18n key, cell: row => node|string, num: bool, primary: bool}].
// Phone first: below 600 px (app.css) each row is a card and every cell shows its column's name
// from data-label, so no column is cut off and nothing scrolls sideways; a `primary` cell is the
// card's title. Every page that lists records uses this, so a new page gets it by default.
export function table(columns, rows, { caption, rowAttrs } = {}) {
  return h('div', { class: 'table-wrap' },
    h('table', {},
      caption ? h('caption', { class: 'visually-hidden' }, caption) : null,
      h('thead', {}, h('tr', {}, columns.map((c) => h('th', { scope: 'col', class: c.num ? 'num' : null }, t(c.key))))),
      h('tbody', {}, rows.map((r, i) => h('tr', rowAttrs ? rowAttrs(r, i) : {},
        columns.map((c) => h('td', { class: c.num ? 'num' : null, 'data-label': t(c.key), 'data-primary': c.primary || null,
          'data-col': c.key }, c.cell(r, i))))))));
}

export function pill(colour, text) {
  return h('span', { class: `pill ${colour}` }, text);
}
