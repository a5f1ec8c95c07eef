// Batched holding reads shared by TraceDown and the alert engine's reads. Private to the ledger.
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

}  // namespace foodtrace::ledger
