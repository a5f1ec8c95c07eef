// One EPCIS event → one LedgerEntry. The members read and the ledger fields they fill are the
// table of docs/epcis.md; anything else an event carries is accepted and not stored.
#include "ingest/epcis/capture_event.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include "foodtrace/common/crypto.h"
#include "foodtrace/common/quantity.h"
#include "foodtrace/common/text.h"

namespace foodtrace::epcis {
namespace {

using E = v1::LedgerEntry;

// An error with the member it concerns.
struct Problem {
  std::string where;
  Status status;
};
using Checked = std::optional<Problem>;

Problem Bad(std::string where, std::string reason, std::string message) {
  return Problem{std::move(where), Status::Invalid(std::move(reason), std::move(message))};
}
Problem From(std::string where, const Status& s) { return Problem{std::move(where), s}; }

// Member `name` of `ev` as a string (absent → nullopt). Wrong type or length is a problem.
Checked OptionalString(const json& ev, const std::string& name, std::string* out, bool* present) {
  *present = false;
  auto it = ev.find(name);
  if (it == ev.end()) return std::nullopt;
  if (!it->is_string()) return Bad(name, "EPCIS_MEMBER_TYPE", "\"" + name + "\" must be a string");
  *out = it->get<std::string>();
  if (out->size() > kUriBytesMax || !IsValidUtf8(*out)) {
    return Bad(name, "EPCIS_MEMBER_TYPE", "\"" + name + "\" must be UTF-8 text of at most " + std::to_string(kUriBytesMax) + " bytes");
  }
  *present = true;
  return std::nullopt;
}

Checked RequiredString(const json& ev, const std::string& name, std::string* out) {
  bool present = false;
  if (auto p = OptionalString(ev, name, out, &present)) return p;
  if (!present) return Bad(name, "EPCIS_MEMBER_MISSING", "\"" + name + "\" is required");
  return std::nullopt;
}

// Member `name` as an array of at most kEventListItemsMax elements (absent → empty).
Checked OptionalArray(const json& ev, const std::string& name, const json** out) {
  static const json kEmpty = json::array();
  *out = &kEmpty;
  auto it = ev.find(name);
  if (it == ev.end()) return std::nullopt;
  if (!it->is_array()) return Bad(name, "EPCIS_MEMBER_TYPE", "\"" + name + "\" must be an array");
  if (it->size() > kEventListItemsMax) {
    return Problem{name, Status::Exhausted("EPCIS_LIST_TOO_LONG", "\"" + name + "\" has " + std::to_string(it->size()) +
                                                                    " elements; the limit is " + std::to_string(kEventListItemsMax))};
  }
  *out = &*it;
  return std::nullopt;
}

// One lot's quantity accumulated from quantity elements and EPCs (in one base unit).
struct LotAmount {
  LotId lot;
  Quantity quantity;  // base unit (GRM, MLT, H87)
};
using LotAmounts = std::vector<LotAmount>;

Checked AddAmount(LotAmounts* lots, const LotId& lot, const Quantity& q, const std::string& where) {
  const UnitBase base = BaseUnit(q.unit);
  const Quantity in_base{q.amount * base.factor, std::string(base.unit)};
  for (LotAmount& a : *lots) {
    if (a.lot.gtin != lot.gtin || a.lot.product_code != lot.product_code || a.lot.lot != lot.lot) continue;
    if (a.quantity.unit != in_base.unit) {
      return Bad(where, "EPCIS_UNITS_MIXED", "lot " + lot.lot + " is counted in " + a.quantity.unit + " and in " +
                                                 in_base.unit + " in one event: use one kind of unit per lot");
    }
    a.quantity.amount += in_base.amount;
    return std::nullopt;
  }
  lots->push_back({lot, in_base});
  return std::nullopt;
}

// A quantityList (or childQuantityList …) and an EPC list → amounts per lot.
Checked ReadQuantities(const json& ev, const std::string& list_name, const std::string& epcs_name, LotAmounts* lots) {
  const json* list = nullptr;
  if (auto p = OptionalArray(ev, list_name, &list)) return p;
  for (std::size_t i = 0; i < list->size(); ++i) {
    const json& q = (*list)[i];
    const std::string where = list_name + "[" + std::to_string(i) + "]";
    if (!q.is_object()) return Bad(where, "EPCIS_MEMBER_TYPE", where + " must be an object with epcClass and quantity");
    std::string cls, uom;
    if (auto p = RequiredString(q, "epcClass", &cls)) return Problem{where + ".epcClass", p->status};
    bool has_uom = false;
    if (auto p = OptionalString(q, "uom", &uom, &has_uom)) return Problem{where + ".uom", p->status};
    auto lot = ParseLotEpc(cls);
    if (!lot.ok()) return From(where + ".epcClass", lot.status());
    auto amount = q.find("quantity");
    if (amount == q.end() || !amount->is_number() || amount->get<double>() < 0) {
      return Bad(where + ".quantity", "EPCIS_QUANTITY", where + ".quantity must be a number of 0 or more");
    }
    if (has_uom && BaseUnit(uom).factor == 0) {
      return Bad(where + ".uom", "QUANTITY_UNIT", "uom '" + uom.substr(0, 8) + "' is not recorded by foodtrace: send KGM, GRM, LTR or MLT, "
                                                   "or leave uom out for a count of pieces");
    }
    auto parsed = ParseQuantity(amount->dump(), has_uom ? uom : "H87");
    if (!parsed.ok()) return From(where + ".quantity", parsed.status());
    if (auto p = AddAmount(lots, *lot, *parsed, where)) return p;
  }
  if (epcs_name.empty()) return std::nullopt;
  const json* epcs = nullptr;
  if (auto p = OptionalArray(ev, epcs_name, &epcs)) return p;
  for (std::size_t i = 0; i < epcs->size(); ++i) {
    const std::string where = epcs_name + "[" + std::to_string(i) + "]";
    if (!(*epcs)[i].is_string()) return Bad(where, "EPCIS_MEMBER_TYPE", where + " must be an EPC URI string");
    auto lot = ParseLotEpc((*epcs)[i].get<std::string>());
    if (!lot.ok()) return From(where, lot.status());
    if (auto p = AddAmount(lots, *lot, Quantity{1, "H87"}, where)) return p;
  }
  return std::nullopt;
}

// The party or GLN of a location / party URI.
struct Place {
  std::string party_id;  // urn:foodtrace:party:<id> (an id, or "ext:<name>")
  std::string gln;
};
Checked ReadPlace(const std::string& uri, const std::string& where, Place* out) {
  if (auto party = ParsePartyUri(uri)) {
    out->party_id = *party;
    return std::nullopt;
  }
  auto gln = ParseLocationGln(uri);
  if (!gln.ok()) return From(where, gln.status());
  out->gln = *gln;
  return std::nullopt;
}

// The event's own location: bizLocation.id, else readPoint.id.
Checked ReadOwnLocation(const json& ev, Place* out) {
  for (const char* name : {"bizLocation", "readPoint"}) {
    auto it = ev.find(name);
    if (it == ev.end()) continue;
    std::string id;
    if (!it->is_object()) return Bad(name, "EPCIS_MEMBER_TYPE", std::string("\"") + name + "\" must be an object with \"id\"");
    if (auto p = RequiredString(*it, "id", &id)) return Problem{std::string(name) + ".id", p->status};
    return ReadPlace(id, std::string(name) + ".id", out);
  }
  return std::nullopt;
}

// The counterparty from sourceList (receiving) or destinationList (shipping): owning_party,
// else possessing_party, else location.
Checked ReadCounterparty(const json& ev, const std::string& list_name, const std::string& member, v1::Counterparty* out) {
  const json* list = nullptr;
  if (auto p = OptionalArray(ev, list_name, &list)) return p;
  int best_rank = 99;
  for (std::size_t i = 0; i < list->size(); ++i) {
    const std::string where = list_name + "[" + std::to_string(i) + "]";
    const json& e = (*list)[i];
    std::string type, value;
    if (!e.is_object()) return Bad(where, "EPCIS_MEMBER_TYPE", where + " must be an object with type and " + member);
    if (auto p = RequiredString(e, "type", &type)) return Problem{where + ".type", p->status};
    if (auto p = RequiredString(e, member, &value)) return Problem{where + "." + member, p->status};
    const std::string bare = BareCbvName(type);
    const std::string short_type = bare.rfind("https://ref.gs1.org/cbv/SDT-", 0) == 0 ? bare.substr(28) : bare;
    const int rank = short_type == "owning_party" ? 0 : short_type == "possessing_party" ? 1 : short_type == "location" ? 2 : 99;
    if (rank >= best_rank) continue;
    Place place;
    if (auto p = ReadPlace(value, where + "." + member, &place)) return p;
    best_rank = rank;
    out->Clear();
    if (place.party_id.rfind("ext:", 0) == 0) out->set_name(place.party_id.substr(4));
    else out->set_party_id(place.party_id);
    out->set_gln(place.gln);
  }
  // ft:counterparty: what an outside business's record needs (FSL 53: name, address, contact).
  auto ext = ev.find("ft:counterparty");
  if (ext == ev.end()) return std::nullopt;
  if (!ext->is_object()) return Bad("ft:counterparty", "EPCIS_MEMBER_TYPE", "\"ft:counterparty\" must be an object");
  const std::pair<const char*, std::string* (v1::Counterparty::*)()> fields[] = {
      {"name", &v1::Counterparty::mutable_name},       {"address", &v1::Counterparty::mutable_address},
      {"contact", &v1::Counterparty::mutable_contact}, {"licence", &v1::Counterparty::mutable_licence},
      {"uscc", &v1::Counterparty::mutable_uscc}};
  for (const auto& [name, field] : fields) {
    bool present = false;
    std::string value;
    if (auto p = OptionalString(*ext, name, &value, &present)) return Problem{std::string("ft:counterparty.") + name, p->status};
    if (present) *(out->*field)() = value;
  }
  return std::nullopt;
}

// What the lot's label says, from ilmd (CBV master data) and ft:product.
Checked ReadLotFacts(const json& ev, v1::LotRef* lot) {
  if (auto ilmd = ev.find("ilmd"); ilmd != ev.end()) {
    if (!ilmd->is_object()) return Bad("ilmd", "EPCIS_MEMBER_TYPE", "\"ilmd\" must be an object");
    const std::pair<const char*, bool> dates[] = {{"itemExpirationDate", true}, {"bestBeforeDate", true},
                                                  {"sellByDate", true},         {"productionDate", false}};
    for (const auto& [name, expiry] : dates) {
      for (const std::string& key : {std::string("cbvmda:") + name, std::string(name)}) {
        auto it = ilmd->find(key);
        if (it == ilmd->end()) continue;
        if (!it->is_string() || !Date::Parse(it->get<std::string>().substr(0, 10)).ok()) {
          return Bad("ilmd." + key, "INVALID_DATE", "ilmd " + key + " must be a date YYYY-MM-DD");
        }
        const std::string day = it->get<std::string>().substr(0, 10);
        if (expiry && lot->expires_on().empty()) lot->set_expires_on(day);
        if (!expiry) lot->set_produced_on(day);
      }
    }
  }
  auto product = ev.find("ft:product");
  if (product == ev.end()) return std::nullopt;
  if (!product->is_object()) return Bad("ft:product", "EPCIS_MEMBER_TYPE", "\"ft:product\" must be an object");
  const std::pair<const char*, std::string* (v1::LotRef::*)()> fields[] = {
      {"name", &v1::LotRef::mutable_product_name}, {"specification", &v1::LotRef::mutable_specification},
      {"category", &v1::LotRef::mutable_category}};
  for (const auto& [name, field] : fields) {
    bool present = false;
    std::string value;
    if (auto p = OptionalString(*product, name, &value, &present)) return Problem{std::string("ft:product.") + name, p->status};
    if (present) *(lot->*field)() = value;
  }
  if (auto it = product->find("shelfLifeDays"); it != product->end()) {
    if (!it->is_number_integer() || it->get<std::int64_t>() < 0 || it->get<std::int64_t>() > 100'000) {
      return Bad("ft:product.shelfLifeDays", "EPCIS_MEMBER_TYPE", "ft:product.shelfLifeDays must be a whole number of days");
    }
    lot->set_shelf_life_days(static_cast<std::int32_t>(it->get<std::int64_t>()));
  }
  if (auto it = product->find("farmProduce"); it != product->end() && it->is_boolean()) lot->set_farm_produce(it->get<bool>());
  if (auto it = product->find("noShelfLife"); it != product->end() && it->is_boolean()) lot->set_no_shelf_life(it->get<bool>());
  return std::nullopt;
}

void FillLot(const LotId& id, const v1::LotRef& facts, v1::LotRef* lot) {
  *lot = facts;
  lot->set_gtin(id.gtin);
  lot->set_product_code(id.product_code);
  lot->set_lot(id.lot);
}

// The ledger event id of an EPCIS event: foodtrace's own entry URIs map back onto their
// entry; an id the ledger accepts as it is stays; any other is hashed.
std::string EntryEventId(const std::string& epcis_id, v1::LedgerEntry* entry) {
  if (auto own = ParseEntryUri(epcis_id)) {
    entry->set_party_id(own->first);
    return own->second;
  }
  const bool plain = epcis_id.size() <= 64 && std::all_of(epcis_id.begin(), epcis_id.end(), [](char c) {
                       return std::isalnum(static_cast<unsigned char>(c)) || std::string_view("-_.:/#").find(c) != std::string_view::npos;
                     });
  if (plain) return epcis_id;
  return "epcis:" + HexEncode(Sha256(epcis_id).substr(0, 24));
}


// The single lot of an ObjectEvent and its quantity.
Checked OneLot(const LotAmounts& lots, LotAmount* out) {
  if (lots.empty()) {
    return Bad("quantityList", "EPCIS_NO_LOT", "the event names no lot: give a quantityList with the lot's class "
                                               "(urn:epc:class:lgtin:…) or an epcList of Digital Links with /10/<lot>");
  }
  if (lots.size() > 1) {
    return Bad("quantityList", "EPCIS_LOTS_MANY", "the event names " + std::to_string(lots.size()) +
                                                      " lots; a foodtrace ledger line holds one lot: send one event per lot");
  }
  *out = lots[0];
  return std::nullopt;
}

void SetLines(const LotAmounts& lots, const v1::LotRef& facts, google::protobuf::RepeatedPtrField<v1::TransformLine>* lines) {
  for (const LotAmount& a : lots) {
    v1::TransformLine* line = lines->Add();
    FillLot(a.lot, facts, line->mutable_lot());
    line->set_quantity(a.quantity.amount);
    line->set_unit(a.quantity.unit);
  }
}

// ObjectEvent: bizStep decides the entry kind (docs/epcis.md).
Checked MapObjectEvent(const json& ev, const std::string& biz_step, const std::string& action, const v1::LotRef& facts,
                       v1::LedgerEntry* entry) {
  LotAmounts lots;
  if (auto p = ReadQuantities(ev, "quantityList", "epcList", &lots)) return p;
  LotAmount lot;
  if (auto p = OneLot(lots, &lot)) return p;
  auto simple = [&](E::Kind kind) {
    entry->set_kind(kind);
    FillLot(lot.lot, facts, entry->mutable_lot());
    entry->set_quantity(lot.quantity.amount);
    entry->set_unit(lot.quantity.unit);
  };
  if (biz_step == "receiving" || biz_step == "accepting" || biz_step == "arriving") {
    simple(E::RECEIVE);
    return ReadCounterparty(ev, "sourceList", "source", entry->mutable_counterparty());
  }
  if (biz_step == "shipping" || biz_step == "departing") {
    simple(E::SHIP);
    return ReadCounterparty(ev, "destinationList", "destination", entry->mutable_counterparty());
  }
  if (biz_step == "retail_selling") {
    simple(E::SHIP);
    entry->set_to_consumers(true);
    return std::nullopt;
  }
  if (biz_step == "destroying") {
    simple(E::DISPOSE);
    std::string method = "销毁";
    bool present = false;
    if (auto p = OptionalString(ev, "ft:disposeMethod", &method, &present)) return p;
    entry->set_dispose_method(method);
    return std::nullopt;
  }
  if (biz_step == "cycle_counting" || biz_step == "stock_taking") {
    simple(E::STOCKTAKE);
    return std::nullopt;
  }
  if (biz_step == "commissioning" && action == "ADD") {
    // Initial packing (FSMA 204): lots come into being at a producer; nothing is consumed.
    entry->set_kind(E::TRANSFORM);
    SetLines(lots, facts, entry->mutable_outputs());
    return std::nullopt;
  }
  return Bad("bizStep", "EPCIS_NOT_RECORDED", "an ObjectEvent with bizStep '" + biz_step + "' (action " + action +
                                                  ") moves no goods in or out of a ledger: foodtrace records receiving, "
                                                  "accepting, arriving, shipping, departing, retail_selling, destroying, "
                                                  "cycle_counting, stock_taking and commissioning (ADD)");
}

Checked MapTransformation(const json& ev, const v1::LotRef& facts, v1::LedgerEntry* entry) {
  LotAmounts inputs, outputs;
  if (auto p = ReadQuantities(ev, "inputQuantityList", "inputEPCList", &inputs)) return p;
  if (auto p = ReadQuantities(ev, "outputQuantityList", "outputEPCList", &outputs)) return p;
  if (outputs.empty()) {
    return Bad("outputQuantityList", "EPCIS_NO_LOT", "a TransformationEvent needs its outputs: outputQuantityList or outputEPCList");
  }
  entry->set_kind(E::TRANSFORM);
  SetLines(inputs, v1::LotRef(), entry->mutable_inputs());
  SetLines(outputs, facts, entry->mutable_outputs());  // ilmd describes what was made
  return std::nullopt;
}

Checked MapAggregation(const json& ev, const std::string& action, v1::LedgerEntry* entry) {
  std::string parent;
  bool present = false;
  if (auto p = OptionalString(ev, "parentID", &parent, &present)) return p;
  if (!present) return Bad("parentID", "EPCIS_MEMBER_MISSING", "an AggregationEvent names its logistic unit in \"parentID\"");
  LotAmounts children;
  if (auto p = ReadQuantities(ev, "childQuantityList", "childEPCs", &children)) return p;
  if (children.empty()) {
    return Bad("childQuantityList", "EPCIS_NO_LOT", "an AggregationEvent needs its children: childQuantityList or childEPCs with lots");
  }
  entry->set_kind(E::AGGREGATE);
  entry->set_parent_id(parent);
  entry->set_epcis_action(action);
  SetLines(children, v1::LotRef(), entry->mutable_inputs());
  return std::nullopt;
}

Checked ReadDocuments(const json& ev, v1::LedgerEntry* entry) {
  const json* list = nullptr;
  if (auto p = OptionalArray(ev, "bizTransactionList", &list)) return p;
  for (std::size_t i = 0; i < list->size(); ++i) {
    const std::string where = "bizTransactionList[" + std::to_string(i) + "]";
    std::string value;
    if (!(*list)[i].is_object()) return Bad(where, "EPCIS_MEMBER_TYPE", where + " must be an object with bizTransaction");
    if (auto p = RequiredString((*list)[i], "bizTransaction", &value)) return Problem{where + ".bizTransaction", p->status};
    constexpr std::string_view kDocument = "urn:foodtrace:document:";
    if (value.rfind(kDocument, 0) == 0) {
      if (auto plain = EpcUnescape(std::string_view(value).substr(kDocument.size()))) value = *plain;
    }
    entry->add_documents(value);
  }
  return std::nullopt;
}

// The members every event type shares; fills the entry's time, place, id and documents.
Checked ReadCommon(const json& ev, const CaptureOptions& options, CapturedEvent* out, std::string* biz_step,
                   std::string* action, v1::LedgerEntry* entry) {
  bool present = false;
  std::string id, time_text, offset_text, value;
  if (auto p = OptionalString(ev, "eventID", &id, &present)) return p;
  if (present && id.find(':') == std::string::npos) {
    return Bad("eventID", "EPCIS_EVENT_ID", "eventID '" + id.substr(0, 80) + "' must be a URI, e.g. urn:uuid:…");
  }
  out->event_id = present ? id : EventHash(ev);
  if (auto p = RequiredString(ev, "eventTime", &time_text)) return p;
  auto at = ParseInstant(time_text);
  if (!at.ok()) return From("eventTime", at.status());
  if (auto p = RequiredString(ev, "eventTimeZoneOffset", &offset_text)) return p;
  auto offset = ParseOffset(offset_text);
  if (!offset.ok() || offset_text == "Z") {
    return Bad("eventTimeZoneOffset", "INVALID_TIME", "eventTimeZoneOffset '" + offset_text.substr(0, 20) + "' must be like +08:00");
  }
  if (ev.contains("errorDeclaration")) {
    return Bad("errorDeclaration", "EPCIS_NOT_RECORDED", "error declarations are not applied to the ledger: "
                                                         "record a correction (CORRECT entry) of the entry instead");
  }
  if (auto p = OptionalString(ev, "recordTime", &value, &present)) return p;
  if (present && !ParseInstant(value).ok()) return Bad("recordTime", "INVALID_TIME", "recordTime must be an RFC 3339 time with a zone");
  if (auto p = OptionalString(ev, "bizStep", &value, &present)) return p;
  if (present) {
    *biz_step = BareCbvName(value);
    if (!IsCbvBizStep(*biz_step) && biz_step->find(':') == std::string::npos) {
      return Bad("bizStep", "EPCIS_BIZSTEP_UNKNOWN", "bizStep '" + value.substr(0, 80) +
                                                         "' is not a CBV 2.0 business step (receiving, shipping, …) or a URI");
    }
  }
  if (auto p = OptionalString(ev, "disposition", &value, &present)) return p;
  if (present && !IsCbvDisposition(BareCbvName(value)) && value.find(':') == std::string::npos) {
    return Bad("disposition", "EPCIS_DISPOSITION_UNKNOWN", "disposition '" + value.substr(0, 80) +
                                                               "' is not a CBV 2.0 disposition (in_progress, in_transit, …) or a URI");
  }
  if (auto p = OptionalString(ev, "action", action, &present)) return p;
  if (present && *action != "ADD" && *action != "OBSERVE" && *action != "DELETE") {
    return Bad("action", "EPCIS_ACTION", "action '" + action->substr(0, 20) + "' must be ADD, OBSERVE or DELETE");
  }
  Place place;
  if (auto p = ReadOwnLocation(ev, &place)) return p;
  if (place.party_id.rfind("ext:", 0) == 0) {
    return Bad("bizLocation.id", "EPCIS_LOCATION", "the event's location is an outside business: a ledger belongs to a registered party");
  }
  entry->set_party_id(place.party_id);
  entry->set_location_gln(place.gln);
  entry->set_epcis_event_id(out->event_id);
  entry->set_event_id(EntryEventId(out->event_id, entry));
  if (!place.party_id.empty() && entry->party_id() != place.party_id) {
    return Bad("bizLocation.id", "EPCIS_LOCATION", "eventID names the ledger of '" + entry->party_id() +
                                                       "' but the location is '" + place.party_id + "'");
  }
  entry->set_occurred_at_ms(*at);
  entry->set_time_zone_offset(offset_text);
  entry->set_occurred_on(options.time_zone.DateAt(*at).ToString());
  return ReadDocuments(ev, entry);
}

}  // namespace

CapturedEvent ReadEvent(const json& ev, std::size_t index, const CaptureOptions& options) {
  CapturedEvent out;
  out.index = index;
  auto fail = [&out](const Problem& p) {
    out.status = p.status;
    out.where = p.where;
    return out;
  };
  if (!ev.is_object()) return fail(Bad("", "EPCIS_MEMBER_TYPE", "an event must be a JSON object"));
  std::string type;
  if (auto p = RequiredString(ev, "type", &type)) return fail(*p);
  out.type = type;
  static const std::set<std::string> kTypes = {"ObjectEvent", "AggregationEvent", "TransformationEvent",
                                               "AssociationEvent", "TransactionEvent"};
  if (!kTypes.count(type)) {
    return fail(Bad("type", "EPCIS_EVENT_TYPE", "type '" + type.substr(0, 40) + "' is not an EPCIS 2.0 event type "
                                                "(ObjectEvent, AggregationEvent, TransformationEvent, …)"));
  }
  v1::LedgerEntry entry;
  std::string biz_step, action;
  if (auto p = ReadCommon(ev, options, &out, &biz_step, &action, &entry)) return fail(*p);
  if ((type == "ObjectEvent" || type == "AggregationEvent") && action.empty()) {
    return fail(Bad("action", "EPCIS_MEMBER_MISSING", "an " + type + " needs \"action\": ADD, OBSERVE or DELETE"));
  }
  v1::LotRef facts;
  if (auto p = ReadLotFacts(ev, &facts)) return fail(*p);
  Checked mapped;
  if (type == "ObjectEvent") {
    if (biz_step.empty()) {
      return fail(Bad("bizStep", "EPCIS_BIZSTEP_MISSING", "an ObjectEvent needs a bizStep (receiving, shipping, destroying, …) "
                                                          "for foodtrace to know which ledger line it is"));
    }
    entry.set_epcis_action(action);
    mapped = MapObjectEvent(ev, biz_step, action, facts, &entry);
  } else if (type == "TransformationEvent") {
    mapped = MapTransformation(ev, facts, &entry);
  } else if (type == "AggregationEvent") {
    mapped = MapAggregation(ev, action, &entry);
  } else {
    mapped = Bad("type", "EPCIS_NOT_RECORDED", type + "s move no goods: foodtrace records ObjectEvents, "
                                               "TransformationEvents and AggregationEvents");
  }
  if (mapped) return fail(*mapped);
  out.entry = std::move(entry);
  return out;
}

}  // namespace foodtrace::epcis
