// Proves the rule tables: REGULATION rule 11's near-expiry examples, the working-day calendar
// with 2026 holidays and make-up days, and the recall deadline version chosen by known_at.
#include <catch2/catch.hpp>

#include "foodtrace/alerts/alerts.h"

using namespace foodtrace;
using namespace foodtrace::alerts;

namespace {

Date D(int y, int m, int d) { return Date::FromYmd(y, m, d); }

// Near expiry iff expiry − T ≤ today ≤ expiry (rule 11).
bool NearExpiry(int shelf_life_days, Date expiry, Date today) {
  const int t = NearExpiryThresholdDays({DefaultNearExpiryTable()}, today, shelf_life_days);
  return expiry.AddDays(-t) <= today && today <= expiry;
}

}  // namespace

TEST_CASE("the default near-expiry table gives rule 11's thresholds", "[alerts][config]") {
  const std::vector<NearExpiryTable> t{DefaultNearExpiryTable()};
  const Date today = D(2026, 1, 1);
  CHECK(NearExpiryThresholdDays(t, today, 365) == 45);
  CHECK(NearExpiryThresholdDays(t, today, 364) == 20);
  CHECK(NearExpiryThresholdDays(t, today, 182) == 20);
  CHECK(NearExpiryThresholdDays(t, today, 181) == 15);
  CHECK(NearExpiryThresholdDays(t, today, 90) == 15);
  CHECK(NearExpiryThresholdDays(t, today, 89) == 10);
  CHECK(NearExpiryThresholdDays(t, today, 30) == 10);
  CHECK(NearExpiryThresholdDays(t, today, 29) == 5);
  CHECK(NearExpiryThresholdDays(t, today, 16) == 5);
  CHECK(NearExpiryThresholdDays(t, today, 15) == 2);
  CHECK(NearExpiryThresholdDays({DefaultNearExpiryTable(4)}, today, 3) == 4);
}

TEST_CASE("rule 11 examples: L=365 from 2025-01-15, L=20 from 2025-02-24", "[alerts][config]") {
  const Date expiry = D(2025, 3, 1);
  CHECK_FALSE(NearExpiry(365, expiry, D(2025, 1, 14)));
  CHECK(NearExpiry(365, expiry, D(2025, 1, 15)));
  CHECK_FALSE(NearExpiry(20, expiry, D(2025, 2, 23)));
  CHECK(NearExpiry(20, expiry, D(2025, 2, 24)));
  CHECK(NearExpiry(20, expiry, D(2025, 3, 1)));
  CHECK_FALSE(NearExpiry(20, expiry, D(2025, 3, 2)));  // expired, not near expiry
}

TEST_CASE("a newer near-expiry table applies from its effective date", "[alerts][config]") {
  NearExpiryTable newer = DefaultNearExpiryTable();
  newer.effective_from = D(2027, 1, 1);
  newer.tiers.front().threshold_days = 60;
  const std::vector<NearExpiryTable> versions{DefaultNearExpiryTable(), newer};
  CHECK(NearExpiryThresholdDays(versions, D(2026, 12, 31), 400) == 45);
  CHECK(NearExpiryThresholdDays(versions, D(2027, 1, 1), 400) == 60);
}

TEST_CASE("working days skip weekends and 2026 holidays and count make-up days", "[alerts][config]") {
  const WorkingCalendar c = DefaultCalendar();
  CHECK(c.IsWorkingDay(D(2026, 9, 30)));         // Wednesday
  CHECK_FALSE(c.IsWorkingDay(D(2026, 10, 1)));   // National Day
  CHECK_FALSE(c.IsWorkingDay(D(2026, 10, 3)));   // Saturday
  CHECK(c.IsWorkingDay(D(2026, 10, 10)));        // Saturday worked (调休)
  CHECK(c.IsWorkingDay(D(2026, 2, 14)));         // Saturday worked before Spring Festival
  CHECK_FALSE(c.IsWorkingDay(D(2026, 2, 16)));   // Spring Festival, a Monday
  // From Wednesday 2026-09-30: 10-08 (Thu) is the first working day after the holiday.
  CHECK(c.AddWorkingDays(D(2026, 9, 30), 1) == D(2026, 10, 8));
  CHECK(c.AddWorkingDays(D(2026, 9, 30), 3) == D(2026, 10, 10));
  // An ordinary fortnight: 10 working days from Monday 2026-11-02 is Monday 2026-11-16.
  CHECK(c.AddWorkingDays(D(2026, 11, 2), 10) == D(2026, 11, 16));
}

TEST_CASE("recall deadlines follow the rule version in force when the risk became known", "[alerts][config]") {
  const auto rules = DefaultRecallRules();
  const WorkingCalendar c = DefaultCalendar();
  const int offset = kChinaUtcOffsetMinutes;
  const TimeZone zone = TimeZone::Fixed(offset, "Asia/Shanghai");
  const UnixMillis nov = StartOfDay(D(2026, 11, 2), offset) + 9 * 3600'000;  // Monday 09:00
  RecallDeadline old = ComputeRecallDeadline(rules, c, v1::Recall::III, 0, nov, zone);
  CHECK(old.rule == "RM2015");
  CHECK(old.start_by_ms == nov + 72 * 3600'000LL);
  CHECK(old.complete_by == c.AddWorkingDays(D(2026, 11, 2), 30));
  RecallDeadline l1 = ComputeRecallDeadline(rules, c, v1::Recall::I, 0, nov, zone);
  CHECK(l1.start_by_ms == nov + 24 * 3600'000LL);
  CHECK(l1.complete_by == D(2026, 11, 16));
  CHECK(l1.complete_by_ms == StartOfDay(D(2026, 11, 17), offset));
  const UnixMillis dec = StartOfDay(D(2026, 12, 1), offset) + 9 * 3600'000;
  RecallDeadline now = ComputeRecallDeadline(rules, c, v1::Recall::III, 0, dec, zone);
  CHECK(now.rule == "RM2026");
  CHECK(now.start_by_ms == dec + 48 * 3600'000LL);
  // known_at decides, not the issue date.
  RecallDeadline known_early = ComputeRecallDeadline(rules, c, v1::Recall::III, nov, dec, zone);
  CHECK(known_early.rule == "RM2015");
  CHECK(known_early.start_by_ms == nov + 72 * 3600'000LL);
}
