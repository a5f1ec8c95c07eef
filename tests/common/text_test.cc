// Proves untrusted text is checked for encoding and length, and crypto helpers are standard.
#include <catch2/catch.hpp>

#include "foodtrace/common/crypto.h"
#include "foodtrace/common/text.h"

using namespace foodtrace;

TEST_CASE("text fields accept Chinese UTF-8 and reject bad bytes, controls and excess", "[text]") {
  CHECK(CheckTextField("product_name", "有机菠菜 500g", 64).ok());
  CHECK(CheckTextField("product_name", "\xe6\x9c", 64).reason() == "FIELD_ENCODING");
  CHECK(CheckTextField("product_name", "\xc0\xaf", 64).reason() == "FIELD_ENCODING");
  CHECK(CheckTextField("product_name", "a\x01" "b", 64).reason() == "FIELD_ENCODING");
  auto st = CheckTextField("product_name", std::string(65, 'a'), 64);
  CHECK(st.reason() == "FIELD_TOO_LONG");
  CHECK(st.code() == Code::kResourceExhausted);
}

TEST_CASE("SHA-256 and HMAC-SHA256 match their published test vectors", "[crypto]") {
  InitCrypto();
  CHECK(HexEncode(Sha256("abc")) ==
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(HexEncode(Sha256Concat("a", "bc")) == HexEncode(Sha256("abc")));
  // RFC 4231 test case 2.
  CHECK(HmacSha256Hex("Jefe", "what do ya want for nothing?") ==
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  CHECK(ConstantTimeEquals("token", "token"));
  CHECK_FALSE(ConstantTimeEquals("token", "tokeN"));
  CHECK(RandomHex(16).size() == 32);
}
