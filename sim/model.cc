// The model's primitives: each emits the ledger record(s) one action makes and updates the
// holdings and the truth exactly as the ledger and the alert rules will (docs/alerts.md).
#include <algorithm>

#include "sim/model.h"

namespace foodtrace::sim {
namespace {

using E = v1::LedgerEntry;

}  // namespace

std::string CompactDate(Date d) {
  std::string s = d.ToString();
  s.erase(std::remove(s.begin(), s.end(), '-'), s.end());
  return s;
}

Simulation::Model::Model(const Options& options)
    : options_(options), rng_(options.seed), catalog_(BuildCatalog()) {}

std::string Simulation::Model::NextId(const std::string& prefix) {
  const std::string stem = prefix + "-" + CompactDate(date_) + id_suffix_;
  return stem + "-" + std::to_string(++id_counters_[stem]);
}

int Simulation::Model::PartyIndex(const std::string& id) const {
  for (std::size_t i = 0; i < parties_.size(); ++i) {
    if (parties_[i].party.party_id() == id) return static_cast<int>(i);
  }
  return -1;
}

void Simulation::Model::Emit(int writer_party, v1::Item item, bool oversight) {
  const std::string& writer = parties_[static_cast<std::size_t>(writer_party)].writer;
  if (!oversight) {
    trade_[writer].push_back(std::move(item));
    return;
  }
  if (oversight_.empty() || oversight_.back().writer != writer) oversight_.push_back({writer, {}});
  oversight_.back().items.push_back(std::move(item));
}

v1::LotRef Simulation::Model::Ref(int lot) const {
  const LotState& l = lots_[static_cast<std::size_t>(lot)];
  const CatalogProduct& p = ProductOf(lot);
  v1::LotRef ref;
  ref.set_gtin(p.product.gtin());
  ref.set_product_code(p.product.product_code());
  ref.set_lot(l.code);
  ref.set_product_name(p.product.name());
  ref.set_specification(p.product.specification());
  ref.set_produced_on(l.produced.ToString());
  ref.set_expires_on(l.expires.ToString());
  ref.set_shelf_life_days(p.shelf_life_days);
  ref.set_category(p.product.category());
  ref.set_farm_produce(p.product.farm_produce());
  ref.set_bulk(p.product.bulk());
  return ref;
}

v1::LedgerEntry Simulation::Model::NewEntry(int party, E::Kind kind) {
  const v1::Party& p = parties_[static_cast<std::size_t>(party)].party;
  E entry;
  entry.set_event_id(NextId(p.party_id()));
  entry.set_kind(kind);
  entry.set_party_id(p.party_id());
  entry.set_occurred_on(date_.ToString());
  return entry;
}

void Simulation::Model::NoteAnomaly(const std::string& kind, int party, int lot) {
  anomalies_.emplace(kind, parties_[static_cast<std::size_t>(party)].party.party_id(),
                     ProductOf(lot).product.gtin(), lots_[static_cast<std::size_t>(lot)].code);
}

// NEGATIVE_STOCK: an entry takes the party's own on hand from ≥ 0 to below 0.
void Simulation::Model::AddOnHand(int party, int lot, std::int64_t delta, const v1::LedgerEntry&) {
  Holding& h = parties_[static_cast<std::size_t>(party)].holdings[lot];
  const std::int64_t before = h.on_hand;
  h.on_hand += delta;
  if (before >= 0 && h.on_hand < 0) NoteAnomaly("NEGATIVE_STOCK", party, lot);
}

int Simulation::Model::NewLot(int product, Date produced, const std::string& code) {
  LotState l;
  l.product = product;
  l.code = code;
  l.produced = produced;
  l.expires = produced.AddDays(catalog_[static_cast<std::size_t>(product)].shelf_life_days - 1);
  lots_.push_back(std::move(l));
  return static_cast<int>(lots_.size()) - 1;
}

void Simulation::Model::Stocktake(int party, int lot, std::int64_t quantity) {
  E entry = NewEntry(party, E::STOCKTAKE);
  *entry.mutable_lot() = Ref(lot);
  entry.set_quantity(quantity);
  entry.set_unit(ProductOf(lot).unit);
  entry.set_note("新批次入库");
  const std::int64_t before = parties_[static_cast<std::size_t>(party)].holdings[lot].on_hand;
  AddOnHand(party, lot, quantity - before, entry);
  v1::Item item;
  *item.mutable_entry() = std::move(entry);
  Emit(party, std::move(item), false);
}

void Simulation::Model::Move(int from, int to, int lot, std::int64_t quantity, bool receipt_recorded) {
  const CatalogProduct& product = ProductOf(lot);
  E ship = NewEntry(from, E::SHIP);
  *ship.mutable_lot() = Ref(lot);
  ship.set_quantity(quantity);
  ship.set_unit(product.unit);
  ship.mutable_counterparty()->set_party_id(parties_[static_cast<std::size_t>(to)].party.party_id());
  AddOnHand(from, lot, -quantity, ship);
  if (lots_[static_cast<std::size_t>(lot)].expires < date_) {  // judged on the sale date
    NoteAnomaly("EXPIRED_SOLD", from, lot);
  }
  v1::Item item;
  *item.mutable_entry() = std::move(ship);
  Emit(from, std::move(item), false);
  if (!receipt_recorded) {
    parties_[static_cast<std::size_t>(to)].holdings[lot].unconfirmed += quantity;
    NoteAnomaly("UNCONFIRMED_RECEIPT", to, lot);
    return;
  }
  E receive = NewEntry(to, E::RECEIVE);
  *receive.mutable_lot() = Ref(lot);
  receive.set_quantity(quantity);
  receive.set_unit(product.unit);
  receive.mutable_counterparty()->set_party_id(parties_[static_cast<std::size_t>(from)].party.party_id());
  receive.add_documents("出厂检验合格证 " + lots_[static_cast<std::size_t>(lot)].code);
  AddOnHand(to, lot, quantity, receive);
  v1::Item in;
  *in.mutable_entry() = std::move(receive);
  Emit(to, std::move(in), false);
}

void Simulation::Model::ReceiveFromOutside(int party, int lot, std::int64_t quantity,
                                           const v1::Counterparty& supplier,
                                           const std::vector<std::string>& documents) {
  E entry = NewEntry(party, E::RECEIVE);
  *entry.mutable_lot() = Ref(lot);
  entry.set_quantity(quantity);
  entry.set_unit(ProductOf(lot).unit);
  *entry.mutable_counterparty() = supplier;
  for (const auto& d : documents) entry.add_documents(d);
  if (documents.empty() && supplier.licence().empty() && supplier.uscc().empty()) {
    NoteAnomaly("UNVERIFIED_SUPPLIER", party, lot);
  }
  AddOnHand(party, lot, quantity, entry);
  v1::Item item;
  *item.mutable_entry() = std::move(entry);
  Emit(party, std::move(item), false);
}

void Simulation::Model::SellToConsumers(int party, int lot, std::int64_t quantity) {
  E entry = NewEntry(party, E::SHIP);
  *entry.mutable_lot() = Ref(lot);
  entry.set_quantity(quantity);
  entry.set_unit(ProductOf(lot).unit);
  entry.set_to_consumers(true);
  entry.set_note("零售日汇总");
  AddOnHand(party, lot, -quantity, entry);
  if (lots_[static_cast<std::size_t>(lot)].expires < date_) {  // judged on the sale date
    NoteAnomaly("EXPIRED_SOLD", party, lot);
  }
  v1::Item item;
  *item.mutable_entry() = std::move(entry);
  Emit(party, std::move(item), false);
}

void Simulation::Model::Dispose(int party, int lot, std::int64_t quantity, const char* method) {
  E entry = NewEntry(party, E::DISPOSE);
  *entry.mutable_lot() = Ref(lot);
  entry.set_quantity(quantity);
  entry.set_unit(ProductOf(lot).unit);
  entry.set_dispose_method(method);
  AddOnHand(party, lot, -quantity, entry);
  v1::Item item;
  *item.mutable_entry() = std::move(entry);
  Emit(party, std::move(item), false);
}

void Simulation::Model::Transform(int party, int in_lot, std::int64_t in_quantity, int out_lot,
                                  std::int64_t out_quantity) {
  E entry = NewEntry(party, E::TRANSFORM);
  v1::TransformLine* in = entry.add_inputs();
  *in->mutable_lot() = Ref(in_lot);
  in->set_quantity(in_quantity);
  in->set_unit(ProductOf(in_lot).unit);
  v1::TransformLine* out = entry.add_outputs();
  *out->mutable_lot() = Ref(out_lot);
  out->set_quantity(out_quantity);
  out->set_unit(ProductOf(out_lot).unit);
  entry.set_note("分割包装");
  AddOnHand(party, in_lot, -in_quantity, entry);
  AddOnHand(party, out_lot, out_quantity, entry);
  lots_[static_cast<std::size_t>(in_lot)].derived.push_back(out_lot);
  v1::Item item;
  *item.mutable_entry() = std::move(entry);
  Emit(party, std::move(item), false);
}

}  // namespace foodtrace::sim
