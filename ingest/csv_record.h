// RFC 4180 records read one at a time from a byte stream. Private to ingest (csv_ledger.cc).
//
// Grammar accepted (RFC 4180 plus what spreadsheets write):
//   record  = field *("," field) (CRLF | LF | CR | end of input)
//   field   = quoted | bare
//   quoted  = '"' *(any byte except '"' | '""') '"' [spaces or tabs]
//   bare    = *(any byte except ',', CR, LF)     -- a '"' inside a bare field is kept as is
// A quoted field may span lines; '""' inside it is one '"'. Not thread-safe.
#pragma once

#include <cstdint>
#include <istream>
#include <string>
#include <vector>

#include "foodtrace/common/status.h"

namespace foodtrace::ingest {

// Bytes from an istream with a few bytes of push-back (for the byte-order mark).
class CsvByteSource {
 public:
  explicit CsvByteSource(std::istream* in) : in_(in) {}
  // The next byte (0–255), or -1 at end of input or on a read error.
  int Get();
  // The next byte without consuming it, or -1.
  int Peek();
  // Consumes a UTF-8 byte-order mark (EF BB BF) at the current position, if there is one.
  void SkipByteOrderMark();
  // True when the stream failed for a reason other than reaching its end.
  bool failed() const { return in_->bad(); }

 private:
  std::istream* in_;
  std::string pending_;  // pushed-back bytes, next byte first
};

struct CsvRecord {
  std::vector<std::string> fields;
  std::uint64_t lines = 0;  // line breaks consumed (inside quotes and the terminating one)
  Status status;            // a malformed or oversized record; its bytes are still consumed
};

// Reads the next record. Returns false at end of input before any byte of a record.
// Errors in record->status (the record is consumed up to its end, so the next call reads the
// next record): CSV_ROW_TOO_LONG (more than kCsvRowBytesMax bytes), CSV_TOO_MANY_COLUMNS
// (more than kCsvColumnsMax fields), CSV_QUOTE (text after a closing quote, or a quote left
// open at the end of the input).
bool ReadCsvRecord(CsvByteSource* source, CsvRecord* record);

}  // namespace foodtrace::ingest
