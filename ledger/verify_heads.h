// HeadsCheck: `foodtrace verify`'s check of the log against every signed head, and of the
// stored Merkle tree against the log. Private to the ledger (ledger/verify.cc drives it).
// Not thread-safe.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <utility>

#include "foodtrace/common/merkle.h"
#include "foodtrace/ledger/ledger.h"
#include "ledger/heads_file.h"
#include "ledger/impl.h"

namespace foodtrace::ledger {

class HeadsCheck {
 public:
  // Reads the heads file at `path` (a missing file has no heads); open it before the ledger.
  // Errors: IO.
  static Result<std::unique_ptr<HeadsCheck>> Open(const std::string& path);

  // Feeds log record `sequence` (records arrive 1, 2, 3 …, each already chain-checked).
  // Returns "" or the problem with a head that ends at this record.
  std::string OnRecord(std::uint64_t sequence, std::string_view event, std::string_view chain_hash);
  // After the last record: a head beyond the log is the gap it names. Then compares the
  // stored Merkle subtrees with the ones the log gives. Sets report->heads; fills
  // report->problem (and first_bad_sequence) when something is wrong. Errors: IO, CORRUPTION.
  Status Finish(const Ledger::Impl& impl, VerifyReport* report);

 private:
  explicit HeadsCheck(std::unique_ptr<HeadsFile> file) : file_(std::move(file)), count_(file_->count()) {}
  Status LoadNext();
  std::string HeadProblem(const SignedHead& head, std::string_view chain_hash);

  std::unique_ptr<HeadsFile> file_;
  // Heads signed when the check began. Open it before the ledger: heads signed later may cover
  // records the read-only ledger does not show.
  std::uint64_t count_;
  std::uint64_t next_index_ = 0;       // the next head to read
  std::optional<SignedHead> next_;     // the next head to match
  std::string first_key_;              // every head must be signed by one key
  std::uint64_t last_sequence_seen_ = 0;
  std::uint64_t checked_ = 0;
  Status read_error_;
  merkle::Frontier frontier_;
  std::map<std::string, std::string> nodes_;  // MerkleNodeKey → hash, levels ≥ the stored minimum
};

}  // namespace foodtrace::ledger
