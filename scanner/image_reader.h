// PNG (libpng's simplified API) and JPEG (libjpeg) files to 8-bit grayscale pixels, with the
// size limits of scanner/limits.h checked from the header before any pixel is allocated.
// Private to the scanner. Thread-safe (no shared state).
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "foodtrace/common/status.h"

namespace foodtrace::scanner::internal {

struct GrayImage {
  int width = 0;
  int height = 0;
  std::vector<std::uint8_t> pixels;  // row-major, width * height bytes, 0 = black
};

enum class ImageType { kPng, kJpeg, kUnknown };

// Sniffs the file signature.
ImageType DetectImageType(std::string_view bytes);

// Decodes a PNG or JPEG file. Transparent pixels are composited onto white. Errors:
// IMAGE_TOO_LARGE (resource_exhausted), IMAGE_FORMAT, IMAGE_CORRUPT (including a truncated
// JPEG).
Result<GrayImage> ReadImage(std::string_view bytes);

}  // namespace foodtrace::scanner::internal
