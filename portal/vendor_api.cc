// Vendor endpoints (the token's own party only): stock with expiry and recall flags, near-expiry
// goods, recall notices, and recording ledger entries through Ledger::Submit — the same
// validation and durable path as ZeroMQ ingest.
#include <map>

#include "foodtrace/alerts/alerts.h"
#include "portal/api_util.h"
#include "portal/limits.h"
#include "portal/lookup.h"
#include "portal/quantity_json.h"
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

// The recall alerts raised for `party` (any state, at most kVendorRecallAlertsMax), by recall:
// the earliest deadline and whether any is still open.
struct RecallAlerts {
  std::int64_t deadline_ms = 0;
  bool open = false;
};
std::map<std::string, RecallAlerts> AlertedRecalls(const Context& ctx, const std::string& party) {
  std::map<std::string, RecallAlerts> out;
  if (ctx.options->alerts == nullptr) return out;
  ledger::AlertFilter filter;
  filter.party_id = party;
  filter.limit = kVendorRecallAlertsMax;
  auto page = ctx.options->alerts->store().List(filter);
  if (!page.ok()) return out;
  for (const v1::Alert& a : page->alerts) {
    if (a.recall_id().empty()) continue;
    RecallAlerts& r = out[a.recall_id()];
    if (a.deadline_ms() > 0 && (r.deadline_ms == 0 || a.deadline_ms() < r.deadline_ms)) r.deadline_ms = a.deadline_ms();
    r.open = r.open || a.state() != v1::Alert::RESOLVED;
  }
  return out;
}

// Every recall that covers a lot the vendor holds, or that ever alerted the vendor (open and
// done): the recall, the vendor's own line of its progress (received, on hand, disposed, done;
// recalls_api.cc), what it still holds of the covered lots and the deadline of its alert.
// Not done first, soonest deadline first; then the done ones, newest first.
void Recalls(Context& ctx, Call& call) {
  const std::string& me = call.principal.token.party_id;
  auto holdings = ctx.ledger->Holdings(me);
  if (!holdings.ok()) return SendStatus(call.res, holdings.status());
  const std::map<std::string, RecallAlerts> alerted = AlertedRecalls(ctx, me);
  std::vector<json> rows;
  for (const v1::Recall& r : ctx.ledger->ListRecalls()) {
    json mine = json::array();
    for (const v1::Holding& h : *holdings) {
      const std::string key = ledger::ProductKey(h.gtin(), h.product_code()) + "|" + h.lot();
      if (std::find(r.covered_lots().begin(), r.covered_lots().end(), key) != r.covered_lots().end()) {
        mine.push_back(ProtoToJson(h));
      }
    }
    const auto alert = alerted.find(r.recall_id());
    if (mine.empty() && alert == alerted.end()) continue;
    auto progress = RecallProgressJson(ctx, r);
    if (!progress.ok()) return SendStatus(call.res, progress.status());
    json lines = json::array();
    bool done = true;
    for (const json& row : (*progress)["holders"]) {
      if (row.value("party_id", "") != me) continue;
      done = done && row.value("done", false);
      lines.push_back(row);
    }
    json item{{"recall", RecallPublicJson(ctx, r)}, {"holdings", std::move(mine)}, {"progress", std::move(lines)},
              {"done", done}, {"complete_by", (*progress)["complete_by"]}};
    if (alert != alerted.end()) {
      item["alerted"] = true;
      if (alert->second.deadline_ms > 0) item["deadline_ms"] = alert->second.deadline_ms;
    } else {
      item["alerted"] = false;
    }
    rows.push_back(std::move(item));
  }
  std::stable_sort(rows.begin(), rows.end(), [](const json& a, const json& b) {
    if (a["done"] != b["done"]) return !a["done"].get<bool>();
    if (!a["done"].get<bool>()) return a.value("deadline_ms", INT64_MAX) < b.value("deadline_ms", INT64_MAX);
    return a["recall"].value("issued_at_ms", std::string()) > b["recall"].value("issued_at_ms", std::string());
  });
  json out = json::array();
  for (json& row : rows) out.push_back(std::move(row));
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
                     "send 1 to " + std::to_string(kEntriesPerRequestMax) + " entries", "entries",
                     json{{"max", kEntriesPerRequestMax}, {"got", entries.size()}});
  }
  std::vector<v1::Item> items;
  // Entries whose typed quantity cannot be stored exactly are answered here, in their place;
  // the others still go to the ledger.
  std::vector<std::optional<v1::ItemResult>> refused(entries.size());
  for (std::size_t i = 0; i < entries.size(); ++i) {
    if (Status st = NormalizeEntryQuantities(&entries[i]); !st.ok()) {
      v1::ItemResult& r = refused[i].emplace();
      r.set_status(v1::ItemResult::REJECTED);
      r.set_code(st.reason());
      r.set_message(st.message());
      r.set_field(st.field().empty() ? "quantity" : st.field());
      for (const auto& [key, value] : st.details()) (*r.mutable_details())[key] = value;
      if (entries[i].is_object() && entries[i].contains("event_id") && entries[i]["event_id"].is_string()) {
        r.set_id(entries[i]["event_id"].get<std::string>());
      }
      continue;
    }
    v1::LedgerEntry* e = items.emplace_back().mutable_entry();
    if (Status st = JsonToProto(entries[i].dump(), e); !st.ok()) {
      return SendError(call.res, 400, "BAD_JSON", "entry " + std::to_string(i) + ": " + st.message(), "",
                       json{{"entry", i}});
    }
    if (e->party_id().empty()) e->set_party_id(call.principal.token.party_id);
  }
  std::vector<v1::ItemResult> submitted;
  if (!items.empty()) {
    auto results = SubmitItems(ctx, call.principal.token.party_id, std::move(items));
    if (!results.ok()) return SendStatus(call.res, results.status());
    submitted = std::move(*results);
  }
  json rows = json::array();
  bool any_ok = false;
  std::size_t next = 0;
  const v1::ItemResult* first = nullptr;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const v1::ItemResult& r = refused[i] ? *refused[i] : submitted.at(next++);
    if (first == nullptr) first = &r;
    any_ok = any_ok || r.status() != v1::ItemResult::REJECTED;
    json row = ProtoToJson(r);
    if (r.status() == v1::ItemResult::REJECTED) row["error"] = ItemErrorJson(r);
    rows.push_back(std::move(row));
  }
  json out{{"results", std::move(rows)}};
  // Every entry rejected: an error answer like any other, naming the first entry's reason.
  if (!any_ok && first != nullptr) out["error"] = ItemErrorJson(*first);
  SendJson(call.res, any_ok ? 200 : 422, out);
}

}  // namespace

void AddVendorRoutes(Router& router) {
  router.Add("GET", "/api/v1/vendor/stock", Access::kVendor, Stock);
  router.Add("GET", "/api/v1/vendor/expiring", Access::kVendor, Expiring);
  router.Add("GET", "/api/v1/vendor/recalls", Access::kVendor, Recalls);
  router.Add("POST", "/api/v1/entries", Access::kVendor, RecordEntries, BodyKind::kJson);
}

}  // namespace foodtrace::portal
