// FDA FSMA 204 sortable spreadsheet (CSV, UTF-8): one row per Critical Tracking Event of the
// lots asked for (a lot and the lots made from it, or every lot of a product), optionally
// within a date range — what FDA asks a firm to hand over within 24 hours (21 CFR 1.1455).
// A TRANSFORM gives one row per input and per output line; a TRANSFORM without inputs is
// Initial Packing; AGGREGATE entries (packing into a logistic unit) move nothing and give no row.
// Columns (the Key Data Elements of 21 CFR 1.1325–1.1350; docs/api.md lists them):
//   Traceability Lot Code, Product Description, Quantity, Unit of Measure, Location Description,
//   Location ID, Event Type, Event Date, Reference Document Type, Reference Document Number,
//   Traceability Lot Code Source, Record Sequence, Location GLN, Ship-From Location,
//   Ship-From GLN, Ship-To Location, Ship-To GLN, Traceability Lot Code Source GLN, Product GTIN
#include <cctype>
#include <map>

#include "portal/api_util.h"
#include "portal/limits.h"
#include "portal/lot_events.h"
#include "portal/server.h"

namespace foodtrace::portal {
namespace {

constexpr std::size_t kExportLotsMax = 1000;  // lots of one product in a product-wide export

std::string Csv(const std::string& field) {
  if (field.find_first_of(",\"\r\n") == std::string::npos) return field;
  std::string out = "\"";
  for (char c : field) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

const char* EventType(const v1::LedgerEntry& e) {
  switch (e.kind()) {
    case v1::LedgerEntry::RECEIVE: return "Receiving";
    case v1::LedgerEntry::SHIP: return "Shipping";
    case v1::LedgerEntry::TRANSFORM: return e.inputs().empty() ? "Initial Packing" : "Transformation";
    case v1::LedgerEntry::DISPOSE: return "Disposal";
    case v1::LedgerEntry::STOCKTAKE: return "Stocktake";
    default: return "Correction";
  }
}

// A place as FSMA describes it: the business's name, address and phone; and its GLN.
struct Place {
  std::string description;
  std::string gln;
};

// Party lookups for one export (each party read once).
class Places {
 public:
  explicit Places(const Context& ctx) : ctx_(ctx) {}
  std::string Name(const std::string& party_id) {
    auto it = names_.find(party_id);
    if (it == names_.end()) it = names_.emplace(party_id, PartyName(ctx_, party_id)).first;
    return it->second;
  }
  Place OfParty(const std::string& party_id, const std::string& location_gln = "") {
    auto it = parties_.find(party_id);
    if (it == parties_.end()) {
      Place p{PartyName(ctx_, party_id), ""};
      if (auto party = ctx_.ledger->GetParty(party_id); party.ok()) {
        p.description = Join(party->name(), party->address(), party->contact());
        if (!party->glns().empty()) p.gln = party->glns(0);
      }
      it = parties_.emplace(party_id, p).first;
    }
    Place out = it->second;
    if (!location_gln.empty()) out.gln = location_gln;
    return out;
  }
  Place OfCounterparty(const v1::Counterparty& c) {
    if (!c.party_id().empty()) return OfParty(c.party_id(), c.gln());
    return Place{Join(c.name(), c.address(), c.contact()), c.gln()};
  }

 private:
  static std::string Join(const std::string& a, const std::string& b, const std::string& c) {
    std::string out = a;
    for (const std::string* s : {&b, &c}) {
      if (!s->empty()) out += (out.empty() ? "" : "; ") + *s;
    }
    return out;
  }
  const Context& ctx_;
  std::map<std::string, Place> parties_;
  std::map<std::string, std::string> names_;
};

std::string LotKey(const v1::LotRef& r) { return ledger::ProductKey(r) + "|" + r.lot(); }

// The place that assigned each lot's code: where it was made (TRANSFORM, initial packing),
// else the outside business it was first bought from, else its first recorder.
std::map<std::string, Place> LotSources(const std::vector<ledger::LedgerLine>& lines, const std::vector<v1::Lot>& lots,
                                        Places* places) {
  std::map<std::string, Place> out;
  for (const auto& line : lines) {  // in sequence order: the first creating record wins
    const v1::LedgerEntry& e = line.event.entry();
    const std::string party = e.party_id().empty() ? line.event.recorded_by() : e.party_id();
    if (e.kind() == v1::LedgerEntry::TRANSFORM) {
      for (const auto& o : e.outputs()) out.emplace(LotKey(o.lot()), places->OfParty(party, e.location_gln()));
    } else if (e.kind() == v1::LedgerEntry::RECEIVE && e.counterparty().party_id().empty()) {
      out.emplace(LotKey(e.lot()), places->OfCounterparty(e.counterparty()));
    }
  }
  for (const v1::Lot& lot : lots) out.emplace(LotKey(lot.ref()), places->OfParty(lot.first_recorded_by()));
  return out;
}

struct Row {
  const v1::LotRef* lot;
  std::int64_t quantity;
  const std::string* unit;
  std::string event_type;
};

void AppendRows(const ledger::LedgerLine& line, std::map<std::string, Place>& sources, Places* places, std::string* csv) {
  const v1::LedgerEntry& e = line.event.entry();
  if (e.kind() == v1::LedgerEntry::AGGREGATE) return;
  std::vector<Row> rows;
  if (e.kind() == v1::LedgerEntry::TRANSFORM) {
    for (const auto& in : e.inputs()) rows.push_back({&in.lot(), in.quantity(), &in.unit(), "Transformation (input)"});
    const std::string out_type = e.inputs().empty() ? "Initial Packing" : "Transformation (output)";
    for (const auto& o : e.outputs()) rows.push_back({&o.lot(), o.quantity(), &o.unit(), out_type});
  } else {
    rows.push_back({&e.lot(), e.quantity(), &e.unit(), EventType(e)});
  }
  std::string documents;
  for (const auto& d : e.documents()) documents += (documents.empty() ? "" : "; ") + d;
  const std::string party = e.party_id().empty() ? line.event.recorded_by() : e.party_id();
  const Place here = places->OfParty(party, e.location_gln());
  Place from, to;
  if (e.kind() == v1::LedgerEntry::RECEIVE) {
    from = places->OfCounterparty(e.counterparty());
    to = here;
  } else if (e.kind() == v1::LedgerEntry::SHIP) {
    from = here;
    to = e.to_consumers() ? Place{"consumers (retail sale)", ""} : places->OfCounterparty(e.counterparty());
  }
  for (const Row& r : rows) {
    const std::string description = r.lot->product_name() + (r.lot->specification().empty() ? "" : " " + r.lot->specification());
    const Place& source = sources[LotKey(*r.lot)];
    *csv += Csv(r.lot->lot()) + "," + Csv(description) + "," + std::to_string(r.quantity) + "," + Csv(*r.unit) + "," +
            Csv(places->Name(party)) + "," + Csv(party) + "," + Csv(r.event_type) + "," + Csv(e.occurred_on()) + "," +
            (documents.empty() ? "Ledger entry" : "Document") + "," + Csv(documents.empty() ? e.event_id() : documents) +
            "," + Csv(source.description) + "," + std::to_string(line.sequence) + "," + Csv(here.gln) + "," +
            Csv(from.description) + "," + Csv(from.gln) + "," + Csv(to.description) + "," + Csv(to.gln) + "," +
            Csv(source.gln) + "," + Csv(r.lot->gtin()) + "\r\n";
  }
}

// The lines to export: one lot (and the lots made from it), or every lot of the product;
// entries dated within [from, to] when the range is given.
Result<LotEvents> ExportLines(const Context& ctx, const httplib::Request& req, std::string* name) {
  auto product = ProductParam(req);
  if (!product.ok()) return product.status();
  auto from = DateParam(req, "from", Date::FromYmd(kDateYearMin, 1, 1));
  if (!from.ok()) return from.status();
  auto to = DateParam(req, "to", Date::FromYmd(kDateYearMax, 12, 31));
  if (!to.ok()) return to.status();
  if (*to < *from) return Status::Invalid("BAD_PARAMETER", "'to' is before 'from'");
  LotEvents out;
  if (auto lot = Param(req, "lot"); lot && !lot->empty()) {
    auto events = ReadLotEvents(ctx, *product, *lot);
    if (!events.ok()) return events.status();
    out = std::move(*events);
    *name = *lot;
  } else {
    auto lots = ctx.ledger->ProductLots(*product, kExportLotsMax + 1);
    if (!lots.ok()) return lots.status();
    if (lots->empty()) return Status::NotFound("no lot of product " + *product + " is recorded");
    out.truncated = lots->size() > kExportLotsMax;
    std::map<std::uint64_t, ledger::LedgerLine> merged;
    for (std::size_t i = 0; i < lots->size() && i < kExportLotsMax && merged.size() < kExportRowsMax; ++i) {
      auto events = ReadLotEvents(ctx, *product, (*lots)[i].ref().lot());
      if (!events.ok()) return events.status();
      out.truncated = out.truncated || events->truncated;
      out.lots.insert(out.lots.end(), events->lots.begin(), events->lots.end());
      for (auto& l : events->lines) merged.emplace(l.sequence, std::move(l));
    }
    for (auto& [seq, line] : merged) out.lines.push_back(std::move(line));
    *name = product->rfind("C:", 0) == 0 ? product->substr(2) : *product;
  }
  std::vector<ledger::LedgerLine> kept;
  for (auto& line : out.lines) {
    auto on = Date::Parse(line.event.entry().occurred_on());
    if (!on.ok() || (*on >= *from && *on <= *to)) kept.push_back(std::move(line));
  }
  out.lines = std::move(kept);
  return out;
}

void Fsma204(Context& ctx, Call& call) {
  std::string name;
  auto events = ExportLines(ctx, call.req, &name);
  if (!events.ok()) return SendStatus(call.res, events.status());
  Places places(ctx);
  std::vector<v1::Lot> lots = events->lots;
  lots.push_back(events->lot);
  auto sources = LotSources(events->lines, lots, &places);
  std::string csv =
      "Traceability Lot Code,Product Description,Quantity,Unit of Measure,Location Description,Location ID,"
      "Event Type,Event Date,Reference Document Type,Reference Document Number,Traceability Lot Code Source,"
      "Record Sequence,Location GLN,Ship-From Location,Ship-From GLN,Ship-To Location,Ship-To GLN,"
      "Traceability Lot Code Source GLN,Product GTIN\r\n";
  for (const auto& line : events->lines) AppendRows(line, sources, &places, &csv);
  call.res.status = 200;
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.') c = '_';
  }
  call.res.set_header("Content-Disposition", "attachment; filename=\"fsma204-" + name + ".csv\"");
  if (events->truncated) call.res.set_header("X-Foodtrace-Truncated", "true");
  call.res.set_content(csv, "text/csv; charset=utf-8");
}

}  // namespace

void AddFsmaExportRoute(Router& router) {
  router.Add("GET", "/api/v1/export/fsma204.csv", Access::kRegulator, Fsma204);
}

}  // namespace foodtrace::portal
