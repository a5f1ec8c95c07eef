// Proves the signed heads end to end: the portal publishes heads and proofs that `foodtrace head
// verify` checks, and a write-ahead log truncated after a kill makes the server refuse to start
// and `foodtrace verify` fail, both naming the last signed head and the missing records.
#include <catch2/catch.hpp>

#include <httplib.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "foodtrace/ingest/client.h"
#include "foodtrace/ingest/keys.h"
#include "support/ledger_fixture.h"
#include "support/process.h"

using namespace foodtrace;
using namespace foodtrace::testing;
using nlohmann::json;
using E = v1::LedgerEntry;

namespace {

std::unique_ptr<ingest::Client> OperatorClient(const std::string& data, const std::string& endpoint) {
  auto op = ingest::ReadKeyFile(data + "/keys/operator.key");
  FT_CHECK(op.ok());
  ingest::ClientOptions o;
  o.key = *op;
  o.endpoint = endpoint;
  o.timeout_ms = 10000;
  auto client = ingest::Client::Connect(o);
  FT_CHECK(client.ok());
  return std::move(*client);
}

// Registers a market and vendor V (as the operator records on the vendor's behalf is not
// allowed, V gets its own key) and records `n` purchases as V; returns V's key.
ingest::KeyFile Vendor(const std::string& data, const std::string& endpoint) {
  auto op = ingest::ReadKeyFile(data + "/keys/operator.key");
  REQUIRE(op.ok());
  auto key = ingest::NewPartyKey("V", op->server_public_key, endpoint);
  REQUIRE(key.ok());
  auto r = OperatorClient(data, endpoint)
               ->Submit({PartyItem("M", v1::Party::MARKET), PartyItem("V", v1::Party::VENDOR, "M", key->public_key)});
  REQUIRE(r.ok());
  return *key;
}

std::uint64_t Receive(const ingest::KeyFile& key, const std::string& endpoint, int first, int n) {
  ingest::ClientOptions o;
  o.key = key;
  o.endpoint = endpoint;
  o.timeout_ms = 10000;
  auto client = ingest::Client::Connect(o);
  REQUIRE(client.ok());
  std::vector<v1::Item> items;
  for (int i = first; i < first + n; ++i) items.push_back(Entry(E::RECEIVE, "in-" + std::to_string(i), Lot(Gtin(3), "L"), 1));
  auto r = (*client)->Submit(items);
  REQUIRE(r.ok());
  std::uint64_t last = 0;
  for (const auto& x : *r) {
    REQUIRE(x.status() == v1::ItemResult::ACCEPTED);
    last = std::max(last, x.sequence());
  }
  return last;
}

httplib::Client Http(const std::string& url) {
  const auto colon = url.rfind(':');
  httplib::Client c("127.0.0.1", std::stoi(url.substr(colon + 1)));
  c.set_read_timeout(10, 0);
  return c;
}

// Waits (bounded) until the published head covers `sequence`; returns it.
json WaitForHead(const std::string& url, std::uint64_t sequence) {
  auto http = Http(url);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  json head;
  while (std::chrono::steady_clock::now() < deadline) {
    auto r = http.Get("/api/v1/ledger/head");
    if (r && r->status == 200) {
      head = json::parse(r->body);
      if (head["sequence"].get<std::uint64_t>() >= sequence) return head;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));  // the signer looks every 100 ms
  }
  FAIL("no head covering record " << sequence << " within 30 s; last seen " << head.dump());
  return head;
}

std::vector<std::string> ServeArgs(const std::string& data) {
  return {FoodtraceBinary(), "serve", "--data", data, "--ingest", "tcp://127.0.0.1:*", "--http", "127.0.0.1:0",
          "--alerts", "tcp://127.0.0.1:*"};
}

// Empties the newest RocksDB write-ahead log, as a failing disk or a careless operator might: every
// record since the last flush is gone, though each was acknowledged after an fsync.
void TruncateNewestWal(const std::string& ledger_dir) {
  std::filesystem::path newest;
  for (const auto& e : std::filesystem::directory_iterator(ledger_dir)) {
    if (e.path().extension() == ".log" && (newest.empty() || e.path().filename() > newest.filename())) newest = e.path();
  }
  REQUIRE(!newest.empty());
  const auto size = std::filesystem::file_size(newest);
  REQUIRE(size > 0);
  std::filesystem::resize_file(newest, 0);
}

}  // namespace

