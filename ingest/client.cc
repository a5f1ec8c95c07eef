// Client (client.h): a CURVE DEALER with timeouts, retries of the same items, and a socket
// monitor that tells "the server refused this key" apart from "nobody answered".
//
// Sockets, in the client's own context:
//   DEALER  options.endpoint   [Request] out, [Reply] in (one frame each way)
//   PAIR    inproc://foodtrace.client.monitor.N   the DEALER's events (zmq_socket_monitor):
//           frame 1 = uint16 event + uint32 value, frame 2 = endpoint
// After a timeout the DEALER (and its monitor) is closed and a new one opened, so a late reply
// to an abandoned attempt can never be read as the answer to a new one; replies are also
// matched by request_id, and stale ones discarded.
#include "foodtrace/ingest/client.h"

#include <chrono>
#include <cstring>
#include <random>
#include <thread>
#include <zmq.hpp>

#include "foodtrace/ingest/protocol.h"
#include "ingest/limits.h"

namespace foodtrace::ingest {
namespace {

using Clock = std::chrono::steady_clock;

constexpr int kMonitorEvents = ZMQ_EVENT_HANDSHAKE_SUCCEEDED | ZMQ_EVENT_HANDSHAKE_FAILED_AUTH |
                               ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL |
                               ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL;
// ZAP status code (the monitor event's value) of a refused key; 500 is a server-side error.
constexpr std::uint32_t kZapRefused = 400;

Code CodeOfEnvelopeError(std::string_view error_code) {
  if (error_code == kErrorBadRequest)
    return Code::kInvalidArgument;
  if (error_code == kErrorRequestTooLarge || error_code == kErrorBatchTooLarge ||
      error_code == kErrorReplyTooLarge) {
    return Code::kResourceExhausted;
  }
  if (error_code == kErrorBusy || error_code == kErrorUnavailable)
    return Code::kUnavailable;
  if (error_code == kErrorInternal)
    return Code::kInternal;
  if (error_code == "PERMISSION_DENIED")
    return Code::kPermissionDenied;
  if (error_code == "UNKNOWN_PARTY")
    return Code::kUnauthenticated;
  if (error_code == "NOT_FOUND" || error_code == "QUERY_KIND_UNSUPPORTED")
    return Code::kNotFound;
  if (error_code.starts_with("INVALID") || error_code.starts_with("QUERY_")) {
    return Code::kInvalidArgument;
  }
  return Code::kFailedPrecondition;
}

// Encoded size of `item` inside a Request: tag (1 byte) + length varint (≤ 5) + bytes.
std::size_t ItemWireBytes(const v1::Item& item) { return item.ByteSizeLong() + 6; }
// request_id (≤ 11 bytes) and slack.
constexpr std::size_t kRequestOverheadBytes = 16;

}  // namespace

class Client::Impl {
 public:
  explicit Impl(ClientOptions options) : options_(std::move(options)) {
    std::random_device random;
    next_request_id_ = (static_cast<std::uint64_t>(random()) << 32 | random()) >> 1;
    if (next_request_id_ == 0)
      next_request_id_ = 1;
  }
  ~Impl() {
    CloseSocket();
    context_.close();
  }

  Status Open();
  Result<v1::Reply> Exchange(v1::Request request);
  Result<std::vector<v1::ItemResult>> SubmitBatch(std::vector<v1::Item>::iterator begin,
                                                  std::vector<v1::Item>::iterator end);
  const std::string& endpoint() const { return endpoint_; }

 private:
  enum class Wait { kReply, kBusy, kTimeout, kRefused };
  void OpenSocket();  // throws zmq::error_t
  void CloseSocket();
  Wait AwaitReply(std::uint64_t request_id, v1::Reply* reply);
  void ReadMonitor(bool* refused);
  void Backoff(int attempt);
  Status NoAnswer(int attempts, bool busy) const;

