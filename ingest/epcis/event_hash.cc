// The EPCIS event hash (CBV 2.0 §8.9, EPCIS 2.0 §8.9.3): a pre-hash string of the event's
// members in a fixed order, values normalised, lists sorted, hashed with SHA-256 and written
// "ni:///sha-256;<hex>?ver=CBV2.0".
//
// Pre-hash string, concatenated without separators:
//   "eventType=" type, "eventTime=" UTC with milliseconds and Z, "eventTimeZoneOffset=" offset,
//   then, when present and in this order: epcList, parentID, inputEPCList, childEPCs,
//   quantityList, childQuantityList, inputQuantityList, outputEPCList, outputQuantityList,
//   action, transformationID, bizStep, disposition, readPoint, bizLocation, bizTransactionList,
//   sourceList, destinationList, ilmd.
//   EPC lists: name "epc=" canonical-URI for each EPC, sorted; quantity elements:
//   "quantityElement" "epcClass=" URI "quantity=" number "uom=" code, sorted; bizStep and
//   disposition as GS1 web vocabulary URIs; readPoint/bizLocation "id=" canonical URI; source,
//   destination and bizTransaction lists: "type=" URI value, sorted; ilmd: "key=value" sorted.
//   EPCs and locations are canonicalised to GS1 Digital Links on id.gs1.org where foodtrace
//   parses them (LGTIN, SGLN, PGLN, Digital Links); other URIs are used as sent.
// foodtrace hashes the standard members it reads; user extension members are not hashed, so an
// event differing from another only in an extension gets the same hash.
#include <algorithm>

#include "ingest/epcis/internal.h"
#include "foodtrace/common/crypto.h"
#include "foodtrace/common/text.h"

namespace foodtrace::epcis {
namespace {

std::string Text(const json& v) {
  if (v.is_string()) return std::string(TrimAscii(v.get<std::string>()));
  return v.dump();
}

// A number without trailing zeros ("12.50" → "12.5", "3.0" → "3").
std::string Number(const json& v) {
  std::string s = v.dump();
  if (s.find('.') != std::string::npos && s.find('e') == std::string::npos) {
    while (!s.empty() && s.back() == '0') s.pop_back();
    if (!s.empty() && s.back() == '.') s.pop_back();
  }
  return s;
}

std::string Sorted(std::vector<std::string> parts) {
  std::sort(parts.begin(), parts.end());
  std::string out;
  for (const auto& p : parts) out += p;
  return out;
}

std::string EpcList(const json& ev, const char* name) {
  auto it = ev.find(name);
  if (it == ev.end() || !it->is_array()) return "";
  std::vector<std::string> parts;
  for (const json& e : *it) parts.push_back("epc=" + CanonicalEpc(Text(e)));
  return std::string(name) + Sorted(std::move(parts));
}

std::string QuantityList(const json& ev, const char* name) {
  auto it = ev.find(name);
  if (it == ev.end() || !it->is_array()) return "";
  std::vector<std::string> parts;
  for (const json& q : *it) {
    if (!q.is_object()) continue;
    std::string part = "quantityElement";
    if (q.contains("epcClass")) part += "epcClass=" + CanonicalEpc(Text(q["epcClass"]));
    if (q.contains("quantity")) part += "quantity=" + Number(q["quantity"]);
    if (q.contains("uom")) part += "uom=" + Text(q["uom"]);
    parts.push_back(std::move(part));
  }
  return std::string(name) + Sorted(std::move(parts));
}

std::string Plain(const json& ev, const char* name) {
  auto it = ev.find(name);
  if (it == ev.end()) return "";
  return std::string(name) + "=" + Text(*it);
}

std::string Place(const json& ev, const char* name) {
  auto it = ev.find(name);
  if (it == ev.end() || !it->is_object() || !it->contains("id")) return "";
  return std::string(name) + "id=" + CanonicalEpc(Text((*it)["id"]));
}

std::string TypedList(const json& ev, const char* name, const char* member) {
  auto it = ev.find(name);
  if (it == ev.end() || !it->is_array()) return "";
  std::vector<std::string> parts;
  for (const json& e : *it) {
    if (!e.is_object()) continue;
    std::string part;
    if (e.contains("type")) part += "type=" + Text(e["type"]);
    if (e.contains(member)) part += std::string(member) + "=" + CanonicalEpc(Text(e[member]));
    parts.push_back(std::move(part));
  }
  return std::string(name) + Sorted(std::move(parts));
}

std::string Ilmd(const json& ev) {
  auto it = ev.find("ilmd");
  if (it == ev.end() || !it->is_object()) return "";
  std::vector<std::string> parts;
  for (auto m = it->begin(); m != it->end(); ++m) parts.push_back(m.key() + "=" + Text(m.value()));
  return "ilmd" + Sorted(std::move(parts));
}

std::string BizStepCanon(std::string_view v) { return BizStepUri(BareCbvName(v)); }
std::string DispositionCanon(std::string_view v) { return DispositionUri(BareCbvName(v)); }

}  // namespace

std::string EventHash(const json& ev) {
  std::string pre = "eventType=" + (ev.contains("type") ? Text(ev["type"]) : "");
  if (auto t = ev.find("eventTime"); t != ev.end() && t->is_string()) {
    auto at = ParseInstant(t->get<std::string>());
    pre += "eventTime=" + (at.ok() ? FormatUtc(*at) : t->get<std::string>());
  }
  if (ev.contains("eventTimeZoneOffset")) pre += "eventTimeZoneOffset=" + Text(ev["eventTimeZoneOffset"]);
  pre += EpcList(ev, "epcList");
  pre += Plain(ev, "parentID");
  pre += EpcList(ev, "inputEPCList");
  pre += EpcList(ev, "childEPCs");
  pre += QuantityList(ev, "quantityList");
  pre += QuantityList(ev, "childQuantityList");
  pre += QuantityList(ev, "inputQuantityList");
  pre += EpcList(ev, "outputEPCList");
  pre += QuantityList(ev, "outputQuantityList");
  pre += Plain(ev, "action");
  pre += Plain(ev, "transformationID");
  if (ev.contains("bizStep")) pre += "bizStep=" + BizStepCanon(Text(ev["bizStep"]));
  if (ev.contains("disposition")) pre += "disposition=" + DispositionCanon(Text(ev["disposition"]));
  pre += Place(ev, "readPoint");
  pre += Place(ev, "bizLocation");
  pre += TypedList(ev, "bizTransactionList", "bizTransaction");
  pre += TypedList(ev, "sourceList", "source");
  pre += TypedList(ev, "destinationList", "destination");
  pre += Ilmd(ev);
  return "ni:///sha-256;" + HexEncode(Sha256(pre)) + "?ver=CBV2.0";
}

}  // namespace foodtrace::epcis
