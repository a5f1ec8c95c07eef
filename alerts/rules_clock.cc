// Clock rules: NEAR_EXPIRY and EXPIRED_IN_STOCK from the ledger's expiry index (cost ∝ the
// holdings in the window, never a scan of all holdings), UNCONFIRMED_RECEIPT and
// RECALL_OVERDUE from the watches the streaming rules left (cost ∝ the watches due).
#include <algorithm>

#include "alerts/limits.h"
#include "alerts/rules.h"

namespace foodtrace::alerts {
namespace {

using A = v1::Alert;

std::string ProductOf(const ledger::Holding& h) {
  return ledger::ProductKey(h.gtin(), h.product_code());
}

// Shelf life L in days: the label's, else expiry − production + 1 (rule 9: the last sellable
// day is production + L − 1), else the product record's; 0 when unknown.
int ShelfLifeDays(RuleContext& ctx, const std::string& product, const std::string& lot_code,
                  Date expires) {
  auto lot = ctx.ledger().GetLot(product, lot_code);
  if (lot.ok()) {
    if (lot->ref().shelf_life_days() > 0) return lot->ref().shelf_life_days();
    if (auto produced = Date::Parse(lot->ref().produced_on()); produced.ok()) return (expires - *produced) + 1;
  }
  if (auto p = ctx.ledger().GetProduct(product); p.ok() && p->shelf_life_days() > 0) return p->shelf_life_days();
  return 0;
}

int MaxThresholdDays(const std::vector<NearExpiryTable>& versions) {
  int t = 0;
  for (const auto& v : versions) {
    for (const auto& tier : v.tiers) t = std::max(t, tier.threshold_days);
  }
  return t;
}

A HoldingAlert(RuleContext& ctx, A::Kind kind, A::Severity severity, const ledger::Holding& h,
               const std::string& message) {
  const std::string product = ProductOf(h);
  A alert = NewAlert(ctx, kind, severity, h.party_id(), product, h.lot(),
                     A::Kind_Name(kind) + "|" + h.party_id() + "|" + product + "|" + h.lot(), message);
  auto& f = *alert.mutable_facts();
  f["expires_on"] = h.expires_on();
  f["quantity"] = std::to_string(h.quantity());
  f["unit"] = h.unit();
  f["product_name"] = h.product_name();
  return alert;
}

Status ExpiryRules(RuleContext& ctx, ledger::AlertBatch* batch, bool* truncated) {
  const Date today = ctx.today();
  auto expired = ctx.ledger().Expiring(Date::FromYmd(kDateYearMin, 1, 1), today.AddDays(-1), kSweepRowsMax);
  if (!expired.ok()) return expired.status();
  if (expired->size() >= kSweepRowsMax) *truncated = true;
  for (const ledger::Holding& h : *expired) {
    batch->Raise(HoldingAlert(ctx, A::EXPIRED_IN_STOCK, A::CRITICAL, h,
                              h.party_id() + " still holds " + std::to_string(h.quantity()) + " " + h.unit() +
                                  " of lot " + h.lot() + ", expired on " + h.expires_on() +
                                  ": take it off sale and record its disposal"));
  }
  const int horizon = MaxThresholdDays(ctx.options().near_expiry);
  auto soon = ctx.ledger().Expiring(today, today.AddDays(horizon), kSweepRowsMax);
  if (!soon.ok()) return soon.status();
  if (soon->size() >= kSweepRowsMax) *truncated = true;
  for (const ledger::Holding& h : *soon) {
    auto expires = Date::Parse(h.expires_on());
    if (!expires.ok()) continue;
    const int shelf_life = ShelfLifeDays(ctx, ProductOf(h), h.lot(), *expires);
    // Unknown shelf life: the widest threshold, so nothing expires unannounced.
    const int threshold = shelf_life > 0 ? NearExpiryThresholdDays(ctx.options().near_expiry, today, shelf_life)
                                         : horizon;
    if (expires->AddDays(-threshold) > today) continue;
    A alert = HoldingAlert(ctx, A::NEAR_EXPIRY, A::WARNING, h,
                           h.party_id() + " holds lot " + h.lot() + " expiring on " + h.expires_on() +
                               " (within " + std::to_string(threshold) +
                               " days): display it in the near-expiry area (临期专区)");
    (*alert.mutable_facts())["shelf_life_days"] = std::to_string(shelf_life);
    (*alert.mutable_facts())["threshold_days"] = std::to_string(threshold);
    (*alert.mutable_facts())["near_expiry_from"] = expires->AddDays(-threshold).ToString();
    batch->Raise(std::move(alert));
  }
  return Status::Ok();
}

Status UnconfirmedReceipts(RuleContext& ctx, ledger::AlertBatch* batch, bool* truncated) {
  auto due = ctx.store().DueWatches("UNCONFIRMED_RECEIPT", ctx.now(), kSweepRowsMax);
  if (!due.ok()) return due.status();
  if (due->size() >= kSweepRowsMax) *truncated = true;
  for (const ledger::DueWatch& d : *due) {
    const v1::AlertWatch& w = d.watch;
    auto h = ctx.ledger().HoldingCounts(w.party_id(), w.product(), w.lot());
    if (!h.ok()) return h.status();
    if (h->unconfirmed > 0) {
      A alert = NewAlert(ctx, A::UNCONFIRMED_RECEIPT, A::WARNING, w.party_id(), w.product(), w.lot(),
                         "UNCONFIRMED_RECEIPT|" + w.counterparty_id() + "|" + w.party_id() + "|" + w.product() +
                             "|" + w.lot() + "|" + std::to_string(w.sequence()),
                         w.counterparty_id() + " shipped lot " + w.lot() + " to " + w.party_id() +
                             ", which has not recorded receiving it");
      auto& f = *alert.mutable_facts();
      f["shipped_by"] = w.counterparty_id();
      f["quantity"] = std::to_string(w.quantity());
      f["unit"] = w.unit();
      f["unconfirmed"] = std::to_string(h->unconfirmed);
      f["ship_sequence"] = std::to_string(w.sequence());
      f["due_at"] = FormatInstant(w.due_at_ms());
      batch->Raise(std::move(alert));
    }
    batch->DeleteWatch(d.key);
  }
  return Status::Ok();
}

Status OverdueRecalls(RuleContext& ctx, ledger::AlertBatch* batch, bool* truncated) {
  auto due = ctx.store().DueWatches("RECALL_OVERDUE", ctx.now(), kSweepRowsMax);
  if (!due.ok()) return due.status();
  if (due->size() >= kSweepRowsMax) *truncated = true;
  for (const ledger::DueWatch& d : *due) {
    const v1::AlertWatch& w = d.watch;
    auto h = ctx.ledger().HoldingCounts(w.party_id(), w.product(), w.lot());
    if (!h.ok()) return h.status();
    const std::int64_t still = h->on_hand + h->unconfirmed;
    if (still > 0) {
      A alert = NewAlert(ctx, A::RECALL_OVERDUE, A::CRITICAL, w.party_id(), w.product(), w.lot(),
                         "RECALL_OVERDUE|" + w.recall_id() + "|" + w.party_id() + "|" + w.product() + "|" +
                             w.lot(),
                         w.party_id() + " still holds " + std::to_string(still) + " " + w.unit() +
                             " of lot " + w.lot() + " after the deadline of recall " + w.recall_id());
      alert.set_recall_id(w.recall_id());
      alert.set_deadline_ms(w.due_at_ms());
      auto& f = *alert.mutable_facts();
      f["quantity"] = std::to_string(still);
      f["unit"] = w.unit();
      f["deadline"] = FormatInstant(w.due_at_ms());
      batch->Raise(std::move(alert));
    }
    batch->DeleteWatch(d.key);
  }
  return Status::Ok();
}

}  // namespace

Status RunClockRules(RuleContext& ctx, ledger::AlertBatch* batch, bool* truncated) {
  FT_RETURN_IF_ERROR(ExpiryRules(ctx, batch, truncated));
  FT_RETURN_IF_ERROR(UnconfirmedReceipts(ctx, batch, truncated));
  return OverdueRecalls(ctx, batch, truncated);
}

}  // namespace foodtrace::alerts
