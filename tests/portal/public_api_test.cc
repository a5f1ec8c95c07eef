// Proves the public API over real HTTP: lookups give the right verdict and an origin chain that
// never exposes quantities, prices or buyers; recalls, tests and profiles are public without
// private fields; bad input gives a JSON error with the right status.
#include <catch2/catch.hpp>

#include "portal_fixture.h"

using namespace foodtrace;
using namespace foodtrace::testing;

namespace {

const std::vector<std::string> kPrivateKeys = {"quantity", "on_hand", "received", "price",
                                               "counterparty", "buyer", "unconfirmed", "shipped"};

std::string LookupPath(const std::string& code) {
  return "/api/v1/lookup?code=" + httplib::detail::encode_query_param(code);
}

}  // namespace

TEST_CASE("a lot's lookup gives product, dates, verdict ok and an origin chain without quantities or buyers",
          "[portal]") {
  Portal portal;
  Market m(portal);
  auto a = portal.Get(LookupPath(m.Code("L-OK")));
  INFO(a.text);
  REQUIRE(a.status == 200);
  CHECK(a.body["verdict"] == "ok");
  CHECK(a.body["gtin"] == m.gtin);
  CHECK(a.body["lot"] == "L-OK");
  CHECK(a.body["product"]["name"] == "纯牛奶");
  CHECK(a.body["expires_on"] == Today().AddDays(200).ToString());
  REQUIRE(a.body["chain"].size() == 1);  // S1 took it in from outside and passed it on; V1 only bought
  CHECK(a.body["chain"][0]["party_id"] == "S1");
  CHECK(a.body["chain"][0]["name"] == "杭州乳品批发");
  CHECK(a.body["chain"][0]["received_from"] == "城郊批发部");
  CHECK(FindKey(a.body, kPrivateKeys).empty());

  // Ending at the vendor the consumer bought from: the chain back from V1, origin first.
  auto at_vendor = portal.Get(LookupPath(m.Code("L-OK")) + "&party=V1");
  REQUIRE(at_vendor.status == 200);
  REQUIRE(at_vendor.body["chain"].size() == 2);
  CHECK(at_vendor.body["chain"][0]["party_id"] == "S1");
  CHECK(at_vendor.body["chain"][1]["party_id"] == "V1");
  CHECK(at_vendor.body["chain"][1]["market_id"] == "M1");
  CHECK(FindKey(at_vendor.body, kPrivateKeys).empty());
  CHECK(FindKey(at_vendor.body, {"credit_class", "risk_level", "contact"}).empty());
}

TEST_CASE("every written form of a code finds the same lot", "[portal]") {
  Portal portal;
  Market m(portal);
  const std::string element = "01" + m.gtin + "10L-OK";
  const std::string link = "https://id.example.com/01/" + m.gtin + "/10/L-OK";
  for (const std::string& code : {m.Code("L-OK"), element, link}) {
    auto a = portal.Get(LookupPath(code));
    INFO(code << " → " << a.text);
    CHECK(a.status == 200);
    CHECK(a.body["verdict"] == "ok");
    CHECK(a.body["lot"] == "L-OK");
  }
  // A bare EAN-13 names the product but no lot: unknown, with the product filled in.
  auto bare = portal.Get(LookupPath(m.gtin.substr(1)));
  REQUIRE(bare.status == 200);
  CHECK(bare.body["verdict"] == "unknown");
  CHECK(bare.body["gtin"] == m.gtin);
}

TEST_CASE("the Digital Link route answers JSON clients with the lookup", "[portal]") {
  Portal portal;
  Market m(portal);
  auto a = portal.Get("/01/" + m.gtin + "/10/L-NEAR", "", {{"Accept", "application/json"}});
  INFO(a.text);
  REQUIRE(a.status == 200);
  CHECK(a.body["verdict"] == "near_expiry");
  CHECK(a.body["code"]["form"] == "digital_link");
  auto typed = portal.Get("/01/" + m.gtin + "/10/L-OK?linkType=gs1:pip");
  REQUIRE(typed.status == 200);
  CHECK(typed.body["verdict"] == "ok");
  CHECK(typed.body["link_type"] == "gs1:pip");
  auto bad = portal.Get("/01/" + m.gtin.substr(0, 13) + "9/10/L-OK", "", {{"Accept", "application/json"}});
  CHECK(bad.status == 400);
  CHECK(bad.body["error"]["code"] == "GTIN_CHECK_DIGIT");
}

