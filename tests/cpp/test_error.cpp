// SPDX-License-Identifier: MIT
// error.hpp: quote_value, the one way messages show a value; detail/utf8.hpp: text checks.
#include "downline/error.hpp"

#include <catch2/catch.hpp>

#include <string>

#include "downline/detail/utf8.hpp"

using namespace downline;
using namespace std::string_literals;

TEST_CASE("quote_value: short printable values as they are, in single quotes", "[error]") {
  CHECK(quote_value("A1") == "'A1'");
  CHECK(quote_value("") == "''");
  CHECK(quote_value("Müller 李 €") == "'Müller 李 €'");  // well-formed UTF-8 is printable
}

TEST_CASE("quote_value: non-printable bytes as hex escapes, a NUL does not end the value", "[error]") {
  CHECK(quote_value("12\0x"s) == "'12\\x00x'");
  CHECK(quote_value("a\tb\r\n\x7F") == "'a\\x09b\\x0D\\x0A\\x7F'");
  CHECK(quote_value("\xFF\xC3(") == "'\\xFF\\xC3('");              // not UTF-8
  CHECK(quote_value("\xED\xA0\x80") == "'\\xED\\xA0\\x80'");       // a surrogate
  CHECK(quote_value("\xC0\xAF") == "'\\xC0\\xAF'");                // an overlong '/'
  CHECK(quote_value("\xC2\x85") == "'\\xC2\\x85'");                // a C1 control (NEL)
  CHECK(quote_value("a\\b") == "'a\\\\b'");                        // a backslash is doubled
  CHECK(quote_value("\x1B[31mred") == "'\\x1B[31mred'");           // no terminal escapes
}

TEST_CASE("quote_value: a long value is cut at 128 bytes with its full size", "[error]") {
  const std::string huge(100'000'000, 'A');
  CHECK(quote_value(huge) == "'" + std::string(128, 'A') + "\u2026' (100000000 bytes)");
  CHECK(quote_value(std::string(128, 'B')) == "'" + std::string(128, 'B') + "'");
  CHECK(quote_value(std::string(129, 'B')) == "'" + std::string(128, 'B') + "\u2026' (129 bytes)");
  // Not inside a character: 127 ASCII bytes then 'é' (2 bytes) cut before the 'é'.
  CHECK(quote_value(std::string(127, 'C') + "éé") == "'" + std::string(127, 'C') + "\u2026' (131 bytes)");
  // Escaping makes the message longer, never the shown part of the value.
  CHECK(quote_value(std::string(1000, '\0')).size() == 1 + 128 * 4 + std::string("\u2026' (1000 bytes)").size());
}

TEST_CASE("is_clean_text: UTF-8 without NUL", "[error]") {
  CHECK(detail::is_clean_text(""));
  CHECK(detail::is_clean_text("plain ascii"));
  CHECK(detail::is_clean_text("Müller-李-😀"));
  CHECK_FALSE(detail::is_clean_text("a\0b"s));
  CHECK_FALSE(detail::is_clean_text("\xFF"));
  CHECK_FALSE(detail::is_clean_text("\xC3"));              // cut short
  CHECK_FALSE(detail::is_clean_text("\xE2\x82"));          // cut short
  CHECK_FALSE(detail::is_clean_text("\xC0\x80"));          // overlong NUL
  CHECK_FALSE(detail::is_clean_text("\xED\xBF\xBF"));      // a surrogate
  CHECK_FALSE(detail::is_clean_text("\xF4\x90\x80\x80"));  // above U+10FFFF
  CHECK_FALSE(detail::is_clean_text("\x80"));              // a stray continuation byte
}
