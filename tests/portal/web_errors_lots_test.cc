// Proves the portal's error answers carry code, field and details a page can word in its own
// language; a bare GTIN lists the product's lots with recalled lots first; a vendor sees every
// recall that ever alerted it, with its own progress; a regulator previews a recall's lots and
// holders before issuing it and reads alerts with party names and an open-alert summary.
#include <catch2/catch.hpp>

#include "portal_fixture.h"

using namespace foodtrace;
using namespace foodtrace::testing;

namespace {

// A receive entry of `gtin`/`lot` with every field a purchase needs.
json Purchase(const std::string& id, const std::string& gtin, const std::string& lot) {
  return json{{"event_id", id}, {"kind", "RECEIVE"}, {"counterparty", {{"party_id", "S1"}}},
              {"lot", {{"gtin", gtin}, {"lot", lot}, {"product_name", "酸奶"}, {"specification", "200g"},
                       {"expires_on", Today().AddDays(30).ToString()}}},
              {"quantity", "5"}, {"unit", "H87"}, {"occurred_on", Today().ToString()}};
}

}  // namespace

TEST_CASE("a rejected entry answers its code, the field it is about and the facts to word it", "[portal][errors]") {
  foodtrace::testing::Portal portal;
  Market m(portal);
  // The check digit of GTIN 6901234567892 is 2; 6901234567891 is a typo.
  auto bad = portal.Post("/api/v1/entries", Purchase("e-bad", "6901234567891", "B1").dump(), m.vendor);
  INFO(bad.text);
  REQUIRE(bad.status == 422);
  const json& error = bad.body["error"];
  CHECK(error["code"] == "GTIN_CHECK_DIGIT");
  CHECK(error["field"] == "lot.gtin");
  CHECK(error["details"] == json{{"expected", "2"}, {"got", "1"}});
  CHECK(!error["message"].get<std::string>().empty());
  CHECK(bad.body["results"][0]["error"] == error);

  // A unit that the lot is not counted in names the unit it is counted in.
  json kilos = Purchase("e-kg", m.gtin, "L-OK");
  kilos["unit"] = "KGM";
  kilos["lot"]["gtin"] = m.gtin;
  kilos["lot"]["lot"] = "L-OK";
  kilos["lot"]["expires_on"] = m.Ref("L-OK").expires_on();
  auto mismatch = portal.Post("/api/v1/entries", kilos.dump(), m.vendor);
  INFO(mismatch.text);
  CHECK(mismatch.body["error"]["code"] == "UNIT_MISMATCH");
  CHECK(mismatch.body["error"]["field"] == "unit");
  CHECK(mismatch.body["error"]["details"]["expected"] == "H87");

  // Parameter errors name the parameter; lookup errors name the code.
  auto date = portal.Get("/api/v1/parties/V1/ledger?from=2026-13-01", m.regulator);
  CHECK(date.body["error"] == json{{"code", "BAD_PARAMETER"}, {"message", date.body["error"]["message"]},
                                   {"field", "from"}, {"details", {{"expected", "YYYY-MM-DD"}, {"got", "2026-13-01"}}}});
  auto code = portal.Get("/api/v1/lookup?code=6901234567891");
  CHECK(code.status == 400);
  CHECK(code.body["error"]["code"] == "GTIN_CHECK_DIGIT");
  CHECK(code.body["error"]["field"] == "code");
  CHECK(code.body["error"]["details"]["expected"] == "2");
  // Every error answer has all four members, even without a field.
  auto unknown = portal.Get("/api/v1/nothing-here");
  CHECK(unknown.body["error"]["field"] == "");
  CHECK(unknown.body["error"]["details"] == json::object());
}

TEST_CASE("a bare GTIN lists the product's lots with the recalled lot first, named", "[portal][lookup]") {
  foodtrace::testing::Portal portal;
  Market m(portal);
  auto issued = portal.Post("/api/v1/recalls",
                            json{{"level", "I"}, {"gtin", m.gtin}, {"lots", {"L-RC"}}, {"reason", "菌落总数超标"}}.dump(),
                            m.regulator);
  REQUIRE(issued.status == 201);
  auto a = portal.Get("/api/v1/lookup?code=" + m.gtin.substr(1));  // the 13 digits under an EAN-13
  INFO(a.text);
  REQUIRE(a.status == 200);
  CHECK(a.body["verdict"] == "unknown");
  const json& lots = a.body["lots"];
  REQUIRE(lots.size() == 4);
  CHECK(lots[0]["lot"] == "L-RC");
  CHECK(lots[0]["verdict"] == "recalled");
  CHECK(lots[0]["recall_ids"] == json::array({issued.body["recall_id"]}));
  CHECK(lots[1]["verdict"] == "near_expiry");
  CHECK(a.body["lots_truncated"] == false);
  CHECK(a.body["recalls"][0]["lots"] == json::array({"L-RC"}));
  // A lookup with the lot carries no list.
  CHECK(!portal.Get("/api/v1/lookup?code=" + m.Code("L-OK")).body.contains("lots"));
}

