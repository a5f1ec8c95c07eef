// Proves key files are created once with owner-only permissions and refused clearly when bad.
#include "foodtrace/ingest/keys.h"

#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "support/ledger_fixture.h"

using namespace foodtrace;
using namespace foodtrace::ingest;
using foodtrace::testing::TempDir;

namespace {

unsigned Mode(const std::string& path) {
  struct stat st {};
  FT_CHECK(::stat(path.c_str(), &st) == 0);
  return st.st_mode & 0777;
}

void WriteText(const std::string& path, const std::string& text, unsigned mode = 0600) {
  std::ofstream(path) << text;
  std::filesystem::permissions(path, static_cast<std::filesystem::perms>(mode),
                               std::filesystem::perm_options::replace);
}

}  // namespace

TEST_CASE("server and operator keys are created on first start and read back unchanged after",
          "[ingest]") {
  TempDir dir;
  auto first = LoadOrCreateServerKeys(dir.path(), "tcp://127.0.0.1:7400");
  REQUIRE(first.ok());
  CHECK(IsCurveKeyZ85(first->server.public_key));
  CHECK(first->operator_key.party_id == "operator");
  CHECK(first->operator_key.server_public_key == first->server.public_key);
  CHECK(first->operator_key.server_endpoint == "tcp://127.0.0.1:7400");
  CHECK(Mode(dir.sub("keys")) == 0700);
  CHECK(Mode(dir.sub("keys/server.key")) == 0600);
  CHECK(Mode(dir.sub("keys/operator.key")) == 0600);

  auto second = LoadOrCreateServerKeys(dir.path());
  REQUIRE(second.ok());
  CHECK(second->server.secret_key == first->server.secret_key);
  CHECK(second->operator_key.secret_key == first->operator_key.secret_key);
}

TEST_CASE("a key file round-trips and its public key is derived from its secret key", "[ingest]") {
  TempDir dir;
  auto server = GenerateCurveKeyPair();
  REQUIRE(server.ok());
  auto key = NewPartyKey("v-001", server->public_key, "tcp://127.0.0.1:7400");
  REQUIRE(key.ok());
  CHECK(CurvePublicKey(key->secret_key).value() == key->public_key);
  const std::string path = dir.sub("v-001.key");
  REQUIRE(WriteKeyFile(path, *key).ok());
  CHECK(Mode(path) == 0600);
  auto back = ReadKeyFile(path);
  REQUIRE(back.ok());
  CHECK(back->party_id == "v-001");
  CHECK(back->secret_key == key->secret_key);
  CHECK(back->server_public_key == server->public_key);
  // Writing again replaces the file atomically, leaving no temporary files behind.
  REQUIRE(WriteKeyFile(path, *key).ok());
  CHECK(std::distance(std::filesystem::directory_iterator(dir.path()),
                      std::filesystem::directory_iterator()) == 1);
}

TEST_CASE("a missing, exposed or malformed key file is refused with a message that says why",
          "[ingest]") {
  TempDir dir;
  auto missing = ReadKeyFile(dir.sub("nope.key"));
  CHECK(missing.status().code() == Code::kNotFound);
  CHECK(missing.status().message().find("does not exist") != std::string::npos);

  auto key = NewPartyKey("v-001", GenerateCurveKeyPair()->public_key, "");
  REQUIRE(key.ok());
  const std::string path = dir.sub("v.key");
  REQUIRE(WriteKeyFile(path, *key).ok());
  std::filesystem::permissions(path, static_cast<std::filesystem::perms>(0644),
                               std::filesystem::perm_options::replace);
  auto exposed = ReadKeyFile(path);
  CHECK(exposed.status().reason() == "KEY_FILE_PERMISSIONS");
  CHECK(exposed.status().message().find("chmod 600") != std::string::npos);

  WriteText(dir.sub("junk.key"), "not json at all");
  auto junk = ReadKeyFile(dir.sub("junk.key"));
  CHECK(junk.status().reason() == "KEY_FILE_FORMAT");
  CHECK(junk.status().message().find("is not a foodtrace key file") != std::string::npos);

  WriteText(dir.sub("partial.key"), R"({"party_id":"v","public_key":"x"})");
  CHECK(ReadKeyFile(dir.sub("partial.key")).status().message().find("secret_key") !=
        std::string::npos);

  // A public key that does not belong to the secret key is someone else's key.
  auto other = GenerateCurveKeyPair();
  WriteText(dir.sub("mixed.key"), R"({"party_id":"v","public_key":")" + other->public_key +
                                      R"(","secret_key":")" + key->secret_key +
                                      R"(","server_public_key":")" + key->server_public_key +
                                      R"(","server_endpoint":""})");
  CHECK(ReadKeyFile(dir.sub("mixed.key")).status().message().find("does not belong") !=
        std::string::npos);
}

TEST_CASE("only 40-character Z85 strings are CURVE keys", "[ingest]") {
  auto pair = GenerateCurveKeyPair();
  REQUIRE(pair.ok());
  CHECK(IsCurveKeyZ85(pair->public_key));
  CHECK_FALSE(IsCurveKeyZ85(pair->public_key.substr(1)));
  CHECK_FALSE(IsCurveKeyZ85(std::string(40, '"')));
  CHECK(CurvePublicKey("short").status().reason() == "CURVE_KEY_FORMAT");
}
