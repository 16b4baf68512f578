// SPDX-License-Identifier: MIT
// decimal.hpp: exact decimal text <-> fixed-point integers (SPEC §2, §6).
#include "downline/decimal.hpp"

#include <catch2/catch.hpp>

#include <array>
#include <cstdint>
#include <limits>
#include <random>
#include <string>

using namespace downline;

namespace {
constexpr std::int64_t i64_max = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t i64_min = std::numeric_limits<std::int64_t>::min();

/// parse_decimal that must succeed; returns the value.
std::int64_t ok(std::string_view text, int decimals, int* significant = nullptr) {
  std::int64_t v = 0x5A5A;
  INFO("text '" << std::string(text) << "' decimals " << decimals);
  REQUIRE(parse_decimal(text, decimals, v, significant) == parse_status::ok);
  return v;
}

parse_status status(std::string_view text, int decimals) {
  std::int64_t v = 0;
  return parse_decimal(text, decimals, v);
}

/// 10^n as __int128, computed independently of pow10_i128.
__int128 ten_to(int n) {
  __int128 p = 1;
  while (n-- > 0) p *= 10;
  return p;
}
}  // namespace

TEST_CASE("parse_decimal: valid numbers scale exactly", "[decimal]") {
  CHECK(ok("0", 2) == 0);
  CHECK(ok("12.5", 2) == 1250);
  CHECK(ok("-12.5", 2) == -1250);
  CHECK(ok("+7", 2) == 700);
  CHECK(ok("12.30", 2) == 1230);
  CHECK(ok("0.01", 2) == 1);
  CHECK(ok("-0.01", 2) == -1);
  CHECK(ok("007.50", 2) == 750);
  CHECK(ok("-0", 2) == 0);
  CHECK(ok("+0.00", 2) == 0);
  CHECK(ok("5", 0) == 5);
  CHECK(ok("123456", 6) == 123'456'000'000);
  CHECK(ok("0.000001", 6) == 1);
  CHECK(ok("1.5", 4) == 15'000);
  // Long runs of leading zeros are not an overflow.
  CHECK(ok("000000000000000000000000000000042", 0) == 42);
}

TEST_CASE("parse_decimal: empty and malformed text", "[decimal]") {
  CHECK(status("", 2) == parse_status::empty);
  for (const char* bad : {"1e3", "1E3", "--5", "-+5", "+-5", "1.2.3", " 5", "5 ", "5.", ".", "-", "+", "-.", "1,000",
                          "1 000", "0x10", "1_000", "abc", "12a", "a12", "5%", "\t5", "5\n", "NaN", "inf", "1.-5",
                          "1..2", "-5.", "\xEF\xBC\x95" /* fullwidth 5 */}) {
    INFO("text '" << bad << "'");
    CHECK(status(bad, 2) == parse_status::malformed);
  }
}

TEST_CASE("parse_decimal: a leading point is outside the documented grammar [+-]digits[.digits]",
          "[decimal]") {
  // decimal.hpp documents `[+-]digits[.digits]` and rejects "5." as malformed; ".5" and
  // "-.5" have no integer digit either, yet they are accepted as 0.5 / -0.5.
  CHECK(status(".5", 2) == parse_status::malformed);
  CHECK(status("-.5", 2) == parse_status::malformed);
}

TEST_CASE("parse_decimal: too_many_decimals vs trailing zeros", "[decimal]") {
  CHECK(ok("1.230", 2) == 123);
  CHECK(ok("1.2300000000000000000000000", 2) == 123);
  CHECK(ok("-1.000", 0) == -1);
  CHECK(ok("7.000000", 0) == 7);
  CHECK(status("1.235", 2) == parse_status::too_many_decimals);
  CHECK(status("-1.235", 2) == parse_status::too_many_decimals);
  CHECK(status("1.5", 0) == parse_status::too_many_decimals);
  CHECK(status("0.0000001", 6) == parse_status::too_many_decimals);
  CHECK(status("0.00000010", 6) == parse_status::too_many_decimals);
  CHECK(status("1.0000000000000000000001", 6) == parse_status::too_many_decimals);
}

TEST_CASE("parse_decimal: overflow at the int64 edges", "[decimal]") {
  // 0 decimals: the int64 range exactly.
  CHECK(ok("9223372036854775807", 0) == i64_max);
  CHECK(ok("+9223372036854775807", 0) == i64_max);
  CHECK(ok("-9223372036854775808", 0) == i64_min);
  CHECK(ok("-9223372036854775807", 0) == i64_min + 1);
  CHECK(status("9223372036854775808", 0) == parse_status::overflow);
  CHECK(status("-9223372036854775809", 0) == parse_status::overflow);
  CHECK(status("-9223372036854775810", 0) == parse_status::overflow);
  CHECK(status("92233720368547758070", 0) == parse_status::overflow);
  CHECK(status("99999999999999999999999999999999999999999", 0) == parse_status::overflow);
  // 6 decimals: the same edges after scaling.
  CHECK(ok("9223372036854.775807", 6) == i64_max);
  CHECK(ok("-9223372036854.775808", 6) == i64_min);
  CHECK(ok("-9223372036854.7758080000", 6) == i64_min);
  CHECK(status("9223372036854.775808", 6) == parse_status::overflow);
  CHECK(status("-9223372036854.775809", 6) == parse_status::overflow);
  // Overflow that only appears while scaling up the missing fractional digits.
  CHECK(ok("9223372036854", 6) == 9'223'372'036'854'000'000);
  CHECK(status("9223372036855", 6) == parse_status::overflow);
  CHECK(status("-9223372036855", 6) == parse_status::overflow);
  CHECK(ok("922337203685477.58", 4) == 9'223'372'036'854'775'800);
  CHECK(status("922337203685478", 4) == parse_status::overflow);
}

TEST_CASE("parse_decimal: out is untouched on failure", "[decimal]") {
  std::int64_t v = 77;
  CHECK(parse_decimal("9223372036854775808", 0, v) == parse_status::overflow);
  CHECK(v == 77);
  CHECK(parse_decimal("1.234", 2, v) == parse_status::too_many_decimals);
  CHECK(v == 77);
  CHECK(parse_decimal("x", 2, v) == parse_status::malformed);
  CHECK(v == 77);
}

TEST_CASE("parse_decimal: significant fractional digits", "[decimal]") {
  int s = -1;
  ok("5", 6, &s);
  CHECK(s == 0);
  ok("12.000", 6, &s);
  CHECK(s == 0);
  ok("1.2300", 6, &s);
  CHECK(s == 2);
  ok("-0.10", 6, &s);
  CHECK(s == 1);
  ok("0.000001", 6, &s);
  CHECK(s == 6);
  ok("3.0005", 6, &s);
  CHECK(s == 4);
  ok("1.2300000000", 2, &s);
  CHECK(s == 2);
  ok("0", 0, &s);
  CHECK(s == 0);
}

TEST_CASE("describe(parse_status) gives the message fragments", "[decimal]") {
  CHECK(std::string(describe(parse_status::empty)) == "is empty");
  CHECK(std::string(describe(parse_status::malformed)) == "is not a decimal number");
  CHECK(std::string(describe(parse_status::too_many_decimals)) == "has too many decimals");
  CHECK(std::string(describe(parse_status::overflow)) == "is out of range");
}

TEST_CASE("format_fixed: exact digits, sign, zero", "[decimal]") {
  CHECK(format_fixed(-50, 2) == "-0.50");
  CHECK(format_fixed(50, 2) == "0.50");
  CHECK(format_fixed(0, 2) == "0.00");
  CHECK(format_fixed(0, 0) == "0");
  CHECK(format_fixed(5, 0) == "5");
  CHECK(format_fixed(-5, 0) == "-5");
  CHECK(format_fixed(1, 6) == "0.000001");
  CHECK(format_fixed(-1, 6) == "-0.000001");
  CHECK(format_fixed(123456, 2) == "1234.56");
  CHECK(format_fixed(-123456, 2) == "-1234.56");
  CHECK(format_fixed(100, 2) == "1.00");
  CHECK(format_fixed(1000, 0) == "1000");
  CHECK(format_fixed(i64_max, 6) == "9223372036854.775807");
  CHECK(format_fixed(i64_min, 6) == "-9223372036854.775808");
  CHECK(format_fixed(i64_min, 0) == "-9223372036854775808");
}

TEST_CASE("format_fixed / format_trimmed: __int128 values beyond 64 bits", "[decimal]") {
  const __int128 big = ten_to(30) + 1;
  CHECK(format_fixed(big, 12) == "1000000000000000000.000000000001");
  CHECK(format_fixed(-big, 12) == "-1000000000000000000.000000000001");
  CHECK(format_trimmed(big, 12) == "1000000000000000000.000000000001");
  CHECK(format_trimmed(ten_to(30), 12) == "1000000000000000000");
  CHECK(format_trimmed(-ten_to(30) - ten_to(11) * 5, 12) == "-1000000000000000000.5");
  const __int128 i128_max = static_cast<__int128>((~static_cast<unsigned __int128>(0)) >> 1);
  const __int128 i128_min = -i128_max - 1;
  CHECK(format_fixed(i128_max, 0) == "170141183460469231731687303715884105727");
  CHECK(format_fixed(i128_min, 0) == "-170141183460469231731687303715884105728");
  CHECK(format_fixed(i128_max, 12) == "170141183460469231731687303.715884105727");
  CHECK(format_trimmed(i128_min, 12) == "-170141183460469231731687303.715884105728");
  const __int128 two_100 = static_cast<__int128>(1) << 100;
  CHECK(format_fixed(two_100, 0) == "1267650600228229401496703205376");
  CHECK(format_trimmed(two_100, 6) == "1267650600228229401496703.205376");
  CHECK(format_trimmed(two_100 * 1000, 3) == "1267650600228229401496703205376");
}

TEST_CASE("format_trimmed: shortest exact text", "[decimal]") {
  CHECK(format_trimmed(1250, 2) == "12.5");
  CHECK(format_trimmed(300, 2) == "3");
  CHECK(format_trimmed(-50, 2) == "-0.5");
  CHECK(format_trimmed(0, 6) == "0");
  CHECK(format_trimmed(0, 0) == "0");
  CHECK(format_trimmed(-1'000'000, 6) == "-1");
  CHECK(format_trimmed(10, 0) == "10");  // integer zeros are never trimmed
  CHECK(format_trimmed(100, 0) == "100");
  CHECK(format_trimmed(1000, 2) == "10");
  CHECK(format_trimmed(1010, 3) == "1.01");
  CHECK(format_trimmed(1, 6) == "0.000001");
  CHECK(format_trimmed(-1, 4) == "-0.0001");
  CHECK(format_trimmed(125'000, 4) == "12.5");
}

TEST_CASE("append_fixed / append_trimmed keep what is already there", "[decimal]") {
  std::string s = "x=";
  append_fixed(s, -7, 3);
  CHECK(s == "x=-0.007");
  s += ';';
  append_trimmed(s, 7000, 3);
  CHECK(s == "x=-0.007;7");
}

TEST_CASE("pow10_i128", "[decimal]") {
  for (int n = 0; n <= 38; ++n) {
    INFO("n = " << n);
    CHECK(pow10_i128(n) == ten_to(n));
  }
  CHECK(format_fixed(pow10_i128(38), 0) == "1" + std::string(38, '0'));
}

TEST_CASE("parse_decimal(format_fixed(v)) round trips, format_trimmed parses back too", "[decimal]") {
  std::mt19937_64 rng(20240229);
  for (int i = 0; i < 20000; ++i) {
    std::int64_t v = static_cast<std::int64_t>(rng());
    if (i % 3 == 1) v %= 1'000'000'000;  // small values too
    if (i == 0) v = i64_min;
    if (i == 1) v = i64_max;
    const int d = static_cast<int>(rng() % 7);
    const std::string fixed = format_fixed(v, d), trimmed = format_trimmed(v, d);
    INFO(fixed << " / " << trimmed << " decimals " << d);
    std::int64_t back = 0;
    REQUIRE(parse_decimal(fixed, d, back) == parse_status::ok);
    CHECK(back == v);
    int significant = -1;
    REQUIRE(parse_decimal(trimmed, d, back, &significant) == parse_status::ok);
    CHECK(back == v);
    // The trimmed text has exactly `significant` fractional digits.
    auto point = trimmed.find('.');
    CHECK(significant == (point == std::string::npos ? 0 : static_cast<int>(trimmed.size() - point - 1)));
    CHECK(fixed.size() - (fixed.find('.') == std::string::npos ? fixed.size() : fixed.find('.') + 1) ==
          static_cast<std::size_t>(d));
  }
}

TEST_CASE("parse_decimal agrees with a wide-integer reference around the 18-digit fast path", "[decimal]") {
  // Values of up to 18 scaled digits take a path without per-digit overflow checks; longer
  // ones (leading zeros included) the checked one. Both must give what exact arithmetic gives.
  std::mt19937_64 rng(7);
  auto digits = [&](int n) {
    std::string s;
    for (int i = 0; i < n; ++i) s += static_cast<char>('0' + rng() % 10);
    return s;
  };
  for (int i = 0; i < 50000; ++i) {
    const int decimals = static_cast<int>(rng() % 9);
    const std::string sign = std::array<const char*, 3>{"", "+", "-"}[rng() % 3];
    const std::string integer = digits(1 + static_cast<int>(rng() % 20));
    std::string fraction = rng() % 4 == 0 ? "" : digits(1 + static_cast<int>(rng() % 9));
    if (rng() % 2) fraction.append(rng() % 4, '0');  // trailing zeros are not significant
    const std::string text = sign + integer + (fraction.empty() ? "" : "." + fraction);
    INFO("text '" << text << "' decimals " << decimals);

    __int128 expected = 0;
    for (char c : integer) expected = expected * 10 + (c - '0');
    int significant = 0;
    for (int k = 0; k < static_cast<int>(fraction.size()); ++k)
      if (fraction[static_cast<std::size_t>(k)] != '0') significant = k + 1;
    for (int k = 0; k < decimals; ++k)
      expected = expected * 10 + (k < static_cast<int>(fraction.size()) ? fraction[static_cast<std::size_t>(k)] - '0' : 0);
    if (sign == "-") expected = -expected;

    std::int64_t got = 0;
    int got_significant = -1;
    const parse_status s = parse_decimal(text, decimals, got, &got_significant);
    if (significant > decimals) {
      CHECK(s == parse_status::too_many_decimals);
    } else if (expected > i64_max || expected < i64_min) {
      CHECK(s == parse_status::overflow);
    } else {
      REQUIRE(s == parse_status::ok);
      CHECK(got == static_cast<std::int64_t>(expected));
      CHECK(got_significant == significant);
    }
  }
}
