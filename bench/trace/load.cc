// bench_trace data generation (load.h).
#include "bench/trace/load.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <mutex>

#include "foodtrace/common/identifiers.h"
#include "ledger/limits.h"

namespace foodtrace::bench {
namespace {

std::mutex mu;
std::condition_variable cv;
int in_flight = 0;
constexpr int kInFlightMax = 16;

v1::LotRef LotOf(const std::string& gtin, const std::string& lot, Date expires) {
  v1::LotRef ref;
  ref.set_gtin(gtin);
  ref.set_lot(lot);
  ref.set_product_name("bench product");
  ref.set_specification("500g");
  ref.set_produced_on(std::min(expires.AddDays(-365), Today().AddDays(-1)).ToString());
  ref.set_expires_on(expires.ToString());
  return ref;
}

v1::Item Move(v1::LedgerEntry::Kind kind, const std::string& party, const std::string& id, const v1::LotRef& lot,
              std::int64_t quantity, const std::string& counterparty) {
  v1::Item item;
  v1::LedgerEntry* e = item.mutable_entry();
  e->set_event_id(id);
  e->set_kind(kind);
  e->set_party_id(party);
  *e->mutable_lot() = lot;
  e->set_quantity(quantity);
  e->set_unit("H87");
  e->set_occurred_on(Today().AddDays(-1).ToString());
  if (!counterparty.empty()) {
    e->mutable_counterparty()->set_party_id(counterparty);
  } else if (kind == v1::LedgerEntry::RECEIVE) {
    e->mutable_counterparty()->set_name("bench wholesale market");
    e->mutable_counterparty()->set_address("1 Bench Road");
    e->mutable_counterparty()->set_contact("0571-88880000");
    e->mutable_counterparty()->set_licence("JY13301020012345");
  } else {
    e->set_to_consumers(true);
  }
  return item;
}

v1::Item PartyOf(const std::string& id, v1::Party::Kind kind) {
  v1::Item item;
  v1::Party* p = item.mutable_party();
  p->set_party_id(id);
  p->set_kind(kind);
  p->set_name("bench " + id);
  if (kind == v1::Party::VENDOR || kind == v1::Party::SUPPLIER) p->set_licence("JY13301020012345");
  p->set_address("1 Bench Road");
  p->set_contact("0571-88880000");
  return item;
}

// The wholesaler `w` buys `lot` and sells 100 to each of `holders` vendors, who record it.
void Distribute(Writer& writer, const std::string& w, const v1::LotRef& lot, int holders) {
  writer.Write(w, {Move(v1::LedgerEntry::RECEIVE, w, w + "-in", lot, 100LL * holders + 1000, "")});
  std::vector<v1::Item> ships, receives;
  for (int v = 0; v < holders; ++v) {
    ships.push_back(Move(v1::LedgerEntry::SHIP, w, w + "-s" + std::to_string(v), lot, 100, VendorId(v)));
    receives.push_back(Move(v1::LedgerEntry::RECEIVE, VendorId(v), w + "-r" + std::to_string(v), lot, 100, w));
  }
  writer.Write("operator", std::move(ships));
  writer.Write("operator", std::move(receives));
}

}  // namespace

std::string ProductGtin(int n) {
  const std::string digits = std::to_string(n);
  const std::string body = "690" + std::string(9 - digits.size(), '0') + digits;
  return "0" + body + std::to_string(Gs1CheckDigit(body));
}
std::string VendorId(int n) { return "v" + std::to_string(100000 + n); }
std::string RecallLot(int n) { return "RC-" + std::to_string(n); }
Date Today() { return Date::FromYmd(2026, 11, 22); }
UnixMillis Noon() { return StartOfDay(Today(), kChinaUtcOffsetMinutes) + 12 * 3600'000; }

void Writer::Write(const std::string& who, std::vector<v1::Item> items) {
  for (std::size_t start = 0; start < items.size(); start += ledger::kBatchItemsMax) {
    ledger::WriteRequest req;
    req.recorded_by = who;
    const std::size_t end = std::min(items.size(), start + ledger::kBatchItemsMax);
    req.items.assign(std::make_move_iterator(items.begin() + static_cast<long>(start)),
                     std::make_move_iterator(items.begin() + static_cast<long>(end)));
    {
      std::unique_lock lk(mu);
      cv.wait(lk, [] { return in_flight < kInFlightMax; });
      ++in_flight;
    }
    FT_CHECK(ledger_->Submit(std::move(req), [](std::vector<v1::ItemResult> results) {
      for (const auto& r : results) {
        if (r.status() == v1::ItemResult::REJECTED) {
          std::fprintf(stderr, "bench: rejected %s: %s %s\n", r.id().c_str(), r.code().c_str(), r.message().c_str());
          FT_CHECK(false);
        }
      }
      std::lock_guard lk(mu);
      --in_flight;
      cv.notify_all();
    }).ok());
  }
}

void Writer::Drain() {
  std::unique_lock lk(mu);
  cv.wait(lk, [] { return in_flight == 0; });
}

void LoadFixtures(ledger::Ledger* ledger, const LoadConfig& c) {
  Writer writer(ledger);
  std::vector<v1::Item> parties{PartyOf("W-HOT", v1::Party::SUPPLIER), PartyOf("R", v1::Party::REGULATOR)};
  for (int r = 1; r <= c.recalls; ++r) parties.push_back(PartyOf("W-RC" + std::to_string(r), v1::Party::SUPPLIER));
  for (int v = 0; v < c.vendors; ++v) parties.push_back(PartyOf(VendorId(v), v1::Party::VENDOR));
  writer.Write("operator", std::move(parties));
  writer.Drain();
  Distribute(writer, "W-HOT", LotOf(ProductGtin(1), kHotLot, Today().AddDays(200)), c.trace_holders);
  for (int r = 1; r <= c.recalls; ++r) {
    Distribute(writer, "W-RC" + std::to_string(r), LotOf(ProductGtin(2), RecallLot(r), Today().AddDays(200)),
               c.recall_holders);
  }
  std::vector<v1::Item> expiring;
  for (int i = 0; i < c.near_expiry_holdings; ++i) {
    const int v = i % c.vendors;
    expiring.push_back(Move(v1::LedgerEntry::RECEIVE, VendorId(v), "near-" + std::to_string(i),
                            LotOf(ProductGtin(3), "NEAR-" + std::to_string(i), Today().AddDays(10)), 5, ""));
  }
  for (int i = 0; i < c.expired_holdings; ++i) {
    const int v = i % c.vendors;
    expiring.push_back(Move(v1::LedgerEntry::RECEIVE, VendorId(v), "old-" + std::to_string(i),
                            LotOf(ProductGtin(4), "OLD-" + std::to_string(i), Today().AddDays(-3)), 5, ""));
  }
  writer.Write("operator", std::move(expiring));
  writer.Drain();
}

std::uint64_t LoadBulk(ledger::Ledger* ledger, const LoadConfig& c, std::mt19937_64* rng, std::uint64_t target) {
  Writer writer(ledger);
  const auto start = std::chrono::steady_clock::now();
  auto last_print = start;
  std::uint64_t written = 0;
  const std::uint64_t first = ledger->LastSequence();
  static std::uint64_t next_id = 0;
  while (first + written < target) {
    std::vector<v1::Item> items;
    for (std::size_t i = 0; i < ledger::kBatchItemsMax && first + written + i < target; ++i) {
      const int vendor = static_cast<int>((*rng)() % static_cast<std::uint64_t>(c.vendors));
      const int product = 10 + static_cast<int>((*rng)() % static_cast<std::uint64_t>(c.products));
      const int lot = static_cast<int>((*rng)() % static_cast<std::uint64_t>(c.lots_per_product));
      // Long-dated lots: 90 days to 3 years out, never in the sweep's window.
      const Date expires = Today().AddDays(90 + (product * 31 + lot * 7) % 1000);
      const bool sale = (*rng)() % 10 < 3;
      items.push_back(Move(sale ? v1::LedgerEntry::SHIP : v1::LedgerEntry::RECEIVE, VendorId(vendor),
                           "b" + std::to_string(next_id++),
                           LotOf(ProductGtin(product), "L" + std::to_string(lot), expires), sale ? 1 : 10, ""));
    }
    written += items.size();
    writer.Write("operator", std::move(items));
    const auto now = std::chrono::steady_clock::now();
    if (now - last_print > std::chrono::seconds(5)) {
      const double s = std::chrono::duration<double>(now - start).count();
      std::fprintf(stderr, "  load: %llu records (%.0f entries/s)\n",
                   static_cast<unsigned long long>(ledger->LastSequence()), static_cast<double>(written) / s);
      last_print = now;
    }
  }
  writer.Drain();
  return written;
}

}  // namespace foodtrace::bench
