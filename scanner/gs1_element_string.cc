// GS1 element strings (as a barcode transmits them) and the bracketed human-readable form.
#include <string>

#include "scanner/gs1_ai.h"
#include "scanner/gs1_parse.h"
#include "scanner/limits.h"

namespace foodtrace::scanner::internal {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

std::string Position(std::size_t index) { return "position " + std::to_string(index + 1); }

Status UnknownAi(std::string_view rest, std::size_t at) {
  if (rest.empty() || !IsDigit(rest[0])) {
    const std::string found =
        rest.empty() ? "the end of the code" : "'" + std::string(1, rest[0]) + "'";
    return Status::Invalid("GS1_UNKNOWN_AI",
                           "expected an Application Identifier (2 to 4 digits) "
                           "at " +
                               Position(at) + " but found " + found +
                               ": the code is damaged or not a GS1 code");
  }
  std::string digits;
  for (std::size_t i = 0; i < rest.size() && i < 4 && IsDigit(rest[i]); ++i) digits += rest[i];
  return Status::Invalid("GS1_UNKNOWN_AI",
                         "no GS1 Application Identifier that foodtrace reads starts with '" +
                             digits + "' (at " + Position(at) +
                             "): the code is damaged, a GS separator is misplaced, or it uses an "
                             "AI not listed in docs/scanner.md");
}

// Reads the value of a fixed-length AI that starts at `pos`. Advances `pos` past the value and
// its separator, if any.
Status ReadFixedValue(std::string_view text, const AiRule& rule, std::string_view ai,
                      std::size_t* pos, std::string_view* value) {
  const std::size_t start = *pos;
  const std::size_t length = rule.value_max;
  const std::size_t gs = text.find(kGroupSeparator, start);
  const std::size_t available = (gs == std::string_view::npos ? text.size() : gs) - start;
  if (available < length) {
    return Status::Invalid("GS1_LENGTH", AiLabel(rule, ai) + " needs exactly " +
                                             std::to_string(length) + " characters but only " +
                                             std::to_string(available) + " follow before " +
                                             (gs == std::string_view::npos ? "the end" : "a GS"));
  }
  *value = text.substr(start, length);
  *pos = start + length;
  if (*pos == text.size())
    return Status::Ok();
  if (text[*pos] == kGroupSeparator) {
    ++*pos;
    return Status::Ok();
  }
  if (!IsPredefinedLength(ai)) {
    return Status::Invalid("GS1_MISSING_SEPARATOR",
                           AiLabel(rule, ai) +
                               " is not one of GS1's predefined-length AIs, so a "
                               "GS (FNC1) must follow its " +
                               std::to_string(length) + " characters; found '" +
                               std::string(1, text[*pos]) + "' at " + Position(*pos));
  }
  return Status::Ok();
}

Status ReadVariableValue(std::string_view text, const AiRule& rule, std::string_view ai,
                         std::size_t* pos, std::string_view* value) {
  const std::size_t start = *pos;
  std::size_t end = text.find(kGroupSeparator, start);
  if (end == std::string_view::npos)
    end = text.size();
  *value = text.substr(start, end - start);
  *pos = end == text.size() ? end : end + 1;
  if (value->size() > rule.value_max) {
    return Status::Invalid("GS1_LENGTH", AiLabel(rule, ai) + " allows at most " +
                                             std::to_string(rule.value_max) + " characters but " +
                                             std::to_string(value->size()) +
                                             " follow before the next GS or the end: if "
                                             "another AI follows, its GS (FNC1) separator is "
                                             "missing");
  }
  return Status::Ok();
}

// True when text[at] starts "(NN)", "(NNN)" or "(NNNN)" naming a known AI.
bool IsBracketedAi(std::string_view text, std::size_t at, std::string_view* ai) {
  if (at >= text.size() || text[at] != '(')
    return false;
  std::size_t close = at + 1;
  while (close < text.size() && close - at <= 5 && IsDigit(text[close])) ++close;
  if (close >= text.size() || text[close] != ')' || close - at - 1 < 2)
    return false;
  *ai = text.substr(at + 1, close - at - 1);
  std::size_t length = 0;
  return FindAiRule(*ai, &length) != nullptr && length == ai->size();
}

std::string_view TrimSpaces(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

// AddElement once the rule is known.
Status AddRuleElement(const AiRule& rule, std::string_view ai, std::string_view value,
                      int current_year, std::vector<Gs1Element>* elements) {
  FT_RETURN_IF_ERROR(ValidateAiValue(rule, ai, value, current_year));
  for (const Gs1Element& e : *elements) {
    if (e.ai != ai)
      continue;
    if (e.value == value)
      return Status::Ok();  // GS1 allows a repeated identical element
    return Status::Invalid("GS1_DUPLICATE_AI", AiLabel(rule, ai) +
                                                   " appears twice with "
                                                   "different values '" +
                                                   e.value + "' and '" + std::string(value) + "'");
  }
  if (elements->size() >= kScanElementsMax) {
    return Status::Exhausted(
        "GS1_TOO_MANY_ELEMENTS",
        "the code has more than " + std::to_string(kScanElementsMax) + " GS1 elements");
  }
  elements->push_back(Gs1Element{std::string(ai), std::string(value)});
  return Status::Ok();
}

}  // namespace

Status AddElement(std::string_view ai, std::string_view value, int current_year,
                  std::vector<Gs1Element>* elements) {
  std::size_t length = 0;
  const AiRule* rule = FindAiRule(ai, &length);
  if (rule == nullptr || length != ai.size()) {
    return Status::Invalid("GS1_UNKNOWN_AI", "'" + std::string(ai.substr(0, 8)) +
                                                 "' is not a GS1 Application Identifier that "
                                                 "foodtrace reads (docs/scanner.md lists them)");
  }
  return AddRuleElement(*rule, ai, value, current_year, elements);
}

Status ParseElementString(std::string_view text, int current_year,
                          std::vector<Gs1Element>* elements) {
  std::size_t pos = 0;
  while (pos < text.size()) {
    if (text[pos] == kGroupSeparator) {  // FNC1 in first position, or a doubled separator
      ++pos;
      continue;
    }
    std::size_t ai_length = 0;
    const AiRule* rule = FindAiRule(text.substr(pos), &ai_length);
    if (rule == nullptr)
      return UnknownAi(text.substr(pos), pos);
    const std::string_view ai = text.substr(pos, ai_length);
    pos += ai_length;
    std::string_view value;
    FT_RETURN_IF_ERROR(rule->fixed_length() ? ReadFixedValue(text, *rule, ai, &pos, &value)
                                            : ReadVariableValue(text, *rule, ai, &pos, &value));
    FT_RETURN_IF_ERROR(AddRuleElement(*rule, ai, value, current_year, elements));
  }
  if (elements->empty()) {
    return Status::Invalid("CODE_EMPTY", "the code holds only GS separators, no GS1 data");
  }
  return Status::Ok();
}

Status ParseBracketed(std::string_view text, int current_year, std::vector<Gs1Element>* elements) {
  std::size_t pos = 0;
  while (pos < text.size()) {
    while (pos < text.size() && text[pos] == ' ') ++pos;
    if (pos == text.size())
      break;
    std::string_view ai;
    if (!IsBracketedAi(text, pos, &ai)) {
      const std::size_t close = text.find(')', pos);
      const bool digits_in_brackets =
          text[pos] == '(' && close != std::string_view::npos && close > pos + 2 &&
          text.substr(pos + 1, close - pos - 1).find_first_not_of("0123456789") ==
              std::string_view::npos;
      if (digits_in_brackets)
        return UnknownAi(text.substr(pos + 1), pos + 1);
      return Status::Invalid("GS1_BRACKETS", "expected '(' + an Application Identifier + ')' at " +
                                                 Position(pos) + " of the bracketed code");
    }
    const std::size_t start = pos + ai.size() + 2;
    std::size_t end = start;
    std::string_view next_ai;
    while (end < text.size() && !IsBracketedAi(text, end, &next_ai)) ++end;
    FT_RETURN_IF_ERROR(
        AddElement(ai, TrimSpaces(text.substr(start, end - start)), current_year, elements));
    pos = end;
  }
  if (elements->empty()) {
    return Status::Invalid("CODE_EMPTY", "the bracketed code holds no GS1 elements");
  }
  return Status::Ok();
}

std::string ToElementString(const std::vector<Gs1Element>& elements) {
  std::string out;
  for (std::size_t i = 0; i < elements.size(); ++i) {
    out += elements[i].ai;
    out += elements[i].value;
    if (i + 1 < elements.size() && !IsPredefinedLength(elements[i].ai))
      out += kGroupSeparator;
  }
  return out;
}

}  // namespace foodtrace::scanner::internal
