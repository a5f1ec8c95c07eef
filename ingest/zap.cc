#include "ingest/zap.h"

#include <array>
#include <chrono>
#include <vector>
#include <zmq_addon.hpp>

#include "foodtrace/ingest/keys.h"
#include "ingest/limits.h"
#include "ingest/log.h"

namespace foodtrace::ingest {
namespace {

constexpr std::size_t kZapRequestFramesMin = 6;
constexpr std::size_t kCurveKeyBytes = 32;

struct ZapAnswer {
  std::string status_code;
  std::string status_text;
  std::string user_id;
};

std::string KeyToZ85(const zmq::message_t& key) {
  char text[kCurveKeyZ85Chars + 1] = {};
  if (key.size() != kCurveKeyBytes ||
      zmq_z85_encode(text, static_cast<const std::uint8_t*>(key.data()), key.size()) == nullptr) {
    return std::string();
  }
  return std::string(text);
}

ZapAnswer Decide(const std::vector<zmq::message_t>& request, const KeyAuthenticator& authenticate,
                 std::atomic<std::uint64_t>& refused) {
  const std::string mechanism = request[5].to_string();
  const std::string address = request[3].to_string();
  if (request[0].to_string() != "1.0" || mechanism != "CURVE" || request.size() < 7) {
    ++refused;
    LogWarning("refused a " + mechanism + " handshake from " + address + ": CURVE only");
    return {"400", "CURVE only", ""};
  }
  const std::string key = KeyToZ85(request[6]);
  if (key.empty())
    return {"400", "bad CURVE key", ""};
  Result<std::string> party = Status::Internal("not checked");
  try {
    party = authenticate(key);
  } catch (const std::exception& error) {
    party = Status::Internal(error.what());
  }
  if (party.ok())
    return {"200", "OK", *party};
  if (party.status().code() == Code::kNotFound) {
    ++refused;
    LogWarning("refused CURVE key " + key + " from " + address +
               ": no party is registered with it");
    return {"400", "key not registered", ""};
  }
  LogError("cannot check CURVE key " + key + ": " + party.status().ToString());
  return {"500", "ledger error", ""};
}

void Answer(zmq::socket_t& socket, const zmq::message_t& request_id, const ZapAnswer& answer) {
  std::array<zmq::const_buffer, 6> reply = {
      zmq::str_buffer("1.0"),          zmq::buffer(request_id.data(), request_id.size()),
      zmq::buffer(answer.status_code), zmq::buffer(answer.status_text),
      zmq::buffer(answer.user_id),     zmq::const_buffer()};
  (void)zmq::send_multipart(socket, reply);
}

}  // namespace

void RunZapHandler(zmq::socket_t& socket, const KeyAuthenticator& authenticate,
                   const std::atomic<bool>& stop, std::atomic<std::uint64_t>& refused) {
  try {
    while (!stop.load()) {
      zmq::pollitem_t items[] = {{socket.handle(), 0, ZMQ_POLLIN, 0}};
      zmq::poll(items, 1, std::chrono::milliseconds(kIngestPollTimeoutMs));
      if ((items[0].revents & ZMQ_POLLIN) == 0)
        continue;
      std::vector<zmq::message_t> request;
      if (!zmq::recv_multipart(socket, std::back_inserter(request), zmq::recv_flags::dontwait)) {
        continue;
      }
      if (request.size() < kZapRequestFramesMin) {
        // Only libzmq talks to this socket; a short request is a libzmq bug. REP still owes an
        // answer, or the socket would be stuck.
        LogError("malformed ZAP request with " + std::to_string(request.size()) + " frames");
        const zmq::message_t none;
        Answer(socket, request.size() > 1 ? request[1] : none,
               {"500", "malformed ZAP request", ""});
        continue;
      }
      Answer(socket, request[1], Decide(request, authenticate, refused));
    }
  } catch (const zmq::error_t& error) {
    if (error.num() != ETERM)
      LogError(std::string("ZAP handler stopped: ") + error.what());
  } catch (const std::exception& error) {
    LogError(std::string("ZAP handler stopped: ") + error.what());
  }
}

}  // namespace foodtrace::ingest
