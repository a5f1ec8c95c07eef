// The portal's JSON API as the pages use it: every endpoint path in one place, the signed-in
// session, and errors as values a page can show: an ApiError carries the server's
// {"error":{"code","message","field","details"}} (errors.js words it).
// Signing in (shell.js) trades a one-time pairing code or a pasted token for a session the
// server keeps in an HttpOnly, SameSite=Strict cookie: no page script ever holds a token; the
// browser sends the cookie with every same-origin request. Only who is signed in ({role,
// party}) is remembered in sessionStorage, for the header. The API: docs/api.md.

const SESSION_KEY = 'foodtrace.session';

export const endpoints = {
  lookup: (code) => `/api/v1/lookup?code=${encodeURIComponent(code)}`,
  lookupImage: '/api/v1/lookup/image',
  recalls: '/api/v1/recalls',
  recall: (id) => `/api/v1/recalls/${encodeURIComponent(id)}`,
  recallProgress: (id) => `/api/v1/recalls/${encodeURIComponent(id)}/progress`,
  testResults: '/api/v1/test-results',
  party: (id) => `/api/v1/parties/${encodeURIComponent(id)}`,
  partyLedger: (id) => `/api/v1/parties/${encodeURIComponent(id)}/ledger`,
  alerts: '/api/v1/alerts',
  alertStream: '/api/v1/alerts/stream',  // EventSource: the token goes in ?access_token=
  alertAck: (id) => `/api/v1/alerts/${encodeURIComponent(id)}/ack`,
  alertResolve: (id) => `/api/v1/alerts/${encodeURIComponent(id)}/resolve`,
  traceDown: '/api/v1/trace/down',
  traceUp: '/api/v1/trace/up',
  parties: '/api/v1/parties',
  partyStock: (id) => `/api/v1/parties/${encodeURIComponent(id)}/stock`,
  inspections: '/api/v1/inspections',
  inspectionPlan: '/api/v1/inspections/plan',
  statistics: '/api/v1/stats',
  me: '/api/v1/me',
  session: '/api/v1/session',
  sessionEnd: '/api/v1/session/end',
  clock: '/api/v1/clock',
  alertSummary: '/api/v1/alerts/summary',
  recallPreview: '/api/v1/recalls/preview',
  exportFsma: '/api/v1/export/fsma204.csv',
  exportEpcis: '/api/v1/export/epcis',
  vendorStock: '/api/v1/vendor/stock',
  vendorExpiring: '/api/v1/vendor/expiring',
  vendorRecalls: '/api/v1/vendor/recalls',
  entries: '/api/v1/entries',
  products: '/api/v1/products',
  product: (id) => `/api/v1/products/${encodeURIComponent(id)}`,
};

export class ApiError extends Error {
  constructor(status, code, message, body = null, field = '', details = {}) {
    super(message || code || `HTTP ${status}`);
    this.status = status;
    this.code = code || `HTTP_${status}`;
    this.body = body;  // the parsed answer, e.g. per-item results of a 422
    this.field = field || '';  // the input the error is about ("lot.gtin"), or ""
    this.details = details && typeof details === 'object' ? details : {};  // {expected, got, max, …}
  }
}

// An ApiError from an error object of the portal ({code, message, field, details}), e.g. the
// `error` of one rejected entry.
export function apiErrorOf(status, error, body = null) {
  const e = error && typeof error === 'object' ? error : {};
  return new ApiError(status, e.code, e.message, body, e.field, e.details);
}

// Reads a field by its proto name, accepting the lowerCamelCase JSON name as well.
export function field(obj, name, fallback = undefined) {
  if (obj == null) return fallback;
  if (obj[name] !== undefined) return obj[name];
  const camel = name.replace(/_([a-z0-9])/g, (_, c) => c.toUpperCase());
  return obj[camel] !== undefined ? obj[camel] : fallback;
}

// Builds a query string from the non-empty values of `params`.
export function withQuery(path, params = {}) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  }
  const s = q.toString();
  return s ? `${path}${path.includes('?') ? '&' : '?'}${s}` : path;
}

// Who is signed in in this tab, {role, party}, as /api/v1/me last said; null when nobody.
export function getSession() {
  try {
    const s = JSON.parse(sessionStorage.getItem(SESSION_KEY) || 'null');
    return s && s.role ? s : null;
  } catch {
    return null;
  }
}

export function setSession(session) {
  if (session) sessionStorage.setItem(SESSION_KEY, JSON.stringify(session));
  else sessionStorage.removeItem(SESSION_KEY);
}

async function parse(res) {
  const type = res.headers.get('content-type') || '';
  const body = type.includes('json') ? await res.json().catch(() => null) : await res.text();
  if (res.ok) return body;
  const err = body && typeof body === 'object' ? body.error || body : null;
  throw apiErrorOf(res.status, err, body);
}

// Sends a request (the session cookie goes with it); `auth` marks a request that needs the
// session, so a 401 means the session ended (revoked or expired) and the page signs out;
// `token` sends that bearer token instead. Resolves with the parsed body or rejects with an
// ApiError (network failures become code NETWORK).
export async function request(path, { method = 'GET', body, auth = false, token, headers = {} } = {}) {
  const h = { Accept: 'application/json', ...headers };
  if (token) h.Authorization = `Bearer ${token}`;
  let payload = body;
  if (body !== undefined && !(body instanceof Blob) && !(body instanceof FormData) && typeof body !== 'string') {
    h['Content-Type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  let res;
  try {
    res = await fetch(path, { method, headers: h, body: payload, credentials: 'same-origin' });
  } catch (e) {
    throw new ApiError(0, 'NETWORK', e.message);
  }
  if (res.status === 401 && auth && !token) {
    setSession(null);
    window.dispatchEvent(new CustomEvent('foodtrace:signed-out'));
  }
  return parse(res);
}

export const get = (path, opts) => request(path, { ...opts, method: 'GET' });
export const post = (path, body, opts) => request(path, { ...opts, method: 'POST', body });

// The list inside an answer: the answer itself if it is an array, else the first array
// found under one of `keys`.
export function listOf(answer, ...keys) {
  if (Array.isArray(answer)) return answer;
  for (const k of [...keys, 'items', 'results', 'data']) {
    const v = field(answer, k);
    if (Array.isArray(v)) return v;
  }
  return [];
}
