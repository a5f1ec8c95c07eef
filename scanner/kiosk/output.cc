#include "scanner/kiosk/output.h"

#include <nlohmann/json.hpp>

namespace foodtrace::scanner::kiosk {
namespace {

using Json = nlohmann::ordered_json;

Json OrNull(const std::string& value) { return value.empty() ? Json(nullptr) : Json(value); }

template <class T>
Json OrNull(const std::optional<T>& value) {
  return value ? Json(*value) : Json(nullptr);
}

Json CodeJson(const DecodedCode& code) {
  return Json{{"symbology", code.symbology}, {"text", code.text}};
}

std::string Dump(const Json& json) {
  // Replace invalid UTF-8 (typed garbage) instead of throwing.
  return json.dump(-1, ' ', false, Json::error_handler_t::replace);
}

void AddLine(const char* label, const std::string& value, std::string* out) {
  if (!value.empty())
    *out += std::string("  ") + label + ": " + value + "\n";
}

// The code text with GS shown as "<GS>", so the block stays printable.
std::string Printable(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '\x1D') {
      out += "<GS>";
    } else if (static_cast<unsigned char>(c) < 0x20) {
      out += '?';
    } else {
      out += c;
    }
  }
  return out;
}

const char* VerdictLabel(VerdictCode code) {
  switch (code) {
    case VerdictCode::kOk:
      return "可以食用 / OK";
    case VerdictCode::kNearExpiry:
      return "临期 / NEAR EXPIRY";
    case VerdictCode::kExpired:
      return "过期 / EXPIRED — do not eat";
    case VerdictCode::kRecalled:
      return "召回 / RECALLED — do not eat, return it";
    case VerdictCode::kTestFailed:
      return "检测不合格 / FAILED TEST — do not eat";
    case VerdictCode::kUnknown:
      return "未知 / UNKNOWN";
  }
  return "未知 / UNKNOWN";
}

}  // namespace

const char* VerdictName(VerdictCode code) {
  switch (code) {
    case VerdictCode::kOk:
      return "ok";
    case VerdictCode::kNearExpiry:
      return "near_expiry";
    case VerdictCode::kExpired:
      return "expired";
    case VerdictCode::kRecalled:
      return "recalled";
    case VerdictCode::kTestFailed:
      return "test_failed";
    case VerdictCode::kUnknown:
      return "unknown";
  }
  return "unknown";
}

std::string FormatJson(const ScanOutcome& outcome, const Verdict* verdict) {
  Json j;
  j["input"] = outcome.input;
  if (!outcome.error.ok()) {
    j["error"] = outcome.error.message();
    j["reason"] = outcome.error.reason();
    if (!outcome.code.text.empty()) {
      j["symbology"] = outcome.code.symbology;
      j["text"] = outcome.code.text;
    }
    return Dump(j);
  }
  const Gs1Data& d = outcome.data;
  j["symbology"] = outcome.code.symbology;
  j["text"] = outcome.code.text;
  j["form"] = CodeFormName(d.form);
  j["gtin"] = OrNull(d.gtin);
  j["lot"] = OrNull(d.lot);
  j["serial"] = OrNull(d.serial);
  j["produced_on"] = OrNull(d.produced_on);
  j["packed_on"] = OrNull(d.packed_on);
  j["best_before"] = OrNull(d.best_before);
  j["expires_on"] = OrNull(d.expires_on);
  j["net_weight_grams"] = OrNull(d.net_weight_grams);
  j["count"] = OrNull(d.count);
  Json ais = Json::object();
  for (const Gs1Element& e : d.ais) ais[e.ai] = e.value;
  j["ais"] = std::move(ais);
  if (!outcome.other_codes.empty()) {
    Json codes = Json::array({CodeJson(outcome.code)});
    for (const DecodedCode& c : outcome.other_codes) codes.push_back(CodeJson(c));
    j["codes"] = std::move(codes);
  }
  if (verdict != nullptr)
    j["verdict"] = VerdictName(verdict->code);
  return Dump(j);
}

std::string FormatText(const ScanOutcome& outcome, const Verdict* verdict) {
  std::string out = "==================================================\n";
  out += "  扫描 / Scan: " + Printable(outcome.input) + "\n";
  if (!outcome.error.ok()) {
    out += "  无法识别 / Not readable: " + outcome.error.message() + "\n";
    out += "==================================================\n";
    return out;
  }
  const Gs1Data& d = outcome.data;
  if (verdict != nullptr) {
    out += std::string("\n  >>> ") + VerdictLabel(verdict->code) + " <<<\n";
    if (!verdict->detail.empty())
      out += "      " + verdict->detail + "\n";
    out += "\n";
  }
  AddLine("码制 / Symbology", outcome.code.symbology, &out);
  AddLine("产品 / Product GTIN", d.gtin, &out);
  AddLine("批号 / Lot", d.lot, &out);
  AddLine("序列号 / Serial", d.serial, &out);
  AddLine("生产日期 / Produced", d.produced_on, &out);
  AddLine("包装日期 / Packed", d.packed_on, &out);
  AddLine("最佳食用期 / Best before", d.best_before, &out);
  AddLine("保质期至 / Expires", d.expires_on, &out);
  AddLine("净含量 / Net weight", d.net_weight_kg.empty() ? "" : d.net_weight_kg + " kg", &out);
  AddLine("数量 / Count", d.count ? std::to_string(*d.count) : "", &out);
  if (d.gtin.empty())
    AddLine("内容 / Content", Printable(outcome.code.text), &out);
  if (!outcome.other_codes.empty()) {
    AddLine("其他条码 / Other codes", std::to_string(outcome.other_codes.size()), &out);
  }
  out += "==================================================\n";
  return out;
}

}  // namespace foodtrace::scanner::kiosk
