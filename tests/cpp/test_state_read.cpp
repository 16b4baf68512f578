// SPDX-License-Identifier: MIT
// Reading large state files: rows are applied in batches and files above 1 MiB are read in
// two parts at once; the result and the first error reported must be those of reading the
// rows one by one in file order.
#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <iterator>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "bonus_test_support.hpp"
#include "downline/error.hpp"
#include "downline/state.hpp"
#include "temp_csv.hpp"

using namespace bonus_test;
using downline_test::temp_csv;

namespace {

const char* const state_plan = R"({"name": "s", "qualification": {"active_pv": "50", "active_periods": 3},
  "rank_rules": {"grace_periods": 2},
  "ranks": [{"name": "Bronze", "pv": "50"}, {"name": "Silver", "pv": "50", "gv": "250"}],
  "bonuses": [{"name": "pairs", "type": "binary", "rate": "10%"}]})";

/// A network of `n` members, each sponsored by a random earlier one, ids "M<i>".
network random_network(std::size_t n, std::mt19937& random) {
  std::vector<member_row> rows;
  for (std::size_t i = 0; i < n; ++i)
    rows.push_back({fmt::format("M{}", i), i == 0 ? "" : fmt::format("M{}", random() % i), ""});
  return make_network(rows);
}

/// Random rows for every member in network-file order (a random subset of keys each), with
/// values as the writer would write them (none at its key's `none`); about 2.5 MB for 20,000 members.
state_text random_state(const network& net, std::mt19937& random) {
  state_text text;
  text.period = "2026-01";
  const char* const ranks[] = {"Bronze", "Silver"};
  for (std::uint32_t row = 0; row < net.size(); ++row) {
    const std::string id(net.id_at_row(row));
    auto maybe = [&](const char* key, std::string value) {
      if (random() % 4 != 0) text.rows.push_back({id, key, std::move(value)});
    };
    maybe("paid_rank", ranks[random() % 2]);
    maybe("title_rank", ranks[random() % 2]);
    maybe("grace", std::to_string(1 + random() % 2));
    maybe("last_active", std::to_string(random() % 2));
    maybe("balance", fmt::format("{}.{:02}", static_cast<int>(random() % 2000) - 1000, 1 + random() % 99));
    maybe("carry_left:pairs", fmt::format("{}.5", random() % 500));
    maybe("carry_right:pairs", std::to_string(1 + random() % 500));
  }
  return text;
}

/// The state as a file's text, without the writer (so rows can be placed anywhere).
std::string file_text(const state_text& text) {
  std::string s = "member_id,key,value\n,period," + text.period + "\n";
  for (const state_row& r : text.rows) s += fmt::format("{},{},{}\n", r.member_id, r.key, r.value);
  return s;
}

/// Line of the file holding rows[i] (the header is line 1, the period row line 2).
std::size_t line_of(std::size_t i) { return i + 3; }

/// Reading `t` as a file fails naming the line of rows[i] and `what`.
void check_error(const state_text& t, std::size_t i, const std::string& what, const plan& rules, const network& net) {
  const temp_csv file(file_text(t));
  REQUIRE(std::filesystem::file_size(file.path) > (2u << 20));
  CHECK_THROWS_WITH(read_state(file.path, rules, net), file.at(line_of(i)) + ": " + what);
}

}  // namespace

