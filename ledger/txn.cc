#include "ledger/txn.h"

#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>

#include "foodtrace/common/check.h"

namespace foodtrace::ledger {
namespace {

rocksdb::Slice ToSlice(std::string_view s) { return rocksdb::Slice(s.data(), s.size()); }

}  // namespace

std::string BatchTxn::OverlayKey(Cf cf, std::string_view key) {
  std::string k(1, static_cast<char>(cf));
  k.append(key);
  return k;
}

std::optional<std::string> BatchTxn::Get(Cf cf, std::string_view key) {
  FT_CHECK(cf != Cf::kHoldings);
  std::string k = OverlayKey(cf, key);
  if (auto it = overlay_.find(k); it != overlay_.end()) return it->second;
  // The database does not change while a batch is built (this thread is its only writer), so
  // what one item read is kept for the next item of the batch that asks (an event's lot is
  // read by the checks, the record and the effects).
  if (auto it = reads_.find(k); it != reads_.end()) return it->second;
  std::string value;
  const rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), (*handles_)[static_cast<int>(cf)],
                                     ToSlice(key), &value);
  if (s.IsNotFound()) {
    reads_.emplace(std::move(k), std::nullopt);
    return std::nullopt;
  }
  if (!s.ok()) {
    // The store is failing: the writer then answers the whole batch with an error and writes
    // nothing, so nothing is acknowledged on the strength of a failed read.
    if (error_.empty()) error_ = s.ToString();
    return std::nullopt;
  }
  reads_.emplace(std::move(k), value);
  return value;
}

void BatchTxn::Put(Cf cf, std::string_view key, std::string_view value) {
  FT_CHECK(batch_->Put((*handles_)[static_cast<int>(cf)], ToSlice(key), ToSlice(value)).ok());
  overlay_[OverlayKey(cf, key)] = std::string(value);
}

void BatchTxn::Delete(Cf cf, std::string_view key) {
  FT_CHECK(batch_->Delete((*handles_)[static_cast<int>(cf)], ToSlice(key)).ok());
  overlay_[OverlayKey(cf, key)] = std::nullopt;
}

HoldingValue BatchTxn::GetHolding(std::string_view key) {
  HoldingValue v;
  if (auto base = holding_reads_.find(std::string(key)); base != holding_reads_.end()) {
    v = base->second;
  } else {
    std::string bytes;
    const auto s = db_->Get(rocksdb::ReadOptions(), (*handles_)[static_cast<int>(Cf::kHoldings)],
                            ToSlice(key), &bytes);
    if (s.ok() && !DecodeHolding(bytes, &v) && error_.empty()) {
      error_ = "holding value of wrong size";
    } else if (!s.ok() && !s.IsNotFound() && error_.empty()) {
      error_ = s.ToString();
    }
    if (s.ok() || s.IsNotFound()) holding_reads_.emplace(std::string(key), v);
  }
  auto it = holding_deltas_.find(std::string(key));
  if (it != holding_deltas_.end()) {
    v.on_hand += it->second.on_hand;
    v.unconfirmed += it->second.unconfirmed;
  }
  return v;
}

void BatchTxn::AddHolding(std::string_view key, HoldingValue delta) {
  FT_CHECK(batch_
               ->Merge((*handles_)[static_cast<int>(Cf::kHoldings)], ToSlice(key),
                       EncodeHolding(delta))
               .ok());
  HoldingValue& d = holding_deltas_[std::string(key)];
  d.on_hand += delta.on_hand;
  d.unconfirmed += delta.unconfirmed;
}

void BatchTxn::Scan(Cf cf, std::string_view prefix,
                    const std::function<bool(std::string_view, std::string_view)>& fn) {
  // Merge the database range with this batch's overlay for the same prefix.
  std::map<std::string, std::optional<std::string>> merged;
  std::unique_ptr<rocksdb::Iterator> it(
      db_->NewIterator(rocksdb::ReadOptions(), (*handles_)[static_cast<int>(cf)]));
  for (it->Seek(ToSlice(prefix)); it->Valid() && it->key().starts_with(ToSlice(prefix));
       it->Next()) {
    merged[it->key().ToString()] = it->value().ToString();
  }
  const std::string overlay_prefix = OverlayKey(cf, prefix);
  for (const auto& [k, v] : overlay_) {
    if (k.compare(0, overlay_prefix.size(), overlay_prefix) == 0) merged[k.substr(1)] = v;
  }
  for (const auto& [k, v] : merged) {
    if (v && !fn(k, *v)) return;
  }
}

std::optional<std::string> MemoryTxn::Get(Cf cf, std::string_view key) {
  const auto& m = cfs_[static_cast<int>(cf)];
  auto it = m.find(std::string(key));
  if (it == m.end()) return std::nullopt;
  return it->second;
}

void MemoryTxn::Put(Cf cf, std::string_view key, std::string_view value) {
  cfs_[static_cast<int>(cf)][std::string(key)] = std::string(value);
}

void MemoryTxn::Delete(Cf cf, std::string_view key) {
  cfs_[static_cast<int>(cf)].erase(std::string(key));
}

HoldingValue MemoryTxn::GetHolding(std::string_view key) {
  auto it = holdings_.find(std::string(key));
  return it == holdings_.end() ? HoldingValue{} : it->second;
}

void MemoryTxn::AddHolding(std::string_view key, HoldingValue delta) {
  HoldingValue& v = holdings_[std::string(key)];
  v.on_hand += delta.on_hand;
  v.unconfirmed += delta.unconfirmed;
}

void MemoryTxn::Scan(Cf cf, std::string_view prefix,
                     const std::function<bool(std::string_view, std::string_view)>& fn) {
  const auto& m = cfs_[static_cast<int>(cf)];
  for (auto it = m.lower_bound(std::string(prefix));
       it != m.end() && it->first.compare(0, prefix.size(), prefix) == 0; ++it) {
    if (!fn(it->first, it->second)) return;
  }
}

std::map<std::string, std::string> MemoryTxn::Contents(Cf cf) const {
  if (cf != Cf::kHoldings) return cfs_[static_cast<int>(cf)];
  std::map<std::string, std::string> out;
  for (const auto& [k, v] : holdings_) out[k] = EncodeHolding(v);
  return out;
}

}  // namespace foodtrace::ledger
