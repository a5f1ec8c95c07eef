// `foodtrace stock`, `foodtrace ledger`, `foodtrace whoami`: the caller's own view.
#include <cstdio>

#include <nlohmann/json.hpp>

#include "app/app.h"
#include "foodtrace/v1/wire.pb.h"

namespace foodtrace::app {
namespace {

struct QueryFlags {
  ClientFlags client;
  std::string party, from, to;
  unsigned limit = 1000;
};

Result<nlohmann::json> Ask(const QueryFlags& f, v1::Query query) {
  auto client = Connect(f.client);
  if (!client.ok()) return client.status();
  query.set_party_id(f.party);
  auto answer = (*client)->Query(query);
  if (!answer.ok()) return answer.status();
  auto parsed = nlohmann::json::parse(*answer, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) return Status::Internal("the server answered with malformed JSON");
  return parsed;
}

int Stock(const QueryFlags& f) {
  v1::Query q;
  q.set_kind(v1::Query::STOCK);
  auto j = Ask(f, q);
  if (!j.ok()) return Fail(j.status());
  if (f.client.json) {
    std::printf("%s\n", j->dump().c_str());
    return 0;
  }
  std::printf("%-14s  %-16s  %12s %-4s  %-10s  %s\n", "GTIN/code", "lot", "on hand", "unit", "expires", "product");
  for (const auto& h : *j) {
    const std::string id = Str(h, "gtin").empty() ? Str(h, "product_code") : Str(h, "gtin");
    std::printf("%-14s  %-16s  %12s %-4s  %-10s  %s%s\n", id.c_str(), Str(h, "lot").c_str(),
                Str(h, "quantity").c_str(), Str(h, "unit").c_str(), Str(h, "expires_on").c_str(),
                Str(h, "product_name").c_str(),
                h.value("unconfirmed", false) ? "  (shipped to you, receipt not recorded)" : "");
  }
  std::printf("%zu lots\n", j->size());
  return 0;
}

int Ledger(const QueryFlags& f) {
  v1::Query q;
  q.set_kind(v1::Query::LEDGER);
  q.set_from(f.from);
  q.set_to(f.to);
  q.set_limit(f.limit);
  auto j = Ask(f, q);
  if (!j.ok()) return Fail(j.status());
  if (f.client.json) {
    std::printf("%s\n", j->dump().c_str());
    return 0;
  }
  const nlohmann::json& lines = j->is_object() && j->contains("entries") ? (*j)["entries"] : *j;
  for (const auto& e : lines) {
    std::printf("%6s  %-10s  %-9s  %-14s  %-12s  %8s %-4s  %s\n", Str(e, "sequence").c_str(),
                Str(e, "occurred_on").c_str(), Str(e, "kind").c_str(), Str(e, "gtin").c_str(),
                Str(e, "lot").c_str(), Str(e, "quantity").c_str(), Str(e, "unit").c_str(),
                Str(e, "event_id").c_str());
  }
  std::printf("%zu entries\n", lines.size());
  return 0;
}

}  // namespace

void AddQueryCommands(CLI::App* app, int* exit_code) {
  auto stock = std::make_shared<QueryFlags>();
  CLI::App* cmd = app->add_subcommand("stock", "the party's holdings: lots on hand");
  AddClientFlags(cmd, &stock->client);
  cmd->add_option("--party", stock->party, "another party (operators, regulators, its market)");
  cmd->callback([stock, exit_code] { *exit_code = Stock(*stock); });

  auto ledger = std::make_shared<QueryFlags>();
  cmd = app->add_subcommand("ledger", "the party's ledger entries for a period");
  AddClientFlags(cmd, &ledger->client);
  cmd->add_option("--party", ledger->party, "another party (operators, regulators, its market)");
  cmd->add_option("--from", ledger->from, "first date YYYY-MM-DD (default: 30 days ago)");
  cmd->add_option("--to", ledger->to, "last date YYYY-MM-DD (default: today)");
  cmd->add_option("--limit", ledger->limit, "most entries to list")->capture_default_str()->check(CLI::Range(1u, 100000u));
  cmd->callback([ledger, exit_code] { *exit_code = Ledger(*ledger); });

  auto who = std::make_shared<QueryFlags>();
  cmd = app->add_subcommand("whoami", "the party this key belongs to");
  AddClientFlags(cmd, &who->client);
  cmd->callback([who, exit_code] {
    v1::Query q;
    q.set_kind(v1::Query::WHOAMI);
    auto j = Ask(*who, q);
    if (!j.ok()) {
      *exit_code = Fail(j.status());
      return;
    }
    std::printf("%s\n", who->client.json ? j->dump().c_str() : j->dump(2).c_str());
  });
}

}  // namespace foodtrace::app