  ClientOptions options_;
  std::string endpoint_;
  zmq::context_t context_{1};
  zmq::socket_t socket_;
  zmq::socket_t monitor_;
  int monitor_generation_ = 0;
  std::uint64_t next_request_id_ = 1;
  bool handshake_succeeded_ = false;  // on any socket since the last success
  std::string handshake_problem_;     // the last handshake failure, for the error message
  std::mt19937 jitter_{std::random_device{}()};
};

Status Client::Impl::Open() {
  const KeyFile& key = options_.key;
  if (!IsCurveKeyZ85(key.public_key) || !IsCurveKeyZ85(key.secret_key) ||
      !IsCurveKeyZ85(key.server_public_key)) {
    return Status::Invalid("CLIENT_OPTIONS",
                           "the key file's public_key, secret_key and server_public_key must be "
                           "40-character Z85 CURVE keys");
  }
  if (options_.timeout_ms < 1) {
    return Status::Invalid("CLIENT_OPTIONS", "timeout_ms must be at least 1");
  }
  if (options_.retries_max < 0 || options_.retries_max > kClientRetriesMaxLimit) {
    return Status::Invalid("CLIENT_OPTIONS", "retries_max must be in [0, " +
                                                 std::to_string(kClientRetriesMaxLimit) + "]");
  }
  endpoint_ = !options_.endpoint.empty()     ? options_.endpoint
              : !key.server_endpoint.empty() ? key.server_endpoint
                                             : std::string(kDefaultEndpoint);
  if (endpoint_.size() > kEndpointBytesMax) {
    return Status::Invalid("CLIENT_OPTIONS", "the endpoint is too long");
  }
  try {
    OpenSocket();
  } catch (const zmq::error_t& error) {
    return Status::Invalid("CLIENT_OPTIONS", "cannot connect to " + endpoint_ + ": " +
                                                 error.what() +
                                                 " (an endpoint looks like tcp://127.0.0.1:7400)");
  }
  return Status::Ok();
}

void Client::Impl::OpenSocket() {
  CloseSocket();
  socket_ = zmq::socket_t(context_, zmq::socket_type::dealer);
  socket_.set(zmq::sockopt::curve_serverkey, options_.key.server_public_key);
  socket_.set(zmq::sockopt::curve_publickey, options_.key.public_key);
  socket_.set(zmq::sockopt::curve_secretkey, options_.key.secret_key);
  socket_.set(zmq::sockopt::linger, 0);
  socket_.set(zmq::sockopt::sndhwm, kIngestSocketHwmMessages);
  socket_.set(zmq::sockopt::rcvhwm, kIngestSocketHwmMessages);
  socket_.set(zmq::sockopt::maxmsgsize, kIngestReplyFrameBytesMax);
  const std::string monitor_endpoint =
      "inproc://foodtrace.client.monitor." + std::to_string(++monitor_generation_);
  if (zmq_socket_monitor(socket_.handle(), monitor_endpoint.c_str(), kMonitorEvents) != 0) {
    throw zmq::error_t();
  }
  monitor_ = zmq::socket_t(context_, zmq::socket_type::pair);
  monitor_.set(zmq::sockopt::linger, 0);
  monitor_.connect(monitor_endpoint);
  socket_.connect(endpoint_);
}

void Client::Impl::CloseSocket() {
  if (socket_.handle() != nullptr) {
    (void)zmq_socket_monitor(socket_.handle(), nullptr, 0);  // stop it; failure changes nothing
  }
  monitor_.close();
  socket_.close();
}

void Client::Impl::ReadMonitor(bool* refused) {
  zmq::message_t event;
  while (monitor_.recv(event, zmq::recv_flags::dontwait)) {
    zmq::message_t address;
    if (event.more())
      (void)monitor_.recv(address, zmq::recv_flags::dontwait);
    if (event.size() < 6)
      continue;
    std::uint16_t id = 0;
    std::uint32_t value = 0;
    std::memcpy(&id, event.data(), sizeof id);
    std::memcpy(&value, static_cast<const char*>(event.data()) + 2, sizeof value);
    if (id == ZMQ_EVENT_HANDSHAKE_SUCCEEDED) {
      handshake_succeeded_ = true;
      handshake_problem_.clear();
    } else if (id == ZMQ_EVENT_HANDSHAKE_FAILED_AUTH && value == kZapRefused) {
      *refused = true;
    } else if (id == ZMQ_EVENT_HANDSHAKE_FAILED_AUTH) {
      handshake_problem_ =
          "the server could not check the key (ZAP status " + std::to_string(value) + ")";
    } else {
      handshake_problem_ =
          "the CURVE handshake failed: is server_public_key in the key file this server's key?";
    }
  }
}

Client::Impl::Wait Client::Impl::AwaitReply(std::uint64_t request_id, v1::Reply* reply) {
  const Clock::time_point deadline = Clock::now() + std::chrono::milliseconds(options_.timeout_ms);
  while (true) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0)
      return Wait::kTimeout;
    zmq::pollitem_t items[] = {{socket_.handle(), 0, ZMQ_POLLIN, 0},
                               {monitor_.handle(), 0, ZMQ_POLLIN, 0}};
    zmq::poll(items, 2, left);
    if ((items[1].revents & ZMQ_POLLIN) != 0) {
      bool refused = false;
      ReadMonitor(&refused);
      if (refused)
        return Wait::kRefused;
    }
    if ((items[0].revents & ZMQ_POLLIN) == 0)
      continue;
    zmq::message_t frame;
    if (!socket_.recv(frame, zmq::recv_flags::dontwait))
      continue;
    while (frame.more()) {  // the protocol has one frame; drop anything after it
      zmq::message_t extra;
      if (!socket_.recv(extra, zmq::recv_flags::dontwait))
        break;
      if (!extra.more())
        break;
    }
    v1::Reply candidate;
    if (!candidate.ParseFromArray(frame.data(), static_cast<int>(frame.size())))
      continue;
    if (candidate.request_id() != request_id)
      continue;  // stale: an earlier attempt's answer
    if (candidate.error_code() == kErrorBusy || candidate.error_code() == kErrorUnavailable) {
      return Wait::kBusy;
    }
    *reply = std::move(candidate);
    return Wait::kReply;
  }
}

