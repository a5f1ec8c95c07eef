// Proves signing in without pasting: a one-time pairing code from `foodtrace token create
// --pairing` becomes an HttpOnly, SameSite=Strict session cookie that works once; wrong, used,
// expired and revoked codes are refused with their own codes; `foodtrace token revoke` ends the
// sessions made from a code or a token; tokens expire and rotate; a cross-site write with the
// cookie is refused.
#include <catch2/catch.hpp>

#include <fstream>
#include <regex>

#include "portal_fixture.h"

using namespace foodtrace;
using namespace foodtrace::testing;

namespace {

struct PairingOut {
  std::string code, link, stderr_text;
};

PairingOut Pairing(Portal& portal, const std::string& party) {
  auto r = RunCommand({FoodtraceBinary(), "token", "create", "--data", portal.data(), "--role", "vendor", "--party",
                       party, "--pairing", "--portal", portal.url()});
  FT_CHECK(r.exit_code == 0);
  PairingOut c;
  std::istringstream lines(r.out);
  std::getline(lines, c.code);
  std::getline(lines, c.link);
  c.stderr_text = r.err;
  return c;
}

// The id of the first listed entry of `kind` for `party` (`foodtrace token list --json`).
std::string ListedId(Portal& portal, const std::string& kind, const std::string& party) {
  auto r = RunCommand({FoodtraceBinary(), "token", "list", "--json", "--data", portal.data()});
  std::istringstream lines(r.out);
  for (std::string line; std::getline(lines, line);) {
    json j = json::parse(line, nullptr, false);
    if (j.is_object() && j["kind"] == kind && j["party_id"] == party) return j["token_id"];
  }
  return "";
}

// Rewrites tokens.json so the entry `id` expired a minute ago (the server re-reads the file).
void ExpireNow(Portal& portal, const std::string& id) {
  const std::string file = portal.data() + "/keys/tokens.json";
  std::ifstream in(file);
  json doc = json::parse(in);
  for (json& t : doc["tokens"]) {
    if (t["token_id"] == id) t["expires_at_ms"] = NowMillis() - 60'000;
  }
  std::ofstream(file, std::ios::trunc) << doc.dump(2);
}

httplib::Headers WithCookie(const std::string& cookie, const std::string& origin = "") {
  httplib::Headers h{{"Cookie", cookie}};
  if (!origin.empty()) h.emplace("Origin", origin);
  return h;
}

}  // namespace

