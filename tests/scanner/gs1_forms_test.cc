// Proves the other written forms parse to the same GS1 data: GS1 Digital Link URIs (short
// names, percent-encoding, path prefixes, query attributes), the bracketed form, and bare
// EAN-13/EAN-8/UPC-A/UPC-E/GTIN-14 numbers normalised to GTIN-14 with check digits verified.
#include <catch2/catch.hpp>

#include "foodtrace/scanner/scanner.h"

namespace foodtrace::scanner {
namespace {

Gs1Data Parse(std::string_view text) {
  Result<Gs1Data> data = ParseCode(text, ParseOptions{2026});
  INFO(text);
  INFO(data.status().ToString());
  REQUIRE(data.ok());
  return std::move(data).value();
}

std::string Reason(std::string_view text) {
  Result<Gs1Data> data = ParseCode(text, ParseOptions{2026});
  INFO(text);
  REQUIRE_FALSE(data.ok());
  CHECK_FALSE(data.status().message().empty());
  return data.status().reason();
}

TEST_CASE("a Digital Link with lot, serial and expiry gives the same data as the barcode",
          "[scanner]") {
  const Gs1Data d =
      Parse("https://id.example.com/01/09501101530003/10/AB-123/21/S1?17=260331&3103=001250");
  CHECK(d.form == CodeForm::kDigitalLink);
  CHECK(d.gtin == "09501101530003");
  CHECK(d.lot == "AB-123");
  CHECK(d.serial == "S1");
  CHECK(d.expires_on == "2026-03-31");
  CHECK(d.net_weight_grams == 1250);
  REQUIRE(d.ais.size() == 5);
  CHECK(d.ais[0].ai == "01");
  CHECK(d.ais[1].ai == "10");
  CHECK(d.ais[2].ai == "21");
  CHECK(d.ais[3].ai == "17");
  CHECK(d.ais[4].ai == "3103");
}

TEST_CASE("Digital Link accepts short names, a path prefix, http and upper-case schemes",
          "[scanner]") {
  CHECK(Parse("https://example.com/gtin/09501101530003/lot/L1/ser/7").serial == "7");
  CHECK(Parse("http://example.com/shop/products/01/09501101530003/10/L1").lot == "L1");
  CHECK(Parse("HTTPS://EXAMPLE.COM/01/09501101530003").gtin == "09501101530003");
  CHECK(Parse("https://example.com/01/09501101530003/22/V1/10/L1").Find("22") != nullptr);
  CHECK(Parse("https://example.com/01/09501101530003/").gtin == "09501101530003");
  CHECK(Parse("https://example.com/01/09501101530003#frag").gtin == "09501101530003");
  CHECK(Parse("https://example.com/00/106141411234567897").sscc == "106141411234567897");
  CHECK(Parse("https://example.com/414/6141410000014/254/A1").Find("254") != nullptr);
}

TEST_CASE("Digital Link pads GTIN-8/12/13 to 14 digits and checks the check digit", "[scanner]") {
  CHECK(Parse("https://example.com/01/4006381333931").gtin == "04006381333931");
  CHECK(Parse("https://example.com/01/96385074").gtin == "00000096385074");
  CHECK(Reason("https://example.com/01/4006381333932") == "GTIN_CHECK_DIGIT");
}

TEST_CASE("Digital Link values are percent-decoded and then checked as AI values", "[scanner]") {
  CHECK(Parse("https://example.com/01/09501101530003/10/A%2FB%25").lot == "A/B%");
  CHECK(Reason("https://example.com/01/09501101530003/10/A%2") == "DIGITAL_LINK_FORMAT");
  CHECK(Reason("https://example.com/01/09501101530003/10/A%G1") == "DIGITAL_LINK_FORMAT");
  CHECK(Reason("https://example.com/01/09501101530003/10/A%20B") == "GS1_CHARACTER");
}

TEST_CASE("Digital Link query: AI keys are data, other keys are ignored", "[scanner]") {
  const Gs1Data d =
      Parse("https://example.com/01/09501101530003?linkType=all&15=270100&context=x&17=270315");
  CHECK(d.best_before == "2027-01-31");
  CHECK(d.expires_on == "2027-03-15");
  CHECK(d.ais.size() == 3);
  CHECK(Reason("https://example.com/01/09501101530003?17=261301") == "GS1_DATE");
  CHECK(Reason("https://example.com/01/09501101530003?19=1") == "GS1_UNKNOWN_AI");
  CHECK(Reason("https://example.com/01/09501101530003/10/L1?10=L2") == "GS1_DUPLICATE_AI");
}

TEST_CASE("malformed Digital Links say what is wrong", "[scanner]") {
  CHECK(Reason("https://example.com/products/42") == "DIGITAL_LINK_FORMAT");
  CHECK(Reason("https://example.com") == "DIGITAL_LINK_FORMAT");
  CHECK(Reason("https:///01/09501101530003") == "DIGITAL_LINK_FORMAT");
  CHECK(Reason("https://example.com/01/09501101530003/21/S1/10/L1") == "DIGITAL_LINK_FORMAT");
  CHECK(Reason("https://example.com/01/09501101530003/17/260101") == "DIGITAL_LINK_FORMAT");
  CHECK(Reason("https://example.com/01/0950110153") == "GS1_LENGTH");
}

TEST_CASE("the bracketed form parses like the element string, spaces and all", "[scanner]") {
  const Gs1Data d = Parse("(01)09501101530003(17)260331(10)AB-123(21)S1");
  CHECK(d.form == CodeForm::kBracketed);
  CHECK(d.gtin == "09501101530003");
  CHECK(d.expires_on == "2026-03-31");
  CHECK(d.lot == "AB-123");
  CHECK(d.serial == "S1");
  CHECK(Parse("(01) 09501101530003 (10) L1").lot == "L1");
  CHECK(Parse("]e0(01)09501101530003(17)260331").expires_on == "2026-03-31");
  // Brackets inside a value stay part of it unless they name a known AI.
  CHECK(Parse("(10)A(B)C(21)X").lot == "A(B)C");
}

TEST_CASE("bracketed syntax errors are reported", "[scanner]") {
  CHECK(Reason("(01)09501101530003)") == "GS1_LENGTH");
  CHECK(Reason("(1)5") == "GS1_BRACKETS");
  CHECK(Reason("(01") == "GS1_BRACKETS");
  CHECK(Reason("(19)ABC") == "GS1_UNKNOWN_AI");
  CHECK(Reason("(17)261301") == "GS1_DATE");
  CHECK(Reason("(10)") == "GS1_LENGTH");
}

TEST_CASE("bare EAN-13, UPC-A, EAN-8 and GTIN-14 become GTIN-14", "[scanner]") {
  const Gs1Data ean13 = Parse("4006381333931");
  CHECK(ean13.form == CodeForm::kGtin);
  CHECK(ean13.gtin == "04006381333931");
  REQUIRE(ean13.ais.size() == 1);
  CHECK(ean13.ais[0] == Gs1Element{"01", "04006381333931"});
  CHECK(Parse("036000291452").gtin == "00036000291452");
  CHECK(Parse("96385074").gtin == "00000096385074");
  CHECK(Parse("09501101530003").gtin == "09501101530003");
  CHECK(Parse("]E0"
              "4006381333931")
            .gtin == "04006381333931");
  CHECK(Parse("]E4"
              "96385074")
            .gtin == "00000096385074");
  CHECK(Parse(" 4006381333931\n").gtin == "04006381333931");
}

TEST_CASE("bare numbers with a wrong check digit or length are rejected", "[scanner]") {
  CHECK(Reason("4006381333932") == "GTIN_CHECK_DIGIT");
  CHECK(Reason("036000291453") == "GTIN_CHECK_DIGIT");
  CHECK(Reason("]E0"
               "40063813339") == "GTIN_FORMAT");
  CHECK(Reason("]E0"
               "4006381333A31") == "GTIN_FORMAT");
  CHECK(Reason("]E4"
               "96385075") == "GTIN_CHECK_DIGIT");
  CHECK(Reason("96385075") == "GTIN_CHECK_DIGIT");
}

TEST_CASE("UPC-E expands to UPC-A by the zero-suppression rules", "[scanner]") {
  // The last of the six digits selects where the zeros go.
  CHECK(ExpandUpcE("01234505").value() == "012000003455");
  CHECK(ExpandUpcE("01234514").value() == "012100003454");
  CHECK(ExpandUpcE("01234523").value() == "012200003453");
  CHECK(ExpandUpcE("01234531").value() == "012300000451");
  CHECK(ExpandUpcE("01234543").value() == "012340000053");
  CHECK(ExpandUpcE("01234565").value() == "012345000065");
  CHECK(ExpandUpcE("11234562").value() == "112345000062");
  CHECK(ExpandUpcE("01234566").status().reason() == "GTIN_CHECK_DIGIT");
  CHECK(ExpandUpcE("21234565").status().reason() == "GTIN_FORMAT");
  CHECK(ExpandUpcE("0123456").status().reason() == "GTIN_FORMAT");
}

TEST_CASE(
    "eight digits are UPC-E under the E0 identifier, and also bare when only UPC-E's check fits",
    "[scanner]") {
  CHECK(Parse("]E0"
              "01234565")
            .gtin == "00012345000065");
  // 01234565 is also a valid EAN-8, and bare eight digits prefer EAN-8 ...
  CHECK(Parse("01234565").gtin == "00000001234565");
  // ... but 01234531 fails EAN-8's check digit and passes UPC-E's, so it is UPC-E.
  CHECK(Parse("01234531").gtin == "00012300000451");
  CHECK(Reason("]E0"
               "01234566") == "GTIN_CHECK_DIGIT");
}

TEST_CASE("ParseDecodedCode prefixes the symbology identifier", "[scanner]") {
  DecodedCode upc_e{"UPC-E", "]E0", "01234565", false};
  CHECK(ParseDecodedCode(upc_e, ParseOptions{2026}).value().gtin == "00012345000065");
  DecodedCode gs1_128{"Code128", "]C1",
                      "0109501101530003"
                      "10L1",
                      true};
  CHECK(ParseDecodedCode(gs1_128, ParseOptions{2026}).value().lot == "L1");
  DecodedCode qr{"QRCode", "]Q1", "https://example.com/01/09501101530003", false};
  CHECK(ParseDecodedCode(qr, ParseOptions{2026}).value().form == CodeForm::kDigitalLink);
  DecodedCode plain{"QRCode", "", "4006381333931", false};
  CHECK(ParseDecodedCode(plain, ParseOptions{2026}).value().gtin == "04006381333931");
}

TEST_CASE("a GS1 symbology identifier forces element-string parsing", "[scanner]") {
  // Under ]C1, 16 digits are (01) + GTIN, never a bare number.
  CHECK(Parse("]C1"
              "0109501101530003")
            .form == CodeForm::kElementString);
  // DataBar transmitted as bare 14 digits is still a GTIN.
  CHECK(Parse("]e0"
              "09501101530003")
            .gtin == "09501101530003");
  CHECK(Reason("]C1"
               "hello") == "GS1_UNKNOWN_AI");
}

TEST_CASE("CodeFormName names every form", "[scanner]") {
  CHECK(std::string(CodeFormName(CodeForm::kElementString)) == "element_string");
  CHECK(std::string(CodeFormName(CodeForm::kBracketed)) == "bracketed");
  CHECK(std::string(CodeFormName(CodeForm::kDigitalLink)) == "digital_link");
  CHECK(std::string(CodeFormName(CodeForm::kGtin)) == "gtin");
}

}  // namespace
}  // namespace foodtrace::scanner
