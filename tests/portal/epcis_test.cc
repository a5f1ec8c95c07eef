// Proves EPCIS 2.0 capture and query over real HTTP into the real ledger: a producer commissions
// and ships a lot, a wholesaler receives, packs and ships it (with one invalid event and one to
// an unknown GLN among valid ones), a vendor receives and repacks it; a retried document and a
// captured export record nothing new; the lot traces with locations; the query, the export and
// the FSMA 204 spreadsheet show the events with their GLNs; hostile documents get EPCIS errors
// and the server keeps serving.
#include <catch2/catch.hpp>

#include <sstream>

#include "portal_fixture.h"

using namespace foodtrace;
using namespace foodtrace::testing;

namespace {

constexpr char kGlnP[] = "6901234000016";  // producer P1
constexpr char kGlnW[] = "0614141000012";  // wholesaler W1
constexpr char kGlnV[] = "0614141000029";  // vendor V1
constexpr char kGlnUnknown[] = "0614141999996";

std::string Dl(const std::string& gln) { return "https://id.gs1.org/414/" + gln; }

struct Chain {
  Portal& portal;
  const std::string gtin = Gtin(5151);
  std::string producer, wholesaler, vendor, regulator;
  // An instant one hour ago, so the test passes at any hour.
  const std::string when = FormatInstant(NowMillis() - 3'600'000);

  explicit Chain(Portal& p) : portal(p) {
    auto party = [](const std::string& id, v1::Party::Kind kind, const std::string& gln) {
      v1::Item item = PartyItem(id, kind, kind == v1::Party::VENDOR ? "M1" : "");
      if (!gln.empty()) item.mutable_party()->add_glns(gln);
      return item;
    };
    v1::Item p1 = party("P1", v1::Party::SUPPLIER, kGlnP);
    p1.mutable_party()->set_producer(true);
    p1.mutable_party()->set_name("嘉兴牧场乳业");
    v1::Item w1 = party("W1", v1::Party::SUPPLIER, kGlnW);
    w1.mutable_party()->set_name("杭州乳品批发");
    p.AsOperator({PartyItem("M1", v1::Party::MARKET), p1, w1, party("V1", v1::Party::VENDOR, kGlnV),
                  PartyItem("REG1", v1::Party::REGULATOR)});
    producer = p.Token("vendor", "P1");
    wholesaler = p.Token("vendor", "W1");
    vendor = p.Token("vendor", "V1");
    regulator = p.Token("regulator", "REG1");
  }
  std::string Class(const std::string& lot) const {
    return "urn:epc:class:lgtin:" + gtin.substr(1, 7) + "." + gtin.substr(0, 1) + gtin.substr(8, 5) + "." + lot;
  }
  json Object(const std::string& id, const std::string& step, const std::string& action, const std::string& at,
              const std::string& lot, int quantity) const {
    return json{{"type", "ObjectEvent"}, {"eventID", id}, {"eventTime", when}, {"eventTimeZoneOffset", "+08:00"},
                {"action", action}, {"bizStep", step}, {"bizLocation", {{"id", Dl(at)}}},
                {"quantityList", {{{"epcClass", Class(lot)}, {"quantity", quantity}}}}};
  }
  static std::string Doc(const std::vector<json>& list) {
    const json events = list;  // always an array, also of one event
    return json{{"@context", {"https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"}},
                {"type", "EPCISDocument"}, {"schemaVersion", "2.0"}, {"creationDate", FormatInstant(NowMillis())},
                {"epcisBody", {{"eventList", events}}}}.dump();
  }
  Portal::Answer Capture(const std::string& token, const std::string& doc) {
    return portal.Post("/epcis/capture", doc, token, "application/ld+json");
  }
};

std::vector<std::string> Statuses(const json& job) {
  std::vector<std::string> out;
  for (const json& e : job["events"]) out.push_back(e["status"]);
  return out;
}

}  // namespace

