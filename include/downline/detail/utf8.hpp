// SPDX-License-Identifier: MIT
// UTF-8 checks for text that comes from files: ids, order ids, names, notes (SPEC §2).
#pragma once

#include <cstddef>
#include <string_view>

#include "downline/base.hpp"

DOWNLINE_BEGIN_NAMESPACE
namespace detail {

/// The length (1–4) of the well-formed UTF-8 character starting at text[i], or 0 when the
/// bytes there are not one (a stray continuation byte, an overlong form, a surrogate, a code
/// point above U+10FFFF, or a sequence cut short).
inline std::size_t utf8_char_length(std::string_view text, std::size_t i) noexcept {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char b = byte(i);
  if (b < 0x80) return 1;
  std::size_t n = 0;
  unsigned char low = 0x80, high = 0xBF;  // the allowed range of the second byte
  if (b >= 0xC2 && b <= 0xDF) n = 2;
  else if (b >= 0xE0 && b <= 0xEF) n = 3, low = b == 0xE0 ? 0xA0 : 0x80, high = b == 0xED ? 0x9F : 0xBF;
  else if (b >= 0xF0 && b <= 0xF4) n = 4, low = b == 0xF0 ? 0x90 : 0x80, high = b == 0xF4 ? 0x8F : 0xBF;
  else return 0;
  if (text.size() - i < n) return 0;
  if (byte(i + 1) < low || byte(i + 1) > high) return 0;
  for (std::size_t k = 2; k < n; ++k)
    if (byte(i + k) < 0x80 || byte(i + k) > 0xBF) return 0;
  return n;
}

/// True when `text` is well-formed UTF-8 without a NUL byte: what an id, order id, name or
/// note may hold. O(bytes); pure ASCII takes the fast path.
inline bool is_clean_text(std::string_view text) noexcept {
  for (std::size_t i = 0; i < text.size();) {
    const auto b = static_cast<unsigned char>(text[i]);
    if (b == 0) return false;
    if (b < 0x80) {
      ++i;
      continue;
    }
    const std::size_t n = utf8_char_length(text, i);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

}  // namespace detail
DOWNLINE_END_NAMESPACE
