// Proves the regulator's alert API over real HTTP: a recall's alerts are listed with filters
// and a cursor, acknowledged and resolved, and arrive live on the SSE stream, which resumes
// after Last-Event-ID.
#include <catch2/catch.hpp>
#include <future>

#include "portal_fixture.h"

using namespace foodtrace;
using namespace foodtrace::testing;

namespace {

// Opens the alert stream and returns the text received until `until` appears (or 30 s pass).
std::string ReadStream(const std::string& url, const std::string& path, httplib::Headers headers,
                       const std::string& until) {
  const int port = std::stoi(url.substr(url.rfind(':') + 1));
  httplib::Client client("127.0.0.1", port);
  client.set_read_timeout(30, 0);
  std::string text;
  client.Get(path.c_str(), headers, [&](const char* data, std::size_t n) {
    text.append(data, n);
    return text.find(until) == std::string::npos;  // false ends the stream
  });
  return text;
}

void IssueRecall(Portal& portal, const Market& m) {
  auto issued = portal.Post("/api/v1/recalls",
                            json{{"recall_id", "R-9"}, {"level", "I"}, {"gtin", m.gtin}, {"lots", {"L-RC"}},
                                 {"reason", "沙门氏菌"}}.dump(),
                            m.regulator);
  INFO(issued.text);
  REQUIRE(issued.status == 201);
  CHECK(issued.body["holders_alerted"] == 2);  // S1 and V1 still hold some
}

}  // namespace

TEST_CASE("a recall's alerts are listed with filters and paging, acknowledged and resolved", "[portal][alerts]") {
  Portal portal;
  Market m(portal);
  IssueRecall(portal, m);
  auto all = portal.Get("/api/v1/alerts?kind=RECALLED_IN_STOCK", m.regulator);
  INFO(all.text);
  REQUIRE(all.status == 200);
  REQUIRE(all.body["alerts"].size() == 2);
  auto v1_only = portal.Get("/api/v1/alerts?kind=RECALLED_IN_STOCK&party=V1", m.regulator);
  REQUIRE(v1_only.body["alerts"].size() == 1);
  CHECK(v1_only.body["alerts"][0]["recall_id"] == "R-9");
  auto first = portal.Get("/api/v1/alerts?kind=RECALLED_IN_STOCK&limit=1", m.regulator);
  REQUIRE(first.body["alerts"].size() == 1);
  REQUIRE(first.body.contains("next_cursor"));
  auto second = portal.Get("/api/v1/alerts?kind=RECALLED_IN_STOCK&limit=1&cursor=" +
                               first.body["next_cursor"].get<std::string>(),
                           m.regulator);
  REQUIRE(second.body["alerts"].size() == 1);
  CHECK(second.body["alerts"][0]["alert_id"] != first.body["alerts"][0]["alert_id"]);
  CHECK(!second.body.contains("next_cursor"));
  CHECK(portal.Get("/api/v1/alerts?kind=NO_SUCH_KIND", m.regulator).status == 400);

  const std::string id = v1_only.body["alerts"][0]["alert_id"];
  auto ack = portal.Post("/api/v1/alerts/" + id + "/ack", "", m.regulator);
  INFO(ack.text);
  REQUIRE(ack.status == 200);
  CHECK(ack.body["state"] == "ACKNOWLEDGED");
  CHECK(portal.Get("/api/v1/alerts?state=ACKNOWLEDGED", m.regulator).body["alerts"].size() == 1);
  auto resolved = portal.Post("/api/v1/alerts/" + id + "/resolve", R"({"note":"destroyed"})", m.regulator);
  CHECK(resolved.body["state"] == "RESOLVED");
  CHECK(portal.Post("/api/v1/alerts/" + id + "/ack", "", m.regulator).status == 409);
  CHECK(portal.Post("/api/v1/alerts/al-999999999999/ack", "", m.regulator).status == 404);
}

TEST_CASE("alerts arrive live on the SSE stream, which resumes after Last-Event-ID", "[portal][alerts]") {
  Portal portal;
  Market m(portal);
  const std::string path = "/api/v1/alerts/stream?kind=RECALLED_IN_STOCK";
  auto live = std::async(std::launch::async, [&] {
    return ReadStream(portal.url(), path, {{"Authorization", "Bearer " + m.regulator}}, "\n\nid: ");
  });
  // The stream starts at the present: wait until the server has answered it (metrics count it).
  for (int i = 0; i < 100 && portal.http().Get("/metrics")->body.find("alerts/stream") == std::string::npos; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  IssueRecall(portal, m);
  const std::string text = live.get();
  INFO(text);
  REQUIRE(text.find("id: ") != std::string::npos);
  CHECK(text.find("event: alert\ndata: {") != std::string::npos);
  CHECK(text.find("\"recall_id\":\"R-9\"") != std::string::npos);

  // Resuming after the first alert's id replays the second first; ?access_token= works too.
  const auto first_id = text.substr(text.find("id: ") + 4, text.find('\n', text.find("id: ")) - text.find("id: ") - 4);
  const std::string resumed = ReadStream(portal.url(), path + "&access_token=" + m.regulator,
                                         {{"Last-Event-ID", first_id}}, "\n\n");
  INFO(resumed);
  REQUIRE(resumed.rfind("id: ", 0) == 0);
  CHECK(std::stoull(resumed.substr(4)) > std::stoull(first_id));
  CHECK(portal.Get("/api/v1/alerts/stream").status == 401);
}
