// Proves the ingest acceptance rules against a real `foodtrace serve` process: records read
// back, retries counted once, keys bind parties, unknown keys refused, bad frames answered while
// the server keeps serving.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <zmq.hpp>

#include "foodtrace/ingest/ingest.h"
#include "ingest/limits.h"
#include "support/ledger_fixture.h"
#include "support/process.h"

using namespace foodtrace;
using namespace foodtrace::ingest;
using namespace foodtrace::testing;
using E = v1::LedgerEntry;
using S = v1::ItemResult;
using Json = nlohmann::json;

namespace {

// A real server on a fresh data directory, with helpers that speak as its parties.
struct Served {
  TempDir dir;
  ServerProcess server{dir.sub("data")};
  std::string endpoint = server.endpoint("ingest");
  KeyFile operator_key = ReadKeyFile(dir.sub("data") + "/keys/operator.key").value();

  std::unique_ptr<Client> ClientFor(const KeyFile& key, int timeout_ms = 5000, int retries = 3) {
    ClientOptions options;
    options.endpoint = endpoint;
    options.key = key;
    options.timeout_ms = timeout_ms;
    options.retries_max = retries;
    return std::move(Client::Connect(std::move(options)).value());
  }

  KeyFile Register(const std::string& id, v1::Party::Kind kind, const std::string& market = "") {
    KeyFile key = NewPartyKey(id, operator_key.server_public_key, endpoint).value();
    auto r = ClientFor(operator_key)->Submit({PartyItem(id, kind, market, key.public_key)});
    REQUIRE(r.ok());
    REQUIRE((*r)[0].status() == S::ACCEPTED);
    return key;
  }

  // Total quantity of `lot` in the party's STOCK answer.
  std::int64_t Stock(const KeyFile& key, const std::string& party, const std::string& lot) {
    v1::Query q;
    q.set_kind(v1::Query::STOCK);
    q.set_party_id(party);
    auto answer = ClientFor(key)->Query(q);
    REQUIRE(answer.ok());
    std::int64_t total = 0;
    for (const Json& h : Json::parse(*answer)) {
      if (h["lot"] == lot)
        total += h["quantity"].get<std::int64_t>();
    }
    return total;
  }
};

// A raw CURVE DEALER, for frames the Client would never send.
class RawPeer {
 public:
  RawPeer(const std::string& endpoint, const KeyFile& key)
      : socket_(context_, zmq::socket_type::dealer) {
    socket_.set(zmq::sockopt::curve_serverkey, key.server_public_key);
    socket_.set(zmq::sockopt::curve_publickey, key.public_key);
    socket_.set(zmq::sockopt::curve_secretkey, key.secret_key);
    socket_.set(zmq::sockopt::linger, 0);
    socket_.connect(endpoint);
  }
  void Send(const std::string& bytes) { REQUIRE(socket_.send(zmq::buffer(bytes))); }
  std::optional<v1::Reply> Receive(int timeout_ms = 10000) {
    zmq::pollitem_t items[] = {{socket_.handle(), 0, ZMQ_POLLIN, 0}};
    zmq::poll(items, 1, std::chrono::milliseconds(timeout_ms));
    if ((items[0].revents & ZMQ_POLLIN) == 0)
      return std::nullopt;
    zmq::message_t frame;
    REQUIRE(socket_.recv(frame));
    v1::Reply reply;
    REQUIRE(reply.ParseFromArray(frame.data(), static_cast<int>(frame.size())));
    return reply;
  }

 private:
  zmq::context_t context_;
  zmq::socket_t socket_;
};

}  // namespace

TEST_CASE("a real server records, reads back, and counts a retried batch once",
          "[integration][ingest]") {
  Served s;
  const KeyFile v1_key = s.Register("V1", v1::Party::VENDOR);
  const std::string g = Gtin(901);
  const std::vector<v1::Item> batch = {Entry(E::RECEIVE, "r1", Lot(g, "L1"), 30),
                                       Entry(E::SHIP, "s1", Lot(g, "L1"), 12)};
  auto first = s.ClientFor(v1_key)->Submit(batch);
  REQUIRE(first.ok());
  CHECK((*first)[0].status() == S::ACCEPTED);
  CHECK((*first)[1].status() == S::ACCEPTED);
  CHECK(s.Stock(v1_key, "", "L1") == 18);

  auto again = s.ClientFor(v1_key)->Submit(batch);
  REQUIRE(again.ok());
  for (std::size_t i = 0; i < batch.size(); ++i) {
    CHECK((*again)[i].status() == S::DUPLICATE);
    CHECK((*again)[i].sequence() == (*first)[i].sequence());
  }
  CHECK(s.Stock(v1_key, "", "L1") == 18);

  v1::Query ledger;
  ledger.set_kind(v1::Query::LEDGER);
  auto lines = s.ClientFor(v1_key)->Query(ledger);
  REQUIRE(lines.ok());
  CHECK(Json::parse(*lines).size() == 2);
}

