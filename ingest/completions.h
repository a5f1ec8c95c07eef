// The hand-off of finished work (ledger write results, query answers) from other threads to the
// gateway's ROUTER thread, which alone may touch the ROUTER socket.
//
// Producers (the ledger writer thread, query workers) Push() under a mutex; the first Push into
// an empty queue also sends one empty frame on an inproc PUSH socket (guarded by the same mutex)
// to wake the ROUTER thread, which polls the PULL end beside the ROUTER. The ROUTER thread first
// drains the wake-up frames, then TakeAll(), so no completion is ever left without a wake-up and
// at most one wake-up is outstanding.
//
// Shared (std::shared_ptr) with the callbacks the ledger holds, so a callback that runs after
// the gateway stopped finds a closed queue and drops its completion instead of touching freed
// memory. Thread-safe.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <vector>
#include <zmq.hpp>

#include "foodtrace/v1/wire.pb.h"

namespace foodtrace::ingest {

namespace v1 = ::foodtrace::v1;

struct Completion {
  std::string routing_id;  // the client's ROUTER routing id
  std::uint64_t request_id = 0;
  bool is_write = false;
  std::vector<v1::ItemResult> results;  // is_write: one per item
  v1::Reply reply;                      // !is_write: the complete reply
};

class CompletionQueue {
 public:
  // Connects the wake-up PUSH socket to `wake_endpoint` (an inproc PULL bound in `context`).
  // Throws zmq::error_t (caught by Gateway::Start).
  CompletionQueue(zmq::context_t& context, const std::string& wake_endpoint);

  // Queues `completion` and wakes the ROUTER thread; drops it after Close().
  void Push(Completion completion);
  // Everything queued, oldest first (ROUTER thread).
  std::vector<Completion> TakeAll();
  // Closes the wake-up socket; later Push()es drop their completion. Call before the context
  // is closed.
  void Close();

 private:
  std::mutex mutex_;
  zmq::socket_t wake_;
  std::vector<Completion> queue_;
  bool wake_pending_ = false;
  bool closed_ = false;
};

}  // namespace foodtrace::ingest
