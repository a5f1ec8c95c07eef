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

int Fail(const Status& status) {
  std::fprintf(stderr, "foodtrace: %s\n", status.message().empty() ? status.ToString().c_str()
                                                                   : status.message().c_str());
  return 1;
}

}  // namespace foodtrace::app
