// Test and benchmark support: real barcode images made with zint (GS1 modes) and zxing-cpp's
// writer, simple photo-like distortions, and PNG/JPEG encoding. Not part of the scanner API;
// linked only by tests/scanner and bench/scan. Thread-safe (no shared state).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "foodtrace/common/status.h"

namespace foodtrace::scanner::testing {

struct Image {
  int width = 0;
  int height = 0;
  std::vector<std::uint8_t> gray;  // row-major, 0 = black, 255 = white
  std::uint8_t at(int x, int y) const { return gray[static_cast<std::size_t>(y * width + x)]; }
};

// Symbols rendered by libzint. GS1 kinds take zint's bracketed GS1 input, e.g.
// "[01]09501101530003[17]260331[10]AB-123"; the others take plain data.
enum class ZintSymbol {
  kEan13,            // 12 or 13 digits
  kEan8,             // 7 or 8 digits
  kUpcA,             // 11 or 12 digits
  kUpcE,             // 7 or 8 digits (number system + 6 digits [+ check])
  kGs1_128,          // GS1
  kGs1DataMatrix,    // GS1
  kGs1Qr,            // GS1
  kQr,               // plain text, e.g. a Digital Link URI
  kDataBar,          // 13 digits (GTIN without check digit)
  kDataBarStacked,   // 13 digits (stacked omnidirectional)
  kDataBarExpanded,  // GS1
};

// Renders with quiet zones; `module_pixels` is the width of one module (bar or cell).
// Errors: ZINT_ERROR with zint's own message.
Result<Image> RenderZint(ZintSymbol symbol, std::string_view data, int module_pixels);

// Symbols rendered by zxing-cpp's MultiFormatWriter.
enum class ZxingSymbol {
  kEan13,    // 12 or 13 digits
  kCode128,  // text; FNC1 is written as U+00F1 ("\xC3\xB1"), first FNC1 = GS1-128
  kQr,       // text
};

// Renders at about `width` x `height` pixels with a `margin` pixel quiet zone.
// Errors: WRITER_ERROR with zxing-cpp's message.
Result<Image> RenderZxing(ZxingSymbol symbol, std::string_view data, int width, int height,
                          int margin);

// A white image.
Image Blank(int width, int height, std::uint8_t value = 255);
// Copies `symbol` into `canvas` with its top-left corner at (x, y), clipped at the edges.
void Paste(const Image& symbol, int x, int y, Image* canvas);
// `symbol` centred on a white width × height canvas.
Image Centered(const Image& symbol, int width, int height);
// Nearest-neighbour scaling by `factor` (> 0).
Image Scale(const Image& image, double factor);
// Rotation clockwise by 90, 180 or 270 degrees.
Image Rotate(const Image& image, int degrees);
// Adds uniform noise in [-amplitude, +amplitude] to every pixel, reproducibly from `seed`.
void AddNoise(int amplitude, std::uint32_t seed, Image* image);
// Maps black/white to `dark`/`light` (a grey, low-contrast print).
void SetContrast(std::uint8_t dark, std::uint8_t light, Image* image);

// Encodes as an 8-bit grayscale PNG / baseline JPEG file.
std::string EncodePng(const Image& image);
std::string EncodeJpeg(const Image& image, int quality);

// Reads a whole file; an empty string if it cannot be read.
std::string ReadFileBytes(const std::string& path);

}  // namespace foodtrace::scanner::testing
