// bench_compare: PostgreSQL through libpq (systems.h).
//
// Schema (what a competent engineer would build for the same questions):
//   parties   (party_id PK, kind, name, licence, market_id, wholesale)
//   entries   (seq identity PK, party_id, event_id, kind, gtin, lot, product_name, produced_on,
//              expires_on, quantity, unit, occurred_on, counterparty_id/_name/_licence,
//              to_consumers, recorded_at), UNIQUE (party_id, event_id) for idempotency,
//              INDEX (gtin, lot), INDEX (party_id, occurred_on)
//   flows     (gtin, lot, from_party, to_party) PK → shipped, received, unit, first_on
//   holdings  (party_id, gtin, lot) PK → on_hand, unit, expires_on; INDEX (expires_on)
// Each batch is one transaction: the entries, then the batch's holdings deltas and flow deltas
// as upserts, each one statement over unnest()ed arrays, rows sorted by key so concurrent
// writers lock in the same order. synchronous_commit = on: COMMIT returns once the WAL is
// flushed, the same promise as a foodtrace acknowledgement.
#include <libpq-fe.h>

#include <cstdio>
#include <map>
#include <tuple>

#include "bench/compare/systems.h"

namespace foodtrace::bench::compare {
namespace {

constexpr char kSchema[] = R"sql(
DROP TABLE IF EXISTS entries, flows, holdings, parties;
CREATE TABLE parties (
  party_id text PRIMARY KEY, kind text NOT NULL, name text NOT NULL, licence text,
  market_id text, wholesale boolean NOT NULL DEFAULT false);
CREATE TABLE entries (
  seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  party_id text NOT NULL, event_id text NOT NULL, kind text NOT NULL,
  gtin text NOT NULL, lot text NOT NULL, product_name text NOT NULL,
  produced_on date, expires_on date NOT NULL,
  quantity bigint NOT NULL, unit text NOT NULL, occurred_on date NOT NULL,
  counterparty_id text, counterparty_name text, counterparty_licence text,
  to_consumers boolean NOT NULL, recorded_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (party_id, event_id));
CREATE INDEX entries_by_lot ON entries (gtin, lot);
CREATE INDEX entries_by_party_date ON entries (party_id, occurred_on);
CREATE TABLE flows (
  gtin text, lot text, from_party text, to_party text,
  shipped bigint NOT NULL, received bigint NOT NULL, unit text NOT NULL, first_on date NOT NULL,
  PRIMARY KEY (gtin, lot, from_party, to_party));
CREATE TABLE holdings (
  party_id text, gtin text, lot text, on_hand bigint NOT NULL, unit text NOT NULL,
  expires_on date NOT NULL, PRIMARY KEY (party_id, gtin, lot));
CREATE INDEX holdings_by_expiry ON holdings (expires_on);
)sql";

constexpr char kInsertEntries[] = R"sql(
INSERT INTO entries (party_id, event_id, kind, gtin, lot, product_name, produced_on, expires_on,
                     quantity, unit, occurred_on, counterparty_id, counterparty_name,
                     counterparty_licence, to_consumers)
SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[],
                     $7::date[], $8::date[], $9::bigint[], $10::text[], $11::date[], $12::text[],
                     $13::text[], $14::text[], $15::boolean[]))sql";

constexpr char kUpsertHoldings[] = R"sql(
INSERT INTO holdings (party_id, gtin, lot, on_hand, unit, expires_on)
SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::text[], $6::date[])
ON CONFLICT (party_id, gtin, lot) DO UPDATE SET on_hand = holdings.on_hand + EXCLUDED.on_hand)sql";

constexpr char kUpsertFlows[] = R"sql(
INSERT INTO flows (gtin, lot, from_party, to_party, shipped, received, unit, first_on)
SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::bigint[],
                     $7::text[], $8::date[])
ON CONFLICT (gtin, lot, from_party, to_party) DO UPDATE
  SET shipped = flows.shipped + EXCLUDED.shipped, received = flows.received + EXCLUDED.received,
      first_on = LEAST(flows.first_on, EXCLUDED.first_on))sql";

