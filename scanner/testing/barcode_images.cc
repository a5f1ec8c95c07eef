#define ZX_USE_UTF8 1
#include "scanner/testing/barcode_images.h"

#include <ZXing/BitMatrix.h>
#include <ZXing/MultiFormatWriter.h>
#include <jpeglib.h>
#include <png.h>
#include <zint.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <exception>
#include <fstream>
#include <iterator>
#include <random>

namespace foodtrace::scanner::testing {
namespace {

struct ZintSpec {
  int symbology;
  int input_mode;
};

ZintSpec Spec(ZintSymbol symbol) {
  switch (symbol) {
    case ZintSymbol::kEan13:
    case ZintSymbol::kEan8:
      return {BARCODE_EANX, DATA_MODE};
    case ZintSymbol::kUpcA:
      return {BARCODE_UPCA, DATA_MODE};
    case ZintSymbol::kUpcE:
      return {BARCODE_UPCE, DATA_MODE};
    case ZintSymbol::kGs1_128:
      return {BARCODE_GS1_128, GS1_MODE};
    case ZintSymbol::kGs1DataMatrix:
      return {BARCODE_DATAMATRIX, GS1_MODE};
    case ZintSymbol::kGs1Qr:
      return {BARCODE_QRCODE, GS1_MODE};
    case ZintSymbol::kQr:
      return {BARCODE_QRCODE, UNICODE_MODE};
    case ZintSymbol::kDataBar:
      return {BARCODE_DBAR_OMN, DATA_MODE};
    case ZintSymbol::kDataBarStacked:
      return {BARCODE_DBAR_OMNSTK, DATA_MODE};
    case ZintSymbol::kDataBarExpanded:
      return {BARCODE_DBAR_EXP, GS1_MODE};
  }
  return {BARCODE_CODE128, DATA_MODE};
}

void WritePngBytes(png_structp png, png_bytep data, png_size_t size) {
  auto* out = static_cast<std::string*>(png_get_io_ptr(png));
  out->append(reinterpret_cast<const char*>(data), size);
}

}  // namespace

Result<Image> RenderZint(ZintSymbol symbol, std::string_view data, int module_pixels) {
  zint_symbol* z = ZBarcode_Create();
  const ZintSpec spec = Spec(symbol);
  z->symbology = spec.symbology;
  z->input_mode = spec.input_mode;
  z->scale = static_cast<float>(module_pixels) / 2.0f;  // zint's scale 1 = 2 pixels per module
  z->whitespace_width = 4;
  z->whitespace_height = 4;
  z->output_options |= BARCODE_QUIET_ZONES;
  z->show_hrt = 0;
  const int rc = ZBarcode_Encode_and_Buffer(z, reinterpret_cast<const unsigned char*>(data.data()),
                                            static_cast<int>(data.size()), 0);
  if (rc >= ZINT_ERROR) {
    const std::string message = z->errtxt;
    ZBarcode_Delete(z);
    return Status::Invalid("ZINT_ERROR", message);
  }
  Image image;
  image.width = z->bitmap_width;
  image.height = z->bitmap_height;
  image.gray.resize(static_cast<std::size_t>(image.width * image.height));
  for (std::size_t i = 0; i < image.gray.size(); ++i) image.gray[i] = z->bitmap[3 * i + 1];
  ZBarcode_Delete(z);
  return image;
}

Result<Image> RenderZxing(ZxingSymbol symbol, std::string_view data, int width, int height,
                          int margin) {
  const ZXing::BarcodeFormat format = symbol == ZxingSymbol::kEan13 ? ZXing::BarcodeFormat::EAN13
                                      : symbol == ZxingSymbol::kCode128
                                          ? ZXing::BarcodeFormat::Code128
                                          : ZXing::BarcodeFormat::QRCode;
  try {
    const ZXing::BitMatrix bits =
        ZXing::MultiFormatWriter(format).setMargin(margin).encode(std::string(data), width, height);
    Image image;
    image.width = bits.width();
    image.height = bits.height();
    image.gray.resize(static_cast<std::size_t>(image.width * image.height));
    for (int y = 0; y < image.height; ++y) {
      for (int x = 0; x < image.width; ++x) {
        image.gray[static_cast<std::size_t>(y * image.width + x)] = bits.get(x, y) ? 0 : 255;
      }
    }
    return image;
  } catch (const std::exception& e) {
    return Status::Invalid("WRITER_ERROR", e.what());
  }
}

Image Blank(int width, int height, std::uint8_t value) {
  return Image{width, height,
               std::vector<std::uint8_t>(static_cast<std::size_t>(width * height), value)};
}

void Paste(const Image& symbol, int x, int y, Image* canvas) {
  for (int sy = 0; sy < symbol.height; ++sy) {
    for (int sx = 0; sx < symbol.width; ++sx) {
      const int cx = x + sx, cy = y + sy;
      if (cx < 0 || cy < 0 || cx >= canvas->width || cy >= canvas->height)
        continue;
      canvas->gray[static_cast<std::size_t>(cy * canvas->width + cx)] = symbol.at(sx, sy);
    }
  }
}

Image Centered(const Image& symbol, int width, int height) {
  Image canvas = Blank(width, height);
  Paste(symbol, (width - symbol.width) / 2, (height - symbol.height) / 2, &canvas);
  return canvas;
}

Image Scale(const Image& image, double factor) {
  const int width = std::max(1, static_cast<int>(std::lround(image.width * factor)));
  const int height = std::max(1, static_cast<int>(std::lround(image.height * factor)));
  Image out = Blank(width, height);
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      const int sx = std::min(image.width - 1, static_cast<int>(x / factor));
      const int sy = std::min(image.height - 1, static_cast<int>(y / factor));
      out.gray[static_cast<std::size_t>(y * width + x)] = image.at(sx, sy);
    }
  }
  return out;
}

