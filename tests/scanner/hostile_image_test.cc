// Proves decoding survives any image: a hostile set (garbage behind real signatures, lying
// headers, truncation, extreme sizes, blank and noise images, mutated barcodes, and a real
// photo on which Debian's zxing-cpp 1.4 aborts) yields codes or clear errors, a crashed or hung
// worker is reported and replaced, and the caller's process carries on.
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <csignal>
#include <cstdio>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "foodtrace/scanner/scanner.h"
#include "scanner/testing/barcode_images.h"

namespace foodtrace::scanner {
namespace {

using testing::Image;
using testing::ZintSymbol;

const std::string kAbortPhoto =
    std::string(FOODTRACE_SOURCE_DIR) + "/tests/data/scanner/hostile/databar_overlap_abort.png";

std::uint32_t Crc32(std::string_view bytes) {
  std::uint32_t crc = 0xFFFFFFFFu;
  for (char c : bytes) {
    crc ^= static_cast<std::uint8_t>(c);
    for (int k = 0; k < 8; ++k) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
  }
  return ~crc;
}

void PutBigEndian(std::uint32_t v, std::size_t at, std::string* out) {
  for (int i = 0; i < 4; ++i) (*out)[at + i] = static_cast<char>((v >> (24 - 8 * i)) & 0xFF);
}

// A small PNG whose IHDR claims width × height (with a correct CRC, so libpng believes it).
std::string PngClaiming(std::uint32_t width, std::uint32_t height) {
  std::string png = testing::EncodePng(testing::Blank(8, 8));
  PutBigEndian(width, 16, &png);  // 8 signature + 4 length + 4 "IHDR"
  PutBigEndian(height, 20, &png);
  PutBigEndian(Crc32(std::string_view(png).substr(12, 17)), 29, &png);
  return png;
}

// A JPEG whose SOF0 claims 65000 × 65000 pixels.
std::string JpegClaimingHuge() {
  std::string jpeg = testing::EncodeJpeg(testing::Blank(16, 16), 80);
  const std::size_t sof = jpeg.find("\xFF\xC0");
  REQUIRE(sof != std::string::npos);
  jpeg[sof + 5] = jpeg[sof + 7] = static_cast<char>(0xFD);
  jpeg[sof + 6] = jpeg[sof + 8] = static_cast<char>(0xE8);
  return jpeg;
}

std::string RandomBytes(std::size_t n, std::uint32_t seed, std::string prefix) {
  std::mt19937 rng(seed);
  while (prefix.size() < n) prefix.push_back(static_cast<char>(rng() & 0xFF));
  return prefix;
}

struct Hostile {
  std::string name;
  std::string bytes;
};

std::vector<Hostile> HostileSet() {
  std::vector<Hostile> set;
  const std::string png_signature("\x89PNG\r\n\x1A\n", 8);
  set.push_back({"random bytes behind a PNG signature", RandomBytes(4000, 1, png_signature)});
  set.push_back({"random bytes behind a JPEG signature", RandomBytes(4000, 2, "\xFF\xD8\xFF")});
  set.push_back({"PNG header claiming 100000 x 100000", PngClaiming(100000, 100000)});
  set.push_back({"PNG header claiming 0 x 0", PngClaiming(0, 0)});
  set.push_back({"PNG header claiming 16383 x 16383", PngClaiming(16383, 16383)});
  set.push_back({"JPEG header claiming 65000 x 65000", JpegClaimingHuge()});
  const Image dm = testing::Centered(
      testing::RenderZint(ZintSymbol::kGs1DataMatrix, "[01]09501101530003[10]L1", 6).value(), 400,
      400);
  const std::string dm_jpeg = testing::EncodeJpeg(dm, 80);
  const std::string dm_png = testing::EncodePng(dm);
  set.push_back({"truncated JPEG", dm_jpeg.substr(0, dm_jpeg.size() * 2 / 3)});
  set.push_back({"JPEG cut after its header", dm_jpeg.substr(0, 200)});
  set.push_back({"truncated PNG", dm_png.substr(0, dm_png.size() / 2)});
  set.push_back({"1 x 1 PNG", testing::EncodePng(testing::Blank(1, 1))});
  set.push_back({"1 x 1 JPEG", testing::EncodeJpeg(testing::Blank(1, 1, 0), 90)});
  set.push_back({"all black 1920 x 1080", testing::EncodePng(testing::Blank(1920, 1080, 0))});
  set.push_back({"all white 1920 x 1080", testing::EncodeJpeg(testing::Blank(1920, 1080), 90)});
  Image noise = testing::Blank(1280, 720);
  testing::AddNoise(127, 5, &noise);
  set.push_back({"full-range noise", testing::EncodePng(noise)});
  Image stripes = testing::Blank(64, 8);
  for (int x = 0; x < 64; ++x) {
    for (int y = 0; y < 8; ++y)
      stripes.gray[static_cast<std::size_t>(y * 64 + x)] = (x / 2) % 3 == 0 ? 0 : 255;
  }
  set.push_back({"tiny bar-like stripes", testing::EncodePng(stripes)});
  Image checker = testing::Blank(21, 21);
  for (int i = 0; i < 21 * 21; ++i)
    checker.gray[static_cast<std::size_t>(i)] = ((i % 21) + (i / 21)) % 2 ? 0 : 255;
  set.push_back({"tiny QR-sized checkerboard", testing::EncodePng(checker)});
  std::mt19937 rng(9);
  for (int i = 0; i < 24; ++i) {  // bit flips in real barcode files
    std::string mutated = i % 2 ? dm_jpeg : dm_png;
    for (int k = 0; k < 1 + i; ++k)
      mutated[20 + rng() % (mutated.size() - 20)] ^= static_cast<char>(1 << (rng() % 8));
    set.push_back({"mutated barcode file #" + std::to_string(i), mutated});
  }
  set.push_back({"DataBar photo that aborts zxing-cpp 1.4", testing::ReadFileBytes(kAbortPhoto)});
  return set;
}

const std::set<std::string> kExpectedReasons = {"IMAGE_TOO_LARGE", "IMAGE_FORMAT", "IMAGE_CORRUPT",
                                                "NO_CODE_FOUND", "DECODER_CRASHED"};

std::string GoodPhoto() {
  return testing::EncodePng(testing::Centered(
      testing::RenderZint(ZintSymbol::kGs1Qr, "[01]09501101530003[10]AFTER", 5).value(), 640, 480));
}

void CheckGoodPhotoDecodes(const DecodeOptions& options) {
  Result<std::vector<DecodedCode>> codes = DecodeImage(GoodPhoto(), options);
  INFO(codes.status().ToString());
  REQUIRE(codes.ok());
  REQUIRE(codes->size() == 1);
  CHECK((*codes)[0].text ==
        "0109501101530003"
        "10AFTER");
}

TEST_CASE("every hostile image gets codes or a clear error, and decoding carries on",
          "[scanner][hostile]") {
  REQUIRE(testing::ReadFileBytes(kAbortPhoto).size() > 1000);
  for (Isolation isolation : {Isolation::kWorkerProcess, Isolation::kChildPerImage}) {
    DecodeOptions options;
    options.isolation = isolation;
    for (const Hostile& h : HostileSet()) {
      INFO(h.name << " (" << h.bytes.size() << " bytes), isolation "
                  << static_cast<int>(isolation));
      Result<std::vector<DecodedCode>> codes = DecodeImage(h.bytes, options);
      if (codes.ok()) {
        CHECK_FALSE(codes->empty());
        continue;
      }
      INFO(codes.status().ToString());
      CHECK(kExpectedReasons.count(codes.status().reason()) == 1);
      CHECK(codes.status().message().size() > 20);
    }
    CheckGoodPhotoDecodes(options);
  }
}

TEST_CASE("the photo really aborts zxing-cpp 1.4 when decoded in-process", "[scanner][hostile]") {
  // Run the unsupervised path in a throwaway child: it must die by SIGABRT, or this hostile
  // set would prove nothing.
  const std::string photo = testing::ReadFileBytes(kAbortPhoto);
  REQUIRE_FALSE(photo.empty());
  const pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    std::signal(SIGABRT, SIG_DFL);  // not Catch's handler: just die
    if (std::freopen("/dev/null", "w", stderr) == nullptr)
      _exit(2);  // keep the log clean
    DecodeOptions options;
    options.isolation = Isolation::kInProcess;
    IgnoreStatus(DecodeImage(photo, options).status());  // unreachable if zxing-cpp aborts
    _exit(0);
  }
  int status = 0;
  REQUIRE(waitpid(pid, &status, 0) == pid);
  REQUIRE(WIFSIGNALED(status));
  CHECK(WTERMSIG(status) == SIGABRT);
}

TEST_CASE(
    "a worker that aborts costs one DECODER_CRASHED naming the signal, then the next "
    "photo decodes",
    "[scanner][hostile]") {
  for (int round = 0; round < 3; ++round) {
    Result<std::vector<DecodedCode>> crashed = DecodeImage(testing::ReadFileBytes(kAbortPhoto));
    REQUIRE_FALSE(crashed.ok());
    INFO(crashed.status().ToString());
    CHECK(crashed.status().reason() == "DECODER_CRASHED");
    CHECK(crashed.status().code() == Code::kInternal);
    CHECK(crashed.status().message().find("signal 6") != std::string::npos);
    CHECK(crashed.status().message().find("Assertion") != std::string::npos);
    CheckGoodPhotoDecodes(DecodeOptions{});
  }
  // Without the harder search the faulty zxing-cpp path is not reached at all.
  DecodeOptions fast;
  fast.try_harder = false;
  Result<std::vector<DecodedCode>> quick = DecodeImage(testing::ReadFileBytes(kAbortPhoto), fast);
  CHECK(quick.status().reason() == "NO_CODE_FOUND");
}

TEST_CASE("a decode over its time budget is killed as DECODER_TIMEOUT and the next one works",
          "[scanner][hostile]") {
  Image noise = testing::Blank(1920, 1080);
  testing::AddNoise(60, 8, &noise);
  const std::string slow = testing::EncodePng(noise);
  for (Isolation isolation : {Isolation::kWorkerProcess, Isolation::kChildPerImage}) {
    DecodeOptions options;
    options.isolation = isolation;
    options.timeout_ms = 5;
    Result<std::vector<DecodedCode>> codes = DecodeImage(slow, options);
    REQUIRE_FALSE(codes.ok());
    CHECK(codes.status().reason() == "DECODER_TIMEOUT");
    CHECK(codes.status().code() == Code::kDeadlineExceeded);
    options.timeout_ms = 3000;
    CheckGoodPhotoDecodes(options);
  }
}

TEST_CASE("concurrent callers share the worker pool and each get their own codes",
          "[scanner][hostile]") {
  constexpr int kThreads = 8;
  std::vector<std::string> photos;
  for (int i = 0; i < kThreads; ++i) {
    photos.push_back(testing::EncodePng(
        testing::Centered(testing::RenderZint(ZintSymbol::kGs1DataMatrix,
                                              "[01]09501101530003[10]T" + std::to_string(i), 5)
                              .value(),
                          480, 360)));
  }
  const std::string abort_photo = testing::ReadFileBytes(kAbortPhoto);
  std::vector<std::string> results(kThreads);
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      for (int round = 0; round < 3; ++round) {
        if (i == 0) {  // one caller keeps crashing its worker meanwhile
          IgnoreStatus(DecodeImage(abort_photo).status());  // the crash is the point here
          continue;
        }
        Result<std::vector<DecodedCode>> codes = DecodeImage(photos[static_cast<std::size_t>(i)]);
        results[static_cast<std::size_t>(i)] +=
            codes.ok() && codes->size() == 1 ? (*codes)[0].text + ";" : "error;";
      }
    });
  }
  for (std::thread& t : threads) t.join();
  for (int i = 1; i < kThreads; ++i) {
    const std::string text =
        "0109501101530003"
        "10T" +
        std::to_string(i) + ";";
    CHECK(results[static_cast<std::size_t>(i)] == text + text + text);
  }
}

}  // namespace
}  // namespace foodtrace::scanner
