// Proves typed quantities become exact base-unit integers or are refused, pieces convert only
// through a declared piece content, and GLNs are checked by their GS1 check digit.
#include <catch2/catch.hpp>

#include "foodtrace/common/identifiers.h"
#include "foodtrace/common/quantity.h"

using namespace foodtrace;

TEST_CASE("a decimal quantity in kilograms or litres is stored exactly in grams or millilitres", "[common][quantity]") {
  CHECK(*ParseQuantity("15.5", "KGM") == Quantity{15500, "GRM"});
  CHECK(*ParseQuantity("0.25", "ltr") == Quantity{250, "MLT"});
  CHECK(*ParseQuantity("12", "KGM") == Quantity{12, "KGM"});  // whole numbers keep their unit
  CHECK(*ParseQuantity("12.0", "KGM") == Quantity{12, "KGM"});
  CHECK(*ParseQuantity(" 3 ", "H87") == Quantity{3, "H87"});
  CHECK(*ParseQuantityWithUnit("2.5KGM") == Quantity{2500, "GRM"});
  CHECK(*ParseQuantityWithUnit("24 H87") == Quantity{24, "H87"});
}

TEST_CASE("a quantity that is not exact in the base unit is refused with what to write instead", "[common][quantity]") {
  auto grams = ParseQuantity("0.0005", "KGM");
  REQUIRE_FALSE(grams.ok());
  CHECK(grams.status().reason() == "QUANTITY_FORMAT");  // more than 3 decimals
  auto pieces = ParseQuantity("1.5", "H87");
  REQUIRE_FALSE(pieces.ok());
  CHECK(pieces.status().reason() == "QUANTITY_NOT_EXACT");
  CHECK(pieces.status().message().find("whole pieces") != std::string::npos);
  CHECK(ParseQuantity("abc", "KGM").status().reason() == "QUANTITY_FORMAT");
  CHECK(ParseQuantity("-2", "KGM").status().reason() == "QUANTITY_FORMAT");
  CHECK(ParseQuantity("1.5", "LBR").status().reason() == "UNIT_UNKNOWN");
  CHECK(ParseQuantity("99999999999999", "KGM").status().reason() == "QUANTITY_TOO_LARGE");
}

TEST_CASE("pieces convert to volume only through the net content of one piece", "[common][quantity]") {
  const Quantity bottle{250, "MLT"};
  CHECK(*ConvertQuantity({12, "H87"}, "MLT", bottle) == 3000);
  CHECK(*ConvertQuantity({3, "LTR"}, "H87", bottle) == 12);
  CHECK(*ConvertQuantity({2, "KGM"}, "GRM", {}) == 2000);
  CHECK(ConvertQuantity({1100, "MLT"}, "H87", bottle).status().reason() == "QUANTITY_NOT_EXACT");
  CHECK(ConvertQuantity({12, "H87"}, "MLT", {}).status().reason() == "UNIT_MISMATCH");
  CHECK(ConvertQuantity({12, "H87"}, "GRM", bottle).status().reason() == "UNIT_MISMATCH");
  CHECK(*PackQuantity(2, {24, "H87"}) == Quantity{48, "H87"});
  CHECK(FormatQuantity({15500, "GRM"}, true) == "15.5 KGM");
}

TEST_CASE("a GLN is 13 digits with the GS1 check digit", "[common][identifiers]") {
  CHECK(*NormalizeGln(" 0614141000012 ") == "0614141000012");
  CHECK(NormalizeGln("0614141000013").status().reason() == "GLN_CHECK_DIGIT");
  CHECK(NormalizeGln("061414100001").status().reason() == "GLN_FORMAT");
}
