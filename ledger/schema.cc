#include "ledger/schema.h"

#include <cstring>
#include <vector>

#include "foodtrace/common/check.h"
#include "foodtrace/common/crypto.h"
#include "foodtrace/common/text.h"

namespace foodtrace::ledger {
namespace {

void PutFixed64(std::string* out, std::uint64_t v) {
  char buf[8];
  for (int i = 7; i >= 0; --i) {
    buf[i] = static_cast<char>(v & 0xFF);
    v >>= 8;
  }
  out->append(buf, 8);
}

std::uint64_t GetFixed64(const char* p) {
  std::uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | static_cast<unsigned char>(p[i]);
  return v;
}

}  // namespace

std::string EncodeHolding(HoldingValue v) {
  std::string out;
  PutFixed64(&out, static_cast<std::uint64_t>(v.on_hand));
  PutFixed64(&out, static_cast<std::uint64_t>(v.unconfirmed));
  return out;
}

bool DecodeHolding(std::string_view bytes, HoldingValue* v) {
  if (bytes.size() != 16) return false;
  v->on_hand = static_cast<std::int64_t>(GetFixed64(bytes.data()));
  v->unconfirmed = static_cast<std::int64_t>(GetFixed64(bytes.data() + 8));
  return true;
}

std::string BigEndian64(std::uint64_t v) {
  std::string out;
  PutFixed64(&out, v);
  return out;
}

std::uint64_t DecodeBigEndian64(std::string_view bytes) {
  FT_CHECK(bytes.size() == 8);
  return GetFixed64(bytes.data());
}

std::string DateKey(Date d) {
  const std::uint32_t v = static_cast<std::uint32_t>(d.days()) ^ 0x80000000u;
  std::string out(4, '\0');
  out[0] = static_cast<char>(v >> 24);
  out[1] = static_cast<char>(v >> 16);
  out[2] = static_cast<char>(v >> 8);
  out[3] = static_cast<char>(v);
  return out;
}

Date DecodeDateKey(std::string_view bytes) {
  FT_CHECK(bytes.size() == 4);
  std::uint32_t v = 0;
  for (char c : bytes) v = (v << 8) | static_cast<unsigned char>(c);
  return Date::FromDays(static_cast<std::int32_t>(v ^ 0x80000000u));
}

std::string Key(std::initializer_list<std::string_view> parts) {
  std::string out;
  bool first = true;
  for (std::string_view p : parts) {
    if (!first) out.push_back('\0');
    out.append(p);
    first = false;
  }
  return out;
}

std::string LogKey(std::uint64_t sequence) { return BigEndian64(sequence); }
std::string EntryDedupKey(std::string_view party, std::string_view event_id) {
  return Key({party, "e", event_id});
}
std::string ScanDedupKey(std::string_view kiosk, std::string_view event_id) {
  return Key({kiosk, "s", event_id});
}
std::string GlobalDedupKey(char kind, std::string_view id) {
  return Key({"*", std::string_view(&kind, 1), id});
}
std::string CorrectedKey(std::string_view party, std::string_view event_id) {
  return Key({party, "c", event_id});
}
std::string LotKey(std::string_view product, std::string_view lot) { return Key({product, lot}); }
std::string HoldingKey(std::string_view party, std::string_view product, std::string_view lot) {
  return Key({party, product, lot});
}
std::string ExpiryKey(std::string_view market, Date expires_on, std::string_view party,
                      std::string_view product, std::string_view lot) {
  return Key({market, ""}) + DateKey(expires_on) + Key({party, product, lot});
}

bool ParseExpiryKey(std::string_view key, ExpiryKeyParts* parts) {
  const std::size_t nul = key.find('\0');
  if (nul == std::string_view::npos || key.size() < nul + 5) return false;
  parts->market = key.substr(0, nul);
  parts->date_key = key.substr(nul + 1, 4);
  const auto rest = SplitKey(key.substr(nul + 5), 3);
  if (rest.size() != 3) return false;
  parts->party = rest[0];
  parts->product = rest[1];
  parts->lot = rest[2];
  return true;
}
std::string PartyExpiryKey(std::string_view party, Date expires_on, std::string_view product,
                           std::string_view lot) {
  return Key({party, ""}) + DateKey(expires_on) + Key({product, lot});
}
std::string PartyLedgerKey(std::string_view party, Date on, std::uint64_t sequence) {
  return Key({party, ""}) + DateKey(on) + BigEndian64(sequence);
}
std::string PartyKey(std::string_view party_id) { return Key({"p", party_id}); }
std::string PartyByKeyKey(std::string_view curve_public_key) {
  return Key({"k", curve_public_key});
}
std::string PartyByGlnKey(std::string_view gln) { return Key({"g", gln}); }
std::string EpcisEventKey(std::string_view epcis_event_id) {
  return GlobalDedupKey('E', HexEncode(Sha256(epcis_event_id)));
}
std::string MarketMemberKey(std::string_view market_id, std::string_view party_id) {
  return Key({"m", market_id, party_id});
}

std::vector<std::string_view> SplitKey(std::string_view key, std::size_t max_parts) {
  std::vector<std::string_view> parts;
  while (parts.size() + 1 < max_parts) {
    const size_t pos = key.find('\0');
    if (pos == std::string_view::npos) break;
    parts.push_back(key.substr(0, pos));
    key.remove_prefix(pos + 1);
  }
  parts.push_back(key);
  return parts;
}

}  // namespace foodtrace::ledger
