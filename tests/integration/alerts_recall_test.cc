// Proves, through a real server and the real CLI, that on a producer → wholesaler → vendors
// chain with one TRANSFORM, trace down/up return exactly the recorded parties and quantities;
// a recall alerts exactly the holders of the lot or its transformed output, each once, with
// quantity and deadline; a later ship raises RECALLED_SOLD; and after the deadline (test clock)
// the holders that did not dispose get RECALL_OVERDUE.
#include <set>
#include <tuple>

#include "foodtrace/alerts/alerts.h"
#include "tests/integration/alerts_support.h"

using namespace foodtrace;
using namespace foodtrace::testing;
using nlohmann::json;
using E = v1::LedgerEntry;

namespace {

v1::Item WithDocument(v1::Item item, const std::string& document) {
  item.mutable_entry()->add_documents(document);
  return item;
}

v1::Item Repack(const v1::LotRef& in, std::int64_t in_q, const v1::LotRef& out, std::int64_t out_q) {
  v1::Item item;
  v1::LedgerEntry* e = item.mutable_entry();
  e->set_event_id("w-repack");
  e->set_party_id("W");
  e->set_kind(E::TRANSFORM);
  e->set_occurred_on("2026-11-03");
  auto* i = e->add_inputs();
  *i->mutable_lot() = in;
  i->set_quantity(in_q);
  i->set_unit("H87");
  auto* o = e->add_outputs();
  *o->mutable_lot() = out;
  o->set_quantity(out_q);
  o->set_unit("H87");
  return item;
}

struct Chain {
  AlertServer s;
  std::string regulator_key;
  const v1::LotRef a = Lot(Gtin(301), "A-2026");
  const v1::LotRef b = Lot(Gtin(302), "B-2026");

  Chain() {
    s.Record({PartyItem("M", v1::Party::MARKET), PartyItem("P", v1::Party::SUPPLIER), PartyItem("W", v1::Party::SUPPLIER),
              PartyItem("V1", v1::Party::VENDOR, "M"), PartyItem("V2", v1::Party::VENDOR, "M"),
              PartyItem("V3", v1::Party::VENDOR, "M")});
    regulator_key = s.Register(PartyItem("R", v1::Party::REGULATOR));
    v1::Item origin = Entry(E::RECEIVE, "p-in", a, 200, "", "2026-11-01");
    origin.mutable_entry()->mutable_counterparty()->set_licence("SC10633010200017");
    s.Record({EntryOf("P", WithDocument(origin, "出厂检验合格证 P-01"))});
    s.Record({EntryOf("P", Entry(E::SHIP, "p-w", a, 100, "W", "2026-11-02"))});
    s.Record({EntryOf("W", WithDocument(Entry(E::RECEIVE, "w-in", a, 100, "P", "2026-11-02"), "检验合格证 W-01")),
              Repack(a, 20, b, 40)});
    s.Record({EntryOf("W", Entry(E::SHIP, "w-v1", a, 30, "V1", "2026-11-04")),
              EntryOf("W", Entry(E::SHIP, "w-v2", a, 20, "V2", "2026-11-04")),
              EntryOf("W", Entry(E::SHIP, "w-v3", b, 40, "V3", "2026-11-04"))});
    s.Record({EntryOf("V1", WithDocument(Entry(E::RECEIVE, "v1-in", a, 30, "W", "2026-11-04"), "票据 V1-01")),
              EntryOf("V2", WithDocument(Entry(E::RECEIVE, "v2-in", a, 20, "W", "2026-11-04"), "票据 V2-01")),
              EntryOf("V3", WithDocument(Entry(E::RECEIVE, "v3-in", b, 40, "W", "2026-11-04"), "票据 V3-01")),
              EntryOf("V2", Entry(E::SHIP, "v2-out", a, 20, "", "2026-11-05"))});
  }

  json Alerts(const std::string& kind) {
    return s.Cli({"alerts", "list", "--key", regulator_key, "--kind", kind, "--json"});
  }
};

using Edge = std::tuple<std::string, std::string, std::string, std::int64_t>;      // from, to, lot, qty
using Holder = std::tuple<std::string, std::string, std::int64_t, std::int64_t>;   // party, lot, received, on hand
using Triple = std::tuple<std::string, std::string, std::string>;

std::string Str(const json& j, const char* key) { return j.at(key).get<std::string>(); }

}  // namespace

