// SPDX-License-Identifier: MIT
// network.hpp: the sponsor forest in DFS preorder, loaded from CSV (SPEC §2, §10).
#include "downline/network.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "downline/date.hpp"
#include "downline/error.hpp"
#include "temp_csv.hpp"
#include "test_support.hpp"

using namespace downline;
namespace fs = std::filesystem;

namespace {

using downline_test::temp_csv;

using downline_test::error_of;

std::string network_error_of(const std::string& csv_text, temp_csv*& file_out) {
  static thread_local std::unique_ptr<temp_csv> keep;
  keep = std::make_unique<temp_csv>(csv_text);
  file_out = keep.get();
  return error_of<network_error>([&] { network::from_csv(keep->path); });
}

/// Every structural promise of network.hpp, checked by brute force.
void check_invariants(const network& net) {
  const member_index n = net.size();
  std::vector<std::vector<member_index>> children(n);
  for (member_index m = 0; m < n; ++m) {
    INFO("member " << m << " '" << std::string(net.id(m)) << "'");
    const member_index p = net.parent(m);
    if (p != none) {
      REQUIRE(p < m);
      children[p].push_back(m);
    }
    REQUIRE(net.subtree_end(m) > m);
    REQUIRE(net.subtree_end(m) <= n);
    REQUIRE(net.member_at_row(net.row(m)) == m);
    REQUIRE(net.find(net.id(m)) == m);
    // Inside the range: nested ranges whose parents are inside too.
    for (member_index c = m + 1; c < net.subtree_end(m); ++c) {
      REQUIRE(net.subtree_end(c) <= net.subtree_end(m));
      REQUIRE(net.parent(c) >= m);
      REQUIRE(net.parent(c) < c);
    }
    // Just past the range: not a descendant.
    if (net.subtree_end(m) < n) {
      const member_index after = net.subtree_end(m);
      REQUIRE((net.parent(after) == none || net.parent(after) < m));
    }
  }
  for (member_index m = 0; m < n; ++m) {
    std::vector<member_index> visited;
    net.for_each_child(m, [&](member_index c) { visited.push_back(c); });
    REQUIRE(visited == children[m]);
    // Children come in file order.
    for (std::size_t i = 1; i < visited.size(); ++i) REQUIRE(net.row(visited[i - 1]) < net.row(visited[i]));
  }
  // Roots come in file order too.
  std::uint32_t last_root_row = 0;
  bool first = true;
  for (member_index m = 0; m < n; ++m)
    if (net.parent(m) == none) {
      if (!first) REQUIRE(net.row(m) > last_root_row);
      last_root_row = net.row(m);
      first = false;
    }
  if (n > 0) REQUIRE(net.parent(0) == none);
}

}  // namespace

TEST_CASE("network: rows in any order, preorder numbering", "[network]") {
  // File order: C A D B E F. Roots A, E (file order); A's children C, B (file order).
  temp_csv f(
      "id,sponsor_id\n"
      "C,A\n"   // 2
      "A,\n"    // 3
      "D,B\n"   // 4
      "B,A\n"   // 5
      "E,\n"    // 6
      "F,C\n");  // 7
  network net = network::from_csv(f.path);
  check_invariants(net);
  REQUIRE(net.size() == 6);
  CHECK(net.source() == f.path.string());
  // Preorder: A, C, F, B, D, E.
  const char* order[] = {"A", "C", "F", "B", "D", "E"};
  for (member_index m = 0; m < 6; ++m) CHECK(net.id(m) == order[m]);
  CHECK(net.parent(0) == none);
  CHECK(net.parent(1) == 0);
  CHECK(net.parent(2) == 1);
  CHECK(net.parent(3) == 0);
  CHECK(net.parent(4) == 3);
  CHECK(net.parent(5) == none);
  const member_index ends[] = {5, 3, 3, 5, 5, 6};
  for (member_index m = 0; m < 6; ++m) CHECK(net.subtree_end(m) == ends[m]);
  const std::uint32_t rows[] = {1, 0, 5, 3, 2, 4};
  for (member_index m = 0; m < 6; ++m) CHECK(net.row(m) == rows[m]);
  CHECK(net.where(net.find("A")) == f.at(3));
  CHECK(net.where(net.find("F")) == f.at(7));
  CHECK(net.find("Z") == none);
  CHECK(net.find("") == none);
  CHECK(net.find("a") == none);  // ids are case-sensitive
  std::vector<std::string> kids;
  net.for_each_child(net.find("A"), [&](member_index c) { kids.emplace_back(net.id(c)); });
  CHECK(kids == std::vector<std::string>{"C", "B"});
  CHECK_FALSE(net.has_joined());
  CHECK_FALSE(net.has_placement());
  CHECK(net.placement_parent(0) == none);
  CHECK(net.position(0) == no_position);
  CHECK(net.parents().size() == 6);
  CHECK(net.subtree_ends().size() == 6);
}

