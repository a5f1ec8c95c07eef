// Proves the ledger records, deduplicates, keeps holdings and indexes right, and survives reopen.
#include <catch2/catch.hpp>

#include <rocksdb/db.h>

#include <algorithm>
#include <thread>

#include "support/ledger_fixture.h"

using namespace foodtrace;
using namespace foodtrace::testing;
using E = v1::LedgerEntry;
using S = v1::ItemResult;

namespace {

struct Market {
  TempDir dir;
  std::unique_ptr<ledger::Ledger> l = OpenLedger(dir.sub("db"));
  Market() {
    auto r = Write(*l, "operator",
                   {PartyItem("M1", v1::Party::MARKET), PartyItem("W1", v1::Party::SUPPLIER),
                    PartyItem("V1", v1::Party::VENDOR, "M1"), PartyItem("V2", v1::Party::VENDOR, "M1"),
                    PartyItem("V3", v1::Party::VENDOR)});
    for (const auto& x : r) FT_CHECK(x.status() == S::ACCEPTED);
  }
  std::int64_t OnHand(const std::string& party, const std::string& gtin, const std::string& lot) {
    auto h = l->GetHolding(party, gtin, lot);
    FT_CHECK(h.ok());
    return h->quantity();
  }
};

}  // namespace

TEST_CASE("a purchase is stored, sequenced and shows in the vendor's stock and ledger", "[ledger]") {
  Market m;
  const std::string g = Gtin(1);
  auto r = Write(*m.l, "V1", {Entry(E::RECEIVE, "r1", Lot(g, "L1"), 24)});
  REQUIRE(r.size() == 1);
  CHECK(r[0].status() == S::ACCEPTED);
  CHECK(r[0].sequence() == m.l->LastSequence());
  auto stock = m.l->Holdings("V1");
  REQUIRE(stock.ok());
  REQUIRE(stock->size() == 1);
  CHECK((*stock)[0].quantity() == 24);
  CHECK((*stock)[0].expires_on() == "2027-06-30");
  CHECK((*stock)[0].product_name() == "纯牛奶");
  auto lines = m.l->PartyLedger("V1", Date::FromYmd(2026, 11, 1), Date::FromYmd(2026, 11, 30), 100);
  REQUIRE(lines.ok());
  REQUIRE(lines->size() == 1);
  CHECK((*lines)[0].event.entry().event_id() == "r1");
  CHECK((*lines)[0].event.recorded_by() == "V1");
  auto outside = m.l->PartyLedger("V1", Date::FromYmd(2026, 10, 1), Date::FromYmd(2026, 10, 31), 100);
  CHECK(outside->empty());
}

TEST_CASE("a retried entry is DUPLICATE with its original sequence and counted once", "[ledger]") {
  Market m;
  const std::string g = Gtin(2);
  auto first = Write(*m.l, "V1", {Entry(E::RECEIVE, "r1", Lot(g, "L1"), 10)});
  auto again = Write(*m.l, "V1", {Entry(E::RECEIVE, "r1", Lot(g, "L1"), 10),
                                  Entry(E::RECEIVE, "r2", Lot(g, "L1"), 5),
                                  Entry(E::RECEIVE, "r2", Lot(g, "L1"), 5)});
  CHECK(again[0].status() == S::DUPLICATE);
  CHECK(again[0].sequence() == first[0].sequence());
  CHECK(again[1].status() == S::ACCEPTED);
  CHECK(again[2].status() == S::DUPLICATE);  // the same id twice in one batch
  CHECK(again[2].sequence() == again[1].sequence());
  CHECK(m.OnHand("V1", g, "L1") == 15);
  // The same event id from another vendor is that vendor's own entry.
  auto other = Write(*m.l, "V2", {Entry(E::RECEIVE, "r1", Lot(g, "L1"), 7)});
  CHECK(other[0].status() == S::ACCEPTED);
}

