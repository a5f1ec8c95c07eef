// The ledger's on-disk layout: column families and key encodings. Private to the ledger.
//
// Separators are a single 0x00 byte; every string in a key is validated text (no control
// characters), so 0x00 never occurs inside one. Integers are big-endian fixed width so that
// byte order is numeric order. A "product" is a GTIN-14 or "C:" + product code.
//
//   CF            key                                              value
//   log           seq:u64be                                        LogRecord (hash-chained)
//   dedup         party 0 'e' 0 event_id                           seq:u64be  (ledger entries)
//                 kiosk 0 's' 0 event_id                           seq:u64be  (scans)
//                 '*' 0 'r'|'t'|'w' 0 id                           seq:u64be  (recall/test/webhook)
//                 '*' 0 'E' 0 hex(SHA-256(epcis_event_id))          seq:u64be  (captured EPCIS events)
//                 party 0 'c' 0 event_id                           seq:u64be  (corrected by)
//   lots          product 0 lot                                    Lot
//   lot_parties   product 0 lot 0 party                            ""  (ever held or was shipped it)
//   flows         product 0 lot 0 from 0 to                        FlowRecord
//   holdings      party 0 product 0 lot                            HoldingValue (merge: add)
//   expiry        market 0 (days+2^31):u32be party 0 product 0 lot  ""  (only while held; market:
//                                                                  the party's market, a market's own
//                                                                  id, "" for none)
//   transforms    'F' 0 in_product 0 in_lot 0 out_product 0 out_lot  TransformRecord
//                 'R' 0 out_product 0 out_lot 0 in_product 0 in_lot  TransformRecord
//   party_ledger  party 0 (days+2^31):u32be seq:u64be              LedgerLine without its sequence
//                                                                  (the compact line; "" before schema 2)
//   recalls       recall_id                                        Recall
//   tests         test_id                                          TestResult
//                 'L' 0 product 0 lot 0 test_id                    ""
//   parties       'p' 0 party_id                                   Party
//                 'k' 0 curve_public_key                           party_id
//                 'm' 0 market_id 0 party_id                       ""
//                 'g' 0 gln                                        party_id   (Party.glns)
//   products      product                                          Product
//   webhooks      webhook_id                                       Webhook
//   alerts        'a' 0 alert_id                                   Alert      (alert_store.h: written
//                 'd' 0 dedup_key                                  alert_id    by the alert engine's
//                 'p' 0 party 0 alert_seq:u64be                    ""          thread, not the ledger
//                 'r' 0 recall_id 0 alert_seq:u64be                ""          writer; not derived
//                 'v' 0 product 0 lot 0 recall_id                  ""          from the log, so
//                                                                              Verify ignores it)
//                 'w' 0 rule 0 due_at_ms:u64be 0 watch_id          AlertWatch (clock-rule watches)
//                 'm' 0 "processed"                                seq:u64be  (engine watermark)
//   party_expiry  party 0 (days+2^31):u32be product 0 lot           ""  (the same, by party)
//   merkle        level:u8 index:u64be                             32-byte subtree hash (levels ≥ 8;
//                 0xff "signed"                                    seq:u64be   ledger/merkle_store.h)
//   outbox        'q' 0 webhook_id 0 alert_seq:u64be               OutboxEntry (pending delivery)
//                 'g' 0 webhook_id 0 alert_seq:u64be               OutboxEntry (given up)
//                 's' 0 webhook_id                                 WebhookDelivery
//
//   default       "schema"                                         version:u32be (kSchemaVersion)
//
// Schema versions: 1 (no "schema" key) kept the expiry index by date first and party_ledger
// values empty; Ledger::Open upgrades such a directory to 2 (ledger/migrate.cc) before serving.
//
// alert_id is "al-" + the alert sequence in 12 digits, so the 'a' keys sort by sequence and are
// the sequence index. Data directories written before 2026-12 also hold 's' 0 alert_seq:u64be →
// alert_id, which is no longer written or read.
//
// `from` in flows is a party id, "ext:" + name for an unregistered supplier or buyer,
// "consumers" for retail sales, or "xf:" + party for a lot made by TRANSFORM at that party.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "foodtrace/common/date.h"

