// Support for the alert integration tests: a real `foodtrace serve`, parties registered with
// their own key files, entries recorded through the real client, and the CLI run as a user would.
#pragma once

#include <catch2/catch.hpp>

#include <chrono>
#include <nlohmann/json.hpp>
#include <thread>

#include "foodtrace/ingest/client.h"
#include "foodtrace/ingest/keys.h"
#include "support/ledger_fixture.h"
#include "support/process.h"

namespace foodtrace::testing {

struct AlertServer {
  TempDir dir;
  std::vector<std::string> extra;
  std::unique_ptr<ServerProcess> server;

  explicit AlertServer(std::vector<std::string> flags = {}) : extra(std::move(flags)) { Start(); }

  void Start(std::vector<std::string> more = {}) {
    std::vector<std::string> flags = extra;
    flags.insert(flags.end(), more.begin(), more.end());
    server = std::make_unique<ServerProcess>(dir.sub("data"), flags);
  }
  std::string ingest() const { return server->endpoint("ingest"); }
  std::string alerts() const { return server->endpoint("alerts"); }

  ingest::KeyFile OperatorKey() const {
    auto key = ingest::ReadKeyFile(dir.sub("data") + "/keys/operator.key");
    FT_CHECK(key.ok());
    return *key;
  }
  std::unique_ptr<ingest::Client> Client(const ingest::KeyFile& key) const {
    ingest::ClientOptions o;
    o.key = key;
    o.endpoint = ingest();
    o.timeout_ms = 10'000;
    o.retries_max = 3;
    auto c = ingest::Client::Connect(o);
    FT_CHECK(c.ok());
    return std::move(*c);
  }
  // Submits as the operator (who may write any party's ledger); REQUIREs every item ACCEPTED.
  void Record(std::vector<v1::Item> items) const {
    auto r = Client(OperatorKey())->Submit(std::move(items));
    REQUIRE(r.ok());
    for (const auto& x : *r) {
      INFO(x.code() << " " << x.message());
      REQUIRE(x.status() == v1::ItemResult::ACCEPTED);
    }
  }
  // Registers `party` with a fresh key and writes its key file; returns the file's path.
  std::string Register(v1::Item party) const {
    auto key = ingest::NewPartyKey(party.party().party_id(), OperatorKey().server_public_key, ingest());
    FT_CHECK(key.ok());
    party.mutable_party()->set_curve_public_key(key->public_key);
    Record({party});
    const std::string path = dir.sub(party.party().party_id() + ".key");
    FT_CHECK(ingest::WriteKeyFile(path, *key).ok());
    return path;
  }
  // Runs `foodtrace ARGS... --server <ingest>` and REQUIREs success; returns stdout as JSON.
  nlohmann::json Cli(std::vector<std::string> args) const {
    args.insert(args.begin(), FoodtraceBinary());
    args.insert(args.end(), {"--server", ingest()});
    CommandResult r = RunCommand(args);
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    return nlohmann::json::parse(r.out);
  }
};

// An entry recorded into `party`'s ledger (the operator sends it).
inline v1::Item EntryOf(const std::string& party, v1::Item entry) {
  entry.mutable_entry()->set_party_id(party);
  return entry;
}

// Polls `fn` until it returns true or `seconds` pass; returns the last result.
template <class Fn>
bool Eventually(Fn fn, int seconds = 20) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  while (true) {
    if (fn()) return true;
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));  // polling interval, not a sync
  }
}

}  // namespace foodtrace::testing
