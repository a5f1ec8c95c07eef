// The simulator's model of the world (private to sim/): the parties, the lots, who holds how
// much of each, and the truth it implies. Every ledger record the simulation emits goes through
// one of the primitives below, which update the holdings exactly as the ledger does (own
// records only; unconfirmed = shipped to a party and not received) and note in the truth what
// the alert rules will raise for it. The day's flows (day.cc) and incidents (incidents.cc) are
// built from these primitives. Not thread-safe.
#pragma once

#include <functional>
#include <map>
#include <set>
#include <string_view>
#include <tuple>
#include <string>
#include <vector>

#include "foodtrace/sim/sim.h"
#include "sim/catalog.h"
#include "sim/rng.h"

namespace foodtrace::sim {

enum class Role { kProducer, kWholesaler, kWholesaleMarket, kMarket, kVendor, kKiosk, kRegulator };

struct Holding {
  std::int64_t on_hand = 0;
  std::int64_t unconfirmed = 0;  // shipped here by a registered party, receipt not recorded
  bool neglected = false;        // an injected expired holding: never sold or disposed of
};

struct PartyState {
  v1::Party party;
  Role role = Role::kVendor;
  std::string writer;            // whose key records for it (a market for its vendors)
  int market = -1;               // retail market index (vendors, kiosks)
  Trade trade = Trade::kGreens;  // vendors
  int wholesaler = -1;           // a vendor's usual wholesaler (party index)
  std::map<int, int> demand;     // vendor: product index → daily sales
  std::map<int, Holding> holdings;  // lot index → holding
};

// "YYYYMMDD", for ids.
std::string CompactDate(Date d);

struct LotState {
  int product = 0;
  std::string code;
  Date produced;
  Date expires;       // last sellable day
  bool stopped = false;   // recalled or failed a test: not to be sold
  bool recalled = false;  // covered by a recall (scans of it raise RECALLED_SCANNED)
  std::vector<int> derived;  // lots made from this one by TRANSFORM
};

class Simulation::Model {
 public:
  explicit Model(const Options& options);

  // --- region (region.cc) ---
  void BuildRegion();

  // --- one day (simulation.cc) ---
  bool HasNextDay() const { return next_day_ < options_.days; }
  Day NextDay();
  Day LiveRound(Date date, std::string_view tag);

  Truth MakeTruth() const;

  const std::vector<v1::Party>& parties() const { return registrations_; }
  const std::vector<v1::Product>& products() const { return product_records_; }

 private:
  using AddParty = std::function<int(v1::Party, Role, const std::string&)>;
  void AddVendorsAndKiosks(std::uint64_t* serial, const AddParty& add);
  Day GenerateDay(Date date, const std::string& id_suffix, int day_index, bool backfill);

  // --- the day's flows (day.cc) and incidents (incidents.cc), in the order they happen ---
  void MorningDisposal();
  void Produce(int day_index);
  void Purchases(int* unconfirmed);
  void UnverifiedPurchases(int count);
  void VendorTrade();
  void Butchery();
  void RetailSales(int* oversells);
  void CloseOfDay(int neglect);
  void Tests(int failed, int passed);
  void Recalls(int count);
  void Scans(int recalled);
  // A party's lots of `product` that may be sold today, earliest expiry first.
  std::vector<int> SellableLots(int party, int product) const;
  std::int64_t SellableStock(int party, int product) const;

  // --- primitives (model.cc): each emits the record(s) and updates the model ---
  int NewLot(int product, Date produced, const std::string& code);
  void Stocktake(int party, int lot, std::int64_t quantity);
  // A movement between registered parties: the sender's SHIP and (unless `receipt_recorded`
  // is false) the receiver's RECEIVE.
  void Move(int from, int to, int lot, std::int64_t quantity, bool receipt_recorded);
  // A purchase from an outside supplier; `documents` empty and no licence = unverified.
  void ReceiveFromOutside(int party, int lot, std::int64_t quantity, const v1::Counterparty& supplier,
                          const std::vector<std::string>& documents);
  void SellToConsumers(int party, int lot, std::int64_t quantity);
  void Dispose(int party, int lot, std::int64_t quantity, const char* method);
  void Transform(int party, int in_lot, std::int64_t in_quantity, int out_lot, std::int64_t out_quantity);
  void IssueRecall(int lot, const char* reason);
  void RecordTest(int party, int lot, bool passed);
  void Scan(int kiosk, int lot);

  // --- helpers ---
  void AddOnHand(int party, int lot, std::int64_t delta, const v1::LedgerEntry& entry);
  void Emit(int writer_party, v1::Item item, bool oversight);
  v1::LedgerEntry NewEntry(int party, v1::LedgerEntry::Kind kind);
  v1::LotRef Ref(int lot) const;
  const CatalogProduct& ProductOf(int lot) const { return catalog_[static_cast<std::size_t>(lots_[static_cast<std::size_t>(lot)].product)]; }
  std::string NextId(const std::string& prefix);
  void NoteAnomaly(const std::string& kind, int party, int lot);
  std::vector<int> CoveredLots(int lot) const;
  std::set<int> HoldersOf(const std::vector<int>& lots) const;
  int PartyIndex(const std::string& id) const;

  Options options_;
  Rng rng_;
  std::vector<CatalogProduct> catalog_;
  std::vector<PartyState> parties_;
  std::vector<v1::Party> registrations_;
  std::vector<v1::Product> product_records_;
  std::vector<LotState> lots_;
  std::vector<int> producers_, wholesalers_, vendors_, kiosks_;
  int regulator_ = -1;

  // The day under construction.
  Date date_;
  std::string id_suffix_;
  std::map<std::string, std::vector<v1::Item>> trade_;
  std::vector<Batch> oversight_;
  std::map<std::string, int> id_counters_;
  std::set<std::string> injected_kinds_;  // kinds injected at least once in this run

  int next_day_ = 0;
  int live_round_ = 0;
  int recall_count_ = 0;
  int test_count_ = 0;
  std::vector<TruthRecall> recalls_;
  std::set<std::tuple<std::string, std::string, std::string, std::string>> anomalies_;
};

}  // namespace foodtrace::sim
