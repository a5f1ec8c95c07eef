// AlertQueries (alerts.h): ALERTS, ALERT_ACK, ALERT_RESOLVE, SWEEP, RECALL_STATUS, WEBHOOKS,
// WEBHOOK_REMOVE here; TRACE_DOWN, TRACE_UP and EXPIRING in queries_trace.cc.
#include "alerts/queries.h"

#include <set>

#include "alerts/limits.h"
#include "ledger/limits.h"

namespace foodtrace::alerts {
namespace {

using nlohmann::json;

Result<Caller> LoadCaller(const ledger::Ledger& ledger, const std::string& id) {
  auto party = ledger.GetParty(id);
  if (party.ok()) return Caller{std::move(*party)};
  if (id == ingest::kOperatorPartyId) {
    Caller c;
    c.party.set_party_id(id);
    c.party.set_kind(v1::Party::OPERATOR);
    return c;
  }
  return Status(Code::kUnauthenticated, "UNKNOWN_PARTY", "party '" + id + "' is no longer registered");
}

std::string Instant(UnixMillis ms) { return ms == 0 ? "" : FormatInstant(ms); }

// Vendors see their own alerts; markets their vendors' (by market); others need privilege.
Status CheckAlertAccess(const Caller& caller, const v1::Alert& alert) {
  if (caller.privileged() || alert.party_id() == caller.party.party_id()) return Status::Ok();
  if (caller.party.kind() == v1::Party::MARKET && alert.market_id() == caller.party.party_id()) {
    return Status::Ok();
  }
  return Status::Denied("PERMISSION_DENIED", "alert " + alert.alert_id() + " is not about party '" +
                                                 caller.party.party_id() + "'");
}

}  // namespace

Status RequirePrivileged(const Caller& caller, const std::string& what) {
  if (caller.privileged()) return Status::Ok();
  return Status::Denied("PERMISSION_DENIED", "only regulators and the operator may " + what);
}

json AlertJson(const v1::Alert& a) {
  json facts = json::object();
  for (const auto& [k, v] : a.facts()) facts[k] = v;
  return {{"alert_id", a.alert_id()},
          {"sequence", a.sequence()},
          {"kind", v1::Alert::Kind_Name(a.kind())},
          {"severity", v1::Alert::Severity_Name(a.severity())},
          {"state", v1::Alert::State_Name(a.state())},
          {"party_id", a.party_id()},
          {"market_id", a.market_id()},
          {"gtin", a.gtin()},
          {"product_code", a.product_code()},
          {"lot", a.lot()},
          {"recall_id", a.recall_id()},
          {"message", a.message()},
          {"facts", std::move(facts)},
          {"created_at", Instant(a.created_at_ms())},
          {"deadline", Instant(a.deadline_ms())},
          {"dedup_key", a.dedup_key()},
          {"state_changed_by", a.state_changed_by()},
          {"state_changed_at", Instant(a.state_changed_at_ms())}};
}

Result<std::string> AlertsQuery(const ledger::Ledger& ledger, AlertEngine& engine, const Caller& caller,
                                const v1::Query& q) {
  ledger::AlertFilter f;
  if (!q.alert_kind().empty() && !v1::Alert::Kind_Parse(q.alert_kind(), &f.kind)) {
    return Status::Invalid("ALERT_KIND", "unknown alert kind '" + q.alert_kind() + "'");
  }
  if (!q.state().empty() && !v1::Alert::State_Parse(q.state(), &f.state)) {
    return Status::Invalid("ALERT_STATE", "state must be OPEN, ACKNOWLEDGED or RESOLVED");
  }
  f.party_id = q.party_id();
  f.market_id = q.market_id();
  f.recall_id = q.id();
  if (!caller.privileged()) {
    if (caller.party.kind() == v1::Party::MARKET) {
      f.market_id = caller.party.party_id();
    } else if (!f.party_id.empty() && f.party_id != caller.party.party_id()) {
      return Status::Denied("PERMISSION_DENIED", "a party may list only its own alerts");
    } else {
      f.party_id = caller.party.party_id();
    }
  }
  if (!q.cursor().empty()) f.after_sequence = std::strtoull(q.cursor().c_str(), nullptr, 10);
  f.limit = q.limit() > 0 ? std::min<std::size_t>(q.limit(), kAlertPageRowsMax) : kAlertPageRowsMax;
  if (q.wait_for_sequence() > 0) engine.WaitProcessed(q.wait_for_sequence(), kQueryWaitMsMax);
  (void)ledger;
  auto page = engine.store().List(f);
  if (!page.ok()) return page.status();
  json out = json::array();
  for (const v1::Alert& a : page->alerts) out.push_back(AlertJson(a));
  return out.dump();
}

Result<std::string> AlertStateQuery(AlertEngine& engine, const ledger::Ledger& ledger, const Caller& caller,
                                    const v1::Query& q) {
  const std::string id = !q.alert_id().empty() ? q.alert_id() : q.id();
  if (id.empty()) return Status::Invalid("QUERY_ALERT_ID", "name the alert with alert_id");
  auto alert = engine.store().Get(id);
  if (!alert.ok()) return alert.status();
  FT_RETURN_IF_ERROR(CheckAlertAccess(caller, *alert));
  const auto state = q.kind() == v1::Query::ALERT_ACK ? v1::Alert::ACKNOWLEDGED : v1::Alert::RESOLVED;
  auto changed = engine.store().SetState(id, state, caller.party.party_id(), ledger.Now());
  if (!changed.ok()) return changed.status();
  return AlertJson(*changed).dump();
}

Result<std::string> SweepQuery(AlertEngine& engine, const Caller& caller) {
  FT_RETURN_IF_ERROR(RequirePrivileged(caller, "run the clock rules"));
  auto report = engine.Sweep(kQueryWaitMsMax);
  if (!report.ok()) return report.status();
  json raised = json::object();
  for (const auto& [kind, n] : report->raised) raised[kind] = n;
  return json{{"raised", std::move(raised)},
              {"truncated", report->truncated},
              {"elapsed_us", report->elapsed_us}}
      .dump();
}

Result<std::string> RecallStatusQuery(const ledger::Ledger& ledger, AlertEngine& engine, const Caller& caller,
                                      const v1::Query& q) {
  FT_RETURN_IF_ERROR(RequirePrivileged(caller, "read recall status"));
  if (q.id().empty()) return Status::Invalid("QUERY_RECALL_ID", "name the recall with id");
  if (q.wait_for_sequence() > 0 && !engine.WaitProcessed(q.wait_for_sequence(), kQueryWaitMsMax)) {
    return Status(Code::kDeadlineExceeded, "ENGINE_BEHIND",
                  "the alert engine has not reached sequence " + std::to_string(q.wait_for_sequence()) +
                      " yet: ask again");
  }
  auto recall = ledger.GetRecall(q.id());
  if (!recall.ok()) return recall.status();
  ledger::AlertFilter f;
  f.recall_id = q.id();
  f.kind = v1::Alert::RECALLED_IN_STOCK;
  f.limit = ledger::kQueryRowsMax;
  std::set<std::string> holders;
  std::size_t alerts = 0;
  std::int64_t deadline_ms = 0;
  while (true) {
    auto page = engine.store().List(f);
    if (!page.ok()) return page.status();
    for (const v1::Alert& a : page->alerts) {
      holders.insert(a.party_id());
      deadline_ms = a.deadline_ms();
      ++alerts;
    }
    if (!page->more) break;
    f.after_sequence = page->next_after_sequence;
  }
  return json{{"recall_id", recall->recall_id()},
              {"level", v1::Recall::Level_Name(recall->level())},
              {"holders_alerted", holders.size()},
              {"alerts", alerts},
              {"covered_lots", std::vector<std::string>(recall->covered_lots().begin(), recall->covered_lots().end())},
              {"deadline", Instant(deadline_ms)}}
      .dump();
}

Result<std::string> WebhooksQuery(AlertEngine& engine, const Caller& caller, const v1::Query& q) {
  FT_RETURN_IF_ERROR(RequirePrivileged(caller, "manage webhooks"));
  const bool is_operator = caller.party.kind() == v1::Party::OPERATOR;
  if (q.kind() == v1::Query::WEBHOOK_REMOVE) {
    const std::string id = q.id();
    auto all = engine.store().Webhooks();
    if (!all.ok()) return all.status();
    for (const auto& info : *all) {
      if (info.webhook.webhook_id() != id) continue;
      if (!is_operator && info.webhook.owner_id() != caller.party.party_id()) {
        return Status::Denied("PERMISSION_DENIED", "webhook " + id + " belongs to " + info.webhook.owner_id());
      }
      FT_RETURN_IF_ERROR(engine.store().RemoveWebhook(id, caller.party.party_id(), engine.Now()));
      return json{{"webhook_id", id}, {"removed", true}}.dump();
    }
    return Status::NotFound("no webhook '" + id + "'");
  }
  auto all = engine.store().Webhooks();
  if (!all.ok()) return all.status();
  json out = json::array();
  for (const auto& info : *all) {
    const v1::Webhook& w = info.webhook;
    if (!is_operator && w.owner_id() != caller.party.party_id()) continue;
    const v1::WebhookDelivery& d = info.delivery;
    out.push_back({{"webhook_id", w.webhook_id()}, {"url", w.url()},
                   {"kinds", std::vector<std::string>(w.kinds().begin(), w.kinds().end())},
                   {"market_id", w.market_id()}, {"owner_id", w.owner_id()},
                   {"removed", d.removed()}, {"backlog", info.backlog}, {"delivered", d.delivered()},
                   {"given_up", d.given_up()}, {"consecutive_failures", d.consecutive_failures()},
                   {"last_error", d.last_error()}, {"last_attempt_at", Instant(d.last_attempt_at_ms())},
                   {"last_delivered_at", Instant(d.last_delivered_at_ms())},
                   {"next_attempt_at", Instant(d.next_attempt_at_ms())}});
  }
  return out.dump();
}

ingest::QueryHandler AlertQueries(AlertEngine* engine, const ledger::Ledger* ledger) {
  FT_CHECK(engine != nullptr && ledger != nullptr);
  return [engine, ledger](const std::string& caller_id, const v1::Query& q) -> Result<std::string> {
    using Q = v1::Query;
    switch (q.kind()) {
      case Q::TRACE_DOWN: case Q::TRACE_UP: case Q::EXPIRING: case Q::ALERTS: case Q::ALERT_ACK:
      case Q::ALERT_RESOLVE: case Q::SWEEP: case Q::RECALL_STATUS: case Q::WEBHOOKS:
      case Q::WEBHOOK_REMOVE: case Q::RECALL_IMPACT:
        break;
      default:
        return ingest::UnsupportedQuery(q.kind());
    }
    if (q.format() == Q::PROTOBUF && q.kind() != Q::TRACE_DOWN && q.kind() != Q::RECALL_IMPACT &&
        q.kind() != Q::EXPIRING) {
      return ingest::UnsupportedFormat(q.kind());
    }
    auto caller = LoadCaller(*ledger, caller_id);
    if (!caller.ok()) return caller.status();
    switch (q.kind()) {
      case Q::TRACE_DOWN: return TraceDownQuery(*ledger, *caller, q);
      case Q::RECALL_IMPACT: return RecallImpactQuery(*ledger, *caller, q);
      case Q::TRACE_UP: return TraceUpQuery(*ledger, *caller, q);
      case Q::EXPIRING: return ExpiringQuery(*ledger, *engine, *caller, q);
      case Q::ALERTS: return AlertsQuery(*ledger, *engine, *caller, q);
      case Q::SWEEP: return SweepQuery(*engine, *caller);
      case Q::RECALL_STATUS: return RecallStatusQuery(*ledger, *engine, *caller, q);
      case Q::WEBHOOKS: case Q::WEBHOOK_REMOVE: return WebhooksQuery(*engine, *caller, q);
      default: return AlertStateQuery(*engine, *ledger, *caller, q);
    }
  };
}

}  // namespace foodtrace::alerts
