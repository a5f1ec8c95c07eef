// Proves trace down/up follow flows and transformations, recalls stop covered lots, and
// verify detects tampering after a reopen.
#include <catch2/catch.hpp>

#include <rocksdb/db.h>

#include <map>

#include "foodtrace/common/crypto.h"
#include "support/ledger_fixture.h"

using namespace foodtrace;
using namespace foodtrace::testing;
using E = v1::LedgerEntry;
using S = v1::ItemResult;

namespace {

// producer P → wholesaler W → vendors V1, V2; V2 cuts the lot into portions (TRANSFORM).
struct Chain {
  TempDir dir;
  std::unique_ptr<ledger::Ledger> l = OpenLedger(dir.sub("db"));
  std::string g = Gtin(100);
  std::string portions = Gtin(101);
  Chain() {
    auto producer = PartyItem("P", v1::Party::SUPPLIER);
    producer.mutable_party()->set_producer(true);
    producer.mutable_party()->set_licence("SC10633010200123");
    auto wholesaler = PartyItem("W", v1::Party::SUPPLIER);
    wholesaler.mutable_party()->set_wholesale(true);
    Write(*l, "operator", {producer, wholesaler, PartyItem("M", v1::Party::MARKET),
                           PartyItem("V1", v1::Party::VENDOR, "M"), PartyItem("V2", v1::Party::VENDOR, "M")});
    Write(*l, "P", {Entry(E::STOCKTAKE, "made", Lot(g, "B1"), 1000)});
    Write(*l, "P", {Entry(E::SHIP, "p-w", Lot(g, "B1"), 600, "W")});
    auto w_in = Entry(E::RECEIVE, "w-in", Lot(g, "B1"), 600, "P");
    w_in.mutable_entry()->add_documents("检验合格证 QC-2026-001");
    Write(*l, "W", {w_in});
    Write(*l, "W", {Entry(E::SHIP, "w-v1", Lot(g, "B1"), 100, "V1"), Entry(E::SHIP, "w-v2", Lot(g, "B1"), 200, "V2")});
    Write(*l, "V1", {Entry(E::RECEIVE, "in", Lot(g, "B1"), 100, "W")});
    Write(*l, "V2", {Entry(E::RECEIVE, "in", Lot(g, "B1"), 200, "W")});
    v1::Item cut;
    auto* e = cut.mutable_entry();
    e->set_event_id("cut");
    e->set_kind(E::TRANSFORM);
    e->set_occurred_on("2026-11-03");
    auto* in = e->add_inputs();
    *in->mutable_lot() = Lot(g, "B1");
    in->set_quantity(50);
    in->set_unit("H87");
    auto* out = e->add_outputs();
    *out->mutable_lot() = Lot(portions, "B1-P");
    out->mutable_lot()->set_product_name("分切牛肉");
    out->set_quantity(200);
    out->set_unit("H87");
    auto r = Write(*l, "V2", {cut});
    FT_CHECK(r[0].status() == S::ACCEPTED);
  }
};

const ledger::TraceHolder* Find(const ledger::TraceDownResult& t, const std::string& party,
                                const std::string& product) {
  for (const auto& h : t.holders) {
    if (h.party_id == party && h.product == product) return &h;
  }
  return nullptr;
}

}  // namespace

TEST_CASE("trace down returns exactly the recorded holders, quantities and transformed lots",
          "[trace]") {
  Chain c;
  auto t = c.l->TraceDown(c.g, "B1", 8);
  REQUIRE(t.ok());
  CHECK(t->lots.size() == 2);
  REQUIRE(Find(*t, "P", c.g));
  CHECK(Find(*t, "P", c.g)->on_hand == 400);
  CHECK(Find(*t, "W", c.g)->on_hand == 300);
  CHECK(Find(*t, "W", c.g)->received == 600);
  CHECK(Find(*t, "V1", c.g)->on_hand == 100);
  CHECK(Find(*t, "V2", c.g)->on_hand == 150);
  REQUIRE(Find(*t, "V2", c.portions));
  CHECK(Find(*t, "V2", c.portions)->on_hand == 200);
  CHECK(t->holders.size() == 5);
  auto shallow = c.l->TraceDown(c.g, "B1", 0);
  CHECK(shallow->lots.size() == 1);
  CHECK(shallow->truncated);
  CHECK(c.l->TraceDown(c.g, "NOPE", 8).status().code() == Code::kNotFound);
}

