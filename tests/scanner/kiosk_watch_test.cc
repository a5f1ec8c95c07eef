// Proves `foodtrace-scan --watch DIR`: the real binary reads each image file finished in or moved
// into DIR (one JSON line each, at once), ignores files already there, dotfiles and other names,
// answers a corrupt image with an error object and carries on, and exits 0 on SIGTERM/SIGINT.
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "scanner/kiosk/output.h"
#include "scanner/kiosk/scan.h"
#include "scanner/kiosk/watch_dir.h"
#include "scanner/testing/barcode_images.h"
#include "support/process.h"

namespace foodtrace::scanner {
namespace {

using ::foodtrace::testing::ChildProcess;
using nlohmann::json;

const std::string kBinary = std::string(FOODTRACE_BINARY_DIR) + "/scanner/foodtrace-scan";
// Generous for a loaded machine; every wait ends as soon as its line arrives.
constexpr int kLineTimeoutMs = 30'000;

// A fresh directory with "in" (the watched one) and "stage" (where files are written before they
// are renamed into "in", as a camera app does), removed at the end.
struct DropFolder {
  std::string root;
  DropFolder() {
    char dir_template[] = "/tmp/foodtrace-watch-XXXXXX";
    REQUIRE(mkdtemp(dir_template) != nullptr);
    root = dir_template;
    std::filesystem::create_directory(in());
    std::filesystem::create_directory(root + "/stage");
  }
  ~DropFolder() {
    std::error_code ignored;  // best effort: a leftover temp directory fails nothing
    std::filesystem::remove_all(root, ignored);
  }
  std::string in() const { return root + "/in"; }

  // Writes `bytes` under "stage", then renames it to in/NAME (one IN_MOVED_TO, never half a file).
  std::string Drop(const std::string& name, const std::string& bytes) const {
    const std::string staged = root + "/stage/" + name;
    std::ofstream(staged, std::ios::binary) << bytes;
    const std::string path = in() + "/" + name;
    REQUIRE(std::rename(staged.c_str(), path.c_str()) == 0);
    return path;
  }

