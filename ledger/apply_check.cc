// Applier::Check — the stateful rules an item must pass before it is sequenced.
#include "foodtrace/common/crypto.h"
#include "foodtrace/common/text.h"
#include "ledger/apply.h"
#include "ledger/limits.h"

namespace foodtrace::ledger {
namespace {

Status UnknownParty(std::string_view role, std::string_view id, std::string_view hint) {
  return Status(Code::kNotFound, "UNKNOWN_PARTY",
                std::string(role) + " '" + std::string(id) + "' is not registered: " +
                    std::string(hint));
}

bool KeepsLedger(v1::Party::Kind kind) {
  return kind == v1::Party::VENDOR || kind == v1::Party::SUPPLIER || kind == v1::Party::MARKET ||
         kind == v1::Party::OPERATOR;
}

std::uint64_t DedupSequence(const std::optional<std::string>& v) {
  return v && v->size() == 8 ? DecodeBigEndian64(*v) : 0;
}

}  // namespace

std::optional<v1::Party> Applier::LoadParty(std::string_view party_id) {
  if (party_cache_ != nullptr) {
    auto it = party_cache_->find(std::string(party_id));
    if (it != party_cache_->end()) return it->second;
  }
  auto bytes = txn_->Get(Cf::kParties, PartyKey(party_id));
  if (!bytes) {
    if (party_id != kOperatorId) return std::nullopt;
    v1::Party op;  // the built-in operator exists before it is registered with its key
    op.set_party_id(std::string(kOperatorId));
    op.set_kind(v1::Party::OPERATOR);
    op.set_name("operator");
    return op;
  }
  v1::Party p;
  if (!p.ParseFromString(*bytes)) return std::nullopt;
  if (party_cache_ != nullptr) {
    if (party_cache_->size() >= kPartyCacheEntriesMax) party_cache_->clear();
    party_cache_->emplace(p.party_id(), p);
  }
  return p;
}

Status Applier::CheckRecorderKind(const v1::Party& recorder,
                                  std::initializer_list<v1::Party::Kind> kinds,
                                  std::string_view what) {
  if (recorder.kind() == v1::Party::OPERATOR) return Status::Ok();
  for (auto k : kinds) {
    if (recorder.kind() == k) return Status::Ok();
  }
  return Status::Denied("ROLE_NOT_ALLOWED", "party '" + recorder.party_id() + "' (" +
                                                v1::Party::Kind_Name(recorder.kind()) +
                                                ") may not record " + std::string(what));
}

Status Applier::Check(v1::Item* item, const std::string& recorded_by, std::uint64_t* dup) {
  *dup = 0;
  auto recorder = LoadParty(recorded_by);
  if (!recorder) return UnknownParty("sender", recorded_by, "ask the operator to register it");
  switch (item->body_case()) {
    case v1::Item::kEntry:
      return CheckEntry(item->mutable_entry(), *recorder, dup);
    case v1::Item::kParty:
      return CheckParty(item->party(), *recorder, dup);
    case v1::Item::kProduct: {
      // Regulators keep the registry too (bulk produce codes, corrections of what traders sent).
      FT_RETURN_IF_ERROR(CheckRecorderKind(
          *recorder, {v1::Party::VENDOR, v1::Party::SUPPLIER, v1::Party::MARKET, v1::Party::REGULATOR},
          "products"));
      const std::string digest = HexEncode(Sha256(item->product().SerializeAsString()));
      *dup = DedupSequence(txn_->Get(Cf::kDedup, GlobalDedupKey('P', digest)));
      return Status::Ok();
    }
    case v1::Item::kScan: {
      FT_RETURN_IF_ERROR(CheckRecorderKind(*recorder, {v1::Party::KIOSK}, "scans"));
      v1::Scan* scan = item->mutable_scan();
      if (recorder->kind() == v1::Party::KIOSK) scan->set_kiosk_id(recorder->party_id());
      if (scan->kiosk_id().empty()) scan->set_kiosk_id(recorded_by);
      *dup = DedupSequence(txn_->Get(Cf::kDedup, ScanDedupKey(scan->kiosk_id(), scan->event_id())));
      return Status::Ok();
    }
    case v1::Item::kRecall:
      FT_RETURN_IF_ERROR(CheckRecorderKind(*recorder, {v1::Party::REGULATOR}, "recalls"));
      *dup = DedupSequence(txn_->Get(Cf::kDedup, GlobalDedupKey('r', item->recall().recall_id())));
      return Status::Ok();
    case v1::Item::kTestResult: {
      FT_RETURN_IF_ERROR(CheckRecorderKind(*recorder, {v1::Party::REGULATOR, v1::Party::MARKET},
                                           "test results"));
      const auto& t = item->test_result();
      if (!LoadParty(t.party_id())) {
        return UnknownParty("tested party", t.party_id(), "register the party first");
      }
      *dup = DedupSequence(txn_->Get(Cf::kDedup, GlobalDedupKey('t', t.test_id())));
      return Status::Ok();
    }
    case v1::Item::kWebhook:
      FT_RETURN_IF_ERROR(CheckRecorderKind(*recorder, {v1::Party::REGULATOR}, "webhooks"));
      item->mutable_webhook()->set_owner_id(recorded_by);
      *dup = DedupSequence(txn_->Get(Cf::kDedup, GlobalDedupKey('w', item->webhook().webhook_id())));
      return Status::Ok();
    case v1::Item::BODY_NOT_SET:
      break;
  }
  return Status::Invalid("ITEM_EMPTY", "the item carries no record");
}

Status Applier::CheckParty(const v1::Party& party, const v1::Party& recorder,
                           std::uint64_t* dup) {
  const bool market_member = recorder.kind() == v1::Party::MARKET &&
                             (party.kind() == v1::Party::VENDOR ||
                              party.kind() == v1::Party::KIOSK) &&
                             party.market_id() == recorder.party_id();
  if (recorder.kind() != v1::Party::OPERATOR && !market_member) {
    return Status::Denied("ROLE_NOT_ALLOWED",
                          "only the operator, or a market for its own vendors and kiosks, may "
                          "register parties");
  }
  if (party.party_id() == kOperatorId && party.kind() != v1::Party::OPERATOR) {
    return Status::Invalid("PARTY_ID_RESERVED", "party id 'operator' is reserved");
  }
  const std::string digest = HexEncode(Sha256(party.SerializeAsString()));
  *dup = DedupSequence(txn_->Get(Cf::kDedup, GlobalDedupKey('p', party.party_id() + ":" + digest)));
  if (*dup != 0) return Status::Ok();
  if (!party.market_id().empty() && !LoadParty(party.market_id())) {
    return UnknownParty("market", party.market_id(), "register the market first");
  }
  for (const std::string& gln : party.glns()) {
    auto owner = txn_->Get(Cf::kParties, PartyByGlnKey(gln));
    if (owner && *owner != party.party_id()) {
      return Status(Code::kAlreadyExists, "GLN_IN_USE",
                    "GLN " + gln + " already belongs to party '" + *owner +
                        "': a GLN names one location of one party");
    }
  }
  if (!party.curve_public_key().empty()) {
    auto owner = txn_->Get(Cf::kParties, PartyByKeyKey(party.curve_public_key()));
    if (owner && *owner != party.party_id()) {
      return Status(Code::kAlreadyExists, "KEY_IN_USE",
                    "this public key already belongs to party '" + *owner +
                        "': generate a new key pair for '" + party.party_id() + "'");
    }
  }
  return Status::Ok();
}

Status Applier::CheckEntry(v1::LedgerEntry* entry, const v1::Party& recorder,
                           std::uint64_t* dup) {
  if (!entry->epcis_event_id().empty()) {
    // An EPCIS event is one event whoever sends it again, under whatever entry id.
    *dup = DedupSequence(txn_->Get(Cf::kDedup, EpcisEventKey(entry->epcis_event_id())));
    if (*dup != 0) return Status::Ok();
  }
  FT_RETURN_IF_ERROR(CheckLocation(entry));
  if (entry->party_id().empty()) entry->set_party_id(recorder.party_id());
  auto owner = LoadParty(entry->party_id());
  if (!owner) return UnknownParty("ledger owner", entry->party_id(), "register it first");
  if (owner->party_id() != recorder.party_id()) {
    const bool market_of_owner =
        recorder.kind() == v1::Party::MARKET && owner->market_id() == recorder.party_id();
    if (recorder.kind() != v1::Party::OPERATOR && !market_of_owner) {
      return Status::Denied("WRONG_PARTY", "the key of '" + recorder.party_id() +
                                               "' cannot write the ledger of '" +
                                               owner->party_id() + "': use that party's own key");
    }
  }
  if (!KeepsLedger(owner->kind())) {
    return Status::Denied("ROLE_NOT_ALLOWED", "party '" + owner->party_id() + "' (" +
                                                  v1::Party::Kind_Name(owner->kind()) +
                                                  ") keeps no purchase/sales ledger");
  }
  *dup = DedupSequence(txn_->Get(Cf::kDedup, EntryDedupKey(owner->party_id(), entry->event_id())));
  if (*dup != 0) return Status::Ok();
  return CheckEntryBody(entry, *owner, 0);
}

Status Applier::CheckLocation(v1::LedgerEntry* entry) {
  if (entry->location_gln().empty()) return Status::Ok();
  auto owner = txn_->Get(Cf::kParties, PartyByGlnKey(entry->location_gln()));
  if (!owner) {
    return Status(Code::kNotFound, "UNKNOWN_GLN",
                  "location GLN " + entry->location_gln() +
                      " is not registered to any party: register the party with this GLN "
                      "(foodtrace party add --gln) or record the entry without it");
  }
  if (entry->party_id().empty()) entry->set_party_id(*owner);
  if (*owner != entry->party_id()) {
    return Status::Invalid("GLN_NOT_OF_PARTY", "location GLN " + entry->location_gln() +
                                                   " belongs to party '" + *owner + "', not to '" +
                                                   entry->party_id() + "'");
  }
  return Status::Ok();
}

Status Applier::CheckLine(v1::TransformLine* line) {
  std::int64_t quantity = line->quantity();
  FT_RETURN_IF_ERROR(ResolveQuantity(line->lot(), line->pack(), line->pack_count(), &quantity,
                                     line->mutable_unit()));
  line->set_quantity(quantity);
  return CheckLot(line->lot(), line->unit());
}

Status Applier::CheckEntryBody(v1::LedgerEntry* entry_ptr, const v1::Party& owner, int depth) {
  const v1::LedgerEntry& entry = *entry_ptr;
  using E = v1::LedgerEntry;
  if (depth > kCorrectionDepthMax) {
    return Status::Exhausted("CORRECTION_TOO_DEEP", "corrections nest deeper than " +
                                                        std::to_string(kCorrectionDepthMax));
  }
  switch (entry.kind()) {
    case E::RECEIVE:
    case E::SHIP:
      FT_RETURN_IF_ERROR(CheckCounterparty(entry_ptr->mutable_counterparty()));
      [[fallthrough]];
    case E::DISPOSE:
    case E::STOCKTAKE: {
      std::int64_t quantity = entry.quantity();
      FT_RETURN_IF_ERROR(ResolveQuantity(entry.lot(), entry.pack(), entry.pack_count(), &quantity,
                                         entry_ptr->mutable_unit()));
      entry_ptr->set_quantity(quantity);
      return CheckLot(entry.lot(), entry.unit());
    }
    case E::TRANSFORM:
    case E::AGGREGATE:
      for (auto& line : *entry_ptr->mutable_inputs()) FT_RETURN_IF_ERROR(CheckLine(&line));
      for (auto& line : *entry_ptr->mutable_outputs()) FT_RETURN_IF_ERROR(CheckLine(&line));
      return Status::Ok();
    case E::CORRECT: {
      auto target = LoadEventById(owner.party_id(), entry.corrects_event_id());
      if (!target) {
        return Status::NotFound("entry '" + entry.corrects_event_id() + "' is not in the ledger of '" +
                                owner.party_id() + "': give the event id of the entry to correct");
      }
      auto corrected = txn_->Get(Cf::kDedup, CorrectedKey(owner.party_id(), entry.corrects_event_id()));
      if (corrected) {
        return Status(Code::kFailedPrecondition, "ALREADY_CORRECTED",
                      "entry '" + entry.corrects_event_id() + "' was already corrected (sequence " +
                          std::to_string(DecodeBigEndian64(*corrected)) +
                          "): correct that correction instead");
      }
      if (entry.has_replacement()) {
        return CheckEntryBody(entry_ptr->mutable_replacement(), owner, depth + 1);
      }
      return Status::Ok();
    }
    default:
      return Status::Invalid("ENTRY_KIND", "entry kind is missing");
  }
}

Status Applier::CheckCounterparty(v1::Counterparty* counterparty) {
  if (!counterparty->gln().empty()) {
    auto owner = txn_->Get(Cf::kParties, PartyByGlnKey(counterparty->gln()));
    if (owner && counterparty->party_id().empty()) counterparty->set_party_id(*owner);
    if (owner && *owner != counterparty->party_id()) {
      return Status::Invalid("GLN_NOT_OF_PARTY", "counterparty GLN " + counterparty->gln() +
                                                     " belongs to party '" + *owner + "', not to '" +
                                                     counterparty->party_id() + "'")
          .WithField("counterparty.gln");
    }
    const bool outside_named = counterparty->party_id().empty() && !counterparty->name().empty() &&
                               !counterparty->address().empty() && !counterparty->contact().empty();
    if (!owner && !outside_named) {
      return Status(Code::kNotFound, "UNKNOWN_GLN",
                    "counterparty GLN " + counterparty->gln() +
                        " is not registered to any party: register the party with this GLN "
                        "(foodtrace party add --gln), or give the business's name, address and "
                        "contact with it")
          .WithField("counterparty.gln")
          .WithDetail("got", counterparty->gln());
    }
  }
  if (counterparty->party_id().empty()) return Status::Ok();
  if (!LoadParty(counterparty->party_id())) {
    return UnknownParty("counterparty", counterparty->party_id(),
                        "register it first, or give its name, address and contact instead of an id")
        .WithField("counterparty.party_id")
        .WithDetail("got", counterparty->party_id());
  }
  return Status::Ok();
}

Status Applier::ResolveQuantity(const v1::LotRef& ref, const std::string& pack,
                                std::int64_t pack_count, std::int64_t* quantity, std::string* unit) {
  const std::string product_key = ProductKey(ref);
  std::optional<v1::Product> product;
  if (auto bytes = txn_->Get(Cf::kProducts, product_key)) {
    v1::Product p;
    if (p.ParseFromString(*bytes)) product = std::move(p);
  }
  if (!pack.empty()) {
    const v1::PackSize* declared = nullptr;
    if (product) {
      for (const auto& p : product->packs()) {
        if (p.name() == pack) declared = &p;
      }
    }
    if (declared != nullptr) {
      auto total = PackQuantity(pack_count, Quantity{declared->quantity(), declared->unit()});
      if (!total.ok()) return total.status();
      *quantity = total->amount;
      *unit = total->unit;
    } else if (*quantity <= 0 || unit->empty()) {
      return Status(Code::kFailedPrecondition, "PACK_UNKNOWN",
                    "product " + product_key + " declares no pack '" + pack +
                        "': register its pack size (foodtrace product add --pack " + pack +
                        "=24H87) or record the quantity in pieces, weight or volume");
    }
  }
  // A lot counted in pieces takes weight or volume (and the other way round) when the product
  // says how much one piece holds.
  if (!product || product->piece_quantity() <= 0) return Status::Ok();
  auto bytes = txn_->Get(Cf::kLots, LotKey(product_key, ref.lot()));
  v1::Lot lot;
  if (!bytes || !lot.ParseFromString(*bytes) || lot.unit().empty() ||
      lot.unit() == BaseUnit(*unit).unit || BaseUnit(*unit).factor == 0) {
    return Status::Ok();
  }
  auto converted = ConvertQuantity(Quantity{*quantity, *unit}, lot.unit(),
                                   Quantity{product->piece_quantity(), product->piece_unit()});
  if (!converted.ok()) {
    if (converted.status().reason() == "UNIT_MISMATCH") return Status::Ok();  // CheckLot says it
    return converted.status();
  }
  *quantity = *converted;
  *unit = lot.unit();
  return Status::Ok();
}

Status Applier::CheckLot(const v1::LotRef& ref, std::string_view unit) {
  const UnitBase base = BaseUnit(unit);
  if (base.factor == 0) return Status::Invalid("UNIT_UNKNOWN", "unknown unit '" + std::string(unit) + "'");
  auto bytes = txn_->Get(Cf::kLots, LotKey(ProductKey(ref), ref.lot()));
  if (!bytes) return Status::Ok();
  v1::Lot lot;
  if (!lot.ParseFromString(*bytes)) return Status::Corruption("stored lot record does not decode");
  const std::string where = "lot '" + ref.lot() + "' of " + ProductKey(ref);
  if (!lot.unit().empty() && lot.unit() != base.unit) {
    return Status::Invalid("UNIT_MISMATCH", where + " is counted in " + lot.unit() +
                                                "; this entry uses " + std::string(unit) +
                                                ", which does not convert: use " + lot.unit())
        .WithField("unit")
        .WithDetail("expected", lot.unit())
        .WithDetail("got", std::string(unit));
  }
  const auto& stored = lot.ref();
  if (!ref.expires_on().empty() && !stored.expires_on().empty() &&
      ref.expires_on() != stored.expires_on()) {
    return Status::Invalid("LOT_MISMATCH", where + " is recorded as expiring " +
                                               stored.expires_on() + ", this entry says " +
                                               ref.expires_on() + ": check the label")
        .WithField("lot.expires_on")
        .WithDetail("expected", stored.expires_on())
        .WithDetail("got", ref.expires_on());
  }
  if (!ref.produced_on().empty() && !stored.produced_on().empty() &&
      ref.produced_on() != stored.produced_on()) {
    return Status::Invalid("LOT_MISMATCH", where + " is recorded as produced " +
                                               stored.produced_on() + ", this entry says " +
                                               ref.produced_on() + ": check the label")
        .WithField("lot.produced_on")
        .WithDetail("expected", stored.produced_on())
        .WithDetail("got", ref.produced_on());
  }
  return Status::Ok();
}

std::optional<v1::Event> Applier::LoadEventById(std::string_view party, std::string_view event_id) {
  auto seq = txn_->Get(Cf::kDedup, EntryDedupKey(party, event_id));
  if (!seq || seq->size() != 8) return std::nullopt;
  auto record_bytes = txn_->Get(Cf::kLog, *seq);
  if (!record_bytes) return std::nullopt;
  v1::LogRecord record;
  v1::Event event;
  if (!record.ParseFromString(*record_bytes) || !event.ParseFromString(record.event())) {
    return std::nullopt;
  }
  return event;
}

}  // namespace foodtrace::ledger
