// Token buckets per client address (public lookups → 429 with Retry-After).
#include "portal/rate_limit.h"

#include <algorithm>
#include <cmath>
#include <functional>

#include "portal/limits.h"

namespace foodtrace::portal {

RateLimiter::RateLimiter(double rate_per_second, double burst)
    : rate_(rate_per_second), burst_(std::max(1.0, burst)) {}

void RateLimiter::Evict(Shard& shard, std::chrono::steady_clock::time_point now) {
  std::erase_if(shard.buckets, [&](const auto& kv) {
    const double seconds = std::chrono::duration<double>(now - kv.second.at).count();
    return kv.second.tokens + seconds * rate_ >= burst_;
  });
  if (shard.buckets.size() >= kRateLimitClientsMax / kShards) shard.buckets.clear();  // under attack: start over
}

int RateLimiter::Take(const std::string& client) {
  if (rate_ <= 0) return 0;
  Shard& shard = shards_[std::hash<std::string>{}(client) % kShards];
  const auto now = std::chrono::steady_clock::now();
  std::lock_guard lock(shard.mu);
  auto it = shard.buckets.find(client);
  if (it == shard.buckets.end()) {
    if (shard.buckets.size() >= kRateLimitClientsMax / kShards) Evict(shard, now);
    it = shard.buckets.emplace(client, Bucket{burst_, now}).first;
  }
  Bucket& b = it->second;
  const double seconds = std::chrono::duration<double>(now - b.at).count();
  b.tokens = std::min(burst_, b.tokens + seconds * rate_);
  b.at = now;
  if (b.tokens >= 1) {
    b.tokens -= 1;
    return 0;
  }
  return std::max(1, static_cast<int>(std::ceil((1 - b.tokens) / rate_)));
}

}  // namespace foodtrace::portal
