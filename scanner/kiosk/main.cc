// foodtrace-scan: the kiosk program. Flags and wiring only; decoding and parsing live in
// scan.h, presentation in output.h, verdicts in portal_verdict.h, Scan events in scan_event.h.
//
//   foodtrace-scan --portal URL --key FILE IMAGE_OR_CODE...   verdicts, Scan events recorded
//   foodtrace-scan --json --offline IMAGE_OR_CODE...          one JSON object per input per line
//   foodtrace-scan --offline -                                inputs are lines typed on stdin
//   foodtrace-scan --json --offline --watch DIR               every new image file in DIR, until
//                                                             SIGINT/SIGTERM (watch_dir.h)
//
// Exit status: 0 when every input was handled (an unreadable code, an unreachable portal or a
// Scan event that could not be sent is an answer, not a failure), and when a watch was stopped
// by SIGINT/SIGTERM; 1 when the watched directory went away; 2 for usage and configuration
// errors (unknown flags, no inputs, a bad --portal URL, an unreadable key file, a --watch DIR
// that cannot be watched).
#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "scanner/kiosk/output.h"
#include "scanner/kiosk/portal_verdict.h"
#include "scanner/kiosk/scan.h"
#include "scanner/kiosk/scan_event.h"
#include "scanner/kiosk/watch_dir.h"
#include "scanner/limits.h"

namespace {

namespace kiosk = foodtrace::scanner::kiosk;
namespace scanner = foodtrace::scanner;

constexpr int kWatchLost = 1;
constexpr int kUsageError = 2;

struct Flags {
  bool json = false;
  bool offline = false;
  std::string portal;
  std::string key_file;
  std::string server;
  std::string cache;
  int timeout_ms = scanner::kScanDecodeTimeoutMsDefault;
  int connect_timeout_ms = scanner::kKioskConnectTimeoutMsDefault;
  int lookup_timeout_ms = scanner::kKioskLookupTimeoutMsDefault;
  int send_timeout_ms = scanner::kKioskSendTimeoutMsDefault;
  int send_retries = scanner::kKioskSendRetriesDefault;
  std::string watch_dir;
  bool watch_existing = false;
  std::vector<std::string> inputs;
};

// What handling one input needs: the offline half always, the online half when configured.
struct Kiosk {
  kiosk::ScanOptions options;
  bool json = false;
  std::unique_ptr<kiosk::PortalVerdictSource> verdicts;  // null: no lookup
  std::unique_ptr<kiosk::ScanReporter> reporter;         // null: no Scan events
};

void Warn(std::string_view message) { std::cerr << "foodtrace-scan: " << message << '\n'; }

void Handle(const kiosk::ScanOutcome& outcome, Kiosk& k) {
  std::optional<kiosk::Verdict> verdict;
  if (outcome.error.ok() && k.verdicts) {
    foodtrace::Result<kiosk::Verdict> looked_up = k.verdicts->Lookup(outcome.data);
    if (looked_up.ok()) {
      verdict = std::move(looked_up).value();
    } else {
      Warn("no verdict: " + looked_up.status().message());
    }
  }
  const kiosk::Verdict* shown = verdict ? &*verdict : nullptr;
  std::cout << (k.json ? kiosk::FormatJson(outcome, shown) + "\n"
                       : kiosk::FormatText(outcome, shown));
  std::cout.flush();  // the consumer sees the verdict before anything slow happens
  if (outcome.error.ok() && k.reporter) {
    if (foodtrace::Status s = k.reporter->Report(outcome, shown); !s.ok())
      Warn("the scan was not recorded at " + k.reporter->endpoint() + ": " + s.message());
  }
  if (k.verdicts)
    k.verdicts->RefreshRecallsIfDue();
}

// Next to the key file (one cache per kiosk identity); without a key file under
// $XDG_CACHE_HOME (or ~/.cache); "" when there is nowhere sensible.
std::string DefaultCachePath(const std::string& key_file) {
  if (!key_file.empty())
    return key_file + ".recalls.json";
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg != nullptr && *xdg != '\0')
    return std::string(xdg) + "/foodtrace/kiosk-recalls.json";
  if (const char* home = std::getenv("HOME"); home != nullptr && *home != '\0')
    return std::string(home) + "/.cache/foodtrace/kiosk-recalls.json";
  return "";
}

// The online half, as the flags ask. Errors: a bad --portal URL or timeout, an unusable key.
foodtrace::Status GoOnline(const Flags& f, Kiosk* k) {
  if (f.offline)
    return foodtrace::Status::Ok();
  if (!f.portal.empty()) {
    kiosk::PortalVerdictOptions o;
    o.portal.base_url = f.portal;
    o.portal.connect_timeout_ms = f.connect_timeout_ms;
    o.portal.timeout_ms = f.lookup_timeout_ms;
    o.cache_path = f.cache.empty() ? DefaultCachePath(f.key_file) : f.cache;
    o.warn = Warn;
    auto verdicts = kiosk::PortalVerdictSource::Create(std::move(o));
    if (!verdicts.ok())
      return verdicts.status();
    k->verdicts = std::move(verdicts).value();
  }
  if (!f.key_file.empty()) {
    kiosk::ScanReporterOptions o;
    o.key_path = f.key_file;
    o.endpoint = f.server;
    o.timeout_ms = f.send_timeout_ms;
    o.retries_max = f.send_retries;
    auto reporter = kiosk::ScanReporter::Create(o);
    if (!reporter.ok())
      return reporter.status();
    k->reporter = std::move(reporter).value();
  } else if (k->verdicts) {
    Warn("no --key: scans are looked up but not recorded (no Scan events, no RECALLED_SCANNED)");
  }
  return foodtrace::Status::Ok();
}

