// bench_portal: loads a ledger of --entries ledger entries (a seeded market: suppliers take lots
// in from outside producers and ship them to vendors, who record the receipt and sell), then
// serves it with the portal in this process until stdin closes, for wrk (scripts/bench-portal).
// Prints "codes FILE", "paths FILE" and "http URL" then "ready" on stdout.
#include <CLI/CLI.hpp>

#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <mutex>
#include <random>

#include "foodtrace/common/identifiers.h"
#include "foodtrace/common/memory.h"
#include "foodtrace/ledger/ledger.h"
#include "foodtrace/portal/portal.h"

namespace {

using namespace foodtrace;
namespace v1 = ::foodtrace::v1;

constexpr int kSuppliers = 50;
constexpr int kVendors = 2000;
constexpr int kProducts = 2000;
constexpr int kVendorsPerLot = 8;  // 1 + 3 × 8 = 25 entries per lot

std::string ProductGtin(int n) {
  std::string body = "690" + std::string(9 - std::to_string(n).size(), '0') + std::to_string(n);
  return "0" + body + std::to_string(Gs1CheckDigit(body));
}

// Keeps up to 32 requests in flight; aborts on a rejection (the bench's data must be valid).
class Writer {
 public:
  explicit Writer(ledger::Ledger* l) : ledger_(l) {}
  void Write(const std::string& who, std::vector<v1::Item> items) {
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [&] { return in_flight_ < 32; });
      ++in_flight_;
    }
    ledger::WriteRequest req;
    req.recorded_by = who;
    req.items = std::move(items);
    Status st = ledger_->Submit(std::move(req), [this](std::vector<v1::ItemResult> results) {
      for (const auto& r : results) {
        if (r.status() == v1::ItemResult::REJECTED) {
          std::fprintf(stderr, "bench_portal: rejected %s: %s %s\n", r.id().c_str(), r.code().c_str(), r.message().c_str());
          std::abort();
        }
      }
      std::lock_guard lock(mu_);
      --in_flight_;
      cv_.notify_all();
    });
    FT_CHECK(st.ok());
  }
  void Drain() {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return in_flight_ == 0; });
  }

 private:
  ledger::Ledger* ledger_;
  std::mutex mu_;
  std::condition_variable cv_;
  int in_flight_ = 0;
};

v1::Item PartyItem(const std::string& id, v1::Party::Kind kind) {
  v1::Item item;
  v1::Party* p = item.mutable_party();
  p->set_party_id(id);
  p->set_kind(kind);
  p->set_name("商户 " + id);
  p->set_licence("JY13301020012345");
  p->set_market_id(kind == v1::Party::VENDOR ? "M1" : "");
  p->set_address("杭州市上城区 1 号");
  p->set_contact("0571-88880000");
  return item;
}

v1::Item EntryItem(v1::LedgerEntry::Kind kind, std::string event_id, const v1::LotRef& lot, int quantity,
                   const std::string& counterparty, const std::string& on) {
  v1::Item item;
  v1::LedgerEntry* e = item.mutable_entry();
  e->set_event_id(std::move(event_id));
  e->set_kind(kind);
  *e->mutable_lot() = lot;
  e->set_quantity(quantity);
  e->set_unit("H87");
  e->set_occurred_on(on);
  if (!counterparty.empty()) {
    e->mutable_counterparty()->set_party_id(counterparty);
  } else if (kind == v1::LedgerEntry::RECEIVE) {
    e->mutable_counterparty()->set_name("城郊乳业有限公司");
    e->mutable_counterparty()->set_address("杭州市余杭区 8 号");
    e->mutable_counterparty()->set_contact("13800000000");
  } else {
    e->set_to_consumers(true);
  }
  return item;
}

// Writes lot number `n`: supplier RECEIVE, SHIP to 8 vendors, their RECEIVEs, their sales.
void WriteLot(Writer& w, std::mt19937_64& rng, std::uint64_t n, Date today) {
  const std::string supplier = "S" + std::to_string(n % kSuppliers);
  v1::LotRef lot;
  lot.set_gtin(ProductGtin(static_cast<int>(n % kProducts) + 1));
  lot.set_lot("L" + std::to_string(n));
  lot.set_product_name("纯牛奶 " + std::to_string(n % kProducts));
  lot.set_specification("250ml×24");
  lot.set_produced_on(today.AddDays(-30).ToString());
  lot.set_expires_on(today.AddDays(20 + static_cast<int>(n % 320)).ToString());
  const std::string on = today.AddDays(-5).ToString();
  const std::string id = std::to_string(n);
  std::vector<v1::Item> out{EntryItem(v1::LedgerEntry::RECEIVE, "in-" + id, lot, 100 * kVendorsPerLot, "", on)};
  std::map<std::string, std::vector<v1::Item>> vendor_items;
  for (int k = 0; k < kVendorsPerLot; ++k) {
    const std::string vendor = "V" + std::to_string(rng() % kVendors);
    if (vendor_items.count(vendor)) continue;
    out.push_back(EntryItem(v1::LedgerEntry::SHIP, "out-" + id + "-" + vendor, lot, 100, vendor, on));
    vendor_items[vendor].push_back(EntryItem(v1::LedgerEntry::RECEIVE, "rx-" + id, lot, 100, supplier, on));
    vendor_items[vendor].push_back(EntryItem(v1::LedgerEntry::SHIP, "sale-" + id, lot, 40, "", on));
  }
  w.Write(supplier, std::move(out));
  for (auto& [vendor, items] : vendor_items) w.Write(vendor, std::move(items));
}

