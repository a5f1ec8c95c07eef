// The kiosk's local copy of the public recall list (GET /api/v1/recalls), so that recalled goods
// are still flagged while the portal cannot be reached. Refreshed whenever the portal answers.
//
// File format (JSON, UTF-8, at most kKioskRecallCacheBytesMax bytes, replaced atomically):
//   {"format": "foodtrace-kiosk-recalls/1", "portal": "http://HOST:PORT",
//    "fetched_at_ms": 1795312800000,
//    "recalls": [{"recall_id": "R-1", "gtin": "06901234567892", "lots": ["L2611"],
//                 "covered_lots": ["06901234567892|L2611"], "produced_from": "",
//                 "produced_to": "", "reason": "菌落总数超标"}, ...]}
// "covered_lots" holds every "gtin|lot" the recall covers, transformed lots included (the
// portal's list); "produced_from".."produced_to" is the recall's production-date range, when it
// names no lots.
//
// A value type; not thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "foodtrace/common/status.h"

namespace foodtrace::scanner::kiosk {

struct CachedRecall {
  std::string recall_id;
  std::string gtin;
  std::vector<std::string> lots;
  std::vector<std::string> covered_lots;  // "gtin|lot"
  std::string produced_from;              // ISO dates, both empty or both set
  std::string produced_to;
  std::string reason;
};

struct RecallCache {
  std::string portal;              // the base URL the list came from
  std::int64_t fetched_at_ms = 0;  // 0: never fetched
  std::vector<CachedRecall> recalls;

  // The first recall covering the lot, or nullptr: named in covered_lots or lots, or (when the
  // code carries its production date) a date-range recall of the GTIN that includes it.
  const CachedRecall* Find(const std::string& gtin, const std::string& lot,
                           const std::string& produced_on) const;
};

// Reads the cache file. Errors: NOT_FOUND (no file yet), IO, RESOURCE_EXHAUSTED
// RECALL_CACHE_TOO_LARGE, CORRUPTION RECALL_CACHE_FORMAT (not this format: delete the file, the
// next portal answer writes a fresh one).
Result<RecallCache> ReadRecallCache(const std::string& path);

// Writes the cache to `path` atomically (a temporary file beside it, then rename), creating the
// directory if needed. Errors: IO with the path and the system's reason.
Status WriteRecallCache(const std::string& path, const RecallCache& cache);

// Parses one page of GET /api/v1/recalls, appending its recalls to `out`; sets `next_cursor`
// ("" on the last page). Errors: RECALL_LIST_FORMAT (not the portal's shape),
// RESOURCE_EXHAUSTED RECALL_LIST_TOO_LONG (more than kKioskRecallsMax recalls in all).
Status ParseRecallPage(const std::string& body, std::vector<CachedRecall>* out,
                       std::string* next_cursor);

}  // namespace foodtrace::scanner::kiosk
