// Schema upgrades, run by Ledger::Open before the writer starts (ledger/schema.h lists the
// versions). Each step rewrites derived indexes only, from the log and the other indexes, in
// bounded batches; the version key is written last, so a step cut short by a crash simply runs
// again on the next open (every write here is idempotent).
#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>

#include <cstdio>
#include <unordered_map>

#include "ledger/apply.h"
#include "ledger/impl.h"

namespace foodtrace::ledger {
namespace {

// Keys written per RocksDB batch while upgrading: bounds the memory an upgrade holds.
constexpr std::size_t kUpgradeBatchKeysMax = 100'000;
// A progress line per this many records read.
constexpr std::uint64_t kUpgradeProgressRecords = 1'000'000;

std::string_view View(const rocksdb::Slice& s) { return std::string_view(s.data(), s.size()); }

class ChunkedWriter {
 public:
  explicit ChunkedWriter(rocksdb::DB* db) : db_(db) {}
  rocksdb::WriteBatch& batch() { return batch_; }
  Status MaybeFlush(bool force = false) {
    if (batch_.Count() == 0 || (!force && batch_.Count() < kUpgradeBatchKeysMax)) return Status::Ok();
    rocksdb::WriteOptions wo;
    wo.sync = force;  // the last one syncs everything before it
    const rocksdb::Status s = db_->Write(wo, &batch_);
    batch_.Clear();
    if (!s.ok()) return Status::Io("upgrading the ledger failed: " + s.ToString());
    return Status::Ok();
  }

 private:
  rocksdb::DB* db_;
  rocksdb::WriteBatch batch_;
};

}  // namespace

Result<std::uint32_t> Ledger::Impl::SchemaVersion() const {
  auto bytes = Get(Cf::kDefault, kSchemaKey);
  if (!bytes.ok()) return bytes.status();
  if (!*bytes) return 1u;
  if ((*bytes)->size() != 4) return Status::Corruption("the ledger's schema version does not decode");
  std::uint32_t v = 0;
  for (char c : **bytes) v = (v << 8) | static_cast<unsigned char>(c);
  return v;
}

Status Ledger::Impl::WriteSchemaVersion() {
  std::string bytes(4, '\0');
  for (int i = 0; i < 4; ++i) bytes[i] = static_cast<char>(kSchemaVersion >> (8 * (3 - i)));
  rocksdb::WriteOptions wo;
  wo.sync = true;
  const rocksdb::Status s = db_->Put(wo, handle(Cf::kDefault), rocksdb::Slice(kSchemaKey.data(), kSchemaKey.size()), bytes);
  if (!s.ok()) return Status::Io("writing the ledger's schema version failed: " + s.ToString());
  return Status::Ok();
}

Status Ledger::Impl::UpgradeSchema() {
  auto version = SchemaVersion();
  if (!version.ok()) return version.status();
  if (*version == kSchemaVersion) return Status::Ok();
  if (*version > kSchemaVersion) {
    return Status(Code::kFailedPrecondition, "SCHEMA_TOO_NEW",
                  "the ledger at '" + options_.path + "' was written by a newer foodtrace (schema " +
                      std::to_string(*version) + "; this one knows " + std::to_string(kSchemaVersion) +
                      "): run that version");
  }
  if (last_sequence_ > 0) {
    std::fprintf(stderr, "ledger: upgrading the indexes of %llu records from schema %u to %u\n",
                 static_cast<unsigned long long>(last_sequence_.load()), *version, kSchemaVersion);
    FT_RETURN_IF_ERROR(BackfillPartyExpiry());
    FT_RETURN_IF_ERROR(RebuildExpiryByMarket());
    FT_RETURN_IF_ERROR(FillPartyLedgerLines());
  }
  return WriteSchemaVersion();
}

// Data directories written before the party_expiry index existed get it from the expiry
// index (same entries, keyed by party first) on their first open; afterwards the writer keeps
// both. An empty party_expiry beside a non-empty expiry can only mean such a directory. Runs
// only on schema 1 directories (UpgradeSchema), whose expiry keys start with the date.
Status Ledger::Impl::BackfillPartyExpiry() {
  std::unique_ptr<rocksdb::Iterator> pe(db_->NewIterator(rocksdb::ReadOptions(), handle(Cf::kPartyExpiry)));
  pe->SeekToFirst();
  if (pe->Valid()) return Status::Ok();
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), handle(Cf::kExpiry)));
  rocksdb::WriteBatch batch;  // small: the deployments that need it predate large ledgers
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    const std::string_view key(it->key().data(), it->key().size());
    if (key.size() < 5) continue;
    const auto parts = SplitKey(key.substr(5), 3);  // date:u32be 0 party 0 product 0 lot
    if (parts.size() != 3) continue;
    std::string pkey = Key({parts[0], ""});
    pkey.append(key.substr(0, 4));
    pkey += Key({parts[1], parts[2]});
    batch.Put(handle(Cf::kPartyExpiry), pkey, "");
  }
  if (!it->status().ok()) return Status::Io("ledger scan failed: " + it->status().ToString());
  if (batch.Count() == 0) return Status::Ok();
  rocksdb::WriteOptions wo;
  wo.sync = true;
  const rocksdb::Status s = db_->Write(wo, &batch);
  if (!s.ok()) return Status::Io("building the party_expiry index failed: " + s.ToString());
  std::fprintf(stderr, "ledger: built the party_expiry index from %u expiry entries\n", batch.Count());
  return Status::Ok();
}

