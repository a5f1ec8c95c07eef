#include "ingest/query_pool.h"

#include "foodtrace/ingest/protocol.h"
#include "ingest/envelope.h"
#include "ingest/limits.h"
#include "ingest/log.h"

namespace foodtrace::ingest {

QueryPool::QueryPool(int threads, QueryHandler handler,
                     std::shared_ptr<CompletionQueue> completions)
    : handler_(std::move(handler)), completions_(std::move(completions)) {
  FT_CHECK(threads >= 1);
  for (int i = 0; i < threads; ++i) workers_.emplace_back([this] { Work(); });
}

QueryPool::~QueryPool() { Stop(); }

bool QueryPool::TrySubmit(QueryJob job) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (stopping_ || jobs_.size() >= kIngestQueryQueueMax)
      return false;
    jobs_.push_back(std::move(job));
  }
  wake_.notify_one();
  return true;
}

void QueryPool::Stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
    jobs_.clear();
  }
  wake_.notify_all();
  for (std::thread& worker : workers_) {
    if (worker.joinable())
      worker.join();
  }
}

void QueryPool::Work() {
  while (true) {
    QueryJob job;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
      if (stopping_)
        return;
      job = std::move(jobs_.front());
      jobs_.pop_front();
    }
    Completion completion;
    completion.routing_id = std::move(job.routing_id);
    completion.request_id = job.request_id;
    completion.reply = Answer(job);
    completions_->Push(std::move(completion));
  }
}

v1::Reply QueryPool::Answer(const QueryJob& job) const {
  Result<std::string> json = UnsupportedQuery(job.query.kind());
  if (handler_) {
    try {
      json = handler_(job.party_id, job.query);
    } catch (const std::exception& error) {
      // A handler bug must not take the gateway down; the caller gets INTERNAL.
      LogError("query " + v1::Query::Kind_Name(job.query.kind()) + " by " + job.party_id +
               " threw: " + error.what());
      json = Status::Internal(std::string("the query failed: ") + error.what());
    }
  }
  if (!json.ok()) {
    return ErrorReply(job.request_id, json.status().reason(), json.status().message());
  }
  if (json->size() > kIngestReplyJsonBytesMax) {
    return ErrorReply(job.request_id, kErrorReplyTooLarge,
                      "the answer is " + std::to_string(json->size()) + " bytes, more than " +
                          std::to_string(kIngestReplyJsonBytesMax) +
                          ": narrow the query (a shorter date range, or a limit)");
  }
  v1::Reply reply;
  reply.set_request_id(job.request_id);
  if (job.query.format() == v1::Query::PROTOBUF) {
    reply.set_answer(std::move(json).value());
  } else {
    reply.set_json(std::move(json).value());
  }
  return reply;
}

}  // namespace foodtrace::ingest
