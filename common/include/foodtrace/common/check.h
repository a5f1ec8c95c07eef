// FT_CHECK: an always-on assertion for bugs (never for untrusted input). On failure it logs
// file:line and the condition to stderr and aborts, in every build type.
#pragma once

namespace foodtrace::internal {
[[noreturn]] void CheckFailed(const char* file, int line, const char* condition);
}  // namespace foodtrace::internal

#define FT_CHECK(cond)                                                 \
  do {                                                                 \
    if (!(cond)) ::foodtrace::internal::CheckFailed(__FILE__, __LINE__, #cond); \
  } while (false)
