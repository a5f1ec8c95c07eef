// Access tokens, browser sessions and pairing codes: creation, rotation, revocation, listing
// (the `foodtrace token` commands) and the server's TokenStore. The file format is written out
// in portal/tokens.h.
#include "portal/tokens.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <optional>
#include <nlohmann/json.hpp>
#include <sstream>

#include "foodtrace/common/crypto.h"
#include "foodtrace/common/date.h"
#include "foodtrace/common/text.h"
#include "portal/limits.h"

namespace foodtrace::portal {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

constexpr std::string_view kTokenPrefix = "ft_";
constexpr std::size_t kTokenIdChars = 8;
constexpr std::size_t kSecretBytes = 32;
constexpr std::int64_t kDayMs = 86'400'000;
// Pairing codes avoid characters people confuse: no 0/O, no 1/I/L.
constexpr std::string_view kPairingAlphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
constexpr std::size_t kPairingChars = 8;

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

// A typed pairing code without dashes and spaces, upper-cased; "" when it cannot be one.
std::string NormalPairingCode(std::string_view typed) {
  std::string out;
  for (char c : typed) {
    if (c == '-' || c == ' ') continue;
    const char u = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (kPairingAlphabet.find(u) == std::string_view::npos) return "";
    out += u;
  }
  return out.size() == kPairingChars ? out : "";
}

// kPairingChars characters of the alphabet from random bytes (rejection sampling: no bias).
std::string RandomPairingCode() {
  std::string code;
  const unsigned limit = 256 - 256 % kPairingAlphabet.size();
  while (code.size() < kPairingChars) {
    const std::string hex = RandomHex(16);
    for (std::size_t i = 0; i + 1 < hex.size() && code.size() < kPairingChars; i += 2) {
      const unsigned byte = static_cast<unsigned>(std::stoul(hex.substr(i, 2), nullptr, 16));
      if (byte < limit) code += kPairingAlphabet[byte % kPairingAlphabet.size()];
    }
  }
  return code;
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
    json j{{"token_id", t.info.token_id}, {"role", RoleName(t.info.role)}, {"party_id", t.info.party_id},
           {"sha256", t.sha256_hex}, {"created_at_ms", t.info.created_at_ms},
           {"expires_at_ms", t.info.expires_at_ms}, {"kind", TokenKindName(t.info.kind)}};
    if (!t.info.parent_id.empty()) j["parent_id"] = t.info.parent_id;
    if (!t.info.state.empty()) j["state"] = t.info.state;
    if (t.session_ms > 0) j["session_ms"] = t.session_ms;
    list.push_back(std::move(j));
  }
  const std::string text = json{{"version", 2}, {"tokens", list}}.dump(2) + "\n";
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

// Expired tokens and sessions are dropped; pairing codes a week after they expire (until then
// the portal can still say "expired" or "already used" rather than "unknown").
void Prune(std::vector<StoredToken>* tokens, std::int64_t now) {
  std::erase_if(*tokens, [now](const StoredToken& t) {
    const std::int64_t grace = t.info.kind == TokenKind::kPairing ? 7 * kDayMs : 0;
    return t.info.expires_at_ms > 0 && t.info.expires_at_ms + grace < now;
  });
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
  Prune(&*tokens, NowMillis());
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
  t.info.expires_at_ms = j.value("expires_at_ms", std::int64_t{0});
  t.info.parent_id = j.value("parent_id", "");
  t.info.state = j.value("state", "");
  t.session_ms = j.value("session_ms", std::int64_t{0});
  const std::string kind = j.value("kind", "token");
  t.info.kind = kind == "session" ? TokenKind::kSession : kind == "pairing" ? TokenKind::kPairing : TokenKind::kToken;
  t.sha256_hex = j.value("sha256", "");
  if (t.info.token_id.size() != kTokenIdChars || t.sha256_hex.size() != 64 || t.info.party_id.empty()) {
    return Status::Corruption("a token entry lacks token_id, sha256 or party_id");
  }
  return t;
}

// A new id that no stored entry has.
std::string FreshId(const std::vector<StoredToken>& tokens) {
  std::string id;
  do {
    id = RandomHex(kTokenIdChars / 2);
  } while (std::any_of(tokens.begin(), tokens.end(), [&](const StoredToken& o) { return o.info.token_id == id; }));
  return id;
}

Status CheckRoom(const std::vector<StoredToken>& tokens) {
  if (tokens.size() < kTokensMax) return Status::Ok();
  return Status::Exhausted("TOO_MANY_TOKENS", "the token file holds " + std::to_string(kTokensMax) +
                                                  " tokens, sessions and codes; revoke unused ones first");
}

// Appends a token or session for role/party expiring at `expires_at_ms`; returns its text.
std::string AddToken(std::vector<StoredToken>& tokens, TokenKind kind, Role role, const std::string& party_id,
                     std::int64_t expires_at_ms, const std::string& parent_id) {
  StoredToken t;
  t.info.token_id = FreshId(tokens);
  std::string token = std::string(kTokenPrefix) + t.info.token_id + "_" + RandomHex(kSecretBytes);
  t.info.role = role;
  t.info.party_id = party_id;
  t.info.created_at_ms = NowMillis();
  t.info.expires_at_ms = expires_at_ms;
  t.info.kind = kind;
  t.info.parent_id = parent_id;
  t.sha256_hex = Digest(token);
  tokens.push_back(std::move(t));
  return token;
}

Status CheckParty(const std::string& party_id) {
  if (Status st = CheckTextField("party", party_id, 64); !st.ok()) return st;
  if (party_id.empty()) return Status::Invalid("MISSING_PARTY", "name the token's party with --party");
  return Status::Ok();
}

Status Unauthenticated(const std::string& reason, const std::string& message) {
  return Status(Code::kUnauthenticated, reason, message);
}

}  // namespace

