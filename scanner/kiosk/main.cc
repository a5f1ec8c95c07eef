// foodtrace-scan: the kiosk program. Flags and wiring only; decoding and parsing live in
// scan.h, presentation in output.h, verdicts (online, later) behind verdict.h.
//
//   foodtrace-scan --json --offline IMAGE_OR_CODE...   one JSON object per input per line
//   foodtrace-scan --offline -                         inputs are lines typed on stdin
//
// Exit status: 0 when every input was handled (an unreadable code is an answer, not a
// failure); 2 for usage errors.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include "scanner/kiosk/output.h"
#include "scanner/kiosk/scan.h"
#include "scanner/limits.h"

namespace {

using foodtrace::scanner::kiosk::ScanOptions;

constexpr int kUsageError = 2;

void Handle(const std::string& input, const ScanOptions& options, bool json) {
  const foodtrace::scanner::kiosk::ScanOutcome outcome =
      foodtrace::scanner::kiosk::Scan(input, options);
  // Offline: no verdict source. The online kiosk looks `outcome.data` up here.
  const foodtrace::scanner::kiosk::Verdict* verdict = nullptr;
  if (json) {
    std::cout << foodtrace::scanner::kiosk::FormatJson(outcome, verdict) << '\n';
  } else {
    std::cout << foodtrace::scanner::kiosk::FormatText(outcome, verdict);
  }
  std::cout.flush();  // a kiosk screen or a pipe reader sees each answer at once
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "foodtrace-scan: reads GS1 barcodes from photos or scanner input and shows what "
      "they say.\nAn input is an image file (PNG/JPEG) if such a file exists, else "
      "the code's text; '-' reads one input per line from stdin."};
  bool json = false;
  bool offline = false;
  std::string portal;
  std::string key_file;
  int timeout_ms = foodtrace::scanner::kScanDecodeTimeoutMsDefault;
  std::vector<std::string> inputs;
  app.add_flag("--json", json, "print one JSON object per input per line");
  app.add_flag("--offline", offline, "decode and parse only; no lookup");
  app.add_option("--portal", portal, "portal base URL for verdicts (not available yet)");
  app.add_option("--key", key_file, "kiosk key file for the portal (not available yet)");
  app.add_option("--timeout-ms", timeout_ms, "time budget per image")
      ->check(CLI::Range(1, foodtrace::scanner::kScanDecodeTimeoutMsMax));
  app.add_option("inputs", inputs, "image files, code texts, or '-' for stdin")->required();
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : kUsageError;
  }
  if (!portal.empty() && !offline) {
    std::cerr << "foodtrace-scan: the portal lookup (--portal) is not available in this build; "
                 "run with --offline\n";
    return kUsageError;
  }
  ScanOptions options;
  options.decode.timeout_ms = timeout_ms;
  for (const std::string& input : inputs) {
    if (input != "-") {
      Handle(input, options, json);
      continue;
    }
    std::string line;
    while (std::getline(std::cin, line)) {
      if (line.size() > foodtrace::scanner::kScanCodeBytesMax)
        line.resize(foodtrace::scanner::kScanCodeBytesMax + 1);
      if (line.find_first_not_of(" \t\r") == std::string::npos)
        continue;
      Handle(line, options, json);
    }
  }
  return 0;
}