// The lot's flow graph from its first receipt (flows from an unregistered outside supplier)
// down, at most 32 hops, as a recursive CTE. The recursive step is a LATERAL subquery kept
// apart with OFFSET 0 so each reached party is one probe of flows' primary key: joined plainly,
// the planner (estimating ~1 flow per lot) rescans all of the lot's flows for every reached
// party, 1,000 × 1,000 comparisons for the widely distributed lot (72 ms instead of ~10 ms).
constexpr char kReach[] = R"sql(
WITH RECURSIVE reach(from_party, to_party, shipped, received, depth) AS (
  SELECT f.from_party, f.to_party, f.shipped, f.received, 1 FROM flows f
   WHERE f.gtin = $1 AND f.lot = $2
     AND NOT EXISTS (SELECT 1 FROM parties p WHERE p.party_id = f.from_party)
  UNION ALL
  SELECT f.from_party, f.to_party, f.shipped, f.received, r.depth + 1
    FROM reach r CROSS JOIN LATERAL (
      SELECT * FROM flows f WHERE f.gtin = $1 AND f.lot = $2 AND f.from_party = r.to_party OFFSET 0) f
   WHERE r.depth < 32))sql";

constexpr char kTraceDown[] = R"sql(
SELECT r.from_party, r.to_party, r.shipped, r.received, h.on_hand, h.unit
  FROM reach r LEFT JOIN holdings h ON h.party_id = r.to_party AND h.gtin = $1 AND h.lot = $2)sql";

constexpr char kRecallImpact[] = R"sql(
SELECT r.to_party, COALESCE(h.on_hand, 0) AS on_hand, GREATEST(r.shipped - r.received, 0) AS unconfirmed
  FROM reach r LEFT JOIN holdings h ON h.party_id = r.to_party AND h.gtin = $1 AND h.lot = $2
 WHERE COALESCE(h.on_hand, 0) + GREATEST(r.shipped - r.received, 0) > 0)sql";

constexpr char kExpiring[] = R"sql(
SELECT h.party_id, h.gtin, h.lot, h.on_hand, h.unit, h.expires_on
  FROM holdings h JOIN parties p ON p.party_id = h.party_id
 WHERE h.expires_on BETWEEN $1::date AND $2::date AND h.on_hand > 0 AND p.market_id = $3
 ORDER BY h.expires_on)sql";

constexpr char kPartyLedger[] = R"sql(
SELECT seq, event_id, kind, gtin, lot, product_name, expires_on, quantity, unit, occurred_on,
       counterparty_id, counterparty_name, counterparty_licence, to_consumers, recorded_at
  FROM entries WHERE party_id = $1 AND occurred_on BETWEEN $2::date AND $3::date
 ORDER BY occurred_on, seq)sql";

// A PostgreSQL array literal in text form: {"a","b",NULL}.
class ArrayBuilder {
 public:
  void Add(const std::string& value) {
    text_ += text_.size() == 1 ? "\"" : ",\"";
    for (char c : value) {
      if (c == '"' || c == '\\')
        text_ += '\\';
      text_ += c;
    }
    text_ += '"';
  }
  void AddNull() { text_ += text_.size() == 1 ? "NULL" : ",NULL"; }
  std::string Done() const { return text_ + "}"; }

 private:
  std::string text_ = "{";
};

// One connection; each method returns an error Status with the server's message.
class Connection {
 public:
  static Result<std::unique_ptr<Connection>> Open(const std::string& conninfo) {
    PGconn* conn = PQconnectdb(conninfo.c_str());
    if (PQstatus(conn) != CONNECTION_OK) {
      std::string message = PQerrorMessage(conn);
      PQfinish(conn);
      return Status::Unavailable("PostgreSQL at '" + conninfo + "': " + message);
    }
    return std::unique_ptr<Connection>(new Connection(conn));
  }
  ~Connection() { PQfinish(conn_); }