TEST_CASE("EPCIS documents captured through the portal trace, query and export back", "[portal][epcis]") {
  Portal portal;
  Chain c(portal);
  const std::string expiry = Today().AddDays(200).ToString();
  json commission = c.Object("urn:uuid:p1-commission", "commissioning", "ADD", kGlnP, "B1", 100);
  commission["ilmd"] = {{"cbvmda:itemExpirationDate", expiry}};
  commission["ft:product"] = {{"name", "纯牛奶"}, {"specification", "250ml"}};
  json ship = c.Object("urn:uuid:p1-ship", "shipping", "OBSERVE", kGlnP, "B1", 60);
  ship["destinationList"] = {{{"type", "owning_party"}, {"destination", Dl(kGlnW)}}};
  auto first = c.Capture(c.producer, Chain::Doc({commission, ship}));
  INFO(first.text);
  REQUIRE(first.status == 202);
  CHECK(first.headers.find("Location")->second == "/epcis/capture/" + first.body["captureID"].get<std::string>());
  CHECK(Statuses(first.body) == std::vector<std::string>{"ACCEPTED", "ACCEPTED"});

  json receive = c.Object("urn:uuid:w1-receive", "receiving", "OBSERVE", kGlnW, "B1", 60);
  receive["sourceList"] = {{{"type", "owning_party"}, {"source", "urn:epc:id:sgln:6901234.00001.0"}}};
  json pack{{"type", "AggregationEvent"}, {"eventID", "urn:uuid:w1-pack"}, {"eventTime", c.when},
            {"eventTimeZoneOffset", "+08:00"}, {"action", "ADD"}, {"bizStep", "packing"},
            {"bizLocation", {{"id", Dl(kGlnW)}}}, {"parentID", "urn:epc:id:sscc:0614141.1234567890"},
            {"childQuantityList", {{{"epcClass", c.Class("B1")}, {"quantity", 24}}}}};
  json bad = c.Object("urn:uuid:w1-bad", "teleporting", "OBSERVE", kGlnW, "B1", 1);
  json to_vendor = c.Object("urn:uuid:w1-ship", "shipping", "OBSERVE", kGlnW, "B1", 24);
  to_vendor["destinationList"] = {{{"type", "owning_party"}, {"destination", Dl(kGlnV)}}};
  json to_nowhere = c.Object("urn:uuid:w1-nowhere", "shipping", "OBSERVE", kGlnW, "B1", 5);
  to_nowhere["destinationList"] = {{{"type", "owning_party"}, {"destination", Dl(kGlnUnknown)}}};
  const std::string wholesale_doc = Chain::Doc({receive, pack, bad, to_vendor, to_nowhere});
  auto second = c.Capture(c.wholesaler, wholesale_doc);
  INFO(second.text);
  REQUIRE(second.status == 202);
  CHECK(Statuses(second.body) == std::vector<std::string>{"ACCEPTED", "ACCEPTED", "REJECTED", "ACCEPTED", "REJECTED"});
  CHECK(second.body["success"] == false);
  REQUIRE(second.body["errors"].size() == 2);
  CHECK(second.body["errors"][0]["type"] == "epcisException:ValidationException");
  CHECK(second.body["errors"][0]["instance"] == "#/epcisBody/eventList/2");
  CHECK(second.body["errors"][0]["error"]["code"] == "EPCIS_BIZSTEP_UNKNOWN");
  CHECK(second.body["errors"][1]["error"]["code"] == "UNKNOWN_GLN");
  auto job = portal.Get("/epcis/capture/" + second.body["captureID"].get<std::string>(), c.wholesaler);
  CHECK(job.status == 200);
  CHECK(job.body["events"] == second.body["events"]);
  CHECK(portal.Get("/epcis/capture/" + second.body["captureID"].get<std::string>(), c.vendor).status == 404);

  json vendor_receive = c.Object("urn:uuid:v1-receive", "receiving", "OBSERVE", kGlnV, "B1", 24);
  vendor_receive["sourceList"] = {{{"type", "owning_party"}, {"source", Dl(kGlnW)}}};
  json repack{{"type", "TransformationEvent"}, {"eventID", "urn:uuid:v1-repack"}, {"eventTime", c.when},
              {"eventTimeZoneOffset", "+08:00"}, {"bizStep", "repackaging"}, {"bizLocation", {{"id", Dl(kGlnV)}}},
              {"inputQuantityList", {{{"epcClass", c.Class("B1")}, {"quantity", 12}}}},
              {"outputQuantityList", {{{"epcClass", c.Class("C1")}, {"quantity", 6}}}},
              {"ft:product", {{"name", "纯牛奶 两盒装"}, {"specification", "2×250ml"}}},
              {"ilmd", {{"cbvmda:itemExpirationDate", expiry}}}};
  auto third = c.Capture(c.vendor, Chain::Doc({vendor_receive, repack}));
  INFO(third.text);
  CHECK(Statuses(third.body) == std::vector<std::string>{"ACCEPTED", "ACCEPTED"});

  // A retried document records nothing new; the invalid event is still refused.
  auto retry = c.Capture(c.wholesaler, wholesale_doc);
  CHECK(Statuses(retry.body) == std::vector<std::string>{"DUPLICATE", "DUPLICATE", "REJECTED", "DUPLICATE", "REJECTED"});

  // The lot traces down to every holder, with their locations.
  auto down = portal.Get("/api/v1/trace/down?gtin=" + c.gtin + "&lot=B1", c.regulator);
  INFO(down.text);
  REQUIRE(down.status == 200);
  std::map<std::string, std::int64_t> on_hand;
  for (const json& h : down.body["holders"]) {
    if (h["lot"] == "B1") on_hand[h["party_id"]] = h["on_hand"].get<std::int64_t>();
  }
  CHECK(on_hand["P1"] == 40);
  CHECK(on_hand["W1"] == 36);
  CHECK(on_hand["V1"] == 12);
  CHECK(down.body["parties"]["W1"]["glns"][0] == kGlnW);

  // The query answers the events of the lot, by bizStep too, and each by its id.
  auto all = portal.Get("/epcis/events?MATCH_epcClass=" + c.Class("B1"), c.regulator);
  INFO(all.text);
  REQUIRE(all.status == 200);
  CHECK(all.body["type"] == "EPCISQueryDocument");
  const json& list = all.body["epcisBody"]["queryResults"]["resultsBody"]["eventList"];
  CHECK(list.size() == 7);
  auto received = portal.Get("/epcis/events?EQ_bizStep=receiving&MATCH_epcClass=" + c.Class("B1"), c.regulator);
  CHECK(received.body["epcisBody"]["queryResults"]["resultsBody"]["eventList"].size() == 2);
  auto paged = portal.Get("/epcis/events?perPage=3&MATCH_epcClass=" + c.Class("B1"), c.regulator);
  CHECK(paged.body["epcisBody"]["queryResults"]["resultsBody"]["eventList"].size() == 3);
  CHECK(paged.headers.find("Link")->second.find("nextPageToken=3") != std::string::npos);
  auto one = portal.Get("/epcis/events/urn:uuid:w1-ship", c.regulator);
  INFO(one.text);
  REQUIRE(one.status == 200);
  const json& ev = one.body["epcisBody"]["queryResults"]["resultsBody"]["eventList"][0];
  CHECK(ev["destinationList"][0]["destination"] == Dl(kGlnV));
  CHECK(ev["bizLocation"]["id"] == Dl(kGlnW));
  CHECK(portal.Get("/epcis/events/urn:uuid:nothing", c.regulator).status == 404);
  CHECK(portal.Get("/epcis/events?EQ_bizStep=receiving", c.regulator).status == 413);  // too broad
  CHECK(portal.Get("/epcis/events?MATCH_epcClass=" + c.Class("B1"), c.vendor).status == 403);

  // Capturing the export records nothing new.
  auto exported = portal.Get("/api/v1/export/epcis?gtin=" + c.gtin + "&lot=B1", c.regulator);
  REQUIRE(exported.status == 200);
  REQUIRE(exported.body["epcisBody"]["eventList"].size() == 7);
  auto again = c.Capture(c.wholesaler, exported.text);
  INFO(again.text);
  CHECK(Statuses(again.body) == std::vector<std::string>(7, "DUPLICATE"));
  CHECK(portal.Get("/epcis/events?MATCH_epcClass=" + c.Class("B1"), c.regulator)
            .body["epcisBody"]["queryResults"]["resultsBody"]["eventList"].size() == 7);

  // The FSMA 204 spreadsheet has the ship-from and ship-to GLNs and the lot code's source.
  auto csv = portal.Get("/api/v1/export/fsma204.csv?gtin=" + c.gtin + "&lot=B1", c.regulator);
  INFO(csv.text);
  REQUIRE(csv.status == 200);
  std::istringstream lines(csv.text);
  std::vector<std::string> rows;
  for (std::string line; std::getline(lines, line);) rows.push_back(line);
  CHECK(rows[0].find(",Ship-From GLN,Ship-To Location,Ship-To GLN,Traceability Lot Code Source GLN,Product GTIN") !=
        std::string::npos);
  CHECK(rows[1].find(",Initial Packing,") != std::string::npos);
  bool w_to_v = false;
  for (const auto& row : rows) {
    if (row.find(",Shipping,") != std::string::npos && row.find(std::string(",") + kGlnW + ",") != std::string::npos &&
        row.find(std::string(",") + kGlnV + ",") != std::string::npos && row.find(std::string(",") + kGlnP + ",") != std::string::npos) {
      w_to_v = true;  // ship-from W1, ship-to V1, lot code assigned at P1
    }
  }
  CHECK(w_to_v);
  auto by_product = portal.Get("/api/v1/export/fsma204.csv?gtin=" + c.gtin + "&from=" + Today().AddDays(-3).ToString() +
                                   "&to=" + Today().AddDays(1).ToString(), c.regulator);
  REQUIRE(by_product.status == 200);
  CHECK(by_product.text.find("C1,") != std::string::npos);  // every lot of the product
  auto none = portal.Get("/api/v1/export/fsma204.csv?gtin=" + c.gtin + "&from=2020-01-01&to=2020-01-31", c.regulator);
  CHECK(std::count(none.text.begin(), none.text.end(), '\n') == 1);  // the header only
}

