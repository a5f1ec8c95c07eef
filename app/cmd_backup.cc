// `foodtrace backup --data DIR DEST` and `foodtrace restore SRC DEST` (foodtrace/ledger/backup.h):
// a consistent copy of a data directory, taken from the running server (or from a stopped one),
// and the way back from it to a data directory that serves and verifies.
#include <cstdio>
#include <filesystem>

#include "app/app.h"
#include "foodtrace/common/text.h"
#include "foodtrace/ledger/backup.h"

namespace foodtrace::app {
namespace {

namespace fs = std::filesystem;

struct BackupFlags {
  std::string data_dir = "var";
  std::string source;
  std::string dest;
  std::string server;  // empty = the operator key file's endpoint
  bool json = false;
  int timeout_ms = 600'000;
};

nlohmann::json ReportJson(const ledger::BackupReport& r, const std::string& dest) {
  nlohmann::json j = {{"destination", dest}, {"records", r.records}, {"heads", r.heads},
                      {"created_at_ms", r.created_at_ms}};
  j["last_head"] = r.last_head ? nlohmann::json::parse(ledger::HeadToJson(*r.last_head)) : nlohmann::json();
  return j;
}

// The server is not running: open the ledger here (a running server holds its lock).
Result<ledger::BackupReport> BackupStopped(const BackupFlags& flags, const std::string& dest) {
  auto head_key = ledger::LoadOrCreateHeadKey(ledger::HeadKeyPath(flags.data_dir));
  if (!head_key.ok()) return head_key.status();
  ledger::Options options;
  options.path = ledger::LedgerDirPath(flags.data_dir);
  options.heads.path = ledger::HeadsFilePath(flags.data_dir);
  options.heads.secret_key = head_key->secret_key;
  auto opened = ledger::Ledger::Open(options);
  if (!opened.ok()) return opened.status();
  return ledger::BackupDataDirectory(**opened, flags.data_dir, dest);
}

// The server is running: the operator asks it for the backup (BACKUP query).
Result<nlohmann::json> BackupRunning(const BackupFlags& flags, const std::string& dest) {
  ClientFlags client;
  client.key_file = (fs::path(flags.data_dir) / "keys" / "operator.key").string();
  client.server = flags.server;
  client.timeout_ms = flags.timeout_ms;
  v1::Query query;
  query.set_kind(v1::Query::BACKUP);
  query.set_id(dest);
  return AskJson(client, query);
}

int Backup(const BackupFlags& flags) {
  const std::string dest = fs::absolute(flags.dest).lexically_normal().string();
  if (!fs::exists(ledger::LedgerDirPath(flags.data_dir))) {
    return Fail(Status::NotFound("no ledger at " + ledger::LedgerDirPath(flags.data_dir) + ": check --data"));
  }
  if (fs::exists(dest)) {
    return Fail(Status::Invalid("BACKUP_DESTINATION", dest + " already exists: give a new directory (nothing was written)"));
  }
  nlohmann::json answer;
  auto stopped = BackupStopped(flags, dest);
  if (stopped.ok()) {
    answer = ReportJson(*stopped, dest);
  } else if (stopped.status().code() == Code::kIo) {
    auto running = BackupRunning(flags, dest);  // the ledger is locked: its server is running
    if (!running.ok()) {
      return Fail(Status::Unavailable("cannot back up " + flags.data_dir + ": opening it here failed (" +
                                      stopped.status().message() + ") and asking its server failed (" +
                                      running.status().message() + ")"));
    }
    answer = *running;
  } else {
    return Fail(stopped.status());
  }
  if (flags.json) {
    std::printf("%s\n", answer.dump().c_str());
    return 0;
  }
  const bool has_head = answer["last_head"].is_object();
  std::printf("backed up %s into %s: %s records, %s signed heads%s\n", flags.data_dir.c_str(), dest.c_str(),
              answer["records"].dump().c_str(), answer["heads"].dump().c_str(),
              has_head ? (" (the last covers records 1-" + answer["last_head"]["sequence"].dump() + ")").c_str() : "");
  std::fprintf(stderr,
               "foodtrace: it holds the secret keys: keep it where only the operator can read it, on another disk or "
               "host. Restore with `foodtrace restore %s NEW_DATA_DIR`.\n",
               dest.c_str());
  return 0;
}

int Restore(const BackupFlags& flags) {
  auto report = ledger::RestoreDataDirectory(flags.source, flags.dest);
  if (!report.ok()) return Fail(report.status());
  if (flags.json) {
    std::printf("%s\n", ReportJson(*report, flags.dest).dump().c_str());
    return 0;
  }
  std::printf("restored %s into %s: %llu records, %llu signed heads; hash chain, heads and indexes verified\n",
              flags.source.c_str(), flags.dest.c_str(), static_cast<unsigned long long>(report->records),
              static_cast<unsigned long long>(report->heads));
  std::fprintf(stderr,
               "foodtrace: start it with `foodtrace serve --data %s`. Records acknowledged after the backup was taken "
               "(%s) are not in it: ask vendors to send them again (a re-sent record with its event id counts once).\n",
               flags.dest.c_str(), FormatInstant(report->created_at_ms).c_str());
  return 0;
}

}  // namespace

void AddBackupCommands(CLI::App* app, int* exit_code) {
  auto flags = std::make_shared<BackupFlags>();
  CLI::App* backup = app->add_subcommand(
      "backup",
      "copy a data directory (ledger, signed heads, keys, tokens) consistently into DEST, from its running server "
      "or with the server stopped");
  backup->add_option("--data", flags->data_dir, "data directory of the server")->capture_default_str();
  backup->add_option("dest", flags->dest, "the backup directory to create (must not exist)")->required();
  backup->add_option("--server", flags->server,
                     "the running server's gateway endpoint (default: the one in DATA/keys/operator.key)");
  backup->add_option("--timeout-ms", flags->timeout_ms, "time to wait for a running server's backup")
      ->capture_default_str()
      ->check(CLI::Range(1000, 86'400'000));
  backup->add_flag("--json", flags->json, "machine-readable output");
  backup->callback([flags, exit_code] { *exit_code = Backup(*flags); });

  CLI::App* restore = app->add_subcommand(
      "restore", "verify a backup and restore it into a new data directory DEST that `foodtrace serve --data DEST` serves");
  restore->add_option("src", flags->source, "the backup directory (`foodtrace backup` wrote it)")->required();
  restore->add_option("dest", flags->dest, "the data directory to create (must not exist)")->required();
  restore->add_flag("--json", flags->json, "machine-readable output");
  restore->callback([flags, exit_code] { *exit_code = Restore(*flags); });
}

}  // namespace foodtrace::app
