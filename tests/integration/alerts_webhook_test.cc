// Proves webhook delivery through the durable outbox: against a local HTTP server that first
// refuses (503) and then accepts, every alert arrives (at least once; exactly once by id after
// the receiver's dedup), every signature verifies, and killing the foodtrace server in between
// loses none.
#include <httplib.h>

#include <map>
#include <mutex>
#include <set>
#include <signal.h>

#include "foodtrace/common/crypto.h"
#include "tests/integration/alerts_support.h"

using namespace foodtrace;
using namespace foodtrace::testing;
using E = v1::LedgerEntry;

namespace {

constexpr char kSecret[] = "a-shared-secret-of-some-length";

// The regulator's receiving system: dedups by alert id and checks each signature.
class Receiver {
 public:
  Receiver() {
    http_.Post("/hook", [this](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard lk(mu_);
      ++attempts_;
      if (refusing_) {
        res.status = 503;
        return;
      }
      const std::string want = "sha256=" + HmacSha256Hex(kSecret, req.body);
      if (!ConstantTimeEquals(req.get_header_value("X-Foodtrace-Signature"), want)) ++bad_signatures_;
      auto body = nlohmann::json::parse(req.body, nullptr, false);
      const std::string id = req.get_header_value("X-Foodtrace-Alert-Id");
      if (body.is_discarded() || body.value("alert_id", "") != id) ++bad_bodies_;
      ++deliveries_[id];
      res.status = 200;
    });
    port_ = http_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { http_.listen_after_bind(); });
  }
  ~Receiver() {
    http_.stop();
    thread_.join();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/hook"; }
  void Accept() {
    std::lock_guard lk(mu_);
    refusing_ = false;
  }
  int attempts() {
    std::lock_guard lk(mu_);
    return attempts_;
  }
  std::map<std::string, int> deliveries() {
    std::lock_guard lk(mu_);
    return deliveries_;
  }
  int bad_signatures() {
    std::lock_guard lk(mu_);
    return bad_signatures_;
  }
  int bad_bodies() {
    std::lock_guard lk(mu_);
    return bad_bodies_;
  }

 private:
  httplib::Server http_;
  int port_ = 0;
  std::thread thread_;
  std::mutex mu_;
  bool refusing_ = true;
  int attempts_ = 0, bad_signatures_ = 0, bad_bodies_ = 0;
  std::map<std::string, int> deliveries_;
};

// Purchases without licence or certificate: one UNVERIFIED_SUPPLIER alert each.
void RaiseAlerts(const AlertServer& s, const std::string& prefix, int n) {
  std::vector<v1::Item> items;
  for (int i = 0; i < n; ++i) items.push_back(EntryOf("V1", Entry(E::RECEIVE, prefix + std::to_string(i), Lot(Gtin(501), "W1"), 1)));
  s.Record(std::move(items));
}

}  // namespace

TEST_CASE("webhook deliveries survive refusals and a killed server; each alert arrives, signed",
          "[alerts][integration][webhook]") {
  Receiver receiver;
  AlertServer s({"--webhook-retry-initial-ms", "100"});
  s.Record({PartyItem("V1", v1::Party::VENDOR)});
  const std::string regulator = s.Register(PartyItem("R", v1::Party::REGULATOR));
  s.Cli({"webhook", "add", "--key", regulator, "--id", "wh-1", "--url", receiver.url(), "--secret", kSecret, "--json"});
  RaiseAlerts(s, "before-", 5);
  REQUIRE(Eventually([&] { return receiver.attempts() >= 3; }));  // refused and retried
  auto listed = s.Cli({"webhook", "list", "--key", regulator, "--json"});
  REQUIRE(listed.size() == 1);
  CHECK(listed[0]["last_error"] == "HTTP 503");
  CHECK(listed[0]["backlog"].get<int>() >= 1);

  s.server->Stop(SIGKILL);  // nothing graceful: the outbox is on disk
  receiver.Accept();
  s.Start();
  RaiseAlerts(s, "after-", 5);
  auto all = s.Cli({"alerts", "list", "--key", regulator, "--json"});
  std::set<std::string> expected;
  for (const auto& a : all) expected.insert(a["alert_id"]);
  REQUIRE(expected.size() == 10);
  REQUIRE(Eventually([&] {
    std::set<std::string> got;
    for (const auto& [id, n] : receiver.deliveries()) got.insert(id);
    return got == expected;
  }, 60));
  CHECK(receiver.bad_signatures() == 0);
  CHECK(receiver.bad_bodies() == 0);
  REQUIRE(Eventually([&] {
    auto l = s.Cli({"webhook", "list", "--key", regulator, "--json"});
    return l[0]["backlog"] == 0 && l[0]["delivered"].get<int>() >= 10;
  }));
}
