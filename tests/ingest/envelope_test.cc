// Proves the Request decoder names every envelope fault with its error code, and query handlers
// chain.
#include "ingest/envelope.h"

#include <catch2/catch.hpp>

#include "foodtrace/ingest/gateway.h"
#include "foodtrace/ingest/protocol.h"
#include "ingest/limits.h"

using namespace foodtrace;
using namespace foodtrace::ingest;

namespace {

v1::Request WithItems(std::size_t n) {
  v1::Request request;
  request.set_request_id(77);
  for (std::size_t i = 0; i < n; ++i) {
    request.add_items()->mutable_entry()->set_event_id("e" + std::to_string(i));
  }
  return request;
}

}  // namespace

TEST_CASE("a well-formed request decodes; every malformed envelope has its own error code",
          "[ingest]") {
  const v1::Request good = WithItems(3);
  auto decoded = DecodeRequest(good.SerializeAsString());
  REQUIRE(decoded.ok());
  CHECK(decoded->items_size() == 3);

  CHECK(DecodeRequest("\xff\xff\xff garbage").status().reason() == kErrorBadRequest);
  CHECK(DecodeRequest("").status().reason() == kErrorBadRequest);  // neither items nor query

  v1::Request both = WithItems(1);
  both.mutable_query()->set_kind(v1::Query::STOCK);
  CHECK(DecodeRequest(both.SerializeAsString()).status().reason() == kErrorBadRequest);

  auto too_many = DecodeRequest(WithItems(kIngestBatchItemsMax + 1).SerializeAsString());
  CHECK(too_many.status().reason() == kErrorBatchTooLarge);
  CHECK(too_many.status().code() == Code::kResourceExhausted);
  CHECK(DecodeRequest(WithItems(kIngestBatchItemsMax).SerializeAsString()).ok());

  v1::Request big = WithItems(1);
  big.mutable_items(0)->mutable_entry()->set_note(std::string(kIngestRequestBytesMax, 'x'));
  const std::string big_bytes = big.SerializeAsString();
  CHECK(DecodeRequest(big_bytes).status().reason() == kErrorRequestTooLarge);
  CHECK(PeekRequestId(big_bytes) == 77);  // so even this error reply reaches its request
}

TEST_CASE("the request id is peeked only from a leading field 1", "[ingest]") {
  v1::Request request;
  request.set_request_id(1ULL << 40);
  CHECK(PeekRequestId(request.SerializeAsString()) == (1ULL << 40));
  CHECK(PeekRequestId("") == 0);
  CHECK(PeekRequestId("\x12\x00") == 0);
  CHECK(PeekRequestId("\x08\xff\xff") == 0);  // a truncated varint
}

TEST_CASE("chained query handlers fall through kinds they do not answer", "[ingest]") {
  QueryHandler stock = [](const std::string& party, const v1::Query& q) -> Result<std::string> {
    if (q.kind() != v1::Query::STOCK)
      return UnsupportedQuery(q.kind());
    return "stock of " + party;
  };
  QueryHandler alerts = [](const std::string&, const v1::Query& q) -> Result<std::string> {
    if (q.kind() != v1::Query::ALERTS)
      return UnsupportedQuery(q.kind());
    return Status::Denied("PERMISSION_DENIED", "regulators only");
  };
  QueryHandler chain = ChainQueryHandlers({stock, alerts});
  v1::Query q;
  q.set_kind(v1::Query::STOCK);
  CHECK(chain("v1", q).value() == "stock of v1");
  q.set_kind(v1::Query::ALERTS);
  CHECK(chain("v1", q).status().reason() == "PERMISSION_DENIED");  // an answer, not a fall-through
  q.set_kind(v1::Query::TRACE_UP);
  CHECK(chain("v1", q).status().reason() == kQueryKindUnsupported);
}
