// SPDX-License-Identifier: MIT
#include "downline/date.hpp"

#include <fmt/format.h>

DOWNLINE_BEGIN_NAMESPACE

date_t days_from_civil(int year, unsigned month, unsigned day) noexcept {
  year -= month <= 2;
  const int era = (year >= 0 ? year : year - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(year - era * 400);
  const unsigned doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int>(doe) - 719468;
}

namespace {
bool digits(std::string_view s) noexcept {
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}
int number(std::string_view s) noexcept {
  int v = 0;
  for (char c : s) v = v * 10 + (c - '0');
  return v;
}
unsigned days_in_month(int year, unsigned month) noexcept {
  static constexpr unsigned days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : days[month - 1];
}
}  // namespace

std::optional<date_t> parse_date(std::string_view t) noexcept {
  if (t.size() != 10 || t[4] != '-' || t[7] != '-') return std::nullopt;
  auto y = t.substr(0, 4), m = t.substr(5, 2), d = t.substr(8, 2);
  if (!digits(y) || !digits(m) || !digits(d)) return std::nullopt;
  int year = number(y);
  unsigned month = static_cast<unsigned>(number(m)), day = static_cast<unsigned>(number(d));
  if (month < 1 || month > 12 || day < 1 || day > days_in_month(year, month)) return std::nullopt;
  return days_from_civil(year, month, day);
}

std::string format_date(date_t z) {
  // Hinnant's civil_from_days.
  z += 719468;
  const int era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int y = static_cast<int>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return fmt::format("{:04}-{:02}-{:02}", y + (m <= 2), m, d);
}

date_t iso_week_monday(int year, int week) noexcept {
  // January 4th is always in week 1; its Monday starts the ISO year. 1970-01-01 was a Thursday.
  const date_t jan4 = days_from_civil(year, 1, 4);
  const int weekday = ((jan4 + 3) % 7 + 7) % 7;  // 0 = Monday
  return jan4 - weekday + 7 * (week - 1);
}

int iso_weeks_in_year(int year) noexcept {
  return (iso_week_monday(year + 1, 1) - iso_week_monday(year, 1)) / 7;
}

namespace {
std::optional<commission_period> parse_month(std::string_view t) {
  if (t.size() != 7 || t[4] != '-' || !digits(t.substr(0, 4)) || !digits(t.substr(5, 2))) return std::nullopt;
  const int year = number(t.substr(0, 4)), month = number(t.substr(5, 2));
  if (month < 1 || month > 12) return std::nullopt;
  const date_t end = month == 12 ? days_from_civil(year + 1, 1, 1) : days_from_civil(year, static_cast<unsigned>(month + 1), 1);
  return commission_period{days_from_civil(year, static_cast<unsigned>(month), 1), end, std::string(t)};
}

std::optional<commission_period> parse_week(std::string_view t) {
  if (t.size() != 8 || t[4] != '-' || t[5] != 'W' || !digits(t.substr(0, 4)) || !digits(t.substr(6, 2)))
    return std::nullopt;
  const int year = number(t.substr(0, 4)), week = number(t.substr(6, 2));
  if (week < 1 || week > iso_weeks_in_year(year)) return std::nullopt;
  const date_t monday = iso_week_monday(year, week);
  return commission_period{monday, monday + 7, std::string(t)};
}

std::optional<commission_period> parse_range(std::string_view t) {
  if (t.size() != 22 || t.substr(10, 2) != "..") return std::nullopt;
  const auto first = parse_date(t.substr(0, 10)), last = parse_date(t.substr(12));
  if (!first || !last || *last < *first) return std::nullopt;
  return commission_period{*first, *last + 1, std::string(t)};
}
}  // namespace

std::optional<commission_period> parse_period(std::string_view t) {
  if (auto p = parse_month(t)) return p;
  if (auto p = parse_week(t)) return p;
  return parse_range(t);
}

DOWNLINE_END_NAMESPACE
