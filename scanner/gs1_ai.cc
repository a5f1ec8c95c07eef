#include "scanner/gs1_ai.h"

#include <array>
#include <vector>

#include "foodtrace/common/identifiers.h"
#include "scanner/gs1_date.h"

namespace foodtrace::scanner::internal {
namespace {

using C = Charset;
using V = ValueCheck;

// prefix, AI digits, last digit max, value min, value max, charset, check, title.
constexpr AiRule kRules[] = {
    {"00", 2, 0, 18, 18, C::kNumeric, V::kCheckDigit, "SSCC"},
    {"01", 2, 0, 14, 14, C::kNumeric, V::kCheckDigit, "GTIN"},
    {"02", 2, 0, 14, 14, C::kNumeric, V::kCheckDigit, "CONTENT"},
    {"10", 2, 0, 1, 20, C::kGs1, V::kNone, "BATCH/LOT"},
    {"11", 2, 0, 6, 6, C::kNumeric, V::kDate, "PROD DATE"},
    {"12", 2, 0, 6, 6, C::kNumeric, V::kDate, "DUE DATE"},
    {"13", 2, 0, 6, 6, C::kNumeric, V::kDate, "PACK DATE"},
    {"15", 2, 0, 6, 6, C::kNumeric, V::kDate, "BEST BEFORE or BEST BY"},
    {"16", 2, 0, 6, 6, C::kNumeric, V::kDate, "SELL BY"},
    {"17", 2, 0, 6, 6, C::kNumeric, V::kDate, "USE BY OR EXPIRY"},
    {"20", 2, 0, 2, 2, C::kNumeric, V::kNone, "VARIANT"},
    {"21", 2, 0, 1, 20, C::kGs1, V::kNone, "SERIAL"},
    {"22", 2, 0, 1, 20, C::kGs1, V::kNone, "CPV"},
    {"235", 3, 0, 1, 28, C::kGs1, V::kNone, "TPX"},
    {"240", 3, 0, 1, 30, C::kGs1, V::kNone, "ADDITIONAL ID"},
    {"241", 3, 0, 1, 30, C::kGs1, V::kNone, "CUST. PART No."},
    {"242", 3, 0, 1, 6, C::kNumeric, V::kNone, "MTO VARIANT"},
    {"243", 3, 0, 1, 20, C::kGs1, V::kNone, "PCN"},
    {"250", 3, 0, 1, 30, C::kGs1, V::kNone, "SECONDARY SERIAL"},
    {"251", 3, 0, 1, 30, C::kGs1, V::kNone, "REF. TO SOURCE"},
    {"254", 3, 0, 1, 20, C::kGs1, V::kNone, "GLN EXTENSION COMPONENT"},
    {"30", 2, 0, 1, 8, C::kNumeric, V::kNone, "VAR. COUNT"},
    {"310", 4, 5, 6, 6, C::kNumeric, V::kNone, "NET WEIGHT (kg)"},
    {"311", 4, 5, 6, 6, C::kNumeric, V::kNone, "LENGTH (m)"},
    {"312", 4, 5, 6, 6, C::kNumeric, V::kNone, "WIDTH (m)"},
    {"313", 4, 5, 6, 6, C::kNumeric, V::kNone, "HEIGHT (m)"},
    {"314", 4, 5, 6, 6, C::kNumeric, V::kNone, "AREA (m2)"},
    {"315", 4, 5, 6, 6, C::kNumeric, V::kNone, "NET VOLUME (l)"},
    {"316", 4, 5, 6, 6, C::kNumeric, V::kNone, "NET VOLUME (m3)"},
    {"320", 4, 5, 6, 6, C::kNumeric, V::kNone, "NET WEIGHT (lb)"},
    {"330", 4, 5, 6, 6, C::kNumeric, V::kNone, "GROSS WEIGHT (kg)"},
    {"37", 2, 0, 1, 8, C::kNumeric, V::kNone, "COUNT"},
    {"390", 4, 9, 1, 15, C::kNumeric, V::kNone, "AMOUNT"},
    {"392", 4, 9, 1, 15, C::kNumeric, V::kNone, "PRICE"},
    {"400", 3, 0, 1, 30, C::kGs1, V::kNone, "ORDER NUMBER"},
    {"401", 3, 0, 1, 30, C::kGs1, V::kNone, "GINC"},
    {"402", 3, 0, 17, 17, C::kNumeric, V::kCheckDigit, "GSIN"},
    {"403", 3, 0, 1, 30, C::kGs1, V::kNone, "ROUTE"},
    {"410", 3, 0, 13, 13, C::kNumeric, V::kCheckDigit, "SHIP TO LOC"},
    {"411", 3, 0, 13, 13, C::kNumeric, V::kCheckDigit, "BILL TO"},
    {"412", 3, 0, 13, 13, C::kNumeric, V::kCheckDigit, "PURCHASE FROM"},
    {"413", 3, 0, 13, 13, C::kNumeric, V::kCheckDigit, "SHIP FOR LOC"},
    {"414", 3, 0, 13, 13, C::kNumeric, V::kCheckDigit, "LOC No."},
    {"415", 3, 0, 13, 13, C::kNumeric, V::kCheckDigit, "PAY TO"},
    {"416", 3, 0, 13, 13, C::kNumeric, V::kCheckDigit, "PROD/SERV LOC"},
    {"417", 3, 0, 13, 13, C::kNumeric, V::kCheckDigit, "PARTY"},
    {"420", 3, 0, 1, 20, C::kGs1, V::kNone, "SHIP TO POST"},
    {"421", 3, 0, 4, 12, C::kNumeric3Gs1, V::kNone, "SHIP TO POST"},
    {"422", 3, 0, 3, 3, C::kNumeric, V::kNone, "ORIGIN"},
    {"423", 3, 0, 3, 15, C::kNumeric, V::kCountryList, "COUNTRY - INITIAL PROCESS."},
    {"424", 3, 0, 3, 3, C::kNumeric, V::kNone, "COUNTRY - PROCESS."},
    {"425", 3, 0, 3, 15, C::kNumeric, V::kCountryList, "COUNTRY - DISASSEMBLY"},
    {"426", 3, 0, 3, 3, C::kNumeric, V::kNone, "COUNTRY - FULL PROCESS"},
    {"427", 3, 0, 1, 3, C::kGs1, V::kNone, "ORIGIN SUBDIVISION"},
    {"7001", 4, 0, 13, 13, C::kNumeric, V::kNone, "NSN"},
    {"7002", 4, 0, 1, 30, C::kGs1, V::kNone, "MEAT CUT"},
    {"7003", 4, 0, 10, 10, C::kNumeric, V::kDateTime, "EXPIRY TIME"},
    {"7004", 4, 0, 1, 4, C::kNumeric, V::kNone, "ACTIVE POTENCY"},
    {"7005", 4, 0, 1, 12, C::kGs1, V::kNone, "CATCH AREA"},
    {"7006", 4, 0, 6, 6, C::kNumeric, V::kDate, "FIRST FREEZE DATE"},
    {"7007", 4, 0, 6, 12, C::kNumeric, V::kDateRange, "HARVEST DATE"},
    {"7008", 4, 0, 1, 3, C::kGs1, V::kNone, "AQUATIC SPECIES"},
    {"7009", 4, 0, 1, 10, C::kGs1, V::kNone, "FISHING GEAR TYPE"},
    {"7010", 4, 0, 1, 2, C::kGs1, V::kNone, "PROD METHOD"},
    {"703", 4, 9, 4, 30, C::kNumeric3Gs1, V::kNone, "PROCESSOR # s"},
    {"8005", 4, 0, 6, 6, C::kNumeric, V::kNone, "PRICE PER UNIT"},
    {"8008", 4, 0, 8, 12, C::kNumeric, V::kNone, "PROD TIME"},
    {"8020", 4, 0, 1, 25, C::kGs1, V::kNone, "REF No."},
    {"8200", 4, 0, 1, 70, C::kGs1, V::kNone, "PRODUCT URL"},
    {"90", 2, 0, 1, 30, C::kGs1, V::kNone, "INTERNAL"},
    {"91", 2, 0, 1, 90, C::kGs1, V::kNone, "INTERNAL"},
    {"92", 2, 0, 1, 90, C::kGs1, V::kNone, "INTERNAL"},
    {"93", 2, 0, 1, 90, C::kGs1, V::kNone, "INTERNAL"},
    {"94", 2, 0, 1, 90, C::kGs1, V::kNone, "INTERNAL"},
    {"95", 2, 0, 1, 90, C::kGs1, V::kNone, "INTERNAL"},
    {"96", 2, 0, 1, 90, C::kGs1, V::kNone, "INTERNAL"},
    {"97", 2, 0, 1, 90, C::kGs1, V::kNone, "INTERNAL"},
    {"98", 2, 0, 1, 90, C::kGs1, V::kNone, "INTERNAL"},
    {"99", 2, 0, 1, 90, C::kGs1, V::kNone, "INTERNAL"},
};

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Rules grouped by the AI's first two digits, so a lookup compares a handful of prefixes.
struct RuleIndex {
  std::array<std::vector<const AiRule*>, 100> by_first_two;
  RuleIndex() {
    for (const AiRule& rule : kRules) {
      by_first_two[static_cast<std::size_t>((rule.prefix[0] - '0') * 10 + (rule.prefix[1] - '0'))]
          .push_back(&rule);
    }
  }
};

const RuleIndex& Index() {
  static const RuleIndex index;
  return index;
}

Status CheckCharacters(const AiRule& rule, std::string_view ai, std::string_view value) {
  for (std::size_t i = 0; i < value.size(); ++i) {
    const char c = value[i];
    const bool numeric =
        rule.charset == Charset::kNumeric || (rule.charset == Charset::kNumeric3Gs1 && i < 3);
    if (numeric ? IsDigit(c) : IsGs1Character(c))
      continue;
    const auto code = static_cast<unsigned char>(c);
    const std::string shown = code >= 0x21 && code < 0x7F
                                  ? "'" + std::string(1, c) + "'"
                                  : "byte 0x" + std::string(1, "0123456789ABCDEF"[code >> 4]) +
                                        std::string(1, "0123456789ABCDEF"[code & 15]);
    return Status::Invalid(
        "GS1_CHARACTER",
        AiLabel(rule, ai) + " has " + shown + " at position " + std::to_string(i + 1) +
            (numeric
                 ? ", but only digits are allowed there"
                 : ", which GS1 does not allow (allowed: A-Z a-z 0-9 and !\"%&'()*+,-./:;<=>?_)"));
  }
  return Status::Ok();
}

Status CheckDigit(const AiRule& rule, std::string_view ai, std::string_view value) {
  const int expected = Gs1CheckDigit(value.substr(0, value.size() - 1));
  const int actual = value.back() - '0';
  if (expected == actual)
    return Status::Ok();
  const bool gtin = ai == "01" || ai == "02";
  return Status::Invalid(gtin ? "GTIN_CHECK_DIGIT" : "GS1_CHECK_DIGIT",
                         AiLabel(rule, ai) + " " + std::string(value) + " has check digit " +
                             std::to_string(actual) + ", expected " + std::to_string(expected) +
                             ": re-scan or re-type the code from the package");
}

Status CheckDate(const AiRule& rule, std::string_view ai, std::string_view yymmdd,
                 int current_year) {
  Gs1Date date;
  if (DecodeGs1Date(yymmdd, current_year, &date))
    return Status::Ok();
  return Gs1DateError(yymmdd, current_year, AiLabel(rule, ai));
}

Status CheckDateLike(const AiRule& rule, std::string_view ai, std::string_view value,
                     int current_year) {
  switch (rule.check) {
    case ValueCheck::kDate:
      return CheckDate(rule, ai, value, current_year);
    case ValueCheck::kDateRange:
      if (value.size() != 6 && value.size() != 12) {
        return Status::Invalid("GS1_LENGTH", AiLabel(rule, ai) + " must be YYMMDD or " +
                                                 "YYMMDDYYMMDD, not " +
                                                 std::to_string(value.size()) + " digits");
      }
      FT_RETURN_IF_ERROR(CheckDate(rule, ai, value.substr(0, 6), current_year));
      return value.size() == 12 ? CheckDate(rule, ai, value.substr(6), current_year) : Status::Ok();
    case ValueCheck::kDateTime: {
      FT_RETURN_IF_ERROR(CheckDate(rule, ai, value.substr(0, 6), current_year));
      const int hour = (value[6] - '0') * 10 + (value[7] - '0');
      const int minute = (value[8] - '0') * 10 + (value[9] - '0');
      if (hour > 23 || minute > 59) {
        return Status::Invalid("GS1_DATE", AiLabel(rule, ai) + " time '" +
                                               std::string(value.substr(6)) +
                                               "' must be HHMM with HH 00-23 and MM 00-59");
      }
      return Status::Ok();
    }
    default:
      return Status::Ok();
  }
}

}  // namespace

std::span<const AiRule> AiRules() { return kRules; }

const AiRule* FindAiRule(std::string_view text, std::size_t* ai_length) {
  if (text.size() < 2 || !IsDigit(text[0]) || !IsDigit(text[1]))
    return nullptr;
  const auto& candidates =
      Index().by_first_two[static_cast<std::size_t>((text[0] - '0') * 10 + (text[1] - '0'))];
  for (const AiRule* rule : candidates) {
    if (text.size() < rule->ai_length || text.substr(0, rule->prefix.size()) != rule->prefix) {
      continue;
    }
    if (rule->ai_length > rule->prefix.size()) {
      const char last = text[rule->prefix.size()];
      if (!IsDigit(last) || last - '0' > rule->last_digit_max)
        continue;
    }
    *ai_length = rule->ai_length;
    return rule;
  }
  return nullptr;
}

bool IsPredefinedLength(std::string_view ai) {
  if (ai.size() < 2)
    return false;
  const int two = (ai[0] - '0') * 10 + (ai[1] - '0');
  return two <= 4 || (two >= 11 && two <= 20) || (two >= 31 && two <= 36) || two == 41;
}

Status ValidateAiValue(const AiRule& rule, std::string_view ai, std::string_view value,
                       int current_year) {
  if (value.size() < rule.value_min || value.size() > rule.value_max) {
    const std::string allowed = rule.fixed_length() ? "exactly " + std::to_string(rule.value_max)
                                                    : std::to_string(rule.value_min) + " to " +
                                                          std::to_string(rule.value_max);
    return Status::Invalid("GS1_LENGTH", AiLabel(rule, ai) + " has " +
                                             std::to_string(value.size()) +
                                             " characters, but allows " + allowed);
  }
  FT_RETURN_IF_ERROR(CheckCharacters(rule, ai, value));
  if (rule.check == ValueCheck::kCheckDigit)
    return CheckDigit(rule, ai, value);
  if (rule.check == ValueCheck::kCountryList && value.size() % 3 != 0) {
    return Status::Invalid("GS1_LENGTH", AiLabel(rule, ai) + " has " +
                                             std::to_string(value.size()) +
                                             " digits, but must be a list of 3-digit country "
                                             "codes (3, 6, 9, 12 or 15 digits)");
  }
  return CheckDateLike(rule, ai, value, current_year);
}

std::string AiLabel(const AiRule& rule, std::string_view ai) {
  return "AI (" + std::string(ai) + ") " + std::string(rule.title);
}

bool IsGs1Character(char c) {
  // Set 82: ! " % & ' ( ) * + , - . / 0-9 : ; < = > ? A-Z _ a-z
  static constexpr std::string_view kPunctuation = "!\"%&'()*+,-./:;<=>?_";
  return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
         (c != '\0' && kPunctuation.find(c) != std::string_view::npos);
}

}  // namespace foodtrace::scanner::internal
