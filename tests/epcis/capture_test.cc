// Proves capture validates EPCIS 2.0 events in code with a reason per event and maps them to
// ledger entries (docs/epcis.md), that the event hash ignores member order, and that an
// exported entry maps back onto the same entry.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "foodtrace/common/identifiers.h"
#include "foodtrace/epcis/epcis.h"

using namespace foodtrace;
using nlohmann::json;
using E = v1::LedgerEntry;

namespace {

const std::string kGtin = "06901234567892";  // check digit 2
const std::string kClass = "urn:epc:class:lgtin:6901234.056789.B2026";

json Receiving() {
  return json{{"type", "ObjectEvent"},
              {"eventID", "urn:uuid:7d1c3c1e-2f6a-4c55-9d1e-000000000001"},
              {"eventTime", "2026-11-20T09:30:00.000+08:00"},
              {"eventTimeZoneOffset", "+08:00"},
              {"action", "OBSERVE"},
              {"bizStep", "receiving"},
              {"disposition", "in_progress"},
              {"bizLocation", {{"id", "https://id.gs1.org/414/6901234000016"}}},
              {"quantityList", {{{"epcClass", kClass}, {"quantity", 15.5}, {"uom", "KGM"}}}},
              {"sourceList", {{{"type", "owning_party"}, {"source", "urn:epc:id:sgln:0614141.00001.0"}}}},
              {"bizTransactionList", {{{"type", "cert"}, {"bizTransaction", "urn:foodtrace:document:%E5%90%88%E6%A0%BC%E8%AF%81-1"}}}},
              {"ilmd", {{"cbvmda:itemExpirationDate", "2027-01-31"}}}};
}

std::string Doc(const json& events) {
  return json{{"@context", {"https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"}},
              {"type", "EPCISDocument"},
              {"schemaVersion", "2.0"},
              {"creationDate", "2026-11-20T10:00:00Z"},
              {"epcisBody", {{"eventList", events}}}}
      .dump();
}

epcis::CaptureOptions Options() {
  epcis::CaptureOptions o;
  o.time_zone = TimeZone::Fixed(kChinaUtcOffsetMinutes, kDefaultTimeZone);
  return o;
}

epcis::CapturedEvent One(const json& event) {
  auto doc = epcis::ReadCaptureDocument(Doc(json::array({event})), Options());
  FT_CHECK(doc.ok() && doc->events.size() == 1);
  return doc->events[0];
}

}  // namespace

TEST_CASE("a receiving ObjectEvent becomes a RECEIVE with exact grams, GLNs, expiry and documents", "[epcis]") {
  const auto ev = One(Receiving());
  INFO(ev.status.ToString() << " at " << ev.where);
  REQUIRE(ev.status.ok());
  const E& e = *ev.entry;
  CHECK(e.kind() == E::RECEIVE);
  CHECK(e.epcis_event_id() == "urn:uuid:7d1c3c1e-2f6a-4c55-9d1e-000000000001");
  CHECK(e.event_id() == e.epcis_event_id());
  CHECK(e.lot().gtin() == kGtin);
  CHECK(e.lot().lot() == "B2026");
  CHECK(e.lot().expires_on() == "2027-01-31");
  CHECK(e.quantity() == 15500);
  CHECK(e.unit() == "GRM");
  CHECK(e.location_gln() == "6901234000016");
  CHECK(e.counterparty().gln() == "0614141000012");
  CHECK(e.occurred_on() == "2026-11-20");
  CHECK(e.time_zone_offset() == "+08:00");
  REQUIRE(e.documents_size() == 1);
  CHECK(e.documents(0) == "合格证-1");
}

