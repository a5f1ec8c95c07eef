// AlertStore: alerts and the webhook outbox, kept beside the ledger in its own column families
// (`alerts`, `outbox`; key layouts in ledger/schema.h).
//
// These families are not derived from the log: `Ledger::Verify` ignores them, and they are
// written here, not by the ledger's writer thread. Every write is one synced RocksDB
// WriteBatch issued from the caller's thread (the alert engine's); RocksDB is thread-safe and
// the families are disjoint from the ones the ledger writer touches, so the two never conflict.
//
// Alerts: Commit() stores new alerts with dedup (raising a dedup key already stored returns
// nothing new and changes nothing), gives each a publication sequence (strictly increasing,
// never reused) and an id derived from it, indexes it by party and recall, and enqueues one
// outbox delivery per matching webhook, all in the same batch as the engine's watermark and
// watches, so a crash leaves each commit all or nothing.
//
// Thread-safety: every method is thread-safe. Commit() calls are serialised internally (the
// sequence counter); state changes (SetState) take the same lock, since they rewrite alerts.
// The store holds a reference to the ledger, which must outlive it.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "foodtrace/common/date.h"
#include "foodtrace/common/status.h"
#include "foodtrace/ledger/ledger.h"

namespace foodtrace::ledger {

// Which alerts List() returns. Empty / unspecified fields match everything.
struct AlertFilter {
  v1::Alert::Kind kind = v1::Alert::KIND_UNSPECIFIED;
  std::string party_id;   // uses the party index
  std::string recall_id;  // uses the recall index
  std::string market_id;
  v1::Alert::State state = v1::Alert::STATE_UNSPECIFIED;
  std::uint64_t after_sequence = 0;  // only alerts with a larger sequence (paging cursor)
  std::size_t limit = 1000;          // capped at kQueryRowsMax
};

struct AlertPage {
  std::vector<v1::Alert> alerts;      // in sequence order
  std::uint64_t next_after_sequence = 0;  // pass as after_sequence for the next page
  bool more = false;                  // the limit (or the scan bound) stopped the listing
};

// Everything one engine step writes, committed together by AlertStore::Commit.
class AlertBatch {
 public:
  // Queues `alert` (kind, subject, facts and dedup_key set; id, sequence and state are filled
  // on commit). A second alert with the same dedup_key in one batch is ignored.
  void Raise(v1::Alert alert);
  // Stores `watch` under (rule, due_at_ms, id); `id` makes the key unique.
  void PutWatch(const v1::AlertWatch& watch, std::string_view id);
  void DeleteWatch(std::string_view key);  // a key returned by AlertStore::DueWatches
  // Remembers that `recall_id` covers product|lot (RecallsCovering).
  void CoverLot(std::string_view product, std::string_view lot, std::string_view recall_id);
  // The engine has processed every ledger event up to `sequence`.
  void SetProcessed(std::uint64_t sequence) { processed_ = sequence; }
  bool empty() const { return alerts_.empty() && puts_.empty() && deletes_.empty() && processed_ == 0; }
  std::size_t alert_count() const { return alerts_.size(); }

 private:
  friend class AlertStore;
  std::vector<v1::Alert> alerts_;
  std::vector<std::pair<std::string, std::string>> puts_;  // alerts CF key → value
  std::vector<std::string> deletes_;
  std::uint64_t processed_ = 0;
};

struct DueWatch {
  std::string key;  // pass to AlertBatch::DeleteWatch
  v1::AlertWatch watch;
};

// A registered webhook with its delivery state (the secret is included: the sender signs
// with it; never print it).
struct WebhookInfo {
  v1::Webhook webhook;
  v1::WebhookDelivery delivery;
  std::uint64_t backlog = 0;  // deliveries waiting (counted up to kQueryRowsMax)
};

class AlertStore {
 public:
  // Opens the store on `ledger` and recovers the last alert sequence.
  // Errors: IO, CORRUPTION (an index key of the wrong size).
  static Result<std::unique_ptr<AlertStore>> Open(Ledger& ledger);

