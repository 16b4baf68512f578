// SPDX-License-Identifier: MIT
// detail/line_numbers.hpp: line numbers of rows, stored as jumps.
#include "downline/detail/line_numbers.hpp"

#include <catch2/catch.hpp>

#include <vector>

using downline::detail::line_numbers;

namespace {
line_numbers of(const std::vector<std::size_t>& lines) {
  line_numbers l;
  for (std::size_t line : lines) l.push_back(line);
  return l;
}
}  // namespace

TEST_CASE("line_numbers gives each row its line across jumps", "[line_numbers]") {
  const std::vector<std::size_t> lines = {2, 3, 4, 6, 7, 10, 11, 12, 13, 20};
  const line_numbers l = of(lines);
  REQUIRE(l.size() == lines.size());
  for (std::size_t row = 0; row < lines.size(); ++row) CHECK(l[row] == lines[row]);
  // Rows numbered from 0 (arrays): no jump at all.
  const line_numbers rows = of({0, 1, 2, 3});
  for (std::size_t row = 0; row < 4; ++row) CHECK(rows[row] == row);
}

TEST_CASE("line_numbers appended keep both parts' lines", "[line_numbers]") {
  line_numbers first = of({2, 3, 5});
  first.append(of({9, 10, 12}));
  first.append(of({0, 1}));  // a part whose row 0 is on line 0
  const std::vector<std::size_t> expected = {2, 3, 5, 9, 10, 12, 0, 1};
  REQUIRE(first.size() == expected.size());
  for (std::size_t row = 0; row < expected.size(); ++row) CHECK(first[row] == expected[row]);
  first.push_back(2);  // continues after the appended part
  CHECK(first[8] == 2);
}