TEST_CASE("a rejected item changes nothing and its neighbours are still accepted", "[ledger]") {
  Market m;
  const std::string g = Gtin(3);
  auto bad_gtin = Entry(E::RECEIVE, "r2", Lot("06901234567891", "L1"), 5);
  auto unknown = Entry(E::RECEIVE, "r3", Lot(g, "L1"), 5, "NOBODY");
  auto r = Write(*m.l, "V1", {Entry(E::RECEIVE, "r1", Lot(g, "L1"), 10), bad_gtin, unknown,
                              Entry(E::SHIP, "s1", Lot(g, "L1"), 4)});
  CHECK(r[0].status() == S::ACCEPTED);
  CHECK(r[1].status() == S::REJECTED);
  CHECK(r[1].code() == "GTIN_CHECK_DIGIT");
  CHECK(r[2].status() == S::REJECTED);
  CHECK(r[2].code() == "UNKNOWN_PARTY");
  CHECK(r[2].message().find("NOBODY") != std::string::npos);
  CHECK(r[3].status() == S::ACCEPTED);
  CHECK(m.OnHand("V1", g, "L1") == 6);
}

TEST_CASE("a vendor cannot write another vendor's ledger; its market can", "[ledger]") {
  Market m;
  const std::string g = Gtin(4);
  auto e = Entry(E::RECEIVE, "r1", Lot(g, "L1"), 10);
  e.mutable_entry()->set_party_id("V2");
  auto r = Write(*m.l, "V1", {e});
  CHECK(r[0].status() == S::REJECTED);
  CHECK(r[0].code() == "WRONG_PARTY");
  CHECK(m.OnHand("V2", g, "L1") == 0);
  auto by_market = Write(*m.l, "M1", {e});
  CHECK(by_market[0].status() == S::ACCEPTED);
  CHECK(m.OnHand("V2", g, "L1") == 10);
  e.mutable_entry()->set_party_id("V3");  // not a vendor of M1
  CHECK(Write(*m.l, "M1", {e})[0].code() == "WRONG_PARTY");
  CHECK(Write(*m.l, "V1", {PartyItem("V9", v1::Party::VENDOR)})[0].code() == "ROLE_NOT_ALLOWED");
}

TEST_CASE("a shipment to a registered party counts as held there until it records the receipt",
          "[ledger]") {
  Market m;
  const std::string g = Gtin(5);
  Write(*m.l, "W1", {Entry(E::RECEIVE, "in", Lot(g, "L1"), 100)});
  auto s = Write(*m.l, "W1", {Entry(E::SHIP, "s1", Lot(g, "L1"), 30, "V1")});
  REQUIRE(s[0].status() == S::ACCEPTED);
  auto h = m.l->GetHolding("V1", g, "L1");
  CHECK(h->quantity() == 0);
  CHECK(h->unconfirmed());
  CHECK(m.l->Holdings("V1")->size() == 1);
  Write(*m.l, "V1", {Entry(E::RECEIVE, "r1", Lot(g, "L1"), 30, "W1")});
  h = m.l->GetHolding("V1", g, "L1");
  CHECK(h->quantity() == 30);
  CHECK_FALSE(h->unconfirmed());
  CHECK(m.OnHand("W1", g, "L1") == 70);
}

TEST_CASE("mass units convert exactly and incompatible units are refused", "[ledger]") {
  Market m;
  const std::string g = Gtin(6);
  Write(*m.l, "V1", {Entry(E::RECEIVE, "r1", Lot(g, "L1"), 20, "", "2026-11-01", "KGM")});
  auto r = Write(*m.l, "V1", {Entry(E::SHIP, "s1", Lot(g, "L1"), 500, "", "2026-11-02", "GRM"),
                              Entry(E::SHIP, "s2", Lot(g, "L1"), 1, "", "2026-11-02", "H87")});
  CHECK(r[0].status() == S::ACCEPTED);
  CHECK(r[1].code() == "UNIT_MISMATCH");
  auto h = m.l->GetHolding("V1", g, "L1");
  CHECK(h->quantity() == 19500);
  CHECK(h->unit() == "GRM");
}

