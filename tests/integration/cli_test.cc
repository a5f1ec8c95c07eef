// Proves the `foodtrace` commands work end to end as a vendor and an operator use them:
// register, record, read back, import a spreadsheet twice, and verify (also after tampering).
#include <catch2/catch.hpp>

#include <rocksdb/db.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "support/ledger_fixture.h"
#include "support/process.h"

using namespace foodtrace;
using namespace foodtrace::testing;
using nlohmann::json;

namespace {

CommandResult Foodtrace(std::vector<std::string> args) {
  args.insert(args.begin(), FoodtraceBinary());
  return RunCommand(args);
}

std::vector<json> JsonLines(const std::string& out) {
  std::vector<json> lines;
  std::size_t start = 0;
  for (std::size_t pos; (pos = out.find('\n', start)) != std::string::npos; start = pos + 1) {
    if (pos > start) lines.push_back(json::parse(out.substr(start, pos - start)));
  }
  return lines;
}

struct Cli {
  TempDir dir;
  std::unique_ptr<ServerProcess> server = std::make_unique<ServerProcess>(dir.sub("data"));
  std::string endpoint = server->endpoint("ingest");
  std::string vendor_key = dir.sub("v1.key");

  Cli() {
    auto r = Foodtrace({"party", "add", "--data", dir.sub("data"), "--server", endpoint, "--id", "M1",
                        "--kind", "market", "--name", "城东农贸市场", "--key-out", dir.sub("m1.key")});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    r = Foodtrace({"party", "add", "--data", dir.sub("data"), "--server", endpoint, "--id", "V1",
                   "--kind", "vendor", "--name", "张记粮油", "--market", "M1",
                   "--licence", "JY13301020012345", "--uscc", "91350100M000100Y43",
                   "--key-out", vendor_key, "--json"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(json::parse(r.out)["status"] == "ACCEPTED");
  }
};

}  // namespace

TEST_CASE("a vendor records a purchase and a sale and reads its stock and ledger back", "[cli]") {
  Cli c;
  auto r = Foodtrace({"record", "receive", "--key", c.vendor_key, "--server", c.endpoint, "--event-id", "p-1",
                      "--gtin", "6901234567892", "--lot", "B2026", "--name", "红烧牛肉面", "--spec", "120g/袋",
                      "--quantity", "48", "--unit", "H87", "--produced-on", "2026-10-10", "--expires-on", "2027-04-07",
                      "--date", "2026-11-20", "--counterparty-name", "联华食品批发", "--counterparty-address",
                      "杭州市上城区望江路1号", "--counterparty-contact", "0571-86001234", "--document", "出厂检验合格证", "--json"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(json::parse(r.out)["status"] == "ACCEPTED");
  r = Foodtrace({"record", "ship", "--key", c.vendor_key, "--server", c.endpoint, "--event-id", "s-1", "--gtin",
                 "6901234567892", "--lot", "B2026", "--quantity", "8", "--to-consumers", "--date", "2026-11-21"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  auto stock = Foodtrace({"stock", "--key", c.vendor_key, "--server", c.endpoint, "--json"});
  REQUIRE(stock.exit_code == 0);
  auto holdings = json::parse(stock.out);
  REQUIRE(holdings.size() == 1);
  CHECK(holdings[0]["gtin"] == "06901234567892");
  CHECK(holdings[0]["lot"] == "B2026");
  CHECK(holdings[0]["quantity"] == 40);
  CHECK(holdings[0]["unit"] == "H87");
  CHECK(holdings[0]["expires_on"] == "2027-04-07");
  auto ledger = Foodtrace({"ledger", "--key", c.vendor_key, "--server", c.endpoint, "--from", "2026-11-01",
                           "--to", "2026-11-30"});
  INFO(ledger.err);
  REQUIRE(ledger.exit_code == 0);
  CHECK(ledger.out.find("p-1") != std::string::npos);
  CHECK(ledger.out.find("s-1") != std::string::npos);
}

TEST_CASE("a bad record is refused with a message the vendor can act on", "[cli]") {
  Cli c;
  auto r = Foodtrace({"record", "receive", "--key", c.vendor_key, "--server", c.endpoint, "--gtin",
                      "6901234567891", "--lot", "B1", "--name", "面", "--spec", "1袋", "--quantity", "1",
                      "--expires-on", "2027-01-01", "--counterparty", "NOBODY"});
  CHECK(r.exit_code != 0);
  CHECK(r.err.find("GTIN_CHECK_DIGIT") != std::string::npos);
  CHECK(r.err.find("expected 2") != std::string::npos);
  r = Foodtrace({"record", "receive", "--key", c.vendor_key, "--server", c.endpoint, "--gtin",
                 "6901234567892", "--lot", "B1", "--name", "面", "--spec", "1袋", "--quantity", "-3",
                 "--expires-on", "2027-01-01", "--counterparty", "NOBODY"});
  CHECK(r.exit_code != 0);
  r = Foodtrace({"stock", "--key", c.dir.sub("missing.key")});
  CHECK(r.exit_code != 0);
  CHECK_FALSE(r.err.empty());
}

TEST_CASE("importing a Chinese spreadsheet ledger twice imports every row once", "[cli][import]") {
  Cli c;
  const std::string file = std::string(FOODTRACE_SOURCE_DIR) + "/tests/data/import/vendor_ledger_zh.csv";
  auto first = Foodtrace({"import", "--key", c.vendor_key, "--server", c.endpoint, "--json", file});
  INFO(first.err);
  auto rows = JsonLines(first.out);
  REQUIRE(rows.size() >= 20);
  std::map<std::string, std::uint64_t> accepted;
  int rejected = 0;
  for (const auto& row : rows) {
    if (row["status"] == "ACCEPTED") {
      REQUIRE(row.contains("sequence"));
      accepted[row["event_id"]] = row["sequence"];
    } else {
      CHECK(row["status"] == "REJECTED");
      CHECK_FALSE(row.contains("sequence"));
      CHECK_FALSE(row["message"].get<std::string>().empty());
      ++rejected;
    }
  }
  CHECK(rejected >= 1);  // the fixture holds deliberately bad rows
  CHECK(first.exit_code == 1);
  CHECK(first.err.find("rejected") != std::string::npos);
  auto second = Foodtrace({"import", "--key", c.vendor_key, "--server", c.endpoint, "--json", file});
  for (const auto& row : JsonLines(second.out)) {
    if (row["status"] == "REJECTED") continue;
    CHECK(row["status"] == "DUPLICATE");
    CHECK(accepted.at(row["event_id"]) == row["sequence"]);
  }
  CHECK(JsonLines(second.out).size() == rows.size());
}

TEST_CASE("verify passes on a sound ledger and names a tampered record", "[cli][verify]") {
  Cli c;
  REQUIRE(Foodtrace({"record", "stocktake", "--key", c.vendor_key, "--server", c.endpoint, "--gtin",
                     "6901234567892", "--lot", "B1", "--name", "面", "--spec", "1袋", "--quantity", "5",
                     "--expires-on", "2027-01-01"}).exit_code == 0);
  REQUIRE(c.server->Stop(SIGTERM) == 0);
  auto ok = Foodtrace({"verify", "--data", c.dir.sub("data")});
  INFO(ok.err);
  CHECK(ok.exit_code == 0);
  CHECK(ok.out.find("sound") != std::string::npos);
  {
    const std::string path = c.dir.sub("data") + "/ledger";
    std::vector<std::string> names;
    REQUIRE(rocksdb::DB::ListColumnFamilies(rocksdb::DBOptions(), path, &names).ok());
    std::vector<rocksdb::ColumnFamilyDescriptor> cfs;
    for (const auto& n : names) cfs.emplace_back(n, rocksdb::ColumnFamilyOptions());
    std::vector<rocksdb::ColumnFamilyHandle*> handles;
    rocksdb::DB* db = nullptr;
    REQUIRE(rocksdb::DB::Open(rocksdb::DBOptions(), path, cfs, &handles, &db).ok());
    for (size_t i = 0; i < names.size(); ++i) {
      if (names[i] != "log") continue;
      const std::string key("\0\0\0\0\0\0\0\x02", 8);  // the market's registration
      std::string bytes;
      REQUIRE(db->Get(rocksdb::ReadOptions(), handles[i], key, &bytes).ok());
      const auto at = bytes.find("城东农贸市场");
      REQUIRE(at != std::string::npos);
      bytes.replace(at, 3, "西");  // one character of the name changed on disk
      REQUIRE(db->Put(rocksdb::WriteOptions(), handles[i], key, bytes).ok());
    }
    for (auto* h : handles) REQUIRE(db->DestroyColumnFamilyHandle(h).ok());
    delete db;
  }
  auto bad = Foodtrace({"verify", "--data", c.dir.sub("data")});
  CHECK(bad.exit_code != 0);
  CHECK(bad.err.find("log record 2") != std::string::npos);
}
