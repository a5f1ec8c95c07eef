// Regulator statistics and the risk-ranked inspection plan (REGULATION rules 25–27).
//
// Inspection score (higher = inspect sooner), documented in docs/api.md:
//   10 × open alerts + 2 × alerts in the last 90 days + 15 × failed tests
//   + credit class (A 0, B 5, C 15, D 30) + 5 × planned inspections per year for the risk level
//     (rule 26 default: A 1, B 2, C 3, D 4)
//   + days since the last inspection ÷ 30 (never inspected counts as 730 days)
//   + 25 when the last full inspection is over 2 years old (rule 25).
// Inspections are not yet recorded in the ledger, so every vendor counts as never inspected.
#include <map>

#include "foodtrace/alerts/alerts.h"
#include "portal/api_util.h"
#include "portal/limits.h"
#include "portal/server.h"

namespace foodtrace::portal {
namespace {

constexpr int kNeverInspectedDays = 730;

// Every alert in the store (bounded by kExportRowsMax), oldest first.
std::vector<v1::Alert> AllAlerts(const Context& ctx) {
  std::vector<v1::Alert> out;
  if (ctx.options->alerts == nullptr) return out;
  ledger::AlertFilter f;
  f.limit = 10'000;
  while (out.size() < kExportRowsMax) {
    auto page = ctx.options->alerts->store().List(f);
    if (!page.ok()) break;
    out.insert(out.end(), page->alerts.begin(), page->alerts.end());
    if (!page->more) break;
    f.after_sequence = page->next_after_sequence;
  }
  return out;
}

void Stats(Context& ctx, Call& call) {
  const Date today = ctx.Today();
  auto to = DateParam(call.req, "to", today);
  if (!to.ok()) return SendStatus(call.res, to.status());
  auto from = DateParam(call.req, "from", to->AddDays(-30));
  if (!from.ok()) return SendStatus(call.res, from.status());
  const std::string market = Param(call.req, "market").value_or("");
  std::map<std::string, int> by_kind_party;
  std::size_t parties = 0;
  for (const v1::Party& p : ctx.ledger->ListParties()) {
    if (!market.empty() && p.market_id() != market && p.party_id() != market) continue;
    ++by_kind_party[v1::Party::Kind_Name(p.kind())];
    ++parties;
  }
  std::map<std::tuple<std::string, std::string, std::string>, int> per_day;
  std::map<std::string, int> by_kind;
  for (const v1::Alert& a : AllAlerts(ctx)) {
    const Date day = ctx.ledger->time_zone().DateAt(a.created_at_ms());
    if (day < *from || day > *to || (!market.empty() && a.market_id() != market)) continue;
    ++per_day[{day.ToString(), a.market_id(), v1::Alert::Kind_Name(a.kind())}];
    ++by_kind[v1::Alert::Kind_Name(a.kind())];
  }
  json days = json::array();
  for (const auto& [key, n] : per_day) {
    days.push_back({{"date", std::get<0>(key)}, {"market_id", std::get<1>(key)}, {"kind", std::get<2>(key)}, {"count", n}});
  }
  json recalls = json::array();
  double completion_sum = 0;
  for (const v1::Recall& r : ctx.ledger->ListRecalls()) {
    auto progress = RecallProgressJson(ctx, r);
    if (!progress.ok()) continue;
    completion_sum += (*progress)["completion"].get<double>();
    recalls.push_back({{"recall_id", r.recall_id()}, {"product_name", RecallPublicJson(ctx, r).value("product_name", "")},
                       {"holders", (*progress)["totals"]["holders"]},
                       {"holders_done", (*progress)["totals"]["holders_done"]},
                       {"completion", (*progress)["completion"]}, {"overdue", (*progress)["overdue"]}});
  }
  json out{{"from", from->ToString()}, {"to", to->ToString()},
           {"ledger", {{"last_sequence", ctx.ledger->LastSequence()}, {"parties", parties},
                       {"parties_by_kind", by_kind_party}}},
           {"alerts_by_day", std::move(days)}, {"alerts_by_kind", by_kind},
           {"recall_completion", recalls.empty() ? 1.0 : completion_sum / static_cast<double>(recalls.size())}};
  out["recalls"] = std::move(recalls);
  SendJson(call.res, 200, out);
}

int ClassPoints(const std::string& credit_class) {
  if (credit_class == "B") return 5;
  if (credit_class == "C") return 15;
  if (credit_class == "D") return 30;
  return 0;
}

int PlannedPerYear(const std::string& risk_level) {
  if (risk_level == "B") return 2;
  if (risk_level == "C") return 3;
  if (risk_level == "D") return 4;
  return 1;
}

void Plan(Context& ctx, Call& call) {
  auto limit = PageLimit(call.req);
  if (!limit.ok()) return SendStatus(call.res, limit.status());
  const std::string market = Param(call.req, "market").value_or("");
  const UnixMillis now = ctx.ledger->Now();
  std::map<std::string, std::pair<int, int>> alerts;  // party → (open, last 90 days)
  for (const v1::Alert& a : AllAlerts(ctx)) {
    auto& [open, recent] = alerts[a.party_id()];
    open += a.state() == v1::Alert::OPEN ? 1 : 0;
    recent += now - a.created_at_ms() <= 90LL * 86'400'000 ? 1 : 0;
  }
  std::map<std::string, int> failed;
  if (auto tests = ctx.ledger->ListTestResults(kExportRowsMax); tests.ok()) {
    for (const auto& t : *tests) failed[t.party_id()] += t.passed() ? 0 : 1;
  }
  std::vector<json> rows;
  for (const v1::Party& p : ctx.ledger->ListParties()) {
    if (p.kind() != v1::Party::VENDOR || (!market.empty() && p.market_id() != market)) continue;
    const auto [open, recent] = alerts[p.party_id()];
    const int days = kNeverInspectedDays;
    const double score = 10.0 * open + 2.0 * recent + 15.0 * failed[p.party_id()] + ClassPoints(p.credit_class()) +
                         5.0 * PlannedPerYear(p.risk_level()) + days / 30.0 + (days > 730 - 1 ? 25 : 0);
    // `reasons` in English for API readers; `reason_codes` for the pages, which word them in
    // the reader's language (portal/web/js/i18n.js "plan_reason.*").
    json reasons = json::array({"no inspection recorded"});
    json codes = json::array({{{"code", "NEVER_INSPECTED"}}});
    if (open > 0) {
      reasons.push_back(std::to_string(open) + " open alerts");
      codes.push_back({{"code", "OPEN_ALERTS"}, {"count", open}});
    }
    if (failed[p.party_id()] > 0) {
      reasons.push_back(std::to_string(failed[p.party_id()]) + " failed tests");
      codes.push_back({{"code", "FAILED_TESTS"}, {"count", failed[p.party_id()]}});
    }
    if (ClassPoints(p.credit_class()) >= 15) {
      reasons.push_back("credit class " + p.credit_class());
      codes.push_back({{"code", "CREDIT_CLASS"}, {"class", p.credit_class()}});
    }
    rows.push_back({{"party_id", p.party_id()}, {"name", p.name()}, {"market_id", p.market_id()},
                    {"stall", p.stall()}, {"credit_class", p.credit_class()}, {"risk_level", p.risk_level()},
                    {"open_alerts", open}, {"alerts_90d", recent}, {"failed_tests", failed[p.party_id()]},
                    {"last_inspected_on", ""}, {"days_since_inspection", days}, {"inspection_overdue", true},
                    {"planned_per_year", PlannedPerYear(p.risk_level())}, {"score", score}, {"reasons", reasons},
                    {"reason_codes", codes}});
  }
  std::stable_sort(rows.begin(), rows.end(), [](const json& a, const json& b) { return a["score"] > b["score"]; });
  if (rows.size() > *limit) rows.resize(*limit);
  SendJson(call.res, 200, json{{"as_of", ctx.Today().ToString()}, {"vendors", rows}});
}

}  // namespace

void AddStatsRoutes(Router& router) {
  router.Add("GET", "/api/v1/stats", Access::kRegulator, Stats);
}

void AddInspectionRoutes(Router& router) {
  router.Add("GET", "/api/v1/inspections/plan", Access::kRegulator, Plan);
}

}  // namespace foodtrace::portal
