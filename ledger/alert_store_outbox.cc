// AlertStore (alert_store.h), the webhook half: registered webhooks (the ledger's `webhooks`
// family, read only) and their deliveries in the `outbox` family. Key layouts: ledger/schema.h.
#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>

#include "foodtrace/ledger/alert_store.h"
#include "ledger/impl.h"
#include "ledger/limits.h"

namespace foodtrace::ledger {
namespace {

std::string_view View(const rocksdb::Slice& s) { return std::string_view(s.data(), s.size()); }
rocksdb::Slice Slice(std::string_view s) { return rocksdb::Slice(s.data(), s.size()); }

std::string QueuePrefix(char list, std::string_view webhook) {
  return Key({std::string_view(&list, 1), webhook, ""});
}
std::string QueueKey(char list, std::string_view webhook, std::uint64_t seq) {
  return QueuePrefix(list, webhook) + BigEndian64(seq);
}
std::string DeliveryKey(std::string_view webhook) { return Key({"s", webhook}); }

}  // namespace

Result<v1::WebhookDelivery> AlertStore::Delivery(std::string_view webhook_id) const {
  v1::WebhookDelivery d;
  d.set_webhook_id(std::string(webhook_id));
  auto bytes = GetRaw(static_cast<int>(Cf::kOutbox), DeliveryKey(webhook_id));
  if (!bytes.ok()) return bytes.status();
  if (*bytes && !d.ParseFromString(**bytes)) return Status::Corruption("webhook delivery state does not decode");
  return d;
}

Result<std::vector<v1::Webhook>> AlertStore::LiveWebhooks() const {
  auto all = Webhooks(/*count_backlog=*/false);
  if (!all.ok()) return all.status();
  std::vector<v1::Webhook> out;
  for (auto& info : *all) {
    if (!info.delivery.removed()) out.push_back(std::move(info.webhook));
  }
  return out;
}

Result<std::vector<WebhookInfo>> AlertStore::Webhooks(bool count_backlog) const {
  std::vector<WebhookInfo> out;
  SnapshotGuard snap(ledger_.impl_->db());
  std::unique_ptr<rocksdb::Iterator> it(ledger_.impl_->NewIterator(Cf::kWebhooks, snap.get()));
  for (it->SeekToFirst(); it->Valid() && out.size() < kQueryRowsMax; it->Next()) {
    WebhookInfo info;
    if (!info.webhook.ParseFromArray(it->value().data(), static_cast<int>(it->value().size()))) {
      return Status::Corruption("webhook record does not decode");
    }
    out.push_back(std::move(info));
  }
  if (!it->status().ok()) return Status::Io("webhook scan failed: " + it->status().ToString());
  for (WebhookInfo& info : out) {
    auto d = Delivery(info.webhook.webhook_id());
    if (!d.ok()) return d.status();
    info.delivery = std::move(*d);
    if (!count_backlog) continue;
    const std::string prefix = QueuePrefix('q', info.webhook.webhook_id());
    std::unique_ptr<rocksdb::Iterator> q(ledger_.impl_->NewIterator(Cf::kOutbox, snap.get()));
    for (q->Seek(Slice(prefix)); q->Valid() && View(q->key()).substr(0, prefix.size()) == prefix &&
                                 info.backlog < kQueryRowsMax;
         q->Next()) {
      ++info.backlog;
    }
    if (!q->status().ok()) return Status::Io("outbox scan failed: " + q->status().ToString());
  }
  return out;
}

Status AlertStore::RemoveWebhook(std::string_view webhook_id, std::string_view by, UnixMillis at) {
  auto hook = GetRaw(static_cast<int>(Cf::kWebhooks), webhook_id);
  if (!hook.ok()) return hook.status();
  if (!*hook) return Status::NotFound("no webhook '" + std::string(webhook_id) + "'");
  std::lock_guard lk(mu_);  // Commit() must not enqueue for it half-way through
  auto d = Delivery(webhook_id);
  if (!d.ok()) return d.status();
  d->set_removed(true);
  d->set_removed_by(std::string(by));
  d->set_removed_at_ms(at);
  rocksdb::WriteBatch wb;
  auto* cf = ledger_.impl_->handle(Cf::kOutbox);
  const std::string prefix = QueuePrefix('q', webhook_id);
  FT_CHECK(wb.DeleteRange(cf, Slice(prefix), Slice(prefix + std::string(9, '\xff'))).ok());
  FT_CHECK(wb.Put(cf, DeliveryKey(webhook_id), d->SerializeAsString()).ok());
  return Write(&wb);
}

Result<std::optional<v1::OutboxEntry>> AlertStore::NextDelivery(std::string_view webhook_id) const {
  const std::string prefix = QueuePrefix('q', webhook_id);
  std::unique_ptr<rocksdb::Iterator> it(ledger_.impl_->NewIterator(Cf::kOutbox, nullptr));
  it->Seek(Slice(prefix));
  if (!it->status().ok()) return Status::Io("outbox scan failed: " + it->status().ToString());
  if (!it->Valid() || View(it->key()).substr(0, prefix.size()) != prefix) {
    return std::optional<v1::OutboxEntry>();
  }
  v1::OutboxEntry entry;
  if (!entry.ParseFromArray(it->value().data(), static_cast<int>(it->value().size()))) {
    return Status::Corruption("outbox entry does not decode");
  }
  return std::optional<v1::OutboxEntry>(std::move(entry));
}

Status AlertStore::RecordAttempt(const v1::OutboxEntry& entry, bool delivered, bool give_up,
                                 const v1::WebhookDelivery& state) {
  std::lock_guard lk(mu_);  // a concurrent RemoveWebhook wins over this attempt's bookkeeping
  auto stored = Delivery(entry.webhook_id());
  if (!stored.ok()) return stored.status();
  rocksdb::WriteBatch wb;
  auto* cf = ledger_.impl_->handle(Cf::kOutbox);
  const std::string key = QueueKey('q', entry.webhook_id(), entry.alert_sequence());
  if (stored->removed()) {
    FT_CHECK(wb.Delete(cf, Slice(key)).ok());
    return Write(&wb);
  }
  if (delivered || give_up) {
    FT_CHECK(wb.Delete(cf, Slice(key)).ok());
    if (give_up) {
      FT_CHECK(wb.Put(cf, QueueKey('g', entry.webhook_id(), entry.alert_sequence()),
                      entry.SerializeAsString()).ok());
    }
  } else {
    FT_CHECK(wb.Put(cf, Slice(key), entry.SerializeAsString()).ok());
  }
  FT_CHECK(wb.Put(cf, DeliveryKey(entry.webhook_id()), state.SerializeAsString()).ok());
  return Write(&wb);
}

}  // namespace foodtrace::ledger