  Status Exec(const char* sql) { return Check(PQexec(conn_, sql), nullptr); }
  Status Prepare(const char* name, const std::string& sql) {
    return Check(PQprepare(conn_, name, sql.c_str(), 0, nullptr), nullptr);
  }
  // Runs a prepared statement with text parameters; `rows` (optional) gets the row count.
  Status Run(const char* name, const std::vector<std::string>& params, std::uint64_t* rows) {
    std::vector<const char*> values;
    for (const auto& p : params) values.push_back(p.c_str());
    return Check(PQexecPrepared(conn_, name, static_cast<int>(values.size()), values.data(),
                                nullptr, nullptr, 0),
                 rows);
  }
  Result<std::string> Scalar(const char* sql) {
    PGresult* r = PQexec(conn_, sql);
    if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) < 1) {
      PQclear(r);
      return Status::Io(std::string("PostgreSQL: ") + PQerrorMessage(conn_));
    }
    std::string value = PQgetvalue(r, 0, 0);
    PQclear(r);
    return value;
  }

 private:
  explicit Connection(PGconn* conn) : conn_(conn) {}
  Status Check(PGresult* r, std::uint64_t* rows) {
    const ExecStatusType status = PQresultStatus(r);
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
      std::string message = PQresultErrorMessage(r);
      PQclear(r);
      return Status::Io("PostgreSQL: " + message);
    }
    if (rows != nullptr)
      *rows = static_cast<std::uint64_t>(PQntuples(r));
    PQclear(r);
    return Status::Ok();
  }
  PGconn* conn_;
};

class PostgresSink : public Sink {
 public:
  PostgresSink(const Workload* w, std::unique_ptr<Connection> conn)
      : w_(w), conn_(std::move(conn)) {}

  Status Prepare() {
    FT_RETURN_IF_ERROR(conn_->Prepare("insert_entries", kInsertEntries));
    FT_RETURN_IF_ERROR(conn_->Prepare("upsert_holdings", kUpsertHoldings));
    return conn_->Prepare("upsert_flows", kUpsertFlows);
  }

  bool Write(const std::vector<Entry>& batch) override {
    Status st = WriteBatch(batch);
    if (st.ok())
      return true;
    std::fprintf(stderr, "\npostgres: %s\n", st.ToString().c_str());
    (void)conn_->Exec("ROLLBACK");  // best effort: the load stops anyway
    return false;
  }

 private:
  using HoldingKey = std::tuple<std::string, std::string, std::string>;  // party, gtin, lot
  using FlowKey =
      std::tuple<std::string, std::string, std::string, std::string>;  // gtin, lot, from, to
  struct HoldingDelta {
    std::int64_t on_hand = 0;
    Date expires_on;
  };
  struct FlowDelta {
    std::int64_t shipped = 0, received = 0;
    Date first_on;
  };

