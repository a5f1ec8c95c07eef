// libFuzzer target: arbitrary bytes as a CSV ledger file. The reader must never crash, every
// row must come back as an entry or an error, and validating an imported entry must be
// idempotent (a normalised entry validates again to the same bytes).
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include "foodtrace/common/check.h"
#include "foodtrace/ingest/csv_ledger.h"
#include "ledger/validate.h"

namespace {

using namespace foodtrace;

void CheckValidation(const v1::LedgerEntry& entry, bool wholesale) {
  ledger::ValidateContext ctx;
  ctx.today = Date::FromYmd(2025, 6, 1);
  ctx.recorder_wholesale = wholesale;
  v1::Item item;
  *item.mutable_entry() = entry;
  if (!ledger::ValidateItem(&item, ctx).ok())
    return;
  const std::string once = item.SerializeAsString();
  FT_CHECK(ledger::ValidateItem(&item, ctx).ok());
  FT_CHECK(item.SerializeAsString() == once);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  std::vector<std::string> fields;
  IgnoreStatus(ingest::ParseCsvRecord(text, &fields));  // any outcome is fine; no crash

  std::istringstream in(text);
  Result<ingest::CsvLedgerReader> reader = ingest::CsvLedgerReader::Open(in);
  if (!reader.ok())
    return 0;
  std::uint64_t last_row = 0;
  for (;;) {
    Result<std::optional<ingest::CsvRow>> row = reader->Next();
    FT_CHECK(row.ok());  // an istringstream never fails
    if (!row->has_value())
      break;
    const ingest::CsvRow& r = **row;
    FT_CHECK(r.row > last_row);
    last_row = r.row;
    if (!r.entry.ok()) {
      FT_CHECK(!r.entry.status().reason().empty());
      continue;
    }
    FT_CHECK(r.entry->event_id() == r.event_id);
    CheckValidation(*r.entry, (size & 1) != 0);
  }
  return 0;
}
