// Proves the anomaly rules: NEGATIVE_STOCK, UNVERIFIED_SUPPLIER, LICENCE_EXPIRED and
// UNCONFIRMED_RECEIPT each fire across their boundary and only there; TEST_FAILED names the
// supplier; the engine replays events it missed while stopped.
#include <catch2/catch.hpp>

#include "tests/alerts/harness.h"

using namespace foodtrace;
using namespace foodtrace::testing;
using A = v1::Alert;
using E = v1::LedgerEntry;

namespace {

Date D(int y, int m, int d) { return Date::FromYmd(y, m, d); }

}  // namespace

TEST_CASE("NEGATIVE_STOCK when a vendor ships more than it received, once per episode", "[alerts][anomaly]") {
  AlertHarness h(D(2026, 11, 22));
  h.WriteOk("operator", {PartyItem("V1", v1::Party::VENDOR)});
  const auto lot = Lot(Gtin(10), "N1");
  h.WriteOk("V1", {Entry(E::RECEIVE, "r1", lot, 10)});
  h.WriteOk("V1", {Entry(E::SHIP, "s1", lot, 10)});
  CHECK(h.Alerts(A::NEGATIVE_STOCK).empty());  // exactly zero is not negative
  h.WriteOk("V1", {Entry(E::SHIP, "s2", lot, 2)});
  h.WriteOk("V1", {Entry(E::SHIP, "s3", lot, 1)});  // still negative: the same episode
  auto alerts = h.Alerts(A::NEGATIVE_STOCK);
  REQUIRE(alerts.size() == 1);
  CHECK(alerts[0].facts().at("on_hand_after") == "-2");
  CHECK(alerts[0].facts().at("event_id") == "s2");
}

TEST_CASE("UNVERIFIED_SUPPLIER for a purchase with neither licence nor certificate", "[alerts][anomaly]") {
  AlertHarness h(D(2026, 11, 22));
  h.WriteOk("operator", {PartyItem("V1", v1::Party::VENDOR)});
  v1::Item with_doc = Entry(E::RECEIVE, "r1", Lot(Gtin(11), "U1"), 5);
  with_doc.mutable_entry()->add_documents("出厂检验合格证 2026-001");
  v1::Item with_licence = Entry(E::RECEIVE, "r2", Lot(Gtin(11), "U1"), 5);
  with_licence.mutable_entry()->mutable_counterparty()->set_licence("JY13301020012345");
  h.WriteOk("V1", {with_doc, with_licence});
  CHECK(h.Alerts(A::UNVERIFIED_SUPPLIER).empty());
  h.WriteOk("V1", {Entry(E::RECEIVE, "r3", Lot(Gtin(11), "U1"), 5)});
  auto alerts = h.Alerts(A::UNVERIFIED_SUPPLIER);
  REQUIRE(alerts.size() == 1);
  CHECK(alerts[0].facts().at("supplier_name") == "城郊批发部");
}

TEST_CASE("LICENCE_EXPIRED the day after the licence ends, once per licence", "[alerts][anomaly]") {
  AlertHarness h(D(2026, 1, 31));
  h.WriteOk("operator", {LicensedParty("V1", v1::Party::VENDOR, "2025-02-01", "2026-01-31")});
  const auto lot = DatedLot(Gtin(12), "E1", "2025-12-01", "2026-06-30");
  v1::Item doc = Entry(E::RECEIVE, "r1", lot, 5, "", "2026-01-31");
  doc.mutable_entry()->add_documents("cert");
  h.WriteOk("V1", {doc});
  CHECK(h.Alerts(A::LICENCE_EXPIRED).empty());
  h.SetToday(D(2026, 2, 1));
  h.WriteOk("V1", {Entry(E::SHIP, "s1", lot, 1, "", "2026-02-01")});
  h.WriteOk("V1", {Entry(E::SHIP, "s2", lot, 1, "", "2026-02-01")});
  auto alerts = h.Alerts(A::LICENCE_EXPIRED);
  REQUIRE(alerts.size() == 1);
  CHECK(alerts[0].facts().at("licence_valid_to") == "2026-01-31");
}

