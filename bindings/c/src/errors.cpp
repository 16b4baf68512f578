// SPDX-License-Identifier: MIT
// The thread-local last error, status names, the version and money formatting.
#include <cstring>
#include <string>

#include "downline/base.hpp"
#include "downline/decimal.hpp"
#include "guard.hpp"

namespace downline::capi {

thread_local std::string last_error;

downline_status fail(downline_status status, const char* message) noexcept {
  try {
    last_error = message;
  } catch (...) {
    last_error.clear();  // out of memory while recording: an empty message beats none at all
  }
  return status;
}

void clear_error() noexcept { last_error.clear(); }

}  // namespace downline::capi

using namespace downline::capi;

extern "C" {

const char* downline_version(void) { return DOWNLINE_VERSION_STRING; }

const char* downline_last_error_message(void) { return last_error.c_str(); }

const char* downline_status_name(downline_status status) {
  // Read as an int: a caller may pass any int (the C header promises DOWNLINE_UNKNOWN_STATUS
  // for those), and loading one outside the enum's range as the enum is undefined in C++.
  int code = 0;
  static_assert(sizeof code == sizeof status);
  std::memcpy(&code, &status, sizeof code);
  switch (code) {
    case DOWNLINE_OK: return "DOWNLINE_OK";
    case DOWNLINE_ERROR_IO: return "DOWNLINE_ERROR_IO";
    case DOWNLINE_ERROR_INPUT: return "DOWNLINE_ERROR_INPUT";
    case DOWNLINE_ERROR_NETWORK: return "DOWNLINE_ERROR_NETWORK";
    case DOWNLINE_ERROR_PLAN: return "DOWNLINE_ERROR_PLAN";
    case DOWNLINE_ERROR_OVERFLOW: return "DOWNLINE_ERROR_OVERFLOW";
    case DOWNLINE_ERROR_USAGE: return "DOWNLINE_ERROR_USAGE";
    case DOWNLINE_ERROR_BUFFER_TOO_SMALL: return "DOWNLINE_ERROR_BUFFER_TOO_SMALL";
    case DOWNLINE_ERROR_NOT_FOUND: return "DOWNLINE_ERROR_NOT_FOUND";
    case DOWNLINE_ERROR_NO_MEMORY: return "DOWNLINE_ERROR_NO_MEMORY";
    case DOWNLINE_ERROR_CALLBACK: return "DOWNLINE_ERROR_CALLBACK";
    case DOWNLINE_ERROR_INTERNAL: return "DOWNLINE_ERROR_INTERNAL";
  }
  return "DOWNLINE_UNKNOWN_STATUS";
}

downline_status downline_format_minor(char* buffer, size_t size, size_t* needed, int64_t minor, int decimals) {
  return guarded([&] {
    if (decimals < 0 || decimals > DOWNLINE_EXACT_DECIMALS)
      throw status_error(DOWNLINE_ERROR_USAGE,
                         "downline_format_minor: decimals must be 0..12 '" + std::to_string(decimals) + "'");
    copy_out(downline::format_fixed(minor, decimals), buffer, size, needed, "downline_format_minor");
  });
}

}  // extern "C"
