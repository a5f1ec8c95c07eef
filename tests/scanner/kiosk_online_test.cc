// Proves the online kiosk against a real `foodtrace serve` (real HTTP portal, real ZeroMQ
// ingest over loopback TCP): a recalled lot read from a photo prints the recall verdict and its
// Scan event raises RECALLED_SCANNED in the kiosk's market; a fine lot prints ok; with the server
// stopped the kiosk says it is offline and still flags the recalled lot from its recall cache; a
// kiosk watching a folder (--watch) answers and records a photo dropped into it the same way.
#include <signal.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "foodtrace/scanner/scanner.h"
#include "scanner/kiosk/portal_verdict.h"
#include "scanner/kiosk/recall_cache.h"
#include "scanner/testing/barcode_images.h"
#include "tests/integration/alerts_support.h"

namespace foodtrace::testing {
namespace {

using nlohmann::json;
namespace images = ::foodtrace::scanner::testing;
namespace kiosk = ::foodtrace::scanner::kiosk;

const std::string kKiosk = std::string(FOODTRACE_BINARY_DIR) + "/scanner/foodtrace-scan";

// A market M1 with vendor V1 holding two lots of one product, a regulator R, and kiosk K1 in
// M1 registered with `foodtrace party add --kind kiosk` (its key file as the CLI writes it).
// Lot "L-RC" is recalled (recall RC-K1), lot "L-OK" is fine. Photos of both lots' GS1
// DataMatrix labels are written as PNG files.
struct KioskMarket {
  AlertServer s;
  std::string regulator_key;
  std::string kiosk_key;
  std::string cache;
  const std::string gtin = Gtin(777);

  KioskMarket() {
    s.Record({PartyItem("M1", v1::Party::MARKET), PartyItem("V1", v1::Party::VENDOR, "M1")});
    regulator_key = s.Register(PartyItem("R", v1::Party::REGULATOR));
    kiosk_key = s.dir.sub("K1.key");
    cache = s.dir.sub("K1.recalls.json");
    CommandResult added =
        RunCommand({FoodtraceBinary(), "party", "add", "--data", s.dir.sub("data"), "--server",
                    s.ingest(), "--id", "K1", "--kind", "kiosk", "--name", "农贸市场查询机 1",
                    "--market", "M1", "--key-out", kiosk_key});
    INFO(added.err);
    REQUIRE(added.exit_code == 0);
    for (const char* lot : {"L-RC", "L-OK"}) {
      s.Record({EntryOf(
          "V1", Entry(v1::LedgerEntry::RECEIVE, std::string("rx-") + lot, Lot(gtin, lot), 10))});
    }
    s.Cli({"recall", "issue", "--key", regulator_key, "--id", "RC-K1", "--gtin", gtin, "--lot",
           "L-RC", "--level", "I", "--reason", "沙门氏菌超标", "--json"});
  }

  std::string portal() const { return s.server->endpoint("http"); }

  // A photo of the lot's GS1 DataMatrix label (production 2026-10-01, expiry 2027-06-30).
  std::string Photo(const std::string& lot) const {
    auto symbol = images::RenderZint(images::ZintSymbol::kGs1DataMatrix,
                                     "[01]" + gtin + "[11]261001[17]270630[10]" + lot, 6);
    REQUIRE(symbol.ok());
    const std::string path = s.dir.sub(lot + ".png");
    std::ofstream(path, std::ios::binary) << images::EncodePng(images::Centered(*symbol, 640, 480));
    return path;
  }

  // Runs the online kiosk on `inputs` with `extra` flags.
  CommandResult Scan(std::vector<std::string> inputs, std::vector<std::string> extra = {}) const {
    std::vector<std::string> args = {kKiosk,     "--portal", portal(),  "--key", kiosk_key,
                                     "--server", s.ingest(), "--cache", cache};
    args.insert(args.end(), extra.begin(), extra.end());
    args.insert(args.end(), inputs.begin(), inputs.end());
    return RunCommand(args);
  }

