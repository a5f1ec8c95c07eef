// Private to the portal: the token file and the in-memory view the server authenticates with.
//
// DATA/keys/tokens.json (mode 0600), rewritten whole through a temporary file and rename(2)
// under an flock on DATA/keys/tokens.lock, so concurrent `foodtrace token` commands and the
// server (which writes it when a device signs in) never see half a file:
//   {"version": 2,
//    "tokens": [{"token_id": "3f9a1c2e", "role": "regulator", "party_id": "REG1",
//                "sha256": "<64 hex: SHA-256 of the whole token text>", "created_at_ms": 1795…,
//                "expires_at_ms": 1803…, "kind": "token|session|pairing", "parent_id": "",
//                "state": "open|used|revoked (pairing codes)", "session_ms": 2592000000}]}
// A token's (and a session's) text is "ft_" + token_id + "_" + 64 hex characters of secret (32
// random bytes). A pairing code is 8 characters of kPairingAlphabet, hashed without its dash.
// Version 1 files (no expiry, kind, parent or state) read as tokens that never expire.
// Expired entries are dropped whenever the file is rewritten (pairing codes a week after).
#pragma once

#include <shared_mutex>
#include <string>
#include <sys/stat.h>
#include <vector>

#include "foodtrace/portal/portal.h"

namespace foodtrace::portal {

struct StoredToken {
  TokenInfo info;
  std::string sha256_hex;
  std::int64_t session_ms = 0;  // a pairing code: the lifetime of the session it makes
};

// Reads the token file. A missing file is an empty list. Errors: IO, CORRUPTION.
Result<std::vector<StoredToken>> ReadTokenFile(const std::string& path);
// The file's path under a data directory.
std::string TokenFilePath(const std::string& data_dir);

// A browser session just made by StartSession: its text goes into the HttpOnly cookie only.
struct StartedSession {
  std::string token;
  TokenInfo info;
};

// Thread-safe. Re-reads the file when its modification time, size or inode changes (checked on
// every Authenticate, one stat(2)).
class TokenStore {
 public:
  explicit TokenStore(std::string data_dir);
  // The identity of a token or session text. Errors: UNAUTHENTICATED (malformed, unknown or
  // revoked, or no data directory configured) with reason UNAUTHENTICATED, or TOKEN_EXPIRED.
  Result<TokenInfo> Authenticate(std::string_view token);
  // Signs a device in: redeems a pairing code (once) or checks a pasted token, and stores a new
  // session for the same role and party. Errors: INVALID_ARGUMENT PAIRING_CODE_FORMAT,
  // UNAUTHENTICATED PAIRING_CODE_UNKNOWN / PAIRING_CODE_EXPIRED / PAIRING_CODE_USED /
  // PAIRING_CODE_REVOKED, Authenticate's errors for a token, IO.
  Result<StartedSession> StartSession(std::string_view code_or_token);
  // Removes session `token_id` (signing out). Errors: NOT_FOUND, IO.
  Status EndSession(const std::string& token_id);

 private:
  void ReloadIfChanged();

  std::string data_dir_;
  std::string path_;
  std::shared_mutex mu_;
  std::vector<StoredToken> tokens_;
  struct timespec mtime_ {};
  off_t size_ = -1;
  ino_t inode_ = 0;
};

}  // namespace foodtrace::portal
