// Proves the recall rules: one RECALLED_IN_STOCK per holder of the recalled lot or its
// transformed output (unconfirmed receivers included) with quantity and deadline; a ship
// afterwards raises RECALLED_SOLD (a return to the supplier does not); a kiosk scan raises
// RECALLED_SCANNED; after the deadline RECALL_OVERDUE reaches only holders that kept stock.
#include <catch2/catch.hpp>

#include <map>

#include "tests/alerts/harness.h"

using namespace foodtrace;
using namespace foodtrace::testing;
using A = v1::Alert;
using E = v1::LedgerEntry;

namespace {

Date D(int y, int m, int d) { return Date::FromYmd(y, m, d); }

v1::Item Transform(const std::string& id, const v1::LotRef& in, std::int64_t in_q, const v1::LotRef& out,
                   std::int64_t out_q) {
  v1::Item item;
  v1::LedgerEntry* e = item.mutable_entry();
  e->set_event_id(id);
  e->set_kind(E::TRANSFORM);
  e->set_occurred_on("2026-11-02");
  auto* i = e->add_inputs();
  *i->mutable_lot() = in;
  i->set_quantity(in_q);
  i->set_unit("H87");
  auto* o = e->add_outputs();
  *o->mutable_lot() = out;
  o->set_quantity(out_q);
  o->set_unit("H87");
  return item;
}

v1::Item RecallItem(const std::string& id, const std::string& gtin, const std::string& lot) {
  v1::Item item;
  v1::Recall* r = item.mutable_recall();
  r->set_recall_id(id);
  r->set_level(v1::Recall::I);
  r->set_gtin(gtin);
  r->add_lots(lot);
  r->set_reason("沙门氏菌 (Salmonella) found in a retained sample");
  return item;
}

// P produces lot A; W buys 100, repacks 20 of it into lot B; V1, V2 buy A, V3 buys B; V2 sells
// out; V4 was shipped A but never recorded the receipt.
void BuildChain(AlertHarness& h, const v1::LotRef& a, const v1::LotRef& b) {
  h.WriteOk("operator", {PartyItem("M", v1::Party::MARKET), PartyItem("P", v1::Party::SUPPLIER),
                         PartyItem("W", v1::Party::SUPPLIER), PartyItem("V1", v1::Party::VENDOR, "M"),
                         PartyItem("V2", v1::Party::VENDOR, "M"), PartyItem("V3", v1::Party::VENDOR, "M"),
                         PartyItem("V4", v1::Party::VENDOR, "M"), PartyItem("K", v1::Party::KIOSK, "M"),
                         PartyItem("R", v1::Party::REGULATOR)});
  h.WriteOk("P", {Entry(E::STOCKTAKE, "p0", a, 500)});
  h.WriteOk("P", {Entry(E::SHIP, "p1", a, 100, "W")});
  h.WriteOk("W", {Entry(E::RECEIVE, "w1", a, 100, "P"), Transform("w2", a, 20, b, 40)});
  h.WriteOk("W", {Entry(E::SHIP, "w3", a, 30, "V1"), Entry(E::SHIP, "w4", a, 20, "V2"), Entry(E::SHIP, "w5", b, 40, "V3"),
                  Entry(E::SHIP, "w6", a, 5, "V4")});
  h.WriteOk("V1", {Entry(E::RECEIVE, "v1", a, 30, "W")});
  h.WriteOk("V2", {Entry(E::RECEIVE, "v2", a, 20, "W"), Entry(E::SHIP, "v2s", a, 20)});
  h.WriteOk("V3", {Entry(E::RECEIVE, "v3", b, 40, "W")});
}

}  // namespace

