// Shared wiring for the `foodtrace` subcommands: each Add*Command registers a CLI11
// subcommand whose callback does the work and sets the exit code.
#pragma once

#include <CLI/CLI.hpp>

#include <memory>
#include <string>

#include "foodtrace/common/status.h"
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

// Prints "foodtrace: <message>" to stderr and returns exit code 1 (or 2 for usage errors).
int Fail(const Status& status);

void AddServeCommand(CLI::App* app, int* exit_code);
void AddPartyCommand(CLI::App* app, int* exit_code);
void AddRecordCommand(CLI::App* app, int* exit_code);
void AddImportCommand(CLI::App* app, int* exit_code);
void AddQueryCommands(CLI::App* app, int* exit_code);
void AddVerifyCommand(CLI::App* app, int* exit_code);
void AddTokenCommand(CLI::App* app, int* exit_code);

}  // namespace foodtrace::app
