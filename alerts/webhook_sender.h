// WebhookSender: delivers the outbox (ledger/alert_store.h) to webhook endpoints with libcurl.
// Private to alerts/.
//
// One thread drives a curl multi handle. Each endpoint has its own FIFO queue in the outbox
// and at most one POST in flight, so a slow or down endpoint holds back only its own queue.
// A POST is
//   POST <url>   Content-Type: application/json
//                X-Foodtrace-Signature: sha256=<hex HMAC-SHA256(secret, body)>
//                X-Foodtrace-Alert-Id: <alert_id>
//                X-Foodtrace-Webhook-Id: <webhook_id>
//   body: the Alert in the Protobuf JSON mapping (proto field names)
// and succeeds on any 2xx. A failure (connection, timeout, non-2xx) keeps the delivery at the
// head of its queue and backs the endpoint off exponentially (WebhookRetry); after
// attempts_max attempts a delivery is given up (kept in the outbox's given-up list).
// Delivery is at least once: a crash between a 2xx and its bookkeeping resends that alert, so
// receivers deduplicate by X-Foodtrace-Alert-Id. Backoff uses the real clock, not the test clock.
// Thread-safe: Notify and Stop may be called from any thread.
#pragma once

#include <atomic>
#include <memory>
#include <thread>

#include "foodtrace/alerts/alerts.h"
#include "foodtrace/ledger/alert_store.h"

namespace foodtrace::alerts {

class WebhookSender {
 public:
  WebhookSender(ledger::AlertStore* store, WebhookRetry retry);
  ~WebhookSender();  // Stop()s
  WebhookSender(const WebhookSender&) = delete;
  WebhookSender& operator=(const WebhookSender&) = delete;

  // Starts the thread. Errors: INTERNAL when libcurl cannot initialise.
  Status Start();
  // New deliveries were queued: look now rather than at the next rescan.
  void Notify();
  // Abandons in-flight POSTs (they stay queued) and joins the thread. Idempotent.
  void Stop();

  class Loop;

 private:
  ledger::AlertStore* store_;
  WebhookRetry retry_;
  std::unique_ptr<Loop> loop_;
  std::thread thread_;
};

}  // namespace foodtrace::alerts
