// SPDX-License-Identifier: MIT
// Member indices and the exact fixed-point types for money, volume and rates.
#pragma once

#include <cstdint>
#include <limits>

#include "downline/base.hpp"

DOWNLINE_BEGIN_NAMESPACE

/// Dense member index: the member's position in the DFS preorder of the sponsor forest.
using member_index = std::uint32_t;
/// "No member": the parent of a root, an absent upline.
inline constexpr member_index none = std::numeric_limits<member_index>::max();

/// Ledger money in millionths of the currency unit, whatever the plan's money_decimals
/// (so a ledger can be loaded before the plan; the plan's precision is checked at run time).
using amount_t = std::int64_t;
inline constexpr std::int64_t amount_scale = 1'000'000;
inline constexpr int amount_decimals = 6;

/// Volume (PV/BV points) in ten-thousandths of a point.
using volume_t = std::int64_t;
inline constexpr std::int64_t volume_scale = 10'000;
inline constexpr int volume_decimals = 4;

/// A bonus base (amount or volume) in millionths: amounts as they are, volume times 100.
using base_t = std::int64_t;
inline constexpr int base_decimals = 6;

/// A rate in millionths of one: 100% is 1'000'000, "12.5%" is 125'000.
using rate_t = std::int64_t;
inline constexpr std::int64_t rate_scale = 1'000'000;
inline constexpr int rate_decimals = 6;
inline constexpr rate_t rate_one = rate_scale;

/// An exact, unrounded money amount in 10^-12 of the currency unit: rate_t × base_t.
using exact_t = __int128;
inline constexpr int exact_decimals = 12;

/// Money rounded to the plan's money_decimals, in minor units (cents for 2).
using minor_t = std::int64_t;

/// A calendar date as days since 1970-01-01; `no_date` when absent.
using date_t = std::int32_t;
inline constexpr date_t no_date = std::numeric_limits<date_t>::min();

DOWNLINE_END_NAMESPACE
