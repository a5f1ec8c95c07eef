// EXPIRING answered from the expiry indexes (ledger/queries_expiry.cc): as JSON rows, or as an
// ExpiringAnswer (Query.format PROTOBUF). Who may ask about whom: regulators and the operator
// anything; a market its own parties; anyone else itself only.
#include "alerts/queries.h"
#include "ledger/limits.h"

namespace foodtrace::alerts {

using nlohmann::json;

Result<std::string> ExpiringQuery(const ledger::Ledger& ledger, AlertEngine& engine, const Caller& caller,
                                  const v1::Query& q) {
  Date as_of = MarketToday(ledger.time_zone(), engine.Now());
  if (!q.as_of().empty()) {
    auto d = Date::Parse(q.as_of());
    if (!d.ok()) return d.status();
    as_of = *d;
  }
  const int horizon = q.horizon_days() > 0 ? std::min(q.horizon_days(), 3660) : 45;
  std::string party = q.party_id();
  std::string market = q.market_id();
  if (!caller.privileged()) {
    if (caller.party.kind() == v1::Party::MARKET) {
      market = caller.party.party_id();
    } else {
      party = caller.party.party_id();
    }
  }
  const std::size_t limit = q.limit() > 0 ? std::min<std::size_t>(q.limit(), ledger::kQueryRowsMax)
                                          : ledger::kQueryRowsMax;
  // From the party's or the market's own index when the question names one, so the rows cap
  // applies to its answer and not to the whole region's.
  const Date to = as_of.AddDays(horizon);
  auto rows = !party.empty()    ? ledger.ExpiringAt(party, as_of, to, limit)
              : !market.empty() ? ledger.ExpiringInMarket(market, as_of, to, limit)
                                : ledger.Expiring(as_of, to, limit);
  if (!rows.ok()) return rows.status();
  if (!party.empty() && !market.empty()) {
    // A market asking about one party sees it only if the party is one of its own.
    auto p = ledger.GetParty(party);
    if (!p.ok() || p->market_id() != market) rows->clear();
  }
  if (rows->size() > limit) rows->resize(limit);
  auto days_left = [&](const ledger::Holding& h) {
    auto expires = Date::Parse(h.expires_on());
    return expires.ok() ? *expires - as_of : 0;
  };
  if (q.format() == v1::Query::PROTOBUF) {
    v1::ExpiringAnswer answer;
    answer.mutable_rows()->Reserve(static_cast<int>(rows->size()));
    for (ledger::Holding& h : *rows) {
      v1::ExpiringRow* row = answer.add_rows();
      row->set_days_left(days_left(h));
      row->set_party_id(std::move(*h.mutable_party_id()));
      row->set_gtin(std::move(*h.mutable_gtin()));
      row->set_product_code(std::move(*h.mutable_product_code()));
      row->set_lot(std::move(*h.mutable_lot()));
      row->set_quantity(h.quantity());
      row->set_unit(std::move(*h.mutable_unit()));
      row->set_expires_on(std::move(*h.mutable_expires_on()));
      row->set_product_name(std::move(*h.mutable_product_name()));
      row->set_stopped(h.stopped());
    }
    return answer.SerializeAsString();
  }
  json out = json::array();
  for (const ledger::Holding& h : *rows) {
    out.push_back({{"party_id", h.party_id()}, {"gtin", h.gtin()}, {"product_code", h.product_code()},
                   {"lot", h.lot()}, {"quantity", h.quantity()}, {"unit", h.unit()},
                   {"expires_on", h.expires_on()}, {"product_name", h.product_name()},
                   {"days_left", days_left(h)}, {"stopped", h.stopped()}});
  }
  return out.dump();
}

}  // namespace foodtrace::alerts
