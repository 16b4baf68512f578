// SPDX-License-Identifier: MIT
#include "downline/decimal.hpp"

#include <algorithm>
#include <cstring>

DOWNLINE_BEGIN_NAMESPACE

const char* describe(parse_status status) noexcept {
  switch (status) {
    case parse_status::ok: return "is fine";
    case parse_status::empty: return "is empty";
    case parse_status::malformed: return "is not a decimal number";
    case parse_status::too_many_decimals: return "has too many decimals";
    case parse_status::overflow: return "is out of range";
  }
  return "is invalid";
}

__int128 pow10_i128(int n) noexcept {
  __int128 p = 1;
  for (int i = 0; i < n; ++i) p *= 10;
  return p;
}

namespace {
// Every digit checked for overflow: numbers of more than 18 digits, and every error.
parse_status parse_decimal_checked(std::string_view text, int decimals, std::int64_t& out,
                                   int* significant) noexcept {
  if (text.empty()) return parse_status::empty;
  std::size_t i = 0;
  bool negative = false;
  if (text[0] == '-' || text[0] == '+') {
    negative = text[0] == '-';
    i = 1;
  }
  // Accumulate the magnitude as a negative number so INT64_MIN parses too.
  constexpr std::int64_t min = std::numeric_limits<std::int64_t>::min();
  std::int64_t acc = 0;
  bool overflow = false;
  int digits = 0;
  auto push = [&](int d) {
    if (acc < min / 10 || acc * 10 < min + d) overflow = true;
    else acc = acc * 10 - d;
  };
  for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i, ++digits) push(text[i] - '0');
  if (digits == 0) return parse_status::malformed;  // ".5": the integer part is required
  int fraction = 0, last_nonzero = 0;
  if (i < text.size() && text[i] == '.') {
    ++i;
    for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
      ++fraction;
      ++digits;
      if (text[i] != '0') last_nonzero = fraction;
      if (fraction <= decimals) push(text[i] - '0');
    }
    if (fraction == 0) return parse_status::malformed;  // "5." is not a number
  }
  if (digits == 0 || i != text.size()) return parse_status::malformed;
  if (last_nonzero > decimals) return parse_status::too_many_decimals;
  for (int k = fraction; k < decimals; ++k) push(0);
  if (overflow) return parse_status::overflow;
  if (!negative) {
    if (acc == min) return parse_status::overflow;
    acc = -acc;
  }
  out = acc;
  if (significant) *significant = last_nonzero;
  return parse_status::ok;
}

bool is_digit(char c) noexcept { return static_cast<unsigned char>(c - '0') < 10; }
}  // namespace

parse_status parse_decimal(std::string_view text, int decimals, std::int64_t& out,
                           int* significant) noexcept {
  // Fast path for well-formed text whose scaled value has at most 18 digits (so it fits in
  // 64 bits without a check per digit); anything else takes the checked path, which also
  // names the problem.
  const char* p = text.data();
  const char* const end = p + text.size();
  const bool negative = p != end && *p == '-';
  if (p != end && (*p == '-' || *p == '+')) ++p;
  // One pass: digits accumulate as they are checked (a value too long to fit is discarded).
  std::uint64_t value = 0;
  const char* const integer = p;
  for (; p != end && is_digit(*p); ++p) value = value * 10 + static_cast<unsigned>(*p - '0');
  const auto integer_digits = static_cast<int>(p - integer);
  int fraction_digits = 0, last_nonzero = 0;
  bool point = false;
  if (p != end && *p == '.') {
    point = true;
    for (++p; p != end && is_digit(*p); ++p) {
      ++fraction_digits;
      if (*p != '0') last_nonzero = fraction_digits;
      if (fraction_digits <= decimals) value = value * 10 + static_cast<unsigned>(*p - '0');
    }
  }
  if (p != end || integer_digits == 0 || (point && fraction_digits == 0) || last_nonzero > decimals ||
      integer_digits + decimals > 18)
    return parse_decimal_checked(text, decimals, out, significant);
  static constexpr std::uint64_t pow10[] = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000,
                                            1000000000, 10000000000, 100000000000, 1000000000000,
                                            10000000000000, 100000000000000, 1000000000000000,
                                            10000000000000000, 100000000000000000};
  value *= pow10[decimals - std::min(fraction_digits, decimals)];  // decimals ≤ 17 here
  const auto magnitude = static_cast<std::int64_t>(value);
  out = negative ? -magnitude : magnitude;
  if (significant) *significant = last_nonzero;
  return parse_status::ok;
}

namespace {
// Digits of |value| in reverse into buf; returns the count.
int reverse_digits(unsigned __int128 magnitude, char* buf) {
  int n = 0;
  if (magnitude <= ~std::uint64_t{0}) {  // 64-bit division is several times faster
    std::uint64_t m = static_cast<std::uint64_t>(magnitude);
    do {
      buf[n++] = static_cast<char>('0' + static_cast<int>(m % 10));
      m /= 10;
    } while (m != 0);
    return n;
  }
  do {
    buf[n++] = static_cast<char>('0' + static_cast<int>(magnitude % 10));
    magnitude /= 10;
  } while (magnitude != 0);
  return n;
}

void append_decimal(std::string& out, __int128 value, int decimals, bool trim) {
  unsigned __int128 magnitude =
      value < 0 ? static_cast<unsigned __int128>(-(value + 1)) + 1 : static_cast<unsigned __int128>(value);
  char digits[80];
  int n = reverse_digits(magnitude, digits);
  while (n <= decimals) digits[n++] = '0';  // at least one integer digit
  int shown = decimals;
  if (trim)
    while (shown > 0 && digits[decimals - shown] == '0') --shown;
  char text[84];  // sign, digits, point; appended at once (writers call this per row)
  int t = 0;
  if (value < 0) text[t++] = '-';
  for (int k = n - 1; k >= decimals; --k) text[t++] = digits[k];
  if (shown > 0) {
    text[t++] = '.';
    for (int k = decimals - 1; k >= decimals - shown; --k) text[t++] = digits[k];
  }
  out.append(text, static_cast<std::size_t>(t));
}
}  // namespace

void append_fixed(std::string& out, __int128 value, int decimals) { append_decimal(out, value, decimals, false); }
void append_trimmed(std::string& out, __int128 value, int decimals) { append_decimal(out, value, decimals, true); }

std::string format_fixed(__int128 value, int decimals) {
  std::string s;
  append_fixed(s, value, decimals);
  return s;
}

std::string format_trimmed(__int128 value, int decimals) {
  std::string s;
  append_trimmed(s, value, decimals);
  return s;
}

DOWNLINE_END_NAMESPACE
