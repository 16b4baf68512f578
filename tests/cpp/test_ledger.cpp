// SPDX-License-Identifier: MIT
// ledger.hpp: sale lines as exact columns, resolved to members (SPEC §2, §10).
#include "downline/ledger.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <limits>
#include <random>
#include <string>

#include "downline/date.hpp"
#include "downline/error.hpp"
#include "downline/io/csv.hpp"
#include "temp_csv.hpp"

using namespace downline;
namespace fs = std::filesystem;

namespace {

using downline_test::temp_csv;

/// A, B, C: B and C sponsored by A.
network abc() {
  network_builder b("net", false);
  b.add("A", "", "", "", "", 0);
  b.add("B", "A", "", "", "", 1);
  b.add("C", "A", "", "", "", 2);
  return std::move(b).build();
}

/// The input_error message of loading `text` as sales.csv against `net`, the file's path shown as "F".
std::string load_error(const network& net, const std::string& text) {
  temp_csv f(text);
  try {
    ledger::from_csv(f.path, net);
  } catch (const input_error& e) {
    CHECK(e.code() == errc::input);
    std::string msg = e.what();
    const std::string path = f.path.string();
    for (auto at = msg.find(path); at != std::string::npos; at = msg.find(path)) msg.replace(at, path.size(), "F");
    return msg;
  } catch (const std::exception& e) {
    FAIL("unexpected exception: " << e.what());
  }
  FAIL("expected an input_error for:\n" << text);
  return {};
}

date_t day(const char* text) { return *parse_date(text); }
}  // namespace

