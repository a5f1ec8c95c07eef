// bench_ingest: M vendor clients stream N entries over TCP loopback with CURVE to a gateway
// and a durable (sync) ledger in this process; then RocksDB's own db_bench fillseq with
// sync=1 at the same batch size as the ceiling. Prints one table. Run by scripts/bench-ingest.
#include <sys/resource.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <mutex>
#include <regex>
#include <thread>

#include "foodtrace/alerts/alerts.h"
#include "foodtrace/common/identifiers.h"
#include "foodtrace/common/memory.h"
#include "foodtrace/ingest/client.h"
#include "foodtrace/ingest/gateway.h"
#include "foodtrace/ingest/keys.h"
#include "foodtrace/ledger/ledger.h"

namespace ft = foodtrace;
namespace v1 = foodtrace::v1;
using Clock = std::chrono::steady_clock;

namespace {

struct Flags {
  std::uint64_t events = 1'000'000;
  int clients = 4;
  int batch = 200;
  std::string dir = "/tmp/foodtrace-bench-ingest";
  std::string db_bench = "db_bench";
  std::uint64_t db_bench_keys = 2'000'000;
  bool with_alerts = false;
};

std::string Gtin(int n) {
  std::string body = "690" + std::string(9 - std::to_string(n).size(), '0') + std::to_string(n);
  return "0" + body + std::to_string(ft::Gs1CheckDigit(body));
}

v1::Item Receive(int vendor, std::uint64_t i) {
  v1::Item item;
  v1::LedgerEntry* e = item.mutable_entry();
  e->set_event_id("b" + std::to_string(i));
  e->set_kind(v1::LedgerEntry::RECEIVE);
  v1::LotRef* lot = e->mutable_lot();
  lot->set_gtin(Gtin(static_cast<int>(i % 500)));
  lot->set_lot("L" + std::to_string(vendor) + "-" + std::to_string(i % 2000));
  lot->set_product_name("纯牛奶");
  lot->set_specification("250ml×24");
  lot->set_produced_on("2026-10-01");
  lot->set_expires_on("2027-06-30");
  e->set_quantity(1 + static_cast<std::int64_t>(i % 50));
  e->set_unit("H87");
  e->set_occurred_on("2026-11-20");
  e->mutable_counterparty()->set_name("城郊批发部");
  e->mutable_counterparty()->set_address("杭州市余杭区 8 号");
  e->mutable_counterparty()->set_contact("13800000000");
  return item;
}

std::uint64_t DirectoryBytes(const std::string& dir) {
  std::uint64_t total = 0;
  for (const auto& f : std::filesystem::recursive_directory_iterator(dir)) {
    if (f.is_regular_file()) total += f.file_size();
  }
  return total;
}

double Percentile(std::vector<double>& v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size())))];
}

// Runs db_bench fillseq (sync) and returns keys/s, or 0 if it could not run.
double DbBenchFillseq(const Flags& f, std::uint64_t batch_keys, std::uint64_t value_bytes) {
  const std::string db = f.dir + "/db_bench";
  std::filesystem::remove_all(db);
  const std::string cmd = f.db_bench + " --benchmarks=fillseq --sync=1 --num=" + std::to_string(f.db_bench_keys) +
                          " --batch_size=" + std::to_string(batch_keys) + " --value_size=" +
                          std::to_string(value_bytes) + " --key_size=24 --threads=1 --db=" + db + " 2>&1";
  std::fprintf(stderr, "bench: running %s\n", cmd.c_str());
  FILE* p = popen(cmd.c_str(), "r");
  if (p == nullptr) return 0;
  std::string out;
  char buf[4096];
  while (std::fgets(buf, sizeof buf, p) != nullptr) out += buf;
  pclose(p);
  std::smatch m;
  if (!std::regex_search(out, m, std::regex(R"(fillseq\s*:\s*([0-9.]+) micros/op\s+([0-9]+) ops/sec)"))) {
    std::fprintf(stderr, "bench: db_bench output not understood:\n%s\n", out.c_str());
    return 0;
  }
  std::filesystem::remove_all(db);
  return std::stod(m[2].str());
}

struct Run {
  double seconds = 0;
  std::vector<double> latencies_ms;
  std::uint64_t acked = 0;
};

