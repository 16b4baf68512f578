// SPDX-License-Identifier: MIT
// Exact decimal text <-> integer fixed-point. No binary floating point anywhere.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "downline/types.hpp"

DOWNLINE_BEGIN_NAMESPACE

enum class parse_status { ok, empty, malformed, too_many_decimals, overflow };

/// What went wrong, for messages: "is not a decimal number", …
const char* describe(parse_status status) noexcept;

/**
 * Parses `[+-]digits[.digits]` into an integer scaled by 10^decimals:
 * `parse_decimal("-12.5", 2, v)` sets v = -1250. Trailing zeros beyond `decimals` are
 * accepted ("1.230" with 2 decimals), other extra digits are `too_many_decimals`; exponents,
 * spaces and thousands separators are `malformed`. `significant` (optional) receives the
 * number of fractional digits that are not trailing zeros. O(length).
 */
parse_status parse_decimal(std::string_view text, int decimals, std::int64_t& out,
                           int* significant = nullptr) noexcept;

/// `value` / 10^decimals as text with exactly `decimals` fractional digits ("-0.50").
std::string format_fixed(__int128 value, int decimals);

/// `value` / 10^decimals as the shortest exact text: trailing zeros and point removed ("12.5", "3").
std::string format_trimmed(__int128 value, int decimals);

/// Appends format_fixed / format_trimmed output to `out` (no allocation in hot loops).
void append_fixed(std::string& out, __int128 value, int decimals);
void append_trimmed(std::string& out, __int128 value, int decimals);

/// 10^n for 0 <= n <= 38.
__int128 pow10_i128(int n) noexcept;

DOWNLINE_END_NAMESPACE