  // Writes `batch` with sync = true and returns the alerts it newly stored, sequenced, in
  // sequence order (dedup hits are left out). Each new alert gets state OPEN, created_at_ms =
  // now (if unset), an outbox entry for every webhook that is not removed and matches its kind
  // and market. `encoded`, if given, receives each returned alert's Protobuf encoding (what
  // was stored, in the same order), so publishing need not encode it again.
  // Errors: IO (nothing was written; the batch may be retried).
  Result<std::vector<v1::Alert>> Commit(AlertBatch& batch, UnixMillis now,
                                        std::vector<std::string>* encoded = nullptr);

  // The highest ledger sequence the engine recorded as processed (0 if none).
  Result<std::uint64_t> Processed() const;
  std::uint64_t LastAlertSequence() const;

  Result<v1::Alert> Get(std::string_view alert_id) const;  // Errors: NOT_FOUND, IO, CORRUPTION
  Result<v1::Alert> GetByDedupKey(std::string_view dedup_key) const;
  Result<AlertPage> List(const AlertFilter& filter) const;
  // Number of alerts of `kind` raised for `recall_id` (recall index; cost ∝ the recall's alerts).
  Result<std::size_t> CountForRecall(std::string_view recall_id, v1::Alert::Kind kind) const;
  // Sets the state of an alert (ACKNOWLEDGED or RESOLVED) with who and when; returns it.
  // Errors: NOT_FOUND, INVALID_ARGUMENT (other states; resolving is final: a RESOLVED alert
  // cannot be acknowledged again), IO.
  Result<v1::Alert> SetState(std::string_view alert_id, v1::Alert::State state,
                             std::string_view by, UnixMillis at);

  // Watches of `rule` due at or before `now`, soonest first, at most `limit`.
  Result<std::vector<DueWatch>> DueWatches(std::string_view rule, UnixMillis now,
                                           std::size_t limit) const;
  // Recall ids covering product|lot (cost ∝ the answer).
  Result<std::vector<std::string>> RecallsCovering(std::string_view product,
                                                   std::string_view lot) const;

  // --- webhook outbox ---------------------------------------------------------------------
  // Every webhook registered through the ledger (removed ones included, flagged) with state;
  // with `count_backlog`, also each one's pending deliveries (a scan of its queue).
  Result<std::vector<WebhookInfo>> Webhooks(bool count_backlog = true) const;
  // Marks a webhook removed and drops its pending deliveries. Errors: NOT_FOUND, IO.
  Status RemoveWebhook(std::string_view webhook_id, std::string_view by, UnixMillis at);
  // The oldest pending delivery of `webhook_id`, if any.
  Result<std::optional<v1::OutboxEntry>> NextDelivery(std::string_view webhook_id) const;
  // Records an attempt at `entry` (the one NextDelivery returned). delivered: the entry
  // leaves the outbox. Otherwise its attempts and error are stored and, when `give_up`, it
  // moves to the given-up list. `state` is stored as the endpoint's delivery state. Errors: IO.
  Status RecordAttempt(const v1::OutboxEntry& entry, bool delivered, bool give_up,
                       const v1::WebhookDelivery& state);

 private:
  explicit AlertStore(Ledger& ledger) : ledger_(ledger) {}
  Status Recover();
  Status Write(void* rocks_batch);  // rocksdb::WriteBatch*, synced
  Result<std::optional<std::string>> GetRaw(int cf, std::string_view key) const;
  Result<std::vector<v1::Webhook>> LiveWebhooks() const;
  Result<std::vector<v1::Alert*>> NewAlerts(AlertBatch& batch) const;
  Result<v1::WebhookDelivery> Delivery(std::string_view webhook_id) const;

  Ledger& ledger_;
  mutable std::mutex mu_;
  std::uint64_t last_sequence_ = 0;  // guarded by mu_
};

// The alert id of publication sequence `sequence`: "al-" + 12 digits.
std::string AlertIdOf(std::uint64_t sequence);

}  // namespace foodtrace::ledger