TEST_CASE("a recall alerts each holder of the lot or its transformed output once, with quantity and deadline",
          "[alerts][recall]") {
  AlertHarness h(D(2026, 11, 2));  // a Monday, under the RM2015 rules
  const auto a = Lot(Gtin(20), "A");
  const auto b = Lot(Gtin(21), "B");
  BuildChain(h, a, b);
  h.WriteOk("R", {RecallItem("rc-1", Gtin(20), "A")});
  std::map<std::string, A> by_holder;
  for (const A& alert : h.Alerts(A::RECALLED_IN_STOCK)) {
    INFO(alert.party_id() << " " << alert.lot());
    CHECK(by_holder.emplace(alert.party_id(), alert).second);  // each once
  }
  // P keeps 400 of A; W 25 of A (100 − 20 repacked − 55 shipped; B all shipped); V1 30; V3 40 of B; V4 5 unconfirmed; V2 none.
  REQUIRE(by_holder.size() == 5);
  CHECK(by_holder.at("P").facts().at("quantity") == "400");
  CHECK(by_holder.at("W").facts().at("quantity") == "25");
  CHECK(by_holder.at("V1").facts().at("quantity") == "30");
  CHECK(by_holder.at("V3").facts().at("quantity") == "40");
  CHECK(by_holder.at("V3").lot() == "B");
  CHECK(by_holder.at("V4").facts().at("unconfirmed") == "5");
  CHECK(by_holder.count("V2") == 0);
  // Level I under RM2015: complete within 10 working days of Monday 2026-11-02 → 2026-11-16.
  const A& v1_alert = by_holder.at("V1");
  CHECK(v1_alert.facts().at("complete_by") == "2026-11-16");
  CHECK(v1_alert.deadline_ms() == StartOfDay(D(2026, 11, 17), kChinaUtcOffsetMinutes));
  CHECK(v1_alert.recall_id() == "rc-1");
  CHECK(v1_alert.market_id() == "M");
  CHECK(v1_alert.facts().at("rule") == "RM2015");
  // The same recall sent again is a duplicate and raises nothing new.
  h.Write("R", {RecallItem("rc-1", Gtin(20), "A")});
  CHECK(h.Alerts(A::RECALLED_IN_STOCK).size() == 5);
}

TEST_CASE("shipping a recalled lot raises RECALLED_SOLD; returning it to the supplier does not",
          "[alerts][recall]") {
  AlertHarness h(D(2026, 11, 2));
  const auto a = Lot(Gtin(20), "A");
  BuildChain(h, a, Lot(Gtin(21), "B"));
  h.WriteOk("R", {RecallItem("rc-1", Gtin(20), "A")});
  h.WriteOk("V1", {Entry(E::SHIP, "v1s", a, 3)});         // to consumers
  h.WriteOk("V1", {Entry(E::SHIP, "v1r", a, 27, "W")});   // back to its supplier
  auto sold = h.Alerts(A::RECALLED_SOLD);
  REQUIRE(sold.size() == 1);
  CHECK(sold[0].party_id() == "V1");
  CHECK(sold[0].facts().at("event_id") == "v1s");
  CHECK(sold[0].facts().at("buyer") == "consumers");
}

TEST_CASE("a kiosk scan of a recalled lot raises RECALLED_SCANNED in the kiosk's market", "[alerts][recall]") {
  AlertHarness h(D(2026, 11, 2));
  BuildChain(h, Lot(Gtin(20), "A"), Lot(Gtin(21), "B"));
  h.WriteOk("R", {RecallItem("rc-1", Gtin(20), "A")});
  v1::Item scan;
  scan.mutable_scan()->set_event_id("scan-1");
  scan.mutable_scan()->set_raw_code("(01)" + Gtin(21) + "(10)B");
  scan.mutable_scan()->set_gtin(Gtin(21));
  scan.mutable_scan()->set_lot("B");
  h.WriteOk("K", {scan});
  auto alerts = h.Alerts(A::RECALLED_SCANNED);
  REQUIRE(alerts.size() == 1);
  CHECK(alerts[0].party_id() == "K");
  CHECK(alerts[0].market_id() == "M");
  CHECK(alerts[0].recall_id() == "rc-1");
}

TEST_CASE("RECALL_OVERDUE after the deadline only for holders that did not dispose or return", "[alerts][recall]") {
  AlertHarness h(D(2026, 11, 2));
  const auto a = Lot(Gtin(20), "A");
  const auto b = Lot(Gtin(21), "B");
  BuildChain(h, a, b);
  h.WriteOk("R", {RecallItem("rc-1", Gtin(20), "A")});
  v1::Item dispose = Entry(E::DISPOSE, "v3d", b, 40);
  h.WriteOk("V3", {dispose});                            // V3 destroys its B
  h.WriteOk("V1", {Entry(E::SHIP, "v1r", a, 30, "W")});   // V1 returns A to W
  h.SetNow(StartOfDay(D(2026, 11, 17), kChinaUtcOffsetMinutes) - 1);
  CHECK(h.Sweep("RECALL_OVERDUE") == 0);
  h.SetNow(StartOfDay(D(2026, 11, 17), kChinaUtcOffsetMinutes));
  CHECK(h.Sweep("RECALL_OVERDUE") == 3);  // P, W (55 with V1's unconfirmed return) and V4
  CHECK(h.Sweep("RECALL_OVERDUE") == 0);
  std::set<std::string> parties;
  for (const A& alert : h.Alerts(A::RECALL_OVERDUE)) parties.insert(alert.party_id());
  CHECK(parties == std::set<std::string>{"P", "W", "V4"});
}
