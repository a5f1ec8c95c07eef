// `foodtrace alerts list|ack|resolve|sweep|watch`, and the alert-engine wiring `serve` uses
// (AddAlertServeFlags, ServeClock, CreateAlertEngine).
#include <cstdio>

#include "app/app.h"

namespace foodtrace::app {
namespace {

struct AlertsFlags {
  ClientFlags client;
  std::string kind, party, market, state, recall, id, after;
  unsigned limit = 1000;
};

int List(const AlertsFlags& f) {
  v1::Query q;
  q.set_kind(v1::Query::ALERTS);
  q.set_alert_kind(f.kind);
  q.set_party_id(f.party);
  q.set_market_id(f.market);
  q.set_state(f.state);
  q.set_id(f.recall);
  q.set_cursor(f.after);
  q.set_limit(f.limit);
  auto j = AskJson(f.client, q);
  if (!j.ok()) return Fail(j.status());
  if (f.client.json) {
    std::printf("%s\n", j->dump().c_str());
    return 0;
  }
  for (const auto& a : *j) {
    std::printf("%-16s %-20s %-8s %-12s %-10s %s\n", Str(a, "alert_id").c_str(), Str(a, "kind").c_str(),
                Str(a, "severity").c_str(), Str(a, "state").c_str(), Str(a, "party_id").c_str(),
                Str(a, "message").c_str());
  }
  std::printf("%zu alerts\n", j->size());
  return 0;
}

int ChangeState(const AlertsFlags& f, v1::Query::Kind kind) {
  v1::Query q;
  q.set_kind(kind);
  q.set_alert_id(f.id);
  auto j = AskJson(f.client, q);
  if (!j.ok()) return Fail(j.status());
  if (f.client.json) {
    std::printf("%s\n", j->dump().c_str());
  } else {
    std::printf("%s %s by %s\n", Str(*j, "alert_id").c_str(), Str(*j, "state").c_str(),
                Str(*j, "state_changed_by").c_str());
  }
  return 0;
}

int Sweep(const AlertsFlags& f) {
  v1::Query q;
  q.set_kind(v1::Query::SWEEP);
  auto j = AskJson(f.client, q);
  if (!j.ok()) return Fail(j.status());
  if (f.client.json) {
    std::printf("%s\n", j->dump().c_str());
    return 0;
  }
  for (const auto& [kind, n] : (*j)["raised"].items()) std::printf("%-20s %s\n", kind.c_str(), n.dump().c_str());
  if ((*j).value("truncated", false)) std::printf("(a limit was reached: run the sweep again)\n");
  return 0;
}

struct WatchFlags {
  std::string endpoint = alerts::kDefaultAlertsEndpoint;
  std::vector<std::string> kinds;
  std::string market;
  long long count = 0;
  bool json = false;
};

int Watch(const WatchFlags& f) {
  std::vector<std::string> topics;
  for (const auto& k : f.kinds) topics.push_back("alert." + k + "." + f.market);
  if (topics.empty()) topics.push_back("alert.");
  auto sub = alerts::AlertSubscriber::Connect(f.endpoint, topics);
  if (!sub.ok()) return Fail(sub.status());
  std::fprintf(stderr, "watching %s (Ctrl-C to stop)\n", f.endpoint.c_str());
  for (long long seen = 0; f.count == 0 || seen < f.count;) {
    auto next = (*sub)->Next(1000);
    if (!next.ok()) return Fail(next.status());
    if (!*next || (!f.market.empty() && (*next)->market_id() != f.market)) continue;
    const v1::Alert& a = **next;
    if (f.json) {
      std::printf("%s\n", AlertToJson(a).dump().c_str());
    } else {
      std::printf("#%llu %s %s %s: %s\n", static_cast<unsigned long long>(a.sequence()), a.alert_id().c_str(),
                  v1::Alert::Kind_Name(a.kind()).c_str(), a.party_id().c_str(), a.message().c_str());
    }
    std::fflush(stdout);
    ++seen;
  }
  return 0;
}

CLI::App* AlertsSub(CLI::App* parent, int* exit_code, const std::string& name, const std::string& help,
                    std::function<int(const AlertsFlags&)> run, std::shared_ptr<AlertsFlags>* out) {
  auto f = std::make_shared<AlertsFlags>();
  CLI::App* cmd = parent->add_subcommand(name, help);
  AddClientFlags(cmd, &f->client);
  cmd->callback([f, exit_code, run] { *exit_code = run(*f); });
  *out = f;
  return cmd;
}

}  // namespace

nlohmann::json AlertToJson(const v1::Alert& a) {
  nlohmann::json facts = nlohmann::json::object();
  for (const auto& [k, v] : a.facts()) facts[k] = v;
  return {{"alert_id", a.alert_id()}, {"sequence", a.sequence()}, {"kind", v1::Alert::Kind_Name(a.kind())},
          {"severity", v1::Alert::Severity_Name(a.severity())}, {"state", v1::Alert::State_Name(a.state())},
          {"party_id", a.party_id()}, {"market_id", a.market_id()}, {"gtin", a.gtin()},
          {"product_code", a.product_code()}, {"lot", a.lot()}, {"recall_id", a.recall_id()},
          {"message", a.message()}, {"facts", facts}};
}

Result<nlohmann::json> AskJson(const ClientFlags& flags, const v1::Query& query) {
  auto client = Connect(flags);
  if (!client.ok()) return client.status();
  auto answer = (*client)->Query(query);
  if (!answer.ok()) return answer.status();
  auto parsed = nlohmann::json::parse(*answer, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) return Status::Internal("the server answered with malformed JSON");
  return parsed;
}

void AddAlertsCommand(CLI::App* app, int* exit_code) {
  CLI::App* alerts = app->add_subcommand("alerts", "list, acknowledge, resolve and watch alerts; run the clock rules");
  alerts->require_subcommand(1);
  std::shared_ptr<AlertsFlags> f;
  CLI::App* cmd = AlertsSub(alerts, exit_code, "list", "stored alerts, oldest first", List, &f);
  cmd->add_option("--kind", f->kind, "alert kind, e.g. RECALLED_IN_STOCK");
  cmd->add_option("--party", f->party, "alerts about this party");
  cmd->add_option("--market", f->market, "alerts in this market");
  cmd->add_option("--state", f->state, "OPEN, ACKNOWLEDGED or RESOLVED");
  cmd->add_option("--recall", f->recall, "alerts of this recall");
  cmd->add_option("--after", f->after, "only alerts with a larger sequence (paging)");
  cmd->add_option("--limit", f->limit, "most alerts to list")->capture_default_str()->check(CLI::Range(1u, 10000u));
  cmd = AlertsSub(alerts, exit_code, "ack", "acknowledge an alert",
                  [](const AlertsFlags& x) { return ChangeState(x, v1::Query::ALERT_ACK); }, &f);
  cmd->add_option("--id", f->id, "alert id")->required();
  cmd = AlertsSub(alerts, exit_code, "resolve", "resolve an alert (final)",
                  [](const AlertsFlags& x) { return ChangeState(x, v1::Query::ALERT_RESOLVE); }, &f);
  cmd->add_option("--id", f->id, "alert id")->required();
  AlertsSub(alerts, exit_code, "sweep", "run the clock rules now (regulator or operator key)", Sweep, &f);

  auto w = std::make_shared<WatchFlags>();
  cmd = alerts->add_subcommand("watch", "subscribe to the live alert feed and print each alert");
  cmd->add_option("--endpoint", w->endpoint, "the server's alerts endpoint")->capture_default_str();
  cmd->add_option("--kind", w->kinds, "only these kinds (repeatable)");
  cmd->add_option("--market", w->market, "only this market");
  cmd->add_option("--count", w->count, "exit after this many alerts (0 = never)");
  cmd->add_flag("--json", w->json, "one JSON object per line");
  cmd->callback([w, exit_code] { *exit_code = Watch(*w); });
}

void AddAlertServeFlags(CLI::App* serve, AlertServeFlags* flags) {
  serve->add_option("--alerts", flags->endpoint,
                    "ZeroMQ PUB endpoint of the alert feed; tcp://127.0.0.1:* picks a port")
      ->capture_default_str();
  serve->add_option("--clock-offset-days", flags->clock_offset_days,
                    "TEST CLOCK: shift the server's 'now' by N days, for trying expiry and recall "
                    "deadline rules by hand. Never use it in production.")
      ->capture_default_str();
  serve->add_option("--test-clock", flags->test_clock,
                    "TEST CLOCK: start the server's 'now' at this instant (RFC 3339, e.g. "
                    "2026-12-04T23:30:00+08:00, or YYYY-MM-DDTHH:MM in the market's zone); it then runs "
                    "at the real clock's pace. For tests and trying day boundaries; never in production.");
  serve->add_option("--sweep-interval-s", flags->sweep_interval_s,
                    "run the clock rules (expiry, unconfirmed receipts, overdue recalls) this often; 0 = on demand only")
      ->capture_default_str();
  serve->add_option("--webhook-retry-initial-ms", flags->webhook_retry_initial_ms,
                    "first webhook retry delay (doubles per failure)")
      ->capture_default_str();
}

Result<std::function<UnixMillis()>> ServeClock(const AlertServeFlags& flags, const TimeZone& zone) {
  std::int64_t offset_ms = static_cast<std::int64_t>(flags.clock_offset_days) * 86'400'000;
  if (!flags.test_clock.empty()) {
    auto start = ParseLocalTime(flags.test_clock, zone);
    if (!start.ok()) return start.status();
    offset_ms += *start - NowMillis();
  }
  if (offset_ms == 0) return std::function<UnixMillis()>();  // the system clock
  return std::function<UnixMillis()>([offset_ms] { return NowMillis() + offset_ms; });
}

Result<std::unique_ptr<alerts::AlertEngine>> CreateAlertEngine(const AlertServeFlags& flags) {
  alerts::EngineOptions options;
  options.pub_endpoint = flags.endpoint;
  options.sweep_interval_ms = flags.sweep_interval_s * 1000;
  options.webhook_retry.backoff_initial_ms = flags.webhook_retry_initial_ms;
  return alerts::AlertEngine::Create(std::move(options));
}

}  // namespace foodtrace::app
