// HeadSigner (head_signer.h): the start-up check against the last signed head, the Merkle tree
// kept beside the log, and the signing thread.
#include "ledger/head_signer.h"

#include <cstdio>

#include "foodtrace/common/signing.h"
#include "foodtrace/common/text.h"
#include "ledger/merkle_store.h"

namespace foodtrace::ledger {
namespace {

using Clock = std::chrono::steady_clock;

std::string Describe(const SignedHead& head) {
  return "sequence " + std::to_string(head.sequence) + ", signed " + FormatInstant(head.signed_at_ms) +
         " by key " + HexEncode(head.public_key).substr(0, 16) + "…";
}

// The remedy every refusal ends with.
std::string Restore(const std::string& heads_path) {
  return " Nothing was changed. Restore the data directory from a backup (`foodtrace restore BACKUP DIR "
         "--replace`), start the server, and have vendors resend what they recorded since that backup (a "
         "resent event id is counted once); `foodtrace verify --data DIR` names every gap. The signed heads "
         "are in " + heads_path + ".";
}

Status WriteMerkle(const Ledger::Impl& impl, rocksdb::WriteBatch* batch, bool sync) {
  if (batch->Count() == 0) return Status::Ok();
  rocksdb::WriteOptions wo;
  // Derived from the log, and rebuilt from it after a crash: no sync of its own (a later
  // synced ledger write carries it to disk).
  wo.sync = sync;
  const rocksdb::Status s = impl.db()->Write(wo, batch);
  batch->Clear();
  if (!s.ok()) return Status::Io("writing the ledger's Merkle tree failed: " + s.ToString());
  return Status::Ok();
}

}  // namespace

Status HeadSigner::Open() {
  auto key = SigningKeyFromSecret(options_.secret_key);
  if (!key.ok()) return key.status();
  key_ = std::move(*key);
  auto file = HeadsFile::Open(options_.path, /*writable=*/true);
  if (!file.ok()) return file.status();
  file_ = std::move(*file);
  auto last = file_->Last();
  if (!last.ok()) return last.status();
  auto marker = impl_->Get(Cf::kMerkle, kMerkleSignedKey);
  if (!marker.ok()) return marker.status();
  const std::uint64_t logged = impl_->last_sequence();
  const std::string& ledger_path = impl_->options().path;
  if (!*last && *marker && (*marker)->size() == 8 && DecodeBigEndian64(**marker) > 0) {
    return Status(Code::kFailedPrecondition, "HEADS_FILE_MISSING",
                  "the ledger at " + ledger_path + " had signed heads up to record " +
                      std::to_string(DecodeBigEndian64(**marker)) + ", but the signed heads file " + options_.path +
                      " is missing or empty: without it nobody can tell whether records were lost." +
                      Restore(options_.path));
  }
  if (*last) {
    const SignedHead& head = **last;
    if (!HeadSignatureValid(head)) {
      return Status(Code::kCorruption, "HEAD_SIGNATURE",
                    "the last signed head in " + options_.path + " (" + Describe(head) +
                        ") does not verify: the heads file was damaged or altered." + Restore(options_.path));
    }
    if (head.public_key != key_.public_key) {
      return Status(Code::kFailedPrecondition, "HEAD_KEY_CHANGED",
                    "the last signed head in " + options_.path + " was signed by key " + HexEncode(head.public_key) +
                        ", but the key file holds " + HexEncode(key_.public_key) +
                        ": keys/head.key was replaced. Put back the key of the data directory's backup." +
                        Restore(options_.path));
    }
    if (head.sequence > logged) {
      return Status(Code::kFailedPrecondition, "LEDGER_SHORTER_THAN_SIGNED_HEAD",
                    "the ledger at " + ledger_path + " ends at record " + std::to_string(logged) +
                        ", but its last signed head (" + Describe(head) + ") covers records 1-" +
                        std::to_string(head.sequence) + ": records " + std::to_string(logged + 1) + "-" +
                        std::to_string(head.sequence) + " (" + std::to_string(head.sequence - logged) +
                        " records) are missing; the RocksDB write-ahead log was truncated or an older copy "
                        "of the ledger was put in place." + Restore(options_.path));
    }
    auto record = ReadLeaves(*impl_, nullptr, head.sequence, 1);
    if (!record.ok()) return record.status();
    if (record->last_chain_hash != head.chain_hash) {
      return Status(Code::kCorruption, "LEDGER_DIFFERS_FROM_SIGNED_HEAD",
                    "log record " + std::to_string(head.sequence) + " of the ledger at " + ledger_path +
                        " is not the one the last signed head (" + Describe(head) +
                        ") names: the ledger's history was rewritten." + Restore(options_.path));
    }
  }
  FT_RETURN_IF_ERROR(options_.rebuild_merkle_index ? RebuildMerkle(logged) : LoadFrontier(logged));
  if (*last) {
    FT_RETURN_IF_ERROR(CheckRoot(**last, logged));
    latest_ = **last;
  }
  if (frontier_.size() > (latest_ ? latest_->sequence : 0)) return SignNow();
  return Status::Ok();
}

// The stored subtrees cover a prefix of the log; take the frontier of that prefix from them and
// hash the rest. Nodes beyond the log (a log cut short after they were written) are removed.
Status HeadSigner::LoadFrontier(std::uint64_t logged) {
  std::uint64_t stored = 0;
  {
    std::unique_ptr<rocksdb::Iterator> it(impl_->NewIterator(Cf::kMerkle, nullptr));
    it->SeekForPrev(MerkleNodeKey(kMerkleStoredLevelMin, UINT64_MAX));
    if (it->Valid() && it->key().size() == 9 && it->key()[0] == kMerkleStoredLevelMin) {
      stored = (DecodeBigEndian64(std::string_view(it->key().data() + 1, 8)) + 1) * kMerkleBlockLeaves;
    }
    if (!it->status().ok()) return Status::Io("reading the Merkle tree failed: " + it->status().ToString());
  }
  const std::uint64_t usable = std::min(stored, logged / kMerkleBlockLeaves * kMerkleBlockLeaves);
  if (usable < stored) {
    rocksdb::WriteBatch batch;
    for (int level = kMerkleStoredLevelMin; level < merkle::kLevelsMax; ++level) {
      const rocksdb::Status s = batch.DeleteRange(impl_->handle(Cf::kMerkle), MerkleNodeKey(level, usable >> level),
                                                  MerkleNodeKey(level + 1, 0));
      if (!s.ok()) return Status::Io("trimming the Merkle tree failed: " + s.ToString());
    }
    FT_RETURN_IF_ERROR(WriteMerkle(*impl_, &batch, /*sync=*/true));
  }
  MerkleReader reader(*impl_);
  auto frontier = merkle::Frontier::ForSize(usable, reader.fn());
  if (!frontier.ok()) {
    std::fprintf(stderr, "ledger: the Merkle tree is incomplete (%s); rebuilding it from the log\n",
                 frontier.status().message().c_str());
    return RebuildMerkle(logged);
  }
  frontier_ = std::move(*frontier);
  chain_hash_.clear();
  if (usable > 0) {
    auto record = ReadLeaves(*impl_, nullptr, usable, 1);
    if (!record.ok()) return record.status();
    chain_hash_ = record->last_chain_hash;
  }
  return CatchUp(logged);
}

Status HeadSigner::RebuildMerkle(std::uint64_t logged) {
  rocksdb::WriteBatch batch;
  const rocksdb::Status s = batch.DeleteRange(impl_->handle(Cf::kMerkle), MerkleNodeKey(0, 0),
                                              std::string(kMerkleSignedKey.substr(0, 1)));
  if (!s.ok()) return Status::Io("clearing the Merkle tree failed: " + s.ToString());
  FT_RETURN_IF_ERROR(WriteMerkle(*impl_, &batch, /*sync=*/true));
  frontier_ = merkle::Frontier();
  chain_hash_.clear();
  return CatchUp(logged);
}

Status HeadSigner::CheckRoot(const SignedHead& last, std::uint64_t logged) {
  for (int attempt = 0; attempt < 2; ++attempt) {
    MerkleReader reader(*impl_);
    auto root = merkle::Root(last.sequence, reader.fn());
    if (root.ok() && *root == last.merkle_root) return Status::Ok();
    if (attempt == 0) {
      // The stored subtrees may be damaged while the log is sound: rebuild them once.
      std::fprintf(stderr, "ledger: the Merkle root at record %llu differs from the signed head's; rebuilding\n",
                   static_cast<unsigned long long>(last.sequence));
      FT_RETURN_IF_ERROR(RebuildMerkle(logged));
    }
  }
  return Status(Code::kCorruption, "LEDGER_DIFFERS_FROM_SIGNED_HEAD",
                "the log records 1-" + std::to_string(last.sequence) + " of the ledger at " + impl_->options().path +
                    " do not give the Merkle root of the last signed head (" + Describe(last) +
                    "): the ledger's history was rewritten." + Restore(options_.path));
}

Status HeadSigner::CatchUp(std::uint64_t target) {
  const std::uint64_t start = frontier_.size();
  rocksdb::WriteBatch batch;
  std::uint64_t next_progress = start + kHeadProgressRecords;
  while (frontier_.size() < target) {
    const std::uint64_t count = std::min(kHeadCatchUpChunkRecords, target - frontier_.size());
    auto leaves = ReadLeaves(*impl_, nullptr, frontier_.size() + 1, count);
    if (!leaves.ok()) return leaves.status();
    for (std::string& leaf : leaves->leaf_hashes) {
      frontier_.Append(std::move(leaf), [&](const merkle::Frontier::Node& node) {
        if (node.level >= kMerkleStoredLevelMin) {
          batch.Put(impl_->handle(Cf::kMerkle), MerkleNodeKey(node.level, node.index), node.hash);
        }
      });
    }
    chain_hash_ = std::move(leaves->last_chain_hash);
    FT_RETURN_IF_ERROR(WriteMerkle(*impl_, &batch, /*sync=*/false));
    if (frontier_.size() >= next_progress) {
      std::fprintf(stderr, "ledger: Merkle tree over %llu of %llu records\n",
                   static_cast<unsigned long long>(frontier_.size()), static_cast<unsigned long long>(target));
      next_progress += kHeadProgressRecords;
    }
  }
  return Status::Ok();
}

Status HeadSigner::SignNow() {
  SignedHead head;
  head.sequence = frontier_.size();
  head.chain_hash = chain_hash_;
  head.merkle_root = frontier_.Root();
  head.signed_at_ms = impl_->Now();
  head.public_key = key_.public_key;
  head.signature = Sign(key_.secret_key, HeadStatement(head));
  FT_RETURN_IF_ERROR(file_->Append(head));
  rocksdb::WriteBatch batch;
  batch.Put(impl_->handle(Cf::kMerkle), rocksdb::Slice(kMerkleSignedKey.data(), kMerkleSignedKey.size()),
            BigEndian64(head.sequence));
  FT_RETURN_IF_ERROR(WriteMerkle(*impl_, &batch, /*sync=*/false));
  last_signed_ = Clock::now();
  std::lock_guard lk(mu_);
  latest_ = std::move(head);
  return Status::Ok();
}

void HeadSigner::Step(bool final) {
  Status st = CatchUp(impl_->last_sequence());
  const std::uint64_t signed_up_to = latest_ ? latest_->sequence : 0;  // written by this thread only
  const std::uint64_t size = frontier_.size();
  if (st.ok() && size > signed_up_to) {
    const bool due = final || size - signed_up_to >= options_.interval_records ||
                     Clock::now() - last_signed_ >= std::chrono::milliseconds(options_.interval_ms);
    if (due) st = SignNow();
  }
  std::lock_guard lk(mu_);
  if (!st.ok() && st.message() != error_) {
    std::fprintf(stderr, "ledger: signing the ledger head failed: %s (retrying)\n", st.message().c_str());
  }
  error_ = st.ok() ? "" : st.message();
}

void HeadSigner::Loop() {
  std::unique_lock lk(mu_);
  for (;;) {
    cv_.wait_for(lk, std::chrono::milliseconds(kHeadPollMs), [this] { return stopping_; });
    const bool final = stopping_;
    lk.unlock();
    Step(final);
    lk.lock();
    if (final) return;
  }
}

void HeadSigner::Start() {
  std::lock_guard lk(mu_);
  started_ = true;
  thread_ = std::thread([this] { Loop(); });
}

void HeadSigner::Stop() {
  {
    std::lock_guard lk(mu_);
    if (!started_ || stopping_) return;
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

std::optional<SignedHead> HeadSigner::Latest() const {
  std::lock_guard lk(mu_);
  return latest_;
}

std::string HeadSigner::error() const {
  std::lock_guard lk(mu_);
  return error_;
}

}  // namespace foodtrace::ledger
