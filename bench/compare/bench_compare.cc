// bench_compare: the same seeded workload loaded durably into foodtrace (a real `foodtrace
// serve`, CURVE ZeroMQ clients) and into PostgreSQL (libpq, synchronous_commit = on), one after
// the other; then the same questions asked of both and timed; then RocksDB's db_bench fillseq
// (sync=1, same batch and writers) as the ingest ceiling. Prints one table. Run by
// scripts/bench-compare, which builds this, starts PostgreSQL and runs each size.
#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <random>
#include <regex>
#include <sstream>

#include "bench/compare/systems.h"

namespace compare = foodtrace::bench::compare;
using foodtrace::Date;
using Clock = std::chrono::steady_clock;

namespace {

struct Flags {
  compare::WorkloadConfig workload;
  int batch = 200;
  std::string today;
  std::string foodtrace = "build/app/foodtrace";
  std::string pg = "host=127.0.0.1 port=54329 user=postgres dbname=postgres";
  std::string dir = "/tmp/foodtrace-bench-compare";
  std::string db_bench = "db_bench";
  std::uint64_t db_bench_keys = 1'000'000;
  int trace_queries = 1000;
  int recall_queries = 100;
  int expiring_queries = 20;
  int ledger_queries = 100;
  int horizon_days = 7;
  std::vector<std::string> systems = {"foodtrace", "postgres"};
  bool foodtrace_json = false;
};

struct Timing {
  std::vector<double> ms;
  std::uint64_t rows = 0;  // summed over the runs
  bool ok = true;
  double P(double p) const { return compare::Percentile(ms, p); }
  double MeanRows() const {
    return ms.empty() ? 0 : static_cast<double>(rows) / static_cast<double>(ms.size());
  }
};

struct Measured {
  bool present = false;
  compare::LoadResult load;
  Timing trace, recall, expiring, ledger;
  std::uint64_t disk_bytes = 0;
  std::uint64_t peak_rss_bytes = 0;  // of the server process (foodtrace only)
};

template <typename F>
void Time(Timing* t, const char* what, F&& ask) {
  const auto t0 = Clock::now();
  auto rows = ask();
  const double ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
  if (!rows.ok()) {
    if (t->ok)
      std::fprintf(stderr, "  %s failed: %s\n", what, rows.status().ToString().c_str());
    t->ok = false;
    return;
  }
  t->ms.push_back(ms);
  t->rows += *rows;
}

// The questions, the same for both systems (same seed, same lots, vendors and markets).
void Ask(const Flags& f, const compare::Workload& w, std::uint64_t lots, compare::System* s,
         Measured* m) {
  std::mt19937_64 rng(f.workload.seed + 1);
  std::fprintf(stderr, "  %s: asking the questions\n", s->name().c_str());
  for (int i = 0; i < f.trace_queries; ++i) {
    std::uint64_t lot = rng() % lots;
    if (lot == w.hot_lot())
      lot = (lot + 1) % lots;
    Time(&m->trace, "trace down", [&] { return s->TraceDown(lot); });
  }
  for (int i = 0; i < f.recall_queries; ++i) {
    Time(&m->recall, "recall impact", [&] { return s->RecallImpact(w.hot_lot()); });
  }
  for (int i = 0; i < f.expiring_queries; ++i) {
    const int market = i % w.config().markets;
    Time(&m->expiring, "expiring",
         [&] { return s->Expiring(market, w.config().today, f.horizon_days); });
  }
  const Date month_start = Date::FromYmd(w.config().today.AddMonths(-1).year(),
                                         w.config().today.AddMonths(-1).month(), 1);
  const Date month_end = month_start.AddMonths(1).AddDays(-1);
  for (int i = 0; i < f.ledger_queries; ++i) {
    const int vendor =
        w.Vendor(static_cast<int>(rng() % static_cast<std::uint64_t>(w.config().vendors)));
    Time(&m->ledger, "party ledger",
         [&] { return s->PartyLedger(vendor, month_start, month_end); });
  }
}

Measured Run(const Flags& f, const compare::Workload& w, const std::string& which) {
  Measured m;
  foodtrace::Result<std::unique_ptr<compare::System>> system =
      which == "foodtrace" ? compare::StartFoodtrace(&w, f.foodtrace, f.dir + "/foodtrace", f.foodtrace_json)
                           : compare::ConnectPostgres(&w, f.pg, "");
  if (!system.ok()) {
    std::fprintf(stderr, "bench: %s: %s\n", which.c_str(), system.status().ToString().c_str());
    return m;
  }
  compare::System* s = system->get();
  if (foodtrace::Status st = s->Register(); !st.ok()) {
    std::fprintf(stderr, "bench: %s: registering parties: %s\n", which.c_str(),
                 st.ToString().c_str());
    return m;
  }
  m.load = compare::Load(w, f.batch, s->name(), [s](int market) { return s->MakeSink(market); });
  if (!m.load.ok)
    return m;
  if (foodtrace::Status st = s->AfterLoad(); !st.ok()) {
    std::fprintf(stderr, "bench: %s: %s\n", which.c_str(), st.ToString().c_str());
  }
  Ask(f, w, m.load.lots, s, &m);
  m.disk_bytes = s->DiskBytes();
  m.peak_rss_bytes = s->PeakRssBytes();
  m.present = true;
  return m;
}

// db_bench fillseq with sync=1, one writer thread per market, `batch` keys per synced write.
double DbBenchFillseq(const Flags& f) {
  const std::string db = f.dir + "/db_bench";
  std::filesystem::remove_all(db);
  const std::uint64_t per_thread = f.db_bench_keys / static_cast<std::uint64_t>(f.workload.markets);
  const std::string cmd = f.db_bench +
                          " --benchmarks=fillseq --sync=1 --num=" + std::to_string(per_thread) +
                          " --batch_size=" + std::to_string(f.batch) +
                          " --threads=" + std::to_string(f.workload.markets) +
                          " --value_size=200 --key_size=24 --db=" + db + " 2>&1";
  std::fprintf(stderr, "bench: running %s\n", cmd.c_str());
  FILE* p = popen(cmd.c_str(), "r");
  if (p == nullptr)
    return 0;
  std::string out;
  char buf[4096];
  while (std::fgets(buf, sizeof buf, p) != nullptr) out += buf;
  pclose(p);
  std::filesystem::remove_all(db);
  std::smatch match;
  if (!std::regex_search(out, match,
                         std::regex(R"(fillseq\s*:\s*([0-9.]+) micros/op\s+([0-9]+) ops/sec)"))) {
    std::fprintf(stderr, "bench: db_bench output not understood:\n%s\n", out.c_str());
    return 0;
  }
  return std::stod(match[2].str());
}

std::string Num(double v, int decimals = 0) {
  if (v <= 0)
    return "—";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  std::string s = buf;  // thousands separators on the integer part
  const auto dot = s.find('.');
  for (auto i = static_cast<long>(dot == std::string::npos ? s.size() : dot) - 3; i > 0; i -= 3) {
    s.insert(static_cast<std::size_t>(i), ",");
  }
  return s;
}

// One table row: `higher_better` for rates; the ratio is always "how many times better
// foodtrace is" (> 1: foodtrace ahead). `target` is the required ratio, 0 for none.
void Row(const std::string& what, double ft, double pg, bool higher_better, double target,
         const std::string& rows, int decimals) {
  double ratio = 0;
  if (ft > 0 && pg > 0)
    ratio = higher_better ? ft / pg : pg / ft;
  std::string verdict;
  if (target > 0)
    verdict = ratio <= 0 ? "not measured" : ratio >= target ? "met" : "**not met**";
  std::printf("| %s | %s | %s | %s | %s | %s | %s |\n", what.c_str(), Num(ft, decimals).c_str(),
              Num(pg, decimals).c_str(), ratio > 0 ? (Num(ratio, ratio < 1 ? 2 : 1) + "×").c_str() : "—",
              target > 0 ? ("≥ " + Num(target, 0) + "×").c_str() : "", verdict.c_str(),
              rows.c_str());
}

std::string Rows(const Timing& a, const Timing& b) {
  return Num(a.MeanRows(), 1) + " / " + Num(b.MeanRows(), 1);
}

void PrintTable(const Flags& f, const Measured& ft, const Measured& pg, double ceiling) {
  auto rate = [](const Measured& m) {
    return m.load.seconds > 0 ? static_cast<double>(m.load.entries) / m.load.seconds : 0;
  };
  std::printf(
      "\nbench_compare: %llu entries (seed %u), %d writers (one per market), %d entries per "
      "request/transaction, durable acknowledgements; foodtrace answers as %s\n",
      static_cast<unsigned long long>(f.workload.entries), f.workload.seed, f.workload.markets,
      f.batch, f.foodtrace_json ? "JSON" : "Protobuf answer messages");
  std::printf(
      "| question | foodtrace | PostgreSQL 15 | foodtrace advantage | target | | rows (foodtrace / "
      "PostgreSQL) |\n");
  std::printf("|---|---:|---:|---:|---:|---|---:|\n");
  Row("ingest, durable entries/s", rate(ft), rate(pg), true, 2, "", 0);
  Row("ingest, batch acknowledgement p50 (ms)",
      ft.load.batch_ms.empty() ? 0 : compare::Percentile(ft.load.batch_ms, 0.5),
      pg.load.batch_ms.empty() ? 0 : compare::Percentile(pg.load.batch_ms, 0.5), false, 0, "", 1);
  Row("ingest, batch acknowledgement p99 (ms)", compare::Percentile(ft.load.batch_ms, 0.99),
      compare::Percentile(pg.load.batch_ms, 0.99), false, 1, "", 1);
  Row("trace down p50 (ms)", ft.trace.P(0.5), pg.trace.P(0.5), false, 1, Rows(ft.trace, pg.trace),
      2);
  Row("trace down p99 (ms)", ft.trace.P(0.99), pg.trace.P(0.99), false, 3, "", 2);
  Row("recall impact, lot with " + std::to_string(f.workload.hot_holders) + " holders, p50 (ms)",
      ft.recall.P(0.5), pg.recall.P(0.5), false, 1, Rows(ft.recall, pg.recall), 2);
  Row("recall impact p99 (ms)", ft.recall.P(0.99), pg.recall.P(0.99), false, 3, "", 2);
  Row("expiring within " + std::to_string(f.horizon_days) + " days, one market, p50 (ms)",
      ft.expiring.P(0.5), pg.expiring.P(0.5), false, 1, Rows(ft.expiring, pg.expiring), 2);
  Row("expiring p99 (ms)", ft.expiring.P(0.99), pg.expiring.P(0.99), false, 1, "", 2);
  Row("a vendor's ledger for a month, p50 (ms)", ft.ledger.P(0.5), pg.ledger.P(0.5), false, 1,
      Rows(ft.ledger, pg.ledger), 2);
  Row("a vendor's ledger for a month, p99 (ms)", ft.ledger.P(0.99), pg.ledger.P(0.99), false, 1, "",
      2);
  Row("bytes on disk per entry",
      ft.present ? static_cast<double>(ft.disk_bytes) / static_cast<double>(f.workload.entries) : 0,
      pg.present ? static_cast<double>(pg.disk_bytes) / static_cast<double>(f.workload.entries) : 0,
      false, 1, "", 0);
  std::printf("| peak RSS of the server process during the run (MiB) | %s | | | ≤ 2,048 | %s | |\n",
              Num(static_cast<double>(ft.peak_rss_bytes) / (1 << 20)).c_str(),
              ft.peak_rss_bytes == 0 ? "not measured"
                                     : ft.peak_rss_bytes <= (2ull << 30) ? "met" : "**not met**");
  std::printf(
      "| db_bench fillseq sync=1, %d threads, batch %d, 24+200 B (keys/s): ceiling | %s | | %s of "
      "ceiling | ≥ 0.5 | %s | |\n",
      f.workload.markets, f.batch, Num(ceiling).c_str(),
      ceiling > 0 && rate(ft) > 0 ? Num(rate(ft) / ceiling, 2).c_str() : "—",
      ceiling > 0 && rate(ft) > 0 ? (rate(ft) / ceiling >= 0.5 ? "met" : "**not met**")
                                  : "not measured");
  std::printf(
      "\nload time: foodtrace %.0f s, PostgreSQL %.0f s; lots %llu; trace/recall/expiring/ledger "
      "queries "
      "%d/%d/%d/%d\n",
      ft.load.seconds, pg.load.seconds,
      static_cast<unsigned long long>(std::max(ft.load.lots, pg.load.lots)), f.trace_queries,
      f.recall_queries, f.expiring_queries, f.ledger_queries);
}

}  // namespace

