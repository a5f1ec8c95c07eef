// HeadSigner: follows the committed log on its own thread, keeps the Merkle tree over it
// (ledger/merkle_store.h) and signs heads into the heads file (foodtrace/ledger/heads.h).
// Private to the ledger; owned by Ledger::Impl.
//
// It never runs on the writer thread: it reads what the writer committed (the log CF, up to
// Impl::last_sequence()) every kHeadPollMs, so signing costs the write path nothing.
// Thread-safe: Latest() and file() from any thread; Open, Start and Stop from the owner.
#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include "foodtrace/common/merkle.h"
#include "ledger/heads_file.h"
#include "ledger/impl.h"

namespace foodtrace::ledger {

inline constexpr int kHeadPollMs = 100;                          // how often it looks at the log
inline constexpr std::uint64_t kHeadCatchUpChunkRecords = 4096;  // records hashed per step
inline constexpr std::uint64_t kHeadProgressRecords = 1'000'000; // progress line when rebuilding

class HeadSigner {
 public:
  HeadSigner(Ledger::Impl* impl, HeadOptions options) : impl_(impl), options_(std::move(options)) {}
  ~HeadSigner() { Stop(); }
  HeadSigner(const HeadSigner&) = delete;
  HeadSigner& operator=(const HeadSigner&) = delete;

  // Checks the ledger against its last signed head, brings the Merkle tree up to the log and
  // signs the log's end if it grew past that head. Runs before the writer starts.
  // Errors: FAILED_PRECONDITION LEDGER_SHORTER_THAN_SIGNED_HEAD, HEADS_FILE_MISSING,
  // HEAD_KEY_CHANGED; CORRUPTION LEDGER_DIFFERS_FROM_SIGNED_HEAD, HEAD_SIGNATURE; IO. Each
  // message says what was lost and how to restore.
  Status Open();
  void Start();
  // Catches up with everything committed, signs it if the log grew, and stops the thread.
  // The writer must have stopped. Idempotent.
  void Stop();

  std::optional<SignedHead> Latest() const;
  const HeadsFile& file() const { return *file_; }
  // The last failure of the signing thread ("" while healthy).
  std::string error() const;

 private:
  void Loop();
  void Step(bool final);
  Status CatchUp(std::uint64_t target);
  Status LoadFrontier(std::uint64_t logged);
  Status RebuildMerkle(std::uint64_t logged);
  Status CheckRoot(const SignedHead& last, std::uint64_t logged);
  Status SignNow();

  Ledger::Impl* impl_;
  HeadOptions options_;
  SigningKeyPair key_;
  std::unique_ptr<HeadsFile> file_;
  merkle::Frontier frontier_;  // the signer's thread only (Open and Stop before and after it)
  std::string chain_hash_;     // the hash chain at frontier_.size()
  std::chrono::steady_clock::time_point last_signed_ = std::chrono::steady_clock::now();

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::optional<SignedHead> latest_;
  std::string error_;
  bool stopping_ = false;
  bool started_ = false;
  std::thread thread_;
};

}  // namespace foodtrace::ledger