void Client::Impl::Backoff(int attempt) {
  int delay_ms = kClientBackoffInitialMs;
  for (int i = 1; i < attempt && delay_ms < kClientBackoffMaxMs; ++i) delay_ms *= 2;
  delay_ms = std::min(delay_ms, kClientBackoffMaxMs);
  // Up to 25% jitter, so clients refused together do not return together.
  delay_ms += std::uniform_int_distribution<int>(0, delay_ms / 4)(jitter_);
  std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
}

Status Client::Impl::NoAnswer(int attempts, bool busy) const {
  if (busy) {
    return Status::Unavailable("the server at " + endpoint_ + " was still busy after " +
                               std::to_string(attempts) +
                               " tries: retry later (the same items are safe to resend)");
  }
  std::string message = "no answer from " + endpoint_ + " after " + std::to_string(attempts) +
                        " tries of " + std::to_string(options_.timeout_ms) + " ms";
  if (!handshake_problem_.empty()) {
    message += ": " + handshake_problem_;
  } else if (!handshake_succeeded_) {
    message += ": is `foodtrace serve` running there, and is this key registered?";
  } else {
    message += " (connected, but no reply in time; the same items are safe to resend)";
  }
  return Status::Unavailable(message);
}

Result<v1::Reply> Client::Impl::Exchange(v1::Request request) {
  bool busy = false;
  const int attempts = options_.retries_max + 1;
  for (int attempt = 0; attempt < attempts; ++attempt) {
    if (attempt > 0)
      Backoff(attempt);
    try {
      request.set_request_id(next_request_id_++);
      const std::string bytes = request.SerializeAsString();
      v1::Reply reply;
      Wait outcome = Wait::kTimeout;
      if (socket_.send(zmq::buffer(bytes), zmq::send_flags::dontwait)) {
        outcome = AwaitReply(request.request_id(), &reply);
      }
      switch (outcome) {
        case Wait::kReply:
          return reply;
        case Wait::kRefused:
          return Status(Code::kUnauthenticated, "KEY_REFUSED",
                        "the server at " + endpoint_ + " refused the key of party '" +
                            options_.key.party_id + "' (" + options_.key.public_key +
                            "): it is not registered; ask the operator to register it");
        case Wait::kBusy:
          busy = true;
          break;
        case Wait::kTimeout:
          busy = false;
          OpenSocket();  // a late reply to this attempt must not reach the next one
          break;
      }
    } catch (const zmq::error_t& error) {
      return Status::Unavailable("cannot talk to " + endpoint_ + ": " + error.what());
    }
  }
  return NoAnswer(attempts, busy);
}

