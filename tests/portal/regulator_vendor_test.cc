// Proves the regulator and vendor APIs over real HTTP: trace down and up in the CLI's shapes,
// the registry, a party's ledger and stock, recall progress; a vendor's stock, near-expiry
// goods, recall notices and entries recorded through the ledger's validation; photo lookup.
#include <catch2/catch.hpp>

#include "scanner/testing/barcode_images.h"
#include "portal_fixture.h"

using namespace foodtrace;
using namespace foodtrace::testing;

TEST_CASE("a regulator traces a lot down and up with the recorded parties and quantities", "[portal][regulator]") {
  Portal portal;
  Market m(portal);
  auto down = portal.Get("/api/v1/trace/down?gtin=" + m.gtin + "&lot=L-OK", m.regulator);
  INFO(down.text);
  REQUIRE(down.status == 200);
  std::map<std::string, std::int64_t> on_hand;
  for (const json& h : down.body["holders"]) on_hand[h["party_id"]] = h["on_hand"].get<std::int64_t>();
  CHECK(on_hand == std::map<std::string, std::int64_t>{{"S1", 40}, {"V1", 10}});
  bool s1_to_v1 = false;
  for (const json& e : down.body["edges"]) {
    if (e["from"] == "S1" && e["to"] == "V1") s1_to_v1 = e["quantity"] == 10;
  }
  CHECK(s1_to_v1);
  CHECK(down.body["parties"]["S1"]["name"] == "杭州乳品批发");

  auto up = portal.Get("/api/v1/trace/up?party=V1&gtin=" + m.gtin + "&lot=L-OK", m.regulator);
  INFO(up.text);
  REQUIRE(up.status == 200);
  REQUIRE(up.body["chain"].size() == 2);
  CHECK(up.body["chain"][0]["party_id"] == "V1");
  CHECK(up.body["chain"][0]["received_from"] == "S1");
  CHECK(up.body["chain"][1]["received_from"] == "ext:城郊批发部");

  CHECK(portal.Get("/api/v1/trace/down?gtin=" + m.gtin + "&lot=NOPE", m.regulator).status == 404);
  CHECK(portal.Get("/api/v1/trace/down?lot=L-OK", m.regulator).body["error"]["code"] == "MISSING_PARAMETER");
  CHECK(portal.Get("/api/v1/trace/up?gtin=" + m.gtin + "&lot=L-OK", m.regulator).status == 400);
}

TEST_CASE("a regulator reads the registry, a party's ledger for a period and its stock", "[portal][regulator]") {
  Portal portal;
  Market m(portal);
  auto vendors = portal.Get("/api/v1/parties?market=M1&kind=VENDOR", m.regulator);
  INFO(vendors.text);
  REQUIRE(vendors.status == 200);
  REQUIRE(vendors.body["parties"].size() == 2);
  CHECK(vendors.body["parties"][0]["credit_class"] == "D");  // regulators see the credit file
  auto page = portal.Get("/api/v1/parties?limit=2", m.regulator);
  REQUIRE(page.body["parties"].size() == 2);
  auto next = portal.Get("/api/v1/parties?limit=2&cursor=" + page.body["next_cursor"].get<std::string>(), m.regulator);
  CHECK(next.body["parties"][0]["party_id"] != page.body["parties"][0]["party_id"]);

  auto ledger = portal.Get("/api/v1/parties/V1/ledger?from=" + Today().AddDays(-7).ToString(), m.regulator);
  INFO(ledger.text);
  REQUIRE(ledger.status == 200);
  CHECK(ledger.body["lines"].size() == 4);
  CHECK(ledger.body["lines"][0]["kind"] == "RECEIVE");
  auto empty = portal.Get("/api/v1/parties/V1/ledger?from=2020-01-01&to=2020-12-31", m.regulator);
  CHECK(empty.body["lines"].empty());
  CHECK(portal.Get("/api/v1/parties/V1/ledger?from=2026-13-01", m.regulator).status == 400);
  CHECK(portal.Get("/api/v1/parties/V1/ledger?from=2020-01-01&to=2026-01-01", m.regulator).status == 400);

  auto stock = portal.Get("/api/v1/parties/S1/stock", m.regulator);
  REQUIRE(stock.status == 200);
  CHECK(stock.body["holdings"].size() == 4);
}

