// Trace down (who received a lot and what each holds, across transformations) and trace up
// (the supply chain of a lot at a party), answered from the flows, lot_parties and
// transforms indexes by prefix scans — never by scanning the log.
#include <rocksdb/db.h>

#include <cstring>
#include <map>
#include <set>

#include "ledger/apply.h"
#include "ledger/holders.h"
#include "ledger/impl.h"
#include "ledger/limits.h"

namespace foodtrace::ledger {
namespace {

std::string_view View(const rocksdb::Slice& s) { return std::string_view(s.data(), s.size()); }

using LotId = std::pair<std::string, std::string>;  // product, lot

// Calls fn(parts) for each key under prefix (split into `parts` pieces), with its value.
template <class Fn>
Status ScanParts(const Ledger::Impl& impl, Cf cf, const std::string& prefix,
                 const rocksdb::Snapshot* snap, std::size_t parts, Fn fn) {
  std::unique_ptr<rocksdb::Iterator> it(impl.NewIterator(cf, snap));
  for (it->Seek(prefix); it->Valid() && View(it->key()).substr(0, prefix.size()) == prefix; it->Next()) {
    const auto split = SplitKey(View(it->key()), parts);
    if (split.size() == parts && !fn(split, View(it->value()))) break;
  }
  if (!it->status().ok()) return Status::Io("ledger scan failed: " + it->status().ToString());
  return Status::Ok();
}

}  // namespace

namespace {

// Visits the lot and every lot transformed from it, breadth first, to `depth_max` hops:
// visit(lot_id, depth) for each lot once. Stops early when visit returns false (a limit) and
// sets *truncated when lots lie below the depth limit.
template <class Visit>
Status ForEachCoveredLot(const Ledger::Impl& impl, const rocksdb::Snapshot* snap, std::string_view product,
                         std::string_view lot, int depth_max, bool* truncated, Visit visit) {
  std::set<LotId> seen;
  std::vector<LotId> frontier{{std::string(product), std::string(lot)}};
  for (int depth = 0; !frontier.empty(); ++depth) {
    std::vector<LotId> next;
    for (const LotId& lot_id : frontier) {
      if (!seen.insert(lot_id).second) continue;
      Result<bool> more = visit(lot_id, depth);
      if (!more.ok()) return more.status();
      if (!*more) {
        *truncated = true;
        return Status::Ok();
      }
      FT_RETURN_IF_ERROR(ScanParts(impl, Cf::kTransforms, Key({"F", lot_id.first, lot_id.second, ""}), snap, 5,
                                   [&](const auto& k, std::string_view) {
        if (depth >= depth_max) {
          *truncated = true;  // there is more below the depth limit
          return false;
        }
        next.emplace_back(std::string(k[3]), std::string(k[4]));
        return true;
      }));
    }
    frontier = std::move(next);
  }
  return Status::Ok();
}

// The parties listed for one lot (lot_parties), with their counters read in one MultiGet.
Result<std::vector<TraceHolder>> HoldersOfLot(const Ledger::Impl& impl, const rocksdb::Snapshot* snap,
                                              const LotId& lot_id, std::size_t room) {
  std::vector<TraceHolder> holders;
  FT_RETURN_IF_ERROR(ScanParts(impl, Cf::kLotParties, Key({lot_id.first, lot_id.second, ""}), snap, 3,
                               [&](const auto& k, std::string_view) {
    holders.push_back(TraceHolder{std::string(k[2]), lot_id.first, lot_id.second, 0, 0, 0, ""});
    return holders.size() < room;
  }));
  FT_RETURN_IF_ERROR(ReadHoldingCounts(impl, snap, &holders));
  return holders;
}

}  // namespace

Result<TraceDownResult> Ledger::TraceDown(std::string_view product, std::string_view lot,
                                          int depth_max) const {
  depth_max = std::clamp(depth_max, 0, kTraceDepthMax);
  auto root = GetLot(product, lot);
  if (!root.ok()) return root.status();
  TraceDownResult result;
  result.lot = *root;
  SnapshotGuard snap(impl_->db());
  const Status walked = ForEachCoveredLot(*impl_, snap.get(), product, lot, depth_max, &result.truncated,
                                         [&](const LotId& lot_id, int) -> Result<bool> {
    const std::string& p = lot_id.first;
    const std::string& l = lot_id.second;
    std::string unit;
    if (auto lot_record = GetLot(p, l); lot_record.ok()) {
      unit = lot_record->unit();
      result.lots.push_back(*lot_record);
    }
    std::map<std::string, std::int64_t> received;
    FT_RETURN_IF_ERROR(ScanParts(*impl_, Cf::kFlows, Key({p, l, ""}), snap.get(), 4,
                                 [&](const auto& k, std::string_view v) {
      v1::FlowRecord flow;
      if (!flow.ParseFromArray(v.data(), static_cast<int>(v.size()))) return true;
      result.edges.push_back(TraceEdge{std::string(k[2]), std::string(k[3]), p, l, flow.shipped(),
                                       flow.received(), flow.unit(), flow.first_on(), flow.receive_sequence()});
      received[std::string(k[3])] += flow.received();
      return result.edges.size() < kTraceNodesMax;
    }));
    auto holders = HoldersOfLot(*impl_, snap.get(), lot_id, kTraceNodesMax - result.holders.size());
    if (!holders.ok()) return holders.status();
    for (TraceHolder& h : *holders) {
      h.received = received[h.party_id];
      h.unit = unit;
      result.holders.push_back(std::move(h));
    }
    return result.edges.size() < kTraceNodesMax && result.holders.size() < kTraceNodesMax;
  });
  if (!walked.ok()) return walked;
  return result;
}

Result<RecallImpactResult> Ledger::RecallImpact(std::string_view product, std::string_view lot,
                                                int depth_max) const {
  depth_max = std::clamp(depth_max, 0, kTraceDepthMax);
  auto root = GetLot(product, lot);
  if (!root.ok()) return root.status();
  RecallImpactResult result;
  std::string unit = root->unit();
  SnapshotGuard snap(impl_->db());
  std::size_t listed = 0;  // parties read, held or not: the work the limit bounds
  const Status walked = ForEachCoveredLot(*impl_, snap.get(), product, lot, depth_max, &result.truncated,
                                         [&](const LotId& lot_id, int depth) -> Result<bool> {
    result.covered_lots.push_back(lot_id.first + "|" + lot_id.second);
    // Lots made by TRANSFORM may count in another unit; their records are read only then.
    std::string lot_unit = unit;
    if (depth > 0) {
      if (auto lot_record = GetLot(lot_id.first, lot_id.second); lot_record.ok()) lot_unit = lot_record->unit();
    }
    auto holders = HoldersOfLot(*impl_, snap.get(), lot_id, kTraceNodesMax - listed);
    if (!holders.ok()) return holders.status();
    listed += holders->size();
    for (TraceHolder& h : *holders) {
      if (h.on_hand + h.unconfirmed <= 0) continue;
      h.unit = lot_unit;
      result.holders.push_back(std::move(h));
    }
    return listed < kTraceNodesMax;
  });
  if (!walked.ok()) return walked;
  return result;
}

Result<TraceUpResult> Ledger::TraceUp(std::string_view party_id, std::string_view product,
                                      std::string_view lot, int depth_max) const {
  depth_max = std::clamp(depth_max, 0, kTraceDepthMax);
  TraceUpResult result;
  SnapshotGuard snap(impl_->db());
  struct Node {
    std::string party, product, lot;
    int depth;
  };
  std::vector<Node> stack{{std::string(party_id), std::string(product), std::string(lot), 0}};
  std::set<std::tuple<std::string, std::string, std::string>> seen;
  while (!stack.empty() && result.chain.size() < kTraceNodesMax) {
    Node n = std::move(stack.back());
    stack.pop_back();
    if (!seen.insert({n.party, n.product, n.lot}).second) continue;
    if (n.depth > depth_max) {
      result.truncated = true;
      continue;
    }
    // Who delivered this lot to n.party (its RECEIVE entries and senders' SHIPs).
    FT_RETURN_IF_ERROR(ScanParts(*impl_, Cf::kFlows, Key({n.product, n.lot, ""}), snap.get(), 4,
                                 [&](const auto& k, std::string_view v) {
      if (k[3] != n.party || k[2] == n.party) return true;
      v1::FlowRecord flow;
      if (!flow.ParseFromArray(v.data(), static_cast<int>(v.size()))) return true;
      TraceUpStep step{n.party, n.product, n.lot, std::string(k[2]), {}, flow.first_on(), n.depth};
      if (flow.receive_sequence() != 0) {
        if (auto ev = ReadEvent(flow.receive_sequence()); ev.ok() && ev->has_entry()) {
          for (const auto& d : ev->entry().documents()) step.documents.push_back(d);
          step.received_on = ev->entry().occurred_on();
        }
      }
      result.chain.push_back(std::move(step));
      const std::string from(k[2]);
      if (from.rfind("xf:", 0) == 0) {
        // Made here by TRANSFORM: continue with the input lots at the same party.
        IgnoreStatus(ScanParts(*impl_, Cf::kTransforms, Key({"R", n.product, n.lot, ""}), snap.get(), 5,
                               [&](const auto& t, std::string_view) {
          stack.push_back(Node{n.party, std::string(t[3]), std::string(t[4]), n.depth + 1});
          return true;
        }));  // a failed scan ends this branch; the chain found so far is still returned
      } else if (from.rfind("ext:", 0) != 0) {
        stack.push_back(Node{from, n.product, n.lot, n.depth + 1});
      }
      return true;
    }));
  }
  return result;
}

}  // namespace foodtrace::ledger
