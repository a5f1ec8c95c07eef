#include "ingest/csv_record.h"

#include <sstream>

#include "foodtrace/ingest/csv_ledger.h"
#include "ingest/limits.h"

namespace foodtrace::ingest {
namespace {

enum class State { kFieldStart, kBare, kQuoted, kAfterQuote };

// One record's scan: the state machine of the grammar in csv_record.h.
class RecordScanner {
 public:
  RecordScanner(CsvByteSource* source, CsvRecord* record) : source_(source), record_(record) {
    record_->fields.assign(1, std::string());
    record_->lines = 0;
    record_->status = Status::Ok();
  }

  // Returns false if the input ended before the first byte.
  bool Run() {
    for (;;) {
      const int c = source_->Get();
      if (c < 0) {
        if (bytes_ == 0)
          return false;
        if (state_ == State::kQuoted) {
          Fail("CSV_QUOTE",
               "a quoted field is never closed: add the closing \" (the rest of "
               "the file was read as part of this row)");
        }
        return true;
      }
      ++bytes_;
      if (bytes_ > kCsvRowBytesMax) {
        Fail("CSV_ROW_TOO_LONG",
             "the row is longer than " + std::to_string(kCsvRowBytesMax) +
                 " bytes: check for a quote left open, or shorten the row",
             /*exhausted=*/true);
      }
      if (Step(static_cast<char>(c)))
        return true;
    }
  }

 private:
  // Handles one byte; returns true at the end of the record.
  bool Step(char c) {
    switch (state_) {
      case State::kFieldStart:
        if (c == '"') {
          state_ = State::kQuoted;
          return false;
        }
        [[fallthrough]];
      case State::kBare:
        state_ = State::kBare;
        if (IsSeparator(c))
          return Separator(c);
        Append(c);
        return false;
      case State::kQuoted:
        if (c == '"') {
          if (source_->Peek() != '"') {
            state_ = State::kAfterQuote;
            return false;
          }
          source_->Get();
          ++bytes_;
        } else if (c == '\n' || (c == '\r' && source_->Peek() != '\n')) {
          ++record_->lines;
        }
        Append(c);
        return false;
      case State::kAfterQuote:
        if (IsSeparator(c))
          return Separator(c);
        if (c != ' ' && c != '\t') {
          Fail("CSV_QUOTE", "field " + std::to_string(record_->fields.size()) +
                                " has text after its closing quote: enclose the whole field in "
                                "quotes and double every quote inside it (\"\")");
          state_ = State::kBare;
        }
        return false;
    }
    return false;
  }

  static bool IsSeparator(char c) { return c == ',' || c == '\r' || c == '\n'; }

  // ',' starts a field; CR, LF or CRLF ends the record (returns true).
  bool Separator(char c) {
    if (c == ',') {
      state_ = State::kFieldStart;
      if (record_->fields.size() >= kCsvColumnsMax) {
        Fail("CSV_TOO_MANY_COLUMNS",
             "the row has more than " + std::to_string(kCsvColumnsMax) +
                 " fields: check for unquoted commas",
             /*exhausted=*/true);
      } else {
        record_->fields.emplace_back();
      }
      return false;
    }
    if (c == '\r' && source_->Peek() == '\n') {
      source_->Get();
      ++bytes_;
    }
    ++record_->lines;
    return true;
  }

  void Append(char c) {
    if (record_->status.ok())
      record_->fields.back().push_back(c);
  }

  void Fail(const char* reason, std::string message, bool exhausted = false) {
    if (!record_->status.ok())
      return;  // the first problem is the one reported
    record_->status = exhausted ? Status::Exhausted(reason, std::move(message))
                                : Status::Invalid(reason, std::move(message));
    record_->fields.assign(1, std::string());  // free what was read; the record is dropped
  }

  CsvByteSource* source_;
  CsvRecord* record_;
  State state_ = State::kFieldStart;
  std::size_t bytes_ = 0;
};

}  // namespace

int CsvByteSource::Get() {
  if (!pending_.empty()) {
    const auto c = static_cast<unsigned char>(pending_.front());
    pending_.erase(0, 1);
    return c;
  }
  const auto c = in_->get();
  return c == std::istream::traits_type::eof() ? -1 : static_cast<unsigned char>(c);
}

int CsvByteSource::Peek() {
  if (!pending_.empty())
    return static_cast<unsigned char>(pending_.front());
  const auto c = in_->peek();
  return c == std::istream::traits_type::eof() ? -1 : static_cast<unsigned char>(c);
}

void CsvByteSource::SkipByteOrderMark() {
  static constexpr unsigned char kBom[] = {0xEF, 0xBB, 0xBF};
  std::string read;
  for (unsigned char expected : kBom) {
    if (Peek() != expected) {
      pending_ = read + pending_;  // not a BOM: give back what was taken
      return;
    }
    read.push_back(static_cast<char>(Get()));
  }
}

bool ReadCsvRecord(CsvByteSource* source, CsvRecord* record) {
  return RecordScanner(source, record).Run();
}

Status ParseCsvRecord(std::string_view text, std::vector<std::string>* fields) {
  std::istringstream in{std::string(text)};
  CsvByteSource source(&in);
  CsvRecord record;
  if (!ReadCsvRecord(&source, &record)) {
    fields->assign(1, std::string());  // empty input: one empty field, as an empty line
    return Status::Ok();
  }
  if (!record.status.ok())
    return record.status;
  if (source.Peek() >= 0) {
    return Status::Invalid("CSV_RECORD_END",
                           "text follows the end of the record: one record per call");
  }
  *fields = std::move(record.fields);
  return Status::Ok();
}

}  // namespace foodtrace::ingest