void Load(ledger::Ledger* l, std::uint64_t entries) {
  Writer w(l);
  std::vector<v1::Item> parties{PartyItem("M1", v1::Party::MARKET)};
  for (int s = 0; s < kSuppliers; ++s) parties.push_back(PartyItem("S" + std::to_string(s), v1::Party::SUPPLIER));
  for (int v = 0; v < kVendors; ++v) {
    parties.push_back(PartyItem("V" + std::to_string(v), v1::Party::VENDOR));
    if (parties.size() == 1000) w.Write("operator", std::exchange(parties, {}));
  }
  w.Write("operator", std::move(parties));
  w.Drain();
  std::mt19937_64 rng(42);
  const Date today = l->Today();
  const auto start = std::chrono::steady_clock::now();
  for (std::uint64_t n = 0; l->LastSequence() < entries; ++n) {
    WriteLot(w, rng, n, today);
    if (n % 20000 == 0 && n > 0) {
      const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      std::fprintf(stderr, "bench_portal: %llu records, %.0f records/s\n",
                   static_cast<unsigned long long>(l->LastSequence()), static_cast<double>(l->LastSequence()) / s);
    }
  }
  w.Drain();
}

// 10,000 codes of recorded lots, as lookup paths and as Digital Link paths.
void WriteCodes(const std::string& dir, std::uint64_t lots) {
  std::ofstream codes(dir + "/lookup_paths.txt"), links(dir + "/link_paths.txt");
  std::mt19937_64 rng(7);
  for (int i = 0; i < 10000; ++i) {
    const std::uint64_t n = rng() % lots;
    const std::string gtin = ProductGtin(static_cast<int>(n % kProducts) + 1);
    codes << "/api/v1/lookup?code=%2801%29" << gtin << "%2810%29L" << n << "\n";
    links << "/01/" << gtin << "/10/L" << n << "\n";
  }
}

}  // namespace

int main(int argc, char** argv) {
  foodtrace::KeepFreedMemoryForReuse();  // as `foodtrace serve` does
  CLI::App app{"bench_portal: load a ledger and serve it with the portal for wrk"};
  std::string dir = "/tmp/foodtrace-bench-portal";
  std::uint64_t entries = 10'000'000;
  int threads = 0;
  app.add_option("--dir", dir, "data directory (kept between runs)")->capture_default_str();
  app.add_option("--entries", entries, "ledger records to load before serving")->capture_default_str();
  app.add_option("--threads", threads, "portal worker threads (0 = sized to the machine)");
  CLI11_PARSE(app, argc, argv);
  std::filesystem::create_directories(dir);
  ledger::Options options;
  options.path = dir + "/ledger";
  options.sync = false;  // bulk load; nothing measured here is about durability
  auto l = ledger::Ledger::Open(options);
  if (!l.ok()) {
    std::fprintf(stderr, "bench_portal: %s\n", l.status().ToString().c_str());
    return 1;
  }
  if ((*l)->LastSequence() < entries) Load(l->get(), entries);
  const std::uint64_t lots = std::max<std::uint64_t>(1, ((*l)->LastSequence() - kVendors) / (1 + 3 * kVendorsPerLot) * 9 / 10);
  WriteCodes(dir, lots);
  portal::PortalOptions po;
  po.port = 0;
  po.lookup_rate_per_second = 0;
  po.worker_threads = threads;
  auto p = portal::Portal::Start(l->get(), po);
  if (!p.ok()) {
    std::fprintf(stderr, "bench_portal: %s\n", p.status().ToString().c_str());
    return 1;
  }
  std::printf("records %llu\npaths %s\nhttp %s\nready\n", static_cast<unsigned long long>((*l)->LastSequence()),
              dir.c_str(), (*p)->url().c_str());
  std::fflush(stdout);
  std::string line;
  while (std::getline(std::cin, line)) {
  }
  return 0;
}
