// The events of a lot for exports: the trace names the parties, their ledgers give the entries.
#include "portal/lot_events.h"

#include <algorithm>
#include <set>

#include "portal/limits.h"

namespace foodtrace::portal {
namespace {

bool Touches(const v1::LedgerEntry& e, const std::set<std::string>& keys) {
  auto key = [](const v1::LotRef& r) { return ledger::ProductKey(r) + "|" + r.lot(); };
  if (e.has_lot() && keys.count(key(e.lot()))) return true;
  for (const auto& line : e.inputs()) {
    if (keys.count(key(line.lot()))) return true;
  }
  for (const auto& line : e.outputs()) {
    if (keys.count(key(line.lot()))) return true;
  }
  return false;
}

}  // namespace

Result<std::pair<std::string, std::string>> LotParams(const httplib::Request& req) {
  auto product = ProductParam(req);
  if (!product.ok()) return product.status();
  auto lot = RequiredParam(req, "lot");
  if (!lot.ok()) return lot.status();
  return std::make_pair(*product, *lot);
}

Result<LotEvents> ReadLotEvents(const Context& ctx, const std::string& product, const std::string& lot) {
  auto trace = ctx.ledger->TraceDown(product, lot, kTraceDepthDefault);
  if (!trace.ok()) return trace.status();
  LotEvents out;
  out.lot = trace->lot;
  out.lots = trace->lots;
  out.truncated = trace->truncated;
  std::set<std::string> keys, parties;
  Date from = ctx.Today();
  for (const v1::Lot& l : trace->lots) {
    keys.insert(ledger::ProductKey(l.ref()) + "|" + l.ref().lot());
    if (auto d = Date::Parse(l.ref().produced_on()); d.ok()) from = std::min(from, *d);
    from = std::min(from, ctx.ledger->time_zone().DateAt(l.first_seen_at_ms()));
  }
  for (const auto& h : trace->holders) parties.insert(h.party_id);
  std::set<std::uint64_t> seen;
  for (const std::string& party : parties) {
    auto lines = ctx.ledger->PartyLedger(party, from.AddDays(-1), ctx.Today().AddDays(2), kExportRowsMax);
    if (!lines.ok()) return lines.status();
    for (auto& line : *lines) {
      if (!line.event.has_entry() || !Touches(line.event.entry(), keys) || !seen.insert(line.sequence).second) continue;
      out.lines.push_back(std::move(line));
      if (out.lines.size() >= kExportRowsMax) {
        out.truncated = true;
        break;
      }
    }
  }
  std::sort(out.lines.begin(), out.lines.end(), [](const auto& a, const auto& b) { return a.sequence < b.sequence; });
  return out;
}

}  // namespace foodtrace::portal
