// Operations endpoints: /healthz, /metrics (Prometheus text), /api/v1/me and /api/v1/clock.
#include "portal/server.h"

namespace foodtrace::portal {
namespace {

void Healthz(Context& ctx, Call& call) {
  SendJson(call.res, 200, json{{"ok", true},
                               {"ledger_last_sequence", ctx.ledger->LastSequence()},
                               {"alerts", ctx.options->alerts != nullptr},
                               {"now", FormatInstant(ctx.ledger->Now())}});
}

std::vector<Metrics::Sample> LedgerSamples(const Context& ctx) {
  const double last = static_cast<double>(ctx.ledger->LastSequence());
  std::vector<Metrics::Sample> out = {
      {"foodtrace_ledger_last_sequence", "foodtrace_ledger_last_sequence",
       "Sequence of the last committed ledger record (the ledger's size in records).", "gauge", last},
      {"foodtrace_ledger_entries_total", "foodtrace_ledger_entries_total",
       "Records committed to the ledger; rate() of it is the ingest rate.", "counter", last}};
  AddAlertSamples(ctx, &out);
  if (ctx.options->alerts == nullptr && ctx.options->outbox_backlog) {
    out.push_back({"foodtrace_webhook_outbox_backlog", "foodtrace_webhook_outbox_backlog",
                   "Webhook deliveries waiting in the outbox.", "gauge",
                   static_cast<double>(ctx.options->outbox_backlog())});
  }
  return out;
}

void MetricsText(Context& ctx, Call& call) {
  call.res.status = 200;
  call.res.set_content(ctx.metrics->Render(LedgerSamples(ctx)), "text/plain; version=0.0.4; charset=utf-8");
}

void Me(Context& ctx, Call& call) {
  const TokenInfo& t = call.principal.token;
  json out{{"token_id", t.token_id}, {"role", RoleName(t.role)}, {"party_id", t.party_id},
           {"kind", TokenKindName(t.kind)}, {"expires_at_ms", t.expires_at_ms}};
  if (auto party = ctx.ledger->GetParty(t.party_id); party.ok()) {
    out["party"] = PublicPartyJson(*party, ctx.Today());
  }
  SendJson(call.res, 200, out);
}

// The market's clock: every date default of the pages comes from here, never from the
// browser's clock (the shape of the ZeroMQ CLOCK query).
void Clock(Context& ctx, Call& call) {
  call.res.set_header("Cache-Control", "no-store");
  SendJson(call.res, 200, json{{"today", ctx.Today().ToString()},
                               {"time_zone", ctx.ledger->time_zone().name()},
                               {"now_ms", ctx.ledger->Now()}});
}

}  // namespace

void AddOpsRoutes(Router& router) {
  router.Add("GET", "/healthz", Access::kPublic, Healthz);
  router.Add("GET", "/metrics", Access::kPublic, MetricsText);
  router.Add("GET", "/api/v1/me", Access::kAnyToken, Me);
  router.Add("GET", "/api/v1/clock", Access::kPublic, Clock);
}

}  // namespace foodtrace::portal