TEST_CASE("ledger: exact amounts, volumes, kinds, dates, order ids", "[ledger]") {
  const network net = abc();
  temp_csv f(
      "member_id,amount,volume,kind,date,order_id\n"
      "A,12.30,,retail,2026-03-01,o1\n"         // 2
      "B,-5,-2.5,personal,2026-03-31,\n"        // 3
      "C,0.000001,1,fee,,o3\n"                  // 4
      "A,100,50.1234,,2026-04-01,\"o,4\"\n");   // 5
  const ledger l = ledger::from_csv(f.path, net);
  REQUIRE(l.size() == 4);
  CHECK(l.source() == f.path.string());
  CHECK(net.id(l.member(0)) == "A");
  CHECK(net.id(l.member(1)) == "B");
  CHECK(net.id(l.member(2)) == "C");
  CHECK(net.id(l.member(3)) == "A");
  CHECK(l.amount(0) == 12'300'000);
  CHECK(l.amount(1) == -5'000'000);
  CHECK(l.amount(2) == 1);
  CHECK(l.amount(3) == 100'000'000);
  CHECK(l.volume(0) == 123'000);  // default: the amount, 12.3 points
  CHECK(l.volume(1) == -25'000);
  CHECK(l.volume(2) == 10'000);
  CHECK(l.volume(3) == 501'234);
  CHECK(l.kind(0) == sale_kind::retail);
  CHECK(l.kind(1) == sale_kind::personal);
  CHECK(l.kind(2) == sale_kind::fee);
  CHECK(l.kind(3) == sale_kind::retail);  // empty kind is retail
  CHECK(l.date(0) == day("2026-03-01"));
  CHECK(l.date(1) == day("2026-03-31"));
  CHECK(l.date(2) == no_date);
  CHECK(l.date(3) == day("2026-04-01"));
  CHECK(l.order_id(0) == "o1");
  CHECK(l.order_id(1) == "");
  CHECK(l.order_id(2) == "o3");
  CHECK(l.order_id(3) == "o,4");
  CHECK(l.first_undated() == f.at(4));
  CHECK(l.members().size() == 4);
  CHECK(l.amounts() == std::vector<amount_t>{12'300'000, -5'000'000, 1, 100'000'000});
  CHECK(l.volumes() == std::vector<volume_t>{123'000, -25'000, 10'000, 501'234});
  CHECK(to_string(sale_kind::retail) == "retail");
  CHECK(to_string(sale_kind::personal) == "personal");
  CHECK(to_string(sale_kind::fee) == "fee");

  SECTION("amount_precision: the first amount with d significant decimals, per d") {
    const auto& p = l.amount_precision();
    CHECK(p[0].where == f.at(3));  // "-5" (line 5's "100" comes later)
    CHECK(p[0].text == "-5");
    CHECK(p[1].where == f.at(2));  // "12.30": the trailing zero is not significant
    CHECK(p[1].text == "12.30");
    CHECK(p[6].where == f.at(4));
    CHECK(p[6].text == "0.000001");
    for (int d : {2, 3, 4, 5}) {
      CHECK(p[static_cast<std::size_t>(d)].where.empty());
      CHECK(p[static_cast<std::size_t>(d)].text.empty());
    }
  }
}

TEST_CASE("ledger: optional columns absent or filled in later", "[ledger]") {
  const network net = abc();
  SECTION("no date, no order_id, no volume, no kind columns") {
    temp_csv f("amount,member_id\n7.5,B\n-1,C\n");
    const ledger l = ledger::from_csv(f.path, net);
    REQUIRE(l.size() == 2);
    CHECK(net.id(l.member(0)) == "B");
    CHECK(l.amount(0) == 7'500'000);
    CHECK(l.volume(0) == 75'000);
    CHECK(l.volume(1) == -10'000);
    CHECK(l.kind(1) == sale_kind::retail);
    CHECK(l.date(0) == no_date);
    CHECK(l.date(1) == no_date);
    CHECK(l.order_id(0).empty());
    CHECK(l.order_id(1).empty());
    CHECK(l.first_undated() == f.at(2));
  }
  SECTION("the first lines have no date / order id, later ones do") {
    temp_csv f("member_id,amount,date,order_id\nA,1,,\nA,2,2026-01-05,x\nA,3,,\nA,4,2026-01-06,yy\n");
    const ledger l = ledger::from_csv(f.path, net);
    REQUIRE(l.size() == 4);
    CHECK(l.date(0) == no_date);
    CHECK(l.date(1) == day("2026-01-05"));
    CHECK(l.date(2) == no_date);
    CHECK(l.date(3) == day("2026-01-06"));
    CHECK(l.order_id(0) == "");
    CHECK(l.order_id(1) == "x");
    CHECK(l.order_id(2) == "");
    CHECK(l.order_id(3) == "yy");
    CHECK(l.first_undated() == f.at(2));
  }
  SECTION("every line dated") {
    temp_csv f("member_id,amount,date\nA,1,2026-01-05\n");
    CHECK(ledger::from_csv(f.path, net).first_undated().empty());
  }
  SECTION("a header-only ledger is empty, not an error") {
    temp_csv f("member_id,amount\n");
    const ledger l = ledger::from_csv(f.path, net);
    CHECK(l.size() == 0);
    CHECK(l.first_undated().empty());
  }
}

TEST_CASE("ledger: default volume needs an amount with at most 4 decimals", "[ledger]") {
  const network net = abc();
  std::string msg = load_error(net, "member_id,amount,volume\nA,12.3456,\nA,2.00001,\n");
  CHECK(msg == "F:3: amount has more than 4 decimals and no volume to stand in for it '2.00001'");
  // A volume stands in for a precise amount; trailing zeros do not count as decimals.
  temp_csv good("member_id,amount,volume\nA,12.3456,\nA,1.00005,1\nA,2.000000,\n");
  const ledger l = ledger::from_csv(good.path, net);
  REQUIRE(l.size() == 3);
  CHECK(l.volume(0) == 123'456);
  CHECK(l.amount(1) == 1'000'050);
  CHECK(l.volume(1) == 10'000);
  CHECK(l.volume(2) == 20'000);
}

TEST_CASE("ledger: refunds and the int64 edges", "[ledger]") {
  const network net = abc();
  temp_csv f(
      "member_id,amount,volume\n"
      "A,-0.01,\n"
      "B,9223372036854.775807,1\n"
      "C,-9223372036854.775808,-1\n"
      "A,0,0\n");
  const ledger l = ledger::from_csv(f.path, net);
  REQUIRE(l.size() == 4);
  CHECK(l.amount(0) == -10'000);
  CHECK(l.volume(0) == -100);
  CHECK(l.amount(1) == std::numeric_limits<amount_t>::max());
  CHECK(l.amount(2) == std::numeric_limits<amount_t>::min());
  CHECK(l.volume(2) == -10'000);
  CHECK(l.amount(3) == 0);
  CHECK(l.amount_precision()[6].text == "9223372036854.775807");
}

TEST_CASE("ledger errors name file:line and the value", "[ledger]") {
  const network net = abc();
  auto err = [&](const std::string& text) { return load_error(net, text); };
  CHECK(err("member_id,amount\nA,1\nZ,2\n") == "F:3: sale for a member who is not in the network 'Z'");
  CHECK(err("member_id,amount\nA,1.0000001\n") == "F:2: amount has too many decimals '1.0000001'");
  CHECK(err("member_id,amount\nA,1e3\n") == "F:2: amount is not a decimal number '1e3'");
  CHECK(err("member_id,amount\nA, 5\n") == "F:2: amount is not a decimal number ' 5'");
  CHECK(err("member_id,amount\nA,\n") == "F:2: amount is empty ''");
  CHECK(err("member_id,amount,volume\nA,9223372036855,1\n") == "F:2: amount is out of range '9223372036855'");
  CHECK(err("member_id,amount,volume\nA,1,0.00001\n") == "F:2: volume has too many decimals '0.00001'");
  CHECK(err("member_id,amount,volume\nA,1,x\n") == "F:2: volume is not a decimal number 'x'");
  CHECK(err("member_id,amount,volume\nA,1,922337203685478\n") == "F:2: volume is out of range '922337203685478'");
  CHECK(err("member_id,amount,kind\nA,1,wholesale\n") ==
        "F:2: unknown kind (expected retail, personal or fee) 'wholesale'");
  CHECK(err("member_id,amount,kind\nA,1,Retail\n") ==
        "F:2: unknown kind (expected retail, personal or fee) 'Retail'");
  CHECK(err("member_id,amount,date\nA,1,2026-02-30\n") == "F:2: date is not a date YYYY-MM-DD '2026-02-30'");
  CHECK(err("member_id,amount,date\nA,1,03/01/2026\n") == "F:2: date is not a date YYYY-MM-DD '03/01/2026'");
  CHECK(err("member_id,volume\nA,1\n") == "F:1: missing required column 'amount'");
  CHECK(err("amount\n1\n") == "F:1: missing required column 'member_id'");
  // Line numbers survive blank lines and quoted newlines before the bad line.
  CHECK(err("member_id,amount,order_id\nA,1,\"multi\nline\"\n\nZ,3,\n") ==
        "F:5: sale for a member who is not in the network 'Z'");
  CHECK(err("member_id,amount\n\n\nA,1\n\nA,x\n") == "F:6: amount is not a decimal number 'x'");
}

TEST_CASE("ledger: the first unknown member of a large ledger, with its line", "[ledger]") {
  // Large enough that member ids may be resolved in parallel halves: the earliest bad line wins.
  const network net = abc();
  std::string text = "member_id,amount\n";
  std::size_t line = 1, first_bad_line = 0, later_bad_line = 0;
  const int count = 240'000;
  for (int i = 0; i < count; ++i) {
    if (i % 1000 == 999) {
      text += "\n";  // a blank line shifts every later line number
      ++line;
    }
    const bool bad_early = i == 70'001, bad_late = i == 200'003;
    text += bad_early ? "X1" : bad_late ? "X2" : (i % 2 ? "B" : "C");
    text += ",1\n";
    ++line;
    if (bad_early) first_bad_line = line;
    if (bad_late) later_bad_line = line;
  }
  REQUIRE(first_bad_line > 0);
  REQUIRE(later_bad_line > first_bad_line);
  CHECK(load_error(net, text) == fmt::format("F:{}: sale for a member who is not in the network 'X1'", first_bad_line));

  // Without the early one, the late one is reported with its own line.
  std::string only_late = text;
  only_late.replace(only_late.find("X1,"), 2, "A");
  CHECK(load_error(net, only_late) == fmt::format("F:{}: sale for a member who is not in the network 'X2'", later_bad_line));
}

TEST_CASE("ledger_builder: values and 'row i' locations", "[ledger]") {
  const network net = abc();
  SECTION("values") {
    ledger_builder b(net, "arr", false);
    b.add_values("A", 1'230'000, 12'300, sale_kind::personal, no_date, "", 0);
    b.add_values("B", -5'000'000, -50'000, sale_kind::fee, day("2026-03-02"), "ord", 1);
    b.add_values("C", 7, 0, sale_kind::retail, day("2026-03-03"), "", 2);
    const ledger l = std::move(b).build();
    REQUIRE(l.size() == 3);
    CHECK(l.source() == "arr");
    CHECK(net.id(l.member(1)) == "B");
    CHECK(l.amount(0) == 1'230'000);
    CHECK(l.volume(1) == -50'000);
    CHECK(l.kind(0) == sale_kind::personal);
    CHECK(l.kind(1) == sale_kind::fee);
    CHECK(l.date(0) == no_date);
    CHECK(l.date(2) == day("2026-03-03"));
    CHECK(l.order_id(0) == "");
    CHECK(l.order_id(1) == "ord");
    CHECK(l.first_undated() == "arr row 0");
    const auto& p = l.amount_precision();
    CHECK(p[2].where == "arr row 0");
    CHECK(p[2].text == "1.23");
    CHECK(p[0].where == "arr row 1");
    CHECK(p[0].text == "-5");
    CHECK(p[6].where == "arr row 2");
    CHECK(p[6].text == "0.000007");
  }
  SECTION("unknown member") {
    ledger_builder b(net, "arr", false);
    b.add_values("A", 1, 1, sale_kind::retail, no_date, "", 0);
    try {
      b.add_values("Q", 1, 1, sale_kind::retail, no_date, "", 7);
      std::move(b).build();
      FAIL("no error");
    } catch (const input_error& e) {
      CHECK(std::string(e.what()) == "arr row 7: sale for a member who is not in the network 'Q'");
    }
  }
  SECTION("text with row locations") {
    ledger_builder b(net, "arr", false);
    try {
      b.add_text("A", "1.5", "", "", "", "", 0);
      b.add_text("A", "1.5.1", "", "", "", "", 1);
      std::move(b).build();
      FAIL("no error");
    } catch (const input_error& e) {
      CHECK(std::string(e.what()) == "arr row 1: amount is not a decimal number '1.5.1'");
    }
  }
}

TEST_CASE("ledger: a file parsed in parts equals one parsed in one piece", "[ledger]") {
  const network net = abc();
  // Rows with and without dates and order ids, a blank line and CRLF, so the halves differ.
  std::string text = "member_id,amount,volume,kind,date,order_id\n";
  for (int i = 0; i < 400; ++i) {
    const char* who = i % 3 == 0 ? "A" : i % 3 == 1 ? "B" : "C";
    text += fmt::format("{},{}.{:02},{},{},{},{}\n", who, i, i % 100, i % 7 == 0 ? "" : std::to_string(i),
                        i % 5 == 0 ? "fee" : "retail", i < 150 ? "" : "2026-01-15", i > 250 ? fmt::format("O{}", i) : "");
    if (i == 300) text += "\r\n";
  }
  temp_csv f(text);
  const ledger one = ledger_builder::parse_csv(f.path, ~std::uint64_t{0}).build(net);
  const ledger two = ledger_builder::parse_csv(f.path, 0).build(net);
  REQUIRE(two.size() == one.size());
  for (std::size_t i = 0; i < one.size(); ++i) {
    CHECK(two.member(i) == one.member(i));
    CHECK(two.amount(i) == one.amount(i));
    CHECK(two.volume(i) == one.volume(i));
    CHECK(two.kind(i) == one.kind(i));
    CHECK(two.date(i) == one.date(i));
    CHECK(two.order_id(i) == one.order_id(i));
  }
  CHECK(two.first_undated() == one.first_undated());
  for (std::size_t d = 0; d < one.amount_precision().size(); ++d) {
    CHECK(two.amount_precision()[d].where == one.amount_precision()[d].where);
    CHECK(two.amount_precision()[d].text == one.amount_precision()[d].text);
  }

  SECTION("an error in the second half names its own line") {
    temp_csv bad(text + "A,oops,1,retail,,\n");
    const std::size_t last_line = 2 + 400 + 1;  // header, rows, the blank line
    try {
      ledger_builder::parse_csv(bad.path, 0);
      FAIL("no error");
    } catch (const input_error& e) {
      CHECK(std::string(e.what()) == bad.at(last_line) + ": amount is not a decimal number 'oops'");
    }
  }
  SECTION("of errors in two parts, the earlier part's is reported") {
    // Row 120 (line 122) is in the second of four parts, the appended row in the last.
    std::string two_bad = text;
    two_bad.replace(two_bad.find("\nA,120.20"), 9, "\nA,12x.20");
    temp_csv bad(two_bad + "A,oops,1,retail,,\n");
    try {
      ledger_builder::parse_csv(bad.path, 0);
      FAIL("no error");
    } catch (const input_error& e) {
      CHECK(std::string(e.what()) == bad.at(122) + ": amount is not a decimal number '12x.20'");
    }
  }
  SECTION("an unknown member in the second half is found after the merge") {
    temp_csv bad(text + "Q,1,1,retail,,\n");
    try {
      ledger_builder::parse_csv(bad.path, 0).build(net);
      FAIL("no error");
    } catch (const input_error& e) {
      CHECK(std::string(e.what()) == bad.at(2 + 400 + 1) + ": sale for a member who is not in the network 'Q'");
    }
  }
  SECTION("a quote in the first half keeps the file in one piece") {
    std::string quoted = text;
    quoted.replace(quoted.find("\nA,0.00"), 7, "\n\"A\",0.00");
    temp_csv q(quoted);
    const ledger parsed = ledger_builder::parse_csv(q.path, 0).build(net);
    CHECK(parsed.size() == one.size());
    CHECK(parsed.amount(399) == one.amount(399));
  }
}

TEST_CASE("csv: a file's rows split into parts at newlines, with the newlines before each", "[ledger]") {
  std::mt19937 random(11);
  std::string text = "h\n";
  for (int i = 0; i < 3000; ++i) text += std::string(1 + random() % 30, 'x') + (random() % 9 == 0 ? "\n\n" : "\n");
  text += std::string(5000, 'y') + "\n";  // a last row longer than a part of a small split
  temp_csv f(text);
  const std::uint64_t begin = 2, size = text.size();
  for (std::size_t parts : {2u, 3u, 4u, 7u, 16u}) {
    INFO(parts << " parts");
    const std::vector<csv_split> splits = find_csv_splits(f.path, begin, size, parts);
    REQUIRE(splits.size() == parts - 1);
    std::uint64_t previous = begin;
    for (std::size_t k = 0; k < splits.size(); ++k) {
      CHECK(splits[k].offset > previous);
      CHECK(splits[k].offset >= begin + (size - begin) / parts * (k + 1));
      CHECK(text[splits[k].offset - 1] == '\n');
      // The first newline at or past the share: none between the share and the split's.
      const std::uint64_t share = std::max(begin + (size - begin) / parts * (k + 1), previous);
      CHECK(text.find('\n', share) == splits[k].offset - 1);
      CHECK(splits[k].newlines == static_cast<std::size_t>(std::count(text.begin() + 2, text.begin() + static_cast<std::ptrdiff_t>(splits[k].offset), '\n')));
      previous = splits[k].offset;
    }
  }
  // Parts past the last newline are not made; a quote before the last split allows none.
  CHECK(find_csv_splits(f.path, begin, size, 5000).size() < 4999);
  std::string quoted = text;
  quoted[10] = '"';
  temp_csv q(quoted);
  CHECK(find_csv_splits(q.path, begin, size, 4).empty());
  CHECK(find_csv_split(f.path, begin, size)->offset == find_csv_splits(f.path, begin, size, 2).front().offset);
}

TEST_CASE("ledger_builder: the sale-line rules the bindings call", "[ledger]") {
  const network net = abc();
  ledger_builder b(net, "arr", false);
  auto message = [](auto&& f) -> std::string {
    try {
      f();
    } catch (const input_error& e) {
      return e.what();
    }
    return "no error";
  };
  CHECK(b.volume_from_amount(0, 1'230'000, "1.23") == 12'300);
  CHECK(message([&] { b.volume_from_amount(3, 1'234'567, "1.234567"); }) ==
        "arr row 3: amount has more than 4 decimals and no volume to stand in for it '1.234567'");
  CHECK(b.kind_named(0, "") == sale_kind::retail);
  CHECK(b.kind_named(0, "fee") == sale_kind::fee);
  CHECK(message([&] { b.kind_named(4, "gift"); }) == "arr row 4: unknown kind (expected retail, personal or fee) 'gift'");
  CHECK(b.kind_coded(0, 1) == sale_kind::personal);
  CHECK(message([&] { b.kind_coded(5, 3); }) == "arr row 5: unknown kind (expected 0 retail, 1 personal or 2 fee) '3'");
  CHECK(message([&] { b.kind_coded(5, -1); }) == "arr row 5: unknown kind (expected 0 retail, 1 personal or 2 fee) '-1'");
  CHECK(b.date_from_text(0, "") == no_date);
  CHECK(b.date_from_text(0, "2026-03-02") == day("2026-03-02"));
  CHECK(message([&] { b.date_from_text(6, "2026-02-30"); }) == "arr row 6: date is not a date YYYY-MM-DD '2026-02-30'");
  CHECK(b.date_from_days(0, 0) == day("1970-01-01"));
  CHECK(message([&] { b.date_from_days(7, 2'000'001); }) == "arr row 7: date is out of range '2000001'");
}

TEST_CASE("ledger: an order id must be UTF-8 without NUL", "[ledger]") {
  const network net = abc();
  CHECK(load_error(net, "member_id,amount,order_id\nA,1,ok-é\nA,1,o\xFF\n") ==
        "F:3: order_id is not UTF-8 text (a NUL byte or malformed UTF-8) 'o\\xFF'");
  CHECK(load_error(net, std::string("member_id,amount,order_id\nA,1,a\0b\n", 34)) ==
        "F:2: order_id is not UTF-8 text (a NUL byte or malformed UTF-8) 'a\\x00b'");
}
