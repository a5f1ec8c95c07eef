// AlertStore (alert_store.h): alerts, their indexes and the engine's watches in the `alerts`
// column family; webhook deliveries in `outbox`. Key layouts: ledger/schema.h.
#include "foodtrace/ledger/alert_store.h"

#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>

#include <algorithm>
#include <cstdio>
#include <set>

#include "ledger/impl.h"
#include "ledger/limits.h"

namespace foodtrace::ledger {
namespace {

// Listing without the party or recall index reads at most this many alerts per page; the
// page then says `more` and the caller continues from next_after_sequence.
constexpr std::size_t kAlertListScanMax = 200'000;
// WriteBatch sizing in Commit: bytes of one record's framing (tag, column family, lengths) and
// of an alert's fixed-size index keys and ids beyond its variable parts.
constexpr std::size_t kWriteBatchRecordBytes = 12;
constexpr std::size_t kAlertIndexBytesPerAlert = 6 * kWriteBatchRecordBytes + 4 * 16;

std::string_view View(const rocksdb::Slice& s) { return std::string_view(s.data(), s.size()); }
rocksdb::Slice Slice(std::string_view s) { return rocksdb::Slice(s.data(), s.size()); }

std::string AlertKey(std::string_view id) { return Key({"a", id}); }
std::string DedupKey(std::string_view dedup) { return Key({"d", dedup}); }
// Alert ids are "al-" + the sequence in 12 zero-padded digits, so alert keys sort in sequence
// order and the 'a' family is the sequence index itself (the 's' index of earlier versions is
// no longer written or read).
const std::string& AlertPrefix() {
  static const std::string k = Key({"a", ""});
  return k;
}
std::string PartyIndexKey(std::string_view party, std::uint64_t seq) {
  return Key({"p", party, ""}) + BigEndian64(seq);
}
std::string RecallIndexKey(std::string_view recall, std::uint64_t seq) {
  return Key({"r", recall, ""}) + BigEndian64(seq);
}
const std::string& ProcessedKey() {
  static const std::string k = Key({"m", "processed"});
  return k;
}
std::string QueueKey(char list, std::string_view webhook, std::uint64_t seq) {
  return Key({std::string_view(&list, 1), webhook, ""}) + BigEndian64(seq);
}

bool Matches(const v1::Webhook& hook, const v1::Alert& alert) {
  if (!hook.market_id().empty() && hook.market_id() != alert.market_id()) return false;
  if (hook.kinds_size() == 0) return true;
  const std::string& kind = v1::Alert::Kind_Name(alert.kind());
  return std::find(hook.kinds().begin(), hook.kinds().end(), kind) != hook.kinds().end();
}

bool FilterMatches(const AlertFilter& f, const v1::Alert& a) {
  return (f.kind == v1::Alert::KIND_UNSPECIFIED || a.kind() == f.kind) &&
         (f.party_id.empty() || a.party_id() == f.party_id) &&
         (f.recall_id.empty() || a.recall_id() == f.recall_id) &&
         (f.market_id.empty() || a.market_id() == f.market_id) &&
         (f.state == v1::Alert::STATE_UNSPECIFIED || a.state() == f.state);
}

}  // namespace

std::string AlertIdOf(std::uint64_t sequence) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "al-%012llu", static_cast<unsigned long long>(sequence));
  return buf;
}

void AlertBatch::Raise(v1::Alert alert) { alerts_.push_back(std::move(alert)); }

void AlertBatch::PutWatch(const v1::AlertWatch& watch, std::string_view id) {
  puts_.emplace_back(Key({"w", watch.rule(), ""}) +
                         BigEndian64(static_cast<std::uint64_t>(std::max<std::int64_t>(0, watch.due_at_ms()))) +
                         std::string(1, '\0') + std::string(id),
                     watch.SerializeAsString());
}

void AlertBatch::DeleteWatch(std::string_view key) { deletes_.emplace_back(key); }

void AlertBatch::CoverLot(std::string_view product, std::string_view lot, std::string_view recall_id) {
  puts_.emplace_back(Key({"v", product, lot, recall_id}), "");
}

Result<std::unique_ptr<AlertStore>> AlertStore::Open(Ledger& ledger) {
  std::unique_ptr<AlertStore> store(new AlertStore(ledger));
  FT_RETURN_IF_ERROR(store->Recover());
  return store;
}