TEST_CASE("each bad event gets its own reason and its neighbours are still mapped", "[epcis]") {
  json bad_step = Receiving();
  bad_step["eventID"] = "urn:uuid:bad-step";
  bad_step["bizStep"] = "teleporting";
  json bad_gtin = Receiving();
  bad_gtin["eventID"] = "urn:uuid:bad-gtin";
  bad_gtin["quantityList"][0]["epcClass"] = "https://id.gs1.org/01/06901234567893/10/B2026";
  json no_time = Receiving();
  no_time["eventID"] = "urn:uuid:no-time";
  no_time.erase("eventTime");
  json misspelt = Receiving();
  misspelt["eventID"] = "urn:uuid:misspelt";
  misspelt.erase("eventTime");
  misspelt["eventTme"] = "2026-11-20T09:30:00.000+08:00";
  json two_lots = Receiving();
  two_lots["eventID"] = "urn:uuid:two-lots";
  two_lots["quantityList"].push_back({{"epcClass", "urn:epc:class:lgtin:6901234.056789.B2027"}, {"quantity", 1}});
  json serial = Receiving();
  serial["eventID"] = "urn:uuid:serial";
  serial.erase("quantityList");
  serial["epcList"] = {"urn:epc:id:sgtin:6901234.056789.1001"};
  json pounds = Receiving();
  pounds["eventID"] = "urn:uuid:pounds";
  pounds["quantityList"][0]["uom"] = "LBR";
  auto doc = epcis::ReadCaptureDocument(Doc({Receiving(), bad_step, bad_gtin, no_time, misspelt, two_lots, serial, pounds}), Options());
  REQUIRE(doc.ok());
  REQUIRE(doc->events.size() == 8);
  CHECK(doc->events[0].status.ok());
  CHECK(doc->events[1].status.reason() == "EPCIS_BIZSTEP_UNKNOWN");
  CHECK(doc->events[1].where == "bizStep");
  CHECK(doc->events[2].status.reason() == "GTIN_CHECK_DIGIT");
  CHECK(doc->events[2].where == "quantityList[0].epcClass");
  CHECK(doc->events[3].status.reason() == "EPCIS_MEMBER_MISSING");
  CHECK(doc->events[3].where == "eventTime");
  CHECK(doc->events[4].status.reason() == "EPCIS_MEMBER_MISSING");  // a misspelt member is no eventTime
  CHECK(doc->events[5].status.reason() == "EPCIS_LOTS_MANY");
  CHECK(doc->events[6].status.reason() == "EPC_FORMAT");
  CHECK(doc->events[7].status.reason() == "QUANTITY_UNIT");
  for (std::size_t i = 1; i < 8; ++i) CHECK_FALSE(doc->events[i].entry.has_value());
}

TEST_CASE("a document that is not EPCIS JSON is refused as a whole with a clear reason", "[epcis]") {
  CHECK(epcis::ReadCaptureDocument("{\"type\": \"EPCISDocument\",", Options()).status().reason() == "EPCIS_JSON");
  CHECK(epcis::ReadCaptureDocument("[]", Options()).status().reason() == "EPCIS_DOCUMENT");
  CHECK(epcis::ReadCaptureDocument("{\"type\":\"EPCISDocument\"}", Options()).status().reason() == "EPCIS_DOCUMENT");
  CHECK(epcis::ReadCaptureDocument(std::string(100, '[') + std::string(100, ']'), Options()).status().reason() == "EPCIS_JSON");
  CHECK(epcis::ReadCaptureDocument(std::string(epcis::kDocumentBytesMax + 1, ' '), Options()).status().reason() ==
        "EPCIS_TOO_LARGE");
}

TEST_CASE("an event without eventID is named by its hash, whatever the order of its members", "[epcis]") {
  json a = Receiving();
  a.erase("eventID");
  json b = json::parse(R"({"eventTimeZoneOffset":"+08:00","type":"ObjectEvent","bizStep":"urn:epcglobal:cbv:bizstep:receiving",
    "action":"OBSERVE","eventTime":"2026-11-20T01:30:00Z"})");
  for (const char* k : {"disposition", "bizLocation", "quantityList", "sourceList", "bizTransactionList", "ilmd"}) b[k] = a[k];
  const auto ea = One(a), eb = One(b);
  REQUIRE(ea.status.ok());
  CHECK(ea.event_id.rfind("ni:///sha-256;", 0) == 0);
  CHECK(ea.event_id.size() == std::string("ni:///sha-256;").size() + 64 + std::string("?ver=CBV2.0").size());
  CHECK(ea.event_id == eb.event_id);
  json c = a;
  c["quantityList"][0]["quantity"] = 16;
  CHECK(One(c).event_id != ea.event_id);
  CHECK(ea.entry->event_id().rfind("epcis:", 0) == 0);  // the ledger id is derived from the hash
}