TEST_CASE("network: columns by name, extra columns ignored, joined dates", "[network]") {
  temp_csv f(
      "joined,extra,sponsor_id,id\n"
      "2024-02-29,x,,root\n"
      ",y,root,kid\n");
  network net = network::from_csv(f.path);
  REQUIRE(net.size() == 2);
  CHECK(net.has_joined());
  CHECK(net.id(0) == "root");
  CHECK(net.joined(0) == *parse_date("2024-02-29"));
  CHECK(net.joined(1) == no_date);
  CHECK(net.parent(1) == 0);
}

TEST_CASE("network: a first joined date after undated rows, and none at all", "[network]") {
  // Rows before the first date are undated; rows are renumbered, dates follow their members.
  temp_csv f(
      "id,sponsor_id,joined\n"
      "kid,root,\n"
      "root,,\n"
      "late,root,2025-01-31\n"
      "last,kid,\n");
  network net = network::from_csv(f.path);
  CHECK(net.joined(net.find("kid")) == no_date);
  CHECK(net.joined(net.find("root")) == no_date);
  CHECK(net.joined(net.find("late")) == *parse_date("2025-01-31"));
  CHECK(net.joined(net.find("last")) == no_date);

  temp_csv undated("id,sponsor_id,joined\nroot,,\nkid,root,\n");
  network none_dated = network::from_csv(undated.path);
  CHECK(none_dated.has_joined());  // the column is there, without a value
  CHECK(none_dated.joined(0) == no_date);
  CHECK(none_dated.joined(1) == no_date);
}

TEST_CASE("network: placement columns", "[network]") {
  temp_csv f(
      "id,sponsor_id,placement_id,position\n"
      "A,,,\n"
      "B,A,A,L\n"
      "C,A,B,r\n"
      "D,A,,2\n");
  network net = network::from_csv(f.path);
  CHECK(net.has_placement());
  const member_index a = net.find("A"), b = net.find("B"), c = net.find("C"), d = net.find("D");
  CHECK(net.placement_parent(a) == none);
  CHECK(net.placement_parent(b) == a);
  CHECK(net.position(b) == position_left);
  CHECK(net.placement_parent(c) == b);
  CHECK(net.position(c) == position_right);
  CHECK(net.placement_parent(d) == none);
  CHECK(net.position(d) == 2);

  temp_csv bad("id,sponsor_id,placement_id,position\nA,,,\nB,A,A,X\n");
  CHECK(error_of<network_error>([&] { network::from_csv(bad.path); }) ==
        bad.at(3) + ": position is not L, R or a matrix slot 1..width 'X'");
  temp_csv unknown("id,sponsor_id,placement_id\nA,,\nB,A,Q\n");
  CHECK(error_of<network_error>([&] { network::from_csv(unknown.path); }) ==
        unknown.at(3) + ": unknown placement_id 'Q'");
}

