// The foodtrace ledger: the one store of every record, on RocksDB.
//
// Writes go through one writer thread. Submit() queues a WriteRequest; the writer drains
// everything queued (up to kGroupCommitItemsMax items) into one RocksDB WriteBatch holding
// the hash-chained log records and every index they touch, writes it with sync = true, and
// only then runs each request's callback. A crash therefore leaves each batch all or nothing,
// and a callback (the acknowledgement a vendor sees) means the record is on disk.
//
// Each item is first validated statelessly (formats, check digits, dates, limits), then
// checked against the stored state (duplicates, unknown parties, permissions, lot
// consistency), then applied. A rejected item changes nothing and does not affect its
// neighbours. A retried item with an event id already stored by the same party is answered
// DUPLICATE with its original sequence and changes nothing.
//
// Reads (every const method) are thread-safe and may run concurrently with the writer; each
// call sees a consistent snapshot. Ledger itself is thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "foodtrace/common/date.h"
#include "foodtrace/common/status.h"
#include "foodtrace/common/time_zone.h"
#include "foodtrace/ledger/heads.h"
#include "foodtrace/v1/records.pb.h"
#include "foodtrace/v1/wire.pb.h"

namespace foodtrace::ledger {

namespace v1 = ::foodtrace::v1;

// A batch of items from one authenticated party.
struct WriteRequest {
  std::string recorded_by;   // the authenticated party id (from its CURVE key or token)
  std::vector<v1::Item> items;
  UnixMillis received_at_ms = 0;  // 0 = now
};

// What one committed item changed; handed to the commit observer (the alert engine).
struct HoldingChange {
  std::string party_id;
  std::string product;  // GTIN-14, or "C:" + product code
  std::string lot;
  std::int64_t on_hand_before = 0;
  std::int64_t on_hand_after = 0;
  std::int64_t unconfirmed_before = 0;
  std::int64_t unconfirmed_after = 0;
};
struct CommittedEvent {
  v1::Event event;
  std::vector<HoldingChange> holding_changes;
};

// Default size of the block cache below: a 10-million-record ledger's holdings, lot parties
// and parties blocks that a large recall or a busy portal touch fit in it several times over.
inline constexpr std::size_t kBlockCacheBytesDefault = 256ull * 1024 * 1024;

struct Options {
  std::string path;                     // RocksDB directory; created if missing
  bool sync = true;                     // false only for tests that measure nothing durable
  // The market's time zone: decides "today" (MarketToday) for every date the ledger checks or
  // derives. `foodtrace serve --time-zone` loads it from tzdata; the default is Asia/Shanghai
  // (UTC+08:00 all year since 1991) without reading a file.
  TimeZone time_zone = TimeZone::Fixed(kChinaUtcOffsetMinutes, kDefaultTimeZone);
  std::size_t group_commit_items_max = 4096;  // items per WriteBatch
  std::size_t queue_items_max = 65536;        // items waiting; Submit fails beyond this
  // RocksDB block cache shared by every column family (uncompressed data blocks): what the
  // trace, recall, lookup and writer reads find in memory instead of reading and decompressing
  // from the files. 0 keeps RocksDB's own default (8 MiB per column family).
  std::size_t block_cache_bytes = kBlockCacheBytesDefault;
  // Called on the writer thread after each durable batch, in sequence order, before any
  // request of the batch is acknowledged. Must be quick (hand off to another thread); must not
  // call Submit synchronously with a wait.
  std::function<void(std::vector<CommittedEvent>)> on_commit;  // the batch is moved in
  // Clock for record timestamps and "today"; defaults to the system clock. Tests move it.
  std::function<UnixMillis()> clock;
  // Signed heads (foodtrace/ledger/heads.h): with a path, Open refuses a ledger shorter than
  // or different from its last signed head, and a thread of the ledger signs new heads.
  HeadOptions heads;
};

using WriteCallback = std::function<void(std::vector<v1::ItemResult> results)>;

// A party's holding of one lot, with lot details joined in.
using Holding = v1::Holding;

struct LedgerLine {
  std::uint64_t sequence = 0;
  v1::Event event;
};

struct TraceEdge {
  std::string from;   // party id, or "ext:" + name for an unregistered supplier
  std::string to;
  std::string product;
  std::string lot;
  std::int64_t shipped = 0;   // recorded by the sender's SHIP
  std::int64_t received = 0;  // recorded by the receiver's RECEIVE
  std::string unit;
  std::string first_on;       // date of the first movement
  std::uint64_t receive_sequence = 0;  // the receiver's last RECEIVE, 0 if none
};
struct TraceHolder {
  std::string party_id;
  std::string product;
  std::string lot;
  std::int64_t received = 0;
  std::int64_t on_hand = 0;
  std::int64_t unconfirmed = 0;  // shipped to it, not yet recorded as received
  std::string unit;
};
struct TraceDownResult {
  v1::Lot lot;
  std::vector<v1::Lot> lots;          // the lot and every lot transformed from it
  std::vector<TraceHolder> holders;
  std::vector<TraceEdge> edges;
  bool truncated = false;             // a limit was reached; the answer is partial
};
struct RecallImpactResult {
  std::vector<std::string> covered_lots;  // "product|lot": the lot first, then lots made from it
  std::vector<TraceHolder> holders;       // on_hand + unconfirmed > 0; `received` left 0
  bool truncated = false;                 // a limit was reached; the answer is partial
};
struct TraceUpStep {
  std::string party_id;
  std::string product;
  std::string lot;
  std::string received_from;
  std::vector<std::string> documents;
  std::string received_on;
  int depth = 0;
};
struct TraceUpResult {
  std::vector<TraceUpStep> chain;
  bool truncated = false;
};

struct VerifyReport {
  std::uint64_t records = 0;
  std::uint64_t index_keys = 0;
  std::uint64_t first_bad_sequence = 0;  // 0 if the chain is sound
  std::string problem;                   // empty when sound
  std::uint64_t heads = 0;               // signed heads checked against the log
};

// What a backup holds (Ledger::Backup, foodtrace/ledger/backup.h).
struct BackupReport {
  std::uint64_t records = 0;             // the copied log ends at this sequence
  std::uint64_t heads = 0;               // signed heads copied
  std::optional<SignedHead> last_head;   // the newest of them
  UnixMillis created_at_ms = 0;
};

class Ledger {
 public:
  // Opens (creating if needed) the ledger at options.path and starts the writer thread.
  // Errors: IO (cannot create or lock the directory), CORRUPTION (the log's tail fails its
  // hash check on open).
  static Result<std::unique_ptr<Ledger>> Open(Options options);
  // Drains the queue, stops the writer and closes the database.
  ~Ledger();
  Ledger(const Ledger&) = delete;
  Ledger& operator=(const Ledger&) = delete;

