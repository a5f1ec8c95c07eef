// Ledger reads for the alert engine (ledger.h, "reads for the alert engine"): lean holding
// counters without the lot join of GetHolding, for rules that touch thousands of holders.
#include <rocksdb/db.h>

#include "ledger/holders.h"
#include "ledger/impl.h"
#include "ledger/limits.h"

namespace foodtrace::ledger {
namespace {

std::string_view View(const rocksdb::Slice& s) { return std::string_view(s.data(), s.size()); }

}  // namespace

Status ReadHoldingCounts(const Ledger::Impl& impl, const rocksdb::Snapshot* snapshot,
                         std::vector<TraceHolder>* holders) {
  std::vector<std::string> keys;
  keys.reserve(holders->size());
  for (const TraceHolder& h : *holders) keys.push_back(HoldingKey(h.party_id, h.product, h.lot));
  std::vector<rocksdb::Slice> slices(keys.begin(), keys.end());
  std::vector<rocksdb::PinnableSlice> values(keys.size());
  std::vector<rocksdb::Status> statuses(keys.size());
  rocksdb::ReadOptions ro;
  ro.snapshot = snapshot;
  impl.db()->MultiGet(ro, impl.handle(Cf::kHoldings), keys.size(), slices.data(), values.data(),
                      statuses.data());
  for (std::size_t i = 0; i < keys.size(); ++i) {
    HoldingValue v;
    if (statuses[i].IsNotFound()) continue;
    if (!statuses[i].ok()) return Status::Io("holding read failed: " + statuses[i].ToString());
    if (!DecodeHolding(View(values[i]), &v)) return Status::Corruption("holding does not decode");
    (*holders)[i].on_hand = v.on_hand;
    (*holders)[i].unconfirmed = v.unconfirmed;
  }
  return Status::Ok();
}

Result<std::vector<TraceHolder>> Ledger::LotHolders(std::string_view product,
                                                    std::string_view lot) const {
  std::vector<TraceHolder> out;
  SnapshotGuard snap(impl_->db());
  const std::string prefix = Key({product, lot, ""});
  std::unique_ptr<rocksdb::Iterator> it(impl_->NewIterator(Cf::kLotParties, snap.get()));
  for (it->Seek(prefix); it->Valid() && View(it->key()).substr(0, prefix.size()) == prefix &&
                         out.size() < kTraceNodesMax;
       it->Next()) {
    TraceHolder h;
    h.party_id = std::string(View(it->key()).substr(prefix.size()));
    h.product = std::string(product);
    h.lot = std::string(lot);
    out.push_back(std::move(h));
  }
  if (!it->status().ok()) return Status::Io("ledger scan failed: " + it->status().ToString());
  FT_RETURN_IF_ERROR(ReadHoldingCounts(*impl_, snap.get(), &out));
  return out;
}

Result<TraceHolder> Ledger::HoldingCounts(std::string_view party_id, std::string_view product,
                                          std::string_view lot) const {
  auto raw = impl_->Get(Cf::kHoldings, HoldingKey(party_id, product, lot));
  if (!raw.ok()) return raw.status();
  HoldingValue v;
  if (*raw && !DecodeHolding(**raw, &v)) return Status::Corruption("holding does not decode");
  TraceHolder h;
  h.party_id = std::string(party_id);
  h.product = std::string(product);
  h.lot = std::string(lot);
  h.on_hand = v.on_hand;
  h.unconfirmed = v.unconfirmed;
  return h;
}

}  // namespace foodtrace::ledger
