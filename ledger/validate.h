// Stateless validation of incoming items. Private to the ledger (also used by the fuzz targets
// and the CSV import tests).
//
// The ledger runs ValidateItem on every item before its stateful checks (duplicates, unknown
// parties, permissions, lot consistency): here only what can be decided from the item itself
// and the date is checked — formats, check digits, required fields (REGULATION rules 1–5,
// 9, 19–23), date order and the named limits of ledger/limits.h. Every function normalises the
// record in place (trimmed strings, GTIN-14, upper-case USCC/licence/unit, computed expiry)
// and returns the first problem found as INVALID_ARGUMENT or RESOURCE_EXHAUSTED (a named limit
// was exceeded) with a stable UPPER_SNAKE reason (the table is at the top of validate.cc and
// in docs/import.md) and a message that names the field and says what to do. On error the
// record may be partly normalised and must be dropped.
//
// All functions are pure apart from writing to their argument, and thread-safe for distinct
// arguments.
#pragma once

#include "foodtrace/common/date.h"
#include "foodtrace/common/status.h"
#include "foodtrace/v1/records.pb.h"
#include "foodtrace/v1/wire.pb.h"

namespace foodtrace::ledger {

namespace v1 = ::foodtrace::v1;

struct ValidateContext {
  Date today;                       // local date at the server; dates may be at most
                                    // kFutureDaysMax after it
  bool recorder_wholesale = false;  // the recording party is a wholesaler (FSL 53 para. 4):
                                    // its SHIP entries must name the buyer
  bool recorder_producer = false;   // the ledger's owner is a producer: a TRANSFORM without
                                    // inputs records initial packing (FSMA 204) of its lots
};

// Checks and normalises one item: dispatches on its body. Errors: ITEM_EMPTY when no body is
// set, otherwise those of the function for the body.
Status ValidateItem(v1::Item* item, const ValidateContext& ctx);

// A ledger entry of any kind (RECEIVE, SHIP, TRANSFORM, DISPOSE, STOCKTAKE, CORRECT). Requires
// event_id and a known kind; a CORRECT's replacement is validated as an entry of its own kind
// and, if its event_id is empty, gets "<event_id>#r".
Status ValidateEntry(v1::LedgerEntry* entry, const ValidateContext& ctx);

// A registered party: id, kind, name; identifiers by their standards; a licence for vendors
// and suppliers unless licence_exempt; licence validity of at most kLicenceValidityYearsMax.
Status ValidateParty(v1::Party* party, const ValidateContext& ctx);

// A product master record: GTIN (valid check digit) or product code, name, shelf life range.
Status ValidateProduct(v1::Product* product, const ValidateContext& ctx);

// The product and lot fields shared by every entry kind: identifiers and text, dates that
// exist and are in order, shelf life in range; fills expires_on from produced_on +
// shelf_life_days − 1 when the label gave no expiry date (REGULATION rule 9). Does not decide
// which fields are required (that depends on the entry kind); `field` prefixes messages.
Status ValidateLotRef(v1::LotRef* lot, std::string_view field, const ValidateContext& ctx);

// A recall: id, level, product, scope (lots, or a production-date range), reason.
Status ValidateRecall(v1::Recall* recall, const ValidateContext& ctx);

// A test result: id, sampled party, product, lot, test item, test date.
Status ValidateTestResult(v1::TestResult* test, const ValidateContext& ctx);

// A kiosk scan: event id and the raw code (at most kScanCodeBytesMax bytes; may contain the
// GS1 group separator). kiosk_id may be empty: the ledger fills it from the kiosk's key.
Status ValidateScan(v1::Scan* scan, const ValidateContext& ctx);

// A webhook subscription: id, an http(s) URL with a host, a secret of 16–128 bytes, known
// alert kinds.
Status ValidateWebhook(v1::Webhook* webhook, const ValidateContext& ctx);

}  // namespace foodtrace::ledger