void AddFlags(CLI::App& app, Flags& f) {
  app.add_flag("--json", f.json, "print one JSON object per input per line");
  app.add_flag("--offline", f.offline,
               "decode and parse only: no portal lookup, no Scan events, no verdict");
  app.add_option("--portal", f.portal,
                 "portal base URL, e.g. http://127.0.0.1:8080: look every code up and print the "
                 "verdict (ok, near expiry, expired, recalled, failed test, unknown)");
  app.add_option("--key", f.key_file,
                 "the kiosk's key file (foodtrace party add --kind kiosk --key-out FILE): record "
                 "every code read as a Scan event through the ingest gateway");
  app.add_option("--server", f.server,
                 "ingest gateway for Scan events (default: the key file's server_endpoint, "
                 "else tcp://127.0.0.1:7400)");
  app.add_option("--cache", f.cache,
                 "recall-list cache, refreshed whenever the portal answers and used to flag "
                 "recalled goods while it cannot be reached (default: KEY_FILE.recalls.json, "
                 "or $XDG_CACHE_HOME/foodtrace/kiosk-recalls.json without --key)");
  app.add_option("--timeout-ms", f.timeout_ms, "time budget per image")
      ->check(CLI::Range(1, scanner::kScanDecodeTimeoutMsMax))
      ->capture_default_str();
  app.add_option("--connect-timeout-ms", f.connect_timeout_ms, "time to connect to the portal")
      ->check(CLI::Range(1, scanner::kKioskHttpTimeoutMsMax))
      ->capture_default_str();
  app.add_option("--lookup-timeout-ms", f.lookup_timeout_ms, "time for one portal request")
      ->check(CLI::Range(1, scanner::kKioskHttpTimeoutMsMax))
      ->capture_default_str();
  app.add_option("--send-timeout-ms", f.send_timeout_ms,
                 "time one attempt to send a Scan event waits for the gateway")
      ->check(CLI::Range(1, scanner::kKioskHttpTimeoutMsMax))
      ->capture_default_str();
  app.add_option("--send-retries", f.send_retries, "extra attempts to send a Scan event")
      ->check(CLI::Range(0, scanner::kKioskSendRetriesMax))
      ->capture_default_str();
  CLI::Option* inputs =
      app.add_option("inputs", f.inputs, "image files, code texts, or '-' for stdin");
  CLI::Option* watch =
      app.add_option("--watch", f.watch_dir,
                     "watch DIR: read every image file (.png, .jpg, .jpeg) a camera or scanner "
                     "app finishes writing into DIR or moves there, one result per file, until "
                     "Ctrl-C or SIGTERM (exit 0). Files already in DIR when it starts are not "
                     "read (see --watch-existing); dotfiles and other names are ignored")
          ->excludes(inputs);
  app.add_flag("--watch-existing", f.watch_existing,
               "with --watch: first read the image files already in DIR, in name order")
      ->needs(watch);
}

// The inputs named on the command line, '-' reading one per line from stdin.
void HandleInputs(const std::vector<std::string>& inputs, Kiosk& k) {
  for (const std::string& input : inputs) {
    if (input != "-") {
      Handle(kiosk::Scan(input, k.options), k);
      continue;
    }
    std::string line;
    while (std::getline(std::cin, line)) {
      if (line.size() > scanner::kScanCodeBytesMax)
        line.resize(scanner::kScanCodeBytesMax + 1);
      if (line.find_first_not_of(" \t\r") == std::string::npos)
        continue;
      Handle(kiosk::Scan(line, k.options), k);
    }
  }
}

// Before anything starts a thread (see DirectoryWatch::Open). Null, and a message, on error.
std::unique_ptr<kiosk::DirectoryWatch> OpenWatch(const Flags& f) {
  kiosk::WatchOptions o;
  o.dir = f.watch_dir;
  o.existing = f.watch_existing;
  o.warn = Warn;
  auto watch = kiosk::DirectoryWatch::Open(std::move(o));
  if (!watch.ok()) {
    Warn(watch.status().message());
    return nullptr;
  }
  return std::move(watch).value();
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "foodtrace-scan: reads GS1 barcodes from photos or scanner input and shows what "
      "they say.\nAn input is an image file (PNG/JPEG) if such a file exists, else "
      "the code's text; '-' reads one input per line from stdin; --watch DIR reads every "
      "image file dropped into DIR from then on.\nWith --portal it prints "
      "the verdict; when the portal cannot be reached it says so (离线 / OFFLINE) and still "
      "flags recalled goods from the cached recall list."};
  Flags flags;
  AddFlags(app, flags);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : kUsageError;
  }
  if (flags.inputs.empty() && flags.watch_dir.empty()) {
    Warn("give image files, code texts, '-' or --watch DIR (see --help)");
    return kUsageError;
  }
  std::unique_ptr<kiosk::DirectoryWatch> watch;
  if (!flags.watch_dir.empty() && (watch = OpenWatch(flags)) == nullptr)
    return kUsageError;
  Kiosk k;
  k.json = flags.json;
  k.options.decode.timeout_ms = flags.timeout_ms;
  if (foodtrace::Status s = GoOnline(flags, &k); !s.ok()) {
    Warn(s.message());
    return kUsageError;
  }
  if (!watch) {
    HandleInputs(flags.inputs, k);
    return 0;
  }
  // Tells a person, and a program driving the kiosk, that files dropped from now on are read.
  Warn("watching " + watch->dir() + " for new images; Ctrl-C to stop");
  const foodtrace::Status s = watch->Run(
      [&k](const std::string& path) { Handle(kiosk::ScanImageFile(path, k.options), k); });
  if (!s.ok()) {
    Warn(s.message());
    return kWatchLost;
  }
  return 0;
}