  Status WriteBatch(const std::vector<Entry>& batch) {
    std::vector<ArrayBuilder> cols(15);
    std::map<HoldingKey, HoldingDelta> holdings;
    std::map<FlowKey, FlowDelta> flows;
    for (const Entry& e : batch) {
      const std::string party = w_->PartyId(e.party), gtin = w_->Gtin(e.product),
                        lot = w_->LotCode(e.lot);
      const std::string counterparty = e.counterparty >= 0 ? w_->PartyId(e.counterparty) : "";
      const bool outside = e.counterparty < 0 && !e.ship;
      const std::vector<std::string> text = {party,
                                             Workload::EventId(e.event),
                                             e.ship ? "SHIP" : "RECEIVE",
                                             gtin,
                                             lot,
                                             "bench product",
                                             e.produced_on.ToString(),
                                             e.expires_on.ToString(),
                                             std::to_string(e.quantity),
                                             "H87",
                                             e.occurred_on.ToString()};
      for (std::size_t i = 0; i < text.size(); ++i) cols[i].Add(text[i]);
      e.counterparty >= 0 ? cols[11].Add(counterparty) : cols[11].AddNull();
      outside ? cols[12].Add(Workload::ProducerName(e.product)) : cols[12].AddNull();
      outside ? cols[13].Add("JY13301020012345") : cols[13].AddNull();
      cols[14].Add(e.ship && e.counterparty < 0 ? "true" : "false");
      HoldingDelta& h = holdings[{party, gtin, lot}];
      h.on_hand += e.ship ? -e.quantity : e.quantity;
      h.expires_on = e.expires_on;
      if (e.ship && e.counterparty < 0)
        continue;  // sales to consumers make no flow
      const std::string from =
          e.ship ? party : (outside ? Workload::ProducerName(e.product) : counterparty);
      const std::string to = e.ship ? counterparty : party;
      FlowDelta& f = flows[{gtin, lot, from, to}];
      (e.ship ? f.shipped : f.received) += e.quantity;
      if (f.first_on == Date() || e.occurred_on < f.first_on)
        f.first_on = e.occurred_on;
    }
    std::vector<std::string> entry_params;
    for (const auto& c : cols) entry_params.push_back(c.Done());
    FT_RETURN_IF_ERROR(conn_->Exec("BEGIN"));
    FT_RETURN_IF_ERROR(conn_->Run("insert_entries", entry_params, nullptr));
    FT_RETURN_IF_ERROR(conn_->Run("upsert_holdings", HoldingParams(holdings), nullptr));
    FT_RETURN_IF_ERROR(conn_->Run("upsert_flows", FlowParams(flows), nullptr));
    return conn_->Exec("COMMIT");
  }

  static std::vector<std::string> HoldingParams(
      const std::map<HoldingKey, HoldingDelta>& holdings) {
    std::vector<ArrayBuilder> cols(6);
    for (const auto& [key, delta] : holdings) {
      cols[0].Add(std::get<0>(key));
      cols[1].Add(std::get<1>(key));
      cols[2].Add(std::get<2>(key));
      cols[3].Add(std::to_string(delta.on_hand));
      cols[4].Add("H87");
      cols[5].Add(delta.expires_on.ToString());
    }
    std::vector<std::string> out;
    for (const auto& c : cols) out.push_back(c.Done());
    return out;
  }

  static std::vector<std::string> FlowParams(const std::map<FlowKey, FlowDelta>& flows) {
    std::vector<ArrayBuilder> cols(8);
    for (const auto& [key, delta] : flows) {
      cols[0].Add(std::get<0>(key));
      cols[1].Add(std::get<1>(key));
      cols[2].Add(std::get<2>(key));
      cols[3].Add(std::get<3>(key));
      cols[4].Add(std::to_string(delta.shipped));
      cols[5].Add(std::to_string(delta.received));
      cols[6].Add("H87");
      cols[7].Add(delta.first_on.ToString());
    }
    std::vector<std::string> out;
    for (const auto& c : cols) out.push_back(c.Done());
    return out;
  }

  const Workload* w_;
  std::unique_ptr<Connection> conn_;
};

class Postgres : public System {
 public:
  Postgres(const Workload* w, std::string conninfo, std::unique_ptr<Connection> conn)
      : w_(w), conninfo_(std::move(conninfo)), conn_(std::move(conn)) {}

  Status Setup() {
    FT_RETURN_IF_ERROR(conn_->Exec("SET client_min_messages = warning"));
    // After five runs PostgreSQL may switch a prepared statement to a generic plan, costed for
    // an average lot (~10 flows); for the 1,000-holder lot that plan rescans the lot's flows per
    // row of the recursion (~80 ms instead of ~8 ms). Plan each question for its parameters.
    FT_RETURN_IF_ERROR(conn_->Exec("SET plan_cache_mode = force_custom_plan"));
    FT_RETURN_IF_ERROR(conn_->Exec(kSchema));
    FT_RETURN_IF_ERROR(conn_->Prepare("trace_down", std::string(kReach) + kTraceDown));
    FT_RETURN_IF_ERROR(conn_->Prepare("recall_impact", std::string(kReach) + kRecallImpact));
    FT_RETURN_IF_ERROR(conn_->Prepare("expiring", kExpiring));
    return conn_->Prepare("party_ledger", kPartyLedger);
  }