  // Queues `request`; `done` later runs on the writer thread with one result per item, after
  // the batch is durable. Errors (and `done` is then never called): RESOURCE_EXHAUSTED when
  // the queue holds queue_items_max items or the request has more than kBatchItemsMax items;
  // UNAVAILABLE while shutting down.
  Status Submit(WriteRequest request, WriteCallback done);
  // Submit and wait for the results (tools and tests).
  Result<std::vector<v1::ItemResult>> SubmitAndWait(WriteRequest request);

  // --- reads -------------------------------------------------------------------------
  Result<v1::Party> GetParty(std::string_view party_id) const;
  // Several parties with one MultiGet, in the order asked; nullopt for an unknown id.
  // Errors: IO, CORRUPTION.
  Result<std::vector<std::optional<v1::Party>>> GetParties(const std::vector<std::string>& party_ids) const;
  // The party registered with this CURVE public key (Z85). Errors: NOT_FOUND.
  Result<v1::Party> FindPartyByKey(std::string_view curve_public_key) const;
  std::vector<v1::Party> ListParties() const;
  // The party that registered this GLN (13 digits, as stored). Errors: NOT_FOUND, IO.
  Result<v1::Party> FindPartyByGln(std::string_view gln) const;
  // The product master record of a product key (GTIN-14 or "C:" + code). Errors: NOT_FOUND.
  Result<v1::Product> GetProduct(std::string_view product) const;
  // Registered products in product key order, starting after `after` (exclusive; "" = from the
  // first), at most `limit` (capped at kQueryRowsMax). Errors: IO.
  Result<std::vector<v1::Product>> ListProducts(std::string_view after, std::size_t limit) const;
  // The ledger entry `event_id` of `party_id`'s ledger. Errors: NOT_FOUND, IO, CORRUPTION.
  Result<LedgerLine> FindEntry(std::string_view party_id, std::string_view event_id) const;
  // The entry captured from the EPCIS event `epcis_event_id` (LedgerEntry.epcis_event_id).
  // Cost: one index read and one log read. Errors: NOT_FOUND, IO, CORRUPTION.
  Result<LedgerLine> FindEpcisEvent(std::string_view epcis_event_id) const;
  Result<v1::Lot> GetLot(std::string_view product, std::string_view lot) const;
  // The lots of one product (a GTIN-14 or "C:" product code) in lot-code order, at most `limit`
  // (capped at kQueryRowsMax): what a consumer who typed only the barcode can pick from. Cost:
  // one prefix scan of the product's lots (ledger/queries_portal.cc). An unknown product has
  // none. Errors: IO, CORRUPTION (a stored lot that does not decode).
  Result<std::vector<v1::Lot>> ProductLots(std::string_view product, std::size_t limit) const;
  Result<v1::Recall> GetRecall(std::string_view recall_id) const;
  std::vector<v1::Recall> ListRecalls() const;
  // Test results of product|lot in test id order, at most `limit` (ledger/queries_portal.cc).
  Result<std::vector<v1::TestResult>> LotTestResults(std::string_view product, std::string_view lot,
                                                     std::size_t limit) const;
  // Every test result in test id order, at most `limit` (capped at kQueryRowsMax).
  Result<std::vector<v1::TestResult>> ListTestResults(std::size_t limit) const;
  // The lot's flows only (edges between holders, no holdings or transforms): the portal's
  // public origin chain. Cost: one prefix scan. Errors: IO.
  Result<std::vector<TraceEdge>> LotFlows(std::string_view product, std::string_view lot) const;
  // A party's holdings (on hand or unconfirmed ≠ 0), lot details joined.
  Result<std::vector<Holding>> Holdings(std::string_view party_id) const;
  Result<Holding> GetHolding(std::string_view party_id, std::string_view product,
                             std::string_view lot) const;
  // A party's ledger lines with occurred_on in [from, to], oldest first, at most `limit`
  // (capped at kQueryRowsMax), each with its whole event: one range read of the party's index
  // and one MultiGet of the log. Errors: IO, CORRUPTION.
  Result<std::vector<LedgerLine>> PartyLedger(std::string_view party_id, Date from, Date to,
                                              std::size_t limit) const;
  // The same lines, compact (v1::LedgerLine: what a ledger page shows; the index carries them),
  // so the answer is one range read. Errors: IO, CORRUPTION.
  Result<std::vector<v1::LedgerLine>> PartyLedgerLines(std::string_view party_id, Date from, Date to,
                                                       std::size_t limit) const;
  // Everyone who received the lot (and lots transformed from it, to depth_max) and what each
  // holds now. Errors: NOT_FOUND for an unknown lot.
  Result<TraceDownResult> TraceDown(std::string_view product, std::string_view lot,
                                    int depth_max) const;
  // Who still holds the lot, or a lot transformed from it (to depth_max), and how much: only
  // holders with on hand + unconfirmed > 0, no edges and no lot records. Cost per covered lot:
  // one prefix scan of its parties and one MultiGet of their holdings. Errors: NOT_FOUND for an
  // unknown lot, IO, CORRUPTION.
  Result<RecallImpactResult> RecallImpact(std::string_view product, std::string_view lot,
                                          int depth_max) const;
  // The chain of suppliers of `lot` at `party_id` back to its first recorded source.
  Result<TraceUpResult> TraceUp(std::string_view party_id, std::string_view product,
                                std::string_view lot, int depth_max) const;
  // Holdings (on hand > 0) whose lot expires in [from, to], soonest first, at most `limit`.
  // Cost is proportional to the answer, not to the ledger.
  Result<std::vector<Holding>> Expiring(Date from, Date to, std::size_t limit) const;
  // The same for one party (its own index: cost ∝ the party's answer).
  Result<std::vector<Holding>> ExpiringAt(std::string_view party_id, Date from, Date to,
                                          std::size_t limit) const;
  // The same for the parties of a market (the market itself included): cost ∝ the market's
  // parties and its answer, not the ledger. Soonest first.
  Result<std::vector<Holding>> ExpiringInMarket(std::string_view market_id, Date from, Date to,
                                                std::size_t limit) const;
  // The ids of the parties registered with `market_id`, in id order.
  std::vector<std::string> MarketMembers(std::string_view market_id) const;
  Result<v1::Event> ReadEvent(std::uint64_t sequence) const;

