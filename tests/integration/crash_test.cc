// Proves a server killed with SIGKILL mid-stream loses nothing it acknowledged and, after a
// restart, counts every retried entry exactly once; verify then passes.
#include <catch2/catch.hpp>

#include <atomic>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "foodtrace/ingest/client.h"
#include "foodtrace/ingest/keys.h"
#include "support/ledger_fixture.h"
#include "support/process.h"

using namespace foodtrace;
using namespace foodtrace::testing;
using E = v1::LedgerEntry;
using S = v1::ItemResult;

namespace {

constexpr int kVendors = 4;
constexpr int kBatchItems = 25;

std::unique_ptr<ingest::Client> ClientFor(const ingest::KeyFile& key, const std::string& endpoint,
                                          int retries = 0) {
  ingest::ClientOptions o;
  o.key = key;
  o.endpoint = endpoint;
  o.timeout_ms = 2000;
  o.retries_max = retries;
  auto c = ingest::Client::Connect(o);
  FT_CHECK(c.ok());
  return std::move(*c);
}

// Registers a market and vendors through the operator key; returns the vendors' keys.
std::vector<ingest::KeyFile> RegisterVendors(const TempDir& dir, const std::string& endpoint) {
  auto op = ingest::ReadKeyFile(dir.sub("data") + "/keys/operator.key");
  REQUIRE(op.ok());
  auto client = ClientFor(*op, endpoint, 3);
  std::vector<v1::Item> items{PartyItem("M", v1::Party::MARKET)};
  std::vector<ingest::KeyFile> keys;
  for (int v = 0; v < kVendors; ++v) {
    auto key = ingest::NewPartyKey("V" + std::to_string(v), op->server_public_key, endpoint);
    REQUIRE(key.ok());
    items.push_back(PartyItem(key->party_id, v1::Party::VENDOR, "M", key->public_key));
    keys.push_back(*key);
  }
  auto r = client->Submit(items);
  REQUIRE(r.ok());
  for (const auto& x : *r) REQUIRE(x.status() == S::ACCEPTED);
  return keys;
}

struct Sent {
  v1::Item item;
  std::uint64_t acked_sequence = 0;  // 0 = no acknowledgement seen
};

}  // namespace

TEST_CASE("a killed server loses nothing it acknowledged and retries are counted once",
          "[integration][crash]") {
  TempDir dir;
  const std::string gtin = Gtin(777);
  std::vector<std::vector<Sent>> sent(kVendors);
  std::vector<ingest::KeyFile> keys;
  {
    ServerProcess server(dir.sub("data"));
    keys = RegisterVendors(dir, server.endpoint("ingest"));
    std::atomic<int> acked{0};
    std::atomic<bool> stop{false};
    std::vector<std::thread> writers;
    for (int v = 0; v < kVendors; ++v) {
      writers.emplace_back([&, v] {
        auto client = ClientFor(keys[v], server.endpoint("ingest"));
        for (int batch = 0; !stop; ++batch) {
          std::vector<v1::Item> items;
          for (int i = 0; i < kBatchItems; ++i) {
            const std::string id = "e" + std::to_string(batch) + "-" + std::to_string(i);
            items.push_back(Entry(E::RECEIVE, id, Lot(gtin, "L1"), 1 + (batch + i) % 7));
            sent[v].push_back(Sent{items.back(), 0});
          }
          auto r = client->Submit(items);
          if (!r.ok()) return;  // the server is gone
          for (int i = 0; i < kBatchItems; ++i) {
            if ((*r)[i].status() == S::ACCEPTED) {
              sent[v][sent[v].size() - kBatchItems + i].acked_sequence = (*r)[i].sequence();
              ++acked;
            }
          }
        }
      });
    }
    // Kill once a few thousand entries are acknowledged (bounded wait, no fixed sleep).
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (acked < 3000 && std::chrono::steady_clock::now() < deadline) std::this_thread::yield();
    REQUIRE(acked >= 3000);
    CHECK(server.Stop(SIGKILL) == 128 + SIGKILL);
    stop = true;
    for (auto& w : writers) w.join();
  }

  ServerProcess server(dir.sub("data"));
  std::int64_t expected_total = 0;
  std::size_t distinct = 0;
  for (int v = 0; v < kVendors; ++v) {
    auto client = ClientFor(keys[v], server.endpoint("ingest"), 3);
    std::vector<v1::Item> items;
    for (const auto& s : sent[v]) items.push_back(s.item);
    auto r = client->Submit(items);  // the client splits it into batches
    REQUIRE(r.ok());
    REQUIRE(r->size() == sent[v].size());
    std::int64_t vendor_total = 0;
    for (std::size_t i = 0; i < sent[v].size(); ++i) {
      vendor_total += sent[v][i].item.entry().quantity();
      if (sent[v][i].acked_sequence != 0) {
        INFO("vendor " << v << " item " << i);
        REQUIRE((*r)[i].status() == S::DUPLICATE);
        REQUIRE((*r)[i].sequence() == sent[v][i].acked_sequence);
      } else {
        REQUIRE((*r)[i].status() != S::REJECTED);
      }
    }
    distinct += sent[v].size();
    expected_total += vendor_total;
    v1::Query q;
    q.set_kind(v1::Query::STOCK);
    auto stock = client->Query(q);
    REQUIRE(stock.ok());
    auto j = nlohmann::json::parse(*stock);
    REQUIRE(j.size() == 1);
    CHECK(j[0]["quantity"].get<std::int64_t>() == vendor_total);
  }
  CHECK(expected_total > 0);
  REQUIRE(server.Stop(SIGTERM) == 0);
  auto verify = RunCommand({FoodtraceBinary(), "verify", "--data", dir.sub("data"), "--json"});
  INFO(verify.out << verify.err);
  CHECK(verify.exit_code == 0);
  auto report = nlohmann::json::parse(verify.out);
  CHECK(report["ok"] == true);
  // Parties (operator + market + vendors) and one log record per distinct entry: nothing twice.
  CHECK(report["records"].get<std::size_t>() == 2 + kVendors + distinct);
}