Status AlertStore::Recover() {
  rocksdb::DB* db = ledger_.impl_->db();
  std::unique_ptr<rocksdb::Iterator> it(
      db->NewIterator(rocksdb::ReadOptions(), ledger_.impl_->handle(Cf::kAlerts)));
  const std::string& prefix = AlertPrefix();
  it->SeekForPrev(Slice(prefix + std::string(1, '\xff')));
  if (it->Valid() && View(it->key()).substr(0, prefix.size()) == prefix) {
    v1::Alert last;
    if (!last.ParseFromArray(it->value().data(), static_cast<int>(it->value().size())) ||
        last.sequence() == 0) {
      return Status::Corruption("the newest stored alert (" + it->key().ToString() + ") does not decode");
    }
    last_sequence_ = last.sequence();
  }
  if (!it->status().ok()) return Status::Io("alert store scan failed: " + it->status().ToString());
  return Status::Ok();
}

Result<std::optional<std::string>> AlertStore::GetRaw(int cf, std::string_view key) const {
  return ledger_.impl_->Get(static_cast<Cf>(cf), key);
}

Status AlertStore::Write(void* rocks_batch) {
  rocksdb::WriteOptions wo;
  wo.sync = ledger_.impl_->options().sync;
  const rocksdb::Status s = ledger_.impl_->db()->Write(wo, static_cast<rocksdb::WriteBatch*>(rocks_batch));
  if (!s.ok()) return Status::Io("writing alerts failed: " + s.ToString());
  return Status::Ok();
}

// The batch's alerts whose dedup key is neither repeated in the batch nor stored, read with
// one MultiGet (a recall raises thousands at once).
Result<std::vector<v1::Alert*>> AlertStore::NewAlerts(AlertBatch& batch) const {
  std::set<std::string_view> seen;
  std::vector<v1::Alert*> candidates;
  std::vector<std::string> keys;
  for (v1::Alert& alert : batch.alerts_) {
    FT_CHECK(!alert.dedup_key().empty());
    if (!seen.insert(alert.dedup_key()).second) continue;
    candidates.push_back(&alert);
    keys.push_back(DedupKey(alert.dedup_key()));
  }
  std::vector<rocksdb::Slice> slices(keys.begin(), keys.end());
  std::vector<rocksdb::PinnableSlice> values(keys.size());
  std::vector<rocksdb::Status> statuses(keys.size());
  ledger_.impl_->db()->MultiGet(rocksdb::ReadOptions(), ledger_.impl_->handle(Cf::kAlerts), keys.size(),
                                slices.data(), values.data(), statuses.data());
  std::vector<v1::Alert*> fresh;
  for (std::size_t i = 0; i < keys.size(); ++i) {
    if (statuses[i].ok()) continue;  // stored already: dedup
    if (!statuses[i].IsNotFound()) return Status::Io("alert dedup read failed: " + statuses[i].ToString());
    fresh.push_back(candidates[i]);
  }
  return fresh;
}

