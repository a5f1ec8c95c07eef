// WebhookSender (webhook_sender.h): the outbox delivery loop on a libcurl multi handle.
#include "alerts/webhook_sender.h"

#include <curl/curl.h>
#include <google/protobuf/util/json_util.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <mutex>

#include "alerts/limits.h"
#include "foodtrace/common/crypto.h"

namespace foodtrace::alerts {
namespace {

std::once_flag curl_once;
bool curl_ok = false;

size_t Discard(char*, size_t size, size_t n, void* user) {
  auto* received = static_cast<std::size_t*>(user);
  *received += size * n;
  return *received > kWebhookResponseBytesMax ? 0 : size * n;  // 0 aborts an endless response
}

}  // namespace

// One endpoint: its webhook, delivery state and the POST in flight (if any).
struct Endpoint {
  v1::Webhook hook;
  v1::WebhookDelivery state;
  CURL* easy = nullptr;
  curl_slist* headers = nullptr;
  v1::OutboxEntry entry;
  std::string body;
  std::size_t response_bytes = 0;
};

class WebhookSender::Loop {
 public:
  Loop(ledger::AlertStore* store, WebhookRetry retry) : store_(store), retry_(retry) {
    multi_ = curl_multi_init();
  }
  ~Loop() {
    for (auto& [id, ep] : endpoints_) Abort(&ep);
    if (multi_ != nullptr) curl_multi_cleanup(multi_);
  }
  bool ok() const { return multi_ != nullptr; }
  void Wake() {
    notified_ = true;
    curl_multi_wakeup(multi_);
  }
  void RequestStop() {
    stopping_ = true;
    curl_multi_wakeup(multi_);
  }
  void Run();

 private:
  void Rescan();
  void StartNext(Endpoint* ep, UnixMillis now);
  void Finish(Endpoint* ep, CURLcode code);
  void Abort(Endpoint* ep);
  int WaitMs(UnixMillis now) const;

  ledger::AlertStore* store_;
  WebhookRetry retry_;
  CURLM* multi_ = nullptr;
  std::map<std::string, Endpoint> endpoints_;
  std::atomic<bool> notified_{true};
  std::atomic<bool> stopping_{false};
  UnixMillis next_rescan_ms_ = 0;
};

void WebhookSender::Loop::Run() {
  while (!stopping_) {
    const UnixMillis now = NowMillis();
    if (notified_.exchange(false) || now >= next_rescan_ms_) {
      Rescan();
      next_rescan_ms_ = now + kWebhookRescanMs;
    }
    for (auto& [id, ep] : endpoints_) {
      if (ep.easy == nullptr && ep.state.next_attempt_at_ms() <= now) StartNext(&ep, now);
    }
    int running = 0;
    curl_multi_perform(multi_, &running);
    int left = 0;
    while (CURLMsg* msg = curl_multi_info_read(multi_, &left)) {
      if (msg->msg != CURLMSG_DONE) continue;
      char* id = nullptr;
      curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &id);
      auto it = endpoints_.find(id == nullptr ? "" : id);
      if (it != endpoints_.end()) Finish(&it->second, msg->data.result);
    }
    curl_multi_poll(multi_, nullptr, 0, WaitMs(NowMillis()), nullptr);
  }
}

int WebhookSender::Loop::WaitMs(UnixMillis now) const {
  UnixMillis wake = next_rescan_ms_;
  for (const auto& [id, ep] : endpoints_) {
    if (ep.easy != nullptr) return 50;  // a POST in flight: keep curl's timers going
    wake = std::min(wake, std::max(ep.state.next_attempt_at_ms(), now));
  }
  return static_cast<int>(std::clamp<UnixMillis>(wake - now, 0, kWebhookRescanMs));
}

void WebhookSender::Loop::Rescan() {
  auto hooks = store_->Webhooks(/*count_backlog=*/false);
  if (!hooks.ok()) {
    std::fprintf(stderr, "alerts: webhook rescan failed: %s\n", hooks.status().ToString().c_str());
    return;
  }
  std::map<std::string, bool> live;
  for (ledger::WebhookInfo& info : *hooks) {
    const std::string id = info.webhook.webhook_id();
    if (info.delivery.removed() || live.size() >= kWebhooksMax) continue;
    live[id] = true;
    auto [it, added] = endpoints_.try_emplace(id);
    // CURLINFO_PRIVATE points into the hook's id: keep it while a POST is in flight.
    if (added || it->second.easy == nullptr) it->second.hook = std::move(info.webhook);
    if (added) it->second.state = std::move(info.delivery);
  }
  for (auto it = endpoints_.begin(); it != endpoints_.end();) {
    if (live.count(it->first) != 0) {
      ++it;
      continue;
    }
    Abort(&it->second);
    it = endpoints_.erase(it);
  }
}

