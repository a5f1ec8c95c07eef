// Rule configuration (alerts.h): the near-expiry table, recall deadline versions and the
// working-day calendar, with the defaults REGULATION.md rules 11, 15 and 16 give.
#include <algorithm>

#include "foodtrace/alerts/alerts.h"

namespace foodtrace::alerts {

NearExpiryTable DefaultNearExpiryTable(int short_days, int year_days, int half_year_days) {
  NearExpiryTable t;
  t.effective_from = Date::FromYmd(2012, 1, 1);
  t.tiers = {{year_days, 45}, {half_year_days, 20}, {90, 15}, {30, 10}, {16, 5}, {0, short_days}};
  return t;
}

int NearExpiryThresholdDays(const std::vector<NearExpiryTable>& versions, Date today,
                            int shelf_life_days) {
  FT_CHECK(!versions.empty());
  const NearExpiryTable* in_force = &versions.front();
  for (const NearExpiryTable& v : versions) {
    if (v.effective_from <= today && v.effective_from >= in_force->effective_from) in_force = &v;
  }
  for (const NearExpiryTier& tier : in_force->tiers) {
    if (shelf_life_days >= tier.shelf_life_days_min) return tier.threshold_days;
  }
  return in_force->tiers.empty() ? 0 : in_force->tiers.back().threshold_days;
}

std::vector<RecallRuleVersion> DefaultRecallRules() {
  return {
      {"RM2015", Date::FromYmd(2015, 9, 1), {24, 48, 72}, {10, 20, 30}},
      {"RM2026", Date::FromYmd(2026, 12, 1), {24, 48, 48}, {10, 20, 30}},
  };
}

bool WorkingCalendar::IsWorkingDay(Date day) const {
  if (std::find(workdays.begin(), workdays.end(), day) != workdays.end()) return true;
  if (day.iso_weekday() >= 6) return false;
  return std::find(holidays.begin(), holidays.end(), day) == holidays.end();
}

Date WorkingCalendar::AddWorkingDays(Date from, int n) const {
  Date d = from;
  for (int counted = 0; counted < n;) {
    d = d.AddDays(1);
    if (IsWorkingDay(d)) ++counted;
  }
  return d;
}

WorkingCalendar DefaultCalendar() {
  WorkingCalendar c;
  auto range = [&c](int y, int m, int d_from, int d_to) {
    for (int d = d_from; d <= d_to; ++d) c.holidays.push_back(Date::FromYmd(y, m, d));
  };
  // 2026: 元旦 1-1..1-3; 春节 2-15..2-23; 清明 4-4..4-6; 劳动节 5-1..5-5; 端午 6-19..6-21;
  // 中秋 9-25..9-27; 国庆 10-1..10-7.
  range(2026, 1, 1, 3);
  range(2026, 2, 15, 23);
  range(2026, 4, 4, 6);
  range(2026, 5, 1, 5);
  range(2026, 6, 19, 21);
  range(2026, 9, 25, 27);
  range(2026, 10, 1, 7);
  // Make-up workdays (调休): 1-4, 2-14, 2-28, 5-9, 9-20, 10-10.
  for (auto [m, d] : {std::pair{1, 4}, {2, 14}, {2, 28}, {5, 9}, {9, 20}, {10, 10}}) {
    c.workdays.push_back(Date::FromYmd(2026, m, d));
  }
  return c;
}

RecallDeadline ComputeRecallDeadline(const std::vector<RecallRuleVersion>& rules,
                                     const WorkingCalendar& calendar, v1::Recall::Level level,
                                     UnixMillis known_at_ms, UnixMillis issued_at_ms,
                                     const TimeZone& zone) {
  FT_CHECK(!rules.empty());
  FT_CHECK(level >= v1::Recall::I && level <= v1::Recall::III);
  if (known_at_ms == 0) known_at_ms = issued_at_ms;
  const Date known_on = zone.DateAt(known_at_ms);
  const RecallRuleVersion* in_force = &rules.front();
  for (const RecallRuleVersion& v : rules) {
    if (v.effective_from <= known_on && v.effective_from >= in_force->effective_from) in_force = &v;
  }
  const int i = static_cast<int>(level) - 1;
  RecallDeadline d;
  d.rule = in_force->name;
  d.start_by_ms = known_at_ms + static_cast<std::int64_t>(in_force->start_hours[i]) * 3600 * 1000;
  d.complete_by = calendar.AddWorkingDays(zone.DateAt(issued_at_ms), in_force->complete_working_days[i]);
  d.complete_by_ms = zone.StartOfDay(d.complete_by.AddDays(1));
  return d;
}

}  // namespace foodtrace::alerts
