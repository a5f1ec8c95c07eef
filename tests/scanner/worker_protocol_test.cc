// Proves the decoder worker's messages round-trip, and that the parent refuses a garbled,
// truncated or oversized answer instead of trusting it.
#include "scanner/worker_protocol.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "scanner/limits.h"

namespace foodtrace::scanner {
namespace {

using internal::DecodeRequestHeader;
using internal::DecodeResponseHeader;
using internal::DecodeResponsePayload;
using internal::EncodeRequestHeader;
using internal::EncodeResponse;
using internal::kResponseHeaderBytes;
using internal::RequestHeader;

std::string Payload(const std::string& response) { return response.substr(kResponseHeaderBytes); }

TEST_CASE("codes and errors survive the trip from worker to parent", "[scanner][worker]") {
  const std::vector<DecodedCode> codes = {{"DataMatrix", "]d2",
                                           "0109501101530003\x1D"
                                           "21S1",
                                           true},
                                          {"EAN-13", "]E0", "9501101530003", false}};
  const std::string response = EncodeResponse(codes);
  std::uint32_t payload_bytes = 0;
  REQUIRE(DecodeResponseHeader(response.substr(0, kResponseHeaderBytes), &payload_bytes));
  CHECK(payload_bytes == response.size() - kResponseHeaderBytes);
  bool malformed = true;
  Result<std::vector<DecodedCode>> back = DecodeResponsePayload(Payload(response), &malformed);
  CHECK_FALSE(malformed);
  REQUIRE(back.ok());
  REQUIRE(back->size() == 2);
  CHECK((*back)[0].text == codes[0].text);
  CHECK((*back)[0].is_gs1);
  CHECK((*back)[1].symbology_identifier == "]E0");

  const Status not_found(Code::kNotFound, "NO_CODE_FOUND", "no barcode could be read");
  Result<std::vector<DecodedCode>> error =
      DecodeResponsePayload(Payload(EncodeResponse(not_found)), &malformed);
  CHECK_FALSE(malformed);
  REQUIRE_FALSE(error.ok());
  CHECK(error.status().code() == Code::kNotFound);
  CHECK(error.status().reason() == "NO_CODE_FOUND");
  CHECK(error.status().message() == "no barcode could be read");
}

TEST_CASE("a garbled or truncated answer is malformed, never trusted", "[scanner][worker]") {
  const std::string good =
      Payload(EncodeResponse(std::vector<DecodedCode>{{"QRCode", "]Q1", "x", false}}));
  bool malformed = false;
  for (std::size_t cut = 0; cut < good.size(); ++cut) {
    INFO("cut at " << cut);
    CHECK_FALSE(DecodeResponsePayload(good.substr(0, cut), &malformed).ok());
    CHECK(malformed);
  }
  CHECK_FALSE(DecodeResponsePayload(good + "extra", &malformed).ok());
  CHECK(malformed);
  std::string too_many = good;
  too_many[1] = static_cast<char>(kScanCodesPerImageMax + 1);  // count, little-endian
  CHECK_FALSE(DecodeResponsePayload(too_many, &malformed).ok());
  CHECK(malformed);
  std::string huge_string = good;
  huge_string[5] = huge_string[6] = huge_string[7] = huge_string[8] = '\xFF';  // first length
  CHECK_FALSE(DecodeResponsePayload(huge_string, &malformed).ok());
  CHECK(malformed);
  // An error answer needs a real Code, a reason and a message.
  std::string no_code = Payload(EncodeResponse(Status::Invalid("IMAGE_CORRUPT", "bad")));
  no_code[1] = 0;
  CHECK_FALSE(DecodeResponsePayload(no_code, &malformed).ok());
  CHECK(malformed);
  CHECK_FALSE(
      DecodeResponsePayload(Payload(EncodeResponse(Status::Invalid("", "m"))), &malformed).ok());
  CHECK(malformed);
}

TEST_CASE("response headers with a wrong magic or an oversized payload are refused",
          "[scanner][worker]") {
  std::uint32_t payload_bytes = 0;
  CHECK_FALSE(DecodeResponseHeader("XXXX\x01\x00\x00\x00", &payload_bytes));
  CHECK_FALSE(DecodeResponseHeader(std::string("FTR1\xFF\xFF\xFF\x7F", 8), &payload_bytes));
  CHECK_FALSE(DecodeResponseHeader("FTR1", &payload_bytes));
}

TEST_CASE("request headers round-trip and refuse images over the byte limit", "[scanner][worker]") {
  RequestHeader header;
  REQUIRE(DecodeRequestHeader(EncodeRequestHeader({false, 1234, 99}), &header));
  CHECK_FALSE(header.try_harder);
  CHECK(header.timeout_ms == 1234);
  CHECK(header.image_bytes == 99);
  CHECK_FALSE(DecodeRequestHeader(
      EncodeRequestHeader({true, 10, static_cast<std::uint32_t>(kScanImageBytesMax + 1)}),
      &header));
  REQUIRE(DecodeRequestHeader(EncodeRequestHeader({true, 1 << 30, 1}), &header));
  CHECK(header.timeout_ms == kScanDecodeTimeoutMsMax);  // clamped: the worker's alarm stays sane
  CHECK_FALSE(DecodeRequestHeader("FTQ1", &header));
}

}  // namespace
}  // namespace foodtrace::scanner
