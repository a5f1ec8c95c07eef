#include "scanner/kiosk/scan.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "foodtrace/common/text.h"
#include "scanner/limits.h"

namespace foodtrace::scanner::kiosk {
namespace {

// What a hardware scanner's symbology identifier prefix says about typed text.
std::string TypedSymbology(std::string_view text) {
  struct Prefix {
    std::string_view id;
    const char* name;
  };
  static constexpr Prefix kPrefixes[] = {
      {"]E0", "EAN/UPC"}, {"]E4", "EAN-8"},  {"]C1", "GS1-128"},    {"]d2", "GS1 DataMatrix"},
      {"]Q3", "GS1 QR"},  {"]Q1", "QRCode"}, {"]e0", "GS1 DataBar"}};
  for (const Prefix& p : kPrefixes) {
    if (text.substr(0, p.id.size()) == p.id)
      return p.name;
  }
  return "text";
}

// How much a parsed code tells a consumer: a lot, dates and a serial beat a bare GTIN.
int Richness(const Gs1Data& d) {
  return static_cast<int>(d.ais.size()) + 4 * !d.lot.empty() + 4 * !d.expires_on.empty() +
         2 * !d.best_before.empty() + 2 * !d.produced_on.empty() + !d.serial.empty();
}

// POSIX calls rather than a stream, so a file that vanished says so (IMAGE_FILE_GONE).
Result<std::string> ReadImageFile(const std::string& path) {
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) {
      return Status(Code::kNotFound, "IMAGE_FILE_GONE",
                    "'" + path + "' is gone: it was moved or deleted before it could be read");
    }
    return Status::Io("cannot open '" + path + "' for reading: " + std::strerror(errno));
  }
  struct stat info {};
  const bool statted = fstat(fd, &info) == 0;
  if (statted && S_ISDIR(info.st_mode)) {
    close(fd);
    return Status::Invalid("INPUT_IS_DIRECTORY",
                           "'" + path + "' is a directory: give image files or codes");
  }
  // At most one byte more than allowed, so DecodeImage can say the file is too large.
  std::size_t want = kScanImageBytesMax + 1;
  if (statted && S_ISREG(info.st_mode))
    want = std::min(static_cast<std::size_t>(info.st_size), want);
  std::string bytes(want, '\0');
  std::size_t have = 0;
  while (have < want) {
    const ssize_t n = read(fd, bytes.data() + have, want - have);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0) {
      const int saved = errno;
      close(fd);
      return Status::Io("cannot read '" + path + "': " + std::strerror(saved));
    }
    if (n == 0)
      break;
    have += static_cast<std::size_t>(n);
  }
  close(fd);
  bytes.resize(have);
  return bytes;
}

void ScanImage(const std::string& path, const ScanOptions& options, ScanOutcome* out) {
  out->from_image = true;
  Result<std::string> bytes = ReadImageFile(path);
  if (!bytes.ok()) {
    out->error = bytes.status();
    return;
  }
  Result<std::vector<DecodedCode>> codes = DecodeImage(*bytes, options.decode);
  if (!codes.ok()) {
    out->error = codes.status();
    return;
  }
  int best = -1;
  int best_richness = -1;
  Status first_error;
  for (std::size_t i = 0; i < codes->size(); ++i) {
    Result<Gs1Data> data = ParseDecodedCode((*codes)[i], options.parse);
    if (!data.ok()) {
      if (first_error.ok())
        first_error = data.status();
      continue;
    }
    if (Richness(*data) > best_richness) {
      best = static_cast<int>(i);
      best_richness = Richness(*data);
      out->data = std::move(data).value();
    }
  }
  const std::size_t chosen = best >= 0 ? static_cast<std::size_t>(best) : 0;
  out->code = (*codes)[chosen];
  for (std::size_t i = 0; i < codes->size(); ++i) {
    if (i != chosen)
      out->other_codes.push_back((*codes)[i]);
  }
  if (best < 0)
    out->error = first_error;
}

void ScanText(std::string_view text, const ScanOptions& options, ScanOutcome* out) {
  const std::string_view trimmed = TrimAscii(text);
  out->code.symbology = TypedSymbology(trimmed);
  out->code.text = std::string(trimmed);
  Result<Gs1Data> data = ParseCode(text, options.parse);
  if (!data.ok()) {
    out->error = data.status();
    return;
  }
  out->data = std::move(data).value();
}

}  // namespace

ScanOutcome Scan(std::string_view input, const ScanOptions& options) {
  ScanOutcome out;
  out.input = std::string(input);
  std::error_code error;
  const std::filesystem::path path{std::string(input)};
  const bool is_file = !input.empty() && input.size() < 4096 &&
                       input.find('\0') == std::string_view::npos &&
                       std::filesystem::exists(path, error);
  if (is_file) {
    ScanImage(out.input, options, &out);
  } else {
    ScanText(input, options, &out);
  }
  return out;
}

ScanOutcome ScanImageFile(std::string_view path, const ScanOptions& options) {
  ScanOutcome out;
  out.input = std::string(path);
  ScanImage(out.input, options, &out);
  return out;
}

}  // namespace foodtrace::scanner::kiosk
