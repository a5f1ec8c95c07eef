// Named bounds of the ledger. Exceeding one is an error with a clear message, never a crash
// or a silent truncation. Documented in docs/protocol.md.
#pragma once

#include <cstddef>
#include <cstdint>

namespace foodtrace::ledger {

inline constexpr std::size_t kBatchItemsMax = 1000;        // items in one WriteRequest
inline constexpr std::size_t kIdBytesMax = 64;              // event_id, party_id, lot, …
inline constexpr std::size_t kNameBytesMax = 200;           // names, addresses, contacts
inline constexpr std::size_t kTextBytesMax = 1000;          // notes, reasons
inline constexpr std::size_t kDocumentsMax = 20;            // document references per entry
inline constexpr std::size_t kTransformLinesMax = 50;       // inputs or outputs of a TRANSFORM
inline constexpr std::int64_t kQuantityMax = 1'000'000'000'000LL;  // per entry, in its unit
inline constexpr int kCorrectionDepthMax = 16;              // CORRECT of a CORRECT of …
inline constexpr int kTraceDepthMax = 32;                   // transformation / supply hops
inline constexpr std::size_t kTraceNodesMax = 100'000;      // holders+edges in one trace
inline constexpr std::size_t kQueryRowsMax = 100'000;       // rows in one query answer
inline constexpr int kFutureDaysMax = 2;                    // occurred_on may be at most this far ahead
inline constexpr int kShelfLifeDaysMax = 20 * 365;          // longest shelf life accepted

}  // namespace foodtrace::ledger

// --- Stateless validation (ledger/validate.h) --------------------------------------------
namespace foodtrace::ledger {

inline constexpr std::size_t kScanCodeBytesMax = 512;       // Scan.raw_code as decoded
inline constexpr std::size_t kUrlBytesMax = 512;            // Webhook.url
inline constexpr std::size_t kWebhookSecretBytesMin = 16;   // HMAC key, shortest accepted
inline constexpr std::size_t kWebhookSecretBytesMax = 128;  // HMAC key, longest accepted
inline constexpr std::size_t kWebhookKindsMax = 32;         // alert kinds one webhook filters on
inline constexpr std::size_t kRecallLotsMax = 1000;         // lots named by one recall
inline constexpr int kLicenceValidityYearsMax = 5;          // REGULATION rule 21
inline constexpr std::size_t kCurvePublicKeyChars = 40;     // Z85 of a 32-byte key (exact)
inline constexpr std::size_t kPartyGlnsMax = 16;            // Party.glns
inline constexpr std::size_t kProductPacksMax = 16;         // Product.packs
inline constexpr std::size_t kEpcisIdBytesMax = 512;        // epcis_event_id, parent_id (URIs)

}  // namespace foodtrace::ledger
