#include "core/error.h"

namespace kefu {

std::string_view ErrorCodeName(ErrorCode code) {
  switch (code) {
    case ErrorCode::kValidation: return "validation_failed";
    case ErrorCode::kNotFound: return "not_found";
    case ErrorCode::kConflict: return "conflict";
    case ErrorCode::kInvalidTransition: return "invalid_transition";
    case ErrorCode::kUnauthenticated: return "unauthenticated";
    case ErrorCode::kInvalidCredentials: return "invalid_credentials";
    case ErrorCode::kForbidden: return "forbidden";
    case ErrorCode::kPayloadTooLarge: return "payload_too_large";
    case ErrorCode::kRateLimited: return "rate_limited";
    case ErrorCode::kUnavailable: return "unavailable";
    case ErrorCode::kInternal: return "internal";
  }
  return "internal";
}

}  // namespace kefu
