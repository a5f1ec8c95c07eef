// GS1 dates: YYMMDD with the century rule of GS1 General Specifications §7.12 and DD = 00
// meaning the last day of the month. Private to the scanner. Pure and thread-safe; the
// success path allocates nothing (ParseCode runs it for every date of every scan).
#pragma once

#include <string>
#include <string_view>

#include "foodtrace/common/status.h"

namespace foodtrace::scanner::internal {

struct Gs1Date {
  int year = 0;
  int month = 0;
  int day = 0;  // DD = 00 already replaced by the month's last day
};

// The four-digit year for two-digit `yy` (0..99): the one within -49..+50 years of
// `current_year`.
int Gs1Year(int yy, int current_year);

// Decodes six digits YYMMDD; false when they are not digits or not a real date.
bool DecodeGs1Date(std::string_view yymmdd, int current_year, Gs1Date* date);

// The GS1_DATE error for a `yymmdd` that DecodeGs1Date refused, naming the wrong part;
// `label` starts the message (e.g. "AI (17) USE BY OR EXPIRY").
Status Gs1DateError(std::string_view yymmdd, int current_year, std::string_view label);

// "YYYY-MM-DD".
std::string IsoDate(const Gs1Date& date);

// The current year in China (UTC+08:00), for ParseOptions::current_year = 0.
int CurrentChinaYear();

}  // namespace foodtrace::scanner::internal
