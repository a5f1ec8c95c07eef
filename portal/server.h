// Private to the portal: Portal::Impl owns the cpp-httplib server, the router and the shared
// state, and registers every area's routes (public_api.cc, regulator_api.cc, …).
#pragma once

#include <atomic>
#include <memory>
#include <thread>

#include "portal/http.h"
#include "portal/lookup_cache.h"
#include "portal/metrics.h"
#include "portal/rate_limit.h"
#include "portal/router.h"
#include "portal/tokens.h"

namespace foodtrace::portal {

// Route registration, one function per area (each in its own file).
void AddPublicRoutes(Router& router);
void AddDigitalLinkRoutes(Router& router);
void AddRegulatorRoutes(Router& router);
void AddRecallRoutes(Router& router);
void AddAlertRoutes(Router& router);
void AddInspectionRoutes(Router& router);
void AddStatsRoutes(Router& router);
void AddExportRoutes(Router& router);  // export_epcis.cc: both exports
void AddFsmaExportRoute(Router& router);
void AddEpcisExportRoute(Router& router);
void AddVendorRoutes(Router& router);
void AddOpsRoutes(Router& router);
void AddSessionRoutes(Router& router);  // sessions_api.cc
void AddLedgerRoutes(Router& router);   // ledger_api.cc: signed heads and proofs

// The session token in the request's ft_session cookie, or "".
std::string SessionCookieToken(const httplib::Request& req);
// False when the request names an Origin other than its own Host (a cross-site form or script:
// refused for cookie-authenticated writes, on top of the cookie's SameSite=Strict).
bool SameOrigin(const httplib::Request& req);

void AddEpcisRoutes(Router& router);    // export_epcis.cc: EPCIS 2.0 query and export views
void AddEpcisCaptureRoutes(Router& router);  // epcis_api.cc: EPCIS 2.0 capture
void AddProductRoutes(Router& router);  // products_api.cc: the product registry
// The EPCIS capture jobs of one portal (epcis_api.cc); shared_ptr: the type stays private.
std::shared_ptr<CaptureJobs> NewCaptureJobsShared();

// Appends the alert store's gauges (open alerts by kind, outbox backlog) when it is present.
void AddAlertSamples(const Context& ctx, std::vector<Metrics::Sample>* out);

// Serves a file under ctx.web_dir for the decoded path `segments` ("/" → index.html).
// Answers 404 (plain text page) for anything missing or outside the directory.
void ServeStatic(const Context& ctx, const std::vector<std::string>& segments, httplib::Response& res);
// Serves one named file of the web directory (the Digital Link lot page); 404 when missing.
void ServeWebFile(const Context& ctx, const std::string& name, httplib::Response& res);

class Portal::Impl {
 public:
  Impl(ledger::Ledger* ledger, PortalOptions options);
  ~Impl();
  Status Start();
  void Stop();
  int port() const { return port_; }
  const PortalOptions& options() const { return options_; }

 private:
  void Configure();
  // Routes, authenticates, reads the body (through `reader` when given) and runs the handler.
  void Handle(const httplib::Request& req, httplib::Response& res, const httplib::ContentReader* reader);
  bool Authorize(const Route& route, const httplib::Request& req, Call& call);
  Status ReadBody(const Route& route, const httplib::Request& req, const httplib::ContentReader* reader,
                  std::string* body);

  PortalOptions options_;
  Metrics metrics_;
  TokenStore tokens_;
  RateLimiter rate_;
  Router router_;
  LookupCache lookup_cache_;
  std::shared_ptr<CaptureJobs> capture_jobs_ = NewCaptureJobsShared();
  Context ctx_;
  std::atomic<bool> stopping_{false};
  std::atomic<int> alert_streams_{0};
  int metric_static_ = -1;
  int metric_not_found_ = -1;
  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
  std::once_flag stopped_;
};

}  // namespace foodtrace::portal
