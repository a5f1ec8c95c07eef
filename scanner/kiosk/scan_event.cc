#include "scanner/kiosk/scan_event.h"

#include <random>

#include "foodtrace/common/date.h"
#include "foodtrace/ingest/client.h"
#include "foodtrace/ingest/keys.h"

namespace foodtrace::scanner::kiosk {
namespace {

std::string RandomHex(int digits) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::random_device device;
  std::string out;
  for (int i = 0; i < digits; ++i) out += kHex[device() & 0xF];
  return out;
}

v1::Scan ScanOf(const ScanOutcome& outcome, const Verdict* verdict) {
  v1::Scan scan;
  scan.set_raw_code(outcome.code.text);
  scan.set_symbology(outcome.code.symbology);
  scan.set_gtin(outcome.data.gtin);
  scan.set_lot(outcome.data.lot);
  scan.set_expires_on(outcome.data.expires_on);
  scan.set_produced_on(outcome.data.produced_on);
  scan.set_scanned_at_ms(NowMillis());
  if (verdict != nullptr)
    scan.set_verdict(VerdictName(verdict->code));
  return scan;
}

}  // namespace

Result<std::unique_ptr<ScanReporter>> ScanReporter::Create(const ScanReporterOptions& options) {
  if (options.timeout_ms < 1 || options.timeout_ms > kKioskHttpTimeoutMsMax ||
      options.retries_max < 0 || options.retries_max > kKioskSendRetriesMax) {
    return Status::Invalid(
        "INVALID_OPTION", "--send-timeout-ms must be 1.." + std::to_string(kKioskHttpTimeoutMsMax) +
                              " and --send-retries 0.." + std::to_string(kKioskSendRetriesMax));
  }
  Result<ingest::KeyFile> key = ingest::ReadKeyFile(options.key_path);
  if (!key.ok())
    return key.status();
  ingest::ClientOptions client_options;
  client_options.endpoint = options.endpoint;
  client_options.key = *key;
  client_options.timeout_ms = options.timeout_ms;
  client_options.retries_max = options.retries_max;
  Result<std::unique_ptr<ingest::Client>> client = ingest::Client::Connect(client_options);
  if (!client.ok())
    return client.status();
  return std::unique_ptr<ScanReporter>(new ScanReporter(key->party_id, std::move(client).value()));
}

ScanReporter::ScanReporter(std::string kiosk_id, std::unique_ptr<ingest::Client> client)
    : kiosk_id_(std::move(kiosk_id)), client_(std::move(client)), run_id_(RandomHex(12)) {}

ScanReporter::~ScanReporter() = default;

const std::string& ScanReporter::endpoint() const { return client_->endpoint(); }

std::string ScanReporter::NextEventId() {
  return "scan-" + run_id_ + "-" + std::to_string(++sent_);
}

Status ScanReporter::Report(const ScanOutcome& outcome, const Verdict* verdict) {
  FT_CHECK(outcome.error.ok());
  v1::Item item;
  *item.mutable_scan() = ScanOf(outcome, verdict);
  item.mutable_scan()->set_event_id(NextEventId());
  item.mutable_scan()->set_kiosk_id(kiosk_id_);
  std::vector<v1::Item> items;
  items.push_back(std::move(item));
  Result<std::vector<v1::ItemResult>> results = client_->Submit(std::move(items));
  if (!results.ok())
    return results.status();
  if (results->size() != 1)
    return Status::Internal("the gateway answered " + std::to_string(results->size()) +
                            " results for one scan");
  const v1::ItemResult& r = results->front();
  if (r.status() == v1::ItemResult::REJECTED)
    return Status::Invalid(r.code(), "the ledger refused the scan: " + r.message());
  return Status::Ok();
}

}  // namespace foodtrace::scanner::kiosk
