// foodtrace alerts: rules that turn committed ledger events and the clock into alerts, and
// their delivery by ZeroMQ PUB and a durable webhook outbox (docs/alerts.md has every kind).
//
//   AlertEngine     runs the rules on its own thread: streaming rules on every committed
//                   event (fed by Ledger Options::on_commit through CommitHook()), clock rules
//                   (expiry, unconfirmed receipts, overdue recalls) on a schedule and on demand
//                   (Sweep). Alerts are stored with a dedup key and a strictly increasing
//                   sequence (ledger/alert_store.h), then published and handed to the webhook
//                   sender (libcurl, retries with exponential backoff, one queue per endpoint).
//   AlertQueries    the gateway's query handler for TRACE_DOWN, TRACE_UP, EXPIRING, ALERTS,
//                   ALERT_ACK, ALERT_RESOLVE, SWEEP, RECALL_STATUS, WEBHOOKS, WEBHOOK_REMOVE.
//   AlertSubscriber a SUB socket on the engine's PUB endpoint (for `foodtrace alerts watch`).
//
// PUB frames: [topic "alert.<KIND>.<market id or ->"][Alert protobuf]. The PUB socket is plain
// TCP (no CURVE): bind it to loopback or a trusted network. No ZeroMQ, RocksDB or libcurl type
// appears here; errors are Status values.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "foodtrace/common/date.h"
#include "foodtrace/common/status.h"
#include "foodtrace/common/time_zone.h"
#include "foodtrace/ingest/gateway.h"
#include "foodtrace/ledger/alert_store.h"
#include "foodtrace/ledger/ledger.h"

namespace foodtrace::alerts {

namespace v1 = ::foodtrace::v1;

inline constexpr char kDefaultAlertsEndpoint[] = "tcp://127.0.0.1:7401";

// --- configuration (defaults from REGULATION.md; every table is configurable data) ---------

// Near-expiry thresholds (rule 11): the first tier whose shelf_life_days_min ≤ L gives T;
// a holding is near expiry iff expiry − T ≤ today ≤ expiry. Versioned by effective date.
struct NearExpiryTier {
  int shelf_life_days_min = 0;
  int threshold_days = 0;
};
struct NearExpiryTable {
  Date effective_from;                // in force from this local date
  std::vector<NearExpiryTier> tiers;  // descending shelf_life_days_min, the last one 0
};
// BJ/CD 2012: L ≥ 365 → 45 days; ≥ 182 → 20; ≥ 90 → 15; ≥ 30 → 10; ≥ 16 → 5; else
// `short_days` (the rule allows 1..4; default 2). `year_days`/`half_year_days` default 365/182.
NearExpiryTable DefaultNearExpiryTable(int short_days = 2, int year_days = 365,
                                       int half_year_days = 182);
// T for shelf life L days under the newest version in force on `today` (the first version if
// none is yet). Requires a non-empty `versions`.
int NearExpiryThresholdDays(const std::vector<NearExpiryTable>& versions, Date today,
                            int shelf_life_days);

// Recall deadlines (rules 15–16), chosen by the recall's known_at.
struct RecallRuleVersion {
  std::string name;             // "RM2015", "RM2026"
  Date effective_from;
  std::array<int, 3> start_hours{};            // level I, II, III: start and report the plan
  std::array<int, 3> complete_working_days{};  // level I, II, III: complete the recall
};
// RM2015 (to 2026-11-30): 24/48/72 h, 10/20/30 working days. RM2026 (from 2026-12-01):
// 24/48/48 h (the Measures give two start limits; level III takes the longer) and, as a
// documented default the rule leaves to configuration, 10/20/30 working days.
std::vector<RecallRuleVersion> DefaultRecallRules();

// Working days: Monday–Friday except `holidays`, plus the weekend `workdays` (调休).
struct WorkingCalendar {
  std::vector<Date> holidays;
  std::vector<Date> workdays;
  bool IsWorkingDay(Date day) const;
  // The n-th working day after `from` (n ≥ 0; n = 0 returns `from`).
  Date AddWorkingDays(Date from, int n) const;
};
// The 2026 PRC public holidays and make-up workdays (State Council notice on the 2026
// holiday arrangement). Configurable data: replace or extend it per year.
WorkingCalendar DefaultCalendar();

struct RecallDeadline {
  std::string rule;           // the version applied
  UnixMillis start_by_ms = 0;  // known_at + start hours
  Date complete_by;            // issue date + working days
  UnixMillis complete_by_ms = 0;  // the end of complete_by (local midnight after it)
};
// Requires a valid level and non-empty `rules`. known_at_ms 0 means issued_at_ms.
RecallDeadline ComputeRecallDeadline(const std::vector<RecallRuleVersion>& rules,
                                     const WorkingCalendar& calendar, v1::Recall::Level level,
                                     UnixMillis known_at_ms, UnixMillis issued_at_ms,
                                     const TimeZone& zone);

struct WebhookRetry {
  int attempts_max = 12;              // per delivery, then it is given up (kept, listed)
  std::int64_t backoff_initial_ms = 1000;  // doubles after each failure of an endpoint
  std::int64_t backoff_max_ms = 10 * 60 * 1000;
  int timeout_ms = 10000;             // one POST, connect included
};

struct EngineOptions {
  std::string pub_endpoint = kDefaultAlertsEndpoint;  // "tcp://127.0.0.1:*" picks a port
  std::function<UnixMillis()> clock;  // default: the ledger's clock (Ledger::Now)
  std::int64_t sweep_interval_ms = 3600 * 1000;  // scheduled clock rules; 0 = on demand only
  std::int64_t unconfirmed_grace_ms = 24 * 3600 * 1000;  // DESIGN "One movement, two records"
  std::vector<NearExpiryTable> near_expiry{DefaultNearExpiryTable()};
  std::vector<RecallRuleVersion> recall_rules = DefaultRecallRules();
  WorkingCalendar calendar = DefaultCalendar();
  WebhookRetry webhook_retry;
  // With no stored watermark, replay the whole log on Start (true) or start at its end.
  bool catch_up_from_start = true;
};

// What one run of the clock rules raised, by kind name.
struct SweepReport {
  std::map<std::string, std::size_t> raised;  // NEAR_EXPIRY, EXPIRED_IN_STOCK, …
  bool truncated = false;                     // a limit stopped a rule; run again
  std::int64_t elapsed_us = 0;
};

// Not copyable. Thread-safe after Start(): CommitHook's function, Sweep, WaitProcessed and the
// accessors may be called from any thread.
class AlertEngine {
 public:
  // Checks the options. Errors: INVALID_ARGUMENT (empty tables, negative intervals).
  static Result<std::unique_ptr<AlertEngine>> Create(EngineOptions options);
  ~AlertEngine();  // Stop()s
  AlertEngine(const AlertEngine&) = delete;
  AlertEngine& operator=(const AlertEngine&) = delete;

