// Vendor endpoints (the token's own party only): stock with expiry and recall flags, near-expiry
// goods, recall notices, and recording ledger entries through Ledger::Submit — the same
// validation and durable path as ZeroMQ ingest.
#include "portal/api_util.h"
#include "portal/limits.h"
#include "portal/lookup.h"
#include "portal/server.h"

namespace foodtrace::portal {
namespace {

json HoldingJson(const v1::Holding& h, Date today) {
  json j = ProtoToJson(h);
  LotFacts facts;
  facts.known = true;
  facts.recalled = h.stopped();
  facts.expires_on = h.expires_on();
  const VerdictResult v = DecideVerdict(facts, today);
  j["status"] = VerdictName(v.verdict);
  j["near_expiry_from"] = v.near_expiry_from;
  return j;
}

// The holding's lot record, for the shelf life the near-expiry threshold depends on.
json HoldingWithLot(const Context& ctx, const v1::Holding& h, Date today) {
  json j = HoldingJson(h, today);
  auto lot = ctx.ledger->GetLot(ledger::ProductKey(h.gtin(), h.product_code()), h.lot());
  if (lot.ok()) {
    LotFacts facts{true, false, false, lot->ref().produced_on(), lot->ref().expires_on(),
                   lot->ref().shelf_life_days(), lot->ref().no_shelf_life()};
    const bool recall = lot->state() == v1::Lot::STOPPED && lot->stopped_reason().rfind("recall ", 0) == 0;
    facts.recalled = recall;
    facts.test_failed = lot->state() == v1::Lot::STOPPED && !recall;
    const VerdictResult v = DecideVerdict(facts, today);
    j["status"] = VerdictName(v.verdict);
    j["near_expiry_from"] = v.near_expiry_from;
    j["stopped_reason"] = lot->stopped_reason();
  }
  return j;
}

void Stock(Context& ctx, Call& call) {
  auto holdings = ctx.ledger->Holdings(call.principal.token.party_id);
  if (!holdings.ok()) return SendStatus(call.res, holdings.status());
  const Date today = ctx.Today();
  json rows = json::array();
  for (const v1::Holding& h : *holdings) rows.push_back(HoldingWithLot(ctx, h, today));
  SendJson(call.res, 200, json{{"party_id", call.principal.token.party_id}, {"today", today.ToString()},
                               {"holdings", std::move(rows)}});
}

void Expiring(Context& ctx, Call& call) {
  auto days = IntParam(call.req, "days", -1, 0, 3660);
  if (!days.ok()) return SendStatus(call.res, days.status());
  auto holdings = ctx.ledger->Holdings(call.principal.token.party_id);
  if (!holdings.ok()) return SendStatus(call.res, holdings.status());
  const Date today = ctx.Today();
  json rows = json::array();
  for (const v1::Holding& h : *holdings) {
    if (h.quantity() <= 0) continue;
    json j = HoldingWithLot(ctx, h, today);
    auto expires = Date::Parse(h.expires_on());
    const bool within = *days >= 0 ? expires.ok() && *expires - today <= *days
                                   : j["status"] == "near_expiry" || j["status"] == "expired";
    if (within) rows.push_back(std::move(j));
  }
  SendJson(call.res, 200, json{{"party_id", call.principal.token.party_id}, {"today", today.ToString()},
                               {"holdings", std::move(rows)}});
}

void Recalls(Context& ctx, Call& call) {
  auto holdings = ctx.ledger->Holdings(call.principal.token.party_id);
  if (!holdings.ok()) return SendStatus(call.res, holdings.status());
  json out = json::array();
  for (const v1::Recall& r : ctx.ledger->ListRecalls()) {
    json mine = json::array();
    for (const v1::Holding& h : *holdings) {
      const std::string key = ledger::ProductKey(h.gtin(), h.product_code()) + "|" + h.lot();
      if (std::find(r.covered_lots().begin(), r.covered_lots().end(), key) != r.covered_lots().end()) {
        mine.push_back(ProtoToJson(h));
      }
    }
    if (!mine.empty()) out.push_back(json{{"recall", ProtoToJson(r)}, {"holdings", std::move(mine)}});
  }
  SendJson(call.res, 200, json{{"recalls", std::move(out)}});
}

void RecordEntries(Context& ctx, Call& call) {
  json body = json::parse(call.body, nullptr, /*allow_exceptions=*/false);
  if (!body.is_object()) return SendError(call.res, 400, "BAD_JSON", "the body must be a JSON object");
  std::vector<json> entries;
  if (body.contains("entries")) {
    if (!body["entries"].is_array()) return SendError(call.res, 400, "BAD_JSON", "'entries' must be an array");
    for (const json& e : body["entries"]) entries.push_back(e);
  } else {
    entries.push_back(body);
  }
  if (entries.empty() || entries.size() > kEntriesPerRequestMax) {
    return SendError(call.res, entries.empty() ? 400 : 413, entries.empty() ? "BAD_JSON" : "TOO_MANY_ENTRIES",
                     "send 1 to " + std::to_string(kEntriesPerRequestMax) + " entries");
  }
  std::vector<v1::Item> items;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    v1::LedgerEntry* e = items.emplace_back().mutable_entry();
    if (Status st = JsonToProto(entries[i].dump(), e); !st.ok()) {
      return SendError(call.res, 400, "BAD_JSON", "entry " + std::to_string(i) + ": " + st.message());
    }
    if (e->party_id().empty()) e->set_party_id(call.principal.token.party_id);
  }
  auto results = SubmitItems(ctx, call.principal.token.party_id, std::move(items));
  if (!results.ok()) return SendStatus(call.res, results.status());
  json rows = json::array();
  bool any_ok = false;
  for (const v1::ItemResult& r : *results) {
    any_ok = any_ok || r.status() != v1::ItemResult::REJECTED;
    rows.push_back(ProtoToJson(r));
  }
  SendJson(call.res, any_ok ? 200 : 422, json{{"results", std::move(rows)}});
}

}  // namespace

void AddVendorRoutes(Router& router) {
  router.Add("GET", "/api/v1/vendor/stock", Access::kVendor, Stock);
  router.Add("GET", "/api/v1/vendor/expiring", Access::kVendor, Expiring);
  router.Add("GET", "/api/v1/vendor/recalls", Access::kVendor, Recalls);
  router.Add("POST", "/api/v1/entries", Access::kVendor, RecordEntries, BodyKind::kJson);
}

}  // namespace foodtrace::portal
