// Named bounds of the simulator. Options outside them are refused with INVALID_ARGUMENT.
#pragma once

#include <cstddef>

namespace foodtrace::sim {

inline constexpr int kDaysMax = 366;                  // backfill days
inline constexpr int kMarketsMax = 50;                // retail markets
inline constexpr int kVendorsPerMarketMin = 4;        // one vendor of each trade
inline constexpr int kVendorsPerMarketMax = 400;
inline constexpr int kScansPerKioskDayMax = 10'000;
inline constexpr double kIncidentsPerDayMax = 1000;   // any per-day rate
inline constexpr std::size_t kSubmitChunkItemsMax = 500;  // items per Client::Submit call
inline constexpr int kSubmitThreadsMax = 4;           // concurrent writers per day
inline constexpr int kClientTimeoutMs = 30'000;       // per attempt (a day's batch can be large)
inline constexpr double kRateEventsPerSecondMax = 1e7;
inline constexpr double kSpeedMax = 86'400;           // live: at most one round per second
inline constexpr int kProgressIntervalMs = 1000;

}  // namespace foodtrace::sim
