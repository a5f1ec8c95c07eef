// Proves real barcode images (written by zxing-cpp and zint, saved as PNG and JPEG, scaled,
// rotated, noisy, several per photo) decode through the public API to the exact GS1 fields,
// and that unreadable, corrupt and oversized files get clear errors.
#include <algorithm>
#include <catch2/catch.hpp>
#include <string>
#include <tuple>

#include "foodtrace/scanner/scanner.h"
#include "scanner/limits.h"
#include "scanner/testing/barcode_images.h"

namespace foodtrace::scanner {
namespace {

using testing::Image;
using testing::ZintSymbol;
using testing::ZxingSymbol;

constexpr std::string_view kGs1Data = "[01]09501101530003[17]260331[10]AB-123[21]S1";

Image Zint(ZintSymbol symbol, std::string_view data, int module_pixels = 4) {
  Result<Image> image = testing::RenderZint(symbol, data, module_pixels);
  INFO(image.status().ToString());
  REQUIRE(image.ok());
  return std::move(image).value();
}

Image Zxing(ZxingSymbol symbol, std::string_view data, int width, int height) {
  Result<Image> image = testing::RenderZxing(symbol, data, width, height, 20);
  INFO(image.status().ToString());
  REQUIRE(image.ok());
  return std::move(image).value();
}

std::vector<DecodedCode> Decode(const std::string& file) {
  Result<std::vector<DecodedCode>> codes = DecodeImage(file);
  INFO(codes.status().ToString());
  REQUIRE(codes.ok());
  REQUIRE_FALSE(codes->empty());
  return std::move(codes).value();
}

Gs1Data DecodeOne(const std::string& file, std::string_view symbology) {
  const std::vector<DecodedCode> codes = Decode(file);
  REQUIRE(codes.size() == 1);
  CHECK(codes[0].symbology == symbology);
  Result<Gs1Data> data = ParseDecodedCode(codes[0], ParseOptions{2026});
  INFO(codes[0].text);
  INFO(data.status().ToString());
  REQUIRE(data.ok());
  return std::move(data).value();
}

void CheckFullGs1(const Gs1Data& d) {
  CHECK(d.gtin == "09501101530003");
  CHECK(d.expires_on == "2026-03-31");
  CHECK(d.lot == "AB-123");
  CHECK(d.serial == "S1");
}

std::string Reason(const std::string& file, const DecodeOptions& options = {}) {
  Result<std::vector<DecodedCode>> codes = DecodeImage(file, options);
  REQUIRE_FALSE(codes.ok());
  INFO(codes.status().ToString());
  CHECK_FALSE(codes.status().message().empty());
  return codes.status().reason();
}

TEST_CASE("an EAN-13 written by zxing-cpp decodes from PNG and JPEG", "[scanner][image]") {
  const Image photo =
      testing::Centered(Zxing(ZxingSymbol::kEan13, "9501101530003", 380, 140), 640, 480);
  for (const std::string& file : {testing::EncodePng(photo), testing::EncodeJpeg(photo, 85)}) {
    const Gs1Data d = DecodeOne(file, "EAN-13");
    CHECK(d.form == CodeForm::kGtin);
    CHECK(d.gtin == "09501101530003");
  }
}

TEST_CASE("a GS1-128 with FNC1 written by zxing-cpp yields every element", "[scanner][image]") {
  const std::string fnc1 = "\xC3\xB1";  // U+00F1: zxing-cpp's Code 128 writer's FNC1
  const Image symbol = Zxing(ZxingSymbol::kCode128,
                             fnc1 +
                                 "0109501101530003"
                                 "17260331"
                                 "10AB-123" +
                                 fnc1 + "21S1",
                             700, 160);
  const std::vector<DecodedCode> codes =
      Decode(testing::EncodePng(testing::Centered(symbol, 800, 480)));
  REQUIRE(codes.size() == 1);
  CHECK(codes[0].symbology_identifier == "]C1");
  CHECK(codes[0].is_gs1);
  CHECK(codes[0].text ==
        "0109501101530003"
        "17260331"
        "10AB-123\x1D"
        "21S1");
  CheckFullGs1(ParseDecodedCode(codes[0], ParseOptions{2026}).value());
}

TEST_CASE("a Digital Link QR written by zxing-cpp yields the link's fields", "[scanner][image]") {
  const Image symbol =
      Zxing(ZxingSymbol::kQr, "https://id.example.com/01/09501101530003/10/AB-123/21/S1?17=260331",
            300, 300);
  const Gs1Data d = DecodeOne(testing::EncodePng(testing::Centered(symbol, 640, 480)), "QRCode");
  CHECK(d.form == CodeForm::kDigitalLink);
  CheckFullGs1(d);
}

TEST_CASE("GS1 DataMatrix, GS1 QR and GS1-128 rendered by zint yield every element",
          "[scanner][image]") {
  const auto [symbol, name, identifier] =
      GENERATE(std::tuple{ZintSymbol::kGs1DataMatrix, "DataMatrix", "]d2"},
               std::tuple{ZintSymbol::kGs1Qr, "QRCode", "]Q3"},
               std::tuple{ZintSymbol::kGs1_128, "Code128", "]C1"});
  INFO(name);
  const Image photo =
      testing::Centered(Zint(symbol, kGs1Data, symbol == ZintSymbol::kGs1_128 ? 2 : 6), 900, 480);
  const std::vector<DecodedCode> codes = Decode(testing::EncodePng(photo));
  REQUIRE(codes.size() == 1);
  CHECK(codes[0].symbology == name);
  CHECK(codes[0].symbology_identifier == identifier);
  CHECK(codes[0].is_gs1);
  CHECK(codes[0].text ==
        "0109501101530003"
        "17260331"
        "10AB-123\x1D"
        "21S1");
  CheckFullGs1(ParseDecodedCode(codes[0], ParseOptions{2026}).value());
}

TEST_CASE("GS1 DataBar and DataBar Expanded come out as element strings", "[scanner][image]") {
  const std::vector<DecodedCode> bar = Decode(testing::EncodePng(
      testing::Centered(Zint(ZintSymbol::kDataBar, "0950110153000", 3), 640, 480)));
  REQUIRE(bar.size() == 1);
  CHECK(bar[0].symbology == "DataBar");
  CHECK(bar[0].text == "0109501101530003");
  CHECK(ParseDecodedCode(bar[0], ParseOptions{2026}).value().gtin == "09501101530003");

  const std::vector<DecodedCode> expanded = Decode(testing::EncodePng(testing::Centered(
      Zint(ZintSymbol::kDataBarExpanded, "[01]09501101530003[17]260331[10]AB-123", 2), 900, 480)));
  REQUIRE(expanded.size() == 1);
  CHECK(expanded[0].symbology == "DataBarExpanded");
  CHECK(expanded[0].is_gs1);
  CHECK(expanded[0].text ==
        "0109501101530003"
        "17260331"
        "10AB-123");
  const Gs1Data d = ParseDecodedCode(expanded[0], ParseOptions{2026}).value();
  CHECK(d.lot == "AB-123");
  CHECK(d.expires_on == "2026-03-31");
}

TEST_CASE("EAN-8, UPC-A and UPC-E rendered by zint normalise to GTIN-14", "[scanner][image]") {
  const auto [symbol, data, name, gtin] =
      GENERATE(std::tuple{ZintSymbol::kEan8, "9638507", "EAN-8", "00000096385074"},
               std::tuple{ZintSymbol::kUpcA, "03600029145", "UPC-A", "00036000291452"},
               std::tuple{ZintSymbol::kUpcE, "0123453", "UPC-E", "00012300000451"},
               std::tuple{ZintSymbol::kEan13, "950110153000", "EAN-13", "09501101530003"});
  INFO(name);
  const Gs1Data d =
      DecodeOne(testing::EncodePng(testing::Centered(Zint(symbol, data, 3), 640, 480)), name);
  CHECK(d.gtin == gtin);
}

// A photo-like variant of `symbol` on a `width` × `height` canvas.
std::string Variant(const Image& symbol, const std::string& how, int width, int height) {
  Image photo = testing::Centered(symbol, width, height);
  if (how == "jpeg")
    return testing::EncodeJpeg(photo, 70);
  if (how == "scaled-down")
    photo = testing::Centered(testing::Scale(symbol, 0.6), width, height);
  if (how == "scaled-up")
    photo = testing::Centered(testing::Scale(symbol, 1.7), width, height);
  if (how == "rotated-90")
    photo = testing::Rotate(photo, 90);
  if (how == "rotated-180")
    photo = testing::Rotate(photo, 180);
  if (how == "noise")
    testing::AddNoise(45, 7, &photo);
  if (how == "low-contrast")
    testing::SetContrast(90, 200, &photo);
  if (how == "noisy-jpeg") {
    testing::AddNoise(30, 11, &photo);
    return testing::EncodeJpeg(photo, 60);
  }
  return testing::EncodePng(photo);
}

TEST_CASE("scaled, rotated, noisy and JPEG photos still give the exact fields",
          "[scanner][image]") {
  const auto [symbol, module_pixels] =
      GENERATE(std::pair{ZintSymbol::kGs1DataMatrix, 6}, std::pair{ZintSymbol::kGs1Qr, 5},
               std::pair{ZintSymbol::kGs1_128, 3});
  const std::string how = GENERATE("png", "jpeg", "scaled-down", "scaled-up", "rotated-90",
                                   "rotated-180", "noise", "low-contrast", "noisy-jpeg");
  INFO("symbol " << static_cast<int>(symbol) << ", " << how);
  const Image code = Zint(symbol, kGs1Data, module_pixels);
  const std::vector<DecodedCode> codes = Decode(Variant(code, how, 1700, 1000));
  REQUIRE(codes.size() == 1);
  CheckFullGs1(ParseDecodedCode(codes[0], ParseOptions{2026}).value());
}

TEST_CASE("an EAN-13 photographed sideways and upside down still decodes", "[scanner][image]") {
  const Image code = Zint(ZintSymbol::kEan13, "950110153000", 3);
  for (const char* how : {"rotated-90", "rotated-180", "noise", "jpeg"}) {
    INFO(how);
    CHECK(DecodeOne(Variant(code, how, 640, 480), "EAN-13").gtin == "09501101530003");
  }
}

TEST_CASE("several codes in the middle of one photo are all reported", "[scanner][image]") {
  Image photo = testing::Blank(1600, 900);
  testing::Paste(Zint(ZintSymbol::kGs1DataMatrix, kGs1Data, 6), 40, 360, &photo);
  testing::Paste(Zint(ZintSymbol::kEan13, "950110153000", 3), 300, 280, &photo);
  testing::Paste(Zint(ZintSymbol::kUpcA, "03600029145", 3), 800, 280, &photo);
  testing::Paste(Zint(ZintSymbol::kGs1_128, "[01]09501101530003[10]PALLET-7", 2), 500, 500, &photo);
  const std::vector<DecodedCode> codes = Decode(testing::EncodePng(photo));
  std::vector<std::string> found;
  for (const DecodedCode& c : codes) found.push_back(c.symbology + ":" + c.text);
  INFO(::Catch::Detail::stringify(found));
  REQUIRE(codes.size() == 4);
  CHECK(codes[0].symbology == "DataMatrix");  // matrix symbols come first
  const auto has = [&](const std::string& s) {
    return std::find(found.begin(), found.end(), s) != found.end();
  };
  CHECK(has("EAN-13:9501101530003"));
  CHECK(
      has("Code128:0109501101530003"
          "10PALLET-7"));
  CHECK(has("UPC-A:036000291452"));
}

TEST_CASE("codes away from the middle are found by the harder whole-photo search",
          "[scanner][image]") {
  Image ean = testing::Blank(1600, 900);
  testing::Paste(Zint(ZintSymbol::kEan13, "950110153000", 3), 20, 20, &ean);
  Image datamatrix = testing::Blank(1600, 900);
  testing::Paste(Zint(ZintSymbol::kGs1DataMatrix, kGs1Data, 5), 1250, 600, &datamatrix);
  for (const Image& photo : {ean, datamatrix}) {
    const std::string file = testing::EncodePng(photo);
    DecodeOptions fast_only;
    fast_only.try_harder = false;
    CHECK(Reason(file, fast_only) == "NO_CODE_FOUND");
    const std::vector<DecodedCode> codes = Decode(file);
    REQUIRE(codes.size() == 1);
    CHECK(ParseDecodedCode(codes[0], ParseOptions{2026}).value().gtin == "09501101530003");
  }
}

TEST_CASE(
    "tall 1D codes and DataBar Stacked, which abort zxing-cpp's own multi-symbol read, "
    "decode",
    "[scanner][image]") {
  const Image tall = testing::Centered(
      testing::Scale(Zint(ZintSymbol::kEan13, "950110153000", 3), 2.0), 1920, 1080);
  CHECK(DecodeOne(testing::EncodePng(tall), "EAN-13").gtin == "09501101530003");
  const Image stacked =
      testing::Centered(Zint(ZintSymbol::kDataBarStacked, "0950110153000", 4), 640, 480);
  CHECK(DecodeOne(testing::EncodePng(stacked), "DataBar").gtin == "09501101530003");
}

TEST_CASE("a blank photo is NO_CODE_FOUND, not an error of the file", "[scanner][image]") {
  Result<std::vector<DecodedCode>> codes =
      DecodeImage(testing::EncodePng(testing::Blank(640, 480)));
  REQUIRE_FALSE(codes.ok());
  CHECK(codes.status().reason() == "NO_CODE_FOUND");
  CHECK(codes.status().code() == Code::kNotFound);
  Image noise = testing::Blank(320, 240);
  testing::AddNoise(120, 3, &noise);
  CHECK(Reason(testing::EncodeJpeg(noise, 80)) == "NO_CODE_FOUND");
}

TEST_CASE("corrupt, truncated and foreign files get IMAGE_CORRUPT or IMAGE_FORMAT",
          "[scanner][image]") {
  const std::string png =
      testing::EncodePng(testing::Centered(Zint(ZintSymbol::kGs1Qr, kGs1Data, 4), 400, 400));
  const std::string jpeg =
      testing::EncodeJpeg(testing::Centered(Zint(ZintSymbol::kGs1Qr, kGs1Data, 4), 400, 400), 80);
  CHECK(Reason(png.substr(0, png.size() / 2)) == "IMAGE_CORRUPT");
  CHECK(Reason(jpeg.substr(0, jpeg.size() / 2)) == "IMAGE_CORRUPT");
  CHECK(Reason(png.substr(0, 20)) == "IMAGE_CORRUPT");
  std::string flipped = png;
  for (std::size_t i = 100; i < 400; ++i) flipped[i] = static_cast<char>(flipped[i] ^ 0x5A);
  CHECK(Reason(flipped) == "IMAGE_CORRUPT");
  CHECK(Reason("GIF89a....") == "IMAGE_FORMAT");
  CHECK(Reason("") == "IMAGE_FORMAT");
  CHECK(Reason("%PDF-1.4 not an image") == "IMAGE_FORMAT");
}

TEST_CASE("images over the byte or pixel limit are refused before decoding", "[scanner][image]") {
  std::string huge = testing::EncodePng(testing::Blank(8, 8));
  huge.resize(kScanImageBytesMax + 1, '\0');
  Result<std::vector<DecodedCode>> too_many_bytes = DecodeImage(huge);
  REQUIRE_FALSE(too_many_bytes.ok());
  CHECK(too_many_bytes.status().reason() == "IMAGE_TOO_LARGE");
  CHECK(too_many_bytes.status().code() == Code::kResourceExhausted);
  // 6000 × 5000 = 30 MP > 25 MP: the header alone decides, no 30 MB buffer is allocated.
  CHECK(Reason(testing::EncodePng(testing::Blank(6000, 5000))) == "IMAGE_TOO_LARGE");
  CHECK(Reason(testing::EncodeJpeg(testing::Blank(16400, 16), 50)) == "IMAGE_TOO_LARGE");
}

TEST_CASE("every isolation mode decodes the same photo to the same codes", "[scanner][image]") {
  const std::string file = testing::EncodePng(
      testing::Centered(Zint(ZintSymbol::kGs1DataMatrix, kGs1Data, 5), 640, 480));
  for (Isolation isolation :
       {Isolation::kInProcess, Isolation::kChildPerImage, Isolation::kWorkerProcess}) {
    DecodeOptions options;
    options.isolation = isolation;
    Result<std::vector<DecodedCode>> codes = DecodeImage(file, options);
    INFO(static_cast<int>(isolation) << " " << codes.status().ToString());
    REQUIRE(codes.ok());
    REQUIRE(codes->size() == 1);
    CHECK((*codes)[0].text ==
          "0109501101530003"
          "17260331"
          "10AB-123\x1D"
          "21S1");
  }
}

TEST_CASE("a timeout out of range is an option error", "[scanner][image]") {
  const std::string file = testing::EncodePng(testing::Blank(10, 10));
  DecodeOptions options;
  options.timeout_ms = 0;
  CHECK(Reason(file, options) == "INVALID_OPTION");
  options.timeout_ms = kScanDecodeTimeoutMsMax + 1;
  CHECK(Reason(file, options) == "INVALID_OPTION");
}

}  // namespace
}  // namespace foodtrace::scanner
