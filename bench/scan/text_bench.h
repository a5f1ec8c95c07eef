// The text half of bench_scan: ParseCode throughput on a mix of element strings, bracketed
// codes, Digital Links and bare EAN/UPC numbers, against a naive std::regex parser.
#pragma once

#include <string>
#include <vector>

namespace foodtrace::bench {

struct TextRate {
  std::string parser;
  long long codes = 0;
  double seconds = 0;      // wall clock
  double cpu_seconds = 0;  // this thread's CPU time
  long long accepted = 0;  // codes the parser read a GTIN from
};

// Runs each parser over `mix` for about `seconds` seconds. Prints progress lines to stderr.
std::vector<TextRate> RunTextBench(double seconds);

}  // namespace foodtrace::bench
