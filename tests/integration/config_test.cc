// Proves `foodtrace serve --config FILE`: every flag is a TOML key, flags override the file, a
// wrong key or value is refused naming the file and line; and `--log-format json` makes every
// stderr line a JSON object.
#include <catch2/catch.hpp>

#include <fstream>
#include <nlohmann/json.hpp>

#include "support/ledger_fixture.h"
#include "support/process.h"

using namespace foodtrace;
using namespace foodtrace::testing;
using nlohmann::json;

TEST_CASE("serve reads its flags from a TOML file, the command line overrides it, and JSON logs are one "
          "object per line",
          "[integration][config]") {
  TempDir dir;
  const std::string config = dir.sub("foodtrace.toml");
  std::ofstream(config) << "# the market's server\n"
                        << "data = \"" << dir.sub("data") << "\"\n"
                        << "ingest = \"tcp://127.0.0.1:*\"\n"
                        << "alerts = \"tcp://127.0.0.1:*\"\n"
                        << "http = \"127.0.0.1:1\"\n"  // overridden below
                        << "time-zone = \"Asia/Urumqi\"\n"
                        << "head-interval-records = 5\n"
                        << "log-format = \"json\"\n";
  ChildProcess serve({FoodtraceBinary(), "serve", "--config", config, "--http", "127.0.0.1:0"});
  std::string out;
  for (bool ended = false; !ended && out.find("ready") == std::string::npos;) out += serve.ReadLine(false, 30'000, &ended) + "\n";
  INFO(out);
  REQUIRE(out.find("ready") != std::string::npos);
  CHECK(out.find("http http://127.0.0.1:1\n") == std::string::npos);  // the flag won
  CHECK(std::filesystem::exists(dir.sub("data") + "/keys/operator.key"));
  REQUIRE(serve.Stop(SIGTERM, 30'000) == 0);
  std::vector<json> lines;
  for (bool ended = false; !ended;) {
    const std::string line = serve.ReadLine(true, 5000, &ended);
    if (ended) break;
    INFO(line);
    const json j = json::parse(line, nullptr, false);
    REQUIRE(j.is_object());
    CHECK(j["ts"].get<std::string>().size() == 24);  // 2026-12-05T02:03:04.567Z
    CHECK(j["level"].is_string());
    lines.push_back(j);
  }
  REQUIRE(lines.size() >= 3);
  bool zone = false, stopped = false;
  for (const json& j : lines) {
    const std::string msg = j["msg"];
    zone = zone || msg.find("market time zone Asia/Urumqi") != std::string::npos;
    stopped = stopped || msg.find("stopped cleanly") != std::string::npos;
  }
  CHECK(zone);
  CHECK(stopped);
}

TEST_CASE("a config file with an unknown key or a bad value is refused naming the file and line",
          "[integration][config]") {
  TempDir dir;
  const std::string config = dir.sub("bad.toml");
  std::ofstream(config) << "data = \"" << dir.sub("data") << "\"\n\nhttp-port = 8080\n";
  auto unknown = RunCommand({FoodtraceBinary(), "serve", "--config", config});
  CHECK(unknown.exit_code == 1);
  CHECK(unknown.err.find(config + ":3: unknown key `http-port`") != std::string::npos);
  std::ofstream(config, std::ios::trunc) << "head-interval-records = 0\n";
  auto bad = RunCommand({FoodtraceBinary(), "serve", "--config", config});
  CHECK(bad.exit_code == 1);
  CHECK(bad.err.find(config + ":1: `head-interval-records`") != std::string::npos);
  std::ofstream(config, std::ios::trunc) << "data = \"unterminated\n";
  auto syntax = RunCommand({FoodtraceBinary(), "serve", "--config", config});
  CHECK(syntax.exit_code == 1);
  CHECK(syntax.err.find(config + ":1: ") != std::string::npos);
  CHECK(!std::filesystem::exists(dir.sub("data")));
}