Run Stream(const Flags& f, const std::vector<ft::ingest::KeyFile>& keys, const std::string& endpoint) {
  std::atomic<std::uint64_t> next{0}, acked{0};
  std::mutex mu;
  Run run;
  const auto start = Clock::now();
  std::vector<std::thread> threads;
  for (int c = 0; c < f.clients; ++c) {
    threads.emplace_back([&, c] {
      ft::ingest::ClientOptions o;
      o.key = keys[static_cast<std::size_t>(c)];
      o.endpoint = endpoint;
      o.timeout_ms = 30000;
      auto client = ft::ingest::Client::Connect(o);
      if (!client.ok()) return;
      std::vector<double> lat;
      while (true) {
        const std::uint64_t first = next.fetch_add(static_cast<std::uint64_t>(f.batch));
        if (first >= f.events) break;
        std::vector<v1::Item> items;
        for (std::uint64_t i = first; i < std::min(f.events, first + static_cast<std::uint64_t>(f.batch)); ++i) {
          items.push_back(Receive(c, i));
        }
        const auto t0 = Clock::now();
        auto r = (*client)->Submit(std::move(items));
        lat.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
        if (!r.ok()) {
          std::fprintf(stderr, "\nbench: %s\n", r.status().ToString().c_str());
          return;
        }
        for (const auto& x : *r) acked += x.status() == v1::ItemResult::ACCEPTED;
      }
      std::lock_guard lk(mu);
      run.latencies_ms.insert(run.latencies_ms.end(), lat.begin(), lat.end());
    });
  }
  while (acked < f.events) {
    std::this_thread::sleep_for(std::chrono::seconds(1));  // progress only, not synchronisation
    const double s = std::chrono::duration<double>(Clock::now() - start).count();
    std::fprintf(stderr, "\rbench: %llu / %llu events acknowledged, %.0f events/s   ",
                 static_cast<unsigned long long>(acked.load()), static_cast<unsigned long long>(f.events),
                 static_cast<double>(acked) / s);
    if (next >= f.events + static_cast<std::uint64_t>(f.clients * f.batch) && acked < f.events) break;
  }
  for (auto& t : threads) t.join();
  run.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  run.acked = acked;
  std::fprintf(stderr, "\n");
  return run;
}

}  // namespace

