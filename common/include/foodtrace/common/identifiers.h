// Identifiers the records carry, with their check characters:
// - GTIN-8/12/13/14 and GLN-13 (GS1 General Specifications §7.9: mod-10, weights 3,1 from the
//   right);
// - 统一社会信用代码 USCC (GB 32100-2015: 18 characters, mod-31 check character);
// - 居民身份证 number (GB 11643-1999: 18 characters, ISO 7064 MOD 11-2);
// - 食品经营许可证 "JY" + 14 digits and 食品生产许可证 "SC" + 14 digits (structure only: the
//   check-digit algorithm of those numbers is not public, so it is never used to reject).
// Every function is pure and thread-safe; errors name the identifier and what to fix.
#pragma once

#include <string>
#include <string_view>

#include "foodtrace/common/status.h"

namespace foodtrace {

// The GS1 mod-10 check digit for `digits_without_check` (digits only; FT_CHECKed).
int Gs1CheckDigit(std::string_view digits_without_check);

// Checks a GS1 Global Location Number: 13 digits with the GS1 mod-10 check digit (GS1 General
// Specifications §2.4.4; the same check digit as a GTIN). Returns the trimmed 13 digits.
// Errors: GLN_FORMAT (not 13 digits), GLN_CHECK_DIGIT (wrong check digit).
Result<std::string> NormalizeGln(std::string_view text);

// Normalises a GTIN-8, -12 (UPC-A), -13 (EAN-13) or -14 to 14 digits with leading zeros.
// Errors: GTIN_FORMAT (not 8/12/13/14 digits), GTIN_CHECK_DIGIT (wrong check digit).
Result<std::string> NormalizeGtin(std::string_view text);

// Trims and upper-cases, then checks a USCC. Returns the canonical form.
// Errors: USCC_FORMAT, USCC_CHECK_CHARACTER.
Result<std::string> NormalizeUscc(std::string_view text);

// Checks an 18-character resident ID number (check character and birth date).
// Errors: ID_CARD_FORMAT, ID_CARD_CHECK_CHARACTER, ID_CARD_BIRTH_DATE.
Result<std::string> NormalizeIdCard(std::string_view text);

// Checks a food business licence number (JY + 14 digits, business form 1–3, GB/T 2260
// province code at digits 2–3). Errors: LICENCE_FORMAT.
Result<std::string> NormalizeBusinessLicence(std::string_view text);

// Checks a food production licence number (SC + 14 digits, category 1 food or 2 additive,
// province code at digits 4–5). Errors: LICENCE_FORMAT.
Result<std::string> NormalizeProductionLicence(std::string_view text);

// A licence of either kind, chosen by its "JY"/"SC" prefix. Errors: LICENCE_FORMAT.
Result<std::string> NormalizeLicence(std::string_view text);

// True for a GB/T 2260 province-level code (11–15, 21–23, 31–37, 41–46, 50–54, 61–65).
bool IsProvinceCode(int code);

}  // namespace foodtrace
