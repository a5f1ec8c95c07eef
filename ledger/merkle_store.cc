// Stored Merkle subtrees and leaf reads (merkle_store.h).
#include "ledger/merkle_store.h"

#include "foodtrace/common/crypto.h"

namespace foodtrace::ledger {

std::string MerkleNodeKey(int level, std::uint64_t index) {
  std::string key(1, static_cast<char>(level));
  key += BigEndian64(index);
  return key;
}

Result<LeafRead> ReadLeaves(const Ledger::Impl& impl, const rocksdb::Snapshot* snapshot,
                            std::uint64_t first_sequence, std::uint64_t count) {
  LeafRead out;
  out.leaf_hashes.reserve(count);
  std::unique_ptr<rocksdb::Iterator> it(impl.NewIterator(Cf::kLog, snapshot));
  std::uint64_t want = first_sequence;
  for (it->Seek(LogKey(first_sequence)); it->Valid() && out.leaf_hashes.size() < count; it->Next(), ++want) {
    v1::LogRecord record;
    if (it->key().size() != 8 || DecodeBigEndian64(std::string_view(it->key().data(), 8)) != want) {
      return Status::Corruption("log record " + std::to_string(want) + " is missing");
    }
    if (!record.ParseFromArray(it->value().data(), static_cast<int>(it->value().size()))) {
      return Status::Corruption("log record " + std::to_string(want) + " does not decode");
    }
    out.leaf_hashes.push_back(merkle::LeafHash(record.event()));
    if (out.leaf_hashes.size() == count) out.last_chain_hash = record.hash();
  }
  if (!it->status().ok()) return Status::Io("log scan failed: " + it->status().ToString());
  if (out.leaf_hashes.size() != count) {
    return Status::Corruption("log record " + std::to_string(want) + " is missing");
  }
  return out;
}

MerkleReader::MerkleReader(const Ledger::Impl& impl)
    : impl_(impl), visible_(impl.last_sequence()), snapshot_(impl.db()->GetSnapshot()) {}
MerkleReader::~MerkleReader() { impl_.db()->ReleaseSnapshot(snapshot_); }

Result<std::string> MerkleReader::Perfect(int level, std::uint64_t index) {
  if (level >= kMerkleStoredLevelMin) {
    auto value = impl_.Get(Cf::kMerkle, MerkleNodeKey(level, index), snapshot_);
    if (!value.ok()) return value.status();
    if (!*value || (*value)->size() != merkle::kHashBytes) {
      return Status::Corruption("the ledger's Merkle node (" + std::to_string(level) + ", " + std::to_string(index) +
                                ") is missing or damaged: run `foodtrace verify`");
    }
    return std::move(**value);
  }
  // A subtree inside one block of kMerkleBlockLeaves leaves: hash it from the block's leaves.
  const std::uint64_t first_leaf = index << level;
  const std::uint64_t block = first_leaf / kMerkleBlockLeaves;
  auto it = blocks_.find(block);
  if (it == blocks_.end()) {
    // Read the whole block, or as much of it as the log has (the right edge of the tree).
    const std::uint64_t last = visible_;
    const std::uint64_t start = block * kMerkleBlockLeaves;
    const std::uint64_t end = std::min<std::uint64_t>(start + kMerkleBlockLeaves, last);
    if (first_leaf + (std::uint64_t{1} << level) > end) {
      return Status::Corruption("Merkle leaf " + std::to_string(first_leaf) + " is beyond the log");
    }
    auto leaves = ReadLeaves(impl_, snapshot_, start + 1, end - start);
    if (!leaves.ok()) return leaves.status();
    it = blocks_.emplace(block, std::move(leaves->leaf_hashes)).first;
  }
  const std::size_t offset = static_cast<std::size_t>(first_leaf - block * kMerkleBlockLeaves);
  const std::size_t size = std::size_t{1} << level;
  if (offset + size > it->second.size()) {
    return Status::Corruption("Merkle leaf " + std::to_string(first_leaf + size - 1) + " is beyond the log");
  }
  merkle::Frontier f;
  for (std::size_t i = offset; i < offset + size; ++i) f.Append(it->second[i]);
  return f.Root();
}

}  // namespace foodtrace::ledger