TEST_CASE("a real server binds each key to its party and refuses unregistered keys",
          "[integration][ingest]") {
  Served s;
  const KeyFile market = s.Register("M1", v1::Party::MARKET);
  const KeyFile v1_key = s.Register("V1", v1::Party::VENDOR, "M1");
  const KeyFile v2_key = s.Register("V2", v1::Party::VENDOR, "M1");
  const std::string g = Gtin(902);
  v1::Item for_v2 = Entry(E::RECEIVE, "r1", Lot(g, "L1"), 10);
  for_v2.mutable_entry()->set_party_id("V2");

  auto forged = s.ClientFor(v1_key)->Submit({for_v2});
  REQUIRE(forged.ok());
  CHECK((*forged)[0].status() == S::REJECTED);
  CHECK((*forged)[0].code() == "WRONG_PARTY");
  CHECK(s.Stock(v2_key, "", "L1") == 0);

  auto by_market = s.ClientFor(market)->Submit({for_v2});
  REQUIRE(by_market.ok());
  CHECK((*by_market)[0].status() == S::ACCEPTED);
  CHECK(s.Stock(v2_key, "", "L1") == 10);
  CHECK(s.Stock(market, "V2", "L1") == 10);

  const KeyFile stranger = NewPartyKey("V9", s.operator_key.server_public_key, s.endpoint).value();
  auto refused = s.ClientFor(stranger, 2000, 1)->Submit({Entry(E::RECEIVE, "x", Lot(g, "L1"), 1)});
  CHECK(refused.status().reason() == "KEY_REFUSED");
  CHECK(refused.status().message().find("not registered") != std::string::npos);
  CHECK(s.Stock(v1_key, "", "L1") == 0);  // and the others are still served
}

TEST_CASE("a real server answers bad frames with their errors and keeps serving",
          "[integration][ingest]") {
  Served s;
  const KeyFile key = s.Register("V1", v1::Party::VENDOR);
  const std::string g = Gtin(903);
  {
    RawPeer peer(s.endpoint, key);
    peer.Send("\x0a\xff\xff\xff\x0f not protobuf");
    auto garbage = peer.Receive();
    REQUIRE(garbage);
    CHECK(garbage->error_code() == kErrorBadRequest);

    v1::Request big;
    big.set_request_id(2);
    *big.add_items() = Entry(E::RECEIVE, "r1", Lot(g, "L1"), 1);
    big.mutable_items(0)->mutable_entry()->set_note(std::string(kIngestRequestBytesMax, 'x'));
    peer.Send(big.SerializeAsString());
    auto too_large = peer.Receive();
    REQUIRE(too_large);
    CHECK(too_large->request_id() == 2);
    CHECK(too_large->error_code() == kErrorRequestTooLarge);

    v1::Request many;
    many.set_request_id(3);
    for (std::size_t i = 0; i <= kIngestBatchItemsMax; ++i) {
      *many.add_items() = Entry(E::RECEIVE, "m" + std::to_string(i), Lot(g, "L1"), 1);
    }
    peer.Send(many.SerializeAsString());
    auto too_many = peer.Receive();
    REQUIRE(too_many);
    CHECK(too_many->error_code() == kErrorBatchTooLarge);
  }
  {
    RawPeer peer(s.endpoint, key);  // a runaway frame: libzmq drops the connection unread
    peer.Send(std::string(static_cast<std::size_t>(kIngestSocketMessageBytesMax) + 1, 'x'));
    CHECK_FALSE(peer.Receive(500));
  }
  auto after = s.ClientFor(key)->Submit({Entry(E::RECEIVE, "r1", Lot(g, "L1"), 4)});
  REQUIRE(after.ok());
  CHECK((*after)[0].status() == S::ACCEPTED);
  CHECK(s.Stock(key, "", "L1") == 4);
}
