// Ledger: open/recover, Submit and the group-commit writer.
#include "foodtrace/ledger/ledger.h"

#include <rocksdb/merge_operator.h>
#include <rocksdb/slice_transform.h>
#include <rocksdb/cache.h>
#include <rocksdb/table.h>
#include <rocksdb/filter_policy.h>

#include <cstdio>
#include <future>

#include "foodtrace/common/crypto.h"
#include "foodtrace/common/text.h"
#include "ledger/apply.h"
#include "ledger/head_signer.h"
#include "ledger/impl.h"
#include "ledger/limits.h"
#include "ledger/txn.h"
#include "ledger/validate.h"

namespace foodtrace::ledger {
namespace {

// Holdings values are two int64 counters; merging adds them component-wise.
class HoldingAddOperator final : public rocksdb::AssociativeMergeOperator {
 public:
  bool Merge(const rocksdb::Slice&, const rocksdb::Slice* existing, const rocksdb::Slice& value,
             std::string* new_value, rocksdb::Logger*) const override {
    HoldingValue a;
    HoldingValue b;
    if (existing != nullptr && !DecodeHolding(std::string_view(existing->data(), existing->size()), &a)) {
      return false;  // RocksDB reports a corruption; never guess a stock figure
    }
    if (!DecodeHolding(std::string_view(value.data(), value.size()), &b)) return false;
    *new_value = EncodeHolding({a.on_hand + b.on_hand, a.unconfirmed + b.unconfirmed});
    return true;
  }
  const char* Name() const override { return "foodtrace.HoldingAdd"; }
};

// Closing cannot be retried and loses nothing acknowledged (every write was synced).
void IgnoreRocks(const rocksdb::Status& s) { s.PermitUncheckedError(); }

v1::ItemResult Rejected(const Status& st, const std::string& id) {
  v1::ItemResult r;
  r.set_status(v1::ItemResult::REJECTED);
  r.set_code(st.reason().empty() ? CodeName(st.code()) : st.reason());
  r.set_message(st.message());
  r.set_id(id);
  r.set_field(st.field());
  for (const auto& [key, value] : st.details()) (*r.mutable_details())[key] = value;
  return r;
}

std::string ItemId(const v1::Item& item) {
  switch (item.body_case()) {
    case v1::Item::kEntry: return item.entry().event_id();
    case v1::Item::kParty: return item.party().party_id();
    case v1::Item::kProduct: return ProductKey(item.product().gtin(), item.product().product_code());
    case v1::Item::kScan: return item.scan().event_id();
    case v1::Item::kRecall: return item.recall().recall_id();
    case v1::Item::kTestResult: return item.test_result().test_id();
    case v1::Item::kWebhook: return item.webhook().webhook_id();
    case v1::Item::BODY_NOT_SET: break;
  }
  return "";
}

}  // namespace

// Moves the item's body into the event (a swap of pointers: the item is not read again).
void SetEventBody(v1::Item* item, v1::Event* event) {
  switch (item->body_case()) {
    case v1::Item::kEntry: *event->mutable_entry() = std::move(*item->mutable_entry()); break;
    case v1::Item::kParty: *event->mutable_party() = std::move(*item->mutable_party()); break;
    case v1::Item::kProduct: *event->mutable_product() = std::move(*item->mutable_product()); break;
    case v1::Item::kScan: *event->mutable_scan() = std::move(*item->mutable_scan()); break;
    case v1::Item::kRecall: *event->mutable_recall() = std::move(*item->mutable_recall()); break;
    case v1::Item::kTestResult: *event->mutable_test_result() = std::move(*item->mutable_test_result()); break;
    case v1::Item::kWebhook: *event->mutable_webhook() = std::move(*item->mutable_webhook()); break;
    case v1::Item::BODY_NOT_SET: FT_CHECK(false && "validated items have a body");
  }
}

Ledger::Impl::Impl(Options options) : options_(std::move(options)) {}

Ledger::Impl::~Impl() {
  {
    std::lock_guard lk(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (writer_.joinable()) {
    writer_.join();
    if (heads_) heads_->Stop();  // signs what the writer committed last
    // A clean shutdown leaves the WAL empty, so the next start replays nothing.
    rocksdb::FlushOptions flush;
    flush.wait = true;
    IgnoreRocks(db_->Flush(flush, handles_));
  }
  for (auto* h : handles_) {
    if (db_ && h != nullptr) IgnoreRocks(db_->DestroyColumnFamilyHandle(h));
  }
  heads_.reset();
  handles_.clear();
  if (db_) IgnoreRocks(db_->Close());
}

Status Ledger::Impl::Open(bool read_only) {
  InitCrypto();
  rocksdb::DBOptions db_options;
  db_options.create_if_missing = true;
  db_options.create_missing_column_families = true;
  db_options.max_background_jobs = 2;
  db_options.keep_log_file_num = 5;
  rocksdb::BlockBasedTableOptions table;
  table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  if (options_.block_cache_bytes > 0) table.block_cache = rocksdb::NewLRUCache(options_.block_cache_bytes);
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  for (int i = 0; i < static_cast<int>(Cf::kCount); ++i) {
    rocksdb::ColumnFamilyOptions cf;
    cf.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
    cf.write_buffer_size = 32 << 20;
    // Most writer lookups miss (a new event id, a lot not seen yet): a memtable bloom filter
    // answers those without walking the skiplist.
    cf.memtable_prefix_bloom_size_ratio = 0.05;
    cf.memtable_whole_key_filtering = true;
    if (static_cast<Cf>(i) == Cf::kHoldings) cf.merge_operator = std::make_shared<HoldingAddOperator>();
    // Keys that arrive in order within a prefix — log sequences; alert ids, sequences, recall
    // and watch indexes of one engine batch — are inserted next to the previous one instead of
    // searched for from the top of the memtable's skiplist.
    if (static_cast<Cf>(i) == Cf::kLog) {
      cf.memtable_insert_with_hint_prefix_extractor.reset(rocksdb::NewFixedPrefixTransform(1));
    } else if (static_cast<Cf>(i) == Cf::kAlerts) {
      cf.memtable_insert_with_hint_prefix_extractor.reset(rocksdb::NewFixedPrefixTransform(2));
    }
    descriptors.emplace_back(kCfNames[i], cf);
  }
  rocksdb::DB* raw = nullptr;
  rocksdb::Status s =
      read_only ? rocksdb::DB::OpenForReadOnly(db_options, options_.path, descriptors, &handles_, &raw)
                : rocksdb::DB::Open(db_options, options_.path, descriptors, &handles_, &raw);
  if (!s.ok()) {
    return Status::Io("cannot open the ledger at '" + options_.path + "': " + s.ToString() +
                      (s.IsIOError() ? " (is another foodtrace serve using it?)" : ""));
  }
  db_.reset(raw);
  FT_RETURN_IF_ERROR(RecoverChainHead());
  // Before anything writes: a ledger shorter than its last signed head must not grow again.
  if (!read_only && !options_.heads.path.empty()) {
    heads_ = std::make_unique<HeadSigner>(this, options_.heads);
    FT_RETURN_IF_ERROR(heads_->Open());
  }
  if (!read_only) FT_RETURN_IF_ERROR(UpgradeSchema());
  if (!read_only) writer_ = std::thread([this] { WriterLoop(); });
  if (heads_) heads_->Start();
  return Status::Ok();
}

Status Ledger::Impl::RecoverChainHead() {
  last_hash_.assign(kSha256Bytes, '\0');
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), handle(Cf::kLog)));
  it->SeekToLast();
  if (!it->Valid()) return Status::Ok();
  v1::LogRecord record;
  v1::Event event;
  if (it->key().size() != 8 || !record.ParseFromArray(it->value().data(), static_cast<int>(it->value().size())) ||
      !event.ParseFromString(record.event()) ||
      Sha256Concat(record.prev_hash(), record.event()) != record.hash()) {
    return Status::Corruption("the last log record does not decode or fails its hash: run "
                              "`foodtrace verify` and restore from backup");
  }
  last_sequence_ = DecodeBigEndian64(std::string_view(it->key().data(), 8));
  last_hash_ = record.hash();
  return Status::Ok();
}