TEST_CASE("a large state file reads as its rows do one by one", "[state]") {
  std::mt19937 random(20261204);
  const plan rules = plan::from_json(state_plan);
  const network net = random_network(20'000, random);
  const state_text text = random_state(net, random);
  const temp_csv file(file_text(text));
  REQUIRE(std::filesystem::file_size(file.path) > (2u << 20));  // read in two parts

  const member_state from_file = read_state(file.path, rules, net);
  const member_state from_rows = read_state(text, rules, net);
  const state_text back = to_text(from_file, rules, net);
  CHECK(back.period == "2026-01");
  REQUIRE(back.rows.size() == text.rows.size());
  CHECK(back.rows.size() == to_text(from_rows, rules, net).rows.size());
  for (std::size_t i = 0; i < text.rows.size(); ++i) {
    INFO("row " << i);
    CHECK(back.rows[i].member_id == text.rows[i].member_id);
    CHECK(back.rows[i].key == text.rows[i].key);
    // Values as written: balances with two decimals, carries trimmed ("7.5", "12").
    CHECK(back.rows[i].value == text.rows[i].value);
  }
  // One value checked as the engine sees it: the last row's member and key.
  const state_row& last = text.rows.back();
  const std::vector<std::int64_t>* column = from_file.find(last.key);
  REQUIRE(column != nullptr);
  CHECK((*column)[net.find(last.member_id)] == (*from_rows.find(last.key))[net.find(last.member_id)]);
}

TEST_CASE("a state file with members out of order or far apart reads as its rows do", "[state]") {
  // Files downline writes list members in network-file order, and the reader looks for each
  // id a few rows on from the last one first. Members in shuffled order, members far apart
  // (every 37th) and one member's rows split around others must read the same as the rows.
  std::mt19937 random(20261207);
  const plan rules = plan::from_json(state_plan);
  const network net = random_network(20'000, random);
  const state_text all = random_state(net, random);
  std::vector<std::vector<state_row>> by_member;
  for (const state_row& r : all.rows) {
    if (by_member.empty() || by_member.back().front().member_id != r.member_id) by_member.emplace_back();
    by_member.back().push_back(r);
  }
  state_text shuffled = all, sparse = all, split = all;
  shuffled.rows.clear();
  sparse.rows.clear();
  std::shuffle(by_member.begin(), by_member.end(), random);
  for (std::size_t i = 0; i < by_member.size(); ++i) {
    shuffled.rows.insert(shuffled.rows.end(), by_member[i].begin(), by_member[i].end());
    if (i % 37 == 0) sparse.rows.insert(sparse.rows.end(), by_member[i].begin(), by_member[i].end());
  }
  std::rotate(split.rows.begin() + 1, split.rows.begin() + 2, split.rows.begin() + 40);  // row 1 moves 38 rows on
  // Read back, rows come in network-file order: all of them, or the sparse file's members'.
  std::set<std::string> in_sparse;
  for (const state_row& r : sparse.rows) in_sparse.insert(r.member_id);
  std::vector<state_row> sparse_expected;
  std::copy_if(all.rows.begin(), all.rows.end(), std::back_inserter(sparse_expected),
               [&](const state_row& r) { return in_sparse.count(r.member_id) != 0; });
  using file_and_rows = std::pair<const state_text*, const std::vector<state_row>*>;
  for (const auto& [t, expected] : {file_and_rows{&shuffled, &all.rows}, file_and_rows{&sparse, &sparse_expected},
                                    file_and_rows{&split, &all.rows}}) {
    const temp_csv file(file_text(*t));
    const state_text from_file = to_text(read_state(file.path, rules, net), rules, net);
    REQUIRE(from_file.rows.size() == expected->size());
    for (std::size_t i = 0; i < from_file.rows.size(); ++i) {
      INFO("row " << i);
      CHECK(from_file.rows[i].member_id == (*expected)[i].member_id);
      CHECK(from_file.rows[i].key == (*expected)[i].key);
      CHECK(from_file.rows[i].value == (*expected)[i].value);
    }
  }
}

TEST_CASE("a large state file reports its first bad row in file order", "[state]") {
  std::mt19937 random(7);
  const plan rules = plan::from_json(state_plan);
  const network net = random_network(20'000, random);
  const state_text good = random_state(net, random);
  const std::size_t n = good.rows.size(), early = 5, late_first_half = n * 2 / 5, second_half = n * 3 / 5;

  SECTION("a row repeated at the end is the second one, wherever the first is") {
    for (std::size_t first : {early, late_first_half, second_half}) {
      state_text t = good;
      t.rows.push_back(t.rows[first]);
      check_error(t, n, fmt::format("a second state row for key '{}' and member '{}'", t.rows[first].key, t.rows[first].member_id),
                  rules, net);
    }
  }
  SECTION("a bad value late in the first half comes before an unknown member in the second") {
    state_text t = good;
    t.rows[late_first_half].key = "grace";
    t.rows[late_first_half].value = "x";
    t.rows[second_half].member_id = "NOBODY";
    check_error(t, late_first_half, "grace must be a whole number of periods 'x'", rules, net);
  }
  SECTION("an unknown member comes before a bad key a few rows after it (one batch)") {
    state_text t = good;
    t.rows[second_half].member_id = "NOBODY";
    t.rows[second_half + 3].key = "no_such_key";
    check_error(t, second_half, "state for a member who is not in the network 'NOBODY'", rules, net);
  }
  SECTION("an unknown member comes before a malformed CSV row a few rows after it") {
    state_text t = good;
    t.rows[early].member_id = "NOBODY";
    t.rows[early + 3].value += ",extra";
    check_error(t, early, "state for a member who is not in the network 'NOBODY'", rules, net);
  }
  SECTION("a period row in the second half is a second period row") {
    state_text t = good;
    t.rows.insert(t.rows.begin() + static_cast<std::ptrdiff_t>(second_half), state_row{"", "period", "2026-02"});
    check_error(t, second_half, "a second period row '2026-02'", rules, net);
  }
}
