// Proves the alert feed over real TCP: a subscriber receives a burst of 10,000 alerts in
// sequence order with no gaps (synchronised by a probe alert, not by sleeping).
#include "foodtrace/alerts/alerts.h"
#include "tests/integration/alerts_support.h"

using namespace foodtrace;
using namespace foodtrace::testing;
using E = v1::LedgerEntry;

TEST_CASE("a subscriber receives a 10,000-alert burst in sequence order with no gaps", "[alerts][integration]") {
  constexpr int kBurst = 10'000;
  AlertServer s;
  s.Record({PartyItem("V1", v1::Party::VENDOR)});
  auto sub = alerts::AlertSubscriber::Connect(s.alerts(), {});
  REQUIRE(sub.ok());
  // Slow joiner: keep raising probe alerts (purchases without certificate) until one arrives.
  v1::LotRef expired = Lot(Gtin(401), "OLD", "2025-12-31");
  expired.set_produced_on("2025-06-01");
  std::uint64_t last = 0;
  int probes = 0;
  REQUIRE(Eventually([&] {
    s.Record({EntryOf("V1", Entry(E::RECEIVE, "probe-" + std::to_string(probes++), expired, kBurst))});
    auto got = (*sub)->Next(200);
    REQUIRE(got.ok());
    if (!*got) return false;
    last = (*got)->sequence();
    return true;
  }));
  // Drain what the remaining probes raised.
  while (true) {
    auto got = (*sub)->Next(500);
    REQUIRE(got.ok());
    if (!*got) break;
    REQUIRE((*got)->sequence() == last + 1);
    last = (*got)->sequence();
  }
  std::vector<v1::Item> sales;
  for (int i = 0; i < kBurst; ++i) sales.push_back(EntryOf("V1", Entry(E::SHIP, "sale-" + std::to_string(i), expired, 1)));
  s.Record(std::move(sales));  // each sale of the expired lot raises EXPIRED_SOLD
  int received = 0;
  while (received < kBurst) {
    auto got = (*sub)->Next(20'000);
    REQUIRE(got.ok());
    REQUIRE(got->has_value());
    REQUIRE((*got)->sequence() == last + 1);
    REQUIRE((*got)->kind() == v1::Alert::EXPIRED_SOLD);
    last = (*got)->sequence();
    ++received;
  }
  CHECK(received == kBurst);
}
