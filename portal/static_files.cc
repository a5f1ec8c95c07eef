// Static files of portal/web/: "/" is index.html; a path can never leave the web directory
// (segments are percent-decoded first, so "%2e%2e" is "..", and ".", "..", backslashes and
// hidden files are refused before the file system is asked; the resolved real path must
// still lie inside the directory, which also stops symlinks out of it).
#include <filesystem>
#include <fstream>
#include <sstream>

#include "portal/server.h"

namespace foodtrace::portal {
namespace {

namespace fs = std::filesystem;

constexpr std::uintmax_t kStaticFileBytesMax = 16 << 20;

const char* ContentType(const std::string& extension) {
  static const std::pair<const char*, const char*> kTypes[] = {
      {".html", "text/html; charset=utf-8"},   {".htm", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"}, {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},     {".json", "application/json"},
      {".svg", "image/svg+xml"},               {".png", "image/png"},
      {".jpg", "image/jpeg"},                  {".jpeg", "image/jpeg"},
      {".webp", "image/webp"},                 {".gif", "image/gif"},
      {".ico", "image/x-icon"},                {".woff2", "font/woff2"},
      {".woff", "font/woff"},                  {".ttf", "font/ttf"},
      {".txt", "text/plain; charset=utf-8"},   {".map", "application/json"},
      {".webmanifest", "application/manifest+json"}, {".wasm", "application/wasm"}};
  for (const auto& [ext, type] : kTypes) {
    if (extension == ext) return type;
  }
  return "application/octet-stream";
}

void NotFound(httplib::Response& res) {
  res.status = 404;
  res.set_content(
      "<!doctype html><meta charset=utf-8><title>404 Not Found</title>"
      "<h1>404 Not Found</h1><p>There is no such page. <a href=\"/\">foodtrace</a></p>\n",
      "text/html; charset=utf-8");
}

bool SafeSegment(const std::string& s) {
  return !s.empty() && s != "." && s != ".." && s[0] != '.' && s.find('\\') == std::string::npos &&
         s.find('/') == std::string::npos && s.find('\0') == std::string::npos;
}

void SendFile(const Context& ctx, const fs::path& candidate, httplib::Response& res) {
  std::error_code ec;
  fs::path real = fs::canonical(candidate, ec);
  if (ec) return NotFound(res);
  if (fs::is_directory(real, ec)) real = fs::canonical(real / "index.html", ec);
  const std::string text = real.string();
  if (ec || text.size() <= ctx.web_dir.size() || text.compare(0, ctx.web_dir.size(), ctx.web_dir) != 0 ||
      text[ctx.web_dir.size()] != '/' || !fs::is_regular_file(real, ec)) {
    return NotFound(res);
  }
  if (fs::file_size(real, ec) > kStaticFileBytesMax || ec) return NotFound(res);
  std::ifstream in(real, std::ios::binary);
  if (!in) return NotFound(res);
  std::ostringstream data;
  data << in.rdbuf();
  res.status = 200;
  res.set_header("Cache-Control", real.extension() == ".html" ? "no-cache" : "public, max-age=300");
  res.set_header("X-Content-Type-Options", "nosniff");
  res.set_content(data.str(), ContentType(real.extension().string()));
}

}  // namespace

void ServeStatic(const Context& ctx, const std::vector<std::string>& segments, httplib::Response& res) {
  fs::path path(ctx.web_dir);
  if (segments.empty()) {
    path /= "index.html";
  } else {
    for (const std::string& s : segments) {
      if (!SafeSegment(s)) return NotFound(res);
      path /= s;
    }
  }
  SendFile(ctx, path, res);
}

void ServeWebFile(const Context& ctx, const std::string& name, httplib::Response& res) {
  SendFile(ctx, fs::path(ctx.web_dir) / name, res);
}

}  // namespace foodtrace::portal
