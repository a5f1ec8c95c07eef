#include "bench/scan/text_bench.h"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <regex>

#include "foodtrace/common/identifiers.h"
#include "foodtrace/scanner/scanner.h"

namespace foodtrace::bench {
namespace {

using Clock = std::chrono::steady_clock;

double ThreadCpuSeconds() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

std::string Gtin(int i) {
  std::string body = "0690" + std::to_string(1000000000 + i * 7919 % 900000000);
  body.resize(13, '0');
  return body + static_cast<char>('0' + Gs1CheckDigit(body));
}

// 1000 codes: a quarter each element strings, bracketed, Digital Links and bare EAN-13.
std::vector<std::string> Mix() {
  std::vector<std::string> mix;
  for (int i = 0; i < 250; ++i) {
    const std::string gtin = Gtin(i);
    const std::string lot = "L" + std::to_string(10000 + i);
    const std::string date =
        "2" + std::to_string(6 + i % 3) + "0" + std::to_string(1 + i % 9) + "15";
    mix.push_back("]d201" + gtin + "17" + date + "10" + lot +
                  "\x1D"
                  "21S" +
                  std::to_string(i));
    mix.push_back("(01)" + gtin + "(17)" + date + "(10)" + lot);
    mix.push_back("https://id.example.com/01/" + gtin + "/10/" + lot + "?17=" + date);
    mix.push_back(gtin.substr(1));
  }
  return mix;
}

bool ParseWithFoodtrace(const std::string& code) {
  // Default options, as the kiosk and portal call it: the current year is looked up per call.
  Result<scanner::Gs1Data> data = scanner::ParseCode(code);
  return data.ok() && !data->gtin.empty();
}

// The obvious regex approach, as a baseline: one pattern per form, no AI table, no checks
// beyond the shape.
bool ParseWithRegex(const std::string& code) {
  static const std::regex kLink(
      R"(^https?://[^/]+/(?:.*/)?01/(\d{14})(?:/10/([^/?]+))?(?:\?17=(\d{6}))?)");
  static const std::regex kBracketed(
      R"(^\(01\)(\d{14})(?:\(17\)(\d{6}))?(?:\(10\)([!-~]{1,20}))?)");
  static const std::regex kElement(
      R"(^(?:\][A-Za-z]\d)?01(\d{14})(?:17(\d{6}))?(?:10([^\x1D]{1,20}))?)");
  static const std::regex kEan(R"(^\d{8}$|^\d{12,14}$)");
  std::smatch m;
  return std::regex_search(code, m, kLink) || std::regex_search(code, m, kBracketed) ||
         std::regex_search(code, m, kElement) || std::regex_match(code, kEan);
}

template <class Parse>
TextRate Measure(const char* name, const std::vector<std::string>& mix, double seconds,
                 Parse parse) {
  TextRate rate{name, 0, 0, 0, 0};
  const double cpu_start = ThreadCpuSeconds();
  const Clock::time_point start = Clock::now();
  Clock::time_point last_report = start;
  for (;;) {
    for (const std::string& code : mix) rate.accepted += parse(code);
    rate.codes += static_cast<long long>(mix.size());
    const Clock::time_point now = Clock::now();
    rate.seconds = std::chrono::duration<double>(now - start).count();
    rate.cpu_seconds = ThreadCpuSeconds() - cpu_start;
    if (now - last_report > std::chrono::seconds(1)) {
      std::fprintf(stderr, "  text %-22s %10lld codes, %.0f codes/s\n", name, rate.codes,
                   static_cast<double>(rate.codes) / rate.seconds);
      last_report = now;
    }
    if (rate.seconds >= seconds)
      return rate;
  }
}

}  // namespace

std::vector<TextRate> RunTextBench(double seconds) {
  const std::vector<std::string> mix = Mix();
  std::vector<TextRate> rates;
  rates.push_back(Measure("foodtrace ParseCode", mix, seconds, ParseWithFoodtrace));
  rates.push_back(Measure("std::regex baseline", mix, seconds / 2, ParseWithRegex));
  return rates;
}

}  // namespace foodtrace::bench
