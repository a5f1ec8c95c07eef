// libFuzzer target: arbitrary bytes as an EPCIS capture document. Reading must never crash or
// throw; every event comes back mapped or with a reason; a mapped entry goes through the
// ledger's stateless validation without crashing, and exporting what was read never crashes.
#include <cstddef>
#include <cstdint>
#include <string>

#include "foodtrace/common/check.h"
#include "foodtrace/epcis/epcis.h"
#include "ledger/validate.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace foodtrace;
  const std::string text(reinterpret_cast<const char*>(data), size);
  epcis::CaptureOptions options;
  options.time_zone = TimeZone::Fixed(kChinaUtcOffsetMinutes, kDefaultTimeZone);
  auto doc = epcis::ReadCaptureDocument(text, options);
  if (!doc.ok()) return 0;
  ledger::ValidateContext ctx;
  ctx.today = Date::FromYmd(2026, 12, 1);
  ctx.recorder_producer = true;
  epcis::ExportOptions export_options;
  export_options.time_zone = options.time_zone;
  for (const auto& ev : doc->events) {
    FT_CHECK(ev.status.ok() == ev.entry.has_value());
    if (!ev.entry) continue;
    v1::Item item;
    *item.mutable_entry() = *ev.entry;
    const bool valid = ledger::ValidateItem(&item, ctx).ok();
    ledger::LedgerLine line;
    line.sequence = 1;
    *line.event.mutable_entry() = item.entry();
    if (valid) FT_CHECK(epcis::EventJson(line, export_options).has_value() || item.entry().kind() == v1::LedgerEntry::CORRECT);
  }
  return 0;
}
