// The CSV ledger reader: header mapping, row → LedgerEntry, derived event ids.
//
// Derived event id (rows without event_id), fixed so re-imports match earlier imports:
//   canonical = "kind=" KIND_NAME 0x1F  { column_name "=" cell 0x1F }   -- every non-empty
//               mapped cell except event_id and kind, in the order of csv::Column; cells are
//               trimmed and line breaks inside them replaced by spaces
//   digest_1  = SHA-256(canonical)                       for the first such row in the file
//   digest_n  = SHA-256(canonical 0x1E decimal(n))       for the n-th identical row (n ≥ 2)
//   event_id  = "csv-" + lower-case hex of the first 8 bytes of the digest
#include "foodtrace/ingest/csv_ledger.h"

#include <array>
#include <cstring>
#include <unordered_map>

#include "foodtrace/common/crypto.h"
#include "foodtrace/common/quantity.h"
#include "foodtrace/common/text.h"
#include "ingest/csv_columns.h"
#include "ingest/csv_record.h"
#include "ingest/limits.h"

namespace foodtrace::ingest {

using csv::Column;

struct CsvLedgerReader::State {
  explicit State(std::istream* in) : source(in) { index.fill(-1); }

  CsvByteSource source;
  std::array<int, csv::kColumnCount> index;  // field position of each column, −1 if absent
  std::vector<std::string> header;           // cells as written
  std::vector<std::string> ignored;
  v1::LedgerEntry::Kind implied_kind = v1::LedgerEntry::KIND_UNSPECIFIED;
  std::uint64_t row = 0;
  std::uint64_t line = 1;                                    // where the next record starts
  std::unordered_map<std::uint64_t, std::uint32_t> derived;  // digest prefix → rows seen
  bool done = false;
};

namespace {

using Cells = std::array<std::string, csv::kColumnCount>;

// A cell as imported: trimmed, line breaks and tabs inside it replaced by spaces.
std::string CleanCell(std::string_view raw) {
  std::string out(csv::TrimCell(raw));
  for (size_t i = 0; i < out.size(); ++i) {
    if (out[i] == '\r' && i + 1 < out.size() && out[i + 1] == '\n')
      out.erase(i, 1);
    if (out[i] == '\r' || out[i] == '\n' || out[i] == '\t')
      out[i] = ' ';
  }
  return out;
}

class RowMapper {
 public:
  RowMapper(CsvLedgerReader::State* state, std::uint64_t row, std::uint64_t line)
      : state_(state), row_(row), line_(line) {}

  Status Error(const Status& status) const {
    return Status(status.code(), status.reason(),
                  "row " + std::to_string(row_) + " (line " + std::to_string(line_) +
                      "): " + status.message());
  }
  Status CellError(Column column, const char* reason, const std::string& message) const {
    const int at = state_->index[static_cast<size_t>(column)];
    const std::string name =
        at >= 0 ? state_->header[static_cast<size_t>(at)] : std::string(csv::ColumnName(column));
    return Status::Invalid(reason, "row " + std::to_string(row_) + " (line " +
                                       std::to_string(line_) + "), column " + name + ": " +
                                       message);
  }

  Status ReadCells(const std::vector<std::string>& fields, Cells* cells) const {
    for (size_t i = state_->header.size(); i < fields.size(); ++i) {
      if (!csv::TrimCell(fields[i]).empty()) {
        return Error(Status::Invalid("CSV_COLUMN_COUNT",
                                     "the row has " + std::to_string(fields.size()) +
                                         " fields but the header has " +
                                         std::to_string(state_->header.size()) +
                                         ": put a field that contains a comma in double quotes"));
      }
    }
    for (int c = 0; c < csv::kColumnCount; ++c) {
      const int at = state_->index[static_cast<size_t>(c)];
      if (at < 0 || static_cast<size_t>(at) >= fields.size())
        continue;
      const std::string& raw = fields[static_cast<size_t>(at)];
      if (!IsValidUtf8(raw)) {
        return CellError(static_cast<Column>(c), "CSV_ENCODING",
                         "the text is not UTF-8: save the file as 'CSV UTF-8'");
      }
      (*cells)[static_cast<size_t>(c)] = CleanCell(raw);
    }
    return Status::Ok();
  }

  Result<v1::LedgerEntry::Kind> Kind(const Cells& cells) const {
    const std::string& text = cells[static_cast<size_t>(Column::kKind)];
    if (text.empty() && state_->implied_kind != v1::LedgerEntry::KIND_UNSPECIFIED) {
      return state_->implied_kind;
    }
    std::optional<v1::LedgerEntry::Kind> kind = csv::ParseKind(text);
    if (kind)
      return *kind;
    return CellError(Column::kKind, "CSV_KIND",
                     "'" + text.substr(0, 40) +
                         "' is not a kind: write receive, ship, dispose or stocktake "
                         "(进货, 销售, 处置 or 盘点)");
  }

