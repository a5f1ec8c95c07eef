#define ZX_USE_UTF8 1  // Result::text() as UTF-8 std::string (zxing-cpp 1.4 transition macro)
#include "scanner/zxing_decoder.h"

#include <ZXing/BarcodeFormat.h>
#include <ZXing/DecodeHints.h>
#include <ZXing/ImageView.h>
#include <ZXing/ReadBarcode.h>
#include <ZXing/Result.h>

#include <algorithm>
#include <exception>
#include <new>
#include <string>

#include "scanner/gs1_date.h"
#include "scanner/gs1_parse.h"
#include "scanner/limits.h"

namespace foodtrace::scanner::internal {
namespace {

using ZXing::BarcodeFormat;

const ZXing::BarcodeFormats kMatrixFormats = BarcodeFormat::DataMatrix | BarcodeFormat::QRCode;
const ZXing::BarcodeFormats kLinearFormats =
    BarcodeFormat::EAN13 | BarcodeFormat::EAN8 | BarcodeFormat::UPCA | BarcodeFormat::UPCE |
    BarcodeFormat::Code128 | BarcodeFormat::ITF | BarcodeFormat::DataBar |
    BarcodeFormat::DataBarExpanded;

// Pixels a 1D symbol's rows may differ from the scanned row and still count as the same bars.
constexpr double kSameBarsFraction = 0.8;

ZXing::DecodeHints MatrixHints(ZXing::BarcodeFormats formats, bool harder) {
  ZXing::DecodeHints hints;
  // tryRotate makes the DataMatrix detector walk the vertical centre line as well as the
  // horizontal one; QR finder patterns are found in any orientation anyway.
  // Downscaled copies are only worth their cost (4-5 ms at 1920x1080) in the harder pass.
  hints.setFormats(formats)
      .setTryHarder(harder)
      .setTryRotate(true)
      .setTryDownscale(harder)
      .setMaxNumberOfSymbols(static_cast<std::uint8_t>(kScanCodesPerImageMax));
  return hints;
}

ZXing::DecodeHints LinearHints(bool harder) {
  ZXing::DecodeHints hints;
  // One symbol per call: with more, zxing-cpp 1.4 aborts in its de-duplication. Without
  // downscaling, a fast pass that finds nothing costs 0.1 ms instead of 16 ms at 1920x1080.
  hints.setFormats(kLinearFormats)
      .setTryHarder(harder)
      .setTryRotate(harder)
      .setTryDownscale(harder)
      .setMaxNumberOfSymbols(1);
  return hints;
}

const char* SymbologyName(BarcodeFormat format) {
  switch (format) {
    case BarcodeFormat::EAN13:
      return "EAN-13";
    case BarcodeFormat::EAN8:
      return "EAN-8";
    case BarcodeFormat::UPCA:
      return "UPC-A";
    case BarcodeFormat::UPCE:
      return "UPC-E";
    case BarcodeFormat::Code128:
      return "Code128";
    case BarcodeFormat::ITF:
      return "ITF";
    case BarcodeFormat::DataBar:
      return "DataBar";
    case BarcodeFormat::DataBarExpanded:
      return "DataBarExpanded";
    case BarcodeFormat::DataMatrix:
      return "DataMatrix";
    case BarcodeFormat::QRCode:
      return "QRCode";
    default:
      return ZXing::ToString(format);
  }
}

bool IsGs1Identifier(std::string_view id) {
  return id == "]C1" || id == "]d2" || id == "]Q3" || id == "]e0" || id == "]J1";
}

// zxing-cpp reports GS1 DataBar bare ("09501101530003") and DataBar Expanded bracketed
// ("(01)...(17)..."); both become element strings like every other GS1 symbol.
void NormaliseDataBar(BarcodeFormat format, DecodedCode* code) {
  if (format == BarcodeFormat::DataBar && code->text.size() == 14) {
    code->text.insert(0, "01");
  } else if (format == BarcodeFormat::DataBarExpanded && !code->text.empty() &&
             code->text[0] == '(') {
    std::vector<Gs1Element> elements;
    if (ParseBracketed(code->text, CurrentChinaYear(), &elements).ok()) {
      code->text = ToElementString(elements);
    }
  }
}

void Append(const ZXing::Result& result, std::vector<DecodedCode>* codes) {
  if (!result.isValid() || codes->size() >= kScanCodesPerImageMax)
    return;
  DecodedCode code;
  code.symbology = SymbologyName(result.format());
  code.symbology_identifier = result.symbologyIdentifier();
  code.text = result.text();
  code.is_gs1 = IsGs1Identifier(code.symbology_identifier);
  NormaliseDataBar(result.format(), &code);
  for (const DecodedCode& seen : *codes) {
    if (seen.symbology == code.symbology && seen.text == code.text)
      return;
  }
  codes->push_back(std::move(code));
}

// Paints white over the 1D symbol that zxing-cpp located on `line` (one scan line through its
// bars), following the bars across neighbouring rows (or columns) while they stay the same.
void PaintOut(const ZXing::Position& line, GrayImage* image) {
  int x0 = image->width, x1 = 0, y0 = image->height, y1 = 0;
  for (const auto& p : line) {
    x0 = std::min(x0, p.x), x1 = std::max(x1, p.x), y0 = std::min(y0, p.y), y1 = std::max(y1, p.y);
  }
  const bool horizontal = x1 - x0 >= y1 - y0;
  // (u, v): u runs along the scan line, v across it.
  const int u_size = horizontal ? image->width : image->height;
  const int v_size = horizontal ? image->height : image->width;
  const int u0 = std::clamp(horizontal ? x0 : y0, 0, u_size - 1);
  const int u1 = std::clamp(horizontal ? x1 : y1, 0, u_size - 1);
  const int v_ref = std::clamp(horizontal ? (y0 + y1) / 2 : (x0 + x1) / 2, 0, v_size - 1);
  auto at = [&](int u, int v) -> std::uint8_t& {
    const int x = horizontal ? u : v, y = horizontal ? v : u;
    return image->pixels[static_cast<std::size_t>(y) * static_cast<std::size_t>(image->width) +
                         static_cast<std::size_t>(x)];
  };
  const auto [lo, hi] = [&] {
    int a = 255, b = 0;
    for (int u = u0; u <= u1; ++u)
      a = std::min<int>(a, at(u, v_ref)), b = std::max<int>(b, at(u, v_ref));
    return std::pair{a, b};
  }();
  const int threshold = (lo + hi) / 2;
  auto same_bars = [&](int v) {
    int same = 0;
    for (int u = u0; u <= u1; ++u) same += (at(u, v) <= threshold) == (at(u, v_ref) <= threshold);
    return same >= kSameBarsFraction * (u1 - u0 + 1);
  };
  int v_top = v_ref, v_bottom = v_ref;
  while (v_top > 0 && same_bars(v_top - 1)) --v_top;
  while (v_bottom + 1 < v_size && same_bars(v_bottom + 1)) ++v_bottom;
  const int pad = std::max(4, (u1 - u0) / 10);
  for (int v = std::max(0, v_top - pad); v <= std::min(v_size - 1, v_bottom + pad); ++v) {
    for (int u = std::max(0, u0 - pad); u <= std::min(u_size - 1, u1 + pad); ++u) at(u, v) = 255;
  }
}

ZXing::ImageView View(const GrayImage& image) {
  return ZXing::ImageView(image.pixels.data(), image.width, image.height, ZXing::ImageFormat::Lum);
}

bool HasDataMatrix(const std::vector<DecodedCode>& codes) {
  return std::any_of(codes.begin(), codes.end(),
                     [](const DecodedCode& c) { return c.symbology == "DataMatrix"; });
}

// zxing-cpp 1.4's DataMatrix detector only walks the image's centre lines ("if neither the
// horizontal nor the vertical center line cross the symbol, it will be overlooked"), so the
// thorough pass also looks at each quadrant, whose centre lines are elsewhere.
void FindOffCentreDataMatrix(const GrayImage& image, std::vector<DecodedCode>* codes) {
  const ZXing::ImageView view = View(image);
  const int half_width = image.width / 2, half_height = image.height / 2;
  for (const auto& [x, y] :
       {std::pair{0, 0}, {half_width, 0}, {0, half_height}, {half_width, half_height}}) {
    const ZXing::ImageView quadrant = view.cropped(x, y, half_width, half_height);
    for (const ZXing::Result& r :
         ZXing::ReadBarcodes(quadrant, MatrixHints(BarcodeFormat::DataMatrix, true))) {
      Append(r, codes);
    }
  }
}

// One search: matrix symbols several at a time, then 1D symbols one at a time. The fast
// search looks at the middle of the photo (zxing-cpp scans about 15 rows around the centre
// without tryHarder); the harder one at every row, rotated, and at each quadrant.
std::vector<DecodedCode> DecodePass(const GrayImage& image, bool harder) {
  std::vector<DecodedCode> codes;
  for (const ZXing::Result& r :
       ZXing::ReadBarcodes(View(image), MatrixHints(kMatrixFormats, harder))) {
    Append(r, &codes);
  }
  if (harder && !HasDataMatrix(codes))
    FindOffCentreDataMatrix(image, &codes);
  GrayImage painted;  // copied only once a 1D symbol has to be painted out
  const GrayImage* current = &image;
  for (std::size_t pass = 0; pass < kScanCodesPerImageMax && codes.size() < kScanCodesPerImageMax;
       ++pass) {
    const ZXing::Results found = ZXing::ReadBarcodes(View(*current), LinearHints(harder));
    if (found.empty())
      break;
    Append(found.front(), &codes);
    if (current == &image) {
      painted = image;
      current = &painted;
    }
    PaintOut(found.front().position(), &painted);
  }
  return codes;
}

}  // namespace

Result<std::vector<DecodedCode>> DecodeGray(const GrayImage& image, bool try_harder) {
  try {
    std::vector<DecodedCode> codes = DecodePass(image, /*harder=*/false);
    if (codes.empty() && try_harder)
      codes = DecodePass(image, /*harder=*/true);
    if (codes.empty()) {
      return Status(Code::kNotFound, "NO_CODE_FOUND",
                    "no barcode could be read in the photo: hold the code flat, fill the frame "
                    "with it, avoid glare, and try again");
    }
    return codes;
  } catch (const std::bad_alloc&) {
    return Status::Exhausted("IMAGE_TOO_LARGE", "decoding the image ran out of memory");
  } catch (const std::exception& e) {
    return Status(Code::kInternal, "DECODER_FAILED",
                  std::string("zxing-cpp failed on this image: ") + e.what());
  }
}

Result<std::vector<DecodedCode>> DecodeImageInProcess(std::string_view image_bytes,
                                                      bool try_harder) {
  Result<GrayImage> image = [&]() -> Result<GrayImage> {
    try {
      return ReadImage(image_bytes);
    } catch (const std::bad_alloc&) {
      return Status::Exhausted("IMAGE_TOO_LARGE", "decoding the image ran out of memory");
    }
  }();
  if (!image.ok())
    return image.status();
  return DecodeGray(*image, try_harder);
}

}  // namespace foodtrace::scanner::internal
