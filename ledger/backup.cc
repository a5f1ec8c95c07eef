// Ledger::Backup and the data directory's backup and restore (foodtrace/ledger/backup.h).
#include "foodtrace/ledger/backup.h"

#include <fcntl.h>
#include <rocksdb/utilities/checkpoint.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "ledger/head_signer.h"
#include "ledger/impl.h"

namespace foodtrace::ledger {
namespace fs = std::filesystem;
namespace {

constexpr std::size_t kCopyChunkBytes = 1 << 20;
constexpr char kRestoringSuffix[] = ".restoring";

std::string Errno(const std::string& what, const std::string& path) {
  return what + " " + path + ": " + std::strerror(errno);
}

// fsync(2) of a file or directory.
Status SyncPath(const fs::path& path, bool directory) {
  const int fd = ::open(path.c_str(), (directory ? O_RDONLY | O_DIRECTORY : O_RDONLY) | O_CLOEXEC);
  if (fd < 0) return Status::Io(Errno("cannot open", path.string()));
  const int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) return Status::Io(Errno("cannot sync", path.string()));
  return Status::Ok();
}

// Syncs every file and directory under `root`, and `root` itself.
Status SyncTree(const fs::path& root) {
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(root, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    if (it->is_symlink()) continue;
    FT_RETURN_IF_ERROR(SyncPath(it->path(), it->is_directory()));
  }
  if (ec) return Status::Io("cannot list " + root.string() + ": " + ec.message());
  return SyncPath(root, /*directory=*/true);
}

// Copies the first `bytes` of `from` into a new file `to` (mode 0600).
Status CopyPrefix(const std::string& from, const std::string& to, std::uint64_t bytes) {
  std::error_code ec;
  fs::create_directories(fs::path(to).parent_path(), ec);
  if (ec) return Status::Io("cannot create " + fs::path(to).parent_path().string() + ": " + ec.message());
  const int in = ::open(from.c_str(), O_RDONLY | O_CLOEXEC);
  if (in < 0) return Status::Io(Errno("cannot open", from));
  const int out = ::open(to.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (out < 0) {
    ::close(in);
    return Status::Io(Errno("cannot create", to));
  }
  std::string buffer(kCopyChunkBytes, '\0');
  Status st;
  for (std::uint64_t done = 0; done < bytes && st.ok();) {
    const std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(buffer.size(), bytes - done));
    const ssize_t n = ::pread(in, buffer.data(), want, static_cast<off_t>(done));
    if (n <= 0) {
      st = Status::Io(Errno("cannot read", from));
    } else if (::write(out, buffer.data(), static_cast<std::size_t>(n)) != n) {
      st = Status::Io(Errno("cannot write", to));
    } else {
      done += static_cast<std::uint64_t>(n);
    }
  }
  if (st.ok() && ::fsync(out) != 0) st = Status::Io(Errno("cannot sync", to));
  ::close(in);
  ::close(out);
  return st;
}

Status CheckNewDirectory(const std::string& dest, const char* reason) {
  const fs::path path(dest);
  if (!path.is_absolute()) return Status::Invalid(reason, "'" + dest + "' is not an absolute path");
  std::error_code ec;
  if (fs::exists(path, ec)) {
    return Status::Invalid(reason, dest + " already exists: give a new directory (nothing was written)");
  }
  if (!fs::is_directory(path.parent_path(), ec)) {
    return Status::Invalid(reason, "the directory " + path.parent_path().string() + " does not exist");
  }
  return Status::Ok();
}

nlohmann::json Manifest(const BackupReport& report, const std::string& source) {
  nlohmann::json j = {{"format", kBackupFormat}, {"created_at_ms", report.created_at_ms},
                      {"records", report.records}, {"heads", report.heads}, {"source", source}};
  j["last_head"] = report.last_head ? nlohmann::json::parse(HeadToJson(*report.last_head)) : nlohmann::json();
  return j;
}

Status WriteManifest(const fs::path& dest, const nlohmann::json& manifest) {
  const fs::path tmp = dest / (std::string(kBackupManifestName) + ".tmp");
  const std::string text = manifest.dump() + "\n";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return Status::Io(Errno("cannot create", tmp.string()));
  const bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) && ::fsync(fd) == 0;
  ::close(fd);
  if (!written) return Status::Io(Errno("cannot write", tmp.string()));
  std::error_code ec;
  fs::rename(tmp, dest / kBackupManifestName, ec);
  if (ec) return Status::Io("cannot rename " + tmp.string() + ": " + ec.message());
  return SyncPath(dest, /*directory=*/true);
}

