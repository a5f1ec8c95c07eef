// GS1 EPCIS 2.0 REST binding (subset; docs/epcis.md, docs/api.md "EPCIS"):
//   POST /epcis/capture            an EPCISDocument; answers 202 with the capture job
//   GET  /epcis/capture/{id}       that job (the token that captured it)
//   GET  /epcis/events?…           SimpleEventQuery parameters → EPCISQueryDocument (regulators)
//   GET  /epcis/events/{eventID}   one event (regulators)
// Capture validates and maps in the epcis component, then writes through Ledger::Submit, the
// one write path every record takes; each event is accepted, duplicate or rejected on its own.
// Errors use the EPCIS 2.0 problem shape (RFC 7807 with epcisException types) and carry the
// portal's {"error":{code,message}} too.
#include <deque>
#include <mutex>
#include <unordered_map>

#include "foodtrace/common/crypto.h"
#include "foodtrace/epcis/epcis.h"
#include "portal/api_util.h"
#include "portal/limits.h"
#include "portal/lot_events.h"
#include "portal/server.h"

namespace foodtrace::portal {

// Capture jobs, newest kept: finished at once (capture is synchronous), remembered for
// GET /epcis/capture/{id} until kCaptureJobsMax newer ones push them out or the server restarts
// (the events themselves are durable in the ledger). Thread-safe.
class CaptureJobs {
 public:
  void Put(const std::string& id, const std::string& owner, json job) {
    std::lock_guard lk(mu_);
    order_.push_back(id);
    jobs_[id] = {owner, std::move(job)};
    while (order_.size() > kCaptureJobsMax) {
      jobs_.erase(order_.front());
      order_.pop_front();
    }
  }
  std::optional<json> Get(const std::string& id, const std::string& owner) const {
    std::lock_guard lk(mu_);
    auto it = jobs_.find(id);
    if (it == jobs_.end() || it->second.first != owner) return std::nullopt;
    return it->second.second;
  }