TEST_CASE("a head kept from the portal is proven part of the server's later head by `foodtrace head verify`",
          "[integration][heads]") {
  TempDir dir;
  const std::string data = dir.sub("data");
  ServerProcess server(data, {"--head-interval-records", "25"});
  const std::string url = server.endpoint("http");
  const std::string ingest = server.endpoint("ingest");
  const auto key = Vendor(data, ingest);
  std::uint64_t last = Receive(key, ingest, 0, 100);
  WaitForHead(url, last);
  auto kept = RunCommand({FoodtraceBinary(), "head", "get", "--portal", url, "--out", dir.sub("kept.json")});
  INFO(kept.err);
  REQUIRE(kept.exit_code == 0);
  const json kept_head = json::parse(kept.out);
  CHECK(kept_head["sequence"].get<std::uint64_t>() >= last);
  for (const char* field : {"chain_hash", "merkle_root", "public_key", "signature"}) {
    CHECK(kept_head[field].get<std::string>().size() > 60);
  }

  last = Receive(key, ingest, 100, 300);
  const json newer = WaitForHead(url, last);
  auto verified = RunCommand({FoodtraceBinary(), "head", "verify", "--portal", url, "--public-key",
                              kept_head["public_key"], dir.sub("kept.json")});
  INFO(verified.out << verified.err);
  CHECK(verified.exit_code == 0);
  CHECK(verified.out.find("OK ") == 0);

  // A kept head someone altered no longer verifies.
  json forged = kept_head;
  std::string root = forged["merkle_root"];
  root[0] = root[0] == '0' ? '1' : '0';
  forged["merkle_root"] = root;
  std::ofstream(dir.sub("forged.json")) << forged.dump();
  auto refused = RunCommand({FoodtraceBinary(), "head", "verify", "--portal", url, "--json", dir.sub("forged.json")});
  CHECK(refused.exit_code == 3);
  CHECK(json::parse(refused.out)["heads"][0]["ok"] == false);

  // The proof endpoint's answer verifies by itself, and bad requests get a clear error.
  auto http = Http(url);
  auto proof = http.Get("/api/v1/ledger/proof?sequence=7");
  REQUIRE(proof);
  REQUIRE(proof->status == 200);
  const json p = json::parse(proof->body);
  CHECK(p["tree_size"] >= newer["sequence"]);
  CHECK(p["event_json"]["sequence"] == "7");
  CHECK(!p["inclusion"].empty());
  auto bad = http.Get("/api/v1/ledger/proof?sequence=999999");
  REQUIRE(bad);
  CHECK(bad->status == 400);
  CHECK(json::parse(bad->body)["error"]["code"] == "SEQUENCE_OUT_OF_RANGE");
  auto missing = http.Get("/api/v1/ledger/proof");
  REQUIRE(missing);
  CHECK(missing->status == 400);
}

