// The ingest gateway: a ZeroMQ ROUTER in front of the ledger.
//
// Clients (client.h) connect with a DEALER over CurveZMQ. A ZAP handler admits a connection only
// if its CURVE public key belongs to a party registered in the ledger, or is the operator's key,
// and binds the connection to that party: every request is attributed to the party of the key
// it arrived under, never to anything the request says. Each request is one Protobuf frame
// (v1::Request) answered by one frame (v1::Reply); docs/protocol.md has the full protocol.
//
// A write request (items) is submitted to the ledger as one WriteRequest; the reply, one
// ItemResult per item, is sent only after the ledger has made the batch durable. A query
// (Request.query) runs on a small worker pool through a QueryHandler, so slow reads never
// stall writes.
//
// Threads: one ROUTER thread (all socket I/O with clients), one ZAP thread, and
// kIngestQueryThreads query workers; ledger callbacks hand results to the ROUTER thread through
// a queue. Gateway's public methods are thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "foodtrace/common/status.h"
#include "foodtrace/ingest/keys.h"
#include "foodtrace/ledger/ledger.h"
#include "foodtrace/v1/wire.pb.h"

namespace foodtrace::ingest {

namespace v1 = ::foodtrace::v1;

// Answers a query sent by `party_id` (the authenticated caller): with JSON for Reply.json, or,
// when query.format() is PROTOBUF, with the serialized answer message for Reply.answer.
// Runs on a query worker thread; must be thread-safe. Errors become Reply.error_code (the
// Status reason) and Reply.error_message. A handler that does not know query.kind() returns
// UnsupportedQuery(kind), so handlers can be chained (ChainQueryHandlers).
using QueryHandler =
    std::function<Result<std::string>(const std::string& party_id, const v1::Query& query)>;

// The reason of UnsupportedQuery().
inline constexpr char kQueryKindUnsupported[] = "QUERY_KIND_UNSUPPORTED";
// "this handler does not answer `kind`": Code::kNotFound, reason QUERY_KIND_UNSUPPORTED.
Status UnsupportedQuery(v1::Query::Kind kind);

// The reason of UnsupportedFormat().
inline constexpr char kQueryFormatUnsupported[] = "QUERY_FORMAT_UNSUPPORTED";
// "`kind` has no answer message": Code::kInvalidArgument, reason QUERY_FORMAT_UNSUPPORTED, for
// a query with format PROTOBUF whose kind answers only JSON.
Status UnsupportedFormat(v1::Query::Kind kind);

// A handler that asks each of `handlers` in order and returns the first answer that is not
// UnsupportedQuery. With none answering, returns UnsupportedQuery.
QueryHandler ChainQueryHandlers(std::vector<QueryHandler> handlers);

// The ledger's own queries (ledger_queries.cc): STOCK, LEDGER, WHOAMI, PARTY, CLOCK. Every other kind
// is UnsupportedQuery. LEDGER also answers PROTOBUF (a LedgerAnswer of compact lines). `ledger` must outlive the handler. See docs/protocol.md for the JSON.
// Who may ask about whom: a party about itself; the operator and regulators about anyone; a
// market about its own vendors and kiosks. Others get PERMISSION_DENIED.
QueryHandler LedgerQueries(const ledger::Ledger* ledger);

// The operator's BACKUP (backup_query.cc): backs the running server's data directory
// `data_dir` up into the absolute path in query.id (ledger::BackupDataDirectory; one backup at a
// time) and answers {"destination","records","heads","created_at_ms","took_ms","last_head"}.
// Other parties get PERMISSION_DENIED; an empty id MISSING_PARAMETER; the errors of
// BackupDataDirectory. `ledger` must outlive the handler.
QueryHandler BackupQueries(const ledger::Ledger* ledger, std::string data_dir);

struct GatewayOptions {
  // Where the ROUTER binds. "tcp://127.0.0.1:*" picks a free port; endpoint() reports it.
  std::string endpoint = kDefaultEndpoint;
  std::string server_secret_key;    // Z85; required
  std::string operator_public_key;  // Z85; always admitted, as party "operator". Required.
  // Answers Request.query. Empty: every query is answered QUERY_KIND_UNSUPPORTED.
  QueryHandler query_handler;
  int query_threads = 0;  // 0 = kIngestQueryThreads
};

// Counters since Start(); read with relaxed ordering (for metrics and tests).
struct GatewayStats {
  std::uint64_t requests = 0;         // frames received from clients
  std::uint64_t items_submitted = 0;  // items handed to the ledger
  std::uint64_t replies_sent = 0;
  std::uint64_t replies_dropped = 0;     // the client was gone (EHOSTUNREACH)
  std::uint64_t bad_requests = 0;        // BAD_REQUEST, REQUEST_TOO_LARGE, BATCH_TOO_LARGE
  std::uint64_t busy = 0;                // answered BUSY
  std::uint64_t handshakes_refused = 0;  // ZAP refusals (unknown key)
  std::uint64_t queries = 0;
};

class Gateway {
 public:
  // Binds the ROUTER (CURVE server), starts the ZAP handler, the ROUTER thread and the query
  // workers. `ledger` must outlive the Gateway. Errors: INVALID_ARGUMENT (bad keys or
  // options), UNAVAILABLE "cannot bind …" (address in use, bad endpoint).
  static Result<std::unique_ptr<Gateway>> Start(ledger::Ledger* ledger, GatewayOptions options);
  // Stop()s the gateway.
  ~Gateway();
  Gateway(const Gateway&) = delete;
  Gateway& operator=(const Gateway&) = delete;

  // The endpoint actually bound, e.g. "tcp://127.0.0.1:41735".
  const std::string& endpoint() const;
  // The server's public key (Z85), derived from the secret key.
  const std::string& server_public_key() const;
  GatewayStats stats() const;

  // Stops taking requests, sends the replies of writes already submitted to the ledger (for
  // at most kIngestShutdownDrainMs), closes the sockets and joins every thread. A write whose
  // reply could not be sent is still durable once the ledger commits it; the client's retry
  // gets DUPLICATE. Idempotent.
  void Stop();

  class Impl;

 private:
  explicit Gateway(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace foodtrace::ingest