namespace foodtrace::ledger {

enum class Cf : int {
  kDefault = 0,
  kLog,
  kDedup,
  kLots,
  kLotParties,
  kFlows,
  kHoldings,
  kExpiry,
  kTransforms,
  kPartyLedger,
  kRecalls,
  kTests,
  kParties,
  kProducts,
  kWebhooks,
  kAlerts,
  kOutbox,
  kPartyExpiry,  // added after the first release: appended so older data directories open
  kMerkle,       // the Merkle tree over the log (ledger/merkle_store.h); appended likewise
  kCount,
};

inline constexpr const char* kCfNames[] = {
    "default", "log",          "dedup",   "lots",    "lot_parties", "flows",
    "holdings", "expiry",      "transforms", "party_ledger", "recalls", "tests",
    "parties",  "products",    "webhooks",   "alerts",  "outbox",
    "party_expiry", "merkle"};
static_assert(sizeof(kCfNames) / sizeof(kCfNames[0]) == static_cast<int>(Cf::kCount));

// The layout version this code writes (the default CF's "schema" key).
inline constexpr std::uint32_t kSchemaVersion = 2;
inline constexpr std::string_view kSchemaKey = "schema";

// Holdings CF value: two int64 counters, added component-wise by the merge operator.
struct HoldingValue {
  std::int64_t on_hand = 0;
  std::int64_t unconfirmed = 0;  // shipped to this party by registered senders, not yet received
  bool held() const { return on_hand > 0 || unconfirmed > 0; }
  friend bool operator==(const HoldingValue&, const HoldingValue&) = default;
};
std::string EncodeHolding(HoldingValue v);
// False if `bytes` is not 16 bytes.
bool DecodeHolding(std::string_view bytes, HoldingValue* v);

std::string BigEndian64(std::uint64_t v);
std::uint64_t DecodeBigEndian64(std::string_view bytes);  // requires 8 bytes
std::string DateKey(Date d);                              // 4 bytes, order-preserving
Date DecodeDateKey(std::string_view bytes);               // requires 4 bytes

// Joins parts with 0x00 separators.
std::string Key(std::initializer_list<std::string_view> parts);

std::string LogKey(std::uint64_t sequence);
std::string EntryDedupKey(std::string_view party, std::string_view event_id);
std::string ScanDedupKey(std::string_view kiosk, std::string_view event_id);
std::string GlobalDedupKey(char kind, std::string_view id);
std::string CorrectedKey(std::string_view party, std::string_view event_id);
std::string LotKey(std::string_view product, std::string_view lot);
std::string HoldingKey(std::string_view party, std::string_view product, std::string_view lot);
std::string ExpiryKey(std::string_view market, Date expires_on, std::string_view party,
                      std::string_view product, std::string_view lot);
// The parts of an expiry key; false if `key` is not one.
struct ExpiryKeyParts {
  std::string_view market, date_key, party, product, lot;
};
bool ParseExpiryKey(std::string_view key, ExpiryKeyParts* parts);
std::string PartyExpiryKey(std::string_view party, Date expires_on, std::string_view product,
                           std::string_view lot);
std::string PartyLedgerKey(std::string_view party, Date on, std::uint64_t sequence);
std::string PartyKey(std::string_view party_id);
std::string PartyByKeyKey(std::string_view curve_public_key);
std::string MarketMemberKey(std::string_view market_id, std::string_view party_id);
std::string PartyByGlnKey(std::string_view gln);
// The dedup key of an entry captured from the EPCIS event `epcis_event_id` (any length: hashed).
std::string EpcisEventKey(std::string_view epcis_event_id);

// Splits a key on 0x00 into at most `max_parts` parts (the last keeps any remaining bytes).
std::vector<std::string_view> SplitKey(std::string_view key, std::size_t max_parts);

}  // namespace foodtrace::ledger
