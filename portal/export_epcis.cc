// GS1 EPCIS 2.0 JSON-LD export of a lot's events (EPCIS 2.0 §8, CBV 2.0 vocabulary):
//   {"@context": [".../epcis-context.jsonld"], "type": "EPCISDocument", "schemaVersion": "2.0",
//    "creationDate": …, "epcisBody": {"eventList": [ObjectEvent | TransformationEvent …]}}
// RECEIVE → ObjectEvent bizStep receiving, SHIP → shipping, DISPOSE → destroying (action
// DELETE), STOCKTAKE → cycle_counting, TRANSFORM → TransformationEvent (bizStep commissioning).
// Quantities use class-level ids: urn:epc:class:lgtin:<company prefix>.<indicator+item ref>.<lot>
// with an assumed 7-digit GS1 company prefix (the ledger does not know prefix lengths), and
// urn:foodtrace:class:<product code>.<lot> for goods without a GTIN. Parties are
// urn:foodtrace:party:<id> (no GLNs are registered).
#include <cctype>
#include <cstdio>
#include <cstring>

#include "portal/api_util.h"
#include "portal/lot_events.h"
#include "portal/server.h"

namespace foodtrace::portal {
namespace {

constexpr int kCompanyPrefixDigits = 7;

// EPC pure-identity URIs allow only a restricted character set; escape the rest as %XX.
std::string EpcEscape(const std::string& s) {
  static const char* kSafe = "-_.!'()*+,:;=";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || std::strchr(kSafe, c) != nullptr) {
      out += static_cast<char>(c);
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      out += buf;
    }
  }
  return out;
}

std::string ClassId(const v1::LotRef& lot) {
  const std::string& g = lot.gtin();
  if (g.size() != 14) return "urn:foodtrace:class:" + EpcEscape(lot.product_code()) + "." + EpcEscape(lot.lot());
  return "urn:epc:class:lgtin:" + g.substr(1, kCompanyPrefixDigits) + "." + g.substr(0, 1) +
         g.substr(1 + kCompanyPrefixDigits, 12 - kCompanyPrefixDigits) + "." + EpcEscape(lot.lot());
}

json Quantity(const v1::LotRef& lot, std::int64_t quantity, const std::string& unit) {
  json q{{"epcClass", ClassId(lot)}, {"quantity", quantity}};
  if (unit != "H87") q["uom"] = unit;  // pieces are a plain count in EPCIS
  return q;
}

std::string PartyUrn(const std::string& id) { return "urn:foodtrace:party:" + EpcEscape(id); }

json EventJson(const ledger::LedgerLine& line) {
  const v1::LedgerEntry& e = line.event.entry();
  const std::string party = e.party_id().empty() ? line.event.recorded_by() : e.party_id();
  json ev{{"eventID", "urn:foodtrace:event:" + std::to_string(line.sequence)},
          {"eventTime", e.occurred_on() + "T00:00:00.000+08:00"},
          {"eventTimeZoneOffset", "+08:00"},
          {"recordTime", FormatInstant(line.event.recorded_at_ms())},
          {"readPoint", {{"id", PartyUrn(party)}}},
          {"bizLocation", {{"id", PartyUrn(party)}}}};
  json docs = json::array();
  for (const auto& d : e.documents()) docs.push_back({{"type", "urn:foodtrace:document"}, {"bizTransaction", d}});
  if (!docs.empty()) ev["bizTransactionList"] = std::move(docs);
  if (e.kind() == v1::LedgerEntry::TRANSFORM) {
    ev["type"] = "TransformationEvent";
    ev["bizStep"] = "commissioning";
    json in = json::array(), out = json::array();
    for (const auto& l : e.inputs()) in.push_back(Quantity(l.lot(), l.quantity(), l.unit()));
    for (const auto& l : e.outputs()) out.push_back(Quantity(l.lot(), l.quantity(), l.unit()));
    ev["inputQuantityList"] = std::move(in);
    ev["outputQuantityList"] = std::move(out);
    return ev;
  }
  ev["type"] = "ObjectEvent";
  ev["action"] = e.kind() == v1::LedgerEntry::DISPOSE ? "DELETE" : "OBSERVE";
  ev["quantityList"] = json::array({Quantity(e.lot(), e.quantity(), e.unit())});
  const std::string other = e.counterparty().party_id().empty() ? "ext:" + e.counterparty().name()
                                                                 : e.counterparty().party_id();
  switch (e.kind()) {
    case v1::LedgerEntry::RECEIVE:
      ev["bizStep"] = "receiving";
      ev["disposition"] = "in_progress";
      ev["sourceList"] = json::array({{{"type", "owning_party"}, {"source", PartyUrn(other)}}});
      ev["destinationList"] = json::array({{{"type", "owning_party"}, {"destination", PartyUrn(party)}}});
      break;
    case v1::LedgerEntry::SHIP:
      ev["bizStep"] = e.to_consumers() ? "retail_selling" : "shipping";
      ev["disposition"] = e.to_consumers() ? "retail_sold" : "in_transit";
      ev["sourceList"] = json::array({{{"type", "owning_party"}, {"source", PartyUrn(party)}}});
      if (!e.to_consumers()) {
        ev["destinationList"] = json::array({{{"type", "owning_party"}, {"destination", PartyUrn(other)}}});
      }
      break;
    case v1::LedgerEntry::DISPOSE:
      ev["bizStep"] = "destroying";
      ev["disposition"] = "destroyed";
      break;
    default:
      ev["bizStep"] = "cycle_counting";
      break;
  }
  return ev;
}

void Epcis(Context& ctx, Call& call) {
  auto params = LotParams(call.req);
  if (!params.ok()) return SendStatus(call.res, params.status());
  auto events = ReadLotEvents(ctx, params->first, params->second);
  if (!events.ok()) return SendStatus(call.res, events.status());
  json list = json::array();
  for (const auto& line : events->lines) {
    if (line.event.entry().kind() != v1::LedgerEntry::CORRECT) list.push_back(EventJson(line));
  }
  json doc{{"@context", json::array({"https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"})},
           {"type", "EPCISDocument"},
           {"schemaVersion", "2.0"},
           {"creationDate", FormatInstant(ctx.ledger->Now())},
           {"epcisBody", {{"eventList", std::move(list)}}}};
  if (events->truncated) call.res.set_header("X-Foodtrace-Truncated", "true");
  call.res.status = 200;
  call.res.set_header("Cache-Control", "no-store");
  call.res.set_content(doc.dump(-1, ' ', false, json::error_handler_t::replace), "application/ld+json");
}

}  // namespace

void AddEpcisExportRoute(Router& router) {
  router.Add("GET", "/api/v1/export/epcis", Access::kRegulator, Epcis);
}

void AddExportRoutes(Router& router) {
  AddFsmaExportRoute(router);
  AddEpcisExportRoute(router);
}

}  // namespace foodtrace::portal
