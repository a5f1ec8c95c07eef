// Proves every rule of the AI table holds in every form: a value of the minimum and maximum
// length parses, one character more or less is GS1_LENGTH, a wrong character is
// GS1_CHARACTER, predefined-length AIs need no separator and the others do.
#include <catch2/catch.hpp>

#include "foodtrace/common/identifiers.h"
#include "foodtrace/scanner/scanner.h"
#include "scanner/gs1_ai.h"
#include "scanner/gs1_parse.h"

namespace foodtrace::scanner {
namespace {

using internal::AiRule;
using internal::Charset;
using internal::ValueCheck;

constexpr char kGs = '\x1D';

std::string AiOf(const AiRule& rule) {
  std::string ai(rule.prefix);
  if (ai.size() < rule.ai_length)
    ai += '0';
  return ai;
}

// A valid value of `length` characters for `rule`.
std::string ValidValue(const AiRule& rule, std::size_t length) {
  switch (rule.check) {
    case ValueCheck::kCheckDigit: {
      const std::string body = std::string(length - 1, '1');
      return body + static_cast<char>('0' + Gs1CheckDigit(body));
    }
    case ValueCheck::kDate:
      return "260315";
    case ValueCheck::kDateTime:
      return "2603151230";
    case ValueCheck::kDateRange:
      return length == 6 ? "260315" : "260315260320";
    case ValueCheck::kCountryList: {
      std::string v;
      while (v.size() < length) v += "156";
      return v;
    }
    case ValueCheck::kNone:
      break;
  }
  if (rule.charset == Charset::kNumeric)
    return std::string(length, '7');
  if (rule.charset == Charset::kNumeric3Gs1)
    return "156" + std::string(length - 3, 'x');
  return std::string(length, 'Q');
}

std::string Reason(std::string_view text) {
  Result<Gs1Data> data = ParseCode(text, ParseOptions{2026});
  if (data.ok())
    return "ok";
  CHECK_FALSE(data.status().message().empty());
  return data.status().reason();
}

std::string Bracketed(const std::string& ai, const std::string& value) {
  return "(" + ai + ")" + value;
}

TEST_CASE("no AI in the table is a prefix of another", "[scanner]") {
  const auto rules = internal::AiRules();
  for (const AiRule& a : rules) {
    for (const AiRule& b : rules) {
      if (&a == &b)
        continue;
      INFO(a.prefix << " vs " << b.prefix);
      const std::size_t n = std::min(a.prefix.size(), b.prefix.size());
      CHECK(a.prefix.substr(0, n) != b.prefix.substr(0, n));
    }
  }
}

TEST_CASE("the table has every AI the kiosk and the issue require", "[scanner]") {
  for (const char* ai :
       {"00",   "01",   "02",   "10",  "11",   "12",   "13",   "15",   "16",   "17",
        "20",   "21",   "22",   "30",  "3100", "3105", "3110", "3125", "3135", "3145",
        "3155", "3165", "3200", "37",  "400",  "401",  "402",  "410",  "411",  "412",
        "413",  "414",  "415",  "416", "417",  "422",  "423",  "7003", "7007", "8008"}) {
    std::size_t length = 0;
    INFO(ai);
    CHECK(internal::FindAiRule(ai, &length) != nullptr);
    CHECK(length == std::string_view(ai).size());
  }
}

TEST_CASE("every AI accepts its shortest and longest valid value in every form", "[scanner]") {
  for (const AiRule& rule : internal::AiRules()) {
    const std::string ai = AiOf(rule);
    for (std::size_t length : {std::size_t{rule.value_min}, std::size_t{rule.value_max}}) {
      if (rule.check == ValueCheck::kDateRange && length != 6 && length != 12)
        continue;
      const std::string value = ValidValue(rule, length);
      INFO("AI " << ai << " value '" << value << "'");
      Result<Gs1Data> element = ParseCode("]C1" + ai + value, ParseOptions{2026});
      INFO(element.status().ToString());
      REQUIRE(element.ok());
      REQUIRE(element->ais.size() == 1);
      CHECK(element->ais[0] == Gs1Element{ai, value});
      CHECK(Reason(Bracketed(ai, value)) == "ok");
      CHECK(Reason("https://example.com/01/09501101530003?" + ai + "=" + value) ==
            (ai == "01" ? "GS1_DUPLICATE_AI" : "ok"));
    }
  }
}

TEST_CASE("every AI rejects a value one character too long or too short", "[scanner]") {
  for (const AiRule& rule : internal::AiRules()) {
    const std::string ai = AiOf(rule);
    INFO("AI " << ai);
    const char filler = rule.charset == Charset::kGs1 ? 'Q' : '7';
    const std::string longer = ValidValue(rule, rule.value_max) + filler;
    CHECK(Reason(Bracketed(ai, longer)) == "GS1_LENGTH");
    const std::string shorter(rule.value_min - 1u, filler);
    CHECK(Reason(Bracketed(ai, shorter)) == "GS1_LENGTH");
  }
}

TEST_CASE("every AI rejects a character outside its character set", "[scanner]") {
  for (const AiRule& rule : internal::AiRules()) {
    const std::string ai = AiOf(rule);
    std::string value = ValidValue(rule, rule.value_max);
    if (rule.charset == Charset::kGs1) {
      value.back() = '#';
    } else {
      value.front() = 'A';
    }
    INFO("AI " << ai << " value '" << value << "'");
    CHECK(Reason(Bracketed(ai, value)) == "GS1_CHARACTER");
  }
}

TEST_CASE("only predefined-length AIs may be followed directly by the next AI", "[scanner]") {
  for (const AiRule& rule : internal::AiRules()) {
    const std::string ai = AiOf(rule);
    const std::string value = ValidValue(rule, rule.value_max);
    const std::string next = ai == "21" ? "10N" : "21N";
    INFO("AI " << ai);
    CHECK(Reason("]C1" + ai + value + kGs + next) == "ok");
    const std::string joined = Reason("]C1" + ai + value + next);
    if (internal::IsPredefinedLength(ai)) {
      CHECK(joined == "ok");
    } else if (rule.fixed_length()) {
      CHECK(joined == "GS1_MISSING_SEPARATOR");
    } else {
      CHECK(joined != "ok");  // the next AI runs into the value: too long or wrong characters
    }
  }
}

TEST_CASE("element strings written back with ToElementString parse to the same elements",
          "[scanner]") {
  std::vector<Gs1Element> elements;
  for (const AiRule& rule : internal::AiRules()) {
    if (elements.size() == 40)
      break;
    const std::string ai = AiOf(rule);
    REQUIRE(internal::AddElement(ai, ValidValue(rule, rule.value_max), 2026, &elements).ok());
  }
  const std::string text = internal::ToElementString(elements);
  std::vector<Gs1Element> again;
  REQUIRE(internal::ParseElementString(text, 2026, &again).ok());
  CHECK(again == elements);
}

}  // namespace
}  // namespace foodtrace::scanner
