// Named bounds of the portal. Exceeding one is a 4xx JSON error (docs/api.md), never a crash
// or a silently shortened answer.
#pragma once

#include <cstddef>
#include <cstdint>

namespace foodtrace::portal {

inline constexpr std::size_t kRequestBodyBytesMax = 1 << 20;      // JSON bodies (entries, recalls)
inline constexpr std::size_t kUploadBytesMax = 8 << 20;           // one photo for lookup/image
inline constexpr std::size_t kEpcisDocumentBytesMax = 4 << 20;    // = epcis::kDocumentBytesMax
inline constexpr std::size_t kCaptureJobsMax = 1000;              // EPCIS capture jobs remembered
inline constexpr int kEpcisQueryWindowDaysMax = 31;               // GE/LT_eventTime without a lot
inline constexpr std::size_t kEpcisPerPageDefault = 100;
// Bodies up to this size are read and discarded to answer 413 cleanly; beyond it the
// connection is closed after the 413 (cpp-httplib's payload_max_length).
inline constexpr std::size_t kBodyDrainBytesMax = 32 << 20;
inline constexpr std::size_t kQueryStringBytesMax = 4096;         // the part after '?'
inline constexpr std::size_t kPathBytesMax = 1024;                // the part before '?'
inline constexpr std::size_t kCodeBytesMax = 512;                 // = scanner kScanCodeBytesMax
inline constexpr std::size_t kLookupLotsMax = 50;                 // a bare GTIN's lots listed
inline constexpr std::size_t kVendorRecallAlertsMax = 1000;       // a vendor's alerts read for recalls
inline constexpr std::size_t kPageSizeDefault = 50;
inline constexpr std::size_t kPageSizeMax = 500;
inline constexpr std::size_t kLedgerLinesMax = 5000;              // one party-ledger answer
inline constexpr int kLedgerPeriodDaysMax = 366;
inline constexpr int kTraceDepthDefault = 8;
inline constexpr std::size_t kEntriesPerRequestMax = 1000;        // = ledger kBatchItemsMax
inline constexpr std::size_t kExportRowsMax = 100'000;            // rows of one CSV/EPCIS export
inline constexpr std::size_t kRateLimitClientsMax = 65'536;       // addresses tracked at once
inline constexpr int kReadTimeoutSeconds = 10;                    // per read of a request
inline constexpr int kWriteTimeoutSeconds = 10;                   // per write of a response
inline constexpr int kKeepAliveTimeoutSeconds = 5;                // idle keep-alive connection
inline constexpr std::size_t kKeepAliveRequestsMax = 10'000;      // requests per connection
inline constexpr int kWorkerThreadsPerCore = 16;                  // blocking I/O: threads ≫ cores
inline constexpr int kWorkerThreadsMin = 32;
inline constexpr int kWorkerThreadsMax = 512;
inline constexpr int kAlertStreamsMax = 64;                       // concurrent SSE clients
inline constexpr int kAlertStreamPollMs = 200;                    // how often a stream looks
inline constexpr int kAlertStreamKeepAliveMs = 15'000;            // ": keep-alive" comment
inline constexpr std::size_t kAlertStreamBacklogMax = 1000;       // replayed after Last-Event-ID
inline constexpr int kSubmitTimeoutMs = 10'000;                   // waiting for a ledger write
inline constexpr std::size_t kTokensMax = 10'000;                 // entries in tokens.json
inline constexpr std::size_t kTokenBytesMax = 128;
// Lifetimes (portal.h, tokens.h): tokens, sessions a device signed in with, pairing codes.
inline constexpr int kTokenLifetimeDefaultDays = 90;
inline constexpr int kTokenLifetimeDaysMax = 3650;
inline constexpr int kSessionLifetimeDefaultDays = 30;
inline constexpr std::int64_t kPairingCodeLifetimeMs = 15 * 60 * 1000;
inline constexpr const char* kSessionCookie = "ft_session";
inline constexpr std::size_t kInspectorsMin = 2;                  // SAMR Order 49 Art. 23
inline constexpr std::size_t kInspectorsMax = 10;
inline constexpr std::size_t kChecklistItemsMax = 100;
// Smaller lookup answers are sent uncompressed whatever the client accepts (one packet).
inline constexpr std::size_t kCompressBodyBytesMin = 1400;
// The public lookup's answer cache (portal/lookup_cache.h).
inline constexpr std::size_t kLookupCacheEntriesMax = 32'768;     // answers kept, both halves
inline constexpr std::size_t kLookupCacheBytesMax = 64 << 20;     // their bodies, both halves
inline constexpr std::size_t kLookupCacheAnswerBytesMax = 64 << 10;  // longer answers: not kept
inline constexpr std::uint64_t kLookupCacheCatchUpRecordsMax = 1024;  // more new: forget all
inline constexpr std::size_t kLookupCacheChangedLotsMax = 65'536;  // marks kept; more: forget all

}  // namespace foodtrace::portal