Result<std::vector<v1::Alert>> AlertStore::Commit(AlertBatch& batch, UnixMillis now,
                                                  std::vector<std::string>* encoded) {
  auto hooks = LiveWebhooks();
  if (!hooks.ok()) return hooks.status();
  std::lock_guard lk(mu_);
  auto* alerts_cf = ledger_.impl_->handle(Cf::kAlerts);
  auto* outbox_cf = ledger_.impl_->handle(Cf::kOutbox);
  auto fresh = NewAlerts(batch);
  if (!fresh.ok()) return fresh.status();
  // Each alert is encoded once: the stored value is also what the feed publishes.
  std::vector<std::string> bytes(fresh->size());
  std::size_t reserve = 0;
  std::uint64_t seq = last_sequence_;
  for (std::size_t i = 0; i < fresh->size(); ++i) {
    v1::Alert& alert = *(*fresh)[i];
    alert.set_sequence(++seq);
    alert.set_alert_id(AlertIdOf(seq));
    alert.set_state(v1::Alert::OPEN);
    if (alert.created_at_ms() == 0) alert.set_created_at_ms(now);
    alert.SerializeToString(&bytes[i]);
    reserve += bytes[i].size() + 2 * alert.dedup_key().size() + alert.party_id().size() +
               alert.recall_id().size() + kAlertIndexBytesPerAlert;
  }
  for (const auto& [k, v] : batch.puts_) reserve += k.size() + v.size() + kWriteBatchRecordBytes;
  // Sized up front: a recall's batch is megabytes, and growing it by doubling copied it ~20 times.
  rocksdb::WriteBatch wb(reserve);
  for (std::size_t i = 0; i < fresh->size(); ++i) {
    const v1::Alert& alert = *(*fresh)[i];
    const std::uint64_t alert_seq = alert.sequence();
    FT_CHECK(wb.Put(alerts_cf, AlertKey(alert.alert_id()), bytes[i]).ok());
    FT_CHECK(wb.Put(alerts_cf, DedupKey(alert.dedup_key()), alert.alert_id()).ok());
    if (!alert.party_id().empty()) FT_CHECK(wb.Put(alerts_cf, PartyIndexKey(alert.party_id(), alert_seq), "").ok());
    if (!alert.recall_id().empty()) FT_CHECK(wb.Put(alerts_cf, RecallIndexKey(alert.recall_id(), alert_seq), "").ok());
    for (const v1::Webhook& hook : *hooks) {
      if (!Matches(hook, alert)) continue;
      v1::OutboxEntry entry;
      entry.set_webhook_id(hook.webhook_id());
      entry.set_alert_id(alert.alert_id());
      entry.set_alert_sequence(alert_seq);
      entry.set_enqueued_at_ms(now);
      FT_CHECK(wb.Put(outbox_cf, QueueKey('q', hook.webhook_id(), alert_seq), entry.SerializeAsString()).ok());
    }
  }
  for (const auto& [k, v] : batch.puts_) FT_CHECK(wb.Put(alerts_cf, k, v).ok());
  for (const auto& k : batch.deletes_) FT_CHECK(wb.Delete(alerts_cf, k).ok());
  if (batch.processed_ != 0) FT_CHECK(wb.Put(alerts_cf, ProcessedKey(), BigEndian64(batch.processed_)).ok());
  if (wb.Count() > 0) FT_RETURN_IF_ERROR(Write(&wb));
  last_sequence_ = seq;
  // Moved out only now: a failed write leaves the batch whole for the engine's retry.
  std::vector<v1::Alert> raised;
  raised.reserve(fresh->size());
  for (v1::Alert* alert : *fresh) raised.push_back(std::move(*alert));
  if (encoded != nullptr) *encoded = std::move(bytes);
  return raised;
}

Result<std::uint64_t> AlertStore::Processed() const {
  auto v = GetRaw(static_cast<int>(Cf::kAlerts), ProcessedKey());
  if (!v.ok()) return v.status();
  if (!*v) return std::uint64_t{0};
  if ((*v)->size() != 8) return Status::Corruption("alert engine watermark of wrong size");
  return DecodeBigEndian64(**v);
}

std::uint64_t AlertStore::LastAlertSequence() const {
  std::lock_guard lk(mu_);
  return last_sequence_;
}

Result<v1::Alert> AlertStore::Get(std::string_view alert_id) const {
  auto v = GetRaw(static_cast<int>(Cf::kAlerts), AlertKey(alert_id));
  if (!v.ok()) return v.status();
  if (!*v) return Status::NotFound("no alert '" + std::string(alert_id) + "'");
  v1::Alert alert;
  if (!alert.ParseFromString(**v)) return Status::Corruption("alert " + std::string(alert_id) + " does not decode");
  return alert;
}

Result<v1::Alert> AlertStore::GetByDedupKey(std::string_view dedup_key) const {
  auto id = GetRaw(static_cast<int>(Cf::kAlerts), DedupKey(dedup_key));
  if (!id.ok()) return id.status();
  if (!*id) return Status::NotFound("no alert with dedup key '" + std::string(dedup_key) + "'");
  return Get(**id);
}

Result<AlertPage> AlertStore::List(const AlertFilter& filter) const {
  AlertPage page;
  const std::size_t limit = std::clamp<std::size_t>(filter.limit, 1, kQueryRowsMax);
  SnapshotGuard snap(ledger_.impl_->db());
  std::unique_ptr<rocksdb::Iterator> it(ledger_.impl_->NewIterator(Cf::kAlerts, snap.get()));
  std::size_t scanned = 0;
  if (filter.party_id.empty() && filter.recall_id.empty()) {
    // Every alert, in sequence order: the alert keys themselves.
    const std::string& prefix = AlertPrefix();
    for (it->Seek(Slice(AlertKey(AlertIdOf(filter.after_sequence + 1))));
         it->Valid() && View(it->key()).substr(0, prefix.size()) == prefix; it->Next()) {
      if (page.alerts.size() >= limit || ++scanned > kAlertListScanMax) {
        page.more = true;
        break;
      }
      v1::Alert alert;
      if (!alert.ParseFromArray(it->value().data(), static_cast<int>(it->value().size()))) {
        return Status::Corruption("alert " + it->key().ToString().substr(prefix.size()) + " does not decode");
      }
      page.next_after_sequence = alert.sequence();
      if (FilterMatches(filter, alert)) page.alerts.push_back(std::move(alert));
    }
    if (!it->status().ok()) return Status::Io("alert scan failed: " + it->status().ToString());
    return page;
  }
  std::string prefix = Key({"p", filter.party_id, ""});
  if (!filter.recall_id.empty()) prefix = Key({"r", filter.recall_id, ""});
  for (it->Seek(Slice(prefix + BigEndian64(filter.after_sequence + 1)));
       it->Valid() && View(it->key()).substr(0, prefix.size()) == prefix; it->Next()) {
    if (it->key().size() != prefix.size() + 8) continue;
    const std::uint64_t seq = DecodeBigEndian64(View(it->key()).substr(prefix.size()));
    if (page.alerts.size() >= limit || ++scanned > kAlertListScanMax) {
      page.more = true;
      break;
    }
    page.next_after_sequence = seq;
    auto alert = Get(AlertIdOf(seq));
    if (!alert.ok()) return alert.status();
    if (FilterMatches(filter, *alert)) page.alerts.push_back(std::move(*alert));
  }
  if (!it->status().ok()) return Status::Io("alert scan failed: " + it->status().ToString());
  return page;
}

