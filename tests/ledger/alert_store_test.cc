// Proves the alert store keeps sequence order, paging, dedup and the published encoding right
// across reopening (the alert keys are the sequence index).
#include <catch2/catch.hpp>

#include "foodtrace/ledger/alert_store.h"
#include "support/ledger_fixture.h"

using namespace foodtrace;
using namespace foodtrace::testing;

namespace {

v1::Alert Raised(const std::string& party, const std::string& dedup) {
  v1::Alert a;
  a.set_kind(v1::Alert::RECALLED_IN_STOCK);
  a.set_severity(v1::Alert::CRITICAL);
  a.set_party_id(party);
  a.set_gtin("06901234567892");
  a.set_lot("L1");
  a.set_recall_id("R-1");
  a.set_dedup_key(dedup);
  a.set_message(party + " holds a recalled lot");
  (*a.mutable_facts())["quantity"] = "12";
  return a;
}

std::vector<std::string> Ids(const ledger::AlertPage& page) {
  std::vector<std::string> ids;
  for (const auto& a : page.alerts) ids.push_back(a.alert_id());
  return ids;
}

}  // namespace

TEST_CASE("alerts list in sequence order page by page, and numbering continues after reopening",
          "[ledger][alerts]") {
  TempDir dir;
  {
    auto l = OpenLedger(dir.sub("db"));
    auto store = ledger::AlertStore::Open(*l);
    REQUIRE(store.ok());
    ledger::AlertBatch batch;
    for (int i = 1; i <= 12; ++i) batch.Raise(Raised("V" + std::to_string(i), "k" + std::to_string(i)));
    std::vector<std::string> encoded;
    auto raised = (*store)->Commit(batch, 1000, &encoded);
    REQUIRE(raised.ok());
    REQUIRE(raised->size() == 12);
    REQUIRE(encoded.size() == 12);
    for (std::size_t i = 0; i < raised->size(); ++i) {
      // What the feed publishes is exactly what is stored.
      auto stored = (*store)->Get((*raised)[i].alert_id());
      REQUIRE(stored.ok());
      CHECK(stored->SerializeAsString() == encoded[i]);
      CHECK(stored->sequence() == i + 1);
    }
  }
  auto l = OpenLedger(dir.sub("db"));
  auto store = ledger::AlertStore::Open(*l);
  REQUIRE(store.ok());
  CHECK((*store)->LastAlertSequence() == 12);
  ledger::AlertBatch again;
  again.Raise(Raised("V3", "k3"));      // stored before the reopen: dedup
  again.Raise(Raised("V13", "k13"));    // new: numbered after the last one stored
  auto raised = (*store)->Commit(again, 2000);
  REQUIRE(raised.ok());
  REQUIRE(raised->size() == 1);
  CHECK((*raised)[0].sequence() == 13);
  CHECK((*raised)[0].alert_id() == "al-000000000013");

  ledger::AlertFilter filter;
  filter.limit = 5;
  std::vector<std::string> all;
  for (int pages = 0; pages < 10; ++pages) {
    auto page = (*store)->List(filter);
    REQUIRE(page.ok());
    for (const auto& id : Ids(*page)) all.push_back(id);
    if (!page->more) break;
    filter.after_sequence = page->next_after_sequence;
  }
  REQUIRE(all.size() == 13);
  for (std::size_t i = 0; i < all.size(); ++i) {
    char want[32];
    std::snprintf(want, sizeof want, "al-%012zu", i + 1);
    CHECK(all[i] == want);
  }
  ledger::AlertFilter by_party;
  by_party.party_id = "V13";
  auto v13 = (*store)->List(by_party);
  REQUIRE(v13.ok());
  CHECK(Ids(*v13) == std::vector<std::string>{"al-000000000013"});
  ledger::AlertFilter newest;
  newest.after_sequence = 11;
  auto tail = (*store)->List(newest);
  REQUIRE(tail.ok());
  CHECK(Ids(*tail) == std::vector<std::string>{"al-000000000012", "al-000000000013"});
  CHECK_FALSE(tail->more);
}