  Result<std::string> DerivedEventId(const Cells& cells, v1::LedgerEntry::Kind kind) const {
    std::string canonical = "kind=" + v1::LedgerEntry::Kind_Name(kind) + '\x1f';
    for (int c = 0; c < csv::kColumnCount; ++c) {
      const auto column = static_cast<Column>(c);
      const std::string& cell = cells[static_cast<size_t>(c)];
      if (column == Column::kEventId || column == Column::kKind || cell.empty())
        continue;
      canonical.append(csv::ColumnName(column)).append("=").append(cell) += '\x1f';
    }
    std::string digest = Sha256(canonical);
    std::uint64_t key = 0;
    std::memcpy(&key, digest.data(), sizeof key);
    auto it = state_->derived.find(key);
    if (it == state_->derived.end()) {
      if (state_->derived.size() >= kCsvDerivedIdsMax) {
        return Error(Status::Exhausted("CSV_TOO_MANY_ROWS",
                                       "more than " + std::to_string(kCsvDerivedIdsMax) +
                                           " rows without event_id: add an event_id column"));
      }
      it = state_->derived.emplace(key, 0).first;
    }
    const std::uint32_t seen = ++it->second;
    if (seen > 1)
      digest = Sha256(canonical + '\x1e' + std::to_string(seen));
    return "csv-" + HexEncode(std::string_view(digest).substr(0, 8));
  }

  Status Quantity(const Cells& cells, v1::LedgerEntry* entry) const;
  Status Lot(const Cells& cells, v1::LotRef* lot) const;

