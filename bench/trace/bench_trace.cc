// bench_trace: trace, recall and expiry-sweep costs on a large ledger (scripts/bench-trace;
// results in docs/benchmarks.md, "Trace and alerts").
//
// 1. Writes a seeded market through the ledger API: parties, a lot held by ~1,000 vendors
//    (traced), lots held by ~10,000 vendors each (recalled), a fixed set of near-expiry and expired
//    holdings, then random purchases and sales of long-dated lots up to --entries records. The
//    bulk load runs with Options::sync = false (this bench measures reads, not durability);
//    every measured phase reopens the ledger with sync = true and the alert engine attached.
// 2. At each checkpoint (1M, 2M, 5M, 10M records) runs the clock rules twice: the first run
//    raises the fixed set's alerts once, the second is the steady hourly cost. Both must stay
//    flat as the ledger grows: they read the expiry index, never all holdings.
// 3. Trace down of the ~1,000-holder lot: p50/p99 over --trace-samples runs of Ledger::TraceDown.
// 4. Recall of each ~10,000-holder lot (--recalls, default 3) in turn: from Submit of the Recall
//    to the last of its RECALLED_IN_STOCK alerts received by a ZeroMQ subscriber over TCP
//    loopback; the median is held against the target. Every timed phase first waits until
//    RocksDB's background flushes and compactions are done.
#include <CLI/CLI.hpp>
#include <zmq.hpp>
#include <sys/resource.h>
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <string>
#include <thread>

#include "bench/trace/load.h"
#include "foodtrace/alerts/alerts.h"
#include "foodtrace/common/memory.h"

namespace foodtrace::bench {
namespace {

using Clock = std::chrono::steady_clock;

double MsSince(Clock::time_point t) { return std::chrono::duration<double, std::milli>(Clock::now() - t).count(); }

double ThreadCpuMs() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

// CPU time of the whole process (all threads), in ms: compared with wall time it shows how much
// of a phase was spent waiting for a core on a shared machine.
double ProcessCpuMs() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return (static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) * 1e3) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e3;
}

struct Flags {
  std::string dir = "/tmp/foodtrace-bench-trace";
  std::uint64_t entries = 10'000'000;
  std::vector<std::uint64_t> checkpoints{1'000'000, 2'000'000, 5'000'000, 10'000'000};
  int trace_samples = 1000;
  bool small = false;
  bool keep = false;
  LoadConfig load;
};

// The ledger with the engine attached, as `foodtrace serve` runs them.
struct Served {
  std::unique_ptr<alerts::AlertEngine> engine;
  std::unique_ptr<ledger::Ledger> ledger;
  ~Served() {
    if (engine) engine->Stop();
    ledger.reset();
    engine.reset();
  }
};

std::unique_ptr<ledger::Ledger> OpenPlain(const Flags& f) {
  ledger::Options o;
  o.path = f.dir + "/ledger";
  o.sync = false;
  o.clock = [] { return Noon(); };
  auto l = ledger::Ledger::Open(o);
  FT_CHECK(l.ok());
  return std::move(*l);
}

std::unique_ptr<Served> OpenServed(const Flags& f) {
  auto s = std::make_unique<Served>();
  alerts::EngineOptions eo;
  eo.pub_endpoint = "tcp://127.0.0.1:*";
  eo.sweep_interval_ms = 0;
  eo.catch_up_from_start = false;  // the bulk load ran without the engine; start at its end
  auto engine = alerts::AlertEngine::Create(eo);
  FT_CHECK(engine.ok());
  s->engine = std::move(*engine);
  ledger::Options o;
  o.path = f.dir + "/ledger";
  o.clock = [] { return Noon(); };
  o.on_commit = s->engine->CommitHook();
  auto l = ledger::Ledger::Open(o);
  FT_CHECK(l.ok());
  s->ledger = std::move(*l);
  FT_CHECK(s->engine->Start(s->ledger.get()).ok());
  return s;
}

struct SweepRow {
  std::uint64_t records;
  double first_ms, steady_ms;
  std::size_t raised;
};