int main(int argc, char** argv) {
  foodtrace::KeepFreedMemoryForReuse();  // as `foodtrace serve` does
  Flags f;
  CLI::App app{"bench_ingest: durable ingest throughput over ZeroMQ+CURVE vs. db_bench fillseq"};
  app.add_option("--events", f.events, "entries to stream")->capture_default_str();
  app.add_option("--clients", f.clients, "concurrent vendor clients")->capture_default_str();
  app.add_option("--batch", f.batch, "entries per request")->capture_default_str();
  app.add_option("--dir", f.dir, "scratch directory (removed first)")->capture_default_str();
  app.add_option("--db-bench", f.db_bench, "RocksDB db_bench binary")->capture_default_str();
  app.add_option("--db-bench-keys", f.db_bench_keys, "keys for the db_bench ceiling")->capture_default_str();
  app.add_flag("--with-alerts", f.with_alerts,
               "attach the alert engine to the ledger, as foodtrace serve does (streaming rules on every event)");
  CLI11_PARSE(app, argc, argv);
  std::filesystem::remove_all(f.dir);
  std::filesystem::create_directories(f.dir);

  auto keys = ft::ingest::LoadOrCreateServerKeys(f.dir);
  std::unique_ptr<ft::alerts::AlertEngine> engine;
  ft::ledger::Options options;
  options.path = f.dir + "/ledger";
  if (f.with_alerts) {
    ft::alerts::EngineOptions eo;
    eo.pub_endpoint = "tcp://127.0.0.1:*";
    auto created = ft::alerts::AlertEngine::Create(eo);
    if (!created.ok()) return 1;
    engine = std::move(*created);
    options.on_commit = engine->CommitHook();
  }
  auto ledger = ft::ledger::Ledger::Open(options);
  if (!keys.ok() || !ledger.ok()) {
    std::fprintf(stderr, "bench: setup failed\n");
    return 1;
  }
  if (engine && !engine->Start(ledger->get()).ok()) return 1;
  ft::ledger::WriteRequest reg;
  reg.recorded_by = "operator";
  std::vector<ft::ingest::KeyFile> vendor_keys;
  for (int c = 0; c < f.clients; ++c) {
    auto k = ft::ingest::NewPartyKey("V" + std::to_string(c), keys->server.public_key, "");
    v1::Party* p = reg.items.emplace_back().mutable_party();
    p->set_party_id(k->party_id);
    p->set_kind(v1::Party::VENDOR);
    p->set_name("bench vendor");
    p->set_licence("JY13301020012345");
    p->set_curve_public_key(k->public_key);
    vendor_keys.push_back(*k);
  }
  if (!(*ledger)->SubmitAndWait(std::move(reg)).ok()) return 1;
  ft::ingest::GatewayOptions g;
  g.endpoint = "tcp://127.0.0.1:*";
  g.server_secret_key = keys->server.secret_key;
  g.operator_public_key = keys->operator_key.public_key;
  auto gateway = ft::ingest::Gateway::Start(ledger->get(), g);
  if (!gateway.ok()) {
    std::fprintf(stderr, "bench: %s\n", gateway.status().ToString().c_str());
    return 1;
  }
  const auto before = (*ledger)->Stats();
  rusage usage_before{};
  getrusage(RUSAGE_SELF, &usage_before);
  Run run = Stream(f, vendor_keys, (*gateway)->endpoint());
  const auto after = (*ledger)->Stats();
  gateway->reset();
  if (engine) engine->Stop();
  ledger->reset();
  const double events_per_s = static_cast<double>(run.acked) / run.seconds;
  const double keys_per_event = static_cast<double>(after.keys_written - before.keys_written) /
                                static_cast<double>(std::max<std::uint64_t>(1, after.accepted - before.accepted));
  const double batch_keys = static_cast<double>(after.keys_written - before.keys_written) /
                            static_cast<double>(std::max<std::uint64_t>(1, after.batches - before.batches));
  const std::uint64_t disk = DirectoryBytes(f.dir + "/ledger");
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto cpu_s = [](const rusage& u) {
    return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
           static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
  };
  const double cpu_us_per_event = (cpu_s(usage) - cpu_s(usage_before)) * 1e6 /
                                  static_cast<double>(std::max<std::uint64_t>(1, run.acked));
  const double ceiling = DbBenchFillseq(f, static_cast<std::uint64_t>(batch_keys), 100);
  const double ratio = ceiling > 0 ? events_per_s * keys_per_event / ceiling : 0;

  std::printf("\nfoodtrace ingest benchmark: %llu events, %d clients, %d entries/request, sync=1%s\n",
              static_cast<unsigned long long>(run.acked), f.clients, f.batch,
              f.with_alerts ? ", alert engine attached" : "");
  std::printf("| metric | value | target |\n|---|---:|---:|\n");
  std::printf("| durable events/s | %.0f | >= 80000 |\n", events_per_s);
  std::printf("| CPU time per event (us, server + clients, all threads) | %.1f | |\n", cpu_us_per_event);
  std::printf("| ack latency p50 (ms, per request of %d) | %.2f | |\n", f.batch, Percentile(run.latencies_ms, 0.50));
  std::printf("| ack latency p99 (ms, per request of %d) | %.2f | |\n", f.batch, Percentile(run.latencies_ms, 0.99));
  std::printf("| RocksDB keys written per event | %.2f | |\n", keys_per_event);
  std::printf("| keys per synced WriteBatch (group commit) | %.0f | |\n", batch_keys);
  std::printf("| events per synced WriteBatch | %.0f | |\n",
              static_cast<double>(after.accepted - before.accepted) / static_cast<double>(std::max<std::uint64_t>(1, after.batches - before.batches)));
  std::printf("| bytes on disk per event | %.0f | |\n", static_cast<double>(disk) / static_cast<double>(std::max<std::uint64_t>(1, run.acked)));
  std::printf("| peak memory (MiB, server + clients) | %.0f | |\n", static_cast<double>(usage.ru_maxrss) / 1024.0);
  std::printf("| db_bench fillseq sync=1 batch=%.0f (keys/s) | %.0f | ceiling |\n", batch_keys, ceiling);
  std::printf("| ratio (events/s x keys/event / db_bench keys/s) | %.2f | >= 0.6 |\n", ratio);
  std::filesystem::remove_all(f.dir);
  return run.acked == f.events ? 0 : 1;
}
