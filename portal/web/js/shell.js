// The frame around every page: header with navigation, the 中文 / EN switch and the signed-in
// role, and the footer. A page's <body> says who it is for (data-audience: public, regulator or
// vendor) and which link is current (data-nav). Regulator and vendor pages call
// requireSession(role) before they load anything: it asks the server who the session cookie
// belongs to and, when nobody or someone else is signed in, shows the sign-in form, which takes
// the 8-character sign-in code (from `foodtrace token create --pairing`) or a pasted token.
import { applyI18n, getLang, setLang, t } from './i18n.js';
import { ApiError, endpoints, get, getSession, post, setSession } from './api.js';
import { errorNotice, fill, h } from './format.js';
import { errorText } from './errors.js';
import { loadClock } from './clock.js';

const navs = {
  public: [['lookup', '/index.html'], ['recalls', '/recalls.html'], ['tests', '/test-results.html'],
    ['regulator', '/alerts.html'], ['vendor', '/stock.html']],
  regulator: [['alerts', '/alerts.html'], ['recall_issue', '/recall-issue.html'],
    ['recall_progress', '/recall-progress.html'], ['trace', '/trace.html'], ['ledger', '/ledger.html'],
    ['inspections', '/inspections.html'], ['stats', '/statistics.html'], ['products', '/products.html']],
  vendor: [['stock', '/stock.html'], ['entry', '/entry.html'], ['lookup', '/index.html']],
};

const logo = () => {
  const svg = h('svg:svg', { viewBox: '0 0 24 24', 'aria-hidden': 'true' },
    h('svg:path', { d: 'M4 4h3v16H4zM9 4h1v16H9zM12 4h3v16h-3zM17 4h1v16h-1zM19.5 4h1v16h-1z', fill: 'currentColor' }));
  return svg;
};

function renderHeader() {
  const body = document.body;
  const audience = body.dataset.audience || 'public';
  const current = body.dataset.nav;
  const session = getSession();
  const lang = getLang();
  const header = document.getElementById('site-header');
  fill(header, h('div', { class: 'bar' },
    h('a', { class: 'brand', href: '/index.html' }, logo(), t('app.title')),
    h('nav', { class: 'site-nav', 'aria-label': t('nav.label') },
      navs[audience].map(([key, href]) => h('a', { href, 'aria-current': key === current ? 'page' : null }, t(`nav.${key}`)))),
    session && audience !== 'public' ? h('span', { class: 'who', 'data-testid': 'who' },
      t('signin.as', { role: t(`role.${session.role}`) }) + (session.party ? ` · ${session.party}` : ''),
      h('button', { type: 'button', onclick: signOut }, t('signin.signout'))) : null,
    h('div', { class: 'lang-switch', role: 'group', 'aria-label': t('lang.label') },
      h('button', { type: 'button', lang: 'zh-CN', 'aria-pressed': String(lang === 'zh'), 'data-lang': 'zh', onclick: () => setLang('zh') }, '中文'),
      h('button', { type: 'button', lang: 'en', 'aria-pressed': String(lang === 'en'), 'data-lang': 'en', onclick: () => setLang('en') }, 'EN'))));
  const footer = document.getElementById('site-footer');
  if (footer) fill(footer, t('app.footer'));
}

async function signOut() {
  try {
    await post(endpoints.sessionEnd, {});
  } catch {
    // Already signed out (revoked or expired): the cookie is cleared below all the same.
  }
  setSession(null);
  location.reload();
}

// Starts the page frame: translations, header, footer; re-renders them on a language switch.
// Resolves once the market clock is loaded (every date default and format needs it).
export function startShell() {
  applyI18n();
  renderHeader();
  window.addEventListener('foodtrace:lang', renderHeader);
  // A token revoked while the page is open: back to the sign-in form.
  window.addEventListener('foodtrace:signed-out', () => location.reload());
  // Without the market's clock no date can be shown truthfully: say so and go no further.
  return loadClock().catch((e) => {
    document.getElementById('main')?.prepend(errorNotice(e));
    return new Promise(() => {});
  });
}

// Who the session cookie belongs to, or null (not signed in, expired or revoked).
async function whoIsSignedIn() {
  const s = await get(endpoints.session);
  return s.signed_in ? { role: String(s.role || '').toLowerCase(), party: s.party_id || '' } : null;
}

// Resolves with the session once someone of `role` is signed in, showing the sign-in form in
// place of the page's #content until then.
export async function requireSession(role) {
  const [, who] = await Promise.all([loadClock(), whoIsSignedIn().catch(() => null)]);
  if (who && who.role === role) {
    setSession(who);
    renderHeader();
    return who;
  }
  setSession(null);
  return signInForm(role, who);
}

// Signs in with a code or a token: the server sets the session cookie. Rejects with an ApiError.
export async function startSession({ code, token }) {
  const s = await post(endpoints.session, code ? { code } : { token });
  return { role: String(s.role || '').toLowerCase(), party: s.party_id || '' };
}

function signInForm(role, who) {
  const content = document.getElementById('content');
  content.hidden = true;
  return new Promise((resolve) => {
    const form = h('form', { class: 'card', id: 'signin', novalidate: true });
    let message = who ? { code: 'WRONG_ROLE' } : null;
    const render = () => {
      const code = h('input', { id: 'pairing-code', name: 'code', autocomplete: 'one-time-code', autocapitalize: 'characters',
        spellcheck: 'false', maxlength: '9', inputmode: 'text', 'aria-describedby': 'code-hint', placeholder: 'K7QM-2XPD' });
      const token = h('input', { id: 'token', name: 'token', type: 'password', autocomplete: 'off', 'aria-describedby': 'token-hint' });
      const status = h('div', { 'aria-live': 'polite' }, message ? h('div', { class: 'notice error', role: 'alert', 'data-code': message.code },
        message.code === 'WRONG_ROLE' ? t('signin.wrong_role', { role: t(`role.${role}`) })
          : message.code === 'UNAUTHENTICATED' ? t('signin.bad_token') : errorText(message),
        message.code && message.code !== 'WRONG_ROLE' ? [' ', h('code', { class: 'error-code' }, message.code)] : null) : null);
      fill(form,
        h('h1', {}, t(`signin.title.${role}`)),
        h('label', { for: 'pairing-code' }, t('signin.code')), code,
        h('p', { class: 'hint', id: 'code-hint' }, t(`signin.code_hint.${role}`)),
        h('label', { for: 'token' }, t('signin.token_or')), token,
        h('p', { class: 'hint', id: 'token-hint' }, t('signin.hint')),
        status,
        h('div', { class: 'actions' }, h('button', { type: 'submit' }, t('signin.submit'))));
      form.onsubmit = async (ev) => {
        ev.preventDefault();
        const typed = { code: code.value.trim(), token: token.value.trim() };
        if (!typed.code && !typed.token) {
          message = { code: 'SIGNIN_EMPTY' };
          return fill(status, h('div', { class: 'notice error', role: 'alert', 'data-code': 'SIGNIN_EMPTY' }, t('signin.empty')));
        }
        try {
          const s = await startSession(typed.code ? { code: typed.code } : { token: typed.token });
          if (s.role !== role) throw new ApiError(403, 'WRONG_ROLE', '');
          setSession(s);
          form.remove();
          content.hidden = false;
          renderHeader();
          resolve(s);
        } catch (e) {
          message = e;
          render();
        }
      };
    };
    render();
    window.addEventListener('foodtrace:lang', () => form.isConnected && render());
    content.before(form);
  });
}
