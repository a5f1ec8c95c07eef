// HeadsFile and the head record encoding (heads_file.h; layout in foodtrace/ledger/heads.h).
#include "ledger/heads_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "ledger/schema.h"

namespace foodtrace::ledger {
namespace {

constexpr std::string_view kMagic = "FTH1";

std::string Errno(const std::string& what, const std::string& path) {
  return what + " " + path + ": " + std::strerror(errno);
}

Status SyncDirectory(const std::string& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return Status::Io(Errno("cannot open directory", dir));
  const int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) return Status::Io(Errno("cannot sync directory", dir));
  return Status::Ok();
}

}  // namespace

std::string EncodeHeadRecord(const SignedHead& head) {
  FT_CHECK(head.chain_hash.size() == 32 && head.merkle_root.size() == 32);
  FT_CHECK(head.public_key.size() == kSigningPublicKeyBytes && head.signature.size() == kSignatureBytes);
  std::string out(kMagic);
  out += BigEndian64(head.sequence);
  out += head.chain_hash;
  out += head.merkle_root;
  out += BigEndian64(static_cast<std::uint64_t>(head.signed_at_ms));
  out += head.public_key;
  out += head.signature;
  FT_CHECK(out.size() == kHeadRecordBytes);
  return out;
}

Result<SignedHead> DecodeHeadRecord(std::string_view bytes) {
  if (bytes.size() != kHeadRecordBytes || bytes.substr(0, 4) != kMagic) {
    return Status::Corruption("a signed head record is damaged (no FTH1 record of 180 bytes)");
  }
  SignedHead head;
  head.sequence = DecodeBigEndian64(bytes.substr(4, 8));
  head.chain_hash = std::string(bytes.substr(12, 32));
  head.merkle_root = std::string(bytes.substr(44, 32));
  head.signed_at_ms = static_cast<UnixMillis>(DecodeBigEndian64(bytes.substr(76, 8)));
  head.public_key = std::string(bytes.substr(84, 32));
  head.signature = std::string(bytes.substr(116, 64));
  return head;
}

Result<std::unique_ptr<HeadsFile>> HeadsFile::Open(const std::string& path, bool writable) {
  const std::string dir = std::filesystem::path(path).parent_path().string();
  if (writable) {
    std::error_code ec;
    const bool created = std::filesystem::create_directories(dir, ec);
    if (ec) return Status::Io("cannot create " + dir + ": " + ec.message());
    if (created) std::filesystem::permissions(dir, std::filesystem::perms::owner_all, ec);
  }
  const bool existed = ::access(path.c_str(), F_OK) == 0;
  const int fd = ::open(path.c_str(), (writable ? O_RDWR | O_CREAT | O_APPEND : O_RDONLY) | O_CLOEXEC, 0600);
  if (fd < 0) {
    if (!writable && errno == ENOENT) return std::unique_ptr<HeadsFile>(new HeadsFile(path, -1, 0));
    return Status::Io(Errno("cannot open the signed heads file", path));
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    ::close(fd);
    return Status::Io(Errno("cannot stat", path));
  }
  const auto size = static_cast<std::uint64_t>(st.st_size);
  const std::uint64_t count = size / kHeadRecordBytes;
  if (writable && size % kHeadRecordBytes != 0) {
    // A crash during an append: the partial head was never synced or published.
    if (::ftruncate(fd, static_cast<off_t>(count * kHeadRecordBytes)) != 0 || ::fdatasync(fd) != 0) {
      ::close(fd);
      return Status::Io(Errno("cannot cut the partial last head off", path));
    }
    std::fprintf(stderr, "ledger: %s ended in a partial head record (%llu bytes, a crash while signing); cut off\n",
                 path.c_str(), static_cast<unsigned long long>(size % kHeadRecordBytes));
  }
  if (writable && !existed) {
    if (Status st2 = SyncDirectory(dir); !st2.ok()) {
      ::close(fd);
      return st2;
    }
  }
  return std::unique_ptr<HeadsFile>(new HeadsFile(path, fd, count));
}

HeadsFile::~HeadsFile() {
  if (fd_ >= 0) ::close(fd_);
}

Result<SignedHead> HeadsFile::Read(std::uint64_t index) const {
  if (index >= count()) return Status::Invalid("HEAD_INDEX", "no signed head #" + std::to_string(index + 1));
  std::string bytes(kHeadRecordBytes, '\0');
  const ssize_t n = ::pread(fd_, bytes.data(), bytes.size(), static_cast<off_t>(index * kHeadRecordBytes));
  if (n != static_cast<ssize_t>(bytes.size())) return Status::Io(Errno("cannot read", path_));
  auto head = DecodeHeadRecord(bytes);
  if (!head.ok()) {
    return Status::Corruption(path_ + ": signed head #" + std::to_string(index + 1) + ": " + head.status().message());
  }
  return head;
}

Result<std::optional<SignedHead>> HeadsFile::Last() const {
  const std::uint64_t n = count();
  if (n == 0) return std::optional<SignedHead>();
  auto head = Read(n - 1);
  if (!head.ok()) return head.status();
  return std::optional<SignedHead>(std::move(*head));
}

Result<std::optional<SignedHead>> HeadsFile::Find(std::uint64_t sequence) const {
  // The last index whose sequence is ≤ `sequence`.
  std::uint64_t lo = 0;
  std::uint64_t hi = count();
  while (lo < hi) {
    const std::uint64_t mid = lo + (hi - lo) / 2;
    auto head = Read(mid);
    if (!head.ok()) return head.status();
    if (head->sequence <= sequence) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  if (lo == 0) return std::optional<SignedHead>();
  auto head = Read(lo - 1);
  if (!head.ok()) return head.status();
  if (head->sequence != sequence) return std::optional<SignedHead>();
  return std::optional<SignedHead>(std::move(*head));
}

Status HeadsFile::Append(const SignedHead& head) {
  FT_CHECK(fd_ >= 0);
  std::lock_guard lk(append_mu_);
  const std::string bytes = EncodeHeadRecord(head);
  const ssize_t n = ::write(fd_, bytes.data(), bytes.size());
  if (n == static_cast<ssize_t>(bytes.size()) && ::fdatasync(fd_) == 0) {
    count_.fetch_add(1);
    return Status::Ok();
  }
  const Status failure = Status::Io(Errno("cannot append a signed head to", path_));
  // Keep the file a whole number of records, none of them unsynced: the head is signed again
  // at the next interval. If even this fails, the next open cuts the partial record off.
  if (n > 0 && ::ftruncate(fd_, static_cast<off_t>(count() * kHeadRecordBytes)) != 0) {
    std::fprintf(stderr, "ledger: cannot cut a failed head append off %s: %s\n", path_.c_str(), std::strerror(errno));
  }
  return failure;
}

}  // namespace foodtrace::ledger
