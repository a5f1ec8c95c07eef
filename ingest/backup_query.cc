// BackupQueries (gateway.h): the operator's BACKUP of the running server's data directory.
#include <chrono>
#include <mutex>
#include <nlohmann/json.hpp>

#include "foodtrace/ingest/gateway.h"
#include "foodtrace/ingest/keys.h"
#include "foodtrace/ledger/backup.h"

namespace foodtrace::ingest {

QueryHandler BackupQueries(const ledger::Ledger* ledger, std::string data_dir) {
  auto one_at_a_time = std::make_shared<std::mutex>();  // backups queue instead of racing
  return [ledger, data_dir = std::move(data_dir), one_at_a_time](const std::string& party_id,
                                                                  const v1::Query& query) -> Result<std::string> {
    if (query.kind() != v1::Query::BACKUP) return UnsupportedQuery(query.kind());
    if (party_id != kOperatorPartyId) {
      return Status::Denied("PERMISSION_DENIED", "only the operator (DATA/keys/operator.key) may take a backup");
    }
    if (query.id().empty()) {
      return Status::Invalid("MISSING_PARAMETER", "BACKUP needs the destination directory in `id`");
    }
    std::lock_guard<std::mutex> lock(*one_at_a_time);
    const auto start = std::chrono::steady_clock::now();
    auto report = ledger::BackupDataDirectory(*ledger, data_dir, query.id());
    if (!report.ok()) return report.status();
    nlohmann::json answer = {
        {"destination", query.id()}, {"records", report->records}, {"heads", report->heads},
        {"created_at_ms", report->created_at_ms},
        {"took_ms", std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count()}};
    answer["last_head"] =
        report->last_head ? nlohmann::json::parse(ledger::HeadToJson(*report->last_head)) : nlohmann::json();
    return answer.dump();
  };
}

}  // namespace foodtrace::ingest
