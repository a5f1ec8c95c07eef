#include <cstdio>

#include "app/app.h"

namespace foodtrace::app {

void AddClientFlags(CLI::App* cmd, ClientFlags* flags) {
  cmd->add_option("--key", flags->key_file, "party key file (written by `foodtrace party add`)")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("--server", flags->server,
                  "gateway endpoint (default: the key file's, else tcp://127.0.0.1:7400)");
  cmd->add_flag("--json", flags->json, "machine-readable JSON output");
  cmd->add_option("--timeout-ms", flags->timeout_ms, "time to wait for each answer")
      ->check(CLI::Range(100, 600000));
}

Result<std::unique_ptr<ingest::Client>> Connect(const ClientFlags& flags) {
  auto key = ingest::ReadKeyFile(flags.key_file);
  if (!key.ok()) return key.status();
  ingest::ClientOptions options;
  options.key = *key;
  options.endpoint = flags.server;
  options.timeout_ms = flags.timeout_ms;
  return ingest::Client::Connect(std::move(options));
}

std::string Str(const nlohmann::json& j, const char* key) {
  if (!j.contains(key) || j[key].is_null()) return "";
  return j[key].is_string() ? j[key].get<std::string>() : j[key].dump();
}

Result<ServerClock> AskClock(ingest::Client& client) {
  v1::Query query;
  query.set_kind(v1::Query::CLOCK);
  auto answer = client.Query(query);
  if (!answer.ok()) return answer.status();
  const auto j = nlohmann::json::parse(*answer, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object() || !j.contains("today") || !j["today"].is_string() || !j.contains("time_zone") ||
      !j["time_zone"].is_string() || !j.contains("now_ms") || !j["now_ms"].is_number_integer()) {
    return Status::Internal("the server's CLOCK answer is malformed: " + answer->substr(0, 200));
  }
  auto today = Date::Parse(j["today"].get<std::string>());
  if (!today.ok()) return today.status();
  auto zone = TimeZone::Load(j["time_zone"].get<std::string>());
  if (!zone.ok()) return zone.status();
  return ServerClock{*today, *zone, j["now_ms"].get<UnixMillis>()};
}

int Fail(const Status& status) {
  std::fprintf(stderr, "foodtrace: %s\n", status.message().empty() ? status.ToString().c_str()
                                                                   : status.message().c_str());
  return 1;
}

}  // namespace foodtrace::app
