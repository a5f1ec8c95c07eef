// Signed heads: the statement, JSON, the key file, reading a heads file, and the Ledger's head
// and proof reads (foodtrace/ledger/heads.h).
#include "foodtrace/ledger/heads.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "foodtrace/common/crypto.h"
#include "foodtrace/common/merkle.h"
#include "foodtrace/common/text.h"
#include "foodtrace/ledger/ledger.h"
#include "ledger/head_signer.h"
#include "ledger/heads_file.h"
#include "ledger/merkle_store.h"

namespace foodtrace::ledger {
namespace {

constexpr std::string_view kStatementPrefix = "foodtrace signed head v1\n";
constexpr std::size_t kHeadKeyFileBytesMax = 4096;

Result<std::string> HexField(const nlohmann::json& j, const char* name, std::size_t bytes) {
  const auto it = j.find(name);
  if (it == j.end() || !it->is_string()) {
    return Status::Invalid("HEAD_FORMAT", std::string("a signed head needs \"") + name + "\" as a hex string");
  }
  auto raw = HexDecode(it->get<std::string>());
  if (!raw || raw->size() != bytes) {
    return Status::Invalid("HEAD_FORMAT", std::string("\"") + name + "\" must be " + std::to_string(2 * bytes) +
                                              " hex digits");
  }
  return std::move(*raw);
}

Status WriteKeyFile(const std::string& path, const SigningKeyPair& pair) {
  const std::string tmp = path + ".tmp";
  const std::string text = nlohmann::json{{"public_key", HexEncode(pair.public_key)},
                                          {"secret_key", HexEncode(pair.secret_key)}}
                               .dump() +
                           "\n";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return Status::Io("cannot create " + tmp + ": " + std::strerror(errno));
  const bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) && ::fsync(fd) == 0;
  ::close(fd);
  if (!written || std::rename(tmp.c_str(), path.c_str()) != 0) {
    return Status::Io("cannot write " + path + ": " + std::strerror(errno));
  }
  const std::string dir = std::filesystem::path(path).parent_path().string();
  const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    const int rc = ::fsync(dfd);
    ::close(dfd);
    if (rc != 0) return Status::Io("cannot sync " + dir + ": " + std::strerror(errno));
  }
  return Status::Ok();
}

}  // namespace

std::string HeadStatement(const SignedHead& head) {
  std::string out(kStatementPrefix);
  out += BigEndian64(head.sequence);
  out += head.chain_hash;
  out += head.merkle_root;
  out += BigEndian64(static_cast<std::uint64_t>(head.signed_at_ms));
  return out;
}

bool HeadSignatureValid(const SignedHead& head) {
  return head.chain_hash.size() == merkle::kHashBytes && head.merkle_root.size() == merkle::kHashBytes &&
         VerifySignature(head.public_key, HeadStatement(head), head.signature);
}

std::string HeadToJson(const SignedHead& head) {
  return nlohmann::json{{"sequence", head.sequence},
                        {"chain_hash", HexEncode(head.chain_hash)},
                        {"merkle_root", HexEncode(head.merkle_root)},
                        {"signed_at_ms", head.signed_at_ms},
                        {"public_key", HexEncode(head.public_key)},
                        {"signature", HexEncode(head.signature)}}
      .dump();
}

Result<SignedHead> HeadFromJson(std::string_view text) {
  const auto j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) return Status::Invalid("HEAD_FORMAT", "a signed head is a JSON object (GET /api/v1/ledger/head)");
  SignedHead head;
  if (!j.contains("sequence") || !j["sequence"].is_number_unsigned()) {
    return Status::Invalid("HEAD_FORMAT", "a signed head needs \"sequence\" as a whole number");
  }
  if (!j.contains("signed_at_ms") || !j["signed_at_ms"].is_number_integer()) {
    return Status::Invalid("HEAD_FORMAT", "a signed head needs \"signed_at_ms\" as a whole number");
  }
  head.sequence = j["sequence"].get<std::uint64_t>();
  head.signed_at_ms = j["signed_at_ms"].get<UnixMillis>();
  struct Field {
    const char* name;
    std::size_t bytes;
    std::string* out;
  };
  for (const Field& f : {Field{"chain_hash", 32, &head.chain_hash}, Field{"merkle_root", 32, &head.merkle_root},
                         Field{"public_key", kSigningPublicKeyBytes, &head.public_key},
                         Field{"signature", kSignatureBytes, &head.signature}}) {
    auto value = HexField(j, f.name, f.bytes);
    if (!value.ok()) return value.status();
    *f.out = std::move(*value);
  }
  return head;
}

std::string HeadsFilePath(const std::string& data_dir) {
  return (std::filesystem::path(data_dir) / "heads" / "signed_heads").string();
}
std::string HeadKeyPath(const std::string& data_dir) {
  return (std::filesystem::path(data_dir) / "keys" / "head.key").string();
}

