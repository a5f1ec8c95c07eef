// AlertEngine (alerts.h): the engine thread. It takes committed events from a bounded queue
// (filled by CommitHook on the ledger writer), runs the streaming rules, commits the alerts
// with its watermark in one synced batch, publishes them and wakes the webhook sender; it
// also runs the clock rules on a schedule and on demand. One thread raises every alert, so
// sequences are assigned and published in one order.
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <future>
#include <mutex>
#include <thread>

#include "alerts/limits.h"
#include "alerts/publisher.h"
#include "alerts/rules.h"
#include "alerts/webhook_sender.h"
#include "foodtrace/alerts/alerts.h"

namespace foodtrace::alerts {

using SteadyClock = std::chrono::steady_clock;

class AlertEngine::Impl {
 public:
  explicit Impl(EngineOptions options) : options_(std::move(options)) {}

  void OnCommit(std::vector<ledger::CommittedEvent> events);
  Status Start(ledger::Ledger* ledger);
  void Stop();
  Result<SweepReport> Sweep(int timeout_ms);
  bool WaitProcessed(std::uint64_t sequence, int timeout_ms);
  UnixMillis Now() const { return options_.clock ? options_.clock() : ledger_->Now(); }
  std::uint64_t processed() {
    std::lock_guard lk(mu_);
    return processed_;
  }

  EngineOptions options_;
  ledger::Ledger* ledger_ = nullptr;
  std::unique_ptr<ledger::AlertStore> store_;
  std::unique_ptr<Publisher> publisher_;
  std::unique_ptr<WebhookSender> sender_;
  std::string endpoint_;

 private:
  void Loop();
  void CatchUp();
  void Process(const std::vector<const ledger::CommittedEvent*>& events);
  Result<SweepReport> RunSweep();
  Result<std::vector<v1::Alert>> CommitAndPublish(ledger::AlertBatch& batch);