TEST_CASE("a recalled lot's lookup says recalled and the recall is public", "[portal]") {
  Portal portal;
  Market m(portal);
  auto issued = portal.Post("/api/v1/recalls",
                            json{{"recall_id", "R-1"}, {"level", "I"}, {"gtin", m.gtin}, {"lots", {"L-RC"}},
                                 {"reason", "菌落总数超标"}}.dump(),
                            m.regulator);
  INFO(issued.text);
  REQUIRE(issued.status == 201);
  CHECK(issued.body["recall_id"] == "R-1");
  REQUIRE(issued.body["holders"].size() == 2);  // S1 kept 40, V1 holds 10

  auto a = portal.Get(LookupPath(m.Code("L-RC")));
  INFO(a.text);
  REQUIRE(a.status == 200);
  CHECK(a.body["verdict"] == "recalled");
  REQUIRE(a.body["recalls"].size() == 1);
  CHECK(a.body["recalls"][0]["recall_id"] == "R-1");
  CHECK(FindKey(a.body, kPrivateKeys).empty());
  CHECK(portal.Get(LookupPath(m.Code("L-OK"))).body["verdict"] == "ok");  // other lots unaffected

  auto list = portal.Get("/api/v1/recalls");
  REQUIRE(list.status == 200);
  REQUIRE(list.body["recalls"].size() == 1);
  CHECK(list.body["recalls"][0]["product_name"] == "纯牛奶");
  CHECK(portal.Get("/api/v1/recalls/R-1").body["reason"] == "菌落总数超标");
  CHECK(portal.Get("/api/v1/recalls/NOPE").status == 404);
}

TEST_CASE("a failed published test makes the lookup say test_failed; unpublished tests stay private",
          "[portal]") {
  Portal portal;
  Market m(portal);
  auto test = [&](const std::string& id, const std::string& lot, bool passed, bool published) {
    v1::Item item;
    v1::TestResult* t = item.mutable_test_result();
    t->set_test_id(id);
    t->set_party_id("V1");
    t->set_gtin(m.gtin);
    t->set_lot(lot);
    t->set_item("菌落总数");
    t->set_value(passed ? "1e3" : "2e5");
    t->set_limit("1e5");
    t->set_passed(passed);
    t->set_lab("市检测所");
    t->set_tested_on(Today().AddDays(-1).ToString());
    t->set_published(published);
    return item;
  };
  v1::Item failed = test("T-1", "L-TF", false, true);
  v1::Item hidden = test("T-2", "L-OK", true, false);
  portal.AsOperator({failed, hidden});
  auto a = portal.Get(LookupPath(m.Code("L-TF")));
  INFO(a.text);
  REQUIRE(a.status == 200);
  CHECK(a.body["verdict"] == "test_failed");
  REQUIRE(a.body["test_results"].size() == 1);
  CHECK(a.body["test_results"][0]["test_id"] == "T-1");

  auto list = portal.Get("/api/v1/test-results");
  REQUIRE(list.status == 200);
  REQUIRE(list.body["test_results"].size() == 1);  // T-2 is not published
  CHECK(list.body["test_results"][0]["party_name"] == "商户 V1");
  auto by_lot = portal.Get("/api/v1/test-results?gtin=" + m.gtin + "&lot=L-OK");
  CHECK(by_lot.body["test_results"].empty());
}

