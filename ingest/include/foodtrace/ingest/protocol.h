// Envelope-level error codes of the ingest protocol (Reply.error_code). docs/protocol.md says
// when each is sent and what a client does about it. Item-level codes (ItemResult.code) come
// from ledger validation (docs/import.md).
#pragma once

namespace foodtrace::ingest {

// The frame is not a Request, has more than one part, or has neither/both items and query.
inline constexpr char kErrorBadRequest[] = "BAD_REQUEST";
// The frame is larger than kIngestRequestBytesMax: split the batch.
inline constexpr char kErrorRequestTooLarge[] = "REQUEST_TOO_LARGE";
// More than kIngestBatchItemsMax items: split the batch.
inline constexpr char kErrorBatchTooLarge[] = "BATCH_TOO_LARGE";
// The ledger's queue or the gateway's in-flight or query limit is full: back off, resend.
inline constexpr char kErrorBusy[] = "BUSY";
// The server is shutting down: resend later (to the restarted server).
inline constexpr char kErrorUnavailable[] = "UNAVAILABLE";
// A query's JSON answer is larger than kIngestReplyJsonBytesMax: narrow the query.
inline constexpr char kErrorReplyTooLarge[] = "REPLY_TOO_LARGE";
// A bug in the server; the message says what. Nothing was written.
inline constexpr char kErrorInternal[] = "INTERNAL";

}  // namespace foodtrace::ingest
