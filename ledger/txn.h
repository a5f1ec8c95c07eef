// Txn: the state the applier reads and writes while it turns items into index updates.
//
// Two implementations share the applier, so the indexes a live write produces and the ones
// `verify` rebuilds from the log come from the same code:
// - BatchTxn reads the database plus what this batch already wrote (an overlay), and
//   collects every write into one rocksdb::WriteBatch;
// - MemoryTxn holds the whole state in ordered maps (verify's replay of the log).
// Neither is thread-safe; the ledger's single writer thread owns its BatchTxn.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "ledger/schema.h"

namespace rocksdb {
class DB;
class ColumnFamilyHandle;
class WriteBatch;
}  // namespace rocksdb

namespace foodtrace::ledger {

class Txn {
 public:
  virtual ~Txn() = default;
  virtual std::optional<std::string> Get(Cf cf, std::string_view key) = 0;
  virtual void Put(Cf cf, std::string_view key, std::string_view value) = 0;
  virtual void Delete(Cf cf, std::string_view key) = 0;
  virtual HoldingValue GetHolding(std::string_view key) = 0;
  virtual void AddHolding(std::string_view key, HoldingValue delta) = 0;
  // Calls `fn(key, value)` for every key with `prefix`, in key order, until it returns false.
  // Only used for small index ranges (a lot's transforms, a product's lots).
  virtual void Scan(Cf cf, std::string_view prefix,
                    const std::function<bool(std::string_view, std::string_view)>& fn) = 0;
};

class BatchTxn final : public Txn {
 public:
  BatchTxn(rocksdb::DB* db, const std::vector<rocksdb::ColumnFamilyHandle*>* handles,
           rocksdb::WriteBatch* batch)
      : db_(db), handles_(handles), batch_(batch) {}
  std::optional<std::string> Get(Cf cf, std::string_view key) override;
  void Put(Cf cf, std::string_view key, std::string_view value) override;
  void Delete(Cf cf, std::string_view key) override;
  HoldingValue GetHolding(std::string_view key) override;
  void AddHolding(std::string_view key, HoldingValue delta) override;
  void Scan(Cf cf, std::string_view prefix,
            const std::function<bool(std::string_view, std::string_view)>& fn) override;
  // The first storage error any read hit; the batch must then not be written.
  const std::string& error() const { return error_; }

 private:
  static std::string OverlayKey(Cf cf, std::string_view key);
  rocksdb::DB* db_;
  const std::vector<rocksdb::ColumnFamilyHandle*>* handles_;
  rocksdb::WriteBatch* batch_;
  std::unordered_map<std::string, std::optional<std::string>> overlay_;
  std::unordered_map<std::string, HoldingValue> holding_deltas_;
  // Database values already read in this batch (the database cannot change under it).
  std::unordered_map<std::string, std::optional<std::string>> reads_;
  std::unordered_map<std::string, HoldingValue> holding_reads_;
  std::string error_;
};

class MemoryTxn final : public Txn {
 public:
  std::optional<std::string> Get(Cf cf, std::string_view key) override;
  void Put(Cf cf, std::string_view key, std::string_view value) override;
  void Delete(Cf cf, std::string_view key) override;
  HoldingValue GetHolding(std::string_view key) override;
  void AddHolding(std::string_view key, HoldingValue delta) override;
  void Scan(Cf cf, std::string_view prefix,
            const std::function<bool(std::string_view, std::string_view)>& fn) override;
  // The full expected contents of one column family (holdings encoded as stored).
  std::map<std::string, std::string> Contents(Cf cf) const;

 private:
  std::map<std::string, std::string> cfs_[static_cast<int>(Cf::kCount)];
  std::map<std::string, HoldingValue> holdings_;
};

}  // namespace foodtrace::ledger
