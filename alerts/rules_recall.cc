// Streaming rules on recalls, test results and scans: RECALLED_IN_STOCK (one per holder and
// covered lot, with quantity and deadline), the RECALL_OVERDUE watches, TEST_FAILED naming the
// supplier (REGULATION rule 24), RECALLED_SCANNED.
#include <set>

#include "alerts/rules.h"
#include "alerts/limits.h"

namespace foodtrace::alerts {
namespace {

using A = v1::Alert;

// What every holder's alert of one recall shares, formatted once (a recall can reach
// thousands of holders).
struct RecallFacts {
  std::string level, start_by, complete_by, dedup_prefix, message_tail;
};

void AlertHolder(RuleContext& ctx, const v1::Recall& recall, const RecallDeadline& deadline,
                 const RecallFacts& rf, const ledger::TraceHolder& h, const std::string& unit,
                 ledger::AlertBatch* batch) {
  const std::string subject = h.party_id + "|" + h.product + "|" + h.lot;
  const std::string quantity = std::to_string(h.on_hand + h.unconfirmed);
  A alert = NewAlert(ctx, A::RECALLED_IN_STOCK, A::CRITICAL, h.party_id, h.product, h.lot,
                     rf.dedup_prefix + subject,
                     h.party_id + " holds " + quantity + " " + unit + " of recalled lot " + h.lot +
                         rf.message_tail);
  alert.set_recall_id(recall.recall_id());
  alert.set_deadline_ms(deadline.complete_by_ms);
  auto& f = *alert.mutable_facts();
  f["quantity"] = quantity;
  f["on_hand"] = std::to_string(h.on_hand);
  f["unconfirmed"] = std::to_string(h.unconfirmed);
  f["unit"] = unit;
  f["level"] = rf.level;
  f["reason"] = recall.reason();
  f["rule"] = deadline.rule;
  f["start_by"] = rf.start_by;
  f["complete_by"] = rf.complete_by;
  batch->Raise(std::move(alert));

  v1::AlertWatch w;
  w.set_rule("RECALL_OVERDUE");
  w.set_due_at_ms(deadline.complete_by_ms);
  w.set_party_id(h.party_id);
  w.set_product(h.product);
  w.set_lot(h.lot);
  w.set_quantity(h.on_hand + h.unconfirmed);
  w.set_unit(unit);
  w.set_recall_id(recall.recall_id());
  batch->PutWatch(w, recall.recall_id() + "|" + subject);
}

}  // namespace

void RunRecallRules(RuleContext& ctx, const v1::Event& event, ledger::AlertBatch* batch) {
  // The stored recall carries what the ledger computed: covered lots (with transformed
  // ones), issue time and issuer.
  auto stored = ctx.ledger().GetRecall(event.recall().recall_id());
  const v1::Recall& recall = stored.ok() ? *stored : event.recall();
  const UnixMillis issued = recall.issued_at_ms() != 0 ? recall.issued_at_ms() : event.recorded_at_ms();
  const RecallDeadline deadline =
      ComputeRecallDeadline(ctx.options().recall_rules, ctx.options().calendar, recall.level(),
                            recall.known_at_ms(), issued, ctx.time_zone());
  RecallFacts rf;
  rf.level = v1::Recall::Level_Name(recall.level());
  rf.start_by = FormatInstant(deadline.start_by_ms);
  rf.complete_by = deadline.complete_by.ToString();
  rf.dedup_prefix = "RECALLED_IN_STOCK|" + recall.recall_id() + "|";
  rf.message_tail = " (recall " + recall.recall_id() + ", level " + rf.level +
                    "): stop selling it and dispose of or return it by " + rf.complete_by;
  for (const std::string& id : recall.covered_lots()) {
    std::string product, lot;
    if (!SplitLotId(id, &product, &lot)) continue;
    batch->CoverLot(product, lot, recall.recall_id());
    ctx.NoteCovered(product, lot, recall.recall_id());
    auto holders = ctx.ledger().LotHolders(product, lot);
    if (!holders.ok()) continue;  // an unreadable lot is retried by nobody; logged by the engine
    std::string unit;
    if (auto l = ctx.ledger().GetLot(product, lot); l.ok()) unit = l->unit();
    std::vector<std::string> ids;
    for (const ledger::TraceHolder& h : *holders) {
      if (h.on_hand > 0 || h.unconfirmed > 0) ids.push_back(h.party_id);
    }
    ctx.PrefetchMarkets(ids);
    for (const ledger::TraceHolder& h : *holders) {
      if (h.on_hand > 0 || h.unconfirmed > 0) AlertHolder(ctx, recall, deadline, rf, h, unit, batch);
    }
  }
}

void RunTestResultRules(RuleContext& ctx, const v1::Event& event, ledger::AlertBatch* batch) {
  const v1::TestResult& t = event.test_result();
  if (t.passed()) return;
  const std::string product = ledger::ProductKey(t.gtin(), t.product_code());
  std::string supplier;
  std::vector<std::string> chain;
  if (auto up = ctx.ledger().TraceUp(t.party_id(), product, t.lot(), kRuleTraceDepth); up.ok()) {
    std::set<std::string> seen;
    for (const ledger::TraceUpStep& s : up->chain) {
      if (s.depth == 0 && supplier.empty()) supplier = s.received_from;
      if (seen.insert(s.received_from).second) chain.push_back(s.received_from);
    }
  }
  A alert = NewAlert(ctx, A::TEST_FAILED, A::CRITICAL, t.party_id(), product, t.lot(),
                     "TEST_FAILED|" + t.test_id(),
                     "lot " + t.lot() + " at " + t.party_id() + " failed test " + t.test_id() + " (" +
                         t.item() + (supplier.empty() ? ")" : "); supplied by " + supplier) +
                         "; the lot is stopped");
  auto& f = *alert.mutable_facts();
  f["test_id"] = t.test_id();
  f["item"] = t.item();
  f["value"] = t.value();
  f["limit"] = t.limit();
  f["lab"] = t.lab();
  f["tested_on"] = t.tested_on();
  f["supplier"] = supplier;
  std::string joined;
  for (const auto& c : chain) joined += (joined.empty() ? "" : ",") + c;
  f["supply_chain"] = joined;
  batch->Raise(std::move(alert));
}

void RunScanRules(RuleContext& ctx, const v1::Event& event, ledger::AlertBatch* batch) {
  const v1::Scan& s = event.scan();
  if (s.gtin().empty() || s.lot().empty()) return;
  const std::string day = ctx.DateOf(event.recorded_at_ms()).ToString();
  for (const std::string& recall_id : ctx.RecallsCovering(s.gtin(), s.lot())) {
    A alert = NewAlert(ctx, A::RECALLED_SCANNED, A::CRITICAL, s.kiosk_id(), s.gtin(), s.lot(),
                       "RECALLED_SCANNED|" + recall_id + "|" + s.kiosk_id() + "|" + s.gtin() + "|" +
                           s.lot() + "|" + day,
                       "a consumer scanned recalled lot " + s.lot() + " (recall " + recall_id +
                           ") at kiosk " + s.kiosk_id());
    alert.set_recall_id(recall_id);
    auto& f = *alert.mutable_facts();
    f["kiosk_id"] = s.kiosk_id();
    f["scan_event_id"] = s.event_id();
    f["raw_code"] = s.raw_code();
    f["scanned_on"] = day;
    batch->Raise(std::move(alert));
  }
}

}  // namespace foodtrace::alerts
