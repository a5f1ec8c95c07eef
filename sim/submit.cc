// Submitter, Pacer and Progress (submit.h).
#include "sim/submit.h"

#include <cstdio>
#include <filesystem>
#include <thread>

#include "sim/limits.h"

namespace foodtrace::sim {

Pacer::Pacer(double rate_events_per_s, const std::atomic<bool>* stop)
    : rate_(rate_events_per_s), stop_(stop), start_(std::chrono::steady_clock::now()) {}

void Pacer::set_rate(double rate_events_per_s) {
  std::lock_guard lock(mu_);
  rate_ = rate_events_per_s;
  start_ = std::chrono::steady_clock::now();
  sent_ = 0;
}

bool Pacer::Wait(std::size_t n) {
  std::chrono::steady_clock::time_point due;
  {
    std::lock_guard lock(mu_);
    if (rate_ <= 0) return !stopped();
    due = start_ + std::chrono::microseconds(static_cast<std::int64_t>(sent_ / rate_ * 1e6));
    sent_ += static_cast<double>(n);
  }
  // Sleep in short steps so a stop request is seen promptly.
  while (std::chrono::steady_clock::now() < due) {
    if (stopped()) return false;
    std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(
        due - std::chrono::steady_clock::now(), std::chrono::milliseconds(100)));
  }
  return !stopped();
}

void Progress::SetDay(const std::string& label) {
  std::lock_guard lock(mu_);
  label_ = label;
  PrintLocked(false);
}

void Progress::Add(std::size_t events) {
  std::lock_guard lock(mu_);
  events_ += events;
  if (std::chrono::steady_clock::now() - last_print_ >= std::chrono::milliseconds(kProgressIntervalMs)) {
    PrintLocked(false);
  }
}

void Progress::Finish() {
  std::lock_guard lock(mu_);
  PrintLocked(true);
}

std::size_t Progress::events() const {
  std::lock_guard lock(mu_);
  return events_;
}

void Progress::PrintLocked(bool final_line) {
  if (!enabled_) return;
  last_print_ = std::chrono::steady_clock::now();
  const double seconds = std::chrono::duration<double>(last_print_ - start_).count();
  std::fprintf(stderr, "\rsimulate: %s  %zu events  %.0f events/s   %s", label_.c_str(), events_,
               seconds > 0 ? static_cast<double>(events_) / seconds : 0.0, final_line ? "\n" : "");
  std::fflush(stderr);
}

Submitter::Submitter(std::string keys_dir, std::string endpoint, Pacer* pacer, Progress* progress)
    : keys_dir_(std::move(keys_dir)), endpoint_(std::move(endpoint)), pacer_(pacer), progress_(progress) {}

Result<ingest::Client*> Submitter::ClientFor(const std::string& writer) {
  auto it = clients_.find(writer);
  if (it != clients_.end()) return it->second.get();
  auto known = keys_.find(writer);
  auto key = known != keys_.end() ? Result<ingest::KeyFile>(known->second)
                                  : ingest::ReadKeyFile((std::filesystem::path(keys_dir_) / (writer + ".key")).string());
  if (!key.ok()) return key.status();
  ingest::ClientOptions options;
  options.key = std::move(*key);
  options.endpoint = endpoint_;
  options.timeout_ms = kClientTimeoutMs;
  auto client = ingest::Client::Connect(std::move(options));
  if (!client.ok()) return client.status();
  return clients_.emplace(writer, std::move(*client)).first->second.get();
}

Status Submitter::Send(const Batch& batch, std::size_t chunk_items) {
  auto client = ClientFor(batch.writer);
  if (!client.ok()) return client.status();
  for (std::size_t start = 0; start < batch.items.size(); start += chunk_items) {
    const std::size_t end = std::min(batch.items.size(), start + chunk_items);
    if (!pacer_->Wait(end - start)) return Status::Unavailable("stopped");
    std::vector<v1::Item> chunk(batch.items.begin() + static_cast<std::ptrdiff_t>(start),
                                batch.items.begin() + static_cast<std::ptrdiff_t>(end));
    auto results = (*client)->Submit(std::move(chunk));
    if (!results.ok()) return results.status();
    for (const v1::ItemResult& r : *results) {
      if (r.status() != v1::ItemResult::REJECTED) continue;
      return Status(Code::kInternal, "SIM_ITEM_REJECTED",
                    "the server refused simulated item " + r.id() + " of " + batch.writer + ": " + r.code() +
                        ": " + r.message());
    }
    progress_->Add(end - start);
  }
  return Status::Ok();
}

Status Submitter::SendDay(const Day& day) {
  for (const Batch& b : day.trade) {  // connect first: the workers only read the map
    if (auto c = ClientFor(b.writer); !c.ok()) return c.status();
  }
  const std::size_t threads = std::min<std::size_t>(kSubmitThreadsMax, day.trade.size());
  std::vector<Status> failures(threads);
  std::vector<std::thread> workers;
  for (std::size_t t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      for (std::size_t i = t; i < day.trade.size() && failures[t].ok(); i += threads) {
        failures[t] = Send(day.trade[i], kSubmitChunkItemsMax);
      }
    });
  }
  for (auto& w : workers) w.join();
  for (const Status& s : failures) FT_RETURN_IF_ERROR(s);
  for (const Batch& b : day.oversight) FT_RETURN_IF_ERROR(Send(b, kSubmitChunkItemsMax));
  return Status::Ok();
}

}  // namespace foodtrace::sim
