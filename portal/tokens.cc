// Access tokens: creation, revocation, listing (the `foodtrace token` commands) and the
// server's TokenStore. The file format is written out in portal/tokens.h.
#include "portal/tokens.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <sstream>

#include "foodtrace/common/crypto.h"
#include "foodtrace/common/text.h"
#include "portal/limits.h"

namespace foodtrace::portal {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

constexpr std::string_view kTokenPrefix = "ft_";
constexpr std::size_t kTokenIdChars = 8;
constexpr std::size_t kSecretBytes = 32;

std::string Digest(std::string_view token) { return HexEncode(Sha256(token)); }

bool IsLowerHex(std::string_view s) {
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

// The token id inside a token text, or "" if the text is not shaped like a token.
std::string TokenIdOf(std::string_view token) {
  if (token.size() != kTokenPrefix.size() + kTokenIdChars + 1 + 2 * kSecretBytes) return "";
  if (token.substr(0, kTokenPrefix.size()) != kTokenPrefix) return "";
  const std::string_view id = token.substr(kTokenPrefix.size(), kTokenIdChars);
  if (token[kTokenPrefix.size() + kTokenIdChars] != '_' || !IsLowerHex(id)) return "";
  return std::string(id);
}

// Holds an exclusive flock on DATA/keys/tokens.lock for one read-modify-write.
class FileLock {
 public:
  explicit FileLock(const std::string& path) : fd_(open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600)) {
    if (fd_ >= 0 && flock(fd_, LOCK_EX) != 0) {
      close(fd_);
      fd_ = -1;
    }
  }
  ~FileLock() {
    if (fd_ >= 0) close(fd_);  // closing releases the lock
  }
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;
  bool ok() const { return fd_ >= 0; }

 private:
  int fd_;
};

Status WriteTokenFile(const std::string& path, const std::vector<StoredToken>& tokens) {
  json list = json::array();
  for (const auto& t : tokens) {
    list.push_back({{"token_id", t.info.token_id},
                    {"role", RoleName(t.info.role)},
                    {"party_id", t.info.party_id},
                    {"sha256", t.sha256_hex},
                    {"created_at_ms", t.info.created_at_ms}});
  }
  const std::string text = json{{"version", 1}, {"tokens", list}}.dump(2) + "\n";
  const std::string tmp = path + ".tmp";
  const int fd = open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return Status::Io("cannot write " + tmp + ": " + std::strerror(errno));
  const bool written = write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
                       fsync(fd) == 0;
  close(fd);
  if (!written || rename(tmp.c_str(), path.c_str()) != 0) {
    unlink(tmp.c_str());
    return Status::Io("cannot write " + path + ": " + std::strerror(errno));
  }
  return Status::Ok();
}

// Runs fn(tokens) under the lock and writes the list back when fn succeeds.
template <class Fn>
Status ModifyTokens(const std::string& data_dir, Fn fn) {
  std::error_code ec;
  fs::create_directories(fs::path(data_dir) / "keys", ec);
  if (ec) return Status::Io("cannot create " + data_dir + "/keys: " + ec.message());
  FileLock lock((fs::path(data_dir) / "keys" / "tokens.lock").string());
  if (!lock.ok()) return Status::Io("cannot lock the token file in " + data_dir + "/keys");
  const std::string path = TokenFilePath(data_dir);
  auto tokens = ReadTokenFile(path);
  if (!tokens.ok()) return tokens.status();
  FT_RETURN_IF_ERROR(fn(*tokens));
  return WriteTokenFile(path, *tokens);
}

Result<StoredToken> ParseStoredToken(const json& j) {
  StoredToken t;
  auto role = ParseRole(j.value("role", ""));
  if (!role.ok()) return role.status();
  t.info.role = *role;
  t.info.token_id = j.value("token_id", "");
  t.info.party_id = j.value("party_id", "");
  t.info.created_at_ms = j.value("created_at_ms", std::int64_t{0});
  t.sha256_hex = j.value("sha256", "");
  if (t.info.token_id.size() != kTokenIdChars || t.sha256_hex.size() != 64 || t.info.party_id.empty()) {
    return Status::Corruption("a token entry lacks token_id, sha256 or party_id");
  }
  return t;
}

}  // namespace

const char* RoleName(Role role) { return role == Role::kRegulator ? "regulator" : "vendor"; }

Result<Role> ParseRole(std::string_view name) {
  if (name == "regulator") return Role::kRegulator;
  if (name == "vendor") return Role::kVendor;
  return Status::Invalid("BAD_ROLE", "role '" + std::string(name) + "' is not regulator or vendor");
}

std::string TokenFilePath(const std::string& data_dir) {
  return (fs::path(data_dir) / "keys" / "tokens.json").string();
}

