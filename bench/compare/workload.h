// bench_compare workload: a seeded region of outside producers → wholesalers → market vendors
// → consumers, generated lot by lot in time order, and the loader that streams it to a system
// under test with one writer per market. Both systems get exactly the same entries.
//
// Shape (defaults): 4 markets, 50 wholesalers and 4,000 vendors spread over them, 2,000 GTINs.
// Each lot: a wholesaler RECEIVEs it from an outside producer, SHIPs it to 4–12 vendors, each
// vendor RECEIVEs it and sells (SHIP to consumers) 0–3 times, always less than it bought, before
// expiry. One lot in the middle of the log (kHotLot) goes to `hot_holders` vendors: the recall
// question. About 29 entries per lot; lots spread over the year before `today`.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "foodtrace/common/date.h"

namespace foodtrace::bench::compare {

struct WorkloadConfig {
  std::uint64_t entries = 1'000'000;  // ledger entries to generate (exactly)
  int markets = 4;                    // one writer per market
  int wholesalers = 50;
  int vendors = 4'000;
  int products = 2'000;
  int hot_holders = 1'000;  // vendors that receive the widely distributed lot
  std::uint32_t seed = 42;
  Date today = Date::FromYmd(2026, 11, 20);
};

// One ledger line. Party numbers index Workload::PartyId; -1 is an outside producer (RECEIVE)
// or consumers (SHIP).
struct Entry {
  bool ship = false;  // SHIP, else RECEIVE
  int party = 0;
  int counterparty = -1;
  int product = 0;
  std::uint64_t lot = 0;
  std::int64_t quantity = 0;  // pieces (H87)
  Date occurred_on;
  Date produced_on;
  Date expires_on;
  std::uint64_t event = 0;  // unique; the event id is EventId(event)
};

class Workload {
 public:
  explicit Workload(WorkloadConfig config);

  const WorkloadConfig& config() const { return config_; }
  int parties() const { return config_.wholesalers + config_.vendors; }
  std::string PartyId(int party) const;  // "W0007", "V00042"
  std::string MarketId(int market) const { return "M" + std::to_string(market); }
  int MarketOf(int party) const { return party % config_.markets; }
  bool IsWholesaler(int party) const { return party < config_.wholesalers; }
  std::string Gtin(int product) const;  // a valid GTIN-14
  std::string LotCode(std::uint64_t lot) const { return "L" + std::to_string(lot); }
  static std::string ProducerName(int product) {
    return "producer " + std::to_string(product % 97);
  }
  static std::string EventId(std::uint64_t event) { return "e" + std::to_string(event); }
  std::uint64_t hot_lot() const { return hot_lot_; }
  int ProductOf(std::uint64_t lot) const;
  int Vendor(int n) const { return config_.wholesalers + n; }

  // Calls sink(entry) for every entry, in log order. Deterministic for a config. Returns the
  // number of lots generated (lots are numbered 0 .. lots-1).
  std::uint64_t Generate(const std::function<void(const Entry&)>& sink) const;

 private:
  WorkloadConfig config_;
  std::uint64_t lots_estimate_;
  std::uint64_t hot_lot_;
};

// A system under test's writer for one market: Write records the batch durably and returns
// only then. Created and used on one loader thread.
class Sink {
 public:
  virtual ~Sink() = default;
  // Returns false (after printing why) on any failure; the load stops.
  virtual bool Write(const std::vector<Entry>& batch) = 0;
};

struct LoadResult {
  bool ok = false;
  double seconds = 0;
  std::uint64_t entries = 0;
  std::uint64_t lots = 0;
  std::vector<double> batch_ms;  // wall time of each Write
};

// Generates the workload on this thread, splits it by the recording party's market into
// batches of `batch` entries and has one thread per market write them through
// make_sink(market). Prints a progress line with the rate to stderr every few seconds.
LoadResult Load(const Workload& workload, int batch, const std::string& label,
                const std::function<std::unique_ptr<Sink>(int market)>& make_sink);

double Percentile(std::vector<double> values, double p);

}  // namespace foodtrace::bench::compare
