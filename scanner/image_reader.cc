#include "scanner/image_reader.h"

#include <csetjmp>
#include <cstdio>
#include <cstring>
#include <string>

// clang-format off
#include <jpeglib.h>
#include <jerror.h>
// clang-format on
#include <png.h>

#include "scanner/limits.h"

namespace foodtrace::scanner::internal {
namespace {

Status TooLarge(std::uint64_t width, std::uint64_t height) {
  return Status::Exhausted("IMAGE_TOO_LARGE",
                           "the image is " + std::to_string(width) + "x" + std::to_string(height) +
                               " pixels; at most " + std::to_string(kScanImagePixelsMax) +
                               " pixels and " + std::to_string(kScanImageSideMax) +
                               " per side are accepted: send a smaller photo");
}

bool DimensionsOk(std::uint64_t width, std::uint64_t height) {
  return width > 0 && height > 0 && width <= kScanImageSideMax && height <= kScanImageSideMax &&
         width * height <= kScanImagePixelsMax;
}

Status Corrupt(const char* kind, const char* detail) {
  return Status::Invalid("IMAGE_CORRUPT", std::string("the ") + kind +
                                              " file is damaged or incomplete (" + detail +
                                              "): take or send the photo again");
}

Result<GrayImage> ReadPng(std::string_view bytes) {
  png_image image;
  std::memset(&image, 0, sizeof image);
  image.version = PNG_IMAGE_VERSION;
  if (png_image_begin_read_from_memory(&image, bytes.data(), bytes.size()) == 0) {
    Status error = Corrupt("PNG", image.message);
    png_image_free(&image);
    return error;
  }
  if (!DimensionsOk(image.width, image.height)) {
    png_image_free(&image);
    return TooLarge(image.width, image.height);
  }
  image.format = PNG_FORMAT_GRAY;
  GrayImage out;
  out.width = static_cast<int>(image.width);
  out.height = static_cast<int>(image.height);
  out.pixels.resize(PNG_IMAGE_SIZE(image));
  png_color white{255, 255, 255};
  if (png_image_finish_read(&image, &white, out.pixels.data(), 0, nullptr) == 0) {
    Status error = Corrupt("PNG", image.message);
    png_image_free(&image);
    return error;
  }
  return out;
}

// libjpeg reports errors through callbacks; these jump back to DecodeJpeg's setjmp.
struct JpegErrors {
  jpeg_error_mgr manager;
  std::jmp_buf jump;
  char message[JMSG_LENGTH_MAX];
};

void OnJpegError(j_common_ptr info) {
  auto* errors = reinterpret_cast<JpegErrors*>(info->err);
  (*info->err->format_message)(info, errors->message);
  std::longjmp(errors->jump, 1);
}

// Warnings are ignored except "premature end of file": a truncated photo is an error.
void OnJpegMessage(j_common_ptr info, int level) {
  if (level < 0 && info->err->msg_code == JWRN_JPEG_EOF)
    OnJpegError(info);
}

enum class JpegOutcome { kOk, kError, kTooLarge };

// Plain C-style control flow: nothing with a destructor lives in this frame across setjmp.
JpegOutcome DecodeJpeg(std::string_view bytes, JpegErrors* errors, GrayImage* out) {
  jpeg_decompress_struct info;
  info.err = jpeg_std_error(&errors->manager);
  errors->manager.error_exit = OnJpegError;
  errors->manager.emit_message = OnJpegMessage;
  if (setjmp(errors->jump) != 0) {
    jpeg_destroy_decompress(&info);
    return JpegOutcome::kError;
  }
  jpeg_create_decompress(&info);
  jpeg_mem_src(&info, reinterpret_cast<const unsigned char*>(bytes.data()),
               static_cast<unsigned long>(bytes.size()));
  jpeg_read_header(&info, TRUE);
  out->width = static_cast<int>(info.image_width);
  out->height = static_cast<int>(info.image_height);
  if (!DimensionsOk(info.image_width, info.image_height)) {
    jpeg_destroy_decompress(&info);
    return JpegOutcome::kTooLarge;
  }
  info.out_color_space = JCS_GRAYSCALE;
  jpeg_start_decompress(&info);
  const std::size_t width = info.output_width;
  out->pixels.resize(width * info.output_height);
  while (info.output_scanline < info.output_height) {
    JSAMPROW row = out->pixels.data() + width * info.output_scanline;
    jpeg_read_scanlines(&info, &row, 1);
  }
  jpeg_finish_decompress(&info);
  jpeg_destroy_decompress(&info);
  return JpegOutcome::kOk;
}

Result<GrayImage> ReadJpeg(std::string_view bytes) {
  JpegErrors errors;
  errors.message[0] = '\0';
  GrayImage out;
  switch (DecodeJpeg(bytes, &errors, &out)) {
    case JpegOutcome::kOk:
      return out;
    case JpegOutcome::kTooLarge:
      return TooLarge(static_cast<std::uint32_t>(out.width),
                      static_cast<std::uint32_t>(out.height));
    case JpegOutcome::kError:
      break;
  }
  return Corrupt("JPEG", errors.message);
}

}  // namespace

ImageType DetectImageType(std::string_view bytes) {
  static constexpr std::string_view kPngSignature("\x89PNG\r\n\x1A\n", 8);
  static constexpr std::string_view kJpegSignature("\xFF\xD8\xFF", 3);
  if (bytes.substr(0, kPngSignature.size()) == kPngSignature)
    return ImageType::kPng;
  if (bytes.substr(0, kJpegSignature.size()) == kJpegSignature)
    return ImageType::kJpeg;
  return ImageType::kUnknown;
}

Result<GrayImage> ReadImage(std::string_view bytes) {
  switch (DetectImageType(bytes)) {
    case ImageType::kPng:
      return ReadPng(bytes);
    case ImageType::kJpeg:
      return ReadJpeg(bytes);
    case ImageType::kUnknown:
      break;
  }
  return Status::Invalid("IMAGE_FORMAT",
                         "the file is neither a PNG nor a JPEG image: send a photo in one of "
                         "those formats");
}

}  // namespace foodtrace::scanner::internal
