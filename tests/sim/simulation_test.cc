// Proves the simulator is deterministic (same options, same bytes), that its identifiers pass
// the standards' checks and that every item it generates passes the ledger's validation.
#include <catch2/catch.hpp>

#include <set>

#include "foodtrace/common/identifiers.h"
#include "foodtrace/sim/sim.h"
#include "ledger/validate.h"
#include "sim/catalog.h"

using namespace foodtrace;
using namespace foodtrace::sim;

namespace {

Options Small(std::uint64_t seed) {
  Options o;
  o.seed = seed;
  o.days = 7;
  o.markets = 2;
  o.vendors_per_market = 4;
  o.today = Date::FromYmd(2026, 3, 16);
  return o;
}

// Every generated item serialized in order, then the truth: the whole observable output.
std::string Stream(const Options& options) {
  auto sim = Simulation::Create(options);
  REQUIRE(sim.ok());
  std::string out;
  for (const auto& p : (*sim)->parties()) out += p.SerializeAsString();
  for (const auto& p : (*sim)->products()) out += p.SerializeAsString();
  while ((*sim)->HasNextDay()) {
    const Day day = (*sim)->NextDay();
    for (const auto* batches : {&day.trade, &day.oversight}) {
      for (const Batch& b : *batches) {
        out += b.writer;
        for (const auto& item : b.items) out += item.SerializeAsString();
      }
    }
  }
  return out + (*sim)->truth().ToJson();
}

}  // namespace

TEST_CASE("the same seed gives byte-identical events and truth; another seed differs", "[sim]") {
  const std::string a = Stream(Small(42));
  CHECK(a.size() > 10000);
  CHECK(a == Stream(Small(42)));
  CHECK(a != Stream(Small(43)));
}

TEST_CASE("generated identifiers pass the GTIN, USCC and licence checks", "[sim]") {
  auto sim = Simulation::Create(Small(7));
  REQUIRE(sim.ok());
  std::set<std::string> usccs;
  for (const v1::Party& p : (*sim)->parties()) {
    INFO(p.party_id());
    if (!p.licence().empty()) CHECK(NormalizeLicence(p.licence()).ok());
    if (!p.uscc().empty()) {
      CHECK(NormalizeUscc(p.uscc()).ok());
      CHECK(usccs.insert(p.uscc()).second);
    }
  }
  for (const v1::Product& p : (*sim)->products()) {
    if (p.gtin().empty()) continue;
    CHECK(NormalizeGtin(p.gtin()).ok());
    CHECK(p.gtin().substr(1, 2) == "69");
  }
  CHECK(UsccCheckCharacter("91350100M000100Y4") == '3');  // REGULATION rule 19's example
  CHECK(UsccCheckCharacter("91110108330352199") == '7');
}

TEST_CASE("every generated item passes the ledger's validation", "[sim]") {
  const Options options = Small(42);
  auto sim = Simulation::Create(options);
  REQUIRE(sim.ok());
  ledger::ValidateContext ctx;
  ctx.today = options.today;
  std::size_t items = 0;
  for (v1::Party p : (*sim)->parties()) {
    INFO(p.party_id());
    REQUIRE(ledger::ValidateParty(&p, ctx).ok());
  }
  while ((*sim)->HasNextDay()) {
    const Day day = (*sim)->NextDay();
    for (const auto* batches : {&day.trade, &day.oversight}) {
      for (const Batch& b : *batches) {
        ctx.recorder_wholesale = b.writer.rfind("w", 0) == 0;
        for (v1::Item item : b.items) {
          const Status s = ledger::ValidateItem(&item, ctx);
          INFO(item.ShortDebugString() << " → " << s.ToString());
          REQUIRE(s.ok());
          ++items;
        }
      }
    }
  }
  CHECK(items > 500);
}

TEST_CASE("a small run injects every kind of incident the truth accounts for", "[sim]") {
  auto sim = Simulation::Create(Small(42));
  REQUIRE(sim.ok());
  while ((*sim)->HasNextDay()) (void)(*sim)->NextDay();
  const Truth truth = (*sim)->truth();
  REQUIRE_FALSE(truth.recalls.empty());
  CHECK_FALSE(truth.recalls.front().holders.empty());
  CHECK_FALSE(truth.expired_holdings.empty());
  std::set<std::string> kinds;
  for (const auto& a : truth.anomalies) kinds.insert(a.kind);
  for (const char* k : {"NEGATIVE_STOCK", "UNVERIFIED_SUPPLIER", "UNCONFIRMED_RECEIPT", "TEST_FAILED", "RECALLED_SCANNED"}) {
    INFO(k);
    CHECK(kinds.count(k) == 1);
  }
}

TEST_CASE("options out of range are refused with the option's name", "[sim]") {
  Options o = Small(1);
  o.vendors_per_market = 2;
  auto sim = Simulation::Create(o);
  REQUIRE_FALSE(sim.ok());
  CHECK(sim.status().message().find("--vendors-per-market") != std::string::npos);
}
