// CURVE keypairs (libzmq's zmq_curve_keypair / zmq_curve_public) and key files (JSON, 0600).
// File format: see keys.h.
#include "foodtrace/ingest/keys.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zmq.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "ingest/limits.h"

namespace foodtrace::ingest {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kZ85Alphabet =
    "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#";

std::string SystemError(int error_number) { return std::strerror(error_number); }

// Takes string_views so building the arguments cannot disturb errno before it is read.
Status IoError(std::string_view what, std::string_view path, int error_number) {
  return Status::Io(std::string(what) + " " + std::string(path) + ": " +
                    SystemError(error_number));
}

Status FormatError(const std::string& path, const std::string& why) {
  return Status::Invalid("KEY_FILE_FORMAT",
                         "key file " + path + " is not a foodtrace key file: " + why);
}

std::string OctalMode(mode_t mode) {
  std::ostringstream out;
  out << "0" << std::oct << (mode & 0777);
  return out.str();
}

Status WriteAll(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      return Status::Io(SystemError(errno));
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return Status::Ok();
}

Status SyncDirectory(const std::string& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0)
    return IoError("cannot open directory", dir, errno);
  const int rc = ::fsync(fd);
  const int error_number = errno;
  ::close(fd);
  if (rc != 0)
    return IoError("cannot sync directory", dir, error_number);
  return Status::Ok();
}

Result<std::string> ReadSmallFile(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) {
      return Status::NotFound("key file " + path + " does not exist: give the right --key path, " +
                              "or ask the operator for your key file");
    }
    return IoError("cannot read key file", path, errno);
  }
  if (!S_ISREG(st.st_mode))
    return FormatError(path, "it is not a regular file");
  if ((st.st_mode & 077) != 0) {
    return Status(Code::kPermissionDenied, "KEY_FILE_PERMISSIONS",
                  "key file " + path + " has mode " + OctalMode(st.st_mode) +
                      " but must be readable by its owner only: run chmod 600 " + path);
  }
  if (static_cast<std::size_t>(st.st_size) > kKeyFileBytesMax) {
    return FormatError(path, "it is " + std::to_string(st.st_size) + " bytes, more than " +
                                 std::to_string(kKeyFileBytesMax));
  }
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return IoError("cannot open key file", path, errno);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

Result<std::string> StringField(const nlohmann::json& json, const char* name,
                                const std::string& path) {
  const auto it = json.find(name);
  if (it == json.end())
    return FormatError(path, std::string("field \"") + name + "\" is missing");
  if (!it->is_string()) {
    return FormatError(path, std::string("field \"") + name + "\" is not a string");
  }
  return it->get<std::string>();
}

Status CheckKeys(const KeyFile& key, const std::string& path) {
  if (key.party_id.empty())
    return FormatError(path, "party_id is empty");
  if (!IsCurveKeyZ85(key.public_key))
    return FormatError(path, "public_key is not a Z85 key");
  if (!IsCurveKeyZ85(key.secret_key))
    return FormatError(path, "secret_key is not a Z85 key");
  if (!IsCurveKeyZ85(key.server_public_key)) {
    return FormatError(path, "server_public_key is not a Z85 key");
  }
  if (key.server_endpoint.size() > kEndpointBytesMax) {
    return FormatError(
        path, "server_endpoint is longer than " + std::to_string(kEndpointBytesMax) + " bytes");
  }
  auto derived = CurvePublicKey(key.secret_key);
  if (!derived.ok())
    return FormatError(path, derived.status().message());
  if (*derived != key.public_key) {
    return FormatError(path, "public_key does not belong to secret_key");
  }
  return Status::Ok();
}

Result<KeyFile> ParseKeyFile(const std::string& text, const std::string& path) {
  nlohmann::json json = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded())
    return FormatError(path, "it is not valid JSON");
  if (!json.is_object())
    return FormatError(path, "it is not a JSON object");
  KeyFile key;
  struct Field {
    const char* name;
    std::string* out;
  };
  for (const Field& field :
       {Field{"party_id", &key.party_id}, Field{"public_key", &key.public_key},
        Field{"secret_key", &key.secret_key}, Field{"server_public_key", &key.server_public_key},
        Field{"server_endpoint", &key.server_endpoint}}) {
    auto value = StringField(json, field.name, path);
    if (!value.ok())
      return value.status();
    *field.out = std::move(value).value();
  }
  FT_RETURN_IF_ERROR(CheckKeys(key, path));
  return key;
}

std::string TempPath(const std::string& path) {
  static std::atomic<unsigned> counter{0};
  return path + ".tmp." + std::to_string(::getpid()) + "." + std::to_string(counter++);
}

}  // namespace

bool IsCurveKeyZ85(std::string_view key) {
  if (key.size() != kCurveKeyZ85Chars)
    return false;
  for (char c : key) {
    if (kZ85Alphabet.find(c) == std::string_view::npos)
      return false;
  }
  return true;
}

