// Named bounds of the alert engine. Exceeding one is an error or a reported truncation
// (SweepReport::truncated, a page's `more`), never a crash or a silent loss. docs/alerts.md
// lists them.
#pragma once

#include <cstddef>
#include <cstdint>

namespace foodtrace::alerts {

// Committed events waiting for the engine thread; beyond it CommitHook waits (backpressure
// on the ledger writer instead of a lost alert).
inline constexpr std::size_t kEngineQueueEventsMax = 1'000'000;
// Ledger events replayed per engine step when catching up after a restart.
inline constexpr std::size_t kCatchUpBatchEvents = 4096;
// Holdings one clock rule reads in one sweep (Ledger::Expiring rows, due watches).
inline constexpr std::size_t kSweepRowsMax = 100'000;
// Longest a query waits for the engine (RECALL_STATUS watermark, SWEEP).
inline constexpr int kQueryWaitMsMax = 30'000;
// ZMQ_SNDHWM of the PUB socket, in messages: a 10,000-alert burst (one recall) must never be
// dropped for a subscriber that keeps up over TCP.
inline constexpr int kPubHwmMessages = 200'000;
inline constexpr int kSubHwmMessages = 200'000;
// Webhooks the sender serves at once (one in-flight POST each).
inline constexpr std::size_t kWebhooksMax = 256;
// A webhook response body is read up to this many bytes and otherwise discarded.
inline constexpr std::size_t kWebhookResponseBytesMax = 4096;
// Longest the webhook thread sleeps before it rescans the webhooks (new ones, removals).
inline constexpr int kWebhookRescanMs = 1000;
// Trace depth used by recall and TEST_FAILED rules (the ledger caps it at kTraceDepthMax).
inline constexpr int kRuleTraceDepth = 32;
// Rows of an ALERTS answer.
inline constexpr std::size_t kAlertPageRowsMax = 10'000;

}  // namespace foodtrace::alerts
