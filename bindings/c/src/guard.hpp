// SPDX-License-Identifier: MIT
// The one guard every extern "C" body goes through: no exception crosses the C API.
#pragma once

#include <cstring>
#include <new>
#include <stdexcept>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "downline/downline.h"
#include "downline/error.hpp"

namespace downline::capi {

/// An error the C layer raises itself (NULL argument, buffer too small, unknown id, callback).
class status_error : public std::runtime_error {
 public:
  status_error(downline_status status, const std::string& message) : std::runtime_error(message), status_(status) {}
  downline_status status() const noexcept { return status_; }

 private:
  downline_status status_;
};

/// Records the message for downline_last_error_message() and returns `status`.
downline_status fail(downline_status status, const char* message) noexcept;
/// Empties the thread's last error message.
void clear_error() noexcept;

inline downline_status to_status(errc code) noexcept {
  switch (code) {
    case errc::ok: return DOWNLINE_OK;
    case errc::io: return DOWNLINE_ERROR_IO;
    case errc::input: return DOWNLINE_ERROR_INPUT;
    case errc::network: return DOWNLINE_ERROR_NETWORK;
    case errc::plan: return DOWNLINE_ERROR_PLAN;
    case errc::overflow: return DOWNLINE_ERROR_OVERFLOW;
    case errc::usage: return DOWNLINE_ERROR_USAGE;
  }
  return DOWNLINE_ERROR_INTERNAL;
}

/**
 * Runs `body` and turns whatever it throws into a status and a thread-local message.
 *
 *     return guarded([&] { require(out, "out", __func__); ... });
 */
template <class F>
downline_status guarded(F&& body) noexcept {
  clear_error();
  try {
    body();
    return DOWNLINE_OK;
  } catch (const status_error& e) {
    return fail(e.status(), e.what());
  } catch (const downline::error& e) {
    return fail(to_status(e.code()), e.what());
  } catch (const std::bad_alloc&) {
    return fail(DOWNLINE_ERROR_NO_MEMORY, "out of memory");
  } catch (const std::exception& e) {
    return fail(DOWNLINE_ERROR_INTERNAL, e.what());
  } catch (...) {
    return fail(DOWNLINE_ERROR_INTERNAL, "unknown internal error");
  }
}

/// An index check for readers: DOWNLINE_ERROR_USAGE naming the function when out of range.
inline void check_index(std::size_t i, std::size_t size, const char* what, const char* function) {
  if (i >= size)
    throw status_error(DOWNLINE_ERROR_USAGE, fmt::format("{}: {} index out of range ({} {}s) '{}'", function, what,
                                                         size, what, i));
}

/// Throws DOWNLINE_ERROR_USAGE "<function>: argument '<name>' is NULL" when `p` is NULL.
inline void require(const void* p, const char* name, const char* function) {
  if (!p) throw status_error(DOWNLINE_ERROR_USAGE, std::string(function) + ": argument '" + name + "' is NULL");
}

/// Copies `text` and a NUL into buffer[0..size), or reports the size needed.
inline void copy_out(std::string_view text, char* buffer, std::size_t size, std::size_t* needed,
                     const char* function) {
  require(needed, "needed", function);
  *needed = text.size() + 1;
  if (!buffer || size < text.size() + 1) {
    if (buffer && size > 0) buffer[0] = '\0';
    throw status_error(DOWNLINE_ERROR_BUFFER_TOO_SMALL, std::string(function) + ": buffer too small, " +
                                                            std::to_string(text.size() + 1) + " bytes needed '" +
                                                            std::to_string(buffer ? size : 0) + "'");
  }
  std::memcpy(buffer, text.data(), text.size());
  buffer[text.size()] = '\0';
}

}  // namespace downline::capi
