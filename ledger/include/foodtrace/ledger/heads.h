// Signed ledger heads: the ledger as a transparency log anyone can check.
//
// The hash chain proves order inside one copy of the ledger; it cannot show that a copy was
// cut short or rewritten. So the server signs its head — the last sequence, the hash chain's
// value there, and the RFC 6962 Merkle root over every log record up to it (leaf i = the event
// bytes of record i + 1; common/merkle.h) — every `interval_records` records or `interval_ms`,
// at start-up when the log grew past the last head, and on shutdown. Each signed head is
// appended to its own file outside RocksDB (DATA/heads/signed_heads, fsync'd), and the newest is
// published (GET /api/v1/ledger/head). Whoever keeps a head can later prove the ledger still
// holds it (inclusion and consistency proofs, GET /api/v1/ledger/proof; `foodtrace head
// verify`); the server refuses to open a ledger shorter than, or different from, its last
// signed head; `foodtrace verify` checks the log against every head.
//
// What is signed (Ed25519, the key in DATA/keys/head.key), 105 bytes:
//   "foodtrace signed head v1\n" (25 bytes) || sequence:u64be || chain_hash (32)
//   || merkle_root (32) || signed_at_ms:i64be
// The heads file is a sequence of 180-byte records, oldest first, sequences non-decreasing:
//   "FTH1" || sequence:u64be || chain_hash (32) || merkle_root (32) || signed_at_ms:i64be
//   || public_key (32) || signature (64)
// A crash in the middle of an append leaves a partial last record; it is cut off on the next
// open (it was never published).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "foodtrace/common/date.h"
#include "foodtrace/common/signing.h"
#include "foodtrace/common/status.h"

namespace foodtrace::ledger {

// Defaults of HeadOptions (`foodtrace serve --head-interval-records / --head-interval-s`).
inline constexpr std::uint64_t kHeadIntervalRecordsDefault = 10'000;
inline constexpr std::int64_t kHeadIntervalMsDefault = 10'000;
inline constexpr std::size_t kHeadRecordBytes = 180;

struct SignedHead {
  std::uint64_t sequence = 0;  // the head covers log records 1..sequence
  std::string chain_hash;      // 32 bytes: the hash chain at `sequence` (LogRecord.hash)
  std::string merkle_root;     // 32 bytes: RFC 6962 root of records 1..sequence
  UnixMillis signed_at_ms = 0;
  std::string public_key;      // 32 bytes: the Ed25519 key that signed it
  std::string signature;       // 64 bytes
  friend bool operator==(const SignedHead&, const SignedHead&) = default;
};

// The bytes a head's signature covers (layout above).
std::string HeadStatement(const SignedHead& head);
// True iff the head's signature is its public key's signature of its statement.
bool HeadSignatureValid(const SignedHead& head);
// The head as GET /api/v1/ledger/head answers it: {"sequence":N,"chain_hash":"hex",
// "merkle_root":"hex","signed_at_ms":N,"public_key":"hex","signature":"hex"}.
std::string HeadToJson(const SignedHead& head);
// Parses that JSON (other fields are ignored). Does not check the signature.
// Errors: HEAD_FORMAT naming the field that is missing or malformed.
Result<SignedHead> HeadFromJson(std::string_view json);

struct HeadOptions {
  std::string path;        // the signed heads file; empty = the ledger signs no heads
  std::string secret_key;  // Ed25519 secret key (64 bytes), LoadOrCreateHeadKey's
  std::uint64_t interval_records = kHeadIntervalRecordsDefault;  // sign after this many records …
  std::int64_t interval_ms = kHeadIntervalMsDefault;             // … or this long after the last head
  // Rebuild the stored Merkle subtrees from the log at open (after verify named one damaged).
  bool rebuild_merkle_index = false;
};

// Where a data directory keeps its heads and their key.
std::string HeadsFilePath(const std::string& data_dir);  // DATA/heads/signed_heads
std::string HeadKeyPath(const std::string& data_dir);    // DATA/keys/head.key

// Reads the head signing key file (JSON {"public_key":"hex","secret_key":"hex"}, mode 0600), or
// creates it with a fresh key (and its directory, mode 0700) when it does not exist.
// Errors: IO, SIGNING_KEY_FORMAT, KEY_FILE_PERMISSIONS (readable by group or others).
Result<SigningKeyPair> LoadOrCreateHeadKey(const std::string& path);

// Every head in a heads file, oldest first, at most `limit` from index `first` (a partial last
// record is skipped). A missing file has none. Errors: IO, CORRUPTION (a record that is not a
// head record; signatures are not checked here).
Result<std::vector<SignedHead>> ReadHeadsFile(const std::string& path, std::uint64_t first = 0,
                                              std::uint64_t limit = UINT64_MAX);

// The proof that log record `sequence` is in the ledger a signed head describes, and that the
// ledger of the first `sequence` records is a prefix of it. A verifier checks:
//   merkle::VerifyInclusion(LeafHash(event), sequence − 1, tree_size, inclusion, head.merkle_root)
//   Sha256(prev_hash || event) == chain_hash
//   merkle::VerifyConsistency(sequence, tree_size, <its kept head's root>, head.merkle_root,
//                             consistency)
struct LedgerProof {
  std::uint64_t sequence = 0;
  std::uint64_t tree_size = 0;            // = head.sequence
  std::string event;                      // the record's event bytes (the Merkle leaf)
  std::string prev_hash;                  // 32 bytes
  std::string chain_hash;                 // 32 bytes
  std::vector<std::string> inclusion;     // leaf side first
  std::vector<std::string> consistency;   // from the tree of `sequence` records to tree_size
  SignedHead head;
};

}  // namespace foodtrace::ledger
