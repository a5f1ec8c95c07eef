// Proves the market's "today" follows the zone read from tzdata at every hour, including the
// day boundary at 16:00 UTC for Asia/Shanghai, daylight-saving rules past the files' last
// transition, and that bad zone names and files are clear errors.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "foodtrace/common/time_zone.h"

using foodtrace::Date;
using foodtrace::ParseLocalTime;
using foodtrace::TimeZone;
using foodtrace::UnixMillis;

namespace {

UnixMillis Utc(int y, int m, int d, int hour, int minute = 0) {
  return foodtrace::StartOfDay(Date::FromYmd(y, m, d), 0) + (hour * 60LL + minute) * 60'000;
}

TimeZone Zone(const char* name) {
  auto z = TimeZone::Load(name);
  REQUIRE(z.ok());
  return *z;
}

}  // namespace

TEST_CASE("the market's today in Shanghai turns at 16:00 UTC, not at the machine's midnight", "[time_zone]") {
  const TimeZone shanghai = Zone("Asia/Shanghai");
  CHECK(shanghai.name() == "Asia/Shanghai");
  // 23:30 market time on 12-04 is 15:30 UTC; 00:30 on 12-05 is 16:30 UTC on 12-04.
  CHECK(foodtrace::MarketToday(shanghai, Utc(2026, 12, 4, 15, 30)).ToString() == "2026-12-04");
  CHECK(foodtrace::MarketToday(shanghai, Utc(2026, 12, 4, 16, 30)).ToString() == "2026-12-05");
  CHECK(shanghai.StartOfDay(Date::FromYmd(2026, 12, 5)) == Utc(2026, 12, 4, 16));
  CHECK(shanghai.FormatLocal(Utc(2026, 12, 4, 16, 30)) == "2026-12-05 00:30");
  // The file's transitions are read: China kept summer time from 1986 to 1991.
  CHECK(shanghai.OffsetMinutesAt(Utc(1988, 7, 1, 0)) == 540);
  CHECK(shanghai.OffsetMinutesAt(Utc(2026, 12, 4, 0)) == 480);
}

TEST_CASE("daylight saving follows the transitions and then the zone's POSIX rule", "[time_zone]") {
  const TimeZone berlin = Zone("Europe/Berlin");
  CHECK(berlin.OffsetMinutesAt(Utc(2026, 3, 29, 0, 59)) == 60);
  CHECK(berlin.OffsetMinutesAt(Utc(2026, 3, 29, 1, 0)) == 120);
  // Far beyond any transition in the file: the footer rule decides.
  CHECK(berlin.OffsetMinutesAt(Utc(2045, 7, 1, 12)) == 120);
  CHECK(berlin.OffsetMinutesAt(Utc(2045, 1, 15, 12)) == 60);
  CHECK(berlin.OffsetMinutesAt(Utc(2045, 10, 29, 0, 59)) == 120);
  CHECK(berlin.OffsetMinutesAt(Utc(2045, 10, 29, 1, 0)) == 60);
  const TimeZone new_york = Zone("America/New_York");
  CHECK(new_york.OffsetMinutesAt(Utc(2050, 3, 13, 6, 59)) == -300);
  CHECK(new_york.OffsetMinutesAt(Utc(2050, 3, 13, 7, 0)) == -240);
  // The southern hemisphere: summer time spans the new year.
  const TimeZone sydney = Zone("Australia/Sydney");
  CHECK(sydney.OffsetMinutesAt(Utc(2045, 1, 15, 0)) == 660);
  CHECK(sydney.OffsetMinutesAt(Utc(2045, 7, 1, 0)) == 600);
}

TEST_CASE("a day whose midnight is skipped starts at its first local instant", "[time_zone]") {
  // São Paulo moved its clocks from 00:00 to 01:00 on 2018-11-04.
  const TimeZone sao_paulo = Zone("America/Sao_Paulo");
  CHECK(sao_paulo.StartOfDay(Date::FromYmd(2018, 11, 4)) == Utc(2018, 11, 4, 3));
  CHECK(sao_paulo.DateAt(Utc(2018, 11, 4, 3) - 1).ToString() == "2018-11-03");
}

TEST_CASE("bad zone names and unreadable zone files are clear errors", "[time_zone]") {
  for (const char* name : {"", "../../etc/passwd", "/etc/localtime", "Asia//Shanghai", "Asia/Shang hai"}) {
    auto z = TimeZone::Load(name);
    REQUIRE_FALSE(z.ok());
    CHECK(z.status().reason() == "TIME_ZONE_NAME");
  }
  auto unknown = TimeZone::Load("Mars/Olympus_Mons");
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.status().reason() == "TIME_ZONE_UNKNOWN");
  CHECK(unknown.status().message().find("tzdata") != std::string::npos);

  const auto dir = std::filesystem::temp_directory_path() / "foodtrace-tz-test";
  std::filesystem::create_directories(dir);
  for (const std::string& bytes : {std::string("not a zone file"), std::string("TZif2") + std::string(60, '\xff')}) {
    std::ofstream(dir / "Bad") << bytes;
    auto bad = TimeZone::Load("Bad", dir.string());
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.status().reason() == "TIME_ZONE_FILE");
  }
  std::filesystem::remove_all(dir);
}

TEST_CASE("local times parse in the market's zone and instants keep the offset written", "[time_zone]") {
  const TimeZone shanghai = Zone("Asia/Shanghai");
  CHECK(*ParseLocalTime("2026-12-05", shanghai) == Utc(2026, 12, 4, 16));
  CHECK(*ParseLocalTime("2026-12-05T00:30", shanghai) == Utc(2026, 12, 4, 16, 30));
  CHECK(*ParseLocalTime("2026-12-04T23:30:00+08:00", shanghai) == Utc(2026, 12, 4, 15, 30));
  CHECK(*ParseLocalTime("2026-12-04T15:30:00Z", shanghai) == Utc(2026, 12, 4, 15, 30));
  CHECK(*ParseLocalTime("2026-12-04T15:30:00.250Z", shanghai) == Utc(2026, 12, 4, 15, 30));
  for (const char* bad : {"2026-12-4", "2026-12-04T25:00", "2026-12-04T23:30+8", "yesterday", "2026-12-04T23"}) {
    auto at = ParseLocalTime(bad, shanghai);
    REQUIRE_FALSE(at.ok());
    CHECK(at.status().reason() == "INVALID_TIME");
  }
}
