// The online kiosk's verdicts: GET /api/v1/lookup at the portal (docs/api.md), and when the
// portal cannot be reached, the cached recall list (recall_cache.h): a cached recalled lot is
// still "recalled"; anything else is "unknown", marked offline.
//
// Not thread-safe (one libcurl handle): one PortalVerdictSource per thread.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "scanner/kiosk/portal_client.h"
#include "scanner/kiosk/recall_cache.h"
#include "scanner/kiosk/verdict.h"

namespace foodtrace::scanner::kiosk {

struct PortalVerdictOptions {
  PortalOptions portal;
  // The recall cache file; empty: no cache (offline verdicts are then always "unknown").
  std::string cache_path;
  // While the portal answers, the recall list is fetched again once this much time has passed
  // since the last fetch (the first answer of a run always fetches it).
  int recall_refresh_interval_ms = kKioskRecallRefreshIntervalMsDefault;
  // Where problems that do not change a verdict go (a cache that cannot be written, a recall
  // list that cannot be read). Default: dropped.
  std::function<void(std::string_view)> warn;
};

class PortalVerdictSource final : public VerdictSource {
 public:
  // Prepares the HTTP client and reads the cache file if there is one (a damaged cache is
  // reported through `warn` and replaced at the next refresh). Errors: those of
  // PortalClient::Create.
  static Result<std::unique_ptr<PortalVerdictSource>> Create(PortalVerdictOptions options);

  // Asks the portal about the code's GTIN and lot. Never fails: an unreachable portal (no
  // connection, timeout, 5xx, 429) gives an offline verdict from the cache; a code the portal
  // refuses (4xx) gives "unknown" with the portal's message as the detail.
  Result<Verdict> Lookup(const Gs1Data& data) override;

  // Fetches GET /api/v1/recalls (every page) and replaces the cache, if the portal answered
  // since the last fetch and the refresh interval has passed (or `force`). Call it after the
  // consumer has their verdict: it may take a while. Problems go to `warn`.
  void RefreshRecallsIfDue(bool force = false);

  const RecallCache& cache() const { return cache_; }

 private:
  PortalVerdictSource(PortalVerdictOptions options, std::unique_ptr<PortalClient> client);
  Verdict Offline(const Gs1Data& data, const std::string& why) const;
  Status FetchRecalls(RecallCache* fresh);
  void Warn(std::string_view message) const;

  PortalVerdictOptions options_;
  std::unique_ptr<PortalClient> client_;
  RecallCache cache_;
  bool portal_answered_ = false;      // since the last refresh
  std::int64_t refreshed_at_ms_ = 0;  // this run's last successful refresh (0: none yet)
};

// The code the kiosk asks the portal about: a GS1 element string of the parsed data, GTIN (01),
// production (11) and expiry (17) dates as printed, and the lot (10) last, so it needs no
// separator. Empty when the data has no GTIN.
std::string LookupCode(const Gs1Data& data);

// The verdict in a portal lookup answer (docs/api.md). Errors: LOOKUP_FORMAT (not that shape).
Result<Verdict> ParseLookupAnswer(const std::string& body);

}  // namespace foodtrace::scanner::kiosk
