// SPDX-License-Identifier: MIT
// placement.hpp: binary and matrix placement trees, explicit and automatic (SPEC §2, §5.2, §5.3).
#include "downline/placement.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "downline/error.hpp"
#include "placement_test_support.hpp"

using namespace downline;
using namespace placement_test;

namespace {

const placement_options binary_bfs{true, 2, placement_rule::bfs};

/// "parent/L" (or "-" for a root) for each id, to compare whole trees at a glance.
std::string layout(const network& net, const placement_tree& t) {
  std::string s;
  for (std::uint32_t r = 0; r < net.size(); ++r) {
    const member_index m = net.member_at_row(r);
    const member_index p = t.parent_member(m);
    s += std::string(net.id(m)) + "<";
    if (p == none) {
      s += "- ";
      continue;
    }
    const position_t pos = t.position(m);
    s += std::string(net.id(p)) + "/" +
         (pos == position_left ? std::string("L") : pos == position_right ? std::string("R") : std::to_string(pos)) + " ";
  }
  return s;
}

std::string layout(const std::vector<row>& rows, const placement_options& o) {
  const network net = make_network(rows);
  return layout(net, placement_tree::build(net, o));
}

}  // namespace

TEST_CASE("enrolment order is file order with every sponsor before its recruits", "[placement]") {
  // C and D are listed before their sponsor B; B's arrival releases them, earliest row first.
  const network net = make_network({{"D", "B"}, {"A", ""}, {"C", "B"}, {"E", "A"}, {"B", "A"}, {"F", "D"}});
  std::string order;
  for (member_index m : enrolment_order(net)) order += net.id(m);
  CHECK(order == "AEBDCF");
}

TEST_CASE("binary bfs fills the sponsor's subtree breadth-first, L before R", "[placement]") {
  // A sponsors everyone: a complete binary tree in file order.
  CHECK(layout({{"A", ""}, {"B", "A"}, {"C", "A"}, {"D", "A"}, {"E", "A"}, {"F", "A"}, {"G", "A"}}, binary_bfs) ==
        "A<- B<A/L C<A/R D<B/L E<B/R F<C/L G<C/R ");
  // The search starts at the sponsor, not at the root: G goes below C, not into B's free R.
  CHECK(layout({{"A", ""}, {"B", "A"}, {"C", "A"}, {"D", "A"}, {"E", "C"}, {"F", "C"}, {"G", "C"}}, binary_bfs) ==
        "A<- B<A/L C<A/R D<B/L E<C/L F<C/R G<E/L ");
}

TEST_CASE("explicit placements come first, automatic ones skip the positions they hold", "[placement]") {
  // D is explicitly at A/L although listed after B and C; B then finds A/R, C goes below D.
  CHECK(layout({{"A", ""}, {"B", "A"}, {"C", "A"}, {"D", "A", "A", "L"}}, binary_bfs) == "A<- B<A/R C<D/L D<A/L ");
  // An explicit R without an L: the first free position of A is still its L.
  CHECK(layout({{"A", ""}, {"B", "A", "A", "R"}, {"C", "A"}, {"D", "A"}}, binary_bfs) == "A<- B<A/R C<A/L D<C/L ");
  // A member placed explicitly below someone who is placed later moves along with it.
  CHECK(layout({{"A", ""}, {"X", "B", "B", "L"}, {"B", "A"}, {"C", "A"}}, binary_bfs) == "A<- X<B/L B<A/L C<A/R ");
}

TEST_CASE("outer_left and outer_right place at the bottom of the sponsor's outer line", "[placement]") {
  const std::vector<row> rows{{"A", ""}, {"B", "A"}, {"C", "A"}, {"D", "B"}, {"E", "A"}, {"F", "C"}};
  CHECK(layout(rows, {true, 2, placement_rule::outer_left}) == "A<- B<A/L C<B/L D<C/L E<D/L F<E/L ");
  CHECK(layout(rows, {true, 2, placement_rule::outer_right}) == "A<- B<A/R C<B/R D<C/R E<D/R F<E/R ");
  // The line passes through explicit members, and continues below the one placed.
  const std::vector<row> mixed{{"A", ""}, {"B", "A", "A", "L"}, {"X", "A", "C", "L"}, {"C", "A"}, {"D", "A"}};
  CHECK(layout(mixed, {true, 2, placement_rule::outer_left}) == "A<- B<A/L X<C/L C<B/L D<X/L ");
}

