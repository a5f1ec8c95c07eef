// A vendor's spreadsheet ledger (电子台账) as CSV, read row by row into LedgerEntry records
// for `foodtrace import`. The column set, aliases, units, limits and error codes are in
// docs/import.md; in short:
//
// - UTF-8 (a byte-order mark is skipped), a header row, RFC 4180 quoting, CRLF or LF.
// - Columns in any order, English or Chinese names: event_id, kind, date, gtin, product_code,
//   product_name, specification, lot, quantity, unit, produced_on, expires_on,
//   shelf_life_days, counterparty_id, counterparty_name, counterparty_address,
//   counterparty_contact, counterparty_licence, documents; optional counterparty_uscc,
//   dispose_method, note, farm_produce. Unknown columns are ignored (see ignored_columns()).
// - kind is receive|ship|dispose|stocktake (or 进货/销售/销货/处置/盘点).
// - Numbering: `row` is the N-th record after the header (header = row 0, blank rows count),
//   `line` the 1-based line where the record starts. A spreadsheet shows it as row N+1.
// - A row without event_id gets "csv-" + 16 hex digits of SHA-256 over its kind and its
//   non-empty cells (by canonical column name), plus an occurrence number for repeated
//   identical rows, so importing the same file again yields the same ids (and the ledger
//   answers DUPLICATE instead of counting twice).
//
// The reader maps and normalises what a spreadsheet writes (unit words, 2025/5/1 dates,
// decimal kilograms); it does not apply the record rules: the ledger validates every entry
// (ledger/validate.h) and answers per row.
#pragma once

#include <cstdint>
#include <istream>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "foodtrace/common/status.h"
#include "foodtrace/v1/records.pb.h"

namespace foodtrace::ingest {

namespace v1 = ::foodtrace::v1;

// One data row of the file: its entry, or why the row cannot be read (that row only).
struct CsvRow {
  std::uint64_t row = 0;   // 1-based record number after the header
  std::uint64_t line = 0;  // 1-based line where the record starts
  std::string event_id;    // as given or derived; empty if the record itself is malformed
  bool event_id_derived = false;
  // The entry, or an error whose message names the row, the column (as the header wrote it)
  // and what to fix. Reasons: CSV_QUOTE, CSV_ROW_TOO_LONG, CSV_TOO_MANY_COLUMNS,
  // CSV_COLUMN_COUNT, CSV_ENCODING, CSV_KIND, CSV_NUMBER, CSV_BOOLEAN, CSV_TOO_MANY_ROWS.
  Result<v1::LedgerEntry> entry;
};

// Streams a CSV ledger. Holds a reference to the istream, which must outlive the reader.
// Memory is bounded by kCsvRowBytesMax per row plus 16 bytes per derived event id. Not
// thread-safe; movable.
class CsvLedgerReader {
 public:
  // Reads and maps the header. Errors: CSV_EMPTY (no header), CSV_ENCODING (the header is not
  // UTF-8, e.g. a GBK export), CSV_HEADER_MISSING (a required column is absent: kind unless
  // the date column is 进货日期/销售日期, date, quantity, unit, gtin or product_code),
  // CSV_HEADER_DUPLICATE (two columns mean the same field), and the record errors of CsvRow.
  static Result<CsvLedgerReader> Open(std::istream& in);

  // The next data row, or nullopt at the end of the file. Blank rows are skipped. A bad row is
  // returned as a CsvRow carrying its error and reading continues after it. Errors (the
  // reader is then finished): IO when the stream fails.
  Result<std::optional<CsvRow>> Next();

  // Header cells that name no known column, as written (their values are not imported).
  const std::vector<std::string>& ignored_columns() const;

  CsvLedgerReader(CsvLedgerReader&&) noexcept;
  CsvLedgerReader& operator=(CsvLedgerReader&&) noexcept;
  ~CsvLedgerReader();

  struct State;

 private:
  explicit CsvLedgerReader(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

// Parses one CSV record (RFC 4180; a trailing line break is allowed) into its fields; used by
// the fuzz target and by tools. An empty text is one empty field. Errors: CSV_QUOTE,
// CSV_ROW_TOO_LONG, CSV_TOO_MANY_COLUMNS, CSV_RECORD_END (more text after the record).
Status ParseCsvRecord(std::string_view text, std::vector<std::string>* fields);

}  // namespace foodtrace::ingest
