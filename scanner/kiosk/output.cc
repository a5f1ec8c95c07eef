#include "scanner/kiosk/output.h"

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

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

struct Banner {
  const char* label;  // the verdict, Chinese / English
  const char* what;   // what the consumer should do, both languages
};

// "RECALLED" → "R  E  C  A  L  L  E  D": the English word again, wide, for the banner.
std::string Wide(std::string_view label) {
  const std::size_t slash = label.find(" / ");
  std::string out;
  for (char c : label.substr(slash == std::string_view::npos ? 0 : slash + 3)) {
    if (!out.empty())
      out += "  ";
    out += c;
  }
  return out;
}

Banner BannerOf(VerdictCode code) {
  switch (code) {
    case VerdictCode::kOk:
      return {"合格 / OK", "可以食用 / Fine to eat"};
    case VerdictCode::kNearExpiry:
      return {"临期 / NEAR EXPIRY", "请尽快食用 / Eat it soon"};
    case VerdictCode::kExpired:
      return {"过期 / EXPIRED", "不要食用 / Do not eat it"};
    case VerdictCode::kRecalled:
      return {"召回 / RECALLED", "不要食用，请退回购买处 / Do not eat it; return it to the seller"};
    case VerdictCode::kTestFailed:
      return {"检测不合格 / FAILED TEST", "不要食用 / Do not eat it"};
    case VerdictCode::kUnknown:
      break;
  }
  return {"未知 / UNKNOWN", "查不到此批次的记录 / No record of this lot was found"};
}

// The verdict as a framed block a consumer reads from a step away; warnings are framed in '!'.
void AddBanner(const Verdict& verdict, std::string* out) {
  const bool warning = verdict.code != VerdictCode::kOk && verdict.code != VerdictCode::kUnknown;
  const std::string rule(50, warning ? '!' : '#');
  const std::string edge = warning ? "!!" : "##";
  Banner banner = BannerOf(verdict.code);
  if (verdict.offline && verdict.code == VerdictCode::kUnknown)
    banner.what =
        "现在无法查询，请稍后再试或询问商户 / Cannot be checked now: try later or ask the seller";
  if (verdict.offline) {
    *out +=
        "  离线 / OFFLINE: 无法连接查询平台，只查了本机缓存的召回清单\n"
        "                  the portal cannot be reached; only the cached recall list was checked\n";
    if (!verdict.offline_note.empty())
      *out += "                  (" + verdict.offline_note + ")\n";
  }
  *out += rule + "\n" + edge + "\n";
  *out += edge + "     " + banner.label + "\n";
  *out += edge + "     " + Wide(banner.label) + "\n";
  *out += edge + "\n";
  *out += edge + "     " + banner.what + "\n";
  if (!verdict.detail.empty())
    *out += edge + "     " + verdict.detail + "\n";
  *out += edge + "\n" + rule + "\n";
}

std::string Joined(const std::vector<std::string>& parts, const char* separator) {
  std::string out;
  for (const std::string& p : parts) out += (out.empty() ? "" : separator) + p;
  return out;
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
  if (verdict != nullptr && verdict->offline)
    j["offline"] = true;
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
  const Verdict none;
  const Verdict& v = verdict != nullptr ? *verdict : none;
  if (verdict != nullptr)
    AddBanner(*verdict, &out);
  AddLine("产品 / Product", v.product_name, &out);
  AddLine("码制 / Symbology", outcome.code.symbology, &out);
  AddLine("产品 / Product GTIN", d.gtin, &out);
  AddLine("批号 / Lot", d.lot, &out);
  AddLine("序列号 / Serial", d.serial, &out);
  // The ledger's dates when the portal knows the lot, else what the code says.
  AddLine("生产日期 / Produced", v.produced_on.empty() ? d.produced_on : v.produced_on, &out);
  AddLine("包装日期 / Packed", d.packed_on, &out);
  AddLine("最佳食用期 / Best before", d.best_before, &out);
  AddLine("保质期至 / Expires", v.expires_on.empty() ? d.expires_on : v.expires_on, &out);
  AddLine("来源 / Origin", Joined(v.origin, " → "), &out);
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
