// SPDX-License-Identifier: MIT
// date.hpp: ISO dates as day numbers and the YYYY-MM period (SPEC §2, §7).
#include "downline/date.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <cstdio>
#include <string>

using namespace downline;

namespace {
date_t must_parse(std::string_view text) {
  auto d = parse_date(text);
  INFO("date '" << std::string(text) << "'");
  REQUIRE(d.has_value());
  return *d;
}

bool leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }
unsigned month_days(int y, unsigned m) {
  static const unsigned days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && leap(y) ? 29 : days[m - 1];
}
std::string iso(int y, unsigned m, unsigned d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", y, m, d);
  return buf;
}
}  // namespace

TEST_CASE("parse_date: known day numbers", "[date]") {
  // Day numbers from Python's datetime.date(...) - date(1970, 1, 1).
  CHECK(must_parse("1970-01-01") == 0);
  CHECK(must_parse("1969-12-31") == -1);
  CHECK(must_parse("2000-02-29") == 11016);
  CHECK(must_parse("2000-03-01") == 11017);
  CHECK(must_parse("2024-02-29") == 19782);
  CHECK(must_parse("1900-03-01") == -25508);
  CHECK(must_parse("2026-01-01") == 20454);
  CHECK(must_parse("2026-03-01") == 20513);
  CHECK(must_parse("0001-01-01") == -719162);
  CHECK(must_parse("9999-12-31") == 2932896);
  CHECK(days_from_civil(2026, 3, 1) == 20513);
  CHECK(days_from_civil(1970, 1, 1) == 0);
}

TEST_CASE("parse_date: leap years and month lengths", "[date]") {
  CHECK(parse_date("2024-02-29").has_value());
  CHECK(parse_date("2000-02-29").has_value());
  CHECK(parse_date("1600-02-29").has_value());
  CHECK_FALSE(parse_date("2023-02-29").has_value());
  CHECK_FALSE(parse_date("1900-02-29").has_value());
  CHECK_FALSE(parse_date("2100-02-29").has_value());
  CHECK_FALSE(parse_date("2024-02-30").has_value());
  CHECK_FALSE(parse_date("2024-04-31").has_value());
  CHECK_FALSE(parse_date("2024-06-31").has_value());
  CHECK_FALSE(parse_date("2024-09-31").has_value());
  CHECK_FALSE(parse_date("2024-11-31").has_value());
  CHECK(parse_date("2024-12-31").has_value());
  CHECK(parse_date("2024-01-31").has_value());
  CHECK(parse_date("2024-07-31").has_value());
  CHECK(parse_date("2024-08-31").has_value());
}

TEST_CASE("parse_date: malformed text", "[date]") {
  for (const char* bad : {"", "2024-13-01", "2024-00-10", "2024-01-00", "2024-01-32", "2024-1-01", "2024-01-1",
                          "24-01-01", "2024/01/01", "20240101", " 2024-01-01", "2024-01-01 ", "2024-01-01T00:00",
                          "2024-01-3a", "+024-01-01", "-024-01-01", "2024-+1-01", "2024--1-01", "abcd-ef-gh",
                          "2024-01-01\n", "2024_01_01"}) {
    INFO("date '" << bad << "'");
    CHECK_FALSE(parse_date(bad).has_value());
  }
}

TEST_CASE("format_date / parse_date round trip over every day of 1896..2104", "[date]") {
  // Walk the calendar with an independent month-length table and compare text and numbers.
  date_t expected = must_parse("1896-01-01");
  for (int y = 1896; y <= 2104; ++y)
    for (unsigned m = 1; m <= 12; ++m)
      for (unsigned d = 1; d <= month_days(y, m); ++d) {
        const std::string text = iso(y, m, d);
        INFO(text);
        REQUIRE(format_date(expected) == text);
        REQUIRE(parse_date(text) == expected);
        REQUIRE(days_from_civil(y, m, d) == expected);
        ++expected;
      }
}