  json ScannedAlerts() const {
    return s.Cli(
        {"alerts", "list", "--key", regulator_key, "--kind", "RECALLED_SCANNED", "--json"});
  }
};

std::vector<json> Lines(const std::string& out) {
  std::vector<json> lines;
  std::istringstream in(out);
  for (std::string line; std::getline(in, line);) lines.push_back(json::parse(line));
  return lines;
}

TEST_CASE(
    "the kiosk's recall cache survives a write and a read, and finds lots by name, cover and date",
    "[scanner][kiosk]") {
  TempDir dir;
  kiosk::RecallCache cache;
  cache.portal = "http://127.0.0.1:8080";
  cache.fetched_at_ms = 1795312800000;
  cache.recalls.push_back({"R-1",
                           "06901234567892",
                           {"L1"},
                           {"06901234567892|L1", "06901234567892|X9"},
                           "",
                           "",
                           "菌落总数超标"});
  cache.recalls.push_back({"R-2", "06901234567892", {}, {}, "2026-10-01", "2026-10-31", "range"});
  const std::string path = dir.sub("sub/dir/recalls.json");
  REQUIRE(kiosk::WriteRecallCache(path, cache).ok());
  auto read = kiosk::ReadRecallCache(path);
  REQUIRE(read.ok());
  CHECK(read->fetched_at_ms == 1795312800000);
  REQUIRE(read->recalls.size() == 2);
  CHECK(read->recalls[0].reason == "菌落总数超标");
  const auto* named = read->Find("06901234567892", "L1", "");
  REQUIRE(named != nullptr);
  CHECK(named->recall_id == "R-1");
  REQUIRE(read->Find("06901234567892", "X9", "") != nullptr);  // a transformed lot it covers
  CHECK(read->Find("06901234567892", "L2", "") == nullptr);
  CHECK(read->Find("06901234567892", "L2", "2026-11-01") == nullptr);
  const auto* dated = read->Find("06901234567892", "L2", "2026-10-15");
  REQUIRE(dated != nullptr);
  CHECK(dated->recall_id == "R-2");
  CHECK(read->Find("09501101530003", "L1", "2026-10-15") == nullptr);

  std::ofstream(path, std::ios::trunc) << "{\"format\": \"something else\"}";
  auto damaged = kiosk::ReadRecallCache(path);
  REQUIRE_FALSE(damaged.ok());
  CHECK(damaged.status().reason() == "RECALL_CACHE_FORMAT");
  CHECK(kiosk::ReadRecallCache(dir.sub("none.json")).status().code() == Code::kNotFound);
}

TEST_CASE("the kiosk's lookup code keeps GTIN, printed dates and lot, and parses back the same",
          "[scanner][kiosk]") {
  auto data =
      scanner::ParseCode("https://id.example.com/01/09501101530003/10/AB-1?17=270600&11=261001");
  REQUIRE(data.ok());
  const std::string code = kiosk::LookupCode(*data);
  CHECK(code ==
        "01095011015300031126100117270600"
        "10AB-1");
  auto again = scanner::ParseCode(code);
  REQUIRE(again.ok());
  CHECK(again->gtin == data->gtin);
  CHECK(again->lot == "AB-1");
  CHECK(again->expires_on == data->expires_on);
  auto sscc = scanner::ParseCode("00106141411234567897");
  REQUIRE(sscc.ok());
  CHECK(kiosk::LookupCode(*sscc).empty());
}

TEST_CASE("a kiosk scanning a photo of a recalled lot prints RECALLED and raises RECALLED_SCANNED",
          "[scanner][kiosk][integration]") {
  KioskMarket m;
  const std::string photo = m.Photo("L-RC");
  REQUIRE(m.ScannedAlerts().empty());

  const CommandResult text = m.Scan({photo});
  INFO(text.out);
  INFO(text.err);
  CHECK(text.exit_code == 0);
  CHECK(text.out.find("召回 / RECALLED") != std::string::npos);
  CHECK(text.out.find("不要食用") != std::string::npos);
  CHECK(text.out.find("recall RC-K1: 沙门氏菌超标") != std::string::npos);
  CHECK(text.out.find("产品 / Product: 纯牛奶") != std::string::npos);
  CHECK(text.out.find("保质期至 / Expires: 2027-06-30") != std::string::npos);
  CHECK(text.out.find("来源 / Origin: ") != std::string::npos);
  CHECK(text.out.find("商户 V1 (V1)") != std::string::npos);
  CHECK(text.out.find("OFFLINE") == std::string::npos);
  CHECK(text.err.find("not recorded") == std::string::npos);

  json alerts;
  CHECK(Eventually([&] { return (alerts = m.ScannedAlerts()).size() == 1; }));
  REQUIRE(alerts.size() == 1);
  CHECK(alerts[0]["party_id"] == "K1");
  CHECK(alerts[0]["market_id"] == "M1");
  CHECK(alerts[0]["lot"] == "L-RC");
  CHECK(alerts[0]["recall_id"] == "RC-K1");
  CHECK(alerts[0]["facts"]["kiosk_id"] == "K1");

  const CommandResult machine = m.Scan({photo}, {"--json"});
  const std::vector<json> lines = Lines(machine.out);
  REQUIRE(lines.size() == 1);
  CHECK(lines[0]["verdict"] == "recalled");
  CHECK(lines[0]["lot"] == "L-RC");
  CHECK(lines[0]["symbology"] == "DataMatrix");
  CHECK_FALSE(lines[0].contains("offline"));
}

TEST_CASE("a kiosk scanning a fine lot prints OK, in text and as \"verdict\":\"ok\"",
          "[scanner][kiosk][integration]") {
  KioskMarket m;
  const std::string photo = m.Photo("L-OK");
  const CommandResult text = m.Scan({photo});
  INFO(text.out);
  INFO(text.err);
  CHECK(text.exit_code == 0);
  CHECK(text.out.find("合格 / OK") != std::string::npos);
  CHECK(text.out.find("RECALLED") == std::string::npos);
  CHECK(text.err.find("not recorded") == std::string::npos);

  const CommandResult machine = m.Scan({photo, "(01)" + m.gtin + "(10)NO-SUCH-LOT"}, {"--json"});
  const std::vector<json> lines = Lines(machine.out);
  REQUIRE(lines.size() == 2);
  CHECK(lines[0]["verdict"] == "ok");
  CHECK(lines[0]["gtin"] == m.gtin);
  CHECK(lines[0]["lot"] == "L-OK");
  CHECK(lines[0]["expires_on"] == "2027-06-30");
  CHECK(lines[1]["verdict"] == "unknown");
  CHECK_FALSE(lines[1].contains("offline"));
  CHECK(m.ScannedAlerts().empty());  // scans of lots no recall covers raise nothing
}

TEST_CASE(
    "with the server stopped the kiosk says OFFLINE and flags the recalled lot from its cache",
    "[scanner][kiosk][integration]") {
  KioskMarket m;
  const std::string recalled = m.Photo("L-RC");
  const std::string fine = m.Photo("L-OK");
  // One online scan fills the recall cache.
  REQUIRE(m.Scan({fine}, {"--json"}).exit_code == 0);
  REQUIRE(std::filesystem::exists(m.cache));
  const json cached = json::parse(std::ifstream(m.cache));
  REQUIRE(cached["recalls"].size() == 1);
  CHECK(cached["recalls"][0]["recall_id"] == "RC-K1");

  m.s.server->Stop(SIGTERM);
  const std::vector<std::string> quick = {
      "--connect-timeout-ms", "1000", "--send-timeout-ms", "300", "--send-retries", "0"};
  CommandResult text = m.Scan({recalled, fine}, quick);
  INFO(text.out);
  INFO(text.err);
  CHECK(text.exit_code == 0);
  CHECK(text.out.find("离线 / OFFLINE") != std::string::npos);
  CHECK(text.out.find("召回 / RECALLED") != std::string::npos);
  CHECK(text.out.find("RC-K1: 沙门氏菌超标") != std::string::npos);
  CHECK(text.out.find("未知 / UNKNOWN") != std::string::npos);
  CHECK(text.out.find("合格") == std::string::npos);  // an offline kiosk never says OK
  CHECK(text.err.find("the scan was not recorded") != std::string::npos);

  std::vector<std::string> json_flags = quick;
  json_flags.push_back("--json");
  const CommandResult machine = m.Scan({recalled, fine}, json_flags);
  const std::vector<json> lines = Lines(machine.out);
  REQUIRE(lines.size() == 2);
  CHECK(lines[0]["verdict"] == "recalled");
  CHECK(lines[0]["offline"] == true);
  CHECK(lines[1]["verdict"] == "unknown");
  CHECK(lines[1]["offline"] == true);
  CHECK(lines[1]["gtin"] == m.gtin);
}

TEST_CASE("a kiosk watching a folder answers a recalled photo dropped there and records the scan",
          "[scanner][kiosk][integration]") {
  KioskMarket m;
  const std::string photo = m.Photo("L-RC");
  const std::string folder = m.s.dir.sub("drop");
  std::filesystem::create_directory(folder);
  ChildProcess watching({kKiosk, "--portal", m.portal(), "--key", m.kiosk_key, "--server",
                         m.s.ingest(), "--cache", m.cache, "--json", "--watch", folder});
  REQUIRE(watching.WaitForLine(/*from_stderr=*/true, "watching ", 30'000));
  // Renamed in, as a camera app does once the file is complete.
  const std::string dropped = folder + "/IMG_0001.JPG.png";
  REQUIRE(std::rename(photo.c_str(), dropped.c_str()) == 0);
  bool ended = false;
  const std::string line = watching.ReadLine(/*from_stderr=*/false, 30'000, &ended);
  INFO(line);
  REQUIRE_FALSE(ended);
  const json result = json::parse(line);
  CHECK(result["input"] == dropped);
  CHECK(result["verdict"] == "recalled");
  CHECK(result["lot"] == "L-RC");
  json alerts;
  CHECK(Eventually([&] { return (alerts = m.ScannedAlerts()).size() == 1; }));
  CHECK(watching.Stop(SIGTERM, 30'000) == 0);
}

}  // namespace
}  // namespace foodtrace::testing
