// Decoding and checking the Request envelope, building Reply envelopes. Pure functions with no
// ZeroMQ, so they can be fuzzed (tests/fuzz) and unit-tested. Thread-safe.
//
// Frame layout (one ZeroMQ frame each way, CURVE-encrypted on the wire):
//   request: [ v1::Request ]   reply: [ v1::Reply ]
// The ROUTER adds and strips the peer's routing-id frame; clients send no empty delimiter.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "foodtrace/common/status.h"
#include "foodtrace/v1/wire.pb.h"

namespace foodtrace::ingest {

namespace v1 = ::foodtrace::v1;

// The request_id of a frame that may not decode, read from its first field when the frame
// starts with field 1 (as every protobuf encoder writes it); 0 otherwise. Lets the gateway
// address an error reply to a request it will not parse.
std::uint64_t PeekRequestId(std::string_view frame);

// Decodes and checks one request frame: at most kIngestRequestBytesMax bytes
// (REQUEST_TOO_LARGE), a well-formed v1::Request (BAD_REQUEST), exactly one of items or query
// (BAD_REQUEST), at most kIngestBatchItemsMax items (BATCH_TOO_LARGE). Items themselves are
// checked by the ledger, one result each. The Status reason of an error is the envelope error code
// to reply with.
Result<v1::Request> DecodeRequest(std::string_view frame);

// A Reply carrying only an envelope error.
v1::Reply ErrorReply(std::uint64_t request_id, std::string_view error_code,
                     std::string_view error_message);

}  // namespace foodtrace::ingest