TEST_CASE("transformation, aggregation, commissioning and destroying events map to their entries", "[epcis]") {
  json t{{"type", "TransformationEvent"}, {"eventTime", "2026-11-20T09:30:00+08:00"}, {"eventTimeZoneOffset", "+08:00"},
         {"bizStep", "repackaging"},
         {"inputQuantityList", {{{"epcClass", kClass}, {"quantity", 10}, {"uom", "KGM"}}}},
         {"outputQuantityList", {{{"epcClass", "https://id.gs1.org/01/" + kGtin + "/10/R1"}, {"quantity", 20}}}},
         {"ft:product", {{"name", "切块牛肉"}, {"specification", "500g/盒"}}},
         {"ilmd", {{"cbvmda:itemExpirationDate", "2026-11-25"}}}};
  auto te = One(t);
  INFO(te.status.ToString());
  REQUIRE(te.status.ok());
  CHECK(te.entry->kind() == E::TRANSFORM);
  REQUIRE(te.entry->inputs_size() == 1);
  CHECK(te.entry->inputs(0).quantity() == 10000);  // stored in the base unit, exactly
  CHECK(te.entry->inputs(0).unit() == "GRM");
  CHECK(te.entry->outputs(0).lot().product_name() == "切块牛肉");
  CHECK(te.entry->outputs(0).lot().expires_on() == "2026-11-25");
  CHECK(te.entry->outputs(0).unit() == "H87");

  json a{{"type", "AggregationEvent"}, {"eventTime", "2026-11-20T09:30:00+08:00"}, {"eventTimeZoneOffset", "+08:00"},
         {"action", "ADD"}, {"bizStep", "packing"}, {"parentID", "urn:epc:id:sscc:0614141.1234567890"},
         {"childQuantityList", {{{"epcClass", kClass}, {"quantity", 24}}}}};
  auto ae = One(a);
  REQUIRE(ae.status.ok());
  CHECK(ae.entry->kind() == E::AGGREGATE);
  CHECK(ae.entry->parent_id() == "urn:epc:id:sscc:0614141.1234567890");
  a.erase("parentID");
  CHECK(One(a).status.reason() == "EPCIS_MEMBER_MISSING");

  json c = Receiving();
  c["bizStep"] = "commissioning";
  c["action"] = "ADD";
  auto ce = One(c);
  REQUIRE(ce.status.ok());
  CHECK(ce.entry->kind() == E::TRANSFORM);
  CHECK(ce.entry->inputs_size() == 0);
  CHECK(ce.entry->outputs_size() == 1);

  json d = Receiving();
  d["bizStep"] = "destroying";
  d["action"] = "DELETE";
  auto de = One(d);
  REQUIRE(de.status.ok());
  CHECK(de.entry->kind() == E::DISPOSE);
  CHECK(de.entry->dispose_method() == "销毁");
  json l = Receiving();
  l["bizStep"] = "loading";
  CHECK(One(l).status.reason() == "EPCIS_NOT_RECORDED");
}

TEST_CASE("an exported entry names itself so that capturing the export maps onto the same entry", "[epcis]") {
  ledger::LedgerLine line;
  line.sequence = 7;
  line.event.set_recorded_by("V1");
  line.event.set_recorded_at_ms(1'800'000'000'000);
  E* e = line.event.mutable_entry();
  e->set_event_id("rx-1");
  e->set_party_id("V1");
  e->set_kind(E::RECEIVE);
  e->set_occurred_on("2026-11-20");
  e->mutable_lot()->set_gtin(kGtin);
  e->mutable_lot()->set_lot("B2026");
  e->set_quantity(12);
  e->set_unit("H87");
  e->mutable_counterparty()->set_party_id("S1");
  e->add_documents("合格证 1");
  epcis::ExportOptions options;
  options.time_zone = TimeZone::Fixed(kChinaUtcOffsetMinutes, kDefaultTimeZone);
  options.glns_of = [](const std::string& id) {
    return id == "S1" ? std::vector<std::string>{"0614141000012"} : std::vector<std::string>{};
  };
  auto text = epcis::EventJson(line, options);
  REQUIRE(text);
  const json ev = json::parse(*text);
  CHECK(ev["eventID"] == "urn:foodtrace:entry:V1:rx-1");
  CHECK(ev["eventTime"] == "2026-11-20T00:00:00.000+08:00");
  CHECK(ev["eventTimeZoneOffset"] == "+08:00");
  CHECK(ev["sourceList"][0]["source"] == "https://id.gs1.org/414/0614141000012");
  CHECK(ev["bizLocation"]["id"] == "urn:foodtrace:party:V1");
  const auto back = One(ev);
  INFO(back.status.ToString() << " at " << back.where);
  REQUIRE(back.status.ok());
  CHECK(back.entry->party_id() == "V1");
  CHECK(back.entry->event_id() == "rx-1");
  CHECK(back.entry->counterparty().gln() == "0614141000012");
  CHECK(back.entry->documents(0) == "合格证 1");
  epcis::EventFilter f;
  f.biz_steps = {"urn:epcglobal:cbv:bizstep:receiving"};
  CHECK(epcis::Matches(line, f, options));
  f.biz_steps = {"shipping"};
  CHECK_FALSE(epcis::Matches(line, f, options));
  f.biz_steps.clear();
  f.epc_classes = {*epcis::ParseLotEpc(kClass)};
  CHECK(epcis::Matches(line, f, options));
  f.ge_event_time = 1'900'000'000'000;
  CHECK_FALSE(epcis::Matches(line, f, options));
}
