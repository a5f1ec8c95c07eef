// Ledger::Impl: the RocksDB handles, the writer thread and its queue. Private to the ledger.
#pragma once

#include <rocksdb/db.h>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <thread>

#include "foodtrace/ledger/ledger.h"
#include "ledger/apply.h"
#include "ledger/schema.h"

namespace foodtrace::ledger {

class HeadSigner;

class Ledger::Impl {
 public:
  struct Pending {
    WriteRequest request;
    WriteCallback done;
    std::vector<std::optional<v1::ItemResult>> results;  // set early for stateless rejections
  };

  explicit Impl(Options options);  // ledger.cc (HeadSigner is complete there)
  ~Impl();

  Status Open(bool read_only);
  // The layout version of the open directory (1 when it has no "schema" key). Errors: IO,
  // CORRUPTION.
  Result<std::uint32_t> SchemaVersion() const;
  Status Submit(WriteRequest request, WriteCallback done);

  // Reads one value of `cf` (nullopt if absent). Errors: IO, CORRUPTION from RocksDB.
  Result<std::optional<std::string>> Get(Cf cf, std::string_view key,
                                         const rocksdb::Snapshot* snapshot = nullptr) const;
  rocksdb::Iterator* NewIterator(Cf cf, const rocksdb::Snapshot* snapshot) const;
  rocksdb::ColumnFamilyHandle* handle(Cf cf) const { return handles_[static_cast<int>(cf)]; }
  rocksdb::DB* db() const { return db_.get(); }
  const Options& options() const { return options_; }
  UnixMillis Now() const { return options_.clock ? options_.clock() : NowMillis(); }
  std::uint64_t last_sequence() const { return last_sequence_.load(); }
  // The signed heads (null when Options::heads has no path, and in read-only opens).
  const HeadSigner* heads() const { return heads_.get(); }
  Ledger::WriteStats stats() const {
    return {stat_batches_.load(std::memory_order_relaxed), stat_items_.load(std::memory_order_relaxed),
            stat_accepted_.load(std::memory_order_relaxed), stat_keys_.load(std::memory_order_relaxed)};
  }

 private:
  void WriterLoop();
  void CommitGroup(std::vector<Pending>& group);
  Status RecoverChainHead();
  // Schema upgrades (ledger/migrate.cc).
  Status UpgradeSchema();
  Status WriteSchemaVersion();
  Status BackfillPartyExpiry();
  Status RebuildExpiryByMarket();
  Status FillPartyLedgerLines();
  void ValidateRequest(Pending* pending);
  // ledger/complete.cc: what an item takes from the registries before it is validated.
  std::uint64_t CapturedBefore(const v1::LedgerEntry& entry) const;
  void CompleteFromRegistries(v1::LedgerEntry* entry) const;
  void CompleteLot(v1::LotRef* lot) const;

  Options options_;
  std::unique_ptr<rocksdb::DB> db_;
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;
  std::atomic<std::uint64_t> last_sequence_{0};
  std::atomic<std::uint64_t> stat_batches_{0}, stat_items_{0}, stat_accepted_{0}, stat_keys_{0};
  std::string last_hash_;  // writer thread only (after Open)
  PartyCache party_cache_;  // writer thread only

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Pending> queue_;
  std::size_t queued_items_ = 0;
  bool stopping_ = false;
  std::thread writer_;
  std::unique_ptr<HeadSigner> heads_;  // ledger/head_signer.h
};

// RAII snapshot for one consistent read.
class SnapshotGuard {
 public:
  explicit SnapshotGuard(rocksdb::DB* db) : db_(db), snapshot_(db->GetSnapshot()) {}
  ~SnapshotGuard() { db_->ReleaseSnapshot(snapshot_); }
  SnapshotGuard(const SnapshotGuard&) = delete;
  SnapshotGuard& operator=(const SnapshotGuard&) = delete;
  const rocksdb::Snapshot* get() const { return snapshot_; }

 private:
  rocksdb::DB* db_;
  const rocksdb::Snapshot* snapshot_;
};

// Copies an item's record into the event's body.
void SetEventBody(const v1::Item& item, v1::Event* event);

}  // namespace foodtrace::ledger