TEST_CASE("matrix placement spills over breadth-first, positions 1..width in order", "[placement]") {
  std::vector<row> rows{{"A", ""}};
  for (char c = 'B'; c <= 'K'; ++c) rows.push_back({std::string(1, c), "A"});
  // Width 3: B C D on level 1, then E F G below B, H I J below C, K below D.
  CHECK(layout(rows, {false, 3, placement_rule::bfs}) ==
        "A<- B<A/1 C<A/2 D<A/3 E<B/1 F<B/2 G<B/3 H<C/1 I<C/2 J<C/3 K<D/1 ");
  rows[4] = {"E", "A", "D", "3"};  // explicit: E at D/3; the spillover skips that position
  CHECK(layout(rows, {false, 3, placement_rule::bfs}) ==
        "A<- B<A/1 C<A/2 D<A/3 E<D/3 F<B/1 G<B/2 H<B/3 I<C/1 J<C/2 K<C/3 ");
}

TEST_CASE("the tree is numbered in its own preorder with subtree ranges and slots", "[placement]") {
  const network net = make_network({{"A", ""}, {"B", "A"}, {"C", "A"}, {"D", "A"}, {"R2", ""}, {"E", "R2", "R2", "R"}});
  const placement_tree t = placement_tree::build(net, binary_bfs);
  REQUIRE(t.size() == 6);
  std::string pre;
  for (std::uint32_t p = 0; p < t.size(); ++p) pre += std::string(net.id(t.member(p))) + " ";
  CHECK(pre == "A B D C R2 E ");  // roots in file order, children L before R
  const std::uint32_t a = t.index(net.find("A")), b = t.index(net.find("B")), r2 = t.index(net.find("R2"));
  CHECK(t.subtree_end(a) == 4);
  CHECK(t.subtree_end(b) == 3);
  CHECK(t.child(a, 0) == b);
  CHECK(t.child(a, 1) == t.index(net.find("C")));
  CHECK(t.child(r2, 0) == none);
  CHECK(t.child(r2, 1) == t.index(net.find("E")));
  CHECK(t.parent(a) == none);
  CHECK(t.position(net.find("A")) == no_position);
  CHECK(t.position(net.find("E")) == position_right);
  for (std::uint32_t p = 1; p < t.size(); ++p)
    if (t.parent(p) != none) CHECK(t.parent(p) < p);
}

TEST_CASE("placement agrees with a plain reference on random networks", "[placement]") {
  dice d(20260301);
  for (int round = 0; round < 300; ++round) {
    const bool binary = round % 3 != 2;
    const std::uint32_t width = binary ? 2 : 2 + d.below(3);
    const placement_rule rule = !binary ? placement_rule::bfs : static_cast<placement_rule>(d.below(3));
    const std::uint32_t n = 1 + d.below(round < 250 ? 40 : 400);
    const auto rows = random_rows(d, n, width, binary, d.below(3) * 15);
    INFO("round " << round << ", " << n << " members, width " << width << ", rule " << static_cast<int>(rule));
    const network net = make_network(rows);
    const placement_tree t = placement_tree::build(net, {binary, width, rule});
    CHECK(spots_of(net, t) == reference_placement(rows, width, binary, rule));
  }
}

