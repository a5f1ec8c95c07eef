// bench_compare workload generation and the per-market loader (workload.h).
#include "bench/compare/workload.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <mutex>
#include <random>
#include <thread>

#include "foodtrace/common/check.h"
#include "foodtrace/common/identifiers.h"

namespace foodtrace::bench::compare {
namespace {

using Clock = std::chrono::steady_clock;

constexpr double kEntriesPerLotEstimate = 29.0;
constexpr int kLotSpanDays = 360;  // lots are received over the year before today
constexpr int kShelfLifeDays[] = {20, 45, 90, 180, 365};
constexpr std::size_t kQueueBatchesMax = 8;  // per market, between generator and writer

std::string Padded(int n, int width) {
  std::string digits = std::to_string(n);
  return std::string(static_cast<std::size_t>(std::max(0, width - static_cast<int>(digits.size()))),
                     '0') +
         digits;
}

// A bounded queue of batches for one market's writer; an empty batch ends it.
class BatchQueue {
 public:
  void Push(std::vector<Entry> batch) {
    std::unique_lock lk(mu_);
    cv_.wait(lk, [&] { return queue_.size() < kQueueBatchesMax || stopped_; });
    queue_.push_back(std::move(batch));
    cv_.notify_all();
  }
  std::vector<Entry> Pop() {
    std::unique_lock lk(mu_);
    cv_.wait(lk, [&] { return !queue_.empty(); });
    std::vector<Entry> batch = std::move(queue_.front());
    queue_.pop_front();
    cv_.notify_all();
    return batch;
  }
  // The writer failed: never block the generator again.
  void Stop() {
    std::lock_guard lk(mu_);
    stopped_ = true;
    cv_.notify_all();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::vector<Entry>> queue_;
  bool stopped_ = false;
};

}  // namespace

Workload::Workload(WorkloadConfig config) : config_(config) {
  FT_CHECK(config_.markets > 0 && config_.wholesalers > 0 &&
           config_.vendors >= config_.hot_holders);
  lots_estimate_ = std::max<std::uint64_t>(
      2, static_cast<std::uint64_t>(static_cast<double>(config_.entries) / kEntriesPerLotEstimate));
  hot_lot_ = lots_estimate_ / 2;
}

std::string Workload::PartyId(int party) const {
  if (IsWholesaler(party))
    return "W" + Padded(party, 4);
  return "V" + Padded(party - config_.wholesalers, 5);
}

std::string Workload::Gtin(int product) const {
  const std::string body = "692" + Padded(product, 9);
  return "0" + body + std::to_string(Gs1CheckDigit(body));
}

int Workload::ProductOf(std::uint64_t lot) const {
  return static_cast<int>(lot % static_cast<std::uint64_t>(config_.products));
}

std::uint64_t Workload::Generate(const std::function<void(const Entry&)>& sink) const {
  std::mt19937_64 rng(config_.seed);
  auto uniform = [&rng](int low, int high) {  // [low, high]
    return low + static_cast<int>(rng() % static_cast<std::uint64_t>(high - low + 1));
  };
  std::uint64_t emitted = 0, event = 0, lot = 0;
  auto emit = [&](Entry e) {
    if (emitted >= config_.entries)
      return;
    e.event = event++;
    sink(e);
    ++emitted;
  };
  std::vector<int> holders;
  for (; emitted < config_.entries; ++lot) {
    const int product = ProductOf(lot);
    const int span = static_cast<int>(std::min<std::uint64_t>(lot, lots_estimate_) * kLotSpanDays /
                                      lots_estimate_);
    const Date received = config_.today.AddDays(-kLotSpanDays - 15 + span);
    Entry base;
    base.product = product;
    base.lot = lot;
    base.produced_on = received.AddDays(-1);
    base.expires_on = base.produced_on.AddDays(kShelfLifeDays[product % 5]);
    const int wholesaler = static_cast<int>(lot % static_cast<std::uint64_t>(config_.wholesalers));
    holders.clear();
    if (lot == hot_lot_) {
      const int first = uniform(0, config_.vendors - 1);
      for (int i = 0; i < config_.hot_holders; ++i)
        holders.push_back(Vendor((first + i) % config_.vendors));
    } else {
      const int k = uniform(4, 12);
      while (static_cast<int>(holders.size()) < k) {
        const int v = Vendor(uniform(0, config_.vendors - 1));
        if (std::find(holders.begin(), holders.end(), v) == holders.end())
          holders.push_back(v);
      }
    }
    std::vector<std::int64_t> quantities;
    std::int64_t total = 0;
    for (std::size_t i = 0; i < holders.size(); ++i)
      total += quantities.emplace_back(uniform(20, 100));
    Entry in = base;
    in.party = wholesaler;
    in.quantity = total + uniform(0, 50);
    in.occurred_on = received;
    emit(in);
    for (int pass = 0; pass < 2; ++pass) {  // the wholesaler's SHIPs, then the vendors' RECEIVEs
      for (std::size_t i = 0; i < holders.size(); ++i) {
        Entry e = base;
        e.ship = pass == 0;
        e.party = pass == 0 ? wholesaler : holders[i];
        e.counterparty = pass == 0 ? holders[i] : wholesaler;
        e.quantity = quantities[i];
        e.occurred_on = received.AddDays(1);
        emit(e);
      }
    }
    for (std::size_t i = 0; i < holders.size(); ++i) {
      const int sales = lot == hot_lot_ ? 1 : uniform(0, 3);
      for (int s = 0; s < sales; ++s) {
        Entry e = base;
        e.ship = true;
        e.party = holders[i];
        e.quantity = uniform(1, static_cast<int>(quantities[i] / 5));
        e.occurred_on = received.AddDays(2 + 3 * s);
        emit(e);
      }
    }
  }
  return lot;
}

double Percentile(std::vector<double> values, double p) {
  if (values.empty())
    return 0;
  std::sort(values.begin(), values.end());
  const auto index = static_cast<std::size_t>(p * static_cast<double>(values.size()));
  return values[std::min(values.size() - 1, index)];
}

LoadResult Load(const Workload& workload, int batch, const std::string& label,
                const std::function<std::unique_ptr<Sink>(int market)>& make_sink) {
  const int markets = workload.config().markets;
  std::vector<BatchQueue> queues(static_cast<std::size_t>(markets));
  std::atomic<std::uint64_t> written{0};
  std::atomic<bool> failed{false};
  std::mutex mu;
  LoadResult result;
  const auto start = Clock::now();
  std::vector<std::thread> writers;
  for (int m = 0; m < markets; ++m) {
    writers.emplace_back([&, m] {
      BatchQueue& queue = queues[static_cast<std::size_t>(m)];
      std::unique_ptr<Sink> sink = make_sink(m);
      std::vector<double> latencies;
      for (std::vector<Entry> b = queue.Pop(); !b.empty(); b = queue.Pop()) {
        if (failed)
          continue;  // drain to the end marker
        const auto t0 = Clock::now();
        if (sink == nullptr || !sink->Write(b)) {
          failed = true;
          for (auto& q : queues) q.Stop();
          continue;
        }
        latencies.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
        written += b.size();
      }
      std::lock_guard lk(mu);
      result.batch_ms.insert(result.batch_ms.end(), latencies.begin(), latencies.end());
    });
  }
  std::vector<std::vector<Entry>> pending(static_cast<std::size_t>(markets));
  auto last_print = start;
  result.lots = workload.Generate([&](const Entry& e) {
    if (failed)
      return;  // a writer failed: generate the rest without queueing it
    auto& p = pending[static_cast<std::size_t>(workload.MarketOf(e.party))];
    p.push_back(e);
    if (static_cast<int>(p.size()) < batch)
      return;
    queues[static_cast<std::size_t>(workload.MarketOf(e.party))].Push(std::move(p));
    p.clear();
    const auto now = Clock::now();
    if (now - last_print < std::chrono::seconds(5))
      return;
    last_print = now;
    const double s = std::chrono::duration<double>(now - start).count();
    std::fprintf(stderr, "  %s load: %llu / %llu entries durable, %.0f entries/s, %.0f s\n",
                 label.c_str(), static_cast<unsigned long long>(written.load()),
                 static_cast<unsigned long long>(workload.config().entries),
                 static_cast<double>(written) / s, s);
  });
  for (int m = 0; m < markets; ++m) {
    auto& p = pending[static_cast<std::size_t>(m)];
    if (!p.empty())
      queues[static_cast<std::size_t>(m)].Push(std::move(p));
    queues[static_cast<std::size_t>(m)].Push({});
  }
  for (auto& t : writers) t.join();
  result.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  result.entries = written;
  result.ok = !failed && written == workload.config().entries;
  std::fprintf(stderr, "  %s load: %llu entries in %.1f s, %.0f entries/s%s\n", label.c_str(),
               static_cast<unsigned long long>(result.entries), result.seconds,
               static_cast<double>(result.entries) / result.seconds, result.ok ? "" : " (FAILED)");
  return result;
}

}  // namespace foodtrace::bench::compare
