// SPDX-License-Identifier: MIT
// rounding.hpp: the plan's rounding rule, applied once per (member, bonus) (SPEC §6).
#include "downline/rounding.hpp"

#include <catch2/catch.hpp>

#include <cstdint>
#include <limits>

#include "downline/error.hpp"

using namespace downline;

namespace {
constexpr rounding_mode all_modes[] = {rounding_mode::half_even, rounding_mode::half_up, rounding_mode::down,
                                       rounding_mode::up};

/// An independent reference: floor division, then choose between the two neighbours.
__int128 reference(__int128 n, __int128 d, rounding_mode mode) {
  __int128 lo = n / d;
  if (n % d != 0 && n < 0) --lo;  // floor
  const __int128 rem = n - lo * d;  // 0 <= rem < d
  if (rem == 0) return lo;
  const __int128 hi = lo + 1;
  const bool positive = n > 0;
  switch (mode) {
    case rounding_mode::down: return positive ? lo : hi;
    case rounding_mode::up: return positive ? hi : lo;
    case rounding_mode::half_up:
      if (2 * rem < d) return lo;
      if (2 * rem > d) return hi;
      return positive ? hi : lo;
    case rounding_mode::half_even:
      if (2 * rem < d) return lo;
      if (2 * rem > d) return hi;
      return lo % 2 == 0 ? lo : hi;
  }
  return 0;
}

struct row {
  long long numerator, denominator, half_even, half_up, down, up;
};

long long expected(const row& r, rounding_mode m) {
  switch (m) {
    case rounding_mode::half_even: return r.half_even;
    case rounding_mode::half_up: return r.half_up;
    case rounding_mode::down: return r.down;
    case rounding_mode::up: return r.up;
  }
  return 0;
}

constexpr __int128 e12 = 1'000'000'000'000;
}  // namespace

TEST_CASE("to_string(rounding_mode)", "[rounding]") {
  CHECK(to_string(rounding_mode::half_even) == "half_even");
  CHECK(to_string(rounding_mode::half_up) == "half_up");
  CHECK(to_string(rounding_mode::down) == "down");
  CHECK(to_string(rounding_mode::up) == "up");
}