TEST_CASE("hostile EPCIS documents get EPCIS errors and the portal keeps serving", "[portal][epcis]") {
  Portal portal;
  Chain c(portal);
  auto too_big = c.Capture(c.wholesaler, std::string(5 << 20, ' '));
  INFO(too_big.text);
  CHECK(too_big.status == 413);
  CHECK(too_big.body["type"] == "epcisException:CaptureLimitExceededException");
  auto not_json = c.Capture(c.wholesaler, "{\"type\": \"EPCISDocument\", ");
  CHECK(not_json.status == 400);
  CHECK(not_json.body["error"]["code"] == "EPCIS_JSON");
  auto deep = c.Capture(c.wholesaler, std::string(100000, '[') + std::string(100000, ']'));
  CHECK(deep.status == 400);
  json bad_gtin = c.Object("urn:uuid:bad-gtin", "receiving", "OBSERVE", kGlnW, "B1", 1);
  bad_gtin["quantityList"][0]["epcClass"] = "https://id.gs1.org/01/06901234567893/10/B1";
  auto gtin = c.Capture(c.wholesaler, Chain::Doc({bad_gtin}));
  INFO(gtin.text);
  REQUIRE(gtin.status == 202);
  CHECK(gtin.body["events"][0]["code"] == "GTIN_CHECK_DIGIT");
  CHECK(c.Capture("", Chain::Doc({})).status == 401);
  CHECK(portal.Get("/healthz").status == 200);
}

