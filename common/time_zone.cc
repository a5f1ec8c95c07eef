// TZif reader (RFC 8536) and POSIX TZ rules for TimeZone.
//
// TZif layout (all integers big-endian):
//   header  "TZif" version(1) reserved(15) isutcnt isstdcnt leapcnt timecnt typecnt charcnt (u32 each)
//   v1 body timecnt×i32 times, timecnt×u8 types, typecnt×{i32 utoff, u8 isdst, u8 idx},
//           charcnt bytes, leapcnt×8, isstdcnt, isutcnt
//   version ≥ 2 repeats header and body with i64 times (leap records 12 bytes), then the footer
//   "\n" POSIX-TZ-string "\n" that governs instants after the last transition.
#include "foodtrace/common/time_zone.h"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <vector>

namespace foodtrace {

// A POSIX TZ rule ("CST-8", "CET-1CEST,M3.5.0,M10.5.0/3"); offsets are seconds east of UTC.
struct PosixRule {
  enum class Form : std::uint8_t { kMonthWeekDay, kJulian1, kJulian0 };
  struct When {
    Form form = Form::kMonthWeekDay;
    int month = 0, week = 0, weekday = 0, day = 0;
    int time_s = 7200;  // local time of the change, default 02:00
  };
  int std_offset_s = 0;
  bool has_dst = false;
  int dst_offset_s = 0;
  When start, end;
};

struct TimeZone::Data {
  std::string name;
  std::vector<std::int64_t> transitions_s;  // ascending UTC seconds
  std::vector<int> transition_offsets_s;    // offset in force from each transition
  int initial_offset_s = 0;                 // before the first transition
  bool has_rule = false;
  PosixRule rule;
};

namespace {

constexpr std::int64_t kDaySeconds = 86400;

std::int64_t FloorDiv(std::int64_t a, std::int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

bool ValidZoneName(std::string_view name) {
  if (name.empty() || name.size() > kTimeZoneNameBytesMax || name.front() == '/') return false;
  if (name.find("..") != std::string_view::npos || name.find("//") != std::string_view::npos) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-' || c == '+' || c == '/';
  });
}

// ---- POSIX TZ string ------------------------------------------------------------------------

class PosixParser {
 public:
  explicit PosixParser(std::string_view s) : s_(s) {}

  bool Parse(PosixRule* rule) {
    int std_west = 0;
    if (!Name() || !Offset(&std_west)) return false;
    rule->std_offset_s = -std_west;
    if (Done()) return true;
    if (!Name()) return false;
    rule->has_dst = true;
    rule->dst_offset_s = rule->std_offset_s + 3600;
    if (!Done() && Peek() != ',') {
      int dst_west = 0;
      if (!Offset(&dst_west)) return false;
      rule->dst_offset_s = -dst_west;
    }
    if (Done()) {  // no rule given: the US rules of 2007, as POSIX implementations assume
      rule->start = {PosixRule::Form::kMonthWeekDay, 3, 2, 0, 0, 7200};
      rule->end = {PosixRule::Form::kMonthWeekDay, 11, 1, 0, 0, 7200};
      return true;
    }
    return Eat(',') && Rule(&rule->start) && Eat(',') && Rule(&rule->end) && Done();
  }

 private:
  bool Done() const { return i_ >= s_.size(); }
  char Peek() const { return Done() ? '\0' : s_[i_]; }
  bool Eat(char c) {
    if (Peek() != c) return false;
    ++i_;
    return true;
  }
  bool Number(int* out, int max_digits) {
    int n = 0, digits = 0;
    while (!Done() && Peek() >= '0' && Peek() <= '9' && digits < max_digits) {
      n = n * 10 + (s_[i_++] - '0');
      ++digits;
    }
    *out = n;
    return digits > 0;
  }
  bool Name() {
    if (Eat('<')) {
      while (!Done() && Peek() != '>') ++i_;
      return Eat('>');
    }
    std::size_t n = 0;
    while (!Done() && ((Peek() >= 'A' && Peek() <= 'Z') || (Peek() >= 'a' && Peek() <= 'z'))) ++i_, ++n;
    return n >= 3;
  }
  // [+-]hh[:mm[:ss]] as seconds (the sign as written).
  bool Offset(int* seconds) {
    int sign = 1;
    if (Eat('-')) sign = -1;
    else Eat('+');
    int h = 0, m = 0, sec = 0;
    if (!Number(&h, 3) || h > 167) return false;
    if (Eat(':') && (!Number(&m, 2) || m > 59)) return false;
    if (Eat(':') && (!Number(&sec, 2) || sec > 59)) return false;
    *seconds = sign * (h * 3600 + m * 60 + sec);
    return true;
  }
  bool Rule(PosixRule::When* w) {
    if (Eat('M')) {
      w->form = PosixRule::Form::kMonthWeekDay;
      if (!Number(&w->month, 2) || !Eat('.') || !Number(&w->week, 1) || !Eat('.') || !Number(&w->weekday, 1)) return false;
      if (w->month < 1 || w->month > 12 || w->week < 1 || w->week > 5 || w->weekday > 6) return false;
    } else if (Eat('J')) {
      w->form = PosixRule::Form::kJulian1;
      if (!Number(&w->day, 3) || w->day < 1 || w->day > 365) return false;
    } else {
      w->form = PosixRule::Form::kJulian0;
      if (!Number(&w->day, 3) || w->day > 365) return false;
    }
    w->time_s = 7200;
    return !Eat('/') || Offset(&w->time_s);
  }