TEST_CASE("trace down and up return exactly the recorded parties and quantities", "[alerts][integration]") {
  Chain c;
  json down = c.s.Cli({"trace", "down", "--key", c.regulator_key, "--gtin", Gtin(301), "--lot", "A-2026", "--json"});
  std::set<Edge> edges;
  for (const auto& e : down["edges"]) edges.insert(Edge{Str(e, "from"), Str(e, "to"), Str(e, "lot"), e["quantity"].get<std::int64_t>()});
  CHECK(edges == std::set<Edge>{{"ext:城郊批发部", "P", "A-2026", 200}, {"P", "W", "A-2026", 100},
                                {"W", "V1", "A-2026", 30},           {"W", "V2", "A-2026", 20},
                                {"V2", "consumers", "A-2026", 20},   {"xf:W", "W", "B-2026", 40},
                                {"W", "V3", "B-2026", 40}});
  std::set<Holder> holders;
  for (const auto& h : down["holders"]) {
    CHECK(h["unit"] == "H87");
    holders.insert(Holder{Str(h, "party_id"), Str(h, "lot"), h["received"].get<std::int64_t>(), h["on_hand"].get<std::int64_t>()});
  }
  CHECK(holders == std::set<Holder>{{"P", "A-2026", 200, 100}, {"W", "A-2026", 100, 30}, {"V1", "A-2026", 30, 30},
                                    {"V2", "A-2026", 20, 0},    {"W", "B-2026", 40, 0},   {"V3", "B-2026", 40, 40}});
  CHECK(down["lot"]["ref"]["lot"] == "A-2026");

  json up = c.s.Cli({"trace", "up", "--key", c.regulator_key, "--gtin", Gtin(302), "--lot", "B-2026", "--party", "V3",
                     "--json"});
  std::set<Triple> chain;
  for (const auto& step : up["chain"]) chain.insert(Triple{Str(step, "party_id"), Str(step, "lot"), Str(step, "received_from")});
  CHECK(chain == std::set<Triple>{
                     {"V3", "B-2026", "W"}, {"W", "B-2026", "xf:W"}, {"W", "A-2026", "P"}, {"P", "A-2026", "ext:城郊批发部"}});
  for (const auto& step : up["chain"]) {
    if (step["party_id"] == "W" && step["lot"] == "A-2026") CHECK(step["documents"] == json::array({"检验合格证 W-01"}));
    if (step["party_id"] == "P") CHECK(step["documents"] == json::array({"出厂检验合格证 P-01"}));
  }
  // A vendor may trace only what it holds or held.
  const std::string v9_key = c.s.Register(PartyItem("V9", v1::Party::VENDOR, "M"));
  CommandResult denied = RunCommand({FoodtraceBinary(), "trace", "down", "--key", v9_key, "--gtin", Gtin(301),
                                     "--lot", "A-2026", "--server", c.s.ingest()});
  CHECK(denied.exit_code != 0);
}

TEST_CASE("a recall alerts the remaining holders once; later sales and the deadline raise more",
          "[alerts][integration]") {
  Chain c;
  json issued = c.s.Cli({"recall", "issue", "--key", c.regulator_key, "--id", "RC-1", "--gtin", Gtin(301), "--lot",
                         "A-2026", "--level", "I", "--reason", "沙门氏菌超标", "--json"});
  CHECK(issued["recall_id"] == "RC-1");
  CHECK(issued["holders_alerted"] == 4);  // P 100, W 30 of A, V1 30, V3 40 of B; V2 sold out

  json alerts = c.Alerts("RECALLED_IN_STOCK");
  std::set<Triple> got;
  const Date today = DateAt(NowMillis(), kChinaUtcOffsetMinutes);
  const std::string complete_by = alerts::DefaultCalendar().AddWorkingDays(today, 10).ToString();
  for (const auto& a : alerts) {
    got.insert(Triple{Str(a, "party_id"), Str(a, "lot"), Str(a["facts"], "quantity")});
    CHECK(a["recall_id"] == "RC-1");
    CHECK(a["facts"]["complete_by"] == complete_by);  // level I: 10 working days (both rule versions)
    CHECK_FALSE(a["deadline"].get<std::string>().empty());
  }
  CHECK(got == std::set<Triple>{
                   {"P", "A-2026", "100"}, {"W", "A-2026", "30"}, {"V1", "A-2026", "30"}, {"V3", "B-2026", "40"}});

  c.s.Record({EntryOf("V1", Entry(E::SHIP, "v1-late", c.a, 5))});
  json sold;
  CHECK(Eventually([&] { return (sold = c.Alerts("RECALLED_SOLD")).size() == 1; }));
  REQUIRE(sold.size() == 1);
  CHECK(sold[0]["party_id"] == "V1");

  c.s.Record({EntryOf("V3", Entry(E::DISPOSE, "v3-destroy", c.b, 40))});
  json swept = c.s.Cli({"alerts", "sweep", "--key", c.regulator_key, "--json"});
  CHECK(swept["raised"]["RECALL_OVERDUE"] == 0);  // before the deadline
  c.s.server->Stop(SIGTERM);
  c.s.Start({"--clock-offset-days", "45"});
  swept = c.s.Cli({"alerts", "sweep", "--key", c.regulator_key, "--json"});
  CHECK(swept["raised"]["RECALL_OVERDUE"] == 3);
  swept = c.s.Cli({"alerts", "sweep", "--key", c.regulator_key, "--json"});
  CHECK(swept["raised"]["RECALL_OVERDUE"] == 0);  // re-running raises nothing twice
  std::set<std::string> overdue;
  for (const auto& a : c.Alerts("RECALL_OVERDUE")) overdue.insert(Str(a, "party_id"));
  CHECK(overdue == std::set<std::string>{"P", "W", "V1"});  // V3 destroyed its stock
}

