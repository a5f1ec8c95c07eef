// The GS1 Application Identifier table (GS1 General Specifications §3, release 23) and the
// per-value rules: length, character set, check digit, dates, decimal-point digit.
// Private to the scanner. Pure and thread-safe.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "foodtrace/common/status.h"

namespace foodtrace::scanner::internal {

enum class Charset : std::uint8_t {
  kNumeric,      // N: digits only
  kGs1,          // X: GS1 AI encodable character set 82
  kNumeric3Gs1,  // N3+X..: three digits (an ISO 3166 country or sequence), then set 82
};

enum class ValueCheck : std::uint8_t {
  kNone,
  kCheckDigit,   // mod-10 check digit over the whole value (GTIN, SSCC, GLN, GSIN)
  kDate,         // YYMMDD, DD = 00 allowed (last day of the month)
  kDateTime,     // YYMMDDHHMM
  kDateRange,    // YYMMDD or YYMMDDYYMMDD
  kCountryList,  // one to five 3-digit ISO 3166 numeric codes
};

struct AiRule {
  std::string_view prefix;      // the AI, or its first three digits for 310n-style AIs
  std::uint8_t ai_length;       // 2, 3 or 4 digits
  std::uint8_t last_digit_max;  // when ai_length > prefix: the largest allowed last digit
  std::uint8_t value_min;
  std::uint8_t value_max;
  Charset charset;
  ValueCheck check;
  std::string_view title;  // GS1 data title, for messages: "BATCH/LOT", "USE BY OR EXPIRY"
  bool decimal() const { return ai_length > prefix.size() && prefix[0] == '3'; }
  bool fixed_length() const { return value_min == value_max; }
};

// Every rule, in AI order (docs/scanner.md prints this table).
std::span<const AiRule> AiRules();

// Finds the AI at the start of `text` (which may continue with the value). On success sets
// `*ai_length` to the AI's digit count. Returns nullptr when no AI matches.
const AiRule* FindAiRule(std::string_view text, std::size_t* ai_length);

// True when the AI's first two digits are in GS1's predefined-length table (Figure 7.8.5-2):
// its element string needs no FNC1 separator after it.
bool IsPredefinedLength(std::string_view ai);

// Checks `value` against `rule` (length, characters, check digit, date). `current_year` is for
// the century rule, which decides whether 29 February exists. Errors: GS1_LENGTH,
// GS1_CHARACTER, GTIN_CHECK_DIGIT, GS1_CHECK_DIGIT, GS1_DATE.
Status ValidateAiValue(const AiRule& rule, std::string_view ai, std::string_view value,
                       int current_year);

// "AI (17) USE BY OR EXPIRY" for messages.
std::string AiLabel(const AiRule& rule, std::string_view ai);

// True for a character of GS1's AI encodable character set 82.
bool IsGs1Character(char c);

}  // namespace foodtrace::scanner::internal