  std::string_view s_;
  std::size_t i_ = 0;
};

// The local date (as days since the epoch) on which rule `w` falls in `year`.
std::int64_t RuleDay(const PosixRule::When& w, int year) {
  switch (w.form) {
    case PosixRule::Form::kJulian1: {  // 1..365, February 29 never counted
      Date d = Date::FromYmd(year, 1, 1).AddDays(w.day - 1);
      const bool leap = Date::DaysInMonth(year, 2) == 29;
      if (leap && w.day >= 60) d = d.AddDays(1);
      return d.days();
    }
    case PosixRule::Form::kJulian0:
      return Date::FromYmd(year, 1, 1).AddDays(w.day).days();
    case PosixRule::Form::kMonthWeekDay:
      break;
  }
  const Date first = Date::FromYmd(year, w.month, 1);
  const int first_weekday = first.iso_weekday() % 7;  // 0 = Sunday
  int day = 1 + (w.weekday - first_weekday + 7) % 7 + (w.week - 1) * 7;
  while (day > Date::DaysInMonth(year, w.month)) day -= 7;
  return first.days() + day - 1;
}

int RuleOffsetAt(const PosixRule& rule, std::int64_t at_s) {
  if (!rule.has_dst) return rule.std_offset_s;
  const int year = Date::FromDays(static_cast<std::int32_t>(FloorDiv(at_s + rule.std_offset_s, kDaySeconds))).year();
  if (year < kDateYearMin + 1 || year > kDateYearMax - 1) return rule.std_offset_s;
  const std::int64_t start = RuleDay(rule.start, year) * kDaySeconds + rule.start.time_s - rule.std_offset_s;
  const std::int64_t end = RuleDay(rule.end, year) * kDaySeconds + rule.end.time_s - rule.dst_offset_s;
  const bool dst = start < end ? (at_s >= start && at_s < end) : !(at_s >= end && at_s < start);
  return dst ? rule.dst_offset_s : rule.std_offset_s;
}

// ---- TZif -----------------------------------------------------------------------------------

class Reader {
 public:
  explicit Reader(std::string_view bytes) : b_(bytes) {}
  bool Has(std::size_t n) const { return n <= b_.size() - i_; }
  std::int64_t Int(int width) {
    std::uint64_t v = 0;
    for (int k = 0; k < width; ++k) v = (v << 8) | static_cast<unsigned char>(b_[i_++]);
    if (width == 4) return static_cast<std::int32_t>(static_cast<std::uint32_t>(v));
    return static_cast<std::int64_t>(v);
  }
  std::uint8_t Byte() { return static_cast<std::uint8_t>(b_[i_++]); }
  void Skip(std::size_t n) { i_ += n; }
  std::size_t pos() const { return i_; }
  std::string_view rest() const { return b_.substr(i_); }