// Copies every entry of `from` except `skip` (names) into `to`, recursively, modes kept.
Status CopyEntries(const fs::path& from, const fs::path& to, std::initializer_list<std::string_view> skip) {
  std::error_code ec;
  for (auto it = fs::directory_iterator(from, ec); !ec && it != fs::directory_iterator(); it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (std::find(skip.begin(), skip.end(), name) != skip.end()) continue;
    fs::copy(it->path(), to / name, fs::copy_options::recursive | fs::copy_options::copy_symlinks, ec);
    if (ec) return Status::Io("cannot copy " + it->path().string() + " to " + (to / name).string() + ": " + ec.message());
  }
  if (ec) return Status::Io("cannot list " + from.string() + ": " + ec.message());
  return Status::Ok();
}

Result<BackupReport> ReadManifest(const std::string& backup_dir) {
  const fs::path path = fs::path(backup_dir) / kBackupManifestName;
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) {
    return Status(Code::kNotFound, "NOT_A_BACKUP",
                  backup_dir + " is not a complete foodtrace backup (it has no " + kBackupManifestName +
                      "): give the directory `foodtrace backup` wrote; one without the file was cut short");
  }
  std::ifstream in(path, std::ios::binary);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (!in && !in.eof()) return Status::Io("cannot read " + path.string());
  const auto j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object() || j.value("format", "") != kBackupFormat || !j.contains("records") ||
      !j["records"].is_number_unsigned() || !j.contains("heads") || !j["heads"].is_number_unsigned()) {
    return Status::Invalid("NOT_A_BACKUP", path.string() + " is not a '" + kBackupFormat + "' manifest");
  }
  BackupReport report;
  report.records = j["records"].get<std::uint64_t>();
  report.heads = j["heads"].get<std::uint64_t>();
  report.created_at_ms = j.value("created_at_ms", UnixMillis{0});
  if (j.contains("last_head") && j["last_head"].is_object()) {
    auto head = HeadFromJson(j["last_head"].dump());
    if (!head.ok()) return head.status();
    report.last_head = *head;
  }
  return report;
}

}  // namespace

std::string LedgerDirPath(const std::string& data_dir) { return (fs::path(data_dir) / "ledger").string(); }

Result<BackupReport> Ledger::Backup(const std::string& ledger_dest, const std::string& heads_dest) const {
  rocksdb::Checkpoint* raw = nullptr;
  rocksdb::Status s = rocksdb::Checkpoint::Create(impl_->db(), &raw);
  std::unique_ptr<rocksdb::Checkpoint> checkpoint(raw);
  // log_size_for_flush 0: flush first, so the copy is table files (links) plus a short WAL.
  if (s.ok()) s = checkpoint->CreateCheckpoint(ledger_dest, /*log_size_for_flush=*/0);
  if (!s.ok()) return Status::Io("cannot checkpoint the ledger into " + ledger_dest + ": " + s.ToString());
  BackupReport report;
  report.created_at_ms = impl_->Now();
  {
    Options copy_options;
    copy_options.path = ledger_dest;
    copy_options.block_cache_bytes = 0;
    Impl copy(copy_options);
    FT_RETURN_IF_ERROR(copy.Open(/*read_only=*/true));
    report.records = copy.last_sequence();
  }
  const HeadSigner* heads = impl_->heads();
  if (heads == nullptr) return report;
  // The heads file only grows; its first `n` records are complete and never change. Copy the
  // ones the checkpoint's log covers (a head signed during the checkpoint may cover more).
  std::uint64_t n = heads->file().count();
  while (n > 0) {
    auto head = heads->file().Read(n - 1);
    if (!head.ok()) return head.status();
    if (head->sequence <= report.records) {
      report.last_head = *head;
      break;
    }
    --n;
  }
  report.heads = n;
  FT_RETURN_IF_ERROR(CopyPrefix(heads->file().path(), heads_dest, n * kHeadRecordBytes));
  return report;
}

