// Proves the portal's pure parts: the verdict priority and REGULATION rule 11's near-expiry
// table with the rule's own examples, and URL path decoding that no traversal survives.
#include <catch2/catch.hpp>

#include "portal/lookup.h"
#include "portal/router.h"

using namespace foodtrace;
using namespace foodtrace::portal;

TEST_CASE("near expiry follows REGULATION rule 11, with the rule's own examples", "[portal][verdict]") {
  CHECK(NearExpiryThresholdDays(365) == 45);
  CHECK(NearExpiryThresholdDays(364) == 20);
  CHECK(NearExpiryThresholdDays(182) == 20);
  CHECK(NearExpiryThresholdDays(181) == 15);
  CHECK(NearExpiryThresholdDays(90) == 15);
  CHECK(NearExpiryThresholdDays(30) == 10);
  CHECK(NearExpiryThresholdDays(16) == 5);
  CHECK(NearExpiryThresholdDays(15) == 2);
  // L = 365, expiry 2025-03-01: near expiry from 2025-01-15; 2025-01-14 is normal.
  LotFacts year{true, false, false, "", "2025-03-01", 365, false};
  CHECK(DecideVerdict(year, Date::FromYmd(2025, 1, 15)).verdict == Verdict::kNearExpiry);
  CHECK(DecideVerdict(year, Date::FromYmd(2025, 1, 14)).verdict == Verdict::kOk);
  CHECK(DecideVerdict(year, Date::FromYmd(2025, 3, 1)).verdict == Verdict::kNearExpiry);
  CHECK(DecideVerdict(year, Date::FromYmd(2025, 3, 2)).verdict == Verdict::kExpired);
  // L = 20 days: from 2025-02-24. Unstated shelf life is computed from the dates (+1 day).
  LotFacts twenty{true, false, false, "2025-02-10", "2025-03-01", 0, false};
  CHECK(DecideVerdict(twenty, Date::FromYmd(2025, 2, 24)).verdict == Verdict::kNearExpiry);
  CHECK(DecideVerdict(twenty, Date::FromYmd(2025, 2, 23)).verdict == Verdict::kOk);
  CHECK(DecideVerdict(twenty, Date::FromYmd(2025, 2, 23)).shelf_life_days == 20);
}

TEST_CASE("verdicts rank recalled over test_failed over expired over near_expiry", "[portal][verdict]") {
  LotFacts f{true, true, true, "2025-01-01", "2025-01-10", 0, false};
  const Date late = Date::FromYmd(2025, 2, 1);
  CHECK(DecideVerdict(f, late).verdict == Verdict::kRecalled);
  f.recalled = false;
  CHECK(DecideVerdict(f, late).verdict == Verdict::kTestFailed);
  f.test_failed = false;
  CHECK(DecideVerdict(f, late).verdict == Verdict::kExpired);
  f.no_shelf_life = true;  // 无明确保质期: never expires
  CHECK(DecideVerdict(f, late).verdict == Verdict::kOk);
  f.known = false;
  CHECK(DecideVerdict(f, late).verdict == Verdict::kUnknown);
  CHECK(std::string(VerdictName(Verdict::kNearExpiry)) == "near_expiry");
}

TEST_CASE("URL paths are decoded per segment and malformed ones are refused", "[portal][path]") {
  auto p = SplitPath("/api/v1/parties/a%2Fb/");
  REQUIRE(p.ok());
  CHECK(*p == std::vector<std::string>{"api", "v1", "parties", "a/b"});
  CHECK(SplitPath("/").value().empty());
  CHECK(SplitPath("/%2e%2e/x").value()[0] == "..");  // decoded, so static serving sees ".."
  CHECK(SplitPath("/a%zz").status().reason() == "BAD_PATH");
  CHECK(SplitPath("/a%0Ab").status().reason() == "BAD_PATH");
  CHECK(SplitPath("/a%00b").status().reason() == "BAD_PATH");
  CHECK(SplitPath("/%ff%fe").status().reason() == "BAD_PATH");
  CHECK(SplitPath("relative").status().reason() == "BAD_PATH");
  CHECK(SplitPath("/" + std::string(2000, 'a')).status().reason() == "PATH_TOO_LONG");
  CHECK(PercentDecode("a+b%20c", true).value() == "a b c");
  CHECK(PercentDecode("a+b", false).value() == "a+b");
  CHECK(!PercentDecode("%4", false).ok());
}