 private:
  CsvLedgerReader::State* state_;
  std::uint64_t row_;
  std::uint64_t line_;
};

// Quantity and unit: unit words become codes; decimal kilograms and litres become grams and
// millilitres exactly (1.5 kg → 1500 GRM); 斤 becomes grams (× 500) — by common/quantity.h, the
// one home of those rules. A package word (箱, 袋, 盒 …) is also sent as the entry's pack: the
// ledger counts it in the pack's contents when the product declares that pack (箱 = 24 pieces),
// else as that many pieces, as before.
Status RowMapper::Quantity(const Cells& cells, v1::LedgerEntry* entry) const {
  const std::string& text = cells[static_cast<size_t>(Column::kQuantity)];
  const std::string& unit_text = cells[static_cast<size_t>(Column::kUnit)];
  std::optional<csv::UnitAlias> alias = csv::MatchUnit(unit_text);
  const std::string unit = alias ? std::string(alias->unit) : unit_text;  // unknown: the ledger says
  Result<foodtrace::Quantity> q = ParseScaledQuantity(text, BaseUnit(unit).factor == 0 ? "H87" : unit,
                                                      alias ? alias->factor : 1);
  if (!q.ok() && q.status().reason() != "QUANTITY_NOT_EXACT") {
    return CellError(Column::kQuantity, "CSV_NUMBER",
                     "'" + text.substr(0, 40) +
                         "' is not a quantity: write digits, e.g. 12 or "
                         "2.5 (at most " +
                         std::to_string(kQuantityDecimalsMax) + " decimals)");
  }
  if (!q.ok()) {
    return CellError(Column::kQuantity, "CSV_NUMBER",
                     "'" + text + "' " + unit_text + " is not a whole number in unit " + unit +
                         ": write whole pieces, or use 千克/克/升/毫升 for weight and volume");
  }
  entry->set_quantity(q->amount);
  entry->set_unit(BaseUnit(unit).factor == 0 ? unit : q->unit);
  if (alias && alias->unit == "H87" && csv::IsPackWord(unit_text)) {
    entry->set_pack(std::string(csv::TrimCell(unit_text)));
    entry->set_pack_count(q->amount);
  }
  return Status::Ok();
}

Status RowMapper::Lot(const Cells& cells, v1::LotRef* lot) const {
  auto cell = [&cells](Column c) -> const std::string& { return cells[static_cast<size_t>(c)]; };
  lot->set_gtin(cell(Column::kGtin));
  lot->set_product_code(cell(Column::kProductCode));
  lot->set_product_name(cell(Column::kProductName));
  lot->set_specification(cell(Column::kSpecification));
  lot->set_lot(cell(Column::kLot));
  lot->set_produced_on(csv::NormalizeDate(cell(Column::kProducedOn)));
  const std::string& expires = cell(Column::kExpiresOn);
  const std::string& days = cell(Column::kShelfLifeDays);
  lot->set_no_shelf_life(csv::IsNoShelfLife(expires) || csv::IsNoShelfLife(days));
  if (!csv::IsNoShelfLife(expires))
    lot->set_expires_on(csv::NormalizeDate(expires));
  if (!days.empty() && !csv::IsNoShelfLife(days)) {
    std::string_view digits = days;
    if (digits.ends_with("天"))
      digits = csv::TrimCell(digits.substr(0, digits.size() - 3));
    std::optional<csv::Decimal> n = csv::ParseDecimal(digits);
    if (!n || n->decimals > 0 || n->mantissa > 1'000'000 || n->mantissa < -1'000'000) {
      return CellError(Column::kShelfLifeDays, "CSV_NUMBER",
                       "'" + days.substr(0, 40) +
                           "' is not a number of days: write e.g. 180, "
                           "or 无 for no stated shelf life");
    }
    lot->set_shelf_life_days(static_cast<std::int32_t>(n->mantissa));
  }
  std::optional<bool> farm = csv::ParseBool(cell(Column::kFarmProduce));
  if (!farm) {
    return CellError(Column::kFarmProduce, "CSV_BOOLEAN", "write 是 or 否 (yes or no)");
  }
  lot->set_farm_produce(*farm);
  return Status::Ok();
}

// documents: split on ';' and '；', trimmed, empty parts dropped.
void SplitDocuments(std::string text, v1::LedgerEntry* entry) {
  for (size_t at = text.find("；"); at != std::string::npos; at = text.find("；", at)) {
    text.replace(at, std::string_view("；").size(), ";");
  }
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find(';', start);
    if (end == std::string::npos)
      end = text.size();
    const std::string_view part = csv::TrimCell(std::string_view(text).substr(start, end - start));
    if (!part.empty())
      entry->add_documents(std::string(part));
    start = end + 1;
  }
}

Result<v1::LedgerEntry> BuildEntry(const RowMapper& mapper, const Cells& cells,
                                   v1::LedgerEntry::Kind kind, const std::string& event_id) {
  auto cell = [&cells](Column c) -> const std::string& { return cells[static_cast<size_t>(c)]; };
  v1::LedgerEntry entry;
  entry.set_event_id(event_id);
  entry.set_kind(kind);
  entry.set_occurred_on(csv::NormalizeDate(cell(Column::kDate)));
  FT_RETURN_IF_ERROR(mapper.Lot(cells, entry.mutable_lot()));
  FT_RETURN_IF_ERROR(mapper.Quantity(cells, &entry));
  v1::Counterparty* party = entry.mutable_counterparty();
  party->set_party_id(cell(Column::kCounterpartyId));
  party->set_name(cell(Column::kCounterpartyName));
  party->set_address(cell(Column::kCounterpartyAddress));
  party->set_contact(cell(Column::kCounterpartyContact));
  party->set_licence(cell(Column::kCounterpartyLicence));
  party->set_uscc(cell(Column::kCounterpartyUscc));
  if (party->ByteSizeLong() == 0)
    entry.clear_counterparty();
  SplitDocuments(cell(Column::kDocuments), &entry);
  entry.set_dispose_method(cell(Column::kDisposeMethod));
  entry.set_note(cell(Column::kNote));
  return entry;
}

CsvRow MapRow(CsvLedgerReader::State* state, const std::vector<std::string>& fields,
              std::uint64_t row, std::uint64_t line) {
  const RowMapper mapper(state, row, line);
  Cells cells;
  if (Status s = mapper.ReadCells(fields, &cells); !s.ok())
    return CsvRow{row, line, "", false, s};
  Result<v1::LedgerEntry::Kind> kind = mapper.Kind(cells);
  if (!kind.ok())
    return CsvRow{row, line, "", false, kind.status()};
  std::string event_id = cells[static_cast<size_t>(Column::kEventId)];
  const bool derived = event_id.empty();
  if (derived) {
    Result<std::string> id = mapper.DerivedEventId(cells, *kind);
    if (!id.ok())
      return CsvRow{row, line, "", false, id.status()};
    event_id = std::move(id).value();
  }
  return CsvRow{row, line, event_id, derived, BuildEntry(mapper, cells, *kind, event_id)};
}

bool IsBlank(const std::vector<std::string>& fields) {
  for (const std::string& field : fields) {
    if (!csv::TrimCell(field).empty())
      return false;
  }
  return true;
}

}  // namespace

