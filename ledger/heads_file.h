// HeadsFile: the append-only file of signed heads (record layout: foodtrace/ledger/heads.h).
// Private to the ledger.
//
// Thread-safe: one thread appends while others read; every read uses pread(2) on records that
// were complete when count() was read.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "foodtrace/ledger/heads.h"

namespace foodtrace::ledger {

std::string EncodeHeadRecord(const SignedHead& head);
// Errors: CORRUPTION when `bytes` is not a head record (size or magic).
Result<SignedHead> DecodeHeadRecord(std::string_view bytes);

class HeadsFile {
 public:
  // Opens `path`. Writable: creates its directory (0700) and the file (0600) when missing and
  // cuts a partial last record off (reported on stderr). Read-only: a missing file reads as
  // empty. Errors: IO.
  static Result<std::unique_ptr<HeadsFile>> Open(const std::string& path, bool writable);
  ~HeadsFile();
  HeadsFile(const HeadsFile&) = delete;
  HeadsFile& operator=(const HeadsFile&) = delete;

  const std::string& path() const { return path_; }
  std::uint64_t count() const { return count_.load(); }
  // Errors: IO, CORRUPTION; INVALID_ARGUMENT for an index ≥ count().
  Result<SignedHead> Read(std::uint64_t index) const;
  Result<std::optional<SignedHead>> Last() const;
  // The newest head with exactly this sequence (binary search: the sequences never decrease).
  Result<std::optional<SignedHead>> Find(std::uint64_t sequence) const;
  // Appends and fdatasync()s. Requires a writable file and a sequence ≥ the last one.
  Status Append(const SignedHead& head);

 private:
  HeadsFile(std::string path, int fd, std::uint64_t count) : path_(std::move(path)), fd_(fd), count_(count) {}
  std::string path_;
  int fd_ = -1;
  std::atomic<std::uint64_t> count_{0};
  std::mutex append_mu_;
};

}  // namespace foodtrace::ledger
