#include "foodtrace/common/date.h"

#include <chrono>
#include <cstdio>

namespace foodtrace {
namespace {

// Howard Hinnant's days_from_civil / civil_from_days, exact for the proleptic Gregorian calendar.
std::int32_t DaysFromCivil(int y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int>(doe) - 719468;
}

struct Civil {
  int year;
  unsigned month;
  unsigned day;
};

Civil CivilFromDays(std::int32_t z) {
  z += 719468;
  const int era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int y = static_cast<int>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return Civil{y + (m <= 2), m, d};
}

bool IsLeap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

}  // namespace

int Date::DaysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month == 2 && IsLeap(year)) return 29;
  return kDays[month - 1];
}

bool Date::IsValidCivil(int year, int month, int day) {
  if (year < kDateYearMin || year > kDateYearMax) return false;
  if (month < 1 || month > 12) return false;
  return day >= 1 && day <= DaysInMonth(year, month);
}

Date Date::FromYmd(int year, int month, int day) {
  FT_CHECK(IsValidCivil(year, month, day));
  return Date(DaysFromCivil(year, static_cast<unsigned>(month), static_cast<unsigned>(day)));
}

Result<Date> Date::FromCivil(int year, int month, int day) {
  if (!IsValidCivil(year, month, day)) {
    char text[32];
    std::snprintf(text, sizeof text, "%04d-%02d-%02d", year, month, day);
    return Status::Invalid("INVALID_DATE", std::string("date ") + text +
                                               " does not exist: check the year, month and day");
  }
  return FromYmd(year, month, day);
}

Result<Date> Date::Parse(std::string_view text) {
  auto bad = [&] {
    return Status::Invalid("INVALID_DATE", "date '" + std::string(text.substr(0, 32)) +
                                               "' is not a real date in the form YYYY-MM-DD");
  };
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return bad();
  int parts[3] = {0, 0, 0};
  const int starts[3] = {0, 5, 8};
  const int lengths[3] = {4, 2, 2};
  for (int p = 0; p < 3; ++p) {
    for (int i = 0; i < lengths[p]; ++i) {
      const char c = text[static_cast<size_t>(starts[p] + i)];
      if (c < '0' || c > '9') return bad();
      parts[p] = parts[p] * 10 + (c - '0');
    }
  }
  if (!IsValidCivil(parts[0], parts[1], parts[2])) return bad();
  return FromYmd(parts[0], parts[1], parts[2]);
}

int Date::year() const { return CivilFromDays(days_).year; }
int Date::month() const { return static_cast<int>(CivilFromDays(days_).month); }
int Date::day() const { return static_cast<int>(CivilFromDays(days_).day); }

int Date::iso_weekday() const {
  // 1970-01-01 was a Thursday (ISO 4).
  const int w = static_cast<int>(((static_cast<std::int64_t>(days_) % 7) + 7 + 3) % 7);
  return w + 1;
}

std::string Date::ToString() const {
  const Civil c = CivilFromDays(days_);
  char text[32];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", c.year, c.month, c.day);
  return text;
}

Date Date::AddMonths(int n) const {
  const Civil c = CivilFromDays(days_);
  int total = c.year * 12 + static_cast<int>(c.month) - 1 + n;
  const int y = total / 12;
  const int m = total % 12 + 1;
  const int d = std::min(static_cast<int>(c.day), DaysInMonth(y, m));
  return Date(DaysFromCivil(y, static_cast<unsigned>(m), static_cast<unsigned>(d)));
}

UnixMillis NowMillis() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

Date DateAt(UnixMillis at, int utc_offset_minutes) {
  const std::int64_t local_ms = at + static_cast<std::int64_t>(utc_offset_minutes) * 60'000;
  std::int64_t days = local_ms / 86'400'000;
  if (local_ms % 86'400'000 < 0) --days;
  return Date::FromDays(static_cast<std::int32_t>(days));
}

UnixMillis StartOfDay(Date date, int utc_offset_minutes) {
  return static_cast<std::int64_t>(date.days()) * 86'400'000 -
         static_cast<std::int64_t>(utc_offset_minutes) * 60'000;
}

std::string FormatInstant(UnixMillis at) {
  const Date d = DateAt(at, 0);
  std::int64_t ms = at % 86'400'000;
  if (ms < 0) ms += 86'400'000;
  char text[48];
  std::snprintf(text, sizeof text, "%sT%02d:%02d:%02d.%03dZ", d.ToString().c_str(),
                static_cast<int>(ms / 3'600'000), static_cast<int>(ms / 60'000 % 60),
                static_cast<int>(ms / 1000 % 60), static_cast<int>(ms % 1000));
  return text;
}

}  // namespace foodtrace
