// Incidents: recalls of widely held lots, market tests (some failing), kiosk scans (some of
// recalled lots), and purchases from unregistered suppliers without licence or certificate.
#include <algorithm>

#include "sim/model.h"

namespace foodtrace::sim {
namespace {

constexpr const char* kRecallReasons[] = {"沙门氏菌超标", "菌落总数超标", "标签未标注致敏物质",
                                          "检出禁用兽药残留", "铅含量超标"};

}  // namespace

std::vector<int> Simulation::Model::CoveredLots(int lot) const {
  std::vector<int> out = {lot};
  for (std::size_t i = 0; i < out.size(); ++i) {
    for (int d : lots_[static_cast<std::size_t>(out[i])].derived) {
      if (std::find(out.begin(), out.end(), d) == out.end()) out.push_back(d);
    }
  }
  return out;
}

// Holders as the recall rule sees them: on hand > 0 or shipped-to and not yet received.
std::set<int> Simulation::Model::HoldersOf(const std::vector<int>& lots) const {
  std::set<int> out;
  for (std::size_t p = 0; p < parties_.size(); ++p) {
    for (int lot : lots) {
      auto it = parties_[p].holdings.find(lot);
      if (it != parties_[p].holdings.end() && (it->second.on_hand > 0 || it->second.unconfirmed > 0)) {
        out.insert(static_cast<int>(p));
      }
    }
  }
  return out;
}

void Simulation::Model::IssueRecall(int lot, const char* reason) {
  const std::vector<int> covered = CoveredLots(lot);
  TruthRecall truth;
  truth.recall_id = NextId("RC");
  for (int p : HoldersOf(covered)) truth.holders.push_back(parties_[static_cast<std::size_t>(p)].party.party_id());
  std::sort(truth.holders.begin(), truth.holders.end());
  for (int c : covered) {
    lots_[static_cast<std::size_t>(c)].stopped = true;
    lots_[static_cast<std::size_t>(c)].recalled = true;
  }
  v1::Item item;
  v1::Recall* r = item.mutable_recall();
  r->set_recall_id(truth.recall_id);
  r->set_level(static_cast<v1::Recall::Level>(1 + rng_.Below(3)));
  r->set_gtin(ProductOf(lot).product.gtin());
  r->add_lots(lots_[static_cast<std::size_t>(lot)].code);
  r->set_reason(reason);
  r->set_issuer_id(parties_[static_cast<std::size_t>(regulator_)].party.party_id());
  recalls_.push_back(std::move(truth));
  Emit(regulator_, std::move(item), true);
}

// The GTIN lot whose recall reaches the most holders (ties: a random one of the best three).
void Simulation::Model::Recalls(int count) {
  for (int n = 0; n < count; ++n) {
    std::vector<std::pair<int, int>> scored;  // (-holders, lot)
    for (std::size_t lot = 0; lot < lots_.size(); ++lot) {
      if (lots_[lot].stopped || !ProductOf(static_cast<int>(lot)).has_gtin()) continue;
      const int holders = static_cast<int>(HoldersOf(CoveredLots(static_cast<int>(lot))).size());
      if (holders > 0) scored.emplace_back(-holders, static_cast<int>(lot));
    }
    if (scored.empty()) return;
    std::sort(scored.begin(), scored.end());
    const int pick = rng_.Below(std::min<int>(3, static_cast<int>(scored.size())));
    IssueRecall(scored[static_cast<std::size_t>(pick)].second,
                kRecallReasons[rng_.Below(static_cast<int>(std::size(kRecallReasons)))]);
    injected_kinds_.insert("RECALLED_IN_STOCK");
  }
}

void Simulation::Model::RecordTest(int party, int lot, bool passed) {
  const CatalogProduct& p = ProductOf(lot);
  const bool vegetable = p.trade == Trade::kGreens;
  v1::Item item;
  v1::TestResult* t = item.mutable_test_result();
  t->set_test_id(NextId("T"));
  t->set_party_id(parties_[static_cast<std::size_t>(party)].party.party_id());
  t->set_gtin(p.product.gtin());
  t->set_product_code(p.product.product_code());
  t->set_lot(lots_[static_cast<std::size_t>(lot)].code);
  t->set_item(vegetable ? "农药残留(有机磷和氨基甲酸酯类)" : "菌落总数");
  t->set_limit(vegetable ? "抑制率<50%" : "≤100000 CFU/g");
  t->set_value(passed ? (vegetable ? "抑制率12%" : "3200 CFU/g") : (vegetable ? "抑制率71%" : "860000 CFU/g"));
  t->set_passed(passed);
  t->set_lab("上城区食品安全快检室");
  t->set_tested_on(date_.ToString());
  t->set_published(true);
  if (!passed) {
    lots_[static_cast<std::size_t>(lot)].stopped = true;
    NoteAnomaly("TEST_FAILED", party, lot);
    injected_kinds_.insert("TEST_FAILED");
  }
  Emit(regulator_, std::move(item), true);
}

void Simulation::Model::Tests(int failed, int passed) {
  for (int n = 0; n < failed + passed; ++n) {
    std::vector<std::pair<int, int>> candidates;  // (vendor, lot): GTIN lots on sale
    for (int v : vendors_) {
      for (const auto& [lot, h] : parties_[static_cast<std::size_t>(v)].holdings) {
        if (h.on_hand > 0 && !h.neglected && !lots_[static_cast<std::size_t>(lot)].stopped && ProductOf(lot).has_gtin()) {
          candidates.emplace_back(v, lot);
        }
      }
    }
    if (candidates.empty()) return;
    const auto [v, lot] = candidates[static_cast<std::size_t>(rng_.Below(static_cast<int>(candidates.size())))];
    RecordTest(v, lot, n >= failed);
  }
}

void Simulation::Model::Scan(int kiosk, int lot) {
  const LotState& l = lots_[static_cast<std::size_t>(lot)];
  const std::string gtin = ProductOf(lot).product.gtin();
  const std::string d = l.expires.ToString();
  v1::Item item;
  v1::Scan* s = item.mutable_scan();
  s->set_event_id(NextId("S"));
  s->set_kiosk_id(parties_[static_cast<std::size_t>(kiosk)].party.party_id());
  // GS1 element string: (01) GTIN, (17) expiry YYMMDD, (10) lot last (variable length).
  s->set_raw_code("01" + gtin + "17" + d.substr(2, 2) + d.substr(5, 2) + d.substr(8, 2) + "10" + l.code);
  s->set_symbology("GS1_DATAMATRIX");
  s->set_gtin(gtin);
  s->set_lot(l.code);
  s->set_expires_on(d);
  s->set_produced_on(l.produced.ToString());
  s->set_scanned_at_ms(options_.time_zone.StartOfDay(date_) + (9 + rng_.Below(10)) * 3600'000LL);
  if (l.recalled) {
    NoteAnomaly("RECALLED_SCANNED", kiosk, lot);
    injected_kinds_.insert("RECALLED_SCANNED");
  }
  Emit(kiosk, std::move(item), true);
}

// Consumers scan what their market's vendors have on sale; `recalled` more scans find lots a
// recall covers (the product is still in someone's cupboard).
void Simulation::Model::Scans(int recalled) {
  for (int k : kiosks_) {
    std::vector<int> on_sale;
    for (int v : vendors_) {
      if (parties_[static_cast<std::size_t>(v)].market != parties_[static_cast<std::size_t>(k)].market) continue;
      for (const auto& [lot, h] : parties_[static_cast<std::size_t>(v)].holdings) {
        if (h.on_hand > 0 && !lots_[static_cast<std::size_t>(lot)].stopped && ProductOf(lot).has_gtin()) on_sale.push_back(lot);
      }
    }
    for (int n = 0; n < options_.rates.scans_per_kiosk_day && !on_sale.empty(); ++n) {
      Scan(k, on_sale[static_cast<std::size_t>(rng_.Below(static_cast<int>(on_sale.size())))]);
    }
  }
  std::vector<int> recalled_lots;
  for (std::size_t lot = 0; lot < lots_.size(); ++lot) {
    if (lots_[lot].recalled && ProductOf(static_cast<int>(lot)).has_gtin()) recalled_lots.push_back(static_cast<int>(lot));
  }
  for (int n = 0; n < recalled && !recalled_lots.empty() && !kiosks_.empty(); ++n) {
    const int kiosk = kiosks_[static_cast<std::size_t>(rng_.Below(static_cast<int>(kiosks_.size())))];
    Scan(kiosk, recalled_lots[static_cast<std::size_t>(rng_.Below(static_cast<int>(recalled_lots.size())))]);
  }
}

// A grocer buys packaged goods from a trader with no licence and no certificate (查验缺失).
void Simulation::Model::UnverifiedPurchases(int count) {
  std::vector<std::pair<int, int>> candidates;  // (vendor, product)
  for (int v : vendors_) {
    for (const auto& [product, demand] : parties_[static_cast<std::size_t>(v)].demand) {
      const CatalogProduct& p = catalog_[static_cast<std::size_t>(product)];
      if (p.has_gtin() && p.source == Source::kProducer && p.shelf_life_days >= 180) candidates.emplace_back(v, product);
    }
  }
  for (int n = 0; n < count && !candidates.empty(); ++n) {
    const auto [v, product] = candidates[static_cast<std::size_t>(rng_.Below(static_cast<int>(candidates.size())))];
    const int lot = NewLot(product, date_.AddDays(-rng_.Range(10, 60)), "U" + CompactDate(date_) + id_suffix_ + "-" + std::to_string(n));
    v1::Counterparty trader;
    trader.set_name("个体批发户" + PersonName(rng_));
    trader.set_address(StreetAddress(rng_));
    trader.set_contact(PhoneNumber(rng_));
    ReceiveFromOutside(v, lot, catalog_[static_cast<std::size_t>(product)].daily_demand * 3L + 1, trader, {});
    injected_kinds_.insert("UNVERIFIED_SUPPLIER");
  }
}

}  // namespace foodtrace::sim
