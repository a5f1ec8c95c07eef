// Gateway internals: the sockets, threads and counters behind gateway.h.
//
// Sockets, all in one zmq::context_t owned by the gateway:
//   ROUTER  options.endpoint (tcp)          [routing id][Request] in, [routing id][Reply] out
//   REP     inproc://zeromq.zap.01          libzmq's ZAP requests (zap.h), on the ZAP thread
//   PULL    inproc://foodtrace.ingest.wake  empty wake-up frames from CompletionQueue's PUSH
// The ROUTER and PULL are used only by the ROUTER thread; the REP only by the ZAP thread.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <zmq.hpp>

#include "foodtrace/ingest/gateway.h"
#include "ingest/completions.h"
#include "ingest/query_pool.h"

namespace foodtrace::ingest {

inline constexpr char kWakeEndpoint[] = "inproc://foodtrace.ingest.wake";

class Gateway::Impl {
 public:
  Impl(ledger::Ledger* ledger, GatewayOptions options);
  ~Impl();

  // Creates and binds the sockets, then starts the threads. Errors: see Gateway::Start.
  Status Start();
  void Stop();

  const std::string& endpoint() const { return endpoint_; }
  const std::string& server_public_key() const { return server_public_key_; }
  GatewayStats stats() const;

 private:
  struct Counters {
    std::atomic<std::uint64_t> requests{0};
    std::atomic<std::uint64_t> items_submitted{0};
    std::atomic<std::uint64_t> replies_sent{0};
    std::atomic<std::uint64_t> replies_dropped{0};
    std::atomic<std::uint64_t> bad_requests{0};
    std::atomic<std::uint64_t> busy{0};
    std::atomic<std::uint64_t> handshakes_refused{0};
    std::atomic<std::uint64_t> queries{0};
  };

  Status CheckOptions();
  void CreateSockets();  // throws zmq::error_t
  void RouterLoop();
  void ReceiveRequests();
  void HandleFrame(const std::string& routing_id, const zmq::message_t& frame, int extra_frames);
  void SubmitWrite(const std::string& routing_id, const std::string& party_id, v1::Request request);
  void SubmitQuery(const std::string& routing_id, const std::string& party_id, v1::Request request);
  void Refuse(const std::string& routing_id, std::uint64_t request_id, const char* code,
              const std::string& message);
  void DeliverCompletions();
  void SendReply(const std::string& routing_id, const v1::Reply& reply);

  ledger::Ledger* const ledger_;
  GatewayOptions options_;
  std::string endpoint_;
  std::string server_public_key_;

  // Declared first so it is destroyed last, after every socket.
  zmq::context_t context_{1};
  zmq::socket_t router_;
  zmq::socket_t wake_;
  zmq::socket_t zap_;
  std::shared_ptr<CompletionQueue> completions_;
  std::unique_ptr<QueryPool> queries_;

  std::thread router_thread_;
  std::thread zap_thread_;
  std::atomic<bool> stopping_{false};  // the ROUTER thread drains and exits
  std::atomic<bool> zap_stop_{false};
  std::mutex stop_mutex_;
  bool stopped_ = false;                  // Stop() ran; guarded by stop_mutex_
  std::atomic<std::size_t> inflight_{0};  // writes submitted to the ledger, not yet answered
  Counters counters_;
};

}  // namespace foodtrace::ingest
