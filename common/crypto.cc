#include "foodtrace/common/crypto.h"

#include <sodium.h>

#include "foodtrace/common/check.h"
#include "foodtrace/common/text.h"

namespace foodtrace {

void InitCrypto() {
  static const int rc = sodium_init();  // 0 first time, 1 if already initialised
  FT_CHECK(rc >= 0);
}

std::string Sha256(std::string_view data) {
  std::string out(kSha256Bytes, '\0');
  crypto_hash_sha256(reinterpret_cast<unsigned char*>(out.data()),
                     reinterpret_cast<const unsigned char*>(data.data()), data.size());
  return out;
}

std::string Sha256Concat(std::string_view a, std::string_view b) {
  crypto_hash_sha256_state state;
  crypto_hash_sha256_init(&state);
  crypto_hash_sha256_update(&state, reinterpret_cast<const unsigned char*>(a.data()), a.size());
  crypto_hash_sha256_update(&state, reinterpret_cast<const unsigned char*>(b.data()), b.size());
  std::string out(kSha256Bytes, '\0');
  crypto_hash_sha256_final(&state, reinterpret_cast<unsigned char*>(out.data()));
  return out;
}

std::string HmacSha256Hex(std::string_view key, std::string_view message) {
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(key.data()),
                              key.size());
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(message.data()),
                                message.size());
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_final(&state, mac);
  return HexEncode(std::string_view(reinterpret_cast<const char*>(mac), sizeof mac));
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string RandomHex(std::size_t bytes) {
  InitCrypto();
  std::string raw(bytes, '\0');
  randombytes_buf(raw.data(), raw.size());
  return HexEncode(raw);
}

}  // namespace foodtrace