Result<std::vector<v1::ItemResult>> Client::Impl::SubmitBatch(std::vector<v1::Item>::iterator begin,
                                                              std::vector<v1::Item>::iterator end) {
  v1::Request request;
  const std::size_t count = static_cast<std::size_t>(end - begin);
  request.mutable_items()->Reserve(static_cast<int>(count));
  for (auto it = begin; it != end; ++it) *request.add_items() = std::move(*it);
  auto reply = Exchange(std::move(request));
  if (!reply.ok())
    return reply.status();
  if (!reply->error_code().empty()) {
    return Status(CodeOfEnvelopeError(reply->error_code()), reply->error_code(),
                  reply->error_message());
  }
  if (static_cast<std::size_t>(reply->results_size()) != count) {
    return Status::Internal("the server answered " + std::to_string(reply->results_size()) +
                            " results for " + std::to_string(count) + " items");
  }
  std::vector<v1::ItemResult> results;
  results.reserve(count);
  for (v1::ItemResult& result : *reply->mutable_results()) results.push_back(std::move(result));
  return results;
}

// --- Client --------------------------------------------------------------------------------

Client::Client(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Client::~Client() = default;

Result<std::unique_ptr<Client>> Client::Connect(ClientOptions options) {
  auto impl = std::make_unique<Impl>(std::move(options));
  FT_RETURN_IF_ERROR(impl->Open());
  return std::unique_ptr<Client>(new Client(std::move(impl)));
}

const std::string& Client::endpoint() const { return impl_->endpoint(); }

Result<std::vector<v1::ItemResult>> Client::Submit(std::vector<v1::Item> items) {
  std::vector<v1::ItemResult> results;
  results.reserve(items.size());
  auto begin = items.begin();
  while (begin != items.end()) {
    auto end = begin;
    std::size_t bytes = kRequestOverheadBytes;
    while (end != items.end() && static_cast<std::size_t>(end - begin) < kIngestBatchItemsMax &&
           bytes + ItemWireBytes(*end) <= kIngestRequestBytesMax) {
      bytes += ItemWireBytes(*end);
      ++end;
    }
    if (end == begin) {
      return Status::Exhausted(
          kErrorRequestTooLarge,
          "item " + std::to_string(begin - items.begin()) + " alone is " +
              std::to_string(ItemWireBytes(*begin)) + " bytes; a request may be at most " +
              std::to_string(kIngestRequestBytesMax) + ": shorten its text fields or lists");
    }
    auto batch = impl_->SubmitBatch(begin, end);
    if (!batch.ok())
      return batch.status();
    for (v1::ItemResult& result : *batch) results.push_back(std::move(result));
    begin = end;
  }
  return results;
}

Result<std::string> Client::Query(const v1::Query& query) {
  v1::Request request;
  *request.mutable_query() = query;
  auto reply = impl_->Exchange(std::move(request));
  if (!reply.ok())
    return reply.status();
  if (!reply->error_code().empty()) {
    return Status(CodeOfEnvelopeError(reply->error_code()), reply->error_code(),
                  reply->error_message());
  }
  return query.format() == v1::Query::PROTOBUF ? std::move(*reply->mutable_answer())
                                               : std::move(*reply->mutable_json());
}

Status Client::Query(v1::Query query, google::protobuf::MessageLite* answer) {
  query.set_format(v1::Query::PROTOBUF);
  auto bytes = Query(query);
  if (!bytes.ok())
    return bytes.status();
  if (!answer->ParseFromString(*bytes)) {
    return Status::Corruption("the answer to a " + v1::Query::Kind_Name(query.kind()) +
                              " query does not parse as " + answer->GetTypeName());
  }
  return Status::Ok();
}

}  // namespace foodtrace::ingest
