// Route matching and path decoding.
#include "portal/router.h"

#include "foodtrace/common/text.h"
#include "portal/limits.h"

namespace foodtrace::portal {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::vector<std::string> SplitPattern(std::string_view pattern) {
  std::vector<std::string> out;
  std::size_t start = 1;
  while (start <= pattern.size()) {
    std::size_t end = pattern.find('/', start);
    if (end == std::string_view::npos) end = pattern.size();
    if (end > start) out.emplace_back(pattern.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

}  // namespace

Result<std::string> PercentDecode(std::string_view text, bool plus_is_space) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '%') {
      const bool complete = i + 2 < text.size();
      const int hi = complete ? HexValue(text[i + 1]) : -1;
      const int lo = complete ? HexValue(text[i + 2]) : -1;
      if (hi < 0 || lo < 0) {
        return Status::Invalid("BAD_PATH", "a '%' in the URL is not followed by two hex digits");
      }
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

Result<std::vector<std::string>> SplitPath(std::string_view raw_path) {
  if (raw_path.size() > kPathBytesMax) {
    return Status::Exhausted("PATH_TOO_LONG", "the URL path is longer than " +
                                                  std::to_string(kPathBytesMax) + " bytes");
  }
  if (raw_path.empty() || raw_path[0] != '/') {
    return Status::Invalid("BAD_PATH", "the URL path must start with '/'");
  }
  std::vector<std::string> out;
  std::size_t start = 1;
  while (start <= raw_path.size()) {
    std::size_t end = raw_path.find('/', start);
    if (end == std::string_view::npos) end = raw_path.size();
    auto segment = PercentDecode(raw_path.substr(start, end - start), false);
    if (!segment.ok()) return segment.status();
    for (unsigned char c : *segment) {
      if (c < 0x20 || c == 0x7f) return Status::Invalid("BAD_PATH", "the URL path holds a control character");
    }
    if (!IsValidUtf8(*segment)) return Status::Invalid("BAD_PATH", "the URL path is not valid UTF-8");
    if (end == raw_path.size() && segment->empty()) break;  // trailing slash
    out.push_back(std::move(*segment));
    start = end + 1;
  }
  return out;
}

void Router::Add(std::string method, std::string pattern, Access access, Handler handler, BodyKind body) {
  Route r;
  r.method = std::move(method);
  r.segments = SplitPattern(pattern);
  r.pattern = std::move(pattern);
  r.access = access;
  r.body = body;
  r.handler = std::move(handler);
  routes_.push_back(std::move(r));
}

const Route* Router::Match(std::string_view method, const std::vector<std::string>& segments,
                           std::vector<std::string>* params, bool* path_known) const {
  *path_known = false;
  for (const Route& r : routes_) {
    const bool rest = !r.segments.empty() && r.segments.back() == "{*}";
    const std::size_t fixed = rest ? r.segments.size() - 1 : r.segments.size();
    if (rest ? segments.size() < fixed : segments.size() != fixed) continue;
    bool ok = true;
    for (std::size_t i = 0; i < fixed && ok; ++i) {
      ok = r.segments[i] == "{}" ? !segments[i].empty() : r.segments[i] == segments[i];
    }
    if (!ok) continue;
    if (r.method != method && !(method == "HEAD" && r.method == "GET")) {
      *path_known = true;
      continue;
    }
    params->clear();
    for (std::size_t i = 0; i < segments.size(); ++i) {
      if (i >= fixed || r.segments[i] == "{}") params->push_back(segments[i]);
    }
    return &r;
  }
  return nullptr;
}

}  // namespace foodtrace::portal