TEST_CASE("network: random forests in random row order", "[network]") {
  std::mt19937 rng(12345);
  for (int iteration = 0; iteration < 150; ++iteration) {
    const int n = 1 + static_cast<int>(rng() % 60);
    // Generation order: a member's sponsor is generated before it (or it is a root).
    std::vector<int> sponsor(static_cast<std::size_t>(n));
    std::vector<std::string> ids(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) {
      sponsor[static_cast<std::size_t>(i)] = (i == 0 || rng() % 5 == 0) ? -1 : static_cast<int>(rng() % static_cast<unsigned>(i));
      // Ids of varied lengths, up to the 64-byte limit.
      ids[static_cast<std::size_t>(i)] = fmt::format("m{}-{}", i, std::string(rng() % 58, 'x'));
    }
    std::vector<int> file_order(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) file_order[static_cast<std::size_t>(i)] = i;
    std::shuffle(file_order.begin(), file_order.end(), rng);
    std::string text = "id,sponsor_id\n";
    std::vector<int> row_of(static_cast<std::size_t>(n));
    for (int r = 0; r < n; ++r) {
      const int i = file_order[static_cast<std::size_t>(r)];
      row_of[static_cast<std::size_t>(i)] = r;
      const int s = sponsor[static_cast<std::size_t>(i)];
      text += ids[static_cast<std::size_t>(i)] + "," + (s < 0 ? std::string() : ids[static_cast<std::size_t>(s)]) + "\n";
    }
    temp_csv f(text);
    network net = network::from_csv(f.path);
    INFO("iteration " << iteration << "\n" << text);
    REQUIRE(net.size() == static_cast<std::uint32_t>(n));
    check_invariants(net);

    // The expected preorder, computed independently: roots by row, children by row.
    std::vector<std::vector<int>> kids(static_cast<std::size_t>(n));
    std::vector<int> roots;
    for (int r = 0; r < n; ++r) {
      const int i = file_order[static_cast<std::size_t>(r)];
      const int s = sponsor[static_cast<std::size_t>(i)];
      (s < 0 ? roots : kids[static_cast<std::size_t>(s)]).push_back(i);
    }
    std::vector<int> preorder, stack;
    for (int root : roots) {
      stack.push_back(root);
      while (!stack.empty()) {
        const int i = stack.back();
        stack.pop_back();
        preorder.push_back(i);
        const auto& k = kids[static_cast<std::size_t>(i)];
        for (auto it = k.rbegin(); it != k.rend(); ++it) stack.push_back(*it);
      }
    }
    REQUIRE(preorder.size() == static_cast<std::size_t>(n));
    for (member_index m = 0; m < net.size(); ++m) {
      const int i = preorder[m];
      REQUIRE(net.id(m) == ids[static_cast<std::size_t>(i)]);
      REQUIRE(net.row(m) == static_cast<std::uint32_t>(row_of[static_cast<std::size_t>(i)]));
      REQUIRE(net.where(m) == f.at(row_of[static_cast<std::size_t>(i)] + 2));
      const int s = sponsor[static_cast<std::size_t>(i)];
      if (s < 0) REQUIRE(net.parent(m) == none);
      else REQUIRE(net.id(net.parent(m)) == ids[static_cast<std::size_t>(s)]);
    }
  }
}

TEST_CASE("network errors name file:line and the value", "[network]") {
  temp_csv* f = nullptr;
  SECTION("duplicate id names both lines") {
    std::string msg = network_error_of("id,sponsor_id\nA,\nB,A\nA,B\n", f);
    CHECK(msg == f->at(4) + ": duplicate id (first on " + f->at(2) + ") 'A'");
  }
  SECTION("unknown sponsor") {
    std::string msg = network_error_of("id,sponsor_id\nA,\nB,Z\n", f);
    CHECK(msg == f->at(3) + ": unknown sponsor_id 'Z'");
  }
  SECTION("a sponsor id longer than any member id") {
    std::string msg = network_error_of("id,sponsor_id\nA,\nB," + std::string(65, 's') + "\n", f);
    CHECK(msg.rfind(f->at(3) + ": unknown", 0) == 0);
    CHECK(msg.find("'" + std::string(65, 's') + "'") != std::string::npos);
  }
  SECTION("a cycle names a member on it") {
    // R is a root; A -> C -> B -> A is a cycle; D hangs off it (not on the cycle).
    std::string msg = network_error_of("id,sponsor_id\nR,\nD,A\nA,C\nB,A\nC,B\n", f);
    const std::map<std::string, int> on_cycle = {{"A", 4}, {"B", 5}, {"C", 6}};
    bool named = false;
    for (auto& [id, line] : on_cycle)
      named = named || msg == f->at(line) + ": sponsor cycle through member '" + id + "'";
    CHECK(named);
    CHECK(msg.find("'D'") == std::string::npos);
  }
  SECTION("a forest of nothing but a cycle") {
    std::string msg = network_error_of("id,sponsor_id\nA,B\nB,A\n", f);
    CHECK((msg == f->at(2) + ": sponsor cycle through member 'A'" ||
           msg == f->at(3) + ": sponsor cycle through member 'B'"));
  }
  SECTION("self-sponsor") {
    std::string msg = network_error_of("id,sponsor_id\nA,\nB,B\n", f);
    CHECK(msg == f->at(3) + ": sponsor cycle through member 'B'");
  }
  SECTION("id longer than 64 bytes; 64 bytes is fine") {
    const std::string id64(64, 'k'), id65(65, 'k');
    temp_csv ok("id,sponsor_id\n" + id64 + ",\n");
    CHECK(network::from_csv(ok.path).id(0) == id64);
    std::string msg = network_error_of("id,sponsor_id\nA,\n" + id65 + ",A\n", f);
    CHECK(msg == f->at(3) + ": member id longer than 64 bytes '" + id65 + "'");
  }
  SECTION("empty id") {
    std::string msg = network_error_of("id,sponsor_id\nA,\n,A\n", f);
    CHECK(msg == f->at(3) + ": empty member id ''");
  }
  SECTION("an id with a comma (quoted in the CSV)") {
    std::string msg = network_error_of("id,sponsor_id\n\"a,b\",\n", f);
    CHECK(msg == f->at(2) + ": member id with a comma, quote or newline 'a,b'");
  }
  SECTION("bad joined date") {
    std::string msg = network_error_of("id,sponsor_id,joined\nA,,2024-02-29\nB,A,2023-02-29\n", f);
    CHECK(msg == f->at(3) + ": joined is not a date YYYY-MM-DD '2023-02-29'");
  }
  SECTION("no members") {
    std::string msg = network_error_of("id,sponsor_id\n", f);
    CHECK(msg == f->at(2) + ": no members ''");
  }
}

