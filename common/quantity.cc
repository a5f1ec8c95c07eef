#include "foodtrace/common/quantity.h"

#include <cctype>

#include "foodtrace/common/text.h"

namespace foodtrace {
namespace {

std::string Upper(std::string_view s) {
  std::string out(TrimAscii(s));
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

Status UnknownUnit(std::string_view unit) {
  const std::string got = unit.empty() ? "is empty" : "'" + std::string(unit.substr(0, 16)) + "' is not known";
  return Status::Invalid("UNIT_UNKNOWN", "the unit " + got +
                                             ": use KGM (kilogram 千克), GRM (gram 克), LTR (litre 升), "
                                             "MLT (millilitre 毫升) or H87 (piece 个/件)");
}

Status TooLarge(std::string_view what) {
  return Status::Exhausted("QUANTITY_TOO_LARGE", std::string(what) + " is more than " +
                                                     std::to_string(kQuantityValueMax) +
                                                     " in its unit: check the number or split the entry")
      .WithDetail("max", std::to_string(kQuantityValueMax));
}

// a × b, or nullopt past kQuantityValueMax.
bool Multiply(std::int64_t a, std::int64_t b, std::int64_t* out) {
  return !__builtin_mul_overflow(a, b, out) && *out <= kQuantityValueMax && *out >= -kQuantityValueMax;
}

}  // namespace

UnitBase BaseUnit(std::string_view unit) {
  if (unit == "KGM") return {"GRM", 1000};
  if (unit == "GRM") return {"GRM", 1};
  if (unit == "LTR") return {"MLT", 1000};
  if (unit == "MLT") return {"MLT", 1};
  if (unit == "H87") return {"H87", 1};
  return {};
}

Result<Quantity> ParseQuantity(std::string_view text, std::string_view unit_text) {
  return ParseScaledQuantity(text, unit_text, 1);
}

Result<Quantity> ParseScaledQuantity(std::string_view text, std::string_view unit_text, std::int64_t factor) {
  const std::string unit = Upper(unit_text);
  const UnitBase base = BaseUnit(unit);
  if (base.factor == 0) return UnknownUnit(unit);
  const std::string_view t = TrimAscii(text);
  const std::string shown(t.substr(0, kQuantityTextBytesMax));
  auto format_error = [&] {
    return Status::Invalid("QUANTITY_FORMAT", "quantity '" + shown + "' is not a number: write digits such as 12 or 15.5 (at most " +
                                                  std::to_string(kQuantityDecimalsMax) + " decimals, no sign)")
        .WithDetail("got", shown)
        .WithDetail("max", std::to_string(kQuantityDecimalsMax));
  };
  if (t.empty() || t.size() > kQuantityTextBytesMax) return format_error();
  std::int64_t mantissa = 0;
  int decimals = 0;
  bool point = false;
  int digits = 0;
  for (char c : t) {
    if (c == '.' && !point) {
      point = true;
      continue;
    }
    if (c < '0' || c > '9') return format_error();
    if (mantissa > (kQuantityValueMax * 1000 - 9) / 10) return TooLarge("quantity " + shown);
    mantissa = mantissa * 10 + (c - '0');
    ++digits;
    if (point) ++decimals;
  }
  if (digits == 0 || decimals > kQuantityDecimalsMax) return format_error();
  std::int64_t divisor = 1;
  for (int i = 0; i < decimals; ++i) divisor *= 10;
  if (!Multiply(mantissa, factor, &mantissa)) return TooLarge("quantity " + shown);
  // Trailing zeros after the point do not make a quantity decimal ("12.0" KGM is 12 KGM).
  if (mantissa % divisor == 0) {
    if (mantissa / divisor > kQuantityValueMax) return TooLarge("quantity " + shown);
    return Quantity{mantissa / divisor, unit};
  }
  std::int64_t scaled = 0;
  if (!Multiply(mantissa, base.factor, &scaled)) return TooLarge("quantity " + shown);
  if (scaled % divisor != 0) {
    const std::string base_name = base.unit == "GRM" ? "grams" : base.unit == "MLT" ? "millilitres" : "pieces";
    return Status::Invalid("QUANTITY_NOT_EXACT", "quantity " + shown + " " + unit + " is not a whole number of " + base_name +
                                                     " (" + std::string(base.unit) + "): " +
                                                     (base.unit == "H87" ? "count whole pieces, or record by weight or volume"
                                                                         : "write at most 3 decimals of " + unit))
        .WithDetail("got", shown)
        .WithDetail("unit", unit);
  }
  if (scaled / divisor > kQuantityValueMax) return TooLarge("quantity " + shown);
  return Quantity{scaled / divisor, std::string(base.unit)};
}

Result<Quantity> ParseQuantityWithUnit(std::string_view text) {
  const std::string_view t = TrimAscii(text);
  std::size_t split = 0;
  while (split < t.size() && ((t[split] >= '0' && t[split] <= '9') || t[split] == '.')) ++split;
  if (split == 0) {
    return Status::Invalid("QUANTITY_FORMAT", "'" + std::string(t.substr(0, kQuantityTextBytesMax)) +
                                                  "' is not a quantity with a unit: write e.g. 24H87, 250MLT or 2.5KGM");
  }
  return ParseQuantity(t.substr(0, split), t.substr(split));
}

std::string FormatQuantity(const Quantity& q, bool prefer_large) {
  if (prefer_large && q.amount % 1000 == 0 && (q.unit == "GRM" || q.unit == "MLT")) {
    return std::to_string(q.amount / 1000) + (q.unit == "GRM" ? " KGM" : " LTR");
  }
  if (prefer_large && (q.unit == "GRM" || q.unit == "MLT") && q.amount >= 1000) {
    std::string frac = std::to_string(q.amount % 1000);
    frac = std::string(3 - frac.size(), '0') + frac;
    while (!frac.empty() && frac.back() == '0') frac.pop_back();
    return std::to_string(q.amount / 1000) + "." + frac + (q.unit == "GRM" ? " KGM" : " LTR");
  }
  return std::to_string(q.amount) + " " + q.unit;
}

Result<std::int64_t> ConvertQuantity(const Quantity& q, std::string_view to_unit, const Quantity& piece) {
  const UnitBase from = BaseUnit(q.unit);
  const UnitBase to = BaseUnit(to_unit);
  if (from.factor == 0) return UnknownUnit(q.unit);
  if (to.factor == 0) return UnknownUnit(to_unit);
  std::int64_t base_amount = 0;
  if (!Multiply(q.amount, from.factor, &base_amount)) return TooLarge("quantity " + std::to_string(q.amount) + " " + q.unit);
  const std::string shown = std::to_string(q.amount) + " " + q.unit;
  if (from.unit != to.unit) {
    const UnitBase piece_base = BaseUnit(piece.unit);
    std::int64_t piece_amount = 0;  // one piece in its base unit
    const bool piece_known = piece.amount > 0 && piece_base.factor != 0 && piece_base.unit != "H87" &&
                             Multiply(piece.amount, piece_base.factor, &piece_amount);
    if (!piece_known || (from.unit != "H87" && to.unit != "H87") ||
        (from.unit == "H87" ? to.unit : from.unit) != piece_base.unit) {
      return Status::Invalid("UNIT_MISMATCH", shown + " does not convert to " + std::string(to_unit) +
                                                  (piece_known ? "" : ": declare the net content of one piece on the product") );
    }
    if (from.unit == "H87") {
      if (!Multiply(base_amount, piece_amount, &base_amount)) return TooLarge(shown);
    } else {
      if (base_amount % piece_amount != 0) {
        return Status::Invalid("QUANTITY_NOT_EXACT", shown + " is not a whole number of pieces of " +
                                                         FormatQuantity(piece, false) + ": record whole pieces");
      }
      base_amount /= piece_amount;
    }
  }
  if (base_amount % to.factor != 0) {
    return Status::Invalid("QUANTITY_NOT_EXACT", shown + " is not a whole number of " + std::string(to_unit) +
                                                     ": record it in " + std::string(to.unit));
  }
  return base_amount / to.factor;
}

Result<Quantity> PackQuantity(std::int64_t count, const Quantity& contents) {
  std::int64_t amount = 0;
  if (!Multiply(count, contents.amount, &amount)) {
    return TooLarge(std::to_string(count) + " packs of " + FormatQuantity(contents, false));
  }
  return Quantity{amount, contents.unit};
}

}  // namespace foodtrace