TEST_CASE("a lot recorded with another expiry date is refused as a mismatch", "[ledger]") {
  Market m;
  const std::string g = Gtin(7);
  Write(*m.l, "V1", {Entry(E::RECEIVE, "r1", Lot(g, "L1", "2027-01-31"), 5)});
  auto r = Write(*m.l, "V2", {Entry(E::RECEIVE, "r1", Lot(g, "L1", "2027-02-28"), 5)});
  CHECK(r[0].code() == "LOT_MISMATCH");
  CHECK(r[0].message().find("2027-01-31") != std::string::npos);
}

TEST_CASE("a correction reverses or amends an entry and holdings follow it", "[ledger]") {
  Market m;
  const std::string g = Gtin(8);
  Write(*m.l, "V1", {Entry(E::RECEIVE, "r1", Lot(g, "L1"), 50)});
  v1::Item fix;
  fix.mutable_entry()->set_event_id("c1");
  fix.mutable_entry()->set_kind(E::CORRECT);
  fix.mutable_entry()->set_corrects_event_id("r1");
  fix.mutable_entry()->set_reason("typed 50, delivery note says 40");
  fix.mutable_entry()->set_occurred_on("2026-11-02");
  *fix.mutable_entry()->mutable_replacement() = Entry(E::RECEIVE, "", Lot(g, "L1"), 40).entry();
  auto r = Write(*m.l, "V1", {fix});
  REQUIRE(r[0].status() == S::ACCEPTED);
  CHECK(m.OnHand("V1", g, "L1") == 40);
  fix.mutable_entry()->set_event_id("c2");
  auto twice = Write(*m.l, "V1", {fix});
  CHECK(twice[0].code() == "ALREADY_CORRECTED");
  // Reversing the correction restores the original entry.
  v1::Item undo;
  undo.mutable_entry()->set_event_id("c3");
  undo.mutable_entry()->set_kind(E::CORRECT);
  undo.mutable_entry()->set_corrects_event_id("c1");
  undo.mutable_entry()->set_reason("the note was wrong");
  undo.mutable_entry()->set_occurred_on("2026-11-03");
  REQUIRE(Write(*m.l, "V1", {undo})[0].status() == S::ACCEPTED);
  CHECK(m.OnHand("V1", g, "L1") == 50);
  auto missing = undo;
  missing.mutable_entry()->set_event_id("c4");
  missing.mutable_entry()->set_corrects_event_id("nope");
  CHECK(Write(*m.l, "V1", {missing})[0].code() == "NOT_FOUND");
}

TEST_CASE("a stocktake sets on-hand to the counted quantity", "[ledger]") {
  Market m;
  const std::string g = Gtin(9);
  Write(*m.l, "V1", {Entry(E::RECEIVE, "r1", Lot(g, "L1"), 30), Entry(E::SHIP, "s1", Lot(g, "L1"), 5)});
  REQUIRE(Write(*m.l, "V1", {Entry(E::STOCKTAKE, "t1", Lot(g, "L1"), 22)})[0].status() == S::ACCEPTED);
  CHECK(m.OnHand("V1", g, "L1") == 22);
  Write(*m.l, "V1", {Entry(E::SHIP, "s2", Lot(g, "L1"), 2)});
  CHECK(m.OnHand("V1", g, "L1") == 20);
}

