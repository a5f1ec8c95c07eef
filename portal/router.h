// Private to the portal: routes by method and path segments (no regular expressions on the hot
// path), with the access rule each route needs.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "portal/http.h"

namespace foodtrace::portal {

enum class Access : std::uint8_t {
  kPublic,     // anyone
  kLookup,     // anyone, rate-limited per client address
  kAnyToken,   // a regulator or vendor token
  kRegulator,  // a regulator token
  kVendor,     // a vendor token
};

enum class BodyKind : std::uint8_t {
  kNone,    // ignored (read and dropped)
  kJson,    // up to kRequestBodyBytesMax
  kUpload,  // up to kUploadBytesMax; multipart field "image" or the raw body
  kEpcis,   // up to kEpcisDocumentBytesMax; a longer body reaches the handler flagged
            // (Call::body_too_large), which answers in the EPCIS error shape
};

using Handler = std::function<void(Context& ctx, Call& call)>;

struct Route {
  std::string method;                 // GET, POST
  std::string pattern;                // "/api/v1/recalls/{}/progress"; a final "{*}" takes the rest
  std::vector<std::string> segments;  // the pattern split on '/'
  Access access = Access::kPublic;
  BodyKind body = BodyKind::kNone;
  Handler handler;
  int metric = -1;
  bool token_in_query = false;  // also accept ?access_token= (EventSource cannot set headers)
};

// Not thread-safe to Add; Match is thread-safe once serving starts.
class Router {
 public:
  void Add(std::string method, std::string pattern, Access access, Handler handler,
           BodyKind body = BodyKind::kNone);
  // The route for `method` and decoded path `segments`; fills `params` with the "{}" values.
  // Sets *path_known when some route has this path under another method (for 405).
  const Route* Match(std::string_view method, const std::vector<std::string>& segments,
                     std::vector<std::string>* params, bool* path_known) const;
  std::vector<Route>& routes() { return routes_; }

 private:
  std::vector<Route> routes_;
};

// Splits the path of a raw request target (before any '?') into percent-decoded segments,
// without the leading empty one ("/a/b%2Fc" → {"a", "b/c"}; "/" → {}). A trailing slash is
// dropped. Errors: BAD_PATH (bad escape, NUL or control byte, invalid UTF-8, not starting with
// '/'), PATH_TOO_LONG.
Result<std::vector<std::string>> SplitPath(std::string_view raw_path);

// Decodes %XX escapes (and '+' as space when `plus_is_space`). Errors: BAD_PATH.
Result<std::string> PercentDecode(std::string_view text, bool plus_is_space);

}  // namespace foodtrace::portal
