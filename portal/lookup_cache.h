// Private to the portal: what the public lookup keeps in memory between requests — every
// recall indexed by the lots it covers, and a bounded cache of finished answers — kept current
// by reading the ledger's log from the last sequence it has seen.
//
// An answer is stored with the sequence S the cache had caught up to before the answer's
// ledger reads began (those reads therefore saw every record up to S). Catching up marks each
// lot a new record touches as changed at the new sequence; an answer is served only while
// S ≥ its lot's mark and S ≥ the sequence of the last "forget everything". Records that may
// change any answer (parties, products, recalls, corrections) forget everything; "today" is
// part of every key, so a new day never meets yesterday's verdicts.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "foodtrace/ledger/ledger.h"

namespace foodtrace::portal {

namespace v1 = ::foodtrace::v1;

// "product|lot": how recalls name the lots they cover, and the cache's unit of change.
std::string LotKeyOf(std::string_view product, std::string_view lot);

// Every recall (as Ledger::ListRecalls lists them), indexed for one lot's lookup.
struct RecallIndex {
  std::vector<v1::Recall> recalls;                                       // recall id order
  std::unordered_map<std::string, std::vector<std::size_t>> by_lot;      // LotKeyOf → recalls
  std::unordered_map<std::string, std::vector<std::size_t>> by_product;  // product key → recalls
};

// Thread-safe. Reads the ledger (which must outlive it); never writes it.
class LookupCache {
 public:
  // What one lookup may use: the recalls as of `sequence`.
  struct View {
    std::uint64_t sequence = 0;  // every log record up to this one is reflected
    std::shared_ptr<const RecallIndex> recalls;
  };

  // Loads the recalls (one scan of the recalls column family).
  explicit LookupCache(const ledger::Ledger* ledger);

  // Catches up with the ledger's log: reads each record appended since the last call once (one
  // thread at a time; the others wait), or forgets every answer when more than
  // kLookupCacheCatchUpRecordsMax are new. Reloads the recalls after any record that may change
  // any answer (a recall is one). Never fails: a log record that cannot be read forgets every
  // answer instead.
  View Sync();
  // The answer stored under `key`, if its lot has not changed since it was computed. Requires a
  // Sync() made by this request before the call.
  std::optional<std::string> Find(const std::string& key);
  // Stores `body` (computed by reads made after a Sync() returned `sequence`) for the lot
  // `lot_key` (LotKeyOf; "" for an answer that any lot's change may alter). Answers longer than
  // kLookupCacheAnswerBytesMax are not stored; when full, the older half of the cache is dropped.
  void Insert(const std::string& key, const std::string& lot_key, std::uint64_t sequence,
              std::string body);

 private:
  struct Entry {
    std::string lot_key;
    std::uint64_t sequence = 0;
    std::string body;
  };
  using Map = std::unordered_map<std::string, Entry>;
  bool ValidLocked(const Entry& entry) const;
  void ForgetLocked(std::uint64_t sequence, Map* dropped_current, Map* dropped_previous);

  const ledger::Ledger* ledger_;
  std::mutex sync_mu_;  // held while reading the log; ordered before mu_
  std::mutex mu_;       // guards everything below
  std::uint64_t caught_up_ = 0;
  std::uint64_t forgotten_at_ = 0;  // answers computed before this sequence are invalid
  std::unordered_map<std::string, std::uint64_t> lot_changed_;  // lot key → sequence of change
  std::shared_ptr<const RecallIndex> recalls_;
  Map current_, previous_;  // two generations: a bounded approximation of LRU
  std::size_t current_bytes_ = 0;
};

}  // namespace foodtrace::portal