TEST_CASE("arbitrary explicit placements: the same tree or an error, as the reference says", "[placement]") {
  dice d(7);
  int rounds = 0, errors = 0;
  for (int round = 0; round < 400; ++round) {
    const std::uint32_t n = 2 + d.below(12);
    std::vector<row> rows;
    for (std::uint32_t i = 0; i < n; ++i) {
      row r{"m" + std::to_string(i), i == 0 || d.chance(10) ? "" : "m" + std::to_string(d.below(i))};
      if (d.chance(30)) {
        r.placement = "m" + std::to_string(d.below(n));
        r.position = d.chance(50) ? "L" : "R";
      }
      rows.push_back(r);
    }
    for (std::uint32_t i = n; i > 1; --i) std::swap(rows[i - 1], rows[d.below(i)]);
    const network net = make_network(rows);  // sponsors are earlier members: no sponsor cycle
    std::vector<spot> expected;
    bool ref_failed = false;
    try {
      expected = reference_placement(rows, 2, true, placement_rule::bfs);
    } catch (const std::runtime_error&) {
      ref_failed = true;
    }
    std::vector<spot> got;
    bool failed = false;
    try {
      got = spots_of(net, placement_tree::build(net, binary_bfs));
    } catch (const network_error&) {
      failed = true;
    }
    INFO("round " << round);
    CHECK(failed == ref_failed);
    if (!failed && !ref_failed) CHECK(got == expected);
    ++rounds;
    errors += failed;
  }
  CHECK(errors > rounds / 10);  // the loop did exercise the error paths, and the good ones
  CHECK(errors < rounds * 9 / 10);
}

TEST_CASE("placement errors name the network line and the value", "[placement][errors]") {
  auto message = [](const std::vector<row>& rows, const placement_options& o) {
    return error_of<network_error>([&] {
      const network net = make_network(rows);
      placement_tree::build(net, o);
    });
  };
  const placement_options matrix3{false, 3, placement_rule::bfs};
  SECTION("a position taken twice: the later row and its member, the parent and the first holder") {
    auto m = message({{"A", ""}, {"B", "A", "A", "L"}, {"C", "A", "A", "L"}}, binary_bfs);
    CHECK(m == "network.csv:4: position 'L' under placement parent 'A' taken twice (first by 'B' on "
               "network.csv:3); member 'C'");
  }
  SECTION("binary positions are L or R") {
    CHECK_THAT(message({{"A", ""}, {"B", "A", "A", "1"}}, binary_bfs),
               Catch::StartsWith("network.csv:3:") && Catch::EndsWith("'1'"));
  }
  SECTION("matrix positions are 1..width") {
    CHECK_THAT(message({{"A", ""}, {"B", "A", "A", "4"}}, matrix3),
               Catch::StartsWith("network.csv:3:") && Catch::Contains("1..3") && Catch::EndsWith("'4'"));
    CHECK_THAT(message({{"A", ""}, {"B", "A", "A", "R"}}, matrix3),
               Catch::StartsWith("network.csv:3:") && Catch::EndsWith("'R'"));
  }
  SECTION("a placement parent needs a position and the reverse") {
    CHECK_THAT(message({{"A", ""}, {"B", "A", "A", ""}}, binary_bfs),
               Catch::StartsWith("network.csv:3:") && Catch::EndsWith("'A'"));
    CHECK_THAT(message({{"A", ""}, {"B", "A", "", "R"}}, binary_bfs),
               Catch::StartsWith("network.csv:3:") && Catch::EndsWith("'R'"));
  }
  SECTION("explicit cycles, including a member placed below itself") {
    CHECK_THAT(message({{"A", ""}, {"B", "A", "C", "L"}, {"C", "A", "B", "R"}}, binary_bfs),
               Catch::StartsWith("network.csv:4:") && Catch::Contains("cycle") && Catch::EndsWith("'C'"));
    CHECK_THAT(message({{"A", ""}, {"B", "A", "B", "L"}}, binary_bfs),
               Catch::StartsWith("network.csv:3:") && Catch::Contains("cycle") && Catch::EndsWith("'B'"));
  }
  SECTION("a cycle made by automatic placement: the sponsor sits below its recruit") {
    // X (sponsored by A) is placed explicitly below its own recruit Y; Y is to go below X.
    CHECK_THAT(message({{"A", ""}, {"X", "A", "Y", "L"}, {"Y", "X"}}, binary_bfs),
               Catch::StartsWith("network.csv:4:") && Catch::Contains("cycle") && Catch::Contains("'X'") &&
                   Catch::EndsWith("'Y'"));
    CHECK_THAT(message({{"A", ""}, {"X", "A", "Y", "L"}, {"Y", "X"}}, {true, 2, placement_rule::outer_right}),
               Catch::Contains("cycle") && Catch::EndsWith("'Y'"));
  }
  SECTION("an unknown placement parent is refused when the network is read") {
    CHECK_THAT(error_of<network_error>([] { make_network({{"A", ""}, {"B", "A", "NOPE", "L"}}); }),
               Catch::StartsWith("network.csv:3:") && Catch::EndsWith("'NOPE'"));
  }
}