const char* RoleName(Role role) { return role == Role::kRegulator ? "regulator" : "vendor"; }

const char* TokenKindName(TokenKind kind) {
  switch (kind) {
    case TokenKind::kToken: return "token";
    case TokenKind::kSession: return "session";
    case TokenKind::kPairing: return "pairing";
  }
  return "token";
}

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

Result<std::string> CreateToken(const std::string& data_dir, Role role, const std::string& party_id,
                                int lifetime_days) {
  InitCrypto();
  FT_RETURN_IF_ERROR(CheckParty(party_id));
  if (lifetime_days < 0 || lifetime_days > kTokenLifetimeDaysMax) {
    return Status::Invalid("BAD_LIFETIME", "--expires-in-days must be 0 (never) to " +
                                               std::to_string(kTokenLifetimeDaysMax));
  }
  std::string token;
  const Status modified = ModifyTokens(data_dir, [&](std::vector<StoredToken>& tokens) -> Status {
    FT_RETURN_IF_ERROR(CheckRoom(tokens));
    const std::int64_t expires = lifetime_days == 0 ? 0 : NowMillis() + lifetime_days * kDayMs;
    token = AddToken(tokens, TokenKind::kToken, role, party_id, expires, "");
    return Status::Ok();
  });
  if (!modified.ok()) return modified;
  return token;
}

Result<std::string> CreateToken(const std::string& data_dir, Role role, const std::string& party_id) {
  return CreateToken(data_dir, role, party_id, kTokenLifetimeDefaultDays);
}

Result<PairingCode> CreatePairingCode(const std::string& data_dir, Role role, const std::string& party_id,
                                      int session_days) {
  InitCrypto();
  FT_RETURN_IF_ERROR(CheckParty(party_id));
  if (session_days < 0 || session_days > kTokenLifetimeDaysMax) {
    return Status::Invalid("BAD_LIFETIME", "the session lifetime must be 0 (default) to " +
                                               std::to_string(kTokenLifetimeDaysMax) + " days");
  }
  PairingCode out;
  const Status modified = ModifyTokens(data_dir, [&](std::vector<StoredToken>& tokens) -> Status {
    FT_RETURN_IF_ERROR(CheckRoom(tokens));
    std::string code;
    do {
      code = RandomPairingCode();
    } while (std::any_of(tokens.begin(), tokens.end(), [&](const StoredToken& t) { return t.sha256_hex == Digest(code); }));
    StoredToken t;
    t.info.token_id = FreshId(tokens);
    t.info.role = role;
    t.info.party_id = party_id;
    t.info.created_at_ms = NowMillis();
    t.info.expires_at_ms = t.info.created_at_ms + kPairingCodeLifetimeMs;
    t.info.kind = TokenKind::kPairing;
    t.info.state = "open";
    t.session_ms = (session_days == 0 ? kSessionLifetimeDefaultDays : session_days) * kDayMs;
    t.sha256_hex = Digest(code);
    out = PairingCode{code.substr(0, 4) + "-" + code.substr(4), t.info.token_id, t.info.expires_at_ms};
    tokens.push_back(std::move(t));
    return Status::Ok();
  });
  if (!modified.ok()) return modified;
  return out;
}

