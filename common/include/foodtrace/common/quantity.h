// Quantities and units: the one home of every rule that turns what someone typed or sent into
// the integer quantity the ledger stores (the portal's entries, the CSV importer, EPCIS capture,
// the CLI and the ledger itself call these).
//
// - Units are UN/CEFACT Rec. 20 codes: KGM kilogram, GRM gram, LTR litre, MLT millilitre, H87
//   piece. Mass is stored in grams and volume in millilitres (the base units); KGM and LTR
//   convert to them ×1000. Pieces never convert by unit alone.
// - A decimal quantity typed in a unit converts to the base unit exactly ("15.5" KGM → 15500
//   GRM) or is refused (QUANTITY_NOT_EXACT), never rounded.
// - A product may declare the net content of one piece (250 MLT per bottle): then pieces and
//   that dimension convert into each other, again exactly or not at all.
// Every function is pure and thread-safe; errors name the value and say what to write instead.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "foodtrace/common/status.h"

namespace foodtrace {

// Decimal places a typed quantity may have (grams and millilitres from KGM and LTR).
inline constexpr int kQuantityDecimalsMax = 3;
// Longest quantity text accepted ("1000000000000.000").
inline constexpr std::size_t kQuantityTextBytesMax = 32;
// Largest quantity in any unit (the ledger's kQuantityMax is the same number).
inline constexpr std::int64_t kQuantityValueMax = 1'000'000'000'000LL;

// The base unit a unit is stored in and the factor to it: KGM → GRM ×1000, LTR → MLT ×1000;
// GRM, MLT and H87 are their own base. {"", 0} for anything else (codes are upper case).
struct UnitBase {
  std::string_view unit;
  std::int64_t factor = 0;
};
UnitBase BaseUnit(std::string_view unit);

// An amount in a unit.
struct Quantity {
  std::int64_t amount = 0;
  std::string unit;
  friend bool operator==(const Quantity&, const Quantity&) = default;
};

// Parses a typed quantity `text` ("12", "15.5", "0.250"; ASCII digits and one '.', no sign) in
// `unit` (upper-cased). A whole number keeps its unit (12 KGM stays 12 KGM); a decimal converts
// to the base unit (15.5 KGM → 15500 GRM). Errors: UNIT_UNKNOWN, QUANTITY_FORMAT (not a
// number, negative, more than kQuantityDecimalsMax decimals), QUANTITY_NOT_EXACT (decimals that
// are no whole number of the base unit: 0.0005 KGM, 1.5 H87), QUANTITY_TOO_LARGE.
Result<Quantity> ParseQuantity(std::string_view text, std::string_view unit);

// As ParseQuantity for a quantity typed in a unit that is `factor` × `unit` (斤 = 500 GRM):
// "1.5" 斤 → ParseScaledQuantity("1.5", "GRM", 500) = 750 GRM. Same errors.
Result<Quantity> ParseScaledQuantity(std::string_view text, std::string_view unit, std::int64_t factor);

// Parses "15.5KGM", "15.5 KGM" or "24 H87": a number and a unit code, as ParseQuantity.
Result<Quantity> ParseQuantityWithUnit(std::string_view text);

// "15.5 KGM" style text of a base-unit amount for people: 15500 GRM → "15.5 KGM" only when
// `prefer_large` and exact; otherwise "15500 GRM".
std::string FormatQuantity(const Quantity& quantity, bool prefer_large);

// `quantity` expressed in `to_unit`, exactly. Mass and volume convert by their factors; H87
// converts to and from mass or volume only through `piece` (the net content of one piece,
// amount 0 = unknown). Errors: UNIT_UNKNOWN, UNIT_MISMATCH (no conversion between the two),
// QUANTITY_NOT_EXACT (e.g. 1100 MLT is no whole number of 250 MLT pieces), QUANTITY_TOO_LARGE.
Result<std::int64_t> ConvertQuantity(const Quantity& quantity, std::string_view to_unit,
                                     const Quantity& piece);

// `count` packs of `contents` each: count × contents.amount in contents.unit.
// Errors: QUANTITY_TOO_LARGE.
Result<Quantity> PackQuantity(std::int64_t count, const Quantity& contents);

}  // namespace foodtrace