TEST_CASE("a party's public profile never shows its credit class or risk level", "[portal]") {
  Portal portal;
  Market m(portal);
  auto a = portal.Get("/api/v1/parties/V1");
  INFO(a.text);
  REQUIRE(a.status == 200);
  CHECK(a.body["name"] == "商户 V1");
  CHECK(a.body["licence"] == "JY13301020012345");
  CHECK(a.body["market_id"] == "M1");
  CHECK(a.body["stall"] == "A-12");
  CHECK(FindKey(a.body, {"credit_class", "risk_level", "contact", "id_card", "uscc", "curve_public_key"}).empty());
  CHECK(a.text.find("\"D\"") == std::string::npos);  // the credit class value appears nowhere
  auto unknown = portal.Get("/api/v1/parties/NOBODY");
  CHECK(unknown.status == 404);
  CHECK(unknown.body["error"]["code"] == "UNKNOWN_PARTY");
}

TEST_CASE("malformed codes, unknown lots and bad paths give clear JSON errors with the right status",
          "[portal]") {
  Portal portal;
  Market m(portal);
  auto unknown = portal.Get(LookupPath("(01)" + m.gtin + "(10)NO-SUCH-LOT"));
  REQUIRE(unknown.status == 200);
  CHECK(unknown.body["verdict"] == "unknown");
  CHECK(unknown.body["chain"].empty());

  struct Case {
    std::string path;
    int status;
    std::string code;
  };
  const std::string bad_check = m.gtin.substr(0, 13) + std::to_string((m.gtin[13] - '0' + 1) % 10);
  for (const Case& c : std::vector<Case>{
           {"/api/v1/lookup", 400, "MISSING_PARAMETER"},
           {LookupPath("(01)" + bad_check), 400, "GTIN_CHECK_DIGIT"},
           {LookupPath("hello world"), 400, "CODE_UNRECOGNIZED"},
           {LookupPath("(01)" + m.gtin + "(17)261399"), 400, "GS1_DATE"},
           {LookupPath(std::string(600, '1')), 413, "SCAN_CODE_TOO_LONG"},
           {"/api/v1/lookup?code=" + std::string(5000, 'x'), 414, "QUERY_TOO_LONG"},
           {"/api/v1/no-such-endpoint", 404, "NOT_FOUND"},
           {"/api/v1/lookup/%zz", 400, "BAD_PATH"},
           {"/api/v1/recalls?limit=0", 400, "BAD_PARAMETER"},
           {"/api/v1/recalls?cursor=abc", 400, "BAD_PARAMETER"},
           {"/api/v1/test-results?lot=L-OK", 400, "MISSING_PARAMETER"},
       }) {
    auto a = portal.Get(c.path);
    INFO(c.path.substr(0, 80) << " → " << a.status << " " << a.text);
    CHECK(a.status == c.status);
    CHECK(a.body["error"]["code"] == c.code);
    CHECK(!a.body["error"]["message"].get<std::string>().empty());
  }
  auto wrong_method = portal.http().Delete("/api/v1/lookup");
  REQUIRE(wrong_method);
  CHECK(wrong_method->status == 405);
  CHECK(json::parse(wrong_method->body)["error"]["code"] == "METHOD_NOT_ALLOWED");
}

TEST_CASE("health and metrics report the ledger and count requests by route and status", "[portal]") {
  Portal portal;
  auto health = portal.Get("/healthz");
  REQUIRE(health.status == 200);
  CHECK(health.body["ok"] == true);
  CHECK(health.body["ledger_last_sequence"].get<int>() >= 1);
  portal.Get("/api/v1/lookup?code=x");
  auto metrics = portal.http().Get("/metrics");
  REQUIRE(metrics);
  CHECK(metrics->status == 200);
  CHECK(metrics->get_header_value("Content-Type").rfind("text/plain; version=0.0.4", 0) == 0);
  CHECK(metrics->body.find("foodtrace_http_requests_total{route=\"/api/v1/lookup\",method=\"GET\",status=\"400\"} 1") !=
        std::string::npos);
  CHECK(metrics->body.find("foodtrace_http_request_duration_seconds_bucket{route=\"/healthz\",le=\"+Inf\"} 1") !=
        std::string::npos);
  CHECK(metrics->body.find("foodtrace_ledger_last_sequence ") != std::string::npos);
}