  // --- reads for the alert engine (ledger/queries_alerts.cc) ---------------------------
  // Every party that holds or held product|lot, with its on_hand and unconfirmed counters in
  // the lot's base unit (received and unit left empty). No lot join: cost ∝ the parties.
  Result<std::vector<TraceHolder>> LotHolders(std::string_view product, std::string_view lot) const;
  // One holding's counters (zeros when the party never held the lot).
  Result<TraceHolder> HoldingCounts(std::string_view party_id, std::string_view product,
                                    std::string_view lot) const;
  // --- end of the alert engine reads ----------------------------------------------------

  std::uint64_t LastSequence() const;
  // Writer counters since Open (relaxed reads; for benchmarks and /metrics).
  struct WriteStats {
    std::uint64_t batches = 0;     // synced WriteBatches
    std::uint64_t items = 0;       // items answered (accepted, duplicate or rejected)
    std::uint64_t accepted = 0;    // items appended to the log
    std::uint64_t keys_written = 0;  // RocksDB puts, merges and deletes in those batches
  };
  WriteStats Stats() const;
  // True when RocksDB is running no flush or compaction and has none pending (benchmarks wait
  // for this before timing a phase, so the background work of the load is not timed with it).
  bool BackgroundIdle() const;
  // The market's zone (Options::time_zone), the ledger's clock, and today's market date
  // (MarketToday of the two): every component of the server decides dates with these.
  const TimeZone& time_zone() const;
  UnixMillis Now() const;
  Date Today() const;

