// Portal::Impl: cpp-httplib configuration, dispatch, authentication, bodies, metrics.
//
// Requests never reach cpp-httplib's regex router on the hot path: GET and HEAD are taken in
// the pre-routing handler (before any body is read) and dispatched by path segments; POSTs
// reach one catch-all handler (with a content reader, so each route bounds its own body).
#include "portal/server.h"

#include <chrono>
#include <cstdio>
#include <filesystem>

#include "portal/limits.h"

#ifndef FOODTRACE_PORTAL_WEB_DIR
#define FOODTRACE_PORTAL_WEB_DIR "portal/web"
#endif

namespace foodtrace::portal {
namespace {

using Clock = std::chrono::steady_clock;

int WorkerThreads(int requested) {
  if (requested > 0) return std::clamp(requested, 1, kWorkerThreadsMax);
  const int cores = std::max(1u, std::thread::hardware_concurrency());
  return std::clamp(cores * kWorkerThreadsPerCore, kWorkerThreadsMin, kWorkerThreadsMax);
}

bool IsApiPath(const std::vector<std::string>& segments) {
  if (segments.empty()) return false;
  const std::string& first = segments[0];
  return first == "api" || first == "healthz" || first == "metrics" || first == "01" || first == "epcis";
}

std::string BearerToken(const httplib::Request& req, bool allow_query) {
  const std::string header = req.get_header_value("Authorization");
  constexpr std::string_view kBearer = "Bearer ";
  if (header.size() > kBearer.size() && header.compare(0, kBearer.size(), kBearer) == 0) {
    return header.substr(kBearer.size());
  }
  if (allow_query) {
    if (auto t = Param(req, "access_token")) return *t;
  }
  return "";
}

}  // namespace

Portal::Impl::Impl(ledger::Ledger* ledger, PortalOptions options)
    : options_(std::move(options)),
      tokens_(options_.data_dir),
      rate_(options_.lookup_rate_per_second, options_.lookup_burst),
      lookup_cache_(ledger) {
  ctx_.ledger = ledger;
  ctx_.lookup_cache = &lookup_cache_;
  ctx_.capture_jobs = capture_jobs_.get();
  ctx_.options = &options_;
  ctx_.tokens = &tokens_;
  ctx_.rate = &rate_;
  ctx_.metrics = &metrics_;
  ctx_.stopping = &stopping_;
  ctx_.alert_streams = &alert_streams_;
}

Portal::Impl::~Impl() { Stop(); }

void Portal::Impl::Configure() {
  AddOpsRoutes(router_);
  AddPublicRoutes(router_);
  AddDigitalLinkRoutes(router_);
  AddRegulatorRoutes(router_);
  AddRecallRoutes(router_);
  AddAlertRoutes(router_);
  AddInspectionRoutes(router_);
  AddStatsRoutes(router_);
  AddExportRoutes(router_);
  AddVendorRoutes(router_);
  AddSessionRoutes(router_);
  AddEpcisRoutes(router_);
  AddProductRoutes(router_);
  AddLedgerRoutes(router_);
  for (Route& r : router_.routes()) r.metric = metrics_.AddRoute(r.pattern);
  metric_static_ = metrics_.AddRoute("static");
  metric_not_found_ = metrics_.AddRoute("unmatched");

  const int threads = WorkerThreads(options_.worker_threads);
  server_.new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<std::size_t>(threads)); };
  server_.set_read_timeout(kReadTimeoutSeconds, 0);
  server_.set_write_timeout(kWriteTimeoutSeconds, 0);
  server_.set_keep_alive_timeout(kKeepAliveTimeoutSeconds);
  server_.set_keep_alive_max_count(kKeepAliveRequestsMax);
  server_.set_payload_max_length(kBodyDrainBytesMax);
  server_.set_tcp_nodelay(true);
  server_.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
    if (req.method != "GET" && req.method != "HEAD") return httplib::Server::HandlerResponse::Unhandled;
    Handle(req, res, nullptr);
    return httplib::Server::HandlerResponse::Handled;
  });
  auto with_body = [this](const httplib::Request& req, httplib::Response& res,
                          const httplib::ContentReader& reader) { Handle(req, res, &reader); };
  auto without_body = [this](const httplib::Request& req, httplib::Response& res) {
    Handle(req, res, nullptr);
  };
  server_.Post(".*", with_body).Post(".*", without_body);
  server_.Put(".*", with_body).Put(".*", without_body);
  server_.Patch(".*", with_body).Patch(".*", without_body);
  server_.Delete(".*", with_body).Delete(".*", without_body);
  server_.set_error_handler(httplib::Server::HandlerWithResponse([](const httplib::Request& req,
                                                                     httplib::Response& res) {
    // Only answers cpp-httplib produced itself (413 before routing, 400 on a bad request line,
    // 404 for methods we never route) reach here without a body.
    if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
    const char* code = res.status == 413 ? "PAYLOAD_TOO_LARGE"
                       : res.status == 414 ? "URI_TOO_LONG"
                       : res.status == 404 ? "NOT_FOUND"
                                           : "BAD_REQUEST";
    SendError(res, res.status, code,
              res.status == 413 ? "the request body is larger than the portal accepts"
                                : "the portal cannot answer this request (" + req.method + ")");
    return httplib::Server::HandlerResponse::Handled;
  }));
  server_.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
    SendError(res, 500, "INTERNAL", "the portal failed to answer; the error is logged");
  });
}

