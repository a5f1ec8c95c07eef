// TRACE_DOWN, TRACE_UP and EXPIRING answered from the ledger's indexes (never the log).
// Who may trace what: regulators and the operator anything; a market the lots its vendors
// hold or held; a vendor (or supplier) only the lots it holds or held itself.
#include <google/protobuf/util/json_util.h>

#include <algorithm>
#include <set>

#include "alerts/limits.h"
#include "alerts/queries.h"
#include "foodtrace/common/identifiers.h"
#include "ledger/limits.h"

namespace foodtrace::alerts {
namespace {

using nlohmann::json;

json ProtoJson(const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  std::string text;
  if (!google::protobuf::util::MessageToJsonString(message, &text, options).ok()) return json::object();
  return json::parse(text, nullptr, /*allow_exceptions=*/false);
}

int Depth(const v1::Query& q) { return q.depth() > 0 ? q.depth() : ledger::kTraceDepthMax; }

// May a non-privileged caller see this trace? Only if it (or, for a market, one of its
// vendors) is among the holders.
Status CheckTraceAccess(const ledger::Ledger& ledger, const Caller& caller,
                        const ledger::TraceDownResult& trace) {
  if (caller.privileged()) return Status::Ok();
  const bool market = caller.party.kind() == v1::Party::MARKET;
  for (const ledger::TraceHolder& h : trace.holders) {
    if (h.party_id == caller.party.party_id()) return Status::Ok();
    if (market) {
      if (auto p = ledger.GetParty(h.party_id); p.ok() && p->market_id() == caller.party.party_id()) {
        return Status::Ok();
      }
    }
  }
  return Status::Denied("PERMISSION_DENIED", "party '" + caller.party.party_id() +
                                                 "' never held this lot; only its holders, their "
                                                 "market, regulators and the operator may trace it");
}

}  // namespace

Result<std::string> QueryProduct(const v1::Query& query) {
  if (query.gtin().empty() && query.product_code().empty()) {
    return Status::Invalid("QUERY_PRODUCT", "name the product with gtin or product_code");
  }
  if (query.lot().empty()) return Status::Invalid("QUERY_LOT", "name the lot");
  if (!query.gtin().empty()) {
    auto gtin = NormalizeGtin(query.gtin());
    if (!gtin.ok()) return gtin.status();
    return ledger::ProductKey(*gtin, "");
  }
  return ledger::ProductKey("", query.product_code());
}

void PutProduct(const std::string& product, json* out) {
  const bool code = product.rfind("C:", 0) == 0;
  (*out)["gtin"] = code ? "" : product;
  (*out)["product_code"] = code ? product.substr(2) : "";
}

Result<std::string> TraceDownQuery(const ledger::Ledger& ledger, const Caller& caller, const v1::Query& q) {
  auto product = QueryProduct(q);
  if (!product.ok()) return product.status();
  auto trace = ledger.TraceDown(*product, q.lot(), Depth(q));
  if (!trace.ok()) return trace.status();
  FT_RETURN_IF_ERROR(CheckTraceAccess(ledger, caller, *trace));
  json out = {{"lot", ProtoJson(trace->lot)}, {"truncated", trace->truncated}};
  json lots = json::array();
  for (const v1::Lot& l : trace->lots) lots.push_back(ProtoJson(l));
  out["lots"] = std::move(lots);
  json holders = json::array();
  for (const ledger::TraceHolder& h : trace->holders) {
    json row = {{"party_id", h.party_id}, {"lot", h.lot},           {"received", h.received},
                {"on_hand", h.on_hand},   {"unconfirmed", h.unconfirmed}, {"unit", h.unit}};
    PutProduct(h.product, &row);
    holders.push_back(std::move(row));
  }
  out["holders"] = std::move(holders);
  json edges = json::array();
  for (const ledger::TraceEdge& e : trace->edges) {
    json row = {{"from", e.from},         {"to", e.to},
                {"lot", e.lot},           {"quantity", e.received != 0 ? e.received : e.shipped},
                {"shipped", e.shipped},   {"received", e.received},
                {"unit", e.unit},         {"first_on", e.first_on}};
    PutProduct(e.product, &row);
    edges.push_back(std::move(row));
  }
  out["edges"] = std::move(edges);
  return out.dump();
}

Result<std::string> TraceUpQuery(const ledger::Ledger& ledger, const Caller& caller, const v1::Query& q) {
  auto product = QueryProduct(q);
  if (!product.ok()) return product.status();
  const std::string party = q.party_id().empty() ? caller.party.party_id() : q.party_id();
  if (!caller.privileged() && party != caller.party.party_id()) {
    auto target = ledger.GetParty(party);
    const bool own_vendor = target.ok() && caller.party.kind() == v1::Party::MARKET &&
                            target->market_id() == caller.party.party_id();
    if (!own_vendor) {
      return Status::Denied("PERMISSION_DENIED", "party '" + caller.party.party_id() +
                                                     "' may trace up only its own lots");
    }
  }
  auto trace = ledger.TraceUp(party, *product, q.lot(), Depth(q));
  if (!trace.ok()) return trace.status();
  json chain = json::array();
  for (const ledger::TraceUpStep& s : trace->chain) {
    json row = {{"party_id", s.party_id},       {"lot", s.lot},
                {"received_from", s.received_from}, {"documents", s.documents},
                {"received_on", s.received_on}, {"depth", s.depth}};
    PutProduct(s.product, &row);
    chain.push_back(std::move(row));
  }
  return json{{"chain", std::move(chain)}, {"truncated", trace->truncated}}.dump();
}

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
  json out = json::array();
  for (const ledger::Holding& h : *rows) {
    if (!party.empty() && !market.empty()) {
      auto p = ledger.GetParty(h.party_id());
      if (!p.ok() || p->market_id() != market) continue;
    }
    auto expires = Date::Parse(h.expires_on());
    out.push_back({{"party_id", h.party_id()}, {"gtin", h.gtin()}, {"product_code", h.product_code()},
                   {"lot", h.lot()}, {"quantity", h.quantity()}, {"unit", h.unit()},
                   {"expires_on", h.expires_on()}, {"product_name", h.product_name()},
                   {"days_left", expires.ok() ? *expires - as_of : 0}, {"stopped", h.stopped()}});
    if (out.size() >= limit) break;
  }
  return out.dump();
}

}  // namespace foodtrace::alerts
