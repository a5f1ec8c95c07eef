// The kiosk's HTTP client for the portal's public API (docs/api.md). One libcurl easy handle is
// reused for every request, so consecutive scans share one keep-alive connection. No libcurl
// type appears here. Not thread-safe: one PortalClient per thread.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "foodtrace/common/status.h"
#include "scanner/limits.h"

namespace foodtrace::scanner::kiosk {

struct PortalOptions {
  // The portal's base URL, "http://HOST:PORT" or "https://…", optionally with a path prefix.
  std::string base_url;
  // Budget to set up the connection, and for the whole request (both 1..kKioskHttpTimeoutMsMax).
  int connect_timeout_ms = kKioskConnectTimeoutMsDefault;
  int timeout_ms = kKioskLookupTimeoutMsDefault;
};

struct HttpAnswer {
  int status = 0;    // the HTTP status code
  std::string body;  // at most the bytes_max given to Get
};

class PortalClient {
 public:
  // Checks the options and prepares the handle; does not connect.
  // Errors: INVALID_ARGUMENT PORTAL_URL (not http(s)://, too long), INVALID_OPTION (a timeout
  // out of range), INTERNAL (libcurl could not be initialised).
  static Result<std::unique_ptr<PortalClient>> Create(PortalOptions options);
  ~PortalClient();
  PortalClient(const PortalClient&) = delete;
  PortalClient& operator=(const PortalClient&) = delete;

  // GET base_url + `path_and_query` (which starts with '/'); any HTTP status is an answer.
  // Errors: UNAVAILABLE PORTAL_UNREACHABLE (no connection, timed out, reset, TLS failure: the
  // message says which), RESOURCE_EXHAUSTED PORTAL_ANSWER_TOO_LARGE (more than `bytes_max`).
  Result<HttpAnswer> Get(std::string_view path_and_query, std::size_t bytes_max);

  // `text` percent-encoded for a query parameter (every byte outside A-Z a-z 0-9 - . _ ~).
  static std::string EscapeQuery(std::string_view text);

  const std::string& base_url() const;

  class Impl;

 private:
  explicit PortalClient(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace foodtrace::scanner::kiosk