Result<BackupReport> BackupDataDirectory(const Ledger& ledger, const std::string& data_dir, const std::string& dest) {
  FT_RETURN_IF_ERROR(CheckNewDirectory(dest, "BACKUP_DESTINATION"));
  const fs::path root(dest);
  std::error_code ec;
  fs::create_directory(root, ec);
  if (ec) return Status::Io("cannot create " + dest + ": " + ec.message());
  fs::permissions(root, fs::perms::owner_all, ec);  // it holds the secret keys
  // The keys and tokens first: a head key taken after the ledger could be one the copy never saw.
  const fs::path heads_dir = fs::path(HeadsFilePath(data_dir)).parent_path().filename();
  FT_RETURN_IF_ERROR(CopyEntries(data_dir, root, {"ledger", heads_dir.string()}));
  auto report = ledger.Backup(LedgerDirPath(dest), HeadsFilePath(dest));
  if (!report.ok()) return report.status();
  FT_RETURN_IF_ERROR(SyncTree(root));
  FT_RETURN_IF_ERROR(WriteManifest(root, Manifest(*report, fs::absolute(data_dir).string())));
  return report;
}

Result<BackupReport> RestoreDataDirectory(const std::string& backup_dir, const std::string& dest) {
  auto manifest = ReadManifest(backup_dir);
  if (!manifest.ok()) return manifest.status();
  const std::string absolute_dest = fs::absolute(dest).lexically_normal().string();
  FT_RETURN_IF_ERROR(CheckNewDirectory(absolute_dest, "RESTORE_DESTINATION"));
  auto verify = Ledger::Verify(LedgerDirPath(backup_dir), HeadsFilePath(backup_dir));
  if (!verify.ok()) return Status(Code::kCorruption, "BACKUP_DAMAGED", backup_dir + ": " + verify.status().message());
  if (!verify->problem.empty() || verify->records != manifest->records || verify->heads != manifest->heads) {
    return Status(Code::kCorruption, "BACKUP_DAMAGED",
                  "the backup " + backup_dir + " does not verify: " +
                      (verify->problem.empty() ? "it holds " + std::to_string(verify->records) + " records and " +
                                                     std::to_string(verify->heads) + " heads, its manifest says " +
                                                     std::to_string(manifest->records) + " and " +
                                                     std::to_string(manifest->heads)
                                               : verify->problem) +
                      ". Restore an older backup.");
  }
  const fs::path staging = absolute_dest + kRestoringSuffix;
  std::error_code ec;
  fs::remove_all(staging, ec);  // a restore that crashed before its rename
  fs::create_directory(staging, ec);
  if (ec) return Status::Io("cannot create " + staging.string() + ": " + ec.message());
  fs::permissions(staging, fs::perms::owner_all, ec);
  FT_RETURN_IF_ERROR(CopyEntries(backup_dir, staging, {kBackupManifestName}));
  FT_RETURN_IF_ERROR(SyncTree(staging));
  fs::rename(staging, absolute_dest, ec);
  if (ec) return Status::Io("cannot rename " + staging.string() + " to " + absolute_dest + ": " + ec.message());
  FT_RETURN_IF_ERROR(SyncPath(fs::path(absolute_dest).parent_path(), /*directory=*/true));
  return manifest;
}

}  // namespace foodtrace::ledger
