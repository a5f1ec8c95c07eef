#include "scanner/worker_protocol.h"

#include <algorithm>

namespace foodtrace::scanner::internal {
namespace {

constexpr std::string_view kRequestMagic = "FTQ1";
constexpr std::string_view kResponseMagic = "FTR1";
constexpr std::uint8_t kCodesTag = 0;
constexpr std::uint8_t kErrorTag = 1;

void PutU32(std::uint32_t v, std::string* out) {
  for (int i = 0; i < 4; ++i) out->push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}

void PutString(std::string_view s, std::string* out) {
  PutU32(static_cast<std::uint32_t>(s.size()), out);
  out->append(s);
}

// Reads from the front of `in`, failing once anything is missing or too long.
class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}
  bool ok() const { return ok_; }
  bool done() const { return in_.empty(); }
  std::uint32_t U32() {
    if (!Need(4))
      return 0;
    std::uint32_t v = 0;
    for (int i = 0; i < 4; ++i)
      v |= static_cast<std::uint32_t>(static_cast<std::uint8_t>(in_[i])) << (8 * i);
    in_.remove_prefix(4);
    return v;
  }
  std::uint8_t U8() {
    if (!Need(1))
      return 0;
    const auto v = static_cast<std::uint8_t>(in_[0]);
    in_.remove_prefix(1);
    return v;
  }
  std::string String(std::size_t max) {
    const std::uint32_t n = U32();
    if (n > max || !Need(n)) {
      ok_ = false;
      return {};
    }
    std::string s(in_.substr(0, n));
    in_.remove_prefix(n);
    return s;
  }

 private:
  bool Need(std::size_t n) {
    if (in_.size() < n)
      ok_ = false;
    return ok_;
  }
  std::string_view in_;
  bool ok_ = true;
};

}  // namespace

std::string EncodeRequestHeader(const RequestHeader& header) {
  std::string out(kRequestMagic);
  PutU32(header.try_harder ? 1u : 0u, &out);
  PutU32(static_cast<std::uint32_t>(header.timeout_ms), &out);
  PutU32(header.image_bytes, &out);
  return out;
}

bool DecodeRequestHeader(std::string_view bytes, RequestHeader* header) {
  if (bytes.size() != kRequestHeaderBytes || bytes.substr(0, 4) != kRequestMagic)
    return false;
  Reader reader(bytes.substr(4));
  header->try_harder = (reader.U32() & 1u) != 0;
  const std::uint32_t timeout_ms = reader.U32();
  header->image_bytes = reader.U32();
  header->timeout_ms =
      static_cast<int>(std::min<std::uint32_t>(timeout_ms, kScanDecodeTimeoutMsMax));
  return reader.ok() && header->image_bytes <= kScanImageBytesMax;
}

std::string EncodeResponse(const Result<std::vector<DecodedCode>>& result) {
  std::string payload;
  if (result.ok()) {
    payload.push_back(static_cast<char>(kCodesTag));
    PutU32(static_cast<std::uint32_t>(result->size()), &payload);
    for (const DecodedCode& code : *result) {
      PutString(code.symbology, &payload);
      PutString(code.symbology_identifier, &payload);
      PutString(code.text, &payload);
      payload.push_back(code.is_gs1 ? 1 : 0);
    }
  } else {
    payload.push_back(static_cast<char>(kErrorTag));
    payload.push_back(static_cast<char>(result.status().code()));
    PutString(result.status().reason(), &payload);
    PutString(result.status().message(), &payload);
  }
  std::string out(kResponseMagic);
  PutU32(static_cast<std::uint32_t>(payload.size()), &out);
  return out + payload;
}

bool DecodeResponseHeader(std::string_view bytes, std::uint32_t* payload_bytes) {
  if (bytes.size() != kResponseHeaderBytes || bytes.substr(0, 4) != kResponseMagic)
    return false;
  Reader reader(bytes.substr(4));
  *payload_bytes = reader.U32();
  return reader.ok() && *payload_bytes <= kResponsePayloadBytesMax;
}

Result<std::vector<DecodedCode>> DecodeResponsePayload(std::string_view payload, bool* malformed) {
  constexpr std::size_t kNameBytesMax = 64;
  constexpr std::size_t kMessageBytesMax = 2048;
  Reader reader(payload);
  *malformed = true;
  const Status garbled = Status::Internal("the decoder process sent a malformed answer");
  const std::uint8_t tag = reader.U8();
  if (tag == kErrorTag) {
    const std::uint8_t code = reader.U8();
    std::string reason = reader.String(kNameBytesMax);
    std::string message = reader.String(kMessageBytesMax);
    if (!reader.ok() || !reader.done() || code == 0 || code > static_cast<int>(Code::kInternal) ||
        reason.empty() || message.empty()) {
      return garbled;
    }
    *malformed = false;
    return Status(static_cast<Code>(code), std::move(reason), std::move(message));
  }
  const std::uint32_t count = reader.U32();
  if (tag != kCodesTag || count > kScanCodesPerImageMax)
    return garbled;
  std::vector<DecodedCode> codes(count);
  for (DecodedCode& code : codes) {
    code.symbology = reader.String(kNameBytesMax);
    code.symbology_identifier = reader.String(kNameBytesMax);
    code.text = reader.String(kScanCodeBytesMax);
    code.is_gs1 = reader.U8() != 0;
  }
  if (!reader.ok() || !reader.done())
    return garbled;
  *malformed = false;
  return codes;
}

}  // namespace foodtrace::scanner::internal