Result<SigningKeyPair> LoadOrCreateHeadKey(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    if (errno != ENOENT) return Status::Io("cannot read " + path + ": " + std::strerror(errno));
    std::error_code ec;
    const std::filesystem::path dir = std::filesystem::path(path).parent_path();
    if (std::filesystem::create_directories(dir, ec)) {
      std::filesystem::permissions(dir, std::filesystem::perms::owner_all, ec);
    }
    if (ec) return Status::Io("cannot create " + dir.string() + ": " + ec.message());
    SigningKeyPair pair = GenerateSigningKeyPair();
    FT_RETURN_IF_ERROR(WriteKeyFile(path, pair));
    return pair;
  }
  if (!S_ISREG(st.st_mode) || static_cast<std::size_t>(st.st_size) > kHeadKeyFileBytesMax) {
    return Status::Invalid("SIGNING_KEY_FORMAT", path + " is not a head key file");
  }
  if ((st.st_mode & 077) != 0) {
    return Status(Code::kPermissionDenied, "KEY_FILE_PERMISSIONS",
                  "key file " + path + " must be readable by its owner only: run chmod 600 " + path);
  }
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in.good() && !in.eof()) return Status::Io("cannot read " + path);
  const auto j = nlohmann::json::parse(text.str(), nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) return Status::Invalid("SIGNING_KEY_FORMAT", path + " is not JSON");
  auto secret = HexField(j, "secret_key", kSigningSecretKeyBytes);
  if (!secret.ok()) return Status::Invalid("SIGNING_KEY_FORMAT", path + ": " + secret.status().message());
  auto pair = SigningKeyFromSecret(*secret);
  if (!pair.ok()) return Status::Invalid("SIGNING_KEY_FORMAT", path + ": " + pair.status().message());
  return pair;
}

Result<std::vector<SignedHead>> ReadHeadsFile(const std::string& path, std::uint64_t first, std::uint64_t limit) {
  auto file = HeadsFile::Open(path, /*writable=*/false);
  if (!file.ok()) return file.status();
  std::vector<SignedHead> out;
  for (std::uint64_t i = first; i < (*file)->count() && out.size() < limit; ++i) {
    auto head = (*file)->Read(i);
    if (!head.ok()) return head.status();
    out.push_back(std::move(*head));
  }
  return out;
}

// --- Ledger ------------------------------------------------------------------------------

Result<std::optional<SignedHead>> Ledger::LatestHead() const {
  const HeadSigner* heads = impl_->heads();
  if (heads == nullptr) return Status::Unavailable("this ledger signs no heads (no heads file configured)");
  return heads->Latest();
}

Result<LedgerProof> Ledger::Proof(std::uint64_t sequence, std::uint64_t tree_size) const {
  const HeadSigner* heads = impl_->heads();
  if (heads == nullptr) return Status::Unavailable("this ledger signs no heads (no heads file configured)");
  std::optional<SignedHead> head = heads->Latest();
  if (!head) return Status::NotFound("no head has been signed yet: the ledger is empty");
  if (tree_size != 0 && tree_size != head->sequence) {
    auto found = heads->file().Find(tree_size);
    if (!found.ok()) return found.status();
    if (!*found) {
      return Status::NotFound("no signed head covers exactly " + std::to_string(tree_size) +
                              " records: ask for the sequence of a signed head (GET /api/v1/ledger/head)");
    }
    head = std::move(*found);
  }
  if (sequence == 0 || sequence > head->sequence) {
    return Status::Invalid("SEQUENCE_OUT_OF_RANGE", "the signed head covers records 1-" +
                                                        std::to_string(head->sequence) + "; record " +
                                                        std::to_string(sequence) + " is not among them");
  }
  LedgerProof proof;
  MerkleReader reader(*impl_);
  auto root = merkle::Root(head->sequence, reader.fn());
  if (!root.ok()) return root.status();
  if (*root != head->merkle_root) {
    return Status::Corruption("the ledger no longer gives the Merkle root of its signed head at record " +
                              std::to_string(head->sequence) + ": run `foodtrace verify`");
  }
  auto inclusion = merkle::InclusionProof(sequence - 1, head->sequence, reader.fn());
  if (!inclusion.ok()) return inclusion.status();
  auto consistency = merkle::ConsistencyProof(sequence, head->sequence, reader.fn());
  if (!consistency.ok()) return consistency.status();
  auto bytes = impl_->Get(Cf::kLog, LogKey(sequence), reader.snapshot());
  if (!bytes.ok()) return bytes.status();
  v1::LogRecord record;
  if (!*bytes || !record.ParseFromString(**bytes)) {
    return Status::Corruption("log record " + std::to_string(sequence) + " is missing or does not decode");
  }
  // Never hand out a proof that does not verify: a damaged stored subtree shows up here.
  auto old_root = merkle::Root(sequence, reader.fn());
  if (!old_root.ok()) return old_root.status();
  if (!merkle::VerifyInclusion(merkle::LeafHash(record.event()), sequence - 1, head->sequence, *inclusion,
                               head->merkle_root) ||
      !merkle::VerifyConsistency(sequence, head->sequence, *old_root, head->merkle_root, *consistency)) {
    return Status::Corruption("the ledger's Merkle index is damaged (a proof for record " + std::to_string(sequence) +
                              " does not verify); the log is not: restart the server with --rebuild-merkle-index "
                              "to rebuild the index from the log, then run `foodtrace verify`");
  }
  proof.sequence = sequence;
  proof.tree_size = head->sequence;
  proof.event = record.event();
  proof.prev_hash = record.prev_hash();
  proof.chain_hash = record.hash();
  proof.inclusion = std::move(*inclusion);
  proof.consistency = std::move(*consistency);
  proof.head = std::move(*head);
  return proof;
}

}  // namespace foodtrace::ledger
