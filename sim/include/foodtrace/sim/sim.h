// foodtrace sim: a seeded, deterministic synthetic market region, and the runner that registers
// it with a real `foodtrace serve` and streams its ledgers through ZeroMQ.
//
//   Simulation  generates the region (producers, wholesalers, a wholesale market, retail
//               markets with vendors and kiosks, a regulator; products with GTINs and bulk
//               produce) and then one market day at a time: the items every party records, in
//               order. It keeps its own model of the world (who holds how much of which lot)
//               and from it the Truth: what the alert rules must raise for what it injected
//               (recalls, failed tests, expired goods left in stock, overselling, unregistered
//               suppliers, unconfirmed receipts, scans of recalled lots) and for what a backfill
//               cannot avoid (sales recorded today of lots that have expired since).
//               Pure computation: no I/O, no clock. Not thread-safe.
//   Run         registers the region through the server whose operator key is in the data
//               directory, streams the days (parallel per writing key, a barrier per day), writes
//               the truth file, then optionally keeps trickling live rounds in real time.
//
// Determinism: the same Options (seed and `today` included) give byte-identical items and truth
// on every platform: randomness is std::mt19937_64 with integer arithmetic, never a standard
// distribution.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "foodtrace/common/date.h"
#include "foodtrace/common/status.h"
#include "foodtrace/common/time_zone.h"
#include "foodtrace/v1/wire.pb.h"

namespace foodtrace::sim {

namespace v1 = ::foodtrace::v1;

// Incident rates. "per day" counts are for the whole region: a day gets floor(rate) incidents
// plus one more with probability frac(rate). Each kind with a rate > 0 happens at least once in
// a run of 3 or more days, so a small seeded run exercises every alert it can.
struct Rates {
  double recalls_per_day = 0.25;
  double failed_tests_per_day = 0.25;
  double passed_tests_per_day = 2;
  double expired_left_per_day = 0.5;        // a vendor forgets to dispose of an expired lot
  double oversells_per_day = 0.5;           // a sale of more than the vendor has on hand
  double unverified_suppliers_per_day = 0.3;  // a purchase without licence or certificate
  double unconfirmed_receipts_per_day = 0.3;  // a shipment whose receipt is never recorded
  int scans_per_kiosk_day = 10;
  double recalled_scans_per_day = 1;        // once a recall exists: scans of recalled lots
};

struct Options {
  std::uint64_t seed = 1;
  int days = 14;                 // simulated days ending at `today` (1..kDaysMax)
  int markets = 2;               // retail markets (1..kMarketsMax)
  int vendors_per_market = 8;    // (4..kVendorsPerMarketMax): one of each trade, then mixed
  Date today;                    // the last simulated day; required (Date{} is 1970-01-01)
  // The market's zone: scans happen at local market hours on their day.
  TimeZone time_zone = TimeZone::Fixed(kChinaUtcOffsetMinutes, kDefaultTimeZone);
  Rates rates;
};

// Items one party key sends, in order.
struct Batch {
  std::string writer;  // party id whose key signs the batch
  std::vector<v1::Item> items;
};

// One simulated day. The `trade` batches have distinct writers and may be sent concurrently;
// `oversight` batches (recalls, test results, kiosk scans) must be sent in order, after every
// trade item is durable, because the alerts they raise depend on the holdings at that moment.
struct Day {
  Date date;
  std::vector<Batch> trade;
  std::vector<Batch> oversight;
  std::size_t items() const;
};

struct TruthRecall {
  std::string recall_id;
  std::vector<std::string> holders;  // sorted party ids holding a covered lot at the recall
};
struct TruthHolding {
  std::string party_id, gtin, lot;  // gtin is GTIN-14
};
struct TruthAnomaly {
  std::string kind;  // an Alert.Kind name
  std::string party_id, gtin, lot;
};

// What the alert engine must have raised once the clock rules ran (on the day after the last
// simulated day or later, while no recall deadline has passed): exactly one RECALLED_IN_STOCK
// holder set per recall, an EXPIRED_IN_STOCK alert per expired holding, an alert of each
// anomaly's kind per anomaly (several alerts may share one anomaly's party, GTIN and lot), and
// of these kinds nothing else. NEAR_EXPIRY is left out: it depends on the day the clock runs.
struct Truth {
  std::vector<TruthRecall> recalls;
  std::vector<TruthHolding> expired_holdings;
  std::vector<TruthAnomaly> anomalies;  // sorted and unique
  // {"recalls":[{"recall_id","holders":[…]}…],"expired_holdings":[{"party_id","gtin","lot"}…],
  //  "anomalies":[{"kind","party_id","gtin","lot"}…]}
  std::string ToJson() const;
};

// The alert kinds the Truth accounts for completely (every kind but NEAR_EXPIRY).
std::vector<std::string> TruthKinds();

class Simulation {
 public:
  // Builds the region. Errors: INVALID_ARGUMENT naming the option out of its range.
  static Result<std::unique_ptr<Simulation>> Create(const Options& options);
  ~Simulation();
  Simulation(const Simulation&) = delete;
  Simulation& operator=(const Simulation&) = delete;

  // Parties to register, markets before their members; curve_public_key is left empty (the
  // runner makes a key per party). The operator registers them, then the products.
  const std::vector<v1::Party>& parties() const;
  const std::vector<v1::Product>& products() const;

  // True while backfill days remain; NextDay() requires it.
  bool HasNextDay() const;
  // The next backfill day, oldest first; the last one is options.today.
  Day NextDay();
  // One more market day on `date` (live mode, after the backfill): the same flows at the same
  // rates, with ids made unique by `tag` (different for each live session on the same data)
  // and a round counter. Requires date ≥ options.today.
  Day LiveRound(Date date, std::string_view tag);

  // The truth after the days generated so far (meaningful after the last backfill day).
  Truth truth() const;

  class Model;

 private:
  explicit Simulation(std::unique_ptr<Model> model);
  std::unique_ptr<Model> model_;
};

// Runner options (`foodtrace simulate` flags).
struct RunOptions {
  std::string data_dir;        // server data directory: operator key in DIR/keys/operator.key
  std::string server;          // gateway endpoint; empty = the operator key file's
  std::string truth_file;      // empty = none
  double rate_events_per_s = 0;  // 0 = as fast as acknowledged
  bool live = false;           // after the backfill, keep trickling rounds in real time
  double speed = 720;          // live: market days per real day (720 = one round per 2 min)
  bool progress = true;        // a progress line on stderr
  const std::atomic<bool>* stop = nullptr;  // set (by a signal handler) to end early
  // Live: the market's today for each round (the server's, so a test clock moves it too);
  // empty = today in options.time_zone by this machine's clock.
  std::function<Date()> market_today;
};

// Registers the region (party key files written to DIR/sim-keys/<party>.key, mode 0600),
// streams the backfill days, writes the truth file and DIR/sim-keys/region.json, then runs live
// rounds while `live` until *stop. When region.json already names the same seed, markets and
// vendors, the backfill is skipped (the region is reused) and only live rounds run.
// Errors: those of ReadKeyFile / Client (UNAVAILABLE when the server does not answer),
// INTERNAL SIM_ITEM_REJECTED when the server refuses a generated item (a simulator bug; the
// message has the item id, code and reason), IO writing key or truth files.
Status Run(const Options& options, const RunOptions& run);

}  // namespace foodtrace::sim
