// The vocabulary of CSV ledgers: column names and their Chinese aliases, kind words, unit
// words, and the date and number forms spreadsheets write. Private to ingest (csv_ledger.cc);
// docs/import.md lists the same tables. Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "foodtrace/v1/records.pb.h"

namespace foodtrace::ingest::csv {

enum class Column : int {
  kEventId,
  kKind,
  kDate,
  kGtin,
  kProductCode,
  kProductName,
  kSpecification,
  kLot,
  kQuantity,
  kUnit,
  kProducedOn,
  kExpiresOn,
  kShelfLifeDays,
  kCounterpartyId,
  kCounterpartyName,
  kCounterpartyAddress,
  kCounterpartyContact,
  kCounterpartyLicence,
  kCounterpartyUscc,
  kDocuments,
  kDisposeMethod,
  kNote,
  kFarmProduce,
};
inline constexpr int kColumnCount = static_cast<int>(Column::kFarmProduce) + 1;

// The canonical English name ("counterparty_name") and a Chinese label ("对方名称").
std::string_view ColumnName(Column column);
std::string_view ColumnLabel(Column column);

struct HeaderMatch {
  Column column;
  // Set when the header itself says the kind: 进货日期 → RECEIVE, 销售日期/销货日期 → SHIP.
  v1::LedgerEntry::Kind implied_kind = v1::LedgerEntry::KIND_UNSPECIFIED;
};
// The column a header cell names (case, surrounding spaces, '*' marks and full-width
// parentheses ignored), or nullopt.
std::optional<HeaderMatch> MatchHeader(std::string_view cell);

// receive|ship|dispose|stocktake (any case) or 进货/采购, 销售/销货, 处置, 盘点.
std::optional<v1::LedgerEntry::Kind> ParseKind(std::string_view text);

struct UnitAlias {
  std::string_view unit;    // UN/CEFACT code
  std::int64_t factor = 1;  // quantity in `unit` = written quantity × factor (斤 → GRM × 500)
};
// A unit code or word (KGM, kg, 千克, 公斤, 克, 升, 毫升, 个, 件, 袋, 盒, 瓶, 斤 …), or nullopt.
std::optional<UnitAlias> MatchUnit(std::string_view text);
// True for a word that names a package rather than a piece (箱, 袋, 盒, 瓶, 包, 罐, 桶, 件, 听):
// such a quantity may be counted in the pack the product declares (LedgerEntry.pack).
bool IsPackWord(std::string_view text);

// "2025/5/1", "2025.5.1", "2025年5月1日" and "20250501" as "2025-05-01"; other text unchanged
// (the ledger then reports it as INVALID_DATE).
std::string NormalizeDate(std::string_view text);

// A decimal number: [-]digits[.digits], as mantissa × 10^−decimals. Nullopt when malformed
// or out of range.
struct Decimal {
  std::int64_t mantissa = 0;
  int decimals = 0;
};
std::optional<Decimal> ParseDecimal(std::string_view text);

// 无 / 无明确保质期 / 不适用 / none / n/a: the food states no shelf life.
bool IsNoShelfLife(std::string_view text);
// 是/否, yes/no, true/false, y/n, 1/0 (empty is false); nullopt otherwise.
std::optional<bool> ParseBool(std::string_view text);

// Removes ASCII white space and the ideographic space U+3000 from both ends.
std::string_view TrimCell(std::string_view text);

}  // namespace foodtrace::ingest::csv
