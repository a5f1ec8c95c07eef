// Named bounds of ingest. Exceeding one is an error with a clear message, never a crash or a
// silent truncation. Each is documented in docs/protocol.md. Two blocks: the ZeroMQ gateway and
// client (this file's first block) and CSV import (ingest/csv_ledger.h), kept apart.
#pragma once

#include <cstddef>
#include <cstdint>

#include "ledger/limits.h"

// --- ZeroMQ gateway and client (gateway.h, client.h) -------------------------------------
namespace foodtrace::ingest {

// Items in one Request. Equal to the ledger's bound so a batch the gateway accepts is never
// refused by Ledger::Submit for its size.
inline constexpr std::size_t kIngestBatchItemsMax = 1000;
static_assert(kIngestBatchItemsMax <= ledger::kBatchItemsMax);

// Bytes of one encoded Request frame the gateway will decode. A larger frame is answered
// REQUEST_TOO_LARGE, as long as it is under kIngestSocketMessageBytesMax.
inline constexpr std::size_t kIngestRequestBytesMax = 4u << 20;  // 4 MiB
// ZMQ_MAXMSGSIZE on the gateway's ROUTER: zmq drops the connection of a peer that sends a
// bigger frame, without reading it. Twice the request limit, so a request a little too big
// still gets a readable reply and a runaway one costs the server no memory.
inline constexpr std::int64_t kIngestSocketMessageBytesMax = 8 << 20;  // 8 MiB
static_assert(static_cast<std::int64_t>(kIngestRequestBytesMax) < kIngestSocketMessageBytesMax);

// Bytes of the JSON answer of one query; beyond it the reply is REPLY_TOO_LARGE (narrow the
// query: a shorter date range, a limit).
inline constexpr std::size_t kIngestReplyJsonBytesMax = 32u << 20;  // 32 MiB
// ZMQ_MAXMSGSIZE on the client's DEALER: the largest Reply frame (JSON plus envelope).
inline constexpr std::int64_t kIngestReplyFrameBytesMax = (32 << 20) + (1 << 20);
static_assert(static_cast<std::int64_t>(kIngestReplyJsonBytesMax) < kIngestReplyFrameBytesMax);

// ZMQ_SNDHWM / ZMQ_RCVHWM on the ROUTER and DEALER, in messages (whole requests/replies).
inline constexpr int kIngestSocketHwmMessages = 1000;
// ZMQ_HANDSHAKE_IVL on the ROUTER: a peer that has not finished the CURVE handshake within this
// time is disconnected.
inline constexpr int kIngestHandshakeTimeoutMs = 5000;
// Write requests submitted to the ledger and not yet answered, over all clients; beyond it a
// request is answered BUSY (the client backs off and retries).
inline constexpr std::size_t kIngestInflightRequestsMax = 4096;
// Query worker threads, and queries waiting for one (beyond it: BUSY).
inline constexpr int kIngestQueryThreads = 2;
inline constexpr std::size_t kIngestQueryQueueMax = 256;
// Longest the ROUTER thread sleeps in zmq_poll; bounds how late it notices a stop request that
// did not arrive through its wake-up socket.
inline constexpr int kIngestPollTimeoutMs = 1000;
// Requests the ROUTER thread reads in one pass before it delivers finished replies again.
inline constexpr int kIngestReceiveBurstMessages = 256;
// On Stop(), how long the gateway keeps sending replies of writes already in the ledger's queue.
inline constexpr int kIngestShutdownDrainMs = 2000;

// Client defaults (ClientOptions) and its retry backoff.
inline constexpr int kClientTimeoutMsDefault = 5000;
inline constexpr int kClientRetriesMaxDefault = 5;
inline constexpr int kClientRetriesMaxLimit = 100;        // retries_max above this is refused
inline constexpr int kClientBackoffInitialMs = 100;       // doubles after each failed attempt
inline constexpr int kClientBackoffMaxMs = 5000;

// Key files: the largest file read back (a KeyFile is about 300 bytes).
inline constexpr std::size_t kKeyFileBytesMax = 64u << 10;  // 64 KiB
inline constexpr std::size_t kEndpointBytesMax = 256;

}  // namespace foodtrace::ingest
// --- end of the ZeroMQ block ----------------------------------------------------------------

// --- CSV ledger import (csv_ledger.h) ------------------------------------------------------
namespace foodtrace::ingest {

// Bytes of one CSV record, quoted line breaks included. A longer record is an error for that
// row only; reading goes on with the next record.
inline constexpr std::size_t kCsvRowBytesMax = 16u << 10;  // 16 KiB
// Fields in one record (the header included). A header with more columns is refused at Open.
inline constexpr std::size_t kCsvColumnsMax = 64;
// Rows without an event_id in one file: each derived id is remembered (16 bytes) to number
// identical rows apart. Beyond it a row without event_id is an error (add an event_id column).
inline constexpr std::size_t kCsvDerivedIdsMax = 1'000'000;
// Decimal places in a quantity: kQuantityDecimalsMax in common/quantity.h (the one home).

}  // namespace foodtrace::ingest
// --- end of the CSV block ---------------------------------------------------------------------