// Schema 2 keys `expiry` by market first. Rebuilt from party_expiry (the same entries keyed by
// party) and each party's market.
Status Ledger::Impl::RebuildExpiryByMarket() {
  ChunkedWriter out(db_.get());
  // Every old key starts with a 4-byte date; DeleteRange("", "\xff\xff\xff\xff\xff") covers them.
  const std::string end(5, '\xff');
  out.batch().DeleteRange(handle(Cf::kExpiry), "", end).PermitUncheckedError();
  std::unordered_map<std::string, std::string> markets;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), handle(Cf::kPartyExpiry)));
  std::uint64_t rows = 0;
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    const std::string_view key = View(it->key());
    const std::size_t nul = key.find('\0');
    if (nul == std::string_view::npos || key.size() < nul + 5) continue;
    const std::string party(key.substr(0, nul));
    auto m = markets.find(party);
    if (m == markets.end()) {
      std::string market;
      auto bytes = Get(Cf::kParties, PartyKey(party));
      if (!bytes.ok()) return bytes.status();
      v1::Party p;
      if (*bytes && p.ParseFromString(**bytes)) market = MarketKeyOfParty(p);
      m = markets.emplace(party, std::move(market)).first;
    }
    const auto lot = SplitKey(key.substr(nul + 5), 2);
    if (lot.size() != 2) continue;
    out.batch().Put(handle(Cf::kExpiry),
                    ExpiryKey(m->second, DecodeDateKey(key.substr(nul + 1, 4)), party, lot[0], lot[1]), "")
        .PermitUncheckedError();
    ++rows;
    FT_RETURN_IF_ERROR(out.MaybeFlush());
  }
  if (!it->status().ok()) return Status::Io("ledger scan failed: " + it->status().ToString());
  FT_RETURN_IF_ERROR(out.MaybeFlush(/*force=*/true));
  std::fprintf(stderr, "ledger: expiry index keyed by market (%llu entries)\n", static_cast<unsigned long long>(rows));
  return Status::Ok();
}

// Schema 2 keeps each entry's compact line as its party_ledger value: one pass over the log.
Status Ledger::Impl::FillPartyLedgerLines() {
  ChunkedWriter out(db_.get());
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), handle(Cf::kLog)));
  std::uint64_t records = 0;
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    if (++records % kUpgradeProgressRecords == 0) {
      std::fprintf(stderr, "ledger: compact ledger lines: %llu / %llu records\n",
                   static_cast<unsigned long long>(records), static_cast<unsigned long long>(last_sequence_.load()));
    }
    v1::LogRecord record;
    v1::Event event;
    if (it->key().size() != 8 || !record.ParseFromArray(it->value().data(), static_cast<int>(it->value().size())) ||
        !event.ParseFromString(record.event())) {
      return Status::Corruption("log record " + std::to_string(records) +
                                " does not decode: run `foodtrace verify` and restore from backup");
    }
    if (!event.has_entry()) continue;
    out.batch().Put(handle(Cf::kPartyLedger),
                    PartyLedgerKey(event.entry().party_id(), LedgerDateOf(event), event.sequence()),
                    LedgerLineOf(event).SerializeAsString())
        .PermitUncheckedError();
    FT_RETURN_IF_ERROR(out.MaybeFlush());
  }
  if (!it->status().ok()) return Status::Io("log scan failed: " + it->status().ToString());
  return out.MaybeFlush(/*force=*/true);
}

}  // namespace foodtrace::ledger
