// bench_compare: the two systems under test behind one interface, so both get the same
// workload, the same writers and the same questions.
//
//   foodtrace   a real `foodtrace serve` child process; one CURVE ZeroMQ client per market
//               (the market's own key, recording for its vendors and wholesalers); questions
//               through the real query path (ingest Client::Query: TRACE_DOWN, RECALL_IMPACT,
//               EXPIRING, LEDGER) as the operator, answered as Protobuf answer messages (or JSON
//               with --foodtrace-json).
//   PostgreSQL  a server the caller started (scripts/bench-compare); libpq; one connection per
//               market writing each batch as one transaction of multi-row INSERTs and upserts
//               (synchronous_commit = on); questions as SQL (a recursive CTE for trace down).
//
// Not thread-safe, except that MakeSink may be called from the loader threads.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "bench/compare/workload.h"
#include "foodtrace/common/status.h"

namespace foodtrace::bench::compare {

class System {
 public:
  virtual ~System() = default;
  virtual std::string name() const = 0;
  // Registers markets, wholesalers and vendors (untimed setup).
  virtual Status Register() = 0;
  // A durable writer for one market (nullptr after printing why, on failure).
  virtual std::unique_ptr<Sink> MakeSink(int market) = 0;
  // Untimed work after the load that the system needs before answering (ANALYZE).
  virtual Status AfterLoad() { return Status::Ok(); }
  // Each question returns the number of rows in its answer.
  // Everyone who received the lot downstream of its first receipt (edges of the flow graph).
  virtual Result<std::uint64_t> TraceDown(std::uint64_t lot) = 0;
  // Who still holds the lot and how much (on hand + shipped-to but unconfirmed > 0).
  virtual Result<std::uint64_t> RecallImpact(std::uint64_t lot) = 0;
  // Holdings (on hand > 0) of the market's parties whose lot expires in [from, from+days].
  virtual Result<std::uint64_t> Expiring(int market, Date from, int days) = 0;
  // The party's ledger lines with occurred_on in [from, to].
  virtual Result<std::uint64_t> PartyLedger(int party, Date from, Date to) = 0;
  // Bytes on disk of the system's data after the load.
  virtual std::uint64_t DiskBytes() = 0;
  // Peak resident memory of the server process so far (0 when not known).
  virtual std::uint64_t PeakRssBytes() { return 0; }
};

// Starts `binary serve` on a fresh data directory `dir` (loopback, port chosen by the kernel,
// clock sweeps off so only ingest and its streaming rules run). `json_answers` asks the
// questions for JSON answers instead of answer messages. Errors: IO, UNAVAILABLE.
Result<std::unique_ptr<System>> StartFoodtrace(const Workload* workload, const std::string& binary,
                                               const std::string& dir, bool json_answers);

// Connects to PostgreSQL at `conninfo` (libpq syntax), drops and creates the schema.
// `data_dir` is the cluster's directory, for DiskBytes. Errors: UNAVAILABLE, IO.
Result<std::unique_ptr<System>> ConnectPostgres(const Workload* workload,
                                                const std::string& conninfo,
                                                const std::string& data_dir);

std::uint64_t DirectoryBytes(const std::string& dir);

}  // namespace foodtrace::bench::compare
