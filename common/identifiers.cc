#include "foodtrace/common/identifiers.h"

#include <algorithm>
#include <array>
#include <cctype>

#include "foodtrace/common/date.h"
#include "foodtrace/common/text.h"

namespace foodtrace {
namespace {

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string Upper(std::string_view s) {
  std::string out(TrimAscii(s));
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

// The 31 characters of GB 32100 in value order (no I, O, Z, S, V).
constexpr std::string_view kUsccAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
constexpr std::array<int, 17> kUsccWeights = {1,  3,  9,  27, 19, 26, 16, 17, 20,
                                              29, 25, 13, 8,  24, 10, 30, 28};
constexpr std::array<int, 17> kIdCardWeights = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};

Status LicenceError(std::string_view text, std::string_view why) {
  return Status::Invalid("LICENCE_FORMAT", "licence number '" + std::string(text.substr(0, 40)) +
                                               "' " + std::string(why));
}

}  // namespace

int Gs1CheckDigit(std::string_view digits) {
  FT_CHECK(AllDigits(digits));
  int sum = 0;
  int weight = 3;
  for (auto it = digits.rbegin(); it != digits.rend(); ++it) {
    sum += (*it - '0') * weight;
    weight = 4 - weight;
  }
  return (10 - sum % 10) % 10;
}

Result<std::string> NormalizeGtin(std::string_view text) {
  const std::string_view t = TrimAscii(text);
  if (!AllDigits(t) || (t.size() != 8 && t.size() != 12 && t.size() != 13 && t.size() != 14)) {
    return Status::Invalid("GTIN_FORMAT", "GTIN '" + std::string(t.substr(0, 40)) +
                                              "' must be 8, 12, 13 or 14 digits");
  }
  const int expected = Gs1CheckDigit(t.substr(0, t.size() - 1));
  const int actual = t.back() - '0';
  if (expected != actual) {
    return Status::Invalid("GTIN_CHECK_DIGIT",
                           "GTIN " + std::string(t) + " has check digit " + std::to_string(actual) +
                               ", expected " + std::to_string(expected) +
                               ": re-type the code from the package")
        .WithDetail("expected", std::to_string(expected))
        .WithDetail("got", std::to_string(actual));
  }
  return std::string(14 - t.size(), '0') + std::string(t);
}

Result<std::string> NormalizeGln(std::string_view text) {
  const std::string_view t = TrimAscii(text);
  if (!AllDigits(t) || t.size() != 13) {
    return Status::Invalid("GLN_FORMAT", "GLN '" + std::string(t.substr(0, 40)) +
                                             "' must be 13 digits (GS1 Global Location Number)");
  }
  const int expected = Gs1CheckDigit(t.substr(0, 12));
  const int actual = t.back() - '0';
  if (expected != actual) {
    return Status::Invalid("GLN_CHECK_DIGIT", "GLN " + std::string(t) + " has check digit " +
                                                  std::to_string(actual) + ", expected " +
                                                  std::to_string(expected) +
                                                  ": copy the GLN from the party's GS1 registration");
  }
  return std::string(t);
}

Result<std::string> NormalizeUscc(std::string_view text) {
  const std::string u = Upper(text);
  auto in_alphabet = [](char c) { return kUsccAlphabet.find(c) != std::string_view::npos; };
  bool shape = u.size() == 18;
  for (size_t i = 0; shape && i < 18; ++i) {
    shape = (i >= 2 && i < 8) ? (u[i] >= '0' && u[i] <= '9') : in_alphabet(u[i]);
  }
  if (!shape) {
    return Status::Invalid("USCC_FORMAT",
                           "统一社会信用代码 '" + u.substr(0, 40) +
                               "' must be 18 characters: 2 from the code alphabet (digits and "
                               "letters except I, O, S, V, Z), 6 digits, then 10 from the alphabet");
  }
  int sum = 0;
  for (size_t i = 0; i < 17; ++i) {
    sum += static_cast<int>(kUsccAlphabet.find(u[i])) * kUsccWeights[i];
  }
  const char expected = kUsccAlphabet[static_cast<size_t>((31 - sum % 31) % 31)];
  if (u[17] != expected) {
    return Status::Invalid("USCC_CHECK_CHARACTER", "统一社会信用代码 " + u +
                                                       " has check character " + u[17] +
                                                       ", expected " + expected +
                                                       ": re-type it from the business licence");
  }
  return u;
}

Result<std::string> NormalizeIdCard(std::string_view text) {
  const std::string u = Upper(text);
  if (u.size() != 18 || !AllDigits(std::string_view(u).substr(0, 17)) ||
      !(std::isdigit(static_cast<unsigned char>(u[17])) || u[17] == 'X')) {
    return Status::Invalid("ID_CARD_FORMAT", "ID number must be 17 digits and a digit or X");
  }
  int sum = 0;
  for (size_t i = 0; i < 17; ++i) sum += (u[i] - '0') * kIdCardWeights[i];
  const char expected = "10X98765432"[sum % 11];
  if (u[17] != expected) {
    return Status::Invalid("ID_CARD_CHECK_CHARACTER", "ID number check character is " +
                                                          std::string(1, u[17]) + ", expected " +
                                                          expected + ": re-type the number");
  }
  const int year = std::stoi(u.substr(6, 4));
  const int month = std::stoi(u.substr(10, 2));
  const int day = std::stoi(u.substr(12, 2));
  if (!Date::IsValidCivil(year, month, day)) {
    return Status::Invalid("ID_CARD_BIRTH_DATE", "ID number has an impossible birth date");
  }
  return u;
}

bool IsProvinceCode(int code) {
  return (code >= 11 && code <= 15) || (code >= 21 && code <= 23) || (code >= 31 && code <= 37) ||
         (code >= 41 && code <= 46) || (code >= 50 && code <= 54) || (code >= 61 && code <= 65);
}

Result<std::string> NormalizeBusinessLicence(std::string_view text) {
  const std::string u = Upper(text);
  if (u.size() != 16 || u.rfind("JY", 0) != 0 || !AllDigits(std::string_view(u).substr(2))) {
    return LicenceError(u, "must be JY followed by 14 digits (食品经营许可证编号)");
  }
  if (u[2] < '1' || u[2] > '3') {
    return LicenceError(u, "has business form digit " + std::string(1, u[2]) +
                               ", expected 1, 2 or 3 (主体业态)");
  }
  if (!IsProvinceCode(std::stoi(u.substr(3, 2)))) {
    return LicenceError(u, "has no valid province code at digits 2-3 (GB/T 2260)");
  }
  return u;
}

Result<std::string> NormalizeProductionLicence(std::string_view text) {
  const std::string u = Upper(text);
  if (u.size() != 16 || u.rfind("SC", 0) != 0 || !AllDigits(std::string_view(u).substr(2))) {
    return LicenceError(u, "must be SC followed by 14 digits (食品生产许可证编号)");
  }
  if (u[2] != '1' && u[2] != '2') {
    return LicenceError(u, "has category digit " + std::string(1, u[2]) +
                               ", expected 1 (food) or 2 (food additive)");
  }
  if (!IsProvinceCode(std::stoi(u.substr(5, 2)))) {
    return LicenceError(u, "has no valid province code at digits 4-5 (GB/T 2260)");
  }
  return u;
}

Result<std::string> NormalizeLicence(std::string_view text) {
  const std::string u = Upper(text);
  if (u.rfind("SC", 0) == 0) return NormalizeProductionLicence(u);
  return NormalizeBusinessLicence(u);
}

}  // namespace foodtrace