TEST_CASE("placement columns are checked only by plans that place", "[placement][errors]") {
  const network net = make_network({{"A", ""}, {"B", "A", "A", "L"}, {"C", "A", "A", "L"}});
  const ledger sales = make_ledger(net, {{"B", "10"}, {"C", "5"}});
  const plan unilevel = plan::from_json(R"({"name": "u", "bonuses": [
      {"name": "level", "type": "unilevel", "rates": ["10%"]}]})");
  CHECK(run(unilevel, net, sales).payouts.size() == 1);
  const plan binary = plan::from_json(R"({"name": "b", "bonuses": [
      {"name": "team", "type": "binary", "rate": "10%"}]})");
  CHECK_THROWS_AS(run(binary, net, sales), network_error);
}

TEST_CASE("a million-wide star places breadth-first into a complete binary tree", "[placement][scale]") {
  constexpr std::uint32_t n = 1'000'001;
  std::vector<row> rows;
  rows.reserve(n);
  rows.push_back({"s1", ""});
  for (std::uint32_t i = 2; i <= n; ++i) rows.push_back({"s" + std::to_string(i), "s1"});
  const network net = make_network(rows);
  const placement_tree t = placement_tree::build(net, binary_bfs);
  // Heap numbering: member k sits below k/2, on the left when k is even.
  bool all_good = true;
  for (std::uint32_t k = 2; k <= n && all_good; k += 997) {
    const member_index m = net.find("s" + std::to_string(k));
    all_good = net.id(t.parent_member(m)) == "s" + std::to_string(k / 2) &&
               t.position(m) == (k % 2 == 0 ? position_left : position_right);
  }
  CHECK(all_good);
  const member_index last = net.find("s" + std::to_string(n));
  CHECK(net.id(t.parent_member(last)) == "s" + std::to_string(n / 2));

  const placement_tree outer = placement_tree::build(net, {true, 2, placement_rule::outer_right});
  CHECK(net.id(outer.parent_member(last)) == "s" + std::to_string(n - 1));
  CHECK(outer.subtree_end(0) == n);
}

TEST_CASE("a million-deep sponsor chain places without recursion", "[placement][scale]") {
  constexpr std::uint32_t n = 1'000'000;
  std::vector<row> rows;
  rows.reserve(n);
  // Listed deepest first: the enrolment order has to reverse the file completely.
  for (std::uint32_t i = n; i-- > 0;) rows.push_back({"c" + std::to_string(i), i ? "c" + std::to_string(i - 1) : ""});
  const network net = make_network(rows);
  for (placement_rule rule : {placement_rule::bfs, placement_rule::outer_left, placement_rule::outer_right}) {
    const placement_tree t = placement_tree::build(net, {true, 2, rule});
    const member_index deepest = net.find("c" + std::to_string(n - 1));
    CHECK(net.id(t.parent_member(deepest)) == "c" + std::to_string(n - 2));
    CHECK(t.position(deepest) == (rule == placement_rule::outer_right ? position_right : position_left));
    CHECK(t.index(deepest) == n - 1);
  }
  const placement_tree m = placement_tree::build(net, {false, 5, placement_rule::bfs});
  CHECK(m.index(net.find("c" + std::to_string(n - 1))) == n - 1);
}

