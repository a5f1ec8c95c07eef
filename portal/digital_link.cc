// The GS1 Digital Link resolver: /01/{gtin}[/22/{cpv}][/10/{lot}][/21/{serial}][?17=YYMMDD…].
// A browser gets the lot page (portal/web/lot.html reads location.pathname and calls the API);
// a client asking for JSON (Accept: application/json, or any linkType) gets the lookup answer.
// The URI is parsed by the scanner library exactly as a scanned Digital Link QR code would be.
#include <string>

#include "portal/limits.h"
#include "portal/lookup.h"
#include "portal/server.h"

namespace foodtrace::portal {
namespace {

// The query string without the parameters that steer the resolver rather than describe the
// item (linkType, party, access_token).
std::string DataAttributes(std::string_view query) {
  std::string out;
  std::size_t start = 0;
  while (start <= query.size()) {
    std::size_t end = query.find('&', start);
    if (end == std::string_view::npos) end = query.size();
    const std::string_view pair = query.substr(start, end - start);
    const std::string_view key = pair.substr(0, pair.find('='));
    if (!pair.empty() && key != "linkType" && key != "party" && key != "access_token") {
      out += out.empty() ? "?" : "&";
      out += pair;
    }
    start = end + 1;
  }
  return out;
}

bool WantsJson(const httplib::Request& req) {
  return req.get_header_value("Accept").find("application/json") != std::string::npos ||
         req.has_param("linkType");
}

void Resolve(Context& ctx, Call& call) {
  if (!WantsJson(call.req)) return ServeWebFile(ctx, "lot.html", call.res);
  if (const int wait = ctx.rate->Take(call.req.remote_addr); wait > 0) {
    call.res.set_header("Retry-After", std::to_string(wait));
    return SendError(call.res, 429, "RATE_LIMITED",
                     "too many lookups from this address; try again in " + std::to_string(wait) + " s");
  }
  const std::string& target = call.req.target;
  const std::size_t q = target.find('?');
  const std::string path = target.substr(0, q);
  const std::string query = q == std::string::npos ? "" : target.substr(q + 1);
  // Any host will do: the scanner reads the path and query only.
  const std::string uri = "https://foodtrace.invalid" + path + DataAttributes(query);
  json extra = json::object();
  if (auto link_type = Param(call.req, "linkType")) extra["link_type"] = *link_type;
  AnswerLookup(ctx, call, uri, Param(call.req, "party").value_or(""), extra);
}

}  // namespace

void AddDigitalLinkRoutes(Router& router) {
  router.Add("GET", "/01/{*}", Access::kPublic, Resolve);
}

}  // namespace foodtrace::portal
