// The portal's JSON API as the pages use it: every endpoint path in one place, the signed-in
// session (a bearer token kept in sessionStorage for this tab only), and errors as values a
// page can show: an ApiError carries the server's {"error":{"code","message"}}.
// The API itself is described in docs/api.md.

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
  clock: '/api/v1/clock',
  vendorStock: '/api/v1/vendor/stock',
  vendorExpiring: '/api/v1/vendor/expiring',
  vendorRecalls: '/api/v1/vendor/recalls',
  entries: '/api/v1/entries',
};

export class ApiError extends Error {
  constructor(status, code, message, body = null) {
    super(message || code || `HTTP ${status}`);
    this.status = status;
    this.code = code || `HTTP_${status}`;
    this.body = body;  // the parsed answer, e.g. per-item results of a 422
  }
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

export function getSession() {
  try {
    const s = JSON.parse(sessionStorage.getItem(SESSION_KEY) || 'null');
    return s && s.token ? s : null;
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
  throw new ApiError(res.status, err && err.code, err && err.message, body);
}

// Sends a request; `auth` adds the session's bearer token. Resolves with the parsed body or
// rejects with an ApiError (network failures become code NETWORK).
export async function request(path, { method = 'GET', body, auth = false, token, headers = {} } = {}) {
  const h = { Accept: 'application/json', ...headers };
  const bearer = token || (auth ? getSession()?.token : null);
  if (bearer) h.Authorization = `Bearer ${bearer}`;
  let payload = body;
  if (body !== undefined && !(body instanceof Blob) && !(body instanceof FormData) && typeof body !== 'string') {
    h['Content-Type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  let res;
  try {
    res = await fetch(path, { method, headers: h, body: payload });
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
