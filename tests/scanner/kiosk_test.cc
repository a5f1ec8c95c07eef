// Proves the offline kiosk: `foodtrace-scan --json --offline IMAGE_OR_CODE...` prints one JSON
// object per input (fields, or an error object), reads typed codes from stdin with '-', exits 0
// even when codes are unreadable and non-zero only for usage errors, and prints a bilingual
// block without --json.
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "scanner/kiosk/output.h"
#include "scanner/kiosk/scan.h"
#include "scanner/limits.h"
#include "scanner/testing/barcode_images.h"

namespace foodtrace::scanner {
namespace {

using nlohmann::json;

const std::string kBinary = std::string(FOODTRACE_BINARY_DIR) + "/scanner/foodtrace-scan";

struct Run {
  int exit_status = -1;
  std::string out;
};

std::string Quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

// Runs the kiosk through /bin/sh with `args` (already quoted) and optional stdin text.
Run Kiosk(const std::string& args, const std::string& stdin_text = "") {
  char dir_template[] = "/tmp/foodtrace-kiosk-XXXXXX";
  REQUIRE(mkdtemp(dir_template) != nullptr);
  const std::string dir = dir_template;
  std::ofstream(dir + "/stdin", std::ios::binary) << stdin_text;
  const std::string command =
      Quote(kBinary) + " " + args + " < " + Quote(dir + "/stdin") + " 2>" + Quote(dir + "/stderr");
  Run run;
  FILE* pipe = popen(command.c_str(), "r");
  REQUIRE(pipe != nullptr);
  char buffer[4096];
  std::size_t n;
  while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) run.out.append(buffer, n);
  const int status = pclose(pipe);
  run.exit_status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  std::remove((dir + "/stdin").c_str());
  std::remove((dir + "/stderr").c_str());
  rmdir(dir.c_str());
  return run;
}

std::vector<json> Lines(const std::string& out) {
  std::vector<json> lines;
  std::istringstream in(out);
  std::string line;
  while (std::getline(in, line)) lines.push_back(json::parse(line));
  return lines;
}

std::string WriteTemp(const std::string& name, const std::string& bytes) {
  const std::string path = "/tmp/foodtrace-kiosk-test-" + std::to_string(getpid()) + "-" + name;
  std::ofstream(path, std::ios::binary) << bytes;
  return path;
}

TEST_CASE("kiosk --json --offline prints one object per input with the GS1 fields",
          "[scanner][kiosk]") {
  const std::string photo = WriteTemp(
      "dm.png", testing::EncodePng(testing::Centered(
                    testing::RenderZint(testing::ZintSymbol::kGs1DataMatrix,
                                        "[01]09501101530003[11]250110[17]260331[10]AB-123[21]S1", 5)
                        .value(),
                    640, 480)));
  const Run run = Kiosk("--json --offline " + Quote(photo) + " 4006381333931 " +
                        Quote("https://example.com/01/09501101530003/10/L1?15=270100"));
  std::remove(photo.c_str());
  CHECK(run.exit_status == 0);
  const std::vector<json> lines = Lines(run.out);
  REQUIRE(lines.size() == 3);
  const json& image = lines[0];
  CHECK(image["input"] == photo);
  CHECK(image["symbology"] == "DataMatrix");
  CHECK(image["text"] ==
        "0109501101530003"
        "11250110"
        "17260331"
        "10AB-123\x1D"
        "21S1");
  CHECK(image["gtin"] == "09501101530003");
  CHECK(image["lot"] == "AB-123");
  CHECK(image["serial"] == "S1");
  CHECK(image["produced_on"] == "2025-01-10");
  CHECK(image["expires_on"] == "2026-03-31");
  CHECK(image["best_before"].is_null());
  CHECK(image["ais"] == json{{"01", "09501101530003"},
                             {"11", "250110"},
                             {"17", "260331"},
                             {"10", "AB-123"},
                             {"21", "S1"}});
  CHECK(lines[1]["gtin"] == "04006381333931");
  CHECK(lines[1]["symbology"] == "text");
  CHECK(lines[1]["lot"].is_null());
  CHECK(lines[2]["lot"] == "L1");
  CHECK(lines[2]["best_before"] == "2027-01-31");
}

TEST_CASE("unreadable inputs become error objects and the exit status stays 0",
          "[scanner][kiosk]") {
  const std::string blank =
      WriteTemp("blank.jpg", testing::EncodeJpeg(testing::Blank(320, 240), 80));
  const std::string broken = WriteTemp("broken.png", "\x89PNG\r\n\x1A\nnot really");
  const std::string abort_photo =
      std::string(FOODTRACE_SOURCE_DIR) + "/tests/data/scanner/hostile/databar_overlap_abort.png";
  const Run run = Kiosk("--json --offline " + Quote(blank) + " " + Quote(broken) + " " +
                        Quote(abort_photo) + " 4006381333932 hello");
  std::remove(blank.c_str());
  std::remove(broken.c_str());
  CHECK(run.exit_status == 0);
  const std::vector<json> lines = Lines(run.out);
  REQUIRE(lines.size() == 5);
  const char* reasons[] = {"NO_CODE_FOUND", "IMAGE_CORRUPT", "DECODER_CRASHED", "GTIN_CHECK_DIGIT",
                           "CODE_UNRECOGNIZED"};
  for (std::size_t i = 0; i < lines.size(); ++i) {
    INFO(lines[i].dump());
    CHECK(lines[i]["reason"] == reasons[i]);
    CHECK(lines[i]["error"].get<std::string>().size() > 10);
    CHECK_FALSE(lines[i].contains("gtin"));
  }
}

TEST_CASE("'-' reads one typed code per line from stdin, skipping blank lines",
          "[scanner][kiosk]") {
  const Run run = Kiosk("--json --offline -", "]C1010950110153000317260331\r\n\n96385074\n");
  CHECK(run.exit_status == 0);
  const std::vector<json> lines = Lines(run.out);
  REQUIRE(lines.size() == 2);
  CHECK(lines[0]["symbology"] == "GS1-128");
  CHECK(lines[0]["expires_on"] == "2026-03-31");
  CHECK(lines[1]["gtin"] == "00000096385074");
}

TEST_CASE("usage errors exit non-zero, and --help exits 0", "[scanner][kiosk]") {
  CHECK(Kiosk("--json --offline").exit_status == 2);
  CHECK(Kiosk("--no-such-flag x").exit_status == 2);
  CHECK(Kiosk("--json --portal not-a-url 4006381333931").exit_status == 2);
  CHECK(Kiosk("--json --key /nonexistent/k1.key 4006381333931").exit_status == 2);
  const Run help = Kiosk("--help");
  CHECK(help.exit_status == 0);
  CHECK(help.out.find("--offline") != std::string::npos);
}

TEST_CASE("without --json the kiosk prints a bilingual block", "[scanner][kiosk]") {
  const Run run =
      Kiosk("--offline " + Quote("(01)09501101530003(11)250110(17)260331(10)AB-1") + " nonsense");
  CHECK(run.exit_status == 0);
  CHECK(run.out.find("产品 / Product GTIN: 09501101530003") != std::string::npos);
  CHECK(run.out.find("批号 / Lot: AB-1") != std::string::npos);
  CHECK(run.out.find("生产日期 / Produced: 2025-01-10") != std::string::npos);
  CHECK(run.out.find("保质期至 / Expires: 2026-03-31") != std::string::npos);
  CHECK(run.out.find("无法识别 / Not readable") != std::string::npos);
}

TEST_CASE("the richest of several codes in a photo is reported, the others listed",
          "[scanner][kiosk]") {
  testing::Image photo = testing::Blank(1200, 700);
  testing::Paste(testing::RenderZint(testing::ZintSymbol::kEan13, "950110153000", 3).value(), 60,
                 250, &photo);
  testing::Paste(
      testing::RenderZint(testing::ZintSymbol::kGs1Qr, "[01]09501101530003[10]LOT9[17]261231", 5)
          .value(),
      650, 200, &photo);
  kiosk::ScanOptions options;
  options.parse.current_year = 2026;
  const std::string path = WriteTemp("two.png", testing::EncodePng(photo));
  const kiosk::ScanOutcome outcome = kiosk::Scan(path, options);
  std::remove(path.c_str());
  INFO(outcome.error.ToString());
  REQUIRE(outcome.error.ok());
  CHECK(outcome.from_image);
  CHECK(outcome.code.symbology == "QRCode");
  CHECK(outcome.data.lot == "LOT9");
  REQUIRE(outcome.other_codes.size() == 1);
  CHECK(outcome.other_codes[0].symbology == "EAN-13");
  const json j = json::parse(kiosk::FormatJson(outcome, nullptr));
  CHECK(j["codes"].size() == 2);
  CHECK_FALSE(j.contains("verdict"));
  kiosk::Verdict recalled;
  recalled.code = kiosk::VerdictCode::kRecalled;
  recalled.detail = "Listeria found";
  CHECK(json::parse(kiosk::FormatJson(outcome, &recalled))["verdict"] == "recalled");
  CHECK(kiosk::FormatText(outcome, &recalled).find("召回 / RECALLED") != std::string::npos);
}

TEST_CASE("an image file over the byte limit and a directory get error objects",
          "[scanner][kiosk]") {
  std::string big = testing::EncodePng(testing::Blank(8, 8));
  big.resize(kScanImageBytesMax + 100, '\0');
  const std::string path = WriteTemp("big.png", big);
  kiosk::ScanOptions options;
  const kiosk::ScanOutcome too_big = kiosk::Scan(path, options);
  std::remove(path.c_str());
  CHECK(too_big.from_image);
  CHECK(too_big.error.reason() == "IMAGE_TOO_LARGE");
  const kiosk::ScanOutcome directory = kiosk::Scan("/tmp", options);
  CHECK(directory.error.reason() == "INPUT_IS_DIRECTORY");
}

TEST_CASE("typed text that is not valid UTF-8 still yields valid JSON", "[scanner][kiosk]") {
  kiosk::ScanOptions options;
  const kiosk::ScanOutcome outcome = kiosk::Scan("\xFF\xFE garbage", options);
  CHECK_FALSE(outcome.error.ok());
  CHECK_NOTHROW(json::parse(kiosk::FormatJson(outcome, nullptr)));
}

}  // namespace
}  // namespace foodtrace::scanner
