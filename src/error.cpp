// SPDX-License-Identifier: MIT
#include "downline/error.hpp"

#include <fmt/format.h>

#include "downline/detail/utf8.hpp"

DOWNLINE_BEGIN_NAMESPACE

namespace {
/// Appends text[i, i + n) escaped: printable ASCII and well-formed UTF-8 characters as they
/// are (except C1 controls), everything else byte by byte as \xNN.
void append_escaped(std::string& out, std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    const auto b = static_cast<unsigned char>(text[i]);
    if (b == '\\') {
      out += "\\\\";
      ++i;
      continue;
    }
    if (b >= 0x20 && b < 0x7F) {
      out += static_cast<char>(b);
      ++i;
      continue;
    }
    const std::size_t n = b < 0x80 ? 0 : detail::utf8_char_length(text, i);
    const bool c1_control = n == 2 && b == 0xC2 && static_cast<unsigned char>(text[i + 1]) < 0xA0;
    if (n > 1 && !c1_control) {
      out.append(text.substr(i, n));
      i += n;
      continue;
    }
    fmt::format_to(std::back_inserter(out), "\\x{:02X}", b);
    ++i;
  }
}

/// The longest prefix of at most `max` bytes that does not end inside a UTF-8 character.
std::string_view cut(std::string_view text, std::size_t max) {
  std::size_t end = max;
  // Back up over continuation bytes, at most three, to the start of the character cut.
  for (int k = 0; k < 3 && end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80; ++k) --end;
  if ((static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) end = max;  // not UTF-8 there: a plain cut
  return text.substr(0, end);
}
}  // namespace

std::string quote_value(std::string_view value) {
  const bool long_value = value.size() > quoted_max_bytes;
  const std::string_view shown = long_value ? cut(value, quoted_max_bytes) : value;
  std::string out;
  out.reserve(shown.size() + 24);
  out += '\'';
  append_escaped(out, shown);
  if (long_value) fmt::format_to(std::back_inserter(out), "\u2026' ({} bytes)", value.size());
  else out += '\'';
  return out;
}

DOWNLINE_END_NAMESPACE
