// Shared wiring for the `foodtrace` subcommands: each Add*Command registers a CLI11
// subcommand whose callback does the work and sets the exit code.
#pragma once

#include <CLI/CLI.hpp>

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "foodtrace/alerts/alerts.h"
#include "foodtrace/common/status.h"
#include "foodtrace/common/time_zone.h"
#include "foodtrace/ingest/client.h"
#include "foodtrace/ingest/keys.h"

namespace foodtrace::app {

// Options every client command shares.
struct ClientFlags {
  std::string key_file;
  std::string server;  // empty = the endpoint in the key file, else tcp://127.0.0.1:7400
  bool json = false;
  int timeout_ms = 5000;
};
void AddClientFlags(CLI::App* cmd, ClientFlags* flags);

// Connects with the key file. Errors as ingest::Client::Connect / ReadKeyFile.
Result<std::unique_ptr<ingest::Client>> Connect(const ClientFlags& flags);

// The server's market clock (the CLOCK query): its today, its time zone and its now. The CLI
// dates what it records with the server's today, so a command and the portal pages agree on
// the date even when the CLI's machine keeps another zone or clock.
struct ServerClock {
  Date today;
  TimeZone time_zone;
  UnixMillis now_ms = 0;
};
// Errors: those of Client::Query; INTERNAL for a malformed answer; TIME_ZONE_* when the
// server's zone is not in this machine's tzdata.
Result<ServerClock> AskClock(ingest::Client& client);

// `--config FILE` (config_file.cc): sets every option of `cmd` that the command line did not
// give from the TOML file's top-level key of the same name (the long flag without its dashes;
// arrays for repeatable options), running the option's checks. The command line wins.
// Errors: CONFIG_SYNTAX (file:line and what is wrong), CONFIG_KEY (a key that is no flag),
// CONFIG_VALUE (a value the flag refuses), each naming the file and line.
Status ApplyConfigFile(CLI::App* cmd, const std::string& path);

// `--log-format json` (log_format.cc): while it lives, every line any thread writes to stderr
// comes out as one JSON object {"ts","level","msg"} (spdlog, UTC). Start it before other threads
// log; destroy it last (it drains what was written). Not copyable; one per process.
class JsonLogs {
 public:
  // Errors: IO (no pipe, or stderr cannot be redirected).
  static Result<std::unique_ptr<JsonLogs>> Start();
  ~JsonLogs();
  JsonLogs(const JsonLogs&) = delete;
  JsonLogs& operator=(const JsonLogs&) = delete;

 private:
  JsonLogs() = default;
  int original_fd_ = -1;
  int pipe_fd_ = -1;
  std::thread reader_;
};

// Prints "foodtrace: <message>" to stderr and returns exit code 1 (or 2 for usage errors).
int Fail(const Status& status);

void AddServeCommand(CLI::App* app, int* exit_code);
void AddPartyCommand(CLI::App* app, int* exit_code);
void AddRecordCommand(CLI::App* app, int* exit_code);
void AddImportCommand(CLI::App* app, int* exit_code);
void AddQueryCommands(CLI::App* app, int* exit_code);
void AddVerifyCommand(CLI::App* app, int* exit_code);
void AddTokenCommand(CLI::App* app, int* exit_code);
void AddSimulateCommand(CLI::App* app, int* exit_code);  // cmd_simulate.cc
void AddProductCommand(CLI::App* app, int* exit_code);   // cmd_product.cc
void AddEpcisCommand(CLI::App* app, int* exit_code);     // cmd_epcis.cc
void AddHeadCommand(CLI::App* app, int* exit_code);      // cmd_head.cc: signed ledger heads
void AddBackupCommands(CLI::App* app, int* exit_code);   // cmd_backup.cc: backup, restore

// --- trace, recalls, alerts, webhooks, test results (cmd_trace.cc, cmd_recall.cc,
// cmd_alerts.cc, cmd_webhook.cc, cmd_test_result.cc) ---------------------------------------
void AddTraceCommand(CLI::App* app, int* exit_code);
void AddRecallCommand(CLI::App* app, int* exit_code);
void AddAlertsCommand(CLI::App* app, int* exit_code);
void AddWebhookCommand(CLI::App* app, int* exit_code);
void AddTestResultCommand(CLI::App* app, int* exit_code);

// Sends `query` with the flags' key and parses the JSON answer. Errors: those of
// Client::Query; INTERNAL when the answer is not JSON.
Result<nlohmann::json> AskJson(const ClientFlags& flags, const v1::Query& query);
// `j[key]` as text for a table: a string as is, another value as JSON, "" when absent or null.
std::string Str(const nlohmann::json& j, const char* key);
// An alert as the JSON `alerts watch --json` prints (the shape of `alerts list --json`).
nlohmann::json AlertToJson(const v1::Alert& alert);

// `serve` flags of the alert engine and the test clock.
struct AlertServeFlags {
  std::string endpoint = alerts::kDefaultAlertsEndpoint;
  int clock_offset_days = 0;                  // TEST CLOCK: shifts "now" for ledger and engine
  std::string test_clock;                     // TEST CLOCK: "now" starts at this instant
  std::int64_t sweep_interval_s = 3600;       // 0 = clock rules on demand only
  std::int64_t webhook_retry_initial_ms = 1000;
};
void AddAlertServeFlags(CLI::App* serve, AlertServeFlags* flags);
// The clock for ledger and engine: the system clock, started at --test-clock and shifted by
// --clock-offset-days (nullptr = the system clock unshifted). Errors: INVALID_TIME.
Result<std::function<UnixMillis()>> ServeClock(const AlertServeFlags& flags, const TimeZone& zone);
// An engine configured from the flags; the caller sets its CommitHook() before opening the
// ledger and Start()s it after. Errors: as AlertEngine::Create.
Result<std::unique_ptr<alerts::AlertEngine>> CreateAlertEngine(const AlertServeFlags& flags);

}  // namespace foodtrace::app
