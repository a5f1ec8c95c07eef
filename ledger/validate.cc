// Stateless validation: dispatch, products, scans and test results. Entries are checked in
// validate_entry.cc, parties, recalls and webhooks in validate_party.cc, single fields in
// validate_fields.cc.
//
// Reason codes (stable; sent to clients in ItemResult.code; docs/import.md explains each with
// what the vendor should do). All are INVALID_ARGUMENT except the three marked [limit], which
// are RESOURCE_EXHAUSTED.
//   ITEM_EMPTY                an Item with no body set
//   FIELD_MISSING             a required field is empty; the message names it
//   FIELD_TOO_LONG [limit]    a text field is longer than its byte limit (ledger/limits.h)
//   FIELD_ENCODING            a text field is not UTF-8 or holds a control character
//   ID_FORMAT                 an identifier (id, lot, product code) uses a character outside
//                             its allowed set
//   KIND_UNKNOWN              entry or party kind missing or not one of the known values
//   LIST_TOO_LONG [limit]     documents, transform lines, recall lots or webhook kinds over
//                             their limit
//   INVALID_DATE              a date is not a real YYYY-MM-DD day
//   DATE_IN_FUTURE            occurred_on / produced_on / tested_on more than kFutureDaysMax
//                             days after today
//   EXPIRY_BEFORE_PRODUCTION  expires_on earlier than produced_on
//   PRODUCED_AFTER_RECEIPT    a RECEIVE whose lot was produced after the receipt date
//   SHELF_LIFE_RANGE          shelf_life_days outside [0, kShelfLifeDaysMax]
//   SHELF_LIFE_MISSING        a lot with a production date but no expiry, shelf life or
//                             no_shelf_life (rule 1)
//   SHELF_LIFE_CONFLICT       no_shelf_life together with an expiry date or shelf life
//   EXPIRY_UNKNOWN            a lot code without production date or expiry date: 无法计算到期日
//                             (rule 9)
//   QUANTITY_INVALID          quantity ≤ 0 (< 0 for STOCKTAKE)
//   QUANTITY_TOO_LARGE [limit] quantity above kQuantityMax
//   UNIT_UNKNOWN              unit missing or not KGM, GRM, LTR, MLT, H87
//   PRODUCT_MISSING           neither gtin nor product_code
//   LOT_MISSING               neither a lot code nor a production date names the lot
//   GTIN_FORMAT               a GTIN that is not 8, 12, 13 or 14 digits
//   GTIN_CHECK_DIGIT          a GTIN whose check digit is wrong
//   SUPPLIER_INCOMPLETE       a RECEIVE without a registered supplier or its name, address and
//                             contact (rules 1, 4)
//   BUYER_INCOMPLETE          a wholesaler's SHIP without a registered buyer or its name,
//                             address and contact (rule 3)
//   DISPOSE_METHOD_MISSING    a DISPOSE without dispose_method
//   TRANSFORM_LINES_MISSING   a TRANSFORM without inputs or without outputs
//   CORRECTION_NESTED         a CORRECT whose replacement is itself a CORRECT
//   CORRECTION_ID_REUSED      a CORRECT or its replacement reusing an event id already in play
//   LICENCE_FORMAT            a licence number that is not JY/SC + 14 digits with valid form
//                             and province digits (rules 21, 22)
//   LICENCE_MISSING           a vendor or supplier without licence and not licence_exempt
//                             (rule 23)
//   LICENCE_VALIDITY          licence_valid_to before licence_valid_from, or more than 5
//                             years after it (rule 21)
//   USCC_FORMAT               a 统一社会信用代码 of the wrong shape (rule 19)
//   USCC_CHECK_CHARACTER      a 统一社会信用代码 whose check character is wrong (rule 19)
//   ID_CARD_FORMAT            an ID number that is not 17 digits + digit or X (rule 20)
//   ID_CARD_CHECK_CHARACTER   an ID number whose check character is wrong (rule 20)
//   ID_CARD_BIRTH_DATE        an ID number with an impossible birth date (rule 20)
//   CURVE_KEY_FORMAT          curve_public_key not 40 Z85 characters
//   CLASS_UNKNOWN             credit_class or risk_level not A, B, C or D
//   RECALL_LEVEL_MISSING      a recall without level I, II or III
//   RECALL_SCOPE_MISSING      a recall without lots and without a complete production-date
//                             range
//   DATE_RANGE_REVERSED       a recall's produced_to before its produced_from
//   WEBHOOK_URL               a webhook URL that is not http(s):// with a host
//   WEBHOOK_SECRET            a webhook secret shorter or longer than 16–128 bytes
//   ALERT_KIND_UNKNOWN        a webhook kind filter that is not an alert kind
//   GLN_FORMAT                a GLN that is not 13 digits (party glns, location_gln,
//                             counterparty.gln)
//   GLN_CHECK_DIGIT           a GLN whose GS1 check digit is wrong
//   GLN_REPEATED              a party listing one GLN twice
//   GEO_RANGE                 a party's geo outside latitude -90..90, longitude -180..180
//   PACK_COUNT_INVALID        pack_count ≤ 0 with a pack, or given without one
//   PACK_REPEATED             a product declaring one pack name twice
//   AGGREGATE_OUTPUTS         an AGGREGATE with outputs (its lots are inputs)
//   EPCIS_ACTION              epcis_action not ADD, OBSERVE or DELETE
//   INVALID_TIME              occurred_at_ms negative or time_zone_offset not ±HH:MM
// Stateful reasons from the ledger (not here): UNKNOWN_GLN, GLN_NOT_OF_PARTY, GLN_IN_USE,
// PACK_UNKNOWN (docs/import.md).
#include "ledger/validate.h"

