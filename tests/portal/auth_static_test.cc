// Proves the portal's edges: tokens (401 without or with an unknown or revoked token, 403 for the
// wrong role), the per-client lookup rate limit (429 with Retry-After), upload limits (413) and
// that static files are served from the web directory only — no path escapes it.
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "portal_fixture.h"

using namespace foodtrace;
using namespace foodtrace::testing;

TEST_CASE("token endpoints answer 401 without or with an unknown token and 403 for the wrong role",
          "[portal][auth]") {
  Portal portal;
  Market m(portal);
  auto none = portal.Get("/api/v1/alerts");
  CHECK(none.status == 401);
  CHECK(none.body["error"]["code"] == "UNAUTHENTICATED");
  const std::string forged = "ft_00000000_" + std::string(64, 'a');
  CHECK(portal.Get("/api/v1/trace/down?gtin=" + m.gtin + "&lot=L-OK", forged).status == 401);
  CHECK(portal.Get("/api/v1/vendor/stock", "not-a-token").status == 401);
  // A real token id with a wrong secret is as unknown as a made-up one.
  std::string tampered = m.vendor;
  tampered.back() = tampered.back() == 'a' ? 'b' : 'a';
  CHECK(portal.Get("/api/v1/vendor/stock", tampered).status == 401);

  auto wrong = portal.Get("/api/v1/vendor/stock", m.regulator);
  CHECK(wrong.status == 403);
  CHECK(wrong.body["error"]["code"] == "WRONG_ROLE");
  CHECK(portal.Get("/api/v1/trace/down?gtin=" + m.gtin + "&lot=L-OK", m.vendor).status == 403);
  CHECK(portal.Post("/api/v1/recalls", "{}", m.vendor).status == 403);
  CHECK(portal.Get("/api/v1/vendor/stock", m.vendor).status == 200);
  auto me = portal.Get("/api/v1/me", m.regulator);
  CHECK(me.body["role"] == "regulator");
  CHECK(me.body["party_id"] == "REG1");
}

