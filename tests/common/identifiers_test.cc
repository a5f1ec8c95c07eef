// Proves each identifier's check character is verified as its standard defines.
#include <catch2/catch.hpp>

#include "foodtrace/common/identifiers.h"

using namespace foodtrace;

TEST_CASE("GTINs of every length normalise to 14 digits after the check digit", "[gtin]") {
  CHECK(NormalizeGtin("6901234567892").value() == "06901234567892");
  CHECK(NormalizeGtin("96385074").value() == "00000096385074");
  CHECK(NormalizeGtin("036000291452").value() == "00036000291452");
  CHECK(NormalizeGtin("10614141000415").value() == "10614141000415");
}

TEST_CASE("a GTIN with a wrong check digit names the expected digit", "[gtin]") {
  auto r = NormalizeGtin("6901234567891");
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().reason() == "GTIN_CHECK_DIGIT");
  CHECK(r.status().message().find("expected 2") != std::string::npos);
  CHECK(NormalizeGtin("69012345").status().reason() == "GTIN_CHECK_DIGIT");
  CHECK(NormalizeGtin("690123456789").status().reason() == "GTIN_CHECK_DIGIT");
  CHECK(NormalizeGtin("12345").status().reason() == "GTIN_FORMAT");
  CHECK(NormalizeGtin("690123456789X").status().reason() == "GTIN_FORMAT");
}

TEST_CASE("USCC check characters follow GB 32100 (REGULATION rule 19)", "[uscc]") {
  CHECK(NormalizeUscc("91350100M000100Y43").ok());
  CHECK(NormalizeUscc(" 911101083303521997 ").value() == "911101083303521997");
  CHECK(NormalizeUscc("91350100m000100y43").value() == "91350100M000100Y43");
  CHECK(NormalizeUscc("91350100M000100Y44").status().reason() == "USCC_CHECK_CHARACTER");
  CHECK(NormalizeUscc("91350100M000100I43").status().reason() == "USCC_FORMAT");
  CHECK(NormalizeUscc("9135010").status().reason() == "USCC_FORMAT");
}

TEST_CASE("ID numbers check the MOD 11-2 character and the birth date", "[idcard]") {
  CHECK(NormalizeIdCard("11010519491231002X").ok());
  CHECK(NormalizeIdCard("110105194912310021").status().reason() == "ID_CARD_CHECK_CHARACTER");
  CHECK(NormalizeIdCard("11010519491331002").status().reason() == "ID_CARD_FORMAT");
}

TEST_CASE("food licences are checked for structure only (REGULATION rules 21, 22)", "[licence]") {
  CHECK(NormalizeBusinessLicence("JY13301020012345").ok());
  CHECK(NormalizeBusinessLicence("jy13301020012345").value() == "JY13301020012345");
  CHECK(NormalizeBusinessLicence("JY43301020012345").status().reason() == "LICENCE_FORMAT");
  CHECK(NormalizeBusinessLicence("JY19901020012345").status().reason() == "LICENCE_FORMAT");
  CHECK(NormalizeBusinessLicence("JY1330102001234").status().reason() == "LICENCE_FORMAT");
  CHECK(NormalizeProductionLicence("SC10633010200123").ok());
  CHECK(NormalizeProductionLicence("SC30633010200123").status().reason() == "LICENCE_FORMAT");
  CHECK(NormalizeProductionLicence("SC10699010200123").status().reason() == "LICENCE_FORMAT");
  CHECK(NormalizeLicence("SC10633010200123").ok());
  CHECK(NormalizeLicence("XX10633010200123").status().reason() == "LICENCE_FORMAT");
}
