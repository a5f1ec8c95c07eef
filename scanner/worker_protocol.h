// The messages between DecoderWorker (parent) and its child process, over a UNIX stream
// socket. All integers are unsigned 32-bit little-endian.
//
//   request   "FTQ1" | flags (bit 0: try harder) | timeout_ms | image_bytes | image
//   response  "FTR1" | payload_bytes | payload
//   payload   u8 0 (codes)  | count | count × (str symbology, str identifier, str text, u8 is_gs1)
//             u8 1 (error)  | u8 Code | str reason | str message
//   str       length | bytes
//
// The parent treats every response as untrusted: counts and lengths are checked against the
// limits before anything is allocated. Private to the scanner. Pure and thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "foodtrace/common/status.h"
#include "foodtrace/scanner/scanner.h"
#include "scanner/limits.h"

namespace foodtrace::scanner::internal {

inline constexpr std::size_t kRequestHeaderBytes = 16;
inline constexpr std::size_t kResponseHeaderBytes = 8;
// Room for kScanCodesPerImageMax codes of kScanCodeBytesMax text plus an error message.
inline constexpr std::size_t kResponsePayloadBytesMax =
    kScanCodesPerImageMax * (kScanCodeBytesMax + 256) + 4096;

struct RequestHeader {
  bool try_harder = true;
  int timeout_ms = 0;
  std::uint32_t image_bytes = 0;
};

std::string EncodeRequestHeader(const RequestHeader& header);
// False when the magic is wrong or image_bytes exceeds kScanImageBytesMax.
bool DecodeRequestHeader(std::string_view bytes, RequestHeader* header);

// The whole response (header and payload) for a decode result.
std::string EncodeResponse(const Result<std::vector<DecodedCode>>& result);
// Reads a response header; false when the magic is wrong or the payload would be too large.
bool DecodeResponseHeader(std::string_view bytes, std::uint32_t* payload_bytes);
// Parses a payload back into the result the child computed. A malformed payload yields
// `*malformed = true` (and an Internal status).
Result<std::vector<DecodedCode>> DecodeResponsePayload(std::string_view payload, bool* malformed);

}  // namespace foodtrace::scanner::internal
