#include "ingest/log.h"

#include <cstdio>
#include <mutex>
#include <string>

#include "foodtrace/common/date.h"

namespace foodtrace::ingest {
namespace {

std::mutex& LogMutex() {
  static std::mutex mutex;
  return mutex;
}

void Write(std::string_view level, std::string_view message) {
  std::string line = FormatInstant(NowMillis());
  line += " ingest ";
  line += level;
  line += ' ';
  line += message;
  line += '\n';
  std::lock_guard<std::mutex> lock(LogMutex());
  std::fwrite(line.data(), 1, line.size(), stderr);
  std::fflush(stderr);
}

}  // namespace

void LogInfo(std::string_view message) { Write("INFO", message); }
void LogWarning(std::string_view message) { Write("WARN", message); }
void LogError(std::string_view message) { Write("ERROR", message); }

}  // namespace foodtrace::ingest
