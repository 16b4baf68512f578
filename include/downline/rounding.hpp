// SPDX-License-Identifier: MIT
// The plan's rounding rule, applied once per (member, bonus) amount (SPEC §6).
#pragma once

#include <string_view>

#include "downline/types.hpp"

DOWNLINE_BEGIN_NAMESPACE

enum class rounding_mode { half_even, half_up, down, up };

/// "half_even", "half_up", "down" (toward zero), "up" (away from zero).
std::string_view to_string(rounding_mode mode) noexcept;

/// numerator / denominator rounded to an integer by `mode`; denominator > 0.
__int128 divide_rounded(__int128 numerator, __int128 denominator, rounding_mode mode) noexcept;

/// An exact amount (10^-12 units) rounded to minor units of `money_decimals` (0..6).
/// Throws overflow_error when the result does not fit 64 bits.
minor_t round_to_minor(exact_t exact, int money_decimals, rounding_mode mode);

/// A minor-unit amount as an exact amount.
exact_t minor_to_exact(minor_t minor, int money_decimals) noexcept;

DOWNLINE_END_NAMESPACE
