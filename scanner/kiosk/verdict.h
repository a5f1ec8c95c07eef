// Where the kiosk's verdict comes from. The offline kiosk (--offline) has none; the online kiosk
// implements VerdictSource with a portal lookup over HTTP that falls back to a cached recall list
// (portal_verdict.h) and hands its answer to the printers in output.h.
#pragma once

#include <string>
#include <vector>

#include "foodtrace/common/status.h"
#include "foodtrace/scanner/scanner.h"

namespace foodtrace::scanner::kiosk {

enum class VerdictCode { kOk, kNearExpiry, kExpired, kRecalled, kTestFailed, kUnknown };

// "ok", "near_expiry", "expired", "recalled", "test_failed", "unknown" (the JSON values).
const char* VerdictName(VerdictCode code);

struct Verdict {
  VerdictCode code = VerdictCode::kUnknown;
  std::string detail;  // e.g. the recall reason, shown under the verdict
  // What the portal knows of the lot (empty when it was not asked or does not know).
  std::string product_name;
  std::string produced_on;  // ISO dates
  std::string expires_on;
  std::vector<std::string> origin;  // the chain, origin first: "name (party id)"
  // The portal could not be reached: the verdict comes from the cached recall list only
  // (recalled, or unknown). `offline_note` says why and how old that list is.
  bool offline = false;
  std::string offline_note;
};

// Looks a scanned product up. Implementations say whether they are thread-safe.
class VerdictSource {
 public:
  virtual ~VerdictSource() = default;
  // Errors: whatever the source cannot answer (e.g. UNAVAILABLE when the portal is down).
  virtual Result<Verdict> Lookup(const Gs1Data& data) = 0;
};

}  // namespace foodtrace::scanner::kiosk
