// Applier::Apply — every index an event touches. Never fails (Check() rejected what could).
#include "foodtrace/common/crypto.h"
#include "foodtrace/common/text.h"
#include "ledger/apply.h"
#include "ledger/limits.h"

namespace foodtrace::ledger {

std::string FlowPartyOf(const v1::Counterparty& counterparty) {
  if (!counterparty.party_id().empty()) return counterparty.party_id();
  if (!counterparty.name().empty()) return "ext:" + counterparty.name();
  return "consumers";
}

std::string MarketKeyOfParty(const v1::Party& party) {
  return party.kind() == v1::Party::MARKET ? party.party_id() : party.market_id();
}

std::string Applier::MarketKeyOf(std::string_view party_id) {
  auto party = LoadParty(party_id);
  return party ? MarketKeyOfParty(*party) : std::string();
}

Date LedgerDateOf(const v1::Event& event) {
  // Validation fills every entry's occurred_on with a market date. Corrections stored before it
  // did may lack one: they were indexed on their recording day at UTC+08:00, and replay (verify)
  // must index them the same way whatever zone the server runs in now.
  const Result<Date> parsed = Date::Parse(event.entry().occurred_on());
  return parsed.ok() ? *parsed : DateAt(event.recorded_at_ms(), kChinaUtcOffsetMinutes);
}

v1::LedgerLine LedgerLineOf(const v1::Event& event) {
  const v1::LedgerEntry& entry = event.entry();
  v1::LedgerLine line;
  line.set_event_id(entry.event_id());
  line.set_kind(entry.kind());
  line.set_gtin(entry.lot().gtin());
  line.set_product_code(entry.lot().product_code());
  line.set_lot(entry.lot().lot());
  line.set_product_name(entry.lot().product_name());
  line.set_expires_on(entry.lot().expires_on());
  line.set_quantity(entry.quantity());
  line.set_unit(entry.unit());
  line.set_occurred_on(entry.occurred_on());
  line.set_counterparty_id(entry.counterparty().party_id());
  line.set_counterparty_name(entry.counterparty().name());
  line.set_counterparty_licence(entry.counterparty().licence());
  line.set_to_consumers(entry.to_consumers());
  line.set_recorded_at_ms(event.recorded_at_ms());
  line.set_recorded_by(event.recorded_by());
  line.set_stocktake_delta(event.stocktake_delta());
  line.set_corrects_event_id(entry.corrects_event_id());
  line.set_documents(entry.documents_size());
  return line;
}

std::int64_t Applier::ToBase(std::int64_t quantity, std::string_view unit) const {
  return quantity * BaseUnit(unit).factor;
}

void Applier::Apply(v1::Event* event, bool live, std::vector<HoldingChange>* changes) {
  touched_.clear();
  const std::string seq_key = LogKey(event->sequence());
  switch (event->body_case()) {
    case v1::Event::kEntry: {
      const v1::LedgerEntry& entry = event->entry();
      if (live && entry.kind() == v1::LedgerEntry::STOCKTAKE) {
        const std::string product = ProductKey(entry.lot());
        const HoldingValue now =
            txn_->GetHolding(HoldingKey(entry.party_id(), product, entry.lot().lot()));
        event->set_stocktake_delta(ToBase(entry.quantity(), entry.unit()) - now.on_hand);
      }
      txn_->Put(Cf::kDedup, EntryDedupKey(entry.party_id(), entry.event_id()), seq_key);
      txn_->Put(Cf::kPartyLedger, PartyLedgerKey(entry.party_id(), LedgerDateOf(*event), event->sequence()),
                LedgerLineOf(*event).SerializeAsString());
      if (!entry.epcis_event_id().empty()) {
        txn_->Put(Cf::kDedup, EpcisEventKey(entry.epcis_event_id()), seq_key);
      }
      if (entry.kind() == v1::LedgerEntry::CORRECT) {
        ApplyCorrect(event, live, +1, 0);
      } else {
        ApplyEntry(*event, entry, +1, event->stocktake_delta(), 0);
      }
      break;
    }
    case v1::Event::kParty:
      ApplyParty(*event);
      break;
    case v1::Event::kRecall:
      ApplyRecall(*event);
      break;
    case v1::Event::kTestResult:
      ApplyTestResult(*event);
      break;
    default:
      ApplyOtherRecord(*event);
      break;
  }
  FinishTouched(changes);
}

void Applier::ApplyEntry(const v1::Event& event, const v1::LedgerEntry& entry, int sign,
                         std::int64_t stocktake_delta, int depth) {
  using E = v1::LedgerEntry;
  FT_CHECK(depth <= kCorrectionDepthMax + 1);
  const std::string& party = event.entry().party_id();  // a replacement belongs to the owner
  switch (entry.kind()) {
    case E::RECEIVE:
      ApplyReceive(event, entry, sign);
      break;
    case E::SHIP:
      ApplyShip(event, entry, sign);
      break;
    case E::DISPOSE: {
      const std::string product = EnsureLot(entry.lot(), event, entry.unit(), "");
      AddToHolding(party, product, entry.lot().lot(),
                   {-sign * ToBase(entry.quantity(), entry.unit()), 0});
      break;
    }
    case E::STOCKTAKE: {
      const std::string product = EnsureLot(entry.lot(), event, entry.unit(), "");
      AddToHolding(party, product, entry.lot().lot(), {sign * stocktake_delta, 0});
      break;
    }
    case E::TRANSFORM:
      ApplyTransform(event, entry, sign);
      break;
    case E::AGGREGATE:
      break;  // packing into a logistic unit moves nothing: the entry is in the log and ledger
    case E::CORRECT: {
      v1::Event copy = event;  // a nested correction being reversed or re-applied
      if (&entry != &event.entry()) *copy.mutable_entry() = entry;
      ApplyCorrect(&copy, false, sign, depth);
      break;
    }
    default:
      FT_CHECK(false && "entry kind passed validation");
  }
}

void Applier::ApplyReceive(const v1::Event& event, const v1::LedgerEntry& entry, int sign) {
  const std::string& party = event.entry().party_id();
  const std::string product = EnsureLot(entry.lot(), event, entry.unit(), "");
  const std::int64_t q = ToBase(entry.quantity(), entry.unit());
  AddToHolding(party, product, entry.lot().lot(), {sign * q, 0});
  AddToFlow(product, entry.lot().lot(), FlowPartyOf(entry.counterparty()), party, 0, sign * q,
            event, BaseUnit(entry.unit()).unit);
}

void Applier::ApplyShip(const v1::Event& event, const v1::LedgerEntry& entry, int sign) {
  const std::string& party = event.entry().party_id();
  const std::string product = EnsureLot(entry.lot(), event, entry.unit(), "");
  const std::int64_t q = ToBase(entry.quantity(), entry.unit());
  AddToHolding(party, product, entry.lot().lot(), {-sign * q, 0});
  const std::string to = entry.to_consumers() ? "consumers" : FlowPartyOf(entry.counterparty());
  AddToFlow(product, entry.lot().lot(), party, to, sign * q, 0, event, BaseUnit(entry.unit()).unit);
}

void Applier::ApplyTransform(const v1::Event& event, const v1::LedgerEntry& entry, int sign) {
  const std::string& party = event.entry().party_id();
  std::string first_input;
  std::vector<std::pair<std::string, std::string>> inputs;
  for (const auto& line : entry.inputs()) {
    const std::string product = EnsureLot(line.lot(), event, line.unit(), "");
    AddToHolding(party, product, line.lot().lot(), {-sign * ToBase(line.quantity(), line.unit()), 0});
    inputs.emplace_back(product, line.lot().lot());
    if (first_input.empty()) first_input = product + "|" + line.lot().lot();
  }
  v1::TransformRecord record;
  record.set_party_id(party);
  record.set_sequence(event.sequence());
  const std::string record_bytes = record.SerializeAsString();
  for (const auto& line : entry.outputs()) {
    const std::string product = EnsureLot(line.lot(), event, line.unit(), first_input);
    const std::int64_t q = ToBase(line.quantity(), line.unit());
    AddToHolding(party, product, line.lot().lot(), {sign * q, 0});
    AddToFlow(product, line.lot().lot(), "xf:" + party, party, 0, sign * q, event,
              BaseUnit(line.unit()).unit);
    // Edges are kept after a reversal: a recall errs on the side of covering too much.
    for (const auto& [in_product, in_lot] : inputs) {
      if (txn_->Get(Cf::kTransforms, Key({"F", in_product, in_lot, product, line.lot().lot()}))) {
        continue;
      }
      txn_->Put(Cf::kTransforms, Key({"F", in_product, in_lot, product, line.lot().lot()}),
                record_bytes);
      txn_->Put(Cf::kTransforms, Key({"R", product, line.lot().lot(), in_product, in_lot}),
                record_bytes);
    }
  }
}

void Applier::ApplyCorrect(v1::Event* event, bool live, int sign, int depth) {
  const v1::LedgerEntry& entry = event->entry();
  const std::string& party = entry.party_id();
  auto target = LoadEventById(party, entry.corrects_event_id());
  FT_CHECK(target.has_value());  // Check() found it; the log is append-only
  ApplyEntry(*target, target->entry(), -sign, target->stocktake_delta(), depth + 1);
  if (entry.has_replacement()) {
    const v1::LedgerEntry& r = entry.replacement();
    if (live && r.kind() == v1::LedgerEntry::STOCKTAKE) {
      // Counted against the state after the corrected entry was taken back.
      const HoldingValue now = txn_->GetHolding(HoldingKey(party, ProductKey(r.lot()), r.lot().lot()));
      event->set_stocktake_delta(ToBase(r.quantity(), r.unit()) - now.on_hand);
    }
    ApplyEntry(*event, r, sign, event->stocktake_delta(), depth + 1);
  }
  const std::string marker = CorrectedKey(party, entry.corrects_event_id());
  if (sign > 0) {
    txn_->Put(Cf::kDedup, marker, LogKey(event->sequence()));
  } else {
    txn_->Delete(Cf::kDedup, marker);
  }
}

std::string Applier::EnsureLot(const v1::LotRef& ref, const v1::Event& event,
                               std::string_view unit, std::string_view transformed_from) {
  const std::string product = ProductKey(ref);
  const std::string key = LotKey(product, ref.lot());
  auto bytes = txn_->Get(Cf::kLots, key);
  v1::Lot lot;
  if (bytes) {
    FT_CHECK(lot.ParseFromString(*bytes));
    // Complete blanks from later records; Check() made sure nothing disagrees.
    v1::LotRef* stored = lot.mutable_ref();
    bool changed = false;
    auto fill = [&](std::string* have, const std::string& give) {
      if (have->empty() && !give.empty()) {
        *have = give;
        changed = true;
      }
    };
    const bool had_expiry = !stored->expires_on().empty();
    fill(stored->mutable_product_name(), ref.product_name());
    fill(stored->mutable_specification(), ref.specification());
    fill(stored->mutable_produced_on(), ref.produced_on());
    fill(stored->mutable_expires_on(), ref.expires_on());
    if (!changed) return product;
    txn_->Put(Cf::kLots, key, lot.SerializeAsString());
    if (!had_expiry && !stored->expires_on().empty()) {
      // Index the holders that were waiting for an expiry date.
      auto expires = Date::Parse(stored->expires_on());
      txn_->Scan(Cf::kLotParties, key + std::string(1, '\0'), [&](std::string_view k, std::string_view) {
        const std::string party(k.substr(key.size() + 1));
        if (txn_->GetHolding(HoldingKey(party, product, ref.lot())).held() && expires.ok()) {
          txn_->Put(Cf::kExpiry, ExpiryKey(MarketKeyOf(party), *expires, party, product, ref.lot()), "");
          txn_->Put(Cf::kPartyExpiry, PartyExpiryKey(party, *expires, product, ref.lot()), "");
        }
        return true;
      });
    }
    return product;
  }
  *lot.mutable_ref() = ref;
  lot.set_unit(std::string(BaseUnit(unit).unit));
  lot.set_first_seen_at_ms(event.recorded_at_ms());
  lot.set_first_recorded_by(event.recorded_by());
  lot.set_state(v1::Lot::NORMAL);
  lot.set_transformed_from(std::string(transformed_from));
  txn_->Put(Cf::kLots, key, lot.SerializeAsString());
  return product;
}

void Applier::AddToHolding(std::string_view party, std::string_view product, std::string_view lot,
                           HoldingValue delta) {
  const std::string key = HoldingKey(party, product, lot);
  auto it = touched_.find(key);
  if (it == touched_.end()) {
    const HoldingValue before = txn_->GetHolding(key);
    touched_.emplace(key, Touched{std::string(party), std::string(product), std::string(lot), before});
    // A non-zero holding was touched before, so the lot already lists the party.
    const std::string member = Key({product, lot, party});
    if (before == HoldingValue{} && !txn_->Get(Cf::kLotParties, member)) {
      txn_->Put(Cf::kLotParties, member, "");
    }
  }
  txn_->AddHolding(key, delta);
}

void Applier::AddToFlow(std::string_view product, std::string_view lot, std::string_view from,
                        std::string_view to, std::int64_t shipped, std::int64_t received,
                        const v1::Event& event, std::string_view unit) {
  const std::string key = Key({product, lot, from, to});
  v1::FlowRecord flow;
  if (auto bytes = txn_->Get(Cf::kFlows, key)) FT_CHECK(flow.ParseFromString(*bytes));
  const std::int64_t unconfirmed_before = std::max<std::int64_t>(0, flow.shipped() - flow.received());
  flow.set_shipped(flow.shipped() + shipped);
  flow.set_received(flow.received() + received);
  if (flow.unit().empty()) flow.set_unit(std::string(unit));
  if (flow.first_on().empty()) flow.set_first_on(event.entry().occurred_on());
  if (shipped > 0) flow.set_ship_sequence(event.sequence());
  if (received > 0) flow.set_receive_sequence(event.sequence());
  txn_->Put(Cf::kFlows, key, flow.SerializeAsString());
  // Goods shipped to a registered party count as held there until it records the receipt.
  const bool registered_sender = from.rfind("ext:", 0) != 0 && from.rfind("xf:", 0) != 0;
  const bool registered_receiver = to != "consumers" && to.rfind("ext:", 0) != 0;
  if (registered_sender && registered_receiver && from != to) {
    const std::int64_t unconfirmed_after = std::max<std::int64_t>(0, flow.shipped() - flow.received());
    if (unconfirmed_after != unconfirmed_before) {
      AddToHolding(to, product, lot, {0, unconfirmed_after - unconfirmed_before});
    }
  }
}

void Applier::FinishTouched(std::vector<HoldingChange>* changes) {
  for (auto& [key, t] : touched_) {
    const HoldingValue after = txn_->GetHolding(key);
    if (t.before.held() != after.held()) {
      auto lot_bytes = txn_->Get(Cf::kLots, LotKey(t.product, t.lot));
      v1::Lot lot;
      if (lot_bytes && lot.ParseFromString(*lot_bytes) && !lot.ref().expires_on().empty()) {
        auto expires = Date::Parse(lot.ref().expires_on());
        if (expires.ok()) {
          const std::string ekey = ExpiryKey(MarketKeyOf(t.party), *expires, t.party, t.product, t.lot);
          const std::string pkey = PartyExpiryKey(t.party, *expires, t.product, t.lot);
          if (after.held()) {
            txn_->Put(Cf::kExpiry, ekey, "");
            txn_->Put(Cf::kPartyExpiry, pkey, "");
          } else {
            txn_->Delete(Cf::kExpiry, ekey);
            txn_->Delete(Cf::kPartyExpiry, pkey);
          }
        }
      }
    }
    if (changes != nullptr) {
      changes->push_back(HoldingChange{t.party, t.product, t.lot, t.before.on_hand, after.on_hand,
                                       t.before.unconfirmed, after.unconfirmed});
    }
  }
  touched_.clear();
}

}  // namespace foodtrace::ledger