TEST_CASE("the public origin lists every source of each party, so two wholesalers of one producer are siblings",
          "[portal][lookup]") {
  foodtrace::testing::Portal portal;
  Market m(portal);
  // V1 bought L-OK from S1; V1 also buys more of it straight from the outside producer.
  json direct = Purchase("rx-direct", m.gtin, "L-OK");
  direct["lot"]["expires_on"] = m.Ref("L-OK").expires_on();
  direct["lot"]["produced_on"] = m.Ref("L-OK").produced_on();
  direct["counterparty"] = {{"name", "城郊批发部"}, {"address", "城郊路 1 号"}, {"contact", "0571-1"}};
  auto rx = portal.Post("/api/v1/entries", direct.dump(), m.vendor);
  INFO(rx.text);
  REQUIRE(rx.status == 200);
  auto a = portal.Get("/api/v1/lookup?code=" + m.Code("L-OK"));
  INFO(a.text);
  std::map<std::string, json> by_party;
  for (const json& e : a.body["chain"]) by_party[e["party_id"]] = e;
  REQUIRE(by_party.count("S1") == 1);
  CHECK(by_party["S1"]["sources"] == json::array({"城郊批发部"}));
  // Not a customer of S1 only: V1 also received from the producer directly (it ships on to no
  // one, so it is in the chain only as a receiver of an outside source).
  REQUIRE(by_party.count("V1") == 1);
  CHECK(by_party["V1"]["sources"].size() == 2);
}

TEST_CASE("a vendor sees every recall that alerted it, open and done, with its own progress", "[portal][vendor]") {
  foodtrace::testing::Portal portal;
  Market m(portal);
  auto issued = portal.Post("/api/v1/recalls",
                            json{{"level", "II"}, {"gtin", m.gtin}, {"lots", {"L-RC"}}, {"reason", "标签错误"}}.dump(),
                            m.regulator);
  REQUIRE(issued.status == 201);
  REQUIRE(issued.body["holders_alerted"].get<int>() >= 1);
  auto open = portal.Get("/api/v1/vendor/recalls", m.vendor);
  INFO(open.text);
  REQUIRE(open.body["recalls"].size() == 1);
  const json& notice = open.body["recalls"][0];
  CHECK(notice["done"] == false);
  CHECK(notice["alerted"] == true);
  CHECK(notice["deadline_ms"].get<std::int64_t>() > 0);
  CHECK(notice["progress"][0]["on_hand"] == 10);

  // The vendor disposes of all 10: the notice stays, marked done.
  json dispose = Purchase("d-rc", m.gtin, "L-RC");
  dispose["kind"] = "DISPOSE";
  dispose["quantity"] = "10";
  dispose["dispose_method"] = "销毁";
  dispose.erase("counterparty");
  dispose["lot"] = {{"gtin", m.gtin}, {"lot", "L-RC"}};
  auto d = portal.Post("/api/v1/entries", dispose.dump(), m.vendor);
  INFO(d.text);
  REQUIRE(d.status == 200);
  auto done = portal.Get("/api/v1/vendor/recalls", m.vendor);
  INFO(done.text);
  REQUIRE(done.body["recalls"].size() == 1);
  CHECK(done.body["recalls"][0]["done"] == true);
  CHECK(done.body["recalls"][0]["holdings"].empty());
  CHECK(done.body["recalls"][0]["progress"][0]["disposed"] == 10);
}

TEST_CASE("a regulator previews a recall's lots and holders, then reads named alerts and a summary",
          "[portal][regulator]") {
  foodtrace::testing::Portal portal;
  Market m(portal);
  const json body{{"level", "I"}, {"gtin", m.gtin}, {"lots", {"L-RC", "NOPE"}}, {"reason", "菌落总数超标"}};
  auto preview = portal.Post("/api/v1/recalls/preview", body.dump(), m.regulator);
  INFO(preview.text);
  REQUIRE(preview.status == 200);
  CHECK(preview.body["holders_to_alert"] == 2);  // S1 (40 left) and V1 (10)
  CHECK(preview.body["lots"].size() == 1);
  CHECK(preview.body["unknown_lots"] == json::array({"NOPE"}));
  CHECK(portal.Get("/api/v1/recalls", "").body["recalls"].empty());  // nothing was issued
  CHECK(portal.Post("/api/v1/recalls/preview", json{{"level", "I"}, {"gtin", m.gtin}}.dump(), m.regulator)
            .body["error"]["code"] == "RECALL_SCOPE_MISSING");

  auto issued = portal.Post("/api/v1/recalls", json{{"level", "I"}, {"gtin", m.gtin}, {"lots", {"L-RC"}},
                                                    {"reason", "菌落总数超标"}}.dump(), m.regulator);
  REQUIRE(issued.status == 201);
  auto alerts = portal.Get("/api/v1/alerts?kind=RECALLED_IN_STOCK&party=V1", m.regulator);
  INFO(alerts.text);
  REQUIRE(alerts.body["alerts"].size() == 1);
  CHECK(alerts.body["alerts"][0]["stall"] == "A-12");
  CHECK(!alerts.body["alerts"][0]["party_name"].get<std::string>().empty());
  auto summary = portal.Get("/api/v1/alerts/summary", m.regulator);
  INFO(summary.text);
  REQUIRE(summary.status == 200);
  CHECK(summary.body["by_kind"]["RECALLED_IN_STOCK"] == 2);
  REQUIRE(summary.body["by_recall"].size() == 1);
  CHECK(summary.body["by_recall"][0]["count"] == 2);
  CHECK(summary.body["by_recall"][0]["totals"]["holders"] == 2);
  CHECK(summary.body["open"].get<int>() >= 2);
}
