// Error messages in the reader's language. The portal answers every error as
// {"error": {"code", "message", "field", "details"}} (docs/api.md); a page words it from the
// code and the details with the i18n table (err.<CODE>, field.<path>), so the server's English
// `message` never appears on a 中文 page. An unknown code gets a generic sentence in the page's
// language, with the code itself shown beside it for support.
import { t, tOr } from './i18n.js';

// The label of a field path ("lot.gtin" → 商品条码), for {field} in a sentence.
export function fieldLabel(field) {
  if (!field) return t('field.any');
  const last = String(field).replace(/\[\d+\]/g, '').split('.').pop();
  return tOr(`field.${field}`, tOr(`field.${last}`, t('field.any')));
}

// A detail value as the reader should see it: unit codes become unit words.
const detailValue = (v) => (/^(H87|KGM|GRM|LTR|MLT)$/.test(String(v)) ? tOr(`unit.${v}`, v) : String(v));

// The sentence for an error (an ApiError, an error object of the portal, or any Error).
export function errorText(err) {
  const code = err && err.code ? String(err.code) : '';
  if (code === 'NETWORK') return t('err.NETWORK');
  const vars = { field: fieldLabel(err && err.field) };
  for (const [k, v] of Object.entries((err && err.details) || {})) vars[k] = detailValue(v);
  if (code && tOr(`err.${code}`, null) !== null) return fill(t(`err.${code}`, vars));
  const status = Number(err && err.status) || 0;
  if (status >= 500) return t(tOr(`err.HTTP_${status}`, null) !== null ? `err.HTTP_${status}` : 'err.INTERNAL');
  return t('err.UNKNOWN');
}

// A sentence whose placeholder had no detail reads without it rather than showing "{got}".
function fill(s) {
  return s.replace(/\s*\{[a-z_]+\}\s*/g, ' ').replace(/\s+([，。：,.])/g, '$1').trim();
}