Result<std::size_t> AlertStore::CountForRecall(std::string_view recall_id, v1::Alert::Kind kind) const {
  AlertFilter f;
  f.recall_id = std::string(recall_id);
  f.kind = kind;
  f.limit = kQueryRowsMax;
  std::size_t n = 0;
  while (true) {
    auto page = List(f);
    if (!page.ok()) return page.status();
    n += page->alerts.size();
    if (!page->more) return n;
    f.after_sequence = page->next_after_sequence;
  }
}

Result<v1::Alert> AlertStore::SetState(std::string_view alert_id, v1::Alert::State state,
                                       std::string_view by, UnixMillis at) {
  if (state != v1::Alert::ACKNOWLEDGED && state != v1::Alert::RESOLVED) {
    return Status::Invalid("ALERT_STATE", "an alert can be acknowledged or resolved");
  }
  std::lock_guard lk(mu_);
  auto alert = Get(alert_id);
  if (!alert.ok()) return alert.status();
  if (alert->state() == v1::Alert::RESOLVED) {
    return Status(Code::kFailedPrecondition, "ALERT_RESOLVED",
                  "alert " + std::string(alert_id) + " is already resolved (by " +
                      alert->state_changed_by() + ")");
  }
  alert->set_state(state);
  alert->set_state_changed_by(std::string(by));
  alert->set_state_changed_at_ms(at);
  rocksdb::WriteBatch wb;
  FT_CHECK(wb.Put(ledger_.impl_->handle(Cf::kAlerts), AlertKey(alert_id), alert->SerializeAsString()).ok());
  FT_RETURN_IF_ERROR(Write(&wb));
  return alert;
}

Result<std::vector<DueWatch>> AlertStore::DueWatches(std::string_view rule, UnixMillis now,
                                                     std::size_t limit) const {
  std::vector<DueWatch> out;
  const std::string prefix = Key({"w", rule, ""});
  const std::string end = prefix + BigEndian64(static_cast<std::uint64_t>(std::max<std::int64_t>(0, now)) + 1);
  std::unique_ptr<rocksdb::Iterator> it(ledger_.impl_->NewIterator(Cf::kAlerts, nullptr));
  for (it->Seek(Slice(prefix)); it->Valid() && View(it->key()) < end && out.size() < limit; it->Next()) {
    DueWatch w;
    w.key = it->key().ToString();
    if (!w.watch.ParseFromArray(it->value().data(), static_cast<int>(it->value().size()))) {
      return Status::Corruption("alert watch does not decode");
    }
    out.push_back(std::move(w));
  }
  if (!it->status().ok()) return Status::Io("watch scan failed: " + it->status().ToString());
  return out;
}

Result<std::vector<std::string>> AlertStore::RecallsCovering(std::string_view product,
                                                             std::string_view lot) const {
  std::vector<std::string> out;
  const std::string prefix = Key({"v", product, lot, ""});
  std::unique_ptr<rocksdb::Iterator> it(ledger_.impl_->NewIterator(Cf::kAlerts, nullptr));
  for (it->Seek(Slice(prefix)); it->Valid() && View(it->key()).substr(0, prefix.size()) == prefix;
       it->Next()) {
    out.emplace_back(View(it->key()).substr(prefix.size()));
    if (out.size() >= kQueryRowsMax) break;
  }
  if (!it->status().ok()) return Status::Io("recall index scan failed: " + it->status().ToString());
  return out;
}

}  // namespace foodtrace::ledger
