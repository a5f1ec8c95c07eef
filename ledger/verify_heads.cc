// HeadsCheck (verify_heads.h): every signed head against the log, and the Merkle CF.
#include "ledger/verify_heads.h"

#include "foodtrace/common/text.h"
#include "ledger/merkle_store.h"

namespace foodtrace::ledger {
namespace {

std::string Which(std::uint64_t index, const SignedHead& head) {
  return "signed head #" + std::to_string(index) + " (sequence " + std::to_string(head.sequence) + ", signed " +
         FormatInstant(head.signed_at_ms) + ")";
}

}  // namespace

Result<std::unique_ptr<HeadsCheck>> HeadsCheck::Open(const std::string& path) {
  auto file = HeadsFile::Open(path, /*writable=*/false);
  if (!file.ok()) return file.status();
  std::unique_ptr<HeadsCheck> check(new HeadsCheck(std::move(*file)));
  FT_RETURN_IF_ERROR(check->LoadNext());
  return check;
}

Status HeadsCheck::LoadNext() {
  next_.reset();
  if (next_index_ >= count_) return Status::Ok();
  auto head = file_->Read(next_index_);
  if (!head.ok()) return head.status();
  ++next_index_;
  next_ = std::move(*head);
  return Status::Ok();
}

std::string HeadsCheck::HeadProblem(const SignedHead& head, std::string_view chain_hash) {
  const std::string which = Which(next_index_, head);
  if (!HeadSignatureValid(head)) return which + " does not verify: the heads file was altered";
  if (first_key_.empty()) first_key_ = head.public_key;
  if (head.public_key != first_key_) {
    return which + " is signed by key " + HexEncode(head.public_key) + ", not by the key of the first head";
  }
  if (head.sequence < last_sequence_seen_) return which + " goes back from sequence " + std::to_string(last_sequence_seen_);
  last_sequence_seen_ = head.sequence;
  if (head.chain_hash != chain_hash) {
    return "it is not the record " + which + " names (its chain hash differs): the history was rewritten";
  }
  if (head.merkle_root != frontier_.Root()) {
    return "records 1-" + std::to_string(head.sequence) + " do not give the Merkle root of " + which +
           ": the history was rewritten";
  }
  return "";
}

std::string HeadsCheck::OnRecord(std::uint64_t sequence, std::string_view event, std::string_view chain_hash) {
  frontier_.Append(merkle::LeafHash(event), [this](const merkle::Frontier::Node& node) {
    if (node.level >= kMerkleStoredLevelMin) nodes_[MerkleNodeKey(node.level, node.index)] = node.hash;
  });
  while (next_ && next_->sequence <= sequence) {
    if (next_->sequence < sequence) {
      // Only a head of sequence 0 (never written) or one that went back could be skipped.
      return Which(next_index_, *next_) + " goes back before record " + std::to_string(sequence);
    }
    std::string problem = HeadProblem(*next_, chain_hash);
    if (!problem.empty()) return problem;
    ++checked_;
    read_error_ = LoadNext();
    if (!read_error_.ok()) return read_error_.message();
  }
  return "";
}

Status HeadsCheck::Finish(const Ledger::Impl& impl, VerifyReport* report) {
  report->heads = checked_;
  if (!read_error_.ok()) return read_error_;
  if (next_) {
    const std::uint64_t last = frontier_.size();
    // The newest head says how much was lost.
    auto newest = file_->Read(count_ - 1);
    if (!newest.ok()) return newest.status();
    const SignedHead& far = *newest;
    report->first_bad_sequence = last + 1;
    report->problem = "the log ends at record " + std::to_string(last) + ", but " + Which(next_index_, *next_) +
                      (far.sequence > next_->sequence
                           ? " and later ones up to " + Which(count_, far)
                           : std::string()) +
                      " cover records up to " + std::to_string(far.sequence) + ": records " +
                      std::to_string(last + 1) + "-" + std::to_string(far.sequence) +
                      " are missing (the write-ahead log was truncated or an older copy was restored); restore "
                      "the data directory from a backup (`foodtrace restore`)";
    return Status::Ok();
  }
  // The stored subtrees: each must be the one the log gives (a running server may not have
  // stored the newest yet; nothing may lie beyond the log).
  std::unique_ptr<rocksdb::Iterator> it(impl.NewIterator(Cf::kMerkle, nullptr));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    const std::string key = it->key().ToString();
    if (key == kMerkleSignedKey) continue;
    ++report->index_keys;
    const auto want = nodes_.find(key);
    const std::string name = key.size() == 9 ? "(" + std::to_string(static_cast<unsigned char>(key[0])) + ", " +
                                                   std::to_string(DecodeBigEndian64(key.substr(1))) + ")"
                                             : "'" + HexEncode(key) + "'";
    if (want == nodes_.end()) {
      report->problem = "index merkle node " + name + " is stored but not explained by the log";
      return Status::Ok();
    }
    if (want->second != it->value().ToString()) {
      report->problem = "index merkle node " + name + " holds a hash the log does not give";
      return Status::Ok();
    }
  }
  if (!it->status().ok()) return Status::Io("scan of merkle failed: " + it->status().ToString());
  return Status::Ok();
}

}  // namespace foodtrace::ledger