void WebhookSender::Loop::StartNext(Endpoint* ep, UnixMillis now) {
  auto next = store_->NextDelivery(ep->hook.webhook_id());
  if (!next.ok() || !*next) return;
  ep->entry = std::move(**next);
  auto alert = store_->Get(ep->entry.alert_id());
  google::protobuf::util::JsonPrintOptions json_options;
  json_options.preserve_proto_field_names = true;
  ep->body.clear();
  if (!alert.ok() || !google::protobuf::util::MessageToJsonString(*alert, &ep->body, json_options).ok()) {
    ep->state.set_last_error("alert " + ep->entry.alert_id() + " cannot be read; delivery given up");
    ep->state.set_given_up(ep->state.given_up() + 1);
    IgnoreStatus(store_->RecordAttempt(ep->entry, false, true, ep->state));  // retried at next scan
    return;
  }
  ep->headers = curl_slist_append(nullptr, "Content-Type: application/json");
  ep->headers = curl_slist_append(
      ep->headers, ("X-Foodtrace-Signature: sha256=" + HmacSha256Hex(ep->hook.secret(), ep->body)).c_str());
  ep->headers = curl_slist_append(ep->headers, ("X-Foodtrace-Alert-Id: " + ep->entry.alert_id()).c_str());
  ep->headers = curl_slist_append(ep->headers, ("X-Foodtrace-Webhook-Id: " + ep->hook.webhook_id()).c_str());
  ep->easy = curl_easy_init();
  ep->response_bytes = 0;
  curl_easy_setopt(ep->easy, CURLOPT_URL, ep->hook.url().c_str());
  curl_easy_setopt(ep->easy, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(ep->easy, CURLOPT_POSTFIELDS, ep->body.data());
  curl_easy_setopt(ep->easy, CURLOPT_POSTFIELDSIZE, static_cast<long>(ep->body.size()));
  curl_easy_setopt(ep->easy, CURLOPT_HTTPHEADER, ep->headers);
  curl_easy_setopt(ep->easy, CURLOPT_TIMEOUT_MS, static_cast<long>(retry_.timeout_ms));
  curl_easy_setopt(ep->easy, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(ep->easy, CURLOPT_WRITEFUNCTION, Discard);
  curl_easy_setopt(ep->easy, CURLOPT_WRITEDATA, &ep->response_bytes);
  curl_easy_setopt(ep->easy, CURLOPT_PRIVATE, ep->hook.webhook_id().c_str());
  ep->state.set_last_attempt_at_ms(now);
  curl_multi_add_handle(multi_, ep->easy);
}

void WebhookSender::Loop::Finish(Endpoint* ep, CURLcode code) {
  long http = 0;
  curl_easy_getinfo(ep->easy, CURLINFO_RESPONSE_CODE, &http);
  Abort(ep);
  const UnixMillis now = NowMillis();
  const bool delivered = code == CURLE_OK && http >= 200 && http < 300;
  ep->entry.set_attempts(ep->entry.attempts() + 1);
  bool give_up = false;
  if (delivered) {
    ep->state.set_delivered(ep->state.delivered() + 1);
    ep->state.set_consecutive_failures(0);
    ep->state.set_last_delivered_at_ms(now);
    ep->state.set_next_attempt_at_ms(0);
  } else {
    const std::string error = code != CURLE_OK ? std::string(curl_easy_strerror(code)) : "HTTP " + std::to_string(http);
    const int failures = ep->state.consecutive_failures() + 1;
    ep->state.set_consecutive_failures(failures);
    ep->state.set_last_error(error);
    const std::int64_t backoff = std::min<std::int64_t>(
        retry_.backoff_max_ms, retry_.backoff_initial_ms << std::min(failures - 1, 30));
    ep->state.set_next_attempt_at_ms(now + backoff);
    ep->entry.set_last_error(error);
    ep->entry.set_next_attempt_at_ms(now + backoff);
    give_up = ep->entry.attempts() >= retry_.attempts_max;
    if (give_up) ep->state.set_given_up(ep->state.given_up() + 1);
  }
  if (Status st = store_->RecordAttempt(ep->entry, delivered, give_up, ep->state); !st.ok()) {
    // The delivery stays queued as it was: it is sent again (at least once).
    std::fprintf(stderr, "alerts: recording a webhook attempt failed: %s\n", st.ToString().c_str());
  }
}

void WebhookSender::Loop::Abort(Endpoint* ep) {
  if (ep->easy != nullptr) {
    curl_multi_remove_handle(multi_, ep->easy);
    curl_easy_cleanup(ep->easy);
    ep->easy = nullptr;
  }
  if (ep->headers != nullptr) curl_slist_free_all(ep->headers);
  ep->headers = nullptr;
}

// --- WebhookSender ----------------------------------------------------------------------

WebhookSender::WebhookSender(ledger::AlertStore* store, WebhookRetry retry)
    : store_(store), retry_(retry) {}

WebhookSender::~WebhookSender() { Stop(); }

Status WebhookSender::Start() {
  std::call_once(curl_once, [] { curl_ok = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK; });
  if (!curl_ok) return Status::Internal("libcurl failed to initialise");
  loop_ = std::make_unique<Loop>(store_, retry_);
  if (!loop_->ok()) return Status::Internal("libcurl multi handle failed to initialise");
  thread_ = std::thread([this] { loop_->Run(); });
  return Status::Ok();
}

void WebhookSender::Notify() {
  if (loop_) loop_->Wake();
}

void WebhookSender::Stop() {
  if (!thread_.joinable()) return;
  loop_->RequestStop();
  thread_.join();
  loop_.reset();
}

}  // namespace foodtrace::alerts
