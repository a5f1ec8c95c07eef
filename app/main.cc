// foodtrace: the server and the command-line client of the food traceability ledger.
#include <CLI/CLI.hpp>

#include "app/app.h"

int main(int argc, char** argv) {
  CLI::App app{
      "foodtrace — food-safety traceability ledger.\n"
      "Run `foodtrace serve` for the server; the other commands talk to it with a party key."};
  app.require_subcommand(1);
  app.set_version_flag("--version", "foodtrace 0.1.0");
  int exit_code = 0;
  foodtrace::app::AddServeCommand(&app, &exit_code);
  foodtrace::app::AddPartyCommand(&app, &exit_code);
  foodtrace::app::AddRecordCommand(&app, &exit_code);
  foodtrace::app::AddImportCommand(&app, &exit_code);
  foodtrace::app::AddQueryCommands(&app, &exit_code);
  foodtrace::app::AddVerifyCommand(&app, &exit_code);
  foodtrace::app::AddTraceCommand(&app, &exit_code);
  foodtrace::app::AddRecallCommand(&app, &exit_code);
  foodtrace::app::AddAlertsCommand(&app, &exit_code);
  foodtrace::app::AddWebhookCommand(&app, &exit_code);
  foodtrace::app::AddTestResultCommand(&app, &exit_code);
  foodtrace::app::AddTokenCommand(&app, &exit_code);
  foodtrace::app::AddSimulateCommand(&app, &exit_code);
  foodtrace::app::AddProductCommand(&app, &exit_code);
  foodtrace::app::AddEpcisCommand(&app, &exit_code);
  foodtrace::app::AddHeadCommand(&app, &exit_code);
  foodtrace::app::AddBackupCommands(&app, &exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  return exit_code;
}
