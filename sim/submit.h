// Sending generated items (private to sim/): one ingest Client per writing key, pacing to a
// target rate, and the progress line. Submitter::SendDay sends a day's trade batches on up to
// kSubmitThreadsMax threads (one writer's batch stays on one thread, in order), then its
// oversight batches in order. Thread-safety: Pacer and Progress are thread-safe; a Submitter
// is used by one thread at a time (it starts and joins its own workers).
#pragma once

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "foodtrace/ingest/client.h"
#include "foodtrace/sim/sim.h"

namespace foodtrace::sim {

class Pacer {
 public:
  // rate_events_per_s 0 = no pacing. `stop` may be null.
  Pacer(double rate_events_per_s, const std::atomic<bool>* stop);
  void set_rate(double rate_events_per_s);
  // Waits until sending `n` more events keeps to the rate; false if stopped while waiting.
  bool Wait(std::size_t n);
  bool stopped() const { return stop_ != nullptr && stop_->load(); }

 private:
  std::mutex mu_;
  double rate_;
  const std::atomic<bool>* stop_;
  std::chrono::steady_clock::time_point start_;
  double sent_ = 0;
};

class Progress {
 public:
  explicit Progress(bool enabled) : enabled_(enabled) {}
  void SetDay(const std::string& label);  // e.g. "day 3/14 2026-01-05" or "live round 7"
  void Add(std::size_t events);
  void Finish();  // the final line, with a newline
  std::size_t events() const;

 private:
  void PrintLocked(bool final_line);
  mutable std::mutex mu_;
  bool enabled_;
  std::string label_;
  std::size_t events_ = 0;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point last_print_;
};

class Submitter {
 public:
  // Keys are read from `keys_dir`/<writer>.key; connections go to `endpoint`.
  Submitter(std::string keys_dir, std::string endpoint, Pacer* pacer, Progress* progress);
  // Sends every item of `batch` with the writer's key, in chunks of at most `chunk_items`.
  // Errors: as Client::Submit / ReadKeyFile; INTERNAL SIM_ITEM_REJECTED for a refused item;
  // UNAVAILABLE SIM_STOPPED when the pacer was stopped.
  Status Send(const Batch& batch, std::size_t chunk_items);
  Status SendDay(const Day& day);
  // Uses `key` for `writer` instead of reading keys_dir/<writer>.key (the operator's key).
  void AddKey(const std::string& writer, ingest::KeyFile key) { keys_[writer] = std::move(key); }

 private:
  Result<ingest::Client*> ClientFor(const std::string& writer);
  std::string keys_dir_, endpoint_;
  Pacer* pacer_;
  Progress* progress_;
  std::map<std::string, ingest::KeyFile> keys_;
  std::map<std::string, std::unique_ptr<ingest::Client>> clients_;
};

}  // namespace foodtrace::sim
