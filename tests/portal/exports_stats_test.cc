// Proves the regulator's exports and overviews over real HTTP: the FSMA 204 CSV has one row per
// tracking event of the lot, the EPCIS 2.0 document has one event per entry with LGTIN class
// ids, statistics count parties, alerts and recall completion, and the inspection plan ranks
// the riskier vendor first.
#include <catch2/catch.hpp>
#include <sstream>

#include "portal_fixture.h"

using namespace foodtrace;
using namespace foodtrace::testing;

TEST_CASE("the FSMA 204 CSV and the EPCIS 2.0 document list every tracking event of a lot",
          "[portal][regulator][export]") {
  Portal portal;
  Market m(portal);
  const std::string query = "?gtin=" + m.gtin + "&lot=L-OK";
  auto csv = portal.http().Get(("/api/v1/export/fsma204.csv" + query).c_str(),
                               {{"Authorization", "Bearer " + m.regulator}});
  REQUIRE(csv);
  INFO(csv->body);
  REQUIRE(csv->status == 200);
  CHECK(csv->get_header_value("Content-Type") == "text/csv; charset=utf-8");
  std::istringstream lines(csv->body);
  std::vector<std::string> rows;
  for (std::string line; std::getline(lines, line);) rows.push_back(line);
  REQUIRE(rows.size() == 4);  // header + S1 receive, S1 ship, V1 receive
  CHECK(rows[0].rfind("Traceability Lot Code,Product Description,Quantity,Unit of Measure,", 0) == 0);
  CHECK(rows[1].find("L-OK,纯牛奶 250ml×24,50,H87,杭州乳品批发,S1,Receiving,") == 0);
  CHECK(rows[2].find(",10,H87,杭州乳品批发,S1,Shipping,") != std::string::npos);
  CHECK(rows[3].find(",10,H87,商户 V1,V1,Receiving,") != std::string::npos);

  auto epcis = portal.Get("/api/v1/export/epcis" + query, m.regulator);
  INFO(epcis.text);
  REQUIRE(epcis.status == 200);
  CHECK(epcis.body["@context"][0] == "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld");
  CHECK(epcis.body["type"] == "EPCISDocument");
  const json& events = epcis.body["epcisBody"]["eventList"];
  REQUIRE(events.size() == 3);
  CHECK(events[0]["type"] == "ObjectEvent");
  CHECK(events[0]["bizStep"] == "receiving");
  CHECK(events[1]["bizStep"] == "shipping");
  CHECK(events[1]["destinationList"][0]["destination"] == "urn:foodtrace:party:V1");
  const std::string cls = events[0]["quantityList"][0]["epcClass"];
  CHECK(cls == "urn:epc:class:lgtin:" + m.gtin.substr(1, 7) + "." + m.gtin.substr(0, 1) + m.gtin.substr(8, 5) + ".L-OK");
  CHECK(events[0]["quantityList"][0]["quantity"] == 50);

  CHECK(portal.Get("/api/v1/export/epcis?gtin=" + m.gtin + "&lot=NOPE", m.regulator).status == 404);
  CHECK(portal.Get("/api/v1/export/epcis" + query, m.vendor).status == 403);
}

TEST_CASE("statistics count parties, alerts and recall completion; the inspection plan ranks by risk",
          "[portal][regulator]") {
  Portal portal;
  Market m(portal);
  auto issued = portal.Post("/api/v1/recalls",
                            json{{"recall_id", "R-S"}, {"level", "III"}, {"gtin", m.gtin}, {"lots", {"L-RC"}},
                                 {"reason", "标签错误"}}.dump(),
                            m.regulator);
  REQUIRE(issued.status == 201);
  auto stats = portal.Get("/api/v1/stats", m.regulator);
  INFO(stats.text);
  REQUIRE(stats.status == 200);
  CHECK(stats.body["ledger"]["parties_by_kind"]["VENDOR"] == 2);
  CHECK(stats.body["alerts_by_kind"]["RECALLED_IN_STOCK"] == 2);
  REQUIRE(stats.body["recalls"].size() == 1);
  CHECK(stats.body["recalls"][0]["holders"] == 2);
  CHECK(stats.body["recall_completion"] == 0.0);

  auto plan = portal.Get("/api/v1/inspections/plan?market=M1", m.regulator);
  INFO(plan.text);
  REQUIRE(plan.status == 200);
  REQUIRE(plan.body["vendors"].size() == 2);
  CHECK(plan.body["vendors"][0]["party_id"] == "V1");  // credit class D, risk C, an open recall alert
  CHECK(plan.body["vendors"][0]["open_alerts"] == 1);
  CHECK(plan.body["vendors"][0]["score"] > plan.body["vendors"][1]["score"]);
  CHECK(portal.Get("/api/v1/inspections/plan", m.vendor).status == 403);
}
