// `foodtrace verify`: offline integrity check of a ledger (hash chain and every index).
#include <cstdio>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "app/app.h"
#include "foodtrace/ledger/ledger.h"

namespace foodtrace::app {

void AddVerifyCommand(CLI::App* app, int* exit_code) {
  struct Flags {
    std::string data_dir = "var";
    bool json = false;
  };
  auto f = std::make_shared<Flags>();
  CLI::App* cmd = app->add_subcommand(
      "verify",
      "check the ledger's hash chain, that every signed head matches the log (a head beyond the log's end "
      "names the missing records), and that every index agrees with the log");
  cmd->add_option("--data", f->data_dir, "data directory")->capture_default_str();
  cmd->add_flag("--json", f->json, "machine-readable output");
  cmd->callback([f, exit_code] {
    const std::string path = (std::filesystem::path(f->data_dir) / "ledger").string();
    if (!std::filesystem::exists(path)) {
      *exit_code = Fail(Status::NotFound("no ledger at " + path + ": check --data"));
      return;
    }
    auto report = ledger::Ledger::Verify(path, ledger::HeadsFilePath(f->data_dir));
    if (!report.ok()) {
      *exit_code = Fail(report.status());
      return;
    }
    const bool sound = report->problem.empty();
    if (f->json) {
      nlohmann::json out = {{"ok", sound}, {"records", report->records},
                            {"index_keys", report->index_keys}, {"heads", report->heads}};
      if (!sound) {
        out["problem"] = report->problem;
        out["first_bad_sequence"] = report->first_bad_sequence;
      }
      std::printf("%s\n", out.dump().c_str());
    } else if (sound) {
      std::printf("ledger %s is sound: %llu records, hash chain intact, %llu signed heads match the log, "
                  "%llu index keys agree\n",
                  path.c_str(), static_cast<unsigned long long>(report->records),
                  static_cast<unsigned long long>(report->heads), static_cast<unsigned long long>(report->index_keys));
    }
    if (!sound) std::fprintf(stderr, "foodtrace verify: FAILED: %s\n", report->problem.c_str());
    *exit_code = sound ? 0 : 3;
  });
}

}  // namespace foodtrace::app
