// Ledger reads of the registries the standards name things by: parties by GLN, products, and
// entries by their own id or by the EPCIS event they were captured from.
#include <rocksdb/db.h>

#include <algorithm>

#include "ledger/impl.h"
#include "ledger/limits.h"

namespace foodtrace::ledger {
namespace {

Result<LedgerLine> LineAt(const Ledger& ledger, const std::optional<std::string>& sequence_key,
                          std::string_view what) {
  if (!sequence_key) return Status::NotFound(std::string(what) + " is not in the ledger");
  if (sequence_key->size() != 8) return Status::Corruption(std::string(what) + ": index value is not a sequence");
  const std::uint64_t sequence = DecodeBigEndian64(*sequence_key);
  auto event = ledger.ReadEvent(sequence);
  if (!event.ok()) return event.status();
  if (!event->has_entry()) return Status::Corruption(std::string(what) + ": indexed record is not a ledger entry");
  return LedgerLine{sequence, std::move(*event)};
}

}  // namespace

Result<v1::Party> Ledger::FindPartyByGln(std::string_view gln) const {
  auto id = impl_->Get(Cf::kParties, PartyByGlnKey(gln));
  if (!id.ok()) return id.status();
  if (!*id) {
    return Status(Code::kNotFound, "UNKNOWN_GLN", "GLN " + std::string(gln.substr(0, 20)) + " is not registered to any party");
  }
  return GetParty(**id);
}

Result<std::vector<v1::Product>> Ledger::ListProducts(std::string_view after, std::size_t limit) const {
  limit = std::min(limit, kQueryRowsMax);
  std::vector<v1::Product> out;
  SnapshotGuard snap(impl_->db());
  std::unique_ptr<rocksdb::Iterator> it(impl_->NewIterator(Cf::kProducts, snap.get()));
  if (after.empty()) {
    it->SeekToFirst();
  } else {
    it->Seek(rocksdb::Slice(after.data(), after.size()));
    if (it->Valid() && std::string_view(it->key().data(), it->key().size()) == after) it->Next();
  }
  for (; it->Valid() && out.size() < limit; it->Next()) {
    v1::Product p;
    if (!p.ParseFromArray(it->value().data(), static_cast<int>(it->value().size()))) {
      return Status::Corruption("product " + it->key().ToString() + " does not decode");
    }
    out.push_back(std::move(p));
  }
  if (!it->status().ok()) return Status::Io("ledger scan failed: " + it->status().ToString());
  return out;
}

Result<LedgerLine> Ledger::FindEntry(std::string_view party_id, std::string_view event_id) const {
  auto seq = impl_->Get(Cf::kDedup, EntryDedupKey(party_id, event_id));
  if (!seq.ok()) return seq.status();
  return LineAt(*this, *seq, "entry '" + std::string(event_id) + "' of '" + std::string(party_id) + "'");
}

Result<LedgerLine> Ledger::FindEpcisEvent(std::string_view epcis_event_id) const {
  auto seq = impl_->Get(Cf::kDedup, EpcisEventKey(epcis_event_id));
  if (!seq.ok()) return seq.status();
  return LineAt(*this, *seq, "EPCIS event " + std::string(epcis_event_id.substr(0, 200)));
}

}  // namespace foodtrace::ledger