TEST_CASE("a recall's progress lists every holder and what each still holds", "[portal][regulator]") {
  Portal portal;
  Market m(portal);
  auto issued = portal.Post("/api/v1/recalls",
                            json{{"level", "II"}, {"gtin", m.gtin}, {"lots", {"L-RC"}}, {"reason", "标签错误"}}.dump(),
                            m.regulator);
  INFO(issued.text);
  REQUIRE(issued.status == 201);
  const std::string id = issued.body["recall_id"];
  CHECK(id.rfind("R-", 0) == 0);
  auto repeat = portal.Post("/api/v1/recalls",
                            json{{"recall_id", id}, {"level", "II"}, {"gtin", m.gtin}, {"lots", {"L-RC"}},
                                 {"reason", "标签错误"}}.dump(),
                            m.regulator);
  CHECK(repeat.status == 200);
  CHECK(repeat.body["result"]["status"] == "DUPLICATE");
  auto bad = portal.Post("/api/v1/recalls", R"({"level": "II", "gtin": "nope"})", m.regulator);
  CHECK((bad.status == 400 || bad.status == 422));
  CHECK(portal.Post("/api/v1/recalls", "{not json", m.regulator).body["error"]["code"] == "BAD_JSON");

  // V1 destroys what it holds; S1 still holds 40.
  v1::Item dispose = Entry(v1::LedgerEntry::DISPOSE, "d-1", m.Ref("L-RC"), 10, "", Today().ToString());
  m.Record(m.vendor, dispose);
  auto progress = portal.Get("/api/v1/recalls/" + id + "/progress", m.regulator);
  INFO(progress.text);
  REQUIRE(progress.status == 200);
  std::map<std::string, json> holders;
  for (const json& h : progress.body["holders"]) holders[h["party_id"]] = h;
  REQUIRE(holders.size() == 2);
  CHECK(holders["V1"]["disposed"] == 10);
  CHECK(holders["V1"]["on_hand"] == 0);
  CHECK(holders["V1"]["done"] == true);
  CHECK(holders["S1"]["on_hand"] == 40);
  CHECK(holders["S1"]["done"] == false);
  CHECK(progress.body["totals"]["holders_done"] == 1);
  CHECK(progress.body["overdue"] == false);
  CHECK(portal.Get("/api/v1/recalls/NOPE/progress", m.regulator).status == 404);

  auto notices = portal.Get("/api/v1/vendor/recalls", m.supplier);
  REQUIRE(notices.status == 200);
  REQUIRE(notices.body["recalls"].size() == 1);
  CHECK(notices.body["recalls"][0]["recall"]["recall_id"] == id);
}

TEST_CASE("a vendor sees its stock with near-expiry flags and records entries through the ledger's rules",
          "[portal][vendor]") {
  Portal portal;
  Market m(portal);
  auto stock = portal.Get("/api/v1/vendor/stock", m.vendor);
  INFO(stock.text);
  REQUIRE(stock.status == 200);
  std::map<std::string, std::string> status;
  for (const json& h : stock.body["holdings"]) status[h["lot"]] = h["status"];
  CHECK(status["L-OK"] == "ok");
  CHECK(status["L-NEAR"] == "near_expiry");
  auto expiring = portal.Get("/api/v1/vendor/expiring", m.vendor);
  REQUIRE(expiring.body["holdings"].size() == 1);
  CHECK(expiring.body["holdings"][0]["lot"] == "L-NEAR");
  CHECK(portal.Get("/api/v1/vendor/expiring?days=365", m.vendor).body["holdings"].size() == 4);

  // A sale to consumers goes through; selling more than the ledger allows is for the ledger to
  // judge, and a malformed entry is rejected with the ledger's reason.
  v1::Item sale = Entry(v1::LedgerEntry::SHIP, "sale-1", m.Ref("L-OK"), 3, "", Today().ToString());
  auto ok = portal.Post("/api/v1/entries", json{{"entries", {json::parse(ToJson(sale.entry()))}}}.dump(), m.vendor);
  INFO(ok.text);
  REQUIRE(ok.status == 200);
  CHECK(ok.body["results"][0]["status"] == "ACCEPTED");
  auto dup = portal.Post("/api/v1/entries", ToJson(sale.entry()), m.vendor);
  CHECK(dup.body["results"][0]["status"] == "DUPLICATE");
  v1::Item bad = Entry(v1::LedgerEntry::RECEIVE, "bad-1", Lot(Gtin(5).substr(0, 13) + "0", "L"), 1);
  auto rejected = portal.Post("/api/v1/entries", ToJson(bad.entry()), m.vendor);
  INFO(rejected.text);
  CHECK(rejected.status == 422);
  CHECK(rejected.body["results"][0]["status"] == "REJECTED");
  CHECK(!rejected.body["results"][0]["code"].get<std::string>().empty());
  auto unknown_field = portal.Post("/api/v1/entries", R"({"event_id": "x", "price": 3})", m.vendor);
  CHECK(unknown_field.status == 400);
  CHECK(unknown_field.body["error"]["code"] == "BAD_JSON");
  auto huge = portal.Post("/api/v1/entries", std::string((1 << 20) + 10, ' '), m.vendor);
  CHECK(huge.status == 413);
}

TEST_CASE("a photo of a Digital Link QR code is decoded and looked up", "[portal]") {
  Portal portal;
  Market m(portal);
  auto qr = scanner::testing::RenderZint(scanner::testing::ZintSymbol::kQr,
                                         "https://id.example.com/01/" + m.gtin + "/10/L-NEAR", 6);
  REQUIRE(qr.ok());
  const std::string png = scanner::testing::EncodePng(scanner::testing::Centered(*qr, 400, 400));
  auto raw = portal.Post("/api/v1/lookup/image", png, "", "image/png");
  INFO(raw.text);
  REQUIRE(raw.status == 200);
  CHECK(raw.body["verdict"] == "near_expiry");
  CHECK(raw.body["decoded"]["symbology"] == "QRCode");
  httplib::MultipartFormDataItems form = {{"image", png, "photo.png", "image/png"}};
  auto multipart = portal.http().Post("/api/v1/lookup/image", form);
  REQUIRE(multipart);
  CHECK(multipart->status == 200);
  CHECK(json::parse(multipart->body)["lot"] == "L-NEAR");
}
