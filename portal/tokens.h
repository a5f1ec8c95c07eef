// Private to the portal: the token file and the in-memory view the server authenticates with.
//
// DATA/keys/tokens.json (mode 0600), rewritten whole through a temporary file and rename(2)
// under an flock on DATA/keys/tokens.lock, so concurrent `foodtrace token` commands and a
// reading server never see half a file:
//   {"version": 1,
//    "tokens": [{"token_id": "3f9a1c2e", "role": "regulator", "party_id": "REG1",
//                "sha256": "<64 hex: SHA-256 of the whole token text>", "created_at_ms": 1795…}]}
// A token's text is "ft_" + token_id + "_" + 64 hex characters of secret (32 random bytes).
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
};

// Reads the token file. A missing file is an empty list. Errors: IO, CORRUPTION.
Result<std::vector<StoredToken>> ReadTokenFile(const std::string& path);
// The file's path under a data directory.
std::string TokenFilePath(const std::string& data_dir);

// Thread-safe. Re-reads the file when its modification time, size or inode changes (checked on
// every Authenticate, one stat(2)).
class TokenStore {
 public:
  explicit TokenStore(std::string data_dir);
  // The token's identity. Errors: UNAUTHENTICATED (malformed, unknown or revoked token, or no
  // data directory configured).
  Result<TokenInfo> Authenticate(std::string_view token);

 private:
  void ReloadIfChanged();

  std::string path_;
  std::shared_mutex mu_;
  std::vector<StoredToken> tokens_;
  struct timespec mtime_ {};
  off_t size_ = -1;
  ino_t inode_ = 0;
};

}  // namespace foodtrace::portal