TEST_CASE("divide_rounded: every mode on ties and non-ties, both signs", "[rounding]") {
  // numerator / denominator, then half_even, half_up (ties away from zero), down (toward zero), up (away).
  const row table[] = {
      {15, 10, 2, 2, 1, 2},      // 1.5 tie, odd below
      {25, 10, 2, 3, 2, 3},      // 2.5 tie, even below
      {-15, 10, -2, -2, -1, -2},  // -1.5 tie
      {-25, 10, -2, -3, -2, -3},  // -2.5 tie
      {5, 10, 0, 1, 0, 1},        // 0.5 tie around zero
      {-5, 10, 0, -1, 0, -1},     // -0.5 tie around zero
      {14, 10, 1, 1, 1, 2},       // 1.4
      {16, 10, 2, 2, 1, 2},       // 1.6
      {-14, 10, -1, -1, -1, -2},  // -1.4
      {-16, 10, -2, -2, -1, -2},  // -1.6
      {1, 10, 0, 0, 0, 1},        // 0.1
      {-1, 10, 0, 0, 0, -1},      // -0.1
      {9, 10, 1, 1, 0, 1},        // 0.9
      {20, 10, 2, 2, 2, 2},       // exact
      {-20, 10, -2, -2, -2, -2},  // exact
      {0, 10, 0, 0, 0, 0},        // zero
      {7, 3, 2, 2, 2, 3},         // 2.333…
      {8, 3, 3, 3, 2, 3},         // 2.666…
      {-7, 3, -2, -2, -2, -3},
      {-8, 3, -3, -3, -2, -3},
      {3, 2, 2, 2, 1, 2},   // 1.5
      {1, 2, 0, 1, 0, 1},   // 0.5
      {-3, 2, -2, -2, -1, -2},
      {-1, 2, 0, -1, 0, -1},
      {42, 1, 42, 42, 42, 42},
      {-42, 1, -42, -42, -42, -42},
      {1'000'000'005, 10, 100'000'000, 100'000'001, 100'000'000, 100'000'001},
      {1'000'000'015, 10, 100'000'002, 100'000'002, 100'000'001, 100'000'002},
  };
  for (const row& r : table)
    for (rounding_mode m : all_modes) {
      INFO(r.numerator << " / " << r.denominator << " mode " << std::string(to_string(m)));
      CHECK(static_cast<long long>(divide_rounded(r.numerator, r.denominator, m)) == expected(r, m));
    }
}

TEST_CASE("divide_rounded agrees with a floor-based reference on a grid", "[rounding]") {
  for (int d = 1; d <= 24; ++d)
    for (int n = -200; n <= 200; ++n)
      for (rounding_mode m : all_modes) {
        INFO(n << " / " << d << " mode " << std::string(to_string(m)));
        REQUIRE(divide_rounded(n, d, m) == reference(n, d, m));
      }
}

TEST_CASE("divide_rounded: 128-bit numerators", "[rounding]") {
  const __int128 e18 = 1'000'000'000'000'000'000;
  // (10^30 + 0.5 × 10^12) / 10^12 = 10^18 + 0.5: q = 10^18 is even.
  const __int128 tie = e18 * e12 + e12 / 2;
  CHECK(divide_rounded(tie, e12, rounding_mode::half_even) == e18);
  CHECK(divide_rounded(tie, e12, rounding_mode::half_up) == e18 + 1);
  CHECK(divide_rounded(-tie, e12, rounding_mode::half_even) == -e18);
  CHECK(divide_rounded(-tie, e12, rounding_mode::half_up) == -e18 - 1);
  // The largest numerator: (2^127 - 1) / 2 = 2^126 - 0.5, a tie with an odd quotient.
  const __int128 max = static_cast<__int128>((~static_cast<unsigned __int128>(0)) >> 1);
  const __int128 two_126 = static_cast<__int128>(1) << 126;
  CHECK(divide_rounded(max, 2, rounding_mode::half_even) == two_126);
  CHECK(divide_rounded(max, 2, rounding_mode::down) == two_126 - 1);
  CHECK(divide_rounded(-max, 2, rounding_mode::half_even) == -two_126);
  CHECK(divide_rounded(-max, 2, rounding_mode::up) == -two_126);
  CHECK(divide_rounded(-max - 1, 1, rounding_mode::half_even) == -max - 1);
}

TEST_CASE("round_to_minor: money_decimals 0..6, every mode", "[rounding]") {
  // 1.2345675 currency units in 10^-12 units.
  const exact_t x = 1'234'567'500'000;
  struct expectation {
    int decimals;
    minor_t half_even, half_up, down, up;
  };
  const expectation table[] = {
      {0, 1, 1, 1, 2},                      // 1.2345675
      {1, 12, 12, 12, 13},                  // 12.345675
      {2, 123, 123, 123, 124},              // 123.45675
      {3, 1235, 1235, 1234, 1235},          // 1234.5675
      {4, 12346, 12346, 12345, 12346},      // 12345.675
      {5, 123457, 123457, 123456, 123457},  // 123456.75
      {6, 1234568, 1234568, 1234567, 1234568},  // 1234567.5: tie, 7 is odd
  };
  for (const auto& e : table) {
    INFO("money_decimals " << e.decimals);
    CHECK(round_to_minor(x, e.decimals, rounding_mode::half_even) == e.half_even);
    CHECK(round_to_minor(x, e.decimals, rounding_mode::half_up) == e.half_up);
    CHECK(round_to_minor(x, e.decimals, rounding_mode::down) == e.down);
    CHECK(round_to_minor(x, e.decimals, rounding_mode::up) == e.up);
    // Every mode is symmetric about zero.
    for (rounding_mode m : all_modes) CHECK(round_to_minor(-x, e.decimals, m) == -round_to_minor(x, e.decimals, m));
  }
  // A tie whose lower neighbour is even: half_even stays, half_up goes away from zero.
  const exact_t even_tie = 1'234'566'500'000;  // 1234566.5 millionths
  CHECK(round_to_minor(even_tie, 6, rounding_mode::half_even) == 1'234'566);
  CHECK(round_to_minor(even_tie, 6, rounding_mode::half_up) == 1'234'567);
  CHECK(round_to_minor(-even_tie, 6, rounding_mode::half_even) == -1'234'566);
  CHECK(round_to_minor(-even_tie, 6, rounding_mode::half_up) == -1'234'567);
  // Cents: 0.125 → 0.12 (half_even) / 0.13 (half_up); 0.135 → 0.14 both.
  CHECK(round_to_minor(125 * e12 / 1000, 2, rounding_mode::half_even) == 12);
  CHECK(round_to_minor(125 * e12 / 1000, 2, rounding_mode::half_up) == 13);
  CHECK(round_to_minor(135 * e12 / 1000, 2, rounding_mode::half_even) == 14);
  CHECK(round_to_minor(135 * e12 / 1000, 2, rounding_mode::half_up) == 14);
  // The smallest exact unit.
  CHECK(round_to_minor(1, 2, rounding_mode::up) == 1);
  CHECK(round_to_minor(-1, 2, rounding_mode::up) == -1);
  CHECK(round_to_minor(1, 2, rounding_mode::half_up) == 0);
  CHECK(round_to_minor(0, 6, rounding_mode::up) == 0);
}

TEST_CASE("minor_to_exact and round trips", "[rounding]") {
  CHECK(minor_to_exact(123, 2) == 123 * e12 / 100);
  CHECK(minor_to_exact(-5, 0) == -5 * e12);
  CHECK(minor_to_exact(7, 6) == 7'000'000);
  for (int d = 0; d <= 6; ++d)
    for (minor_t v : {minor_t{0}, minor_t{1}, minor_t{-1}, minor_t{123456789}, std::numeric_limits<minor_t>::max(),
                      std::numeric_limits<minor_t>::min()})
      for (rounding_mode m : all_modes) CHECK(round_to_minor(minor_to_exact(v, d), d, m) == v);
}

TEST_CASE("round_to_minor: overflow_error when the result leaves 64 bits", "[rounding]") {
  const __int128 max = std::numeric_limits<minor_t>::max(), min = std::numeric_limits<minor_t>::min();
  const __int128 scale = e12 / 100;  // cents
  CHECK(round_to_minor(max * scale, 2, rounding_mode::half_even) == std::numeric_limits<minor_t>::max());
  CHECK(round_to_minor(min * scale, 2, rounding_mode::half_even) == std::numeric_limits<minor_t>::min());
  CHECK_THROWS_AS(round_to_minor((max + 1) * scale, 2, rounding_mode::half_even), overflow_error);
  CHECK_THROWS_AS(round_to_minor((min - 1) * scale, 2, rounding_mode::half_even), overflow_error);
  // Rounding itself may carry over the edge: up goes over, down does not.
  CHECK_THROWS_AS(round_to_minor(max * scale + 1, 2, rounding_mode::up), overflow_error);
  CHECK(round_to_minor(max * scale + 1, 2, rounding_mode::down) == std::numeric_limits<minor_t>::max());
  CHECK_THROWS_AS(round_to_minor(min * scale - 1, 2, rounding_mode::up), overflow_error);
  try {
    round_to_minor((max + 1) * e12, 0, rounding_mode::down);
    FAIL("no overflow_error");
  } catch (const error& e) {
    CHECK(e.code() == errc::overflow);
    CHECK(std::string(e.what()).find("9223372036854775808") != std::string::npos);
  }
}
