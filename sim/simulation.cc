// Simulation: option checks, the order of a day, the truth and its JSON.
#include <nlohmann/json.hpp>

#include "sim/limits.h"
#include "sim/model.h"

namespace foodtrace::sim {
namespace {

Status CheckRange(const char* name, double value, double lo, double hi) {
  if (value >= lo && value <= hi) return Status::Ok();
  return Status::Invalid("SIM_OPTION_RANGE", std::string(name) + " is " + std::to_string(value) +
                                                 "; it must be between " + std::to_string(lo) + " and " +
                                                 std::to_string(hi));
}

Status CheckOptions(const Options& o) {
  FT_RETURN_IF_ERROR(CheckRange("--days", o.days, 1, kDaysMax));
  FT_RETURN_IF_ERROR(CheckRange("--markets", o.markets, 1, kMarketsMax));
  FT_RETURN_IF_ERROR(CheckRange("--vendors-per-market", o.vendors_per_market, kVendorsPerMarketMin, kVendorsPerMarketMax));
  FT_RETURN_IF_ERROR(CheckRange("scans per kiosk and day", o.rates.scans_per_kiosk_day, 0, kScansPerKioskDayMax));
  const Rates& r = o.rates;
  for (double rate : {r.recalls_per_day, r.failed_tests_per_day, r.passed_tests_per_day, r.expired_left_per_day,
                      r.oversells_per_day, r.unverified_suppliers_per_day, r.unconfirmed_receipts_per_day,
                      r.recalled_scans_per_day}) {
    FT_RETURN_IF_ERROR(CheckRange("an incident rate", rate, 0, kIncidentsPerDayMax));
  }
  if (o.today.year() < 2000) return Status::Invalid("SIM_OPTION_RANGE", "today must be set to a date after 2000");
  return Status::Ok();
}

}  // namespace

std::size_t Day::items() const {
  std::size_t n = 0;
  for (const Batch& b : trade) n += b.items.size();
  for (const Batch& b : oversight) n += b.items.size();
  return n;
}

std::vector<std::string> TruthKinds() {
  return {"EXPIRED_IN_STOCK", "EXPIRED_SOLD",        "RECALLED_IN_STOCK",   "RECALLED_SOLD",
          "RECALLED_SCANNED", "RECALL_OVERDUE",      "NEGATIVE_STOCK",      "UNCONFIRMED_RECEIPT",
          "UNVERIFIED_SUPPLIER", "LICENCE_EXPIRED", "TEST_FAILED"};
}

Day Simulation::Model::GenerateDay(Date date, const std::string& id_suffix, int day_index, bool backfill) {
  date_ = date;
  id_suffix_ = id_suffix;
  trade_.clear();
  oversight_.clear();
  const Rates& r = options_.rates;
  const bool force = backfill && options_.days >= 3 && day_index >= options_.days - 2;
  const bool last = backfill && day_index == options_.days - 1;
  // Every kind with a rate happens at least once in a backfill of three days or more.
  auto count = [&](const char* kind, double rate) {
    const int n = rng_.Count(rate);
    return (n == 0 && force && rate > 0 && !injected_kinds_.count(kind)) ? 1 : n;
  };
  int unconfirmed = count("UNCONFIRMED_RECEIPT", r.unconfirmed_receipts_per_day);
  int oversells = count("NEGATIVE_STOCK", r.oversells_per_day);
  const int neglect = count("EXPIRED_IN_STOCK", r.expired_left_per_day);
  const int unverified = count("UNVERIFIED_SUPPLIER", r.unverified_suppliers_per_day);
  const int recalls = count("RECALLED_IN_STOCK", r.recalls_per_day);
  const int failed = count("TEST_FAILED", r.failed_tests_per_day);
  const int passed = rng_.Count(r.passed_tests_per_day);
  const int recalled_scans = count("RECALLED_SCANNED", r.recalled_scans_per_day);

  MorningDisposal();
  Produce(day_index);
  Purchases(&unconfirmed);
  UnverifiedPurchases(unverified);
  VendorTrade();
  Butchery();
  RetailSales(&oversells);
  // Goods left on the shelf on the last day are not expired yet when the clock rules run.
  CloseOfDay(last ? 0 : neglect);
  Tests(failed, passed);
  Recalls(recalls);
  Scans(recalled_scans);

  Day day;
  day.date = date;
  for (auto& [writer, items] : trade_) day.trade.push_back({writer, std::move(items)});
  day.oversight = std::move(oversight_);
  trade_.clear();
  oversight_.clear();
  return day;
}

Day Simulation::Model::NextDay() {
  FT_CHECK(HasNextDay());
  const int index = next_day_++;
  return GenerateDay(options_.today.AddDays(index - options_.days + 1), "", index, true);
}

Day Simulation::Model::LiveRound(Date date, std::string_view tag) {
  FT_CHECK(date >= options_.today);
  ++live_round_;
  return GenerateDay(date, "r" + std::string(tag) + std::to_string(live_round_), options_.days + live_round_, false);
}

Truth Simulation::Model::MakeTruth() const {
  Truth t;
  t.recalls = recalls_;
  for (const PartyState& p : parties_) {
    for (const auto& [lot, h] : p.holdings) {
      const LotState& l = lots_[static_cast<std::size_t>(lot)];
      if (h.on_hand > 0 && l.expires < options_.today) {
        t.expired_holdings.push_back({p.party.party_id(), ProductOf(lot).product.gtin(), l.code});
      }
    }
  }
  for (const auto& [kind, party, gtin, lot] : anomalies_) t.anomalies.push_back({kind, party, gtin, lot});
  return t;
}

std::string Truth::ToJson() const {
  nlohmann::ordered_json j;
  j["recalls"] = nlohmann::ordered_json::array();
  for (const TruthRecall& r : recalls) j["recalls"].push_back({{"recall_id", r.recall_id}, {"holders", r.holders}});
  j["expired_holdings"] = nlohmann::ordered_json::array();
  for (const TruthHolding& h : expired_holdings) {
    j["expired_holdings"].push_back({{"party_id", h.party_id}, {"gtin", h.gtin}, {"lot", h.lot}});
  }
  j["anomalies"] = nlohmann::ordered_json::array();
  for (const TruthAnomaly& a : anomalies) {
    j["anomalies"].push_back({{"kind", a.kind}, {"party_id", a.party_id}, {"gtin", a.gtin}, {"lot", a.lot}});
  }
  return j.dump() + "\n";
}

Result<std::unique_ptr<Simulation>> Simulation::Create(const Options& options) {
  FT_RETURN_IF_ERROR(CheckOptions(options));
  auto model = std::make_unique<Model>(options);
  model->BuildRegion();
  return std::unique_ptr<Simulation>(new Simulation(std::move(model)));
}

Simulation::Simulation(std::unique_ptr<Model> model) : model_(std::move(model)) {}
Simulation::~Simulation() = default;
const std::vector<v1::Party>& Simulation::parties() const { return model_->parties(); }
const std::vector<v1::Product>& Simulation::products() const { return model_->products(); }
bool Simulation::HasNextDay() const { return model_->HasNextDay(); }
Day Simulation::NextDay() { return model_->NextDay(); }
Day Simulation::LiveRound(Date date, std::string_view tag) { return model_->LiveRound(date, tag); }
Truth Simulation::truth() const { return model_->MakeTruth(); }

}  // namespace foodtrace::sim
