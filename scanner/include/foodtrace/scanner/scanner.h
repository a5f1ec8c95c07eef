// foodtrace scanner: GS1 codes from text and from photos.
//
// - ParseCode turns the text of a code (what a hardware scanner types, or what DecodeImage
//   found in a photo) into GS1 data: GTIN, lot, serial, dates, net weight, and every
//   Application Identifier (AI) as a raw pair. Pure, no I/O, thread-safe.
// - DecodeImage finds the barcodes in a PNG or JPEG photo with zxing-cpp. By default zxing-cpp
//   runs in a supervised worker process, because Debian's zxing-cpp 1.4 aborts the whole process
//   on some images: a crashed or hung worker becomes an error value and the caller carries on.
//   Thread-safe.
//
// Every error is a Status with a stable reason (the UPPER_SNAKE codes below; docs/scanner.md
// lists them with examples) and a message that tells a person what to fix. Bounds are named in
// scanner/limits.h. No zxing-cpp type appears here.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "foodtrace/common/status.h"

namespace foodtrace::scanner {

// ---------------------------------------------------------------------------------------------
// Text: GS1 element strings, GS1 Digital Link URIs, EAN/UPC/GTIN numbers.

// The written form a code arrived in.
enum class CodeForm : std::uint8_t {
  kElementString,  // "0109501101530003" "17260331" "10AB-1" (GS separators, as decoded)
  kBracketed,      // "(01)09501101530003(17)260331(10)AB-1" (human-readable interpretation)
  kDigitalLink,    // "https://id.example.com/01/09501101530003/10/AB-1?17=260331"
  kGtin,           // a bare EAN-13, EAN-8, UPC-A, UPC-E or GTIN-14 number
};

// "element_string", "bracketed", "digital_link" or "gtin".
const char* CodeFormName(CodeForm form);

// One Application Identifier and its value exactly as carried (Digital Link values after
// percent-decoding).
struct Gs1Element {
  std::string ai;
  std::string value;
  friend bool operator==(const Gs1Element&, const Gs1Element&) = default;
};

// What a code says. Absent fields are empty strings / empty optionals.
struct Gs1Data {
  CodeForm form = CodeForm::kGtin;
  std::string gtin;    // AI 01 (or the bare number), always 14 digits with a valid check digit
  std::string lot;     // AI 10
  std::string serial;  // AI 21
  std::string sscc;    // AI 00, 18 digits
  // Dates as ISO "YYYY-MM-DD", after the GS1 century rule; a day "00" means the month's last day.
  std::string produced_on;  // AI 11
  std::string packed_on;    // AI 13
  std::string best_before;  // AI 15
  std::string sell_by;      // AI 16
  std::string expires_on;   // AI 17
  // AI 310n: net weight in kilograms with n decimals.
  std::optional<std::int64_t> net_weight_grams;  // rounded half-up to a whole gram
  std::string net_weight_kg;                     // decimal text, e.g. "1.250" for 3103 001250
  std::string net_weight_raw;                    // the AI's six digits, e.g. "001250"
  std::optional<std::int64_t> count;             // AI 30 (variable count) or 37 (count of items)
  // Every element in the order it appeared (Digital Link: path, then query). Includes the ones
  // copied into the fields above. A bare GTIN yields one element ("01", gtin).
  std::vector<Gs1Element> ais;