TEST_CASE("recall impact, trace down, a ledger and expiring goods answer the same as messages and as JSON",
          "[alerts][integration][answers]") {
  Chain c;
  auto client = c.s.Client(c.s.OperatorKey());
  v1::Query impact;
  impact.set_kind(v1::Query::RECALL_IMPACT);
  impact.set_gtin(Gtin(301));
  impact.set_lot("A-2026");
  v1::RecallImpactAnswer answer;
  REQUIRE(client->Query(impact, &answer).ok());
  std::set<Holder> held;  // party, lot, on hand, unconfirmed
  for (const auto& h : answer.holders()) held.insert(Holder{h.party_id(), h.lot(), h.on_hand(), h.unconfirmed()});
  // V2 sold all it had and the repacked B-2026 left W: only holders with stock remain.
  CHECK(held == std::set<Holder>{{"P", "A-2026", 100, 0}, {"W", "A-2026", 30, 0}, {"V1", "A-2026", 30, 0},
                                 {"V3", "B-2026", 40, 0}});
  CHECK(answer.covered_lots_size() == 2);
  CHECK(answer.covered_lots(0) == Gtin(301) + "|A-2026");
  json impact_json = c.s.Cli({"trace", "impact", "--key", c.regulator_key, "--gtin", Gtin(301), "--lot", "A-2026",
                              "--json"});
  std::set<Holder> held_json;
  for (const auto& h : impact_json["holders"]) {
    held_json.insert(Holder{Str(h, "party_id"), Str(h, "lot"), h["on_hand"].get<std::int64_t>(),
                            h["unconfirmed"].get<std::int64_t>()});
  }
  CHECK(held_json == held);

  v1::Query down = impact;
  down.set_kind(v1::Query::TRACE_DOWN);
  v1::TraceDownAnswer trace;
  REQUIRE(client->Query(down, &trace).ok());
  auto down_json = client->Query(down);
  REQUIRE(down_json.ok());
  std::set<Edge> edges, edges_json;
  for (const auto& e : trace.edges()) edges.insert(Edge{e.from(), e.to(), e.lot(), e.received() ? e.received() : e.shipped()});
  const json down_parsed = json::parse(*down_json);
  for (const auto& e : down_parsed["edges"]) {
    edges_json.insert(Edge{Str(e, "from"), Str(e, "to"), Str(e, "lot"), e["quantity"].get<std::int64_t>()});
  }
  CHECK(edges.size() == 7);
  CHECK(edges == edges_json);
  CHECK(trace.holders_size() == 6);
  CHECK(trace.lot().ref().lot() == "A-2026");

  v1::Query ledger;
  ledger.set_kind(v1::Query::LEDGER);
  ledger.set_party_id("V2");
  v1::LedgerAnswer lines;
  REQUIRE(client->Query(ledger, &lines).ok());
  REQUIRE(lines.lines_size() == 2);
  CHECK(lines.lines(0).event_id() == "v2-in");
  CHECK(lines.lines(0).counterparty_id() == "W");
  CHECK(lines.lines(0).documents() == 1);
  CHECK(lines.lines(1).kind() == E::SHIP);
  CHECK(lines.lines(1).to_consumers());
  CHECK_FALSE(lines.truncated());
  ledger.set_limit(1);
  REQUIRE(client->Query(ledger, &lines).ok());
  CHECK(lines.lines_size() == 1);
  CHECK(lines.truncated());

  v1::Query expiring;
  expiring.set_kind(v1::Query::EXPIRING);
  expiring.set_market_id("M");
  expiring.set_as_of("2027-06-25");
  expiring.set_horizon_days(10);
  v1::ExpiringAnswer rows;
  REQUIRE(client->Query(expiring, &rows).ok());
  auto rows_json = client->Query(expiring);
  REQUIRE(rows_json.ok());
  REQUIRE(rows.rows_size() == 2);  // V1's A-2026 and V3's B-2026; P and W belong to no market
  const json rows_parsed = json::parse(*rows_json);
  REQUIRE(rows_parsed.size() == 2);
  for (int i = 0; i < rows.rows_size(); ++i) {
    const json& row = rows_parsed[static_cast<std::size_t>(i)];
    CHECK(rows.rows(i).party_id() == Str(row, "party_id"));
    CHECK(rows.rows(i).quantity() == row["quantity"].get<std::int64_t>());
    CHECK(rows.rows(i).days_left() == 5);
    CHECK(rows.rows(i).product_name() == "纯牛奶");
  }

  v1::Query stock;
  stock.set_kind(v1::Query::STOCK);
  v1::LedgerAnswer unused;
  CHECK(client->Query(stock, &unused).reason() == ingest::kQueryFormatUnsupported);
}
