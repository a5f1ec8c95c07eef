// Applier: the ledger's state machine. Private to the ledger.
//
// For each validated item the writer calls Check() (stateful rules: duplicates, unknown
// parties, permissions, lot consistency, units), then builds the sequenced Event and calls
// Apply(), which writes every index the event touches through a Txn. Apply() never fails:
// everything that could make it fail is rejected by Check(). `verify` replays the log through
// the same Apply() into a MemoryTxn and compares the result with what is stored.
// Not thread-safe: owned by the writer thread (or by verify).
#pragma once

#include <cstdint>
#include <map>
#include <unordered_map>
#include <string>
#include <vector>

#include "foodtrace/common/quantity.h"
#include "foodtrace/ledger/ledger.h"
#include "ledger/txn.h"

namespace foodtrace::ledger {

inline constexpr std::string_view kOperatorId = "operator";


// Parties by id, kept by the writer across batches (parties change only through the applier,
// which updates the cache). Bounded: cleared when it reaches kPartyCacheEntriesMax.
using PartyCache = std::unordered_map<std::string, v1::Party>;
inline constexpr std::size_t kPartyCacheEntriesMax = 200'000;

class Applier {
 public:
  // `party_cache` may be null (verify's replay). Neither pointer is owned.
  explicit Applier(Txn* txn, PartyCache* party_cache = nullptr)
      : txn_(txn), party_cache_(party_cache) {}

  // Stateful checks of `item` sent by `recorded_by`. Returns ok, or the rejection. When the
  // item repeats a stored id, returns ok and sets *duplicate_of to the original's sequence.
  // May normalise the item (fills entry.party_id with the owner, scan.kiosk_id).
  Status Check(v1::Item* item, const std::string& recorded_by, std::uint64_t* duplicate_of);

  // Applies `event` (already sequenced) to every index. `live` computes derived values that
  // are stored in the event (a stocktake's delta) before the caller hashes it; replay uses
  // the stored ones. Records the holdings the event changed in `changes`.
  void Apply(v1::Event* event, bool live, std::vector<HoldingChange>* changes);

  // The party record, or nullopt. The built-in operator is returned for "operator".
  std::optional<v1::Party> LoadParty(std::string_view party_id);
  // The market a party's holdings are indexed under in `expiry`: a market's own id, a party's
  // market_id, "" for none (or an unknown party).
  std::string MarketKeyOf(std::string_view party_id);

 private:
  struct Touched {
    std::string party, product, lot;
    HoldingValue before;
  };
  Status CheckEntry(v1::LedgerEntry* entry, const v1::Party& recorder, std::uint64_t* dup);
  Status CheckEntryBody(v1::LedgerEntry* entry, const v1::Party& owner, int depth);
  Status CheckLot(const v1::LotRef& ref, std::string_view unit);
  // The owner named by entry->location_gln (fills party_id when empty). Errors: UNKNOWN_GLN,
  // GLN_NOT_OF_PARTY.
  Status CheckLocation(v1::LedgerEntry* entry);
  // Resolves counterparty->gln to a registered party (fills party_id), or keeps it for an
  // outside business that gave name, address and contact. Errors: UNKNOWN_PARTY, UNKNOWN_GLN,
  // GLN_NOT_OF_PARTY.
  Status CheckCounterparty(v1::Counterparty* counterparty);
  // Sets *quantity and *unit from a pack declared on the product, and converts pieces to and
  // from mass or volume by the product's piece content when the stored lot counts in the other
  // (common/quantity.h). Errors: PACK_UNKNOWN, QUANTITY_NOT_EXACT, QUANTITY_TOO_LARGE.
  Status ResolveQuantity(const v1::LotRef& ref, const std::string& pack, std::int64_t pack_count,
                         std::int64_t* quantity, std::string* unit);
  Status CheckLine(v1::TransformLine* line);
  Status CheckParty(const v1::Party& party, const v1::Party& recorder, std::uint64_t* dup);
  Status CheckRecorderKind(const v1::Party& recorder, std::initializer_list<v1::Party::Kind> kinds,
                           std::string_view what);

  void ApplyEntry(const v1::Event& event, const v1::LedgerEntry& entry, int sign,
                  std::int64_t stocktake_delta, int depth);
  void ApplyReceive(const v1::Event& event, const v1::LedgerEntry& entry, int sign);
  void ApplyShip(const v1::Event& event, const v1::LedgerEntry& entry, int sign);
  void ApplyTransform(const v1::Event& event, const v1::LedgerEntry& entry, int sign);
  void ApplyCorrect(v1::Event* event, bool live, int sign, int depth);
  void ApplyParty(const v1::Event& event);
  void ApplyRecall(const v1::Event& event);
  void ApplyTestResult(const v1::Event& event);
  void ApplyOtherRecord(const v1::Event& event);
  void MoveExpiryToMarket(const std::string& party, const std::string& from, const std::string& to);

  // Creates or completes the lot record; returns its product key.
  std::string EnsureLot(const v1::LotRef& ref, const v1::Event& event, std::string_view unit,
                        std::string_view transformed_from);
  void AddToHolding(std::string_view party, std::string_view product, std::string_view lot,
                    HoldingValue delta);
  void AddToFlow(std::string_view product, std::string_view lot, std::string_view from,
                 std::string_view to, std::int64_t shipped, std::int64_t received,
                 const v1::Event& event, std::string_view unit);
  void StopLot(std::string_view product, std::string_view lot, std::string_view reason);
  std::int64_t ToBase(std::int64_t quantity, std::string_view unit) const;
  std::optional<v1::Event> LoadEventById(std::string_view party, std::string_view event_id);
  void FinishTouched(std::vector<HoldingChange>* changes);

  Txn* txn_;
  PartyCache* party_cache_;
  std::map<std::string, Touched> touched_;  // holding key → state before this event
};

// The party id a flow records for a counterparty: its id, or "ext:" + name.
std::string FlowPartyOf(const v1::Counterparty& counterparty);

// The market of `party` for the expiry index (see Applier::MarketKeyOf).
std::string MarketKeyOfParty(const v1::Party& party);

// The date an entry event is indexed under in party_ledger (its occurred_on).
Date LedgerDateOf(const v1::Event& event);

// The compact line of a ledger entry event (the party_ledger value; sequence left 0, as the key
// holds it). Requires event.has_entry().
v1::LedgerLine LedgerLineOf(const v1::Event& event);

}  // namespace foodtrace::ledger
