// The simulator's randomness: std::mt19937_64 (its output sequence is fixed by the C++
// standard) with integer arithmetic on top, never std::*_distribution (whose results differ
// between standard libraries). Not thread-safe.
#pragma once

#include <cstdint>
#include <random>

#include "foodtrace/common/check.h"

namespace foodtrace::sim {

class Rng {
 public:
  explicit Rng(std::uint64_t seed) : engine_(seed) {}

  std::uint64_t Next() { return engine_(); }
  // Uniform in [0, n); requires n > 0. The modulo bias (< n / 2^64) is irrelevant here.
  int Below(int n) {
    FT_CHECK(n > 0);
    return static_cast<int>(engine_() % static_cast<std::uint64_t>(n));
  }
  // Uniform in [lo, hi]; requires lo ≤ hi.
  int Range(int lo, int hi) {
    FT_CHECK(lo <= hi);
    return lo + Below(hi - lo + 1);
  }
  // True with probability p (53 bits of resolution).
  bool Chance(double p) { return static_cast<double>(engine_() >> 11) * 0x1.0p-53 < p; }
  // floor(rate), plus one with probability frac(rate).
  int Count(double rate) {
    const int whole = static_cast<int>(rate);
    return whole + (Chance(rate - whole) ? 1 : 0);
  }

 private:
  std::mt19937_64 engine_;
};

}  // namespace foodtrace::sim
