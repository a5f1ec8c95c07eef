// Streaming rules on ledger entries: NEGATIVE_STOCK, EXPIRED_SOLD, RECALLED_SOLD,
// UNVERIFIED_SUPPLIER, LICENCE_EXPIRED, and the UNCONFIRMED_RECEIPT watch of each shipment to
// a registered party. Dispatches the other record kinds to rules_recall.cc.
#include <algorithm>

#include "alerts/rules.h"

namespace foodtrace::alerts {
namespace {

using A = v1::Alert;
using E = v1::LedgerEntry;

std::string Seq(const v1::Event& event) { return std::to_string(event.sequence()); }

std::string LotName(const v1::LotRef& lot) {
  return (lot.product_name().empty() ? ledger::ProductKey(lot) : lot.product_name()) + " lot " + lot.lot();
}

void AddEntryFacts(const v1::Event& event, const E& entry, A* alert) {
  auto& f = *alert->mutable_facts();
  f["event_id"] = entry.event_id();
  f["sequence"] = Seq(event);
  f["entry_kind"] = E::Kind_Name(entry.kind());
  f["occurred_on"] = entry.occurred_on();
  f["quantity"] = std::to_string(entry.quantity());
  f["unit"] = entry.unit();
  if (!entry.counterparty().party_id().empty()) f["counterparty_id"] = entry.counterparty().party_id();
  if (!entry.counterparty().name().empty()) f["counterparty_name"] = entry.counterparty().name();
}

// A holding of the entry's own party crossed below zero (or, replayed, is below zero now).
void NegativeStock(RuleContext& ctx, const v1::Event& event, const std::vector<ledger::HoldingChange>& changes,
                   ledger::AlertBatch* batch) {
  const E& entry = event.entry();
  std::vector<ledger::HoldingChange> negative;
  if (!changes.empty()) {
    for (const auto& c : changes) {
      if (c.party_id == entry.party_id() && c.on_hand_after < 0 && c.on_hand_before >= 0) negative.push_back(c);
    }
  } else if (entry.kind() == E::SHIP || entry.kind() == E::DISPOSE) {
    const std::string product = ledger::ProductKey(entry.lot());
    auto h = ctx.ledger().HoldingCounts(entry.party_id(), product, entry.lot().lot());
    if (h.ok() && h->on_hand < 0) negative.push_back({entry.party_id(), product, entry.lot().lot(), 0, h->on_hand, 0, 0});
  }
  for (const auto& c : negative) {
    A alert = NewAlert(ctx, A::NEGATIVE_STOCK, A::WARNING, c.party_id, c.product, c.lot,
                       "NEGATIVE_STOCK|" + c.party_id + "|" + c.product + "|" + c.lot + "|" + Seq(event),
                       c.party_id + " recorded more of lot " + c.lot + " going out than it received (on hand " +
                           std::to_string(c.on_hand_after) + ")");
    AddEntryFacts(event, entry, &alert);
    (*alert.mutable_facts())["on_hand_after"] = std::to_string(c.on_hand_after);
    batch->Raise(std::move(alert));
  }
}

void ExpiredSold(RuleContext& ctx, const v1::Event& event, ledger::AlertBatch* batch) {
  const E& entry = event.entry();
  std::string expires = entry.lot().expires_on();
  const std::string product = ledger::ProductKey(entry.lot());
  if (expires.empty()) {
    if (auto lot = ctx.ledger().GetLot(product, entry.lot().lot()); lot.ok()) expires = lot->ref().expires_on();
  }
  auto expiry = Date::Parse(expires);
  if (!expiry.ok()) return;
  // The day of the sale decides, not the day it was recorded: a vendor importing last month's
  // sales ledger sold those goods before they expired, and a flood of false alarms would bury
  // the real ones. (Validation already refuses sale dates in the future.)
  auto sold_on = Date::Parse(entry.occurred_on());
  const Date sale_day = sold_on.ok() ? *sold_on : ctx.DateOf(event.recorded_at_ms());
  if (!(*expiry < sale_day)) return;
  A alert = NewAlert(ctx, A::EXPIRED_SOLD, A::CRITICAL, entry.party_id(), product, entry.lot().lot(),
                     "EXPIRED_SOLD|" + entry.party_id() + "|" + product + "|" + entry.lot().lot() + "|" + Seq(event),
                     entry.party_id() + " sold " + LotName(entry.lot()) + ", which expired on " + expires);
  AddEntryFacts(event, entry, &alert);
  (*alert.mutable_facts())["expires_on"] = expires;
  batch->Raise(std::move(alert));
}

// A SHIP back to a party that supplied the lot is a return (what a recall asks for), not a sale.
bool IsReturnToSupplier(RuleContext& ctx, const E& entry, const std::string& product) {
  const std::string& to = entry.counterparty().party_id();
  if (to.empty() || entry.to_consumers()) return false;
  auto up = ctx.ledger().TraceUp(entry.party_id(), product, entry.lot().lot(), 0);
  if (!up.ok()) return false;
  return std::any_of(up->chain.begin(), up->chain.end(),
                     [&](const ledger::TraceUpStep& s) { return s.depth == 0 && s.received_from == to; });
}

void RecalledSold(RuleContext& ctx, const v1::Event& event, ledger::AlertBatch* batch) {
  const E& entry = event.entry();
  const std::string product = ledger::ProductKey(entry.lot());
  const std::vector<std::string> recalls = ctx.RecallsCovering(product, entry.lot().lot());
  if (recalls.empty() || IsReturnToSupplier(ctx, entry, product)) return;
  for (const std::string& recall_id : recalls) {
    A alert = NewAlert(ctx, A::RECALLED_SOLD, A::CRITICAL, entry.party_id(), product, entry.lot().lot(),
                       "RECALLED_SOLD|" + recall_id + "|" + entry.party_id() + "|" + product + "|" +
                           entry.lot().lot() + "|" + Seq(event),
                       entry.party_id() + " shipped " + LotName(entry.lot()) + " after recall " + recall_id);
    alert.set_recall_id(recall_id);
    AddEntryFacts(event, entry, &alert);
    (*alert.mutable_facts())["buyer"] =
        entry.to_consumers() ? "consumers"
                             : (entry.counterparty().party_id().empty() ? entry.counterparty().name()
                                                                        : entry.counterparty().party_id());
    batch->Raise(std::move(alert));
  }
}

// A shipment to another registered party: look again after the grace period.
void WatchShipment(RuleContext& ctx, const v1::Event& event, ledger::AlertBatch* batch) {
  const E& entry = event.entry();
  const std::string& to = entry.counterparty().party_id();
  if (entry.to_consumers() || to.empty() || to == entry.party_id()) return;
  v1::AlertWatch w;
  w.set_rule("UNCONFIRMED_RECEIPT");
  w.set_due_at_ms(event.recorded_at_ms() + ctx.options().unconfirmed_grace_ms);
  w.set_party_id(to);
  w.set_counterparty_id(entry.party_id());
  w.set_product(ledger::ProductKey(entry.lot()));
  w.set_lot(entry.lot().lot());
  w.set_quantity(entry.quantity());
  w.set_unit(entry.unit());
  w.set_sequence(event.sequence());
  batch->PutWatch(w, Seq(event));
}

// REGULATION rule 2: a purchase from an unregistered supplier with neither a licence (or
// USCC) nor any conformity document.
void UnverifiedSupplier(RuleContext& ctx, const v1::Event& event, ledger::AlertBatch* batch) {
  const E& entry = event.entry();
  const v1::Counterparty& c = entry.counterparty();
  if (!c.party_id().empty() || !c.licence().empty() || !c.uscc().empty() || entry.documents_size() > 0) return;
  A alert = NewAlert(ctx, A::UNVERIFIED_SUPPLIER, A::WARNING, entry.party_id(), ledger::ProductKey(entry.lot()),
                     entry.lot().lot(), "UNVERIFIED_SUPPLIER|" + entry.party_id() + "|" + Seq(event),
                     entry.party_id() + " bought " + LotName(entry.lot()) + " from '" + c.name() +
                         "' without a licence or certificate (查验缺失)");
  AddEntryFacts(event, entry, &alert);
  (*alert.mutable_facts())["supplier_name"] = c.name();
  batch->Raise(std::move(alert));
}

void LicenceExpired(RuleContext& ctx, const v1::Event& event, ledger::AlertBatch* batch) {
  const E& entry = event.entry();
  auto party = ctx.ledger().GetParty(entry.party_id());
  if (!party.ok() || party->licence_valid_to().empty()) return;
  auto valid_to = Date::Parse(party->licence_valid_to());
  if (!valid_to.ok() || !(*valid_to < ctx.DateOf(event.recorded_at_ms()))) return;
  A alert = NewAlert(ctx, A::LICENCE_EXPIRED, A::WARNING, entry.party_id(), "", "",
                     "LICENCE_EXPIRED|" + entry.party_id() + "|" + party->licence_valid_to(),
                     entry.party_id() + " is trading on a licence that expired on " + party->licence_valid_to());
  AddEntryFacts(event, entry, &alert);
  (*alert.mutable_facts())["licence"] = party->licence();
  (*alert.mutable_facts())["licence_valid_to"] = party->licence_valid_to();
  batch->Raise(std::move(alert));
}

}  // namespace

void RunStreamingRules(RuleContext& ctx, const v1::Event& event,
                       const std::vector<ledger::HoldingChange>& changes, ledger::AlertBatch* batch) {
  switch (event.body_case()) {
    case v1::Event::kRecall:
      return RunRecallRules(ctx, event, batch);
    case v1::Event::kTestResult:
      return RunTestResultRules(ctx, event, batch);
    case v1::Event::kScan:
      return RunScanRules(ctx, event, batch);
    case v1::Event::kEntry:
      break;
    default:
      return;
  }
  const E& entry = event.entry();
  LicenceExpired(ctx, event, batch);
  NegativeStock(ctx, event, changes, batch);
  if (entry.kind() == E::SHIP) {
    ExpiredSold(ctx, event, batch);
    RecalledSold(ctx, event, batch);
    WatchShipment(ctx, event, batch);
  } else if (entry.kind() == E::RECEIVE) {
    UnverifiedSupplier(ctx, event, batch);
  }
}

const std::string& RuleContext::MarketOf(const std::string& party_id) {
  auto it = markets_.find(party_id);
  if (it != markets_.end()) return it->second;
  std::string market;
  if (auto p = ledger_.GetParty(party_id); p.ok()) {
    market = p->kind() == v1::Party::MARKET ? p->party_id() : p->market_id();
  }
  return markets_.emplace(party_id, std::move(market)).first->second;
}

void RuleContext::PrefetchMarkets(const std::vector<std::string>& party_ids) {
  std::vector<std::string> missing;
  for (const std::string& id : party_ids) {
    if (markets_.find(id) == markets_.end()) missing.push_back(id);
  }
  if (missing.empty()) return;
  auto parties = ledger_.GetParties(missing);
  if (!parties.ok()) return;  // MarketOf then reads them one by one
  for (std::size_t i = 0; i < missing.size(); ++i) {
    const auto& p = (*parties)[i];
    std::string market = !p ? "" : p->kind() == v1::Party::MARKET ? p->party_id() : p->market_id();
    markets_.emplace(missing[i], std::move(market));
  }
}

std::vector<std::string> RuleContext::RecallsCovering(const std::string& product, const std::string& lot) {
  std::set<std::string> ids;
  if (auto stored = store_.RecallsCovering(product, lot); stored.ok()) ids.insert(stored->begin(), stored->end());
  if (auto it = covered_.find({product, lot}); it != covered_.end()) ids.insert(it->second.begin(), it->second.end());
  return {ids.begin(), ids.end()};
}

void RuleContext::NoteCovered(const std::string& product, const std::string& lot, const std::string& recall_id) {
  covered_[{product, lot}].insert(recall_id);
}

v1::Alert NewAlert(RuleContext& ctx, v1::Alert::Kind kind, v1::Alert::Severity severity,
                   const std::string& party_id, const std::string& product, const std::string& lot,
                   std::string dedup_key, std::string message) {
  v1::Alert a;
  a.set_kind(kind);
  a.set_severity(severity);
  a.set_party_id(party_id);
  a.set_market_id(ctx.MarketOf(party_id));
  if (product.rfind("C:", 0) == 0) {
    a.set_product_code(product.substr(2));
  } else {
    a.set_gtin(product);
  }
  a.set_lot(lot);
  a.set_dedup_key(std::move(dedup_key));
  a.set_message(std::move(message));
  a.set_created_at_ms(ctx.now());
  return a;
}

bool SplitLotId(const std::string& id, std::string* product, std::string* lot) {
  const std::size_t bar = id.find('|');
  if (bar == std::string::npos) return false;
  *product = id.substr(0, bar);
  *lot = id.substr(bar + 1);
  return true;
}

}  // namespace foodtrace::alerts
