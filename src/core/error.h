// Error values for kefu: every expected failure is an Error, returned through
// Result<T> (std::expected). Each code maps to one HTTP status in exactly one
// place (api::StatusOf in api/context.cpp); the domain never thinks in HTTP.
#pragma once

#include <expected>
#include <string>
#include <string_view>

namespace kefu {

enum class ErrorCode {
  kValidation,        // input is malformed or violates a rule; don't retry as-is
  kNotFound,          // the addressed record does not exist (or is not visible)
  kConflict,          // the record exists / changed concurrently / state forbids it
  kInvalidTransition, // the complaint's state does not allow this change
  kUnauthenticated,   // no valid credentials
  kInvalidCredentials,// username or password wrong
  kForbidden,         // authenticated, but the role lacks the permission
  kPayloadTooLarge,   // request body over the limit
  kRateLimited,       // throttled; retry after a delay
  kUnavailable,       // temporarily unable (shutting down, store busy); retry
  kInternal,          // a bug or an environment failure
};

// The wire name of a code, e.g. "validation_failed".
std::string_view ErrorCodeName(ErrorCode code);

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;
  std::string field;  // for validation errors: the offending input field
  int retry_after_seconds = 0;  // for kRateLimited / kUnavailable

  static Error Validation(std::string field, std::string message) {
    return {ErrorCode::kValidation, std::move(message), std::move(field)};
  }
  static Error NotFound(std::string message) { return {ErrorCode::kNotFound, std::move(message), {}}; }
  static Error Conflict(std::string message, std::string field = {}) {
    return {ErrorCode::kConflict, std::move(message), std::move(field)};
  }
  static Error Forbidden(std::string message) { return {ErrorCode::kForbidden, std::move(message), {}}; }
  static Error Internal(std::string message) { return {ErrorCode::kInternal, std::move(message), {}}; }
};

template <typename T>
using Result = std::expected<T, Error>;

using Status = std::expected<void, Error>;

inline std::unexpected<Error> Fail(Error e) { return std::unexpected<Error>(std::move(e)); }

}  // namespace kefu

// Propagation helpers for functions returning Result/Status.
#define KEFU_CONCAT_INNER_(a, b) a##b
#define KEFU_CONCAT_(a, b) KEFU_CONCAT_INNER_(a, b)
#define KEFU_TRY(expr)                                                  \
  do {                                                                  \
    auto&& kefu_try_result_ = (expr);                                   \
    if (!kefu_try_result_) return ::kefu::Fail(kefu_try_result_.error()); \
  } while (0)
#define KEFU_ASSIGN_IMPL_(tmp, lhs, expr)               \
  auto tmp = (expr);                                    \
  if (!tmp) return ::kefu::Fail(std::move(tmp.error())); \
  lhs = std::move(*tmp)
#define KEFU_ASSIGN(lhs, expr) KEFU_ASSIGN_IMPL_(KEFU_CONCAT_(kefu_assign_, __LINE__), lhs, expr)