TEST_CASE("tokens are stored hashed in a private file and a revoked token stops working at once",
          "[portal][auth]") {
  Portal portal;
  Market m(portal);
  const std::string file = portal.data() + "/keys/tokens.json";
  std::ifstream in(file);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  CHECK(text.find(m.vendor) == std::string::npos);
  CHECK(text.find(m.vendor.substr(12)) == std::string::npos);  // not even the secret part
  struct stat st {};
  REQUIRE(stat(file.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);

  auto list = RunCommand({FoodtraceBinary(), "token", "list", "--data", portal.data()});
  REQUIRE(list.exit_code == 0);
  CHECK(list.out.find("REG1") != std::string::npos);
  CHECK(list.out.find(m.vendor) == std::string::npos);

  REQUIRE(portal.Get("/api/v1/vendor/stock", m.vendor).status == 200);
  auto revoke = RunCommand({FoodtraceBinary(), "token", "revoke", "--data", portal.data(), m.vendor});
  REQUIRE(revoke.exit_code == 0);
  CHECK(portal.Get("/api/v1/vendor/stock", m.vendor).status == 401);
  CHECK(portal.Get("/api/v1/alerts", m.regulator).status != 401);  // others still work
  auto again = RunCommand({FoodtraceBinary(), "token", "revoke", "--data", portal.data(), m.vendor});
  CHECK(again.exit_code != 0);
}

TEST_CASE("public lookups beyond the per-client rate answer 429 with Retry-After", "[portal][auth]") {
  Portal portal({"--lookup-rate", "1"});  // burst 2
  int limited = 0;
  std::string retry_after;
  for (int i = 0; i < 5; ++i) {
    auto a = portal.Get("/api/v1/lookup?code=(01)" + Gtin(1) + "(10)X");
    if (a.status == 429) {
      ++limited;
      CHECK(a.body["error"]["code"] == "RATE_LIMITED");
      retry_after = httplib::detail::get_header_value(a.headers, "Retry-After", 0, "");
    } else {
      CHECK(a.status == 200);
    }
  }
  CHECK(limited >= 2);
  CHECK(std::stoi(retry_after) >= 1);
  CHECK(portal.Get("/healthz").status == 200);  // only lookups are limited
}

TEST_CASE("an oversize photo is refused with 413; a photo without a code with a JSON error", "[portal]") {
  Portal portal;
  auto big = portal.Post("/api/v1/lookup/image", std::string((8 << 20) + 1024, 'x'), "", "image/jpeg");
  CHECK(big.status == 413);
  CHECK(big.body["error"]["code"] == "PAYLOAD_TOO_LARGE");
  auto not_image = portal.Post("/api/v1/lookup/image", "plain text, not a picture", "", "image/png");
  CHECK(not_image.status == 415);
  CHECK(not_image.body["error"]["code"] == "IMAGE_FORMAT");
  auto wrong_type = portal.Post("/api/v1/lookup/image", "{}", "", "application/json");
  CHECK(wrong_type.status == 415);
  CHECK(wrong_type.body["error"]["code"] == "UNSUPPORTED_MEDIA_TYPE");
  httplib::MultipartFormDataItems form = {{"note", "no image field", "", "text/plain"}};
  auto no_field = portal.http().Post("/api/v1/lookup/image", form);
  REQUIRE(no_field);
  CHECK(no_field->status == 400);
  CHECK(json::parse(no_field->body)["error"]["code"] == "MISSING_PARAMETER");
  CHECK(portal.Get("/healthz").status == 200);  // the connection and server survived
}

TEST_CASE("static files come from the web directory with their content types and never from outside it",
          "[portal][static]") {
  TempDir web;
  namespace fs = std::filesystem;
  auto write = [&](const std::string& name, const std::string& text) {
    fs::create_directories(fs::path(web.sub(name)).parent_path());
    std::ofstream(web.sub(name)) << text;
  };
  write("index.html", "<h1>index</h1>");
  write("lot.html", "<h1>lot page</h1>");
  write("js/app.js", "console.log(1)");
  write(".secret", "hidden");
  TempDir outside;
  std::ofstream(outside.sub("secret.txt")) << "outside";
  fs::create_symlink(outside.sub("secret.txt"), web.sub("link.txt"));
  Portal portal({"--lookup-rate", "0", "--web", web.path()});

  auto index = portal.http().Get("/");
  REQUIRE(index);
  CHECK(index->status == 200);
  CHECK(index->body == "<h1>index</h1>");
  CHECK(index->get_header_value("Content-Type") == "text/html; charset=utf-8");
  auto js = portal.http().Get("/js/app.js");
  REQUIRE(js);
  CHECK(js->status == 200);
  CHECK(js->get_header_value("Content-Type") == "text/javascript; charset=utf-8");
  // A browser at a Digital Link gets the lot page; the page calls the API itself.
  auto lot = portal.http().Get(("/01/" + Gtin(7) + "/10/L1").c_str());
  REQUIRE(lot);
  CHECK(lot->body == "<h1>lot page</h1>");

  for (const std::string& path : std::vector<std::string>{"/../CMakeLists.txt", "/%2e%2e/CMakeLists.txt", "/%2E%2E/%2E%2E/etc/passwd", "/..%2fCMakeLists.txt",
        "/js/../../CMakeLists.txt", "/js/..%2f..%2fCMakeLists.txt", "/..\\CMakeLists.txt", "/.secret",
        "/link.txt", "/js/%00app.js", "/" + outside.path() + "/secret.txt", "/nothing-here.html"}) {
    auto r = portal.http().Get(path.c_str());
    INFO(path);
    REQUIRE(r);
    CHECK((r->status == 404 || r->status == 400));
    CHECK(r->body.find("outside") == std::string::npos);
    CHECK(r->body.find("project(foodtrace") == std::string::npos);
    CHECK(r->body.find("root:") == std::string::npos);
  }
}
