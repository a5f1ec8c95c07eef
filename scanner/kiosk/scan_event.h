// Scan events: every code the kiosk read is recorded in the ledger as a v1::Scan
// (proto/foodtrace/v1/records.proto), sent through the ingest gateway with the ingest client
// library (CurveZMQ, the kiosk party's key file). The alert engine raises RECALLED_SCANNED,
// in the kiosk's market, when the lot is recalled. Retries with backoff are the client
// library's; a send that still fails is an error value, never a reason to hide a verdict.
//
// Not thread-safe (one ingest client): one ScanReporter per thread.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "foodtrace/common/status.h"
#include "scanner/kiosk/scan.h"
#include "scanner/kiosk/verdict.h"
#include "scanner/limits.h"

namespace foodtrace::ingest {
class Client;
}

namespace foodtrace::scanner::kiosk {

struct ScanReporterOptions {
  // The kiosk's key file, as `foodtrace party add --kind kiosk --key-out FILE` wrote it.
  std::string key_path;
  // The gateway; empty: the key file's server_endpoint (else tcp://127.0.0.1:7400).
  std::string endpoint;
  int timeout_ms = kKioskSendTimeoutMsDefault;  // per attempt, 1..kKioskHttpTimeoutMsMax
  int retries_max = kKioskSendRetriesDefault;   // 0..kKioskSendRetriesMax
};

class ScanReporter {
 public:
  // Reads the key file and prepares the client; does not wait for the gateway.
  // Errors: those of ingest::ReadKeyFile (NOT_FOUND, KEY_FILE_PERMISSIONS, KEY_FILE_FORMAT, IO)
  // and ingest::Client::Connect (CLIENT_OPTIONS: a bad endpoint), INVALID_OPTION.
  static Result<std::unique_ptr<ScanReporter>> Create(const ScanReporterOptions& options);
  ~ScanReporter();
  ScanReporter(const ScanReporter&) = delete;
  ScanReporter& operator=(const ScanReporter&) = delete;

  // Records one scan: requires outcome.error.ok(). `verdict` may be null (no lookup).
  // Returns once the ledger made it durable (ACCEPTED, or DUPLICATE of an earlier send).
  // Errors: the ledger's rejection (its code and message), or the client's UNAVAILABLE /
  // KEY_REFUSED / … when the gateway cannot be reached or refuses the key.
  Status Report(const ScanOutcome& outcome, const Verdict* verdict);

  const std::string& kiosk_id() const { return kiosk_id_; }
  const std::string& endpoint() const;

 private:
  ScanReporter(std::string kiosk_id, std::unique_ptr<ingest::Client> client);
  std::string NextEventId();

  std::string kiosk_id_;
  std::unique_ptr<ingest::Client> client_;
  std::string run_id_;      // random, so two runs of one kiosk never reuse an event id
  std::uint64_t sent_ = 0;  // scans of this run
};

}  // namespace foodtrace::scanner::kiosk
