// The ledger's Merkle tree over its log (RFC 6962, common/merkle.h): stored subtree hashes
// and the leaf reads that complete them. Private to the ledger.
//
// merkle CF (derived from the log; written by the head signer's thread, not the writer):
//   level:u8 index:u64be        32-byte hash of the perfect subtree (level, index), for every
//                               complete subtree of level ≥ kMerkleStoredLevelMin; leaf j is
//                               the event bytes of log record j + 1
//   0xff "signed"               seq:u64be: the newest head signed (a heads file that vanished
//                               is noticed)
// Subtrees below kMerkleStoredLevelMin are hashed from the log on demand (≤ 255 leaves).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "foodtrace/common/merkle.h"
#include "foodtrace/common/status.h"
#include "ledger/impl.h"

namespace foodtrace::ledger {

inline constexpr int kMerkleStoredLevelMin = 8;
inline constexpr std::uint64_t kMerkleBlockLeaves = std::uint64_t{1} << kMerkleStoredLevelMin;

std::string MerkleNodeKey(int level, std::uint64_t index);
inline constexpr std::string_view kMerkleSignedKey = "\xff" "signed";

// Leaf hashes of log records first_sequence .. first_sequence + count − 1, and the chain hash of
// the last of them. Errors: IO; CORRUPTION when a record is missing or does not decode.
struct LeafRead {
  std::vector<std::string> leaf_hashes;
  std::string last_chain_hash;
};
Result<LeafRead> ReadLeaves(const Ledger::Impl& impl, const rocksdb::Snapshot* snapshot,
                            std::uint64_t first_sequence, std::uint64_t count);

// Perfect subtree hashes from the merkle CF (levels ≥ kMerkleStoredLevelMin) and the log
// (below), for one proof or root computation. Keeps the leaf blocks it read. Not thread-safe;
// one per request, over a snapshot it holds.
class MerkleReader {
 public:
  explicit MerkleReader(const Ledger::Impl& impl);
  ~MerkleReader();
  MerkleReader(const MerkleReader&) = delete;
  MerkleReader& operator=(const MerkleReader&) = delete;
  // Errors: IO; CORRUPTION when a stored node is missing or malformed, or a record is.
  Result<std::string> Perfect(int level, std::uint64_t index);
  merkle::PerfectHashFn fn() {
    return [this](int level, std::uint64_t index) { return Perfect(level, index); };
  }
  const rocksdb::Snapshot* snapshot() const { return snapshot_; }

 private:
  const Ledger::Impl& impl_;
  std::uint64_t visible_;  // records up to here are in the snapshot (read before taking it)
  const rocksdb::Snapshot* snapshot_;
  std::map<std::uint64_t, std::vector<std::string>> blocks_;  // block index → its leaf hashes
};

}  // namespace foodtrace::ledger
