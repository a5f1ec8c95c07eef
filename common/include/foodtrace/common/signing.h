// Ed25519 signatures (libsodium): the key that signs the ledger's heads. Keys and signatures
// are raw bytes here; files and JSON carry them as lower-case hex. Thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "foodtrace/common/status.h"

namespace foodtrace {

inline constexpr std::size_t kSigningPublicKeyBytes = 32;
inline constexpr std::size_t kSigningSecretKeyBytes = 64;  // libsodium's seed || public key
inline constexpr std::size_t kSignatureBytes = 64;

struct SigningKeyPair {
  std::string public_key;  // 32 bytes
  std::string secret_key;  // 64 bytes
};

// A fresh keypair from the operating system's CSPRNG.
SigningKeyPair GenerateSigningKeyPair();
// Checks a stored secret key and derives its public key. Errors: SIGNING_KEY_FORMAT (wrong
// length, or its public half does not belong to its seed).
Result<SigningKeyPair> SigningKeyFromSecret(std::string_view secret_key);
// The detached signature of `message`. Requires a secret key checked by SigningKeyFromSecret.
std::string Sign(std::string_view secret_key, std::string_view message);
// True iff `signature` is `public_key`'s signature of `message`; false for malformed inputs.
bool VerifySignature(std::string_view public_key, std::string_view message, std::string_view signature);

}  // namespace foodtrace
