#include "scanner/kiosk/portal_client.h"

#include <curl/curl.h>

#include <mutex>

namespace foodtrace::scanner::kiosk {
namespace {

// Where the write callback puts the body, and when it must stop.
struct Sink {
  std::string* body = nullptr;
  std::size_t bytes_max = 0;
  bool overflow = false;
};

std::size_t Collect(char* data, std::size_t size, std::size_t count, void* user) {
  Sink* sink = static_cast<Sink*>(user);
  const std::size_t n = size * count;
  if (sink->body->size() + n > sink->bytes_max) {
    sink->overflow = true;
    return 0;  // libcurl stops the transfer with CURLE_WRITE_ERROR
  }
  sink->body->append(data, n);
  return n;
}

bool GlobalInit() {
  static std::once_flag once;
  static bool ok = false;
  std::call_once(once, [] { ok = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK; });
  return ok;
}

Status CheckOptions(const PortalOptions& o) {
  const bool http = o.base_url.rfind("http://", 0) == 0 || o.base_url.rfind("https://", 0) == 0;
  if (!http || o.base_url.size() > kKioskPortalUrlBytesMax ||
      o.base_url.find_first_of(" \t\r\n") != std::string::npos) {
    return Status::Invalid("PORTAL_URL", "--portal '" + o.base_url +
                                             "' is not a portal address: give http://HOST:PORT "
                                             "(at most " +
                                             std::to_string(kKioskPortalUrlBytesMax) + " bytes)");
  }
  for (int t : {o.connect_timeout_ms, o.timeout_ms}) {
    if (t < 1 || t > kKioskHttpTimeoutMsMax) {
      return Status::Invalid("INVALID_OPTION", "portal timeouts must be 1.." +
                                                   std::to_string(kKioskHttpTimeoutMsMax) + " ms");
    }
  }
  return Status::Ok();
}

}  // namespace

class PortalClient::Impl {
 public:
  explicit Impl(PortalOptions options) : options_(std::move(options)) {
    while (!options_.base_url.empty() && options_.base_url.back() == '/')
      options_.base_url.pop_back();
  }
  ~Impl() {
    if (easy_ != nullptr)
      curl_easy_cleanup(easy_);
  }

  Status Init() {
    if (!GlobalInit() || (easy_ = curl_easy_init()) == nullptr)
      return Status::Internal("libcurl could not be initialised");
    curl_easy_setopt(easy_, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(easy_, CURLOPT_CONNECTTIMEOUT_MS,
                     static_cast<long>(options_.connect_timeout_ms));
    curl_easy_setopt(easy_, CURLOPT_TIMEOUT_MS, static_cast<long>(options_.timeout_ms));
    curl_easy_setopt(easy_, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(easy_, CURLOPT_TCP_KEEPALIVE, 1L);
    curl_easy_setopt(easy_, CURLOPT_ACCEPT_ENCODING, "");  // whatever libcurl can decompress
    curl_easy_setopt(easy_, CURLOPT_USERAGENT, "foodtrace-scan");
    curl_easy_setopt(easy_, CURLOPT_WRITEFUNCTION, Collect);
    curl_easy_setopt(easy_, CURLOPT_WRITEDATA, &sink_);
    return Status::Ok();
  }

  Result<HttpAnswer> Get(std::string_view path_and_query, std::size_t bytes_max) {
    const std::string url = options_.base_url + std::string(path_and_query);
    HttpAnswer answer;
    sink_ = Sink{&answer.body, bytes_max, false};
    curl_easy_setopt(easy_, CURLOPT_URL, url.c_str());
    curl_easy_setopt(easy_, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(bytes_max));
    const CURLcode code = curl_easy_perform(easy_);
    if (sink_.overflow || code == CURLE_FILESIZE_EXCEEDED) {
      return Status::Exhausted("PORTAL_ANSWER_TOO_LARGE",
                               "the portal's answer to " + url + " is over " +
                                   std::to_string(bytes_max) + " bytes (kKioskAnswerBytesMax)");
    }
    if (code != CURLE_OK) {
      return Status(
          Code::kUnavailable, "PORTAL_UNREACHABLE",
          "the portal at " + options_.base_url + " cannot be reached: " + curl_easy_strerror(code));
    }
    long status = 0;
    curl_easy_getinfo(easy_, CURLINFO_RESPONSE_CODE, &status);
    answer.status = static_cast<int>(status);
    return answer;
  }

  const PortalOptions& options() const { return options_; }

 private:
  PortalOptions options_;
  CURL* easy_ = nullptr;
  Sink sink_;
};

Result<std::unique_ptr<PortalClient>> PortalClient::Create(PortalOptions options) {
  FT_RETURN_IF_ERROR(CheckOptions(options));
  auto impl = std::make_unique<Impl>(std::move(options));
  FT_RETURN_IF_ERROR(impl->Init());
  return std::unique_ptr<PortalClient>(new PortalClient(std::move(impl)));
}

PortalClient::PortalClient(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
PortalClient::~PortalClient() = default;

Result<HttpAnswer> PortalClient::Get(std::string_view path_and_query, std::size_t bytes_max) {
  return impl_->Get(path_and_query, bytes_max);
}

std::string PortalClient::EscapeQuery(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    const bool plain = (u >= 'A' && u <= 'Z') || (u >= 'a' && u <= 'z') || (u >= '0' && u <= '9') ||
                       u == '-' || u == '.' || u == '_' || u == '~';
    if (plain) {
      out += c;
    } else {
      out += '%';
      out += kHex[u >> 4];
      out += kHex[u & 0xF];
    }
  }
  return out;
}

const std::string& PortalClient::base_url() const { return impl_->options().base_url; }

}  // namespace foodtrace::scanner::kiosk
