// Ledger reads of goods expiring within a window: for one party (party_expiry), for one market
// (one range of `expiry`, which is keyed by market first) and for the whole region (the
// markets' ranges merged). Each answer reads its index range once, then every holding with one
// MultiGet and every distinct lot with another: cost ∝ the answer, not the ledger.
#include <rocksdb/db.h>

#include <algorithm>
#include <tuple>

#include "ledger/holders.h"
#include "ledger/impl.h"
#include "ledger/limits.h"

namespace foodtrace::ledger {
namespace {

std::string_view View(const rocksdb::Slice& s) { return std::string_view(s.data(), s.size()); }

// Turns one index key into the holding it names; false for a key that does not parse.
using ParseRef = bool (*)(std::string_view key, std::size_t prefix_bytes, HoldingRef* ref);

bool ParseMarketKey(std::string_view key, std::size_t, HoldingRef* ref) {
  ExpiryKeyParts parts;
  if (!ParseExpiryKey(key, &parts)) return false;
  *ref = HoldingRef{std::string(parts.party), std::string(parts.product), std::string(parts.lot),
                    DecodeDateKey(parts.date_key)};
  return true;
}

bool ParsePartyKey(std::string_view key, std::size_t prefix_bytes, HoldingRef* ref) {
  if (key.size() < prefix_bytes + 4) return false;
  const std::string_view rest = key.substr(prefix_bytes);
  const auto parts = SplitKey(rest.substr(4), 2);
  if (parts.size() != 2) return false;
  *ref = HoldingRef{std::string(key.substr(0, prefix_bytes - 1)), std::string(parts[0]),
                    std::string(parts[1]), DecodeDateKey(rest.substr(0, 4))};
  return true;
}

// The holdings with on hand > 0 named by the keys of `cf` under `prefix` whose 4-byte date
// (right after the prefix) is in [from, to], in key order, at most `limit`. Index entries also
// exist for goods held only as unconfirmed (on hand 0), so it reads in rounds until `limit`
// rows are found or the range ends; each round reads its holdings with one MultiGet.
Result<std::vector<Holding>> ReadHeldRange(const Ledger::Impl& impl, const rocksdb::Snapshot* snap, Cf cf,
                                           const std::string& prefix, Date from, Date to,
                                           std::size_t limit, ParseRef parse) {
  std::vector<Holding> out;
  const std::string end = prefix + DateKey(to.AddDays(1));
  std::unique_ptr<rocksdb::Iterator> it(impl.NewIterator(cf, snap));
  it->Seek(prefix + DateKey(from));
  while (out.size() < limit && it->Valid() && View(it->key()) < end) {
    std::vector<HoldingRef> refs;
    for (; it->Valid() && View(it->key()) < end && refs.size() < limit - out.size(); it->Next()) {
      HoldingRef ref;
      if (!parse(View(it->key()), prefix.size(), &ref)) {
        return Status::Corruption(std::string("an index key of ") + kCfNames[static_cast<int>(cf)] +
                                  " does not parse");
      }
      refs.push_back(std::move(ref));
    }
    auto rows = ReadHoldings(impl, snap, refs);
    if (!rows.ok()) return rows.status();
    for (Holding& h : *rows) {
      if (h.quantity() > 0) out.push_back(std::move(h));
    }
  }
  if (!it->status().ok()) return Status::Io("ledger scan failed: " + it->status().ToString());
  return out;
}

// The markets present in the expiry index ("" for parties without one), by skipping from one
// market's keys to the next: one seek per market.
Result<std::vector<std::string>> IndexedMarkets(const Ledger::Impl& impl, const rocksdb::Snapshot* snap) {
  std::vector<std::string> markets;
  std::unique_ptr<rocksdb::Iterator> it(impl.NewIterator(Cf::kExpiry, snap));
  for (it->SeekToFirst(); it->Valid();) {
    const std::string_view key = View(it->key());
    const std::size_t nul = key.find('\0');
    if (nul == std::string_view::npos) return Status::Corruption("expiry index key without a market");
    markets.emplace_back(key.substr(0, nul));
    it->Seek(markets.back() + '\x01');  // past every key of this market ("market" 0 …)
  }
  if (!it->status().ok()) return Status::Io("ledger scan failed: " + it->status().ToString());
  return markets;
}

}  // namespace

Result<std::vector<Holding>> Ledger::ExpiringAt(std::string_view party_id, Date from, Date to,
                                                std::size_t limit) const {
  SnapshotGuard snap(impl_->db());
  return ReadHeldRange(*impl_, snap.get(), Cf::kPartyExpiry, Key({party_id, ""}), from, to,
                       std::min(limit, kQueryRowsMax), ParsePartyKey);
}

Result<std::vector<Holding>> Ledger::ExpiringInMarket(std::string_view market_id, Date from, Date to,
                                                      std::size_t limit) const {
  SnapshotGuard snap(impl_->db());
  return ReadHeldRange(*impl_, snap.get(), Cf::kExpiry, Key({market_id, ""}), from, to,
                       std::min(limit, kQueryRowsMax), ParseMarketKey);
}

Result<std::vector<Holding>> Ledger::Expiring(Date from, Date to, std::size_t limit) const {
  limit = std::min(limit, kQueryRowsMax);
  SnapshotGuard snap(impl_->db());
  auto markets = IndexedMarkets(*impl_, snap.get());
  if (!markets.ok()) return markets.status();
  std::vector<Holding> out;
  for (const std::string& market : *markets) {
    auto rows = ReadHeldRange(*impl_, snap.get(), Cf::kExpiry, Key({market, ""}), from, to, limit,
                              ParseMarketKey);
    if (!rows.ok()) return rows.status();
    for (Holding& h : *rows) out.push_back(std::move(h));
  }
  // The region's order: soonest first, then party, product, lot. Each market gave its first
  // `limit` rows in that order, so the first `limit` of the merge are exact.
  auto order = [](const Holding& h) {
    return std::tie(h.expires_on(), h.party_id(), h.gtin(), h.product_code(), h.lot());
  };
  std::stable_sort(out.begin(), out.end(), [&](const Holding& a, const Holding& b) { return order(a) < order(b); });
  if (out.size() > limit) out.resize(limit);
  return out;
}

std::vector<std::string> Ledger::MarketMembers(std::string_view market_id) const {
  std::vector<std::string> out;
  const std::string prefix = MarketMemberKey(market_id, "");
  std::unique_ptr<rocksdb::Iterator> it(impl_->NewIterator(Cf::kParties, nullptr));
  for (it->Seek(prefix); it->Valid() && View(it->key()).starts_with(prefix); it->Next()) {
    out.emplace_back(View(it->key()).substr(prefix.size()));
  }
  return out;
}

}  // namespace foodtrace::ledger
