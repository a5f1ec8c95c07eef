// Where the kiosk's verdict will come from. The offline kiosk has none; the online kiosk (portal
// lookup over HTTP, recall-list cache, Scan event to the ingest gateway) implements
// VerdictSource and hands its answer to the printers in output.h.
#pragma once

#include <string>

#include "foodtrace/common/status.h"
#include "foodtrace/scanner/scanner.h"

namespace foodtrace::scanner::kiosk {

enum class VerdictCode { kOk, kNearExpiry, kExpired, kRecalled, kTestFailed, kUnknown };

// "ok", "near_expiry", "expired", "recalled", "test_failed", "unknown" (the JSON values).
const char* VerdictName(VerdictCode code);

struct Verdict {
  VerdictCode code = VerdictCode::kUnknown;
  std::string detail;  // e.g. the recall reason, shown under the verdict
};

// Looks a scanned product up. Implementations say whether they are thread-safe.
class VerdictSource {
 public:
  virtual ~VerdictSource() = default;
  // Errors: whatever the source cannot answer (e.g. UNAVAILABLE when the portal is down).
  virtual Result<Verdict> Lookup(const Gs1Data& data) = 0;
};

}  // namespace foodtrace::scanner::kiosk