void Ledger::Impl::ValidateRequest(Pending* pending) {
  ValidateContext ctx;
  ctx.today = MarketToday(options_.time_zone, Now());
  pending->results.resize(pending->request.items.size());
  std::string owner_seen;  // a request's entries nearly always share one owner: look it up once
  bool owner_wholesale = false;
  bool owner_producer = false;
  for (std::size_t i = 0; i < pending->request.items.size(); ++i) {
    v1::Item& item = pending->request.items[i];
    ctx.recorder_wholesale = false;
    ctx.recorder_producer = false;
    if (item.has_entry()) {
      // The owner: the entry's party, else the party of its location GLN, else the sender.
      std::string owner = item.entry().party_id();
      if (owner.empty() && !item.entry().location_gln().empty()) {
        auto id = Get(Cf::kParties, PartyByGlnKey(TrimAscii(item.entry().location_gln())));
        if (id.ok() && *id) owner = **id;
      }
      if (owner.empty()) owner = pending->request.recorded_by;
      if (owner != owner_seen || i == 0) {
        auto bytes = Get(Cf::kParties, PartyKey(owner));
        v1::Party party;
        const bool known = bytes.ok() && *bytes && party.ParseFromString(**bytes);
        owner_wholesale = known && party.wholesale();
        owner_producer = known && party.producer();
        owner_seen = owner;
      }
      ctx.recorder_wholesale = owner_wholesale;
      ctx.recorder_producer = owner_producer;
    }
    if (item.has_entry()) {
      // An EPCIS event sent again is answered DUPLICATE before anything else is checked: the
      // document it came in may have lost what the ledger filled in the first time.
      if (const std::uint64_t seq = CapturedBefore(item.entry()); seq != 0) {
        v1::ItemResult dup;
        dup.set_status(v1::ItemResult::DUPLICATE);
        dup.set_sequence(seq);
        dup.set_id(ItemId(item));
        pending->results[i] = std::move(dup);
        continue;
      }
      CompleteFromRegistries(item.mutable_entry());
    }
    Status st = ValidateItem(&item, ctx);
    if (!st.ok()) pending->results[i] = Rejected(st, ItemId(item));
  }
}