  // For ledger Options::on_commit, set before the ledger opens. It moves each batch into the
  // engine's bounded queue and returns; when the queue is full it waits (the ledger writer
  // slows down rather than an alert being lost). After Stop() it drops batches: the stored
  // watermark makes the next Start() replay them from the log.
  std::function<void(std::vector<ledger::CommittedEvent>)> CommitHook();

  // Opens the alert store on `ledger` (which must outlive the engine), binds the PUB socket,
  // replays ledger events after the stored watermark, and starts the engine, scheduler and
  // webhook threads. Errors: UNAVAILABLE "cannot bind" (address in use), IO.
  Status Start(ledger::Ledger* ledger);
  // Stops the threads (finishing the step in progress) and closes the sockets. Idempotent.
  void Stop();

  const std::string& endpoint() const;  // the PUB endpoint actually bound
  ledger::AlertStore& store();          // valid after Start()
  const EngineOptions& options() const;
  UnixMillis Now() const;

  // Runs the clock rules now on the engine thread and waits for the report.
  // Errors: UNAVAILABLE (not running), DEADLINE_EXCEEDED (no answer within timeout_ms), IO.
  Result<SweepReport> Sweep(int timeout_ms);
  // Waits until every ledger event up to `sequence` has been processed. False on timeout.
  bool WaitProcessed(std::uint64_t sequence, int timeout_ms);
  std::uint64_t processed_sequence() const;

  class Impl;

 private:
  explicit AlertEngine(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Answers TRACE_DOWN, TRACE_UP, EXPIRING, ALERTS, ALERT_ACK, ALERT_RESOLVE, SWEEP,
// RECALL_STATUS, WEBHOOKS and WEBHOOK_REMOVE (JSON shapes in docs/alerts.md); every other kind
// is UnsupportedQuery. Regulators and the operator may ask anything; a market about its
// vendors; a vendor only about its own alerts and lots it holds or held. Both pointers must
// outlive the handler; thread-safe.
ingest::QueryHandler AlertQueries(AlertEngine* engine, const ledger::Ledger* ledger);

// "alert.<KIND>.<market id or ->".
std::string AlertTopic(const v1::Alert& alert);

// A SUB socket on an alerts endpoint. Not thread-safe; owns its ZeroMQ context.
class AlertSubscriber {
 public:
  // Subscribes to the topic prefixes (empty = everything), e.g. "alert.RECALLED_IN_STOCK.".
  // Errors: INVALID_ARGUMENT (bad endpoint).
  static Result<std::unique_ptr<AlertSubscriber>> Connect(const std::string& endpoint,
                                                          const std::vector<std::string>& topics);
  ~AlertSubscriber();
  AlertSubscriber(const AlertSubscriber&) = delete;
  AlertSubscriber& operator=(const AlertSubscriber&) = delete;
  // The next alert, or nullopt after timeout_ms. Errors: CORRUPTION (a frame that is not an
  // Alert), UNAVAILABLE (the context was closed).
  Result<std::optional<v1::Alert>> Next(int timeout_ms);

  class Impl;

 private:
  explicit AlertSubscriber(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace foodtrace::alerts