Image Rotate(const Image& image, int degrees) {
  const bool quarter = degrees == 90 || degrees == 270;
  Image out = Blank(quarter ? image.height : image.width, quarter ? image.width : image.height);
  for (int y = 0; y < image.height; ++y) {
    for (int x = 0; x < image.width; ++x) {
      int ox = x, oy = y;
      if (degrees == 90)
        ox = image.height - 1 - y, oy = x;
      if (degrees == 180)
        ox = image.width - 1 - x, oy = image.height - 1 - y;
      if (degrees == 270)
        ox = y, oy = image.width - 1 - x;
      out.gray[static_cast<std::size_t>(oy * out.width + ox)] = image.at(x, y);
    }
  }
  return out;
}

void AddNoise(int amplitude, std::uint32_t seed, Image* image) {
  std::mt19937 rng(seed);
  for (std::uint8_t& p : image->gray) {
    const int delta =
        static_cast<int>(rng() % static_cast<std::uint32_t>(2 * amplitude + 1)) - amplitude;
    p = static_cast<std::uint8_t>(std::clamp(p + delta, 0, 255));
  }
}

void SetContrast(std::uint8_t dark, std::uint8_t light, Image* image) {
  for (std::uint8_t& p : image->gray) {
    p = static_cast<std::uint8_t>(dark + (light - dark) * p / 255);
  }
}

std::string EncodePng(const Image& image) {
  std::string out;
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
  png_infop info = png_create_info_struct(png);
  png_set_write_fn(png, &out, WritePngBytes, nullptr);
  png_set_IHDR(png, info, static_cast<png_uint_32>(image.width),
               static_cast<png_uint_32>(image.height), 8, PNG_COLOR_TYPE_GRAY, PNG_INTERLACE_NONE,
               PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  png_write_info(png, info);
  for (int y = 0; y < image.height; ++y) {
    png_write_row(png, image.gray.data() + static_cast<std::size_t>(y * image.width));
  }
  png_write_end(png, nullptr);
  png_destroy_write_struct(&png, &info);
  return out;
}

std::string EncodeJpeg(const Image& image, int quality) {
  jpeg_compress_struct info;
  jpeg_error_mgr errors;
  info.err = jpeg_std_error(&errors);
  jpeg_create_compress(&info);
  unsigned char* buffer = nullptr;
  unsigned long size = 0;
  jpeg_mem_dest(&info, &buffer, &size);
  info.image_width = static_cast<JDIMENSION>(image.width);
  info.image_height = static_cast<JDIMENSION>(image.height);
  info.input_components = 1;
  info.in_color_space = JCS_GRAYSCALE;
  jpeg_set_defaults(&info);
  jpeg_set_quality(&info, quality, TRUE);
  jpeg_start_compress(&info, TRUE);
  while (info.next_scanline < info.image_height) {
    JSAMPROW row = const_cast<JSAMPROW>(image.gray.data() +
                                        static_cast<std::size_t>(info.next_scanline) * image.width);
    jpeg_write_scanlines(&info, &row, 1);
  }
  jpeg_finish_compress(&info);
  jpeg_destroy_compress(&info);
  std::string out(reinterpret_cast<const char*>(buffer), size);
  std::free(buffer);
  return out;
}

std::string ReadFileBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

}  // namespace foodtrace::scanner::testing
