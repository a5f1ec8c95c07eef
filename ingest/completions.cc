#include "ingest/completions.h"

#include "ingest/log.h"

namespace foodtrace::ingest {

CompletionQueue::CompletionQueue(zmq::context_t& context, const std::string& wake_endpoint)
    : wake_(context, zmq::socket_type::push) {
  // At most one wake-up frame is outstanding (wake_pending_), so a small HWM never blocks.
  wake_.set(zmq::sockopt::sndhwm, 16);
  wake_.set(zmq::sockopt::linger, 0);
  wake_.connect(wake_endpoint);
}

void CompletionQueue::Push(Completion completion) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (closed_)
    return;  // the gateway stopped; the client's retry will get DUPLICATE
  queue_.push_back(std::move(completion));
  if (wake_pending_)
    return;
  wake_pending_ = true;
  try {
    // A full pipe means a wake-up is already waiting to be read: nothing is lost.
    (void)wake_.send(zmq::message_t(), zmq::send_flags::dontwait);
  } catch (const zmq::error_t& error) {
    LogError(std::string("cannot wake the ROUTER thread: ") + error.what());
  }
}

std::vector<Completion> CompletionQueue::TakeAll() {
  std::lock_guard<std::mutex> lock(mutex_);
  wake_pending_ = false;
  std::vector<Completion> taken;
  taken.swap(queue_);
  return taken;
}

void CompletionQueue::Close() {
  std::lock_guard<std::mutex> lock(mutex_);
  closed_ = true;
  queue_.clear();
  wake_.close();
}

}  // namespace foodtrace::ingest