  // Writes in/NAME in place (one IN_CLOSE_WRITE when the stream closes).
  std::string WriteInPlace(const std::string& name, const std::string& bytes) const {
    const std::string path = in() + "/" + name;
    std::ofstream(path, std::ios::binary) << bytes;
    return path;
  }
};

// A PNG photo of a GS1 DataMatrix label for GTIN 09501101530003 and `lot`.
std::string LabelPng(const std::string& lot) {
  auto symbol = testing::RenderZint(testing::ZintSymbol::kGs1DataMatrix,
                                    "[01]09501101530003[17]270630[10]" + lot, 5);
  REQUIRE(symbol.ok());
  return testing::EncodePng(testing::Centered(*symbol, 480, 360));
}

// Starts the kiosk on `dir` and returns once it said it is watching (on stderr).
std::unique_ptr<ChildProcess> StartWatching(const std::string& dir,
                                            std::vector<std::string> extra = {}) {
  std::vector<std::string> args = {kBinary, "--json", "--offline", "--watch", dir};
  args.insert(args.end(), extra.begin(), extra.end());
  auto kiosk = std::make_unique<ChildProcess>(args);
  REQUIRE(kiosk->WaitForLine(/*from_stderr=*/true, "watching ", kLineTimeoutMs));
  return kiosk;
}

json NextResult(ChildProcess& kiosk) {
  bool ended = false;
  const std::string line = kiosk.ReadLine(/*from_stderr=*/false, kLineTimeoutMs, &ended);
  REQUIRE_FALSE(ended);
  INFO(line);
  return json::parse(line);
}

TEST_CASE("new photos in a watched directory are read as they arrive, others ignored, SIGTERM ends",
          "[scanner][kiosk][watch]") {
  DropFolder folder;
  folder.WriteInPlace("before-start.png", LabelPng("OLD-1"));
  auto kiosk = StartWatching(folder.in());

  // Moved in, upper-case extension: read, with the exact fields.
  const std::string first = folder.Drop("pack-1.PNG", LabelPng("LOT-W1"));
  json result = NextResult(*kiosk);
  CHECK(result["input"] == first);
  CHECK(result["gtin"] == "09501101530003");
  CHECK(result["lot"] == "LOT-W1");
  CHECK(result["expires_on"] == "2027-06-30");

  // Ignored names come first: had any been read, its line would come before the corrupt one's.
  folder.Drop("notes.txt", "01095011015300031727063010LOT-TXT");
  folder.Drop(".pack-hidden.png", LabelPng("LOT-HIDDEN"));
  folder.Drop("pack.png.part", LabelPng("LOT-PART"));
  std::filesystem::create_directory(folder.root + "/stage/album.jpg");
  std::filesystem::rename(folder.root + "/stage/album.jpg", folder.in() + "/album.jpg");
  const std::string broken = folder.Drop("broken.png", "\x89PNG\r\n\x1A\nnot really");
  result = NextResult(*kiosk);
  CHECK(result["input"] == broken);
  CHECK(result["reason"] == "IMAGE_CORRUPT");
  CHECK_FALSE(result.contains("gtin"));
  CHECK(kiosk->Running());

  // Written in place (closed after writing), as JPEG: still read after the error.
  const std::string second = folder.WriteInPlace(
      "pack-2.jpeg",
      testing::EncodeJpeg(testing::Centered(testing::RenderZint(testing::ZintSymbol::kGs1DataMatrix,
                                                                "[01]09501101530003[10]LOT-W2", 6)
                                                .value(),
                                            480, 360),
                          90));
  result = NextResult(*kiosk);
  CHECK(result["input"] == second);
  CHECK(result["lot"] == "LOT-W2");

  CHECK(kiosk->Stop(SIGTERM, kLineTimeoutMs) == 0);
  bool ended = false;
  CHECK(kiosk->ReadLine(/*from_stderr=*/false, kLineTimeoutMs, &ended).empty());
  CHECK(ended);  // nothing else was printed: not the file from before the start
}

TEST_CASE("photos already in the directory are read first with --watch-existing, SIGINT ends",
          "[scanner][kiosk][watch]") {
  DropFolder folder;
  const std::string b = folder.WriteInPlace("b.png", LabelPng("LOT-B"));
  const std::string a = folder.WriteInPlace("a.jpg", "not a jpeg at all");
  folder.WriteInPlace("c.txt", "ignored");
  auto kiosk = StartWatching(folder.in() + "/", {"--watch-existing"});
  json result = NextResult(*kiosk);
  CHECK(result["input"] == a);
  CHECK(result["reason"] == "IMAGE_FORMAT");
  result = NextResult(*kiosk);
  CHECK(result["input"] == b);
  CHECK(result["lot"] == "LOT-B");
  const std::string c = folder.Drop("c.png", LabelPng("LOT-C"));
  CHECK(NextResult(*kiosk)["input"] == c);
  CHECK(kiosk->Stop(SIGINT, kLineTimeoutMs) == 0);
}

TEST_CASE("a watched directory that is deleted ends the watch with exit status 1",
          "[scanner][kiosk][watch]") {
  DropFolder folder;
  auto kiosk = StartWatching(folder.in());
  std::filesystem::remove(folder.in());
  CHECK(kiosk->Wait(kLineTimeoutMs) == 1);
}

TEST_CASE("watch usage errors exit 2: no such directory, a file, inputs as well",
          "[scanner][kiosk][watch]") {
  using ::foodtrace::testing::RunCommand;
  DropFolder folder;
  CHECK(RunCommand({kBinary, "--offline", "--watch", folder.root + "/missing"}).exit_code == 2);
  const std::string file = folder.WriteInPlace("x.png", "x");
  CHECK(RunCommand({kBinary, "--offline", "--watch", file}).exit_code == 2);
  CHECK(RunCommand({kBinary, "--offline", "--watch", folder.in(), "4006381333931"}).exit_code == 2);
  CHECK(RunCommand({kBinary, "--offline", "--watch-existing", "4006381333931"}).exit_code == 2);
  const auto help = RunCommand({kBinary, "--help"});
  CHECK(help.exit_code == 0);
  CHECK(help.out.find("--watch-existing") != std::string::npos);
}

TEST_CASE("an image file that is gone before it is read is an error object, not code text",
          "[scanner][kiosk][watch]") {
  kiosk::ScanOptions options;
  const kiosk::ScanOutcome gone = kiosk::ScanImageFile("/tmp/foodtrace-no-such-photo.png", options);
  CHECK(gone.from_image);
  CHECK(gone.error.reason() == "IMAGE_FILE_GONE");
  const json j = json::parse(kiosk::FormatJson(gone, nullptr));
  CHECK(j["reason"] == "IMAGE_FILE_GONE");
  CHECK(j["input"] == "/tmp/foodtrace-no-such-photo.png");
}

TEST_CASE("the watch takes .png/.jpg/.jpeg in any case and skips dotfiles",
          "[scanner][kiosk][watch]") {
  for (const char* name : {"a.png", "B.PNG", "c.Jpg", "d.jpeg", "e.JPEG", "x.y.png"})
    CHECK(kiosk::IsWatchedImageName(name));
  for (const char* name : {".a.png", ".png", "a.png.part", "a.txt", "png", "a.pngx", "", "a."})
    CHECK_FALSE(kiosk::IsWatchedImageName(name));
}

}  // namespace
}  // namespace foodtrace::scanner
