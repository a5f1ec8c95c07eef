// Backup and restore of a server's data directory (docs/operations.md "Backup and restore").
//
// A backup is a directory that `foodtrace restore` turns back into a data directory:
//   backup.json          {"format":"foodtrace backup 1","created_at_ms":N,"records":N,"heads":N,
//                         "last_head":{GET /api/v1/ledger/head's shape}|null,"source":"DATA"};
//                         written last, so a backup without it is incomplete
//   ledger/              a RocksDB checkpoint of DATA/ledger: every column family at one instant
//   heads/signed_heads   the signed heads the copied log covers (none beyond its end)
//   keys/, …             every other file of DATA as it was (the server, operator and head keys,
//                        portal tokens and sessions), file modes kept
// It is taken from the running server (Ledger::Backup runs beside the writer), so it holds every
// record acknowledged before it began and never part of a batch.
#pragma once

#include <string>

#include "foodtrace/common/status.h"
#include "foodtrace/ledger/ledger.h"

namespace foodtrace::ledger {

inline constexpr char kBackupFormat[] = "foodtrace backup 1";
inline constexpr char kBackupManifestName[] = "backup.json";

// Where a data directory keeps its ledger: DATA/ledger.
std::string LedgerDirPath(const std::string& data_dir);

// Backs up the data directory `data_dir`, whose ledger `ledger` is (opened on
// LedgerDirPath(data_dir) with heads in HeadsFilePath(data_dir)), into `dest`: an absolute path
// that must not exist, whose parent must. Every file is synced before backup.json is written.
// Cost: a memtable flush, hard links to the table files when `dest` is on the same file system
// (copies otherwise), and a copy of the keys and heads. Errors: INVALID_ARGUMENT
// BACKUP_DESTINATION (relative, or exists, or no parent directory); IO.
Result<BackupReport> BackupDataDirectory(const Ledger& ledger, const std::string& data_dir,
                                         const std::string& dest);

// Restores the backup `backup_dir` into the new data directory `dest` (must not exist): checks
// that it is a complete backup, verifies its hash chain, its signed heads and its indexes
// (Ledger::Verify), copies it into `dest` + ".restoring", syncs and renames it to `dest`, so a
// crash never leaves a half-restored `dest`. The restored directory serves as the original did
// when the backup was taken (same keys, tokens and heads). Cost: a full verify and a copy.
// Errors: NOT_FOUND / INVALID_ARGUMENT NOT_A_BACKUP (no or a malformed backup.json);
// INVALID_ARGUMENT RESTORE_DESTINATION (exists); CORRUPTION BACKUP_DAMAGED (what verify found);
// IO.
Result<BackupReport> RestoreDataDirectory(const std::string& backup_dir, const std::string& dest);

}  // namespace foodtrace::ledger
