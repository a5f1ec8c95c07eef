// Private to the portal: per-client token buckets for public lookups.
#pragma once

#include <array>
#include <chrono>
#include <mutex>
#include <string>
#include <unordered_map>

namespace foodtrace::portal {

// Thread-safe. Each client address has a bucket of `burst` tokens refilled at `rate_per_second`;
// a request takes one. At most kRateLimitClientsMax addresses are tracked; when full, buckets
// that have refilled completely (idle clients) are forgotten first.
class RateLimiter {
 public:
  RateLimiter(double rate_per_second, double burst);
  // 0 when `client` may go ahead now, else the whole seconds to wait (≥ 1), for Retry-After.
  int Take(const std::string& client);
  bool enabled() const { return rate_ > 0; }

 private:
  struct Bucket {
    double tokens = 0;
    std::chrono::steady_clock::time_point at;
  };
  struct Shard {
    std::mutex mu;
    std::unordered_map<std::string, Bucket> buckets;
  };
  static constexpr std::size_t kShards = 16;
  void Evict(Shard& shard, std::chrono::steady_clock::time_point now);

  double rate_;
  double burst_;
  std::array<Shard, kShards> shards_;
};

}  // namespace foodtrace::portal
