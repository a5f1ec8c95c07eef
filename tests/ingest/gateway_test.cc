// Proves the gateway end to end (real ledger, real ZeroMQ with CURVE over loopback TCP): records
// are durable and read back, retries are never counted twice, keys bind parties, and bad input
// gets its error while the server keeps serving.
#include <catch2/catch.hpp>
#include <chrono>
#include <condition_variable>
#include <nlohmann/json.hpp>
#include <thread>
#include <zmq.hpp>

#include "foodtrace/ingest/ingest.h"
#include "ingest/limits.h"
#include "support/ledger_fixture.h"

using namespace foodtrace;
using namespace foodtrace::ingest;
using namespace foodtrace::testing;
using E = v1::LedgerEntry;
using S = v1::ItemResult;
using Json = nlohmann::json;

namespace {

// Blocks the ledger's writer thread inside on_commit once armed, so a test can hold a batch
// between "queued" and "acknowledged" without sleeping.
struct WriterGate {
  std::mutex mutex;
  std::condition_variable changed;
  bool armed = false;
  bool holding = false;
  bool open = false;

  void OnCommit() {
    std::unique_lock<std::mutex> lock(mutex);
    if (!armed)
      return;
    armed = false;
    holding = true;
    changed.notify_all();
    changed.wait_for(lock, std::chrono::seconds(30), [&] { return open; });
    holding = false;
  }
  bool WaitHolding() {
    std::unique_lock<std::mutex> lock(mutex);
    return changed.wait_for(lock, std::chrono::seconds(10), [&] { return holding; });
  }
  void Arm() {
    std::lock_guard<std::mutex> lock(mutex);
    armed = true;
  }
  void Open() {
    std::lock_guard<std::mutex> lock(mutex);
    open = true;
    changed.notify_all();
  }
};

struct Server {
  TempDir dir;
  ServerKeys keys = LoadOrCreateServerKeys(dir.sub("data")).value();
  std::shared_ptr<WriterGate> gate = std::make_shared<WriterGate>();
  std::size_t queue_items_max;
  std::unique_ptr<ledger::Ledger> ledger;
  std::unique_ptr<Gateway> gateway;
  std::string endpoint;

  explicit Server(std::size_t ledger_queue_items_max = 65536)
      : queue_items_max(ledger_queue_items_max) {
    ledger = OpenLedger();
    StartGateway("tcp://127.0.0.1:*");
  }
  ~Server() {
    gate->Open();
    gateway.reset();
  }

  std::unique_ptr<ledger::Ledger> OpenLedger() {
    ledger::Options options;
    options.path = dir.sub("db");
    options.queue_items_max = queue_items_max;
    options.clock = [] {
      return StartOfDay(Date::FromYmd(2026, 11, 22), kChinaUtcOffsetMinutes) + 12 * 3600'000;
    };
    options.on_commit = [gate = gate](const std::vector<ledger::CommittedEvent>&) {
      gate->OnCommit();
    };
    return std::move(ledger::Ledger::Open(std::move(options)).value());
  }

  void StartGateway(const std::string& at) {
    GatewayOptions options;
    options.endpoint = at;
    options.server_secret_key = keys.server.secret_key;
    options.operator_public_key = keys.operator_key.public_key;
    options.query_handler = LedgerQueries(ledger.get());
    auto started = Gateway::Start(ledger.get(), std::move(options));
    REQUIRE(started.ok());
    gateway = std::move(started).value();
    endpoint = gateway->endpoint();
  }

  std::unique_ptr<Client> ClientFor(const KeyFile& key, int timeout_ms = 5000,
                                    int retries_max = 3) {
    ClientOptions options;
    options.endpoint = endpoint;
    options.key = key;
    options.timeout_ms = timeout_ms;
    options.retries_max = retries_max;
    return std::move(Client::Connect(std::move(options)).value());
  }

  // Registers a party with a fresh key, through the gateway with the operator's key.
  KeyFile Register(const std::string& id, v1::Party::Kind kind, const std::string& market = "") {
    KeyFile key = NewPartyKey(id, gateway->server_public_key(), endpoint).value();
    auto results =
        ClientFor(keys.operator_key)->Submit({PartyItem(id, kind, market, key.public_key)});
    REQUIRE(results.ok());
    REQUIRE((*results)[0].status() == S::ACCEPTED);
    return key;
  }

