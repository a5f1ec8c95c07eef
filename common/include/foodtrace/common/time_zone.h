// The market's time zone and its one "today".
//
// Every market date foodtrace decides (record dates, expiry, near-expiry, deadlines, the date
// defaults of the pages and the CLI) is the civil date at the server's clock in one configured
// IANA time zone (default Asia/Shanghai). TimeZone reads the zone from the system's tz database
// (TZif files under /usr/share/zoneinfo, Debian package tzdata): its transitions, then the POSIX
// rule of the file's footer for instants after the last transition.
//
// TimeZone is an immutable value, cheap to copy (the tables are shared) and thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "foodtrace/common/date.h"
#include "foodtrace/common/status.h"

namespace foodtrace {

// The zone a market runs on unless configured otherwise.
inline constexpr char kDefaultTimeZone[] = "Asia/Shanghai";
// Where zone files are read from.
inline constexpr char kZoneInfoDir[] = "/usr/share/zoneinfo";
// Limits on what Load reads: a zone name and a TZif file (the largest in tzdata is ~4 KiB).
inline constexpr std::size_t kTimeZoneNameBytesMax = 64;
inline constexpr std::size_t kTimeZoneFileBytesMax = 256 * 1024;

class TimeZone {
 public:
  // UTC. A default-constructed TimeZone is UTC.
  TimeZone();
  // Loads the IANA zone `name` ("Asia/Shanghai", "UTC", "Europe/Berlin") from `zoneinfo_dir`.
  // Errors: INVALID_ARGUMENT TIME_ZONE_NAME (empty, too long, or not a zone name),
  // NOT_FOUND TIME_ZONE_UNKNOWN (no such zone file: check the name, or install tzdata),
  // CORRUPTION TIME_ZONE_FILE (the file is not a TZif file this reader understands).
  static Result<TimeZone> Load(std::string_view name, std::string_view zoneinfo_dir = kZoneInfoDir);
  // A zone at a fixed offset east of UTC, named `name` (tests and tools).
  static TimeZone Fixed(int utc_offset_minutes, std::string name);

  const std::string& name() const;
  // Minutes east of UTC in force at instant `at`.
  int OffsetMinutesAt(UnixMillis at) const;
  // The civil date at instant `at` in this zone.
  Date DateAt(UnixMillis at) const;
  // The first instant of `date` in this zone (local midnight, or the first local time after a
  // transition that skips it).
  UnixMillis StartOfDay(Date date) const;
  // "YYYY-MM-DD HH:MM" local time at `at` (logs, reports).
  std::string FormatLocal(UnixMillis at) const;

  struct Data;

 private:
  explicit TimeZone(std::shared_ptr<const Data> data) : data_(std::move(data)) {}
  std::shared_ptr<const Data> data_;
};

// The one "today": the civil date of `now` (the server's clock) in the market's zone.
inline Date MarketToday(const TimeZone& zone, UnixMillis now) { return zone.DateAt(now); }

// Parses "YYYY-MM-DD" (local midnight), "YYYY-MM-DDTHH:MM[:SS]" (local time in `zone`) or a
// full RFC 3339 instant with "Z" or "±HH:MM". Errors: INVALID_ARGUMENT INVALID_TIME.
Result<UnixMillis> ParseLocalTime(std::string_view text, const TimeZone& zone);

}  // namespace foodtrace