int main(int argc, char** argv) {
  Flags f;
  CLI::App app{
      "bench_compare: foodtrace vs. PostgreSQL 15 on the same seeded workload (durable ingest, "
      "trace down, recall impact, expiry, a vendor's ledger), with db_bench fillseq as the ingest "
      "ceiling. Usually run through scripts/bench-compare, which starts PostgreSQL."};
  app.add_option("--entries", f.workload.entries, "ledger entries to load into each system")
      ->capture_default_str();
  app.add_option("--markets", f.workload.markets, "markets = concurrent writers per system")
      ->capture_default_str();
  app.add_option("--vendors", f.workload.vendors, "market vendors")->capture_default_str();
  app.add_option("--hot-holders", f.workload.hot_holders, "holders of the recalled lot")
      ->capture_default_str();
  app.add_option("--seed", f.workload.seed, "workload seed")->capture_default_str();
  app.add_option("--today", f.today,
                 "the workload's 'today' (YYYY-MM-DD; default: the system date)");
  app.add_option("--batch", f.batch,
                 "entries per request (foodtrace) and per transaction (PostgreSQL)")
      ->capture_default_str()
      ->check(CLI::Range(1, 1000));
  app.add_option("--foodtrace", f.foodtrace, "the foodtrace binary")->capture_default_str();
  app.add_option("--pg", f.pg, "libpq connection string of a running PostgreSQL")
      ->capture_default_str();
  app.add_option("--dir", f.dir, "scratch directory (removed first)")->capture_default_str();
  app.add_option("--db-bench", f.db_bench, "RocksDB db_bench binary")->capture_default_str();
  app.add_option("--db-bench-keys", f.db_bench_keys, "keys for the db_bench ceiling (all threads)")
      ->capture_default_str();
  app.add_option("--trace-queries", f.trace_queries, "trace-down questions (random lots)")
      ->capture_default_str();
  app.add_option("--recall-queries", f.recall_queries, "recall-impact questions")
      ->capture_default_str();
  app.add_option("--expiring-queries", f.expiring_queries, "expiring-within-horizon questions")
      ->capture_default_str();
  app.add_option("--ledger-queries", f.ledger_queries, "vendor-ledger-for-a-month questions")
      ->capture_default_str();
  app.add_option("--horizon-days", f.horizon_days, "expiry horizon")->capture_default_str();
  app.add_option("--systems", f.systems, "which systems to run: foodtrace, postgres")
      ->capture_default_str();
  app.add_flag("--foodtrace-json", f.foodtrace_json,
               "ask foodtrace for JSON answers (Reply.json) instead of answer messages (Reply.answer)");
  CLI11_PARSE(app, argc, argv);
  if (!f.today.empty()) {
    auto d = Date::Parse(f.today);
    if (!d.ok()) {
      std::fprintf(stderr, "bench: --today: %s\n", d.status().ToString().c_str());
      return 2;
    }
    f.workload.today = *d;
  } else {
    f.workload.today = foodtrace::DateAt(foodtrace::NowMillis(), foodtrace::kChinaUtcOffsetMinutes);
  }
  std::filesystem::remove_all(f.dir);
  std::filesystem::create_directories(f.dir);
  const compare::Workload workload(f.workload);
  Measured ft, pg;
  for (const std::string& s : f.systems) {
    if (s == "foodtrace")
      ft = Run(f, workload, s);
    if (s == "postgres")
      pg = Run(f, workload, s);
  }
  const double ceiling = DbBenchFillseq(f);
  PrintTable(f, ft, pg, ceiling);
  std::filesystem::remove_all(f.dir);
  const bool wanted_ft =
      std::find(f.systems.begin(), f.systems.end(), "foodtrace") != f.systems.end();
  const bool wanted_pg =
      std::find(f.systems.begin(), f.systems.end(), "postgres") != f.systems.end();
  return (wanted_ft && !ft.present) || (wanted_pg && !pg.present) ? 1 : 0;
}
