// Ledger entries as EPCIS 2.0 events (docs/epcis.md "Export"), the documents that carry them,
// and the query filter over the same shapes, so a query answers exactly what an export shows.
#include <algorithm>
#include <cctype>

#include "ingest/epcis/internal.h"

namespace foodtrace::epcis {
namespace {

using E = v1::LedgerEntry;

constexpr char kContext[] = "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld";
constexpr std::string_view kDocumentPrefix = "urn:foodtrace:document:";

// What kind of EPCIS event an entry is.
struct Shape {
  std::string type;         // "" = no EPCIS form
  std::string biz_step;
  std::string disposition;  // "" = none
  std::string action;       // "" for TransformationEvent
};

Shape ShapeOf(const E& e) {
  switch (e.kind()) {
    case E::RECEIVE: return {"ObjectEvent", "receiving", "in_progress", "OBSERVE"};
    case E::SHIP:
      if (e.to_consumers()) return {"ObjectEvent", "retail_selling", "retail_sold", "OBSERVE"};
      return {"ObjectEvent", "shipping", "in_transit", "OBSERVE"};
    case E::DISPOSE: return {"ObjectEvent", "destroying", "destroyed", "DELETE"};
    case E::STOCKTAKE: return {"ObjectEvent", "cycle_counting", "", "OBSERVE"};
    case E::TRANSFORM:
      if (e.inputs().empty()) return {"ObjectEvent", "commissioning", "active", "ADD"};
      return {"TransformationEvent", "commissioning", "active", ""};
    case E::AGGREGATE: {
      const std::string action = e.epcis_action().empty() ? "ADD" : e.epcis_action();
      return {"AggregationEvent", action == "DELETE" ? "unpacking" : "packing", "", action};
    }
    default: return {};
  }
}

std::string PartyOf(const ledger::LedgerLine& line) {
  const E& e = line.event.entry();
  return e.party_id().empty() ? line.event.recorded_by() : e.party_id();
}

// A registered party as its main GLN's Digital Link, or urn:foodtrace:party:<id>.
std::string PlaceUri(const std::string& party_id, const ExportOptions& options) {
  if (options.glns_of) {
    const std::vector<std::string> glns = options.glns_of(party_id);
    if (!glns.empty()) return GlnUri(glns.front());
  }
  return PartyUri(party_id);
}

std::string CounterpartyUri(const v1::Counterparty& c, const ExportOptions& options) {
  if (!c.party_id().empty()) return PlaceUri(c.party_id(), options);
  if (!c.gln().empty()) return GlnUri(c.gln());
  return PartyUri("ext:" + c.name());
}

json QuantityJson(const v1::LotRef& lot, std::int64_t quantity, const std::string& unit) {
  json q{{"epcClass", LotClassUri(lot)}, {"quantity", quantity}};
  if (unit != "H87") q["uom"] = unit;  // pieces are a plain count in EPCIS
  return q;
}

json QuantityLines(const google::protobuf::RepeatedPtrField<v1::TransformLine>& lines) {
  json out = json::array();
  for (const auto& l : lines) out.push_back(QuantityJson(l.lot(), l.quantity(), l.unit()));
  return out;
}

bool LooksLikeUri(const std::string& s) {
  const std::size_t colon = s.find(':');
  if (colon == std::string::npos || colon == 0 || s.find(' ') != std::string::npos) return false;
  return std::all_of(s.begin(), s.begin() + static_cast<std::ptrdiff_t>(colon), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '-' || c == '.';
  });
}

void AddParties(const E& e, const std::string& party, const ExportOptions& options, json* ev) {
  const std::string self = PlaceUri(party, options);
  const bool outside = e.counterparty().party_id().empty() && !e.counterparty().name().empty();
  if (e.kind() == E::RECEIVE) {
    (*ev)["sourceList"] = json::array({{{"type", "owning_party"}, {"source", CounterpartyUri(e.counterparty(), options)}}});
    (*ev)["destinationList"] = json::array({{{"type", "owning_party"}, {"destination", self}}});
  } else if (e.kind() == E::SHIP) {
    (*ev)["sourceList"] = json::array({{{"type", "owning_party"}, {"source", self}}});
    if (!e.to_consumers() && (!e.counterparty().party_id().empty() || !e.counterparty().gln().empty() || outside)) {
      (*ev)["destinationList"] = json::array({{{"type", "owning_party"}, {"destination", CounterpartyUri(e.counterparty(), options)}}});
    }
  }
  if (outside && (e.kind() == E::RECEIVE || e.kind() == E::SHIP)) {
    json c{{"name", e.counterparty().name()}};
    if (!e.counterparty().address().empty()) c["address"] = e.counterparty().address();
    if (!e.counterparty().contact().empty()) c["contact"] = e.counterparty().contact();
    if (!e.counterparty().licence().empty()) c["licence"] = e.counterparty().licence();
    (*ev)["ft:counterparty"] = std::move(c);
  }
}

}  // namespace

