// Ledger reads the portal needs beyond trace and holdings: test results by lot and in full
// (the `tests` column family), and a product's lots (the `lots` column family), each under one
// snapshot (layouts in ledger/schema.h).
#include <rocksdb/db.h>

#include "ledger/impl.h"
#include "ledger/limits.h"

namespace foodtrace::ledger {
namespace {

std::string_view View(const rocksdb::Slice& s) { return std::string_view(s.data(), s.size()); }

}  // namespace

Result<std::vector<v1::TestResult>> Ledger::LotTestResults(std::string_view product, std::string_view lot,
                                                           std::size_t limit) const {
  limit = std::min(limit, kQueryRowsMax);
  std::vector<v1::TestResult> out;
  SnapshotGuard snap(impl_->db());
  const std::string prefix = Key({"L", product, lot, ""});
  std::unique_ptr<rocksdb::Iterator> it(impl_->NewIterator(Cf::kTests, snap.get()));
  for (it->Seek(prefix); it->Valid() && View(it->key()).substr(0, prefix.size()) == prefix && out.size() < limit;
       it->Next()) {
    const std::string_view test_id = View(it->key()).substr(prefix.size());
    auto bytes = impl_->Get(Cf::kTests, test_id, snap.get());
    if (!bytes.ok()) return bytes.status();
    v1::TestResult test;
    if (!*bytes || !test.ParseFromString(**bytes)) {
      return Status::Corruption("test result " + std::string(test_id) + " is indexed but does not decode");
    }
    out.push_back(std::move(test));
  }
  if (!it->status().ok()) return Status::Io("ledger scan failed: " + it->status().ToString());
  return out;
}

Result<std::vector<v1::Lot>> Ledger::ProductLots(std::string_view product, std::size_t limit) const {
  limit = std::min(limit, kQueryRowsMax);
  std::vector<v1::Lot> out;
  SnapshotGuard snap(impl_->db());
  const std::string prefix = LotKey(product, "");
  std::unique_ptr<rocksdb::Iterator> it(impl_->NewIterator(Cf::kLots, snap.get()));
  for (it->Seek(prefix); it->Valid() && View(it->key()).substr(0, prefix.size()) == prefix && out.size() < limit;
       it->Next()) {
    v1::Lot lot;
    if (!lot.ParseFromArray(it->value().data(), static_cast<int>(it->value().size()))) {
      return Status::Corruption("lot record '" + std::string(View(it->key()).substr(prefix.size())) + "' of " +
                                std::string(product) + " does not decode");
    }
    out.push_back(std::move(lot));
  }
  if (!it->status().ok()) return Status::Io("ledger scan failed: " + it->status().ToString());
  return out;
}

Result<std::vector<v1::TestResult>> Ledger::ListTestResults(std::size_t limit) const {
  limit = std::min(limit, kQueryRowsMax);
  std::vector<v1::TestResult> out;
  SnapshotGuard snap(impl_->db());
  const std::string index_prefix = Key({"L", ""});
  std::unique_ptr<rocksdb::Iterator> it(impl_->NewIterator(Cf::kTests, snap.get()));
  for (it->SeekToFirst(); it->Valid() && out.size() < limit; it->Next()) {
    // Index keys ("L" 0 …) have empty values; records never do.
    if (View(it->key()).substr(0, index_prefix.size()) == index_prefix && it->value().empty()) continue;
    v1::TestResult test;
    if (!test.ParseFromArray(it->value().data(), static_cast<int>(it->value().size()))) {
      return Status::Corruption("test result " + std::string(View(it->key())) + " does not decode");
    }
    out.push_back(std::move(test));
  }
  if (!it->status().ok()) return Status::Io("ledger scan failed: " + it->status().ToString());
  return out;
}

Result<std::vector<TraceEdge>> Ledger::LotFlows(std::string_view product, std::string_view lot) const {
  std::vector<TraceEdge> out;
  SnapshotGuard snap(impl_->db());
  const std::string prefix = Key({product, lot, ""});
  std::unique_ptr<rocksdb::Iterator> it(impl_->NewIterator(Cf::kFlows, snap.get()));
  for (it->Seek(prefix); it->Valid() && View(it->key()).substr(0, prefix.size()) == prefix && out.size() < kTraceNodesMax;
       it->Next()) {
    const auto parts = SplitKey(View(it->key()), 4);
    v1::FlowRecord flow;
    if (parts.size() != 4 || !flow.ParseFromArray(it->value().data(), static_cast<int>(it->value().size()))) continue;
    out.push_back(TraceEdge{std::string(parts[2]), std::string(parts[3]), std::string(product), std::string(lot),
                            flow.shipped(), flow.received(), flow.unit(), flow.first_on(), flow.receive_sequence()});
  }
  if (!it->status().ok()) return Status::Io("ledger scan failed: " + it->status().ToString());
  return out;
}

}  // namespace foodtrace::ledger
