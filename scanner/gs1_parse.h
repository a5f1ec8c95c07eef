// The parsers behind ParseCode, one per written form, each producing validated elements.
// Private to the scanner. Pure and thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "foodtrace/common/status.h"
#include "foodtrace/scanner/scanner.h"

namespace foodtrace::scanner::internal {

inline constexpr char kGroupSeparator = '\x1D';  // FNC1 as transmitted: ASCII 29 (GS)

// A GS1 element string: AIs and values, GS after every value whose AI is not of predefined
// length, optionally a leading GS (FNC1 in first position).
Status ParseElementString(std::string_view text, int current_year,
                          std::vector<Gs1Element>* elements);

// The bracketed human-readable form "(01)09501101530003(10)AB-1"; spaces around brackets are
// ignored (the text printed under a barcode has them).
Status ParseBracketed(std::string_view text, int current_year, std::vector<Gs1Element>* elements);

// A GS1 Digital Link URI (GS1 Digital Link standard 1.2, uncompressed form).
Status ParseDigitalLink(std::string_view uri, int current_year, std::vector<Gs1Element>* elements);

// What a ]E symbology identifier says about a bare number.
enum class GtinHint { kNone, kUpcE, kEan8 };

// A bare EAN-8, UPC-E, UPC-A, EAN-13 or GTIN-14 number, normalised to 14 digits.
Result<std::string> ParseBareGtin(std::string_view digits, GtinHint hint);

// Validates (ai, value) against the AI table and appends it, rejecting a duplicate AI with a
// different value and more than kScanElementsMax elements. `ai` must be the whole AI.
Status AddElement(std::string_view ai, std::string_view value, int current_year,
                  std::vector<Gs1Element>* elements);

// Writes elements as an element string, GS only where GS1 requires a separator.
std::string ToElementString(const std::vector<Gs1Element>& elements);

}  // namespace foodtrace::scanner::internal
