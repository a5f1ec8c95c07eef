#include "ingest/envelope.h"

#include <google/protobuf/io/coded_stream.h>

#include "foodtrace/ingest/protocol.h"
#include "ingest/limits.h"

namespace foodtrace::ingest {
namespace {

Status EnvelopeError(const char* code, std::string message) {
  const Code broad = std::string_view(code) == kErrorBadRequest ? Code::kInvalidArgument
                                                                : Code::kResourceExhausted;
  return Status(broad, code, std::move(message));
}

}  // namespace

std::uint64_t PeekRequestId(std::string_view frame) {
  google::protobuf::io::CodedInputStream input(
      reinterpret_cast<const std::uint8_t*>(frame.data()),
      static_cast<int>(std::min<std::size_t>(frame.size(), 16)));
  // Field 1, wire type 0 (varint): tag byte 0x08.
  if (input.ReadTag() != 0x08)
    return 0;
  std::uint64_t request_id = 0;
  if (!input.ReadVarint64(&request_id))
    return 0;
  return request_id;
}

Result<v1::Request> DecodeRequest(std::string_view frame) {
  if (frame.size() > kIngestRequestBytesMax) {
    return EnvelopeError(kErrorRequestTooLarge, "request is " + std::to_string(frame.size()) +
                                                    " bytes, more than " +
                                                    std::to_string(kIngestRequestBytesMax) +
                                                    ": send the items in smaller batches");
  }
  v1::Request request;
  if (!request.ParseFromArray(frame.data(), static_cast<int>(frame.size()))) {
    return EnvelopeError(kErrorBadRequest,
                         "the frame is not a foodtrace.v1.Request (" +
                             std::to_string(frame.size()) +
                             " bytes): send one Protobuf-encoded Request per frame");
  }
  const bool has_items = request.items_size() > 0;
  if (has_items && request.has_query()) {
    return EnvelopeError(kErrorBadRequest,
                         "a request carries items or a query, not both: send them separately");
  }
  if (!has_items && !request.has_query()) {
    return EnvelopeError(kErrorBadRequest, "the request has no items and no query");
  }
  if (static_cast<std::size_t>(request.items_size()) > kIngestBatchItemsMax) {
    return EnvelopeError(kErrorBatchTooLarge,
                         "request has " + std::to_string(request.items_size()) +
                             " items, more than " + std::to_string(kIngestBatchItemsMax) +
                             ": send them in smaller batches");
  }
  return request;
}

v1::Reply ErrorReply(std::uint64_t request_id, std::string_view error_code,
                     std::string_view error_message) {
  v1::Reply reply;
  reply.set_request_id(request_id);
  reply.set_error_code(std::string(error_code));
  reply.set_error_message(std::string(error_message));
  return reply;
}

}  // namespace foodtrace::ingest
