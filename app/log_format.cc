// `--log-format json` (app.h JsonLogs): every line the process writes to stderr — from any
// component — becomes one JSON object per line, written by spdlog with a UTC timestamp:
//   {"ts":"2026-12-05T02:03:04.567Z","level":"info","msg":"foodtrace serve: ledger …"}
// The level is read from the line ("error"/"failed"/"refus…" → error, "warning" → warn), since
// the components log plain sentences. stderr is replaced by a pipe whose reader thread does this.
#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/base_sink.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <mutex>
#include <nlohmann/json.hpp>

#include "app/app.h"

namespace foodtrace::app {
namespace {

constexpr std::size_t kLogLineBytesMax = 64 << 10;  // a longer line is split

// Writes formatted lines to a file descriptor with write(2): works for a terminal, a file, a
// pipe and journald's socket alike.
class FdSink final : public spdlog::sinks::base_sink<std::mutex> {
 public:
  explicit FdSink(int fd) : fd_(fd) {}

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    spdlog::memory_buf_t out;
    formatter_->format(msg, out);
    for (std::size_t done = 0; done < out.size();) {
      const ssize_t n = ::write(fd_, out.data() + done, out.size() - done);
      if (n <= 0) return;  // nowhere left to report it
      done += static_cast<std::size_t>(n);
    }
  }
  void flush_() override {}

 private:
  int fd_;
};

spdlog::level::level_enum LevelOf(const std::string& line) {
  std::string lower(line);
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  for (const char* word : {"error", "failed", "refus", "cannot", "corrupt"}) {
    if (lower.find(word) != std::string::npos) return spdlog::level::err;
  }
  if (lower.find("warning") != std::string::npos) return spdlog::level::warn;
  return spdlog::level::info;
}

}  // namespace

Result<std::unique_ptr<JsonLogs>> JsonLogs::Start() {
  int fds[2];
  if (::pipe(fds) != 0) return Status::Io("cannot create the log pipe");
  const int original = ::dup(STDERR_FILENO);
  if (original < 0 || ::dup2(fds[1], STDERR_FILENO) < 0) return Status::Io("cannot redirect stderr for JSON logs");
  ::close(fds[1]);
  std::setvbuf(stderr, nullptr, _IOLBF, 0);
  auto logs = std::unique_ptr<JsonLogs>(new JsonLogs());
  logs->original_fd_ = original;
  logs->pipe_fd_ = fds[0];
  auto sink = std::make_shared<FdSink>(original);
  sink->set_formatter(std::make_unique<spdlog::pattern_formatter>(
      R"({"ts":"%Y-%m-%dT%H:%M:%S.%eZ","level":"%l","msg":%v})", spdlog::pattern_time_type::utc));
  auto logger = std::make_shared<spdlog::logger>("foodtrace", sink);
  logger->set_level(spdlog::level::trace);
  logs->reader_ = std::thread([logger, fd = fds[0]] {
    std::string pending;
    char buf[4096];
    for (ssize_t n; (n = ::read(fd, buf, sizeof buf)) > 0;) {
      pending.append(buf, static_cast<std::size_t>(n));
      for (std::size_t end; (end = pending.find('\n')) != std::string::npos || pending.size() > kLogLineBytesMax;) {
        const std::size_t len = end == std::string::npos ? kLogLineBytesMax : end;
        const std::string line = pending.substr(0, len);
        pending.erase(0, end == std::string::npos ? len : len + 1);
        if (!line.empty()) logger->log(LevelOf(line), nlohmann::json(line).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
      }
    }
    if (!pending.empty()) logger->log(LevelOf(pending), nlohmann::json(pending).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  });
  return logs;
}

JsonLogs::~JsonLogs() {
  std::fflush(stderr);
  ::dup2(original_fd_, STDERR_FILENO);  // closes the pipe's last writer: the reader drains and ends
  if (reader_.joinable()) reader_.join();
  ::close(pipe_fd_);
  ::close(original_fd_);
}

}  // namespace foodtrace::app
