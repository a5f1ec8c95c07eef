// Publisher (publisher.h) and AlertSubscriber (alerts.h): the two ends of the alert feed.
#include "alerts/publisher.h"

#include <zmq.hpp>

#include "alerts/limits.h"
#include "foodtrace/alerts/alerts.h"

namespace foodtrace::alerts {

std::string AlertTopic(const v1::Alert& alert) {
  return "alert." + v1::Alert::Kind_Name(alert.kind()) + "." +
         (alert.market_id().empty() ? std::string("-") : alert.market_id());
}

class Publisher::Impl {
 public:
  zmq::context_t context{1};
  zmq::socket_t socket{context, zmq::socket_type::pub};
  std::string endpoint;
};

Publisher::Publisher(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Publisher::~Publisher() = default;
const std::string& Publisher::endpoint() const { return impl_->endpoint; }

Result<std::unique_ptr<Publisher>> Publisher::Bind(const std::string& endpoint) {
  auto impl = std::make_unique<Impl>();
  try {
    impl->socket.set(zmq::sockopt::sndhwm, kPubHwmMessages);
    impl->socket.set(zmq::sockopt::linger, 0);
    impl->socket.bind(endpoint);
    impl->endpoint = impl->socket.get(zmq::sockopt::last_endpoint);
  } catch (const zmq::error_t& e) {
    return Status::Unavailable("cannot bind the alerts endpoint " + endpoint + ": " + e.what());
  }
  return std::unique_ptr<Publisher>(new Publisher(std::move(impl)));
}

Status Publisher::Publish(const std::vector<v1::Alert>& alerts, const std::vector<std::string>& encoded) {
  FT_CHECK(encoded.size() == alerts.size());
  try {
    for (std::size_t i = 0; i < alerts.size(); ++i) {
      const std::string topic = AlertTopic(alerts[i]);
      impl_->socket.send(zmq::buffer(topic), zmq::send_flags::sndmore);
      impl_->socket.send(zmq::buffer(encoded[i]), zmq::send_flags::none);
    }
  } catch (const zmq::error_t& e) {
    return Status::Unavailable(std::string("publishing alerts failed: ") + e.what());
  }
  return Status::Ok();
}

// --- AlertSubscriber ------------------------------------------------------------------

class AlertSubscriber::Impl {
 public:
  zmq::context_t context{1};
  zmq::socket_t socket{context, zmq::socket_type::sub};
};

AlertSubscriber::AlertSubscriber(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
AlertSubscriber::~AlertSubscriber() = default;

Result<std::unique_ptr<AlertSubscriber>> AlertSubscriber::Connect(
    const std::string& endpoint, const std::vector<std::string>& topics) {
  auto impl = std::make_unique<Impl>();
  try {
    impl->socket.set(zmq::sockopt::rcvhwm, kSubHwmMessages);
    impl->socket.set(zmq::sockopt::linger, 0);
    if (topics.empty()) impl->socket.set(zmq::sockopt::subscribe, "");
    for (const std::string& t : topics) impl->socket.set(zmq::sockopt::subscribe, t);
    impl->socket.connect(endpoint);
  } catch (const zmq::error_t& e) {
    return Status::Invalid("ALERTS_ENDPOINT", "cannot connect to " + endpoint + ": " + e.what());
  }
  return std::unique_ptr<AlertSubscriber>(new AlertSubscriber(std::move(impl)));
}

Result<std::optional<v1::Alert>> AlertSubscriber::Next(int timeout_ms) {
  try {
    zmq::message_t topic, body;
    // Poll only when nothing is queued: a burst of thousands is read without a poll each.
    if (!impl_->socket.recv(topic, zmq::recv_flags::dontwait)) {
      zmq::pollitem_t item{static_cast<void*>(impl_->socket), 0, ZMQ_POLLIN, 0};
      if (zmq::poll(&item, 1, std::chrono::milliseconds(timeout_ms)) == 0) {
        return std::optional<v1::Alert>();
      }
      if (!impl_->socket.recv(topic, zmq::recv_flags::none)) return std::optional<v1::Alert>();
    }
    if (!topic.more() || !impl_->socket.recv(body, zmq::recv_flags::none) || body.more()) {
      return Status::Corruption("an alert message must be two frames: topic and Alert");
    }
    v1::Alert alert;
    if (!alert.ParseFromArray(body.data(), static_cast<int>(body.size()))) {
      return Status::Corruption("an alert frame does not decode");
    }
    return std::optional<v1::Alert>(std::move(alert));
  } catch (const zmq::error_t& e) {
    return Status::Unavailable(std::string("alert subscription failed: ") + e.what());
  }
}

}  // namespace foodtrace::alerts