 private:
  mutable std::mutex mu_;
  std::deque<std::string> order_;
  std::unordered_map<std::string, std::pair<std::string, json>> jobs_;
};

std::shared_ptr<CaptureJobs> NewCaptureJobsShared() { return std::make_shared<CaptureJobs>(); }

namespace {

void SetEpcisHeaders(httplib::Response& res) {
  res.set_header("GS1-EPCIS-Version", "2.0.0");
  res.set_header("GS1-CBV-Version", "2.0.0");
  res.set_header("Cache-Control", "no-store");
}

// An EPCIS exception (RFC 7807 problem details) that is also a portal error.
json Problem(std::string_view type, int status, const std::string& code, const std::string& message) {
  return json{{"type", "epcisException:" + std::string(type)},
              {"title", message},
              {"status", status},
              {"error", {{"code", code}, {"message", message}}}};
}

void SendProblem(httplib::Response& res, std::string_view type, int status, const std::string& code,
                 const std::string& message) {
  SetEpcisHeaders(res);
  res.status = status;
  res.set_content(Problem(type, status, code, message).dump(-1, ' ', false, json::error_handler_t::replace),
                  "application/problem+json");
}

json EventResultJson(const epcis::CapturedEvent& ev, const v1::ItemResult* result) {
  json j{{"index", ev.index}, {"eventID", ev.event_id}, {"type", ev.type}};
  if (!ev.status.ok()) {
    j["status"] = "REJECTED";
    j["code"] = ev.status.reason();
    j["message"] = ev.status.message();
    if (!ev.where.empty()) j["where"] = ev.where;
    return j;
  }
  j["status"] = v1::ItemResult::Status_Name(result->status());
  if (result->sequence() != 0) j["sequence"] = result->sequence();
  if (result->status() == v1::ItemResult::REJECTED) {
    j["code"] = result->code();
    j["message"] = result->message();
  }
  return j;
}

json EventProblem(const json& event_result) {
  const std::string code = event_result.value("code", "");
  json p = Problem("ValidationException", 400, code,
                   "event " + std::to_string(event_result["index"].get<std::size_t>()) + ": " +
                       event_result.value("message", ""));
  p["instance"] = "#/epcisBody/eventList/" + std::to_string(event_result["index"].get<std::size_t>());
  p["eventID"] = event_result["eventID"];
  if (event_result.contains("where")) p["detail"] = event_result["where"];
  return p;
}

void Capture(Context& ctx, Call& call) {
  if (call.body_too_large) {
    return SendProblem(call.res, "CaptureLimitExceededException", 413, "EPCIS_TOO_LARGE",
                       "the EPCIS document is larger than " + std::to_string(kEpcisDocumentBytesMax) +
                           " bytes: split it into several documents");
  }
  std::string behaviour = call.req.get_header_value("GS1-Capture-Error-Behaviour");
  if (behaviour.empty()) behaviour = "proceed";
  if (behaviour != "proceed" && behaviour != "rollback") {
    return SendProblem(call.res, "ValidationException", 400, "BAD_PARAMETER",
                       "GS1-Capture-Error-Behaviour must be proceed or rollback");
  }
  const UnixMillis created = ctx.ledger->Now();
  epcis::CaptureOptions options;
  options.time_zone = ctx.ledger->time_zone();
  auto doc = epcis::ReadCaptureDocument(call.body, options);
  if (!doc.ok()) {
    const bool limit = doc.status().code() == Code::kResourceExhausted;
    return SendProblem(call.res, limit ? "CaptureLimitExceededException" : "ValidationException", limit ? 413 : 400,
                       doc.status().reason(), doc.status().message());
  }
  bool all_valid = true;
  std::vector<v1::Item> items;
  for (const auto& ev : doc->events) {
    all_valid = all_valid && ev.status.ok();
    if (ev.entry) *items.emplace_back().mutable_entry() = *ev.entry;
  }
  // rollback: an invalid event stops the whole document before anything is written. (Rules
  // only the ledger can check, such as an unknown GLN, still reject event by event.)
  if (behaviour == "rollback" && !all_valid) items.clear();
  std::vector<v1::ItemResult> results;
  if (!items.empty()) {
    auto submitted = SubmitItems(ctx, call.principal.token.party_id, std::move(items));
    if (!submitted.ok()) {
      return SendProblem(call.res, "ImplementationException", HttpStatusFor(submitted.status()),
                         submitted.status().reason(), submitted.status().message());
    }
    results = std::move(*submitted);
  }
  json events = json::array(), errors = json::array();
  std::size_t next = 0;
  for (const auto& ev : doc->events) {
    const v1::ItemResult* result = nullptr;
    v1::ItemResult not_written;
    if (ev.status.ok() && !results.empty()) result = &results.at(next++);
    if (ev.status.ok() && results.empty()) {
      not_written.set_status(v1::ItemResult::REJECTED);
      not_written.set_code("EPCIS_ROLLED_BACK");
      not_written.set_message("not written: another event of the document is invalid and rollback was asked for");
      result = &not_written;
    }
    json r = EventResultJson(ev, result);
    if (r["status"] == "REJECTED") errors.push_back(EventProblem(r));
    events.push_back(std::move(r));
  }
  const std::string id = "cap-" + RandomHex(8);
  json job{{"captureID", id},
           {"createdAt", FormatInstant(created)},
           {"finishedAt", FormatInstant(ctx.ledger->Now())},
           {"running", false},
           {"success", errors.empty()},
           {"captureErrorBehaviour", behaviour},
           {"errors", std::move(errors)},
           {"events", std::move(events)}};
  ctx.capture_jobs->Put(id, call.principal.token.party_id, job);
  SetEpcisHeaders(call.res);
  call.res.set_header("Location", "/epcis/capture/" + id);
  SendJson(call.res, 202, job);
}

void CaptureJob(Context& ctx, Call& call) {
  auto job = ctx.capture_jobs->Get(call.params.at(0), call.principal.token.party_id);
  if (!job) {
    return SendProblem(call.res, "NoSuchResourceException", 404, "NOT_FOUND",
                       "no capture job " + call.params.at(0).substr(0, 40) +
                           " of this token (jobs are kept for the last " + std::to_string(kCaptureJobsMax) +
                           " captures until the server restarts)");
  }
  SetEpcisHeaders(call.res);
  SendJson(call.res, 200, *job);
}

}  // namespace
}  // namespace foodtrace::portal

namespace foodtrace::portal {

void AddEpcisCaptureRoutes(Router& router) {
  router.Add("POST", "/epcis/capture", Access::kVendor, Capture, BodyKind::kEpcis);
  router.Add("GET", "/epcis/capture/{}", Access::kVendor, CaptureJob);
}

}  // namespace foodtrace::portal