TEST_CASE("network errors have errc::network, file problems are input errors", "[network]") {
  temp_csv dup("id,sponsor_id\nA,\nA,\n");
  try {
    network::from_csv(dup.path);
    FAIL("no error");
  } catch (const error& e) {
    CHECK(e.code() == errc::network);
  }
  temp_csv missing("id,parent\nA,\n");
  CHECK(error_of<input_error>([&] { network::from_csv(missing.path); }) ==
        missing.at(1) + ": missing required column 'sponsor_id'");
  temp_csv empty("");
  CHECK(error_of<input_error>([&] { network::from_csv(empty.path); }).rfind(empty.at(1) + ": empty file", 0) == 0);
}

TEST_CASE("network_builder with rows_are_lines = false says 'row i'", "[network]") {
  SECTION("success, and where()") {
    network_builder b("arrays", false);
    b.add("B", "A", "", "", "", 0);
    b.add("A", "", "", "", "", 1);
    network net = std::move(b).build();
    check_invariants(net);
    CHECK(net.source() == "arrays");
    CHECK(net.id(0) == "A");
    CHECK(net.where(net.find("B")) == "arrays row 0");
    CHECK(net.where(net.find("A")) == "arrays row 1");
  }
  SECTION("duplicate (found at add() or at build())") {
    network_builder b("arrays", false);
    b.add("A", "", "", "", "", 0);
    b.add("B", "A", "", "", "", 1);
    CHECK(error_of<network_error>([&] {
            b.add("A", "B", "", "", "", 2);
            std::move(b).build();
          }) == "arrays row 2: duplicate id (first on arrays row 0) 'A'");
  }
  SECTION("unknown sponsor at build()") {
    network_builder b("arrays", false);
    b.add("A", "", "", "", "", 0);
    b.add("B", "A", "", "", "", 1);
    b.add("C", "Q", "", "", "", 2);
    CHECK(error_of<network_error>([&] { std::move(b).build(); }) == "arrays row 2: unknown sponsor_id 'Q'");
  }
  SECTION("bad joined and empty id") {
    network_builder b("arrays", false);
    CHECK(error_of<network_error>([&] {
            b.add("A", "", "", "", "2024-13-01", 0);
            std::move(b).build();
          }) == "arrays row 0: joined is not a date YYYY-MM-DD '2024-13-01'");
    network_builder c("arrays", false);
    CHECK(error_of<network_error>([&] {
            c.add("", "", "", "", "", 4);
            std::move(c).build();
          }) == "arrays row 4: empty member id ''");
  }
  SECTION("cycle") {
    network_builder b("arrays", false);
    b.add("A", "A", "", "", "", 0);
    CHECK(error_of<network_error>([&] { std::move(b).build(); }) == "arrays row 0: sponsor cycle through member 'A'");
  }
  SECTION("no members") {
    network_builder b("arrays", false);
    CHECK(error_of<network_error>([&] { std::move(b).build(); }) == "arrays: no members ''");
  }
}