SweepRow MeasureSweep(const Flags& f) {
  auto s = OpenServed(f);
  SweepRow row{s->ledger->LastSequence(), 0, 0, 0};
  auto t = Clock::now();
  auto first = s->engine->Sweep(600'000);
  FT_CHECK(first.ok());
  row.first_ms = MsSince(t);
  for (const auto& [k, n] : first->raised) row.raised += n;
  t = Clock::now();
  FT_CHECK(s->engine->Sweep(600'000).ok());
  row.steady_ms = MsSince(t);
  return row;
}

std::pair<double, double> MeasureTrace(const Flags& f, Served& s) {
  std::vector<double> ms, cpu;
  std::size_t holders = 0;
  for (int i = 0; i < f.trace_samples; ++i) {
    const auto t = Clock::now();
    const double c = ThreadCpuMs();
    auto trace = s.ledger->TraceDown(ProductGtin(1), kHotLot, 32);
    cpu.push_back(ThreadCpuMs() - c);
    ms.push_back(MsSince(t));
    FT_CHECK(trace.ok());
    holders = trace->holders.size();
  }
  std::sort(ms.begin(), ms.end());
  std::sort(cpu.begin(), cpu.end());
  std::fprintf(stderr, "  trace down: %zu holders per answer; CPU p50 %.2f ms, p99 %.2f ms\n", holders,
               cpu[cpu.size() / 2], cpu[std::min(cpu.size() - 1, cpu.size() * 99 / 100)]);
  return {ms[ms.size() / 2], ms[std::min(ms.size() - 1, ms.size() * 99 / 100)]};
}

// Waits until RocksDB has no flush or compaction running or pending, so a timed phase does not
// share the cores with the load's background work.
void WaitBackgroundIdle(const ledger::Ledger& ledger) {
  const auto start = Clock::now();
  while (!ledger.BackgroundIdle() && MsSince(start) < 600'000) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

// The regulators' feed as a subscriber sees it: topic and Alert frames as they arrive. Decoding
// is left until after the timed part (the bench measures publication, not its own parsing) and
// then checked: every frame must decode to the recall's alert.
class RawFeed {
 public:
  explicit RawFeed(const std::string& endpoint) {
    socket_.set(zmq::sockopt::rcvhwm, 0);
    socket_.set(zmq::sockopt::subscribe, "");
    socket_.connect(endpoint);
  }
  // The next alert's body, or nothing after `timeout_ms` of silence.
  std::optional<std::string> Next(int timeout_ms, std::string* topic) {
    zmq::message_t t, body;
    if (!socket_.recv(t, zmq::recv_flags::dontwait)) {  // poll only when nothing is queued
      zmq::pollitem_t item{static_cast<void*>(socket_), 0, ZMQ_POLLIN, 0};
      if (zmq::poll(&item, 1, std::chrono::milliseconds(timeout_ms)) == 0) return std::nullopt;
      FT_CHECK(socket_.recv(t, zmq::recv_flags::none));
    }
    FT_CHECK(t.more());
    FT_CHECK(socket_.recv(body, zmq::recv_flags::none) && !body.more());
    *topic = t.to_string();
    return body.to_string();
  }

 private:
  zmq::context_t context_{1};
  zmq::socket_t socket_{context_, zmq::socket_type::sub};
};

// For each recalled lot in turn: Submit of the Recall → every one of its RECALLED_IN_STOCK
// alerts received by a subscriber over TCP. Returns the ms of each; `counts` gets the alerts of
// each recall that decoded and named it.
std::vector<double> MeasureRecalls(Served& s, const LoadConfig& load, std::vector<int>* counts) {
  RawFeed feed(s.engine->endpoint());
  Writer writer(s.ledger.get());
  std::string topic;
  for (int probe = 0;; ++probe) {  // slow joiner: wait until a probe alert arrives
    v1::Item item;
    v1::LedgerEntry* e = item.mutable_entry();
    e->set_event_id("probe-" + std::to_string(probe));
    e->set_kind(v1::LedgerEntry::RECEIVE);
    e->set_party_id(VendorId(0));
    e->mutable_lot()->set_gtin(ProductGtin(5));
    e->mutable_lot()->set_lot("PROBE");
    e->mutable_lot()->set_product_name("probe");
    e->mutable_lot()->set_specification("1");
    e->mutable_lot()->set_expires_on(Today().AddDays(300).ToString());
    e->set_quantity(1);
    e->set_unit("H87");
    e->set_occurred_on(Today().ToString());
    e->mutable_counterparty()->set_name("unverified");
    e->mutable_counterparty()->set_address("x");
    e->mutable_counterparty()->set_contact("x");
    writer.Write("operator", {item});
    writer.Drain();
    if (feed.Next(200, &topic)) break;
  }
  const std::string kInStock = "alert.RECALLED_IN_STOCK.";
  std::vector<double> times;
  for (int n = 1; n <= load.recalls; ++n) {
    while (feed.Next(300, &topic)) {  // drain what earlier steps published
    }
    WaitBackgroundIdle(*s.ledger);
    v1::Item recall;
    v1::Recall* r = recall.mutable_recall();
    r->set_recall_id("BENCH-RECALL-" + std::to_string(n));
    r->set_level(v1::Recall::I);
    r->set_gtin(ProductGtin(2));
    r->add_lots(RecallLot(n));
    r->set_reason("bench recall");
    const auto t = Clock::now();
    const double cpu_start = ProcessCpuMs();
    writer.Write("R", {recall});
    writer.Drain();
    const double committed_ms = MsSince(t);
    std::vector<std::string> bodies;
    bodies.reserve(static_cast<std::size_t>(load.recall_holders));
    double wall = 0;
    while (static_cast<int>(bodies.size()) < load.recall_holders) {
      auto body = feed.Next(10'000, &topic);
      if (!body) break;
      if (topic.compare(0, kInStock.size(), kInStock) == 0) bodies.push_back(std::move(*body));
    }
    wall = MsSince(t);
    const double cpu_ms = ProcessCpuMs() - cpu_start;
    int alerts = 0;
    for (const std::string& body : bodies) {
      v1::Alert a;
      if (a.ParseFromString(body) && a.kind() == v1::Alert::RECALLED_IN_STOCK && a.recall_id() == r->recall_id()) ++alerts;
    }
    std::fprintf(stderr,
                 "  recall %d: committed by the ledger after %.1f ms; %d alerts received after %.1f ms; "
                 "%.1f ms CPU (all threads)\n",
                 n, committed_ms, alerts, wall, cpu_ms);
    times.push_back(wall);
    counts->push_back(alerts);
  }
  return times;
}

int Run(Flags& f) {
  std::error_code ec;
  std::filesystem::remove_all(f.dir, ec);
  std::filesystem::create_directories(f.dir);
  std::mt19937_64 rng(f.load.seed);
  std::vector<SweepRow> sweeps;
  const auto load_start = Clock::now();
  {
    auto ledger = OpenPlain(f);
    std::fprintf(stderr, "bench_trace: fixtures (%d vendors)\n", f.load.vendors);
    LoadFixtures(ledger.get(), f.load);
  }
  for (std::uint64_t cp : f.checkpoints) {
    {
      auto ledger = OpenPlain(f);
      LoadBulk(ledger.get(), f.load, &rng, cp);
    }
    sweeps.push_back(MeasureSweep(f));
    std::fprintf(stderr, "  sweep at %llu records: %.1f ms first, %.1f ms steady\n",
                 static_cast<unsigned long long>(sweeps.back().records), sweeps.back().first_ms, sweeps.back().steady_ms);
  }
  const double load_s = std::chrono::duration<double>(Clock::now() - load_start).count();
  auto served = OpenServed(f);
  const std::uint64_t records = served->ledger->LastSequence();
  WaitBackgroundIdle(*served->ledger);
  auto [p50, p99] = MeasureTrace(f, *served);
  std::vector<int> recall_alerts;
  std::vector<double> recall_ms = MeasureRecalls(*served, f.load, &recall_alerts);
  served.reset();
  std::uintmax_t bytes = 0;
  for (const auto& e : std::filesystem::recursive_directory_iterator(f.dir)) {
    if (e.is_regular_file()) bytes += e.file_size();
  }
  std::printf("\nbench_trace: %llu ledger records (%.0f s to build), %.2f GB on disk\n",
              static_cast<unsigned long long>(records), load_s, static_cast<double>(bytes) / 1e9);
  std::printf("| measure | result | target |\n|---|---|---|\n");
  std::printf("| trace down, lot with %d holders, p50 | %.2f ms | |\n", f.load.trace_holders, p50);
  std::printf("| trace down, lot with %d holders, p99 | %.2f ms | ≤ 5 ms |\n", f.load.trace_holders, p99);
  std::vector<double> sorted = recall_ms;
  std::sort(sorted.begin(), sorted.end());
  std::string each;
  for (double ms : recall_ms) each += (each.empty() ? "" : " / ") + std::to_string(static_cast<int>(ms + 0.5));
  std::printf("| recall → %d RECALLED_IN_STOCK alerts received, median of %zu (each, ms: %s) | %.1f ms | ≤ 200 ms |\n",
              f.load.recall_holders, sorted.size(), each.c_str(), sorted[sorted.size() / 2]);
  std::printf("| recall, worst of %zu | %.1f ms | |\n", sorted.size(), sorted.back());
  std::printf("\n| ledger records | expiry sweep, first run (raises %zu) | steady sweep | expiring holdings |\n|---|---|---|---|\n",
              sweeps.empty() ? 0 : sweeps.front().raised);
  for (const SweepRow& s : sweeps) {
    std::printf("| %llu | %.1f ms | %.1f ms | %d |\n", static_cast<unsigned long long>(s.records), s.first_ms,
                s.steady_ms, f.load.near_expiry_holdings + f.load.expired_holdings);
  }
  if (!f.keep) std::filesystem::remove_all(f.dir, ec);
  return std::all_of(recall_alerts.begin(), recall_alerts.end(), [&](int n) { return n == f.load.recall_holders; }) ? 0
                                                                                                             : 1;
}

}  // namespace
}  // namespace foodtrace::bench

int main(int argc, char** argv) {
  using foodtrace::bench::Flags;
  foodtrace::KeepFreedMemoryForReuse();  // as `foodtrace serve` does
  Flags f;
  CLI::App app{"bench_trace: trace-down latency, recall fan-out and expiry-sweep cost on a large ledger"};
  app.add_option("--dir", f.dir, "scratch directory (removed unless --keep)")->capture_default_str();
  app.add_option("--entries", f.entries, "ledger records to build")->capture_default_str();
  app.add_option("--trace-samples", f.trace_samples, "trace-down runs")->capture_default_str();
  app.add_option("--seed", f.load.seed, "random seed")->capture_default_str();
  app.add_option("--recalls", f.load.recalls, "lots of --recall-holders holders, recalled one after another")
      ->check(CLI::Range(1, 20))
      ->capture_default_str();
  app.add_option("--recall-holders", f.load.recall_holders, "holders of each recalled lot")
      ->check(CLI::Range(1, 100'000))
      ->capture_default_str();
  app.add_flag("--small", f.small, "a quick check: 300k records, checkpoints 120k/180k/240k/300k");
  app.add_flag("--keep", f.keep, "keep the ledger afterwards");
  CLI11_PARSE(app, argc, argv);
  if (f.small) {
    f.entries = 300'000;
    f.load.vendors = std::max(11'000, f.load.recall_holders + 1'000);
  }
  f.load.vendors = std::max(f.load.vendors, f.load.recall_holders);
  f.checkpoints.clear();
  for (double frac : f.small ? std::vector<double>{0.4, 0.6, 0.8, 1.0} : std::vector<double>{0.1, 0.2, 0.5, 1.0}) {
    f.checkpoints.push_back(static_cast<std::uint64_t>(frac * static_cast<double>(f.entries)));
  }
  return foodtrace::bench::Run(f);
}
