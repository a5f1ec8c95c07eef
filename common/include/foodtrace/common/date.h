// Civil dates and instants.
//
// A Date is a proleptic-Gregorian calendar day stored as days since 1970-01-01; on the wire
// and in JSON it is always ISO "YYYY-MM-DD". Instants are Unix milliseconds (int64) in UTC.
// "Today" depends on the deployment's UTC offset (China: +08:00, no daylight saving), which is
// why conversions take `utc_offset_minutes`. All functions are pure and thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "foodtrace/common/status.h"

namespace foodtrace {

// Earliest and latest dates any record may carry; outside this range a date is "impossible".
inline constexpr int kDateYearMin = 1900;
inline constexpr int kDateYearMax = 2199;
// The default deployment offset: Asia/Shanghai, UTC+08:00 all year.
inline constexpr int kChinaUtcOffsetMinutes = 8 * 60;

class Date {
 public:
  Date() = default;
  static Date FromDays(std::int32_t days_since_epoch) { return Date(days_since_epoch); }
  // Requires a valid civil date (checked with FT_CHECK; validate input with Parse/FromCivil).
  static Date FromYmd(int year, int month, int day);
  // Strict "YYYY-MM-DD": four-digit year in [kDateYearMin, kDateYearMax], real month and day.
  // Errors: INVALID_DATE with the offending text.
  static Result<Date> Parse(std::string_view text);
  // Like FromYmd but returns INVALID_DATE instead of aborting on a day that does not exist.
  static Result<Date> FromCivil(int year, int month, int day);
  static bool IsValidCivil(int year, int month, int day);
  static int DaysInMonth(int year, int month);

  std::int32_t days() const { return days_; }
  int year() const;
  int month() const;
  int day() const;
  // 1 = Monday … 7 = Sunday (ISO 8601).
  int iso_weekday() const;
  std::string ToString() const;  // "YYYY-MM-DD"

  Date AddDays(std::int32_t n) const { return Date(days_ + n); }
  // Adds calendar months, clamping the day to the end of the target month (Jan 31 + 1 = Feb 28/29).
  Date AddMonths(int n) const;
  Date AddYears(int n) const { return AddMonths(12 * n); }

  friend auto operator<=>(const Date&, const Date&) = default;
  friend std::int32_t operator-(Date a, Date b) { return a.days_ - b.days_; }

 private:
  explicit Date(std::int32_t days) : days_(days) {}
  std::int32_t days_ = 0;
};

// Milliseconds since the Unix epoch, UTC.
using UnixMillis = std::int64_t;

UnixMillis NowMillis();
// The civil date at instant `at` in a zone `utc_offset_minutes` east of UTC.
Date DateAt(UnixMillis at, int utc_offset_minutes);
// The instant of 00:00 local time on `date`.
UnixMillis StartOfDay(Date date, int utc_offset_minutes);
// RFC 3339 UTC text for logs and JSON, e.g. "2026-11-22T02:52:37.120Z".
std::string FormatInstant(UnixMillis at);

}  // namespace foodtrace
