// The alert rules. Private to alerts/. Each rule reads the ledger (and the alert store) and
// adds what it raises to an AlertBatch; the engine commits the batch, then publishes. Rules
// never write anything themselves, so re-running one only meets the dedup keys again.
// Not thread-safe: a RuleContext lives for one engine step on the engine thread.
#pragma once

#include <map>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "foodtrace/alerts/alerts.h"
#include "foodtrace/ledger/alert_store.h"

namespace foodtrace::alerts {

class RuleContext {
 public:
  RuleContext(const ledger::Ledger& ledger, ledger::AlertStore& store, const EngineOptions& options,
              UnixMillis now)
      : ledger_(ledger), store_(store), options_(options), now_(now) {}

  const ledger::Ledger& ledger() const { return ledger_; }
  ledger::AlertStore& store() { return store_; }
  const EngineOptions& options() const { return options_; }
  UnixMillis now() const { return now_; }
  const TimeZone& time_zone() const { return ledger_.time_zone(); }
  Date DateOf(UnixMillis at) const { return ledger_.time_zone().DateAt(at); }
  Date today() const { return MarketToday(ledger_.time_zone(), now_); }

  // The market of a party ("" if none or unknown; a market party is its own market). Cached.
  const std::string& MarketOf(const std::string& party_id);
  // Reads the markets of many parties at once (one MultiGet) into the MarketOf cache.
  void PrefetchMarkets(const std::vector<std::string>& party_ids);
  // Recalls covering product|lot: the store's index plus coverage added earlier in this step.
  std::vector<std::string> RecallsCovering(const std::string& product, const std::string& lot);
  void NoteCovered(const std::string& product, const std::string& lot, const std::string& recall_id);

 private:
  const ledger::Ledger& ledger_;
  ledger::AlertStore& store_;
  const EngineOptions& options_;
  UnixMillis now_;
  std::unordered_map<std::string, std::string> markets_;
  std::map<std::pair<std::string, std::string>, std::set<std::string>> covered_;
};

// A new alert about `party_id` and product|lot (product: GTIN-14 or "C:" + code), with its
// market filled in.
v1::Alert NewAlert(RuleContext& ctx, v1::Alert::Kind kind, v1::Alert::Severity severity,
                   const std::string& party_id, const std::string& product,
                   const std::string& lot, std::string dedup_key, std::string message);

// Streaming rules on one committed event: NEGATIVE_STOCK, EXPIRED_SOLD, RECALLED_SOLD,
// UNVERIFIED_SUPPLIER, LICENCE_EXPIRED, TEST_FAILED, RECALLED_SCANNED, RECALLED_IN_STOCK (a
// recall), and the watches the clock rules need later (UNCONFIRMED_RECEIPT, RECALL_OVERDUE).
// `changes` may be empty (an event replayed from the log): rules then read current holdings.
void RunStreamingRules(RuleContext& ctx, const v1::Event& event,
                       const std::vector<ledger::HoldingChange>& changes, ledger::AlertBatch* batch);

// Recall event: RECALLED_IN_STOCK per holder of every covered lot, coverage index, overdue
// watches. Failed test: TEST_FAILED naming the supplier. Scan of a recalled lot:
// RECALLED_SCANNED. (rules_recall.cc)
void RunRecallRules(RuleContext& ctx, const v1::Event& event, ledger::AlertBatch* batch);
void RunTestResultRules(RuleContext& ctx, const v1::Event& event, ledger::AlertBatch* batch);
void RunScanRules(RuleContext& ctx, const v1::Event& event, ledger::AlertBatch* batch);

// Clock rules: NEAR_EXPIRY, EXPIRED_IN_STOCK (from Ledger::Expiring: cost ∝ the answer),
// UNCONFIRMED_RECEIPT and RECALL_OVERDUE (from due watches, which it deletes once decided).
// Sets *truncated when a limit stopped a rule. Errors: IO from the ledger or the store.
Status RunClockRules(RuleContext& ctx, ledger::AlertBatch* batch, bool* truncated);

// "gtin|lot" → (product, lot). False if there is no '|'.
bool SplitLotId(const std::string& id, std::string* product, std::string* lot);

}  // namespace foodtrace::alerts