UnixMillis EventTime(const E& entry, const TimeZone& zone) {
  if (entry.occurred_at_ms() > 0) return entry.occurred_at_ms();
  auto on = Date::Parse(entry.occurred_on());
  return on.ok() ? zone.StartOfDay(*on) : 0;
}

std::string EventId(const ledger::LedgerLine& line) {
  const E& e = line.event.entry();
  if (!e.epcis_event_id().empty()) return e.epcis_event_id();
  return EntryUri(PartyOf(line), e.event_id());
}

Result<ledger::LedgerLine> FindEvent(const ledger::Ledger& ledger, std::string_view event_id) {
  auto captured = ledger.FindEpcisEvent(event_id);
  if (captured.ok() || captured.status().code() != Code::kNotFound) return captured;
  if (auto own = ParseEntryUri(event_id)) {
    auto line = ledger.FindEntry(own->first, own->second);
    if (line.ok() && line->event.entry().epcis_event_id().empty()) return line;
  }
  return Status::NotFound("no event " + std::string(event_id.substr(0, 200)) + " is in the ledger");
}

std::optional<std::string> EventJson(const ledger::LedgerLine& line, const ExportOptions& options) {
  if (!line.event.has_entry()) return std::nullopt;
  const E& e = line.event.entry();
  const Shape shape = ShapeOf(e);
  if (shape.type.empty()) return std::nullopt;
  const std::string party = PartyOf(line);
  const UnixMillis at = EventTime(e, options.time_zone);
  auto offset = ParseOffset(e.time_zone_offset());
  // Records made here carry the market zone's offset at the event time.
  const int offset_minutes = !e.time_zone_offset().empty() && offset.ok() ? *offset : options.time_zone.OffsetMinutesAt(at);
  json ev{{"type", shape.type},
          {"eventID", EventId(line)},
          {"eventTime", FormatWithOffset(at, offset_minutes)},
          {"eventTimeZoneOffset", FormatOffset(offset_minutes)},
          {"recordTime", FormatUtc(line.event.recorded_at_ms())}};
  if (!shape.action.empty()) ev["action"] = shape.action;
  ev["bizStep"] = shape.biz_step;
  if (!shape.disposition.empty()) ev["disposition"] = shape.disposition;
  const std::string location = e.location_gln().empty() ? PlaceUri(party, options) : GlnUri(e.location_gln());
  ev["readPoint"] = {{"id", location}};
  ev["bizLocation"] = {{"id", location}};
  json docs = json::array();
  for (const auto& d : e.documents()) {
    const std::string uri = LooksLikeUri(d) ? d : std::string(kDocumentPrefix) + EpcEscape(d);
    docs.push_back({{"type", "urn:foodtrace:document"}, {"bizTransaction", uri}});
  }
  if (!docs.empty()) ev["bizTransactionList"] = std::move(docs);
  if (shape.type == "TransformationEvent") {
    ev["inputQuantityList"] = QuantityLines(e.inputs());
    ev["outputQuantityList"] = QuantityLines(e.outputs());
  } else if (shape.type == "AggregationEvent") {
    ev["parentID"] = e.parent_id();
    ev["childQuantityList"] = QuantityLines(e.inputs());
  } else if (e.kind() == E::TRANSFORM) {
    ev["quantityList"] = QuantityLines(e.outputs());  // initial packing: the lots made
    const v1::LotRef& first = e.outputs(0).lot();
    json ilmd = json::object();
    if (!first.expires_on().empty()) ilmd["cbvmda:itemExpirationDate"] = first.expires_on();
    if (!ilmd.empty()) ev["ilmd"] = std::move(ilmd);
  } else {
    ev["quantityList"] = json::array({QuantityJson(e.lot(), e.quantity(), e.unit())});
  }
  AddParties(e, party, options, &ev);
  return ev.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string DocumentJson(const std::vector<std::string>& events, UnixMillis created_at, bool query_document) {
  std::string list = "[";
  for (std::size_t i = 0; i < events.size(); ++i) list += (i ? "," : "") + events[i];
  list += "]";
  const std::string head = std::string("{\"@context\":[\"") + kContext + "\",{\"ft\":\"urn:foodtrace:epcis:\"}],\"type\":\"" +
                           (query_document ? "EPCISQueryDocument" : "EPCISDocument") +
                           "\",\"schemaVersion\":\"2.0\",\"creationDate\":\"" + FormatUtc(created_at) + "\",\"epcisBody\":";
  if (!query_document) return head + "{\"eventList\":" + list + "}}";
  return head + "{\"queryResults\":{\"queryName\":\"SimpleEventQuery\",\"resultsBody\":{\"eventList\":" + list + "}}}}";
}

bool Matches(const ledger::LedgerLine& line, const EventFilter& filter, const ExportOptions& options) {
  if (!line.event.has_entry()) return false;
  const E& e = line.event.entry();
  const Shape shape = ShapeOf(e);
  if (shape.type.empty()) return false;
  auto any = [](const std::vector<std::string>& wanted, const std::string& have) {
    return wanted.empty() || std::find(wanted.begin(), wanted.end(), have) != wanted.end();
  };
  std::vector<std::string> steps;
  for (const auto& s : filter.biz_steps) steps.push_back(BareCbvName(s));
  std::vector<std::string> dispositions;
  for (const auto& d : filter.dispositions) dispositions.push_back(BareCbvName(d));
  if (!any(filter.event_types, shape.type) || !any(steps, shape.biz_step) || !any(dispositions, shape.disposition)) return false;
  const UnixMillis at = EventTime(e, options.time_zone);
  if ((filter.ge_event_time && at < *filter.ge_event_time) || (filter.lt_event_time && at >= *filter.lt_event_time)) return false;
  const UnixMillis recorded = line.event.recorded_at_ms();
  if ((filter.ge_record_time && recorded < *filter.ge_record_time) || (filter.lt_record_time && recorded >= *filter.lt_record_time)) {
    return false;
  }
  if (!filter.biz_locations.empty()) {
    std::vector<std::string> glns;
    if (!e.location_gln().empty()) glns.push_back(e.location_gln());
    else if (options.glns_of) glns = options.glns_of(PartyOf(line));
    const bool hit = std::any_of(glns.begin(), glns.end(), [&](const std::string& g) {
      return std::find(filter.biz_locations.begin(), filter.biz_locations.end(), g) != filter.biz_locations.end();
    });
    if (!hit) return false;
  }
  if (filter.epc_classes.empty()) return true;
  auto named = [&](const v1::LotRef& r) {
    return std::any_of(filter.epc_classes.begin(), filter.epc_classes.end(), [&](const LotId& id) {
      return id.lot == r.lot() && id.gtin == r.gtin() && id.product_code == r.product_code();
    });
  };
  if (e.has_lot() && (e.kind() != E::TRANSFORM && e.kind() != E::AGGREGATE) && named(e.lot())) return true;
  for (const auto& l : e.inputs()) {
    if (named(l.lot())) return true;
  }
  for (const auto& l : e.outputs()) {
    if (named(l.lot())) return true;
  }
  return false;
}

}  // namespace foodtrace::epcis
