// SPDX-License-Identifier: MIT
// ISO dates (YYYY-MM-DD) as day numbers, and the YYYY-MM commission period.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "downline/types.hpp"

DOWNLINE_BEGIN_NAMESPACE

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).
date_t days_from_civil(int year, unsigned month, unsigned day) noexcept;

/// Parses exactly `YYYY-MM-DD` with a real day of that month; nullopt otherwise.
std::optional<date_t> parse_date(std::string_view text) noexcept;

/// `YYYY-MM-DD`.
std::string format_date(date_t date);

/// A commission period: one calendar month, [first, last] day numbers.
struct period_month {
  int year = 0;
  int month = 0;
  date_t first() const noexcept { return days_from_civil(year, static_cast<unsigned>(month), 1); }
  /// The first day of the next month.
  date_t end() const noexcept {
    return month == 12 ? days_from_civil(year + 1, 1, 1) : days_from_civil(year, static_cast<unsigned>(month + 1), 1);
  }
  bool contains(date_t d) const noexcept { return d >= first() && d < end(); }
  std::string to_string() const;
};

/// Parses exactly `YYYY-MM`; nullopt otherwise.
std::optional<period_month> parse_period(std::string_view text) noexcept;

DOWNLINE_END_NAMESPACE