#include "foodtrace/common/text.h"
#include "ledger/limits.h"
#include "ledger/validate_fields.h"

namespace foodtrace::ledger {
namespace {

using fields::IdSet;

// A raw scanned code may carry the GS1 group separator (0x1D) between element strings; any
// other control character is an error.
Status CheckRawCode(const std::string& code) {
  if (code.empty())
    return fields::Missing("raw_code", "send the code as decoded");
  if (code.size() > kScanCodeBytesMax) {
    return Status::Exhausted("FIELD_TOO_LONG", "raw_code is " + std::to_string(code.size()) +
                                                   " bytes; the limit is " +
                                                   std::to_string(kScanCodeBytesMax) + " bytes");
  }
  std::string without_gs = code;
  for (char& c : without_gs) {
    if (c == '\x1d')
      c = ' ';
  }
  return CheckTextField("raw_code", without_gs, kScanCodeBytesMax);
}

// Packs (unique names, positive contents in a known unit) and the content of one piece (mass
// or volume, or nothing).
Status CheckProductUnits(v1::Product* product) {
  FT_RETURN_IF_ERROR(fields::ListSize("packs", static_cast<std::size_t>(product->packs_size()),
                                      kProductPacksMax));
  for (int i = 0; i < product->packs_size(); ++i) {
    v1::PackSize* pack = product->mutable_packs(i);
    const std::string field = "packs[" + std::to_string(i) + "]";
    FT_RETURN_IF_ERROR(fields::RequiredText(field + ".name", pack->mutable_name(), kIdBytesMax,
                                            "name the pack as vendors write it, e.g. 箱"));
    FT_RETURN_IF_ERROR(fields::Quantity(field + ".quantity", pack->quantity(), false));
    FT_RETURN_IF_ERROR(fields::Unit(field + ".unit", pack->mutable_unit()));
    for (int j = 0; j < i; ++j) {
      if (product->packs(j).name() == pack->name()) {
        return Status::Invalid("PACK_REPEATED", field + ".name '" + pack->name() + "' is declared twice");
      }
    }
  }
  if (product->piece_quantity() == 0 && product->piece_unit().empty())
    return Status::Ok();
  FT_RETURN_IF_ERROR(fields::Quantity("piece_quantity", product->piece_quantity(), false));
  FT_RETURN_IF_ERROR(fields::Unit("piece_unit", product->mutable_piece_unit()));
  if (product->piece_unit() == "H87") {
    return Status::Invalid("UNIT_UNKNOWN", "piece_unit is the net content of one piece: use KGM, "
                                           "GRM, LTR or MLT, not H87");
  }
  return Status::Ok();
}

}  // namespace

Status ValidateItem(v1::Item* item, const ValidateContext& ctx) {
  switch (item->body_case()) {
    case v1::Item::kEntry:
      return ValidateEntry(item->mutable_entry(), ctx);
    case v1::Item::kParty:
      return ValidateParty(item->mutable_party(), ctx);
    case v1::Item::kProduct:
      return ValidateProduct(item->mutable_product(), ctx);
    case v1::Item::kScan:
      return ValidateScan(item->mutable_scan(), ctx);
    case v1::Item::kRecall:
      return ValidateRecall(item->mutable_recall(), ctx);
    case v1::Item::kTestResult:
      return ValidateTestResult(item->mutable_test_result(), ctx);
    case v1::Item::kWebhook:
      return ValidateWebhook(item->mutable_webhook(), ctx);
    case v1::Item::BODY_NOT_SET:
      break;
  }
  return Status::Invalid("ITEM_EMPTY",
                         "the item has no body: set exactly one of entry, party, product, scan, "
                         "recall, test_result or webhook");
}

Status ValidateProduct(v1::Product* product, const ValidateContext& /*ctx*/) {
  FT_RETURN_IF_ERROR(
      fields::ProductId("", product->mutable_gtin(), product->mutable_product_code(), true));
  FT_RETURN_IF_ERROR(fields::RequiredText("product_name", product->mutable_name(), kNameBytesMax,
                                          "copy the food's name from the label"));
  FT_RETURN_IF_ERROR(
      fields::Text("specification", product->mutable_specification(), kNameBytesMax));
  FT_RETURN_IF_ERROR(fields::Text("category", product->mutable_category(), kNameBytesMax));
  FT_RETURN_IF_ERROR(fields::Text("producer", product->mutable_producer(), kNameBytesMax));
  FT_RETURN_IF_ERROR(fields::ShelfLife("shelf_life_days", product->shelf_life_days()));
  if (product->no_shelf_life() && product->shelf_life_days() > 0) {
    return Status::Invalid("SHELF_LIFE_CONFLICT",
                           fields::Named("shelf_life_days") +
                               " is given although no_shelf_life (无明确保质期) is set: keep one");
  }
  return CheckProductUnits(product);
}

Status ValidateScan(v1::Scan* scan, const ValidateContext& /*ctx*/) {
  FT_RETURN_IF_ERROR(fields::Id("event_id", scan->mutable_event_id(), IdSet::kRecord, true));
  FT_RETURN_IF_ERROR(fields::Id("kiosk_id", scan->mutable_kiosk_id(), IdSet::kParty, false));
  FT_RETURN_IF_ERROR(CheckRawCode(scan->raw_code()));
  FT_RETURN_IF_ERROR(fields::Text("symbology", scan->mutable_symbology(), kIdBytesMax));
  FT_RETURN_IF_ERROR(fields::OptionalGtin("gtin", scan->mutable_gtin()));
  FT_RETURN_IF_ERROR(fields::Id("lot", scan->mutable_lot(), IdSet::kLot, false));
  Result<std::optional<Date>> expires =
      fields::OptionalDate("expires_on", scan->mutable_expires_on());
  if (!expires.ok())
    return expires.status();
  Result<std::optional<Date>> produced =
      fields::OptionalDate("produced_on", scan->mutable_produced_on());
  if (!produced.ok())
    return produced.status();
  return fields::Text("verdict", scan->mutable_verdict(), kIdBytesMax);
}

Status ValidateTestResult(v1::TestResult* test, const ValidateContext& ctx) {
  FT_RETURN_IF_ERROR(fields::Id("test_id", test->mutable_test_id(), IdSet::kRecord, true));
  FT_RETURN_IF_ERROR(fields::Id("party_id", test->mutable_party_id(), IdSet::kParty, true));
  FT_RETURN_IF_ERROR(
      fields::ProductId("", test->mutable_gtin(), test->mutable_product_code(), true));
  FT_RETURN_IF_ERROR(fields::Id("lot", test->mutable_lot(), IdSet::kLot, true));
  FT_RETURN_IF_ERROR(fields::RequiredText("item", test->mutable_item(), kNameBytesMax,
                                          "name what was tested, e.g. 农药残留 (有机磷)"));
  FT_RETURN_IF_ERROR(fields::Text("value", test->mutable_value(), kNameBytesMax));
  FT_RETURN_IF_ERROR(fields::Text("limit", test->mutable_limit(), kNameBytesMax));
  FT_RETURN_IF_ERROR(fields::Text("lab", test->mutable_lab(), kNameBytesMax));
  Result<Date> tested = fields::RequiredDate("tested_on", test->mutable_tested_on());
  if (!tested.ok())
    return tested.status();
  return fields::NotInFuture("tested_on", *tested, ctx);
}

}  // namespace foodtrace::ledger
