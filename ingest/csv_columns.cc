#include "ingest/csv_columns.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>
#include <limits>

#include "foodtrace/common/date.h"

namespace foodtrace::ingest::csv {
namespace {

using Kind = v1::LedgerEntry::Kind;

struct Alias {
  std::string_view name;  // normalised header text
  Column column;
  Kind implied_kind = v1::LedgerEntry::KIND_UNSPECIFIED;
};

// Header names; the first alias of each column is its canonical English name.
constexpr auto kAliases = std::to_array<Alias>({
    {"event_id", Column::kEventId},
    {"事件编号", Column::kEventId},
    {"流水号", Column::kEventId},
    {"kind", Column::kKind},
    {"类型", Column::kKind},
    {"业务类型", Column::kKind},
    {"date", Column::kDate},
    {"日期", Column::kDate},
    {"进货日期", Column::kDate, v1::LedgerEntry::RECEIVE},
    {"销售日期", Column::kDate, v1::LedgerEntry::SHIP},
    {"销货日期", Column::kDate, v1::LedgerEntry::SHIP},
    {"gtin", Column::kGtin},
    {"商品条码", Column::kGtin},
    {"条码", Column::kGtin},
    {"条形码", Column::kGtin},
    {"product_code", Column::kProductCode},
    {"商品编码", Column::kProductCode},
    {"product_name", Column::kProductName},
    {"商品名称", Column::kProductName},
    {"食品名称", Column::kProductName},
    {"品名", Column::kProductName},
    {"specification", Column::kSpecification},
    {"规格", Column::kSpecification},
    {"规格型号", Column::kSpecification},
    {"lot", Column::kLot},
    {"批号", Column::kLot},
    {"批次", Column::kLot},
    {"生产批号", Column::kLot},
    {"quantity", Column::kQuantity},
    {"数量", Column::kQuantity},
    {"unit", Column::kUnit},
    {"单位", Column::kUnit},
    {"produced_on", Column::kProducedOn},
    {"生产日期", Column::kProducedOn},
    {"expires_on", Column::kExpiresOn},
    {"保质期至", Column::kExpiresOn},
    {"到期日", Column::kExpiresOn},
    {"有效期至", Column::kExpiresOn},
    {"shelf_life_days", Column::kShelfLifeDays},
    {"保质期(天)", Column::kShelfLifeDays},
    {"保质期天数", Column::kShelfLifeDays},
    {"counterparty_id", Column::kCounterpartyId},
    {"供货者编号", Column::kCounterpartyId},
    {"购货者编号", Column::kCounterpartyId},
    {"对方编号", Column::kCounterpartyId},
    {"counterparty_name", Column::kCounterpartyName},
    {"供货者名称", Column::kCounterpartyName},
    {"购货者名称", Column::kCounterpartyName},
    {"对方名称", Column::kCounterpartyName},
    {"counterparty_address", Column::kCounterpartyAddress},
    {"地址", Column::kCounterpartyAddress},
    {"供货者地址", Column::kCounterpartyAddress},
    {"购货者地址", Column::kCounterpartyAddress},
    {"counterparty_contact", Column::kCounterpartyContact},
    {"联系方式", Column::kCounterpartyContact},
    {"电话", Column::kCounterpartyContact},
    {"联系电话", Column::kCounterpartyContact},
    {"counterparty_licence", Column::kCounterpartyLicence},
    {"许可证号", Column::kCounterpartyLicence},
    {"counterparty_uscc", Column::kCounterpartyUscc},
    {"统一社会信用代码", Column::kCounterpartyUscc},
    {"documents", Column::kDocuments},
    {"票证", Column::kDocuments},
    {"凭证", Column::kDocuments},
    {"counterparty_license", Column::kCounterpartyLicence},
    {"供货者许可证号", Column::kCounterpartyLicence},
    {"dispose_method", Column::kDisposeMethod},
    {"处置方式", Column::kDisposeMethod},
    {"note", Column::kNote},
    {"备注", Column::kNote},
    {"farm_produce", Column::kFarmProduce},
    {"食用农产品", Column::kFarmProduce},
});

constexpr std::array<std::string_view, kColumnCount> kLabels = {
    "事件编号", "类型",      "日期",     "商品条码", "商品编码",         "商品名称",   "规格",
    "批号",     "数量",      "单位",     "生产日期", "保质期至",         "保质期(天)", "对方编号",
    "对方名称", "地址",      "联系方式", "许可证号", "统一社会信用代码", "票证",       "处置方式",
    "备注",     "食用农产品"};

struct UnitWord {
  std::string_view word;  // lower case for ASCII words
  UnitAlias alias;
};
constexpr auto kUnitWords = std::to_array<UnitWord>({
    {"kgm", {"KGM"}}, {"kg", {"KGM"}},  {"千克", {"KGM"}},    {"公斤", {"KGM"}}, {"grm", {"GRM"}},
    {"g", {"GRM"}},   {"克", {"GRM"}},  {"斤", {"GRM", 500}}, {"ltr", {"LTR"}},  {"l", {"LTR"}},
    {"升", {"LTR"}},  {"mlt", {"MLT"}}, {"ml", {"MLT"}},      {"毫升", {"MLT"}}, {"h87", {"H87"}},
    {"pcs", {"H87"}}, {"个", {"H87"}},  {"件", {"H87"}},      {"袋", {"H87"}},   {"盒", {"H87"}},
    {"瓶", {"H87"}},  {"包", {"H87"}},  {"只", {"H87"}},      {"罐", {"H87"}},   {"支", {"H87"}},
    {"箱", {"H87"}},  {"桶", {"H87"}},  {"条", {"H87"}},      {"把", {"H87"}},   {"块", {"H87"}},
    {"份", {"H87"}},  {"听", {"H87"}},
});

std::string LowerAscii(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// `text` with every `from` replaced by `to` (built anew: GCC 12 misreads in-place replace).
std::string ReplaceAll(std::string_view text, std::string_view from, std::string_view to) {
  std::string out;
  out.reserve(text.size());
  for (size_t at = text.find(from); at != std::string_view::npos; at = text.find(from)) {
    out.append(text.substr(0, at)).append(to);
    text.remove_prefix(at + from.size());
  }
  return out.append(text);
}

// Header text as looked up: trimmed, '*' marks removed, lower case, （）→ (), spaces → '_'.
std::string NormalizeHeader(std::string_view cell) {
  std::string_view t = TrimCell(cell);
  while (!t.empty() && t.front() == '*') t.remove_prefix(1);
  while (!t.empty() && t.back() == '*') t.remove_suffix(1);
  std::string out = LowerAscii(TrimCell(t));
  out = ReplaceAll(out, "（", "(");
  out = ReplaceAll(out, "）", ")");
  return ReplaceAll(out, " ", "_");
}

// Splits "2025/5/1"-like text on `separator` into three numbers; false if the shape differs.
bool SplitDate(std::string_view text, std::string_view separators, int* y, int* m, int* d) {
  int values[3] = {0, 0, 0};
  int part = 0;
  int digits = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c >= '0' && c <= '9') {
      if (++digits > (part == 0 ? 4 : 2))
        return false;
      values[part] = values[part] * 10 + (c - '0');
    } else if (separators.find(c) != std::string_view::npos && part < 2 && digits > 0) {
      ++part;
      digits = 0;
    } else {
      return false;
    }
  }
  if (part != 2 || digits == 0)
    return false;
  *y = values[0];
  *m = values[1];
  *d = values[2];
  return true;
}

}  // namespace

