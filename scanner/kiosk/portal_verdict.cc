#include "scanner/kiosk/portal_verdict.h"

#include <nlohmann/json.hpp>

#include "foodtrace/common/date.h"

namespace foodtrace::scanner::kiosk {
namespace {

using Json = nlohmann::json;

// HTTP statuses that mean "the portal cannot answer now" rather than "this code is wrong".
bool PortalDown(int status) { return status >= 500 || status == 429; }

std::string Text(const Json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

Result<VerdictCode> VerdictCodeOf(const std::string& name) {
  static constexpr VerdictCode kCodes[] = {VerdictCode::kOk,         VerdictCode::kNearExpiry,
                                           VerdictCode::kExpired,    VerdictCode::kRecalled,
                                           VerdictCode::kTestFailed, VerdictCode::kUnknown};
  for (VerdictCode code : kCodes) {
    if (name == VerdictName(code))
      return code;
  }
  return Status::Invalid("LOOKUP_FORMAT", "the portal answered an unknown verdict '" + name + "'");
}

// "name (party id)", or the outside supplier's name, for one chain element.
std::string OriginOf(const Json& element) {
  const std::string id = Text(element, "party_id");
  std::string name = Text(element, "name");
  if (name.empty())
    name = id.empty() ? Text(element, "received_from") : id;
  return id.empty() || id == name ? name : name + " (" + id + ")";
}

// The portal's error message in a 4xx answer, or the status.
std::string RefusalOf(const HttpAnswer& answer) {
  const Json j = Json::parse(answer.body, nullptr, /*allow_exceptions=*/false);
  if (j.is_object() && j.contains("error") && j["error"].is_object()) {
    const std::string message = Text(j["error"], "message");
    if (!message.empty())
      return "查询平台拒绝此条码 / The portal refused this code: " + message;
  }
  return "查询平台拒绝此条码 / The portal refused this code (HTTP " +
         std::to_string(answer.status) + ")";
}

void AddDate(const char* ai, const std::string& iso, std::string* out) {
  // ISO "YYYY-MM-DD" → YYMMDD; a date the parser produced is always this shape.
  if (iso.size() == 10)
    *out += ai + iso.substr(2, 2) + iso.substr(5, 2) + iso.substr(8, 2);
}

// What the consumer reads under the verdict: the recall and its cause, the failed test, or
// the portal's verdict_reason.
std::string DetailOf(const Json& answer, VerdictCode code) {
  const char* list = code == VerdictCode::kRecalled     ? "recalls"
                     : code == VerdictCode::kTestFailed ? "test_results"
                                                        : nullptr;
  auto it = list != nullptr ? answer.find(list) : answer.end();
  if (it != answer.end() && it->is_array()) {
    for (const Json& e : *it) {
      if (!e.is_object())
        continue;
      if (code == VerdictCode::kRecalled)
        return "recall " + Text(e, "recall_id") + ": " + Text(e, "reason");
      if (e.value("passed", false))
        continue;  // the failed one is the reason; passes are omitted in JSON anyway
      return Text(e, "item") + ": " + Text(e, "value") + " (limit " + Text(e, "limit") + ")";
    }
  }
  return Text(answer, "verdict_reason");
}

}  // namespace

std::string LookupCode(const Gs1Data& data) {
  if (data.gtin.empty())
    return "";
  std::string code = "01" + data.gtin;
  // The dates exactly as printed (DD = 00 stays 00), when the code had them.
  if (const std::string* produced = data.Find("11"))
    code += "11" + *produced;
  if (const std::string* expires = data.Find("17")) {
    code += "17" + *expires;
  } else {
    AddDate("17", data.expires_on, &code);
  }
  if (!data.lot.empty())
    code += "10" + data.lot;
  return code;
}

Result<Verdict> ParseLookupAnswer(const std::string& body) {
  const Json j = Json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object() || !j.contains("verdict") || !j["verdict"].is_string())
    return Status::Invalid("LOOKUP_FORMAT", "the portal's lookup answer has no verdict");
  Result<VerdictCode> code = VerdictCodeOf(j["verdict"].get<std::string>());
  if (!code.ok())
    return code.status();
  Verdict v;
  v.code = *code;
  v.detail = DetailOf(j, v.code);
  if (j.contains("product") && j["product"].is_object())
    v.product_name = Text(j["product"], "name");
  v.produced_on = Text(j, "produced_on");
  v.expires_on = Text(j, "expires_on");
  if (j.contains("chain") && j["chain"].is_array()) {
    for (const Json& element : j["chain"]) {
      if (element.is_object())
        v.origin.push_back(OriginOf(element));
    }
  }
  return v;
}

Result<std::unique_ptr<PortalVerdictSource>> PortalVerdictSource::Create(
    PortalVerdictOptions options) {
  Result<std::unique_ptr<PortalClient>> client = PortalClient::Create(options.portal);
  if (!client.ok())
    return client.status();
  std::unique_ptr<PortalVerdictSource> source(
      new PortalVerdictSource(std::move(options), std::move(client).value()));
  if (!source->options_.cache_path.empty()) {
    Result<RecallCache> cache = ReadRecallCache(source->options_.cache_path);
    if (cache.ok()) {
      source->cache_ = std::move(cache).value();
    } else if (cache.status().code() != Code::kNotFound) {
      source->Warn(cache.status().message());
    }
  }
  return source;
}

PortalVerdictSource::PortalVerdictSource(PortalVerdictOptions options,
                                         std::unique_ptr<PortalClient> client)
    : options_(std::move(options)), client_(std::move(client)) {}

Result<Verdict> PortalVerdictSource::Lookup(const Gs1Data& data) {
  const std::string code = LookupCode(data);
  if (code.empty()) {
    Verdict v;
    v.detail = "此条码不含产品编号 (GTIN) / This code names no product (no GTIN)";
    return v;
  }
  Result<HttpAnswer> answer =
      client_->Get("/api/v1/lookup?code=" + PortalClient::EscapeQuery(code), kKioskAnswerBytesMax);
  if (!answer.ok())
    return Offline(data, answer.status().message());
  if (PortalDown(answer->status))
    return Offline(data, "the portal answered HTTP " + std::to_string(answer->status));
  portal_answered_ = true;
  if (answer->status != 200) {
    Verdict v;
    v.detail = RefusalOf(*answer);
    return v;
  }
  Result<Verdict> verdict = ParseLookupAnswer(answer->body);
  if (!verdict.ok())
    return Offline(data, verdict.status().message());
  return verdict;
}

Verdict PortalVerdictSource::Offline(const Gs1Data& data, const std::string& why) const {
  Verdict v;
  v.offline = true;
  v.offline_note = why + "; ";
  if (cache_.fetched_at_ms == 0) {
    v.offline_note += "no recall list cached yet";
  } else {
    v.offline_note += "recall list of " + FormatInstant(cache_.fetched_at_ms) + " checked (" +
                      std::to_string(cache_.recalls.size()) + " recalls)";
  }
  if (const CachedRecall* r = cache_.Find(data.gtin, data.lot, data.produced_on)) {
    v.code = VerdictCode::kRecalled;
    v.detail = "recall " + r->recall_id + (r->reason.empty() ? "" : ": " + r->reason);
  }
  return v;
}

void PortalVerdictSource::RefreshRecallsIfDue(bool force) {
  const std::int64_t now_ms = NowMillis();
  const bool due =
      refreshed_at_ms_ == 0 || now_ms - refreshed_at_ms_ >= options_.recall_refresh_interval_ms;
  if (!force && !(portal_answered_ && due))
    return;
  RecallCache fresh;
  if (Status s = FetchRecalls(&fresh); !s.ok()) {
    Warn("the recall list was not refreshed: " + s.message());
    return;
  }
  portal_answered_ = false;
  refreshed_at_ms_ = now_ms;
  cache_ = std::move(fresh);
  if (options_.cache_path.empty())
    return;
  if (Status s = WriteRecallCache(options_.cache_path, cache_); !s.ok())
    Warn("the recall cache was not saved: " + s.message());
}

Status PortalVerdictSource::FetchRecalls(RecallCache* fresh) {
  fresh->portal = client_->base_url();
  fresh->fetched_at_ms = NowMillis();
  std::string cursor;
  for (int page = 0; page < kKioskRecallPagesMax; ++page) {
    std::string path = "/api/v1/recalls?limit=" + std::to_string(kKioskRecallPageItems);
    if (!cursor.empty())
      path += "&cursor=" + PortalClient::EscapeQuery(cursor);
    Result<HttpAnswer> answer = client_->Get(path, kKioskAnswerBytesMax);
    if (!answer.ok())
      return answer.status();
    if (answer->status != 200) {
      return Status::Unavailable("GET /api/v1/recalls answered HTTP " +
                                 std::to_string(answer->status));
    }
    FT_RETURN_IF_ERROR(ParseRecallPage(answer->body, &fresh->recalls, &cursor));
    if (cursor.empty())
      return Status::Ok();
  }
  return Status::Exhausted("RECALL_LIST_TOO_LONG", "the recall list has more than " +
                                                       std::to_string(kKioskRecallPagesMax) +
                                                       " pages (kKioskRecallPagesMax)");
}

void PortalVerdictSource::Warn(std::string_view message) const {
  if (options_.warn)
    options_.warn(message);
}

}  // namespace foodtrace::scanner::kiosk