Status Ledger::Impl::Submit(WriteRequest request, WriteCallback done) {
  if (request.items.size() > kBatchItemsMax) {
    return Status::Exhausted("BATCH_TOO_LARGE", "a request holds " + std::to_string(request.items.size()) +
                                                    " items; the limit is " + std::to_string(kBatchItemsMax));
  }
  if (request.received_at_ms == 0) request.received_at_ms = Now();
  Pending pending{std::move(request), std::move(done), {}};
  ValidateRequest(&pending);  // on the caller's thread, so validation runs in parallel
  const std::size_t n = pending.request.items.size();
  {
    std::lock_guard lk(mu_);
    if (stopping_) return Status::Unavailable("the ledger is shutting down");
    if (queued_items_ + n > options_.queue_items_max) {
      return Status::Exhausted("BUSY", "the ledger's write queue is full (" +
                                           std::to_string(options_.queue_items_max) +
                                           " items): retry shortly with the same event ids");
    }
    queued_items_ += n;
    queue_.push_back(std::move(pending));
  }
  cv_.notify_one();
  return Status::Ok();
}

void Ledger::Impl::WriterLoop() {
  while (true) {
    std::vector<Pending> group;
    {
      std::unique_lock lk(mu_);
      cv_.wait(lk, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and everything queued was written
      std::size_t items = 0;
      while (!queue_.empty() &&
             (group.empty() || items + queue_.front().request.items.size() <= options_.group_commit_items_max)) {
        items += queue_.front().request.items.size();
        group.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
      queued_items_ -= items;
    }
    CommitGroup(group);
  }
}

void Ledger::Impl::CommitGroup(std::vector<Pending>& group) {
  rocksdb::WriteBatch batch;
  BatchTxn txn(db_.get(), &handles_, &batch);
  Applier applier(&txn, &party_cache_);
  std::uint64_t sequence = last_sequence_.load();
  std::string hash = last_hash_;
  std::vector<CommittedEvent> committed;
  for (Pending& p : group) {
    for (std::size_t i = 0; i < p.request.items.size(); ++i) {
      if (p.results[i]) continue;  // rejected by stateless validation
      v1::Item& item = p.request.items[i];
      std::uint64_t duplicate_of = 0;
      const Status st = applier.Check(&item, p.request.recorded_by, &duplicate_of);
      if (!st.ok()) {
        p.results[i] = Rejected(st, ItemId(item));
        continue;
      }
      v1::ItemResult result;
      result.set_id(ItemId(item));
      if (duplicate_of != 0) {
        result.set_status(v1::ItemResult::DUPLICATE);
        result.set_sequence(duplicate_of);
        p.results[i] = std::move(result);
        continue;
      }
      CommittedEvent ce;
      ce.event.set_sequence(++sequence);
      ce.event.set_recorded_at_ms(p.request.received_at_ms);
      ce.event.set_recorded_by(p.request.recorded_by);
      SetEventBody(&item, &ce.event);
      applier.Apply(&ce.event, /*live=*/true, &ce.holding_changes);
      v1::LogRecord record;
      record.set_event(ce.event.SerializeAsString());
      record.set_prev_hash(hash);
      hash = Sha256Concat(hash, record.event());
      record.set_hash(hash);
      txn.Put(Cf::kLog, LogKey(sequence), record.SerializeAsString());
      result.set_status(v1::ItemResult::ACCEPTED);
      result.set_sequence(sequence);
      p.results[i] = std::move(result);
      committed.push_back(std::move(ce));
    }
  }
  Status failure;
  if (!txn.error().empty()) {
    failure = Status::Io("reading the ledger failed: " + txn.error());
  } else if (batch.Count() > 0) {
    rocksdb::WriteOptions write_options;
    write_options.sync = options_.sync;
    const rocksdb::Status s = db_->Write(write_options, &batch);
    if (!s.ok()) failure = Status::Io("writing the ledger failed: " + s.ToString());
  }
  if (failure.ok()) {
    stat_batches_.fetch_add(1, std::memory_order_relaxed);
    stat_accepted_.fetch_add(committed.size(), std::memory_order_relaxed);
    stat_keys_.fetch_add(batch.Count(), std::memory_order_relaxed);
    last_hash_ = hash;
    last_sequence_ = sequence;
  } else {
    party_cache_.clear();  // it may hold parties of the batch that was not written
    std::fprintf(stderr, "ledger: %s; %zu requests answered STORAGE_FAILED\n",
                 failure.message().c_str(), group.size());
    committed.clear();
  }
  // Observers (the alert engine) see the durable events before any client is answered, so a
  // client's next query can wait for the engine to have processed what it just wrote.
  if (!committed.empty() && options_.on_commit) options_.on_commit(std::move(committed));
  for (Pending& p : group) {
    std::vector<v1::ItemResult> results;
    results.reserve(p.results.size());
    for (std::size_t i = 0; i < p.results.size(); ++i) {
      if (!failure.ok() && p.results[i]->status() != v1::ItemResult::REJECTED) {
        v1::ItemResult r = Rejected(Status(Code::kIo, "STORAGE_FAILED",
                                           failure.message() + ": nothing was written; retry later"),
                                    p.results[i]->id());
        results.push_back(std::move(r));
      } else {
        results.push_back(std::move(*p.results[i]));
      }
    }
    stat_items_.fetch_add(results.size(), std::memory_order_relaxed);
    if (p.done) p.done(std::move(results));
  }
}

Result<std::optional<std::string>> Ledger::Impl::Get(Cf cf, std::string_view key,
                                                     const rocksdb::Snapshot* snapshot) const {
  rocksdb::ReadOptions ro;
  ro.snapshot = snapshot;
  std::string value;
  const rocksdb::Status s = db_->Get(ro, handle(cf), rocksdb::Slice(key.data(), key.size()), &value);
  if (s.IsNotFound()) return std::optional<std::string>();
  if (!s.ok()) return Status::Io("ledger read failed: " + s.ToString());
  return std::optional<std::string>(std::move(value));
}

rocksdb::Iterator* Ledger::Impl::NewIterator(Cf cf, const rocksdb::Snapshot* snapshot) const {
  rocksdb::ReadOptions ro;
  ro.snapshot = snapshot;
  return db_->NewIterator(ro, handle(cf));
}

// --- Ledger ----------------------------------------------------------------------------

Ledger::Ledger(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Ledger::~Ledger() = default;

Result<std::unique_ptr<Ledger>> Ledger::Open(Options options) {
  auto impl = std::make_unique<Impl>(std::move(options));
  FT_RETURN_IF_ERROR(impl->Open(/*read_only=*/false));
  return std::unique_ptr<Ledger>(new Ledger(std::move(impl)));
}

Status Ledger::Submit(WriteRequest request, WriteCallback done) {
  return impl_->Submit(std::move(request), std::move(done));
}

Result<std::vector<v1::ItemResult>> Ledger::SubmitAndWait(WriteRequest request) {
  auto promise = std::make_shared<std::promise<std::vector<v1::ItemResult>>>();
  auto future = promise->get_future();
  FT_RETURN_IF_ERROR(impl_->Submit(std::move(request), [promise](std::vector<v1::ItemResult> r) {
    promise->set_value(std::move(r));
  }));
  return future.get();
}

std::uint64_t Ledger::LastSequence() const { return impl_->last_sequence(); }
Ledger::WriteStats Ledger::Stats() const { return impl_->stats(); }
bool Ledger::BackgroundIdle() const {
  rocksdb::DB* db = impl_->db();
  std::uint64_t n = 0;
  for (const char* property : {"rocksdb.num-running-flushes", "rocksdb.num-running-compactions"}) {
    if (!db->GetIntProperty(property, &n) || n != 0) return false;
  }
  for (const char* property : {"rocksdb.mem-table-flush-pending", "rocksdb.compaction-pending"}) {
    if (!db->GetAggregatedIntProperty(property, &n) || n != 0) return false;
  }
  return true;
}
const TimeZone& Ledger::time_zone() const { return impl_->options().time_zone; }
UnixMillis Ledger::Now() const { return impl_->Now(); }
Date Ledger::Today() const { return MarketToday(impl_->options().time_zone, impl_->Now()); }

}  // namespace foodtrace::ledger
