// ReadHoldings (ledger/holders.h): many holdings with their lots, two MultiGets in all.
#include <rocksdb/db.h>

#include <unordered_map>

#include "ledger/holders.h"
#include "ledger/impl.h"

namespace foodtrace::ledger {
namespace {

std::string_view View(const rocksdb::Slice& s) { return std::string_view(s.data(), s.size()); }

// One MultiGet of `keys` in `cf`; calls fn(i, value) for each key found.
template <class Fn>
Status MultiRead(const Ledger::Impl& impl, const rocksdb::Snapshot* snapshot, Cf cf,
                 const std::vector<std::string>& keys, Fn fn) {
  std::vector<rocksdb::Slice> slices(keys.begin(), keys.end());
  std::vector<rocksdb::PinnableSlice> values(keys.size());
  std::vector<rocksdb::Status> statuses(keys.size());
  rocksdb::ReadOptions ro;
  ro.snapshot = snapshot;
  impl.db()->MultiGet(ro, impl.handle(cf), keys.size(), slices.data(), values.data(), statuses.data());
  for (std::size_t i = 0; i < keys.size(); ++i) {
    if (statuses[i].IsNotFound()) continue;
    if (!statuses[i].ok()) return Status::Io("ledger read failed: " + statuses[i].ToString());
    FT_RETURN_IF_ERROR(fn(i, View(values[i])));
  }
  return Status::Ok();
}

}  // namespace

Result<std::vector<Holding>> ReadHoldings(const Ledger::Impl& impl, const rocksdb::Snapshot* snapshot,
                                          const std::vector<HoldingRef>& refs) {
  std::vector<Holding> out(refs.size());
  std::vector<std::string> keys;
  keys.reserve(refs.size());
  std::unordered_map<std::string, std::size_t> lot_index;  // lot key → position in lot_keys
  std::vector<std::string> lot_keys;
  std::vector<std::size_t> lot_of(refs.size());
  for (std::size_t i = 0; i < refs.size(); ++i) {
    const HoldingRef& r = refs[i];
    keys.push_back(HoldingKey(r.party, r.product, r.lot));
    Holding& h = out[i];
    h.set_party_id(r.party);
    if (r.product.rfind("C:", 0) == 0) {
      h.set_product_code(r.product.substr(2));
    } else {
      h.set_gtin(r.product);
    }
    h.set_lot(r.lot);
    auto [it, added] = lot_index.emplace(LotKey(r.product, r.lot), lot_keys.size());
    if (added) lot_keys.push_back(it->first);
    lot_of[i] = it->second;
  }
  FT_RETURN_IF_ERROR(MultiRead(impl, snapshot, Cf::kHoldings, keys, [&](std::size_t i, std::string_view v) {
    HoldingValue value;
    if (!DecodeHolding(v, &value)) return Status::Corruption("holding of " + refs[i].party + " does not decode");
    out[i].set_quantity(value.on_hand);
    out[i].set_unconfirmed(value.unconfirmed > 0);
    return Status::Ok();
  }));
  std::vector<std::optional<v1::Lot>> lots(lot_keys.size());
  FT_RETURN_IF_ERROR(MultiRead(impl, snapshot, Cf::kLots, lot_keys, [&](std::size_t i, std::string_view v) {
    v1::Lot lot;
    if (!lot.ParseFromArray(v.data(), static_cast<int>(v.size()))) {
      return Status::Corruption("a lot record does not decode");
    }
    lots[i] = std::move(lot);
    return Status::Ok();
  }));
  for (std::size_t i = 0; i < refs.size(); ++i) {
    const std::optional<v1::Lot>& lot = lots[lot_of[i]];
    if (!lot) continue;
    out[i].set_unit(lot->unit());
    out[i].set_expires_on(lot->ref().expires_on());
    out[i].set_product_name(lot->ref().product_name());
    out[i].set_stopped(lot->state() == v1::Lot::STOPPED);
  }
  return out;
}

}  // namespace foodtrace::ledger
