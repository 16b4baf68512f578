// SPDX-License-Identifier: MIT
#include "downline/rounding.hpp"

#include <limits>

#include "downline/decimal.hpp"
#include "downline/error.hpp"

DOWNLINE_BEGIN_NAMESPACE

std::string_view to_string(rounding_mode mode) noexcept {
  switch (mode) {
    case rounding_mode::half_even: return "half_even";
    case rounding_mode::half_up: return "half_up";
    case rounding_mode::down: return "down";
    case rounding_mode::up: return "up";
  }
  return "half_even";
}

namespace {
// divide_rounded on 64-bit operands: the same rules, without 128-bit library calls.
std::int64_t divide_rounded_64(std::int64_t numerator, std::int64_t denominator, rounding_mode mode) noexcept {
  std::int64_t q = numerator / denominator, r = numerator % denominator;
  if (r == 0) return q;
  std::int64_t sign = numerator < 0 ? -1 : 1;
  std::int64_t twice = (r < 0 ? -r : r) * 2;  // |r| < denominator ≤ 10^12: no overflow
  switch (mode) {
    case rounding_mode::down: return q;
    case rounding_mode::up: return q + sign;
    case rounding_mode::half_up: return twice >= denominator ? q + sign : q;
    case rounding_mode::half_even:
      if (twice != denominator) return twice > denominator ? q + sign : q;
      return q % 2 == 0 ? q : q + sign;
  }
  return q;
}
}  // namespace

__int128 divide_rounded(__int128 numerator, __int128 denominator, rounding_mode mode) noexcept {
  __int128 q = numerator / denominator;  // truncates toward zero
  __int128 r = numerator % denominator;  // same sign as numerator
  if (r == 0) return q;
  int sign = numerator < 0 ? -1 : 1;
  __int128 twice = (r < 0 ? -r : r) * 2;
  switch (mode) {
    case rounding_mode::down: return q;
    case rounding_mode::up: return q + sign;
    case rounding_mode::half_up:  // half away from zero
      return twice >= denominator ? q + sign : q;
    case rounding_mode::half_even:
      if (twice > denominator) return q + sign;
      if (twice < denominator) return q;
      return (q % 2 == 0) ? q : q + sign;
  }
  return q;
}

minor_t round_to_minor(exact_t exact, int money_decimals, rounding_mode mode) {
  if (exact == 0) return 0;
  constexpr std::int64_t fits = std::int64_t{1} << 62;
  if (exact > -fits && exact < fits) {  // the common case, without 128-bit division
    static constexpr std::int64_t powers[] = {1'000'000'000'000, 100'000'000'000, 10'000'000'000, 1'000'000'000,
                                              100'000'000, 10'000'000, 1'000'000};
    return static_cast<minor_t>(
        divide_rounded_64(static_cast<std::int64_t>(exact), powers[money_decimals], mode));
  }
  __int128 v = divide_rounded(exact, pow10_i128(exact_decimals - money_decimals), mode);
  if (v > std::numeric_limits<minor_t>::max() || v < std::numeric_limits<minor_t>::min())
    throw overflow_error("a payout of " + format_trimmed(exact, exact_decimals) + " does not fit 64 bits");
  return static_cast<minor_t>(v);
}

exact_t minor_to_exact(minor_t minor, int money_decimals) noexcept {
  return static_cast<exact_t>(minor) * pow10_i128(exact_decimals - money_decimals);
}

DOWNLINE_END_NAMESPACE