Result<CurveKeyPair> GenerateCurveKeyPair() {
  char public_key[kCurveKeyZ85Chars + 1] = {};
  char secret_key[kCurveKeyZ85Chars + 1] = {};
  if (zmq_curve_keypair(public_key, secret_key) != 0) {
    return Status::Internal("cannot create a CURVE keypair: " + SystemError(zmq_errno()) +
                            " (is libzmq built with CURVE support?)");
  }
  return CurveKeyPair{public_key, secret_key};
}

Result<std::string> CurvePublicKey(std::string_view secret_key_z85) {
  if (!IsCurveKeyZ85(secret_key_z85)) {
    return Status::Invalid("CURVE_KEY_FORMAT", "a CURVE key is 40 characters of Z85");
  }
  const std::string secret(secret_key_z85);
  char public_key[kCurveKeyZ85Chars + 1] = {};
  if (zmq_curve_public(public_key, secret.c_str()) != 0) {
    return Status::Invalid("CURVE_KEY_FORMAT",
                           "cannot derive a public key: " + SystemError(zmq_errno()));
  }
  return std::string(public_key);
}

Result<KeyFile> ReadKeyFile(const std::string& path) {
  auto text = ReadSmallFile(path);
  if (!text.ok())
    return text.status();
  return ParseKeyFile(*text, path);
}

Status WriteKeyFile(const std::string& path, const KeyFile& key) {
  FT_RETURN_IF_ERROR(CheckKeys(key, path));
  const nlohmann::json json = {{"party_id", key.party_id},
                               {"public_key", key.public_key},
                               {"secret_key", key.secret_key},
                               {"server_public_key", key.server_public_key},
                               {"server_endpoint", key.server_endpoint}};
  const std::string text = json.dump(2) + "\n";
  const std::string temp = TempPath(path);
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0)
    return IoError("cannot create key file", temp, errno);
  Status status = WriteAll(fd, text);
  if (status.ok() && ::fchmod(fd, 0600) != 0)
    status = IoError("cannot chmod", temp, errno);
  if (status.ok() && ::fsync(fd) != 0)
    status = IoError("cannot sync", temp, errno);
  if (::close(fd) != 0 && status.ok())
    status = IoError("cannot close", temp, errno);
  if (status.ok() && ::rename(temp.c_str(), path.c_str()) != 0) {
    const int error_number = errno;
    status = IoError("cannot rename " + temp + " to", path, error_number);
  }
  if (!status.ok()) {
    ::unlink(temp.c_str());
    return Status::Io("cannot write key file " + path + ": " + status.message());
  }
  const fs::path parent = fs::path(path).parent_path();
  return SyncDirectory(parent.empty() ? std::string(".") : parent.string());
}

Result<KeyFile> NewPartyKey(std::string_view party_id, std::string_view server_public_key,
                            std::string_view server_endpoint) {
  auto pair = GenerateCurveKeyPair();
  if (!pair.ok())
    return pair.status();
  return KeyFile{std::string(party_id), pair->public_key, pair->secret_key,
                 std::string(server_public_key), std::string(server_endpoint)};
}

Result<ServerKeys> LoadOrCreateServerKeys(const std::string& data_dir, std::string_view endpoint) {
  const std::string dir = (fs::path(data_dir) / "keys").string();
  std::error_code error;
  fs::create_directories(dir, error);
  if (error)
    return Status::Io("cannot create key directory " + dir + ": " + error.message());
  fs::permissions(dir, fs::perms::owner_all, fs::perm_options::replace, error);
  if (error)
    return Status::Io("cannot set mode 0700 on " + dir + ": " + error.message());

  const std::string server_path = dir + "/server.key";
  const std::string operator_path = dir + "/operator.key";
  ServerKeys keys;
  if (!fs::exists(server_path)) {
    if (fs::exists(operator_path)) {
      return Status::Invalid("KEY_FILE_MISMATCH",
                             operator_path + " exists but " + server_path +
                                 " does not: restore server.key from a backup, or move "
                                 "operator.key away to start with new keys");
    }
    auto pair = GenerateCurveKeyPair();
    if (!pair.ok())
      return pair.status();
    keys.server = KeyFile{kServerPartyId, pair->public_key, pair->secret_key, pair->public_key,
                          std::string(endpoint)};
    FT_RETURN_IF_ERROR(WriteKeyFile(server_path, keys.server));
  } else {
    auto server = ReadKeyFile(server_path);
    if (!server.ok())
      return server.status();
    keys.server = std::move(server).value();
  }
  if (!fs::exists(operator_path)) {
    auto op = NewPartyKey(kOperatorPartyId, keys.server.public_key, endpoint);
    if (!op.ok())
      return op.status();
    keys.operator_key = std::move(op).value();
    FT_RETURN_IF_ERROR(WriteKeyFile(operator_path, keys.operator_key));
  } else {
    auto op = ReadKeyFile(operator_path);
    if (!op.ok())
      return op.status();
    keys.operator_key = std::move(op).value();
  }
  if (keys.operator_key.server_public_key != keys.server.public_key) {
    return Status::Invalid(
        "KEY_FILE_MISMATCH",
        operator_path + " names a different server key than " + server_path + " holds");
  }
  return keys;
}

}  // namespace foodtrace::ingest
