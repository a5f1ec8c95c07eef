// Batched holding reads shared by the trace, expiry and stock reads and the alert engine's
// reads. Private to the ledger.
#pragma once

#include <string_view>
#include <vector>

#include "foodtrace/ledger/ledger.h"

namespace rocksdb {
class Snapshot;
}  // namespace rocksdb

namespace foodtrace::ledger {

// Fills on_hand and unconfirmed of each holder (party_id, product, lot set) from the holdings
// family in one RocksDB MultiGet at `snapshot` (nullptr = latest). Absent holdings read as
// zero. Errors: IO, CORRUPTION (a holding value of the wrong size).
Status ReadHoldingCounts(const Ledger::Impl& impl, const rocksdb::Snapshot* snapshot,
                         std::vector<TraceHolder>* holders);

// A holding named by an index key.
struct HoldingRef {
  std::string party, product, lot;
  Date expires_on;  // from the index key (expiry indexes), else unset
};
// The holdings of `refs`, in the same order, with the lot joined in (unit, expiry, name,
// stopped): one MultiGet of the holdings and one of the distinct lots. A holding never written
// reads as zero. Errors: IO, CORRUPTION.
Result<std::vector<Holding>> ReadHoldings(const Ledger::Impl& impl, const rocksdb::Snapshot* snapshot,
                                          const std::vector<HoldingRef>& refs);

}  // namespace foodtrace::ledger
