// A tiny logger for ingest: one readable line per call on stderr,
//   2026-11-22T02:52:37.120Z ingest WARN refused CURVE key … from 127.0.0.1
// Lines are written whole (one write under a mutex), so threads never interleave. Thread-safe.
// (spdlog would add a dependency for three functions; this is all ingest needs.)
#pragma once

#include <string_view>

namespace foodtrace::ingest {

void LogInfo(std::string_view message);
void LogWarning(std::string_view message);
void LogError(std::string_view message);

}  // namespace foodtrace::ingest
