// ParseCode: detects the written form of a code, runs its parser, and fills Gs1Data.
#include <string>

#include "foodtrace/common/text.h"
#include "foodtrace/scanner/scanner.h"
#include "scanner/gs1_date.h"
#include "scanner/gs1_parse.h"
#include "scanner/limits.h"

namespace foodtrace::scanner {
namespace {

using internal::GtinHint;

constexpr int kCurrentYearMin = 1950;  // keeps every two-digit year inside Date's range
constexpr int kCurrentYearMax = 2149;

bool AllDigits(std::string_view s) {
  return !s.empty() && s.find_first_not_of("0123456789") == std::string_view::npos;
}

bool IsGtinLength(std::size_t n) { return n == 8 || n == 12 || n == 13 || n == 14; }

bool StartsWithNoCase(std::string_view s, std::string_view lower_prefix) {
  if (s.size() < lower_prefix.size())
    return false;
  for (std::size_t i = 0; i < lower_prefix.size(); ++i) {
    const char c = s[i] >= 'A' && s[i] <= 'Z' ? static_cast<char>(s[i] - 'A' + 'a') : s[i];
    if (c != lower_prefix[i])
      return false;
  }
  return true;
}

// "1.250" from the six digits of 3103 001250.
std::string DecimalText(std::string_view digits, int decimals) {
  const std::size_t split = digits.size() - static_cast<std::size_t>(decimals);
  std::string whole(digits.substr(0, split));
  whole.erase(0, std::min(whole.find_first_not_of('0'), whole.size()));
  if (whole.empty())
    whole = "0";
  if (decimals == 0)
    return whole;
  return whole + "." + std::string(digits.substr(split));
}

std::int64_t ToInt(std::string_view digits) {
  std::int64_t v = 0;
  for (char c : digits) v = v * 10 + (c - '0');
  return v;
}

void FillNetWeight(std::string_view ai, const std::string& value, Gs1Data* data) {
  const int decimals = ai[3] - '0';
  std::int64_t grams = ToInt(value);
  if (decimals <= 3) {
    for (int i = decimals; i < 3; ++i) grams *= 10;
  } else {
    std::int64_t divisor = 1;
    for (int i = 3; i < decimals; ++i) divisor *= 10;
    grams = (grams + divisor / 2) / divisor;
  }
  data->net_weight_grams = grams;
  data->net_weight_kg = DecimalText(value, decimals);
  data->net_weight_raw = value;
}

// The value was validated when it was added, so decoding cannot fail here.
void FillDate(const Gs1Element& e, int current_year, std::string* field) {
  internal::Gs1Date date;
  FT_CHECK(internal::DecodeGs1Date(e.value, current_year, &date));
  *field = internal::IsoDate(date);
}

void FillFields(int current_year, Gs1Data* data) {
  for (const Gs1Element& e : data->ais) {
    const std::string& ai = e.ai;
    if (ai.size() == 4) {
      if (ai[0] == '3' && ai[1] == '1' && ai[2] == '0')
        FillNetWeight(ai, e.value, data);
      continue;
    }
    if (ai.size() != 2)
      continue;
    switch ((ai[0] - '0') * 10 + (ai[1] - '0')) {
      case 0:
        data->sscc = e.value;
        break;
      case 1:
        data->gtin = e.value;
        break;
      case 10:
        data->lot = e.value;
        break;
      case 11:
        FillDate(e, current_year, &data->produced_on);
        break;
      case 13:
        FillDate(e, current_year, &data->packed_on);
        break;
      case 15:
        FillDate(e, current_year, &data->best_before);
        break;
      case 16:
        FillDate(e, current_year, &data->sell_by);
        break;
      case 17:
        FillDate(e, current_year, &data->expires_on);
        break;
      case 21:
        data->serial = e.value;
        break;
      case 30:
      case 37:
        if (!data->count)
          data->count = ToInt(e.value);
        break;
      default:
        break;
    }
  }
}

Result<int> ResolveYear(const ParseOptions& options) {
  if (options.current_year == 0)
    return internal::CurrentChinaYear();
  if (options.current_year < kCurrentYearMin || options.current_year > kCurrentYearMax) {
    return Status::Invalid("INVALID_OPTION", "ParseOptions::current_year " +
                                                 std::to_string(options.current_year) +
                                                 " must be 0 (now) or 1950..2149");
  }
  return options.current_year;
}

// Parses `body` (the text after any symbology identifier) into data->ais and data->form.
Status ParseBody(std::string_view id, std::string_view body, int year, Gs1Data* data) {
  const bool gs1_id = id == "]C1" || id == "]d2" || id == "]Q3" || id == "]e0" || id == "]J1";
  const bool ean_id = id.size() == 3 && id[1] == 'E';
  if (ean_id || (!gs1_id && AllDigits(body) && IsGtinLength(body.size())) ||
      (id == "]e0" && AllDigits(body) && body.size() == 14)) {
    const GtinHint hint = id == "]E0"   ? GtinHint::kUpcE
                          : id == "]E4" ? GtinHint::kEan8
                                        : GtinHint::kNone;
    Result<std::string> gtin = internal::ParseBareGtin(body, hint);
    if (!gtin.ok())
      return gtin.status();
    data->form = CodeForm::kGtin;
    data->ais.push_back(Gs1Element{"01", *gtin});
    return Status::Ok();
  }
  if (!gs1_id && (StartsWithNoCase(body, "https://") || StartsWithNoCase(body, "http://"))) {
    data->form = CodeForm::kDigitalLink;
    return internal::ParseDigitalLink(body, year, &data->ais);
  }
  if (body[0] == '(') {
    data->form = CodeForm::kBracketed;
    return internal::ParseBracketed(body, year, &data->ais);
  }
  if (gs1_id || (body[0] >= '0' && body[0] <= '9') || body[0] == internal::kGroupSeparator) {
    data->form = CodeForm::kElementString;
    return internal::ParseElementString(body, year, &data->ais);
  }
  return Status::Invalid("CODE_UNRECOGNIZED",
                         "'" + std::string(body.substr(0, 40)) +
                             "' is not a GTIN, a GS1 element string or a GS1 Digital Link: "
                             "scan the product's barcode (EAN-13/UPC) or its GS1 DataMatrix/QR");
}

}  // namespace

const char* CodeFormName(CodeForm form) {
  switch (form) {
    case CodeForm::kElementString:
      return "element_string";
    case CodeForm::kBracketed:
      return "bracketed";
    case CodeForm::kDigitalLink:
      return "digital_link";
    case CodeForm::kGtin:
      return "gtin";
  }
  return "unknown";
}

const std::string* Gs1Data::Find(std::string_view ai) const {
  for (const Gs1Element& e : ais) {
    if (e.ai == ai)
      return &e.value;
  }
  return nullptr;
}

Result<Gs1Data> ParseCode(std::string_view text, const ParseOptions& options) {
  if (text.size() > kScanCodeBytesMax) {
    return Status::Exhausted("SCAN_CODE_TOO_LONG",
                             "the code has " + std::to_string(text.size()) + " bytes; at most " +
                                 std::to_string(kScanCodeBytesMax) + " are accepted");
  }
  Result<int> year = ResolveYear(options);
  if (!year.ok())
    return year.status();
  text = TrimAscii(text);
  std::string_view id;
  if (text.size() >= 3 && text[0] == ']') {
    id = text.substr(0, 3);
    text.remove_prefix(3);
  }
  if (text.empty())
    return Status::Invalid("CODE_EMPTY", "the code is empty: scan it again");
  Gs1Data data;
  data.ais.reserve(8);
  FT_RETURN_IF_ERROR(ParseBody(id, text, *year, &data));
  FillFields(*year, &data);
  return data;
}

Result<Gs1Data> ParseDecodedCode(const DecodedCode& code, const ParseOptions& options) {
  if (code.symbology_identifier.size() != 3)
    return ParseCode(code.text, options);
  std::string text;
  text.reserve(code.symbology_identifier.size() + code.text.size());
  text += code.symbology_identifier;
  text += code.text;
  return ParseCode(text, options);
}

}  // namespace foodtrace::scanner
