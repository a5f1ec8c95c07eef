// Publisher: the engine's ZeroMQ PUB socket. Private to alerts/.
//
// Frame layout (one message per alert):
//   [ topic: "alert.<KIND>.<market id or ->" ][ Alert protobuf ]
// SNDHWM is kPubHwmMessages so a burst of one recall's alerts is queued, not dropped, for a
// subscriber that keeps up; linger 0 so a stop never waits for slow subscribers.
// Not thread-safe: Bind on any thread, then Publish from one thread only (the engine's).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "foodtrace/common/status.h"
#include "foodtrace/v1/records.pb.h"

namespace foodtrace::alerts {

class Publisher {
 public:
  // Binds `endpoint` ("tcp://127.0.0.1:*" picks a port). Errors: UNAVAILABLE "cannot bind".
  static Result<std::unique_ptr<Publisher>> Bind(const std::string& endpoint);
  ~Publisher();
  Publisher(const Publisher&) = delete;
  Publisher& operator=(const Publisher&) = delete;

  const std::string& endpoint() const;
  // Sends every alert, in order. Errors: UNAVAILABLE when the socket fails (alerts are stored
  // already; subscribers see the gap in `sequence` and can list what they missed).
  // `encoded` holds each alert's Protobuf encoding (AlertStore::Commit's, in the same order),
  // sent as is instead of encoding the alert again.
  Status Publish(const std::vector<v1::Alert>& alerts, const std::vector<std::string>& encoded);

  class Impl;

 private:
  explicit Publisher(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace foodtrace::alerts