TEST_CASE("the expiry index lists a lot only while a party holds it", "[ledger]") {
  Market m;
  const std::string g = Gtin(10);
  Write(*m.l, "V1", {Entry(E::RECEIVE, "r1", Lot(g, "L1", "2026-12-05"), 10)});
  Write(*m.l, "V2", {Entry(E::RECEIVE, "r1", Lot(g, "L2", "2027-03-01"), 10)});
  auto soon = m.l->Expiring(Date::FromYmd(2026, 11, 22), Date::FromYmd(2026, 12, 31), 100);
  REQUIRE(soon.ok());
  REQUIRE(soon->size() == 1);
  CHECK((*soon)[0].party_id() == "V1");
  CHECK((*soon)[0].lot() == "L1");
  Write(*m.l, "V1", {Entry(E::SHIP, "s1", Lot(g, "L1", "2026-12-05"), 10)});
  CHECK(m.l->Expiring(Date::FromYmd(2026, 11, 22), Date::FromYmd(2026, 12, 31), 100)->empty());
  CHECK(m.l->Expiring(Date::FromYmd(2026, 11, 22), Date::FromYmd(2027, 12, 31), 100)->size() == 1);
}

TEST_CASE("expiring goods of one party or one market come from their own index", "[ledger][expiry]") {
  Market m;
  const std::string g = Gtin(12);
  const Date from = Date::FromYmd(2026, 11, 22), to = Date::FromYmd(2026, 12, 31);
  Write(*m.l, "V1", {Entry(E::RECEIVE, "r1", Lot(g, "A", "2026-12-20"), 5),
                     Entry(E::RECEIVE, "r2", Lot(g, "B", "2026-12-01"), 5)});
  Write(*m.l, "V2", {Entry(E::RECEIVE, "r1", Lot(g, "C", "2026-12-10"), 5)});
  Write(*m.l, "V3", {Entry(E::RECEIVE, "r1", Lot(g, "D", "2026-12-02"), 5)});  // no market
  auto v1 = m.l->ExpiringAt("V1", from, to, 100);
  REQUIRE(v1.ok());
  REQUIRE(v1->size() == 2);
  CHECK((*v1)[0].lot() == "B");  // soonest first
  CHECK((*v1)[1].lot() == "A");
  auto market = m.l->ExpiringInMarket("M1", from, to, 100);
  REQUIRE(market.ok());
  std::vector<std::string> lots;
  for (const auto& h : *market) lots.push_back(h.lot());
  CHECK(lots == std::vector<std::string>{"B", "C", "A"});  // V3's lot D is in no market
  CHECK(m.l->ExpiringInMarket("M1", from, to, 2)->size() == 2);
  CHECK(m.l->MarketMembers("M1") == std::vector<std::string>{"V1", "V2"});
  // Selling out removes the lot from the party's index too.
  Write(*m.l, "V1", {Entry(E::SHIP, "s1", Lot(g, "B", "2026-12-01"), 5)});
  REQUIRE(m.l->ExpiringAt("V1", from, to, 100)->size() == 1);
  CHECK(m.l->ExpiringAt("V1", from, to, 100)->front().lot() == "A");
  CHECK(m.l->ExpiringAt("V3", from, Date::FromYmd(2026, 12, 1), 100)->empty());
}

