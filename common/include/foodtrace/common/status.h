// Status and Result<T>: expected failures carried as values, never as exceptions.
//
// A Status is ok, or an error with a Code (the broad class a caller branches on), a reason
// (a stable UPPER_SNAKE machine code such as "GTIN_CHECK_DIGIT" that appears on the wire and
// in JSON) and a message a person can act on ("GTIN 6901234567891 has check digit 1, expected
// 2: re-type the code from the package"). Both types are cheap to move and not thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "foodtrace/common/check.h"

namespace foodtrace {

enum class Code : std::uint8_t {
  kOk = 0,
  kInvalidArgument,     // the input is malformed or breaks a rule; fix the input
  kNotFound,            // the named thing does not exist
  kAlreadyExists,       // a different thing already has that identity
  kPermissionDenied,    // authenticated, but not allowed to do this
  kUnauthenticated,     // no or unknown credentials
  kResourceExhausted,   // a named limit was exceeded
  kFailedPrecondition,  // the state does not allow it now (e.g. lot is stopped)
  kUnavailable,         // a peer or service cannot be reached; retrying may help
  kDeadlineExceeded,    // no answer in time; retrying with the same ids is safe
  kIo,                  // the operating system or storage failed
  kCorruption,          // stored data failed its checksum, hash or decode
  kInternal,            // a bug; report it
};

// Returns a stable lower-case name for `code`, e.g. "invalid_argument".
const char* CodeName(Code code);

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Code code, std::string reason, std::string message)
      : code_(code), reason_(std::move(reason)), message_(std::move(message)) {}

  static Status Ok() { return Status(); }
  static Status Invalid(std::string reason, std::string message) {
    return Status(Code::kInvalidArgument, std::move(reason), std::move(message));
  }
  static Status NotFound(std::string message) {
    return Status(Code::kNotFound, "NOT_FOUND", std::move(message));
  }
  static Status Io(std::string message) { return Status(Code::kIo, "IO", std::move(message)); }
  static Status Corruption(std::string message) {
    return Status(Code::kCorruption, "CORRUPTION", std::move(message));
  }
  static Status Internal(std::string message) {
    return Status(Code::kInternal, "INTERNAL", std::move(message));
  }
  static Status Unavailable(std::string message) {
    return Status(Code::kUnavailable, "UNAVAILABLE", std::move(message));
  }
  static Status Exhausted(std::string reason, std::string message) {
    return Status(Code::kResourceExhausted, std::move(reason), std::move(message));
  }
  static Status Denied(std::string reason, std::string message) {
    return Status(Code::kPermissionDenied, std::move(reason), std::move(message));
  }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& reason() const { return reason_; }
  const std::string& message() const { return message_; }
  // "invalid_argument GTIN_CHECK_DIGIT: <message>" or "ok".
  std::string ToString() const;

  // The input field the error is about, as a path in the request's record ("lot.gtin",
  // "quantity"), or "" when it is about no one field. Set by validation; the portal answers it
  // as error.field so a page can point at the input.
  const std::string& field() const { return field_; }
  // Machine-readable facts of the error, in the order added (e.g. {"expected","2"},
  // {"got","1"}): a page words its message from the reason and these, in its own language.
  using Details = std::vector<std::pair<std::string, std::string>>;
  const Details& details() const { return details_; }
  // Builders: `return Status::Invalid(...).WithField("lot.gtin").WithDetail("expected", "2");`
  Status& WithField(std::string field) {
    field_ = std::move(field);
    return *this;
  }
  Status& WithDetail(std::string key, std::string value) {
    details_.emplace_back(std::move(key), std::move(value));
    return *this;
  }

 private:
  Code code_ = Code::kOk;
  std::string reason_;
  std::string message_;
  std::string field_;
  Details details_;
};

// Explicitly ignores a Status. Every call site says why in a comment next to it.
inline void IgnoreStatus(const Status&) {}

// A value or an error. Accessing the value of an error Result is a bug (FT_CHECK).
template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT(google-explicit-constructor)
  Result(Status status) : status_(std::move(status)) {  // NOLINT(google-explicit-constructor)
    FT_CHECK(!status_.ok());
  }

  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }
  T& value() & {
    FT_CHECK(ok());
    return *value_;
  }
  const T& value() const& {
    FT_CHECK(ok());
    return *value_;
  }
  T&& value() && {
    FT_CHECK(ok());
    return std::move(*value_);
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::optional<T> value_;
  Status status_;
};

}  // namespace foodtrace

// Returns early from the enclosing function with the Status of `expr` if it is an error.
#define FT_RETURN_IF_ERROR(expr)                  \
  do {                                            \
    ::foodtrace::Status ft_status_ = (expr);      \
    if (!ft_status_.ok()) return ft_status_;      \
  } while (false)
