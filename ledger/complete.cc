// Before an entry is validated, the ledger completes it from its registries:
// - an EPCIS event captured before is recognised by its eventID (or by the foodtrace entry it
//   was exported from), so a retried or re-imported document is answered DUPLICATE;
// - a lot line that leaves out the label facts takes them from the stored lot (the label as
//   first recorded: name, specification, dates) and then from the product registry (name,
//   specification, category, shelf life, farm produce, bulk).
//   An entry that states them keeps its own; unknown GTINs are left as sent. The reads happen
//   only when something is missing, so a complete entry costs nothing here.
#include "foodtrace/common/identifiers.h"
#include "foodtrace/common/text.h"
#include "ledger/impl.h"

namespace foodtrace::ledger {

std::uint64_t Ledger::Impl::CapturedBefore(const v1::LedgerEntry& entry) const {
  if (entry.epcis_event_id().empty()) return 0;
  auto seq = Get(Cf::kDedup, EpcisEventKey(TrimAscii(entry.epcis_event_id())));
  if (seq.ok() && *seq && (*seq)->size() == 8) return DecodeBigEndian64(**seq);
  if (entry.party_id().empty() || entry.event_id().empty()) return 0;
  seq = Get(Cf::kDedup, EntryDedupKey(TrimAscii(entry.party_id()), TrimAscii(entry.event_id())));
  if (seq.ok() && *seq && (*seq)->size() == 8) return DecodeBigEndian64(**seq);
  return 0;
}

void Ledger::Impl::CompleteLot(v1::LotRef* lot) const {
  const bool dates_missing = lot->expires_on().empty() && lot->produced_on().empty() && !lot->no_shelf_life();
  if (!lot->product_name().empty() && !lot->specification().empty() && !dates_missing) return;
  std::string product;
  if (!lot->gtin().empty()) {
    auto gtin = NormalizeGtin(lot->gtin());
    if (!gtin.ok()) return;  // validation reports the GTIN
    product = *gtin;
  } else if (!lot->product_code().empty()) {
    product = ProductKey("", TrimAscii(lot->product_code()));
  } else {
    return;
  }
  // The stored lot first: the label as it was first recorded.
  if (!lot->lot().empty()) {
    if (auto bytes = Get(Cf::kLots, LotKey(product, TrimAscii(lot->lot()))); bytes.ok() && *bytes) {
      v1::Lot stored;
      if (stored.ParseFromString(**bytes)) {
        const v1::LotRef& r = stored.ref();
        if (lot->product_name().empty()) lot->set_product_name(r.product_name());
        if (lot->specification().empty()) lot->set_specification(r.specification());
        if (lot->category().empty()) lot->set_category(r.category());
        if (dates_missing) {
          lot->set_expires_on(r.expires_on());
          lot->set_produced_on(r.produced_on());
          lot->set_no_shelf_life(r.no_shelf_life());
          if (!lot->expires_on().empty()) lot->set_shelf_life_days(0);
        }
        lot->set_farm_produce(lot->farm_produce() || r.farm_produce());
      }
    }
  }
  if (!lot->product_name().empty() && !lot->specification().empty() &&
      (!lot->expires_on().empty() || !lot->produced_on().empty() || lot->no_shelf_life())) {
    return;
  }
  auto bytes = Get(Cf::kProducts, product);
  if (!bytes.ok() || !*bytes) return;
  v1::Product p;
  if (!p.ParseFromString(**bytes)) return;
  if (lot->product_name().empty()) lot->set_product_name(p.name());
  if (lot->specification().empty()) lot->set_specification(p.specification());
  if (lot->category().empty()) lot->set_category(p.category());
  if (lot->expires_on().empty() && lot->shelf_life_days() == 0 && !lot->no_shelf_life()) {
    lot->set_shelf_life_days(p.shelf_life_days());
    lot->set_no_shelf_life(p.no_shelf_life());
  }
  lot->set_farm_produce(lot->farm_produce() || p.farm_produce());
  lot->set_bulk(lot->bulk() || p.bulk());
}

void Ledger::Impl::CompleteFromRegistries(v1::LedgerEntry* entry) const {
  // Receipts and what a transformation makes must state the label (REGULATION rules 1, 9);
  // captured EPCIS events carry no label at all, so every line of theirs is completed. Other
  // entries of the hot path (sales with a lot code) need nothing and read nothing.
  const bool captured = !entry->epcis_event_id().empty();
  if (entry->has_lot() && (captured || entry->kind() == v1::LedgerEntry::RECEIVE)) CompleteLot(entry->mutable_lot());
  if (captured) {
    for (auto& line : *entry->mutable_inputs()) CompleteLot(line.mutable_lot());
  }
  for (auto& line : *entry->mutable_outputs()) CompleteLot(line.mutable_lot());
}

}  // namespace foodtrace::ledger