Result<std::vector<StoredToken>> ReadTokenFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    if (!fs::exists(path)) return std::vector<StoredToken>{};
    return Status::Io("cannot read " + path);
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  json doc = json::parse(buffer.str(), nullptr, /*allow_exceptions=*/false);
  if (!doc.is_object() || !doc.contains("tokens") || !doc["tokens"].is_array()) {
    return Status::Corruption(path + " is not a foodtrace token file");
  }
  std::vector<StoredToken> out;
  for (const json& j : doc["tokens"]) {
    if (!j.is_object()) return Status::Corruption(path + ": a token entry is not an object");
    auto t = ParseStoredToken(j);
    if (!t.ok()) return Status::Corruption(path + ": " + t.status().message());
    out.push_back(std::move(*t));
  }
  return out;
}

Result<std::string> CreateToken(const std::string& data_dir, Role role, const std::string& party_id) {
  InitCrypto();
  if (Status st = CheckTextField("party", party_id, 64); !st.ok()) return st;
  if (party_id.empty()) return Status::Invalid("MISSING_PARTY", "name the token's party with --party");
  std::string token;
  FT_RETURN_IF_ERROR(ModifyTokens(data_dir, [&](std::vector<StoredToken>& tokens) -> Status {
    if (tokens.size() >= kTokensMax) {
      return Status::Exhausted("TOO_MANY_TOKENS", "the token file holds " + std::to_string(kTokensMax) +
                                                      " tokens; revoke unused ones first");
    }
    StoredToken t;
    do {
      t.info.token_id = RandomHex(kTokenIdChars / 2);
    } while (std::any_of(tokens.begin(), tokens.end(),
                         [&](const StoredToken& o) { return o.info.token_id == t.info.token_id; }));
    token = std::string(kTokenPrefix) + t.info.token_id + "_" + RandomHex(kSecretBytes);
    t.info.role = role;
    t.info.party_id = party_id;
    t.info.created_at_ms = NowMillis();
    t.sha256_hex = Digest(token);
    tokens.push_back(std::move(t));
    return Status::Ok();
  }));
  return token;
}

Status RevokeToken(const std::string& data_dir, const std::string& token_or_id) {
  InitCrypto();
  const std::string from_token = TokenIdOf(token_or_id);
  const std::string id = from_token.empty() ? token_or_id : from_token;
  return ModifyTokens(data_dir, [&](std::vector<StoredToken>& tokens) -> Status {
    auto it = std::find_if(tokens.begin(), tokens.end(), [&](const StoredToken& t) {
      return t.info.token_id == id &&
             (from_token.empty() || ConstantTimeEquals(t.sha256_hex, Digest(token_or_id)));
    });
    if (it == tokens.end()) return Status::NotFound("no token '" + id + "' is stored");
    tokens.erase(it);
    return Status::Ok();
  });
}

Result<std::vector<TokenInfo>> ListTokens(const std::string& data_dir) {
  auto tokens = ReadTokenFile(TokenFilePath(data_dir));
  if (!tokens.ok()) return tokens.status();
  std::vector<TokenInfo> out;
  for (auto& t : *tokens) out.push_back(std::move(t.info));
  return out;
}

TokenStore::TokenStore(std::string data_dir)
    : path_(data_dir.empty() ? std::string() : TokenFilePath(data_dir)) {
  InitCrypto();
}

void TokenStore::ReloadIfChanged() {
  struct stat st {};
  if (stat(path_.c_str(), &st) != 0) st = {};  // a missing file means no tokens
  {
    std::shared_lock lock(mu_);
    if (st.st_mtim.tv_sec == mtime_.tv_sec && st.st_mtim.tv_nsec == mtime_.tv_nsec &&
        st.st_size == size_ && st.st_ino == inode_) {
      return;
    }
  }
  auto tokens = ReadTokenFile(path_);
  std::unique_lock lock(mu_);
  if (!tokens.ok()) {
    // Keep the last good list: a corrupt file must not lock every regulator out mid-shift.
    std::fprintf(stderr, "foodtrace portal: %s\n", tokens.status().ToString().c_str());
    return;
  }
  tokens_ = std::move(*tokens);
  mtime_ = st.st_mtim;
  size_ = st.st_size;
  inode_ = st.st_ino;
}

Result<TokenInfo> TokenStore::Authenticate(std::string_view token) {
  const Status unknown(Code::kUnauthenticated, "UNAUTHENTICATED",
                       "the access token is unknown or revoked; ask the operator for a new one");
  if (path_.empty()) return unknown;
  const std::string id = TokenIdOf(token);
  if (id.empty()) {
    return Status(Code::kUnauthenticated, "UNAUTHENTICATED",
                  "the access token is malformed: expected 'Authorization: Bearer ft_…'");
  }
  ReloadIfChanged();
  const std::string digest = Digest(token);
  std::shared_lock lock(mu_);
  for (const auto& t : tokens_) {
    if (t.info.token_id == id && ConstantTimeEquals(t.sha256_hex, digest)) return t.info;
  }
  return unknown;
}

}  // namespace foodtrace::portal
