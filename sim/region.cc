// The simulated region: a regulator, a wholesale market with its wholesalers, producers,
// retail markets with vendors of each trade and a kiosk each. Ids are short and stable:
// reg-01, wm-01, w01…, p01…, m01…, m01-v001…, m01-k1.
#include <cstdio>

#include "foodtrace/common/identifiers.h"
#include "sim/model.h"

namespace foodtrace::sim {
namespace {

std::string Id(const char* prefix, int n, int width) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%s%0*d", prefix, width, n);
  return buf;
}

}  // namespace

void Simulation::Model::BuildRegion() {
  std::uint64_t serial = 1000 + options_.seed % 100000;
  auto add = [&](v1::Party party, Role role, const std::string& writer) {
    PartyState s;
    party.set_region("浙江省杭州市上城区");
    if (party.address().empty()) party.set_address(StreetAddress(rng_));
    if (party.contact().empty()) party.set_contact(PersonName(rng_) + " " + PhoneNumber(rng_));
    if (role == Role::kProducer || role == Role::kWholesaler || role == Role::kVendor) {
      const Date from = options_.today.AddDays(-rng_.Range(30, 1400));
      party.set_licence_valid_from(from.ToString());
      party.set_licence_valid_to(from.AddYears(5).AddDays(-1).ToString());
      party.set_risk_level(std::string(1, static_cast<char>('A' + rng_.Below(3))));
    }
    s.party = std::move(party);
    s.role = role;
    s.writer = writer.empty() ? s.party.party_id() : writer;
    parties_.push_back(std::move(s));
    return static_cast<int>(parties_.size()) - 1;
  };
  v1::Party reg;
  reg.set_party_id("reg-01");
  reg.set_kind(v1::Party::REGULATOR);
  reg.set_name("杭州市上城区市场监督管理局");
  regulator_ = add(reg, Role::kRegulator, "");

  v1::Party wm;
  wm.set_party_id("wm-01");
  wm.set_kind(v1::Party::MARKET);
  wm.set_name("杭州农副产品物流中心");
  wm.set_wholesale(true);
  wm.set_uscc(MakeUscc("91", serial++));
  add(wm, Role::kWholesaleMarket, "");
  for (int m = 0; m < options_.markets; ++m) {
    v1::Party market;
    market.set_party_id(Id("m", m + 1, 2));
    market.set_kind(v1::Party::MARKET);
    market.set_name(MarketName(m));
    market.set_uscc(MakeUscc("91", serial++));
    add(market, Role::kMarket, "");
  }
  for (std::size_t p = 0; p < Producers().size(); ++p) {
    const ProducerSpec& spec = Producers()[p];
    v1::Party producer;
    producer.set_party_id(Id("p", static_cast<int>(p) + 1, 2));
    producer.set_kind(v1::Party::SUPPLIER);
    producer.set_name(spec.name);
    producer.set_address(spec.address);
    producer.set_producer(true);
    producer.set_licence(MakeProductionLicence(spec.licence_category, serial));
    producer.set_uscc(MakeUscc("91", serial++));
    producers_.push_back(add(producer, Role::kProducer, ""));
  }
  const int wholesaler_count = std::clamp((options_.markets + 1) / 2, 1, 4);
  for (int w = 0; w < wholesaler_count; ++w) {
    v1::Party wholesaler;
    wholesaler.set_party_id(Id("w", w + 1, 2));
    wholesaler.set_kind(v1::Party::SUPPLIER);
    wholesaler.set_name(WholesalerName(w));
    wholesaler.set_wholesale(true);
    wholesaler.set_market_id("wm-01");
    wholesaler.set_stall(Id("B区", w + 1, 3));
    wholesaler.set_licence(MakeBusinessLicence(serial));
    wholesaler.set_uscc(MakeUscc("92", serial++));
    wholesalers_.push_back(add(wholesaler, Role::kWholesaler, ""));
  }
  AddVendorsAndKiosks(&serial, add);
  for (const PartyState& s : parties_) registrations_.push_back(s.party);
  for (const CatalogProduct& p : catalog_) product_records_.push_back(p.product);
}

void Simulation::Model::AddVendorsAndKiosks(std::uint64_t* serial, const AddParty& add) {
  for (int m = 0; m < options_.markets; ++m) {
    const std::string market_id = Id("m", m + 1, 2);
    for (int v = 0; v < options_.vendors_per_market; ++v) {
      const Trade trade = v < kTradeCount ? static_cast<Trade>(v) : static_cast<Trade>(rng_.Below(kTradeCount));
      v1::Party vendor;
      vendor.set_party_id(market_id + Id("-v", v + 1, 3));
      vendor.set_kind(v1::Party::VENDOR);
      vendor.set_name(VendorName(rng_, trade));
      vendor.set_market_id(market_id);
      vendor.set_stall(std::string(1, static_cast<char>('A' + v % 4)) + "-" + std::to_string(v / 4 + 1));
      vendor.set_licence(MakeBusinessLicence(*serial));
      vendor.set_uscc(MakeUscc("92", (*serial)++));
      vendor.set_credit_class(std::string(1, static_cast<char>('A' + rng_.Below(3))));
      const int index = add(vendor, Role::kVendor, market_id);
      PartyState& s = parties_[static_cast<std::size_t>(index)];
      s.market = m;
      s.trade = trade;
      s.wholesaler = wholesalers_[static_cast<std::size_t>(static_cast<int>(vendors_.size()) %
                                                           static_cast<int>(wholesalers_.size()))];
      for (std::size_t p = 0; p < catalog_.size(); ++p) {
        if (catalog_[p].trade != trade) continue;
        s.demand[static_cast<int>(p)] = std::max(1, catalog_[p].daily_demand * rng_.Range(60, 140) / 100);
      }
      vendors_.push_back(index);
    }
    v1::Party kiosk;
    kiosk.set_party_id(market_id + "-k1");
    kiosk.set_kind(v1::Party::KIOSK);
    kiosk.set_name(MarketName(m) + "食品安全查询机");
    kiosk.set_market_id(market_id);
    const int k = add(kiosk, Role::kKiosk, "");
    parties_[static_cast<std::size_t>(k)].market = m;
    kiosks_.push_back(k);
  }
}

}  // namespace foodtrace::sim
