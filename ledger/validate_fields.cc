#include "ledger/validate_fields.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>
#include <utility>

#include "foodtrace/common/identifiers.h"
#include "foodtrace/common/text.h"
#include "ledger/limits.h"

namespace foodtrace::ledger::fields {
namespace {

// Chinese labels of the fields a vendor fills in, keyed by the last path component.
constexpr std::array<std::pair<std::string_view, std::string_view>, 20> kLabels = {{
    {"event_id", "事件编号"},
    {"occurred_on", "日期"},
    {"gtin", "商品条码"},
    {"product_code", "商品编码"},
    {"product_name", "商品名称"},
    {"specification", "规格"},
    {"lot", "批号"},
    {"quantity", "数量"},
    {"unit", "单位"},
    {"produced_on", "生产日期"},
    {"expires_on", "保质期至"},
    {"shelf_life_days", "保质期天数"},
    {"name", "名称"},
    {"address", "地址"},
    {"contact", "联系方式"},
    {"licence", "许可证号"},
    {"uscc", "统一社会信用代码"},
    {"dispose_method", "处置方式"},
    {"documents", "票证"},
    {"reason", "原因"},
}};

std::string_view LastComponent(std::string_view field) {
  const size_t dot = field.rfind('.');
  if (dot != std::string_view::npos)
    field.remove_prefix(dot + 1);
  const size_t bracket = field.find('[');
  return bracket == std::string_view::npos ? field : field.substr(0, bracket);
}

// Decodes the code point at s[*i] (s is valid UTF-8) and advances *i past it.
char32_t NextCodePoint(std::string_view s, size_t* i) {
  const auto c = static_cast<unsigned char>(s[*i]);
  size_t n = 0;
  char32_t cp = c;
  if (c >= 0xF0) {
    n = 3;
    cp = c & 0x07;
  } else if (c >= 0xE0) {
    n = 2;
    cp = c & 0x0F;
  } else if (c >= 0xC0) {
    n = 1;
    cp = c & 0x1F;
  }
  for (size_t k = 1; k <= n && *i + k < s.size(); ++k) {
    cp = (cp << 6) | (static_cast<unsigned char>(s[*i + k]) & 0x3F);
  }
  *i += n + 1;
  return cp;
}

bool IsAsciiAlnum(char32_t cp) {
  return (cp >= '0' && cp <= '9') || (cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z');
}

bool IsCjkIdeograph(char32_t cp) {
  return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF);
}

bool InSet(char32_t cp, IdSet set) {
  if (IsAsciiAlnum(cp))
    return true;
  switch (set) {
    case IdSet::kParty:
      return cp == '.' || cp == '_' || cp == '-';
    case IdSet::kRecord:
      return cp < 0x80 &&
             std::string_view("-_.:/#").find(static_cast<char>(cp)) != std::string_view::npos;
    case IdSet::kLot:
      return IsCjkIdeograph(cp) ||
             (cp < 0x80 && std::string_view("!\"%&'()*+,-./:;<=>?_").find(static_cast<char>(cp)) !=
                               std::string_view::npos);
  }
  return false;
}

std::string_view SetDescription(IdSet set) {
  switch (set) {
    case IdSet::kParty:
      return "letters A-Z a-z, digits and . _ -";
    case IdSet::kRecord:
      return "letters A-Z a-z, digits and - _ . : / #";
    case IdSet::kLot:
      return "letters A-Z a-z, digits, Chinese characters and ! \" % & ' ( ) * + , - . / : ; "
             "< = > ? _ (no spaces)";
  }
  return "";
}

std::string ShowCodePoint(char32_t cp) {
  if (cp > 0x20 && cp < 0x7F)
    return "'" + std::string(1, static_cast<char>(cp)) + "'";
  char buf[16];
  std::snprintf(buf, sizeof buf, "U+%04X", static_cast<unsigned>(cp));
  return buf;
}

// CheckTextField, naming the field with its label only when there is an error to report.
Status CheckText(std::string_view field, std::string_view value, std::size_t bytes_max) {
  if (Status s = CheckTextField(field, value, bytes_max); s.ok())
    return s;
  return CheckTextField(Named(field), value, bytes_max).WithField(std::string(field));
}

// `status` about `field`: the message names the field first; the details are kept.
Status Prefixed(std::string_view field, const Status& status) {
  Status out(status.code(), status.reason(), Named(field) + ": " + status.message());
  out.WithField(std::string(field));
  for (const auto& [key, value] : status.details()) out.WithDetail(key, value);
  return out;
}

}  // namespace

std::string Named(std::string_view field) {
  const std::string_view last = LastComponent(field);
  for (const auto& [name, label] : kLabels) {
    if (name == last)
      return std::string(field) + " (" + std::string(label) + ")";
  }
  return std::string(field);
}

Status Missing(std::string_view field, std::string_view hint) {
  return Status::Invalid("FIELD_MISSING", Named(field) + " is required: " + std::string(hint))
      .WithField(std::string(field));
}

Status Text(std::string_view field, std::string* value, std::size_t bytes_max) {
  const std::string_view trimmed = TrimAscii(*value);
  if (trimmed.size() != value->size())
    *value = std::string(trimmed);
  return CheckText(field, *value, bytes_max);
}

Status RequiredText(std::string_view field, std::string* value, std::size_t bytes_max,
                    std::string_view hint) {
  FT_RETURN_IF_ERROR(Text(field, value, bytes_max));
  if (value->empty())
    return Missing(field, hint);
  return Status::Ok();
}

Status Id(std::string_view field, std::string* value, IdSet set, bool required) {
  FT_RETURN_IF_ERROR(Text(field, value, kIdBytesMax));
  if (value->empty()) {
    if (!required)
      return Status::Ok();
    return Missing(field, "give an identifier of " + std::string(SetDescription(set)));
  }
  for (size_t i = 0; i < value->size();) {
    const size_t at = i;
    const char32_t cp = NextCodePoint(*value, &i);
    if (!InSet(cp, set)) {
      return Status::Invalid("ID_FORMAT", Named(field) + " '" + *value + "' contains " +
                                              ShowCodePoint(cp) + " at byte " + std::to_string(at) +
                                              ": use only " + std::string(SetDescription(set)))
          .WithField(std::string(field))
          .WithDetail("character", ShowCodePoint(cp));
    }
  }
  return Status::Ok();
}

Result<std::optional<Date>> OptionalDate(std::string_view field, std::string* value) {
  const std::string_view trimmed = TrimAscii(*value);
  if (trimmed.size() != value->size())
    *value = std::string(trimmed);
  if (value->empty())
    return std::optional<Date>();
  Result<Date> date = Date::Parse(*value);
  if (!date.ok())
    return Prefixed(field, date.status());
  return std::optional<Date>(*date);
}

Result<Date> RequiredDate(std::string_view field, std::string* value) {
  Result<std::optional<Date>> date = OptionalDate(field, value);
  if (!date.ok())
    return date.status();
  if (!date->has_value())
    return Missing(field, "give the date as YYYY-MM-DD");
  return **date;
}

Status NotInFuture(std::string_view field, Date date, const ValidateContext& ctx) {
  if (date - ctx.today <= kFutureDaysMax)
    return Status::Ok();
  return Status::Invalid("DATE_IN_FUTURE", Named(field) + " " + date.ToString() + " is more than " +
                                               std::to_string(kFutureDaysMax) +
                                               " days after today (" + ctx.today.ToString() +
                                               "): check the year, month and day")
      .WithField(std::string(field))
      .WithDetail("latest", ctx.today.AddDays(kFutureDaysMax).ToString())
      .WithDetail("got", date.ToString());
}

Status Quantity(std::string_view field, std::int64_t quantity, bool zero_allowed) {
  if (quantity < 0 || (quantity == 0 && !zero_allowed)) {
    return Status::Invalid("QUANTITY_INVALID", Named(field) + " is " + std::to_string(quantity) +
                                                   "; it must be " +
                                                   (zero_allowed ? "0 or more" : "greater than 0") +
                                                   ", a whole number in the unit given")
        .WithField(std::string(field));
  }
  if (quantity > kQuantityMax) {
    return Status::Exhausted("QUANTITY_TOO_LARGE",
                             Named(field) + " is " + std::to_string(quantity) + "; the limit is " +
                                 std::to_string(kQuantityMax) +
                                 " in its unit: check the number or split the entry")
        .WithField(std::string(field))
        .WithDetail("max", std::to_string(kQuantityMax));
  }
  return Status::Ok();
}

Status PackedQuantity(std::string_view prefix, std::string* pack, std::int64_t pack_count,
                      std::int64_t quantity, std::string* unit, bool zero_allowed) {
  const std::string p(prefix);
  FT_RETURN_IF_ERROR(Text(p + "pack", pack, kIdBytesMax));
  if (pack->empty()) {
    if (pack_count != 0) {
      return Status::Invalid("PACK_COUNT_INVALID", Named(p + "pack_count") +
                                                       " is given without " + Named(p + "pack") +
                                                       ": name the pack (箱, carton …) or leave the count out");
    }
    FT_RETURN_IF_ERROR(Quantity(p + "quantity", quantity, zero_allowed));
    return Unit(p + "unit", unit);
  }
  if (pack_count < 0 || (pack_count == 0 && !zero_allowed) || pack_count > kQuantityMax) {
    return Status::Invalid("PACK_COUNT_INVALID", Named(p + "pack_count") + " is " +
                                                     std::to_string(pack_count) + "; count the " +
                                                     *pack + " as a whole number greater than 0");
  }
  if (quantity == 0 && TrimAscii(*unit).empty()) {
    unit->clear();
    return Status::Ok();  // the ledger takes both from the product's pack
  }
  FT_RETURN_IF_ERROR(Quantity(p + "quantity", quantity, zero_allowed));
  return Unit(p + "unit", unit);
}

Status Unit(std::string_view field, std::string* unit) {
  FT_RETURN_IF_ERROR(Text(field, unit, kIdBytesMax));
  for (char& c : *unit) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  static constexpr std::array<std::string_view, 5> kUnits = {"KGM", "GRM", "LTR", "MLT", "H87"};
  if (std::find(kUnits.begin(), kUnits.end(), *unit) != kUnits.end())
    return Status::Ok();
  const std::string got = unit->empty() ? "is empty" : "'" + *unit + "' is not allowed";
  return Status::Invalid("UNIT_UNKNOWN", Named(field) + " " + got +
                                             ": use one of KGM (kilogram 千克), GRM (gram 克), "
                                             "LTR (litre 升), MLT (millilitre 毫升), "
                                             "H87 (piece 个/件)")
      .WithField(std::string(field))
      .WithDetail("got", *unit);
}

Status ShelfLife(std::string_view field, std::int32_t days) {
  if (days >= 0 && days <= kShelfLifeDaysMax)
    return Status::Ok();
  return Status::Invalid("SHELF_LIFE_RANGE", Named(field) + " is " + std::to_string(days) +
                                                 "; it must be between 0 and " +
                                                 std::to_string(kShelfLifeDaysMax) + " days")
      .WithField(std::string(field))
      .WithDetail("max", std::to_string(kShelfLifeDaysMax));
}

Status OptionalGtin(std::string_view field, std::string* gtin) {
  FT_RETURN_IF_ERROR(Text(field, gtin, kIdBytesMax));
  return OptionalIdentifier(field, gtin, &NormalizeGtin);
}

Status ProductId(std::string_view prefix, std::string* gtin, std::string* product_code,
                 bool required) {
  const std::string p(prefix);
  FT_RETURN_IF_ERROR(OptionalGtin(p + "gtin", gtin));
  FT_RETURN_IF_ERROR(Id(p + "product_code", product_code, IdSet::kRecord, false));
  if (required && gtin->empty() && product_code->empty())
    return ProductMissing(prefix);
  return Status::Ok();
}

Status ProductMissing(std::string_view prefix) {
  const std::string p(prefix);
  return Status::Invalid("PRODUCT_MISSING",
                         Named(p + "gtin") + " or " + Named(p + "product_code") +
                             " is required: give the barcode number under the bars, or the "
                             "market's code for bulk goods without a barcode")
      .WithField(p + "gtin");
}

Status OptionalIdentifier(std::string_view field, std::string* value,
                          Result<std::string> (*normalise)(std::string_view)) {
  const std::string_view trimmed = TrimAscii(*value);
  if (trimmed.size() != value->size())
    *value = std::string(trimmed);
  if (value->empty())
    return Status::Ok();
  FT_RETURN_IF_ERROR(CheckText(field, *value, kIdBytesMax));
  Result<std::string> normalised = normalise(*value);
  if (!normalised.ok())
    return Prefixed(field, normalised.status());
  *value = std::move(normalised).value();
  return Status::Ok();
}

Status ListSize(std::string_view field, std::size_t size, std::size_t max) {
  if (size <= max)
    return Status::Ok();
  return Status::Exhausted("LIST_TOO_LONG", Named(field) + " has " + std::to_string(size) +
                                                " elements; the limit is " + std::to_string(max));
}

Status TextList(std::string_view field, google::protobuf::RepeatedPtrField<std::string>* list,
                std::size_t max, std::size_t bytes_max) {
  FT_RETURN_IF_ERROR(ListSize(field, static_cast<std::size_t>(list->size()), max));
  for (int i = 0; i < list->size(); ++i) {
    const std::string element = std::string(field) + "[" + std::to_string(i) + "]";
    FT_RETURN_IF_ERROR(
        RequiredText(element, list->Mutable(i), bytes_max, "remove the empty element"));
  }
  return Status::Ok();
}

}  // namespace foodtrace::ledger::fields
