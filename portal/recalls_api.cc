// Regulator recall endpoints: issue a recall through the ledger (recorded by the token's party,
// validated exactly as over ZeroMQ) and follow a recall's progress holder by holder.
#include <map>
#include <set>

#include "foodtrace/common/identifiers.h"
#include "foodtrace/common/crypto.h"
#include "portal/api_util.h"
#include "portal/limits.h"
#include "portal/server.h"

namespace foodtrace::portal {
namespace {

struct HolderProgress {
  std::string party_id, product, lot, unit;
  std::int64_t received = 0, on_hand = 0, unconfirmed = 0, disposed = 0;
};

// Every holder of every lot the recall covers, with what it received, holds and disposed of
// (DISPOSE entries dated from the recall's issue date on).
Result<std::vector<HolderProgress>> Holders(const Context& ctx, const v1::Recall& recall) {
  std::vector<HolderProgress> out;
  const Date issued = ctx.ledger->time_zone().DateAt(recall.issued_at_ms());
  for (const std::string& covered : recall.covered_lots()) {
    const auto bar = covered.find('|');
    if (bar == std::string::npos) continue;
    const std::string product = covered.substr(0, bar), lot = covered.substr(bar + 1);
    auto trace = ctx.ledger->TraceDown(product, lot, 0);
    if (!trace.ok() && trace.status().code() == Code::kNotFound) continue;
    if (!trace.ok()) return trace.status();
    for (const ledger::TraceHolder& h : trace->holders) {
      if (h.product != product || h.lot != lot) continue;
      HolderProgress p{h.party_id, product, lot, h.unit, h.received, h.on_hand, h.unconfirmed, 0};
      auto lines = ctx.ledger->PartyLedger(h.party_id, issued, ctx.Today().AddDays(2), kExportRowsMax);
      if (!lines.ok()) return lines.status();
      for (const ledger::LedgerLine& line : *lines) {
        if (!line.event.has_entry()) continue;
        const v1::LedgerEntry& e = line.event.entry();
        if (e.kind() == v1::LedgerEntry::DISPOSE && ledger::ProductKey(e.lot()) == product && e.lot().lot() == lot) {
          p.disposed += ConvertQuantity(e.quantity(), e.unit(), h.unit);
        }
      }
      out.push_back(std::move(p));
    }
  }
  return out;
}

json ProgressJson(const Context& ctx, const v1::Recall& recall, const std::vector<HolderProgress>& holders) {
  json rows = json::array();
  std::int64_t received = 0, disposed = 0, on_hand = 0;
  std::size_t done = 0;
  for (const HolderProgress& h : holders) {
    const bool holder_done = h.on_hand <= 0 && h.unconfirmed <= 0;
    done += holder_done ? 1 : 0;
    received += h.received;
    disposed += h.disposed;
    on_hand += std::max<std::int64_t>(0, h.on_hand);
    json row{{"party_id", h.party_id}, {"name", PartyName(ctx, h.party_id)}, {"lot", h.lot},
             {"received", h.received}, {"on_hand", h.on_hand}, {"unconfirmed", h.unconfirmed},
             {"disposed", h.disposed}, {"unit", h.unit}, {"done", holder_done}, {"market_id", ""}};
    SetProductFields(&row, h.product);
    if (auto p = ctx.ledger->GetParty(h.party_id); p.ok()) row["market_id"] = p->market_id();
    rows.push_back(std::move(row));
  }
  const double completion = holders.empty() ? 1.0 : static_cast<double>(done) / static_cast<double>(holders.size());
  auto complete_by = Date::Parse(recall.complete_by());
  const bool overdue = done < holders.size() && complete_by.ok() && ctx.Today() > *complete_by;
  json r = ProtoToJson(recall);
  return json{{"recall", std::move(r)}, {"now_ms", ctx.ledger->Now()}, {"complete_by", recall.complete_by()},
              {"overdue", overdue}, {"holders", std::move(rows)},
              {"totals", {{"holders", holders.size()}, {"holders_done", done}, {"received", received},
                          {"disposed", disposed}, {"on_hand", on_hand}}},
              {"completion", completion}};
}

void Progress(Context& ctx, Call& call) {
  auto recall = ctx.ledger->GetRecall(call.params[0]);
  if (!recall.ok()) return SendStatus(call.res, recall.status());
  auto progress = RecallProgressJson(ctx, *recall);
  if (!progress.ok()) return SendStatus(call.res, progress.status());
  SendJson(call.res, 200, *progress);
}

// Waits for the alert engine to process `sequence` and returns how many holders it alerted.
std::optional<std::int64_t> HoldersAlerted(const Context& ctx, const Call& call, const std::string& recall_id,
                                           std::uint64_t sequence) {
  v1::Query q;
  q.set_kind(v1::Query::RECALL_STATUS);
  q.set_id(recall_id);
  q.set_wait_for_sequence(sequence);
  auto status = RunQuery(ctx, call, q);
  if (!status.ok() || !(*status)["holders_alerted"].is_number()) return std::nullopt;
  return (*status)["holders_alerted"].get<std::int64_t>();
}

// What a recall would cover and whom it would alert, before it is issued: the lots it names
// (or the product's lots produced in its date range) and every lot made from them, and each
// party holding any of them now (RECALLED_IN_STOCK goes to each). Reads only; the ledger
// decides again when the recall is recorded. Body: the Recall JSON the issue endpoint takes.
void Preview(Context& ctx, Call& call) {
  v1::Recall recall;
  if (Status st = JsonToProto(call.body, &recall); !st.ok()) return SendStatus(call.res, st);
  std::string product;
  if (!recall.product_code().empty()) {
    product = ledger::ProductKey("", recall.product_code());
  } else {
    auto gtin = NormalizeGtin(recall.gtin());
    if (!gtin.ok()) {
      Status st = gtin.status();
      return SendStatus(call.res, recall.gtin().empty()
                                      ? Status::Invalid("PRODUCT_MISSING", "name the product's GTIN").WithField("gtin")
                                      : st.WithField("gtin"));
    }
    product = *gtin;
  }
  std::vector<std::string> named(recall.lots().begin(), recall.lots().end());
  if (named.empty()) {
    if (recall.produced_from().empty() || recall.produced_to().empty()) {
      return SendStatus(call.res, Status::Invalid("RECALL_SCOPE_MISSING", "name the lots, or both range dates")
                                      .WithField("lots"));
    }
    auto lots = ctx.ledger->ProductLots(product, kExportRowsMax);
    if (!lots.ok()) return SendStatus(call.res, lots.status());
    for (const v1::Lot& l : *lots) {
      const std::string& on = l.ref().produced_on();
      if (!on.empty() && on >= recall.produced_from() && on <= recall.produced_to()) named.push_back(l.ref().lot());
    }
  }
  std::map<std::string, json> lots;  // product|lot → lot row
  std::map<std::string, json> holders;  // party|product|lot → holder row
  json unknown = json::array();
  for (const std::string& lot : named) {
    auto trace = ctx.ledger->TraceDown(product, lot, kTraceDepthDefault);
    if (!trace.ok() && trace.status().code() == Code::kNotFound) {
      unknown.push_back(lot);
      continue;
    }
    if (!trace.ok()) return SendStatus(call.res, trace.status());
    for (const v1::Lot& l : trace->lots) {
      json row{{"lot", l.ref().lot()}, {"product_name", l.ref().product_name()}, {"expires_on", l.ref().expires_on()},
               {"made_from_recalled", ledger::ProductKey(l.ref()) != product ||
                                          std::find(named.begin(), named.end(), l.ref().lot()) == named.end()}};
      SetProductFields(&row, ledger::ProductKey(l.ref()));
      lots[ledger::ProductKey(l.ref()) + "|" + l.ref().lot()] = std::move(row);
    }
    for (const ledger::TraceHolder& h : trace->holders) {
      if (h.on_hand <= 0 && h.unconfirmed <= 0) continue;
      json row{{"party_id", h.party_id}, {"name", PartyName(ctx, h.party_id)}, {"lot", h.lot},
               {"on_hand", h.on_hand}, {"unconfirmed", h.unconfirmed}, {"unit", h.unit}, {"market_id", ""}, {"stall", ""}};
      SetProductFields(&row, h.product);
      if (auto p = ctx.ledger->GetParty(h.party_id); p.ok()) {
        row["market_id"] = p->market_id();
        row["stall"] = p->stall();
      }
      holders[h.party_id + "|" + h.product + "|" + h.lot] = std::move(row);
    }
  }
  json lot_rows = json::array(), holder_rows = json::array();
  std::set<std::string> parties;
  for (auto& [key, row] : lots) lot_rows.push_back(std::move(row));
  for (auto& [key, row] : holders) {
    parties.insert(row.value("party_id", ""));
    holder_rows.push_back(std::move(row));
  }
  SendJson(call.res, 200, json{{"lots", std::move(lot_rows)}, {"unknown_lots", std::move(unknown)},
                               {"holders", std::move(holder_rows)}, {"holders_to_alert", parties.size()}});
}

void Issue(Context& ctx, Call& call) {
  v1::Item item;
  v1::Recall* recall = item.mutable_recall();
  if (Status st = JsonToProto(call.body, recall); !st.ok()) return SendStatus(call.res, st);
  if (recall->recall_id().empty()) {
    recall->set_recall_id("R-" + ctx.Today().ToString() + "-" + RandomHex(4));
  }
  recall->set_issuer_id(call.principal.token.party_id);
  const std::string recall_id = recall->recall_id();
  auto results = SubmitItems(ctx, call.principal.token.party_id, {item});
  if (!results.ok()) return SendStatus(call.res, results.status());
  const v1::ItemResult& r = results->at(0);
  if (r.status() == v1::ItemResult::REJECTED) {
    return SendJson(call.res, r.code() == "ROLE_NOT_ALLOWED" ? 403 : 422, json{{"error", ItemErrorJson(r)}});
  }
  auto stored = ctx.ledger->GetRecall(recall_id);
  if (!stored.ok()) return SendStatus(call.res, stored.status());
  auto holders = Holders(ctx, *stored);
  if (!holders.ok()) return SendStatus(call.res, holders.status());
  json holding = json::array();
  for (const HolderProgress& h : *holders) {
    if (h.on_hand <= 0 && h.unconfirmed <= 0) continue;
    json row{{"party_id", h.party_id}, {"lot", h.lot}, {"on_hand", h.on_hand}, {"unconfirmed", h.unconfirmed},
             {"unit", h.unit}};
    SetProductFields(&row, h.product);
    holding.push_back(std::move(row));
  }
  json out{{"recall_id", recall_id}, {"result", ProtoToJson(r)}, {"recall", ProtoToJson(*stored)},
           {"holders", std::move(holding)}};
  if (auto alerted = HoldersAlerted(ctx, call, recall_id, r.sequence())) out["holders_alerted"] = *alerted;
  SendJson(call.res, r.status() == v1::ItemResult::ACCEPTED ? 201 : 200, out);
}

}  // namespace

Result<json> RecallProgressJson(const Context& ctx, const v1::Recall& recall) {
  auto holders = Holders(ctx, recall);
  if (!holders.ok()) return holders.status();
  return ProgressJson(ctx, recall, *holders);
}

void AddRecallRoutes(Router& router) {
  router.Add("POST", "/api/v1/recalls", Access::kRegulator, Issue, BodyKind::kJson);
  router.Add("POST", "/api/v1/recalls/preview", Access::kRegulator, Preview, BodyKind::kJson);
  router.Add("GET", "/api/v1/recalls/{}/progress", Access::kRegulator, Progress);
}

}  // namespace foodtrace::portal
