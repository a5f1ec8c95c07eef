// Private to the portal: the shared request context, JSON answers and errors, parameter
// parsing. Handlers see httplib types; nothing outside portal/ does.
#pragma once

#include <httplib.h>

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "foodtrace/common/date.h"
#include "foodtrace/common/status.h"
#include "foodtrace/ledger/ledger.h"
#include "foodtrace/portal/portal.h"

namespace foodtrace::portal {

using nlohmann::json;
namespace v1 = ::foodtrace::v1;

class TokenStore;
class RateLimiter;
class Metrics;
class LookupCache;
class CaptureJobs;

// Who sent a request: nobody (public) or the holder of a token.
struct Principal {
  bool authenticated = false;
  TokenInfo token;
};

// Everything a handler may use. Owned by Portal::Impl; outlives every request.
struct Context {
  ledger::Ledger* ledger = nullptr;
  const PortalOptions* options = nullptr;
  TokenStore* tokens = nullptr;
  RateLimiter* rate = nullptr;
  Metrics* metrics = nullptr;
  LookupCache* lookup_cache = nullptr;  // the public lookup's memory; null = read everything
  CaptureJobs* capture_jobs = nullptr;  // EPCIS capture jobs (epcis_api.cc)
  std::string web_dir;                 // canonical absolute path, no trailing slash
  std::atomic<bool>* stopping = nullptr;
  std::atomic<int>* alert_streams = nullptr;
  Date Today() const { return ledger->Today(); }
};

// One matched request: path parameters ("{}" segments, percent-decoded) and the caller.
struct Call {
  const httplib::Request& req;
  httplib::Response& res;
  std::vector<std::string> params;
  Principal principal;
  std::string body;  // the request body (POST), already bounded
  bool body_too_large = false;  // BodyKind::kEpcis only: the body was over its limit (dropped)
};

// ---- answers -------------------------------------------------------------------------------
void SendJson(httplib::Response& res, int status, const json& body);
// Every error answer of the portal (docs/api.md "Errors"), with `status` as its HTTP status:
//   {"error": {"code": "GTIN_CHECK_DIGIT", "message": "…", "field": "lot.gtin",
//              "details": {"expected": "2", "got": "1"}}}
// `code` is the stable reason the pages word in the reader's language (portal/web/js/
// errors.js); `field` is the input it is about ("" when none); `details` the facts the
// wording needs (an object, maybe empty). `message` is English, for logs and API users.
json ErrorJson(std::string_view code, std::string_view message, std::string_view field = "",
               const json& details = json::object());
void SendError(httplib::Response& res, int status, std::string_view code, std::string_view message,
               std::string_view field = "", const json& details = json::object());
// The error object of a Status (reason, message, field, details).
json StatusErrorJson(const Status& status);
// The error object of a rejected item result (code, message, field, details).
json ItemErrorJson(const v1::ItemResult& result);
// Maps a Status to its HTTP status (invalid_argument 400, not_found 404, unauthenticated 401,
// permission_denied 403, resource_exhausted 413 or 429, failed_precondition 409, unavailable
// 503, deadline_exceeded 504, others 500) and answers {"error": StatusErrorJson(status)}.
void SendStatus(httplib::Response& res, const Status& status);
int HttpStatusFor(const Status& status);

// ---- JSON of records ------------------------------------------------------------------------
// Protobuf JSON mapping with the .proto field names; an empty object if printing fails.
json ProtoToJson(const google::protobuf::Message& message);
// Parses Protobuf JSON into `message`. Errors: BAD_JSON naming what the parser disliked.
Status JsonToProto(std::string_view text, google::protobuf::Message* message);
// What anyone may know about a party (REGULATION rule 27: no credit class or risk level; no
// contact, identity numbers or keys).
json PublicPartyJson(const v1::Party& party, Date today);

// ---- parameters ----------------------------------------------------------------------------
// The query parameter `name`, or nullopt when absent.
std::optional<std::string> Param(const httplib::Request& req, const char* name);
// Errors: MISSING_PARAMETER.
Result<std::string> RequiredParam(const httplib::Request& req, const char* name);
// A date parameter, or `fallback` when absent. Errors: BAD_PARAMETER.
Result<Date> DateParam(const httplib::Request& req, const char* name, Date fallback);
// An integer parameter in [min, max], or `fallback`. Errors: BAD_PARAMETER.
Result<long long> IntParam(const httplib::Request& req, const char* name, long long fallback,
                           long long min, long long max);
// `limit` (default kPageSizeDefault, at most kPageSizeMax).
Result<std::size_t> PageLimit(const httplib::Request& req);
// `cursor`: an opaque offset into a stable ordering. Errors: BAD_PARAMETER.
Result<std::size_t> PageOffset(const httplib::Request& req);
// The cursor text for the page after [offset, offset + count) of `total` rows, or "".
std::string NextCursor(std::size_t offset, std::size_t count, std::size_t total);
// The product key for gtin= or product_code= (GTIN normalised to 14 digits).
// Errors: MISSING_PARAMETER, GTIN_FORMAT, GTIN_CHECK_DIGIT.
Result<std::string> ProductParam(const httplib::Request& req);

// "gtin" or "product_code" fields for a product key ("C:" prefix = product code).
void SetProductFields(json* out, std::string_view product_key);

}  // namespace foodtrace::portal
