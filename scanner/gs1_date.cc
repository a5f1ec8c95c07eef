#include "scanner/gs1_date.h"

#include "foodtrace/common/date.h"

namespace foodtrace::scanner::internal {
namespace {

bool SixDigits(std::string_view s) {
  if (s.size() != 6)
    return false;
  for (char c : s) {
    if (c < '0' || c > '9')
      return false;
  }
  return true;
}

int TwoDigits(std::string_view s, std::size_t at) { return (s[at] - '0') * 10 + (s[at + 1] - '0'); }

void PutDigits(int value, int width, char* out) {
  for (int i = width - 1; i >= 0; --i, value /= 10) out[i] = static_cast<char>('0' + value % 10);
}

}  // namespace

int Gs1Year(int yy, int current_year) {
  // §7.12: take the current century; if that lands more than 50 years ahead use the previous
  // century, more than 49 years back the next one.
  int year = current_year - current_year % 100 + yy;
  if (year - current_year > 50)
    year -= 100;
  if (year - current_year < -49)
    year += 100;
  return year;
}

bool DecodeGs1Date(std::string_view yymmdd, int current_year, Gs1Date* date) {
  if (!SixDigits(yymmdd))
    return false;
  const int year = Gs1Year(TwoDigits(yymmdd, 0), current_year);
  const int month = TwoDigits(yymmdd, 2);
  const int day = TwoDigits(yymmdd, 4);
  if (month < 1 || month > 12 || year < kDateYearMin || year > kDateYearMax)
    return false;
  const int last = Date::DaysInMonth(year, month);
  if (day > last)
    return false;
  *date = Gs1Date{year, month, day == 0 ? last : day};
  return true;
}

Status Gs1DateError(std::string_view yymmdd, int current_year, std::string_view label) {
  const std::string text(yymmdd);
  const std::string start = std::string(label) + " date '" + text + "'";
  if (!SixDigits(yymmdd))
    return Status::Invalid("GS1_DATE", start + " must be six digits YYMMDD");
  const int year = Gs1Year(TwoDigits(yymmdd, 0), current_year);
  const int month = TwoDigits(yymmdd, 2);
  if (month < 1 || month > 12) {
    return Status::Invalid("GS1_DATE",
                           start + " has month " + text.substr(2, 2) + ": MM must be 01 to 12");
  }
  if (year < kDateYearMin || year > kDateYearMax) {
    return Status::Invalid("GS1_DATE", start + " falls outside the years foodtrace accepts");
  }
  return Status::Invalid("GS1_DATE", start + " has day " + text.substr(4, 2) + " but " +
                                         std::to_string(year) + "-" + text.substr(2, 2) + " has " +
                                         std::to_string(Date::DaysInMonth(year, month)) +
                                         " days (DD = 00 means the last day of the month)");
}

std::string IsoDate(const Gs1Date& date) {
  std::string out = "0000-00-00";
  PutDigits(date.year, 4, &out[0]);
  PutDigits(date.month, 2, &out[5]);
  PutDigits(date.day, 2, &out[8]);
  return out;
}

int CurrentChinaYear() { return DateAt(NowMillis(), kChinaUtcOffsetMinutes).year(); }

}  // namespace foodtrace::scanner::internal
