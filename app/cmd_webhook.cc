// `foodtrace webhook add|list|remove`: regulators' webhook subscriptions and their delivery
// state (regulator or operator key).
#include <cstdio>

#include "app/app.h"
#include "foodtrace/common/crypto.h"

namespace foodtrace::app {
namespace {

struct WebhookFlags {
  ClientFlags client;
  v1::Webhook webhook;
};

int Add(WebhookFlags& f) {
  if (f.webhook.webhook_id().empty()) f.webhook.set_webhook_id("wh-" + RandomHex(6));
  auto client = Connect(f.client);
  if (!client.ok()) return Fail(client.status());
  std::vector<v1::Item> items(1);
  *items[0].mutable_webhook() = f.webhook;
  auto results = (*client)->Submit(std::move(items));
  if (!results.ok()) return Fail(results.status());
  const v1::ItemResult& r = (*results)[0];
  if (r.status() == v1::ItemResult::REJECTED) return Fail(Status::Invalid(r.code(), r.code() + ": " + r.message()));
  if (f.client.json) {
    std::printf("%s\n", nlohmann::json{{"webhook_id", f.webhook.webhook_id()},
                                       {"status", v1::ItemResult::Status_Name(r.status())}}
                            .dump()
                            .c_str());
  } else {
    std::printf("webhook %s %s\n", f.webhook.webhook_id().c_str(), v1::ItemResult::Status_Name(r.status()).c_str());
  }
  return 0;
}

int List(const WebhookFlags& f) {
  v1::Query q;
  q.set_kind(v1::Query::WEBHOOKS);
  auto j = AskJson(f.client, q);
  if (!j.ok()) return Fail(j.status());
  if (f.client.json) {
    std::printf("%s\n", j->dump().c_str());
    return 0;
  }
  for (const auto& w : *j) {
    std::printf("%-16s %s%s\n  backlog %s, delivered %s, given up %s, last error: %s\n",
                w.value("webhook_id", "").c_str(), w.value("url", "").c_str(),
                w.value("removed", false) ? " (removed)" : "", w["backlog"].dump().c_str(),
                w["delivered"].dump().c_str(), w["given_up"].dump().c_str(),
                w.value("last_error", "").empty() ? "none" : w.value("last_error", "").c_str());
  }
  return 0;
}

int Remove(const WebhookFlags& f) {
  v1::Query q;
  q.set_kind(v1::Query::WEBHOOK_REMOVE);
  q.set_id(f.webhook.webhook_id());
  auto j = AskJson(f.client, q);
  if (!j.ok()) return Fail(j.status());
  std::printf("%s\n", f.client.json ? j->dump().c_str() : ("webhook " + f.webhook.webhook_id() + " removed").c_str());
  return 0;
}

}  // namespace

void AddWebhookCommand(CLI::App* app, int* exit_code) {
  CLI::App* webhook = app->add_subcommand("webhook", "webhook subscriptions for alerts (regulator or operator key)");
  webhook->require_subcommand(1);
  auto a = std::make_shared<WebhookFlags>();
  v1::Webhook* w = &a->webhook;
  CLI::App* cmd = webhook->add_subcommand("add", "POST every matching alert to URL, signed with SECRET");
  AddClientFlags(cmd, &a->client);
  cmd->add_option_function<std::string>("--id", [w](const std::string& v) { w->set_webhook_id(v); }, "webhook id (default: generated)");
  cmd->add_option_function<std::string>("--url", [w](const std::string& v) { w->set_url(v); }, "http:// or https:// URL")->required();
  cmd->add_option_function<std::string>("--secret", [w](const std::string& v) { w->set_secret(v); }, "HMAC-SHA256 key, 16–128 bytes")->required();
  cmd->add_option_function<std::vector<std::string>>("--kind", [w](const std::vector<std::string>& v) {
    for (const auto& k : v) w->add_kinds(k);
  }, "only these alert kinds (repeatable; default all)");
  cmd->add_option_function<std::string>("--market", [w](const std::string& v) { w->set_market_id(v); }, "only alerts in this market");
  cmd->callback([a, exit_code] { *exit_code = Add(*a); });

  auto l = std::make_shared<WebhookFlags>();
  cmd = webhook->add_subcommand("list", "webhooks with their backlog, deliveries and last error");
  AddClientFlags(cmd, &l->client);
  cmd->callback([l, exit_code] { *exit_code = List(*l); });

  auto r = std::make_shared<WebhookFlags>();
  cmd = webhook->add_subcommand("remove", "stop delivering to a webhook (drops its backlog)");
  AddClientFlags(cmd, &r->client);
  cmd->add_option_function<std::string>("--id", [r](const std::string& v) { r->webhook.set_webhook_id(v); }, "webhook id")->required();
  cmd->callback([r, exit_code] { *exit_code = Remove(*r); });
}

}  // namespace foodtrace::app