std::string_view ColumnName(Column column) {
  for (const Alias& alias : kAliases) {
    if (alias.column == column)
      return alias.name;
  }
  return "?";
}

std::string_view ColumnLabel(Column column) { return kLabels[static_cast<size_t>(column)]; }

std::optional<HeaderMatch> MatchHeader(std::string_view cell) {
  const std::string name = NormalizeHeader(cell);
  for (const Alias& alias : kAliases) {
    if (alias.name == name)
      return HeaderMatch{alias.column, alias.implied_kind};
  }
  return std::nullopt;
}

std::optional<v1::LedgerEntry::Kind> ParseKind(std::string_view text) {
  const std::string word = LowerAscii(TrimCell(text));
  if (word == "receive" || word == "进货" || word == "采购")
    return v1::LedgerEntry::RECEIVE;
  if (word == "ship" || word == "销售" || word == "销货")
    return v1::LedgerEntry::SHIP;
  if (word == "dispose" || word == "处置")
    return v1::LedgerEntry::DISPOSE;
  if (word == "stocktake" || word == "盘点")
    return v1::LedgerEntry::STOCKTAKE;
  return std::nullopt;
}

std::optional<UnitAlias> MatchUnit(std::string_view text) {
  const std::string word = LowerAscii(TrimCell(text));
  for (const UnitWord& unit : kUnitWords) {
    if (unit.word == word)
      return unit.alias;
  }
  return std::nullopt;
}

