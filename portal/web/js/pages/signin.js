// Sign-in page that a pairing QR code opens (/signin.html?code=K7QM-2XPD): it redeems the code
// at once, so the vendor never types anything, and goes on to the vendor's stock page (or the
// regulator's alerts); without a code in the link it asks for one. The session stays in an
// HttpOnly cookie on this phone until it expires or is revoked.
import { t } from '../i18n.js';
import { errorNotice, fill, h } from '../format.js';
import { startSession, startShell } from '../shell.js';
import { setSession } from '../api.js';

const $ = (id) => document.getElementById(id);
const home = { vendor: '/stock.html', regulator: '/alerts.html' };

async function signIn(code) {
  fill($('signin-status'), h('p', { class: 'loading', role: 'status' }, t('signin.signing_in')));
  try {
    const s = await startSession({ code });
    setSession(s);
    location.replace(home[s.role] || '/');
  } catch (e) {
    $('pairing-code').setAttribute('aria-invalid', 'true');
    fill($('signin-status'), errorNotice(e));
  }
}

startShell().then(() => {
  const code = new URLSearchParams(location.search).get('code') || '';
  $('pairing-code').value = code;
  $('code-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    if ($('pairing-code').value.trim()) signIn($('pairing-code').value.trim());
    else fill($('signin-status'), h('div', { class: 'notice error', role: 'alert', 'data-code': 'SIGNIN_EMPTY' }, t('signin.empty')));
  });
  if (code) signIn(code);
});