  // The value of the first element with AI `ai`, or nullptr.
  const std::string* Find(std::string_view ai) const;
};

struct ParseOptions {
  // The year that two-digit years are placed around: GS1 General Specifications §7.12 chooses
  // the century that puts YY within -49..+50 years of it. 0 (the default) means the current
  // year in China (UTC+08:00); tests pass a fixed year.
  int current_year = 0;
};

// Parses the text of one code. Leading and trailing ASCII white space (a scanner's CR/LF) is
// ignored. Recognised forms, in this order:
//  - an ISO/IEC 15424 symbology identifier prefix "]Cm", "]dm", "]Qm", "]em", "]Em", "]Jm":
//    GS1 modifiers (]C1 ]d2 ]Q3 ]e0 ]J1) require an element string, ]E0/]E4 a bare number;
//  - "http://" or "https://": a GS1 Digital Link URI, any host and path prefix, primary key
//    01/gtin with qualifiers 22/cpv, 10/lot, 21/ser in the path, data attributes in the query;
//  - "(": the bracketed human-readable form;
//  - 8, 12, 13 or 14 digits: EAN-8 (or UPC-E when its check digit fits only that), UPC-A,
//    EAN-13, GTIN-14, normalised to 14 digits; with "]E0" eight digits mean UPC-E, expanded;
//  - anything else starting with a digit or GS: an element string; FNC1 is ASCII 29 (GS).
// Requires nothing of `text`: any bytes are safe.
// Errors (invalid_argument unless noted):
//   SCAN_CODE_TOO_LONG (resource_exhausted) more than kScanCodeBytesMax bytes;
//   CODE_EMPTY, CODE_UNRECOGNIZED  not any form above;
//   GS1_UNKNOWN_AI  an AI this parser does not know (docs/scanner.md has the table);
//   GS1_LENGTH  a value shorter or longer than its AI allows;
//   GS1_CHARACTER  a digit-only AI with a non-digit, or a character outside GS1's 82-set;
//   GS1_MISSING_SEPARATOR  an AI outside GS1's predefined-length table (e.g. 422, 7003) is
//     followed by the next AI without a GS (a too-long variable value is GS1_LENGTH);
//   GS1_DUPLICATE_AI  one AI twice with different values;
//   GS1_TOO_MANY_ELEMENTS (resource_exhausted) more than kScanElementsMax elements;
//   GS1_DATE  a YYMMDD date that does not exist;  GS1_BRACKETS  bad "(AI)" syntax;
//   GTIN_FORMAT, GTIN_CHECK_DIGIT  a bad GTIN;  GS1_CHECK_DIGIT  a bad SSCC, GLN or GSIN;
//   DIGITAL_LINK_FORMAT  no host or primary key, odd path, bad percent-escape, qualifier
//     out of order;  INVALID_OPTION  current_year outside 1950..2149.
Result<Gs1Data> ParseCode(std::string_view text, const ParseOptions& options = {});

// Expands an 8-digit UPC-E number (number system 0 or 1, six digits, check digit) to its
// 12-digit UPC-A form. Errors: GTIN_FORMAT (not 8 digits, or number system not 0/1),
// GTIN_CHECK_DIGIT.
Result<std::string> ExpandUpcE(std::string_view upc_e);

// ---------------------------------------------------------------------------------------------
// Images: barcodes in a PNG or JPEG photo.

// One symbol found in an image.
struct DecodedCode {
  // "EAN-13", "EAN-8", "UPC-A", "UPC-E", "Code128", "ITF", "DataBar", "DataBarExpanded",
  // "DataMatrix" or "QRCode".
  std::string symbology;
  // ISO/IEC 15424 identifier, e.g. "]E0", "]C1" (GS1-128), "]d2" (GS1 DataMatrix), "]Q1".
  std::string symbology_identifier;
  // The content. For GS1 symbols an element string with every FNC1 separator as GS (ASCII 29)
  // and no leading FNC1; GS1 DataBar (which zxing-cpp reports bare or bracketed) is normalised
  // to that form too.
  std::string text;
  // True when `text` is a GS1 element string (GS1-128, GS1 DataMatrix/QR, DataBar).
  bool is_gs1 = false;
};

// Where zxing-cpp runs.
enum class Isolation : std::uint8_t {
  // A persistent supervised worker process (a small pool, replaced after a crash, a timeout
  // or kScanWorkerImagesMax images). The default: a hostile image costs one error, not the
  // process, and no fork per image.
  kWorkerProcess,
  // A fresh supervised child process for every image (same guarantees, more latency).
  kChildPerImage,
  // In the calling process. Fastest, but zxing-cpp 1.4's assertions abort the caller on some
  // images: only for tools and benchmarks that can afford to die.
  kInProcess,
};

struct DecodeOptions {
  Isolation isolation = Isolation::kWorkerProcess;
  // Wall-clock budget for the image in a supervised mode, 1..kScanDecodeTimeoutMsMax.
  int timeout_ms = 3000;  // kScanDecodeTimeoutMsDefault
  // The fast pass looks where a consumer points the camera: the middle of the photo. When it
  // finds nothing, search the whole photo again: every row, rotated 90/180/270, downscaled,
  // and each quadrant for DataMatrix (several times slower; off by false).
  bool try_harder = true;
};

// Finds the barcodes (up to kScanCodesPerImageMax) in `image_bytes`, a PNG or JPEG file's
// contents; the caller keeps ownership. Codes come out in the order zxing-cpp found them:
// matrix symbols first, then linear ones. Thread-safe; with the default isolation, callers
// beyond kScanWorkersMax wait for a free worker.
// Errors:
//   IMAGE_TOO_LARGE (resource_exhausted) more than kScanImageBytesMax bytes, more than
//     kScanImagePixelsMax pixels or a side over kScanImageSideMax;
//   IMAGE_FORMAT  neither PNG nor JPEG;  IMAGE_CORRUPT  the file is damaged or truncated;
//   NO_CODE_FOUND (not_found)  a readable image without a barcode zxing-cpp can decode;
//   DECODER_CRASHED (internal)  the worker died (zxing-cpp aborted) on this image;
//   DECODER_TIMEOUT (deadline_exceeded)  the worker took longer than timeout_ms and was killed;
//   DECODER_UNAVAILABLE (unavailable)  no worker process could be started;
//   DECODER_FAILED (internal)  zxing-cpp threw (in-process);
//   INVALID_OPTION  timeout_ms out of range.
Result<std::vector<DecodedCode>> DecodeImage(std::string_view image_bytes,
                                             const DecodeOptions& options = {});

// ParseCode on a decoded symbol: its symbology identifier is prefixed so that, for example,
// an 8-digit UPC-E is not mistaken for an EAN-8. Errors: as ParseCode.
Result<Gs1Data> ParseDecodedCode(const DecodedCode& code, const ParseOptions& options = {});

// ---------------------------------------------------------------------------------------------
// QR codes to show (a sign-in link printed by `foodtrace token create --pairing`).

// A QR code's modules, `size` × `size`, row by row, true = dark, without the quiet zone.
struct QrCode {
  int size = 0;
  std::vector<bool> modules;
  bool at(int x, int y) const { return modules[static_cast<std::size_t>(y * size + x)]; }
};
// Encodes `text` (UTF-8, 1 to kQrTextBytesMax bytes) with zxing-cpp's writer. Thread-safe.
// Errors: INVALID_ARGUMENT QR_TEXT_LENGTH, INTERNAL (the writer failed).
Result<QrCode> EncodeQr(std::string_view text);
// The code for a terminal: two module rows per line in half blocks, light modules drawn, with a
// quiet zone (scan it from a dark-background terminal).
std::string QrToText(const QrCode& qr);
// The code as a standalone SVG document (black on white, quiet zone of 4 modules).
std::string QrToSvg(const QrCode& qr);

}  // namespace foodtrace::scanner