TEST_CASE("recall impact lists only the holders that still have the lot or a lot made from it",
          "[trace]") {
  Chain c;
  Write(*c.l, "V1", {Entry(E::SHIP, "sold", Lot(c.g, "B1"), 100)});        // V1 sold out …
  Write(*c.l, "W", {Entry(E::SHIP, "w-v1-2", Lot(c.g, "B1"), 20, "V1")});   // … and 20 are on the way
  auto impact = c.l->RecallImpact(c.g, "B1", 8);
  REQUIRE(impact.ok());
  CHECK(impact->covered_lots == std::vector<std::string>{c.g + "|B1", c.portions + "|B1-P"});
  std::map<std::string, std::pair<std::int64_t, std::int64_t>> held;
  for (const auto& h : impact->holders) held[h.party_id + " " + h.product] = {h.on_hand, h.unconfirmed};
  using Held = std::map<std::string, std::pair<std::int64_t, std::int64_t>>;
  CHECK(held == Held{{"P " + c.g, {400, 0}},
                     {"W " + c.g, {280, 0}},
                     {"V1 " + c.g, {0, 20}},
                     {"V2 " + c.g, {150, 0}},
                     {"V2 " + c.portions, {200, 0}}});
  CHECK_FALSE(impact->truncated);
  auto shallow = c.l->RecallImpact(c.g, "B1", 0);
  CHECK(shallow->covered_lots.size() == 1);
  CHECK(shallow->truncated);
  CHECK(c.l->RecallImpact(c.g, "NOPE", 8).status().code() == Code::kNotFound);
}

TEST_CASE("a party's compact ledger lines say what its full entries say", "[ledger]") {
  Chain c;
  auto full = c.l->PartyLedger("W", Date::FromYmd(2026, 10, 1), Date::FromYmd(2026, 11, 30), 100);
  auto lines = c.l->PartyLedgerLines("W", Date::FromYmd(2026, 10, 1), Date::FromYmd(2026, 11, 30), 100);
  REQUIRE(full.ok());
  REQUIRE(lines.ok());
  REQUIRE(full->size() == 3);
  REQUIRE(lines->size() == full->size());
  for (std::size_t i = 0; i < lines->size(); ++i) {
    const v1::LedgerLine& line = (*lines)[i];
    const v1::LedgerEntry& entry = (*full)[i].event.entry();
    CHECK(line.sequence() == (*full)[i].sequence);
    CHECK(line.event_id() == entry.event_id());
    CHECK(line.kind() == entry.kind());
    CHECK(line.gtin() == entry.lot().gtin());
    CHECK(line.lot() == entry.lot().lot());
    CHECK(line.product_name() == entry.lot().product_name());
    CHECK(line.expires_on() == entry.lot().expires_on());
    CHECK(line.quantity() == entry.quantity());
    CHECK(line.unit() == entry.unit());
    CHECK(line.occurred_on() == entry.occurred_on());
    CHECK(line.counterparty_id() == entry.counterparty().party_id());
    CHECK(line.documents() == entry.documents_size());
    CHECK(line.recorded_by() == "W");
  }
  CHECK((*lines)[0].event_id() == "w-in");
  CHECK((*lines)[0].documents() == 1);
  CHECK(c.l->PartyLedgerLines("W", Date::FromYmd(2026, 10, 1), Date::FromYmd(2026, 11, 30), 2)->size() == 2);
}

TEST_CASE("trace up walks back across a transformation to the producer with documents", "[trace]") {
  Chain c;
  auto t = c.l->TraceUp("V2", c.portions, "B1-P", 8);
  REQUIRE(t.ok());
  std::vector<std::string> froms;
  for (const auto& s : t->chain) froms.push_back(s.party_id + "<-" + s.received_from);
  CHECK(froms == std::vector<std::string>{"V2<-xf:V2", "V2<-W", "W<-P"});
  CHECK(t->chain[2].documents == std::vector<std::string>{"检验合格证 QC-2026-001"});
}