 private:
  std::string_view b_;
  std::size_t i_ = 0;
};

struct Counts {
  std::uint32_t isut = 0, isstd = 0, leap = 0, time = 0, type = 0, chars = 0;
};

bool ReadHeader(Reader* r, char* version, Counts* c) {
  if (!r->Has(44)) return false;
  const std::string_view magic = r->rest().substr(0, 4);
  if (magic != "TZif") return false;
  r->Skip(4);
  *version = static_cast<char>(r->Byte());
  r->Skip(15);
  std::uint32_t* fields[] = {&c->isut, &c->isstd, &c->leap, &c->time, &c->type, &c->chars};
  for (std::uint32_t* f : fields) *f = static_cast<std::uint32_t>(r->Int(4));
  return c->type >= 1 && c->type <= 256 && c->time <= 100000 && c->chars <= 65536 && c->leap <= 100000 &&
         (c->isut == 0 || c->isut == c->type) && (c->isstd == 0 || c->isstd == c->type);
}

std::size_t BodyBytes(const Counts& c, int time_width) {
  return std::size_t{c.time} * time_width + c.time + std::size_t{c.type} * 6 + c.chars +
         std::size_t{c.leap} * (time_width + 4) + c.isstd + c.isut;
}

bool ReadBody(Reader* r, const Counts& c, int time_width, TimeZone::Data* z) {
  if (!r->Has(BodyBytes(c, time_width))) return false;
  std::vector<std::int64_t> times(c.time);
  for (auto& t : times) t = r->Int(time_width);
  std::vector<std::uint8_t> types(c.time);
  for (auto& t : types) {
    t = r->Byte();
    if (t >= c.type) return false;
  }
  std::vector<int> offsets(c.type);
  std::vector<bool> is_dst(c.type);
  for (std::uint32_t k = 0; k < c.type; ++k) {
    const std::int64_t off = r->Int(4);
    if (off < -25 * 3600 || off > 26 * 3600) return false;
    offsets[k] = static_cast<int>(off);
    is_dst[k] = r->Byte() != 0;
    r->Skip(1);
  }
  r->Skip(c.chars + std::size_t{c.leap} * (time_width + 4) + c.isstd + c.isut);
  for (std::size_t k = 1; k < times.size(); ++k) {
    if (times[k] <= times[k - 1]) return false;
  }
  z->transitions_s = std::move(times);
  z->transition_offsets_s.clear();
  for (std::uint8_t t : types) z->transition_offsets_s.push_back(offsets[t]);
  // Before the first transition: type 0 (RFC 8536 §3.2).
  z->initial_offset_s = offsets[0];
  return true;
}

Status BadFile(std::string_view name) {
  return Status(Code::kCorruption, "TIME_ZONE_FILE",
                "the zone file of '" + std::string(name) +
                    "' is not a TZif file this server can read: reinstall tzdata (apt-get install --reinstall tzdata)");
}

}  // namespace

TimeZone::TimeZone() : TimeZone(Fixed(0, "UTC")) {}

TimeZone TimeZone::Fixed(int utc_offset_minutes, std::string name) {
  auto d = std::make_shared<Data>();
  d->name = std::move(name);
  d->initial_offset_s = utc_offset_minutes * 60;
  return TimeZone(std::move(d));
}

Result<TimeZone> TimeZone::Load(std::string_view name, std::string_view zoneinfo_dir) {
  if (!ValidZoneName(name)) {
    return Status::Invalid("TIME_ZONE_NAME", "'" + std::string(name.substr(0, kTimeZoneNameBytesMax)) +
                                                 "' is not a time zone name: use an IANA name such as Asia/Shanghai");
  }
  const std::string path = std::string(zoneinfo_dir) + "/" + std::string(name);
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Status(Code::kNotFound, "TIME_ZONE_UNKNOWN",
                  "no time zone '" + std::string(name) + "' in " + std::string(zoneinfo_dir) +
                      ": check the name (e.g. Asia/Shanghai) or install tzdata");
  }
  std::string bytes;
  bytes.resize(kTimeZoneFileBytesMax + 1);
  in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  bytes.resize(static_cast<std::size_t>(in.gcount()));
  if (bytes.size() > kTimeZoneFileBytesMax) return BadFile(name);

  auto data = std::make_shared<Data>();
  data->name = std::string(name);
  Reader r(bytes);
  char version = 0;
  Counts c;
  if (!ReadHeader(&r, &version, &c) || !ReadBody(&r, c, 4, data.get())) return BadFile(name);
  if (version >= '2') {
    if (!ReadHeader(&r, &version, &c) || !ReadBody(&r, c, 8, data.get())) return BadFile(name);
    const std::string_view footer = r.rest();
    if (footer.size() < 2 || footer[0] != '\n') return BadFile(name);
    const std::size_t close = footer.find('\n', 1);
    if (close == std::string_view::npos) return BadFile(name);
    const std::string_view tz = footer.substr(1, close - 1);
    if (!tz.empty()) {
      if (!PosixParser(tz).Parse(&data->rule)) return BadFile(name);
      data->has_rule = true;
    }
  }
  return TimeZone(std::move(data));
}

const std::string& TimeZone::name() const { return data_->name; }