Result<std::string> RotateToken(const std::string& data_dir, const std::string& token_or_id) {
  InitCrypto();
  const std::string from_token = TokenIdOf(token_or_id);
  const std::string id = from_token.empty() ? token_or_id : from_token;
  std::string token;
  const Status modified = ModifyTokens(data_dir, [&](std::vector<StoredToken>& tokens) -> Status {
    auto it = std::find_if(tokens.begin(), tokens.end(), [&](const StoredToken& t) { return t.info.token_id == id; });
    if (it == tokens.end()) return Status::NotFound("no token '" + id + "' is stored");
    if (it->info.kind != TokenKind::kToken) {
      return Status::Invalid("NOT_A_TOKEN", "'" + id + "' is a " + TokenKindName(it->info.kind) + "; revoke it instead");
    }
    const TokenInfo old = it->info;
    const std::int64_t lifetime = old.expires_at_ms == 0 ? 0 : old.expires_at_ms - old.created_at_ms;
    std::erase_if(tokens, [&](const StoredToken& t) { return t.info.token_id == id || t.info.parent_id == id; });
    token = AddToken(tokens, TokenKind::kToken, old.role, old.party_id, lifetime == 0 ? 0 : NowMillis() + lifetime, "");
    return Status::Ok();
  });
  if (!modified.ok()) return modified;
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
    if (it == tokens.end()) return Status::NotFound("no token, session or pairing code '" + id + "' is stored");
    if (it->info.kind == TokenKind::kPairing) {
      it->info.state = "revoked";
    } else {
      tokens.erase(it);
    }
    std::erase_if(tokens, [&](const StoredToken& t) { return t.info.parent_id == id; });
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
    : data_dir_(data_dir), path_(data_dir.empty() ? std::string() : TokenFilePath(data_dir)) {
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
  const Status unknown = Unauthenticated("UNAUTHENTICATED", "the access token is unknown or revoked; ask the operator for a new one");
  if (path_.empty()) return unknown;
  const std::string id = TokenIdOf(token);
  if (id.empty()) {
    return Unauthenticated("UNAUTHENTICATED", "the access token is malformed: expected 'Authorization: Bearer ft_…'");
  }
  ReloadIfChanged();
  const std::string digest = Digest(token);
  std::shared_lock lock(mu_);
  for (const auto& t : tokens_) {
    if (t.info.token_id != id || t.info.kind == TokenKind::kPairing || !ConstantTimeEquals(t.sha256_hex, digest)) continue;
    if (t.info.expires_at_ms > 0 && t.info.expires_at_ms <= NowMillis()) {
      return Unauthenticated("TOKEN_EXPIRED", "the token or session expired on " + FormatInstant(t.info.expires_at_ms) +
                                                  "; sign in again or ask for a new token");
    }
    return t.info;
  }
  return unknown;
}

Result<StartedSession> TokenStore::StartSession(std::string_view code_or_token) {
  if (data_dir_.empty()) return Unauthenticated("UNAUTHENTICATED", "this server keeps no tokens");
  std::optional<TokenInfo> pasted;
  std::string code;
  if (!TokenIdOf(code_or_token).empty()) {
    auto info = Authenticate(code_or_token);
    if (!info.ok()) return info.status();
    if (info->kind != TokenKind::kToken) return Unauthenticated("UNAUTHENTICATED", "sign in with a token or a pairing code");
    pasted = *info;
  } else {
    code = NormalPairingCode(code_or_token);
    if (code.empty()) {
      return Status::Invalid("PAIRING_CODE_FORMAT", "a sign-in code is 8 letters and digits, e.g. K7QM-2XPD")
          .WithField("code");
    }
  }
  StartedSession out;
  Status st = ModifyTokens(data_dir_, [&](std::vector<StoredToken>& tokens) -> Status {
    FT_RETURN_IF_ERROR(CheckRoom(tokens));
    const std::int64_t now = NowMillis();
    if (pasted) {
      const std::int64_t until = now + kSessionLifetimeDefaultDays * kDayMs;
      const std::int64_t expires = pasted->expires_at_ms > 0 ? std::min(pasted->expires_at_ms, until) : until;
      out.token = AddToken(tokens, TokenKind::kSession, pasted->role, pasted->party_id, expires, pasted->token_id);
    } else {
      const std::string digest = Digest(code);
      auto it = std::find_if(tokens.begin(), tokens.end(), [&](const StoredToken& t) {
        return t.info.kind == TokenKind::kPairing && ConstantTimeEquals(t.sha256_hex, digest);
      });
      if (it == tokens.end()) {
        return Unauthenticated("PAIRING_CODE_UNKNOWN", "no such sign-in code: check it, or ask for a new one").WithField("code");
      }
      if (it->info.state == "used") return Unauthenticated("PAIRING_CODE_USED", "this sign-in code was already used").WithField("code");
      if (it->info.state == "revoked") return Unauthenticated("PAIRING_CODE_REVOKED", "this sign-in code was revoked").WithField("code");
      if (it->info.expires_at_ms <= now) return Unauthenticated("PAIRING_CODE_EXPIRED", "this sign-in code has expired").WithField("code");
      it->info.state = "used";
      const StoredToken pairing = *it;
      out.token = AddToken(tokens, TokenKind::kSession, pairing.info.role, pairing.info.party_id,
                           now + (pairing.session_ms > 0 ? pairing.session_ms : kSessionLifetimeDefaultDays * kDayMs),
                           pairing.info.token_id);
    }
    out.info = tokens.back().info;
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return out;
}

Status TokenStore::EndSession(const std::string& token_id) {
  if (data_dir_.empty()) return Status::NotFound("this server keeps no tokens");
  return ModifyTokens(data_dir_, [&](std::vector<StoredToken>& tokens) -> Status {
    const auto before = tokens.size();
    std::erase_if(tokens, [&](const StoredToken& t) { return t.info.token_id == token_id && t.info.kind == TokenKind::kSession; });
    return tokens.size() < before ? Status::Ok() : Status::NotFound("no session '" + token_id + "'");
  });
}

}  // namespace foodtrace::portal
