// Proves the signed heads: the ledger signs its head on close and every N records, each head's
// proofs verify for anyone, and a ledger cut short or rewritten is refused at open and named
// by verify, while a damaged Merkle index is rebuilt.
#include <catch2/catch.hpp>

#include <rocksdb/db.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "foodtrace/common/crypto.h"
#include "foodtrace/common/merkle.h"
#include "foodtrace/ledger/heads.h"
#include "support/ledger_fixture.h"

using namespace foodtrace;
using namespace foodtrace::testing;
using E = v1::LedgerEntry;

namespace {

struct HeadsLedger {
  TempDir dir;
  SigningKeyPair key = GenerateSigningKeyPair();
  std::string db = dir.sub("ledger");
  std::string heads = dir.sub("heads/signed_heads");
  std::uint64_t interval_records = 1'000'000;
  std::unique_ptr<ledger::Ledger> l;
  int written = 0;

  Result<std::unique_ptr<ledger::Ledger>> TryOpen(const std::string& path) {
    ledger::Options o;
    o.path = path;
    o.clock = [] { return StartOfDay(Date::FromYmd(2026, 11, 22), kChinaUtcOffsetMinutes) + 12 * 3600'000; };
    o.heads.path = heads;
    o.heads.secret_key = key.secret_key;
    o.heads.interval_records = interval_records;
    o.heads.interval_ms = 3'600'000;
    return ledger::Ledger::Open(std::move(o));
  }
  void Open() {
    auto opened = TryOpen(db);
    INFO(opened.status().ToString());
    REQUIRE(opened.ok());
    l = std::move(*opened);
    if (l->LastSequence() == 0) {
      Write(*l, "operator", {PartyItem("M", v1::Party::MARKET), PartyItem("V1", v1::Party::VENDOR, "M")});
    }
  }
  // Appends `n` purchases by V1 (one record each).
  void Receive(int n) {
    while (n > 0) {
      std::vector<v1::Item> items;
      for (int i = 0; i < std::min(n, 500); ++i, ++written) {
        items.push_back(Entry(E::RECEIVE, "in-" + std::to_string(written), Lot(Gtin(7), "L1"), 1));
      }
      n -= static_cast<int>(items.size());
      for (const auto& r : Write(*l, "V1", std::move(items))) REQUIRE(r.status() == v1::ItemResult::ACCEPTED);
    }
  }
  std::vector<ledger::SignedHead> Heads() const {
    auto all = ledger::ReadHeadsFile(heads);
    REQUIRE(all.ok());
    return *all;
  }
};

// The Merkle root of the first `n` records, straight from their events.
std::string RootOf(ledger::Ledger& l, std::uint64_t n) {
  merkle::Frontier f;
  for (std::uint64_t s = 1; s <= n; ++s) {
    auto event = l.ReadEvent(s);
    REQUIRE(event.ok());
    f.Append(merkle::LeafHash(event->SerializeAsString()));
  }
  return f.Root();
}

void RawDb(const std::string& path,
           const std::function<void(rocksdb::DB*, const std::map<std::string, rocksdb::ColumnFamilyHandle*>&)>& fn) {
  std::vector<std::string> names;
  REQUIRE(rocksdb::DB::ListColumnFamilies(rocksdb::DBOptions(), path, &names).ok());
  std::vector<rocksdb::ColumnFamilyDescriptor> cfs;
  for (const auto& n : names) cfs.emplace_back(n, rocksdb::ColumnFamilyOptions());
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* db = nullptr;
  REQUIRE(rocksdb::DB::Open(rocksdb::DBOptions(), path, cfs, &handles, &db).ok());
  std::map<std::string, rocksdb::ColumnFamilyHandle*> by_name;
  for (std::size_t i = 0; i < names.size(); ++i) by_name[names[i]] = handles[i];
  fn(db, by_name);
  for (auto* h : handles) REQUIRE(db->DestroyColumnFamilyHandle(h).ok());
  delete db;
}

}  // namespace

TEST_CASE("closing the ledger signs its head: sequence, chain hash and Merkle root of the log",
          "[heads]") {
  HeadsLedger h;
  h.Open();
  h.Receive(600);
  const std::uint64_t last = h.l->LastSequence();
  h.l.reset();
  const auto heads = h.Heads();
  REQUIRE(!heads.empty());
  const ledger::SignedHead& head = heads.back();
  CHECK(head.sequence == last);
  CHECK(head.public_key == h.key.public_key);
  CHECK(ledger::HeadSignatureValid(head));
  auto altered = head;
  altered.sequence -= 1;
  CHECK_FALSE(ledger::HeadSignatureValid(altered));
  // The JSON the portal publishes round-trips.
  auto parsed = ledger::HeadFromJson(ledger::HeadToJson(head));
  REQUIRE(parsed.ok());
  CHECK(*parsed == head);

  h.Open();  // reopening accepts the ledger and signs nothing new
  auto latest = h.l->LatestHead();
  REQUIRE(latest.ok());
  REQUIRE(latest->has_value());
  CHECK(**latest == head);
  CHECK(head.merkle_root == RootOf(*h.l, last));
  auto proof = h.l->Proof(last, 0);
  REQUIRE(proof.ok());
  CHECK(proof->chain_hash == head.chain_hash);
  h.l.reset();
  CHECK(h.Heads().size() == heads.size());
  auto report = ledger::Ledger::Verify(h.db, h.heads);
  REQUIRE(report.ok());
  INFO(report->problem);
  CHECK(report->problem.empty());
  CHECK(report->heads == heads.size());
}

TEST_CASE("a head is signed every N records while the ledger runs", "[heads]") {
  HeadsLedger h;
  h.interval_records = 100;
  h.Open();
  h.Receive(250);
  const std::uint64_t last = h.l->LastSequence();
  // The signing thread looks every 100 ms; wait (bounded) for it to reach the log's end.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  std::optional<ledger::SignedHead> head;
  while (std::chrono::steady_clock::now() < deadline) {
    auto latest = h.l->LatestHead();
    REQUIRE(latest.ok());
    head = *latest;
    if (head && head->sequence == last) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  REQUIRE(head);
  CHECK(head->sequence == last);
  CHECK(ledger::HeadSignatureValid(*head));
  CHECK(head->merkle_root == RootOf(*h.l, last));
}

TEST_CASE("anyone holding an older head can check a record and the history since against a newer one",
          "[heads]") {
  HeadsLedger h;
  h.Open();
  h.Receive(300);
  h.l.reset();  // head 1: 302 records
  h.Open();
  h.Receive(700);
  h.l.reset();  // head 2: 1002 records
  const auto heads = h.Heads();
  REQUIRE(heads.size() == 2);
  const auto& old_head = heads[0];
  const auto& new_head = heads[1];
  h.Open();
  for (std::uint64_t sequence : {std::uint64_t{1}, std::uint64_t{255}, std::uint64_t{256}, std::uint64_t{257},
                                 old_head.sequence, std::uint64_t{777}, new_head.sequence}) {
    INFO("record " << sequence);
    auto proof = h.l->Proof(sequence, 0);
    REQUIRE(proof.ok());
    CHECK(proof->tree_size == new_head.sequence);
    CHECK(proof->head == new_head);
    CHECK(Sha256Concat(proof->prev_hash, proof->event) == proof->chain_hash);
    CHECK(merkle::VerifyInclusion(merkle::LeafHash(proof->event), sequence - 1, proof->tree_size,
                                  proof->inclusion, new_head.merkle_root));
    if (sequence == old_head.sequence) {
      CHECK(proof->chain_hash == old_head.chain_hash);
      CHECK(merkle::VerifyConsistency(old_head.sequence, new_head.sequence, old_head.merkle_root,
                                      new_head.merkle_root, proof->consistency));
      CHECK_FALSE(merkle::VerifyConsistency(old_head.sequence, new_head.sequence, new_head.merkle_root,
                                            new_head.merkle_root, proof->consistency));
    }
  }
  // A proof against the older head itself.
  auto against_old = h.l->Proof(100, old_head.sequence);
  REQUIRE(against_old.ok());
  CHECK(merkle::VerifyInclusion(merkle::LeafHash(against_old->event), 99, old_head.sequence,
                                against_old->inclusion, old_head.merkle_root));
  CHECK(h.l->Proof(0, 0).status().reason() == "SEQUENCE_OUT_OF_RANGE");
  CHECK(h.l->Proof(new_head.sequence + 1, 0).status().reason() == "SEQUENCE_OUT_OF_RANGE");
  CHECK(h.l->Proof(5, 303).status().code() == Code::kNotFound);  // no head of exactly 303 records
}

TEST_CASE("a ledger shorter than its last signed head is refused, naming the missing records",
          "[heads]") {
  HeadsLedger h;
  h.Open();
  h.Receive(40);
  h.l.reset();  // head at 42
  std::filesystem::copy(h.db, h.dir.sub("old-ledger"), std::filesystem::copy_options::recursive);
  h.Open();
  h.Receive(60);
  h.l.reset();  // head at 102
  // An older copy of the ledger put in place of the current one (as a truncated WAL leaves it).
  std::filesystem::remove_all(h.db);
  std::filesystem::rename(h.dir.sub("old-ledger"), h.db);
  auto refused = h.TryOpen(h.db);
  REQUIRE_FALSE(refused.ok());
  const std::string message = refused.status().message();
  INFO(message);
  CHECK(refused.status().reason() == "LEDGER_SHORTER_THAN_SIGNED_HEAD");
  CHECK(message.find("ends at record 42") != std::string::npos);
  CHECK(message.find("records 43-102") != std::string::npos);
  CHECK(message.find("foodtrace restore") != std::string::npos);
  // Refusing changed nothing: verify names the same gap.
  auto report = ledger::Ledger::Verify(h.db, h.heads);
  REQUIRE(report.ok());
  CHECK(report->first_bad_sequence == 43);
  CHECK(report->problem.find("records 43-102 are missing") != std::string::npos);
  CHECK(report->heads == 1);
}

TEST_CASE("a history rewritten with a valid hash chain is caught by the signed heads", "[heads]") {
  HeadsLedger h;
  h.Open();
  h.Receive(20);
  const std::uint64_t last = h.l->LastSequence();
  h.l.reset();
  // Change record 8's quantity and re-chain every record after it: the chain alone stays sound.
  RawDb(h.db, [&](rocksdb::DB* db, const auto& cf) {
    std::string prev;
    for (std::uint64_t s = 8; s <= last; ++s) {
      std::string key(8, '\0');
      for (int i = 0; i < 8; ++i) key[7 - i] = static_cast<char>((s >> (8 * i)) & 0xff);
      std::string bytes;
      REQUIRE(db->Get(rocksdb::ReadOptions(), cf.at("log"), key, &bytes).ok());
      v1::LogRecord record;
      REQUIRE(record.ParseFromString(bytes));
      if (s == 8) {
        v1::Event event;
        REQUIRE(event.ParseFromString(record.event()));
        event.mutable_entry()->set_quantity(2);
        record.set_event(event.SerializeAsString());
        prev = record.prev_hash();
      }
      record.set_prev_hash(prev);
      record.set_hash(Sha256Concat(prev, record.event()));
      prev = record.hash();
      REQUIRE(db->Put(rocksdb::WriteOptions(), cf.at("log"), key, record.SerializeAsString()).ok());
    }
  });
  auto chain_only = ledger::Ledger::Verify(h.db);
  REQUIRE(chain_only.ok());
  CHECK(chain_only->problem.find("log record") == std::string::npos);  // the chain alone cannot tell
  auto report = ledger::Ledger::Verify(h.db, h.heads);
  REQUIRE(report.ok());
  CHECK(report->first_bad_sequence == last);
  CHECK(report->problem.find("the history was rewritten") != std::string::npos);
  auto refused = h.TryOpen(h.db);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.status().reason() == "LEDGER_DIFFERS_FROM_SIGNED_HEAD");
}

TEST_CASE("a damaged Merkle index is named by verify, never gives a false proof, and is rebuilt",
          "[heads]") {
  HeadsLedger h;
  h.Open();
  h.Receive(600);
  h.l.reset();
  auto damage = [&](int level, char index) {
    RawDb(h.db, [&](rocksdb::DB* db, const auto& cf) {
      std::string key(9, '\0');
      key[0] = static_cast<char>(level);
      key[8] = index;
      REQUIRE(db->Put(rocksdb::WriteOptions(), cf.at("merkle"), key, std::string(32, 'x')).ok());
    });
  };
  damage(8, 1);  // leaves 256-511: a sibling on the path of every record of the first block
  auto report = ledger::Ledger::Verify(h.db, h.heads);
  REQUIRE(report.ok());
  CHECK(report->problem.find("index merkle node (8, 1)") != std::string::npos);
  h.Open();  // the signed root is made of (9, 0), so the damage is not seen at open …
  auto proof = h.l->Proof(10, 0);  // … but a proof through it is refused rather than wrong
  CHECK(proof.status().code() == Code::kCorruption);
  CHECK(proof.status().message().find("--rebuild-merkle-index") != std::string::npos);
  CHECK(h.l->Proof(300, 0).ok());
  h.l.reset();
  damage(9, 0);  // now the signed head's root no longer comes out: rebuilt at open
  h.Open();
  proof = h.l->Proof(10, 0);
  REQUIRE(proof.ok());
  CHECK(merkle::VerifyInclusion(merkle::LeafHash(proof->event), 9, proof->tree_size, proof->inclusion,
                                proof->head.merkle_root));
  h.l.reset();
  report = ledger::Ledger::Verify(h.db, h.heads);
  REQUIRE(report.ok());
  INFO(report->problem);
  CHECK(report->problem.empty());
}

TEST_CASE("a missing heads file or a replaced key is refused", "[heads]") {
  HeadsLedger h;
  h.Open();
  h.Receive(5);
  h.l.reset();
  const auto kept = h.Heads();
  h.key = GenerateSigningKeyPair();
  auto refused = h.TryOpen(h.db);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.status().reason() == "HEAD_KEY_CHANGED");
  std::filesystem::remove(h.heads);
  refused = h.TryOpen(h.db);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.status().reason() == "HEADS_FILE_MISSING");
  CHECK(refused.status().message().find("up to record 7") != std::string::npos);
}
