// TRACE_DOWN, RECALL_IMPACT and TRACE_UP answered from the ledger's indexes (never the log);
// TRACE_DOWN and RECALL_IMPACT also as answer messages (Query.format PROTOBUF).
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
                        const std::vector<ledger::TraceHolder>& holders) {
  if (caller.privileged()) return Status::Ok();
  const bool market = caller.party.kind() == v1::Party::MARKET;
  for (const ledger::TraceHolder& h : holders) {
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

void SetProduct(const std::string& product, std::string* gtin, std::string* product_code) {
  if (product.rfind("C:", 0) == 0) {
    *product_code = product.substr(2);
  } else {
    *gtin = product;
  }
}

void PutHolderRow(const ledger::TraceHolder& h, v1::TraceHolderRow* row) {
  row->set_party_id(h.party_id);
  SetProduct(h.product, row->mutable_gtin(), row->mutable_product_code());
  row->set_lot(h.lot);
  row->set_received(h.received);
  row->set_on_hand(h.on_hand);
  row->set_unconfirmed(h.unconfirmed);
  row->set_unit(h.unit);
}

std::string TraceDownMessage(const ledger::TraceDownResult& trace) {
  v1::TraceDownAnswer answer;
  *answer.mutable_lot() = trace.lot;
  answer.mutable_lots()->Reserve(static_cast<int>(trace.lots.size()));
  for (const v1::Lot& l : trace.lots) *answer.add_lots() = l;
  answer.mutable_holders()->Reserve(static_cast<int>(trace.holders.size()));
  for (const ledger::TraceHolder& h : trace.holders) PutHolderRow(h, answer.add_holders());
  answer.mutable_edges()->Reserve(static_cast<int>(trace.edges.size()));
  for (const ledger::TraceEdge& e : trace.edges) {
    v1::TraceEdgeRow* row = answer.add_edges();
    row->set_from(e.from);
    row->set_to(e.to);
    SetProduct(e.product, row->mutable_gtin(), row->mutable_product_code());
    row->set_lot(e.lot);
    row->set_shipped(e.shipped);
    row->set_received(e.received);
    row->set_unit(e.unit);
    row->set_first_on(e.first_on);
  }
  answer.set_truncated(trace.truncated);
  return answer.SerializeAsString();
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
  FT_RETURN_IF_ERROR(CheckTraceAccess(ledger, caller, trace->holders));
  if (q.format() == v1::Query::PROTOBUF) return TraceDownMessage(*trace);
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

Result<std::string> RecallImpactQuery(const ledger::Ledger& ledger, const Caller& caller, const v1::Query& q) {
  auto product = QueryProduct(q);
  if (!product.ok()) return product.status();
  auto impact = ledger.RecallImpact(*product, q.lot(), Depth(q));
  if (!impact.ok()) return impact.status();
  FT_RETURN_IF_ERROR(CheckTraceAccess(ledger, caller, impact->holders));
  if (q.format() == v1::Query::PROTOBUF) {
    v1::RecallImpactAnswer answer;
    for (const std::string& lot : impact->covered_lots) answer.add_covered_lots(lot);
    answer.mutable_holders()->Reserve(static_cast<int>(impact->holders.size()));
    for (const ledger::TraceHolder& h : impact->holders) PutHolderRow(h, answer.add_holders());
    answer.set_truncated(impact->truncated);
    return answer.SerializeAsString();
  }
  json holders = json::array();
  for (const ledger::TraceHolder& h : impact->holders) {
    json row = {{"party_id", h.party_id}, {"lot", h.lot}, {"on_hand", h.on_hand},
                {"unconfirmed", h.unconfirmed}, {"unit", h.unit}};
    PutProduct(h.product, &row);
    holders.push_back(std::move(row));
  }
  return json{{"covered_lots", impact->covered_lots}, {"holders", std::move(holders)},
              {"truncated", impact->truncated}}
      .dump();
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

}  // namespace foodtrace::alerts