TEST_CASE("the region's expiring goods merge every market's in date order and follow a party that moves",
          "[ledger][expiry]") {
  Market m;
  const std::string g = Gtin(14);
  const Date from = Date::FromYmd(2026, 11, 22), to = Date::FromYmd(2026, 12, 31);
  Write(*m.l, "operator", {PartyItem("M2", v1::Party::MARKET), PartyItem("V4", v1::Party::VENDOR, "M2")});
  Write(*m.l, "V1", {Entry(E::RECEIVE, "r1", Lot(g, "A", "2026-12-20"), 5)});
  Write(*m.l, "V4", {Entry(E::RECEIVE, "r1", Lot(g, "B", "2026-12-01"), 5)});
  Write(*m.l, "V3", {Entry(E::RECEIVE, "r1", Lot(g, "C", "2026-12-10"), 5)});  // no market
  Write(*m.l, "M2", {Entry(E::RECEIVE, "r1", Lot(g, "D", "2026-12-15"), 5)});  // the market itself
  auto region = m.l->Expiring(from, to, 100);
  REQUIRE(region.ok());
  std::vector<std::string> lots;
  for (const auto& h : *region) lots.push_back(h.lot());
  CHECK(lots == std::vector<std::string>{"B", "C", "D", "A"});
  CHECK(m.l->Expiring(from, to, 2)->size() == 2);
  CHECK(m.l->Expiring(from, to, 2)->back().lot() == "C");
  REQUIRE(m.l->ExpiringInMarket("M2", from, to, 100)->size() == 2);  // V4's B and the market's D
  // V4 is registered again, now in M1: its held lots are listed under M1 from then on.
  REQUIRE(Write(*m.l, "operator", {PartyItem("V4", v1::Party::VENDOR, "M1")})[0].status() == S::ACCEPTED);
  REQUIRE(m.l->ExpiringInMarket("M2", from, to, 100)->size() == 1);
  auto m1 = m.l->ExpiringInMarket("M1", from, to, 100);
  REQUIRE(m1.ok());
  lots.clear();
  for (const auto& h : *m1) lots.push_back(h.lot());
  CHECK(lots == std::vector<std::string>{"B", "A"});
  m.l.reset();
  CHECK(ledger::Ledger::Verify(m.dir.sub("db"))->problem == "");
}

namespace {

// Opens the RocksDB directory of a ledger with every column family, for tests that make it look
// like an older data directory.
struct RawLedger {
  std::vector<std::string> names;
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  std::unique_ptr<rocksdb::DB> db;
  explicit RawLedger(const std::string& path) {
    FT_CHECK(rocksdb::DB::ListColumnFamilies(rocksdb::DBOptions(), path, &names).ok());
    std::vector<rocksdb::ColumnFamilyDescriptor> cfs;
    for (const auto& n : names) cfs.emplace_back(n, rocksdb::ColumnFamilyOptions());
    rocksdb::DB* raw = nullptr;
    FT_CHECK(rocksdb::DB::Open(rocksdb::DBOptions(), path, cfs, &handles, &raw).ok());
    db.reset(raw);
  }
  ~RawLedger() {
    for (auto* h : handles) FT_CHECK(db->DestroyColumnFamilyHandle(h).ok());
  }
  rocksdb::ColumnFamilyHandle* cf(const std::string& name) {
    const auto at = std::find(names.begin(), names.end(), name) - names.begin();
    FT_CHECK(at < static_cast<long>(names.size()));
    return handles[static_cast<std::size_t>(at)];
  }
  std::vector<std::pair<std::string, std::string>> All(const std::string& name) {
    std::vector<std::pair<std::string, std::string>> out;
    std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(rocksdb::ReadOptions(), cf(name)));
    for (it->SeekToFirst(); it->Valid(); it->Next()) out.emplace_back(it->key().ToString(), it->value().ToString());
    return out;
  }
};

// Schema 1's expiry key: (days since 1970 + 2^31) as u32be, 0, party, 0, product, 0, lot.
std::string SchemaOneExpiryKey(Date d, const std::string& party, const std::string& product,
                               const std::string& lot) {
  const std::uint32_t v = static_cast<std::uint32_t>(d.days()) ^ 0x80000000u;
  std::string key{static_cast<char>(v >> 24), static_cast<char>(v >> 16), static_cast<char>(v >> 8),
                  static_cast<char>(v)};
  key += std::string(1, '\0') + party + '\0' + product + '\0' + lot;
  return key;
}

}  // namespace