TEST_CASE("a pairing code signs a device in once, as an HttpOnly SameSite=Strict session", "[portal][sessions]") {
  foodtrace::testing::Portal portal;
  Market m(portal);
  const PairingOut c = Pairing(portal, "V1");
  INFO(c.code << "\n" << c.stderr_text);
  REQUIRE(std::regex_match(c.code, std::regex("[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}")));
  CHECK(c.link == portal.url() + "/signin.html?code=" + c.code);
  CHECK(c.stderr_text.find("█") != std::string::npos);  // the QR code for the phone
  // Only the hash of the code is stored.
  std::ifstream in(portal.data() + "/keys/tokens.json");
  const std::string file((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  CHECK(file.find(c.code.substr(0, 4)) == std::string::npos);

  auto started = portal.Post("/api/v1/session", json{{"code", c.code}}.dump());
  INFO(started.text);
  REQUIRE(started.status == 201);
  CHECK(started.body["role"] == "vendor");
  CHECK(started.body["party_id"] == "V1");
  CHECK(started.body["expires_at_ms"].get<std::int64_t>() > NowMillis() + 20LL * 86'400'000);
  const std::string set_cookie = started.headers.find("Set-Cookie")->second;
  CHECK(set_cookie.find("HttpOnly") != std::string::npos);
  CHECK(set_cookie.find("SameSite=Strict") != std::string::npos);
  CHECK(set_cookie.find("Path=/") != std::string::npos);
  const std::string cookie = set_cookie.substr(0, set_cookie.find(';'));
  CHECK(started.text.find(cookie.substr(cookie.find('=') + 1)) == std::string::npos);  // not in the body

  auto stock = portal.Get("/api/v1/vendor/stock", "", WithCookie(cookie));
  CHECK(stock.status == 200);
  CHECK(portal.Get("/api/v1/me", "", WithCookie(cookie)).body["kind"] == "session");
  auto current = portal.Get("/api/v1/session", "", WithCookie(cookie));
  CHECK(current.body["signed_in"] == true);
  CHECK(current.body["party_id"] == "V1");
  CHECK(portal.Get("/api/v1/session").body == json{{"signed_in", false}});
  // Used once: the same code again is refused as used, a made-up one as unknown.
  auto again = portal.Post("/api/v1/session", json{{"code", c.code}}.dump());
  CHECK(again.status == 401);
  CHECK(again.body["error"]["code"] == "PAIRING_CODE_USED");
  CHECK(portal.Post("/api/v1/session", json{{"code", "ZZZZ-ZZZZ"}}.dump()).body["error"]["code"] == "PAIRING_CODE_UNKNOWN");
  auto malformed = portal.Post("/api/v1/session", json{{"code", "hello"}}.dump());
  CHECK(malformed.status == 400);
  CHECK(malformed.body["error"]["code"] == "PAIRING_CODE_FORMAT");
  CHECK(malformed.body["error"]["field"] == "code");

  // A cross-site write with the cookie is refused; the same write from the portal is not.
  auto cross = portal.http().Post("/api/v1/session/end", WithCookie(cookie, "http://evil.example"), "", "application/json");
  REQUIRE(cross);
  CHECK(cross->status == 403);
  auto end = portal.http().Post("/api/v1/session/end", WithCookie(cookie, portal.url()), "", "application/json");
  REQUIRE(end);
  CHECK(end->status == 200);
  CHECK(end->get_header_value("Set-Cookie").find("Max-Age=0") != std::string::npos);
  CHECK(portal.Get("/api/v1/vendor/stock", "", WithCookie(cookie)).status == 401);
  CHECK(portal.Get("/api/v1/session", "", WithCookie(cookie)).body["reason"] == "UNAUTHENTICATED");
}

TEST_CASE("expired and revoked codes are refused by name, and revoking ends the sessions made from them",
          "[portal][sessions]") {
  foodtrace::testing::Portal portal;
  Market m(portal);
  const PairingOut expired = Pairing(portal, "V1");
  ExpireNow(portal, ListedId(portal, "pairing", "V1"));
  CHECK(portal.Post("/api/v1/session", json{{"code", expired.code}}.dump()).body["error"]["code"] == "PAIRING_CODE_EXPIRED");

  const PairingOut revoked = Pairing(portal, "V2");
  const std::string revoked_id = ListedId(portal, "pairing", "V2");
  REQUIRE(RunCommand({FoodtraceBinary(), "token", "revoke", "--data", portal.data(), revoked_id}).exit_code == 0);
  CHECK(portal.Post("/api/v1/session", json{{"code", revoked.code}}.dump()).body["error"]["code"] == "PAIRING_CODE_REVOKED");

  // A pasted token signs in too; revoking the token ends that session at once.
  auto started = portal.Post("/api/v1/session", json{{"token", m.vendor}}.dump());
  REQUIRE(started.status == 201);
  const std::string set_cookie = started.headers.find("Set-Cookie")->second;
  const std::string cookie = set_cookie.substr(0, set_cookie.find(';'));
  REQUIRE(portal.Get("/api/v1/vendor/stock", "", WithCookie(cookie)).status == 200);
  REQUIRE(RunCommand({FoodtraceBinary(), "token", "revoke", "--data", portal.data(), m.vendor}).exit_code == 0);
  CHECK(portal.Get("/api/v1/vendor/stock", "", WithCookie(cookie)).status == 401);
}

TEST_CASE("tokens expire, and a rotated token replaces the old one at once", "[portal][sessions]") {
  foodtrace::testing::Portal portal;
  Market m(portal);
  auto me = portal.Get("/api/v1/me", m.supplier);
  REQUIRE(me.status == 200);
  // The default lifetime is 90 days.
  CHECK(std::abs(me.body["expires_at_ms"].get<std::int64_t>() - (NowMillis() + 90LL * 86'400'000)) < 600'000);
  ExpireNow(portal, me.body["token_id"]);
  auto expired = portal.Get("/api/v1/vendor/stock", m.supplier);
  CHECK(expired.status == 401);
  CHECK(expired.body["error"]["code"] == "TOKEN_EXPIRED");

  auto rotated = RunCommand({FoodtraceBinary(), "token", "rotate", "--data", portal.data(), m.vendor});
  REQUIRE(rotated.exit_code == 0);
  const std::string fresh = Trim(rotated.out);
  CHECK(fresh != m.vendor);
  CHECK(portal.Get("/api/v1/vendor/stock", m.vendor).status == 401);
  CHECK(portal.Get("/api/v1/vendor/stock", fresh).status == 200);
  auto never = RunCommand({FoodtraceBinary(), "token", "create", "--data", portal.data(), "--role", "vendor",
                           "--party", "V2", "--expires-in-days", "0"});
  REQUIRE(never.exit_code == 0);
  CHECK(portal.Get("/api/v1/me", Trim(never.out)).body["expires_at_ms"] == 0);
}
