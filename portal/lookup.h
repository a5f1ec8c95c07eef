// Private to the portal: the consumer's answer for a code (verdict, product, dates, origin
// chain, recalls, published tests), built from ledger reads only.
#pragma once

#include <string>

#include "foodtrace/scanner/scanner.h"
#include "portal/http.h"

namespace foodtrace::portal {

enum class Verdict : std::uint8_t { kOk, kNearExpiry, kExpired, kRecalled, kTestFailed, kUnknown };
// "ok", "near_expiry", "expired", "recalled", "test_failed", "unknown".
const char* VerdictName(Verdict verdict);

// REGULATION rule 11 (BJ/CD default table): days before expiry at which goods become near
// expiry, from the shelf life L in days: ≥365 → 45, ≥182 → 20, ≥90 → 15, ≥30 → 10, ≥16 → 5,
// else 2.
int NearExpiryThresholdDays(int shelf_life_days);

// What the verdict is decided from.
struct LotFacts {
  bool known = false;        // the lot is in the ledger
  bool recalled = false;     // stopped by (or covered by) a recall
  bool test_failed = false;  // a failed test result stopped it
  std::string produced_on;   // ISO dates; may be empty
  std::string expires_on;
  int shelf_life_days = 0;   // stated; 0 = compute from the dates
  bool no_shelf_life = false;
};
struct VerdictResult {
  Verdict verdict = Verdict::kUnknown;
  std::string reason;            // one sentence for people
  int shelf_life_days = 0;       // used for the threshold (0 when unknown)
  std::string near_expiry_from;  // first near-expiry day, when known
};
// Priority: recalled > test_failed > expired (today > expires_on) > near_expiry > ok; unknown
// when !known. Pure.
VerdictResult DecideVerdict(const LotFacts& facts, Date today);

// The lookup answer (docs/api.md) for a parsed code; `party` (may be empty) ends the chain at
// that vendor. Errors: only from the ledger (IO, CORRUPTION).
Result<json> LookupJson(const Context& ctx, const scanner::Gs1Data& code, const std::string& party);

// Answers a lookup request: parses `code`, applies `party`, sends JSON (with the members of
// `extra` added) or the error.
void AnswerLookup(Context& ctx, Call& call, const std::string& code, const std::string& party,
                  const json& extra = json::object());

}  // namespace foodtrace::portal
