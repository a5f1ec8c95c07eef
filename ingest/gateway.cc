// Gateway: start, stop, and the ROUTER thread. Socket and frame layouts: gateway_impl.h and
// envelope.h; the protocol as a whole: docs/protocol.md.
#include "foodtrace/ingest/gateway.h"

#include <chrono>

#include "foodtrace/ingest/protocol.h"
#include "ingest/envelope.h"
#include "ingest/gateway_impl.h"
#include "ingest/limits.h"
#include "ingest/log.h"
#include "ingest/zap.h"

namespace foodtrace::ingest {
namespace {

std::int64_t SteadyNowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace

// --- Gateway -------------------------------------------------------------------------------

Gateway::Gateway(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Gateway::~Gateway() { Stop(); }

Result<std::unique_ptr<Gateway>> Gateway::Start(ledger::Ledger* ledger, GatewayOptions options) {
  FT_CHECK(ledger != nullptr);
  auto impl = std::make_unique<Impl>(ledger, std::move(options));
  FT_RETURN_IF_ERROR(impl->Start());
  return std::unique_ptr<Gateway>(new Gateway(std::move(impl)));
}

const std::string& Gateway::endpoint() const { return impl_->endpoint(); }
const std::string& Gateway::server_public_key() const { return impl_->server_public_key(); }
GatewayStats Gateway::stats() const { return impl_->stats(); }

void Gateway::Stop() { impl_->Stop(); }

// --- start and stop ------------------------------------------------------------------------

Gateway::Impl::Impl(ledger::Ledger* ledger, GatewayOptions options)
    : ledger_(ledger), options_(std::move(options)) {}

Gateway::Impl::~Impl() { Stop(); }

Status Gateway::Impl::CheckOptions() {
  auto public_key = CurvePublicKey(options_.server_secret_key);
  if (!public_key.ok()) {
    return Status::Invalid("GATEWAY_OPTIONS",
                           "server_secret_key: " + public_key.status().message());
  }
  server_public_key_ = std::move(public_key).value();
  if (!IsCurveKeyZ85(options_.operator_public_key)) {
    return Status::Invalid("GATEWAY_OPTIONS",
                           "operator_public_key must be a 40-character Z85 CURVE key");
  }
  if (options_.endpoint.empty() || options_.endpoint.size() > kEndpointBytesMax) {
    return Status::Invalid("GATEWAY_OPTIONS", "endpoint must be a ZeroMQ endpoint such as " +
                                                  std::string(kDefaultEndpoint));
  }
  if (options_.query_threads <= 0)
    options_.query_threads = kIngestQueryThreads;
  return Status::Ok();
}

void Gateway::Impl::CreateSockets() {
  // The ZAP handler must be bound before the ROUTER exists: a CURVE server without one admits
  // every key.
  zap_ = zmq::socket_t(context_, zmq::socket_type::rep);
  zap_.set(zmq::sockopt::linger, 0);
  zap_.bind(kZapEndpoint);

  wake_ = zmq::socket_t(context_, zmq::socket_type::pull);
  wake_.set(zmq::sockopt::linger, 0);
  wake_.bind(kWakeEndpoint);
  completions_ = std::make_shared<CompletionQueue>(context_, kWakeEndpoint);

  router_ = zmq::socket_t(context_, zmq::socket_type::router);
  router_.set(zmq::sockopt::curve_server, true);
  router_.set(zmq::sockopt::curve_secretkey, options_.server_secret_key);
  router_.set(zmq::sockopt::zap_domain, "foodtrace");
  router_.set(zmq::sockopt::sndhwm, kIngestSocketHwmMessages);
  router_.set(zmq::sockopt::rcvhwm, kIngestSocketHwmMessages);
  router_.set(zmq::sockopt::maxmsgsize, kIngestSocketMessageBytesMax);
  router_.set(zmq::sockopt::linger, 0);
  router_.set(zmq::sockopt::router_mandatory, true);
  router_.set(zmq::sockopt::handshake_ivl, kIngestHandshakeTimeoutMs);
}

Status Gateway::Impl::Start() {
  FT_RETURN_IF_ERROR(CheckOptions());
  try {
    CreateSockets();
  } catch (const zmq::error_t& error) {
    return Status::Internal(std::string("cannot create the gateway's sockets: ") + error.what());
  }
  try {
    router_.bind(options_.endpoint);
    endpoint_ = router_.get(zmq::sockopt::last_endpoint);
  } catch (const zmq::error_t& error) {
    return Status::Unavailable(
        "cannot bind " + options_.endpoint + ": " + error.what() +
        (error.num() == EADDRINUSE ? " (is another foodtrace serve running on that port?)" : ""));
  }
  queries_ =
      std::make_unique<QueryPool>(options_.query_threads, options_.query_handler, completions_);
  ledger::Ledger* ledger = ledger_;
  KeyAuthenticator authenticate =
      [ledger, op = options_.operator_public_key](const std::string& key) -> Result<std::string> {
    if (key == op)
      return std::string(kOperatorPartyId);
    auto party = ledger->FindPartyByKey(key);
    if (!party.ok())
      return party.status();
    return party->party_id();
  };
  zap_thread_ = std::thread([this, authenticate = std::move(authenticate)] {
    RunZapHandler(zap_, authenticate, zap_stop_, counters_.handshakes_refused);
  });
  router_thread_ = std::thread([this] { RouterLoop(); });
  LogInfo("gateway listening on " + endpoint_ + " (CURVE server key " + server_public_key_ + ")");
  return Status::Ok();
}

void Gateway::Impl::Stop() {
  std::lock_guard<std::mutex> lock(stop_mutex_);
  if (stopped_)
    return;
  stopped_ = true;
  stopping_ = true;
  if (router_thread_.joinable()) {
    // Wake the ROUTER thread; it drains replies of writes still in the ledger, then exits.
    completions_->Push(Completion());
    router_thread_.join();
  }
  if (queries_)
    queries_->Stop();
  if (completions_)
    completions_->Close();
  zap_stop_ = true;
  context_.shutdown();  // ends the ZAP thread's poll with ETERM
  if (zap_thread_.joinable())
    zap_thread_.join();
  router_.close();
  wake_.close();
  zap_.close();
  context_.close();
  if (!endpoint_.empty())
    LogInfo("gateway on " + endpoint_ + " stopped");
}

GatewayStats Gateway::Impl::stats() const {
  GatewayStats s;
  s.requests = counters_.requests.load(std::memory_order_relaxed);
  s.items_submitted = counters_.items_submitted.load(std::memory_order_relaxed);
  s.replies_sent = counters_.replies_sent.load(std::memory_order_relaxed);
  s.replies_dropped = counters_.replies_dropped.load(std::memory_order_relaxed);
  s.bad_requests = counters_.bad_requests.load(std::memory_order_relaxed);
  s.busy = counters_.busy.load(std::memory_order_relaxed);
  s.handshakes_refused = counters_.handshakes_refused.load(std::memory_order_relaxed);
  s.queries = counters_.queries.load(std::memory_order_relaxed);
  return s;
}

// --- the ROUTER thread ---------------------------------------------------------------------

void Gateway::Impl::RouterLoop() {
  std::int64_t drain_deadline_ms = 0;
  try {
    while (true) {
      long timeout_ms = kIngestPollTimeoutMs;
      if (stopping_) {
        const std::int64_t now_ms = SteadyNowMs();
        if (drain_deadline_ms == 0)
          drain_deadline_ms = now_ms + kIngestShutdownDrainMs;
        if (inflight_ == 0 || now_ms >= drain_deadline_ms)
          break;
        timeout_ms =
            static_cast<long>(std::min<std::int64_t>(timeout_ms, drain_deadline_ms - now_ms));
      }
      zmq::pollitem_t items[] = {
          {router_.handle(), 0, static_cast<short>(stopping_ ? 0 : ZMQ_POLLIN), 0},
          {wake_.handle(), 0, ZMQ_POLLIN, 0}};
      zmq::poll(items, 2, std::chrono::milliseconds(timeout_ms));
      if ((items[1].revents & ZMQ_POLLIN) != 0) {
        // Read every wake-up frame before taking the queue (see completions.h).
        zmq::message_t wake;
        while (wake_.recv(wake, zmq::recv_flags::dontwait)) {
        }
      }
      DeliverCompletions();
      if ((items[0].revents & ZMQ_POLLIN) != 0)
        ReceiveRequests();
    }
  } catch (const zmq::error_t& error) {
    if (error.num() != ETERM)
      LogError(std::string("ROUTER thread stopped: ") + error.what());
  }
  if (inflight_ != 0) {
    LogWarning(std::to_string(inflight_.load()) +
               " replies were not sent before shutdown; those clients will retry and get "
               "DUPLICATE for anything committed");
  }
}

void Gateway::Impl::ReceiveRequests() {
  for (int i = 0; i < kIngestReceiveBurstMessages; ++i) {
    zmq::message_t routing_id;
    if (!router_.recv(routing_id, zmq::recv_flags::dontwait))
      return;
    if (!routing_id.more())
      continue;  // a ROUTER always delivers [routing id][frames…]
    zmq::message_t frame;
    if (!router_.recv(frame, zmq::recv_flags::dontwait))
      return;
    int extra_frames = 0;
    bool more = frame.more();
    while (more) {  // the parts of one message arrive together, so this never blocks
      zmq::message_t extra;
      if (!router_.recv(extra, zmq::recv_flags::dontwait))
        break;
      more = extra.more();
      ++extra_frames;
    }
    try {
      HandleFrame(routing_id.to_string(), frame, extra_frames);
    } catch (const zmq::error_t&) {
      throw;  // the socket itself failed (ETERM): leave the loop
    } catch (const std::exception& error) {
      // Never crash on input: whatever went wrong stays with this request.
      LogError(std::string("request dropped: ") + error.what());
    }
  }
}

void Gateway::Impl::HandleFrame(const std::string& routing_id, const zmq::message_t& frame,
                                int extra_frames) {
  ++counters_.requests;
  std::string party_id;
  try {
    // Set by our ZAP handler for the connection: the party of the client's CURVE key.
    party_id = const_cast<zmq::message_t&>(frame).gets("User-Id");
  } catch (const zmq::error_t&) {
  }
  if (party_id.empty()) {
    LogError("a message arrived without a ZAP User-Id; dropped");
    return;
  }
  const std::string_view bytes(frame.data<char>(), frame.size());
  if (extra_frames > 0) {
    LogWarning("refused a request from " + party_id +
               ": BAD_REQUEST: " + std::to_string(extra_frames + 1) + " frames");
    Refuse(routing_id, PeekRequestId(bytes), kErrorBadRequest,
           "a request is exactly one frame; this message had " + std::to_string(extra_frames + 1));
    return;
  }
  auto request = DecodeRequest(bytes);
  if (!request.ok()) {
    LogWarning("refused a request from " + party_id + ": " + request.status().reason() + ": " +
               request.status().message());
    Refuse(routing_id, PeekRequestId(bytes), request.status().reason().c_str(),
           request.status().message());
    return;
  }
  if (request->has_query()) {
    SubmitQuery(routing_id, party_id, std::move(request).value());
  } else {
    SubmitWrite(routing_id, party_id, std::move(request).value());
  }
}

void Gateway::Impl::Refuse(const std::string& routing_id, std::uint64_t request_id,
                           const char* code, const std::string& message) {
  if (std::string_view(code) == kErrorBusy) {
    ++counters_.busy;
  } else {
    ++counters_.bad_requests;
  }
  SendReply(routing_id, ErrorReply(request_id, code, message));
}

void Gateway::Impl::SubmitWrite(const std::string& routing_id, const std::string& party_id,
                                v1::Request request) {
  const std::uint64_t request_id = request.request_id();
  if (inflight_ >= kIngestInflightRequestsMax) {
    Refuse(routing_id, request_id, kErrorBusy,
           std::to_string(kIngestInflightRequestsMax) +
               " write requests are waiting for the ledger: retry shortly with the same ids");
    return;
  }
  ledger::WriteRequest write;
  write.recorded_by = party_id;
  write.items.reserve(static_cast<std::size_t>(request.items_size()));
  for (v1::Item& item : *request.mutable_items()) write.items.push_back(std::move(item));
  const std::size_t item_count = write.items.size();
  ++inflight_;
  std::shared_ptr<CompletionQueue> completions = completions_;
  const Status status = ledger_->Submit(
      std::move(write), [completions, routing_id, request_id](std::vector<v1::ItemResult> results) {
        // On the ledger's writer thread, after the batch is durable: hand over, return quickly.
        Completion completion;
        completion.routing_id = routing_id;
        completion.request_id = request_id;
        completion.is_write = true;
        completion.results = std::move(results);
        completions->Push(std::move(completion));
      });
  if (status.ok()) {
    counters_.items_submitted += item_count;
    return;
  }
  --inflight_;
  if (status.code() == Code::kResourceExhausted && status.reason() != kErrorBatchTooLarge) {
    Refuse(routing_id, request_id, kErrorBusy, status.message());
  } else if (status.code() == Code::kResourceExhausted) {
    Refuse(routing_id, request_id, kErrorBatchTooLarge, status.message());
  } else if (status.code() == Code::kUnavailable) {
    Refuse(routing_id, request_id, kErrorUnavailable, status.message());
  } else {
    LogError("the ledger refused a batch from " + party_id + ": " + status.ToString());
    Refuse(routing_id, request_id, kErrorInternal, status.message());
  }
}

void Gateway::Impl::SubmitQuery(const std::string& routing_id, const std::string& party_id,
                                v1::Request request) {
  ++counters_.queries;
  QueryJob job;
  job.routing_id = routing_id;
  job.request_id = request.request_id();
  job.party_id = party_id;
  job.query = std::move(*request.mutable_query());
  if (!queries_->TrySubmit(std::move(job))) {
    Refuse(routing_id, request.request_id(), kErrorBusy,
           std::to_string(kIngestQueryQueueMax) + " queries are waiting: retry shortly");
  }
}

void Gateway::Impl::DeliverCompletions() {
  for (Completion& completion : completions_->TakeAll()) {
    if (completion.routing_id.empty())
      continue;  // a bare wake-up (Stop)
    if (!completion.is_write) {
      SendReply(completion.routing_id, completion.reply);
      continue;
    }
    --inflight_;
    v1::Reply reply;
    reply.set_request_id(completion.request_id);
    reply.mutable_results()->Reserve(static_cast<int>(completion.results.size()));
    for (v1::ItemResult& result : completion.results) *reply.add_results() = std::move(result);
    SendReply(completion.routing_id, reply);
  }
}

void Gateway::Impl::SendReply(const std::string& routing_id, const v1::Reply& reply) {
  const std::string bytes = reply.SerializeAsString();
  try {
    // ROUTER_MANDATORY: an unknown routing id fails with EHOSTUNREACH instead of vanishing.
    if (!router_.send(zmq::buffer(routing_id),
                      zmq::send_flags::sndmore | zmq::send_flags::dontwait)) {
      ++counters_.replies_dropped;
      LogWarning("reply " + std::to_string(reply.request_id()) +
                 " dropped: the client is not reading (its queue is full)");
      return;
    }
    (void)router_.send(zmq::buffer(bytes), zmq::send_flags::dontwait);
    ++counters_.replies_sent;
  } catch (const zmq::error_t& error) {
    if (error.num() == ETERM)
      throw;
    ++counters_.replies_dropped;
    if (error.num() == EHOSTUNREACH) {
      LogWarning("reply " + std::to_string(reply.request_id()) +
                 " dropped: the client disconnected (it will retry and get DUPLICATE)");
    } else {
      LogError("reply " + std::to_string(reply.request_id()) + " not sent: " + error.what());
    }
  }
}

}  // namespace foodtrace::ingest
