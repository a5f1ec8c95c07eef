// Private to the portal: typed quantities in the JSON of POST /api/v1/entries. A vendor's phone
// sends what the vendor typed ("quantity": "15.5" or 15.5 with "unit": "KGM"); the ledger stores
// integers in a unit, so decimals become the base unit exactly (15500 GRM) through
// common/quantity.h, the one home of that rule, or the entry is refused QUANTITY_NOT_EXACT.
#pragma once

#include "portal/http.h"

namespace foodtrace::portal {

// Rewrites the "quantity"/"unit" members of `entry` (a LedgerEntry as JSON) and of its inputs,
// outputs and replacement: a decimal number or a decimal string becomes an integer quantity in
// the base unit; whole numbers are left alone. Errors: QUANTITY_FORMAT, QUANTITY_NOT_EXACT,
// QUANTITY_TOO_LARGE, UNIT_UNKNOWN (a decimal in no unit), with the member's path in the message.
Status NormalizeEntryQuantities(json* entry);

}  // namespace foodtrace::portal