  // Offline integrity check of the ledger at `path` (opened read-only): every log record's
  // hash chain, every signed head in `heads_path` (when given) against the log — a head beyond
  // the log's end is reported as the missing range — and every index rebuilt from the log
  // compared with what is stored. Returns ok with the report filled; the report names the
  // first bad record if any.
  static Result<VerifyReport> Verify(const std::string& path, const std::string& heads_path = "");

  // --- signed heads (foodtrace/ledger/heads.h, ledger/heads.cc) -------------------------
  // The newest signed head; nullopt before the first. Errors: UNAVAILABLE (Options::heads has
  // no path).
  Result<std::optional<SignedHead>> LatestHead() const;
  // The proof that record `sequence` is in the signed head of `tree_size` records (0 = the
  // newest head). Cost: O(log n) reads of stored subtrees and at most a few blocks of 256 log
  // records. Errors: UNAVAILABLE (no heads), NOT_FOUND (no head yet, or none of exactly
  // `tree_size` records), SEQUENCE_OUT_OF_RANGE, IO, CORRUPTION (the ledger no longer gives
  // the head's root).
  Result<LedgerProof> Proof(std::uint64_t sequence, std::uint64_t tree_size) const;

  // --- backup (ledger/backup.cc; the whole data directory: foodtrace/ledger/backup.h) ---
  // Writes a consistent copy of this running ledger: `ledger_dest` (must not exist) becomes a
  // RocksDB checkpoint — every column family at one instant, with every record acknowledged
  // before the call and no part of a later batch — and, when the ledger signs heads,
  // `heads_dest` receives the signed heads that the copied log covers. Safe beside the writer;
  // costs a memtable flush plus hard links (or copies across file systems). Errors: IO.
  Result<BackupReport> Backup(const std::string& ledger_dest, const std::string& heads_dest) const;

  class Impl;

 private:
  friend class AlertStore;  // alert_store.h: alerts and the webhook outbox beside the log
  explicit Ledger(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// The product key of a LotRef: its GTIN-14, or "C:" + product code for goods without one.
std::string ProductKey(const v1::LotRef& lot);
std::string ProductKey(std::string_view gtin, std::string_view product_code);

}  // namespace foodtrace::ledger