namespace {

// The columns every file needs, with what to write when one is absent.
Status CheckRequiredColumns(const CsvLedgerReader::State& state) {
  auto has = [&state](Column c) { return state.index[static_cast<size_t>(c)] >= 0; };
  auto missing = [](std::string_view what) {
    return Status::Invalid("CSV_HEADER_MISSING",
                           "the header has no " + std::string(what) +
                               " column: add it (docs/import.md lists the columns)");
  };
  if (!has(Column::kKind) && state.implied_kind == v1::LedgerEntry::KIND_UNSPECIFIED) {
    return missing("kind (类型), or a date column named 进货日期 or 销售日期,");
  }
  for (Column c : {Column::kDate, Column::kQuantity, Column::kUnit}) {
    if (!has(c)) {
      return missing(std::string(csv::ColumnName(c)) + " (" + std::string(csv::ColumnLabel(c)) +
                     ")");
    }
  }
  if (!has(Column::kGtin) && !has(Column::kProductCode)) {
    return missing("gtin (商品条码) or product_code (商品编码)");
  }
  return Status::Ok();
}

Status MapHeader(CsvLedgerReader::State* state, std::vector<std::string> cells) {
  for (size_t i = 0; i < cells.size(); ++i) {
    if (!IsValidUtf8(cells[i])) {
      return Status::Invalid("CSV_ENCODING",
                             "the header is not UTF-8 text (probably GBK from Excel): save the "
                             "file as 'CSV UTF-8 (逗号分隔)' and import it again");
    }
    std::optional<csv::HeaderMatch> match = csv::MatchHeader(cells[i]);
    if (!match) {
      if (!csv::TrimCell(cells[i]).empty())
        state->ignored.push_back(cells[i]);
      continue;
    }
    int& at = state->index[static_cast<size_t>(match->column)];
    if (at >= 0) {
      return Status::Invalid("CSV_HEADER_DUPLICATE",
                             "the header columns '" + cells[static_cast<size_t>(at)] + "' and '" +
                                 cells[i] + "' both mean " +
                                 std::string(csv::ColumnName(match->column)) + ": keep one");
    }
    at = static_cast<int>(i);
    if (match->implied_kind != v1::LedgerEntry::KIND_UNSPECIFIED) {
      state->implied_kind = match->implied_kind;
    }
  }
  for (std::string& cell : cells) cell = std::string(csv::TrimCell(cell));
  state->header = std::move(cells);
  return CheckRequiredColumns(*state);
}

}  // namespace

CsvLedgerReader::CsvLedgerReader(std::unique_ptr<State> state) : state_(std::move(state)) {}
CsvLedgerReader::CsvLedgerReader(CsvLedgerReader&&) noexcept = default;
CsvLedgerReader& CsvLedgerReader::operator=(CsvLedgerReader&&) noexcept = default;
CsvLedgerReader::~CsvLedgerReader() = default;

Result<CsvLedgerReader> CsvLedgerReader::Open(std::istream& in) {
  InitCrypto();
  auto state = std::make_unique<State>(&in);
  state->source.SkipByteOrderMark();
  CsvRecord header;
  if (!ReadCsvRecord(&state->source, &header)) {
    if (state->source.failed())
      return Status::Io("reading the CSV file failed");
    return Status::Invalid("CSV_EMPTY", "the file is empty: it needs a header row");
  }
  state->line += header.lines;
  if (!header.status.ok()) {
    return Status(header.status.code(), header.status.reason(),
                  "header row: " + header.status.message());
  }
  FT_RETURN_IF_ERROR(MapHeader(state.get(), std::move(header.fields)));
  return CsvLedgerReader(std::move(state));
}

Result<std::optional<CsvRow>> CsvLedgerReader::Next() {
  State& s = *state_;
  while (!s.done) {
    CsvRecord record;
    const std::uint64_t line = s.line;
    const bool read = ReadCsvRecord(&s.source, &record);
    if (s.source.failed()) {
      s.done = true;
      return Status::Io("reading the CSV file failed at line " + std::to_string(line));
    }
    if (!read)
      break;
    s.line += record.lines;
    const std::uint64_t row = ++s.row;
    if (!record.status.ok()) {
      const Status& st = record.status;
      return std::optional<CsvRow>(CsvRow{row, line, "", false,
                                          Status(st.code(), st.reason(),
                                                 "row " + std::to_string(row) + " (line " +
                                                     std::to_string(line) + "): " + st.message())});
    }
    if (IsBlank(record.fields))
      continue;
    return std::optional<CsvRow>(MapRow(state_.get(), record.fields, row, line));
  }
  s.done = true;
  return std::optional<CsvRow>();
}

const std::vector<std::string>& CsvLedgerReader::ignored_columns() const { return state_->ignored; }

}  // namespace foodtrace::ingest
