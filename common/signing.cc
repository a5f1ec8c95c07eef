// Ed25519 through libsodium (signing.h).
#include "foodtrace/common/signing.h"

#include <sodium.h>

#include "foodtrace/common/crypto.h"

namespace foodtrace {
namespace {

const unsigned char* Bytes(std::string_view s) { return reinterpret_cast<const unsigned char*>(s.data()); }

static_assert(crypto_sign_PUBLICKEYBYTES == kSigningPublicKeyBytes);
static_assert(crypto_sign_SECRETKEYBYTES == kSigningSecretKeyBytes);
static_assert(crypto_sign_BYTES == kSignatureBytes);

}  // namespace

SigningKeyPair GenerateSigningKeyPair() {
  InitCrypto();
  SigningKeyPair pair{std::string(kSigningPublicKeyBytes, '\0'), std::string(kSigningSecretKeyBytes, '\0')};
  crypto_sign_keypair(reinterpret_cast<unsigned char*>(pair.public_key.data()),
                      reinterpret_cast<unsigned char*>(pair.secret_key.data()));
  return pair;
}

Result<SigningKeyPair> SigningKeyFromSecret(std::string_view secret_key) {
  InitCrypto();
  if (secret_key.size() != kSigningSecretKeyBytes) {
    return Status::Invalid("SIGNING_KEY_FORMAT", "an Ed25519 secret key is " + std::to_string(kSigningSecretKeyBytes) +
                                                     " bytes, not " + std::to_string(secret_key.size()));
  }
  // The secret key is seed || public key: derive the pair from the seed and compare.
  SigningKeyPair pair{std::string(kSigningPublicKeyBytes, '\0'), std::string(kSigningSecretKeyBytes, '\0')};
  crypto_sign_seed_keypair(reinterpret_cast<unsigned char*>(pair.public_key.data()),
                           reinterpret_cast<unsigned char*>(pair.secret_key.data()), Bytes(secret_key));
  if (!ConstantTimeEquals(pair.secret_key, secret_key)) {
    return Status::Invalid("SIGNING_KEY_FORMAT", "the Ed25519 secret key's public half does not match its seed");
  }
  return pair;
}

std::string Sign(std::string_view secret_key, std::string_view message) {
  FT_CHECK(secret_key.size() == kSigningSecretKeyBytes);
  std::string signature(kSignatureBytes, '\0');
  crypto_sign_detached(reinterpret_cast<unsigned char*>(signature.data()), nullptr, Bytes(message), message.size(),
                       Bytes(secret_key));
  return signature;
}

bool VerifySignature(std::string_view public_key, std::string_view message, std::string_view signature) {
  InitCrypto();
  if (public_key.size() != kSigningPublicKeyBytes || signature.size() != kSignatureBytes) return false;
  return crypto_sign_verify_detached(Bytes(signature), Bytes(message), message.size(), Bytes(public_key)) == 0;
}

}  // namespace foodtrace
