// Private to the portal: request counters and latency histograms, rendered as Prometheus text.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace foodtrace::portal {

// Thread-safe. Routes are registered before serving starts (AddRoute is not thread-safe with
// Record); recording is lock-free apart from a per-route mutex for the status map.
class Metrics {
 public:
  // Latency bucket upper bounds in seconds (Prometheus `le`).
  static constexpr std::array<double, 12> kBucketsSeconds = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                             0.05,   0.1,   0.25,   0.5,   1,    2.5};
  // Registers a route label; returns its index for Record.
  int AddRoute(const std::string& label);
  void Record(int route, const std::string& method, int status, double seconds);

  // Extra gauges appended at render time: (name with labels, help, type, value).
  struct Sample {
    std::string name;    // e.g. foodtrace_alerts_open{kind="NEAR_EXPIRY"}
    std::string family;  // e.g. foodtrace_alerts_open
    std::string help;
    std::string type;    // gauge | counter
    double value = 0;
  };
  std::string Render(const std::vector<Sample>& extra) const;

 private:
  struct RouteStats {
    std::string label;
    std::array<std::atomic<std::uint64_t>, kBucketsSeconds.size() + 1> buckets{};
    std::atomic<std::uint64_t> count{0};
    std::atomic<std::uint64_t> sum_ns{0};
    mutable std::mutex mu;
    std::map<std::pair<std::string, int>, std::uint64_t> by_status;
  };
  std::vector<std::unique_ptr<RouteStats>> routes_;
};

}  // namespace foodtrace::portal
