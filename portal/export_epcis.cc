// GS1 EPCIS 2.0 views of the ledger: the regulator's lot export (EPCISDocument) and the EPCIS
// query interface (EPCISQueryDocument), both written by the epcis component's EventJson so a
// query and an export show one event the same way (docs/epcis.md):
//   GET /api/v1/export/epcis?gtin|product_code&lot      a lot and the lots made from it
//   GET /epcis/events?<SimpleEventQuery parameters>     the subset in docs/epcis.md
//   GET /epcis/events/{eventID}                         one event
#include <algorithm>
#include <map>
#include <set>

#include "foodtrace/epcis/epcis.h"
#include "portal/api_util.h"
#include "portal/limits.h"
#include "portal/lot_events.h"
#include "portal/server.h"

namespace foodtrace::portal {
namespace {

constexpr std::size_t kQueryValuesMax = 20;  // values of one list parameter ("a|b|c")

epcis::ExportOptions ExportOptionsFor(const Context& ctx) {
  epcis::ExportOptions options;
  options.time_zone = ctx.ledger->time_zone();
  auto cache = std::make_shared<std::map<std::string, std::vector<std::string>>>();
  const ledger::Ledger* ledger = ctx.ledger;
  options.glns_of = [cache, ledger](const std::string& party_id) {
    auto it = cache->find(party_id);
    if (it != cache->end()) return it->second;
    std::vector<std::string> glns;
    if (auto p = ledger->GetParty(party_id); p.ok()) glns.assign(p->glns().begin(), p->glns().end());
    return cache->emplace(party_id, std::move(glns)).first->second;
  };
  return options;
}

void SendEpcisJson(httplib::Response& res, int status, const std::string& body) {
  res.status = status;
  res.set_header("GS1-EPCIS-Version", "2.0.0");
  res.set_header("GS1-CBV-Version", "2.0.0");
  res.set_header("Cache-Control", "no-store");
  res.set_content(body, "application/ld+json");
}

void SendQueryProblem(httplib::Response& res, int status, std::string_view type, const std::string& code,
                      const std::string& message) {
  json p{{"type", "epcisException:" + std::string(type)},
         {"title", message},
         {"status", status},
         {"error", {{"code", code}, {"message", message}}}};
  res.status = status;
  res.set_header("GS1-EPCIS-Version", "2.0.0");
  res.set_content(p.dump(-1, ' ', false, json::error_handler_t::replace), "application/problem+json");
}

std::vector<std::string> EventTexts(const std::vector<ledger::LedgerLine>& lines, const epcis::ExportOptions& options) {
  std::vector<std::string> out;
  for (const auto& line : lines) {
    if (auto ev = epcis::EventJson(line, options)) out.push_back(std::move(*ev));
  }
  return out;
}

void Export(Context& ctx, Call& call) {
  auto params = LotParams(call.req);
  if (!params.ok()) return SendStatus(call.res, params.status());
  auto events = ReadLotEvents(ctx, params->first, params->second);
  if (!events.ok()) return SendStatus(call.res, events.status());
  const std::string doc = epcis::DocumentJson(EventTexts(events->lines, ExportOptionsFor(ctx)), ctx.ledger->Now(), false);
  if (events->truncated) call.res.set_header("X-Foodtrace-Truncated", "true");
  SendEpcisJson(call.res, 200, doc);
}

// ---- the query ---------------------------------------------------------------------------------

std::vector<std::string> Values(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t end = std::min(text.find('|', start), text.size());
    if (end > start) out.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

struct EventQuery {
  epcis::EventFilter filter;
  std::size_t per_page = kEpcisPerPageDefault;
  std::size_t offset = 0;
};

Status ParseTime(const std::string& name, std::string value, std::optional<UnixMillis>* out) {
  // A '+' of an offset sent unescaped arrives as a space (form decoding): read it back.
  for (char& c : value) {
    if (c == ' ') c = '+';
  }
  auto at = ParseLocalTime(value, TimeZone());
  if (!at.ok() || value.size() <= 10) {
    return Status::Invalid("BAD_PARAMETER", name + " must be an RFC 3339 time with a zone, e.g. 2026-12-01T00:00:00+08:00");
  }
  *out = *at;
  return Status::Ok();
}

Status ParseEventQuery(const httplib::Request& req, EventQuery* q) {
  for (const auto& [name, value] : req.params) {
    std::vector<std::string> values = Values(value);
    if (values.size() > kQueryValuesMax) {
      return Status::Exhausted("BAD_PARAMETER", name + " lists more than " + std::to_string(kQueryValuesMax) + " values");
    }
    auto& f = q->filter;
    if (name == "eventType") f.event_types.insert(f.event_types.end(), values.begin(), values.end());
    else if (name == "EQ_bizStep") f.biz_steps.insert(f.biz_steps.end(), values.begin(), values.end());
    else if (name == "EQ_disposition") f.dispositions.insert(f.dispositions.end(), values.begin(), values.end());
    else if (name == "MATCH_epcClass" || name == "MATCH_anyEPCClass" || name == "MATCH_epc" || name == "MATCH_anyEPC") {
      for (const auto& v : values) {
        auto lot = epcis::ParseLotEpc(v);
        if (!lot.ok()) return Status::Invalid(lot.status().reason(), name + ": " + lot.status().message());
        f.epc_classes.push_back(*lot);
      }
    } else if (name == "EQ_bizLocation" || name == "EQ_readPoint") {
      for (const auto& v : values) {
        auto gln = epcis::ParseLocationGln(v);
        if (!gln.ok() || gln->empty()) {
          return Status::Invalid(gln.ok() ? "BAD_PARAMETER" : gln.status().reason(),
                                 name + " must be a GLN location (https://id.gs1.org/414/<GLN> or urn:epc:id:sgln:…)");
        }
        f.biz_locations.push_back(*gln);
      }
    } else if (name == "GE_eventTime") FT_RETURN_IF_ERROR(ParseTime(name, value, &f.ge_event_time));
    else if (name == "LT_eventTime") FT_RETURN_IF_ERROR(ParseTime(name, value, &f.lt_event_time));
    else if (name == "GE_recordTime") FT_RETURN_IF_ERROR(ParseTime(name, value, &f.ge_record_time));
    else if (name == "LT_recordTime") FT_RETURN_IF_ERROR(ParseTime(name, value, &f.lt_record_time));
    else if (name == "perPage") {
      auto n = IntParam(req, "perPage", kEpcisPerPageDefault, 1, kPageSizeMax);
      if (!n.ok()) return n.status();
      q->per_page = static_cast<std::size_t>(*n);
    } else if (name == "nextPageToken") {
      auto n = IntParam(req, "nextPageToken", 0, 0, kExportRowsMax);
      if (!n.ok()) return n.status();
      q->offset = static_cast<std::size_t>(*n);
    } else if (name != "access_token") {
      return Status::Invalid("BAD_PARAMETER", "query parameter " + name.substr(0, 40) +
                                                  " is not supported: use eventType, EQ_bizStep, EQ_disposition, "
                                                  "MATCH_epcClass, MATCH_anyEPCClass, EQ_bizLocation, GE_eventTime, "
                                                  "LT_eventTime, GE_recordTime, LT_recordTime, perPage, nextPageToken");
    }
  }
  return Status::Ok();
}

// The ledger lines a query may match: the lots' events, the locations' ledgers, or every
// ledger within a bounded window. Sorted by sequence, each once.
Result<std::vector<ledger::LedgerLine>> Candidates(const Context& ctx, const epcis::EventFilter& f, bool* truncated) {
  std::map<std::uint64_t, ledger::LedgerLine> lines;
  auto keep = [&](std::vector<ledger::LedgerLine> more) {
    for (auto& l : more) {
      if (lines.size() >= kExportRowsMax) {
        *truncated = true;
        return;
      }
      lines.emplace(l.sequence, std::move(l));
    }
  };
  const Date today = ctx.Today();
  const TimeZone& zone = ctx.ledger->time_zone();
  Date from = f.ge_event_time ? zone.DateAt(*f.ge_event_time).AddDays(-1) : today.AddDays(-kLedgerPeriodDaysMax);
  Date to = f.lt_event_time ? zone.DateAt(*f.lt_event_time).AddDays(1) : today.AddDays(2);
  if (!f.epc_classes.empty()) {
    for (const auto& lot : f.epc_classes) {
      auto events = ReadLotEvents(ctx, ledger::ProductKey(lot.gtin, lot.product_code), lot.lot);
      if (!events.ok() && events.status().code() == Code::kNotFound) continue;
      if (!events.ok()) return events.status();
      *truncated = *truncated || events->truncated;
      keep(std::move(events->lines));
    }
  } else {
    std::vector<std::string> parties;
    if (!f.biz_locations.empty()) {
      for (const auto& gln : f.biz_locations) {
        if (auto p = ctx.ledger->FindPartyByGln(gln); p.ok()) parties.push_back(p->party_id());
      }
    } else {
      if (!f.ge_event_time || !f.lt_event_time || to - from > kEpcisQueryWindowDaysMax + 2) {
        return Status::Invalid("QUERY_TOO_BROAD", "name the lots (MATCH_epcClass) or locations (EQ_bizLocation), or give "
                                                  "GE_eventTime and LT_eventTime at most " +
                                                      std::to_string(kEpcisQueryWindowDaysMax) + " days apart");
      }
      for (const auto& p : ctx.ledger->ListParties()) parties.push_back(p.party_id());
    }
    for (const auto& party : parties) {
      auto ledger_lines = ctx.ledger->PartyLedger(party, from, to, kExportRowsMax);
      if (!ledger_lines.ok()) return ledger_lines.status();
      keep(std::move(*ledger_lines));
      if (*truncated) break;
    }
  }
  std::vector<ledger::LedgerLine> out;
  out.reserve(lines.size());
  for (auto& [seq, line] : lines) out.push_back(std::move(line));
  return out;
}

void Events(Context& ctx, Call& call) {
  EventQuery q;
  if (Status st = ParseEventQuery(call.req, &q); !st.ok()) {
    return SendQueryProblem(call.res, 400, "QueryParameterException", st.reason(), st.message());
  }
  bool truncated = false;
  auto lines = Candidates(ctx, q.filter, &truncated);
  if (!lines.ok()) {
    const bool broad = lines.status().reason() == "QUERY_TOO_BROAD";
    return SendQueryProblem(call.res, broad ? 413 : HttpStatusFor(lines.status()),
                            broad ? "QueryTooLargeException" : "ImplementationException", lines.status().reason(),
                            lines.status().message());
  }
  const epcis::ExportOptions options = ExportOptionsFor(ctx);
  std::vector<ledger::LedgerLine> matched;
  for (auto& line : *lines) {
    if (epcis::Matches(line, q.filter, options)) matched.push_back(std::move(line));
  }
  const std::size_t begin = std::min(q.offset, matched.size());
  const std::size_t end = std::min(begin + q.per_page, matched.size());
  std::vector<ledger::LedgerLine> page(std::make_move_iterator(matched.begin() + static_cast<std::ptrdiff_t>(begin)),
                                       std::make_move_iterator(matched.begin() + static_cast<std::ptrdiff_t>(end)));
  if (end < matched.size()) {
    // The next page: the same query with nextPageToken (EPCIS 2.0 REST binding, Link header).
    std::string target = call.req.path + "?";
    for (const auto& [name, value] : call.req.params) {
      if (name == "nextPageToken" || name == "access_token") continue;
      target += httplib::detail::encode_query_param(name) + "=" + httplib::detail::encode_query_param(value) + "&";
    }
    target += "nextPageToken=" + std::to_string(end);
    call.res.set_header("Link", "<" + target + ">; rel=\"next\"");
  }
  if (truncated) call.res.set_header("X-Foodtrace-Truncated", "true");
  SendEpcisJson(call.res, 200, epcis::DocumentJson(EventTexts(page, options), ctx.ledger->Now(), true));
}

void OneEvent(Context& ctx, Call& call) {
  auto line = epcis::FindEvent(*ctx.ledger, call.params.at(0));
  if (!line.ok()) {
    const bool missing = line.status().code() == Code::kNotFound;
    return SendQueryProblem(call.res, missing ? 404 : 500, missing ? "NoSuchResourceException" : "ImplementationException",
                            missing ? "NOT_FOUND" : line.status().reason(), line.status().message());
  }
  auto ev = epcis::EventJson(*line, ExportOptionsFor(ctx));
  if (!ev) {
    return SendQueryProblem(call.res, 404, "NoSuchResourceException", "NOT_FOUND",
                            "the record " + call.params.at(0).substr(0, 200) + " has no EPCIS form (a correction)");
  }
  SendEpcisJson(call.res, 200, epcis::DocumentJson({*ev}, ctx.ledger->Now(), true));
}

}  // namespace

void AddEpcisExportRoute(Router& router) {
  router.Add("GET", "/api/v1/export/epcis", Access::kRegulator, Export);
}

void AddExportRoutes(Router& router) {
  AddFsmaExportRoute(router);
  AddEpcisExportRoute(router);
}

void AddEpcisRoutes(Router& router) {
  AddEpcisCaptureRoutes(router);
  router.Add("GET", "/epcis/events", Access::kRegulator, Events);
  router.Add("GET", "/epcis/events/{}", Access::kRegulator, OneEvent);
}

}  // namespace foodtrace::portal
