// Proves the expiry rules move across their boundaries with the clock: NEAR_EXPIRY by the
// shelf-life table (rule 11's examples), EXPIRED_IN_STOCK, EXPIRED_SOLD; and that re-running
// the sweep raises nothing twice.
#include <catch2/catch.hpp>

#include "tests/alerts/harness.h"

using namespace foodtrace;
using namespace foodtrace::testing;
using A = v1::Alert;
using E = v1::LedgerEntry;

namespace {

Date D(int y, int m, int d) { return Date::FromYmd(y, m, d); }

void SetUpVendor(AlertHarness& h) { h.WriteOk("operator", {PartyItem("V1", v1::Party::VENDOR)}); }

}  // namespace

TEST_CASE("NEAR_EXPIRY for a one-year shelf life starts 45 days before expiry (rule 11)", "[alerts][expiry]") {
  AlertHarness h(D(2025, 1, 10));
  SetUpVendor(h);
  h.WriteOk("V1", {Entry(E::RECEIVE, "r1", DatedLot(Gtin(1), "L365", "2024-03-02", "2025-03-01"), 10, "", "2025-01-10")});
  h.SetToday(D(2025, 1, 14));
  CHECK(h.Sweep("NEAR_EXPIRY") == 0);
  h.SetToday(D(2025, 1, 15));
  CHECK(h.Sweep("NEAR_EXPIRY") == 1);
  CHECK(h.Sweep("NEAR_EXPIRY") == 0);  // re-running raises nothing twice
  auto alerts = h.Alerts(A::NEAR_EXPIRY);
  REQUIRE(alerts.size() == 1);
  CHECK(alerts[0].party_id() == "V1");
  CHECK(alerts[0].lot() == "L365");
  CHECK(alerts[0].facts().at("threshold_days") == "45");
  CHECK(alerts[0].facts().at("near_expiry_from") == "2025-01-15");
}

TEST_CASE("NEAR_EXPIRY for a 20-day shelf life starts 5 days before expiry (rule 11)", "[alerts][expiry]") {
  AlertHarness h(D(2025, 2, 12));
  SetUpVendor(h);
  h.WriteOk("V1", {Entry(E::RECEIVE, "r1", DatedLot(Gtin(2), "L20", "2025-02-10", "2025-03-01"), 10, "", "2025-02-12")});
  h.SetToday(D(2025, 2, 23));
  CHECK(h.Sweep("NEAR_EXPIRY") == 0);
  h.SetToday(D(2025, 2, 24));
  CHECK(h.Sweep("NEAR_EXPIRY") == 1);
}

TEST_CASE("a lot sold out before the window raises no NEAR_EXPIRY", "[alerts][expiry]") {
  AlertHarness h(D(2025, 2, 12));
  SetUpVendor(h);
  const auto lot = DatedLot(Gtin(2), "L20", "2025-02-10", "2025-03-01");
  h.WriteOk("V1", {Entry(E::RECEIVE, "r1", lot, 10, "", "2025-02-12"), Entry(E::SHIP, "s1", lot, 10, "", "2025-02-12")});
  h.SetToday(D(2025, 2, 26));
  CHECK(h.Sweep("NEAR_EXPIRY") == 0);
}

TEST_CASE("EXPIRED_IN_STOCK the day after the expiry date, once", "[alerts][expiry]") {
  AlertHarness h(D(2025, 2, 20));
  SetUpVendor(h);
  h.WriteOk("V1", {Entry(E::RECEIVE, "r1", DatedLot(Gtin(3), "LX", "2025-02-10", "2025-03-01"), 7, "", "2025-02-20")});
  h.SetToday(D(2025, 3, 1));
  CHECK(h.Sweep("EXPIRED_IN_STOCK") == 0);
  h.SetToday(D(2025, 3, 2));
  CHECK(h.Sweep("EXPIRED_IN_STOCK") == 1);
  CHECK(h.Sweep("EXPIRED_IN_STOCK") == 0);
  auto alerts = h.Alerts(A::EXPIRED_IN_STOCK);
  REQUIRE(alerts.size() == 1);
  CHECK(alerts[0].facts().at("quantity") == "7");
  CHECK(alerts[0].severity() == A::CRITICAL);
}

TEST_CASE("EXPIRED_SOLD when an expired lot is shipped, not before", "[alerts][expiry]") {
  AlertHarness h(D(2025, 2, 20));
  SetUpVendor(h);
  const auto lot = DatedLot(Gtin(4), "LS", "2025-02-10", "2025-03-01");
  h.WriteOk("V1", {Entry(E::RECEIVE, "r1", lot, 10, "", "2025-02-20")});
  h.SetToday(D(2025, 3, 1));
  h.WriteOk("V1", {Entry(E::SHIP, "s1", lot, 1, "", "2025-03-01")});
  CHECK(h.Alerts(A::EXPIRED_SOLD).empty());
  h.SetToday(D(2025, 3, 2));
  h.WriteOk("V1", {Entry(E::SHIP, "s2", lot, 1, "", "2025-03-02")});
  auto alerts = h.Alerts(A::EXPIRED_SOLD);
  REQUIRE(alerts.size() == 1);
  CHECK(alerts[0].facts().at("event_id") == "s2");
  CHECK(alerts[0].facts().at("expires_on") == "2025-03-01");
}

TEST_CASE("a sale recorded late is judged on its sale date, so backfilled sales raise no EXPIRED_SOLD",
          "[alerts][expiry]") {
  AlertHarness h(D(2025, 2, 20));
  SetUpVendor(h);
  const auto lot = DatedLot(Gtin(5), "LB", "2025-02-10", "2025-03-01");
  h.WriteOk("V1", {Entry(E::RECEIVE, "r1", lot, 10, "", "2025-02-20")});
  h.SetToday(D(2025, 3, 20));  // the vendor enters February's sales weeks later
  h.WriteOk("V1", {Entry(E::SHIP, "feb-25", lot, 2, "", "2025-02-25")});
  CHECK(h.Alerts(A::EXPIRED_SOLD).empty());
  h.WriteOk("V1", {Entry(E::SHIP, "mar-05", lot, 1, "", "2025-03-05")});  // after expiry
  auto alerts = h.Alerts(A::EXPIRED_SOLD);
  REQUIRE(alerts.size() == 1);
  CHECK(alerts[0].facts().at("event_id") == "mar-05");
}
