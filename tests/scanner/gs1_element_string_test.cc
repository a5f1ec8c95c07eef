// Proves GS1 element strings parse per the AI rules: fixed/variable lengths, predefined-length
// AIs without separators, character sets, dates with the century rule and DD = 00, net weight.
#include <catch2/catch.hpp>

#include "foodtrace/scanner/scanner.h"

namespace foodtrace::scanner {
namespace {

constexpr char kGs = '\x1D';

Gs1Data Parse(std::string_view text, int current_year = 2026) {
  Result<Gs1Data> data = ParseCode(text, ParseOptions{current_year});
  INFO(data.status().ToString());
  REQUIRE(data.ok());
  return std::move(data).value();
}

std::string Reason(std::string_view text, int current_year = 2026) {
  Result<Gs1Data> data = ParseCode(text, ParseOptions{current_year});
  REQUIRE_FALSE(data.ok());
  INFO(data.status().message());
  CHECK_FALSE(data.status().message().empty());
  return data.status().reason();
}

std::string Gs(std::string_view a, std::string_view b) {
  return std::string(a) + kGs + std::string(b);
}

TEST_CASE("an element string with GTIN, expiry, lot and serial fills every field", "[scanner]") {
  const Gs1Data d =
      Parse(Gs("0109501101530003"
               "17260331"
               "10AB-123",
               "21S1"));
  CHECK(d.form == CodeForm::kElementString);
  CHECK(d.gtin == "09501101530003");
  CHECK(d.expires_on == "2026-03-31");
  CHECK(d.lot == "AB-123");
  CHECK(d.serial == "S1");
  REQUIRE(d.ais.size() == 4);
  CHECK(d.ais[0] == Gs1Element{"01", "09501101530003"});
  CHECK(d.ais[1] == Gs1Element{"17", "260331"});
  CHECK(d.ais[2] == Gs1Element{"10", "AB-123"});
  CHECK(d.ais[3] == Gs1Element{"21", "S1"});
  REQUIRE(d.Find("10") != nullptr);
  CHECK(*d.Find("10") == "AB-123");
  CHECK(d.Find("15") == nullptr);
}

TEST_CASE("symbology identifiers and a leading FNC1 are stripped before parsing", "[scanner]") {
  for (const char* id : {"]C1", "]d2", "]Q3", "]e0", "]J1"}) {
    INFO(id);
    const Gs1Data d = Parse(std::string(id) +
                            "0109501101530003"
                            "10L1");
    CHECK(d.gtin == "09501101530003");
    CHECK(d.lot == "L1");
  }
  CHECK(Parse(std::string(1, kGs) + "0109501101530003").gtin == "09501101530003");
  CHECK(Parse("0109501101530003"
              "10L1\r\n")
            .lot == "L1");
}

TEST_CASE("predefined-length AIs need no separator, and a redundant GS after one is accepted",
          "[scanner]") {
  const Gs1Data d = Parse(
      "00106141411234567897"
      "0109501101530003"
      "11250101"
      "13250102"
      "15260101"
      "16260102"
      "17260103"
      "2001"
      "3103001250"
      "10LOT");
  CHECK(d.sscc == "106141411234567897");
  CHECK(d.produced_on == "2025-01-01");
  CHECK(d.packed_on == "2025-01-02");
  CHECK(d.best_before == "2026-01-01");
  CHECK(d.sell_by == "2026-01-02");
  CHECK(d.expires_on == "2026-01-03");
  CHECK(*d.Find("20") == "01");
  CHECK(d.lot == "LOT");
  CHECK(Parse(Gs("0109501101530003", "17260331")).expires_on == "2026-03-31");
}

TEST_CASE("a fixed-length AI outside the predefined table must be followed by a GS", "[scanner]") {
  CHECK(Parse(Gs("0109501101530003"
                 "422156",
                 "10L"))
            .Find("422") != nullptr);
  CHECK(Reason("0109501101530003"
               "422156"
               "10L") == "GS1_MISSING_SEPARATOR");
  CHECK(Reason("70032603311200"
               "10L") == "GS1_MISSING_SEPARATOR");
}

TEST_CASE("variable-length values end at a GS or at the end, within their maximum", "[scanner]") {
  const Gs1Data d = Parse(Gs("10" + std::string(20, 'A'), "21" + std::string(20, 'b')));
  CHECK(d.lot == std::string(20, 'A'));
  CHECK(d.serial == std::string(20, 'b'));
  CHECK(Reason("10" + std::string(21, 'A')) == "GS1_LENGTH");
  CHECK(Reason(Gs("10", "21X")) == "GS1_LENGTH");  // empty lot
  CHECK(Parse("30"
              "12345678")
            .count == 12345678);
  CHECK(Reason("30"
               "123456789") == "GS1_LENGTH");
  CHECK(Parse("0109501101530003"
              "37"
              "24")
            .count == 24);
}

TEST_CASE("a fixed-length value that is cut short is a length error", "[scanner]") {
  CHECK(Reason("]C1"
               "01095011015300") == "GS1_LENGTH");
  CHECK(Reason(Gs("0109501101530003"
                  "172603",
                  "10L")) == "GS1_LENGTH");
  CHECK(Reason("0109501101530003"
               "3103") == "GS1_LENGTH");
}

TEST_CASE("digit-only AIs reject letters and set-82 AIs reject other characters", "[scanner]") {
  CHECK(Reason("01O9501101530003") == "GS1_CHARACTER");
  CHECK(Reason("0109501101530003"
               "17260A31") == "GS1_CHARACTER");
  CHECK(Reason("10AB#1") == "GS1_CHARACTER");
  CHECK(Reason("10AB 1") == "GS1_CHARACTER");
  CHECK(Reason("10AB\xC3\xA9") == "GS1_CHARACTER");
  const Gs1Data all = Parse(Gs("10!\"%&'()*+,-./:;<=>?_", "21Az09"));
  CHECK(all.lot == "!\"%&'()*+,-./:;<=>?_");
  CHECK(all.serial == "Az09");
  CHECK(Reason("421ABC12") == "GS1_CHARACTER");  // N3 country first
  CHECK(Parse("421156ABC12").Find("421") != nullptr);
}

TEST_CASE("unknown AIs are rejected with the digits that were read", "[scanner]") {
  CHECK(Reason("0109501101530003"
               "0412") == "GS1_UNKNOWN_AI");
  CHECK(Reason("0109501101530003"
               "3106001250") == "GS1_UNKNOWN_AI");  // 310n has n <= 5
  CHECK(Reason("0109501101530003"
               "14260101") == "GS1_UNKNOWN_AI");
  Result<Gs1Data> r = ParseCode(
      "0109501101530003"
      "19XX",
      ParseOptions{2026});
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().message().find("'19'") != std::string::npos);
}

TEST_CASE("check digits are verified for GTIN, SSCC, GLN and GSIN", "[scanner]") {
  CHECK(Reason("0109501101530004") == "GTIN_CHECK_DIGIT");
  CHECK(Reason("0209501101530004"
               "3710") == "GTIN_CHECK_DIGIT");
  CHECK(Reason("00106141411234567890") == "GS1_CHECK_DIGIT");
  CHECK(Reason("4146141410000015") == "GS1_CHECK_DIGIT");
  CHECK(Reason("40212345678901234561") == "GS1_CHECK_DIGIT");
  CHECK(Parse("4146141410000014").Find("414") != nullptr);
  CHECK(Parse("40212345678901234560").Find("402") != nullptr);
  Result<Gs1Data> r = ParseCode("0109501101530004", ParseOptions{2026});
  CHECK(r.status().message().find("expected 3") != std::string::npos);
}

// Eight digits alone would read as an EAN-8, so these short element strings carry "]C1".
TEST_CASE("two-digit years follow the GS1 century rule around the current year", "[scanner]") {
  // Within -49..+50 years of 2026: 76 -> 2076, 77 -> 1977, 00 -> 2000.
  CHECK(Parse("]C1"
              "17760101",
              2026)
            .expires_on == "2076-01-01");
  CHECK(Parse("]C1"
              "17770101",
              2026)
            .expires_on == "1977-01-01");
  CHECK(Parse("]C1"
              "17000101",
              2026)
            .expires_on == "2000-01-01");
  // Near a century boundary the window moves with the current year.
  CHECK(Parse("]C1"
              "17100101",
              2095)
            .expires_on == "2110-01-01");
  CHECK(Parse("]C1"
              "17450101",
              2095)
            .expires_on == "2145-01-01");
  CHECK(Parse("]C1"
              "17460101",
              2095)
            .expires_on == "2046-01-01");
  CHECK(Parse("]C1"
              "17990101",
              2001)
            .expires_on == "1999-01-01");
  CHECK(Parse("]C1"
              "17510101",
              2001)
            .expires_on == "2051-01-01");
  CHECK(Parse("]C1"
              "17520101",
              2001)
            .expires_on == "1952-01-01");
}

TEST_CASE("day 00 means the last day of the month, leap years included", "[scanner]") {
  CHECK(Parse("]C1"
              "17260200")
            .expires_on == "2026-02-28");
  CHECK(Parse("]C1"
              "17280200")
            .expires_on == "2028-02-29");
  CHECK(Parse("]C1"
              "15261100")
            .best_before == "2026-11-30");
  CHECK(Parse("]C1"
              "11251200")
            .produced_on == "2025-12-31");
}

TEST_CASE("impossible dates are rejected naming the wrong part", "[scanner]") {
  CHECK(Reason("]C1"
               "17261301") == "GS1_DATE");
  CHECK(Reason("]C1"
               "17260001") == "GS1_DATE");
  CHECK(Reason("]C1"
               "17260230") == "GS1_DATE");
  CHECK(Reason("]C1"
               "17270229") == "GS1_DATE");
  CHECK(Parse("]C1"
              "17280229")
            .expires_on == "2028-02-29");
  Result<Gs1Data> r = ParseCode(
      "]C1"
      "17261301",
      ParseOptions{2026});
  CHECK(r.status().message().find("month 13") != std::string::npos);
  CHECK(Reason(Gs("70032603312460", "10L")) == "GS1_DATE");  // hour 24
  CHECK(Parse(Gs("70032603312359", "10L")).Find("7003") != nullptr);
  CHECK(Reason("7007260101261399") == "GS1_DATE");
  CHECK(Parse("7007260101260131").Find("7007") != nullptr);
  CHECK(Reason("]C1"
               "700726010126") == "GS1_LENGTH");  // a range is 6 or 12 digits
}

TEST_CASE("310n turns into grams, a kilogram decimal and the raw digits", "[scanner]") {
  const Gs1Data a = Parse(
      "0109501101530003"
      "3103001250");
  CHECK(a.net_weight_grams == 1250);
  CHECK(a.net_weight_kg == "1.250");
  CHECK(a.net_weight_raw == "001250");
  const Gs1Data b = Parse("3100000002");
  CHECK(b.net_weight_grams == 2000);
  CHECK(b.net_weight_kg == "2");
  const Gs1Data c = Parse("3105012345");  // 0.12345 kg = 123.45 g, rounded half up
  CHECK(c.net_weight_grams == 123);
  CHECK(c.net_weight_kg == "0.12345");
  CHECK(Parse("3104012345").net_weight_grams == 1235);  // 1.2345 kg
  CHECK(Parse("3101999999").net_weight_grams == 99999900);
  // Other measures stay as raw elements.
  const Gs1Data m = Parse(
      "3152000750"
      "3122000120");
  CHECK(*m.Find("3152") == "000750");
  CHECK_FALSE(m.net_weight_grams);
}

TEST_CASE("a repeated AI must repeat its value", "[scanner]") {
  const Gs1Data d = Parse(Gs("10L1", "10L1"));
  CHECK(d.ais.size() == 1);
  CHECK(Reason(Gs("10L1", "10L2")) == "GS1_DUPLICATE_AI");
}

TEST_CASE("more elements than the limit are refused", "[scanner]") {
  std::string many;  // 9 measure AIs x 6 decimals = 54 distinct elements, then 91..99 and 703s
  for (const char* ai : {"310", "311", "312", "313", "314", "315", "316", "320", "330"}) {
    for (char n = '0'; n <= '5'; ++n) many += ai + std::string(1, n) + "000001";
  }
  for (char n = '1'; n <= '9'; ++n) many += "9" + std::string(1, n) + "X" + kGs;
  CHECK(Parse(many).ais.size() == 63);
  many += "7030156X";
  CHECK(Parse(many).ais.size() == 64);
  many += std::string(1, kGs) + "7031156Y";
  Result<Gs1Data> r = ParseCode(many, ParseOptions{2026});
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().reason() == "GS1_TOO_MANY_ELEMENTS");
  CHECK(r.status().code() == Code::kResourceExhausted);
}

