// Hashing, MACs and random tokens (libsodium). Thread-safe after InitCrypto().
#pragma once

#include <string>
#include <string_view>

namespace foodtrace {

inline constexpr std::size_t kSha256Bytes = 32;

// Initialises libsodium once; safe to call from any thread, any number of times. Aborts
// (FT_CHECK) if the library cannot initialise, since nothing secure can run without it.
void InitCrypto();

// SHA-256 of `data` as 32 raw bytes.
std::string Sha256(std::string_view data);
// SHA-256 of a || b as 32 raw bytes (the ledger's hash chain step).
std::string Sha256Concat(std::string_view a, std::string_view b);
// HMAC-SHA256 of `message` under `key` as lower-case hex (webhook signatures).
std::string HmacSha256Hex(std::string_view key, std::string_view message);
// Compares two byte strings in time independent of where they differ.
bool ConstantTimeEquals(std::string_view a, std::string_view b);
// `bytes` random bytes from the operating system's CSPRNG, as lower-case hex.
std::string RandomHex(std::size_t bytes);

}  // namespace foodtrace
