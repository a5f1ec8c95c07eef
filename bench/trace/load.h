// bench_trace data: a seeded market written through the ledger API. See bench_trace.cc.
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "foodtrace/ledger/ledger.h"

namespace foodtrace::bench {

namespace v1 = ::foodtrace::v1;

inline constexpr char kHotLot[] = "HOT-1";     // the traced lot (~trace_holders holders)

struct LoadConfig {
  int vendors = 20'000;
  int trace_holders = 1'000;
  int recall_holders = 10'000;
  int recalls = 3;                   // lots held by recall_holders vendors each, recalled in turn
  int near_expiry_holdings = 1'000;  // the fixed answer of the expiry sweep …
  int expired_holdings = 500;        // … which must not grow with the ledger
  int products = 2'000;
  int lots_per_product = 200;
  std::uint32_t seed = 42;
};

std::string ProductGtin(int n);            // a valid GTIN-14
std::string VendorId(int n);
std::string RecallLot(int n);              // the n-th recalled lot (1-based): "RC-1", ...
Date Today();                              // the bench's fixed "today"
UnixMillis Noon();                         // noon of Today(), UTC+8

// Writes `items` as `who` in requests of at most kBatchItemsMax, keeping up to 16 in flight;
// aborts (FT_CHECK) on any rejection, since the bench's data must be valid.
class Writer {
 public:
  explicit Writer(ledger::Ledger* ledger) : ledger_(ledger) {}
  void Write(const std::string& who, std::vector<v1::Item> items);
  void Drain();  // waits for everything in flight

 private:
  ledger::Ledger* ledger_;
};

// Parties, the traced and recalled lots, and the fixed expiring set.
void LoadFixtures(ledger::Ledger* ledger, const LoadConfig& config);

// Adds random purchases and sales of long-dated lots until the log holds `target` records;
// prints a progress line with the rate. Returns the number of entries written.
std::uint64_t LoadBulk(ledger::Ledger* ledger, const LoadConfig& config, std::mt19937_64* rng,
                       std::uint64_t target);

}  // namespace foodtrace::bench
