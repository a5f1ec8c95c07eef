// Regulator alert endpoints: list with filters and a cursor, acknowledge, resolve (through the
// CLI's ALERTS / ALERT_ACK / ALERT_RESOLVE queries, so shapes and permissions match the CLI),
// and the live stream as Server-Sent Events.
//
// SSE wire format (text/event-stream), one event per alert, in publication order:
//   id: <alert sequence>\nevent: alert\ndata: <alert JSON on one line>\n\n
// plus ": keep-alive\n\n" every kAlertStreamKeepAliveMs. A reconnecting client's Last-Event-ID
// (or ?last_event_id=) resumes after that sequence. The stream polls the alert store every
// kAlertStreamPollMs ("alerts with sequence > N"), so it needs no hook into the engine and a
// slow client never holds the engine up.
#include <chrono>
#include <map>
#include <optional>
#include <thread>

#include "foodtrace/alerts/alerts.h"
#include "portal/api_util.h"
#include "portal/limits.h"
#include "portal/server.h"

namespace foodtrace::portal {
namespace {

// An ALERTS query for the request's filters, with sequences after `after`.
Result<v1::Query> AlertsQuery(const httplib::Request& req, std::uint64_t after, std::size_t limit) {
  v1::Query q;
  q.set_kind(v1::Query::ALERTS);
  q.set_alert_kind(Param(req, "kind").value_or(""));
  q.set_state(Param(req, "state").value_or(""));
  q.set_party_id(Param(req, "party").value_or(""));
  q.set_market_id(Param(req, "market").value_or(""));
  q.set_id(Param(req, "recall").value_or(""));
  v1::Alert::Kind kind;
  v1::Alert::State state;
  if (!q.alert_kind().empty() && !v1::Alert::Kind_Parse(q.alert_kind(), &kind)) {
    return Status::Invalid("BAD_PARAMETER", "'kind' is not an alert kind (e.g. RECALLED_IN_STOCK)");
  }
  if (!q.state().empty() && !v1::Alert::State_Parse(q.state(), &state)) {
    return Status::Invalid("BAD_PARAMETER", "'state' must be OPEN, ACKNOWLEDGED or RESOLVED");
  }
  if (after > 0) q.set_cursor(std::to_string(after));
  q.set_limit(static_cast<std::uint32_t>(limit));
  return q;
}

// Names for alert cards: each alert gains party_name, stall and market_name (a regulator reads
// 张记副食 · 东门农贸市场 A-12, not V1 · M1). `names` caches the parties read in one answer.
void AddNames(const Context& ctx, json* alert, std::map<std::string, std::optional<v1::Party>>* names) {
  auto party = [&](const std::string& id) -> const v1::Party* {
    if (id.empty()) return nullptr;
    auto it = names->find(id);
    if (it == names->end()) {
      auto p = ctx.ledger->GetParty(id);
      it = names->emplace(id, p.ok() ? std::optional<v1::Party>(*p) : std::nullopt).first;
    }
    return it->second ? &*it->second : nullptr;
  };
  if (const v1::Party* p = party(alert->value("party_id", ""))) {
    (*alert)["party_name"] = p->name();
    (*alert)["stall"] = p->stall();
  }
  if (const v1::Party* m = party(alert->value("market_id", ""))) (*alert)["market_name"] = m->name();
}

// Open alerts counted for the regulator's overview: by severity, by kind, by market and by
// recall (with the recall's progress), from one read of the open alerts.
void Summary(Context& ctx, Call& call) {
  if (ctx.options->alerts == nullptr) {
    return SendError(call.res, 503, "UNAVAILABLE", "the alert engine is not running in this server");
  }
  std::map<std::string, std::int64_t> by_severity, by_kind, by_market, by_recall;
  ledger::AlertFilter filter;
  filter.state = v1::Alert::OPEN;
  filter.limit = 10'000;
  std::size_t total = 0;
  for (std::size_t read = 0; read < kExportRowsMax;) {
    auto page = ctx.options->alerts->store().List(filter);
    if (!page.ok()) return SendStatus(call.res, page.status());
    for (const v1::Alert& a : page->alerts) {
      ++total;
      ++by_severity[v1::Alert::Severity_Name(a.severity())];
      ++by_kind[v1::Alert::Kind_Name(a.kind())];
      ++by_market[a.market_id()];
      if (!a.recall_id().empty()) ++by_recall[a.recall_id()];
    }
    read += page->alerts.size();
    if (!page->more) break;
    filter.after_sequence = page->next_after_sequence;
  }
  json markets = json::array(), recalls = json::array();
  for (const auto& [id, n] : by_market) {
    markets.push_back({{"market_id", id}, {"name", id.empty() ? "" : PartyName(ctx, id)}, {"count", n}});
  }
  for (const auto& [id, n] : by_recall) {
    json row{{"recall_id", id}, {"count", n}};
    if (auto r = ctx.ledger->GetRecall(id); r.ok()) {
      row["recall"] = RecallPublicJson(ctx, *r);
      if (auto progress = RecallProgressJson(ctx, *r); progress.ok()) {
        row["totals"] = (*progress)["totals"];
        row["completion"] = (*progress)["completion"];
        row["overdue"] = (*progress)["overdue"];
      }
    }
    recalls.push_back(std::move(row));
  }
  SendJson(call.res, 200, json{{"open", total}, {"by_severity", by_severity}, {"by_kind", by_kind},
                               {"by_market", std::move(markets)}, {"by_recall", std::move(recalls)}});
}

void List(Context& ctx, Call& call) {
  auto limit = PageLimit(call.req);
  if (!limit.ok()) return SendStatus(call.res, limit.status());
  auto after = IntParam(call.req, "cursor", 0, 0, INT64_MAX);
  if (!after.ok()) return SendStatus(call.res, after.status());
  auto q = AlertsQuery(call.req, static_cast<std::uint64_t>(*after), *limit + 1);
  if (!q.ok()) return SendStatus(call.res, q.status());
  auto rows = RunQuery(ctx, call, *q);
  if (!rows.ok()) return SendStatus(call.res, rows.status());
  json out{{"alerts", json::array()}};
  std::map<std::string, std::optional<v1::Party>> names;
  for (std::size_t i = 0; i < rows->size() && i < *limit; ++i) {
    json a = (*rows)[i];
    AddNames(ctx, &a, &names);
    out["alerts"].push_back(std::move(a));
  }
  if (rows->size() > *limit) out["next_cursor"] = std::to_string((*rows)[*limit - 1].value("sequence", 0ULL));
  SendJson(call.res, 200, out);
}

void ChangeState(Context& ctx, Call& call, v1::Query::Kind kind) {
  v1::Query q;
  q.set_kind(kind);
  q.set_alert_id(call.params[0]);
  auto alert = RunQuery(ctx, call, q);
  if (!alert.ok()) {
    Status st = alert.status();
    if (st.code() == Code::kInvalidArgument) return SendError(call.res, 409, "INVALID_TRANSITION", st.message());
    return SendStatus(call.res, st);
  }
  SendJson(call.res, 200, *alert);
}

void Ack(Context& ctx, Call& call) { ChangeState(ctx, call, v1::Query::ALERT_ACK); }
void Resolve(Context& ctx, Call& call) { ChangeState(ctx, call, v1::Query::ALERT_RESOLVE); }

std::uint64_t LastEventId(const httplib::Request& req) {
  std::string text = req.get_header_value("Last-Event-ID");
  if (text.empty()) text = Param(req, "last_event_id").value_or("");
  return std::strtoull(text.c_str(), nullptr, 10);
}

void Stream(Context& ctx, Call& call) {
  auto q = AlertsQuery(call.req, 0, kAlertStreamBacklogMax);
  if (!q.ok()) return SendStatus(call.res, q.status());
  if (ctx.options->alerts == nullptr || !ctx.options->queries) {
    return SendError(call.res, 503, "UNAVAILABLE", "the alert engine is not running in this server");
  }
  if (ctx.alert_streams->fetch_add(1) >= kAlertStreamsMax) {
    ctx.alert_streams->fetch_sub(1);
    return SendError(call.res, 503, "TOO_MANY_STREAMS", "too many alert streams are open; try again later");
  }
  std::uint64_t after = LastEventId(call.req);
  // Without Last-Event-ID a new client starts at the present: only alerts from now on.
  if (after == 0 && call.req.get_header_value("Last-Event-ID").empty() && !call.req.has_param("last_event_id")) {
    after = ctx.options->alerts->store().LastAlertSequence();
  }
  call.res.set_header("Cache-Control", "no-store");
  call.res.set_header("X-Accel-Buffering", "no");
  const std::string caller = call.principal.token.party_id;
  auto query = std::make_shared<v1::Query>(*q);
  Context* c = &ctx;
  call.res.set_chunked_content_provider(
      "text/event-stream",
      [c, caller, query, after, last_write = std::chrono::steady_clock::time_point{}](
          std::size_t, httplib::DataSink& sink) mutable {
        while (!c->stopping->load() && sink.is_writable()) {
          query->set_cursor(after > 0 ? std::to_string(after) : "");
          auto rows = c->options->queries(caller, *query);
          std::string out;
          if (rows.ok()) {
            std::map<std::string, std::optional<v1::Party>> names;
            for (json a : json::parse(*rows, nullptr, false)) {
              if (!a.is_object()) continue;
              AddNames(*c, &a, &names);
              after = std::max(after, a.value("sequence", std::uint64_t{0}));
              out += "id: " + std::to_string(a.value("sequence", std::uint64_t{0})) + "\nevent: alert\ndata: " +
                     a.dump(-1, ' ', false, json::error_handler_t::replace) + "\n\n";
            }
          }
          const auto now = std::chrono::steady_clock::now();
          if (out.empty() && now - last_write >= std::chrono::milliseconds(kAlertStreamKeepAliveMs)) {
            out = ": keep-alive\n\n";
          }
          if (!out.empty()) {
            last_write = now;
            return sink.write(out.data(), out.size());
          }
          std::this_thread::sleep_for(std::chrono::milliseconds(kAlertStreamPollMs));
        }
        sink.done();
        return true;
      },
      [c](bool) { c->alert_streams->fetch_sub(1); });
}

}  // namespace

void AddAlertRoutes(Router& router) {
  router.Add("GET", "/api/v1/alerts", Access::kRegulator, List);
  router.Add("GET", "/api/v1/alerts/summary", Access::kRegulator, Summary);
  router.Add("GET", "/api/v1/alerts/stream", Access::kRegulator, Stream);
  router.routes().back().token_in_query = true;  // EventSource cannot send Authorization
  router.Add("POST", "/api/v1/alerts/{}/ack", Access::kRegulator, Ack);
  router.Add("POST", "/api/v1/alerts/{}/resolve", Access::kRegulator, Resolve);
}

void AddAlertSamples(const Context& ctx, std::vector<Metrics::Sample>* out) {
  alerts::AlertEngine* engine = ctx.options->alerts;
  if (engine == nullptr) return;
  ledger::AlertFilter filter;
  filter.state = v1::Alert::OPEN;
  filter.limit = 100'000;
  std::map<std::string, double> by_kind;
  for (int k = v1::Alert::Kind_MIN + 1; k <= v1::Alert::Kind_MAX; ++k) {
    by_kind[v1::Alert::Kind_Name(static_cast<v1::Alert::Kind>(k))] = 0;
  }
  if (auto page = engine->store().List(filter); page.ok()) {
    for (const auto& a : page->alerts) by_kind[v1::Alert::Kind_Name(a.kind())] += 1;
  }
  for (const auto& [kind, n] : by_kind) {
    out->push_back({"foodtrace_alerts_open{kind=\"" + kind + "\"}", "foodtrace_alerts_open", "Open alerts by kind.",
                    "gauge", n});
  }
  out->push_back({"foodtrace_alerts_last_sequence", "foodtrace_alerts_last_sequence",
                  "Publication sequence of the last alert.", "counter",
                  static_cast<double>(engine->store().LastAlertSequence())});
  double backlog = 0;
  if (auto hooks = engine->store().Webhooks(); hooks.ok()) {
    for (const auto& h : *hooks) backlog += static_cast<double>(h.backlog);
  }
  out->push_back({"foodtrace_webhook_outbox_backlog", "foodtrace_webhook_outbox_backlog",
                  "Webhook deliveries waiting in the outbox.", "gauge", backlog});
  out->push_back({"foodtrace_alerts_processed_sequence", "foodtrace_alerts_processed_sequence",
                  "Last ledger sequence the alert engine processed.", "gauge",
                  static_cast<double>(engine->processed_sequence())});
}

}  // namespace foodtrace::portal
