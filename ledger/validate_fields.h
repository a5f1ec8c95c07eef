// Field-level checks shared by the validators of validate.h. Private to the ledger.
//
// Each helper trims and normalises one field in place and returns the first problem as a
// Status whose message starts with the field's path ("counterparty.address", "inputs[2].lot")
// and, for the fields vendors fill in, its Chinese label. Pure; thread-safe for distinct
// arguments.
#pragma once

#include <google/protobuf/repeated_ptr_field.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "foodtrace/common/date.h"
#include "foodtrace/common/status.h"
#include "ledger/validate.h"

namespace foodtrace::ledger::fields {

// "<field> (<中文>)" for fields with a Chinese label, otherwise "<field>".
std::string Named(std::string_view field);

// FIELD_MISSING: "<field> is required: <hint>".
Status Missing(std::string_view field, std::string_view hint);

// Trims *value (ASCII white space) and checks it is UTF-8 text without control characters of
// at most bytes_max bytes. Empty is fine. Errors: FIELD_TOO_LONG, FIELD_ENCODING.
Status Text(std::string_view field, std::string* value, std::size_t bytes_max);
// Text, and non-empty. Errors: those of Text, FIELD_MISSING with `hint`.
Status RequiredText(std::string_view field, std::string* value, std::size_t bytes_max,
                    std::string_view hint);

// The characters an identifier may use.
enum class IdSet {
  kParty,   // party ids: A-Z a-z 0-9 . _ -
  kRecord,  // event, recall, test, webhook ids and product codes: A-Z a-z 0-9 - _ . : / #
  kLot,     // lot codes: the GS1 AI encodable set 82 and CJK ideographs (lots are printed)
};
// Trims and checks an identifier of at most kIdBytesMax bytes from `set`. Errors:
// FIELD_TOO_LONG, FIELD_ENCODING, ID_FORMAT, FIELD_MISSING (when `required` and empty).
Status Id(std::string_view field, std::string* value, IdSet set, bool required);

// Trims *value; empty gives nullopt, otherwise the date. Errors: INVALID_DATE.
Result<std::optional<Date>> OptionalDate(std::string_view field, std::string* value);
// As OptionalDate but empty is FIELD_MISSING.
Result<Date> RequiredDate(std::string_view field, std::string* value);
// DATE_IN_FUTURE when `date` is more than kFutureDaysMax days after ctx.today.
Status NotInFuture(std::string_view field, Date date, const ValidateContext& ctx);

// quantity > 0 (≥ 0 when zero_allowed) and ≤ kQuantityMax. Errors: QUANTITY_INVALID,
// QUANTITY_TOO_LARGE.
Status Quantity(std::string_view field, std::int64_t quantity, bool zero_allowed);
// The quantity of a line that may count in packs (LedgerEntry.pack): without a pack, as
// Quantity and Unit; with one, pack_count > 0 (≥ 0 when zero_allowed) and quantity/unit either
// both empty (the ledger fills them from the product) or a valid fallback. Errors: those of
// Quantity and Unit, PACK_COUNT_INVALID, FIELD_TOO_LONG.
Status PackedQuantity(std::string_view prefix, std::string* pack, std::int64_t pack_count,
                      std::int64_t quantity, std::string* unit, bool zero_allowed);
// Trims and upper-cases; must be KGM, GRM, LTR, MLT or H87. Errors: UNIT_UNKNOWN.
Status Unit(std::string_view field, std::string* unit);
// shelf_life_days in [0, kShelfLifeDaysMax]. Errors: SHELF_LIFE_RANGE.
Status ShelfLife(std::string_view field, std::int32_t days);

// Normalises a non-empty GTIN to 14 digits. Errors: GTIN_FORMAT, GTIN_CHECK_DIGIT.
Status OptionalGtin(std::string_view field, std::string* gtin);
// The product of a record: a GTIN or a product code (both are checked when both are given).
// Errors: those of OptionalGtin and Id, PRODUCT_MISSING when both are empty and `required`.
Status ProductId(std::string_view prefix, std::string* gtin, std::string* product_code,
                 bool required);

// PRODUCT_MISSING for the record whose fields start with `prefix` ("lot.", "").
Status ProductMissing(std::string_view prefix);

// Normalises a non-empty identifier with `normalise` (NormalizeLicence, NormalizeUscc, …),
// keeping its reason and prefixing the message with the field.
Status OptionalIdentifier(std::string_view field, std::string* value,
                          Result<std::string> (*normalise)(std::string_view));

// LIST_TOO_LONG when size > max.
Status ListSize(std::string_view field, std::size_t size, std::size_t max);
// Each element a non-empty Text of at most bytes_max bytes; at most max elements.
Status TextList(std::string_view field, google::protobuf::RepeatedPtrField<std::string>* list,
                std::size_t max, std::size_t bytes_max);

}  // namespace foodtrace::ledger::fields
