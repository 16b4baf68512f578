// SPDX-License-Identifier: MIT
// line_set.hpp: every line of a ledger as a count, or a chosen ascending subset.
#include "downline/line_set.hpp"

#include <catch2/catch.hpp>

#include <cstdint>
#include <vector>

using namespace downline;

namespace {
std::vector<std::uint32_t> listed(const line_set& s) {
  std::vector<std::uint32_t> out;
  for (std::uint32_t line : s) out.push_back(line);
  return out;
}
}  // namespace

TEST_CASE("line_set::all is 0 … count - 1 without storing them", "[line_set]") {
  const line_set s = line_set::all(5);
  CHECK(s.size() == 5);
  CHECK_FALSE(s.empty());
  CHECK(listed(s) == std::vector<std::uint32_t>{0, 1, 2, 3, 4});
  CHECK(s[3] == 3);
  CHECK(std::vector<std::uint32_t>(s.begin(), s.end()) == listed(s));
  CHECK(line_set::all(0).empty());
  CHECK(listed(line_set::all(0)).empty());
}

TEST_CASE("a line_set of chosen lines gives exactly those, in order", "[line_set]") {
  const line_set s(std::vector<std::uint32_t>{2, 7, 9});
  CHECK(s.size() == 3);
  CHECK(s[0] == 2);
  CHECK(s[2] == 9);
  CHECK(listed(s) == std::vector<std::uint32_t>{2, 7, 9});
  const line_set none_chosen(std::vector<std::uint32_t>{});
  CHECK(none_chosen.empty());
  CHECK(listed(none_chosen).empty());
}
