// Fuzzes the scanner's text parsers (GS1 element strings, the bracketed form, Digital Link URIs,
// bare GTINs, symbology identifiers) and the decoder worker's response reader: no input may
// crash or trip ASan/UBSan, and every accepted code must survive a round trip through its
// element-string form unchanged.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "foodtrace/common/check.h"
#include "foodtrace/scanner/scanner.h"
#include "scanner/gs1_parse.h"
#include "scanner/worker_protocol.h"

namespace {

using foodtrace::scanner::Gs1Data;
using foodtrace::scanner::ParseCode;
using foodtrace::scanner::ParseOptions;

void CheckInvariants(const Gs1Data& data) {
  FT_CHECK(!data.ais.empty());
  FT_CHECK(data.gtin.empty() || data.gtin.size() == 14);
  for (const std::string* date :
       {&data.produced_on, &data.packed_on, &data.best_before, &data.sell_by, &data.expires_on}) {
    FT_CHECK(date->empty() || date->size() == 10);
  }
  // Written back as an element string, the same elements must come out again.
  const std::string element_string = foodtrace::scanner::internal::ToElementString(data.ais);
  foodtrace::Result<Gs1Data> again = ParseCode("]C1" + element_string, ParseOptions{2026});
  FT_CHECK(again.ok());
  FT_CHECK(again->ais == data.ais);
  FT_CHECK(again->gtin == data.gtin && again->lot == data.lot &&
           again->expires_on == data.expires_on);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* bytes, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(bytes), size);
  foodtrace::Result<Gs1Data> data = ParseCode(text, ParseOptions{2026});
  if (data.ok()) {
    CheckInvariants(*data);
  } else {
    FT_CHECK(!data.status().reason().empty() && !data.status().message().empty());
  }
  bool malformed = false;
  auto response = foodtrace::scanner::internal::DecodeResponsePayload(text, &malformed);
  FT_CHECK(malformed || response.ok() || !response.status().reason().empty());
  return 0;
}
