// Bare EAN/UPC/GTIN numbers and UPC-E zero suppression (GS1 General Specifications §5.2.2.4.2).
#include <string>

#include "foodtrace/common/identifiers.h"
#include "foodtrace/scanner/scanner.h"
#include "scanner/gs1_parse.h"

namespace foodtrace::scanner {
namespace {

bool AllDigits(std::string_view s) {
  return !s.empty() && s.find_first_not_of("0123456789") == std::string_view::npos;
}

}  // namespace

Result<std::string> ExpandUpcE(std::string_view upc_e) {
  if (upc_e.size() != 8 || !AllDigits(upc_e) || (upc_e[0] != '0' && upc_e[0] != '1')) {
    return Status::Invalid("GTIN_FORMAT", "UPC-E '" + std::string(upc_e.substr(0, 20)) +
                                              "' must be 8 digits: number system 0 or 1, six "
                                              "digits, check digit");
  }
  const std::string_view d = upc_e.substr(1, 6);
  std::string body(1, upc_e[0]);  // number system, then the 10-digit manufacturer+item part
  switch (d[5]) {
    case '0':
    case '1':
    case '2':
      body += std::string(d.substr(0, 2)) + d[5] + "0000" + std::string(d.substr(2, 3));
      break;
    case '3':
      body += std::string(d.substr(0, 3)) + "00000" + std::string(d.substr(3, 2));
      break;
    case '4':
      body += std::string(d.substr(0, 4)) + "00000" + d[4];
      break;
    default:
      body += std::string(d.substr(0, 5)) + "0000" + d[5];
      break;
  }
  const int expected = Gs1CheckDigit(body);
  const int actual = upc_e[7] - '0';
  if (expected != actual) {
    return Status::Invalid("GTIN_CHECK_DIGIT",
                           "UPC-E " + std::string(upc_e) + " has check digit " +
                               std::to_string(actual) + ", expected " + std::to_string(expected) +
                               ": re-scan or re-type the code from the package");
  }
  return body + upc_e[7];
}

namespace internal {

Result<std::string> ParseBareGtin(std::string_view digits, GtinHint hint) {
  if (digits.size() == 8 && hint == GtinHint::kUpcE) {
    Result<std::string> upc_a = ExpandUpcE(digits);
    if (!upc_a.ok())
      return upc_a.status();
    return "00" + *upc_a;
  }
  if (digits.size() == 8 && hint == GtinHint::kNone) {
    // Without a symbology identifier eight digits are EAN-8, unless only UPC-E's check fits.
    Result<std::string> ean8 = NormalizeGtin(digits);
    if (ean8.ok())
      return ean8;
    Result<std::string> upc_a = ExpandUpcE(digits);
    if (upc_a.ok())
      return "00" + *upc_a;
    return ean8.status();
  }
  if (!AllDigits(digits) ||
      (digits.size() != 8 && digits.size() != 12 && digits.size() != 13 && digits.size() != 14)) {
    return Status::Invalid("GTIN_FORMAT", "'" + std::string(digits.substr(0, 40)) +
                                              "' is not a GTIN: EAN-8, UPC-E and UPC-A/EAN-13/"
                                              "GTIN-14 have 8, 12, 13 or 14 digits");
  }
  return NormalizeGtin(digits);
}

}  // namespace internal
}  // namespace foodtrace::scanner