TEST_CASE("the portal stores a typed decimal quantity exactly and refuses one that is not exact", "[portal][units]") {
  Portal portal;
  Chain c(portal);
  v1::LotRef ref = Lot(c.gtin, "K1", Today().AddDays(30).ToString());
  ref.set_produced_on(Today().AddDays(-1).ToString());
  json good = json::parse(ToJson(Entry(v1::LedgerEntry::RECEIVE, "kg-1", ref, 0, "", Today().ToString()).entry()));
  good["quantity"] = "15.5";
  good["unit"] = "KGM";
  json odd = good;
  odd["event_id"] = "pc-1";
  odd["quantity"] = 1.5;
  odd["unit"] = "H87";
  auto a = portal.Post("/api/v1/entries", json{{"entries", {good, odd}}}.dump(), c.vendor);
  INFO(a.text);
  REQUIRE(a.status == 200);
  CHECK(a.body["results"][0]["status"] == "ACCEPTED");
  CHECK(a.body["results"][1]["status"] == "REJECTED");
  CHECK(a.body["results"][1]["code"] == "QUANTITY_NOT_EXACT");
  CHECK(a.body["results"][1]["id"] == "pc-1");
  auto stock = portal.Get("/api/v1/vendor/stock", c.vendor);
  REQUIRE(stock.body["holdings"].size() == 1);
  CHECK(stock.body["holdings"][0]["quantity"] == "15500");  // int64 in Protobuf JSON
  CHECK(stock.body["holdings"][0]["unit"] == "GRM");
}

TEST_CASE("a regulator registers a product with its pack, and vendors count in that pack", "[portal][products]") {
  Portal portal;
  Chain c(portal);
  json product{{"gtin", c.gtin}, {"name", "纯牛奶"}, {"specification", "250ml"}, {"shelf_life_days", 180},
               {"packs", {{{"name", "箱"}, {"quantity", 24}, {"unit", "H87"}}}}, {"piece_quantity", 0.25}, {"piece_unit", "LTR"}};
  auto reg = portal.Post("/api/v1/products", product.dump(), c.regulator);
  INFO(reg.text);
  REQUIRE(reg.status == 200);
  CHECK(reg.body["results"][0]["status"] == "ACCEPTED");
  CHECK(portal.Post("/api/v1/products", product.dump(), c.vendor).status == 403);
  auto one = portal.Get("/api/v1/products/" + c.gtin);
  REQUIRE(one.status == 200);
  CHECK(one.body["piece_quantity"] == "250");
  CHECK(one.body["piece_unit"] == "MLT");
  auto list = portal.Get("/api/v1/products", c.vendor);
  CHECK(list.body["products"].size() == 1);
  json entry{{"event_id", "box-1"}, {"kind", "RECEIVE"}, {"occurred_on", Today().ToString()},
             {"lot", {{"gtin", c.gtin}, {"lot", "X1"}, {"produced_on", Today().AddDays(-1).ToString()}}},
             {"pack", "箱"}, {"pack_count", 2}, {"counterparty", {{"party_id", "W1"}}}};
  auto rec = portal.Post("/api/v1/entries", entry.dump(), c.vendor);
  INFO(rec.text);
  REQUIRE(rec.status == 200);
  CHECK(rec.body["results"][0]["status"] == "ACCEPTED");
  auto stock = portal.Get("/api/v1/vendor/stock", c.vendor);
  CHECK(stock.body["holdings"][0]["quantity"] == "48");
  CHECK(stock.body["holdings"][0]["product_name"] == "纯牛奶");  // from the registry
}