TEST_CASE("empty, oversized and non-GS1 text gets a clear error", "[scanner]") {
  CHECK(Reason("") == "CODE_EMPTY");
  CHECK(Reason(" \r\n") == "CODE_EMPTY");
  CHECK(Reason("]C1") == "CODE_EMPTY");
  CHECK(Reason(std::string(1, kGs)) == "CODE_EMPTY");
  CHECK(Reason("hello world") == "CODE_UNRECOGNIZED");
  Result<Gs1Data> big = ParseCode(std::string(9000, '1'), ParseOptions{2026});
  REQUIRE_FALSE(big.ok());
  CHECK(big.status().reason() == "SCAN_CODE_TOO_LONG");
  CHECK(big.status().code() == Code::kResourceExhausted);
  Result<Gs1Data> year = ParseCode(
      "]C1"
      "17260101",
      ParseOptions{3000});
  REQUIRE_FALSE(year.ok());
  CHECK(year.status().reason() == "INVALID_OPTION");
}

TEST_CASE("the default current year is today's, so recent dates land in this century",
          "[scanner]") {
  Result<Gs1Data> d = ParseCode(
      "]C1"
      "17300101");
  REQUIRE(d.ok());
  CHECK(d->expires_on == "2030-01-01");
}

}  // namespace
}  // namespace foodtrace::scanner
