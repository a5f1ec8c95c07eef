// Proves end to end that the alert engine raises exactly what the simulator injected: a seeded
// region streamed through a real server, the clock rules run the next day, and every alert of
// the kinds the truth accounts for is compared with the truth file, both ways.
#include <catch2/catch.hpp>

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <tuple>

#include "support/ledger_fixture.h"
#include "support/process.h"

using namespace foodtrace::testing;
using nlohmann::json;

namespace {

using Tuple = std::tuple<std::string, std::string, std::string, std::string>;  // kind, party, gtin, lot

CommandResult Foodtrace(std::vector<std::string> args) {
  args.insert(args.begin(), FoodtraceBinary());
  return RunCommand(args);
}

// Every alert, paged by sequence.
std::vector<json> AllAlerts(const std::string& key, const std::string& endpoint) {
  std::vector<json> out;
  std::uint64_t after = 0;
  for (;;) {
    auto r = Foodtrace({"alerts", "list", "--key", key, "--server", endpoint, "--json", "--limit", "10000",
                        "--after", std::to_string(after)});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    const json page = json::parse(r.out);
    for (const json& a : page) {
      out.push_back(a);
      after = std::max<std::uint64_t>(after, a.at("sequence").get<std::uint64_t>());
    }
    if (page.size() < 10000) return out;
  }
}

std::string Show(const std::set<Tuple>& tuples) {
  std::string s;
  for (const auto& [k, p, g, l] : tuples) s += "  " + k + " " + p + " " + g + " " + l + "\n";
  return s;
}

std::set<std::string> Kinds() {
  return {"EXPIRED_IN_STOCK", "EXPIRED_SOLD",   "RECALLED_SOLD",       "RECALLED_SCANNED",    "RECALL_OVERDUE",
          "NEGATIVE_STOCK",   "UNCONFIRMED_RECEIPT", "UNVERIFIED_SUPPLIER", "LICENCE_EXPIRED", "TEST_FAILED"};
}

}  // namespace

TEST_CASE("a seeded simulated region raises exactly the alerts its truth file explains", "[integration][sim]") {
  TempDir dir;
  const std::string data = dir.sub("data");
  const std::string truth_file = dir.sub("truth.json");
  const std::string key = data + "/keys/operator.key";
  {
    ServerProcess server(data);
    auto r = Foodtrace({"simulate", "--data", data, "--server", server.endpoint("ingest"), "--seed", "42", "--days",
                        "7", "--markets", "2", "--vendors-per-market", "4", "--truth", truth_file, "--quiet"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
  }
  // The next day: unconfirmed receipts are past their 24 h grace; no recall deadline has passed.
  ServerProcess server(data, {"--clock-offset-days", "1"});
  const std::string endpoint = server.endpoint("ingest");
  auto sweep = Foodtrace({"alerts", "sweep", "--key", key, "--server", endpoint, "--json"});
  INFO(sweep.err);
  REQUIRE(sweep.exit_code == 0);

  std::ifstream in(truth_file);
  const json truth = json::parse(in);
  REQUIRE(truth.at("recalls").size() >= 1);
  std::set<Tuple> expected;
  for (const json& h : truth.at("expired_holdings")) {
    expected.emplace("EXPIRED_IN_STOCK", h.at("party_id"), h.at("gtin"), h.at("lot"));
  }
  for (const json& a : truth.at("anomalies")) expected.emplace(a.at("kind"), a.at("party_id"), a.at("gtin"), a.at("lot"));
  std::map<std::string, std::set<std::string>> holders_expected, holders_alerted;
  for (const json& r : truth.at("recalls")) {
    holders_expected[r.at("recall_id")] = r.at("holders").get<std::set<std::string>>();
    holders_alerted[r.at("recall_id")];
  }

  std::set<Tuple> raised;
  for (const json& a : AllAlerts(key, endpoint)) {
    const std::string kind = a.at("kind");
    if (kind == "RECALLED_IN_STOCK") {
      holders_alerted[a.at("recall_id")].insert(a.at("party_id").get<std::string>());
    } else if (Kinds().count(kind)) {
      raised.emplace(kind, a.at("party_id"), a.at("gtin"), a.at("lot"));
    }
  }
  CHECK(holders_alerted == holders_expected);  // also fails on a recall the truth does not know
  std::set<Tuple> missing, unexplained;
  std::set_difference(expected.begin(), expected.end(), raised.begin(), raised.end(),
                      std::inserter(missing, missing.end()));
  std::set_difference(raised.begin(), raised.end(), expected.begin(), expected.end(),
                      std::inserter(unexplained, unexplained.end()));
  INFO("injected but not alerted:\n" << Show(missing) << "alerted but not injected:\n" << Show(unexplained));
  CHECK(missing.empty());
  CHECK(unexplained.empty());
  std::set<std::string> kinds_seen;
  for (const auto& t : expected) kinds_seen.insert(std::get<0>(t));
  for (const char* k : {"EXPIRED_IN_STOCK", "NEGATIVE_STOCK", "UNCONFIRMED_RECEIPT", "UNVERIFIED_SUPPLIER",
                        "TEST_FAILED", "RECALLED_SCANNED"}) {
    INFO(k);
    CHECK(kinds_seen.count(k) == 1);  // the run exercised it, so the comparison above means something
  }
}
