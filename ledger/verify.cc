// Ledger::Verify — offline integrity check: the hash chain, then every index rebuilt by
// replaying the log through the same Applier into memory and compared key by key with what
// is stored.
#include <rocksdb/db.h>

#include "foodtrace/common/crypto.h"
#include "foodtrace/common/text.h"
#include "ledger/apply.h"
#include "ledger/impl.h"
#include "ledger/verify_heads.h"

namespace foodtrace::ledger {
namespace {

constexpr Cf kDerived[] = {Cf::kDedup,   Cf::kLots,        Cf::kLotParties, Cf::kFlows,
                           Cf::kHoldings, Cf::kExpiry,     Cf::kTransforms, Cf::kPartyLedger,
                           Cf::kRecalls, Cf::kTests,       Cf::kParties,    Cf::kProducts,
                           Cf::kWebhooks, Cf::kPartyExpiry};

std::string Printable(std::string_view key) {
  std::string out;
  for (char c : key.substr(0, 120)) out.push_back(static_cast<unsigned char>(c) < 0x20 ? '|' : c);
  return out;
}

Status CompareFamily(const Ledger::Impl& impl, Cf cf, const MemoryTxn& expected,
                     VerifyReport* report) {
  const auto want = expected.Contents(cf);
  auto w = want.begin();
  std::unique_ptr<rocksdb::Iterator> it(impl.NewIterator(cf, nullptr));
  const std::string name = kCfNames[static_cast<int>(cf)];
  for (it->SeekToFirst(); it->Valid(); it->Next(), ++w) {
    ++report->index_keys;
    const std::string key = it->key().ToString();
    if (w == want.end() || w->first != key) {
      const std::string& missing = (w == want.end() || key < w->first) ? key : w->first;
      report->problem = "index " + name + " key '" + Printable(missing) + "' " +
                        (missing == key ? "is stored but not explained by the log"
                                        : "follows from the log but is missing");
      return Status::Ok();
    }
    if (w->second != it->value().ToString()) {
      report->problem = "index " + name + " key '" + Printable(key) + "' holds a value the log does not give";
      return Status::Ok();
    }
  }
  if (!it->status().ok()) return Status::Io("scan of " + name + " failed: " + it->status().ToString());
  if (w != want.end()) {
    report->problem = "index " + name + " key '" + Printable(w->first) + "' follows from the log but is missing";
  }
  return Status::Ok();
}

}  // namespace

Result<VerifyReport> Ledger::Verify(const std::string& path, const std::string& heads_path) {
  std::unique_ptr<HeadsCheck> heads;  // opened before the ledger (verify_heads.h)
  if (!heads_path.empty()) {
    auto check = HeadsCheck::Open(heads_path);
    if (!check.ok()) return check.status();
    heads = std::move(*check);
  }
  Options options;
  options.path = path;
  Impl impl(options);
  FT_RETURN_IF_ERROR(impl.Open(/*read_only=*/true));
  VerifyReport report;
  auto version = impl.SchemaVersion();
  if (!version.ok()) return version.status();
  if (*version != kSchemaVersion && impl.last_sequence() > 0) {
    // The indexes are compared with what this version derives from the log.
    report.problem = "the ledger's indexes are in schema " + std::to_string(*version) + ", this foodtrace "
                     "checks schema " + std::to_string(kSchemaVersion) + ": start `foodtrace serve` on it "
                     "once (it upgrades the indexes), then verify again";
    return report;
  }
  MemoryTxn replay;
  Applier applier(&replay);
  std::string prev(kSha256Bytes, '\0');
  std::uint64_t expected_seq = 1;
  std::unique_ptr<rocksdb::Iterator> it(impl.NewIterator(Cf::kLog, nullptr));
  for (it->SeekToFirst(); it->Valid(); it->Next(), ++expected_seq) {
    ++report.records;
    v1::LogRecord record;
    v1::Event event;
    const bool key_ok = it->key().size() == 8 &&
                        DecodeBigEndian64(std::string_view(it->key().data(), 8)) == expected_seq;
    std::string problem;
    if (!key_ok) {
      problem = "sequence gap: expected record " + std::to_string(expected_seq);
    } else if (!record.ParseFromArray(it->value().data(), static_cast<int>(it->value().size()))) {
      problem = "record does not decode";
    } else if (record.prev_hash() != prev) {
      problem = "record does not chain to the one before it (prev_hash differs)";
    } else if (Sha256Concat(record.prev_hash(), record.event()) != record.hash()) {
      problem = "record content does not match its SHA-256 hash: it was altered";
    } else if (!event.ParseFromString(record.event()) || event.sequence() != expected_seq) {
      problem = "event does not decode or names another sequence";
    }
    if (problem.empty() && heads) problem = heads->OnRecord(expected_seq, record.event(), record.hash());
    if (!problem.empty()) {
      report.first_bad_sequence = expected_seq;
      report.problem = "log record " + std::to_string(expected_seq) + ": " + problem;
      return report;
    }
    prev = record.hash();
    replay.Put(Cf::kLog, it->key().ToString(), it->value().ToString());
    applier.Apply(&event, /*live=*/false, nullptr);
  }
  if (!it->status().ok()) return Status::Io("log scan failed: " + it->status().ToString());
  if (heads) {
    FT_RETURN_IF_ERROR(heads->Finish(impl, &report));
    if (!report.problem.empty()) return report;
  }
  for (Cf cf : kDerived) {
    FT_RETURN_IF_ERROR(CompareFamily(impl, cf, replay, &report));
    if (!report.problem.empty()) return report;
  }
  return report;
}

}  // namespace foodtrace::ledger