TEST_CASE("UNCONFIRMED_RECEIPT after the 24 h grace period unless the receiver recorded it", "[alerts][anomaly]") {
  AlertHarness h(D(2026, 11, 20));
  h.WriteOk("operator", {PartyItem("W", v1::Party::SUPPLIER), PartyItem("V1", v1::Party::VENDOR),
                         PartyItem("V2", v1::Party::VENDOR)});
  const auto lot = Lot(Gtin(13), "W1");
  h.WriteOk("W", {Entry(E::RECEIVE, "r1", lot, 100, "", "2026-11-20")});
  const UnixMillis shipped_at = h.now();
  h.WriteOk("W", {Entry(E::SHIP, "s1", lot, 10, "V1", "2026-11-20"), Entry(E::SHIP, "s2", lot, 10, "V2", "2026-11-20")});
  h.WriteOk("V2", {Entry(E::RECEIVE, "r2", lot, 10, "W", "2026-11-20")});
  h.SetNow(shipped_at + 23 * 3600'000);
  CHECK(h.Sweep("UNCONFIRMED_RECEIPT") == 0);
  h.SetNow(shipped_at + 25 * 3600'000);
  CHECK(h.Sweep("UNCONFIRMED_RECEIPT") == 1);
  CHECK(h.Sweep("UNCONFIRMED_RECEIPT") == 0);
  auto alerts = h.Alerts(A::UNCONFIRMED_RECEIPT);
  REQUIRE(alerts.size() == 1);
  CHECK(alerts[0].party_id() == "V1");
  CHECK(alerts[0].facts().at("shipped_by") == "W");
  CHECK(alerts[0].facts().at("quantity") == "10");
}

TEST_CASE("TEST_FAILED stops the lot and names the supplier found by trace up", "[alerts][test]") {
  AlertHarness h(D(2026, 11, 22));
  h.WriteOk("operator", {PartyItem("M", v1::Party::MARKET), PartyItem("W", v1::Party::SUPPLIER),
                         PartyItem("V1", v1::Party::VENDOR, "M"), PartyItem("R", v1::Party::REGULATOR)});
  const auto lot = Lot(Gtin(14), "T1");
  h.WriteOk("W", {Entry(E::RECEIVE, "r0", lot, 50)});
  h.WriteOk("W", {Entry(E::SHIP, "s1", lot, 10, "V1")});
  h.WriteOk("V1", {Entry(E::RECEIVE, "r1", lot, 10, "W")});
  v1::Item test;
  v1::TestResult* t = test.mutable_test_result();
  t->set_test_id("t-1");
  t->set_party_id("V1");
  t->set_gtin(Gtin(14));
  t->set_lot("T1");
  t->set_item("农药残留 (有机磷)");
  t->set_passed(false);
  t->set_tested_on("2026-11-22");
  h.WriteOk("R", {test});
  auto alerts = h.Alerts(A::TEST_FAILED);
  REQUIRE(alerts.size() == 1);
  CHECK(alerts[0].party_id() == "V1");
  CHECK(alerts[0].market_id() == "M");
  CHECK(alerts[0].facts().at("supplier") == "W");
  auto stored = h.ledger().GetLot(Gtin(14), "T1");
  REQUIRE(stored.ok());
  CHECK(stored->state() == v1::Lot::STOPPED);
}

TEST_CASE("events committed while the engine was stopped are replayed on start", "[alerts][engine]") {
  AlertHarness h(D(2026, 11, 22));
  h.WriteOk("operator", {PartyItem("V1", v1::Party::VENDOR)});
  h.Close();
  {
    auto l = OpenLedger(h.dir().sub("ledger"), [] { return NoonOn(Date::FromYmd(2026, 11, 22)); });
    Write(*l, "V1", {Entry(E::RECEIVE, "r1", Lot(Gtin(15), "C1"), 1)});  // no licence, no document
  }
  h.Open();
  REQUIRE(h.engine().WaitProcessed(h.ledger().LastSequence(), 10'000));
  CHECK(h.Alerts(A::UNVERIFIED_SUPPLIER).size() == 1);
}
