// FDA FSMA 204 sortable spreadsheet (CSV, UTF-8): one row per tracking event of a lot and of
// the lots made from it — a TRANSFORM gives one row per input and per output line.
// Columns (the Key Data Elements of 21 CFR 1.1325–1.1350):
//   Traceability Lot Code, Product Description, Quantity, Unit of Measure, Location Description,
//   Location ID, Event Type, Event Date, Reference Document Type, Reference Document Number,
//   Traceability Lot Code Source, Record Sequence
#include <cctype>

#include "portal/api_util.h"
#include "portal/lot_events.h"
#include "portal/server.h"

namespace foodtrace::portal {
namespace {

std::string Csv(const std::string& field) {
  if (field.find_first_of(",\"\r\n") == std::string::npos) return field;
  std::string out = "\"";
  for (char c : field) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

const char* EventType(v1::LedgerEntry::Kind kind) {
  switch (kind) {
    case v1::LedgerEntry::RECEIVE: return "Receiving";
    case v1::LedgerEntry::SHIP: return "Shipping";
    case v1::LedgerEntry::TRANSFORM: return "Transformation";
    case v1::LedgerEntry::DISPOSE: return "Disposal";
    case v1::LedgerEntry::STOCKTAKE: return "Stocktake";
    default: return "Correction";
  }
}

struct Row {
  const v1::LotRef* lot;
  std::int64_t quantity;
  const std::string* unit;
  std::string event_type;
};

void AppendRows(const Context& ctx, const ledger::LedgerLine& line, const std::string& source, std::string* csv) {
  const v1::LedgerEntry& e = line.event.entry();
  std::vector<Row> rows;
  if (e.kind() == v1::LedgerEntry::TRANSFORM) {
    for (const auto& in : e.inputs()) rows.push_back({&in.lot(), in.quantity(), &in.unit(), "Transformation (input)"});
    for (const auto& o : e.outputs()) rows.push_back({&o.lot(), o.quantity(), &o.unit(), "Transformation (output)"});
  } else {
    rows.push_back({&e.lot(), e.quantity(), &e.unit(), EventType(e.kind())});
  }
  std::string documents;
  for (const auto& d : e.documents()) documents += (documents.empty() ? "" : "; ") + d;
  const std::string party = e.party_id().empty() ? line.event.recorded_by() : e.party_id();
  for (const Row& r : rows) {
    const std::string description = r.lot->product_name() + (r.lot->specification().empty() ? "" : " " + r.lot->specification());
    *csv += Csv(r.lot->lot()) + "," + Csv(description) + "," + std::to_string(r.quantity) + "," + Csv(*r.unit) + "," +
            Csv(PartyName(ctx, party)) + "," + Csv(party) + "," + Csv(r.event_type) + "," + Csv(e.occurred_on()) + "," +
            (documents.empty() ? "Ledger entry" : "Document") + "," + Csv(documents.empty() ? e.event_id() : documents) +
            "," + Csv(source) + "," + std::to_string(line.sequence) + "\r\n";
  }
}

void Fsma204(Context& ctx, Call& call) {
  auto params = LotParams(call.req);
  if (!params.ok()) return SendStatus(call.res, params.status());
  auto events = ReadLotEvents(ctx, params->first, params->second);
  if (!events.ok()) return SendStatus(call.res, events.status());
  const std::string source = PartyName(ctx, events->lot.first_recorded_by());
  std::string csv =
      "Traceability Lot Code,Product Description,Quantity,Unit of Measure,Location Description,Location ID,"
      "Event Type,Event Date,Reference Document Type,Reference Document Number,Traceability Lot Code Source,"
      "Record Sequence\r\n";
  for (const auto& line : events->lines) AppendRows(ctx, line, source, &csv);
  call.res.status = 200;
  std::string name = params->second;
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
