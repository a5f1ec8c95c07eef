// Proves civil-date parsing rejects impossible dates and date arithmetic matches the calendar.
#include <catch2/catch.hpp>

#include "foodtrace/common/date.h"

using foodtrace::Date;

TEST_CASE("ISO dates parse and print back unchanged", "[date]") {
  for (const char* text : {"2024-02-29", "2026-12-01", "1999-12-31", "2000-01-01"}) {
    auto d = Date::Parse(text);
    REQUIRE(d.ok());
    CHECK(d->ToString() == text);
  }
}

TEST_CASE("impossible dates are rejected with INVALID_DATE", "[date]") {
  for (const char* text : {"2023-02-29", "2025-13-01", "2025-04-31", "2025-00-10", "25-01-01",
                           "2025/01/01", "2025-1-01", "", "1899-12-31", "2200-01-01"}) {
    auto d = Date::Parse(text);
    CHECK_FALSE(d.ok());
    if (!d.ok()) CHECK(d.status().reason() == "INVALID_DATE");
  }
}

TEST_CASE("adding months clamps to the end of the month", "[date]") {
  CHECK(Date::FromYmd(2025, 1, 31).AddMonths(1).ToString() == "2025-02-28");
  CHECK(Date::FromYmd(2024, 1, 31).AddMonths(1).ToString() == "2024-02-29");
  CHECK(Date::FromYmd(2025, 8, 31).AddMonths(6).ToString() == "2026-02-28");
  CHECK(Date::FromYmd(2025, 3, 1).AddDays(-45).ToString() == "2025-01-15");
}

TEST_CASE("weekday and local day follow the UTC offset", "[date]") {
  CHECK(Date::FromYmd(2026, 11, 22).iso_weekday() == 7);  // a Sunday
  CHECK(Date::FromYmd(1970, 1, 1).iso_weekday() == 4);
  // 2026-11-22T16:30Z is already the 23rd in Shanghai.
  const auto at = foodtrace::StartOfDay(Date::FromYmd(2026, 11, 22), 0) + 16 * 3600'000 + 1800'000;
  CHECK(foodtrace::DateAt(at, 0).ToString() == "2026-11-22");
  CHECK(foodtrace::DateAt(at, foodtrace::kChinaUtcOffsetMinutes).ToString() == "2026-11-23");
}