TEST_CASE("a write-ahead log truncated after a kill makes the server refuse to start, naming the last "
          "signed head and the missing records",
          "[integration][heads][crash]") {
  TempDir dir;
  const std::string data = dir.sub("data");
  std::uint64_t signed_up_to = 0;
  {
    ServerProcess server(data, {"--head-interval-records", "10"});
    const auto key = Vendor(data, server.endpoint("ingest"));
    const std::uint64_t last = Receive(key, server.endpoint("ingest"), 0, 400);
    signed_up_to = WaitForHead(server.endpoint("http"), last)["sequence"];
    REQUIRE(server.Stop(SIGKILL) == 128 + SIGKILL);
  }
  TruncateNewestWal(data + "/ledger");

  ChildProcess serve(ServeArgs(data));
  const int code = serve.Wait(60'000);
  REQUIRE(code != -1);  // it exited instead of serving
  CHECK(code != 0);
  std::string err;
  for (bool ended = false; !ended;) err += serve.ReadLine(true, 5000, &ended) + "\n";
  INFO(err);
  CHECK(err.find("its last signed head (sequence " + std::to_string(signed_up_to)) != std::string::npos);
  CHECK(err.find("-" + std::to_string(signed_up_to) + " (") != std::string::npos);  // "records X-N (k records) are missing"
  CHECK(err.find("are missing") != std::string::npos);
  CHECK(err.find("foodtrace restore") != std::string::npos);

  auto verify = RunCommand({FoodtraceBinary(), "verify", "--data", data, "--json"});
  INFO(verify.out << verify.err);
  CHECK(verify.exit_code == 3);
  const json report = json::parse(verify.out);
  CHECK(report["ok"] == false);
  CHECK(report["problem"].get<std::string>().find("-" + std::to_string(signed_up_to) + " are missing") !=
        std::string::npos);
  CHECK(report["first_bad_sequence"].get<std::uint64_t>() <= signed_up_to);
}

namespace {

// Records purchases as V in batches of 20 until `stop`, from its own thread (no Catch2 macros
// here: they are not thread-safe); `acknowledged` is the highest sequence acknowledged so far.
void WriteUntilStopped(const ingest::KeyFile& key, const std::string& endpoint, const std::atomic<bool>& stop,
                       std::atomic<std::uint64_t>& acknowledged, std::atomic<int>& failures) {
  ingest::ClientOptions o;
  o.key = key;
  o.endpoint = endpoint;
  o.timeout_ms = 10000;
  auto client = ingest::Client::Connect(o);
  if (!client.ok()) {
    ++failures;
    return;
  }
  for (int batch = 0; !stop; ++batch) {
    std::vector<v1::Item> items;
    for (int i = 0; i < 20; ++i) {
      items.push_back(Entry(E::RECEIVE, "load-" + std::to_string(batch) + "-" + std::to_string(i), Lot(Gtin(3), "L"), 1));
    }
    auto r = (*client)->Submit(items);
    if (!r.ok()) {
      ++failures;
      return;
    }
    for (const auto& x : *r) {
      if (x.status() != v1::ItemResult::ACCEPTED) ++failures;
      acknowledged = std::max<std::uint64_t>(acknowledged, x.sequence());
    }
  }
}

}  // namespace

TEST_CASE("a backup taken from the running server under write load restores into a data directory that "
          "verifies and serves, the way back after a truncated write-ahead log",
          "[integration][heads][backup][crash]") {
  TempDir dir;
  const std::string data = dir.sub("data");
  const std::string backup = dir.sub("backup");
  json taken;
  ingest::KeyFile key;
  {
    ServerProcess server(data, {"--head-interval-records", "10"});
    const std::string ingest = server.endpoint("ingest");
    key = Vendor(data, ingest);
    WaitForHead(server.endpoint("http"), Receive(key, ingest, 0, 100));  // the backup has a head to copy
    std::atomic<bool> stop{false};
    std::atomic<std::uint64_t> acknowledged{0};
    std::atomic<int> failures{0};
    std::thread load(WriteUntilStopped, key, ingest, std::cref(stop), std::ref(acknowledged), std::ref(failures));
    while (acknowledged < 300 && failures == 0) std::this_thread::yield();  // the load is under way
    const std::uint64_t acknowledged_before = acknowledged;
    auto run = RunCommand({FoodtraceBinary(), "backup", "--data", data, "--server", ingest, "--json", backup});
    stop = true;
    load.join();
    INFO(run.out << run.err);
    REQUIRE(run.exit_code == 0);
    REQUIRE(failures == 0);
    taken = json::parse(run.out);
    // Everything acknowledged before the backup began is in it.
    CHECK(taken["records"].get<std::uint64_t>() >= acknowledged_before);
    CHECK(taken["heads"].get<std::uint64_t>() > 0);
    CHECK(taken["last_head"]["sequence"].get<std::uint64_t>() <= taken["records"].get<std::uint64_t>());
    CHECK(std::filesystem::exists(backup + "/keys/operator.key"));
    // A second backup into the same directory is refused and changes nothing.
    auto again = RunCommand({FoodtraceBinary(), "backup", "--data", data, "--server", ingest, backup});
    CHECK(again.exit_code != 0);
    CHECK(again.err.find("already exists") != std::string::npos);
    WaitForHead(server.endpoint("http"), acknowledged);
    REQUIRE(server.Stop(SIGKILL) == 128 + SIGKILL);
  }
  TruncateNewestWal(data + "/ledger");
  CHECK(RunCommand({FoodtraceBinary(), "verify", "--data", data}).exit_code == 3);

  // The way back: restore the backup into a new data directory.
  const std::string restored = dir.sub("restored");
  auto not_a_backup = RunCommand({FoodtraceBinary(), "restore", data, restored});
  CHECK(not_a_backup.exit_code != 0);
  CHECK(not_a_backup.err.find("not a complete foodtrace backup") != std::string::npos);
  auto restore = RunCommand({FoodtraceBinary(), "restore", "--json", backup, restored});
  INFO(restore.out << restore.err);
  REQUIRE(restore.exit_code == 0);
  CHECK(json::parse(restore.out)["records"] == taken["records"]);
  auto verify = RunCommand({FoodtraceBinary(), "verify", "--data", restored, "--json"});
  INFO(verify.out << verify.err);
  CHECK(verify.exit_code == 0);
  CHECK(json::parse(verify.out)["records"] == taken["records"]);

  // It serves: the same keys (the vendor's key file still connects), its heads, new records.
  ServerProcess server(restored, {"--head-interval-records", "10"});
  const std::uint64_t records = taken["records"];
  CHECK(WaitForHead(server.endpoint("http"), records)["public_key"] == taken["last_head"]["public_key"]);
  CHECK(Receive(key, server.endpoint("ingest"), 100'000, 5) > records);
}
