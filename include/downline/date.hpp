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

/**
 * A commission period (SPEC §7.1): a calendar month `YYYY-MM`, an ISO 8601 week `YYYY-Www`
 * (Monday to Sunday, numbered by the ISO year) or an inclusive range
 * `YYYY-MM-DD..YYYY-MM-DD`; the days [first, end) and the text it was given as.
 */
struct commission_period {
  date_t first_day = 0;
  date_t end_day = 0;  ///< the day after the last
  std::string text;    ///< as written: "2026-03", "2026-W05", "2026-01-01..2026-01-15"

  date_t first() const noexcept { return first_day; }
  /// The day after the period's last day.
  date_t end() const noexcept { return end_day; }
  bool contains(date_t d) const noexcept { return d >= first_day && d < end_day; }
  const std::string& to_string() const noexcept { return text; }
};

/// Parses exactly one of the three forms with real dates (W53 only in ISO years that have
/// it; a range's start on or before its end); nullopt otherwise.
std::optional<commission_period> parse_period(std::string_view text);

/// The first day (a Monday) of ISO week `week` of ISO year `year`; weeks 1..52 or 53.
date_t iso_week_monday(int year, int week) noexcept;
/// The number of ISO weeks (52 or 53) in ISO year `year`.
int iso_weeks_in_year(int year) noexcept;

DOWNLINE_END_NAMESPACE