std::string NormalizeDate(std::string_view text) {
  std::string t(TrimCell(text));
  int y = 0, m = 0, d = 0;
  bool shaped = false;
  if (t.size() == 8 && t.find_first_not_of("0123456789") == std::string::npos) {
    y = std::stoi(t.substr(0, 4));
    m = std::stoi(t.substr(4, 2));
    d = std::stoi(t.substr(6, 2));
    shaped = true;
  } else {
    std::string_view body = t;  // 2025年5月1日 → 2025-5-1
    if (body.ends_with("日"))
      body.remove_suffix(std::string_view("日").size());
    const std::string dashed = ReplaceAll(ReplaceAll(body, "年", "-"), "月", "-");
    shaped = SplitDate(dashed, "-/.", &y, &m, &d);
  }
  if (!shaped || !Date::IsValidCivil(y, m, d))
    return t;
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
  return buf;
}

bool IsPackWord(std::string_view text) {
  static constexpr std::array<std::string_view, 9> kPacks = {"箱", "袋", "盒", "瓶", "包", "罐", "桶", "件", "听"};
  const std::string_view t = TrimCell(text);
  return std::find(kPacks.begin(), kPacks.end(), t) != kPacks.end();
}

std::optional<Decimal> ParseDecimal(std::string_view text) {
  text = TrimCell(text);
  const bool negative = !text.empty() && text.front() == '-';
  if (negative)
    text.remove_prefix(1);
  Decimal out;
  bool point = false;
  int digits = 0;
  for (char c : text) {
    if (c == '.' && !point) {
      point = true;
      continue;
    }
    if (c < '0' || c > '9')
      return std::nullopt;
    if (out.mantissa > (std::numeric_limits<std::int64_t>::max() - 9) / 10)
      return std::nullopt;
    out.mantissa = out.mantissa * 10 + (c - '0');
    ++digits;
    if (point)
      ++out.decimals;
  }
  if (digits == 0)
    return std::nullopt;
  if (negative)
    out.mantissa = -out.mantissa;
  return out;
}

bool IsNoShelfLife(std::string_view text) {
  const std::string word = LowerAscii(TrimCell(text));
  return word == "无" || word == "无明确保质期" || word == "不适用" || word == "none" ||
         word == "n/a";
}

std::optional<bool> ParseBool(std::string_view text) {
  const std::string word = LowerAscii(TrimCell(text));
  if (word.empty() || word == "否" || word == "no" || word == "n" || word == "false" ||
      word == "0") {
    return false;
  }
  if (word == "是" || word == "yes" || word == "y" || word == "true" || word == "1")
    return true;
  return std::nullopt;
}

std::string_view TrimCell(std::string_view text) {
  static constexpr std::string_view kIdeographicSpace = "\u3000";
  for (;;) {
    const size_t before = text.size();
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) {
      text.remove_prefix(1);
    }
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) {
      text.remove_suffix(1);
    }
    if (text.starts_with(kIdeographicSpace))
      text.remove_prefix(kIdeographicSpace.size());
    if (text.ends_with(kIdeographicSpace))
      text.remove_suffix(kIdeographicSpace.size());
    if (text.size() == before)
      return text;
  }
}

}  // namespace foodtrace::ingest::csv
