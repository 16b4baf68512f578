// SPDX-License-Identifier: MIT
// One error-code enum and one exception root, as in simdjson's error.h.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

#include "downline/base.hpp"

DOWNLINE_BEGIN_NAMESPACE

enum class errc : int {
  ok = 0,
  io = 1,        ///< a file cannot be read or written
  input = 2,     ///< a malformed CSV file or value (sales, state)
  network = 3,   ///< a network that is not a forest, an unknown or duplicate id
  plan = 4,      ///< a plan file that does not follow the schema
  overflow = 5,  ///< a number or sum outside the fixed-point range
  usage = 6,     ///< a call that breaks the API's preconditions
};

/// The root of every exception downline throws. `what()` names the file and line (or JSON
/// path) and the offending value.
class error : public std::runtime_error {
 public:
  error(errc code, const std::string& message) : std::runtime_error(message), code_(code) {}
  errc code() const noexcept { return code_; }

 private:
  errc code_;
};

/// The most bytes of a value that a message shows; a longer value is cut, with its size.
inline constexpr std::size_t quoted_max_bytes = 128;

/**
 * A value as every message shows it: in single quotes, bytes that are not printable (control
 * characters, bytes that are not well-formed UTF-8) as \xNN and a backslash as \\, and a
 * value longer than quoted_max_bytes cut at a character boundary with its full size:
 *
 *     quote_value("A1")               // 'A1'
 *     quote_value("12\0x"sv)          // '12\x00x'
 *     quote_value(std::string(1e8, 'A'))  // 'AAAA…' (100000000 bytes), 128 A's shown
 *
 * O(shown bytes): a huge value costs no more than a short one.
 */
std::string quote_value(std::string_view value);

class input_error : public error {
 public:
  explicit input_error(const std::string& message, errc code = errc::input) : error(code, message) {}
};

class network_error : public error {
 public:
  explicit network_error(const std::string& message) : error(errc::network, message) {}
};

class plan_error : public error {
 public:
  explicit plan_error(const std::string& message) : error(errc::plan, message) {}
};

class overflow_error : public error {
 public:
  explicit overflow_error(const std::string& message) : error(errc::overflow, message) {}
};

DOWNLINE_END_NAMESPACE
