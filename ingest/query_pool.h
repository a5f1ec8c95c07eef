// The gateway's query workers: a bounded job queue served by a few threads, so a slow query
// (a long ledger, a deep trace) never stalls the ROUTER thread and the writes behind it.
// Each answer goes back to the ROUTER thread through the CompletionQueue. Thread-safe.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "foodtrace/ingest/gateway.h"
#include "ingest/completions.h"

namespace foodtrace::ingest {

struct QueryJob {
  std::string routing_id;
  std::uint64_t request_id = 0;
  std::string party_id;  // the authenticated caller
  v1::Query query;
};

class QueryPool {
 public:
  // Starts `threads` workers (≥ 1). An empty `handler` answers QUERY_KIND_UNSUPPORTED.
  QueryPool(int threads, QueryHandler handler, std::shared_ptr<CompletionQueue> completions);
  ~QueryPool();  // Stop()
  QueryPool(const QueryPool&) = delete;
  QueryPool& operator=(const QueryPool&) = delete;

  // Queues `job`; false when kIngestQueryQueueMax jobs are waiting or the pool is stopping.
  bool TrySubmit(QueryJob job);
  // Drops waiting jobs, lets running ones finish, joins the workers. Idempotent.
  void Stop();

 private:
  void Work();
  v1::Reply Answer(const QueryJob& job) const;

  const QueryHandler handler_;
  const std::shared_ptr<CompletionQueue> completions_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<QueryJob> jobs_;
  bool stopping_ = false;
  std::vector<std::thread> workers_;
};

}  // namespace foodtrace::ingest
