// `foodtrace recall issue|show`: a recall (regulator or operator key). `issue` submits the
// Recall through the ledger (which stops every covered lot at once) and then asks the server,
// once its alert engine has processed the recall, how many holders were alerted.
#include <cstdio>

#include "app/app.h"
#include "foodtrace/common/crypto.h"

namespace foodtrace::app {
namespace {

struct RecallFlags {
  ClientFlags client;
  v1::Recall recall;
  std::string level, known_at;
};

int PrintStatus(const ClientFlags& flags, const nlohmann::json& j) {
  if (flags.json) {
    std::printf("%s\n", j.dump().c_str());
    return 0;
  }
  std::printf("recall %s (level %s): %s holders alerted, %zu lots covered, complete by %s\n",
              j.value("recall_id", "").c_str(), j.value("level", "").c_str(), j["holders_alerted"].dump().c_str(),
              j["covered_lots"].size(), j.value("deadline", "").c_str());
  return 0;
}

int Issue(RecallFlags& f) {
  v1::Recall& r = f.recall;
  if (r.recall_id().empty()) r.set_recall_id("rc-" + RandomHex(6));
  v1::Recall::Level level;
  if (!v1::Recall::Level_Parse(f.level, &level)) return Fail(Status::Invalid("USAGE", "--level must be I, II or III"));
  r.set_level(level);
  auto client = Connect(f.client);
  if (!client.ok()) return Fail(client.status());
  if (!f.known_at.empty()) {  // local times are the market's, in the server's zone
    auto clock = AskClock(**client);
    if (!clock.ok()) return Fail(clock.status());
    auto at = ParseLocalTime(f.known_at, clock->time_zone);
    if (!at.ok()) return Fail(at.status());
    r.set_known_at_ms(*at);
  }
  std::vector<v1::Item> items(1);
  *items[0].mutable_recall() = r;
  auto results = (*client)->Submit(std::move(items));
  if (!results.ok()) return Fail(results.status());
  const v1::ItemResult& result = (*results)[0];
  if (result.status() == v1::ItemResult::REJECTED) {
    return Fail(Status::Invalid(result.code(), result.code() + ": " + result.message()));
  }
  v1::Query q;
  q.set_kind(v1::Query::RECALL_STATUS);
  q.set_id(r.recall_id());
  q.set_wait_for_sequence(result.sequence());
  auto status = (*client)->Query(q);
  if (!status.ok()) return Fail(status.status());
  auto j = nlohmann::json::parse(*status, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return Fail(Status::Internal("the server answered with malformed JSON"));
  return PrintStatus(f.client, j);
}

int Show(const RecallFlags& f) {
  v1::Query q;
  q.set_kind(v1::Query::RECALL_STATUS);
  q.set_id(f.recall.recall_id());
  auto j = AskJson(f.client, q);
  if (!j.ok()) return Fail(j.status());
  return PrintStatus(f.client, *j);
}

}  // namespace

void AddRecallCommand(CLI::App* app, int* exit_code) {
  CLI::App* recall = app->add_subcommand("recall", "issue a recall and see whom it reached (regulator or operator key)");
  recall->require_subcommand(1);
  auto f = std::make_shared<RecallFlags>();
  v1::Recall* r = &f->recall;
  CLI::App* cmd = recall->add_subcommand("issue", "recall lots of a product: every holder is alerted");
  AddClientFlags(cmd, &f->client);
  cmd->add_option_function<std::string>("--id", [r](const std::string& v) { r->set_recall_id(v); }, "recall id (default: generated)");
  cmd->add_option_function<std::string>("--gtin", [r](const std::string& v) { r->set_gtin(v); }, "product GTIN");
  cmd->add_option_function<std::string>("--product-code", [r](const std::string& v) { r->set_product_code(v); }, "product code (goods without GTIN)");
  cmd->add_option_function<std::vector<std::string>>("--lot", [r](const std::vector<std::string>& v) {
    for (const auto& l : v) r->add_lots(l);
  }, "a recalled lot (repeatable)");
  cmd->add_option_function<std::string>("--produced-from", [r](const std::string& v) { r->set_produced_from(v); }, "first production date YYYY-MM-DD (instead of --lot)");
  cmd->add_option_function<std::string>("--produced-to", [r](const std::string& v) { r->set_produced_to(v); }, "last production date YYYY-MM-DD");
  cmd->add_option("--level", f->level, "I (start within 24 h), II (48 h) or III")->required();
  cmd->add_option_function<std::string>("--reason", [r](const std::string& v) { r->set_reason(v); }, "what is wrong and the harm")->required();
  cmd->add_option("--known-at", f->known_at, "when the risk became known, YYYY-MM-DD[THH:MM] local (default: now); picks the rules");
  cmd->callback([f, exit_code] { *exit_code = Issue(*f); });

  auto s = std::make_shared<RecallFlags>();
  cmd = recall->add_subcommand("show", "a recall's covered lots and how many holders were alerted");
  AddClientFlags(cmd, &s->client);
  cmd->add_option_function<std::string>("--id", [s](const std::string& v) { s->recall.set_recall_id(v); }, "recall id")->required();
  cmd->callback([s, exit_code] { *exit_code = Show(*s); });
}

}  // namespace foodtrace::app
