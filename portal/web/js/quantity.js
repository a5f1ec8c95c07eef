// Quantities as a vendor types them: "15.5" 千克 is recorded exactly as 15500 g. The ledger
// counts whole numbers in a unit (docs/import.md "Units"); a decimal weight or volume becomes
// the smaller unit of the same kind (KGM → GRM, LTR → MLT) with at most kQuantityDecimalsMax
// decimals, by decimal arithmetic on the text (no floating point, so 0.1 + 0.2 never turns
// into 299 g). Pieces must be whole. The CSV importer applies the same rule to spreadsheets.
export const kQuantityDecimalsMax = 3;
const smaller = { KGM: 'GRM', LTR: 'MLT' };

// {quantity: "15500", unit: "GRM"} for ("15.5", "KGM"); {error: {code, field, details}} when
// the text is not a quantity in that unit. 0 is a quantity only where `zeroAllowed` (a
// stocktake counting nothing left).
export function toLedgerQuantity(text, unit, { zeroAllowed = false } = {}) {
  const s = String(text ?? '').trim().replace(/[，,]/g, '.').replace(/^＋/, '');
  const m = /^(\d+)(?:\.(\d*))?$/.exec(s);
  if (!m) return { error: { code: s ? 'QUANTITY_INVALID' : 'FIELD_MISSING', field: 'quantity', details: {} } };
  const whole = m[1];
  const decimals = (m[2] || '').replace(/0+$/, '');
  if (!decimals) return ok(whole, unit, zeroAllowed);
  if (!smaller[unit] || decimals.length > kQuantityDecimalsMax) {
    return { error: { code: 'QUANTITY_DECIMALS', field: 'quantity', details: { max: smaller[unit] ? kQuantityDecimalsMax : 0 } } };
  }
  return ok(whole + decimals.padEnd(3, '0'), smaller[unit], zeroAllowed);
}

function ok(digits, unit, zeroAllowed) {
  const n = digits.replace(/^0+(?=\d)/, '');
  if (n === '0' && !zeroAllowed) return { error: { code: 'QUANTITY_INVALID', field: 'quantity', details: {} } };
  return { quantity: n, unit };
}