  // Holds the ledger's writer thread (see WriterGate) until gate->Open().
  void HoldWriter() {
    gate->Arm();
    ledger::WriteRequest blocker;
    blocker.recorded_by = "operator";
    blocker.items = {PartyItem("W-HOLD", v1::Party::SUPPLIER)};
    REQUIRE(ledger->Submit(std::move(blocker), [](std::vector<v1::ItemResult>) {}).ok());
    REQUIRE(gate->WaitHolding());
  }

  std::int64_t OnHand(const std::string& party, const std::string& gtin, const std::string& lot) {
    return ledger->GetHolding(party, gtin, lot).value().quantity();
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
  void Send(const std::string& bytes, bool more = false) {
    REQUIRE(
        socket_.send(zmq::buffer(bytes), more ? zmq::send_flags::sndmore : zmq::send_flags::none));
  }
  // The next reply, or nullopt if none arrives within `timeout_ms`.
  std::optional<v1::Reply> Receive(int timeout_ms = 5000) {
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

std::string Serialize(const v1::Request& request) { return request.SerializeAsString(); }

v1::Query QueryOf(v1::Query::Kind kind, const std::string& party = "") {
  v1::Query q;
  q.set_kind(kind);
  q.set_party_id(party);
  return q;
}

// Polls `condition` until it holds or `timeout_ms` passes.
template <class F>
bool Eventually(F condition, int timeout_ms = 10000) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (!condition()) {
    if (std::chrono::steady_clock::now() > deadline)
      return false;
    std::this_thread::yield();
  }
  return true;
}

}  // namespace

TEST_CASE("a vendor records through the gateway and reads its stock and ledger back", "[ingest]") {
  Server s;
  const KeyFile v1_key = s.Register("V1", v1::Party::VENDOR);
  auto client = s.ClientFor(v1_key);
  const std::string g = Gtin(11);
  auto results = client->Submit({Entry(E::RECEIVE, "r1", Lot(g, "L1"), 24),
                                 Entry(E::RECEIVE, "r2", Lot(g, "L2"), 6),
                                 Entry(E::SHIP, "s1", Lot(g, "L1"), 4)});
  REQUIRE(results.ok());
  REQUIRE(results->size() == 3);
  for (const auto& r : *results) CHECK(r.status() == S::ACCEPTED);
  CHECK((*results)[0].id() == "r1");
  CHECK((*results)[2].sequence() == s.ledger->LastSequence());  // durable before the reply
  CHECK(s.OnHand("V1", g, "L1") == 20);

  auto stock = client->Query(QueryOf(v1::Query::STOCK));
  REQUIRE(stock.ok());
  const Json holdings = Json::parse(*stock);
  REQUIRE(holdings.size() == 2);
  for (const Json& h : holdings) {
    CHECK(h["gtin"] == g);
    CHECK(h["quantity"] == (h["lot"] == "L1" ? 20 : 6));
    CHECK(h["expires_on"] == "2027-06-30");
    CHECK(h["product_name"] == "纯牛奶");
  }

  v1::Query ledger_query = QueryOf(v1::Query::LEDGER);
  ledger_query.set_from("2026-11-01");
  ledger_query.set_to("2026-11-30");
  auto lines = client->Query(ledger_query);
  REQUIRE(lines.ok());
  const Json ledger = Json::parse(*lines);
  REQUIRE(ledger.size() == 3);
  CHECK(ledger[0]["event_id"] == "r1");
  CHECK(ledger[0]["kind"] == "RECEIVE");
  CHECK(ledger[0]["recorded_by"] == "V1");
  CHECK(ledger[2]["kind"] == "SHIP");
  CHECK(ledger[2]["sequence"] == (*results)[2].sequence());

  auto whoami = client->Query(QueryOf(v1::Query::WHOAMI));
  REQUIRE(whoami.ok());
  CHECK(Json::parse(*whoami)["party_id"] == "V1");
  auto unsupported = client->Query(QueryOf(v1::Query::TRACE_DOWN));
  CHECK(unsupported.status().reason() == kQueryKindUnsupported);
}

TEST_CASE("a retried batch is acknowledged as duplicate, not counted twice", "[ingest]") {
  Server s;
  auto client = s.ClientFor(s.Register("V1", v1::Party::VENDOR));
  const std::string g = Gtin(12);
  const std::vector<v1::Item> batch = {Entry(E::RECEIVE, "r1", Lot(g, "L1"), 10),
                                       Entry(E::RECEIVE, "r2", Lot(g, "L1"), 5)};
  auto first = client->Submit(batch);
  auto again = client->Submit(batch);
  REQUIRE(first.ok());
  REQUIRE(again.ok());
  for (std::size_t i = 0; i < batch.size(); ++i) {
    CHECK((*first)[i].status() == S::ACCEPTED);
    CHECK((*again)[i].status() == S::DUPLICATE);
    CHECK((*again)[i].sequence() == (*first)[i].sequence());
  }
  CHECK(s.OnHand("V1", g, "L1") == 15);
}

TEST_CASE("a client whose reply is lost retries the same ids and nothing is counted twice",
          "[ingest]") {
  Server s;
  const KeyFile key = s.Register("V1", v1::Party::VENDOR);
  const std::string g = Gtin(13);
  const std::vector<v1::Item> batch = {Entry(E::RECEIVE, "r1", Lot(g, "L1"), 10),
                                       Entry(E::RECEIVE, "r2", Lot(g, "L2"), 3)};

  // Hold the ledger's writer: everything submitted from now on waits in its queue.
  s.HoldWriter();

  // The first attempt times out (its reply cannot come while the writer is held), so the client
  // reopens its socket and sends the same items again.
  Result<std::vector<v1::ItemResult>> results = Status::Internal("not run");
  std::thread sender([&] { results = s.ClientFor(key, 300, 20)->Submit(batch); });
  const bool retried =
      Eventually([&] { return s.gateway->stats().items_submitted >= 2 * batch.size(); });
  s.gate->Open();
  sender.join();
  REQUIRE(retried);

  REQUIRE(results.ok());
  auto lines =
      s.ledger->PartyLedger("V1", Date::FromYmd(2026, 11, 1), Date::FromYmd(2026, 11, 30), 100);
  REQUIRE(lines.ok());
  REQUIRE(lines->size() == 2);  // each event once
  for (std::size_t i = 0; i < batch.size(); ++i) {
    // The answer the client got is to its retry: DUPLICATE of the first attempt's entry.
    CHECK((*results)[i].status() == S::DUPLICATE);
    CHECK((*results)[i].sequence() == (*lines)[i].sequence);
  }
  CHECK(s.OnHand("V1", g, "L1") == 10);
  CHECK(s.OnHand("V1", g, "L2") == 3);
  // The first attempt's reply went to a socket the client had closed: dropped, not crashed.
  CHECK(Eventually([&] { return s.gateway->stats().replies_dropped >= 1; }));
}

TEST_CASE("a vendor's key cannot write another vendor's entries; its market's key can",
          "[ingest]") {
  Server s;
  const KeyFile m1 = s.Register("M1", v1::Party::MARKET);
  const KeyFile market = s.Register("M2", v1::Party::MARKET);  // not V2's market
  const KeyFile v1_key = s.Register("V1", v1::Party::VENDOR, "M1");
  s.Register("V2", v1::Party::VENDOR, "M1");
  const std::string g = Gtin(14);
  v1::Item for_v2 = Entry(E::RECEIVE, "r1", Lot(g, "L1"), 10);
  for_v2.mutable_entry()->set_party_id("V2");

  auto by_v1 = s.ClientFor(v1_key)->Submit({for_v2});
  REQUIRE(by_v1.ok());
  CHECK((*by_v1)[0].status() == S::REJECTED);
  CHECK((*by_v1)[0].code() == "WRONG_PARTY");
  CHECK(s.OnHand("V2", g, "L1") == 0);
  // Reads are bound to the key too.
  CHECK(s.ClientFor(v1_key)->Query(QueryOf(v1::Query::STOCK, "V2")).status().code() ==
        Code::kPermissionDenied);

  // Another vendor sees V2's public profile only; V2's market sees the whole record.
  auto profile = s.ClientFor(v1_key)->Query(QueryOf(v1::Query::PARTY, "V2"));
  REQUIRE(profile.ok());
  CHECK(Json::parse(*profile)["name"] == "商户 V2");
  CHECK_FALSE(Json::parse(*profile).contains("contact"));
  auto record = s.ClientFor(m1)->Query(QueryOf(v1::Query::PARTY, "V2"));
  REQUIRE(record.ok());
  CHECK(Json::parse(*record)["contact"] == "0571-88880000");

  auto by_other_market = s.ClientFor(market)->Submit({for_v2});
  REQUIRE(by_other_market.ok());
  CHECK((*by_other_market)[0].code() == "WRONG_PARTY");

  auto by_market = s.ClientFor(m1)->Submit({for_v2});
  REQUIRE(by_market.ok());
  CHECK((*by_market)[0].status() == S::ACCEPTED);
  CHECK(s.OnHand("V2", g, "L1") == 10);
  auto stock = s.ClientFor(m1)->Query(QueryOf(v1::Query::STOCK, "V2"));
  REQUIRE(stock.ok());
  CHECK(Json::parse(*stock).size() == 1);
}

TEST_CASE("a client whose key is not registered is refused clearly; others are still served",
          "[ingest]") {
  Server s;
  const KeyFile stranger = NewPartyKey("V9", s.gateway->server_public_key(), s.endpoint).value();
  auto refused =
      s.ClientFor(stranger, 2000, 2)->Submit({Entry(E::RECEIVE, "r1", Lot(Gtin(15), "L1"), 1)});
  CHECK(refused.status().code() == Code::kUnauthenticated);
  CHECK(refused.status().reason() == "KEY_REFUSED");
  CHECK(refused.status().message().find("not registered") != std::string::npos);
  CHECK(s.gateway->stats().handshakes_refused >= 1);
  CHECK(s.ledger->PartyLedger("V9", Date::FromYmd(2026, 1, 1), Date::FromYmd(2026, 12, 31), 10)
            ->empty());

  auto served = s.ClientFor(s.Register("V1", v1::Party::VENDOR))
                    ->Submit({Entry(E::RECEIVE, "r1", Lot(Gtin(15), "L1"), 1)});
  REQUIRE(served.ok());
  CHECK((*served)[0].status() == S::ACCEPTED);
}

TEST_CASE("an unreachable server is reported with the endpoint and what to check", "[ingest]") {
  Server s;
  const KeyFile key = s.Register("V1", v1::Party::VENDOR);
  s.gateway->Stop();
  auto result = s.ClientFor(key, 100, 1)->Query(QueryOf(v1::Query::WHOAMI));
  CHECK(result.status().code() == Code::kUnavailable);
  CHECK(result.status().message().find("no answer from " + s.endpoint + " after 2 tries") !=
        std::string::npos);
  CHECK(result.status().message().find("foodtrace serve") != std::string::npos);
}

TEST_CASE("malformed frames get BAD_REQUEST and the server keeps serving", "[ingest]") {
  Server s;
  const KeyFile key = s.Register("V1", v1::Party::VENDOR);
  RawPeer peer(s.endpoint, key);

  constexpr char kGarbage[] = "\x0a\xff\xff\xff\xff garbage \x00\x01";
  peer.Send(std::string(kGarbage, sizeof kGarbage - 1));
  auto garbage = peer.Receive();
  REQUIRE(garbage);
  CHECK(garbage->error_code() == kErrorBadRequest);
  CHECK(garbage->error_message().find("not a foodtrace.v1.Request") != std::string::npos);

  v1::Request empty;
  empty.set_request_id(5);
  peer.Send(Serialize(empty));
  auto nothing = peer.Receive();
  REQUIRE(nothing);
  CHECK(nothing->request_id() == 5);
  CHECK(nothing->error_code() == kErrorBadRequest);

  v1::Request good;
  good.set_request_id(6);
  *good.add_items() = Entry(E::RECEIVE, "r1", Lot(Gtin(16), "L1"), 2);
  peer.Send(Serialize(good), /*more=*/true);
  peer.Send("second frame");
  auto two_frames = peer.Receive();
  REQUIRE(two_frames);
  CHECK(two_frames->request_id() == 6);
  CHECK(two_frames->error_code() == kErrorBadRequest);
  CHECK(s.OnHand("V1", Gtin(16), "L1") == 0);

  peer.Send(Serialize(good));  // the same connection still works
  auto ok = peer.Receive();
  REQUIRE(ok);
  CHECK(ok->error_code().empty());
  REQUIRE(ok->results_size() == 1);
  CHECK(ok->results(0).status() == S::ACCEPTED);
  CHECK(s.gateway->stats().bad_requests >= 3);
}

TEST_CASE("an oversize request gets REQUEST_TOO_LARGE; a runaway one is cut off by zmq",
          "[ingest]") {
  Server s;
  const KeyFile key = s.Register("V1", v1::Party::VENDOR);
  v1::Request big;
  big.set_request_id(9);
  *big.add_items() = Entry(E::RECEIVE, "r1", Lot(Gtin(17), "L1"), 2);
  big.mutable_items(0)->mutable_entry()->set_note(std::string(kIngestRequestBytesMax, 'x'));
  {
    RawPeer peer(s.endpoint, key);
    peer.Send(Serialize(big));
    auto reply = peer.Receive();
    REQUIRE(reply);
    CHECK(reply->request_id() == 9);
    CHECK(reply->error_code() == kErrorRequestTooLarge);
    CHECK(reply->error_message().find("smaller batches") != std::string::npos);
  }
  {
    // Beyond ZMQ_MAXMSGSIZE the server reads nothing and drops the connection: no reply.
    RawPeer peer(s.endpoint, key);
    peer.Send(std::string(static_cast<std::size_t>(kIngestSocketMessageBytesMax) + 1, 'x'));
    CHECK_FALSE(peer.Receive(500));
  }
  // The client refuses to send an item too big for any request, and says why.
  auto local = s.ClientFor(key)->Submit({big.items(0)});
  CHECK(local.status().reason() == kErrorRequestTooLarge);
  // And the server still serves.
  auto after = s.ClientFor(key)->Submit({Entry(E::RECEIVE, "r1", Lot(Gtin(17), "L1"), 2)});
  REQUIRE(after.ok());
  CHECK((*after)[0].status() == S::ACCEPTED);
}

TEST_CASE("a batch over the item limit gets BATCH_TOO_LARGE; the client splits large submissions",
          "[ingest]") {
  Server s;
  const KeyFile key = s.Register("V1", v1::Party::VENDOR);
  const std::string g = Gtin(18);
  std::vector<v1::Item> items;
  for (std::size_t i = 0; i < 2 * kIngestBatchItemsMax + 7; ++i) {
    items.push_back(Entry(E::RECEIVE, "r" + std::to_string(i), Lot(g, "L1"), 1));
  }
  v1::Request too_many;
  too_many.set_request_id(3);
  for (std::size_t i = 0; i <= kIngestBatchItemsMax; ++i) *too_many.add_items() = items[i];
  RawPeer peer(s.endpoint, key);
  peer.Send(Serialize(too_many));
  auto reply = peer.Receive();
  REQUIRE(reply);
  CHECK(reply->error_code() == kErrorBatchTooLarge);
  CHECK(s.OnHand("V1", g, "L1") == 0);

  auto results = s.ClientFor(key)->Submit(items);
  REQUIRE(results.ok());
  REQUIRE(results->size() == items.size());
  CHECK((*results)[items.size() - 1].id() == "r" + std::to_string(items.size() - 1));
  CHECK(s.OnHand("V1", g, "L1") == static_cast<std::int64_t>(items.size()));
}

TEST_CASE("a gateway cannot bind an endpoint in use, and reports it", "[ingest]") {
  Server s;
  GatewayOptions options;
  options.endpoint = s.endpoint;
  options.server_secret_key = s.keys.server.secret_key;
  options.operator_public_key = s.keys.operator_key.public_key;
  auto second = Gateway::Start(s.ledger.get(), options);
  CHECK(second.status().code() == Code::kUnavailable);
  CHECK(second.status().message().find("cannot bind " + s.endpoint) != std::string::npos);
  options.server_secret_key = "not a key";
  CHECK(Gateway::Start(s.ledger.get(), options).status().code() == Code::kInvalidArgument);
}

TEST_CASE("a full ledger queue is answered BUSY and the client backs off until it is accepted",
          "[ingest]") {
  Server s(/*ledger_queue_items_max=*/3);
  const KeyFile key = s.Register("V1", v1::Party::VENDOR);
  const std::string g = Gtin(19);
  s.HoldWriter();

  RawPeer peer(s.endpoint, key);
  v1::Request fills;
  fills.set_request_id(1);
  for (int i = 0; i < 3; ++i) {
    *fills.add_items() = Entry(E::RECEIVE, "f" + std::to_string(i), Lot(g, "L1"), 1);
  }
  peer.Send(Serialize(fills));  // queued behind the held writer: the queue is now full
  v1::Request overflow;
  overflow.set_request_id(2);
  *overflow.add_items() = Entry(E::RECEIVE, "o1", Lot(g, "L1"), 1);
  peer.Send(Serialize(overflow));
  auto busy = peer.Receive();
  REQUIRE(busy);
  CHECK(busy->request_id() == 2);
  CHECK(busy->error_code() == kErrorBusy);
  CHECK(busy->error_message().find("same event ids") != std::string::npos);

  Result<std::vector<v1::ItemResult>> results = Status::Internal("not run");
  std::thread sender([&] { results = s.ClientFor(key, 5000, 20)->Submit({overflow.items(0)}); });
  const bool backed_off = Eventually([&] { return s.gateway->stats().busy >= 2; });
  s.gate->Open();
  sender.join();
  CHECK(backed_off);
  REQUIRE(results.ok());
  CHECK((*results)[0].status() == S::ACCEPTED);
  auto filled = peer.Receive();  // the first request is answered once the writer moves on
  REQUIRE(filled);
  CHECK(filled->results_size() == 3);
  CHECK(s.OnHand("V1", g, "L1") == 4);
}
