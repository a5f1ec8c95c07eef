// Regulator endpoints: trace down and up, the party registry, a party's ledger and stock.
// Trace, ledger and stock go through the CLI's query handlers as the token's party, so the
// JSON and the permission rules are exactly those of `foodtrace trace …` / `ledger` / `stock`.
#include <set>

#include "portal/api_util.h"
#include "portal/limits.h"
#include "portal/server.h"

namespace foodtrace::portal {
namespace {

// Every party a trace mentions, for drawing the graph and finding the holders:
// id → {name, kind, market_id, glns, address, geo}.
json PartiesOf(const Context& ctx, const std::set<std::string>& ids) {
  json out = json::object();
  for (const std::string& id : ids) {
    if (id.empty() || id == "consumers") continue;
    json p{{"name", PartyName(ctx, id)}, {"kind", id.rfind("ext:", 0) == 0 ? "EXTERNAL" : ""}, {"market_id", ""}};
    if (id.rfind("xf:", 0) == 0) p["kind"] = "TRANSFORM";
    if (auto party = ctx.ledger->GetParty(id); party.ok()) {
      p["kind"] = v1::Party::Kind_Name(party->kind());
      p["market_id"] = party->market_id();
      // Where the holder is: its GLNs, address and geo (a regulator on the way needs them).
      p["glns"] = json(std::vector<std::string>(party->glns().begin(), party->glns().end()));
      p["address"] = party->address();
      if (party->has_geo()) p["geo"] = {{"latitude", party->geo().latitude()}, {"longitude", party->geo().longitude()}};
    }
    out[id] = std::move(p);
  }
  return out;
}

// Fills gtin/product_code, lot and depth of a trace query from the request.
Status TraceQuery(const httplib::Request& req, v1::Query* q) {
  auto product = ProductParam(req);
  if (!product.ok()) return product.status();
  auto lot = RequiredParam(req, "lot");
  if (!lot.ok()) return lot.status();
  auto depth = IntParam(req, "depth", kTraceDepthDefault, 0, 32);
  if (!depth.ok()) return depth.status();
  if (product->rfind("C:", 0) == 0) {
    q->set_product_code(product->substr(2));
  } else {
    q->set_gtin(*product);
  }
  q->set_lot(*lot);
  q->set_depth(static_cast<int>(*depth));
  return Status::Ok();
}

void TraceDown(Context& ctx, Call& call) {
  v1::Query q;
  q.set_kind(v1::Query::TRACE_DOWN);
  if (Status st = TraceQuery(call.req, &q); !st.ok()) return SendStatus(call.res, st);
  auto answer = RunQuery(ctx, call, q);
  if (!answer.ok()) return SendStatus(call.res, answer.status());
  std::set<std::string> ids;
  for (const json& h : (*answer)["holders"]) ids.insert(h.value("party_id", ""));
  for (const json& e : (*answer)["edges"]) {
    ids.insert(e.value("from", ""));
    ids.insert(e.value("to", ""));
  }
  (*answer)["parties"] = PartiesOf(ctx, ids);
  SendJson(call.res, 200, *answer);
}

void TraceUp(Context& ctx, Call& call) {
  v1::Query q;
  q.set_kind(v1::Query::TRACE_UP);
  if (Status st = TraceQuery(call.req, &q); !st.ok()) return SendStatus(call.res, st);
  auto party = RequiredParam(call.req, "party");
  if (!party.ok()) return SendStatus(call.res, party.status());
  q.set_party_id(*party);
  auto answer = RunQuery(ctx, call, q);
  if (!answer.ok()) return SendStatus(call.res, answer.status());
  std::set<std::string> ids{*party};
  for (const json& s : (*answer)["chain"]) {
    ids.insert(s.value("party_id", ""));
    ids.insert(s.value("received_from", ""));
  }
  (*answer)["parties"] = PartiesOf(ctx, ids);
  SendJson(call.res, 200, *answer);
}

void ListParties(Context& ctx, Call& call) {
  auto limit = PageLimit(call.req);
  auto offset = PageOffset(call.req);
  if (!limit.ok()) return SendStatus(call.res, limit.status());
  if (!offset.ok()) return SendStatus(call.res, offset.status());
  const std::string market = Param(call.req, "market").value_or("");
  v1::Party::Kind kind = v1::Party::KIND_UNSPECIFIED;
  if (auto k = Param(call.req, "kind"); k && !k->empty() && !v1::Party::Kind_Parse(*k, &kind)) {
    return SendError(call.res, 400, "BAD_PARAMETER", "'kind' must be VENDOR, SUPPLIER, MARKET, KIOSK or REGULATOR");
  }
  std::vector<v1::Party> parties = ctx.ledger->ListParties();
  std::erase_if(parties, [&](const v1::Party& p) {
    return (!market.empty() && p.market_id() != market) || (kind != v1::Party::KIND_UNSPECIFIED && p.kind() != kind);
  });
  json list = json::array();
  for (std::size_t i = *offset; i < parties.size() && list.size() < *limit; ++i) {
    v1::Party p = parties[i];
    p.clear_curve_public_key();
    list.push_back(ProtoToJson(p));
  }
  json out{{"parties", list}};
  if (auto next = NextCursor(*offset, list.size(), parties.size()); !next.empty()) out["next_cursor"] = next;
  SendJson(call.res, 200, out);
}

void PartyLedger(Context& ctx, Call& call) {
  const Date today = ctx.Today();
  auto to = DateParam(call.req, "to", today);
  if (!to.ok()) return SendStatus(call.res, to.status());
  auto from = DateParam(call.req, "from", to->AddDays(-30));
  if (!from.ok()) return SendStatus(call.res, from.status());
  if (*to < *from || *to - *from > kLedgerPeriodDaysMax) {
    return SendError(call.res, 400, "BAD_PARAMETER",
                     "'from' must not be after 'to', and the period is at most " +
                         std::to_string(kLedgerPeriodDaysMax) + " days");
  }
  auto limit = IntParam(call.req, "limit", 1000, 1, kLedgerLinesMax);
  if (!limit.ok()) return SendStatus(call.res, limit.status());
  v1::Query q;
  q.set_kind(v1::Query::LEDGER);
  q.set_party_id(call.params[0]);
  q.set_from(from->ToString());
  q.set_to(to->ToString());
  q.set_limit(static_cast<std::uint32_t>(*limit));
  auto lines = RunQuery(ctx, call, q);
  if (!lines.ok()) return SendStatus(call.res, lines.status());
  const bool truncated = lines->size() >= static_cast<std::size_t>(*limit);
  SendJson(call.res, 200, json{{"party_id", call.params[0]}, {"from", from->ToString()}, {"to", to->ToString()},
                               {"lines", std::move(*lines)}, {"truncated", truncated}});
}

void PartyStock(Context& ctx, Call& call) {
  v1::Query q;
  q.set_kind(v1::Query::STOCK);
  q.set_party_id(call.params[0]);
  auto rows = RunQuery(ctx, call, q);
  if (!rows.ok()) return SendStatus(call.res, rows.status());
  SendJson(call.res, 200, json{{"party_id", call.params[0]}, {"holdings", std::move(*rows)}});
}

}  // namespace

void AddRegulatorRoutes(Router& router) {
  router.Add("GET", "/api/v1/trace/down", Access::kRegulator, TraceDown);
  router.Add("GET", "/api/v1/trace/up", Access::kRegulator, TraceUp);
  router.Add("GET", "/api/v1/parties", Access::kRegulator, ListParties);
  router.Add("GET", "/api/v1/parties/{}/ledger", Access::kRegulator, PartyLedger);
  router.Add("GET", "/api/v1/parties/{}/stock", Access::kRegulator, PartyStock);
}

}  // namespace foodtrace::portal
