// Text helpers for untrusted strings: UTF-8 validation, length limits, trimming, hex.
// All functions are pure and thread-safe.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "foodtrace/common/status.h"

namespace foodtrace {

// Removes leading and trailing ASCII white space.
std::string_view TrimAscii(std::string_view s);

// True if `s` is well-formed UTF-8 (no overlongs, no surrogates, ≤ U+10FFFF).
bool IsValidUtf8(std::string_view s);

// Checks a free-text field from outside: valid UTF-8, no control characters,
// at most `bytes_max` bytes. `field` names the field in the error ("product_name").
// Errors: FIELD_TOO_LONG (resource_exhausted), FIELD_ENCODING (invalid_argument).
Status CheckTextField(std::string_view field, std::string_view value, std::size_t bytes_max);

// Lower-case hexadecimal of `bytes`.
std::string HexEncode(std::string_view bytes);
// The bytes of hexadecimal text (either case, even length); nullopt for anything else.
std::optional<std::string> HexDecode(std::string_view hex);

// Escapes `s` for a JSON string body (no surrounding quotes).
std::string JsonEscape(std::string_view s);

}  // namespace foodtrace