TEST_CASE("a recall stops the named lot and every lot transformed from it", "[trace]") {
  Chain c;
  v1::Item recall;
  auto* rc = recall.mutable_recall();
  rc->set_recall_id("R1");
  rc->set_level(v1::Recall::I);
  rc->set_gtin(c.g);
  rc->add_lots("B1");
  rc->set_reason("沙门氏菌");
  CHECK(Write(*c.l, "V1", {recall})[0].code() == "ROLE_NOT_ALLOWED");
  REQUIRE(Write(*c.l, "operator", {recall})[0].status() == S::ACCEPTED);
  CHECK(c.l->GetLot(c.g, "B1")->state() == v1::Lot::STOPPED);
  CHECK(c.l->GetLot(c.portions, "B1-P")->state() == v1::Lot::STOPPED);
  auto stored = c.l->GetRecall("R1");
  REQUIRE(stored.ok());
  CHECK(stored->covered_lots_size() == 2);
}

TEST_CASE("a reopened ledger continues the chain and verify passes", "[verify]") {
  Chain c;
  const auto last = c.l->LastSequence();
  c.l.reset();
  c.l = OpenLedger(c.dir.sub("db"));
  CHECK(c.l->LastSequence() == last);
  auto r = Write(*c.l, "V1", {Entry(E::SHIP, "after", Lot(c.g, "B1"), 1)});
  CHECK(r[0].sequence() == last + 1);
  c.l.reset();
  auto report = ledger::Ledger::Verify(c.dir.sub("db"));
  REQUIRE(report.ok());
  CHECK(report->problem == "");
  CHECK(report->records == last + 1);
  CHECK(report->index_keys > 0);
}

namespace {

// Opens the raw RocksDB behind a closed ledger to tamper with it, as an attacker with disk
// access would.
void Tamper(const std::string& path, const std::string& cf_name,
            const std::function<void(rocksdb::DB*, rocksdb::ColumnFamilyHandle*)>& fn) {
  std::vector<std::string> names;
  REQUIRE(rocksdb::DB::ListColumnFamilies(rocksdb::DBOptions(), path, &names).ok());
  std::vector<rocksdb::ColumnFamilyDescriptor> cfs;
  for (const auto& n : names) cfs.emplace_back(n, rocksdb::ColumnFamilyOptions());
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* db = nullptr;
  REQUIRE(rocksdb::DB::Open(rocksdb::DBOptions(), path, cfs, &handles, &db).ok());
  for (size_t i = 0; i < names.size(); ++i) {
    if (names[i] == cf_name) fn(db, handles[i]);
  }
  for (auto* h : handles) REQUIRE(db->DestroyColumnFamilyHandle(h).ok());
  delete db;
}

}  // namespace

TEST_CASE("tampering with one stored log record makes verify fail and name it", "[verify]") {
  Chain c;
  c.l.reset();
  Tamper(c.dir.sub("db"), "log", [](rocksdb::DB* db, rocksdb::ColumnFamilyHandle* h) {
    const std::string key("\0\0\0\0\0\0\0\x08", 8);
    std::string bytes;
    auto st = db->Get(rocksdb::ReadOptions(), h, key, &bytes);
    INFO(st.ToString());
    REQUIRE(st.ok());
    v1::LogRecord record;
    REQUIRE(record.ParseFromString(bytes));
    v1::Event event;
    REQUIRE(event.ParseFromString(record.event()));
    event.mutable_entry()->set_quantity(event.entry().quantity() + 1);  // 600 → 601
    record.set_event(event.SerializeAsString());
    REQUIRE(db->Put(rocksdb::WriteOptions(), h, key, record.SerializeAsString()).ok());
  });
  auto report = ledger::Ledger::Verify(c.dir.sub("db"));
  REQUIRE(report.ok());
  CHECK(report->first_bad_sequence == 8);
  CHECK(report->problem.find("log record 8") != std::string::npos);
}

TEST_CASE("an index that disagrees with the log makes verify fail and name the index", "[verify]") {
  Chain c;
  c.l.reset();
  Tamper(c.dir.sub("db"), "holdings", [&](rocksdb::DB* db, rocksdb::ColumnFamilyHandle* h) {
    const std::string key = std::string("V1") + '\0' + c.g + '\0' + "B1";
    std::string value(16, '\0');
    value[7] = 99;
    REQUIRE(db->Put(rocksdb::WriteOptions(), h, key, value).ok());
  });
  auto report = ledger::Ledger::Verify(c.dir.sub("db"));
  REQUIRE(report.ok());
  CHECK(report->problem.find("index holdings") != std::string::npos);
}