  std::string name() const override { return "PostgreSQL"; }

  Status Register() override {
    FT_RETURN_IF_ERROR(
        conn_->Prepare("add_parties",
                       "INSERT INTO parties (party_id, kind, name, licence, market_id, wholesale) "
                       "SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], "
                       "$5::text[], $6::boolean[])"));
    std::vector<ArrayBuilder> cols(6);
    auto add = [&cols](const std::vector<std::string>& row) {
      for (std::size_t i = 0; i < row.size(); ++i)
        row[i].empty() ? cols[i].AddNull() : cols[i].Add(row[i]);
    };
    for (int m = 0; m < w_->config().markets; ++m) {
      add({w_->MarketId(m), "MARKET", "bench market " + std::to_string(m), "", "", "false"});
    }
    for (int i = 0; i < w_->parties(); ++i) {
      add({w_->PartyId(i), "VENDOR", "bench " + w_->PartyId(i), "JY13301020012345",
           w_->MarketId(w_->MarketOf(i)), w_->IsWholesaler(i) ? "true" : "false"});
    }
    std::vector<std::string> params;
    for (const auto& c : cols) params.push_back(c.Done());
    return conn_->Run("add_parties", params, nullptr);
  }

  std::unique_ptr<Sink> MakeSink(int) override {
    auto conn = Connection::Open(conninfo_);
    if (!conn.ok()) {
      std::fprintf(stderr, "postgres: %s\n", conn.status().ToString().c_str());
      return nullptr;
    }
    auto sink = std::make_unique<PostgresSink>(w_, std::move(*conn));
    if (Status st = sink->Prepare(); !st.ok()) {
      std::fprintf(stderr, "postgres: %s\n", st.ToString().c_str());
      return nullptr;
    }
    return sink;
  }

  Status AfterLoad() override { return conn_->Exec("ANALYZE"); }

  Result<std::uint64_t> TraceDown(std::uint64_t lot) override { return Lot("trace_down", lot); }
  Result<std::uint64_t> RecallImpact(std::uint64_t lot) override {
    return Lot("recall_impact", lot);
  }

  Result<std::uint64_t> Expiring(int market, Date from, int days) override {
    std::uint64_t rows = 0;
    FT_RETURN_IF_ERROR(conn_->Run(
        "expiring", {from.ToString(), from.AddDays(days).ToString(), w_->MarketId(market)}, &rows));
    return rows;
  }

  Result<std::uint64_t> PartyLedger(int party, Date from, Date to) override {
    std::uint64_t rows = 0;
    FT_RETURN_IF_ERROR(
        conn_->Run("party_ledger", {w_->PartyId(party), from.ToString(), to.ToString()}, &rows));
    return rows;
  }

  std::uint64_t DiskBytes() override {
    auto size = conn_->Scalar("SELECT pg_database_size(current_database())");
    return size.ok() ? std::stoull(*size) : 0;
  }

 private:
  Result<std::uint64_t> Lot(const char* statement, std::uint64_t lot) {
    std::uint64_t rows = 0;
    FT_RETURN_IF_ERROR(
        conn_->Run(statement, {w_->Gtin(w_->ProductOf(lot)), w_->LotCode(lot)}, &rows));
    return rows;
  }

  const Workload* w_;
  std::string conninfo_;
  std::unique_ptr<Connection> conn_;
};

}  // namespace

Result<std::unique_ptr<System>> ConnectPostgres(const Workload* workload,
                                                const std::string& conninfo, const std::string&) {
  auto conn = Connection::Open(conninfo);
  if (!conn.ok())
    return conn.status();
  auto system = std::make_unique<Postgres>(workload, conninfo, std::move(*conn));
  FT_RETURN_IF_ERROR(system->Setup());
  return std::unique_ptr<System>(std::move(system));
}

}  // namespace foodtrace::bench::compare
