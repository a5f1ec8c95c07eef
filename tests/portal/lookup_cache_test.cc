// Proves the lookup's answer cache never serves a stale verdict: a lot looked up (and so
// cached) answers "recalled", "test_failed" or its new chain on the very next lookup after the
// recall, the failed test or the new flow is acknowledged.
#include <catch2/catch.hpp>

#include "portal_fixture.h"

using namespace foodtrace;
using namespace foodtrace::testing;

namespace {

std::string CachedLookupPath(const std::string& code) {
  return "/api/v1/lookup?code=" + httplib::detail::encode_query_param(code);
}

}  // namespace

TEST_CASE("a lot recalled right after a lookup answers recalled on the next lookup", "[portal]") {
  Portal portal;
  Market m(portal);
  const httplib::Headers json_accept{{"Accept", "application/json"}};
  const std::string link = "/01/" + m.gtin + "/10/L-RC";
  auto first = portal.Get(CachedLookupPath(m.Code("L-RC")));
  REQUIRE(first.status == 200);
  CHECK(first.body["verdict"] == "ok");
  auto again = portal.Get(CachedLookupPath(m.Code("L-RC")));  // served from the cache
  CHECK(again.text == first.text);
  CHECK(portal.Get(link, "", json_accept).body["verdict"] == "ok");

  auto issued = portal.Post("/api/v1/recalls",
                            json{{"recall_id", "R-C"},
                                 {"level", "I"},
                                 {"gtin", m.gtin},
                                 {"lots", {"L-RC"}},
                                 {"reason", "菌落总数超标"}}
                                .dump(),
                            m.regulator);
  REQUIRE(issued.status == 201);
  auto after = portal.Get(CachedLookupPath(m.Code("L-RC")));
  INFO(after.text);
  REQUIRE(after.status == 200);
  CHECK(after.body["verdict"] == "recalled");
  REQUIRE(after.body["recalls"].size() == 1);
  CHECK(after.body["recalls"][0]["recall_id"] == "R-C");
  CHECK(portal.Get(link, "", json_accept).body["verdict"] == "recalled");
  CHECK(portal.Get(CachedLookupPath(m.Code("L-OK"))).body["verdict"] == "ok");
}

TEST_CASE("a failed test and a new flow of a cached lot show on the next lookup", "[portal]") {
  Portal portal;
  Market m(portal);
  REQUIRE(portal.Get(CachedLookupPath(m.Code("L-TF"))).body["verdict"] == "ok");
  v1::Item failed;
  v1::TestResult* t = failed.mutable_test_result();
  t->set_test_id("T-C");
  t->set_party_id("V1");
  t->set_gtin(m.gtin);
  t->set_lot("L-TF");
  t->set_item("菌落总数");
  t->set_value("2e5");
  t->set_limit("1e5");
  t->set_passed(false);
  t->set_lab("市检测所");
  t->set_tested_on(Today().AddDays(-1).ToString());
  t->set_published(true);
  portal.AsOperator({failed});
  auto tested = portal.Get(CachedLookupPath(m.Code("L-TF")));
  INFO(tested.text);
  CHECK(tested.body["verdict"] == "test_failed");
  CHECK(tested.body["test_results"].size() == 1);

  // V1 passes L-OK on to V2: V1 joins the public chain.
  auto before = portal.Get(CachedLookupPath(m.Code("L-OK")));
  REQUIRE(before.body["chain"].size() == 1);
  m.Record(m.vendor,
           Entry(v1::LedgerEntry::SHIP, "out-V2", m.Ref("L-OK"), 5, "V2", Today().ToString()));
  auto after = portal.Get(CachedLookupPath(m.Code("L-OK")));
  INFO(after.text);
  REQUIRE(after.body["chain"].size() == 2);
  CHECK(after.body["chain"][1]["party_id"] == "V1");
}