int TimeZone::OffsetMinutesAt(UnixMillis at) const {
  const Data& z = *data_;
  const std::int64_t at_s = FloorDiv(at, 1000);
  if (z.transitions_s.empty() || at_s < z.transitions_s.front()) {
    if (z.transitions_s.empty() && z.has_rule) return RuleOffsetAt(z.rule, at_s) / 60;
    return z.initial_offset_s / 60;
  }
  if (at_s >= z.transitions_s.back() && z.has_rule) return RuleOffsetAt(z.rule, at_s) / 60;
  const auto it = std::upper_bound(z.transitions_s.begin(), z.transitions_s.end(), at_s);
  return z.transition_offsets_s[static_cast<std::size_t>(it - z.transitions_s.begin()) - 1] / 60;
}

Date TimeZone::DateAt(UnixMillis at) const { return foodtrace::DateAt(at, OffsetMinutesAt(at)); }

UnixMillis TimeZone::StartOfDay(Date date) const {
  const UnixMillis naive = static_cast<UnixMillis>(date.days()) * 86'400'000;
  UnixMillis guess = naive - static_cast<UnixMillis>(OffsetMinutesAt(naive)) * 60'000;
  guess = naive - static_cast<UnixMillis>(OffsetMinutesAt(guess)) * 60'000;
  // A transition that skips midnight: the day starts at the first instant that is on `date`.
  while (DateAt(guess) < date) guess += 15 * 60'000;
  while (DateAt(guess - 1) == date) guess -= 15 * 60'000;
  return guess;
}

std::string TimeZone::FormatLocal(UnixMillis at) const {
  const UnixMillis local = at + static_cast<UnixMillis>(OffsetMinutesAt(at)) * 60'000;
  const Date d = foodtrace::DateAt(local, 0);
  const std::int64_t minute_of_day = FloorDiv(local, 60'000) - static_cast<std::int64_t>(d.days()) * 1440;
  char text[32];
  std::snprintf(text, sizeof text, "%s %02d:%02d", d.ToString().c_str(), static_cast<int>(minute_of_day / 60),
                static_cast<int>(minute_of_day % 60));
  return text;
}

Result<UnixMillis> ParseLocalTime(std::string_view text, const TimeZone& zone) {
  auto bad = [&] {
    return Status::Invalid("INVALID_TIME", "'" + std::string(text.substr(0, 40)) +
                                               "' is not a time: use YYYY-MM-DD, YYYY-MM-DDTHH:MM or "
                                               "an RFC 3339 instant such as 2026-12-04T23:30:00+08:00");
  };
  auto date = Date::Parse(text.substr(0, 10));
  if (!date.ok()) return bad();
  if (text.size() == 10) return zone.StartOfDay(*date);
  std::string_view rest = text.substr(10);
  if (rest.size() < 6 || (rest[0] != 'T' && rest[0] != ' ')) return bad();
  auto two = [](std::string_view s, std::size_t at, int max, int* out) {
    if (s.size() < at + 2 || s[at] < '0' || s[at] > '9' || s[at + 1] < '0' || s[at + 1] > '9') return false;
    *out = (s[at] - '0') * 10 + (s[at + 1] - '0');
    return *out <= max;
  };
  int hour = 0, minute = 0, second = 0;
  if (!two(rest, 1, 23, &hour) || rest[3] != ':' || !two(rest, 4, 59, &minute)) return bad();
  std::size_t i = 6;
  if (i < rest.size() && rest[i] == ':') {
    if (!two(rest, i + 1, 59, &second)) return bad();
    i += 3;
    if (i < rest.size() && rest[i] == '.') {
      ++i;
      while (i < rest.size() && rest[i] >= '0' && rest[i] <= '9') ++i;  // fractions are dropped
    }
  }
  const UnixMillis naive = static_cast<UnixMillis>(date->days()) * 86'400'000 +
                           (hour * 3600LL + minute * 60LL + second) * 1000;
  const std::string_view zone_text = rest.substr(i);
  if (zone_text.empty()) {
    UnixMillis guess = naive - static_cast<UnixMillis>(zone.OffsetMinutesAt(naive)) * 60'000;
    return naive - static_cast<UnixMillis>(zone.OffsetMinutesAt(guess)) * 60'000;
  }
  if (zone_text == "Z" || zone_text == "z") return naive;
  int oh = 0, om = 0;
  if (zone_text.size() != 6 || (zone_text[0] != '+' && zone_text[0] != '-') || !two(zone_text, 1, 23, &oh) ||
      zone_text[3] != ':' || !two(zone_text, 4, 59, &om)) {
    return bad();
  }
  const UnixMillis offset_ms = (oh * 60LL + om) * 60'000;
  return zone_text[0] == '+' ? naive - offset_ms : naive + offset_ms;
}

}  // namespace foodtrace