  std::mutex mu_;
  std::condition_variable cv_;            // work arrived, or stop
  std::condition_variable space_cv_;      // the queue has room
  std::condition_variable processed_cv_;  // processed_ advanced
  std::deque<std::vector<ledger::CommittedEvent>> queue_;
  std::size_t queued_events_ = 0;
  std::deque<std::function<void()>> tasks_;
  bool running_ = false;
  bool stopping_ = false;
  std::uint64_t processed_ = 0;  // guarded by mu_ (written by the engine thread)
  std::thread thread_;
};

void AlertEngine::Impl::OnCommit(std::vector<ledger::CommittedEvent> events) {
  std::unique_lock lk(mu_);
  space_cv_.wait(lk, [&] { return stopping_ || queued_events_ + events.size() <= kEngineQueueEventsMax; });
  if (stopping_) return;  // replayed from the log on the next Start (the watermark)
  queued_events_ += events.size();
  queue_.push_back(std::move(events));
  cv_.notify_one();
}

Status AlertEngine::Impl::Start(ledger::Ledger* ledger) {
  FT_CHECK(ledger != nullptr && ledger_ == nullptr);
  ledger_ = ledger;
  auto store = ledger::AlertStore::Open(*ledger);
  if (!store.ok()) return store.status();
  store_ = std::move(*store);
  auto processed = store_->Processed();
  if (!processed.ok()) return processed.status();
  auto publisher = Publisher::Bind(options_.pub_endpoint);
  if (!publisher.ok()) return publisher.status();
  publisher_ = std::move(*publisher);
  endpoint_ = publisher_->endpoint();
  sender_ = std::make_unique<WebhookSender>(store_.get(), options_.webhook_retry);
  FT_RETURN_IF_ERROR(sender_->Start());
  {
    std::lock_guard lk(mu_);
    processed_ = *processed;
    if (processed_ == 0 && !options_.catch_up_from_start) processed_ = ledger_->LastSequence();
    running_ = true;
  }
  thread_ = std::thread([this] { Loop(); });
  return Status::Ok();
}

void AlertEngine::Impl::Stop() {
  {
    std::lock_guard lk(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  space_cv_.notify_all();
  processed_cv_.notify_all();
  if (thread_.joinable()) thread_.join();
  if (sender_) sender_->Stop();
  std::lock_guard lk(mu_);
  running_ = false;
}

void AlertEngine::Impl::Loop() {
  CatchUp();
  auto next_sweep = SteadyClock::now() + std::chrono::milliseconds(options_.sweep_interval_ms);
  while (true) {
    std::vector<std::vector<ledger::CommittedEvent>> work;
    std::deque<std::function<void()>> tasks;
    {
      std::unique_lock lk(mu_);
      auto ready = [&] { return stopping_ || !queue_.empty() || !tasks_.empty(); };
      if (options_.sweep_interval_ms > 0) {
        cv_.wait_until(lk, next_sweep, ready);
      } else {
        cv_.wait(lk, ready);
      }
      if (stopping_) return;
      while (!queue_.empty() && work.size() < 64) {
        queued_events_ -= queue_.front().size();
        work.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
      tasks.swap(tasks_);
    }
    space_cv_.notify_all();
    std::vector<const ledger::CommittedEvent*> events;
    for (const auto& batch : work) {
      for (const auto& ce : batch) events.push_back(&ce);
    }
    if (!events.empty()) Process(events);
    for (auto& task : tasks) task();
    if (options_.sweep_interval_ms > 0 && SteadyClock::now() >= next_sweep) {
      if (auto r = RunSweep(); !r.ok()) {
        std::fprintf(stderr, "alerts: scheduled sweep failed: %s\n", r.status().ToString().c_str());
      }
      next_sweep = SteadyClock::now() + std::chrono::milliseconds(options_.sweep_interval_ms);
    }
  }
}

// Replays ledger events after the stored watermark (a crash or stop lost them from the queue).
void AlertEngine::Impl::CatchUp() {
  while (true) {
    std::uint64_t from = 0;
    {
      std::lock_guard lk(mu_);
      if (stopping_) return;
      from = processed_ + 1;
    }
    const std::uint64_t last = ledger_->LastSequence();
    if (from > last) return;
    std::vector<ledger::CommittedEvent> replay;
    for (std::uint64_t seq = from; seq <= last && replay.size() < kCatchUpBatchEvents; ++seq) {
      auto event = ledger_->ReadEvent(seq);
      if (!event.ok()) {
        std::fprintf(stderr, "alerts: cannot replay event %llu: %s\n", static_cast<unsigned long long>(seq),
                     event.status().ToString().c_str());
        return;
      }
      replay.push_back({std::move(*event), {}});
    }
    std::vector<const ledger::CommittedEvent*> events;
    for (const auto& ce : replay) events.push_back(&ce);
    Process(events);
  }
}

Result<std::vector<v1::Alert>> AlertEngine::Impl::CommitAndPublish(ledger::AlertBatch& batch) {
  std::vector<std::string> encoded;  // what was stored, published as is
  auto raised = store_->Commit(batch, Now(), &encoded);
  for (int attempt = 1; !raised.ok() && attempt < 5; ++attempt) {
    std::fprintf(stderr, "alerts: storing alerts failed (attempt %d): %s\n", attempt,
                 raised.status().ToString().c_str());
    std::this_thread::sleep_for(std::chrono::milliseconds(100 << attempt));  // storage back-off
    raised = store_->Commit(batch, Now(), &encoded);
  }
  if (!raised.ok()) return raised.status();
  if (!raised->empty()) {
    if (Status st = publisher_->Publish(*raised, encoded); !st.ok()) {
      std::fprintf(stderr, "alerts: %s\n", st.ToString().c_str());
    }
    sender_->Notify();
  }
  return raised;
}

void AlertEngine::Impl::Process(const std::vector<const ledger::CommittedEvent*>& events) {
  std::uint64_t done = 0;
  {
    std::lock_guard lk(mu_);
    done = processed_;
  }
  RuleContext ctx(*ledger_, *store_, options_, Now());
  ledger::AlertBatch batch;
  std::uint64_t last = done;
  for (const ledger::CommittedEvent* ce : events) {
    if (ce->event.sequence() <= last) continue;
    RunStreamingRules(ctx, ce->event, ce->holding_changes, &batch);
    last = ce->event.sequence();
  }
  if (last == done) return;
  batch.SetProcessed(last);
  if (auto raised = CommitAndPublish(batch); !raised.ok()) {
    // Not advancing the watermark: the next start replays these events from the log.
    std::fprintf(stderr, "alerts: giving up on events %llu..%llu until restart: %s\n",
                 static_cast<unsigned long long>(done + 1), static_cast<unsigned long long>(last),
                 raised.status().ToString().c_str());
  }
  {
    std::lock_guard lk(mu_);
    processed_ = last;
  }
  processed_cv_.notify_all();
}

Result<SweepReport> AlertEngine::Impl::RunSweep() {
  const auto started = SteadyClock::now();
  RuleContext ctx(*ledger_, *store_, options_, Now());
  ledger::AlertBatch batch;
  SweepReport report;
  for (const char* kind : {"NEAR_EXPIRY", "EXPIRED_IN_STOCK", "UNCONFIRMED_RECEIPT", "RECALL_OVERDUE"}) {
    report.raised[kind] = 0;
  }
  FT_RETURN_IF_ERROR(RunClockRules(ctx, &batch, &report.truncated));
  auto raised = CommitAndPublish(batch);
  if (!raised.ok()) return raised.status();
  for (const v1::Alert& a : *raised) ++report.raised[v1::Alert::Kind_Name(a.kind())];
  report.elapsed_us =
      std::chrono::duration_cast<std::chrono::microseconds>(SteadyClock::now() - started).count();
  return report;
}

Result<SweepReport> AlertEngine::Impl::Sweep(int timeout_ms) {
  auto promise = std::make_shared<std::promise<Result<SweepReport>>>();
  auto future = promise->get_future();
  {
    std::lock_guard lk(mu_);
    if (!running_ || stopping_) return Status::Unavailable("the alert engine is not running");
    tasks_.push_back([this, promise] { promise->set_value(RunSweep()); });
  }
  cv_.notify_one();
  if (future.wait_for(std::chrono::milliseconds(timeout_ms)) != std::future_status::ready) {
    return Status(Code::kDeadlineExceeded, "SWEEP_TIMEOUT",
                  "the sweep did not finish within " + std::to_string(timeout_ms) + " ms; it goes on");
  }
  return future.get();
}

bool AlertEngine::Impl::WaitProcessed(std::uint64_t sequence, int timeout_ms) {
  std::unique_lock lk(mu_);
  return processed_cv_.wait_for(lk, std::chrono::milliseconds(timeout_ms),
                                [&] { return processed_ >= sequence || stopping_; }) &&
         processed_ >= sequence;
}

// --- AlertEngine ------------------------------------------------------------------------

AlertEngine::AlertEngine(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
AlertEngine::~AlertEngine() { Stop(); }

Result<std::unique_ptr<AlertEngine>> AlertEngine::Create(EngineOptions options) {
  if (options.near_expiry.empty() || options.recall_rules.empty()) {
    return Status::Invalid("ALERT_OPTIONS", "the near-expiry table and the recall rules may not be empty");
  }
  if (options.sweep_interval_ms < 0 || options.unconfirmed_grace_ms < 0 ||
      options.webhook_retry.attempts_max < 1 || options.webhook_retry.backoff_initial_ms < 1 ||
      options.webhook_retry.timeout_ms < 1) {
    return Status::Invalid("ALERT_OPTIONS", "intervals, attempts and timeouts must be positive");
  }
  return std::unique_ptr<AlertEngine>(new AlertEngine(std::make_unique<Impl>(std::move(options))));
}

std::function<void(std::vector<ledger::CommittedEvent>)> AlertEngine::CommitHook() {
  Impl* impl = impl_.get();
  return [impl](std::vector<ledger::CommittedEvent> events) { impl->OnCommit(std::move(events)); };
}

Status AlertEngine::Start(ledger::Ledger* ledger) { return impl_->Start(ledger); }
void AlertEngine::Stop() { impl_->Stop(); }
const std::string& AlertEngine::endpoint() const { return impl_->endpoint_; }
ledger::AlertStore& AlertEngine::store() { return *impl_->store_; }
const EngineOptions& AlertEngine::options() const { return impl_->options_; }
UnixMillis AlertEngine::Now() const { return impl_->Now(); }
Result<SweepReport> AlertEngine::Sweep(int timeout_ms) { return impl_->Sweep(timeout_ms); }
bool AlertEngine::WaitProcessed(std::uint64_t sequence, int timeout_ms) {
  return impl_->WaitProcessed(sequence, timeout_ms);
}
std::uint64_t AlertEngine::processed_sequence() const { return impl_->processed(); }

}  // namespace foodtrace::alerts
