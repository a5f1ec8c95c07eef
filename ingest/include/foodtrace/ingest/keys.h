// CURVE keys and key files.
//
// Every connection to the gateway is encrypted and authenticated with CurveZMQ. A key is 32
// bytes, written everywhere as 40 characters of Z85. A party signs in with its own keypair and
// must know the server's public key; the gateway admits a public key only when the ledger has a
// party registered with it (or it is the operator's key).
//
// A key file is a small JSON object, readable by its owner only (mode 0600):
//   { "party_id": "v-001", "public_key": "<Z85>", "secret_key": "<Z85>",
//     "server_public_key": "<Z85>", "server_endpoint": "tcp://127.0.0.1:7400" }
// The server's own key file uses the same shape with party_id "server" and its own public key
// as server_public_key.
//
// Data directory layout (created by LoadOrCreateServerKeys):
//   DIR/keys/server.key     the server keypair
//   DIR/keys/operator.key   party "operator": the operator keypair and the server public key
//
// All functions are thread-safe (they share no state).
#pragma once

#include <string>
#include <string_view>

#include "foodtrace/common/status.h"

namespace foodtrace::ingest {

inline constexpr std::size_t kCurveKeyZ85Chars = 40;
inline constexpr char kOperatorPartyId[] = "operator";
inline constexpr char kServerPartyId[] = "server";
inline constexpr char kDefaultEndpoint[] = "tcp://127.0.0.1:7400";

struct CurveKeyPair {
  std::string public_key;  // Z85
  std::string secret_key;  // Z85
};

struct KeyFile {
  std::string party_id;
  std::string public_key;         // Z85
  std::string secret_key;         // Z85
  std::string server_public_key;  // Z85
  std::string server_endpoint;    // e.g. tcp://127.0.0.1:7400; may be empty
};

struct ServerKeys {
  KeyFile server;        // party_id "server"
  KeyFile operator_key;  // party_id "operator"
};

// A fresh keypair from the operating system's CSPRNG. Errors: INTERNAL when libzmq was built
// without CURVE support.
Result<CurveKeyPair> GenerateCurveKeyPair();

// The public key belonging to a Z85 secret key. Errors: CURVE_KEY_FORMAT.
Result<std::string> CurvePublicKey(std::string_view secret_key_z85);

// True if `key` is 40 characters of the Z85 alphabet (the form of a 32-byte CURVE key).
bool IsCurveKeyZ85(std::string_view key);

// Reads and checks a key file: present, a regular file not readable or writable by group or
// others, at most kKeyFileBytesMax bytes, JSON with the five fields, keys in Z85, and the
// public key derived from the secret key.
// Errors: NOT_FOUND "key file X does not exist…", KEY_FILE_PERMISSIONS, KEY_FILE_FORMAT
// ("key file X is not a foodtrace key file: …"), IO.
Result<KeyFile> ReadKeyFile(const std::string& path);

// Writes `key` to `path` atomically with mode 0600: a temporary file beside it, fsync, rename,
// fsync of the directory. Creates no directories. Errors: KEY_FILE_FORMAT (a key is not Z85),
// IO (with the path and the system's reason).
Status WriteKeyFile(const std::string& path, const KeyFile& key);

// On first start creates DIR/keys (mode 0700), the server keypair and the operator key file;
// afterwards reads and checks them (idempotent). `endpoint` is written into a new operator key
// file as server_endpoint. Errors: those of ReadKeyFile/WriteKeyFile, KEY_FILE_MISMATCH when
// operator.key names a different server key than server.key holds.
Result<ServerKeys> LoadOrCreateServerKeys(const std::string& data_dir,
                                          std::string_view endpoint = kDefaultEndpoint);

// A new client key file for `party_id`: a fresh keypair plus the server's public key and
// endpoint (what `foodtrace party add --key-out` writes).
Result<KeyFile> NewPartyKey(std::string_view party_id, std::string_view server_public_key,
                            std::string_view server_endpoint);

}  // namespace foodtrace::ingest