TEST_CASE("a data directory from before schema 2 (and the party expiry index) is upgraded on its first open",
          "[ledger][expiry]") {
  TempDir dir;
  const std::string g = Gtin(13);
  std::vector<std::pair<std::string, std::string>> expiry_now, party_ledger_now;
  {
    auto l = OpenLedger(dir.sub("db"));
    Write(*l, "operator", {PartyItem("M1", v1::Party::MARKET), PartyItem("V1", v1::Party::VENDOR, "M1")});
    Write(*l, "V1", {Entry(E::RECEIVE, "r1", Lot(g, "A", "2026-12-20"), 5),
                     Entry(E::RECEIVE, "r2", Lot(g, "B", "2026-12-24"), 3)});
  }
  {
    // Make it look like an older directory: no schema key, the expiry index keyed by date,
    // party_ledger values empty, and (older still) an empty party_expiry column family.
    RawLedger raw(dir.sub("db"));
    expiry_now = raw.All("expiry");
    party_ledger_now = raw.All("party_ledger");
    REQUIRE(expiry_now.size() == 2);
    REQUIRE(party_ledger_now.size() == 2);
    REQUIRE(raw.db->Delete(rocksdb::WriteOptions(), raw.cf("default"), "schema").ok());
    REQUIRE(raw.db->DeleteRange(rocksdb::WriteOptions(), raw.cf("party_expiry"), "", "\xff").ok());
    REQUIRE(raw.db->DeleteRange(rocksdb::WriteOptions(), raw.cf("expiry"), "", "\xff\xff").ok());
    REQUIRE(raw.db->Put(rocksdb::WriteOptions(), raw.cf("expiry"),
                        SchemaOneExpiryKey(Date::FromYmd(2026, 12, 20), "V1", g, "A"), "").ok());
    REQUIRE(raw.db->Put(rocksdb::WriteOptions(), raw.cf("expiry"),
                        SchemaOneExpiryKey(Date::FromYmd(2026, 12, 24), "V1", g, "B"), "").ok());
    for (const auto& [k, v] : party_ledger_now) REQUIRE(raw.db->Put(rocksdb::WriteOptions(), raw.cf("party_ledger"), k, "").ok());
  }
  auto before = ledger::Ledger::Verify(dir.sub("db"));
  REQUIRE(before.ok());
  CHECK_THAT(before->problem, Catch::Contains("start `foodtrace serve` on it once"));
  {
    auto l = OpenLedger(dir.sub("db"));
    auto rows = l->ExpiringAt("V1", Date::FromYmd(2026, 11, 22), Date::FromYmd(2026, 12, 31), 10);
    REQUIRE(rows.ok());
    REQUIRE(rows->size() == 2);
    CHECK(rows->front().lot() == "A");
    auto market = l->ExpiringInMarket("M1", Date::FromYmd(2026, 11, 22), Date::FromYmd(2026, 12, 22), 10);
    REQUIRE(market.ok());
    REQUIRE(market->size() == 1);
    CHECK(market->front().quantity() == 5);
    auto lines = l->PartyLedgerLines("V1", Date::FromYmd(2026, 11, 1), Date::FromYmd(2026, 11, 30), 10);
    REQUIRE(lines.ok());
    REQUIRE(lines->size() == 2);
    CHECK(lines->at(1).event_id() == "r2");
  }
  CHECK(ledger::Ledger::Verify(dir.sub("db"))->problem == "");
  RawLedger raw(dir.sub("db"));
  CHECK(raw.All("expiry") == expiry_now);  // exactly what the current writer keeps
  CHECK(raw.All("party_ledger") == party_ledger_now);
}

TEST_CASE("concurrent writers share group commits and every item gets its own result",
          "[ledger]") {
  Market m;
  const std::string g = Gtin(11);
  std::vector<std::thread> threads;
  std::atomic<int> accepted{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 50; ++i) {
        auto r = Write(*m.l, t % 2 ? "V1" : "V2",
                       {Entry(E::RECEIVE, "t" + std::to_string(t) + "-" + std::to_string(i), Lot(g, "L1"), 1)});
        if (r[0].status() == S::ACCEPTED) ++accepted;
      }
    });
  }
  for (auto& th : threads) th.join();
  CHECK(accepted == 200);
  CHECK(m.OnHand("V1", g, "L1") + m.OnHand("V2", g, "L1") == 200);
}
