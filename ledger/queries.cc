// Ledger reads: parties, lots, holdings, a party's ledger, trace down/up, expiring goods.
// Every read takes one snapshot so the answer is consistent.
#include <rocksdb/db.h>

#include <algorithm>
#include <map>
#include <set>

#include "ledger/apply.h"
#include "ledger/holders.h"
#include "ledger/impl.h"
#include "ledger/limits.h"

namespace foodtrace::ledger {
namespace {

template <class T>
Result<T> Decode(const std::optional<std::string>& bytes, std::string_view what) {
  if (!bytes) return Status::NotFound(std::string(what) + " not found");
  T value;
  if (!value.ParseFromString(*bytes)) return Status::Corruption(std::string(what) + " does not decode");
  return value;
}

bool StartsWith(const rocksdb::Slice& s, std::string_view prefix) {
  return s.size() >= prefix.size() && std::memcmp(s.data(), prefix.data(), prefix.size()) == 0;
}

std::string_view View(const rocksdb::Slice& s) { return std::string_view(s.data(), s.size()); }

// Calls fn(key, value) for each key under `prefix` until fn returns false.
template <class Fn>
Status ScanPrefix(const Ledger::Impl& impl, Cf cf, std::string_view prefix,
                  const rocksdb::Snapshot* snap, Fn fn) {
  std::unique_ptr<rocksdb::Iterator> it(impl.NewIterator(cf, snap));
  for (it->Seek(rocksdb::Slice(prefix.data(), prefix.size())); it->Valid() && StartsWith(it->key(), prefix);
       it->Next()) {
    if (!fn(View(it->key()), View(it->value()))) break;
  }
  if (!it->status().ok()) return Status::Io("ledger scan failed: " + it->status().ToString());
  return Status::Ok();
}

}  // namespace

Result<v1::Party> Ledger::GetParty(std::string_view party_id) const {
  auto bytes = impl_->Get(Cf::kParties, PartyKey(party_id));
  if (!bytes.ok()) return bytes.status();
  if (!*bytes) return Status(Code::kNotFound, "UNKNOWN_PARTY", "party '" + std::string(party_id) + "' is not registered");
  return Decode<v1::Party>(*bytes, "party");
}

Result<std::vector<std::optional<v1::Party>>> Ledger::GetParties(
    const std::vector<std::string>& party_ids) const {
  std::vector<std::string> keys;
  keys.reserve(party_ids.size());
  for (const std::string& id : party_ids) keys.push_back(PartyKey(id));
  std::vector<rocksdb::Slice> slices(keys.begin(), keys.end());
  std::vector<rocksdb::PinnableSlice> values(keys.size());
  std::vector<rocksdb::Status> statuses(keys.size());
  impl_->db()->MultiGet(rocksdb::ReadOptions(), impl_->handle(Cf::kParties), keys.size(), slices.data(),
                        values.data(), statuses.data());
  std::vector<std::optional<v1::Party>> out(keys.size());
  for (std::size_t i = 0; i < keys.size(); ++i) {
    if (statuses[i].IsNotFound()) continue;
    if (!statuses[i].ok()) return Status::Io("ledger read failed: " + statuses[i].ToString());
    v1::Party p;
    if (!p.ParseFromArray(values[i].data(), static_cast<int>(values[i].size()))) {
      return Status::Corruption("party " + party_ids[i] + " does not decode");
    }
    out[i] = std::move(p);
  }
  return out;
}

Result<v1::Party> Ledger::FindPartyByKey(std::string_view key) const {
  auto id = impl_->Get(Cf::kParties, PartyByKeyKey(key));
  if (!id.ok()) return id.status();
  if (!*id) return Status::NotFound("no party is registered with this public key");
  return GetParty(**id);
}

std::vector<v1::Party> Ledger::ListParties() const {
  std::vector<v1::Party> out;
  SnapshotGuard snap(impl_->db());
  const std::string prefix = Key({"p", ""});
  IgnoreStatus(ScanPrefix(*impl_, Cf::kParties, prefix, snap.get(), [&](auto, std::string_view v) {
    v1::Party p;
    if (p.ParseFromArray(v.data(), static_cast<int>(v.size()))) out.push_back(std::move(p));
    return out.size() < kQueryRowsMax;
  }));  // a failed scan yields the parties read so far; callers show what they have
  return out;
}

Result<v1::Product> Ledger::GetProduct(std::string_view product) const {
  auto bytes = impl_->Get(Cf::kProducts, product);
  if (!bytes.ok()) return bytes.status();
  return Decode<v1::Product>(*bytes, "product " + std::string(product));
}

Result<v1::Lot> Ledger::GetLot(std::string_view product, std::string_view lot) const {
  auto bytes = impl_->Get(Cf::kLots, LotKey(product, lot));
  if (!bytes.ok()) return bytes.status();
  return Decode<v1::Lot>(*bytes, "lot '" + std::string(lot) + "' of " + std::string(product));
}

Result<v1::Recall> Ledger::GetRecall(std::string_view recall_id) const {
  auto bytes = impl_->Get(Cf::kRecalls, recall_id);
  if (!bytes.ok()) return bytes.status();
  return Decode<v1::Recall>(*bytes, "recall " + std::string(recall_id));
}

std::vector<v1::Recall> Ledger::ListRecalls() const {
  std::vector<v1::Recall> out;
  SnapshotGuard snap(impl_->db());
  IgnoreStatus(ScanPrefix(*impl_, Cf::kRecalls, "", snap.get(), [&](auto, std::string_view v) {
    v1::Recall r;
    if (r.ParseFromArray(v.data(), static_cast<int>(v.size()))) out.push_back(std::move(r));
    return out.size() < kQueryRowsMax;
  }));  // partial on a failed scan, as above
  return out;
}

namespace {

Holding MakeHolding(const Ledger& ledger, std::string_view party, std::string_view product,
                    std::string_view lot, const HoldingValue& value) {
  Holding h;
  h.set_party_id(std::string(party));
  if (product.rfind("C:", 0) == 0) {
    h.set_product_code(std::string(product.substr(2)));
  } else {
    h.set_gtin(std::string(product));
  }
  h.set_lot(std::string(lot));
  h.set_quantity(value.on_hand);
  h.set_unconfirmed(value.unconfirmed > 0);
  if (auto l = ledger.GetLot(product, lot); l.ok()) {
    h.set_unit(l->unit());
    h.set_expires_on(l->ref().expires_on());
    h.set_product_name(l->ref().product_name());
    h.set_stopped(l->state() == v1::Lot::STOPPED);
  }
  return h;
}

}  // namespace

Result<std::vector<Holding>> Ledger::Holdings(std::string_view party_id) const {
  std::vector<HoldingRef> refs;
  SnapshotGuard snap(impl_->db());
  const std::string prefix = Key({party_id, ""});
  FT_RETURN_IF_ERROR(ScanPrefix(*impl_, Cf::kHoldings, prefix, snap.get(), [&](std::string_view k, std::string_view v) {
    HoldingValue value;
    if (!DecodeHolding(v, &value) || (value.on_hand == 0 && value.unconfirmed == 0)) return true;
    const auto parts = SplitKey(k, 3);
    if (parts.size() == 3) refs.push_back({std::string(parts[0]), std::string(parts[1]), std::string(parts[2]), {}});
    return refs.size() < kQueryRowsMax;
  }));
  return ReadHoldings(*impl_, snap.get(), refs);
}

Result<Holding> Ledger::GetHolding(std::string_view party_id, std::string_view product,
                                   std::string_view lot) const {
  auto bytes = impl_->Get(Cf::kHoldings, HoldingKey(party_id, product, lot));
  if (!bytes.ok()) return bytes.status();
  HoldingValue value;
  if (*bytes && !DecodeHolding(**bytes, &value)) return Status::Corruption("holding does not decode");
  return MakeHolding(*this, party_id, product, lot, value);
}

namespace {

// The sequences of a party's index keys with occurred_on in [from, to], oldest first, with the
// stored compact lines (empty before schema 2), at most `limit`.
struct IndexedLine {
  std::uint64_t sequence = 0;
  std::string value;
};
Result<std::vector<IndexedLine>> ScanPartyLedger(const Ledger::Impl& impl, const rocksdb::Snapshot* snap,
                                                 std::string_view party_id, Date from, Date to,
                                                 std::size_t limit) {
  std::vector<IndexedLine> out;
  const std::string prefix = Key({party_id, ""});
  const std::string start = prefix + DateKey(from);
  const std::string end = prefix + DateKey(to.AddDays(1));
  std::unique_ptr<rocksdb::Iterator> it(impl.NewIterator(Cf::kPartyLedger, snap));
  for (it->Seek(start); it->Valid() && View(it->key()) < end && out.size() < limit; it->Next()) {
    const std::string_view k = View(it->key());
    if (k.size() != prefix.size() + 12) continue;
    out.push_back({DecodeBigEndian64(k.substr(prefix.size() + 4)), std::string(View(it->value()))});
  }
  if (!it->status().ok()) return Status::Io("ledger scan failed: " + it->status().ToString());
  return out;
}

// The events of `sequences` with one MultiGet of the log. Errors: CORRUPTION naming the record
// (missing or not decoding), IO.
Result<std::vector<v1::Event>> ReadEvents(const Ledger::Impl& impl, const rocksdb::Snapshot* snap,
                                          const std::vector<std::uint64_t>& sequences) {
  std::vector<std::string> keys;
  keys.reserve(sequences.size());
  for (std::uint64_t seq : sequences) keys.push_back(LogKey(seq));
  std::vector<rocksdb::Slice> slices(keys.begin(), keys.end());
  std::vector<rocksdb::PinnableSlice> values(keys.size());
  std::vector<rocksdb::Status> statuses(keys.size());
  rocksdb::ReadOptions ro;
  ro.snapshot = snap;
  impl.db()->MultiGet(ro, impl.handle(Cf::kLog), keys.size(), slices.data(), values.data(), statuses.data());
  std::vector<v1::Event> out(keys.size());
  for (std::size_t i = 0; i < keys.size(); ++i) {
    const std::string what = "log record " + std::to_string(sequences[i]);
    if (statuses[i].IsNotFound()) return Status::Corruption(what + " is indexed but missing");
    if (!statuses[i].ok()) return Status::Io("ledger read failed: " + statuses[i].ToString());
    v1::LogRecord record;
    if (!record.ParseFromArray(values[i].data(), static_cast<int>(values[i].size())) ||
        !out[i].ParseFromString(record.event())) {
      return Status::Corruption(what + " does not decode");
    }
  }
  return out;
}

}  // namespace

Result<std::vector<LedgerLine>> Ledger::PartyLedger(std::string_view party_id, Date from, Date to,
                                                    std::size_t limit) const {
  SnapshotGuard snap(impl_->db());
  auto indexed = ScanPartyLedger(*impl_, snap.get(), party_id, from, to, std::min(limit, kQueryRowsMax));
  if (!indexed.ok()) return indexed.status();
  std::vector<std::uint64_t> sequences;
  sequences.reserve(indexed->size());
  for (const IndexedLine& line : *indexed) sequences.push_back(line.sequence);
  auto events = ReadEvents(*impl_, snap.get(), sequences);
  if (!events.ok()) return events.status();
  std::vector<LedgerLine> out;
  out.reserve(sequences.size());
  for (std::size_t i = 0; i < sequences.size(); ++i) out.push_back({sequences[i], std::move((*events)[i])});
  return out;
}

Result<std::vector<v1::LedgerLine>> Ledger::PartyLedgerLines(std::string_view party_id, Date from, Date to,
                                                             std::size_t limit) const {
  SnapshotGuard snap(impl_->db());
  auto indexed = ScanPartyLedger(*impl_, snap.get(), party_id, from, to, std::min(limit, kQueryRowsMax));
  if (!indexed.ok()) return indexed.status();
  std::vector<v1::LedgerLine> out(indexed->size());
  std::vector<std::uint64_t> from_log;  // lines indexed without their value (a bug or an old directory)
  for (std::size_t i = 0; i < indexed->size(); ++i) {
    const IndexedLine& line = (*indexed)[i];
    if (line.value.empty()) {
      from_log.push_back(i);
    } else if (!out[i].ParseFromString(line.value)) {
      return Status::Corruption("party_ledger line of sequence " + std::to_string(line.sequence) +
                                " does not decode");
    }
    out[i].set_sequence(line.sequence);
  }
  if (!from_log.empty()) {
    std::vector<std::uint64_t> sequences;
    for (std::uint64_t i : from_log) sequences.push_back((*indexed)[i].sequence);
    auto events = ReadEvents(*impl_, snap.get(), sequences);
    if (!events.ok()) return events.status();
    for (std::size_t j = 0; j < from_log.size(); ++j) {
      if (!(*events)[j].has_entry()) continue;
      out[from_log[j]] = LedgerLineOf((*events)[j]);
      out[from_log[j]].set_sequence(sequences[j]);
    }
  }
  return out;
}

Result<v1::Event> Ledger::ReadEvent(std::uint64_t sequence) const {
  auto bytes = impl_->Get(Cf::kLog, LogKey(sequence));
  if (!bytes.ok()) return bytes.status();
  auto record = Decode<v1::LogRecord>(*bytes, "log record " + std::to_string(sequence));
  if (!record.ok()) return record.status();
  v1::Event event;
  if (!event.ParseFromString(record->event())) {
    return Status::Corruption("log record " + std::to_string(sequence) + " does not decode");
  }
  return event;
}

}  // namespace foodtrace::ledger