TEST_CASE("parse_period: calendar months", "[date]") {
  auto p = parse_period("2026-03");
  REQUIRE(p.has_value());
  CHECK(p->to_string() == "2026-03");
  CHECK(p->first() == must_parse("2026-03-01"));
  CHECK(p->end() == must_parse("2026-04-01"));
  CHECK(p->contains(must_parse("2026-03-01")));
  CHECK(p->contains(must_parse("2026-03-31")));
  CHECK_FALSE(p->contains(must_parse("2026-02-28")));
  CHECK_FALSE(p->contains(must_parse("2026-04-01")));
  CHECK_FALSE(p->contains(no_date));

  SECTION("December ends at the next year's January") {
    auto dec = parse_period("2025-12");
    REQUIRE(dec.has_value());
    CHECK(dec->first() == must_parse("2025-12-01"));
    CHECK(dec->end() == must_parse("2026-01-01"));
    CHECK(dec->contains(must_parse("2025-12-31")));
    CHECK_FALSE(dec->contains(must_parse("2026-01-01")));
    CHECK_FALSE(dec->contains(must_parse("2025-11-30")));
    CHECK(dec->to_string() == "2025-12");
  }
  SECTION("January") {
    auto jan = parse_period("2026-01");
    REQUIRE(jan.has_value());
    CHECK(jan->contains(must_parse("2026-01-01")));
    CHECK_FALSE(jan->contains(must_parse("2025-12-31")));
    CHECK(jan->end() - jan->first() == 31);
  }
  SECTION("February of leap and common years") {
    auto feb24 = parse_period("2024-02");
    auto feb23 = parse_period("2023-02");
    REQUIRE(feb24.has_value());
    REQUIRE(feb23.has_value());
    CHECK(feb24->end() - feb24->first() == 29);
    CHECK(feb23->end() - feb23->first() == 28);
    CHECK(feb24->contains(must_parse("2024-02-29")));
    CHECK_FALSE(feb23->contains(must_parse("2023-03-01")));
  }
  SECTION("every month's length matches the calendar") {
    for (int y : {1900, 2000, 2023, 2024})
      for (int m = 1; m <= 12; ++m) {
        auto pm = parse_period(fmt::format("{:04}-{:02}", y, m));
        REQUIRE(pm.has_value());
        CHECK(static_cast<unsigned>(pm->end() - pm->first()) == month_days(y, static_cast<unsigned>(m)));
      }
  }
  SECTION("malformed periods") {
    for (const char* bad : {"", "2026-13", "2026-00", "2026-3", "2026/03", "2026-03-01", "202603", " 2026-03",
                            "2026-03 ", "20a6-03", "2026-0x", "2026-W54", "2025-W53", "2026-W00", "2026-w05",
                            "2026-W5", "2026-02-30..2026-03-01", "2026-03-02..2026-03-01", "2026-03-01..",
                            "2026-03-01...2026-03-02", "2026-03-01 .. 2026-03-02"}) {
      INFO("period '" << bad << "'");
      CHECK_FALSE(parse_period(bad).has_value());
    }
  }
}

TEST_CASE("parse_period: ISO weeks", "[date]") {
  SECTION("2026-W01 starts in December 2025 (weeks follow the ISO year)") {
    auto w = parse_period("2026-W01");
    REQUIRE(w.has_value());
    CHECK(w->first() == must_parse("2025-12-29"));
    CHECK(w->end() == must_parse("2026-01-05"));
    CHECK(w->to_string() == "2026-W01");
  }
  SECTION("2026 has 53 weeks; W53 ends on 2027-01-03") {
    auto w = parse_period("2026-W53");
    REQUIRE(w.has_value());
    CHECK(w->first() == must_parse("2026-12-28"));
    CHECK(w->end() == must_parse("2027-01-04"));
    CHECK(iso_weeks_in_year(2026) == 53);
  }
  SECTION("2025 has 52 weeks") {
    CHECK(iso_weeks_in_year(2025) == 52);
    CHECK_FALSE(parse_period("2025-W53").has_value());
    CHECK(parse_period("2025-W52")->end() == must_parse("2025-12-29"));
  }
  SECTION("every week starts on a Monday, and weeks tile the years 1999..2031") {
    date_t expected = must_parse("1999-01-04");  // Monday of 1999-W01
    for (int y = 1999; y <= 2031; ++y)
      for (int k = 1; k <= iso_weeks_in_year(y); ++k) {
        auto w = parse_period(fmt::format("{:04}-W{:02}", y, k));
        REQUIRE(w.has_value());
        REQUIRE(w->first() == expected);
        REQUIRE(((w->first() + 3) % 7 + 7) % 7 == 0);
        expected += 7;
      }
  }
}

TEST_CASE("parse_period: inclusive date ranges", "[date]") {
  auto r = parse_period("2026-01-01..2026-01-15");
  REQUIRE(r.has_value());
  CHECK(r->first() == must_parse("2026-01-01"));
  CHECK(r->end() == must_parse("2026-01-16"));
  CHECK(r->contains(must_parse("2026-01-15")));
  CHECK_FALSE(r->contains(must_parse("2026-01-16")));
  auto one = parse_period("2024-02-29..2024-02-29");
  REQUIRE(one.has_value());
  CHECK(one->end() - one->first() == 1);
  CHECK_FALSE(parse_period("2023-02-29..2023-03-01").has_value());
}
