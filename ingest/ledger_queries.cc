// LedgerQueries (gateway.h): STOCK, LEDGER, WHOAMI, PARTY and CLOCK answered from the ledger's read
// API, as JSON (shapes in docs/protocol.md). Every other kind is UnsupportedQuery, so later
// handlers (trace, alerts) chain behind this one.
#include <google/protobuf/util/json_util.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "foodtrace/common/date.h"
#include "foodtrace/ingest/gateway.h"
#include "foodtrace/ingest/keys.h"
#include "ledger/limits.h"

namespace foodtrace::ingest {
namespace {

using nlohmann::json;

// Protobuf's JSON mapping with the .proto field names (snake_case, like the rest of our JSON).
json ProtoToJson(const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  std::string text;
  if (!google::protobuf::util::MessageToJsonString(message, &text, options).ok()) {
    return json::object();
  }
  return json::parse(text, nullptr, /*allow_exceptions=*/false);
}

Result<v1::Party> LoadCaller(const ledger::Ledger& ledger, const std::string& caller) {
  auto party = ledger.GetParty(caller);
  if (party.ok())
    return party;
  if (caller == kOperatorPartyId) {  // the built-in operator need not be registered
    v1::Party op;
    op.set_party_id(kOperatorPartyId);
    op.set_kind(v1::Party::OPERATOR);
    op.set_name("operator");
    return op;
  }
  return Status(Code::kUnauthenticated, "UNKNOWN_PARTY",
                "party '" + caller + "' is no longer registered");
}

bool IsPrivileged(const v1::Party& caller) {
  return caller.kind() == v1::Party::OPERATOR || caller.kind() == v1::Party::REGULATOR;
}

// May `caller` read everything about `target`? Self, operator, regulators, and a market for its
// own vendors and kiosks. Errors: PERMISSION_DENIED; NOT_FOUND (privileged callers only, so
// others cannot probe which ids exist).
Result<v1::Party> ReadableParty(const ledger::Ledger& ledger, const v1::Party& caller,
                                const std::string& target_id, const char* what) {
  if (target_id == caller.party_id())
    return caller;
  auto target = ledger.GetParty(target_id);
  const bool market_of =
      target.ok() && caller.kind() == v1::Party::MARKET && target->market_id() == caller.party_id();
  if (target.ok() && (IsPrivileged(caller) || market_of))
    return target;
  if (!target.ok() && IsPrivileged(caller)) {
    return Status::NotFound("no party '" + target_id + "' is registered");
  }
  return Status::Denied(
      "PERMISSION_DENIED",
      "party '" + caller.party_id() + "' may not read the " + what + " of '" + target_id +
          "': only the party itself, its market, regulators and the operator may");
}

std::string TargetId(const v1::Party& caller, const v1::Query& query) {
  return query.party_id().empty() ? caller.party_id() : query.party_id();
}

Result<std::string> Stock(const ledger::Ledger& ledger, const v1::Party& caller,
                          const v1::Query& query) {
  auto target = ReadableParty(ledger, caller, TargetId(caller, query), "stock");
  if (!target.ok())
    return target.status();
  auto holdings = ledger.Holdings(target->party_id());
  if (!holdings.ok())
    return holdings.status();
  json out = json::array();
  for (const ledger::Holding& h : *holdings) {
    out.push_back({{"gtin", h.gtin()},
                   {"product_code", h.product_code()},
                   {"lot", h.lot()},
                   {"quantity", h.quantity()},
                   {"unit", h.unit()},
                   {"expires_on", h.expires_on()},
                   {"product_name", h.product_name()},
                   {"unconfirmed", h.unconfirmed()},
                   {"stopped", h.stopped()}});
  }
  return out.dump();
}

Result<Date> DateOr(const std::string& text, Date fallback, const char* name) {
  if (text.empty())
    return fallback;
  auto date = Date::Parse(text);
  if (!date.ok()) {
    return Status::Invalid("INVALID_DATE", std::string(name) + ": " + date.status().message());
  }
  return date;
}

json LedgerLineJson(const ledger::LedgerLine& line) {
  const v1::Event& event = line.event;
  json out = {{"sequence", line.sequence},
              {"recorded_by", event.recorded_by()},
              {"recorded_at", FormatInstant(event.recorded_at_ms())}};
  if (!event.has_entry()) {
    out["record"] = ProtoToJson(event);
    return out;
  }
  const v1::LedgerEntry& entry = event.entry();
  out["event_id"] = entry.event_id();
  out["kind"] = v1::LedgerEntry::Kind_Name(entry.kind());
  out["party_id"] = entry.party_id();
  out["occurred_on"] = entry.occurred_on();
  out["gtin"] = entry.lot().gtin();
  out["product_code"] = entry.lot().product_code();
  out["product_name"] = entry.lot().product_name();
  out["lot"] = entry.lot().lot();
  out["expires_on"] = entry.lot().expires_on();
  out["quantity"] = entry.quantity();
  out["unit"] = entry.unit();
  out["counterparty_id"] = entry.counterparty().party_id();
  out["counterparty_name"] = entry.counterparty().name();
  out["documents"] =
      json(std::vector<std::string>(entry.documents().begin(), entry.documents().end()));
  if (entry.kind() == v1::LedgerEntry::STOCKTAKE)
    out["stocktake_delta"] = event.stocktake_delta();
  out["entry"] = ProtoToJson(entry);  // the whole line: transforms, corrections, notes
  return out;
}

Result<std::string> PartyLedger(const ledger::Ledger& ledger, const v1::Party& caller,
                                const v1::Query& query) {
  auto target = ReadableParty(ledger, caller, TargetId(caller, query), "ledger");
  if (!target.ok())
    return target.status();
  auto from = DateOr(query.from(), Date::FromYmd(kDateYearMin, 1, 1), "from");
  if (!from.ok())
    return from.status();
  auto to = DateOr(query.to(), Date::FromYmd(kDateYearMax, 12, 31), "to");
  if (!to.ok())
    return to.status();
  if (*to < *from) {
    return Status::Invalid("INVALID_DATE_RANGE",
                           "'from' " + from->ToString() + " is after 'to' " + to->ToString());
  }
  std::size_t limit = ledger::kQueryRowsMax;
  if (query.limit() != 0)
    limit = std::min<std::size_t>(query.limit(), limit);
  if (query.format() == v1::Query::PROTOBUF) {
    // Compact lines from the index alone, one more than asked to tell a truncated answer.
    auto lines = ledger.PartyLedgerLines(target->party_id(), *from, *to, limit + 1);
    if (!lines.ok())
      return lines.status();
    v1::LedgerAnswer answer;
    answer.set_truncated(lines->size() > limit || lines->size() >= ledger::kQueryRowsMax);
    if (lines->size() > limit)
      lines->resize(limit);
    answer.mutable_lines()->Reserve(static_cast<int>(lines->size()));
    for (v1::LedgerLine& line : *lines) *answer.add_lines() = std::move(line);
    return answer.SerializeAsString();
  }
  auto lines = ledger.PartyLedger(target->party_id(), *from, *to, limit);
  if (!lines.ok())
    return lines.status();
  json out = json::array();
  for (const ledger::LedgerLine& line : *lines) out.push_back(LedgerLineJson(line));
  return out.dump();
}

// What anyone may see of a party: the public register entry (REGULATION rule 27 keeps credit
// classes private; personal identifiers and contacts stay private too).
v1::Party PublicProfile(const v1::Party& party) {
  v1::Party out = party;
  out.clear_id_card();
  out.clear_contact();
  out.clear_credit_class();
  out.clear_risk_level();
  out.clear_curve_public_key();
  return out;
}

Result<std::string> Party(const ledger::Ledger& ledger, const v1::Party& caller,
                          const v1::Query& query) {
  const std::string target_id = !query.party_id().empty() ? query.party_id() : query.id();
  if (target_id.empty()) {
    return Status::Invalid("QUERY_PARTY_ID", "a PARTY query names the party in party_id");
  }
  auto full = ReadableParty(ledger, caller, target_id, "record");
  if (full.ok())
    return ProtoToJson(*full).dump();
  auto party = ledger.GetParty(target_id);
  if (!party.ok())
    return Status::NotFound("no party '" + target_id + "' is registered");
  return ProtoToJson(PublicProfile(*party)).dump();
}

// The product registry (anyone may read it: it is what the packages say), in product key
// order after `cursor`, at most `limit` (default and cap kQueryRowsMax).
Result<std::string> Products(const ledger::Ledger& ledger, const v1::Query& query) {
  std::size_t limit = ledger::kQueryRowsMax;
  if (query.limit() != 0) limit = std::min<std::size_t>(query.limit(), limit);
  auto products = ledger.ListProducts(query.cursor(), limit);
  if (!products.ok()) return products.status();
  json out = json::array();
  for (const v1::Product& p : *products) out.push_back(ProtoToJson(p));
  return out.dump();
}

}  // namespace

QueryHandler LedgerQueries(const ledger::Ledger* ledger) {
  FT_CHECK(ledger != nullptr);
  return [ledger](const std::string& caller_id, const v1::Query& query) -> Result<std::string> {
    switch (query.kind()) {
      case v1::Query::STOCK:
      case v1::Query::LEDGER:
      case v1::Query::WHOAMI:
      case v1::Query::PARTY:
      case v1::Query::CLOCK:
      case v1::Query::PRODUCTS:
        break;
      default:
        return UnsupportedQuery(query.kind());
    }
    if (query.format() == v1::Query::PROTOBUF && query.kind() != v1::Query::LEDGER)
      return UnsupportedFormat(query.kind());
    auto caller = LoadCaller(*ledger, caller_id);
    if (!caller.ok())
      return caller.status();
    switch (query.kind()) {
      case v1::Query::STOCK:
        return Stock(*ledger, *caller, query);
      case v1::Query::LEDGER:
        return PartyLedger(*ledger, *caller, query);
      case v1::Query::WHOAMI:
        return ProtoToJson(*caller).dump();
      case v1::Query::CLOCK:  // the shape of the portal's GET /api/v1/clock
        return json{{"today", ledger->Today().ToString()},
                    {"time_zone", ledger->time_zone().name()},
                    {"now_ms", ledger->Now()}}
            .dump();
      case v1::Query::PRODUCTS:
        return Products(*ledger, query);
      default:
        return Party(*ledger, *caller, query);
    }
  };
}

}  // namespace foodtrace::ingest
