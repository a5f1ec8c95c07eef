// `foodtrace trace down|up|impact`: where a lot went (holders, quantities, transformations),
// where it came from (suppliers and their documents), and who still holds it (a recall's
// impact), answered by the server from its indexes.
#include <cstdio>
#include <map>
#include <set>

#include "app/app.h"

namespace foodtrace::app {
namespace {

struct TraceFlags {
  ClientFlags client;
  std::string gtin, product_code, lot, party;
  int depth = 0;
};

std::string S(const nlohmann::json& j, const char* key) {
  if (!j.contains(key) || j[key].is_null()) return "";
  return j[key].is_string() ? j[key].get<std::string>() : j[key].dump();
}

v1::Query TraceQuery(const TraceFlags& f, v1::Query::Kind kind) {
  v1::Query q;
  q.set_kind(kind);
  q.set_gtin(f.gtin);
  q.set_product_code(f.product_code);
  q.set_lot(f.lot);
  q.set_party_id(f.party);
  q.set_depth(f.depth);
  return q;
}

// Prints the flows of one lot as a tree from the parties nobody delivered it to.
void PrintLotTree(const nlohmann::json& edges, const std::string& lot_key) {
  std::map<std::string, std::vector<const nlohmann::json*>> out;
  std::set<std::string> receivers;
  for (const auto& e : edges) {
    if (S(e, "gtin") + S(e, "product_code") + "|" + S(e, "lot") != lot_key) continue;
    out[S(e, "from")].push_back(&e);
    receivers.insert(S(e, "to"));
  }
  std::set<std::string> printed;
  std::function<void(const std::string&, int)> walk = [&](const std::string& node, int indent) {
    if (!printed.insert(node).second) return;
    for (const nlohmann::json* e : out[node]) {
      std::printf("%*s%s → %s  %s %s  (shipped %s, received %s, from %s)\n", indent, "", node.c_str(),
                  S(*e, "to").c_str(), S(*e, "quantity").c_str(), S(*e, "unit").c_str(), S(*e, "shipped").c_str(),
                  S(*e, "received").c_str(), S(*e, "first_on").c_str());
      walk(S(*e, "to"), indent + 2);
    }
  };
  for (const auto& [from, list] : out) {
    if (receivers.count(from) == 0) walk(from, 2);
  }
  for (const auto& [from, list] : out) walk(from, 2);  // cycles: whatever is left
}

int Down(const TraceFlags& f) {
  auto j = AskJson(f.client, TraceQuery(f, v1::Query::TRACE_DOWN));
  if (!j.ok()) return Fail(j.status());
  if (f.client.json) {
    std::printf("%s\n", j->dump().c_str());
    return 0;
  }
  for (const auto& lot : (*j)["lots"]) {
    const auto& ref = lot["ref"];
    const std::string id = S(ref, "gtin") + S(ref, "product_code");
    std::printf("lot %s / %s  %s  expires %s  %s\n", id.c_str(), S(ref, "lot").c_str(),
                S(ref, "product_name").c_str(), S(ref, "expires_on").c_str(), S(lot, "state").c_str());
    PrintLotTree((*j)["edges"], id + "|" + S(ref, "lot"));
  }
  std::printf("holders:\n");
  for (const auto& h : (*j)["holders"]) {
    std::printf("  %-16s %-14s %-12s received %8s  on hand %8s  unconfirmed %6s %s\n", S(h, "party_id").c_str(),
                (S(h, "gtin") + S(h, "product_code")).c_str(), S(h, "lot").c_str(), S(h, "received").c_str(),
                S(h, "on_hand").c_str(), S(h, "unconfirmed").c_str(), S(h, "unit").c_str());
  }
  if ((*j).value("truncated", false)) std::printf("(partial: a trace limit was reached)\n");
  return 0;
}

int Up(const TraceFlags& f) {
  auto j = AskJson(f.client, TraceQuery(f, v1::Query::TRACE_UP));
  if (!j.ok()) return Fail(j.status());
  if (f.client.json) {
    std::printf("%s\n", j->dump().c_str());
    return 0;
  }
  for (const auto& s : (*j)["chain"]) {
    const int indent = 2 * s.value("depth", 0);
    std::string docs;
    for (const auto& d : s["documents"]) docs += (docs.empty() ? "" : ", ") + d.get<std::string>();
    std::printf("%*s%s (lot %s) ← %s  on %s  documents: %s\n", indent, "", S(s, "party_id").c_str(),
                S(s, "lot").c_str(), S(s, "received_from").c_str(), S(s, "received_on").c_str(),
                docs.empty() ? "none" : docs.c_str());
  }
  if ((*j)["chain"].empty()) std::printf("no recorded supplier for this lot at this party\n");
  return 0;
}

int Impact(const TraceFlags& f) {
  auto j = AskJson(f.client, TraceQuery(f, v1::Query::RECALL_IMPACT));
  if (!j.ok()) return Fail(j.status());
  if (f.client.json) {
    std::printf("%s\n", j->dump().c_str());
    return 0;
  }
  std::printf("lots covered: %zu\n", (*j)["covered_lots"].size());
  for (const auto& lot : (*j)["covered_lots"]) std::printf("  %s\n", lot.get<std::string>().c_str());
  std::printf("holders with stock: %zu\n", (*j)["holders"].size());
  for (const auto& h : (*j)["holders"]) {
    std::printf("  %-16s %-14s %-12s on hand %8s  unconfirmed %6s %s\n", S(h, "party_id").c_str(),
                (S(h, "gtin") + S(h, "product_code")).c_str(), S(h, "lot").c_str(), S(h, "on_hand").c_str(),
                S(h, "unconfirmed").c_str(), S(h, "unit").c_str());
  }
  if ((*j).value("truncated", false)) std::printf("(partial: a trace limit was reached)\n");
  return 0;
}

void AddFlags(CLI::App* cmd, TraceFlags* f) {
  AddClientFlags(cmd, &f->client);
  cmd->add_option("--gtin", f->gtin, "product GTIN");
  cmd->add_option("--product-code", f->product_code, "registered code of a product without GTIN");
  cmd->add_option("--lot", f->lot, "lot / batch code")->required();
  cmd->add_option("--depth", f->depth, "most transformation / supply hops to follow (default: the server's limit)");
}

}  // namespace

void AddTraceCommand(CLI::App* app, int* exit_code) {
  CLI::App* trace = app->add_subcommand(
      "trace", "trace a lot down (who received it), up (where it came from), or its impact (who still holds it)");
  trace->require_subcommand(1);
  auto down = std::make_shared<TraceFlags>();
  CLI::App* cmd = trace->add_subcommand("down", "every party that received the lot or its transformed output");
  AddFlags(cmd, down.get());
  cmd->callback([down, exit_code] { *exit_code = Down(*down); });
  auto up = std::make_shared<TraceFlags>();
  cmd = trace->add_subcommand("up", "the chain of suppliers of the lot at a party");
  AddFlags(cmd, up.get());
  cmd->add_option("--party", up->party, "the party holding the lot (default: the key's party)");
  cmd->callback([up, exit_code] { *exit_code = Up(*up); });
  auto impact = std::make_shared<TraceFlags>();
  cmd = trace->add_subcommand("impact",
                              "who still holds the lot or its transformed output, and how much (what a recall "
                              "of it reaches): holders with stock only");
  AddFlags(cmd, impact.get());
  cmd->callback([impact, exit_code] { *exit_code = Impact(*impact); });
}

}  // namespace foodtrace::app
