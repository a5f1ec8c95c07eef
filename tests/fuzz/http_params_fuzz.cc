// Fuzzes the portal's URL path handling (percent-decoding, segment splitting, route matching):
// any bytes must give segments or an error, never a crash, and decoded segments never hold
// control bytes or an empty name that could reach the file system as "" or "..".
#include <cstddef>
#include <cstdint>
#include <string>

#include "portal/router.h"

using namespace foodtrace;
using namespace foodtrace::portal;

namespace {

const Router& TestRouter() {
  static const Router* router = [] {
    auto* r = new Router();
    auto none = [](Context&, Call&) {};
    r->Add("GET", "/api/v1/lookup", Access::kLookup, none);
    r->Add("GET", "/api/v1/recalls/{}", Access::kPublic, none);
    r->Add("GET", "/api/v1/recalls/{}/progress", Access::kRegulator, none);
    r->Add("POST", "/api/v1/alerts/{}/ack", Access::kRegulator, none);
    r->Add("GET", "/01/{*}", Access::kPublic, none);
    return r;
  }();
  return *router;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  auto decoded = PercentDecode(input, true);
  if (decoded.ok()) FT_CHECK(decoded->size() <= input.size());
  if (input.find('%') == std::string::npos && input.find('+') == std::string::npos) {
    FT_CHECK(decoded.ok() && *decoded == input);
  }
  auto segments = SplitPath(input);
  if (!segments.ok()) return 0;
  for (const std::string& s : *segments) {
    for (unsigned char c : s) FT_CHECK(c >= 0x20 && c != 0x7f);
  }
  std::vector<std::string> params;
  bool known = false;
  for (const char* method : {"GET", "POST", "HEAD"}) {
    if (const Route* r = TestRouter().Match(method, *segments, &params, &known)) {
      for (const std::string& p : params) FT_CHECK(!p.empty() || r->pattern == "/01/{*}");
    }
  }
  return 0;
}
