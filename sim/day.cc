// One market day: stopped goods disposed of in the morning, production, purchases from the
// wholesalers and from farmers, trade between vendors, butchers cutting meat into portions,
// retail sales as daily totals, and close-of-day disposal of what reached its last sellable
// day. The incidents of the day (incidents.cc) are woven in at the points where they happen.
#include <algorithm>

#include "sim/model.h"

namespace foodtrace::sim {
namespace {

// Farmers sell bulk produce with a 承诺达标合格证 (FSL 65); never registered parties.
v1::Counterparty Farmer(Rng& rng) {
  v1::Counterparty c;
  c.set_name("农户" + PersonName(rng));
  c.set_address("浙江省杭州市萧山区" + std::to_string(rng.Range(1, 30)) + "村");
  c.set_contact(PhoneNumber(rng));
  return c;
}

}  // namespace

std::vector<int> Simulation::Model::SellableLots(int party, int product) const {
  std::vector<int> out;
  for (const auto& [lot, h] : parties_[static_cast<std::size_t>(party)].holdings) {
    const LotState& l = lots_[static_cast<std::size_t>(lot)];
    if (l.product == product && h.on_hand > 0 && !h.neglected && !l.stopped && l.expires >= date_) {
      out.push_back(lot);
    }
  }
  std::stable_sort(out.begin(), out.end(), [&](int a, int b) {
    return lots_[static_cast<std::size_t>(a)].expires < lots_[static_cast<std::size_t>(b)].expires;
  });
  return out;
}

std::int64_t Simulation::Model::SellableStock(int party, int product) const {
  std::int64_t total = 0;
  for (int lot : SellableLots(party, product)) {
    total += parties_[static_cast<std::size_t>(party)].holdings.at(lot).on_hand;
  }
  return total;
}

void Simulation::Model::MorningDisposal() {
  for (std::size_t p = 0; p < parties_.size(); ++p) {
    for (const auto& [lot, h] : std::map<int, Holding>(parties_[p].holdings)) {
      if (h.on_hand > 0 && !h.neglected && lots_[static_cast<std::size_t>(lot)].stopped) {
        Dispose(static_cast<int>(p), lot, h.on_hand, "销毁");
      }
    }
  }
}

void Simulation::Model::Produce(int day_index) {
  const std::int64_t wholesalers = static_cast<std::int64_t>(wholesalers_.size());
  for (std::size_t product = 0; product < catalog_.size(); ++product) {
    const CatalogProduct& p = catalog_[product];
    if (p.source != Source::kProducer || (day_index + static_cast<int>(product)) % p.production_period_days != 0) {
      continue;
    }
    std::int64_t demand = 0;
    for (int v : vendors_) {
      const auto& d = parties_[static_cast<std::size_t>(v)].demand;
      if (auto it = d.find(static_cast<int>(product)); it != d.end()) demand += it->second;
    }
    if (demand == 0) continue;
    const std::int64_t per_wholesaler = (demand * p.production_period_days * 3 / 2) / wholesalers + 1;
    const int lot = NewLot(static_cast<int>(product), date_,
                           "B" + CompactDate(date_) + id_suffix_ + "-" + std::to_string(product));
    const int producer = producers_[static_cast<std::size_t>(p.producer)];
    Stocktake(producer, lot, per_wholesaler * wholesalers);
    for (int w : wholesalers_) Move(producer, w, lot, per_wholesaler, true);
  }
}

// Restock what will not last the day; `unconfirmed` shipments are recorded by the
// wholesaler only.
void Simulation::Model::Purchases(int* unconfirmed) {
  for (int v : vendors_) {
    PartyState& vendor = parties_[static_cast<std::size_t>(v)];
    for (const auto& [product, demand] : std::map<int, int>(vendor.demand)) {
      const CatalogProduct& p = catalog_[static_cast<std::size_t>(product)];
      if (p.source == Source::kPortion || SellableStock(v, product) >= demand * 6 / 5) continue;
      const std::int64_t want = static_cast<std::int64_t>(demand) * (p.shelf_life_days <= 7 ? 2 : 5);
      if (p.source == Source::kFarmer) {
        const int lot = NewLot(product, date_.AddDays(-1),
                               "N" + CompactDate(date_) + id_suffix_ + "-" + std::to_string(v) + "-" + std::to_string(product));
        ReceiveFromOutside(v, lot, want, Farmer(rng_), {"承诺达标合格证 ZJ" + std::to_string(rng_.Range(100000, 999999))});
        continue;
      }
      for (int lot : SellableLots(vendor.wholesaler, product)) {
        const Holding& h = parties_[static_cast<std::size_t>(vendor.wholesaler)].holdings.at(lot);
        if (lots_[static_cast<std::size_t>(lot)].expires <= date_) continue;  // nothing to sell tomorrow
        const std::int64_t q = std::min(want, h.on_hand);
        const bool recorded = *unconfirmed <= 0;
        if (!recorded) {
          --*unconfirmed;
          injected_kinds_.insert("UNCONFIRMED_RECEIPT");
        }
        Move(vendor.wholesaler, v, lot, q, recorded);
        break;
      }
    }
  }
}

// Now and then a vendor passes part of a lot to a colleague of the same trade and market.
void Simulation::Model::VendorTrade() {
  for (int seller : vendors_) {
    if (!rng_.Chance(0.1)) continue;
    const PartyState& s = parties_[static_cast<std::size_t>(seller)];
    std::vector<int> buyers;
    for (int v : vendors_) {
      const PartyState& b = parties_[static_cast<std::size_t>(v)];
      if (v != seller && b.market == s.market && b.trade == s.trade) buyers.push_back(v);
    }
    if (buyers.empty() || s.demand.empty()) continue;
    auto it = s.demand.begin();
    std::advance(it, rng_.Below(static_cast<int>(s.demand.size())));
    const std::vector<int> lots = SellableLots(seller, it->first);
    if (lots.empty()) continue;
    const std::int64_t q = s.holdings.at(lots.back()).on_hand / 4;
    if (q > 0) Move(seller, buyers[static_cast<std::size_t>(rng_.Below(static_cast<int>(buyers.size())))], lots.back(), q, true);
  }
}

// Butchers cut 冷鲜猪后腿肉 (kg) into 500 g boxes of 精切猪肉块: a TRANSFORM to a new lot.
void Simulation::Model::Butchery() {
  int whole = -1, portion = -1;
  for (std::size_t p = 0; p < catalog_.size(); ++p) {
    if (catalog_[p].source == Source::kPortion) portion = static_cast<int>(p);
    if (catalog_[p].trade == Trade::kMeat && catalog_[p].source == Source::kProducer && whole < 0) whole = static_cast<int>(p);
  }
  for (int v : vendors_) {
    const PartyState& s = parties_[static_cast<std::size_t>(v)];
    if (s.trade != Trade::kMeat || !s.demand.count(portion) || !rng_.Chance(0.8)) continue;
    const std::vector<int> lots = SellableLots(v, whole);
    if (lots.empty()) continue;
    const std::int64_t on_hand = s.holdings.at(lots.front()).on_hand;
    const std::int64_t kilograms = std::min<std::int64_t>(on_hand / 2, s.demand.at(portion) / 2 + 1);
    if (kilograms <= 0) continue;
    const int out = NewLot(portion, date_, "X" + CompactDate(date_) + id_suffix_ + "-" + std::to_string(v));
    LotState& o = lots_[static_cast<std::size_t>(out)];
    o.expires = std::min(o.expires, lots_[static_cast<std::size_t>(lots.front())].expires);
    Transform(v, lots.front(), kilograms, out, kilograms * 2);
  }
}

// Daily totals to consumers, oldest expiry first; `oversells` sales take more than is on hand.
void Simulation::Model::RetailSales(int* oversells) {
  for (int v : vendors_) {
    for (const auto& [product, demand] : std::map<int, int>(parties_[static_cast<std::size_t>(v)].demand)) {
      std::int64_t left = static_cast<std::int64_t>(demand) * rng_.Range(70, 120) / 100;
      for (int lot : SellableLots(v, product)) {
        if (left <= 0) break;
        const std::int64_t on_hand = parties_[static_cast<std::size_t>(v)].holdings.at(lot).on_hand;
        std::int64_t q = std::min(left, on_hand);
        if (*oversells > 0 && ProductOf(lot).has_gtin()) {
          q = on_hand + rng_.Range(1, 5);
          --*oversells;
          injected_kinds_.insert("NEGATIVE_STOCK");
        }
        SellToConsumers(v, lot, q);
        left -= q;
      }
    }
  }
}

// At closing, whatever reached its last sellable day is destroyed, except `neglect` GTIN lots
// that a vendor leaves on the shelf (EXPIRED_IN_STOCK once the day is over).
void Simulation::Model::CloseOfDay(int neglect) {
  for (int v : vendors_) {
    for (auto& [lot, h] : parties_[static_cast<std::size_t>(v)].holdings) {
      const LotState& l = lots_[static_cast<std::size_t>(lot)];
      if (neglect > 0 && h.on_hand > 0 && !h.neglected && !l.stopped && l.expires <= date_ && ProductOf(lot).has_gtin()) {
        h.neglected = true;
        --neglect;
        injected_kinds_.insert("EXPIRED_IN_STOCK");
      }
    }
  }
  for (std::size_t p = 0; p < parties_.size(); ++p) {
    for (const auto& [lot, h] : std::map<int, Holding>(parties_[p].holdings)) {
      if (h.on_hand > 0 && !h.neglected && lots_[static_cast<std::size_t>(lot)].expires <= date_) {
        Dispose(static_cast<int>(p), lot, h.on_hand, rng_.Chance(0.5) ? "销毁" : "无害化处理");
      }
    }
  }
}

}  // namespace foodtrace::sim
