// The ingest client: records items and asks queries of a running gateway (gateway.h).
//
// Speaks the protocol of docs/protocol.md over a CurveZMQ DEALER with the party's key file.
// Writes are safe to retry: each item carries a client-chosen id (event_id, party_id, …), and
// the ledger answers DUPLICATE with the original sequence for anything already committed. So
// when an attempt times out the client resends the SAME items, on a fresh socket (a late reply
// to the old attempt can never be mistaken for the new one), after a backoff; when the server
// answers BUSY it backs off and resends too.
//
// Not thread-safe: use one Client per thread. Owns its own ZeroMQ context.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "foodtrace/common/status.h"
#include "foodtrace/ingest/keys.h"
#include "foodtrace/v1/wire.pb.h"

namespace foodtrace::ingest {

namespace v1 = ::foodtrace::v1;

struct ClientOptions {
  std::string endpoint;   // empty = key.server_endpoint, or kDefaultEndpoint if that is empty
  KeyFile key;            // the party's keys and the server's public key
  int timeout_ms = 5000;  // per attempt: how long to wait for a reply (kClientTimeoutMsDefault)
  int retries_max = 5;    // extra attempts after the first (kClientRetriesMaxDefault)
};

class Client {
 public:
  // Checks the options and creates the socket; does not wait for the server (ZeroMQ connects
  // in the background). Errors: INVALID_ARGUMENT (keys not Z85, timeout_ms < 1, retries_max
  // outside [0, kClientRetriesMaxLimit], bad endpoint).
  static Result<std::unique_ptr<Client>> Connect(ClientOptions options);
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // Records `items`: sends them in requests of at most kIngestBatchItemsMax items and
  // kIngestRequestBytesMax bytes, in order, and returns one result per item in the same order
  // (ACCEPTED / DUPLICATE with a sequence, or REJECTED with a code and message). Returns only
  // after the server has made every accepted item durable.
  // Errors (the whole call): UNAUTHENTICATED KEY_REFUSED (the server refused this key at the
  // handshake: not registered), UNAVAILABLE (no answer after retries_max retries, or still BUSY),
  // RESOURCE_EXHAUSTED REQUEST_TOO_LARGE (one item alone is bigger than a request may be) or
  // BATCH_TOO_LARGE, INVALID_ARGUMENT BAD_REQUEST, INTERNAL (a reply that does not match the
  // request). After an error, requests sent earlier in the same call may have been committed;
  // calling again with the same items is safe and reports them DUPLICATE.
  Result<std::vector<v1::ItemResult>> Submit(std::vector<v1::Item> items);

  // Asks `query` and returns Reply.json (or, when query.format() is PROTOBUF, the serialized
  // answer message in Reply.answer). Retried like Submit (queries change nothing).
  // Errors: as Submit, plus the handler's own (PERMISSION_DENIED, NOT_FOUND,
  // QUERY_KIND_UNSUPPORTED, QUERY_FORMAT_UNSUPPORTED, …) with the server's message.
  Result<std::string> Query(const v1::Query& query);
  // Asks `query` with format PROTOBUF and parses the answer into `answer` (TraceDownAnswer,
  // RecallImpactAnswer, LedgerAnswer or ExpiringAnswer, as the kind gives). Errors: as above,
  // and CORRUPTION when the answer does not parse as `answer`'s type.
  Status Query(v1::Query query, google::protobuf::MessageLite* answer);

  const std::string& endpoint() const;

  class Impl;

 private:
  explicit Client(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace foodtrace::ingest