Status Portal::Impl::Start() {
  std::error_code ec;
  std::filesystem::path web = options_.web_dir.empty() ? FOODTRACE_PORTAL_WEB_DIR : options_.web_dir;
  if (!options_.web_dir.empty() && !std::filesystem::is_directory(web, ec)) {
    return Status::Invalid("WEB_DIR", "--web " + options_.web_dir + " is not a directory");
  }
  ctx_.web_dir = std::filesystem::weakly_canonical(std::filesystem::absolute(web), ec).string();
  while (ctx_.web_dir.size() > 1 && ctx_.web_dir.back() == '/') ctx_.web_dir.pop_back();
  if (options_.port < 0 || options_.port > 65535) {
    return Status::Invalid("HTTP_PORT", "port " + std::to_string(options_.port) + " is out of range");
  }
  Configure();
  if (options_.port == 0) {
    port_ = server_.bind_to_any_port(options_.host);
  } else if (server_.bind_to_port(options_.host, options_.port)) {
    port_ = options_.port;
  }
  if (port_ <= 0) {
    return Status::Unavailable("cannot listen on " + options_.host + ":" + std::to_string(options_.port) +
                               " (address in use, or not an address of this machine)");
  }
  thread_ = std::thread([this] { server_.listen_after_bind(); });
  // Stop() is a no-op until the accept loop runs (cpp-httplib checks is_running()), so a Stop
  // right after Start would leave the loop running forever: wait for it to start.
  const auto deadline = Clock::now() + std::chrono::seconds(10);
  while (!server_.is_running() && Clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  if (!server_.is_running()) return Status::Unavailable("the HTTP server did not start listening");
  return Status::Ok();
}

void Portal::Impl::Stop() {
  std::call_once(stopped_, [this] {
    stopping_ = true;
    server_.stop();
    if (thread_.joinable()) thread_.join();
  });
}

Status Portal::Impl::ReadBody(const Route& route, const httplib::Request& req,
                              const httplib::ContentReader* reader, std::string* body) {
  const std::size_t limit = route.body == BodyKind::kUpload  ? kUploadBytesMax
                            : route.body == BodyKind::kEpcis ? kEpcisDocumentBytesMax
                                                             : kRequestBodyBytesMax;
  bool overflow = false;
  bool found_field = false;
  if (reader == nullptr) {
    *body = req.body;
  } else if (req.is_multipart_form_data()) {
    std::string field;
    (*reader)(
        [&](const httplib::MultipartFormData& part) {
          field = part.name;
          found_field = found_field || field == "image";
          return true;
        },
        [&](const char* data, std::size_t n) {
          if (field != "image") return true;  // other fields are read and dropped
          if (body->size() + n > limit) overflow = true;
          if (!overflow) body->append(data, n);
          return true;
        });
  } else {
    (*reader)([&](const char* data, std::size_t n) {
      if (body->size() + n > limit) overflow = true;
      if (!overflow) body->append(data, n);
      return true;  // keep reading so the 413 can be answered on a healthy connection
    });
    found_field = true;
  }
  if (overflow || body->size() > limit) {
    return Status::Exhausted("PAYLOAD_TOO_LARGE", "the request body is larger than " +
                                                      std::to_string(limit >> 20) + " MiB");
  }
  if (route.body == BodyKind::kUpload && reader != nullptr && !found_field) {
    return Status::Invalid("MISSING_PARAMETER", "the multipart form has no field named 'image'");
  }
  return Status::Ok();
}

bool Portal::Impl::Authorize(const Route& route, const httplib::Request& req, Call& call) {
  if (route.access == Access::kPublic) return true;
  if (route.access == Access::kLookup) {
    if (const int wait = rate_.Take(req.remote_addr); wait > 0) {
      call.res.set_header("Retry-After", std::to_string(wait));
      SendError(call.res, 429, "RATE_LIMITED",
                "too many lookups from this address; try again in " + std::to_string(wait) + " s");
      return false;
    }
    return true;
  }
  std::string token = BearerToken(req, route.token_in_query);
  const bool via_cookie = token.empty();
  if (via_cookie) token = SessionCookieToken(req);
  if (token.empty()) {
    call.res.set_header("WWW-Authenticate", "Bearer");
    SendError(call.res, 401, "UNAUTHENTICATED",
              "sign in on the portal, or send 'Authorization: Bearer <token>' (foodtrace token create)");
    return false;
  }
  if (via_cookie && req.method != "GET" && req.method != "HEAD" && !SameOrigin(req)) {
    SendError(call.res, 403, "CROSS_SITE", "a signed-in write must come from the portal's own pages");
    return false;
  }
  auto info = tokens_.Authenticate(token);
  if (!info.ok()) {
    call.res.set_header("WWW-Authenticate", "Bearer error=\"invalid_token\"");
    SendStatus(call.res, info.status());
    return false;
  }
  const bool role_ok = route.access == Access::kAnyToken ||
                       (route.access == Access::kRegulator && info->role == Role::kRegulator) ||
                       (route.access == Access::kVendor && info->role == Role::kVendor);
  if (!role_ok) {
    SendError(call.res, 403, "WRONG_ROLE",
              std::string("this endpoint is for ") + (route.access == Access::kVendor ? "vendor" : "regulator") +
                  " tokens; this token's role is " + RoleName(info->role));
    return false;
  }
  call.principal.authenticated = true;
  call.principal.token = std::move(*info);
  return true;
}

void Portal::Impl::Handle(const httplib::Request& req, httplib::Response& res,
                          const httplib::ContentReader* reader) {
  const auto start = Clock::now();
  int metric = metric_not_found_;
  try {
    const std::size_t q = req.target.find('?');
    const std::string_view raw_path = std::string_view(req.target).substr(0, q);
    auto segments = SplitPath(raw_path);
    if (q != std::string::npos && req.target.size() - q - 1 > kQueryStringBytesMax) {
      SendError(res, 414, "QUERY_TOO_LONG",
                "the query string is longer than " + std::to_string(kQueryStringBytesMax) + " bytes");
    } else if (!segments.ok()) {
      SendStatus(res, segments.status());
    } else {
      std::vector<std::string> params;
      bool path_known = false;
      const Route* route = router_.Match(req.method, *segments, &params, &path_known);
      if (route != nullptr) {
        metric = route->metric;
        Call call{req, res, std::move(params), {}, {}};
        Status st = ReadBody(*route, req, reader, &call.body);
        if (!st.ok() && route->body == BodyKind::kEpcis && st.reason() == "PAYLOAD_TOO_LARGE") {
          call.body.clear();
          call.body_too_large = true;
          st = Status::Ok();
        }
        if (!st.ok()) {
          SendStatus(res, st);
        } else if (Authorize(*route, req, call)) {
          route->handler(ctx_, call);
        }
      } else if (path_known) {
        SendError(res, 405, "METHOD_NOT_ALLOWED", req.method + " is not allowed on " + std::string(raw_path));
      } else if (IsApiPath(*segments)) {
        SendError(res, 404, "NOT_FOUND", "no endpoint " + req.method + " " + std::string(raw_path) + " (see docs/api.md)");
      } else if (req.method == "GET" || req.method == "HEAD") {
        metric = metric_static_;
        ServeStatic(ctx_, *segments, res);
      } else {
        SendError(res, 404, "NOT_FOUND", "no endpoint " + req.method + " " + std::string(raw_path));
      }
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "foodtrace portal: %s %s failed: %s\n", req.method.c_str(), req.path.c_str(), e.what());
    SendError(res, 500, "INTERNAL", "the portal failed to answer; the error is logged");
  } catch (...) {
    SendError(res, 500, "INTERNAL", "the portal failed to answer; the error is logged");
  }
  if (res.status == -1) res.status = 200;
  metrics_.Record(metric, req.method, res.status,
                  std::chrono::duration<double>(Clock::now() - start).count());
}

// ---- Portal ----------------------------------------------------------------------------------

Portal::Portal(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Portal::~Portal() { Stop(); }
int Portal::port() const { return impl_->port(); }
std::string Portal::url() const {
  return "http://" + impl_->options().host + ":" + std::to_string(impl_->port());
}
void Portal::Stop() { impl_->Stop(); }

Result<std::unique_ptr<Portal>> Portal::Start(ledger::Ledger* ledger, PortalOptions options) {
  if (ledger == nullptr) return Status::Invalid("NO_LEDGER", "the portal needs a ledger");
  auto impl = std::make_unique<Impl>(ledger, std::move(options));
  FT_RETURN_IF_ERROR(impl->Start());
  return std::unique_ptr<Portal>(new Portal(std::move(impl)));
}

}  // namespace foodtrace::portal
